/*
 * The MPS2 AN385's device interrupts (Cortex-M3, as QEMU's mps2-an385 wires them), for
 * applications. The board's vector table (boards/mps2-an385/vectors.c) names a handler
 * for every one; each is weak and defaults to the board's "unexpected exception" stop, so
 * an application installs a handler by defining the function:
 *
 *     void UARTRX0_IRQHandler(void) { ... }     then   MPS2_NVIC_ISER = 1u << MPS2_UARTRX0_IRQn;
 *
 * The names are ARM's for this board (its CMSIS startup_CMSDK_CM3.s) with CMSIS's
 * _IRQHandler suffix. TIMER1 is the board's own (mp_board_after) and SysTick the
 * scheduler's tick: an application leaves those two alone.
 *
 * Which handler may call the runtime: the port masks interrupts with PRIMASK, so any
 * priority level is held off while the runtime is inside a critical section, but the
 * runtime's interrupt-side calls must not nest into one another. A handler that calls
 * mpstatic (a put, a release, a set: the calls that do not wait, README "Interrupt
 * handlers") runs at MPS2_RUNTIME_IRQ_PRIORITY, the priority of SysTick and TIMER1: the
 * reset value 0, so leave its priority alone. A handler at any other priority must call
 * nothing of mpstatic.
 */
#ifndef MP_MPS2_H
#define MP_MPS2_H

#include <stdint.h>

enum {
    MPS2_UARTRX0_IRQn = 0, MPS2_UARTTX0_IRQn = 1, MPS2_UARTRX1_IRQn = 2, MPS2_UARTTX1_IRQn = 3,
    MPS2_UARTRX2_IRQn = 4, MPS2_UARTTX2_IRQn = 5, MPS2_PORT0_ALL_IRQn = 6,
    MPS2_PORT1_ALL_IRQn = 7, MPS2_TIMER0_IRQn = 8, MPS2_TIMER1_IRQn = 9,
    MPS2_DUALTIMER_IRQn = 10, MPS2_SPI_IRQn = 11, MPS2_UARTOVF_IRQn = 12,
    MPS2_ETHERNET_IRQn = 13, MPS2_I2S_IRQn = 14, MPS2_TSC_IRQn = 15, MPS2_PORT2_ALL_IRQn = 16,
    MPS2_PORT3_ALL_IRQn = 17, MPS2_UARTRX3_IRQn = 18, MPS2_UARTTX3_IRQn = 19,
    MPS2_UARTRX4_IRQn = 20, MPS2_UARTTX4_IRQn = 21, MPS2_ADCSPI_IRQn = 22,
    MPS2_SHIELDSPI_IRQn = 23, MPS2_PORT0_0_IRQn = 24, /* ... PORT0_7: 31 */
    MPS2_IRQS = 32
};

#define MPS2_RUNTIME_IRQ_PRIORITY 0

/* NVIC: set-enable, clear-enable, set-pending (bit n: IRQ n), priorities (byte n). */
#define MPS2_NVIC_ISER (*(volatile uint32_t *)0xE000E100u)
#define MPS2_NVIC_ICER (*(volatile uint32_t *)0xE000E180u)
#define MPS2_NVIC_ISPR (*(volatile uint32_t *)0xE000E200u)
#define MPS2_NVIC_IPR ((volatile uint8_t *)0xE000E400u)

void UARTRX0_IRQHandler(void);
void UARTTX0_IRQHandler(void);
void UARTRX1_IRQHandler(void);
void UARTTX1_IRQHandler(void);
void UARTRX2_IRQHandler(void);
void UARTTX2_IRQHandler(void);
void PORT0_ALL_IRQHandler(void);
void PORT1_ALL_IRQHandler(void);
void TIMER0_IRQHandler(void);
void TIMER1_IRQHandler(void); /* the board's */
void DUALTIMER_IRQHandler(void);
void SPI_IRQHandler(void);
void UARTOVF_IRQHandler(void);
void ETHERNET_IRQHandler(void);
void I2S_IRQHandler(void);
void TSC_IRQHandler(void);
void PORT2_ALL_IRQHandler(void);
void PORT3_ALL_IRQHandler(void);
void UARTRX3_IRQHandler(void);
void UARTTX3_IRQHandler(void);
void UARTRX4_IRQHandler(void);
void UARTTX4_IRQHandler(void);
void ADCSPI_IRQHandler(void);
void SHIELDSPI_IRQHandler(void);
void PORT0_0_IRQHandler(void);
void PORT0_1_IRQHandler(void);
void PORT0_2_IRQHandler(void);
void PORT0_3_IRQHandler(void);
void PORT0_4_IRQHandler(void);
void PORT0_5_IRQHandler(void);
void PORT0_6_IRQHandler(void);
void PORT0_7_IRQHandler(void);

/* The processor's own exceptions an application may take over likewise (weak, default
 * stop): NMI and DebugMonitor. SVCall is free too; the rest are the port's and board's. */
void NMI_Handler(void);
void SVC_Handler(void);
void DebugMon_Handler(void);

#endif
