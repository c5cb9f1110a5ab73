/*
 * Reset: copy .data from flash, zero .bss (mps2_sections, on the main stack), then
 * move thread mode to the process stack, where the main process and every task run, and
 * enter mps2_main. Handlers keep the main stack.
 */
    .syntax unified
    .thumb
    .text
    .globl Reset_Handler
    .type Reset_Handler, %function
    .thumb_func
Reset_Handler:
    bl mps2_sections
    ldr r0, =__main_stack_top
    msr psp, r0
    movs r0, #2
    msr control, r0
    isb
    bl mps2_main
1:  b 1b
    .size Reset_Handler, .-Reset_Handler
