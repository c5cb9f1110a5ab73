/*
 * Lock and RLock: the operations and the model's rules (core/lock.c): a Lock may be
 * released by anyone while held (MP_ENOTLOCKED when free); an RLock only by its holder
 * (MP_EPERM); a holder that died hands the lock to the next acquirer with MP_EOWNERDEAD;
 * destroy is MP_EBUSY while a live process holds it, and (RULES.md item 2) while a
 * Value/Array or a Condition uses it.
 */
#include "harness.h"

int m_lock_take(int slot)
{
    m_lock_t *l = &m.locks[slot];
    if (l->holder != 0 && m_alive(l->holder))
        return 1;
    mp_err_t r = l->holder == 0 ? MP_OK : MP_EOWNERDEAD;
    l->holder = m_self_token();
    l->depth = 1;
    return r;
}

mp_err_t m_lock_release(int slot, uint32_t kind)
{
    m_lock_t *l = &m.locks[slot];
    if (kind == MPI_KIND_LOCK) {
        if (l->holder == 0)
            return MP_ENOTLOCKED;
        l->holder = 0;
        l->depth = 0;
        return MP_OK;
    }
    if (l->holder != m_self_token())
        return MP_EPERM;
    if (--l->depth == 0)
        l->holder = 0;
    return MP_OK;
}

static void l_create(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t kind = f & 1 ? MPI_KIND_RLOCK : MPI_KIND_LOCK;
    bool no_out = f > 250;
    fz_call(kind == MPI_KIND_LOCK ? "mp_lock_create" : "mp_rlock_create", 1, (uint64_t)no_out);
    int slot = m_alloc_peek(T_LOCK);
    mp_err_t want = no_out ? MP_EINVAL : slot < 0 ? MP_ENOSLOT : MP_OK;
    uint32_t id = 0;
    mp_err_t got = kind == MPI_KIND_LOCK ? mp_lock_create(no_out ? NULL : (mp_lock_t *)&id)
                                         : mp_rlock_create(no_out ? NULL : (mp_rlock_t *)&id);
    fz_expect(want, got);
    if (want != MP_OK)
        return;
    fz_expect_u("handle", m_alloc(T_LOCK, slot, kind), id);
    m.locks[slot] = (m_lock_t){0, 0, -1, -1, 0, false};
    fz_pool_add(kind, id);
}

static mp_err_t call_acquire(uint32_t kind, uint32_t id, mp_timeout_t t)
{
    return kind == MPI_KIND_LOCK ? mp_lock_acquire((mp_lock_t){id}, t)
                                 : mp_rlock_acquire((mp_rlock_t){id}, t);
}

static void l_acquire(in_t *in)
{
    uint32_t kind = in_u8(in) & 1 ? MPI_KIND_RLOCK : MPI_KIND_LOCK;
    uint32_t id = fz_pick(in, kind);
    mp_timeout_t t = fz_timeout(in);
    int slot;
    mp_err_t want = m_lookup(id, kind, &slot);
    if (fz_isr()) {
        want = MP_EISR; /* a handler holds no lock: checked before the handle */
    } else if (want == MP_OK) {
        m_lock_t *l = &m.locks[slot];
        if (kind == MPI_KIND_RLOCK && l->holder == m_self_token()) {
            l->depth++;
        } else {
            int r = m_lock_take(slot);
            if (r == 1 && fz_in_child())
                t = MP_NOWAIT;
            if (fz_waits(r, t, &want)) {
                fz_call(kind == MPI_KIND_LOCK ? "mp_lock_acquire" : "mp_rlock_acquire", 2,
                        (uint64_t)id, (uint64_t)t);
                fz_wait_begin(T_LOCK, slot, t);
                mp_err_t got = call_acquire(kind, id, t);
                if (fz_wait_end()) {
                    want = MP_ESTALE;
                } else {
                    r = m_lock_take(slot);
                    want = r == 1 ? fz_timeout_code(t) : r;
                }
                fz_expect(want, got);
                return;
            }
        }
    }
    fz_call(kind == MPI_KIND_LOCK ? "mp_lock_acquire" : "mp_rlock_acquire", 2, (uint64_t)id,
            (uint64_t)t);
    fz_expect(want, call_acquire(kind, id, t));
}

static void l_release(in_t *in)
{
    uint32_t kind = in_u8(in) & 1 ? MPI_KIND_RLOCK : MPI_KIND_LOCK;
    uint32_t id = fz_pick(in, kind);
    fz_call(kind == MPI_KIND_LOCK ? "mp_lock_release" : "mp_rlock_release", 1, (uint64_t)id);
    int slot;
    mp_err_t want = m_lookup(id, kind, &slot);
    if (want == MP_OK)
        want = m_lock_release(slot, kind);
    fz_expect(want, kind == MPI_KIND_LOCK ? mp_lock_release((mp_lock_t){id})
                                          : mp_rlock_release((mp_rlock_t){id}));
}

static void l_query(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t kind = f & 1 ? MPI_KIND_RLOCK : MPI_KIND_LOCK;
    uint32_t id = fz_pick(in, kind);
    bool no_out = f > 245;
    int slot;
    mp_err_t want = m_lookup(id, kind, &slot);
    if (want == MP_OK && no_out)
        want = MP_EINVAL; /* after the handle */
    if (kind == MPI_KIND_LOCK) {
        bool locked = false;
        fz_call("mp_lock_locked", 2, (uint64_t)id, (uint64_t)no_out);
        fz_expect(want, mp_lock_locked((mp_lock_t){id}, no_out ? NULL : &locked));
        if (want == MP_OK)
            fz_expect_u("locked", m.locks[slot].holder != 0, locked);
    } else {
        uint32_t depth = 777;
        fz_call("mp_rlock_depth", 2, (uint64_t)id, (uint64_t)no_out);
        fz_expect(want, mp_rlock_depth((mp_rlock_t){id}, no_out ? NULL : &depth));
        if (want == MP_OK)
            fz_expect_u("depth", m.locks[slot].holder == m_self_token() ? m.locks[slot].depth : 0,
                        depth);
    }
}

static mp_err_t call_destroy(uint32_t kind, uint32_t id)
{
    return kind == MPI_KIND_LOCK ? mp_lock_destroy((mp_lock_t){id})
                                 : mp_rlock_destroy((mp_rlock_t){id});
}

static void l_destroy(in_t *in)
{
    uint32_t kind = in_u8(in) & 1 ? MPI_KIND_RLOCK : MPI_KIND_LOCK;
    uint32_t id = fz_pick(in, kind);
    fz_call(kind == MPI_KIND_LOCK ? "mp_lock_destroy" : "mp_rlock_destroy", 1, (uint64_t)id);
    int slot;
    mp_err_t want = m_lookup(id, kind, &slot);
    if (want == MP_OK && m_lock_busy(slot))
        want = MP_EBUSY;
    if (want == MP_OK && m_avoid[2] && m.inside.active && m.inside.table == T_LOCK &&
        m.inside.slot == slot) {
        fz_skip("defect 2: destroy while the main process is inside");
        return;
    }
    if (want == MP_EBUSY && m_avoid[3] && !(m.locks[slot].holder && m_alive(m.locks[slot].holder))) {
        fz_skip("defect 3: destroy of a lock a Value/Array/Condition uses");
        return;
    }
    fz_expect(want, call_destroy(kind, id));
    if (want == MP_OK)
        (void)m_free(T_LOCK, slot);
}

void fz_lock_cleanup(void)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_LOCKS; i++) {
        uint32_t kind = m.hdr[T_LOCK][i].kind;
        if (kind == 0)
            continue;
        uint32_t id = m_handle(T_LOCK, (int)i);
        while (m.locks[i].holder == m_self_token()) {
            fz_call("cleanup: release", 1, (uint64_t)id);
            fz_expect(m_lock_release((int)i, kind), kind == MPI_KIND_LOCK
                                                        ? mp_lock_release((mp_lock_t){id})
                                                        : mp_rlock_release((mp_rlock_t){id}));
        }
        fz_call("cleanup: destroy", 1, (uint64_t)id);
        fz_expect(MP_OK, call_destroy(kind, id));
        (void)m_free(T_LOCK, (int)i);
    }
}

const fz_op_t fz_lock_ops[] = {
    {"lock_create", l_create, false, false},   {"lock_acquire", l_acquire, false, true},
    {"lock_acquire", l_acquire, false, true},  {"lock_release", l_release, false, true},
    {"lock_release", l_release, false, true},  {"lock_query", l_query, false, true},
    {"lock_destroy", l_destroy, false, false},
};
const size_t fz_lock_nops = sizeof fz_lock_ops / sizeof fz_lock_ops[0];
