/*
 * Bad input to Value and Array, on every port: each row one call, its exact code, and
 * nothing changed (tests/support/badinput.h). The holder (a live child) holds the RLocks
 * of fx.value_busy and fx.array_busy, so calls that take those locks would wait forever:
 * the only rows on them are destroys, which must refuse at once.
 *
 * Not here: add/cas refused in an interrupt handler (MP_EISR, issue 7 item 3), which
 * needs a handler (tests/task/test_isr.c).
 */
#include "badinput_fixture.h"

/* ---- every call that takes a Value or an Array, with every bad handle ----------------- */
#define VH ((mp_value_t){bi_id})
#define AH ((mp_array_t){bi_id})
static mp_err_t op_vdestroy(void) { return mp_value_destroy(VH); }
static mp_err_t op_vget(void) { return mp_value_get(VH, out.buf); }
static mp_err_t op_vset(void) { return mp_value_set(VH, bi_in); }
static mp_err_t op_vadd(void) { return mp_value_add(VH, 1, &out.i64); }
static mp_err_t op_vcas(void) { return mp_value_cas(VH, out.buf, bi_in, &out.flag); }
static mp_err_t op_vlock(void) { return mp_value_get_lock(VH, &out.made.rlock); }
static mp_err_t op_adestroy(void) { return mp_array_destroy(AH); }
static mp_err_t op_alength(void) { return mp_array_length(AH, &out.len); }
static mp_err_t op_aget(void) { return mp_array_get(AH, 0, out.buf); }
static mp_err_t op_aset(void) { return mp_array_set(AH, 0, bi_in); }
static mp_err_t op_aread(void) { return mp_array_read(AH, 0, 1, out.buf); }
static mp_err_t op_awrite(void) { return mp_array_write(AH, 0, 1, bi_in); }
static mp_err_t op_aadd(void) { return mp_array_add(AH, 0, 1, &out.i64); }
static mp_err_t op_acas(void) { return mp_array_cas(AH, 0, out.buf, bi_in, &out.flag); }
static mp_err_t op_alock(void) { return mp_array_get_lock(AH, &out.made.rlock); }

static const bi_op_t ops[] = {
    {"mp_value_destroy", MPI_KIND_VALUE, false, op_vdestroy},
    {"mp_value_get", MPI_KIND_VALUE, false, op_vget},
    {"mp_value_set", MPI_KIND_VALUE, false, op_vset},
    {"mp_value_add", MPI_KIND_VALUE, false, op_vadd},
    {"mp_value_cas", MPI_KIND_VALUE, false, op_vcas},
    {"mp_value_get_lock", MPI_KIND_VALUE, false, op_vlock},
    {"mp_array_destroy", MPI_KIND_ARRAY, false, op_adestroy},
    {"mp_array_length", MPI_KIND_ARRAY, false, op_alength},
    {"mp_array_get", MPI_KIND_ARRAY, false, op_aget},
    {"mp_array_set", MPI_KIND_ARRAY, false, op_aset},
    {"mp_array_read", MPI_KIND_ARRAY, false, op_aread},
    {"mp_array_write", MPI_KIND_ARRAY, false, op_awrite},
    {"mp_array_add", MPI_KIND_ARRAY, false, op_aadd},
    {"mp_array_cas", MPI_KIND_ARRAY, false, op_acas},
    {"mp_array_get_lock", MPI_KIND_ARRAY, false, op_alock},
};

/* ---- objects of the types the rows need ------------------------------------------------ */
static struct {
    mp_value_t i32, i64, f64, f32, bytes, raw64, raw8, raw16;
    mp_array_t a32, a64, af64, araw64; /* ARRAY_LEN elements each */
} st;
#define ARRAY_LEN 4u

static void undo_value(void)
{
    (void)mp_value_destroy(out.made.value);
}

static void undo_array(void)
{
    (void)mp_array_destroy(out.made.array);
}

/* Lengths whose byte size does not fit a size_t: elem * length wraps to a small size. */
/* (mp_type_t)-1 is 0xffffffff on the hosts and 0xff on the M3 (short enums): unknown on both. */
#define WRAPS_64 (SIZE_MAX / 8u + 2u) /* 8 * that = 16 (mod 2^N) */
#define WRAPS_16 (SIZE_MAX / 2u + 2u) /* 2 * that = 2 */

#define SHARED_ROWS(X)                                                                        \
    /* value create */                                                                        \
    X(c1, MP_EINVAL, 0, undo_value, mp_value_create(NULL, MP_I32, NULL, false))               \
    X(c2, MP_EINVAL, 0, undo_value, mp_value_create(&out.made.value, (mp_type_t)0, NULL, false)) \
    X(c3, MP_EINVAL, 0, undo_value, mp_value_create(&out.made.value, (mp_type_t)(MP_BYTES + 1), bi_in, true)) \
    X(c4, MP_EINVAL, 0, undo_value, mp_value_create(&out.made.value, (mp_type_t)-1, NULL, false)) \
    X(c5, MP_EINVAL, 0, undo_value, mp_value_create(&out.made.value, (mp_type_t)255, NULL, true)) \
    /* array create */                                                                        \
    X(lw1, MP_EINVAL, 0, undo_value, mp_value_create_with(&out.made.value, MP_I32, NULL, NULL)) \
    X(lw2, MP_ESTALE, BI_GAVE_BACK, undo_value, mp_value_create_with(&out.made.value, MP_I32,  \
      NULL, &(mp_with_lock_t){.lock = {fx.stale[MPI_KIND_LOCK]}}))                            \
    X(lw3, MP_EHANDLE, BI_GAVE_BACK, undo_array, mp_array_create_with(&out.made.array, MP_I32, \
      4, NULL, &(mp_with_lock_t){.rlock = {fx.live[MPI_KIND_LOCK]}}))                         \
    X(c6, MP_EINVAL, 0, undo_array, mp_array_create(NULL, MP_I32, 4, NULL, false))            \
    X(c7, MP_EINVAL, 0, undo_array, mp_array_create(&out.made.array, (mp_type_t)0, 4, NULL, false)) \
    X(c8, MP_EINVAL, 0, undo_array, mp_array_create(&out.made.array, (mp_type_t)(MP_BYTES + 1), 4, NULL, true)) \
    X(c9, MP_EINVAL, 0, undo_array, mp_array_create(&out.made.array, MP_I32, 0, NULL, false)) \
    X(c10, MP_EINVAL, 0, undo_array, mp_array_create(&out.made.array, MP_I32, 0, bi_in, true)) \
    X(c11, MP_ENOMEM, 0, undo_array, mp_array_create(&out.made.array, MP_U8, MP_CONF_ARENA_SIZE + 1, NULL, true)) \
    X(c12, MP_ENOMEM, 0, undo_array, mp_array_create(&out.made.array, MP_DOUBLE, MP_CONF_ARENA_SIZE / 8 + 1, NULL, false)) \
    X(c13, MP_ENOMEM, 0, undo_array, mp_array_create(&out.made.array, MP_I32, SIZE_MAX, NULL, false)) \
    X(c14, MP_ENOMEM, 0, undo_array, mp_array_create(&out.made.array, MP_I64, WRAPS_64, NULL, false)) \
    X(c15, MP_ENOMEM, 0, undo_array, mp_array_create(&out.made.array, MP_U16, WRAPS_16, NULL, true)) \
    /* value get/set */                                                                       \
    X(v1, MP_EINVAL, 0, NULL, mp_value_get(st.i32, NULL))                                     \
    X(v2, MP_EINVAL, 0, NULL, mp_value_set(st.i64, NULL))                                     \
    X(v3, MP_EINVAL, 0, NULL, mp_value_get(st.raw64, NULL))                                   \
    /* add: integers only; locked ones unless 32-bit */                                       \
    X(v4, MP_EINVAL, 0, NULL, mp_value_add(st.f64, 1, &out.i64))                              \
    X(v5, MP_EINVAL, 0, NULL, mp_value_add(st.f32, 1, NULL))                                  \
    X(v6, MP_EINVAL, 0, NULL, mp_value_add(st.bytes, 1, &out.i64))                            \
    X(v7, MP_ENOTSUP, 0, NULL, mp_value_add(st.raw64, 1, &out.i64))                           \
    X(v8, MP_ENOTSUP, 0, NULL, mp_value_add(st.raw8, -1, NULL))                               \
    X(v9, MP_ENOTSUP, 0, NULL, mp_value_add(st.raw16, INT64_MIN, &out.i64))                   \
    /* cas */                                                                                 \
    X(v10, MP_EINVAL, 0, NULL, mp_value_cas(st.i32, NULL, bi_in, &out.flag))                  \
    X(v11, MP_EINVAL, 0, NULL, mp_value_cas(st.i64, out.buf, NULL, &out.flag))                \
    X(v12, MP_EINVAL, 0, NULL, mp_value_cas(st.i32, out.buf, bi_in, NULL))                    \
    X(v13, MP_ENOTSUP, 0, NULL, mp_value_cas(st.raw64, out.buf, bi_in, &out.flag))            \
    X(v14, MP_ENOTSUP, 0, NULL, mp_value_cas(st.raw8, out.buf, bi_in, &out.flag))             \
    /* get_lock */                                                                            \
    X(v15, MP_EINVAL, 0, NULL, mp_value_get_lock(st.i64, NULL))                               \
    X(v16, MP_ENOENT, 0, NULL, mp_value_get_lock(st.raw64, &out.made.rlock))                  \
    /* the lock held by a live process */                                                     \
    X(v17, MP_EBUSY, 0, NULL, mp_value_destroy(fx.value_busy))                                \
    /* array length, get, set */                                                              \
    X(a1, MP_EINVAL, 0, NULL, mp_array_length(st.a32, NULL))                                  \
    X(a2, MP_EINVAL, 0, NULL, mp_array_get(st.a32, ARRAY_LEN, out.buf))                       \
    X(a3, MP_EINVAL, 0, NULL, mp_array_get(st.a64, SIZE_MAX, out.buf))                        \
    X(a4, MP_EINVAL, 0, NULL, mp_array_get(st.a32, 0, NULL))                                  \
    X(a5, MP_EINVAL, 0, NULL, mp_array_set(st.a32, ARRAY_LEN, bi_in))                         \
    X(a6, MP_EINVAL, 0, NULL, mp_array_set(st.araw64, SIZE_MAX / 8 + 1, bi_in))               \
    X(a7, MP_EINVAL, 0, NULL, mp_array_set(st.a32, 0, NULL))                                  \
    /* slices */                                                                              \
    X(a8, MP_EINVAL, 0, NULL, mp_array_read(st.a32, 0, 0, out.buf))                           \
    X(a9, MP_EINVAL, 0, NULL, mp_array_read(st.a32, ARRAY_LEN, 1, out.buf))                   \
    X(a10, MP_EINVAL, 0, NULL, mp_array_read(st.a32, 1, ARRAY_LEN, out.buf))                  \
    X(a11, MP_EINVAL, 0, NULL, mp_array_read(st.a32, 1, SIZE_MAX, out.buf))                   \
    X(a12, MP_EINVAL, 0, NULL, mp_array_read(st.a64, SIZE_MAX, 2, out.buf))                   \
    X(a13, MP_EINVAL, 0, NULL, mp_array_read(st.a32, 0, 1, NULL))                             \
    X(a14, MP_EINVAL, 0, NULL, mp_array_write(st.a32, 0, 0, bi_in))                           \
    X(a15, MP_EINVAL, 0, NULL, mp_array_write(st.a32, ARRAY_LEN - 1, 2, bi_in))               \
    X(a16, MP_EINVAL, 0, NULL, mp_array_write(st.araw64, 2, SIZE_MAX - 1, bi_in))             \
    X(a17, MP_EINVAL, 0, NULL, mp_array_write(st.a64, 0, 1, NULL))                            \
    /* add, cas */                                                                            \
    X(a18, MP_EINVAL, 0, NULL, mp_array_add(st.a32, ARRAY_LEN, 1, &out.i64))                  \
    X(a19, MP_EINVAL, 0, NULL, mp_array_add(st.a64, SIZE_MAX, 1, &out.i64))                   \
    X(a20, MP_EINVAL, 0, NULL, mp_array_add(st.af64, 0, 1, &out.i64))                         \
    X(a21, MP_ENOTSUP, 0, NULL, mp_array_add(st.araw64, 0, 1, &out.i64))                      \
    X(a22, MP_EINVAL, 0, NULL, mp_array_cas(st.a32, ARRAY_LEN, out.buf, bi_in, &out.flag))    \
    X(a23, MP_EINVAL, 0, NULL, mp_array_cas(st.a64, 0, NULL, bi_in, &out.flag))               \
    X(a24, MP_EINVAL, 0, NULL, mp_array_cas(st.a64, 0, out.buf, NULL, &out.flag))             \
    X(a25, MP_EINVAL, 0, NULL, mp_array_cas(st.a32, 0, out.buf, bi_in, NULL))                 \
    X(a26, MP_ENOTSUP, 0, NULL, mp_array_cas(st.araw64, 0, out.buf, bi_in, &out.flag))        \
    /* get_lock */                                                                            \
    X(a27, MP_EINVAL, 0, NULL, mp_array_get_lock(st.a32, NULL))                               \
    X(a28, MP_ENOENT, 0, NULL, mp_array_get_lock(st.araw64, &out.made.rlock))                 \
    X(a29, MP_EBUSY, 0, NULL, mp_array_destroy(fx.array_busy))                                \
    /* not an mp_err_t: an unknown type has size 0 */                                         \
    X(t1, MP_OK, 0, NULL, mp_type_size((mp_type_t)0) == 0 ? MP_OK : MP_EINVAL)                \
    X(t2, MP_OK, 0, NULL, mp_type_size((mp_type_t)(MP_BYTES + 1)) == 0 ? MP_OK : MP_EINVAL)   \
    X(t3, MP_OK, 0, NULL, mp_type_size((mp_type_t)-1) == 0 ? MP_OK : MP_EINVAL)

SHARED_ROWS(BI_FN)
static const bi_row_t rows[] = {SHARED_ROWS(BI_ENTRY)};

#if SIZE_MAX > UINT32_MAX
/* Only where size_t is wider than 32 bits (not the M3): lengths and indices that a
 * 32-bit truncation would make small and valid. */
#define WIDE_ROWS(X)                                                                          \
    X(w1, MP_ENOMEM, 0, undo_array, mp_array_create(&out.made.array, MP_U8, ((size_t)1 << 32) + 1, NULL, false)) \
    X(w2, MP_EINVAL, 0, NULL, mp_array_get(st.a32, ((size_t)1 << 32) + 1, out.buf))           \
    X(w3, MP_EINVAL, 0, NULL, mp_array_read(st.a32, 0, ((size_t)1 << 32) + 1, out.buf))       \
    X(w4, MP_EINVAL, 0, NULL, mp_array_write(st.a32, ((size_t)1 << 32), 1, bi_in))            \
    X(w5, MP_EINVAL, 0, NULL, mp_array_add(st.a64, ((size_t)1 << 32) + 1, 1, &out.i64))       \
    X(w6, MP_EINVAL, 0, NULL, mp_array_cas(st.a64, ((size_t)1 << 32), out.buf, bi_in, &out.flag))
WIDE_ROWS(BI_FN)
static const bi_row_t wide_rows[] = {WIDE_ROWS(BI_ENTRY)};
#endif

static void make_states(void)
{
    OK(mp_value_create(&st.i32, MP_I32, NULL, false));
    OK(mp_value_create(&st.i64, MP_I64, NULL, false));
    OK(mp_value_create(&st.f64, MP_DOUBLE, NULL, false));
    OK(mp_value_create(&st.f32, MP_FLOAT, NULL, false));
    OK(mp_value_create(&st.bytes, MP_BYTES, NULL, false));
    OK(mp_value_create(&st.raw64, MP_I64, NULL, true));
    OK(mp_value_create(&st.raw8, MP_U8, NULL, true));
    OK(mp_value_create(&st.raw16, MP_I16, NULL, true));
    OK(mp_array_create(&st.a32, MP_I32, ARRAY_LEN, NULL, false));
    OK(mp_array_create(&st.a64, MP_I64, ARRAY_LEN, NULL, false));
    OK(mp_array_create(&st.af64, MP_DOUBLE, ARRAY_LEN, NULL, false));
    OK(mp_array_create(&st.araw64, MP_U64, ARRAY_LEN, NULL, true));
}

static void free_states(void)
{
    mp_value_t values[] = {st.i32, st.i64, st.f64, st.f32, st.bytes, st.raw64, st.raw8, st.raw16};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        OK(mp_value_destroy(values[i]));
    mp_array_t arrays[] = {st.a32, st.a64, st.af64, st.araw64};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
        OK(mp_array_destroy(arrays[i]));
}

int main(void)
{
    return bi_main(&(bi_suite_t){.name = "shared", .noun = "value and array",
                                 .ops = ops, .n_ops = BI_COUNT(ops),
                                 .rows = rows, .n_rows = BI_COUNT(rows),
#if SIZE_MAX > UINT32_MAX
                                 .more_rows = wide_rows, .n_more_rows = BI_COUNT(wide_rows),
#endif
                                 .make_states = make_states, .free_states = free_states});
}
