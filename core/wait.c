/*
 * Waiting on several objects at once (mp/wait.h).
 *
 * Each kind that can be waited on says, through its descriptor's `watch` (a process:
 * mpi_process_watch), whether an entry is ready, and when arming, which word a change to
 * it is announced on (the word its own sleepers sleep on) and which sleeper set makes its
 * wakers announce at all. The waiter writes those words into its own record
 * (mpi_proc_t.watch), joins the sets, and sleeps on a word of its own, wait_seq. Wakers wake
 * the object's word as before, through mpi_wake, which also moves and wakes the wait_seq of
 * each process watching that word. So the wake-up reaches the waiter directly; a program
 * that never calls mp_wait pays one load per wake, and wakes happen only when someone sleeps.
 * The waiter wakes none of the object's own sleepers' wake-ups away: it is never among the
 * sleepers of the word itself (a semaphore's release still wakes its acquirer).
 *
 * No lost wake-up: the waiter registers and joins the sets before its last look at the
 * objects, with a fence between, as every sleeper does; a waker changes the object before
 * it looks at the sets and at who watches: one of the two sees the other. The waiter reads
 * wait_seq before that look, so a wake in between makes its sleep return at once.
 *
 * While it sleeps the waiter is inside none of the objects (it enters each only to look),
 * so it holds up no destroy: a destroy retires the entry and wakes its word, and the next
 * look says MP_ESTALE.
 */
#include "world.h"

void mpi_watch_add(uint32_t slot, _Atomic uint32_t *word, mpi_slots_t *set)
{
    mpi_proc_t *me = &mpi_world.procs[slot];
    for (uint32_t k = 0; k < MP_CONF_WAIT_OBJECTS; k++) {
        if (atomic_load_explicit(&me->watch[k], memory_order_relaxed) != 0)
            continue;
        atomic_store(&me->watch[k], mpi_offset(word));
        if (set != NULL) {
            atomic_store(&me->watch_set[k], mpi_offset(set));
            mpi_slots_add(set, slot); /* after the word: a waker that sees the bit finds it */
        }
        return;
    }
    (void)MPI_CHECK(false); /* mp_wait arms at most MP_CONF_WAIT_OBJECTS */
}

void mpi_watch_forget(uint32_t slot)
{
    /* The bit goes last, after every registration: without it there is none (a join pays
     * one load for a process that never waited on several objects). */
    if (!mpi_slots_has(&mpi_world.watching, slot))
        return;
    mpi_proc_t *me = &mpi_world.procs[slot];
    for (uint32_t k = 0; k < MP_CONF_WAIT_OBJECTS; k++) {
        uint32_t set = atomic_exchange(&me->watch_set[k], 0);
        if (set != 0)
            mpi_slots_remove(mpi_at(set), slot);
        atomic_store(&me->watch[k], 0);
    }
    mpi_slots_remove(&mpi_world.watching, slot);
}

static void notify(const _Atomic uint32_t *word)
{
    uint32_t off = mpi_offset(word);
    for (uint32_t w = 0; w < MPI_BITWORDS(MP_CONF_MAX_PROCESSES); w++) {
        uint32_t bits = atomic_load(&mpi_world.watching.bits[w]);
        for (; bits != 0; bits &= bits - 1u) {
            mpi_proc_t *p = &mpi_world.procs[w * 32u + (uint32_t)__builtin_ctz(bits)];
            for (uint32_t k = 0; k < MP_CONF_WAIT_OBJECTS; k++) {
                if (atomic_load(&p->watch[k]) == off) {
                    atomic_fetch_add(&p->wait_seq, 1u);
                    mp_port_wake(&p->wait_seq, 1u);
                    break;
                }
            }
        }
    }
}

void mpi_wake(_Atomic uint32_t *word, uint32_t n)
{
    mp_port_wake(word, n);
    if (mpi_slots_any(&mpi_world.watching))
        notify(word);
}

/* One item: its kind's hook says whether it is ready (and arms it). */
static mp_err_t watch_one(uint32_t id, bool arm, bool *ready)
{
    uint32_t kind = mpi_id_kind(id);
    if (kind == MPI_KIND_PROCESS)
        return mpi_process_watch(id, arm, ready);
    const mpi_table_t *t = kind < MPI_KIND_END ? mpi_table_of(kind) : NULL;
    if (t == NULL || t->watch == NULL)
        return MP_EHANDLE;
    /* A look, the common case, reads the entry without entering it: several objects are
     * looked at for every wake-up. Anything unusual takes the hook's full path. */
    const mpi_obj_t *h = !arm && t->ready != NULL ? mpi_peek(t, id) : NULL;
    if (h != NULL) {
        bool r = t->ready(h);
        if (mpi_peek_still(h, id)) {
            *ready = r;
            return MP_OK;
        }
    }
    return t->watch(id, arm, ready);
}

/* Looks at every item; *count is how many are ready, or the index of the one that failed. */
static mp_err_t look(mp_wait_item_t *items, size_t n, bool arm, size_t *count)
{
    size_t ready = 0;
    for (size_t i = 0; i < n; i++) {
        bool r = false;
        mp_err_t err = watch_one(items[i].id, arm, &r);
        if (err != MP_OK) {
            *count = i;
            return err;
        }
        items[i].ready = r;
        ready += r;
    }
    *count = ready;
    return MP_OK;
}

/* After a wake-up: back into every sleeper set, since a ring's waker takes the bits of
 * all it wakes (ring.c). Before the next look, so a change after it still reaches us. */
static void rejoin(uint32_t slot)
{
    const mpi_proc_t *me = &mpi_world.procs[slot];
    for (uint32_t k = 0; k < MP_CONF_WAIT_OBJECTS; k++) {
        uint32_t set = atomic_load(&me->watch_set[k]);
        if (set != 0)
            mpi_slots_add(mpi_at(set), slot);
    }
}

/* Sleeps on wait_seq, registered with every item, until one is ready or the deadline. */
static mp_err_t sleep_on_all(const mpi_call_t *c, mp_wait_item_t *items, size_t n,
                             mp_time_t deadline, size_t *count)
{
    mpi_proc_t *me = &mpi_world.procs[c->slot];
    mpi_slots_add(&mpi_world.watching, c->slot);
    mp_err_t err = look(items, n, true, count);
    while (err == MP_OK) {
        uint32_t seen = atomic_load(&me->wait_seq);
        (void)mp_port_fence(); /* pairs with the light fence of the side that would wake us */
        err = look(items, n, false, count);
        if (err != MP_OK || *count > 0)
            break;
        err = mpi_wait(NULL, &me->wait_seq, seen, deadline);
        if (err == MP_ETIMEDOUT) {
            err = look(items, n, false, count);
            if (err == MP_OK && *count == 0)
                err = MP_ETIMEDOUT;
            break;
        }
        rejoin(c->slot);
    }
    mpi_watch_forget(c->slot);
    return err;
}

mp_err_t mp_wait(mp_wait_item_t *items, size_t n, mp_timeout_t timeout, size_t *count)
{
    if (mpi_isr_would_block(timeout))
        return MP_EISR;
    mpi_call_t c;
    mp_err_t err = mpi_caller(&c);
    if (err != MP_OK)
        return err;
    if (items == NULL || count == NULL || n == 0 || n > MP_CONF_WAIT_OBJECTS)
        return MP_EINVAL;
    err = look(items, n, false, count); /* most often something is ready: no registering */
    if (err != MP_OK || *count > 0)
        return err;
    if (timeout == MP_NOWAIT)
        return MP_EAGAIN;
    /* Spin first, as a queue get does (MP_PORT_SPIN): a sleep and its wake cost syscalls. */
    for (int spin = 0; spin < MP_PORT_SPIN; spin += 4) {
        MP_PORT_RELAX();
        err = look(items, n, false, count);
        if (err != MP_OK || *count > 0)
            return err;
    }
    return sleep_on_all(&c, items, n, mpi_deadline(timeout), count);
}

size_t mpi_watch_describe(const void *addr, char *buf, size_t size)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++) {
        const mpi_proc_t *p = &mpi_world.procs[i];
        if (addr != (const void *)&p->wait_seq)
            continue;
        size_t n = mpi_strlcpy(buf, "any of: ", size);
        const char *sep = "";
        for (uint32_t k = 0; k < MP_CONF_WAIT_OBJECTS && n < size; k++) {
            uint32_t off = atomic_load(&p->watch[k]);
            if (off == 0)
                continue;
            n += mpi_strlcpy(buf + n, sep, size - n);
            if (n < size)
                n += mp_core_describe_wait(mpi_at(off), buf + n, size - n);
            sep = ", ";
        }
        return n < size ? n : size - 1;
    }
    return 0;
}
