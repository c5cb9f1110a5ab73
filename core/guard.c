/*
 * Guards: robust locks on a bare 32-bit word, the one locking primitive of the core.
 * Lock and RLock are guards with a handle; queues, pipes, barriers and the arena use
 * guards inside.
 *
 *   word == 0                      free
 *   word == owner                  held by the process whose token is owner, nobody waits
 *   word == owner | WAITERS        held, and someone sleeps (or is about to) on the word
 *
 * Take is one CAS 0 -> self when free. Give is one exchange to 0, plus a wake call only
 * when WAITERS was set. A woken waiter takes the guard as "owner | WAITERS" because it
 * cannot know whether others still sleep (Drepper, "Futexes are tricky", mutex #3).
 *
 * Owner death. The word names the owner by token (slot + generation). A waiter that finds
 * the owner no longer alive (its life word has MP_LIFE_DEAD, or its slot was reused)
 * swaps the dead token for its own with one CAS; whoever wins that CAS is the one caller
 * told MP_EOWNERDEAD. Waiters learn of the death because the port wakes them (task port)
 * or because they look again every MP_PORT_LIVENESS_NS while asleep (POSIX).
 *
 * Deadlines. A take waits for a live holder only until the caller's deadline, and not at
 * all with MP_NOWAIT (after a short spin): a holder may be stopped, not dead, and only a
 * dead one can be taken over.
 */
#include "world.h"

mp_time_t mpi_until_deadline(mpi_until_t *u)
{
    if (!u->known) {
        u->deadline = mpi_deadline(u->timeout);
        u->known = true;
    }
    return u->deadline;
}

bool mpi_spin_while(_Atomic uint32_t *word, uint32_t value)
{
    for (int i = 0; i < MP_PORT_SPIN; i++) {
        if (atomic_load_explicit(word, memory_order_relaxed) != value)
            return true;
        MP_PORT_RELAX();
    }
    return atomic_load_explicit(word, memory_order_relaxed) != value;
}

static mp_err_t take_slow(const mpi_call_t *c, _Atomic uint32_t *word, mpi_until_t *until)
{
    mpi_token_t self = c->self;
    for (int spin = 0; spin < MP_PORT_SPIN; spin++) {
        uint32_t w = atomic_load_explicit(word, memory_order_relaxed);
        if (w == 0 && atomic_compare_exchange_weak_explicit(word, &w, self, memory_order_acquire,
                                                            memory_order_relaxed))
            return MP_OK;
        MP_PORT_RELAX();
    }
    for (;;) {
        uint32_t w = atomic_load_explicit(word, memory_order_relaxed);
        if (w == 0) {
            if (atomic_compare_exchange_weak_explicit(word, &w, self | MPI_LOCK_WAITERS,
                                                      memory_order_acquire,
                                                      memory_order_relaxed))
                return MP_OK;
            continue;
        }
        if (!mpi_token_alive(w & MPI_LOCK_OWNER)) {
            if (atomic_compare_exchange_strong_explicit(word, &w, self | (w & MPI_LOCK_WAITERS),
                                                        memory_order_acquire,
                                                        memory_order_relaxed))
                return MP_EOWNERDEAD;
            continue;
        }
        if (until->timeout == MP_NOWAIT)
            return MP_EAGAIN;
        if (!(w & MPI_LOCK_WAITERS)) {
            if (!atomic_compare_exchange_weak_explicit(word, &w, w | MPI_LOCK_WAITERS,
                                                       memory_order_relaxed,
                                                       memory_order_relaxed))
                continue;
            w |= MPI_LOCK_WAITERS;
        }
        mp_err_t err = mpi_wait(c, word, w, mpi_until_deadline(until));
        if (err != MP_OK)
            return err;
    }
}

mp_err_t mpi_guard_take(const mpi_call_t *c, _Atomic uint32_t *word, mpi_until_t *until)
{
    uint32_t free_word = 0;
    if (mpi_cas_acquire(word, &free_word, c->self))
        return MP_OK;
    return take_slow(c, word, until);
}

void mpi_guard_give(_Atomic uint32_t *word)
{
    uint32_t w = mpi_exchange_release(word, 0);
    if (w & MPI_LOCK_WAITERS)
        mp_port_wake(word, 1);
}
