/*
 * Task contexts on an x86-64 host (the host simulation).
 *
 * What this does not model: interrupts (there are none: switches happen only at the
 * scheduler's calls), memory protection between tasks (they share the host process),
 * and stack overflow (a task that overflows its static stack corrupts its neighbour;
 * build tests with ASan, which knows each stack's bounds through the fiber hooks).
 */
#include <stdint.h>

#include "task.h"

/* GCC says ASan with __SANITIZE_ADDRESS__, clang with __has_feature. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) && !defined(__SANITIZE_ADDRESS__)
#define __SANITIZE_ADDRESS__ 1
#endif
#endif

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define FIBERS 1
#else
#define FIBERS 0
static inline void __sanitizer_start_switch_fiber(void **f, const void *b, size_t s)
{
    (void)f, (void)b, (void)s;
}
static inline void __sanitizer_finish_switch_fiber(void *f, const void **b, size_t *s)
{
    (void)f, (void)b, (void)s;
}
#endif

void mpi_host_switch(void **save_sp, void *load_sp);

/* The context being left, so the one arriving can tell ASan where it came from. */
static mp_port_slot_t *leaving;

static void arrived(void *fake_stack)
{
    const void *bottom;
    size_t size;
    __sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
    if (FIBERS && leaving != NULL && leaving->ctx.stack_bottom == NULL) {
        leaving->ctx.stack_bottom = bottom; /* slot 0: the board's own stack */
        leaving->ctx.stack_size = size;
    }
}

static void first_run(void)
{
    arrived(NULL);
    mpi_task_entry();
}

void mpi_arch_context_init(mp_port_slot_t *t, void *stack, size_t size)
{
    uintptr_t *sp = (uintptr_t *)(((uintptr_t)stack + size) & ~(uintptr_t)15);
    *--sp = 0;                      /* first_run's return address: it never returns */
    *--sp = (uintptr_t)first_run;   /* where mpi_host_switch's ret goes */
    for (int i = 0; i < 6; i++)
        *--sp = 0;                  /* rbp rbx r12 r13 r14 r15 */
    t->ctx.sp = sp;
    t->ctx.stack_bottom = stack;
    t->ctx.stack_size = size;
}

void mpi_arch_switch(mp_port_slot_t *from, mp_port_slot_t *to)
{
    static void *dead_sp;
    leaving = from;
    __sanitizer_start_switch_fiber(from ? &from->ctx.fake_stack : NULL, to->ctx.stack_bottom,
                                   to->ctx.stack_size);
    mpi_host_switch(from ? &from->ctx.sp : &dead_sp, to->ctx.sp);
    arrived(from->ctx.fake_stack);
}

void mpi_arch_init(void)
{
}

bool mpi_host_in_isr; /* declared in mp_arch_context.h */

void mpi_arch_request_switch(void)
{
    /* A simulated interrupt runs while every task is blocked, between two scheduler
     * passes: the scheduler looks at the ready lists right after it, nothing to pend. */
}

uint32_t mpi_arch_lock(void)
{
    return 0; /* nothing preempts the simulation between its own calls */
}

void mpi_arch_unlock(uint32_t state)
{
    (void)state;
}
