/*
 * Dict and Namespace (CPython's Manager().dict() and Namespace()): every operation and
 * its codes, several processes at once, a process killed in the middle of a change (at
 * exact points with the test hooks, and at arbitrary points), iteration that sees the
 * dict change size.
 */
#include "mp/dict.h"
#include "mp/namespace.h"
#include "mp_test.h"
#include "test_hooks.h"

static mp_dict_t make(uint32_t capacity, uint32_t key_size, uint32_t value_size)
{
    mp_dict_t d;
    OK(mp_dict_create(&d, &(mp_dict_attr_t){capacity, key_size, value_size}));
    return d;
}

static void set_str(mp_dict_t d, const char *key, const char *value)
{
    OK(mp_dict_set(d, key, value, strlen(value) + 1u, MP_NOWAIT));
}

static void set_i64(mp_dict_t d, const char *key, int64_t v)
{
    OK(mp_dict_set(d, key, &v, sizeof v, MP_NOWAIT));
}

static int64_t get_i64(mp_dict_t d, const char *key)
{
    int64_t v = 0;
    size_t len = 0;
    OK(mp_dict_get(d, key, &v, sizeof v, &len, MP_NOWAIT));
    assert_int_equal(sizeof v, len);
    return v;
}

static void assert_value(mp_dict_t d, const char *key, const char *want)
{
    char buf[64];
    size_t len = 0;
    OK(mp_dict_get(d, key, buf, sizeof buf, &len, MP_NOWAIT));
    assert_int_equal(strlen(want) + 1u, len);
    assert_string_equal(want, buf);
}

static size_t len_of(mp_dict_t d)
{
    size_t n = 12345;
    OK(mp_dict_len(d, &n, MP_NOWAIT));
    return n;
}

/* ---- shapes and the table ------------------------------------------------------------ */

static void test_create_rejects_shapes_out_of_bounds(void **state)
{
    (void)state;
    mp_dict_t d;
    assert_int_equal(MP_EINVAL, mp_dict_create(NULL, &(mp_dict_attr_t){4, 8, 8}));
    assert_int_equal(MP_EINVAL, mp_dict_create(&d, NULL));
    assert_int_equal(MP_EINVAL, mp_dict_create(&d, &(mp_dict_attr_t){0, 8, 8}));
    assert_int_equal(MP_EINVAL, mp_dict_create(&d, &(mp_dict_attr_t){4, 0, 8}));
    assert_int_equal(MP_EINVAL, mp_dict_create(&d, &(mp_dict_attr_t){4, 8, 0}));
    assert_int_equal(MP_EINVAL,
                     mp_dict_create(&d, &(mp_dict_attr_t){MP_CONF_CONTAINER_CAPACITY + 1u, 8, 8}));
    assert_int_equal(MP_EINVAL,
                     mp_dict_create(&d, &(mp_dict_attr_t){4, MP_CONF_DICT_KEY_SIZE + 1u, 8}));
    assert_int_equal(MP_EINVAL,
                     mp_dict_create(&d, &(mp_dict_attr_t){4, 8, MP_CONF_DICT_VALUE_SIZE + 1u}));
    assert_int_equal(MP_ENOMEM,
                     mp_dict_create(&d, &(mp_dict_attr_t){MP_CONF_CONTAINER_CAPACITY,
                                                          MP_CONF_DICT_KEY_SIZE,
                                                          MP_CONF_DICT_VALUE_SIZE}));
}

static void test_a_destroyed_dict_is_stale(void **state)
{
    (void)state;
    mp_dict_t d = make(4, 8, 8);
    set_i64(d, "a", 1);
    OK(mp_dict_destroy(d));
    int64_t v;
    size_t len;
    assert_int_equal(MP_ESTALE, mp_dict_get(d, "a", &v, sizeof v, &len, MP_NOWAIT));
    assert_int_equal(MP_ESTALE, mp_dict_destroy(d));
}

static void test_the_dict_table_fills_up(void **state)
{
    (void)state;
    mp_dict_t d[MP_CONF_MAX_DICTS + 1];
    for (int i = 0; i < MP_CONF_MAX_DICTS; i++)
        d[i] = make(1, 4, 4);
    assert_int_equal(MP_ENOSLOT, mp_dict_create(&d[MP_CONF_MAX_DICTS], &(mp_dict_attr_t){1, 4, 4}));
    for (int i = 0; i < MP_CONF_MAX_DICTS; i++)
        OK(mp_dict_destroy(d[i]));
}

/* ---- one process ----------------------------------------------------------------------- */

static void test_set_then_get_copies_the_value_out(void **state)
{
    (void)state;
    mp_dict_t d = make(4, 8, 16);
    set_str(d, "name", "alice");
    assert_value(d, "name", "alice");
    OK(mp_dict_set(d, "empty", "", 0, MP_NOWAIT)); /* an empty value is a value */
    char buf[4];
    size_t len = 99;
    OK(mp_dict_get(d, "empty", buf, sizeof buf, &len, MP_NOWAIT));
    assert_int_equal(0, len);
    OK(mp_dict_destroy(d));
}

static void test_a_missing_key_is_enoent(void **state)
{
    (void)state;
    mp_dict_t d = make(4, 8, 16);
    char buf[16];
    size_t len;
    assert_int_equal(MP_ENOENT, mp_dict_get(d, "nope", buf, sizeof buf, &len, MP_NOWAIT));
    assert_int_equal(MP_ENOENT, mp_dict_delete(d, "nope", MP_NOWAIT));
    assert_int_equal(MP_ENOENT, mp_dict_pop(d, "nope", buf, sizeof buf, &len, MP_NOWAIT));
    assert_int_equal(MP_ENOENT, mp_dict_add(d, "nope", 1, NULL, MP_NOWAIT));
    OK(mp_dict_destroy(d));
}

static void test_a_short_buffer_is_etoosmall_with_the_size_needed(void **state)
{
    (void)state;
    mp_dict_t d = make(4, 8, 16);
    set_str(d, "k", "0123456789"); /* 11 bytes */
    char buf[4];
    size_t len = 0;
    assert_int_equal(MP_ETOOSMALL, mp_dict_get(d, "k", buf, sizeof buf, &len, MP_NOWAIT));
    assert_int_equal(11, len);
    assert_int_equal(MP_ETOOSMALL, mp_dict_pop(d, "k", buf, sizeof buf, &len, MP_NOWAIT));
    assert_value(d, "k", "0123456789"); /* pop into a short buffer removed nothing */
    OK(mp_dict_destroy(d));
}

static void test_bad_keys_and_values_are_einval_or_emsgsize(void **state)
{
    (void)state;
    mp_dict_t d = make(4, 4, 8);
    uint8_t v[9] = {0};
    assert_int_equal(MP_EINVAL, mp_dict_set(d, NULL, v, 1, MP_NOWAIT));
    assert_int_equal(MP_EINVAL, mp_dict_set(d, "", v, 1, MP_NOWAIT));
    assert_int_equal(MP_EMSGSIZE, mp_dict_set(d, "abcde", v, 1, MP_NOWAIT)); /* key_size 4 */
    OK(mp_dict_set(d, "abcd", v, 8, MP_NOWAIT));
    assert_int_equal(MP_EMSGSIZE, mp_dict_set(d, "abcd", v, 9, MP_NOWAIT));
    assert_int_equal(MP_EINVAL, mp_dict_set(d, "abcd", NULL, 1, MP_NOWAIT));
    size_t len;
    assert_int_equal(MP_EINVAL, mp_dict_get(d, "abcd", v, sizeof v, NULL, MP_NOWAIT));
    assert_int_equal(MP_EINVAL, mp_dict_get(d, "abcd", NULL, 4, &len, MP_NOWAIT));
    /* a bad key comes before a bad output: the one order of checks */
    assert_int_equal(MP_EMSGSIZE, mp_dict_get(d, "abcde", NULL, 4, &len, MP_NOWAIT));
    bool found;
    assert_int_equal(MP_EINVAL, mp_dict_contains(d, "abcd", NULL, MP_NOWAIT));
    OK(mp_dict_contains(d, "abcd", &found, MP_NOWAIT));
    assert_true(found);
    assert_int_equal(1, len_of(d)); /* the failed calls changed nothing */
    OK(mp_dict_destroy(d));
}

static void test_a_full_dict_refuses_a_new_key_but_replaces_an_old_one(void **state)
{
    (void)state;
    mp_dict_t d = make(2, 4, 8);
    set_str(d, "a", "1");
    set_str(d, "b", "2");
    assert_int_equal(MP_ENOSPC, mp_dict_set(d, "c", "3", 2, MP_NOWAIT));
    set_str(d, "a", "11"); /* replacing needs no room */
    set_str(d, "b", "22");
    set_str(d, "a", "111");
    assert_value(d, "a", "111");
    assert_value(d, "b", "22");
    assert_int_equal(2, len_of(d));
    OK(mp_dict_delete(d, "a", MP_NOWAIT));
    set_str(d, "c", "3");
    assert_int_equal(2, len_of(d));
    OK(mp_dict_destroy(d));
}

static void test_delete_contains_len_and_clear(void **state)
{
    (void)state;
    mp_dict_t d = make(8, 8, 8);
    set_str(d, "x", "1");
    set_str(d, "y", "2");
    bool found = false;
    OK(mp_dict_contains(d, "x", &found, MP_NOWAIT));
    assert_true(found);
    assert_int_equal(2, len_of(d));
    OK(mp_dict_delete(d, "x", MP_NOWAIT));
    OK(mp_dict_contains(d, "x", &found, MP_NOWAIT));
    assert_false(found);
    assert_int_equal(1, len_of(d));
    OK(mp_dict_clear(d, MP_NOWAIT));
    assert_int_equal(0, len_of(d));
    OK(mp_dict_clear(d, MP_NOWAIT)); /* clearing an empty dict */
    for (int i = 0; i < 8; i++) { /* every record is free again */
        char key[4] = {'k', (char)('0' + i), 0, 0};
        set_str(d, key, "v");
    }
    assert_int_equal(8, len_of(d));
    OK(mp_dict_destroy(d));
}

static void test_pop_returns_the_value_and_removes_the_key(void **state)
{
    (void)state;
    mp_dict_t d = make(4, 8, 8);
    set_str(d, "k", "v");
    char buf[8];
    size_t len = 0;
    OK(mp_dict_pop(d, "k", buf, sizeof buf, &len, MP_NOWAIT));
    assert_int_equal(2, len);
    assert_string_equal("v", buf);
    assert_int_equal(0, len_of(d));
    assert_int_equal(MP_ENOENT, mp_dict_pop(d, "k", buf, sizeof buf, &len, MP_NOWAIT));
    OK(mp_dict_destroy(d));
}

static void test_setdefault_sets_only_a_missing_key(void **state)
{
    (void)state;
    mp_dict_t d = make(2, 8, 8);
    char buf[8];
    size_t len = 0;
    OK(mp_dict_setdefault(d, "k", "first", 6, buf, sizeof buf, &len, MP_NOWAIT));
    assert_string_equal("first", buf);
    OK(mp_dict_setdefault(d, "k", "second", 7, buf, sizeof buf, &len, MP_NOWAIT));
    assert_string_equal("first", buf);
    assert_int_equal(6, len);
    assert_int_equal(MP_ETOOSMALL, mp_dict_setdefault(d, "m", "long!", 6, buf, 2, &len, MP_NOWAIT));
    assert_int_equal(6, len);
    assert_int_equal(1, len_of(d)); /* not set: the caller could not have seen it */
    OK(mp_dict_setdefault(d, "m", "x", 2, NULL, 0, NULL, MP_NOWAIT)); /* no copy wanted */
    assert_value(d, "m", "x");
    assert_int_equal(MP_ENOSPC, mp_dict_setdefault(d, "n", "y", 2, NULL, 0, NULL, MP_NOWAIT));
    OK(mp_dict_setdefault(d, "m", "z", 2, NULL, 0, NULL, MP_NOWAIT)); /* present: full is fine */
    OK(mp_dict_destroy(d));
}

static void test_update_sets_every_entry_of_the_other_dict(void **state)
{
    (void)state;
    mp_dict_t d = make(4, 8, 8), e = make(4, 8, 8);
    set_str(d, "a", "1");
    set_str(d, "b", "2");
    set_str(e, "b", "20");
    set_str(e, "c", "30");
    OK(mp_dict_update(d, e, MP_NOWAIT));
    assert_int_equal(3, len_of(d));
    assert_value(d, "a", "1");
    assert_value(d, "b", "20");
    assert_value(d, "c", "30");
    assert_int_equal(2, len_of(e)); /* the source is unchanged */
    OK(mp_dict_update(d, d, MP_NOWAIT));
    assert_int_equal(3, len_of(d));
    OK(mp_dict_update(e, d, MP_NOWAIT)); /* the other order of locks */
    assert_int_equal(3, len_of(e));
    assert_value(e, "a", "1");
    OK(mp_dict_destroy(d));
    OK(mp_dict_destroy(e));
}

static void test_update_without_room_or_with_oversize_entries_changes_nothing(void **state)
{
    (void)state;
    mp_dict_t d = make(2, 4, 4), e = make(4, 8, 8);
    set_str(d, "a", "1");
    set_str(e, "a", "9");
    set_str(e, "b", "2");
    set_str(e, "c", "3");
    assert_int_equal(MP_ENOSPC, mp_dict_update(d, e, MP_NOWAIT));
    assert_int_equal(1, len_of(d));
    assert_value(d, "a", "1"); /* not even the key it had room for */
    OK(mp_dict_delete(e, "c", MP_NOWAIT));
    set_str(e, "b", "toolong"); /* 8 bytes: d's values hold 4 */
    assert_int_equal(MP_EMSGSIZE, mp_dict_update(d, e, MP_NOWAIT));
    assert_value(d, "a", "1");
    OK(mp_dict_delete(e, "b", MP_NOWAIT));
    set_str(e, "bbbbb", "2"); /* a 5-byte key: d's keys hold 4 */
    assert_int_equal(MP_EMSGSIZE, mp_dict_update(d, e, MP_NOWAIT));
    assert_int_equal(1, len_of(d));
    mp_dict_t gone = make(1, 4, 4);
    OK(mp_dict_destroy(gone));
    assert_int_equal(MP_ESTALE, mp_dict_update(d, gone, MP_NOWAIT));
    OK(mp_dict_destroy(d));
    OK(mp_dict_destroy(e));
}

static void test_add_changes_an_integer_value_and_returns_the_previous(void **state)
{
    (void)state;
    mp_dict_t d = make(4, 8, 16);
    set_i64(d, "num", 100);
    int64_t prev = 0;
    OK(mp_dict_add(d, "num", -1, &prev, MP_NOWAIT));
    assert_int_equal(100, prev);
    OK(mp_dict_add(d, "num", 5, NULL, MP_NOWAIT));
    assert_int_equal(104, get_i64(d, "num"));
    set_str(d, "s", "text");
    assert_int_equal(MP_EINVAL, mp_dict_add(d, "s", 1, NULL, MP_NOWAIT)); /* not an int64 */
    assert_value(d, "s", "text");
    OK(mp_dict_destroy(d));
}

/* ---- iteration ------------------------------------------------------------------------- */

static void test_iteration_yields_every_item_in_insertion_order(void **state)
{
    (void)state;
    mp_dict_t d = make(8, 8, 8);
    set_str(d, "c", "3");
    set_str(d, "a", "1");
    set_str(d, "b", "2");
    set_str(d, "a", "10"); /* replacing keeps the place */
    mp_dict_iter_t it;
    OK(mp_dict_iter(d, &it, MP_NOWAIT));
    const char *keys[] = {"c", "a", "b"}, *values[] = {"3", "10", "2"};
    for (int i = 0; i < 3; i++) {
        char key[9], value[8];
        size_t len = 0;
        OK(mp_dict_next(&it, key, sizeof key, value, sizeof value, &len, MP_NOWAIT));
        assert_string_equal(keys[i], key);
        assert_string_equal(values[i], value);
    }
    char key[9];
    assert_int_equal(MP_ENOENT, mp_dict_next(&it, key, sizeof key, NULL, 0, NULL, MP_NOWAIT));
    /* keys only, values only */
    OK(mp_dict_iter(d, &it, MP_NOWAIT));
    OK(mp_dict_next(&it, key, sizeof key, NULL, 0, NULL, MP_NOWAIT));
    assert_string_equal("c", key);
    char value[8];
    size_t len;
    OK(mp_dict_next(&it, NULL, 0, value, sizeof value, &len, MP_NOWAIT));
    assert_string_equal("10", value);
    /* a short key buffer: MP_ETOOSMALL, and the iteration stays on the entry */
    assert_int_equal(MP_ETOOSMALL, mp_dict_next(&it, key, 1, NULL, 0, NULL, MP_NOWAIT));
    OK(mp_dict_next(&it, key, sizeof key, NULL, 0, NULL, MP_NOWAIT));
    assert_string_equal("b", key);
    OK(mp_dict_destroy(d));
}

static void test_iteration_after_a_change_of_size_is_echanged(void **state)
{
    (void)state;
    mp_dict_t d = make(8, 8, 8);
    set_str(d, "a", "1");
    set_str(d, "b", "2");
    mp_dict_iter_t it;
    char key[9];
    OK(mp_dict_iter(d, &it, MP_NOWAIT));
    OK(mp_dict_next(&it, key, sizeof key, NULL, 0, NULL, MP_NOWAIT));
    set_str(d, "a", "9"); /* same size: the iteration goes on, as in CPython */
    OK(mp_dict_next(&it, key, sizeof key, NULL, 0, NULL, MP_NOWAIT));
    OK(mp_dict_iter(d, &it, MP_NOWAIT));
    set_str(d, "c", "3");
    assert_int_equal(MP_ECHANGED, mp_dict_next(&it, key, sizeof key, NULL, 0, NULL, MP_NOWAIT));
    OK(mp_dict_iter(d, &it, MP_NOWAIT));
    OK(mp_dict_delete(d, "c", MP_NOWAIT));
    assert_int_equal(MP_ECHANGED, mp_dict_next(&it, key, sizeof key, NULL, 0, NULL, MP_NOWAIT));
    OK(mp_dict_iter(d, &it, MP_NOWAIT));
    OK(mp_dict_clear(d, MP_NOWAIT));
    assert_int_equal(MP_ECHANGED, mp_dict_next(&it, key, sizeof key, NULL, 0, NULL, MP_NOWAIT));
    OK(mp_dict_destroy(d));
    assert_int_equal(MP_ESTALE, mp_dict_next(&it, key, sizeof key, NULL, 0, NULL, MP_NOWAIT));
    assert_int_equal(MP_EINVAL, mp_dict_next(NULL, key, sizeof key, NULL, 0, NULL, MP_NOWAIT));
}

/* ---- several processes ------------------------------------------------------------------- */

static int decrement(void *arg)
{
    mp_dict_t d = *(mp_dict_t *)arg;
    return CODE(mp_dict_add(d, "num", -1, NULL, LONG));
}

/* The tutorial program: ten processes doing d['num'] -= 1 on one dict, no Lock. */
static void test_ten_processes_decrementing_one_key_from_100_end_at_90(void **state)
{
    (void)state;
    mp_dict_t d = make(4, 8, 8);
    set_i64(d, "num", 100);
    mp_process_t p[10];
    for (int i = 0; i < 10; i++)
        p[i] = spawn(decrement, &d, sizeof d, MP_DAEMON_NO);
    for (int i = 0; i < 10; i++)
        assert_int_equal(0, reap_soon(p[i]));
    assert_int_equal(90, get_i64(d, "num"));
    OK(mp_dict_destroy(d));
}

typedef struct {
    mp_dict_t d;
    int who;
} worker_arg_t;

static int fill_return_dict(void *arg)
{
    worker_arg_t *a = arg;
    char key[8] = {'w', (char)('0' + a->who), 0};
    for (int i = 0; i < 50; i++) {
        int64_t v = a->who * 1000 + i;
        mp_err_t err = mp_dict_set(a->d, key, &v, sizeof v, LONG);
        if (err != MP_OK)
            return CODE(err);
        if ((err = mp_dict_add(a->d, "total", 1, NULL, LONG)) != MP_OK)
            return CODE(err);
    }
    return 0;
}

/* A return_dict: five workers each setting its own key 50 times and counting in a shared
 * one; the parent sees every worker's last value and every count. */
static void test_five_workers_fill_a_return_dict(void **state)
{
    (void)state;
    mp_dict_t d = make(8, 8, 8);
    set_i64(d, "total", 0);
    mp_process_t p[5];
    for (int i = 0; i < 5; i++)
        p[i] = spawn(fill_return_dict, &(worker_arg_t){d, i}, sizeof(worker_arg_t), MP_DAEMON_NO);
    for (int i = 0; i < 5; i++)
        assert_int_equal(0, reap_soon(p[i]));
    assert_int_equal(250, get_i64(d, "total"));
    for (int i = 0; i < 5; i++) {
        char key[8] = {'w', (char)('0' + i), 0};
        assert_int_equal(i * 1000 + 49, get_i64(d, key));
    }
    assert_int_equal(6, len_of(d));
    OK(mp_dict_destroy(d));
}

/* ---- a holder that stops or dies (test hooks) ----------------------------------------------- */

/* What a child does at a hook: be killed there, or hold there until told to go on. */
static MP_SHARED struct {
    mpi_hook_point_t point;
    uint32_t victim;
    bool hold;
    test_signal_t held, go;
} plan;

static void at_plan(mpi_hook_point_t point)
{
    mp_process_t me;
    if (point != plan.point || mp_process_self(&me) != MP_OK || me.id != plan.victim)
        return;
    plan.point = 0; /* once */
    if (plan.hold) {
        (void)signal_post(plan.held);
        (void)signal_wait(plan.go, MP_FOREVER);
    } else {
        (void)mp_process_kill(me);
    }
}

static int set_under_plan(void *arg)
{
    mp_dict_t d = *(mp_dict_t *)arg;
    mp_process_t me;
    (void)mp_process_self(&me);
    plan.victim = me.id;
    mpi_test_hook = at_plan;
    return CODE(mp_dict_set(d, "k", "new", 4, LONG));
}

static void plan_for(mpi_hook_point_t point, bool hold)
{
    plan.point = point;
    plan.hold = hold;
    plan.victim = 0;
}

static void test_a_held_dict_is_eagain_with_nowait_and_etimedout_after_a_wait(void **state)
{
    (void)state;
    NEEDS_TEST_HOOKS();
    mp_dict_t d = make(4, 8, 8);
    set_str(d, "k", "old");
    plan_for(MPI_HOOK_RECORDS_WRITTEN, true);
    signal_init(&plan.held);
    signal_init(&plan.go);
    mp_process_t p = spawn_until(plan.held, set_under_plan, &d, sizeof d, MP_DAEMON_NO);
    char buf[8];
    size_t len;
    mp_err_t nowait = mp_dict_get(d, "k", buf, sizeof buf, &len, MP_NOWAIT);
    mp_err_t timed = mp_dict_get(d, "k", buf, sizeof buf, &len, 20);
    mp_err_t timed_len = mp_dict_len(d, &len, 20);
    OK(signal_post(plan.go));
    assert_int_equal(0, reap_soon(p));
    mpi_test_hook = NULL;
    assert_int_equal(MP_EAGAIN, nowait);
    assert_int_equal(MP_ETIMEDOUT, timed);
    assert_int_equal(MP_ETIMEDOUT, timed_len);
    assert_value(d, "k", "new");
    signal_destroy(&plan.held);
    signal_destroy(&plan.go);
    OK(mp_dict_destroy(d));
}

static int get_blocked(void *arg)
{
    mp_dict_t d = *(mp_dict_t *)arg;
    char buf[8];
    size_t len;
    return CODE(mp_dict_get(d, "k", buf, sizeof buf, &len, LONG));
}

/* A caller waiting for the lock of a dict that is destroyed returns MP_ESTALE at once; the
 * holder, inside, finishes its set (a success stands) and the storage goes after it. */
static void test_a_caller_waiting_for_a_destroyed_dict_gets_estale(void **state)
{
    (void)state;
    NEEDS_TEST_HOOKS();
    mp_dict_t d = make(4, 8, 8);
    set_str(d, "k", "old");
    plan_for(MPI_HOOK_RECORDS_WRITTEN, true);
    signal_init(&plan.held);
    signal_init(&plan.go);
    mp_process_t holder = spawn_until(plan.held, set_under_plan, &d, sizeof d, MP_DAEMON_NO);
    mp_process_t waiter = spawn(get_blocked, &d, sizeof d, MP_DAEMON_NO);
    wait_blocked(waiter);
    OK(mp_dict_destroy(d));
    mp_err_t joined = mp_process_join(waiter, LONG); /* before the holder goes on */
    OK(signal_post(plan.go));
    int holder_code = reap_soon(holder);
    int waiter_code = reap_soon(waiter);
    mpi_test_hook = NULL;
    assert_int_equal(MP_OK, joined);
    assert_int_equal(CODE(MP_ESTALE), waiter_code);
    assert_int_equal(0, holder_code);
    char buf[8];
    size_t len;
    assert_int_equal(MP_ESTALE, mp_dict_get(d, "k", buf, sizeof buf, &len, MP_NOWAIT));
    signal_destroy(&plan.held);
    signal_destroy(&plan.go);
}

/* Fills d to capacity with new keys and replaces one value several times, which takes
 * the one spare record every time: a record leaked by a dead holder (claimed, never
 * named) would leave none, and an internal check (fatal in test builds) would stop it. */
static void assert_every_record_usable(mp_dict_t d, uint32_t capacity)
{
    char key[8] = {'f', 'a', 'a', 0};
    for (uint32_t i = 0; len_of(d) < capacity; i++) {
        key[1] = (char)('a' + i % 26);
        key[2] = (char)('a' + i / 26);
        OK(mp_dict_set(d, key, &(int64_t){i}, sizeof(int64_t), LONG));
    }
    for (int64_t round = 0; round < 3; round++)
        OK(mp_dict_set(d, key, &round, sizeof round, LONG));
    assert_int_equal(capacity, len_of(d));
    assert_int_equal(MP_ENOSPC, mp_dict_set(d, "new", "x", 1, LONG));
    OK(mp_dict_clear(d, LONG));
}

static void killed_at(mpi_hook_point_t point, const char *want)
{
    mp_dict_t d = make(4, 8, 8);
    set_str(d, "k", "old");
    set_str(d, "j", "other");
    mp_dict_iter_t it;
    OK(mp_dict_iter(d, &it, MP_NOWAIT));
    plan_for(point, false);
    assert_int_equal(-MP_SIGKILL, reap_soon(spawn(set_under_plan, &d, sizeof d, MP_DAEMON_NO)));
    mpi_test_hook = NULL;
    assert_value(d, "k", want); /* the lock was taken over: MP_OK, a whole value */
    assert_value(d, "j", "other");
    assert_int_equal(2, len_of(d));
    char key[9];
    /* the size did not change, but a takeover cannot know: iterators are told */
    assert_int_equal(MP_ECHANGED, mp_dict_next(&it, key, sizeof key, NULL, 0, NULL, MP_NOWAIT));
    assert_every_record_usable(d, 4);
    OK(mp_dict_destroy(d));
}

static void test_a_setter_killed_before_publishing_leaves_the_old_value(void **state)
{
    (void)state;
    NEEDS_TEST_HOOKS();
    killed_at(MPI_HOOK_RECORDS_WRITTEN, "old");
}

static void test_a_setter_killed_after_publishing_leaves_the_new_value(void **state)
{
    (void)state;
    NEEDS_TEST_HOOKS();
    killed_at(MPI_HOOK_RECORDS_PUBLISHED, "new");
}

/* ---- killed at arbitrary points ------------------------------------------------------------- */

#define ROUNDS 30
#define VALUE_LEN 40

static void pattern(uint8_t *v, uint32_t seq)
{
    memcpy(v, &seq, 4);
    for (uint32_t i = 4; i < VALUE_LEN; i++)
        v[i] = (uint8_t)(seq * 31u + i * 7u);
}

static bool whole(const uint8_t *v, size_t len)
{
    uint8_t want[VALUE_LEN];
    uint32_t seq;
    if (len != VALUE_LEN)
        return false;
    memcpy(&seq, v, 4);
    pattern(want, seq);
    return memcmp(want, v, VALUE_LEN) == 0;
}

typedef struct {
    mp_dict_t d;
    mp_queue_t progress; /* depth 1: the child blocks there, so the parent runs on every port */
} churn_arg_t;

/* Sets, adds, deletes and pops without end, reporting each round on progress. */
static int churn(void *arg)
{
    churn_arg_t *a = arg;
    uint8_t v[VALUE_LEN];
    for (uint32_t seq = 0;; seq++) {
        char key[4] = {'k', (char)('0' + seq % 6u), 0};
        pattern(v, seq);
        mp_err_t err = mp_dict_set(a->d, key, v, sizeof v, LONG);
        if (err == MP_OK)
            err = mp_dict_add(a->d, "n", 1, NULL, LONG);
        if (err == MP_OK && seq % 3u == 0) {
            size_t len;
            key[1] = (char)('0' + (seq / 3u) % 6u);
            err = mp_dict_pop(a->d, key, v, sizeof v, &len, LONG);
            if (err == MP_ENOENT)
                err = MP_OK;
        }
        if (err != MP_OK)
            return CODE(err);
        if ((err = mp_queue_put(a->progress, &seq, sizeof seq, LONG)) != MP_OK)
            return CODE(err);
    }
}

static void test_a_process_killed_anywhere_in_an_update_leaves_the_dict_consistent(void **state)
{
    (void)state;
    mp_dict_t d = make(8, 4, 64);
    churn_arg_t a = {d, {0}};
    OK(mp_queue_create(&a.progress, &(mp_queue_attr_t){.msg_size = 4, .depth = 1}));
    set_i64(d, "n", 0);
    uint32_t rng = 777;
    for (int round = 0; round < ROUNDS; round++) {
        mp_process_t p = spawn(churn, &a, sizeof a, MP_DAEMON_NO);
        rng = rng * 1103515245u + 12345u;
        uint32_t wait = 1 + (rng >> 16) % 20;
        for (uint32_t i = 0; i < wait; i++) {
            uint32_t seq;
            size_t n;
            OK(mp_queue_get(a.progress, &seq, sizeof seq, &n, LONG));
        }
        OK(mp_process_kill(p)); /* anywhere: copying a record, publishing, asleep */
        assert_int_equal(-MP_SIGKILL, reap(p));
        /* every entry is whole, and the count agrees with what iteration finds */
        mp_dict_iter_t it;
        OK(mp_dict_iter(d, &it, LONG));
        char key[5];
        uint8_t v[64];
        size_t len, seen = 0;
        mp_err_t err;
        while ((err = mp_dict_next(&it, key, sizeof key, v, sizeof v, &len, LONG)) == MP_OK) {
            seen++;
            if (key[0] == 'k')
                assert_true(whole(v, len));
            else
                assert_int_equal(8, len);
        }
        assert_int_equal(MP_ENOENT, err);
        assert_int_equal(seen, len_of(d));
        assert_true(seen <= 7);
    }
    assert_every_record_usable(d, 8);
    OK(mp_queue_destroy(a.progress));
    OK(mp_dict_destroy(d));
}

/* ---- Namespace -------------------------------------------------------------------------------- */

static int set_fields(void *arg)
{
    mp_namespace_t ns = *(mp_namespace_t *)arg;
    mp_err_t err = mp_namespace_set_i64(ns, "x", 42, LONG);
    if (err == MP_OK)
        err = mp_namespace_set_f64(ns, "y", 2.5, LONG);
    if (err == MP_OK)
        err = mp_namespace_set_str(ns, "name", "child", LONG);
    if (err == MP_OK)
        err = mp_namespace_add_i64(ns, "count", 1, NULL, LONG);
    return CODE(err);
}

static void test_namespace_fields_set_by_a_child_are_read_by_the_parent(void **state)
{
    (void)state;
    mp_namespace_t ns;
    OK(mp_namespace_create(&ns, 8, 32));
    OK(mp_namespace_set_i64(ns, "count", 10, MP_NOWAIT));
    assert_int_equal(0, run(set_fields, &ns, sizeof ns));
    int64_t x = 0, count = 0;
    double y = 0;
    char name[16];
    OK(mp_namespace_get_i64(ns, "x", &x, MP_NOWAIT));
    OK(mp_namespace_get_i64(ns, "count", &count, MP_NOWAIT));
    OK(mp_namespace_get_f64(ns, "y", &y, MP_NOWAIT));
    OK(mp_namespace_get_str(ns, "name", name, sizeof name, MP_NOWAIT));
    assert_int_equal(42, x);
    assert_int_equal(11, count);
    assert_true(y == 2.5);
    assert_string_equal("child", name);
    bool has = true;
    OK(mp_namespace_has(ns, "z", &has, MP_NOWAIT));
    assert_false(has);
    assert_int_equal(MP_ENOENT, mp_namespace_get_i64(ns, "z", &x, MP_NOWAIT)); /* AttributeError */
    x = 77;
    assert_int_equal(MP_EINVAL, mp_namespace_get_i64(ns, "name", &x, MP_NOWAIT)); /* 6 bytes */
    assert_int_equal(77, x); /* a failed read leaves the variable as it was */
    OK(mp_namespace_del(ns, "x", MP_NOWAIT));
    assert_int_equal(MP_ENOENT, mp_namespace_get_i64(ns, "x", &x, MP_NOWAIT));
    assert_int_equal(MP_EINVAL, mp_namespace_create(&ns, 4, 4));
    OK(mp_namespace_destroy(ns));
}

static void test_usage_counts_dicts_and_lists(void **state)
{
    (void)state;
    mp_usage_t before, during, after;
    OK(mp_usage(&before));
    mp_dict_t d;
    mp_list_t l;
    OK(mp_dict_create(&d, &(mp_dict_attr_t){4, 8, 8}));
    OK(mp_list_create(&l, &(mp_list_attr_t){4, 8}));
    OK(mp_usage(&during));
    assert_int_equal(before.dicts + 1, during.dicts);
    assert_int_equal(before.lists + 1, during.lists);
    OK(mp_list_destroy(l));
    OK(mp_dict_destroy(d));
    OK(mp_usage(&after));
    assert_int_equal(before.dicts, after.dicts);
    assert_int_equal(before.lists, after.lists);
    assert_int_equal(before.arena_blocks, after.arena_blocks);
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_create_rejects_shapes_out_of_bounds),
        TEST(test_a_destroyed_dict_is_stale),
        TEST(test_the_dict_table_fills_up),
        TEST(test_set_then_get_copies_the_value_out),
        TEST(test_a_missing_key_is_enoent),
        TEST(test_a_short_buffer_is_etoosmall_with_the_size_needed),
        TEST(test_bad_keys_and_values_are_einval_or_emsgsize),
        TEST(test_a_full_dict_refuses_a_new_key_but_replaces_an_old_one),
        TEST(test_delete_contains_len_and_clear),
        TEST(test_pop_returns_the_value_and_removes_the_key),
        TEST(test_setdefault_sets_only_a_missing_key),
        TEST(test_update_sets_every_entry_of_the_other_dict),
        TEST(test_update_without_room_or_with_oversize_entries_changes_nothing),
        TEST(test_add_changes_an_integer_value_and_returns_the_previous),
        TEST(test_iteration_yields_every_item_in_insertion_order),
        TEST(test_iteration_after_a_change_of_size_is_echanged),
        TEST(test_ten_processes_decrementing_one_key_from_100_end_at_90),
        TEST(test_five_workers_fill_a_return_dict),
        TEST(test_a_held_dict_is_eagain_with_nowait_and_etimedout_after_a_wait),
        TEST(test_a_caller_waiting_for_a_destroyed_dict_gets_estale),
        TEST(test_a_setter_killed_before_publishing_leaves_the_old_value),
        TEST(test_a_setter_killed_after_publishing_leaves_the_new_value),
        TEST(test_a_process_killed_anywhere_in_an_update_leaves_the_dict_consistent),
        TEST(test_namespace_fields_set_by_a_child_are_read_by_the_parent),
        TEST(test_usage_counts_dicts_and_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
