/*
 * The map calls of a pool session (op_pool.c): map, map_async, imap, imap_next and
 * imap_abandon, with the caller's arrays each keeps (a map_async's belong to the result
 * entry it takes, which the model knows) and what the model expects in them.
 */
#include <string.h>

#include "pool_model.h"

/* A map_async's arrays belong to its result entry (the model knows which one it gets). */
static uint8_t map_in[MP_CONF_MAX_RESULTS][PM_ITEMS * PM_ITEM_SIZE];
static uint8_t map_out[MP_CONF_MAX_RESULTS][PM_ITEMS * PM_ITEM_SIZE];
static mp_err_t map_errs[MP_CONF_MAX_RESULTS][PM_ITEMS];
static mp_pool_imap_t imaps[PM_ITERS];
static uint8_t imap_in[PM_ITERS][PM_ITEMS * PM_ITEM_SIZE];

void fz_check_map(const pm_result_t *r)
{
    for (size_t k = 0; k < r->n; k++) {
        if (r->errs != NULL && r->errs[k] != r->want_errs[k])
            fz_fail("map item %zu: errs %d, the model expects %d", k, r->errs[k], r->want_errs[k]);
        if (r->out_size > 0 && memcmp(r->out + k * r->out_size, r->want_out + k * r->out_size,
                                      r->out_size) != 0)
            fz_fail("map item %zu: out differs from the model's", k);
    }
}

void fz_pool_maps_reset(void)
{
    memset(imaps, 0, sizeof imaps);
}

static size_t pick_item_size(in_t *in)
{
    static const uint32_t sizes[] = {0, 1, 4, 8, 64, 65, 2, 16};
    return sizes[in_u8(in) % 8u];
}

/* n items of in_size bytes: their first bytes pick their tasks (all successes, or a mix). */
static size_t pick_items(in_t *in, uint8_t *buf, size_t in_size)
{
    static const size_t counts[] = {0, 1, 2, 3, 5, 8, 9, 17, 33, PM_ITEMS, (size_t)1 << 31, 4};
    size_t n = counts[in_u8(in) % 12u];
    uint8_t mix = in_u8(in);
    for (size_t i = 0; i < n && i < PM_ITEMS; i++) {
        uint8_t *item = buf + i * in_size;
        (void)fz_fill(item, in_size, in_size);
        if (in_size > 0)
            item[0] = fz_task_byte(mix & 0x80 ? (uint8_t)(i * 16u) : (uint8_t)(mix + i * 7u));
    }
    return n;
}

static size_t pick_chunk(in_t *in)
{
    static const size_t chunks[] = {0, 1, 2, 3, 8, 100, SIZE_MAX, 0};
    return chunks[in_u8(in) % 8u];
}

/* The arrays of the result entry a map will take (a spare set when the table is full). */
static int map_slot(void)
{
    int slot = m_alloc_peek(T_RESULT);
    return slot < 0 ? MP_CONF_MAX_RESULTS : slot;
}
static uint8_t spare_in[PM_ITEMS * PM_ITEM_SIZE], spare_out[PM_ITEMS * PM_ITEM_SIZE];
static mp_err_t spare_errs[PM_ITEMS];

static void pick_map(in_t *in, uint8_t f, pm_map_t *a)
{
    int s = map_slot();
    uint8_t *inb = s < MP_CONF_MAX_RESULTS ? map_in[s] : spare_in;
    a->out = s < MP_CONF_MAX_RESULTS ? map_out[s] : spare_out;
    a->errs = s < MP_CONF_MAX_RESULTS ? map_errs[s] : spare_errs;
    a->in_size = pick_item_size(in);
    a->out_size = pick_item_size(in);
    a->n = pick_items(in, inb, a->in_size > PM_ITEM_SIZE ? 0 : a->in_size);
    a->chunk = pick_chunk(in);
    a->in = inb;
    memset(a->out, 0, PM_ITEMS * PM_ITEM_SIZE);
    memset(a->errs, 0, sizeof spare_errs);
    a->fn = (f & 0xc0) != 0xc0;
    if ((f & 0x0c) == 0x0c)
        a->in = NULL;
    if ((f & 0x30) == 0x30)
        a->out = NULL;
    if (f & 1)
        a->errs = NULL;
}

void s_map(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_POOL);
    pm_map_t a;
    pick_map(in, f, &a);
    mp_timeout_t t = fz_timeout(in);
    bool no_failure = f & 2;
    fz_call("mp_pool_map", 6, (uint64_t)id, (uint64_t)a.n, (uint64_t)a.in_size,
            (uint64_t)a.out_size, (uint64_t)a.chunk, (uint64_t)t);
    uint32_t rid;
    static pm_result_t snap;
    mp_pool_failure_t want_f = {.err = 777}, got_f = {.err = 777};
    mp_err_t want = pm_map_async(id, &a, 0, false, &rid);
    bool ran = want == MP_OK;
    if (ran) {
        pm_result_t *r = &pm_results[(rid & 0xfffu) - 1u];
        size_t len;
        want = pm_result_get(r, true, 0, false, t, &len);
        if (!no_failure && want != MP_OK && want != MP_ETIMEDOUT && want != MP_EAGAIN)
            (void)pm_result_failure(r, &want_f);
        snap = *r;
        pm_result_destroy(r);
    }
    fz_pool_quiet(t);
    mp_err_t got = mp_pool_map((mp_pool_t){id}, a.fn ? fz_pool_task : NULL, a.in, a.n, a.in_size, a.out,
                               a.out_size, a.errs, a.chunk, no_failure ? NULL : &got_f, t);
    fz_pool_loud();
    fz_expect(want, got);
    if (ran)
        fz_check_map(&snap);
    if (!no_failure)
        fz_expect_failure(&want_f, &got_f);
}

void s_map_async(in_t *in)
{
    uint8_t f = in_u8(in), g = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_POOL);
    pm_map_t a;
    pick_map(in, f, &a);
    uint8_t cb = g & 3u;
    bool autofree = g & 4;
    fz_call("mp_pool_map_async", 6, (uint64_t)id, (uint64_t)a.n, (uint64_t)a.in_size,
            (uint64_t)a.out_size, (uint64_t)a.chunk, (uint64_t)g);
    uint32_t rid = 0;
    mp_err_t want = pm_map_async(id, &a, cb, autofree, &rid);
    mp_result_t r = {0};
    fz_expect(want, mp_pool_map_async((mp_pool_t){id}, a.fn ? fz_pool_task : NULL, a.in, a.n, a.in_size,
                                      a.out, a.out_size, a.errs, a.chunk, &fz_pool_callbacks[cb],
                                      autofree ? NULL : &r));
    fz_pool_events();
    if (want == MP_OK && !autofree) {
        fz_expect_u("result handle", rid, r.id);
        fz_pool_add(MPI_KIND_RESULT, r.id);
    }
}

void s_imap(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_POOL);
    int i = f % PM_ITERS;
    size_t in_size = pick_item_size(in), out_size = pick_item_size(in);
    size_t n = pick_items(in, imap_in[i], in_size > PM_ITEM_SIZE ? 0 : in_size);
    size_t chunk = pick_chunk(in);
    bool ordered = f & 2, no_it = (f & 0xc0) == 0xc0, fn = (f & 0x30) != 0x30,
         no_in = (f & 0x0c) == 0x0c;
    const uint8_t *inp = no_in ? NULL : imap_in[i];
    fz_call("mp_pool_imap", 6, (uint64_t)id, (uint64_t)n, (uint64_t)in_size, (uint64_t)out_size,
            (uint64_t)chunk, (uint64_t)f);
    mp_err_t want = pm_pool_lookup(id);
    if (want == MP_OK && no_it)
        want = MP_EINVAL;
    if (want == MP_OK)
        want = pm_map_args(fn, inp, n, in_size, &imaps[i], out_size);
    if (want == MP_OK && pm.state != PS_RUNNING)
        want = MP_ECLOSED;
    if (want == MP_OK) /* an unfinished one it replaces keeps its jobs: the caller lost them */
        pm_imaps[i] = (pm_imap_t){true, id, inp, n, in_size, out_size,
                                  pm_chunk_fit(chunk ? chunk : 1u, in_size, out_size), 0, 0,
                                  ordered, {0}, {0}};
    fz_expect(want, mp_pool_imap((mp_pool_t){id}, no_it ? NULL : &imaps[i], fn ? fz_pool_task : NULL, inp,
                                 n, in_size, out_size, chunk, ordered));
}

void s_imap_next(in_t *in)
{
    uint8_t f = in_u8(in);
    int i = f % PM_ITERS;
    mp_timeout_t t = fz_timeout(in);
    pm_imap_t *it = &pm_imaps[i];
    bool no_it = (f & 0xc0) == 0xc0, no_out = (f & 0x30) == 0x30, no_index = (f & 0x0c) == 0x0c,
         no_failure = f & 2;
    fz_call("mp_pool_imap_next", 3, (uint64_t)i, (uint64_t)f, (uint64_t)t);
    mp_err_t want = no_it ? MP_EINVAL : pm_pool_lookup(imaps[i].pool);
    if (want == MP_OK && ((no_out && it->out_size > 0) || no_index))
        want = MP_EINVAL;
    if (want == MP_OK && it->yielded >= it->n)
        want = MP_EOF;
    size_t want_index = 0;
    bool indexed = false;
    uint8_t want_out[MP_CONF_POOL_RESULT_SIZE];
    mp_pool_failure_t want_f = {.err = 777}, got_f = {.err = 777};
    uint32_t s = 0;
    if (want == MP_OK && pm.state >= PS_TERMINATED && !pm_imap_found(it, &s)) {
        want_index = it->yielded++; /* nothing more will come */
        indexed = true;
        want = MP_ECLOSED;
    } else if (want == MP_OK && (want = pm_wait(PW_IMAP, i, t, &s)) == MP_OK) {
        pm_job_t *j = &pm.jobs[s];
        uint32_t item = it->taken[s];
        int code;
        want = pm_outcome(j, item, &code);
        want_index = j->first + item;
        indexed = true;
        memcpy(want_out, j->result + (size_t)item * j->out_size, it->out_size);
        if (want != MP_OK) { /* the item's failure; the iteration goes on */
            want_f = (mp_pool_failure_t){.err = want, .code = code};
            if (want == MP_ETASK && pm_first_failure(j, item))
                memcpy(want_f.message, j->message, sizeof want_f.message);
        }
        it->yielded++;
        if (++it->taken[s] >= j->items) {
            it->jobs[s] = 0;
            j->st = J_FREE;
        }
    }
    uint8_t out[MP_CONF_POOL_RESULT_SIZE + 8];
    size_t index = 777;
    fz_pool_quiet(t);
    mp_err_t got = mp_pool_imap_next(no_it ? NULL : &imaps[i], no_out ? NULL : out,
                                     no_index ? NULL : &index, no_failure ? NULL : &got_f, t);
    fz_pool_loud();
    fz_expect(want, got);
    if (indexed)
        fz_expect_u("*index", want_index, index);
    if (indexed && want == MP_OK && memcmp(out, want_out, it->out_size) != 0)
        fz_fail("imap item %zu: the result differs from the model's", want_index);
    if (!no_failure)
        fz_expect_failure(&want_f, &got_f);
    if (!no_it) {
        fz_expect_u("imap submitted", it->submitted, imaps[i].submitted);
        fz_expect_u("imap yielded", it->yielded, imaps[i].yielded);
    }
}

void s_imap_abandon(in_t *in)
{
    uint8_t f = in_u8(in);
    int i = f % PM_ITERS;
    bool no_it = (f & 0xc0) == 0xc0;
    pm_imap_t *it = &pm_imaps[i];
    fz_call("mp_pool_imap_abandon", 2, (uint64_t)i, (uint64_t)f);
    mp_err_t want = no_it ? MP_EINVAL : pm_pool_lookup(imaps[i].pool);
    if (want == MP_OK) {
        for (uint32_t s = 0; s < MP_CONF_POOL_QUEUE; s++) {
            if (it->jobs[s] == 0)
                continue;
            pm_job_t *j = &pm.jobs[s];
            if (j->st == J_QUEUED || j->st == J_DONE)
                j->st = J_FREE;
            else
                j->collector = 0;
            it->jobs[s] = 0;
        }
        it->yielded = it->submitted = it->n;
    }
    fz_expect(want, mp_pool_imap_abandon(no_it ? NULL : &imaps[i]));
}
