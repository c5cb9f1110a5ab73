/*
 * Dict inside core/: the entry (dict.c); its storage is records (records.h).
 */
#include "world.h" /* first: world.h reads this header itself, through objects.def */
#include "records.h"
#ifndef MP_CORE_DICT_H
#define MP_CORE_DICT_H

typedef struct {
    mpi_obj_t hdr;
    uint32_t key_size;
    uint32_t value_size;
    uint32_t value_at; /* a record: hash, key length, value length, key, value (here) */
    mpi_records_t rec;
} mpi_dict_t;

#endif

#ifdef MPI_OBJECT_LIST
MPI_KIND(DICT, dict)
MPI_STORE(mpi_dict_t, dicts, MP_CONF_MAX_DICTS, 1)
MPI_USAGE(dicts)
#endif
