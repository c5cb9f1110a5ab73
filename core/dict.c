/*
 * Dict: string keys to byte values, in records (records.h) from the arena.
 *
 * A record holds one entry whole: the key's hash, the key's and the value's lengths, the
 * key, the value. Records are never changed while a map names them: setting a key writes
 * a new record and replaces the old one in the map with one store, so a reader that the
 * lock admits after a killed writer sees the old value or the new, never a mix. Lookup
 * is a scan of the live map comparing hashes first (capacities are small and fixed).
 */
#include <string.h>

#include "mp/dict.h"
#include "dict.h"

static void release_dict(void *obj, uint32_t flags);

static const mpi_wait_word_t words[] = {
    {offsetof(mpi_dict_t, rec.guard), 1, MPI_WORD_HOLDER, "the lock of Dict #"},
};

const mpi_table_t mpi_dict_table = {MPI_TABLE_STORE(dicts), .kind = MPI_KIND_DICT,
                                    .release = release_dict, MPI_TABLE_WORDS(words)};

static void release_dict(void *obj, uint32_t flags)
{
    (void)flags;
    mpi_dict_t *o = obj;
    if (o->rec.offset != 0)
        mpi_arena_free(o->rec.offset);
    o->rec.offset = 0;
}

typedef struct {
    uint32_t hash;
    uint32_t key_len;
    uint32_t value_len;
} entry_t; /* a record's head; the key follows, the value is at value_at */

#define KEY_AT ((uint32_t)sizeof(entry_t))

static uint32_t round8(uint64_t n)
{
    return (uint32_t)((n + 7u) & ~(uint64_t)7u);
}

/* ---- create, destroy ------------------------------------------------------------------ */
mp_err_t mp_dict_create(mp_dict_t *d, const mp_dict_attr_t *attr)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    if (d == NULL || attr == NULL || attr->capacity == 0 ||
        attr->capacity > MP_CONF_CONTAINER_CAPACITY || attr->key_size == 0 ||
        attr->key_size > MP_CONF_DICT_KEY_SIZE || attr->value_size == 0 ||
        attr->value_size > MP_CONF_DICT_VALUE_SIZE)
        return MP_EINVAL;
    uint32_t value_at = round8((uint64_t)KEY_AT + attr->key_size);
    uint32_t record = round8((uint64_t)value_at + attr->value_size);
    uint64_t bytes = mpi_records_bytes(attr->capacity, record);
    if (bytes > MP_CONF_ARENA_SIZE)
        return MP_ENOMEM;
    mpi_dict_t *o;
    uint32_t index, offset;
    err = mpi_obj_alloc(&mpi_dict_table, (void **)&o, &index);
    if (err != MP_OK)
        return err;
    err = mpi_arena_alloc(&c, bytes, &offset);
    if (err != MP_OK) {
        mpi_obj_unalloc(&mpi_dict_table, o);
        return err;
    }
    o->key_size = attr->key_size;
    o->value_size = attr->value_size;
    o->value_at = value_at;
    mpi_records_init(&o->rec, offset, attr->capacity, record);
    d->id = mpi_obj_publish(&mpi_dict_table, o, 0);
    return MP_OK;
}

mp_err_t mp_dict_destroy(mp_dict_t d)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_dict_table, d.id);
    if (err != MP_OK)
        return err;
    if (mpi_retire(&c) != MP_OK)
        return mpi_leave(&c, MP_ESTALE);
    mpi_dict_t *o = c.obj;
    /* Whoever waits for the lock looks again, finds the dict retired: MP_ESTALE. A caller
     * inside keeps the storage until it leaves (it is freed by the last one out). */
    mp_port_wake(&o->rec.guard, UINT32_MAX);
    return mpi_leave_retired(&c);
}

/* ---- keys ------------------------------------------------------------------------------ */
/* The key's length, checked: MP_EINVAL for NULL or empty, MP_EMSGSIZE past key_size. */
static mp_err_t key_check(const mpi_dict_t *o, const char *key, uint32_t *len)
{
    if (key == NULL || key[0] == '\0')
        return MP_EINVAL;
    uint32_t n = 0;
    while (key[n] != '\0') {
        if (n == o->key_size)
            return MP_EMSGSIZE;
        n++;
    }
    *len = n;
    return MP_OK;
}

static uint32_t hash_of(const char *key, uint32_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ (uint8_t)key[i]) * 16777619u;
    return h;
}

static entry_t *entry_at(const mpi_dict_t *o, uint32_t pos)
{
    return (entry_t *)mpi_records_item(&o->rec, pos);
}

static const char *key_of(const entry_t *e)
{
    return (const char *)e + KEY_AT;
}

static uint8_t *value_of(const mpi_dict_t *o, entry_t *e)
{
    return (uint8_t *)e + o->value_at;
}

typedef struct {
    const char *key;
    uint32_t len, hash;
} key_t_;

/* Position of key in the live map, or UINT32_MAX. */
static uint32_t find(const mpi_dict_t *o, const key_t_ *k)
{
    uint32_t n = mpi_records_count(&o->rec);
    for (uint32_t pos = 0; pos < n; pos++) {
        const entry_t *e = entry_at(o, pos);
        if (e->hash == k->hash && e->key_len == k->len && memcmp(key_of(e), k->key, k->len) == 0)
            return pos;
    }
    return UINT32_MAX;
}

/* Writes key = value into a fresh record (nobody sees it yet) and publishes it: in place
 * of the entry at pos, or appended (pos UINT32_MAX; the caller checked for room). */
static void store(mpi_dict_t *o, const key_t_ *k, const void *value, uint32_t len, uint32_t pos)
{
    uint32_t rec = mpi_records_claim(&o->rec);
    entry_t *e = (entry_t *)mpi_records_at(&o->rec, rec);
    e->hash = k->hash;
    e->key_len = k->len;
    e->value_len = len;
    memcpy((char *)e + KEY_AT, k->key, k->len);
    if (len > 0)
        memcpy(value_of(o, e), value, len);
    if (pos != UINT32_MAX)
        mpi_records_replace(&o->rec, pos, rec);
    else
        mpi_records_append(&o->rec, rec);
}

/* ---- the calls -------------------------------------------------------------------------- */
/* The common start: handler, init, handle, then the key. On MP_OK the caller is inside
 * the dict (c) and must leave it. */
static mp_err_t begin(mpi_call_t *c, uint32_t id, const char *key, key_t_ *k,
                      mp_timeout_t timeout)
{
    if (mpi_isr_would_block(timeout))
        return MP_EISR;
    mp_err_t err = mpi_enter(c, &mpi_dict_table, id);
    if (err != MP_OK)
        return err;
    if (k != NULL) {
        err = key_check(c->obj, key, &k->len);
        if (err != MP_OK)
            return mpi_leave(c, err);
        k->key = key;
        k->hash = hash_of(key, k->len);
    }
    return MP_OK;
}

static bool out_bad(const void *buf, size_t size, const size_t *len)
{
    return len == NULL || (buf == NULL && size > 0);
}

mp_err_t mp_dict_set(mp_dict_t d, const char *key, const void *value, size_t len,
                     mp_timeout_t timeout)
{
    mpi_call_t c;
    key_t_ k;
    mp_err_t err = begin(&c, d.id, key, &k, timeout);
    if (err != MP_OK)
        return err;
    mpi_dict_t *o = c.obj;
    if (value == NULL && len > 0)
        return mpi_leave(&c, MP_EINVAL);
    if (len > o->value_size)
        return mpi_leave(&c, MP_EMSGSIZE);
    err = mpi_records_lock(&c, &o->rec, timeout);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    uint32_t pos = find(o, &k);
    if (pos == UINT32_MAX && mpi_records_count(&o->rec) == o->rec.capacity)
        err = MP_ENOSPC;
    else
        store(o, &k, value, (uint32_t)len, pos);
    mpi_records_unlock(&o->rec);
    return mpi_leave(&c, err);
}

/* get and pop: copies the entry at pos out, or says why not. */
static mp_err_t copy_out(mpi_dict_t *o, uint32_t pos, void *buf, size_t size, size_t *len)
{
    entry_t *e = entry_at(o, pos);
    if (len != NULL)
        *len = e->value_len;
    if (e->value_len > size)
        return MP_ETOOSMALL;
    if (e->value_len > 0)
        memcpy(buf, value_of(o, e), e->value_len);
    return MP_OK;
}

static mp_err_t get_or_pop(mp_dict_t d, const char *key, void *buf, size_t size, size_t *len,
                           mp_timeout_t timeout, bool pop)
{
    mpi_call_t c;
    key_t_ k;
    mp_err_t err = begin(&c, d.id, key, &k, timeout);
    if (err != MP_OK)
        return err;
    if (out_bad(buf, size, len))
        return mpi_leave(&c, MP_EINVAL);
    mpi_dict_t *o = c.obj;
    err = mpi_records_lock(&c, &o->rec, timeout);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    uint32_t pos = find(o, &k);
    if (pos == UINT32_MAX) {
        err = MP_ENOENT;
    } else {
        err = copy_out(o, pos, buf, size, len);
        if (err == MP_OK && pop)
            mpi_records_remove(&o->rec, pos);
    }
    mpi_records_unlock(&o->rec);
    return mpi_leave(&c, err);
}

mp_err_t mp_dict_get(mp_dict_t d, const char *key, void *buf, size_t size, size_t *len,
                     mp_timeout_t timeout)
{
    return get_or_pop(d, key, buf, size, len, timeout, false);
}

mp_err_t mp_dict_pop(mp_dict_t d, const char *key, void *buf, size_t size, size_t *len,
                     mp_timeout_t timeout)
{
    return get_or_pop(d, key, buf, size, len, timeout, true);
}

mp_err_t mp_dict_delete(mp_dict_t d, const char *key, mp_timeout_t timeout)
{
    mpi_call_t c;
    key_t_ k;
    mp_err_t err = begin(&c, d.id, key, &k, timeout);
    if (err != MP_OK)
        return err;
    mpi_dict_t *o = c.obj;
    err = mpi_records_lock(&c, &o->rec, timeout);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    uint32_t pos = find(o, &k);
    if (pos == UINT32_MAX)
        err = MP_ENOENT;
    else
        mpi_records_remove(&o->rec, pos);
    mpi_records_unlock(&o->rec);
    return mpi_leave(&c, err);
}

mp_err_t mp_dict_contains(mp_dict_t d, const char *key, bool *found, mp_timeout_t timeout)
{
    mpi_call_t c;
    key_t_ k;
    mp_err_t err = begin(&c, d.id, key, &k, timeout);
    if (err != MP_OK)
        return err;
    if (found == NULL)
        return mpi_leave(&c, MP_EINVAL);
    mpi_dict_t *o = c.obj;
    err = mpi_records_lock(&c, &o->rec, timeout);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    *found = find(o, &k) != UINT32_MAX;
    mpi_records_unlock(&o->rec);
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_dict_len(mp_dict_t d, size_t *len, mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = begin(&c, d.id, NULL, NULL, timeout);
    if (err != MP_OK)
        return err;
    if (len == NULL)
        return mpi_leave(&c, MP_EINVAL);
    mpi_dict_t *o = c.obj;
    err = mpi_records_lock(&c, &o->rec, timeout);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    *len = mpi_records_count(&o->rec);
    mpi_records_unlock(&o->rec);
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_dict_clear(mp_dict_t d, mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = begin(&c, d.id, NULL, NULL, timeout);
    if (err != MP_OK)
        return err;
    mpi_dict_t *o = c.obj;
    err = mpi_records_lock(&c, &o->rec, timeout);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    mpi_records_clear(&o->rec);
    mpi_records_unlock(&o->rec);
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_dict_setdefault(mp_dict_t d, const char *key, const void *dflt, size_t dlen,
                            void *buf, size_t size, size_t *len, mp_timeout_t timeout)
{
    mpi_call_t c;
    key_t_ k;
    mp_err_t err = begin(&c, d.id, key, &k, timeout);
    if (err != MP_OK)
        return err;
    mpi_dict_t *o = c.obj;
    bool want = !(buf == NULL && size == 0 && len == NULL);
    if ((dflt == NULL && dlen > 0) || (want && out_bad(buf, size, len)))
        return mpi_leave(&c, MP_EINVAL);
    if (dlen > o->value_size)
        return mpi_leave(&c, MP_EMSGSIZE);
    err = mpi_records_lock(&c, &o->rec, timeout);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    uint32_t pos = find(o, &k);
    if (pos != UINT32_MAX) {
        if (want)
            err = copy_out(o, pos, buf, size, len);
    } else if (mpi_records_count(&o->rec) == o->rec.capacity) {
        err = MP_ENOSPC;
    } else if (want && dlen > size) {
        *len = dlen;
        err = MP_ETOOSMALL;
    } else {
        store(o, &k, dflt, (uint32_t)dlen, UINT32_MAX);
        if (want) {
            *len = dlen;
            if (dlen > 0)
                memcpy(buf, dflt, dlen);
        }
    }
    mpi_records_unlock(&o->rec);
    return mpi_leave(&c, err);
}

mp_err_t mp_dict_add(mp_dict_t d, const char *key, int64_t delta, int64_t *previous,
                     mp_timeout_t timeout)
{
    mpi_call_t c;
    key_t_ k;
    mp_err_t err = begin(&c, d.id, key, &k, timeout);
    if (err != MP_OK)
        return err;
    mpi_dict_t *o = c.obj;
    err = mpi_records_lock(&c, &o->rec, timeout);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    uint32_t pos = find(o, &k);
    if (pos == UINT32_MAX) {
        err = MP_ENOENT;
    } else {
        entry_t *e = entry_at(o, pos);
        if (e->value_len != sizeof(int64_t)) {
            err = MP_EINVAL;
        } else {
            int64_t old;
            memcpy(&old, value_of(o, e), sizeof old);
            int64_t now = (int64_t)((uint64_t)old + (uint64_t)delta); /* wraps, no UB */
            store(o, &k, &now, sizeof now, pos);
            if (previous != NULL)
                *previous = old;
        }
    }
    mpi_records_unlock(&o->rec);
    return mpi_leave(&c, err);
}

mp_err_t mp_dict_update(mp_dict_t d, mp_dict_t other, mp_timeout_t timeout)
{
    mpi_call_t c, co;
    mp_err_t err = begin(&c, d.id, NULL, NULL, timeout);
    if (err != MP_OK)
        return err;
    if (other.id == d.id) { /* d.update(d): nothing changes, but the handle is checked */
        mpi_dict_t *o = c.obj;
        err = mpi_records_lock(&c, &o->rec, timeout);
        if (err == MP_OK)
            mpi_records_unlock(&o->rec);
        return mpi_leave(&c, err);
    }
    err = mpi_enter(&co, &mpi_dict_table, other.id);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    mpi_dict_t *o = c.obj, *src = co.obj;
    /* Both locks, the lower table index first; one timeout for the two. */
    bool mine_first = (d.id & MPI_INDEX_MASK) < (other.id & MPI_INDEX_MASK);
    mpi_records_t *first = mine_first ? &o->rec : &src->rec;
    mpi_records_t *second = mine_first ? &src->rec : &o->rec;
    bool timed = timeout != MP_NOWAIT && timeout != MP_FOREVER;
    mp_time_t end = timed ? mpi_deadline(timeout) : 0;
    err = mpi_records_lock(mine_first ? &c : &co, first, timeout);
    if (err != MP_OK) {
        (void)mpi_leave(&co, MP_OK);
        return mpi_leave(&c, err);
    }
    mp_timeout_t left = timeout;
    if (timed) {
        mp_time_t now = mp_port_now();
        left = end > now ? (mp_timeout_t)((end - now + 999999u) / 1000000u) : MP_NOWAIT;
    }
    err = mpi_records_lock(mine_first ? &co : &c, second, left);
    if (err != MP_OK) {
        mpi_records_unlock(first);
        if (err == MP_EAGAIN && timeout != MP_NOWAIT)
            err = MP_ETIMEDOUT; /* the caller's wait happened; it ended on the second */
        (void)mpi_leave(&co, MP_OK);
        return mpi_leave(&c, err);
    }
    /* Everything checked before anything changes: sizes, then room. */
    uint32_t n = mpi_records_count(&src->rec), fresh = 0;
    for (uint32_t i = 0; i < n && err == MP_OK; i++) {
        entry_t *e = entry_at(src, i);
        key_t_ k = {key_of(e), e->key_len, e->hash};
        if (e->key_len > o->key_size || e->value_len > o->value_size)
            err = MP_EMSGSIZE;
        else if (find(o, &k) == UINT32_MAX)
            fresh++;
    }
    if (err == MP_OK && (uint64_t)mpi_records_count(&o->rec) + fresh > o->rec.capacity)
        err = MP_ENOSPC;
    for (uint32_t i = 0; i < n && err == MP_OK; i++) {
        entry_t *e = entry_at(src, i);
        key_t_ k = {key_of(e), e->key_len, e->hash};
        store(o, &k, value_of(src, e), e->value_len, find(o, &k));
    }
    mpi_records_unlock(second);
    mpi_records_unlock(first);
    (void)mpi_leave(&co, MP_OK);
    return mpi_leave(&c, err);
}

/* ---- iteration ------------------------------------------------------------------------ */
mp_err_t mp_dict_iter(mp_dict_t d, mp_dict_iter_t *it, mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = begin(&c, d.id, NULL, NULL, timeout);
    if (err != MP_OK)
        return err;
    if (it == NULL)
        return mpi_leave(&c, MP_EINVAL);
    mpi_dict_t *o = c.obj;
    err = mpi_records_lock(&c, &o->rec, timeout);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    it->id = d.id;
    it->pos = 0;
    it->version = atomic_load(&o->rec.version);
    mpi_records_unlock(&o->rec);
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_dict_next(mp_dict_iter_t *it, char *key, size_t key_size, void *value,
                      size_t value_size, size_t *value_len, mp_timeout_t timeout)
{
    if (mpi_isr_would_block(timeout))
        return MP_EISR;
    if (it == NULL)
        return MP_EINVAL;
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_dict_table, it->id);
    if (err != MP_OK)
        return err;
    if ((key == NULL && key_size > 0) || (value == NULL && value_size > 0) ||
        (value != NULL && value_len == NULL))
        return mpi_leave(&c, MP_EINVAL);
    mpi_dict_t *o = c.obj;
    err = mpi_records_lock(&c, &o->rec, timeout);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    if (atomic_load(&o->rec.version) != it->version) {
        err = MP_ECHANGED;
    } else if (it->pos >= mpi_records_count(&o->rec)) {
        err = MP_ENOENT;
    } else {
        entry_t *e = entry_at(o, it->pos);
        if (value_len != NULL)
            *value_len = e->value_len;
        if ((key != NULL && key_size < (size_t)e->key_len + 1u) ||
            (value != NULL && value_size < e->value_len)) {
            err = MP_ETOOSMALL;
        } else {
            if (key != NULL) {
                memcpy(key, key_of(e), e->key_len);
                key[e->key_len] = '\0';
            }
            if (value != NULL && e->value_len > 0)
                memcpy(value, value_of(o, e), e->value_len);
            it->pos++;
        }
    }
    mpi_records_unlock(&o->rec);
    return mpi_leave(&c, err);
}
