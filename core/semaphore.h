/*
 * Semaphore and BoundedSemaphore inside core/: the entry (semaphore.c).
 */
#include "world.h" /* first: world.h reads this header itself, through objects.def */
#ifndef MP_CORE_SEMAPHORE_H
#define MP_CORE_SEMAPHORE_H

typedef struct {
    mpi_obj_t hdr; /* flags: MPI_SEMAPHORE_BOUNDED */
    _Atomic uint32_t count;
    uint32_t bound;
    mpi_slots_t sleepers;
} mpi_semaphore_t;
#define MPI_SEMAPHORE_BOUNDED 1u

#endif

#ifdef MPI_OBJECT_LIST
MPI_KIND(SEMAPHORE, semaphore)
MPI_STORE(mpi_semaphore_t, semaphores, MP_CONF_MAX_SEMAPHORES, 0)
MPI_USAGE(semaphores)
#endif
