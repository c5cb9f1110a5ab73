/*
 * Bad input to Pool and its results, on every port: each row one call, its exact code,
 * and nothing changed (tests/support/badinput.h). The fixture's live pool runs (its one
 * worker asleep in a task); the rows fill its queue and the result table, and a second
 * pool is closed while its worker sleeps in a task too, so no worker writes anything
 * while a row runs (an idle one would: badinput_fixture.h).
 *
 * Not here: a caller that is not the owner (MP_ENOTCHILD), which needs a pool owned by
 * another process and so a third pool entry (MP_CONF_MAX_POOLS is 2), and a call from a
 * callback (MP_EBUSY), which is not a row of its own: tests/core/test_pool.c has both.
 */
#include "badinput_fixture.h"

/* ---- every call that takes a Pool or a result, with every bad handle ------------------- */
#define PH ((mp_pool_t){bi_id})
#define RH ((mp_result_t){bi_id})
static mp_pool_imap_t bad_it;

static mp_pool_imap_t *bad_iterator(void)
{
    bad_it = (mp_pool_imap_t){.pool = bi_id, .fn = bi_task, .in = bi_in, .n = 2, .in_size = 8,
                              .out_size = 8, .chunk = 1, .ordered = true};
    return BI_KEPT(bad_it);
}

static mp_err_t op_apply_async(void)
{
    return mp_pool_apply_async(PH, bi_task, bi_in, 8, NULL, &out.made.result);
}
static mp_err_t op_apply(void)
{
    return mp_pool_apply(PH, bi_task, bi_in, 8, out.buf, sizeof out.buf, &out.len, &out.failure,
                         bi_timeout);
}
static mp_err_t op_map(void)
{
    return mp_pool_map(PH, bi_task, bi_in, 2, 8, out.buf, 8, out.errs, 0, &out.failure, bi_timeout);
}
static mp_err_t op_map_async(void)
{
    return mp_pool_map_async(PH, bi_task, bi_in, 2, 8, out.buf, 8, out.errs, 0, NULL,
                             &out.made.result);
}
static mp_err_t op_imap(void) { return mp_pool_imap(PH, &out.imap, bi_task, bi_in, 2, 8, 8, 0, true); }
static mp_err_t op_imap_next(void)
{
    return mp_pool_imap_next(bad_iterator(), out.buf, &out.len, &out.failure, bi_timeout);
}
static mp_err_t op_imap_abandon(void) { return mp_pool_imap_abandon(bad_iterator()); }
static mp_err_t op_close(void) { return mp_pool_close(PH); }
static mp_err_t op_terminate(void) { return mp_pool_terminate(PH); }
static mp_err_t op_join(void) { return mp_pool_join(PH, bi_timeout); }
static mp_err_t op_destroy(void) { return mp_pool_destroy(PH); }
static mp_err_t op_workers(void) { return mp_pool_workers(PH, out.procs, 2, &out.len); }
static mp_err_t op_get(void) { return mp_result_get(RH, out.buf, sizeof out.buf, &out.len, bi_timeout); }
static mp_err_t op_wait(void) { return mp_result_wait(RH, bi_timeout); }
static mp_err_t op_ready(void) { return mp_result_ready(RH, &out.flag); }
static mp_err_t op_successful(void) { return mp_result_successful(RH, &out.flag); }
static mp_err_t op_failure(void) { return mp_result_failure(RH, &out.failure); }
static mp_err_t op_rdestroy(void) { return mp_result_destroy(RH); }

static const bi_op_t ops[] = {
    {"mp_pool_apply_async", MPI_KIND_POOL, false, op_apply_async},
    {"mp_pool_apply", MPI_KIND_POOL, true, op_apply},
    {"mp_pool_map", MPI_KIND_POOL, true, op_map},
    {"mp_pool_map_async", MPI_KIND_POOL, false, op_map_async},
    {"mp_pool_imap", MPI_KIND_POOL, false, op_imap},
    {"mp_pool_imap_next", MPI_KIND_POOL, true, op_imap_next},
    {"mp_pool_imap_abandon", MPI_KIND_POOL, false, op_imap_abandon},
    {"mp_pool_close", MPI_KIND_POOL, false, op_close},
    {"mp_pool_terminate", MPI_KIND_POOL, false, op_terminate},
    {"mp_pool_join", MPI_KIND_POOL, true, op_join},
    {"mp_pool_destroy", MPI_KIND_POOL, false, op_destroy},
    {"mp_pool_workers", MPI_KIND_POOL, false, op_workers},
    {"mp_result_get", MPI_KIND_RESULT, true, op_get},
    {"mp_result_wait", MPI_KIND_RESULT, true, op_wait},
    {"mp_result_ready", MPI_KIND_RESULT, false, op_ready},
    {"mp_result_successful", MPI_KIND_RESULT, false, op_successful},
    {"mp_result_failure", MPI_KIND_RESULT, false, op_failure},
    {"mp_result_destroy", MPI_KIND_RESULT, false, op_rdestroy},
};

/* ---- objects in the states the rows need ------------------------------------------------ */
static struct {
    mp_lock_t gate;           /* held by the main process: the closed pool's worker sleeps on it */
    mp_pool_t closed;         /* closed, its worker still in a task */
    mp_result_t closed_task;  /* that task */
    mp_result_t queued[MP_CONF_POOL_QUEUE - 1]; /* on the live pool: with its task, a full queue */
    mp_result_t pending[MP_CONF_MAX_RESULTS];   /* map_async on it, not fed: the table full */
    size_t n_pending;
    uint8_t pending_out[8];   /* where they would put their item (they never do) */
    mp_pool_imap_t it, it_done; /* on the live pool: nothing fed yet; over no items */
} st;

static void undo_pool(void) { (void)mp_pool_destroy(out.made.pool); }
static void undo_result(void) { (void)mp_result_destroy(out.made.result); }

#define LIVE ((mp_pool_t){fx.live[MPI_KIND_POOL]})
#define READY ((mp_result_t){fx.live[MPI_KIND_RESULT]}) /* succeeded, 8 bytes */
#define QUEUED st.queued[0]
#define PENDING_MAP st.pending[0]
#define ATTR(...) (&(mp_pool_attr_t){__VA_ARGS__})
#define ARG_MAX MP_CONF_POOL_ARG_SIZE
#define RESULT_MAX MP_CONF_POOL_RESULT_SIZE
#define N_TOO_MANY ((size_t)UINT32_MAX / 2u + 1u)

#define POOL_ROWS(X)                                                                          \
    /* create: the arguments, then the table (the live pool and st.closed fill it) */        \
    X(c1, MP_EINVAL, 0, undo_pool, mp_pool_create(NULL, NULL))                                \
    X(c2, MP_EINVAL, 0, undo_pool, mp_pool_create(&out.made.pool, ATTR(.workers = MP_CONF_POOL_WORKERS + 1))) \
    X(c3, MP_EINVAL, 0, undo_pool, mp_pool_create(&out.made.pool, ATTR(.workers = UINT32_MAX))) \
    X(c4, MP_EINVAL, 0, undo_pool, mp_pool_create(&out.made.pool, ATTR(.initarg_size = 1)))   \
    X(c5, MP_EMSGSIZE, 0, undo_pool, mp_pool_create(&out.made.pool, ATTR(.initarg = bi_in, .initarg_size = ARG_MAX + 1))) \
    X(c6, MP_EMSGSIZE, 0, undo_pool, mp_pool_create(&out.made.pool, ATTR(.initarg = bi_in, .initarg_size = SIZE_MAX))) \
    X(c7, MP_ENOSLOT, 0, undo_pool, mp_pool_create(&out.made.pool, NULL))                     \
    X(c8, MP_ENOSLOT, 0, undo_pool, mp_pool_create(&out.made.pool, ATTR(.workers = 1, .initarg = bi_in, .initarg_size = 8))) \
    /* apply_async, apply: the arguments, then the state */                                  \
    X(a1, MP_EINVAL, 0, undo_result, mp_pool_apply_async(LIVE, NULL, NULL, 0, NULL, &out.made.result)) \
    X(a2, MP_EINVAL, 0, undo_result, mp_pool_apply_async(LIVE, bi_task, NULL, 1, NULL, &out.made.result)) \
    X(a3, MP_EMSGSIZE, 0, undo_result, mp_pool_apply_async(LIVE, bi_task, bi_in, ARG_MAX + 1, NULL, &out.made.result)) \
    X(a4, MP_EMSGSIZE, 0, undo_result, mp_pool_apply_async(LIVE, bi_task, bi_in, SIZE_MAX, NULL, &out.made.result)) \
    X(a5, MP_ECLOSED, 0, undo_result, mp_pool_apply_async(st.closed, bi_task, NULL, 0, NULL, &out.made.result)) \
    X(a6, MP_EINVAL, 0, undo_result, mp_pool_apply_async(st.closed, NULL, bi_in, 8, NULL, &out.made.result)) \
    X(a7, MP_EMSGSIZE, 0, undo_result, mp_pool_apply_async(st.closed, bi_task, bi_in, ARG_MAX + 1, NULL, &out.made.result)) \
    X(a8, MP_ENOSLOT, 0, undo_result, mp_pool_apply_async(LIVE, bi_task, bi_in, 8, NULL, &out.made.result)) \
    X(a9, MP_ENOSLOT, 0, NULL, mp_pool_apply_async(LIVE, bi_task, NULL, 0, &(mp_pool_callbacks_t){0}, NULL)) \
    X(y1, MP_EINVAL, 0, NULL, mp_pool_apply(LIVE, bi_task, NULL, 0, out.buf, sizeof out.buf, NULL, &out.failure, MP_FOREVER)) \
    X(y2, MP_EINVAL, 0, NULL, mp_pool_apply(LIVE, bi_task, NULL, 0, NULL, 1, &out.len, NULL, MP_NOWAIT)) \
    X(y3, MP_EINVAL, 0, NULL, mp_pool_apply(LIVE, NULL, NULL, 0, out.buf, sizeof out.buf, &out.len, NULL, MP_FOREVER)) \
    X(y4, MP_EMSGSIZE, 0, NULL, mp_pool_apply(LIVE, bi_task, bi_in, ARG_MAX + 1, out.buf, sizeof out.buf, &out.len, NULL, 1)) \
    X(y5, MP_ECLOSED, 0, NULL, mp_pool_apply(st.closed, bi_task, NULL, 0, out.buf, sizeof out.buf, &out.len, &out.failure, MP_FOREVER)) \
    X(y6, MP_ENOSLOT, 0, NULL, mp_pool_apply(LIVE, bi_task, NULL, 0, out.buf, sizeof out.buf, &out.len, &out.failure, MP_FOREVER)) \
    /* map, map_async */                                                                      \
    X(m1, MP_EINVAL, 0, NULL, mp_pool_map(LIVE, NULL, bi_in, 2, 8, out.buf, 8, out.errs, 0, &out.failure, MP_FOREVER)) \
    X(m2, MP_EINVAL, 0, NULL, mp_pool_map(LIVE, bi_task, NULL, 2, 8, out.buf, 8, out.errs, 0, &out.failure, MP_NOWAIT)) \
    X(m3, MP_EINVAL, 0, NULL, mp_pool_map(LIVE, bi_task, bi_in, 2, 8, NULL, 8, out.errs, 0, NULL, MP_FOREVER)) \
    X(m4, MP_EINVAL, 0, NULL, mp_pool_map(LIVE, bi_task, bi_in, N_TOO_MANY, 8, out.buf, 8, NULL, 0, NULL, MP_FOREVER)) \
    X(m5, MP_EINVAL, 0, NULL, mp_pool_map(LIVE, bi_task, bi_in, SIZE_MAX, 0, NULL, 0, NULL, 1, NULL, 1)) \
    X(m6, MP_EMSGSIZE, 0, NULL, mp_pool_map(LIVE, bi_task, bi_in, 2, ARG_MAX + 1, out.buf, 8, out.errs, 0, NULL, MP_FOREVER)) \
    X(m7, MP_EMSGSIZE, 0, NULL, mp_pool_map(LIVE, bi_task, bi_in, 2, 8, out.buf, RESULT_MAX + 1, out.errs, 0, NULL, MP_NOWAIT)) \
    X(m8, MP_ECLOSED, 0, NULL, mp_pool_map(st.closed, bi_task, bi_in, 2, 8, out.buf, 8, out.errs, 0, &out.failure, MP_FOREVER)) \
    X(m9, MP_ECLOSED, 0, NULL, mp_pool_map(st.closed, bi_task, NULL, 0, 8, NULL, 8, NULL, 0, NULL, MP_NOWAIT)) \
    X(m10, MP_ENOSLOT, 0, NULL, mp_pool_map(LIVE, bi_task, bi_in, 2, 8, out.buf, 8, out.errs, 0, &out.failure, MP_FOREVER)) \
    X(m11, MP_EINVAL, 0, undo_result, mp_pool_map_async(LIVE, NULL, bi_in, 2, 8, out.buf, 8, out.errs, 0, NULL, &out.made.result)) \
    X(m12, MP_EMSGSIZE, 0, undo_result, mp_pool_map_async(st.closed, bi_task, bi_in, 2, SIZE_MAX, out.buf, 8, NULL, 0, NULL, &out.made.result)) \
    X(m13, MP_ECLOSED, 0, undo_result, mp_pool_map_async(st.closed, bi_task, bi_in, 2, 8, out.buf, 8, out.errs, 0, NULL, &out.made.result)) \
    X(m14, MP_ENOSLOT, 0, undo_result, mp_pool_map_async(LIVE, bi_task, bi_in, 2, 8, out.buf, 8, out.errs, 0, NULL, &out.made.result)) \
    X(m15, MP_ENOSLOT, 0, NULL, mp_pool_map_async(LIVE, bi_task, NULL, 0, 8, NULL, 8, NULL, 0, NULL, NULL)) \
    /* imap, and its iterator: a refused next leaves the iterator as it was */              \
    X(i1, MP_EINVAL, 0, NULL, mp_pool_imap(LIVE, NULL, bi_task, bi_in, 2, 8, 8, 0, true))     \
    X(i2, MP_EINVAL, 0, NULL, mp_pool_imap(LIVE, &out.imap, NULL, bi_in, 2, 8, 8, 0, true))   \
    X(i3, MP_EINVAL, 0, NULL, mp_pool_imap(LIVE, &out.imap, bi_task, NULL, 2, 8, 8, 0, false)) \
    X(i4, MP_EINVAL, 0, NULL, mp_pool_imap(LIVE, &out.imap, bi_task, bi_in, N_TOO_MANY, 8, 8, 0, true)) \
    X(i5, MP_EMSGSIZE, 0, NULL, mp_pool_imap(LIVE, &out.imap, bi_task, bi_in, 2, ARG_MAX + 1, 8, 0, true)) \
    X(i6, MP_EMSGSIZE, 0, NULL, mp_pool_imap(LIVE, &out.imap, bi_task, bi_in, 2, 8, SIZE_MAX, 0, false)) \
    X(i7, MP_ECLOSED, 0, NULL, mp_pool_imap(st.closed, &out.imap, bi_task, bi_in, 2, 8, 8, 0, true)) \
    X(n1, MP_EINVAL, 0, NULL, mp_pool_imap_next(NULL, out.buf, &out.len, &out.failure, MP_FOREVER)) \
    X(n2, MP_EINVAL, 0, NULL, mp_pool_imap_next(BI_KEPT(st.it), NULL, &out.len, &out.failure, MP_FOREVER)) \
    X(n3, MP_EINVAL, 0, NULL, mp_pool_imap_next(BI_KEPT(st.it), out.buf, NULL, &out.failure, MP_NOWAIT)) \
    X(n4, MP_EAGAIN, 0, NULL, mp_pool_imap_next(BI_KEPT(st.it), out.buf, &out.len, &out.failure, MP_NOWAIT)) \
    X(n5, MP_ETIMEDOUT, BI_WAITS, NULL, mp_pool_imap_next(BI_KEPT(st.it), out.buf, &out.len, NULL, 1)) \
    X(n6, MP_EOF, 0, NULL, mp_pool_imap_next(BI_KEPT(st.it_done), out.buf, &out.len, &out.failure, MP_FOREVER)) \
    X(n7, MP_EINVAL, 0, NULL, mp_pool_imap_abandon(NULL))                                     \
    /* workers, join */                                                                       \
    X(w1, MP_EINVAL, 0, NULL, mp_pool_workers(LIVE, out.procs, 2, NULL))                      \
    X(w2, MP_EINVAL, 0, NULL, mp_pool_workers(LIVE, NULL, 1, &out.len))                       \
    X(j1, MP_EBUSY, 0, NULL, mp_pool_join(LIVE, MP_NOWAIT))                                   \
    X(j2, MP_EBUSY, 0, NULL, mp_pool_join(LIVE, MP_FOREVER))                                  \
    X(j3, MP_EAGAIN, 0, NULL, mp_pool_join(st.closed, MP_NOWAIT))                             \
    X(j4, MP_ETIMEDOUT, BI_WAITS, NULL, mp_pool_join(st.closed, 1))                           \
    /* results: the arguments, then the state */                                             \
    X(r1, MP_EINVAL, 0, NULL, mp_result_get(READY, NULL, 1, &out.len, MP_NOWAIT))             \
    X(r2, MP_EINVAL, 0, NULL, mp_result_get(READY, out.buf, sizeof out.buf, NULL, MP_NOWAIT)) \
    X(r3, MP_EINVAL, 0, NULL, mp_result_get(QUEUED, NULL, SIZE_MAX, &out.len, MP_FOREVER))    \
    X(r4, MP_ETOOSMALL, BI_OUT_LEN, NULL, mp_result_get(READY, out.buf, 7, &out.len, MP_NOWAIT)) \
    X(r5, MP_ETOOSMALL, BI_OUT_LEN, NULL, mp_result_get(READY, NULL, 0, &out.len, MP_FOREVER)) \
    X(r6, MP_EAGAIN, 0, NULL, mp_result_get(QUEUED, out.buf, sizeof out.buf, &out.len, MP_NOWAIT)) \
    X(r7, MP_ETIMEDOUT, BI_WAITS, NULL, mp_result_get(QUEUED, out.buf, sizeof out.buf, &out.len, 1)) \
    X(r8, MP_EAGAIN, 0, NULL, mp_result_get(PENDING_MAP, NULL, 0, NULL, MP_NOWAIT))           \
    X(r9, MP_EAGAIN, 0, NULL, mp_result_get(st.closed_task, out.buf, sizeof out.buf, &out.len, MP_NOWAIT)) \
    X(r10, MP_EAGAIN, 0, NULL, mp_result_wait(QUEUED, MP_NOWAIT))                             \
    X(r11, MP_ETIMEDOUT, BI_WAITS, NULL, mp_result_wait(PENDING_MAP, 1))                      \
    X(r12, MP_EINVAL, 0, NULL, mp_result_ready(READY, NULL))                                  \
    X(r13, MP_EINVAL, 0, NULL, mp_result_successful(QUEUED, NULL))                            \
    X(r14, MP_ERUNNING, 0, NULL, mp_result_successful(QUEUED, &out.flag))                     \
    X(r15, MP_ERUNNING, 0, NULL, mp_result_successful(PENDING_MAP, &out.flag))                \
    X(r16, MP_EINVAL, 0, NULL, mp_result_failure(READY, NULL))                                \
    X(r17, MP_ERUNNING, 0, NULL, mp_result_failure(QUEUED, &out.failure))                     \
    X(r18, MP_ENOENT, 0, NULL, mp_result_failure(READY, &out.failure))

POOL_ROWS(BI_FN)
static const bi_row_t rows[] = {POOL_ROWS(BI_ENTRY)};

static void make_states(void)
{
    OK(mp_lock_create(&st.gate));
    OK(mp_lock_acquire(st.gate, MP_NOWAIT));
    OK(mp_pool_create(&st.closed, ATTR(.workers = 1)));
    OK(bi_pool_sleep(st.closed, st.gate, &st.closed_task));
    OK(mp_pool_close(st.closed));
    for (size_t i = 0; i < BI_COUNT(st.queued); i++)
        OK(mp_pool_apply_async(LIVE, bi_task, NULL, 0, NULL, &st.queued[i]));
    mp_err_t err;
    while ((err = mp_pool_map_async(LIVE, bi_task, bi_in, 1, 8, st.pending_out, 8, NULL, 0,
                                    NULL, &st.pending[st.n_pending])) == MP_OK)
        st.n_pending++;
    assert_int_equal(MP_ENOSLOT, err);
    assert_true(st.n_pending > 0);
    OK(mp_pool_imap(LIVE, &st.it, bi_task, bi_in, 2, 8, 8, 0, true));
    OK(mp_pool_imap(LIVE, &st.it_done, bi_task, NULL, 0, 8, 8, 0, false));
}

static void free_states(void)
{
    size_t len;
    OK(mp_pool_imap_abandon(&st.it));
    OK(mp_pool_imap_abandon(&st.it_done));
    for (size_t i = 0; i < st.n_pending; i++)
        OK(mp_result_destroy(st.pending[i]));
    for (size_t i = 0; i < BI_COUNT(st.queued); i++)
        OK(mp_result_destroy(st.queued[i]));
    OK(mp_lock_release(st.gate));
    OK(mp_result_get(st.closed_task, NULL, 0, &len, MP_FOREVER));
    OK(mp_result_destroy(st.closed_task));
    OK(mp_pool_join(st.closed, MP_FOREVER));
    OK(mp_pool_destroy(st.closed));
    OK(mp_lock_destroy(st.gate));
}

int main(void)
{
    return bi_main(&(bi_suite_t){.name = "pool", .noun = "pool and result",
                                 .ops = ops, .n_ops = BI_COUNT(ops),
                                 .rows = rows, .n_rows = BI_COUNT(rows),
                                 .make_states = make_states, .free_states = free_states});
}
