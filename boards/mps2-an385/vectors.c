/*
 * The vector table. The port's handlers (PendSV for switches, one fault handler under the
 * four CMSIS fault names) and the board's (SysTick, TIMER1) are fixed; every other entry
 * is a weak function of its CMSIS name (include/mp_mps2.h) aliased to a stop that names
 * the exception, so an application installs a device handler by defining it, with no
 * table of its own and no VTOR move.
 */
#include <stdint.h>

#include "mp_board.h"
#include "mp_mps2.h"
#include "mps2.h"

void Reset_Handler(void); /* startup.S */
void SysTick_Handler(void); /* board.c */
extern uint32_t __handler_stack_top[];

void Default_Handler(void);
void Default_Handler(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    /* exception number, and for a device interrupt its IRQ number */
    char msg[] = "mpstatic mps2-an385: unexpected exception 00 (IRQ 00, no handler)\n";
    msg[sizeof "mpstatic mps2-an385: unexpected exception " - 1] = (char)('0' + ipsr / 10 % 10);
    msg[sizeof "mpstatic mps2-an385: unexpected exception 0" - 1] = (char)('0' + ipsr % 10);
    uint32_t irq = ipsr >= 16 ? ipsr - 16 : 99;
    msg[sizeof "mpstatic mps2-an385: unexpected exception 00 (IRQ " - 1] = (char)('0' + irq / 10);
    msg[sizeof "mpstatic mps2-an385: unexpected exception 00 (IRQ 0" - 1] = (char)('0' + irq % 10);
    mps2_uart_write(msg, sizeof msg - 1);
    mps2_stop(4);
}

#define WEAK __attribute__((weak, alias("Default_Handler")))
void NMI_Handler(void) WEAK;
void SVC_Handler(void) WEAK;
void DebugMon_Handler(void) WEAK;
void UARTRX0_IRQHandler(void) WEAK;
void UARTTX0_IRQHandler(void) WEAK;
void UARTRX1_IRQHandler(void) WEAK;
void UARTTX1_IRQHandler(void) WEAK;
void UARTRX2_IRQHandler(void) WEAK;
void UARTTX2_IRQHandler(void) WEAK;
void PORT0_ALL_IRQHandler(void) WEAK;
void PORT1_ALL_IRQHandler(void) WEAK;
void TIMER0_IRQHandler(void) WEAK;
void DUALTIMER_IRQHandler(void) WEAK;
void SPI_IRQHandler(void) WEAK;
void UARTOVF_IRQHandler(void) WEAK;
void ETHERNET_IRQHandler(void) WEAK;
void I2S_IRQHandler(void) WEAK;
void TSC_IRQHandler(void) WEAK;
void PORT2_ALL_IRQHandler(void) WEAK;
void PORT3_ALL_IRQHandler(void) WEAK;
void UARTRX3_IRQHandler(void) WEAK;
void UARTTX3_IRQHandler(void) WEAK;
void UARTRX4_IRQHandler(void) WEAK;
void UARTTX4_IRQHandler(void) WEAK;
void ADCSPI_IRQHandler(void) WEAK;
void SHIELDSPI_IRQHandler(void) WEAK;
void PORT0_0_IRQHandler(void) WEAK;
void PORT0_1_IRQHandler(void) WEAK;
void PORT0_2_IRQHandler(void) WEAK;
void PORT0_3_IRQHandler(void) WEAK;
void PORT0_4_IRQHandler(void) WEAK;
void PORT0_5_IRQHandler(void) WEAK;
void PORT0_6_IRQHandler(void) WEAK;
void PORT0_7_IRQHandler(void) WEAK;

/* Named and global so that the linker script can ask for it (EXTERN): a board linked from
 * an archive (CMake, pkg-config) has nothing else that pulls this file in. */
extern void (*const board_vectors[16 + MPS2_IRQS])(void);
__attribute__((section(".vectors"), used)) void (*const board_vectors[16 + MPS2_IRQS])(void) = {
    (void (*)(void))__handler_stack_top,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler, /* the port's, as the next three */
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0, 0, 0, 0,
    SVC_Handler,
    DebugMon_Handler,
    0,
    PendSV_Handler,
    SysTick_Handler,
    /* device interrupts 0..31 */
    UARTRX0_IRQHandler, UARTTX0_IRQHandler, UARTRX1_IRQHandler, UARTTX1_IRQHandler,
    UARTRX2_IRQHandler, UARTTX2_IRQHandler, PORT0_ALL_IRQHandler, PORT1_ALL_IRQHandler,
    TIMER0_IRQHandler, TIMER1_IRQHandler, DUALTIMER_IRQHandler, SPI_IRQHandler,
    UARTOVF_IRQHandler, ETHERNET_IRQHandler, I2S_IRQHandler, TSC_IRQHandler,
    PORT2_ALL_IRQHandler, PORT3_ALL_IRQHandler, UARTRX3_IRQHandler, UARTTX3_IRQHandler,
    UARTRX4_IRQHandler, UARTTX4_IRQHandler, ADCSPI_IRQHandler, SHIELDSPI_IRQHandler,
    PORT0_0_IRQHandler, PORT0_1_IRQHandler, PORT0_2_IRQHandler, PORT0_3_IRQHandler,
    PORT0_4_IRQHandler, PORT0_5_IRQHandler, PORT0_6_IRQHandler, PORT0_7_IRQHandler,
};
