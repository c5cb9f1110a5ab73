/*
 * Bad input to Semaphore, Event, Condition and Barrier, on every port: each row one
 * call, its exact code, and nothing changed (tests/support/badinput.h). The holder (a
 * live child) holds fx.cond_busy's lock.
 *
 * Not here: a Barrier wait that times out (it breaks the barrier, by design: CPython's
 * rule), and a Condition wait by the lock's holder (it is a wait, not a refusal).
 */
#include "badinput_fixture.h"

/* ---- every call that takes one of them, with every bad handle ------------------------ */
static bool never(void *arg)
{
    (void)arg;
    return false;
}

#define SH ((mp_semaphore_t){bi_id})
#define EH ((mp_event_t){bi_id})
#define CH ((mp_condition_t){bi_id})
#define BH ((mp_barrier_t){bi_id})
static mp_err_t op_sdestroy(void) { return mp_semaphore_destroy(SH); }
static mp_err_t op_sacquire(void) { return mp_semaphore_acquire(SH, bi_timeout); }
static mp_err_t op_srelease(void) { return mp_semaphore_release(SH); }
static mp_err_t op_svalue(void) { return mp_semaphore_value(SH, &out.u32); }
static mp_err_t op_edestroy(void) { return mp_event_destroy(EH); }
static mp_err_t op_eset(void) { return mp_event_set(EH); }
static mp_err_t op_eclear(void) { return mp_event_clear(EH); }
static mp_err_t op_eis_set(void) { return mp_event_is_set(EH, &out.flag); }
static mp_err_t op_ewait(void) { return mp_event_wait(EH, bi_timeout); }
static mp_err_t op_cdestroy(void) { return mp_condition_destroy(CH); }
static mp_err_t op_cacquire(void) { return mp_condition_acquire(CH, bi_timeout); }
static mp_err_t op_crelease(void) { return mp_condition_release(CH); }
static mp_err_t op_cwait(void) { return mp_condition_wait(CH, bi_timeout); }
static mp_err_t op_cwait_for(void) { return mp_condition_wait_for(CH, never, NULL, bi_timeout); }
static mp_err_t op_cnotify(void) { return mp_condition_notify(CH, 1); }
static mp_err_t op_cnotify_all(void) { return mp_condition_notify_all(CH); }
static mp_err_t op_bdestroy(void) { return mp_barrier_destroy(BH); }
static mp_err_t op_bwait(void) { return mp_barrier_wait(BH, bi_timeout, &out.u32); }
static mp_err_t op_babort(void) { return mp_barrier_abort(BH); }
static mp_err_t op_breset(void) { return mp_barrier_reset(BH); }
static mp_err_t op_bparties(void) { return mp_barrier_parties(BH, &out.u32); }
static mp_err_t op_bwaiting(void) { return mp_barrier_n_waiting(BH, &out.u32); }
static mp_err_t op_bbroken(void) { return mp_barrier_broken(BH, &out.flag); }

static const bi_op_t ops[] = {
    {"mp_semaphore_destroy", MPI_KIND_SEMAPHORE, false, op_sdestroy},
    {"mp_semaphore_acquire", MPI_KIND_SEMAPHORE, true, op_sacquire},
    {"mp_semaphore_release", MPI_KIND_SEMAPHORE, false, op_srelease},
    {"mp_semaphore_value", MPI_KIND_SEMAPHORE, false, op_svalue},
    {"mp_event_destroy", MPI_KIND_EVENT, false, op_edestroy},
    {"mp_event_set", MPI_KIND_EVENT, false, op_eset},
    {"mp_event_clear", MPI_KIND_EVENT, false, op_eclear},
    {"mp_event_is_set", MPI_KIND_EVENT, false, op_eis_set},
    {"mp_event_wait", MPI_KIND_EVENT, true, op_ewait},
    {"mp_condition_destroy", MPI_KIND_CONDITION, false, op_cdestroy},
    {"mp_condition_acquire", MPI_KIND_CONDITION, true, op_cacquire},
    {"mp_condition_release", MPI_KIND_CONDITION, false, op_crelease},
    {"mp_condition_wait", MPI_KIND_CONDITION, true, op_cwait},
    {"mp_condition_wait_for", MPI_KIND_CONDITION, true, op_cwait_for},
    {"mp_condition_notify", MPI_KIND_CONDITION, false, op_cnotify},
    {"mp_condition_notify_all", MPI_KIND_CONDITION, false, op_cnotify_all},
    {"mp_barrier_destroy", MPI_KIND_BARRIER, false, op_bdestroy},
    {"mp_barrier_wait", MPI_KIND_BARRIER, true, op_bwait},
    {"mp_barrier_abort", MPI_KIND_BARRIER, false, op_babort},
    {"mp_barrier_reset", MPI_KIND_BARRIER, false, op_breset},
    {"mp_barrier_parties", MPI_KIND_BARRIER, false, op_bparties},
    {"mp_barrier_n_waiting", MPI_KIND_BARRIER, false, op_bwaiting},
    {"mp_barrier_broken", MPI_KIND_BARRIER, false, op_bbroken},
};

/* ---- objects in the states the rows need ----------------------------------------------- */
static struct {
    mp_semaphore_t zero;    /* value 0 */
    mp_semaphore_t at_bound; /* bounded, value 2 = its initial value */
    mp_semaphore_t at_max;  /* unbounded, value UINT32_MAX */
    mp_event_t clear;
    mp_condition_t cond;    /* its own RLock, free */
    mp_condition_t cond_lock; /* a Lock of its own, free */
    mp_lock_t lock;
    mp_barrier_t broken;
    mp_wait_item_t many[MP_CONF_WAIT_OBJECTS + 1];
    size_t n;
} st;

/* Two items, by id. */
#define WAIT_ON(a, b) ((mp_wait_item_t[]){{.id = (a)}, {.id = (b)}})

static void undo_semaphore(void) { (void)mp_semaphore_destroy(out.made.semaphore); }
static void undo_event(void) { (void)mp_event_destroy(out.made.event); }
static void undo_condition(void) { (void)mp_condition_destroy(out.made.condition); }
static void undo_barrier(void) { (void)mp_barrier_destroy(out.made.barrier); }

/* A Condition attribute naming a lock of the given kind by handle id. */
#define WITH_LOCK(id) (&(mp_condition_attr_t){.kind = MP_CONDITION_LOCK, .lock = {(id)}})
#define WITH_RLOCK(id) (&(mp_condition_attr_t){.kind = MP_CONDITION_RLOCK, .rlock = {(id)}})

/* The attribute's kind is an enum with no negative member: unsigned with GCC on every
 * port (one byte on the M3, where enums are short), so -1 is a large kind. */
#define SYNC_ROWS(X)                                                                          \
    /* Semaphore */                                                                           \
    X(s1, MP_EINVAL, 0, undo_semaphore, mp_semaphore_create(NULL, 1, false))                  \
    X(s2, MP_EINVAL, 0, undo_semaphore, mp_semaphore_create(NULL, UINT32_MAX, true))          \
    X(s3, MP_EAGAIN, 0, NULL, mp_semaphore_acquire(st.zero, MP_NOWAIT))                       \
    X(s4, MP_ETIMEDOUT, BI_WAITS, NULL, mp_semaphore_acquire(st.zero, 1))                     \
    X(s5, MP_EOVERFLOW, 0, NULL, mp_semaphore_release(st.at_bound))                           \
    X(s6, MP_EOVERFLOW, 0, NULL, mp_semaphore_release(st.at_max))                             \
    X(s7, MP_EINVAL, 0, NULL, mp_semaphore_value(st.zero, NULL))                              \
    /* Event */                                                                               \
    X(e1, MP_EINVAL, 0, undo_event, mp_event_create(NULL))                                    \
    X(e2, MP_EINVAL, 0, NULL, mp_event_is_set(st.clear, NULL))                                \
    X(e3, MP_EAGAIN, 0, NULL, mp_event_wait(st.clear, MP_NOWAIT))                          \
    X(e4, MP_ETIMEDOUT, BI_WAITS | BI_EVENT_SLEEPING, NULL, mp_event_wait(st.clear, 1))       \
    /* Condition: create */                                                                   \
    X(c1, MP_EINVAL, 0, undo_condition, mp_condition_create(NULL, NULL))                      \
    X(c2, MP_EINVAL, 0, undo_condition, mp_condition_create(&out.made.condition, &(mp_condition_attr_t){.kind = 3})) \
    X(c3, MP_EINVAL, 0, undo_condition, mp_condition_create(&out.made.condition, &(mp_condition_attr_t){.kind = -1})) \
    X(c4, MP_EHANDLE, 0, undo_condition, mp_condition_create(&out.made.condition, WITH_LOCK(0))) \
    X(c5, MP_EHANDLE, 0, undo_condition, mp_condition_create(&out.made.condition, WITH_LOCK(UINT32_MAX))) \
    X(c6, MP_ESTALE, 0, undo_condition, mp_condition_create(&out.made.condition, WITH_LOCK(fx.stale[MPI_KIND_LOCK]))) \
    X(c7, MP_EHANDLE, 0, undo_condition, mp_condition_create(&out.made.condition, WITH_LOCK(fx.live[MPI_KIND_RLOCK]))) \
    X(c8, MP_EHANDLE, 0, undo_condition, mp_condition_create(&out.made.condition, WITH_LOCK(fx.live[MPI_KIND_QUEUE]))) \
    X(c9, MP_EHANDLE, 0, undo_condition, mp_condition_create(&out.made.condition, WITH_RLOCK(0))) \
    X(c10, MP_ESTALE, 0, undo_condition, mp_condition_create(&out.made.condition, WITH_RLOCK(fx.stale[MPI_KIND_RLOCK]))) \
    X(c11, MP_EHANDLE, 0, undo_condition, mp_condition_create(&out.made.condition, WITH_RLOCK(fx.live[MPI_KIND_LOCK]))) \
    X(c12, MP_EHANDLE, 0, undo_condition, mp_condition_create(&out.made.condition, WITH_RLOCK(fx.live[MPI_KIND_CONDITION]))) \
    /* Condition: wait and notify need the lock; refused before any wait */                  \
    X(w1, MP_EPERM, 0, NULL, mp_condition_wait(st.cond, MP_NOWAIT))                           \
    X(w2, MP_EPERM, 0, NULL, mp_condition_wait(st.cond, 1))                                   \
    X(w3, MP_EPERM, 0, NULL, mp_condition_wait(st.cond, (mp_timeout_t)-5))                    \
    X(w4, MP_EPERM, 0, NULL, mp_condition_wait(st.cond, MP_FOREVER))                          \
    X(w5, MP_EPERM, 0, NULL, mp_condition_wait(st.cond_lock, MP_FOREVER))                     \
    X(w6, MP_EPERM, 0, NULL, mp_condition_wait(fx.cond_busy, MP_FOREVER))                     \
    X(w7, MP_EINVAL, 0, NULL, mp_condition_wait_for(st.cond, NULL, NULL, MP_FOREVER))         \
    X(w8, MP_EPERM, 0, NULL, mp_condition_wait_for(st.cond, never, NULL, MP_FOREVER))         \
    X(w9, MP_EPERM, 0, NULL, mp_condition_wait_for(fx.cond_busy, never, NULL, 7))             \
    X(n1, MP_EPERM, 0, NULL, mp_condition_notify(st.cond, 1))                                 \
    X(n2, MP_EPERM, 0, NULL, mp_condition_notify(st.cond, 0))                                 \
    X(n3, MP_EPERM, 0, NULL, mp_condition_notify(st.cond_lock, UINT32_MAX))                   \
    X(n4, MP_EPERM, 0, NULL, mp_condition_notify_all(st.cond))                                \
    X(n5, MP_EPERM, 0, NULL, mp_condition_notify_all(fx.cond_busy))                           \
    /* Condition: its lock's own rules */                                                     \
    X(l1, MP_EPERM, 0, NULL, mp_condition_release(st.cond))                                   \
    X(l2, MP_EPERM, 0, NULL, mp_condition_release(fx.cond_busy))                              \
    X(l3, MP_ENOTLOCKED, 0, NULL, mp_condition_release(st.cond_lock))                         \
    X(l4, MP_EAGAIN, 0, NULL, mp_condition_acquire(fx.cond_busy, MP_NOWAIT))                  \
    X(l5, MP_ETIMEDOUT, BI_WAITS | BI_LOCK_WAITERS, NULL, mp_condition_acquire(fx.cond_busy, 1)) \
    X(l6, MP_EBUSY, 0, NULL, mp_condition_destroy(fx.cond_busy))                              \
    /* Barrier */                                                                             \
    X(b1, MP_EINVAL, 0, undo_barrier, mp_barrier_create(NULL, 2, NULL))                       \
    X(b2, MP_EINVAL, 0, undo_barrier, mp_barrier_create(&out.made.barrier, 0, NULL))          \
    X(b3, MP_EINVAL, 0, undo_barrier, mp_barrier_create(&out.made.barrier, MP_CONF_MAX_PROCESSES + 1, NULL)) \
    X(b3t, MP_EINVAL, 0, undo_barrier,                                                        \
      mp_barrier_create_timeout(&out.made.barrier, 2, NULL, MP_BARRIER_DEFAULT))              \
    X(b4, MP_EINVAL, 0, undo_barrier, mp_barrier_create(&out.made.barrier, UINT32_MAX, NULL)) \
    X(b5, MP_EBROKEN, 0, NULL, mp_barrier_wait(st.broken, MP_NOWAIT, &out.u32))               \
    X(b6, MP_EBROKEN, 0, NULL, mp_barrier_wait(st.broken, MP_FOREVER, &out.u32))              \
    X(b7, MP_EBROKEN, 0, NULL, mp_barrier_wait(st.broken, (mp_timeout_t)-5, NULL))            \
    X(b8, MP_EINVAL, 0, NULL, mp_barrier_parties(st.broken, NULL))                            \
    X(b9, MP_EINVAL, 0, NULL, mp_barrier_n_waiting(st.broken, NULL))                          \
    X(b10, MP_EINVAL, 0, NULL, mp_barrier_broken(st.broken, NULL))                          \
    /* mp_wait: *count names the refused item (documented), so it is not in `out` */         \
    X(m1, MP_EINVAL, 0, NULL, mp_wait(NULL, 1, MP_NOWAIT, &out.len))                          \
    X(m2, MP_EINVAL, 0, NULL, mp_wait(WAIT_ON(st.zero.id, st.clear.id), 2, MP_NOWAIT, NULL))  \
    X(m3, MP_EINVAL, 0, NULL, mp_wait(WAIT_ON(st.zero.id, st.clear.id), 0, MP_FOREVER, &out.len)) \
    X(m4, MP_EINVAL, 0, NULL, mp_wait(st.many, MP_CONF_WAIT_OBJECTS + 1, MP_FOREVER, &out.len)) \
    X(m5, MP_EAGAIN, 0, NULL, mp_wait(WAIT_ON(st.zero.id, st.clear.id), 2, MP_NOWAIT, &st.n)) \
    X(m6, MP_ETIMEDOUT, BI_WAITS | BI_EVENT_SLEEPING, NULL,                                   \
      mp_wait(WAIT_ON(st.zero.id, st.clear.id), 2, 1, &st.n))                                 \
    X(m7, MP_EHANDLE, 0, NULL, mp_wait(WAIT_ON(st.clear.id, st.lock.id), 2, MP_FOREVER, &st.n)) \
    X(m8, MP_ESTALE, 0, NULL,                                                                 \
      mp_wait(WAIT_ON(st.clear.id, fx.stale[MPI_KIND_EVENT]), 2, MP_FOREVER, &st.n))          \
    X(m9, MP_EHANDLE, 0, NULL, mp_wait(WAIT_ON(st.zero.id, 0), 2, MP_FOREVER, &st.n))         \
    X(m10, MP_EHANDLE, 0, NULL, mp_wait(WAIT_ON(st.zero.id, UINT32_MAX), 2, MP_FOREVER, &st.n))

SYNC_ROWS(BI_FN)
static const bi_row_t rows[] = {SYNC_ROWS(BI_ENTRY)};

static void make_states(void)
{
    OK(mp_semaphore_create(&st.zero, 0, false));
    OK(mp_semaphore_create(&st.at_bound, 2, true));
    OK(mp_semaphore_create(&st.at_max, UINT32_MAX, false));
    OK(mp_event_create(&st.clear));
    OK(mp_condition_create(&st.cond, NULL));
    OK(mp_lock_create(&st.lock));
    OK(mp_condition_create(&st.cond_lock, &(mp_condition_attr_t){.kind = MP_CONDITION_LOCK,
                                                                 .lock = st.lock}));
    OK(mp_barrier_create(&st.broken, 2, NULL));
    OK(mp_barrier_abort(st.broken));
}

static void free_states(void)
{
    OK(mp_semaphore_destroy(st.zero));
    OK(mp_semaphore_destroy(st.at_bound));
    OK(mp_semaphore_destroy(st.at_max));
    OK(mp_event_destroy(st.clear));
    OK(mp_condition_destroy(st.cond));
    OK(mp_condition_destroy(st.cond_lock));
    OK(mp_lock_destroy(st.lock));
    OK(mp_barrier_destroy(st.broken));
}

int main(void)
{
    return bi_main(&(bi_suite_t){.name = "sync", .noun = "sync",
                                 .ops = ops, .n_ops = BI_COUNT(ops),
                                 .rows = rows, .n_rows = BI_COUNT(rows),
                                 .make_states = make_states, .free_states = free_states});
}
