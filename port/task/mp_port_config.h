/*
 * The task port's figures, then its board's (mp_board_config.h, in the board folder).
 * MP_PORT_* are properties of the port that the core reads (core/include/mp/config.h),
 * not application options: an application's MP_CONFIG_FILE sets MP_CONF_* only.
 */
#ifndef MP_PORT_CONFIG_H
#define MP_PORT_CONFIG_H

/* Every death wakes every blocked task (sched.c), so no sleeper needs to look. */
#define MP_PORT_LIVENESS_NS 0

/* One CPU: while a task spins, the task it waits for cannot run; and the core's hot paths
 * need no hardware barrier. */
#define MP_PORT_SPIN 0
#define MP_PORT_ONE_CPU 1

#include "mp_board_config.h"

#endif
