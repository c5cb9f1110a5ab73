/*
 * Condition: a lock plus, per process slot, "waiting since ticket N" and "notified".
 *
 * Every field is changed with the condition's lock held (wait registers before it lets
 * the lock go; notify requires the lock), so the bookkeeping needs no lock of its own.
 * A waiter sleeps on its own signal word, so notify(n) wakes exactly the n longest
 * waiting live processes and never waits for them (CPython's notify blocks until each
 * woken sleeper acknowledges, so a sleeper killed at the wrong moment hangs the notifier).
 * A waiter that died is skipped by notify and its entry is reused by the slot's next
 * process, whose token differs.
 */
#include "world.h"

static const mpi_table_t table = {mpi_world.conditions, sizeof mpi_world.conditions[0],
                                  MP_CONF_MAX_CONDITIONS, MPI_KIND_CONDITION,
                                  mpi_world.conditions_free};

static mpi_lock_t *lock_of(const mpi_condition_t *c, mp_err_t *err)
{
    return mpi_lock_get(c->lock_id, c->lock_kind, err);
}

mp_err_t mp_condition_create(mp_condition_t *c, const mp_condition_attr_t *attr)
{
    if (c == NULL || (attr != NULL && attr->kind > MP_CONDITION_RLOCK))
        return MP_EINVAL;
    mp_err_t err = MP_OK;
    uint32_t lock_id = 0, kind = MPI_KIND_RLOCK;
    bool own = attr == NULL || attr->kind == MP_CONDITION_OWN_RLOCK;
    if (own) {
        mp_rlock_t r;
        err = mp_rlock_create(&r);
        lock_id = r.id;
    } else {
        kind = attr->kind == MP_CONDITION_LOCK ? MPI_KIND_LOCK : MPI_KIND_RLOCK;
        lock_id = attr->kind == MP_CONDITION_LOCK ? attr->lock.id : attr->rlock.id;
        (void)mpi_lock_get(lock_id, kind, &err);
    }
    if (err != MP_OK)
        return err;
    mpi_condition_t *o;
    err = mpi_obj_alloc(&table, (void **)&o, &c->id);
    if (err != MP_OK) {
        if (own)
            (void)mp_rlock_destroy((mp_rlock_t){lock_id});
        return err;
    }
    o->hdr.flags = own ? MPI_CONDITION_OWN_LOCK : 0;
    o->lock_kind = (uint8_t)kind;
    o->lock_id = lock_id;
    o->next_ticket = 0;
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++) {
        o->ticket[i] = 0;
        o->waiter[i] = 0;
        atomic_store(&o->signal[i], 0);
    }
    return MP_OK;
}

mp_err_t mp_condition_destroy(mp_condition_t c)
{
    mp_err_t err;
    mpi_condition_t *o = mpi_obj_get(&table, c.id, &err);
    if (o == NULL)
        return err;
    if (o->hdr.flags & MPI_CONDITION_OWN_LOCK) {
        err = mp_rlock_destroy((mp_rlock_t){o->lock_id});
        if (err != MP_OK && err != MP_ESTALE)
            return err;
    }
    mpi_obj_free(&table, o);
    return MP_OK;
}

mp_err_t mp_condition_acquire(mp_condition_t c, mp_timeout_t timeout)
{
    mp_err_t err;
    mpi_condition_t *o = mpi_obj_get(&table, c.id, &err);
    if (o == NULL)
        return err;
    return o->lock_kind == MPI_KIND_LOCK ? mp_lock_acquire((mp_lock_t){o->lock_id}, timeout)
                                         : mp_rlock_acquire((mp_rlock_t){o->lock_id}, timeout);
}

mp_err_t mp_condition_release(mp_condition_t c)
{
    mp_err_t err;
    mpi_condition_t *o = mpi_obj_get(&table, c.id, &err);
    if (o == NULL)
        return err;
    return o->lock_kind == MPI_KIND_LOCK ? mp_lock_release((mp_lock_t){o->lock_id})
                                         : mp_rlock_release((mp_rlock_t){o->lock_id});
}

/* The condition and its lock, provided the caller holds that lock. */
static mpi_condition_t *held(mp_condition_t c, mpi_lock_t **lock, mp_err_t *err)
{
    if (mp_port_in_isr()) {
        *err = MP_EISR;
        return NULL;
    }
    mpi_condition_t *o = mpi_obj_get(&table, c.id, err);
    if (o == NULL)
        return NULL;
    *lock = lock_of(o, err);
    if (*lock == NULL)
        return NULL;
    if (!mpi_guard_mine(&(*lock)->word, mpi_self_token())) {
        *err = MP_EPERM;
        return NULL;
    }
    return o;
}

static mp_err_t wait_until(mpi_condition_t *o, mpi_lock_t *l, mpi_until_t *until)
{
    uint32_t slot = mp_port_self();
    mpi_token_t self = mpi_self_token();
    if (++o->next_ticket == 0)
        o->next_ticket = 1;
    o->ticket[slot] = o->next_ticket;
    o->waiter[slot] = self;
    atomic_store(&o->signal[slot], 0);

    uint32_t depth = l->depth; /* every level of an RLock is let go, then restored */
    mpi_guard_give(&l->word);
    mp_err_t err = MP_OK;
    while (atomic_load(&o->signal[slot]) == 0 && err == MP_OK) {
        if (until->timeout == MP_NOWAIT)
            err = MP_ETIMEDOUT;
        else
            err = mpi_wait(&o->signal[slot], 0, mpi_until_deadline(until));
    }
    mpi_until_t forever = mpi_until(MP_FOREVER);
    mp_err_t again = mpi_guard_take(&l->word, self, &forever);
    l->depth = depth;
    bool notified = atomic_load(&o->signal[slot]) != 0;
    o->ticket[slot] = 0;
    o->waiter[slot] = 0;
    atomic_store(&o->signal[slot], 0);
    if (again == MP_EOWNERDEAD)
        return MP_EOWNERDEAD;
    return notified ? MP_OK : (err == MP_OK ? MP_ETIMEDOUT : err);
}

mp_err_t mp_condition_wait(mp_condition_t c, mp_timeout_t timeout)
{
    mp_err_t err;
    mpi_lock_t *l;
    mpi_condition_t *o = held(c, &l, &err);
    if (o == NULL)
        return err;
    mpi_until_t until = mpi_until(timeout);
    return wait_until(o, l, &until);
}

mp_err_t mp_condition_wait_for(mp_condition_t c, bool (*pred)(void *arg), void *arg,
                               mp_timeout_t timeout)
{
    if (pred == NULL)
        return MP_EINVAL;
    mp_err_t err;
    mpi_lock_t *l;
    mpi_condition_t *o = held(c, &l, &err);
    if (o == NULL)
        return err;
    mpi_until_t until = mpi_until(timeout);
    while (!pred(arg)) {
        if (timeout != MP_FOREVER && timeout != MP_NOWAIT &&
            mp_port_now() >= mpi_until_deadline(&until))
            return MP_ETIMEDOUT;
        err = wait_until(o, l, &until);
        if (err == MP_ETIMEDOUT)
            return pred(arg) ? MP_OK : MP_ETIMEDOUT;
        if (err != MP_OK && err != MP_EOWNERDEAD)
            return err;
    }
    return MP_OK;
}

mp_err_t mp_condition_notify(mp_condition_t c, uint32_t n)
{
    mp_err_t err;
    mpi_lock_t *l;
    mpi_condition_t *o = held(c, &l, &err);
    if (o == NULL)
        return err;
    while (n > 0) {
        uint32_t best = UINT32_MAX, best_age = 0;
        for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++) {
            if (o->ticket[i] == 0 || atomic_load(&o->signal[i]) != 0 ||
                !mpi_token_alive(o->waiter[i]))
                continue;
            uint32_t age = o->next_ticket - o->ticket[i]; /* larger = waiting longer */
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
    return MP_OK;
}

mp_err_t mp_condition_notify_all(mp_condition_t c)
{
    return mp_condition_notify(c, UINT32_MAX);
}
