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
