/*
 * Bad input to Queue and JoinableQueue, on every port: each row one call, its exact code,
 * and nothing changed (tests/support/badinput.h).
 */
#include "badinput_fixture.h"

/* ---- every call that takes a queue, with every bad handle ---------------------------- */
#define QH ((mp_queue_t){bi_id})
static mp_err_t op_destroy(void) { return mp_queue_destroy(QH); }
static mp_err_t op_put(void) { return mp_queue_put(QH, bi_in, 4, bi_timeout); }
static mp_err_t op_get(void) { return mp_queue_get(QH, out.buf, sizeof out.buf, &out.len, bi_timeout); }
static mp_err_t op_qsize(void) { return mp_queue_qsize(QH, &out.len); }
static mp_err_t op_empty(void) { return mp_queue_empty(QH, &out.flag); }
static mp_err_t op_full(void) { return mp_queue_full(QH, &out.flag); }
static mp_err_t op_close(void) { return mp_queue_close(QH); }
static mp_err_t op_shutdown(void) { return mp_queue_shutdown(QH, true); }
static mp_err_t op_task_done(void) { return mp_queue_task_done(QH); }
static mp_err_t op_join(void) { return mp_queue_join(QH, bi_timeout); }
static mp_err_t op_unfinished(void) { return mp_queue_unfinished(QH, &out.len); }

static const bi_op_t ops[] = {
    {"mp_queue_destroy", MPI_KIND_QUEUE, false, op_destroy},
    {"mp_queue_put", MPI_KIND_QUEUE, true, op_put},
    {"mp_queue_get", MPI_KIND_QUEUE, true, op_get},
    {"mp_queue_qsize", MPI_KIND_QUEUE, false, op_qsize},
    {"mp_queue_empty", MPI_KIND_QUEUE, false, op_empty},
    {"mp_queue_full", MPI_KIND_QUEUE, false, op_full},
    {"mp_queue_close", MPI_KIND_QUEUE, false, op_close},
    {"mp_queue_shutdown", MPI_KIND_QUEUE, false, op_shutdown},
    {"mp_queue_task_done", MPI_KIND_QUEUE, false, op_task_done},
    {"mp_queue_join", MPI_KIND_QUEUE, true, op_join},
    {"mp_queue_unfinished", MPI_KIND_QUEUE, false, op_unfinished},
};

/* ---- queues in the states the rows need ---------------------------------------------- */
static struct {
    mp_queue_t plain;   /* empty, 8-byte messages, depth 2 */
    mp_queue_t full;    /* 2 messages of 8 bytes */
    mp_queue_t closed;  /* closed and drained */
    mp_queue_t done;    /* joinable, every task done */
    mp_queue_t pending; /* joinable, one task not done */
} st;

/* A static definition's storage: in the world section, as MP_QUEUE_DEFINE puts it. */
static MP_SHARED _Alignas(MP_PORT_CACHE_LINE) uint8_t storage64[64];
static MP_SHARED _Alignas(MP_PORT_CACHE_LINE) uint8_t storage_fit[MP_QUEUE_STORAGE_SIZE(8, 2)];
#define DEF(storage, size, msg, depth) (&(mp_queue_static_t){(storage), (size), (msg), (depth)})

static void undo_queue(void)
{
    (void)mp_queue_destroy(out.made.queue);
}

/* Shapes whose storage size does not fit in 32 bits (MP_QUEUE_STORAGE_SIZE is 32-bit):
 * slot 64 x 2^26 wraps to exactly 0, slot 8 x 2^29 too, and slot 64 x (2^26 + 1) to 64,
 * which a 64-byte buffer "holds". Slot sizes are the same on every port (60 + 4 = 64 is
 * whole lines of 8 and of 64; 4 + 4 = 8). */
#define WRAPS_TO_0 (1u << 26)
#define WRAPS_TO_64 ((1u << 26) + 1u)
/* The smallest depth whose storage passes 2^32 for the largest message. */
#define DEPTH_PAST_4G (UINT32_MAX / MP_QUEUE_SLOT_SIZE(MP_CONF_MAX_MSG_SIZE) + 1u)

#define QUEUE_ROWS(X)                                                                         \
    /* create: arena-backed */                                                                \
    X(c1, MP_EINVAL, 0, undo_queue, mp_queue_create(NULL, &(mp_queue_attr_t){.msg_size = 8, .depth = 2})) \
    X(c2, MP_EINVAL, 0, undo_queue, mp_queue_create(&out.made.queue, NULL))                   \
    X(c3, MP_EINVAL, 0, undo_queue, mp_queue_create(&out.made.queue, &(mp_queue_attr_t){.msg_size = 0, .depth = 2})) \
    X(c4, MP_EINVAL, 0, undo_queue, mp_queue_create(&out.made.queue, &(mp_queue_attr_t){.msg_size = 8, .depth = 0})) \
    X(c5, MP_EINVAL, 0, undo_queue, mp_queue_create(&out.made.queue, &(mp_queue_attr_t){.msg_size = MP_CONF_MAX_MSG_SIZE + 1, .depth = 1})) \
    X(c6, MP_EINVAL, 0, undo_queue, mp_queue_create(&out.made.queue, &(mp_queue_attr_t){.msg_size = UINT32_MAX, .depth = 1})) \
    X(c7, MP_EINVAL, 0, undo_queue, mp_queue_create(&out.made.queue, &(mp_queue_attr_t){.msg_size = UINT32_MAX - 3, .depth = 1})) \
    X(c8, MP_ENOMEM, 0, undo_queue, mp_queue_create(&out.made.queue, &(mp_queue_attr_t){.msg_size = 8, .depth = MP_CONF_ARENA_SIZE / 16 + 1})) \
    X(c9, MP_ENOMEM, 0, undo_queue, mp_queue_create(&out.made.queue, &(mp_queue_attr_t){.msg_size = 1, .depth = UINT32_MAX})) \
    X(c10, MP_ENOMEM, 0, undo_queue, mp_queue_create(&out.made.queue, &(mp_queue_attr_t){.msg_size = MP_CONF_MAX_MSG_SIZE, .depth = DEPTH_PAST_4G})) \
    X(c11, MP_ENOMEM, 0, undo_queue, mp_queue_create(&out.made.queue, &(mp_queue_attr_t){.msg_size = 60, .depth = WRAPS_TO_0})) \
    X(c12, MP_ENOMEM, 0, undo_queue, mp_queue_create(&out.made.queue, &(mp_queue_attr_t){.msg_size = 60, .depth = WRAPS_TO_64, .joinable = true})) \
    /* create: static storage */                                                              \
    X(s1, MP_EINVAL, 0, undo_queue, mp_queue_create_static(NULL, DEF(storage_fit, sizeof storage_fit, 8, 2), false)) \
    X(s2, MP_EINVAL, 0, undo_queue, mp_queue_create_static(&out.made.queue, NULL, false))    \
    X(s3, MP_EINVAL, 0, undo_queue, mp_queue_create_static(&out.made.queue, DEF(NULL, sizeof storage_fit, 8, 2), false)) \
    X(s4, MP_EINVAL, 0, undo_queue, mp_queue_create_static(&out.made.queue, DEF(storage_fit, sizeof storage_fit, 0, 2), false)) \
    X(s5, MP_EINVAL, 0, undo_queue, mp_queue_create_static(&out.made.queue, DEF(storage_fit, sizeof storage_fit, 8, 0), false)) \
    X(s6, MP_EINVAL, 0, undo_queue, mp_queue_create_static(&out.made.queue, DEF(storage_fit, sizeof storage_fit, MP_CONF_MAX_MSG_SIZE + 1, 1), true)) \
    X(s7, MP_EINVAL, 0, undo_queue, mp_queue_create_static(&out.made.queue, DEF(storage_fit, sizeof storage_fit - 1, 8, 2), false)) \
    X(s8, MP_EINVAL, 0, undo_queue, mp_queue_create_static(&out.made.queue, DEF(storage_fit, 0, 8, 2), false)) \
    X(s9, MP_EINVAL, 0, undo_queue, mp_queue_create_static(&out.made.queue, DEF(storage_fit, sizeof storage_fit, 8, 3), false)) \
    X(s10, MP_EINVAL, 0, undo_queue, mp_queue_create_static(&out.made.queue, DEF(storage64, 64, 1, UINT32_MAX), false)) \
    /* issue 7 defect 1: storage sizes computed in 32 bits wrap and pass the check */        \
    X(s11, MP_EINVAL, 0, undo_queue, mp_queue_create_static(&out.made.queue, DEF(storage64, 64, 60, WRAPS_TO_0), false)) \
    X(s12, MP_EINVAL, 0, undo_queue, mp_queue_create_static(&out.made.queue, DEF(storage64, 64, 60, WRAPS_TO_64), true)) \
    X(s13, MP_EINVAL, 0, undo_queue, mp_queue_create_static(&out.made.queue, DEF(storage64, 64, 4, 1u << 29), false)) \
    /* put */                                                                                 \
    X(p1, MP_EINVAL, 0, NULL, mp_queue_put(st.plain, NULL, 3, MP_NOWAIT))                     \
    X(p2, MP_EINVAL, 0, NULL, mp_queue_put(st.plain, NULL, 3, MP_FOREVER))                    \
    X(p3, MP_EINVAL, 0, NULL, mp_queue_put(st.full, NULL, 1, 1))                              \
    X(p4, MP_EMSGSIZE, 0, NULL, mp_queue_put(st.plain, bi_in, 9, MP_NOWAIT))                  \
    X(p5, MP_EMSGSIZE, 0, NULL, mp_queue_put(st.plain, bi_in, SIZE_MAX, MP_FOREVER))          \
    X(p6, MP_EMSGSIZE, 0, NULL, mp_queue_put(st.full, bi_in, 9, (mp_timeout_t)-5))            \
    X(p7, MP_EMSGSIZE, 0, NULL, mp_queue_put(st.closed, bi_in, 9, MP_NOWAIT))                 \
    X(p8, MP_ECLOSED, 0, NULL, mp_queue_put(st.closed, bi_in, 4, MP_NOWAIT))                  \
    X(p9, MP_ECLOSED, 0, NULL, mp_queue_put(st.closed, bi_in, 0, MP_FOREVER))                 \
    X(p10, MP_EAGAIN, BI_RING_CACHE, NULL, mp_queue_put(st.full, bi_in, 4, MP_NOWAIT))                     \
    X(p11, MP_EAGAIN, BI_RING_CACHE, NULL, mp_queue_put(st.full, NULL, 0, MP_NOWAIT))                      \
    X(p12, MP_ETIMEDOUT, BI_WAITS | BI_RING_CACHE, NULL, mp_queue_put(st.full, bi_in, 4, 1))                  \
    /* get */                                                                                 \
    X(g1, MP_EINVAL, 0, NULL, mp_queue_get(st.full, out.buf, sizeof out.buf, NULL, MP_NOWAIT)) \
    X(g2, MP_EINVAL, 0, NULL, mp_queue_get(st.plain, out.buf, sizeof out.buf, NULL, MP_FOREVER)) \
    X(g3, MP_EINVAL, 0, NULL, mp_queue_get(st.full, NULL, 8, &out.len, MP_NOWAIT))            \
    X(g4, MP_EINVAL, 0, NULL, mp_queue_get(st.plain, NULL, SIZE_MAX, &out.len, (mp_timeout_t)-5)) \
    X(g5, MP_EAGAIN, BI_RING_CACHE, NULL, mp_queue_get(st.plain, out.buf, sizeof out.buf, &out.len, MP_NOWAIT)) \
    X(g6, MP_ETIMEDOUT, BI_WAITS | BI_RING_CACHE, NULL, mp_queue_get(st.plain, out.buf, sizeof out.buf, &out.len, 1)) \
    X(g7, MP_ETOOSMALL, BI_RING_CACHE | BI_OUT_LEN, NULL, mp_queue_get(st.full, out.buf, 7, &out.len, MP_NOWAIT)) \
    X(g8, MP_ETOOSMALL, BI_RING_CACHE | BI_OUT_LEN, NULL, mp_queue_get(st.full, NULL, 0, &out.len, MP_FOREVER)) \
    X(g9, MP_ETOOSMALL, BI_RING_CACHE | BI_OUT_LEN, NULL, mp_queue_get(st.full, out.buf, 0, &out.len, 7))     \
    X(g10, MP_ECLOSED, BI_RING_CACHE, NULL, mp_queue_get(st.closed, out.buf, sizeof out.buf, &out.len, MP_NOWAIT)) \
    X(g11, MP_ECLOSED, BI_RING_CACHE, NULL, mp_queue_get(st.closed, out.buf, sizeof out.buf, &out.len, MP_FOREVER)) \
    /* counts */                                                                              \
    X(n1, MP_EINVAL, 0, NULL, mp_queue_qsize(st.full, NULL))                                  \
    X(n2, MP_EINVAL, 0, NULL, mp_queue_empty(st.full, NULL))                                  \
    X(n3, MP_EINVAL, 0, NULL, mp_queue_full(st.full, NULL))                                   \
    X(nc1, MP_ECLOSED, 0, NULL, mp_queue_qsize(st.closed, &out.len))                           \
    X(nc2, MP_ECLOSED, 0, NULL, mp_queue_empty(st.closed, &out.flag))                          \
    X(nc3, MP_ECLOSED, 0, NULL, mp_queue_full(st.closed, &out.flag))                           \
    X(n4, MP_EINVAL, 0, NULL, mp_queue_unfinished(st.pending, NULL))                          \
    /* JoinableQueue calls on a plain queue, and its wrong states */                          \
    X(j1, MP_ENOTJOINABLE, 0, NULL, mp_queue_task_done(st.full))                                   \
    X(j2, MP_ENOTJOINABLE, 0, NULL, mp_queue_join(st.full, MP_NOWAIT))                             \
    X(j3, MP_ENOTJOINABLE, 0, NULL, mp_queue_join(st.full, MP_FOREVER))                            \
    X(j4, MP_ENOTJOINABLE, 0, NULL, mp_queue_unfinished(st.plain, &out.len))                       \
    X(j5, MP_ETOOMANY, 0, NULL, mp_queue_task_done(st.done))                                  \
    X(j6, MP_EAGAIN, 0, NULL, mp_queue_join(st.pending, MP_NOWAIT))                        \
    X(j7, MP_ETIMEDOUT, BI_WAITS, NULL, mp_queue_join(st.pending, 1))

QUEUE_ROWS(BI_FN)
static const bi_row_t rows[] = {QUEUE_ROWS(BI_ENTRY)};

/* The rows' queues. Each side is used once first: the first operation on a side biases
 * it to its caller (ring.c), successful or not; the rows then see that already done. */
static void make_states(void)
{
    uint8_t m[8] = {0};
    size_t len;
    OK(mp_queue_create(&st.plain, &(mp_queue_attr_t){.msg_size = 8, .depth = 2}));
    OK(mp_queue_put(st.plain, m, 8, MP_NOWAIT));
    OK(mp_queue_get(st.plain, m, 8, &len, MP_NOWAIT));
    OK(mp_queue_create(&st.full, &(mp_queue_attr_t){.msg_size = 8, .depth = 2}));
    OK(mp_queue_put(st.full, m, 8, MP_NOWAIT));
    OK(mp_queue_get(st.full, m, 8, &len, MP_NOWAIT));
    OK(mp_queue_put(st.full, m, 8, MP_NOWAIT));
    OK(mp_queue_put(st.full, m, 8, MP_NOWAIT));
    OK(mp_queue_create(&st.closed, &(mp_queue_attr_t){.msg_size = 8, .depth = 2}));
    OK(mp_queue_put(st.closed, m, 8, MP_NOWAIT));
    OK(mp_queue_get(st.closed, m, 8, &len, MP_NOWAIT));
    OK(mp_queue_close(st.closed));
    OK(mp_queue_create(&st.done, &(mp_queue_attr_t){.msg_size = 8, .depth = 2, .joinable = true}));
    OK(mp_queue_put(st.done, m, 8, MP_NOWAIT));
    OK(mp_queue_get(st.done, m, 8, &len, MP_NOWAIT));
    OK(mp_queue_task_done(st.done));
    OK(mp_queue_create(&st.pending, &(mp_queue_attr_t){.msg_size = 8, .depth = 2, .joinable = true}));
    OK(mp_queue_put(st.pending, m, 8, MP_NOWAIT));
    OK(mp_queue_get(st.pending, m, 8, &len, MP_NOWAIT));
}

static void free_states(void)
{
    OK(mp_queue_destroy(st.plain));
    OK(mp_queue_destroy(st.full));
    OK(mp_queue_destroy(st.closed));
    OK(mp_queue_destroy(st.done));
    OK(mp_queue_destroy(st.pending));
}

int main(void)
{
    return bi_main(&(bi_suite_t){.name = "queue", .noun = "queue",
                                 .ops = ops, .n_ops = BI_COUNT(ops),
                                 .rows = rows, .n_rows = BI_COUNT(rows),
                                 .make_states = make_states, .free_states = free_states});
}
