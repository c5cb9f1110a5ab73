/*
 * Lock and RLock: a guard (guard.c) with a handle, from one table.
 *
 * Lock: no owner as far as release goes (CPython lets any process release it), but the
 * guard word still names the holder, so a holder that dies is detected. RLock: the owner
 * may take it again; depth counts how often, and only the owner touches depth.
 *
 * Values, Arrays and Conditions are built on these locks and count themselves in
 * `users`: such a lock cannot be destroyed on its own (MP_EBUSY), or a Value's add would
 * find it gone halfway. Their own locks are created with them and go with the last of
 * their users (a Value's lock may have been handed to a Condition by get_lock).
 */
#include "lock.h"

static void release_lock(void *obj, uint32_t flags);
static void describe(const void *obj, mpi_text_t *text);

static const mpi_wait_word_t lock_words[] = {
    {offsetof(mpi_lock_t, word), 1, MPI_WORD_HOLDER, "Lock #"},
};
static const mpi_wait_word_t rlock_words[] = {
    {offsetof(mpi_lock_t, word), 1, MPI_WORD_HOLDER, "RLock #"},
};

/* One array, two kinds of handle: a descriptor for each, so a lookup copies nothing. */
const mpi_table_t mpi_lock_table = {MPI_TABLE_STORE(locks), .kind = MPI_KIND_LOCK,
                                    .release = release_lock, MPI_TABLE_DESCRIBE(describe),
                                    MPI_TABLE_WORDS(lock_words)};
const mpi_table_t mpi_rlock_table = {MPI_TABLE_STORE(locks), .kind = MPI_KIND_RLOCK,
                                     .release = release_lock, MPI_TABLE_DESCRIBE(describe),
                                     MPI_TABLE_WORDS(rlock_words)};

static const mpi_table_t *table_of(uint32_t kind)
{
    return kind == MPI_KIND_RLOCK ? &mpi_rlock_table : &mpi_lock_table;
}

static uint32_t kind_of(const mpi_lock_t *l)
{
    return mpi_tag_kind(atomic_load_explicit(&l->hdr.tag, memory_order_relaxed));
}

/* A destroyed lock's word is left holding the handler token (see destroy), which a
 * take treats as a live holder: reset it for the next lock in the entry. */
static void release_lock(void *obj, uint32_t flags)
{
    (void)flags;
    mpi_lock_t *l = obj;
    atomic_store(&l->word, 0);
    atomic_store(&l->users, 0);
}

mpi_lock_t *mpi_lock_at(uint32_t id, uint32_t kind)
{
    return mpi_obj_at(table_of(kind), (id & MPI_INDEX_MASK) - 1u);
}

mp_err_t mpi_lock_take(const mpi_call_t *c, mpi_lock_t *l, mpi_until_t *until)
{
    if (c->slot == MPI_NO_SLOT)
        return MP_EISR; /* a lock belongs to a process; a handler must not hold one */
    if (kind_of(l) == MPI_KIND_RLOCK && mpi_guard_mine(&l->word, c->self)) {
        if (l->depth == UINT32_MAX)
            return MP_EOVERFLOW;
        l->depth++;
        return MP_OK;
    }
    mp_err_t err = mpi_guard_take(c, &l->word, until);
    if (err == MP_OK || err == MP_EOWNERDEAD)
        l->depth = 1;
    return err;
}

mp_err_t mpi_lock_give(const mpi_call_t *c, mpi_lock_t *l)
{
    if (kind_of(l) == MPI_KIND_RLOCK) {
        if (!mpi_guard_mine(&l->word, c->self))
            return MP_EPERM;
        if (--l->depth == 0)
            mpi_guard_give(&l->word);
        return MP_OK;
    }
    if (atomic_load_explicit(&l->word, memory_order_relaxed) == 0)
        return MP_ENOTLOCKED;
    mpi_guard_give(&l->word);
    return MP_OK;
}

static mp_err_t create(uint32_t kind, uint32_t *id, bool owned)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    if (id == NULL)
        return MP_EINVAL;
    mpi_lock_t *l;
    uint32_t index;
    err = mpi_obj_alloc(table_of(kind), (void **)&l, &index);
    if (err != MP_OK)
        return err;
    atomic_store(&l->word, 0);
    l->depth = 0;
    atomic_store(&l->users, owned ? 1u : 0u);
    *id = mpi_obj_publish(table_of(kind), l, owned ? MPI_LOCK_OWNED : 0u);
    return MP_OK;
}

mp_err_t mpi_lock_create_owned(uint32_t kind, uint32_t *id)
{
    return create(kind, id, true);
}

/* An owned lock goes when its last user does: its owner, or a Condition it was handed
 * to (mp_value_get_lock gives it out), whichever is destroyed last. */
static void drop_user(uint32_t id, uint32_t kind)
{
    mpi_call_t c;
    if (mpi_enter(&c, table_of(kind), id) != MP_OK)
        return;
    mpi_lock_t *l = c.obj;
    uint32_t users = atomic_fetch_sub(&l->users, 1u);
    if (!MPI_CHECK(users != 0)) { /* a user uncounted twice: leave it at 0 */
        atomic_store(&l->users, 0);
        (void)mpi_leave(&c, MP_OK);
        return;
    }
    if (users == 1u && (mpi_obj_flags(&l->hdr) & MPI_LOCK_OWNED) &&
        mpi_retire(&c) == MP_OK) {
        mp_port_wake(&l->word, UINT32_MAX);
        (void)mpi_leave_retired(&c);
        return;
    }
    (void)mpi_leave(&c, MP_OK);
}

void mpi_lock_destroy_owned(uint32_t id, uint32_t kind)
{
    drop_user(id, kind);
}

mp_err_t mpi_lock_use(uint32_t id, uint32_t kind)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, table_of(kind), id);
    if (err != MP_OK)
        return err;
    mpi_lock_t *l = c.obj;
    atomic_fetch_add(&l->users, 1u);
    err = mpi_leave(&c, MP_OK);
    if (err != MP_OK) /* destroyed while we counted ourselves in */
        atomic_fetch_sub(&l->users, 1u);
    return err;
}

void mpi_lock_unuse(uint32_t id, uint32_t kind)
{
    drop_user(id, kind);
}

static mp_err_t destroy(uint32_t id, uint32_t kind)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, table_of(kind), id);
    if (err != MP_OK)
        return err;
    mpi_lock_t *l = c.obj;
    if (atomic_load(&l->users) != 0)
        return mpi_leave(&c, MP_EBUSY);
    /* Take the word from "free" (or from a dead holder) to a holder that is always alive,
     * so that no acquire succeeds between this check and the retirement; acquirers that
     * wait then wake to find the lock gone. */
    uint32_t w = atomic_load(&l->word);
    do {
        if (w != 0 && mpi_token_alive(w & MPI_LOCK_OWNER))
            return mpi_leave(&c, MP_EBUSY);
    } while (!atomic_compare_exchange_weak(&l->word, &w, MPI_ISR_TOKEN | (w & MPI_LOCK_WAITERS)));
    if (mpi_retire(&c) != MP_OK)
        return mpi_leave(&c, MP_ESTALE);
    mp_port_wake(&l->word, UINT32_MAX);
    return mpi_leave_retired(&c);
}

/* The public calls share one shape: enter the lock, act, leave. */
static mp_err_t acquire(uint32_t id, uint32_t kind, mp_timeout_t timeout)
{
    if (mp_port_in_isr())
        return MP_EISR;
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, table_of(kind), id);
    if (err != MP_OK)
        return err;
    mpi_until_t until = mpi_until(timeout);
    return mpi_leave(&c, mpi_lock_take(&c, c.obj, &until));
}

static mp_err_t release(uint32_t id, uint32_t kind)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, table_of(kind), id);
    if (err != MP_OK)
        return err;
    return mpi_leave(&c, mpi_lock_give(&c, c.obj));
}

mp_err_t mp_lock_create(mp_lock_t *lock)
{
    return create(MPI_KIND_LOCK, lock ? &lock->id : NULL, false);
}

mp_err_t mp_lock_destroy(mp_lock_t lock)
{
    return destroy(lock.id, MPI_KIND_LOCK);
}

mp_err_t mp_lock_acquire(mp_lock_t lock, mp_timeout_t timeout)
{
    return acquire(lock.id, MPI_KIND_LOCK, timeout);
}

mp_err_t mp_lock_release(mp_lock_t lock)
{
    return release(lock.id, MPI_KIND_LOCK);
}

mp_err_t mp_lock_locked(mp_lock_t lock, bool *locked)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_lock_table, lock.id);
    if (err != MP_OK)
        return err;
    if (locked == NULL)
        return mpi_leave(&c, MP_EINVAL);
    *locked = atomic_load(&((mpi_lock_t *)c.obj)->word) != 0;
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_rlock_create(mp_rlock_t *lock)
{
    return create(MPI_KIND_RLOCK, lock ? &lock->id : NULL, false);
}

mp_err_t mp_rlock_destroy(mp_rlock_t lock)
{
    return destroy(lock.id, MPI_KIND_RLOCK);
}

mp_err_t mp_rlock_acquire(mp_rlock_t lock, mp_timeout_t timeout)
{
    return acquire(lock.id, MPI_KIND_RLOCK, timeout);
}

mp_err_t mp_rlock_release(mp_rlock_t lock)
{
    return release(lock.id, MPI_KIND_RLOCK);
}

mp_err_t mp_rlock_locked(mp_rlock_t lock, bool *locked, mp_process_t *holder)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_rlock_table, lock.id);
    if (err != MP_OK)
        return err;
    if (locked == NULL)
        return mpi_leave(&c, MP_EINVAL);
    mpi_token_t t = atomic_load(&((mpi_lock_t *)c.obj)->word) & MPI_LOCK_OWNER;
    *locked = t != 0;
    if (holder != NULL)
        holder->id = t == 0 ? 0
                            : mpi_handle_make(MPI_KIND_PROCESS, mpi_id_gen(t),
                                              (t & MPI_INDEX_MASK) - 1u);
    return mpi_leave(&c, MP_OK);
}

mp_err_t mp_rlock_depth(mp_rlock_t lock, uint32_t *depth)
{
    mpi_call_t c;
    mp_err_t err = mpi_enter(&c, &mpi_rlock_table, lock.id);
    if (err != MP_OK)
        return err;
    if (depth == NULL)
        return mpi_leave(&c, MP_EINVAL);
    mpi_lock_t *l = c.obj;
    *depth = mpi_guard_mine(&l->word, c.self) ? l->depth : 0;
    return mpi_leave(&c, MP_OK);
}

/* mp_dump: its holder (its owner, for an RLock) and what is built on it. */
static void describe(const void *obj, mpi_text_t *text)
{
    const mpi_lock_t *l = obj;
    mpi_token_t holder = atomic_load(&l->word) & MPI_LOCK_OWNER;
    if (holder == 0) {
        mpi_text_add(text, "free");
    } else {
        char name[MP_CONF_NAME_LEN];
        mpi_token_name(holder, name, sizeof name);
        mpi_text_add(text, "held by ");
        mpi_text_add(text, name);
        if (kind_of(l) == MPI_KIND_RLOCK) {
            mpi_text_add(text, ", depth ");
            mpi_text_u(text, l->depth);
        }
    }
    uint32_t users = atomic_load(&l->users);
    if (users != 0) {
        mpi_text_add(text, ", used by ");
        mpi_text_u(text, users);
        mpi_text_add(text, users == 1 ? " Value/Array/Condition" : " Values/Arrays/Conditions");
    }
}
