/*
 * Pool (CPython's multiprocessing.Pool): workers, apply/apply_async and their results,
 * callbacks, worker death, close/terminate/join, map/starmap/imap.
 *
 * Tasks run in workers, which are other processes: what they report goes through the
 * result, MP_SHARED globals, or runtime objects whose handles travel in the argument.
 */
#include "mp/pool.h"
#include "mp_test.h"

static MP_SHARED int inits;        /* initializer runs, summed with their argument */
static MP_SHARED uint32_t victim;  /* the process handle of the worker running a task */

static mp_pool_t make(uint32_t workers)
{
    mp_pool_t p;
    OK(mp_pool_create(&p, &(mp_pool_attr_t){.workers = workers}));
    return p;
}

static void finish(mp_pool_t p)
{
    OK(mp_pool_close(p));
    OK(mp_pool_join(p, LONG));
    OK(mp_pool_destroy(p));
}

/* ---- tasks ------------------------------------------------------------------------------ */
static int square(mp_pool_task_t *t)
{
    int x;
    memcpy(&x, t->arg, sizeof x);
    x *= x;
    memcpy(t->result, &x, sizeof x);
    t->result_len = sizeof x;
    return 0;
}

/* Fails odd numbers with code 100 + x and a message. */
static int even_only(mp_pool_task_t *t)
{
    int x;
    memcpy(&x, t->arg, sizeof x);
    if (x % 2) {
        strncpy(t->message, "odd input", t->message_size - 1);
        return 100 + x;
    }
    return square(t);
}

static int too_big(mp_pool_task_t *t)
{
    t->result_len = t->result_size + 1;
    return 0;
}

static int whoami(mp_pool_task_t *t)
{
    mp_process_t me;
    if (mp_process_self(&me) != MP_OK)
        return 1;
    memcpy(t->result, &me.id, sizeof me.id);
    t->result_len = sizeof me.id;
    return 0;
}

typedef struct {
    test_signal_t started;
    mp_event_t go;
    int value;
} gate_t;

/* Says it started, records its worker, then waits for go (LONG at most). */
static int gated(mp_pool_task_t *t)
{
    gate_t g;
    memcpy(&g, t->arg, sizeof g);
    mp_process_t me;
    if (mp_process_self(&me) == MP_OK)
        __atomic_store_n(&victim, me.id, __ATOMIC_SEQ_CST);
    (void)signal_post(g.started);
    if (mp_event_wait(g.go, LONG) != MP_OK)
        return 99;
    memcpy(t->result, &g.value, sizeof g.value);
    t->result_len = sizeof g.value;
    return 0;
}

/* Waits for go without saying so. */
static int wait_go(mp_pool_task_t *t)
{
    gate_t g;
    memcpy(&g, t->arg, sizeof g);
    return mp_event_wait(g.go, LONG) == MP_OK ? 0 : 99;
}

static int exits_7(mp_pool_task_t *t)
{
    (void)t;
    mp_process_exit(7);
}

static int crashes(mp_pool_task_t *t)
{
    (void)t;
    *BAD_ADDRESS = 1;
    return 0;
}

static void count_init(void *arg)
{
    int add = 1;
    if (arg != NULL)
        memcpy(&add, arg, sizeof add);
    __atomic_fetch_add(&inits, add, __ATOMIC_SEQ_CST);
}

static int apply_int(mp_pool_t p, mp_pool_fn fn, int x, int *out)
{
    size_t len = 0;
    mp_err_t err = mp_pool_apply(p, fn, &x, sizeof x, out, sizeof *out, &len, NULL, LONG);
    if (err == MP_OK)
        assert_int_equal(sizeof *out, len);
    return err;
}

/* ---- create ------------------------------------------------------------------------------ */
static void test_apply_returns_the_task_result(void **state)
{
    (void)state;
    mp_pool_t p = make(2);
    int y = 0;
    OK(apply_int(p, square, 7, &y));
    assert_int_equal(49, y);
    finish(p);
}

static void test_workers_are_daemonic_children_named_PoolWorker_N(void **state)
{
    (void)state;
    mp_pool_t p = make(3);
    mp_process_t w[MP_CONF_POOL_WORKERS];
    size_t n = 0;
    OK(mp_pool_workers(p, w, MP_CONF_POOL_WORKERS, &n));
    assert_int_equal(3, n);
    for (size_t i = 0; i < n; i++) {
        char name[MP_CONF_NAME_LEN], want[MP_CONF_NAME_LEN] = "PoolWorker-";
        want[11] = (char)('1' + i);
        want[12] = '\0';
        bool daemon = false, alive = false;
        OK(mp_process_name(w[i], name, sizeof name));
        assert_string_equal(want, name);
        OK(mp_process_daemon(w[i], &daemon));
        assert_true(daemon);
        OK(mp_process_is_alive(w[i], &alive));
        assert_true(alive);
    }
    size_t children = 0;
    OK(mp_process_active_children(NULL, 0, &children));
    assert_int_equal(3, children);
    finish(p);
}

static void test_zero_workers_means_the_configured_maximum(void **state)
{
    (void)state;
    mp_pool_t p;
    OK(mp_pool_create(&p, NULL));
    size_t n = 0;
    OK(mp_pool_workers(p, NULL, 0, &n));
    assert_int_equal(MP_CONF_POOL_WORKERS, n);
    finish(p);
}

static void test_invalid_sizes_are_refused_and_start_nothing(void **state)
{
    (void)state;
    mp_pool_t p = {0};
    uint8_t big[MP_CONF_POOL_ARG_SIZE + 1] = {0};
    assert_int_equal(MP_EINVAL, mp_pool_create(NULL, NULL));
    assert_int_equal(MP_EINVAL,
                     mp_pool_create(&p, &(mp_pool_attr_t){.workers = MP_CONF_POOL_WORKERS + 1}));
    assert_int_equal(MP_EINVAL, mp_pool_create(&p, &(mp_pool_attr_t){.initarg_size = 4}));
    assert_int_equal(MP_EMSGSIZE, mp_pool_create(&p, &(mp_pool_attr_t){
                                                         .initializer = count_init,
                                                         .initarg = big,
                                                         .initarg_size = sizeof big}));
    size_t children = 1;
    OK(mp_process_active_children(NULL, 0, &children));
    assert_int_equal(0, children);
    assert_int_equal(0, p.id);
}

static void test_a_pool_that_cannot_start_every_worker_leaves_none(void **state)
{
    (void)state;
    /* Fill the process table but for two slots: a pool of three cannot start. */
    mp_process_t hold[MP_CONF_MAX_PROCESSES];
    size_t held = 0;
    mp_event_t go;
    OK(mp_event_create(&go));
    gate_t g = {.go = go};
    (void)g;
    while (held < MP_CONF_MAX_PROCESSES - 3u &&
           mp_process_create(&hold[held], &(mp_process_attr_t){.target = (mp_process_fn)0x1}) ==
               MP_OK)
        held++;
    mp_pool_t p;
    assert_int_equal(MP_ENOSLOT, mp_pool_create(&p, &(mp_pool_attr_t){.workers = 3}));
    size_t children = 1;
    OK(mp_process_active_children(NULL, 0, &children));
    assert_int_equal(0, children);
    for (size_t i = 0; i < held; i++)
        OK(mp_process_close(hold[i]));
    /* and the pool table has its entry back: the maximum can still be created */
    mp_pool_t all[MP_CONF_MAX_POOLS];
    for (size_t i = 0; i < MP_CONF_MAX_POOLS; i++)
        OK(mp_pool_create(&all[i], &(mp_pool_attr_t){.workers = 1}));
    assert_int_equal(MP_ENOSLOT, mp_pool_create(&p, &(mp_pool_attr_t){.workers = 1}));
    for (size_t i = 0; i < MP_CONF_MAX_POOLS; i++)
        finish(all[i]);
    OK(mp_event_destroy(go));
}

static void test_the_initializer_runs_once_in_each_worker_with_its_argument(void **state)
{
    (void)state;
    __atomic_store_n(&inits, 0, __ATOMIC_SEQ_CST);
    int add = 10;
    mp_pool_t p;
    OK(mp_pool_create(&p, &(mp_pool_attr_t){.workers = 3, .initializer = count_init,
                                            .initarg = &add, .initarg_size = sizeof add}));
    for (int i = 0; i < 9; i++) {
        int y;
        OK(apply_int(p, square, i, &y));
    }
    finish(p); /* every worker has ended: each ran its initializer first */
    assert_int_equal(30, __atomic_load_n(&inits, __ATOMIC_SEQ_CST));
}

static void test_maxtasksperchild_replaces_a_worker_after_that_many_tasks(void **state)
{
    (void)state;
    __atomic_store_n(&inits, 0, __ATOMIC_SEQ_CST);
    mp_pool_t p;
    OK(mp_pool_create(&p, &(mp_pool_attr_t){.workers = 1, .maxtasksperchild = 2,
                                            .initializer = count_init}));
    uint32_t ids[6];
    for (int i = 0; i < 6; i++) {
        size_t len;
        OK(mp_pool_apply(p, whoami, NULL, 0, &ids[i], sizeof ids[i], &len, NULL, LONG));
    }
    assert_int_equal(ids[0], ids[1]);
    assert_int_not_equal(ids[1], ids[2]);
    assert_int_equal(ids[2], ids[3]);
    assert_int_not_equal(ids[3], ids[4]);
    assert_int_equal(ids[4], ids[5]);
    finish(p);
    /* the three workers seen, and maybe the replacement of the last one, started before
     * close: each ran the initializer once */
    int n = __atomic_load_n(&inits, __ATOMIC_SEQ_CST);
    assert_true(n == 3 || n == 4);
}

/* ---- outcomes ------------------------------------------------------------------------------ */
static void test_a_failed_task_gives_etask_with_its_code_and_message(void **state)
{
    (void)state;
    mp_pool_t p = make(1);
    int x = 5, y = 0;
    size_t len = 0;
    mp_pool_failure_t f = {0};
    assert_int_equal(MP_ETASK, mp_pool_apply(p, even_only, &x, sizeof x, &y, sizeof y, &len,
                                             &f, LONG));
    assert_int_equal(MP_ETASK, f.err);
    assert_int_equal(105, f.code);
    assert_string_equal("odd input", f.message);
    OK(apply_int(p, even_only, 4, &y)); /* the worker goes on */
    assert_int_equal(16, y);
    finish(p);
}

static void test_an_oversize_argument_is_emsgsize_and_queues_nothing(void **state)
{
    (void)state;
    mp_pool_t p = make(1);
    uint8_t big[MP_CONF_POOL_ARG_SIZE + 1] = {0};
    mp_result_t r = {0};
    assert_int_equal(MP_EMSGSIZE, mp_pool_apply_async(p, square, big, sizeof big, NULL, &r));
    assert_int_equal(0, r.id);
    int y;
    OK(apply_int(p, square, 3, &y));
    assert_int_equal(9, y);
    finish(p);
}

static void test_an_oversize_result_is_emsgsize_and_the_worker_is_kept(void **state)
{
    (void)state;
    mp_pool_t p = make(1);
    mp_process_t before, after;
    size_t n;
    OK(mp_pool_workers(p, &before, 1, &n));
    uint8_t buf[MP_CONF_POOL_RESULT_SIZE];
    size_t len;
    mp_pool_failure_t f;
    assert_int_equal(MP_EMSGSIZE,
                     mp_pool_apply(p, too_big, NULL, 0, buf, sizeof buf, &len, &f, LONG));
    assert_int_equal(MP_EMSGSIZE, f.err);
    int y;
    OK(apply_int(p, square, 6, &y));
    assert_int_equal(36, y);
    OK(mp_pool_workers(p, &after, 1, &n));
    assert_int_equal(before.id, after.id);
    finish(p);
}

static void test_get_into_a_short_buffer_is_etoosmall_and_keeps_the_result(void **state)
{
    (void)state;
    mp_pool_t p = make(1);
    int x = 9, y = 0;
    mp_result_t r;
    OK(mp_pool_apply_async(p, square, &x, sizeof x, NULL, &r));
    size_t len = 0;
    char small[2];
    assert_int_equal(MP_ETOOSMALL, mp_result_get(r, small, sizeof small, &len, LONG));
    assert_int_equal(sizeof y, len);
    OK(mp_result_get(r, &y, sizeof y, &len, LONG));
    assert_int_equal(81, y);
    OK(mp_result_destroy(r));
    assert_int_equal(MP_ESTALE, mp_result_wait(r, MP_NOWAIT));
    finish(p);
}

static void test_an_async_result_is_not_ready_until_its_task_ends(void **state)
{
    (void)state;
    mp_pool_t p = make(1);
    gate_t g = {.value = 42};
    signal_init(&g.started);
    OK(mp_event_create(&g.go));
    mp_result_t r;
    OK(mp_pool_apply_async(p, gated, &g, sizeof g, NULL, &r));
    OK(signal_wait(g.started, LONG));
    bool ready = true, ok = true;
    OK(mp_result_ready(r, &ready));
    assert_false(ready);
    assert_int_equal(MP_ERUNNING, mp_result_successful(r, &ok));
    assert_int_equal(MP_EAGAIN, mp_result_wait(r, MP_NOWAIT));
    int y = 0;
    size_t len;
    assert_int_equal(MP_EAGAIN, mp_result_get(r, &y, sizeof y, &len, MP_NOWAIT));
    OK(mp_event_set(g.go));
    OK(mp_result_wait(r, LONG));
    OK(mp_result_ready(r, &ready));
    assert_true(ready);
    OK(mp_result_successful(r, &ok));
    assert_true(ok);
    mp_pool_failure_t f;
    assert_int_equal(MP_ENOENT, mp_result_failure(r, &f));
    OK(mp_result_get(r, &y, sizeof y, &len, MP_NOWAIT));
    assert_int_equal(42, y);
    OK(mp_result_destroy(r));
    finish(p);
    OK(mp_event_destroy(g.go));
    signal_destroy(&g.started);
}

static int oks, errors, wrong_process;
static uint32_t main_id;

static void on_ok(mp_result_t r, const void *result, size_t len, void *ctx)
{
    (void)r;
    (void)ctx;
    mp_process_t me;
    if (mp_process_self(&me) != MP_OK || me.id != main_id || len != sizeof(int))
        wrong_process++;
    int y;
    memcpy(&y, result, sizeof y);
    oks += y;
}

static void on_error(mp_result_t r, const mp_pool_failure_t *f, void *ctx)
{
    (void)r;
    mp_process_t me;
    if (mp_process_self(&me) != MP_OK || me.id != main_id || f->err != MP_ETASK)
        wrong_process++;
    errors += f->code;
    *(int *)ctx += 1;
}

static void test_callbacks_run_in_the_owner_exactly_once_per_task(void **state)
{
    (void)state;
    mp_process_t me;
    OK(mp_process_self(&me));
    main_id = me.id;
    oks = errors = wrong_process = 0;
    int calls = 0;
    mp_pool_callbacks_t cb = {on_ok, on_error, &calls};
    mp_pool_t p = make(2);
    mp_result_t r[4];
    for (int i = 0; i < 4; i++)
        OK(mp_pool_apply_async(p, even_only, &i, sizeof i, &cb, &r[i]));
    for (int i = 0; i < 4; i++)
        (void)mp_result_wait(r[i], LONG);
    /* 0 and 2 succeed (0 + 4), 1 and 3 fail (101 + 103) */
    assert_int_equal(4, oks);
    assert_int_equal(204, errors);
    assert_int_equal(2, calls);
    for (int i = 0; i < 4; i++) {
        size_t len;
        int y;
        (void)mp_result_get(r[i], &y, sizeof y, &len, LONG); /* no second callback */
        OK(mp_result_destroy(r[i]));
    }
    /* without a handle: the callbacks still run once, the entries come back by themselves */
    for (int i = 4; i < 8; i++)
        OK(mp_pool_apply_async(p, even_only, &i, sizeof i, &cb, NULL));
    finish(p);
    assert_int_equal(4 + 16 + 36, oks);
    assert_int_equal(204 + 105 + 107, errors);
    assert_int_equal(4, calls);
    assert_int_equal(0, wrong_process);
    /* every result entry is free again */
    mp_pool_t q = make(1);
    mp_result_t all[MP_CONF_MAX_RESULTS];
    size_t made = 0;
    int x = 1;
    while (made < MP_CONF_MAX_RESULTS && made < MP_CONF_POOL_QUEUE &&
           mp_pool_apply_async(q, square, &x, sizeof x, NULL, &all[made]) == MP_OK)
        made++;
    assert_int_equal(MP_CONF_MAX_RESULTS < MP_CONF_POOL_QUEUE ? MP_CONF_MAX_RESULTS
                                                              : MP_CONF_POOL_QUEUE,
                     made);
    for (size_t i = 0; i < made; i++)
        OK(mp_result_destroy(all[i]));
    finish(q);
}

static int died_calls;
static void on_died(mp_result_t r, const mp_pool_failure_t *f, void *ctx)
{
    (void)r;
    (void)ctx;
    if (f->err == MP_EWORKER && f->code == -MP_SIGKILL)
        died_calls++;
    else
        died_calls += 100;
}

/* ---- worker death --------------------------------------------------------------------------- */
static void test_a_worker_killed_in_a_task_fails_it_with_eworker_and_is_replaced(void **state)
{
    (void)state;
    mp_pool_t p = make(2);
    gate_t g = {.value = 1};
    signal_init(&g.started);
    OK(mp_event_create(&g.go));
    mp_result_t r;
    died_calls = 0;
    mp_pool_callbacks_t cb = {.error_callback = on_died};
    OK(mp_pool_apply_async(p, gated, &g, sizeof g, &cb, &r));
    OK(signal_wait(g.started, LONG));
    mp_process_t w = {__atomic_load_n(&victim, __ATOMIC_SEQ_CST)};
    OK(mp_process_kill(w));
    int y;
    size_t len;
    assert_int_equal(MP_EWORKER, mp_result_get(r, &y, sizeof y, &len, LONG));
    mp_pool_failure_t f;
    OK(mp_result_failure(r, &f));
    assert_int_equal(MP_EWORKER, f.err);
    assert_int_equal(-MP_SIGKILL, f.code);
    assert_int_equal(1, died_calls);
    OK(mp_result_destroy(r));
    size_t n = 0;
    mp_process_t ws[2];
    OK(mp_pool_workers(p, ws, 2, &n));
    assert_int_equal(2, n);
    assert_int_not_equal(w.id, ws[0].id);
    assert_int_not_equal(w.id, ws[1].id);
    OK(apply_int(p, square, 4, &y)); /* and it works */
    assert_int_equal(16, y);
    finish(p);
    OK(mp_event_destroy(g.go));
    signal_destroy(&g.started);
}

static void test_a_task_that_exits_fails_with_eworker_and_the_exit_code(void **state)
{
    (void)state;
    mp_pool_t p = make(1);
    mp_pool_failure_t f;
    size_t len;
    int y;
    assert_int_equal(MP_EWORKER, mp_pool_apply(p, exits_7, NULL, 0, &y, sizeof y, &len, &f, LONG));
    assert_int_equal(7, f.code);
    OK(apply_int(p, square, 5, &y));
    assert_int_equal(25, y);
    finish(p);
}

static void test_a_crashing_task_fails_with_eworker_and_minus_11(void **state)
{
    (void)state;
    mp_pool_t p = make(1);
    mp_pool_failure_t f;
    size_t len;
    int y;
    assert_int_equal(MP_EWORKER, mp_pool_apply(p, crashes, NULL, 0, &y, sizeof y, &len, &f, LONG));
    assert_int_equal(-MP_SIGSEGV, f.code);
    OK(apply_int(p, square, 5, &y));
    finish(p);
}

static int exit_on_3(mp_pool_task_t *t)
{
    int x;
    memcpy(&x, t->arg, sizeof x);
    if (x == 3)
        mp_process_exit(7);
    return square(t);
}

static void test_a_map_whose_worker_dies_reports_that_item_and_finishes(void **state)
{
    (void)state;
    mp_pool_t p = make(2);
    int in[6] = {0, 1, 2, 3, 4, 5}, out[6] = {0};
    mp_err_t errs[6];
    mp_pool_failure_t f;
    assert_int_equal(MP_EWORKER, mp_pool_map(p, exit_on_3, in, 6, sizeof in[0], out,
                                             sizeof out[0], errs, 1, &f, LONG));
    assert_int_equal(7, f.code);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(i == 3 ? MP_EWORKER : MP_OK, errs[i]);
        if (i != 3)
            assert_int_equal(in[i] * in[i], out[i]);
    }
    finish(p);
}

static void test_a_worker_killed_while_idle_is_replaced_and_fails_nothing(void **state)
{
    (void)state;
    mp_pool_t p = make(2);
    mp_process_t w[2];
    size_t n = 0;
    OK(mp_pool_workers(p, w, 2, &n));
    assert_int_equal(2, n);
    OK(mp_process_kill(w[0]));
    OK(mp_process_join(w[0], LONG)); /* dead for sure; the pool still holds its handle */
    int in[8] = {1, 2, 3, 4, 5, 6, 7, 8}, out[8];
    mp_err_t errs[8];
    OK(mp_pool_map(p, square, in, 8, sizeof in[0], out, sizeof out[0], errs, 1, NULL, LONG));
    for (int i = 0; i < 8; i++)
        assert_int_equal(MP_OK, errs[i]);
    mp_process_t now[2];
    OK(mp_pool_workers(p, now, 2, &n));
    assert_int_equal(2, n);
    assert_true(now[0].id != w[0].id && now[1].id != w[0].id);
    finish(p);
}

/* An owner that is killed while a task runs and a result waits: the owner's own, which
 * nobody else may destroy. */
static int owner_killed_with_work(void *arg)
{
    mp_pool_t p;
    mp_result_t r;
    if (mp_pool_create(&p, &(mp_pool_attr_t){.workers = 2}) != MP_OK ||
        mp_pool_apply_async(p, gated, arg, sizeof(gate_t), NULL, &r) != MP_OK)
        return 1;
    (void)mp_result_wait(r, LONG);
    return 2;
}

static void test_a_killed_owners_pool_and_results_are_freed_when_it_is_joined(void **state)
{
    (void)state;
    mp_usage_t before, after;
    OK(mp_usage(&before));
    gate_t g = {.value = 1};
    signal_init(&g.started);
    OK(mp_event_create(&g.go));
    mp_process_t owner = spawn(owner_killed_with_work, &g, sizeof g, MP_DAEMON_NO);
    OK(signal_wait(g.started, LONG)); /* its workers run, one in a task */
    OK(mp_process_kill(owner));
    assert_int_equal(-MP_SIGKILL, reap(owner));
    /* its workers, daemonic children, died with it and were adopted: each ends */
    mp_process_t w[MP_CONF_POOL_WORKERS];
    size_t n = 0;
    OK(mp_process_active_children(w, MP_CONF_POOL_WORKERS, &n));
    for (size_t i = 0; i < n; i++)
        assert_int_equal(-MP_SIGKILL, reap_soon(w[i]));
    OK(mp_usage(&after));
    assert_int_equal(before.pools, after.pools);
    assert_int_equal(before.results, after.results);
    OK(mp_event_destroy(g.go));
    signal_destroy(&g.started);
}

static int wait_event(mp_pool_task_t *t)
{
    mp_event_t e;
    memcpy(&e, t->arg, sizeof e);
    return mp_event_wait(e, LONG) == MP_OK ? 0 : 99;
}

#define MANY 2000
static mp_event_t many_in[MANY];
static mp_err_t many_errs[MANY];
static int map_failures;
static void on_map_error(mp_result_t r, const mp_pool_failure_t *f, void *ctx)
{
    (void)r;
    (void)f;
    (void)ctx;
    map_failures++;
}

static void test_terminate_with_thousands_of_items_pending_discards_them_at_once(void **state)
{
    (void)state;
    mp_pool_t p = make(2);
    mp_event_t go;
    OK(mp_event_create(&go));
    for (size_t i = 0; i < MANY; i++)
        many_in[i] = go;
    map_failures = 0;
    mp_pool_callbacks_t cb = {.error_callback = on_map_error};
    mp_result_t r;
    OK(mp_pool_map_async(p, wait_event, many_in, MANY, sizeof many_in[0], NULL, 0, many_errs, 1,
                         &cb, &r));
    OK(mp_pool_terminate(p));
    size_t children = 1;
    OK(mp_process_active_children(NULL, 0, &children));
    assert_int_equal(0, children);
    OK(mp_result_wait(r, MP_NOWAIT)); /* ready: terminate delivered every item */
    size_t len;
    mp_err_t err = mp_result_get(r, NULL, 0, &len, MP_NOWAIT);
    assert_true(err == MP_ECLOSED || err == MP_EWORKER);
    size_t closed = 0;
    for (size_t i = 0; i < MANY; i++)
        closed += many_errs[i] == MP_ECLOSED;
    assert_true(closed >= MANY - 2); /* at most the two running were killed (MP_EWORKER) */
    assert_int_equal(1, map_failures);
    OK(mp_result_destroy(r));
    OK(mp_pool_join(p, MP_NOWAIT));
    OK(mp_pool_destroy(p));
    OK(mp_event_destroy(go));
}

/* ---- close, terminate, join ---------------------------------------------------------------- */
static void test_join_of_a_running_pool_is_ebusy(void **state)
{
    (void)state;
    mp_pool_t p = make(1);
    assert_int_equal(MP_EBUSY, mp_pool_join(p, MP_NOWAIT));
    finish(p);
}

static void test_submitting_after_close_or_terminate_is_eclosed(void **state)
{
    (void)state;
    mp_pool_t p = make(1);
    OK(mp_pool_close(p));
    int x = 1, y;
    mp_result_t r;
    assert_int_equal(MP_ECLOSED, mp_pool_apply_async(p, square, &x, sizeof x, NULL, &r));
    assert_int_equal(MP_ECLOSED, apply_int(p, square, 1, &y));
    assert_int_equal(MP_ECLOSED, mp_pool_map(p, square, &x, 1, sizeof x, &y, sizeof y, NULL, 0,
                                             NULL, LONG));
    OK(mp_pool_join(p, LONG));
    OK(mp_pool_destroy(p));
    p = make(1);
    OK(mp_pool_terminate(p));
    assert_int_equal(MP_ECLOSED, mp_pool_apply_async(p, square, &x, sizeof x, NULL, &r));
    OK(mp_pool_join(p, LONG));
    OK(mp_pool_destroy(p));
    assert_int_equal(MP_ESTALE, mp_pool_apply_async(p, square, &x, sizeof x, NULL, &r));
}

static void test_close_lets_queued_tasks_finish_before_join_returns(void **state)
{
    (void)state;
    mp_pool_t p = make(2);
    mp_result_t r[MP_CONF_POOL_QUEUE];
    for (int i = 0; i < MP_CONF_POOL_QUEUE; i++)
        OK(mp_pool_apply_async(p, square, &i, sizeof i, NULL, &r[i]));
    OK(mp_pool_close(p));
    OK(mp_pool_join(p, LONG));
    for (int i = 0; i < MP_CONF_POOL_QUEUE; i++) {
        int y;
        size_t len;
        OK(mp_result_get(r[i], &y, sizeof y, &len, MP_NOWAIT));
        assert_int_equal(i * i, y);
        OK(mp_result_destroy(r[i]));
    }
    size_t children = 1;
    OK(mp_process_active_children(NULL, 0, &children));
    assert_int_equal(0, children);
    OK(mp_pool_destroy(p));
}

static void test_terminate_discards_queued_tasks_and_reaps_every_worker(void **state)
{
    (void)state;
    mp_pool_t p = make(2);
    gate_t g = {.value = 0};
    OK(mp_event_create(&g.go));
    mp_result_t r[MP_CONF_POOL_QUEUE];
    for (int i = 0; i < MP_CONF_POOL_QUEUE; i++)
        OK(mp_pool_apply_async(p, wait_go, &g, sizeof g, NULL, &r[i]));
    OK(mp_pool_terminate(p));
    size_t children = 1;
    OK(mp_process_active_children(NULL, 0, &children));
    assert_int_equal(0, children);
    int closed = 0, died = 0;
    for (int i = 0; i < MP_CONF_POOL_QUEUE; i++) {
        int y;
        size_t len;
        mp_err_t err = mp_result_get(r[i], &y, sizeof y, &len, MP_NOWAIT);
        closed += err == MP_ECLOSED;
        died += err == MP_EWORKER; /* those running when it was terminated */
        OK(mp_result_destroy(r[i]));
    }
    assert_int_equal(MP_CONF_POOL_QUEUE, closed + died);
    assert_true(died <= 2);
    assert_true(closed >= MP_CONF_POOL_QUEUE - 2);
    OK(mp_pool_join(p, MP_NOWAIT));
    OK(mp_pool_destroy(p));
    OK(mp_event_destroy(g.go));
}

static void test_destroy_of_a_running_pool_terminates_it(void **state)
{
    (void)state;
    mp_pool_t p = make(2);
    gate_t g = {.value = 0};
    OK(mp_event_create(&g.go));
    mp_result_t r;
    OK(mp_pool_apply_async(p, wait_go, &g, sizeof g, NULL, &r));
    OK(mp_pool_destroy(p));
    size_t children = 1;
    OK(mp_process_active_children(NULL, 0, &children));
    assert_int_equal(0, children);
    bool ready = false;
    OK(mp_result_ready(r, &ready));
    assert_true(ready);
    OK(mp_result_destroy(r));
    OK(mp_event_destroy(g.go));
}

typedef struct {
    mp_pool_t pool;
    mp_result_t result;
} pool_arg_t;

static int use_anothers_pool(void *arg)
{
    pool_arg_t a;
    memcpy(&a, arg, sizeof a);
    int x = 1;
    mp_result_t r;
    if (mp_pool_apply_async(a.pool, square, &x, sizeof x, NULL, &r) != MP_ENOTCHILD)
        return 1;
    if (mp_pool_close(a.pool) != MP_ENOTCHILD)
        return 2;
    if (mp_pool_terminate(a.pool) != MP_ENOTCHILD)
        return 3;
    int y;
    size_t len;
    if (mp_result_get(a.result, &y, sizeof y, &len, MP_NOWAIT) != MP_ENOTCHILD)
        return 4;
    if (mp_result_destroy(a.result) != MP_ENOTCHILD)
        return 5;
    return 0;
}

static void test_only_the_creating_process_may_use_the_pool(void **state)
{
    (void)state;
    mp_pool_t p = make(1);
    int x = 3, y;
    pool_arg_t a = {p, {0}};
    OK(mp_pool_apply_async(p, square, &x, sizeof x, NULL, &a.result));
    assert_int_equal(0, run(use_anothers_pool, &a, sizeof a));
    size_t len;
    OK(mp_result_get(a.result, &y, sizeof y, &len, LONG)); /* untouched by the refusals */
    assert_int_equal(9, y);
    OK(mp_result_destroy(a.result));
    OK(apply_int(p, square, 2, &y));
    finish(p);
}

/* ---- map, starmap, imap ------------------------------------------------------------------- */
static void test_map_gives_results_in_input_order(void **state)
{
    (void)state;
    mp_pool_t p = make(3);
    int in[20], out[20];
    for (int i = 0; i < 20; i++)
        in[i] = i;
    OK(mp_pool_map(p, square, in, 20, sizeof in[0], out, sizeof out[0], NULL, 3, NULL, LONG));
    for (int i = 0; i < 20; i++)
        assert_int_equal(i * i, out[i]);
    OK(mp_pool_map(p, square, in, 20, sizeof in[0], out, sizeof out[0], NULL, 0, NULL, LONG));
    for (int i = 0; i < 20; i++)
        assert_int_equal(i * i, out[i]);
    finish(p);
}

static void test_map_of_empty_input_returns_at_once(void **state)
{
    (void)state;
    mp_pool_t p = make(1);
    OK(mp_pool_map(p, square, NULL, 0, sizeof(int), NULL, sizeof(int), NULL, 0, NULL, MP_NOWAIT));
    finish(p);
}

static void test_map_runs_every_item_and_reports_each_failure(void **state)
{
    (void)state;
    mp_pool_t p = make(2);
    int in[10], out[10] = {0};
    mp_err_t errs[10];
    for (int i = 0; i < 10; i++)
        in[i] = i;
    mp_pool_failure_t f;
    assert_int_equal(MP_ETASK, mp_pool_map(p, even_only, in, 10, sizeof in[0], out,
                                           sizeof out[0], errs, 4, &f, LONG));
    assert_int_equal(101, f.code); /* the first failed item's */
    assert_string_equal("odd input", f.message);
    for (int i = 0; i < 10; i++) {
        assert_int_equal(i % 2 ? MP_ETASK : MP_OK, errs[i]);
        if (i % 2 == 0)
            assert_int_equal(i * i, out[i]);
    }
    finish(p);
}

typedef struct {
    int a, b;
} pair_t;

static int add_pair(mp_pool_task_t *t)
{
    pair_t v;
    memcpy(&v, t->arg, sizeof v);
    int s = v.a + v.b;
    memcpy(t->result, &s, sizeof s);
    return 0;
}

static void test_starmap_takes_one_argument_struct_per_item(void **state)
{
    (void)state;
    mp_pool_t p = make(2);
    pair_t in[5] = {{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}};
    int out[5];
    OK(mp_pool_starmap(p, add_pair, in, 5, sizeof in[0], out, sizeof out[0], NULL, 2, NULL, LONG));
    for (int i = 0; i < 5; i++)
        assert_int_equal(in[i].a + in[i].b, out[i]);
    finish(p);
}

static int map_total;
static void on_map(mp_result_t r, const void *result, size_t len, void *ctx)
{
    (void)r;
    (void)ctx;
    const int *v = result;
    for (size_t i = 0; i < len / sizeof(int); i++)
        map_total += v[i];
}

static void test_map_async_fills_the_output_and_calls_back_once(void **state)
{
    (void)state;
    mp_pool_t p = make(2);
    int in[12], out[12];
    for (int i = 0; i < 12; i++)
        in[i] = i;
    map_total = 0;
    mp_pool_callbacks_t cb = {.callback = on_map};
    mp_result_t r;
    OK(mp_pool_map_async(p, square, in, 12, sizeof in[0], out, sizeof out[0], NULL, 0, &cb, &r));
    size_t len = 0;
    OK(mp_result_get(r, NULL, 0, &len, LONG));
    assert_int_equal(sizeof out, len);
    assert_int_equal(506, map_total); /* sum of squares 0..11 */
    OK(mp_result_destroy(r));
    finish(p);
    assert_int_equal(506, map_total);
}

static void test_imap_yields_every_result_in_input_order_then_eof(void **state)
{
    (void)state;
    mp_pool_t p = make(3);
    int in[15];
    for (int i = 0; i < 15; i++)
        in[i] = i;
    mp_pool_imap_t it;
    OK(mp_pool_imap(p, &it, even_only, in, 15, sizeof in[0], sizeof(int), 2, true));
    for (size_t i = 0; i < 15; i++) {
        int y = -1;
        size_t index = 99;
        mp_pool_failure_t f;
        mp_err_t err = mp_pool_imap_next(&it, &y, &index, &f, LONG);
        assert_int_equal(i, index);
        if (i % 2) {
            assert_int_equal(MP_ETASK, err);
            assert_int_equal(100 + (int)i, f.code);
        } else {
            OK(err);
            assert_int_equal((int)(i * i), y);
        }
    }
    int y;
    size_t index;
    assert_int_equal(MP_EOF, mp_pool_imap_next(&it, &y, &index, NULL, MP_NOWAIT));
    finish(p);
}

static void test_imap_unordered_yields_every_item_once(void **state)
{
    (void)state;
    mp_pool_t p = make(3);
    int in[17];
    for (int i = 0; i < 17; i++)
        in[i] = i;
    mp_pool_imap_t it;
    OK(mp_pool_imap(p, &it, square, in, 17, sizeof in[0], sizeof(int), 0, false));
    uint32_t seen = 0;
    for (size_t i = 0; i < 17; i++) {
        int y = -1;
        size_t index = 99;
        OK(mp_pool_imap_next(&it, &y, &index, NULL, LONG));
        assert_true(index < 17);
        assert_int_equal((int)(index * index), y);
        assert_false(seen & 1u << index);
        seen |= 1u << index;
    }
    assert_int_equal(0x1ffff, seen);
    int y;
    size_t index;
    assert_int_equal(MP_EOF, mp_pool_imap_next(&it, &y, &index, NULL, LONG));
    finish(p);
}

static void test_imap_reports_a_dead_workers_item_and_goes_on(void **state)
{
    (void)state;
    mp_pool_t p = make(2);
    int in[6] = {0, 1, 2, 3, 4, 5};
    mp_pool_imap_t it;
    OK(mp_pool_imap(p, &it, exit_on_3, in, 6, sizeof in[0], sizeof(int), 1, true));
    for (size_t i = 0; i < 6; i++) {
        int y = -1;
        size_t index = 99;
        mp_pool_failure_t f = {0};
        mp_err_t err = mp_pool_imap_next(&it, &y, &index, &f, LONG);
        assert_int_equal(i, index);
        if (i == 3) {
            assert_int_equal(MP_EWORKER, err);
            assert_int_equal(7, f.code);
        } else {
            OK(err);
            assert_int_equal((int)(i * i), y);
        }
    }
    finish(p);
}

static void test_imap_next_times_out_while_nothing_is_done(void **state)
{
    (void)state;
    mp_pool_t p = make(1);
    gate_t g[2] = {{.value = 0}, {.value = 0}};
    OK(mp_event_create(&g[0].go));
    g[1].go = g[0].go;
    mp_pool_imap_t it;
    OK(mp_pool_imap(p, &it, wait_go, g, 2, sizeof g[0], 0, 1, true));
    size_t index;
    assert_int_equal(MP_EAGAIN, mp_pool_imap_next(&it, NULL, &index, NULL, MP_NOWAIT));
    assert_int_equal(MP_ETIMEDOUT, mp_pool_imap_next(&it, NULL, &index, NULL, 20));
    OK(mp_event_set(g[0].go));
    OK(mp_pool_imap_next(&it, NULL, &index, NULL, LONG));
    assert_int_equal(0, index);
    OK(mp_pool_imap_next(&it, NULL, &index, NULL, LONG));
    assert_int_equal(1, index);
    assert_int_equal(MP_EOF, mp_pool_imap_next(&it, NULL, &index, NULL, LONG));
    finish(p);
    OK(mp_event_destroy(g[0].go));
}

static mp_pool_t reentered_pool;
static mp_err_t reentered;
static void on_ok_reenter(mp_result_t r, const void *result, size_t len, void *ctx)
{
    (void)r;
    (void)result;
    (void)len;
    (void)ctx;
    int x = 1;
    reentered = mp_pool_apply_async(reentered_pool, square, &x, sizeof x, NULL, NULL);
}

static void test_a_callback_calling_into_its_pool_gets_ebusy(void **state)
{
    (void)state;
    mp_pool_t p = make(1);
    reentered_pool = p;
    reentered = MP_OK;
    int x = 2;
    mp_result_t r;
    mp_pool_callbacks_t cb = {.callback = on_ok_reenter};
    OK(mp_pool_apply_async(p, square, &x, sizeof x, &cb, &r));
    OK(mp_result_wait(r, LONG));
    assert_int_equal(MP_EBUSY, reentered);
    OK(mp_result_destroy(r));
    finish(p);
}

static void test_a_full_queue_is_enoslot_and_takes_nothing(void **state)
{
    (void)state;
    mp_pool_t p = make(1);
    gate_t g = {.value = 0};
    OK(mp_event_create(&g.go));
    mp_result_t r[MP_CONF_POOL_QUEUE + 1];
    size_t made = 0;
    mp_err_t err = MP_OK;
    while (made <= MP_CONF_POOL_QUEUE &&
           (err = mp_pool_apply_async(p, wait_go, &g, sizeof g, NULL, &r[made])) == MP_OK)
        made++;
    assert_int_equal(MP_ENOSLOT, err);
    assert_int_equal(made, MP_CONF_POOL_QUEUE < MP_CONF_MAX_RESULTS ? MP_CONF_POOL_QUEUE
                                                                    : MP_CONF_MAX_RESULTS);
    OK(mp_event_set(g.go));
    for (size_t i = 0; i < made; i++) {
        size_t len;
        OK(mp_result_get(r[i], NULL, 0, &len, LONG));
        assert_int_equal(0, len);
        OK(mp_result_destroy(r[i]));
    }
    finish(p);
    OK(mp_event_destroy(g.go));
}

static void test_an_abandoned_imap_frees_its_slots(void **state)
{
    (void)state;
    mp_pool_t p = make(2);
    int in[30];
    for (int i = 0; i < 30; i++)
        in[i] = i;
    mp_pool_imap_t it;
    OK(mp_pool_imap(p, &it, square, in, 30, sizeof in[0], sizeof(int), 1, true));
    int y;
    size_t index;
    OK(mp_pool_imap_next(&it, &y, &index, NULL, LONG));
    assert_int_equal(0, index);
    OK(mp_pool_imap_abandon(&it));
    assert_int_equal(MP_EOF, mp_pool_imap_next(&it, &y, &index, NULL, MP_NOWAIT));
    /* every job slot can be used again */
    int out[30];
    OK(mp_pool_map(p, square, in, 30, sizeof in[0], out, sizeof out[0], NULL, 1, NULL, LONG));
    assert_int_equal(29 * 29, out[29]);
    mp_result_t r[MP_CONF_POOL_QUEUE];
    size_t made = 0;
    while (made < MP_CONF_POOL_QUEUE && made < MP_CONF_MAX_RESULTS &&
           mp_pool_apply_async(p, square, &in[1], sizeof in[1], NULL, &r[made]) == MP_OK)
        made++;
    assert_int_equal(made, MP_CONF_POOL_QUEUE < MP_CONF_MAX_RESULTS ? MP_CONF_POOL_QUEUE
                                                                    : MP_CONF_MAX_RESULTS);
    for (size_t i = 0; i < made; i++)
        OK(mp_result_destroy(r[i]));
    finish(p);
}

/* ---- handles and arguments ------------------------------------------------------------------ */
static void test_bad_handles_and_arguments_get_their_codes(void **state)
{
    (void)state;
    mp_pool_t none = {0};
    int x = 1, y;
    mp_result_t r;
    assert_int_equal(MP_EHANDLE, mp_pool_apply_async(none, square, &x, sizeof x, NULL, &r));
    assert_int_equal(MP_EHANDLE, mp_pool_close(none));
    assert_int_equal(MP_EHANDLE, mp_result_wait((mp_result_t){0}, MP_NOWAIT));
    mp_pool_t p = make(1);
    assert_int_equal(MP_EINVAL, mp_pool_apply_async(p, NULL, &x, sizeof x, NULL, &r));
    assert_int_equal(MP_EINVAL, mp_pool_apply_async(p, square, NULL, 4, NULL, &r));
    assert_int_equal(MP_EINVAL, mp_pool_apply(p, square, &x, sizeof x, &y, sizeof y, NULL, NULL,
                                              LONG));
    assert_int_equal(MP_EMSGSIZE, mp_pool_map(p, square, &x, 1, MP_CONF_POOL_ARG_SIZE + 1, &y,
                                              sizeof y, NULL, 0, NULL, LONG));
    assert_int_equal(MP_EHANDLE, mp_result_wait((mp_result_t){p.id}, MP_NOWAIT));
    finish(p);
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_apply_returns_the_task_result),
        TEST(test_workers_are_daemonic_children_named_PoolWorker_N),
        TEST(test_zero_workers_means_the_configured_maximum),
        TEST(test_invalid_sizes_are_refused_and_start_nothing),
        TEST(test_a_pool_that_cannot_start_every_worker_leaves_none),
        TEST(test_the_initializer_runs_once_in_each_worker_with_its_argument),
        TEST(test_maxtasksperchild_replaces_a_worker_after_that_many_tasks),
        TEST(test_a_failed_task_gives_etask_with_its_code_and_message),
        TEST(test_an_oversize_argument_is_emsgsize_and_queues_nothing),
        TEST(test_an_oversize_result_is_emsgsize_and_the_worker_is_kept),
        TEST(test_get_into_a_short_buffer_is_etoosmall_and_keeps_the_result),
        TEST(test_an_async_result_is_not_ready_until_its_task_ends),
        TEST(test_callbacks_run_in_the_owner_exactly_once_per_task),
        TEST(test_a_worker_killed_in_a_task_fails_it_with_eworker_and_is_replaced),
        TEST(test_a_task_that_exits_fails_with_eworker_and_the_exit_code),
        TEST(test_a_crashing_task_fails_with_eworker_and_minus_11),
        TEST(test_a_map_whose_worker_dies_reports_that_item_and_finishes),
        TEST(test_a_worker_killed_while_idle_is_replaced_and_fails_nothing),
        TEST(test_a_killed_owners_pool_and_results_are_freed_when_it_is_joined),
        TEST(test_terminate_with_thousands_of_items_pending_discards_them_at_once),
        TEST(test_join_of_a_running_pool_is_ebusy),
        TEST(test_submitting_after_close_or_terminate_is_eclosed),
        TEST(test_close_lets_queued_tasks_finish_before_join_returns),
        TEST(test_terminate_discards_queued_tasks_and_reaps_every_worker),
        TEST(test_destroy_of_a_running_pool_terminates_it),
        TEST(test_only_the_creating_process_may_use_the_pool),
        TEST(test_map_gives_results_in_input_order),
        TEST(test_map_of_empty_input_returns_at_once),
        TEST(test_map_runs_every_item_and_reports_each_failure),
        TEST(test_starmap_takes_one_argument_struct_per_item),
        TEST(test_map_async_fills_the_output_and_calls_back_once),
        TEST(test_imap_yields_every_result_in_input_order_then_eof),
        TEST(test_imap_unordered_yields_every_item_once),
        TEST(test_imap_reports_a_dead_workers_item_and_goes_on),
        TEST(test_imap_next_times_out_while_nothing_is_done),
        TEST(test_a_callback_calling_into_its_pool_gets_ebusy),
        TEST(test_a_full_queue_is_enoslot_and_takes_nothing),
        TEST(test_an_abandoned_imap_frees_its_slots),
        TEST(test_bad_handles_and_arguments_get_their_codes),
    };
    return cmocka_run_group_tests_name("pool", tests, NULL, NULL);
}
