/*
 * Slab: a fixed-block allocator shared by every process (ThreadX's block pools, Zephyr's
 * k_mem_slab). `count` blocks of `block_size` bytes from one static area, taken from the
 * runtime's arena or given by the application (MP_SLAB_DEFINE); a block's address is the
 * same in every process, so a pointer to one can be passed in a message.
 *
 * alloc takes a free block, waiting up to its timeout when none is (MP_EAGAIN with
 * MP_NOWAIT, MP_ETIMEDOUT after a wait); free gives one back, from any process and from an
 * interrupt handler, and never waits. Blocks are aligned for any type (MP_SLAB_ALIGN) and
 * are not cleared: a block holds what its last user left in it.
 *
 * Ownership, so that a process that dies leaks nothing. A block belongs to the process that
 * allocated it. When a process is reaped (joined, or found ended: however it ended, a
 * return included, as a lock's holder is), every block it still owns returns to the pool.
 * A block passed on to another process must change hands first, or it goes back to the
 * pool when its sender is joined while the receiver still uses it:
 *   - give (the sender, before it passes the block on): the block belongs to no process;
 *     it survives every death and returns only when someone frees it;
 *   - take (the receiver, once it has the block): the block is the caller's, and returns
 *     to the pool if the caller dies holding it.
 * free is allowed to anyone, owner or not (a consumer frees what a producer allocated). A
 * block allocated in an interrupt handler belongs to no process, as a given one.
 *
 * Codes: a pointer that is not a block of this slab (NULL, outside its storage, not at
 * the start of a block) is MP_EINVAL; a block that is free already (a double free, a give
 * or take of a free block) is MP_EALREADY; neither changes anything. destroy wakes every
 * allocator blocked in it with MP_ESTALE; blocks still allocated are gone with the slab
 * (arena storage is reused by later objects): destroy it once nobody uses its blocks.
 *
 * In an interrupt handler: alloc with MP_NOWAIT, free, give and stat; alloc with a
 * timeout is MP_EISR, and so is take (a handler owns nothing).
 */
#ifndef MP_SLAB_H
#define MP_SLAB_H

#include <stddef.h>

#include "mp/config.h"
#include "mp/types.h"

typedef struct {
    uint32_t id;
} mp_slab_t;

/* Every block starts at a multiple of this (malloc's guarantee). */
#define MP_SLAB_ALIGN ((uint32_t)_Alignof(max_align_t))
/* Bytes from one block to the next: block_size rounded up to MP_SLAB_ALIGN. */
#define MP_SLAB_STRIDE(block_size)                                                           \
    (((uint64_t)(block_size) + MP_SLAB_ALIGN - 1u) / MP_SLAB_ALIGN * MP_SLAB_ALIGN)
/* Bytes of storage a slab of this shape takes (a constant expression, 64-bit): a 4-byte
 * owner word per block, then the blocks. */
#define MP_SLAB_STORAGE_SIZE(block_size, count)                                              \
    (MP_SLAB_STRIDE(4u * (uint64_t)(count)) + MP_SLAB_STRIDE(block_size) * (uint64_t)(count))

/* A slab whose storage is fixed at compile time, in the shared world:
 *     MP_SLAB_DEFINE(buffers, 128, 16);               (file scope)
 *     mp_slab_t s; mp_slab_create_static(&s, &buffers);
 */
typedef struct {
    void *storage;
    uint32_t size, block_size, count;
} mp_slab_static_t;

#define MP_SLAB_DEFINE(name, block_size_, count_)                                            \
    _Static_assert((block_size_) >= 1 && (count_) >= 1 &&                                   \
                       MP_SLAB_STORAGE_SIZE(block_size_, count_) <= UINT32_MAX,             \
                   "slab " #name ": bad shape");                                            \
    static MP_SHARED _Alignas(max_align_t) uint8_t                                           \
        name##_storage[MP_SLAB_STORAGE_SIZE(block_size_, count_)];                          \
    static const mp_slab_static_t name = {name##_storage, sizeof name##_storage,            \
                                          (block_size_), (count_)}

/* Storage from the arena. @retval MP_EINVAL s is NULL, block_size or count is 0
 * @retval MP_ENOSLOT table full (MP_CONF_MAX_SLABS)  @retval MP_ENOMEM the arena has no
 * room (sizes are checked in 64 bits)  @retval MP_EAGAIN another process held the arena
 * too long (it may be stopped) */
mp_err_t mp_slab_create(mp_slab_t *s, uint32_t block_size, uint32_t count);
/* @retval MP_EINVAL def too small for its shape, its storage not aligned to MP_SLAB_ALIGN
 *         or not shared by every process (POSIX: not MP_SHARED; use MP_SLAB_DEFINE)
 * @retval MP_EBUSY def's storage already backs a live slab */
mp_err_t mp_slab_create_static(mp_slab_t *s, const mp_slab_static_t *def);
/* Frees the slab; allocators blocked in it return MP_ESTALE. */
mp_err_t mp_slab_destroy(mp_slab_t s);

/* *block: a free block, now the caller's. @retval MP_EAGAIN none free, MP_NOWAIT
 * @retval MP_ETIMEDOUT none came free in time */
mp_err_t mp_slab_alloc(mp_slab_t s, void **block, mp_timeout_t timeout);
/* Gives block back, whoever owns it; wakes an allocator waiting for one. */
mp_err_t mp_slab_free(mp_slab_t s, void *block);
/* The block belongs to no process from now on (see above). */
mp_err_t mp_slab_give(mp_slab_t s, void *block);
/* The block is the caller's from now on. */
mp_err_t mp_slab_take(mp_slab_t s, void *block);

typedef struct {
    uint32_t block_size; /* as created */
    uint32_t count;      /* blocks in all */
    uint32_t used;       /* allocated */
    uint32_t unowned;    /* of those, given (or allocated in a handler): owned by no process */
} mp_slab_stat_t;

/* A snapshot, block by block: with others allocating meanwhile, the counts may be of
 * different moments (each one a count that was true). */
mp_err_t mp_slab_stat(mp_slab_t s, mp_slab_stat_t *stat);

#endif
