/*
 * What only the host simulation board offers: a virtual clock, a replayable schedule,
 * and deadlock reports. (The core suites run here too, unchanged.)
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mp_sim.h"
#include "mp_test.h"

typedef struct {
    mp_lock_t block; /* held by main */
} hold_arg_t;

static int wait_on_lock(void *arg)
{
    hold_arg_t *a = arg;
    mp_lock_acquire(a->block, MP_FOREVER);
    mp_lock_release(a->block);
    return 0;
}

static void test_join_timeout_of_5s_runs_on_the_virtual_clock(void **state)
{
    (void)state;
    hold_arg_t a;
    OK(mp_lock_create(&a.block));
    OK(mp_lock_acquire(a.block, MP_NOWAIT));
    mp_process_t p = spawn(wait_on_lock, &a, sizeof a, MP_DAEMON_NO);
    mp_time_t before, after;
    OK(mp_clock_ns(&before));
    assert_int_equal(MP_ETIMEDOUT, mp_process_join(p, 5000));
    OK(mp_clock_ns(&after));
    /* Exactly 5 s of virtual time: the clock jumped to the deadline, nothing else ran. */
    assert_int_equal(5000000000ull, after - before);
    OK(mp_lock_release(a.block));
    assert_int_equal(0, reap(p));
    OK(mp_clock_ns(&before));
    assert_int_equal(before, after); /* no waiting was needed, so no time passed */
    OK(mp_lock_destroy(a.block));
}

/* time.sleep on the virtual clock: 5 s in no real time, and exactly 5 s on the clock. */
static void test_a_5s_sleep_is_exactly_5s_of_virtual_time(void **state)
{
    (void)state;
    mp_time_t before, after;
    OK(mp_clock_ns(&before));
    OK(mp_sleep(5000));
    OK(mp_clock_ns(&after));
    assert_int_equal(5000000000ull, after - before);
}

/* ---- replayable schedules ------------------------------------------------------------ */

#define TASKS 4
#define STEPS 6
static char trace[TASKS * STEPS + 1];
static size_t traced;

static int emit_tokens(void *arg)
{
    char token = *(char *)arg;
    mp_process_t me;
    for (int i = 0; i < STEPS; i++) {
        trace[traced++] = token;
        mp_process_self(&me); /* a runtime call: a preemption point */
        mp_process_self(&me);
    }
    return 0;
}

static void run_schedule(uint64_t seed, char *out)
{
    OK(mp_sim_seed(seed));
    traced = 0;
    mp_process_t p[TASKS];
    for (int i = 0; i < TASKS; i++) {
        char token = (char)('A' + i);
        p[i] = spawn(emit_tokens, &token, 1, MP_DAEMON_NO);
    }
    for (int i = 0; i < TASKS; i++)
        assert_int_equal(0, reap(p[i]));
    OK(mp_sim_seed(0));
    trace[traced] = '\0';
    strcpy(out, trace);
}

static void test_same_seed_gives_the_same_interleaving(void **state)
{
    (void)state;
    char first[sizeof trace], again[sizeof trace], other[sizeof trace];
    run_schedule(42, first);
    run_schedule(42, again);
    assert_string_equal(first, again);
    assert_int_equal(TASKS * STEPS, strlen(first));

    /* Without a seed, tasks switch only when one blocks: each runs to its end in turn. */
    run_schedule(0, other);
    assert_string_equal("AAAAAABBBBBBCCCCCCDDDDDD", other);

    /* Other seeds give other interleavings (and the same one again when repeated). */
    int differ = 0;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        run_schedule(seed, other);
        differ += strcmp(other, first) != 0;
        run_schedule(seed, again);
        assert_string_equal(other, again);
    }
    assert_true(differ > 0);
    print_message("seed 42 interleaving: %s\n", first);
}

/* ---- deadlock reports ---------------------------------------------------------------- */

static void make_deadlock(mp_process_t *p, hold_arg_t *a)
{
    OK(mp_lock_create(&a->block));
    OK(mp_lock_acquire(a->block, MP_NOWAIT));
    mp_process_attr_t attr = {.target = wait_on_lock, .arg = a, .arg_size = sizeof *a,
                              .name = "stuck"};
    OK(mp_process_create(p, &attr));
    OK(mp_process_start(*p));
}

static void test_deadlock_is_reported_and_can_return_to_main(void **state)
{
    (void)state;
    OK(mp_sim_on_deadlock(MP_SIM_DEADLOCK_RETURN));
    mp_process_t p;
    hold_arg_t a;
    make_deadlock(&p, &a);
    /* main waits for "stuck", which waits for a lock main holds: nobody can move */
    assert_int_equal(MP_EDEADLK, mp_process_join(p, MP_FOREVER));
    char report[1024];
    OK(mp_sim_deadlock_report(report, sizeof report));
    assert_non_null(strstr(report, "deadlock"));
    assert_non_null(strstr(report, "MainProcess: blocked, waits for the end of stuck"));
    assert_non_null(strstr(report, "stuck: blocked, waits for Lock #"));
    assert_non_null(strstr(report, "held by MainProcess"));
    OK(mp_sim_on_deadlock(MP_SIM_DEADLOCK_EXIT));
    OK(mp_process_terminate(p));
    assert_int_equal(-MP_SIGTERM, reap(p));
    OK(mp_lock_release(a.block));
    OK(mp_lock_destroy(a.block));
}

static void test_deadlock_settings_refuse_bad_arguments(void **state)
{
    (void)state;
    assert_int_equal(MP_EINVAL, mp_sim_on_deadlock((mp_sim_deadlock_t)9));
    assert_int_equal(MP_EINVAL, mp_sim_deadlock_report(NULL, 4));
}

static int get_forever(void *arg)
{
    mp_queue_t q = *(mp_queue_t *)arg;
    char buf[8];
    size_t len;
    return CODE(mp_queue_get(q, buf, sizeof buf, &len, MP_FOREVER));
}

static void test_deadlock_report_names_a_queue(void **state)
{
    (void)state;
    OK(mp_sim_on_deadlock(MP_SIM_DEADLOCK_RETURN));
    mp_queue_t q;
    OK(mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = 8, .depth = 2}));
    mp_process_t p;
    OK(mp_process_create(&p, &(mp_process_attr_t){.target = get_forever, .arg = &q,
                                                  .arg_size = sizeof q, .name = "reader"}));
    OK(mp_process_start(p));
    assert_int_equal(MP_EDEADLK, mp_process_join(p, MP_FOREVER));
    char report[1024];
    OK(mp_sim_deadlock_report(report, sizeof report));
    assert_non_null(strstr(report, "reader: blocked, waits for a message in Queue #"));
    OK(mp_sim_on_deadlock(MP_SIM_DEADLOCK_EXIT));
    OK(mp_queue_close(q)); /* wakes the reader with MP_ECLOSED */
    assert_int_equal(CODE(MP_ECLOSED), reap(p));
    OK(mp_queue_destroy(q));
}

typedef struct {
    mp_queue_t q;
    mp_event_t e;
} several_t;

static int wait_several_forever(void *arg)
{
    several_t *a = arg;
    mp_wait_item_t items[] = {MP_WAIT_ON(a->q), MP_WAIT_ON(a->e)};
    size_t n;
    return CODE(mp_wait(items, 2, MP_FOREVER, &n));
}

static void test_deadlock_report_names_every_object_of_a_wait_on_several(void **state)
{
    (void)state;
    OK(mp_sim_on_deadlock(MP_SIM_DEADLOCK_RETURN));
    several_t a;
    OK(mp_queue_create(&a.q, &(mp_queue_attr_t){.msg_size = 8, .depth = 2}));
    OK(mp_event_create(&a.e));
    mp_process_t p;
    OK(mp_process_create(&p, &(mp_process_attr_t){.target = wait_several_forever, .arg = &a,
                                                  .arg_size = sizeof a, .name = "poller"}));
    OK(mp_process_start(p));
    assert_int_equal(MP_EDEADLK, mp_process_join(p, MP_FOREVER));
    char report[1024];
    OK(mp_sim_deadlock_report(report, sizeof report));
    assert_non_null(strstr(report, "poller: blocked, waits for any of: a message in Queue #"));
    assert_non_null(strstr(report, ", Event #"));
    OK(mp_sim_on_deadlock(MP_SIM_DEADLOCK_EXIT));
    OK(mp_event_set(a.e));
    assert_int_equal(0, reap(p));
    OK(mp_queue_destroy(a.q));
    OK(mp_event_destroy(a.e));
}

static int alloc_forever(void *arg)
{
    mp_slab_t s = *(mp_slab_t *)arg;
    void *b;
    return CODE(mp_slab_alloc(s, &b, MP_FOREVER));
}

static void test_deadlock_report_names_a_slab(void **state)
{
    (void)state;
    OK(mp_sim_on_deadlock(MP_SIM_DEADLOCK_RETURN));
    mp_slab_t s;
    void *held;
    OK(mp_slab_create(&s, 8, 1));
    OK(mp_slab_alloc(s, &held, MP_NOWAIT));
    mp_process_t p;
    OK(mp_process_create(&p, &(mp_process_attr_t){.target = alloc_forever, .arg = &s,
                                                  .arg_size = sizeof s, .name = "allocator"}));
    OK(mp_process_start(p));
    assert_int_equal(MP_EDEADLK, mp_process_join(p, MP_FOREVER));
    char report[1024];
    OK(mp_sim_deadlock_report(report, sizeof report));
    assert_non_null(strstr(report, "allocator: blocked, waits for a free block in Slab #"));
    OK(mp_sim_on_deadlock(MP_SIM_DEADLOCK_EXIT));
    OK(mp_slab_free(s, held)); /* the allocator gets it */
    assert_int_equal(0, reap(p));
    OK(mp_slab_destroy(s));
}

/* ---- suspended processes in deadlock reports -------------------------------------- */

typedef struct {
    mp_lock_t lock;  /* the holder takes it */
    mp_event_t never;
    test_signal_t ready;
} holder_arg_t;

static int hold_and_wait(void *arg)
{
    holder_arg_t *a = arg;
    if (mp_lock_acquire(a->lock, MP_FOREVER) != MP_OK)
        return 100;
    signal_post(a->ready);
    return CODE(mp_event_wait(a->never, MP_FOREVER));
}

/* Suspended while it holds a lock: the report says so, and the lock is not recovered (the
 * acquirer's wait can never end). */
static void test_deadlock_report_names_a_suspended_holder(void **state)
{
    (void)state;
    OK(mp_sim_on_deadlock(MP_SIM_DEADLOCK_RETURN));
    holder_arg_t a;
    OK(mp_lock_create(&a.lock));
    OK(mp_event_create(&a.never));
    signal_init(&a.ready);
    mp_process_t p;
    OK(mp_process_create(&p, &(mp_process_attr_t){.target = hold_and_wait, .arg = &a,
                                                  .arg_size = sizeof a, .name = "holder"}));
    OK(mp_process_start(p));
    OK(signal_wait(a.ready, MP_FOREVER));
    OK(mp_process_suspend(p));
    assert_int_equal(MP_EDEADLK, mp_lock_acquire(a.lock, MP_FOREVER));
    char report[1024];
    OK(mp_sim_deadlock_report(report, sizeof report));
    assert_non_null(strstr(report, "MainProcess: blocked, waits for Lock #"));
    assert_non_null(strstr(report, "held by holder (suspended)"));
    assert_non_null(strstr(report, "holder: suspended, waits for Event #"));
    OK(mp_sim_on_deadlock(MP_SIM_DEADLOCK_EXIT));
    OK(mp_process_terminate(p));
    assert_int_equal(-MP_SIGTERM, reap(p));
    assert_int_equal(MP_EOWNERDEAD, mp_lock_acquire(a.lock, MP_NOWAIT));
    OK(mp_lock_release(a.lock));
    OK(mp_lock_destroy(a.lock));
    OK(mp_event_destroy(a.never));
    signal_destroy(&a.ready);
}

static int wait_forever(void *arg)
{
    return CODE(mp_event_wait(*(mp_event_t *)arg, MP_FOREVER));
}

static int suspends_itself(void *arg)
{
    (void)arg;
    mp_process_t me;
    mp_process_self(&me);
    return CODE(mp_process_suspend(me));
}

/* One suspended before it could run, one that suspended itself: both named, with what
 * each waits for. */
static void test_deadlock_report_names_suspended_processes(void **state)
{
    (void)state;
    OK(mp_sim_on_deadlock(MP_SIM_DEADLOCK_RETURN));
    mp_event_t never;
    OK(mp_event_create(&never));
    mp_process_t idle, self;
    OK(mp_process_create(&self, &(mp_process_attr_t){.target = suspends_itself,
                                                     .name = "self"}));
    OK(mp_process_start(self));
    bool suspended = false;
    while (!suspended) {
        OK(mp_process_is_suspended(self, &suspended));
        OK(mp_process_yield());
    }
    OK(mp_process_create(&idle, &(mp_process_attr_t){.target = wait_forever, .arg = &never,
                                                     .arg_size = sizeof never, .name = "idle"}));
    OK(mp_process_start(idle));
    OK(mp_process_suspend(idle));
    assert_int_equal(MP_EDEADLK, mp_process_join(idle, MP_FOREVER));
    char report[1024];
    OK(mp_sim_deadlock_report(report, sizeof report));
    assert_non_null(strstr(report, "MainProcess: blocked, waits for the end of idle (suspended)"));
    assert_non_null(strstr(report, "idle: suspended"));
    assert_non_null(strstr(report, "self: suspended, waits for a resume by its parent"));
    OK(mp_sim_on_deadlock(MP_SIM_DEADLOCK_EXIT));
    OK(mp_process_resume(self));
    assert_int_equal(0, reap(self));
    OK(mp_process_kill(idle));
    assert_int_equal(-MP_SIGKILL, reap(idle));
    OK(mp_event_destroy(never));
}

static void test_deadlock_stops_the_simulation_by_default(void **state)
{
    (void)state;
    fflush(NULL);
    pid_t pid = fork(); /* a copy of the whole simulation, to watch it stop */
    assert_true(pid >= 0);
    if (pid == 0) {
        mp_process_t p;
        hold_arg_t a;
        make_deadlock(&p, &a);
        mp_process_join(p, MP_FOREVER); /* never returns: the simulation exits */
        _exit(0);
    }
    int status = 0;
    assert_int_equal(pid, waitpid(pid, &status, 0));
    assert_true(WIFEXITED(status));
    assert_int_equal(MP_SIM_DEADLOCK_STATUS, WEXITSTATUS(status));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_join_timeout_of_5s_runs_on_the_virtual_clock),
        TEST(test_a_5s_sleep_is_exactly_5s_of_virtual_time),
        TEST(test_same_seed_gives_the_same_interleaving),
        TEST(test_deadlock_is_reported_and_can_return_to_main),
        TEST(test_deadlock_settings_refuse_bad_arguments),
        TEST(test_deadlock_report_names_a_queue),
        TEST(test_deadlock_report_names_every_object_of_a_wait_on_several),
        TEST(test_deadlock_report_names_a_slab),
        TEST(test_deadlock_report_names_a_suspended_holder),
        TEST(test_deadlock_report_names_suspended_processes),
        TEST(test_deadlock_stops_the_simulation_by_default),
    };
    return cmocka_run_group_tests_name("host-sim", tests, NULL, NULL);
}
