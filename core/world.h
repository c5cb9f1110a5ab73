/*
 * The world: every byte of runtime state, in one struct, shared by every process.
 *
 * mp_init() fills it and hands it to mp_port_init(), which makes it visible at the same
 * address in every process (MAP_SHARED on POSIX; plain memory on the task port). So
 * nothing in it may point outside it, and nothing outside it may be process state that
 * others need to see. Tables hold indices and generations, not pointers.
 *
 * Internal to core/: symbols here take the mpi_ prefix.
 */
#ifndef MP_CORE_WORLD_H
#define MP_CORE_WORLD_H

#include <stdatomic.h>
#include <stddef.h>

#include "mp/mp.h"
#include "mp_port.h"

#define MPI_BITWORDS(n) (((n) + 31u) / 32u)

/* Handle layout (see mp/types.h): kind 31..27, generation 26..12, index+1 11..0.
 * The kinds are numbered from objects.def, below. Every generation (a table entry's tag, a
 * process slot's) wraps within MPI_GEN_MASK, so it compares equal to a handle's. The
 * layout is these constants (from mp/types.h) and helpers: nothing else spells it out. */
#define MPI_KIND_SHIFT MP_HANDLE_KIND_SHIFT
#define MPI_GEN_SHIFT MP_HANDLE_GEN_SHIFT
#define MPI_GEN_MASK ((1u << (MPI_KIND_SHIFT - MPI_GEN_SHIFT)) - 1u)
#define MPI_INDEX_MASK 0xfffu

static inline uint32_t mpi_id_kind(uint32_t id)
{
    return id >> MPI_KIND_SHIFT;
}
static inline uint32_t mpi_id_gen(uint32_t id)
{
    return id >> MPI_GEN_SHIFT & MPI_GEN_MASK;
}

/* A process as the lock words name it: index+1 | generation << 12 (27 bits), so a lock
 * held by a process whose slot was since reused is seen as held by a dead owner. */
typedef uint32_t mpi_token_t;

/* What an interrupt handler is called in guard words and owner fields: index part 0, which
 * no process token has. Always "alive": a handler never dies holding anything, because it
 * never waits. */
#define MPI_ISR_TOKEN (MPI_GEN_MASK << MPI_GEN_SHIFT)

typedef enum {
    MPI_SLOT_FREE = 0,
    MPI_SLOT_CREATED, /* claimed, attributes copied, not started */
    MPI_SLOT_RUNNING, /* started; may have ended, not reaped yet */
    MPI_SLOT_JOINED,  /* reaped; exitcode valid; recyclable */
    MPI_SLOT_REAPED,  /* reaped by the port, exitcode kept; JOINED next (its reaper may die) */
} mpi_slot_state_t;

/* Packed by size, largest first: a slot's RAM is a published figure (ninja size). */
typedef struct {
    _Atomic uint32_t life;     /* port-kept: process id | MP_LIFE_DEAD when ended */
    mpi_token_t parent;        /* who reaps it: the creator, or its adopter; 0 for main */
    mpi_token_t creator;       /* the creator for good (parent_process()); 0 for main */
    _Atomic uint32_t pid;      /* port id: set by the child itself and by its parent */
    int32_t exitcode;          /* valid in JOINED */
    mp_process_fn target;
    uint16_t gen;              /* bumped on every free */
    uint16_t joined_seq;       /* order of reaping (mod 2^16), for recycling the oldest */
    uint16_t arg_size;
    uint16_t children;         /* children created so far, for their default names */
    _Atomic uint8_t state;     /* mpi_slot_state_t, written by the creator only */
    uint8_t daemon;
    uint8_t priority;
    uint8_t ident_depth;
    uint16_t ident[MP_CONF_IDENT_DEPTH];
    char name[MP_CONF_NAME_LEN];
    uint8_t arg[MP_CONF_ARG_SIZE]; /* copied to the child's stack before use: no alignment */
    mp_port_slot_t port;
} mpi_slot_t;

/* Every table entry but process slots starts with this one word, so that its lifetime
 * changes by single atomic steps:
 *   tag = generation << 16 | kind << 8 | flags      kind 0: free
 * Flags bits 0..5 are the object's own; MPI_OBJ_RETIRED marks an entry destroyed while a
 * caller may still be inside it: its generation has moved on (every handle to it is
 * stale), but it is not free until the last live caller has left (table.c). */
typedef struct {
    _Atomic uint32_t tag;
} mpi_obj_t;
#define MPI_OBJ_RETIRED 0x80u
#define MPI_OBJ_FLAGS 0x3fu

static inline uint32_t mpi_tag(uint32_t gen, uint32_t kind, uint32_t flags)
{
    return gen << 16 | kind << 8 | flags;
}
static inline uint32_t mpi_tag_gen(uint32_t tag)
{
    return tag >> 16;
}
static inline uint32_t mpi_tag_kind(uint32_t tag)
{
    return tag >> 8 & 0xffu;
}
/* The object's own flags (set once at create). */
static inline uint32_t mpi_obj_flags(const mpi_obj_t *h)
{
    return atomic_load_explicit(&h->tag, memory_order_relaxed) & MPI_OBJ_FLAGS;
}

/* A set of process slots, one bit each: who sleeps on a ring side, who uses a pipe end.
 * A bit belongs to the process in that slot, so a process that dies holding one can have
 * it cleared for it when it is joined (the slot cannot be reused before). */
typedef struct {
    _Atomic uint32_t bits[MPI_BITWORDS(MP_CONF_MAX_PROCESSES)];
} mpi_slots_t;

/* Lock word (also every internal lock, see guard.c): 0 = free; otherwise the owner's
 * token, plus MPI_LOCK_WAITERS when someone sleeps (or may sleep) on it, so that release
 * makes a wake call only then. Bit 30 is left clear, matching the robust-futex layout. */
#define MPI_LOCK_WAITERS 0x80000000u
#define MPI_LOCK_OWNER (MPI_GEN_MASK << MPI_GEN_SHIFT | MPI_INDEX_MASK)

/* An arena allocation: size 0 = free record. */
typedef struct {
    uint32_t offset;
    _Atomic uint32_t size;
} mpi_block_t;

/* What each process is doing that others may need to know when it dies or when they
 * destroy an object (table.c). Written by the process itself, so each record has a cache
 * line of its own: no two processes write one line on every call.
 * inside: the objects it is in a call on, innermost last (callbacks such as a barrier's
 *   action or a wait_for predicate may call in again, MPI_NEST deep at most);
 * asleep: the world offset of the slot set holding its sleeper bit, 0 when none;
 * suspended: 1 from mp_process_suspend to mp_process_resume (suspend.c), written by the
 *   process and its parent only, rarely; a process that suspended itself sleeps on it. */
#define MPI_NEST 4
typedef struct {
    _Alignas(MP_PORT_CACHE_LINE) _Atomic uint32_t inside[MPI_NEST];
    uint32_t depth;
    _Atomic uint32_t asleep;
    uint32_t used; /* bit 1 << kind: kinds whose tables keep something of it by slot */
    /* mp_wait (wait.c): the words it watches as world offsets (0: none), the sleeper sets
     * it joined so that their wakers wake those words, and the word it sleeps on, which a
     * wake of any watched word moves. Written by others only through wait_seq. */
    _Atomic uint32_t watch[MP_CONF_WAIT_OBJECTS];
    _Atomic uint32_t watch_set[MP_CONF_WAIT_OBJECTS];
    _Atomic uint32_t wait_seq;
    _Atomic uint32_t suspended;
    mpi_token_t self; /* its token, set with the slot: every call reads it (mpi_enter) */
} mpi_proc_t;

/* An object's name (mp/name.h): id is published last, so a reader that finds it finds
 * the name written. */
typedef struct {
    _Atomic uint32_t id;
    char name[MP_CONF_NAME_LEN];
} mpi_name_t;

/* A process's exit hooks (mp_atexit, atexit.c), kept by slot in the world rather than in
 * the process's own memory: its creator clears them before it starts, so a child never
 * begins with its parent's, whatever fork copied. Only the process itself writes them. */
typedef struct {
    uint32_t count;
    struct {
        mp_atexit_fn fn;
        void *arg; /* meaningful in the registering process only, which alone runs it */
    } hook[MP_CONF_EXIT_HOOKS > 0 ? MP_CONF_EXIT_HOOKS : 1];
} mpi_exit_hooks_t;

/* A text being written into a buffer of the caller's, always NUL-terminated; n counts
 * what did not fit too (world.c). */
typedef struct {
    char *buf;
    size_t size, n;
} mpi_text_t;
void mpi_text_add(mpi_text_t *t, const char *s);
void mpi_text_u(mpi_text_t *t, uint32_t v);
void mpi_text_i(mpi_text_t *t, int32_t v);

/* ---- tables of objects (table.c) ----------------------------------------------------- */
typedef struct mpi_table {
    void *base;
    size_t stride;
    uint32_t count;
    uint32_t kind;
    _Atomic uint32_t *free;
    /* Gives back what a destroyed entry owns (arena storage, its own lock), once no live
     * caller is inside it any more. NULL: nothing to give back. */
    void (*release)(void *obj, uint32_t flags);
    /* A process that set this kind's bit in `used` (its mpi_proc_t, mpi_proc_uses) was
     * reaped: drop what the table keeps about it by slot. NULL: nothing. */
    void (*forget)(uint32_t slot);
    /* For mp_dump: a line's worth about the live entry at obj ("3 of 8 messages"),
     * from reads alone (a snapshot: others may change it meanwhile). NULL: nothing more
     * than its kind and index. */
    void (*describe)(const void *obj, mpi_text_t *text);
    /* The table's high-water mark and its creates refused for want of an entry (mp_dump),
     * shared by the kinds that share the table. */
    _Atomic uint32_t *most;
    _Atomic uint32_t *refused;
    /* For deadlock reports: the words of an entry of this kind processes sleep on. */
    const struct mpi_wait_word *words;
    uint32_t n_words;
    /* mp_wait: whether entry `id` is ready (a get, acquire or wait would not block; nothing
     * is consumed), and with arm, first registers the caller through mpi_watch_add so that
     * any change that could make it ready wakes the caller. NULL: not a kind to wait on. */
    mp_err_t (*watch)(uint32_t id, bool arm, bool *ready);
    /* mp_wait's look, optional: whether the entry at obj is ready, from reads alone, so that
     * a look needs no enter (wait.c checks the entry stayed live around it). */
    bool (*ready)(const void *obj);
    /* Entries are used only by the process that created them, which alone destroys them
     * (or, once it died, whoever reaps it: its records are cleared by then), and every other
     * caller is turned away reading no more than the entry's owner (a Pool's results). A
     * destroy then frees the entry without mp_port_fence: the only caller that can be inside
     * is the destroyer itself, nested, and its own records need none. */
    bool owned;
} mpi_table_t;

/* A word processes sleep on in a table's entry, for deadlock reports: what they wait for
 * ("a message in Queue #", the entry's index follows); `count` such words in a row (one
 * per process slot); MPI_WORD_HOLDER: a lock word, whose holder is named too. */
typedef struct mpi_wait_word {
    uint16_t offset;
    uint16_t count;
    uint32_t flags;
    const char *what;
} mpi_wait_word_t;
#define MPI_WORD_HOLDER 1u

/* A descriptor's wait words, kept only where deadlock reports are built. */
#define MPI_TABLE_WORDS(words_)                                                              \
    .words = MP_CONF_DEADLOCK_REPORT ? (words_) : NULL,                                      \
    .n_words = MP_CONF_DEADLOCK_REPORT ? sizeof(words_) / sizeof(words_)[0] : 0

/* A descriptor's describe hook, kept only where mp_dump describes objects. */
#define MPI_TABLE_DESCRIBE(fn) .describe = MP_CONF_DUMP_OBJECTS ? (fn) : NULL

/* A descriptor's storage fields, for the table `store` registered in objects.def. */
#define MPI_TABLE_STORE(store)                                                               \
    .base = mpi_world.store, .stride = sizeof mpi_world.store[0],                            \
    .count = MPI_COUNT_##store, .free = mpi_world.store##_free,                              \
    .most = &mpi_world.store##_most, .refused = &mpi_world.store##_refused

/* Who is calling, and on which object. Every public call on an object enters it first
 * (mpi_enter) and leaves it last (mpi_leave): between the two, the caller is recorded in
 * its process's `inside` list, so a destroy that happens meanwhile retires the entry but
 * never frees or reuses it, and the caller sees the retirement when it looks again. */
typedef struct {
    void *obj;               /* NULL: a call on no object (creates) */
    const mpi_table_t *table;
    uint32_t id;             /* the object's own id: kind | generation | index + 1 */
    uint32_t slot;           /* the caller's process slot; MPI_NO_SLOT in a handler */
    mpi_token_t self;        /* the caller's token; MPI_ISR_TOKEN in a handler */
} mpi_call_t;
#define MPI_NO_SLOT UINT32_MAX

/* A timeout turned into a deadline only when a wait really starts (the clock is not free). */
typedef struct {
    mp_timeout_t timeout;
    bool known;
    mp_time_t deadline;
} mpi_until_t;

static inline mpi_until_t mpi_until(mp_timeout_t timeout)
{
    return (mpi_until_t){timeout, false, 0};
}
/* ---- the objects (objects.def) ------------------------------------------------------- */
/* Each kind's private types and internal calls, from its own header. */
#include "objects.def"

/* Handle kinds, in objects.def order (a handle has 5 bits for its kind). */
enum {
    MPI_KIND_PROCESS = 1,
#define MPI_KIND(K, name) MPI_KIND_##K,
#include "objects.def"
    MPI_KIND_END
};
_Static_assert(MPI_KIND_END <= 1u << (32u - MPI_KIND_SHIFT), "a handle has 5 bits for its kind");
_Static_assert(MPI_KIND_END <= 32, "mpi_proc_t.used has a bit per kind");
_Static_assert(MPI_GEN_MASK <= 0xffffu, "a tag and a process slot keep 16 bits of generation");

/* Each table's entry count, and its arena blocks at most (MPI_STORE's last argument:
 * storage the entry may take from the arena, e.g. a pipe's two rings). */
enum {
#define MPI_STORE(type, store, count, blocks) MPI_COUNT_##store = (count),
#include "objects.def"
};
enum {
    MPI_ARENA_BLOCKS = 1 /* a spare record */
#define MPI_STORE(type, store, count, blocks) + (count) * (blocks)
#include "objects.def"
};
#define MPI_TABLE(type, name, count)                                                          \
    _Atomic uint32_t name##_free[MPI_BITWORDS(count) ? MPI_BITWORDS(count) : 1];             \
    _Atomic uint32_t name##_most, name##_refused;                                            \
    type name[(count) ? (count) : 1]

typedef struct {
    uint32_t ready; /* MPI_WORLD_READY once mp_init() has run */
    uint32_t asym;  /* mp_port_fence works: hot paths may skip their fences */
    _Atomic uint32_t join_seq;
    _Atomic uint32_t checks_failed;
    _Atomic uint32_t slot_free[MPI_BITWORDS(MP_CONF_MAX_PROCESSES)];
    _Atomic uint32_t slot_most, slot_refused; /* as a table's (mpi_table_t) */
    mpi_slot_t slots[MP_CONF_MAX_PROCESSES];
    mpi_proc_t procs[MP_CONF_MAX_PROCESSES];
    mpi_slots_t watching; /* processes inside mp_wait with words registered */
    mpi_exit_hooks_t exit_hooks[MP_CONF_MAX_PROCESSES];
#define MPI_STORE(type, store, count, blocks) MPI_TABLE(type, store, count);
#include "objects.def"
    /* mp_object_set_name (name.c): id 0 = a free entry */
    _Atomic uint32_t names_free[MPI_BITWORDS(MP_CONF_MAX_NAMES) ? MPI_BITWORDS(MP_CONF_MAX_NAMES) : 1];
    _Atomic uint32_t names_most, names_refused, names_guard;
    mpi_name_t names[MP_CONF_MAX_NAMES ? MP_CONF_MAX_NAMES : 1];
    _Atomic uint32_t arena_guard;
    _Atomic uint32_t arena_most; /* bytes in live blocks, at most so far */
    mpi_block_t blocks[MPI_ARENA_BLOCKS];
    _Alignas(MP_PORT_CACHE_LINE) uint8_t arena[MP_CONF_ARENA_SIZE > 0 ? MP_CONF_ARENA_SIZE : 64];
} mpi_world_t;

#define MPI_WORLD_READY 0x6d707374u /* "mpst" */

/* What the tables and the ports rely on, checked where the sizes are chosen. */
#define MPI_STORE(type, store, count, blocks)                                                \
    _Static_assert(offsetof(type, hdr) == 0, #type ": the tag comes first");                 \
    _Static_assert((count) <= MPI_INDEX_MASK, #store ": a handle has 12 bits for the index");
#include "objects.def"
_Static_assert(MP_CONF_MAX_PROCESSES <= MPI_INDEX_MASK, "a token has 12 bits for the slot");
_Static_assert(sizeof(mpi_world_t) < UINT32_MAX, "world offsets are 32-bit");
_Static_assert(sizeof(_Atomic uint32_t) == 4 && _Alignof(_Atomic uint32_t) == 4,
               "ports wait on 32-bit words (futex)");
_Static_assert(((MPI_LOCK_WAITERS | MPI_LOCK_OWNER) & 0x40000000u) == 0,
               "bit 30 of a lock word is the robust futex's OWNER_DIED");
_Static_assert((MPI_LOCK_OWNER & MPI_ISR_TOKEN) == MPI_ISR_TOKEN, "the handler token is an owner");

extern mpi_world_t mpi_world;

/* ---- handles ---------------------------------------------------------------------- */
static inline uint32_t mpi_handle_make(uint32_t kind, uint32_t gen, uint32_t index)
{
    return kind << MPI_KIND_SHIFT | (gen & MPI_GEN_MASK) << MPI_GEN_SHIFT | (index + 1u);
}

/* Splits a handle of the given kind over a table of count entries. MP_EHANDLE for a zero,
 * foreign or out-of-range id; the caller compares the generation (MP_ESTALE). */
mp_err_t mpi_handle_split(uint32_t id, uint32_t kind, uint32_t count, uint32_t *index,
                          uint32_t *gen);

static inline uint32_t mpi_gen_next(uint32_t gen)
{
    gen = (gen + 1u) & MPI_GEN_MASK;
    return gen ? gen : 1u;
}

/* ---- bitmaps of free table entries (1 = free) ------------------------------------- */
void mpi_bits_fill(_Atomic uint32_t *bits, uint32_t count);
bool mpi_bits_take(_Atomic uint32_t *bits, uint32_t count, uint32_t *index);
void mpi_bits_give(_Atomic uint32_t *bits, uint32_t index);
/* Entries taken in a table of count entries; and raising a high-water mark to n. */
uint32_t mpi_bits_used(_Atomic uint32_t *bits, uint32_t count);
void mpi_most(_Atomic uint32_t *most, uint32_t n);

/* The fast side of a handshake with mp_port_fence() (or a plain fence when the port has
 * none): orders this process's earlier stores before its later loads. */
static inline void mpi_light_fence(void)
{
    atomic_signal_fence(memory_order_seq_cst);
    if (!MP_PORT_ONE_CPU && !mpi_world.asym)
        atomic_thread_fence(memory_order_seq_cst);
}

/* The hot paths' acquire loads and release stores (entering and leaving objects, a ring's
 * indices and marks): on one CPU (MP_PORT_ONE_CPU) the order only has to survive the
 * compiler, so the fences are signal fences and the accesses relaxed. */
static inline uint32_t mpi_load_acquire(_Atomic uint32_t *p)
{
    if (!MP_PORT_ONE_CPU)
        return atomic_load_explicit(p, memory_order_acquire);
    uint32_t v = atomic_load_explicit(p, memory_order_relaxed);
    atomic_signal_fence(memory_order_acquire);
    return v;
}
static inline void mpi_store_release(_Atomic uint32_t *p, uint32_t v)
{
    if (!MP_PORT_ONE_CPU) {
        atomic_store_explicit(p, v, memory_order_release);
        return;
    }
    atomic_signal_fence(memory_order_release);
    atomic_store_explicit(p, v, memory_order_relaxed);
}

/* The same for the other atomics of the hot paths (semaphores, events, the guard word,
 * sleepers, a ring's bells): one helper per operation, its C11 call with the order it
 * needs on several CPUs, which on one CPU becomes relaxed between two compiler barriers. */
#define MPI_HOT(order) (MP_PORT_ONE_CPU ? memory_order_relaxed : (order))
#define MPI_HOT_FENCE()                                                                      \
    do {                                                                                     \
        if (MP_PORT_ONE_CPU)                                                                 \
            atomic_signal_fence(memory_order_seq_cst);                                       \
    } while (0)
#define MPI_HOT_OP(type, name, params, call)                                                 \
    static inline type name params                                                          \
    {                                                                                        \
        MPI_HOT_FENCE();                                                                     \
        type r_ = call;                                                                      \
        MPI_HOT_FENCE();                                                                     \
        return r_;                                                                           \
    }
#define MPI_SC MPI_HOT(memory_order_seq_cst)
MPI_HOT_OP(uint32_t, mpi_load, (_Atomic uint32_t *p), atomic_load_explicit(p, MPI_SC))
MPI_HOT_OP(uint32_t, mpi_exchange, (_Atomic uint32_t *p, uint32_t v),
           atomic_exchange_explicit(p, v, MPI_SC))
MPI_HOT_OP(uint32_t, mpi_exchange_release, (_Atomic uint32_t *p, uint32_t v),
           atomic_exchange_explicit(p, v, MPI_HOT(memory_order_release)))
MPI_HOT_OP(uint32_t, mpi_fetch_or, (_Atomic uint32_t *p, uint32_t v),
           atomic_fetch_or_explicit(p, v, MPI_SC))
MPI_HOT_OP(uint32_t, mpi_fetch_and, (_Atomic uint32_t *p, uint32_t v),
           atomic_fetch_and_explicit(p, v, MPI_SC))
MPI_HOT_OP(uint32_t, mpi_fetch_add, (_Atomic uint32_t *p, uint32_t v),
           atomic_fetch_add_explicit(p, v, MPI_SC))
MPI_HOT_OP(bool, mpi_cas_weak, (_Atomic uint32_t *p, uint32_t *expected, uint32_t desired),
           atomic_compare_exchange_weak_explicit(p, expected, desired, MPI_SC, MPI_SC))
MPI_HOT_OP(bool, mpi_cas, (_Atomic uint32_t *p, uint32_t *expected, uint32_t desired),
           atomic_compare_exchange_strong_explicit(p, expected, desired, MPI_SC, MPI_SC))
MPI_HOT_OP(bool, mpi_cas_acquire, (_Atomic uint32_t *p, uint32_t *expected, uint32_t desired),
           atomic_compare_exchange_strong_explicit(p, expected, desired,
                                                   MPI_HOT(memory_order_acquire),
                                                   memory_order_relaxed))
static inline void mpi_store(_Atomic uint32_t *p, uint32_t v)
{
    MPI_HOT_FENCE();
    atomic_store_explicit(p, v, MPI_SC);
    MPI_HOT_FENCE();
}

/* Every kind's table, by kind (NULL for the kinds that have none), for the code that
 * meets an object only by its id (reclaiming after a death, waits that check staleness)
 * and for what goes over every table (mp_init, mp_usage, deadlock reports). */
const mpi_table_t *mpi_table_of(uint32_t kind);

/* The caller's process keeps something in kind's table by slot (a pipe end's users):
 * that table's forget callback runs when the process is reaped. Before the first use. */
static inline void mpi_proc_uses(const mpi_call_t *c, uint32_t kind)
{
    mpi_world.procs[c->slot].used |= 1u << kind;
}

/* Who is calling, for calls on no object: MP_OK, MP_ENOINIT, or MP_EFORKED (a copy made
 * by a raw fork(), which has no identity of its own). */
mp_err_t mpi_caller(mpi_call_t *c);
/* The same for the calls only a process may make (creating, starting, joining): MP_EISR
 * in an interrupt handler, first. */
mp_err_t mpi_process_caller(mpi_call_t *c);

/* The out-of-line halves of mpi_enter_at and mpi_leave, for everything but the common
 * path: a handler, a stale handle, a destroyed object, a raw fork() copy. */
mp_err_t mpi_enter_slow(mpi_call_t *c, const mpi_table_t *t, uint32_t index, uint32_t gen);
mp_err_t mpi_enter_id_slow(mpi_call_t *c, const mpi_table_t *t, uint32_t id);
mp_err_t mpi_leave_slow(mpi_call_t *c, mp_err_t result);
static inline mp_err_t mpi_leave(mpi_call_t *c, mp_err_t result);

/* Enters the live entry (index, gen) of t: MP_OK, or MP_ENOINIT / MP_EFORKED / MP_ESTALE
 * (nothing entered), or MP_ENOSLOT when callbacks nest deeper than MPI_NEST. Inline: it
 * is on every call's path (announce, fence, one compare). */
static inline mp_err_t mpi_enter_at(mpi_call_t *c, const mpi_table_t *t, uint32_t index,
                                    uint32_t gen)
{
    if (mp_port_in_isr())
        return mpi_enter_slow(c, t, index, gen);
    uint32_t slot = mp_port_self();
    if (slot >= MP_CONF_MAX_PROCESSES)
        return mpi_enter_slow(c, t, index, gen);
    mpi_proc_t *me = &mpi_world.procs[slot];
    uint32_t d = me->depth;
    if (d >= MPI_NEST)
        return MP_ENOSLOT;
    mpi_obj_t *h = (mpi_obj_t *)((uint8_t *)t->base + index * t->stride);
    c->obj = h;
    c->table = t;
    c->id = mpi_handle_make(t->kind, gen, index);
    c->slot = slot;
    c->self = me->self;
    atomic_store_explicit(&me->inside[d], c->id, memory_order_relaxed);
    me->depth = d + 1u;
    mpi_light_fence(); /* announced before the tag is read: pairs with mpi_retire */
    uint32_t tag = mpi_load_acquire(&h->tag);
    if ((tag & ~MPI_OBJ_FLAGS) == mpi_tag(gen, t->kind, 0))
        return MP_OK;
    return mpi_leave(c, MP_ESTALE); /* may be the last one a destroyer left it to */
}

static inline void *mpi_obj_at(const mpi_table_t *t, uint32_t index)
{
    return (uint8_t *)t->base + index * t->stride;
}

/* The same from a handle: MP_EHANDLE for one of another kind or out of range. */
static inline mp_err_t mpi_enter(mpi_call_t *c, const mpi_table_t *t, uint32_t id)
{
    uint32_t index = (id & MPI_INDEX_MASK) - 1u;
    if (mpi_id_kind(id) != t->kind || index >= t->count || mpi_world.ready != MPI_WORLD_READY)
        return mpi_enter_id_slow(c, t, id); /* sorts out which code applies */
    return mpi_enter_at(c, t, index, mpi_id_gen(id));
}

/* A look that changes nothing (mp_wait's), without entering: the live entry of t that id
 * names, or NULL whenever anything is unusual (not the kind, out of range, not live, no
 * runtime, a raw fork() copy), for which the caller enters instead, which sorts out the
 * code. Entries never move and their memory stays, so reading one that is destroyed
 * meanwhile is harmless; mpi_peek_still says whether it was, after the reads. */
static inline mpi_obj_t *mpi_peek(const mpi_table_t *t, uint32_t id)
{
    uint32_t index = (id & MPI_INDEX_MASK) - 1u;
    if (mpi_id_kind(id) != t->kind || index >= t->count || mpi_world.ready != MPI_WORLD_READY ||
        (mp_port_self() >= MP_CONF_MAX_PROCESSES && !mp_port_in_isr()))
        return NULL;
    mpi_obj_t *h = mpi_obj_at(t, index);
    uint32_t tag = atomic_load_explicit(&h->tag, memory_order_acquire);
    return (tag & ~MPI_OBJ_FLAGS) == mpi_tag(mpi_id_gen(id), t->kind, 0) ? h : NULL;
}
static inline bool mpi_peek_still(const mpi_obj_t *h, uint32_t id)
{
    atomic_thread_fence(memory_order_acquire); /* the reads of the entry come first */
    uint32_t tag = atomic_load_explicit(&h->tag, memory_order_relaxed);
    return (tag & ~MPI_OBJ_FLAGS) == mpi_tag(mpi_id_gen(id), mpi_id_kind(id), 0);
}

/* Leaves; returns result, or MP_ESTALE instead of a failure if the object was destroyed
 * meanwhile (a success stands: its effect may have been seen). The last caller out of a
 * destroyed object frees it. */
static inline mp_err_t mpi_leave(mpi_call_t *c, mp_err_t result)
{
    if (c->slot == MPI_NO_SLOT)
        return result;
    mpi_proc_t *me = &mpi_world.procs[c->slot];
    uint32_t d = me->depth - 1u;
    mpi_store_release(&me->inside[d], 0);
    me->depth = d;
    mpi_light_fence(); /* gone before the tag is read: pairs with mpi_leave_retired */
    const mpi_obj_t *h = c->obj;
    if (mpi_tag_gen(atomic_load_explicit(&h->tag, memory_order_relaxed)) == mpi_id_gen(c->id))
        return result;
    return mpi_leave_slow(c, result);
}

/* Whether the object c is in has been destroyed (for loops that look again). */
bool mpi_retired(const mpi_call_t *c);
/* Destroys the object c is in: its handles go stale at once; the entry is freed when the
 * last live caller has left (now, if none is inside). The caller then wakes whoever
 * sleeps in the object, after changing each word they sleep on, and calls mpi_leave_retired.
 * MP_ESTALE if someone else destroyed it first. */
mp_err_t mpi_retire(mpi_call_t *c);
mp_err_t mpi_leave_retired(mpi_call_t *c);

/* Claims a free entry for a create: MP_ENOINIT, MP_ENOSLOT, or MP_OK with *obj (still
 * invisible to handles) and *index; mpi_obj_publish makes it live and returns its id. */
mp_err_t mpi_obj_alloc(const mpi_table_t *t, void **obj, uint32_t *index);
uint32_t mpi_obj_publish(const mpi_table_t *t, void *obj, uint32_t flags);
/* Gives back an entry claimed by mpi_obj_alloc and never published. */
void mpi_obj_unalloc(const mpi_table_t *t, void *obj);

/* A process has been reaped (process.c): drop what it left behind (its sleeper bit, its
 * place inside objects, which may let a destroyed object be freed). */
void mpi_proc_forget(uint32_t slot);

/* ---- slot sets ---------------------------------------------------------------------- */
static inline void mpi_slots_add(mpi_slots_t *set, uint32_t slot)
{
    (void)mpi_fetch_or(&set->bits[slot / 32u], 1u << (slot % 32u));
}
static inline void mpi_slots_remove(mpi_slots_t *set, uint32_t slot)
{
    (void)mpi_fetch_and(&set->bits[slot / 32u], ~(1u << (slot % 32u)));
}
static inline bool mpi_slots_has(const mpi_slots_t *set, uint32_t slot)
{
    return atomic_load_explicit(&set->bits[slot / 32u], memory_order_relaxed) & 1u << (slot % 32u);
}
static inline bool mpi_slots_any(const mpi_slots_t *set)
{
    for (uint32_t w = 0; w < MPI_BITWORDS(MP_CONF_MAX_PROCESSES); w++)
        if (atomic_load_explicit(&set->bits[w], memory_order_relaxed) != 0)
            return true;
    return false;
}
static inline void mpi_slots_clear(mpi_slots_t *set)
{
    for (uint32_t w = 0; w < MPI_BITWORDS(MP_CONF_MAX_PROCESSES); w++)
        atomic_store(&set->bits[w], 0);
}

/* Registers the caller as a sleeper in set (recorded in its process record first, so
 * that if it dies here its bit is cleared when it is joined), and unregisters it. */
void mpi_sleeper_add(const mpi_call_t *c, mpi_slots_t *set);
void mpi_sleeper_remove(const mpi_call_t *c, mpi_slots_t *set);

/* ---- waiting on several objects (wait.c) ------------------------------------------------ */
/* Wakes up to n sleepers on word, and every process in mp_wait that watches it. Every
 * wake of a word that a watch hook registers goes through here. Out of line: a wake is a
 * system call or a pass of the scheduler already. */
void mpi_wake(_Atomic uint32_t *word, uint32_t n);
/* For a watch hook arming: the caller (slot) is to be woken by any wake of word, and joins
 * set (NULL: none; the object's wakers wake only when someone is in it). Both are undone
 * when mp_wait returns, or when the caller is reaped. */
void mpi_watch_add(uint32_t slot, _Atomic uint32_t *word, mpi_slots_t *set);
/* A reaped process's registrations (mpi_proc_forget). */
void mpi_watch_forget(uint32_t slot);
/* Writes "any of: ..." for a word mp_wait sleeps on; 0 if addr is none. */
size_t mpi_watch_describe(const void *addr, char *buf, size_t size);

/* ---- names (name.c) ------------------------------------------------------------------ */
/* Names whose object is live (an entry is freed lazily, when a name is next given). */
uint32_t mpi_names_live(void);

/* ---- the arena ------------------------------------------------------------------------ */
/* size bytes (computed by the caller in 64 bits: no size from user input can wrap),
 * aligned to MP_PORT_CACHE_LINE, zero-filled. MP_ENOMEM when no gap is large enough,
 * MP_EAGAIN when another process holds the arena's guard too long (it may be stopped). */
mp_err_t mpi_arena_alloc(const mpi_call_t *c, uint64_t size, uint32_t *offset);
void mpi_arena_free(uint32_t offset);
static inline void *mpi_at(uint32_t offset)
{
    return (uint8_t *)&mpi_world + offset;
}
static inline uint32_t mpi_offset(const void *p)
{
    return (uint32_t)((const uint8_t *)p - (const uint8_t *)&mpi_world);
}

/* ---- guards: robust locks on a bare word (guard.c) -------------------------------------- */
mp_time_t mpi_until_deadline(mpi_until_t *u);

/* Takes the guard for c's caller: MP_OK, MP_EOWNERDEAD (taken; the previous holder died),
 * MP_EAGAIN (MP_NOWAIT, held by another live process), MP_ETIMEDOUT, or MP_ESTALE (c's
 * object was destroyed while waiting). */
mp_err_t mpi_guard_take(const mpi_call_t *c, _Atomic uint32_t *word, mpi_until_t *until);
void mpi_guard_give(_Atomic uint32_t *word);
static inline bool mpi_guard_mine(_Atomic uint32_t *word, mpi_token_t self)
{
    return (atomic_load_explicit(word, memory_order_relaxed) & MPI_LOCK_OWNER) == self;
}

/* Spins up to MP_PORT_SPIN rounds while *word == value; true if it changed. */
bool mpi_spin_while(_Atomic uint32_t *word, uint32_t value);

/* Internal guards that calls without a timeout take (the arena, a barrier's state in
 * abort/reset) are held for a few instructions; a holder that is stopped could still
 * keep them: such a call waits this long, then answers MP_EAGAIN instead of hanging. */
#define MPI_PATIENCE_MS 1000u

/* ---- processes, as other objects need them ---------------------------------------- */
mpi_token_t mpi_token_of(uint32_t slot);
bool mpi_token_alive(mpi_token_t token);
bool mpi_slot_alive(uint32_t slot);
void mpi_token_name(mpi_token_t token, char *buf, size_t size);
/* mp_wait on a process (process.c): the table-less kind's watch hook. */
mp_err_t mpi_process_watch(uint32_t id, bool arm, bool *ready);

/* Runs and removes the exit hooks of the process in slot (the caller), last first. */
void mpi_exit_hooks_run(uint32_t slot);

/* The live process a handle names, for caller c (handlers may ask); and the checks of
 * join/terminate: a started child of the caller (MP_ESELF with *index set: the caller). */
mp_err_t mpi_process_lookup(mp_process_t p, uint32_t *index, mpi_call_t *c);
mp_err_t mpi_process_child(mp_process_t p, uint32_t *index);

/* Whether the live process of token t is suspended (deadlock reports). */
bool mpi_token_suspended(mpi_token_t t);

/* A call that could wait, made from an interrupt handler: refused with MP_EISR. */
static inline bool mpi_isr_would_block(mp_timeout_t timeout)
{
    return timeout != MP_NOWAIT && mp_port_in_isr();
}

/* ---- internal checks ----------------------------------------------------------------- */
/* MPI_CHECK(cond) is cond; when it is false (state that cannot arise unless memory was
 * overwritten or the core has a bug) it goes through mpi_check_failed first, the one hook
 * for such checks: counted, or fatal with MP_CONF_CHECK_FATAL. The caller then goes on
 * with a safe value. Argument checks are not this: bad input gets its code. */
#define MPI_CHECK(cond) (__builtin_expect(!!(cond), 1) || mpi_check_failed())
bool mpi_check_failed(void);

/* The one rule for a call not allowed to wait (MP_NOWAIT) that would have to: MP_EAGAIN,
 * on every object. MP_ETIMEDOUT means a wait happened and its deadline passed. */
static inline mp_err_t mpi_no_wait(mp_timeout_t timeout, mp_err_t err)
{
    return timeout == MP_NOWAIT && err == MP_ETIMEDOUT ? MP_EAGAIN : err;
}

/* ---- time and waiting --------------------------------------------------------------- */
mp_time_t mpi_deadline(mp_timeout_t timeout);

/* mp_port_wait that also returns now and then when the port detects deaths by looking
 * (MP_PORT_LIVENESS_NS), so a caller can re-check its owner's life; and MP_ESTALE once
 * the object of the call c (if any) has been destroyed. */
mp_err_t mpi_wait(const mpi_call_t *c, _Atomic uint32_t *addr, uint32_t expected,
                  mp_time_t deadline);


/* A table size as a value, not a constant: loops over tables configured to 0 entries then
 * compile without "comparison is always false" warnings. */
static inline uint32_t mpi_count(uint32_t n)
{
    return n;
}

/* Whether a name fits a name field of MP_CONF_NAME_LEN bytes, its NUL included. */
static inline bool mpi_name_fits(const char *name)
{
    for (uint32_t i = 0; i < MP_CONF_NAME_LEN; i++)
        if (name[i] == '\0')
            return true;
    return false;
}

/* a == b as strings (strcmp is not among what core/ may take from libc) */
static inline bool mpi_streq(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b)
        a++, b++;
    return *a == *b;
}
/* mp_init's check of the program's configuration (core/config.c); the text of the last
 * mismatch, which mp_strerror gives for MP_ECONFIG, or empty. */
mp_err_t mpi_config_check(const uint32_t *options, uint32_t count);
extern char mpi_config_mismatch[];

/* Small freestanding text helpers (no printf in the core). */
size_t mpi_strlcpy(char *dst, const char *src, size_t size);
size_t mpi_utoa(char *dst, size_t size, uint32_t value);

#endif
