/*
 * The task port's mp_port_in_isr and mp_port_self (see mp_port.h). The first is the arch's
 * own inline test (Cortex-M: IPSR; the host: a flag, named mp_port_* as the contract's
 * calls since core objects read it); the second is a function of the scheduler's (its
 * current task; a host-sim preemption point).
 */
#ifndef MP_PORT_INLINE_H
#define MP_PORT_INLINE_H

#include <stdbool.h>
#include <stdint.h>

#include "mp_arch_context.h"

static inline bool mp_port_in_isr(void)
{
    return mp_arch_in_isr();
}

uint32_t mp_port_self(void);

#endif
