/*
 * Value and Array inside core/: the entry (shared.c).
 */
#include "world.h" /* first: world.h reads this header itself, through objects.def */
#ifndef MP_CORE_SHARED_H
#define MP_CORE_SHARED_H

typedef struct {
    mpi_obj_t hdr; /* flags: MPI_VALUE_LOCKED */
    uint8_t type;
    uint8_t elem;   /* element size in bytes */
    uint8_t lock_kind; /* MPI_KIND_RLOCK, or MPI_KIND_LOCK for a lent plain Lock */
    uint8_t pad;
    uint32_t length;
    uint32_t offset; /* of the data, from the world's start */
    uint32_t rlock;  /* id of its lock, when locked */
    _Alignas(8) uint8_t inline_data[8]; /* a Value's data lives here, no arena needed */
} mpi_value_t;
#define MPI_VALUE_LOCKED 1u
#define MPI_VALUE_LENT 2u /* the lock is the creator's (mp_*_create_with), not its own */

#endif

#ifdef MPI_OBJECT_LIST
MPI_KIND(VALUE, value)
MPI_KIND(ARRAY, array)
MPI_STORE(mpi_value_t, values, MP_CONF_MAX_VALUES, 1)
MPI_USAGE(values)
#endif
