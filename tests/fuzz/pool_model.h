/*
 * The model of a Pool (op_pool.c's sessions): the owner's side of core/pool.c as the
 * README and mp/pool.h describe it (job slots, results, callbacks, map feeding, imap,
 * close, terminate, join, destroy), and the workers as the seed-0 schedule runs them.
 *
 * Workers run only while the owner is blocked, in one "round": every ready worker runs
 * until it sleeps or ends (the owner, woken by the first finished job or a death, comes
 * after them). With several workers the first one takes every queued job, so which
 * worker ran a task is never predicted: sessions with several workers have no task that
 * kills its worker and no maxtasksperchild. With one worker the model follows it exactly:
 * its tasks, its death in a task (MP_EWORKER), its end after maxtasksperchild, and its
 * replacement (PoolWorker-N, a new slot or the one just freed).
 */
#ifndef FUZZ_POOL_MODEL_H
#define FUZZ_POOL_MODEL_H

#include "harness.h"
#include "pool.h" /* MPI_POOL_CHUNK_MAX and the job's room: the sizes a chunk is cut to */

#define PM_ITEMS 64 /* most items of a map or imap the harness makes */
#define PM_ITEM_SIZE MP_CONF_POOL_ARG_SIZE
#define PM_ITERS 2
#define PM_EVENTS 64

enum { PS_RUNNING, PS_CLOSED, PS_TERMINATED, PS_JOINED };
enum { W_NONE, W_FRESH, W_ASLEEP, W_WOKEN, W_DEAD };
enum { J_FREE, J_QUEUED, J_RUNNING, J_DONE };
enum { I_OK, I_FAILED, I_OVERSIZE };
#define PM_IMAP 1u /* a job's collector: an imap's */

typedef struct {
    int slot;          /* process slot, -1 for none */
    uint8_t st;        /* W_* */
    bool reaped;       /* joined by terminate, not yet closed */
    uint32_t tasks;
    int exitcode;
} pm_worker_t;

typedef struct {
    uint8_t st;
    uint32_t seq, collector, first, items, in_size, out_size;
    bool apply;
    uint32_t worker;   /* the position that died in it (J_RUNNING) */
    uint8_t died;      /* 1: its worker died in it, 2: withdrawn by terminate */
    int exitcode, code;
    uint32_t apply_len;
    uint8_t status[MPI_POOL_CHUNK_MAX];
    char message[MP_CONF_POOL_MSG_LEN];
    _Alignas(8) uint8_t arg[MPI_POOL_ARG_ROOM];
    _Alignas(8) uint8_t result[MPI_POOL_RESULT_ROOM];
} pm_job_t;

typedef struct {
    bool live;
    uint32_t id;
    int slot; /* T_POOL */
    uint8_t state;
    uint32_t nworkers, maxtasks, started, seq;
    bool init;
    uint8_t initarg[MP_CONF_POOL_ARG_SIZE];
    uint32_t initarg_size;
    uint32_t init_calls; /* workers that ran their initializer */
    pm_worker_t w[MP_CONF_POOL_WORKERS];
    pm_job_t jobs[MP_CONF_POOL_QUEUE];
} pm_pool_t;

typedef struct {
    bool live, ready, autofree, is_map;
    uint32_t id, pool;
    uint8_t cb; /* bit 0: a callback, bit 1: an error_callback */
    mp_err_t err;
    int code;
    char message[MP_CONF_POOL_MSG_LEN];
    uint32_t len;
    uint8_t result[MP_CONF_POOL_RESULT_SIZE];
    /* map_async: the caller's arrays, and what the model expects in them */
    const uint8_t *in;
    uint8_t *out;
    mp_err_t *errs;
    size_t n, in_size, out_size, chunk, submitted, finished, failed_at;
    uint8_t want_out[PM_ITEMS * PM_ITEM_SIZE];
    mp_err_t want_errs[PM_ITEMS];
} pm_result_t;

typedef struct {
    bool live;
    uint32_t pool;
    const uint8_t *in;
    size_t n, in_size, out_size, chunk, submitted, yielded;
    bool ordered;
    uint32_t jobs[MP_CONF_POOL_QUEUE], taken[MP_CONF_POOL_QUEUE];
} pm_imap_t;

/* A callback, as the model expects it and as the harness's callbacks saw it. */
typedef struct {
    uint32_t result;
    bool ok;
    mp_err_t err, busy; /* busy: a pool call from inside the callback */
    int code;
    char message[MP_CONF_POOL_MSG_LEN];
    size_t len;
    uint32_t hash; /* of the bytes a success callback got */
} pm_event_t;

extern pm_pool_t pm;
extern pm_result_t pm_results[MP_CONF_MAX_RESULTS];
extern pm_imap_t pm_imaps[PM_ITERS];
extern pm_event_t pm_expected[PM_EVENTS];
extern size_t pm_nexpected;
extern bool pm_exits_ok; /* tasks may kill their worker (one-worker sessions) */

uint32_t pm_hash(const void *p, size_t n);
/* The task every job runs (op_pool.c's task calls it too): what it does is picked by the
 * argument's first byte (success, failure with a code and a text, an over-size result,
 * its worker's exit, the initializer's argument). Returns the task's code; *exits asks
 * the worker to exit with *exit_code. */
int pm_task_body(mp_pool_task_t *t, const uint8_t *init, size_t init_len, bool *exits,
                 int *exit_code);

/* Workers of a pool being created: each takes a process slot (M_PROCS when none is left). */
uint32_t pm_worker_slot(uint32_t number);
/* A worker killed, then joined and closed (create's cleanup, terminate, a second pool). */
void pm_worker_gone(uint32_t slot);

/* pool.c's owner side, one function per step of it. */
void pm_pump(void);
void pm_queue(pm_job_t *j, uint32_t collector, const uint8_t *in, size_t first, size_t items,
              size_t in_size, size_t out_size, bool apply);
pm_job_t *pm_free_job(void);
bool pm_any_job(uint8_t st);
void pm_finish(pm_result_t *r);
void pm_terminate(void);
/* What wait_for waits for. */
enum { PW_RESULT, PW_ENDED, PW_IMAP };
/* wait_for: MP_OK once `what` holds, or MP_EAGAIN, MP_ETIMEDOUT, MP_EDEADLK; *found is
 * the job slot an imap wait found. */
mp_err_t pm_wait(int what, int which, mp_timeout_t t, uint32_t *found);
/* imap_found: feeds the imap, then looks for its next finished job. */
bool pm_imap_found(pm_imap_t *it, uint32_t *slot);
/* The outcome of item i of job j (item_outcome). */
mp_err_t pm_outcome(const pm_job_t *j, uint32_t i, int *code);
bool pm_first_failure(const pm_job_t *j, uint32_t i);


/* ---- the model's answer to each call of a session (pool_calls.c) ------------------------ */
typedef struct {
    bool fn;
    const uint8_t *in;
    uint8_t *out;
    mp_err_t *errs;
    size_t n, in_size, out_size, chunk;
} pm_map_t;
mp_err_t pm_pool_lookup(uint32_t id);
pm_result_t *pm_result_lookup(uint32_t id, mp_err_t *err);
mp_err_t pm_apply_async(uint32_t pool, bool fn, const uint8_t *arg, size_t size, uint8_t cb,
                        bool autofree, uint32_t *id);
size_t pm_chunk_fit(size_t want, size_t in_size, size_t out_size);
mp_err_t pm_map_args(bool fn, const void *in, size_t n, size_t in_size, const void *out,
                     size_t out_size);
mp_err_t pm_map_async(uint32_t pool, const pm_map_t *a, uint8_t cb, bool autofree, uint32_t *id);
/* result_owner_enter: whether the result's pool is there (else it is finished as closed). */
bool pm_entered(pm_result_t *r);
mp_err_t pm_freed_under(const pm_result_t *r, mp_err_t want);
mp_err_t pm_result_get(pm_result_t *r, bool buf_null, size_t size, bool len_null,
                       mp_timeout_t t, size_t *want_len);
mp_err_t pm_result_failure(pm_result_t *r, mp_pool_failure_t *f);
void pm_result_destroy(pm_result_t *r);
void pm_destroy(void);
mp_err_t pm_create(uint32_t nworkers, int *slot, uint32_t *id, uint32_t *wslots);

/* ---- the harness's side of a session (op_pool.c, op_pool_map.c) ------------------------- */
int fz_pool_task(mp_pool_task_t *t);
extern const mp_pool_callbacks_t fz_pool_callbacks[4];
/* The callbacks a call ran against the ones the model expects, in order. */
void fz_pool_events(void);
/* Around a call that may wait: the simulation's deadlock report silenced, then callbacks. */
void fz_pool_quiet(mp_timeout_t t);
void fz_pool_loud(void);
void fz_expect_failure(const mp_pool_failure_t *want, const mp_pool_failure_t *got);
uint8_t fz_task_byte(uint8_t b);
/* A live map's arrays against the model's. */
void fz_check_map(const pm_result_t *r);
void fz_pool_maps_reset(void);
void s_map(in_t *in);
void s_map_async(in_t *in);
void s_imap(in_t *in);
void s_imap_next(in_t *in);
void s_imap_abandon(in_t *in);

#endif
