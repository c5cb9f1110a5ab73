/* x86-64 host: a task's context is its saved stack pointer (the callee-saved registers
 * are on that stack), plus what AddressSanitizer needs to follow stack switches. */
#ifndef MP_ARCH_CONTEXT_H
#define MP_ARCH_CONTEXT_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    void *sp;
    void *fake_stack;         /* ASan's per-fiber state */
    const void *stack_bottom; /* learned on the first switch away, for slot 0 */
    size_t stack_size;
} mp_arch_context_t;

/* True while host_interrupt() runs a handler (named for the port: core objects read it
 * through mp_port_in_isr, inline). */
extern _Bool mp_port_host_in_isr;
static inline int mp_arch_in_isr(void)
{
    return mp_port_host_in_isr;
}

/* Nothing preempts the simulation between its own calls. */
static inline uint32_t mp_arch_lock(void)
{
    return 0;
}
static inline void mp_arch_unlock(uint32_t state)
{
    (void)state;
}

struct mp_port_slot;
void mp_arch_switch(struct mp_port_slot *from, struct mp_port_slot *to);

/* For the host simulation board: runs fn(arg) as an interrupt handler, between two
 * scheduler passes while every task is blocked. */
void host_interrupt(void (*fn)(void *arg), void *arg);

#endif
