/*
 * Pipe: the operations and the model's rules. Check order (core/pipe.c): the end's handle
 * (MP_EHANDLE, MP_ESTALE, then MP_ECLOSED for a closed end), the direction, pointer
 * arguments; then the end is claimed (its user recorded) before the ring: send checks
 * the size, then the peer (MP_EOF), then room; recv takes a message if there is one, else
 * MP_EOF once the peer is gone, else waits.
 *
 * EOF follows RULES.md item 8: the users of an end are the processes that sent,
 * received or polled on it, its creator counting until another process uses it; the
 * peer is gone when its end is closed or every user of it has died. FUZZ_AVOID=8 checks
 * today's rule instead (the last user of the end).
 */
#include <string.h>

#include "harness.h"
#include "test_hooks.h"

static uint32_t storage_size(uint32_t msg_size, uint32_t depth)
{
    return MP_QUEUE_SLOT_SIZE(msg_size) * depth;
}

static void p_create(in_t *in)
{
    uint8_t f = in_u8(in);
    mp_pipe_attr_t attr = {.duplex = f & 1};
    attr.msg_size = f & 2 ? fz_msg_size(in) : 0;
    attr.depth = f & 4 ? fz_depth(in) : 0;
    bool no_attr = (f & 0x38) == 0x38, no_a = (f & 0xc0) == 0xc0, no_b = (f & 0xc0) == 0x80;
    fz_call("mp_pipe_create", 4, (uint64_t)attr.duplex, (uint64_t)attr.msg_size,
            (uint64_t)attr.depth, (uint64_t)f);
    mp_pipe_attr_t eff = no_attr ? (mp_pipe_attr_t){.duplex = true} : attr;
    uint32_t msg_size = eff.msg_size ? eff.msg_size : MP_CONF_PIPE_MSG_SIZE;
    uint32_t depth = eff.depth ? eff.depth : MP_CONF_PIPE_DEPTH;
    mp_err_t want = MP_OK;
    int slot = -1, block[2] = {-1, -1};
    uint32_t rings = eff.duplex ? 2u : 1u;
    if (no_a || no_b || msg_size > MP_CONF_MAX_MSG_SIZE)
        want = MP_EINVAL;
    else if ((uint64_t)MP_QUEUE_SLOT_SIZE(msg_size) * depth * rings > MP_CONF_ARENA_SIZE)
        want = MP_ENOMEM; /* both rings' storage, before anything is claimed */
    else if ((slot = m_alloc_peek(T_PIPE)) < 0)
        want = MP_ENOSLOT;
    else {
        for (uint32_t i = 0; i < rings && want == MP_OK; i++)
            if ((block[i] = m_arena_alloc(storage_size(msg_size, depth))) < 0)
                want = MP_ENOMEM;
        if (want != MP_OK)
            m_arena_free(block[0]); /* and the entry is given back untouched */
    }
    mp_conn_t a = {0}, b = {0};
    fz_expect(want, mp_pipe_create(no_a ? NULL : &a, no_b ? NULL : &b, no_attr ? NULL : &attr));
    if (want != MP_OK)
        return;
    uint32_t id = m_alloc(T_PIPE, slot, MPI_KIND_CONN);
    uint32_t ida = id + (uint32_t)slot, idb = ida + 1u; /* index field: 2 * slot (+1), plus one */
    fz_expect_u("handle a", ida, a.id);
    fz_expect_u("handle b", idb, b.id);
    m_pipe_t *p = &m.pipes[slot];
    for (int k = 0; k < 2; k++)
        m_fifo_clear(&p->ring[k]); /* a destroyed pipe's leftovers */
    *p = (m_pipe_t){.duplex = eff.duplex, .msg_size = msg_size, .depth = depth,
                    .block = {block[0], block[1]}, .creator = m_self_token(),
                    .ring = {{-1, -1, 0}, {-1, -1, 0}}};
    p->last_user[0] = p->last_user[1] = m_self_token();
    fz_pool_add(MPI_KIND_CONN, ida);
    fz_pool_add(MPI_KIND_CONN, idb);
}

/* The end's lookup, as every pipe call but create does it. */
static mp_err_t lookup(uint32_t id, m_pipe_t **p, int *slot, int *end)
{
    mp_err_t err = m_lookup_conn(id, slot, end);
    *p = NULL;
    if (err != MP_OK)
        return err;
    if (m.pipes[*slot].closed[*end])
        return MP_ECLOSED;
    *p = &m.pipes[*slot];
    return MP_OK;
}

/* The ring an end sends on / receives from, or -1. */
static int out_ring(const m_pipe_t *p, int end)
{
    return p->duplex ? end : end == 1 ? 0 : -1;
}

static int in_ring(const m_pipe_t *p, int end)
{
    return p->duplex ? 1 - end : end == 0 ? 0 : -1;
}

static m_fifo_t *outgoing(m_pipe_t *p, int end)
{
    int r = out_ring(p, end);
    return r < 0 ? NULL : &p->ring[r];
}

static m_fifo_t *incoming(m_pipe_t *p, int end)
{
    int r = in_ring(p, end);
    return r < 0 ? NULL : &p->ring[r];
}

static void claim(m_pipe_t *p, int end)
{
    uint32_t self = m_self_token();
    p->users[end][m.self] = self;
    if (self != p->creator)
        p->other_used[end] = true;
    p->last_user[end] = self;
}

/* Called where the runtime looks (inside the side for a send, at an empty ring for a
 * receive): an end whose users all died is latched gone there, and stays so. */
static bool peer_gone(m_pipe_t *p, int end)
{
    int peer = 1 - end;
    if (p->closed[peer])
        return true;
    if (m_avoid[8])
        return !m_alive(p->last_user[peer]);
    if (p->gone[peer])
        return true;
    if (!p->other_used[peer] && m_alive(p->creator))
        return false;
    for (uint32_t i = 0; i < M_PROCS; i++)
        if (p->users[peer][i] != 0 && m_alive(p->users[peer][i]))
            return false;
    p->gone[peer] = true;
    return true;
}

/* Children may not close the end the main process waits on (what that call then does is
 * not specified), nor, under FUZZ_AVOID=2, free the pipe it waits on. */
static bool close_forbidden(int slot, int end)
{
    if (!m.inside.active || m.inside.table != T_PIPE || m.inside.slot != slot)
        return false;
    if (end == m.inside.end && !m.pipes[slot].closed[1 - end])
        return true;
    return m_avoid[2] && m.pipes[slot].closed[1 - end];
}

/* send past its argument checks: MP_OK (pushed), MP_EMSGSIZE, MP_EOF, or 1 (would wait) */
static int send_now(m_pipe_t *p, int end, size_t len, uint32_t seed)
{
    if (len > p->msg_size)
        return MP_EMSGSIZE;
    if (peer_gone(p, end))
        return MP_EOF;
    m_fifo_t *r = outgoing(p, end);
    if (r->count >= p->depth)
        return 1;
    m_fifo_push(r, (uint32_t)len, seed);
    return MP_OK;
}

static void p_send(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_CONN);
    m_pipe_t *p;
    int slot, end;
    mp_err_t look = lookup(id, &p, &slot, &end);
    uint8_t f = in_u8(in);
    size_t len = fz_len(in, p ? p->msg_size : 16);
    mp_timeout_t t = fz_timeout(in);
    bool no_msg = (f & 15) == 15;
    uint8_t *buf = fz_buf_out();
    uint32_t seed = fz_fill(buf, len, p ? p->msg_size : 0);
    const void *msg = no_msg ? NULL : buf;
    mp_err_t want;
    if (p == NULL)
        want = look;
    else if (outgoing(p, end) == NULL)
        want = MP_EREADONLY;
    else if (no_msg && len > 0)
        want = MP_EINVAL;
    else if (claim(p, end), p->gone[end] && !m_avoid[8]) {
        want = MP_EOF; /* every user of this end had died, its peer was told EOF: final */
    } else {
        m_side_t *side = &p->side[out_ring(p, end)][0];
        if (len <= p->msg_size) { /* the producers' side first; EOF is looked at inside it */
            int via;
            if (!fz_side_enter(side, &via))
                return;
            if (fz_reaches(MPI_HOOK_PUT_INSIDE) ||
                (!peer_gone(p, end) && outgoing(p, end)->count < p->depth &&
                 fz_reaches(MPI_HOOK_PUT_PUBLISH))) {
                m_side_leave(side, via, false);
                fz_returned_instead_of_dying(mp_pipe_send((mp_conn_t){id}, msg, len, t));
            }
            m_side_leave(side, via, true);
        }
        int r = send_now(p, end, len, seed);
        if (r == 1 && fz_in_child())
            t = MP_NOWAIT;
        fz_call("mp_pipe_send", 4, (uint64_t)id, (uint64_t)len, (uint64_t)no_msg, (uint64_t)t);
        if (fz_waits(r, t, &want)) {
            fz_wait_begin(T_PIPE, slot, t);
            m.inside.end = end;
            mp_err_t got = mp_pipe_send((mp_conn_t){id}, msg, len, t);
            if (fz_wait_end()) {
                want = MP_ESTALE;
            } else {
                fz_side_reenter(side);
                r = send_now(p, end, len, seed);
                want = r == 1 ? fz_timeout_code(t) : r;
            }
            fz_expect(want, got);
            return;
        }
        fz_expect(want, mp_pipe_send((mp_conn_t){id}, msg, len, t));
        return;
    }
    fz_call("mp_pipe_send", 4, (uint64_t)id, (uint64_t)len, (uint64_t)no_msg, (uint64_t)t);
    fz_expect(want, mp_pipe_send((mp_conn_t){id}, msg, len, t));
}

/* recv past its checks: MP_OK (popped), MP_ETOOSMALL, MP_EOF, or 1 (would wait). With
 * take false (poll) nothing is taken. given_up: the caller's own end had been given up by
 * all its users when the call began: what is left is drained, then EOF, whatever the peer
 * does (core/pipe.c at_end). */
static int recv_now(m_pipe_t *p, int end, bool given_up, bool take, size_t size, uint32_t *len,
                    uint32_t *seed)
{
    m_fifo_t *r = incoming(p, end);
    if (m_fifo_head(r, len, seed)) {
        if (!take)
            return MP_OK;
        if (*len > size)
            return MP_ETOOSMALL;
        m_fifo_pop(r);
        return MP_OK;
    }
    if (given_up)
        return MP_EOF;
    return peer_gone(p, end) ? MP_EOF : 1;
}

static void p_recv(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_CONN);
    m_pipe_t *p;
    int slot, end;
    mp_err_t look = lookup(id, &p, &slot, &end);
    uint8_t f = in_u8(in);
    uint32_t head = 0, seed = 0;
    m_fifo_t *r = p ? incoming(p, end) : NULL;
    if (r)
        (void)m_fifo_head(r, &head, &seed);
    size_t size;
    switch (in_u8(in) % 7u) {
    case 0: size = 0; break;
    case 1: size = head ? head - 1u : 0; break;
    case 2: case 3: size = head; break;
    case 4: size = SIZE_MAX; break;
    case 5: size = FZ_BUF; break;
    default: size = in_u16(in); break;
    }
    mp_timeout_t t = fz_timeout(in);
    bool no_buf = (f & 7) == 7, no_len = (f & 7) == 6;
    uint8_t *buf = no_buf ? NULL : fz_buf_in();
    size_t got_len = 0x5a5a;
    mp_err_t want, got;
    uint32_t len = 0;
    if (p == NULL)
        want = look;
    else if (r == NULL)
        want = MP_EWRITEONLY;
    else if (no_len || (no_buf && size > 0))
        want = MP_EINVAL;
    else {
        claim(p, end);
        bool given_up = p->gone[end] && !m_avoid[8]; /* for the whole call */
        m_side_t *side = &p->side[in_ring(p, end)][1];
        int via;
        if (!fz_side_enter(side, &via))
            return;
        if (fz_reaches(MPI_HOOK_GET_INSIDE)) {
            m_side_leave(side, via, false);
            fz_returned_instead_of_dying(
                mp_pipe_recv((mp_conn_t){id}, buf, size, no_len ? NULL : &got_len, t));
        }
        m_side_leave(side, via, true);
        int k = recv_now(p, end, given_up, true, size, &len, &seed);
        if (k == 1 && fz_in_child())
            t = MP_NOWAIT;
        fz_call("mp_pipe_recv", 4, (uint64_t)id, (uint64_t)size, (uint64_t)f, (uint64_t)t);
        if (fz_waits(k, t, &want)) {
            fz_wait_begin(T_PIPE, slot, t);
            m.inside.end = end;
            got = mp_pipe_recv((mp_conn_t){id}, buf, size, no_len ? NULL : &got_len, t);
            if (fz_wait_end()) {
                want = MP_ESTALE; /* freed by the second close meanwhile */
            } else {
                fz_side_reenter(side);
                k = recv_now(p, end, given_up, true, size, &len, &seed);
                want = k == 1 ? fz_timeout_code(t) : k;
            }
            goto check;
        }
        got = mp_pipe_recv((mp_conn_t){id}, buf, size, no_len ? NULL : &got_len, t);
        goto check;
    }
    fz_call("mp_pipe_recv", 4, (uint64_t)id, (uint64_t)size, (uint64_t)f, (uint64_t)t);
    got = mp_pipe_recv((mp_conn_t){id}, buf, size, no_len ? NULL : &got_len, t);
check:
    fz_expect_message(want, got, len, got_len, buf, seed);
}

static void p_poll(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_CONN);
    mp_timeout_t t = fz_timeout(in);
    bool no_ready = in_u8(in) > 245;
    m_pipe_t *p;
    int slot, end;
    mp_err_t want = lookup(id, &p, &slot, &end);
    bool ready = true, want_ready = false;
    uint32_t len, seed;
    if (p != NULL && incoming(p, end) == NULL)
        want = MP_EWRITEONLY; /* the handle and its direction first, as send and recv */
    else if (no_ready)
        want = want == MP_OK ? MP_EINVAL : want;
    else if (p != NULL) {
        claim(p, end);
        bool given_up = p->gone[end] && !m_avoid[8]; /* for the whole call */
        m_side_t *side = &p->side[in_ring(p, end)][1];
        int via;
        if (!fz_side_enter(side, &via))
            return;
        if (fz_reaches(MPI_HOOK_GET_INSIDE)) {
            m_side_leave(side, via, false);
            fz_returned_instead_of_dying(mp_pipe_poll((mp_conn_t){id}, t, &ready));
        }
        m_side_leave(side, via, true);
        int k = recv_now(p, end, given_up, false, 0, &len, &seed);
        if (k == 1 && fz_in_child())
            t = MP_NOWAIT;
        fz_call("mp_pipe_poll", 2, (uint64_t)id, (uint64_t)t);
        if (k != 1) {
            want = MP_OK;
            want_ready = true;
        } else if (t == MP_NOWAIT) {
            want = MP_OK;
        } else {
            fz_wait_begin(T_PIPE, slot, t);
            m.inside.end = end;
            mp_err_t got = mp_pipe_poll((mp_conn_t){id}, t, &ready);
            if (fz_wait_end()) {
                want = MP_ESTALE; /* not ready */
            } else {
                fz_side_reenter(side);
                k = recv_now(p, end, given_up, false, 0, &len, &seed);
                want_ready = k != 1;
                /* a timed-out poll answers "not ready"; the simulation's deadlock is
                 * passed on */
                want = k == 1 && t == MP_FOREVER ? MP_EDEADLK : MP_OK;
            }
            fz_expect(want, got);
            if (want == MP_OK || want == MP_EDEADLK)
                fz_expect_u("ready", want_ready, ready);
            return;
        }
        fz_expect(want, mp_pipe_poll((mp_conn_t){id}, t, &ready));
        fz_expect_u("ready", want_ready, ready);
        return;
    }
    fz_call("mp_pipe_poll", 2, (uint64_t)id, (uint64_t)t);
    fz_expect(want, mp_pipe_poll((mp_conn_t){id}, t, no_ready ? NULL : &ready));
}

static void closed_end(int slot, int end)
{
    m_pipe_t *p = &m.pipes[slot];
    p->closed[end] = true;
    if (!p->closed[1 - end])
        return;
    bool now = m_free(T_PIPE, slot);
    for (int k = 0; now && k < 2; k++) /* else a call inside may still take them */
        m_fifo_clear(&p->ring[k]);
    for (int k = 0; k < 2; k++) {
        if (now)
            m_arena_free(p->block[k]);
        else if (p->block[k] >= 0)
            m_defer_block(p->block[k]);
        p->block[k] = -1;
    }
}

static void p_close(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_CONN);
    fz_call("mp_pipe_close", 1, (uint64_t)id);
    m_pipe_t *p;
    int slot, end;
    mp_err_t want = lookup(id, &p, &slot, &end);
    if (p != NULL && fz_in_child() && close_forbidden(slot, end)) {
        fz_skip("close of the end the main process waits on");
        return;
    }
    fz_expect(want, mp_pipe_close((mp_conn_t){id}));
    if (want == MP_OK)
        closed_end(slot, end);
}

void fz_pipe_cleanup(void)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_PIPES; i++) {
        for (int end = 0; end < 2; end++) {
            if (m.hdr[T_PIPE][i].kind == 0 || m.pipes[i].closed[end])
                continue;
            uint32_t id = m_handle(T_PIPE, (int)i) + i + (uint32_t)end;
            fz_call("cleanup: mp_pipe_close", 1, (uint64_t)id);
            fz_expect(MP_OK, mp_pipe_close((mp_conn_t){id}));
            closed_end((int)i, end);
        }
    }
}

const fz_op_t fz_pipe_ops[] = {
    {"pipe_create", p_create, false, false}, {"pipe_send", p_send, false, false}, {"pipe_send", p_send, false, false},
    {"pipe_recv", p_recv, false, false},     {"pipe_recv", p_recv, false, false}, {"pipe_poll", p_poll, false, false},
    {"pipe_close", p_close, false, false},
};
const size_t fz_pipe_nops = sizeof fz_pipe_ops / sizeof fz_pipe_ops[0];
