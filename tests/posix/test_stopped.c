/*
 * A stopped process is not a dead one (issue 7, defects 4 and 11). A producer or consumer
 * stopped by SIGSTOP inside a put or get keeps its place, so the others must neither wait
 * for it past their deadlines (MP_NOWAIT answers at once) nor act as if it were gone: a
 * put it finishes after SIGCONT is never lost to a get that reported the queue closed.
 * Test hooks (core/test_hooks.h) stop the child at an exact point of its call.
 */
#include <signal.h>
#include <unistd.h>

#include "mp_test.h"
#include "test_hooks.h"

static MP_SHARED mpi_hook_point_t stop_at; /* where the next hooked call stops itself */

static void stop_here(mpi_hook_point_t point)
{
    if (point == stop_at) {
        stop_at = 0;
        raise(SIGSTOP);
    }
}

typedef struct {
    mp_queue_t q;
    bool get;                /* a consumer instead of a producer */
    mpi_hook_point_t stop;   /* 0: no stop; else the second call stops here */
    mp_timeout_t timeout;
} user_t;

/* One or two calls; the exit code is CODE(what the last one returned). */
static int queue_user(void *arg)
{
    user_t *u = arg;
    mpi_test_hook = stop_here;
    uint32_t v = 7;
    size_t len;
    mp_err_t err;
    if (u->stop != 0) {
        err = u->get ? mp_queue_get(u->q, &v, sizeof v, &len, u->timeout)
                     : mp_queue_put(u->q, &v, sizeof v, u->timeout);
        if (err != MP_OK)
            return 100;
        stop_at = u->stop;
    }
    err = u->get ? mp_queue_get(u->q, &v, sizeof v, &len, u->timeout)
                 : mp_queue_put(u->q, &v, sizeof v, u->timeout);
    return CODE(err);
}

static int run_user(mp_queue_t q, bool get, mp_timeout_t timeout)
{
    user_t u = {.q = q, .get = get, .timeout = timeout};
    return reap_soon(spawn(queue_user, &u, sizeof u, MP_DAEMON_YES)); /* fails on a hang */
}

static mp_process_t start_stopped(user_t *u)
{
    mp_process_t p = spawn(queue_user, u, sizeof *u, MP_DAEMON_YES);
    wait_stopped(p);
    return p;
}

static void resume(mp_process_t p)
{
    uint32_t pid;
    OK(mp_process_pid(p, &pid));
    assert_int_equal(0, kill((pid_t)pid, SIGCONT));
}

/* The others get honest answers while a user of their side is stopped inside it. */
static void others_answer_at_once(mp_queue_t q, bool get)
{
    assert_int_equal(CODE(MP_EAGAIN), run_user(q, get, MP_NOWAIT));
    assert_int_equal(CODE(MP_ETIMEDOUT), run_user(q, get, 100));
}

static void test_nowait_and_timed_puts_do_not_wait_for_a_stopped_biased_producer(void **state)
{
    (void)state;
    mp_queue_t q;
    OK(mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = 8, .depth = 64}));
    /* the first producer holds the side's bias, and stops inside its second put */
    user_t a = {.q = q, .stop = MPI_HOOK_PUT_INSIDE, .timeout = MP_NOWAIT};
    mp_process_t pa = start_stopped(&a);
    others_answer_at_once(q, false);
    resume(pa);
    assert_int_equal(0, reap(pa));
    assert_int_equal(0, run_user(q, false, MP_NOWAIT)); /* and then it works again */
    OK(mp_queue_destroy(q));
}

static void test_nowait_and_timed_puts_do_not_wait_for_a_stopped_guard_holder(void **state)
{
    (void)state;
    mp_queue_t q;
    OK(mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = 8, .depth = 64}));
    uint32_t v = 1;
    OK(mp_queue_put(q, &v, sizeof v, MP_NOWAIT));   /* biased to this process... */
    assert_int_equal(0, run_user(q, false, MP_NOWAIT)); /* ...revoked: the side takes its guard */
    user_t a = {.q = q, .stop = MPI_HOOK_PUT_INSIDE, .timeout = MP_NOWAIT};
    mp_process_t pa = start_stopped(&a);
    others_answer_at_once(q, false);
    resume(pa);
    assert_int_equal(0, reap(pa));
    OK(mp_queue_put(q, &v, sizeof v, MP_NOWAIT));
    OK(mp_queue_destroy(q));
}

static void test_nowait_and_timed_gets_do_not_wait_for_a_stopped_consumer(void **state)
{
    (void)state;
    mp_queue_t q;
    OK(mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = 8, .depth = 64}));
    uint32_t v = 1;
    for (int i = 0; i < 8; i++)
        OK(mp_queue_put(q, &v, sizeof v, MP_NOWAIT));
    user_t c = {.q = q, .get = true, .stop = MPI_HOOK_GET_INSIDE, .timeout = MP_NOWAIT};
    mp_process_t pc = start_stopped(&c);
    others_answer_at_once(q, true);
    resume(pc);
    assert_int_equal(0, reap(pc));
    assert_int_equal(0, run_user(q, true, MP_NOWAIT));
    OK(mp_queue_destroy(q));
}

/* Defect 11: a put that passed the closed check and is about to publish when the queue is
 * closed and drained. Either the put fails with MP_ECLOSED, or its message is delivered:
 * a get must not report MP_ECLOSED while that put can still succeed. */
static void test_a_put_racing_close_is_never_lost(void **state)
{
    (void)state;
    mp_queue_t q;
    OK(mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = 8, .depth = 64}));
    user_t a = {.q = q, .stop = MPI_HOOK_PUT_PUBLISH, .timeout = MP_NOWAIT};
    mp_process_t pa = start_stopped(&a); /* its first message is in; the second is copied */
    uint32_t v;
    size_t len;
    OK(mp_queue_get(q, &v, sizeof v, &len, MP_NOWAIT));
    OK(mp_queue_close(q));
    mp_err_t first = mp_queue_get(q, &v, sizeof v, &len, MP_NOWAIT);
    resume(pa);
    int put = reap(pa);
    mp_err_t second = mp_queue_get(q, &v, sizeof v, &len, LONG);
    if (put == 0) { /* the put succeeded: its message must be there */
        assert_int_not_equal(MP_ECLOSED, first);
        assert_true(first == MP_OK || second == MP_OK);
    } else {
        assert_int_equal(CODE(MP_ECLOSED), put);
    }
    OK(mp_queue_destroy(q));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_nowait_and_timed_puts_do_not_wait_for_a_stopped_biased_producer),
        TEST(test_nowait_and_timed_puts_do_not_wait_for_a_stopped_guard_holder),
        TEST(test_nowait_and_timed_gets_do_not_wait_for_a_stopped_consumer),
        TEST(test_a_put_racing_close_is_never_lost),
    };
    return cmocka_run_group_tests_name("stopped", tests, NULL, NULL);
}
