/*
 * Semaphore and BoundedSemaphore: one atomic count, no internal lock, so no process can
 * die holding anything that would block the others (there is no owner to recover
 * from, exactly as in CPython: a process that dies between acquire and release simply
 * never gives its unit back).
 */
#include "semaphore.h"

static const mpi_wait_word_t words[] = {
    {offsetof(mpi_semaphore_t, count), 1, 0, "Semaphore #"},
};

static mp_err_t watch(uint32_t id, bool arm, bool *ready);
static bool ready_now(const void *obj);
static void describe(const void *obj, mpi_text_t *text);

const mpi_table_t mpi_semaphore_table = {MPI_TABLE_STORE(semaphores),
                                         .kind = MPI_KIND_SEMAPHORE, .watch = watch,
                                         .ready = ready_now, MPI_TABLE_DESCRIBE(describe),
                                         MPI_TABLE_WORDS(words)};

mp_err_t mp_semaphore_create(mp_semaphore_t *s, uint32_t value, bool bounded)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    if (s == NULL)
        return MP_EINVAL;
    mpi_semaphore_t *o;
    uint32_t index;
    err = mpi_obj_alloc(&mpi_semaphore_table, (void **)&o, &index);
    if (err != MP_OK)
        return err;
    atomic_store(&o->count, value);
    mpi_slots_clear(&o->sleepers);
    o->bound = bounded ? value : UINT32_MAX;
    s->id = mpi_obj_publish(&mpi_semaphore_table, o, bounded ? MPI_SEMAPHORE_BOUNDED : 0u);
    return MP_OK;
}

mp_err_t mp_semaphore_destroy(mp_semaphore_t s)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_semaphore_table, s.id);
    if (err != MP_OK)
        return err;
    if (mpi_retire(&c) != MP_OK)
        return mpi_leave(&c, MP_ESTALE);
    mpi_semaphore_t *o = c.obj;
    atomic_fetch_add(&o->count, 1u); /* sleepers sleep while it is 0: make them look */
    mpi_wake(&o->count, UINT32_MAX);
    return mpi_leave_retired(&c);
}

mp_err_t mp_semaphore_acquire(mp_semaphore_t s, mp_timeout_t timeout)
{
    if (mpi_isr_would_block(timeout))
        return MP_EISR;
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_semaphore_table, s.id);
    if (err != MP_OK)
        return err;
    mpi_semaphore_t *o = c.obj;
    mpi_until_t until = mpi_until(timeout);
    for (;;) {
        uint32_t n = mpi_load(&o->count);
        if (n > 0) {
            /* the unit a destroy adds, to wake the sleepers, is no unit */
            if (mpi_cas_weak(&o->count, &n, n - 1u))
                return mpi_leave(&c, mpi_retired(&c) ? MP_ESTALE : MP_OK);
            continue;
        }
        if (timeout == MP_NOWAIT)
            return mpi_leave(&c, MP_EAGAIN);
        if (mpi_spin_while(&o->count, 0))
            continue;
        mpi_sleeper_add(&c, &o->sleepers); /* an atomic or: ordered before the look */
        err = atomic_load(&o->count) == 0 ? mpi_wait(&c, &o->count, 0, mpi_until_deadline(&until))
                                         : MP_OK;
        mpi_sleeper_remove(&c, &o->sleepers);
        if (err != MP_OK)
            return mpi_leave(&c, err);
    }
}

mp_err_t mp_semaphore_release(mp_semaphore_t s)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_semaphore_table, s.id);
    if (err != MP_OK)
        return err;
    mpi_semaphore_t *o = c.obj;
    uint32_t n = mpi_load(&o->count);
    do {
        if (n >= o->bound)
            return mpi_leave(&c, MP_EOVERFLOW);
    } while (!mpi_cas_weak(&o->count, &n, n + 1u));
    if (mpi_slots_any(&o->sleepers))
        mpi_wake(&o->count, 1);
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_semaphore_value(mp_semaphore_t s, uint32_t *value)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_semaphore_table, s.id);
    if (err != MP_OK)
        return err;
    if (value == NULL)
        return mpi_leave(&c, MP_EINVAL);
    *value = atomic_load(&((mpi_semaphore_t *)c.obj)->count);
    return mpi_leave(&c, MP_OK);
}

/* mp_wait's look: ready now (a read of the entry, made without entering it, wait.c). */
static bool ready_now(const void *obj)
{
    const mpi_semaphore_t *o = obj;
    return atomic_load(&o->count) > 0;
}

/* mp_wait: an acquire would not block. A waiter joins the sleepers, so release wakes. */
static mp_err_t watch(uint32_t id, bool arm, bool *ready)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_semaphore_table, id);
    if (err != MP_OK)
        return err;
    mpi_semaphore_t *o = c.obj;
    if (arm)
        mpi_watch_add(c.slot, &o->count, &o->sleepers);
    *ready = ready_now(o);
    return mpi_leave(&c, MP_OK);
}

/* mp_dump: its value, and a BoundedSemaphore's bound. */
static void describe(const void *obj, mpi_text_t *text)
{
    const mpi_semaphore_t *o = obj;
    mpi_text_add(text, "value ");
    mpi_text_u(text, atomic_load(&o->count));
    if (mpi_obj_flags(&o->hdr) & MPI_SEMAPHORE_BOUNDED) {
        mpi_text_add(text, " of at most ");
        mpi_text_u(text, o->bound);
    }
}
