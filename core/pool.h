/*
 * Pool inside core/: the pool entry with its workers and job slots, and the result
 * entry (pool.c).
 */
#include "world.h" /* first: world.h reads this header itself, through objects.def */
#ifndef MP_CORE_POOL_H
#define MP_CORE_POOL_H

#include "mp/pool.h"

/* Items one job (a map chunk) carries at most, and its bytes of arguments and results. */
#define MPI_POOL_CHUNK_MAX (MP_CONF_POOL_CHUNK_BYTES / 8u > 8u ? MP_CONF_POOL_CHUNK_BYTES / 8u : 8u)
#define MPI_POOL_MAX(a, b) ((a) > (b) ? (a) : (b))
#define MPI_POOL_ARG_ROOM MPI_POOL_MAX(MP_CONF_POOL_ARG_SIZE, MP_CONF_POOL_CHUNK_BYTES)
#define MPI_POOL_RESULT_ROOM MPI_POOL_MAX(MP_CONF_POOL_RESULT_SIZE, MP_CONF_POOL_CHUNK_BYTES)

/* A job slot. state = worker << 8 | MPI_JOB_*; only the owner moves it out of FREE and
 * DONE, a worker claims QUEUED -> RUNNING by one CAS and stores DONE when it has written
 * everything else. */
typedef struct {
    _Alignas(MP_PORT_CACHE_LINE) _Atomic uint32_t state;
    uint32_t seq;       /* submission order: workers take the oldest QUEUED job */
    uint32_t collector; /* a result's id; MPI_JOB_IMAP: an imap iterator; 0: dropped */
    uint32_t first;     /* index of the first item (map, imap) */
    uint16_t items;     /* 1 for apply */
    uint16_t in_size;   /* bytes per item argument */
    uint16_t out_size;  /* bytes of result room per item */
    uint16_t apply_len; /* apply: the result length the task gave (if it fit) */
    int32_t exitcode;   /* died: the worker's exit code */
    int32_t code;       /* the first failed item's return value */
    uint8_t died;       /* set by the owner: 1 the worker died running it, 2 discarded */
    uint8_t failed;     /* an item did not end MPI_ITEM_OK: the status bytes say which */
    uint8_t apply;      /* apply_async's job (a task's result_len starts at 0, not result_size) */
    mp_pool_fn fn;
    /* The arguments, then the results (from the next 8-byte boundary), then a status byte
     * per item, packed: a small job's header, argument and result share one cache line,
     * which then crosses between the owner and a worker once each way. */
    _Alignas(8) uint8_t data[MPI_POOL_ARG_ROOM + 8u + MPI_POOL_RESULT_ROOM + MPI_POOL_CHUNK_MAX];
    char message[MP_CONF_POOL_MSG_LEN]; /* the first failed item's text */
} mpi_job_t;

typedef struct {
    mpi_obj_t hdr;
    _Atomic uint32_t bell; /* bumped on every new job, close and terminate: workers sleep on it */
    _Atomic uint32_t done; /* bumped on every finished job: the owner sleeps on it */
    _Atomic uint32_t state; /* MPI_POOL_* */
    mpi_token_t owner;
    uint32_t nworkers;
    uint32_t maxtasks;
    uint32_t started; /* workers started so far, for their names */
    uint32_t seq;
    uint32_t busy;    /* the owner is inside a callback of this pool */
    void (*init)(void *arg);
    uint32_t initarg_size;
    uint32_t workers[MP_CONF_POOL_WORKERS]; /* process handle ids; 0: none */
    /* Per worker, MPI_WORKER_*: who would take a new job without a wake-up (pool.c). */
    _Atomic uint32_t looks[MP_CONF_POOL_WORKERS];
    _Atomic uint32_t owner_asleep; /* the owner sleeps (or is about to) on `done` */
    uint8_t initarg[MP_CONF_POOL_ARG_SIZE];
    mpi_job_t jobs[MP_CONF_POOL_QUEUE];
} mpi_pool_t;

typedef struct {
    mpi_obj_t hdr;
    uint32_t pool;
    mpi_token_t owner;
    uint8_t ready;
    uint8_t autofree;
    uint8_t is_map;
    mp_err_t err;
    int32_t code;
    char message[MP_CONF_POOL_MSG_LEN];
    uint32_t len;
    mp_pool_callbacks_t cb;
    /* map_async: the caller's arrays (owner memory; only the owner touches them) */
    mp_pool_fn fn;
    const uint8_t *in;
    uint8_t *out;
    mp_err_t *errs;
    size_t n, in_size, out_size, chunk, submitted, finished, failed_at;
    uint8_t result[MP_CONF_POOL_RESULT_SIZE];
} mpi_result_t;

#endif

#ifdef MPI_OBJECT_LIST
MPI_KIND(POOL, pool)
MPI_STORE(mpi_pool_t, pools, MP_CONF_MAX_POOLS, 0)
MPI_USAGE(pools)
MPI_KIND(RESULT, result)
MPI_STORE(mpi_result_t, results, MP_CONF_MAX_RESULTS, 0)
MPI_USAGE(results)
#endif
