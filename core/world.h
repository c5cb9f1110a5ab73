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

#include "mp/mp.h"
#include "mp_port.h"

#define MPI_BITWORDS(n) (((n) + 31u) / 32u)

/* Handle layout (see mp/types.h): kind 31..28, generation 27..12, index+1 11..0. */
enum { MPI_KIND_PROCESS = 1, MPI_KIND_LOCK = 2, MPI_KIND_RLOCK = 3 };
#define MPI_GEN_MASK 0xffffu
#define MPI_INDEX_MASK 0xfffu

/* A process as the lock words name it: index+1 | generation << 12 (28 bits), so a lock
 * held by a process whose slot was since reused is seen as held by a dead owner. */
typedef uint32_t mpi_token_t;

typedef enum {
    MPI_SLOT_FREE = 0,
    MPI_SLOT_CREATED, /* claimed, attributes copied, not started */
    MPI_SLOT_RUNNING, /* started; may have ended, not reaped yet */
    MPI_SLOT_JOINED,  /* reaped; exitcode valid; recyclable */
} mpi_slot_state_t;

typedef struct {
    _Atomic uint32_t life;     /* port-kept: process id | MP_LIFE_DEAD when ended */
    _Atomic uint32_t state;    /* mpi_slot_state_t, written by the creator only */
    uint32_t gen;              /* bumped on every free */
    mpi_token_t parent;        /* the creator's token; 0 for the main process */
    uint32_t pid;              /* port id, valid once started */
    int32_t exitcode;          /* valid in JOINED */
    uint32_t joined_seq;       /* order of reaping, for recycling the oldest */
    mp_process_fn target;
    uint16_t arg_size;
    uint8_t daemon;
    uint8_t ident_depth;
    uint16_t children;         /* children created so far, for their default names */
    uint16_t ident[MP_CONF_IDENT_DEPTH];
    char name[MP_CONF_NAME_LEN];
    _Alignas(8) uint8_t arg[MP_CONF_ARG_SIZE];
    mp_port_slot_t port;
} mpi_slot_t;

/* Lock word: 0 = free; otherwise the owner's token, plus MPI_LOCK_WAITERS when someone
 * sleeps (or may sleep) on it, so that release makes a wake call only then. Bit 30 is
 * left clear, matching the robust-futex layout. */
#define MPI_LOCK_WAITERS 0x80000000u
#define MPI_LOCK_OWNER 0x0fffffffu

typedef struct {
    _Atomic uint32_t word;
    uint16_t gen;
    uint8_t kind;  /* MPI_KIND_LOCK / MPI_KIND_RLOCK, 0 = free */
    uint8_t pad;
    uint32_t depth; /* RLock recursion, touched only by the owner */
} mpi_lock_t;

typedef struct {
    uint32_t ready; /* MPI_WORLD_READY once mp_init() has run */
    _Atomic uint32_t join_seq;
    _Atomic uint32_t slot_free[MPI_BITWORDS(MP_CONF_MAX_PROCESSES)];
    _Atomic uint32_t lock_free[MPI_BITWORDS(MP_CONF_MAX_LOCKS)];
    mpi_slot_t slots[MP_CONF_MAX_PROCESSES];
    mpi_lock_t locks[MP_CONF_MAX_LOCKS];
} mpi_world_t;

#define MPI_WORLD_READY 0x6d707374u /* "mpst" */

extern mpi_world_t mpi_world;

/* ---- handles ---------------------------------------------------------------------- */
static inline uint32_t mpi_handle_make(uint32_t kind, uint32_t gen, uint32_t index)
{
    return kind << 28 | (gen & MPI_GEN_MASK) << 12 | (index + 1u);
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

/* ---- processes, as other objects need them ---------------------------------------- */
mpi_token_t mpi_self_token(void);
bool mpi_token_alive(mpi_token_t token);
void mpi_token_name(mpi_token_t token, char *buf, size_t size);

/* ---- time and waiting --------------------------------------------------------------- */
mp_time_t mpi_deadline(mp_timeout_t timeout);

/* mp_port_wait that also returns now and then when the port detects deaths by looking
 * (MP_CONF_LIVENESS_NS), so a caller can re-check its owner's life. */
mp_err_t mpi_wait(_Atomic uint32_t *addr, uint32_t expected, mp_time_t deadline);

/* Small freestanding text helpers (no printf in the core). */
size_t mpi_strlcpy(char *dst, const char *src, size_t size);
size_t mpi_utoa(char *dst, size_t size, uint32_t value);

#endif
