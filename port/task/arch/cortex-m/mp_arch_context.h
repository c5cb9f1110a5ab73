/* Cortex-M: a task's context is its saved process stack pointer. Below it on the task's
 * stack: r4-r11 (saved by PendSV), then the frame the hardware stacks on exception entry
 * (r0-r3, r12, lr, pc, xpsr). */
#ifndef MP_ARCH_CONTEXT_H
#define MP_ARCH_CONTEXT_H

#include <stdint.h>

typedef struct {
    void *sp;
} mp_arch_context_t;

/* In an exception handler: IPSR holds its number (0 in thread mode). */
static inline int mp_arch_in_isr(void)
{
    unsigned ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    return ipsr != 0;
}

/* PRIMASK: what mp_arch_lock returns is the mask as it was, so locks nest. */
static inline uint32_t mp_arch_lock(void)
{
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n cpsid i" : "=r"(primask)::"memory");
    return primask;
}

static inline void mp_arch_unlock(uint32_t state)
{
    __asm__ volatile("msr primask, %0" ::"r"(state) : "memory");
}

/* A synchronous switch: PendSV (switch.S) saves the context into from (NULL: not at all)
 * and resumes to. Interrupts open for one instruction so that the exception is taken
 * right here; the task resumes at the same spot and masks them again. */
struct mp_port_slot;
extern struct mp_port_slot *cm_from, *cm_to;
static inline void mp_arch_switch(struct mp_port_slot *from, struct mp_port_slot *to)
{
    cm_from = from;
    cm_to = to;
    *(volatile uint32_t *)0xE000ED04u = 1u << 28; /* ICSR: PENDSVSET */
    __asm__ volatile("dsb\n isb\n cpsie i\n isb\n cpsid i" ::: "memory");
}

#endif
