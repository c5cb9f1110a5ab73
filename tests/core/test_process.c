/*
 * Processes: the CPython contract, on every port (same source for posix and host-sim).
 */
#include <stdlib.h>

#include "mp_test.h"
#include "orphans.h"

/* ---- targets ------------------------------------------------------------------------ */

static int return_arg(void *arg)
{
    return *(int *)arg;
}

/* Reports whether it saw the value the parent had at create, then scribbles on its copy. */
static MP_SHARED int seen_by_child;
static int read_and_modify(void *arg)
{
    int *v = arg;
    seen_by_child = *v;
    *v = -1;
    return 0;
}

typedef struct {
    test_signal_t ready; /* posted once the child runs */
    mp_lock_t block;     /* held by the parent: the child waits on it forever */
} blocker_arg_t;

static int blocker(void *arg)
{
    blocker_arg_t *a = arg;
    signal_post(a->ready);
    mp_lock_acquire(a->block, MP_FOREVER);
    return 99;
}

static void blocker_init(blocker_arg_t *a)
{
    signal_init(&a->ready);
    OK(mp_lock_create(&a->block));
    OK(mp_lock_acquire(a->block, MP_NOWAIT));
}

static void blocker_destroy(blocker_arg_t *a)
{
    signal_destroy(&a->ready);
    (void)mp_lock_release(a->block);
    OK(mp_lock_destroy(a->block));
}

static mp_process_t start_blocker(blocker_arg_t *a, mp_daemon_t daemon)
{
    mp_process_t p = spawn_until(a->ready, blocker, a, sizeof *a, daemon);
    return p;
}

/* ---- exit codes ----------------------------------------------------------------------- */

static void test_exitcode_is_the_targets_return_value(void **state)
{
    (void)state;
    int values[] = {0, 1, 7, 255};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        assert_int_equal(values[i], run(return_arg, &values[i], sizeof values[i]));
}

static void test_exitcode_is_running_until_joined(void **state)
{
    (void)state;
    blocker_arg_t a;
    blocker_init(&a);
    mp_process_t p;
    int code;
    OK(mp_process_create(&p, &(mp_process_attr_t){.target = blocker, .arg = &a,
                                                  .arg_size = sizeof a}));
    assert_int_equal(MP_ERUNNING, mp_process_exitcode(p, &code)); /* not started */
    OK(mp_process_start(p));
    OK(signal_wait(a.ready, MP_FOREVER));
    assert_int_equal(MP_ERUNNING, mp_process_exitcode(p, &code)); /* running */
    OK(mp_lock_release(a.block));
    assert_int_equal(99, reap(p));
    blocker_destroy(&a);
}

/* Ends a running child with terminate or kill; returns its exitcode. */
static int end_a_blocker_with(mp_err_t (*end)(mp_process_t))
{
    blocker_arg_t a;
    blocker_init(&a);
    mp_process_t p = start_blocker(&a, MP_DAEMON_NO);
    OK(end(p));
    int code = reap(p);
    blocker_destroy(&a);
    return code;
}

static void test_terminate_gives_minus_15(void **state)
{
    (void)state;
    assert_int_equal(-MP_SIGTERM, end_a_blocker_with(mp_process_terminate));
}

static void test_kill_gives_minus_9(void **state)
{
    (void)state;
    assert_int_equal(-MP_SIGKILL, end_a_blocker_with(mp_process_kill));
}

static void test_interrupt_gives_minus_2(void **state)
{
    (void)state;
    assert_int_equal(-MP_SIGINT, end_a_blocker_with(mp_process_interrupt));
}

static int crash(void *arg)
{
    (void)arg;
    volatile int *volatile bad = BAD_ADDRESS;
    *bad = 1;
    return 0;
}

static void test_crash_gives_minus_11(void **state)
{
    (void)state;
    assert_int_equal(-MP_SIGSEGV, run(crash, NULL, 0));
}

static void test_terminate_after_the_end_keeps_the_exitcode(void **state)
{
    (void)state;
    int v = 3;
    mp_process_t p = spawn(return_arg, &v, sizeof v, MP_DAEMON_NO);
    OK(mp_process_join(p, MP_FOREVER));
    OK(mp_process_terminate(p));
    OK(mp_process_kill(p));
    int code;
    OK(mp_process_exitcode(p, &code));
    assert_int_equal(3, code);
    OK(mp_process_close(p));
}

/* ---- the argument --------------------------------------------------------------------- */

static void test_argument_is_a_private_copy(void **state)
{
    (void)state;
    int v = 41;
    mp_process_t p;
    OK(mp_process_create(&p, &(mp_process_attr_t){.target = read_and_modify, .arg = &v,
                                                  .arg_size = sizeof v}));
    v = 42; /* after create: the child must still see 41, as with pickled args */
    OK(mp_process_start(p));
    assert_int_equal(0, reap(p));
    assert_int_equal(41, seen_by_child);
    assert_int_equal(42, v);
}

/* ---- join ------------------------------------------------------------------------------ */

static void test_join_times_out_while_the_child_runs(void **state)
{
    (void)state;
    blocker_arg_t a;
    blocker_init(&a);
    mp_process_t p = start_blocker(&a, MP_DAEMON_NO);
    assert_int_equal(MP_EAGAIN, mp_process_join(p, MP_NOWAIT));
    assert_int_equal(MP_ETIMEDOUT, mp_process_join(p, 20));
    bool alive;
    OK(mp_process_is_alive(p, &alive));
    assert_true(alive);
    OK(mp_lock_release(a.block));
    assert_int_equal(99, reap(p));
    blocker_destroy(&a);
}

static void test_an_ended_child_may_be_joined_again(void **state)
{
    (void)state;
    blocker_arg_t a;
    blocker_init(&a);
    mp_process_t p = start_blocker(&a, MP_DAEMON_NO);
    bool alive;
    OK(mp_lock_release(a.block));
    OK(mp_process_join(p, MP_FOREVER));
    OK(mp_process_join(p, MP_FOREVER)); /* joining again is fine */
    OK(mp_process_is_alive(p, &alive));
    assert_false(alive);
    assert_int_equal(99, reap(p));
    blocker_destroy(&a);
}

static void test_is_alive_reaps_an_ended_child(void **state)
{
    (void)state;
    int v = 5;
    mp_process_t p = spawn(return_arg, &v, sizeof v, MP_DAEMON_NO);
    bool alive = true;
    /* Poll until the child is seen ended: is_alive itself must reap it. */
    while (alive)
        OK(mp_process_is_alive(p, &alive));
    int code;
    OK(mp_process_exitcode(p, &code));
    assert_int_equal(5, code);
    OK(mp_process_close(p));
}

/* ---- rules ------------------------------------------------------------------------------ */

static void test_start_twice_is_refused(void **state)
{
    (void)state;
    int v = 0;
    mp_process_t p = spawn(return_arg, &v, sizeof v, MP_DAEMON_NO);
    assert_int_equal(MP_EALREADY, mp_process_start(p));
    assert_int_equal(0, reap(p));
}

static mp_process_t create_unstarted(void)
{
    static int v = 0;
    mp_process_t p;
    OK(mp_process_create(&p, &(mp_process_attr_t){.target = return_arg, .arg = &v,
                                                  .arg_size = sizeof v}));
    return p;
}

static void test_unstarted_process_cannot_be_joined_or_signalled(void **state)
{
    (void)state;
    mp_process_t p = create_unstarted();
    assert_int_equal(MP_ENOTSTARTED, mp_process_join(p, MP_NOWAIT));
    assert_int_equal(MP_ENOTSTARTED, mp_process_terminate(p));
    assert_int_equal(MP_ENOTSTARTED, mp_process_kill(p));
    assert_int_equal(MP_ENOTSTARTED, mp_process_interrupt(p));
    OK(mp_process_close(p)); /* an unstarted slot can be given back */
}

static void test_unstarted_process_has_no_pid_and_is_not_alive(void **state)
{
    (void)state;
    mp_process_t p = create_unstarted();
    uint32_t pid;
    assert_int_equal(MP_ENOTSTARTED, mp_process_pid(p, &pid));
    bool alive = true;
    OK(mp_process_is_alive(p, &alive));
    assert_false(alive);
    OK(mp_process_close(p));
}

static void test_init_twice_is_refused(void **state)
{
    (void)state;
    assert_int_equal(MP_EALREADY, mp_init());
}

static void test_join_of_self_is_refused(void **state)
{
    (void)state;
    mp_process_t me;
    OK(mp_process_self(&me));
    assert_int_equal(MP_ESELF, mp_process_join(me, MP_NOWAIT));
}

static int join_sibling(void *arg)
{
    return CODE(mp_process_join(*(mp_process_t *)arg, MP_NOWAIT));
}

static int join_own_self(void *arg)
{
    (void)arg;
    mp_process_t me;
    mp_process_self(&me);
    return CODE(mp_process_join(me, MP_NOWAIT));
}

static void test_only_the_parent_may_join(void **state)
{
    (void)state;
    blocker_arg_t a;
    blocker_init(&a);
    mp_process_t sibling = start_blocker(&a, MP_DAEMON_NO);
    assert_int_equal(CODE(MP_ENOTCHILD), run(join_sibling, &sibling, sizeof sibling));
    OK(mp_process_terminate(sibling));
    assert_int_equal(-MP_SIGTERM, reap(sibling));
    blocker_destroy(&a);
}

static void test_join_of_self_is_refused_in_a_child_too(void **state)
{
    (void)state;
    assert_int_equal(CODE(MP_ESELF), run(join_own_self, NULL, 0));
}

static int start_grandchild(void *arg)
{
    (void)arg;
    int v = 0;
    mp_process_t p;
    return CODE(mp_process_create(&p, &(mp_process_attr_t){.target = return_arg, .arg = &v,
                                                           .arg_size = sizeof v}));
}

static void test_daemon_may_not_have_children(void **state)
{
    (void)state;
    mp_process_t p = spawn(start_grandchild, NULL, 0, MP_DAEMON_YES);
    assert_int_equal(CODE(MP_EDAEMON), reap(p));
}

/* After a refused call, processes still start and end as they should. */
static void expect_still_usable(void)
{
    int v = 0;
    assert_int_equal(0, run(return_arg, &v, sizeof v));
}

static void test_create_refuses_bad_attributes(void **state)
{
    (void)state;
    char big[MP_CONF_ARG_SIZE + 1] = {0};
    mp_process_t p;
    assert_int_equal(MP_EINVAL, mp_process_create(NULL, &(mp_process_attr_t){.target = return_arg}));
    assert_int_equal(MP_EINVAL, mp_process_create(&p, NULL));
    assert_int_equal(MP_EINVAL, mp_process_create(&p, &(mp_process_attr_t){.target = NULL}));
    assert_int_equal(MP_EINVAL, mp_process_create(&p, &(mp_process_attr_t){
                                                          .target = return_arg, .arg = big,
                                                          .arg_size = sizeof big}));
    assert_int_equal(MP_EINVAL, mp_process_create(&p, &(mp_process_attr_t){
                                                          .target = return_arg, .arg_size = 4}));
    assert_int_equal(MP_EINVAL, mp_process_create(&p, &(mp_process_attr_t){
                                                          .target = return_arg, .daemon = 7}));
    assert_int_equal(MP_EINVAL, mp_process_create(&p, &(mp_process_attr_t){
                                                          .target = return_arg,
                                                          .priority = MP_CONF_PRIORITIES}));
    expect_still_usable();
}

static void test_handles_that_name_no_process_are_refused(void **state)
{
    (void)state;
    mp_process_t zero = {0}, forged = {3u << MP_HANDLE_KIND_SHIFT | 1u};
    mp_lock_t lock;
    OK(mp_lock_create(&lock));
    mp_process_t lock_as_process = {lock.id};
    assert_int_equal(MP_EHANDLE, mp_process_join(zero, MP_NOWAIT));
    assert_int_equal(MP_EHANDLE, mp_process_start(forged));
    assert_int_equal(MP_EHANDLE, mp_process_terminate(lock_as_process));
    OK(mp_lock_destroy(lock));
    expect_still_usable();
}

static void test_calls_refuse_a_missing_output(void **state)
{
    (void)state;
    /* the handle before the arguments: one order on every call */
    mp_process_t zero = {0};
    assert_int_equal(MP_EHANDLE, mp_process_exitcode(zero, NULL));
    assert_int_equal(MP_EHANDLE, mp_process_is_alive(zero, NULL));
    assert_int_equal(MP_EHANDLE, mp_process_name(zero, NULL, 4));
    mp_process_t me;
    OK(mp_process_self(&me));
    assert_int_equal(MP_EINVAL, mp_process_exitcode(me, NULL));
    assert_int_equal(MP_EINVAL, mp_process_is_alive(me, NULL));
    assert_int_equal(MP_EINVAL, mp_process_name(me, NULL, 4));
    assert_int_equal(MP_EINVAL, mp_process_self(NULL));
    expect_still_usable();
}

/* ---- the table ---------------------------------------------------------------------- */

/* Creates processes (not started) until the table is full; returns how many. */
static size_t fill_the_table(mp_process_t all[MP_CONF_MAX_PROCESSES])
{
    static int v = 0;
    size_t n = 0;
    mp_err_t err;
    while ((err = mp_process_create(&all[n], &(mp_process_attr_t){
                                                 .target = return_arg, .arg = &v,
                                                 .arg_size = sizeof v})) == MP_OK)
        n++;
    assert_int_equal(MP_ENOSLOT, err);
    return n;
}

static void test_table_full_is_reported(void **state)
{
    (void)state;
    mp_process_t all[MP_CONF_MAX_PROCESSES];
    size_t n = fill_the_table(all);
    assert_int_equal(MP_CONF_MAX_PROCESSES - 1, n); /* slot 0 is the main process */
    for (size_t i = 0; i < n; i++)
        OK(mp_process_close(all[i]));
}

static void test_a_closed_process_is_stale_even_after_its_slot_is_reused(void **state)
{
    (void)state;
    int v = 0;
    mp_process_t all[MP_CONF_MAX_PROCESSES];
    size_t n = fill_the_table(all);
    mp_process_t old = all[0];
    OK(mp_process_close(old));
    assert_int_equal(MP_ESTALE, mp_process_start(old));
    OK(mp_process_create(&all[0], &(mp_process_attr_t){.target = return_arg, .arg = &v,
                                                       .arg_size = sizeof v}));
    assert_int_not_equal(old.id, all[0].id);
    assert_int_equal(MP_ESTALE, mp_process_join(old, MP_NOWAIT));
    char name[MP_CONF_NAME_LEN];
    assert_int_equal(MP_ESTALE, mp_process_name(old, name, sizeof name));
    for (size_t i = 0; i < n; i++)
        OK(mp_process_close(all[i]));
}

static void test_joined_slots_are_recycled_oldest_first(void **state)
{
    (void)state;
    int v = 0;
    mp_process_t all[MP_CONF_MAX_PROCESSES];
    size_t n = MP_CONF_MAX_PROCESSES - 1;
    for (size_t i = 0; i < n; i++) {
        all[i] = spawn(return_arg, &v, sizeof v, MP_DAEMON_NO);
        OK(mp_process_join(all[i], MP_FOREVER)); /* joined, not closed */
    }
    mp_process_t fresh = spawn(return_arg, &v, sizeof v, MP_DAEMON_NO);
    int code;
    assert_int_equal(MP_ESTALE, mp_process_exitcode(all[0], &code)); /* recycled */
    OK(mp_process_exitcode(all[1], &code));                            /* still there */
    assert_int_equal(0, reap(fresh));
    for (size_t i = 1; i < n; i++)
        OK(mp_process_close(all[i]));
}

/* ---- names, pids, self, parent, children ------------------------------------------ */

static int name_check(void *arg)
{
    (void)arg;
    char mine[MP_CONF_NAME_LEN], child[MP_CONF_NAME_LEN], expect[MP_CONF_NAME_LEN];
    mp_process_t me, p;
    int v = 0;
    mp_process_self(&me);
    mp_process_name(me, mine, sizeof mine);
    if (mp_process_create(&p, &(mp_process_attr_t){.target = return_arg, .arg = &v,
                                                   .arg_size = sizeof v}) != MP_OK)
        return 1;
    mp_process_name(p, child, sizeof child);
    mp_process_close(p);
    strcpy(expect, mine);
    strcat(expect, ":1"); /* the first child of Process-N is Process-N:1 */
    return strcmp(expect, child) == 0 ? 0 : 2;
}

static void test_the_main_process_is_named_mainprocess(void **state)
{
    (void)state;
    char main_name[MP_CONF_NAME_LEN];
    mp_process_t me;
    OK(mp_process_self(&me));
    OK(mp_process_name(me, main_name, sizeof main_name));
    assert_string_equal("MainProcess", main_name);
}

/* CPython: close() twice is fine. So here, also once the slot serves another process;
 * a handle of a generation the slot never had is still refused. */
static void test_closing_twice_is_fine(void **state)
{
    (void)state;
    mp_process_t p, q;
    int v = 0;
    OK(mp_process_create(&p, &(mp_process_attr_t){.target = return_arg, .arg = &v,
                                                  .arg_size = sizeof v}));
    OK(mp_process_close(p));
    OK(mp_process_close(p));
    bool alive = true;
    assert_int_equal(MP_ESTALE, mp_process_is_alive(p, &alive)); /* only close is idempotent */
    OK(mp_process_create(&q, &(mp_process_attr_t){.target = return_arg, .arg = &v,
                                                  .arg_size = sizeof v}));
    OK(mp_process_close(p)); /* q may have p's slot now: p is still closed */
    mp_process_t later = {q.id + (1u << MP_HANDLE_GEN_SHIFT)};
    assert_int_equal(MP_ESTALE, mp_process_close(later));
    OK(mp_process_close(q));
}

static void test_a_given_name_is_kept(void **state)
{
    (void)state;
    char b[MP_CONF_NAME_LEN];
    mp_process_t q;
    int v = 0;
    OK(mp_process_create(&q, &(mp_process_attr_t){.target = return_arg, .arg = &v,
                                                  .arg_size = sizeof v, .name = "worker"}));
    OK(mp_process_name(q, b, sizeof b));
    assert_string_equal("worker", b);
    OK(mp_process_close(q));
}

/* A cut name would not be found by the name it was given (mp_process_find). */
static void test_a_name_too_long_is_refused_not_cut(void **state)
{
    (void)state;
    char longest[MP_CONF_NAME_LEN], too_long[MP_CONF_NAME_LEN + 1], b[MP_CONF_NAME_LEN];
    memset(longest, 'n', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';
    memset(too_long, 'n', sizeof too_long - 1);
    too_long[sizeof too_long - 1] = '\0';
    mp_usage_t before, after;
    OK(mp_usage(&before));
    mp_process_t q = {0};
    int v = 0;
    assert_int_equal(MP_ENAMETOOLONG,
                     mp_process_create(&q, &(mp_process_attr_t){.target = return_arg, .arg = &v,
                                                                .arg_size = sizeof v,
                                                                .name = too_long}));
    assert_int_equal(0, q.id);
    OK(mp_usage(&after));
    assert_int_equal(before.processes, after.processes); /* no slot taken */
    OK(mp_process_create(&q, &(mp_process_attr_t){.target = return_arg, .arg = &v,
                                                  .arg_size = sizeof v, .name = longest}));
    OK(mp_process_name(q, b, sizeof b));
    assert_string_equal(longest, b);
    OK(mp_process_close(q));
}

/* true and false are the spellings a C programmer reaches for: they mean what they say. */
static void test_daemon_true_makes_a_daemonic_process(void **state)
{
    (void)state;
    static const struct {
        mp_daemon_t daemon;
        bool want;
    } cases[] = {{true, true}, {false, false}, {MP_DAEMON_YES, true}, {MP_DAEMON_NO, false},
                 {MP_DAEMON_INHERIT, false}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mp_process_t q;
        bool daemon = !cases[i].want;
        int v = 0;
        OK(mp_process_create(&q, &(mp_process_attr_t){.target = return_arg, .arg = &v,
                                                      .arg_size = sizeof v,
                                                      .daemon = cases[i].daemon}));
        OK(mp_process_daemon(q, &daemon));
        assert_int_equal(cases[i].want, daemon);
        OK(mp_process_close(q));
    }
    mp_process_t q;
    int v = 0;
    OK(mp_process_create(&q, &(mp_process_attr_t){.target = return_arg, .arg = &v,
                                                  .arg_size = sizeof v})); /* left out: no */
    bool daemon = true;
    OK(mp_process_daemon(q, &daemon));
    assert_false(daemon);
    OK(mp_process_close(q));
}

static void test_default_names_are_process_n_counting_every_child_created(void **state)
{
    (void)state;
    char a[MP_CONF_NAME_LEN], b[MP_CONF_NAME_LEN];
    mp_process_t p, q;
    int v = 0;
    OK(mp_process_create(&p, &(mp_process_attr_t){.target = return_arg, .arg = &v,
                                                  .arg_size = sizeof v}));
    OK(mp_process_create(&q, &(mp_process_attr_t){.target = return_arg, .arg = &v,
                                                  .arg_size = sizeof v, .name = "worker"}));
    OK(mp_process_name(p, a, sizeof a));
    assert_memory_equal("Process-", a, 8);
    OK(mp_process_close(p));
    OK(mp_process_close(q));
    OK(mp_process_create(&p, &(mp_process_attr_t){.target = return_arg, .arg = &v,
                                                  .arg_size = sizeof v}));
    OK(mp_process_name(p, b, sizeof b));
    /* counters go on: the next default name is one more than the first */
    assert_int_equal(atoi(a + 8) + 2, atoi(b + 8));
    OK(mp_process_close(p));
}

static void test_the_first_child_of_process_n_is_process_n_1(void **state)
{
    (void)state;
    assert_int_equal(0, run(name_check, NULL, 0));
}

static int parent_check(void *arg)
{
    mp_process_t expected_parent = *(mp_process_t *)arg, parent;
    if (mp_process_parent(&parent) != MP_OK || parent.id != expected_parent.id)
        return 1;
    return 0;
}

/* parent_process(): a child may ask whether its parent runs, and wait for its end; the
 * parent is still no child of its to signal or read the exit code of. */
static int parent_watch_check(void *arg)
{
    (void)arg;
    mp_process_t parent;
    bool alive = false;
    int code;
    if (mp_process_parent(&parent) != MP_OK)
        return 1;
    if (mp_process_is_alive(parent, &alive) != MP_OK || !alive)
        return 2;
    if (mp_process_join(parent, MP_NOWAIT) != MP_EAGAIN)
        return 3;
    if (mp_process_join(parent, 5) != MP_ETIMEDOUT)
        return 4;
    if (mp_process_is_alive(parent, NULL) != MP_EINVAL)
        return 5;
    if (mp_process_exitcode(parent, &code) != MP_ERUNNING) /* CPython's None */
        return 6;
    if (mp_process_terminate(parent) != MP_ENOTCHILD || mp_process_close(parent) != MP_ENOTCHILD)
        return 7;
    return 0;
}

/* The grandchild: sees its parent run, then (once the test killed it) end. */
static int orphan(void *arg)
{
    orphan_arg_t *a = arg;
    mp_process_t parent, me;
    bool alive = false;
    int32_t report[2] = {0, 0};
    if (mp_process_parent(&parent) != MP_OK || mp_process_self(&me) != MP_OK)
        return 1;
    report[0] = mp_process_is_alive(parent, &alive) == MP_OK && alive ? 1 : -1;
    if (mp_queue_put(a->q, &me, sizeof me, LONG) != MP_OK ||
        mp_queue_put(a->q, &report[0], sizeof report[0], LONG) != MP_OK)
        return 2;
    mp_err_t joined = mp_process_join(parent, LONG); /* returns when the parent is killed */
    report[1] = joined == MP_OK && mp_process_is_alive(parent, &alive) == MP_OK && !alive ? 1 : -2;
    return mp_queue_put(a->q, &report[1], sizeof report[1], LONG) == MP_OK ? 0 : 3;
}

static void test_a_child_sees_its_parent_run_and_end(void **state)
{
    (void)state;
    assert_int_equal(0, run(parent_watch_check, NULL, 0));
    orphan_arg_t a = {.grandchild = orphan};
    OK(mp_queue_create(&a.q, &(mp_queue_attr_t){.msg_size = sizeof(mp_process_t), .depth = 4}));
    OK(mp_event_create(&a.never));
    mp_process_t c = spawn(orphans_parent, &a, sizeof a, MP_DAEMON_NO);
    mp_process_t g;
    int32_t seen = 0;
    size_t len;
    OK(mp_queue_get(a.q, &g, sizeof g, &len, LONG));
    OK(mp_queue_get(a.q, &seen, sizeof seen, &len, LONG));
    assert_int_equal(1, seen); /* alive while it runs */
    OK(mp_process_kill(c));
    assert_int_equal(-MP_SIGKILL, reap(c));
    OK(mp_queue_get(a.q, &seen, sizeof seen, &len, LONG));
    assert_int_equal(1, seen); /* its join returned, and it is not alive */
    assert_int_equal(0, reap_soon(g)); /* the orphan is ours now (adopted) */
    OK(mp_event_destroy(a.never));
    OK(mp_queue_destroy(a.q));
}

static int not_daemonic_check(void *arg)
{
    (void)arg;
    mp_process_t me;
    if (mp_process_self(&me) != MP_OK)
        return 2;
    bool daemon = true;
    if (mp_process_daemon(me, &daemon) != MP_OK || daemon)
        return 3;
    return 0;
}

static void test_the_main_process_has_no_parent(void **state)
{
    (void)state;
    mp_process_t parent;
    assert_int_equal(MP_ENOENT, mp_process_parent(&parent));
}

static void test_a_childs_parent_is_the_process_that_created_it(void **state)
{
    (void)state;
    mp_process_t me;
    OK(mp_process_self(&me));
    assert_int_equal(0, run(parent_check, &me, sizeof me));
}

static void test_a_started_child_has_a_pid(void **state)
{
    (void)state;
    int v = 0;
    mp_process_t p = spawn(return_arg, &v, sizeof v, MP_DAEMON_INHERIT);
    uint32_t pid = 0;
    OK(mp_process_pid(p, &pid));
    assert_true(pid > 0);
    assert_int_equal(0, reap(p));
}

static void test_a_child_inherits_daemon_false_from_the_main_process(void **state)
{
    (void)state;
    /* daemon=inherit from the (non-daemonic) main process gives a non-daemonic child */
    mp_process_t p = spawn(not_daemonic_check, NULL, 0, MP_DAEMON_INHERIT);
    bool daemon;
    OK(mp_process_daemon(p, &daemon));
    assert_false(daemon);
    assert_int_equal(0, reap(p)); /* and the child sees itself so */
}

static void test_active_children_lists_running_children(void **state)
{
    (void)state;
    blocker_arg_t a;
    blocker_init(&a);
    mp_process_t p1 = start_blocker(&a, MP_DAEMON_NO);
    mp_process_t p2 = start_blocker(&a, MP_DAEMON_NO);
    mp_process_t list[4];
    size_t n = 0;
    OK(mp_process_active_children(list, 4, &n));
    assert_int_equal(2, n);
    assert_true((list[0].id == p1.id && list[1].id == p2.id) ||
                (list[0].id == p2.id && list[1].id == p1.id));
    OK(mp_lock_release(a.block)); /* both blockers can now finish, one after the other */
    assert_int_equal(99, reap(p1));
    assert_int_equal(99, reap(p2));
    OK(mp_process_active_children(list, 4, &n));
    assert_int_equal(0, n);
    blocker_destroy(&a);
}

/* ---- daemons and the exit sequence --------------------------------------------------- */

typedef struct {
    test_signal_t ready;  /* the middle process posts it once both children hold their locks */
    mp_lock_t daemon_holds; /* taken by the daemonic grandchild, never released */
    mp_lock_t release_normal; /* held by main; the non-daemonic grandchild waits on it */
    test_signal_t daemon_ready;
    test_signal_t normal_ready;
} family_t;

static int grandchild_daemon(void *arg)
{
    family_t *f = arg;
    mp_lock_acquire(f->daemon_holds, MP_FOREVER);
    signal_post(f->daemon_ready);
    mp_lock_acquire(f->release_normal, MP_FOREVER); /* held by main: blocks until it dies */
    return 0;
}

static int grandchild_normal(void *arg)
{
    family_t *f = arg;
    signal_post(f->normal_ready);
    mp_lock_acquire(f->release_normal, MP_FOREVER);
    mp_lock_release(f->release_normal);
    return 0;
}

/* Starts a daemonic and a normal child, then either returns or blocks forever. */
static int middle(void *arg)
{
    family_t *f = arg;
    mp_process_t d, n;
    mp_process_create(&d, &(mp_process_attr_t){.target = grandchild_daemon, .arg = f,
                                              .arg_size = sizeof *f, .daemon = MP_DAEMON_YES});
    mp_process_create(&n, &(mp_process_attr_t){.target = grandchild_normal, .arg = f,
                                              .arg_size = sizeof *f, .daemon = MP_DAEMON_NO});
    mp_process_start(d);
    mp_process_start(n);
    signal_wait(f->daemon_ready, MP_FOREVER);
    signal_wait(f->normal_ready, MP_FOREVER);
    signal_post(f->ready);
    return 0;
}

static void family_init(family_t *f)
{
    signal_init(&f->ready);
    signal_init(&f->daemon_ready);
    signal_init(&f->normal_ready);
    OK(mp_lock_create(&f->daemon_holds));
    OK(mp_lock_create(&f->release_normal));
    OK(mp_lock_acquire(f->release_normal, MP_NOWAIT));
}

static void family_destroy(family_t *f)
{
    signal_destroy(&f->ready);
    signal_destroy(&f->daemon_ready);
    signal_destroy(&f->normal_ready);
    (void)mp_lock_release(f->daemon_holds);
    OK(mp_lock_destroy(f->daemon_holds));
    (void)mp_lock_release(f->release_normal);
    OK(mp_lock_destroy(f->release_normal));
}

/* Starts the middle process (which then returns); returns once both its children run. */
static mp_process_t start_middle(family_t *f, mp_process_fn fn)
{
    family_init(f);
    mp_process_t m = spawn_until(f->ready, fn, f, sizeof *f, MP_DAEMON_NO);
    return m;
}

static void test_a_returning_process_terminates_its_daemonic_children(void **state)
{
    (void)state;
    family_t f;
    mp_process_t m = start_middle(&f, middle);
    /* its daemonic child was terminated: the lock it held comes back as owner-died */
    assert_int_equal(MP_EOWNERDEAD, mp_lock_acquire(f.daemon_holds, MP_FOREVER));
    OK(mp_lock_release(f.release_normal));
    assert_int_equal(0, reap(m));
    family_destroy(&f);
}

static void test_a_returning_process_waits_for_its_other_children(void **state)
{
    (void)state;
    family_t f;
    mp_process_t m = start_middle(&f, middle);
    /* middle has returned, but must wait in its exit sequence for its normal child */
    assert_int_equal(MP_ETIMEDOUT, mp_process_join(m, 30));
    OK(mp_lock_release(f.release_normal));
    assert_int_equal(0, reap(m));
    (void)mp_lock_acquire(f.daemon_holds, LONG); /* the daemonic one is gone (test above) */
    family_destroy(&f);
}

static int middle_forever(void *arg)
{
    family_t *f = arg;
    middle(arg);
    mp_lock_acquire(f->release_normal, MP_FOREVER); /* held by main: blocks until killed */
    return 0;
}

/* Kills the middle process once both its children run, and reaps it; returns what taking
 * the lock its daemonic child held says (once that child is gone). */
static mp_err_t kill_the_middle(family_t *f)
{
    mp_process_t m = start_middle(f, middle_forever);
    OK(mp_process_kill(m));
    assert_int_equal(-MP_SIGKILL, reap(m));
    return mp_lock_acquire(f->daemon_holds, MP_FOREVER);
}

/* Lets the orphaned non-daemonic grandchild finish; returns how many children main had
 * then (it adopted the orphan: 1) and, in *code, the orphan's exitcode. */
static size_t end_the_orphan(family_t *f, int *code)
{
    mp_process_t orphan;
    size_t n = 0;
    OK(mp_process_active_children(&orphan, 1, &n));
    OK(mp_lock_release(f->release_normal));
    *code = n == 1 ? reap(orphan) : -1;
    return n;
}

static void test_daemon_children_die_with_a_killed_parent(void **state)
{
    (void)state;
    family_t f;
    int code;
    /* the daemonic grandchild dies with its parent; the lock it held is recovered */
    assert_int_equal(MP_EOWNERDEAD, kill_the_middle(&f));
    (void)end_the_orphan(&f, &code);
    family_destroy(&f);
}

static void test_other_children_of_a_killed_parent_are_adopted(void **state)
{
    (void)state;
    family_t f;
    int code;
    (void)kill_the_middle(&f);
    /* the non-daemonic one lives on, adopted by main (who reaped its parent) */
    assert_int_equal(1, end_the_orphan(&f, &code));
    assert_int_equal(0, code);
    family_destroy(&f);
}

/* ---- issue 7, defect 6: the pid is right from the first instruction ----------------- */

static MP_SHARED uint32_t pid_seen;

static int read_own_pid(void *arg)
{
    (void)arg;
    mp_process_t me;
    pid_seen = 0;
    if (mp_process_self(&me) != MP_OK || mp_process_pid(me, &pid_seen) != MP_OK)
        return 1;
    return 0;
}

static void test_the_main_process_knows_its_pid(void **state)
{
    (void)state;
    mp_process_t me;
    uint32_t pid = 0;
    OK(mp_process_self(&me));
    OK(mp_process_pid(me, &pid));
    assert_true(pid != 0);
}

static void test_a_child_knows_its_pid_from_its_first_instruction(void **state)
{
    (void)state;
    uint32_t pid = 0;
    /* Ahead of its parent (priority on the task port; a fast CPU on POSIX): the child reads
     * its pid before its parent's start() has returned. */
    for (int i = 0; i < 20; i++) {
        mp_process_t p;
        OK(mp_process_create(&p, &(mp_process_attr_t){.target = read_own_pid, .priority = 1}));
        OK(mp_process_start(p));
        OK(mp_process_join(p, MP_FOREVER));
        OK(mp_process_pid(p, &pid));
        assert_int_equal(0, reap(p));
        assert_true(pid_seen != 0);
        assert_int_equal(pid, pid_seen);
    }
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_the_main_process_knows_its_pid),
        TEST(test_a_child_knows_its_pid_from_its_first_instruction),
        TEST(test_exitcode_is_the_targets_return_value),
        TEST(test_exitcode_is_running_until_joined),
        TEST(test_terminate_gives_minus_15),
        TEST(test_kill_gives_minus_9),
        TEST(test_interrupt_gives_minus_2),
        TEST(test_crash_gives_minus_11),
        TEST(test_terminate_after_the_end_keeps_the_exitcode),
        TEST(test_argument_is_a_private_copy),
        TEST(test_join_times_out_while_the_child_runs),
        TEST(test_an_ended_child_may_be_joined_again),
        TEST(test_is_alive_reaps_an_ended_child),
        TEST(test_start_twice_is_refused),
        TEST(test_unstarted_process_cannot_be_joined_or_signalled),
        TEST(test_unstarted_process_has_no_pid_and_is_not_alive),
        TEST(test_init_twice_is_refused),
        TEST(test_join_of_self_is_refused),
        TEST(test_join_of_self_is_refused_in_a_child_too),
        TEST(test_only_the_parent_may_join),
        TEST(test_daemon_may_not_have_children),
        TEST(test_create_refuses_bad_attributes),
        TEST(test_handles_that_name_no_process_are_refused),
        TEST(test_calls_refuse_a_missing_output),
        TEST(test_table_full_is_reported),
        TEST(test_a_closed_process_is_stale_even_after_its_slot_is_reused),
        TEST(test_joined_slots_are_recycled_oldest_first),
        TEST(test_the_main_process_is_named_mainprocess),
        TEST(test_a_given_name_is_kept),
        TEST(test_a_name_too_long_is_refused_not_cut),
        TEST(test_daemon_true_makes_a_daemonic_process),
        TEST(test_closing_twice_is_fine),
        TEST(test_default_names_are_process_n_counting_every_child_created),
        TEST(test_the_first_child_of_process_n_is_process_n_1),
        TEST(test_the_main_process_has_no_parent),
        TEST(test_a_childs_parent_is_the_process_that_created_it),
        TEST(test_a_child_sees_its_parent_run_and_end),
        TEST(test_a_started_child_has_a_pid),
        TEST(test_a_child_inherits_daemon_false_from_the_main_process),
        TEST(test_active_children_lists_running_children),
        TEST(test_a_returning_process_terminates_its_daemonic_children),
        TEST(test_a_returning_process_waits_for_its_other_children),
        TEST(test_daemon_children_die_with_a_killed_parent),
        TEST(test_other_children_of_a_killed_parent_are_adopted),
    };
    return cmocka_run_group_tests_name("process", tests, NULL, NULL);
}
