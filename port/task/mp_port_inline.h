/*
 * The task port's mp_port_in_isr and mp_port_self (see mp_port.h). The first is the arch's
 * own inline test (Cortex-M: IPSR; the host: a flag, named mp_port_* as the contract's
 * calls since core objects read it); the second reads the scheduler's running task (and
 * is a host-sim preemption point).
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

/* The scheduler's running task, and the host simulation's seeded preemption points (a
 * board that preempts at runtime calls sets mp_port_task_preempts). */
extern uint32_t mp_port_task_running;
extern bool mp_port_task_preempts;
void mp_port_task_preempt(void);

static inline uint32_t mp_port_self(void)
{
    if (mp_port_task_preempts)
        mp_port_task_preempt();
    return mp_port_task_running;
}

#endif
