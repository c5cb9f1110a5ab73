/*
 * Barrier inside core/: the entry (barrier.c).
 */
#include "world.h" /* first: world.h reads this header itself, through objects.def */
#ifndef MP_CORE_BARRIER_H
#define MP_CORE_BARRIER_H

/* Barrier: state changes under guard; waiters sleep on cycle. */
typedef struct {
    mpi_obj_t hdr;
    _Atomic uint32_t guard;
    _Atomic uint32_t cycle;  /* bumped when a cycle completes, breaks or resets */
    uint32_t parties, arrived;
    _Atomic uint32_t broken; /* also read without the guard: a wait that cannot get it */
    void (*action)(void);
    mp_timeout_t timeout; /* for waits given MP_BARRIER_DEFAULT */
    mpi_token_t waiting[MP_CONF_MAX_PROCESSES]; /* who waits in this cycle, by slot */
    int8_t result[MP_CONF_MAX_PROCESSES];       /* what each released waiter returns */
} mpi_barrier_t;

#endif

#ifdef MPI_OBJECT_LIST
MPI_KIND(BARRIER, barrier)
MPI_STORE(mpi_barrier_t, barriers, MP_CONF_MAX_BARRIERS, 0)
MPI_USAGE(barriers)
#endif
