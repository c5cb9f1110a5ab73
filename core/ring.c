/*
 * A ring of variable-length messages in shared memory: the engine of Queue and Pipe.
 *
 * Layout. depth slots of `stride` bytes: a 32-bit length, then the bytes. Producers own
 * `tail` (and a cached copy of head), consumers own `head` (and a cached copy of tail);
 * each group sits on its own cache line with its own guard, so a producer and a
 * consumer only meet on the slot they hand over and on the index they publish.
 *
 * Publication. A message becomes visible by one store of tail, made after the slot is
 * completely written, and is consumed by one store of head, made after it is completely
 * copied out. A process killed at any instruction therefore leaves either the whole
 * message or nothing: the next holder of the side (told MP_EOWNERDEAD, or finding the
 * biased owner dead) has nothing to repair and simply writes over the unpublished slot.
 *
 * Sides. Producers share one side, consumers the other (mpi_side_t). While only one
 * process uses a side, the side is biased to it and an operation is plain loads and
 * stores: no atomic read-modify-write, no fence, which is what lets one producer and one
 * consumer reach the speed of a single-producer ring (on this kind of machine every
 * locked instruction waits for the slot's cache line to travel). A second process
 * revokes the bias once; the side then works with its guard, for everyone.
 *
 * Sleeping. Guards are held only while copying, never while waiting. A waiter spins
 * briefly (MP_CONF_SPIN) on the index it needs to move, then reads its side's bell,
 * registers as a sleeper, checks once more everything it waits for (the index, close,
 * the caller's stop condition) and sleeps on the bell (an eventcount). Whoever changes
 * one of those things rings the bell afterwards (a publish only when a sleeper is
 * registered), so a change between the last check and the sleep is never lost, and the
 * common path makes no syscall. The sleeper count and the index are paired Dekker-style
 * with sequentially consistent operations.
 */
#include <string.h>

#include "ring.h"
#include "test_hooks.h"

/* __builtin_memcpy: core/ is built -ffreestanding, where plain memcpy is never inlined;
 * the 4-byte length copies must not become library calls. */

void mpi_ring_init(mpi_ring_t *r, uint8_t *storage, uint32_t msg_size, uint32_t depth)
{
    memset(r, 0, sizeof *r);
    r->storage = storage;
    r->depth = depth;
    r->msg_size = msg_size;
    r->stride = MP_QUEUE_SLOT_SIZE(msg_size);
    bool pow2 = (depth & (depth - 1u)) == 0;
    r->mask = pow2 ? depth - 1u : UINT32_MAX;
    /* Indices wrap at a multiple of depth, so slot = index % depth stays continuous. */
    r->limit = pow2 ? UINT32_MAX : depth * (UINT32_MAX / depth) - 1u;
}

static uint8_t *slot_at(const mpi_ring_t *r, uint32_t index)
{
    uint32_t k = r->mask != UINT32_MAX ? index & r->mask : index % r->depth;
    return r->storage + (size_t)k * r->stride;
}

uint32_t mpi_ring_count(const mpi_ring_t *r)
{
    /* head first: tail only grows meanwhile, so the difference is never negative */
    uint32_t h = atomic_load_explicit(&r->head, memory_order_acquire);
    uint32_t t = atomic_load_explicit(&r->tail, memory_order_acquire);
    uint32_t n = mpi_ring_diff(r, t, h);
    return n > r->depth ? r->depth : n;
}

static void ring(_Atomic uint32_t *bell, uint32_t n)
{
    atomic_fetch_add(bell, 1u);
    mp_port_wake(bell, n);
}

void mpi_ring_kick(mpi_ring_t *r)
{
    ring(&r->get_bell, UINT32_MAX);
    ring(&r->put_bell, UINT32_MAX);
}

void mpi_ring_close(mpi_ring_t *r)
{
    atomic_store(&r->closed, 1);
    mpi_ring_kick(r);
}

/* Sleeps until *index moves away from seen, the ring closes, stop() says stop, or the
 * deadline passes; returns MP_OK (look again) or MP_ETIMEDOUT. */
static mp_err_t sleep_on(mpi_ring_t *r, _Atomic uint32_t *index, uint32_t seen,
                         _Atomic uint32_t *bell, _Atomic uint32_t *sleepers,
                         mpi_until_t *until, mpi_ring_stop_fn stop, const void *ctx)
{
    if (mpi_spin_while(index, seen))
        return MP_OK;
    uint32_t b = atomic_load(bell);
    atomic_fetch_add(sleepers, 1u);
    (void)mp_port_fence(); /* pairs with light_fence() on the side that would wake us */
    MPI_HOOK(MPI_HOOK_SLEEPER);
    mp_err_t err = MP_OK;
    if (atomic_load(index) == seen && !atomic_load(&r->closed) && (stop == NULL || stop(ctx) == MP_OK))
        err = mpi_wait(bell, b, mpi_until_deadline(until));
    atomic_fetch_sub(sleepers, 1u);
    return err;
}

/* The fast side of a handshake with mp_port_fence() (or with a plain fence when the port
 * has none): orders this process's earlier stores before its later loads. */
static void light_fence(void)
{
    atomic_signal_fence(memory_order_seq_cst);
    if (!mpi_world.asym)
        atomic_thread_fence(memory_order_seq_cst);
}

/* Takes the side away from the process it is biased to, for good. */
static void revoke(mpi_side_t *s, uint32_t owner)
{
    atomic_store_explicit(&s->bias, MPI_BIAS_OFF, memory_order_relaxed);
    (void)mp_port_fence(); /* the owner now sees OFF, or we see its busy flag */
    while (atomic_load_explicit(&s->busy, memory_order_acquire) && mpi_token_alive(owner)) {
        if (mpi_spin_while(&s->busy, 1))
            continue;
        /* the owner was preempted inside one operation: let it finish */
        (void)mpi_wait(&s->busy, 1, mp_port_now() + 1000000u);
    }
}

/* Enters a side for one operation; *via says how it must be left. Guards are held only
 * for a copy, so even MP_NOWAIT callers wait for one; a holder that died hands it over
 * (MP_EOWNERDEAD: nothing to repair). */
/* How a side was entered, so that leave() undoes exactly that. */
enum { VIA_GUARD, VIA_BIAS, VIA_HANDLER };

/* An interrupt handler on a one-CPU port: nothing else runs until it returns, so it may
 * use a side biased to a task as long as that task is not inside an operation on it
 * (MP_EAGAIN then: a handler must not wait), without taking the bias away; a guarded side
 * it tries once. */
static mp_err_t enter_isr(mpi_side_t *s, int *via)
{
    uint32_t owner = atomic_load_explicit(&s->bias, memory_order_relaxed);
    if (owner != 0 && owner != MPI_BIAS_OFF && mpi_token_alive(owner)) {
        if (atomic_load_explicit(&s->busy, memory_order_relaxed))
            return MP_EAGAIN;
        *via = VIA_HANDLER;
        return MP_OK;
    }
    *via = VIA_GUARD;
    mpi_until_t now = mpi_until(MP_NOWAIT);
    mp_err_t err = mpi_guard_take(&s->guard, MPI_ISR_TOKEN, &now);
    return err == MP_EOWNERDEAD ? MP_OK : err;
}

static mp_err_t enter(mpi_side_t *s, mpi_token_t self, mpi_until_t *until, int *via)
{
    if (self == MPI_ISR_TOKEN)
        return enter_isr(s, via);
    if (atomic_load_explicit(&s->bias, memory_order_relaxed) == self) {
        atomic_store_explicit(&s->busy, 1, memory_order_relaxed);
        light_fence();
        if (atomic_load_explicit(&s->bias, memory_order_relaxed) == self) {
            *via = VIA_BIAS;
            MPI_HOOK(MPI_HOOK_BIASED);
            return MP_OK;
        }
        atomic_store_explicit(&s->busy, 0, memory_order_release); /* revoked meanwhile */
    }
    *via = VIA_GUARD;
    mpi_until_t forever = mpi_until(MP_FOREVER);
    mp_err_t err = mpi_guard_take(&s->guard, self, until->timeout == MP_NOWAIT ? &forever : until);
    if (err != MP_OK && err != MP_EOWNERDEAD)
        return err;
    uint32_t owner = atomic_load_explicit(&s->bias, memory_order_relaxed);
    if (owner == MPI_BIAS_OFF || owner == self)
        return MP_OK;
    if (owner == 0 || !mpi_token_alive(owner)) {
        /* the first user, or the successor of one that died (a replaced worker): biased
         * to it; a dead owner cannot be inside an operation any more */
        if (mpi_world.asym)
            atomic_compare_exchange_strong(&s->bias, &owner, self);
    } else {
        revoke(s, owner); /* two live users: this side takes the guard from now on */
    }
    return MP_OK;
}

static void leave(mpi_side_t *s, int via)
{
    if (via == VIA_BIAS)
        atomic_store_explicit(&s->busy, 0, memory_order_release);
    else if (via == VIA_GUARD)
        mpi_guard_give(&s->guard);
}

mp_err_t mpi_ring_put(mpi_ring_t *r, const void *msg, size_t len, mpi_until_t *until,
                      mpi_ring_stop_fn stop, const void *ctx)
{
    if (len > r->msg_size)
        return MP_EMSGSIZE;
    if (mpi_isr_would_block(until->timeout))
        return MP_EISR;
    mpi_token_t self = mpi_self_token();
    for (;;) {
        if (atomic_load_explicit(&r->closed, memory_order_relaxed))
            return MP_ECLOSED;
        mp_err_t err = stop ? stop(ctx) : MP_OK;
        if (err != MP_OK)
            return err;
        int via;
        err = enter(&r->put, self, until, &via);
        if (err != MP_OK)
            return err;
        MPI_HOOK(MPI_HOOK_PUT_INSIDE);
        uint32_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
        if (mpi_ring_diff(r, t, r->head_seen) >= r->depth)
            r->head_seen = atomic_load_explicit(&r->head, memory_order_acquire);
        if (mpi_ring_diff(r, t, r->head_seen) < r->depth) {
            uint8_t *slot = slot_at(r, t);
            uint32_t n = (uint32_t)len;
            __builtin_memcpy(slot, &n, sizeof n);
            if (len > 0)
                __builtin_memcpy(slot + sizeof n, msg, len);
            MPI_HOOK(MPI_HOOK_PUT_PUBLISH);
            atomic_store_explicit(&r->tail, mpi_ring_next(r, t), memory_order_release);
            leave(&r->put, via);
            light_fence();
            if (atomic_load_explicit(&r->get_sleepers, memory_order_relaxed) != 0)
                ring(&r->get_bell, 1);
            return MP_OK;
        }
        uint32_t h = r->head_seen;
        leave(&r->put, via);
        if (until->timeout == MP_NOWAIT)
            return MP_EFULL;
        err = sleep_on(r, &r->head, h, &r->put_bell, &r->put_sleepers, until, stop, ctx);
        if (err != MP_OK)
            return err;
    }
}

mp_err_t mpi_ring_get(mpi_ring_t *r, void *buf, size_t size, size_t *len, mpi_until_t *until,
                      mpi_ring_stop_fn stop, const void *ctx)
{
    if (mpi_isr_would_block(until->timeout))
        return MP_EISR;
    mpi_token_t self = mpi_self_token();
    for (;;) {
        int via;
        mp_err_t err = enter(&r->get, self, until, &via);
        if (err != MP_OK)
            return err;
        MPI_HOOK(MPI_HOOK_GET_INSIDE);
        uint32_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
        if (h == r->tail_seen)
            r->tail_seen = atomic_load_explicit(&r->tail, memory_order_acquire);
        if (h != r->tail_seen) {
            const uint8_t *slot = slot_at(r, h);
            uint32_t n;
            __builtin_memcpy(&n, slot, sizeof n);
            if (buf == NULL) {
                err = MP_OK; /* poll: there is a message; leave it */
            } else if (n > size) {
                err = MP_ETOOSMALL;
            } else {
                if (n > 0)
                    __builtin_memcpy(buf, slot + sizeof n, n);
                atomic_store_explicit(&r->head, mpi_ring_next(r, h), memory_order_release);
            }
            if (len != NULL)
                *len = n;
            leave(&r->get, via);
            if (buf != NULL && err == MP_OK) {
                light_fence();
                if (atomic_load_explicit(&r->put_sleepers, memory_order_relaxed) != 0)
                    ring(&r->put_bell, 1);
            }
            return err;
        }
        uint32_t t = r->tail_seen;
        leave(&r->get, via);
        if (atomic_load_explicit(&r->closed, memory_order_acquire) &&
            atomic_load_explicit(&r->tail, memory_order_acquire) == t)
            return MP_ECLOSED;
        err = stop ? stop(ctx) : MP_OK;
        if (err != MP_OK && atomic_load_explicit(&r->tail, memory_order_acquire) == t)
            return err; /* drained, and nothing more can come */
        if (err == MP_OK) {
            if (until->timeout == MP_NOWAIT)
                return MP_EEMPTY;
            err = sleep_on(r, &r->tail, t, &r->get_bell, &r->get_sleepers, until, stop, ctx);
            if (err != MP_OK)
                return err;
        }
    }
}
