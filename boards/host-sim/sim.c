/*
 * Host simulation board: virtual clock, seeded preemption, deadlock reports.
 *
 * What it does not model: real parallelism (one task runs at a time, so races show up
 * only at preemption points, which are every runtime call when a seed is set), memory
 * isolation (tasks share the host process, as on a microcontroller), and interrupts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mp_sim.h"
#include "task.h"

static mp_time_t clock_ns;
static uint64_t seed, rng;
static mp_sim_deadlock_t policy;
static char report[4096];

mp_err_t mp_sim_seed(uint64_t value)
{
    seed = value;
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

void mpi_board_init(void)
{
    const char *env = getenv("MP_SIM_SEED");
    mp_sim_seed(env ? strtoull(env, NULL, 0) : 0);
}

mp_time_t mpi_board_now(void)
{
    return clock_ns;
}

mp_err_t mpi_board_idle(mp_time_t next)
{
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
        mpi_task_report(report + n, sizeof report - (size_t)n);
    fputs(report, stderr);
    if (policy == MP_SIM_DEADLOCK_RETURN && mpi_task_interrupt_wait(0, MP_EDEADLK))
        return MP_EDEADLK;
    fflush(NULL);
    _exit(MP_SIM_DEADLOCK_STATUS);
}

bool mpi_board_preempt(void)
{
    if (seed == 0)
        return false;
    /* xorshift64*: cheap, and the same sequence for the same seed everywhere */
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return ((rng * 0x2545f4914f6cdd1du) >> 61) == 0; /* about one call in eight */
}
