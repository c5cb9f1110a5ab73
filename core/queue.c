/*
 * Queue and JoinableQueue: a ring (ring.c) with a handle, from one table.
 *
 * JoinableQueue's unfinished count is not a counter of its own: it is tail - done, where
 * tail is the ring's publication index (one more per put) and done counts task_done
 * calls. A put therefore counts its task in the same single store that publishes the
 * message, and a process killed between the two cannot exist: the count can never drift
 * from the messages actually put.
 */
#include "queue.h"
#include "ring_biased.h"

static mp_err_t watch(uint32_t id, bool arm, bool *ready);
static bool ready_now(const void *obj);

static void release_queue(void *obj, uint32_t flags);

static const mpi_wait_word_t words[] = {
    {offsetof(mpi_queue_t, ring.get_bell), 1, 0, "a message in Queue #"},
    {offsetof(mpi_queue_t, ring.put_bell), 1, 0, "room in Queue #"},
    {offsetof(mpi_queue_t, ring.get.guard), 1, 0, "the consumers' turn in Queue #"},
    {offsetof(mpi_queue_t, ring.put.guard), 1, 0, "the producers' turn in Queue #"},
    {offsetof(mpi_queue_t, done), 1, 0, "task_done() on Queue #"},
};

const mpi_table_t mpi_queue_table = {MPI_TABLE_STORE(queues), .kind = MPI_KIND_QUEUE,
                                     .release = release_queue, .watch = watch,
                                     .ready = ready_now, MPI_TABLE_DESCRIBE(mpi_queue_describe),
                                     MPI_TABLE_WORDS(words)};

static void release_queue(void *obj, uint32_t flags)
{
    mpi_queue_t *o = obj;
    if (flags & MPI_QUEUE_ARENA)
        mpi_arena_free(mpi_offset(o->ring.storage));
}

/* storage: the caller's, or NULL to take it from the arena. */
static mp_err_t create(mp_queue_t *q, uint8_t *storage, uint32_t msg_size, uint32_t depth,
                       bool joinable)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    mpi_queue_t *o;
    uint32_t index, offset = 0;
    err = mpi_obj_alloc(&mpi_queue_table, (void **)&o, &index);
    if (err != MP_OK)
        return err;
    if (storage == NULL) {
        err = mpi_arena_alloc(&c, mpi_ring_storage(msg_size, depth), &offset);
        if (err != MP_OK) {
            mpi_obj_unalloc(&mpi_queue_table, o);
            return err;
        }
    }
    mpi_ring_init(&o->ring, storage != NULL ? storage : mpi_at(offset), msg_size, depth);
    atomic_store(&o->done, 0);
    mpi_slots_clear(&o->join_sleepers);
    q->id = mpi_obj_publish(&mpi_queue_table, o,
                            (joinable ? MPI_QUEUE_JOINABLE : 0u) |
                                (storage == NULL ? MPI_QUEUE_ARENA : 0u));
    return MP_OK;
}

mp_err_t mp_queue_create(mp_queue_t *q, const mp_queue_attr_t *attr)
{
    if (q == NULL || attr == NULL || attr->msg_size == 0 ||
        attr->msg_size > MP_CONF_MAX_MSG_SIZE || attr->depth == 0)
        return MP_EINVAL;
    if (mpi_ring_storage(attr->msg_size, attr->depth) > MP_CONF_ARENA_SIZE)
        return MP_ENOMEM;
    return create(q, NULL, attr->msg_size, attr->depth, attr->joinable);
}

/* Whether a live queue's storage overlaps [start, start + size). */
static bool storage_taken(const uint8_t *start, uint64_t size)
{
    for (uint32_t i = 0; i < mpi_count(MP_CONF_MAX_QUEUES); i++) {
        const mpi_queue_t *o = &mpi_world.queues[i];
        uint32_t tag = atomic_load(&o->hdr.tag);
        if (mpi_tag_kind(tag) == 0 || (tag & MPI_QUEUE_ARENA))
            continue;
        const uint8_t *other = o->ring.storage;
        if (start < other + mpi_ring_storage(o->ring.msg_size, o->ring.depth) &&
            other < start + size)
            return true;
    }
    return false;
}

mp_err_t mp_queue_create_static(mp_queue_t *q, const mp_queue_static_t *def, bool joinable)
{
    if (q == NULL || def == NULL || def->storage == NULL || def->msg_size == 0 ||
        def->msg_size > MP_CONF_MAX_MSG_SIZE || def->depth == 0 ||
        def->size < mpi_ring_storage(def->msg_size, def->depth))
        return MP_EINVAL;
    /* Storage only this process sees (POSIX: not MP_SHARED) would lose every message. */
    if (!mp_port_shared(def->storage, def->size))
        return MP_EINVAL;
    /* One definition, one live queue: two would overwrite each other's messages. (Two
     * creates racing on one definition are not caught; creating a queue is set-up.) */
    if (storage_taken(def->storage, mpi_ring_storage(def->msg_size, def->depth)))
        return MP_EBUSY;
    return create(q, def->storage, def->msg_size, def->depth, joinable);
}

mp_err_t mp_queue_destroy(mp_queue_t q)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_queue_table, q.id);
    if (err != MP_OK)
        return err;
    mpi_queue_t *o = c.obj;
    err = mpi_retire(&c);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    /* Every word a caller may sleep on moves: the bells (close), and done. */
    mpi_ring_close(&o->ring);
    atomic_fetch_add(&o->done, 1u);
    mp_port_wake(&o->done, UINT32_MAX);
    return mpi_leave_retired(&c);
}

mp_err_t mp_queue_put(mp_queue_t q, const void *msg, size_t len, mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_queue_table, q.id);
    if (err != MP_OK)
        return err;
    if (msg == NULL && len > 0)
        return mpi_leave(&c, MP_EINVAL);
    mpi_queue_t *o = c.obj;
    if (MP_CONF_QUEUE_INLINE && mpi_ring_put_biased(&c, &o->ring, msg, len))
        return mpi_leave(&c, MP_OK);
    mpi_until_t until = mpi_until(timeout);
    return mpi_leave(&c, mpi_ring_put(&c, &o->ring, msg, len, &until, NULL, NULL));
}

mp_err_t mp_queue_get(mp_queue_t q, void *buf, size_t size, size_t *len, mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_queue_table, q.id);
    if (err != MP_OK)
        return err;
    if (len == NULL || (buf == NULL && size > 0))
        return mpi_leave(&c, MP_EINVAL);
    mpi_queue_t *o = c.obj;
    if (MP_CONF_QUEUE_INLINE && mpi_ring_get_biased(&c, &o->ring, buf, size, len))
        return mpi_leave(&c, MP_OK);
    mpi_until_t until = mpi_until(timeout);
    return mpi_leave(&c, mpi_ring_get(&c, &o->ring, buf, size, len, &until,
                                      NULL, NULL));
}

mp_err_t mp_queue_qsize(mp_queue_t q, size_t *count)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_queue_table, q.id);
    if (err != MP_OK)
        return err;
    if (count == NULL)
        return mpi_leave(&c, MP_EINVAL);
    const mpi_ring_t *r = &((mpi_queue_t *)c.obj)->ring;
    if (atomic_load(&r->closed))
        return mpi_leave(&c, MP_ECLOSED); /* CPython raises: the count means nothing now */
    *count = mpi_ring_count(r);
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_queue_empty(mp_queue_t q, bool *empty)
{
    size_t n = 0;
    mp_err_t err = mp_queue_qsize(q, empty != NULL ? &n : NULL);
    if (err == MP_OK)
        *empty = n == 0;
    return err; /* a NULL empty: qsize's own MP_EINVAL, after the handle and before closed */
}

mp_err_t mp_queue_full(mp_queue_t q, bool *full)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_queue_table, q.id);
    if (err != MP_OK)
        return err;
    if (full == NULL)
        return mpi_leave(&c, MP_EINVAL);
    const mpi_ring_t *r = &((mpi_queue_t *)c.obj)->ring;
    if (atomic_load(&r->closed))
        return mpi_leave(&c, MP_ECLOSED);
    *full = mpi_ring_count(r) >= r->depth;
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_queue_close(mp_queue_t q)
{
    return mp_queue_shutdown(q, false);
}

/* Counts one more task of a JoinableQueue done (a dropped message): as task_done. */
static void one_done(mpi_queue_t *o)
{
    const mpi_ring_t *r = &o->ring;
    uint32_t d = atomic_load(&o->done);
    while (mpi_ring_diff(r, atomic_load(&r->tail), d) != 0 &&
           !atomic_compare_exchange_weak(&o->done, &d, mpi_ring_next(r, d)))
        ;
}

mp_err_t mp_queue_shutdown(mp_queue_t q, bool immediate)
{
    if (immediate && mp_port_in_isr())
        return MP_EISR; /* dropping is a get per message: a process's work */
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_queue_table, q.id);
    if (err != MP_OK)
        return err;
    mpi_queue_t *o = c.obj;
    mpi_ring_close(&o->ring);
    if (immediate) {
        /* Dropped through the consumers' own path, so a get running meanwhile takes a
         * message or finds none, never half of one. A side held by a stopped process
         * stops the drop there: what is left stays for the gets, which still end
         * MP_ECLOSED once it is gone. */
        mpi_until_t now = mpi_until(MP_NOWAIT);
        size_t len;
        bool joinable = mpi_obj_flags(c.obj) & MPI_QUEUE_JOINABLE;
        while (mpi_ring_get(&c, &o->ring, NULL, SIZE_MAX, &len, &now, NULL, NULL) == MP_OK)
            if (joinable)
                one_done(o);
        if (joinable && mpi_slots_any(&o->join_sleepers))
            mp_port_wake(&o->done, UINT32_MAX); /* join looks again: it may be released */
    }
    return mpi_leave(&c, MP_OK);
}

/* Enters a JoinableQueue: MP_ENOTJOINABLE (left already) for a plain one. */
static mp_err_t enter_joinable(mpi_call_t *c, mp_queue_t q)
{
    mp_err_t err = mpi_enter(c, &mpi_queue_table, q.id);
    if (err == MP_OK && !(mpi_obj_flags(c->obj) & MPI_QUEUE_JOINABLE))
        return mpi_leave(c, MP_ENOTJOINABLE);
    return err;
}

mp_err_t mp_queue_task_done(mp_queue_t q)
{
    mpi_call_t c;
    mp_err_t err = enter_joinable(&c, q);
    if (err != MP_OK)
        return err;
    mpi_queue_t *o = c.obj;
    const mpi_ring_t *r = &o->ring;
    uint32_t d = atomic_load(&o->done);
    for (;;) {
        if (mpi_ring_diff(r, atomic_load(&r->tail), d) == 0)
            return mpi_leave(&c, MP_ETOOMANY);
        if (atomic_compare_exchange_weak(&o->done, &d, mpi_ring_next(r, d)))
            break;
    }
    if (mpi_slots_any(&o->join_sleepers))
        mp_port_wake(&o->done, UINT32_MAX);
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_queue_unfinished(mp_queue_t q, size_t *count)
{
    mpi_call_t c;
    mp_err_t err = enter_joinable(&c, q);
    if (err != MP_OK)
        return err;
    if (count == NULL)
        return mpi_leave(&c, MP_EINVAL);
    mpi_queue_t *o = c.obj;
    uint32_t d = atomic_load(&o->done);
    *count = mpi_ring_diff(&o->ring, atomic_load(&o->ring.tail), d);
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_queue_join(mp_queue_t q, mp_timeout_t timeout)
{
    if (mpi_isr_would_block(timeout))
        return MP_EISR;
    mpi_call_t c;
    mp_err_t err = enter_joinable(&c, q);
    if (err != MP_OK)
        return err;
    mpi_queue_t *o = c.obj;
    mpi_until_t until = mpi_until(timeout);
    for (;;) {
        uint32_t d = atomic_load(&o->done);
        if (mpi_ring_diff(&o->ring, atomic_load(&o->ring.tail), d) == 0) /* destroy moves done */
            return mpi_leave(&c, mpi_retired(&c) ? MP_ESTALE : MP_OK);
        if (timeout == MP_NOWAIT)
            return mpi_leave(&c, MP_EAGAIN);
        mpi_sleeper_add(&c, &o->join_sleepers); /* an atomic or: ordered before the look */
        if (atomic_load(&o->done) == d)
            err = mpi_wait(&c, &o->done, d, mpi_until_deadline(&until));
        mpi_sleeper_remove(&c, &o->join_sleepers);
        if (err != MP_OK)
            return mpi_leave(&c, err);
    }
}

/* mp_wait's look: ready now (a read of the entry, made without entering it, wait.c). */
static bool ready_now(const void *obj)
{
    const mpi_queue_t *o = obj;
    return atomic_load(&o->ring.closed) || mpi_ring_count(&o->ring) > 0;
}

/* mp_wait: a get would not block (a message, or closed). */
static mp_err_t watch(uint32_t id, bool arm, bool *ready)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_queue_table, id);
    if (err != MP_OK)
        return err;
    *ready = mpi_ring_watch(&((mpi_queue_t *)c.obj)->ring, c.slot, arm);
    return mpi_leave(&c, MP_OK);
}

/* mp_dump: how full it is, and for a JoinableQueue its unfinished tasks. */
void mpi_queue_describe(const void *obj, mpi_text_t *text)
{
    const mpi_queue_t *o = obj;
    mpi_text_u(text, mpi_ring_count(&o->ring));
    mpi_text_add(text, " of ");
    mpi_text_u(text, o->ring.depth);
    mpi_text_add(text, " messages of up to ");
    mpi_text_u(text, o->ring.msg_size);
    mpi_text_add(text, " bytes");
    if (mpi_obj_flags(&o->hdr) & MPI_QUEUE_JOINABLE) {
        mpi_text_add(text, ", unfinished ");
        mpi_text_u(text, mpi_ring_diff(&o->ring, atomic_load(&o->ring.tail), atomic_load(&o->done)));
    }
    if (atomic_load(&o->ring.closed))
        mpi_text_add(text, ", closed");
}
