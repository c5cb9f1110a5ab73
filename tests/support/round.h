/*
 * A fault-injection round, as the main process runs it (cast.h has the members): the
 * plan, the objects, starting the cast together, the repairs after a death, the end in an
 * order that lets every group finish, and the checks of what the round left.
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
 * - probes: each code one of those allowed (probe.h).
 * - the Dict, the List and the Pool: see round_manager.h; the Slab: round_slab.h.
 * - once every member is joined, no sleeper still counted on the queue, the pipe or the
 *   semaphore (a sleeper killed while registered costs nothing once joined); once the
 *   objects are destroyed and the processes closed, every table and the arena as they
 *   were before the round (mp_usage).
 */
#ifndef MP_TEST_ROUND_H
#define MP_TEST_ROUND_H

#include "probe.h"

/* ---- the members' entry --------------------------------------------------------------- */

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
        case ADDER: code = cast_adder(w, R.id[w]); break;
        case APPENDER: code = cast_appender(w, R.id[w]); break;
        case POPPER: code = cast_popper(w); break;
        case POOLER: code = cast_pooler(w); break;
        case ALLOCATOR: code = cast_allocator(w, R.id[w]); break;
        case FREER: code = cast_freer(w); break;
        default: code = cast_prober(w); break;
        }
    }
    if (R.role[w] == SENDER)
        __atomic_fetch_or(&R.ended, 1u << R.id[w], __ATOMIC_SEQ_CST); /* before it dies */
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
    bool worker_killed;      /* a fault killed one of the pool's workers */
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

/* From round_manager.h and round_slab.h, included further down: their checks use the
 * message checks. */
static inline void cast_create_managers(void);
static inline void cast_destroy_managers(void);
static inline void cast_reap_orphans(cast_run_t *run);
static inline void cast_create_slab(void);
static inline void cast_destroy_slab(void);
static inline void cast_end_slab(cast_run_t *run);

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
    run->failed = run->probed_pipe = run->landed = run->worker_killed = false;
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
    cast_create_managers();
    cast_create_slab();
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
    if (cast_killed(run, POOLER))
        cast_reap_orphans(run);
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
    bool consumers = false;
    for (uint32_t w = 0; w < R.members; w++)
        consumers |= R.role[w] == CONSUMER;
    size_t left = 0;
    /* closed, so no count: a look without a buffer finds a message left (MP_ETOOSMALL) */
    if (consumers && mp_queue_get(R.q, NULL, 0, &left, MP_NOWAIT) == MP_ETOOSMALL)
        cast_bad(run, "queue: messages left after every consumer ended (one of %u bytes)",
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
    cast_finish_role(run, ADDER);
    cast_finish_role(run, APPENDER);
    __atomic_store_n(&R.list_closed, 1u, __ATOMIC_SEQ_CST);
    cast_finish_role(run, POPPER);
    cast_finish_role(run, POOLER);
    cast_end_slab(run);
    __atomic_store_n(&R.probe_stop, 1u, __ATOMIC_SEQ_CST);
    cast_finish_role(run, PROBER);
    /* with no consumer in the cast, what the prober put and did not take back is there */
    uint8_t buf[MSG_MAX];
    size_t len;
    while (!consumers && mp_queue_get(R.q, buf, sizeof buf, &len, MP_NOWAIT) == MP_OK)
        cast_deliver(R.queue, run->last_q, buf, len);
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
    uint32_t missing = run->lost - lost;
    if (missing > may_lose)
        cast_bad(run, "%s: %u messages accepted with MP_OK never delivered (the fault "
                      "explains %u)", what, (unsigned)missing, (unsigned)may_lose);
    run->lost = lost + (missing < may_lose ? missing : may_lose); /* the explained ones */
}

static inline void cast_check_messages(cast_run_t *run)
{
    if (R.torn || R.disorder || R.duplicated)
        cast_bad(run, "messages: %u torn, %u out of order, %u duplicated", (unsigned)R.torn,
                 (unsigned)R.disorder, (unsigned)R.duplicated);
    cast_check_channel(run, "queue", R.queue, PRODUCER, CONSUMER);
    cast_check_channel(run, "pipe", R.pipe, SENDER, RECEIVER);
    /* a killed sender never marks its end: it is gone all the same */
    uint32_t running = R.running_users_at_eof;
    if (cast_killed(run, SENDER))
        running &= ~(1u << R.id[R.victim]);
    if (R.rx_eof && !cast_killed(run, RECEIVER) && running != 0)
        cast_bad(run, "pipe: the receiver got MP_EOF while a sender that had sent was running "
                      "(senders %#x)", (unsigned)running);
    for (uint32_t w = 0; w < R.members; w++) {
        if (R.role[w] != SENDER)
            continue;
        char name[32];
        const cast_stream_t *s = &R.pipe[R.id[w]];
        /* EOF is right once the receiver is gone: killed, or after its own right EOF,
         * for a sender that had not sent by then */
        bool gone = cast_killed(run, RECEIVER) ||
                    (R.rx_eof && !(R.users_at_eof & 1u << R.id[w]));
        if (s->eof && !gone)
            cast_bad(run, "%s got MP_EOF, and the receiver was not gone",
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
 * registered must cost nothing once it is joined (no wake call forever after). Read from
 * the objects' internals (core/world.h): the sets of sleeping processes. */
static inline void cast_check_sleepers(cast_run_t *run)
{
    static const char *const names[] = {"queue", "pipe", "the slab's queue"};
    const mpi_ring_t *rings[3] = {
        &mpi_world.queues[(R.q.id & MPI_INDEX_MASK) - 1u].ring,
        &mpi_world.pipes[((R.rx.id & MPI_INDEX_MASK) - 1u) / 2u].ring[0],
        &mpi_world.queues[(R.slab_q.id & MPI_INDEX_MASK) - 1u].ring};
    for (uint32_t i = 0; i < 3; i++)
        if (mpi_slots_any(&rings[i]->put_sleepers) || mpi_slots_any(&rings[i]->get_sleepers))
            cast_bad(run, "%s: %s still registered as sleeping after every member was joined",
                     names[i],
                     mpi_slots_any(&rings[i]->put_sleepers) ? "a producer" : "a consumer");
    const mpi_semaphore_t *sem = &mpi_world.semaphores[(R.sem.id & MPI_INDEX_MASK) - 1u];
    if (mpi_slots_any(&sem->sleepers))
        cast_bad(run, "semaphore: a process still registered as sleeping after every member "
                      "was joined");
    const mpi_slab_t *slab = &mpi_world.slabs[(R.slab.id & MPI_INDEX_MASK) - 1u];
    if (mpi_slots_any(&slab->sleepers))
        cast_bad(run, "slab: an allocator still registered as sleeping after every member "
                      "was joined");
}

#include "round_manager.h"
#include "round_slab.h"

static inline void cast_check(cast_run_t *run)
{
    cast_check_members(run);
    cast_check_messages(run);
    cast_check_sync(run);
    cast_check_sleepers(run);
    cast_check_dict(run);
    cast_check_list(run);
    cast_check_pool(run);
    cast_check_slab(run);
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
    cast_destroy_managers();
    cast_destroy_slab();
    for (uint32_t w = 0; w < R.members; w++)
        OK(mp_process_close(run->p[w]));
    mp_usage_t after;
    OK(mp_usage(&after));
    if (memcmp(before, &after, sizeof after) != 0)
        cast_bad(run, "mp_usage differs after the round: processes %u->%u locks %u->%u "
                      "queues %u->%u pipes %u->%u semaphores %u->%u events %u->%u "
                      "conditions %u->%u barriers %u->%u pools %u->%u results %u->%u "
                      "dicts %u->%u lists %u->%u slabs %u->%u arena %u->%u bytes, failed "
                      "checks %u->%u",
                 (unsigned)before->processes, (unsigned)after.processes,
                 (unsigned)before->locks, (unsigned)after.locks, (unsigned)before->queues,
                 (unsigned)after.queues, (unsigned)before->pipes, (unsigned)after.pipes,
                 (unsigned)before->semaphores, (unsigned)after.semaphores,
                 (unsigned)before->events, (unsigned)after.events,
                 (unsigned)before->conditions, (unsigned)after.conditions,
                 (unsigned)before->barriers, (unsigned)after.barriers,
                 (unsigned)before->pools, (unsigned)after.pools, (unsigned)before->results,
                 (unsigned)after.results, (unsigned)before->dicts, (unsigned)after.dicts,
                 (unsigned)before->lists, (unsigned)after.lists, (unsigned)before->slabs,
                 (unsigned)after.slabs, (unsigned)before->arena_bytes, (unsigned)after.arena_bytes,
                 (unsigned)before->checks_failed, (unsigned)after.checks_failed);
}

#endif
