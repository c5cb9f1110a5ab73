/*
 * Bad input to Slab (the fixed-block allocator), on every port: each row one call, its
 * exact code, and nothing changed (tests/support/badinput.h): in particular no owner word
 * moves for a pointer that is not a block, or for a block that is free already.
 */
#include "badinput_fixture.h"

/* ---- every call that takes a slab, with every bad handle ----------------------------- */
#define SH ((mp_slab_t){bi_id})
static mp_err_t op_destroy(void) { return mp_slab_destroy(SH); }
static mp_err_t op_alloc(void) { return mp_slab_alloc(SH, &out.block, bi_timeout); }
static mp_err_t op_free(void) { return mp_slab_free(SH, out.buf); }
static mp_err_t op_give(void) { return mp_slab_give(SH, out.buf); }
static mp_err_t op_take(void) { return mp_slab_take(SH, out.buf); }
static mp_err_t op_stat(void) { return mp_slab_stat(SH, &out.slab_stat); }

static const bi_op_t ops[] = {
    {"mp_slab_destroy", MPI_KIND_SLAB, false, op_destroy},
    {"mp_slab_alloc", MPI_KIND_SLAB, true, op_alloc},
    {"mp_slab_free", MPI_KIND_SLAB, false, op_free},
    {"mp_slab_give", MPI_KIND_SLAB, false, op_give},
    {"mp_slab_take", MPI_KIND_SLAB, false, op_take},
    {"mp_slab_stat", MPI_KIND_SLAB, false, op_stat},
};

/* ---- slabs in the states the rows need ------------------------------------------------ */
/* Blocks of 24 bytes: a stride of 32 where MP_SLAB_ALIGN is 16, 24 where it is 8, so
 * MP_SLAB_ALIGN past a block's start is inside that block on every port. */
#define SIZE 24
static struct {
    mp_slab_t full;    /* both blocks allocated by the main process */
    mp_slab_t plain;   /* both blocks free */
    mp_slab_t other;   /* another slab, one block allocated */
    mp_slab_t on_busy; /* on busy_def's storage */
    void *full_block[2];
    void *plain_block; /* free */
    void *other_block;
} st;

MP_SLAB_DEFINE(busy_def, SIZE, 4);

/* A static definition's storage, as MP_SLAB_DEFINE lays it out, and room to misalign it. */
#define FIT ((uint32_t)MP_SLAB_STORAGE_SIZE(SIZE, 2))
static MP_SHARED _Alignas(max_align_t) uint8_t storage_fit[FIT];
static MP_SHARED _Alignas(max_align_t) uint8_t storage_more[FIT + MP_SLAB_ALIGN];
static MP_SHARED _Alignas(max_align_t) uint8_t storage64[64];
#define DEF(storage, size, block_size, count)                                                 \
    (&(mp_slab_static_t){(storage), (size), (block_size), (count)})
#define STRIDE ((uint32_t)MP_SLAB_STRIDE(SIZE))
#define BYTES(p) ((uint8_t *)(p))

static void undo_slab(void)
{
    (void)mp_slab_destroy(out.made.slab);
}

#define SLAB_ROWS(X)                                                                          \
    /* create: arena-backed */                                                                \
    X(c1, MP_EINVAL, 0, undo_slab, mp_slab_create(NULL, 8, 2))                                \
    X(c2, MP_EINVAL, 0, undo_slab, mp_slab_create(&out.made.slab, 0, 2))                      \
    X(c3, MP_EINVAL, 0, undo_slab, mp_slab_create(&out.made.slab, 8, 0))                      \
    X(c4, MP_EINVAL, 0, undo_slab, mp_slab_create(&out.made.slab, 0, 0))                      \
    X(c5, MP_ENOMEM, 0, undo_slab, mp_slab_create(&out.made.slab, MP_CONF_ARENA_SIZE + 1, 1)) \
    X(c6, MP_ENOMEM, 0, undo_slab, mp_slab_create(&out.made.slab, MP_CONF_ARENA_SIZE / 2, 2)) \
    X(c7, MP_ENOMEM, 0, undo_slab, mp_slab_create(&out.made.slab, 1, UINT32_MAX))             \
    X(c8, MP_ENOMEM, 0, undo_slab, mp_slab_create(&out.made.slab, UINT32_MAX, UINT32_MAX))    \
    X(c9, MP_ENOMEM, 0, undo_slab, mp_slab_create(&out.made.slab, UINT32_MAX, 1))             \
    /* create: static storage */                                                              \
    X(s1, MP_EINVAL, 0, undo_slab, mp_slab_create_static(NULL, DEF(storage_fit, FIT, SIZE, 2))) \
    X(s2, MP_EINVAL, 0, undo_slab, mp_slab_create_static(&out.made.slab, NULL))               \
    X(s3, MP_EINVAL, 0, undo_slab, mp_slab_create_static(&out.made.slab, DEF(NULL, FIT, SIZE, 2))) \
    X(s4, MP_EINVAL, 0, undo_slab, mp_slab_create_static(&out.made.slab, DEF(storage_fit, FIT, 0, 2))) \
    X(s5, MP_EINVAL, 0, undo_slab, mp_slab_create_static(&out.made.slab, DEF(storage_fit, FIT, SIZE, 0))) \
    X(s6, MP_EINVAL, 0, undo_slab, mp_slab_create_static(&out.made.slab, DEF(storage_fit, FIT - 1, SIZE, 2))) \
    X(s7, MP_EINVAL, 0, undo_slab, mp_slab_create_static(&out.made.slab, DEF(storage_fit, FIT, SIZE, 3))) \
    X(s8, MP_EINVAL, 0, undo_slab, mp_slab_create_static(&out.made.slab, DEF(storage_fit, FIT, STRIDE + 1, 2))) \
    X(s9, MP_EINVAL, 0, undo_slab, mp_slab_create_static(&out.made.slab, DEF(storage_more + 1, FIT, SIZE, 2))) \
    X(s10, MP_EINVAL, 0, undo_slab, mp_slab_create_static(&out.made.slab, DEF(storage64, 64, UINT32_MAX, UINT32_MAX))) \
    X(s11, MP_EINVAL, 0, undo_slab, mp_slab_create_static(&out.made.slab, DEF(storage64, 64, 1, 1u << 30))) \
    X(s12, MP_EBUSY, 0, undo_slab, mp_slab_create_static(&out.made.slab, &busy_def))          \
    X(s13, MP_EBUSY, 0, undo_slab, mp_slab_create_static(&out.made.slab, DEF(busy_def_storage + STRIDE, FIT, SIZE, 2))) \
    /* alloc */                                                                               \
    X(a1, MP_EINVAL, 0, NULL, mp_slab_alloc(st.plain, NULL, MP_NOWAIT))                       \
    X(a2, MP_EINVAL, 0, NULL, mp_slab_alloc(st.full, NULL, MP_FOREVER))                       \
    X(a3, MP_EAGAIN, 0, NULL, mp_slab_alloc(st.full, &out.block, MP_NOWAIT))                  \
    X(a4, MP_ETIMEDOUT, BI_WAITS, NULL, mp_slab_alloc(st.full, &out.block, 1))                \
    /* free: not a block of this slab, or a block free already */                            \
    X(f1, MP_EINVAL, 0, NULL, mp_slab_free(st.full, NULL))                                    \
    X(f2, MP_EINVAL, 0, NULL, mp_slab_free(st.full, BYTES(st.full_block[0]) + 1))             \
    X(f3, MP_EINVAL, 0, NULL, mp_slab_free(st.full, BYTES(st.full_block[0]) + MP_SLAB_ALIGN)) \
    X(f4, MP_EINVAL, 0, NULL, mp_slab_free(st.full, BYTES(st.full_block[1]) + SIZE - 1))      \
    X(f5, MP_EINVAL, 0, NULL, mp_slab_free(st.full, BYTES(st.full_block[0]) - MP_SLAB_ALIGN)) \
    X(f6, MP_EINVAL, 0, NULL, mp_slab_free(st.full, BYTES(st.full_block[1]) + STRIDE))        \
    X(f7, MP_EINVAL, 0, NULL, mp_slab_free(st.full, BYTES(st.full_block[0]) - 1))             \
    X(f8, MP_EINVAL, 0, NULL, mp_slab_free(st.full, st.other_block))                          \
    X(f9, MP_EINVAL, 0, NULL, mp_slab_free(st.full, (void *)bi_in))                           \
    X(f10, MP_EINVAL, 0, NULL, mp_slab_free(st.full, (void *)UINTPTR_MAX))                    \
    X(f11, MP_EALREADY, 0, NULL, mp_slab_free(st.plain, st.plain_block))                      \
    /* give and take */                                                                       \
    X(g1, MP_EINVAL, 0, NULL, mp_slab_give(st.full, NULL))                                    \
    X(g2, MP_EINVAL, 0, NULL, mp_slab_give(st.full, BYTES(st.full_block[0]) + 1))             \
    X(g3, MP_EINVAL, 0, NULL, mp_slab_give(st.full, st.other_block))                          \
    X(g4, MP_EALREADY, 0, NULL, mp_slab_give(st.plain, st.plain_block))                       \
    X(t1, MP_EINVAL, 0, NULL, mp_slab_take(st.full, NULL))                                    \
    X(t2, MP_EINVAL, 0, NULL, mp_slab_take(st.full, BYTES(st.full_block[1]) + MP_SLAB_ALIGN)) \
    X(t3, MP_EINVAL, 0, NULL, mp_slab_take(st.plain, st.full_block[0]))                       \
    X(t4, MP_EALREADY, 0, NULL, mp_slab_take(st.plain, st.plain_block))                       \
    /* stat */                                                                                \
    X(n1, MP_EINVAL, 0, NULL, mp_slab_stat(st.full, NULL))

SLAB_ROWS(BI_FN)
static const bi_row_t rows[] = {SLAB_ROWS(BI_ENTRY)};

static void make_states(void)
{
    OK(mp_slab_create(&st.full, SIZE, 2));
    OK(mp_slab_alloc(st.full, &st.full_block[0], MP_NOWAIT));
    OK(mp_slab_alloc(st.full, &st.full_block[1], MP_NOWAIT));
    assert_ptr_equal(BYTES(st.full_block[0]) + STRIDE, st.full_block[1]);
    OK(mp_slab_create(&st.plain, SIZE, 2));
    OK(mp_slab_alloc(st.plain, &st.plain_block, MP_NOWAIT));
    OK(mp_slab_free(st.plain, st.plain_block));
    OK(mp_slab_create(&st.other, SIZE, 2));
    OK(mp_slab_alloc(st.other, &st.other_block, MP_NOWAIT));
    OK(mp_slab_create_static(&st.on_busy, &busy_def));
}

static void free_states(void)
{
    OK(mp_slab_destroy(st.full));
    OK(mp_slab_destroy(st.plain));
    OK(mp_slab_destroy(st.other));
    OK(mp_slab_destroy(st.on_busy));
}

int main(void)
{
    return bi_main(&(bi_suite_t){.name = "slab", .noun = "slab",
                                 .ops = ops, .n_ops = BI_COUNT(ops),
                                 .rows = rows, .n_rows = BI_COUNT(rows),
                                 .make_states = make_states, .free_states = free_states});
}
