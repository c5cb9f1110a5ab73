/*
 * Lock and RLock on one 32-bit word each.
 *
 *   word == 0                      free
 *   word == owner                  held by the process whose token is owner, nobody waits
 *   word == owner | WAITERS        held, and someone sleeps (or is about to) on the word
 *
 * Acquire is one CAS 0 -> self when free. Release is one exchange to 0, plus a wake call
 * only when WAITERS was set. A woken waiter takes the lock as "owner | WAITERS" because
 * it cannot know whether others still sleep (Drepper, "Futexes are tricky", mutex #3).
 *
 * Owner death. The word names the owner by token (slot + generation). A waiter that finds
 * the owner no longer alive (its life word has MP_LIFE_DEAD, or its slot was reused)
 * swaps the dead token for its own with one CAS; whoever wins that CAS is the one caller
 * told MP_EOWNERDEAD. Waiters learn of the death because the port wakes them (task port)
 * or because they re-check every MP_CONF_LIVENESS_NS while asleep (POSIX).
 */
#include "world.h"

static mp_err_t lookup(uint32_t id, uint32_t kind, mpi_lock_t **lock)
{
    uint32_t index, gen;
    mp_err_t err = mpi_handle_split(id, kind, MP_CONF_MAX_LOCKS, &index, &gen);
    if (err != MP_OK)
        return err;
    mpi_lock_t *l = &mpi_world.locks[index];
    if (l->gen != gen || l->kind != kind)
        return MP_ESTALE;
    *lock = l;
    return MP_OK;
}

static mp_err_t create(uint32_t kind, uint32_t *id)
{
    if (id == NULL)
        return MP_EINVAL;
    if (mpi_world.ready != MPI_WORLD_READY)
        return MP_ENOINIT;
    uint32_t index;
    if (!mpi_bits_take(mpi_world.lock_free, MP_CONF_MAX_LOCKS, &index))
        return MP_ENOSLOT;
    mpi_lock_t *l = &mpi_world.locks[index];
    atomic_store(&l->word, 0);
    l->depth = 0;
    l->kind = (uint8_t)kind;
    *id = mpi_handle_make(kind, l->gen, index);
    return MP_OK;
}

static mp_err_t destroy(uint32_t id, uint32_t kind)
{
    mpi_lock_t *l;
    mp_err_t err = lookup(id, kind, &l);
    if (err != MP_OK)
        return err;
    uint32_t w = atomic_load(&l->word);
    if (w != 0 && mpi_token_alive(w & MPI_LOCK_OWNER))
        return MP_EBUSY;
    l->kind = 0;
    l->gen = (uint16_t)mpi_gen_next(l->gen);
    mpi_bits_give(mpi_world.lock_free, (uint32_t)(l - mpi_world.locks));
    return MP_OK;
}

static mp_err_t take_slow(mpi_lock_t *l, mpi_token_t self, mp_timeout_t timeout)
{
    for (int spin = 0; spin < MP_CONF_SPIN; spin++) {
        uint32_t free_word = 0;
        if (atomic_load_explicit(&l->word, memory_order_relaxed) == 0 &&
            atomic_compare_exchange_weak_explicit(&l->word, &free_word, self,
                                                  memory_order_acquire, memory_order_relaxed))
            return MP_OK;
        __asm__ __volatile__("" ::: "memory");
    }
    mp_time_t deadline = 0;
    bool have_deadline = false;
    for (;;) {
        uint32_t w = atomic_load_explicit(&l->word, memory_order_relaxed);
        if (w == 0) {
            if (atomic_compare_exchange_weak_explicit(&l->word, &w, self | MPI_LOCK_WAITERS,
                                                      memory_order_acquire,
                                                      memory_order_relaxed))
                return MP_OK;
            continue;
        }
        if (!mpi_token_alive(w & MPI_LOCK_OWNER)) {
            if (atomic_compare_exchange_strong_explicit(&l->word, &w,
                                                        self | (w & MPI_LOCK_WAITERS),
                                                        memory_order_acquire,
                                                        memory_order_relaxed)) {
                l->depth = 1;
                return MP_EOWNERDEAD;
            }
            continue;
        }
        if (timeout == MP_NOWAIT)
            return MP_EAGAIN;
        if (!(w & MPI_LOCK_WAITERS)) {
            if (!atomic_compare_exchange_weak_explicit(&l->word, &w, w | MPI_LOCK_WAITERS,
                                                       memory_order_relaxed,
                                                       memory_order_relaxed))
                continue;
            w |= MPI_LOCK_WAITERS;
        }
        if (!have_deadline) {
            deadline = mpi_deadline(timeout);
            have_deadline = true;
        }
        mp_err_t err = mpi_wait(&l->word, w, deadline);
        if (err != MP_OK)
            return err;
    }
}

static mp_err_t take(mpi_lock_t *l, mp_timeout_t timeout)
{
    mpi_token_t self = mpi_self_token();
    uint32_t free_word = 0;
    if (atomic_compare_exchange_strong_explicit(&l->word, &free_word, self,
                                                memory_order_acquire, memory_order_relaxed))
        return MP_OK;
    return take_slow(l, self, timeout);
}

static void give(mpi_lock_t *l)
{
    uint32_t w = atomic_exchange_explicit(&l->word, 0, memory_order_release);
    if (w & MPI_LOCK_WAITERS)
        mp_port_wake(&l->word, 1);
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
    mpi_lock_t *l;
    mp_err_t err = lookup(lock.id, MPI_KIND_LOCK, &l);
    return err != MP_OK ? err : take(l, timeout);
}

mp_err_t mp_lock_release(mp_lock_t lock)
{
    mpi_lock_t *l;
    mp_err_t err = lookup(lock.id, MPI_KIND_LOCK, &l);
    if (err != MP_OK)
        return err;
    if (atomic_load_explicit(&l->word, memory_order_relaxed) == 0)
        return MP_ENOTLOCKED;
    give(l);
    return MP_OK;
}

mp_err_t mp_lock_locked(mp_lock_t lock, bool *locked)
{
    if (locked == NULL)
        return MP_EINVAL;
    mpi_lock_t *l;
    mp_err_t err = lookup(lock.id, MPI_KIND_LOCK, &l);
    if (err == MP_OK)
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
    mpi_lock_t *l;
    mp_err_t err = lookup(lock.id, MPI_KIND_RLOCK, &l);
    if (err != MP_OK)
        return err;
    mpi_token_t self = mpi_self_token();
    if ((atomic_load_explicit(&l->word, memory_order_relaxed) & MPI_LOCK_OWNER) == self) {
        if (l->depth == UINT32_MAX)
            return MP_EOVERFLOW;
        l->depth++;
        return MP_OK;
    }
    err = take(l, timeout);
    if (err == MP_OK || err == MP_EOWNERDEAD)
        l->depth = 1;
    return err;
}

mp_err_t mp_rlock_release(mp_rlock_t lock)
{
    mpi_lock_t *l;
    mp_err_t err = lookup(lock.id, MPI_KIND_RLOCK, &l);
    if (err != MP_OK)
        return err;
    if ((atomic_load_explicit(&l->word, memory_order_relaxed) & MPI_LOCK_OWNER) !=
        mpi_self_token())
        return MP_EPERM;
    if (--l->depth == 0)
        give(l);
    return MP_OK;
}

mp_err_t mp_rlock_depth(mp_rlock_t lock, uint32_t *depth)
{
    if (depth == NULL)
        return MP_EINVAL;
    mpi_lock_t *l;
    mp_err_t err = lookup(lock.id, MPI_KIND_RLOCK, &l);
    if (err != MP_OK)
        return err;
    bool mine = (atomic_load(&l->word) & MPI_LOCK_OWNER) == mpi_self_token();
    *depth = mine ? l->depth : 0;
    return MP_OK;
}
