/* x86-64 host: a task's context is its saved stack pointer (the callee-saved registers
 * are on that stack), plus what AddressSanitizer needs to follow stack switches. */
#ifndef MP_ARCH_CONTEXT_H
#define MP_ARCH_CONTEXT_H

#include <stddef.h>

typedef struct {
    void *sp;
    void *fake_stack;         /* ASan's per-fiber state */
    const void *stack_bottom; /* learned on the first switch away, for slot 0 */
    size_t stack_size;
} mp_arch_context_t;

/* Set by the simulation board while a simulated interrupt runs. */
extern _Bool mpi_host_in_isr;
static inline int mpi_arch_in_isr(void)
{
    return mpi_host_in_isr;
}

#endif
