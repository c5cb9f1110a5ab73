/*
 * Queue and JoinableQueue: CPython's multiprocessing.Queue without its feeder thread.
 *
 * Messages are byte strings of 0..msg_size bytes, copied in by put and out by get,
 * first in first out, between any number of producer and consumer processes. A queue
 * holds at most `depth` messages.
 *
 * Unlike CPython:
 * - put completes before it returns: the message is in the shared ring (or put failed
 *   with a code). There is no feeder thread, so nothing is lost when a process exits and
 *   joining a producer before draining its queue never deadlocks.
 * - qsize, empty and full all read one count, so they always agree.
 * - A process killed in the middle of put or get never leaves a torn message visible:
 *   a message is published by one store after it is completely written, and an internal
 *   lock whose holder died is taken over by the next caller.
 *
 * Codes: put on a full queue, and get on an empty one, is MP_EAGAIN with MP_NOWAIT and
 * MP_ETIMEDOUT after waiting. MP_NOWAIT never waits for another process either: when one
 * is inside a put (or get) on the same side, possibly stopped by SIGSTOP, the answer is
 * MP_EAGAIN too, and a timed call ends at its deadline with MP_ETIMEDOUT whatever the
 * others do. A message larger than msg_size is
 * MP_EMSGSIZE and uses no slot. A get whose buffer is too small is MP_ETOOSMALL, reports
 * the size needed in *len, and leaves the message at the head of the queue.
 *
 * close (CPython's close + shutdown): the queue accepts no more messages, for every
 * process. put then returns MP_ECLOSED; get returns the messages still queued, then
 * MP_ECLOSED; callers blocked in put or get wake up with MP_ECLOSED. A put either fails
 * with MP_ECLOSED or its message can still be got: a get that finds the queue closed and
 * drained while a put is still inside (a stopped producer) waits for it, within its own
 * deadline, before it answers MP_ECLOSED. destroy frees the queue (mp/types.h: callers
 * blocked in it return MP_ESTALE).
 *
 * JoinableQueue (attr.joinable): put counts an unfinished task; task_done marks one done
 * (MP_ETOOMANY when there is none: CPython's ValueError); join waits, with a timeout,
 * until every task put so far is done.
 */
#ifndef MP_QUEUE_H
#define MP_QUEUE_H

#include "mp/config.h"
#include "mp/types.h"

typedef struct {
    uint32_t id;
} mp_queue_t;

typedef struct {
    uint32_t msg_size; /* largest message in bytes, 1..MP_CONF_MAX_MSG_SIZE */
    uint32_t depth;    /* most messages held at once, >= 1 */
    bool joinable;     /* JoinableQueue: task_done/join */
} mp_queue_attr_t;

/* Bytes of storage a queue of this shape needs (a constant expression). A slot holds a
 * 4-byte length and the message; it is sized so that it never straddles a cache line
 * (a power of two up to half a line, whole lines beyond), since two processes writing
 * neighbouring messages on one line would bounce it between their CPUs. */
#define MPI_SLOT_BYTES(msg_size) ((uint32_t)(msg_size) + 4u)
#define MPI_POW2_AT_LEAST(n)                                                                   \
    ((n) <= 8u ? 8u : (n) <= 16u ? 16u : (n) <= 32u ? 32u : (n) <= 64u ? 64u : 128u)
#define MP_QUEUE_SLOT_SIZE(msg_size)                                                           \
    (MPI_SLOT_BYTES(msg_size) <= MP_PORT_CACHE_LINE / 2u                                       \
         ? MPI_POW2_AT_LEAST(MPI_SLOT_BYTES(msg_size))                                         \
         : (MPI_SLOT_BYTES(msg_size) + MP_PORT_CACHE_LINE - 1u) & ~(MP_PORT_CACHE_LINE - 1u))
#define MP_QUEUE_STORAGE_SIZE(msg_size, depth) (MP_QUEUE_SLOT_SIZE(msg_size) * (depth))

/* A queue whose storage is fixed at compile time, in the shared world, instead of taken
 * from the arena at run time:
 *     MP_QUEUE_DEFINE(jobs, 64, 16);                  (file scope)
 *     mp_queue_t q; mp_queue_create_static(&q, &jobs, false);
 */
typedef struct {
    void *storage;
    uint32_t size, msg_size, depth;
} mp_queue_static_t;

#define MP_QUEUE_DEFINE(name, msg_size_, depth_)                                             \
    _Static_assert((msg_size_) >= 1 && (depth_) >= 1, "queue " #name ": bad shape");        \
    static MP_SHARED _Alignas(MP_PORT_CACHE_LINE) uint8_t name##_storage[MP_QUEUE_STORAGE_SIZE(msg_size_,    \
                                                                                depth_)];   \
    static const mp_queue_static_t name = {name##_storage, sizeof name##_storage,           \
                                           (msg_size_), (depth_)}

/* @retval MP_EINVAL bad attr  @retval MP_ENOSLOT table full  @retval MP_ENOMEM arena full
 * @retval MP_EAGAIN another process held the arena too long (it may be stopped) */
mp_err_t mp_queue_create(mp_queue_t *q, const mp_queue_attr_t *attr);
/* @retval MP_EINVAL def too small for its shape (sizes are checked in 64 bits), or its
 *         storage not shared by every process (POSIX: not MP_SHARED; use MP_QUEUE_DEFINE)
 * @retval MP_EBUSY def's storage already backs a live queue */
mp_err_t mp_queue_create_static(mp_queue_t *q, const mp_queue_static_t *def, bool joinable);
/* Frees the queue; anyone still using the handle gets MP_ESTALE. */
mp_err_t mp_queue_destroy(mp_queue_t q);

mp_err_t mp_queue_put(mp_queue_t q, const void *msg, size_t len, mp_timeout_t timeout);
/* buf/size: where to copy; *len: in: unused, out: the message length (or the size needed
 * with MP_ETOOSMALL). */
mp_err_t mp_queue_get(mp_queue_t q, void *buf, size_t size, size_t *len, mp_timeout_t timeout);
static inline mp_err_t mp_queue_put_nowait(mp_queue_t q, const void *msg, size_t len)
{
    return mp_queue_put(q, msg, len, MP_NOWAIT);
}
static inline mp_err_t mp_queue_get_nowait(mp_queue_t q, void *buf, size_t size, size_t *len)
{
    return mp_queue_get(q, buf, size, len, MP_NOWAIT);
}

mp_err_t mp_queue_qsize(mp_queue_t q, size_t *count);
mp_err_t mp_queue_empty(mp_queue_t q, bool *empty);
mp_err_t mp_queue_full(mp_queue_t q, bool *full);
mp_err_t mp_queue_close(mp_queue_t q);
/* Python 3.13's shutdown: immediate false is close. Immediate: the messages queued are
 * dropped too (counted done, so a JoinableQueue's join returns once the tasks already
 * taken are done), and every get ends MP_ECLOSED at once. Either way qsize, empty and full
 * answer MP_ECLOSED from then on (CPython raises), and task_done beyond the count is
 * MP_ETOOMANY. @retval MP_EISR immediate, in a handler */
mp_err_t mp_queue_shutdown(mp_queue_t q, bool immediate);

/* JoinableQueue. @retval MP_ENOTJOINABLE the queue was not created joinable */
mp_err_t mp_queue_task_done(mp_queue_t q);
mp_err_t mp_queue_join(mp_queue_t q, mp_timeout_t timeout);
mp_err_t mp_queue_unfinished(mp_queue_t q, size_t *count);

#endif
