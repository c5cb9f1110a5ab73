/*
 * Suspend and resume (FreeRTOS vTaskSuspend/vTaskResume), on every port: a suspended
 * process runs none of its code until resumed, stays alive, keeps what it holds (a lock is
 * not recovered), and loses neither a wake-up nor a timeout that comes meanwhile; it can
 * still be terminated, killed or interrupted; who may suspend whom, and the codes.
 * (Deadlock reports that name suspended processes: tests/host-sim/test_sim.c.)
 */
#include "mp_test.h"

typedef struct {
    test_signal_t ready; /* posted just before the child blocks */
    mp_event_t go;       /* what the child waits for */
    mp_event_t done;     /* set by the child once its wait is over */
    mp_timeout_t wait;   /* the child's timeout on go */
    mp_lock_t held;      /* taken by the child first, when it is not 0 */
} child_arg_t;

static void arg_init(child_arg_t *a, mp_timeout_t wait)
{
    memset(a, 0, sizeof *a);
    signal_init(&a->ready);
    OK(mp_event_create(&a->go));
    OK(mp_event_create(&a->done));
    a->wait = wait;
}

static void arg_destroy(child_arg_t *a)
{
    signal_destroy(&a->ready);
    OK(mp_event_destroy(a->go));
    OK(mp_event_destroy(a->done));
}

/* Waits for go (taking held first, if any), then sets done; returns what its wait said. */
static int waiter(void *arg)
{
    child_arg_t *a = arg;
    if (a->held.id != 0 && mp_lock_acquire(a->held, MP_FOREVER) != MP_OK)
        return 100;
    signal_post(a->ready);
    mp_err_t err = mp_event_wait(a->go, a->wait);
    mp_event_set(a->done);
    return CODE(err);
}

/* Starts a waiter and returns once it sleeps in its wait. */
static mp_process_t start_waiter(child_arg_t *a)
{
    mp_process_t p = spawn_until(a->ready, waiter, a, sizeof *a, MP_DAEMON_NO);
    wait_blocked(p);
    return p;
}

/* Whether p is suspended; one that is, is alive too. (Once resumed it may end at any
 * time: is_alive, a poll, lets it run first on the task port.) */
static void expect_suspended(mp_process_t p, bool want)
{
    bool suspended = !want, alive = false;
    OK(mp_process_is_suspended(p, &suspended));
    assert_int_equal(want, suspended);
    if (want) {
        OK(mp_process_is_alive(p, &alive));
        assert_true(alive);
    }
}

/* ---- what a suspended process does, and what it misses --------------------------------- */

static void test_a_suspended_process_runs_when_resumed_and_keeps_its_wake_up(void **state)
{
    (void)state;
    child_arg_t a;
    arg_init(&a, LONG);
    mp_process_t p = start_waiter(&a);
    OK(mp_process_suspend(p));
    expect_suspended(p, true);
    OK(mp_event_set(a.go)); /* wakes it, but it may not run */
    assert_int_equal(MP_ETIMEDOUT, mp_event_wait(a.done, 50));
    expect_suspended(p, true);
    OK(mp_process_resume(p));
    expect_suspended(p, false);
    OK(mp_event_wait(a.done, LONG)); /* the wake-up was kept for it */
    assert_int_equal(0, reap_soon(p));
    arg_destroy(&a);
}

/* The child's deadline passes while it is suspended (the parent outwaits it twice over):
 * its wait says so once it runs again. */
static void test_a_timeout_that_expires_while_suspended_is_seen_after_resume(void **state)
{
    (void)state;
    child_arg_t a;
    arg_init(&a, 300);
    mp_process_t p = start_waiter(&a);
    OK(mp_process_suspend(p));
    assert_int_equal(MP_ETIMEDOUT, mp_event_wait(a.done, 600));
    OK(mp_process_resume(p));
    OK(mp_event_wait(a.done, LONG));
    assert_int_equal(CODE(MP_ETIMEDOUT), reap_soon(p));
    arg_destroy(&a);
}

static void test_a_lock_held_by_a_suspended_process_stays_held(void **state)
{
    (void)state;
    child_arg_t a;
    arg_init(&a, MP_FOREVER);
    OK(mp_lock_create(&a.held));
    mp_process_t p = start_waiter(&a);
    OK(mp_process_suspend(p));
    /* a stopped holder may go on: nothing it holds is taken over */
    assert_int_equal(MP_EAGAIN, mp_lock_acquire(a.held, MP_NOWAIT));
    assert_int_equal(MP_ETIMEDOUT, mp_lock_acquire(a.held, 20));
    OK(mp_process_resume(p));
    assert_int_equal(MP_ETIMEDOUT, mp_lock_acquire(a.held, 20)); /* still its */
    OK(mp_process_kill(p));
    assert_int_equal(-MP_SIGKILL, reap(p));
    assert_int_equal(MP_EOWNERDEAD, mp_lock_acquire(a.held, MP_NOWAIT)); /* a dead one's is */
    OK(mp_lock_release(a.held));
    OK(mp_lock_destroy(a.held));
    arg_destroy(&a);
}

/* ---- ending a suspended process -------------------------------------------------------- */

static void test_a_suspended_process_can_be_terminated_killed_or_interrupted(void **state)
{
    (void)state;
    static mp_err_t (*const end[])(mp_process_t) = {mp_process_terminate, mp_process_kill,
                                                    mp_process_interrupt};
    static const int codes[] = {-MP_SIGTERM, -MP_SIGKILL, -MP_SIGINT};
    for (size_t i = 0; i < sizeof end / sizeof end[0]; i++) {
        child_arg_t a;
        arg_init(&a, MP_FOREVER);
        mp_process_t p = start_waiter(&a);
        OK(mp_process_suspend(p));
        OK(end[i](p));
        assert_int_equal(codes[i], reap_soon(p)); /* at once, not once it is resumed */
        arg_destroy(&a);
    }
}

/* ---- suspending oneself ------------------------------------------------------------------ */

static MP_SHARED mp_event_t self_done;

static int suspends_itself(void *arg)
{
    (void)arg;
    mp_process_t me;
    if (mp_process_self(&me) != MP_OK)
        return 100;
    mp_err_t err = mp_process_suspend(me); /* returns once the parent resumes it */
    mp_event_set(self_done);
    return CODE(err);
}

static mp_process_t start_self_suspender(void)
{
    OK(mp_event_create(&self_done));
    mp_process_t p = spawn(suspends_itself, NULL, 0, MP_DAEMON_NO);
    bool suspended = false;
    while (!suspended) {
        OK(mp_process_is_suspended(p, &suspended));
        OK(mp_process_yield());
    }
    return p;
}

static void test_a_child_may_suspend_itself_until_its_parent_resumes_it(void **state)
{
    (void)state;
    mp_process_t p = start_self_suspender();
    assert_int_equal(MP_ETIMEDOUT, mp_event_wait(self_done, 50));
    expect_suspended(p, true);
    assert_int_equal(MP_EALREADY, mp_process_suspend(p));
    OK(mp_process_resume(p));
    OK(mp_event_wait(self_done, LONG));
    assert_int_equal(0, reap_soon(p));
    OK(mp_event_destroy(self_done));
}

static void test_a_process_suspended_by_itself_can_be_terminated(void **state)
{
    (void)state;
    mp_process_t p = start_self_suspender();
    OK(mp_process_terminate(p));
    assert_int_equal(-MP_SIGTERM, reap_soon(p));
    OK(mp_event_destroy(self_done));
}

/* ---- who, and the codes ----------------------------------------------------------------- */

static int suspends_a_sibling(void *arg)
{
    mp_process_t sibling = *(mp_process_t *)arg;
    mp_err_t s = mp_process_suspend(sibling), r = mp_process_resume(sibling);
    return s == MP_ENOTCHILD && r == MP_ENOTCHILD ? 0 : 1;
}

static int suspends_its_parent(void *arg)
{
    (void)arg;
    mp_process_t parent;
    if (mp_process_parent(&parent) != MP_OK)
        return 100;
    mp_err_t s = mp_process_suspend(parent), r = mp_process_resume(parent);
    return s == MP_ENOTCHILD && r == MP_ENOTCHILD ? 0 : 1;
}

static void test_only_the_parent_or_the_process_itself_may_suspend_it(void **state)
{
    (void)state;
    child_arg_t a;
    arg_init(&a, MP_FOREVER);
    mp_process_t p = start_waiter(&a);
    assert_int_equal(0, run(suspends_a_sibling, &p, sizeof p));
    assert_int_equal(0, run(suspends_its_parent, NULL, 0));
    mp_process_t me;
    OK(mp_process_self(&me));
    assert_int_equal(MP_ESELF, mp_process_suspend(me)); /* nobody could resume main */
    assert_int_equal(MP_ERUNNING, mp_process_resume(me));
    expect_suspended(p, false);
    OK(mp_event_set(a.go));
    assert_int_equal(0, reap_soon(p));
    arg_destroy(&a);
}

static void test_suspend_and_resume_refuse_a_process_in_the_wrong_state(void **state)
{
    (void)state;
    child_arg_t a;
    arg_init(&a, MP_FOREVER);
    mp_process_t unstarted;
    OK(mp_process_create(&unstarted, &(mp_process_attr_t){.target = waiter, .arg = &a,
                                                          .arg_size = sizeof a}));
    assert_int_equal(MP_ENOTSTARTED, mp_process_suspend(unstarted));
    assert_int_equal(MP_ENOTSTARTED, mp_process_resume(unstarted));
    bool suspended = true;
    OK(mp_process_is_suspended(unstarted, &suspended));
    assert_false(suspended);
    OK(mp_process_close(unstarted));

    mp_process_t p = start_waiter(&a);
    assert_int_equal(MP_ERUNNING, mp_process_resume(p)); /* not suspended */
    OK(mp_process_suspend(p));
    assert_int_equal(MP_EALREADY, mp_process_suspend(p));
    OK(mp_process_resume(p)); /* once is enough */
    assert_int_equal(MP_ERUNNING, mp_process_resume(p));
    assert_int_equal(MP_EINVAL, mp_process_is_suspended(p, NULL));
    OK(mp_event_set(a.go));
    OK(mp_process_join(p, LONG));
    assert_int_equal(MP_ENOENT, mp_process_suspend(p)); /* ended */
    assert_int_equal(MP_ENOENT, mp_process_resume(p));
    OK(mp_process_is_suspended(p, &suspended));
    assert_false(suspended);
    assert_int_equal(0, reap(p));
    arg_destroy(&a);
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_a_suspended_process_runs_when_resumed_and_keeps_its_wake_up),
        TEST(test_a_timeout_that_expires_while_suspended_is_seen_after_resume),
        TEST(test_a_lock_held_by_a_suspended_process_stays_held),
        TEST(test_a_suspended_process_can_be_terminated_killed_or_interrupted),
        TEST(test_a_child_may_suspend_itself_until_its_parent_resumes_it),
        TEST(test_a_process_suspended_by_itself_can_be_terminated),
        TEST(test_only_the_parent_or_the_process_itself_may_suspend_it),
        TEST(test_suspend_and_resume_refuse_a_process_in_the_wrong_state),
    };
    return cmocka_run_group_tests_name("suspend", tests, NULL, NULL);
}
