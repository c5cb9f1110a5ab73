/*
 * Pool: CPython's multiprocessing.Pool, with fixed tables and no helper threads.
 *
 *   static int square(mp_pool_task_t *t)
 *   {
 *       int x = *(const int *)t->arg, y = x * x;
 *       memcpy(t->result, &y, sizeof y);
 *       t->result_len = sizeof y;
 *       return 0;                                   // nonzero: the task failed (MP_ETASK)
 *   }
 *
 *   mp_pool_t pool;
 *   mp_pool_create(&pool, &(mp_pool_attr_t){.workers = 3});
 *   int in[5] = {1, 2, 3, 4, 5}, out[5];
 *   mp_pool_map(pool, square, in, 5, sizeof in[0], out, sizeof out[0], NULL, 0, MP_FOREVER);
 *   mp_pool_close(pool);
 *   mp_pool_join(pool, MP_FOREVER);
 *   mp_pool_destroy(pool);
 *
 * Workers. A pool's workers are daemonic children of the process that created it (its
 * owner), named "PoolWorker-N" (N counts every worker the pool started, from 1, as
 * CPython's do). Each runs the initializer once, then takes tasks in submission order. A
 * worker that ran maxtasksperchild tasks ends (exitcode 0) and the pool starts another.
 *
 * Tasks are a function pointer and an argument copied by value (what pickling does in
 * CPython): at most MP_CONF_POOL_ARG_SIZE bytes, else MP_EMSGSIZE and nothing is queued.
 * The task writes its result into task->result (MP_CONF_POOL_RESULT_SIZE bytes, or the
 * item size for map) and sets result_len; a result_len larger than result_size makes that
 * task's outcome MP_EMSGSIZE. A nonzero return is the task's failure (MP_ETASK): the
 * returned code and the text the task left in task->message (MP_CONF_POOL_MSG_LEN bytes,
 * NUL-terminated) travel back as a fixed-size record, mp_pool_failure_t. The worker goes
 * on after every outcome: an over-size result or a failed task never costs a worker.
 *
 * Only the owner may use a pool and its results (MP_ENOTCHILD for anyone else, workers
 * included). There are no helper threads: the owner's own calls into the pool (every
 * mp_pool_* and mp_result_* call, and the waits inside them) collect finished tasks, run
 * callbacks, replace workers that ended and feed map's remaining items. So a callback
 * runs in the owner, inside one of its pool calls, exactly once per task (callback on
 * success, error_callback otherwise), and may not call into the same pool (MP_EBUSY).
 *
 * Worker death. A worker that dies in the middle of a task (killed, crashed, or calling
 * mp_process_exit) fails that task with MP_EWORKER; mp_pool_failure_t.code is then the
 * worker's exit code (-9 killed, -11 crash, -15 terminated, or the exit code it gave).
 * The pool replaces the worker. Every wait looks at the workers' lives within its
 * deadline, so no get, wait, map, imap or join hangs on a dead worker (CPython gh-66587
 * hangs for ever).
 *
 * Checks in the one order: MP_EISR (a pool call in an interrupt handler), MP_ENOINIT /
 * MP_EFORKED, the handle (MP_EHANDLE, MP_ESTALE), the arguments (MP_EINVAL, MP_EMSGSIZE),
 * the caller (MP_ENOTCHILD: not the owner), then the state.
 */
#ifndef MP_POOL_H
#define MP_POOL_H

#include "mp/config.h"
#include "mp/process.h"
#include "mp/types.h"

typedef struct {
    uint32_t id;
} mp_pool_t;

/* An asynchronous result (CPython's AsyncResult / MapResult), from a fixed table of
 * MP_CONF_MAX_RESULTS entries. Give it back with mp_result_destroy. */
typedef struct {
    uint32_t id;
} mp_result_t;

/* What a task sees, in the worker. */
typedef struct {
    const void *arg;     /* the worker's private copy of the argument (NULL when size 0) */
    size_t arg_size;
    void *result;        /* room for the result, result_size bytes */
    size_t result_size;
    size_t result_len;   /* set by the task (starts at 0; map: starts at result_size) */
    char *message;       /* a failure's text, message_size bytes (starts empty) */
    size_t message_size;
    size_t index;        /* map/imap: the item's index in the input; 0 for apply */
} mp_pool_task_t;

/* A task: 0 is success; any other value is the task's failure code (MP_ETASK). */
typedef int (*mp_pool_fn)(mp_pool_task_t *task);

/* A failed task's record. code: the task's return value (MP_ETASK), or the worker's exit
 * code (MP_EWORKER); 0 otherwise. message: the task's text (MP_ETASK), else empty. */
typedef struct {
    mp_err_t err; /* MP_ETASK, MP_EWORKER, MP_EMSGSIZE, or MP_ECLOSED (discarded by terminate) */
    int code;
    char message[MP_CONF_POOL_MSG_LEN];
} mp_pool_failure_t;

typedef struct {
    uint32_t workers;            /* 1..MP_CONF_POOL_WORKERS; 0: MP_CONF_POOL_WORKERS */
    void (*initializer)(void *arg); /* NULL: none; runs once in each worker, first */
    const void *initarg;         /* copied, at most MP_CONF_POOL_ARG_SIZE bytes */
    size_t initarg_size;
    uint32_t maxtasksperchild;   /* 0: a worker lives as long as the pool */
} mp_pool_attr_t;

/* Callbacks of one task (or of a whole map_async), run in the owner (see above). */
typedef struct {
    void (*callback)(mp_result_t r, const void *result, size_t len, void *ctx);
    void (*error_callback)(mp_result_t r, const mp_pool_failure_t *failure, void *ctx);
    void *ctx;
} mp_pool_callbacks_t;

/* Creates the pool and starts its workers (attr NULL: the defaults).
 * @retval MP_EINVAL workers > MP_CONF_POOL_WORKERS, initarg NULL with a size
 * @retval MP_EMSGSIZE initarg_size > MP_CONF_POOL_ARG_SIZE
 * @retval MP_EDAEMON the caller is daemonic (a worker cannot be its child)
 * @retval MP_ENOSLOT the pool table, or the process table for the workers, is full
 * @retval MP_ESYS a worker could not be started
 * On any failure no worker is left running and no slot is kept. */
mp_err_t mp_pool_create(mp_pool_t *pool, const mp_pool_attr_t *attr);

/* apply_async: queues fn(arg). r NULL: nobody will ask for the result; its entry is given
 * back once the task has ended and its callback ran. cb may be NULL.
 * @retval MP_EMSGSIZE arg_size > MP_CONF_POOL_ARG_SIZE  @retval MP_ECLOSED closed or
 * terminated  @retval MP_ENOSLOT the pool's queue (MP_CONF_POOL_QUEUE tasks not yet
 * collected) or the result table is full */
mp_err_t mp_pool_apply_async(mp_pool_t pool, mp_pool_fn fn, const void *arg, size_t arg_size,
                             const mp_pool_callbacks_t *cb, mp_result_t *r);

/* apply: apply_async, then get. failure (may be NULL) is filled when the result is
 * MP_ETASK, MP_EWORKER or MP_EMSGSIZE. On MP_ETIMEDOUT the task is abandoned: it still
 * runs, and its result is dropped. */
mp_err_t mp_pool_apply(mp_pool_t pool, mp_pool_fn fn, const void *arg, size_t arg_size,
                       void *result, size_t result_size, size_t *result_len,
                       mp_pool_failure_t *failure, mp_timeout_t timeout);

/* Waits for the task, then copies its result (get). MP_OK with *len; the task's outcome
 * (MP_ETASK, MP_EWORKER, MP_EMSGSIZE, MP_ECLOSED: see mp_result_failure); MP_ETOOSMALL
 * (size too small: *len is the size needed, nothing copied); MP_ETIMEDOUT / MP_EAGAIN.
 * For a map_async result: buf may be NULL (the outputs are in the caller's arrays); the
 * outcome is MP_OK or the first failed item's. */
mp_err_t mp_result_get(mp_result_t r, void *buf, size_t size, size_t *len, mp_timeout_t timeout);
/* MP_OK once ready, whatever the outcome; MP_ETIMEDOUT / MP_EAGAIN. */
mp_err_t mp_result_wait(mp_result_t r, mp_timeout_t timeout);
mp_err_t mp_result_ready(mp_result_t r, bool *ready);
/* @retval MP_ERUNNING not ready yet (CPython's ValueError) */
mp_err_t mp_result_successful(mp_result_t r, bool *successful);
/* The failure record. @retval MP_ERUNNING not ready  @retval MP_ENOENT it succeeded */
mp_err_t mp_result_failure(mp_result_t r, mp_pool_failure_t *failure);
/* Gives the entry back, ready or not: a task still queued is withdrawn, one running
 * finishes and its result is dropped; no callback runs for it after this. */
mp_err_t mp_result_destroy(mp_result_t r);

/* map: out[i] = fn(in[i]) for i < n, items of in_size and out_size bytes (C has no
 * iterables: arrays of fixed-size items). chunksize items go to a worker together as one
 * task (0: CPython's default, ceil(n / (4 * workers))), in jobs of at most
 * MP_CONF_POOL_CHUNK_BYTES of arguments and of results and an eighth as many items (at
 * least 8). Results are in input order. Every item runs, failures or not:
 * errs (may be NULL) gets each item's outcome (MP_OK, MP_ETASK, MP_EWORKER, MP_EMSGSIZE),
 * and the return value is MP_OK or the first failed item's code, with its record in
 * failure (may be NULL). A worker that dies fails every item of its chunk. n = 0 returns
 * MP_OK at once. MP_ETIMEDOUT: the deadline passed; items still queued are withdrawn,
 * those running finish and are dropped.
 * starmap is the same call: CPython's argument tuples are C structs, one per item. */
mp_err_t mp_pool_map(mp_pool_t pool, mp_pool_fn fn, const void *in, size_t n, size_t in_size,
                     void *out, size_t out_size, mp_err_t *errs, size_t chunksize,
                     mp_pool_failure_t *failure, mp_timeout_t timeout);
#define mp_pool_starmap mp_pool_map

/* map_async: the same into out/errs, which must stay valid until the result is ready (they
 * are written by the owner's pool calls). cb->callback gets (out, n * out_size) once every
 * item succeeded; cb->error_callback gets the first failure. */
mp_err_t mp_pool_map_async(mp_pool_t pool, mp_pool_fn fn, const void *in, size_t n,
                           size_t in_size, void *out, size_t out_size, mp_err_t *errs,
                           size_t chunksize, const mp_pool_callbacks_t *cb, mp_result_t *r);
#define mp_pool_starmap_async mp_pool_map_async

/* imap / imap_unordered: an iterator the caller keeps (its fields are private). */
typedef struct {
    uint32_t pool;
    mp_pool_fn fn;
    const uint8_t *in;
    size_t n, in_size, out_size, chunk;
    size_t submitted; /* items queued so far */
    size_t yielded;   /* items returned so far */
    bool ordered;
    uint32_t jobs[MP_CONF_POOL_QUEUE]; /* per job slot: 1 + the chunk's first item, 0 free */
    uint32_t taken[MP_CONF_POOL_QUEUE]; /* items of that chunk already returned */
} mp_pool_imap_t;

/* Starts an imap (ordered true) or imap_unordered over in[0..n). in must stay valid while
 * it is iterated. chunksize 0 means 1 (CPython's default for imap). */
mp_err_t mp_pool_imap(mp_pool_t pool, mp_pool_imap_t *it, mp_pool_fn fn, const void *in,
                      size_t n, size_t in_size, size_t out_size, size_t chunksize, bool ordered);
/* The next result (input order, or completion order): MP_OK with out and *index filled;
 * the item's failure (MP_ETASK, MP_EWORKER, MP_EMSGSIZE) with *index and failure filled
 * (the iteration goes on: call again); MP_EOF after the last item (StopIteration);
 * MP_ETIMEDOUT / MP_EAGAIN. */
mp_err_t mp_pool_imap_next(mp_pool_imap_t *it, void *out, size_t *index,
                           mp_pool_failure_t *failure, mp_timeout_t timeout);
/* Withdraws what an unfinished iteration still has queued (running chunks are dropped). */
mp_err_t mp_pool_imap_abandon(mp_pool_imap_t *it);

/* close: no new tasks (MP_ECLOSED); queued ones still run, then the workers end. */
mp_err_t mp_pool_close(mp_pool_t pool);
/* terminate: queued tasks are discarded (their results: MP_ECLOSED, their error callbacks
 * run), workers are sent SIGTERM, then SIGKILL after MP_CONF_POOL_TERM_MS, and reaped.
 * Bounded: returns after at most about twice MP_CONF_POOL_TERM_MS. */
mp_err_t mp_pool_terminate(mp_pool_t pool);
/* Waits for every worker to end and reaps them. @retval MP_EBUSY still running (neither
 * closed nor terminated: CPython's ValueError) @retval MP_ETIMEDOUT / MP_EAGAIN */
mp_err_t mp_pool_join(mp_pool_t pool, mp_timeout_t timeout);
/* Frees the pool: terminates it first if it was not joined (CPython's `with` exit). Its
 * results' handles stay valid until destroyed and answer from what they hold (what was
 * unfinished: MP_ECLOSED, or MP_EWORKER with -15 for a task its worker was running). */
mp_err_t mp_pool_destroy(mp_pool_t pool);

/* The worker processes now running, for tests and monitoring (they are the owner's
 * children: it may terminate or kill them; the pool replaces them). */
mp_err_t mp_pool_workers(mp_pool_t pool, mp_process_t *out, size_t max, size_t *count);

#endif
