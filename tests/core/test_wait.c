/*
 * mp_wait (CPython's multiprocessing.connection.wait): ready objects reported without being
 * consumed, wake-ups from other processes for every kind, deadlines, destroy during a wait,
 * bad input, and a waiter's death.
 */
#include "mp_test.h"
#include "orphans.h"

static const mp_queue_attr_t small = {.msg_size = 8, .depth = 4};

/* ---- ready at once, nothing consumed ---------------------------------------------------- */

static void test_ready_objects_are_reported_and_nothing_is_consumed(void **state)
{
    (void)state;
    mp_queue_t q, empty;
    mp_event_t e;
    mp_semaphore_t s;
    OK(mp_queue_create(&q, &small));
    OK(mp_queue_create(&empty, &small));
    OK(mp_event_create(&e));
    OK(mp_semaphore_create(&s, 1, false));
    OK(mp_queue_put(q, "x", 1, MP_NOWAIT));
    mp_wait_item_t items[] = {MP_WAIT_ON(empty), MP_WAIT_ON(q), MP_WAIT_ON(e), MP_WAIT_ON(s)};
    size_t n = 99;
    OK(mp_wait(items, 4, MP_FOREVER, &n));
    assert_int_equal(2, n);
    assert_false(items[0].ready);
    assert_true(items[1].ready);
    assert_false(items[2].ready);
    assert_true(items[3].ready);
    size_t size = 0;
    OK(mp_queue_qsize(q, &size));
    assert_int_equal(1, size); /* the message is still there */
    uint32_t v = 0;
    OK(mp_semaphore_value(s, &v));
    assert_int_equal(1, v); /* and the unit */
    OK(mp_event_set(e));
    OK(mp_wait(items, 4, MP_NOWAIT, &n));
    assert_int_equal(3, n);
    assert_true(items[2].ready);
    OK(mp_queue_destroy(q));
    OK(mp_queue_destroy(empty));
    OK(mp_event_destroy(e));
    OK(mp_semaphore_destroy(s));
}

static void test_the_same_object_twice_is_reported_twice(void **state)
{
    (void)state;
    mp_event_t e;
    OK(mp_event_create(&e));
    OK(mp_event_set(e));
    mp_wait_item_t items[] = {MP_WAIT_ON(e), MP_WAIT_ON(e)};
    size_t n = 0;
    OK(mp_wait(items, 2, MP_NOWAIT, &n));
    assert_int_equal(2, n);
    OK(mp_event_destroy(e));
}

static void test_nothing_ready_is_eagain_at_once_and_etimedout_at_the_deadline(void **state)
{
    (void)state;
    mp_queue_t q;
    mp_event_t e;
    OK(mp_queue_create(&q, &small));
    OK(mp_event_create(&e));
    mp_wait_item_t items[] = {MP_WAIT_ON(q), MP_WAIT_ON(e)};
    size_t n = 99;
    assert_int_equal(MP_EAGAIN, mp_wait(items, 2, MP_NOWAIT, &n));
    assert_int_equal(0, n);
    mp_time_t before, after;
    OK(mp_clock_ns(&before));
    assert_int_equal(MP_ETIMEDOUT, mp_wait(items, 2, 30, &n));
    OK(mp_clock_ns(&after));
    assert_int_equal(0, n);
    assert_false(items[0].ready || items[1].ready);
    assert_true(after - before >= 30u * 1000000u); /* not before the deadline */
    /* the registrations are gone: the objects work as before */
    OK(mp_queue_put(q, "y", 1, MP_NOWAIT));
    OK(mp_event_set(e));
    OK(mp_event_wait(e, MP_NOWAIT));
    OK(mp_queue_destroy(q));
    OK(mp_event_destroy(e));
}

static void test_closed_queue_and_pipe_at_eof_are_ready(void **state)
{
    (void)state;
    mp_queue_t q;
    mp_conn_t a, b;
    OK(mp_queue_create(&q, &small));
    OK(mp_pipe_create(&a, &b, NULL));
    mp_wait_item_t items[] = {MP_WAIT_ON(q), MP_WAIT_ON(a)};
    size_t n = 0;
    assert_int_equal(MP_EAGAIN, mp_wait(items, 2, MP_NOWAIT, &n));
    OK(mp_queue_close(q));
    OK(mp_pipe_close(b));
    OK(mp_wait(items, 2, MP_NOWAIT, &n));
    assert_int_equal(2, n);
    char buf[4];
    size_t len;
    assert_int_equal(MP_EOF, mp_pipe_recv(a, buf, sizeof buf, &len, MP_NOWAIT));
    OK(mp_pipe_close(a));
    OK(mp_queue_destroy(q));
}

/* ---- bad input ------------------------------------------------------------------------ */

static int idle(void *arg)
{
    (void)arg;
    return 0;
}

static void test_bad_input_is_refused_with_the_index_of_the_bad_item(void **state)
{
    (void)state;
    mp_event_t e, gone;
    mp_lock_t l;
    mp_conn_t a, b;
    OK(mp_event_create(&e));
    OK(mp_event_create(&gone));
    OK(mp_event_destroy(gone));
    OK(mp_lock_create(&l));
    OK(mp_pipe_create(&a, &b, &(mp_pipe_attr_t){.duplex = false})); /* b only sends */
    mp_wait_item_t items[MP_CONF_WAIT_OBJECTS + 1];
    for (size_t i = 0; i < MP_CONF_WAIT_OBJECTS + 1; i++)
        items[i] = MP_WAIT_ON(e);
    size_t n = 99;
    assert_int_equal(MP_EINVAL, mp_wait(NULL, 1, MP_NOWAIT, &n));
    assert_int_equal(MP_EINVAL, mp_wait(items, 1, MP_NOWAIT, NULL));
    assert_int_equal(MP_EINVAL, mp_wait(items, 0, MP_FOREVER, &n)); /* CPython would sleep */
    assert_int_equal(MP_EINVAL, mp_wait(items, MP_CONF_WAIT_OBJECTS + 1, MP_NOWAIT, &n));
    assert_int_equal(99, n);

    mp_process_t me, unstarted, stranger = {0};
    OK(mp_process_self(&me));
    OK(mp_process_create(&unstarted, &(mp_process_attr_t){.target = idle}));
    struct {
        uint32_t id;
        mp_err_t err;
    } bad[] = {
        {0, MP_EHANDLE},         {l.id, MP_EHANDLE},       {gone.id, MP_ESTALE},
        {b.id, MP_EWRITEONLY},   {me.id, MP_ESELF},        {unstarted.id, MP_ENOTSTARTED},
        {stranger.id, MP_EHANDLE},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        items[1] = (mp_wait_item_t){.id = bad[k].id};
        n = 99;
        assert_int_equal(bad[k].err, mp_wait(items, 2, MP_FOREVER, &n)); /* never waits */
        assert_int_equal(1, n);
    }
    OK(mp_pipe_close(b));
    items[1] = MP_WAIT_ON(b);
    assert_int_equal(MP_ECLOSED, mp_wait(items, 2, MP_FOREVER, &n));
    /* nothing was changed by the refused calls */
    bool set = true, held = true;
    OK(mp_event_is_set(e, &set));
    assert_false(set);
    OK(mp_lock_locked(l, &held));
    assert_false(held);
    OK(mp_process_close(unstarted));
    OK(mp_pipe_close(a));
    OK(mp_lock_destroy(l));
    OK(mp_event_destroy(e));
}

/* ---- woken by another process ----------------------------------------------------------- */

enum { Q, PIPE, EVENT, SEM, KINDS };

typedef struct {
    mp_queue_t q;
    mp_conn_t rx, tx;
    mp_event_t e;
    mp_semaphore_t s;
    mp_process_t other; /* a process to wait for too (0: none) */
    mp_semaphore_t woke, finish;
} board_t;

/* What the waiter saw: the code, the count, and a bit per ready item. */
static MP_SHARED struct {
    int32_t err;
    uint32_t count;
    uint32_t ready;
} seen;

static size_t items_of(const board_t *b, mp_wait_item_t *items)
{
    items[Q] = MP_WAIT_ON(b->q);
    items[PIPE] = MP_WAIT_ON(b->rx);
    items[EVENT] = MP_WAIT_ON(b->e);
    items[SEM] = MP_WAIT_ON(b->s);
    return KINDS;
}

/* Waits on everything, reports, and stays alive until told: on the simulation the end of
 * a process wakes every blocked task, which would hide a wake-up that never came. */
static int waiter(void *arg)
{
    board_t *b = arg;
    mp_wait_item_t items[KINDS];
    size_t n = 0;
    mp_err_t err = mp_wait(items, items_of(b, items), LONG, &n);
    seen.err = err;
    seen.count = (uint32_t)n;
    seen.ready = 0;
    for (size_t i = 0; i < KINDS; i++)
        seen.ready |= (uint32_t)items[i].ready << i;
    (void)mp_semaphore_release(b->woke);
    (void)mp_semaphore_acquire(b->finish, MP_FOREVER);
    return 0;
}

static void board_init(board_t *b)
{
    memset(b, 0, sizeof *b);
    OK(mp_queue_create(&b->q, &small));
    OK(mp_pipe_create(&b->rx, &b->tx, NULL));
    OK(mp_event_create(&b->e));
    OK(mp_semaphore_create(&b->s, 0, false));
    OK(mp_semaphore_create(&b->woke, 0, false));
    OK(mp_semaphore_create(&b->finish, 0, false));
    memset(&seen, 0, sizeof seen);
}

/* tx_closed: the test closed the sending end already. */
static void board_destroy(board_t *b, bool tx_closed)
{
    OK(mp_queue_destroy(b->q));
    OK(mp_pipe_close(b->rx));
    if (!tx_closed)
        OK(mp_pipe_close(b->tx));
    OK(mp_event_destroy(b->e));
    OK(mp_semaphore_destroy(b->s));
    OK(mp_semaphore_destroy(b->woke));
    OK(mp_semaphore_destroy(b->finish));
}

/* A waiter asleep in mp_wait on the board. */
static mp_process_t waiter_asleep(board_t *b)
{
    mp_process_t w = spawn(waiter, b, sizeof *b, MP_DAEMON_YES);
    wait_blocked(w);
    return w;
}

/* Waits for the waiter's report (in `seen`), then lets it end and reaps it. */
static void waiter_reported(board_t *b, mp_process_t w, void (*check)(void))
{
    OK(mp_semaphore_acquire(b->woke, LONG));
    check();
    OK(mp_semaphore_release(b->finish));
    assert_int_equal(0, reap_soon(w));
}

static int woken_kind; /* what the next check_woken expects: the only item ready */

static void check_woken(void)
{
    assert_int_equal(MP_OK, seen.err);
    assert_int_equal(1, seen.count);
    assert_int_equal(1u << woken_kind, seen.ready);
}

/* Starts the waiter, lets it fall asleep in mp_wait, does what should wake it, and checks
 * it saw exactly that item ready. */
static void wake_by(int kind)
{
    board_t b;
    board_init(&b);
    /* the pipe's other end is used by this process, so its users are alive */
    OK(mp_pipe_send(b.tx, NULL, 0, MP_NOWAIT));
    char buf[4];
    size_t len;
    OK(mp_pipe_recv(b.rx, buf, sizeof buf, &len, MP_NOWAIT));
    mp_process_t w = waiter_asleep(&b);
    switch (kind) {
    case Q: OK(mp_queue_put(b.q, "m", 1, MP_NOWAIT)); break;
    case PIPE: OK(mp_pipe_send(b.tx, "m", 1, MP_NOWAIT)); break;
    case EVENT: OK(mp_event_set(b.e)); break;
    case SEM: OK(mp_semaphore_release(b.s)); break;
    }
    woken_kind = kind;
    waiter_reported(&b, w, check_woken);
    uint32_t v = 0;
    OK(mp_semaphore_value(b.s, &v));
    assert_int_equal(kind == SEM ? 1 : 0, v); /* waiting took nothing */
    board_destroy(&b, false);
}

static void test_a_message_in_a_queue_wakes_the_waiter(void **state)
{
    (void)state;
    wake_by(Q);
}

static void test_a_message_on_a_pipe_wakes_the_waiter(void **state)
{
    (void)state;
    wake_by(PIPE);
}

static void test_an_event_set_wakes_the_waiter(void **state)
{
    (void)state;
    wake_by(EVENT);
}

static void test_a_semaphore_release_wakes_the_waiter(void **state)
{
    (void)state;
    wake_by(SEM);
}

/* A closed peer end and a closed queue are news too. */
static void test_close_of_the_peer_end_or_of_the_queue_wakes_the_waiter(void **state)
{
    (void)state;
    for (int kind = Q; kind <= PIPE; kind++) {
        board_t b;
        board_init(&b);
        mp_process_t w = waiter_asleep(&b);
        OK(kind == Q ? mp_queue_close(b.q) : mp_pipe_close(b.tx));
        woken_kind = kind;
        waiter_reported(&b, w, check_woken);
        board_destroy(&b, kind == PIPE);
    }
}

/* Destroying an object a process waits on ends its wait with MP_ESTALE, naming the item. */
static void check_event_stale(void)
{
    assert_int_equal(MP_ESTALE, seen.err);
    assert_int_equal(EVENT, seen.count);
}

static void test_destroy_during_the_wait_is_estale_with_its_index(void **state)
{
    (void)state;
    board_t b;
    board_init(&b);
    mp_process_t w = waiter_asleep(&b);
    OK(mp_event_destroy(b.e));
    waiter_reported(&b, w, check_event_stale);
    OK(mp_event_create(&b.e)); /* for board_destroy */
    board_destroy(&b, false);
}

/* A waiter is never among an object's own sleepers, so it takes no wake-up from them: one
 * release with both a waiter and an acquirer asleep still reaches the acquirer. */
typedef struct {
    mp_semaphore_t s;
} acquirer_arg_t;

static int acquirer(void *arg)
{
    acquirer_arg_t *a = arg;
    return CODE(mp_semaphore_acquire(a->s, LONG));
}

static void test_a_waiter_takes_no_wake_up_from_a_blocked_acquirer(void **state)
{
    (void)state;
    board_t b;
    board_init(&b);
    acquirer_arg_t a = {.s = b.s};
    mp_process_t w = waiter_asleep(&b);
    mp_process_t k = spawn(acquirer, &a, sizeof a, MP_DAEMON_YES);
    wait_blocked(k);
    OK(mp_semaphore_release(b.s));
    assert_int_equal(0, reap_soon(k)); /* the acquirer got the unit */
    /* the waiter may have looked too late for that unit; it sees the next one */
    OK(mp_semaphore_release(b.s));
    woken_kind = SEM;
    waiter_reported(&b, w, check_woken);
    board_destroy(&b, false);
}

/* ---- processes ------------------------------------------------------------------------ */

static int seven(void *arg)
{
    (void)arg;
    return 7;
}

static void test_a_child_that_ends_is_ready_and_can_be_joined_at_once(void **state)
{
    (void)state;
    mp_queue_t q;
    OK(mp_queue_create(&q, &small));
    mp_process_t c = spawn(seven, NULL, 0, MP_DAEMON_NO);
    mp_wait_item_t items[] = {MP_WAIT_ON(q), MP_WAIT_ON(c)};
    size_t n = 0;
    OK(mp_wait(items, 2, LONG, &n));
    assert_int_equal(1, n);
    assert_true(items[1].ready);
    bool alive = true;
    OK(mp_process_is_alive(c, &alive));
    assert_false(alive);
    OK(mp_process_join(c, MP_NOWAIT));
    OK(mp_wait(items, 2, MP_NOWAIT, &n)); /* joined: still ended */
    assert_int_equal(7, reap(c));
    OK(mp_queue_destroy(q));
}

/* A child that sleeps on its parent's end: the parent is killed. */
static int orphan(void *arg)
{
    orphan_arg_t *a = arg;
    mp_process_t parent, me;
    if (mp_process_parent(&parent) != MP_OK || mp_process_self(&me) != MP_OK)
        return 1;
    if (mp_queue_put(a->q, &me, sizeof me, LONG) != MP_OK)
        return 2;
    mp_wait_item_t items[] = {MP_WAIT_ON(a->never), MP_WAIT_ON(parent)};
    size_t n = 0;
    mp_err_t err = mp_wait(items, 2, LONG, &n);
    int32_t report = err == MP_OK && n == 1 && items[1].ready ? 1 : -(int32_t)err - 100;
    return mp_queue_put(a->q, &report, sizeof report, LONG) == MP_OK ? 0 : 3;
}

static void test_a_child_waits_for_its_parent_to_end(void **state)
{
    (void)state;
    orphan_arg_t a = {.grandchild = orphan};
    OK(mp_queue_create(&a.q, &(mp_queue_attr_t){.msg_size = sizeof(mp_process_t), .depth = 4}));
    OK(mp_event_create(&a.never));
    mp_process_t c = spawn(orphans_parent, &a, sizeof a, MP_DAEMON_NO);
    mp_process_t g;
    size_t len;
    OK(mp_queue_get(a.q, &g, sizeof g, &len, LONG));
    wait_blocked(g);
    OK(mp_process_kill(c));
    assert_int_equal(-MP_SIGKILL, reap(c));
    int32_t report = 0;
    OK(mp_queue_get(a.q, &report, sizeof report, &len, LONG));
    assert_int_equal(1, report);
    assert_int_equal(0, reap_soon(g)); /* adopted by us */
    OK(mp_event_destroy(a.never));
    OK(mp_queue_destroy(a.q));
}

/* ---- a waiter that dies ---------------------------------------------------------------- */

/* A waiter killed asleep leaves nothing behind: its registrations go when it is joined,
 * and the objects work for the next waiter. */
static void test_a_waiter_killed_asleep_leaves_the_objects_working(void **state)
{
    (void)state;
    board_t b;
    board_init(&b);
    mp_process_t w = waiter_asleep(&b);
    OK(mp_process_kill(w));
    assert_int_equal(-MP_SIGKILL, reap(w));
    w = waiter_asleep(&b);
    OK(mp_semaphore_release(b.s));
    woken_kind = SEM;
    waiter_reported(&b, w, check_woken);
    OK(mp_semaphore_acquire(b.s, MP_NOWAIT));
    board_destroy(&b, false);
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_ready_objects_are_reported_and_nothing_is_consumed),
        TEST(test_the_same_object_twice_is_reported_twice),
        TEST(test_nothing_ready_is_eagain_at_once_and_etimedout_at_the_deadline),
        TEST(test_closed_queue_and_pipe_at_eof_are_ready),
        TEST(test_bad_input_is_refused_with_the_index_of_the_bad_item),
        TEST(test_a_message_in_a_queue_wakes_the_waiter),
        TEST(test_a_message_on_a_pipe_wakes_the_waiter),
        TEST(test_an_event_set_wakes_the_waiter),
        TEST(test_a_semaphore_release_wakes_the_waiter),
        TEST(test_close_of_the_peer_end_or_of_the_queue_wakes_the_waiter),
        TEST(test_destroy_during_the_wait_is_estale_with_its_index),
        TEST(test_a_waiter_takes_no_wake_up_from_a_blocked_acquirer),
        TEST(test_a_child_that_ends_is_ready_and_can_be_joined_at_once),
        TEST(test_a_child_waits_for_its_parent_to_end),
        TEST(test_a_waiter_killed_asleep_leaves_the_objects_working),
    };
    return cmocka_run_group_tests_name("wait", tests, NULL, NULL);
}
