/*
 * Bad input to Lock and RLock, on every port: each row one call, its exact code, and
 * nothing changed (tests/support/badinput.h). The holder (a live child) holds
 * fx.lock_busy, fx.rlock_busy and the RLocks of fx.value_busy, fx.array_busy and
 * fx.cond_busy; the main process holds fx.gate, on which the holder sleeps.
 */
#include "badinput_fixture.h"

/* ---- every call that takes a lock, with every bad handle ----------------------------- */
#define LH ((mp_lock_t){bi_id})
#define RH ((mp_rlock_t){bi_id})
static mp_err_t op_acquire(void) { return mp_lock_acquire(LH, bi_timeout); }
static mp_err_t op_release(void) { return mp_lock_release(LH); }
static mp_err_t op_locked(void) { return mp_lock_locked(LH, &out.flag); }
static mp_err_t op_destroy(void) { return mp_lock_destroy(LH); }
static mp_err_t op_racquire(void) { return mp_rlock_acquire(RH, bi_timeout); }
static mp_err_t op_rrelease(void) { return mp_rlock_release(RH); }
static mp_err_t op_rdepth(void) { return mp_rlock_depth(RH, &out.u32); }
static mp_err_t op_rlocked(void) { return mp_rlock_locked(RH, &out.flag, &out.made.process); }
static mp_err_t op_rdestroy(void) { return mp_rlock_destroy(RH); }

static const bi_op_t ops[] = {
    {"mp_lock_acquire", MPI_KIND_LOCK, true, op_acquire},
    {"mp_lock_release", MPI_KIND_LOCK, false, op_release},
    {"mp_lock_locked", MPI_KIND_LOCK, false, op_locked},
    {"mp_lock_destroy", MPI_KIND_LOCK, false, op_destroy},
    {"mp_rlock_acquire", MPI_KIND_RLOCK, true, op_racquire},
    {"mp_rlock_release", MPI_KIND_RLOCK, false, op_rrelease},
    {"mp_rlock_depth", MPI_KIND_RLOCK, false, op_rdepth},
    {"mp_rlock_locked", MPI_KIND_RLOCK, false, op_rlocked},
    {"mp_rlock_destroy", MPI_KIND_RLOCK, false, op_rdestroy},
};

/* ---- locks in the states the rows need ------------------------------------------------ */
static struct {
    mp_lock_t free_lock;
    mp_rlock_t free_rlock;
    mp_rlock_t deep;       /* held by the main process UINT32_MAX times */
    /* issue 7: the lock of an object cannot be destroyed while the object lives */
    mp_value_t value;
    mp_array_t array;
    mp_rlock_t value_lock, array_lock;
    mp_condition_t cond_own, cond_lock, cond_rlock;
    mp_rlock_t own_lock;   /* cond_own's RLock: no call returns it, read from its entry */
    mp_lock_t passed_lock; /* given to cond_lock */
    mp_rlock_t passed_rlock; /* given to cond_rlock */
} st;

static void undo_lock(void)
{
    (void)mp_lock_destroy(out.made.lock);
}

static void undo_rlock(void)
{
    (void)mp_rlock_destroy(out.made.rlock);
}

#define LOCK_ROWS(X)                                                                          \
    X(c1, MP_EINVAL, 0, undo_lock, mp_lock_create(NULL))                                      \
    X(c2, MP_EINVAL, 0, undo_rlock, mp_rlock_create(NULL))                                    \
    /* Lock: any process may release it, but not while it is free */                         \
    X(l1, MP_ENOTLOCKED, 0, NULL, mp_lock_release(st.free_lock))                              \
    X(l2, MP_EAGAIN, 0, NULL, mp_lock_acquire(fx.lock_busy, MP_NOWAIT))                       \
    X(l3, MP_EAGAIN, 0, NULL, mp_lock_acquire(fx.gate, MP_NOWAIT)) /* held by the caller: not recursive */ \
    X(l4, MP_ETIMEDOUT, BI_WAITS | BI_LOCK_WAITERS, NULL, mp_lock_acquire(fx.lock_busy, 1))   \
    X(l5, MP_EBUSY, 0, NULL, mp_lock_destroy(fx.lock_busy))                                   \
    X(l6, MP_EBUSY, 0, NULL, mp_lock_destroy(fx.gate))                                        \
    X(l7, MP_EINVAL, 0, NULL, mp_lock_locked(fx.lock_busy, NULL))                             \
    /* RLock: only its owner releases it */                                                   \
    X(r1, MP_EPERM, 0, NULL, mp_rlock_release(st.free_rlock))                                 \
    X(r2, MP_EPERM, 0, NULL, mp_rlock_release(fx.rlock_busy))                                 \
    X(r3, MP_EAGAIN, 0, NULL, mp_rlock_acquire(fx.rlock_busy, MP_NOWAIT))                     \
    X(r4, MP_ETIMEDOUT, BI_WAITS | BI_LOCK_WAITERS, NULL, mp_rlock_acquire(fx.rlock_busy, 1)) \
    X(r5, MP_EBUSY, 0, NULL, mp_rlock_destroy(fx.rlock_busy))                                 \
    X(r6, MP_EINVAL, 0, NULL, mp_rlock_depth(fx.rlock_busy, NULL))                            \
    X(r6b, MP_EINVAL, 0, NULL, mp_rlock_locked(fx.rlock_busy, NULL, &out.made.process))        \
    X(r7, MP_EOVERFLOW, 0, NULL, mp_rlock_acquire(st.deep, MP_NOWAIT))                        \
    X(r8, MP_EOVERFLOW, 0, NULL, mp_rlock_acquire(st.deep, MP_FOREVER))                       \
    /* the RLock of a Value/Array held by a live process */                                   \
    X(b1, MP_EBUSY, 0, NULL, mp_rlock_destroy(value_busy_lock()))                          \
    /* issue 7, item 2: a lock an object uses cannot be destroyed while the object lives */   \
    X(o1, MP_EBUSY, 0, NULL, mp_rlock_destroy(st.value_lock))                                 \
    X(o2, MP_EBUSY, 0, NULL, mp_rlock_destroy(st.array_lock))                                 \
    X(o3, MP_EBUSY, 0, NULL, mp_rlock_destroy(st.own_lock))                                   \
    X(o4, MP_EBUSY, 0, NULL, mp_lock_destroy(st.passed_lock))                                 \
    X(o5, MP_EBUSY, 0, NULL, mp_rlock_destroy(st.passed_rlock))

static mp_rlock_t value_busy_lock(void)
{
    mp_rlock_t l = {0};
    (void)mp_value_get_lock(fx.value_busy, &l);
    return l;
}

LOCK_ROWS(BI_FN)
static const bi_row_t rows[] = {LOCK_ROWS(BI_ENTRY)};

static mpi_lock_t *entry_of(uint32_t id)
{
    return &mpi_world.locks[(id & MPI_INDEX_MASK) - 1u];
}

static void make_states(void)
{
    OK(mp_lock_create(&st.free_lock));
    OK(mp_rlock_create(&st.free_rlock));
    /* Four billion acquires take too long: the depth is set in the entry itself (only
     * the owner ever touches it, and the owner is this process). */
    OK(mp_rlock_create(&st.deep));
    OK(mp_rlock_acquire(st.deep, MP_NOWAIT));
    entry_of(st.deep.id)->depth = UINT32_MAX;
    OK(mp_value_create(&st.value, MP_I64, NULL, false));
    OK(mp_value_get_lock(st.value, &st.value_lock));
    OK(mp_array_create(&st.array, MP_I64, 2, NULL, false));
    OK(mp_array_get_lock(st.array, &st.array_lock));
    OK(mp_condition_create(&st.cond_own, NULL));
    const mpi_condition_t *c = &mpi_world.conditions[(st.cond_own.id & MPI_INDEX_MASK) - 1u];
    st.own_lock.id = c->lock_id;
    OK(mp_lock_create(&st.passed_lock));
    OK(mp_condition_create(&st.cond_lock, &(mp_condition_attr_t){.kind = MP_CONDITION_LOCK,
                                                                 .lock = st.passed_lock}));
    OK(mp_rlock_create(&st.passed_rlock));
    OK(mp_condition_create(&st.cond_rlock, &(mp_condition_attr_t){.kind = MP_CONDITION_RLOCK,
                                                                  .rlock = st.passed_rlock}));
}

/* MP_ESTALE: the issue-7 row above failed and destroyed the lock under its object. */
static void destroyed_or_gone(mp_err_t err)
{
    assert_true(err == MP_OK || err == MP_ESTALE);
}

static void free_states(void)
{
    OK(mp_lock_destroy(st.free_lock));
    OK(mp_rlock_destroy(st.free_rlock));
    entry_of(st.deep.id)->depth = 1;
    OK(mp_rlock_release(st.deep));
    OK(mp_rlock_destroy(st.deep));
    OK(mp_value_destroy(st.value));
    OK(mp_array_destroy(st.array));
    OK(mp_condition_destroy(st.cond_own));
    OK(mp_condition_destroy(st.cond_lock));
    OK(mp_condition_destroy(st.cond_rlock));
    /* once their condition is gone, passed-in locks are free to go */
    destroyed_or_gone(mp_lock_destroy(st.passed_lock));
    destroyed_or_gone(mp_rlock_destroy(st.passed_rlock));
}

int main(void)
{
    return bi_main(&(bi_suite_t){.name = "lock", .noun = "lock",
                                 .ops = ops, .n_ops = BI_COUNT(ops),
                                 .rows = rows, .n_rows = BI_COUNT(rows),
                                 .make_states = make_states, .free_states = free_states});
}
