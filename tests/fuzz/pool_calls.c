/*
 * The Pool model's answer to each call of a session (op_pool.c, op_pool_map.c): the checks
 * in core/pool.c's order (the handle, the arguments, the state, the room), then the
 * owner's steps (pool_model.c) the call makes.
 */
#include <string.h>

#include "pool_model.h"

mp_err_t pm_pool_lookup(uint32_t id)
{
    int slot;
    mp_err_t err = m_lookup(id, MPI_KIND_POOL, &slot);
    if (err == MP_OK && (!pm.live || slot != pm.slot))
        fz_fail("model: a live pool that is not the session's");
    return err;
}

pm_result_t *pm_result_lookup(uint32_t id, mp_err_t *err)
{
    int slot;
    *err = m_lookup(id, MPI_KIND_RESULT, &slot);
    return *err == MP_OK ? &pm_results[slot] : NULL;
}

static pm_result_t *new_result(uint8_t cb, bool autofree, uint32_t *id)
{
    int slot = m_alloc_peek(T_RESULT);
    if (slot < 0)
        return NULL;
    *id = m_alloc(T_RESULT, slot, MPI_KIND_RESULT);
    pm_result_t *r = &pm_results[slot];
    memset(r, 0, sizeof *r);
    *r = (pm_result_t){.live = true, .id = *id, .pool = pm.id, .cb = cb, .autofree = autofree,
                       .failed_at = SIZE_MAX};
    return r;
}

mp_err_t pm_apply_async(uint32_t pool, bool fn, const uint8_t *arg, size_t size, uint8_t cb,
                        bool autofree, uint32_t *id)
{
    mp_err_t err = pm_pool_lookup(pool);
    if (err != MP_OK)
        return err;
    if (!fn || (arg == NULL && size > 0))
        return MP_EINVAL;
    if (size > MP_CONF_POOL_ARG_SIZE)
        return MP_EMSGSIZE;
    if (pm.state != PS_RUNNING)
        return MP_ECLOSED;
    pm_pump();
    pm_job_t *j = pm_free_job();
    if (j == NULL)
        return MP_ENOSLOT; /* the pool's queue */
    if (new_result(cb, autofree, id) == NULL)
        return MP_ENOSLOT; /* the result table */
    pm_queue(j, *id, arg, 0, 1, size, MP_CONF_POOL_RESULT_SIZE, true);
    return MP_OK;
}

size_t pm_chunk_fit(size_t want, size_t in_size, size_t out_size)
{
    size_t k = want < MPI_POOL_CHUNK_MAX ? want : MPI_POOL_CHUNK_MAX;
    if (in_size > 0 && k * in_size > MPI_POOL_ARG_ROOM)
        k = MPI_POOL_ARG_ROOM / in_size;
    if (out_size > 0 && k * out_size > MPI_POOL_RESULT_ROOM)
        k = MPI_POOL_RESULT_ROOM / out_size;
    return k > 0 ? k : 1;
}

mp_err_t pm_map_args(bool fn, const void *in, size_t n, size_t in_size, const void *out,
                     size_t out_size)
{
    if (!fn || (n > 0 && ((in == NULL && in_size > 0) || (out == NULL && out_size > 0))) ||
        n > UINT32_MAX / 2)
        return MP_EINVAL;
    return in_size > MP_CONF_POOL_ARG_SIZE || out_size > MP_CONF_POOL_RESULT_SIZE ? MP_EMSGSIZE
                                                                                  : MP_OK;
}


mp_err_t pm_map_async(uint32_t pool, const pm_map_t *a, uint8_t cb, bool autofree, uint32_t *id)
{
    mp_err_t err = pm_pool_lookup(pool);
    if (err == MP_OK)
        err = pm_map_args(a->fn, a->in, a->n, a->in_size, a->out, a->out_size);
    if (err != MP_OK)
        return err;
    if (pm.state != PS_RUNNING)
        return MP_ECLOSED;
    pm_result_t *r = new_result(cb, autofree, id);
    if (r == NULL)
        return MP_ENOSLOT;
    r->is_map = true;
    r->in = a->in;
    r->out = a->out;
    r->errs = a->errs;
    r->n = a->n;
    r->in_size = a->in_size;
    r->out_size = a->out_size;
    size_t per = 4u * pm.nworkers; /* CPython's default chunk */
    r->chunk = pm_chunk_fit(a->chunk ? a->chunk : (a->n + per - 1u) / per, a->in_size, a->out_size);
    if (a->n == 0)
        pm_finish(r);
    else
        pm_pump();
    return MP_OK;
}


/* result_owner_enter: the result's pool, or (gone) the result is finished as closed. */
bool pm_entered(pm_result_t *r)
{
    if (pm.live && r->pool == pm.id)
        return true;
    if (!r->ready) { /* no callback: its pool is gone */
        r->err = MP_ECLOSED;
        r->code = 0;
        r->message[0] = '\0';
        r->ready = true;
    }
    return false;
}

/* A result given back by itself (apply_async or map_async without a handle, reached here
 * by a forged one) may finish and go during the caller's own call: a failure is then
 * MP_ESTALE, a success stands (RULES 1). */
mp_err_t pm_freed_under(const pm_result_t *r, mp_err_t want)
{
    return !r->live && want != MP_OK ? MP_ESTALE : want;
}

mp_err_t pm_result_get(pm_result_t *r, bool buf_null, size_t size, bool len_null,
                       mp_timeout_t t, size_t *want_len)
{
    if ((buf_null && size > 0) || (!r->is_map && len_null))
        return MP_EINVAL;
    mp_err_t err = pm_entered(r) ? pm_wait(PW_RESULT, (int)(r - pm_results), t, NULL) : MP_OK;
    if (err == MP_OK)
        err = r->err;
    if (err == MP_OK && !r->is_map) {
        *want_len = r->len;
        if (r->len > size)
            err = MP_ETOOSMALL;
    } else if (err == MP_OK && !len_null) {
        *want_len = r->n * r->out_size;
    }
    return err;
}

/* mp_result_failure after the checks of its arguments. */
mp_err_t pm_result_failure(pm_result_t *r, mp_pool_failure_t *f)
{
    if (pm_entered(r))
        pm_pump();
    if (!r->ready)
        return MP_ERUNNING;
    if (r->err == MP_OK)
        return MP_ENOENT;
    *f = (mp_pool_failure_t){.err = r->err, .code = r->code};
    memcpy(f->message, r->message, sizeof f->message);
    return MP_OK;
}

/* Queued jobs are withdrawn, the others' results dropped when they come. */
void pm_result_destroy(pm_result_t *r)
{
    if (pm_entered(r)) {
        for (uint32_t i = 0; i < MP_CONF_POOL_QUEUE; i++) {
            pm_job_t *j = &pm.jobs[i];
            if (j->collector != r->id || j->st == J_FREE)
                continue;
            if (j->st == J_QUEUED)
                j->st = J_FREE;
            else
                j->collector = 0;
        }
    }
    r->live = false;
    (void)m_free(T_RESULT, (int)(r - pm_results));
}

/* destroy: terminated first unless joined; results still waiting get MP_ECLOSED. */
void pm_destroy(void)
{
    if (pm.state != PS_JOINED)
        pm_terminate();
    for (uint32_t i = 0; i < MP_CONF_MAX_RESULTS; i++) {
        pm_result_t *r = &pm_results[i];
        if (!r->live || r->pool != pm.id || r->ready)
            continue;
        r->err = MP_ECLOSED;
        r->code = 0;
        r->message[0] = '\0';
        pm_finish(r);
    }
    pm.live = false;
    (void)m_free(T_POOL, pm.slot);
}

/* mp_pool_create after its argument checks: the entry, then a slot for each worker; when
 * one has none, those started are killed, joined and closed, and the entry goes. */
mp_err_t pm_create(uint32_t nworkers, int *slot, uint32_t *id, uint32_t *wslots)
{
    *slot = m_alloc_peek(T_POOL);
    if (*slot < 0)
        return MP_ENOSLOT;
    *id = m_alloc(T_POOL, *slot, MPI_KIND_POOL);
    for (uint32_t w = 0; w < nworkers; w++) {
        wslots[w] = pm_worker_slot(w + 1u);
        if (wslots[w] != M_PROCS)
            continue;
        for (uint32_t k = 0; k < w; k++)
            pm_worker_gone(wslots[k]);
        (void)m_free(T_POOL, *slot);
        return MP_ENOSLOT;
    }
    return MP_OK;
}
