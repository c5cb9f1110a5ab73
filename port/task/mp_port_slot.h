/*
 * The task port's control block, one per process slot, inside the world.
 * Lists link slots by index + 1 (0 ends a list), never by pointer.
 */
#ifndef MP_PORT_SLOT_H
#define MP_PORT_SLOT_H

#include <stdatomic.h>
#include <stdint.h>

#include "mp_arch_context.h"

typedef struct mp_port_slot {
    mp_arch_context_t ctx;    /* saved registers / stack pointer (arch-defined) */
    _Atomic uint32_t *wait_addr; /* while BLOCKED: the word it sleeps on */
    /* while BLOCKED: MP_TIME_NEVER or when to give up, as two halves so that the block
     * needs 4-byte alignment only (sched.c reads it with deadline_of) */
    uint32_t deadline[2];
    int32_t exitcode;         /* valid once DEAD */
    uint16_t next;            /* ready list or blocked list link: slot + 1, 0 = end */
    uint16_t deaths_seen;     /* deaths the task has been woken for (mod 2^16) */
    uint8_t state;            /* task_state_t (task.h) */
    int8_t wait_result;       /* what mp_port_wait returns when it resumes */
    uint8_t priority;         /* copied from the process at spawn */
    uint8_t suspended;        /* by its parent: kept off the ready list (sched.c) */
} mp_port_slot_t;

#endif
