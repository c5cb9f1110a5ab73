/*
 * Interrupt handlers and the runtime, on the task port (host simulation and Cortex-M3):
 * the calls that do not wait work from a handler and wake processes; the ones that would
 * wait are refused with MP_EISR; a process of higher priority woken by a handler runs
 * before the interrupted one goes on.
 */
#include "mp_board.h"
#include "mp_test.h"

typedef struct {
    mp_queue_t q;
    mp_semaphore_t sem;
    mp_event_t ev;
    mp_lock_t lock;
} objects_t;

static objects_t objs;
static MP_SHARED volatile int in_isr, put_result, blocking_put, lock_result, acquire_result,
    self_result, join_result, fired;

static void handler(void *arg)
{
    (void)arg;
    uint32_t v = 42;
    in_isr = mp_port_in_isr();
    put_result = mp_queue_put(objs.q, &v, sizeof v, MP_NOWAIT);
    blocking_put = mp_queue_put(objs.q, &v, sizeof v, 100);     /* would wait: refused */
    lock_result = mp_lock_acquire(objs.lock, MP_NOWAIT);       /* locks belong to processes */
    acquire_result = mp_semaphore_acquire(objs.sem, MP_FOREVER); /* would wait: refused */
    mp_process_t self = {0};
    self_result = mp_process_self(&self);      /* a handler is no process */
    join_result = mp_process_join(self, MP_NOWAIT);
    mp_semaphore_release(objs.sem);
    mp_event_set(objs.ev);
    fired++;
}

static void setup_objects(void)
{
    OK(mp_queue_create(&objs.q, &(mp_queue_attr_t){.msg_size = 4, .depth = 4}));
    OK(mp_semaphore_create(&objs.sem, 0, false));
    OK(mp_event_create(&objs.ev));
    OK(mp_lock_create(&objs.lock));
    fired = 0;
}

static void destroy_objects(void)
{
    OK(mp_queue_destroy(objs.q));
    OK(mp_semaphore_destroy(objs.sem));
    OK(mp_event_destroy(objs.ev));
    OK(mp_lock_destroy(objs.lock));
}

/* Arms the handler in 1 ms and waits for the message it puts; returns that message. */
static uint32_t fire_the_handler(void)
{
    setup_objects();
    OK(mp_board_after(1000000, handler, NULL)); /* in 1 ms */
    uint32_t v = 0;
    size_t len;
    OK(mp_queue_get(objs.q, &v, sizeof v, &len, MP_FOREVER)); /* woken by the handler */
    return v;
}

static void test_a_handler_wakes_a_waiting_process(void **state)
{
    (void)state;
    assert_int_equal(42, fire_the_handler());
    assert_int_equal(1, fired);
    assert_true(in_isr);
    assert_int_equal(MP_OK, put_result);
    assert_false(mp_port_in_isr());
    destroy_objects();
}

static void test_calls_that_could_wait_are_refused_in_a_handler(void **state)
{
    (void)state;
    (void)fire_the_handler();
    assert_int_equal(MP_EISR, blocking_put);
    assert_int_equal(MP_EISR, lock_result);
    assert_int_equal(MP_EISR, acquire_result);
    destroy_objects();
}

static void test_a_handler_is_no_process(void **state)
{
    (void)state;
    (void)fire_the_handler();
    assert_int_equal(MP_EISR, self_result);
    assert_int_equal(MP_EISR, join_result);
    destroy_objects();
}

static void test_a_handler_may_release_a_semaphore_and_set_an_event(void **state)
{
    (void)state;
    (void)fire_the_handler();
    OK(mp_semaphore_acquire(objs.sem, MP_NOWAIT)); /* released by the handler */
    OK(mp_event_wait(objs.ev, MP_NOWAIT));         /* set by the handler */
    destroy_objects();
}

static int wait_for_event(void *arg)
{
    (void)arg;
    return CODE(mp_event_wait(objs.ev, MP_FOREVER));
}

static void test_a_woken_process_of_higher_priority_runs(void **state)
{
    (void)state;
    setup_objects();
    mp_process_t p;
    OK(mp_process_create(&p, &(mp_process_attr_t){.target = wait_for_event, .priority = 3}));
    OK(mp_process_start(p)); /* runs at once, then blocks on the event */
    OK(mp_board_after(1000000, handler, NULL));
    assert_int_equal(0, reap(p)); /* the handler's set() woke it */
    assert_int_equal(1, fired);
    uint32_t v;
    size_t len;
    OK(mp_queue_get(objs.q, &v, sizeof v, &len, MP_NOWAIT));
    destroy_objects();
}

/* Issue 7, defect 3: a read-modify-write refused in a handler (it would take a lock)
 * changes nothing. */
static MP_SHARED volatile int add_result, cas_result;
static mp_value_t wide;

static void rmw_handler(void *arg)
{
    (void)arg;
    int64_t prev = 0, expected = 100, desired = 1;
    bool swapped = false;
    add_result = mp_value_add(wide, 5, &prev);
    cas_result = mp_value_cas(wide, &expected, &desired, &swapped);
    fired = 1;
}

static void test_a_refused_read_modify_write_in_a_handler_changes_nothing(void **state)
{
    (void)state;
    int64_t init = 100, v = 0;
    OK(mp_value_create(&wide, MP_I64, &init, false));
    fired = 0;
    OK(mp_board_after(1000000, rmw_handler, NULL));
    mp_event_t never;
    OK(mp_event_create(&never));
    assert_int_equal(MP_ETIMEDOUT, mp_event_wait(never, 5)); /* the handler runs meanwhile */
    OK(mp_event_destroy(never));
    assert_int_equal(1, fired);
    assert_int_equal(MP_EISR, add_result);
    assert_int_equal(MP_EISR, cas_result);
    OK(mp_value_get(wide, &v));
    assert_int_equal(100, v);
    OK(mp_value_destroy(wide));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_refused_read_modify_write_in_a_handler_changes_nothing),
        TEST(test_a_handler_wakes_a_waiting_process),
        TEST(test_calls_that_could_wait_are_refused_in_a_handler),
        TEST(test_a_handler_is_no_process),
        TEST(test_a_handler_may_release_a_semaphore_and_set_an_event),
        TEST(test_a_woken_process_of_higher_priority_runs),
    };
    return cmocka_run_group_tests_name("isr", tests, NULL, NULL);
}
