/*
 * Lock and RLock inside core/: the entry (lock.c) and what objects built on a lock use.
 */
#include "world.h" /* first: world.h reads this header itself, through objects.def */
#ifndef MP_CORE_LOCK_H
#define MP_CORE_LOCK_H

typedef struct {
    mpi_obj_t hdr;
    _Atomic uint32_t word;
    uint32_t depth;          /* RLock recursion, touched only by the owner */
    _Atomic uint32_t users;  /* Values, Arrays and Conditions built on it: no destroy before */
} mpi_lock_t;
#define MPI_LOCK_OWNED 1u /* created for a Value/Array/Condition: it goes with its last user */

/* For objects built on a lock (Condition, Value/Array). */
mpi_lock_t *mpi_lock_at(uint32_t id, uint32_t kind);
/* Acquire and release with Lock or RLock rules by the lock's kind, on behalf of the call c
 * (a Value's or a Condition's): waits watch c's object. */
mp_err_t mpi_lock_take(const mpi_call_t *c, mpi_lock_t *l, mpi_until_t *until);
mp_err_t mpi_lock_give(const mpi_call_t *c, mpi_lock_t *l);
/* Counts an object built on the lock (MP_ESTALE if it is gone); uncounts it. */
mp_err_t mpi_lock_use(uint32_t id, uint32_t kind);
void mpi_lock_unuse(uint32_t id, uint32_t kind);
/* Creates a lock owned by an object (its users count already 1), and destroys it. */
mp_err_t mpi_lock_create_owned(uint32_t kind, uint32_t *id);
void mpi_lock_destroy_owned(uint32_t id, uint32_t kind);

#endif

#ifdef MPI_OBJECT_LIST
MPI_KIND(LOCK, lock)
MPI_KIND(RLOCK, rlock)
MPI_STORE(mpi_lock_t, locks, MP_CONF_MAX_LOCKS, 0)
MPI_USAGE(locks)
#endif
