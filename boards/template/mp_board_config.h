/* A new board's figures and defaults (copy to boards/<board>/, see boards/README.md).
 *
 * Its figures (MP_PORT_*): the cache line that objects written by different processes are
 * kept apart by (a microcontroller without a data cache: 8), and the alignment of the
 * world. Then its defaults for the application options it sizes differently, each under
 * #ifndef so an application's MP_CONFIG_FILE still wins: task stacks, the arena and
 * message sizes are what a small RAM changes first. */
#ifndef MP_BOARD_CONFIG_H
#define MP_BOARD_CONFIG_H

#define MP_PORT_CACHE_LINE 8
#define MP_PORT_WORLD_ALIGN 8

#ifndef MP_CONF_STACK_SIZE
#define MP_CONF_STACK_SIZE 2048
#endif
#ifndef MP_CONF_ARENA_SIZE
#define MP_CONF_ARENA_SIZE (16 * 1024)
#endif
#ifndef MP_CONF_MAX_MSG_SIZE
#define MP_CONF_MAX_MSG_SIZE 1024
#endif

#endif
