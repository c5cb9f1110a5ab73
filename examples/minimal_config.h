/* Tables for the footprint image: what its two processes, one queue and one lock need. */
#define MP_CONF_MAX_PROCESSES 3
#define MP_CONF_MAX_LOCKS 1
#define MP_CONF_MAX_QUEUES 1
#define MP_CONF_MAX_PIPES 0
#define MP_CONF_MAX_VALUES 0
#define MP_CONF_MAX_SEMAPHORES 0
#define MP_CONF_MAX_EVENTS 0
#define MP_CONF_MAX_CONDITIONS 0
#define MP_CONF_MAX_BARRIERS 0
#define MP_CONF_ARENA_SIZE 64
#define MP_CONF_NAME_LEN 8
#define MP_CONF_ARG_SIZE 0
#define MP_CONF_IDENT_DEPTH 1
#define MP_CONF_STACK_SIZE 512
#define MP_CONF_DEADLOCK_REPORT 0
#define MP_CONF_MAX_POOLS 0
#define MP_CONF_MAX_RESULTS 0
#define MP_CONF_POOL_QUEUE 1
#define MP_CONF_POOL_ARG_SIZE 1
#define MP_CONF_POOL_RESULT_SIZE 1
#define MP_CONF_POOL_MSG_LEN 1
#define MP_CONF_MAX_DICTS 0
#define MP_CONF_MAX_LISTS 0
#define MP_CONF_MAX_SLABS 0
#define MP_CONF_MAX_NAMES 0
#define MP_CONF_DUMP_OBJECTS 0
#define MP_CONF_EXIT_HOOKS 0
#define MP_CONF_STACK_HIGH_WATER 0 /* FreeRTOS anchor: no stack fill */
#define MP_CONF_CONFIG_NAMES 0 /* MP_ECONFIG gives the option by its place */
#define MP_CONF_QUEUE_INLINE 0 /* every put and get through the ring's one path */
