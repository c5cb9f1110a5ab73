/*
 * Compile-time sizes of every table the runtime owns.
 *
 * Order of precedence (first definition wins):
 *   1. the application's header, named by -DMP_CONFIG_FILE="my_config.h";
 *   2. the port's or board's defaults, mp_port_config.h found on the include path;
 *   3. the defaults below.
 * Every value is then checked here, once, with a message that names the option.
 */
#ifndef MP_CONFIG_H
#define MP_CONFIG_H

#if defined(MP_CONFIG_FILE)
#include MP_CONFIG_FILE
#endif
#include "mp_port_config.h"

/* Process slots, the main process included (it always takes slot 0). */
#ifndef MP_CONF_MAX_PROCESSES
#define MP_CONF_MAX_PROCESSES 16
#endif

/* Bytes of the argument copied into a process slot at create (CPython's args). */
#ifndef MP_CONF_ARG_SIZE
#define MP_CONF_ARG_SIZE 32
#endif

/* Bytes of a process name, terminating NUL included. */
#ifndef MP_CONF_NAME_LEN
#define MP_CONF_NAME_LEN 16
#endif

/* Levels of the Process-1:2:3 identity kept for default names. */
#ifndef MP_CONF_IDENT_DEPTH
#define MP_CONF_IDENT_DEPTH 4
#endif

/* Most objects one mp_wait call waits on (each costs a process 8 bytes of its record). */
#ifndef MP_CONF_WAIT_OBJECTS
#define MP_CONF_WAIT_OBJECTS 8
#endif

/* Exit hooks (mp_atexit) each process may register. */
#ifndef MP_CONF_EXIT_HOOKS
#define MP_CONF_EXIT_HOOKS 8
#endif

/* Task port: 1 lets processes of equal priority share the CPU in turns (the tick, and the
 * host simulation's seeded preemption points); 0 runs each to its next block or yield
 * (FreeRTOS's configUSE_TIME_SLICING 0). A higher priority preempts either way. POSIX
 * leaves scheduling to Linux and ignores it. */
#ifndef MP_CONF_TIME_SLICING
#define MP_CONF_TIME_SLICING 1
#endif

/* Task port: priority levels, 0 (every process's default) .. MP_CONF_PRIORITIES - 1. */
#ifndef MP_CONF_PRIORITIES
#define MP_CONF_PRIORITIES 8
#endif

/* Locks and recursive locks, one shared table. */
#ifndef MP_CONF_MAX_LOCKS
#define MP_CONF_MAX_LOCKS 32
#endif

/* Queues (JoinableQueues included) and pipes. */
#ifndef MP_CONF_MAX_QUEUES
#define MP_CONF_MAX_QUEUES 16
#endif
#ifndef MP_CONF_MAX_PIPES
#define MP_CONF_MAX_PIPES 16
#endif

/* Largest message a queue or pipe may be created for, in bytes. */
#ifndef MP_CONF_MAX_MSG_SIZE
#define MP_CONF_MAX_MSG_SIZE 65536
#endif

/* Shape of a pipe created without sizes: message bytes, and messages per direction. */
#ifndef MP_CONF_PIPE_MSG_SIZE
#define MP_CONF_PIPE_MSG_SIZE 256
#endif
#ifndef MP_CONF_PIPE_DEPTH
#define MP_CONF_PIPE_DEPTH 16
#endif

/* Values and Arrays (one table), and the synchronisation objects. */
#ifndef MP_CONF_MAX_VALUES
#define MP_CONF_MAX_VALUES 32
#endif
#ifndef MP_CONF_MAX_SEMAPHORES
#define MP_CONF_MAX_SEMAPHORES 16
#endif
#ifndef MP_CONF_MAX_EVENTS
#define MP_CONF_MAX_EVENTS 16
#endif
#ifndef MP_CONF_MAX_CONDITIONS
#define MP_CONF_MAX_CONDITIONS 16
#endif
#ifndef MP_CONF_MAX_BARRIERS
#define MP_CONF_MAX_BARRIERS 8
#endif

/* Pools (mp/pool.h): the pool table, workers per pool, tasks a pool holds queued, running
 * or finished and not yet collected, the bytes of a task's argument, result and failure
 * text, the table of asynchronous results, and how long terminate waits after SIGTERM
 * before it sends SIGKILL. */
#ifndef MP_CONF_MAX_POOLS
#define MP_CONF_MAX_POOLS 2
#endif
#ifndef MP_CONF_POOL_WORKERS
#define MP_CONF_POOL_WORKERS (MP_CONF_MAX_PROCESSES > 4 ? 4 : MP_CONF_MAX_PROCESSES - 1)
#endif
#ifndef MP_CONF_POOL_QUEUE
#define MP_CONF_POOL_QUEUE 8
#endif
#ifndef MP_CONF_POOL_ARG_SIZE
#define MP_CONF_POOL_ARG_SIZE 64
#endif
#ifndef MP_CONF_POOL_RESULT_SIZE
#define MP_CONF_POOL_RESULT_SIZE 64
#endif
/* Bytes of arguments, and again of results, one Pool job carries for map and imap: a
 * chunk travels in jobs of at most this many bytes and MP_CONF_POOL_CHUNK_BYTES / 8 items
 * (at least 8). A map of small items runs at the speed of its jobs: bigger is faster. */
#ifndef MP_CONF_POOL_CHUNK_BYTES
#define MP_CONF_POOL_CHUNK_BYTES 1024
#endif
#ifndef MP_CONF_POOL_MSG_LEN
#define MP_CONF_POOL_MSG_LEN 32
#endif
#ifndef MP_CONF_MAX_RESULTS
#define MP_CONF_MAX_RESULTS 16
#endif
#ifndef MP_CONF_POOL_TERM_MS
#define MP_CONF_POOL_TERM_MS 1000
#endif

/* Manager objects: shared dicts and lists (tables), and the largest shapes a create accepts.
 * Their storage comes from the arena. */
#ifndef MP_CONF_MAX_DICTS
#define MP_CONF_MAX_DICTS 8
#endif
#ifndef MP_CONF_MAX_LISTS
#define MP_CONF_MAX_LISTS 8
#endif
#ifndef MP_CONF_DICT_KEY_SIZE
#define MP_CONF_DICT_KEY_SIZE 64 /* largest key, bytes without its NUL */
#endif
#ifndef MP_CONF_DICT_VALUE_SIZE
#define MP_CONF_DICT_VALUE_SIZE 1024 /* largest value, bytes */
#endif
#ifndef MP_CONF_LIST_ITEM_SIZE
#define MP_CONF_LIST_ITEM_SIZE 1024 /* largest list item, bytes */
#endif
#ifndef MP_CONF_CONTAINER_CAPACITY
#define MP_CONF_CONTAINER_CAPACITY 4096 /* most entries of one dict or list */
#endif

/* Slabs (mp/slab.h): fixed-block allocators. Their storage comes from the arena, or from
 * the application's MP_SLAB_DEFINE. */
#ifndef MP_CONF_MAX_SLABS
#define MP_CONF_MAX_SLABS 8
#endif

/* mp_dump describes each object (a lock's holder, a queue's messages, ...); 0: its kind,
 * index and name only, and less code. */
#ifndef MP_CONF_DUMP_OBJECTS
#define MP_CONF_DUMP_OBJECTS 1
#endif

/* Names given to objects (mp/name.h: mp_object_set_name), each MP_CONF_NAME_LEN bytes. */
#ifndef MP_CONF_MAX_NAMES
#define MP_CONF_MAX_NAMES 16
#endif

/* The shared arena: storage of queues, pipes and arrays created at run time. */
#ifndef MP_CONF_ARENA_SIZE
#define MP_CONF_ARENA_SIZE (256 * 1024)
#endif

/* Task port: bytes of stack per process slot (slot 0 runs on the board's own stack). */
#ifndef MP_CONF_STACK_SIZE
#define MP_CONF_STACK_SIZE 4096
#endif

/* A queue's put and get take their common case (the side biased to the caller, room or a
 * message there) inline, and only the rest through the ring's whole path (-137 instructions
 * per 4-byte put+get on the Cortex-M3, about 400 bytes of code); 0: always the whole path. */
#ifndef MP_CONF_QUEUE_INLINE
#define MP_CONF_QUEUE_INLINE 1
#endif

/* MP_ECONFIG's text names the option a program and its runtime disagree on (about 550
 * bytes of names); 0: it gives the option's place in MP_CONF_OPTIONS instead. */
#ifndef MP_CONF_CONFIG_NAMES
#define MP_CONF_CONFIG_NAMES 1
#endif

/* Task port: each task's stack is painted when it starts, so that mp_dump can tell its
 * high-water mark (FreeRTOS's uxTaskGetStackHighWaterMark); a start then writes the whole
 * stack (about 900 instructions for 2 KB on the Cortex-M3). 0: no painting, and the dump
 * says the mark is unknown. */
#ifndef MP_CONF_STACK_HIGH_WATER
#define MP_CONF_STACK_HIGH_WATER 1
#endif

/* Deadlock reports name every task and the object it waits for; 0 keeps only a one-line
 * message, and the code that describes objects drops out of the image. */
#ifndef MP_CONF_DEADLOCK_REPORT
#define MP_CONF_DEADLOCK_REPORT 1
#endif

/* Test builds compile the core's test hooks (core/test_hooks.h); 0 leaves no trace. */
#ifndef MP_CONF_TEST_HOOKS
#define MP_CONF_TEST_HOOKS 0
#endif

/* An internal check that fails (state that cannot arise unless memory was overwritten or
 * the core has a bug) is counted (mp_usage: checks_failed) and the call goes on with a
 * safe value; with 1 it stops the program at once (__builtin_trap). Test builds: 1. */
#ifndef MP_CONF_CHECK_FATAL
#define MP_CONF_CHECK_FATAL MP_CONF_TEST_HOOKS
#endif

/* ---- the port's figures --------------------------------------------------------- */
/* Properties of the port and the machine, set in its mp_port_config.h (MP_PORT_*), not
 * application options; these are the values for a port that sets none. */
/* Ports that detect a dead owner by looking rather than being told re-check a blocked
 * wait this often (nanoseconds); 0 means the port wakes waiters on every death itself. */
#ifndef MP_PORT_LIVENESS_NS
#define MP_PORT_LIVENESS_NS 0
#endif

/* Spins on a busy word before sleeping; 0 on a single CPU, where spinning never helps. */
#ifndef MP_PORT_SPIN
#define MP_PORT_SPIN 0
#endif

/* 1: every process runs on one CPU (a task port): another process runs only after a switch
 * or an interrupt, which the CPU completes in order, so the hot paths' acquire and release
 * orders and their fences need only keep the compiler's order (no `dmb`). 0: the full
 * C11 orders. */
#ifndef MP_PORT_ONE_CPU
#define MP_PORT_ONE_CPU 0
#endif

/* A hint to the CPU inside spin loops (x86: pause); ports may define it. */
#ifndef MP_PORT_RELAX
#define MP_PORT_RELAX() ((void)0)
#endif

/* Cache line size: objects written by different processes are kept this far apart, and
 * queue slots never straddle a line. A cacheless microcontroller sets it to 8. */
#ifndef MP_PORT_CACHE_LINE
#define MP_PORT_CACHE_LINE 64
#endif

/* Alignment of the runtime's shared state: a page where the port maps it shared. */
#ifndef MP_PORT_WORLD_ALIGN
#define MP_PORT_WORLD_ALIGN 64
#endif

/* ---- checks: one per option ------------------------------------------------------ */
_Static_assert(MP_CONF_WAIT_OBJECTS >= 1 && MP_CONF_WAIT_OBJECTS <= 64,
               "MP_CONF_WAIT_OBJECTS must be 1..64");
_Static_assert(MP_CONF_MAX_PROCESSES >= 2 && MP_CONF_MAX_PROCESSES <= 4095,
               "MP_CONF_MAX_PROCESSES must be 2..4095 (slot 0 is the main process)");
_Static_assert(MP_CONF_ARG_SIZE >= 0 && MP_CONF_ARG_SIZE <= 65535,
               "MP_CONF_ARG_SIZE must be 0..65535 bytes");
_Static_assert(MP_CONF_NAME_LEN >= 8 && MP_CONF_NAME_LEN <= 255,
               "MP_CONF_NAME_LEN must be 8..255 (room for \"Process-1\")");
_Static_assert(MP_CONF_IDENT_DEPTH >= 1 && MP_CONF_IDENT_DEPTH <= 16,
               "MP_CONF_IDENT_DEPTH must be 1..16");
_Static_assert(MP_CONF_EXIT_HOOKS >= 0 && MP_CONF_EXIT_HOOKS <= 255,
               "MP_CONF_EXIT_HOOKS must be 0..255");
_Static_assert(MP_CONF_PRIORITIES >= 1 && MP_CONF_PRIORITIES <= 32,
               "MP_CONF_PRIORITIES must be 1..32");
_Static_assert(MP_CONF_MAX_LOCKS >= 1 && MP_CONF_MAX_LOCKS <= 4095,
               "MP_CONF_MAX_LOCKS must be 1..4095");
_Static_assert(MP_CONF_MAX_QUEUES >= 0 && MP_CONF_MAX_QUEUES <= 4095,
               "MP_CONF_MAX_QUEUES must be 0..4095");
_Static_assert(MP_CONF_MAX_PIPES >= 0 && MP_CONF_MAX_PIPES <= 2047,
               "MP_CONF_MAX_PIPES must be 0..2047 (two handles each)");
_Static_assert(MP_CONF_MAX_MSG_SIZE >= 1 && MP_CONF_MAX_MSG_SIZE <= (1 << 24),
               "MP_CONF_MAX_MSG_SIZE must be 1..16 MiB");
_Static_assert(MP_CONF_PIPE_MSG_SIZE >= 1 && MP_CONF_PIPE_MSG_SIZE <= MP_CONF_MAX_MSG_SIZE,
               "MP_CONF_PIPE_MSG_SIZE must be 1..MP_CONF_MAX_MSG_SIZE");
_Static_assert(MP_CONF_PIPE_DEPTH >= 1, "MP_CONF_PIPE_DEPTH must be at least 1");
_Static_assert(MP_CONF_MAX_VALUES >= 0 && MP_CONF_MAX_VALUES <= 4095,
               "MP_CONF_MAX_VALUES must be 0..4095");
_Static_assert(MP_CONF_MAX_SEMAPHORES >= 0 && MP_CONF_MAX_SEMAPHORES <= 4095,
               "MP_CONF_MAX_SEMAPHORES must be 0..4095");
_Static_assert(MP_CONF_MAX_EVENTS >= 0 && MP_CONF_MAX_EVENTS <= 4095,
               "MP_CONF_MAX_EVENTS must be 0..4095");
_Static_assert(MP_CONF_MAX_CONDITIONS >= 0 && MP_CONF_MAX_CONDITIONS <= 4095,
               "MP_CONF_MAX_CONDITIONS must be 0..4095");
_Static_assert(MP_CONF_MAX_BARRIERS >= 0 && MP_CONF_MAX_BARRIERS <= 4095,
               "MP_CONF_MAX_BARRIERS must be 0..4095");
_Static_assert(MP_CONF_MAX_POOLS >= 0 && MP_CONF_MAX_POOLS <= 4095,
               "MP_CONF_MAX_POOLS must be 0..4095");
_Static_assert(MP_CONF_TIME_SLICING == 0 || MP_CONF_TIME_SLICING == 1,
               "MP_CONF_TIME_SLICING must be 0 or 1");
_Static_assert(MP_CONF_POOL_WORKERS >= 1 && MP_CONF_POOL_WORKERS < MP_CONF_MAX_PROCESSES,
               "MP_CONF_POOL_WORKERS must be 1..MP_CONF_MAX_PROCESSES - 1");
_Static_assert(MP_CONF_POOL_QUEUE >= 1 && MP_CONF_POOL_QUEUE <= 255,
               "MP_CONF_POOL_QUEUE must be 1..255");
_Static_assert(MP_CONF_POOL_ARG_SIZE >= 1 && MP_CONF_POOL_ARG_SIZE <= 65535,
               "MP_CONF_POOL_ARG_SIZE must be 1..65535");
_Static_assert(MP_CONF_POOL_RESULT_SIZE >= 1 && MP_CONF_POOL_RESULT_SIZE <= 65535,
               "MP_CONF_POOL_RESULT_SIZE must be 1..65535");
_Static_assert(MP_CONF_POOL_CHUNK_BYTES >= 8 && MP_CONF_POOL_CHUNK_BYTES <= 65535,
               "MP_CONF_POOL_CHUNK_BYTES must be 8..65535");
_Static_assert(MP_CONF_POOL_MSG_LEN >= 1 && MP_CONF_POOL_MSG_LEN <= 255,
               "MP_CONF_POOL_MSG_LEN must be 1..255");
_Static_assert(MP_CONF_MAX_RESULTS >= 0 && MP_CONF_MAX_RESULTS <= 4095,
               "MP_CONF_MAX_RESULTS must be 0..4095");
_Static_assert(MP_CONF_POOL_TERM_MS >= 1, "MP_CONF_POOL_TERM_MS must be at least 1");
_Static_assert(MP_CONF_MAX_DICTS >= 0 && MP_CONF_MAX_DICTS <= 4095,
               "MP_CONF_MAX_DICTS must be 0..4095");
_Static_assert(MP_CONF_MAX_SLABS >= 0 && MP_CONF_MAX_SLABS <= 4095,
               "MP_CONF_MAX_SLABS must be 0..4095");
_Static_assert(MP_CONF_MAX_NAMES >= 0 && MP_CONF_MAX_NAMES <= 4095,
               "MP_CONF_MAX_NAMES must be 0..4095");
_Static_assert(MP_CONF_MAX_LISTS >= 0 && MP_CONF_MAX_LISTS <= 4095,
               "MP_CONF_MAX_LISTS must be 0..4095");
_Static_assert(MP_CONF_DICT_KEY_SIZE >= 1 && MP_CONF_DICT_KEY_SIZE <= 65535,
               "MP_CONF_DICT_KEY_SIZE must be 1..65535");
_Static_assert(MP_CONF_DICT_VALUE_SIZE >= 1 && MP_CONF_DICT_VALUE_SIZE <= (1 << 24),
               "MP_CONF_DICT_VALUE_SIZE must be 1..16 MiB");
_Static_assert(MP_CONF_LIST_ITEM_SIZE >= 1 && MP_CONF_LIST_ITEM_SIZE <= (1 << 24),
               "MP_CONF_LIST_ITEM_SIZE must be 1..16 MiB");
_Static_assert(MP_CONF_CONTAINER_CAPACITY >= 1 && MP_CONF_CONTAINER_CAPACITY <= (1 << 20),
               "MP_CONF_CONTAINER_CAPACITY must be 1..1048576");
_Static_assert(MP_CONF_ARENA_SIZE >= 0 && MP_CONF_ARENA_SIZE % 64 == 0 &&
                   MP_CONF_ARENA_SIZE <= 0x7fffffff,
               "MP_CONF_ARENA_SIZE must be a multiple of 64 bytes");
_Static_assert(MP_CONF_STACK_SIZE >= 256 && MP_CONF_STACK_SIZE % 16 == 0,
               "MP_CONF_STACK_SIZE must be at least 256 and a multiple of 16");
_Static_assert(MP_PORT_SPIN >= 0, "MP_PORT_SPIN must not be negative");
_Static_assert(MP_PORT_CACHE_LINE >= 8 && (MP_PORT_CACHE_LINE & (MP_PORT_CACHE_LINE - 1)) == 0,
               "MP_PORT_CACHE_LINE must be a power of two, at least 8");
_Static_assert(MP_PORT_WORLD_ALIGN >= 8 &&
                   (MP_PORT_WORLD_ALIGN & (MP_PORT_WORLD_ALIGN - 1)) == 0,
               "MP_PORT_WORLD_ALIGN must be a power of two, at least 8");

/* ---- every option, for mp_init ------------------------------------------------------ */
/* mp_init (mp/mp.h) hands the runtime the program's value of each option, in this order,
 * so a program compiled with another configuration than its runtime is refused
 * (MP_ECONFIG) instead of failing later with codes that do not say why. A new option is
 * added here too. */
#define MP_CONF_OPTIONS(X) X(MAX_PROCESSES) X(ARG_SIZE) X(NAME_LEN) X(IDENT_DEPTH)       \
    X(WAIT_OBJECTS) X(EXIT_HOOKS) X(TIME_SLICING) X(PRIORITIES) X(MAX_LOCKS)             \
    X(MAX_QUEUES) X(MAX_PIPES) X(MAX_MSG_SIZE) X(PIPE_MSG_SIZE) X(PIPE_DEPTH)            \
    X(MAX_VALUES) X(MAX_SEMAPHORES) X(MAX_EVENTS) X(MAX_CONDITIONS) X(MAX_BARRIERS)      \
    X(MAX_POOLS) X(POOL_WORKERS) X(POOL_QUEUE) X(POOL_ARG_SIZE) X(POOL_RESULT_SIZE)      \
    X(POOL_CHUNK_BYTES) X(POOL_MSG_LEN) X(MAX_RESULTS) X(POOL_TERM_MS) X(MAX_DICTS)      \
    X(MAX_LISTS) X(DICT_KEY_SIZE) X(DICT_VALUE_SIZE) X(LIST_ITEM_SIZE)                   \
    X(CONTAINER_CAPACITY) X(MAX_SLABS) X(ARENA_SIZE) X(STACK_SIZE) X(DEADLOCK_REPORT)    \
    X(TEST_HOOKS) X(CHECK_FATAL) X(MAX_NAMES) X(DUMP_OBJECTS) X(STACK_HIGH_WATER)

#endif
