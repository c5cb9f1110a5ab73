/*
 * The skeleton of a Cortex-M board of the task port (boards/README.md lists what a board
 * owes; port/task/mp_board.h says when each function is called and what it may assume).
 * It compiles and links as it stands (`ninja test` links examples/minimal.c against it),
 * with what every Cortex-M has: SysTick for the clock and the tick, WFI to idle,
 * semihosting to exit. The TODOs are what a real board fills in: its clock frequency, its
 * console, its one-shot timer, its exit.
 */
#include <picolibc.h> /* before picotls.h: it says whether TLS is on */
#include <picotls.h>
#include <stdint.h>
#include <string.h>

#include "mp/mp.h"
#include "mp_arch.h"
#include "mp_board.h"

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define ICSR (*(volatile uint32_t *)0xE000ED04u)
#define ICSR_PENDSTSET (1u << 26)

#define CPU_HZ 25000000u /* TODO: the core clock once board_main has set it up */
#define TICK_HZ 1000u
#define RELOAD (CPU_HZ / TICK_HZ - 1u)

static volatile uint64_t ticks;

/* TODO: the console. The Cortex-M stdout (port/task/arch/cortex-m/stdio.c) and mp_dump
 * hand it whole lines; write them to a UART (or an ITM port, or a semihosting SYS_WRITE0).
 * The skeleton drops them. */
void mp_board_console(const char *text, size_t len)
{
    (void)text;
    (void)len;
}

_Noreturn void board_stop(int code);
_Noreturn void board_stop(int code)
{
    /* TODO: a board's own way to stop or reset. Semihosting's SYS_EXIT_EXTENDED ends a
     * QEMU or debugger session with code; without a debugger it would fault. */
    volatile uint32_t block[2] = {0x20026u, (uint32_t)code};
    register uint32_t r0 __asm__("r0") = 0x20u;
    register volatile uint32_t *r1 __asm__("r1") = block;
    __asm__ volatile("bkpt 0xab" ::"r"(r0), "r"(r1) : "memory");
    for (;;)
        ;
}

/* ---- for applications and tests ----------------------------------------------------- */

mp_err_t mp_board_after(mp_time_t delay_ns, void (*fn)(void *arg), void *arg)
{
    /* TODO: arm a hardware one-shot timer whose handler calls fn(arg) (boards/mps2-an385
     * uses a CMSDK timer). tests/task/test_isr.c needs it. */
    (void)delay_ns;
    (void)arg;
    return fn == NULL ? MP_EINVAL : MP_ENOTSUP;
}

/* ---- called by the scheduler ------------------------------------------------------- */

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
    return t * (1000000000u / TICK_HZ) + (mp_time_t)(RELOAD - cvr) * 1000000000u / CPU_HZ;
}

mp_err_t mp_board_idle(mp_time_t next)
{
    if (next == MP_TIME_NEVER) { /* and no interrupt of the board's own armed */
        static char report[512];
        size_t n = task_report(report, sizeof report);
        mp_board_console(report, n < sizeof report ? n : sizeof report - 1);
        board_stop(3); /* a deadlock: nothing can ever become ready */
    }
    /* Called with interrupts masked: sleep until one is pending, then let it run. */
    __asm__ volatile("wfi\n cpsie i\n isb\n cpsid i" ::: "memory");
    return MP_OK;
}

bool mp_port_task_preempts = false; /* the tick preempts: no preemption points needed */

bool mp_board_preempt(void)
{
    return false;
}

void mp_board_task_start(void)
{
}

_Noreturn void mp_board_exit(int code)
{
    board_stop(code);
}

_Noreturn void mp_board_fatal(void)
{
    static const char msg[] = "fatal fault\n";
    mp_board_console(msg, sizeof msg - 1);
    board_stop(139);
}

/* picolibc's exit() and abort() */
_Noreturn void _exit(int code);
_Noreturn void _exit(int code)
{
    board_stop(code);
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
void board_sections(void);
void board_sections(void)
{
    memcpy(__data_start, __data_load, (size_t)((char *)__data_end - (char *)__data_start));
    memset(__bss_start, 0, (size_t)((char *)__bss_end - (char *)__bss_start));
    _init_tls(__tls_base); /* picolibc's errno and the like (the linker script's TLS block) */
    _set_tls(__tls_base);
}

int main(void);
_Noreturn void board_main(void);
_Noreturn void board_main(void)
{
    /* TODO: clocks, PLL, the console's pins and baud rate: before main, as here */
    int code = main();
    mp_core_exit_sequence(); /* main returned: its exit sequence, children joined */
    if (task_console_at_exit != NULL)
        task_console_at_exit(); /* main's unfinished line */
    board_stop(code);
}
