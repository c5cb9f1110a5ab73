/*
 * The cast of a fault-injection round, shared by the POSIX suite (real processes, a
 * SIGKILL or SIGSTOP at a random moment) and the host simulation's (a task killed or
 * stopped at its k-th runtime call): what the round's processes share, and the roles
 * they play on one set of objects.
 *
 * Roles. Producers and consumers on a queue; senders sharing the sending end of a one-way
 * pipe, and its receiver; lockers, each running a Lock section, a nested RLock section and
 * a semaphore section in turn; a notifier feeding items to condition waiters; barrier
 * parties; adders on a Dict, appenders and poppers on a List (cast_manager.h); a Pool's
 * owner (cast_pool.h); allocators and freers passing a Slab's blocks (cast_slab.h); and a
 * prober (probe.h). Every call a member makes has a deadline,
 * and a member accepts only the codes of its role: anything else it records (its call and
 * the code) and ends with exit code 1. What they record, round.h checks.
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
#define CAST_CYCLES 8192u /* barrier cycles recorded; the parties stop there at the latest */
#define CAST_SEM_UNITS 2u
#define CAST_UNTIL_STOP UINT32_MAX /* a quota: loop until the main process says stop */

#define CAST_POOL_WORKERS 2u
#define CAST_SLAB_BLOCKS 4u /* fewer than the slab's members can hold at once */
#define CAST_TICKETS (CAST_STREAMS * CAST_STREAM_MAX) /* "total" values an adder may see */

/* The prober last: round.h counts ids per role up to it. */
enum { PRODUCER, CONSUMER, SENDER, RECEIVER, LOCKER, NOTIFIER, WAITER, PARTY, ADDER, APPENDER,
       POPPER, POOLER, ALLOCATOR, FREER, PROBER };

static const char *const cast_role_names[] = {"producer", "consumer", "sender",    "receiver",
                                              "locker",   "notifier", "waiter",    "party",
                                              "adder",    "appender", "popper",    "pooler",
                                              "allocator", "freer",   "prober"};

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
    uint32_t hook_points;  /* of these points (a bit per mpi_hook_point_t; 0: any) */
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
    /* Dict: "total" and a counter per adder ("a<id>") take +1 each round; the previous
     * values of "total" are tickets, each handed out once. List: appenders' items in
     * streams, as messages are. (cast_manager.h) */
    mp_dict_t dict;
    mp_list_t list;
    uint32_t dict_ops, list_items, list_closed;
    uint32_t total_done[CAST_MAX], own_done[CAST_MAX]; /* adds that returned MP_OK */
    uint32_t adding[CAST_MAX]; /* inside the add of "total" (1) or of its own counter (2) */
    uint8_t tickets[CAST_TICKETS];
    uint32_t bad_tickets, bad_values, items_twice;
    cast_stream_t list_streams[CAST_STREAMS];
    /* Pool (cast_pool.h): its first workers, for a fault aimed at one; the tasks' outcomes */
    uint32_t pool_batches;
    mp_event_t pool_up, pool_go;
    mp_process_t pool_workers[CAST_POOL_WORKERS];
    uint32_t pool_task_worker; /* the handle of a worker inside a task, 0 when none */
    uint32_t pool_tasks, pool_eworker, pool_wrong;
    /* Slab (cast_slab.h): blocks passed from allocators to freers on a queue of their own;
     * each member's step and the block it is about, every block seen, what went wrong */
    mp_slab_t slab;
    mp_queue_t slab_q;
    uint32_t slab_allocs;
    uint32_t slab_doing[CAST_MAX];
    uintptr_t slab_block[CAST_MAX];
    uintptr_t slab_seen[CAST_SLAB_BLOCKS];
    uint32_t slab_left; /* bit per member that returned holding a block */
    uint32_t slab_allocated, slab_freed, slab_waits, slab_reclaimed, slab_returned;
    uint32_t slab_twice, slab_torn;
    /* Pipe EOF. A sender is a user of the sending end once it has sent (the runtime cannot
     * know who merely holds the handle): the receiver's EOF is right once every sender
     * that had sent has ended, and a sender that had not sent by then may be told EOF. */
    uint32_t sent_once, ended;  /* bit per sender id */
    uint32_t rx_eof, users_at_eof, running_users_at_eof;
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
    if (!msg_in_order(last, id, seq))
        cast_add(&R.disorder);
    if (__atomic_add_fetch(&streams[id].got[seq], 1u, __ATOMIC_SEQ_CST) > 1)
        cast_add(&R.duplicated);
}

static inline void cast_no_order(uint32_t *last)
{
    msg_order_init(last, CAST_STREAMS);
}

/* Message seq of a stream, about to go out: made, and recorded as started (a fault may
 * land before it is done). Returns its length. */
static inline size_t cast_start(cast_stream_t *s, uint8_t *buf, uint32_t id, uint32_t seq)
{
    size_t len = msg_make(buf, id, seq);
    __atomic_store_n(&s->started, seq + 1u, __ATOMIC_SEQ_CST);
    return len;
}

/* ... and gone out (put, or sent). */
static inline void cast_sent(uint32_t w, cast_stream_t *s, uint32_t seq)
{
    __atomic_store_n(&s->done, seq + 1u, __ATOMIC_SEQ_CST);
    cast_op_done(w);
}

/* A receiver between asking for a message and recording it (1), or not (0). */
static inline void cast_taking(uint32_t w, uint32_t taking)
{
    __atomic_store_n(&R.taking[w], taking, __ATOMIC_SEQ_CST);
}

/* One message received from streams: recorded, unless the receiver already took more
 * than were ever sent (a corrupt ring, going round): then false. */
static inline bool cast_received(uint32_t w, cast_stream_t *streams, uint32_t *last,
                                 const uint8_t *buf, size_t len)
{
    if (R.worker[w].ops >= CAST_STREAMS * CAST_STREAM_MAX)
        return false;
    cast_deliver(streams, last, buf, len);
    cast_taking(w, 0u);
    cast_op_done(w);
    return true;
}

static inline int cast_producer(uint32_t w, uint32_t id)
{
    cast_stream_t *s = &R.queue[id];
    uint8_t buf[MSG_MAX];
    for (uint32_t seq = 0; seq < R.queue_msgs; seq++) {
        if (R.pace != 0 && id != 0 && seq != 0)
            (void)mp_event_wait(R.never, R.pace); /* work between two messages */
        size_t len = cast_start(s, buf, id, seq);
        mp_err_t err = mp_queue_put(R.q, buf, len, R.work_timeout);
        if (err != MP_OK)
            return cast_fault(w, "mp_queue_put", err);
        cast_sent(w, s, seq);
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
        cast_taking(w, 1u);
        mp_err_t err = mp_queue_get(R.q, buf, sizeof buf, &len, R.work_timeout);
        if (err == MP_ECLOSED)
            break; /* closed by the main process once the producers are done, and drained */
        if (err != MP_OK)
            return cast_fault(w, "mp_queue_get", err);
        if (!cast_received(w, R.queue, last, buf, len))
            return cast_fault(w, "mp_queue_get (more messages than were ever put)", err);
    }
    cast_taking(w, 0u);
    return 0;
}

/* Senders share the pipe's sending end, as CPython allows. */
static inline int cast_sender(uint32_t w, uint32_t id)
{
    cast_stream_t *s = &R.pipe[id];
    uint8_t buf[MSG_MAX];
    for (uint32_t seq = 0; seq < R.pipe_msgs; seq++) {
        size_t len = cast_start(s, buf, id, seq);
        mp_err_t err = mp_pipe_send(R.tx, buf, len, R.work_timeout);
        if (err == MP_EOF) {
            s->eof = 1; /* judged by the main process, by what the receiver saw */
            return 0;
        }
        __atomic_fetch_or(&R.sent_once, 1u << id, __ATOMIC_SEQ_CST);
        if (err != MP_OK)
            return cast_fault(w, "mp_pipe_send", err);
        cast_sent(w, s, seq);
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
        cast_taking(w, 1u);
        mp_err_t err = mp_pipe_recv(R.rx, buf, sizeof buf, &len, R.work_timeout);
        if (err == MP_EOF) {
            uint32_t users = __atomic_load_n(&R.sent_once, __ATOMIC_SEQ_CST);
            R.users_at_eof = users;
            R.running_users_at_eof = users & ~__atomic_load_n(&R.ended, __ATOMIC_SEQ_CST);
            __atomic_store_n(&R.rx_eof, 1u, __ATOMIC_SEQ_CST);
            break;
        }
        if (err != MP_OK)
            return cast_fault(w, "mp_pipe_recv", err);
        if (!cast_received(w, R.pipe, last, buf, len))
            return cast_fault(w, "mp_pipe_recv (more messages than were ever sent)", err);
    }
    cast_taking(w, 0u);
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

#include "cast_manager.h"
#include "cast_pool.h"
#include "cast_slab.h"

#endif
