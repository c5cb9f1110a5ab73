/*
 * What a task-port board offers tests and applications beyond the runtime: a one-shot
 * interrupt. fn(arg) runs in interrupt context (mp_port_in_isr() is true) once delay_ns
 * have passed: on the Cortex-M3 board from a hardware timer (CMSDK Timer1), on the host
 * simulation when its virtual clock reaches that time while every task is blocked. Only
 * the calls that do not wait may be used there.
 */
#ifndef MP_BOARD_H
#define MP_BOARD_H

#include "mp/types.h"

/* @retval MP_EBUSY the board's interrupt slots are all pending  @retval MP_EINVAL fn NULL */
mp_err_t mp_board_after(mp_time_t delay_ns, void (*fn)(void *arg), void *arg);

#endif
