/*
 * Pool: CPython's Pool without helper threads.
 *
 * The pool entry holds MP_CONF_POOL_QUEUE job slots. The owner (the creating process)
 * fills a FREE slot and publishes it QUEUED; a worker claims the oldest QUEUED slot with
 * one CAS (QUEUED -> RUNNING with its position in the state word), runs it, writes the
 * outcome into the slot and stores DONE. Everything else happens in the owner, during its
 * own calls into the pool (pump): DONE slots are delivered to their results (callbacks
 * run then) and freed; workers that ended are reaped, a job a dead worker had claimed is
 * failed with MP_EWORKER and its exit code, and the worker is replaced. The owner's waits
 * sleep on the pool's `done` word with mpi_wait, which returns within
 * MP_PORT_LIVENESS_NS on ports that notice deaths by looking (and at once on ports that
 * wake sleepers at every death), so a wait sees a worker's death within its deadline.
 *
 * Wake-ups cost a system call on POSIX (a microsecond or more, many on a VM), so they are
 * made only to someone asleep. Each worker publishes whether it is busy, looking for work
 * (spinning: it will see a new job by itself) or asleep; a new job wakes a worker only
 * when none is looking, and a worker that claims a job while more are queued wakes the
 * next one (so a map's burst still spreads over every worker). Sleeper and waker each
 * store their side, then read the other's (sequentially consistent): either the sleeper
 * sees the new job or the waker sees the sleeper. The owner's sleep on `done` is the same
 * with one flag.
 *
 * A job a worker had not claimed when it died is still QUEUED: another worker runs it.
 * A claimed one is RUNNING under the dead worker's position until the owner has reaped
 * that worker, and only then is the position given to a replacement: so "RUNNING under a
 * reaped worker" means "the worker died in it".
 *
 * An owner that dies (killed, or ending without destroy) leaves its pools and results to
 * nobody: only it may destroy them. So whoever reaps it destroys them (forget_owner), as
 * its own destroy would; its workers, daemonic children, die with it.
 */
#include <string.h>

#include "pool.h"

static void forget_owner(uint32_t slot);
static void describe_pool(const void *obj, mpi_text_t *text);
static void describe_result(const void *obj, mpi_text_t *text);

static const mpi_wait_word_t words[] = {
    {offsetof(mpi_pool_t, bell), 1, 0, "work in Pool #"},
    {offsetof(mpi_pool_t, done), 1, 0, "a finished task in Pool #"},
};

const mpi_table_t mpi_pool_table = {MPI_TABLE_STORE(pools), .kind = MPI_KIND_POOL,
                                    .forget = forget_owner, MPI_TABLE_DESCRIBE(describe_pool),
                                    MPI_TABLE_WORDS(words)};
/* owned: a result is the owner's alone, so its destroy (once per apply) needs no fence */
const mpi_table_t mpi_result_table = {MPI_TABLE_STORE(results), .kind = MPI_KIND_RESULT,
                                      MPI_TABLE_DESCRIBE(describe_result), .owned = true};

enum { JOB_FREE = 0, JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_HELD };
enum { WORKER_BUSY = 0, WORKER_LOOKING, WORKER_ASLEEP };
enum { ITEM_OK = 0, ITEM_FAILED, ITEM_OVERSIZE };
enum { POOL_RUNNING = 0, POOL_CLOSED, POOL_TERMINATED, POOL_JOINED };
#define MPI_JOB_IMAP 1u

static uint32_t job_state(mpi_job_t *j)
{
    return atomic_load_explicit(&j->state, memory_order_acquire) & 0xffu;
}
static uint32_t job_worker(mpi_job_t *j)
{
    return atomic_load_explicit(&j->state, memory_order_acquire) >> 8;
}

/* ---- the worker ---------------------------------------------------------------------- */
/* A worker finds its pool and position by its own handle, which the owner stores in the
 * pool before it starts the worker (so a worker needs no argument: MP_CONF_ARG_SIZE may
 * be 0). MP_OK with c entered in the pool. */
static mp_err_t find_pool(mpi_call_t *c, uint32_t *position)
{
    mp_process_t me;
    if (mp_process_self(&me) != MP_OK)
        return MP_ESTALE;
    for (uint32_t i = 0; i < mpi_count(MP_CONF_MAX_POOLS); i++) {
        mpi_pool_t *o = mpi_obj_at(&mpi_pool_table, i);
        uint32_t tag = atomic_load(&o->hdr.tag);
        if (mpi_tag_kind(tag) != MPI_KIND_POOL || (tag & MPI_OBJ_RETIRED))
            continue;
        if (mpi_enter_at(c, &mpi_pool_table, i, mpi_tag_gen(tag)) != MP_OK)
            continue;
        for (uint32_t w = 0; w < o->nworkers && w < MP_CONF_POOL_WORKERS; w++) {
            if (o->workers[w] == me.id) {
                *position = w;
                return MP_OK;
            }
        }
        (void)mpi_leave(c, MP_OK);
    }
    return MP_ESTALE;
}

/* Where a job's results and status bytes start (pool.h: packed after the arguments). */
static uint8_t *job_result(mpi_job_t *j)
{
    return j->data + (((size_t)j->in_size * j->items + 7u) & ~(size_t)7u);
}

static uint8_t *job_status(mpi_job_t *j)
{
    return job_result(j) + (size_t)j->out_size * j->items;
}

static void run_job(mpi_job_t *j)
{
    _Alignas(8) uint8_t arg[MPI_POOL_ARG_ROOM];
    memcpy(arg, j->data, (size_t)j->in_size * j->items);
    uint8_t *result = job_result(j);
    j->failed = 0;
    bool failed = false;
    for (uint32_t i = 0; i < j->items; i++) {
        char msg[MP_CONF_POOL_MSG_LEN];
        msg[0] = '\0';
        bool apply = j->apply; /* a map's one item of that size is no apply */
        mp_pool_task_t t = {
            .arg = j->in_size ? arg + (size_t)i * j->in_size : NULL,
            .arg_size = j->in_size,
            .result = result + (size_t)i * j->out_size,
            .result_size = j->out_size,
            .result_len = apply ? 0 : j->out_size,
            .message = msg,
            .message_size = sizeof msg,
            .index = j->first + i,
        };
        int code = j->fn(&t);
        if (code != 0 && !failed) {
            failed = true;
            j->code = code;
            msg[sizeof msg - 1] = '\0';
            memcpy(j->message, msg, sizeof msg);
        }
        uint8_t status = code != 0                  ? ITEM_FAILED
                         : t.result_len > j->out_size ? ITEM_OVERSIZE
                                                      : ITEM_OK;
        job_status(j)[i] = status;
        j->failed |= status != ITEM_OK;
        if (i == 0)
            j->apply_len = (uint16_t)(t.result_len > j->out_size ? 0 : t.result_len);
    }
}

static bool any_job(mpi_pool_t *o, uint32_t state)
{
    for (uint32_t i = 0; i < MP_CONF_POOL_QUEUE; i++)
        if (job_state(&o->jobs[i]) == state)
            return true;
    return false;
}

/* After a job was queued (or, burst: a worker claimed one and more may wait): wakes one
 * sleeping worker unless one is looking already. */
static void wake_worker(mpi_pool_t *o, bool burst)
{
    bool asleep = false;
    for (uint32_t w = 0; w < o->nworkers && w < MP_CONF_POOL_WORKERS; w++) {
        uint32_t look = atomic_load(&o->looks[w]);
        if (look == WORKER_LOOKING)
            return;
        asleep |= look == WORKER_ASLEEP;
    }
    if (asleep && (!burst || any_job(o, JOB_QUEUED)))
        mp_port_wake(&o->bell, 1u); /* one job, one worker: the others sleep on */
}

static int worker_main(void *unused)
{
    (void)unused;
    mpi_call_t c;
    uint32_t position;
    if (find_pool(&c, &position) != MP_OK)
        return 0;
    mpi_pool_t *o = c.obj;
    if (o->init != NULL) {
        _Alignas(8) uint8_t initarg[MP_CONF_POOL_ARG_SIZE];
        memcpy(initarg, o->initarg, o->initarg_size);
        o->init(o->initarg_size ? initarg : NULL);
    }
    uint32_t tasks = 0;
    _Atomic uint32_t *look = &o->looks[position];
    atomic_store(look, WORKER_LOOKING);
    for (;;) {
        uint32_t bell = atomic_load(&o->bell);
        mpi_job_t *best = NULL;
        for (uint32_t i = 0; i < MP_CONF_POOL_QUEUE; i++) {
            mpi_job_t *j = &o->jobs[i];
            if (job_state(j) == JOB_QUEUED && (best == NULL || (int32_t)(j->seq - best->seq) < 0))
                best = j;
        }
        if (best != NULL) {
            uint32_t expect = JOB_QUEUED;
            if (!atomic_compare_exchange_strong(&best->state, &expect,
                                                position << 8 | JOB_RUNNING))
                continue;
            atomic_store(look, WORKER_BUSY);
            wake_worker(o, true); /* the rest of a burst: the next worker, if none looks */
            run_job(best);
            atomic_store_explicit(&best->state, position << 8 | JOB_DONE, memory_order_release);
            atomic_fetch_add(&o->done, 1u);
            if (atomic_load(&o->owner_asleep))
                mp_port_wake(&o->done, UINT32_MAX);
            /* back to looking: it scans next, so no order is needed (BUSY and ASLEEP are
             * stored in full: each is half of a store-then-load pair with the owner) */
            atomic_store_explicit(look, WORKER_LOOKING, memory_order_release);
            if (o->maxtasks != 0 && ++tasks >= o->maxtasks)
                break;
            continue;
        }
        if (atomic_load(&o->state) != POOL_RUNNING)
            break; /* closed and nothing queued (the owner starts workers again if it queues more) */
        if (mpi_spin_while(&o->bell, bell))
            continue; /* work came while spinning: no sleep, no wake-up to pay for */
        atomic_store(look, WORKER_ASLEEP);
        mp_err_t err = atomic_load(&o->bell) == bell ? mpi_wait(&c, &o->bell, bell, MP_TIME_NEVER)
                                                     : MP_OK;
        atomic_store(look, WORKER_LOOKING);
        if (err == MP_ESTALE)
            break;
    }
    atomic_store(look, WORKER_BUSY);
    (void)mpi_leave(&c, MP_OK);
    return 0;
}

/* ---- the owner's side ----------------------------------------------------------------- */
static mp_err_t start_worker(mpi_pool_t *o, uint32_t position)
{
    char name[MP_CONF_NAME_LEN];
    size_t n = mpi_strlcpy(name, "PoolWorker-", sizeof name);
    if (n < sizeof name)
        (void)mpi_utoa(name + n, sizeof name - n, o->started + 1u);
    mp_process_t p;
    mp_err_t err = mp_process_create(&p, &(mp_process_attr_t){.target = worker_main, .name = name,
                                                              .daemon = MP_DAEMON_YES});
    if (err != MP_OK)
        return err;
    o->workers[position] = p.id; /* before it runs: it finds its pool by it */
    err = mp_process_start(p);
    if (err != MP_OK) {
        o->workers[position] = 0;
        (void)mp_process_close(p);
        return err;
    }
    o->started++;
    return MP_OK;
}

static void fail_into(mpi_result_t *r, mp_err_t err, int code, const char *msg)
{
    r->err = err;
    r->code = code;
    mpi_strlcpy(r->message, msg, sizeof r->message);
}

/* Whether item i is the first of its job whose task failed (the one whose code and text
 * the job kept: the first failure of a map is the first of some job). */
static bool first_task_failure(mpi_job_t *j, uint32_t i)
{
    for (uint32_t m = 0; m < i; m++)
        if (job_status(j)[m] == ITEM_FAILED)
            return false;
    return true;
}

/* The outcome of item i of job j. */
static mp_err_t item_outcome(mpi_job_t *j, uint32_t i, int *code)
{
    *code = 0;
    if (j->died) {
        *code = j->exitcode;
        return j->died == 2 ? MP_ECLOSED : MP_EWORKER;
    }
    if (!j->failed)
        return MP_OK;
    uint8_t status = job_status(j)[i];
    if (status == ITEM_FAILED) {
        *code = first_task_failure(j, i) ? j->code : 0;
        return MP_ETASK;
    }
    return status == ITEM_OVERSIZE ? MP_EMSGSIZE : MP_OK;
}

static void free_result(mpi_result_t *r, uint32_t id)
{
    mpi_call_t c;
    if (mpi_enter_at(&c, &mpi_result_table, (id & MPI_INDEX_MASK) - 1u, mpi_id_gen(id)) !=
        MP_OK)
        return;
    (void)r;
    if (mpi_retire(&c) != MP_OK) {
        (void)mpi_leave(&c, MP_OK);
        return;
    }
    (void)mpi_leave_retired(&c);
}

static void result_finish(mpi_pool_t *o, mpi_result_t *r, uint32_t id)
{
    r->ready = 1;
    o->busy = 1;
    mp_result_t h = {id};
    if (r->err == MP_OK) {
        if (r->cb.callback != NULL) {
            if (r->is_map)
                r->cb.callback(h, r->out, r->n * r->out_size, r->cb.ctx);
            else
                r->cb.callback(h, r->result, r->len, r->cb.ctx);
        }
    } else if (r->cb.error_callback != NULL) {
        mp_pool_failure_t f = {.err = r->err, .code = r->code};
        mpi_strlcpy(f.message, r->message, sizeof f.message);
        r->cb.error_callback(h, &f, r->cb.ctx);
    }
    o->busy = 0;
    if (r->autofree)
        free_result(r, id);
}

/* The live result an id names (the owner's own entries), or NULL. */
static mpi_result_t *result_of(uint32_t id)
{
    uint32_t index = (id & MPI_INDEX_MASK) - 1u;
    if (mpi_id_kind(id) != MPI_KIND_RESULT || index >= mpi_count(MP_CONF_MAX_RESULTS))
        return NULL;
    mpi_result_t *r = mpi_obj_at(&mpi_result_table, index);
    uint32_t tag = atomic_load(&r->hdr.tag);
    if (mpi_tag_gen(tag) != mpi_id_gen(id) || mpi_tag_kind(tag) != MPI_KIND_RESULT ||
        (tag & MPI_OBJ_RETIRED))
        return NULL;
    return r;
}

static void deliver(mpi_pool_t *o, mpi_job_t *j)
{
    mpi_result_t *r = result_of(j->collector);
    uint32_t id = j->collector;
    if (r == NULL || r->ready) {
        atomic_store(&j->state, JOB_FREE);
        return;
    }
    if (!r->is_map) {
        int code;
        mp_err_t err = item_outcome(j, 0, &code);
        if (err == MP_OK) {
            r->len = j->apply_len;
            memcpy(r->result, job_result(j), j->apply_len);
        }
        fail_into(r, err, code, err == MP_ETASK ? j->message : "");
        atomic_store(&j->state, JOB_FREE);
        result_finish(o, r, id);
        return;
    }
    for (uint32_t i = 0; i < j->items; i++) {
        size_t k = j->first + i;
        int code;
        mp_err_t err = item_outcome(j, i, &code);
        if (err == MP_OK && r->out_size > 0)
            memcpy(r->out + k * r->out_size, job_result(j) + (size_t)i * j->out_size,
                   r->out_size);
        if (r->errs != NULL)
            r->errs[k] = err;
        if (err != MP_OK && k < r->failed_at) {
            r->failed_at = k;
            fail_into(r, err, code, err == MP_ETASK && first_task_failure(j, i) ? j->message : "");
        }
    }
    r->finished += j->items;
    atomic_store(&j->state, JOB_FREE);
    if (r->finished >= r->n)
        result_finish(o, r, id);
}

/* A free job slot, or NULL. */
static mpi_job_t *free_job(mpi_pool_t *o)
{
    for (uint32_t i = 0; i < MP_CONF_POOL_QUEUE; i++)
        if (job_state(&o->jobs[i]) == JOB_FREE)
            return &o->jobs[i];
    return NULL;
}

/* Workers for the positions that have none while there is work: always while running; once
 * closed, only for jobs still queued (the workers of a closed pool end when they find none). */
static void staff(mpi_pool_t *o)
{
    uint32_t st = atomic_load(&o->state);
    if (st == POOL_RUNNING || (st == POOL_CLOSED && any_job(o, JOB_QUEUED)))
        for (uint32_t w = 0; w < o->nworkers; w++)
            if (o->workers[w] == 0)
                (void)start_worker(o, w); /* table full: tried again next time */
}

static void queue_job(mpi_pool_t *o, mpi_job_t *j, mp_pool_fn fn, uint32_t collector,
                      const uint8_t *in, size_t first, size_t items, size_t in_size,
                      size_t out_size, bool apply)
{
    j->seq = o->seq++;
    j->collector = collector;
    j->first = (uint32_t)first;
    j->items = (uint16_t)items;
    j->in_size = (uint16_t)in_size;
    j->out_size = (uint16_t)out_size;
    j->apply_len = 0;
    j->apply = apply;
    j->died = 0;
    j->failed = 0;
    j->exitcode = 0;
    j->fn = fn;
    if (items * in_size > 0)
        memcpy(j->data, in, items * in_size);
    atomic_store_explicit(&j->state, JOB_QUEUED, memory_order_release);
    atomic_fetch_add(&o->bell, 1u);
    wake_worker(o, false);
    /* A closed pool's workers may all have ended before a map or imap fed this job: without
     * new ones nothing would run it and the owner would wait for ever. */
    staff(o);
}

/* Item i of an input array; in may be NULL when items have no bytes (no arithmetic on it). */
static const uint8_t *item_at(const uint8_t *in, size_t i, size_t size)
{
    return size > 0 ? in + i * size : NULL;
}

/* Items per chunk that fit one job. */
static size_t chunk_fit(size_t want, size_t in_size, size_t out_size)
{
    size_t k = want < MPI_POOL_CHUNK_MAX ? want : MPI_POOL_CHUNK_MAX;
    if (in_size > 0 && k * in_size > MPI_POOL_ARG_ROOM)
        k = MPI_POOL_ARG_ROOM / in_size;
    if (out_size > 0 && k * out_size > MPI_POOL_RESULT_ROOM)
        k = MPI_POOL_RESULT_ROOM / out_size;
    return k > 0 ? k : 1;
}

/* Feeds a map_async's next chunks into free slots. */
static void feed_map(mpi_pool_t *o, mpi_result_t *r, uint32_t id)
{
    while (r->submitted < r->n && atomic_load(&o->state) < POOL_TERMINATED) {
        mpi_job_t *j = free_job(o);
        if (j == NULL)
            return;
        size_t k = r->n - r->submitted < r->chunk ? r->n - r->submitted : r->chunk;
        queue_job(o, j, r->fn, id, item_at(r->in, r->submitted, r->in_size), r->submitted, k,
                  r->in_size, r->out_size, false);
        r->submitted += k;
    }
}

static void pump(mpi_pool_t *o, uint32_t pool_id)
{
    /* Workers that ended: fail what they held, reap, replace. */
    for (uint32_t w = 0; w < o->nworkers; w++) {
        mp_process_t p = {o->workers[w]};
        if (p.id == 0)
            continue;
        /* The life word is marked at any death (a kill included) and the slot is ours until
         * we reap it: a live worker costs one load, not a wait system call. */
        uint32_t index = (p.id & MPI_INDEX_MASK) - 1u;
        if (index < MP_CONF_MAX_PROCESSES && mpi_slot_alive(index))
            continue;
        bool alive = true;
        if (mp_process_is_alive(p, &alive) != MP_OK)
            alive = false;
        if (alive)
            continue;
        int code = -MP_SIGKILL;
        (void)mp_process_exitcode(p, &code);
        for (uint32_t i = 0; i < MP_CONF_POOL_QUEUE; i++) {
            mpi_job_t *j = &o->jobs[i];
            if (job_state(j) == JOB_RUNNING && job_worker(j) == w) {
                j->died = 1;
                j->exitcode = code;
                atomic_store(&j->state, w << 8 | JOB_DONE);
            }
        }
        (void)mp_process_close(p);
        o->workers[w] = 0;
        atomic_store(&o->looks[w], WORKER_BUSY); /* a dead one neither looks nor sleeps */
    }
    staff(o);
    /* Finished jobs to their results. */
    for (uint32_t i = 0; i < MP_CONF_POOL_QUEUE; i++) {
        mpi_job_t *j = &o->jobs[i];
        if (job_state(j) != JOB_DONE || j->collector == MPI_JOB_IMAP)
            continue;
        if (j->collector == 0)
            atomic_store(&j->state, JOB_FREE);
        else
            deliver(o, j);
    }
    /* map_async results that still have items to queue. */
    for (uint32_t i = 0; i < mpi_count(MP_CONF_MAX_RESULTS); i++) {
        mpi_result_t *r = mpi_obj_at(&mpi_result_table, i);
        uint32_t tag = atomic_load(&r->hdr.tag);
        if (mpi_tag_kind(tag) != MPI_KIND_RESULT || (tag & MPI_OBJ_RETIRED) || r->pool != pool_id ||
            !r->is_map || r->ready)
            continue;
        uint32_t id = mpi_handle_make(MPI_KIND_RESULT, mpi_tag_gen(tag), i);
        if (atomic_load(&o->state) >= POOL_TERMINATED) {
            /* terminated: what was never queued is discarded */
            for (size_t k = r->submitted; k < r->n; k++) {
                if (r->errs != NULL)
                    r->errs[k] = MP_ECLOSED;
                if (k < r->failed_at) {
                    r->failed_at = k;
                    fail_into(r, MP_ECLOSED, 0, "");
                }
            }
            r->finished += r->n - r->submitted;
            r->submitted = r->n;
            if (r->finished >= r->n)
                result_finish(o, r, id);
        } else {
            feed_map(o, r, id);
        }
    }
}

/* Enters the pool for its owner: every owner call's common checks after the arguments'. */
static mp_err_t owner_check(mpi_call_t *c)
{
    mpi_pool_t *o = c->obj;
    if (o->owner != c->self)
        return MP_ENOTCHILD;
    if (o->busy)
        return MP_EBUSY;
    return MP_OK;
}

static mp_err_t enter_pool(mpi_call_t *c, uint32_t id)
{
    if (mp_port_in_isr())
        return MP_EISR;
    return mpi_enter(c, &mpi_pool_table, id);
}

/* Waits (pumping) until done(arg) holds. */
static mp_err_t wait_for(mpi_call_t *pc, bool (*done)(void *arg), void *arg, mp_timeout_t timeout)
{
    mpi_pool_t *o = pc->obj;
    mpi_until_t until = mpi_until(timeout);
    for (;;) {
        uint32_t seen = atomic_load(&o->done);
        pump(o, pc->id);
        if (done(arg))
            return MP_OK;
        if (timeout == MP_NOWAIT)
            return MP_EAGAIN;
        if (mpi_spin_while(&o->done, seen))
            continue;
        atomic_store(&o->owner_asleep, 1u);
        mp_err_t err = atomic_load(&o->done) == seen
                           ? mpi_wait(pc, &o->done, seen, mpi_until_deadline(&until))
                           : MP_OK;
        atomic_store(&o->owner_asleep, 0u);
        if (err == MP_ETIMEDOUT) {
            pump(o, pc->id);
            return done(arg) ? MP_OK : MP_ETIMEDOUT;
        }
        if (err != MP_OK && err != MP_EAGAIN)
            return err;
    }
}

mp_err_t mp_pool_create(mp_pool_t *pool, const mp_pool_attr_t *attr)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    mp_pool_attr_t a = attr != NULL ? *attr : (mp_pool_attr_t){0};
    if (pool == NULL || a.workers > MP_CONF_POOL_WORKERS ||
        (a.initarg == NULL && a.initarg_size > 0))
        return MP_EINVAL;
    if (a.initarg_size > MP_CONF_POOL_ARG_SIZE)
        return MP_EMSGSIZE;
    mpi_proc_uses(&c, MPI_KIND_POOL); /* before the pool exists: a death from here is covered */
    mpi_pool_t *o;
    uint32_t index;
    err = mpi_obj_alloc(&mpi_pool_table, (void **)&o, &index);
    if (err != MP_OK)
        return err;
    memset((uint8_t *)o + sizeof o->hdr, 0, sizeof *o - sizeof o->hdr);
    o->owner = c.self;
    o->nworkers = a.workers ? a.workers : MP_CONF_POOL_WORKERS;
    o->maxtasks = a.maxtasksperchild;
    o->init = a.initializer;
    o->initarg_size = (uint32_t)a.initarg_size;
    if (a.initarg_size > 0)
        memcpy(o->initarg, a.initarg, a.initarg_size);
    uint32_t id = mpi_obj_publish(&mpi_pool_table, o, 0);
    for (uint32_t w = 0; w < o->nworkers; w++) {
        err = start_worker(o, w);
        if (err != MP_OK)
            break;
    }
    if (err != MP_OK) {
        /* none is left alive: kill the ones started, reap them, give the entry back */
        atomic_store(&o->state, POOL_TERMINATED);
        for (uint32_t w = 0; w < o->nworkers; w++) {
            mp_process_t p = {o->workers[w]};
            if (p.id == 0)
                continue;
            (void)mp_process_kill(p);
            (void)mp_process_join(p, MP_FOREVER);
            (void)mp_process_close(p);
        }
        mpi_call_t pc;
        if (mpi_enter(&pc, &mpi_pool_table, id) == MP_OK) {
            if (mpi_retire(&pc) == MP_OK)
                (void)mpi_leave_retired(&pc);
            else
                (void)mpi_leave(&pc, MP_OK);
        }
        return err;
    }
    pool->id = id;
    return MP_OK;
}

static mp_err_t new_result(const mpi_call_t *pc, mpi_result_t **out, uint32_t *id)
{
    mpi_result_t *r;
    uint32_t index;
    mp_err_t err = mpi_obj_alloc(&mpi_result_table, (void **)&r, &index);
    if (err != MP_OK)
        return err;
    memset((uint8_t *)r + sizeof r->hdr, 0, sizeof *r - sizeof r->hdr);
    r->pool = pc->id;
    r->owner = pc->self;
    r->failed_at = SIZE_MAX;
    *out = r;
    *id = mpi_obj_publish(&mpi_result_table, r, 0);
    return MP_OK;
}

mp_err_t mp_pool_apply_async(mp_pool_t pool, mp_pool_fn fn, const void *arg, size_t arg_size,
                             const mp_pool_callbacks_t *cb, mp_result_t *rh)
{
    mpi_call_t c;
    mp_err_t err = enter_pool(&c, pool.id);
    if (err != MP_OK)
        return err;
    if (fn == NULL || (arg == NULL && arg_size > 0))
        return mpi_leave(&c, MP_EINVAL);
    if (arg_size > MP_CONF_POOL_ARG_SIZE)
        return mpi_leave(&c, MP_EMSGSIZE);
    err = owner_check(&c);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    mpi_pool_t *o = c.obj;
    if (atomic_load(&o->state) != POOL_RUNNING)
        return mpi_leave(&c, MP_ECLOSED);
    pump(o, c.id);
    mpi_job_t *j = free_job(o);
    if (j == NULL)
        return mpi_leave(&c, MP_ENOSLOT);
    mpi_result_t *r;
    uint32_t id;
    err = new_result(&c, &r, &id);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    if (cb != NULL)
        r->cb = *cb;
    r->autofree = rh == NULL;
    queue_job(o, j, fn, id, arg, 0, 1, arg_size, MP_CONF_POOL_RESULT_SIZE, true);
    if (rh != NULL)
        rh->id = id;
    return mpi_leave(&c, MP_OK);
}

/* ---- results ------------------------------------------------------------------------ */
static bool result_ready(void *arg)
{
    return ((mpi_result_t *)arg)->ready != 0;
}

/* Enters a result and its pool (the pool only while it exists and the result is not
 * ready). *pool_entered tells which. */
static mp_err_t enter_result(mpi_call_t *c, mpi_call_t *pc, uint32_t id, bool *pool_entered)
{
    (void)pc;
    *pool_entered = false;
    if (mp_port_in_isr())
        return MP_EISR;
    mp_err_t err = mpi_enter(c, &mpi_result_table, id);
    if (err != MP_OK)
        return err;
    /* first, and nothing else read before it: the result table is `owned` (table.c) */
    const mpi_result_t *r = c->obj;
    return r->owner == c->self ? MP_OK : mpi_leave(c, MP_ENOTCHILD);
}

static mp_err_t result_owner_enter(mpi_call_t *c, mpi_call_t *pc, bool *pool_entered)
{
    mpi_result_t *r = c->obj;
    if (mpi_enter(pc, &mpi_pool_table, r->pool) != MP_OK) {
        /* the pool is gone: an unfinished result never will */
        if (!r->ready) {
            fail_into(r, MP_ECLOSED, 0, "");
            r->ready = 1;
        }
        return MP_OK;
    }
    *pool_entered = true;
    return owner_check(pc);
}

static mp_err_t leave_both(mpi_call_t *c, mpi_call_t *pc, bool pool_entered, mp_err_t err)
{
    if (pool_entered)
        (void)mpi_leave(pc, MP_OK);
    return mpi_leave(c, err);
}

mp_err_t mp_result_wait(mp_result_t rh, mp_timeout_t timeout)
{
    mpi_call_t c, pc;
    bool pe;
    mp_err_t err = enter_result(&c, &pc, rh.id, &pe);
    if (err != MP_OK)
        return err;
    err = result_owner_enter(&c, &pc, &pe);
    if (err == MP_OK && pe)
        err = wait_for(&pc, result_ready, c.obj, timeout);
    return leave_both(&c, &pc, pe, err);
}

mp_err_t mp_result_get(mp_result_t rh, void *buf, size_t size, size_t *len, mp_timeout_t timeout)
{
    mpi_call_t c, pc;
    bool pe;
    mp_err_t err = enter_result(&c, &pc, rh.id, &pe);
    if (err != MP_OK)
        return err;
    mpi_result_t *r = c.obj;
    if ((buf == NULL && size > 0) || (!r->is_map && len == NULL))
        return mpi_leave(&c, MP_EINVAL);
    err = result_owner_enter(&c, &pc, &pe);
    if (err == MP_OK && pe)
        err = wait_for(&pc, result_ready, r, timeout);
    if (err == MP_OK)
        err = r->err;
    if (err == MP_OK && !r->is_map) {
        *len = r->len;
        if (r->len > size)
            err = MP_ETOOSMALL;
        else if (r->len > 0)
            memcpy(buf, r->result, r->len);
    } else if (err == MP_OK && len != NULL) {
        *len = r->n * r->out_size;
    }
    return leave_both(&c, &pc, pe, err);
}

/* ready, successful and failure: one preamble (enter, the output, the owner, a pump),
 * then what each answers. A result not ready yet has no outcome (MP_ERUNNING), and a
 * successful one no failure record (MP_ENOENT). */
enum { QUERY_READY, QUERY_SUCCESSFUL, QUERY_FAILURE };

static mp_err_t query(mp_result_t rh, int what, void *out)
{
    mpi_call_t c, pc;
    bool pe;
    mp_err_t err = enter_result(&c, &pc, rh.id, &pe);
    if (err != MP_OK)
        return err;
    if (out == NULL)
        return mpi_leave(&c, MP_EINVAL);
    err = result_owner_enter(&c, &pc, &pe);
    if (err == MP_OK && pe)
        pump(pc.obj, pc.id);
    const mpi_result_t *r = c.obj;
    if (err == MP_OK && what != QUERY_READY && !r->ready)
        err = MP_ERUNNING;
    if (err == MP_OK && what == QUERY_FAILURE && r->err == MP_OK)
        err = MP_ENOENT;
    if (err == MP_OK && what == QUERY_READY)
        *(bool *)out = r->ready != 0;
    else if (err == MP_OK && what == QUERY_SUCCESSFUL)
        *(bool *)out = r->err == MP_OK;
    else if (err == MP_OK) {
        mp_pool_failure_t *f = out;
        f->err = r->err;
        f->code = r->code;
        mpi_strlcpy(f->message, r->message, sizeof f->message);
    }
    return leave_both(&c, &pc, pe, err);
}

mp_err_t mp_result_ready(mp_result_t rh, bool *ready)
{
    return query(rh, QUERY_READY, ready);
}

mp_err_t mp_result_successful(mp_result_t rh, bool *successful)
{
    return query(rh, QUERY_SUCCESSFUL, successful);
}

mp_err_t mp_result_failure(mp_result_t rh, mp_pool_failure_t *f)
{
    return query(rh, QUERY_FAILURE, f);
}

/* Drops a result's claim on its jobs (queued ones are withdrawn). */
static void drop_jobs(mpi_pool_t *o, uint32_t id)
{
    for (uint32_t i = 0; i < MP_CONF_POOL_QUEUE; i++) {
        mpi_job_t *j = &o->jobs[i];
        if (j->collector != id || job_state(j) == JOB_FREE)
            continue;
        uint32_t q = JOB_QUEUED;
        if (!atomic_compare_exchange_strong(&j->state, &q, JOB_FREE))
            j->collector = 0; /* running or done: freed when collected */
    }
}

mp_err_t mp_result_destroy(mp_result_t rh)
{
    mpi_call_t c, pc;
    bool pe;
    mp_err_t err = enter_result(&c, &pc, rh.id, &pe);
    if (err != MP_OK)
        return err;
    err = result_owner_enter(&c, &pc, &pe);
    if (err != MP_OK)
        return leave_both(&c, &pc, pe, err);
    if (pe)
        drop_jobs(pc.obj, rh.id);
    if (pe)
        (void)mpi_leave(&pc, MP_OK);
    if (mpi_retire(&c) != MP_OK)
        return mpi_leave(&c, MP_ESTALE);
    return mpi_leave_retired(&c);
}

mp_err_t mp_pool_apply(mp_pool_t pool, mp_pool_fn fn, const void *arg, size_t arg_size,
                       void *result, size_t result_size, size_t *result_len,
                       mp_pool_failure_t *failure, mp_timeout_t timeout)
{
    if (mp_port_in_isr())
        return MP_EISR;
    if (result_len == NULL || (result == NULL && result_size > 0)) {
        /* the handle is checked first */
        mpi_call_t c;
        mp_err_t err = enter_pool(&c, pool.id);
        return err != MP_OK ? err : mpi_leave(&c, MP_EINVAL);
    }
    mp_result_t r;
    mp_err_t err = mp_pool_apply_async(pool, fn, arg, arg_size, NULL, &r);
    if (err != MP_OK)
        return err;
    err = mp_result_get(r, result, result_size, result_len, timeout);
    if (failure != NULL && (err == MP_ETASK || err == MP_EWORKER || err == MP_EMSGSIZE))
        (void)mp_result_failure(r, failure);
    (void)mp_result_destroy(r);
    return err;
}

/* ---- map ---------------------------------------------------------------------------- */
static mp_err_t map_args(mp_pool_fn fn, const void *in, size_t n, size_t in_size, void *out,
                         size_t out_size)
{
    if (fn == NULL || (n > 0 && ((in == NULL && in_size > 0) || (out == NULL && out_size > 0))) ||
        n > UINT32_MAX / 2)
        return MP_EINVAL;
    if (in_size > MP_CONF_POOL_ARG_SIZE || out_size > MP_CONF_POOL_RESULT_SIZE)
        return MP_EMSGSIZE;
    return MP_OK;
}

static size_t default_chunk(const mpi_pool_t *o, size_t n)
{
    size_t per = 4u * o->nworkers;
    return (n + per - 1u) / per;
}

mp_err_t mp_pool_map_async(mp_pool_t pool, mp_pool_fn fn, const void *in, size_t n,
                           size_t in_size, void *out, size_t out_size, mp_err_t *errs,
                           size_t chunksize, const mp_pool_callbacks_t *cb, mp_result_t *rh)
{
    mpi_call_t c;
    mp_err_t err = enter_pool(&c, pool.id);
    if (err != MP_OK)
        return err;
    err = map_args(fn, in, n, in_size, out, out_size);
    if (err == MP_OK)
        err = owner_check(&c);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    mpi_pool_t *o = c.obj;
    if (atomic_load(&o->state) != POOL_RUNNING)
        return mpi_leave(&c, MP_ECLOSED);
    mpi_result_t *r;
    uint32_t id;
    err = new_result(&c, &r, &id);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    if (cb != NULL)
        r->cb = *cb;
    r->autofree = rh == NULL;
    r->is_map = 1;
    r->fn = fn;
    r->in = in;
    r->out = out;
    r->errs = errs;
    r->n = n;
    r->in_size = in_size;
    r->out_size = out_size;
    r->chunk = chunk_fit(chunksize ? chunksize : default_chunk(o, n), in_size, out_size);
    if (rh != NULL)
        rh->id = id;
    if (n == 0)
        result_finish(o, r, id);
    else
        pump(o, c.id);
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_pool_map(mp_pool_t pool, mp_pool_fn fn, const void *in, size_t n, size_t in_size,
                     void *out, size_t out_size, mp_err_t *errs, size_t chunksize,
                     mp_pool_failure_t *failure, mp_timeout_t timeout)
{
    if (mp_port_in_isr())
        return MP_EISR;
    mp_result_t r;
    mp_err_t err = mp_pool_map_async(pool, fn, in, n, in_size, out, out_size, errs, chunksize,
                                     NULL, &r);
    if (err != MP_OK)
        return err;
    size_t len;
    err = mp_result_get(r, NULL, 0, &len, timeout);
    if (failure != NULL && err != MP_OK && err != MP_ETIMEDOUT && err != MP_EAGAIN)
        (void)mp_result_failure(r, failure);
    (void)mp_result_destroy(r);
    return err;
}

/* ---- imap --------------------------------------------------------------------------- */
mp_err_t mp_pool_imap(mp_pool_t pool, mp_pool_imap_t *it, mp_pool_fn fn, const void *in,
                      size_t n, size_t in_size, size_t out_size, size_t chunksize, bool ordered)
{
    mpi_call_t c;
    mp_err_t err = enter_pool(&c, pool.id);
    if (err != MP_OK)
        return err;
    if (it == NULL)
        return mpi_leave(&c, MP_EINVAL);
    err = map_args(fn, in, n, in_size, it, out_size); /* out is given per item later */
    if (err == MP_OK)
        err = owner_check(&c);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    if (atomic_load(&((mpi_pool_t *)c.obj)->state) != POOL_RUNNING)
        return mpi_leave(&c, MP_ECLOSED);
    memset(it, 0, sizeof *it);
    it->pool = pool.id;
    it->fn = fn;
    it->in = in;
    it->n = n;
    it->in_size = in_size;
    it->out_size = out_size;
    it->chunk = chunk_fit(chunksize ? chunksize : 1u, in_size, out_size);
    it->ordered = ordered;
    return mpi_leave(&c, MP_OK);
}

typedef struct {
    mp_pool_imap_t *it;
    mpi_pool_t *o;
    uint32_t slot; /* found: the job slot */
} imap_look_t;

static bool imap_found(void *arg)
{
    imap_look_t *l = arg;
    mp_pool_imap_t *it = l->it;
    /* feed first */
    while (it->submitted < it->n && atomic_load(&l->o->state) < POOL_TERMINATED) {
        mpi_job_t *j = free_job(l->o);
        if (j == NULL)
            break;
        size_t k = it->n - it->submitted < it->chunk ? it->n - it->submitted : it->chunk;
        uint32_t s = (uint32_t)(j - l->o->jobs);
        queue_job(l->o, j, it->fn, MPI_JOB_IMAP, item_at(it->in, it->submitted, it->in_size),
                  it->submitted, k, it->in_size, it->out_size, false);
        it->jobs[s] = (uint32_t)it->submitted + 1u;
        it->taken[s] = 0;
        it->submitted += k;
    }
    for (uint32_t s = 0; s < MP_CONF_POOL_QUEUE; s++) {
        if (it->jobs[s] == 0)
            continue;
        mpi_job_t *j = &l->o->jobs[s];
        if (it->ordered && it->jobs[s] - 1u + it->taken[s] != it->yielded)
            continue;
        if (job_state(j) == JOB_DONE) {
            l->slot = s;
            return true;
        }
    }
    return false;
}

mp_err_t mp_pool_imap_next(mp_pool_imap_t *it, void *out, size_t *index,
                           mp_pool_failure_t *failure, mp_timeout_t timeout)
{
    if (mp_port_in_isr())
        return MP_EISR;
    if (it == NULL)
        return MP_EINVAL;
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_pool_table, it->pool);
    if (err != MP_OK)
        return err;
    if ((out == NULL && it->out_size > 0) || index == NULL)
        return mpi_leave(&c, MP_EINVAL);
    err = owner_check(&c);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    if (it->yielded >= it->n)
        return mpi_leave(&c, MP_EOF);
    mpi_pool_t *o = c.obj;
    imap_look_t l = {it, o, 0};
    if (atomic_load(&o->state) >= POOL_TERMINATED && !imap_found(&l)) {
        /* terminated: nothing more will come */
        *index = it->yielded++;
        return mpi_leave(&c, MP_ECLOSED);
    }
    err = wait_for(&c, imap_found, &l, timeout);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    mpi_job_t *j = &o->jobs[l.slot];
    uint32_t i = it->taken[l.slot];
    int code;
    err = item_outcome(j, i, &code);
    *index = j->first + i;
    if (err == MP_OK && it->out_size > 0)
        memcpy(out, job_result(j) + (size_t)i * j->out_size, it->out_size);
    if (err != MP_OK && failure != NULL) {
        failure->err = err;
        failure->code = code;
        mpi_strlcpy(failure->message, err == MP_ETASK && first_task_failure(j, i) ? j->message : "",
                    sizeof failure->message);
    }
    it->yielded++;
    if (++it->taken[l.slot] >= j->items) {
        it->jobs[l.slot] = 0;
        atomic_store(&j->state, JOB_FREE);
    }
    return mpi_leave(&c, err);
}

mp_err_t mp_pool_imap_abandon(mp_pool_imap_t *it)
{
    if (mp_port_in_isr())
        return MP_EISR;
    if (it == NULL)
        return MP_EINVAL;
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_pool_table, it->pool);
    if (err != MP_OK)
        return err;
    err = owner_check(&c);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    mpi_pool_t *o = c.obj;
    for (uint32_t s = 0; s < MP_CONF_POOL_QUEUE; s++) {
        if (it->jobs[s] == 0)
            continue;
        mpi_job_t *j = &o->jobs[s];
        uint32_t q = JOB_QUEUED;
        if (!atomic_compare_exchange_strong(&j->state, &q, JOB_FREE)) {
            if (job_state(j) == JOB_DONE)
                atomic_store(&j->state, JOB_FREE);
            else
                j->collector = 0;
        }
        it->jobs[s] = 0;
    }
    it->yielded = it->n;
    it->submitted = it->n;
    return mpi_leave(&c, MP_OK);
}

/* ---- close, terminate, join, destroy ------------------------------------------------- */
mp_err_t mp_pool_close(mp_pool_t pool)
{
    mpi_call_t c;
    mp_err_t err = enter_pool(&c, pool.id);
    if (err != MP_OK)
        return err;
    err = owner_check(&c);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    mpi_pool_t *o = c.obj;
    uint32_t running = POOL_RUNNING;
    atomic_compare_exchange_strong(&o->state, &running, POOL_CLOSED);
    atomic_fetch_add(&o->bell, 1u);
    mp_port_wake(&o->bell, UINT32_MAX);
    pump(o, c.id);
    return mpi_leave(&c, MP_OK);
}

/* Everyone asleep on the pool looks again (and finds it gone, after a retire). */
static void wake_all(mpi_pool_t *o)
{
    atomic_fetch_add(&o->bell, 1u);
    mp_port_wake(&o->bell, UINT32_MAX);
    atomic_fetch_add(&o->done, 1u);
    mp_port_wake(&o->done, UINT32_MAX);
}

static void terminate(mpi_pool_t *o, uint32_t id)
{
    if (atomic_load(&o->state) < POOL_TERMINATED)
        atomic_store(&o->state, POOL_TERMINATED);
    for (uint32_t i = 0; i < MP_CONF_POOL_QUEUE; i++) {
        mpi_job_t *j = &o->jobs[i];
        uint32_t q = JOB_QUEUED;
        if (atomic_compare_exchange_strong(&j->state, &q, JOB_HELD)) {
            /* withdrawn (the marker keeps it from looking FREE); only the owner reads it now */
            j->died = 2;
            atomic_store(&j->state, JOB_DONE);
        }
    }
    atomic_fetch_add(&o->bell, 1u);
    mp_port_wake(&o->bell, UINT32_MAX);
    for (uint32_t w = 0; w < o->nworkers; w++)
        if (o->workers[w] != 0)
            (void)mp_process_terminate((mp_process_t){o->workers[w]});
    mp_time_t deadline = mpi_deadline(MP_CONF_POOL_TERM_MS);
    for (uint32_t w = 0; w < o->nworkers; w++) {
        mp_process_t p = {o->workers[w]};
        if (p.id == 0)
            continue;
        mp_time_t now = mp_port_now();
        uint64_t left = deadline > now ? (deadline - now) / 1000000u : 0;
        if (mp_process_join(p, (mp_timeout_t)left) != MP_OK) {
            (void)mp_process_kill(p);
            (void)mp_process_join(p, MP_FOREVER); /* SIGKILL cannot be refused */
        }
    }
    pump(o, id); /* reaped: their jobs fail, results are delivered */
}

mp_err_t mp_pool_terminate(mp_pool_t pool)
{
    mpi_call_t c;
    mp_err_t err = enter_pool(&c, pool.id);
    if (err != MP_OK)
        return err;
    err = owner_check(&c);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    terminate(c.obj, c.id);
    return mpi_leave(&c, MP_OK);
}

static bool all_ended(void *arg)
{
    mpi_pool_t *o = arg;
    for (uint32_t w = 0; w < o->nworkers; w++)
        if (o->workers[w] != 0)
            return false;
    return !any_job(o, JOB_QUEUED) && !any_job(o, JOB_RUNNING);
}

mp_err_t mp_pool_join(mp_pool_t pool, mp_timeout_t timeout)
{
    mpi_call_t c;
    mp_err_t err = enter_pool(&c, pool.id);
    if (err != MP_OK)
        return err;
    err = owner_check(&c);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    mpi_pool_t *o = c.obj;
    if (atomic_load(&o->state) == POOL_RUNNING)
        return mpi_leave(&c, MP_EBUSY);
    err = wait_for(&c, all_ended, o, timeout);
    if (err == MP_OK)
        atomic_store(&o->state, POOL_JOINED);
    return mpi_leave(&c, err);
}

mp_err_t mp_pool_destroy(mp_pool_t pool)
{
    mpi_call_t c;
    mp_err_t err = enter_pool(&c, pool.id);
    if (err != MP_OK)
        return err;
    err = owner_check(&c);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    mpi_pool_t *o = c.obj;
    if (atomic_load(&o->state) != POOL_JOINED)
        terminate(o, c.id);
    /* results still waiting for this pool: never coming */
    for (uint32_t i = 0; i < mpi_count(MP_CONF_MAX_RESULTS); i++) {
        mpi_result_t *r = mpi_obj_at(&mpi_result_table, i);
        uint32_t tag = atomic_load(&r->hdr.tag);
        if (mpi_tag_kind(tag) != MPI_KIND_RESULT || (tag & MPI_OBJ_RETIRED) || r->pool != c.id ||
            r->ready)
            continue;
        fail_into(r, MP_ECLOSED, 0, "");
        result_finish(o, r, mpi_handle_make(MPI_KIND_RESULT, mpi_tag_gen(tag), i));
    }
    if (mpi_retire(&c) != MP_OK)
        return mpi_leave(&c, MP_ESTALE);
    wake_all(o);
    return mpi_leave_retired(&c);
}

/* A dead owner's pools and results (the table's forget: its reaper runs this). A worker
 * still alive finds its pool retired (MP_ESTALE from its wait) and leaves; the entry is
 * freed once none is inside. */
static void forget_owner(uint32_t slot)
{
    mpi_token_t dead = mpi_token_of(slot);
    for (uint32_t i = 0; i < mpi_count(MP_CONF_MAX_POOLS); i++) {
        mpi_pool_t *o = mpi_obj_at(&mpi_pool_table, i);
        uint32_t tag = atomic_load(&o->hdr.tag);
        mpi_call_t c;
        if (mpi_tag_kind(tag) != MPI_KIND_POOL || (tag & MPI_OBJ_RETIRED) || o->owner != dead ||
            mpi_enter_at(&c, &mpi_pool_table, i, mpi_tag_gen(tag)) != MP_OK)
            continue;
        if (mpi_retire(&c) == MP_OK) {
            wake_all(o);
            (void)mpi_leave_retired(&c);
        } else {
            (void)mpi_leave(&c, MP_OK);
        }
    }
    for (uint32_t i = 0; i < mpi_count(MP_CONF_MAX_RESULTS); i++) {
        mpi_result_t *r = mpi_obj_at(&mpi_result_table, i);
        uint32_t tag = atomic_load(&r->hdr.tag);
        if (mpi_tag_kind(tag) == MPI_KIND_RESULT && !(tag & MPI_OBJ_RETIRED) && r->owner == dead)
            free_result(r, mpi_handle_make(MPI_KIND_RESULT, mpi_tag_gen(tag), i));
    }
}

mp_err_t mp_pool_workers(mp_pool_t pool, mp_process_t *out, size_t max, size_t *count)
{
    mpi_call_t c;
    mp_err_t err = enter_pool(&c, pool.id);
    if (err != MP_OK)
        return err;
    if (count == NULL || (out == NULL && max > 0))
        return mpi_leave(&c, MP_EINVAL);
    err = owner_check(&c);
    if (err != MP_OK)
        return mpi_leave(&c, err);
    mpi_pool_t *o = c.obj;
    pump(o, c.id);
    size_t n = 0;
    for (uint32_t w = 0; w < o->nworkers; w++) {
        if (o->workers[w] == 0)
            continue;
        if (n < max)
            out[n].id = o->workers[w];
        n++;
    }
    *count = n;
    return mpi_leave(&c, MP_OK);
}

/* mp_dump: its owner, workers and jobs. */
static void describe_pool(const void *obj, mpi_text_t *text)
{
    static const char *const states[] = {"running", "closed", "terminated", "joined"};
    const mpi_pool_t *o = obj;
    char name[MP_CONF_NAME_LEN];
    mpi_token_name(o->owner, name, sizeof name);
    uint32_t st = atomic_load(&o->state);
    mpi_text_add(text, st < 4 ? states[st] : "?");
    mpi_text_add(text, ", owner ");
    mpi_text_add(text, name);
    mpi_text_add(text, ", workers ");
    mpi_text_u(text, o->nworkers);
    uint32_t queued = 0, running = 0;
    for (uint32_t j = 0; j < MP_CONF_POOL_QUEUE; j++) {
        uint32_t js = atomic_load(&o->jobs[j].state) & 0xffu;
        queued += js == JOB_QUEUED;
        running += js == JOB_RUNNING;
    }
    mpi_text_add(text, ", jobs queued ");
    mpi_text_u(text, queued);
    mpi_text_add(text, ", running ");
    mpi_text_u(text, running);
}

static void describe_result(const void *obj, mpi_text_t *text)
{
    const mpi_result_t *o = obj;
    char name[MP_CONF_NAME_LEN];
    mpi_token_name(o->owner, name, sizeof name);
    mpi_text_add(text, o->ready ? "ready" : "pending");
    mpi_text_add(text, ", owner ");
    mpi_text_add(text, name);
}
