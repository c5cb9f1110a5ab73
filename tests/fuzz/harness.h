/*
 * What every operation of the fuzzer shares: the input reader, the record of the call
 * being checked, the checks that stop the run on the first disagreement with the model,
 * the pools of handles the input chooses from, and argument choosers that favour edges.
 */
#ifndef FUZZ_HARNESS_H
#define FUZZ_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* ---- input ------------------------------------------------------------------------------ */
typedef struct {
    const uint8_t *data;
    size_t size, pos;
} in_t;

/* Past the end every read is 0, so a truncated input still decodes deterministically. */
static inline uint8_t in_u8(in_t *in)
{
    return in->pos < in->size ? in->data[in->pos++] : 0;
}
static inline uint16_t in_u16(in_t *in)
{
    uint16_t lo = in_u8(in);
    return (uint16_t)(lo | (uint16_t)in_u8(in) << 8);
}
static inline uint32_t in_u32(in_t *in)
{
    uint32_t lo = in_u16(in);
    return lo | (uint32_t)in_u16(in) << 16;
}
static inline bool in_done(const in_t *in)
{
    return in->pos >= in->size;
}

/* ---- the call being checked -------------------------------------------------------------- */
typedef struct {
    const char *name;
    uint64_t arg[6];
    int nargs;
    uint64_t index; /* its place among the input's calls */
} fz_call_t;

extern fz_call_t fz_cur;
extern uint64_t fz_calls; /* calls made in this input, both processes */

void fz_call(const char *name, int nargs, ...);
/* On a disagreement: prints the call (index, process, arguments) and what differs, then
 * __builtin_trap(). */
_Noreturn void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fz_expect(mp_err_t want, mp_err_t got);
extern bool fz_trace;       /* FUZZ_TRACE=1: every checked call on stderr */
extern bool fz_trace_calls; /* FUZZ_TRACE=2: also every call as it starts */
void fz_expect_u(const char *what, uint64_t want, uint64_t got);
/* Received bytes against the pattern of the message the model expects. */
void fz_expect_bytes(const uint8_t *buf, uint32_t len, uint32_t seed);
/* What a get or recv returned, and the message it wrote: with MP_OK or MP_ETOOSMALL *len
 * (got_len) is the message's length, with MP_OK buf (when given) holds its bytes. */
void fz_expect_message(mp_err_t want, mp_err_t got, uint32_t len, size_t got_len,
                       const uint8_t *buf, uint32_t seed);
/* mp_usage() against the model's tables and arena, after every call. */
void fz_check_usage(void);

/* ---- the process running the ops ---------------------------------------------------------- */
bool fz_in_child(void);
/* The op runs in a simulated interrupt handler (op_isr.c). */
static inline bool fz_isr(void)
{
    return m.isr;
}
/* A call that would wait made from a handler: MP_EISR (mpi_isr_would_block). */
static inline bool fz_isr_refuses(mp_timeout_t t)
{
    return m.isr && t != MP_NOWAIT;
}
/* An object of the harness's own that no input may reach (fz_pick steers around it). */
extern int fz_private_table, fz_private_slot;
/* Buffers of the running process (main and children have their own: a child runs while
 * the main process is inside a call that still reads or writes its buffer). */
uint8_t *fz_buf_out(void); /* what put/send copies from, FZ_BUF bytes */
uint8_t *fz_buf_in(void);  /* what get/recv copies into */
#define FZ_BUF (65536u + 256u)
extern uint8_t fz_big[MP_CONF_ARENA_SIZE + 64]; /* Array init data and slices */

/* ---- waits -------------------------------------------------------------------------------- */
/* Before a call of the main process that the model says waits: the pending children
 * will run during it (the seed-0 schedule switches only when a task blocks); the main
 * process counts as inside the object. With MP_FOREVER the simulation may report a
 * deadlock on stderr: that report is silenced, the call's code (MP_EDEADLK) is checked. */
void fz_wait_begin(int table, int slot, mp_timeout_t timeout);
/* After it: checks exactly the expected children ran; true when the object was
 * destroyed meanwhile (the call must then return MP_ESTALE). */
bool fz_wait_end(void);
/* The code of a wait that nothing ended: timed out, or the simulation's deadlock. */
/* A call the model says would wait (r == 1) or answer r at once: true when it really
 * waits (the caller then makes it), else the answer is in *want (MP_EAGAIN for a call
 * that would wait with MP_NOWAIT, as for every object). */
static inline bool fz_waits(int r, mp_timeout_t t, mp_err_t *want)
{
    if (r != 1)
        *want = r;
    else if (t == MP_NOWAIT)
        *want = MP_EAGAIN;
    return r == 1 && t != MP_NOWAIT;
}

static inline mp_err_t fz_timeout_code(mp_timeout_t t)
{
    return t == MP_FOREVER ? MP_EDEADLK : t == MP_NOWAIT ? MP_EAGAIN : MP_ETIMEDOUT;
}
/* Any runtime call of the main process that polls (join, is_alive...) lets the pending
 * children run; these bracket it. */
void fz_poll_begin(void);
void fz_poll_end(void);
/* Whether the child in slot is expected to run now (it checks at its first instruction). */
bool fz_expected_to_run(uint32_t slot);
extern const uint8_t *fz_input; /* the input being run: children read their scripts there */

/* ---- deaths inside a call (core/test_hooks.h) --------------------------------------------- */
/* A child arms a hook point: the n-th time it reaches it, it is killed there (SIGKILL,
 * from inside the ring's put or get). The op about to make a call asks fz_reaches(point)
 * for each armed point the call passes, in order: true means the call dies there, so the
 * op applies none of its effects and the call must not return. */
void fz_arm(int point, uint32_t n);
void fz_disarm(void);
bool fz_reaches(int point);
_Noreturn void fz_returned_instead_of_dying(mp_err_t got);
void fz_hooks_install(void);

/* Enters a ring side for the call about to be made (the model's bias bookkeeping):
 * false when the call must be skipped, a defect the run was told to avoid (10). */
bool fz_side_enter(m_side_t *s, int *via);
/* The same after a wait of the main process, where nobody else is alive to contend. */
void fz_side_reenter(m_side_t *s);

/* ---- handles ---------------------------------------------------------------------------- */
void fz_pool_reset(void);
void fz_pool_add(uint32_t kind, uint32_t id);
/* A handle for a call on `kind`: mostly one seen before (live or stale), else one of
 * another kind, zero, all-ones, or forged over a slot's current generation. */
uint32_t fz_pick(in_t *in, uint32_t kind);

/* ---- arguments -------------------------------------------------------------------------- */
mp_timeout_t fz_timeout(in_t *in);
uint32_t fz_msg_size(in_t *in);
uint32_t fz_depth(in_t *in);
/* A size from one byte: mostly one of the edges, else a small value, else any 32 bits. */
uint32_t fz_edge_or_any(in_t *in, const uint32_t *edges, size_t n);
/* A length near the edges of max (0, max - 1, max, max + 1, huge). */
size_t fz_len(in_t *in, uint32_t max);

/* Writes a fresh message pattern into buf (its first min(len, limit) bytes) and returns
 * its seed; seeds count up through an input, children included. */
uint32_t fz_fill(uint8_t *buf, size_t len, uint32_t limit);
extern uint32_t fz_seed;

/* Skips a call the harness must not make (it would break the model's assumptions or
 * hit a defect the run was told to avoid); counts them. */
void fz_skip(const char *why);

/* ---- the operations, one group per object ------------------------------------------------- */
typedef void (*fz_op_fn)(in_t *in);
typedef struct {
    const char *name;
    fz_op_fn fn;
    bool main_only;
    bool isr_ok; /* may run in a simulated interrupt handler */
} fz_op_t;

extern const fz_op_t fz_queue_ops[], fz_pipe_ops[], fz_lock_ops[], fz_shared_ops[],
    fz_sync_ops[], fz_process_ops[], fz_isr_ops[], fz_runtime_ops[], fz_dict_ops[],
    fz_list_ops[], fz_pool_ops[], fz_wait_ops[], fz_slab_ops[];
extern const size_t fz_queue_nops, fz_pipe_nops, fz_lock_nops, fz_shared_nops, fz_sync_nops,
    fz_process_nops, fz_isr_nops, fz_runtime_nops, fz_dict_nops, fz_list_nops, fz_pool_nops,
    fz_wait_nops, fz_slab_nops;

/* Runs ops from in until it is exhausted (or a child's script ends). */
void fz_run(in_t *in);

/* Destroys what the input left alive, through the same checks (end of an input). */
void fz_queue_cleanup(void);
void fz_pipe_cleanup(void);
void fz_lock_cleanup(void);
void fz_shared_cleanup(void);
void fz_sync_cleanup(void);
void fz_process_cleanup(void);
void fz_dict_cleanup(void);
void fz_list_cleanup(void);
void fz_slab_cleanup(void);

/* ---- Dict and List (op_dict.c) ------------------------------------------------------------ */
/* A change published by one store (core/records.c): whether the running child dies at the
 * hook before it (1: nothing changed) or after it (2: the change stands, its bookkeeping
 * not), or goes on (0). A death leaves the lock to a dead holder. */
int fz_records_death(void);

#endif
