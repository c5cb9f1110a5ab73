/*
 * Task contexts on ARMv7-M (Cortex-M3): every task, the main process included, runs in
 * thread mode on the process stack (PSP); handlers run on the main stack (MSP). A switch
 * is the PendSV exception, the lowest priority, so it never preempts another handler.
 *
 * The scheduler switches synchronously: mpi_arch_switch() is called with interrupts
 * masked (PRIMASK), pends PendSV, and opens the mask for one instruction so the exception
 * is taken right there. The task resumes at the same spot when it is switched back in,
 * masks interrupts again and returns into the scheduler, exactly as on the host.
 * Interrupts switch asynchronously: the board's tick pends PendSV
 * (mpi_arch_request_switch), which asks the scheduler for the next task on return from
 * the interrupt; a task is thus preempted anywhere outside a critical section.
 */
#include <stdint.h>

#include "task.h"

#define ICSR (*(volatile uint32_t *)0xE000ED04u)
#define ICSR_PENDSVSET (1u << 28)
#define SHPR3 (*(volatile uint32_t *)0xE000ED20u)

/* Read by the PendSV handler (switch.S). */
mp_port_slot_t *mpi_cm_from, *mpi_cm_to;

mp_port_slot_t *mpi_cm_pick(void);
mp_port_slot_t *mpi_cm_pick(void)
{
    uint32_t irq = mpi_arch_lock();
    mp_port_slot_t *to = mpi_cm_to;
    if (to != NULL)
        mpi_cm_to = NULL; /* the switch mpi_arch_switch asked for; from is set */
    else
        to = mpi_task_rotate(&mpi_cm_from); /* a tick asked for a turn */
    mpi_arch_unlock(irq);
    return to;
}

void mpi_arch_request_switch(void)
{
    ICSR = ICSR_PENDSVSET;
}

static void first_run(void)
{
    mpi_task_entry();
}

void mpi_arch_context_init(mp_port_slot_t *t, void *stack, size_t size)
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

void mpi_arch_switch(mp_port_slot_t *from, mp_port_slot_t *to)
{
    mpi_cm_from = from;
    mpi_cm_to = to;
    ICSR = ICSR_PENDSVSET;
    __asm__ volatile("dsb\n isb\n cpsie i\n isb\n cpsid i" ::: "memory");
}

uint32_t mpi_arch_lock(void)
{
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n cpsid i" : "=r"(primask)::"memory");
    return primask;
}

void mpi_arch_unlock(uint32_t state)
{
    __asm__ volatile("msr primask, %0" ::"r"(state) : "memory");
}

void mpi_arch_init(void)
{
    SHPR3 |= 0xFFu << 16; /* PendSV: the lowest priority */
}
