/*
 * Semaphore, BoundedSemaphore, Event, Condition, Barrier (CPython's synchronize.py).
 *
 * None of them can be left stuck by a process that dies:
 * - Semaphore and Event have no internal lock at all (one atomic word each).
 * - Condition: notify never blocks (CPython's waits for each woken sleeper to answer),
 *   and a waiter that died is skipped, so notify(1) wakes a live one.
 * - Barrier: a party that dies while waiting breaks the barrier, so the others return
 *   MP_EBROKEN instead of hanging (CPython gh-123899).
 */
#ifndef MP_SYNC_H
#define MP_SYNC_H

#include "mp/config.h"
#include "mp/lock.h"
#include "mp/types.h"

typedef struct {
    uint32_t id;
} mp_semaphore_t;

typedef struct {
    uint32_t id;
} mp_event_t;

typedef struct {
    uint32_t id;
} mp_condition_t;

typedef struct {
    uint32_t id;
} mp_barrier_t;

/* ---- Semaphore / BoundedSemaphore ---------------------------------------------------- */
/* bounded: release above the initial value is MP_EOVERFLOW (CPython's ValueError). */
mp_err_t mp_semaphore_create(mp_semaphore_t *s, uint32_t value, bool bounded);
mp_err_t mp_semaphore_destroy(mp_semaphore_t s);
/* MP_OK, MP_EAGAIN (MP_NOWAIT and zero), MP_ETIMEDOUT */
mp_err_t mp_semaphore_acquire(mp_semaphore_t s, mp_timeout_t timeout);
mp_err_t mp_semaphore_release(mp_semaphore_t s);
mp_err_t mp_semaphore_value(mp_semaphore_t s, uint32_t *value);

/* ---- Event ------------------------------------------------------------------------- */
mp_err_t mp_event_create(mp_event_t *e);
mp_err_t mp_event_destroy(mp_event_t e);
mp_err_t mp_event_set(mp_event_t e);
mp_err_t mp_event_clear(mp_event_t e);
mp_err_t mp_event_is_set(mp_event_t e, bool *set);
/* MP_OK once set (at once if it already is), MP_ETIMEDOUT if not set in time (MP_EAGAIN
 * with MP_NOWAIT). */
mp_err_t mp_event_wait(mp_event_t e, mp_timeout_t timeout);

/* ---- Condition ----------------------------------------------------------------------- */
/* The condition's lock: an RLock of its own (CPython's default), or one you pass in. */
typedef struct {
    enum { MP_CONDITION_OWN_RLOCK = 0, MP_CONDITION_LOCK, MP_CONDITION_RLOCK } kind;
    mp_lock_t lock;   /* with MP_CONDITION_LOCK */
    mp_rlock_t rlock; /* with MP_CONDITION_RLOCK */
} mp_condition_attr_t;

/* attr NULL: a new RLock. */
mp_err_t mp_condition_create(mp_condition_t *c, const mp_condition_attr_t *attr);
mp_err_t mp_condition_destroy(mp_condition_t c);
/* Acquire/release the condition's lock (CPython's `with cond:`). */
mp_err_t mp_condition_acquire(mp_condition_t c, mp_timeout_t timeout);
mp_err_t mp_condition_release(mp_condition_t c);
/* Releases the lock (every level of an RLock), waits for a notify, re-acquires it.
 * MP_OK when notified, MP_ETIMEDOUT otherwise (MP_EAGAIN with MP_NOWAIT); the lock is
 * held again either way
 * (MP_EOWNERDEAD: held again, and its last holder died holding it).
 * The timeout bounds the whole call, re-acquiring included (CPython and
 * pthread_cond_timedwait take the lock back however long another holds it):
 * @retval MP_EUNLOCKED the deadline came while another process held the lock: the
 *         caller does NOT hold it (nor after MP_ESTALE: the condition was destroyed)
 * @retval MP_EPERM the caller does not hold the lock (nothing happens) */
mp_err_t mp_condition_wait(mp_condition_t c, mp_timeout_t timeout);
/* Waits until pred(arg) is true: MP_OK, or MP_ETIMEDOUT (MP_EAGAIN with MP_NOWAIT) with
 * pred still false; the lock
 * held either way. MP_EUNLOCKED and MP_ESTALE as for wait (pred is not called then). */
mp_err_t mp_condition_wait_for(mp_condition_t c, bool (*pred)(void *arg), void *arg,
                               mp_timeout_t timeout);
/* Wake up to n waiters (in the order they started waiting). Never blocks.
 * @retval MP_EPERM the caller does not hold the lock */
mp_err_t mp_condition_notify(mp_condition_t c, uint32_t n);
mp_err_t mp_condition_notify_all(mp_condition_t c);

/* ---- Barrier ------------------------------------------------------------------------ */
/* action (may be NULL) runs once per cycle, in the last process to arrive, before any
 * party is released. A function pointer works in every process: they run one image. */
mp_err_t mp_barrier_create(mp_barrier_t *b, uint32_t parties, void (*action)(void));
/* CPython's Barrier(parties, action, timeout): a wait given MP_BARRIER_DEFAULT waits this
 * long (mp_barrier_create's barriers: MP_FOREVER). */
mp_err_t mp_barrier_create_timeout(mp_barrier_t *b, uint32_t parties, void (*action)(void),
                                   mp_timeout_t timeout);
/* A wait's timeout meaning "the barrier's own" (CPython's wait(timeout=None)). */
#define MP_BARRIER_DEFAULT ((mp_timeout_t)UINT32_MAX - 1u)
mp_err_t mp_barrier_destroy(mp_barrier_t b);
/* *index (may be NULL): 0..parties-1, the order of arrival in this cycle.
 * @retval MP_EBROKEN the barrier was or became broken: aborted, reset while waiting, a
 *         wait timed out (that waiter gets MP_EBROKEN too, as in CPython), or a waiting
 *         party died
 * @retval MP_ETIMEDOUT / MP_EAGAIN (MP_NOWAIT) another process, stopped inside an update
 *         of the barrier's state, kept it past the deadline: the caller did not arrive */
mp_err_t mp_barrier_wait(mp_barrier_t b, mp_timeout_t timeout, uint32_t *index);
/* abort and reset take no timeout: @retval MP_EAGAIN another process kept the barrier's
 * state for a second (it may be stopped); nothing changed, try again */
mp_err_t mp_barrier_abort(mp_barrier_t b);
mp_err_t mp_barrier_reset(mp_barrier_t b);
mp_err_t mp_barrier_parties(mp_barrier_t b, uint32_t *parties);
mp_err_t mp_barrier_n_waiting(mp_barrier_t b, uint32_t *waiting);
mp_err_t mp_barrier_broken(mp_barrier_t b, bool *broken);

#endif
