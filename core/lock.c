/*
 * Lock and RLock: a guard (guard.c) with a handle, from one table.
 *
 * Lock: no owner as far as release goes (CPython lets any process release it), but the
 * guard word still names the holder, so a holder that dies is detected. RLock: the owner
 * may take it again; depth counts how often, and only the owner touches depth.
 */
#include "world.h"

/* One array, two kinds of handle: a descriptor for each, so a lookup copies nothing. */
static const mpi_table_t tables[2] = {
    {mpi_world.locks, sizeof mpi_world.locks[0], MP_CONF_MAX_LOCKS, MPI_KIND_LOCK, mpi_world.locks_free},
    {mpi_world.locks, sizeof mpi_world.locks[0], MP_CONF_MAX_LOCKS, MPI_KIND_RLOCK, mpi_world.locks_free},
};

static const mpi_table_t *table_of(uint32_t kind)
{
    return &tables[kind == MPI_KIND_RLOCK];
}

mpi_lock_t *mpi_lock_get(uint32_t id, uint32_t kind, mp_err_t *err)
{
    return mpi_obj_get(table_of(kind), id, err);
}

static mp_err_t create(uint32_t kind, uint32_t *id)
{
    if (id == NULL)
        return MP_EINVAL;
    mpi_lock_t *l;
    mp_err_t err = mpi_obj_alloc(table_of(kind), (void **)&l, id);
    if (err == MP_OK) {
        atomic_store(&l->word, 0);
        l->depth = 0;
    }
    return err;
}

static mp_err_t destroy(uint32_t id, uint32_t kind)
{
    mp_err_t err;
    mpi_lock_t *l = mpi_lock_get(id, kind, &err);
    if (l == NULL)
        return err;
    uint32_t w = atomic_load(&l->word);
    if (w != 0 && mpi_token_alive(w & MPI_LOCK_OWNER))
        return MP_EBUSY;
    mpi_obj_free(table_of(kind), l);
    return MP_OK;
}

static mp_err_t take(mpi_lock_t *l, mp_timeout_t timeout)
{
    if (mp_port_in_isr())
        return MP_EISR; /* a lock belongs to a process; a handler must not hold one */
    mpi_until_t until = mpi_until(timeout);
    mp_err_t err = mpi_guard_take(&l->word, mpi_self_token(), &until);
    if (err == MP_OK || err == MP_EOWNERDEAD)
        l->depth = 1;
    return err;
}

mp_err_t mp_lock_create(mp_lock_t *lock)
{
    return create(MPI_KIND_LOCK, lock ? &lock->id : NULL);
}

mp_err_t mp_lock_destroy(mp_lock_t lock)
{
    return destroy(lock.id, MPI_KIND_LOCK);
}

mp_err_t mp_lock_acquire(mp_lock_t lock, mp_timeout_t timeout)
{
    mp_err_t err;
    mpi_lock_t *l = mpi_lock_get(lock.id, MPI_KIND_LOCK, &err);
    return l == NULL ? err : take(l, timeout);
}

mp_err_t mp_lock_release(mp_lock_t lock)
{
    mp_err_t err;
    mpi_lock_t *l = mpi_lock_get(lock.id, MPI_KIND_LOCK, &err);
    if (l == NULL)
        return err;
    if (atomic_load_explicit(&l->word, memory_order_relaxed) == 0)
        return MP_ENOTLOCKED;
    mpi_guard_give(&l->word);
    return MP_OK;
}

mp_err_t mp_lock_locked(mp_lock_t lock, bool *locked)
{
    if (locked == NULL)
        return MP_EINVAL;
    mp_err_t err;
    mpi_lock_t *l = mpi_lock_get(lock.id, MPI_KIND_LOCK, &err);
    if (l != NULL)
        *locked = atomic_load(&l->word) != 0;
    return err;
}

mp_err_t mp_rlock_create(mp_rlock_t *lock)
{
    return create(MPI_KIND_RLOCK, lock ? &lock->id : NULL);
}

mp_err_t mp_rlock_destroy(mp_rlock_t lock)
{
    return destroy(lock.id, MPI_KIND_RLOCK);
}

mp_err_t mp_rlock_acquire(mp_rlock_t lock, mp_timeout_t timeout)
{
    if (mp_port_in_isr())
        return MP_EISR;
    mp_err_t err;
    mpi_lock_t *l = mpi_lock_get(lock.id, MPI_KIND_RLOCK, &err);
    if (l == NULL)
        return err;
    if (mpi_guard_mine(&l->word, mpi_self_token())) {
        if (l->depth == UINT32_MAX)
            return MP_EOVERFLOW;
        l->depth++;
        return MP_OK;
    }
    return take(l, timeout);
}

mp_err_t mp_rlock_release(mp_rlock_t lock)
{
    mp_err_t err;
    mpi_lock_t *l = mpi_lock_get(lock.id, MPI_KIND_RLOCK, &err);
    if (l == NULL)
        return err;
    if (!mpi_guard_mine(&l->word, mpi_self_token()))
        return MP_EPERM;
    if (--l->depth == 0)
        mpi_guard_give(&l->word);
    return MP_OK;
}

mp_err_t mp_rlock_depth(mp_rlock_t lock, uint32_t *depth)
{
    if (depth == NULL)
        return MP_EINVAL;
    mp_err_t err;
    mpi_lock_t *l = mpi_lock_get(lock.id, MPI_KIND_RLOCK, &err);
    if (l != NULL)
        *depth = mpi_guard_mine(&l->word, mpi_self_token()) ? l->depth : 0;
    return err;
}
