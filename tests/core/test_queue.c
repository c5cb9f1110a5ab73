/*
 * Queue and JoinableQueue, on every port: FIFO byte messages between processes, the
 * error codes of each edge, and no torn or lost message when a producer is killed at
 * any point of a put.
 */
#include "message.h"
#include "mp_test.h"
#include "queue_seek.h"
#include "test_hooks.h"
#include "kill_plan.h"
#include "world.h"

static mp_queue_t make(uint32_t msg_size, uint32_t depth, bool joinable)
{
    mp_queue_t q;
    OK(mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = msg_size, .depth = depth,
                                              .joinable = joinable}));
    return q;
}

static void expect_counts(mp_queue_t q, size_t n, size_t depth)
{
    size_t count;
    bool empty, full;
    OK(mp_queue_qsize(q, &count));
    OK(mp_queue_empty(q, &empty));
    OK(mp_queue_full(q, &full));
    assert_int_equal(n, count);
    assert_int_equal(n == 0, empty);
    assert_int_equal(n == depth, full);
}

/* ---- api ------------------------------------------------------------------------------- */

/* Puts the messages 0..n-1, checking the counts after each. */
static void put_in_order(mp_queue_t q, uint32_t n, uint32_t depth)
{
    for (uint32_t i = 0; i < n; i++) {
        OK(mp_queue_put(q, &i, sizeof i, MP_NOWAIT));
        expect_counts(q, i + 1, depth);
    }
}

/* Gets the messages 0..n-1 back, in that order, checking the counts after each. */
static void get_in_order(mp_queue_t q, uint32_t n, uint32_t depth)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t v = 99;
        size_t len = 0;
        OK(mp_queue_get(q, &v, sizeof v, &len, MP_NOWAIT));
        assert_int_equal(sizeof v, len);
        assert_int_equal(i, v);
        expect_counts(q, n - 1 - i, depth);
    }
}

static void test_fifo_and_counts_agree(void **state)
{
    (void)state;
    mp_queue_t q = make(16, 4, false);
    expect_counts(q, 0, 4);
    put_in_order(q, 4, 4);
    get_in_order(q, 4, 4);
    OK(mp_queue_destroy(q));
}

static void test_put_on_a_full_queue_fails_at_once_or_at_its_deadline(void **state)
{
    (void)state;
    mp_queue_t q = make(16, 4, false);
    put_in_order(q, 4, 4);
    uint32_t v = 99;
    assert_int_equal(MP_EAGAIN, mp_queue_put(q, &v, sizeof v, MP_NOWAIT));
    assert_int_equal(MP_ETIMEDOUT, mp_queue_put(q, &v, sizeof v, 20));
    expect_counts(q, 4, 4);
    get_in_order(q, 4, 4); /* the refused puts left the messages as they were */
    OK(mp_queue_destroy(q));
}

static void test_get_on_an_empty_queue_fails_at_once_or_at_its_deadline(void **state)
{
    (void)state;
    mp_queue_t q = make(16, 4, false);
    put_in_order(q, 4, 4);
    get_in_order(q, 4, 4);
    uint32_t v;
    size_t len;
    assert_int_equal(MP_EAGAIN, mp_queue_get(q, &v, sizeof v, &len, MP_NOWAIT));
    assert_int_equal(MP_ETIMEDOUT, mp_queue_get(q, &v, sizeof v, &len, 20));
    OK(mp_queue_destroy(q));
}

static void test_a_message_larger_than_msg_size_is_refused_and_takes_no_slot(void **state)
{
    (void)state;
    mp_queue_t q = make(8, 4, false);
    char big[9] = "12345678";
    assert_int_equal(MP_EMSGSIZE, mp_queue_put(q, big, 9, MP_NOWAIT));
    expect_counts(q, 0, 4); /* refused without using a slot */
    OK(mp_queue_put(q, big, 8, MP_NOWAIT)); /* msg_size itself fits */
    expect_counts(q, 1, 4);
    OK(mp_queue_destroy(q));
}

static void test_an_empty_message_is_a_message(void **state)
{
    (void)state;
    mp_queue_t q = make(8, 4, false);
    size_t len = 99;
    OK(mp_queue_put(q, "", 0, MP_NOWAIT));
    expect_counts(q, 1, 4);
    OK(mp_queue_get(q, NULL, 0, &len, MP_NOWAIT));
    assert_int_equal(0, len);
    expect_counts(q, 0, 4);
    OK(mp_queue_destroy(q));
}

static void test_get_into_a_short_buffer_reports_the_size_and_leaves_the_message(void **state)
{
    (void)state;
    mp_queue_t q = make(8, 4, false);
    char buf[8];
    size_t len = 0;
    OK(mp_queue_put(q, "12345678", 8, MP_NOWAIT));
    OK(mp_queue_put(q, "", 0, MP_NOWAIT));
    assert_int_equal(MP_ETOOSMALL, mp_queue_get(q, buf, 3, &len, MP_NOWAIT));
    assert_int_equal(8, len); /* the size needed... */
    expect_counts(q, 2, 4); /* ...and the message stays */
    OK(mp_queue_get(q, buf, sizeof buf, &len, MP_NOWAIT));
    assert_int_equal(8, len);
    assert_memory_equal("12345678", buf, 8);
    OK(mp_queue_get(q, NULL, 0, &len, MP_NOWAIT)); /* and the next one is the next one */
    assert_int_equal(0, len);
    OK(mp_queue_destroy(q));
}

static void test_create_refuses_bad_attributes(void **state)
{
    (void)state;
    mp_queue_t q;
    assert_int_equal(MP_EINVAL, mp_queue_create(NULL, &(mp_queue_attr_t){.msg_size = 4, .depth = 1}));
    assert_int_equal(MP_EINVAL, mp_queue_create(&q, NULL));
    assert_int_equal(MP_EINVAL, mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = 0, .depth = 1}));
    assert_int_equal(MP_EINVAL, mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = 4, .depth = 0}));
    assert_int_equal(MP_EINVAL, mp_queue_create(&q, &(mp_queue_attr_t){
                                                        .msg_size = MP_CONF_MAX_MSG_SIZE + 1,
                                                        .depth = 1}));
}

static void test_a_queue_larger_than_the_arena_is_refused(void **state)
{
    (void)state;
    mp_queue_t q;
    assert_int_equal(MP_ENOMEM, mp_queue_create(&q, &(mp_queue_attr_t){
                                                        .msg_size = 1024,
                                                        .depth = MP_CONF_ARENA_SIZE / 1024 + 1}));
}

static void test_calls_refuse_a_missing_message_or_output(void **state)
{
    (void)state;
    char buf[4];
    mp_queue_t q = make(4, 2, false);
    assert_int_equal(MP_EINVAL, mp_queue_put(q, NULL, 3, MP_NOWAIT));
    assert_int_equal(MP_EINVAL, mp_queue_get(q, buf, sizeof buf, NULL, MP_NOWAIT));
    assert_int_equal(MP_EINVAL, mp_queue_qsize(q, NULL));
    OK(mp_queue_destroy(q));
}

static void test_task_done_on_a_plain_queue_is_not_joinable(void **state)
{
    (void)state;
    mp_queue_t q = make(4, 2, false);
    assert_int_equal(MP_ENOTJOINABLE, mp_queue_task_done(q)); /* not a JoinableQueue */
    OK(mp_queue_destroy(q));
}

static void test_a_handle_of_another_kind_is_refused(void **state)
{
    (void)state;
    char buf[4] = {0};
    mp_lock_t l;
    OK(mp_lock_create(&l));
    mp_queue_t foreign = {l.id};
    assert_int_equal(MP_EHANDLE, mp_queue_put(foreign, buf, 1, MP_NOWAIT));
    OK(mp_lock_destroy(l));
}

static void test_a_destroyed_queue_is_stale(void **state)
{
    (void)state;
    char buf[4] = {0};
    size_t len;
    mp_queue_t q = make(4, 2, false);
    OK(mp_queue_destroy(q));
    assert_int_equal(MP_ESTALE, mp_queue_put(q, buf, 1, MP_NOWAIT));
    assert_int_equal(MP_ESTALE, mp_queue_get(q, buf, sizeof buf, &len, MP_NOWAIT));
    assert_int_equal(MP_ESTALE, mp_queue_destroy(q));
}

static void test_table_full_then_reuse(void **state)
{
    (void)state;
    mp_queue_t all[MP_CONF_MAX_QUEUES + 1];
    size_t n = 0;
    mp_err_t err;
    while ((err = mp_queue_create(&all[n], &(mp_queue_attr_t){.msg_size = 8, .depth = 2})) == MP_OK)
        n++;
    assert_int_equal(MP_ENOSLOT, err);
    assert_int_equal(MP_CONF_MAX_QUEUES, n);
    for (size_t i = 0; i < n; i++)
        OK(mp_queue_destroy(all[i]));
    /* all storage went back to the arena: the whole arena is usable again */
    mp_queue_t q = make(1024, MP_CONF_ARENA_SIZE / 1024 / 2, false);
    OK(mp_queue_destroy(q));
}

MP_QUEUE_DEFINE(static_jobs, 32, 3);

static void test_a_static_queue_of_any_depth_keeps_its_order_across_wraps(void **state)
{
    (void)state;
    mp_queue_t q;
    OK(mp_queue_create_static(&q, &static_jobs, false));
    /* depth 3 is not a power of two: wrap the ring many times */
    for (uint32_t i = 0; i < 1000; i++) {
        uint32_t a = i, b = i + 1, got;
        size_t len;
        OK(mp_queue_put(q, &a, sizeof a, MP_NOWAIT));
        OK(mp_queue_put(q, &b, sizeof b, MP_NOWAIT));
        OK(mp_queue_get(q, &got, sizeof got, &len, MP_NOWAIT));
        assert_int_equal(a, got);
        OK(mp_queue_get(q, &got, sizeof got, &len, MP_NOWAIT));
        assert_int_equal(b, got);
    }
    OK(mp_queue_destroy(q));
}

static void test_create_static_without_a_definition_is_refused(void **state)
{
    (void)state;
    mp_queue_t q;
    assert_int_equal(MP_EINVAL, mp_queue_create_static(&q, NULL, false));
}

static void wrap_at(uint32_t depth, uint32_t start)
{
    mp_queue_t q = make(4, depth, true);
    OK(test_queue_seek(q, start));
    uint32_t next_in = 0, next_out = 0;
    for (int round = 0; round < 20; round++) {
        while (mp_queue_put(q, &next_in, sizeof next_in, MP_NOWAIT) == MP_OK)
            next_in++;
        expect_counts(q, depth, depth);
        size_t unfinished;
        OK(mp_queue_unfinished(q, &unfinished));
        assert_int_equal(next_in - next_out, unfinished); /* every earlier get was task_done */
        uint32_t got;
        size_t len;
        while (mp_queue_get(q, &got, sizeof got, &len, MP_NOWAIT) == MP_OK) {
            assert_int_equal(next_out, got);
            next_out++;
            OK(mp_queue_task_done(q));
        }
        expect_counts(q, 0, depth);
        OK(mp_queue_join(q, MP_NOWAIT));
    }
    OK(mp_queue_destroy(q));
}

static void test_indices_wrap_without_losing_order(void **state)
{
    (void)state;
    wrap_at(4, UINT32_MAX - 9);                 /* power of two: wraps at 2^32 */
    wrap_at(3, 3u * (UINT32_MAX / 3u) - 1u - 7u); /* other depths: at a multiple of depth */
}

/* ---- between processes --------------------------------------------------------------- */

#define PRODUCERS 3
#define CONSUMERS 3
#define PER_PRODUCER 300

typedef struct {
    mp_queue_t q;
    uint32_t id;
} worker_arg_t;

static MP_SHARED uint32_t received[PRODUCERS];
static MP_SHARED uint32_t out_of_order;

static int produce(void *arg)
{
    worker_arg_t *a = arg;
    for (uint32_t i = 0; i < PER_PRODUCER; i++) {
        uint32_t msg[2] = {a->id, i};
        if (mp_queue_put(a->q, msg, sizeof msg, MP_FOREVER) != MP_OK)
            return 1;
    }
    return 0;
}

/* Takes messages until a "stop" message (producer id 0xffffffff). Each producer's
 * messages must arrive in order, though one consumer sees only some of them. */
static int consume(void *arg)
{
    worker_arg_t *a = arg;
    uint32_t last[PRODUCERS];
    msg_order_init(last, PRODUCERS);
    for (;;) {
        uint32_t msg[2];
        size_t len;
        if (mp_queue_get(a->q, msg, sizeof msg, &len, MP_FOREVER) != MP_OK || len != sizeof msg)
            return 1;
        if (msg[0] == UINT32_MAX)
            return 0;
        if (msg[0] >= PRODUCERS)
            return 2;
        if (!msg_in_order(last, msg[0], msg[1]))
            out_of_order++;
        __atomic_fetch_add(&received[msg[0]], 1u, __ATOMIC_SEQ_CST);
    }
}

static void test_many_producers_and_consumers(void **state)
{
    (void)state;
    mp_queue_t q = make(8, 8, false);
    memset(received, 0, sizeof received);
    out_of_order = 0;
    mp_process_t p[PRODUCERS], c[CONSUMERS];
    for (uint32_t i = 0; i < CONSUMERS; i++)
        c[i] = spawn(consume, &(worker_arg_t){q, i}, sizeof(worker_arg_t), MP_DAEMON_NO);
    for (uint32_t i = 0; i < PRODUCERS; i++)
        p[i] = spawn(produce, &(worker_arg_t){q, i}, sizeof(worker_arg_t), MP_DAEMON_NO);
    for (uint32_t i = 0; i < PRODUCERS; i++)
        assert_int_equal(0, reap(p[i]));
    for (uint32_t i = 0; i < CONSUMERS; i++) {
        uint32_t stop[2] = {UINT32_MAX, 0};
        OK(mp_queue_put(q, stop, sizeof stop, MP_FOREVER));
    }
    for (uint32_t i = 0; i < CONSUMERS; i++)
        assert_int_equal(0, reap(c[i]));
    for (uint32_t i = 0; i < PRODUCERS; i++)
        assert_int_equal(PER_PRODUCER, received[i]); /* each message exactly once */
    assert_int_equal(0, out_of_order);
    expect_counts(q, 0, 8);
    OK(mp_queue_destroy(q));
}

static int put_and_leave(void *arg)
{
    mp_queue_t q = *(mp_queue_t *)arg;
    for (uint32_t i = 0; i < 50; i++)
        if (mp_queue_put(q, &i, sizeof i, MP_NOWAIT) != MP_OK)
            return 1;
    return 0; /* CPython's child would wait here for its feeder thread */
}

static void test_joining_a_producer_before_draining_loses_nothing(void **state)
{
    (void)state;
    mp_queue_t q = make(4, 64, false);
    assert_int_equal(0, run(put_and_leave, &q, sizeof q));
    expect_counts(q, 50, 64);
    for (uint32_t i = 0; i < 50; i++) {
        uint32_t v;
        size_t len;
        OK(mp_queue_get(q, &v, sizeof v, &len, MP_NOWAIT));
        assert_int_equal(i, v);
    }
    OK(mp_queue_destroy(q));
}

static int get_one(void *arg)
{
    mp_queue_t q = *(mp_queue_t *)arg;
    uint32_t v;
    size_t len;
    return CODE(mp_queue_get(q, &v, sizeof v, &len, MP_FOREVER));
}

static int put_one(void *arg)
{
    mp_queue_t q = *(mp_queue_t *)arg;
    uint32_t v = 7;
    return CODE(mp_queue_put(q, &v, sizeof v, MP_FOREVER));
}

/* A getter blocked on an empty queue and a putter on a full one; the queues are then shut
 * down (immediate: drop what is queued too), which wakes both with MP_ECLOSED. */
static void shutdown_wakes_blocked_getters_and_putters(bool immediate)
{
    mp_queue_t empty = make(4, 1, false), full = make(4, 1, false);
    uint32_t v = 1;
    OK(mp_queue_put(full, &v, sizeof v, MP_NOWAIT));
    mp_process_t getter = spawn(get_one, &empty, sizeof empty, MP_DAEMON_NO);
    mp_process_t putter = spawn(put_one, &full, sizeof full, MP_DAEMON_NO);
    assert_int_equal(MP_ETIMEDOUT, mp_process_join(getter, 20)); /* blocked in get */
    assert_int_equal(MP_ETIMEDOUT, mp_process_join(putter, 20)); /* blocked in put */
    OK(mp_queue_shutdown(empty, immediate));
    OK(mp_queue_shutdown(full, immediate));
    assert_int_equal(CODE(MP_ECLOSED), reap(getter));
    assert_int_equal(CODE(MP_ECLOSED), reap(putter));
    /* what was queued: still there after a close, dropped by an immediate shutdown */
    assert_int_equal(immediate ? MP_ECLOSED : MP_OK,
                     mp_queue_get(full, &v, sizeof v, &(size_t){0}, MP_NOWAIT));
    OK(mp_queue_destroy(empty));
    OK(mp_queue_destroy(full));
}

static void test_close_wakes_blocked_getters_and_putters(void **state)
{
    (void)state;
    shutdown_wakes_blocked_getters_and_putters(false);
}

/* A queue of depth 1 holding the message 1, closed. */
static mp_queue_t closed_with_one_left(void)
{
    mp_queue_t q = make(4, 1, false);
    uint32_t v = 1;
    OK(mp_queue_put(q, &v, sizeof v, MP_NOWAIT));
    OK(mp_queue_close(q));
    return q;
}

static void test_a_closed_queue_refuses_puts(void **state)
{
    (void)state;
    mp_queue_t q = closed_with_one_left();
    uint32_t v = 2;
    assert_int_equal(MP_ECLOSED, mp_queue_put(q, &v, sizeof v, MP_NOWAIT));
    OK(mp_queue_get(q, &v, sizeof v, &(size_t){0}, MP_NOWAIT)); /* the one left is there */
    assert_int_equal(1, v);
    OK(mp_queue_destroy(q));
}

/* qsize, empty and full of a closed queue: the closed code (CPython raises), not a count. */
static void test_counts_of_a_closed_queue_say_closed(void **state)
{
    (void)state;
    mp_queue_t q = closed_with_one_left();
    size_t n = 99;
    bool flag = true;
    assert_int_equal(MP_ECLOSED, mp_queue_qsize(q, &n));
    assert_int_equal(MP_ECLOSED, mp_queue_empty(q, &flag));
    assert_int_equal(MP_ECLOSED, mp_queue_full(q, &flag));
    assert_int_equal(99, n);
    assert_true(flag);
    assert_int_equal(MP_EINVAL, mp_queue_qsize(q, NULL)); /* arguments first, as always */
    OK(mp_queue_shutdown(q, false)); /* again: nothing more to do */
    OK(mp_queue_destroy(q));
}

/* Python 3.13's shutdown(immediate=True): what is queued is dropped, gets end at once. */
static void test_shutdown_immediate_drops_the_queued_messages(void **state)
{
    (void)state;
    mp_queue_t q = make(4, 4, false);
    for (uint32_t i = 0; i < 3; i++)
        OK(mp_queue_put(q, &i, sizeof i, MP_NOWAIT));
    OK(mp_queue_shutdown(q, true));
    uint32_t v = 99;
    size_t len;
    assert_int_equal(MP_ECLOSED, mp_queue_get(q, &v, sizeof v, &len, MP_NOWAIT));
    assert_int_equal(MP_ECLOSED, mp_queue_get(q, &v, sizeof v, &len, MP_FOREVER));
    assert_int_equal(99, v);
    assert_int_equal(MP_ECLOSED, mp_queue_put(q, &v, sizeof v, MP_NOWAIT));
    assert_int_equal(MP_ECLOSED, mp_queue_qsize(q, &len));
    OK(mp_queue_shutdown(q, true));
    OK(mp_queue_destroy(q));
}

static void test_shutdown_immediate_wakes_blocked_getters_and_putters(void **state)
{
    (void)state;
    shutdown_wakes_blocked_getters_and_putters(true);
}

static int join_it(void *arg)
{
    return CODE(mp_queue_join(*(mp_queue_t *)arg, LONG));
}

/* The dropped messages count as done: join waits only for the tasks already taken. */
static void test_shutdown_immediate_releases_join_once_taken_tasks_are_done(void **state)
{
    (void)state;
    mp_queue_t q = make(4, 8, true);
    for (uint32_t i = 0; i < 4; i++)
        OK(mp_queue_put(q, &i, sizeof i, MP_NOWAIT));
    uint32_t v;
    size_t len, unfinished = 0;
    OK(mp_queue_get(q, &v, sizeof v, &len, MP_NOWAIT)); /* taken, not done yet */
    mp_process_t j = spawn(join_it, &q, sizeof q, MP_DAEMON_NO);
    assert_int_equal(MP_ETIMEDOUT, mp_process_join(j, 20)); /* 4 unfinished */
    OK(mp_queue_shutdown(q, true));
    OK(mp_queue_unfinished(q, &unfinished));
    assert_int_equal(1, unfinished); /* the 3 dropped are done */
    assert_int_equal(MP_ETIMEDOUT, mp_process_join(j, 20)); /* the taken one is not */
    OK(mp_queue_task_done(q));
    assert_int_equal(0, reap_soon(j));
    assert_int_equal(MP_ETOOMANY, mp_queue_task_done(q)); /* beyond the count */
    OK(mp_queue_join(q, MP_NOWAIT));
    OK(mp_queue_destroy(q));
}

static void test_a_closed_queue_gives_what_is_left_then_says_closed(void **state)
{
    (void)state;
    mp_queue_t q = closed_with_one_left();
    uint32_t v = 0;
    size_t len;
    OK(mp_queue_get(q, &v, sizeof v, &len, MP_NOWAIT)); /* what was queued still comes out */
    assert_int_equal(1, v);
    assert_int_equal(MP_ECLOSED, mp_queue_get(q, &v, sizeof v, &len, MP_FOREVER));
    OK(mp_queue_destroy(q));
}

/* ---- JoinableQueue ------------------------------------------------------------------- */

static int work_off(void *arg)
{
    mp_queue_t q = *(mp_queue_t *)arg;
    for (;;) {
        uint32_t v;
        size_t len;
        if (mp_queue_get(q, &v, sizeof v, &len, MP_FOREVER) != MP_OK)
            return 1;
        if (mp_queue_task_done(q) != MP_OK)
            return 2;
        if (v == UINT32_MAX)
            return 0;
    }
}

/* A JoinableQueue with five tasks put, and the first of them got and done. */
static mp_queue_t joinable_with_four_tasks_left(void)
{
    mp_queue_t q = make(4, 8, true);
    for (uint32_t i = 0; i < 5; i++)
        OK(mp_queue_put(q, &i, sizeof i, MP_NOWAIT));
    uint32_t v;
    size_t len;
    OK(mp_queue_get(q, &v, sizeof v, &len, MP_NOWAIT));
    OK(mp_queue_task_done(q));
    return q;
}

static void test_task_done_with_no_task_unfinished_is_one_too_many(void **state)
{
    (void)state;
    mp_queue_t q = make(4, 8, true);
    assert_int_equal(MP_ETOOMANY, mp_queue_task_done(q));
    OK(mp_queue_destroy(q));
}

static void test_join_with_no_task_put_returns_at_once(void **state)
{
    (void)state;
    mp_queue_t q = make(4, 8, true);
    OK(mp_queue_join(q, MP_NOWAIT)); /* nothing put: returns at once */
    OK(mp_queue_destroy(q));
}

static void test_every_put_counts_a_task_and_task_done_ends_one(void **state)
{
    (void)state;
    mp_queue_t q = make(4, 8, true);
    size_t unfinished;
    for (uint32_t i = 0; i < 5; i++)
        OK(mp_queue_put(q, &i, sizeof i, MP_NOWAIT));
    OK(mp_queue_unfinished(q, &unfinished));
    assert_int_equal(5, unfinished);
    uint32_t v;
    size_t len;
    OK(mp_queue_get(q, &v, sizeof v, &len, MP_NOWAIT));
    OK(mp_queue_task_done(q));
    OK(mp_queue_unfinished(q, &unfinished));
    assert_int_equal(4, unfinished);
    OK(mp_queue_destroy(q));
}

static void test_join_times_out_while_tasks_are_unfinished(void **state)
{
    (void)state;
    mp_queue_t q = make(4, 8, true);
    for (uint32_t i = 0; i < 5; i++)
        OK(mp_queue_put(q, &i, sizeof i, MP_NOWAIT));
    assert_int_equal(MP_EAGAIN, mp_queue_join(q, MP_NOWAIT));
    assert_int_equal(MP_ETIMEDOUT, mp_queue_join(q, 20));
    OK(mp_queue_destroy(q));
}

static void test_join_returns_once_another_process_has_done_every_task(void **state)
{
    (void)state;
    mp_queue_t q = joinable_with_four_tasks_left();
    size_t unfinished;
    /* a consumer process finishes the rest while we wait in join */
    mp_process_t c = spawn(work_off, &q, sizeof q, MP_DAEMON_NO);
    uint32_t stop = UINT32_MAX;
    OK(mp_queue_put(q, &stop, sizeof stop, MP_FOREVER));
    OK(mp_queue_join(q, MP_FOREVER));
    OK(mp_queue_unfinished(q, &unfinished));
    assert_int_equal(0, unfinished);
    assert_int_equal(0, reap(c));
    assert_int_equal(MP_ETOOMANY, mp_queue_task_done(q)); /* every one done: one too many */
    OK(mp_queue_destroy(q));
}

/* ---- death during a put ------------------------------------------------------------ */

#define KILLS 200

typedef struct {
    mp_queue_t q;
    uint32_t first; /* sequence number to start from */
} stream_arg_t;

static uint32_t message_len(uint32_t seq)
{
    return 12u + (seq * 7u) % 49u; /* 12..60 bytes */
}

static uint8_t message_byte(uint32_t seq, uint32_t i)
{
    return (uint8_t)(seq * 31u + i * 7u + 3u);
}

/* Writes an endless stream: seq, length, payload, checksum. */
static int stream(void *arg)
{
    stream_arg_t *a = arg;
    uint8_t buf[64];
    for (uint32_t seq = a->first;; seq++) {
        uint32_t len = message_len(seq), sum = 0;
        memcpy(buf, &seq, 4);
        for (uint32_t i = 8; i < len; i++) {
            buf[i] = message_byte(seq, i);
            sum += buf[i];
        }
        memcpy(buf + 4, &sum, 4);
        if (mp_queue_put(a->q, buf, len, MP_FOREVER) != MP_OK)
            return 1;
    }
}

/* Checks one message; returns its sequence number, or UINT32_MAX if torn. */
static uint32_t check(const uint8_t *buf, size_t len)
{
    uint32_t seq, sum, mine = 0;
    memcpy(&seq, buf, 4);
    memcpy(&sum, buf + 4, 4);
    if (len != message_len(seq))
        return UINT32_MAX;
    for (uint32_t i = 8; i < len; i++) {
        if (buf[i] != message_byte(seq, i))
            return UINT32_MAX;
        mine += buf[i];
    }
    return mine == sum ? seq : UINT32_MAX;
}

static void test_killed_producers_never_tear_a_message(void **state)
{
    (void)state;
    /* Deep enough that the producer is almost never asleep on a full queue: a kill then
     * lands inside put (copying, or holding the guard) most of the time. */
    uint32_t depth = MP_CONF_ARENA_SIZE / 2u / MP_QUEUE_SLOT_SIZE(64);
    mp_queue_t q = make(64, depth < 1024u ? depth : 1024u, false);
    uint32_t next = 0, rng = 12345;
    int kills = 0;
    for (int round = 0; round < KILLS; round++) {
        mp_process_t p = spawn(stream, &(stream_arg_t){q, next}, sizeof(stream_arg_t),
                               MP_DAEMON_NO);
        rng = rng * 1103515245u + 12345u;
        uint32_t take = 1 + (rng >> 16) % 40; /* kill after a varying number of messages */
        uint8_t buf[64];
        size_t len;
        for (uint32_t i = 0; i < take; i++) {
            OK(mp_queue_get(q, buf, sizeof buf, &len, MP_FOREVER));
            assert_int_equal(next, check(buf, len)); /* whole, in order, no duplicate */
            next++;
        }
        OK(mp_process_kill(p)); /* lands anywhere: mid-copy, holding the put guard, asleep */
        assert_int_equal(-MP_SIGKILL, reap(p));
        kills++;
        while (mp_queue_get(q, buf, sizeof buf, &len, MP_NOWAIT) == MP_OK) {
            assert_int_equal(next, check(buf, len));
            next++;
        }
    }
    assert_int_equal(KILLS, kills);
    print_message("killed %d producers; %u messages, none torn or repeated\n", kills, (unsigned)next);
    /* the queue still works for the survivors */
    uint32_t v = 5;
    size_t len;
    OK(mp_queue_put(q, &v, sizeof v, MP_NOWAIT));
    OK(mp_queue_get(q, &v, sizeof v, &len, MP_NOWAIT));
    OK(mp_queue_destroy(q));
}

/* ---- issue 7: sizes, ring sides changing hands, killed sleepers ------------------------ */

/* The storage a static queue needs is computed without overflowing 32 bits: 2^26 slots of
 * 64 bytes do not fit in a 64-byte buffer. */
static void test_static_queue_size_is_checked_without_overflow(void **state)
{
    (void)state;
    static MP_SHARED uint8_t small[64];
    mp_queue_t q;
    assert_int_equal(MP_EINVAL, mp_queue_create_static(&q, &(mp_queue_static_t){
                                                               small, sizeof small, 60, 1u << 26},
                                                           false));
    assert_int_equal(MP_EINVAL, mp_queue_create_static(&q, &(mp_queue_static_t){
                                                               small, sizeof small, 1, UINT32_MAX},
                                                           false));
    assert_int_equal(MP_ENOMEM, mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = 60,
                                                                       .depth = 1u << 26}));
}


typedef struct {
    mp_queue_t q;
    uint32_t tag;
    bool die_biased;      /* put once, then die inside the second put, biased */
    test_signal_t done, go; /* after the first put: post done, wait for go, put again */
} producer_plan_t;

static int plan_producer(void *arg)
{
    producer_plan_t *a = arg;
    mpi_test_hook = kill_at_plan;
    uint32_t v = a->tag;
    if (mp_queue_put(a->q, &v, sizeof v, LONG) != MP_OK)
        return 1;
    if (a->die_biased) {
        mp_process_t me;
        (void)mp_process_self(&me);
        kill_plan.victim = me.id;
        kill_plan.point = MPI_HOOK_BIASED;
        v = a->tag + 1;
        (void)mp_queue_put(a->q, &v, sizeof v, LONG);
        return 2; /* not reached: killed inside the put */
    }
    if (a->done.lock.id != 0) {
        if (signal_post(a->done) != MP_OK || signal_wait(a->go, MP_FOREVER) != MP_OK)
            return 3;
        v = a->tag + 1;
        if (mp_queue_put(a->q, &v, sizeof v, LONG) != MP_OK)
            return 4;
    }
    return 0;
}

/* Issue 7, defect 10: A holds the producers' bias and dies inside a put; B inherits the
 * bias; C then revokes B's. C's put must not wait for A's busy mark, which nobody will
 * ever clear, while B's next put waits for the guard C holds. */
static void test_a_side_that_changed_hands_twice_never_hangs(void **state)
{
    (void)state;
    NEEDS_TEST_HOOKS();
    mp_queue_t q = make(8, 16, false);
    producer_plan_t a = {.q = q, .tag = 10, .die_biased = true};
    assert_int_equal(-MP_SIGKILL, reap(spawn(plan_producer, &a, sizeof a, MP_DAEMON_NO)));
    producer_plan_t b = {.q = q, .tag = 20};
    signal_init(&b.done);
    signal_init(&b.go);
    mp_process_t pb = spawn_until(b.done, plan_producer, &b, sizeof b, MP_DAEMON_NO);
    producer_plan_t c = {.q = q, .tag = 30};
    mp_process_t pc = spawn(plan_producer, &c, sizeof c, MP_DAEMON_NO);
    mp_err_t joined = mp_process_join(pc, LONG);
    if (joined != MP_OK) { /* the hang: end both before failing */
        (void)mp_process_kill(pc);
        (void)mp_process_kill(pb);
    }
    OK(signal_post(b.go));
    int code_c = reap(pc), code_b = reap(pb);
    assert_int_equal(MP_OK, joined);
    assert_int_equal(0, code_c);
    assert_int_equal(0, code_b);
    uint32_t v, sum = 0;
    size_t len, n = 0;
    while (mp_queue_get(q, &v, sizeof v, &len, MP_NOWAIT) == MP_OK) {
        sum += v;
        n++;
    }
    /* 10 (A's first; its second died unpublished), 20, 21, 30 */
    assert_int_equal(4, n);
    assert_int_equal(10 + 20 + 21 + 30, sum);
    signal_destroy(&b.done);
    signal_destroy(&b.go);
    OK(mp_queue_destroy(q));
}

static int sleep_and_die(void *arg)
{
    mp_queue_t q = *(mp_queue_t *)arg;
    mpi_test_hook = kill_at_plan;
    mp_process_t me;
    (void)mp_process_self(&me);
    kill_plan.victim = me.id;
    kill_plan.point = MPI_HOOK_SLEEPER;
    uint32_t v;
    size_t len;
    (void)mp_queue_get(q, &v, sizeof v, &len, MP_FOREVER);
    return 1; /* not reached */
}

static bool no_get_sleepers(mp_queue_t q)
{
    const mpi_ring_t *r = &mpi_world.queues[(q.id & MPI_INDEX_MASK) - 1u].ring;
    static const uint8_t zero[sizeof r->get_sleepers];
    return memcmp((const void *)&r->get_sleepers, zero, sizeof zero) == 0;
}

/* Issue 7, defect 12: a consumer killed after registering as a sleeper, before it slept,
 * is accounted for once it is joined: the side is left with no sleeper, so producers make
 * no wake call for it. */
static void test_a_sleeper_killed_while_registered_leaves_no_sleeper(void **state)
{
    (void)state;
    NEEDS_TEST_HOOKS();
    mp_queue_t q = make(8, 4, false);
    assert_int_equal(-MP_SIGKILL, reap(spawn(sleep_and_die, &q, sizeof q, MP_DAEMON_NO)));
    assert_true(no_get_sleepers(q));
    uint32_t v = 1;
    size_t len;
    OK(mp_queue_put(q, &v, sizeof v, MP_NOWAIT));
    OK(mp_queue_get(q, &v, sizeof v, &len, MP_NOWAIT));
    OK(mp_queue_destroy(q));
}

/* One static definition backs one live queue: a second create over the same storage would
 * let two queues overwrite each other's messages (found by the bad-input suite). */
MP_QUEUE_DEFINE(shared_once, 8, 2);

static void test_a_static_definition_backs_one_live_queue_at_a_time(void **state)
{
    (void)state;
    mp_queue_t q1, q2;
    OK(mp_queue_create_static(&q1, &shared_once, false));
    assert_int_equal(MP_EBUSY, mp_queue_create_static(&q2, &shared_once, false));
    uint32_t v = 111;
    size_t len;
    OK(mp_queue_put(q1, &v, sizeof v, MP_NOWAIT));
    OK(mp_queue_get(q1, &v, sizeof v, &len, MP_NOWAIT));
    assert_int_equal(111, v);
    OK(mp_queue_destroy(q1));
    OK(mp_queue_create_static(&q2, &shared_once, false)); /* free again once destroyed */
    OK(mp_queue_destroy(q2));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_fifo_and_counts_agree),
        TEST(test_put_on_a_full_queue_fails_at_once_or_at_its_deadline),
        TEST(test_get_on_an_empty_queue_fails_at_once_or_at_its_deadline),
        TEST(test_a_message_larger_than_msg_size_is_refused_and_takes_no_slot),
        TEST(test_an_empty_message_is_a_message),
        TEST(test_get_into_a_short_buffer_reports_the_size_and_leaves_the_message),
        TEST(test_create_refuses_bad_attributes),
        TEST(test_a_queue_larger_than_the_arena_is_refused),
        TEST(test_calls_refuse_a_missing_message_or_output),
        TEST(test_task_done_on_a_plain_queue_is_not_joinable),
        TEST(test_a_handle_of_another_kind_is_refused),
        TEST(test_a_destroyed_queue_is_stale),
        TEST(test_table_full_then_reuse),
        TEST(test_a_static_queue_of_any_depth_keeps_its_order_across_wraps),
        TEST(test_create_static_without_a_definition_is_refused),
        TEST(test_indices_wrap_without_losing_order),
        TEST(test_many_producers_and_consumers),
        TEST(test_joining_a_producer_before_draining_loses_nothing),
        TEST(test_close_wakes_blocked_getters_and_putters),
        TEST(test_a_closed_queue_refuses_puts),
        TEST(test_a_closed_queue_gives_what_is_left_then_says_closed),
        TEST(test_counts_of_a_closed_queue_say_closed),
        TEST(test_shutdown_immediate_drops_the_queued_messages),
        TEST(test_shutdown_immediate_wakes_blocked_getters_and_putters),
        TEST(test_shutdown_immediate_releases_join_once_taken_tasks_are_done),
        TEST(test_task_done_with_no_task_unfinished_is_one_too_many),
        TEST(test_join_with_no_task_put_returns_at_once),
        TEST(test_every_put_counts_a_task_and_task_done_ends_one),
        TEST(test_join_times_out_while_tasks_are_unfinished),
        TEST(test_join_returns_once_another_process_has_done_every_task),
        TEST(test_killed_producers_never_tear_a_message),
        TEST(test_static_queue_size_is_checked_without_overflow),
        TEST(test_a_side_that_changed_hands_twice_never_hangs),
        TEST(test_a_sleeper_killed_while_registered_leaves_no_sleeper),
        TEST(test_a_static_definition_backs_one_live_queue_at_a_time),
    };
    return cmocka_run_group_tests_name("queue", tests, NULL, NULL);
}
