/* The POSIX port's figures: properties of Linux and of this kind of machine that the core
 * reads (core/include/mp/config.h), not application options. */
#ifndef MP_PORT_CONFIG_H
#define MP_PORT_CONFIG_H

/* The world is remapped MAP_SHARED page by page. */
#define MP_PORT_WORLD_ALIGN 4096

/* x86-64 and most 64-bit CPUs Linux runs on. */
#define MP_PORT_CACHE_LINE 64

/* A futex sleeper is not told that the owner of its word died, so it looks every 10 ms.
 * Deaths are seen instantly by anyone not asleep: Linux marks the life word itself. */
#define MP_PORT_LIVENESS_NS 10000000

/* A syscall costs about a microsecond here (a futex sleep and wake, several): spin a few
 * microseconds on a busy lock or an empty/full queue before sleeping. */
#define MP_PORT_SPIN 2000

#if defined(__x86_64__) || defined(__i386__)
#define MP_PORT_RELAX() __builtin_ia32_pause()
#endif

#endif
