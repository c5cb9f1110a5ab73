/*
 * A process that dies holding a condition's lock is reported to the one process that
 * takes the lock next (README: "reported to exactly one acquirer"), also when that is a
 * waiter taking the lock back inside mp_condition_wait_for. Found by the fault-injection
 * suites: wait_for swallows the MP_EOWNERDEAD its inner wait returns and answers MP_OK,
 * so nobody is ever told that what the lock protected may be half-updated.
 */
#include "mp_test.h"

static MP_SHARED volatile int ready;

/* Takes the lock once the waiter lets it go, makes the predicate true, notifies, and
 * returns still holding the lock: it dies holding it. */
static int set_notify_and_die(void *arg)
{
    mp_condition_t c = *(mp_condition_t *)arg;
    if (mp_condition_acquire(c, LONG) != MP_OK)
        return 1;
    ready = 1;
    (void)mp_condition_notify(c, 1);
    return 0;
}

static bool is_ready(void *arg)
{
    (void)arg;
    return ready != 0;
}

/* A condition this process holds, and a child (fn) that takes its lock as soon as a wait
 * lets it go, and dies holding it. */
static mp_process_t held_with_a_taker_that_dies(mp_condition_t *c, mp_process_fn fn)
{
    OK(mp_condition_create(c, NULL));
    ready = 0;
    OK(mp_condition_acquire(*c, MP_NOWAIT));
    return spawn(fn, c, sizeof *c, MP_DAEMON_NO);
}

static void test_wait_for_reports_a_holder_that_died(void **state)
{
    (void)state;
    mp_condition_t c;
    mp_process_t p = held_with_a_taker_that_dies(&c, set_notify_and_die);
    /* lets the lock go; the child takes it, notifies and dies with it */
    mp_err_t err = mp_condition_wait_for(c, is_ready, NULL, LONG);
    assert_int_equal(0, reap(p));
    assert_true(ready);
    assert_int_equal(MP_EOWNERDEAD, err); /* the lock is held again, and the news told */
    OK(mp_condition_release(c));
    OK(mp_condition_acquire(c, MP_NOWAIT)); /* told once: the next one is plain */
    OK(mp_condition_release(c));
    OK(mp_condition_destroy(c));
}

static int notify_and_die(void *arg)
{
    mp_condition_t c = *(mp_condition_t *)arg;
    if (mp_condition_acquire(c, LONG) != MP_OK)
        return 1;
    (void)mp_condition_notify(c, 1); /* the predicate stays false */
    return 0;
}

static bool never(void *arg)
{
    (void)arg;
    return false;
}

/* The take-back that found the holder dead is told even when the predicate then never
 * comes true and wait_for ends at its deadline (with the lock, as MP_ETIMEDOUT does): one
 * code for two facts, and the one nobody else will ever be told is the death. */
static void test_wait_for_reports_a_dead_holder_also_when_it_times_out(void **state)
{
    (void)state;
    mp_condition_t c;
    mp_process_t p = held_with_a_taker_that_dies(&c, notify_and_die);
    mp_err_t err = mp_condition_wait_for(c, never, NULL, 300);
    assert_int_equal(0, reap(p));
    assert_int_equal(MP_EOWNERDEAD, err); /* today: MP_ETIMEDOUT, and the death is never told */
    OK(mp_condition_release(c));
    OK(mp_condition_acquire(c, MP_NOWAIT)); /* held by nobody, told to nobody again */
    OK(mp_condition_release(c));
    OK(mp_condition_destroy(c));
}

/* The same through mp_condition_wait: it does report it (for comparison). */
static void test_wait_reports_a_holder_that_died(void **state)
{
    (void)state;
    mp_condition_t c;
    mp_process_t p = held_with_a_taker_that_dies(&c, set_notify_and_die);
    mp_err_t err = mp_condition_wait(c, LONG);
    assert_int_equal(0, reap(p));
    assert_int_equal(MP_EOWNERDEAD, err);
    OK(mp_condition_release(c));
    OK(mp_condition_destroy(c));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_wait_reports_a_holder_that_died),
        TEST(test_wait_for_reports_a_holder_that_died),
        TEST(test_wait_for_reports_a_dead_holder_also_when_it_times_out),
    };
    return cmocka_run_group_tests_name("dead holder", tests, NULL, NULL);
}
