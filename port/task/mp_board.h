/*
 * The task port's boards (boards/<board>): what a board offers applications and tests,
 * what it implements for the scheduler, and what the scheduler offers it in return.
 *
 * A new board is one folder holding:
 *   - mp_board_config.h (included by port/task/mp_port_config.h): its hardware figures
 *     MP_PORT_CACHE_LINE and MP_PORT_WORLD_ALIGN (see core/include/mp/config.h), then its
 *     defaults for the application options it sizes differently (MP_CONF_STACK_SIZE,
 *     MP_CONF_ARENA_SIZE, ..., each under #ifndef);
 *   - every function of the "every board" part below, and mp_board_after();
 *   - on a Cortex-M, the "Cortex-M boards" part: startup, vector table, a tick, and
 *     mp_board_fatal();
 * plus a linker script (linker/) that places the runtime's mp_world section.
 * boards/README.md is the checklist, and boards/template/ a Cortex-M skeleton to copy.
 *
 * The scheduler calls a board with mp_arch_lock() held unless said otherwise. A board
 * never looks inside mp_port_slot_t: the scheduler's functions at the end are its way in.
 */
#ifndef MP_BOARD_H
#define MP_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mp/types.h"
#include "mp_port.h"

/* ---- for applications and tests -------------------------------------------------- */

/*
 * mp_board_after: a one-shot interrupt. fn(arg) runs in interrupt context
 * (mp_port_in_isr() is true) once delay_ns have passed: on the Cortex-M3 board from a
 * hardware timer (CMSDK Timer1), on the host simulation when its virtual clock reaches
 * that time while every task is blocked. Only the calls that do not wait may be used
 * there.
 * @retval MP_EBUSY the board's interrupt slots are all pending
 * @retval MP_EINVAL fn is NULL
 */
mp_err_t mp_board_after(mp_time_t delay_ns, void (*fn)(void *arg), void *arg);

/* ---- every board, called by the scheduler (prefix mp_board_) --------------------- */

/* mp_board_init: called once, by mp_port_init() in the main process, after mp_arch_init()
 * and before any task is spawned; no lock held. Starts the clock, and the tick if the
 * board has one. */
void mp_board_init(void);

/* mp_board_now: monotonic nanoseconds, the clock of every deadline and of mp_port_now().
 * Called in thread and handler context, with or without the lock. */
mp_time_t mp_board_now(void);

/*
 * mp_board_idle: no task is ready. next is the earliest deadline of a blocked task
 * (MP_TIME_NEVER: none). Returns once something may have changed: an interrupt has run
 * (a real board sleeps until one is pending, then lets it in), or the virtual clock has
 * moved to next; the scheduler then looks again, and calls it again if still nothing is
 * ready. When nothing can ever become ready (no deadline, no interrupt armed), that is a
 * deadlock: the board reports it (task_report() names every task and what it waits for)
 * and either ends the program or makes a blocked task's wait fail with
 * task_interrupt_wait() and returns MP_EDEADLK. Otherwise returns MP_OK.
 */
mp_err_t mp_board_idle(mp_time_t next);

/*
 * mp_port_task_preempts, mp_board_preempt: the preemption points. Every runtime call that
 * reaches the port (mp_port_self, wait, wake, spawn) passes one in thread context; while
 * mp_port_task_preempts is true the scheduler asks mp_board_preempt() there, no lock held,
 * and on true lets every other ready task of the running one's priority or higher run
 * first. The host simulation decides from its seed (and injects its faults there). A
 * board with a tick leaves the flag false: each point then costs one load. (The flag is
 * named mp_port_*: core objects read it, inline in mp_port_self.)
 */
extern bool mp_port_task_preempts;
bool mp_board_preempt(void);

/* mp_board_console: writes len bytes of text to the board's console (the host: standard
 * output, after what the program printed; a board: its UART), from thread context, no
 * lock held. mp_dump's output (mp_port_console). */
void mp_board_console(const char *text, size_t len);

/* task_console_at_exit: set by the Cortex-M stdout (arch/cortex-m/stdio.c) once anything
 * was printed; a board calls it after main's exit sequence, before it stops, so that
 * main's unfinished last line is written out. NULL otherwise. */
extern void (*task_console_at_exit)(void);

/* mp_board_exit: the main process (slot 0) ended with code: ends the whole program
 * (the host: exit(); QEMU: semihosting). Called in thread context, no lock held. */
_Noreturn void mp_board_exit(int code);

/*
 * Main's end. mp_board_exit follows mp_process_exit(), which has run the main process's
 * exit sequence; a return from main() does not pass there. So where the board sees main()
 * return (a Cortex-M board: its startup code, after main(); a host: an atexit() handler,
 * registered by mp_board_init, which sees exit() too) it calls mp_core_exit_sequence()
 * (mp_port.h) before the program ends, in thread context as the main process, no lock
 * held: the exit hooks run, the daemonic children are terminated and the others joined,
 * so they run to their end as under CPython.
 */

/* mp_board_task_start: called by mp_port_spawn() in the parent, no lock held, right after
 * the new task is made ready. A board may re-arm its fault handling there (the host
 * simulation reinstalls its SIGSEGV handler, which a test runner may have replaced). */
void mp_board_task_start(void);

/* ---- Cortex-M boards ------------------------------------------------------------- */

/*
 * Startup: before main(), thread mode moves to the process stack (CONTROL.SPSEL = 1):
 * every task, the main process included, runs on a process stack; handlers keep the main
 * stack. The vector table installs the arch's handlers declared below, and the board's
 * periodic tick (SysTick_Handler), which calls mp_arch_request_switch() under
 * mp_arch_lock() when task_tick_due() says so. The tick and every handler that calls the
 * runtime share one interrupt priority: they must not nest into each other inside it.
 * Every other entry of the table is a weak function of its CMSIS name that defaults to a
 * stop, so an application installs a device handler by defining it.
 */
void PendSV_Handler(void);     /* every context switch */
void HardFault_Handler(void);  /* a fault in a task ends that task (-11), see switch.S */
void MemManage_Handler(void);  /* the same handler as HardFault */
void BusFault_Handler(void);   /* the same handler as HardFault */
void UsageFault_Handler(void); /* the same handler as HardFault */

/* mp_board_fatal: the arch's fault handler branches here, in handler mode, for a fault
 * that ends no single task: in a handler, in the main process, or with no task left to
 * run. Stops the program (QEMU: exit status 139, as a shell reports a crash). */
_Noreturn void mp_board_fatal(void);

/* ---- implemented by the scheduler, called by boards (prefix task_) --------------- */

/* The slot of the running task. */
uint32_t task_current(void);

/* Writes one line per live task (its name, state, and what it waits for), NUL-terminated;
 * returns the length the whole report needs. For deadlock reports. */
size_t task_report(char *buf, size_t size);

/* From the board's tick, lock held: true when the scheduler should look again (a task of
 * the running one's priority or higher is ready, or a deadline has passed); the board then
 * calls mp_arch_request_switch(). */
bool task_tick_due(void);

/* The running task faulted (bad access): ends it with exitcode -sig, as if killed by that
 * signal, and runs the next task. From a fault handler that runs on the task's own
 * context (the host simulation's signal handler); never returns. */
_Noreturn void task_fault(int sig);

/* Makes a blocked task's wait return err (a deadlock policy); false if slot is not
 * blocked. */
bool task_interrupt_wait(uint32_t slot, mp_err_t err);

/* The running task is in a board call, with no check of its own in progress: forgets the
 * deaths it has not been woken for, so a reseeded schedule starts from a settled state. */
void task_settle(void);

/* Keeps the running task off the CPU until the board's clock reaches until, as a process
 * stopped by SIGSTOP is not run (host-sim fault injection); it then goes on where it was,
 * with the deaths it had not yet looked at still unlooked at. */
void task_hold(mp_time_t until);

#endif
