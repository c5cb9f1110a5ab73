/*
 * The vector table. Fixed entries: the stack top, Reset_Handler, the port's PendSV_Handler
 * (every switch) and its fault handler under the four CMSIS fault names, and the board's
 * SysTick_Handler (the tick). Every device interrupt gets a weak function of its vendor's
 * CMSIS name (list them from the SoC's startup file) aliased to Default_Handler, so an
 * application installs a handler by defining the function. The linker script keeps
 * .vectors first in flash.
 */
#include <stdint.h>

#include "mp_board.h"

#define BOARD_IRQS 32 /* TODO: the SoC's number of device interrupts */

void Reset_Handler(void);   /* startup.S */
void SysTick_Handler(void); /* board.c */
_Noreturn void board_stop(int code);
extern uint32_t __handler_stack_top[];

void Default_Handler(void);
void Default_Handler(void)
{
    board_stop(4); /* an exception nobody installed a handler for */
}

#define WEAK __attribute__((weak, alias("Default_Handler")))
void NMI_Handler(void) WEAK;
void SVC_Handler(void) WEAK;
void DebugMon_Handler(void) WEAK;
void IRQ0_IRQHandler(void) WEAK; /* TODO: one line per device interrupt, CMSIS names */
void IRQ1_IRQHandler(void) WEAK;

/* Named and global so that the linker script can ask for it (EXTERN): a board linked from
 * an archive (CMake, pkg-config) has nothing else that pulls this file in. */
extern void (*const board_vectors[16 + BOARD_IRQS])(void);
__attribute__((section(".vectors"), used)) void (*const board_vectors[16 + BOARD_IRQS])(void) = {
    (void (*)(void))__handler_stack_top,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler, /* the port's (switch.S), as the next three */
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0, 0, 0, 0,
    SVC_Handler,
    DebugMon_Handler,
    0,
    PendSV_Handler,
    SysTick_Handler,
    IRQ0_IRQHandler, /* TODO: every device interrupt, in the SoC's order */
    IRQ1_IRQHandler,
    [18 ... 16 + BOARD_IRQS - 1] = Default_Handler,
};
