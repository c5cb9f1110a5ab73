/* A new port's figures, read by the core (core/include/mp/config.h has what each means
 * and its default). They are the port's, not application options. A port may also give
 * defaults to application options (MP_CONF_*), each under #ifndef, as
 * boards/mps2-an385/mp_board_config.h does. */
#ifndef MP_PORT_CONFIG_H
#define MP_PORT_CONFIG_H

/* 0 if your port wakes every waiter when a process dies (as port/task does); otherwise
 * how often (ns) a sleeper should look at its owner's life word (port/posix: 10 ms). */
#define MP_PORT_LIVENESS_NS 0

/* Spins on a busy word before sleeping: 0 on one CPU (port/posix: 2000). */
#define MP_PORT_SPIN 0

/* Objects written by different processes are kept this far apart (8: no cache). */
#define MP_PORT_CACHE_LINE 64

/* Alignment of the runtime's shared state: a page if your port maps it shared. */
#define MP_PORT_WORLD_ALIGN 64

/* A hint to the CPU inside spin loops, if it has one (x86: pause). */
/* #define MP_PORT_RELAX() */

#endif
