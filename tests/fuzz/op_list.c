/*
 * List (core/list.c, mp/list.h): the operations and the model's rules. Items are one of
 * sixteen patterns (m_list_t), so remove, index and count find repeats and sort meets
 * equal items; the model keeps their order and the records' version (iterators). Check
 * order, as list.c's begin_locked: MP_EISR for a handler's timeout, the handle, the
 * pointer arguments (MP_EINVAL), the lock, then the state (MP_ENOSPC, MP_ERANGE,
 * MP_ENOENT). As for a Dict, no call waits and a dead holder's lock is taken over with a
 * repair (op_dict.c).
 */
#include <string.h>

#include "harness.h"
#include "test_hooks.h"

static void fill_item(uint8_t *buf, uint32_t size, uint8_t v)
{
    for (uint32_t i = 0; i < size; i++)
        buf[i] = m_pattern(v, i);
}

/* What memcmp orders items by: their first bytes differ whenever their patterns do. */
static uint8_t first_byte(uint8_t v)
{
    return m_pattern(v, 0);
}

static m_list_t *lookup(uint32_t id, mp_err_t *err)
{
    int slot;
    *err = m_lookup(id, MPI_KIND_LIST, &slot);
    return *err == MP_OK ? &m.lists[slot] : NULL;
}

/* list.c begin_locked: a handler's timeout, the handle (in err), the arguments; on MP_OK
 * the lock is taken. */
static mp_err_t begin(mp_err_t err, mp_timeout_t t, m_list_t *l, bool args_ok)
{
    if (fz_isr_refuses(t))
        return MP_EISR;
    if (err != MP_OK)
        return err;
    if (!args_ok)
        return MP_EINVAL;
    m_rec_lock(&l->rec);
    return MP_OK;
}

/* A Python index around the edges of n items. */
static int32_t pick_index(in_t *in, uint32_t n)
{
    uint8_t b = in_u8(in);
    switch (b % 12u) {
    case 0: return 0;
    case 1: return 1;
    case 2: return -1;
    case 3: return (int32_t)n - 1;
    case 4: return (int32_t)n;
    case 5: return -(int32_t)n;
    case 6: return -(int32_t)n - 1;
    case 7: return INT32_MAX;
    case 8: return INT32_MIN;
    case 9: return (int8_t)in_u8(in);
    default: return (int32_t)(in_u8(in) % (n + 1u));
    }
}

/* list.c position(): MP_ERANGE outside [0, n). */
static mp_err_t position(int32_t index, uint32_t n, uint32_t *pos)
{
    int64_t i = index < 0 ? (int64_t)n + index : index;
    if (i < 0 || i >= (int64_t)n)
        return MP_ERANGE;
    *pos = (uint32_t)i;
    return MP_OK;
}

static int find(const m_list_t *l, uint8_t v)
{
    for (uint32_t i = 0; i < l->rec.count; i++)
        if (l->v[i] == v)
            return (int)i;
    return -1;
}

/* Inserts v at pos (<= count, room checked); a death after the publishing store leaves
 * the version to the repair. */
static void insert_at(m_list_t *l, uint32_t pos, uint8_t v, int death)
{
    if (death == 1)
        return;
    memmove(&l->v[pos + 1u], &l->v[pos], l->rec.count - pos);
    l->v[pos] = v;
    l->rec.count++;
    if (death == 0)
        l->rec.version++;
}

static void remove_at(m_list_t *l, uint32_t pos, int death)
{
    if (death == 1)
        return;
    memmove(&l->v[pos], &l->v[pos + 1u], l->rec.count - pos - 1u);
    l->rec.count--;
    if (death == 0)
        l->rec.version++;
}

static void expect_item(const uint8_t *buf, const m_list_t *l, uint8_t v)
{
    fz_expect_bytes(buf, l->item_size, v);
}

/* ---- create, destroy ------------------------------------------------------------------ */
static void l_create(in_t *in)
{
    static const uint32_t caps[] = {0, 1, 2, 3, 4, 5, 8, 16, 100, 4096, 4097, UINT32_MAX, 2, 3};
    static const uint32_t items[] = {0, 1, 2, 3, 4, 7, 8, 9, 64, 1023, 1024, 1025, UINT32_MAX, 1};
    uint8_t f = in_u8(in);
    mp_list_attr_t a;
    a.capacity = fz_edge_or_any(in, caps, sizeof caps / sizeof caps[0]);
    a.item_size = fz_edge_or_any(in, items, sizeof items / sizeof items[0]);
    bool no_l = (f & 0x70) == 0x70, no_attr = (f & 0x0e) == 0x0e;
    fz_call("mp_list_create", 3, (uint64_t)a.capacity, (uint64_t)a.item_size, (uint64_t)f);
    mp_err_t want = MP_OK;
    int slot = -1, block = -1;
    uint64_t bytes = 0;
    if (no_l || no_attr || a.capacity == 0 || a.capacity > MP_CONF_CONTAINER_CAPACITY ||
        a.item_size == 0 || a.item_size > MP_CONF_LIST_ITEM_SIZE)
        want = MP_EINVAL;
    else if ((bytes = m_rec_bytes(a.capacity, (a.item_size + 7u) & ~7u)) > MP_CONF_ARENA_SIZE)
        want = MP_ENOMEM; /* before the entry */
    else if ((slot = m_alloc_peek(T_LIST)) < 0)
        want = MP_ENOSLOT;
    else if ((block = m_arena_alloc((uint32_t)bytes)) < 0)
        want = MP_ENOMEM; /* the entry is given back untouched */
    mp_list_t l = {0};
    fz_expect(want, mp_list_create(no_l ? NULL : &l, no_attr ? NULL : &a));
    if (want != MP_OK)
        return;
    fz_expect_u("handle", m_alloc(T_LIST, slot, MPI_KIND_LIST), l.id);
    m.lists[slot].rec = (m_rec_t){a.capacity, 0, 0, block, false};
    m.lists[slot].item_size = a.item_size;
    fz_pool_add(MPI_KIND_LIST, l.id);
}

static void destroy_slot(int slot)
{
    m_arena_free(m.lists[slot].rec.block);
    (void)m_free(T_LIST, slot); /* nobody is ever inside across a switch: freed now */
}

static void l_destroy(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_LIST);
    fz_call("mp_list_destroy", 1, (uint64_t)id);
    int slot;
    mp_err_t want = m_lookup(id, MPI_KIND_LIST, &slot);
    fz_expect(want, mp_list_destroy((mp_list_t){id}));
    if (want == MP_OK)
        destroy_slot(slot);
}

/* ---- adding ---------------------------------------------------------------------------- */
/* append, or insert (CPython clamps its index) */
static void l_insert(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_LIST);
    mp_err_t want;
    m_list_t *l = lookup(id, &want);
    bool insert = f & 1, no_item = (f & 0xf0) == 0xf0;
    uint8_t v = (f >> 1) & 15u;
    int32_t index = insert ? pick_index(in, l != NULL ? l->rec.count : 2u) : 0;
    mp_timeout_t t = fz_timeout(in);
    uint8_t *item = fz_buf_out();
    if (l != NULL)
        fill_item(item, l->item_size, v);
    fz_call(insert ? "mp_list_insert" : "mp_list_append", 4, (uint64_t)id, (uint64_t)v,
            (uint64_t)(int64_t)index, (uint64_t)t);
    want = begin(want, t, l, !no_item);
    int death = 0;
    if (want == MP_OK && l->rec.count == l->rec.capacity)
        want = MP_ENOSPC;
    if (want == MP_OK) {
        uint32_t n = l->rec.count, pos = n;
        if (insert) {
            int64_t i = index < 0 ? (int64_t)n + index : index;
            pos = i < 0 ? 0u : i > (int64_t)n ? n : (uint32_t)i;
        }
        death = fz_records_death();
        insert_at(l, pos, v, death);
    }
    const void *arg = no_item ? NULL : item;
    if (death) /* it dies holding the lock: the call never returns */
        l->rec.dead_holder = true;
    mp_err_t got = insert ? mp_list_insert((mp_list_t){id}, index, arg, t)
                          : mp_list_append((mp_list_t){id}, arg, t);
    if (death)
        fz_returned_instead_of_dying(got);
    fz_expect(want, got);
}

static void l_extend(in_t *in)
{
    uint8_t f = in_u8(in), start = in_u8(in), step = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_LIST);
    mp_err_t want;
    m_list_t *l = lookup(id, &want);
    uint32_t room = l != NULL ? l->rec.capacity - l->rec.count : 2u;
    size_t n;
    switch (f % 8u) {
    case 0: n = 0; break;
    case 1: n = room; break;
    case 2: n = (size_t)room + 1u; break;
    case 3: n = SIZE_MAX; break;
    case 4: n = (size_t)1 << 32; break; /* 0 in 32 bits */
    default: n = 1u + step % 8u; break;
    }
    if (l != NULL && n <= room && n * l->item_size > FZ_BUF)
        n = FZ_BUF / l->item_size; /* what the harness's buffer holds */
    bool no_items = (f & 0xf0) == 0xf0;
    mp_timeout_t t = fz_timeout(in);
    uint8_t *items = fz_buf_out();
    if (l != NULL && n <= room)
        for (size_t i = 0; i < n; i++)
            fill_item(items + i * l->item_size, l->item_size, (uint8_t)((start + i * step) % 16u));
    fz_call("mp_list_extend", 4, (uint64_t)id, (uint64_t)n, (uint64_t)f, (uint64_t)t);
    want = begin(want, t, l, !(no_items && n > 0));
    int death = 0;
    if (want == MP_OK && n > room)
        want = MP_ENOSPC; /* none added */
    if (want == MP_OK && n > 0) {
        death = fz_records_death(); /* all of them, one publishing store */
        if (death != 1) {
            for (size_t i = 0; i < n; i++)
                l->v[l->rec.count + i] = (uint8_t)((start + i * step) % 16u);
            l->rec.count += (uint32_t)n;
            if (death == 0)
                l->rec.version++;
        }
    }
    if (death) /* it dies holding the lock: the call never returns */
        l->rec.dead_holder = true;
    mp_err_t got = mp_list_extend((mp_list_t){id}, no_items ? NULL : items, n, t);
    if (death)
        fz_returned_instead_of_dying(got);
    fz_expect(want, got);
}

/* ---- by index: get, set, pop ------------------------------------------------------------- */
static void l_at(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_LIST);
    mp_err_t want;
    m_list_t *l = lookup(id, &want);
    int32_t index = pick_index(in, l != NULL ? l->rec.count : 2u);
    mp_timeout_t t = fz_timeout(in);
    int which = f % 3; /* get, set, pop */
    bool no_arg = (f & 0xf0) == 0xf0;
    uint8_t v = (f >> 2) & 15u, *buf = which == 1 ? fz_buf_out() : fz_buf_in();
    if (which == 1 && l != NULL)
        fill_item(buf, l->item_size, v);
    static const char *names[] = {"mp_list_get", "mp_list_set", "mp_list_pop"};
    fz_call(names[which], 4, (uint64_t)id, (uint64_t)(int64_t)index, (uint64_t)f, (uint64_t)t);
    want = begin(want, t, l, which == 2 || !no_arg); /* pop: out may be NULL */
    uint32_t pos = 0;
    uint8_t old = 0;
    int death = 0;
    if (want == MP_OK)
        want = position(index, l->rec.count, &pos);
    if (want == MP_OK) {
        old = l->v[pos];
        if (which != 0)
            death = fz_records_death();
        if (which == 1 && death != 1)
            l->v[pos] = v; /* replaced in one store: the size and version stay */
        else if (which == 2)
            remove_at(l, pos, death);
    }
    void *arg = no_arg ? NULL : buf;
    if (death) /* it dies holding the lock: the call never returns */
        l->rec.dead_holder = true;
    mp_err_t got = which == 0   ? mp_list_get((mp_list_t){id}, index, arg, t)
                   : which == 1 ? mp_list_set((mp_list_t){id}, index, arg, t)
                                : mp_list_pop((mp_list_t){id}, index, arg, t);
    if (death)
        fz_returned_instead_of_dying(got);
    fz_expect(want, got);
    if (want == MP_OK && which != 1 && arg != NULL)
        expect_item(buf, l, old);
}

/* ---- by value: remove, index, count ------------------------------------------------------ */
static void l_search(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_LIST);
    mp_err_t want;
    m_list_t *l = lookup(id, &want);
    mp_timeout_t t = fz_timeout(in);
    int which = f % 3; /* remove, index, count */
    bool no_item = (f & 0xc0) == 0xc0, no_out = (f & 0x30) == 0x30 && which != 0;
    uint8_t v = (f >> 2) & 3u; /* a few values: hits and misses */
    uint8_t *item = fz_buf_out();
    if (l != NULL)
        fill_item(item, l->item_size, v);
    static const char *names[] = {"mp_list_remove", "mp_list_index", "mp_list_count"};
    fz_call(names[which], 4, (uint64_t)id, (uint64_t)v, (uint64_t)f, (uint64_t)t);
    want = begin(want, t, l, !no_item && !no_out);
    int pos = -1, death = 0;
    uint32_t count = 0;
    if (want == MP_OK) {
        pos = find(l, v);
        for (uint32_t i = 0; i < l->rec.count; i++)
            count += l->v[i] == v;
        if (which != 2 && pos < 0)
            want = MP_ENOENT;
    }
    if (want == MP_OK && which == 0) {
        death = fz_records_death();
        remove_at(l, (uint32_t)pos, death);
    }
    size_t out = 777;
    const void *arg = no_item ? NULL : item;
    size_t *outp = no_out ? NULL : &out;
    if (death) /* it dies holding the lock: the call never returns */
        l->rec.dead_holder = true;
    mp_err_t got = which == 0   ? mp_list_remove((mp_list_t){id}, arg, t)
                   : which == 1 ? mp_list_index((mp_list_t){id}, arg, outp, t)
                                : mp_list_count((mp_list_t){id}, arg, outp, t);
    if (death)
        fz_returned_instead_of_dying(got);
    fz_expect(want, got);
    if (want == MP_OK && which != 0)
        fz_expect_u(which == 1 ? "*index" : "*count", which == 1 ? (uint64_t)pos : count, out);
}

/* len, clear */
static void l_len_clear(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_LIST);
    mp_err_t want;
    m_list_t *l = lookup(id, &want);
    mp_timeout_t t = fz_timeout(in);
    bool clear = f & 1, no_out = (f & 0xe0) == 0xe0;
    fz_call(clear ? "mp_list_clear" : "mp_list_len", 3, (uint64_t)id, (uint64_t)f, (uint64_t)t);
    want = begin(want, t, l, clear || !no_out);
    int death = 0;
    if (want == MP_OK && clear && l->rec.count > 0) { /* an empty list publishes nothing */
        death = fz_records_death();
        if (death != 1)
            l->rec.count = 0;
        if (death == 0)
            l->rec.version++;
    }
    size_t len = 777;
    if (death) /* it dies holding the lock: the call never returns */
        l->rec.dead_holder = true;
    mp_err_t got = clear ? mp_list_clear((mp_list_t){id}, t)
                         : mp_list_len((mp_list_t){id}, no_out ? NULL : &len, t);
    if (death)
        fz_returned_instead_of_dying(got);
    fz_expect(want, got);
    if (want == MP_OK && !clear)
        fz_expect_u("len", l->rec.count, len);
}

/* ---- sort -------------------------------------------------------------------------------- */
/* Compares first bytes modulo 4 (many equal items: stability shows) and counts its calls
 * in ctx. */
static int by_class(const void *a, const void *b, void *ctx)
{
    (*(uint32_t *)ctx)++;
    return *(const uint8_t *)a % 4 - *(const uint8_t *)b % 4;
}

static int key_of(uint8_t v, bool by_cls)
{
    return by_cls ? first_byte(v) % 4 : first_byte(v);
}

/* Stable: an item goes after every item that does not come after it. */
static void model_sort(m_list_t *l, bool by_cls, bool reverse)
{
    for (uint32_t i = 1; i < l->rec.count; i++) {
        uint8_t x = l->v[i];
        uint32_t j = i;
        for (; j > 0; j--) {
            int d = key_of(x, by_cls) - key_of(l->v[j - 1u], by_cls);
            if (reverse ? d <= 0 : d >= 0)
                break;
            l->v[j] = l->v[j - 1u];
        }
        l->v[j] = x;
    }
}

/* Binary insertion's most comparisons: ceil(log2(i + 1)) to place item i. */
static uint32_t most_compares(uint32_t n)
{
    uint32_t total = 0;
    for (uint32_t i = 1; i < n; i++)
        total += 32u - (uint32_t)__builtin_clz(i);
    return total;
}

static void l_sort(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_LIST);
    mp_err_t want;
    m_list_t *l = lookup(id, &want);
    mp_timeout_t t = fz_timeout(in);
    bool by_cls = f & 1, reverse = f & 2;
    uint32_t calls = 0;
    fz_call("mp_list_sort", 3, (uint64_t)id, (uint64_t)f, (uint64_t)t);
    want = begin(want, t, l, true);
    int death = 0;
    uint32_t n = 0;
    if (want == MP_OK) {
        n = l->rec.count;
        death = fz_records_death(); /* even an empty list switches maps */
        if (death != 1)
            model_sort(l, by_cls, reverse);
    }
    if (death) /* it dies holding the lock: the call never returns */
        l->rec.dead_holder = true;
    mp_err_t got = mp_list_sort((mp_list_t){id}, by_cls ? by_class : NULL, &calls, reverse, t);
    if (death)
        fz_returned_instead_of_dying(got);
    fz_expect(want, got);
    if (calls > most_compares(n))
        fz_fail("sort of %u items made %u comparisons, binary insertion needs at most %u", n,
                calls, most_compares(n));
}

/* ---- iteration ----------------------------------------------------------------------------- */
#define ITERS 4
static mp_list_iter_t iters[ITERS], model_iters[ITERS];

static void l_iter(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_LIST);
    mp_timeout_t t = fz_timeout(in);
    mp_list_iter_t *it = &iters[f % ITERS], *mit = &model_iters[f % ITERS];
    bool no_it = (f & 0xf0) == 0xf0;
    fz_call("mp_list_iter", 3, (uint64_t)id, (uint64_t)f, (uint64_t)t);
    mp_err_t want;
    m_list_t *l = lookup(id, &want);
    want = begin(want, t, l, !no_it);
    if (want == MP_OK)
        *mit = (mp_list_iter_t){id, 0, l->rec.version};
    fz_expect(want, mp_list_iter((mp_list_t){id}, no_it ? NULL : it, t));
    fz_expect_u("iterator pos", mit->pos, it->pos);
    fz_expect_u("iterator version", mit->version, it->version);
}

static void l_next(in_t *in)
{
    uint8_t f = in_u8(in);
    mp_timeout_t t = fz_timeout(in);
    mp_list_iter_t *it = &iters[f % ITERS], *mit = &model_iters[f % ITERS];
    bool no_it = (f & 0xf0) == 0xf0, no_out = (f & 0x0c) == 0x0c;
    uint8_t *out = fz_buf_in();
    fz_call("mp_list_next", 3, (uint64_t)mit->id, (uint64_t)f, (uint64_t)t);
    mp_err_t want;
    m_list_t *l = lookup(mit->id, &want);
    uint8_t v = 0;
    if (fz_isr_refuses(t))
        want = MP_EISR;
    else if (no_it)
        want = MP_EINVAL;
    else if (want == MP_OK && no_out)
        want = MP_EINVAL;
    if (want == MP_OK) {
        m_rec_lock(&l->rec);
        if (l->rec.version != mit->version)
            want = MP_ECHANGED;
        else if (mit->pos >= l->rec.count)
            want = MP_ENOENT;
        else
            v = l->v[mit->pos++];
    }
    fz_expect(want, mp_list_next(no_it ? NULL : it, no_out ? NULL : out, t));
    fz_expect_u("iterator pos", mit->pos, it->pos);
    if (want == MP_OK)
        expect_item(out, l, v);
}

static void l_iter_forge(in_t *in)
{
    uint8_t f = in_u8(in);
    mp_list_iter_t *it = &iters[f % ITERS];
    switch ((f >> 2) % 4u) {
    case 0: it->id = fz_pick(in, MPI_KIND_LIST); break;
    case 1: it->pos = in_u8(in) < 128 ? in_u8(in) : UINT32_MAX; break;
    case 2: it->version += (f & 0x80) ? 1u : UINT32_MAX; break;
    default: *it = (mp_list_iter_t){0}; break;
    }
    model_iters[f % ITERS] = *it;
}

void fz_list_cleanup(void)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_LISTS; i++) {
        if (m.hdr[T_LIST][i].kind == 0)
            continue;
        uint32_t id = m_handle(T_LIST, (int)i);
        fz_call("cleanup: mp_list_destroy", 1, (uint64_t)id);
        fz_expect(MP_OK, mp_list_destroy((mp_list_t){id}));
        destroy_slot((int)i);
    }
    memset(iters, 0, sizeof iters);
    memset(model_iters, 0, sizeof model_iters);
}

const fz_op_t fz_list_ops[] = {
    {"list_create", l_create, false, false},   {"list_destroy", l_destroy, false, false},
    {"list_insert", l_insert, false, true},    {"list_insert", l_insert, false, true},
    {"list_extend", l_extend, false, true},    {"list_at", l_at, false, true},
    {"list_search", l_search, false, true},    {"list_len_clear", l_len_clear, false, true},
    {"list_sort", l_sort, false, true},        {"list_iter", l_iter, false, true},
    {"list_next", l_next, false, true},        {"list_iter_forge", l_iter_forge, false, true},
};
const size_t fz_list_nops = sizeof fz_list_ops / sizeof fz_list_ops[0];
