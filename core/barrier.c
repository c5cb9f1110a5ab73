/*
 * Barrier: parties processes meet; the last to arrive runs the action and releases the
 * others. State changes under a guard; waiters sleep on the cycle word, which moves
 * whenever a cycle completes, breaks or is reset, and then read their own result.
 *
 * Breaking. A wait that times out, abort(), reset() (for those already waiting), a
 * waiting party that dies, or a guard holder that died mid-update (the state may be
 * half-written) all break the barrier: every waiter is released with MP_EBROKEN, and
 * later waits fail at once until reset(). CPython's barrier never returns when a waiting
 * process is terminated (gh-123899); here the survivors notice the death (they are woken
 * for it, or look every MP_PORT_LIVENESS_NS) and break it.
 */
#include "barrier.h"

static const mpi_wait_word_t words[] = {
    {offsetof(mpi_barrier_t, cycle), 1, 0, "the other parties of Barrier #"},
    {offsetof(mpi_barrier_t, guard), 1, 0, "the state of Barrier #"},
};

const mpi_table_t mpi_barrier_table = {MPI_TABLE_STORE(barriers), .kind = MPI_KIND_BARRIER,
                                       MPI_TABLE_WORDS(words)};

/* Releases everyone waiting in the current cycle with result, then starts a new one. */
static void release_all(mpi_barrier_t *o, mp_err_t result)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++) {
        if (o->waiting[i] != 0) {
            o->result[i] = (int8_t)result;
            o->waiting[i] = 0;
        }
    }
    o->arrived = 0;
    atomic_fetch_add(&o->cycle, 1u);
    mp_port_wake(&o->cycle, UINT32_MAX);
}

static void break_all(mpi_barrier_t *o)
{
    atomic_store(&o->broken, 1);
    release_all(o, MP_EBROKEN);
}

/* Takes the guard within until; a holder that died may have left the state half-updated:
 * break it. */
static mp_err_t lock_state(const mpi_call_t *c, mpi_barrier_t *o, mpi_until_t *until)
{
    mp_err_t err = mpi_guard_take(c, &o->guard, until);
    if (err == MP_EOWNERDEAD) {
        break_all(o);
        err = MP_OK;
    }
    return err;
}

static bool a_waiter_died(const mpi_barrier_t *o)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++)
        if (o->waiting[i] != 0 && !mpi_token_alive(o->waiting[i]))
            return true;
    return false;
}

mp_err_t mp_barrier_create(mp_barrier_t *b, uint32_t parties, void (*action)(void))
{
    return mp_barrier_create_timeout(b, parties, action, MP_FOREVER);
}

mp_err_t mp_barrier_create_timeout(mp_barrier_t *b, uint32_t parties, void (*action)(void),
                                   mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    if (b == NULL || parties == 0 || parties > MP_CONF_MAX_PROCESSES ||
        timeout == MP_BARRIER_DEFAULT)
        return MP_EINVAL;
    mpi_barrier_t *o;
    uint32_t index;
    err = mpi_obj_alloc(&mpi_barrier_table, (void **)&o, &index);
    if (err != MP_OK)
        return err;
    atomic_store(&o->guard, 0);
    atomic_store(&o->cycle, 0);
    o->parties = parties;
    o->arrived = 0;
    atomic_store(&o->broken, 0);
    o->action = action;
    o->timeout = timeout;
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++) {
        o->waiting[i] = 0;
        o->result[i] = 0;
    }
    b->id = mpi_obj_publish(&mpi_barrier_table, o, 0);
    return MP_OK;
}

mp_err_t mp_barrier_destroy(mp_barrier_t b)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_barrier_table, b.id);
    if (err != MP_OK)
        return err;
    if (mpi_retire(&c) != MP_OK)
        return mpi_leave(&c, MP_ESTALE);
    mpi_barrier_t *o = c.obj;
    atomic_fetch_add(&o->cycle, 1u); /* the waiters' word moves: they find it gone */
    mp_port_wake(&o->cycle, UINT32_MAX);
    return mpi_leave_retired(&c);
}

/* Waiting for the cycle to end. The state guard is taken within the caller's deadline;
 * if even that fails (its holder stopped), the barrier is broken without it, so that no
 * party waits for this one, which is leaving. */
static mp_err_t wait_cycle(const mpi_call_t *c, mpi_barrier_t *o, uint32_t cycle,
                           mpi_until_t *until)
{
    for (;;) {
        mp_err_t err = MP_OK;
        if (atomic_load(&o->cycle) == cycle)
            err = until->timeout == MP_NOWAIT
                      ? MP_ETIMEDOUT
                      : mpi_wait(c, &o->cycle, cycle, mpi_until_deadline(until));
        if (err == MP_ESTALE)
            return err;
        mp_err_t locked = lock_state(c, o, until);
        if (locked != MP_OK) {
            if (locked == MP_ESTALE)
                return locked;
            atomic_store(&o->broken, 1);
            atomic_fetch_add(&o->cycle, 1u);
            mp_port_wake(&o->cycle, UINT32_MAX);
            return MP_EBROKEN;
        }
        if (atomic_load(&o->cycle) != cycle) { /* released: completed, broken or reset */
            mp_err_t result = mpi_retired(c) ? MP_ESTALE : o->result[c->slot];
            mpi_guard_give(&o->guard);
            return result;
        }
        if (err != MP_OK || a_waiter_died(o)) {
            break_all(o); /* our own timeout, or a waiting party died */
            mp_err_t result = o->result[c->slot];
            mpi_guard_give(&o->guard);
            return result;
        }
        mpi_guard_give(&o->guard);
    }
}

mp_err_t mp_barrier_wait(mp_barrier_t b, mp_timeout_t timeout, uint32_t *index)
{
    if (mp_port_in_isr())
        return MP_EISR;
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_barrier_table, b.id);
    if (err != MP_OK)
        return err;
    mpi_barrier_t *o = c.obj;
    mpi_until_t until = mpi_until(timeout == MP_BARRIER_DEFAULT ? o->timeout : timeout);
    err = lock_state(&c, o, &until);
    if (err != MP_OK) /* never arrived (its state held by a stopped process): unchanged */
        return mpi_leave(&c, err);
    if (atomic_load(&o->broken)) {
        mpi_guard_give(&o->guard);
        return mpi_leave(&c, MP_EBROKEN);
    }
    uint32_t arrival = o->arrived++;
    if (index != NULL)
        *index = arrival;
    if (o->arrived == o->parties) {
        if (o->action != NULL)
            o->action();
        release_all(o, MP_OK);
        mpi_guard_give(&o->guard);
        return mpi_leave(&c, MP_OK);
    }
    o->waiting[c.slot] = c.self;
    uint32_t cycle = atomic_load(&o->cycle);
    mpi_guard_give(&o->guard);
    return mpi_leave(&c, wait_cycle(&c, o, cycle, &until));
}

/* abort and reset have no timeout: they wait for the state guard MPI_PATIENCE_MS at
 * most (its holder may be stopped), then answer MP_EAGAIN. */
static mp_err_t change(mp_barrier_t b, bool reset)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_barrier_table, b.id);
    if (err != MP_OK)
        return err;
    mpi_barrier_t *o = c.obj;
    mpi_until_t patience = mpi_until(MPI_PATIENCE_MS);
    err = lock_state(&c, o, &patience);
    if (err != MP_OK)
        return mpi_leave(&c, err == MP_ETIMEDOUT ? MP_EAGAIN : err);
    if (reset) {
        release_all(o, MP_EBROKEN);
        atomic_store(&o->broken, 0);
    } else {
        break_all(o);
    }
    mpi_guard_give(&o->guard);
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_barrier_abort(mp_barrier_t b)
{
    return change(b, false);
}

mp_err_t mp_barrier_reset(mp_barrier_t b)
{
    return change(b, true);
}

/* The queries: one field under nothing (they are snapshots anyway). */
static mp_err_t query(mp_barrier_t b, uint32_t *out, int what)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_barrier_table, b.id);
    if (err != MP_OK)
        return err;
    if (out == NULL)
        return mpi_leave(&c, MP_EINVAL);
    const mpi_barrier_t *o = c.obj;
    bool broken = atomic_load(&o->broken) != 0;
    *out = what == 0 ? o->parties : what == 1 ? (broken ? 0 : o->arrived) : broken;
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_barrier_parties(mp_barrier_t b, uint32_t *parties)
{
    return query(b, parties, 0);
}

mp_err_t mp_barrier_n_waiting(mp_barrier_t b, uint32_t *waiting)
{
    return query(b, waiting, 1);
}

mp_err_t mp_barrier_broken(mp_barrier_t b, bool *broken)
{
    uint32_t v;
    mp_err_t err = query(b, &v, 2);
    if (err == MP_OK && broken == NULL)
        return MP_EINVAL; /* the handle first, as every call */
    if (err == MP_OK)
        *broken = v != 0;
    return err;
}
