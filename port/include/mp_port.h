/*
 * The port contract: everything the core needs from a platform, and nothing else.
 *
 * The core builds every blocking object (locks, joins, queues, pipes, events, barriers)
 * from C11 atomics on 32-bit words plus the wait/wake pair below, the way musl builds
 * its mutexes from a_cas and futex wait/wake. A port is therefore small:
 *   port/posix   Linux processes: fork, one MAP_SHARED world, futex, pidfd, robust list
 *   port/task    tasks with static stacks and a scheduler; arch/ holds the context switch
 *   port/template  a port that compiles and does nothing: start here for a new one
 *
 * Processes are named by their slot index in the core's process table (0 = the main
 * process). A port keeps whatever it needs per slot in mp_port_slot_t (mp_port_slot.h
 * on the port's include path), which the core embeds in each slot of the shared world.
 *
 * Atomics. The core uses <stdatomic.h> on 32-bit words only. A target without atomic
 * instructions (Cortex-M0) supplies the __atomic_* helpers with its critical sections;
 * the core itself never asks for a critical section, so none appears here.
 *
 * Preemption. Any call below may switch to another process or task; on a preemptive
 * port a switch may also happen between any two instructions of the core. The core is
 * written for that, and the host simulation switches at these calls on purpose (seeded)
 * to find the races it would hide.
 */
#ifndef MP_PORT_H
#define MP_PORT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mp/config.h"
#include "mp/error.h"
#include "mp/types.h"
#include "mp_port_slot.h"

/* The absent deadline: wait as long as it takes. */
#define MP_TIME_NEVER UINT64_MAX

/* Bit of a slot's life word that says "this process has ended" (the robust-futex
 * FUTEX_OWNER_DIED bit, so that Linux sets it for us even after SIGKILL). The low 30
 * bits hold the port's id of the live process (a pid, a task number); 0 = none yet. */
#define MP_LIFE_DEAD 0x40000000u
#define MP_LIFE_ID_MASK 0x3fffffffu

/* ---- implemented by the port (prefix mp_port_) ----------------------------------- */

/*
 * mp_port_init: called once, by mp_init() in the main process, before any other port
 * call and before any process is spawned. world/size is the core's shared state, every
 * byte of it initialised. The port must make it visible, at the same address, to every
 * process it will ever spawn (POSIX: remap it MAP_SHARED; task port: nothing to do),
 * and set up the main process as slot 0 (its life word, its scheduler entry). From then
 * on the port calls mp_core_exit_sequence() when the main process ends without
 * mp_process_exit() (below). Returns MP_OK or MP_ESYS.
 */
mp_err_t mp_port_init(void *world, size_t size);

/*
 * mp_port_spawn: called by the parent, from process context, after the core has filled
 * the slot. Starts a process (or task) that calls mp_core_process_main(slot) and never
 * returns from it. Stores the port's id of the new process in *pid and in the low bits of
 * the slot's life word. Must not wait for the child to run. The child must start with
 * default handling of every fatal signal (so a crash ends it with -SIGSEGV) and, when the
 * slot is daemonic, die when its parent dies (POSIX: PR_SET_PDEATHSIG).
 * Returns MP_OK, or MP_ESYS with nothing started.
 */
mp_err_t mp_port_spawn(uint32_t slot, uint32_t *pid);

/*
 * mp_port_exit: ends the calling process with code, from process context. The core has
 * already run the exit sequence (exit hooks run, children terminated or joined). The port
 * sets MP_LIFE_DEAD in the caller's life word and wakes everything waiting on it. The
 * main process ends the way a return of code from main() would (POSIX: exit(), whose C
 * atexit handlers may still use the runtime, so its life word is left to Linux's robust
 * list; the task port: the program ends).
 */
_Noreturn void mp_port_exit(int code);

/*
 * mp_port_signal: asks a process to end: sig is MP_SIGINT, MP_SIGTERM or MP_SIGKILL. Called by
 * the parent (or by a process about itself). The parent may be an adopter: a process
 * that reaped the slot's first parent while the slot's process still ran (as init, or a
 * Linux subreaper, adopts orphans); the port then finds the process by its id
 * (mp_core_slot_pid), which cannot have been reused before the adopter reaps it. The process ends without running more of
 * its code, its exitcode becomes -sig, its life word gets MP_LIFE_DEAD, and waiters on
 * anything it held are woken, also when it is suspended (POSIX: a stopped process keeps
 * SIGTERM pending until it is continued, so the port continues it). Signalling a process
 * that already ended is MP_OK.
 * Or suspends and resumes it (mp_process_suspend/resume), from its parent, never for the
 * caller itself: MP_SIGSTOP returns once the process runs no more of its code (POSIX:
 * SIGSTOP, then a wait for the stop; task port: off the ready list); until MP_SIGCONT it
 * keeps what it holds, and a wake-up or timeout of a wait it is in is kept for it: it
 * sees it when it runs again.
 */
mp_err_t mp_port_signal(uint32_t slot, int sig);

/*
 * mp_port_reap: called by the parent only (an adopter too, as for mp_port_signal). Waits until the slot's process has ended or
 * the deadline (mp_port_now() time) has passed; a deadline already past polls. On MP_OK
 * the exitcode is in *exitcode (the returned value, or -N for signal N), the process is
 * gone for good (no zombie, no stack or control block in use) and MP_LIFE_DEAD is set in
 * its life word. Returns MP_OK, MP_ETIMEDOUT (MP_EDEADLK from a simulation that finds
 * the wait can never end) or MP_ESYS.
 */
mp_err_t mp_port_reap(uint32_t slot, mp_time_t deadline, int *exitcode);


/*
 * mp_port_in_isr: true when called from an interrupt handler (Cortex-M: IPSR != 0; the
 * host simulation: inside a simulated interrupt; POSIX: never). Interrupt handlers may
 * call the operations that do not wait (queue put/get and pipe send/recv with MP_NOWAIT,
 * semaphore release, event set and clear, the queries); a wake-up they cause switches
 * tasks on return from the interrupt. Cheap: the queue fast path calls it.
 */

/* mp_port_self: the slot index of the calling process or task. Cheap: the lock fast
 * path calls it. MP_PORT_NO_SLOT in a process the runtime did not start (POSIX: a copy
 * made by a raw fork()), whose calls the core refuses with MP_EFORKED. */
#define MP_PORT_NO_SLOT UINT32_MAX

/* Both are declared by the port's mp_port_inline.h, as functions or, where they are a load
 * or a constant, as static inline ones: every call on an object makes them (POSIX has no
 * handlers, and keeps its slot in a variable, named mp_port_* as the contract's calls). */
#include "mp_port_inline.h"

/*
 * mp_port_wait: if *addr still equals expected, sleeps until woken by mp_port_wake on
 * the same address or until the deadline. The check and the sleep are one atomic step
 * with respect to mp_port_wake (the futex rule), so a wake between the caller's last
 * look and the sleep is never lost. Spurious returns are allowed: the core re-checks.
 * Works on any 32-bit word of the shared world, across processes.
 * A deadline already past (0 included) polls; a port that schedules tasks itself lets
 * every other ready task of the caller's priority or higher run first, so that a loop
 * of polls cannot starve the task it waits for (mp_process_yield is such a poll).
 * Deaths: a port with MP_PORT_LIVENESS_NS == 0 promises that waiters notice deaths
 * without looking: every wait in progress when a process ends returns, and so does a
 * wait begun after a death that its caller had not yet been woken for (the caller may
 * have checked the dead process's life just before it ended). Ports that cannot promise
 * this set MP_PORT_LIVENESS_NS, and the core re-checks that often.
 * Returns MP_OK (woken, changed, or spurious), MP_ETIMEDOUT (deadline passed), or
 * MP_EDEADLK (simulation only: every task is blocked and no deadline is pending).
 */
mp_err_t mp_port_wait(_Atomic uint32_t *addr, uint32_t expected, mp_time_t deadline);

/* mp_port_yield: the calling process (never a handler) gives up the CPU to every other
 * ready one of its priority or higher, as a poll of mp_port_wait would, without the wait's
 * machinery (mp_process_yield; the Cortex-M3's context-switch figure is this call). */
void mp_port_yield(void);

/* mp_port_wake: wakes up to n waiters on addr (UINT32_MAX: all). Never blocks. */
void mp_port_wake(_Atomic uint32_t *addr, uint32_t n);

/*
 * mp_port_fence: a full memory barrier on every CPU that runs a process of this world,
 * before it returns (Linux: membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED); a single-CPU
 * port: a compiler barrier). It lets the core's hot paths go without any fence: the
 * rare side of a handshake (a process about to sleep, a second user taking a ring side
 * over) pays for both. Called by mp_init() once as a probe; MP_ENOTSUP there makes the
 * core use ordinary fences on both sides instead. Returns MP_OK or MP_ENOTSUP.
 */
mp_err_t mp_port_fence(void);

/* mp_port_shared: whether [p, p + size) is memory that every process of the world sees
 * at the same address (POSIX: inside the mp_world section, where MP_SHARED and
 * MP_QUEUE_DEFINE put things; a port whose processes share all memory: always). The core
 * refuses storage that is not, rather than lose every message put into it. */
bool mp_port_shared(const void *p, size_t size);

/* mp_port_now: monotonic nanoseconds. Virtual on the host simulation, where it moves
 * only when every task is blocked (it then jumps to the next deadline). */
mp_time_t mp_port_now(void);

/* ---- for mp_dump (mp/dump.h): what the port alone knows ---------------------------- */

/* mp_port_console: writes len bytes of text where the program's own output goes (POSIX:
 * standard output; a board: its console, e.g. a UART), whole, from process context. */
void mp_port_console(const char *text, size_t len);

/* mp_port_wait_addr: the word the process in slot sleeps on in mp_port_wait right now,
 * or NULL (running, ready, or a port that does not keep it). A snapshot, read by another
 * process: the core only describes it (mp_core_describe_wait), never follows it. */
const void *mp_port_wait_addr(uint32_t slot);

/* mp_port_stack_use: the most stack the process in slot has used so far, of *size bytes
 * (the task port paints each stack when a task starts and finds the deepest byte changed:
 * FreeRTOS's uxTaskGetStackHighWaterMark). MP_ENOTSUP where the stacks are the operating
 * system's, or for a slot that runs on a stack the port did not give it (the task port's
 * main process, on the board's stack); MP_ENOENT for a slot with no task. */
mp_err_t mp_port_stack_use(uint32_t slot, uint32_t *used, uint32_t *size);

/* ---- implemented by the core, called by the port (prefix mp_core_) --------------- */

/* The body of every spawned process: runs the target, then the exit sequence, then
 * mp_port_exit(). Called by the port in the new process or task, with mp_port_self()
 * already returning slot. */
_Noreturn void mp_core_process_main(uint32_t slot);

/* Called by a port right after it set MP_LIFE_DEAD in a slot's life word itself (in
 * mp_port_exit, in a reap): wakes whoever waits for that end on the word, mp_wait's
 * waiters included. Deaths the port does not see itself (a kill on POSIX: Linux marks the
 * word) are found by the waits' liveness slices; a port whose every wait returns at a
 * death (MP_PORT_LIVENESS_NS == 0) need not call it. */
void mp_core_ended(uint32_t slot);

/*
 * The exit sequence of the calling process, for a port that sees it end without
 * mp_process_exit(): the main process returning from main() or calling the C library's
 * exit() (in any process). Runs the caller's exit hooks (mp_atexit), the last registered
 * first, then terminates its daemonic children and joins the others, as CPython's exit
 * handler does, and returns; the port then lets the process end as it was ending. Called
 * in process context as that process, no lock held: POSIX from an atexit() handler
 * registered by mp_port_init, the task port's boards where main() returns. Does nothing
 * before mp_init() or in a raw fork() copy, and nothing more when called again.
 */
void mp_core_exit_sequence(void);

/* Called by a task port after a process ended without running the exit sequence
 * (signal, fault): kills its daemonic children, as PR_SET_PDEATHSIG does on Linux. */
void mp_core_process_orphan(uint32_t slot);

/* The port-private part of a slot, and its life word. Slots run from 0 to
 * MP_CONF_MAX_PROCESSES - 1. */
mp_port_slot_t *mp_core_port_slot(uint32_t slot);
_Atomic uint32_t *mp_core_life_word(uint32_t slot);

/* Writes a short text naming the object a waiter on addr waits for ("Lock #3 held by
 * Process-2"); used by deadlock reports. Returns the text length. */
size_t mp_core_describe_wait(const void *addr, char *buf, size_t size);

/* Copies the name of a slot's process (deadlock reports). */
void mp_core_slot_name(uint32_t slot, char *buf, size_t size);

/* A slot's priority, 0 .. MP_CONF_PRIORITIES - 1 (ports that schedule by themselves). */
uint32_t mp_core_slot_priority(uint32_t slot);

/* Whether a slot's process is suspended (mp_process_suspend), for deadlock reports; a
 * process that suspended itself waits on a word of the core's, not in a port state. */
bool mp_core_slot_suspended(uint32_t slot);

/* Whether a slot's process is daemonic (it must die with its parent). */
bool mp_core_slot_daemon(uint32_t slot);

/* The port id (mp_port_spawn's *pid) of a slot's process once started, else 0: how a port
 * finds a process it adopted (mp_port_signal); the life word loses it at a death. */
uint32_t mp_core_slot_pid(uint32_t slot);

#endif
