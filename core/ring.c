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
 * locked instruction waits for the slot's cache line to travel). The biased process marks
 * `busy` with its token around each operation. A second live process revokes the bias
 * once; the side then works with its guard, for everyone. Whoever takes the guard also
 * waits while a live process's mark is up (a revoked owner finishing its last operation);
 * a dead process's mark is ignored, and its bias passes to the next user.
 *
 * Stopped is not dead. A process stopped (SIGSTOP) inside a side keeps it: nobody takes
 * it over, and nobody waits for it past their deadline. MP_NOWAIT calls answer MP_EAGAIN
 * at once (after a short spin); timed ones MP_ETIMEDOUT at their deadline.
 *
 * Close. A put checks `closed` inside its side, so it either sees the close or is inside
 * when the close happens; a get that finds the ring closed and drained waits for the
 * producers' side to be idle and looks once more before it answers MP_ECLOSED. Either a
 * put fails with MP_ECLOSED, or its message stays gettable.
 *
 * Sleeping. Guards are held only while copying, never while waiting. A waiter spins
 * briefly (MP_PORT_SPIN) on the index it needs to move, then reads its side's bell,
 * registers as a sleeper, checks once more everything it waits for (the index, close,
 * the caller's stop condition) and sleeps on the bell (an eventcount). Whoever changes
 * one of those things rings the bell afterwards (a publish only when a sleeper is
 * registered), so a change between the last check and the sleep is never lost, and the
 * common path makes no syscall. The sleeper set and the index are paired Dekker-style
 * (mp_port_fence on the sleeper's side). Sleepers are a set of process slots, not a
 * count: a sleeper killed while registered has its bit cleared when it is joined.
 *
 * tests/models/ring.pml mirrors this protocol (enter, leave, settle, sleep_on, put, get):
 * change the model with it.
 *
 * Copies use __builtin_memcpy: core/ is built -ffreestanding, where plain memcpy is never
 * inlined, and the 4-byte length copies must not become library calls.
 */
#include <string.h>

#include "ring_biased.h"

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

uint64_t mpi_ring_storage(uint32_t msg_size, uint32_t depth)
{
    return (uint64_t)MP_QUEUE_SLOT_SIZE(msg_size) * depth;
}

uint32_t mpi_ring_count(const mpi_ring_t *r)
{
    /* head first: tail only grows meanwhile, so the difference is never negative. It may
     * pass depth only if gets and puts happened between the two loads (head moved): with
     * head unchanged, more than depth is a broken ring. */
    for (;;) {
        uint32_t h = atomic_load_explicit(&r->head, memory_order_acquire);
        uint32_t t = atomic_load_explicit(&r->tail, memory_order_acquire);
        uint32_t n = mpi_ring_diff(r, t, h);
        if (n <= r->depth)
            return n;
        if (atomic_load_explicit(&r->head, memory_order_acquire) == h)
            return MPI_CHECK(n <= r->depth) ? n : r->depth;
    }
}

bool mpi_ring_watch(mpi_ring_t *r, uint32_t slot, bool arm)
{
    if (arm)
        mpi_watch_add(slot, &r->get_bell, &r->get_sleepers);
    return atomic_load(&r->closed) || mpi_ring_count(r) > 0;
}

static void ring_bell(_Atomic uint32_t *bell, uint32_t n)
{
    (void)mpi_fetch_add(bell, 1u);
    mpi_wake(bell, n);
}

/* Wakes every sleeper of a side and takes their bits at once. Waking one and leaving the
 * bits cost a wake call on every later operation until the woken process ran and took its
 * own bit (4 P + 4 C: two calls per message, nearly all waking nobody); with the bits
 * gone, the side's wakers make no call until someone is about to sleep again. A woken
 * process that finds nothing for it puts its bit back before it sleeps (sleep_on, and
 * mp_wait's waiters). Of two wakers racing, the one that takes the bits wakes. */
void mpi_ring_wake_side(_Atomic uint32_t *bell, mpi_slots_t *sleepers)
{
    bool any = false;
    for (uint32_t w = 0; w < MPI_BITWORDS(MP_CONF_MAX_PROCESSES); w++)
        any |= mpi_exchange(&sleepers->bits[w], 0) != 0;
    if (any)
        ring_bell(bell, UINT32_MAX);
}

void mpi_ring_kick(mpi_ring_t *r)
{
    ring_bell(&r->get_bell, UINT32_MAX);
    ring_bell(&r->put_bell, UINT32_MAX);
}

void mpi_ring_close(mpi_ring_t *r)
{
    atomic_store(&r->closed, 1);
    mpi_ring_kick(r);
}

/* A token that names a live process (0 names none). */
static bool live_mark(uint32_t token)
{
    return token != 0 && mpi_token_alive(token);
}

/* Waits, within the caller's deadline, while *word holds the value `seen` that a live
 * process will clear without waking anyone (a busy mark), or until it is released (a
 * guard). A process preempted or stopped inside one operation is looked at again every
 * millisecond. MP_OK to look again; MP_EAGAIN (MP_NOWAIT), MP_ETIMEDOUT or MP_ESTALE. */
static mp_err_t wait_out(const mpi_call_t *c, _Atomic uint32_t *word, uint32_t seen,
                         mpi_until_t *until)
{
    if (mpi_spin_while(word, seen))
        return MP_OK;
    if (until->timeout == MP_NOWAIT)
        return MP_EAGAIN;
    mp_time_t deadline = mpi_until_deadline(until), now = mp_port_now();
    if (now >= deadline)
        return MP_ETIMEDOUT;
    mp_time_t slice = deadline - now > 1000000u ? now + 1000000u : deadline;
    mp_err_t err = mpi_wait(c, word, seen, slice);
    return err == MP_ESTALE ? err : MP_OK;
}

/* How a side was entered, so that leave() undoes exactly that. */
enum { VIA_GUARD, VIA_BIAS, VIA_HANDLER };

/* An interrupt handler on a one-CPU port: nothing else runs until it returns, so it may
 * use a side biased to a task as long as no live process is inside an operation on it
 * (MP_EAGAIN then: a handler must not wait), without taking the bias away; a guarded side
 * it tries once. */
static mp_err_t enter_isr(const mpi_call_t *c, mpi_side_t *s, int *via)
{
    if (live_mark(atomic_load_explicit(&s->busy, memory_order_relaxed)))
        return MP_EAGAIN;
    uint32_t owner = atomic_load_explicit(&s->bias, memory_order_relaxed);
    if (owner != MPI_BIAS_OFF && live_mark(owner)) {
        *via = VIA_HANDLER;
        return MP_OK;
    }
    *via = VIA_GUARD;
    mpi_until_t now = mpi_until(MP_NOWAIT);
    mp_err_t err = mpi_guard_take(c, &s->guard, &now);
    return err == MP_EOWNERDEAD ? MP_OK : err;
}

/* Enters a side for one operation; *via says how it must be left. A guard is held only
 * for a copy, but its holder may be stopped: the caller's deadline bounds the wait, and
 * MP_NOWAIT gets MP_EAGAIN. A holder that died hands it over (MP_EOWNERDEAD: nothing to
 * repair). */
static mp_err_t enter(const mpi_call_t *c, mpi_side_t *s, mpi_until_t *until, int *via)
{
    mpi_token_t self = c->self;
    if (self == MPI_ISR_TOKEN)
        return enter_isr(c, s, via);
    if (mpi_side_enter_biased(s, self)) {
        *via = VIA_BIAS;
        MPI_HOOK(MPI_HOOK_BIASED);
        return MP_OK;
    }
    *via = VIA_GUARD;
    mp_err_t err = mpi_guard_take(c, &s->guard, until);
    if (err != MP_OK && err != MP_EOWNERDEAD)
        return err;
    uint32_t owner = atomic_load_explicit(&s->bias, memory_order_relaxed);
    if (owner != MPI_BIAS_OFF && owner != self) {
        if (!live_mark(owner)) {
            /* the first user, or the successor of one that died (a replaced worker) */
            if (mpi_world.asym)
                atomic_compare_exchange_strong(&s->bias, &owner, self);
        } else {
            /* two live users: this side takes the guard from now on, for everyone */
            atomic_store_explicit(&s->bias, MPI_BIAS_OFF, memory_order_relaxed);
            (void)mp_port_fence(); /* the owner now sees OFF, or we see its mark */
        }
    }
    /* A revoked owner may still be inside its last biased operation. */
    for (;;) {
        uint32_t mark = atomic_load_explicit(&s->busy, memory_order_acquire);
        if (mark == self || !live_mark(mark))
            return MP_OK;
        err = wait_out(c, &s->busy, mark, until);
        if (err != MP_OK) {
            mpi_guard_give(&s->guard);
            return err;
        }
    }
}

static void leave(mpi_side_t *s, int via)
{
    if (via == VIA_BIAS)
        mpi_side_leave_biased(s);
    else if (via == VIA_GUARD)
        mpi_guard_give(&s->guard);
}

/* The ring is closed (or the pipe's peer gone) and looked drained: returns MP_OK once no
 * live producer is inside the producers' side, so that a last look at tail is final. A
 * producer inside looked at `closed` before it was set and will publish. */
static mp_err_t settle(const mpi_call_t *c, mpi_ring_t *r, mpi_until_t *until)
{
    (void)mp_port_fence(); /* the close we saw, before the side's state we read next */
    for (;;) {
        uint32_t g = atomic_load_explicit(&r->put.guard, memory_order_acquire);
        uint32_t mark = atomic_load_explicit(&r->put.busy, memory_order_acquire);
        mp_err_t err = MP_OK;
        if (g != 0 && mpi_token_alive(g & MPI_LOCK_OWNER))
            err = wait_out(c, &r->put.guard, g, until);
        else if (live_mark(mark))
            err = wait_out(c, &r->put.busy, mark, until);
        else
            return MP_OK;
        if (err != MP_OK)
            return err;
    }
}

/* Sleeps until *index moves away from seen, the ring closes, stop() says stop, or the
 * deadline passes; returns MP_OK (look again), MP_ETIMEDOUT or MP_ESTALE. */
static mp_err_t sleep_on(const mpi_call_t *c, mpi_ring_t *r, _Atomic uint32_t *index,
                         uint32_t seen, _Atomic uint32_t *bell, mpi_slots_t *sleepers,
                         mpi_until_t *until, mpi_ring_stop_fn stop, const void *ctx)
{
    if (mpi_spin_while(index, seen))
        return MP_OK;
    uint32_t b = mpi_load(bell);
    mpi_sleeper_add(c, sleepers);
    (void)mp_port_fence(); /* pairs with the light fence of the side that would wake us */
    MPI_HOOK(MPI_HOOK_SLEEPER);
    mp_err_t err = MP_OK;
    if (mpi_load(index) == seen && !mpi_load(&r->closed) && (stop == NULL || stop(ctx) == MP_OK))
        err = mpi_wait(c, bell, b, mpi_until_deadline(until));
    mpi_sleeper_remove(c, sleepers);
    return err;
}

mp_err_t mpi_ring_put(const mpi_call_t *c, mpi_ring_t *r, const void *msg, size_t len,
                      mpi_until_t *until, mpi_ring_stop_fn stop, const void *ctx)
{
    if (len > r->msg_size)
        return MP_EMSGSIZE;
    if (mpi_isr_would_block(until->timeout))
        return MP_EISR;
    for (;;) {
        int via;
        mp_err_t err = enter(c, &r->put, until, &via);
        if (err != MP_OK)
            return err;
        MPI_HOOK(MPI_HOOK_PUT_INSIDE);
        err = atomic_load_explicit(&r->closed, memory_order_relaxed) ? MP_ECLOSED
              : stop != NULL                                          ? stop(ctx)
                                                                      : MP_OK;
        if (err != MP_OK) {
            leave(&r->put, via);
            return err;
        }
        uint32_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
        if (mpi_ring_room(r, t)) {
            mpi_ring_publish(r, t, msg, len);
            leave(&r->put, via);
            mpi_ring_rouse(&r->get_bell, &r->get_sleepers);
            return MP_OK;
        }
        uint32_t h = r->head_seen;
        leave(&r->put, via);
        if (until->timeout == MP_NOWAIT)
            return MP_EAGAIN;
        err = sleep_on(c, r, &r->head, h, &r->put_bell, &r->put_sleepers, until, stop, ctx);
        if (err != MP_OK)
            return err;
    }
}

static mp_err_t get(const mpi_call_t *c, mpi_ring_t *r, bool take, void *buf, size_t size,
                    size_t *len, mpi_until_t *until, mpi_ring_stop_fn stop, const void *ctx)
{
    if (mpi_isr_would_block(until->timeout))
        return MP_EISR;
    for (;;) {
        int via;
        mp_err_t err = enter(c, &r->get, until, &via);
        if (err != MP_OK)
            return err;
        MPI_HOOK(MPI_HOOK_GET_INSIDE);
        uint32_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
        if (mpi_ring_filled(r, h)) {
            uint32_t n = mpi_ring_length(r, h);
            if (!take)
                err = MP_OK; /* poll: there is a message; leave it */
            else if (n > size)
                err = MP_ETOOSMALL;
            else
                mpi_ring_consume(r, h, buf, n); /* buf NULL: dropped (a queue shut down) */
            if (len != NULL)
                *len = n;
            leave(&r->get, via);
            if (take && err == MP_OK)
                mpi_ring_rouse(&r->put_bell, &r->put_sleepers);
            return err;
        }
        uint32_t t = r->tail_seen;
        leave(&r->get, via);
        err = atomic_load_explicit(&r->closed, memory_order_acquire) ? MP_ECLOSED
              : stop != NULL                                          ? stop(ctx)
                                                                      : MP_OK;
        if (err != MP_OK) {
            mp_err_t idle = settle(c, r, until);
            if (idle != MP_OK)
                return idle;
            if (atomic_load_explicit(&r->tail, memory_order_acquire) == t)
                return err; /* drained, and nothing more can come */
            continue;
        }
        if (until->timeout == MP_NOWAIT)
            return MP_EAGAIN;
        err = sleep_on(c, r, &r->tail, t, &r->get_bell, &r->get_sleepers, until, stop, ctx);
        if (err != MP_OK)
            return err;
    }
}

mp_err_t mpi_ring_get(const mpi_call_t *c, mpi_ring_t *r, void *buf, size_t size, size_t *len,
                      mpi_until_t *until, mpi_ring_stop_fn stop, const void *ctx)
{
    return get(c, r, true, buf, size, len, until, stop, ctx);
}

mp_err_t mpi_ring_poll(const mpi_call_t *c, mpi_ring_t *r, mpi_until_t *until,
                       mpi_ring_stop_fn stop, const void *ctx)
{
    return get(c, r, false, NULL, 0, NULL, until, stop, ctx);
}
