/*
 * Value and Array (CPython's sharedctypes): zero-filled storage, every type, the lock
 * (and raw objects without one), atomic add/cas, slices, arena limits, a holder that dies.
 */
#include <float.h>

#include "mp_test.h"

static const mp_type_t all_types[] = {MP_I8,  MP_U8,  MP_I16,   MP_U16,    MP_I32,  MP_U32,
                                      MP_I64, MP_U64, MP_FLOAT, MP_DOUBLE, MP_BYTES};
static const size_t all_sizes[] = {1, 1, 2, 2, 4, 4, 8, 8, 4, 8, 1};
#define N_TYPES (sizeof all_types / sizeof all_types[0])

typedef union {
    int8_t i8;
    uint8_t u8;
    int16_t i16;
    uint16_t u16;
    int32_t i32;
    uint32_t u32;
    int64_t i64;
    uint64_t u64;
    float f;
    double d;
    uint8_t bytes[16];
} any_t;

/* A value of type t with every byte significant: which 0 the low extreme, 1 the high. */
static any_t sample(mp_type_t t, int which)
{
    any_t a;
    memset(&a, 0, sizeof a);
    switch (t) {
    case MP_I8: a.i8 = which ? INT8_MAX : INT8_MIN; break;
    case MP_U8: a.u8 = which ? UINT8_MAX : 1; break;
    case MP_I16: a.i16 = which ? INT16_MAX : INT16_MIN; break;
    case MP_U16: a.u16 = which ? UINT16_MAX : 0x1234; break;
    case MP_I32: a.i32 = which ? INT32_MAX : INT32_MIN; break;
    case MP_U32: a.u32 = which ? UINT32_MAX : 0x89abcdefu; break;
    case MP_I64: a.i64 = which ? INT64_MAX : INT64_MIN; break;
    case MP_U64: a.u64 = which ? UINT64_MAX : 0x0123456789abcdefull; break;
    case MP_FLOAT: a.f = which ? FLT_MAX : -3.5f; break;
    case MP_DOUBLE: a.d = which ? DBL_MAX : -2.25; break;
    case MP_BYTES: a.u8 = which ? 0xff : 'x'; break;
    }
    return a;
}

static void assert_zero(const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_int_equal(0, ((const uint8_t *)p)[i]);
}

/* ---- types and creation ------------------------------------------------------------- */

static void test_type_sizes(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_TYPES; i++)
        assert_int_equal(all_sizes[i], mp_type_size(all_types[i]));
    assert_int_equal(0, mp_type_size((mp_type_t)0));
    assert_int_equal(0, mp_type_size((mp_type_t)99));
}

static void test_every_type_creates_zero_filled_even_in_reused_storage(void **state)
{
    (void)state;
    mp_value_t v[MP_CONF_MAX_VALUES];
    for (size_t t = 0; t < N_TYPES; t++) {
        for (int raw = 0; raw <= 1; raw++) {
            /* dirty every slot of the table, then free them all */
            size_t n = 0;
            while (n < MP_CONF_MAX_VALUES && mp_value_create(&v[n], MP_U64, NULL, true) == MP_OK)
                n++;
            assert_int_equal(MP_CONF_MAX_VALUES, n);
            uint64_t ones = UINT64_MAX;
            for (size_t i = 0; i < n; i++)
                OK(mp_value_set(v[i], &ones));
            for (size_t i = 0; i < n; i++)
                OK(mp_value_destroy(v[i]));
            /* new values of this type land there: zero, and get copies only their size */
            for (size_t i = 0; i < 4; i++) {
                any_t out;
                memset(&out, 0xa5, sizeof out);
                OK(mp_value_create(&v[i], all_types[t], NULL, raw));
                OK(mp_value_get(v[i], &out));
                assert_zero(&out, all_sizes[t]);
                assert_int_equal(0xa5, out.bytes[all_sizes[t]]);
            }
            for (size_t i = 0; i < 4; i++)
                OK(mp_value_destroy(v[i]));
        }
    }
}

static void test_arrays_are_zero_filled_even_in_reused_arena_memory(void **state)
{
    (void)state;
    static uint8_t buf[4096];
    for (size_t t = 0; t < N_TYPES; t++) {
        for (int raw = 0; raw <= 1; raw++) {
            mp_array_t a;
            size_t len = sizeof buf / all_sizes[t];
            OK(mp_array_create(&a, all_types[t], len, NULL, raw));
            memset(buf, 0xff, sizeof buf);
            OK(mp_array_write(a, 0, len, buf));
            OK(mp_array_destroy(a));
            OK(mp_array_create(&a, all_types[t], len, NULL, raw)); /* first fit: same memory */
            memset(buf, 0xa5, sizeof buf);
            OK(mp_array_read(a, 0, len, buf));
            assert_zero(buf, len * all_sizes[t]);
            OK(mp_array_destroy(a));
        }
    }
}

static void test_initial_values_are_copied(void **state)
{
    (void)state;
    for (size_t t = 0; t < N_TYPES; t++) {
        mp_value_t v;
        any_t init = sample(all_types[t], 0), out;
        OK(mp_value_create(&v, all_types[t], &init, false));
        init = sample(all_types[t], 1); /* a copy was taken: this does not show */
        memset(&out, 0, sizeof out);
        OK(mp_value_get(v, &out));
        any_t want = sample(all_types[t], 0);
        assert_memory_equal(&want, &out, all_sizes[t]);
        OK(mp_value_destroy(v));
    }
}

static void test_initial_array_contents_are_copied(void **state)
{
    (void)state;
    int16_t init[5] = {-1, 2, -300, 4000, INT16_MIN}, out[5] = {0};
    mp_array_t a;
    size_t len = 0;
    OK(mp_array_create(&a, MP_I16, 5, init, false));
    init[0] = 99;
    OK(mp_array_length(a, &len));
    assert_int_equal(5, len);
    OK(mp_array_read(a, 0, 5, out));
    int16_t want[5] = {-1, 2, -300, 4000, INT16_MIN};
    assert_memory_equal(want, out, sizeof want);
    OK(mp_array_destroy(a));
    char text[] = "hello";
    char got[6] = {0};
    OK(mp_array_create(&a, MP_BYTES, 6, text, true));
    OK(mp_array_read(a, 0, 6, got));
    assert_string_equal("hello", got);
    OK(mp_array_destroy(a));
}

static void test_get_set_round_trip_for_every_type(void **state)
{
    (void)state;
    for (size_t t = 0; t < N_TYPES; t++) {
        for (int raw = 0; raw <= 1; raw++) {
            mp_value_t v;
            mp_array_t a;
            OK(mp_value_create(&v, all_types[t], NULL, raw));
            OK(mp_array_create(&a, all_types[t], 3, NULL, raw));
            for (int which = 0; which <= 1; which++) {
                any_t in = sample(all_types[t], which), out;
                memset(&out, 0, sizeof out);
                OK(mp_value_set(v, &in));
                OK(mp_value_get(v, &out));
                assert_memory_equal(&in, &out, all_sizes[t]);
                memset(&out, 0, sizeof out);
                OK(mp_array_set(a, 1, &in));
                OK(mp_array_get(a, 1, &out));
                assert_memory_equal(&in, &out, all_sizes[t]);
                OK(mp_array_get(a, 0, &out)); /* neighbours untouched */
                assert_zero(&out, all_sizes[t]);
                OK(mp_array_get(a, 2, &out));
                assert_zero(&out, all_sizes[t]);
            }
            OK(mp_value_destroy(v));
            OK(mp_array_destroy(a));
        }
    }
}

typedef struct {
    mp_value_t v;
    mp_array_t a;
    uint32_t t; /* index in all_types */
} setter_arg_t;

static int set_in_child(void *arg)
{
    setter_arg_t *s = arg;
    any_t in = sample(all_types[s->t], 1);
    mp_err_t err = mp_value_set(s->v, &in);
    if (err == MP_OK)
        err = mp_array_set(s->a, 1, &in);
    return CODE(err);
}

static void test_values_set_by_a_child_are_seen_by_the_parent(void **state)
{
    (void)state;
    for (uint32_t t = 0; t < N_TYPES; t++) {
        for (int raw = 0; raw <= 1; raw++) {
            setter_arg_t s = {.t = t};
            any_t out, want = sample(all_types[t], 1);
            OK(mp_value_create(&s.v, all_types[t], NULL, raw));
            OK(mp_array_create(&s.a, all_types[t], 2, NULL, raw));
            assert_int_equal(0, run(set_in_child, &s, sizeof s));
            memset(&out, 0, sizeof out);
            OK(mp_value_get(s.v, &out));
            assert_memory_equal(&want, &out, all_sizes[t]);
            memset(&out, 0, sizeof out);
            OK(mp_array_get(s.a, 1, &out));
            assert_memory_equal(&want, &out, all_sizes[t]);
            OK(mp_value_destroy(s.v));
            OK(mp_array_destroy(s.a));
        }
    }
}

/* ---- add and cas ------------------------------------------------------------------------ */

#define ADDERS 4
#define ADDS 5000
static MP_SHARED int64_t sum_of_previous[ADDERS][2];

typedef struct {
    mp_value_t i32, u32;
    uint32_t id;
} adder_arg_t;

static int adder(void *arg)
{
    adder_arg_t *a = arg;
    for (int i = 0; i < ADDS; i++) {
        int64_t prev = 0;
        if (mp_value_add(a->i32, 1, &prev) != MP_OK)
            return 1;
        sum_of_previous[a->id][0] += prev;
        mp_process_t me;
        mp_process_self(&me); /* a runtime call: a preemption point on the simulation */
        if (mp_value_add(a->u32, 1, &prev) != MP_OK)
            return 2;
        sum_of_previous[a->id][1] += prev;
    }
    return 0;
}

static void test_add_on_raw_32_bit_values_is_atomic_across_processes(void **state)
{
    (void)state;
    adder_arg_t a;
    int32_t i32_init = -(ADDERS * ADDS) / 2;
    uint32_t u32_init = 7;
    OK(mp_value_create(&a.i32, MP_I32, &i32_init, true));
    OK(mp_value_create(&a.u32, MP_U32, &u32_init, true));
    mp_process_t p[ADDERS];
    for (uint32_t i = 0; i < ADDERS; i++) {
        sum_of_previous[i][0] = sum_of_previous[i][1] = 0;
        a.id = i;
        p[i] = spawn(adder, &a, sizeof a, MP_DAEMON_YES);
    }
    for (uint32_t i = 0; i < ADDERS; i++)
        assert_int_equal(0, reap_soon(p[i]));
    int32_t i32 = 0;
    uint32_t u32 = 0;
    OK(mp_value_get(a.i32, &i32));
    OK(mp_value_get(a.u32, &u32));
    assert_int_equal(i32_init + ADDERS * ADDS, i32);
    assert_int_equal(u32_init + ADDERS * ADDS, u32);
    /* every add saw a different previous value: together, each of init .. init+n-1 once
     * (checked through their sum; the I32 ones are negative, then positive) */
    int64_t n = ADDERS * ADDS, s0 = 0, s1 = 0;
    for (uint32_t i = 0; i < ADDERS; i++) {
        s0 += sum_of_previous[i][0];
        s1 += sum_of_previous[i][1];
    }
    assert_true(s0 == n * i32_init + n * (n - 1) / 2);
    assert_true(s1 == n * (int64_t)u32_init + n * (n - 1) / 2);
    OK(mp_value_destroy(a.i32));
    OK(mp_value_destroy(a.u32));
}

static void test_add_on_other_integers_runs_under_the_lock(void **state)
{
    (void)state;
    mp_value_t v;
    int64_t prev = 99, i64 = 10, out = 0;
    OK(mp_value_create(&v, MP_I64, &i64, false));
    OK(mp_value_add(v, 5, &prev));
    assert_int_equal(10, prev);
    OK(mp_value_add(v, -20, NULL));
    OK(mp_value_get(v, &out));
    assert_int_equal(-5, out);
    OK(mp_value_add(v, INT64_MIN + 5, &prev));
    assert_int_equal(-5, prev);
    OK(mp_value_get(v, &out));
    assert_true(out == INT64_MIN);
    OK(mp_value_destroy(v));

    int16_t i16 = -3, o16 = 0;
    OK(mp_value_create(&v, MP_I16, &i16, false));
    OK(mp_value_add(v, 5, &prev));
    assert_int_equal(-3, prev);
    OK(mp_value_get(v, &o16));
    assert_int_equal(2, o16);
    OK(mp_value_destroy(v));

    uint64_t u64 = 1ull << 40, o64 = 0;
    OK(mp_value_create(&v, MP_U64, &u64, false));
    OK(mp_value_add(v, 1, NULL));
    OK(mp_value_get(v, &o64));
    assert_true(o64 == (1ull << 40) + 1);
    OK(mp_value_destroy(v));

    uint8_t u8 = 200, o8 = 0;
    OK(mp_value_create(&v, MP_U8, &u8, false));
    OK(mp_value_add(v, 50, &prev));
    assert_int_equal(200, prev);
    OK(mp_value_get(v, &o8));
    assert_int_equal(250, o8);
    OK(mp_value_destroy(v));

    int32_t i32 = -1;
    OK(mp_value_create(&v, MP_I32, &i32, false)); /* a locked 32-bit one works too */
    OK(mp_value_add(v, -1, &prev));
    assert_int_equal(-1, prev); /* sign-extended */
    OK(mp_value_get(v, &i32));
    assert_int_equal(-2, i32);
    OK(mp_value_destroy(v));
}

static void test_add_on_a_raw_wide_integer_is_not_supported(void **state)
{
    (void)state;
    mp_value_t v;
    int64_t i64 = 10, out = 0;
    OK(mp_value_create(&v, MP_I64, &i64, true));
    assert_int_equal(MP_ENOTSUP, mp_value_add(v, 1, NULL));
    OK(mp_value_get(v, &out));
    assert_int_equal(10, out); /* unchanged */
    OK(mp_value_destroy(v));
}

static void test_add_on_a_non_integer_is_refused(void **state)
{
    (void)state;
    mp_value_t v;
    const mp_type_t no_arith[] = {MP_FLOAT, MP_DOUBLE, MP_BYTES};
    for (size_t i = 0; i < 3; i++) {
        for (int raw = 0; raw <= 1; raw++) {
            any_t in = sample(no_arith[i], 0), got;
            memset(&got, 0, sizeof got);
            OK(mp_value_create(&v, no_arith[i], &in, raw));
            assert_int_equal(MP_EINVAL, mp_value_add(v, 1, NULL));
            OK(mp_value_get(v, &got));
            assert_memory_equal(&in, &got, mp_type_size(no_arith[i]));
            OK(mp_value_destroy(v));
        }
    }
}

static void test_cas_swaps_when_equal_and_reports_the_current_value_when_not(void **state)
{
    (void)state;
    mp_value_t v;
    bool swapped = false;
    for (int raw = 0; raw <= 1; raw++) {
        int32_t init = 5, expected = 5, desired = 7, out = 0;
        OK(mp_value_create(&v, MP_I32, &init, raw));
        OK(mp_value_cas(v, &expected, &desired, &swapped));
        assert_true(swapped);
        assert_int_equal(5, expected);
        OK(mp_value_get(v, &out));
        assert_int_equal(7, out);
        desired = 9;
        OK(mp_value_cas(v, &expected, &desired, &swapped));
        assert_false(swapped);
        assert_int_equal(7, expected); /* updated to the current value */
        OK(mp_value_get(v, &out));
        assert_int_equal(7, out);
        OK(mp_value_cas(v, &expected, &desired, &swapped)); /* retry with it: works */
        assert_true(swapped);
        OK(mp_value_get(v, &out));
        assert_int_equal(9, out);
        OK(mp_value_destroy(v));
    }
}

static void test_cas_on_other_types_runs_under_the_lock(void **state)
{
    (void)state;
    mp_value_t v;
    bool swapped = false;
    int64_t init = -1, expected = 0, desired = 1, out = 0;
    OK(mp_value_create(&v, MP_I64, &init, false));
    OK(mp_value_cas(v, &expected, &desired, &swapped));
    assert_false(swapped);
    assert_int_equal(-1, expected);
    OK(mp_value_cas(v, &expected, &desired, &swapped));
    assert_true(swapped);
    OK(mp_value_get(v, &out));
    assert_int_equal(1, out);
    OK(mp_value_destroy(v));
    double d = 1.5, de = 2.5, dd = 3.5, dout = 0;
    OK(mp_value_create(&v, MP_DOUBLE, &d, false));
    OK(mp_value_cas(v, &de, &dd, &swapped));
    assert_false(swapped);
    assert_true(de == 1.5);
    OK(mp_value_cas(v, &de, &dd, &swapped));
    assert_true(swapped);
    OK(mp_value_get(v, &dout));
    assert_true(dout == 3.5);
    OK(mp_value_destroy(v));
}

static void test_cas_on_a_raw_wide_integer_is_not_supported(void **state)
{
    (void)state;
    mp_value_t v;
    bool swapped = false;
    int64_t init = -1, expected = -1, desired = 1, out = 0;
    /* a raw wide one has no lock to do it under */
    OK(mp_value_create(&v, MP_I64, &init, true));
    assert_int_equal(MP_ENOTSUP, mp_value_cas(v, &expected, &desired, &swapped));
    OK(mp_value_get(v, &out));
    assert_int_equal(-1, out);
    OK(mp_value_destroy(v));
}

static void test_cas_refuses_a_missing_argument(void **state)
{
    (void)state;
    mp_value_t v;
    bool swapped = false;
    int64_t init = -1, expected = -1, desired = 1;
    OK(mp_value_create(&v, MP_I64, &init, true));
    assert_int_equal(MP_EINVAL, mp_value_cas(v, NULL, &desired, &swapped));
    assert_int_equal(MP_EINVAL, mp_value_cas(v, &expected, NULL, &swapped));
    assert_int_equal(MP_EINVAL, mp_value_cas(v, &expected, &desired, NULL));
    OK(mp_value_destroy(v));
}

static void test_array_add_and_cas_work_per_element(void **state)
{
    (void)state;
    mp_array_t a;
    int64_t prev = 99;
    bool swapped = false;
    uint32_t init[3] = {1, 2, 3}, out[3] = {0};
    OK(mp_array_create(&a, MP_U32, 3, init, true));
    OK(mp_array_add(a, 1, 10, &prev));
    assert_int_equal(2, prev);
    uint32_t expected = 3, desired = 30;
    OK(mp_array_cas(a, 2, &expected, &desired, &swapped));
    assert_true(swapped);
    OK(mp_array_read(a, 0, 3, out));
    assert_int_equal(1, out[0]);
    assert_int_equal(12, out[1]);
    assert_int_equal(30, out[2]);
    OK(mp_array_destroy(a));
}

static void test_array_add_and_cas_refuse_an_index_past_the_end(void **state)
{
    (void)state;
    mp_array_t a;
    bool swapped = false;
    uint32_t expected = 3, desired = 30;
    OK(mp_array_create(&a, MP_U32, 3, NULL, true));
    assert_int_equal(MP_EINVAL, mp_array_add(a, 3, 1, NULL));
    assert_int_equal(MP_EINVAL, mp_array_cas(a, 3, &expected, &desired, &swapped));
    OK(mp_array_destroy(a));
}

static void test_array_add_on_other_integers_runs_under_the_lock(void **state)
{
    (void)state;
    mp_array_t a;
    int64_t prev = 99;
    int16_t i16[2] = {5, -5};
    OK(mp_array_create(&a, MP_I16, 2, i16, false));
    OK(mp_array_add(a, 1, -1, &prev));
    assert_int_equal(-5, prev);
    OK(mp_array_get(a, 1, &i16[1]));
    assert_int_equal(-6, i16[1]);
    OK(mp_array_destroy(a));
}

static void test_array_add_on_a_raw_array_of_other_integers_is_not_supported(void **state)
{
    (void)state;
    mp_array_t a;
    OK(mp_array_create(&a, MP_I16, 2, NULL, true));
    assert_int_equal(MP_ENOTSUP, mp_array_add(a, 0, 1, NULL));
    OK(mp_array_destroy(a));
}

static void test_array_add_on_non_integers_is_refused(void **state)
{
    (void)state;
    mp_array_t a;
    OK(mp_array_create(&a, MP_FLOAT, 2, NULL, false));
    assert_int_equal(MP_EINVAL, mp_array_add(a, 0, 1, NULL));
    OK(mp_array_destroy(a));
}

/* ---- the lock --------------------------------------------------------------------------- */

#define LOCKED_ROUNDS 200

static int increment_under_get_lock(void *arg)
{
    mp_value_t v = *(mp_value_t *)arg;
    mp_rlock_t l;
    if (mp_value_get_lock(v, &l) != MP_OK)
        return 1;
    for (int i = 0; i < LOCKED_ROUNDS; i++) {
        int64_t x = 0;
        if (mp_rlock_acquire(l, MP_FOREVER) != MP_OK)
            return 2;
        if (mp_value_get(v, &x) != MP_OK) /* the RLock lets its holder in */
            return 3;
        mp_process_t me;
        mp_process_self(&me); /* a preemption point inside the read-modify-write */
        x++;
        if (mp_value_set(v, &x) != MP_OK)
            return 4;
        if (mp_rlock_release(l) != MP_OK)
            return 5;
    }
    return 0;
}

static void test_get_lock_holds_a_read_modify_write_across_processes(void **state)
{
    (void)state;
    mp_value_t v;
    int64_t out = 0;
    OK(mp_value_create(&v, MP_I64, NULL, false));
    mp_process_t p[4];
    for (int i = 0; i < 4; i++)
        p[i] = spawn(increment_under_get_lock, &v, sizeof v, MP_DAEMON_YES);
    for (int i = 0; i < 4; i++)
        assert_int_equal(0, reap_soon(p[i]));
    OK(mp_value_get(v, &out));
    assert_int_equal(4 * LOCKED_ROUNDS, out);
    OK(mp_value_destroy(v));
}

static void test_get_lock_returns_an_rlock_that_every_access_takes(void **state)
{
    (void)state;
    mp_value_t v;
    mp_rlock_t l, again;
    uint32_t depth = 0;
    int32_t x = 0;
    OK(mp_value_create(&v, MP_I32, NULL, false));
    OK(mp_value_get_lock(v, &l));
    OK(mp_value_get_lock(v, &again));
    assert_int_equal(l.id, again.id); /* the object's one lock */
    OK(mp_rlock_acquire(l, MP_FOREVER));
    OK(mp_value_get(v, &x)); /* recursive: the holder is not blocked */
    OK(mp_rlock_depth(l, &depth));
    assert_int_equal(1, depth); /* the access took it and gave it back */
    mp_rlock_t copy = l;
    assert_int_equal(MP_EBUSY, mp_rlock_destroy(copy)); /* held: still the object's */
    OK(mp_rlock_release(l));
    OK(mp_value_destroy(v));
    assert_int_equal(MP_ESTALE, mp_rlock_acquire(l, MP_NOWAIT)); /* went with the value */
}

typedef struct {
    mp_value_t v;
    mp_array_t a;
    uint32_t what; /* 0 value get, 1 value set, 2 array read, 3 array write */
} access_arg_t;

static int access_it(void *arg)
{
    access_arg_t *s = arg;
    int32_t buf[2] = {1, 2};
    switch (s->what) {
    case 0: return CODE(mp_value_get(s->v, buf));
    case 1: return CODE(mp_value_set(s->v, buf));
    case 2: return CODE(mp_array_read(s->a, 0, 2, buf));
    default: return CODE(mp_array_write(s->a, 0, 2, buf));
    }
}

static void test_accesses_wait_while_another_process_holds_the_lock(void **state)
{
    (void)state;
    access_arg_t s;
    mp_rlock_t vl, al;
    OK(mp_value_create(&s.v, MP_I32, NULL, false));
    OK(mp_array_create(&s.a, MP_I32, 2, NULL, false));
    OK(mp_value_get_lock(s.v, &vl));
    OK(mp_array_get_lock(s.a, &al));
    for (uint32_t what = 0; what < 4; what++) {
        mp_rlock_t l = what < 2 ? vl : al;
        s.what = what;
        OK(mp_rlock_acquire(l, MP_FOREVER));
        mp_process_t p = spawn(access_it, &s, sizeof s, MP_DAEMON_YES);
        assert_int_equal(MP_ETIMEDOUT, mp_process_join(p, 20)); /* blocked on the lock */
        OK(mp_rlock_release(l));
        assert_int_equal(0, reap_soon(p));
    }
    int32_t x = 0, arr[2] = {0};
    OK(mp_value_get(s.v, &x));
    assert_int_equal(1, x);
    OK(mp_array_read(s.a, 0, 2, arr));
    assert_int_equal(1, arr[0]);
    assert_int_equal(2, arr[1]);
    OK(mp_value_destroy(s.v));
    OK(mp_array_destroy(s.a));
}

/* CPython's Value(t, v, lock=existing_lock): objects on one lent plain Lock. Its holder
 * updates them all under it (their calls do not take it again, so no deadlock on a
 * non-recursive lock); any other process waits for it. */
static void test_objects_on_a_lent_lock_are_updated_together_under_it(void **state)
{
    (void)state;
    mp_lock_t l;
    access_arg_t s;
    mp_rlock_t none = {12345};
    OK(mp_lock_create(&l));
    mp_with_lock_t with = {.lock = l};
    OK(mp_value_create_with(&s.v, MP_I32, NULL, &with));
    OK(mp_array_create_with(&s.a, MP_I32, 2, NULL, &with));
    assert_int_equal(MP_ENOENT, mp_value_get_lock(s.v, &none)); /* its creator has the Lock */
    assert_int_equal(12345, none.id);
    OK(mp_lock_acquire(l, MP_NOWAIT));
    int32_t seven = 7, pair[2] = {7, 7};
    OK(mp_value_set(s.v, &seven));
    OK(mp_array_write(s.a, 0, 2, pair));
    int64_t previous = 0;
    assert_int_equal(MP_OK, mp_value_add(s.v, 1, &previous));
    s.what = 0;
    mp_process_t p = spawn(access_it, &s, sizeof s, MP_DAEMON_YES);
    assert_int_equal(MP_ETIMEDOUT, mp_process_join(p, 20)); /* waits for the Lock */
    bool held = false;
    OK(mp_lock_locked(l, &held));
    assert_true(held); /* and the calls above did not let it go */
    OK(mp_lock_release(l));
    assert_int_equal(0, reap_soon(p));
    int32_t x = 0;
    OK(mp_value_get(s.v, &x)); /* takes and gives the Lock itself when not held */
    assert_int_equal(8, x);
    OK(mp_lock_locked(l, &held));
    assert_false(held);
    assert_int_equal(MP_EBUSY, mp_lock_destroy(l)); /* two objects use it */
    OK(mp_value_destroy(s.v));
    assert_int_equal(MP_EBUSY, mp_lock_destroy(l));
    OK(mp_array_destroy(s.a));
    OK(mp_lock_destroy(l));
}

static void test_an_object_on_a_lent_rlock_gives_it_back_as_its_lock(void **state)
{
    (void)state;
    mp_rlock_t r, got = {0};
    mp_value_t a, b;
    OK(mp_rlock_create(&r));
    OK(mp_value_create_with(&a, MP_I64, NULL, &(mp_with_lock_t){.rlock = r}));
    OK(mp_value_create_with(&b, MP_I64, NULL, &(mp_with_lock_t){.rlock = r}));
    OK(mp_value_get_lock(b, &got));
    assert_int_equal(r.id, got.id);
    OK(mp_rlock_acquire(r, MP_NOWAIT));
    int64_t one = 1;
    OK(mp_value_set(a, &one));
    OK(mp_value_add(b, 5, NULL)); /* a wide integer: under the RLock, nested */
    uint32_t depth = 0;
    OK(mp_rlock_depth(r, &depth));
    assert_int_equal(1, depth);
    OK(mp_rlock_release(r));
    int64_t v = 0;
    OK(mp_value_get(b, &v));
    assert_int_equal(5, v);
    OK(mp_value_destroy(a));
    OK(mp_value_destroy(b));
    OK(mp_rlock_destroy(r));
}

static void test_a_lent_lock_must_be_one_good_lock(void **state)
{
    (void)state;
    mp_usage_t before, after;
    mp_lock_t l, gone;
    mp_rlock_t r;
    mp_value_t v;
    mp_array_t a;
    OK(mp_lock_create(&l));
    OK(mp_rlock_create(&r));
    OK(mp_lock_create(&gone));
    OK(mp_lock_destroy(gone));
    OK(mp_usage(&before));
    assert_int_equal(MP_EINVAL, mp_value_create_with(&v, MP_I32, NULL, NULL));
    assert_int_equal(MP_EINVAL, mp_value_create_with(&v, MP_I32, NULL, &(mp_with_lock_t){0}));
    mp_with_lock_t both = {.lock = l, .rlock = r};
    assert_int_equal(MP_EINVAL, mp_value_create_with(&v, MP_I32, NULL, &both));
    assert_int_equal(MP_ESTALE,
                     mp_array_create_with(&a, MP_I32, 4, NULL, &(mp_with_lock_t){.lock = gone}));
    assert_int_equal(MP_EHANDLE, mp_value_create_with(&v, MP_I32, NULL,
                                                      &(mp_with_lock_t){.rlock = {l.id}}));
    OK(mp_usage(&after));
    assert_memory_equal(&before, &after, sizeof before); /* nothing kept, the arena included */
    OK(mp_lock_destroy(l)); /* and nobody counted as its user */
    OK(mp_rlock_destroy(r));
}

static void test_raw_objects_have_no_lock(void **state)
{
    (void)state;
    mp_value_t v;
    mp_array_t a;
    mp_rlock_t l = {0};
    OK(mp_value_create(&v, MP_I32, NULL, true));
    OK(mp_array_create(&a, MP_I32, 4, NULL, true));
    assert_int_equal(MP_ENOENT, mp_value_get_lock(v, &l));
    assert_int_equal(MP_ENOENT, mp_array_get_lock(a, &l));
    OK(mp_value_destroy(v));
    OK(mp_array_destroy(a));
    OK(mp_value_create(&v, MP_I32, NULL, false));
    OK(mp_value_get_lock(v, &l));
    OK(mp_value_destroy(v));
}

static void test_get_lock_refuses_a_missing_output(void **state)
{
    (void)state;
    mp_value_t v;
    mp_array_t a;
    OK(mp_value_create(&v, MP_I32, NULL, true));
    OK(mp_array_create(&a, MP_I32, 4, NULL, true));
    assert_int_equal(MP_EINVAL, mp_value_get_lock(v, NULL));
    assert_int_equal(MP_EINVAL, mp_array_get_lock(a, NULL));
    OK(mp_value_destroy(v));
    OK(mp_array_destroy(a));
}

/* ---- arrays --------------------------------------------------------------------------- */

static void test_array_length_is_reported(void **state)
{
    (void)state;
    mp_array_t a;
    size_t len = 0;
    OK(mp_array_create(&a, MP_I32, 10, NULL, false));
    OK(mp_array_length(a, &len));
    assert_int_equal(10, len);
    assert_int_equal(MP_EINVAL, mp_array_length(a, NULL));
    OK(mp_array_destroy(a));
}

static void test_array_get_and_set_refuse_an_index_past_the_end_or_a_missing_buffer(void **state)
{
    (void)state;
    mp_array_t a;
    int32_t x = 0;
    OK(mp_array_create(&a, MP_I32, 10, NULL, false));
    assert_int_equal(MP_EINVAL, mp_array_get(a, 10, &x));
    assert_int_equal(MP_EINVAL, mp_array_set(a, 10, &x));
    assert_int_equal(MP_EINVAL, mp_array_get(a, SIZE_MAX, &x));
    assert_int_equal(MP_EINVAL, mp_array_get(a, 0, NULL));
    assert_int_equal(MP_EINVAL, mp_array_set(a, 0, NULL));
    OK(mp_array_destroy(a));
}

/* An Array of ten I32, 10 11 12 13 written at 3..6, zero elsewhere (checked). */
static mp_array_t array_with_a_written_slice(void)
{
    mp_array_t a;
    int32_t all[10], in[4] = {10, 11, 12, 13};
    OK(mp_array_create(&a, MP_I32, 10, NULL, false));
    OK(mp_array_write(a, 3, 4, in));
    OK(mp_array_read(a, 0, 10, all));
    for (int i = 0; i < 10; i++)
        assert_int_equal(i >= 3 && i < 7 ? 10 + i - 3 : 0, all[i]);
    return a;
}

static void test_array_slices_read_and_write_ranges(void **state)
{
    (void)state;
    int32_t x = 0;
    mp_array_t a = array_with_a_written_slice();
    int32_t tail[2] = {0};
    OK(mp_array_read(a, 8, 2, tail)); /* up to the end */
    OK(mp_array_read(a, 5, 2, tail));
    assert_int_equal(12, tail[0]);
    assert_int_equal(13, tail[1]);
    OK(mp_array_get(a, 9, &x));
    assert_int_equal(0, x);
    OK(mp_array_destroy(a));
}

static void test_bad_slices_are_refused_and_write_nothing(void **state)
{
    (void)state;
    int32_t all[10], in[4] = {10, 11, 12, 13};
    mp_array_t a = array_with_a_written_slice();
    /* slices past the end, empty slices, no buffer: refused, nothing written */
    assert_int_equal(MP_EINVAL, mp_array_read(a, 5, 6, all));
    assert_int_equal(MP_EINVAL, mp_array_write(a, 7, 4, in));
    assert_int_equal(MP_EINVAL, mp_array_write(a, 10, 1, in));
    assert_int_equal(MP_EINVAL, mp_array_write(a, 1, SIZE_MAX, in));
    assert_int_equal(MP_EINVAL, mp_array_read(a, 0, 0, all));
    assert_int_equal(MP_EINVAL, mp_array_write(a, 0, 0, in));
    assert_int_equal(MP_EINVAL, mp_array_read(a, 0, 1, NULL));
    assert_int_equal(MP_EINVAL, mp_array_write(a, 0, 1, NULL));
    OK(mp_array_read(a, 0, 10, all));
    for (int i = 0; i < 10; i++)
        assert_int_equal(i >= 3 && i < 7 ? 10 + i - 3 : 0, all[i]);
    OK(mp_array_destroy(a));
}

static void test_bad_creation_arguments_are_refused(void **state)
{
    (void)state;
    mp_value_t v;
    mp_array_t a;
    assert_int_equal(MP_EINVAL, mp_value_create(NULL, MP_I32, NULL, false));
    assert_int_equal(MP_EINVAL, mp_value_create(&v, (mp_type_t)0, NULL, false));
    assert_int_equal(MP_EINVAL, mp_value_create(&v, (mp_type_t)99, NULL, true));
    assert_int_equal(MP_EINVAL, mp_array_create(NULL, MP_I32, 4, NULL, false));
    assert_int_equal(MP_EINVAL, mp_array_create(&a, MP_I32, 0, NULL, false));
    assert_int_equal(MP_EINVAL, mp_array_create(&a, (mp_type_t)0, 4, NULL, false));
}

static void test_value_get_and_set_refuse_a_missing_buffer(void **state)
{
    (void)state;
    mp_value_t v;
    OK(mp_value_create(&v, MP_I32, NULL, false));
    assert_int_equal(MP_EINVAL, mp_value_get(v, NULL));
    assert_int_equal(MP_EINVAL, mp_value_set(v, NULL));
    OK(mp_value_destroy(v));
}

static void test_arrays_larger_than_the_arena_are_refused_and_leak_nothing(void **state)
{
    (void)state;
    mp_array_t whole;
    assert_int_equal(MP_ENOMEM, mp_array_create(&whole, MP_U8, MP_CONF_ARENA_SIZE + 1, NULL, true));
    assert_int_equal(MP_ENOMEM,
                     mp_array_create(&whole, MP_U64, MP_CONF_ARENA_SIZE / 8 + 1, NULL, true));
    assert_int_equal(MP_ENOMEM, mp_array_create(&whole, MP_U64, SIZE_MAX, NULL, false));
    /* many failed locked creates: each gives its RLock back (more tries than locks) */
    for (int i = 0; i < MP_CONF_MAX_LOCKS + 1; i++)
        assert_int_equal(MP_ENOMEM,
                         mp_array_create(&whole, MP_U8, MP_CONF_ARENA_SIZE + 1, NULL, false));
    OK(mp_array_create(&whole, MP_U8, MP_CONF_ARENA_SIZE, NULL, false)); /* all given back */
    OK(mp_array_destroy(whole));
}

static void test_a_full_arena_refuses_arrays_but_not_values(void **state)
{
    (void)state;
    mp_array_t whole, small;
    /* the whole arena fits, and then nothing more does */
    OK(mp_array_create(&whole, MP_U8, MP_CONF_ARENA_SIZE, NULL, false));
    assert_int_equal(MP_ENOMEM, mp_array_create(&small, MP_U8, 1, NULL, false));
    assert_int_equal(MP_ENOMEM, mp_array_create(&small, MP_U8, 1, NULL, true));
    mp_value_t v; /* values do not need the arena */
    OK(mp_value_create(&v, MP_I64, NULL, false));
    OK(mp_value_destroy(v));
    OK(mp_array_destroy(whole));
    OK(mp_array_create(&small, MP_U8, 1, NULL, false));
    OK(mp_array_destroy(small));
}

static void test_freed_arena_memory_is_reused_without_disturbing_its_neighbour(void **state)
{
    (void)state;
    mp_array_t whole, small, half1, half2;
    /* two halves fill it; freeing one makes room for exactly one half again */
    OK(mp_array_create(&half1, MP_U8, MP_CONF_ARENA_SIZE / 2, NULL, true));
    OK(mp_array_create(&half2, MP_U8, MP_CONF_ARENA_SIZE / 2, NULL, true));
    assert_int_equal(MP_ENOMEM, mp_array_create(&small, MP_U8, 1, NULL, true));
    uint8_t ff = 0xff, got = 0;
    OK(mp_array_set(half2, MP_CONF_ARENA_SIZE / 2 - 1, &ff));
    OK(mp_array_destroy(half1));
    OK(mp_array_create(&half1, MP_U8, MP_CONF_ARENA_SIZE / 2, NULL, true));
    assert_int_equal(MP_ENOMEM, mp_array_create(&small, MP_U8, 1, NULL, true));
    OK(mp_array_get(half2, MP_CONF_ARENA_SIZE / 2 - 1, &got));
    assert_int_equal(0xff, got); /* the neighbour was not disturbed */
    OK(mp_array_destroy(half1));
    OK(mp_array_destroy(half2));
    OK(mp_array_create(&whole, MP_U8, MP_CONF_ARENA_SIZE, NULL, true));
    OK(mp_array_destroy(whole));
}

static void test_table_full_is_reported_and_leaks_nothing(void **state)
{
    (void)state;
    mp_value_t v[MP_CONF_MAX_VALUES];
    mp_array_t a;
    mp_value_t extra;
    size_t n = 0;
    while (n < MP_CONF_MAX_VALUES && mp_value_create(&v[n], MP_I32, NULL, true) == MP_OK)
        n++;
    assert_int_equal(MP_CONF_MAX_VALUES, n);
    /* one table for values and arrays; failed creates give back their lock and memory */
    for (int i = 0; i < MP_CONF_MAX_LOCKS + 1; i++) {
        assert_int_equal(MP_ENOSLOT, mp_value_create(&extra, MP_I32, NULL, false));
        assert_int_equal(MP_ENOSLOT,
                         mp_array_create(&a, MP_U8, MP_CONF_ARENA_SIZE / 2, NULL, false));
    }
    for (size_t i = 0; i < n; i++)
        OK(mp_value_destroy(v[i]));
    OK(mp_array_create(&a, MP_U8, MP_CONF_ARENA_SIZE, NULL, false));
    OK(mp_array_destroy(a));
}

/* ---- handles ---------------------------------------------------------------------------- */

static void test_values_and_arrays_refuse_each_others_handles(void **state)
{
    (void)state;
    mp_value_t v, zero_v = {0};
    mp_array_t a, zero_a = {0};
    int32_t x = 0;
    size_t len;
    OK(mp_value_create(&v, MP_I32, NULL, false));
    OK(mp_array_create(&a, MP_I32, 2, NULL, false));
    mp_array_t v_as_a = {v.id};
    mp_value_t a_as_v = {a.id};
    assert_int_equal(MP_EHANDLE, mp_array_get(v_as_a, 0, &x));
    assert_int_equal(MP_EHANDLE, mp_array_length(v_as_a, &len));
    assert_int_equal(MP_EHANDLE, mp_value_get(a_as_v, &x));
    assert_int_equal(MP_EHANDLE, mp_value_destroy(a_as_v));
    assert_int_equal(MP_EHANDLE, mp_value_get(zero_v, &x));
    assert_int_equal(MP_EHANDLE, mp_array_get(zero_a, 0, &x));
    OK(mp_value_destroy(v));
    OK(mp_array_destroy(a));
}

/* A Value and an Array of one I32 each, made and destroyed. */
static void destroyed_value_and_array(mp_value_t *v, mp_array_t *a)
{
    OK(mp_value_create(v, MP_I32, NULL, false));
    OK(mp_array_create(a, MP_I32, 2, NULL, false));
    OK(mp_value_destroy(*v));
    OK(mp_array_destroy(*a));
}

static void test_destroyed_values_and_arrays_are_stale(void **state)
{
    (void)state;
    mp_value_t v;
    mp_array_t a;
    int32_t x = 0;
    int64_t prev;
    bool swapped;
    mp_rlock_t l;
    size_t len;
    destroyed_value_and_array(&v, &a);
    assert_int_equal(MP_ESTALE, mp_value_get(v, &x));
    assert_int_equal(MP_ESTALE, mp_value_set(v, &x));
    assert_int_equal(MP_ESTALE, mp_value_add(v, 1, &prev));
    assert_int_equal(MP_ESTALE, mp_value_cas(v, &x, &x, &swapped));
    assert_int_equal(MP_ESTALE, mp_value_get_lock(v, &l));
    assert_int_equal(MP_ESTALE, mp_value_destroy(v));
    assert_int_equal(MP_ESTALE, mp_array_get(a, 0, &x));
    assert_int_equal(MP_ESTALE, mp_array_set(a, 0, &x));
    assert_int_equal(MP_ESTALE, mp_array_read(a, 0, 1, &x));
    assert_int_equal(MP_ESTALE, mp_array_write(a, 0, 1, &x));
    assert_int_equal(MP_ESTALE, mp_array_length(a, &len));
    assert_int_equal(MP_ESTALE, mp_array_add(a, 0, 1, &prev));
    assert_int_equal(MP_ESTALE, mp_array_get_lock(a, &l));
    assert_int_equal(MP_ESTALE, mp_array_destroy(a));
}

static void test_stale_handles_never_reach_the_objects_that_reuse_their_slots(void **state)
{
    (void)state;
    mp_value_t v;
    mp_array_t a;
    int32_t x = 0;
    destroyed_value_and_array(&v, &a);
    /* the slots are reused (one table for both kinds): old handles stay stale */
    mp_array_t a2;
    mp_value_t v2;
    OK(mp_array_create(&a2, MP_I32, 1, NULL, false));
    OK(mp_value_create(&v2, MP_I32, NULL, false));
    int32_t seven = 7;
    assert_int_equal(MP_ESTALE, mp_value_set(v, &seven));
    assert_int_equal(MP_ESTALE, mp_array_set(a, 0, &seven));
    OK(mp_value_get(v2, &x));
    assert_int_equal(0, x);
    OK(mp_array_get(a2, 0, &x));
    assert_int_equal(0, x);
    OK(mp_value_destroy(v2));
    OK(mp_array_destroy(a2));
}

/* ---- a holder that dies ---------------------------------------------------------------- */

typedef struct {
    mp_value_t v;
    mp_array_t a;
    mp_semaphore_t holding; /* released once the child holds the lock */
    mp_semaphore_t block;   /* never released: the child waits on it until killed */
    uint32_t die_by_return;
} dier_arg_t;

static int hold_and_die(void *arg)
{
    dier_arg_t *d = arg;
    mp_rlock_t l;
    int32_t half = 43;
    mp_err_t err = d->die_by_return ? mp_array_get_lock(d->a, &l) : mp_value_get_lock(d->v, &l);
    if (err != MP_OK || mp_rlock_acquire(l, MP_FOREVER) != MP_OK)
        return 1;
    /* a half-done update under the lock */
    err = d->die_by_return ? mp_array_set(d->a, 1, &half) : mp_value_set(d->v, &half);
    if (err != MP_OK)
        return 2;
    (void)mp_semaphore_release(d->holding);
    if (!d->die_by_return)
        (void)mp_semaphore_acquire(d->block, MP_FOREVER);
    return 0; /* ends holding the lock */
}

/* A Value 42 and an Array {42, 42}, each with its lock, for a child that dies holding one. */
static void dier_init(dier_arg_t *d, uint32_t die_by_return)
{
    int32_t x = 42, arr[2] = {42, 42};
    d->die_by_return = die_by_return;
    OK(mp_value_create(&d->v, MP_I32, &x, false));
    OK(mp_array_create(&d->a, MP_I32, 2, arr, false));
    OK(mp_semaphore_create(&d->holding, 0, false));
    OK(mp_semaphore_create(&d->block, 0, false));
}

static void dier_destroy(dier_arg_t *d)
{
    OK(mp_value_destroy(d->v));
    OK(mp_array_destroy(d->a));
    OK(mp_semaphore_destroy(d->holding));
    OK(mp_semaphore_destroy(d->block));
}

static void test_the_lock_of_a_killed_holder_is_reported_with_the_data(void **state)
{
    (void)state;
    dier_arg_t d;
    int32_t x;
    dier_init(&d, 0);
    /* killed while holding the value's lock */
    mp_process_t p = spawn(hold_and_die, &d, sizeof d, MP_DAEMON_YES);
    OK(mp_semaphore_acquire(d.holding, LONG));
    OK(mp_process_kill(p));
    assert_int_equal(-MP_SIGKILL, reap_soon(p));
    x = 0;
    assert_int_equal(MP_EOWNERDEAD, mp_value_get(d.v, &x));
    assert_int_equal(43, x); /* the data comes with the news */
    x = 0;
    OK(mp_value_get(d.v, &x)); /* told once */
    assert_int_equal(43, x);
    dier_destroy(&d);
}

static void test_the_lock_of_a_holder_that_returned_is_reported_with_the_data(void **state)
{
    (void)state;
    dier_arg_t d;
    int32_t arr[2];
    dier_init(&d, 1);
    /* returned while holding the array's lock */
    assert_int_equal(0, run(hold_and_die, &d, sizeof d));
    OK(mp_semaphore_acquire(d.holding, LONG));
    memset(arr, 0, sizeof arr);
    assert_int_equal(MP_EOWNERDEAD, mp_array_read(d.a, 0, 2, arr));
    assert_int_equal(42, arr[0]);
    assert_int_equal(43, arr[1]);
    OK(mp_array_read(d.a, 0, 2, arr));
    dier_destroy(&d);
}

/* ---- issue 7, defect 3: an object's own lock cannot be destroyed under it ------------ */

static void test_the_lock_of_a_value_or_array_cannot_be_destroyed_on_its_own(void **state)
{
    (void)state;
    int64_t init = 100, v = 0, prev = 0;
    mp_value_t val;
    mp_array_t arr;
    mp_rlock_t lv, la;
    OK(mp_value_create(&val, MP_I64, &init, false));
    OK(mp_array_create(&arr, MP_I64, 4, NULL, false));
    OK(mp_value_get_lock(val, &lv));
    OK(mp_array_get_lock(arr, &la));
    assert_int_equal(MP_EBUSY, mp_rlock_destroy(lv));
    assert_int_equal(MP_EBUSY, mp_rlock_destroy(la));
    /* so the read-modify-writes still run under it */
    OK(mp_value_add(val, 5, &prev));
    assert_int_equal(100, prev);
    bool swapped = false;
    int64_t expected = 105, desired = 7;
    OK(mp_value_cas(val, &expected, &desired, &swapped));
    assert_true(swapped);
    OK(mp_value_get(val, &v));
    assert_int_equal(7, v);
    OK(mp_array_add(arr, 1, 3, &prev));
    OK(mp_value_destroy(val));
    OK(mp_array_destroy(arr));
    assert_int_equal(MP_ESTALE, mp_rlock_destroy(lv)); /* gone with its object */
    assert_int_equal(MP_ESTALE, mp_rlock_destroy(la));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_the_lock_of_a_value_or_array_cannot_be_destroyed_on_its_own),
        TEST(test_type_sizes),
        TEST(test_every_type_creates_zero_filled_even_in_reused_storage),
        TEST(test_arrays_are_zero_filled_even_in_reused_arena_memory),
        TEST(test_initial_values_are_copied),
        TEST(test_initial_array_contents_are_copied),
        TEST(test_get_set_round_trip_for_every_type),
        TEST(test_values_set_by_a_child_are_seen_by_the_parent),
        TEST(test_add_on_raw_32_bit_values_is_atomic_across_processes),
        TEST(test_add_on_other_integers_runs_under_the_lock),
        TEST(test_add_on_a_raw_wide_integer_is_not_supported),
        TEST(test_add_on_a_non_integer_is_refused),
        TEST(test_cas_swaps_when_equal_and_reports_the_current_value_when_not),
        TEST(test_cas_on_other_types_runs_under_the_lock),
        TEST(test_cas_on_a_raw_wide_integer_is_not_supported),
        TEST(test_cas_refuses_a_missing_argument),
        TEST(test_array_add_and_cas_work_per_element),
        TEST(test_array_add_and_cas_refuse_an_index_past_the_end),
        TEST(test_array_add_on_other_integers_runs_under_the_lock),
        TEST(test_array_add_on_a_raw_array_of_other_integers_is_not_supported),
        TEST(test_array_add_on_non_integers_is_refused),
        TEST(test_get_lock_holds_a_read_modify_write_across_processes),
        TEST(test_get_lock_returns_an_rlock_that_every_access_takes),
        TEST(test_accesses_wait_while_another_process_holds_the_lock),
        TEST(test_raw_objects_have_no_lock),
        TEST(test_get_lock_refuses_a_missing_output),
        TEST(test_array_length_is_reported),
        TEST(test_array_get_and_set_refuse_an_index_past_the_end_or_a_missing_buffer),
        TEST(test_array_slices_read_and_write_ranges),
        TEST(test_bad_slices_are_refused_and_write_nothing),
        TEST(test_bad_creation_arguments_are_refused),
        TEST(test_value_get_and_set_refuse_a_missing_buffer),
        TEST(test_arrays_larger_than_the_arena_are_refused_and_leak_nothing),
        TEST(test_a_full_arena_refuses_arrays_but_not_values),
        TEST(test_freed_arena_memory_is_reused_without_disturbing_its_neighbour),
        TEST(test_table_full_is_reported_and_leaks_nothing),
        TEST(test_values_and_arrays_refuse_each_others_handles),
        TEST(test_destroyed_values_and_arrays_are_stale),
        TEST(test_stale_handles_never_reach_the_objects_that_reuse_their_slots),
        TEST(test_the_lock_of_a_killed_holder_is_reported_with_the_data),
        TEST(test_the_lock_of_a_holder_that_returned_is_reported_with_the_data),
        TEST(test_objects_on_a_lent_lock_are_updated_together_under_it),
        TEST(test_an_object_on_a_lent_rlock_gives_it_back_as_its_lock),
        TEST(test_a_lent_lock_must_be_one_good_lock),
    };
    return cmocka_run_group_tests_name("shared", tests, NULL, NULL);
}
