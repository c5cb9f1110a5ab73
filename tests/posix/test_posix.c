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

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_join_leaves_no_zombie, no_children_left),
        cmocka_unit_test_teardown(test_a_busy_child_is_terminated, no_children_left),
        cmocka_unit_test_teardown(test_shared_globals_are_shared_and_others_are_not, no_children_left),
    };
    return cmocka_run_group_tests_name("posix", tests, NULL, NULL);
}
