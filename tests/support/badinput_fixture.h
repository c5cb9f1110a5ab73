/*
 * What the bad-input suites call into: one live object of every kind, two destroyed ones
 * of every kind (one whose entry is free, one whose entry the live one took), processes
 * in each state a process call can refuse, and a child (the holder) that holds a few
 * locks and sleeps for as long as the rows run.
 *
 * The holder sleeps on the gate, a Lock the main process holds, with no deadline: the
 * rows start only once it is asleep there (its lock word says someone sleeps), so no
 * other process writes the world while a row runs. It sleeps inside the comparison of a
 * sort of fx.list_busy, so that List stays locked by a live process. It also creates a
 * child it never starts (the grandchild): a process the main process did not create.
 *
 * The live Pool's one worker sleeps the same way, in a task, on a second gate: an idle
 * worker would not do, as on POSIX it looks for work every liveness slice and each time
 * writes its word in the pool (pool.c, WORKER_*), between any two rows.
 *
 * Bad handles, for a handle of kind K (see mp/types.h: kind 31..27, generation 26..12,
 * index + 1 11..0), and what the runtime must answer:
 *   zero, all ones, index part 0, index past the table's end     MP_EHANDLE
 *   a live object's handle of every other kind                    MP_EHANDLE
 *   a live object's index with another generation (next, 0)      MP_ESTALE
 *   an index never used since mp_init (generation 1)             MP_ESTALE
 *     (where the table has a third entry: the Pool table's two, MP_CONF_MAX_POOLS,
 *     hold the live pool and the destroyed one)
 *   a destroyed object (its entry free, or reused by a live one)  MP_ESTALE
 *   Lock/RLock and Value/Array share a table: kind K with the index and generation of
 *   the live object of the other kind in that table               MP_ESTALE
 * The runtime cannot tell the MP_ESTALE ones apart (the entry is not that handle's object,
 * or no longer is), and the README promises MP_ESTALE for "a freed slot": a forged handle
 * to an index that exists is answered as a stale one.
 */
#ifndef BADINPUT_FIXTURE_H
#define BADINPUT_FIXTURE_H

#include "badinput.h"

#define BI_KINDS (MPI_KIND_SLAB + 1)
_Static_assert(BI_KINDS == MPI_KIND_END, "a new kind: the fixture makes one of each");

typedef struct {
    uint32_t live[BI_KINDS];  /* by MPI_KIND_*: an object in its plainest state */
    uint32_t stale[BI_KINDS]; /* destroyed; its entry free */
    uint32_t reused[BI_KINDS]; /* destroyed; its entry now holds live[] */
    mp_process_t self, unstarted, joined, holder, grandchild;
    mp_lock_t gate;           /* held by the main process; the holder sleeps on it */
    mp_lock_t lock_busy;      /* held by the holder */
    mp_rlock_t rlock_busy;    /* held by the holder */
    mp_value_t value_busy;    /* its RLock held by the holder */
    mp_array_t array_busy;    /* its RLock held by the holder */
    mp_condition_t cond_busy; /* its own RLock held by the holder */
    mp_list_t list_busy;      /* locked by the holder: it sleeps inside a sort of it */
    mp_lock_t pool_gate;      /* held by the main process; the live pool's worker sleeps on it */
    mp_result_t pool_task;    /* the task that worker sleeps in */
    int holder_status;        /* where the holder got to, for the report */
} bi_fixture_t;
static MP_SHARED bi_fixture_t fx; /* shared: the holder writes grandchild and its status */

static const char *const bi_kind_names[BI_KINDS] = {
    "", "process", "lock", "rlock", "queue", "pipe end", "value", "array",
    "semaphore", "event", "condition", "barrier", "pool", "result", "dict", "list",
    "slab",
};

/* Entries of the table behind each kind (a pipe has two ends, so two handles). */
static uint32_t bi_table_size(uint32_t kind)
{
    switch (kind) {
    case MPI_KIND_PROCESS: return MP_CONF_MAX_PROCESSES;
    case MPI_KIND_LOCK: case MPI_KIND_RLOCK: return MP_CONF_MAX_LOCKS;
    case MPI_KIND_QUEUE: return MP_CONF_MAX_QUEUES;
    case MPI_KIND_CONN: return 2u * MP_CONF_MAX_PIPES;
    case MPI_KIND_VALUE: case MPI_KIND_ARRAY: return MP_CONF_MAX_VALUES;
    case MPI_KIND_SEMAPHORE: return MP_CONF_MAX_SEMAPHORES;
    case MPI_KIND_EVENT: return MP_CONF_MAX_EVENTS;
    case MPI_KIND_CONDITION: return MP_CONF_MAX_CONDITIONS;
    case MPI_KIND_BARRIER: return MP_CONF_MAX_BARRIERS;
    case MPI_KIND_POOL: return MP_CONF_MAX_POOLS;
    case MPI_KIND_RESULT: return MP_CONF_MAX_RESULTS;
    case MPI_KIND_DICT: return MP_CONF_MAX_DICTS;
    case MPI_KIND_LIST: return MP_CONF_MAX_LISTS;
    default: return MP_CONF_MAX_SLABS;
    }
}

/* Whether the kind's table has an entry left that the fixture never uses (its last). */
static bool bi_has_unused(uint32_t kind)
{
    return bi_table_size(kind) >= 3u;
}

static uint32_t bi_handle(uint32_t kind, uint32_t gen, uint32_t index_plus_1)
{
    return kind << MPI_KIND_SHIFT | (gen & MPI_GEN_MASK) << MPI_GEN_SHIFT |
           (index_plus_1 & MPI_INDEX_MASK);
}

/* The header generation of the entry a handle names, read from the table itself: used to
 * check that an index the suite calls "never used" really never was. */
static uint32_t bi_entry_gen(uint32_t kind, uint32_t index)
{
    if (kind == MPI_KIND_PROCESS)
        return mpi_world.slots[index].gen;
    if (kind == MPI_KIND_CONN)
        index /= 2u;
    const mpi_table_t *t = mpi_table_of(kind);
    return mpi_tag_gen(atomic_load(&((const mpi_obj_t *)mpi_obj_at(t, index))->tag));
}

typedef struct {
    uint32_t id;
    mp_err_t expect;
    char what[48];
} bi_handle_t;

#define BI_MAX_BAD 32

/* Every bad handle of a kind; returns how many. */
static size_t bi_bad_handles(uint32_t kind, bi_handle_t *h)
{
    uint32_t live = fx.live[kind], gen = mpi_id_gen(live);
    uint32_t size = bi_table_size(kind);
    size_t n = 0;
#define BAD(value, code, ...)                                                                 \
    do {                                                                                      \
        h[n].id = (value);                                                                    \
        h[n].expect = (code);                                                                 \
        snprintf(h[n].what, sizeof h[n].what, __VA_ARGS__);                                   \
        n++;                                                                                  \
    } while (0)
    BAD(0, MP_EHANDLE, "zero handle");
    BAD(UINT32_MAX, MP_EHANDLE, "all-ones handle");
    BAD(bi_handle(kind, gen, 0), MP_EHANDLE, "forged: index part 0");
    BAD(bi_handle(kind, gen, size + 1u), MP_EHANDLE, "forged: index past the table");
    if (size + 1u < MPI_INDEX_MASK)
        BAD(bi_handle(kind, gen, MPI_INDEX_MASK), MP_EHANDLE, "forged: largest index");
    BAD(bi_handle(kind, gen + 1u, live), MP_ESTALE, "live index, next generation");
    BAD(bi_handle(kind, 0, live), MP_ESTALE, "live index, generation 0");
    if (bi_has_unused(kind))
        BAD(bi_handle(kind, 1, size), MP_ESTALE, "forged: index never used");
    BAD(fx.stale[kind], MP_ESTALE, "destroyed %s", bi_kind_names[kind]);
    BAD(fx.reused[kind], MP_ESTALE, "destroyed %s, entry reused", bi_kind_names[kind]);
    uint32_t sibling = kind == MPI_KIND_LOCK    ? MPI_KIND_RLOCK
                       : kind == MPI_KIND_RLOCK ? MPI_KIND_LOCK
                       : kind == MPI_KIND_VALUE ? MPI_KIND_ARRAY
                       : kind == MPI_KIND_ARRAY ? MPI_KIND_VALUE
                                                : 0;
    if (sibling != 0)
        BAD(bi_handle(kind, mpi_id_gen(fx.live[sibling]), fx.live[sibling]), MP_ESTALE,
            "forged: the live %s's entry", bi_kind_names[sibling]);
    for (uint32_t k = MPI_KIND_PROCESS; k < BI_KINDS; k++)
        if (k != kind)
            BAD(fx.live[k], MP_EHANDLE, "a live %s", bi_kind_names[k]);
#undef BAD
    return n;
}

/* ---- handle rows: every call of a kind, with every bad handle ----------------------- */
typedef struct {
    const char *what;
    uint32_t kind;
    bool timed; /* takes a timeout: tried with each of bi_timeouts */
    mp_err_t (*call)(void); /* reads bi_id and bi_timeout */
} bi_op_t;

/* Calls that answer MP_OK (and change nothing) for an object already gone: closing twice
 * is fine in CPython. */
static bool bi_idempotent(const bi_op_t *op)
{
    return strcmp(op->what, "mp_process_close") == 0;
}
static uint32_t bi_id;
static mp_timeout_t bi_timeout;

/* Each fails before any wait, so even "forever" returns at once. (mp_timeout_t is
 * unsigned: a "negative" timeout is a very long one.) */
static const mp_timeout_t bi_timeouts[] = {MP_NOWAIT, 1, 7, 1001, (mp_timeout_t)-5, MP_FOREVER};
#define BI_NTIMEOUTS (sizeof bi_timeouts / sizeof bi_timeouts[0])

/* A timeout too long to sit through if a broken check let the call wait (bi_text_is_long). */
static bool bi_is_long(mp_timeout_t timeout)
{
    return timeout >= 1000u;
}

static void bi_run_op(const bi_op_t *op, const bi_handle_t *bad, mp_timeout_t timeout)
{
    char detail[80];
    bi_id = bad->id;
    bi_timeout = timeout;
    if (op->timed)
        snprintf(detail, sizeof detail, " (%s, timeout %lu)", bad->what, (unsigned long)timeout);
    else
        snprintf(detail, sizeof detail, " (%s)", bad->what);
    bool gone = bad->id == fx.stale[op->kind] || bad->id == fx.reused[op->kind];
    (void)bi_check(op->what, detail, bi_idempotent(op) && gone ? MP_OK : bad->expect, op->call,
                   0, NULL);
}

/* Every op with every bad handle (and every timeout, for those that take one): the short
 * timeouts first, then the long ones, which are skipped for an op that failed a row
 * (see bi_text_is_long). */
static void bi_run_ops(const bi_op_t *ops, size_t n)
{
    bi_handle_t bad[BI_MAX_BAD];
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            size_t nbad = bi_bad_handles(ops[i].kind, bad);
            assert_true(nbad <= BI_MAX_BAD);
            for (size_t t = 0; t < (ops[i].timed ? BI_NTIMEOUTS : 1); t++) {
                mp_timeout_t timeout = ops[i].timed ? bi_timeouts[t] : MP_NOWAIT;
                if (bi_is_long(timeout) != (pass == 1))
                    continue;
                for (size_t b = 0; b < nbad; b++) {
                    if (pass == 1 && bi_fn_failed(ops[i].what))
                        bi_skipped++;
                    else
                        bi_run_op(&ops[i], &bad[b], timeout);
                }
            }
        }
}

/* ---- building and taking down the fixture ------------------------------------------- */
static int bi_never_runs(void *arg)
{
    (void)arg;
    return 99;
}

static int bi_returns(void *arg)
{
    (void)arg;
    return 0;
}

/* A task with a result of 8 bytes (the results the fixture makes). */
static int bi_task(mp_pool_task_t *t)
{
    memcpy(t->result, bi_in, 8);
    t->result_len = 8;
    return 0;
}

/* What a pool's worker runs while the rows run (see the top): it sleeps on the Lock its
 * argument names until the main process releases it. */
static int bi_sleeps_on(mp_pool_task_t *t)
{
    mp_lock_t gate;
    memcpy(&gate, t->arg, sizeof gate);
    if (mp_lock_acquire(gate, MP_FOREVER) != MP_OK)
        return 1;
    return mp_lock_release(gate) == MP_OK ? 0 : 2;
}

/* Puts a pool's one worker to sleep on gate, a Lock the caller holds, in a task whose
 * result is *task; returns once it sleeps there (its lock word says someone sleeps). */
static mp_err_t bi_pool_sleep(mp_pool_t pool, mp_lock_t gate, mp_result_t *task)
{
    const mpi_lock_t *word = &mpi_world.locks[(gate.id & MPI_INDEX_MASK) - 1u];
    mp_err_t err = mp_pool_apply_async(pool, bi_sleeps_on, &gate, sizeof gate, NULL, task);
    while (err == MP_OK && !(atomic_load(&word->word) & MPI_LOCK_WAITERS)) {
        bool ready = false;
        err = mp_result_ready(*task, &ready);
        if (err == MP_OK)
            err = ready ? MP_ETASK : mp_process_yield(); /* MP_ETASK: it did not sleep */
    }
    return err;
}

/* The holder's sort of two items compares once: in there it sleeps on the gate. */
static int bi_sleep_in_sort(const void *a, const void *b, void *ctx)
{
    (void)a;
    (void)b;
    (void)ctx;
    if (fx.holder_status == 3 && mp_lock_acquire(fx.gate, MP_FOREVER) == MP_OK)
        fx.holder_status = 4;
    return 0;
}

/* The holder: holds its locks, then sleeps on the gate (in a sort: list_busy stays locked)
 * until the main process lets it go.
 * Reports through its exitcode and fx.holder_status (children never call CMocka). */
static int bi_holder(void *arg)
{
    (void)arg;
    mp_rlock_t vl, al;
    mp_condition_t c = fx.cond_busy;
    fx.holder_status = 1;
    if (mp_process_create(&fx.grandchild, &(mp_process_attr_t){.target = bi_never_runs}) != MP_OK)
        return 1;
    fx.holder_status = 2;
    if (mp_lock_acquire(fx.lock_busy, MP_NOWAIT) != MP_OK ||
        mp_rlock_acquire(fx.rlock_busy, MP_NOWAIT) != MP_OK ||
        mp_value_get_lock(fx.value_busy, &vl) != MP_OK || mp_rlock_acquire(vl, MP_NOWAIT) != MP_OK ||
        mp_array_get_lock(fx.array_busy, &al) != MP_OK || mp_rlock_acquire(al, MP_NOWAIT) != MP_OK ||
        mp_condition_acquire(c, MP_NOWAIT) != MP_OK)
        return 2;
    fx.holder_status = 3;
    if (mp_list_sort(fx.list_busy, bi_sleep_in_sort, NULL, false, MP_NOWAIT) != MP_OK ||
        fx.holder_status != 4)
        return 3;
    if (mp_condition_release(c) != MP_OK || mp_rlock_release(al) != MP_OK ||
        mp_rlock_release(vl) != MP_OK || mp_rlock_release(fx.rlock_busy) != MP_OK ||
        mp_lock_release(fx.lock_busy) != MP_OK || mp_lock_release(fx.gate) != MP_OK)
        return 4;
    return 0;
}

/* A step of the setup that must succeed (group setups report, they do not assert). */
#define BI_UP(expr)                                                                           \
    do {                                                                                      \
        mp_err_t e_ = (expr);                                                                 \
        if (e_ != MP_OK) {                                                                    \
            print_message("fixture: %s: %s\n", #expr, mp_strerror(e_));                       \
            return -1;                                                                        \
        }                                                                                     \
    } while (0)

/* An object of a kind in its plainest state, and its end; a pipe is named by its end a
 * (end b is the next connection index). */
static mp_err_t bi_make(uint32_t kind, uint32_t *id)
{
    mp_err_t err;
    switch (kind) {
#define MAKE(type, call)                                                                      \
    do {                                                                                      \
        type h_;                                                                              \
        err = (call);                                                                         \
        *id = h_.id;                                                                          \
    } while (0)
    case MPI_KIND_PROCESS:
        MAKE(mp_process_t, mp_process_create(&h_, &(mp_process_attr_t){.target = bi_never_runs}));
        break;
    case MPI_KIND_LOCK: MAKE(mp_lock_t, mp_lock_create(&h_)); break;
    case MPI_KIND_RLOCK: MAKE(mp_rlock_t, mp_rlock_create(&h_)); break;
    case MPI_KIND_QUEUE:
        MAKE(mp_queue_t, mp_queue_create(&h_, &(mp_queue_attr_t){.msg_size = 8, .depth = 2}));
        break;
    case MPI_KIND_CONN: {
        mp_conn_t b;
        MAKE(mp_conn_t, mp_pipe_create(&h_, &b, NULL));
        break;
    }
    case MPI_KIND_VALUE: MAKE(mp_value_t, mp_value_create(&h_, MP_I32, NULL, false)); break;
    case MPI_KIND_ARRAY: MAKE(mp_array_t, mp_array_create(&h_, MP_I32, 4, NULL, false)); break;
    case MPI_KIND_SEMAPHORE: MAKE(mp_semaphore_t, mp_semaphore_create(&h_, 1, false)); break;
    case MPI_KIND_EVENT: MAKE(mp_event_t, mp_event_create(&h_)); break;
    case MPI_KIND_CONDITION: MAKE(mp_condition_t, mp_condition_create(&h_, NULL)); break;
    case MPI_KIND_BARRIER: MAKE(mp_barrier_t, mp_barrier_create(&h_, 2, NULL)); break;
    case MPI_KIND_POOL: MAKE(mp_pool_t, mp_pool_create(&h_, &(mp_pool_attr_t){.workers = 1})); break;
    case MPI_KIND_RESULT: /* on the live pool, made just before (kinds in order) */
        MAKE(mp_result_t, mp_pool_apply_async((mp_pool_t){fx.live[MPI_KIND_POOL]}, bi_task,
                                              NULL, 0, NULL, &h_));
        break;
    case MPI_KIND_DICT:
        MAKE(mp_dict_t, mp_dict_create(&h_, &(mp_dict_attr_t){.capacity = 2, .key_size = 8,
                                                               .value_size = 8}));
        break;
    case MPI_KIND_LIST:
        MAKE(mp_list_t, mp_list_create(&h_, &(mp_list_attr_t){.capacity = 2, .item_size = 8}));
        break;
    default: MAKE(mp_slab_t, mp_slab_create(&h_, 8, 2)); break;
#undef MAKE
    }
    return err;
}

static mp_err_t bi_unmake(uint32_t kind, uint32_t id)
{
    mp_err_t err;
    switch (kind) {
    case MPI_KIND_PROCESS: return mp_process_close((mp_process_t){id});
    case MPI_KIND_LOCK: return mp_lock_destroy((mp_lock_t){id});
    case MPI_KIND_RLOCK: return mp_rlock_destroy((mp_rlock_t){id});
    case MPI_KIND_QUEUE: return mp_queue_destroy((mp_queue_t){id});
    case MPI_KIND_CONN:
        err = mp_pipe_close((mp_conn_t){id});
        return err == MP_OK ? mp_pipe_close((mp_conn_t){id + 1u}) : err;
    case MPI_KIND_VALUE: return mp_value_destroy((mp_value_t){id});
    case MPI_KIND_ARRAY: return mp_array_destroy((mp_array_t){id});
    case MPI_KIND_SEMAPHORE: return mp_semaphore_destroy((mp_semaphore_t){id});
    case MPI_KIND_EVENT: return mp_event_destroy((mp_event_t){id});
    case MPI_KIND_CONDITION: return mp_condition_destroy((mp_condition_t){id});
    case MPI_KIND_BARRIER: return mp_barrier_destroy((mp_barrier_t){id});
    case MPI_KIND_POOL: /* its workers end by themselves: no SIGTERM, no wait for one */
        err = mp_pool_close((mp_pool_t){id});
        err = err == MP_OK ? mp_pool_join((mp_pool_t){id}, MP_FOREVER) : err;
        return err == MP_OK ? mp_pool_destroy((mp_pool_t){id}) : err;
    case MPI_KIND_RESULT: return mp_result_destroy((mp_result_t){id});
    case MPI_KIND_DICT: return mp_dict_destroy((mp_dict_t){id});
    case MPI_KIND_LIST: return mp_list_destroy((mp_list_t){id});
    default: return mp_slab_destroy((mp_slab_t){id});
    }
}

static mp_usage_t bi_baseline;

static int bi_fixture_up(void)
{
    BI_UP(mp_usage(&bi_baseline));
    BI_UP(mp_process_self(&fx.self));

    /* For each kind: S, destroyed at the end (its entry left free); R, destroyed before
     * the live object L is made, which takes R's entry (the lowest free one), so R's
     * handle names a live object of its own kind: only the generation tells them apart.
     * (Processes: the joined child made below takes S's slot as well.) */
    for (uint32_t k = MPI_KIND_PROCESS; k < BI_KINDS; k++) {
        uint32_t r;
        BI_UP(bi_make(k, &fx.stale[k]));
        BI_UP(bi_make(k, &r));
        BI_UP(bi_unmake(k, r));
        BI_UP(bi_make(k, &fx.live[k]));
        if ((fx.live[k] & MPI_INDEX_MASK) != (r & MPI_INDEX_MASK)) {
            print_message("fixture: the live %s did not reuse the entry\n", bi_kind_names[k]);
            return -1;
        }
        fx.reused[k] = r;
    }
    for (uint32_t k = MPI_KIND_PROCESS; k < BI_KINDS; k++)
        BI_UP(bi_unmake(k, fx.stale[k]));
    fx.unstarted.id = fx.live[MPI_KIND_PROCESS]; /* harmless if a broken check let a call through */

    /* The processes: one that ran and was joined (not closed), and the holder. */
    BI_UP(mp_process_create(&fx.joined, &(mp_process_attr_t){.target = bi_returns}));
    BI_UP(mp_process_start(fx.joined));
    BI_UP(mp_process_join(fx.joined, MP_FOREVER));
    BI_UP(mp_lock_create(&fx.gate));
    BI_UP(mp_lock_acquire(fx.gate, MP_NOWAIT));
    BI_UP(mp_lock_create(&fx.lock_busy));
    BI_UP(mp_rlock_create(&fx.rlock_busy));
    BI_UP(mp_value_create(&fx.value_busy, MP_I64, NULL, false));
    BI_UP(mp_array_create(&fx.array_busy, MP_I64, 2, NULL, false));
    BI_UP(mp_condition_create(&fx.cond_busy, NULL));
    BI_UP(mp_list_create(&fx.list_busy, &(mp_list_attr_t){.capacity = 2, .item_size = 8}));
    BI_UP(mp_list_extend(fx.list_busy, bi_in, 2, MP_NOWAIT));
    BI_UP(mp_process_create(&fx.holder, &(mp_process_attr_t){.target = bi_holder}));
    BI_UP(mp_process_start(fx.holder));
    const mpi_lock_t *gate = &mpi_world.locks[(fx.gate.id & MPI_INDEX_MASK) - 1u];
    while (!(atomic_load(&gate->word) & MPI_LOCK_WAITERS)) {
        bool alive = false;
        BI_UP(mp_process_is_alive(fx.holder, &alive));
        if (!alive) {
            print_message("fixture: the holder ended at step %d\n", fx.holder_status);
            return -1;
        }
        BI_UP(mp_process_yield());
    }
    /* The live pool: its jobs so far collected (its one worker ran them in order, the live
     * result's last), then that worker asleep in a task. */
    BI_UP(mp_result_wait((mp_result_t){fx.live[MPI_KIND_RESULT]}, MP_FOREVER));
    BI_UP(mp_lock_create(&fx.pool_gate));
    BI_UP(mp_lock_acquire(fx.pool_gate, MP_NOWAIT));
    BI_UP(bi_pool_sleep((mp_pool_t){fx.live[MPI_KIND_POOL]}, fx.pool_gate, &fx.pool_task));
    /* A wait records the deaths the caller has seen (task port): let it see the joined
     * child's now, not inside the first row that waits. */
    BI_UP(mp_process_yield());

    /* The entries called "never used" must be: nothing above reached the tables' ends. */
    for (uint32_t k = MPI_KIND_PROCESS; k < BI_KINDS; k++)
        if (bi_has_unused(k) && bi_entry_gen(k, bi_table_size(k) - 1u) != 1u) {
            print_message("fixture: the last %s entry was used\n", bi_kind_names[k]);
            return -1;
        }
    return 0;
}

/* Lets the holder go, ends every process and object the fixture made, and checks that
 * every table and the arena are back to where they were. */
static void bi_fixture_down(void)
{
    OK(mp_lock_release(fx.gate));
    assert_int_equal(0, reap(fx.holder)); /* reaping it frees the grandchild it never started */
    assert_int_equal(4, fx.holder_status);
    size_t len;
    OK(mp_lock_release(fx.pool_gate));
    OK(mp_result_get(fx.pool_task, NULL, 0, &len, MP_FOREVER)); /* the task returned 0 */
    OK(mp_result_destroy(fx.pool_task));
    OK(mp_lock_destroy(fx.pool_gate));
    OK(mp_list_destroy(fx.list_busy));
    OK(mp_process_close(fx.unstarted));
    OK(mp_process_close(fx.joined));
    OK(mp_lock_destroy(fx.gate));
    OK(mp_lock_destroy(fx.lock_busy));
    OK(mp_rlock_destroy(fx.rlock_busy));
    OK(mp_value_destroy(fx.value_busy));
    OK(mp_array_destroy(fx.array_busy));
    OK(mp_condition_destroy(fx.cond_busy));
    for (uint32_t k = MPI_KIND_LOCK; k < BI_KINDS; k++)
        OK(bi_unmake(k, fx.live[k]));
    mp_usage_t now;
    OK(mp_usage(&now));
    assert_memory_equal(&bi_baseline, &now, sizeof now);
    assert_int_equal(0, bi_children());
}

/* ---- a suite over the fixture ------------------------------------------------------- */

/* What a suite brings to its three tests: the calls that take its handles (ops), its rows,
 * and the objects in the states its rows need, made before the rows and freed after. */
typedef struct {
    const char *name;   /* the suite: "queue" runs as badinput_queue */
    const char *noun;   /* whose handles, in the verdicts: "queue", "value and array" */
    const bi_op_t *ops;
    size_t n_ops;
    const bi_row_t *rows;
    size_t n_rows;
    const bi_row_t *more_rows; /* NULL, or rows that only some builds have */
    size_t n_more_rows;
    void (*make_states)(void); /* NULL: the rows need nothing beyond the fixture */
    void (*free_states)(void);
} bi_suite_t;

#define BI_COUNT(array) (sizeof(array) / sizeof((array)[0]))

static const bi_suite_t *bi_suite;

static void test_every_call_refuses_every_bad_handle(void **state)
{
    (void)state;
    char what[64];
    bi_run_ops(bi_suite->ops, bi_suite->n_ops);
    snprintf(what, sizeof what, "%s handles", bi_suite->noun);
    bi_verdict(what);
}

static void test_every_bad_argument_and_wrong_state(void **state)
{
    (void)state;
    char what[64];
    if (bi_suite->make_states != NULL)
        bi_suite->make_states();
    bi_run(bi_suite->rows, bi_suite->n_rows);
    if (bi_suite->more_rows != NULL)
        bi_run(bi_suite->more_rows, bi_suite->n_more_rows);
    if (bi_suite->free_states != NULL)
        bi_suite->free_states();
    snprintf(what, sizeof what, "%s handles and arguments", bi_suite->noun);
    bi_verdict(what);
}

static void test_fixture_leaves_nothing(void **state)
{
    (void)state;
    bi_fixture_down();
    print_message("%s: %u bad-input checks\n", bi_suite->name, bi_rows);
}

static int bi_setup(void **state)
{
    (void)state;
    return mp_init() == MP_OK ? bi_fixture_up() : -1;
}

/* A suite's main: the fixture up, then its three tests in this order. */
static int bi_main(const bi_suite_t *suite)
{
    char group[32];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_call_refuses_every_bad_handle),
        cmocka_unit_test(test_every_bad_argument_and_wrong_state),
        cmocka_unit_test(test_fixture_leaves_nothing),
    };
    bi_suite = suite;
    snprintf(group, sizeof group, "badinput_%s", suite->name);
    return cmocka_run_group_tests_name(group, tests, bi_setup, NULL);
}

#endif
