/*
 * The cast's Pool owner (part of cast.h). It starts a pool of CAST_POOL_WORKERS and runs
 * batches through it (an apply, three apply_async, a map in chunks of CAST_POOL_CHUNK),
 * checking every result, then ends it (close or terminate, then join) and checks that a
 * dead worker was replaced. A fault aims either at the owner, whose workers (its daemonic
 * children) must die with it, or at one of its workers: the POSIX suite SIGKILLs a worker
 * while it is inside a task, the simulation kills one at its k-th runtime call. A task
 * calls the runtime between its steps, so those calls land inside tasks too.
 *
 * What the owner accepts of a task: its right value, or MP_EWORKER with a SIGKILL's exit
 * code; anything else (a wrong value, another code, a wait that reaches its deadline) is
 * its fault. Whether an MP_EWORKER was explained (at most one chunk, and only when a
 * worker was killed) is the main process's to judge (round_manager.h).
 */
#ifndef MP_TEST_CAST_POOL_H
#define MP_TEST_CAST_POOL_H

#define CAST_POOL_CHUNK 2u /* a dead worker fails at most one chunk of a map */
#define CAST_POOL_ITEMS 6u
#define CAST_POOL_STEPS 3u
#define CAST_POOL_SPIN 3000 /* per step: long enough that a real signal can land inside */

static inline uint32_t cast_pool_step(uint32_t y, uint32_t step)
{
    return y * 2654435761u + step + 1u;
}

static inline uint32_t cast_pool_f(uint32_t x)
{
    for (uint32_t step = 0; step < CAST_POOL_STEPS; step++)
        x = cast_pool_step(x, step);
    return x;
}

/* In a worker: announces itself (the POSIX suite's moment to strike), works in steps
 * with a runtime call between them. */
static inline int cast_pool_task(mp_pool_task_t *t)
{
    uint32_t y;
    memcpy(&y, t->arg, sizeof y);
    mp_process_t me = {0};
    (void)mp_process_self(&me);
    cast_store(&R.pool_task_worker, me.id);
    for (uint32_t step = 0; step < CAST_POOL_STEPS; step++) {
        for (volatile int i = 0; i < CAST_POOL_SPIN; i++)
            ;
        y = cast_pool_step(y, step);
        (void)mp_process_yield();
    }
    uint32_t mine = me.id; /* the other worker may have announced itself since */
    __atomic_compare_exchange_n(&R.pool_task_worker, &mine, 0u, false, __ATOMIC_SEQ_CST,
                                __ATOMIC_SEQ_CST);
    memcpy(t->result, &y, sizeof y);
    t->result_len = sizeof y;
    return 0;
}

/* One task's outcome: false when the owner cannot accept it. */
static inline bool cast_pool_outcome(mp_err_t err, int code, uint32_t x, uint32_t y)
{
    cast_add(&R.pool_tasks);
    if (err == MP_OK && y == cast_pool_f(x))
        return true;
    if (err == MP_EWORKER && code == -MP_SIGKILL) {
        cast_add(&R.pool_eworker);
        return true;
    }
    cast_add(&R.pool_wrong);
    return false;
}

static inline int cast_pool_apply(uint32_t w, mp_pool_t pool, uint32_t x)
{
    uint32_t y = 0;
    size_t len = 0;
    mp_pool_failure_t f = {0};
    mp_err_t err = mp_pool_apply(pool, cast_pool_task, &x, sizeof x, &y, sizeof y, &len, &f,
                                 R.work_timeout);
    return cast_pool_outcome(err, f.code, x, y) ? 0 : cast_fault(w, "mp_pool_apply", err);
}

static inline int cast_pool_async(uint32_t w, mp_pool_t pool, uint32_t x)
{
    mp_result_t r[3];
    uint32_t xs[3];
    for (uint32_t k = 0; k < 3; k++) {
        xs[k] = x + k;
        mp_err_t err = mp_pool_apply_async(pool, cast_pool_task, &xs[k], sizeof xs[k], NULL, &r[k]);
        if (err != MP_OK) {
            while (k-- > 0)
                (void)mp_result_destroy(r[k]);
            return cast_fault(w, "mp_pool_apply_async", err);
        }
    }
    int code = 0;
    for (uint32_t k = 0; k < 3; k++) {
        uint32_t y = 0;
        size_t len = 0;
        mp_pool_failure_t f = {0};
        mp_err_t err = mp_result_get(r[k], &y, sizeof y, &len, R.work_timeout);
        if (err == MP_EWORKER)
            (void)mp_result_failure(r[k], &f);
        if (!cast_pool_outcome(err, f.code, xs[k], y) && code == 0)
            code = cast_fault(w, "mp_result_get", err);
        (void)mp_result_destroy(r[k]);
    }
    return code;
}

static inline int cast_pool_map(uint32_t w, mp_pool_t pool, uint32_t x)
{
    uint32_t in[CAST_POOL_ITEMS], out[CAST_POOL_ITEMS] = {0};
    mp_err_t errs[CAST_POOL_ITEMS];
    for (uint32_t i = 0; i < CAST_POOL_ITEMS; i++)
        in[i] = x + i;
    mp_pool_failure_t f = {0};
    mp_err_t err = mp_pool_map(pool, cast_pool_task, in, CAST_POOL_ITEMS, sizeof in[0], out,
                               sizeof out[0], errs, CAST_POOL_CHUNK, &f, R.work_timeout);
    if (err != MP_OK && err != MP_EWORKER)
        return cast_fault(w, "mp_pool_map", err);
    for (uint32_t i = 0; i < CAST_POOL_ITEMS; i++)
        if (!cast_pool_outcome(errs[i], f.code, in[i], out[i]))
            return cast_fault(w, "mp_pool_map (an item)", errs[i]);
    return 0;
}

/* Ends the pool as CPython's users do, either way: every call within its deadline. */
static inline int cast_pool_end(uint32_t w, mp_pool_t pool, bool terminate)
{
    size_t n = 0;
    mp_err_t err = mp_pool_workers(pool, NULL, 0, &n);
    if (err != MP_OK || n != CAST_POOL_WORKERS)
        return cast_fault(w, "mp_pool_workers (a dead worker not replaced)", err);
    err = terminate ? mp_pool_terminate(pool) : mp_pool_close(pool);
    if (err != MP_OK)
        return cast_fault(w, terminate ? "mp_pool_terminate" : "mp_pool_close", err);
    if ((err = mp_pool_join(pool, R.work_timeout)) != MP_OK)
        return cast_fault(w, "mp_pool_join", err);
    if ((err = mp_pool_destroy(pool)) != MP_OK)
        return cast_fault(w, "mp_pool_destroy", err);
    return 0;
}

static inline int cast_pooler(uint32_t w)
{
    mp_pool_t pool;
    mp_err_t err = mp_pool_create(&pool, &(mp_pool_attr_t){.workers = CAST_POOL_WORKERS});
    if (err != MP_OK)
        return cast_fault(w, "mp_pool_create", err);
    size_t n = 0;
    if ((err = mp_pool_workers(pool, R.pool_workers, CAST_POOL_WORKERS, &n)) != MP_OK)
        return cast_fault(w, "mp_pool_workers", err);
    /* the simulation aims its fault at a worker now, before any task */
    (void)mp_event_set(R.pool_up);
    if ((err = mp_event_wait(R.pool_go, R.work_timeout)) != MP_OK)
        return cast_fault(w, "mp_event_wait(pool_go)", err);
    uint32_t b = 0;
    for (; b < R.pool_batches && !cast_stopping(); b++) {
        uint32_t x = b * 16u;
        if (cast_pool_apply(w, pool, x) != 0 || cast_pool_async(w, pool, x + 1u) != 0 ||
            cast_pool_map(w, pool, x + 4u) != 0)
            return 1;
        cast_op_done(w);
    }
    return cast_pool_end(w, pool, b & 1u);
}

#endif
