/*
 * Semaphore and BoundedSemaphore: one atomic count, no internal lock, so no process can
 * die holding anything that would block the others (there is no owner to recover
 * from, exactly as in CPython: a process that dies between acquire and release simply
 * never gives its unit back).
 */
#include "world.h"

static const mpi_table_t table = {mpi_world.semaphores, sizeof mpi_world.semaphores[0],
                                  MP_CONF_MAX_SEMAPHORES, MPI_KIND_SEMAPHORE,
                                  mpi_world.semaphores_free};

mp_err_t mp_semaphore_create(mp_semaphore_t *s, uint32_t value, bool bounded)
{
    if (s == NULL)
        return MP_EINVAL;
    mpi_semaphore_t *o;
    mp_err_t err = mpi_obj_alloc(&table, (void **)&o, &s->id);
    if (err != MP_OK)
        return err;
    atomic_store(&o->count, value);
    atomic_store(&o->sleepers, 0);
    o->bound = bounded ? value : UINT32_MAX;
    o->hdr.flags = bounded ? MPI_SEMAPHORE_BOUNDED : 0;
    return MP_OK;
}

mp_err_t mp_semaphore_destroy(mp_semaphore_t s)
{
    mp_err_t err;
    mpi_semaphore_t *o = mpi_obj_get(&table, s.id, &err);
    if (o != NULL)
        mpi_obj_free(&table, o);
    return err;
}

mp_err_t mp_semaphore_acquire(mp_semaphore_t s, mp_timeout_t timeout)
{
    if (mpi_isr_would_block(timeout))
        return MP_EISR;
    mp_err_t err;
    mpi_semaphore_t *o = mpi_obj_get(&table, s.id, &err);
    if (o == NULL)
        return err;
    mpi_until_t until = mpi_until(timeout);
    for (;;) {
        uint32_t c = atomic_load(&o->count);
        if (c > 0) {
            if (atomic_compare_exchange_weak(&o->count, &c, c - 1u))
                return MP_OK;
            continue;
        }
        if (timeout == MP_NOWAIT)
            return MP_EAGAIN;
        if (mpi_spin_while(&o->count, 0))
            continue;
        atomic_fetch_add(&o->sleepers, 1u);
        err = atomic_load(&o->count) == 0 ? mpi_wait(&o->count, 0, mpi_until_deadline(&until))
                                         : MP_OK;
        atomic_fetch_sub(&o->sleepers, 1u);
        if (err != MP_OK)
            return err;
    }
}

mp_err_t mp_semaphore_release(mp_semaphore_t s)
{
    mp_err_t err;
    mpi_semaphore_t *o = mpi_obj_get(&table, s.id, &err);
    if (o == NULL)
        return err;
    uint32_t c = atomic_load(&o->count);
    do {
        if (c >= o->bound)
            return MP_EOVERFLOW;
    } while (!atomic_compare_exchange_weak(&o->count, &c, c + 1u));
    if (atomic_load(&o->sleepers) != 0)
        mp_port_wake(&o->count, 1);
    return MP_OK;
}

mp_err_t mp_semaphore_value(mp_semaphore_t s, uint32_t *value)
{
    if (value == NULL)
        return MP_EINVAL;
    mp_err_t err;
    mpi_semaphore_t *o = mpi_obj_get(&table, s.id, &err);
    if (o != NULL)
        *value = atomic_load(&o->count);
    return err;
}
