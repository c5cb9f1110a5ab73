/*
 * Handles and timeouts, shared by every object.
 *
 * A handle is a small value, never a pointer: bits 31..27 name the kind of object,
 * 26..12 the generation of its table slot (it wraps after 32767 reuses of one slot),
 * 11..0 the slot index plus one. A handle whose slot was freed and reused differs in
 * generation and is refused with MP_ESTALE; a handle of another kind is refused with
 * MP_EHANDLE. The all-zero handle is never valid, so a zero-initialised variable cannot
 * alias anything.
 *
 * Destroy while others are inside. Every destroy may run while other processes are in
 * the middle of a call on the object, or blocked in one. Those calls never reach the
 * object created next in the same slot: the slot (and its arena storage) is reused only
 * after every live caller has left. Callers blocked in it return MP_ESTALE at once; a
 * call that was running keeps a success (what it did happened before the destroy) and
 * turns any failure into MP_ESTALE. A caller killed inside counts until it is joined.
 */
#ifndef MP_TYPES_H
#define MP_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mp/error.h"

/* The fields of a handle (above), for code that must tell handles apart without the
 * runtime (a board's fault injection); the runtime's own helpers derive from these. */
#define MP_HANDLE_KIND_SHIFT 27u
#define MP_HANDLE_GEN_SHIFT 12u

/* Storage class for a global that every process shares: `MP_SHARED int hits;` puts it in
 * the runtime's world, so on POSIX it is one copy across fork instead of a copy-on-write
 * one per process (on the task port all memory is shared anyway). Static initialisers
 * are kept. It must not hold pointers into process-private memory. */
#define MP_SHARED __attribute__((section("mp_world")))

/* Milliseconds to wait. MP_NOWAIT polls; MP_FOREVER waits as long as it takes. */
typedef uint32_t mp_timeout_t;
#define MP_NOWAIT ((mp_timeout_t)0)
#define MP_FOREVER ((mp_timeout_t)UINT32_MAX)

/* Nanoseconds on the port's monotonic clock (virtual on the host simulation). */
typedef uint64_t mp_time_t;

/* The port's monotonic clock, in ns: virtual on the host simulation, so an application
 * measures time the way the runtime's timeouts do. @retval MP_EINVAL now is NULL */
mp_err_t mp_clock_ns(mp_time_t *now);

/* time.sleep: the calling process blocks for ms milliseconds of that clock while the others
 * run (virtual time on the host simulation, where a 5 s sleep takes microseconds; the CPU
 * idles on the Cortex-M3 when every task waits). 0 lets the others run first (a yield).
 * @retval MP_EINVAL ms is MP_FOREVER  @retval MP_EISR in an interrupt handler */
mp_err_t mp_sleep(mp_timeout_t ms);

#endif
