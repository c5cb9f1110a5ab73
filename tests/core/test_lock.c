/*
 * Lock and RLock, including recovery of a lock whose holder died.
 */
#include "mp_test.h"

/* ---- api ------------------------------------------------------------------------------ */

static void test_a_new_lock_is_free_and_acquire_takes_it(void **state)
{
    (void)state;
    mp_lock_t l;
    bool locked = true;
    OK(mp_lock_create(&l));
    OK(mp_lock_locked(l, &locked));
    assert_false(locked);
    OK(mp_lock_acquire(l, MP_NOWAIT));
    OK(mp_lock_locked(l, &locked));
    assert_true(locked);
    OK(mp_lock_release(l));
    OK(mp_lock_acquire(l, MP_FOREVER));
    OK(mp_lock_release(l));
    OK(mp_lock_destroy(l));
}

static void test_release_of_a_free_lock_is_refused(void **state)
{
    (void)state;
    mp_lock_t l;
    OK(mp_lock_create(&l));
    assert_int_equal(MP_ENOTLOCKED, mp_lock_release(l));
    OK(mp_lock_acquire(l, MP_NOWAIT));
    OK(mp_lock_release(l));
    assert_int_equal(MP_ENOTLOCKED, mp_lock_release(l)); /* released once only */
    OK(mp_lock_destroy(l));
}

static void test_acquire_of_a_held_lock_fails_at_once_or_at_its_deadline(void **state)
{
    (void)state;
    mp_lock_t l;
    OK(mp_lock_create(&l));
    OK(mp_lock_acquire(l, MP_NOWAIT));
    assert_int_equal(MP_EAGAIN, mp_lock_acquire(l, MP_NOWAIT));
    assert_int_equal(MP_ETIMEDOUT, mp_lock_acquire(l, 20));
    OK(mp_lock_release(l));
    OK(mp_lock_destroy(l));
}

static void test_a_held_lock_cannot_be_destroyed(void **state)
{
    (void)state;
    mp_lock_t l;
    OK(mp_lock_create(&l));
    OK(mp_lock_acquire(l, MP_NOWAIT));
    assert_int_equal(MP_EBUSY, mp_lock_destroy(l));
    OK(mp_lock_release(l));
    OK(mp_lock_destroy(l));
}

static void test_a_destroyed_lock_is_stale(void **state)
{
    (void)state;
    mp_lock_t l;
    OK(mp_lock_create(&l));
    OK(mp_lock_destroy(l));
    assert_int_equal(MP_ESTALE, mp_lock_acquire(l, MP_NOWAIT));
    assert_int_equal(MP_ESTALE, mp_lock_release(l));
}

static int release_it(void *arg)
{
    return CODE(mp_lock_release(*(mp_lock_t *)arg));
}

static void test_lock_may_be_released_by_another_process(void **state)
{
    (void)state;
    mp_lock_t l;
    OK(mp_lock_create(&l));
    OK(mp_lock_acquire(l, MP_NOWAIT));
    assert_int_equal(0, run(release_it, &l, sizeof l));
    OK(mp_lock_acquire(l, MP_NOWAIT));
    OK(mp_lock_release(l));
    OK(mp_lock_destroy(l));
}

static int rlock_release_it(void *arg)
{
    return CODE(mp_rlock_release(*(mp_rlock_t *)arg));
}

static int rlock_try(void *arg)
{
    return CODE(mp_rlock_acquire(*(mp_rlock_t *)arg, MP_NOWAIT));
}

/* An RLock this process holds three levels deep. */
static mp_rlock_t rlock_held_three_times(void)
{
    mp_rlock_t r;
    uint32_t depth = 99;
    OK(mp_rlock_create(&r));
    OK(mp_rlock_acquire(r, MP_NOWAIT));
    OK(mp_rlock_acquire(r, MP_NOWAIT));
    OK(mp_rlock_acquire(r, MP_FOREVER));
    OK(mp_rlock_depth(r, &depth));
    assert_int_equal(3, depth);
    return r;
}

static void test_rlock_counts_its_levels_and_is_free_after_as_many_releases(void **state)
{
    (void)state;
    uint32_t depth = 99;
    mp_rlock_t r = rlock_held_three_times();
    OK(mp_rlock_release(r));
    OK(mp_rlock_release(r));
    OK(mp_rlock_release(r));
    OK(mp_rlock_depth(r, &depth));
    assert_int_equal(0, depth);
    OK(mp_rlock_destroy(r));
}

static void test_release_of_a_free_rlock_is_refused(void **state)
{
    (void)state;
    mp_rlock_t r;
    OK(mp_rlock_create(&r));
    assert_int_equal(MP_EPERM, mp_rlock_release(r)); /* unlocked */
    OK(mp_rlock_destroy(r));
    r = rlock_held_three_times();
    for (int i = 0; i < 3; i++)
        OK(mp_rlock_release(r));
    assert_int_equal(MP_EPERM, mp_rlock_release(r)); /* one more than it was taken */
    OK(mp_rlock_destroy(r));
}

static void test_only_the_rlock_owner_may_release_it(void **state)
{
    (void)state;
    mp_rlock_t r = rlock_held_three_times();
    assert_int_equal(CODE(MP_EPERM), run(rlock_release_it, &r, sizeof r));
    for (int i = 0; i < 3; i++)
        OK(mp_rlock_release(r));
    OK(mp_rlock_destroy(r));
}

static void test_an_rlock_is_busy_for_others_until_its_last_level_is_released(void **state)
{
    (void)state;
    mp_rlock_t r = rlock_held_three_times();
    assert_int_equal(CODE(MP_EAGAIN), run(rlock_try, &r, sizeof r));
    OK(mp_rlock_release(r));
    OK(mp_rlock_release(r));
    assert_int_equal(CODE(MP_EAGAIN), run(rlock_try, &r, sizeof r)); /* still held once */
    OK(mp_rlock_release(r));
    assert_int_equal(0, run(rlock_try, &r, sizeof r)); /* free now; the child ends holding it */
    assert_int_equal(MP_EOWNERDEAD, mp_rlock_acquire(r, MP_NOWAIT));
    OK(mp_rlock_release(r));
    OK(mp_rlock_destroy(r));
}

static void test_an_rlock_whose_owner_ended_holding_it_is_taken_at_depth_one(void **state)
{
    (void)state;
    mp_rlock_t r;
    uint32_t depth = 99;
    OK(mp_rlock_create(&r));
    assert_int_equal(0, run(rlock_try, &r, sizeof r)); /* the child ends holding it */
    /* ... and so the next acquirer is told the owner died */
    assert_int_equal(MP_EOWNERDEAD, mp_rlock_acquire(r, MP_NOWAIT));
    OK(mp_rlock_depth(r, &depth));
    assert_int_equal(1, depth);
    OK(mp_rlock_release(r));
    OK(mp_rlock_destroy(r));
}

/* RLock's locked(): whether it is held, and by which process (CPython's repr shows the
 * owner), including one that ended holding it, until it is taken over. */
static void test_rlock_locked_names_its_holder(void **state)
{
    (void)state;
    mp_rlock_t r;
    mp_process_t me, holder = {12345};
    bool locked = true;
    OK(mp_process_self(&me));
    OK(mp_rlock_create(&r));
    OK(mp_rlock_locked(r, &locked, &holder));
    assert_false(locked);
    assert_int_equal(0, holder.id);
    OK(mp_rlock_acquire(r, MP_NOWAIT));
    OK(mp_rlock_acquire(r, MP_NOWAIT));
    OK(mp_rlock_locked(r, &locked, &holder));
    assert_true(locked);
    assert_int_equal(me.id, holder.id);
    OK(mp_rlock_locked(r, &locked, NULL)); /* who is optional */
    OK(mp_rlock_release(r));
    OK(mp_rlock_release(r));
    mp_process_t child = spawn(rlock_try, &r, sizeof r, MP_DAEMON_INHERIT);
    assert_int_equal(0, reap(child)); /* it ends holding it */
    OK(mp_rlock_locked(r, &locked, &holder));
    assert_true(locked);
    assert_int_equal(child.id, holder.id);
    assert_int_equal(MP_EOWNERDEAD, mp_rlock_acquire(r, MP_NOWAIT));
    OK(mp_rlock_locked(r, &locked, &holder));
    assert_int_equal(me.id, holder.id);
    OK(mp_rlock_release(r));
    assert_int_equal(MP_EINVAL, mp_rlock_locked(r, NULL, &holder));
    OK(mp_rlock_destroy(r));
    assert_int_equal(MP_ESTALE, mp_rlock_locked(r, &locked, &holder));
}

static void test_handles_of_another_kind_are_refused(void **state)
{
    (void)state;
    mp_lock_t l;
    mp_rlock_t r;
    OK(mp_lock_create(&l));
    OK(mp_rlock_create(&r));
    mp_rlock_t l_as_r = {l.id};
    mp_lock_t r_as_l = {r.id}, zero = {0};
    assert_int_equal(MP_EHANDLE, mp_rlock_acquire(l_as_r, MP_NOWAIT));
    assert_int_equal(MP_EHANDLE, mp_lock_release(r_as_l));
    assert_int_equal(MP_EHANDLE, mp_lock_acquire(zero, MP_NOWAIT));
    OK(mp_lock_destroy(l));
    OK(mp_rlock_destroy(r));
}

static void test_calls_refuse_a_missing_output(void **state)
{
    (void)state;
    mp_lock_t l;
    mp_rlock_t r;
    OK(mp_lock_create(&l));
    OK(mp_rlock_create(&r));
    assert_int_equal(MP_EINVAL, mp_lock_create(NULL));
    assert_int_equal(MP_EINVAL, mp_lock_locked(l, NULL));
    assert_int_equal(MP_EINVAL, mp_rlock_depth(r, NULL));
    OK(mp_lock_destroy(l));
    OK(mp_rlock_destroy(r));
}

static void test_table_full_is_reported(void **state)
{
    (void)state;
    mp_lock_t all[MP_CONF_MAX_LOCKS + 1];
    size_t n = 0;
    mp_err_t err;
    while ((err = mp_lock_create(&all[n])) == MP_OK)
        n++;
    assert_int_equal(MP_ENOSLOT, err);
    assert_true(n > 0 && n <= MP_CONF_MAX_LOCKS);
    for (size_t i = 0; i < n; i++)
        OK(mp_lock_destroy(all[i]));
}

/* ---- mutual exclusion across processes ----------------------------------------------- */

#define ROUNDS 200
static MP_SHARED uint32_t counter;

/* A deliberately non-atomic read-modify-write with runtime calls in between, so an
 * interleaving would lose updates if the lock did not exclude. */
static int add_under_lock(void *arg)
{
    mp_lock_t l = *(mp_lock_t *)arg;
    for (int i = 0; i < ROUNDS; i++) {
        if (mp_lock_acquire(l, MP_FOREVER) != MP_OK)
            return 1;
        uint32_t v = counter;
        mp_process_t me;
        mp_process_self(&me); /* a runtime call: a preemption point on the simulation */
        counter = v + 1;
        if (mp_lock_release(l) != MP_OK)
            return 2;
    }
    return 0;
}

static void test_lock_excludes_across_processes(void **state)
{
    (void)state;
    mp_lock_t l;
    OK(mp_lock_create(&l));
    counter = 0;
    mp_process_t p[4];
    for (int i = 0; i < 4; i++)
        p[i] = spawn(add_under_lock, &l, sizeof l, MP_DAEMON_NO);
    for (int i = 0; i < 4; i++)
        assert_int_equal(0, reap(p[i]));
    assert_int_equal(4 * ROUNDS, counter);
    OK(mp_lock_destroy(l));
}

/* ---- owner death --------------------------------------------------------------------- */

typedef struct {
    mp_lock_t lock;
    test_signal_t holding; /* posted by the holder once it has the lock */
    test_signal_t waiting; /* posted by each waiter just before it blocks */
    test_signal_t go;      /* posted by main once the waiters wait: time to die */
    int how;               /* 0 wait to be killed, 1 return holding it, 2 crash */
} holder_arg_t;

static int holder(void *arg)
{
    holder_arg_t *a = arg;
    if (mp_lock_acquire(a->lock, MP_FOREVER) != MP_OK)
        return 1;
    signal_post(a->holding);
    signal_wait(a->go, MP_FOREVER); /* how 0: never posted, so this blocks until killed */
    if (a->how == 2) {
        volatile int *volatile bad = BAD_ADDRESS;
        *bad = 1;
    }
    return 0; /* ends without releasing */
}

/* Waits on the lock; reports what acquire said, then releases. */
static int waiter(void *arg)
{
    holder_arg_t *a = arg;
    signal_post(a->waiting);
    mp_err_t err = mp_lock_acquire(a->lock, MP_FOREVER);
    if (err == MP_OK || err == MP_EOWNERDEAD)
        mp_lock_release(a->lock);
    return CODE(err);
}

static void holder_dies_while_two_wait(int how, int sig, int expected_code)
{
    holder_arg_t a = {.how = how};
    OK(mp_lock_create(&a.lock));
    signal_init(&a.holding);
    signal_init(&a.waiting);
    signal_init(&a.go);
    mp_process_t h = spawn_until(a.holding, holder, &a, sizeof a, MP_DAEMON_NO);
    mp_process_t w1 = spawn_until(a.waiting, waiter, &a, sizeof a, MP_DAEMON_NO);
    mp_process_t w2 = spawn_until(a.waiting, waiter, &a, sizeof a, MP_DAEMON_NO);
    /* Give both waiters the chance to fall asleep on the lock (the result below holds
     * whether or not they did). */
    assert_int_equal(MP_ETIMEDOUT, mp_process_join(w1, 20));
    if (sig != 0)
        OK(sig == MP_SIGTERM ? mp_process_terminate(h) : mp_process_kill(h));
    else
        OK(signal_post(a.go));
    assert_int_equal(expected_code, reap(h));
    int c1 = reap(w1), c2 = reap(w2);
    /* exactly one acquirer hears of the death; the other gets a plain lock */
    assert_true((c1 == CODE(MP_EOWNERDEAD) && c2 == 0) || (c1 == 0 && c2 == CODE(MP_EOWNERDEAD)));
    OK(mp_lock_acquire(a.lock, MP_NOWAIT));
    OK(mp_lock_release(a.lock));
    OK(mp_lock_destroy(a.lock));
    signal_destroy(&a.holding);
    signal_destroy(&a.waiting);
    signal_destroy(&a.go);
}

static void test_lock_recovered_after_holder_is_killed(void **state)
{
    (void)state;
    holder_dies_while_two_wait(0, MP_SIGKILL, -MP_SIGKILL);
}

static void test_lock_recovered_after_holder_is_terminated(void **state)
{
    (void)state;
    holder_dies_while_two_wait(0, MP_SIGTERM, -MP_SIGTERM);
}

static void test_lock_recovered_after_holder_crashes(void **state)
{
    (void)state;
    holder_dies_while_two_wait(2, 0, -MP_SIGSEGV);
}

static void test_lock_recovered_after_holder_returns_holding_it(void **state)
{
    (void)state;
    holder_dies_while_two_wait(1, 0, 0);
}

typedef struct {
    mp_rlock_t lock;
    test_signal_t holding;
    mp_lock_t block; /* held by main for good: the holder waits on it until killed */
} rholder_arg_t;

static int rholder(void *arg)
{
    rholder_arg_t *a = arg;
    mp_rlock_acquire(a->lock, MP_FOREVER);
    mp_rlock_acquire(a->lock, MP_FOREVER);
    signal_post(a->holding);
    mp_lock_acquire(a->block, MP_FOREVER);
    return 0;
}

static void test_rlock_recovered_after_holder_is_killed(void **state)
{
    (void)state;
    rholder_arg_t a;
    OK(mp_rlock_create(&a.lock));
    signal_init(&a.holding);
    OK(mp_lock_create(&a.block));
    OK(mp_lock_acquire(a.block, MP_NOWAIT));
    mp_process_t h = spawn_until(a.holding, rholder, &a, sizeof a, MP_DAEMON_NO);
    assert_int_equal(MP_EAGAIN, mp_rlock_acquire(a.lock, MP_NOWAIT));
    OK(mp_process_kill(h));
    assert_int_equal(-MP_SIGKILL, reap(h));
    assert_int_equal(MP_EOWNERDEAD, mp_rlock_acquire(a.lock, MP_FOREVER));
    uint32_t depth;
    OK(mp_rlock_depth(a.lock, &depth));
    assert_int_equal(1, depth); /* the dead owner's depth is not inherited */
    OK(mp_rlock_release(a.lock));
    OK(mp_rlock_acquire(a.lock, MP_NOWAIT)); /* reported once only */
    OK(mp_rlock_release(a.lock));
    OK(mp_rlock_destroy(a.lock));
    signal_destroy(&a.holding);
    OK(mp_lock_release(a.block));
    OK(mp_lock_destroy(a.block));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_a_new_lock_is_free_and_acquire_takes_it),
        TEST(test_release_of_a_free_lock_is_refused),
        TEST(test_acquire_of_a_held_lock_fails_at_once_or_at_its_deadline),
        TEST(test_a_held_lock_cannot_be_destroyed),
        TEST(test_a_destroyed_lock_is_stale),
        TEST(test_lock_may_be_released_by_another_process),
        TEST(test_rlock_counts_its_levels_and_is_free_after_as_many_releases),
        TEST(test_release_of_a_free_rlock_is_refused),
        TEST(test_only_the_rlock_owner_may_release_it),
        TEST(test_an_rlock_is_busy_for_others_until_its_last_level_is_released),
        TEST(test_an_rlock_whose_owner_ended_holding_it_is_taken_at_depth_one),
        TEST(test_rlock_locked_names_its_holder),
        TEST(test_handles_of_another_kind_are_refused),
        TEST(test_calls_refuse_a_missing_output),
        TEST(test_table_full_is_reported),
        TEST(test_lock_excludes_across_processes),
        TEST(test_lock_recovered_after_holder_is_killed),
        TEST(test_lock_recovered_after_holder_is_terminated),
        TEST(test_lock_recovered_after_holder_crashes),
        TEST(test_lock_recovered_after_holder_returns_holding_it),
        TEST(test_rlock_recovered_after_holder_is_killed),
    };
    return cmocka_run_group_tests_name("lock", tests, NULL, NULL);
}
