/*
 * Semaphore, Event, Condition and Barrier: the operations and the model's rules
 * (core/semaphore.c, event.c, condition.c, barrier.c).
 *
 * Only the main process ever waits across a switch (a child's wait that would block is
 * made with MP_NOWAIT, see fuzz_api.c), so a Condition or a Barrier has at most one
 * waiter that other processes can affect: the model keeps just that one.
 */
#include "harness.h"

/* ---- Semaphore ------------------------------------------------------------------------ */
static void s_create(in_t *in)
{
    uint8_t f = in_u8(in);
    static const uint32_t values[] = {0, 1, 2, 3, 10, UINT32_MAX, UINT32_MAX - 1u, 0x80000000u};
    uint32_t value = f & 0x80 ? in_u32(in) : values[(f >> 1) & 7u];
    bool bounded = f & 1, no_out = (f & 0x70) == 0x70;
    fz_call("mp_semaphore_create", 3, (uint64_t)value, (uint64_t)bounded, (uint64_t)no_out);
    int slot = m_alloc_peek(T_SEM);
    mp_err_t want = no_out ? MP_EINVAL : slot < 0 ? MP_ENOSLOT : MP_OK;
    mp_semaphore_t s = {0};
    fz_expect(want, mp_semaphore_create(no_out ? NULL : &s, value, bounded));
    if (want != MP_OK)
        return;
    fz_expect_u("handle", m_alloc(T_SEM, slot, MPI_KIND_SEMAPHORE), s.id);
    m.sems[slot] = (m_sem_t){value, bounded ? value : UINT32_MAX};
    fz_pool_add(MPI_KIND_SEMAPHORE, s.id);
}

static void s_acquire(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_SEMAPHORE);
    mp_timeout_t t = fz_timeout(in);
    int slot;
    mp_err_t want = m_lookup(id, MPI_KIND_SEMAPHORE, &slot);
    if (want == MP_OK && m.sems[slot].count == 0 && fz_in_child())
        t = MP_NOWAIT;
    fz_call("mp_semaphore_acquire", 2, (uint64_t)id, (uint64_t)t);
    if (fz_isr_refuses(t))
        want = MP_EISR; /* before the handle */
    else if (want == MP_OK) {
        m_sem_t *s = &m.sems[slot];
        if (s->count > 0) {
            s->count--;
        } else if (t == MP_NOWAIT) {
            want = MP_EAGAIN;
        } else {
            fz_wait_begin(T_SEM, slot, t);
            mp_err_t got = mp_semaphore_acquire((mp_semaphore_t){id}, t);
            if (fz_wait_end())
                want = MP_ESTALE;
            else if (s->count > 0)
                s->count--;
            else
                want = fz_timeout_code(t);
            fz_expect(want, got);
            return;
        }
    }
    fz_expect(want, mp_semaphore_acquire((mp_semaphore_t){id}, t));
}

static void s_release(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_SEMAPHORE);
    uint32_t n = in_u8(in) < 220 ? 1u : 1u + in_u8(in) % 32u;
    for (uint32_t i = 0; i < n; i++) {
        fz_call("mp_semaphore_release", 1, (uint64_t)id);
        int slot;
        mp_err_t want = m_lookup(id, MPI_KIND_SEMAPHORE, &slot);
        if (want == MP_OK && m.sems[slot].count >= m.sems[slot].bound)
            want = MP_EOVERFLOW;
        fz_expect(want, mp_semaphore_release((mp_semaphore_t){id}));
        if (want == MP_OK)
            m.sems[slot].count++;
    }
}

static void s_value(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_SEMAPHORE);
    bool no_out = in_u8(in) > 245;
    fz_call("mp_semaphore_value", 2, (uint64_t)id, (uint64_t)no_out);
    int slot;
    mp_err_t want = m_lookup(id, MPI_KIND_SEMAPHORE, &slot);
    if (want == MP_OK && no_out)
        want = MP_EINVAL; /* after the handle */
    uint32_t v = 777;
    fz_expect(want, mp_semaphore_value((mp_semaphore_t){id}, no_out ? NULL : &v));
    if (want == MP_OK)
        fz_expect_u("value", m.sems[slot].count, v);
}

static bool inside_is(int table, int slot)
{
    return m.inside.active && m.inside.table == table && m.inside.slot == slot;
}

static void s_destroy(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_SEMAPHORE);
    fz_call("mp_semaphore_destroy", 1, (uint64_t)id);
    int slot;
    mp_err_t want = m_lookup(id, MPI_KIND_SEMAPHORE, &slot);
    if (want == MP_OK && m_avoid[2] && inside_is(T_SEM, slot)) {
        fz_skip("defect 2: destroy while the main process is inside");
        return;
    }
    fz_expect(want, mp_semaphore_destroy((mp_semaphore_t){id}));
    if (want == MP_OK)
        (void)m_free(T_SEM, slot);
}

/* ---- Event ------------------------------------------------------------------------------ */
static void e_create(in_t *in)
{
    bool no_out = in_u8(in) > 245;
    fz_call("mp_event_create", 1, (uint64_t)no_out);
    int slot = m_alloc_peek(T_EVENT);
    mp_err_t want = no_out ? MP_EINVAL : slot < 0 ? MP_ENOSLOT : MP_OK;
    mp_event_t e = {0};
    fz_expect(want, mp_event_create(no_out ? NULL : &e));
    if (want != MP_OK)
        return;
    fz_expect_u("handle", m_alloc(T_EVENT, slot, MPI_KIND_EVENT), e.id);
    m.events[slot].set = false;
    fz_pool_add(MPI_KIND_EVENT, e.id);
}

static void e_set_clear(in_t *in)
{
    bool set = in_u8(in) & 1;
    uint32_t id = fz_pick(in, MPI_KIND_EVENT);
    fz_call(set ? "mp_event_set" : "mp_event_clear", 1, (uint64_t)id);
    int slot;
    mp_err_t want = m_lookup(id, MPI_KIND_EVENT, &slot);
    fz_expect(want, set ? mp_event_set((mp_event_t){id}) : mp_event_clear((mp_event_t){id}));
    if (want == MP_OK)
        m.events[slot].set = set;
}

static void e_is_set(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_EVENT);
    bool no_out = in_u8(in) > 245;
    fz_call("mp_event_is_set", 2, (uint64_t)id, (uint64_t)no_out);
    int slot;
    mp_err_t want = m_lookup(id, MPI_KIND_EVENT, &slot);
    if (want == MP_OK && no_out)
        want = MP_EINVAL; /* after the handle */
    bool v = false;
    fz_expect(want, mp_event_is_set((mp_event_t){id}, no_out ? NULL : &v));
    if (want == MP_OK)
        fz_expect_u("is_set", m.events[slot].set, v);
}

static void e_wait(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_EVENT);
    mp_timeout_t t = fz_timeout(in);
    int slot;
    mp_err_t want = m_lookup(id, MPI_KIND_EVENT, &slot);
    if (want == MP_OK && !m.events[slot].set && fz_in_child())
        t = MP_NOWAIT;
    fz_call("mp_event_wait", 2, (uint64_t)id, (uint64_t)t);
    if (fz_isr_refuses(t))
        want = MP_EISR; /* before the handle */
    else if (want == MP_OK && !m.events[slot].set) {
        if (t == MP_NOWAIT) {
            want = MP_EAGAIN;
        } else {
            fz_wait_begin(T_EVENT, slot, t);
            mp_err_t got = mp_event_wait((mp_event_t){id}, t);
            if (fz_wait_end())
                want = MP_ESTALE;
            else
                want = m.events[slot].set ? MP_OK : fz_timeout_code(t);
            fz_expect(want, got);
            return;
        }
    }
    fz_expect(want, mp_event_wait((mp_event_t){id}, t));
}

static void e_destroy(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_EVENT);
    fz_call("mp_event_destroy", 1, (uint64_t)id);
    int slot;
    mp_err_t want = m_lookup(id, MPI_KIND_EVENT, &slot);
    if (want == MP_OK && m_avoid[2] && inside_is(T_EVENT, slot)) {
        fz_skip("defect 2: destroy while the main process is inside");
        return;
    }
    fz_expect(want, mp_event_destroy((mp_event_t){id}));
    if (want == MP_OK)
        (void)m_free(T_EVENT, slot);
}

/* ---- Condition ---------------------------------------------------------------------------- */
static bool pred_value;

static bool pred(void *arg)
{
    (void)arg;
    return pred_value;
}

static void c_create(in_t *in)
{
    uint8_t f = in_u8(in);
    mp_condition_attr_t attr = {0};
    uint8_t k = in_u8(in);
    attr.kind = k < 250 ? k % 3u : k;
    if (attr.kind == MP_CONDITION_LOCK)
        attr.lock.id = fz_pick(in, MPI_KIND_LOCK);
    else if (attr.kind == MP_CONDITION_RLOCK)
        attr.rlock.id = fz_pick(in, MPI_KIND_RLOCK);
    bool no_attr = (f & 3) == 3, no_out = (f & 0x1c) == 0x1c;
    fz_call("mp_condition_create", 4, (uint64_t)attr.kind, (uint64_t)attr.lock.id,
            (uint64_t)attr.rlock.id, (uint64_t)f);
    mp_err_t want = MP_OK;
    bool own = no_attr || attr.kind == MP_CONDITION_OWN_RLOCK;
    int lock = -1, slot = -1;
    uint32_t lock_kind = MPI_KIND_RLOCK, lock_id = 0;
    if (no_out || (!no_attr && attr.kind > MP_CONDITION_RLOCK))
        want = MP_EINVAL;
    else if ((slot = m_alloc_peek(T_COND)) < 0) /* the entry first: a full table claims nothing */
        want = MP_ENOSLOT;
    else if (own) {
        lock = m_alloc_peek(T_LOCK);
        if (lock < 0)
            want = MP_ENOSLOT;
        else
            lock_id = m_alloc(T_LOCK, lock, MPI_KIND_RLOCK);
    } else {
        lock_kind = attr.kind == MP_CONDITION_LOCK ? MPI_KIND_LOCK : MPI_KIND_RLOCK;
        lock_id = attr.kind == MP_CONDITION_LOCK ? attr.lock.id : attr.rlock.id;
        want = m_lookup(lock_id, lock_kind, &lock);
    }
    mp_condition_t c = {0};
    fz_expect(want, mp_condition_create(no_out ? NULL : &c, no_attr ? NULL : &attr));
    if (want != MP_OK)
        return;
    fz_expect_u("handle", m_alloc(T_COND, slot, MPI_KIND_CONDITION), c.id);
    m.conds[slot] = (m_cond_t){own, (uint8_t)lock_kind, lock_id, lock, false, false};
    if (own)
        m.locks[lock] = (m_lock_t){0, 0, -1, slot, 0, true};
    else
        m.locks[lock].cond_users++;
    fz_pool_add(MPI_KIND_CONDITION, c.id);
}

/* The condition and, behind it, its lock (MP_ESTALE if that lock is gone). */
static m_cond_t *cond_lookup(uint32_t id, int *slot, mp_err_t *err)
{
    *err = m_lookup(id, MPI_KIND_CONDITION, slot);
    if (*err != MP_OK)
        return NULL;
    m_cond_t *c = &m.conds[*slot];
    int lock;
    *err = m_lookup(c->lock_id, c->lock_kind, &lock);
    return *err == MP_OK ? c : NULL;
}

static void c_acquire(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_CONDITION);
    mp_timeout_t t = fz_timeout(in);
    int slot;
    mp_err_t want;
    m_cond_t *c = cond_lookup(id, &slot, &want);
    if (fz_isr()) {
        want = MP_EISR; /* before the handle */
        c = NULL;
    } else if (c && c->lock_kind == MPI_KIND_RLOCK && m.locks[c->lock_slot].holder == m_self_token()) {
        m.locks[c->lock_slot].depth++;
    } else if (c) {
        int r = m_lock_take(c->lock_slot);
        if (r == 1 && fz_in_child())
            t = MP_NOWAIT;
        if (fz_waits(r, t, &want)) {
            fz_call("mp_condition_acquire", 2, (uint64_t)id, (uint64_t)t);
            fz_wait_begin(T_COND, slot, t); /* it waits inside the condition */
            mp_err_t got = mp_condition_acquire((mp_condition_t){id}, t);
            if (fz_wait_end()) {
                want = MP_ESTALE;
            } else {
                r = m_lock_take(c->lock_slot);
                want = r == 1 ? fz_timeout_code(t) : r;
            }
            fz_expect(want, got);
            return;
        }
    }
    fz_call("mp_condition_acquire", 2, (uint64_t)id, (uint64_t)t);
    fz_expect(want, mp_condition_acquire((mp_condition_t){id}, t));
}

static void c_release(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_CONDITION);
    fz_call("mp_condition_release", 1, (uint64_t)id);
    int slot;
    mp_err_t want;
    m_cond_t *c = cond_lookup(id, &slot, &want);
    if (c)
        want = m_lock_release(c->lock_slot, c->lock_kind);
    fz_expect(want, mp_condition_release((mp_condition_t){id}));
}

/* The checks wait and notify share: the condition, its lock, held by the caller. */
static m_cond_t *held(uint32_t id, int *slot, mp_err_t *err)
{
    if (fz_isr()) {
        *err = MP_EISR; /* before the handle */
        return NULL;
    }
    m_cond_t *c = cond_lookup(id, slot, err);
    if (c && m.locks[c->lock_slot].holder != m_self_token()) {
        *err = MP_EPERM;
        return NULL;
    }
    return c;
}

/* Takes the condition's lock back after a wait, with its depth: MP_OK or MP_EOWNERDEAD. */
static mp_err_t retake(m_cond_t *c, uint32_t depth)
{
    int r = m_lock_take(c->lock_slot);
    if (r == 1)
        fz_fail("model: a condition's lock held by a live process after a wait");
    m.locks[c->lock_slot].depth = depth;
    return r;
}

static void c_wait(in_t *in)
{
    uint8_t f = in_u8(in);
    bool with_pred = f & 1, no_pred = (f & 0x0e) == 0x0e;
    uint32_t id = fz_pick(in, MPI_KIND_CONDITION);
    mp_timeout_t t = fz_timeout(in);
    pred_value = f & 0x10;
    int slot;
    mp_err_t want;
    m_cond_t *c = held(id, &slot, &want);
    if (with_pred && no_pred && (c != NULL || want == MP_EPERM)) {
        want = MP_EINVAL; /* after the handle, before the lock's owner */
        c = NULL;
    }
    if (c && fz_in_child())
        t = MP_NOWAIT;
    fz_call(with_pred ? "mp_condition_wait_for" : "mp_condition_wait", 4, (uint64_t)id,
            (uint64_t)t, (uint64_t)pred_value, (uint64_t)no_pred);
    mp_err_t got;
    if (c == NULL || (with_pred && pred_value)) {
        got = with_pred ? mp_condition_wait_for((mp_condition_t){id}, no_pred ? NULL : pred, NULL, t)
                        : mp_condition_wait((mp_condition_t){id}, t);
        fz_expect(want, got);
        return;
    }
    m_lock_t *l = &m.locks[c->lock_slot];
    uint32_t depth = l->depth;
    if (t == MP_NOWAIT || !m_pending_children()) {
        /* nobody can notify: the wait ends at its deadline (or the simulation's deadlock)
         * and the lock is taken back */
        if (t != MP_NOWAIT)
            fz_wait_begin(T_COND, slot, t);
        got = with_pred ? mp_condition_wait_for((mp_condition_t){id}, pred, NULL, t)
                        : mp_condition_wait((mp_condition_t){id}, t);
        if (t != MP_NOWAIT)
            (void)fz_wait_end();
        want = t == MP_NOWAIT ? MP_EAGAIN : fz_timeout_code(t);
        fz_expect(want, got);
        return;
    }
    /* Children run while it waits: it lets the lock go (every level), they may notify,
     * it takes the lock back afterwards. */
    l->holder = 0;
    l->depth = 0;
    c->main_waiting = true;
    c->main_notified = false;
    fz_wait_begin(T_COND, slot, t);
    got = with_pred ? mp_condition_wait_for((mp_condition_t){id}, pred, NULL, t)
                    : mp_condition_wait((mp_condition_t){id}, t);
    c->main_waiting = false;
    if (fz_wait_end()) {
        fz_expect(MP_ESTALE, got); /* destroyed: its lock is not taken back */
        return;
    }
    mp_err_t again = retake(c, depth);
    mp_err_t first = again == MP_EOWNERDEAD ? MP_EOWNERDEAD
                     : c->main_notified   ? MP_OK
                                          : fz_timeout_code(t);
    if (!with_pred) {
        want = first;
    } else if (first == MP_EOWNERDEAD) {
        /* told at the end, in place of MP_OK or MP_ETIMEDOUT; a false predicate makes it
         * wait once more, with nobody left to notify (the simulation's deadlock is told
         * as such) */
        want = pred_value || t != MP_FOREVER ? MP_EOWNERDEAD : MP_EDEADLK;
    } else if (first == MP_OK) {
        want = pred_value ? MP_OK : fz_timeout_code(t);
    } else {
        want = first == MP_ETIMEDOUT && pred_value ? MP_OK : first;
    }
    fz_expect(want, got);
}

static void c_notify(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_CONDITION);
    uint32_t n = f & 1 ? UINT32_MAX : f >> 1 & 3u;
    fz_call(f & 1 ? "mp_condition_notify_all" : "mp_condition_notify", 2, (uint64_t)id,
            (uint64_t)n);
    int slot;
    mp_err_t want;
    m_cond_t *c = held(id, &slot, &want);
    fz_expect(want, f & 1 ? mp_condition_notify_all((mp_condition_t){id})
                          : mp_condition_notify((mp_condition_t){id}, n));
    if (c && n > 0 && c->main_waiting)
        c->main_notified = true;
}

/* Its own lock goes with it, a lock it was handed is no longer used by it: when the entry
 * is freed, which a call inside it delays (core/condition.c release_condition). */
static void c_released(int slot)
{
    m_cond_t *c = &m.conds[slot];
    if (c->own)
        m.locks[c->lock_slot].owner_cond = -1;
    else
        m.locks[c->lock_slot].cond_users--;
    m_lock_drop_user(c->lock_slot); /* an owned lock goes with its last user */
}

static void c_destroyed(int slot)
{
    if (m_free(T_COND, slot))
        c_released(slot);
    else
        m.inside.on_free = c_released;
}

/* Whether destroying c takes its lock with it (core/condition.c): its own, or an owned
 * lock it was handed and is the last user of (the owner gone). Not while it is held. */
static bool lock_goes_with(const m_cond_t *c)
{
    const m_lock_t *l = &m.locks[c->lock_slot];
    return c->own ||
           (l->owned && l->owner_value < 0 && l->owner_cond < 0 && l->cond_users == 1);
}

static void c_destroy(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_CONDITION);
    fz_call("mp_condition_destroy", 1, (uint64_t)id);
    int slot;
    mp_err_t want = m_lookup(id, MPI_KIND_CONDITION, &slot);
    m_cond_t *c = want == MP_OK ? &m.conds[slot] : NULL;
    if (c && m_avoid[2] && inside_is(T_COND, slot)) {
        fz_skip("defect 2: destroy while the main process is inside");
        return;
    }
    if (c && c->own && m.locks[c->lock_slot].cond_users > 0 && m_avoid[14]) {
        fz_skip("finding 14: destroy of a condition whose lock another condition uses");
        return;
    }
    if (c && lock_goes_with(c) && m.locks[c->lock_slot].holder != 0 &&
        m_alive(m.locks[c->lock_slot].holder))
        want = MP_EBUSY; /* the lock that would go with it is held */
    fz_expect(want, mp_condition_destroy((mp_condition_t){id}));
    if (want == MP_OK)
        c_destroyed(slot);
}

static void c_pred(in_t *in)
{
    pred_value = in_u8(in) & 1;
}

/* ---- Barrier -------------------------------------------------------------------------------- */
static uint32_t actions_run;

static void action(void)
{
    actions_run++;
}

static void b_create(in_t *in)
{
    uint8_t f = in_u8(in);
    static const uint32_t parties[] = {0, 1, 2, 2, 3, M_PROCS, M_PROCS + 1u, UINT32_MAX};
    uint32_t n = parties[f & 7u];
    bool with_action = f & 8, no_out = (f & 0x70) == 0x70;
    fz_call("mp_barrier_create", 3, (uint64_t)n, (uint64_t)with_action, (uint64_t)no_out);
    int slot = m_alloc_peek(T_BARRIER);
    mp_err_t want = no_out || n == 0 || n > M_PROCS ? MP_EINVAL : slot < 0 ? MP_ENOSLOT : MP_OK;
    mp_barrier_t b = {0};
    fz_expect(want, mp_barrier_create(no_out ? NULL : &b, n, with_action ? action : NULL));
    if (want != MP_OK)
        return;
    fz_expect_u("handle", m_alloc(T_BARRIER, slot, MPI_KIND_BARRIER), b.id);
    m.barriers[slot] = (m_barrier_t){.parties = n, .has_action = with_action};
    fz_pool_add(MPI_KIND_BARRIER, b.id);
}

static void release_all(m_barrier_t *o, mp_err_t r)
{
    if (o->main_waiting) {
        o->main_waiting = false;
        o->main_released = true;
        o->main_result = r;
    }
    o->arrived = 0;
}

static void breaks(m_barrier_t *o)
{
    o->broken = true;
    release_all(o, MP_EBROKEN);
}

static void b_wait(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_BARRIER);
    mp_timeout_t t = fz_timeout(in);
    bool no_index = f & 1;
    int slot;
    mp_err_t want = m_lookup(id, MPI_KIND_BARRIER, &slot);
    m_barrier_t *o = want == MP_OK ? &m.barriers[slot] : NULL;
    if (fz_isr()) {
        want = MP_EISR; /* before the handle */
        o = NULL;
    }
    if (o && fz_in_child())
        t = MP_NOWAIT;
    fz_call("mp_barrier_wait", 3, (uint64_t)id, (uint64_t)t, (uint64_t)no_index);
    uint32_t index = 777, want_index = 777;
    mp_err_t got;
    if (o == NULL || o->broken) {
        if (o)
            want = MP_EBROKEN;
        got = mp_barrier_wait((mp_barrier_t){id}, t, no_index ? NULL : &index);
        fz_expect(want, got);
        return;
    }
    want_index = o->arrived++;
    if (o->arrived == o->parties) {
        if (o->has_action)
            m.actions++;
        release_all(o, MP_OK);
        got = mp_barrier_wait((mp_barrier_t){id}, t, no_index ? NULL : &index);
        want = MP_OK;
    } else if (t == MP_NOWAIT) {
        breaks(o); /* its own timeout breaks it, that waiter included */
        got = mp_barrier_wait((mp_barrier_t){id}, t, no_index ? NULL : &index);
        want = MP_EBROKEN;
    } else {
        o->main_waiting = true;
        o->main_released = false;
        fz_wait_begin(T_BARRIER, slot, t);
        got = mp_barrier_wait((mp_barrier_t){id}, t, no_index ? NULL : &index);
        if (fz_wait_end()) {
            want = MP_ESTALE;
        } else {
            if (!o->main_released)
                breaks(o); /* timed out (or the simulation's deadlock): broken */
            want = o->main_result;
        }
    }
    fz_expect(want, got);
    if (!no_index)
        fz_expect_u("*index", want_index, index);
    fz_expect_u("actions run", m.actions, actions_run);
}

static void b_abort_reset(in_t *in)
{
    bool reset = in_u8(in) & 1;
    uint32_t id = fz_pick(in, MPI_KIND_BARRIER);
    fz_call(reset ? "mp_barrier_reset" : "mp_barrier_abort", 1, (uint64_t)id);
    int slot;
    mp_err_t want = m_lookup(id, MPI_KIND_BARRIER, &slot);
    fz_expect(want, reset ? mp_barrier_reset((mp_barrier_t){id}) : mp_barrier_abort((mp_barrier_t){id}));
    if (want != MP_OK)
        return;
    if (reset) {
        release_all(&m.barriers[slot], MP_EBROKEN);
        m.barriers[slot].broken = false;
    } else {
        breaks(&m.barriers[slot]);
    }
}

static void b_query(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_BARRIER);
    bool no_out = f > 240;
    int slot;
    mp_err_t want = m_lookup(id, MPI_KIND_BARRIER, &slot);
    if (want == MP_OK && no_out)
        want = MP_EINVAL; /* after the handle */
    m_barrier_t *o = want == MP_OK ? &m.barriers[slot] : NULL;
    switch (f % 3u) {
    case 0: {
        uint32_t v = 777;
        fz_call("mp_barrier_parties", 2, (uint64_t)id, (uint64_t)no_out);
        fz_expect(want, mp_barrier_parties((mp_barrier_t){id}, no_out ? NULL : &v));
        if (o)
            fz_expect_u("parties", o->parties, v);
        break;
    }
    case 1: {
        uint32_t v = 777;
        fz_call("mp_barrier_n_waiting", 2, (uint64_t)id, (uint64_t)no_out);
        fz_expect(want, mp_barrier_n_waiting((mp_barrier_t){id}, no_out ? NULL : &v));
        if (o)
            fz_expect_u("n_waiting", o->broken ? 0 : o->arrived, v);
        break;
    }
    default: {
        bool v = false;
        fz_call("mp_barrier_broken", 2, (uint64_t)id, (uint64_t)no_out);
        fz_expect(want, mp_barrier_broken((mp_barrier_t){id}, no_out ? NULL : &v));
        if (o)
            fz_expect_u("broken", o->broken, v);
        break;
    }
    }
}

static void b_destroy(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_BARRIER);
    fz_call("mp_barrier_destroy", 1, (uint64_t)id);
    int slot;
    mp_err_t want = m_lookup(id, MPI_KIND_BARRIER, &slot);
    if (want == MP_OK && m_avoid[2] && inside_is(T_BARRIER, slot)) {
        fz_skip("defect 2: destroy while the main process is inside");
        return;
    }
    fz_expect(want, mp_barrier_destroy((mp_barrier_t){id}));
    if (want == MP_OK)
        (void)m_free(T_BARRIER, slot);
}

void fz_sync_cleanup(void)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_CONDITIONS; i++) {
        if (m.hdr[T_COND][i].kind == 0)
            continue;
        m_cond_t *c = &m.conds[i];
        uint32_t id = m_handle(T_COND, (int)i);
        while (lock_goes_with(c) && m.locks[c->lock_slot].holder == m_self_token()) {
            fz_call("cleanup: mp_condition_release", 1, (uint64_t)id);
            fz_expect(m_lock_release(c->lock_slot, MPI_KIND_RLOCK),
                      mp_condition_release((mp_condition_t){id}));
        }
        fz_call("cleanup: mp_condition_destroy", 1, (uint64_t)id);
        fz_expect(MP_OK, mp_condition_destroy((mp_condition_t){id}));
        c_destroyed((int)i);
    }
    static const struct {
        int table;
        uint32_t kind;
    } simple[] = {{T_SEM, MPI_KIND_SEMAPHORE}, {T_EVENT, MPI_KIND_EVENT},
                  {T_BARRIER, MPI_KIND_BARRIER}};
    for (size_t k = 0; k < 3; k++) {
        for (uint32_t i = 0; i < m_table_count(simple[k].table); i++) {
            if (m.hdr[simple[k].table][i].kind == 0)
                continue;
            uint32_t id = m_handle(simple[k].table, (int)i);
            fz_call("cleanup: destroy", 1, (uint64_t)id);
            mp_err_t got = k == 0   ? mp_semaphore_destroy((mp_semaphore_t){id})
                           : k == 1 ? mp_event_destroy((mp_event_t){id})
                                    : mp_barrier_destroy((mp_barrier_t){id});
            fz_expect(MP_OK, got);
            (void)m_free(simple[k].table, (int)i);
        }
    }
}

const fz_op_t fz_sync_ops[] = {
    {"semaphore_create", s_create, false, false},
    {"semaphore_acquire", s_acquire, false, true},
    {"semaphore_release", s_release, false, true},
    {"semaphore_value", s_value, false, true},
    {"semaphore_destroy", s_destroy, false, false},
    {"event_create", e_create, false, false},
    {"event_set_clear", e_set_clear, false, true},
    {"event_set_clear", e_set_clear, false, true},
    {"event_is_set", e_is_set, false, true},
    {"event_wait", e_wait, false, true},
    {"event_destroy", e_destroy, false, false},
    {"condition_create", c_create, false, false},
    {"condition_acquire", c_acquire, false, true},
    {"condition_release", c_release, false, true},
    {"condition_wait", c_wait, false, true},
    {"condition_notify", c_notify, false, true},
    {"condition_destroy", c_destroy, false, false},
    {"condition_predicate", c_pred, false, true},
    {"barrier_create", b_create, false, false},
    {"barrier_wait", b_wait, false, true},
    {"barrier_abort_reset", b_abort_reset, false, true},
    {"barrier_query", b_query, false, true},
    {"barrier_destroy", b_destroy, false, false},
};
const size_t fz_sync_nops = sizeof fz_sync_ops / sizeof fz_sync_ops[0];
