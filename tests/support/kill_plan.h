/*
 * A kill at a core test hook point (core/test_hooks.h): the process named by
 * kill_plan.victim kills itself when it reaches kill_plan.point; every other process passes
 * through. A test sets both fields, then mpi_test_hook = kill_at_plan. Include after
 * mp_test.h and test_hooks.h, in suites that use it.
 */
#ifndef MP_TEST_KILL_PLAN_H
#define MP_TEST_KILL_PLAN_H

static MP_SHARED struct {
    mpi_hook_point_t point;
    uint32_t victim; /* a process handle's id */
} kill_plan;

static void kill_at_plan(mpi_hook_point_t point)
{
    mp_process_t me;
    if (point == kill_plan.point && mp_process_self(&me) == MP_OK && me.id == kill_plan.victim)
        (void)mp_process_kill(me);
}

#endif
