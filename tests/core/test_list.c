/*
 * List (CPython's Manager().list() of fixed-size items): every operation and its codes,
 * Python indexes, a stable sort, iteration that sees the list change size, four
 * processes appending, and processes killed in the middle of a change.
 */
#include "mp/dict.h"
#include "mp/list.h"
#include "mp_test.h"
#include "test_hooks.h"
#include "kill_plan.h"

static mp_list_t make(uint32_t capacity)
{
    mp_list_t l;
    OK(mp_list_create(&l, &(mp_list_attr_t){capacity, sizeof(int32_t)}));
    return l;
}

static void append(mp_list_t l, int32_t v)
{
    OK(mp_list_append(l, &v, MP_NOWAIT));
}

static size_t len_of(mp_list_t l)
{
    size_t n = 12345;
    OK(mp_list_len(l, &n, MP_NOWAIT));
    return n;
}

static int32_t at(mp_list_t l, int32_t index)
{
    int32_t v = -999;
    OK(mp_list_get(l, index, &v, MP_NOWAIT));
    return v;
}

/* The list is exactly want[0..n). */
static void assert_list(mp_list_t l, const int32_t *want, size_t n)
{
    assert_int_equal(n, len_of(l));
    for (size_t i = 0; i < n; i++)
        assert_int_equal(want[i], at(l, (int32_t)i));
}

static void test_create_rejects_shapes_out_of_bounds(void **state)
{
    (void)state;
    mp_list_t l;
    assert_int_equal(MP_EINVAL, mp_list_create(NULL, &(mp_list_attr_t){4, 4}));
    assert_int_equal(MP_EINVAL, mp_list_create(&l, NULL));
    assert_int_equal(MP_EINVAL, mp_list_create(&l, &(mp_list_attr_t){0, 4}));
    assert_int_equal(MP_EINVAL, mp_list_create(&l, &(mp_list_attr_t){4, 0}));
    assert_int_equal(MP_EINVAL,
                     mp_list_create(&l, &(mp_list_attr_t){MP_CONF_CONTAINER_CAPACITY + 1u, 4}));
    assert_int_equal(MP_EINVAL, mp_list_create(&l, &(mp_list_attr_t){4, MP_CONF_LIST_ITEM_SIZE + 1u}));
    assert_int_equal(MP_ENOMEM, mp_list_create(&l, &(mp_list_attr_t){MP_CONF_CONTAINER_CAPACITY,
                                                                     MP_CONF_LIST_ITEM_SIZE}));
}

static void test_a_destroyed_list_is_stale_and_a_list_is_not_a_dict(void **state)
{
    (void)state;
    mp_list_t l = make(4);
    int32_t v;
    OK(mp_list_destroy(l));
    assert_int_equal(MP_ESTALE, mp_list_get(l, 0, &v, MP_NOWAIT));
    assert_int_equal(MP_ESTALE, mp_list_destroy(l));
    assert_int_equal(MP_EHANDLE, mp_list_get((mp_list_t){0}, 0, &v, MP_NOWAIT));
    mp_dict_t d;
    OK(mp_dict_create(&d, &(mp_dict_attr_t){1, 4, 4}));
    assert_int_equal(MP_EHANDLE, mp_list_get((mp_list_t){d.id}, 0, &v, MP_NOWAIT));
    assert_int_equal(MP_EHANDLE, mp_dict_len((mp_dict_t){l.id}, &(size_t){0}, MP_NOWAIT));
    OK(mp_dict_destroy(d));
}

static void test_append_get_and_python_indexes(void **state)
{
    (void)state;
    mp_list_t l = make(8);
    append(l, 10);
    append(l, 20);
    append(l, 30);
    assert_int_equal(10, at(l, 0));
    assert_int_equal(30, at(l, -1));
    assert_int_equal(10, at(l, -3));
    int32_t v;
    assert_int_equal(MP_ERANGE, mp_list_get(l, 3, &v, MP_NOWAIT));
    assert_int_equal(MP_ERANGE, mp_list_get(l, -4, &v, MP_NOWAIT));
    assert_int_equal(MP_EINVAL, mp_list_get(l, 0, NULL, MP_NOWAIT));
    v = 25;
    OK(mp_list_set(l, -2, &v, MP_NOWAIT));
    assert_list(l, (int32_t[]){10, 25, 30}, 3);
    assert_int_equal(MP_ERANGE, mp_list_set(l, 3, &v, MP_NOWAIT));
    OK(mp_list_destroy(l));
}

static void test_a_full_list_is_enospc_and_extend_adds_all_or_nothing(void **state)
{
    (void)state;
    mp_list_t l = make(4);
    OK(mp_list_extend(l, (int32_t[]){1, 2, 3}, 3, MP_NOWAIT));
    assert_int_equal(MP_ENOSPC, mp_list_extend(l, (int32_t[]){4, 5}, 2, MP_NOWAIT));
    assert_list(l, (int32_t[]){1, 2, 3}, 3);
    OK(mp_list_extend(l, NULL, 0, MP_NOWAIT));
    assert_int_equal(MP_EINVAL, mp_list_extend(l, NULL, 1, MP_NOWAIT));
    append(l, 4);
    int32_t v = 5;
    assert_int_equal(MP_ENOSPC, mp_list_append(l, &v, MP_NOWAIT));
    assert_int_equal(MP_ENOSPC, mp_list_insert(l, 0, &v, MP_NOWAIT));
    OK(mp_list_set(l, 0, &v, MP_NOWAIT)); /* replacing needs no room */
    assert_list(l, (int32_t[]){5, 2, 3, 4}, 4);
    OK(mp_list_destroy(l));
}

static void test_insert_clamps_its_index_as_cpython_does(void **state)
{
    (void)state;
    mp_list_t l = make(8);
    append(l, 1);
    append(l, 2);
    int32_t v = 0;
    OK(mp_list_insert(l, 0, &v, MP_NOWAIT));
    v = 9;
    OK(mp_list_insert(l, 100, &v, MP_NOWAIT));
    v = 5;
    OK(mp_list_insert(l, -1, &v, MP_NOWAIT)); /* before the last */
    v = -1;
    OK(mp_list_insert(l, -100, &v, MP_NOWAIT));
    assert_list(l, (int32_t[]){-1, 0, 1, 2, 5, 9}, 6);
    OK(mp_list_destroy(l));
}

static void test_pop_from_either_end_and_by_index(void **state)
{
    (void)state;
    mp_list_t l = make(8);
    OK(mp_list_extend(l, (int32_t[]){1, 2, 3, 4, 5}, 5, MP_NOWAIT));
    int32_t v = 0;
    OK(mp_list_pop(l, -1, &v, MP_NOWAIT));
    assert_int_equal(5, v);
    OK(mp_list_pop(l, 0, &v, MP_NOWAIT));
    assert_int_equal(1, v);
    OK(mp_list_pop(l, 1, &v, MP_NOWAIT));
    assert_int_equal(3, v);
    assert_int_equal(MP_ERANGE, mp_list_pop(l, 2, &v, MP_NOWAIT));
    OK(mp_list_pop(l, 0, NULL, MP_NOWAIT)); /* dropped */
    assert_list(l, (int32_t[]){4}, 1);
    OK(mp_list_pop(l, -1, &v, MP_NOWAIT));
    assert_int_equal(MP_ERANGE, mp_list_pop(l, -1, &v, MP_NOWAIT)); /* pop from empty list */
    OK(mp_list_destroy(l));
}

static void test_remove_index_and_count_find_equal_items(void **state)
{
    (void)state;
    mp_list_t l = make(8);
    OK(mp_list_extend(l, (int32_t[]){7, 8, 7, 9}, 4, MP_NOWAIT));
    int32_t seven = 7, nine = 9, none = 42;
    size_t n = 0, i = 0;
    OK(mp_list_count(l, &seven, &n, MP_NOWAIT));
    assert_int_equal(2, n);
    OK(mp_list_index(l, &nine, &i, MP_NOWAIT));
    assert_int_equal(3, i);
    assert_int_equal(MP_ENOENT, mp_list_index(l, &none, &i, MP_NOWAIT));
    OK(mp_list_remove(l, &seven, MP_NOWAIT)); /* the first one */
    assert_list(l, (int32_t[]){8, 7, 9}, 3);
    assert_int_equal(MP_ENOENT, mp_list_remove(l, &none, MP_NOWAIT));
    OK(mp_list_count(l, &none, &n, MP_NOWAIT));
    assert_int_equal(0, n);
    assert_int_equal(MP_EINVAL, mp_list_count(l, NULL, &n, MP_NOWAIT));
    OK(mp_list_clear(l, MP_NOWAIT));
    assert_int_equal(0, len_of(l));
    OK(mp_list_extend(l, (int32_t[]){1, 2, 3, 4, 5, 6, 7, 8}, 8, MP_NOWAIT)); /* all free */
    OK(mp_list_destroy(l));
}

typedef struct {
    int32_t key, seq;
} pair_t;

static int by_key(const void *a, const void *b, void *ctx)
{
    int *calls = ctx;
    (*calls)++;
    const pair_t *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static void test_sort_is_stable_also_reversed(void **state)
{
    (void)state;
    mp_list_t l;
    OK(mp_list_create(&l, &(mp_list_attr_t){8, sizeof(pair_t)}));
    pair_t in[] = {{3, 0}, {1, 1}, {3, 2}, {2, 3}, {1, 4}, {3, 5}};
    OK(mp_list_extend(l, in, 6, MP_NOWAIT));
    int calls = 0;
    OK(mp_list_sort(l, by_key, &calls, false, MP_NOWAIT));
    assert_true(calls > 0 && calls <= 6 * 3); /* about n log2 n */
    pair_t want[] = {{1, 1}, {1, 4}, {2, 3}, {3, 0}, {3, 2}, {3, 5}}, got;
    for (int i = 0; i < 6; i++) {
        OK(mp_list_get(l, i, &got, MP_NOWAIT));
        assert_int_equal(want[i].key, got.key);
        assert_int_equal(want[i].seq, got.seq);
    }
    OK(mp_list_sort(l, by_key, &calls, true, MP_NOWAIT));
    pair_t rwant[] = {{3, 0}, {3, 2}, {3, 5}, {2, 3}, {1, 1}, {1, 4}};
    for (int i = 0; i < 6; i++) {
        OK(mp_list_get(l, i, &got, MP_NOWAIT));
        assert_int_equal(rwant[i].key, got.key);
        assert_int_equal(rwant[i].seq, got.seq);
    }
    OK(mp_list_destroy(l));
    mp_list_t b;
    OK(mp_list_create(&b, &(mp_list_attr_t){4, 1}));
    OK(mp_list_extend(b, "dbca", 4, MP_NOWAIT));
    OK(mp_list_sort(b, NULL, NULL, false, MP_NOWAIT)); /* byte order */
    char s[4];
    for (int i = 0; i < 4; i++)
        OK(mp_list_get(b, i, &s[i], MP_NOWAIT));
    assert_memory_equal("abcd", s, 4);
    OK(mp_list_destroy(b));
}

static void test_iteration_yields_every_item_then_enoent(void **state)
{
    (void)state;
    mp_list_t l = make(8);
    OK(mp_list_extend(l, (int32_t[]){4, 5, 6}, 3, MP_NOWAIT));
    mp_list_iter_t it;
    OK(mp_list_iter(l, &it, MP_NOWAIT));
    int32_t v;
    for (int32_t want = 4; want <= 6; want++) {
        OK(mp_list_next(&it, &v, MP_NOWAIT));
        assert_int_equal(want, v);
    }
    assert_int_equal(MP_ENOENT, mp_list_next(&it, &v, MP_NOWAIT));
    assert_int_equal(MP_EINVAL, mp_list_next(&it, NULL, MP_NOWAIT));
    OK(mp_list_destroy(l));
}

static void test_iteration_after_a_change_of_size_is_echanged(void **state)
{
    (void)state;
    mp_list_t l = make(8);
    OK(mp_list_extend(l, (int32_t[]){3, 1, 2}, 3, MP_NOWAIT));
    mp_list_iter_t it;
    int32_t v = 0;
    OK(mp_list_iter(l, &it, MP_NOWAIT));
    OK(mp_list_set(l, 0, &v, MP_NOWAIT)); /* same size */
    OK(mp_list_sort(l, NULL, NULL, false, MP_NOWAIT));
    OK(mp_list_next(&it, &v, MP_NOWAIT));
    append(l, 9);
    assert_int_equal(MP_ECHANGED, mp_list_next(&it, &v, MP_NOWAIT));
    OK(mp_list_iter(l, &it, MP_NOWAIT));
    OK(mp_list_pop(l, 0, NULL, MP_NOWAIT));
    assert_int_equal(MP_ECHANGED, mp_list_next(&it, &v, MP_NOWAIT));
    OK(mp_list_iter(l, &it, MP_NOWAIT));
    OK(mp_list_clear(l, MP_NOWAIT));
    assert_int_equal(MP_ECHANGED, mp_list_next(&it, &v, MP_NOWAIT));
    OK(mp_list_destroy(l));
}

/* ---- several processes ------------------------------------------------------------------- */

typedef struct {
    mp_list_t l;
    int32_t who;
} appender_t;

static int append_25(void *arg)
{
    appender_t *a = arg;
    for (int32_t i = 0; i < 25; i++) {
        int32_t v = a->who * 100 + i;
        mp_err_t err = mp_list_append(a->l, &v, LONG);
        if (err != MP_OK)
            return CODE(err);
    }
    return 0;
}

static void test_four_processes_appending_lose_nothing(void **state)
{
    (void)state;
    mp_list_t l = make(100);
    mp_process_t p[4];
    for (int32_t i = 0; i < 4; i++)
        p[i] = spawn(append_25, &(appender_t){l, i}, sizeof(appender_t), MP_DAEMON_NO);
    for (int i = 0; i < 4; i++)
        assert_int_equal(0, reap_soon(p[i]));
    assert_int_equal(100, len_of(l));
    int32_t last[4] = {-1, -1, -1, -1};
    for (int32_t i = 0; i < 100; i++) { /* each process's items, in its order */
        int32_t v = at(l, i), who = v / 100;
        assert_true(who >= 0 && who < 4);
        assert_int_equal(last[who] + 1, v % 100);
        last[who] = v % 100;
    }
    OK(mp_list_destroy(l));
}

/* ---- a holder that stops or dies inside sort (no hooks needed) ----------------------------- */

static MP_SHARED struct {
    test_signal_t held, go;
    bool die; /* die inside the comparison, rather than hold */
} sorter;

static int hold_or_die(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    if (sorter.die) {
        mp_process_t me;
        (void)mp_process_self(&me);
        (void)mp_process_kill(me);
    } else if (sorter.held.lock.id != 0) {
        (void)signal_post(sorter.held);
        (void)signal_wait(sorter.go, MP_FOREVER);
        sorter.held.lock.id = 0; /* once */
    }
    return memcmp(a, b, sizeof(int32_t));
}

static int sort_it(void *arg)
{
    return CODE(mp_list_sort(*(mp_list_t *)arg, hold_or_die, NULL, false, LONG));
}

static void test_a_held_list_is_eagain_with_nowait_and_etimedout_after_a_wait(void **state)
{
    (void)state;
    mp_list_t l = make(4);
    OK(mp_list_extend(l, (int32_t[]){2, 1}, 2, MP_NOWAIT));
    sorter.die = false;
    signal_init(&sorter.held);
    signal_init(&sorter.go);
    test_signal_t held = sorter.held, go = sorter.go;
    mp_process_t p = spawn_until(held, sort_it, &l, sizeof l, MP_DAEMON_NO);
    int32_t v = 3;
    mp_err_t nowait = mp_list_append(l, &v, MP_NOWAIT);
    mp_err_t timed = mp_list_append(l, &v, 20);
    OK(signal_post(go));
    assert_int_equal(0, reap_soon(p));
    assert_int_equal(MP_EAGAIN, nowait);
    assert_int_equal(MP_ETIMEDOUT, timed);
    assert_list(l, (int32_t[]){1, 2}, 2);
    signal_destroy(&held);
    signal_destroy(&go);
    OK(mp_list_destroy(l));
}

static void test_a_sorter_killed_mid_sort_leaves_the_list_unsorted_and_usable(void **state)
{
    (void)state;
    mp_list_t l = make(4);
    OK(mp_list_extend(l, (int32_t[]){3, 1, 2}, 3, MP_NOWAIT));
    sorter.die = true;
    assert_int_equal(-MP_SIGKILL, reap_soon(spawn(sort_it, &l, sizeof l, MP_DAEMON_NO)));
    sorter.die = false;
    assert_list(l, (int32_t[]){3, 1, 2}, 3); /* the lock taken over; nothing half-sorted */
    OK(mp_list_sort(l, NULL, NULL, false, MP_NOWAIT));
    OK(mp_list_pop(l, 0, NULL, MP_NOWAIT));
    int32_t v = 7;
    OK(mp_list_append(l, &v, MP_NOWAIT));
    OK(mp_list_append(l, &v, MP_NOWAIT));
    assert_list(l, (int32_t[]){2, 3, 7, 7}, 4); /* every record usable: none leaked */
    OK(mp_list_destroy(l));
}

/* ---- killed at the publish points (test hooks) -------------------------------------------- */


static int insert_under_plan(void *arg)
{
    mp_process_t me;
    (void)mp_process_self(&me);
    kill_plan.victim = me.id;
    mpi_test_hook = kill_at_plan;
    int32_t v = 99;
    return CODE(mp_list_insert(*(mp_list_t *)arg, 1, &v, LONG));
}

static void killed_inserting_at(mpi_hook_point_t point, const int32_t *want, size_t n)
{
    mp_list_t l = make(4);
    OK(mp_list_extend(l, (int32_t[]){1, 2, 3}, 3, MP_NOWAIT));
    mp_list_iter_t it;
    OK(mp_list_iter(l, &it, MP_NOWAIT));
    kill_plan.point = point;
    kill_plan.victim = 0;
    assert_int_equal(-MP_SIGKILL, reap_soon(spawn(insert_under_plan, &l, sizeof l, MP_DAEMON_NO)));
    mpi_test_hook = NULL;
    assert_list(l, want, n); /* the lock was taken over: MP_OK, the whole change or none */
    int32_t v;
    /* the size may have changed: a takeover cannot know, so iterators are told */
    assert_int_equal(MP_ECHANGED, mp_list_next(&it, &v, MP_NOWAIT));
    /* every record is usable (none leaked by the dead inserter): fill the list, then
     * replace each item, which needs the one spare record every time */
    while (len_of(l) < 4)
        append(l, 7);
    for (int32_t i = 0; i < 4; i++)
        OK(mp_list_set(l, i, &(int32_t){9}, MP_NOWAIT));
    assert_list(l, (int32_t[]){9, 9, 9, 9}, 4);
    OK(mp_list_destroy(l));
}

static void test_an_inserter_killed_before_publishing_leaves_the_list_as_it_was(void **state)
{
    (void)state;
    NEEDS_TEST_HOOKS();
    killed_inserting_at(MPI_HOOK_RECORDS_WRITTEN, (int32_t[]){1, 2, 3}, 3);
}

static void test_an_inserter_killed_after_publishing_leaves_the_item_inserted(void **state)
{
    (void)state;
    NEEDS_TEST_HOOKS();
    killed_inserting_at(MPI_HOOK_RECORDS_PUBLISHED, (int32_t[]){1, 99, 2, 3}, 4);
}

/* ---- killed at arbitrary points ------------------------------------------------------------- */

#define ROUNDS 30

typedef struct {
    mp_list_t l;
    mp_queue_t progress; /* depth 1: the child blocks there, so the parent runs on every port */
} churn_arg_t;

/* Items are (seq, ~seq) pairs: a torn item would not match. */
static int churn(void *arg)
{
    churn_arg_t *a = arg;
    for (int32_t seq = 0;; seq++) {
        pair_t v = {seq, ~seq};
        mp_err_t err = mp_list_insert(a->l, seq % 3, &v, LONG);
        if (err == MP_ENOSPC)
            err = MP_OK;
        if (err == MP_OK && seq % 2 == 0)
            err = mp_list_pop(a->l, -(seq % 4) - 1, &v, LONG);
        if (err == MP_ERANGE)
            err = MP_OK;
        if (err == MP_OK && seq % 5 == 0)
            err = mp_list_sort(a->l, NULL, NULL, seq % 10 == 0, LONG);
        if (err != MP_OK)
            return CODE(err);
        if ((err = mp_queue_put(a->progress, &seq, sizeof seq, LONG)) != MP_OK)
            return CODE(err);
    }
}

static void test_a_process_killed_anywhere_in_a_change_leaves_the_list_consistent(void **state)
{
    (void)state;
    mp_list_t l;
    OK(mp_list_create(&l, &(mp_list_attr_t){16, sizeof(pair_t)}));
    churn_arg_t a = {l, {0}};
    OK(mp_queue_create(&a.progress, &(mp_queue_attr_t){.msg_size = 4, .depth = 1}));
    uint32_t rng = 4242;
    for (int round = 0; round < ROUNDS; round++) {
        mp_process_t p = spawn(churn, &a, sizeof a, MP_DAEMON_NO);
        rng = rng * 1103515245u + 12345u;
        uint32_t wait = 1 + (rng >> 16) % 20;
        for (uint32_t i = 0; i < wait; i++) {
            int32_t seq;
            size_t n;
            OK(mp_queue_get(a.progress, &seq, sizeof seq, &n, LONG));
        }
        OK(mp_process_kill(p));
        assert_int_equal(-MP_SIGKILL, reap(p));
        mp_list_iter_t it;
        OK(mp_list_iter(l, &it, LONG));
        pair_t v;
        size_t seen = 0;
        mp_err_t err;
        while ((err = mp_list_next(&it, &v, LONG)) == MP_OK) {
            assert_int_equal(~v.key, v.seq);
            seen++;
        }
        assert_int_equal(MP_ENOENT, err);
        assert_int_equal(seen, len_of(l));
    }
    OK(mp_list_clear(l, LONG));
    for (int32_t i = 0; i < 16; i++)
        OK(mp_list_append(l, &(pair_t){i, ~i}, LONG));
    OK(mp_list_sort(l, NULL, NULL, true, LONG));
    OK(mp_queue_destroy(a.progress));
    OK(mp_list_destroy(l));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_create_rejects_shapes_out_of_bounds),
        TEST(test_a_destroyed_list_is_stale_and_a_list_is_not_a_dict),
        TEST(test_append_get_and_python_indexes),
        TEST(test_a_full_list_is_enospc_and_extend_adds_all_or_nothing),
        TEST(test_insert_clamps_its_index_as_cpython_does),
        TEST(test_pop_from_either_end_and_by_index),
        TEST(test_remove_index_and_count_find_equal_items),
        TEST(test_sort_is_stable_also_reversed),
        TEST(test_iteration_yields_every_item_then_enoent),
        TEST(test_iteration_after_a_change_of_size_is_echanged),
        TEST(test_four_processes_appending_lose_nothing),
        TEST(test_a_held_list_is_eagain_with_nowait_and_etimedout_after_a_wait),
        TEST(test_a_sorter_killed_mid_sort_leaves_the_list_unsorted_and_usable),
        TEST(test_an_inserter_killed_before_publishing_leaves_the_list_as_it_was),
        TEST(test_an_inserter_killed_after_publishing_leaves_the_item_inserted),
        TEST(test_a_process_killed_anywhere_in_a_change_leaves_the_list_consistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
