/*
 * The clock and sleeping (time.monotonic, time.sleep): a sleep never ends early, the others
 * run while a process sleeps, and what a sleep cannot mean is refused.
 */
#include "mp_test.h"

#define NS_PER_MS 1000000u

static void test_a_sleep_never_ends_before_its_time(void **state)
{
    (void)state;
    const mp_timeout_t lengths[] = {1, 7, 20};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        mp_time_t before, after;
        OK(mp_clock_ns(&before));
        OK(mp_sleep(lengths[i]));
        OK(mp_clock_ns(&after));
        assert_true(after - before >= (mp_time_t)lengths[i] * NS_PER_MS);
    }
}

static void test_the_clock_never_goes_back(void **state)
{
    (void)state;
    mp_time_t last = 0;
    for (int i = 0; i < 1000; i++) {
        mp_time_t now;
        OK(mp_clock_ns(&now));
        assert_true(now >= last);
        last = now;
    }
}

/* sleep(0) is a yield: a child of the same priority that is ready gets to run. */
static MP_SHARED _Atomic int ran;

static int mark(void *arg)
{
    (void)arg;
    atomic_store(&ran, 1);
    return 0;
}

static void test_sleep_zero_returns_and_lets_others_run(void **state)
{
    (void)state;
    atomic_store(&ran, 0);
    mp_process_t p = spawn(mark, NULL, 0, MP_DAEMON_INHERIT);
    while (!atomic_load(&ran))
        OK(mp_sleep(0)); /* would spin for ever on one CPU if it did not yield */
    assert_int_equal(0, reap_soon(p));
}

/* A sleeping child does not stop its parent, and ends its sleep by itself. */
static int sleeper(void *arg)
{
    mp_event_t done = *(const mp_event_t *)arg;
    if (mp_sleep(50) != MP_OK)
        return 1;
    return mp_event_set(done) == MP_OK ? 0 : 2;
}

static void test_others_run_while_a_process_sleeps(void **state)
{
    (void)state;
    mp_event_t done;
    mp_queue_t q;
    OK(mp_event_create(&done));
    OK(mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = 4, .depth = 2}));
    mp_process_t p = spawn(sleeper, &done, sizeof done, MP_DAEMON_INHERIT);
    for (uint32_t i = 0; i < 100; i++) { /* the parent works on meanwhile */
        uint32_t v;
        size_t len;
        OK(mp_queue_put(q, &i, sizeof i, MP_NOWAIT));
        OK(mp_queue_get(q, &v, sizeof v, &len, MP_NOWAIT));
        assert_int_equal(i, v);
    }
    OK(mp_event_wait(done, LONG)); /* then waits: the sleeper wakes by itself */
    assert_int_equal(0, reap_soon(p));
    OK(mp_queue_destroy(q));
    OK(mp_event_destroy(done));
}

static void test_what_a_sleep_cannot_mean_is_refused(void **state)
{
    (void)state;
    assert_int_equal(MP_EINVAL, mp_sleep(MP_FOREVER));
    assert_int_equal(MP_EINVAL, mp_clock_ns(NULL));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_a_sleep_never_ends_before_its_time),
        TEST(test_the_clock_never_goes_back),
        TEST(test_sleep_zero_returns_and_lets_others_run),
        TEST(test_others_run_while_a_process_sleeps),
        TEST(test_what_a_sleep_cannot_mean_is_refused),
    };
    return cmocka_run_group_tests_name("time", tests, NULL, NULL);
}
