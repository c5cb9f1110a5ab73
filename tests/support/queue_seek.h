/*
 * Moves an empty queue's indices to index, so that the wrap of the index range can be
 * exercised without 2^32 operations. Test code reaching into the core's tables (world.h);
 * the product has no such call.
 */
#ifndef MP_TEST_QUEUE_SEEK_H
#define MP_TEST_QUEUE_SEEK_H

#include "world.h"

static inline mp_err_t test_queue_seek(mp_queue_t q, uint32_t index)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, mpi_table_of(MPI_KIND_QUEUE), q.id);
    if (err != MP_OK)
        return err;
    mpi_queue_t *o = c.obj;
    mpi_ring_t *r = &o->ring;
    if (mpi_ring_count(r) != 0 || index > r->limit)
        return mpi_leave(&c, MP_EINVAL);
    atomic_store(&r->head, index);
    atomic_store(&r->tail, index);
    r->head_seen = r->tail_seen = index;
    atomic_store(&o->done, index);
    return mpi_leave(&c, MP_OK);
}

#endif
