/*
 * Helpers shared by the test suites; every suite includes this header. Tests run in the
 * main process; children never call CMocka (an assert in a forked child would unwind into
 * a copy of the test runner), they report through their exit code, shared variables, or
 * lock results.
 *
 * One header per noun, all included from here:
 *   children.h     starting, joining and reaping children; the LONG deadline; TEST()
 *   test_signal.h  a one-shot signal between processes
 * Nothing here may need a POSIX header: tests/core/ is also built for the Cortex-M3.
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

/* An address whose access faults on every port: unmapped on Linux, the system region
 * of a Cortex-M (a bus fault). A child that touches it ends with -MP_SIGSEGV. */
#define BAD_ADDRESS ((volatile int *)(uintptr_t)0xFFFFFFF0u)

/* A child's way to report an mp_err_t through its exitcode (0..255 on every port). */
#define CODE(err) (-(int)(err))

#include "children.h"
#include "test_signal.h"

#endif
