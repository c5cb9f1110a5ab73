/*
 * Pipe: two ends over one or two rings (ring.c).
 *
 * Handles: end a of pipe i is connection 2i, end b is 2i + 1. ring[0] carries what a
 * sends to b; ring[1], present when duplex, carries what b sends to a. One-way pipes
 * follow CPython: a receives, b sends, so ring[0] then carries b -> a.
 *
 * EOF. Each end records the token of the process that last used it. A wait on the pipe
 * stops with MP_EOF once the peer end is closed or its owner is no longer alive; for a
 * receive this happens only after the ring is drained, so nothing sent is lost.
 */
#include "ring.h"

static const mpi_table_t table = {mpi_world.pipes, sizeof mpi_world.pipes[0],
                                  MP_CONF_MAX_PIPES, MPI_KIND_CONN, mpi_world.pipes_free};

typedef struct {
    mpi_pipe_t *p;
    uint32_t end; /* 0 = a, 1 = b */
} end_t;

/* Connection ids index ends, two per pipe; the table's own ids index pipes. */
static mp_err_t lookup(mp_conn_t c, end_t *e)
{
    uint32_t index, gen;
    mp_err_t err = mpi_handle_split(c.id, MPI_KIND_CONN, 2u * MP_CONF_MAX_PIPES, &index, &gen);
    if (err != MP_OK)
        return err;
    mpi_pipe_t *p = &mpi_world.pipes[index / 2u];
    if (p->hdr.gen != gen || p->hdr.kind != MPI_KIND_CONN)
        return MP_ESTALE;
    e->p = p;
    e->end = index % 2u;
    if (atomic_load(&p->closed[e->end]))
        return MP_ECLOSED;
    return MP_OK;
}

/* The ring this end receives from, or NULL if it only sends. */
static mpi_ring_t *incoming(end_t e)
{
    if (e.p->hdr.flags & MPI_PIPE_DUPLEX)
        return &e.p->ring[e.end == 0 ? 1 : 0];
    return e.end == 0 ? &e.p->ring[0] : NULL;
}

static mpi_ring_t *outgoing(end_t e)
{
    if (e.p->hdr.flags & MPI_PIPE_DUPLEX)
        return &e.p->ring[e.end];
    return e.end == 1 ? &e.p->ring[0] : NULL;
}

/* Records who uses the end; written only when it changes, because both ends' owner words
 * share a cache line and a store per message would bounce it between the two CPUs. */
static void claim(end_t e)
{
    mpi_token_t self = mpi_self_token();
    if (atomic_load_explicit(&e.p->owner[e.end], memory_order_relaxed) != self)
        atomic_store(&e.p->owner[e.end], self);
}

static mp_err_t peer_gone(const void *ctx)
{
    const end_t *e = ctx;
    uint32_t peer = 1u - e->end;
    if (atomic_load(&e->p->closed[peer]) || !mpi_token_alive(atomic_load(&e->p->owner[peer])))
        return MP_EOF;
    return MP_OK;
}

mp_err_t mp_pipe_create(mp_conn_t *a, mp_conn_t *b, const mp_pipe_attr_t *attr)
{
    mp_pipe_attr_t def = {.duplex = true};
    if (attr == NULL)
        attr = &def;
    uint32_t msg_size = attr->msg_size ? attr->msg_size : MP_CONF_PIPE_MSG_SIZE;
    uint32_t depth = attr->depth ? attr->depth : MP_CONF_PIPE_DEPTH;
    if (a == NULL || b == NULL || msg_size > MP_CONF_MAX_MSG_SIZE)
        return MP_EINVAL;
    if ((uint64_t)MP_QUEUE_SLOT_SIZE(msg_size) * depth > MP_CONF_ARENA_SIZE)
        return MP_ENOMEM;
    mpi_pipe_t *p;
    uint32_t id;
    mp_err_t err = mpi_obj_alloc(&table, (void **)&p, &id);
    if (err != MP_OK)
        return err;
    uint32_t rings = attr->duplex ? 2u : 1u, offset[2] = {0, 0};
    for (uint32_t i = 0; i < rings && err == MP_OK; i++)
        err = mpi_arena_alloc(MP_QUEUE_STORAGE_SIZE(msg_size, depth), &offset[i]);
    if (err != MP_OK) {
        if (offset[0] != 0)
            mpi_arena_free(offset[0]);
        mpi_obj_free(&table, p);
        return err;
    }
    p->hdr.flags = attr->duplex ? MPI_PIPE_DUPLEX : 0;
    mpi_token_t self = mpi_self_token();
    for (uint32_t i = 0; i < 2; i++) {
        atomic_store(&p->closed[i], 0);
        atomic_store(&p->owner[i], self);
        if (i < rings)
            mpi_ring_init(&p->ring[i], mpi_at(offset[i]), msg_size, depth);
    }
    uint32_t index = (uint32_t)(p - mpi_world.pipes);
    a->id = mpi_handle_make(MPI_KIND_CONN, p->hdr.gen, 2u * index);
    b->id = mpi_handle_make(MPI_KIND_CONN, p->hdr.gen, 2u * index + 1u);
    return MP_OK;
}

/* What send, recv and poll share: a live end with a ring in the wanted direction. */
static mp_err_t use(mp_conn_t end, bool sending, end_t *e, mpi_ring_t **r)
{
    mp_err_t err = lookup(end, e);
    if (err != MP_OK)
        return err;
    *r = sending ? outgoing(*e) : incoming(*e);
    if (*r == NULL)
        return sending ? MP_EREADONLY : MP_EWRITEONLY;
    return MP_OK;
}

mp_err_t mp_pipe_send(mp_conn_t end, const void *msg, size_t len, mp_timeout_t timeout)
{
    end_t e;
    mpi_ring_t *r;
    mp_err_t err = use(end, true, &e, &r);
    if (err != MP_OK)
        return err;
    if (msg == NULL && len > 0)
        return MP_EINVAL;
    claim(e);
    mpi_until_t until = mpi_until(timeout);
    err = mpi_ring_put(r, msg, len, &until, peer_gone, &e);
    return err == MP_EFULL ? MP_EAGAIN : err;
}

mp_err_t mp_pipe_recv(mp_conn_t end, void *buf, size_t size, size_t *len, mp_timeout_t timeout)
{
    end_t e;
    mpi_ring_t *r;
    mp_err_t err = use(end, false, &e, &r);
    if (err != MP_OK)
        return err;
    if (len == NULL || (buf == NULL && size > 0))
        return MP_EINVAL;
    claim(e);
    static uint8_t none;
    mpi_until_t until = mpi_until(timeout);
    err = mpi_ring_get(r, buf ? buf : &none, size, len, &until, peer_gone, &e);
    return err == MP_EEMPTY ? MP_EAGAIN : err;
}

mp_err_t mp_pipe_poll(mp_conn_t end, mp_timeout_t timeout, bool *ready)
{
    if (ready == NULL)
        return MP_EINVAL;
    end_t e;
    mpi_ring_t *r;
    mp_err_t err = use(end, false, &e, &r);
    if (err != MP_OK)
        return err;
    claim(e);
    mpi_until_t until = mpi_until(timeout);
    err = mpi_ring_get(r, NULL, 0, NULL, &until, peer_gone, &e);
    *ready = err == MP_OK || err == MP_EOF;
    return err == MP_EEMPTY || err == MP_ETIMEDOUT || err == MP_EOF ? MP_OK : err;
}

mp_err_t mp_pipe_close(mp_conn_t end)
{
    end_t e;
    mp_err_t err = lookup(end, &e);
    if (err != MP_OK)
        return err;
    atomic_store(&e.p->closed[e.end], 1);
    uint32_t rings = (e.p->hdr.flags & MPI_PIPE_DUPLEX) ? 2u : 1u;
    for (uint32_t i = 0; i < rings; i++)
        mpi_ring_kick(&e.p->ring[i]); /* the peer's waits re-check and see EOF */
    if (atomic_load(&e.p->closed[1u - e.end])) {
        for (uint32_t i = 0; i < rings; i++)
            mpi_arena_free(mpi_offset(e.p->ring[i].storage));
        mpi_obj_free(&table, e.p);
    }
    return MP_OK;
}
