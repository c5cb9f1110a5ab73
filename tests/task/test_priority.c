/*
 * Priorities on the task port (host simulation and Cortex-M3): a process made ready at a
 * higher priority than the running one runs at once; a lower one waits until the
 * running one blocks; the most urgent ready process runs first. POSIX leaves scheduling to Linux, so this
 * suite is not built there (README: "what differs between ports").
 */
#include "mp_test.h"

static char trace[16];
static size_t traced;

static void mark(char c)
{
    trace[traced++] = c;
    trace[traced] = '\0';
}

static int mark_c(void *arg)
{
    mark(*(char *)arg);
    return 0;
}

static mp_process_t start_at(uint8_t priority, mp_process_fn fn, const void *arg, size_t size)
{
    mp_process_t p;
    OK(mp_process_create(&p, &(mp_process_attr_t){.target = fn, .arg = arg, .arg_size = size,
                                                  .priority = priority}));
    OK(mp_process_start(p));
    return p;
}

static void test_higher_priority_child_runs_at_once(void **state)
{
    (void)state;
    traced = 0;
    char c = 'C';
    mp_process_t p = start_at(3, mark_c, &c, 1);
    mark('M'); /* the child already ran: it preempted us at start */
    assert_string_equal("CM", trace);
    assert_int_equal(0, reap(p));
}

static int start_lower_then_join(void *arg)
{
    (void)arg;
    char c = 'C';
    mp_process_t p;
    mp_process_create(&p, &(mp_process_attr_t){.target = mark_c, .arg = &c, .arg_size = 1,
                                              .priority = 1});
    mp_process_start(p);
    mark('D'); /* we (priority 4) stay ahead: no time slice or preemption point lets it in */
    mp_process_join(p, MP_FOREVER);
    return 0;
}

/* (Equal priorities interleave at time slices and seeded preemption points, so their
 * order is no guarantee; a lower priority's is.) */
static void test_lower_priority_child_waits_until_the_parent_blocks(void **state)
{
    (void)state;
    traced = 0;
    mp_process_t d = start_at(4, start_lower_then_join, NULL, 0);
    assert_int_equal(0, reap(d));
    assert_string_equal("DC", trace);
}

typedef struct {
    mp_event_t go;
} waker_arg_t;

static int wait_then_mark(void *arg)
{
    waker_arg_t *a = arg;
    mp_event_wait(a->go, MP_FOREVER);
    mark('W');
    return 0;
}

static void test_a_woken_higher_priority_process_preempts_the_waker(void **state)
{
    (void)state;
    traced = 0;
    waker_arg_t a;
    OK(mp_event_create(&a.go));
    mp_process_t p = start_at(2, wait_then_mark, &a, sizeof a); /* runs, then blocks */
    mark('S');
    OK(mp_event_set(a.go)); /* makes it ready: it runs before set() returns to us */
    mark('M');
    assert_string_equal("SWM", trace);
    assert_int_equal(0, reap(p));
    OK(mp_event_destroy(a.go));
}

static int start_two_then_join(void *arg)
{
    (void)arg;
    char low = 'L', high = 'H';
    mp_process_t l, h;
    mp_process_create(&l, &(mp_process_attr_t){.target = mark_c, .arg = &low, .arg_size = 1,
                                              .priority = 1});
    mp_process_create(&h, &(mp_process_attr_t){.target = mark_c, .arg = &high, .arg_size = 1,
                                              .priority = 3});
    mp_process_start(l); /* neither preempts us (priority 7) */
    mp_process_start(h);
    mark('S');
    mp_process_join(l, MP_FOREVER); /* we block: the most urgent ready one runs first */
    mp_process_join(h, MP_FOREVER);
    return 0;
}

static void test_the_most_urgent_ready_process_runs_first(void **state)
{
    (void)state;
    traced = 0;
    mp_process_t p = start_at(7, start_two_then_join, NULL, 0);
    assert_int_equal(0, reap(p));
    assert_string_equal("SHL", trace);
}

static int block_forever(void *arg)
{
    mp_event_t e = *(mp_event_t *)arg;
    (void)mp_event_wait(e, MP_FOREVER);
    return 0;
}

/* A yield lets a ready process of the same priority run, even right after a death (the
 * task port's check for deaths not yet seen must not skip the switch; found by the
 * fuzzer, tests/fuzz/regressions/yield-after-a-death-does-not-switch). */
static void test_yield_right_after_a_death_still_switches(void **state)
{
    (void)state;
    traced = 0;
    mp_event_t never;
    OK(mp_event_create(&never));
    mp_process_t blocked = start_at(0, block_forever, &never, sizeof never);
    OK(mp_process_yield()); /* it runs and blocks */
    char c = 'R';
    mp_process_t ready = start_at(0, mark_c, &c, 1); /* ready, not run yet: same priority */
    OK(mp_process_terminate(blocked));
    OK(mp_process_yield());
    mark('M');
    assert_string_equal("RM", trace);
    assert_int_equal(-MP_SIGTERM, reap(blocked));
    assert_int_equal(0, reap(ready));
    OK(mp_event_destroy(never));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_higher_priority_child_runs_at_once),
        TEST(test_lower_priority_child_waits_until_the_parent_blocks),
        TEST(test_a_woken_higher_priority_process_preempts_the_waker),
        TEST(test_the_most_urgent_ready_process_runs_first),
        TEST(test_yield_right_after_a_death_still_switches),
    };
    return cmocka_run_group_tests_name("priority", tests, NULL, NULL);
}
