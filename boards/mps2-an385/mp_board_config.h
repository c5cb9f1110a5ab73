/* ARM MPS2 AN385 (Cortex-M3) as QEMU emulates it: 4 MiB of RAM, no cache, one CPU.
 *
 * Its figures (MP_PORT_*, not application options): no cache, so nothing is padded apart.
 * Its defaults for application options (an application's MP_CONFIG_FILE may override
 * them, and shrink any table): the core's table sizes are kept (the test suites assume
 * them); what a microcontroller changes is task stacks, the arena and message sizes. */
#ifndef MP_BOARD_CONFIG_H
#define MP_BOARD_CONFIG_H

#define MP_PORT_CACHE_LINE 8
#define MP_PORT_WORLD_ALIGN 8

#ifndef MP_CONF_STACK_SIZE
#define MP_CONF_STACK_SIZE 2048
#endif
#ifndef MP_CONF_ARENA_SIZE
#define MP_CONF_ARENA_SIZE (64 * 1024)
#endif
#ifndef MP_CONF_MAX_MSG_SIZE
#define MP_CONF_MAX_MSG_SIZE 4096
#endif
#ifndef MP_CONF_POOL_CHUNK_BYTES
#define MP_CONF_POOL_CHUNK_BYTES 64
#endif
#ifndef MP_CONF_PIPE_MSG_SIZE
#define MP_CONF_PIPE_MSG_SIZE 64
#endif

#endif
