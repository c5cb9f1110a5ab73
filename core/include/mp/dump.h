/*
 * mp_dump: the runtime's state on demand, as text (FreeRTOS's vTaskList and
 * uxTaskGetStackHighWaterMark, Zephyr's thread shell). One line per item:
 *
 *     processes 3 of 8, most 4, refused 0 (MP_CONF_MAX_PROCESSES)
 *       MainProcess: pid 1, running, priority 0
 *       consumer: pid 2, running, parent MainProcess, priority 0, stack 412 of 4096, waits for a message in Queue #0
 *       Process-2: pid 3, joined, exitcode 0, parent MainProcess, priority 0
 *     queues 1 of 8, most 2, refused 0 (MP_CONF_MAX_QUEUES)
 *       queue #0 "jobs": 0 of 16 messages
 *     ...every table, in the same form...
 *     arena 1024 of 262144 bytes in 2 blocks, most 2048
 *
 * "refused" counts creates that failed with MP_ENOSLOT for want of an entry: the option
 * in brackets is the one to raise. A process waits for what a deadlock report would name;
 * "stack" (the task port) is the most the task has used of its stack so far. The text is
 * a snapshot taken while everything else goes on: a count may be a moment old.
 */
#ifndef MP_DUMP_H
#define MP_DUMP_H

#include "mp/config.h"
#include "mp/types.h"

/* Where the text goes: called once per line, len bytes ending in '\n' (no NUL). */
typedef void (*mp_sink_fn)(void *ctx, const char *text, size_t len);

/* Writes the dump to the port's console (POSIX: standard output; the Cortex-M3 board: its
 * UART). @retval MP_EISR in an interrupt handler */
mp_err_t mp_dump(void);

/* Gives the dump to sink, line by line (lines longer than 191 bytes are cut), in the
 * caller's process; handlers may call it. @retval MP_EINVAL sink is NULL */
mp_err_t mp_dump_to(mp_sink_fn sink, void *ctx);

#endif
