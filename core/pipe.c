/*
 * Pipe: two ends over one or two rings (ring.c).
 *
 * Handles: end a of pipe i is connection 2i, end b is 2i + 1. ring[0] carries what a
 * sends to b; ring[1], present when duplex, carries what b sends to a. One-way pipes
 * follow CPython: a receives, b sends, so ring[0] then carries b -> a.
 *
 * EOF. An end's users are the processes that sent, received or polled on it (before
 * anyone has, its creator stands for them: it holds both ends, as after CPython's Pipe()).
 * A wait on the pipe stops with MP_EOF once the peer end is closed or every user of it
 * has died, which is what CPython means by "every holder of the write end has closed it":
 * one of two senders exiting is not EOF. For a receive this happens only after the ring
 * is drained (and any send still inside it has finished), so nothing sent is lost.
 * A user's bit is cleared when it is joined, before its slot can be reused.
 */
#include "pipe.h"

static void release_pipe(void *obj, uint32_t flags);
static void forget_user(uint32_t slot);
static mp_err_t watch(uint32_t id, bool arm, bool *ready);

static const mpi_wait_word_t words[] = {
    {offsetof(mpi_pipe_t, ring[0].get_bell), 1, 0, "a message on Pipe #"},
    {offsetof(mpi_pipe_t, ring[0].put_bell), 1, 0, "room on Pipe #"},
    {offsetof(mpi_pipe_t, ring[1].get_bell), 1, 0, "a message on Pipe #"},
    {offsetof(mpi_pipe_t, ring[1].put_bell), 1, 0, "room on Pipe #"},
};

const mpi_table_t mpi_pipe_table = {MPI_TABLE_STORE(pipes), .kind = MPI_KIND_CONN,
                                    .release = release_pipe, .forget = forget_user,
                                    .watch = watch, MPI_TABLE_WORDS(words)};

static uint32_t rings_of(uint32_t flags)
{
    return (flags & MPI_PIPE_DUPLEX) ? 2u : 1u;
}

static void release_pipe(void *obj, uint32_t flags)
{
    mpi_pipe_t *p = obj;
    for (uint32_t i = 0; i < rings_of(flags); i++)
        mpi_arena_free(mpi_offset(p->ring[i].storage));
}

static void forget_user(uint32_t slot)
{
    for (uint32_t i = 0; i < mpi_count(MP_CONF_MAX_PIPES); i++)
        for (uint32_t e = 0; e < 2; e++)
            mpi_slots_remove(&mpi_world.pipes[i].users[e], slot);
}

typedef struct {
    mpi_pipe_t *p;
    uint32_t end; /* 0 = a, 1 = b */
} end_t;

/* Connection ids index ends, two per pipe; the table's own ids index pipes. Enters the
 * pipe; an end closed already is MP_ECLOSED (left again). */
static mp_err_t enter_end(mpi_call_t *c, mp_conn_t conn, end_t *e)
{
    uint32_t index, gen;
    mp_err_t err = mpi_handle_split(conn.id, MPI_KIND_CONN, 2u * MP_CONF_MAX_PIPES, &index, &gen);
    if (err == MP_OK)
        err = mpi_enter_at(c, &mpi_pipe_table, index / 2u, gen);
    if (err != MP_OK)
        return err;
    e->p = c->obj;
    e->end = index % 2u;
    if (atomic_load(&e->p->closed[e->end]))
        return mpi_leave(c, MP_ECLOSED);
    return MP_OK;
}

/* The ring this end receives from, or NULL if it only sends. */
static mpi_ring_t *incoming(end_t e)
{
    if (mpi_obj_flags(&e.p->hdr) & MPI_PIPE_DUPLEX)
        return &e.p->ring[e.end == 0 ? 1 : 0];
    return e.end == 0 ? &e.p->ring[0] : NULL;
}

static mpi_ring_t *outgoing(end_t e)
{
    if (mpi_obj_flags(&e.p->hdr) & MPI_PIPE_DUPLEX)
        return &e.p->ring[e.end];
    return e.end == 1 ? &e.p->ring[0] : NULL;
}

/* Counts the caller among the end's users: a load on every call, stores only once (the
 * bit before the creator steps down, so the end is never without a user meanwhile). */
static void claim(const mpi_call_t *c, end_t e)
{
    if (c->slot == MPI_NO_SLOT || mpi_slots_has(&e.p->users[e.end], c->slot))
        return;
    mpi_proc_uses(c, MPI_KIND_CONN); /* first, so a death here is covered */
    mpi_slots_add(&e.p->users[e.end], c->slot);
    if (atomic_load(&e.p->creator[e.end]) != 0)
        atomic_store(&e.p->creator[e.end], 0);
}

static bool users_alive(const mpi_pipe_t *p, uint32_t end)
{
    for (uint32_t w = 0; w < MPI_BITWORDS(MP_CONF_MAX_PROCESSES); w++)
        for (uint32_t bits = atomic_load(&p->users[end].bits[w]); bits != 0; bits &= bits - 1u)
            if (mpi_slot_alive(w * 32u + (uint32_t)__builtin_ctz(bits)))
                return true;
    uint32_t creator = atomic_load(&p->creator[end]);
    return creator != 0 && mpi_token_alive(creator);
}

/* Whether the peer end is closed, or every user of it has died. The second is latched
 * (gone): EOF is final, as it is once every holder of a file descriptor closed it; a
 * process that would use the end afterwards is told MP_EOF too (see join_users). */
static mp_err_t peer_gone(const void *ctx)
{
    const end_t *e = ctx;
    uint32_t peer = 1u - e->end;
    if (atomic_load(&e->p->closed[peer]) || atomic_load(&e->p->gone[peer]))
        return MP_EOF;
    if (users_alive(e->p, peer))
        return MP_OK;
    atomic_store(&e->p->gone[peer], 1);
    return MP_EOF;
}

mp_err_t mp_pipe_create(mp_conn_t *a, mp_conn_t *b, const mp_pipe_attr_t *attr)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    mp_pipe_attr_t def = {.duplex = true};
    if (attr == NULL)
        attr = &def;
    uint32_t msg_size = attr->msg_size ? attr->msg_size : MP_CONF_PIPE_MSG_SIZE;
    uint32_t depth = attr->depth ? attr->depth : MP_CONF_PIPE_DEPTH;
    if (a == NULL || b == NULL || msg_size > MP_CONF_MAX_MSG_SIZE)
        return MP_EINVAL;
    uint32_t rings = attr->duplex ? 2u : 1u;
    uint64_t bytes = mpi_ring_storage(msg_size, depth);
    if (bytes * rings > MP_CONF_ARENA_SIZE)
        return MP_ENOMEM;
    mpi_pipe_t *p = NULL;
    uint32_t index, offset[2] = {0, 0};
    err = mpi_obj_alloc(&mpi_pipe_table, (void **)&p, &index);
    for (uint32_t i = 0; i < rings && err == MP_OK; i++)
        err = mpi_arena_alloc(&c, bytes, &offset[i]);
    if (err != MP_OK) {
        if (offset[0] != 0)
            mpi_arena_free(offset[0]);
        if (p != NULL)
            mpi_obj_unalloc(&mpi_pipe_table, p);
        return err;
    }
    for (uint32_t i = 0; i < 2; i++) {
        atomic_store(&p->creator[i], c.self);
        atomic_store(&p->closed[i], 0);
        atomic_store(&p->gone[i], 0);
        mpi_slots_clear(&p->users[i]);
        if (i < rings)
            mpi_ring_init(&p->ring[i], mpi_at(offset[i]), msg_size, depth);
    }
    uint32_t id = mpi_obj_publish(&mpi_pipe_table, p, attr->duplex ? MPI_PIPE_DUPLEX : 0u);
    uint32_t gen = mpi_id_gen(id);
    a->id = mpi_handle_make(MPI_KIND_CONN, gen, 2u * index);
    b->id = mpi_handle_make(MPI_KIND_CONN, gen, 2u * index + 1u);
    return MP_OK;
}

/* What send, recv and poll share: a live end with a ring in the wanted direction. */
static mp_err_t use(mpi_call_t *c, mp_conn_t conn, bool sending, end_t *e, mpi_ring_t **r)
{
    mp_err_t err = enter_end(c, conn, e);
    if (err != MP_OK)
        return err;
    *r = sending ? outgoing(*e) : incoming(*e);
    if (*r == NULL)
        return mpi_leave(c, sending ? MP_EREADONLY : MP_EWRITEONLY);
    return MP_OK;
}

/* Joins the end's users (after the arguments were found good), then says whether the end
 * had already been given up by all its users, its peer told EOF: then this pipe is at its
 * end for the caller too (what was sent before can still be received). In that order, so
 * that the peer, which looks at the users and then latches `gone`, either sees the caller
 * or is seen by it. */
static bool join_users(const mpi_call_t *c, end_t e)
{
    claim(c, e);
    return atomic_load(&e.p->gone[e.end]) != 0;
}

/* The stop condition of an end given up for good: drained means EOF. */
static mp_err_t at_end(const void *ctx)
{
    (void)ctx;
    return MP_EOF;
}

mp_err_t mp_pipe_send(mp_conn_t end, const void *msg, size_t len, mp_timeout_t timeout)
{
    mpi_call_t c;
    end_t e;
    mpi_ring_t *r;
    mp_err_t err = use(&c, end, true, &e, &r);
    if (err != MP_OK)
        return err;
    if (msg == NULL && len > 0)
        return mpi_leave(&c, MP_EINVAL);
    if (join_users(&c, e))
        return mpi_leave(&c, MP_EOF); /* the reader was told nothing more comes */
    mpi_until_t until = mpi_until(timeout);
    err = mpi_ring_put(&c, r, msg, len, &until, peer_gone, &e);
    return mpi_leave(&c, err);
}

mp_err_t mp_pipe_recv(mp_conn_t end, void *buf, size_t size, size_t *len, mp_timeout_t timeout)
{
    mpi_call_t c;
    end_t e;
    mpi_ring_t *r;
    mp_err_t err = use(&c, end, false, &e, &r);
    if (err != MP_OK)
        return err;
    if (len == NULL || (buf == NULL && size > 0))
        return mpi_leave(&c, MP_EINVAL);
    mpi_ring_stop_fn stop = join_users(&c, e) ? at_end : peer_gone;
    mpi_until_t until = mpi_until(timeout);
    err = mpi_ring_get(&c, r, buf, size, len, &until, stop, &e);
    return mpi_leave(&c, err);
}

mp_err_t mp_pipe_poll(mp_conn_t end, mp_timeout_t timeout, bool *ready)
{
    mpi_call_t c;
    end_t e;
    mpi_ring_t *r;
    mp_err_t err = use(&c, end, false, &e, &r);
    if (err != MP_OK)
        return err;
    if (ready == NULL)
        return mpi_leave(&c, MP_EINVAL);
    mpi_ring_stop_fn stop = join_users(&c, e) ? at_end : peer_gone;
    mpi_until_t until = mpi_until(timeout);
    err = mpi_ring_poll(&c, r, &until, stop, &e);
    err = mpi_leave(&c, err);
    *ready = err == MP_OK || err == MP_EOF;
    return err == MP_EAGAIN || err == MP_ETIMEDOUT || err == MP_EOF ? MP_OK : err;
}

/* mp_wait: a recv would not block (a message, or EOF). Waiting uses the end, as poll does. */
static mp_err_t watch(uint32_t id, bool arm, bool *ready)
{
    mpi_call_t c;
    end_t e;
    mpi_ring_t *r;
    mp_err_t err = use(&c, (mp_conn_t){id}, false, &e, &r);
    if (err != MP_OK)
        return err;
    bool ended = join_users(&c, e);
    *ready = mpi_ring_watch(r, c.slot, arm) || ended || peer_gone(&e) != MP_OK;
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_pipe_close(mp_conn_t end)
{
    mpi_call_t c;
    end_t e;
    mp_err_t err = enter_end(&c, end, &e);
    if (err != MP_OK)
        return err;
    uint32_t rings = rings_of(mpi_obj_flags(&e.p->hdr));
    atomic_store(&e.p->closed[e.end], 1);
    if (!atomic_load(&e.p->closed[1u - e.end])) {
        for (uint32_t i = 0; i < rings; i++)
            mpi_ring_kick(&e.p->ring[i]); /* the peer's waits look again and see EOF */
        return mpi_leave(&c, MP_OK);
    }
    /* Both ends closed: the pipe goes. Two closers racing here: one retires it. */
    if (mpi_retire(&c) != MP_OK) {
        (void)mpi_leave(&c, MP_OK);
        return MP_OK;
    }
    for (uint32_t i = 0; i < rings; i++)
        mpi_ring_close(&e.p->ring[i]);
    return mpi_leave_retired(&c);
}
