/* ARM MPS2 AN385 (Cortex-M3) as QEMU emulates it: 4 MiB of RAM, no cache, one CPU. The
 * core's table sizes are kept (the test suites assume them); what differs is what a
 * microcontroller changes: task stacks, the arena, and no cache-line padding. An
 * application's MP_CONFIG_FILE may shrink any table. */
#ifndef MP_PORT_CONFIG_H
#define MP_PORT_CONFIG_H

#ifndef MP_CONF_STACK_SIZE
#define MP_CONF_STACK_SIZE 2048
#endif
#ifndef MP_CONF_ARENA_SIZE
#define MP_CONF_ARENA_SIZE (64 * 1024)
#endif
#ifndef MP_CONF_MAX_MSG_SIZE
#define MP_CONF_MAX_MSG_SIZE 4096
#endif
#ifndef MP_CONF_PIPE_MSG_SIZE
#define MP_CONF_PIPE_MSG_SIZE 64
#endif
/* No cache: padding objects apart would only waste RAM. */
#ifndef MP_CONF_CACHE_LINE
#define MP_CONF_CACHE_LINE 8
#endif
#ifndef MP_CONF_WORLD_ALIGN
#define MP_CONF_WORLD_ALIGN 8
#endif

#endif
