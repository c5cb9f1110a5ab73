/*
 * The host simulation board: the task port running inside one host process.
 *
 * - Virtual clock: mp_clock_ns() starts at 0 and moves only when every task is blocked,
 *   jumping to the nearest deadline. A 5-second timeout takes microseconds of real time
 *   and ends at exactly the same virtual instant on every run.
 * - Seeded schedule: with seed 0, tasks switch only when one blocks or ends. With any
 *   other seed, every runtime call is also a possible preemption point, chosen by a
 *   pseudo-random sequence from the seed: the same seed gives the same interleaving, so
 *   a race found once can be replayed. The environment variable MP_SIM_SEED sets the seed
 *   at mp_init().
 * - Deadlock: when every task is blocked and none has a deadline, the simulation prints a
 *   report naming each task and what it waits for, then exits with status
 *   MP_SIM_DEADLOCK_STATUS, unless mp_sim_on_deadlock(MP_SIM_DEADLOCK_RETURN) asked for
 *   the main process's blocking call to return MP_EDEADLK instead.
 */
#ifndef MP_SIM_H
#define MP_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mp/error.h"
#include "mp/process.h"

#define MP_SIM_DEADLOCK_STATUS 3

typedef enum {
    MP_SIM_DEADLOCK_EXIT = 0,
    MP_SIM_DEADLOCK_RETURN = 1,
} mp_sim_deadlock_t;

/* Sets the schedule seed (0 = switch only on blocking) and restarts its sequence. */
mp_err_t mp_sim_seed(uint64_t seed);

/* @retval MP_EINVAL not a policy */
mp_err_t mp_sim_on_deadlock(mp_sim_deadlock_t policy);

/* Copies the last deadlock report (empty if none). @retval MP_EINVAL NULL or size 0 */
mp_err_t mp_sim_deadlock_report(char *buf, size_t size);

/*
 * Fault injection, deterministic: every runtime call a process makes passes a preemption
 * point, and the board counts those of one armed process. At its k-th point (k >= 1,
 * counted from when it was armed) the process is
 * - MP_SIM_KILL: ended there, as mp_process_kill ends it (exitcode -MP_SIGKILL), in the
 *   middle of whatever call it was in, holding whatever it held;
 * - MP_SIM_STOP: not scheduled for hold_ns of virtual time, as a process stopped by
 *   SIGSTOP is not run: it keeps what it holds, the others' timed waits expire meanwhile,
 *   and then it goes on where it was.
 * MP_SIM_COUNT only counts, to learn how many points a scenario takes. With the same seed
 * (mp_sim_seed, applied before the run) and the same start, a run takes the same path up
 * to the fault, so a fault found at (seed, k) replays exactly.
 *
 * The handle is read for its slot only (the index part of its layout, mp/types.h): arm a
 * process after creating it, before anything else can reuse its slot.
 * @retval MP_EINVAL the main process (it cannot die alone), a bad handle, or a bad fault
 */
typedef enum {
    MP_SIM_COUNT = 0,
    MP_SIM_KILL = 1,
    MP_SIM_STOP = 2,
} mp_sim_fault_t;

mp_err_t mp_sim_fault(mp_process_t p, mp_sim_fault_t fault, uint32_t k, uint64_t hold_ns);

/* One more point, for the armed process only: a test's hook inside the runtime
 * (core/test_hooks.h) calls it, so that a fault can also land where no runtime call
 * is made (holding a queue side's guard, between a copy and its publication). */
void mp_sim_fault_point(void);

/* The armed process's points so far, and whether its fault has happened. */
mp_err_t mp_sim_fault_status(uint32_t *points, bool *fired);

/* Disarms: no process is counted any more. */
void mp_sim_fault_clear(void);

/* While a fault is armed, a run that makes more than `points` runtime calls in all (every
 * process's) is taken to be stuck going round in circles without ever blocking, where
 * the virtual clock never moves and no timeout can end it: the board prints label and
 * exits with MP_SIM_DEADLOCK_STATUS. 0 (the default) sets no limit. label is kept, not
 * copied. */
void mp_sim_fault_limit(uint64_t points, const char *label);

#endif
