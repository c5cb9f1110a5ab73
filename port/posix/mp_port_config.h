/* POSIX port defaults (an application's MP_CONFIG_FILE may override them). */
#ifndef MP_PORT_CONFIG_H
#define MP_PORT_CONFIG_H

/* The world is remapped MAP_SHARED page by page. */
#ifndef MP_CONF_WORLD_ALIGN
#define MP_CONF_WORLD_ALIGN 4096
#endif

/* A futex sleeper is not told that the owner of its word died, so it looks every 10 ms.
 * Deaths are seen instantly by anyone not asleep: Linux marks the life word itself. */
#ifndef MP_CONF_LIVENESS_NS
#define MP_CONF_LIVENESS_NS 10000000
#endif

/* A syscall costs about a microsecond here (a futex sleep and wake, several): spin a few
 * microseconds on a busy lock or an empty/full queue before sleeping. */
#ifndef MP_CONF_SPIN
#define MP_CONF_SPIN 2000
#endif

#if !defined(MP_CONF_RELAX) && (defined(__x86_64__) || defined(__i386__))
#define MP_CONF_RELAX() __builtin_ia32_pause()
#endif

#endif
