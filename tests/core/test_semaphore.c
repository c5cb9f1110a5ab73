/*
 * Semaphore and BoundedSemaphore (CPython's synchronize.Semaphore / BoundedSemaphore).
 */
#include "mp_test.h"

/* ---- api ------------------------------------------------------------------------------ */

static void test_acquire_takes_a_unit_and_release_gives_it_back(void **state)
{
    (void)state;
    mp_semaphore_t s;
    uint32_t v = 99;
    OK(mp_semaphore_create(&s, 2, false));
    OK(mp_semaphore_value(s, &v));
    assert_int_equal(2, v);
    OK(mp_semaphore_acquire(s, MP_NOWAIT));
    OK(mp_semaphore_value(s, &v));
    assert_int_equal(1, v);
    OK(mp_semaphore_acquire(s, MP_FOREVER));
    OK(mp_semaphore_value(s, &v));
    assert_int_equal(0, v);
    OK(mp_semaphore_release(s));
    OK(mp_semaphore_value(s, &v));
    assert_int_equal(1, v);
    OK(mp_semaphore_acquire(s, 20));
    OK(mp_semaphore_value(s, &v));
    assert_int_equal(0, v);
    OK(mp_semaphore_destroy(s));
}

static void test_acquire_at_zero_says_eagain_without_wait_and_etimedout_with_one(void **state)
{
    (void)state;
    mp_semaphore_t s;
    uint32_t v = 99;
    OK(mp_semaphore_create(&s, 0, false));
    assert_int_equal(MP_EAGAIN, mp_semaphore_acquire(s, MP_NOWAIT));
    assert_int_equal(MP_ETIMEDOUT, mp_semaphore_acquire(s, 20));
    OK(mp_semaphore_value(s, &v));
    assert_int_equal(0, v); /* failed acquires took nothing */
    OK(mp_semaphore_release(s));
    OK(mp_semaphore_acquire(s, MP_NOWAIT));
    assert_int_equal(MP_EAGAIN, mp_semaphore_acquire(s, MP_NOWAIT));
    OK(mp_semaphore_destroy(s));
}

static void test_plain_semaphore_may_be_released_above_its_initial_value(void **state)
{
    (void)state;
    mp_semaphore_t s;
    uint32_t v = 0;
    OK(mp_semaphore_create(&s, 2, false));
    OK(mp_semaphore_release(s));
    OK(mp_semaphore_release(s));
    OK(mp_semaphore_value(s, &v));
    assert_int_equal(4, v); /* CPython's test: 2, released twice, is 4 */
    for (int i = 0; i < 4; i++)
        OK(mp_semaphore_acquire(s, MP_NOWAIT));
    assert_int_equal(MP_EAGAIN, mp_semaphore_acquire(s, MP_NOWAIT));
    OK(mp_semaphore_destroy(s));
}

static void test_bounded_semaphore_refuses_release_above_its_initial_value(void **state)
{
    (void)state;
    mp_semaphore_t s;
    uint32_t v = 0;
    OK(mp_semaphore_create(&s, 2, true));
    assert_int_equal(MP_EOVERFLOW, mp_semaphore_release(s));
    OK(mp_semaphore_value(s, &v));
    assert_int_equal(2, v); /* the refused release changed nothing */
    OK(mp_semaphore_acquire(s, MP_NOWAIT));
    OK(mp_semaphore_acquire(s, MP_NOWAIT));
    OK(mp_semaphore_release(s));
    OK(mp_semaphore_release(s));
    assert_int_equal(MP_EOVERFLOW, mp_semaphore_release(s));
    OK(mp_semaphore_value(s, &v));
    assert_int_equal(2, v);
    OK(mp_semaphore_destroy(s));
}

static void test_a_bounded_semaphore_of_zero_can_never_be_released(void **state)
{
    (void)state;
    mp_semaphore_t s;
    OK(mp_semaphore_create(&s, 0, true)); /* BoundedSemaphore(0): never releasable */
    assert_int_equal(MP_EOVERFLOW, mp_semaphore_release(s));
    assert_int_equal(MP_EAGAIN, mp_semaphore_acquire(s, MP_NOWAIT));
    OK(mp_semaphore_destroy(s));
}

static void test_destroyed_semaphore_is_stale_even_after_its_slot_is_reused(void **state)
{
    (void)state;
    mp_semaphore_t s, again;
    uint32_t v;
    OK(mp_semaphore_create(&s, 1, false));
    OK(mp_semaphore_destroy(s));
    assert_int_equal(MP_ESTALE, mp_semaphore_acquire(s, MP_NOWAIT));
    assert_int_equal(MP_ESTALE, mp_semaphore_acquire(s, MP_FOREVER));
    assert_int_equal(MP_ESTALE, mp_semaphore_release(s));
    assert_int_equal(MP_ESTALE, mp_semaphore_value(s, &v));
    assert_int_equal(MP_ESTALE, mp_semaphore_destroy(s));
    OK(mp_semaphore_create(&again, 3, false));
    assert_int_not_equal(s.id, again.id);
    assert_int_equal(MP_ESTALE, mp_semaphore_acquire(s, MP_NOWAIT));
    assert_int_equal(MP_ESTALE, mp_semaphore_release(s));
    OK(mp_semaphore_value(again, &v));
    assert_int_equal(3, v); /* the stale release did not touch the new one */
    OK(mp_semaphore_destroy(again));
}

static void test_calls_refuse_a_missing_output(void **state)
{
    (void)state;
    mp_semaphore_t s;
    assert_int_equal(MP_EINVAL, mp_semaphore_create(NULL, 1, false));
    OK(mp_semaphore_create(&s, 1, false));
    assert_int_equal(MP_EINVAL, mp_semaphore_value(s, NULL));
    OK(mp_semaphore_destroy(s));
}

static void test_handles_of_another_kind_are_refused_and_change_nothing(void **state)
{
    (void)state;
    mp_semaphore_t s, zero = {0};
    mp_event_t e;
    mp_lock_t l;
    uint32_t v = 0;
    OK(mp_semaphore_create(&s, 1, false));
    OK(mp_event_create(&e));
    OK(mp_lock_create(&l));
    mp_semaphore_t e_as_s = {e.id}, l_as_s = {l.id};
    assert_int_equal(MP_EHANDLE, mp_semaphore_acquire(e_as_s, MP_NOWAIT));
    assert_int_equal(MP_EHANDLE, mp_semaphore_release(e_as_s));
    assert_int_equal(MP_EHANDLE, mp_semaphore_value(l_as_s, &v));
    assert_int_equal(MP_EHANDLE, mp_semaphore_destroy(l_as_s));
    assert_int_equal(MP_EHANDLE, mp_semaphore_acquire(zero, MP_NOWAIT));
    assert_int_equal(MP_EHANDLE, mp_semaphore_release(zero));
    /* the foreign objects were not touched */
    bool set = true, locked = true;
    OK(mp_event_is_set(e, &set));
    assert_false(set);
    OK(mp_lock_locked(l, &locked));
    assert_false(locked);
    OK(mp_semaphore_value(s, &v));
    assert_int_equal(1, v);
    OK(mp_event_destroy(e));
    OK(mp_lock_destroy(l));
    OK(mp_semaphore_destroy(s));
}

static void test_table_full_is_reported(void **state)
{
    (void)state;
    mp_semaphore_t all[MP_CONF_MAX_SEMAPHORES + 1];
    size_t n = 0;
    mp_err_t err = MP_OK;
    while (n <= MP_CONF_MAX_SEMAPHORES && (err = mp_semaphore_create(&all[n], 0, false)) == MP_OK)
        n++;
    assert_int_equal(MP_CONF_MAX_SEMAPHORES, n);
    assert_int_equal(MP_ENOSLOT, err);
    OK(mp_semaphore_destroy(all[0]));
    OK(mp_semaphore_create(&all[0], 0, false)); /* a freed slot is usable again */
    for (size_t i = 0; i < n; i++)
        OK(mp_semaphore_destroy(all[i]));
}

/* ---- across processes ----------------------------------------------------------------- */

typedef struct {
    mp_semaphore_t sem;
    mp_semaphore_t done; /* released by a child once its acquire returned */
    mp_timeout_t timeout;
} acquirer_arg_t;

static int acquirer(void *arg)
{
    acquirer_arg_t *a = arg;
    mp_err_t err = mp_semaphore_acquire(a->sem, a->timeout);
    if (a->done.id != 0)
        (void)mp_semaphore_release(a->done);
    return CODE(err);
}

static void test_child_blocks_in_acquire_until_the_parent_releases(void **state)
{
    (void)state;
    acquirer_arg_t a = {.timeout = MP_FOREVER};
    uint32_t v = 99;
    OK(mp_semaphore_create(&a.sem, 0, false));
    mp_process_t p = spawn(acquirer, &a, sizeof a, MP_DAEMON_YES);
    assert_int_equal(MP_ETIMEDOUT, mp_process_join(p, 20)); /* blocked */
    OK(mp_semaphore_release(a.sem));
    assert_int_equal(0, reap_soon(p));
    OK(mp_semaphore_value(a.sem, &v));
    assert_int_equal(0, v); /* the child took the unit */
    OK(mp_semaphore_destroy(a.sem));
}

static void test_child_acquire_times_out_when_nobody_releases(void **state)
{
    (void)state;
    acquirer_arg_t a = {.timeout = 20};
    OK(mp_semaphore_create(&a.sem, 0, false));
    assert_int_equal(CODE(MP_ETIMEDOUT), run(acquirer, &a, sizeof a));
    a.timeout = MP_NOWAIT;
    assert_int_equal(CODE(MP_EAGAIN), run(acquirer, &a, sizeof a));
    OK(mp_semaphore_release(a.sem));
    assert_int_equal(0, run(acquirer, &a, sizeof a));
    OK(mp_semaphore_destroy(a.sem));
}

static void test_each_release_wakes_one_blocked_child(void **state)
{
    (void)state;
    acquirer_arg_t a = {.timeout = MP_FOREVER};
    uint32_t v = 99;
    OK(mp_semaphore_create(&a.sem, 0, false));
    OK(mp_semaphore_create(&a.done, 0, false));
    mp_process_t p1 = spawn(acquirer, &a, sizeof a, MP_DAEMON_YES);
    mp_process_t p2 = spawn(acquirer, &a, sizeof a, MP_DAEMON_YES);
    assert_int_equal(MP_ETIMEDOUT, mp_semaphore_acquire(a.done, 20)); /* both blocked */
    OK(mp_semaphore_release(a.sem));
    OK(mp_semaphore_acquire(a.done, LONG));                           /* one returned */
    assert_int_equal(MP_ETIMEDOUT, mp_semaphore_acquire(a.done, 20)); /* the other did not */
    OK(mp_semaphore_value(a.sem, &v));
    assert_int_equal(0, v);
    OK(mp_semaphore_release(a.sem));
    OK(mp_semaphore_acquire(a.done, LONG));
    assert_int_equal(0, reap_soon(p1));
    assert_int_equal(0, reap_soon(p2));
    OK(mp_semaphore_value(a.sem, &v));
    assert_int_equal(0, v);
    OK(mp_semaphore_destroy(a.sem));
    OK(mp_semaphore_destroy(a.done));
}

#define CHILDREN 4
#define ROUNDS 200
static MP_SHARED uint32_t counter;
static MP_SHARED uint32_t inside;     /* processes between acquire and release */
static MP_SHARED uint32_t violations; /* times someone found another one inside */

/* A deliberately non-atomic read-modify-write with runtime calls in between, so an
 * interleaving would lose updates if the semaphore did not exclude. */
static int add_under_semaphore(void *arg)
{
    mp_semaphore_t s = *(mp_semaphore_t *)arg;
    for (int i = 0; i < ROUNDS; i++) {
        if (mp_semaphore_acquire(s, MP_FOREVER) != MP_OK)
            return 1;
        if (inside++ != 0)
            violations++;
        uint32_t v = counter;
        mp_process_t me;
        mp_process_self(&me); /* a runtime call: a preemption point on the simulation */
        counter = v + 1;
        inside--;
        if (mp_semaphore_release(s) != MP_OK)
            return 2;
    }
    return 0;
}

static void test_semaphore_of_one_excludes_across_processes(void **state)
{
    (void)state;
    mp_semaphore_t s;
    uint32_t v = 0;
    OK(mp_semaphore_create(&s, 1, true));
    counter = inside = violations = 0;
    mp_process_t p[CHILDREN];
    for (int i = 0; i < CHILDREN; i++)
        p[i] = spawn(add_under_semaphore, &s, sizeof s, MP_DAEMON_YES);
    for (int i = 0; i < CHILDREN; i++)
        assert_int_equal(0, reap_soon(p[i]));
    assert_int_equal(CHILDREN * ROUNDS, counter);
    assert_int_equal(0, violations);
    OK(mp_semaphore_value(s, &v));
    assert_int_equal(1, v);
    OK(mp_semaphore_destroy(s));
}

static int release_it(void *arg)
{
    return CODE(mp_semaphore_release(*(mp_semaphore_t *)arg));
}

static void test_bounded_semaphore_bound_holds_in_every_process(void **state)
{
    (void)state;
    mp_semaphore_t s;
    uint32_t v = 0;
    OK(mp_semaphore_create(&s, 1, true));
    assert_int_equal(CODE(MP_EOVERFLOW), run(release_it, &s, sizeof s));
    OK(mp_semaphore_acquire(s, MP_NOWAIT));
    assert_int_equal(0, run(release_it, &s, sizeof s)); /* a unit may come back from anyone */
    OK(mp_semaphore_value(s, &v));
    assert_int_equal(1, v);
    OK(mp_semaphore_destroy(s));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_acquire_takes_a_unit_and_release_gives_it_back),
        TEST(test_acquire_at_zero_says_eagain_without_wait_and_etimedout_with_one),
        TEST(test_plain_semaphore_may_be_released_above_its_initial_value),
        TEST(test_bounded_semaphore_refuses_release_above_its_initial_value),
        TEST(test_a_bounded_semaphore_of_zero_can_never_be_released),
        TEST(test_destroyed_semaphore_is_stale_even_after_its_slot_is_reused),
        TEST(test_calls_refuse_a_missing_output),
        TEST(test_handles_of_another_kind_are_refused_and_change_nothing),
        TEST(test_table_full_is_reported),
        TEST(test_child_blocks_in_acquire_until_the_parent_releases),
        TEST(test_child_acquire_times_out_when_nobody_releases),
        TEST(test_each_release_wakes_one_blocked_child),
        TEST(test_semaphore_of_one_excludes_across_processes),
        TEST(test_bounded_semaphore_bound_holds_in_every_process),
    };
    return cmocka_run_group_tests_name("semaphore", tests, NULL, NULL);
}
