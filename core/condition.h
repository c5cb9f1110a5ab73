/*
 * Condition inside core/: the entry (condition.c).
 */
#include "world.h" /* first: world.h reads this header itself, through objects.def */
#ifndef MP_CORE_CONDITION_H
#define MP_CORE_CONDITION_H

/* Condition: per process slot, whether it waits (and since when) and whether it has
 * been notified; every field is changed under the condition's own lock. */
typedef struct {
    mpi_obj_t hdr; /* flags: MPI_CONDITION_OWN_LOCK */
    uint8_t lock_kind;
    uint8_t pad[3];
    uint32_t lock_id;
    uint32_t next_ticket;
    _Atomic uint32_t ticket[MP_CONF_MAX_PROCESSES]; /* 0 = not waiting */
    mpi_token_t waiter[MP_CONF_MAX_PROCESSES];
    _Atomic uint32_t signal[MP_CONF_MAX_PROCESSES]; /* 1 = notified; the waiter sleeps on it */
} mpi_condition_t;
#define MPI_CONDITION_OWN_LOCK 1u

#endif

#ifdef MPI_OBJECT_LIST
MPI_KIND(CONDITION, condition)
MPI_STORE(mpi_condition_t, conditions, MP_CONF_MAX_CONDITIONS, 0)
MPI_USAGE(conditions)
#endif
