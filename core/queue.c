/*
 * Queue and JoinableQueue: a ring (ring.c) with a handle, from one table.
 *
 * JoinableQueue's unfinished count is not a counter of its own: it is tail - done, where
 * tail is the ring's publication index (one more per put) and done counts task_done
 * calls. A put therefore counts its task in the same single store that publishes the
 * message, and a process killed between the two cannot exist: the count can never drift
 * from the messages actually put.
 */
#include "ring.h"
#include "test_hooks.h"

static const mpi_table_t table = {mpi_world.queues, sizeof mpi_world.queues[0],
                                  MP_CONF_MAX_QUEUES, MPI_KIND_QUEUE, mpi_world.queues_free};

static mpi_queue_t *lookup(mp_queue_t q, mp_err_t *err)
{
    return mpi_obj_get(&table, q.id, err);
}

static mp_err_t create(mp_queue_t *q, uint8_t *storage, uint32_t msg_size, uint32_t depth,
                       bool joinable, bool from_arena)
{
    mpi_queue_t *o;
    mp_err_t err = mpi_obj_alloc(&table, (void **)&o, &q->id);
    if (err != MP_OK) {
        if (from_arena)
            mpi_arena_free(mpi_offset(storage));
        return err;
    }
    mpi_ring_init(&o->ring, storage, msg_size, depth);
    atomic_store(&o->done, 0);
    atomic_store(&o->join_sleepers, 0);
    o->hdr.flags = (uint8_t)((joinable ? MPI_QUEUE_JOINABLE : 0u) |
                             (from_arena ? MPI_QUEUE_ARENA : 0u));
    return MP_OK;
}

mp_err_t mp_queue_create(mp_queue_t *q, const mp_queue_attr_t *attr)
{
    if (q == NULL || attr == NULL || attr->msg_size == 0 ||
        attr->msg_size > MP_CONF_MAX_MSG_SIZE || attr->depth == 0)
        return MP_EINVAL;
    if ((uint64_t)MP_QUEUE_SLOT_SIZE(attr->msg_size) * attr->depth > MP_CONF_ARENA_SIZE)
        return MP_ENOMEM;
    if (mpi_world.ready != MPI_WORLD_READY)
        return MP_ENOINIT;
    uint32_t offset;
    mp_err_t err = mpi_arena_alloc(MP_QUEUE_STORAGE_SIZE(attr->msg_size, attr->depth), &offset);
    if (err != MP_OK)
        return err;
    return create(q, mpi_at(offset), attr->msg_size, attr->depth, attr->joinable, true);
}

mp_err_t mp_queue_create_static(mp_queue_t *q, const mp_queue_static_t *def, bool joinable)
{
    if (q == NULL || def == NULL || def->storage == NULL || def->msg_size == 0 ||
        def->msg_size > MP_CONF_MAX_MSG_SIZE || def->depth == 0 ||
        def->size < MP_QUEUE_STORAGE_SIZE(def->msg_size, def->depth))
        return MP_EINVAL;
    return create(q, def->storage, def->msg_size, def->depth, joinable, false);
}

mp_err_t mp_queue_destroy(mp_queue_t q)
{
    mp_err_t err;
    mpi_queue_t *o = lookup(q, &err);
    if (o == NULL)
        return err;
    mpi_ring_close(&o->ring);
    mp_port_wake(&o->done, UINT32_MAX);
    if (o->hdr.flags & MPI_QUEUE_ARENA)
        mpi_arena_free(mpi_offset(o->ring.storage));
    mpi_obj_free(&table, o);
    return MP_OK;
}

mp_err_t mp_queue_put(mp_queue_t q, const void *msg, size_t len, mp_timeout_t timeout)
{
    mp_err_t err;
    mpi_queue_t *o = lookup(q, &err);
    if (o == NULL)
        return err;
    if (msg == NULL && len > 0)
        return MP_EINVAL;
    mpi_until_t until = mpi_until(timeout);
    return mpi_ring_put(&o->ring, msg, len, &until, NULL, NULL);
}

mp_err_t mp_queue_get(mp_queue_t q, void *buf, size_t size, size_t *len, mp_timeout_t timeout)
{
    mp_err_t err;
    mpi_queue_t *o = lookup(q, &err);
    if (o == NULL)
        return err;
    if (len == NULL || (buf == NULL && size > 0))
        return MP_EINVAL;
    static uint8_t none;
    mpi_until_t until = mpi_until(timeout);
    return mpi_ring_get(&o->ring, buf ? buf : &none, size, len, &until, NULL, NULL);
}

mp_err_t mp_queue_qsize(mp_queue_t q, size_t *count)
{
    if (count == NULL)
        return MP_EINVAL;
    mp_err_t err;
    mpi_queue_t *o = lookup(q, &err);
    if (o != NULL)
        *count = mpi_ring_count(&o->ring);
    return err;
}

mp_err_t mp_queue_empty(mp_queue_t q, bool *empty)
{
    size_t n = 0;
    mp_err_t err = empty ? mp_queue_qsize(q, &n) : MP_EINVAL;
    if (err == MP_OK)
        *empty = n == 0;
    return err;
}

mp_err_t mp_queue_full(mp_queue_t q, bool *full)
{
    if (full == NULL)
        return MP_EINVAL;
    mp_err_t err;
    mpi_queue_t *o = lookup(q, &err);
    if (o != NULL)
        *full = mpi_ring_count(&o->ring) >= o->ring.depth;
    return err;
}

mp_err_t mp_queue_close(mp_queue_t q)
{
    mp_err_t err;
    mpi_queue_t *o = lookup(q, &err);
    if (o != NULL)
        mpi_ring_close(&o->ring);
    return err;
}

static mpi_queue_t *joinable(mp_queue_t q, mp_err_t *err)
{
    mpi_queue_t *o = lookup(q, err);
    if (o != NULL && !(o->hdr.flags & MPI_QUEUE_JOINABLE)) {
        *err = MP_ENOTSUP;
        return NULL;
    }
    return o;
}

mp_err_t mp_queue_task_done(mp_queue_t q)
{
    mp_err_t err;
    mpi_queue_t *o = joinable(q, &err);
    if (o == NULL)
        return err;
    const mpi_ring_t *r = &o->ring;
    uint32_t d = atomic_load(&o->done);
    for (;;) {
        if (mpi_ring_diff(r, atomic_load(&r->tail), d) == 0)
            return MP_ETOOMANY;
        if (atomic_compare_exchange_weak(&o->done, &d, mpi_ring_next(r, d)))
            break;
    }
    if (atomic_load(&o->join_sleepers) != 0)
        mp_port_wake(&o->done, UINT32_MAX);
    return MP_OK;
}

mp_err_t mp_queue_unfinished(mp_queue_t q, size_t *count)
{
    if (count == NULL)
        return MP_EINVAL;
    mp_err_t err;
    mpi_queue_t *o = joinable(q, &err);
    if (o != NULL) {
        uint32_t d = atomic_load(&o->done);
        *count = mpi_ring_diff(&o->ring, atomic_load(&o->ring.tail), d);
    }
    return err;
}

mp_err_t mp_queue_join(mp_queue_t q, mp_timeout_t timeout)
{
    if (mpi_isr_would_block(timeout))
        return MP_EISR;
    mp_err_t err;
    mpi_queue_t *o = joinable(q, &err);
    if (o == NULL)
        return err;
    mpi_until_t until = mpi_until(timeout);
    for (;;) {
        uint32_t d = atomic_load(&o->done);
        if (mpi_ring_diff(&o->ring, atomic_load(&o->ring.tail), d) == 0)
            return MP_OK;
        if (timeout == MP_NOWAIT)
            return MP_ETIMEDOUT;
        atomic_fetch_add(&o->join_sleepers, 1u);
        if (atomic_load(&o->done) == d)
            err = mpi_wait(&o->done, d, mpi_until_deadline(&until));
        atomic_fetch_sub(&o->join_sleepers, 1u);
        if (err != MP_OK)
            return err;
    }
}

/* For tests only (core/test_hooks.h). */
mp_err_t mpi_queue_test_seek(mp_queue_t q, uint32_t index)
{
    mp_err_t err;
    mpi_queue_t *o = lookup(q, &err);
    if (o == NULL)
        return err;
    mpi_ring_t *r = &o->ring;
    if (mpi_ring_count(r) != 0 || index > r->limit)
        return MP_EINVAL;
    atomic_store(&r->head, index);
    atomic_store(&r->tail, index);
    r->head_seen = r->tail_seen = index;
    atomic_store(&o->done, index);
    return MP_OK;
}
