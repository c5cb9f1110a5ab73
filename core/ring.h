/*
 * The ring shared by Queue and Pipe (internal to core/). See ring.c.
 */
#include "world.h" /* first: world.h reads this header itself, through objects.def */
#ifndef MP_CORE_RING_H
#define MP_CORE_RING_H

/* One side (producers or consumers) of a ring. The first process to use a side gets it
 * biased to itself: it then works without any atomic read-modify-write, marking `busy`
 * with its token around each operation. When its owner dies, the next user inherits the
 * bias (and clears the dead owner's mark). A second live user revokes it for good (bias =
 * OFF, then a global fence, then it waits, within its deadline, while a live process's
 * mark is set) and from then on every process of that side takes the guard. */
typedef struct {
    _Atomic uint32_t guard;
    _Atomic uint32_t bias; /* token of the biased process, 0 = none yet, MPI_BIAS_OFF */
    _Atomic uint32_t busy; /* token of the biased process inside an operation, or 0 */
} mpi_side_t;
#define MPI_BIAS_OFF 0xffffffffu

/* A ring of variable-length messages (ring.c), shared by Queue and Pipe. Producer and
 * consumer state sit on separate cache lines; each side has its own robust lock, so one
 * producer and one consumer never contend for a line they both write.
 * Indices run over [0, limit] and wrap to 0 (limit + 1 is a multiple of depth, 2^32 when
 * depth is a power of two), so counts stay right across the wrap for any depth. */
typedef struct {
    /* read-mostly */
    uint8_t *storage;  /* the slots: a pointer is safe, the world has one address everywhere */
    uint32_t depth, msg_size, stride, limit;
    uint32_t mask;     /* depth - 1 when depth is a power of two, else UINT32_MAX */
    _Atomic uint32_t closed;
    /* producer line (one line with the index it publishes: fewer lines to move per round
     * trip, which measured faster than giving the private part a line of its own) */
    _Alignas(MP_PORT_CACHE_LINE) mpi_side_t put;
    _Atomic uint32_t tail;
    uint32_t head_seen; /* the producers' cached view of head */
    /* consumer line */
    _Alignas(MP_PORT_CACHE_LINE) mpi_side_t get;
    _Atomic uint32_t head;
    uint32_t tail_seen; /* the consumers' cached view of tail */
    /* sleepers: written only when someone is about to sleep. Each side sleeps on its
     * bell, which moves after anything it waits for changed (data, space, close, EOF). */
    _Alignas(MP_PORT_CACHE_LINE) mpi_slots_t put_sleepers;
    mpi_slots_t get_sleepers;
    _Atomic uint32_t put_bell;
    _Atomic uint32_t get_bell;
} mpi_ring_t;
/* The producers and the consumers never write one cache line (the ring's speed rests on it). */
_Static_assert(offsetof(mpi_ring_t, get) - offsetof(mpi_ring_t, put) >= MP_PORT_CACHE_LINE,
               "the two sides of a ring share a cache line");
_Static_assert(offsetof(mpi_ring_t, put_sleepers) - offsetof(mpi_ring_t, get) >= MP_PORT_CACHE_LINE,
               "the consumers' line and the sleepers share a cache line");

/* Why a wait on a ring should stop early: returns MP_OK to go on waiting, or the code to
 * return (a pipe says MP_EOF when its peer is gone). NULL: only close stops a wait. */
typedef mp_err_t (*mpi_ring_stop_fn)(const void *ctx);

void mpi_ring_init(mpi_ring_t *r, uint8_t *storage, uint32_t msg_size, uint32_t depth);

/* Bytes of storage for depth messages of msg_size (<= MP_CONF_MAX_MSG_SIZE), in 64 bits:
 * sizes from user input never wrap. */
uint64_t mpi_ring_storage(uint32_t msg_size, uint32_t depth);

/* For the call c (its token, and the object its waits watch). MP_OK, MP_EMSGSIZE,
 * MP_EAGAIN (MP_NOWAIT: full, or another process inside the side), MP_ETIMEDOUT,
 * MP_ECLOSED, MP_ESTALE, or stop's code. */
mp_err_t mpi_ring_put(const mpi_call_t *c, mpi_ring_t *r, const void *msg, size_t len,
                      mpi_until_t *until, mpi_ring_stop_fn stop, const void *ctx);

/* MP_OK, MP_ETOOSMALL (*len = size needed, message kept), MP_EAGAIN (MP_NOWAIT: empty,
 * or another process inside the side), MP_ETIMEDOUT, MP_ECLOSED (closed and drained), MP_ESTALE, or stop's code
 * (when drained). buf may be NULL when size is 0 (only empty messages fit). */
mp_err_t mpi_ring_get(const mpi_call_t *c, mpi_ring_t *r, void *buf, size_t size, size_t *len,
                      mpi_until_t *until, mpi_ring_stop_fn stop, const void *ctx);

/* Waits for a message as mpi_ring_get does, and leaves it there: MP_OK when one is. */
mp_err_t mpi_ring_poll(const mpi_call_t *c, mpi_ring_t *r, mpi_until_t *until,
                       mpi_ring_stop_fn stop, const void *ctx);

/* mp_wait: whether a get would not block (a message, or closed); with arm, a put or a close
 * wakes the caller (slot) from then on. */
bool mpi_ring_watch(mpi_ring_t *r, uint32_t slot, bool arm);
/* Messages in the ring now (0..depth). */
uint32_t mpi_ring_count(const mpi_ring_t *r);

/* a - b over the ring's index range: how far b is behind a. */
static inline uint32_t mpi_ring_diff(const mpi_ring_t *r, uint32_t a, uint32_t b)
{
    return a >= b ? a - b : a + (r->limit - b) + 1u;
}

static inline uint32_t mpi_ring_next(const mpi_ring_t *r, uint32_t i)
{
    return i == r->limit ? 0u : i + 1u;
}

/* Refuses further puts and wakes every sleeper. */
void mpi_ring_close(mpi_ring_t *r);

/* Wakes every sleeper, to re-check a stop condition (a pipe end closed). */
void mpi_ring_kick(mpi_ring_t *r);

#endif
