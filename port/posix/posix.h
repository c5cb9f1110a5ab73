/* Internal to port/posix (prefix posix_): what its three files ask of each other. */
#ifndef MP_POSIX_H
#define MP_POSIX_H

#include <stdatomic.h>
#include <stddef.h>

#include "mp/config.h"
#include "mp/error.h"

/* process.c: the rest of mp_port_init once the world is shared: the calling process
 * becomes slot 0 (its robust list, the at-fork handler, child subreaper). */
mp_err_t posix_process_init(void);

/* futex.c: registers the calling process for mp_port_fence (membarrier), as each process
 * of the world must when it starts. */
void posix_fence_register(void);

/* futex.c: per slot, the word its process sleeps on in mp_port_wait (mp_dump), NULL when
 * it does not; shared (MP_SHARED) but outside the core's world, whose bytes a sleeper's
 * slices would otherwise change under every snapshot of it. Cleared at each spawn. */
extern void *_Atomic posix_waiting[MP_CONF_MAX_PROCESSES];

#endif
