/*
 * The task port's interface to its arch (port/task/arch/<arch>): the context switch and
 * the masking of whatever may preempt the scheduler. A new arch is one folder holding
 * mp_arch_context.h and the functions below; the scheduler (sched.c) and the boards
 * call nothing else of it.
 *
 * What an arch may assume. One CPU. The scheduler touches its lists only with
 * mp_arch_lock() held, and switches only through mp_arch_switch() (synchronous, from a
 * task) or mp_arch_request_switch() (asynchronous, from an interrupt). Every task, the
 * main process included, owns a context in the ctx member of its mp_port_slot_t, which
 * is that struct's first member (switch code may reach the saved stack pointer through
 * the slot's address).
 *
 * mp_arch_context.h, found on the include path in the arch folder, defines:
 *   mp_arch_context_t       a task's saved context; its first member is the saved stack
 *                           pointer;
 *   int mp_arch_in_isr(void)  static inline: nonzero inside an interrupt handler (the
 *                           one priority level that may call the runtime). Cheap: every
 *                           queue operation asks it, through mp_port_in_isr().
 *   mp_arch_lock, mp_arch_unlock  static inline (below).
 */
#ifndef MP_ARCH_H
#define MP_ARCH_H

#include <stddef.h>
#include <stdint.h>

#include "mp_port.h"

/* ---- implemented by the arch (prefix mp_arch_) ----------------------------------- */

/* mp_arch_init: called once, by mp_port_init() in the main process, before the board's
 * mp_board_init() and before the first switch. Sets up what switching needs (Cortex-M:
 * PendSV at the lowest exception priority, so a switch never preempts a handler). */
void mp_arch_init(void);

/* mp_arch_context_init: called by mp_port_spawn() with mp_arch_lock() held, for a slot
 * whose task has never run or has been reaped. Prepares t->ctx so that the first switch
 * to t, synchronous or not, runs task_entry() on [stack, stack + size) (task_entry
 * unmasks, whatever state the switch left). The stack is 16-byte aligned; its lowest
 * word is the scheduler's overflow guard and must be left alone. */
void mp_arch_context_init(mp_port_slot_t *t, void *stack, size_t size);

/* mp_arch_switch(struct mp_port_slot *from, struct mp_port_slot *to), declared by
 * mp_arch_context.h (the Cortex-M's is inline: it is on every switch's path): called by
 * the scheduler in thread context (never in a handler), with mp_arch_lock() held. Saves
 * the running context in from->ctx and resumes to->ctx; it returns when from is switched
 * back in, the lock held again. from == NULL: the running task has ended, and its context
 * and stack will never be resumed. to != from. */

/* mp_arch_request_switch: called with mp_arch_lock() held, from an interrupt handler that
 * made a more urgent task ready or from a board's tick: on return from the interrupt,
 * before the interrupted task goes on, ask task_rotate() which task runs (Cortex-M: pend
 * PendSV). An arch whose interrupts run only while every task is blocked (the host
 * simulation) has nothing to do: the scheduler looks at its lists right after them. */
void mp_arch_request_switch(void);

/* mp_arch_lock / mp_arch_unlock (static inline, in mp_arch_context.h: every scheduler call
 * takes them, so a call would cost more than the two instructions): mask and restore
 * whatever may preempt the scheduler (Cortex-M: PRIMASK). Called in thread and handler
 * context, and nested: unlock restores the state its lock returned; mp_arch_unlock(0)
 * unmasks everything. Nothing preempts the host simulation between its own calls, so
 * there they do nothing. */

/* ---- implemented by the scheduler, called by the arch (prefix task_) ------------- */

/* Where every new task starts (see mp_arch_context_init): unmasks (mp_arch_unlock(0))
 * and runs the slot's process. Never returns. */
_Noreturn void task_entry(void);

/* From the asynchronous switch that mp_arch_request_switch() asked for, with
 * mp_arch_lock() held: moves the running task to the back of its priority level and
 * picks the next. Returns the task to resume and stores the one left in *from, or returns
 * NULL to keep running the current one. */
mp_port_slot_t *task_rotate(mp_port_slot_t **from);

/* From a fault handler that switches by itself (Cortex-M: it returns from the exception
 * straight into the next task): ends the running task with exitcode -sig, as if killed by
 * that signal, and returns the task to resume. NULL when the main process faulted or no
 * task can run: the arch then stops the program through the board (mp_board_fatal). */
mp_port_slot_t *task_faulted(int sig);

#endif
