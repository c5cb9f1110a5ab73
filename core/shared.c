/*
 * Value and Array: typed data in shared memory, one table for both.
 *
 * A Value's 1..8 bytes live inside its table entry; an Array's elements come from the
 * arena. Locked objects own an RLock (created with them) that guards every access;
 * raw ones have none. Add and compare-exchange on 32-bit integer elements are C11
 * atomics, lock or no lock, so counters never need one; the other types fall back to
 * the lock.
 */
#include <string.h>

#include "shared.h"

static void release_value(void *obj, uint32_t flags);

/* One array, two kinds of handle: a descriptor for each, so a lookup copies nothing. */
const mpi_table_t mpi_value_table = {MPI_TABLE_STORE(values), .kind = MPI_KIND_VALUE,
                                     .release = release_value};
const mpi_table_t mpi_array_table = {MPI_TABLE_STORE(values), .kind = MPI_KIND_ARRAY,
                                     .release = release_value};

static const mpi_table_t *table_of(uint32_t kind)
{
    return kind == MPI_KIND_ARRAY ? &mpi_array_table : &mpi_value_table;
}

/* Its own lock goes with it, once nobody is inside either. */
static void release_value(void *obj, uint32_t flags)
{
    mpi_value_t *o = obj;
    if (flags & MPI_VALUE_LENT)
        mpi_lock_unuse(o->rlock, o->lock_kind);
    else if (flags & MPI_VALUE_LOCKED)
        mpi_lock_destroy_owned(o->rlock, MPI_KIND_RLOCK);
    if (o->offset != 0)
        mpi_arena_free(o->offset);
}

size_t mp_type_size(mp_type_t type)
{
    switch (type) {
    case MP_I8: case MP_U8: case MP_BYTES: return 1;
    case MP_I16: case MP_U16: return 2;
    case MP_I32: case MP_U32: case MP_FLOAT: return 4;
    case MP_I64: case MP_U64: case MP_DOUBLE: return 8;
    }
    return 0;
}

static uint8_t *data_of(mpi_value_t *o)
{
    return o->offset == 0 ? o->inline_data : mpi_at(o->offset);
}

static mp_err_t create(uint32_t kind, uint32_t *id, mp_type_t type, size_t length,
                       const void *init, bool raw, const mp_with_lock_t *with)
{
    size_t elem = mp_type_size(type);
    if (id == NULL || elem == 0 || length == 0 ||
        (with != NULL && (with->lock.id == 0) == (with->rlock.id == 0)))
        return MP_EINVAL;
    if (length > MP_CONF_ARENA_SIZE / elem)
        return MP_ENOMEM;
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    mpi_value_t *o;
    uint32_t index, offset = 0, lock = 0;
    err = mpi_obj_alloc(table_of(kind), (void **)&o, &index);
    if (err != MP_OK)
        return err;
    uint32_t lock_kind = with != NULL && with->lock.id != 0 ? MPI_KIND_LOCK : MPI_KIND_RLOCK;
    if (with != NULL) {
        lock = lock_kind == MPI_KIND_LOCK ? with->lock.id : with->rlock.id;
        err = mpi_lock_use(lock, lock_kind); /* a bad, stale or foreign handle stops here */
        if (err != MP_OK)
            lock = 0;
    } else if (!raw) {
        err = mpi_lock_create_owned(MPI_KIND_RLOCK, &lock);
    }
    if (err == MP_OK && kind == MPI_KIND_ARRAY)
        err = mpi_arena_alloc(&c, (uint64_t)elem * length, &offset);
    if (err != MP_OK) {
        if (lock != 0 && with != NULL)
            mpi_lock_unuse(lock, lock_kind);
        else if (lock != 0)
            mpi_lock_destroy_owned(lock, MPI_KIND_RLOCK);
        mpi_obj_unalloc(table_of(kind), o);
        return err;
    }
    o->type = (uint8_t)type;
    o->elem = (uint8_t)elem;
    o->length = (uint32_t)length;
    o->offset = offset;
    o->rlock = lock;
    o->lock_kind = (uint8_t)lock_kind;
    memset(o->inline_data, 0, sizeof o->inline_data);
    if (init != NULL)
        memcpy(data_of(o), init, elem * length);
    uint32_t flags = with != NULL ? MPI_VALUE_LOCKED | MPI_VALUE_LENT
                     : raw        ? 0u
                                  : MPI_VALUE_LOCKED;
    *id = mpi_obj_publish(table_of(kind), o, flags);
    return MP_OK;
}

static mp_err_t destroy(uint32_t id, uint32_t kind)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, table_of(kind), id);
    if (err != MP_OK)
        return err;
    mpi_value_t *o = c.obj;
    mpi_lock_t *l = NULL;
    if (mpi_obj_flags(&o->hdr) & MPI_VALUE_LOCKED) {
        l = mpi_lock_at(o->rlock, o->lock_kind);
        uint32_t w = atomic_load(&l->word);
        if (w != 0 && mpi_token_alive(w & MPI_LOCK_OWNER))
            return mpi_leave(&c, MP_EBUSY); /* someone holds get_lock() */
    }
    if (mpi_retire(&c) != MP_OK)
        return mpi_leave(&c, MP_ESTALE);
    if (l != NULL)
        mp_port_wake(&l->word, UINT32_MAX); /* anyone waiting for its lock looks again */
    return mpi_leave_retired(&c);
}

/* Takes the object's lock when it has one: MP_OK or MP_EOWNERDEAD (the data may be
 * half-written by a process that died holding the lock; the access still happens), or a
 * failure (MP_EISR in a handler, MP_ESTALE), after which the caller touches nothing. */
static mp_err_t lock(const mpi_call_t *c, const mpi_value_t *o, bool *taken)
{
    *taken = false;
    if (!(mpi_obj_flags(&o->hdr) & MPI_VALUE_LOCKED))
        return MP_OK;
    mpi_lock_t *l = mpi_lock_at(o->rlock, o->lock_kind);
    /* A lent plain Lock the caller holds already: it updates several objects under it. */
    if (o->lock_kind == MPI_KIND_LOCK && mpi_guard_mine(&l->word, c->self))
        return MP_OK;
    mpi_until_t forever = mpi_until(MP_FOREVER);
    mp_err_t err = mpi_lock_take(c, l, &forever);
    *taken = err == MP_OK || err == MP_EOWNERDEAD;
    return err;
}

static bool locked(mp_err_t err)
{
    return err == MP_OK || err == MP_EOWNERDEAD;
}

static void unlock(const mpi_call_t *c, const mpi_value_t *o, bool taken)
{
    if (taken)
        (void)mpi_lock_give(c, mpi_lock_at(o->rlock, o->lock_kind));
}

static mp_err_t copy(uint32_t id, uint32_t kind, size_t start, size_t count, void *out,
                     const void *in)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, table_of(kind), id);
    if (err != MP_OK)
        return err;
    if ((out == NULL && in == NULL) || count == 0)
        return mpi_leave(&c, MP_EINVAL);
    mpi_value_t *o = c.obj;
    if (start >= o->length || count > o->length - start)
        return mpi_leave(&c, MP_EINVAL);
    bool taken;
    err = lock(&c, o, &taken);
    if (!locked(err))
        return mpi_leave(&c, err);
    uint8_t *p = data_of(o) + start * o->elem;
    if (out != NULL)
        memcpy(out, p, count * o->elem);
    else
        memcpy(p, in, count * o->elem);
    unlock(&c, o, taken);
    return mpi_leave(&c, err);
}

static int64_t load_int(mp_type_t type, const uint8_t *p)
{
    switch (type) {
    case MP_I8: return *(const int8_t *)p;
    case MP_U8: return *p;
    case MP_I16: { int16_t v; memcpy(&v, p, 2); return v; }
    case MP_U16: { uint16_t v; memcpy(&v, p, 2); return v; }
    case MP_I64: case MP_U64: { int64_t v; memcpy(&v, p, 8); return v; }
    default: return 0;
    }
}

static void store_int(mp_type_t type, uint8_t *p, int64_t v)
{
    size_t n = mp_type_size(type);
    if (n == 1) { uint8_t b = (uint8_t)v; memcpy(p, &b, 1); }
    else if (n == 2) { uint16_t h = (uint16_t)v; memcpy(p, &h, 2); }
    else { memcpy(p, &v, 8); }
}

static mp_err_t add(uint32_t id, uint32_t kind, size_t index, int64_t delta, int64_t *previous)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, table_of(kind), id);
    if (err != MP_OK)
        return err;
    mpi_value_t *o = c.obj;
    mp_type_t type = (mp_type_t)o->type;
    if (index >= o->length || type == MP_FLOAT || type == MP_DOUBLE || type == MP_BYTES)
        return mpi_leave(&c, MP_EINVAL);
    uint8_t *p = data_of(o) + index * o->elem;
    if (type == MP_I32 || type == MP_U32) {
        uint32_t old = atomic_fetch_add((_Atomic uint32_t *)p, (uint32_t)delta);
        if (previous != NULL)
            *previous = type == MP_I32 ? (int64_t)(int32_t)old : (int64_t)old;
        return mpi_leave(&c, MP_OK);
    }
    if (!(mpi_obj_flags(&o->hdr) & MPI_VALUE_LOCKED))
        return mpi_leave(&c, MP_ENOTSUP);
    bool taken;
    err = lock(&c, o, &taken);
    if (!locked(err))
        return mpi_leave(&c, err); /* without the lock, the data is not ours to change */
    int64_t old = load_int(type, p);
    store_int(type, p, (int64_t)((uint64_t)old + (uint64_t)delta));
    unlock(&c, o, taken);
    if (previous != NULL)
        *previous = old;
    return mpi_leave(&c, err);
}

static mp_err_t cas(uint32_t id, uint32_t kind, size_t index, void *expected,
                    const void *desired, bool *swapped)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, table_of(kind), id);
    if (err != MP_OK)
        return err;
    if (expected == NULL || desired == NULL || swapped == NULL)
        return mpi_leave(&c, MP_EINVAL);
    mpi_value_t *o = c.obj;
    if (index >= o->length)
        return mpi_leave(&c, MP_EINVAL);
    uint8_t *p = data_of(o) + index * o->elem;
    if (o->type == MP_I32 || o->type == MP_U32) {
        uint32_t want, with;
        memcpy(&want, expected, 4);
        memcpy(&with, desired, 4);
        *swapped = atomic_compare_exchange_strong((_Atomic uint32_t *)p, &want, with);
        memcpy(expected, &want, 4);
        return mpi_leave(&c, MP_OK);
    }
    if (!(mpi_obj_flags(&o->hdr) & MPI_VALUE_LOCKED))
        return mpi_leave(&c, MP_ENOTSUP);
    bool taken;
    err = lock(&c, o, &taken);
    if (!locked(err))
        return mpi_leave(&c, err);
    *swapped = memcmp(p, expected, o->elem) == 0;
    if (*swapped)
        memcpy(p, desired, o->elem);
    else
        memcpy(expected, p, o->elem);
    unlock(&c, o, taken);
    return mpi_leave(&c, err);
}

static mp_err_t get_lock(uint32_t id, uint32_t kind, mp_rlock_t *out)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, table_of(kind), id);
    if (err != MP_OK)
        return err;
    if (out == NULL)
        return mpi_leave(&c, MP_EINVAL);
    mpi_value_t *o = c.obj;
    if (!(mpi_obj_flags(&o->hdr) & MPI_VALUE_LOCKED) || o->lock_kind != MPI_KIND_RLOCK)
        return mpi_leave(&c, MP_ENOENT);
    out->id = o->rlock;
    return mpi_leave(&c, MP_OK);
}

/* ---- Value --------------------------------------------------------------------------- */
mp_err_t mp_value_create(mp_value_t *v, mp_type_t type, const void *init, bool raw)
{
    return create(MPI_KIND_VALUE, v ? &v->id : NULL, type, 1, init, raw, NULL);
}
mp_err_t mp_value_create_with(mp_value_t *v, mp_type_t type, const void *init,
                              const mp_with_lock_t *with)
{
    return create(MPI_KIND_VALUE, v ? &v->id : NULL, type, 1, init, false,
                  with != NULL ? with : &(mp_with_lock_t){{0}, {0}});
}
mp_err_t mp_value_destroy(mp_value_t v) { return destroy(v.id, MPI_KIND_VALUE); }
mp_err_t mp_value_get(mp_value_t v, void *out)
{
    return copy(v.id, MPI_KIND_VALUE, 0, 1, out, NULL);
}
mp_err_t mp_value_set(mp_value_t v, const void *in)
{
    return copy(v.id, MPI_KIND_VALUE, 0, 1, NULL, in);
}
mp_err_t mp_value_add(mp_value_t v, int64_t delta, int64_t *previous)
{
    return add(v.id, MPI_KIND_VALUE, 0, delta, previous);
}
mp_err_t mp_value_cas(mp_value_t v, void *expected, const void *desired, bool *swapped)
{
    return cas(v.id, MPI_KIND_VALUE, 0, expected, desired, swapped);
}
mp_err_t mp_value_get_lock(mp_value_t v, mp_rlock_t *lock_out)
{
    return get_lock(v.id, MPI_KIND_VALUE, lock_out);
}

/* ---- Array --------------------------------------------------------------------------- */
mp_err_t mp_array_create(mp_array_t *a, mp_type_t type, size_t length, const void *init,
                         bool raw)
{
    return create(MPI_KIND_ARRAY, a ? &a->id : NULL, type, length, init, raw, NULL);
}
mp_err_t mp_array_create_with(mp_array_t *a, mp_type_t type, size_t length, const void *init,
                              const mp_with_lock_t *with)
{
    return create(MPI_KIND_ARRAY, a ? &a->id : NULL, type, length, init, false,
                  with != NULL ? with : &(mp_with_lock_t){{0}, {0}});
}
mp_err_t mp_array_destroy(mp_array_t a) { return destroy(a.id, MPI_KIND_ARRAY); }
mp_err_t mp_array_length(mp_array_t a, size_t *length)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_array_table, a.id);
    if (err != MP_OK)
        return err;
    if (length == NULL)
        return mpi_leave(&c, MP_EINVAL);
    *length = ((mpi_value_t *)c.obj)->length;
    return mpi_leave(&c, MP_OK);
}
mp_err_t mp_array_get(mp_array_t a, size_t index, void *out)
{
    return copy(a.id, MPI_KIND_ARRAY, index, 1, out, NULL);
}
mp_err_t mp_array_set(mp_array_t a, size_t index, const void *in)
{
    return copy(a.id, MPI_KIND_ARRAY, index, 1, NULL, in);
}
mp_err_t mp_array_read(mp_array_t a, size_t start, size_t count, void *out)
{
    return copy(a.id, MPI_KIND_ARRAY, start, count, out, NULL);
}
mp_err_t mp_array_write(mp_array_t a, size_t start, size_t count, const void *in)
{
    return copy(a.id, MPI_KIND_ARRAY, start, count, NULL, in);
}
mp_err_t mp_array_add(mp_array_t a, size_t index, int64_t delta, int64_t *previous)
{
    return add(a.id, MPI_KIND_ARRAY, index, delta, previous);
}
mp_err_t mp_array_cas(mp_array_t a, size_t index, void *expected, const void *desired,
                      bool *swapped)
{
    return cas(a.id, MPI_KIND_ARRAY, index, expected, desired, swapped);
}
mp_err_t mp_array_get_lock(mp_array_t a, mp_rlock_t *lock_out)
{
    return get_lock(a.id, MPI_KIND_ARRAY, lock_out);
}
