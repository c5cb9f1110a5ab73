/*
 * PendSV: saves r4-r11 of mpi_cm_from (unless it is NULL: the task ended) on its process
 * stack, stores that stack pointer in its context, and resumes mpi_cm_to the same way in
 * reverse. Exception entry and return move r0-r3, r12, lr, pc and xpsr themselves.
 */
    .syntax unified
    .thumb
    .text
    .globl PendSV_Handler
    .type PendSV_Handler, %function
    .thumb_func
PendSV_Handler:
    ldr r2, =mpi_cm_from
    ldr r0, [r2]
    cbz r0, 1f
    mrs r1, psp
    stmdb r1!, {r4-r11}
    str r1, [r0]              /* from->ctx.sp (first member) */
1:  ldr r2, =mpi_cm_to
    ldr r0, [r2]
    ldr r1, [r0]              /* to->ctx.sp */
    ldmia r1!, {r4-r11}
    msr psp, r1
    ldr lr, =0xFFFFFFFD       /* return to thread mode, process stack */
    bx lr
    .size PendSV_Handler, .-PendSV_Handler
