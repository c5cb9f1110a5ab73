/*
 * Slab: the fixed-block allocator (mp/slab.h).
 *
 * No free list. Each block has an owner word, and every change of a block is one CAS of
 * it: alloc 0 -> the caller's token, free owner -> 0, give owner -> unowned, take owner ->
 * the caller's token. A process killed anywhere in a call therefore leaves every block
 * either free or owned, and a block it owned (even one its alloc took and never returned)
 * goes back to the pool when it is reaped (forget_owner): nothing is torn and nothing is
 * lost, with no lock for a handler to wait on. A list would need a second store to name
 * the owner of the block it popped, and a death between the two would lose the block.
 *
 * The price is a scan: alloc starts at a hint (the block freed last, or the one after the
 * last taken), so it finds a block at its first look while most are free and reads up to
 * `count` owner words when few are.
 *
 * Allocators sleep on `freed`, which every free moves on. An allocator reads it before it
 * scans, so a block freed behind its scan changes the word it would sleep on.
 */
#include <string.h>

#include "slab.h"
#include "test_hooks.h"

static void release_slab(void *obj, uint32_t flags);
static void forget_owner(uint32_t slot);

static const mpi_wait_word_t words[] = {
    {offsetof(mpi_slab_t, freed), 1, 0, "a free block in Slab #"},
};

const mpi_table_t mpi_slab_table = {MPI_TABLE_STORE(slabs), .kind = MPI_KIND_SLAB,
                                    .release = release_slab, .forget = forget_owner,
                                    MPI_TABLE_WORDS(words)};

static void release_slab(void *obj, uint32_t flags)
{
    mpi_slab_t *o = obj;
    if (flags & MPI_SLAB_ARENA)
        mpi_arena_free(mpi_offset((void *)o->owners));
}

/* Bytes of the owner words: rounded up, so that the blocks after them are aligned. */
static uint64_t owners_size(uint32_t count)
{
    return MP_SLAB_STRIDE(4u * (uint64_t)count);
}

/* Whether a shape fits in room bytes. The product cannot wrap: a stride is at most 2^32
 * and a count below it. */
static bool fits(uint64_t room, uint32_t block_size, uint32_t count)
{
    uint64_t owners = owners_size(count);
    return owners <= room && MP_SLAB_STRIDE(block_size) * count <= room - owners;
}

static uint64_t storage_size(uint32_t block_size, uint32_t count)
{
    return owners_size(count) + MP_SLAB_STRIDE(block_size) * count;
}

/* storage: the caller's, or NULL to take it from the arena. */
static mp_err_t create(const mpi_call_t *c, mp_slab_t *s, uint8_t *storage,
                       uint32_t block_size, uint32_t count)
{
    mpi_slab_t *o;
    uint32_t index, flags = 0;
    mp_err_t err = mpi_obj_alloc(&mpi_slab_table, (void **)&o, &index);
    if (err != MP_OK)
        return err;
    if (storage == NULL) {
        uint32_t offset;
        err = mpi_arena_alloc(c, storage_size(block_size, count), &offset);
        if (err != MP_OK) {
            mpi_obj_unalloc(&mpi_slab_table, o);
            return err;
        }
        storage = mpi_at(offset); /* zero-filled: every block free */
        flags = MPI_SLAB_ARENA;
    } else {
        memset(storage, 0, (size_t)owners_size(count));
    }
    o->count = count;
    o->stride = (uint32_t)MP_SLAB_STRIDE(block_size);
    o->block_size = block_size;
    o->owners = (_Atomic uint32_t *)(void *)storage;
    o->blocks = storage + owners_size(count);
    atomic_store(&o->hint, 0);
    atomic_store(&o->freed, 0);
    mpi_slots_clear(&o->sleepers);
    s->id = mpi_obj_publish(&mpi_slab_table, o, flags);
    return MP_OK;
}

mp_err_t mp_slab_create(mp_slab_t *s, uint32_t block_size, uint32_t count)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    if (s == NULL || block_size == 0 || count == 0)
        return MP_EINVAL;
    if (!fits(MP_CONF_ARENA_SIZE, block_size, count))
        return MP_ENOMEM;
    return create(&c, s, NULL, block_size, count);
}

/* Whether a live slab's storage overlaps [start, start + size). */
static bool storage_taken(const uint8_t *start, uint64_t size)
{
    for (uint32_t i = 0; i < mpi_count(MP_CONF_MAX_SLABS); i++) {
        const mpi_slab_t *o = &mpi_world.slabs[i];
        uint32_t tag = atomic_load(&o->hdr.tag);
        if (mpi_tag_kind(tag) == 0 || (tag & MPI_SLAB_ARENA))
            continue;
        const uint8_t *other = (const uint8_t *)o->owners;
        if (start < other + storage_size(o->block_size, o->count) && other < start + size)
            return true;
    }
    return false;
}

mp_err_t mp_slab_create_static(mp_slab_t *s, const mp_slab_static_t *def)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    if (s == NULL || def == NULL || def->storage == NULL || def->block_size == 0 ||
        def->count == 0 || !fits(def->size, def->block_size, def->count) ||
        (uintptr_t)def->storage % MP_SLAB_ALIGN != 0)
        return MP_EINVAL;
    /* Storage only this process sees (POSIX: not MP_SHARED) would hand out blocks that
     * are not the same memory in the next process. */
    if (!mp_port_shared(def->storage, def->size))
        return MP_EINVAL;
    /* One definition, one live slab: two would hand out the same blocks. */
    if (storage_taken(def->storage, storage_size(def->block_size, def->count)))
        return MP_EBUSY;
    return create(&c, s, def->storage, def->block_size, def->count);
}

mp_err_t mp_slab_destroy(mp_slab_t s)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_slab_table, s.id);
    if (err != MP_OK)
        return err;
    if (mpi_retire(&c) != MP_OK)
        return mpi_leave(&c, MP_ESTALE);
    mpi_slab_t *o = c.obj;
    atomic_fetch_add(&o->freed, 1u); /* the word its allocators sleep on */
    mp_port_wake(&o->freed, UINT32_MAX);
    return mpi_leave_retired(&c);
}

/* The block at address block: false for anything but the start of one of o's blocks. */
static bool block_index(const mpi_slab_t *o, const void *block, uint32_t *index)
{
    uintptr_t at = (uintptr_t)block, base = (uintptr_t)o->blocks;
    if (block == NULL || at < base || at - base >= (uintptr_t)o->count * o->stride ||
        (at - base) % o->stride != 0)
        return false;
    *index = (uint32_t)((at - base) / o->stride);
    return true;
}

/* Takes a free block for c's caller (a handler's token marks it owned by nobody). */
static bool take_free(const mpi_call_t *c, mpi_slab_t *o, uint32_t *index)
{
    uint32_t n = o->count, i = atomic_load_explicit(&o->hint, memory_order_relaxed);
    if (i >= n)
        i = 0;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t w = atomic_load_explicit(&o->owners[i], memory_order_relaxed);
        if (w == 0) {
            if (c->slot != MPI_NO_SLOT)
                mpi_proc_uses(c, MPI_KIND_SLAB); /* before it owns one: its reaper looks */
            if (atomic_compare_exchange_strong(&o->owners[i], &w, c->self)) {
                atomic_store_explicit(&o->hint, i + 1u, memory_order_relaxed);
                *index = i;
                return true;
            }
        }
        if (++i == n)
            i = 0;
    }
    return false;
}

/* Block i was freed: allocators that missed it must look again. */
static void came_free(mpi_slab_t *o, uint32_t i)
{
    atomic_store_explicit(&o->hint, i, memory_order_relaxed);
    atomic_fetch_add(&o->freed, 1u); /* ordered before the look at the sleepers */
    if (mpi_slots_any(&o->sleepers))
        mp_port_wake(&o->freed, 1);
}

mp_err_t mp_slab_alloc(mp_slab_t s, void **block, mp_timeout_t timeout)
{
    if (mpi_isr_would_block(timeout))
        return MP_EISR;
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_slab_table, s.id);
    if (err != MP_OK)
        return err;
    if (block == NULL)
        return mpi_leave(&c, MP_EINVAL);
    mpi_slab_t *o = c.obj;
    mpi_until_t until = mpi_until(timeout);
    for (;;) {
        uint32_t seen = atomic_load(&o->freed), i;
        if (take_free(&c, o, &i)) {
            if (mpi_retired(&c)) /* a block of a destroyed slab is no block */
                return mpi_leave(&c, MP_ESTALE);
            MPI_HOOK(MPI_HOOK_SLAB_TAKEN);
            *block = o->blocks + (size_t)i * o->stride;
            return mpi_leave(&c, MP_OK);
        }
        if (timeout == MP_NOWAIT)
            return mpi_leave(&c, MP_EAGAIN);
        if (mpi_spin_while(&o->freed, seen))
            continue;
        mpi_sleeper_add(&c, &o->sleepers); /* an atomic or: ordered before the look */
        err = atomic_load(&o->freed) == seen
                  ? mpi_wait(&c, &o->freed, seen, mpi_until_deadline(&until))
                  : MP_OK;
        mpi_sleeper_remove(&c, &o->sleepers);
        if (err != MP_OK) {
            /* A free may have woken this one just as its deadline came: wake another. */
            if (err == MP_ETIMEDOUT && atomic_load(&o->freed) != seen &&
                mpi_slots_any(&o->sleepers))
                mp_port_wake(&o->freed, 1);
            return mpi_leave(&c, err);
        }
    }
}

/* Moves block's owner word from anything but free to to; free is MP_EALREADY. */
static mp_err_t change(mpi_call_t *c, void *block, uint32_t to, uint32_t *index)
{
    mpi_slab_t *o = c->obj;
    if (!block_index(o, block, index))
        return MP_EINVAL;
    _Atomic uint32_t *owner = &o->owners[*index];
    uint32_t w = atomic_load(owner);
    do {
        if (w == 0)
            return MP_EALREADY;
        if (w == to)
            return MP_OK;
        if (c->slot != MPI_NO_SLOT && to == c->self)
            mpi_proc_uses(c, MPI_KIND_SLAB);
    } while (!atomic_compare_exchange_weak(owner, &w, to));
    return MP_OK;
}

mp_err_t mp_slab_free(mp_slab_t s, void *block)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_slab_table, s.id);
    if (err != MP_OK)
        return err;
    uint32_t i;
    err = change(&c, block, 0, &i);
    if (err == MP_OK) {
        MPI_HOOK(MPI_HOOK_SLAB_FREED);
        came_free(c.obj, i);
    }
    return mpi_leave(&c, err);
}

mp_err_t mp_slab_give(mp_slab_t s, void *block)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_slab_table, s.id);
    if (err != MP_OK)
        return err;
    uint32_t i;
    return mpi_leave(&c, change(&c, block, MPI_SLAB_UNOWNED, &i));
}

mp_err_t mp_slab_take(mp_slab_t s, void *block)
{
    if (mp_port_in_isr())
        return MP_EISR; /* a handler owns nothing */
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_slab_table, s.id);
    if (err != MP_OK)
        return err;
    uint32_t i;
    return mpi_leave(&c, change(&c, block, c.self, &i));
}

mp_err_t mp_slab_stat(mp_slab_t s, mp_slab_stat_t *stat)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_slab_table, s.id);
    if (err != MP_OK)
        return err;
    if (stat == NULL)
        return mpi_leave(&c, MP_EINVAL);
    const mpi_slab_t *o = c.obj;
    uint32_t used = 0, unowned = 0;
    for (uint32_t i = 0; i < o->count; i++) {
        uint32_t w = atomic_load_explicit(&o->owners[i], memory_order_relaxed);
        used += w != 0;
        unowned += w == MPI_SLAB_UNOWNED;
    }
    *stat = (mp_slab_stat_t){o->block_size, o->count, used, unowned};
    return mpi_leave(&c, MP_OK);
}

/* A reaped process's blocks (the table's forget: its reaper runs this). Its slot is not
 * reused before, so every owner word naming that slot is its own. */
static void forget_owner(uint32_t slot)
{
    for (uint32_t i = 0; i < mpi_count(MP_CONF_MAX_SLABS); i++) {
        mpi_slab_t *o = mpi_obj_at(&mpi_slab_table, i);
        uint32_t tag = atomic_load(&o->hdr.tag);
        mpi_call_t c;
        if (mpi_tag_kind(tag) != MPI_KIND_SLAB || (tag & MPI_OBJ_RETIRED) ||
            mpi_enter_at(&c, &mpi_slab_table, i, mpi_tag_gen(tag)) != MP_OK)
            continue;
        for (uint32_t b = 0; b < o->count; b++) {
            uint32_t w = atomic_load(&o->owners[b]);
            if ((w & MPI_INDEX_MASK) == slot + 1u &&
                atomic_compare_exchange_strong(&o->owners[b], &w, 0))
                came_free(o, b);
        }
        (void)mpi_leave(&c, MP_OK);
    }
}
