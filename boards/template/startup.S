/*
 * Reset (any ARMv7-M): sections first, on the main stack; then thread mode moves to the
 * process stack (CONTROL.SPSEL = 1), where the main process and every task run, while
 * handlers keep the main stack (port/task/mp_board.h, "Cortex-M boards"). Keep it so; a
 * vendor's clock or PLL set-up goes at the top of board_main (board.c), not here.
 */
    .syntax unified
    .thumb
    .text
    .globl Reset_Handler
    .type Reset_Handler, %function
    .thumb_func
Reset_Handler:
    bl board_sections
    ldr r0, =__main_stack_top
    msr psp, r0
    movs r0, #2
    msr control, r0
    isb
    bl board_main
1:  b 1b
    .size Reset_Handler, .-Reset_Handler
