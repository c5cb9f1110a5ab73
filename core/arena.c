/*
 * The shared arena: one byte array in the world, carved into blocks for the storage of
 * queues, pipes and arrays created at run time. No heap: the arena's size and its number
 * of blocks are fixed by mp/config.h.
 *
 * A block record is committed by one store of its size (size 0 = free record), so a
 * process killed in the middle of an allocation leaves the table consistent: at worst the
 * block it was taking stays free. Allocation is first fit, aligned to MP_PORT_CACHE_LINE (no two
 * objects share a cache line), and zero-fills, because the memory may have been used
 * before (CPython issue 11675).
 */
#include <string.h>

#include "world.h"

#define ARENA_ALIGN ((uint32_t)MP_PORT_CACHE_LINE)

static uint32_t arena_base(void)
{
    return mpi_offset(mpi_world.arena);
}

/* Whether [start, start + size) overlaps no live block. */
static bool fits(uint32_t start, uint32_t size)
{
    for (uint32_t i = 0; i < MPI_ARENA_BLOCKS; i++) {
        const mpi_block_t *b = &mpi_world.blocks[i];
        uint32_t bsize = atomic_load_explicit(&b->size, memory_order_acquire);
        if (bsize != 0 && start < b->offset + bsize && b->offset < start + size)
            return false;
    }
    return true;
}

mp_err_t mpi_arena_alloc(const mpi_call_t *c, uint64_t size64, uint32_t *offset)
{
    if (size64 == 0 || size64 > MP_CONF_ARENA_SIZE)
        return MP_ENOMEM;
    uint32_t size = ((uint32_t)size64 + ARENA_ALIGN - 1u) & ~(ARENA_ALIGN - 1u);
    /* Held for a scan of the block records by whoever allocates; a holder that died left
     * them consistent (each record is committed by one store). */
    mpi_until_t patience = mpi_until(MPI_PATIENCE_MS);
    mp_err_t err = mpi_guard_take(c, &mpi_world.arena_guard, &patience);
    if (err == MP_ETIMEDOUT)
        return MP_EAGAIN;
    err = MP_ENOMEM;
    uint32_t record = MPI_ARENA_BLOCKS;
    for (uint32_t i = 0; i < MPI_ARENA_BLOCKS && record == MPI_ARENA_BLOCKS; i++)
        if (mpi_world.blocks[i].size == 0)
            record = i;
    /* Candidates: the arena's start and the end of every live block. */
    uint32_t base = arena_base(), found = UINT32_MAX;
    for (uint32_t i = 0; record < MPI_ARENA_BLOCKS && i <= MPI_ARENA_BLOCKS && found == UINT32_MAX; i++) {
        uint32_t start = base;
        if (i < MPI_ARENA_BLOCKS) {
            const mpi_block_t *b = &mpi_world.blocks[i];
            if (b->size == 0)
                continue;
            start = b->offset + b->size;
        }
        if (start + size <= base + MP_CONF_ARENA_SIZE && fits(start, size))
            found = start;
    }
    if (found != UINT32_MAX) {
        mpi_block_t *b = &mpi_world.blocks[record];
        b->offset = found;
        atomic_store_explicit(&b->size, size, memory_order_release);
        memset(mpi_at(found), 0, size);
        *offset = found;
        err = MP_OK;
        uint32_t live = 0; /* under the guard: no other allocation moves it meanwhile */
        for (uint32_t i = 0; i < MPI_ARENA_BLOCKS; i++)
            live += atomic_load_explicit(&mpi_world.blocks[i].size, memory_order_relaxed);
        mpi_most(&mpi_world.arena_most, live);
    }
    mpi_guard_give(&mpi_world.arena_guard);
    return err;
}

void mpi_arena_free(uint32_t offset)
{
    for (uint32_t i = 0; i < MPI_ARENA_BLOCKS; i++) {
        mpi_block_t *b = &mpi_world.blocks[i];
        if (b->size != 0 && b->offset == offset) {
            atomic_store_explicit(&b->size, 0, memory_order_release);
            return;
        }
    }
    (void)MPI_CHECK(false); /* storage an object owned that the arena never gave out */
}
