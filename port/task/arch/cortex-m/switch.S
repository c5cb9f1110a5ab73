/*
 * PendSV, the only place a task's registers are saved and restored. It goes to the task
 * a synchronous mp_arch_switch() asked for (cm_to), or, when a tick pended PendSV, where
 * cm_pick (C) says: the next task of the running one's priority (time slice) or a more
 * urgent one whose deadline passed; NULL keeps the current task. r4-r11 of the task
 * left (unless it ended: cm_from NULL) go on its process stack; exception entry and
 * return move r0-r3, r12, lr, pc and xpsr themselves.
 */
    .syntax unified
    .thumb
    .text
    .globl PendSV_Handler
    .type PendSV_Handler, %function
    .thumb_func
PendSV_Handler:
    ldr r2, =cm_to            /* a switch mp_arch_switch asked for: no call into C */
    ldr r0, [r2]
    cbz r0, 3f
    movs r1, #0
    str r1, [r2]              /* handlers never set cm_to or cm_from: no lock needed */
    b 4f
3:  push {r0, lr}             /* keep EXC_RETURN; r0 only for 8-byte alignment */
    bl cm_pick                /* a tick: AAPCS, r4-r11 come back untouched */
    pop {r2, lr}
    cbz r0, 2f
4:  ldr r2, =cm_from
    ldr r1, [r2]
    cbz r1, 1f
    mrs r3, psp
    stmdb r3!, {r4-r11}
    str r3, [r1]              /* from->ctx.sp (first member) */
1:  ldr r1, [r0]              /* to->ctx.sp */
    ldmia r1!, {r4-r11}
    msr psp, r1
    ldr lr, =0xFFFFFFFD       /* return to thread mode, process stack */
2:  bx lr
    .size PendSV_Handler, .-PendSV_Handler

/*
 * HardFault, MemManage, BusFault, UsageFault: one handler under the four CMSIS names, so a
 * board's vector table (or a vendor's startup file, whose weak defaults these override)
 * installs it by name (mp_board.h). A fault in a task (thread mode, process stack) ends
 * that task with exitcode -11 and the exception returns straight into the next task to
 * run; the faulting task's stack is abandoned, never resumed. A fault in a handler, in
 * the main process, or with nothing left to run goes to the board's mp_board_fatal,
 * which stops the program. What cannot be recovered: a fault while the scheduler itself
 * runs with interrupts masked, and a task whose stack pointer is so corrupt that the
 * hardware cannot stack the exception frame (a lockup).
 */
    .globl HardFault_Handler
    .type HardFault_Handler, %function
    .thumb_func
HardFault_Handler:
    tst lr, #4                /* EXC_RETURN bit 2: the faulting code used the PSP */
    beq 2f
    movs r0, #11              /* MP_SIGSEGV */
    bl task_faulted
    cbz r0, 2f
    ldr r1, [r0]              /* to->ctx.sp */
    ldmia r1!, {r4-r11}
    msr psp, r1
    ldr lr, =0xFFFFFFFD
    bx lr
2:  b mp_board_fatal
    .size HardFault_Handler, .-HardFault_Handler

    .globl MemManage_Handler, BusFault_Handler, UsageFault_Handler
    .thumb_set MemManage_Handler, HardFault_Handler
    .thumb_set BusFault_Handler, HardFault_Handler
    .thumb_set UsageFault_Handler, HardFault_Handler
