/*
 * List: fixed-size items in records (records.h) from the arena. An item's record is
 * written before any map names it and never changed while one does: set writes a new
 * record and replaces the old in one store; insert, pop from inside and sort build the
 * other map and switch to it with one store.
 */
#include <string.h>

#include "mp/list.h"
#include "list.h"

static void release_list(void *obj, uint32_t flags);

static const mpi_wait_word_t words[] = {
    {offsetof(mpi_list_t, rec.guard), 1, MPI_WORD_HOLDER, "the lock of List #"},
};

const mpi_table_t mpi_list_table = {MPI_TABLE_STORE(lists), .kind = MPI_KIND_LIST,
                                    .release = release_list, MPI_TABLE_WORDS(words)};

static void release_list(void *obj, uint32_t flags)
{
    (void)flags;
    mpi_list_t *o = obj;
    if (o->rec.offset != 0)
        mpi_arena_free(o->rec.offset);
    o->rec.offset = 0;
}

mp_err_t mp_list_create(mp_list_t *l, const mp_list_attr_t *attr)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    if (l == NULL || attr == NULL || attr->capacity == 0 ||
        attr->capacity > MP_CONF_CONTAINER_CAPACITY || attr->item_size == 0 ||
        attr->item_size > MP_CONF_LIST_ITEM_SIZE)
        return MP_EINVAL;
    uint32_t record = (attr->item_size + 7u) & ~7u;
    uint64_t bytes = mpi_records_bytes(attr->capacity, record);
    if (bytes > MP_CONF_ARENA_SIZE)
        return MP_ENOMEM;
    mpi_list_t *o;
    uint32_t index, offset;
    err = mpi_obj_alloc(&mpi_list_table, (void **)&o, &index);
    if (err != MP_OK)
        return err;
    err = mpi_arena_alloc(&c, bytes, &offset);
    if (err != MP_OK) {
        mpi_obj_unalloc(&mpi_list_table, o);
        return err;
    }
    o->item_size = attr->item_size;
    mpi_records_init(&o->rec, offset, attr->capacity, record);
    l->id = mpi_obj_publish(&mpi_list_table, o, 0);
    return MP_OK;
}

mp_err_t mp_list_destroy(mp_list_t l)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_list_table, l.id);
    if (err != MP_OK)
        return err;
    if (mpi_retire(&c) != MP_OK)
        return mpi_leave(&c, MP_ESTALE);
    mpi_list_t *o = c.obj;
    mp_port_wake(&o->rec.guard, UINT32_MAX); /* waiters look again: MP_ESTALE */
    return mpi_leave_retired(&c);
}

/* ---- the calls ---------------------------------------------------------------------------- */
/* Handler, init, handle; on MP_OK the caller is inside (c) and must leave. */
static mp_err_t begin(mpi_call_t *c, uint32_t id, mp_timeout_t timeout)
{
    if (mpi_isr_would_block(timeout))
        return MP_EISR;
    return mpi_enter(c, &mpi_list_table, id);
}

/* Locks, or leaves with the reason. */
static mp_err_t lock(mpi_call_t *c, mp_timeout_t timeout)
{
    mpi_list_t *o = c->obj;
    return mpi_records_lock(c, &o->rec, timeout);
}

/* The preamble of every call that works under the lock: the handle, then the arguments
 * (args_ok), then the lock. MP_OK with c entered and locked, or the reason (left). */
static mp_err_t begin_locked(mpi_call_t *c, uint32_t id, mp_timeout_t timeout, bool args_ok)
{
    mp_err_t err = begin(c, id, timeout);
    if (err != MP_OK)
        return err;
    if (!args_ok)
        return mpi_leave(c, MP_EINVAL);
    if ((err = lock(c, timeout)) != MP_OK)
        return mpi_leave(c, err);
    return MP_OK;
}

static mp_err_t done(mpi_call_t *c, mp_err_t err)
{
    mpi_list_t *o = c->obj;
    mpi_records_unlock(&o->rec);
    return mpi_leave(c, err);
}

/* A Python index into [0, n): MP_ERANGE outside. */
static mp_err_t position(int32_t index, uint32_t n, uint32_t *pos)
{
    int64_t i = index < 0 ? (int64_t)n + index : index;
    if (i < 0 || i >= (int64_t)n)
        return MP_ERANGE;
    *pos = (uint32_t)i;
    return MP_OK;
}

static uint32_t fresh(mpi_list_t *o, const void *item)
{
    uint32_t rec = mpi_records_claim(&o->rec);
    memcpy(mpi_records_at(&o->rec, rec), item, o->item_size);
    return rec;
}

static uint32_t find(const mpi_list_t *o, const void *item)
{
    uint32_t n = mpi_records_count(&o->rec);
    for (uint32_t pos = 0; pos < n; pos++)
        if (memcmp(mpi_records_item(&o->rec, pos), item, o->item_size) == 0)
            return pos;
    return UINT32_MAX;
}

mp_err_t mp_list_append(mp_list_t l, const void *item, mp_timeout_t timeout)
{
    return mp_list_extend(l, item, 1, timeout);
}

mp_err_t mp_list_extend(mp_list_t l, const void *items, size_t n, mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = begin_locked(&c, l.id, timeout, !(items == NULL && n > 0));
    if (err != MP_OK)
        return err;
    mpi_list_t *o = c.obj;
    uint32_t count = mpi_records_count(&o->rec);
    if ((uint64_t)n > (uint64_t)(o->rec.capacity - count))
        return done(&c, MP_ENOSPC);
    if (n == 0)
        return done(&c, MP_OK);
    for (uint32_t i = 0; i < n; i++)
        mpi_records_stage(&o->rec, i, fresh(o, (const uint8_t *)items + (size_t)i * o->item_size));
    mpi_records_grow(&o->rec, (uint32_t)n);
    return done(&c, MP_OK);
}

mp_err_t mp_list_insert(mp_list_t l, int32_t index, const void *item, mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = begin_locked(&c, l.id, timeout, !(item == NULL));
    if (err != MP_OK)
        return err;
    mpi_list_t *o = c.obj;
    uint32_t n = mpi_records_count(&o->rec);
    if (n == o->rec.capacity)
        return done(&c, MP_ENOSPC);
    int64_t i = index < 0 ? (int64_t)n + index : index; /* CPython clamps */
    uint32_t pos = i < 0 ? 0u : i > (int64_t)n ? n : (uint32_t)i;
    mpi_records_insert(&o->rec, pos, fresh(o, item));
    return done(&c, MP_OK);
}

mp_err_t mp_list_get(mp_list_t l, int32_t index, void *out, mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = begin_locked(&c, l.id, timeout, !(out == NULL));
    if (err != MP_OK)
        return err;
    mpi_list_t *o = c.obj;
    uint32_t pos;
    err = position(index, mpi_records_count(&o->rec), &pos);
    if (err == MP_OK)
        memcpy(out, mpi_records_item(&o->rec, pos), o->item_size);
    return done(&c, err);
}

mp_err_t mp_list_set(mp_list_t l, int32_t index, const void *item, mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = begin_locked(&c, l.id, timeout, !(item == NULL));
    if (err != MP_OK)
        return err;
    mpi_list_t *o = c.obj;
    uint32_t pos;
    err = position(index, mpi_records_count(&o->rec), &pos);
    if (err == MP_OK)
        mpi_records_replace(&o->rec, pos, fresh(o, item));
    return done(&c, err);
}

mp_err_t mp_list_pop(mp_list_t l, int32_t index, void *out, mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = begin_locked(&c, l.id, timeout, true);
    if (err != MP_OK)
        return err;
    mpi_list_t *o = c.obj;
    uint32_t pos;
    err = position(index, mpi_records_count(&o->rec), &pos);
    if (err == MP_OK) {
        if (out != NULL)
            memcpy(out, mpi_records_item(&o->rec, pos), o->item_size);
        mpi_records_remove(&o->rec, pos);
    }
    return done(&c, err);
}

mp_err_t mp_list_remove(mp_list_t l, const void *item, mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = begin_locked(&c, l.id, timeout, !(item == NULL));
    if (err != MP_OK)
        return err;
    mpi_list_t *o = c.obj;
    uint32_t pos = find(o, item);
    if (pos == UINT32_MAX)
        return done(&c, MP_ENOENT);
    mpi_records_remove(&o->rec, pos);
    return done(&c, MP_OK);
}

mp_err_t mp_list_index(mp_list_t l, const void *item, size_t *index, mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = begin_locked(&c, l.id, timeout, !(item == NULL || index == NULL));
    if (err != MP_OK)
        return err;
    uint32_t pos = find(c.obj, item);
    if (pos == UINT32_MAX)
        return done(&c, MP_ENOENT);
    *index = pos;
    return done(&c, MP_OK);
}

mp_err_t mp_list_count(mp_list_t l, const void *item, size_t *count, mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = begin_locked(&c, l.id, timeout, !(item == NULL || count == NULL));
    if (err != MP_OK)
        return err;
    mpi_list_t *o = c.obj;
    uint32_t n = mpi_records_count(&o->rec);
    size_t k = 0;
    for (uint32_t pos = 0; pos < n; pos++)
        if (memcmp(mpi_records_item(&o->rec, pos), item, o->item_size) == 0)
            k++;
    *count = k;
    return done(&c, MP_OK);
}

mp_err_t mp_list_len(mp_list_t l, size_t *len, mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = begin_locked(&c, l.id, timeout, !(len == NULL));
    if (err != MP_OK)
        return err;
    *len = mpi_records_count(&((mpi_list_t *)c.obj)->rec);
    return done(&c, MP_OK);
}

mp_err_t mp_list_clear(mp_list_t l, mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = begin_locked(&c, l.id, timeout, true);
    if (err != MP_OK)
        return err;
    mpi_records_clear(&((mpi_list_t *)c.obj)->rec);
    return done(&c, MP_OK);
}

typedef struct {
    const mpi_list_t *o;
    mp_list_cmp_fn cmp;
    void *ctx;
    bool reverse;
} order_t;

static int compare(const order_t *s, uint32_t a, uint32_t b)
{
    const void *x = mpi_records_at(&s->o->rec, a), *y = mpi_records_at(&s->o->rec, b);
    int r = s->cmp != NULL ? s->cmp(x, y, s->ctx) : memcmp(x, y, s->o->item_size);
    return s->reverse ? -(r > 0) + (r < 0) : r;
}

mp_err_t mp_list_sort(mp_list_t l, mp_list_cmp_fn cmp, void *ctx, bool reverse,
                      mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = begin_locked(&c, l.id, timeout, true);
    if (err != MP_OK)
        return err;
    mpi_list_t *o = c.obj;
    order_t s = {o, cmp, ctx, reverse};
    uint32_t n = mpi_records_count(&o->rec), live = mpi_records_live_map(&o->rec);
    _Atomic uint32_t *from = mpi_records_map(&o->rec, live), *to = mpi_records_map(&o->rec, !live);
    /* Binary insertion into the other map, which nobody reads: stable, since an item goes
     * after every item it is not less than. */
    for (uint32_t i = 0; i < n; i++) {
        uint32_t x = atomic_load_explicit(&from[i], memory_order_relaxed), lo = 0, hi = i;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2u;
            if (compare(&s, x, atomic_load_explicit(&to[mid], memory_order_relaxed)) < 0)
                hi = mid;
            else
                lo = mid + 1u;
        }
        for (uint32_t j = i; j > lo; j--)
            atomic_store_explicit(&to[j], atomic_load_explicit(&to[j - 1u], memory_order_relaxed),
                                  memory_order_relaxed);
        atomic_store_explicit(&to[lo], x, memory_order_relaxed);
    }
    mpi_records_reorder(&o->rec);
    return done(&c, MP_OK);
}

/* ---- iteration ------------------------------------------------------------------------ */
mp_err_t mp_list_iter(mp_list_t l, mp_list_iter_t *it, mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = begin_locked(&c, l.id, timeout, !(it == NULL));
    if (err != MP_OK)
        return err;
    it->id = l.id;
    it->pos = 0;
    it->version = atomic_load(&((mpi_list_t *)c.obj)->rec.version);
    return done(&c, MP_OK);
}

mp_err_t mp_list_next(mp_list_iter_t *it, void *out, mp_timeout_t timeout)
{
    if (mpi_isr_would_block(timeout))
        return MP_EISR;
    if (it == NULL)
        return MP_EINVAL;
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_list_table, it->id);
    if (err != MP_OK)
        return err;
    if (out == NULL)
        return mpi_leave(&c, MP_EINVAL);
    if ((err = lock(&c, timeout)) != MP_OK)
        return mpi_leave(&c, err);
    mpi_list_t *o = c.obj;
    if (atomic_load(&o->rec.version) != it->version)
        return done(&c, MP_ECHANGED);
    if (it->pos >= mpi_records_count(&o->rec))
        return done(&c, MP_ENOENT);
    memcpy(out, mpi_records_item(&o->rec, it->pos), o->item_size);
    it->pos++;
    return done(&c, MP_OK);
}
