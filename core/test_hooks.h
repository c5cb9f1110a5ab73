/*
 * Test hooks: named points inside the core where a test may stop or kill the calling
 * process, so that an interleaving that random kills reach only by luck (a producer
 * stopped inside a put, a sleeper killed while registered) becomes a test that fails
 * the same way every time.
 *
 * Compiled in only when MP_CONF_TEST_HOOKS is 1 (the test builds); elsewhere every point
 * is `if (0)` and leaves no code. The hook is process-private (not in the world): on
 * POSIX each process sets its own; on the task port it is shared, and a hook decides by
 * mp_process_self() whom it acts on.
 */
#ifndef MP_CORE_TEST_HOOKS_H
#define MP_CORE_TEST_HOOKS_H

#include <stdint.h>

#include "mp/config.h"

typedef enum {
    MPI_HOOK_PUT_INSIDE = 1, /* put: inside the producers' side, before the copy */
    MPI_HOOK_PUT_PUBLISH,    /* put: message copied, not yet published */
    MPI_HOOK_GET_INSIDE,     /* get: inside the consumers' side */
    MPI_HOOK_SLEEPER,        /* a ring waiter registered as a sleeper, not yet asleep */
    MPI_HOOK_BIASED,         /* put/get: inside a side through its bias (busy marked) */
    MPI_HOOK_RECORDS_WRITTEN,   /* dict/list: a change fully written, not yet published */
    MPI_HOOK_RECORDS_PUBLISHED, /* dict/list: published, its bookkeeping not yet done */
    MPI_HOOK_SLAB_TAKEN,     /* slab alloc: a block taken (owner recorded), not yet returned */
    MPI_HOOK_SLAB_FREED,     /* slab free: the block free, its allocators not yet woken */
} mpi_hook_point_t;

extern void (*mpi_test_hook)(mpi_hook_point_t point);

#define MPI_HOOK(point)                                                                      \
    do {                                                                                     \
        if (MP_CONF_TEST_HOOKS && mpi_test_hook != 0)                                        \
            mpi_test_hook(point);                                                            \
    } while (0)

#endif
