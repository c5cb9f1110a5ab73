/*
 * Tables of objects, and the lifetime of an entry: the mechanism behind "a handle never
 * reaches another object's data", including for calls already inside when the object is
 * destroyed.
 *
 * Every kind but processes lives in a fixed array with a bitmap of free entries. An
 * entry's tag (world.h) holds its generation, so a handle kept past destroy is refused
 * with MP_ESTALE.
 *
 * Calls in progress. Checking the handle once, on entry, is not enough: a call that then
 * sleeps in the object, or is merely preempted in it, would wake up in whatever object
 * was created next in the same entry. So every call announces itself in its process's
 * record (mpi_proc_t.inside) before it checks the tag, and destroy does the mirror image:
 * it first moves the tag on (retired: every handle is now stale), then looks for
 * announced callers. These are hazard pointers, with the process record as the hazard:
 *
 *   caller:   inside = id;   light fence;  load tag     (retired? leave, MP_ESTALE)
 *   destroy:  tag = retired; mp_port_fence; scan inside  (anyone there? they free it)
 * and every later scan (a caller leaving last, the join of a dead one) fences too. The
 * one exception is a table marked `owned` (world.h: a Pool's results), whose entries only
 * their creator enters and destroys: its own announcements need no fence, and anyone else
 * leaves after reading the owner, touching nothing (so the model above does not cover it).
 * tests/models/objects.pml mirrors this: change it with the code.
 *
 * Either the caller sees the retirement, or destroy sees the caller (the asymmetric fence
 * makes the caller's side free: a compiler barrier, see mp_port_fence). A call that was
 * inside when the object was destroyed keeps a success (its effect may have been seen
 * already) and turns a failure into MP_ESTALE; the calls that could mistake the destroy's
 * wake-up for success (an acquire, a wait) look at mpi_retired() first. A retired entry
 * is freed, its storage given back and its bit returned, by whichever of the destroyer and
 * the callers that were inside is the last to leave; callers that are dead do not count
 * (a killed caller's record is cleared when it is joined). A caller inside a destroyed
 * object may still touch its memory, which stays the destroyed object's until freed; each
 * object makes its sleepers wake (destroy changes the words they sleep on) and its calls
 * end with MP_ESTALE.
 */
#include "world.h"

/* The registry: every kind objects.def lists, by kind. */
#define MPI_KIND(K, name) extern const mpi_table_t mpi_##name##_table;
#include "objects.def"

static const mpi_table_t *const kinds[MPI_KIND_END] = {
#define MPI_KIND(K, name) [MPI_KIND_##K] = &mpi_##name##_table,
#include "objects.def"
};

const mpi_table_t *mpi_table_of(uint32_t kind)
{
    return kind < sizeof kinds / sizeof kinds[0] ? kinds[kind] : NULL;
}

static uint32_t id_index(uint32_t id)
{
    return (id & MPI_INDEX_MASK) - 1u;
}

/* ---- creating ------------------------------------------------------------------------ */

mp_err_t mpi_obj_alloc(const mpi_table_t *t, void **obj, uint32_t *index)
{
    if (mpi_world.ready != MPI_WORLD_READY)
        return MP_ENOINIT;
    if (t->count == 0 || !mpi_bits_take(t->free, t->count, index)) {
        atomic_fetch_add(t->refused, 1u); /* mp_dump names the table and its option */
        return MP_ENOSLOT;
    }
    mpi_most(t->most, mpi_bits_used(t->free, t->count));
    *obj = mpi_obj_at(t, *index);
    return MP_OK;
}

uint32_t mpi_obj_publish(const mpi_table_t *t, void *obj, uint32_t flags)
{
    mpi_obj_t *h = obj;
    uint32_t index = (uint32_t)(((uint8_t *)obj - (uint8_t *)t->base) / t->stride);
    uint32_t gen = mpi_tag_gen(atomic_load_explicit(&h->tag, memory_order_relaxed));
    /* release: whoever finds the tag live finds the object's fields filled in */
    atomic_store_explicit(&h->tag, mpi_tag(gen, t->kind, flags), memory_order_release);
    return mpi_handle_make(t->kind, gen, index);
}

void mpi_obj_unalloc(const mpi_table_t *t, void *obj)
{
    mpi_bits_give(t->free, (uint32_t)(((uint8_t *)obj - (uint8_t *)t->base) / t->stride));
}

/* ---- freeing a retired entry ---------------------------------------------------------- */

/* Whether a live process other than `except` is inside the object id. */
static bool someone_inside(uint32_t id, uint32_t except)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++) {
        if (i == except || !mpi_slot_alive(i))
            continue;
        for (uint32_t k = 0; k < MPI_NEST; k++)
            if (atomic_load(&mpi_world.procs[i].inside[k]) == id)
                return true;
    }
    return false;
}

/* Frees the object id if it is retired and no live caller is inside it any more. Safe to
 * call by anyone, any number of times: only the exact retired state of that object is
 * freed, and only by the one that wins the step from retired to free. */
static void reclaim(const mpi_table_t *t, uint32_t id, uint32_t except, bool fence)
{
    mpi_obj_t *h = mpi_obj_at(t, id_index(id));
    uint32_t tag = atomic_load(&h->tag);
    if (mpi_tag_gen(tag) != mpi_gen_next(mpi_id_gen(id)) || mpi_tag_kind(tag) != t->kind ||
        !(tag & MPI_OBJ_RETIRED))
        return;
    /* Every scanner, not only the destroyer: a caller that announced itself before the
     * retirement may still have that store in its CPU's buffer, and a scan that misses it
     * frees the object under it (tests/models/objects.pml finds exactly that). */
    if (fence)
        (void)mp_port_fence();
    if (someone_inside(id, except))
        return;
    if (!atomic_compare_exchange_strong(&h->tag, &tag, mpi_tag(mpi_tag_gen(tag), 0, 0)))
        return;
    if (t->release != NULL)
        t->release(h, tag & MPI_OBJ_FLAGS);
    mpi_bits_give(t->free, id_index(id));
}

/* ---- calls ---------------------------------------------------------------------------- */

mp_err_t mpi_caller(mpi_call_t *c)
{
    if (mpi_world.ready != MPI_WORLD_READY)
        return MP_ENOINIT;
    c->obj = NULL;
    c->table = NULL;
    c->id = 0;
    if (mp_port_in_isr()) {
        c->slot = MPI_NO_SLOT;
        c->self = MPI_ISR_TOKEN;
        return MP_OK;
    }
    uint32_t slot = mp_port_self();
    if (slot >= MP_CONF_MAX_PROCESSES)
        return MP_EFORKED;
    c->slot = slot;
    c->self = mpi_token_of(slot);
    return MP_OK;
}

mp_err_t mpi_process_caller(mpi_call_t *c)
{
    if (mp_port_in_isr())
        return MP_EISR;
    return mpi_caller(c);
}

static bool live(const mpi_call_t *c, uint32_t tag)
{
    return mpi_tag_gen(tag) == mpi_id_gen(c->id) && mpi_tag_kind(tag) == c->table->kind &&
           !(tag & MPI_OBJ_RETIRED);
}

/* What mpi_enter_at does not do inline: a handler (which needs no announcement: it runs
 * to its end before anything it interrupted, a destroy included, goes on) and a raw
 * fork() copy (refused). */
mp_err_t mpi_enter_slow(mpi_call_t *c, const mpi_table_t *t, uint32_t index, uint32_t gen)
{
    mp_err_t err = mpi_caller(c);
    if (err != MP_OK)
        return err;
    if (c->slot != MPI_NO_SLOT)
        return mpi_enter_at(c, t, index, gen);
    c->table = t;
    c->obj = mpi_obj_at(t, index);
    c->id = mpi_handle_make(t->kind, gen, index);
    const mpi_obj_t *h = c->obj;
    return live(c, atomic_load_explicit(&h->tag, memory_order_acquire)) ? MP_OK : MP_ESTALE;
}

mp_err_t mpi_enter_id_slow(mpi_call_t *c, const mpi_table_t *t, uint32_t id)
{
    uint32_t index, gen;
    mp_err_t err = mpi_handle_split(id, t->kind, t->count, &index, &gen);
    return err != MP_OK ? err : mpi_enter_at(c, t, index, gen);
}

bool mpi_retired(const mpi_call_t *c)
{
    const mpi_obj_t *h = c->obj;
    return h != NULL && mpi_tag_gen(atomic_load(&h->tag)) != mpi_id_gen(c->id);
}

/* mpi_leave found the object destroyed (the caller has left it already). */
mp_err_t mpi_leave_slow(mpi_call_t *c, mp_err_t result)
{
    reclaim(c->table, c->id, MPI_NO_SLOT, true);
    /* A success stands: what it did (a release, a put) happened before the destroy and
     * may have been seen by others already. A failure may be the destroy's own doing (the
     * words it changed to wake its sleepers): the honest answer is that the object is gone. */
    return result == MP_OK || result == MP_EOWNERDEAD ? result : MP_ESTALE;
}

mp_err_t mpi_retire(mpi_call_t *c)
{
    mpi_obj_t *h = c->obj;
    uint32_t tag = atomic_load(&h->tag);
    do {
        if (!live(c, tag))
            return MP_ESTALE; /* destroyed by someone else meanwhile */
    } while (!atomic_compare_exchange_weak(
        &h->tag, &tag, mpi_tag(mpi_gen_next(mpi_id_gen(c->id)), c->table->kind,
                               (tag & MPI_OBJ_FLAGS) | MPI_OBJ_RETIRED)));
    return MP_OK;
}

mp_err_t mpi_leave_retired(mpi_call_t *c)
{
    if (c->slot != MPI_NO_SLOT) {
        mpi_proc_t *me = &mpi_world.procs[c->slot];
        atomic_store_explicit(&me->inside[--me->depth], 0, memory_order_release);
    }
    /* its fence: callers' announcements first (an owned entry's destroyer needs none) */
    reclaim(c->table, c->id, MPI_NO_SLOT, !c->table->owned);
    return MP_OK;
}

/* ---- sleepers and the dead ------------------------------------------------------------ */

void mpi_sleeper_add(const mpi_call_t *c, mpi_slots_t *set)
{
    mpi_store(&mpi_world.procs[c->slot].asleep, mpi_offset(set));
    mpi_slots_add(set, c->slot);
}

void mpi_sleeper_remove(const mpi_call_t *c, mpi_slots_t *set)
{
    mpi_slots_remove(set, c->slot);
    mpi_store(&mpi_world.procs[c->slot].asleep, 0);
}

void mpi_proc_forget(uint32_t slot)
{
    mpi_proc_t *p = &mpi_world.procs[slot];
    uint32_t asleep = atomic_exchange(&p->asleep, 0);
    if (asleep != 0) /* its bit, wherever it is: the slot is not reused before this */
        mpi_slots_remove(mpi_at(asleep), slot);
    for (uint32_t k = 0; k < MPI_NEST; k++) {
        /* read first: the dead process writes it no more, and most entries are empty */
        if (atomic_load_explicit(&p->inside[k], memory_order_relaxed) == 0)
            continue;
        uint32_t id = atomic_exchange(&p->inside[k], 0);
        const mpi_table_t *t = id != 0 ? mpi_table_of(mpi_id_kind(id)) : NULL;
        if (t != NULL)
            reclaim(t, id, slot, true); /* it may have been the last one inside */
    }
    p->depth = 0;
    for (uint32_t used = p->used; used != 0; used &= used - 1u) { /* the kinds it used */
        uint32_t kind = (uint32_t)__builtin_ctz(used);
        if (kind < sizeof kinds / sizeof kinds[0] && kinds[kind] != NULL &&
            kinds[kind]->forget != NULL)
            kinds[kind]->forget(slot);
    }
    p->used = 0;
    mpi_watch_forget(slot);
}
