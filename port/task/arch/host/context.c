/*
 * Task contexts on an x86-64 host (the host simulation).
 *
 * What this does not model: interrupts that preempt a task (the board runs a simulated
 * one only between two scheduler passes, so switches happen only at the scheduler's
 * calls), memory protection between tasks (they share the host process), and stack
 * limits (an overflow is caught only by the scheduler's guard word, at the task's next
 * switch, after it may have written into the stack below).
 */
#include <stdint.h>

#include "mp_arch.h"

/* GCC says ASan with __SANITIZE_ADDRESS__, clang with __has_feature. */
#if defined(__SANITIZE_ADDRESS__)
#define FIBERS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FIBERS 1
#endif
#endif
#ifndef FIBERS
#define FIBERS 0
#endif

/* ASan's fiber hooks tell it which stack each task runs on; without ASan they vanish. */
#if FIBERS
#include <sanitizer/common_interface_defs.h>
#define fiber_start __sanitizer_start_switch_fiber
#define fiber_finish __sanitizer_finish_switch_fiber
#else
static inline void fiber_start(void **f, const void *b, size_t s)
{
    (void)f, (void)b, (void)s;
}
static inline void fiber_finish(void *f, const void **b, size_t *s)
{
    (void)f, (void)b, (void)s;
}
#endif

void host_switch(void **save_sp, void *load_sp);

/* The context being left, so the one arriving can tell ASan where it came from. */
static mp_port_slot_t *leaving;

static void arrived(void *fake_stack)
{
    const void *bottom;
    size_t size;
    fiber_finish(fake_stack, &bottom, &size);
    if (FIBERS && leaving != NULL && leaving->ctx.stack_bottom == NULL) {
        leaving->ctx.stack_bottom = bottom; /* slot 0: the board's own stack */
        leaving->ctx.stack_size = size;
    }
}

static void first_run(void)
{
    arrived(NULL);
    task_entry();
}

void mp_arch_context_init(mp_port_slot_t *t, void *stack, size_t size)
{
    uintptr_t *sp = (uintptr_t *)(((uintptr_t)stack + size) & ~(uintptr_t)15);
    *--sp = 0;                      /* first_run's return address: it never returns */
    *--sp = (uintptr_t)first_run;   /* where host_switch's ret goes */
    for (int i = 0; i < 6; i++)
        *--sp = 0;                  /* rbp rbx r12 r13 r14 r15 */
    t->ctx.sp = sp;
    t->ctx.stack_bottom = stack;
    t->ctx.stack_size = size;
}

void mp_arch_switch(mp_port_slot_t *from, mp_port_slot_t *to)
{
    static void *dead_sp;
    leaving = from;
    fiber_start(from ? &from->ctx.fake_stack : NULL, to->ctx.stack_bottom,
                to->ctx.stack_size);
    host_switch(from ? &from->ctx.sp : &dead_sp, to->ctx.sp);
    arrived(from->ctx.fake_stack);
}

void mp_arch_init(void)
{
}

bool mp_port_host_in_isr;

void host_interrupt(void (*fn)(void *arg), void *arg)
{
    mp_port_host_in_isr = true;
    fn(arg);
    mp_port_host_in_isr = false;
}

void mp_arch_request_switch(void)
{
    /* A simulated interrupt runs while every task is blocked, between two scheduler
     * passes: the scheduler looks at the ready lists right after it, nothing to pend. */
}

