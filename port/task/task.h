/*
 * The scheduler's own header (sched.c): the states of a task, and the two interfaces it
 * sits on, the arch below it (mp_arch.h) and the board beside it (mp_board.h).
 */
#ifndef MP_TASK_H
#define MP_TASK_H

#include <stdint.h>

#include "mp_arch.h"
#include "mp_board.h"

typedef enum {
    TASK_FREE = 0, /* never spawned, or reaped */
    TASK_READY,    /* on the ready list */
    TASK_RUNNING,  /* the current task */
    TASK_BLOCKED,  /* on the blocked list, waiting on a word */
    TASK_DEAD,     /* ended; exitcode valid; waiting to be reaped */
    TASK_SUSPENDED, /* suspended and not blocked: on no list; ready once resumed */
} task_state_t;

/* Test hook (MP_CONF_TEST_HOOKS builds only, as core/test_hooks.h): where a task's stack
 * guard lives, so a test can overwrite it as an overflow would. Elsewhere there is none;
 * the stub keeps the suites compiling in those builds, which never run them. */
#if MP_CONF_TEST_HOOKS
void *task_stack_guard(uint32_t slot);
#else
static inline void *task_stack_guard(uint32_t slot)
{
    (void)slot;
    return (void *)0;
}
#endif

#endif
