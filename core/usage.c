/*
 * mp_usage(): occupancy of every table and of the arena, read from the free bitmaps and
 * the block records (an entry is used until its bit is back in the bitmap).
 */
#include "world.h"

mp_err_t mp_usage(mp_usage_t *u)
{
    if (mpi_world.ready != MPI_WORLD_READY)
        return MP_ENOINIT;
    if (u == NULL)
        return MP_EINVAL;
    mpi_world_t *w = &mpi_world;
    u->processes = mpi_bits_used(w->slot_free, MP_CONF_MAX_PROCESSES);
    /* the tables objects.def reports, each in mp_usage_t's field of its name */
#define MPI_USAGE(store) u->store = mpi_bits_used(w->store##_free, MPI_COUNT_##store);
#include "objects.def"
    u->checks_failed = atomic_load(&w->checks_failed);
    u->arena_bytes = u->arena_blocks = 0;
    for (uint32_t i = 0; i < MPI_ARENA_BLOCKS; i++) {
        uint32_t size = atomic_load(&w->blocks[i].size);
        if (size != 0) {
            u->arena_bytes += size;
            u->arena_blocks++;
        }
    }
    return MP_OK;
}
