/*
 * Event inside core/: the entry (event.c).
 */
#include "world.h" /* first: world.h reads this header itself, through objects.def */
#ifndef MP_CORE_EVENT_H
#define MP_CORE_EVENT_H

typedef struct {
    mpi_obj_t hdr;
    _Atomic uint32_t flag;
} mpi_event_t;

#endif

#ifdef MPI_OBJECT_LIST
MPI_KIND(EVENT, event)
MPI_STORE(mpi_event_t, events, MP_CONF_MAX_EVENTS, 0)
MPI_USAGE(events)
#endif
