/*
 * List inside core/: the entry (list.c); its storage is records (records.h).
 */
#include "world.h" /* first: world.h reads this header itself, through objects.def */
#include "records.h"
#ifndef MP_CORE_LIST_H
#define MP_CORE_LIST_H

typedef struct {
    mpi_obj_t hdr;
    uint32_t item_size;
    mpi_records_t rec;
} mpi_list_t;

#endif

#ifdef MPI_OBJECT_LIST
MPI_KIND(LIST, list)
MPI_STORE(mpi_list_t, lists, MP_CONF_MAX_LISTS, 1)
MPI_USAGE(lists)
#endif
