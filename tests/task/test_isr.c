/*
 * Interrupt handlers and the runtime, on the task port (host simulation and Cortex-M3):
 * the calls that do not wait work from a handler and wake processes; the ones that would
 * wait are refused with MP_EISR; a process of higher priority woken by a handler runs
 * before the interrupted one goes on. Dict and List calls with MP_NOWAIT work in a
 * handler, or say MP_EAGAIN while a task holds the container's lock; Pool calls never do.
 * A Slab's free works in a handler and wakes a process waiting for a block; so does alloc
 * with MP_NOWAIT (the block belongs to no process).
 */
#include "mp_board.h"
#include "mp_test.h"
#include "test_hooks.h"

typedef struct {
    mp_queue_t q;
    mp_semaphore_t sem;
    mp_event_t ev;
    mp_lock_t lock;
} objects_t;

static objects_t objs;
static MP_SHARED volatile int in_isr, put_result, blocking_put, lock_result, acquire_result,
    self_result, join_result, sleep_result, yield_result, atexit_result, suspend_result,
    resume_result, fired;

static void no_op(void *arg)
{
    (void)arg;
}

static void handler(void *arg)
{
    (void)arg;
    uint32_t v = 42;
    in_isr = mp_port_in_isr();
    put_result = mp_queue_put(objs.q, &v, sizeof v, MP_NOWAIT);
    blocking_put = mp_queue_put(objs.q, &v, sizeof v, 100);     /* would wait: refused */
    lock_result = mp_lock_acquire(objs.lock, MP_NOWAIT);       /* locks belong to processes */
    acquire_result = mp_semaphore_acquire(objs.sem, MP_FOREVER); /* would wait: refused */
    sleep_result = mp_sleep(0);                                   /* even a yield: refused */
    yield_result = mp_process_yield(); /* a handler has no turn to give up */
    mp_process_t self = {0};
    self_result = mp_process_self(&self);      /* a handler is no process */
    join_result = mp_process_join(self, MP_NOWAIT);
    atexit_result = mp_atexit(no_op, NULL);   /* nor has it an exit sequence */
    suspend_result = mp_process_suspend(self); /* nor children to suspend */
    resume_result = mp_process_resume(self);
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
    assert_int_equal(MP_EISR, sleep_result);
    assert_int_equal(MP_EISR, yield_result);
    destroy_objects();
}

static void test_a_handler_is_no_process(void **state)
{
    (void)state;
    (void)fire_the_handler();
    assert_int_equal(MP_EISR, self_result);
    assert_int_equal(MP_EISR, join_result);
    assert_int_equal(MP_EISR, atexit_result);
    assert_int_equal(MP_EISR, suspend_result);
    assert_int_equal(MP_EISR, resume_result);
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

static MP_SHARED volatile int wait_nowait_result, wait_timeout_result;

/* mp_wait in a handler: a look (MP_NOWAIT) is allowed, a wait is not; then it sets ev. */
static void wait_handler(void *arg)
{
    (void)arg;
    mp_wait_item_t items[] = {MP_WAIT_ON(objs.q)};
    size_t n;
    wait_nowait_result = mp_wait(items, 1, MP_NOWAIT, &n);
    wait_timeout_result = mp_wait(items, 1, 100, &n);
    mp_event_set(objs.ev);
    fired++;
}

static void test_a_handler_wakes_a_process_waiting_on_several_objects(void **state)
{
    (void)state;
    setup_objects();
    OK(mp_board_after(1000000, wait_handler, NULL)); /* in 1 ms */
    mp_wait_item_t items[] = {MP_WAIT_ON(objs.q), MP_WAIT_ON(objs.ev)};
    size_t n = 0;
    OK(mp_wait(items, 2, MP_FOREVER, &n)); /* woken by the handler's set */
    assert_int_equal(1, fired);
    assert_int_equal(1, n);
    assert_true(items[1].ready);
    assert_int_equal(MP_EAGAIN, wait_nowait_result);
    assert_int_equal(MP_EISR, wait_timeout_result);
    destroy_objects();
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

/* ---- Dict and List in a handler ---------------------------------------------------------- */
#define CODES 32
static MP_SHARED volatile int codes[CODES], ncodes;
static mp_dict_t dict;
static mp_list_t list;
static mp_dict_iter_t dict_it;
static mp_list_iter_t list_it;
static mp_event_t never;
static MP_SHARED volatile int wait_result;

static void note(mp_err_t err)
{
    if (ncodes < CODES)
        codes[ncodes++] = err;
}

static void assert_codes(const mp_err_t *want, int n)
{
    assert_int_equal(n, ncodes);
    for (int i = 0; i < n; i++)
        assert_int_equal(want[i], codes[i]);
}

/* dict {"k": "v0"}, list [2, 1], an iterator over each, and an Event nobody sets. */
static void make_containers(void)
{
    OK(mp_dict_create(&dict, &(mp_dict_attr_t){.capacity = 4, .key_size = 8, .value_size = 8}));
    OK(mp_dict_set(dict, "k", "v0", 3, MP_NOWAIT));
    OK(mp_list_create(&list, &(mp_list_attr_t){.capacity = 4, .item_size = sizeof(int32_t)}));
    OK(mp_list_extend(list, (int32_t[]){2, 1}, 2, MP_NOWAIT));
    OK(mp_dict_iter(dict, &dict_it, MP_NOWAIT));
    OK(mp_list_iter(list, &list_it, MP_NOWAIT));
    OK(mp_event_create(&never));
    ncodes = 0;
    fired = 0;
}

static void destroy_containers(void)
{
    OK(mp_dict_destroy(dict));
    OK(mp_list_destroy(list));
    OK(mp_event_destroy(never));
}

static void assert_value(const char *key, const char *want)
{
    char buf[8];
    size_t len;
    OK(mp_dict_get(dict, key, buf, sizeof buf, &len, MP_NOWAIT));
    assert_int_equal(strlen(want) + 1, len);
    assert_string_equal(want, buf);
}

static void assert_items(const int32_t *want, size_t n)
{
    size_t len;
    OK(mp_list_len(list, &len, MP_NOWAIT));
    assert_int_equal(n, len);
    for (size_t i = 0; i < n; i++) {
        int32_t x;
        OK(mp_list_get(list, (int32_t)i, &x, MP_NOWAIT));
        assert_int_equal(want[i], x);
    }
}

/* Fires fn in 1 ms, while the main process waits on an Event nobody sets. */
static void run_handler(void (*fn)(void *))
{
    OK(mp_board_after(1000000, fn, NULL));
    assert_int_equal(MP_ETIMEDOUT, mp_event_wait(never, 5));
    assert_int_equal(1, fired);
}

static void waiting_calls_handler(void *arg)
{
    (void)arg;
    char buf[8], key[9];
    size_t len, n;
    bool found;
    int64_t prev;
    int32_t x = 7;
    mp_dict_iter_t dit;
    mp_list_iter_t lit;
    note(mp_dict_set(dict, "k", "isr", 4, 100));
    note(mp_dict_get(dict, "k", buf, sizeof buf, &len, MP_FOREVER));
    note(mp_dict_delete(dict, "k", 1));
    note(mp_dict_pop(dict, "k", buf, sizeof buf, &len, 100));
    note(mp_dict_contains(dict, "k", &found, 100));
    note(mp_dict_len(dict, &n, 100));
    note(mp_dict_clear(dict, 100));
    note(mp_dict_setdefault(dict, "j", "d", 2, NULL, 0, NULL, 100));
    note(mp_dict_add(dict, "k", 1, &prev, 100));
    note(mp_dict_update(dict, dict, 100));
    note(mp_dict_iter(dict, &dit, 100));
    note(mp_dict_next(&dict_it, key, sizeof key, buf, sizeof buf, &len, 100));
    note(mp_list_append(list, &x, 100));
    note(mp_list_extend(list, &x, 1, 100));
    note(mp_list_insert(list, 0, &x, MP_FOREVER));
    note(mp_list_get(list, 0, &x, 100));
    note(mp_list_set(list, 0, &x, 100));
    note(mp_list_pop(list, 0, NULL, 100));
    note(mp_list_remove(list, &x, 100));
    note(mp_list_index(list, &x, &n, 100));
    note(mp_list_count(list, &x, &n, 100));
    note(mp_list_len(list, &n, 100));
    note(mp_list_clear(list, 100));
    note(mp_list_sort(list, NULL, NULL, false, 100));
    note(mp_list_iter(list, &lit, 100));
    note(mp_list_next(&list_it, &x, 100));
    fired = 1;
}

static void test_dict_and_list_calls_that_would_wait_are_refused_and_change_nothing(void **state)
{
    (void)state;
    make_containers();
    run_handler(waiting_calls_handler);
    assert_int_equal(26, ncodes);
    for (int i = 0; i < ncodes; i++)
        assert_int_equal(MP_EISR, codes[i]);
    assert_value("k", "v0");
    assert_items((int32_t[]){2, 1}, 2);
    char key[9], buf[8];
    size_t len;
    int32_t x;
    OK(mp_dict_next(&dict_it, key, sizeof key, buf, sizeof buf, &len, MP_NOWAIT)); /* still at 0 */
    assert_string_equal("k", key);
    OK(mp_list_next(&list_it, &x, MP_NOWAIT));
    assert_int_equal(2, x);
    destroy_containers();
}

static int by_value(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    int32_t x, y;
    memcpy(&x, a, sizeof x);
    memcpy(&y, b, sizeof y);
    return (x > y) - (x < y);
}

static MP_SHARED volatile int32_t popped, next_item;
static MP_SHARED char got_value[8];

static void nowait_handler(void *arg)
{
    (void)arg;
    char buf[8];
    size_t len, n;
    int32_t x = 3;
    mp_list_iter_t lit;
    note(mp_dict_set(dict, "h", "isr", 4, MP_NOWAIT));
    note(mp_dict_get(dict, "k", buf, sizeof buf, &len, MP_NOWAIT));
    memcpy(got_value, buf, sizeof buf);
    note(mp_dict_len(dict, &n, MP_NOWAIT));
    note(n == 2 ? MP_OK : MP_ERANGE);
    note(mp_list_append(list, &x, MP_NOWAIT));                  /* [2, 1, 3] */
    note(mp_list_sort(list, by_value, NULL, false, MP_NOWAIT)); /* its cmp runs here */
    note(mp_list_pop(list, 0, &x, MP_NOWAIT));                  /* 1: [2, 3] */
    popped = x;
    note(mp_list_iter(list, &lit, MP_NOWAIT));
    note(mp_list_next(&lit, &x, MP_NOWAIT));
    next_item = x;
    fired = 1;
}

static void test_a_handler_may_use_a_dict_and_a_list_with_nowait(void **state)
{
    (void)state;
    make_containers();
    run_handler(nowait_handler);
    assert_int_equal(9, ncodes);
    for (int i = 0; i < ncodes; i++)
        assert_int_equal(MP_OK, codes[i]);
    assert_string_equal("v0", got_value);
    assert_int_equal(1, popped);
    assert_int_equal(2, next_item);
    assert_value("h", "isr");
    assert_value("k", "v0");
    assert_items((int32_t[]){2, 3}, 2);
    destroy_containers();
}

/* The main process is inside mp_list_sort, holding the list's lock, when the handler
 * fires: its cmp waits on the first comparison. */
static void held_list_handler(void *arg)
{
    (void)arg;
    int32_t x = 9;
    size_t n;
    note(mp_list_append(list, &x, MP_NOWAIT));
    note(mp_list_len(list, &n, MP_NOWAIT));
    note(mp_list_pop(list, -1, &x, MP_NOWAIT));
    note(mp_list_append(list, &x, 100));
    note(mp_dict_set(dict, "i", "x", 2, MP_NOWAIT)); /* another container: its lock is free */
    fired = 1;
}

static int waiting_cmp(const void *a, const void *b, void *ctx)
{
    volatile bool *armed = ctx;
    if (!*armed) {
        *armed = true;
        if (mp_board_after(1000000, held_list_handler, NULL) == MP_OK)
            wait_result = mp_event_wait(never, 5);
    }
    return by_value(a, b, NULL);
}

static void test_a_handler_gets_eagain_while_a_task_holds_the_list(void **state)
{
    (void)state;
    make_containers();
    OK(mp_list_append(list, &(int32_t){3}, MP_NOWAIT));
    volatile bool armed = false;
    OK(mp_list_sort(list, waiting_cmp, (void *)&armed, false, MP_FOREVER));
    assert_int_equal(MP_ETIMEDOUT, wait_result);
    assert_int_equal(1, fired);
    assert_codes((mp_err_t[]){MP_EAGAIN, MP_EAGAIN, MP_EAGAIN, MP_EISR, MP_OK}, 5);
    assert_items((int32_t[]){1, 2, 3}, 3); /* sorted, and nothing of the handler's */
    assert_value("i", "x");
    destroy_containers();
}

static void held_dict_handler(void *arg)
{
    (void)arg;
    char buf[8];
    size_t len;
    note(mp_dict_get(dict, "k", buf, sizeof buf, &len, MP_NOWAIT));
    note(mp_dict_set(dict, "k", "isr", 4, MP_NOWAIT));
    note(mp_dict_len(dict, &len, MP_NOWAIT));
    note(mp_dict_set(dict, "k", "isr", 4, 100));
    note(mp_list_len(list, &len, MP_NOWAIT));
    fired = 1;
}

static MP_SHARED volatile int hook_armed;

/* Inside the main process's mp_dict_set, its change written and not yet published. */
static void wait_in_hook(mpi_hook_point_t point)
{
    if (point != MPI_HOOK_RECORDS_WRITTEN || mp_port_in_isr() || hook_armed)
        return;
    hook_armed = 1;
    if (mp_board_after(1000000, held_dict_handler, NULL) == MP_OK)
        wait_result = mp_event_wait(never, 5);
}

static void test_a_handler_gets_eagain_while_a_task_holds_the_dict(void **state)
{
    (void)state;
    NEEDS_TEST_HOOKS();
    make_containers();
    hook_armed = 0;
    mpi_test_hook = wait_in_hook;
    mp_err_t set = mp_dict_set(dict, "k", "new", 4, MP_FOREVER);
    mpi_test_hook = NULL;
    OK(set);
    assert_int_equal(MP_ETIMEDOUT, wait_result);
    assert_int_equal(1, fired);
    assert_codes((mp_err_t[]){MP_EAGAIN, MP_EAGAIN, MP_EAGAIN, MP_EISR, MP_OK}, 5);
    assert_value("k", "new");
    size_t len;
    OK(mp_dict_len(dict, &len, MP_NOWAIT));
    assert_int_equal(1, len);
    destroy_containers();
}

static MP_SHARED uint32_t main_id;

/* A child killed inside its mp_dict_set, holding the lock, before it published. */
static void kill_in_hook(mpi_hook_point_t point)
{
    mp_process_t me;
    if (point != MPI_HOOK_RECORDS_WRITTEN || mp_port_in_isr() || mp_process_self(&me) != MP_OK ||
        me.id == main_id)
        return;
    (void)mp_process_kill(me);
}

static int set_and_die(void *arg)
{
    (void)arg;
    return CODE(mp_dict_set(dict, "k", "dead", 5, MP_FOREVER));
}

static void takeover_handler(void *arg)
{
    (void)arg;
    char buf[8];
    size_t len;
    note(mp_dict_get(dict, "k", buf, sizeof buf, &len, MP_NOWAIT));
    memcpy(got_value, buf, sizeof buf);
    note(mp_dict_set(dict, "k", "isr", 4, MP_NOWAIT));
    fired = 1;
}

static void test_a_handler_takes_over_a_dict_whose_holder_died(void **state)
{
    (void)state;
    NEEDS_TEST_HOOKS();
    make_containers();
    mp_process_t me;
    OK(mp_process_self(&me));
    main_id = me.id;
    mpi_test_hook = kill_in_hook;
    int code = reap(spawn(set_and_die, NULL, 0, MP_DAEMON_NO));
    mpi_test_hook = NULL;
    assert_int_equal(-MP_SIGKILL, code);
    run_handler(takeover_handler);
    assert_codes((mp_err_t[]){MP_OK, MP_OK}, 2);
    assert_string_equal("v0", got_value); /* the dead one's change was never published */
    assert_value("k", "isr");
    char key[9], buf[8];
    size_t len;
    /* the handler repaired what the dead left: iterators are told the size may have changed */
    assert_int_equal(MP_ECHANGED,
                     mp_dict_next(&dict_it, key, sizeof key, buf, sizeof buf, &len, MP_NOWAIT));
    OK(mp_dict_len(dict, &len, MP_NOWAIT));
    assert_int_equal(1, len);
    destroy_containers();
}

/* ---- Pool in a handler --------------------------------------------------------------------- */
static mp_pool_t pool;
static mp_result_t result;

static int triple(mp_pool_task_t *t)
{
    int32_t x;
    memcpy(&x, t->arg, sizeof x);
    x *= 3;
    memcpy(t->result, &x, sizeof x);
    t->result_len = sizeof x;
    return 0;
}

static void pool_handler(void *arg)
{
    (void)arg;
    int32_t x = 5, out[2];
    size_t len;
    bool b;
    mp_pool_failure_t f;
    mp_result_t r;
    mp_pool_t other;
    mp_process_t w;
    mp_pool_imap_t it = {.pool = pool.id};
    note(mp_pool_create(&other, NULL));
    note(mp_pool_apply_async(pool, triple, &x, sizeof x, NULL, &r));
    note(mp_pool_apply(pool, triple, &x, sizeof x, out, sizeof out, &len, &f, MP_NOWAIT));
    note(mp_pool_map(pool, triple, &x, 1, sizeof x, out, sizeof x, NULL, 0, NULL, MP_NOWAIT));
    note(mp_pool_map_async(pool, triple, &x, 1, sizeof x, out, sizeof x, NULL, 0, NULL, &r));
    note(mp_pool_imap(pool, &it, triple, &x, 1, sizeof x, sizeof x, 0, true));
    note(mp_pool_imap_next(&it, out, &len, &f, MP_NOWAIT));
    note(mp_pool_imap_abandon(&it));
    note(mp_pool_workers(pool, &w, 1, &len));
    note(mp_pool_close(pool));
    note(mp_pool_terminate(pool));
    note(mp_pool_join(pool, MP_NOWAIT));
    note(mp_pool_destroy(pool));
    note(mp_result_get(result, out, sizeof out, &len, MP_NOWAIT));
    note(mp_result_wait(result, MP_NOWAIT));
    note(mp_result_ready(result, &b));
    note(mp_result_successful(result, &b));
    note(mp_result_failure(result, &f));
    note(mp_result_destroy(result));
    fired = 1;
}

static void test_pool_and_result_calls_are_refused_in_a_handler(void **state)
{
    (void)state;
    OK(mp_event_create(&never));
    ncodes = 0;
    fired = 0;
    OK(mp_pool_create(&pool, &(mp_pool_attr_t){.workers = 1}));
    OK(mp_pool_apply_async(pool, triple, &(int32_t){7}, sizeof(int32_t), NULL, &result));
    run_handler(pool_handler);
    assert_int_equal(19, ncodes);
    for (int i = 0; i < ncodes; i++)
        assert_int_equal(MP_EISR, codes[i]);
    /* nothing changed: the result is there, the pool still runs */
    int32_t y = 0;
    size_t len;
    OK(mp_result_get(result, &y, sizeof y, &len, LONG));
    assert_int_equal(21, y);
    OK(mp_pool_apply(pool, triple, &(int32_t){2}, sizeof(int32_t), &y, sizeof y, &len, NULL, LONG));
    assert_int_equal(6, y);
    OK(mp_result_destroy(result));
    OK(mp_pool_close(pool));
    OK(mp_pool_join(pool, LONG));
    OK(mp_pool_destroy(pool));
    OK(mp_event_destroy(never));
}

/* ---- Slab in a handler --------------------------------------------------------------------- */
static mp_slab_t slab;
static MP_SHARED void *main_block, *isr_block;
static MP_SHARED mp_slab_stat_t isr_stat;

/* The main process holds the slab's one block and waits for another when this fires. */
static void slab_free_handler(void *arg)
{
    (void)arg;
    void *b = NULL;
    note(mp_slab_alloc(slab, &b, 100));       /* would wait */
    note(mp_slab_alloc(slab, &b, MP_NOWAIT)); /* none free */
    note(mp_slab_take(slab, main_block));     /* a handler owns nothing */
    note(mp_slab_free(slab, main_block));     /* wakes the main process */
    note(mp_slab_free(slab, main_block));     /* free already */
    note(b == NULL ? MP_OK : MP_ERANGE);
    fired = 1;
}

static void test_a_handler_frees_a_block_to_a_waiting_process(void **state)
{
    (void)state;
    ncodes = 0;
    fired = 0;
    OK(mp_slab_create(&slab, 16, 1));
    OK(mp_slab_alloc(slab, (void **)&main_block, MP_NOWAIT));
    OK(mp_board_after(1000000, slab_free_handler, NULL));
    void *b = NULL;
    OK(mp_slab_alloc(slab, &b, MP_FOREVER)); /* woken by the handler's free */
    assert_int_equal(1, fired);
    assert_codes((mp_err_t[]){MP_EISR, MP_EAGAIN, MP_EISR, MP_OK, MP_EALREADY, MP_OK}, 6);
    assert_ptr_equal(main_block, b);
    OK(mp_slab_free(slab, b));
    OK(mp_slab_destroy(slab));
}

static void slab_alloc_handler(void *arg)
{
    (void)arg;
    note(mp_slab_alloc(slab, (void **)&isr_block, MP_NOWAIT));
    note(mp_slab_give(slab, isr_block)); /* owned by nobody already */
    note(mp_slab_stat(slab, &isr_stat));
    fired = 1;
}

static int take_and_end(void *arg)
{
    (void)arg;
    return CODE(mp_slab_take(slab, isr_block));
}

static void test_a_block_a_handler_allocates_belongs_to_no_process(void **state)
{
    (void)state;
    OK(mp_event_create(&never));
    ncodes = 0;
    fired = 0;
    OK(mp_slab_create(&slab, 16, 2));
    run_handler(slab_alloc_handler);
    assert_codes((mp_err_t[]){MP_OK, MP_OK, MP_OK}, 3);
    assert_int_equal(1, isr_stat.used);
    assert_int_equal(1, isr_stat.unowned);
    mp_slab_stat_t st;
    OK(mp_slab_stat(slab, &st));
    assert_int_equal(1, st.unowned); /* no process's: no reap gives it back */
    assert_int_equal(0, run(take_and_end, NULL, 0)); /* a process takes it, and ends */
    OK(mp_slab_stat(slab, &st));
    assert_int_equal(0, st.used); /* then it went back with that process */
    OK(mp_slab_destroy(slab));
    OK(mp_event_destroy(never));
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
        TEST(test_a_handler_wakes_a_process_waiting_on_several_objects),
        TEST(test_a_woken_process_of_higher_priority_runs),
        TEST(test_dict_and_list_calls_that_would_wait_are_refused_and_change_nothing),
        TEST(test_a_handler_may_use_a_dict_and_a_list_with_nowait),
        TEST(test_a_handler_gets_eagain_while_a_task_holds_the_list),
        TEST(test_a_handler_gets_eagain_while_a_task_holds_the_dict),
        TEST(test_a_handler_takes_over_a_dict_whose_holder_died),
        TEST(test_pool_and_result_calls_are_refused_in_a_handler),
        TEST(test_a_handler_frees_a_block_to_a_waiting_process),
        TEST(test_a_block_a_handler_allocates_belongs_to_no_process),
    };
    return cmocka_run_group_tests_name("isr", tests, NULL, NULL);
}
