/*
 * The fuzzer's shared machinery: call records and checks, buffers, handle pools,
 * argument choosers, the bracket around calls during which children run, and the loop
 * that decodes ops.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "test_hooks.h"

fz_call_t fz_cur;
bool fz_trace_calls;
uint64_t fz_calls;

static _Alignas(64) uint8_t bufs[3][2][FZ_BUF]; /* [main/child/handler][out/in] */
int fz_private_table = -1, fz_private_slot = -1;
uint8_t fz_big[MP_CONF_ARENA_SIZE + 64];

bool fz_in_child(void)
{
    return m.self != 0;
}

static int who(void)
{
    return m.isr ? 2 : fz_in_child();
}

uint8_t *fz_buf_out(void)
{
    return bufs[who()][0];
}

uint8_t *fz_buf_in(void)
{
    return bufs[who()][1];
}

/* ---- checks ------------------------------------------------------------------------------- */
void fz_call(const char *name, int nargs, ...)
{
    va_list ap;
    va_start(ap, nargs);
    fz_cur.name = name;
    fz_cur.nargs = nargs;
    for (int i = 0; i < nargs && i < 6; i++)
        fz_cur.arg[i] = va_arg(ap, uint64_t);
    va_end(ap);
    fz_cur.index = ++fz_calls;
    if (fz_trace_calls) {
        char text[160];
        int n = snprintf(text, sizeof text, "  #%llu [%u] %s ...\n", (unsigned long long)fz_cur.index,
                         m.self, name);
        if (n > 0)
            (void)!write(2, text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1);
    }
}

_Noreturn void fz_fail(const char *fmt, ...)
{
    /* Straight to fd 2: stdio's stderr may be pointing at /dev/null during a wait. */
    char text[1024];
    int n = snprintf(text, sizeof text, "\nmpstatic fuzz: MISMATCH at call #%llu in %s (slot %u): %s(",
                     (unsigned long long)fz_cur.index, m.self ? "a child" : "the main process",
                     m.self, fz_cur.name ? fz_cur.name : "?");
    for (int i = 0; i < fz_cur.nargs && n > 0 && (size_t)n < sizeof text; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, "%s0x%llx", i ? ", " : "",
                      (unsigned long long)fz_cur.arg[i]);
    if (n > 0 && (size_t)n < sizeof text)
        n += snprintf(text + n, sizeof text - (size_t)n, "): ");
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof text)
        n += vsnprintf(text + n, sizeof text - (size_t)n, fmt, ap);
    va_end(ap);
    if (n > 0 && (size_t)n < sizeof text)
        n += snprintf(text + n, sizeof text - (size_t)n, "\n");
    if (n > (int)sizeof text)
        n = (int)sizeof text;
    if (n > 0)
        (void)!write(2, text, (size_t)n);
    __builtin_trap();
}

static const char *code_name(mp_err_t e)
{
    const char *s = mp_strerror(e);
    return s ? s : "?";
}

bool fz_trace;

void fz_expect(mp_err_t want, mp_err_t got)
{
    if (fz_trace) {
        char text[256];
        int n = snprintf(text, sizeof text, "  #%llu [%u] %s(", (unsigned long long)fz_cur.index,
                         m.self, fz_cur.name);
        for (int i = 0; i < fz_cur.nargs && n > 0 && (size_t)n < sizeof text; i++)
            n += snprintf(text + n, sizeof text - (size_t)n, "%s0x%llx", i ? ", " : "",
                          (unsigned long long)fz_cur.arg[i]);
        if (n > 0 && (size_t)n < sizeof text)
            n += snprintf(text + n, sizeof text - (size_t)n, ") -> %s\n", code_name(got));
        if (n > (int)sizeof text)
            n = (int)sizeof text;
        if (n > 0)
            (void)!write(2, text, (size_t)n);
    }
    if (want != got)
        fz_fail("expected %d (%s), got %d (%s)", want, code_name(want), got, code_name(got));
}

void fz_expect_u(const char *what, uint64_t want, uint64_t got)
{
    if (want != got)
        fz_fail("%s: expected %llu (0x%llx), got %llu (0x%llx)", what, (unsigned long long)want,
                (unsigned long long)want, (unsigned long long)got, (unsigned long long)got);
}

void fz_expect_bytes(const uint8_t *buf, uint32_t len, uint32_t seed)
{
    for (uint32_t i = 0; i < len; i++)
        if (buf[i] != m_pattern(seed, i))
            fz_fail("message byte %u of %u: expected 0x%02x, got 0x%02x (message seed %u)", i,
                    len, m_pattern(seed, i), buf[i], seed);
}

void fz_expect_message(mp_err_t want, mp_err_t got, uint32_t len, size_t got_len,
                       const uint8_t *buf, uint32_t seed)
{
    fz_expect(want, got);
    if (want == MP_OK || want == MP_ETOOSMALL)
        fz_expect_u("*len", len, got_len);
    if (want == MP_OK && buf != NULL)
        fz_expect_bytes(buf, len, seed);
}

void fz_check_usage(void)
{
    mp_usage_t u;
    mp_err_t err = mp_usage(&u);
    if (err != MP_OK)
        fz_fail("mp_usage: %d", err);
    uint32_t procs = 0;
    for (uint32_t i = 0; i < M_PROCS; i++)
        procs += m.procs[i].state != P_FREE;
    static const struct {
        const char *name;
        size_t offset;
        int table;
    } rows[] = {
        {"usage.locks", offsetof(mp_usage_t, locks), T_LOCK},
        {"usage.queues", offsetof(mp_usage_t, queues), T_QUEUE},
        {"usage.pipes", offsetof(mp_usage_t, pipes), T_PIPE},
        {"usage.values", offsetof(mp_usage_t, values), T_VALUE},
        {"usage.semaphores", offsetof(mp_usage_t, semaphores), T_SEM},
        {"usage.events", offsetof(mp_usage_t, events), T_EVENT},
        {"usage.conditions", offsetof(mp_usage_t, conditions), T_COND},
        {"usage.barriers", offsetof(mp_usage_t, barriers), T_BARRIER},
        {"usage.pools", offsetof(mp_usage_t, pools), T_POOL},
        {"usage.results", offsetof(mp_usage_t, results), T_RESULT},
        {"usage.dicts", offsetof(mp_usage_t, dicts), T_DICT},
        {"usage.lists", offsetof(mp_usage_t, lists), T_LIST},
        {"usage.slabs", offsetof(mp_usage_t, slabs), T_SLAB},
    };
    fz_expect_u("usage.processes", procs, u.processes);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        uint32_t got;
        memcpy(&got, (const uint8_t *)&u + rows[i].offset, sizeof got);
        fz_expect_u(rows[i].name, m_used(rows[i].table), got);
    }
    fz_expect_u("usage.arena_bytes", m_arena_bytes(), u.arena_bytes);
    fz_expect_u("usage.arena_blocks", m_arena_blocks(), u.arena_blocks);
}

uint32_t fz_seed;

uint32_t fz_fill(uint8_t *buf, size_t len, uint32_t limit)
{
    uint32_t seed = ++fz_seed;
    size_t n = len < limit ? len : limit;
    for (size_t i = 0; i < n; i++)
        buf[i] = m_pattern(seed, i);
    return seed;
}

void fz_skip(const char *why)
{
    if (fz_trace) {
        char text[160];
        int n = snprintf(text, sizeof text, "  [%u] skipped: %s\n", m.self, why);
        if (n > 0)
            (void)!write(2, text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1);
    }
}

/* ---- waits -------------------------------------------------------------------------------- */
static bool expect_run[M_PROCS];
static FILE *quiet, *saved_stderr;
static fz_call_t saved_call; /* the main process's call, while children make theirs */

static void note_pending(void)
{
    saved_call = fz_cur;
    for (uint32_t i = 1; i < M_PROCS; i++)
        expect_run[i] = m.procs[i].state == P_RUNNING && !m.procs[i].ended && !m.procs[i].ran;
}

static void check_ran(void)
{
    m.self = 0;
    fz_cur = saved_call;
    for (uint32_t i = 1; i < M_PROCS; i++) {
        if (expect_run[i] && !m.procs[i].ended)
            fz_fail("child in slot %u was expected to run to its end during this call", i);
        expect_run[i] = false;
    }
}

static mp_time_t wait_start;
static mp_timeout_t wait_timeout;

void fz_wait_begin(int table, int slot, mp_timeout_t timeout)
{
    note_pending();
    (void)mp_clock_ns(&wait_start);
    wait_timeout = timeout;
    m_inside_begin(table, slot);
    if (timeout == MP_FOREVER) {
        /* glibc: stderr is an assignable FILE *; the simulation's deadlock report goes
         * through it, sanitizer and mismatch reports go to fd 2 directly. */
        if (quiet == NULL)
            quiet = fopen("/dev/null", "w");
        saved_stderr = stderr;
        if (quiet != NULL)
            stderr = quiet;
    }
}

bool fz_wait_end(void)
{
    m.death_unseen = false; /* mp_port_wait notes every death before it returns */
    if (saved_stderr != NULL) {
        stderr = saved_stderr;
        saved_stderr = NULL;
    }
    check_ran();
    bool destroyed = m_inside_end();
    mp_time_t now = 0;
    (void)mp_clock_ns(&now);
    if (destroyed && wait_timeout != MP_FOREVER &&
        now >= wait_start + (mp_time_t)wait_timeout * 1000000u)
        fz_fail("a call blocked in an object that was destroyed returned at its deadline, "
                "not at once (RULES 1)");
    return destroyed;
}

bool fz_expected_to_run(uint32_t slot)
{
    return slot < M_PROCS && expect_run[slot];
}

/* ---- deaths at test hooks ---------------------------------------------------------------------- */
typedef struct {
    bool active, expect;
    uint32_t slot;
    int point;
    uint32_t model_left, runtime_left;
} armed_t;
static armed_t armed;

void fz_arm(int point, uint32_t n)
{
    armed = (armed_t){true, false, m.self, point, n, n};
}

void fz_disarm(void)
{
    armed.active = false;
}

bool fz_reaches(int point)
{
    if (!armed.active || m.isr || armed.slot != m.self || armed.point != point)
        return false;
    if (--armed.model_left > 0)
        return false;
    armed.expect = true;
    return true;
}

_Noreturn void fz_returned_instead_of_dying(mp_err_t got)
{
    fz_fail("returned %d (%s) instead of dying at test hook %d", got, code_name(got), armed.point);
}

static void hook(mpi_hook_point_t point)
{
    if (!armed.active || (int)point != armed.point || mp_port_in_isr())
        return;
    mp_process_t me;
    if (mp_process_self(&me) != MP_OK || (me.id & 0xfffu) - 1u != armed.slot)
        return;
    if (--armed.runtime_left > 0)
        return;
    if (!armed.expect)
        fz_fail("test hook %d reached where the model did not expect it", armed.point);
    armed.active = false;
    m.procs[armed.slot].ended = true; /* killed inside the call: the rest of its script is dropped */
    m.procs[armed.slot].exitcode = -MP_SIGKILL;
    (void)mp_process_kill(me);
    fz_fail("mp_process_kill of oneself returned");
}

void fz_hooks_install(void)
{
    mpi_test_hook = hook;
}

bool fz_side_enter(m_side_t *s, int *via)
{
    *via = m_side_enter(s, false);
    if ((*via == VIA_HANG || *via == VIA_ISR_AGAIN) && m_avoid[10]) {
        fz_skip("defect 10: a side whose busy mark a killed process left");
        return false;
    }
    (void)m_side_enter(s, true);
    return true;
}

void fz_side_reenter(m_side_t *s)
{
    m_side_leave(s, m_side_enter(s, true), true);
}

void fz_poll_begin(void)
{
    note_pending();
}

void fz_poll_end(void)
{
    m.death_unseen = false;
    check_ran();
}

/* ---- handles ------------------------------------------------------------------------------ */
#define POOL_N 16
#define KINDS MPI_KIND_END /* every handle kind has a pool */
/* "Another kind" is drawn from the kinds up to MPI_KIND_LIST only: a kind added later
 * would change what every committed input's bytes pick (the seeds and regressions must
 * decode as they did), so a Slab's handle reaches other ops only as a forged value. */
#define OTHER_KINDS 16u
_Static_assert(MPI_KIND_LIST + 1 == OTHER_KINDS, "the kinds \"another kind\" is drawn from");
static uint32_t pool[KINDS][POOL_N];
static uint32_t pool_n[KINDS], pool_next[KINDS];

void fz_pool_reset(void)
{
    memset(pool_n, 0, sizeof pool_n);
    memset(pool_next, 0, sizeof pool_next);
}

void fz_pool_add(uint32_t kind, uint32_t id)
{
    if (kind >= KINDS)
        return;
    for (uint32_t i = 0; i < pool_n[kind]; i++)
        if (pool[kind][i] == id)
            return;
    pool[kind][pool_next[kind]] = id;
    pool_next[kind] = (pool_next[kind] + 1u) % POOL_N;
    if (pool_n[kind] < POOL_N)
        pool_n[kind]++;
}

static uint32_t slot_count(uint32_t kind)
{
    if (kind == MPI_KIND_PROCESS)
        return M_PROCS;
    if (kind == MPI_KIND_CONN)
        return 2u * MP_CONF_MAX_PIPES;
    int t = m_table_of_kind(kind);
    return t < 0 ? 0 : m_table_count(t);
}

static uint32_t slot_gen(uint32_t kind, uint32_t index)
{
    if (kind == MPI_KIND_PROCESS)
        return index < M_PROCS ? m.procs[index].gen : 1u;
    if (kind == MPI_KIND_CONN)
        return index / 2u < MP_CONF_MAX_PIPES ? m.hdr[T_PIPE][index / 2u].gen : 1u;
    int t = m_table_of_kind(kind);
    return t >= 0 && index < m_table_count(t) ? m.hdr[t][index].gen : 1u;
}

static uint32_t forge(uint32_t kind, uint32_t index, uint32_t gen)
{
    return kind << MPI_KIND_SHIFT | (gen & MPI_GEN_MASK) << MPI_GEN_SHIFT |
           ((index + 1u) & MPI_INDEX_MASK);
}

static uint32_t pick(in_t *in, uint32_t kind);

uint32_t fz_pick(in_t *in, uint32_t kind)
{
    uint32_t id = pick(in, kind);
    int slot, end;
    mp_err_t err = kind == MPI_KIND_CONN ? m_lookup_conn(id, &slot, &end)
                                         : m_lookup(id, mpi_id_kind(id), &slot);
    if (fz_private_table >= 0 && err == MP_OK &&
        m_table_of_kind(mpi_id_kind(id)) == fz_private_table &&
        slot == fz_private_slot)
        id ^= 1u << MPI_GEN_SHIFT; /* another generation: stale */
    return id;
}

static uint32_t pick(in_t *in, uint32_t kind)
{
    uint8_t b = in_u8(in);
    if (b < 160 && pool_n[kind] > 0)
        return pool[kind][b % pool_n[kind]];
    if (b < 192) {
        uint32_t other = 1u + b % (OTHER_KINDS - 1u);
        if (pool_n[other] > 0)
            return pool[other][in_u8(in) % pool_n[other]];
    }
    if (b == 192)
        return 0;
    if (b == 193)
        return UINT32_MAX;
    uint32_t count = slot_count(kind);
    uint32_t index = in_u8(in) % (count + 1u); /* count: one past the table */
    if (b < 224) /* a slot's current generation: hits whatever lives there */
        return forge(kind, index, slot_gen(kind, index));
    if (b < 240) {
        uint32_t d = 1u + (b & 3u);
        return forge(kind, index, b & 4u ? slot_gen(kind, index) - d : slot_gen(kind, index) + d);
    }
    if (b < 248)
        return in_u32(in);
    if (b < 252) /* right kind, index field 0 or beyond any table */
        return forge(kind, (b & 1u ? 0u : MPI_INDEX_MASK) - 1u, slot_gen(kind, 0));
    /* a live handle's slot under another kind */
    uint32_t other = 1u + in_u8(in) % (OTHER_KINDS - 1u);
    return forge(other, index, slot_gen(kind, index));
}

/* ---- arguments ----------------------------------------------------------------------------- */
mp_timeout_t fz_timeout(in_t *in)
{
    uint8_t b = in_u8(in);
    if (b < 128)
        return MP_NOWAIT;
    if (b < 160)
        return 1;
    if (b < 176)
        return 2u + (b & 15u);
    if (b < 192)
        return 100;
    if (b < 232)
        return MP_FOREVER;
    if (b < 240) {
        /* just short of MP_FOREVER: 49 days of virtual time per wait; the clock is
         * shared by every input, so keep it far from wrapping */
        mp_time_t now = 0;
        (void)mp_clock_ns(&now);
        return now < (1ull << 62) ? MP_FOREVER - 1u : 1000u;
    }
    return in_u16(in);
}

/* A size from one byte: mostly one of the edges, else a small value from the next byte,
 * else any 32-bit value. */
uint32_t fz_edge_or_any(in_t *in, const uint32_t *edges, size_t n)
{
    uint8_t b = in_u8(in);
    if (b < n * 8u)
        return edges[b % n];
    if (b < 240)
        return 1u + in_u8(in);
    return in_u32(in);
}

uint32_t fz_msg_size(in_t *in)
{
    static const uint32_t edges[] = {0, 1, 2, 3, 4, 7, 8, 12, 27, 28, 29, 59, 60, 61, 64, 100,
                                     124, 128, 256, 1000, 4096, 65535, 65536, 65537,
                                     UINT32_MAX, 1u << 24, 0x80000000u, 16};
    return fz_edge_or_any(in, edges, sizeof edges / sizeof edges[0]);
}

uint32_t fz_depth(in_t *in)
{
    static const uint32_t edges[] = {0, 1, 2, 3, 4, 5, 7, 8, 16, 17, 31, 32, 100, 1000, 4096,
                                     32768, 65536, 1u << 26, 1u << 30, UINT32_MAX,
                                     0x80000000u, 6, 1, 2};
    return fz_edge_or_any(in, edges, sizeof edges / sizeof edges[0]);
}

size_t fz_len(in_t *in, uint32_t max)
{
    uint8_t b = in_u8(in);
    switch (b % 16u) {
    case 0: return 0;
    case 1: return 1;
    case 2: return max > 0 ? max - 1u : 0;
    case 3: case 4: return max;
    case 5: return (size_t)max + 1u;
    case 6: return SIZE_MAX;
    case 7: return (size_t)1 << 32;
    case 8: return (size_t)max + ((size_t)1 << 32); /* truncates to max in 32 bits */
    case 9: return UINT32_MAX;
    case 10: return in_u8(in) % 16u;
    default: return max ? in_u16(in) % ((size_t)max + 1u) : 0;
    }
}

/* ---- the op loop -------------------------------------------------------------------------- */
static const fz_op_t *ops[256];
static size_t nops;

static void add_ops(const fz_op_t *group, size_t n)
{
    for (size_t i = 0; i < n && nops < 256; i++)
        ops[nops++] = &group[i];
}

void fz_run(in_t *in)
{
    if (nops == 0) {
        add_ops(fz_queue_ops, fz_queue_nops);
        add_ops(fz_pipe_ops, fz_pipe_nops);
        add_ops(fz_lock_ops, fz_lock_nops);
        add_ops(fz_shared_ops, fz_shared_nops);
        add_ops(fz_sync_ops, fz_sync_nops);
        add_ops(fz_process_ops, fz_process_nops);
        add_ops(fz_isr_ops, fz_isr_nops);
        add_ops(fz_runtime_ops, fz_runtime_nops);
        add_ops(fz_dict_ops, fz_dict_nops);
        add_ops(fz_list_ops, fz_list_nops);
        add_ops(fz_pool_ops, fz_pool_nops);
        add_ops(fz_wait_ops, fz_wait_nops);
        add_ops(fz_slab_ops, fz_slab_nops); /* last: the ops before keep their numbers */
    }
    uint32_t self = m.self;
    while (!in_done(in)) {
        const fz_op_t *op = ops[in_u8(in) % nops];
        m.self = self;
        if (op->main_only && self != 0) {
            fz_skip("main-only op in a child");
            continue;
        }
        if (m.isr && !op->isr_ok) {
            fz_skip("op not for an interrupt handler");
            continue;
        }
        op->fn(in);
        m.self = self;
        fz_check_usage();
    }
}
