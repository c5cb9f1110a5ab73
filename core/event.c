/*
 * Event: one word, no internal lock (CPython builds it on a Condition, so a process dying
 * inside set() can block everyone; here set is one exchange and a wake).
 *
 *   0 clear, nobody sleeps      1 set      2 clear, someone sleeps (set must wake)
 */
#include "world.h"

static const mpi_table_t table = {mpi_world.events, sizeof mpi_world.events[0],
                                  MP_CONF_MAX_EVENTS, MPI_KIND_EVENT, mpi_world.events_free};

#define CLEAR 0u
#define SET 1u
#define SLEEPING 2u

mp_err_t mp_event_create(mp_event_t *e)
{
    if (e == NULL)
        return MP_EINVAL;
    mpi_event_t *o;
    mp_err_t err = mpi_obj_alloc(&table, (void **)&o, &e->id);
    if (err == MP_OK)
        atomic_store(&o->flag, CLEAR);
    return err;
}

mp_err_t mp_event_destroy(mp_event_t e)
{
    mp_err_t err;
    mpi_event_t *o = mpi_obj_get(&table, e.id, &err);
    if (o != NULL) {
        if (atomic_exchange(&o->flag, SET) == SLEEPING)
            mp_port_wake(&o->flag, UINT32_MAX);
        mpi_obj_free(&table, o);
    }
    return err;
}

mp_err_t mp_event_set(mp_event_t e)
{
    mp_err_t err;
    mpi_event_t *o = mpi_obj_get(&table, e.id, &err);
    if (o != NULL && atomic_exchange(&o->flag, SET) == SLEEPING)
        mp_port_wake(&o->flag, UINT32_MAX);
    return err;
}

mp_err_t mp_event_clear(mp_event_t e)
{
    mp_err_t err;
    mpi_event_t *o = mpi_obj_get(&table, e.id, &err);
    if (o != NULL) {
        uint32_t set = SET;
        atomic_compare_exchange_strong(&o->flag, &set, CLEAR);
    }
    return err;
}

mp_err_t mp_event_is_set(mp_event_t e, bool *is_set)
{
    if (is_set == NULL)
        return MP_EINVAL;
    mp_err_t err;
    mpi_event_t *o = mpi_obj_get(&table, e.id, &err);
    if (o != NULL)
        *is_set = atomic_load(&o->flag) == SET;
    return err;
}

mp_err_t mp_event_wait(mp_event_t e, mp_timeout_t timeout)
{
    if (mpi_isr_would_block(timeout))
        return MP_EISR;
    mp_err_t err;
    mpi_event_t *o = mpi_obj_get(&table, e.id, &err);
    if (o == NULL)
        return err;
    mpi_until_t until = mpi_until(timeout);
    for (;;) {
        uint32_t f = atomic_load(&o->flag);
        if (f == SET)
            return MP_OK;
        if (timeout == MP_NOWAIT)
            return MP_ETIMEDOUT;
        if (f == CLEAR && !atomic_compare_exchange_weak(&o->flag, &f, SLEEPING))
            continue;
        err = mpi_wait(&o->flag, SLEEPING, mpi_until_deadline(&until));
        if (err != MP_OK)
            return atomic_load(&o->flag) == SET ? MP_OK : err;
    }
}
