/* This application's configuration: the runtime is compiled with it too (CMake:
 * MPSTATIC_CONFIG; ninja: configure.py --config). Its argument is larger than the default
 * MP_CONF_ARG_SIZE (32), and it needs few tables. */
#define MP_CONF_ARG_SIZE 64
#define MP_CONF_MAX_PROCESSES 4
#define MP_CONF_MAX_QUEUES 2
#define MP_CONF_ARENA_SIZE (16 * 1024)
