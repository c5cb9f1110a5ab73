/*
 * Bad input to Pipe, on every port: each row one call, its exact code, and nothing
 * changed (tests/support/badinput.h). Every pipe here was created by the main process,
 * which is therefore already the user of both its ends.
 */
#include "badinput_fixture.h"

/* ---- every call that takes a pipe end, with every bad handle ------------------------- */
#define CH ((mp_conn_t){bi_id})
static mp_err_t op_send(void) { return mp_pipe_send(CH, bi_in, 4, bi_timeout); }
static mp_err_t op_recv(void) { return mp_pipe_recv(CH, out.buf, sizeof out.buf, &out.len, bi_timeout); }
static mp_err_t op_poll(void) { return mp_pipe_poll(CH, bi_timeout, &out.flag); }
static mp_err_t op_close(void) { return mp_pipe_close(CH); }

static const bi_op_t ops[] = {
    {"mp_pipe_send", MPI_KIND_CONN, true, op_send},
    {"mp_pipe_recv", MPI_KIND_CONN, true, op_recv},
    {"mp_pipe_poll", MPI_KIND_CONN, true, op_poll},
    {"mp_pipe_close", MPI_KIND_CONN, false, op_close},
};

/* ---- pipes in the states the rows need ------------------------------------------------ */
static struct {
    mp_conn_t a, b;           /* duplex, 8-byte messages, depth 2, empty both ways */
    mp_conn_t ra, sb;         /* one-way: a receives, b sends */
    mp_conn_t fa, fb;         /* duplex, depth 1: a -> b full (b has a message waiting) */
    mp_conn_t half, closed;   /* duplex, closed's end closed: half's peer is gone */
} st;

static void undo_pipe(void)
{
    (void)mp_pipe_close(out.made.conn);
    (void)mp_pipe_close(out.made2.conn);
}

#define ATTR(...) (&(mp_pipe_attr_t){__VA_ARGS__})
/* A depth whose one ring of 8-byte messages takes three quarters of the arena: a duplex
 * pipe's two rings together are larger than the arena. (The 16-byte slot is the same on
 * every port: 8 + 4 rounds up to 16 both as a power of two and as whole 8-byte lines.)
 * An arena with room for one ring but not two is test_badinput_full.c's. */
#define DEPTH_3Q (MP_CONF_ARENA_SIZE / 16 / 4 * 3)
#define DEPTH_PAST_4G (UINT32_MAX / MP_QUEUE_SLOT_SIZE(MP_CONF_MAX_MSG_SIZE) + 1u)

#define PIPE_ROWS(X)                                                                          \
    /* create (attr NULL means duplex with the default shape: not an error) */                \
    X(c1, MP_EINVAL, 0, undo_pipe, mp_pipe_create(NULL, &out.made2.conn, NULL))               \
    X(c2, MP_EINVAL, 0, undo_pipe, mp_pipe_create(&out.made.conn, NULL, NULL))                \
    X(c3, MP_EINVAL, 0, undo_pipe, mp_pipe_create(&out.made.conn, &out.made2.conn, ATTR(.msg_size = MP_CONF_MAX_MSG_SIZE + 1))) \
    X(c4, MP_EINVAL, 0, undo_pipe, mp_pipe_create(&out.made.conn, &out.made2.conn, ATTR(.msg_size = UINT32_MAX, .duplex = true))) \
    X(c5, MP_EINVAL, 0, undo_pipe, mp_pipe_create(&out.made.conn, &out.made2.conn, ATTR(.msg_size = UINT32_MAX - 3))) \
    X(c6, MP_ENOMEM, 0, undo_pipe, mp_pipe_create(&out.made.conn, &out.made2.conn, ATTR(.depth = UINT32_MAX))) \
    X(c7, MP_ENOMEM, 0, undo_pipe, mp_pipe_create(&out.made.conn, &out.made2.conn, ATTR(.msg_size = 60, .depth = 1u << 26))) \
    X(c8, MP_ENOMEM, 0, undo_pipe, mp_pipe_create(&out.made.conn, &out.made2.conn, ATTR(.msg_size = MP_CONF_MAX_MSG_SIZE, .depth = DEPTH_PAST_4G))) \
    X(c9, MP_ENOMEM, 0, undo_pipe, mp_pipe_create(&out.made.conn, &out.made2.conn, ATTR(.msg_size = 8, .depth = MP_CONF_ARENA_SIZE / 16 + 1))) \
    X(c10, MP_ENOMEM, 0, undo_pipe, mp_pipe_create(&out.made.conn, &out.made2.conn, ATTR(.msg_size = 8, .depth = DEPTH_3Q, .duplex = true))) \
    /* send */                                                                                \
    X(s1, MP_EREADONLY, 0, NULL, mp_pipe_send(st.ra, bi_in, 4, MP_NOWAIT))                    \
    X(s2, MP_EREADONLY, 0, NULL, mp_pipe_send(st.ra, bi_in, 4, MP_FOREVER))                   \
    X(s3, MP_EINVAL, 0, NULL, mp_pipe_send(st.a, NULL, 3, MP_NOWAIT))                         \
    X(s4, MP_EINVAL, 0, NULL, mp_pipe_send(st.sb, NULL, SIZE_MAX, MP_FOREVER))                \
    X(s5, MP_EMSGSIZE, 0, NULL, mp_pipe_send(st.a, bi_in, 9, MP_NOWAIT))                      \
    X(s6, MP_EMSGSIZE, 0, NULL, mp_pipe_send(st.fa, bi_in, SIZE_MAX, (mp_timeout_t)-5))       \
    X(s7, MP_EAGAIN, BI_RING_CACHE, NULL, mp_pipe_send(st.fa, bi_in, 4, MP_NOWAIT))           \
    X(s8, MP_ETIMEDOUT, BI_WAITS | BI_RING_CACHE, NULL, mp_pipe_send(st.fa, bi_in, 4, 1))     \
    X(s9, MP_EOF, 0, NULL, mp_pipe_send(st.half, bi_in, 4, MP_NOWAIT))            \
    X(s10, MP_EOF, 0, NULL, mp_pipe_send(st.half, bi_in, 4, MP_FOREVER))          \
    X(s11, MP_ECLOSED, 0, NULL, mp_pipe_send(st.closed, bi_in, 4, MP_FOREVER))                \
    /* recv */                                                                                \
    X(r1, MP_EWRITEONLY, 0, NULL, mp_pipe_recv(st.sb, out.buf, sizeof out.buf, &out.len, MP_NOWAIT)) \
    X(r2, MP_EWRITEONLY, 0, NULL, mp_pipe_recv(st.sb, out.buf, sizeof out.buf, &out.len, MP_FOREVER)) \
    X(r3, MP_EINVAL, 0, NULL, mp_pipe_recv(st.fb, out.buf, sizeof out.buf, NULL, MP_NOWAIT))  \
    X(r4, MP_EINVAL, 0, NULL, mp_pipe_recv(st.fb, NULL, 8, &out.len, MP_FOREVER))             \
    X(r5, MP_EAGAIN, BI_RING_CACHE, NULL, mp_pipe_recv(st.a, out.buf, sizeof out.buf, &out.len, MP_NOWAIT)) \
    X(r6, MP_EAGAIN, BI_RING_CACHE, NULL, mp_pipe_recv(st.ra, out.buf, sizeof out.buf, &out.len, MP_NOWAIT)) \
    X(r7, MP_ETIMEDOUT, BI_WAITS | BI_RING_CACHE, NULL, mp_pipe_recv(st.b, out.buf, sizeof out.buf, &out.len, 1)) \
    X(r8, MP_ETOOSMALL, BI_RING_CACHE | BI_OUT_LEN, NULL, mp_pipe_recv(st.fb, out.buf, 3, &out.len, MP_NOWAIT)) \
    X(r9, MP_ETOOSMALL, BI_RING_CACHE | BI_OUT_LEN, NULL, mp_pipe_recv(st.fb, NULL, 0, &out.len, MP_FOREVER)) \
    X(r10, MP_EOF, BI_RING_CACHE, NULL, mp_pipe_recv(st.half, out.buf, sizeof out.buf, &out.len, MP_FOREVER)) \
    X(r11, MP_ECLOSED, 0, NULL, mp_pipe_recv(st.closed, out.buf, sizeof out.buf, &out.len, MP_NOWAIT)) \
    /* poll */                                                                                \
    X(p1, MP_EINVAL, 0, NULL, mp_pipe_poll(st.a, MP_NOWAIT, NULL))                            \
    X(p2, MP_EINVAL, 0, NULL, mp_pipe_poll(st.fb, MP_FOREVER, NULL))                          \
    X(p3, MP_EWRITEONLY, 0, NULL, mp_pipe_poll(st.sb, MP_FOREVER, &out.flag))                 \
    X(p4, MP_ECLOSED, 0, NULL, mp_pipe_poll(st.closed, MP_FOREVER, &out.flag))                \
    /* close */                                                                               \
    X(x1, MP_ECLOSED, 0, NULL, mp_pipe_close(st.closed))

PIPE_ROWS(BI_FN)
static const bi_row_t rows[] = {PIPE_ROWS(BI_ENTRY)};

/* Each ring side is used once first: the first operation on a side biases it to its
 * caller (ring.c), successful or not; the rows then see that already done. */
static void round_trip(mp_conn_t from, mp_conn_t to)
{
    uint8_t m[8] = {0};
    size_t len;
    OK(mp_pipe_send(from, m, sizeof m, MP_NOWAIT));
    OK(mp_pipe_recv(to, m, sizeof m, &len, MP_NOWAIT));
}

static void make_states(void)
{
    OK(mp_pipe_create(&st.a, &st.b, ATTR(.duplex = true, .msg_size = 8, .depth = 2)));
    round_trip(st.a, st.b);
    round_trip(st.b, st.a);
    OK(mp_pipe_create(&st.ra, &st.sb, ATTR(.duplex = false, .msg_size = 8, .depth = 2)));
    round_trip(st.sb, st.ra);
    OK(mp_pipe_create(&st.fa, &st.fb, ATTR(.duplex = true, .msg_size = 8, .depth = 1)));
    round_trip(st.fa, st.fb);
    OK(mp_pipe_send(st.fa, bi_in, 8, MP_NOWAIT));
    OK(mp_pipe_create(&st.half, &st.closed, ATTR(.duplex = true, .msg_size = 8, .depth = 2)));
    round_trip(st.half, st.closed);
    round_trip(st.closed, st.half);
    OK(mp_pipe_close(st.closed));
}

static void free_states(void)
{
    OK(mp_pipe_close(st.a));
    OK(mp_pipe_close(st.b));
    OK(mp_pipe_close(st.ra));
    OK(mp_pipe_close(st.sb));
    OK(mp_pipe_close(st.fa));
    OK(mp_pipe_close(st.fb));
    OK(mp_pipe_close(st.half));
}

int main(void)
{
    return bi_main(&(bi_suite_t){.name = "pipe", .noun = "pipe",
                                 .ops = ops, .n_ops = BI_COUNT(ops),
                                 .rows = rows, .n_rows = BI_COUNT(rows),
                                 .make_states = make_states, .free_states = free_states});
}
