/* ARM MPS2 AN385 (Cortex-M3) as QEMU emulates it: 4 MiB of RAM, no cache, one CPU. Tables
 * sized for a small firmware; an application's MP_CONFIG_FILE may change any of them. */
#ifndef MP_PORT_CONFIG_H
#define MP_PORT_CONFIG_H

#ifndef MP_CONF_MAX_PROCESSES
#define MP_CONF_MAX_PROCESSES 8
#endif
#ifndef MP_CONF_STACK_SIZE
#define MP_CONF_STACK_SIZE 2048
#endif
#ifndef MP_CONF_ARG_SIZE
#define MP_CONF_ARG_SIZE 16
#endif
#ifndef MP_CONF_MAX_LOCKS
#define MP_CONF_MAX_LOCKS 16
#endif
#ifndef MP_CONF_MAX_QUEUES
#define MP_CONF_MAX_QUEUES 8
#endif
#ifndef MP_CONF_MAX_PIPES
#define MP_CONF_MAX_PIPES 4
#endif
#ifndef MP_CONF_MAX_VALUES
#define MP_CONF_MAX_VALUES 8
#endif
#ifndef MP_CONF_MAX_SEMAPHORES
#define MP_CONF_MAX_SEMAPHORES 4
#endif
#ifndef MP_CONF_MAX_EVENTS
#define MP_CONF_MAX_EVENTS 4
#endif
#ifndef MP_CONF_MAX_CONDITIONS
#define MP_CONF_MAX_CONDITIONS 4
#endif
#ifndef MP_CONF_MAX_BARRIERS
#define MP_CONF_MAX_BARRIERS 2
#endif
#ifndef MP_CONF_ARENA_SIZE
#define MP_CONF_ARENA_SIZE (16 * 1024)
#endif
#ifndef MP_CONF_MAX_MSG_SIZE
#define MP_CONF_MAX_MSG_SIZE 1024
#endif
#ifndef MP_CONF_PIPE_MSG_SIZE
#define MP_CONF_PIPE_MSG_SIZE 64
#endif
#ifndef MP_CONF_PIPE_DEPTH
#define MP_CONF_PIPE_DEPTH 4
#endif
/* No cache: padding objects apart would only waste RAM. */
#ifndef MP_CONF_CACHE_LINE
#define MP_CONF_CACHE_LINE 8
#endif
#ifndef MP_CONF_WORLD_ALIGN
#define MP_CONF_WORLD_ALIGN 8
#endif

#endif
