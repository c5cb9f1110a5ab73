/* Cortex-M: a task's context is its saved process stack pointer. Below it on the task's
 * stack: r4-r11 (saved by PendSV), then the frame the hardware stacks on exception entry
 * (r0-r3, r12, lr, pc, xpsr). */
#ifndef MP_ARCH_CONTEXT_H
#define MP_ARCH_CONTEXT_H

typedef struct {
    void *sp;
} mp_arch_context_t;

#endif
