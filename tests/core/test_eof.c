/*
 * Pipe EOF is final, and loses nothing. Found by the fault-injection suites (host-sim, replay:
 * MP_SIM_SEED=8 MP_SIM_FAULT=kill:sender:12 build/host-sim-asan/tests/host-sim/test_faults):
 * a sending end's users are the processes that have sent on it, so once the only sender
 * that had sent is gone the receiver is told MP_EOF; a second process holding the same
 * end that sends for the first time afterwards, while the receiver still lives, has its
 * messages accepted (MP_OK) and never read by a receiver that took EOF for the end, as
 * CPython's EOFError means. EOF must stay EOF: once the receiver was told it, a send
 * gets MP_EOF and a later recv gets MP_EOF again.
 */
#include "mp_test.h"

typedef struct {
    mp_conn_t rx, tx;
    mp_event_t eof_seen, late_sent;
} pipe_arg_t;

static MP_SHARED volatile int late_send, again;

/* Sends one message and ends: the only user of the sending end so far. */
static int early_sender(void *arg)
{
    pipe_arg_t *a = arg;
    return CODE(mp_pipe_send(a->tx, "early", 5, LONG));
}

/* Receives until EOF, stays alive until the late sender has sent, then looks again. */
static int receiver(void *arg)
{
    pipe_arg_t *a = arg;
    char buf[8];
    size_t len;
    mp_err_t err;
    while ((err = mp_pipe_recv(a->rx, buf, sizeof buf, &len, LONG)) == MP_OK)
        ;
    if (err != MP_EOF)
        return 1;
    (void)mp_event_set(a->eof_seen);
    if (mp_event_wait(a->late_sent, LONG) != MP_OK)
        return 2;
    again = mp_pipe_recv(a->rx, buf, sizeof buf, &len, MP_NOWAIT);
    return 0;
}

/* Holds the same sending end from the start, and first sends after the receiver's EOF. */
static int late_sender(void *arg)
{
    pipe_arg_t *a = arg;
    if (mp_event_wait(a->eof_seen, LONG) != MP_OK)
        return 1;
    late_send = mp_pipe_send(a->tx, "late", 4, MP_NOWAIT);
    (void)mp_event_set(a->late_sent);
    return 0;
}

static void test_eof_stays_eof_for_a_sender_that_comes_late(void **state)
{
    (void)state;
    pipe_arg_t a;
    OK(mp_pipe_create(&a.rx, &a.tx, &(mp_pipe_attr_t){.duplex = false}));
    OK(mp_event_create(&a.eof_seen));
    OK(mp_event_create(&a.late_sent));
    late_send = again = 12345;
    mp_process_t late = spawn(late_sender, &a, sizeof a, MP_DAEMON_NO);
    mp_process_t rx = spawn(receiver, &a, sizeof a, MP_DAEMON_NO);
    assert_int_equal(0, reap(spawn(early_sender, &a, sizeof a, MP_DAEMON_NO)));
    assert_int_equal(0, reap(late));
    assert_int_equal(0, reap(rx));
    /* today both are MP_OK: the late message is accepted, and a receiver that looks
     * again after EOF finds it (one that believed EOF never reads it) */
    assert_int_equal(MP_EOF, late_send);
    assert_int_equal(MP_EOF, again);
    OK(mp_event_destroy(a.eof_seen));
    OK(mp_event_destroy(a.late_sent));
    (void)mp_pipe_close(a.rx);
    (void)mp_pipe_close(a.tx);
}

typedef struct {
    mp_conn_t rx;
    mp_event_t using_it, sent;
} reader_arg_t;

/* Uses the receiving end (so the main process, its creator, no longer stands for it),
 * stays until two messages were sent, and ends without reading them. */
static int reader_that_leaves(void *arg)
{
    reader_arg_t *a = arg;
    bool ready;
    if (mp_pipe_poll(a->rx, MP_NOWAIT, &ready) != MP_OK)
        return 1;
    (void)mp_event_set(a->using_it);
    return mp_event_wait(a->sent, LONG) == MP_OK ? 0 : 2;
}

/* Final, but not at the cost of what was sent: when every user of the receiving end is
 * gone, a sender is told MP_EOF (and stays told), yet the messages it sent before, while
 * a reader lived, are still the pipe's. Another process holding the receiving end gets
 * them, then MP_EOF, as a second reader of a file descriptor would. Found by the fault
 * suites once EOF was made final (replay: MP_SIM_SEED=0 MP_SIM_FAULT=kill:receiver:8
 * build/host-sim-asan/tests/host-sim/test_faults): the main process, taking over a
 * killed receiver's end, was told MP_EOF at once with two messages in the pipe. */
static void test_what_was_sent_before_the_readers_left_can_still_be_read(void **state)
{
    (void)state;
    reader_arg_t a;
    mp_conn_t tx;
    OK(mp_pipe_create(&a.rx, &tx, &(mp_pipe_attr_t){.duplex = false}));
    OK(mp_event_create(&a.using_it));
    OK(mp_event_create(&a.sent));
    mp_process_t reader = spawn(reader_that_leaves, &a, sizeof a, MP_DAEMON_NO);
    OK(mp_event_wait(a.using_it, LONG));
    OK(mp_pipe_send(tx, "one", 3, MP_NOWAIT)); /* a reader lives: accepted */
    OK(mp_pipe_send(tx, "two", 3, MP_NOWAIT));
    OK(mp_event_set(a.sent));
    assert_int_equal(0, reap(reader));
    assert_int_equal(MP_EOF, mp_pipe_send(tx, "three", 5, MP_NOWAIT)); /* no reader now */
    char buf[8];
    size_t len = 0;
    mp_err_t first = mp_pipe_recv(a.rx, buf, sizeof buf, &len, MP_NOWAIT);
    assert_int_equal(MP_OK, first); /* today: MP_EOF, and "one" and "two" are lost */
    assert_int_equal(3, len);
    assert_memory_equal("one", buf, 3);
    OK(mp_pipe_recv(a.rx, buf, sizeof buf, &len, MP_NOWAIT));
    assert_memory_equal("two", buf, 3);
    assert_int_equal(MP_EOF, mp_pipe_recv(a.rx, buf, sizeof buf, &len, MP_NOWAIT));
    OK(mp_event_destroy(a.using_it));
    OK(mp_event_destroy(a.sent));
    (void)mp_pipe_close(a.rx);
    (void)mp_pipe_close(tx);
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_eof_stays_eof_for_a_sender_that_comes_late),
        TEST(test_what_was_sent_before_the_readers_left_can_still_be_read),
    };
    return cmocka_run_group_tests_name("eof", tests, NULL, NULL);
}
