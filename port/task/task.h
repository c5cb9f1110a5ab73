/*
 * Internal to the task port: what the scheduler needs from the arch folder (context
 * switch, interrupt masking) and from the board (clock, idle, preemption choice).
 */
#ifndef MP_TASK_H
#define MP_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mp/process.h"
#include "mp_port.h"

typedef enum {
    MPI_TASK_FREE = 0, /* never spawned, or reaped */
    MPI_TASK_READY,    /* on the ready list */
    MPI_TASK_RUNNING,  /* the current task */
    MPI_TASK_BLOCKED,  /* on the blocked list, waiting on a word */
    MPI_TASK_DEAD,     /* ended; exitcode valid; waiting to be reaped */
} mpi_task_state_t;

/* ---- arch (port/task/arch/<arch>) ---------------------------------------------------- */
/* Prepares t to start running mpi_task_entry() on the given stack. */
void mpi_arch_context_init(mp_port_slot_t *t, void *stack, size_t size);
/* Saves the running context in from and resumes to. from == NULL: the running task has
 * ended and its context (and stack) will never be resumed. */
void mpi_arch_switch(mp_port_slot_t *from, mp_port_slot_t *to);
/* Called once from mp_port_init, before the first switch. */
void mpi_arch_init(void);
/* From an interrupt: switch tasks on return from it, if the scheduler says so. */
void mpi_arch_request_switch(void);
/* Masks and restores whatever may preempt the scheduler (interrupts). */
uint32_t mpi_arch_lock(void);
void mpi_arch_unlock(uint32_t state);

/* ---- board (boards/<board>) --------------------------------------------------------- */
mp_time_t mpi_board_now(void);
/* Nothing is ready. Wait for an interrupt or until next (MP_TIME_NEVER: no deadline).
 * Returns MP_OK to let the scheduler look again, or MP_EDEADLK if nothing can ever
 * become ready (the board has reported it). */
mp_err_t mpi_board_idle(mp_time_t next);
/* Called at every preemption point while mpi_board_preempts is true: true to switch to
 * another ready task now. A board that never preempts there leaves the flag false, and
 * the point costs one load. */
bool mpi_board_preempt(void);
extern bool mpi_board_preempts;
/* The main process (slot 0) ended: end the whole program with code. */
_Noreturn void mpi_board_exit(int code);
/* Called once from mp_port_init. */
void mpi_board_init(void);
/* Called each time a task is spawned (a board may need to re-arm its fault handling). */
void mpi_board_task_start(void);

/* ---- the scheduler, for the arch and the board ------------------------------------- */
_Noreturn void mpi_task_entry(void);
/* The running task faulted (bad access, stack overflow): end it with exitcode -sig, as
 * if killed by that signal, and run the next task. Called from the fault handler. */
_Noreturn void mpi_task_fault(int sig);
/* The same for a fault handler that switches by itself (Cortex-M: it returns from the
 * exception into the next task): ends the running task and returns the task to resume,
 * or NULL when the main process faulted or nothing can run (the board stops). */
mp_port_slot_t *mpi_task_faulted(int sig);
uint32_t mpi_task_current(void);
/* Fills buf with one line per live task: its name, state and what it waits on. */
size_t mpi_task_report(char *buf, size_t size);
/* From a board's periodic tick, interrupts masked: true when the scheduler should look
 * again (a task of the running one's priority or higher is ready, or a deadline passed);
 * the board then requests an asynchronous switch (Cortex-M: PendSV). */
bool mpi_task_tick_due(void);
/* From that asynchronous switch, interrupts masked: moves the running task to the back of
 * its priority level and picks the next; returns it (and the one left in *from), or NULL
 * to keep running the current one. */
mp_port_slot_t *mpi_task_rotate(mp_port_slot_t **from);
/* The running task has no check in progress (it is in a board call): forget the deaths
 * it has not been woken for, so a reseeded schedule starts from the same state. */
void mpi_task_settle(void);
/* Makes a blocked task's wait return err (the deadlock policy uses it). */
bool mpi_task_interrupt_wait(uint32_t slot, mp_err_t err);

#endif
