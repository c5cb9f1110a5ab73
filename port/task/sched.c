/*
 * The task port: a scheduler with static stacks, one per process slot.
 *
 * Lists. Ready tasks form one FIFO per priority (round robin within a level), with a
 * bitmap of the non-empty levels, so picking the next task is one count-leading-zeros;
 * blocked tasks form one list in the order they blocked, so a wake on an address
 * releases its waiters first-come first-served.
 *
 * Priorities. The running task is always one of the highest priority ready ones: a task
 * made ready at a higher priority (woken, spawned) takes the CPU at once; equal
 * priorities take turns when one blocks or yields, or when the board's tick rotates them
 * (task_rotate). Tables are small (MP_CONF_MAX_PROCESSES), so a wake or a timeout scan
 * walks the blocked list rather than keeping per-address queues.
 *
 * When tasks switch. Only inside these calls: when the running task blocks, ends, or
 * reaches a preemption point where the board says to switch (the host simulation
 * decides from its seed, so a run can be replayed exactly). A preemptive board adds
 * its own switches from interrupts through the arch folder.
 *
 * Time. Nothing here sleeps: when no task is ready the board's idle hook either waits
 * for an interrupt (a real target) or moves its virtual clock to the next deadline
 * (host simulation). If nothing is ready and no deadline is pending, the board reports
 * a deadlock.
 *
 * Death. A task that ends, however, sets MP_LIFE_DEAD in its life word and wakes every
 * blocked task: a waiter on a lock held by the dead task then re-checks the owner and
 * takes the lock over (the core's robust rule), so no liveness polling is needed here.
 *
 * Suspension (mp_port_signal MP_SIGSTOP/MP_SIGCONT). A suspended task is on no ready list.
 * One that is blocked stays on the blocked list, so a wake or an expired deadline still
 * ends its wait; it is then parked (TASK_SUSPENDED) with that result and made ready when
 * resumed, so it sees the wake-up or the timeout then. Ending it needs nothing more.
 */
#include <string.h>

#include "mp/process.h"
#include "task.h"

#define NO_TASK UINT32_MAX

/* The running task's slot, read inline by mp_port_self (mp_port_inline.h): the caller's
 * identity is kept where a switch sets it, not asked for. */
uint32_t mp_port_task_running;
#define current mp_port_task_running
static uint32_t ready_head[MP_CONF_PRIORITIES], ready_tail[MP_CONF_PRIORITIES]; /* slot + 1 */
static uint32_t ready_levels; /* bit p: ready_head[p] is not empty */

/* Each slot's control block, looked up once (mp_core_port_slot is a call into the core,
 * and a switch asks for blocks about ten times). */
static mp_port_slot_t *tasks[MP_CONF_MAX_PROCESSES];

static mp_port_slot_t *task(uint32_t slot)
{
    return tasks[slot];
}

static uint32_t prio(uint32_t slot)
{
    return task(slot)->priority;
}

static mp_time_t deadline_of(const mp_port_slot_t *t)
{
    mp_time_t d;
    memcpy(&d, t->deadline, sizeof d);
    return d;
}
static uint32_t blocked_head, blocked_tail; /* slot + 1; 0 = empty */
static uint32_t next_pid;
static uint32_t deaths; /* processes ended so far: a wait begun after one returns at once */
static uint32_t timed;  /* blocked tasks with a deadline: without any, nothing expires */
static mp_time_t next_due = MP_TIME_NEVER; /* no blocked task's deadline is earlier */

/* Stacks for every slot but 0, which runs on the board's own stack. The lowest word of
 * each holds a guard: a task found to have overwritten it when it is switched away from
 * overflowed its stack, and ends as a fault (-SIGSEGV) before it can run again. */
static _Alignas(16) uint8_t stacks[MP_CONF_MAX_PROCESSES - 1][MP_CONF_STACK_SIZE];
#define STACK_GUARD 0x5afe57acu
static void stack_paint(uint32_t slot); /* for mp_dump, at the end */

#if MP_CONF_TEST_HOOKS /* the test hook of task.h */
void *task_stack_guard(uint32_t slot)
{
    return slot == 0 || slot >= MP_CONF_MAX_PROCESSES ? NULL : stacks[slot - 1];
}
#endif

static bool overflowed(uint32_t slot)
{
    if (slot == 0)
        return false; /* the board's own stack: the board guards it */
    uint32_t guard;
    memcpy(&guard, stacks[slot - 1], sizeof guard);
    return guard != STACK_GUARD;
}

static void ready_push(uint32_t slot)
{
    mp_port_slot_t *t = task(slot);
    uint32_t p = prio(slot);
    t->state = TASK_READY;
    t->next = 0;
    if (ready_tail[p])
        task(ready_tail[p] - 1)->next = (uint16_t)(slot + 1);
    else
        ready_head[p] = slot + 1;
    ready_tail[p] = slot + 1;
    ready_levels |= 1u << p;
}

/* The highest priority with a ready task, or -1. */
static int top_level(void)
{
    return ready_levels ? 31 - __builtin_clz(ready_levels) : -1;
}

static uint32_t ready_pop(void)
{
    int p = top_level();
    if (p < 0)
        return NO_TASK;
    uint32_t slot = ready_head[p] - 1;
    ready_head[p] = task(slot)->next;
    if (!ready_head[p]) {
        ready_tail[p] = 0;
        ready_levels &= ~(1u << p);
    }
    return slot;
}

/* Unlinks slot from the list (head, tail); returns false if it was not there. */
static bool list_remove(uint32_t *head, uint32_t *tail, uint32_t slot)
{
    uint32_t prev = 0;
    for (uint32_t i = *head; i; prev = i, i = task(i - 1)->next) {
        if (i != slot + 1)
            continue;
        uint32_t next = task(slot)->next;
        if (prev)
            task(prev - 1)->next = (uint16_t)next;
        else
            *head = next;
        if (*tail == slot + 1)
            *tail = prev;
        return true;
    }
    return false;
}

static void ready_remove(uint32_t slot)
{
    uint32_t p = prio(slot);
    list_remove(&ready_head[p], &ready_tail[p], slot);
    if (!ready_head[p])
        ready_levels &= ~(1u << p);
}

static void blocked_push(uint32_t slot)
{
    task(slot)->next = 0;
    if (blocked_tail)
        task(blocked_tail - 1)->next = (uint16_t)(slot + 1);
    else
        blocked_head = slot + 1;
    blocked_tail = slot + 1;
}

/* Moves a blocked task to the ready list; its wait returns result. */
static void unblock(uint32_t slot, mp_err_t result)
{
    list_remove(&blocked_head, &blocked_tail, slot);
    if (deadline_of(task(slot)) != MP_TIME_NEVER)
        timed--;
    task(slot)->wait_result = (int8_t)result;
    task(slot)->wait_addr = NULL;
    if (task(slot)->suspended)
        task(slot)->state = TASK_SUSPENDED; /* the result waits for it */
    else
        ready_push(slot);
}

static void wake_where(_Atomic uint32_t *addr, uint32_t n)
{
    uint32_t i = blocked_head;
    while (i && n > 0) {
        uint32_t next = task(i - 1)->next;
        if (addr == NULL || task(i - 1)->wait_addr == addr) {
            unblock(i - 1, MP_OK);
            n--;
        }
        i = next;
    }
}

static mp_time_t expire(void)
{
    if (timed == 0)
        return next_due = MP_TIME_NEVER; /* the clock is not even read */
    mp_time_t now = mp_board_now(), next = MP_TIME_NEVER;
    if (now < next_due)
        return next_due; /* nothing is due yet: no walk (it may be early; then one walk) */
    uint32_t i = blocked_head;
    while (i) {
        uint32_t slot = i - 1;
        i = task(slot)->next;
        mp_time_t d = deadline_of(task(slot));
        if (d <= now)
            unblock(slot, MP_ETIMEDOUT);
        else if (d < next)
            next = d;
    }
    return next_due = next;
}

static void end_task(uint32_t slot, int code);

/* Runs the next ready task. The caller has already put the current task where it
 * belongs (ready, blocked, or dead). Returns when the current task runs again. */
static void switch_next(void);
static void reschedule(void)
{
    if (task(current)->state != TASK_DEAD && overflowed(current)) {
        mp_core_process_orphan(current);
        end_task(current, -MP_SIGSEGV); /* its stack is not trustworthy any more */
    }
    switch_next();
}

/* Nothing is ready: lets the board idle until something is. Deadlines pass only when the
 * clock moves, in the board's idle (the host simulation's clock moves nowhere else) and at
 * the tick, whose task_rotate expires them: a switch between tasks that are ready never
 * reads the clock or walks a list. Out of line, so that such a switch saves fewer
 * registers. */
static __attribute__((noinline)) uint32_t idle_until_ready(void)
{
    for (;;) {
        mp_time_t deadline = expire();
        uint32_t next = ready_pop();
        if (next != NO_TASK)
            return next;
        (void)mp_board_idle(deadline);
    }
}

/* reschedule() for a caller that checked the running task's stack guard already. */
static void switch_next(void)
{
    bool dying = task(current)->state == TASK_DEAD;
    uint32_t next = ready_pop();
    if (next == NO_TASK)
        next = idle_until_ready();
    task(next)->state = TASK_RUNNING;
    if (next == current)
        return;
    uint32_t from = current;
    current = next;
    mp_arch_switch(dying ? NULL : task(from), task(next));
}

/* A task of higher priority than the running one is ready: let it run now. Called in
 * thread context with the lock held, after something made tasks ready. */
static void yield_to_higher(void)
{
    if (mp_arch_in_isr()) { /* never switch inside a handler: on its return */
        if (top_level() > (int)prio(current))
            mp_arch_request_switch();
        return;
    }
    if (top_level() > (int)prio(current) &&
        task(current)->state == TASK_RUNNING) {
        ready_push(current);
        reschedule();
    }
}

/* Whether someone ready may take the CPU from the running task at a switch it did not
 * ask for: a higher priority always, an equal one only with time slicing. */
static bool others_due(void)
{
    int top = top_level();
    return MP_CONF_TIME_SLICING ? top >= (int)prio(current) : top > (int)prio(current);
}

static void preempt_point(void)
{
    if (!mp_port_task_preempts || mp_arch_in_isr() || !mp_board_preempt())
        return;
    uint32_t irq = mp_arch_lock();
    if (ready_levels && others_due()) {
        ready_push(current);
        reschedule();
    }
    mp_arch_unlock(irq);
}

/* Ends slot with code: it never runs again, and everyone blocked re-checks. */
static void end_task(uint32_t slot, int code)
{
    mp_port_slot_t *t = task(slot);
    if (t->state == TASK_READY)
        ready_remove(slot);
    else if (t->state == TASK_BLOCKED && list_remove(&blocked_head, &blocked_tail, slot) &&
             deadline_of(t) != MP_TIME_NEVER)
        timed--;
    t->state = TASK_DEAD;
    t->exitcode = code;
    atomic_fetch_or(mp_core_life_word(slot), MP_LIFE_DEAD);
    deaths++;
    wake_where(NULL, UINT32_MAX);
}

/* ---- the port contract ----------------------------------------------------------- */

mp_err_t mp_port_init(void *world, size_t size)
{
    (void)world;
    (void)size;
    for (uint32_t slot = 0; slot < MP_CONF_MAX_PROCESSES; slot++)
        tasks[slot] = mp_core_port_slot(slot);
    mp_arch_init();
    mp_board_init();
    current = 0;
    for (uint32_t p = 0; p < MP_CONF_PRIORITIES; p++)
        ready_head[p] = ready_tail[p] = 0;
    ready_levels = 0;
    blocked_head = blocked_tail = 0;
    task(0)->state = TASK_RUNNING;
    next_pid = 1;
    atomic_store(mp_core_life_word(0), next_pid++);
    return MP_OK;
}

mp_err_t mp_port_spawn(uint32_t slot, uint32_t *pid)
{
    if (slot == 0 || slot >= MP_CONF_MAX_PROCESSES)
        return MP_EINVAL;
    uint32_t irq = mp_arch_lock();
    mp_port_slot_t *t = task(slot);
    memset(t, 0, sizeof *t);
    uint32_t guard = STACK_GUARD;
    memcpy(stacks[slot - 1], &guard, sizeof guard);
    stack_paint(slot);
    mp_arch_context_init(t, stacks[slot - 1], sizeof stacks[slot - 1]);
    t->priority = (uint8_t)mp_core_slot_priority(slot);
    t->deaths_seen = (uint16_t)deaths;
    *pid = next_pid;
    next_pid = next_pid + 1 > MP_LIFE_ID_MASK ? 1 : next_pid + 1;
    atomic_store(mp_core_life_word(slot), *pid);
    ready_push(slot);
    mp_arch_unlock(irq);
    mp_board_task_start();
    irq = mp_arch_lock();
    yield_to_higher(); /* a child of higher priority starts at once */
    mp_arch_unlock(irq);
    preempt_point();
    return MP_OK;
}

_Noreturn void task_entry(void)
{
    mp_arch_unlock(0);
    mp_core_process_main(current);
}

_Noreturn void mp_port_exit(int code)
{
    if (current == 0)
        mp_board_exit(code); /* the main process takes the program with it */
    if (overflowed(current))
        code = -MP_SIGSEGV; /* what it computed on a trampled stack is not to be trusted */
    (void)mp_arch_lock();
    end_task(current, code);
    reschedule();
    for (;;) /* a dead task is never resumed */
        ;
}

_Noreturn void task_fault(int sig)
{
    uint32_t slot = current;
    mp_core_process_orphan(slot);
    (void)mp_arch_lock();
    end_task(slot, -sig);
    reschedule();
    for (;;) /* a dead task is never resumed */
        ;
}

mp_port_slot_t *task_faulted(int sig)
{
    uint32_t slot = current;
    if (slot == 0)
        return NULL;
    mp_core_process_orphan(slot);
    end_task(slot, -sig);
    (void)expire();
    uint32_t next = ready_pop();
    if (next == NO_TASK)
        return NULL;
    task(next)->state = TASK_RUNNING;
    current = next;
    return task(next);
}

/* MP_SIGSTOP and MP_SIGCONT (see the top of this file). */
static void suspend_task(uint32_t slot, bool stop)
{
    uint32_t irq = mp_arch_lock();
    mp_port_slot_t *t = task(slot);
    t->suspended = stop;
    if (stop && t->state == TASK_READY) {
        ready_remove(slot);
        t->state = TASK_SUSPENDED;
    } else if (stop && t->state == TASK_RUNNING) { /* itself: the core never asks that */
        t->state = TASK_SUSPENDED;
        reschedule();
    } else if (!stop && t->state == TASK_SUSPENDED) {
        ready_push(slot);
        yield_to_higher();
    }
    mp_arch_unlock(irq);
}

mp_err_t mp_port_signal(uint32_t slot, int sig)
{
    if (slot >= MP_CONF_MAX_PROCESSES)
        return MP_EINVAL;
    uint8_t state = task(slot)->state;
    if (state == TASK_FREE || state == TASK_DEAD)
        return MP_OK;
    if (sig == MP_SIGSTOP || sig == MP_SIGCONT) {
        suspend_task(slot, sig == MP_SIGSTOP);
        return MP_OK;
    }
    mp_core_process_orphan(slot); /* daemonic children die with it, as PR_SET_PDEATHSIG does */
    uint32_t irq = mp_arch_lock();
    end_task(slot, -sig);
    if (slot == current)
        reschedule();
    else
        yield_to_higher(); /* its end may have woken someone more urgent */
    mp_arch_unlock(irq);
    return MP_OK;
}

mp_err_t mp_port_reap(uint32_t slot, mp_time_t deadline, int *exitcode)
{
    if (slot == 0 || slot >= MP_CONF_MAX_PROCESSES)
        return MP_EINVAL;
    _Atomic uint32_t *life = mp_core_life_word(slot);
    for (;;) {
        mp_port_slot_t *t = task(slot);
        if (t->state == TASK_DEAD) {
            *exitcode = t->exitcode;
            t->state = TASK_FREE;
            return MP_OK;
        }
        if (t->state == TASK_FREE)
            return MP_ESYS;
        mp_err_t err = mp_port_wait(life, atomic_load(life), deadline);
        if (err != MP_OK)
            return err;
    }
}

void mp_port_task_preempt(void)
{
    preempt_point();
}

/* Only tasks of the caller's level or above can take the CPU: no one else is even looked
 * at, and with none of them ready nothing is done at all. */
void mp_port_yield(void)
{
    if (overflowed(current))
        task_fault(MP_SIGSEGV); /* a yield is a switch in waiting: check now */
    uint32_t irq = mp_arch_lock();
    uint32_t from = current, p = prio(from), above = ready_levels >> p;
    if (above == 1u) {
        /* The common case, a turn among equals: the level's first task runs and the caller
         * goes to the back of the level, in one pass over the list (which stays non-empty). */
        mp_port_slot_t *me = task(from);
        uint32_t next = ready_head[p] - 1u;
        mp_port_slot_t *to = task(next);
        me->state = TASK_READY;
        me->next = 0;
        ready_head[p] = to->next ? to->next : from + 1u;
        if (to->next)
            task(ready_tail[p] - 1u)->next = (uint16_t)(from + 1u);
        ready_tail[p] = from + 1u;
        to->state = TASK_RUNNING;
        current = next;
        mp_arch_switch(me, to);
    } else if (above) {
        ready_push(from); /* a higher level is ready */
        switch_next(); /* the guard was checked on the way in */
    }
    mp_arch_unlock(irq);
}

mp_err_t mp_port_wait(_Atomic uint32_t *addr, uint32_t expected, mp_time_t deadline)
{
    if (overflowed(current))
        task_fault(MP_SIGSEGV); /* every wait is a switch in waiting: check now */
    preempt_point();
    uint32_t irq = mp_arch_lock();
    mp_err_t err = MP_OK;
    mp_port_slot_t *me = task(current);
    if (atomic_load(addr) != expected) {
        /* changed already: the caller re-checks */
    } else if (deadline != MP_TIME_NEVER && (deadline == 0 || deadline <= mp_board_now())) {
        /* A poll lets the others run first: a loop of polls must not starve the task it
         * waits for, with or without preemption (a poll never sleeps, so it needs no
         * news of deaths first). */
        if (ready_levels) {
            ready_push(current);
            switch_next(); /* the guard was checked on the way in */
        }
        err = atomic_load(addr) != expected ? MP_OK : MP_ETIMEDOUT;
    } else if (me->deaths_seen != (uint16_t)deaths) {
        /* A process died since this task last woke: it may have checked an owner's or a
         * peer's life just before that death, so let it look again before sleeping. */
    } else {
        mp_port_slot_t *t = task(current);
        t->state = TASK_BLOCKED;
        t->wait_addr = addr;
        memcpy(t->deadline, &deadline, sizeof deadline);
        t->wait_result = MP_OK;
        if (deadline != MP_TIME_NEVER) {
            timed++;
            if (deadline < next_due)
                next_due = deadline;
        }
        blocked_push(current);
        switch_next();
        err = (mp_err_t)t->wait_result;
    }
    me->deaths_seen = (uint16_t)deaths;
    mp_arch_unlock(irq);
    return err;
}

void mp_port_wake(_Atomic uint32_t *addr, uint32_t n)
{
    uint32_t irq = mp_arch_lock();
    wake_where(addr, n);
    yield_to_higher();
    mp_arch_unlock(irq);
    preempt_point();
}

mp_time_t mp_port_now(void)
{
    return mp_board_now();
}

bool mp_port_shared(const void *p, size_t size)
{
    (void)p;
    (void)size;
    return true; /* tasks share every byte */
}

mp_err_t mp_port_fence(void)
{
    /* One CPU: other tasks run only after a switch, which is a full barrier already. */
    atomic_signal_fence(memory_order_seq_cst);
    return MP_OK;
}

/* ---- for the arch and the boards (mp_arch.h, mp_board.h) ------------------------- */

bool task_tick_due(void)
{
    if (others_due())
        return true; /* someone waits for a turn: higher, or equal with time slicing */
    return timed != 0 && mp_board_now() >= next_due;
}

mp_port_slot_t *task_rotate(mp_port_slot_t **from)
{
    (void)expire();
    uint32_t old = current;
    if (task(old)->state != TASK_RUNNING || !others_due())
        return NULL;
    ready_push(old); /* to the back of its level */
    uint32_t next = ready_pop();
    task(next)->state = TASK_RUNNING;
    if (next == old)
        return NULL;
    current = next;
    *from = task(old);
    return task(next);
}

uint32_t task_current(void)
{
    return current;
}

void task_settle(void)
{
    task(current)->deaths_seen = (uint16_t)deaths;
}

bool task_interrupt_wait(uint32_t slot, mp_err_t err)
{
    if (slot >= MP_CONF_MAX_PROCESSES || task(slot)->state != TASK_BLOCKED)
        return false;
    unblock(slot, err);
    return true;
}

/* The held task waits on a word nobody changes; a death elsewhere wakes every waiter, so
 * it waits again. The hold is nested inside a runtime call that may itself be about to
 * wait: that call must still see the deaths it has not looked at (a waiter re-checks its
 * owner's life when a death happened since its last wake), so the count of deaths seen
 * is put back as it was. */
void task_hold(mp_time_t until)
{
    static _Atomic uint32_t never_changes;
    mp_port_slot_t *t = task(current);
    uint16_t seen = t->deaths_seen;
    while (mp_board_now() < until)
        (void)mp_port_wait(&never_changes, 0, until);
    t->deaths_seen = seen;
}

/* Appends s at buf[n], keeping buf NUL-terminated; returns the length it would have. */
static size_t append(char *buf, size_t size, size_t n, const char *s)
{
    for (; *s; s++, n++)
        if (n + 1 < size)
            buf[n] = *s;
    if (size > 0)
        buf[n < size ? n : size - 1] = '\0';
    return n;
}

size_t task_report(char *buf, size_t size)
{
    static const char *const names[] = {"free", "ready", "running", "blocked", "ended",
                                        "suspended"};
    char text[96];
    size_t n = 0;
    if (size > 0)
        buf[0] = '\0';
    for (uint32_t slot = 0; slot < MP_CONF_MAX_PROCESSES; slot++) {
        mp_port_slot_t *t = task(slot);
        if (t->state == TASK_FREE)
            continue;
        mp_core_slot_name(slot, text, sizeof text);
        n = append(buf, size, n, "  ");
        n = append(buf, size, n, text);
        n = append(buf, size, n, ": ");
        /* one that suspended itself is blocked on its resume, in no state of ours */
        bool suspended = t->state != TASK_DEAD && mp_core_slot_suspended(slot);
        n = append(buf, size, n, suspended ? names[TASK_SUSPENDED] : names[t->state]);
        if (t->state == TASK_BLOCKED) {
            mp_core_describe_wait((const void *)t->wait_addr, text, sizeof text);
            n = append(buf, size, n,  deadline_of(t) == MP_TIME_NEVER ? ", waits for " : ", waits (with a timeout) for ");
            n = append(buf, size, n, text);
        }
        n = append(buf, size, n, "\n");
    }
    return n;
}

/* ---- for mp_dump: stack high-water marks, what a task waits on ------------------------ */

/* Every word of a stack above its guard, before the task's first frame is written there;
 * the deepest one changed since marks the most the task used. Word by word through
 * volatile and uninstrumented: under ASan a stack still holds the poison of frames that
 * never returned (a killed task's), and a live one's redzones, which are not our business. */
#define STACK_PAINT 0xa5a5a5a5u
#define STACK_WORDS (MP_CONF_STACK_SIZE / sizeof(uint32_t))

__attribute__((no_sanitize_address)) static void stack_paint(uint32_t slot)
{
    if (!MP_CONF_STACK_HIGH_WATER)
        return;
    volatile uint32_t *w = (volatile uint32_t *)(void *)stacks[slot - 1];
    uint32_t i = 1; /* word 0: the guard */
    for (; i + 4u <= STACK_WORDS; i += 4u) { /* four a turn: a start pays for every word */
        w[i] = STACK_PAINT;
        w[i + 1u] = STACK_PAINT;
        w[i + 2u] = STACK_PAINT;
        w[i + 3u] = STACK_PAINT;
    }
    for (; i < STACK_WORDS; i++)
        w[i] = STACK_PAINT;
}

__attribute__((no_sanitize_address)) mp_err_t mp_port_stack_use(uint32_t slot, uint32_t *used,
                                                                 uint32_t *size)
{
    if (slot == 0 || slot >= MP_CONF_MAX_PROCESSES || !MP_CONF_STACK_HIGH_WATER)
        return MP_ENOTSUP; /* the main process runs on the board's stack; or no paint */
    if (task(slot)->state == TASK_FREE)
        return MP_ENOENT;
    const volatile uint32_t *w = (const volatile uint32_t *)(const void *)stacks[slot - 1];
    uint32_t untouched = 1;
    while (untouched < STACK_WORDS && w[untouched] == STACK_PAINT)
        untouched++;
    *size = MP_CONF_STACK_SIZE;
    /* an overflow took the guard too: all of it */
    *used = overflowed(slot) ? *size : (uint32_t)((STACK_WORDS - untouched) * sizeof(uint32_t));
    return MP_OK;
}

const void *mp_port_wait_addr(uint32_t slot)
{
    if (slot >= MP_CONF_MAX_PROCESSES || task(slot) == NULL)
        return NULL;
    uint8_t state = task(slot)->state;
    return state == TASK_BLOCKED ? (const void *)task(slot)->wait_addr : NULL;
}

void mp_port_console(const char *text, size_t len)
{
    mp_board_console(text, len);
}
