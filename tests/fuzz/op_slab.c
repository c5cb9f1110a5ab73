/*
 * Slab (core/slab.c): the operations and the model's rule for each. Its group comes last
 * in the op tables, so the ops before it keep their numbers (the seeds and regressions too).
 *
 * The model keeps every block's owner: free, the token of the process that allocated or
 * took it, or nobody (given, or allocated in a handler). A process's blocks go back when
 * it is reaped (model.c, m_proc_reaped; RULES 10), and the model follows the hint the
 * runtime's scan starts at, so it knows which block an alloc hands out (as it knows where
 * the arena puts a block): a child killed inside an alloc leaves a block nobody saw, and
 * the model must still know which one its reap gives back.
 *
 * Every block an alloc hands out gets a fresh pattern at both its ends, checked when it is
 * freed and when it is handed out again (a block is not cleared: it holds what its last
 * user left): a block given to two holders, or storage shared with another object, shows.
 *
 * Check order (core/slab.c): in a handler, a call a handler may not make (create, alloc
 * with a timeout, take) is MP_EISR before anything; then the handle; then the pointers
 * (MP_EINVAL: NULL, or not the start of one of this slab's blocks); then the block's state
 * (MP_EALREADY: free). Children never wait: an alloc with no free block is made with
 * MP_NOWAIT there, so only the main process is ever blocked in one.
 */
#include <string.h>

#include "harness.h"
#include "test_hooks.h"

/* ---- shapes and storage ------------------------------------------------------------------ */
static uint64_t stride_of(uint64_t size)
{
    return (size + MP_SLAB_ALIGN - 1u) / MP_SLAB_ALIGN * MP_SLAB_ALIGN;
}

/* The storage a shape takes, saturated: the sum can pass 2^64 for 32-bit sizes. */
static uint64_t need_of(uint32_t block_size, uint32_t count)
{
    uint64_t owners = stride_of(4u * (uint64_t)count), blocks = stride_of(block_size) * count;
    return blocks > UINT64_MAX - owners ? UINT64_MAX : owners + blocks;
}

static uintptr_t first_block(const m_slab_t *s)
{
    return s->storage + (uintptr_t)stride_of(4u * (uint64_t)s->count);
}

static uintptr_t block_at(const m_slab_t *s, uint32_t i)
{
    return first_block(s) + (uintptr_t)i * s->stride;
}

/* The block p is the start of, or -1: what the runtime must take for a block. */
static int block_of(const m_slab_t *s, uintptr_t p)
{
    uintptr_t base = first_block(s);
    if (p < base || p - base >= (uintptr_t)s->count * s->stride || (p - base) % s->stride != 0)
        return -1;
    return (int)((p - base) / s->stride);
}

/* Storage for static slabs, and one made the documented way. */
static _Alignas(64) uint8_t sbuf0[64], sbuf1[512], sbuf2[4096];
MP_SLAB_DEFINE(defined_slab, 24, 5);
static const struct {
    uint8_t *storage;
    uint32_t size;
} sbufs[] = {{sbuf0, sizeof sbuf0}, {sbuf1, sizeof sbuf1}, {sbuf2, sizeof sbuf2}};
#define NSBUF (sizeof sbufs / sizeof sbufs[0])
_Static_assert(sizeof sbuf2 / (4u + MP_SLAB_ALIGN) < M_SLAB_BLOCKS, "the model holds every block");

/* Whether [start, start + size) overlaps the storage of a static slab that still counts
 * (a destroyed one with a caller inside too: its entry, and storage, are not free yet). */
static bool storage_taken(uintptr_t start, uint64_t size)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_SLABS; i++) {
        const m_slab_t *s = &m.slabs[i];
        if ((m.hdr[T_SLAB][i].kind || m.hdr[T_SLAB][i].zombie) && s->block < 0 &&
            start < s->storage + s->size && s->storage < start + size)
            return true;
    }
    return false;
}

/* ---- block pointers ------------------------------------------------------------------------- */
/* What allocs returned in this input (any slab, live or not): free, give and take pick
 * from them, and from pointers made around one slab's blocks. */
#define PTRS 16
static uintptr_t ptrs[PTRS];
static uint32_t nptrs, next_ptr;
static uint8_t outside[64]; /* no slab's storage */

static void ptr_add(uintptr_t p)
{
    for (uint32_t i = 0; i < nptrs; i++)
        if (ptrs[i] == p)
            return;
    ptrs[next_ptr] = p;
    next_ptr = (next_ptr + 1u) % PTRS;
    if (nptrs < PTRS)
        nptrs++;
}

/* A pointer for free, give or take on slab s (NULL when the handle names none): one an
 * alloc returned; one of s's blocks, or one byte into it, inside it, one past the last, in
 * its owner words; NULL; memory of no slab; or one an alloc returned, MP_SLAB_ALIGN on. */
static uintptr_t pick_ptr(in_t *in, const m_slab_t *s)
{
    uint8_t b = in_u8(in);
    if (b < 112 && nptrs > 0)
        return ptrs[b % nptrs];
    if (b < 176 && s != NULL) {
        uint32_t i = in_u16(in) % s->count;
        switch (b & 7u) {
        case 4: return block_at(s, i) + 1u; /* not aligned */
        case 5: /* inside it: aligned when the stride leaves room */
            return block_at(s, i) + (s->stride > MP_SLAB_ALIGN ? MP_SLAB_ALIGN : s->stride - 1u);
        case 6: return block_at(s, s->count); /* one past the last */
        case 7: return first_block(s) - 4u;   /* the last owner word */
        default: return block_at(s, i);
        }
    }
    if (b < 192)
        return 0;
    if (b < 208 || nptrs == 0)
        return (uintptr_t)outside + (b & 15u);
    return ptrs[b % nptrs] + MP_SLAB_ALIGN;
}

/* ---- the pattern in a block ----------------------------------------------------------------- */
#define ENDS 32u /* bytes at each end of a block that carry the pattern */

static void pattern(uint8_t *p, uint32_t size, uint32_t seed, bool check)
{
    uint32_t head = size < ENDS ? size : ENDS, tail = size > 2u * ENDS ? size - ENDS : head;
    for (uint32_t i = 0; i < size; i = i + 1u == head ? tail : i + 1u) {
        if (!check)
            p[i] = m_pattern(seed, i);
        else if (p[i] != m_pattern(seed, i))
            fz_fail("block %p, byte %u of %u: expected 0x%02x, got 0x%02x (written with seed "
                    "%u): a block handed out twice, or its storage shared",
                    (void *)p, i, size, m_pattern(seed, i), p[i], seed);
    }
}

static void check_block(const m_slab_t *s, uint32_t i)
{
    if (s->seed[i] != 0)
        pattern((uint8_t *)block_at(s, i), s->block_size, s->seed[i], true);
}

/* The next block an alloc takes: the first free one from the hint on, round; -1: none. */
static int next_free(const m_slab_t *s)
{
    uint32_t i = s->hint < s->count ? s->hint : 0;
    for (uint32_t k = 0; k < s->count; k++, i = i + 1u == s->count ? 0 : i + 1u)
        if (s->owner[i] == 0)
            return (int)i;
    return -1;
}

/* Block i is taken by the running process (a handler: by nobody). */
static void taken(m_slab_t *s, uint32_t i)
{
    s->owner[i] = m_self_token();
    s->hint = i + 1u;
}

/* An alloc returned got for block i: that one, whole; the allocator writes its pattern. */
static void handed_out(m_slab_t *s, uint32_t i, void *got)
{
    fz_expect_u("block", block_at(s, i), (uintptr_t)got);
    check_block(s, i);
    taken(s, i);
    s->seed[i] = ++fz_seed;
    pattern(got, s->block_size, s->seed[i], false);
    ptr_add((uintptr_t)got);
}

static void born(int slot, uint32_t block_size, uint32_t count, int block, uintptr_t storage,
                 uint32_t got_id)
{
    fz_expect_u("handle", m_alloc(T_SLAB, slot, MPI_KIND_SLAB), got_id);
    m_slab_t *s = &m.slabs[slot];
    s->block_size = block_size;
    s->count = count;
    s->stride = (uint32_t)stride_of(block_size);
    s->block = block;
    s->storage = storage;
    s->size = need_of(block_size, count);
    s->hint = 0;
    memset(s->owner, 0, count * sizeof s->owner[0]);
    memset(s->seed, 0, count * sizeof s->seed[0]);
    fz_pool_add(MPI_KIND_SLAB, got_id);
}

/* ---- the operations ------------------------------------------------------------------------- */
static uint32_t slab_size(in_t *in)
{
    static const uint32_t edges[] = {0, 1, 7, 8, 15, 16, 17, 24, 31, 32, 33, 48, 64, 100, 4096,
                                     65536, 1u << 20, 0x80000000u, UINT32_MAX,
                                     UINT32_MAX - 15u, 16, 8, 1, 32};
    return fz_edge_or_any(in, edges, sizeof edges / sizeof edges[0]);
}

static uint32_t slab_count(in_t *in)
{
    static const uint32_t edges[] = {0, 1, 2, 3, 4, 5, 8, 16, 17, 100, 1000, 4096, 13107, 13108,
                                     65536, 1u << 30, UINT32_MAX, UINT32_MAX - 2u, 0x40000000u,
                                     3, 2, 1, 4, 1};
    return fz_edge_or_any(in, edges, sizeof edges / sizeof edges[0]);
}

static void sl_create(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t block_size = slab_size(in); /* one read per statement: in this order */
    uint32_t count = slab_count(in);
    bool no_out = (f & 0x70) == 0x70;
    fz_call("mp_slab_create", 3, (uint64_t)block_size, (uint64_t)count, (uint64_t)no_out);
    mp_err_t want = MP_OK;
    uint64_t need = need_of(block_size, count);
    int slot = -1, block = -1;
    if (fz_isr())
        want = MP_EISR;
    else if (no_out || block_size == 0 || count == 0)
        want = MP_EINVAL;
    else if (need > MP_CONF_ARENA_SIZE)
        want = MP_ENOMEM;
    else if ((slot = m_alloc_peek(T_SLAB)) < 0) /* the entry first, then the storage */
        want = MP_ENOSLOT;
    else if ((block = m_arena_alloc((uint32_t)need)) < 0)
        want = MP_ENOMEM; /* the entry is given back untouched */
    mp_slab_t s = {0};
    fz_expect(want, mp_slab_create(no_out ? NULL : &s, block_size, count));
    if (want == MP_OK) /* the arena lies in the world, at the offset the model gave it */
        born(slot, block_size, count, block, (uintptr_t)mpi_world.arena + m_arena_offset(block),
             s.id);
}

static void sl_create_static(in_t *in)
{
    uint8_t f = in_u8(in), which = in_u8(in) % (NSBUF + 1u), shape = in_u8(in);
    mp_slab_static_t def = defined_slab;
    uint32_t room = def.size;
    if (which < NSBUF) {
        def.storage = sbufs[which].storage;
        room = def.size = sbufs[which].size;
        if (shape >= 200) { /* as many blocks as fit */
            def.block_size = 16u << (shape & 3u);
            def.count = (uint32_t)(room / (4u + stride_of(def.block_size)));
        }
    }
    if (shape < 200) {
        def.block_size = slab_size(in);
        def.count = slab_count(in);
    }
    uint8_t where = in_u8(in) % 8u;
    uint8_t *storage = def.storage;
    if (where == 5)
        storage += MP_SLAB_ALIGN / 2u; /* not aligned */
    else if (where == 6)
        storage += MP_SLAB_ALIGN; /* aligned, further in: overlaps a slab at the start */
    if (where == 5 || where == 6)
        room -= (uint32_t)(storage - (uint8_t *)def.storage);
    def.storage = where == 4 ? NULL : storage;
    uint64_t need = need_of(def.block_size, def.count);
    switch (in_u8(in) % 6u) { /* a size never above the real room */
    case 0: def.size = need <= room ? (uint32_t)need : room; break;
    case 1: def.size = need > 0 && need - 1u <= room ? (uint32_t)(need - 1u) : room; break;
    case 2: def.size = room ? in_u16(in) % room : 0; break;
    case 3: def.size = 0; break;
    default: def.size = room; break;
    }
    bool no_out = (f & 0x70) == 0x70, no_def = (f & 0x0e) == 0x0e;
    fz_call("mp_slab_create_static", 6, (uint64_t)which, (uint64_t)where,
            (uint64_t)def.block_size, (uint64_t)def.count, (uint64_t)def.size, (uint64_t)f);
    mp_err_t want = MP_OK;
    int slot = -1;
    if (fz_isr())
        want = MP_EISR;
    else if (no_out || no_def || def.storage == NULL || def.block_size == 0 || def.count == 0 ||
             need > def.size || (uintptr_t)def.storage % MP_SLAB_ALIGN != 0)
        want = MP_EINVAL;
    else if (storage_taken((uintptr_t)def.storage, need))
        want = MP_EBUSY; /* one storage, one live slab */
    else if ((slot = m_alloc_peek(T_SLAB)) < 0)
        want = MP_ENOSLOT;
    mp_slab_t s = {0};
    fz_expect(want, mp_slab_create_static(no_out ? NULL : &s, no_def ? NULL : &def));
    if (want == MP_OK)
        born(slot, def.block_size, def.count, -1, (uintptr_t)def.storage, s.id);
}

static m_slab_t *lookup(uint32_t id, int *slot, mp_err_t *err)
{
    *err = m_lookup(id, MPI_KIND_SLAB, slot);
    return *err == MP_OK ? &m.slabs[*slot] : NULL;
}

static void destroyed(int slot)
{
    m_slab_t *s = &m.slabs[slot];
    if (m_free(T_SLAB, slot))
        m_arena_free(s->block);
    else
        m_defer_block(s->block); /* RULES 1: storage kept until the caller inside leaves */
}

static void sl_destroy(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_SLAB);
    fz_call("mp_slab_destroy", 1, (uint64_t)id);
    int slot;
    mp_err_t want;
    lookup(id, &slot, &want);
    if (want == MP_OK && m_avoid[2] && m.inside.active && m.inside.table == T_SLAB &&
        m.inside.slot == slot) {
        fz_skip("defect 2: destroy while the main process is inside");
        return;
    }
    fz_expect(want, mp_slab_destroy((mp_slab_t){id}));
    if (want == MP_OK)
        destroyed(slot);
}

static void sl_alloc(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_SLAB);
    bool no_out = in_u8(in) > 240;
    mp_timeout_t t = fz_timeout(in);
    int slot;
    mp_err_t look;
    m_slab_t *s = lookup(id, &slot, &look);
    int next = s ? next_free(s) : -1;
    if (s && next < 0 && fz_in_child())
        t = MP_NOWAIT; /* children never wait: see fuzz_api.c */
    fz_call("mp_slab_alloc", 3, (uint64_t)id, (uint64_t)no_out, (uint64_t)t);
    void *got = NULL, **out = no_out ? NULL : &got;
    mp_err_t want;
    if (fz_isr_refuses(t)) {
        want = MP_EISR; /* before the handle */
    } else if (s == NULL) {
        want = look;
    } else if (no_out) {
        want = MP_EINVAL;
    } else if (next >= 0) {
        want = MP_OK;
        if (fz_reaches(MPI_HOOK_SLAB_TAKEN)) { /* dies owning it, before it returns */
            taken(s, (uint32_t)next);
            fz_returned_instead_of_dying(mp_slab_alloc((mp_slab_t){id}, out, t));
        }
    } else if (t == MP_NOWAIT) {
        want = MP_EAGAIN;
    } else {
        fz_wait_begin(T_SLAB, slot, t);
        mp_err_t err = mp_slab_alloc((mp_slab_t){id}, out, t);
        if (fz_wait_end()) {
            want = MP_ESTALE;
        } else { /* what the children left: a block freed, or given back at a reap */
            next = next_free(s);
            want = next >= 0 ? MP_OK : fz_timeout_code(t);
        }
        fz_expect(want, err);
        if (want == MP_OK)
            handed_out(s, (uint32_t)next, got);
        return;
    }
    fz_expect(want, mp_slab_alloc((mp_slab_t){id}, out, t));
    if (want == MP_OK)
        handed_out(s, (uint32_t)next, got);
}

/* free, give, take: the block's owner becomes to (0: free). */
enum { FREE, GIVE, TAKE };

static void sl_change(in_t *in, int what)
{
    static const char *const names[] = {"mp_slab_free", "mp_slab_give", "mp_slab_take"};
    uint32_t id = fz_pick(in, MPI_KIND_SLAB);
    int slot;
    mp_err_t look;
    m_slab_t *s = lookup(id, &slot, &look);
    uintptr_t p = pick_ptr(in, s);
    fz_call(names[what], 2, (uint64_t)id, (uint64_t)p);
    int i = s ? block_of(s, p) : -1;
    mp_err_t want;
    if (what == TAKE && fz_isr())
        want = MP_EISR; /* before the handle: a handler owns nothing */
    else if (s == NULL)
        want = look;
    else if (i < 0)
        want = MP_EINVAL;
    else if (s->owner[i] == 0)
        want = MP_EALREADY;
    else
        want = MP_OK;
    void *block = (void *)p;
    mp_slab_t h = {id};
    if (want == MP_OK) {
        check_block(s, (uint32_t)i); /* whoever ends up with it, it holds its allocator's */
        if (what == FREE && fz_reaches(MPI_HOOK_SLAB_FREED)) {
            s->owner[i] = 0; /* free, its allocators not yet woken: the hint stays */
            fz_returned_instead_of_dying(mp_slab_free(h, block));
        }
        if (what == FREE) {
            s->owner[i] = 0;
            s->hint = (uint32_t)i;
        } else {
            s->owner[i] = what == GIVE ? M_ISR_TOKEN : m_self_token();
        }
    }
    fz_expect(want, what == FREE   ? mp_slab_free(h, block)
                    : what == GIVE ? mp_slab_give(h, block)
                                   : mp_slab_take(h, block));
}

static void sl_free(in_t *in)
{
    sl_change(in, FREE);
}

static void sl_give(in_t *in)
{
    sl_change(in, GIVE);
}

static void sl_take(in_t *in)
{
    sl_change(in, TAKE);
}

static void sl_stat(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_SLAB);
    bool no_out = in_u8(in) > 245;
    fz_call("mp_slab_stat", 2, (uint64_t)id, (uint64_t)no_out);
    int slot;
    mp_err_t want;
    const m_slab_t *s = lookup(id, &slot, &want);
    if (want == MP_OK && no_out)
        want = MP_EINVAL; /* after the handle */
    mp_slab_stat_t st;
    memset(&st, 0x77, sizeof st);
    fz_expect(want, mp_slab_stat((mp_slab_t){id}, no_out ? NULL : &st));
    if (want != MP_OK)
        return;
    uint32_t used = 0, unowned = 0;
    for (uint32_t i = 0; i < s->count; i++) {
        used += s->owner[i] != 0;
        unowned += s->owner[i] == M_ISR_TOKEN;
    }
    fz_expect_u("stat.block_size", s->block_size, st.block_size);
    fz_expect_u("stat.count", s->count, st.count);
    fz_expect_u("stat.used", used, st.used);
    fz_expect_u("stat.unowned", unowned, st.unowned);
}

/* A child arms its own death inside an alloc (a block taken, not returned) or a free (the
 * block free, its allocators not woken), the 1st-4th time. */
static void sl_die_at(in_t *in)
{
    uint8_t b = in_u8(in);
    if (!fz_in_child() || fz_isr()) {
        fz_skip("only a child dies at a hook");
        return;
    }
    fz_arm(b & 1 ? MPI_HOOK_SLAB_FREED : MPI_HOOK_SLAB_TAKEN, 1u + (b >> 1) % 4u);
}

void fz_slab_cleanup(void)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_SLABS; i++) {
        if (m.hdr[T_SLAB][i].kind == 0)
            continue;
        uint32_t id = m_handle(T_SLAB, (int)i);
        fz_call("cleanup: mp_slab_destroy", 1, (uint64_t)id);
        fz_expect(MP_OK, mp_slab_destroy((mp_slab_t){id}));
        destroyed((int)i);
    }
    nptrs = next_ptr = 0;
}

const fz_op_t fz_slab_ops[] = {
    {"slab_create", sl_create, false, true},
    {"slab_create_static", sl_create_static, false, true},
    {"slab_destroy", sl_destroy, false, false},
    {"slab_alloc", sl_alloc, false, true},
    {"slab_alloc", sl_alloc, false, true},
    {"slab_free", sl_free, false, true},
    {"slab_free", sl_free, false, true},
    {"slab_give", sl_give, false, true},
    {"slab_take", sl_take, false, true},
    {"slab_stat", sl_stat, false, true},
    {"slab_die_at", sl_die_at, false, false},
};
const size_t fz_slab_nops = sizeof fz_slab_ops / sizeof fz_slab_ops[0];
