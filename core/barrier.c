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
 * for it, or look every MP_CONF_LIVENESS_NS) and break it.
 */
#include "world.h"

static const mpi_table_t table = {mpi_world.barriers, sizeof mpi_world.barriers[0],
                                  MP_CONF_MAX_BARRIERS, MPI_KIND_BARRIER,
                                  mpi_world.barriers_free};

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

static void breaks(mpi_barrier_t *o)
{
    o->broken = 1;
    release_all(o, MP_EBROKEN);
}

/* Takes the guard; a holder that died may have left the state half-updated: break it. */
static void enter(mpi_barrier_t *o, mpi_token_t self)
{
    mpi_until_t forever = mpi_until(MP_FOREVER);
    if (mpi_guard_take(&o->guard, self, &forever) == MP_EOWNERDEAD)
        breaks(o);
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
    if (b == NULL || parties == 0 || parties > MP_CONF_MAX_PROCESSES)
        return MP_EINVAL;
    mpi_barrier_t *o;
    mp_err_t err = mpi_obj_alloc(&table, (void **)&o, &b->id);
    if (err != MP_OK)
        return err;
    atomic_store(&o->guard, 0);
    atomic_store(&o->cycle, 0);
    o->parties = parties;
    o->arrived = 0;
    o->broken = 0;
    o->action = action;
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++) {
        o->waiting[i] = 0;
        o->result[i] = 0;
    }
    return MP_OK;
}

mp_err_t mp_barrier_destroy(mp_barrier_t b)
{
    mp_err_t err;
    mpi_barrier_t *o = mpi_obj_get(&table, b.id, &err);
    if (o != NULL)
        mpi_obj_free(&table, o);
    return err;
}

mp_err_t mp_barrier_wait(mp_barrier_t b, mp_timeout_t timeout, uint32_t *index)
{
    if (mp_port_in_isr())
        return MP_EISR;
    mp_err_t err;
    mpi_barrier_t *o = mpi_obj_get(&table, b.id, &err);
    if (o == NULL)
        return err;
    mpi_token_t self = mpi_self_token();
    uint32_t slot = mp_port_self();
    enter(o, self);
    if (o->broken) {
        mpi_guard_give(&o->guard);
        return MP_EBROKEN;
    }
    uint32_t arrival = o->arrived++;
    if (index != NULL)
        *index = arrival;
    if (o->arrived == o->parties) {
        if (o->action != NULL)
            o->action();
        release_all(o, MP_OK);
        mpi_guard_give(&o->guard);
        return MP_OK;
    }
    o->waiting[slot] = self;
    uint32_t cycle = atomic_load(&o->cycle);
    mpi_guard_give(&o->guard);

    mpi_until_t until = mpi_until(timeout);
    for (;;) {
        err = MP_OK;
        if (atomic_load(&o->cycle) == cycle) {
            err = timeout == MP_NOWAIT ? MP_ETIMEDOUT
                                       : mpi_wait(&o->cycle, cycle, mpi_until_deadline(&until));
        }
        enter(o, self);
        if (atomic_load(&o->cycle) != cycle) { /* released: completed, broken or reset */
            mp_err_t result = o->result[slot];
            mpi_guard_give(&o->guard);
            return result;
        }
        if (err != MP_OK || a_waiter_died(o)) {
            breaks(o); /* our own timeout, or a waiting party died */
            mp_err_t result = o->result[slot];
            mpi_guard_give(&o->guard);
            return result;
        }
        mpi_guard_give(&o->guard);
    }
}

mp_err_t mp_barrier_abort(mp_barrier_t b)
{
    mp_err_t err;
    mpi_barrier_t *o = mpi_obj_get(&table, b.id, &err);
    if (o == NULL)
        return err;
    enter(o, mpi_self_token());
    breaks(o);
    mpi_guard_give(&o->guard);
    return MP_OK;
}

mp_err_t mp_barrier_reset(mp_barrier_t b)
{
    mp_err_t err;
    mpi_barrier_t *o = mpi_obj_get(&table, b.id, &err);
    if (o == NULL)
        return err;
    enter(o, mpi_self_token());
    release_all(o, MP_EBROKEN);
    o->broken = 0;
    mpi_guard_give(&o->guard);
    return MP_OK;
}

mp_err_t mp_barrier_parties(mp_barrier_t b, uint32_t *parties)
{
    if (parties == NULL)
        return MP_EINVAL;
    mp_err_t err;
    mpi_barrier_t *o = mpi_obj_get(&table, b.id, &err);
    if (o != NULL)
        *parties = o->parties;
    return err;
}

mp_err_t mp_barrier_n_waiting(mp_barrier_t b, uint32_t *waiting)
{
    if (waiting == NULL)
        return MP_EINVAL;
    mp_err_t err;
    mpi_barrier_t *o = mpi_obj_get(&table, b.id, &err);
    if (o != NULL)
        *waiting = o->broken ? 0 : o->arrived;
    return err;
}

mp_err_t mp_barrier_broken(mp_barrier_t b, bool *broken)
{
    if (broken == NULL)
        return MP_EINVAL;
    mp_err_t err;
    mpi_barrier_t *o = mpi_obj_get(&table, b.id, &err);
    if (o != NULL)
        *broken = o->broken != 0;
    return err;
}
