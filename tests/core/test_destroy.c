/*
 * Destroy under load, on every port: an object destroyed while another process is inside
 * one of its blocking calls never hands that process the object created next in its
 * table slot (issue 7, defect 2). Each blocking call is tried two ways:
 *  - blocked: the caller sleeps in the call when the object is destroyed. It returns
 *    MP_ESTALE at once (long before its deadline), and the new object is untouched;
 *  - just woken: the object is made ready for the caller (a put, a release, a set...) and
 *    destroyed before the caller has run again. The caller returns what the wake-up
 *    gave it (MP_OK) or MP_ESTALE, and still never touches the new object.
 * Every case ends with every table and the arena as it found them.
 */
#include "mp_test.h"

typedef enum {
    QUEUE_GET,
    QUEUE_PUT,
    QUEUE_JOIN,
    LOCK_ACQUIRE,
    RLOCK_ACQUIRE,
    SEMAPHORE_ACQUIRE,
    EVENT_WAIT,
    CONDITION_WAIT,
    BARRIER_WAIT,
    PIPE_RECV,
    PIPE_SEND,
    PIPE_POLL,
    SLAB_ALLOC,
} op_t;

typedef struct {
    op_t op;
    uint32_t id;         /* the object's handle (a pipe's end) */
    test_signal_t ready; /* posted just before the blocking call */
} blocker_t;

/* What the blocked call returned, and the message (or block) it got, if any. */
static MP_SHARED struct {
    mp_err_t err;
    size_t len;
    char msg[8];
    void *block;
} seen;

static int blocker(void *arg)
{
    const blocker_t *b = arg;
    mp_err_t err = MP_OK;
    bool ready;
    if (b->op == CONDITION_WAIT && mp_condition_acquire((mp_condition_t){b->id}, LONG) != MP_OK)
        return 1;
    if (signal_post(b->ready) != MP_OK)
        return 1;
    switch (b->op) {
    case QUEUE_GET:
        err = mp_queue_get((mp_queue_t){b->id}, seen.msg, sizeof seen.msg, &seen.len, LONG);
        break;
    case QUEUE_PUT:
        err = mp_queue_put((mp_queue_t){b->id}, "late", 4, LONG);
        break;
    case QUEUE_JOIN:
        err = mp_queue_join((mp_queue_t){b->id}, LONG);
        break;
    case LOCK_ACQUIRE:
        err = mp_lock_acquire((mp_lock_t){b->id}, LONG);
        break;
    case RLOCK_ACQUIRE:
        err = mp_rlock_acquire((mp_rlock_t){b->id}, LONG);
        break;
    case SEMAPHORE_ACQUIRE:
        err = mp_semaphore_acquire((mp_semaphore_t){b->id}, LONG);
        break;
    case EVENT_WAIT:
        err = mp_event_wait((mp_event_t){b->id}, LONG);
        break;
    case CONDITION_WAIT:
        err = mp_condition_wait((mp_condition_t){b->id}, LONG);
        if (err == MP_OK)
            (void)mp_condition_release((mp_condition_t){b->id});
        break;
    case BARRIER_WAIT:
        err = mp_barrier_wait((mp_barrier_t){b->id}, LONG, NULL);
        break;
    case PIPE_RECV:
        err = mp_pipe_recv((mp_conn_t){b->id}, seen.msg, sizeof seen.msg, &seen.len, LONG);
        break;
    case PIPE_SEND:
        err = mp_pipe_send((mp_conn_t){b->id}, "late", 4, LONG);
        break;
    case PIPE_POLL:
        err = mp_pipe_poll((mp_conn_t){b->id}, LONG, &ready);
        break;
    case SLAB_ALLOC:
        err = mp_slab_alloc((mp_slab_t){b->id}, &seen.block, LONG);
        break;
    }
    seen.err = err;
    return 0;
}

static mp_usage_t baseline;

static int record_baseline(void **state)
{
    (void)state;
    return mp_usage(&baseline) == MP_OK ? 0 : -1;
}

/* Starts a child in op on id and returns once it sleeps in the call. */
static mp_process_t start_blocked(op_t op, uint32_t id)
{
    blocker_t b = {.op = op, .id = id};
    signal_init(&b.ready);
    seen.err = MP_EINVAL;
    seen.len = 0;
    memset(seen.msg, 0, sizeof seen.msg);
    seen.block = NULL;
    mp_process_t p = spawn_until(b.ready, blocker, &b, sizeof b, MP_DAEMON_NO);
    wait_blocked(p);
    signal_destroy(&b.ready);
    return p;
}

static void finish(mp_process_t p)
{
    assert_int_equal(0, reap(p));
}

/* After each case: no child left, every table and the arena as before it. */
static int settled(void **state)
{
    mp_usage_t now;
    if (no_children_left(state) != 0 || mp_usage(&now) != MP_OK)
        return -1;
    return memcmp(&baseline, &now, sizeof now) == 0 ? 0 : -1;
}

/* ---- queues ------------------------------------------------------------------------- */

static mp_queue_t queue(uint32_t depth, bool joinable)
{
    mp_queue_t q;
    OK(mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = 8, .depth = depth, .joinable = joinable}));
    return q;
}

/* The new queue holds its own message, which no stale call may take. */
static void expect_bait(mp_queue_t q2, size_t count)
{
    size_t n, len;
    char buf[8];
    OK(mp_queue_qsize(q2, &n));
    assert_int_equal(count, n);
    if (count > 0) {
        OK(mp_queue_get(q2, buf, sizeof buf, &len, MP_NOWAIT));
        assert_memory_equal("bait", buf, 4);
    }
    OK(mp_queue_destroy(q2));
}

static void test_blocked_get_returns_stale_and_never_takes_the_next_message(void **state)
{
    (void)state;
    mp_queue_t q1 = queue(4, false);
    mp_process_t p = start_blocked(QUEUE_GET, q1.id);
    OK(mp_queue_destroy(q1));
    mp_queue_t q2 = queue(4, false);
    OK(mp_queue_put(q2, "bait", 4, MP_NOWAIT));
    finish(p);
    assert_int_equal(MP_ESTALE, seen.err);
    expect_bait(q2, 1);
}

static void test_just_woken_get_never_takes_the_next_message(void **state)
{
    (void)state;
    mp_queue_t q1 = queue(4, false);
    mp_process_t p = start_blocked(QUEUE_GET, q1.id);
    OK(mp_queue_put(q1, "first", 5, MP_NOWAIT));
    OK(mp_queue_destroy(q1));
    mp_queue_t q2 = queue(4, false);
    OK(mp_queue_put(q2, "bait", 4, MP_NOWAIT));
    finish(p);
    if (seen.err == MP_OK)
        assert_memory_equal("first", seen.msg, 5);
    else
        assert_int_equal(MP_ESTALE, seen.err);
    expect_bait(q2, 1);
}

static void test_blocked_put_returns_stale_and_never_fills_the_next_queue(void **state)
{
    (void)state;
    mp_queue_t q1 = queue(1, false);
    OK(mp_queue_put(q1, "full", 4, MP_NOWAIT));
    mp_process_t p = start_blocked(QUEUE_PUT, q1.id);
    OK(mp_queue_destroy(q1));
    mp_queue_t q2 = queue(1, false);
    finish(p);
    assert_int_equal(MP_ESTALE, seen.err);
    expect_bait(q2, 0);
}

static void test_just_woken_put_never_fills_the_next_queue(void **state)
{
    (void)state;
    mp_queue_t q1 = queue(1, false);
    OK(mp_queue_put(q1, "full", 4, MP_NOWAIT));
    mp_process_t p = start_blocked(QUEUE_PUT, q1.id);
    char buf[8];
    size_t len;
    OK(mp_queue_get(q1, buf, sizeof buf, &len, MP_NOWAIT));
    OK(mp_queue_destroy(q1));
    mp_queue_t q2 = queue(1, false);
    finish(p);
    assert_true(seen.err == MP_OK || seen.err == MP_ESTALE);
    expect_bait(q2, 0);
}

static void test_blocked_join_returns_stale(void **state)
{
    (void)state;
    mp_queue_t q1 = queue(4, true);
    OK(mp_queue_put(q1, "task", 4, MP_NOWAIT));
    mp_process_t p = start_blocked(QUEUE_JOIN, q1.id);
    OK(mp_queue_destroy(q1));
    mp_queue_t q2 = queue(4, true);
    OK(mp_queue_put(q2, "bait", 4, MP_NOWAIT)); /* one unfinished task the stale join must not see */
    finish(p);
    assert_int_equal(MP_ESTALE, seen.err);
    size_t n;
    OK(mp_queue_unfinished(q2, &n));
    assert_int_equal(1, n);
    expect_bait(q2, 1);
}

static void test_just_woken_join_never_waits_on_the_next_queue(void **state)
{
    (void)state;
    mp_queue_t q1 = queue(4, true);
    OK(mp_queue_put(q1, "task", 4, MP_NOWAIT));
    mp_process_t p = start_blocked(QUEUE_JOIN, q1.id);
    OK(mp_queue_task_done(q1));
    OK(mp_queue_destroy(q1));
    mp_queue_t q2 = queue(4, true);
    OK(mp_queue_put(q2, "bait", 4, MP_NOWAIT));
    finish(p);
    assert_true(seen.err == MP_OK || seen.err == MP_ESTALE);
    expect_bait(q2, 1);
}

/* ---- locks -------------------------------------------------------------------------- */

/* A lock with a sleeper cannot be destroyed while its holder lives... */
static void test_a_held_lock_with_a_sleeper_is_busy(void **state)
{
    (void)state;
    mp_lock_t l;
    OK(mp_lock_create(&l));
    OK(mp_lock_acquire(l, MP_NOWAIT));
    mp_process_t p = start_blocked(LOCK_ACQUIRE, l.id);
    assert_int_equal(MP_EBUSY, mp_lock_destroy(l));
    OK(mp_lock_release(l));
    finish(p);
    assert_int_equal(MP_OK, seen.err); /* the sleeper got the lock and ended holding it */
    assert_int_equal(MP_EOWNERDEAD, mp_lock_acquire(l, MP_NOWAIT));
    OK(mp_lock_release(l));
    OK(mp_lock_destroy(l));
}

/* ...but once released, the sleeper it woke must not take the next lock in the slot. */
static void test_just_woken_acquire_never_takes_the_next_lock(void **state)
{
    (void)state;
    mp_lock_t l1, l2;
    OK(mp_lock_create(&l1));
    OK(mp_lock_acquire(l1, MP_NOWAIT));
    mp_process_t p = start_blocked(LOCK_ACQUIRE, l1.id);
    OK(mp_lock_release(l1));
    mp_err_t destroyed = mp_lock_destroy(l1);
    OK(mp_lock_create(&l2));
    finish(p);
    if (destroyed == MP_EBUSY) { /* the sleeper had taken it and still lived */
        assert_int_equal(MP_OK, seen.err);
        assert_int_equal(MP_EOWNERDEAD, mp_lock_acquire(l1, MP_NOWAIT));
        OK(mp_lock_release(l1));
        OK(mp_lock_destroy(l1));
    } else {
        /* destroyed: the sleeper either took it and ended before the destroy, or found
         * it gone; what it must never have taken is the next lock */
        OK(destroyed);
        assert_true(seen.err == MP_OK || seen.err == MP_ESTALE);
    }
    bool locked;
    OK(mp_lock_locked(l2, &locked));
    assert_false(locked);
    OK(mp_lock_destroy(l2));
}

static void test_just_woken_rlock_acquire_never_takes_the_next_rlock(void **state)
{
    (void)state;
    mp_rlock_t l1, l2;
    OK(mp_rlock_create(&l1));
    OK(mp_rlock_acquire(l1, MP_NOWAIT));
    mp_process_t p = start_blocked(RLOCK_ACQUIRE, l1.id);
    OK(mp_rlock_release(l1));
    mp_err_t destroyed = mp_rlock_destroy(l1);
    OK(mp_rlock_create(&l2));
    finish(p);
    if (destroyed == MP_EBUSY) {
        assert_int_equal(MP_OK, seen.err);
        assert_int_equal(MP_EOWNERDEAD, mp_rlock_acquire(l1, MP_NOWAIT));
        OK(mp_rlock_release(l1));
        OK(mp_rlock_destroy(l1));
    } else {
        OK(destroyed);
        assert_true(seen.err == MP_OK || seen.err == MP_ESTALE);
    }
    OK(mp_rlock_acquire(l2, MP_NOWAIT)); /* free: nobody took it by a stale handle */
    OK(mp_rlock_release(l2));
    OK(mp_rlock_destroy(l2));
}

/* ---- semaphore, event -------------------------------------------------------------- */

static void test_blocked_semaphore_acquire_returns_stale(void **state)
{
    (void)state;
    mp_semaphore_t s1, s2;
    OK(mp_semaphore_create(&s1, 0, false));
    mp_process_t p = start_blocked(SEMAPHORE_ACQUIRE, s1.id);
    OK(mp_semaphore_destroy(s1));
    OK(mp_semaphore_create(&s2, 1, false));
    finish(p);
    assert_int_equal(MP_ESTALE, seen.err);
    uint32_t v;
    OK(mp_semaphore_value(s2, &v));
    assert_int_equal(1, v);
    OK(mp_semaphore_destroy(s2));
}

static void test_just_woken_semaphore_acquire_never_takes_the_next_unit(void **state)
{
    (void)state;
    mp_semaphore_t s1, s2;
    OK(mp_semaphore_create(&s1, 0, false));
    mp_process_t p = start_blocked(SEMAPHORE_ACQUIRE, s1.id);
    OK(mp_semaphore_release(s1));
    OK(mp_semaphore_destroy(s1));
    OK(mp_semaphore_create(&s2, 1, false));
    finish(p);
    assert_true(seen.err == MP_OK || seen.err == MP_ESTALE);
    uint32_t v;
    OK(mp_semaphore_value(s2, &v));
    assert_int_equal(1, v);
    OK(mp_semaphore_destroy(s2));
}

static void test_blocked_event_wait_returns_stale(void **state)
{
    (void)state;
    mp_event_t e1, e2;
    OK(mp_event_create(&e1));
    mp_process_t p = start_blocked(EVENT_WAIT, e1.id);
    OK(mp_event_destroy(e1));
    OK(mp_event_create(&e2));
    finish(p);
    assert_int_equal(MP_ESTALE, seen.err); /* destroyed is not set */
    OK(mp_event_destroy(e2));
}

static void test_just_woken_event_wait_is_set_or_stale(void **state)
{
    (void)state;
    mp_event_t e1, e2;
    OK(mp_event_create(&e1));
    mp_process_t p = start_blocked(EVENT_WAIT, e1.id);
    OK(mp_event_set(e1));
    OK(mp_event_destroy(e1));
    OK(mp_event_create(&e2));
    finish(p);
    assert_true(seen.err == MP_OK || seen.err == MP_ESTALE);
    bool set;
    OK(mp_event_is_set(e2, &set));
    assert_false(set);
    OK(mp_event_destroy(e2));
}

/* ---- condition, barrier ------------------------------------------------------------ */

static void expect_free_condition(mp_condition_t c2)
{
    OK(mp_condition_acquire(c2, MP_NOWAIT)); /* its lock was never taken by a stale wait */
    OK(mp_condition_release(c2));
    OK(mp_condition_destroy(c2));
}

static void test_blocked_condition_wait_returns_stale_without_any_lock(void **state)
{
    (void)state;
    mp_condition_t c1, c2;
    OK(mp_condition_create(&c1, NULL));
    mp_process_t p = start_blocked(CONDITION_WAIT, c1.id);
    OK(mp_condition_destroy(c1));
    OK(mp_condition_create(&c2, NULL));
    finish(p);
    assert_int_equal(MP_ESTALE, seen.err);
    expect_free_condition(c2);
}

static void test_just_woken_condition_wait_never_takes_the_next_lock(void **state)
{
    (void)state;
    mp_condition_t c1, c2;
    OK(mp_condition_create(&c1, NULL));
    mp_process_t p = start_blocked(CONDITION_WAIT, c1.id);
    OK(mp_condition_acquire(c1, MP_NOWAIT));
    OK(mp_condition_notify(c1, 1));
    OK(mp_condition_release(c1));
    mp_err_t destroyed = mp_condition_destroy(c1);
    if (destroyed == MP_EBUSY) { /* the woken waiter holds the lock again: it goes first */
        finish(p);
        assert_int_equal(MP_OK, seen.err);
        OK(mp_condition_destroy(c1));
    }
    OK(mp_condition_create(&c2, NULL));
    if (destroyed != MP_EBUSY) {
        OK(destroyed);
        finish(p);
        assert_true(seen.err == MP_OK || seen.err == MP_ESTALE);
    }
    expect_free_condition(c2);
}

static void expect_idle_barrier(mp_barrier_t b2)
{
    bool broken;
    uint32_t waiting;
    OK(mp_barrier_broken(b2, &broken));
    OK(mp_barrier_n_waiting(b2, &waiting));
    assert_false(broken);
    assert_int_equal(0, waiting);
    OK(mp_barrier_destroy(b2));
}

static void test_blocked_barrier_wait_returns_stale_and_never_breaks_the_next(void **state)
{
    (void)state;
    mp_barrier_t b1, b2;
    OK(mp_barrier_create(&b1, 2, NULL));
    mp_process_t p = start_blocked(BARRIER_WAIT, b1.id);
    OK(mp_barrier_destroy(b1));
    OK(mp_barrier_create(&b2, 2, NULL));
    finish(p);
    assert_int_equal(MP_ESTALE, seen.err);
    expect_idle_barrier(b2);
}

static void test_just_woken_barrier_wait_never_joins_the_next(void **state)
{
    (void)state;
    mp_barrier_t b1, b2;
    OK(mp_barrier_create(&b1, 2, NULL));
    mp_process_t p = start_blocked(BARRIER_WAIT, b1.id);
    OK(mp_barrier_wait(b1, MP_NOWAIT, NULL)); /* the second party: releases the sleeper */
    OK(mp_barrier_destroy(b1));
    OK(mp_barrier_create(&b2, 2, NULL));
    finish(p);
    assert_true(seen.err == MP_OK || seen.err == MP_ESTALE);
    expect_idle_barrier(b2);
}

/* ---- pipes: closing both ends frees the pipe ---------------------------------------- */

static void pipe_pair(mp_conn_t *a, mp_conn_t *b, uint32_t depth)
{
    OK(mp_pipe_create(a, b, &(mp_pipe_attr_t){.duplex = false, .msg_size = 8, .depth = depth}));
}

/* The new pipe's bait is still there, and nothing else. */
static void expect_pipe_bait(mp_conn_t a2, mp_conn_t b2)
{
    char buf[8];
    size_t len;
    OK(mp_pipe_recv(a2, buf, sizeof buf, &len, MP_NOWAIT));
    assert_memory_equal("bait", buf, 4);
    assert_int_equal(MP_EAGAIN, mp_pipe_recv(a2, buf, sizeof buf, &len, MP_NOWAIT));
    OK(mp_pipe_close(a2));
    OK(mp_pipe_close(b2));
}

static void test_blocked_recv_on_a_freed_pipe_never_takes_the_next_message(void **state)
{
    (void)state;
    mp_conn_t a1, b1, a2, b2;
    pipe_pair(&a1, &b1, 4);
    mp_process_t p = start_blocked(PIPE_RECV, a1.id);
    OK(mp_pipe_close(b1));
    OK(mp_pipe_close(a1));
    pipe_pair(&a2, &b2, 4);
    OK(mp_pipe_send(b2, "bait", 4, MP_NOWAIT));
    finish(p);
    /* its peer closed (EOF), its own end closed (ECLOSED), or the pipe gone (ESTALE) */
    assert_true(seen.err == MP_EOF || seen.err == MP_ECLOSED || seen.err == MP_ESTALE);
    expect_pipe_bait(a2, b2);
}

static void test_just_woken_recv_never_takes_the_next_message(void **state)
{
    (void)state;
    mp_conn_t a1, b1, a2, b2;
    pipe_pair(&a1, &b1, 4);
    mp_process_t p = start_blocked(PIPE_RECV, a1.id);
    OK(mp_pipe_send(b1, "first", 5, MP_NOWAIT));
    OK(mp_pipe_close(b1));
    OK(mp_pipe_close(a1));
    pipe_pair(&a2, &b2, 4);
    OK(mp_pipe_send(b2, "bait", 4, MP_NOWAIT));
    finish(p);
    if (seen.err == MP_OK)
        assert_memory_equal("first", seen.msg, 5);
    else
        assert_true(seen.err == MP_ECLOSED || seen.err == MP_ESTALE);
    expect_pipe_bait(a2, b2);
}

static void test_blocked_send_on_a_freed_pipe_never_fills_the_next(void **state)
{
    (void)state;
    mp_conn_t a1, b1, a2, b2;
    pipe_pair(&a1, &b1, 1);
    OK(mp_pipe_send(b1, "full", 4, MP_NOWAIT));
    mp_process_t p = start_blocked(PIPE_SEND, b1.id);
    OK(mp_pipe_close(a1));
    OK(mp_pipe_close(b1));
    pipe_pair(&a2, &b2, 1);
    OK(mp_pipe_send(b2, "bait", 4, MP_NOWAIT));
    finish(p);
    assert_true(seen.err == MP_EOF || seen.err == MP_ECLOSED || seen.err == MP_ESTALE);
    expect_pipe_bait(a2, b2);
}

static void test_blocked_poll_on_a_freed_pipe_returns(void **state)
{
    (void)state;
    mp_conn_t a1, b1, a2, b2;
    pipe_pair(&a1, &b1, 4);
    mp_process_t p = start_blocked(PIPE_POLL, a1.id);
    OK(mp_pipe_close(a1));
    OK(mp_pipe_close(b1));
    pipe_pair(&a2, &b2, 4);
    OK(mp_pipe_send(b2, "bait", 4, MP_NOWAIT));
    finish(p);
    assert_true(seen.err == MP_ECLOSED || seen.err == MP_ESTALE);
    expect_pipe_bait(a2, b2);
}

/* ---- slab ------------------------------------------------------------------------- */

/* A slab of one block, held by the main process: an alloc waits. */
static mp_slab_t full_slab(void **held)
{
    mp_slab_t s;
    OK(mp_slab_create(&s, 8, 1));
    OK(mp_slab_alloc(s, held, MP_NOWAIT));
    return s;
}

/* The new slab's one block, free: no stale alloc took it. */
static void expect_free_block(mp_slab_t s2)
{
    mp_slab_stat_t st;
    OK(mp_slab_stat(s2, &st));
    assert_int_equal(0, st.used);
    OK(mp_slab_destroy(s2));
}

static void test_blocked_slab_alloc_returns_stale_and_never_takes_the_next_block(void **state)
{
    (void)state;
    void *held;
    mp_slab_t s1 = full_slab(&held);
    mp_process_t p = start_blocked(SLAB_ALLOC, s1.id);
    OK(mp_slab_destroy(s1));
    mp_slab_t s2;
    OK(mp_slab_create(&s2, 8, 1));
    finish(p);
    assert_int_equal(MP_ESTALE, seen.err);
    assert_null(seen.block);
    expect_free_block(s2);
}

static void test_just_woken_slab_alloc_never_takes_the_next_block(void **state)
{
    (void)state;
    void *held;
    mp_slab_t s1 = full_slab(&held);
    mp_process_t p = start_blocked(SLAB_ALLOC, s1.id);
    OK(mp_slab_free(s1, held));
    OK(mp_slab_destroy(s1));
    mp_slab_t s2;
    OK(mp_slab_create(&s2, 8, 1));
    finish(p);
    if (seen.err == MP_OK)
        assert_ptr_equal(held, seen.block); /* the first slab's, taken before the destroy */
    else
        assert_int_equal(MP_ESTALE, seen.err);
    expect_free_block(s2);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, record_baseline, settled)

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        T(test_blocked_get_returns_stale_and_never_takes_the_next_message),
        T(test_just_woken_get_never_takes_the_next_message),
        T(test_blocked_put_returns_stale_and_never_fills_the_next_queue),
        T(test_just_woken_put_never_fills_the_next_queue),
        T(test_blocked_join_returns_stale),
        T(test_just_woken_join_never_waits_on_the_next_queue),
        T(test_a_held_lock_with_a_sleeper_is_busy),
        T(test_just_woken_acquire_never_takes_the_next_lock),
        T(test_just_woken_rlock_acquire_never_takes_the_next_rlock),
        T(test_blocked_semaphore_acquire_returns_stale),
        T(test_just_woken_semaphore_acquire_never_takes_the_next_unit),
        T(test_blocked_event_wait_returns_stale),
        T(test_just_woken_event_wait_is_set_or_stale),
        T(test_blocked_condition_wait_returns_stale_without_any_lock),
        T(test_just_woken_condition_wait_never_takes_the_next_lock),
        T(test_blocked_barrier_wait_returns_stale_and_never_breaks_the_next),
        T(test_just_woken_barrier_wait_never_joins_the_next),
        T(test_blocked_recv_on_a_freed_pipe_never_takes_the_next_message),
        T(test_just_woken_recv_never_takes_the_next_message),
        T(test_blocked_send_on_a_freed_pipe_never_fills_the_next),
        T(test_blocked_poll_on_a_freed_pipe_returns),
        T(test_blocked_slab_alloc_returns_stale_and_never_takes_the_next_block),
        T(test_just_woken_slab_alloc_never_takes_the_next_block),
    };
    return cmocka_run_group_tests_name("destroy", tests, NULL, NULL);
}
