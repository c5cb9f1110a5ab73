/*
 * ARM MPS2 AN385 (Cortex-M3, 25 MHz) as QEMU emulates it: UART0 console (the arch's stdio.c makes
 * it picolibc's stdout), SysTick clock (1 kHz tick, read to the cycle), idle with WFI,
 * and exit through semihosting (QEMU's exit status is the program's) once main's exit
 * sequence has run; the vector table is vectors.c. No heap: nothing here or in the
 * runtime calls malloc, and the linker script has no heap region.
 */
#include <picolibc.h> /* before picotls.h: it says whether TLS is on */
#include <picotls.h>
#include <stdint.h>
#include <string.h>

#include "mp/mp.h"
#include "mp_arch.h"
#include "mp_board.h"
#include "mp_mps2.h"
#include "mps2.h"

#define UART0_DATA (*(volatile uint32_t *)0x40004000u)
#define UART0_STATE (*(volatile uint32_t *)0x40004004u)
#define UART0_CTRL (*(volatile uint32_t *)0x40004008u)
#define UART0_BAUDDIV (*(volatile uint32_t *)0x40004010u)
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define ICSR (*(volatile uint32_t *)0xE000ED04u)
#define ICSR_PENDSTSET (1u << 26)

#define CPU_HZ 25000000u
#define TICK_HZ 1000u
#define RELOAD (CPU_HZ / TICK_HZ - 1u)
#define NS_PER_CYCLE 40u

static volatile uint64_t ticks;

void mps2_uart_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        while (UART0_STATE & 1u) /* transmit buffer full */
            ;
        UART0_DATA = (uint8_t)s[i];
    }
}

void mp_board_console(const char *text, size_t len)
{
    mps2_uart_write(text, len);
}

static _Noreturn void semihost_exit(int code)
{
    /* SYS_EXIT_EXTENDED: ADP_Stopped_ApplicationExit with the exit code */
    volatile uint32_t block[2] = {0x20026u, (uint32_t)code};
    register uint32_t r0 __asm__("r0") = 0x20u;
    register volatile uint32_t *r1 __asm__("r1") = block;
    __asm__ volatile("bkpt 0xab" ::"r"(r0), "r"(r1) : "memory");
    for (;;)
        ;
}

#define TIMER1_CTRL (*(volatile uint32_t *)0x40001000u)
#define TIMER1_VALUE (*(volatile uint32_t *)0x40001004u)
#define TIMER1_RELOAD (*(volatile uint32_t *)0x40001008u)
#define TIMER1_INTCLEAR (*(volatile uint32_t *)0x4000100Cu)

static void (*volatile after_fn)(void *);
static void *after_arg;

mp_err_t mp_board_after(mp_time_t delay_ns, void (*fn)(void *arg), void *arg)
{
    if (fn == NULL)
        return MP_EINVAL;
    if (after_fn != NULL)
        return MP_EBUSY;
    uint64_t cycles = delay_ns / NS_PER_CYCLE;
    after_arg = arg;
    after_fn = fn;
    TIMER1_CTRL = 0;
    TIMER1_RELOAD = (uint32_t)(cycles > 1u ? cycles : 1u);
    TIMER1_VALUE = TIMER1_RELOAD;
    MPS2_NVIC_ISER = 1u << MPS2_TIMER1_IRQn;
    TIMER1_CTRL = 1u | 8u; /* enable, interrupt */
    return MP_OK;
}

void TIMER1_IRQHandler(void)
{
    TIMER1_INTCLEAR = 1;
    TIMER1_CTRL = 0;
    void (*fn)(void *) = after_fn;
    after_fn = NULL;
    if (fn != NULL)
        fn(after_arg);
}

void SysTick_Handler(void);
void SysTick_Handler(void)
{
    ticks++;
    uint32_t irq = mp_arch_lock();
    if (task_tick_due())
        mp_arch_request_switch(); /* a time slice ended, or a deadline passed */
    mp_arch_unlock(irq);
}

mp_time_t mp_board_now(void)
{
    uint32_t irq = mp_arch_lock();
    uint64_t t = ticks;
    uint32_t cvr = SYST_CVR;
    if (ICSR & ICSR_PENDSTSET) { /* wrapped since the last tick was counted */
        t++;
        cvr = SYST_CVR;
    }
    mp_arch_unlock(irq);
    return t * (1000000000u / TICK_HZ) + (mp_time_t)(RELOAD - cvr) * NS_PER_CYCLE;
}

mp_err_t mp_board_idle(mp_time_t next)
{
    if (next == MP_TIME_NEVER && after_fn == NULL) {
        /* No deadline, and no interrupt armed that could make a task ready. */
        static const char head[] = "mpstatic mps2-an385: deadlock: every task is blocked\n";
        mps2_uart_write(head, sizeof head - 1);
        if (MP_CONF_DEADLOCK_REPORT) {
            static char report[1024];
            size_t n = task_report(report, sizeof report);
            mps2_uart_write(report, n < sizeof report ? n : sizeof report - 1);
        }
        semihost_exit(3);
    }
    /* Called with interrupts masked: sleep until one is pending, then let it run. */
    __asm__ volatile("wfi\n cpsie i\n isb\n cpsid i" ::: "memory");
    return MP_OK;
}

bool mp_port_task_preempts = false; /* switches come from blocking, not from calls */

bool mp_board_preempt(void)
{
    return false;
}

void mp_board_task_start(void)
{
}

_Noreturn void mps2_stop(int code)
{
    semihost_exit(code);
}

_Noreturn void mp_board_exit(int code)
{
    semihost_exit(code);
}

/* picolibc's exit() and abort() end here (CMocka's, an application's). */
_Noreturn void _exit(int code);
_Noreturn void _exit(int code)
{
    semihost_exit(code);
}

void mp_board_init(void)
{
    SYST_RVR = RELOAD;
    SYST_CVR = 0;
    SYST_CSR = 7; /* processor clock, interrupt, enable */
}

/* ---- reset ------------------------------------------------------------------------- */

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern char __tls_base[];

/* Reset_Handler (startup.S) calls these two, in this order. */
void mps2_sections(void);
void mps2_sections(void)
{
    memcpy(__data_start, __data_load, (size_t)((char *)__data_end - (char *)__data_start));
    memset(__bss_start, 0, (size_t)((char *)__bss_end - (char *)__bss_start));
    _init_tls(__tls_base); /* picolibc's errno and the like (linker/mps2-an385.ld) */
    _set_tls(__tls_base);
}

int main(void);
_Noreturn void mps2_main(void);
_Noreturn void mps2_main(void)
{
    UART0_BAUDDIV = 16; /* the console works before mp_init(), and without it */
    UART0_CTRL = 1;     /* transmit */
    int code = main();
    mp_core_exit_sequence(); /* the children still run until joined (mp_board.h) */
    if (task_console_at_exit != NULL)
        task_console_at_exit(); /* main's unfinished line */
    semihost_exit(code);
}

_Noreturn void mp_board_fatal(void)
{
    static const char msg[] = "mpstatic mps2-an385: fatal fault (main process, handler, or "
                              "nothing left to run)\n";
    mps2_uart_write(msg, sizeof msg - 1);
    semihost_exit(139); /* 128 + SIGSEGV, as a shell reports a crash */
}
