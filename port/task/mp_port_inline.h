/*
 * The task port (the scheduler's current task; a host-sim preemption point)'s mp_port_in_isr and mp_port_self (see mp_port.h): functions of its own.
 */
#ifndef MP_PORT_INLINE_H
#define MP_PORT_INLINE_H

#include <stdbool.h>
#include <stdint.h>

bool mp_port_in_isr(void);
uint32_t mp_port_self(void);

#endif
