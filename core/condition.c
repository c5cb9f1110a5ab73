/*
 * Condition: a lock plus, per process slot, "waiting since ticket N" and "notified".
 *
 * Every field is changed with the condition's lock held (wait registers before it lets
 * the lock go; notify requires the lock), so the bookkeeping needs no lock of its own;
 * the one exception is a waiter that gives up because it could not take the lock back
 * by its deadline, which withdraws its own ticket without it.
 * A waiter sleeps on its own signal word, so notify(n) wakes exactly the n longest
 * waiting live processes and never waits for them (CPython's notify blocks until each
 * woken sleeper acknowledges, so a sleeper killed at the wrong moment hangs the notifier).
 * A waiter that died is skipped by notify and its entry is reused by the slot's next
 * process, whose token differs.
 *
 * Deadlines. wait(c, t) ends by its deadline even when another process holds the lock
 * then (CPython, like pthread_cond_timedwait, takes it back however long that takes):
 * MP_EUNLOCKED says the wait ended without the lock.
 */
#include "condition.h"

static void release_condition(void *obj, uint32_t flags);

static const mpi_wait_word_t words[] = {
    {offsetof(mpi_condition_t, signal), MP_CONF_MAX_PROCESSES, 0, "a notify of Condition #"},
};

const mpi_table_t mpi_condition_table = {MPI_TABLE_STORE(conditions),
                                         .kind = MPI_KIND_CONDITION,
                                         .release = release_condition, MPI_TABLE_WORDS(words)};

/* Its own lock goes with it; a lock it was given is no longer used by it. */
static void release_condition(void *obj, uint32_t flags)
{
    mpi_condition_t *o = obj;
    if (flags & MPI_CONDITION_OWN_LOCK)
        mpi_lock_destroy_owned(o->lock_id, MPI_KIND_RLOCK);
    else
        mpi_lock_unuse(o->lock_id, o->lock_kind);
}

static mpi_lock_t *lock_of(const mpi_condition_t *o)
{
    return mpi_lock_at(o->lock_id, o->lock_kind);
}

mp_err_t mp_condition_create(mp_condition_t *c, const mp_condition_attr_t *attr)
{
    mpi_call_t call;
    mp_err_t err = mpi_process_caller(&call);
    if (err != MP_OK)
        return err;
    if (c == NULL || (attr != NULL && attr->kind > MP_CONDITION_RLOCK))
        return MP_EINVAL;
    /* The entry first: a full table then costs nothing, not even a lock's generation. */
    mpi_condition_t *o;
    uint32_t index;
    err = mpi_obj_alloc(&mpi_condition_table, (void **)&o, &index);
    if (err != MP_OK)
        return err;
    uint32_t lock_id = 0, kind = MPI_KIND_RLOCK;
    bool own = attr == NULL || attr->kind == MP_CONDITION_OWN_RLOCK;
    if (own) {
        err = mpi_lock_create_owned(MPI_KIND_RLOCK, &lock_id);
    } else {
        kind = attr->kind == MP_CONDITION_LOCK ? MPI_KIND_LOCK : MPI_KIND_RLOCK;
        lock_id = attr->kind == MP_CONDITION_LOCK ? attr->lock.id : attr->rlock.id;
        err = mpi_lock_use(lock_id, kind); /* it cannot be destroyed while we use it */
    }
    if (err != MP_OK) {
        mpi_obj_unalloc(&mpi_condition_table, o);
        return err;
    }
    o->lock_kind = (uint8_t)kind;
    o->lock_id = lock_id;
    o->next_ticket = 0;
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++) {
        atomic_store(&o->ticket[i], 0);
        o->waiter[i] = 0;
        atomic_store(&o->signal[i], 0);
    }
    c->id = mpi_obj_publish(&mpi_condition_table, o, own ? MPI_CONDITION_OWN_LOCK : 0u);
    return MP_OK;
}

mp_err_t mp_condition_destroy(mp_condition_t c)
{
    mpi_call_t call;
    mp_err_t err = mpi_enter(&call, &mpi_condition_table, c.id);
    if (err != MP_OK)
        return err;
    mpi_condition_t *o = call.obj;
    mpi_lock_t *l = lock_of(o);
    uint32_t w = atomic_load(&l->word);
    /* Its lock would go with it (its own, or a Value's it is the last user of): not while
     * someone holds it, as for a plain lock's destroy. */
    bool lock_goes = (mpi_obj_flags(&o->hdr) & MPI_CONDITION_OWN_LOCK) ||
                     ((mpi_obj_flags(&l->hdr) & MPI_LOCK_OWNED) && atomic_load(&l->users) == 1u);
    if (lock_goes && w != 0 && mpi_token_alive(w & MPI_LOCK_OWNER))
        return mpi_leave(&call, MP_EBUSY);
    if (mpi_retire(&call) != MP_OK)
        return mpi_leave(&call, MP_ESTALE);
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++) {
        atomic_store(&o->signal[i], 1); /* each waiter's word moves: it finds the condition gone */
        mp_port_wake(&o->signal[i], UINT32_MAX);
    }
    mp_port_wake(&l->word, UINT32_MAX);
    return mpi_leave_retired(&call);
}

mp_err_t mp_condition_acquire(mp_condition_t c, mp_timeout_t timeout)
{
    if (mp_port_in_isr())
        return MP_EISR;
    mpi_call_t call;
    mp_err_t err = mpi_enter(&call, &mpi_condition_table, c.id);
    if (err != MP_OK)
        return err;
    mpi_until_t until = mpi_until(timeout);
    return mpi_leave(&call, mpi_lock_take(&call, lock_of(call.obj), &until));
}

mp_err_t mp_condition_release(mp_condition_t c)
{
    mpi_call_t call;
    mp_err_t err = mpi_enter(&call, &mpi_condition_table, c.id);
    if (err != MP_OK)
        return err;
    return mpi_leave(&call, mpi_lock_give(&call, lock_of(call.obj)));
}

/* Enters the condition, provided the caller holds its lock (MP_EPERM, left, otherwise). */
static mp_err_t enter_held(mpi_call_t *call, mp_condition_t c, bool args_ok)
{
    if (mp_port_in_isr())
        return MP_EISR;
    mp_err_t err = mpi_enter(call, &mpi_condition_table, c.id);
    if (err != MP_OK)
        return err;
    if (!args_ok) /* the arguments before the state, as every call */
        return mpi_leave(call, MP_EINVAL);
    if (!mpi_guard_mine(&lock_of(call->obj)->word, call->self))
        return mpi_leave(call, MP_EPERM);
    return MP_OK;
}

static void withdraw(mpi_condition_t *o, uint32_t slot)
{
    atomic_store(&o->ticket[slot], 0);
    o->waiter[slot] = 0;
    atomic_store(&o->signal[slot], 0);
}

/* One wait with the lock held on entry: MP_OK (notified) or MP_ETIMEDOUT with the lock
 * held again (MP_EOWNERDEAD: held, its last holder died); MP_EUNLOCKED or MP_ESTALE
 * without it. */
static mp_err_t wait_until(const mpi_call_t *call, mpi_condition_t *o, mpi_until_t *until)
{
    uint32_t slot = call->slot;
    mpi_lock_t *l = lock_of(o);
    if (++o->next_ticket == 0)
        o->next_ticket = 1;
    atomic_store(&o->ticket[slot], o->next_ticket);
    o->waiter[slot] = call->self;
    atomic_store(&o->signal[slot], 0);

    uint32_t depth = l->depth; /* every level of an RLock is let go, then restored */
    mpi_guard_give(&l->word);
    mp_err_t err = MP_OK;
    while (atomic_load(&o->signal[slot]) == 0 && err == MP_OK) {
        if (until->timeout == MP_NOWAIT)
            err = MP_ETIMEDOUT;
        else
            err = mpi_wait(call, &o->signal[slot], 0, mpi_until_deadline(until));
    }
    if (err == MP_ESTALE || mpi_retired(call))
        return MP_ESTALE; /* destroyed: its lock is not worth taking back */
    mp_err_t again = mpi_guard_take(call, &l->word, until);
    if (again != MP_OK && again != MP_EOWNERDEAD) {
        withdraw(o, slot);
        return again == MP_ESTALE ? MP_ESTALE : MP_EUNLOCKED;
    }
    l->depth = depth;
    bool notified = atomic_load(&o->signal[slot]) != 0;
    withdraw(o, slot);
    if (again == MP_EOWNERDEAD)
        return MP_EOWNERDEAD;
    return notified ? MP_OK : (err == MP_OK ? MP_ETIMEDOUT : err);
}

mp_err_t mp_condition_wait(mp_condition_t c, mp_timeout_t timeout)
{
    mpi_call_t call;
    mp_err_t err = enter_held(&call, c, true);
    if (err != MP_OK)
        return err;
    mpi_until_t until = mpi_until(timeout);
    return mpi_leave(&call, mpi_no_wait(timeout, wait_until(&call, call.obj, &until)));
}

mp_err_t mp_condition_wait_for(mp_condition_t c, bool (*pred)(void *arg), void *arg,
                               mp_timeout_t timeout)
{
    mpi_call_t call;
    mp_err_t err = enter_held(&call, c, pred != NULL);
    if (err != MP_OK)
        return err;
    err = MP_OK;
    mpi_until_t until = mpi_until(timeout);
    /* A take-back that found the last holder dead is told at the end, in place of MP_OK or
     * MP_ETIMEDOUT (the lock is held either way): nobody else will ever be told. */
    bool owner_died = false;
    while (!pred(arg)) {
        if (timeout != MP_FOREVER && timeout != MP_NOWAIT &&
            mp_port_now() >= mpi_until_deadline(&until)) {
            err = MP_ETIMEDOUT;
            break;
        }
        err = wait_until(&call, call.obj, &until);
        if (err == MP_EOWNERDEAD) {
            owner_died = true;
            err = MP_OK;
        } else if (err == MP_ETIMEDOUT) {
            if (pred(arg))
                err = MP_OK;
            break;
        } else if (err != MP_OK) {
            return mpi_leave(&call, err); /* without the lock: the predicate is not ours to call */
        }
    }
    return mpi_leave(&call, owner_died ? MP_EOWNERDEAD : mpi_no_wait(timeout, err));
}

mp_err_t mp_condition_notify(mp_condition_t c, uint32_t n)
{
    mpi_call_t call;
    mp_err_t err = enter_held(&call, c, true);
    if (err != MP_OK)
        return err;
    mpi_condition_t *o = call.obj;
    while (n > 0) {
        uint32_t best = UINT32_MAX, best_age = 0;
        for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++) {
            uint32_t ticket = atomic_load(&o->ticket[i]);
            if (ticket == 0 || atomic_load(&o->signal[i]) != 0 || !mpi_token_alive(o->waiter[i]))
                continue;
            uint32_t age = o->next_ticket - ticket; /* larger = waiting longer */
            if (best == UINT32_MAX || age > best_age) {
                best = i;
                best_age = age;
            }
        }
        if (best == UINT32_MAX)
            break;
        atomic_store(&o->signal[best], 1);
        mp_port_wake(&o->signal[best], 1);
        n--;
    }
    return mpi_leave(&call, MP_OK);
}

mp_err_t mp_condition_notify_all(mp_condition_t c)
{
    return mp_condition_notify(c, UINT32_MAX);
}
