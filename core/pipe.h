/*
 * Pipe inside core/: the entry (pipe.c).
 */
#include "world.h" /* first: world.h reads this header itself, through objects.def */
#include "ring.h"
#ifndef MP_CORE_PIPE_H
#define MP_CORE_PIPE_H

/* A pipe: ring[0] carries a -> b, ring[1] carries b -> a (duplex only). */
typedef struct {
    mpi_obj_t hdr; /* flags: MPI_PIPE_DUPLEX */
    _Atomic uint32_t closed[2]; /* end a, end b */
    _Atomic uint32_t gone[2];   /* every user of the end died: closed by death, for good */
    _Atomic uint32_t creator[2]; /* stands for an end's users until the end is first used */
    mpi_slots_t users[2];       /* processes that used the end (sent, received, polled) */
    mpi_ring_t ring[2];
} mpi_pipe_t;
#define MPI_PIPE_DUPLEX 1u

#endif

#ifdef MPI_OBJECT_LIST
MPI_KIND(CONN, pipe)
MPI_STORE(mpi_pipe_t, pipes, MP_CONF_MAX_PIPES, 2)
MPI_USAGE(pipes)
#endif
