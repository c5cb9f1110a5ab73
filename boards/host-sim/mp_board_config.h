/* Host simulation board (x86-64): its figures, then its defaults for application options
 * (an application's MP_CONFIG_FILE may override those). */
#ifndef MP_BOARD_CONFIG_H
#define MP_BOARD_CONFIG_H

/* The tasks share one host process: nothing is mapped, a cache line apart is enough. */
#define MP_PORT_CACHE_LINE 64
#define MP_PORT_WORLD_ALIGN 64

/* Host stacks are cheap, and AddressSanitizer makes frames several times larger. */
#ifndef MP_CONF_STACK_SIZE
#define MP_CONF_STACK_SIZE (128 * 1024)
#endif

#endif
