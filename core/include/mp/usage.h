/*
 * What the runtime's tables and arena hold right now: for tests and for a firmware
 * engineer who wants to know how close an application runs to its compile-time sizes.
 *
 * An entry counts as used from its create until it is free for reuse: a destroyed object
 * that a process is still inside (see the README, "Reliability") counts until that
 * process leaves it or is joined.
 */
#ifndef MP_USAGE_H
#define MP_USAGE_H

#include "mp/types.h"

typedef struct {
    uint32_t processes; /* slots not free, the main process included */
    uint32_t locks;     /* Locks and RLocks */
    uint32_t queues;
    uint32_t pipes;
    uint32_t values;    /* Values and Arrays */
    uint32_t semaphores;
    uint32_t events;
    uint32_t conditions;
    uint32_t barriers;
    uint32_t pools;
    uint32_t results;   /* Pool results (apply_async, map_async, imap) */
    uint32_t dicts;     /* Dicts and Namespaces */
    uint32_t lists;
    uint32_t slabs;     /* fixed-block allocators (mp/slab.h) */
    uint32_t arena_bytes;  /* in live blocks, alignment included */
    uint32_t arena_blocks;
    uint32_t checks_failed; /* internal checks that failed since mp_init (see MP_CONF_CHECK_FATAL) */
} mp_usage_t;

/* @retval MP_EINVAL usage is NULL  @retval MP_ENOINIT before mp_init() */
mp_err_t mp_usage(mp_usage_t *usage);

#endif
