/*
 * The ring shared by Queue and Pipe (internal to core/). See ring.c.
 */
#ifndef MP_CORE_RING_H
#define MP_CORE_RING_H

#include "world.h"

/* Why a wait on a ring should stop early: returns MP_OK to go on waiting, or the code to
 * return (a pipe says MP_EOF when its peer is gone). NULL: only close stops a wait. */
typedef mp_err_t (*mpi_ring_stop_fn)(const void *ctx);

void mpi_ring_init(mpi_ring_t *r, uint8_t *storage, uint32_t msg_size, uint32_t depth);

/* Bytes of storage for depth messages of msg_size (<= MP_CONF_MAX_MSG_SIZE), in 64 bits:
 * sizes from user input never wrap. */
uint64_t mpi_ring_storage(uint32_t msg_size, uint32_t depth);

/* For the call c (its token, and the object its waits watch). MP_OK, MP_EMSGSIZE,
 * MP_EFULL (MP_NOWAIT, full), MP_EAGAIN (MP_NOWAIT, another process inside the side),
 * MP_ETIMEDOUT, MP_ECLOSED, MP_ESTALE, or stop's code. */
mp_err_t mpi_ring_put(const mpi_call_t *c, mpi_ring_t *r, const void *msg, size_t len,
                      mpi_until_t *until, mpi_ring_stop_fn stop, const void *ctx);

/* MP_OK, MP_ETOOSMALL (*len = size needed, message kept), MP_EEMPTY (MP_NOWAIT),
 * MP_EAGAIN, MP_ETIMEDOUT, MP_ECLOSED (closed and drained), MP_ESTALE, or stop's code
 * (when drained). With buf NULL the message is only waited for, not taken (poll). */
mp_err_t mpi_ring_get(const mpi_call_t *c, mpi_ring_t *r, void *buf, size_t size, size_t *len,
                      mpi_until_t *until, mpi_ring_stop_fn stop, const void *ctx);

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
