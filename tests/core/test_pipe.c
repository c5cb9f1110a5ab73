/*
 * Pipe: message boundaries, one-way ends, poll, short buffers, and end of file when the
 * peer end is closed or its process dies, never a hang.
 */
#include "mp_test.h"

static void test_duplex_keeps_boundaries_both_ways(void **state)
{
    (void)state;
    mp_conn_t a, b;
    OK(mp_pipe_create(&a, &b, NULL));
    OK(mp_pipe_send(a, "one", 3, MP_NOWAIT));
    OK(mp_pipe_send(a, "", 0, MP_NOWAIT)); /* empty messages are messages */
    OK(mp_pipe_send(a, "three", 5, MP_NOWAIT));
    OK(mp_pipe_send(b, "back", 4, MP_NOWAIT));
    char buf[16];
    size_t len;
    OK(mp_pipe_recv(b, buf, sizeof buf, &len, MP_NOWAIT));
    assert_int_equal(3, len);
    assert_memory_equal("one", buf, 3);
    OK(mp_pipe_recv(b, buf, sizeof buf, &len, MP_NOWAIT));
    assert_int_equal(0, len);
    OK(mp_pipe_recv(b, buf, sizeof buf, &len, MP_NOWAIT));
    assert_int_equal(5, len);
    assert_memory_equal("three", buf, 5);
    OK(mp_pipe_recv(a, buf, sizeof buf, &len, MP_NOWAIT));
    assert_memory_equal("back", buf, 4);
    OK(mp_pipe_close(a));
    OK(mp_pipe_close(b));
}

static void test_recv_without_wait_on_an_emptied_pipe_fails_at_once(void **state)
{
    (void)state;
    mp_conn_t a, b;
    OK(mp_pipe_create(&a, &b, NULL));
    OK(mp_pipe_send(a, "one", 3, MP_NOWAIT));
    char buf[16];
    size_t len;
    OK(mp_pipe_recv(b, buf, sizeof buf, &len, MP_NOWAIT));
    assert_int_equal(MP_EAGAIN, mp_pipe_recv(b, buf, sizeof buf, &len, MP_NOWAIT));
    OK(mp_pipe_close(a));
    OK(mp_pipe_close(b));
}

static void test_one_way_ends(void **state)
{
    (void)state;
    mp_conn_t r, w;
    OK(mp_pipe_create(&r, &w, &(mp_pipe_attr_t){.duplex = false}));
    char buf[8];
    size_t len;
    assert_int_equal(MP_EREADONLY, mp_pipe_send(r, "x", 1, MP_NOWAIT));
    assert_int_equal(MP_EWRITEONLY, mp_pipe_recv(w, buf, sizeof buf, &len, MP_NOWAIT));
    bool ready;
    assert_int_equal(MP_EWRITEONLY, mp_pipe_poll(w, MP_NOWAIT, &ready));
    OK(mp_pipe_send(w, "x", 1, MP_NOWAIT));
    OK(mp_pipe_recv(r, buf, sizeof buf, &len, MP_NOWAIT));
    assert_int_equal(1, len);
    OK(mp_pipe_close(r));
    OK(mp_pipe_close(w));
}

static void test_poll_on_an_empty_pipe_says_not_ready(void **state)
{
    (void)state;
    mp_conn_t a, b;
    OK(mp_pipe_create(&a, &b, NULL));
    bool ready = true;
    OK(mp_pipe_poll(b, MP_NOWAIT, &ready));
    assert_false(ready);
    OK(mp_pipe_poll(b, 20, &ready));
    assert_false(ready);
    OK(mp_pipe_close(a));
    OK(mp_pipe_close(b));
}

static void test_poll_does_not_consume(void **state)
{
    (void)state;
    mp_conn_t a, b;
    OK(mp_pipe_create(&a, &b, NULL));
    bool ready = false;
    OK(mp_pipe_send(a, "hi", 2, MP_NOWAIT));
    OK(mp_pipe_poll(b, MP_FOREVER, &ready));
    assert_true(ready);
    OK(mp_pipe_poll(b, MP_NOWAIT, &ready));
    assert_true(ready); /* still there */
    char buf[4];
    size_t len;
    OK(mp_pipe_recv(b, buf, sizeof buf, &len, MP_NOWAIT));
    assert_int_equal(2, len);
    OK(mp_pipe_close(a));
    OK(mp_pipe_close(b));
}

/* A duplex pipe of two 8-byte messages, and a's side filled: an 8-byte message and "x". */
static void small_full_pipe(mp_conn_t *a, mp_conn_t *b)
{
    OK(mp_pipe_create(a, b, &(mp_pipe_attr_t){.duplex = true, .msg_size = 8, .depth = 2}));
    OK(mp_pipe_send(*a, "12345678", 8, MP_NOWAIT));
    OK(mp_pipe_send(*a, "x", 1, MP_NOWAIT));
}

static void test_a_message_larger_than_msg_size_is_refused(void **state)
{
    (void)state;
    mp_conn_t a, b;
    OK(mp_pipe_create(&a, &b, &(mp_pipe_attr_t){.duplex = true, .msg_size = 8, .depth = 2}));
    assert_int_equal(MP_EMSGSIZE, mp_pipe_send(a, "123456789", 9, MP_NOWAIT));
    OK(mp_pipe_send(a, "12345678", 8, MP_NOWAIT)); /* msg_size itself fits */
    OK(mp_pipe_close(a));
    OK(mp_pipe_close(b));
}

static void test_send_to_a_full_pipe_fails_at_once_or_at_its_deadline(void **state)
{
    (void)state;
    mp_conn_t a, b;
    small_full_pipe(&a, &b);
    assert_int_equal(MP_EAGAIN, mp_pipe_send(a, "y", 1, MP_NOWAIT)); /* full */
    assert_int_equal(MP_ETIMEDOUT, mp_pipe_send(a, "y", 1, 20));
    OK(mp_pipe_close(a));
    OK(mp_pipe_close(b));
}

static void test_recv_into_a_short_buffer_reports_the_size_and_leaves_the_message(void **state)
{
    (void)state;
    mp_conn_t a, b;
    char buf[8];
    size_t len = 0;
    small_full_pipe(&a, &b);
    assert_int_equal(MP_ETOOSMALL, mp_pipe_recv(b, buf, 4, &len, MP_NOWAIT));
    assert_int_equal(8, len);
    OK(mp_pipe_recv(b, buf, sizeof buf, &len, MP_NOWAIT));
    assert_memory_equal("12345678", buf, 8);
    OK(mp_pipe_close(a));
    OK(mp_pipe_close(b));
}

static void test_closed_peer_gives_the_rest_then_eof(void **state)
{
    (void)state;
    mp_conn_t a, b;
    OK(mp_pipe_create(&a, &b, NULL));
    OK(mp_pipe_send(a, "last", 4, MP_NOWAIT));
    OK(mp_pipe_close(a));
    char buf[8];
    size_t len;
    OK(mp_pipe_recv(b, buf, sizeof buf, &len, MP_FOREVER));
    assert_memory_equal("last", buf, 4);
    assert_int_equal(MP_EOF, mp_pipe_recv(b, buf, sizeof buf, &len, MP_FOREVER));
    OK(mp_pipe_close(b));
}

/* A pipe whose end a was closed after sending one message, which b has received: b is at
 * EOF. */
static void at_eof(mp_conn_t *a, mp_conn_t *b)
{
    OK(mp_pipe_create(a, b, NULL));
    OK(mp_pipe_send(*a, "last", 4, MP_NOWAIT));
    OK(mp_pipe_close(*a));
    char buf[8];
    size_t len;
    OK(mp_pipe_recv(*b, buf, sizeof buf, &len, MP_FOREVER));
    assert_int_equal(MP_EOF, mp_pipe_recv(*b, buf, sizeof buf, &len, MP_FOREVER));
}

static void test_poll_at_eof_says_ready(void **state)
{
    (void)state;
    mp_conn_t a, b;
    at_eof(&a, &b);
    bool ready = false;
    OK(mp_pipe_poll(b, MP_FOREVER, &ready));
    assert_true(ready); /* at EOF, recv would not block */
    OK(mp_pipe_close(b));
}

static void test_send_to_a_closed_peer_is_eof(void **state)
{
    (void)state;
    mp_conn_t a, b;
    at_eof(&a, &b);
    assert_int_equal(MP_EOF, mp_pipe_send(b, "x", 1, MP_FOREVER)); /* nobody will read */
    OK(mp_pipe_close(b));
}

static void test_send_on_a_closed_end_is_refused(void **state)
{
    (void)state;
    mp_conn_t a, b;
    at_eof(&a, &b);
    assert_int_equal(MP_ECLOSED, mp_pipe_send(a, "x", 1, MP_NOWAIT));
    OK(mp_pipe_close(b));
}

static void test_closing_both_ends_frees_the_pipe(void **state)
{
    (void)state;
    mp_conn_t a, b;
    char buf[8];
    size_t len;
    at_eof(&a, &b);
    OK(mp_pipe_close(b)); /* both closed: the pipe is freed */
    assert_int_equal(MP_ESTALE, mp_pipe_recv(b, buf, sizeof buf, &len, MP_NOWAIT));
}

typedef struct {
    mp_conn_t end;
    uint32_t count;
    int how; /* 0 return without closing, 1 close, 2 hang until killed */
} sender_arg_t;

static int sender(void *arg)
{
    sender_arg_t *s = arg;
    for (uint32_t i = 0; i < s->count; i++)
        if (mp_pipe_send(s->end, &i, sizeof i, MP_FOREVER) != MP_OK)
            return 1;
    if (s->how == 1)
        mp_pipe_close(s->end);
    if (s->how == 2) {
        uint32_t v;
        size_t len;
        mp_pipe_recv(s->end, &v, sizeof v, &len, MP_FOREVER); /* nobody sends: blocks */
    }
    return 0;
}

static void peer_ends(int how)
{
    mp_conn_t mine, theirs;
    OK(mp_pipe_create(&mine, &theirs, NULL));
    mp_process_t p = spawn(sender, &(sender_arg_t){theirs, 5, how}, sizeof(sender_arg_t),
                           MP_DAEMON_NO);
    uint32_t v;
    size_t len;
    for (uint32_t i = 0; i < 5; i++) {
        OK(mp_pipe_recv(mine, &v, sizeof v, &len, MP_FOREVER));
        assert_int_equal(i, v);
    }
    if (how == 2) {
        OK(mp_process_kill(p));
        assert_int_equal(-MP_SIGKILL, reap(p));
    }
    /* nothing more will come: EOF, not a hang */
    assert_int_equal(MP_EOF, mp_pipe_recv(mine, &v, sizeof v, &len, MP_FOREVER));
    if (how != 2)
        assert_int_equal(0, reap(p));
    OK(mp_pipe_close(mine));
    if (how != 1)
        OK(mp_pipe_close(theirs));
}

static void test_eof_when_the_peer_returns_without_closing(void **state)
{
    (void)state;
    peer_ends(0);
}

static void test_eof_when_the_peer_closes(void **state)
{
    (void)state;
    peer_ends(1);
}

static void test_eof_when_the_peer_is_killed(void **state)
{
    (void)state;
    peer_ends(2);
}

typedef struct {
    mp_conn_t end;
    test_signal_t ready;
} waiter_arg_t;

static int recv_until_eof(void *arg)
{
    waiter_arg_t *w = arg;
    bool ready;
    mp_pipe_poll(w->end, MP_NOWAIT, &ready); /* take the end over */
    signal_post(w->ready);
    uint32_t v;
    size_t len;
    return CODE(mp_pipe_recv(w->end, &v, sizeof v, &len, MP_FOREVER));
}

static void test_blocked_receiver_wakes_when_the_peer_dies(void **state)
{
    (void)state;
    mp_conn_t a, b;
    OK(mp_pipe_create(&a, &b, NULL));
    waiter_arg_t wa = {.end = a}, wb = {.end = b};
    signal_init(&wa.ready);
    signal_init(&wb.ready);
    mp_process_t pa = spawn_until(wa.ready, recv_until_eof, &wa, sizeof wa, MP_DAEMON_NO);
    mp_process_t pb = spawn_until(wb.ready, recv_until_eof, &wb, sizeof wb, MP_DAEMON_NO);
    /* both block in recv, each the other's peer; killing one ends the other's wait */
    assert_int_equal(MP_ETIMEDOUT, mp_process_join(pa, 20));
    OK(mp_process_kill(pb));
    assert_int_equal(-MP_SIGKILL, reap(pb));
    assert_int_equal(CODE(MP_EOF), reap(pa));
    OK(mp_pipe_close(a));
    OK(mp_pipe_close(b));
    signal_destroy(&wa.ready);
    signal_destroy(&wb.ready);
}

#define ROUNDS 500

static int echo(void *arg)
{
    mp_conn_t end = *(mp_conn_t *)arg;
    for (;;) {
        uint32_t v;
        size_t len;
        mp_err_t err = mp_pipe_recv(end, &v, sizeof v, &len, MP_FOREVER);
        if (err == MP_EOF)
            return 0;
        if (err != MP_OK || mp_pipe_send(end, &v, len, MP_FOREVER) != MP_OK)
            return 1;
    }
}

static void test_round_trips_between_processes(void **state)
{
    (void)state;
    mp_conn_t a, b;
    OK(mp_pipe_create(&a, &b, NULL));
    mp_process_t p = spawn(echo, &b, sizeof b, MP_DAEMON_NO);
    for (uint32_t i = 0; i < ROUNDS; i++) {
        uint32_t v;
        size_t len;
        OK(mp_pipe_send(a, &i, sizeof i, MP_FOREVER));
        OK(mp_pipe_recv(a, &v, sizeof v, &len, MP_FOREVER));
        assert_int_equal(i, v);
    }
    OK(mp_pipe_close(a)); /* the echo process sees EOF and returns */
    assert_int_equal(0, reap(p));
    OK(mp_pipe_close(b));
}

static void test_create_refuses_a_missing_end_or_too_large_messages(void **state)
{
    (void)state;
    mp_conn_t a, b;
    assert_int_equal(MP_EINVAL, mp_pipe_create(NULL, &b, NULL));
    assert_int_equal(MP_EINVAL, mp_pipe_create(&a, &b, &(mp_pipe_attr_t){
                                                       .msg_size = MP_CONF_MAX_MSG_SIZE + 1}));
}

static void test_handles_that_name_no_pipe_end_are_refused(void **state)
{
    (void)state;
    mp_conn_t zero = {0};
    char buf[4];
    size_t len;
    bool ready;
    assert_int_equal(MP_EHANDLE, mp_pipe_send(zero, "x", 1, MP_NOWAIT));
    mp_queue_t q;
    OK(mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = 4, .depth = 1}));
    mp_conn_t q_as_conn = {q.id};
    assert_int_equal(MP_EHANDLE, mp_pipe_recv(q_as_conn, buf, sizeof buf, &len, MP_NOWAIT));
    assert_int_equal(MP_EHANDLE, mp_pipe_poll(q_as_conn, MP_NOWAIT, &ready));
    OK(mp_queue_destroy(q));
}

static void test_calls_refuse_a_missing_message_or_output(void **state)
{
    (void)state;
    mp_conn_t a, b;
    char buf[4];
    OK(mp_pipe_create(&a, &b, NULL));
    assert_int_equal(MP_EINVAL, mp_pipe_send(a, NULL, 1, MP_NOWAIT));
    assert_int_equal(MP_EINVAL, mp_pipe_recv(b, buf, sizeof buf, NULL, MP_NOWAIT));
    assert_int_equal(MP_EINVAL, mp_pipe_poll(b, MP_NOWAIT, NULL));
    OK(mp_pipe_close(a));
    OK(mp_pipe_close(b));
}

static void test_closing_an_end_twice_is_refused(void **state)
{
    (void)state;
    mp_conn_t a, b;
    OK(mp_pipe_create(&a, &b, NULL));
    OK(mp_pipe_close(a));
    assert_int_equal(MP_ECLOSED, mp_pipe_close(a));
    OK(mp_pipe_close(b));
}

/* ---- issue 7, defect 8: EOF means every user of the peer end is gone -------------------- */

typedef struct {
    mp_conn_t end;
    uint32_t first, second;   /* values to send (second: after go) */
    test_signal_t sent, go;
    bool receive;             /* a receiver instead: takes two messages */
} user_arg_t;

/* Uses its end once, reports, then (if asked to wait for go) uses it once more. */
static int pipe_user(void *arg)
{
    user_arg_t *u = arg;
    uint32_t v = u->first;
    size_t len;
    mp_err_t err = u->receive ? mp_pipe_recv(u->end, &v, sizeof v, &len, LONG)
                              : mp_pipe_send(u->end, &v, sizeof v, LONG);
    if (err != MP_OK || signal_post(u->sent) != MP_OK)
        return 1;
    if (u->go.lock.id == 0)
        return 0; /* ends without closing: its use of the end ends with it */
    if (signal_wait(u->go, MP_FOREVER) != MP_OK)
        return 2;
    v = u->second;
    err = u->receive ? mp_pipe_recv(u->end, &v, sizeof v, &len, LONG)
                     : mp_pipe_send(u->end, &v, sizeof v, LONG);
    return err == MP_OK ? 0 : 3;
}

static mp_process_t start_user(user_arg_t *u)
{
    signal_init(&u->sent);
    mp_process_t p = spawn_until(u->sent, pipe_user, u, sizeof *u, MP_DAEMON_NO);
    signal_destroy(&u->sent);
    return p;
}

/* Two processes send on one end; the one that sent last exits. The other is alive and
 * about to send again: not EOF. EOF comes once it has gone too. */
static void test_one_of_two_senders_exiting_is_not_eof(void **state)
{
    (void)state;
    mp_conn_t r, w;
    OK(mp_pipe_create(&r, &w, &(mp_pipe_attr_t){.duplex = false}));
    user_arg_t stays = {.end = w, .first = 1, .second = 3};
    signal_init(&stays.go);
    mp_process_t ps = start_user(&stays);
    user_arg_t leaves = {.end = w, .first = 2};
    assert_int_equal(0, reap(start_user(&leaves))); /* the last to send, and gone */
    uint32_t v;
    size_t len;
    OK(mp_pipe_recv(r, &v, sizeof v, &len, MP_NOWAIT));
    assert_int_equal(1, v);
    OK(mp_pipe_recv(r, &v, sizeof v, &len, MP_NOWAIT));
    assert_int_equal(2, v);
    assert_int_equal(MP_EAGAIN, mp_pipe_recv(r, &v, sizeof v, &len, MP_NOWAIT)); /* not EOF */
    OK(signal_post(stays.go));
    OK(mp_pipe_recv(r, &v, sizeof v, &len, LONG));
    assert_int_equal(3, v);
    assert_int_equal(0, reap(ps));
    assert_int_equal(MP_EOF, mp_pipe_recv(r, &v, sizeof v, &len, LONG));
    signal_destroy(&stays.go);
    OK(mp_pipe_close(r));
    OK(mp_pipe_close(w));
}

/* The same from the sender's side: one of two receivers exiting is not EOF for send. */
static void test_one_of_two_receivers_exiting_is_not_eof(void **state)
{
    (void)state;
    mp_conn_t r, w;
    OK(mp_pipe_create(&r, &w, &(mp_pipe_attr_t){.duplex = false}));
    uint32_t v = 7;
    OK(mp_pipe_send(w, &v, sizeof v, MP_NOWAIT));
    OK(mp_pipe_send(w, &v, sizeof v, MP_NOWAIT));
    user_arg_t stays = {.end = r, .receive = true};
    signal_init(&stays.go);
    mp_process_t ps = start_user(&stays);
    user_arg_t leaves = {.end = r, .receive = true};
    assert_int_equal(0, reap(start_user(&leaves)));
    OK(mp_pipe_send(w, &v, sizeof v, MP_NOWAIT)); /* a live receiver is left: not EOF */
    OK(signal_post(stays.go));
    assert_int_equal(0, reap(ps));
    assert_int_equal(MP_EOF, mp_pipe_send(w, &v, sizeof v, LONG));
    signal_destroy(&stays.go);
    OK(mp_pipe_close(r));
    OK(mp_pipe_close(w));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_duplex_keeps_boundaries_both_ways),
        TEST(test_recv_without_wait_on_an_emptied_pipe_fails_at_once),
        TEST(test_one_way_ends),
        TEST(test_poll_on_an_empty_pipe_says_not_ready),
        TEST(test_poll_does_not_consume),
        TEST(test_a_message_larger_than_msg_size_is_refused),
        TEST(test_send_to_a_full_pipe_fails_at_once_or_at_its_deadline),
        TEST(test_recv_into_a_short_buffer_reports_the_size_and_leaves_the_message),
        TEST(test_closed_peer_gives_the_rest_then_eof),
        TEST(test_poll_at_eof_says_ready),
        TEST(test_send_to_a_closed_peer_is_eof),
        TEST(test_send_on_a_closed_end_is_refused),
        TEST(test_closing_both_ends_frees_the_pipe),
        TEST(test_eof_when_the_peer_returns_without_closing),
        TEST(test_eof_when_the_peer_closes),
        TEST(test_eof_when_the_peer_is_killed),
        TEST(test_blocked_receiver_wakes_when_the_peer_dies),
        TEST(test_round_trips_between_processes),
        TEST(test_create_refuses_a_missing_end_or_too_large_messages),
        TEST(test_handles_that_name_no_pipe_end_are_refused),
        TEST(test_calls_refuse_a_missing_message_or_output),
        TEST(test_closing_an_end_twice_is_refused),
        TEST(test_one_of_two_senders_exiting_is_not_eof),
        TEST(test_one_of_two_receivers_exiting_is_not_eof),
    };
    return cmocka_run_group_tests_name("pipe", tests, NULL, NULL);
}
