/*
 * Helpers shared by the test suites. Tests run in the main process; children never call
 * CMocka (an assert in a forked child would unwind into a copy of the test runner), they
 * report through their exit code, shared variables, or lock results.
 */
#ifndef MP_TEST_H
#define MP_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mp/mp.h"
#include "mp_port.h"

#define OK(expr) assert_int_equal(MP_OK, (expr))

/* A test that kills or stops a process at a core test hook: skipped (not passed) in a
 * build without hooks, whose MPI_HOOK points are compiled out. */
#define NEEDS_TEST_HOOKS()                                                                   \
    do {                                                                                     \
        if (!MP_CONF_TEST_HOOKS)                                                             \
            skip();                                                                          \
    } while (0)

/* A one-shot signal between processes, made of a Lock: CPython lets any process release
 * a Lock, so "release" posts and "acquire" waits. */
typedef struct {
    mp_lock_t lock;
} test_signal_t;

static inline void signal_init(test_signal_t *s)
{
    OK(mp_lock_create(&s->lock));
    OK(mp_lock_acquire(s->lock, MP_NOWAIT));
}

static inline mp_err_t signal_post(test_signal_t s)
{
    return mp_lock_release(s.lock);
}

static inline mp_err_t signal_wait(test_signal_t s, mp_timeout_t timeout)
{
    return mp_lock_acquire(s.lock, timeout);
}

static inline void signal_destroy(test_signal_t *s)
{
    bool held;
    OK(mp_lock_locked(s->lock, &held));
    if (held)
        (void)mp_lock_release(s->lock);
    OK(mp_lock_destroy(s->lock));
}

/* Creates and starts a child. */
static inline mp_process_t spawn(mp_process_fn fn, const void *arg, size_t size,
                                 mp_daemon_t daemon)
{
    mp_process_t p;
    OK(mp_process_create(&p, &(mp_process_attr_t){
                                 .target = fn, .arg = arg, .arg_size = size, .daemon = daemon}));
    OK(mp_process_start(p));
    return p;
}

/* Joins, returns the exitcode, frees the slot. */
static inline int reap(mp_process_t p)
{
    int code = 12345;
    OK(mp_process_join(p, MP_FOREVER));
    OK(mp_process_exitcode(p, &code));
    OK(mp_process_close(p));
    return code;
}

/* Runs fn(arg) in a child to the end; returns its exitcode. */
static inline int run(mp_process_fn fn, const void *arg, size_t size)
{
    return reap(spawn(fn, arg, size, MP_DAEMON_INHERIT));
}

/* An address whose access faults on every port: unmapped on Linux, the system region
 * of a Cortex-M (a bus fault). A child that touches it ends with -MP_SIGSEGV. */
#define BAD_ADDRESS ((volatile int *)(uintptr_t)0xFFFFFFF0u)

/* A child's way to report an mp_err_t through its exitcode (0..255 on every port). */
#define CODE(err) (-(int)(err))

/* Port-dependent helpers (tests/support/<port>/port_test.c). wait_blocked returns once
 * p sleeps in the runtime (a child that announced a blocking call and then made it);
 * wait_stopped once p is stopped by SIGSTOP (POSIX only). */
void wait_blocked(mp_process_t p);
void wait_stopped(mp_process_t p);

/* Every test leaves no child behind: the table must be as the suite found it. */
static inline int no_children_left(void **state)
{
    (void)state;
    size_t n = 0;
    if (mp_process_active_children(NULL, 0, &n) != MP_OK || n != 0)
        return -1;
    return 0;
}

#endif
