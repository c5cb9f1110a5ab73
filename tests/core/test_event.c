/*
 * Event (CPython's synchronize.Event): set, clear, is_set, wait, across processes.
 */
#include "mp_test.h"

/* ---- api ------------------------------------------------------------------------------ */

static void test_new_event_is_clear_and_set_clear_toggle_it(void **state)
{
    (void)state;
    mp_event_t e;
    bool set = true;
    OK(mp_event_create(&e));
    OK(mp_event_is_set(e, &set));
    assert_false(set);
    OK(mp_event_set(e));
    OK(mp_event_is_set(e, &set));
    assert_true(set);
    OK(mp_event_clear(e));
    OK(mp_event_is_set(e, &set));
    assert_false(set);
    OK(mp_event_clear(e)); /* clearing a clear event is fine */
    OK(mp_event_is_set(e, &set));
    assert_false(set);
    OK(mp_event_destroy(e));
}

static void test_wait_on_a_clear_event_times_out(void **state)
{
    (void)state;
    mp_event_t e;
    OK(mp_event_create(&e));
    assert_int_equal(MP_EAGAIN, mp_event_wait(e, MP_NOWAIT));
    assert_int_equal(MP_ETIMEDOUT, mp_event_wait(e, 20));
    OK(mp_event_destroy(e));
}

static void test_wait_on_a_set_event_returns_at_once(void **state)
{
    (void)state;
    mp_event_t e;
    OK(mp_event_create(&e));
    OK(mp_event_set(e));
    OK(mp_event_wait(e, MP_NOWAIT));
    OK(mp_event_wait(e, 20));
    OK(mp_event_wait(e, MP_FOREVER)); /* would hang if it waited at all */
    OK(mp_event_destroy(e));
}

static void test_waiting_does_not_consume_the_flag(void **state)
{
    (void)state;
    mp_event_t e;
    bool set = false;
    OK(mp_event_create(&e));
    OK(mp_event_set(e));
    OK(mp_event_wait(e, MP_FOREVER));
    OK(mp_event_is_set(e, &set));
    assert_true(set); /* waiting does not consume the flag */
    OK(mp_event_wait(e, MP_NOWAIT)); /* so the next wait returns at once too */
    OK(mp_event_destroy(e));
}

static void test_setting_twice_is_the_same_as_once(void **state)
{
    (void)state;
    mp_event_t e;
    bool set = false;
    OK(mp_event_create(&e));
    OK(mp_event_set(e));
    OK(mp_event_set(e));
    OK(mp_event_is_set(e, &set));
    assert_true(set);
    OK(mp_event_clear(e)); /* one clear undoes both: sets are not counted */
    OK(mp_event_is_set(e, &set));
    assert_false(set);
    assert_int_equal(MP_EAGAIN, mp_event_wait(e, MP_NOWAIT));
    OK(mp_event_destroy(e));
}

static void test_destroyed_event_is_stale_even_after_its_slot_is_reused(void **state)
{
    (void)state;
    mp_event_t e, again;
    bool set;
    OK(mp_event_create(&e));
    OK(mp_event_destroy(e));
    assert_int_equal(MP_ESTALE, mp_event_set(e));
    assert_int_equal(MP_ESTALE, mp_event_clear(e));
    assert_int_equal(MP_ESTALE, mp_event_is_set(e, &set));
    assert_int_equal(MP_ESTALE, mp_event_wait(e, MP_FOREVER));
    assert_int_equal(MP_ESTALE, mp_event_destroy(e));
    OK(mp_event_create(&again));
    assert_int_not_equal(e.id, again.id);
    assert_int_equal(MP_ESTALE, mp_event_set(e));
    OK(mp_event_is_set(again, &set));
    assert_false(set); /* the stale set did not reach the new event */
    OK(mp_event_set(again));
    assert_int_equal(MP_ESTALE, mp_event_clear(e));
    OK(mp_event_is_set(again, &set));
    assert_true(set);
    OK(mp_event_destroy(again));
}

static void test_calls_refuse_a_missing_output(void **state)
{
    (void)state;
    mp_event_t e;
    assert_int_equal(MP_EINVAL, mp_event_create(NULL));
    OK(mp_event_create(&e));
    assert_int_equal(MP_EINVAL, mp_event_is_set(e, NULL));
    OK(mp_event_destroy(e));
}

static void test_handles_of_another_kind_are_refused_and_change_nothing(void **state)
{
    (void)state;
    mp_event_t e, zero = {0};
    mp_semaphore_t s;
    bool set = true;
    OK(mp_event_create(&e));
    OK(mp_semaphore_create(&s, 0, false));
    mp_event_t s_as_e = {s.id};
    assert_int_equal(MP_EHANDLE, mp_event_set(s_as_e));
    assert_int_equal(MP_EHANDLE, mp_event_clear(s_as_e));
    assert_int_equal(MP_EHANDLE, mp_event_is_set(s_as_e, &set));
    assert_int_equal(MP_EHANDLE, mp_event_wait(s_as_e, MP_FOREVER));
    assert_int_equal(MP_EHANDLE, mp_event_destroy(s_as_e));
    assert_int_equal(MP_EHANDLE, mp_event_set(zero));
    assert_int_equal(MP_EHANDLE, mp_event_wait(zero, MP_NOWAIT));
    uint32_t v = 99;
    OK(mp_semaphore_value(s, &v));
    assert_int_equal(0, v); /* untouched */
    OK(mp_event_is_set(e, &set));
    assert_false(set);
    OK(mp_semaphore_destroy(s));
    OK(mp_event_destroy(e));
}

static void test_table_full_is_reported(void **state)
{
    (void)state;
    mp_event_t all[MP_CONF_MAX_EVENTS + 1];
    size_t n = 0;
    mp_err_t err = MP_OK;
    while (n <= MP_CONF_MAX_EVENTS && (err = mp_event_create(&all[n])) == MP_OK)
        n++;
    assert_int_equal(MP_CONF_MAX_EVENTS, n);
    assert_int_equal(MP_ENOSLOT, err);
    for (size_t i = 0; i < n; i++)
        OK(mp_event_destroy(all[i]));
}

/* ---- across processes ----------------------------------------------------------------- */

static MP_SHARED uint32_t flag_before_set; /* written by the setter just before set() */

typedef struct {
    mp_event_t e;
    mp_timeout_t timeout;
    mp_semaphore_t woke;   /* when set: released once the wait returned ... */
    mp_semaphore_t finish; /* ... and then the process waits for this before it ends */
} waiter_arg_t;

/* 0: woken, and after the setter's write; 1: woken too early; else CODE(err).
 * With `woke`, it stays alive until `finish`: on the simulation the end of a process
 * wakes every blocked task, which would hide a set() that forgot to wake someone. */
static int waiter(void *arg)
{
    waiter_arg_t *a = arg;
    mp_err_t err = mp_event_wait(a->e, a->timeout);
    if (a->woke.id != 0) {
        (void)mp_semaphore_release(a->woke);
        (void)mp_semaphore_acquire(a->finish, MP_FOREVER);
    }
    if (err != MP_OK)
        return CODE(err);
    return flag_before_set == 1 ? 0 : 1;
}

static int setter(void *arg)
{
    waiter_arg_t *a = arg;
    flag_before_set = 1;
    mp_err_t err = mp_event_set(a->e);
    if (a->finish.id != 0)
        (void)mp_semaphore_acquire(a->finish, MP_FOREVER);
    return CODE(err);
}

static void waiters_init(waiter_arg_t *a, mp_timeout_t timeout)
{
    OK(mp_event_create(&a->e));
    OK(mp_semaphore_create(&a->woke, 0, false));
    OK(mp_semaphore_create(&a->finish, 0, false));
    a->timeout = timeout;
    flag_before_set = 0;
}

static void waiters_destroy(waiter_arg_t *a)
{
    OK(mp_event_destroy(a->e));
    OK(mp_semaphore_destroy(a->woke));
    OK(mp_semaphore_destroy(a->finish));
}

static void test_set_in_one_process_wakes_waiters_in_several_others(void **state)
{
    (void)state;
    waiter_arg_t a;
    waiters_init(&a, MP_FOREVER);
    mp_process_t w[3];
    for (int i = 0; i < 3; i++)
        w[i] = spawn(waiter, &a, sizeof a, MP_DAEMON_YES);
    for (int i = 0; i < 3; i++)
        assert_int_equal(MP_ETIMEDOUT, mp_process_join(w[i], 20)); /* all wait */
    mp_process_t s = spawn(setter, &a, sizeof a, MP_DAEMON_YES);
    for (int i = 0; i < 3; i++)
        OK(mp_semaphore_acquire(a.woke, LONG)); /* all woke, nobody has ended yet */
    for (int i = 0; i < 4; i++)
        OK(mp_semaphore_release(a.finish));
    assert_int_equal(0, reap_soon(s));
    for (int i = 0; i < 3; i++)
        assert_int_equal(0, reap_soon(w[i]));
    bool set = false;
    OK(mp_event_is_set(a.e, &set));
    assert_true(set); /* set stays set after waking them */
    waiters_destroy(&a);
}

static void test_waiters_with_a_timeout_are_woken_by_set_too(void **state)
{
    (void)state;
    waiter_arg_t a;
    waiters_init(&a, LONG);
    mp_process_t w1 = spawn(waiter, &a, sizeof a, MP_DAEMON_YES);
    mp_process_t w2 = spawn(waiter, &a, sizeof a, MP_DAEMON_YES);
    assert_int_equal(MP_ETIMEDOUT, mp_process_join(w1, 20));
    assert_int_equal(MP_ETIMEDOUT, mp_process_join(w2, 20));
    flag_before_set = 1;
    OK(mp_event_set(a.e));
    OK(mp_semaphore_acquire(a.woke, LONG));
    OK(mp_semaphore_acquire(a.woke, LONG));
    OK(mp_semaphore_release(a.finish));
    OK(mp_semaphore_release(a.finish));
    assert_int_equal(0, reap_soon(w1));
    assert_int_equal(0, reap_soon(w2));
    waiters_destroy(&a);
}

static void test_child_wait_times_out_when_nobody_sets(void **state)
{
    (void)state;
    waiter_arg_t a = {.timeout = 20};
    OK(mp_event_create(&a.e));
    assert_int_equal(CODE(MP_ETIMEDOUT), run(waiter, &a, sizeof a));
    a.timeout = MP_NOWAIT;
    assert_int_equal(CODE(MP_EAGAIN), run(waiter, &a, sizeof a));
    OK(mp_event_destroy(a.e));
}

static void test_clear_after_set_makes_waiters_wait_again(void **state)
{
    (void)state;
    waiter_arg_t a = {.timeout = 20};
    OK(mp_event_create(&a.e));
    flag_before_set = 1;
    OK(mp_event_set(a.e));
    assert_int_equal(0, run(waiter, &a, sizeof a)); /* set: returns at once */
    OK(mp_event_clear(a.e));
    assert_int_equal(CODE(MP_ETIMEDOUT), run(waiter, &a, sizeof a));
    a.timeout = MP_FOREVER;
    flag_before_set = 0;
    mp_process_t w = spawn(waiter, &a, sizeof a, MP_DAEMON_YES);
    assert_int_equal(MP_ETIMEDOUT, mp_process_join(w, 20)); /* waits again */
    flag_before_set = 1;
    OK(mp_event_set(a.e));
    assert_int_equal(0, reap_soon(w));
    OK(mp_event_destroy(a.e));
}

static int clearer(void *arg)
{
    return CODE(mp_event_clear(*(mp_event_t *)arg));
}

static void test_set_and_clear_by_a_child_are_seen_by_the_parent(void **state)
{
    (void)state;
    mp_event_t e;
    bool set = false;
    OK(mp_event_create(&e));
    waiter_arg_t a = {.e = e};
    assert_int_equal(0, run(setter, &a, sizeof a));
    OK(mp_event_is_set(e, &set));
    assert_true(set);
    OK(mp_event_wait(e, MP_NOWAIT));
    assert_int_equal(0, run(clearer, &e, sizeof e));
    OK(mp_event_is_set(e, &set));
    assert_false(set);
    assert_int_equal(MP_ETIMEDOUT, mp_event_wait(e, 20));
    OK(mp_event_destroy(e));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_new_event_is_clear_and_set_clear_toggle_it),
        TEST(test_wait_on_a_clear_event_times_out),
        TEST(test_wait_on_a_set_event_returns_at_once),
        TEST(test_waiting_does_not_consume_the_flag),
        TEST(test_setting_twice_is_the_same_as_once),
        TEST(test_destroyed_event_is_stale_even_after_its_slot_is_reused),
        TEST(test_calls_refuse_a_missing_output),
        TEST(test_handles_of_another_kind_are_refused_and_change_nothing),
        TEST(test_table_full_is_reported),
        TEST(test_set_in_one_process_wakes_waiters_in_several_others),
        TEST(test_waiters_with_a_timeout_are_woken_by_set_too),
        TEST(test_child_wait_times_out_when_nobody_sets),
        TEST(test_clear_after_set_makes_waiters_wait_again),
        TEST(test_set_and_clear_by_a_child_are_seen_by_the_parent),
    };
    return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
