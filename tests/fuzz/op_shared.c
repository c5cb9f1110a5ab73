/*
 * Value and Array: the operations and the model's rules (core/shared.c). A locked object
 * owns an RLock created with it (taken from the lock table before the object's entry, and
 * given back if the entry or the arena refuses); every access runs under it, so an access
 * after its holder died reports MP_EOWNERDEAD and leaves it free. add/cas on 32-bit
 * integers are atomic and need no lock, raw or not; other integer types need the lock
 * (MP_ENOTSUP on a raw object); floats and bytes have no add.
 *
 * The model keeps Array data in a shadow of the arena, at the same offsets.
 */
#include <string.h>

#include "harness.h"

static uint8_t out_big[MP_CONF_ARENA_SIZE + 64]; /* read slices land here */

static size_t type_size(uint32_t type)
{
    switch (type) {
    case MP_I8: case MP_U8: case MP_BYTES: return 1;
    case MP_I16: case MP_U16: return 2;
    case MP_I32: case MP_U32: case MP_FLOAT: return 4;
    case MP_I64: case MP_U64: case MP_DOUBLE: return 8;
    }
    return 0;
}

static uint8_t *data_of(int slot)
{
    m_value_t *v = &m.values[slot];
    return v->block < 0 ? v->inline_data : m_shadow + m_arena_offset(v->block);
}

static uint32_t kind_of(bool array)
{
    return array ? MPI_KIND_ARRAY : MPI_KIND_VALUE;
}

static void v_create(in_t *in)
{
    uint8_t f = in_u8(in);
    bool array = f & 1, raw = f & 2, with_init = f & 4, no_out = (f & 0xf0) == 0xf0;
    uint8_t tb = in_u8(in);
    uint32_t type = tb < 240 ? 1u + tb % 11u : tb == 240 ? 0u : tb == 241 ? 12u : tb;
    size_t elem = type_size(type), length = 1;
    if (array) {
        static const size_t lens[] = {0, 1, 2, 3, 7, 8, 100, 4096, 65536, 1u << 20,
                                      SIZE_MAX, (size_t)1 << 32, 5, 16, 33, 1000};
        uint8_t lb = in_u8(in);
        if (lb < 128)
            length = lens[lb % 16u];
        else if (lb < 250)
            length = 1u + in_u8(in);
        else if (lb < 255 || elem == 0)
            length = in_u32(in);
        else
            length = MP_CONF_ARENA_SIZE / elem + (in_u8(in) & 1); /* the arena's edge */
    }
    uint32_t seed = ++fz_seed;
    size_t bytes = elem && length <= MP_CONF_ARENA_SIZE / elem ? elem * length : 0;
    for (size_t i = 0; with_init && i < bytes; i++)
        fz_big[i] = m_pattern(seed, i);
    fz_call(array ? "mp_array_create" : "mp_value_create", 5, (uint64_t)type, (uint64_t)length,
            (uint64_t)with_init, (uint64_t)raw, (uint64_t)no_out);
    mp_err_t want = MP_OK;
    int lock = -1, block = -1, slot = -1;
    if (no_out || elem == 0 || length == 0)
        want = MP_EINVAL;
    else if (length > MP_CONF_ARENA_SIZE / elem)
        want = MP_ENOMEM;
    else if ((slot = m_alloc_peek(T_VALUE)) < 0) /* the entry first (given back untouched) */
        want = MP_ENOSLOT;
    else if (!raw && (lock = m_alloc_peek(T_LOCK)) < 0)
        want = MP_ENOSLOT;
    else {
        if (lock >= 0)
            (void)m_alloc(T_LOCK, lock, MPI_KIND_RLOCK);
        if (array && (block = m_arena_alloc((uint32_t)bytes)) < 0) {
            want = MP_ENOMEM;
            if (lock >= 0)
                (void)m_free(T_LOCK, lock); /* its new RLock is destroyed: a new generation */
        }
    }
    uint32_t id = 0;
    const void *init = with_init ? fz_big : NULL;
    mp_err_t got = array ? mp_array_create(no_out ? NULL : (mp_array_t *)&id, (mp_type_t)type,
                                           length, init, raw)
                         : mp_value_create(no_out ? NULL : (mp_value_t *)&id, (mp_type_t)type,
                                           init, raw);
    fz_expect(want, got);
    if (want != MP_OK)
        return;
    fz_expect_u("handle", m_alloc(T_VALUE, slot, kind_of(array)), id);
    m.values[slot] = (m_value_t){.type = (uint8_t)type, .elem = (uint8_t)elem,
                                 .length = (uint32_t)length, .raw = raw, .rlock = lock,
                                 .block = block};
    if (with_init)
        memcpy(data_of(slot), fz_big, bytes);
    if (lock >= 0) {
        m.locks[lock] = (m_lock_t){0, 0, slot, -1, 0, true};
        fz_pool_add(MPI_KIND_RLOCK, m_handle(T_LOCK, lock));
    }
    fz_pool_add(kind_of(array), id);
}

/* Enters the object's lock for one access: MP_OK / MP_EOWNERDEAD, or 1 when a live
 * process holds it (the access would wait). The access leaves it as it found it, except
 * that a dead holder's lock ends up free. */
static int enter(int slot)
{
    m_value_t *v = &m.values[slot];
    if (v->raw)
        return MP_OK;
    if (fz_isr())
        return MP_EISR; /* a handler may not take the lock: no access */
    m_lock_t *l = &m.locks[v->rlock];
    if (l->holder == m_self_token())
        return MP_OK;
    if (l->holder != 0 && m_alive(l->holder))
        return 1;
    mp_err_t r = l->holder ? MP_EOWNERDEAD : MP_OK;
    l->holder = 0;
    l->depth = 0;
    return r;
}

/* Whether an access by this process would wait for the lock (children must not). */
static bool would_wait(int slot)
{
    m_value_t *v = &m.values[slot];
    if (v->raw)
        return false;
    m_lock_t *l = &m.locks[v->rlock];
    return l->holder != 0 && l->holder != m_self_token() && m_alive(l->holder);
}

/* An add or cas that takes the value's lock (types other than I32/U32) where the model
 * does not follow it: in a child that would wait for the main process's lock, or in a
 * handler (defect 3). Then it is skipped, with the reason given; returns whether it was. */
static bool skipped_under_the_lock(mp_err_t want, const m_value_t *v, int slot,
                                   const char *in_child, const char *in_handler)
{
    if (want != MP_OK || v->type == MP_I32 || v->type == MP_U32)
        return false;
    if (fz_in_child() && would_wait(slot)) {
        fz_skip(in_child);
        return true;
    }
    if (fz_isr() && m_avoid[3]) {
        fz_skip(in_handler);
        return true;
    }
    return false;
}

/* The Value or Array a call names, from the input, and what looking it up says (*want);
 * NULL unless it is live. */
static m_value_t *pick_value(in_t *in, bool array, uint32_t *id, int *slot, mp_err_t *want)
{
    uint32_t kind = kind_of(array);
    *id = fz_pick(in, kind);
    *want = m_lookup(*id, kind, slot);
    return *want == MP_OK ? &m.values[*slot] : NULL;
}

/* The element an add or cas names (0 for a Value): mostly one in range, else the length,
 * else any. */
static size_t pick_element(in_t *in, bool array, const m_value_t *v)
{
    if (!array)
        return 0;
    uint8_t b = in_u8(in);
    return b < 200 && v && v->length ? b % v->length : b < 230 && v ? v->length : in_u32(in);
}

static uint8_t pick_type_arg(in_t *in)
{
    return in_u8(in);
}

/* get/set/read/write share one path (core/shared.c copy()). */
static void v_copy(in_t *in)
{
    uint8_t f = pick_type_arg(in);
    bool array = f & 1, writing = f & 2, slice = array && (f & 4), no_buf = (f & 0xf8) == 0xf8;
    uint32_t id;
    int slot;
    mp_err_t want;
    m_value_t *v = pick_value(in, array, &id, &slot, &want);
    uint32_t length = v ? v->length : 8;
    size_t start = 0, count = 1;
    if (array) {
        uint8_t b = in_u8(in);
        switch (b % 6u) {
        case 0: start = length ? length - 1u : 0; break;
        case 1: start = length; break;
        case 2: start = SIZE_MAX; break;
        default: start = length ? in_u16(in) % length : 0; break;
        }
        if (slice) {
            b = in_u8(in);
            switch (b % 6u) {
            case 0: count = 0; break;
            case 1: count = length - (start < length ? start : length); break;
            case 2: count = SIZE_MAX; break;
            case 3: count = (size_t)length + 1u; break;
            default: count = 1u + b % 16u; break;
            }
        }
    }
    uint32_t seed = ++fz_seed;
    size_t elem = v ? v->elem : 8;
    size_t bytes = count <= MP_CONF_ARENA_SIZE / elem ? count * elem : 0;
    for (size_t i = 0; writing && i < bytes; i++)
        fz_big[i] = m_pattern(seed, i);
    memset(out_big, 0xee, bytes < sizeof out_big ? bytes : 0);
    const char *name = !array ? (writing ? "mp_value_set" : "mp_value_get")
                       : slice ? (writing ? "mp_array_write" : "mp_array_read")
                               : (writing ? "mp_array_set" : "mp_array_get");
    fz_call(name, 4, (uint64_t)id, (uint64_t)start, (uint64_t)count, (uint64_t)no_buf);
    if (want == MP_OK && (no_buf || (slice && count == 0) || start >= v->length ||
                          count > v->length - start))
        want = MP_EINVAL; /* after the handle, as every call */
    if (want == MP_OK && fz_in_child() && would_wait(slot)) {
        fz_skip("child access would wait for the main process's lock");
        return;
    }
    if (want == MP_OK) {
        want = enter(slot);
        uint8_t *d = data_of(slot) + start * v->elem;
        if (writing && (want == MP_OK || want == MP_EOWNERDEAD))
            memcpy(d, fz_big, bytes);
    }
    void *out = no_buf ? NULL : out_big;
    const void *src = no_buf ? NULL : fz_big;
    mp_err_t got;
    if (!array)
        got = writing ? mp_value_set((mp_value_t){id}, src) : mp_value_get((mp_value_t){id}, out);
    else if (!slice)
        got = writing ? mp_array_set((mp_array_t){id}, start, src)
                      : mp_array_get((mp_array_t){id}, start, out);
    else
        got = writing ? mp_array_write((mp_array_t){id}, start, count, src)
                      : mp_array_read((mp_array_t){id}, start, count, out);
    fz_expect(want, got);
    if (!writing && (want == MP_OK || want == MP_EOWNERDEAD)) {
        const uint8_t *d = data_of(slot) + start * v->elem;
        for (size_t i = 0; i < bytes; i++)
            if (out_big[i] != d[i])
                fz_fail("data byte %zu of %zu: expected 0x%02x, got 0x%02x", i, bytes, d[i],
                        out_big[i]);
    }
}

static int64_t load_int(uint8_t type, const uint8_t *p)
{
    switch (type) {
    case MP_I8: return (int8_t)p[0];
    case MP_U8: return p[0];
    case MP_I16: { int16_t x; memcpy(&x, p, 2); return x; }
    case MP_U16: { uint16_t x; memcpy(&x, p, 2); return x; }
    case MP_I32: { int32_t x; memcpy(&x, p, 4); return x; }
    case MP_U32: { uint32_t x; memcpy(&x, p, 4); return x; }
    default: { int64_t x; memcpy(&x, p, 8); return x; }
    }
}

static void store_int(uint8_t type, uint8_t *p, int64_t x)
{
    uint64_t u = (uint64_t)x;
    size_t n = type_size(type);
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(u >> (8 * i)); /* little-endian, as the host */
}

static void v_add(in_t *in)
{
    uint8_t f = in_u8(in);
    bool array = f & 1, no_prev = f & 2;
    uint32_t id;
    int slot;
    mp_err_t want;
    m_value_t *v = pick_value(in, array, &id, &slot, &want);
    size_t index = pick_element(in, array, v);
    static const int64_t deltas[] = {0, 1, -1, 127, 128, 255, 256, 32767, -32768, 65535,
                                     INT32_MAX, INT32_MIN, UINT32_MAX, INT64_MAX, INT64_MIN, 2};
    uint8_t db = in_u8(in);
    int64_t delta = db < 128 ? deltas[db % 16u] : (int64_t)((uint64_t)in_u32(in) << (db & 31u));
    fz_call(array ? "mp_array_add" : "mp_value_add", 4, (uint64_t)id, (uint64_t)index,
            (uint64_t)delta, (uint64_t)no_prev);
    int64_t prev = 0x77, want_prev = 0;
    if (v && (index >= v->length || v->type == MP_FLOAT || v->type == MP_DOUBLE ||
              v->type == MP_BYTES))
        want = MP_EINVAL;
    else if (v && v->type != MP_I32 && v->type != MP_U32 && v->raw)
        want = MP_ENOTSUP;
    if (skipped_under_the_lock(want, v, slot, "child add would wait for the main process's lock",
                               "defect 3: add under a lock a handler cannot take"))
        return;
    if (want == MP_OK) {
        uint8_t *p = data_of(slot) + index * v->elem;
        if (v->type != MP_I32 && v->type != MP_U32)
            want = enter(slot);
        want_prev = load_int(v->type, p);
        if (want == MP_OK || want == MP_EOWNERDEAD) /* RULES 3: a failed call changes nothing */
            store_int(v->type, p, (int64_t)((uint64_t)want_prev + (uint64_t)delta));
    }
    mp_err_t got = array ? mp_array_add((mp_array_t){id}, index, delta, no_prev ? NULL : &prev)
                         : mp_value_add((mp_value_t){id}, delta, no_prev ? NULL : &prev);
    fz_expect(want, got);
    if ((want == MP_OK || want == MP_EOWNERDEAD) && !no_prev)
        fz_expect_u("*previous", (uint64_t)want_prev, (uint64_t)prev);
}

static void v_cas(in_t *in)
{
    uint8_t f = in_u8(in);
    bool array = f & 1;
    uint32_t id;
    int slot;
    mp_err_t want;
    m_value_t *v = pick_value(in, array, &id, &slot, &want);
    size_t index = pick_element(in, array, v);
    uint8_t expected[8], desired[8], cur[8] = {0};
    size_t elem = v ? v->elem : 8;
    if (v && index < v->length)
        memcpy(cur, data_of(slot) + index * elem, elem);
    uint32_t ex = in_u32(in);
    memcpy(expected, f & 2 ? cur : (uint8_t *)&(uint64_t){(uint64_t)ex * 0x9e3779b97f4a7c15u}, 8);
    uint64_t de = (uint64_t)in_u32(in) << 16;
    de |= in_u8(in);
    memcpy(desired, &de, 8);
    bool no_exp = (f & 0xe0) == 0xe0, no_des = (f & 0xe0) == 0xc0, no_sw = (f & 0xe0) == 0xa0;
    bool swapped = false, want_swapped = false;
    fz_call(array ? "mp_array_cas" : "mp_value_cas", 4, (uint64_t)id, (uint64_t)index,
            (uint64_t)f, (uint64_t)de);
    if (want == MP_OK && (no_exp || no_des || no_sw))
        want = MP_EINVAL; /* after the handle, as every call */
    else if (v && index >= v->length)
        want = MP_EINVAL;
    else if (v && v->type != MP_I32 && v->type != MP_U32 && v->raw)
        want = MP_ENOTSUP;
    if (skipped_under_the_lock(want, v, slot, "child cas would wait for the main process's lock",
                               "defect 3: cas under a lock a handler cannot take"))
        return;
    uint8_t want_expected[8];
    memcpy(want_expected, expected, 8);
    if (want == MP_OK) {
        uint8_t *p = data_of(slot) + index * elem;
        if (v->type != MP_I32 && v->type != MP_U32)
            want = enter(slot);
        if (want == MP_OK || want == MP_EOWNERDEAD) { /* a failed call changes nothing */
            want_swapped = memcmp(p, expected, elem) == 0;
            if (want_swapped)
                memcpy(p, desired, elem);
            else
                memcpy(want_expected, p, elem);
        }
    }
    mp_err_t got = array ? mp_array_cas((mp_array_t){id}, index, no_exp ? NULL : expected,
                                        no_des ? NULL : desired, no_sw ? NULL : &swapped)
                         : mp_value_cas((mp_value_t){id}, no_exp ? NULL : expected,
                                        no_des ? NULL : desired, no_sw ? NULL : &swapped);
    fz_expect(want, got);
    if (want == MP_OK || want == MP_EOWNERDEAD) {
        fz_expect_u("*swapped", want_swapped, swapped);
        if (memcmp(want_expected, expected, elem) != 0)
            fz_fail("*expected after a failed compare: not the current value");
    }
}

static void v_get_lock(in_t *in)
{
    uint8_t f = in_u8(in);
    bool array = f & 1, no_out = f > 245;
    uint32_t kind = kind_of(array);
    uint32_t id = fz_pick(in, kind);
    fz_call(array ? "mp_array_get_lock" : "mp_value_get_lock", 2, (uint64_t)id, (uint64_t)no_out);
    int slot;
    mp_err_t want = m_lookup(id, kind, &slot);
    if (want == MP_OK && no_out)
        want = MP_EINVAL; /* after the handle */
    if (want == MP_OK && m.values[slot].raw)
        want = MP_ENOENT;
    mp_rlock_t l = {0};
    fz_expect(want, array ? mp_array_get_lock((mp_array_t){id}, no_out ? NULL : &l)
                          : mp_value_get_lock((mp_value_t){id}, no_out ? NULL : &l));
    if (want == MP_OK) {
        fz_expect_u("lock", m_handle(T_LOCK, m.values[slot].rlock), l.id);
        fz_pool_add(MPI_KIND_RLOCK, l.id);
    }
}

static void v_length(in_t *in)
{
    bool no_out = in_u8(in) > 245;
    uint32_t id = fz_pick(in, MPI_KIND_ARRAY);
    fz_call("mp_array_length", 2, (uint64_t)id, (uint64_t)no_out);
    int slot;
    mp_err_t want = m_lookup(id, MPI_KIND_ARRAY, &slot);
    if (want == MP_OK && no_out)
        want = MP_EINVAL; /* after the handle */
    size_t n = 777;
    fz_expect(want, mp_array_length((mp_array_t){id}, no_out ? NULL : &n));
    if (want == MP_OK)
        fz_expect_u("length", m.values[slot].length, n);
}

static mp_err_t destroy_want(int slot)
{
    m_value_t *v = &m.values[slot];
    if (!v->raw && m.locks[v->rlock].holder != 0 && m_alive(m.locks[v->rlock].holder))
        return MP_EBUSY; /* its own lock is held: the RLock's destroy refuses */
    return MP_OK; /* its lock, if a Condition still uses it, stays until that goes */
}

static void destroyed(int slot)
{
    m_value_t *v = &m.values[slot];
    if (!v->raw) {
        m.locks[v->rlock].owner_value = -1;
        m_lock_drop_user(v->rlock);
    }
    m_arena_free(v->block);
    (void)m_free(T_VALUE, slot);
}

static void v_destroy(in_t *in)
{
    bool array = in_u8(in) & 1;
    uint32_t kind = kind_of(array);
    uint32_t id = fz_pick(in, kind);
    fz_call(array ? "mp_array_destroy" : "mp_value_destroy", 1, (uint64_t)id);
    int slot;
    mp_err_t want = m_lookup(id, kind, &slot);
    if (want == MP_OK && m_avoid[14] && !m.values[slot].raw &&
        m.locks[m.values[slot].rlock].cond_users > 0) {
        fz_skip("finding 14: destroy of a value whose lock a condition uses");
        return;
    }
    if (want == MP_OK)
        want = destroy_want(slot);
    fz_expect(want, array ? mp_array_destroy((mp_array_t){id}) : mp_value_destroy((mp_value_t){id}));
    if (want == MP_OK)
        destroyed(slot);
}

void fz_shared_cleanup(void)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_VALUES; i++) {
        uint32_t kind = m.hdr[T_VALUE][i].kind;
        if (kind == 0)
            continue;
        m_value_t *v = &m.values[i];
        if (!v->raw) {
            uint32_t lid = m_handle(T_LOCK, v->rlock);
            while (m.locks[v->rlock].holder == m_self_token()) {
                fz_call("cleanup: mp_rlock_release", 1, (uint64_t)lid);
                fz_expect(m_lock_release(v->rlock, MPI_KIND_RLOCK),
                          mp_rlock_release((mp_rlock_t){lid}));
            }
        }
        uint32_t id = m_handle(T_VALUE, (int)i);
        fz_call("cleanup: destroy value/array", 1, (uint64_t)id);
        fz_expect(MP_OK, kind == MPI_KIND_ARRAY ? mp_array_destroy((mp_array_t){id})
                                                : mp_value_destroy((mp_value_t){id}));
        destroyed((int)i);
    }
}

const fz_op_t fz_shared_ops[] = {
    {"value_create", v_create, false, false}, {"value_copy", v_copy, false, true},
    {"value_copy", v_copy, false, true},      {"value_add", v_add, false, true},
    {"value_cas", v_cas, false, true},        {"value_get_lock", v_get_lock, false, true},
    {"array_length", v_length, false, true},  {"value_destroy", v_destroy, false, false},
};
const size_t fz_shared_nops = sizeof fz_shared_ops / sizeof fz_shared_ops[0];
