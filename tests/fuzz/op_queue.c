/*
 * Queue and JoinableQueue: the operations the fuzzer makes, each with the model's rule.
 * Check order (core/queue.c, ring.c): handle, then pointer arguments, then message size,
 * then closed, then room; get: a message at the head decides (ETOOSMALL keeps it), then
 * closed, then waiting.
 */
#include <string.h>

#include "harness.h"
#include "../support/queue_seek.h"
#include "test_hooks.h"

/* Storage for static queues: sizes chosen so that tiny buffers meet huge depths. */
static _Alignas(64) uint8_t sbuf0[64], sbuf1[512], sbuf2[4096], sbuf3[65536];
MP_QUEUE_DEFINE(defined_queue, 12, 5);
static const struct {
    uint8_t *storage;
    uint32_t size;
} sbufs[] = {{sbuf0, sizeof sbuf0}, {sbuf1, sizeof sbuf1}, {sbuf2, sizeof sbuf2},
             {sbuf3, sizeof sbuf3}};
#define NSBUF (sizeof sbufs / sizeof sbufs[0])

static uint64_t storage_size(uint32_t msg_size, uint32_t depth)
{
    return (uint64_t)MP_QUEUE_SLOT_SIZE(msg_size) * depth;
}

static bool buffer_in_use(int buf)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_QUEUES; i++)
        if ((m.hdr[T_QUEUE][i].kind || m.hdr[T_QUEUE][i].zombie) && m.queues[i].static_buf == buf)
            return true;
    return false;
}

static void born(int slot, uint32_t msg_size, uint32_t depth, bool joinable, int block, int buf,
                 uint32_t got_id)
{
    uint32_t id = m_alloc(T_QUEUE, slot, MPI_KIND_QUEUE);
    fz_expect_u("handle", id, got_id);
    m_queue_t *q = &m.queues[slot];
    m_fifo_clear(&q->fifo);
    bool pow2 = (depth & (depth - 1u)) == 0;
    *q = (m_queue_t){.msg_size = msg_size, .depth = depth, .joinable = joinable,
                     .arena = block >= 0, .block = block, .static_buf = buf,
                     .limit = pow2 ? UINT32_MAX : depth * (UINT32_MAX / depth) - 1u,
                     .fifo = {-1, -1, 0}};
    fz_pool_add(MPI_KIND_QUEUE, id);
}

static void q_create(in_t *in)
{
    uint8_t f = in_u8(in);
    mp_queue_attr_t attr = {.joinable = f & 1};
    attr.msg_size = fz_msg_size(in); /* in this order: initialisers are not sequenced */
    attr.depth = fz_depth(in);
    bool no_q = (f & 0x70) == 0x70, no_attr = (f & 0x0e) == 0x0e;
    fz_call("mp_queue_create", 4, (uint64_t)attr.msg_size, (uint64_t)attr.depth,
            (uint64_t)attr.joinable, (uint64_t)f);
    mp_err_t want = MP_OK;
    int block = -1, slot = -1;
    if (no_q || no_attr || attr.msg_size == 0 || attr.msg_size > MP_CONF_MAX_MSG_SIZE ||
        attr.depth == 0)
        want = MP_EINVAL;
    else if (storage_size(attr.msg_size, attr.depth) > MP_CONF_ARENA_SIZE)
        want = MP_ENOMEM;
    else if ((slot = m_alloc_peek(T_QUEUE)) < 0) /* the entry first, then the storage */
        want = MP_ENOSLOT;
    else if ((block = m_arena_alloc((uint32_t)storage_size(attr.msg_size, attr.depth))) < 0)
        want = MP_ENOMEM; /* the entry is given back untouched */
    mp_queue_t q = {0};
    fz_expect(want, mp_queue_create(no_q ? NULL : &q, no_attr ? NULL : &attr));
    if (want == MP_OK)
        born(slot, attr.msg_size, attr.depth, attr.joinable, block, -1, q.id);
}

static void q_create_static(in_t *in)
{
    uint8_t f = in_u8(in), which = in_u8(in);
    mp_queue_static_t def;
    int buf = -1;
    if (which % 8u < NSBUF) {
        buf = which % 8u;
        def = (mp_queue_static_t){sbufs[buf].storage, sbufs[buf].size, 0, 0};
    } else {
        def = defined_queue;
        buf = (int)NSBUF;
    }
    uint8_t shape = in_u8(in);
    if (shape < 200) {
        def.msg_size = fz_msg_size(in);
        def.depth = fz_depth(in);
    } else if (shape < 240 && buf != (int)NSBUF) {
        /* storage sizes that wrap to a small number in 32 bits (issue 7, defect 1) */
        static const uint32_t wrap[][2] = {{60, 1u << 26}, {28, 1u << 27}, {124, 1u << 25},
                                           {60, (1u << 26) + 1u}, {4, 1u << 29}};
        def.msg_size = wrap[shape % 5u][0];
        def.depth = wrap[shape % 5u][1];
    }
    uint64_t need = def.msg_size && def.msg_size <= MP_CONF_MAX_MSG_SIZE
                        ? storage_size(def.msg_size, def.depth) : 0;
    uint32_t real = def.size;
    switch (in_u8(in) % 6u) { /* a size never above the real buffer */
    case 0: def.size = need <= real ? (uint32_t)need : real; break;
    case 1: def.size = need > 0 && need - 1u <= real ? (uint32_t)need - 1u : real; break;
    case 2: def.size = real ? in_u16(in) % real : 0; break;
    case 3: def.size = 0; break;
    default: break;
    }
    bool joinable = f & 1, no_q = (f & 0x70) == 0x70, no_def = (f & 0x0e) == 0x0e,
         no_storage = (f & 0x0e) == 0x0c;
    if (no_storage)
        def.storage = NULL;
    fz_call("mp_queue_create_static", 5, (uint64_t)buf, (uint64_t)def.msg_size,
            (uint64_t)def.depth, (uint64_t)def.size, (uint64_t)f);
    mp_err_t want = MP_OK;
    int slot = -1;
    if (no_q || no_def || no_storage || def.msg_size == 0 || def.msg_size > MP_CONF_MAX_MSG_SIZE ||
        def.depth == 0 || def.size < need)
        want = MP_EINVAL;
    else if (buffer_in_use(buf))
        want = MP_EBUSY; /* one definition, one live queue */
    else if ((slot = m_alloc_peek(T_QUEUE)) < 0)
        want = MP_ENOSLOT;
    if (m_avoid[1] && !no_q && !no_def && !no_storage && def.msg_size > 0 &&
        def.msg_size <= MP_CONF_MAX_MSG_SIZE && def.depth > 0 && need != (uint32_t)need) {
        fz_skip("defect 1: storage size that overflows 32 bits");
        return;
    }
    mp_queue_t q = {0};
    fz_expect(want, mp_queue_create_static(no_q ? NULL : &q, no_def ? NULL : &def, joinable));
    if (want == MP_OK)
        born(slot, def.msg_size, def.depth, joinable, -1, buf, q.id);
}

static m_queue_t *lookup(uint32_t id, int *slot, mp_err_t *err)
{
    *err = m_lookup(id, MPI_KIND_QUEUE, slot);
    return *err == MP_OK ? &m.queues[*slot] : NULL;
}

/* A destroyed queue's entry is freed: its static storage backs no queue any more (its
 * messages, which a call inside may still take, are dropped at the next create). */
static void released(int slot)
{
    m.queues[slot].static_buf = -1;
}

static void destroyed(int slot)
{
    m_queue_t *q = &m.queues[slot];
    int block = q->block;
    q->closed = true; /* destroy closes the ring, to wake its sleepers */
    if (m_free(T_QUEUE, slot)) {
        m_fifo_clear(&q->fifo);
        m_arena_free(block);
        q->static_buf = -1;
    } else {
        m_defer_block(block); /* RULES 1: storage kept until the caller inside leaves */
        m.inside.on_free = released;
    }
    q->block = -1;
}

static void q_destroy(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_QUEUE);
    fz_call("mp_queue_destroy", 1, (uint64_t)id);
    int slot;
    mp_err_t want;
    lookup(id, &slot, &want);
    if (want == MP_OK && m_avoid[2] && m.inside.active && m.inside.table == T_QUEUE &&
        m.inside.slot == slot) {
        fz_skip("defect 2: destroy while the main process is inside");
        return;
    }
    fz_expect(want, mp_queue_destroy((mp_queue_t){id}));
    if (want == MP_OK)
        destroyed(slot);
}

/* put's outcome once the call is past its argument checks: MP_OK (pushed), MP_ECLOSED,
 * or 1 for "would wait". */
static int put_now(m_queue_t *q, size_t len, uint32_t seed)
{
    if (q->closed)
        return MP_ECLOSED;
    if (q->fifo.count >= q->depth)
        return 1;
    m_fifo_push(&q->fifo, (uint32_t)len, seed);
    if (q->joinable)
        q->unfinished++;
    return MP_OK;
}

static void put_one(uint32_t id, size_t len, bool no_msg, mp_timeout_t t)
{
    int slot;
    mp_err_t look;
    m_queue_t *q = lookup(id, &slot, &look);
    uint8_t *buf = fz_buf_out();
    uint32_t seed = fz_fill(buf, len, q ? q->msg_size : 0);
    const void *msg = no_msg ? NULL : buf;
    fz_call("mp_queue_put", 4, (uint64_t)id, (uint64_t)len, (uint64_t)no_msg, (uint64_t)t);
    mp_err_t want;
    if (q == NULL)
        want = look;
    else if (no_msg && len > 0)
        want = MP_EINVAL;
    else if (len > q->msg_size)
        want = MP_EMSGSIZE;
    else if (fz_isr_refuses(t))
        want = MP_EISR;
    else {
        int via; /* the producers' side is entered first; closed is looked at inside it */
        if (!fz_side_enter(&q->side[0], &via))
            return;
        if (fz_reaches(MPI_HOOK_PUT_INSIDE) ||
            (!q->closed && q->fifo.count < q->depth && fz_reaches(MPI_HOOK_PUT_PUBLISH))) {
            m_side_leave(&q->side[0], via, false);
            fz_returned_instead_of_dying(mp_queue_put((mp_queue_t){id}, msg, len, t));
        }
        m_side_leave(&q->side[0], via, true);
        int r = put_now(q, len, seed);
        if (r != 1) {
            want = r;
        } else {
            if (fz_in_child())
                t = MP_NOWAIT; /* children never wait: see fuzz_api.c */
            if (t == MP_NOWAIT) {
                want = MP_EAGAIN;
            } else {
                fz_wait_begin(T_QUEUE, slot, t);
                mp_err_t got = mp_queue_put((mp_queue_t){id}, msg, len, t);
                if (fz_wait_end()) {
                    want = MP_ESTALE;
                } else {
                    fz_side_reenter(&q->side[0]);
                    r = put_now(q, len, seed);
                    want = r == 1 ? fz_timeout_code(t) : r;
                }
                fz_expect(want, got);
                return;
            }
        }
    }
    fz_expect(want, mp_queue_put((mp_queue_t){id}, msg, len, t));
}

static void q_put(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_QUEUE);
    int slot;
    mp_err_t look;
    m_queue_t *q = lookup(id, &slot, &look);
    uint8_t f = in_u8(in);
    size_t len = fz_len(in, q ? q->msg_size : 16);
    put_one(id, len, (f & 15) == 15, fz_timeout(in));
}

static void q_put_burst(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_QUEUE);
    int slot;
    mp_err_t look;
    m_queue_t *q = lookup(id, &slot, &look);
    uint32_t n = 1u + in_u8(in) % 64u;
    uint32_t max = q ? q->msg_size : 16;
    uint8_t f = in_u8(in);
    for (uint32_t i = 0; i < n; i++)
        put_one(id, f & 1 ? (size_t)(i * 7u) % (max + 1u) : f % (max + 1u), false, MP_NOWAIT);
}

/* get's outcome past the argument checks: MP_OK (popped into *len), MP_ETOOSMALL,
 * MP_ECLOSED, or 1 for "would wait". */
static int get_now(m_queue_t *q, size_t size, uint32_t *len, uint32_t *seed)
{
    if (m_fifo_head(&q->fifo, len, seed)) {
        if (*len > size)
            return MP_ETOOSMALL;
        m_fifo_pop(&q->fifo);
        return MP_OK;
    }
    return q->closed ? MP_ECLOSED : 1;
}

static size_t pick_size(in_t *in, const m_queue_t *q)
{
    uint32_t len = 0, seed;
    if (q)
        (void)m_fifo_head(&q->fifo, &len, &seed);
    switch (in_u8(in) % 8u) {
    case 0: return 0;
    case 1: return len > 0 ? len - 1u : 0;
    case 2: case 3: return len;
    case 4: return q ? q->msg_size : 64;
    case 5: return SIZE_MAX; /* never more than msg_size is written */
    case 6: return FZ_BUF;
    default: return in_u16(in);
    }
}

static void get_one(uint32_t id, size_t size, uint8_t f, mp_timeout_t t)
{
    int slot;
    mp_err_t look;
    m_queue_t *q = lookup(id, &slot, &look);
    bool no_buf = (f & 7) == 7, no_len = (f & 7) == 6;
    if (size > FZ_BUF && size != SIZE_MAX)
        size = FZ_BUF;
    uint8_t *buf = no_buf ? NULL : fz_buf_in();
    size_t got_len = 0x5a5a;
    fz_call("mp_queue_get", 4, (uint64_t)id, (uint64_t)size, (uint64_t)f, (uint64_t)t);
    mp_err_t want, got;
    uint32_t len = 0, seed = 0;
    if (q == NULL)
        want = look;
    else if (no_len || (no_buf && size > 0))
        want = MP_EINVAL;
    else if (fz_isr_refuses(t))
        want = MP_EISR;
    else {
        int via;
        if (!fz_side_enter(&q->side[1], &via))
            return;
        if (fz_reaches(MPI_HOOK_GET_INSIDE)) {
            m_side_leave(&q->side[1], via, false);
            fz_returned_instead_of_dying(
                mp_queue_get((mp_queue_t){id}, buf, size, no_len ? NULL : &got_len, t));
        }
        m_side_leave(&q->side[1], via, true);
        int r = get_now(q, size, &len, &seed);
        if (r == 1 && fz_in_child())
            t = MP_NOWAIT;
        if (r != 1)
            want = r;
        else if (t == MP_NOWAIT)
            want = MP_EAGAIN;
        else {
            fz_wait_begin(T_QUEUE, slot, t);
            got = mp_queue_get((mp_queue_t){id}, buf, size, no_len ? NULL : &got_len, t);
            if (fz_wait_end()) {
                /* destroyed meanwhile: its sleepers wake to MP_ESTALE (mpi_wait looks at
                 * the retirement before anything else), a message left in it or not */
                want = MP_ESTALE;
            } else {
                fz_side_reenter(&q->side[1]);
                r = get_now(q, size, &len, &seed);
                want = r == 1 ? fz_timeout_code(t) : r;
            }
            goto check;
        }
    }
    got = mp_queue_get((mp_queue_t){id}, buf, size, no_len ? NULL : &got_len, t);
check:
    fz_expect_message(want, got, len, got_len, buf, seed);
}

static void q_get(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_QUEUE);
    int slot;
    mp_err_t look;
    m_queue_t *q = lookup(id, &slot, &look);
    uint8_t f = in_u8(in);
    size_t size = pick_size(in, q);
    get_one(id, size, f, fz_timeout(in));
}

static void q_get_burst(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_QUEUE);
    uint32_t n = 1u + in_u8(in) % 64u;
    for (uint32_t i = 0; i < n; i++)
        get_one(id, FZ_BUF, 0, MP_NOWAIT);
}

static void q_counts(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_QUEUE);
    uint8_t f = in_u8(in);
    bool no_out = (f & 0x1c) == 0x1c;
    int slot;
    mp_err_t want;
    m_queue_t *q = lookup(id, &slot, &want);
    if (no_out && want == MP_OK)
        want = MP_EINVAL; /* after the handle, as every call */
    if (want == MP_OK && q->closed)
        want = MP_ECLOSED; /* a closed queue has no count to give */
    switch (f % 3u) {
    case 0: {
        size_t n = 777;
        fz_call("mp_queue_qsize", 2, (uint64_t)id, (uint64_t)no_out);
        fz_expect(want, mp_queue_qsize((mp_queue_t){id}, no_out ? NULL : &n));
        if (want == MP_OK)
            fz_expect_u("qsize", q->fifo.count, n);
        break;
    }
    case 1: {
        bool e = false;
        fz_call("mp_queue_empty", 2, (uint64_t)id, (uint64_t)no_out);
        fz_expect(want, mp_queue_empty((mp_queue_t){id}, no_out ? NULL : &e));
        if (want == MP_OK)
            fz_expect_u("empty", q->fifo.count == 0, e);
        break;
    }
    default: {
        bool full = false;
        fz_call("mp_queue_full", 2, (uint64_t)id, (uint64_t)no_out);
        fz_expect(want, mp_queue_full((mp_queue_t){id}, no_out ? NULL : &full));
        if (want == MP_OK)
            fz_expect_u("full", q->fifo.count >= q->depth, full);
        break;
    }
    }
}

static void q_close(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_QUEUE);
    fz_call("mp_queue_close", 1, (uint64_t)id);
    int slot;
    mp_err_t want;
    m_queue_t *q = lookup(id, &slot, &want);
    fz_expect(want, mp_queue_close((mp_queue_t){id}));
    if (q)
        q->closed = true;
}

static mp_err_t joinable(uint32_t id, m_queue_t **q, int *slot)
{
    mp_err_t err;
    *q = lookup(id, slot, &err);
    if (*q && !(*q)->joinable) {
        *q = NULL;
        return MP_ENOTJOINABLE;
    }
    return err;
}

static void q_task_done(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_QUEUE);
    uint32_t n = in_u8(in) < 200 ? 1u : 1u + in_u8(in) % 32u;
    for (uint32_t i = 0; i < n; i++) {
        fz_call("mp_queue_task_done", 1, (uint64_t)id);
        int slot;
        m_queue_t *q;
        mp_err_t want = joinable(id, &q, &slot);
        if (q && q->unfinished == 0)
            want = MP_ETOOMANY;
        fz_expect(want, mp_queue_task_done((mp_queue_t){id}));
        if (want == MP_OK)
            q->unfinished--;
    }
}

static void q_unfinished(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_QUEUE);
    bool no_out = in_u8(in) > 240;
    fz_call("mp_queue_unfinished", 2, (uint64_t)id, (uint64_t)no_out);
    int slot;
    m_queue_t *q;
    mp_err_t want = joinable(id, &q, &slot);
    if (want == MP_OK && no_out)
        want = MP_EINVAL; /* after the handle */
    size_t n = 777;
    fz_expect(want, mp_queue_unfinished((mp_queue_t){id}, no_out ? NULL : &n));
    if (want == MP_OK)
        fz_expect_u("unfinished", q->unfinished, n);
}

static void q_join(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_QUEUE);
    mp_timeout_t t = fz_timeout(in);
    int slot;
    m_queue_t *q;
    mp_err_t want = joinable(id, &q, &slot);
    if (want == MP_OK && q->unfinished > 0 && fz_in_child())
        t = MP_NOWAIT;
    fz_call("mp_queue_join", 2, (uint64_t)id, (uint64_t)t);
    if (fz_isr_refuses(t)) {
        fz_expect(MP_EISR, mp_queue_join((mp_queue_t){id}, t)); /* before the handle */
        return;
    }
    if (want == MP_OK && q->unfinished > 0) {
        if (t == MP_NOWAIT) {
            want = MP_EAGAIN;
        } else {
            fz_wait_begin(T_QUEUE, slot, t);
            mp_err_t got = mp_queue_join((mp_queue_t){id}, t);
            if (fz_wait_end())
                want = MP_ESTALE;
            else
                want = q->unfinished == 0 ? MP_OK : fz_timeout_code(t);
            fz_expect(want, got);
            return;
        }
    }
    fz_expect(want, mp_queue_join((mp_queue_t){id}, t));
}

/* The test hook that moves an empty queue's indices, so the index wrap is reached. */
static void q_seek(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_QUEUE);
    int slot;
    mp_err_t want;
    m_queue_t *q = lookup(id, &slot, &want);
    uint32_t limit = q ? q->limit : UINT32_MAX, index;
    uint8_t b = in_u8(in);
    switch (b % 6u) {
    case 0: index = limit; break;
    case 1: index = limit - (b >> 3); break;
    case 2: index = limit + 1u; break;
    case 3: index = 0; break;
    case 4: index = UINT32_MAX - (b >> 3); break;
    default: index = in_u32(in); break;
    }
    fz_call("test_queue_seek", 2, (uint64_t)id, (uint64_t)index);
    if (q && (q->fifo.count != 0 || index > q->limit))
        want = MP_EINVAL;
    fz_expect(want, test_queue_seek((mp_queue_t){id}, index));
    if (want == MP_OK)
        q->unfinished = 0; /* done and tail both move to index */
}

void fz_queue_cleanup(void)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_QUEUES; i++) {
        if (m.hdr[T_QUEUE][i].kind == 0)
            continue;
        uint32_t id = m_handle(T_QUEUE, (int)i);
        fz_call("cleanup: mp_queue_destroy", 1, (uint64_t)id);
        fz_expect(MP_OK, mp_queue_destroy((mp_queue_t){id}));
        destroyed((int)i);
    }
}

const fz_op_t fz_queue_ops[] = {
    {"queue_create", q_create, false, false},
    {"queue_create_static", q_create_static, false, false},
    {"queue_destroy", q_destroy, false, false},
    {"queue_put", q_put, false, true},
    {"queue_put", q_put, false, true},
    {"queue_put_burst", q_put_burst, false, true},
    {"queue_get", q_get, false, true},
    {"queue_get", q_get, false, true},
    {"queue_get_burst", q_get_burst, false, true},
    {"queue_counts", q_counts, false, true},
    {"queue_close", q_close, false, true},
    {"queue_task_done", q_task_done, false, true},
    {"queue_unfinished", q_unfinished, false, true},
    {"queue_join", q_join, false, true},
    {"queue_seek", q_seek, false, false},
};
const size_t fz_queue_nops = sizeof fz_queue_ops / sizeof fz_queue_ops[0];
