/*
 * The reference model the fuzzer checks the runtime against: what every table, object,
 * message and process should hold after each call, kept in plain C next to the runtime
 * (on the host simulation every task shares memory, so children update the same model).
 *
 * It predicts from the documented rules (README, headers, RULES.md) and from the
 * validation order read in core/ (which argument is checked first decides between
 * MP_EINVAL, MP_EHANDLE and MP_ESTALE). Table slots are predicted exactly: the lowest free
 * entry, and a generation that moves on every free, as core/table.c does; the arena is
 * predicted exactly too (first fit over the same candidate order as core/arena.c), so
 * MP_ENOMEM and mp_usage() can be compared after every call.
 */
#ifndef FUZZ_MODEL_H
#define FUZZ_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mp/mp.h"
#include "world.h" /* MPI_KIND_*: the handle's kind bits, not any internal structure */

#define M_PROCS MP_CONF_MAX_PROCESSES
#define M_ISR_TOKEN (MPI_GEN_MASK << MPI_GEN_SHIFT) /* an interrupt handler, in owner fields */

/* The tables a handle can name (processes are kept apart: their slots have states). */
enum { T_LOCK, T_QUEUE, T_PIPE, T_VALUE, T_SEM, T_EVENT, T_COND, T_BARRIER, T_DICT, T_LIST,
       T_POOL, T_RESULT, T_SLAB, T_COUNT };

typedef struct {
    uint16_t gen;
    uint8_t kind;   /* MPI_KIND_* of the live object; 0 = free */
    uint8_t zombie; /* destroyed while a caller was inside: stale, not reusable yet */
} m_hdr_t;

/* ---- messages: a FIFO of (length, pattern seed) records from one pool -------------- */
typedef struct {
    int32_t head, tail; /* record indices, -1 = empty */
    uint32_t count;
} m_fifo_t;

void m_fifo_clear(m_fifo_t *f);
bool m_fifo_push(m_fifo_t *f, uint32_t len, uint32_t seed);
/* The head's (length, seed); false when empty. */
bool m_fifo_head(const m_fifo_t *f, uint32_t *len, uint32_t *seed);
void m_fifo_pop(m_fifo_t *f);

/* Message bytes are a function of (seed, index), so the model keeps no copies. */
static inline uint8_t m_pattern(uint32_t seed, size_t i)
{
    return (uint8_t)(seed * 167u + i * 13u + (i >> 8) * 7u + 1u);
}

/* ---- ring sides: who a queue's or pipe's producer (consumer) side is biased to ---------- */
/* core/ring.c: the first process to use a side gets it biased; a successor of a dead owner
 * inherits it; a second live user revokes it for good. A biased operation marks the side
 * busy while it runs, so a process killed inside one leaves the mark set. */
#define M_BIAS_OFF 0xffffffffu
typedef struct {
    uint32_t bias; /* token, 0 = none yet, M_BIAS_OFF */
    bool busy;     /* left set by a process killed inside a biased operation */
} m_side_t;
enum { VIA_GUARD, VIA_BIAS, VIA_HANDLER,
       VIA_HANG,      /* revoking a live owner's bias while the mark is stuck (defect 10) */
       VIA_ISR_AGAIN  /* a handler finds a live owner's side marked busy (defect 10) */ };
/* What the runtime's enter() would do for the running process; with commit, the bias
 * changes it makes. */
int m_side_enter(m_side_t *s, bool commit);
/* The operation that entered via `via` completed (died: false). */
void m_side_leave(m_side_t *s, int via, bool completed);

/* ---- objects ------------------------------------------------------------------------ */
typedef struct {
    uint32_t holder; /* token of the holder, 0 = free */
    uint32_t depth;  /* RLock levels (1 for a held Lock) */
    int owner_value; /* value slot whose own RLock this is, -1 */
    int owner_cond;  /* condition slot whose own RLock this is, -1 */
    uint32_t cond_users; /* live conditions that were handed this lock */
    bool owned;      /* made by a Value/Array or Condition: it goes with its last user */
} m_lock_t;

typedef struct {
    uint32_t msg_size, depth, limit;
    bool joinable, arena, closed;
    int block;      /* arena record, or -1 */
    int static_buf; /* harness buffer used as static storage, or -1 */
    m_fifo_t fifo;
    uint32_t unfinished;
    m_side_t side[2]; /* producers, consumers */
} m_queue_t;

typedef struct {
    bool duplex;
    uint32_t msg_size, depth;
    bool closed[2];
    m_fifo_t ring[2]; /* duplex: [0] a -> b, [1] b -> a; one-way: [0] b -> a */
    int block[2];
    uint32_t creator;           /* token */
    uint32_t users[2][M_PROCS]; /* per end, per process slot: the user's token or 0 */
    bool other_used[2];         /* a process other than the creator used the end */
    uint32_t last_user[2];      /* the old rule (FUZZ_AVOID=8): the last user owns it */
    m_side_t side[2][2];        /* [ring][producers, consumers] */
    bool gone[2];               /* every user of the end died and its peer was told EOF */
} m_pipe_t;

typedef struct {
    uint8_t type, elem;
    uint32_t length;
    bool raw;
    int rlock;  /* lock slot of its RLock, -1 when raw */
    int block;  /* arena record of an Array's data, -1 for a Value */
    uint8_t inline_data[8];
} m_value_t;

typedef struct {
    uint32_t count, bound;
} m_sem_t;

typedef struct {
    bool set;
} m_event_t;

typedef struct {
    bool own;
    uint8_t lock_kind; /* MPI_KIND_LOCK or MPI_KIND_RLOCK */
    uint32_t lock_id;  /* handle of its lock */
    int lock_slot;     /* that lock's table slot */
    /* only the main process ever waits across a switch (children wait with MP_NOWAIT) */
    bool main_waiting, main_notified;
} m_cond_t;

typedef struct {
    uint32_t parties, arrived;
    bool broken, has_action;
    bool main_waiting;
    mp_err_t main_result;
    bool main_released;
} m_barrier_t;

/* ---- Manager containers (core/records.h): what every Dict and List shares ------------- */
typedef struct {
    uint32_t capacity, count;
    uint32_t version;  /* mirrors records.version: bumped by every change of size */
    int block;         /* arena record of the storage */
    bool dead_holder;  /* a process died holding the lock: the next taker repairs */
} m_rec_t;

/* A dict entry: the key is a function of (key_id, key_len) (op_dict.c), the value a
 * message pattern or an int64_t that mp_dict_add wrote. */
typedef struct {
    uint8_t key_id;
    bool num;
    uint16_t key_len;
    uint32_t len, seed;
    int64_t n;
} m_entry_t;

typedef struct {
    m_rec_t rec;
    uint32_t key_size, value_size;
    m_entry_t e[MP_CONF_CONTAINER_CAPACITY];
} m_dict_t;

/* A list item is m_pattern(v, i) over item_size bytes: equal items have equal v. */
typedef struct {
    m_rec_t rec;
    uint32_t item_size;
    uint8_t v[MP_CONF_CONTAINER_CAPACITY];
} m_list_t;

/* ---- Slab: every block's owner, as core/slab.c's owner words hold it ------------------- */
/* The most blocks a slab can have: an arena full of 4-byte owner words and the smallest
 * stride (the static buffers of op_slab.c are smaller). */
#define M_SLAB_BLOCKS (MP_CONF_ARENA_SIZE / (4u + MP_SLAB_ALIGN) + 1u)
typedef struct {
    uint32_t block_size, count, stride;
    int block;         /* arena record of the storage, -1 for static storage */
    uintptr_t storage; /* where the storage starts: the owner words, then the blocks */
    uint64_t size;     /* of the storage (MP_SLAB_STORAGE_SIZE) */
    uint32_t hint;     /* the block the next alloc looks at first (core/slab.c) */
    /* 0 free, a process token, or M_ISR_TOKEN: owned by no process (given, or allocated
     * in a handler: core/slab.c's MPI_SLAB_UNOWNED is the handler's token) */
    uint32_t owner[M_SLAB_BLOCKS];
    uint32_t seed[M_SLAB_BLOCKS]; /* the pattern its last allocator wrote in it, 0 unknown */
} m_slab_t;

/* ---- processes ------------------------------------------------------------------------ */
enum { P_FREE, P_CREATED, P_RUNNING, P_JOINED };

typedef struct {
    uint16_t gen;
    uint8_t state;
    bool ended;     /* RUNNING, but finished (dead, not reaped yet) */
    bool ran;       /* its script started */
    bool daemon;
    uint8_t priority;
    uint32_t parent;
    int exitcode;
    uint16_t joined_seq;
    uint32_t start_seq; /* order of start, for the ready FIFO */
    uint32_t script_off, script_len; /* its part of the input */
    uint32_t pid;   /* as first seen; 0 = not seen yet */
    char name[MP_CONF_NAME_LEN];
    int code;       /* what its script returns */
    bool worker;    /* a Pool's worker (pool_model.c): runs no script */
} m_proc_t;

/* What the main process is blocked in while its pending children run. */
typedef struct {
    bool active;
    int table; /* T_* of the object, or -1 */
    int slot;
    int end;        /* a pipe's end, -1 */
    bool destroyed; /* destroyed meanwhile (RULES 1: the call returns MP_ESTALE) */
    int blocks[2];  /* its arena blocks, kept until the call returns */
    void (*on_free)(int slot); /* what else goes with the entry then (a condition's lock) */
} m_inside_t;

typedef struct {
    m_hdr_t hdr[T_COUNT][64];
    m_lock_t locks[MP_CONF_MAX_LOCKS];
    m_queue_t queues[MP_CONF_MAX_QUEUES];
    m_pipe_t pipes[MP_CONF_MAX_PIPES];
    m_value_t values[MP_CONF_MAX_VALUES];
    m_sem_t sems[MP_CONF_MAX_SEMAPHORES];
    m_event_t events[MP_CONF_MAX_EVENTS];
    m_cond_t conds[MP_CONF_MAX_CONDITIONS];
    m_barrier_t barriers[MP_CONF_MAX_BARRIERS];
    m_dict_t dicts[MP_CONF_MAX_DICTS];
    m_list_t lists[MP_CONF_MAX_LISTS];
    m_slab_t slabs[MP_CONF_MAX_SLABS];
    m_proc_t procs[M_PROCS];
    uint32_t main_children; /* for default names */
    uint32_t join_seq, start_seq;
    uint32_t actions;       /* barrier actions run so far */
    bool death_unseen;      /* a process died while the main process was not in a wait */
    uint32_t self;          /* slot of the process running now */
    m_inside_t inside;
    /* arena: the runtime's block records, mirrored */
    struct {
        uint32_t offset, size;
    } blocks[MPI_ARENA_BLOCKS];
    bool isr; /* the op runs in a simulated interrupt handler */
} m_world_t;

extern m_world_t m;

/* Defects of today's main that the harness can be told to steer around (FUZZ_AVOID),
 * numbered as in issue 7; by default every prediction follows RULES.md.
 *  1: no static queue whose storage size overflows 32 bits (it would write past it)
 *  2: no destroy, by a child, of the object the main process is blocked in
 *  3: no destroy of a Lock/RLock that a Value/Array/Condition uses
 *  6: no check of the pid a process reads for itself
 *  8: pipe EOF follows the end's last user (today's rule) instead of all its users
 * 10: no call that would revoke a side whose busy mark a killed process left set while
 *     the side's new owner lives (today it waits for the mark forever)
 * 13: mp_process_yield does not switch when a process died since the main process last
 *     waited (port/task/sched.c, mp_port_wait's deaths_seen): predicted as such
 * 14: no destroy of a Value/Array or Condition whose own lock was handed to a Condition
 *     (main frees the lock; the Condition then reaches the next lock in its entry) */
extern bool m_avoid[16];

void m_init(void);

/* ---- tables ----------------------------------------------------------------------------- */
uint32_t m_table_count(int table);
int m_table_of_kind(uint32_t kind);
/* MP_EHANDLE / MP_ESTALE / MP_OK with *slot, as the runtime's lookup decides. */
mp_err_t m_lookup(uint32_t id, uint32_t kind, int *slot);
/* A connection handle: *slot = pipe, *end = 0 (a) or 1 (b). */
mp_err_t m_lookup_conn(uint32_t id, int *slot, int *end);
/* Lowest free entry, or -1 (MP_ENOSLOT). */
int m_alloc_peek(int table);
uint32_t m_alloc(int table, int slot, uint32_t kind); /* returns the handle */
/* Frees an entry: true. When the main process is inside it, the entry only turns stale
 * until that call returns (RULES 1): false, and the caller hands its arena blocks to
 * m_defer_block. */
bool m_free(int table, int slot);
void m_defer_block(int block);
uint32_t m_handle(int table, int slot);
uint32_t m_used(int table);

/* ---- arena ------------------------------------------------------------------------------ */
/* Exact first fit as core/arena.c: -1 when there is no room (MP_ENOMEM). */
int m_arena_alloc(uint32_t size);
void m_arena_free(int block);
uint32_t m_arena_bytes(void);
uint32_t m_arena_blocks(void);
uint32_t m_arena_offset(int block);
extern uint8_t m_shadow[MP_CONF_ARENA_SIZE]; /* Array data, at the same offsets */

/* ---- processes -------------------------------------------------------------------------- */
uint32_t m_token(uint32_t slot);
bool m_alive(uint32_t token);
uint32_t m_self_token(void);
/* A slot for a new process as core/process.c picks it: the lowest free one, else the one
 * joined longest ago (freed first: its generation moves on); M_PROCS when none. */
uint32_t m_proc_take(void);
/* Reaped (P_JOINED, in join order), and closed (free, next generation). A reaped process's
 * slab blocks go back to their slabs (RULES 10). */
void m_proc_reaped(uint32_t slot);
void m_proc_free(uint32_t slot);
/* Started children that have not run yet: they run (in start order) as soon as the main
 * process blocks or polls with others ready. */
bool m_pending_children(void);

/* The lock's holder has died: the next acquirer is told MP_EOWNERDEAD. */
bool m_lock_dead_owner(int slot);
/* Whether destroying this lock is refused: held by a live process, or in use by an
 * object built on it (RULES 2). */
bool m_lock_busy(int slot);
/* In use by a Value/Array or a Condition (its own lock or one handed to it). */
bool m_lock_owned(int slot);
/* One user of an owned lock is gone (its owner, or a Condition it was handed to): the
 * lock goes with the last (core/lock.c drop_user). */
void m_lock_drop_user(int slot);

/* Lock model (op_lock.c): take is MP_OK, MP_EOWNERDEAD or 1 (a live holder: would wait);
 * release follows the Lock or RLock rule. */
int m_lock_take(int slot);
mp_err_t m_lock_release(int slot, uint32_t kind);

/* ---- Dict and List storage (core/records.c) ---------------------------------------------- */
/* The lock is taken: a dead holder's is taken over and the bookkeeping repaired, which
 * tells iterators the size may have changed (version). */
void m_rec_lock(m_rec_t *r);
uint64_t m_rec_bytes(uint32_t capacity, uint32_t record_size);

/* ---- the main process blocked while children run ---------------------------------------- */
void m_inside_begin(int table, int slot);
/* Returns true when the object was destroyed meanwhile (and frees it for good). */
bool m_inside_end(void);

#endif
