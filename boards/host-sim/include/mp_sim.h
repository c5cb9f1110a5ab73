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

#include <stdint.h>

#include "mp/error.h"

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

#endif
