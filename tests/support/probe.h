/*
 * Probes: every object of the cast, called with MP_NOWAIT and with a short timeout, by
 * the main process on POSIX (right after the fault, while a stopped victim is still
 * stopped) and by a member of the cast on the simulation (all along). Each code must be
 * one of those allowed (MP_NOWAIT: done, or "would block", never a wait for a stopped
 * process); how long each call took is recorded for the port to judge, since only the
 * simulation's clock is exact (virtual).
 */
#ifndef MP_TEST_PROBE_H
#define MP_TEST_PROBE_H

#include "cast.h"

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
                       MP_EAGAIN, MP_ECLOSED);
        else
            CAST_PROBE("mp_queue_put(timed)", t, mp_queue_put(R.q, buf, len, t), MP_OK,
                       MP_ETIMEDOUT, MP_ECLOSED);
        if (err == MP_OK)
            s->done++;
        s->started = s->done; /* not published: the same number goes out next time */
    }
    if (t == MP_NOWAIT)
        CAST_PROBE("mp_queue_get(MP_NOWAIT)", t, mp_queue_get(R.q, buf, sizeof buf, &len, t),
                   MP_OK, MP_EAGAIN, MP_ECLOSED);
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

/* EOF is right once the receiver has gone: killed, or after its EOF (every sender that
 * had sent ended; the probes come before this process's own first send). */
static inline void cast_probe_pipe(mp_timeout_t t, bool receiver_killed)
{
    uint8_t buf[MSG_MAX];
    cast_stream_t *s = &R.pipe[CAST_PROBER];
    size_t len = msg_make(buf, CAST_PROBER, s->done);
    if (s->done + 1u >= CAST_STREAM_MAX)
        return;
    s->started = s->done + 1u;
    mp_err_t err,
        eof = receiver_killed || __atomic_load_n(&R.rx_eof, __ATOMIC_SEQ_CST) ? MP_EOF : MP_OK;
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

/* The Dict and the List, read only: the lock of a holder that died is taken over (MP_OK),
 * one that is stopped holding it makes the others wait (MP_EAGAIN, MP_ETIMEDOUT). */
static inline void cast_probe_containers(mp_timeout_t t)
{
    mp_err_t err, busy = t == MP_NOWAIT ? MP_EAGAIN : MP_ETIMEDOUT;
    int64_t total;
    size_t len;
    cast_item_t it;
    CAST_PROBE("mp_dict_get", t, mp_dict_get(R.dict, "total", &total, sizeof total, &len, t),
               MP_OK, busy);
    CAST_PROBE("mp_dict_len", t, mp_dict_len(R.dict, &len, t), MP_OK, busy);
    CAST_PROBE("mp_list_get", t, mp_list_get(R.list, -1, &it, t), MP_OK, MP_ERANGE, busy);
    uint32_t id, seq;
    if (err == MP_OK && !cast_item_read(&it, &id, &seq))
        cast_add(&R.bad_values);
    CAST_PROBE("mp_list_len", t, mp_list_len(R.list, &len, t), MP_OK, busy);
}

/* The Slab: a block, if one is free (held for a moment, then freed), and the counts. A
 * block in hand is never another holder's (its claim); a stopped holder's blocks make the
 * alloc wait, never past its deadline. */
static inline void cast_probe_slab(mp_timeout_t t)
{
    mp_err_t err, none = t == MP_NOWAIT ? MP_EAGAIN : MP_ETIMEDOUT;
    void *b = NULL;
    if (t == MP_NOWAIT)
        CAST_PROBE("mp_slab_alloc(MP_NOWAIT)", t, mp_slab_alloc(R.slab, &b, t), MP_OK, none);
    else
        CAST_PROBE("mp_slab_alloc(timed)", t, mp_slab_alloc(R.slab, &b, t), MP_OK, none);
    if (err == MP_OK) {
        cast_slab_claim(CAST_SLAB_PROBE, b);
        cast_block_release(CAST_SLAB_PROBE, b, false);
        CAST_PROBE("mp_slab_free", MP_NOWAIT, mp_slab_free(R.slab, b), MP_OK);
    }
    mp_slab_stat_t st = {0};
    CAST_PROBE("mp_slab_stat", MP_NOWAIT, mp_slab_stat(R.slab, &st), MP_OK);
    if (st.count != CAST_SLAB_BLOCKS || st.used > st.count || st.unowned > st.used)
        cast_add(&R.slab_torn);
}

/* One pass over every object; last: the prober's view of each queue stream's order. */
static inline void cast_probe_once(uint32_t *last, bool receiver_killed)
{
    cast_probe_queue(MP_NOWAIT, last);
    cast_probe_queue(R.probe_timeout, last);
    cast_probe_locks(MP_NOWAIT);
    cast_probe_locks(R.probe_timeout);
    cast_probe_condition(R.probe_timeout);
    cast_probe_containers(MP_NOWAIT);
    cast_probe_containers(R.probe_timeout);
    cast_probe_slab(MP_NOWAIT);
    cast_probe_slab(R.probe_timeout);
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

#endif
