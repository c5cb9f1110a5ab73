/*
 * Pool and its results (core/pool.c, mp/pool.h, README "Pool"). A pool lives inside one
 * op, a session: the main process creates it, runs a script of pool and result calls (a
 * slice of the input, as a child's script is), and destroys what is left; every call is
 * checked against pool_model.c, callbacks included (each exactly once, with what the
 * model expects, and a pool call from inside one is MP_EBUSY). Keeping a pool inside an
 * op keeps its workers away from the other ops (no forged process handle reaches one),
 * and a session starts only when no child is pending (they would run before the
 * workers). The checks of each call, in core/pool.c's order: the handle, the arguments
 * (MP_EINVAL, MP_EMSGSIZE), the state (MP_ECLOSED, MP_EBUSY), the room (MP_ENOSLOT).
 *
 * One more op: any Pool or result call from an interrupt handler is MP_EISR.
 */
#include <string.h>

#include "pool_model.h"

/* ---- the harness's side: tasks, fz_pool_callbacks, the caller's arrays ------------------------- */
static uint8_t init_store[M_PROCS][MP_CONF_POOL_ARG_SIZE];
static size_t init_len[M_PROCS];
static uint32_t init_calls;

static uint32_t self_slot(void)
{
    mp_process_t me;
    return mp_process_self(&me) == MP_OK ? (me.id & 0xfffu) - 1u : 0;
}

/* The initializer's argument starts with its own size (an initializer is told none). */
static void initializer(void *arg)
{
    uint32_t slot = self_slot();
    const uint8_t *a = arg;
    init_calls++;
    init_len[slot] = a != NULL ? a[0] : 0;
    if (a != NULL)
        memcpy(init_store[slot], a, init_len[slot]);
}

int fz_pool_task(mp_pool_task_t *t)
{
    uint32_t slot = self_slot();
    bool exits;
    int code, r = pm_task_body(t, init_store[slot], init_len[slot], &exits, &code);
    if (exits)
        mp_process_exit(code);
    return r;
}

static pm_event_t seen[PM_EVENTS];
static size_t nseen;

static void log_event(pm_event_t *e, mp_result_t r)
{
    bool ready;
    e->busy = mp_result_ready(r, &ready); /* the pool is busy in its callback */
    if (nseen < PM_EVENTS)
        seen[nseen++] = *e;
}

static void on_result(mp_result_t r, const void *result, size_t len, void *ctx)
{
    (void)ctx;
    log_event(&(pm_event_t){.result = r.id, .ok = true, .len = len, .hash = pm_hash(result, len)},
              r);
}

static void on_error(mp_result_t r, const mp_pool_failure_t *f, void *ctx)
{
    (void)ctx;
    pm_event_t e = {.result = r.id, .err = f->err, .code = f->code};
    memcpy(e.message, f->message, sizeof e.message);
    log_event(&e, r);
}

const mp_pool_callbacks_t fz_pool_callbacks[4] = {
    {NULL, NULL, NULL}, {on_result, NULL, NULL}, {NULL, on_error, NULL}, {on_result, on_error, NULL}};

/* The callbacks a call ran against the ones the model expects, in order. */
void fz_pool_events(void)
{
    if (nseen != pm_nexpected)
        fz_fail("%zu callbacks ran, the model expects %zu", nseen, pm_nexpected);
    for (size_t i = 0; i < nseen; i++) {
        const pm_event_t *a = &seen[i], *b = &pm_expected[i];
        if (a->result != b->result || a->ok != b->ok || a->busy != b->busy ||
            (a->ok && (a->len != b->len || a->hash != b->hash)) ||
            (!a->ok && (a->err != b->err || a->code != b->code ||
                        strncmp(a->message, b->message, sizeof a->message) != 0)))
            fz_fail("callback %zu: result 0x%x %s err %d code %d len %zu busy %d \"%.31s\"; the "
                    "model expects result 0x%x %s err %d code %d len %zu busy %d \"%.31s\"", i,
                    a->result, a->ok ? "ok" : "error", a->err, a->code, a->len, a->busy,
                    a->message, b->result, b->ok ? "ok" : "error", b->err, b->code, b->len,
                    b->busy, b->message);
    }
    nseen = pm_nexpected = 0;
}

/* The FOREVER waits of a session may be the simulation's deadlock: its report is silenced
 * as for any wait (no child is pending, so nobody else runs). */
void fz_pool_quiet(mp_timeout_t t)
{
    fz_wait_begin(-1, -1, t);
}

void fz_pool_loud(void)
{
    (void)fz_wait_end();
    fz_pool_events();
}

/* ---- argument choosers ----------------------------------------------------------------- */
/* A task's argument byte: which task (pm_task_body); a worker's exit only where the model
 * follows the one worker. */
uint8_t fz_task_byte(uint8_t b)
{
    return !pm_exits_ok && b % 16u == 13u ? (uint8_t)(b ^ 1u) : b;
}

static size_t pick_arg(in_t *in, uint8_t *buf)
{
    uint8_t kind = fz_task_byte(in_u8(in)), sel = in_u8(in);
    static const size_t sizes[] = {0, 1, 4, 63, 64, 65, SIZE_MAX};
    size_t size = sel % 8u < 7u ? sizes[sel % 8u] : 1u + in_u8(in) % 64u;
    (void)fz_fill(buf, size, MP_CONF_POOL_ARG_SIZE);
    buf[0] = kind;
    return size;
}

void fz_expect_failure(const mp_pool_failure_t *want, const mp_pool_failure_t *got)
{
    fz_expect_u("failure.err", (uint64_t)(int64_t)want->err, (uint64_t)(int64_t)got->err);
    fz_expect_u("failure.code", (uint64_t)(int64_t)want->code, (uint64_t)(int64_t)got->code);
    if (strncmp(want->message, got->message, sizeof want->message) != 0)
        fz_fail("failure.message: expected \"%.31s\", got \"%.31s\"", want->message, got->message);
}

/* A result buffer: sizes around the results the tasks give, NULL, no *len. */
typedef struct {
    uint8_t buf[MP_CONF_POOL_RESULT_SIZE + 8];
    size_t size, len;
    bool buf_null, len_null;
} rbuf_t;

static void pick_rbuf(uint8_t sel, rbuf_t *b)
{
    static const size_t sizes[] = {MP_CONF_POOL_RESULT_SIZE, 0, 1, 4, 63, 0, 8, 64};
    b->size = sizes[sel % 8u];
    b->buf_null = sel % 8u == 5 || sel % 8u == 6;
    b->len_null = sel % 8u == 7;
    b->len = 777;
}

/* ---- the session's calls ----------------------------------------------------------------- */
static void s_apply_async(in_t *in)
{
    uint8_t f = in_u8(in), arg[MP_CONF_POOL_ARG_SIZE + 8];
    uint32_t id = fz_pick(in, MPI_KIND_POOL);
    size_t size = pick_arg(in, arg);
    uint8_t cb = f & 3u;
    bool autofree = f & 4, fn = (f & 0x38) != 0x38, no_arg = (f & 0xc0) == 0xc0;
    fz_call("mp_pool_apply_async", 4, (uint64_t)id, (uint64_t)size, (uint64_t)f, (uint64_t)arg[0]);
    uint32_t rid = 0;
    mp_err_t want = pm_apply_async(id, fn, no_arg ? NULL : arg, size, cb, autofree, &rid);
    mp_result_t r = {0};
    fz_expect(want, mp_pool_apply_async((mp_pool_t){id}, fn ? fz_pool_task : NULL, no_arg ? NULL : arg,
                                        size, &fz_pool_callbacks[cb], autofree ? NULL : &r));
    fz_pool_events();
    if (want == MP_OK && !autofree) {
        fz_expect_u("result handle", rid, r.id);
        fz_pool_add(MPI_KIND_RESULT, r.id);
    }
}

static void s_apply(in_t *in)
{
    uint8_t f = in_u8(in), arg[MP_CONF_POOL_ARG_SIZE + 8];
    uint32_t id = fz_pick(in, MPI_KIND_POOL);
    size_t size = pick_arg(in, arg);
    rbuf_t b;
    pick_rbuf(in_u8(in), &b);
    mp_timeout_t t = fz_timeout(in);
    bool no_failure = f & 1;
    fz_call("mp_pool_apply", 5, (uint64_t)id, (uint64_t)size, (uint64_t)b.size, (uint64_t)f,
            (uint64_t)t);
    mp_err_t want;
    size_t want_len = 0;
    uint8_t want_bytes[MP_CONF_POOL_RESULT_SIZE];
    mp_pool_failure_t want_f = {.err = 777}, got_f = {.err = 777};
    if (b.len_null || (b.buf_null && b.size > 0)) {
        want = pm_pool_lookup(id); /* the handle first */
        if (want == MP_OK)
            want = MP_EINVAL;
    } else {
        uint32_t rid;
        want = pm_apply_async(id, true, arg, size, 0, false, &rid);
        if (want == MP_OK) {
            pm_result_t *r = &pm_results[(rid & 0xfffu) - 1u];
            want = pm_result_get(r, b.buf_null, b.size, false, t, &want_len);
            memcpy(want_bytes, r->result, sizeof want_bytes);
            if (!no_failure && (want == MP_ETASK || want == MP_EWORKER || want == MP_EMSGSIZE))
                (void)pm_result_failure(r, &want_f);
            pm_result_destroy(r);
        }
    }
    fz_pool_quiet(t);
    mp_err_t got = mp_pool_apply((mp_pool_t){id}, fz_pool_task, arg, size, b.buf_null ? NULL : b.buf,
                                 b.size, b.len_null ? NULL : &b.len,
                                 no_failure ? NULL : &got_f, t);
    fz_pool_loud();
    fz_expect(want, got);
    if (want == MP_OK || want == MP_ETOOSMALL)
        fz_expect_u("*result_len", want_len, b.len);
    if (want == MP_OK && !b.buf_null && memcmp(want_bytes, b.buf, want_len) != 0)
        fz_fail("apply: the result differs from the model's");
    if (!no_failure)
        fz_expect_failure(&want_f, &got_f);
}

static void s_get(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_RESULT);
    rbuf_t b;
    pick_rbuf(in_u8(in), &b);
    mp_timeout_t t = fz_timeout(in);
    fz_call("mp_result_get", 3, (uint64_t)id, (uint64_t)b.size, (uint64_t)t);
    mp_err_t want;
    size_t want_len = 0;
    pm_result_t *r = pm_result_lookup(id, &want);
    if (want == MP_OK)
        want = pm_freed_under(r, pm_result_get(r, b.buf_null, b.size, b.len_null, t, &want_len));
    fz_pool_quiet(t);
    mp_err_t got = mp_result_get((mp_result_t){id}, b.buf_null ? NULL : b.buf, b.size,
                                 b.len_null ? NULL : &b.len, t);
    fz_pool_loud();
    fz_expect(want, got);
    if ((want == MP_OK || want == MP_ETOOSMALL) && !b.len_null)
        fz_expect_u("*len", want_len, b.len);
    if (want == MP_OK && !r->is_map && memcmp(r->result, b.buf, want_len) != 0)
        fz_fail("mp_result_get: the result differs from the model's");
}

/* wait, ready, successful, failure */
static void s_query(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_RESULT);
    mp_timeout_t t = f % 4u == 0 ? fz_timeout(in) : MP_NOWAIT;
    bool no_out = (f & 0xf0) == 0xf0;
    static const char *names[] = {"mp_result_wait", "mp_result_ready", "mp_result_successful",
                                  "mp_result_failure"};
    fz_call(names[f % 4u], 3, (uint64_t)id, (uint64_t)f, (uint64_t)t);
    mp_err_t want;
    pm_result_t *r = pm_result_lookup(id, &want);
    mp_pool_failure_t want_f = {.err = 777}, got_f = {.err = 777};
    bool flag = false, want_flag = false;
    if (want == MP_OK && no_out && f % 4u != 0)
        want = MP_EINVAL;
    if (want == MP_OK) {
        bool in_pool = pm_entered(r);
        switch (f % 4u) {
        case 0: want = in_pool ? pm_wait(PW_RESULT, (int)(r - pm_results), t, NULL) : MP_OK; break;
        case 1: if (in_pool) pm_pump(); want_flag = r->ready; break;
        case 2:
            if (in_pool)
                pm_pump();
            want = r->ready ? MP_OK : MP_ERUNNING;
            want_flag = r->err == MP_OK;
            break;
        default: want = pm_result_failure(r, &want_f); break;
        }
        want = pm_freed_under(r, want);
    }
    mp_result_t h = {id};
    fz_pool_quiet(t);
    mp_err_t got = f % 4u == 0   ? mp_result_wait(h, t)
                   : f % 4u == 1 ? mp_result_ready(h, no_out ? NULL : &flag)
                   : f % 4u == 2 ? mp_result_successful(h, no_out ? NULL : &flag)
                                 : mp_result_failure(h, no_out ? NULL : &got_f);
    fz_pool_loud();
    fz_expect(want, got);
    if (want == MP_OK && (f % 4u == 1 || f % 4u == 2))
        fz_expect_u(f % 4u == 1 ? "ready" : "successful", want_flag, flag);
    if (f % 4u == 3 && !no_out)
        fz_expect_failure(&want_f, &got_f);
}

static void s_result_destroy(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_RESULT);
    fz_call("mp_result_destroy", 1, (uint64_t)id);
    mp_err_t want;
    pm_result_t *r = pm_result_lookup(id, &want);
    if (want == MP_OK)
        pm_result_destroy(r);
    fz_expect(want, mp_result_destroy((mp_result_t){id}));
    fz_pool_events();
}

static void s_workers(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_POOL);
    static const size_t maxes[] = {0, 4, 1, MP_CONF_POOL_WORKERS};
    size_t max = maxes[f % 4u];
    bool no_out = (f & 0x30) == 0x30, no_count = (f & 0xc0) == 0xc0;
    fz_call("mp_pool_workers", 3, (uint64_t)id, (uint64_t)max, (uint64_t)f);
    mp_err_t want = pm_pool_lookup(id);
    if (want == MP_OK && (no_count || (no_out && max > 0)))
        want = MP_EINVAL;
    uint32_t slots[MP_CONF_POOL_WORKERS], n = 0;
    if (want == MP_OK) {
        pm_pump();
        for (uint32_t w = 0; w < pm.nworkers; w++)
            if (pm.w[w].st != W_NONE)
                slots[n++] = (uint32_t)pm.w[w].slot;
    }
    mp_process_t out[MP_CONF_POOL_WORKERS];
    size_t count = 777;
    fz_expect(want, mp_pool_workers((mp_pool_t){id}, no_out ? NULL : out, max,
                                    no_count ? NULL : &count));
    fz_pool_events();
    if (want != MP_OK)
        return;
    fz_expect_u("count", n, count);
    for (uint32_t k = 0; k < n && k < max && !no_out; k++) {
        const m_proc_t *p = &m.procs[slots[k]];
        fz_expect_u("worker handle", mpi_handle_make(MPI_KIND_PROCESS, p->gen, slots[k]),
                    out[k].id);
        char name[MP_CONF_NAME_LEN];
        fz_expect(MP_OK, mp_process_name(out[k], name, sizeof name));
        if (strcmp(name, p->name) != 0)
            fz_fail("worker %u is named \"%s\", the model expects \"%s\"", k, name, p->name);
    }
}

/* close: no new work; queued work still runs (every sleeping worker is woken to look). */
static void s_close(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_POOL);
    fz_call("mp_pool_close", 1, (uint64_t)id);
    mp_err_t want = pm_pool_lookup(id);
    if (want == MP_OK) {
        if (pm.state == PS_RUNNING)
            pm.state = PS_CLOSED;
        for (uint32_t w = 0; w < pm.nworkers; w++)
            if (pm.w[w].st == W_ASLEEP)
                pm.w[w].st = W_WOKEN;
        pm_pump();
    }
    fz_expect(want, mp_pool_close((mp_pool_t){id}));
    fz_pool_events();
}

static void s_terminate(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_POOL);
    fz_call("mp_pool_terminate", 1, (uint64_t)id);
    mp_err_t want = pm_pool_lookup(id);
    if (want == MP_OK)
        pm_terminate();
    fz_expect(want, mp_pool_terminate((mp_pool_t){id}));
    fz_pool_events();
}

static void s_join(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_POOL);
    mp_timeout_t t = fz_timeout(in);
    fz_call("mp_pool_join", 2, (uint64_t)id, (uint64_t)t);
    mp_err_t want = pm_pool_lookup(id);
    if (want == MP_OK && pm.state == PS_RUNNING)
        want = MP_EBUSY; /* CPython's ValueError */
    else if (want == MP_OK && (want = pm_wait(PW_ENDED, 0, t, NULL)) == MP_OK)
        pm.state = PS_JOINED;
    fz_pool_quiet(t);
    mp_err_t got = mp_pool_join((mp_pool_t){id}, t);
    fz_pool_loud();
    fz_expect(want, got);
}

static void s_destroy(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_POOL);
    fz_call("mp_pool_destroy", 1, (uint64_t)id);
    mp_err_t want = pm_pool_lookup(id);
    if (want == MP_OK)
        pm_destroy();
    fz_expect(want, mp_pool_destroy((mp_pool_t){id}));
    fz_pool_events();
}

/* A second pool beside the session's (its worker never runs), a third one the table has
 * no room for, then the second destroyed: its worker's death wakes every sleeper. */
static void s_more_pools(in_t *in)
{
    (void)in;
    fz_call("mp_pool_create (another)", 0);
    int slot;
    uint32_t id = 0, wslot = M_PROCS;
    mp_err_t want = pm_create(1, &slot, &id, &wslot);
    mp_pool_t p = {0};
    fz_expect(want, mp_pool_create(&p, &(mp_pool_attr_t){.workers = 1}));
    if (want != MP_OK)
        return;
    fz_expect_u("handle", id, p.id);
    if (m_alloc_peek(T_POOL) < 0) {
        mp_pool_t q = {0};
        fz_call("mp_pool_create (no entry left)", 0);
        fz_expect(MP_ENOSLOT, mp_pool_create(&q, &(mp_pool_attr_t){.workers = 1}));
    }
    fz_call("mp_pool_destroy (the other)", 1, (uint64_t)p.id);
    m.procs[wslot].ended = true;
    pm_worker_gone(wslot);
    (void)m_free(T_POOL, slot);
    for (uint32_t w = 0; w < pm.nworkers; w++)
        if (pm.w[w].st == W_ASLEEP)
            pm.w[w].st = W_WOKEN;
    fz_expect(MP_OK, mp_pool_destroy(p));
}

static const fz_op_fn session_ops[] = {
    s_apply_async, s_apply_async, s_apply, s_get, s_get, s_query, s_result_destroy, s_map,
    s_map_async, s_imap, s_imap_next, s_imap_next, s_imap_abandon, s_workers, s_close,
    s_terminate, s_join, s_destroy, s_more_pools,
};
#define SESSION_OPS (sizeof session_ops / sizeof session_ops[0])

static void session_reset(void)
{
    memset(&pm, 0, sizeof pm);
    memset(pm_results, 0, sizeof pm_results);
    memset(pm_imaps, 0, sizeof pm_imaps);
    fz_pool_maps_reset();
    memset(init_store, 0, sizeof init_store);
    memset(init_len, 0, sizeof init_len);
    init_calls = 0;
    nseen = pm_nexpected = 0;
}

/* After each call: the arrays of every map still running are what the model says. */
static void check_maps(void)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_RESULTS; i++)
        if (pm_results[i].live && pm_results[i].is_map)
            fz_check_map(&pm_results[i]);
}

/* What is left at the end of a session: the pool destroyed, then every result read (from
 * what it holds) and destroyed. */
static void session_end(void)
{
    if (pm.live) {
        fz_call("session end: mp_pool_destroy", 1, (uint64_t)pm.id);
        uint32_t id = pm.id;
        pm_destroy();
        fz_expect(MP_OK, mp_pool_destroy((mp_pool_t){id}));
        fz_pool_events();
    }
    for (uint32_t i = 0; i < MP_CONF_MAX_RESULTS; i++) {
        pm_result_t *r = &pm_results[i];
        if (!r->live)
            continue;
        uint8_t buf[MP_CONF_POOL_RESULT_SIZE];
        size_t len = 777, want_len = 0;
        fz_call("session end: mp_result_get", 1, (uint64_t)r->id);
        mp_err_t want = pm_result_get(r, false, sizeof buf, false, MP_NOWAIT, &want_len);
        fz_expect(want, mp_result_get((mp_result_t){r->id}, buf, sizeof buf, &len, MP_NOWAIT));
        if (want == MP_OK)
            fz_expect_u("*len", want_len, len);
        fz_check_map(r);
        fz_call("session end: mp_result_destroy", 1, (uint64_t)r->id);
        uint32_t id = r->id;
        pm_result_destroy(r);
        fz_expect(MP_OK, mp_result_destroy((mp_result_t){id}));
    }
    fz_expect_u("initializer calls", pm.init_calls, init_calls);
    for (uint32_t i = 0; i < M_PROCS; i++)
        if (m.procs[i].worker)
            fz_fail("model: the worker in slot %u outlived its pool", i);
}

static void p_session(in_t *in)
{
    static const uint32_t counts[] = {1, 1, 1, 2, 3, 0, MP_CONF_POOL_WORKERS,
                                      MP_CONF_POOL_WORKERS + 1u};
    static const size_t initargs[] = {0, 1, 8, 63, 64, 65, SIZE_MAX, 16};
    uint8_t f = in_u8(in), nw = in_u8(in), mt = in_u8(in), ia = in_u8(in);
    in_t script = {in->data + in->pos, in_u8(in), 0};
    script.data = in->data + in->pos;
    if (script.size > in->size - in->pos)
        script.size = in->size - in->pos;
    in->pos += script.size; /* the session's calls: the main process goes on after them */
    if (m_pending_children()) {
        fz_skip("pool session: started children would run before the workers");
        return;
    }
    if (m_avoid[13]) {
        fz_skip("pool session: FUZZ_AVOID=13 leaves deaths unseen that the model does not follow");
        return;
    }
    session_reset();
    uint8_t initarg[MP_CONF_POOL_ARG_SIZE + 8];
    mp_pool_attr_t a = {.workers = counts[nw % 8u], .initializer = f & 1 ? initializer : NULL,
                        .initarg = initarg, .initarg_size = initargs[ia % 8u]};
    a.maxtasksperchild = a.workers == 1 ? mt % 4u : 0; /* the model follows one worker only */
    (void)fz_fill(initarg, a.initarg_size, MP_CONF_POOL_ARG_SIZE);
    initarg[0] = (uint8_t)a.initarg_size;
    if ((f & 6) == 6)
        a.initarg = NULL;
    bool no_attr = (f & 0x18) == 0x18, no_pool = (f & 0xe0) == 0xe0;
    mp_pool_attr_t eff = no_attr ? (mp_pool_attr_t){0} : a;
    fz_call("mp_pool_create", 5, (uint64_t)eff.workers, (uint64_t)eff.maxtasksperchild,
            (uint64_t)eff.initarg_size, (uint64_t)f, (uint64_t)script.size);
    mp_err_t want = MP_OK;
    uint32_t n = eff.workers ? eff.workers : MP_CONF_POOL_WORKERS, id = 0;
    uint32_t wslots[MP_CONF_POOL_WORKERS + 1];
    int slot = -1;
    if (no_pool || eff.workers > MP_CONF_POOL_WORKERS || (eff.initarg == NULL && eff.initarg_size > 0))
        want = MP_EINVAL;
    else if (eff.initarg_size > MP_CONF_POOL_ARG_SIZE)
        want = MP_EMSGSIZE;
    else
        want = pm_create(n, &slot, &id, wslots);
    mp_pool_t p = {0};
    fz_expect(want, mp_pool_create(no_pool ? NULL : &p, no_attr ? NULL : &a));
    if (want != MP_OK)
        return;
    fz_expect_u("handle", id, p.id);
    fz_pool_add(MPI_KIND_POOL, p.id);
    pm = (pm_pool_t){.live = true, .id = id, .slot = slot, .state = PS_RUNNING, .nworkers = n,
                     .maxtasks = eff.maxtasksperchild, .started = n,
                     .init = eff.initializer != NULL, .initarg_size = (uint32_t)eff.initarg_size};
    if (eff.initarg != NULL)
        memcpy(pm.initarg, initarg, eff.initarg_size);
    for (uint32_t w = 0; w < n; w++)
        pm.w[w] = (pm_worker_t){(int)wslots[w], W_FRESH, false, 0, 0};
    pm_exits_ok = n == 1;
    while (!in_done(&script)) {
        session_ops[in_u8(&script) % SESSION_OPS](&script);
        fz_check_usage();
        check_maps();
    }
    session_end();
}

/* In an interrupt handler every Pool and result call is refused first (MP_EISR). */
static void p_in_handler(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, f & 1 ? MPI_KIND_RESULT : MPI_KIND_POOL);
    if (!fz_isr()) {
        fz_skip("pool calls outside a handler are a session's");
        return;
    }
    mp_pool_t p = {id};
    mp_result_t r = {id};
    uint8_t buf[MP_CONF_POOL_RESULT_SIZE];
    size_t len;
    bool b;
    mp_pool_failure_t fl;
    mp_process_t w[2];
    mp_pool_imap_t it = {.pool = id};
    mp_err_t got;
    fz_call("a Pool call in a handler", 2, (uint64_t)id, (uint64_t)f);
    switch ((f >> 1) % 19u) {
    case 0: got = mp_pool_create(&p, NULL); break;
    case 1: got = mp_pool_apply_async(p, fz_pool_task, NULL, 0, NULL, &r); break;
    case 2: got = mp_pool_apply(p, fz_pool_task, NULL, 0, buf, sizeof buf, &len, &fl, MP_NOWAIT); break;
    case 3: got = mp_pool_map(p, fz_pool_task, NULL, 0, 0, NULL, 0, NULL, 0, NULL, MP_NOWAIT); break;
    case 4: got = mp_pool_map_async(p, fz_pool_task, NULL, 0, 0, NULL, 0, NULL, 0, NULL, &r); break;
    case 5: got = mp_pool_imap(p, &it, fz_pool_task, NULL, 0, 0, 0, 0, true); break;
    case 6: got = mp_pool_imap_next(&it, buf, &len, &fl, MP_NOWAIT); break;
    case 7: got = mp_pool_imap_abandon(&it); break;
    case 8: got = mp_pool_close(p); break;
    case 9: got = mp_pool_terminate(p); break;
    case 10: got = mp_pool_join(p, MP_NOWAIT); break;
    case 11: got = mp_pool_destroy(p); break;
    case 12: got = mp_pool_workers(p, w, 2, &len); break;
    case 13: got = mp_result_get(r, buf, sizeof buf, &len, MP_NOWAIT); break;
    case 14: got = mp_result_wait(r, MP_NOWAIT); break;
    case 15: got = mp_result_ready(r, &b); break;
    case 16: got = mp_result_successful(r, &b); break;
    case 17: got = mp_result_failure(r, &fl); break;
    default: got = mp_result_destroy(r); break;
    }
    fz_expect(MP_EISR, got);
}

const fz_op_t fz_pool_ops[] = {
    {"pool_session", p_session, true, false},
    {"pool_in_handler", p_in_handler, false, true},
};
const size_t fz_pool_nops = sizeof fz_pool_ops / sizeof fz_pool_ops[0];
