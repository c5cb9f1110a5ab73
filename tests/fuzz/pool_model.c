/*
 * The Pool model (pool_model.h): the owner's steps of core/pool.c as README "Pool" and
 * mp/pool.h state them, and the rounds in which the workers run.
 */
#include <stdio.h>
#include <string.h>

#include "pool_model.h"

pm_pool_t pm;
pm_result_t pm_results[MP_CONF_MAX_RESULTS];
pm_imap_t pm_imaps[PM_ITERS];
pm_event_t pm_expected[PM_EVENTS];
size_t pm_nexpected;
bool pm_exits_ok;

uint32_t pm_hash(const void *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ ((const uint8_t *)p)[i]) * 16777619u;
    return h;
}

/* ---- the task ------------------------------------------------------------------------- */
enum { K_OK, K_FAIL, K_FAIL_LONG, K_BIG, K_EXIT, K_INIT };

static int kind_of(const mp_pool_task_t *t)
{
    if (t->arg_size == 0)
        return K_OK;
    switch (((const uint8_t *)t->arg)[0] % 16u) {
    case 10: return K_FAIL;
    case 11: return K_FAIL_LONG;
    case 12: return K_BIG;
    case 13: return K_EXIT;
    case 14: return K_INIT;
    default: return K_OK;
    }
}

int pm_task_body(mp_pool_task_t *t, const uint8_t *init, size_t init_len, bool *exits,
                 int *exit_code)
{
    uint8_t b = t->arg_size ? ((const uint8_t *)t->arg)[0] : 0;
    int code = (int)(b >> 4) - 8;
    const uint8_t *src = t->arg;
    size_t src_len = t->arg_size;
    *exits = false;
    switch (kind_of(t)) {
    case K_FAIL:
        snprintf(t->message, t->message_size, "task %u failed", b);
        return code ? code : 77;
    case K_FAIL_LONG: /* no NUL: the text the pool keeps is cut one short */
        memset(t->message, 'm', t->message_size);
        return code ? code : 77;
    case K_BIG:
        t->result_len = t->result_size + 1u;
        return 0;
    case K_EXIT:
        *exits = true;
        *exit_code = 1 + (b >> 4);
        return 0;
    case K_INIT:
        src = init;
        src_len = init_len;
        break;
    default:
        break;
    }
    /* The result shows what the task saw: its index and the result_len it started with
     * (0 for apply, result_size for a map item: mp/pool.h). */
    uint8_t salt = (uint8_t)(0x5a ^ t->index ^ t->result_len);
    bool apply = t->result_len == 0;
    size_t n = apply ? (src_len < t->result_size ? src_len : t->result_size) : t->result_size;
    for (size_t i = 0; i < n; i++)
        ((uint8_t *)t->result)[i] = (uint8_t)((i < src_len ? src[i] : 0) ^ salt);
    if (apply)
        t->result_len = n;
    return 0;
}

/* ---- workers ------------------------------------------------------------------------- */
uint32_t pm_worker_slot(uint32_t number)
{
    uint32_t slot = m_proc_take();
    if (slot == M_PROCS)
        return slot; /* MP_ENOSLOT: no child counted */
    m.main_children++; /* a worker is a child of the owner: later default names count it */
    m_proc_t *p = &m.procs[slot];
    p->state = P_RUNNING;
    p->ran = true; /* not one of the harness's scripted children */
    p->worker = true;
    p->daemon = true;
    p->parent = m_token(0);
    p->start_seq = m.start_seq++;
    snprintf(p->name, sizeof p->name, "PoolWorker-%u", number);
    return slot;
}

void pm_worker_gone(uint32_t slot)
{
    m_proc_reaped(slot);
    m_proc_free(slot);
}

static void start_worker(uint32_t w)
{
    uint32_t slot = pm_worker_slot(pm.started + 1u);
    if (slot == M_PROCS)
        return; /* tried again at the next pump */
    pm.w[w] = (pm_worker_t){(int)slot, W_FRESH, false, 0, 0};
    pm.started++;
}

/* Workers for empty positions while there is work: running, or closed with jobs queued. */
static void staff(void)
{
    if (pm.state == PS_RUNNING || (pm.state == PS_CLOSED && pm_any_job(J_QUEUED)))
        for (uint32_t w = 0; w < pm.nworkers; w++)
            if (pm.w[w].st == W_NONE)
                start_worker(w);
}

/* ---- jobs ---------------------------------------------------------------------------- */
bool pm_any_job(uint8_t st)
{
    for (uint32_t i = 0; i < MP_CONF_POOL_QUEUE; i++)
        if (pm.jobs[i].st == st)
            return true;
    return false;
}

pm_job_t *pm_free_job(void)
{
    for (uint32_t i = 0; i < MP_CONF_POOL_QUEUE; i++)
        if (pm.jobs[i].st == J_FREE)
            return &pm.jobs[i];
    return NULL;
}

void pm_queue(pm_job_t *j, uint32_t collector, const uint8_t *in, size_t first, size_t items,
              size_t in_size, size_t out_size, bool apply)
{
    j->seq = pm.seq++;
    j->collector = collector;
    j->first = (uint32_t)first;
    j->items = (uint32_t)items;
    j->in_size = (uint32_t)in_size;
    j->out_size = (uint32_t)out_size;
    j->apply = apply;
    j->died = 0;
    j->exitcode = 0;
    if (items * in_size > 0)
        memcpy(j->arg, in, items * in_size);
    j->st = J_QUEUED;
    for (uint32_t w = 0; w < pm.nworkers; w++) { /* one sleeper is woken */
        if (pm.w[w].st == W_ASLEEP) {
            pm.w[w].st = W_WOKEN;
            break;
        }
    }
    staff(); /* a closed pool whose workers ended gets new ones for work it still has */
}

/* run_job, in the model: every item in order, the first failure's code and text kept.
 * False when an item kills the worker (the job stays claimed by it). */
static bool run_job(pm_job_t *j, int *exit_code)
{
    bool failed = false;
    for (uint32_t i = 0; i < j->items; i++) {
        char msg[MP_CONF_POOL_MSG_LEN] = "";
        mp_pool_task_t t = {
            .arg = j->in_size ? j->arg + (size_t)i * j->in_size : NULL,
            .arg_size = j->in_size,
            .result = j->result + (size_t)i * j->out_size,
            .result_size = j->out_size,
            .result_len = j->apply ? 0 : j->out_size,
            .message = msg,
            .message_size = sizeof msg,
            .index = j->first + i,
        };
        bool exits;
        int code = pm_task_body(&t, pm.init ? pm.initarg : NULL, pm.init ? pm.initarg_size : 0,
                                &exits, exit_code);
        if (exits)
            return false;
        if (code != 0 && !failed) {
            failed = true;
            j->code = code;
            msg[sizeof msg - 1] = '\0';
            memcpy(j->message, msg, sizeof msg);
        }
        j->status[i] = code != 0 ? I_FAILED : t.result_len > j->out_size ? I_OVERSIZE : I_OK;
        if (i == 0)
            j->apply_len = t.result_len > j->out_size ? 0 : (uint32_t)t.result_len;
    }
    return true;
}

static pm_job_t *oldest_queued(void)
{
    pm_job_t *best = NULL;
    for (uint32_t i = 0; i < MP_CONF_POOL_QUEUE; i++) {
        pm_job_t *j = &pm.jobs[i];
        if (j->st == J_QUEUED && (best == NULL || (int32_t)(j->seq - best->seq) < 0))
            best = j;
    }
    return best;
}

static void end_worker(pm_worker_t *w, int code, uint32_t *deaths)
{
    w->st = W_DEAD;
    w->exitcode = code;
    m.procs[w->slot].ended = true;
    m.procs[w->slot].exitcode = code;
    (*deaths)++;
}

/* One worker's turn: jobs oldest first until none is queued (asleep, or ended when the
 * pool no longer runs), a task kills it, or maxtasksperchild ends it. */
static void run_worker(uint32_t position, bool single, uint32_t *done, uint32_t *deaths)
{
    pm_worker_t *w = &pm.w[position];
    if (w->st == W_FRESH && pm.init)
        pm.init_calls++;
    for (;;) {
        pm_job_t *j = oldest_queued();
        if (j == NULL) {
            if (pm.state != PS_RUNNING)
                end_worker(w, 0, deaths);
            else
                w->st = W_ASLEEP;
            return;
        }
        int exit_code = 0;
        if (!run_job(j, &exit_code)) {
            j->st = J_RUNNING;
            j->worker = position;
            end_worker(w, exit_code, deaths);
            return;
        }
        j->st = J_DONE;
        (*done)++;
        if (single && pm.maxtasks != 0 && ++w->tasks >= pm.maxtasks) {
            end_worker(w, 0, deaths);
            return;
        }
    }
}

/* The owner blocked: every ready worker runs. True when that wakes the owner (a job
 * finished or a worker ended). */
static bool round_of_workers(void)
{
    uint32_t done = 0, deaths = 0;
    bool single = pm.nworkers == 1;
    for (uint32_t w = 0; w < pm.nworkers; w++)
        if (pm.w[w].st == W_FRESH || pm.w[w].st == W_WOKEN)
            run_worker(w, single, &done, &deaths);
    return done > 0 || deaths > 0;
}

/* ---- results ------------------------------------------------------------------------- */
static pm_result_t *result_of(uint32_t id)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_RESULTS; i++)
        if (pm_results[i].live && pm_results[i].id == id)
            return &pm_results[i];
    return NULL;
}

void pm_finish(pm_result_t *r)
{
    r->ready = true;
    pm_event_t e = {.result = r->id, .ok = r->err == MP_OK, .err = r->err, .busy = MP_EBUSY,
                    .code = r->code};
    if (r->err == MP_OK && (r->cb & 1)) {
        e.len = r->is_map ? r->n * r->out_size : r->len;
        e.hash = pm_hash(r->is_map ? (const void *)r->want_out : r->result, e.len);
    } else if (r->err == MP_OK || !(r->cb & 2)) {
        e.result = 0; /* no callback for this outcome */
    } else {
        memcpy(e.message, r->message, sizeof e.message);
    }
    if (e.result != 0 && pm_nexpected < PM_EVENTS)
        pm_expected[pm_nexpected++] = e;
    if (r->autofree) {
        int slot = (int)(r->id & 0xfffu) - 1;
        r->live = false;
        (void)m_free(T_RESULT, slot);
    }
}

static void fail_into(pm_result_t *r, mp_err_t err, int code, const char *msg)
{
    r->err = err;
    r->code = code;
    snprintf(r->message, sizeof r->message, "%s", msg);
}

bool pm_first_failure(const pm_job_t *j, uint32_t i)
{
    for (uint32_t k = 0; k < i; k++)
        if (j->status[k] == I_FAILED)
            return false;
    return true;
}

mp_err_t pm_outcome(const pm_job_t *j, uint32_t i, int *code)
{
    *code = 0;
    if (j->died) {
        *code = j->exitcode;
        return j->died == 2 ? MP_ECLOSED : MP_EWORKER;
    }
    if (j->status[i] == I_FAILED) {
        *code = pm_first_failure(j, i) ? j->code : 0;
        return MP_ETASK;
    }
    return j->status[i] == I_OVERSIZE ? MP_EMSGSIZE : MP_OK;
}

static void deliver(pm_job_t *j)
{
    pm_result_t *r = result_of(j->collector);
    j->st = J_FREE;
    if (r == NULL || r->ready)
        return;
    int code;
    if (!r->is_map) {
        mp_err_t err = pm_outcome(j, 0, &code);
        if (err == MP_OK) {
            r->len = j->apply_len;
            memcpy(r->result, j->result, j->apply_len);
        }
        fail_into(r, err, code, err == MP_ETASK ? j->message : "");
        pm_finish(r);
        return;
    }
    for (uint32_t i = 0; i < j->items; i++) {
        size_t k = j->first + i;
        mp_err_t err = pm_outcome(j, i, &code);
        if (err == MP_OK && r->out_size > 0)
            memcpy(r->want_out + k * r->out_size, j->result + (size_t)i * j->out_size, r->out_size);
        r->want_errs[k] = err;
        if (err != MP_OK && k < r->failed_at) {
            r->failed_at = k;
            fail_into(r, err, code, err == MP_ETASK && pm_first_failure(j, i) ? j->message : "");
        }
    }
    r->finished += j->items;
    if (r->finished >= r->n)
        pm_finish(r);
}

static void feed_map(pm_result_t *r)
{
    while (r->submitted < r->n && pm.state < PS_TERMINATED) {
        pm_job_t *j = pm_free_job();
        if (j == NULL)
            return;
        size_t k = r->n - r->submitted < r->chunk ? r->n - r->submitted : r->chunk;
        pm_queue(j, r->id, r->in_size ? r->in + r->submitted * r->in_size : NULL, r->submitted,
                 k, r->in_size, r->out_size, false);
        r->submitted += k;
    }
}

void pm_pump(void)
{
    /* workers that ended: what they held fails, they are reaped and closed */
    for (uint32_t w = 0; w < pm.nworkers; w++) {
        pm_worker_t *wk = &pm.w[w];
        if (wk->st != W_DEAD)
            continue;
        for (uint32_t i = 0; i < MP_CONF_POOL_QUEUE; i++) {
            pm_job_t *j = &pm.jobs[i];
            if (j->st == J_RUNNING && j->worker == w) {
                j->died = 1;
                j->exitcode = wk->exitcode;
                j->st = J_DONE;
            }
        }
        if (wk->reaped)
            m_proc_free((uint32_t)wk->slot);
        else
            pm_worker_gone((uint32_t)wk->slot);
        *wk = (pm_worker_t){-1, W_NONE, false, 0, 0};
    }
    staff();
    for (uint32_t i = 0; i < MP_CONF_POOL_QUEUE; i++) {
        pm_job_t *j = &pm.jobs[i];
        if (j->st != J_DONE || j->collector == PM_IMAP)
            continue;
        if (j->collector == 0)
            j->st = J_FREE;
        else
            deliver(j);
    }
    for (uint32_t i = 0; i < MP_CONF_MAX_RESULTS; i++) {
        pm_result_t *r = &pm_results[i];
        if (!r->live || r->pool != pm.id || !r->is_map || r->ready)
            continue;
        if (pm.state < PS_TERMINATED) {
            feed_map(r);
            continue;
        }
        /* terminated: what was never queued is discarded */
        for (size_t k = r->submitted; k < r->n; k++) {
            r->want_errs[k] = MP_ECLOSED;
            if (k < r->failed_at) {
                r->failed_at = k;
                fail_into(r, MP_ECLOSED, 0, "");
            }
        }
        r->finished += r->n - r->submitted;
        r->submitted = r->n;
        if (r->finished >= r->n)
            pm_finish(r);
    }
}

void pm_terminate(void)
{
    if (pm.state < PS_TERMINATED)
        pm.state = PS_TERMINATED;
    for (uint32_t i = 0; i < MP_CONF_POOL_QUEUE; i++) {
        if (pm.jobs[i].st == J_QUEUED) {
            pm.jobs[i].died = 2; /* withdrawn: MP_ECLOSED */
            pm.jobs[i].st = J_DONE;
        }
    }
    uint32_t deaths = 0;
    for (uint32_t w = 0; w < pm.nworkers; w++) {
        pm_worker_t *wk = &pm.w[w];
        if (wk->st == W_NONE)
            continue;
        if (wk->st != W_DEAD)
            end_worker(wk, -MP_SIGTERM, &deaths);
        m_proc_reaped((uint32_t)wk->slot); /* joined here, closed by the pump */
        wk->reaped = true;
    }
    pm_pump();
}

/* ---- imap, waits ------------------------------------------------------------------------ */
bool pm_imap_found(pm_imap_t *it, uint32_t *slot)
{
    while (it->submitted < it->n && pm.state < PS_TERMINATED) {
        pm_job_t *j = pm_free_job();
        if (j == NULL)
            break;
        size_t k = it->n - it->submitted < it->chunk ? it->n - it->submitted : it->chunk;
        uint32_t s = (uint32_t)(j - pm.jobs);
        pm_queue(j, PM_IMAP, it->in_size ? it->in + it->submitted * it->in_size : NULL,
                 it->submitted, k, it->in_size, it->out_size, false);
        it->jobs[s] = (uint32_t)it->submitted + 1u;
        it->taken[s] = 0;
        it->submitted += k;
    }
    for (uint32_t s = 0; s < MP_CONF_POOL_QUEUE; s++) {
        if (it->jobs[s] == 0)
            continue;
        if (it->ordered && it->jobs[s] - 1u + it->taken[s] != it->yielded)
            continue;
        if (pm.jobs[s].st == J_DONE) {
            *slot = s;
            return true;
        }
    }
    return false;
}

static bool ended(void)
{
    for (uint32_t w = 0; w < pm.nworkers; w++)
        if (pm.w[w].st != W_NONE)
            return false;
    return !pm_any_job(J_QUEUED) && !pm_any_job(J_RUNNING);
}

static bool holds(int what, int which, uint32_t *found)
{
    switch (what) {
    case PW_RESULT: return pm_results[which].ready;
    case PW_ENDED: return ended();
    default: return pm_imap_found(&pm_imaps[which], found);
    }
}

mp_err_t pm_wait(int what, int which, mp_timeout_t t, uint32_t *found)
{
    for (;;) {
        pm_pump();
        if (holds(what, which, found))
            return MP_OK;
        if (t == MP_NOWAIT)
            return MP_EAGAIN;
        if (round_of_workers())
            continue;
        /* nothing wakes the owner: its deadline does, or the simulation finds a deadlock */
        if (t == MP_FOREVER)
            return MP_EDEADLK;
        pm_pump();
        return holds(what, which, found) ? MP_OK : MP_ETIMEDOUT;
    }
}
