/*
 * POSIX wait/wake and the clock: the futex syscall on the shared mapping.
 *
 * The operations are the shared (not FUTEX_PRIVATE_FLAG) kind, because the word is in
 * a MAP_SHARED mapping used by several processes. FUTEX_WAIT_BITSET takes an absolute
 * CLOCK_MONOTONIC deadline, the same clock as mp_port_now(), so a wait interrupted and
 * restarted never stretches its timeout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "mp_port.h"
#include "posix.h"

MP_SHARED void *_Atomic posix_waiting[MP_CONF_MAX_PROCESSES];

mp_err_t mp_port_wait(_Atomic uint32_t *addr, uint32_t expected, mp_time_t deadline)
{
    struct timespec ts, *tsp = NULL;
    if (deadline != MP_TIME_NEVER) {
        ts.tv_sec = (time_t)(deadline / 1000000000u);
        ts.tv_nsec = (long)(deadline % 1000000000u);
        tsp = &ts;
    }
    /* where mp_dump finds what the process waits for (a raw fork() copy has no slot) */
    uint32_t self = mp_port_self();
    void *_Atomic *me = self < MP_CONF_MAX_PROCESSES ? &posix_waiting[self] : NULL;
    if (me != NULL)
        atomic_store_explicit(me, (void *)addr, memory_order_relaxed);
    long r = syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAIT_BITSET, expected, tsp, NULL,
                     FUTEX_BITSET_MATCH_ANY);
    if (me != NULL)
        atomic_store_explicit(me, NULL, memory_order_relaxed);
    if (r == -1 && errno == ETIMEDOUT)
        return MP_ETIMEDOUT;
    return MP_OK; /* woken, value changed (EAGAIN) or a signal (EINTR): the caller re-checks */
}

void mp_port_wake(_Atomic uint32_t *addr, uint32_t n)
{
    syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAKE, n > INT_MAX ? INT_MAX : (int)n, NULL,
            NULL, 0);
}

void mp_port_yield(void)
{
    (void)sched_yield();
}

/* membarrier's global expedited command interrupts only the CPUs running processes that
 * registered for it: every process of the world registers as it starts. */
static int fence_ok = -1;

void posix_fence_register(void)
{
    if (fence_ok < 0) { /* the main process asks; a child knows the answer from its copy */
        int cmds = (int)syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
        fence_ok = cmds >= 0 && (cmds & MEMBARRIER_CMD_GLOBAL_EXPEDITED);
    }
    fence_ok = fence_ok &&
               syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, 0, 0) == 0;
}

mp_err_t mp_port_fence(void)
{
    if (fence_ok <= 0 || syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0, 0) != 0) {
        atomic_thread_fence(memory_order_seq_cst);
        return MP_ENOTSUP;
    }
    return MP_OK;
}

mp_time_t mp_port_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (mp_time_t)ts.tv_sec * 1000000000u + (mp_time_t)ts.tv_nsec;
}

const void *mp_port_wait_addr(uint32_t slot)
{
    return slot < MP_CONF_MAX_PROCESSES ? atomic_load(&posix_waiting[slot]) : NULL;
}

mp_err_t mp_port_stack_use(uint32_t slot, uint32_t *used, uint32_t *size)
{
    (void)slot; /* Linux's stacks grow on demand: there is no figure to give */
    (void)used;
    (void)size;
    return MP_ENOTSUP;
}

void mp_port_console(const char *text, size_t len)
{
    fflush(stdout); /* after what the program printed before it */
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, text, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* nowhere to write: a dump is not worth failing for */
        text += n;
        len -= (size_t)n;
    }
}
