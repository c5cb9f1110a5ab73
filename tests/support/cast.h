/*
 * The cast of a fault-injection round, shared by the POSIX suite (real processes, a
 * SIGKILL or SIGSTOP at a random moment) and the host simulation's (a task killed or
 * stopped at its k-th runtime call): processes of every role on one set of objects, what
 * the main process does after the fault, and the checks of what a round leaves.
 *
 * Roles. Producers and consumers on a queue; senders sharing the sending end of a one-way
 * pipe, and its receiver; lockers, each running a Lock section, a nested RLock section and
 * a semaphore section in turn; a notifier feeding items to condition waiters; barrier
 * parties; and a prober, which calls every object with MP_NOWAIT and short timeouts
 * (the main process on POSIX, a process of the cast on the simulation).
 *
 * What must hold after a round (checked by cast_check):
 * - messages: none torn, repeated, or out of order within its stream (each consumer
 *   sees each producer's messages in order); every one whose put or send returned MP_OK
 *   delivered once, except what the fault explains and is counted exactly: a producer
 *   killed inside a put may or may not have published that one message ("unpublished"),
 *   a consumer killed between taking a message and recording it loses that one ("lost").
 * - a killed process: MP_EOWNERDEAD at most once per lock, and only when the killed
 *   process could have held it; the lock counts off by at most its one section; the
 *   semaphore short of at most its one unit; the condition's items balanced to within the
 *   one it was producing or taking. The main process repairs what only a death leaves
 *   waiting (it aborts the barrier, ends the condition's stream, takes over the receiving
 *   end of the pipe), so a survivor never has a reason to reach a deadline.
 * - a survivor: every call it makes has a deadline and it accepts only the codes of its
 *   role (MP_ETIMEDOUT never; MP_EOF on a send only when the receiver was killed;
 *   MP_EBROKEN only when a party was killed); no process is still running at the join
 *   deadline (a hang).
 * - probes: each code one of those allowed (MP_NOWAIT: done or "would block", never
 *   waiting for a stopped process); how long each took is recorded for the port to judge
 *   (the simulation's clock is virtual, so there it is exact).
 */
#ifndef MP_TEST_CAST_H
#define MP_TEST_CAST_H

#include <stdio.h>

#include "message.h"
#include "mp_test.h"
#include "test_hooks.h"
#include "world.h"

#ifndef CAST_STREAM_MAX
#error "define CAST_STREAM_MAX: the most messages one producer or sender sends"
#endif

#define CAST_MAX 15u    /* members of a cast, the main process not included */
#define CAST_STREAMS 4u /* up to three producers (or senders), and the prober */
#define CAST_PROBER 3u  /* the prober's stream */
#define CAST_CYCLES 8192u
#define CAST_SEM_UNITS 2u
#define CAST_UNTIL_STOP UINT32_MAX /* a quota: loop until the main process says stop */

enum { PRODUCER, CONSUMER, SENDER, RECEIVER, LOCKER, NOTIFIER, WAITER, PARTY, PROBER };

static const char *const cast_role_names[] = {"producer", "consumer", "sender", "receiver",
                                              "locker",   "notifier", "waiter", "party",
                                              "prober"};

typedef struct {
    uint32_t started, done; /* messages whose put began / returned MP_OK */
    uint32_t eof;           /* the sender was told MP_EOF */
    uint8_t got[CAST_STREAM_MAX]; /* deliveries of each sequence number */
} cast_stream_t;

/* Everything a round's processes share; reset by the main process before each round.
 * Handles are plain values, so they may live in the world. */
typedef struct {
    /* the plan, written by the main process before the cast starts */
    uint8_t role[CAST_MAX], id[CAST_MAX];
    uint32_t members, victim;
    uint32_t arm_op, arm_progress; /* the victim's moment: its own op, or the cast's */
    uint32_t queue_msgs, pipe_msgs, sections, items, cycle_quota; /* or CAST_UNTIL_STOP */
    mp_timeout_t work_timeout, probe_timeout;
    mp_timeout_t pace; /* producers but the first pause this long between puts */
    bool probe_pipe;
    mp_queue_t q;
    mp_conn_t rx, tx;
    mp_lock_t lock;
    mp_rlock_t rlock;
    mp_semaphore_t sem;
    mp_condition_t cond;
    mp_barrier_t barrier;
    mp_event_t go, armed, never; /* never: never set, a wait on it is a pause */
    uint32_t stop, probe_stop;
    uint32_t hook_at;      /* the victim's moment is its hook_at-th pass at a test hook */
    uint32_t hook_point;   /* where it was (mpi_hook_point_t) */
    /* written by the cast */
    uint32_t progress;
    struct {
        uint32_t ops;
        int32_t err;      /* the first code it could not accept */
        const char *call; /* a string literal: the same address in every process */
    } worker[CAST_MAX];
    uint32_t taking[CAST_MAX]; /* inside a get/recv, the message not recorded yet */
    cast_stream_t queue[CAST_STREAMS], pipe[CAST_STREAMS];
    uint32_t torn, disorder, duplicated, exclusion;
    uint32_t lock_inside, lock_count, rlock_inside, rlock_count, sem_inside;
    uint32_t sections_done[CAST_MAX][2]; /* per locker: Lock and RLock sections */
    uint32_t owner_dead[3];              /* MP_EOWNERDEAD on the Lock, RLock, condition */
    uint32_t items_left, produced, taken[CAST_MAX], cond_done;
    uint32_t cycles, last_cycle, broken;
    uint8_t arrivals[CAST_CYCLES];
    uint32_t senders, senders_ended, senders_ended_at_eof;
    /* the probes */
    uint32_t probes, probe_failures;
    const char *probe_what;
    int32_t probe_err;
    mp_time_t nowait_ns; /* the longest a MP_NOWAIT probe took */
    mp_time_t late_ns;   /* the most a timed probe returned after its deadline */
    const char *nowait_what, *late_what;
} cast_state_t;

static MP_SHARED cast_state_t R;

/* What the main process is doing, for a watchdog to name when it is stuck. */
static const char *volatile cast_phase = "";

/* Installed in the victim when R.hook_at is set (each process has its own on POSIX). */
static void (*cast_victim_hook)(mpi_hook_point_t point);

/* ---- the members (children: no CMocka here) --------------------------------------- */

static inline void cast_add(uint32_t *counter)
{
    __atomic_add_fetch(counter, 1u, __ATOMIC_SEQ_CST);
}

static inline bool cast_stopping(void)
{
    return __atomic_load_n(&R.stop, __ATOMIC_SEQ_CST) != 0;
}

static inline int cast_fault(uint32_t w, const char *call, mp_err_t err)
{
    R.worker[w].err = err;
    R.worker[w].call = call;
    return 1;
}

/* One operation done: the victim's moment may have come (its own k-th operation, or the
 * cast's K-th for a victim that only reacts to others). */
static inline void cast_op_done(uint32_t w)
{
    uint32_t n = ++R.worker[w].ops;
    uint32_t p = __atomic_add_fetch(&R.progress, 1u, __ATOMIC_SEQ_CST);
    if ((w == R.victim && n == R.arm_op) || p == R.arm_progress)
        (void)mp_event_set(R.armed);
}

/* Records one received message: whole, in order within its stream, not seen before. */
static inline void cast_deliver(cast_stream_t *streams, uint32_t *last, const uint8_t *buf,
                                size_t len)
{
    uint32_t id, seq;
    if (!msg_read(buf, len, &id, &seq) || id >= CAST_STREAMS || seq >= CAST_STREAM_MAX) {
        cast_add(&R.torn);
        return;
    }
    if (last[id] != UINT32_MAX && seq <= last[id])
        cast_add(&R.disorder);
    last[id] = seq;
    if (__atomic_add_fetch(&streams[id].got[seq], 1u, __ATOMIC_SEQ_CST) > 1)
        cast_add(&R.duplicated);
}

static inline void cast_no_order(uint32_t *last)
{
    for (uint32_t i = 0; i < CAST_STREAMS; i++)
        last[i] = UINT32_MAX;
}

static inline int cast_producer(uint32_t w, uint32_t id)
{
    cast_stream_t *s = &R.queue[id];
    uint8_t buf[MSG_MAX];
    for (uint32_t seq = 0; seq < R.queue_msgs; seq++) {
        if (R.pace != 0 && id != 0 && seq != 0)
            (void)mp_event_wait(R.never, R.pace); /* work between two messages */
        size_t len = msg_make(buf, id, seq);
        __atomic_store_n(&s->started, seq + 1u, __ATOMIC_SEQ_CST);
        mp_err_t err = mp_queue_put(R.q, buf, len, R.work_timeout);
        if (err != MP_OK)
            return cast_fault(w, "mp_queue_put", err);
        __atomic_store_n(&s->done, seq + 1u, __ATOMIC_SEQ_CST);
        cast_op_done(w);
    }
    return 0;
}

static inline int cast_consumer(uint32_t w)
{
    uint32_t last[CAST_STREAMS];
    cast_no_order(last);
    for (;;) {
        uint8_t buf[MSG_MAX];
        size_t len;
        __atomic_store_n(&R.taking[w], 1u, __ATOMIC_SEQ_CST);
        mp_err_t err = mp_queue_get(R.q, buf, sizeof buf, &len, R.work_timeout);
        if (err == MP_ECLOSED)
            break; /* closed by the main process once the producers are done, and drained */
        if (err != MP_OK)
            return cast_fault(w, "mp_queue_get", err);
        cast_deliver(R.queue, last, buf, len);
        __atomic_store_n(&R.taking[w], 0u, __ATOMIC_SEQ_CST);
        cast_op_done(w);
    }
    __atomic_store_n(&R.taking[w], 0u, __ATOMIC_SEQ_CST);
    return 0;
}

/* Senders share the pipe's sending end, as CPython allows. */
static inline int cast_sender(uint32_t w, uint32_t id)
{
    cast_stream_t *s = &R.pipe[id];
    uint8_t buf[MSG_MAX];
    for (uint32_t seq = 0; seq < R.pipe_msgs; seq++) {
        size_t len = msg_make(buf, id, seq);
        __atomic_store_n(&s->started, seq + 1u, __ATOMIC_SEQ_CST);
        mp_err_t err = mp_pipe_send(R.tx, buf, len, R.work_timeout);
        if (err == MP_EOF) {
            s->eof = 1; /* judged by the main process: only a killed receiver explains it */
            return 0;
        }
        if (err != MP_OK)
            return cast_fault(w, "mp_pipe_send", err);
        __atomic_store_n(&s->done, seq + 1u, __ATOMIC_SEQ_CST);
        cast_op_done(w);
    }
    return 0;
}

static inline int cast_receiver(uint32_t w)
{
    uint32_t last[CAST_STREAMS];
    cast_no_order(last);
    for (;;) {
        uint8_t buf[MSG_MAX];
        size_t len;
        __atomic_store_n(&R.taking[w], 1u, __ATOMIC_SEQ_CST);
        mp_err_t err = mp_pipe_recv(R.rx, buf, sizeof buf, &len, R.work_timeout);
        if (err == MP_EOF) {
            R.senders_ended_at_eof = __atomic_load_n(&R.senders_ended, __ATOMIC_SEQ_CST);
            break;
        }
        if (err != MP_OK)
            return cast_fault(w, "mp_pipe_recv", err);
        cast_deliver(R.pipe, last, buf, len);
        __atomic_store_n(&R.taking[w], 0u, __ATOMIC_SEQ_CST);
        cast_op_done(w);
    }
    __atomic_store_n(&R.taking[w], 0u, __ATOMIC_SEQ_CST);
    return 0;
}

/* A critical section that a second process inside it would notice: a marker of who is
 * inside, and a count updated by a load, a pause and a store (a lost update shows). */
static inline void cast_section(uint32_t *inside, uint32_t *count, uint32_t w)
{
    if (__atomic_load_n(inside, __ATOMIC_SEQ_CST) != 0)
        cast_add(&R.exclusion);
    __atomic_store_n(inside, w + 1u, __ATOMIC_SEQ_CST);
    uint32_t v = __atomic_load_n(count, __ATOMIC_SEQ_CST);
    for (volatile int i = 0; i < 50; i++)
        ;
    __atomic_store_n(count, v + 1u, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(inside, __ATOMIC_SEQ_CST) != w + 1u)
        cast_add(&R.exclusion);
    __atomic_store_n(inside, 0u, __ATOMIC_SEQ_CST);
}

/* Taken, or taken from a holder that died: its section was cut short, clear its marker. */
static inline bool cast_acquired(mp_err_t err, uint32_t *inside, uint32_t which)
{
    if (err == MP_EOWNERDEAD) {
        cast_add(&R.owner_dead[which]);
        __atomic_store_n(inside, 0u, __ATOMIC_SEQ_CST);
    }
    return err == MP_OK || err == MP_EOWNERDEAD;
}

static inline int cast_locker(uint32_t w)
{
    for (uint32_t s = 0; s < R.sections && !cast_stopping(); s++) {
        mp_err_t err = mp_lock_acquire(R.lock, R.work_timeout);
        if (!cast_acquired(err, &R.lock_inside, 0))
            return cast_fault(w, "mp_lock_acquire", err);
        cast_section(&R.lock_inside, &R.lock_count, w);
        if ((err = mp_lock_release(R.lock)) != MP_OK)
            return cast_fault(w, "mp_lock_release", err);
        R.sections_done[w][0] = s + 1u;
        cast_op_done(w);

        err = mp_rlock_acquire(R.rlock, R.work_timeout);
        if (!cast_acquired(err, &R.rlock_inside, 1))
            return cast_fault(w, "mp_rlock_acquire", err);
        uint32_t depth = 0;
        if ((err = mp_rlock_acquire(R.rlock, MP_NOWAIT)) != MP_OK)
            return cast_fault(w, "mp_rlock_acquire (again)", err);
        if (mp_rlock_depth(R.rlock, &depth) != MP_OK || depth != 2)
            return cast_fault(w, "mp_rlock_depth (not 2)", MP_EINVAL);
        cast_section(&R.rlock_inside, &R.rlock_count, w);
        if ((err = mp_rlock_release(R.rlock)) != MP_OK ||
            (err = mp_rlock_release(R.rlock)) != MP_OK)
            return cast_fault(w, "mp_rlock_release", err);
        R.sections_done[w][1] = s + 1u;
        cast_op_done(w);

        if ((err = mp_semaphore_acquire(R.sem, R.work_timeout)) != MP_OK)
            return cast_fault(w, "mp_semaphore_acquire", err);
        if (__atomic_add_fetch(&R.sem_inside, 1u, __ATOMIC_SEQ_CST) > CAST_SEM_UNITS)
            cast_add(&R.exclusion);
        for (volatile int i = 0; i < 50; i++)
            ;
        __atomic_sub_fetch(&R.sem_inside, 1u, __ATOMIC_SEQ_CST);
        if ((err = mp_semaphore_release(R.sem)) != MP_OK)
            return cast_fault(w, "mp_semaphore_release", err);
        cast_op_done(w);
    }
    return 0;
}

static inline int cast_notifier(uint32_t w)
{
    for (uint32_t i = 0; i < R.items && !cast_stopping(); i++) {
        mp_err_t err = mp_condition_acquire(R.cond, R.work_timeout);
        if (err == MP_EOWNERDEAD)
            cast_add(&R.owner_dead[2]);
        else if (err != MP_OK)
            return cast_fault(w, "mp_condition_acquire", err);
        R.items_left++;
        if ((err = mp_condition_notify(R.cond, 1)) != MP_OK)
            return cast_fault(w, "mp_condition_notify", err);
        if ((err = mp_condition_release(R.cond)) != MP_OK)
            return cast_fault(w, "mp_condition_release", err);
        R.produced = i + 1u;
        cast_op_done(w);
    }
    return 0;
}

static inline bool cast_item_or_done(void *arg)
{
    (void)arg;
    return R.items_left > 0 || R.cond_done;
}

static inline int cast_waiter(uint32_t w)
{
    for (;;) {
        mp_err_t err = mp_condition_acquire(R.cond, R.work_timeout);
        if (err == MP_EOWNERDEAD)
            cast_add(&R.owner_dead[2]);
        else if (err != MP_OK)
            return cast_fault(w, "mp_condition_acquire", err);
        err = mp_condition_wait_for(R.cond, cast_item_or_done, NULL, R.work_timeout);
        if (err == MP_EOWNERDEAD) {
            cast_add(&R.owner_dead[2]);
        } else if (err != MP_OK) {
            if (err != MP_EUNLOCKED)
                (void)mp_condition_release(R.cond);
            return cast_fault(w, "mp_condition_wait_for", err);
        }
        bool took = R.items_left > 0;
        if (took)
            R.items_left--;
        if ((err = mp_condition_release(R.cond)) != MP_OK)
            return cast_fault(w, "mp_condition_release", err);
        if (!took)
            return 0; /* done, and nothing left */
        R.taken[w]++;
        cast_op_done(w);
    }
}

/* Runs once per cycle, before anyone is released: every party of the cycle learns
 * together whether it was the last. */
static inline void cast_cycle_action(void)
{
    R.cycles++;
    if (cast_stopping() || R.cycles >= R.cycle_quota || R.cycles == CAST_CYCLES)
        R.last_cycle = 1;
}

static inline int cast_party(uint32_t w)
{
    for (uint32_t c = 0; c < CAST_CYCLES; c++) {
        uint32_t index = UINT32_MAX;
        mp_err_t err = mp_barrier_wait(R.barrier, R.work_timeout, &index);
        if (err == MP_EBROKEN) {
            cast_add(&R.broken); /* judged by the main process: only a killed party explains it */
            return 0;
        }
        if (err != MP_OK)
            return cast_fault(w, "mp_barrier_wait", err);
        uint8_t bit = (uint8_t)(index < 7 ? 1u << index : 0x80u);
        if (__atomic_fetch_or(&R.arrivals[c], bit, __ATOMIC_SEQ_CST) & bit)
            cast_add(&R.exclusion); /* two parties given one arrival index */
        cast_op_done(w);
        if (R.last_cycle)
            break;
    }
    return 0;
}

/* ---- probes: every object, with MP_NOWAIT and with a short timeout ------------------ */

static inline void cast_probe_result(const char *what, mp_timeout_t t, mp_time_t took,
                                     mp_err_t err, const mp_err_t *allowed, size_t n)
{
    R.probes++;
    mp_time_t limit = t == MP_NOWAIT ? 0 : (mp_time_t)t * 1000000u;
    if (t == MP_NOWAIT && took > R.nowait_ns) {
        R.nowait_ns = took;
        R.nowait_what = what;
    }
    if (t != MP_NOWAIT && took > limit && took - limit > R.late_ns) {
        R.late_ns = took - limit;
        R.late_what = what;
    }
    for (size_t i = 0; i < n; i++)
        if (allowed[i] == err)
            return;
    if (R.probe_failures++ == 0) {
        R.probe_what = what;
        R.probe_err = err;
    }
}

/* PROBE(what, timeout, call, allowed codes...): runs call, timing it on the port's clock */
#define CAST_PROBE(what, t, call, ...)                                                        \
    do {                                                                                      \
        mp_time_t t0_, t1_;                                                                   \
        cast_phase = what;                                                                    \
        (void)mp_clock_ns(&t0_);                                                              \
        mp_err_t e_ = (call);                                                                 \
        (void)mp_clock_ns(&t1_);                                                              \
        cast_probe_result(what, t, t1_ - t0_, e_, (const mp_err_t[]){__VA_ARGS__},            \
                          sizeof((const mp_err_t[]){__VA_ARGS__}) / sizeof(mp_err_t));        \
        err = e_;                                                                             \
    } while (0)

static inline void cast_probe_queue(mp_timeout_t t, uint32_t *last)
{
    uint8_t buf[MSG_MAX];
    cast_stream_t *s = &R.queue[CAST_PROBER];
    size_t len = msg_make(buf, CAST_PROBER, s->done);
    mp_err_t err;
    if (s->done + 1u < CAST_STREAM_MAX) {
        s->started = s->done + 1u;
        if (t == MP_NOWAIT)
            CAST_PROBE("mp_queue_put(MP_NOWAIT)", t, mp_queue_put(R.q, buf, len, t), MP_OK,
                       MP_EFULL, MP_EAGAIN, MP_ECLOSED);
        else
            CAST_PROBE("mp_queue_put(timed)", t, mp_queue_put(R.q, buf, len, t), MP_OK,
                       MP_ETIMEDOUT, MP_ECLOSED);
        if (err == MP_OK)
            s->done++;
        s->started = s->done; /* not published: the same number goes out next time */
    }
    if (t == MP_NOWAIT)
        CAST_PROBE("mp_queue_get(MP_NOWAIT)", t, mp_queue_get(R.q, buf, sizeof buf, &len, t),
                   MP_OK, MP_EEMPTY, MP_EAGAIN, MP_ECLOSED);
    else
        CAST_PROBE("mp_queue_get(timed)", t, mp_queue_get(R.q, buf, sizeof buf, &len, t), MP_OK,
                   MP_ETIMEDOUT, MP_ECLOSED);
    if (err == MP_OK)
        cast_deliver(R.queue, last, buf, len);
}

static inline void cast_probe_locks(mp_timeout_t t)
{
    mp_err_t err;
    mp_err_t busy = t == MP_NOWAIT ? MP_EAGAIN : MP_ETIMEDOUT;
    CAST_PROBE("mp_lock_acquire", t, mp_lock_acquire(R.lock, t), MP_OK, MP_EOWNERDEAD, busy);
    if (cast_acquired(err, &R.lock_inside, 0))
        (void)mp_lock_release(R.lock);
    CAST_PROBE("mp_rlock_acquire", t, mp_rlock_acquire(R.rlock, t), MP_OK, MP_EOWNERDEAD, busy);
    if (cast_acquired(err, &R.rlock_inside, 1))
        (void)mp_rlock_release(R.rlock);
    CAST_PROBE("mp_semaphore_acquire", t, mp_semaphore_acquire(R.sem, t), MP_OK, busy);
    if (err == MP_OK)
        (void)mp_semaphore_release(R.sem);
}

static inline void cast_probe_condition(mp_timeout_t t)
{
    mp_err_t err;
    CAST_PROBE("mp_condition_acquire", MP_NOWAIT, mp_condition_acquire(R.cond, MP_NOWAIT),
               MP_OK, MP_EOWNERDEAD, MP_EAGAIN);
    if (err == MP_EAGAIN)
        return;
    if (err == MP_EOWNERDEAD)
        cast_add(&R.owner_dead[2]);
    CAST_PROBE("mp_condition_wait", t, mp_condition_wait(R.cond, t), MP_OK, MP_EOWNERDEAD,
               MP_ETIMEDOUT, MP_EUNLOCKED);
    if (err == MP_EOWNERDEAD)
        cast_add(&R.owner_dead[2]);
    if (err == MP_OK || err == MP_EOWNERDEAD)
        (void)mp_condition_notify(R.cond, 1); /* meant for a waiter: pass the wake-up on */
    if (err != MP_EUNLOCKED)
        (void)mp_condition_release(R.cond);
}

/* EOF is right once the receiver has gone, which it may do when every sender ended. */
static inline void cast_probe_pipe(mp_timeout_t t, bool receiver_killed)
{
    uint8_t buf[MSG_MAX];
    cast_stream_t *s = &R.pipe[CAST_PROBER];
    size_t len = msg_make(buf, CAST_PROBER, s->done);
    if (s->done + 1u >= CAST_STREAM_MAX)
        return;
    s->started = s->done + 1u;
    mp_err_t err, eof = receiver_killed ||
                                __atomic_load_n(&R.senders_ended, __ATOMIC_SEQ_CST) == R.senders
                            ? MP_EOF
                            : MP_OK;
    if (t == MP_NOWAIT)
        CAST_PROBE("mp_pipe_send(MP_NOWAIT)", t, mp_pipe_send(R.tx, buf, len, t), MP_OK,
                   MP_EAGAIN, eof);
    else
        CAST_PROBE("mp_pipe_send(timed)", t, mp_pipe_send(R.tx, buf, len, t), MP_OK,
                   MP_ETIMEDOUT, eof);
    if (err == MP_OK)
        s->done++;
    s->started = s->done;
}

/* One pass over every object; last: the prober's view of each queue stream's order. */
static inline void cast_probe_once(uint32_t *last, bool receiver_killed)
{
    cast_probe_queue(MP_NOWAIT, last);
    cast_probe_queue(R.probe_timeout, last);
    cast_probe_locks(MP_NOWAIT);
    cast_probe_locks(R.probe_timeout);
    cast_probe_condition(R.probe_timeout);
    if (R.probe_pipe) {
        cast_probe_pipe(MP_NOWAIT, receiver_killed);
        cast_probe_pipe(R.probe_timeout, receiver_killed);
    }
    uint32_t n;
    bool broken;
    mp_err_t err;
    CAST_PROBE("mp_barrier_n_waiting", MP_NOWAIT, mp_barrier_n_waiting(R.barrier, &n), MP_OK);
    CAST_PROBE("mp_barrier_broken", MP_NOWAIT, mp_barrier_broken(R.barrier, &broken), MP_OK);
    (void)err;
}

/* A member that probes until the main process is done with the others. */
static inline int cast_prober(uint32_t w)
{
    uint32_t last[CAST_STREAMS];
    cast_no_order(last);
    while (!__atomic_load_n(&R.probe_stop, __ATOMIC_SEQ_CST)) {
        cast_probe_once(last, false);
        cast_op_done(w);
        (void)mp_event_wait(R.never, 1); /* a pause: the others (and time) move on */
    }
    return 0;
}

static inline int cast_member(void *arg)
{
    uint32_t w = *(uint32_t *)arg;
    if (w == R.victim && R.hook_at != 0 && cast_victim_hook != NULL)
        mpi_test_hook = cast_victim_hook;
    /* All start together, once the whole cast exists: forks take long enough that the
     * first ones would otherwise be done before the last ones began. */
    mp_err_t err = mp_event_wait(R.go, R.work_timeout);
    int code;
    if (err != MP_OK) {
        code = cast_fault(w, "mp_event_wait(go)", err);
    } else {
        switch (R.role[w]) {
        case PRODUCER: code = cast_producer(w, R.id[w]); break;
        case CONSUMER: code = cast_consumer(w); break;
        case SENDER: code = cast_sender(w, R.id[w]); break;
        case RECEIVER: code = cast_receiver(w); break;
        case LOCKER: code = cast_locker(w); break;
        case NOTIFIER: code = cast_notifier(w); break;
        case WAITER: code = cast_waiter(w); break;
        case PARTY: code = cast_party(w); break;
        default: code = cast_prober(w); break;
        }
    }
    if (R.role[w] == SENDER)
        cast_add(&R.senders_ended); /* before it dies: the receiver's EOF may come only after */
    if (w == R.victim)
        (void)mp_event_set(R.armed); /* ended before its moment: nobody waits for it */
    return code;
}

/* ---- the main process -------------------------------------------------------------- */

typedef struct {
    const char *label;       /* printed before the round's first failure */
    bool kill, stop;         /* the fault planned */
    bool landed;             /* the victim died by the fault */
    bool join_victim_first;  /* its death needs repairs the others wait for */
    mp_timeout_t join_timeout;
    mp_process_t p[CAST_MAX];
    bool joined[CAST_MAX];
    bool failed, probed_pipe;
    uint32_t delivered, lost, unpublished;
    uint32_t last_q[CAST_STREAMS], last_p[CAST_STREAMS]; /* the main process's receipts */
} cast_run_t;

static inline void cast_bad(cast_run_t *run, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline void cast_bad(cast_run_t *run, const char *fmt, ...)
{
    if (!run->failed)
        fprintf(stderr, "%s\n", run->label);
    run->failed = true;
    va_list ap;
    va_start(ap, fmt);
    fputs("  ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\n", stderr);
    va_end(ap);
}

static inline const char *cast_name(uint32_t w, char *buf, size_t size)
{
    snprintf(buf, size, "%s %u", cast_role_names[R.role[w]], (unsigned)R.id[w]);
    return buf;
}

/* The victim had that role and died by the fault. */
static inline bool cast_killed(const cast_run_t *run, int role)
{
    return run->landed && R.role[R.victim] == role;
}

/* Sets the plan: members by role (ids counted per role), everything else cleared. */
static inline void cast_plan(cast_run_t *run, const uint8_t *roles, uint32_t members,
                             uint32_t victim)
{
    memset(&R, 0, sizeof R);
    memset(run->joined, 0, sizeof run->joined);
    run->failed = run->probed_pipe = run->landed = false;
    run->delivered = run->lost = run->unpublished = 0;
    cast_no_order(run->last_q);
    cast_no_order(run->last_p);
    uint32_t per_role[PROBER + 1] = {0};
    R.members = members;
    R.victim = victim;
    for (uint32_t w = 0; w < members; w++) {
        R.role[w] = roles[w];
        R.id[w] = (uint8_t)per_role[roles[w]]++;
    }
    R.senders = per_role[SENDER];
    R.probe_timeout = 10;
}

static inline void cast_create(uint32_t queue_depth, uint32_t pipe_depth, uint32_t parties)
{
    OK(mp_queue_create(&R.q, &(mp_queue_attr_t){.msg_size = MSG_MAX, .depth = queue_depth}));
    OK(mp_pipe_create(&R.rx, &R.tx, &(mp_pipe_attr_t){.duplex = false, .msg_size = MSG_MAX,
                                                        .depth = pipe_depth}));
    OK(mp_lock_create(&R.lock));
    OK(mp_rlock_create(&R.rlock));
    OK(mp_semaphore_create(&R.sem, CAST_SEM_UNITS, true));
    OK(mp_condition_create(&R.cond, NULL));
    OK(mp_barrier_create(&R.barrier, parties ? parties : 1, cast_cycle_action));
    OK(mp_event_create(&R.go));
    OK(mp_event_create(&R.armed));
    OK(mp_event_create(&R.never));
}

static inline void cast_spawn(cast_run_t *run)
{
    for (uint32_t w = 0; w < R.members; w++)
        run->p[w] = spawn(cast_member, &w, sizeof w, MP_DAEMON_NO);
}

/* Waits for one member; one not done by the deadline is a hang. */
static inline void cast_finish(cast_run_t *run, uint32_t w)
{
    if (run->joined[w])
        return;
    mp_err_t err = mp_process_join(run->p[w], run->join_timeout);
    if (err != MP_OK) {
        char name[32];
        cast_bad(run, "%s did not end within %u ms (%s): a hang", cast_name(w, name, sizeof name),
                 (unsigned)run->join_timeout, mp_strerror(err));
        (void)mp_process_kill(run->p[w]);
        OK(mp_process_join(run->p[w], MP_FOREVER));
    }
    run->joined[w] = true;
}

static inline void cast_finish_role(cast_run_t *run, int role)
{
    cast_phase = cast_role_names[role];
    for (uint32_t w = 0; w < R.members; w++)
        if (R.role[w] == role)
            cast_finish(run, w);
}

/* Joins the victim and learns whether the fault killed it. */
static inline void cast_join_victim(cast_run_t *run)
{
    cast_finish(run, R.victim);
    int code = 0;
    OK(mp_process_exitcode(run->p[R.victim], &code));
    run->landed = run->kill && code == -MP_SIGKILL;
}

/* What a death leaves waiting that only the main process can end: a barrier short of a
 * party, a condition whose notifier is gone. */
static inline void cast_repair(cast_run_t *run)
{
    if (cast_killed(run, PARTY))
        OK(mp_barrier_abort(R.barrier));
    if (cast_killed(run, NOTIFIER)) {
        mp_err_t err = mp_condition_acquire(R.cond, run->join_timeout);
        if (err == MP_EOWNERDEAD)
            cast_add(&R.owner_dead[2]);
        else if (err != MP_OK) {
            cast_bad(run, "the main process could not take the condition: %s",
                     mp_strerror(err));
            return;
        }
        R.cond_done = 1;
        OK(mp_condition_notify_all(R.cond));
        OK(mp_condition_release(R.cond));
    }
}

/* Receives what is left in the pipe. A killed receiver's end is taken over by the main
 * process until EOF (every sender ended): a receiver killed before it ever used its end
 * does not count (the end is still its creator's), so nobody else would read and a sender
 * on a full pipe would wait. Otherwise nothing may be left once the receiver saw EOF. */
static inline void cast_drain_pipe(cast_run_t *run, mp_timeout_t t)
{
    for (;;) {
        uint8_t buf[MSG_MAX];
        size_t len;
        mp_err_t err = mp_pipe_recv(R.rx, buf, sizeof buf, &len, t);
        if (err == MP_EOF || (t == MP_NOWAIT && err == MP_EAGAIN))
            return;
        if (err != MP_OK) {
            cast_bad(run, "the main process receiving what is left in the pipe: %s",
                     mp_strerror(err));
            return;
        }
        if (!cast_killed(run, RECEIVER))
            cast_bad(run, "pipe: a message left after the receiver saw MP_EOF");
        cast_deliver(R.pipe, run->last_p, buf, len);
    }
}

/* Ends the round: joins in an order that lets each group end (producers before the queue
 * is closed, senders before the receiver waits for EOF, the notifier before the
 * condition's stream ends), the prober last. */
static inline void cast_end(cast_run_t *run)
{
    __atomic_store_n(&R.stop, 1u, __ATOMIC_SEQ_CST);
    cast_finish_role(run, PRODUCER);
    OK(mp_queue_close(R.q));
    cast_finish_role(run, CONSUMER);
    size_t left;
    OK(mp_queue_qsize(R.q, &left));
    if (left != 0)
        cast_bad(run, "queue: %u messages left after every consumer ended",
                 (unsigned)left);
    if (cast_killed(run, RECEIVER)) {
        cast_phase = "taking over the receiving end of the pipe";
        cast_drain_pipe(run, run->join_timeout);
    }
    cast_finish_role(run, SENDER);
    if (run->probed_pipe) /* the main process used the sending end: it must close it */
        OK(mp_pipe_close(R.tx));
    cast_finish_role(run, RECEIVER);
    cast_drain_pipe(run, MP_NOWAIT);
    cast_finish_role(run, LOCKER);
    cast_finish_role(run, PARTY);
    cast_finish_role(run, NOTIFIER);
    mp_err_t err = mp_condition_acquire(R.cond, run->join_timeout);
    if (err == MP_EOWNERDEAD)
        cast_add(&R.owner_dead[2]);
    if (err == MP_OK || err == MP_EOWNERDEAD) {
        R.cond_done = 1;
        OK(mp_condition_notify_all(R.cond));
        OK(mp_condition_release(R.cond));
    } else {
        cast_bad(run, "the main process could not take the condition: %s", mp_strerror(err));
    }
    cast_finish_role(run, WAITER);
    __atomic_store_n(&R.probe_stop, 1u, __ATOMIC_SEQ_CST);
    cast_finish_role(run, PROBER);
}

/* Delivered exactly once up to what the producer was told was put; the one it was
 * putting when killed may or may not be there; nothing after. */
static inline void cast_check_stream(cast_run_t *run, const char *what, uint32_t id,
                                     const cast_stream_t *s, bool sender_killed)
{
    uint32_t done = s->done, started = s->started;
    for (uint32_t seq = 0; seq < CAST_STREAM_MAX; seq++) {
        uint32_t n = s->got[seq];
        run->delivered += n;
        if (seq < done) {
            if (n == 0)
                run->lost++; /* judged by the caller, against what a killed consumer explains */
        } else if (sender_killed && seq == done && started == done + 1u) {
            if (n == 0)
                run->unpublished++;
        } else if (n != 0) {
            cast_bad(run, "%s stream %u: message %u delivered but never put", what,
                     (unsigned)id, (unsigned)seq);
        }
    }
}

static inline void cast_check_channel(cast_run_t *run, const char *what, cast_stream_t *streams,
                                      int maker, int taker)
{
    uint32_t lost = run->lost;
    for (uint32_t id = 0; id < CAST_STREAMS; id++)
        cast_check_stream(run, what, id, &streams[id],
                          cast_killed(run, maker) && R.id[R.victim] == id);
    /* a consumer killed between taking a message and recording it */
    uint32_t may_lose = cast_killed(run, taker) && R.taking[R.victim] ? 1u : 0u;
    if (run->lost - lost > may_lose)
        cast_bad(run, "%s: %u messages accepted with MP_OK never delivered (the fault "
                      "explains %u)", what, (unsigned)(run->lost - lost), (unsigned)may_lose);
}

static inline void cast_check_messages(cast_run_t *run)
{
    if (R.torn || R.disorder || R.duplicated)
        cast_bad(run, "messages: %u torn, %u out of order, %u duplicated", (unsigned)R.torn,
                 (unsigned)R.disorder, (unsigned)R.duplicated);
    cast_check_channel(run, "queue", R.queue, PRODUCER, CONSUMER);
    cast_check_channel(run, "pipe", R.pipe, SENDER, RECEIVER);
    uint32_t senders_killed = cast_killed(run, SENDER) ? 1u : 0u;
    bool receiver = false;
    for (uint32_t w = 0; w < R.members; w++)
        receiver |= R.role[w] == RECEIVER;
    if (receiver && !cast_killed(run, RECEIVER) &&
        R.senders_ended_at_eof + senders_killed < R.senders)
        cast_bad(run, "pipe: the receiver got MP_EOF when %u of the %u senders had ended",
                 (unsigned)R.senders_ended_at_eof, (unsigned)R.senders);
    for (uint32_t w = 0; w < R.members; w++) {
        if (R.role[w] != SENDER)
            continue;
        char name[32];
        const cast_stream_t *s = &R.pipe[R.id[w]];
        if (s->eof && !cast_killed(run, RECEIVER))
            cast_bad(run, "%s got MP_EOF, and the receiver was not killed",
                     cast_name(w, name, sizeof name));
        if (!s->eof && w != R.victim && s->done != R.pipe_msgs)
            cast_bad(run, "%s sent %u of %u", cast_name(w, name, sizeof name),
                     (unsigned)s->done, (unsigned)R.pipe_msgs);
    }
}

static inline void cast_check_sync(cast_run_t *run)
{
    bool locker_killed = cast_killed(run, LOCKER);
    if (R.exclusion)
        cast_bad(run, "%u breaches of mutual exclusion (Lock, RLock, semaphore or barrier index)",
                 (unsigned)R.exclusion);
    uint32_t sum[2] = {0, 0};
    for (uint32_t w = 0; w < CAST_MAX; w++)
        for (uint32_t k = 0; k < 2; k++)
            sum[k] += R.sections_done[w][k];
    uint32_t extra = R.lock_count - sum[0], rextra = R.rlock_count - sum[1];
    if (extra > (locker_killed ? 1u : 0u) || rextra > (locker_killed ? 1u : 0u))
        cast_bad(run, "lock counts %u/%u against %u/%u sections recorded",
                 (unsigned)R.lock_count, (unsigned)R.rlock_count, (unsigned)sum[0],
                 (unsigned)sum[1]);
    /* a holder that died and was never followed: the main process is the next acquirer */
    mp_err_t err = mp_lock_acquire(R.lock, MP_NOWAIT);
    if (cast_acquired(err, &R.lock_inside, 0))
        OK(mp_lock_release(R.lock));
    else
        cast_bad(run, "the Lock is still held after the round: %s", mp_strerror(err));
    err = mp_rlock_acquire(R.rlock, MP_NOWAIT);
    if (cast_acquired(err, &R.rlock_inside, 1))
        OK(mp_rlock_release(R.rlock));
    else
        cast_bad(run, "the RLock is still held after the round: %s", mp_strerror(err));
    for (uint32_t k = 0; k < 2; k++)
        if (R.owner_dead[k] > (locker_killed ? 1u : 0u))
            cast_bad(run, "%s: MP_EOWNERDEAD reported %u times", k ? "RLock" : "Lock",
                     (unsigned)R.owner_dead[k]);
    uint32_t units = 0;
    OK(mp_semaphore_value(R.sem, &units));
    if (units != CAST_SEM_UNITS && !(locker_killed && units == CAST_SEM_UNITS - 1u))
        cast_bad(run, "semaphore: %u units after the round, of %u", (unsigned)units,
                 CAST_SEM_UNITS);

    bool cond_victim = cast_killed(run, NOTIFIER) || cast_killed(run, WAITER);
    err = mp_condition_acquire(R.cond, MP_NOWAIT);
    if (err == MP_EOWNERDEAD)
        cast_add(&R.owner_dead[2]);
    else if (err != MP_OK)
        cast_bad(run, "the condition's lock is still held after the round: %s",
                 mp_strerror(err));
    if (err == MP_OK || err == MP_EOWNERDEAD)
        OK(mp_condition_release(R.cond));
    if (R.owner_dead[2] > (cond_victim ? 1u : 0u))
        cast_bad(run, "condition: MP_EOWNERDEAD reported %u times", (unsigned)R.owner_dead[2]);
    int64_t taken = 0;
    for (uint32_t w = 0; w < CAST_MAX; w++)
        taken += R.taken[w];
    int64_t balance = (int64_t)R.items_left + taken - R.produced;
    bool ok = balance == 0 || (cast_killed(run, NOTIFIER) && balance == 1) ||
              (cast_killed(run, WAITER) && balance == -1);
    if (!ok || R.items_left != 0)
        cast_bad(run, "condition: %u produced, %lld taken, %u left", (unsigned)R.produced,
                 (long long)taken, (unsigned)R.items_left);

    uint32_t parties = 0;
    for (uint32_t w = 0; w < R.members; w++)
        parties += R.role[w] == PARTY;
    if (parties > 0 && !cast_killed(run, PARTY)) {
        if (R.broken || !R.last_cycle)
            cast_bad(run, "barrier: %u cycles, broken %u times, with no party killed",
                     (unsigned)R.cycles, (unsigned)R.broken);
        uint8_t all = (uint8_t)((1u << parties) - 1u);
        for (uint32_t c = 0; c < R.cycles && c < CAST_CYCLES; c++)
            if (R.arrivals[c] != all)
                cast_bad(run, "barrier cycle %u: arrival indices %#x", (unsigned)c,
                         R.arrivals[c]);
    }
    if (R.probe_failures)
        cast_bad(run, "%u probes answered wrongly, the first %s with %s",
                 (unsigned)R.probe_failures, R.probe_what, mp_strerror((mp_err_t)R.probe_err));
}

static inline void cast_check_members(cast_run_t *run)
{
    for (uint32_t w = 0; w < R.members; w++) {
        int code = 12345;
        OK(mp_process_exitcode(run->p[w], &code));
        if (code == 0 || (w == R.victim && run->kill && code == -MP_SIGKILL))
            continue;
        char name[32];
        if (R.worker[w].call != NULL)
            cast_bad(run, "%s: %s returned %s", cast_name(w, name, sizeof name),
                     R.worker[w].call, mp_strerror((mp_err_t)R.worker[w].err));
        else
            cast_bad(run, "%s ended with exitcode %d", cast_name(w, name, sizeof name), code);
    }
}

/* Once every member is joined nobody sleeps on anything: a sleeper that was killed while
 * registered must cost nothing once it is joined (no wake call forever after). */
static inline void cast_check_sleepers(cast_run_t *run)
{
    const mpi_ring_t *rings[2] = {
        &mpi_world.queues[(R.q.id & MPI_INDEX_MASK) - 1u].ring,
        &mpi_world.pipes[((R.rx.id & MPI_INDEX_MASK) - 1u) / 2u].ring[0]};
    for (uint32_t i = 0; i < 2; i++)
        if (atomic_load(&rings[i]->put_sleepers) || atomic_load(&rings[i]->get_sleepers))
            cast_bad(run, "%s: %u putters and %u getters still counted as sleepers after "
                          "every member was joined", i ? "pipe" : "queue",
                     (unsigned)atomic_load(&rings[i]->put_sleepers),
                     (unsigned)atomic_load(&rings[i]->get_sleepers));
    const mpi_semaphore_t *sem = &mpi_world.semaphores[(R.sem.id & MPI_INDEX_MASK) - 1u];
    if (atomic_load(&sem->sleepers))
        cast_bad(run, "semaphore: %u sleepers still counted after every member was joined",
                 (unsigned)atomic_load(&sem->sleepers));
}

static inline void cast_check(cast_run_t *run)
{
    cast_check_members(run);
    cast_check_messages(run);
    cast_check_sync(run);
    cast_check_sleepers(run);
}

/* Destroys the round's objects and closes its processes; the tables and the arena must
 * be back where they were. */
static inline void cast_destroy(cast_run_t *run, const mp_usage_t *before)
{
    OK(mp_queue_destroy(R.q));
    mp_err_t err = mp_pipe_close(R.rx);
    if (err != MP_OK)
        cast_bad(run, "mp_pipe_close(receiving end): %s", mp_strerror(err));
    err = mp_pipe_close(R.tx);
    if (err != MP_OK && !(run->probed_pipe && err == MP_ESTALE))
        cast_bad(run, "mp_pipe_close(sending end): %s", mp_strerror(err));
    OK(mp_lock_destroy(R.lock));
    OK(mp_rlock_destroy(R.rlock));
    OK(mp_semaphore_destroy(R.sem));
    OK(mp_condition_destroy(R.cond));
    OK(mp_barrier_destroy(R.barrier));
    OK(mp_event_destroy(R.go));
    OK(mp_event_destroy(R.armed));
    OK(mp_event_destroy(R.never));
    for (uint32_t w = 0; w < R.members; w++)
        OK(mp_process_close(run->p[w]));
    mp_usage_t after;
    OK(mp_usage(&after));
    if (memcmp(before, &after, sizeof after) != 0)
        cast_bad(run, "mp_usage differs after the round: processes %u->%u locks %u->%u "
                      "queues %u->%u pipes %u->%u semaphores %u->%u events %u->%u "
                      "conditions %u->%u barriers %u->%u arena %u->%u bytes",
                 (unsigned)before->processes, (unsigned)after.processes,
                 (unsigned)before->locks, (unsigned)after.locks, (unsigned)before->queues,
                 (unsigned)after.queues, (unsigned)before->pipes, (unsigned)after.pipes,
                 (unsigned)before->semaphores, (unsigned)after.semaphores,
                 (unsigned)before->events, (unsigned)after.events,
                 (unsigned)before->conditions, (unsigned)after.conditions,
                 (unsigned)before->barriers, (unsigned)after.barriers,
                 (unsigned)before->arena_bytes, (unsigned)after.arena_bytes);
}

#endif
