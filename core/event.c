/*
 * Event: one word, no internal lock (CPython builds it on a Condition, so a process dying
 * inside set() can block everyone; here set is one exchange and a wake).
 *
 *   0 clear, nobody sleeps      1 set      2 clear, someone sleeps (set must wake)
 */
#include "event.h"

static const mpi_wait_word_t words[] = {
    {offsetof(mpi_event_t, flag), 1, 0, "Event #"},
};

static mp_err_t watch(uint32_t id, bool arm, bool *ready);
static bool ready_now(const void *obj);
static void describe(const void *obj, mpi_text_t *text);

const mpi_table_t mpi_event_table = {MPI_TABLE_STORE(events), .kind = MPI_KIND_EVENT,
                                     .watch = watch, .ready = ready_now,
                                     MPI_TABLE_DESCRIBE(describe),
                                     MPI_TABLE_WORDS(words)};

#define EVENT_CLEAR 0u
#define EVENT_SET 1u
#define EVENT_SLEEPING 2u

mp_err_t mp_event_create(mp_event_t *e)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    if (e == NULL)
        return MP_EINVAL;
    mpi_event_t *o;
    uint32_t index;
    err = mpi_obj_alloc(&mpi_event_table, (void **)&o, &index);
    if (err != MP_OK)
        return err;
    atomic_store(&o->flag, EVENT_CLEAR);
    e->id = mpi_obj_publish(&mpi_event_table, o, 0);
    return MP_OK;
}

/* Sets the flag and wakes whoever sleeps on it. */
static void set(mpi_event_t *o)
{
    if (mpi_exchange(&o->flag, EVENT_SET) == EVENT_SLEEPING)
        mpi_wake(&o->flag, UINT32_MAX);
}

mp_err_t mp_event_destroy(mp_event_t e)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_event_table, e.id);
    if (err != MP_OK)
        return err;
    if (mpi_retire(&c) != MP_OK)
        return mpi_leave(&c, MP_ESTALE);
    set(c.obj); /* the word its sleepers sleep on moves; they find it destroyed */
    return mpi_leave_retired(&c);
}

mp_err_t mp_event_set(mp_event_t e)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_event_table, e.id);
    if (err != MP_OK)
        return err;
    set(c.obj);
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_event_clear(mp_event_t e)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_event_table, e.id);
    if (err != MP_OK)
        return err;
    uint32_t was_set = EVENT_SET;
    mpi_cas(&((mpi_event_t *)c.obj)->flag, &was_set, EVENT_CLEAR);
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_event_is_set(mp_event_t e, bool *is_set)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_event_table, e.id);
    if (err != MP_OK)
        return err;
    if (is_set == NULL)
        return mpi_leave(&c, MP_EINVAL);
    *is_set = atomic_load(&((mpi_event_t *)c.obj)->flag) == EVENT_SET;
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_event_wait(mp_event_t e, mp_timeout_t timeout)
{
    if (mpi_isr_would_block(timeout))
        return MP_EISR;
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_event_table, e.id);
    if (err != MP_OK)
        return err;
    mpi_event_t *o = c.obj;
    mpi_until_t until = mpi_until(timeout);
    for (;;) {
        uint32_t f = mpi_load(&o->flag);
        if (f == EVENT_SET) /* destroy sets it too, to wake the sleepers */
            return mpi_leave(&c, mpi_retired(&c) ? MP_ESTALE : MP_OK);
        if (timeout == MP_NOWAIT)
            return mpi_leave(&c, MP_EAGAIN);
        if (f == EVENT_CLEAR && !atomic_compare_exchange_weak(&o->flag, &f, EVENT_SLEEPING))
            continue;
        err = mpi_wait(&c, &o->flag, EVENT_SLEEPING, mpi_until_deadline(&until));
        if (err == MP_ETIMEDOUT && atomic_load(&o->flag) == EVENT_SET)
            err = MP_OK;
        if (err != MP_OK)
            return mpi_leave(&c, err);
    }
}

/* mp_wait's look: ready now (a read of the entry, made without entering it, wait.c). */
static bool ready_now(const void *obj)
{
    const mpi_event_t *o = obj;
    return atomic_load(&o->flag) == EVENT_SET;
}

/* mp_wait: set. A waiter marks the flag as slept on, so that set wakes. */
static mp_err_t watch(uint32_t id, bool arm, bool *ready)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_event_table, id);
    if (err != MP_OK)
        return err;
    mpi_event_t *o = c.obj;
    uint32_t f = EVENT_CLEAR;
    if (arm) {
        mpi_watch_add(c.slot, &o->flag, NULL);
        atomic_compare_exchange_strong(&o->flag, &f, EVENT_SLEEPING);
    }
    *ready = ready_now(o);
    return mpi_leave(&c, MP_OK);
}

/* mp_dump: set or not. */
static void describe(const void *obj, mpi_text_t *text)
{
    const mpi_event_t *o = obj;
    mpi_text_add(text, atomic_load(&o->flag) == EVENT_SET ? "set" : "clear");
}
