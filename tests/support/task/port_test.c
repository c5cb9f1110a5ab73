/*
 * The task port's side of the test helpers that depend on the port (see mp_test.h).
 */
#include "mp_test.h"
#include "task.h"

void wait_blocked(mp_process_t p)
{
    uint32_t slot = (p.id & 0xfffu) - 1u;
    while (mp_core_port_slot(slot)->state != TASK_BLOCKED)
        OK(mp_process_yield());
}

void wait_stopped(mp_process_t p)
{
    (void)p; /* tasks cannot be stopped; no suite on the task port asks for it */
    fail_msg("wait_stopped: not on the task port");
}
