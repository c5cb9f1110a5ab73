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

/* A syscall costs about a microsecond here; a short spin finds most locks freed first. */
#ifndef MP_CONF_SPIN
#define MP_CONF_SPIN 200
#endif

#endif
