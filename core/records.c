/*
 * Records: see records.h for the layout and why a killed process leaves every change
 * whole or absent. Here: the guard with its repair, and each change with its one
 * publishing store (release: everything written before it is seen with it).
 */
#include "records.h"
#include "test_hooks.h"

static uint64_t flags_bytes(uint32_t capacity);

uint64_t mpi_records_bytes(uint32_t capacity, uint32_t record_size)
{
    return (uint64_t)capacity * 8u + flags_bytes(capacity) +
           ((uint64_t)capacity + 1u) * record_size;
}

uint32_t mpi_records_count(const mpi_records_t *r)
{
    return atomic_load_explicit(&r->state, memory_order_relaxed) >> 1;
}

uint32_t mpi_records_live_map(const mpi_records_t *r)
{
    return atomic_load_explicit(&r->state, memory_order_relaxed) & 1u;
}

_Atomic uint32_t *mpi_records_map(const mpi_records_t *r, uint32_t which)
{
    return (_Atomic uint32_t *)mpi_at(r->offset) + which * r->capacity;
}

static uint64_t flags_bytes(uint32_t capacity)
{
    return ((uint64_t)capacity + 1u + 7u) & ~(uint64_t)7u;
}

uint8_t *mpi_records_at(const mpi_records_t *r, uint32_t rec)
{
    return (uint8_t *)mpi_at(r->offset) + (uint64_t)r->capacity * 8u +
           flags_bytes(r->capacity) + (uint64_t)rec * r->record_size;
}

uint8_t *mpi_records_item(const mpi_records_t *r, uint32_t pos)
{
    uint32_t rec = atomic_load_explicit(&mpi_records_map(r, mpi_records_live_map(r))[pos],
                                        memory_order_relaxed);
    return mpi_records_at(r, rec);
}

static uint8_t *live_flags(const mpi_records_t *r)
{
    return (uint8_t *)mpi_at(r->offset) + (uint64_t)r->capacity * 8u;
}

void mpi_records_init(mpi_records_t *r, uint32_t offset, uint32_t capacity,
                      uint32_t record_size)
{
    r->offset = offset; /* the arena zero-fills: no record live, both maps empty */
    r->capacity = capacity;
    r->record_size = record_size;
    atomic_store(&r->guard, 0);
    atomic_store(&r->state, 0);
    atomic_store(&r->version, 0);
}

/* After a holder died: the flags again say exactly which records the live map names,
 * and iterators started before are told the size may have changed. */
static void repair(mpi_records_t *r)
{
    uint8_t *live = live_flags(r);
    for (uint32_t i = 0; i <= r->capacity; i++)
        live[i] = 0;
    uint32_t n = mpi_records_count(r);
    if (!MPI_CHECK(n <= r->capacity)) {
        n = 0; /* only overwritten memory gets here: start empty */
        atomic_store(&r->state, 0);
    }
    _Atomic uint32_t *map = mpi_records_map(r, mpi_records_live_map(r));
    for (uint32_t i = 0; i < n; i++) {
        uint32_t rec = atomic_load_explicit(&map[i], memory_order_relaxed);
        if (MPI_CHECK(rec <= r->capacity))
            live[rec] = 1;
    }
    atomic_fetch_add(&r->version, 1u);
}

mp_err_t mpi_records_lock(const mpi_call_t *c, mpi_records_t *r, mp_timeout_t timeout)
{
    mpi_until_t until = mpi_until(timeout);
    mp_err_t err = mpi_guard_take(c, &r->guard, &until);
    if (err == MP_EOWNERDEAD) {
        repair(r);
        err = MP_OK;
    }
    if (err != MP_OK)
        return mpi_no_wait(timeout, err);
    if (mpi_retired(c)) { /* destroyed while we waited: touch nothing */
        mpi_guard_give(&r->guard);
        return MP_ESTALE;
    }
    return MP_OK;
}

void mpi_records_unlock(mpi_records_t *r)
{
    mpi_guard_give(&r->guard);
}

uint32_t mpi_records_claim(mpi_records_t *r)
{
    uint8_t *live = live_flags(r);
    for (uint32_t i = 0; i <= r->capacity; i++) {
        if (!live[i]) {
            live[i] = 1;
            return i;
        }
    }
    (void)MPI_CHECK(false); /* capacity + 1 records, at most capacity named */
    return r->capacity;
}

void mpi_records_unclaim(mpi_records_t *r, uint32_t rec)
{
    live_flags(r)[rec] = 0;
}

static void publish(mpi_records_t *r, uint32_t which, uint32_t count)
{
    MPI_HOOK(MPI_HOOK_RECORDS_WRITTEN);
    atomic_store_explicit(&r->state, which | count << 1, memory_order_release);
    MPI_HOOK(MPI_HOOK_RECORDS_PUBLISHED);
}

void mpi_records_replace(mpi_records_t *r, uint32_t pos, uint32_t rec)
{
    _Atomic uint32_t *map = mpi_records_map(r, mpi_records_live_map(r));
    uint32_t old = atomic_load_explicit(&map[pos], memory_order_relaxed);
    MPI_HOOK(MPI_HOOK_RECORDS_WRITTEN);
    atomic_store_explicit(&map[pos], rec, memory_order_release);
    MPI_HOOK(MPI_HOOK_RECORDS_PUBLISHED);
    live_flags(r)[old] = 0;
}

void mpi_records_stage(mpi_records_t *r, uint32_t i, uint32_t rec)
{
    _Atomic uint32_t *map = mpi_records_map(r, mpi_records_live_map(r));
    atomic_store_explicit(&map[mpi_records_count(r) + i], rec, memory_order_relaxed);
}

void mpi_records_grow(mpi_records_t *r, uint32_t n)
{
    publish(r, mpi_records_live_map(r), mpi_records_count(r) + n);
    atomic_fetch_add(&r->version, 1u);
}

void mpi_records_append(mpi_records_t *r, uint32_t rec)
{
    mpi_records_stage(r, 0, rec); /* past count: nobody reads it yet */
    mpi_records_grow(r, 1);
}

void mpi_records_insert(mpi_records_t *r, uint32_t pos, uint32_t rec)
{
    uint32_t which = mpi_records_live_map(r), count = mpi_records_count(r);
    if (pos == count) {
        mpi_records_append(r, rec);
        return;
    }
    _Atomic uint32_t *from = mpi_records_map(r, which), *to = mpi_records_map(r, !which);
    for (uint32_t i = 0, j = 0; i <= count; i++)
        atomic_store_explicit(&to[i], i == pos ? rec : atomic_load(&from[j++]),
                              memory_order_relaxed);
    publish(r, !which, count + 1u);
    atomic_fetch_add(&r->version, 1u);
}

void mpi_records_remove(mpi_records_t *r, uint32_t pos)
{
    uint32_t which = mpi_records_live_map(r), count = mpi_records_count(r);
    _Atomic uint32_t *from = mpi_records_map(r, which);
    uint32_t old = atomic_load_explicit(&from[pos], memory_order_relaxed);
    if (pos + 1u == count) {
        publish(r, which, count - 1u);
    } else {
        _Atomic uint32_t *to = mpi_records_map(r, !which);
        for (uint32_t i = 0, j = 0; i < count; i++)
            if (i != pos)
                atomic_store_explicit(&to[j++], atomic_load(&from[i]), memory_order_relaxed);
        publish(r, !which, count - 1u);
    }
    live_flags(r)[old] = 0;
    atomic_fetch_add(&r->version, 1u);
}

void mpi_records_clear(mpi_records_t *r)
{
    if (mpi_records_count(r) == 0)
        return;
    publish(r, mpi_records_live_map(r), 0);
    uint8_t *live = live_flags(r);
    for (uint32_t i = 0; i <= r->capacity; i++)
        live[i] = 0;
    atomic_fetch_add(&r->version, 1u);
}

void mpi_records_reorder(mpi_records_t *r)
{
    publish(r, !mpi_records_live_map(r), mpi_records_count(r));
}
