/*
 * Host simulation board: virtual clock, seeded preemption, deadlock reports, simulated
 * interrupts (mp_board_after), fault injection (mp_sim_fault), main's end (an atexit
 * handler runs its exit sequence while the tasks still run), and task faults: a
 * SIGSEGV/SIGBUS inside a task ends that task with exitcode -11 (or -7) and the
 * simulation goes on, as a fault handler does on the microcontroller. A fault in the
 * main process is left to whatever handled it before (a test runner, or the default).
 *
 * What it does not model: real parallelism (one task runs at a time, so races show up
 * only at preemption points, which are every runtime call when a seed is set); memory
 * isolation (tasks share the host process, as on a microcontroller); interrupts that
 * arrive while a task runs (a simulated one fires only when every task is blocked), and
 * a tick (no time slices: the seeded preemption points play that part).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mp_board.h"
#include "mp_sim.h"

/* Simulated interrupts: each fires once, when the simulation is idle at (or past) its time. */
static struct {
    mp_time_t at;
    void (*fn)(void *);
    void *arg;
} irqs[8];

/* The armed fault (mp_sim_fault). */
static struct {
    bool armed, fired, inside; /* inside: the stop is running (its own waits do not count) */
    mp_sim_fault_t kind;
    uint32_t slot, k, points;
    mp_time_t hold;
    uint64_t calls, limit; /* every process's calls since armed, and the most allowed */
    const char *label;
} fault;

static mp_time_t clock_ns;
static uint64_t seed, rng;
static mp_sim_deadlock_t policy;
static char report[4096];
static bool running; /* mp_init() has set up the scheduler */
bool mp_port_task_preempts; /* a seed is set, or a fault armed */

mp_err_t mp_sim_seed(uint64_t value)
{
    if (running)
        task_settle(); /* the replay starts from a settled caller */
    seed = value;
    mp_port_task_preempts = value != 0 || fault.armed;
    rng = value * 0x9e3779b97f4a7c15u + 1u;
    return MP_OK;
}

mp_err_t mp_sim_on_deadlock(mp_sim_deadlock_t value)
{
    if (value != MP_SIM_DEADLOCK_EXIT && value != MP_SIM_DEADLOCK_RETURN)
        return MP_EINVAL;
    policy = value;
    return MP_OK;
}

mp_err_t mp_sim_deadlock_report(char *buf, size_t size)
{
    if (buf == NULL || size == 0)
        return MP_EINVAL;
    snprintf(buf, size, "%s", report);
    return MP_OK;
}

static struct sigaction before[2];
static const int fault_signals[2] = {SIGSEGV, SIGBUS};
static _Alignas(16) uint8_t fault_stack[64 * 1024];

static void on_fault(int sig)
{
    if (task_current() != 0)
        task_fault(sig); /* switches to another task: this handler never returns */
    /* The main process faulted: give the fault back to whoever handled it before. */
    for (int i = 0; i < 2; i++)
        if (fault_signals[i] == sig)
            sigaction(sig, &before[i], NULL);
}

/* Re-armed at every spawn because a test runner may have installed its own handler
 * since (CMocka does, around each test); the one found is kept for the main process. */
void mp_board_task_start(void)
{
    stack_t ss = {.ss_sp = fault_stack, .ss_size = sizeof fault_stack};
    sigaltstack(&ss, NULL);
    struct sigaction sa = {.sa_handler = on_fault, .sa_flags = SA_ONSTACK | SA_NODEFER};
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 2; i++) {
        struct sigaction old;
        sigaction(fault_signals[i], &sa, &old);
        if (old.sa_handler != on_fault)
            before[i] = old;
    }
}

void mp_board_init(void)
{
    atexit(mp_core_exit_sequence); /* main()'s return: its children still run until joined */
    const char *env = getenv("MP_SIM_SEED");
    mp_sim_seed(env ? strtoull(env, NULL, 0) : 0);
    running = true;
}

mp_time_t mp_board_now(void)
{
    return clock_ns;
}

mp_err_t mp_board_after(mp_time_t delay_ns, void (*fn)(void *arg), void *arg)
{
    if (fn == NULL)
        return MP_EINVAL;
    for (size_t i = 0; i < sizeof irqs / sizeof irqs[0]; i++) {
        if (irqs[i].fn == NULL) {
            irqs[i].at = clock_ns + delay_ns;
            irqs[i].arg = arg;
            irqs[i].fn = fn;
            return MP_OK;
        }
    }
    return MP_EBUSY;
}

/* Runs the earliest pending interrupt if it is due no later than next; true if one ran. */
static bool fire_interrupt(mp_time_t next)
{
    size_t first = SIZE_MAX;
    for (size_t i = 0; i < sizeof irqs / sizeof irqs[0]; i++)
        if (irqs[i].fn != NULL && (first == SIZE_MAX || irqs[i].at < irqs[first].at))
            first = i;
    if (first == SIZE_MAX || irqs[first].at > next)
        return false;
    if (irqs[first].at > clock_ns)
        clock_ns = irqs[first].at;
    void (*fn)(void *) = irqs[first].fn;
    irqs[first].fn = NULL;
    host_interrupt(fn, irqs[first].arg);
    return true;
}

mp_err_t mp_board_idle(mp_time_t next)
{
    if (fire_interrupt(next))
        return MP_OK; /* the scheduler looks at the ready lists again */
    if (next != MP_TIME_NEVER) {
        if (next > clock_ns)
            clock_ns = next;
        return MP_OK;
    }
    int n = snprintf(report, sizeof report,
                     "mpstatic host-sim: deadlock at t=%llu ns: every task is blocked and "
                     "none has a timeout\n",
                     (unsigned long long)clock_ns);
    if (n > 0 && (size_t)n < sizeof report)
        task_report(report + n, sizeof report - (size_t)n);
    fputs(report, stderr);
    if (policy == MP_SIM_DEADLOCK_RETURN && task_interrupt_wait(0, MP_EDEADLK))
        return MP_EDEADLK;
    fflush(NULL);
    _exit(MP_SIM_DEADLOCK_STATUS);
}

_Noreturn void mp_board_exit(int code)
{
    fflush(NULL);
    exit(code);
}

/* ---- fault injection ----------------------------------------------------------------- */

mp_err_t mp_sim_fault(mp_process_t p, mp_sim_fault_t kind, uint32_t k, uint64_t hold_ns)
{
    uint32_t slot = (p.id & 0xfffu) - 1u; /* the index part of a handle (mp/types.h) */
    if (p.id >> MP_HANDLE_KIND_SHIFT != 1u || slot == 0 || slot >= MP_CONF_MAX_PROCESSES || kind > MP_SIM_STOP ||
        (kind != MP_SIM_COUNT && k == 0))
        return MP_EINVAL;
    fault.armed = true;
    fault.fired = fault.inside = false;
    fault.kind = kind;
    fault.slot = slot;
    fault.k = k;
    fault.points = 0;
    fault.calls = 0;
    fault.hold = hold_ns;
    mp_port_task_preempts = true; /* the scheduler asks at every point from now on */
    return MP_OK;
}

mp_err_t mp_sim_fault_status(uint32_t *points, bool *fired)
{
    if (points == NULL || fired == NULL)
        return MP_EINVAL;
    *points = fault.points;
    *fired = fault.fired;
    return MP_OK;
}

void mp_sim_fault_limit(uint64_t points, const char *label)
{
    fault.limit = points;
    fault.label = label;
}

void mp_sim_fault_clear(void)
{
    fault.armed = false;
    mp_port_task_preempts = seed != 0;
}

/* At a preemption point of the running process: its fault, if this is the point. A kill
 * goes through the port as mp_process_kill's does (it never returns here); the process
 * is the running one, so it ends at once, inside the call that reached this point. */
static void inject(void)
{
    uint32_t slot = task_current();
    if (!fault.armed || fault.inside || slot != fault.slot)
        return;
    if (++fault.points != fault.k || fault.kind == MP_SIM_COUNT || fault.fired)
        return;
    fault.fired = true;
    if (fault.kind == MP_SIM_KILL) {
        (void)mp_port_signal(slot, MP_SIGKILL);
        return;
    }
    fault.inside = true;
    task_hold(mp_board_now() + fault.hold);
    fault.inside = false;
}

void mp_sim_fault_point(void)
{
    if (!mp_port_in_isr()) /* a simulated interrupt runs on no task of its own */
        inject();
}

bool mp_board_preempt(void)
{
    bool now = false;
    if (seed != 0) {
        /* xorshift64*: cheap, and the same sequence for the same seed everywhere; drawn
         * before the fault, so a schedule is the same whatever fault is armed */
        rng ^= rng >> 12;
        rng ^= rng << 25;
        rng ^= rng >> 27;
        now = ((rng * 0x2545f4914f6cdd1du) >> 61) == 0; /* about one call in eight */
    }
    if (fault.armed && fault.limit != 0 && ++fault.calls > fault.limit) {
        fprintf(stderr, "mpstatic host-sim: %llu runtime calls since the fault was armed, "
                        "at t=%llu ns: a livelock\n%s\n",
                (unsigned long long)fault.calls, (unsigned long long)clock_ns,
                fault.label ? fault.label : "");
        fflush(NULL);
        _exit(MP_SIM_DEADLOCK_STATUS);
    }
    inject();
    return now;
}

void mp_board_console(const char *text, size_t len)
{
    fwrite(text, 1, len, stdout); /* in order with the program's own printf */
    fflush(stdout);
}
