/*
 * Dict (core/dict.c, mp/dict.h): the operations and the model's rules. The model keeps the
 * entries in insertion order and the records' version (iterators: MP_ECHANGED), and
 * follows dict.c's check order: MP_EISR for a handler's timeout, the handle, the key
 * (MP_EINVAL, MP_EMSGSIZE), the other arguments, then the lock, then the state.
 *
 * No call here waits: a child never holds the lock across a switch and a handler fires
 * only while every task is blocked, so the lock is free or held by a child that died
 * inside a change (records_die_at), which the next caller takes over with MP_OK and a
 * repair (core/records.c).
 */
#include <string.h>

#include "harness.h"
#include "test_hooks.h"

#define KEY_MAX (MP_CONF_DICT_KEY_SIZE + 2u)

typedef struct {
    bool null;
    uint8_t id;
    uint32_t len;
    char text[KEY_MAX + 1];
} fz_key_t;

/* The key (id, len): id picks the first letter (eight distinct ones), so two keys are
 * equal exactly when id and len are. */
static void key_text(uint8_t id, uint32_t len, char *buf)
{
    for (uint32_t i = 0; i < len; i++)
        buf[i] = (char)('a' + (id * 5u + i * 3u) % 26u);
    buf[len] = '\0';
}

/* Mostly short keys (many repeats, so hits and full dicts), and the edges of d's key size. */
static void pick_key(in_t *in, const m_dict_t *d, fz_key_t *k)
{
    uint8_t b = in_u8(in);
    uint32_t size = d != NULL ? d->key_size : 8u;
    k->id = b & 7u;
    k->null = false;
    switch (b >> 3) {
    case 0: k->null = true; k->len = 0; break;
    case 1: k->len = 0; break;
    case 2: case 3: k->len = size; break;
    case 4: k->len = size + 1u; break;
    case 5: k->len = size > 1u ? size - 1u : 1u; break;
    default: k->len = 1u + (b >> 3) % 3u; break;
    }
    if (k->len > KEY_MAX)
        k->len = KEY_MAX;
    key_text(k->id, k->len, k->text);
}

static const char *key_arg(const fz_key_t *k)
{
    return k->null ? NULL : k->text;
}

static m_dict_t *lookup(uint32_t id, mp_err_t *err)
{
    int slot;
    *err = m_lookup(id, MPI_KIND_DICT, &slot);
    return *err == MP_OK ? &m.dicts[slot] : NULL;
}

/* dict.c begin(): a handler's timeout, the handle (already in err), the key. */
static mp_err_t begin(mp_err_t err, mp_timeout_t t, const m_dict_t *d, const fz_key_t *k)
{
    if (fz_isr_refuses(t))
        return MP_EISR;
    if (err != MP_OK || k == NULL)
        return err;
    if (k->null || k->len == 0)
        return MP_EINVAL;
    return k->len > d->key_size ? MP_EMSGSIZE : MP_OK;
}

static int find(const m_dict_t *d, uint8_t id, uint32_t len)
{
    for (uint32_t i = 0; i < d->rec.count; i++)
        if (d->e[i].key_id == id && d->e[i].key_len == len)
            return (int)i;
    return -1;
}

static int64_t value_num(const m_entry_t *e)
{
    if (e->num)
        return e->n;
    uint8_t b[8];
    for (size_t i = 0; i < 8; i++)
        b[i] = m_pattern(e->seed, i);
    int64_t n;
    memcpy(&n, b, sizeof n);
    return n;
}

static void expect_value(const m_entry_t *e, const uint8_t *buf)
{
    if (!e->num) {
        fz_expect_bytes(buf, e->len, e->seed);
        return;
    }
    int64_t n;
    memcpy(&n, buf, sizeof n);
    fz_expect_u("int64 value", (uint64_t)e->n, (uint64_t)n);
}

/* Stores e in place of the entry at pos, or appends it (pos < 0, room checked). A death
 * after the publishing store leaves the version to the repair. */
static void store(m_dict_t *d, const m_entry_t *e, int pos, int death)
{
    if (death == 1)
        return;
    if (pos >= 0) {
        d->e[pos] = *e;
        return;
    }
    d->e[d->rec.count++] = *e;
    if (death == 0)
        d->rec.version++;
}

static void remove_at(m_dict_t *d, int pos, int death)
{
    if (death == 1)
        return;
    memmove(&d->e[pos], &d->e[pos + 1], (d->rec.count - (uint32_t)pos - 1u) * sizeof d->e[0]);
    d->rec.count--;
    if (death == 0)
        d->rec.version++;
}

int fz_records_death(void)
{
    if (fz_reaches(MPI_HOOK_RECORDS_WRITTEN))
        return 1;
    return fz_reaches(MPI_HOOK_RECORDS_PUBLISHED) ? 2 : 0;
}

/* ---- create, destroy ------------------------------------------------------------------ */
static uint32_t round8(uint64_t n)
{
    return (uint32_t)((n + 7u) & ~(uint64_t)7u);
}

static void d_create(in_t *in)
{
    static const uint32_t caps[] = {0, 1, 2, 3, 4, 5, 8, 16, 100, 4096, 4097, UINT32_MAX, 2, 3};
    static const uint32_t keys[] = {0, 1, 2, 3, 8, 63, 64, 65, UINT32_MAX, 4, 16, 2};
    static const uint32_t values[] = {0, 1, 7, 8, 9, 64, 1023, 1024, 1025, UINT32_MAX, 16, 8};
    uint8_t f = in_u8(in);
    mp_dict_attr_t a;
    a.capacity = fz_edge_or_any(in, caps, sizeof caps / sizeof caps[0]);
    a.key_size = fz_edge_or_any(in, keys, sizeof keys / sizeof keys[0]);
    a.value_size = fz_edge_or_any(in, values, sizeof values / sizeof values[0]);
    bool no_d = (f & 0x70) == 0x70, no_attr = (f & 0x0e) == 0x0e;
    fz_call("mp_dict_create", 4, (uint64_t)a.capacity, (uint64_t)a.key_size,
            (uint64_t)a.value_size, (uint64_t)f);
    mp_err_t want = MP_OK;
    int slot = -1, block = -1;
    uint64_t bytes = 0;
    if (no_d || no_attr || a.capacity == 0 || a.capacity > MP_CONF_CONTAINER_CAPACITY ||
        a.key_size == 0 || a.key_size > MP_CONF_DICT_KEY_SIZE || a.value_size == 0 ||
        a.value_size > MP_CONF_DICT_VALUE_SIZE)
        want = MP_EINVAL;
    else if ((bytes = m_rec_bytes(a.capacity, round8((uint64_t)round8(12u + (uint64_t)a.key_size) +
                                                     a.value_size))) > MP_CONF_ARENA_SIZE)
        want = MP_ENOMEM; /* before the entry */
    else if ((slot = m_alloc_peek(T_DICT)) < 0)
        want = MP_ENOSLOT;
    else if ((block = m_arena_alloc((uint32_t)bytes)) < 0)
        want = MP_ENOMEM; /* the entry is given back untouched */
    mp_dict_t d = {0};
    fz_expect(want, mp_dict_create(no_d ? NULL : &d, no_attr ? NULL : &a));
    if (want != MP_OK)
        return;
    fz_expect_u("handle", m_alloc(T_DICT, slot, MPI_KIND_DICT), d.id);
    m_dict_t *md = &m.dicts[slot];
    md->rec = (m_rec_t){a.capacity, 0, 0, block, false};
    md->key_size = a.key_size;
    md->value_size = a.value_size;
    fz_pool_add(MPI_KIND_DICT, d.id);
}

static void destroy_slot(int slot)
{
    m_arena_free(m.dicts[slot].rec.block);
    (void)m_free(T_DICT, slot); /* nobody is ever inside across a switch: freed now */
}

static void d_destroy(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_DICT);
    fz_call("mp_dict_destroy", 1, (uint64_t)id);
    int slot;
    mp_err_t want = m_lookup(id, MPI_KIND_DICT, &slot);
    fz_expect(want, mp_dict_destroy((mp_dict_t){id}));
    if (want == MP_OK)
        destroy_slot(slot);
}

/* ---- set, get, pop, delete ------------------------------------------------------------- */
static void d_set(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_DICT);
    mp_err_t want;
    m_dict_t *d = lookup(id, &want);
    fz_key_t k;
    pick_key(in, d, &k);
    uint8_t vb = in_u8(in);
    uint8_t *buf = fz_buf_out();
    m_entry_t v = {k.id, false, (uint16_t)k.len, 0, 0, 0};
    size_t len;
    if (vb % 4u == 0) { /* an int64_t, for mp_dict_add */
        v.num = true;
        v.n = (int8_t)in_u8(in);
        len = v.len = 8;
        memcpy(buf, &v.n, sizeof v.n);
    } else {
        len = fz_len(in, d != NULL ? d->value_size : 16u);
        v.seed = fz_fill(buf, len, FZ_BUF);
        v.len = (uint32_t)len;
    }
    bool no_value = (vb & 0xf0) == 0xf0;
    mp_timeout_t t = fz_timeout(in);
    fz_call("mp_dict_set", 5, (uint64_t)id, (uint64_t)k.len, (uint64_t)len, (uint64_t)no_value,
            (uint64_t)t);
    want = begin(want, t, d, &k);
    if (want == MP_OK && no_value && len > 0)
        want = MP_EINVAL;
    else if (want == MP_OK && len > d->value_size)
        want = MP_EMSGSIZE;
    int pos = -1;
    if (want == MP_OK) {
        m_rec_lock(&d->rec);
        pos = find(d, k.id, k.len);
        if (pos < 0 && d->rec.count == d->rec.capacity)
            want = MP_ENOSPC;
    }
    int death = want == MP_OK ? fz_records_death() : 0;
    if (want == MP_OK)
        store(d, &v, pos, death);
    if (death) /* it dies holding the lock: the call never returns */
        d->rec.dead_holder = true;
    mp_err_t got = mp_dict_set((mp_dict_t){id}, key_arg(&k), no_value ? NULL : buf, len, t);
    if (death)
        fz_returned_instead_of_dying(got);
    fz_expect(want, got);
}

/* The output buffer of get, pop, setdefault, around the length of the value found. */
typedef struct {
    void *buf;
    size_t size;
    size_t *len;
} out_t;

static void pick_out(uint8_t sel, uint32_t vlen, out_t *o, size_t *len)
{
    *o = (out_t){fz_buf_in(), vlen, len};
    switch (sel % 8u) {
    case 0: o->size = 0; break;
    case 1: o->size = vlen > 0 ? vlen - 1u : 0; break;
    case 4: o->size = FZ_BUF; break;
    case 5: o->buf = NULL; o->size = 0; break;
    case 6: o->buf = NULL; o->size = vlen + 1u; break;
    case 7: o->len = NULL; break;
    default: break;
    }
}

static bool out_bad(const out_t *o)
{
    return o->len == NULL || (o->buf == NULL && o->size > 0);
}

/* dict.c copy_out: *len, then whether it fits. */
static mp_err_t copy_out(const m_entry_t *e, const out_t *o)
{
    return e->len > o->size ? MP_ETOOSMALL : MP_OK;
}

static void d_get(in_t *in)
{
    uint8_t f = in_u8(in);
    bool pop = f & 1;
    uint32_t id = fz_pick(in, MPI_KIND_DICT);
    mp_err_t want;
    m_dict_t *d = lookup(id, &want);
    fz_key_t k;
    pick_key(in, d, &k);
    int pos = d != NULL ? find(d, k.id, k.len) : -1;
    size_t len = 777;
    out_t o;
    pick_out(in_u8(in), pos >= 0 ? d->e[pos].len : 8u, &o, &len);
    mp_timeout_t t = fz_timeout(in);
    fz_call(pop ? "mp_dict_pop" : "mp_dict_get", 5, (uint64_t)id, (uint64_t)k.len,
            (uint64_t)o.size, (uint64_t)(o.buf == NULL) | (uint64_t)(o.len == NULL) << 1,
            (uint64_t)t);
    want = begin(want, t, d, &k);
    if (want == MP_OK && out_bad(&o))
        want = MP_EINVAL;
    m_entry_t e = {0};
    if (want == MP_OK) {
        m_rec_lock(&d->rec);
        want = pos < 0 ? MP_ENOENT : copy_out(&d->e[pos], &o);
        if (pos >= 0)
            e = d->e[pos];
    }
    int death = want == MP_OK && pop ? fz_records_death() : 0;
    if (want == MP_OK && pop)
        remove_at(d, pos, death);
    if (death) /* it dies holding the lock: the call never returns */
        d->rec.dead_holder = true;
    mp_err_t got = pop ? mp_dict_pop((mp_dict_t){id}, key_arg(&k), o.buf, o.size, o.len, t)
                       : mp_dict_get((mp_dict_t){id}, key_arg(&k), o.buf, o.size, o.len, t);
    if (death)
        fz_returned_instead_of_dying(got);
    fz_expect(want, got);
    if (want == MP_OK || want == MP_ETOOSMALL)
        fz_expect_u("*len", e.len, len);
    if (want == MP_OK && o.buf != NULL)
        expect_value(&e, o.buf);
}

static void d_delete(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_DICT);
    mp_err_t want;
    m_dict_t *d = lookup(id, &want);
    fz_key_t k;
    pick_key(in, d, &k);
    mp_timeout_t t = fz_timeout(in);
    fz_call("mp_dict_delete", 3, (uint64_t)id, (uint64_t)k.len, (uint64_t)t);
    want = begin(want, t, d, &k);
    int pos = -1;
    if (want == MP_OK) {
        m_rec_lock(&d->rec);
        pos = find(d, k.id, k.len);
        if (pos < 0)
            want = MP_ENOENT;
    }
    int death = want == MP_OK ? fz_records_death() : 0;
    if (want == MP_OK)
        remove_at(d, pos, death);
    if (death) /* it dies holding the lock: the call never returns */
        d->rec.dead_holder = true;
    mp_err_t got = mp_dict_delete((mp_dict_t){id}, key_arg(&k), t);
    if (death)
        fz_returned_instead_of_dying(got);
    fz_expect(want, got);
}

/* contains, len */
static void d_query(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_DICT);
    mp_err_t want;
    m_dict_t *d = lookup(id, &want);
    fz_key_t k = {0};
    bool contains = f & 1, no_out = (f & 0xe0) == 0xe0;
    if (contains)
        pick_key(in, d, &k);
    mp_timeout_t t = fz_timeout(in);
    fz_call(contains ? "mp_dict_contains" : "mp_dict_len", 3, (uint64_t)id, (uint64_t)no_out,
            (uint64_t)t);
    want = begin(want, t, d, contains ? &k : NULL);
    if (want == MP_OK && no_out)
        want = MP_EINVAL;
    if (want == MP_OK)
        m_rec_lock(&d->rec);
    bool found = false;
    size_t len = 777;
    mp_err_t got = contains ? mp_dict_contains((mp_dict_t){id}, key_arg(&k), no_out ? NULL : &found, t)
                            : mp_dict_len((mp_dict_t){id}, no_out ? NULL : &len, t);
    fz_expect(want, got);
    if (want == MP_OK && contains)
        fz_expect_u("found", find(d, k.id, k.len) >= 0, found);
    else if (want == MP_OK)
        fz_expect_u("len", d->rec.count, len);
}

static void d_clear(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_DICT);
    mp_timeout_t t = fz_timeout(in);
    fz_call("mp_dict_clear", 2, (uint64_t)id, (uint64_t)t);
    mp_err_t want;
    m_dict_t *d = lookup(id, &want);
    want = begin(want, t, d, NULL);
    int death = 0;
    if (want == MP_OK) {
        m_rec_lock(&d->rec);
        if (d->rec.count > 0) { /* an empty dict publishes nothing */
            death = fz_records_death();
            if (death != 1)
                d->rec.count = 0;
            if (death == 0)
                d->rec.version++;
        }
    }
    if (death) /* it dies holding the lock: the call never returns */
        d->rec.dead_holder = true;
    mp_err_t got = mp_dict_clear((mp_dict_t){id}, t);
    if (death)
        fz_returned_instead_of_dying(got);
    fz_expect(want, got);
}

/* ---- setdefault, add, update ------------------------------------------------------------ */
static void d_setdefault(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_DICT);
    mp_err_t want;
    m_dict_t *d = lookup(id, &want);
    fz_key_t k;
    pick_key(in, d, &k);
    uint8_t *dflt = fz_buf_out();
    size_t dlen = fz_len(in, d != NULL ? d->value_size : 16u);
    m_entry_t v = {k.id, false, (uint16_t)k.len, (uint32_t)dlen, fz_fill(dflt, dlen, FZ_BUF), 0};
    int pos = d != NULL ? find(d, k.id, k.len) : -1;
    size_t len = 777;
    out_t o;
    pick_out(in_u8(in), pos >= 0 ? d->e[pos].len : (uint32_t)dlen, &o, &len);
    bool no_dflt = f & 1, no_copy = (f & 6) == 6;
    if (no_copy)
        o = (out_t){NULL, 0, NULL};
    mp_timeout_t t = fz_timeout(in);
    fz_call("mp_dict_setdefault", 6, (uint64_t)id, (uint64_t)k.len, (uint64_t)dlen,
            (uint64_t)o.size, (uint64_t)f, (uint64_t)t);
    want = begin(want, t, d, &k);
    bool copy = !no_copy;
    if (want == MP_OK && ((no_dflt && dlen > 0) || (copy && out_bad(&o))))
        want = MP_EINVAL;
    else if (want == MP_OK && dlen > d->value_size)
        want = MP_EMSGSIZE;
    int death = 0;
    m_entry_t e = v;
    if (want == MP_OK) {
        m_rec_lock(&d->rec);
        if (pos >= 0) {
            e = d->e[pos];
            if (copy)
                want = copy_out(&e, &o);
        } else if (d->rec.count == d->rec.capacity) {
            want = MP_ENOSPC;
        } else if (copy && dlen > o.size) {
            want = MP_ETOOSMALL; /* nothing set */
        } else {
            death = fz_records_death();
            store(d, &v, -1, death);
        }
    }
    if (death) /* it dies holding the lock: the call never returns */
        d->rec.dead_holder = true;
    mp_err_t got = mp_dict_setdefault((mp_dict_t){id}, key_arg(&k), no_dflt ? NULL : dflt, dlen,
                                      o.buf, o.size, o.len, t);
    if (death)
        fz_returned_instead_of_dying(got);
    fz_expect(want, got);
    if (copy && (want == MP_OK || want == MP_ETOOSMALL))
        fz_expect_u("*len", e.len, len);
    if (copy && want == MP_OK && o.buf != NULL)
        expect_value(&e, o.buf);
}

static void d_add(in_t *in)
{
    static const int64_t edges[] = {1, -1, 0, INT64_MAX, INT64_MIN, 1000};
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_DICT);
    mp_err_t want;
    m_dict_t *d = lookup(id, &want);
    fz_key_t k;
    pick_key(in, d, &k);
    int64_t delta = f & 8 ? edges[in_u8(in) % 6u] : (int8_t)in_u8(in);
    bool no_prev = (f & 3) == 3;
    mp_timeout_t t = fz_timeout(in);
    fz_call("mp_dict_add", 5, (uint64_t)id, (uint64_t)k.len, (uint64_t)delta, (uint64_t)no_prev,
            (uint64_t)t);
    want = begin(want, t, d, &k);
    int pos = -1, death = 0;
    int64_t old = 0;
    if (want == MP_OK) {
        m_rec_lock(&d->rec);
        pos = find(d, k.id, k.len);
        if (pos < 0)
            want = MP_ENOENT;
        else if (d->e[pos].len != 8)
            want = MP_EINVAL; /* not an int64_t */
    }
    if (want == MP_OK) {
        old = value_num(&d->e[pos]);
        m_entry_t v = d->e[pos];
        v.num = true;
        v.n = (int64_t)((uint64_t)old + (uint64_t)delta);
        death = fz_records_death();
        store(d, &v, pos, death);
    }
    int64_t prev = 777;
    if (death) /* it dies holding the lock: the call never returns */
        d->rec.dead_holder = true;
    mp_err_t got = mp_dict_add((mp_dict_t){id}, key_arg(&k), delta, no_prev ? NULL : &prev, t);
    if (death)
        fz_returned_instead_of_dying(got);
    fz_expect(want, got);
    if (want == MP_OK && !no_prev)
        fz_expect_u("*previous", (uint64_t)old, (uint64_t)prev);
}

static void d_update(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_DICT);
    uint32_t other = f & 1 ? id : fz_pick(in, MPI_KIND_DICT);
    mp_timeout_t t = fz_timeout(in);
    fz_call("mp_dict_update", 3, (uint64_t)id, (uint64_t)other, (uint64_t)t);
    mp_err_t want, other_err;
    m_dict_t *d = lookup(id, &want), *src = lookup(other, &other_err);
    want = begin(want, t, d, NULL);
    if (want == MP_OK && other != id)
        want = other_err;
    if (want == MP_OK) { /* both locks, the lower entry first: both repaired alike */
        m_rec_lock(&d->rec);
        m_rec_lock(&src->rec);
    }
    if (want != MP_OK || other == id) {
        fz_expect(want, mp_dict_update((mp_dict_t){id}, (mp_dict_t){other}, t));
        return;
    }
    /* everything checked before anything changes: sizes in src's order, then room */
    uint32_t fresh = 0;
    for (uint32_t i = 0; i < src->rec.count && want == MP_OK; i++) {
        const m_entry_t *e = &src->e[i];
        if (e->key_len > d->key_size || e->len > d->value_size)
            want = MP_EMSGSIZE;
        else if (find(d, e->key_id, e->key_len) < 0)
            fresh++;
    }
    if (want == MP_OK && (uint64_t)d->rec.count + fresh > d->rec.capacity)
        want = MP_ENOSPC;
    int death = 0;
    for (uint32_t i = 0; i < src->rec.count && want == MP_OK && death == 0; i++) {
        m_entry_t e = src->e[i];
        death = fz_records_death(); /* each key is a change of its own */
        store(d, &e, find(d, e.key_id, e.key_len), death);
    }
    if (death) /* both locks stay with the dead */
        d->rec.dead_holder = src->rec.dead_holder = true;
    mp_err_t got = mp_dict_update((mp_dict_t){id}, (mp_dict_t){other}, t);
    if (death)
        fz_returned_instead_of_dying(got);
    fz_expect(want, got);
}

/* ---- iteration -------------------------------------------------------------------------- */
/* Iterators are the caller's structs: the model keeps a copy of each and compares. */
#define ITERS 4
static mp_dict_iter_t iters[ITERS], model_iters[ITERS];

static void d_iter(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_DICT);
    mp_timeout_t t = fz_timeout(in);
    mp_dict_iter_t *it = &iters[f % ITERS], *mit = &model_iters[f % ITERS];
    bool no_it = (f & 0xf0) == 0xf0;
    fz_call("mp_dict_iter", 3, (uint64_t)id, (uint64_t)f, (uint64_t)t);
    mp_err_t want;
    m_dict_t *d = lookup(id, &want);
    want = begin(want, t, d, NULL);
    if (want == MP_OK && no_it)
        want = MP_EINVAL;
    if (want == MP_OK) {
        m_rec_lock(&d->rec);
        *mit = (mp_dict_iter_t){id, 0, d->rec.version};
    }
    fz_expect(want, mp_dict_iter((mp_dict_t){id}, no_it ? NULL : it, t));
    fz_expect_u("iterator pos", mit->pos, it->pos);
    fz_expect_u("iterator version", mit->version, it->version);
}

/* A buffer of size sel picks around need: none, NULL with a size, exact, one short, large. */
static size_t pick_size(uint8_t sel, uint32_t need, bool *null)
{
    *null = false;
    switch (sel % 6u) {
    case 0: *null = true; return 0;
    case 1: *null = true; return need + 1u;
    case 2: case 3: return need;
    case 4: return need > 0 ? need - 1u : 0;
    default: return KEY_MAX + MP_CONF_DICT_VALUE_SIZE;
    }
}

static void d_next(in_t *in)
{
    uint8_t f = in_u8(in), ks = in_u8(in), vs = in_u8(in);
    mp_timeout_t t = fz_timeout(in);
    mp_dict_iter_t *it = &iters[f % ITERS], *mit = &model_iters[f % ITERS];
    bool no_it = (f & 0xf0) == 0xf0, no_vlen = (f & 0x0c) == 0x0c;
    mp_err_t want;
    m_dict_t *d = lookup(mit->id, &want);
    const m_entry_t *e = d != NULL && mit->pos < d->rec.count ? &d->e[mit->pos] : NULL;
    bool no_key, no_value;
    size_t key_size = pick_size(ks, e != NULL ? e->key_len + 1u : 4u, &no_key);
    size_t value_size = pick_size(vs, e != NULL ? e->len : 4u, &no_value);
    char *key = (char *)fz_buf_in();
    uint8_t *value = fz_buf_in() + KEY_MAX + 8u;
    size_t vlen = 777;
    fz_call("mp_dict_next", 5, (uint64_t)mit->id, (uint64_t)key_size, (uint64_t)value_size,
            (uint64_t)f, (uint64_t)t);
    if (fz_isr_refuses(t))
        want = MP_EISR;
    else if (no_it)
        want = MP_EINVAL;
    else if (want == MP_OK && ((no_key && key_size > 0) || (no_value && value_size > 0) ||
                               (!no_value && no_vlen)))
        want = MP_EINVAL;
    if (want == MP_OK) {
        m_rec_lock(&d->rec);
        if (d->rec.version != mit->version)
            want = MP_ECHANGED;
        else if (e == NULL)
            want = MP_ENOENT;
        else if ((!no_key && key_size < e->key_len + 1u) || (!no_value && value_size < e->len))
            want = MP_ETOOSMALL; /* the iteration stays at this entry */
    }
    if (want == MP_OK)
        mit->pos++;
    fz_expect(want, mp_dict_next(no_it ? NULL : it, no_key ? NULL : key, key_size,
                                 no_value ? NULL : value, value_size, no_vlen ? NULL : &vlen, t));
    fz_expect_u("iterator pos", mit->pos, it->pos);
    if ((want == MP_OK || want == MP_ETOOSMALL) && !no_vlen)
        fz_expect_u("*value_len", e->len, vlen);
    if (want != MP_OK)
        return;
    if (!no_key) {
        char text[KEY_MAX + 1];
        key_text(e->key_id, e->key_len, text);
        if (strcmp(text, key) != 0)
            fz_fail("key: expected \"%s\", got \"%.*s\"", text, (int)KEY_MAX, key);
    }
    if (!no_value)
        expect_value(e, value);
}

/* The caller's struct, changed by hand: another handle, position or version. */
static void d_iter_forge(in_t *in)
{
    uint8_t f = in_u8(in);
    mp_dict_iter_t *it = &iters[f % ITERS];
    switch ((f >> 2) % 4u) {
    case 0: it->id = fz_pick(in, MPI_KIND_DICT); break;
    case 1: it->pos = in_u8(in) < 128 ? in_u8(in) : UINT32_MAX; break;
    case 2: it->version += (f & 0x80) ? 1u : UINT32_MAX; break;
    default: *it = (mp_dict_iter_t){0}; break;
    }
    model_iters[f % ITERS] = *it;
}

/* A child arms its death at a records hook: before or after a change is published. */
static void d_die_at(in_t *in)
{
    uint8_t b = in_u8(in);
    if (!fz_in_child() || fz_isr()) {
        fz_skip("only a child dies at a hook");
        return;
    }
    fz_arm(b & 1 ? MPI_HOOK_RECORDS_PUBLISHED : MPI_HOOK_RECORDS_WRITTEN, 1u + (b >> 1) % 4u);
}

void fz_dict_cleanup(void)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_DICTS; i++) {
        if (m.hdr[T_DICT][i].kind == 0)
            continue;
        uint32_t id = m_handle(T_DICT, (int)i);
        fz_call("cleanup: mp_dict_destroy", 1, (uint64_t)id);
        fz_expect(MP_OK, mp_dict_destroy((mp_dict_t){id}));
        destroy_slot((int)i);
    }
    memset(iters, 0, sizeof iters); /* each input starts from the same state */
    memset(model_iters, 0, sizeof model_iters);
}

const fz_op_t fz_dict_ops[] = {
    {"dict_create", d_create, false, false},     {"dict_destroy", d_destroy, false, false},
    {"dict_set", d_set, false, true},            {"dict_set", d_set, false, true},
    {"dict_get", d_get, false, true},            {"dict_delete", d_delete, false, true},
    {"dict_query", d_query, false, true},        {"dict_clear", d_clear, false, true},
    {"dict_setdefault", d_setdefault, false, true}, {"dict_add", d_add, false, true},
    {"dict_update", d_update, false, true},      {"dict_iter", d_iter, false, true},
    {"dict_next", d_next, false, true},          {"dict_iter_forge", d_iter_forge, false, true},
    {"records_die_at", d_die_at, false, false},
};
const size_t fz_dict_nops = sizeof fz_dict_ops / sizeof fz_dict_ops[0];
