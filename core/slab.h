/*
 * Slab (the fixed-block allocator) inside core/: the entry (slab.c).
 */
#include "world.h" /* first: world.h reads this header itself, through objects.def */
#ifndef MP_CORE_SLAB_H
#define MP_CORE_SLAB_H

/* The storage (arena or static) holds an owner word per block, then the blocks:
 *   owner == 0                 free
 *   owner == a process token   allocated by (or taken by) that process
 *   owner == MPI_SLAB_UNOWNED  given, or allocated in a handler: owned by no process
 * Every change of a block is one CAS of its owner word, so a process killed anywhere in
 * a call leaves each block free or owned, never both or neither. */
typedef struct {
    mpi_obj_t hdr; /* flags: MPI_SLAB_ARENA */
    uint32_t count;
    uint32_t stride;     /* bytes from one block to the next */
    uint32_t block_size; /* as created */
    _Atomic uint32_t *owners;
    uint8_t *blocks;
    _Atomic uint32_t hint;  /* where the next alloc starts looking (a block freed lately) */
    _Atomic uint32_t freed; /* moves on at every free: what allocators sleep on */
    mpi_slots_t sleepers;
} mpi_slab_t;
#define MPI_SLAB_ARENA 1u

/* A handler's token: no process, never dead, so never reclaimed. */
#define MPI_SLAB_UNOWNED MPI_ISR_TOKEN

#endif

#ifdef MPI_OBJECT_LIST
MPI_KIND(SLAB, slab)
MPI_STORE(mpi_slab_t, slabs, MP_CONF_MAX_SLABS, 1)
MPI_USAGE(slabs)
#endif
