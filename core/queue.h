/*
 * Queue and JoinableQueue inside core/: the entry (queue.c).
 */
#include "world.h" /* first: world.h reads this header itself, through objects.def */
#include "ring.h"
#ifndef MP_CORE_QUEUE_H
#define MP_CORE_QUEUE_H

typedef struct {
    mpi_obj_t hdr; /* flags: MPI_QUEUE_JOINABLE, MPI_QUEUE_ARENA */
    uint32_t pad;
    mpi_ring_t ring;
    /* JoinableQueue: tasks done so far; unfinished = tail - done (mod the ring's limit) */
    _Alignas(MP_PORT_CACHE_LINE) _Atomic uint32_t done;
    mpi_slots_t join_sleepers;
} mpi_queue_t;
#define MPI_QUEUE_JOINABLE 1u
#define MPI_QUEUE_ARENA 2u

/* mp_dump's line about a queue (mpi_table_t.describe). */
void mpi_queue_describe(const void *obj, mpi_text_t *text);

#endif

#ifdef MPI_OBJECT_LIST
MPI_KIND(QUEUE, queue)
MPI_STORE(mpi_queue_t, queues, MP_CONF_MAX_QUEUES, 1)
MPI_USAGE(queues)
#endif
