/*
 * What only real processes show: reaping leaves no zombie, a busy child can be
 * terminated (tasks on the simulation switch only at runtime calls), and the world is
 * one shared mapping at the same address in every process.
 */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mp_test.h"

static int quick(void *arg)
{
    (void)arg;
    return 4;
}

static void test_join_leaves_no_zombie(void **state)
{
    (void)state;
    mp_process_t p = spawn(quick, NULL, 0, MP_DAEMON_NO);
    uint32_t pid;
    OK(mp_process_pid(p, &pid));
    OK(mp_process_join(p, MP_FOREVER));
    siginfo_t si;
    errno = 0;
    assert_int_equal(-1, waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT));
    assert_int_equal(ECHILD, errno);
    assert_int_equal(4, reap(p));
}

static MP_SHARED volatile int spinning;

static int spin_forever(void *arg)
{
    (void)arg;
    spinning = 1;
    while (spinning)
        ;
    return 0;
}

static void test_a_busy_child_is_terminated(void **state)
{
    (void)state;
    spinning = 0;
    mp_process_t p = spawn(spin_forever, NULL, 0, MP_DAEMON_NO);
    while (!spinning) /* the flag lives in the shared world: the child's write shows here */
        ;
    OK(mp_process_terminate(p));
    assert_int_equal(-MP_SIGTERM, reap(p));
}

static MP_SHARED int shared_value = 7;
static int process_private_value = 7;

static int change_both(void *arg)
{
    (void)arg;
    shared_value = 8;
    process_private_value = 8;
    return 0;
}

static void test_shared_globals_are_shared_and_others_are_not(void **state)
{
    (void)state;
    assert_int_equal(0, run(change_both, NULL, 0));
    assert_int_equal(8, shared_value);          /* MP_SHARED: one copy */
    assert_int_equal(7, process_private_value); /* ordinary global: copy-on-write */
    shared_value = 7;
}

/* Issue 7, defect 6: the main process's pid is its own, not 0. */
static void test_main_pid_is_getpid(void **state)
{
    (void)state;
    mp_process_t me;
    uint32_t pid = 0;
    OK(mp_process_self(&me));
    OK(mp_process_pid(me, &pid));
    assert_int_equal((uint32_t)getpid(), pid);
}

/* Issue 7, defect 7: a copy made by calling fork() directly is no runtime process. It
 * shares its parent's identity, so anything it did would pass for its parent's; every
 * call it makes is refused with MP_EFORKED instead. The parent carries on unharmed. */
static int fork_a_twin(void *arg)
{
    mp_queue_t q = *(mp_queue_t *)arg;
    uint32_t v = 1;
    pid_t twin = fork();
    if (twin == 0) {
        mp_process_t me;
        mp_lock_t l;
        bool ok = mp_queue_put(q, &v, sizeof v, MP_NOWAIT) == MP_EFORKED &&
                  mp_process_self(&me) == MP_EFORKED && mp_lock_create(&l) == MP_EFORKED;
        _exit(ok ? 0 : 1);
    }
    int status;
    if (twin < 0 || waitpid(twin, &status, 0) != twin || !WIFEXITED(status))
        return 2;
    if (WEXITSTATUS(status) != 0)
        return 3;
    return mp_queue_put(q, &v, sizeof v, MP_NOWAIT) == MP_OK ? 0 : 4;
}

static void test_a_raw_fork_copy_is_refused_by_every_call(void **state)
{
    (void)state;
    mp_queue_t q;
    OK(mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = 4, .depth = 4}));
    assert_int_equal(0, run(fork_a_twin, &q, sizeof q));
    size_t n;
    OK(mp_queue_qsize(q, &n));
    assert_int_equal(1, n); /* the twin's put never happened; its parent's did */
    OK(mp_queue_destroy(q));
}

/* Storage outside the shared world is this process's alone: a queue over it would lose
 * every message another process puts (found by the bad-input suite). */
static uint8_t private_storage[MP_QUEUE_STORAGE_SIZE(8, 2)];

static void test_a_static_queue_over_private_memory_is_refused(void **state)
{
    (void)state;
    mp_queue_t q;
    assert_int_equal(MP_EINVAL, mp_queue_create_static(&q, &(mp_queue_static_t){
                                                               private_storage,
                                                               sizeof private_storage, 8, 2},
                                                           false));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_a_static_queue_over_private_memory_is_refused),
        TEST(test_main_pid_is_getpid),
        TEST(test_a_raw_fork_copy_is_refused_by_every_call),
        TEST(test_join_leaves_no_zombie),
        TEST(test_a_busy_child_is_terminated),
        TEST(test_shared_globals_are_shared_and_others_are_not),
    };
    return cmocka_run_group_tests_name("posix", tests, NULL, NULL);
}
