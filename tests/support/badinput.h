/*
 * The bad-input suites (tests/core/test_badinput_*.c): rows, and the loop that runs them.
 *
 * A row is one call with one bad argument (or one call in a state that refuses it) and
 * the exact code it must return. Every row must also change nothing: after the call,
 *   - the shared world (every byte of mpi_world) is as it was before it,
 *   - the caller's output variables (struct bi_out) still hold the canary put there,
 *   - mp_usage() and the caller's live children are the same,
 * except for the bookkeeping a row declares (BI_*, below). The world is compared bytewise
 * and the allowed bookkeeping is masked bit by bit, so a row that may leave a lock's
 * "someone may sleep" bit set still fails if it changes anything else in that word.
 *
 * Rows do not stop at the first failure: every mismatch is printed (the call, the codes,
 * which world fields changed), and the test fails at the end of its table.
 */
#ifndef BADINPUT_H
#define BADINPUT_H

#include <stdio.h>

#include "mp_test.h"
#include "world.h"

/* ---- what a row may leave changed: the documented bookkeeping ---------------------- */
enum {
    /* The row really waits (a short timeout that expires). The port's record of the
     * calling process (mp_port_slot_t in its slot: on the task port the saved context,
     * the deadline and the result of its last wait; they mean something only while it
     * is blocked) is written by every wait. Nothing else of the caller's slot is. */
    BI_WAITS = 1u << 0,
    /* A waiter that gave up on a lock word leaves MPI_LOCK_WAITERS set: it cannot know
     * whether others still sleep there (guard.c; "Futexes are tricky", mutex 3). Costs
     * the next release one spare wake call. Only that bit, of lock words and of the
     * guards of Dicts and Lists (the same guard, inside: records.h). */
    BI_LOCK_WAITERS = 1u << 1,
    /* An Event waiter that timed out leaves the flag at "clear, someone sleeps" (2)
     * instead of "clear" (0), for the same reason (event.c). Only that bit. */
    BI_EVENT_SLEEPING = 1u << 2,
    /* An operation that looked at a ring refreshes its side's cached copy of the other
     * side's index (head_seen, tail_seen: ring.c), whatever it then returns. The copy
     * only ever catches up with the real index, which is compared in full. */
    BI_RING_CACHE = 1u << 3,
    /* A create refused for want of room (MP_ENOSLOT, MP_ENOMEM) that had already claimed
     * a free entry, a lock for the object or arena storage, and gave it back: the
     * contents of table entries free before and after (their generation moves on, their
     * body is whatever create wrote), the offset of free block records, and arena bytes
     * in no live block. Free bitmaps, live entries and live blocks are compared in full,
     * so a claim that is not given back still fails the row. */
    BI_GAVE_BACK = 1u << 4,
    /* MP_ETOOSMALL: *len says how large a buffer the message needs (documented). */
    BI_OUT_LEN = 1u << 5,
};
/* Not masked, because a refused call writes them and puts them back, so they compare
 * equal afterwards: the caller's record of the objects it is inside (procs[].inside and
 * depth: set on entering a call on an object, cleared on leaving it), its sleeper bit in
 * the object's slot set and its record of where that bit is (procs[].asleep), a ring
 * side's busy mark (set around an operation through the side's bias), guard words (a
 * barrier's, the arena's: taken and given), a lock's count of objects built on it (a
 * Condition given a lock it cannot use after all), the caller's task state and the deaths
 * it has seen (task port: rewritten with the same values). What a first use sets for
 * good, a ring side's bias and a pipe end's set of users, each suite sets before its rows
 * (it uses every side and end once). */
/* Every output a row's call may be given; filled with BI_CANARY before each row. */
struct bi_out {
    uint8_t buf[64];
    size_t len;
    bool flag;
    uint32_t u32;
    int code;
    int64_t i64;
    mp_process_t procs[2];
    char name[16];
    union {
        uint32_t id;
        mp_process_t process;
        mp_lock_t lock;
        mp_rlock_t rlock;
        mp_queue_t queue;
        mp_conn_t conn;
        mp_value_t value;
        mp_array_t array;
        mp_semaphore_t semaphore;
        mp_event_t event;
        mp_condition_t condition;
        mp_barrier_t barrier;
        mp_pool_t pool;
        mp_result_t result;
        mp_dict_t dict;
        mp_namespace_t ns;
        mp_list_t list;
        mp_slab_t slab;
    } made, made2; /* what a create writes (a pipe: two ends) */
    void *block;          /* what a slab's alloc writes */
    mp_slab_stat_t slab_stat;
    mp_pool_failure_t failure;
    mp_err_t errs[4];
    mp_pool_imap_t imap;
    mp_dict_iter_t dict_it;
    mp_list_iter_t list_it;
};
#define BI_CANARY 0xa5
static struct bi_out out;

/* Inputs the calls read: never compared, never written. */
static const _Alignas(8) uint8_t bi_in[64] = {1, 2, 3, 4, 5, 6, 7, 8};

/* An input that a call writes only when it succeeds (an iterator): a row passes
 * BI_KEPT(x) for &x, and bi_check then compares x with what it was before the call. */
static uint8_t bi_kept[256];
static const void *bi_kept_at;
static size_t bi_kept_size;

static inline void *bi_keep(void *x, size_t size)
{
    assert_true(size <= sizeof bi_kept);
    memcpy(bi_kept, x, size);
    bi_kept_at = x;
    bi_kept_size = size;
    return x;
}
#define BI_KEPT(x) bi_keep(&(x), sizeof(x))

typedef struct {
    const char *what;     /* the call, as written */
    mp_err_t expect;
    mp_err_t (*call)(void);
    unsigned allow;       /* BI_* */
    void (*undo)(void);   /* the call made something it should not have: give it back */
} bi_row_t;

/* Rows are written once, as X(name, expected code, allowed bookkeeping, undo, call): each
 * becomes a function returning the call's code, and an entry naming the call as written. */
#define BI_FN(name, expect, allow, undo, ...)                                                 \
    static mp_err_t name(void) { return __VA_ARGS__; }
#define BI_ENTRY(name, expect, allow, undo, ...) {#__VA_ARGS__, expect, name, allow, undo},

/* ---- the world, bytewise ------------------------------------------------------------ */
static uint8_t bi_before[sizeof mpi_world];
static uint8_t bi_allowed[sizeof mpi_world]; /* per byte: the bits that may change */
static unsigned bi_rows, bi_failed;

/* Where an offset of the world falls, for the failure report ("locks[3] +4"). */
#define BI_ARRAY(f)                                                                            \
    {#f, offsetof(mpi_world_t, f), sizeof mpi_world.f[0], sizeof mpi_world.f / sizeof mpi_world.f[0]}
#define BI_FIELD(f) {#f, offsetof(mpi_world_t, f), sizeof mpi_world.f, 1}
static const struct {
    const char *name;
    size_t at, size, count;
} bi_regions[] = {
    BI_FIELD(ready),  BI_FIELD(asym),       BI_FIELD(join_seq),  BI_ARRAY(slot_free),
    BI_ARRAY(slots),  BI_ARRAY(procs),      BI_ARRAY(exit_hooks), BI_ARRAY(locks_free),
    BI_ARRAY(locks),
    BI_ARRAY(queues_free),
    BI_ARRAY(queues), BI_ARRAY(pipes_free), BI_ARRAY(pipes),     BI_ARRAY(values_free),
    BI_ARRAY(values), BI_ARRAY(semaphores_free), BI_ARRAY(semaphores), BI_ARRAY(events_free),
    BI_ARRAY(events), BI_ARRAY(conditions_free), BI_ARRAY(conditions), BI_ARRAY(barriers_free),
    BI_ARRAY(barriers), BI_ARRAY(pools_free), BI_ARRAY(pools), BI_ARRAY(results_free),
    BI_ARRAY(results), BI_ARRAY(dicts_free), BI_ARRAY(dicts), BI_ARRAY(lists_free),
    BI_ARRAY(lists), BI_ARRAY(slabs_free), BI_ARRAY(slabs), BI_FIELD(arena_guard),
    BI_ARRAY(blocks), BI_ARRAY(arena),
};

static void bi_where(size_t off, char *buf, size_t size)
{
    const char *name = "padding";
    size_t index = 0, rest = off;
    for (size_t i = 0; i < sizeof bi_regions / sizeof bi_regions[0]; i++) {
        size_t at = bi_regions[i].at, len = bi_regions[i].size * bi_regions[i].count;
        if (off >= at && off < at + len) {
            name = bi_regions[i].name;
            index = (off - at) / bi_regions[i].size;
            rest = (off - at) % bi_regions[i].size;
            break;
        }
    }
    snprintf(buf, size, "%s[%u] +%u", name, (unsigned)index, (unsigned)rest);
}

static void bi_allow_bits(const void *field, uint32_t bits)
{
    size_t off = (size_t)((const uint8_t *)field - (const uint8_t *)&mpi_world);
    for (size_t k = 0; k < sizeof bits; k++) /* little-endian on every port we have */
        bi_allowed[off + k] |= (uint8_t)(bits >> (8 * k));
}

static void bi_allow_bytes(const void *field, size_t size)
{
    size_t off = (size_t)((const uint8_t *)field - (const uint8_t *)&mpi_world);
    memset(bi_allowed + off, 0xff, size);
}

static void bi_allow_ring_cache(const mpi_ring_t *r)
{
    bi_allow_bytes(&r->head_seen, sizeof r->head_seen);
    bi_allow_bytes(&r->tail_seen, sizeof r->tail_seen);
}

/* A table entry free (kind 0 in its tag) before the call, in the snapshot, and after it. */
static bool bi_free_entry(const mpi_obj_t *h)
{
    size_t off = (size_t)((const uint8_t *)h - (const uint8_t *)&mpi_world);
    uint32_t was;
    memcpy(&was, bi_before + off, sizeof was);
    return mpi_tag_kind(atomic_load(&h->tag)) == 0 && mpi_tag_kind(was) == 0;
}

#define BI_ALLOW_FREE(table, count)                                                           \
    for (uint32_t i = 0; i < mpi_count(count); i++)                                           \
        if (bi_free_entry(&mpi_world.table[i].hdr))                                           \
            bi_allow_bytes(&mpi_world.table[i], sizeof mpi_world.table[i]);

static void bi_allow_given_back(void)
{
    BI_ALLOW_FREE(locks, MP_CONF_MAX_LOCKS)
    BI_ALLOW_FREE(queues, MP_CONF_MAX_QUEUES)
    BI_ALLOW_FREE(pipes, MP_CONF_MAX_PIPES)
    BI_ALLOW_FREE(values, MP_CONF_MAX_VALUES)
    BI_ALLOW_FREE(semaphores, MP_CONF_MAX_SEMAPHORES)
    BI_ALLOW_FREE(events, MP_CONF_MAX_EVENTS)
    BI_ALLOW_FREE(conditions, MP_CONF_MAX_CONDITIONS)
    BI_ALLOW_FREE(barriers, MP_CONF_MAX_BARRIERS)
    BI_ALLOW_FREE(pools, MP_CONF_MAX_POOLS)
    BI_ALLOW_FREE(results, MP_CONF_MAX_RESULTS)
    BI_ALLOW_FREE(dicts, MP_CONF_MAX_DICTS)
    BI_ALLOW_FREE(lists, MP_CONF_MAX_LISTS)
    BI_ALLOW_FREE(slabs, MP_CONF_MAX_SLABS)
    /* the arena free after the call: all of it, less every live block */
    bi_allow_bytes(mpi_world.arena, sizeof mpi_world.arena);
    for (uint32_t b = 0; b < MPI_ARENA_BLOCKS; b++) {
        uint32_t size = atomic_load(&mpi_world.blocks[b].size);
        if (size != 0)
            memset(bi_allowed + mpi_world.blocks[b].offset, 0, size);
    }
    for (uint32_t b = 0; b < MPI_ARENA_BLOCKS; b++)
        if (atomic_load(&mpi_world.blocks[b].size) == 0)
            bi_allow_bytes(&mpi_world.blocks[b].offset, sizeof mpi_world.blocks[b].offset);
}

/* The mask of a row's bookkeeping, built only when the world did change. */
static void bi_build_mask(unsigned allow)
{
    memset(bi_allowed, 0, sizeof bi_allowed);
    /* mp_dump's statistics, not state: a create refused for want of an entry counts
     * itself, and one that claimed an entry before failing has raised the mark */
    bi_allow_bytes(&mpi_world.slot_most, sizeof mpi_world.slot_most);
    bi_allow_bytes(&mpi_world.slot_refused, sizeof mpi_world.slot_refused);
    bi_allow_bytes(&mpi_world.names_refused, sizeof mpi_world.names_refused);
    bi_allow_bytes(&mpi_world.arena_most, sizeof mpi_world.arena_most);
#define MPI_STORE(type, store, count, blocks)                                                \
    bi_allow_bytes(&mpi_world.store##_most, sizeof mpi_world.store##_most);                  \
    bi_allow_bytes(&mpi_world.store##_refused, sizeof mpi_world.store##_refused);
#include "objects.def"
    if (allow & BI_WAITS)
        bi_allow_bytes(&mpi_world.slots[mp_port_self()].port, sizeof(mp_port_slot_t));
    if (allow & BI_LOCK_WAITERS) {
        for (uint32_t i = 0; i < MP_CONF_MAX_LOCKS; i++)
            bi_allow_bits(&mpi_world.locks[i].word, MPI_LOCK_WAITERS);
        for (uint32_t i = 0; i < mpi_count(MP_CONF_MAX_DICTS); i++)
            bi_allow_bits(&mpi_world.dicts[i].rec.guard, MPI_LOCK_WAITERS);
        for (uint32_t i = 0; i < mpi_count(MP_CONF_MAX_LISTS); i++)
            bi_allow_bits(&mpi_world.lists[i].rec.guard, MPI_LOCK_WAITERS);
    }
    if (allow & BI_EVENT_SLEEPING)
        for (uint32_t i = 0; i < MP_CONF_MAX_EVENTS; i++)
            bi_allow_bits(&mpi_world.events[i].flag, 2u);
    if (allow & BI_RING_CACHE) {
        for (uint32_t i = 0; i < mpi_count(MP_CONF_MAX_QUEUES); i++)
            bi_allow_ring_cache(&mpi_world.queues[i].ring);
        for (uint32_t i = 0; i < mpi_count(MP_CONF_MAX_PIPES); i++)
            for (uint32_t k = 0; k < 2; k++)
                bi_allow_ring_cache(&mpi_world.pipes[i].ring[k]);
    }
    if (allow & BI_GAVE_BACK)
        bi_allow_given_back();
}

/* Compares the world with the snapshot; prints up to a few changed fields. */
static bool bi_world_same(unsigned allow)
{
    const uint8_t *now = (const uint8_t *)&mpi_world;
    if (memcmp(bi_before, now, sizeof bi_before) == 0)
        return true;
    bi_build_mask(allow);
    unsigned shown = 0, changed = 0;
    for (size_t i = 0; i < sizeof bi_before; i++) {
        uint8_t diff = (uint8_t)((bi_before[i] ^ now[i]) & ~bi_allowed[i]);
        if (diff == 0)
            continue;
        if (changed++ < 8) {
            char where[48];
            bi_where(i, where, sizeof where);
            print_message("    world changed at %s: %02x -> %02x\n", where, bi_before[i], now[i]);
            shown++;
        }
    }
    if (changed > shown)
        print_message("    ... %u changed bytes in all\n", changed);
    return changed == 0;
}

static bool bi_out_same(unsigned allow)
{
    struct bi_out want;
    memset(&want, BI_CANARY, sizeof want);
    if (allow & BI_OUT_LEN)
        want.len = out.len;
    if (memcmp(&want, &out, sizeof want) == 0)
        return true;
    const uint8_t *a = (const uint8_t *)&want, *b = (const uint8_t *)&out;
    for (size_t i = 0; i < sizeof want; i++)
        if (a[i] != b[i]) {
            print_message("    output written at byte %u of struct bi_out\n", (unsigned)i);
            break;
        }
    return false;
}

static size_t bi_children(void)
{
    size_t n = 0;
    assert_int_equal(MP_OK, mp_process_active_children(NULL, 0, &n));
    return n;
}

/* Functions that failed a row (named as far as the first parenthesis or space). */
static char bi_failed_fns[32][40];
static unsigned bi_nfailed_fns, bi_skipped;

static void bi_fn_name(const char *what, char *name, size_t size)
{
    size_t n = strcspn(what, "( ");
    n = n < size - 1 ? n : size - 1;
    memcpy(name, what, n);
    name[n] = '\0';
}

static bool bi_fn_failed(const char *what)
{
    char name[40];
    bi_fn_name(what, name, sizeof name);
    for (unsigned i = 0; i < bi_nfailed_fns; i++)
        if (strcmp(bi_failed_fns[i], name) == 0)
            return true;
    return false;
}

static void bi_fn_fail(const char *what)
{
    if (!bi_fn_failed(what) && bi_nfailed_fns < sizeof bi_failed_fns / sizeof bi_failed_fns[0])
        bi_fn_name(what, bi_failed_fns[bi_nfailed_fns++], sizeof bi_failed_fns[0]);
}

/* Rows with a long timeout ("forever", a "negative" one) must be refused before any
 * wait, and are, by a working runtime. One that got the checks wrong would wait for
 * them, so they run after the others, and not at all for a function that already
 * failed a row: the suite then fails with a report instead of hanging. */
static bool bi_text_is_long(const char *text)
{
    return strstr(text, "MP_FOREVER") != NULL || strstr(text, "(mp_timeout_t)-") != NULL;
}

/* Runs one call as a row. Returns whether it passed (and counts it). */
static bool bi_check(const char *what, const char *detail, mp_err_t expect,
                     mp_err_t (*call)(void), unsigned allow, void (*undo)(void))
{
    mp_usage_t u0, u1;
    assert_int_equal(MP_OK, mp_usage(&u0));
    size_t kids = bi_children();
    memset(&out, BI_CANARY, sizeof out);
    bi_kept_at = NULL;
    memcpy(bi_before, &mpi_world, sizeof bi_before);

    mp_err_t got = call();

    bool ok = got == expect;
    if (!ok)
        print_message("FAIL %s%s: expected %s, got %s\n", what, detail, mp_strerror(expect),
                      mp_strerror(got));
    if (!bi_world_same(allow)) {
        if (ok)
            print_message("FAIL %s%s: %s, but the world changed (above)\n", what, detail,
                          mp_strerror(got));
        ok = false;
    }
    if (!bi_out_same(allow)) {
        print_message("FAIL %s%s: wrote an output it must leave alone\n", what, detail);
        ok = false;
    }
    if (bi_kept_at != NULL && memcmp(bi_kept, bi_kept_at, bi_kept_size) != 0) {
        print_message("FAIL %s%s: wrote an input it must leave alone\n", what, detail);
        ok = false;
    }
    if (got == MP_OK && expect != MP_OK && undo != NULL)
        undo();
    assert_int_equal(MP_OK, mp_usage(&u1));
    if (memcmp(&u0, &u1, sizeof u0) != 0) {
        print_message("FAIL %s%s: mp_usage() changed\n", what, detail);
        ok = false;
    }
    if (bi_children() != kids) {
        print_message("FAIL %s%s: the caller's live children changed\n", what, detail);
        ok = false;
    }
    bi_rows++;
    if (!ok) {
        bi_failed++;
        bi_fn_fail(what);
    }
    return ok;
}

/* The one loop of a table: the rows with short timeouts first, then the long ones. */
static void bi_run(const bi_row_t *rows, size_t n)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            bool long_row = bi_text_is_long(rows[i].what);
            if (long_row != (pass == 1))
                continue;
            if (long_row && bi_fn_failed(rows[i].what)) {
                bi_skipped++;
                continue;
            }
            (void)bi_check(rows[i].what, "", rows[i].expect, rows[i].call, rows[i].allow,
                           rows[i].undo);
        }
}

/* Fails the running test if any row so far failed. */
static void bi_verdict(const char *noun)
{
    print_message("%s: %u bad-input checks, %u failed\n", noun, bi_rows, bi_failed);
    if (bi_skipped > 0)
        print_message("%s: %u rows with long timeouts not run: their function failed a row\n",
                      noun, bi_skipped);
    assert_int_equal(0, bi_failed);
}

#endif
