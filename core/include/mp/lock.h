/*
 * Lock and RLock, shared by every process, from one fixed table.
 *
 * Lock: any process may release it (CPython's rule); releasing it while unlocked is
 * MP_ENOTLOCKED. RLock: the owner may acquire it again; it is free after as many
 * releases; a release by another process, or while unlocked, is MP_EPERM.
 *
 * Unlike CPython, a lock whose holder dies (returns without releasing, is terminated,
 * killed, or crashes) is not lost: the next acquirer gets it with MP_EOWNERDEAD, which
 * means "acquired, and the state it protects may be half-updated". That is reported to
 * exactly one acquirer; processes already blocked on the lock wake up for it. Treat
 * MP_EOWNERDEAD as success plus a duty to repair.
 *
 * Acquire returns MP_OK, MP_EOWNERDEAD, MP_EAGAIN (MP_NOWAIT and held) or MP_ETIMEDOUT.
 */
#ifndef MP_LOCK_H
#define MP_LOCK_H

#include "mp/config.h"
#include "mp/process.h"
#include "mp/types.h"

typedef struct {
    uint32_t id;
} mp_lock_t;

typedef struct {
    uint32_t id;
} mp_rlock_t;

/* @retval MP_ENOSLOT no free lock in the table (MP_CONF_MAX_LOCKS) */
mp_err_t mp_lock_create(mp_lock_t *lock);
mp_err_t mp_lock_acquire(mp_lock_t lock, mp_timeout_t timeout);
mp_err_t mp_lock_release(mp_lock_t lock);
mp_err_t mp_lock_locked(mp_lock_t lock, bool *locked);
/* @retval MP_EBUSY the lock is held (by a live process), or a Condition uses it: it can
 *         be destroyed once that Condition is */
mp_err_t mp_lock_destroy(mp_lock_t lock);

mp_err_t mp_rlock_create(mp_rlock_t *lock);
mp_err_t mp_rlock_acquire(mp_rlock_t lock, mp_timeout_t timeout);
mp_err_t mp_rlock_release(mp_rlock_t lock);
/* How many times the caller holds it (0 when another process or nobody holds it). */
mp_err_t mp_rlock_depth(mp_rlock_t lock, uint32_t *depth);
/* Whether anyone holds it (CPython's RLock repr: owner and count), and who: *holder is the
 * holding process (a process that died holding it stays the holder until someone takes it
 * over with MP_EOWNERDEAD), {0} when free; holder may be NULL. */
mp_err_t mp_rlock_locked(mp_rlock_t lock, bool *locked, mp_process_t *holder);
/* @retval MP_EBUSY held by a live process, used by a Condition, or the lock of a
 *         Value/Array (mp_value_get_lock): that one goes with its object */
mp_err_t mp_rlock_destroy(mp_rlock_t lock);

#endif
