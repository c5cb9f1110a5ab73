/*
 * The common case of a ring operation, inline in its callers (queue.c, pipe.c, ring.c):
 * the side biased to the caller, and the message or the room there. A call that finds
 * anything else (another user, closed, full, empty, too small, a handler) has changed
 * nothing and takes the whole path, mpi_ring_put or mpi_ring_get, which goes through the
 * same steps. Measured on the Cortex-M3: the call, the deadline and the side's entry
 * behind one function boundary cost more than the operation itself.
 *
 * These are the steps of ring.c's biased path, in its order (enter: mark busy, fence,
 * look at the bias again; check; copy; publish; leave; ring the other side's bell when it
 * has sleepers), so tests/models/ring.pml describes both; the test hooks fire at the same
 * points and as often.
 */
#ifndef MP_CORE_RING_BIASED_H
#define MP_CORE_RING_BIASED_H

#include "ring.h"
#include "test_hooks.h"

/* Wakes every sleeper of a side (ring.c). */
void mpi_ring_wake_side(_Atomic uint32_t *bell, mpi_slots_t *sleepers);

/* Enters side s through its bias if it is biased to self: marks it busy, then looks at the
 * bias again (a revoke may have come between: its fence pairs with ours). */
static inline bool mpi_side_enter_biased(mpi_side_t *s, mpi_token_t self)
{
    if (atomic_load_explicit(&s->bias, memory_order_relaxed) != self)
        return false;
    atomic_store_explicit(&s->busy, self, memory_order_relaxed);
    mpi_light_fence(); /* the mark before the second look: pairs with revoke's fence */
    if (atomic_load_explicit(&s->bias, memory_order_relaxed) == self)
        return true;
    mpi_store_release(&s->busy, 0); /* revoked meanwhile */
    return false;
}

static inline void mpi_side_leave_biased(mpi_side_t *s)
{
    mpi_store_release(&s->busy, 0);
}

/* After a publish, outside the side: wakes the other side's sleepers, if any. */
static inline void mpi_ring_rouse(_Atomic uint32_t *bell, mpi_slots_t *sleepers)
{
    mpi_light_fence(); /* the index before the sleeper set: pairs with sleep_on's fence */
    if (mpi_slots_any(sleepers))
        mpi_ring_wake_side(bell, sleepers);
}

static inline uint8_t *mpi_ring_slot(const mpi_ring_t *r, uint32_t index)
{
    uint32_t k = r->mask != UINT32_MAX ? index & r->mask : index % r->depth;
    return r->storage + (size_t)k * r->stride;
}

/* Producers, inside: whether the slot at tail t is free (the cached head first). */
static inline bool mpi_ring_room(mpi_ring_t *r, uint32_t t)
{
    if (mpi_ring_diff(r, t, r->head_seen) >= r->depth)
        r->head_seen = mpi_load_acquire(&r->head);
    return mpi_ring_diff(r, t, r->head_seen) < r->depth;
}

/* Producers, inside, with room: copies the message into slot t and publishes it. */
static inline void mpi_ring_publish(mpi_ring_t *r, uint32_t t, const void *msg, size_t len)
{
    uint8_t *slot = mpi_ring_slot(r, t);
    uint32_t n = (uint32_t)len;
    __builtin_memcpy(slot, &n, sizeof n);
    if (len > 0)
        __builtin_memcpy(slot + sizeof n, msg, len);
    MPI_HOOK(MPI_HOOK_PUT_PUBLISH);
    mpi_store_release(&r->tail, mpi_ring_next(r, t));
}

/* Consumers, inside: whether a message is at head h (the cached tail first). */
static inline bool mpi_ring_filled(mpi_ring_t *r, uint32_t h)
{
    if (h == r->tail_seen)
        r->tail_seen = mpi_load_acquire(&r->tail);
    return h != r->tail_seen;
}

static inline uint32_t mpi_ring_length(const mpi_ring_t *r, uint32_t h)
{
    uint32_t n;
    __builtin_memcpy(&n, mpi_ring_slot(r, h), sizeof n);
    return n;
}

/* Consumers, inside: copies the n-byte message at head h out (buf NULL: dropped) and
 * frees its slot. */
static inline void mpi_ring_consume(mpi_ring_t *r, uint32_t h, void *buf, uint32_t n)
{
    if (n > 0 && buf != NULL)
        __builtin_memcpy(buf, mpi_ring_slot(r, h) + sizeof n, n);
    mpi_store_release(&r->head, mpi_ring_next(r, h));
}

/* mpi_ring_put's biased case: true when the message is in; false when nothing was done. */
static inline bool mpi_ring_put_biased(const mpi_call_t *c, mpi_ring_t *r, const void *msg,
                                       size_t len)
{
    if (len > r->msg_size || !mpi_side_enter_biased(&r->put, c->self))
        return false;
    uint32_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
    if (atomic_load_explicit(&r->closed, memory_order_relaxed) || !mpi_ring_room(r, t)) {
        mpi_side_leave_biased(&r->put);
        return false;
    }
    MPI_HOOK(MPI_HOOK_BIASED);
    MPI_HOOK(MPI_HOOK_PUT_INSIDE);
    mpi_ring_publish(r, t, msg, len);
    mpi_side_leave_biased(&r->put);
    mpi_ring_rouse(&r->get_bell, &r->get_sleepers);
    return true;
}

/* mpi_ring_get's biased case: true when a message of at most size bytes was taken (*len
 * its size); false when nothing was done. */
static inline bool mpi_ring_get_biased(const mpi_call_t *c, mpi_ring_t *r, void *buf,
                                       size_t size, size_t *len)
{
    if (!mpi_side_enter_biased(&r->get, c->self))
        return false;
    uint32_t h = atomic_load_explicit(&r->head, memory_order_relaxed), n;
    if (!mpi_ring_filled(r, h) || (n = mpi_ring_length(r, h)) > size) {
        mpi_side_leave_biased(&r->get);
        return false;
    }
    MPI_HOOK(MPI_HOOK_BIASED);
    MPI_HOOK(MPI_HOOK_GET_INSIDE);
    mpi_ring_consume(r, h, buf, n);
    *len = n;
    mpi_side_leave_biased(&r->get);
    mpi_ring_rouse(&r->put_bell, &r->put_sleepers);
    return true;
}

#endif
