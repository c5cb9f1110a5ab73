/*
 * Condition (CPython's synchronize.Condition), including its caller-provided locks and a
 * waiter that dies: notify never blocks and wakes a live waiter instead.
 */
#include "mp_test.h"

#define MAX_WAITERS 4

/* ---- waiters -------------------------------------------------------------------------- */

static MP_SHARED uint32_t order[MAX_WAITERS]; /* ids, in the order they started waiting */
static MP_SHARED uint32_t n_order;

typedef struct {
    mp_condition_t c;
    mp_semaphore_t ready; /* released by a waiter with the lock held, just before wait */
    mp_semaphore_t done;  /* released by a waiter once its wait returned */
    mp_timeout_t timeout;
    uint32_t id;
} waiter_arg_t;

/* Waits on the condition once. Exit code: CODE(what wait said), or 100+ when the lock
 * was not held again after the wait. */
static int waiter(void *arg)
{
    waiter_arg_t *a = arg;
    if (mp_condition_acquire(a->c, MP_FOREVER) != MP_OK)
        return 100;
    order[n_order++] = a->id;
    (void)mp_semaphore_release(a->ready);
    mp_err_t err = mp_condition_wait(a->c, a->timeout);
    mp_err_t rel = mp_condition_release(a->c); /* fails unless wait gave the lock back */
    (void)mp_semaphore_release(a->done);
    return rel != MP_OK ? 101 : CODE(err);
}

static void waiters_init(waiter_arg_t *a, mp_timeout_t timeout)
{
    OK(mp_condition_create(&a->c, NULL));
    OK(mp_semaphore_create(&a->ready, 0, false));
    OK(mp_semaphore_create(&a->done, 0, false));
    a->timeout = timeout;
    n_order = 0;
}

static void waiters_destroy(waiter_arg_t *a)
{
    OK(mp_condition_destroy(a->c));
    OK(mp_semaphore_destroy(a->ready));
    OK(mp_semaphore_destroy(a->done));
}

/* Starts n waiters and returns once every one of them waits: each announced itself with
 * the lock held, and the lock is free again only once its holder is inside wait. */
static void start_waiters(waiter_arg_t *a, mp_process_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        a->id = i;
        p[i] = spawn(waiter, a, sizeof *a, MP_DAEMON_YES);
    }
    for (uint32_t i = 0; i < n; i++)
        OK(mp_semaphore_acquire(a->ready, LONG));
    OK(mp_condition_acquire(a->c, LONG));
    assert_int_equal(n, n_order);
    OK(mp_condition_release(a->c));
}

static void notify(mp_condition_t c, uint32_t n)
{
    OK(mp_condition_acquire(c, LONG));
    OK(n == UINT32_MAX ? mp_condition_notify_all(c) : mp_condition_notify(c, n));
    OK(mp_condition_release(c));
}

/* Tries the condition's lock from a child: CODE(what acquire said); releases it after. */
static int try_lock(void *arg)
{
    mp_condition_t c = *(mp_condition_t *)arg;
    mp_err_t err = mp_condition_acquire(c, MP_NOWAIT);
    if (err == MP_OK)
        (void)mp_condition_release(c);
    return CODE(err);
}

/* ---- the lock rule -------------------------------------------------------------------- */

static bool always(void *arg)
{
    (void)arg;
    return true;
}

static bool never(void *arg)
{
    (void)arg;
    return false;
}

static void test_wait_and_notify_without_the_lock_are_refused_and_change_nothing(void **state)
{
    (void)state;
    waiter_arg_t a;
    mp_process_t p[1];
    waiters_init(&a, MP_FOREVER);
    assert_int_equal(MP_EPERM, mp_condition_wait(a.c, 20));
    assert_int_equal(MP_EPERM, mp_condition_wait(a.c, LONG)); /* would time out if it waited */
    /* (a predicate already true would return before waiting, as in CPython) */
    assert_int_equal(MP_EPERM, mp_condition_wait_for(a.c, never, NULL, LONG));
    assert_int_equal(MP_EPERM, mp_condition_notify(a.c, 1));
    assert_int_equal(MP_EPERM, mp_condition_notify_all(a.c));
    /* the failed calls did not take the lock ... */
    assert_int_equal(0, run(try_lock, &a.c, sizeof a.c));
    /* ... nor leave the main process registered as a waiter: notify(1) would pick it, the
     * oldest, instead of the child */
    start_waiters(&a, p, 1);
    notify(a.c, 1);
    OK(mp_semaphore_acquire(a.done, LONG));
    assert_int_equal(0, reap_soon(p[0]));
    waiters_destroy(&a);
}

typedef struct {
    mp_condition_t c;
    mp_semaphore_t holding; /* released once the child holds the lock */
    mp_semaphore_t go;      /* released by main: time to let the lock go */
} lock_holder_t;

static int holder(void *arg)
{
    lock_holder_t *a = arg;
    if (mp_condition_acquire(a->c, MP_FOREVER) != MP_OK)
        return 1;
    (void)mp_semaphore_release(a->holding);
    (void)mp_semaphore_acquire(a->go, MP_FOREVER);
    return CODE(mp_condition_release(a->c));
}

static void test_wait_and_notify_while_another_process_holds_the_lock_are_refused(void **state)
{
    (void)state;
    lock_holder_t a;
    OK(mp_condition_create(&a.c, NULL));
    OK(mp_semaphore_create(&a.holding, 0, false));
    OK(mp_semaphore_create(&a.go, 0, false));
    mp_process_t p = spawn(holder, &a, sizeof a, MP_DAEMON_YES);
    OK(mp_semaphore_acquire(a.holding, LONG));
    assert_int_equal(MP_EPERM, mp_condition_wait(a.c, LONG));
    assert_int_equal(MP_EPERM, mp_condition_notify(a.c, 1));
    assert_int_equal(MP_EPERM, mp_condition_notify_all(a.c));
    assert_int_equal(MP_EPERM, mp_condition_release(a.c));
    assert_int_equal(MP_EAGAIN, mp_condition_acquire(a.c, MP_NOWAIT));
    OK(mp_semaphore_release(a.go));
    assert_int_equal(0, reap_soon(p)); /* its release worked: the refused calls took nothing */
    OK(mp_condition_acquire(a.c, MP_NOWAIT));
    OK(mp_condition_release(a.c));
    OK(mp_condition_destroy(a.c));
    OK(mp_semaphore_destroy(a.holding));
    OK(mp_semaphore_destroy(a.go));
}

/* ---- notify --------------------------------------------------------------------------- */

static void test_notify_with_no_waiters_does_nothing_and_is_not_remembered(void **state)
{
    (void)state;
    mp_condition_t c;
    OK(mp_condition_create(&c, NULL));
    OK(mp_condition_acquire(c, MP_FOREVER));
    OK(mp_condition_notify(c, 1));
    OK(mp_condition_notify(c, 5));
    OK(mp_condition_notify(c, 0));
    OK(mp_condition_notify_all(c));
    assert_int_equal(MP_ETIMEDOUT, mp_condition_wait(c, 20)); /* earlier notifies are gone */
    OK(mp_condition_release(c));
    OK(mp_condition_destroy(c));
}

static void test_notify_one_wakes_exactly_one_waiter_the_longest_waiting(void **state)
{
    (void)state;
    waiter_arg_t a;
    mp_process_t p[2];
    waiters_init(&a, MP_FOREVER);
    start_waiters(&a, p, 2);
    uint32_t first = order[0], second = order[1];
    notify(a.c, 1);
    OK(mp_semaphore_acquire(a.done, LONG));                           /* one woke */
    assert_int_equal(MP_ETIMEDOUT, mp_semaphore_acquire(a.done, 20)); /* only one */
    OK(mp_process_join(p[first], LONG));               /* and it was the first to wait */
    assert_int_equal(0, reap_soon(p[first]));
    assert_int_equal(MP_ETIMEDOUT, mp_process_join(p[second], 20)); /* still waiting */
    notify(a.c, 1);
    OK(mp_semaphore_acquire(a.done, LONG));
    assert_int_equal(0, reap_soon(p[second]));
    waiters_destroy(&a);
}

static void test_notify_n_wakes_n_and_notify_all_wakes_the_rest(void **state)
{
    (void)state;
    waiter_arg_t a;
    mp_process_t p[4];
    waiters_init(&a, MP_FOREVER);
    start_waiters(&a, p, 4);
    notify(a.c, 2);
    OK(mp_semaphore_acquire(a.done, LONG));
    OK(mp_semaphore_acquire(a.done, LONG));
    assert_int_equal(MP_ETIMEDOUT, mp_semaphore_acquire(a.done, 20)); /* two only */
    assert_int_equal(0, reap_soon(p[order[0]]));
    assert_int_equal(0, reap_soon(p[order[1]]));
    notify(a.c, UINT32_MAX);
    OK(mp_semaphore_acquire(a.done, LONG));
    OK(mp_semaphore_acquire(a.done, LONG));
    assert_int_equal(0, reap_soon(p[order[2]]));
    assert_int_equal(0, reap_soon(p[order[3]]));
    waiters_destroy(&a);
}

static void test_notify_all_wakes_every_waiter(void **state)
{
    (void)state;
    waiter_arg_t a;
    mp_process_t p[3];
    waiters_init(&a, MP_FOREVER);
    start_waiters(&a, p, 3);
    notify(a.c, UINT32_MAX);
    for (int i = 0; i < 3; i++)
        OK(mp_semaphore_acquire(a.done, LONG));
    for (int i = 0; i < 3; i++)
        assert_int_equal(0, reap_soon(p[i]));
    waiters_destroy(&a);
}

static void test_waiters_that_timed_out_are_not_counted_by_notify(void **state)
{
    (void)state;
    waiter_arg_t a;
    mp_process_t p[1];
    waiters_init(&a, 20);
    a.id = 0;
    assert_int_equal(CODE(MP_ETIMEDOUT), run(waiter, &a, sizeof a)); /* came and went */
    OK(mp_semaphore_acquire(a.ready, MP_NOWAIT)); /* its child has ended */
    OK(mp_semaphore_acquire(a.done, MP_NOWAIT));
    n_order = 0;
    a.timeout = MP_FOREVER;
    start_waiters(&a, p, 1);
    notify(a.c, 1); /* goes to the live waiter */
    OK(mp_semaphore_acquire(a.done, LONG));
    assert_int_equal(0, reap_soon(p[0]));
    waiters_destroy(&a);
}

static void test_notify_wakes_a_live_waiter_when_the_longest_waiting_was_killed(void **state)
{
    (void)state;
    waiter_arg_t a;
    mp_process_t p[2];
    waiters_init(&a, MP_FOREVER);
    start_waiters(&a, p, 2);
    uint32_t victim = order[0], survivor = order[1];
    OK(mp_process_kill(p[victim]));
    assert_int_equal(-MP_SIGKILL, reap_soon(p[victim]));
    notify(a.c, 1); /* returns at once, and skips the dead one */
    OK(mp_semaphore_acquire(a.done, LONG));
    OK(mp_process_join(p[survivor], LONG));
    assert_int_equal(0, reap_soon(p[survivor]));
    /* the condition still works for newcomers */
    n_order = 0;
    start_waiters(&a, p, 1);
    notify(a.c, 1);
    OK(mp_semaphore_acquire(a.done, LONG));
    assert_int_equal(0, reap_soon(p[0]));
    waiters_destroy(&a);
}

/* ---- wait ------------------------------------------------------------------------------ */

static void test_wait_timeout_returns_etimedout_with_the_lock_held_again(void **state)
{
    (void)state;
    mp_condition_t c;
    OK(mp_condition_create(&c, NULL));
    OK(mp_condition_acquire(c, MP_FOREVER));
    OK(mp_condition_acquire(c, MP_FOREVER)); /* its own lock is an RLock */
    assert_int_equal(MP_ETIMEDOUT, mp_condition_wait(c, 20));
    assert_int_equal(MP_EAGAIN, mp_condition_wait(c, MP_NOWAIT));
    OK(mp_condition_notify(c, 1)); /* allowed: the lock is held */
    assert_int_equal(CODE(MP_EAGAIN), run(try_lock, &c, sizeof c));
    OK(mp_condition_release(c));
    assert_int_equal(CODE(MP_EAGAIN), run(try_lock, &c, sizeof c)); /* both levels back */
    OK(mp_condition_release(c));
    assert_int_equal(MP_EPERM, mp_condition_release(c));
    assert_int_equal(0, run(try_lock, &c, sizeof c));
    OK(mp_condition_destroy(c));
}

/* Takes the condition's lock (possible only while the waiter is inside wait), notifies. */
static int notifier(void *arg)
{
    mp_condition_t c = *(mp_condition_t *)arg;
    mp_err_t err = mp_condition_acquire(c, MP_FOREVER);
    if (err != MP_OK)
        return CODE(err);
    err = mp_condition_notify(c, 1);
    mp_err_t rel = mp_condition_release(c);
    return CODE(err != MP_OK ? err : rel);
}

static void test_wait_releases_every_level_of_its_own_rlock_and_restores_them(void **state)
{
    (void)state;
    mp_condition_t c;
    OK(mp_condition_create(&c, NULL));
    OK(mp_condition_acquire(c, MP_FOREVER));
    OK(mp_condition_acquire(c, MP_FOREVER));
    mp_process_t p = spawn(notifier, &c, sizeof c, MP_DAEMON_YES);
    OK(mp_condition_wait(c, LONG));
    assert_int_equal(0, reap_soon(p));
    OK(mp_condition_release(c));
    assert_int_equal(CODE(MP_EAGAIN), run(try_lock, &c, sizeof c));
    OK(mp_condition_release(c));
    assert_int_equal(MP_EPERM, mp_condition_release(c));
    OK(mp_condition_destroy(c));
}

/* A condition over a caller's Lock, acquired through the condition. */
static mp_condition_t held_over_a_caller_lock(mp_lock_t *l)
{
    mp_condition_t c;
    OK(mp_lock_create(l));
    OK(mp_condition_create(&c, &(mp_condition_attr_t){.kind = MP_CONDITION_LOCK, .lock = *l}));
    OK(mp_condition_acquire(c, MP_NOWAIT));
    return c;
}

static void test_a_condition_over_a_caller_lock_takes_that_lock(void **state)
{
    (void)state;
    mp_lock_t l;
    bool locked = false;
    mp_condition_t c = held_over_a_caller_lock(&l);
    OK(mp_lock_locked(l, &locked));
    assert_true(locked); /* the condition's lock is that lock */
    assert_int_equal(MP_EAGAIN, mp_lock_acquire(l, MP_NOWAIT));
    OK(mp_condition_release(c));
    OK(mp_condition_destroy(c));
    OK(mp_lock_destroy(l));
}

static void test_wait_lets_a_caller_lock_go_and_takes_it_back(void **state)
{
    (void)state;
    mp_lock_t l;
    bool locked = false;
    mp_condition_t c = held_over_a_caller_lock(&l);
    mp_process_t p = spawn(notifier, &c, sizeof c, MP_DAEMON_YES);
    OK(mp_condition_wait(c, LONG)); /* the notifier got in: wait let the lock go */
    assert_int_equal(0, reap_soon(p));
    OK(mp_lock_locked(l, &locked));
    assert_true(locked); /* and took it back */
    assert_int_equal(MP_ETIMEDOUT, mp_condition_wait(c, 20));
    OK(mp_lock_locked(l, &locked));
    assert_true(locked);
    OK(mp_condition_release(c));
    OK(mp_condition_destroy(c));
    OK(mp_lock_destroy(l));
}

static void test_a_caller_lock_and_its_condition_are_released_and_taken_as_one(void **state)
{
    (void)state;
    mp_lock_t l;
    bool locked = false;
    mp_condition_t c = held_over_a_caller_lock(&l);
    OK(mp_lock_release(l)); /* releasing the lock itself releases the condition's */
    assert_int_equal(MP_EPERM, mp_condition_wait(c, 20));
    OK(mp_lock_acquire(l, MP_NOWAIT)); /* and the other way round */
    OK(mp_condition_notify(c, 1));
    OK(mp_condition_release(c));
    OK(mp_lock_locked(l, &locked));
    assert_false(locked);
    OK(mp_condition_destroy(c));
    OK(mp_lock_destroy(l));
}

static void test_a_caller_lock_outlives_its_condition(void **state)
{
    (void)state;
    mp_lock_t l;
    mp_condition_t c = held_over_a_caller_lock(&l);
    OK(mp_condition_release(c));
    OK(mp_condition_destroy(c));
    OK(mp_lock_acquire(l, MP_NOWAIT)); /* the caller's lock outlives the condition */
    OK(mp_lock_release(l));
    OK(mp_lock_destroy(l));
}

/* A condition over a caller's RLock, held three levels deep: two taken through the
 * RLock, the third through the condition. */
static mp_condition_t held_over_a_caller_rlock_three_times(mp_rlock_t *r)
{
    mp_condition_t c;
    uint32_t depth = 0;
    OK(mp_rlock_create(r));
    OK(mp_condition_create(&c, &(mp_condition_attr_t){.kind = MP_CONDITION_RLOCK, .rlock = *r}));
    OK(mp_rlock_acquire(*r, MP_FOREVER));
    OK(mp_rlock_acquire(*r, MP_FOREVER));
    OK(mp_condition_acquire(c, MP_FOREVER));
    OK(mp_rlock_depth(*r, &depth));
    assert_int_equal(3, depth);
    return c;
}

static void release_all_three(mp_condition_t c, mp_rlock_t r)
{
    OK(mp_rlock_release(r));
    OK(mp_rlock_release(r));
    OK(mp_condition_release(c));
}

static void test_wait_lets_every_level_of_a_caller_rlock_go_and_restores_them(void **state)
{
    (void)state;
    mp_rlock_t r;
    uint32_t depth = 0;
    mp_condition_t c = held_over_a_caller_rlock_three_times(&r);
    mp_process_t p = spawn(notifier, &c, sizeof c, MP_DAEMON_YES);
    OK(mp_condition_wait(c, LONG)); /* the notifier got in: every level was let go */
    assert_int_equal(0, reap_soon(p));
    OK(mp_rlock_depth(r, &depth));
    assert_int_equal(3, depth);
    assert_int_equal(MP_ETIMEDOUT, mp_condition_wait(c, 20));
    OK(mp_rlock_depth(r, &depth));
    assert_int_equal(3, depth);
    release_all_three(c, r);
    OK(mp_condition_destroy(c));
    OK(mp_rlock_destroy(r));
}

static void test_a_caller_rlock_and_its_condition_count_the_same_levels(void **state)
{
    (void)state;
    mp_rlock_t r;
    uint32_t depth = 0;
    mp_condition_t c = held_over_a_caller_rlock_three_times(&r);
    OK(mp_rlock_release(r));
    OK(mp_rlock_release(r));
    assert_int_equal(CODE(MP_EAGAIN), run(try_lock, &c, sizeof c)); /* one level left */
    OK(mp_condition_release(c));
    OK(mp_rlock_depth(r, &depth));
    assert_int_equal(0, depth);
    assert_int_equal(MP_EPERM, mp_rlock_release(r));
    OK(mp_condition_destroy(c));
    OK(mp_rlock_destroy(r));
}

static void test_a_caller_rlock_outlives_its_condition(void **state)
{
    (void)state;
    mp_rlock_t r;
    mp_condition_t c = held_over_a_caller_rlock_three_times(&r);
    release_all_three(c, r);
    OK(mp_condition_destroy(c));
    OK(mp_rlock_acquire(r, MP_NOWAIT)); /* the caller's rlock outlives the condition */
    OK(mp_rlock_release(r));
    OK(mp_rlock_destroy(r));
}

/* ---- wait_for --------------------------------------------------------------------------- */

static MP_SHARED uint32_t level;       /* the state the predicate looks at */
static MP_SHARED uint32_t evaluations; /* times the predicate ran */

typedef struct {
    uint32_t target;
    mp_semaphore_t checked; /* released at every evaluation, when set */
} pred_arg_t;

static bool level_reached(void *arg)
{
    pred_arg_t *p = arg;
    evaluations++;
    if (p->checked.id != 0)
        (void)mp_semaphore_release(p->checked);
    return level >= p->target;
}

static void test_wait_for_a_predicate_true_at_once_returns_at_once(void **state)
{
    (void)state;
    mp_condition_t c;
    pred_arg_t pa = {.target = 0};
    OK(mp_condition_create(&c, NULL));
    level = 0;
    evaluations = 0;
    OK(mp_condition_acquire(c, MP_FOREVER));
    OK(mp_condition_wait_for(c, level_reached, &pa, MP_NOWAIT));
    OK(mp_condition_wait_for(c, level_reached, &pa, MP_FOREVER)); /* no waiting at all */
    assert_int_equal(2, evaluations);
    OK(mp_condition_release(c));
    assert_int_equal(MP_EPERM, mp_condition_release(c));
    OK(mp_condition_destroy(c));
}

static void test_wait_for_a_predicate_never_true_times_out_with_the_lock_held(void **state)
{
    (void)state;
    mp_condition_t c;
    pred_arg_t pa = {.target = 1};
    OK(mp_condition_create(&c, NULL));
    level = 0;
    evaluations = 0;
    OK(mp_condition_acquire(c, MP_FOREVER));
    assert_int_equal(MP_ETIMEDOUT, mp_condition_wait_for(c, level_reached, &pa, 20));
    assert_true(evaluations >= 1);
    assert_int_equal(MP_EAGAIN, mp_condition_wait_for(c, level_reached, &pa, MP_NOWAIT));
    OK(mp_condition_notify(c, 1)); /* the lock is held again */
    assert_int_equal(CODE(MP_EAGAIN), run(try_lock, &c, sizeof c));
    OK(mp_condition_release(c));
    assert_int_equal(MP_EPERM, mp_condition_release(c));
    OK(mp_condition_destroy(c));
}

typedef struct {
    mp_condition_t c;
    mp_semaphore_t checked;
    uint32_t steps;
} producer_arg_t;

/* Raises level one step at a time, each time after the waiter's predicate looked. */
static int producer(void *arg)
{
    producer_arg_t *a = arg;
    for (uint32_t k = 1; k <= a->steps; k++) {
        if (mp_semaphore_acquire(a->checked, MP_FOREVER) != MP_OK)
            return 1;
        if (mp_condition_acquire(a->c, MP_FOREVER) != MP_OK)
            return 2;
        level = k;
        if (mp_condition_notify(a->c, 1) != MP_OK)
            return 3;
        if (mp_condition_release(a->c) != MP_OK)
            return 4;
    }
    return 0;
}

static void test_wait_for_returns_once_the_producer_makes_the_predicate_true(void **state)
{
    (void)state;
    producer_arg_t a = {.steps = 3};
    pred_arg_t pa = {.target = 3};
    uint32_t v = 99;
    OK(mp_condition_create(&a.c, NULL));
    OK(mp_semaphore_create(&a.checked, 0, false));
    pa.checked = a.checked;
    level = 0;
    evaluations = 0;
    OK(mp_condition_acquire(a.c, MP_FOREVER));
    mp_process_t p = spawn(producer, &a, sizeof a, MP_DAEMON_YES);
    OK(mp_condition_wait_for(a.c, level_reached, &pa, LONG));
    assert_int_equal(3, level);
    /* looked at 0, 1 and 2 (false: waited again after each notify), then at 3 */
    assert_int_equal(4, evaluations);
    OK(mp_condition_release(a.c));
    assert_int_equal(0, reap_soon(p));
    OK(mp_semaphore_value(a.checked, &v));
    assert_int_equal(1, v); /* the last evaluation's, which nobody waited for */
    OK(mp_condition_destroy(a.c));
    OK(mp_semaphore_destroy(a.checked));
}

/* ---- handles and arguments --------------------------------------------------------- */

static void test_create_refuses_a_bad_kind_or_a_lock_of_the_wrong_kind(void **state)
{
    (void)state;
    mp_condition_t c;
    mp_lock_t l;
    mp_rlock_t r;
    OK(mp_lock_create(&l));
    OK(mp_rlock_create(&r));
    assert_int_equal(MP_EINVAL, mp_condition_create(NULL, NULL));
    assert_int_equal(MP_EINVAL,
                     mp_condition_create(&c, &(mp_condition_attr_t){.kind = 7, .lock = l}));
    /* a Lock passed as an RLock, an RLock as a Lock, no lock at all */
    assert_int_equal(MP_EHANDLE, mp_condition_create(&c, &(mp_condition_attr_t){
                                                             .kind = MP_CONDITION_RLOCK,
                                                             .rlock = {l.id}}));
    assert_int_equal(MP_EHANDLE, mp_condition_create(&c, &(mp_condition_attr_t){
                                                             .kind = MP_CONDITION_LOCK,
                                                             .lock = {r.id}}));
    assert_int_equal(MP_EHANDLE, mp_condition_create(&c, &(mp_condition_attr_t){
                                                             .kind = MP_CONDITION_LOCK}));
    OK(mp_lock_destroy(l));
    OK(mp_rlock_destroy(r));
}

static void test_wait_for_without_a_predicate_is_refused(void **state)
{
    (void)state;
    mp_condition_t c;
    OK(mp_condition_create(&c, NULL));
    OK(mp_condition_acquire(c, MP_FOREVER));
    assert_int_equal(MP_EINVAL, mp_condition_wait_for(c, NULL, NULL, MP_NOWAIT));
    OK(mp_condition_release(c));
    OK(mp_condition_destroy(c));
}

static void test_handles_of_another_kind_are_refused_and_change_nothing(void **state)
{
    (void)state;
    mp_condition_t zero = {0};
    mp_lock_t l;
    OK(mp_lock_create(&l));
    mp_condition_t l_as_c = {l.id};
    assert_int_equal(MP_EHANDLE, mp_condition_acquire(l_as_c, MP_NOWAIT));
    assert_int_equal(MP_EHANDLE, mp_condition_notify(l_as_c, 1));
    assert_int_equal(MP_EHANDLE, mp_condition_wait(zero, MP_NOWAIT));
    assert_int_equal(MP_EHANDLE, mp_condition_destroy(zero));
    bool locked = true;
    OK(mp_lock_locked(l, &locked));
    assert_false(locked); /* untouched */
    OK(mp_lock_destroy(l));
}

static void test_destroyed_condition_is_stale(void **state)
{
    (void)state;
    mp_condition_t c, again;
    OK(mp_condition_create(&c, NULL));
    OK(mp_condition_destroy(c));
    assert_int_equal(MP_ESTALE, mp_condition_acquire(c, MP_NOWAIT));
    assert_int_equal(MP_ESTALE, mp_condition_release(c));
    assert_int_equal(MP_ESTALE, mp_condition_wait(c, MP_NOWAIT));
    assert_int_equal(MP_ESTALE, mp_condition_wait_for(c, always, NULL, MP_NOWAIT));
    assert_int_equal(MP_ESTALE, mp_condition_notify(c, 1));
    assert_int_equal(MP_ESTALE, mp_condition_notify_all(c));
    assert_int_equal(MP_ESTALE, mp_condition_destroy(c));
    OK(mp_condition_create(&again, NULL));
    assert_int_not_equal(c.id, again.id);
    assert_int_equal(MP_ESTALE, mp_condition_acquire(c, MP_NOWAIT));
    OK(mp_condition_acquire(again, MP_NOWAIT));
    OK(mp_condition_release(again));
    OK(mp_condition_destroy(again));
}

static void test_table_full_is_reported_and_frees_what_it_took(void **state)
{
    (void)state;
    mp_condition_t all[MP_CONF_MAX_CONDITIONS + 1];
    mp_rlock_t r;
    size_t n = 0;
    mp_err_t err = MP_OK;
    OK(mp_rlock_create(&r));
    mp_condition_attr_t attr = {.kind = MP_CONDITION_RLOCK, .rlock = r};
    while (n <= MP_CONF_MAX_CONDITIONS && (err = mp_condition_create(&all[n], &attr)) == MP_OK)
        n++;
    assert_int_equal(MP_CONF_MAX_CONDITIONS, n);
    assert_int_equal(MP_ENOSLOT, err);
    /* a full table with the default (own RLock) must not leak that RLock: try more times
     * than there are locks */
    for (int i = 0; i < MP_CONF_MAX_LOCKS + 1; i++)
        assert_int_equal(MP_ENOSLOT, mp_condition_create(&all[n], NULL));
    for (size_t i = 0; i < n; i++)
        OK(mp_condition_destroy(all[i]));
    OK(mp_rlock_destroy(r));
    OK(mp_condition_create(&all[0], NULL));
    OK(mp_condition_destroy(all[0]));
}

/* ---- issue 7: a condition's lock outlives it; its wait keeps its deadline ----------- */

static void test_a_lock_a_condition_uses_cannot_be_destroyed_on_its_own(void **state)
{
    (void)state;
    mp_lock_t l;
    OK(mp_lock_create(&l));
    mp_condition_t own, over;
    OK(mp_condition_create(&own, NULL));
    OK(mp_condition_create(&over, &(mp_condition_attr_t){.kind = MP_CONDITION_LOCK, .lock = l}));
    assert_int_equal(MP_EBUSY, mp_lock_destroy(l));
    OK(mp_condition_acquire(over, MP_NOWAIT)); /* still works */
    OK(mp_condition_release(over));
    OK(mp_condition_destroy(over));
    OK(mp_lock_destroy(l)); /* free once no condition uses it */
    OK(mp_condition_destroy(own));
}

static MP_SHARED volatile int holder_held, holder_released;

typedef struct {
    mp_condition_t c;
    mp_event_t let_go;
} keeper_t;

/* Takes the condition's lock as soon as the waiter lets it go, and keeps it until told. */
static int hold_the_lock(void *arg)
{
    keeper_t *h = arg;
    if (mp_condition_acquire(h->c, LONG) != MP_OK)
        return 1;
    holder_held = 1;
    (void)mp_event_wait(h->let_go, LONG);
    holder_released = 1;
    return mp_condition_release(h->c) == MP_OK ? 0 : 2;
}

/* Defect 5: wait(c, t) ends by its deadline even when another process holds the lock
 * then; it returns MP_EUNLOCKED and the caller does not hold the lock. */
static void test_wait_ends_by_its_deadline_even_while_another_holds_the_lock(void **state)
{
    (void)state;
    keeper_t h;
    OK(mp_condition_create(&h.c, NULL));
    OK(mp_event_create(&h.let_go));
    bool seen_unlocked = false;
    for (mp_timeout_t t = 100; t <= 3200 && !seen_unlocked; t *= 2) {
        holder_held = holder_released = 0;
        OK(mp_event_clear(h.let_go));
        OK(mp_condition_acquire(h.c, MP_NOWAIT));
        mp_process_t p = spawn(hold_the_lock, &h, sizeof h, MP_DAEMON_YES);
        mp_err_t err = mp_condition_wait(h.c, t); /* lets the lock go: the holder takes it */
        if (err == MP_EUNLOCKED) {
            assert_int_equal(1, holder_held);     /* it held the lock at our deadline... */
            assert_int_equal(0, holder_released); /* ...and still does: we did not wait */
            assert_int_equal(MP_EPERM, mp_condition_notify(h.c, 1)); /* not ours */
            seen_unlocked = true;
        } else {
            /* The holder was too slow to take the lock before t (a loaded machine): we
             * took it back at the deadline, before it, so try a longer t. */
            assert_int_equal(MP_ETIMEDOUT, err);
            assert_int_equal(0, holder_held);
            OK(mp_condition_release(h.c));
        }
        OK(mp_event_set(h.let_go));
        assert_int_equal(0, reap_soon(p));
    }
    assert_true(seen_unlocked);
    OK(mp_event_destroy(h.let_go));
    OK(mp_condition_destroy(h.c));
}

/* A Value's own lock handed to a Condition (get_lock gives it out) outlives the Value as
 * long as the Condition uses it: the Condition never reaches the next lock in that slot
 * (found by the fuzzer, tests/fuzz/regressions/value-lock-handed-to-a-condition). */
static void test_a_values_lock_handed_to_a_condition_outlives_the_value(void **state)
{
    (void)state;
    mp_usage_t before, after;
    OK(mp_usage(&before));
    mp_value_t v;
    mp_rlock_t l;
    OK(mp_value_create(&v, MP_I64, NULL, false));
    OK(mp_value_get_lock(v, &l));
    mp_condition_t c;
    OK(mp_condition_create(&c, &(mp_condition_attr_t){.kind = MP_CONDITION_RLOCK, .rlock = l}));
    OK(mp_value_destroy(v));
    mp_rlock_t fresh[4];
    for (int i = 0; i < 4; i++)
        OK(mp_rlock_create(&fresh[i])); /* one of these would reuse the lock's slot */
    OK(mp_condition_acquire(c, MP_NOWAIT));
    for (int i = 0; i < 4; i++) {
        uint32_t depth;
        OK(mp_rlock_depth(fresh[i], &depth));
        assert_int_equal(0, depth); /* the condition took its own lock, none of these */
    }
    /* its last user: the lock would go with it, so not while it is held (as a plain
     * lock's destroy) */
    assert_int_equal(MP_EBUSY, mp_condition_destroy(c));
    OK(mp_condition_release(c));
    OK(mp_condition_destroy(c)); /* the lock goes now */
    for (int i = 0; i < 4; i++)
        OK(mp_rlock_destroy(fresh[i]));
    assert_int_equal(MP_ESTALE, mp_rlock_acquire(l, MP_NOWAIT));
    OK(mp_usage(&after));
    assert_memory_equal(&before, &after, sizeof after);
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_a_values_lock_handed_to_a_condition_outlives_the_value),
        TEST(test_a_lock_a_condition_uses_cannot_be_destroyed_on_its_own),
        TEST(test_wait_ends_by_its_deadline_even_while_another_holds_the_lock),
        TEST(test_wait_and_notify_without_the_lock_are_refused_and_change_nothing),
        TEST(test_wait_and_notify_while_another_process_holds_the_lock_are_refused),
        TEST(test_notify_with_no_waiters_does_nothing_and_is_not_remembered),
        TEST(test_notify_one_wakes_exactly_one_waiter_the_longest_waiting),
        TEST(test_notify_n_wakes_n_and_notify_all_wakes_the_rest),
        TEST(test_notify_all_wakes_every_waiter),
        TEST(test_waiters_that_timed_out_are_not_counted_by_notify),
        TEST(test_notify_wakes_a_live_waiter_when_the_longest_waiting_was_killed),
        TEST(test_wait_timeout_returns_etimedout_with_the_lock_held_again),
        TEST(test_wait_releases_every_level_of_its_own_rlock_and_restores_them),
        TEST(test_a_condition_over_a_caller_lock_takes_that_lock),
        TEST(test_wait_lets_a_caller_lock_go_and_takes_it_back),
        TEST(test_a_caller_lock_and_its_condition_are_released_and_taken_as_one),
        TEST(test_a_caller_lock_outlives_its_condition),
        TEST(test_wait_lets_every_level_of_a_caller_rlock_go_and_restores_them),
        TEST(test_a_caller_rlock_and_its_condition_count_the_same_levels),
        TEST(test_a_caller_rlock_outlives_its_condition),
        TEST(test_wait_for_a_predicate_true_at_once_returns_at_once),
        TEST(test_wait_for_a_predicate_never_true_times_out_with_the_lock_held),
        TEST(test_wait_for_returns_once_the_producer_makes_the_predicate_true),
        TEST(test_create_refuses_a_bad_kind_or_a_lock_of_the_wrong_kind),
        TEST(test_wait_for_without_a_predicate_is_refused),
        TEST(test_handles_of_another_kind_are_refused_and_change_nothing),
        TEST(test_destroyed_condition_is_stale),
        TEST(test_table_full_is_reported_and_frees_what_it_took),
    };
    return cmocka_run_group_tests_name("condition", tests, NULL, NULL);
}
