/*
 * Task contexts on ARMv7-M (Cortex-M3): every task, the main process included, runs in
 * thread mode on the process stack (PSP); handlers run on the main stack (MSP). A switch
 * is the PendSV exception, the lowest priority, so it never preempts another handler.
 *
 * The scheduler switches synchronously: mp_arch_switch() (inline) is called with interrupts
 * masked (PRIMASK), pends PendSV, and opens the mask for one instruction so the exception
 * is taken right there. The task resumes at the same spot when it is switched back in,
 * masks interrupts again and returns into the scheduler, exactly as on the host.
 * Interrupts switch asynchronously: the board's tick pends PendSV
 * (mp_arch_request_switch), which asks the scheduler for the next task on return from
 * the interrupt; a task is thus preempted anywhere outside a critical section.
 */
#include <stdint.h>

#include "mp_arch.h"

#define ICSR (*(volatile uint32_t *)0xE000ED04u)
#define ICSR_PENDSVSET (1u << 28)
#define SHPR3 (*(volatile uint32_t *)0xE000ED20u)

/* Shared with switch.S, the only other user. */
mp_port_slot_t *cm_from, *cm_to;
mp_port_slot_t *cm_pick(void);

/* Called by PendSV when no switch was asked for (a tick asked for a turn): where to
 * switch, or NULL to stay. */
mp_port_slot_t *cm_pick(void)
{
    uint32_t irq = mp_arch_lock();
    mp_port_slot_t *to = task_rotate(&cm_from);
    mp_arch_unlock(irq);
    return to;
}

void mp_arch_request_switch(void)
{
    ICSR = ICSR_PENDSVSET;
}

static void first_run(void)
{
    task_entry();
}

void mp_arch_context_init(mp_port_slot_t *t, void *stack, size_t size)
{
    uint32_t *sp = (uint32_t *)(((uintptr_t)stack + size) & ~(uintptr_t)7);
    *--sp = 0x01000000u;                  /* xPSR: Thumb state */
    *--sp = (uint32_t)(uintptr_t)first_run; /* pc */
    *--sp = 0xFFFFFFFDu;                  /* lr: never used, first_run does not return */
    for (int i = 0; i < 5; i++)
        *--sp = 0;                        /* r12, r3, r2, r1, r0 */
    for (int i = 0; i < 8; i++)
        *--sp = 0;                        /* r11..r4 */
    t->ctx.sp = sp;
}

void mp_arch_init(void)
{
    SHPR3 |= 0xFFu << 16; /* PendSV: the lowest priority */
}
