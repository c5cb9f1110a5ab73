/*
 * Processes: CPython's Process contract on a fixed table of slots.
 *
 * Who writes what. A slot's fields are written by its creator (the parent) only, and
 * only while the slot is CREATED, or at the RUNNING -> JOINED step after reaping; the
 * child reads them. The one field a child's end changes is the life word, and the port
 * owns that (Linux sets MP_LIFE_DEAD itself through the robust list, even on SIGKILL).
 * So no lock guards the table: state moves by single stores from one writer, and a
 * free slot is claimed through the free bitmap or a CAS on a JOINED slot's state.
 *
 * Reuse. A slot becomes free only after its process was reaped (the port promises the
 * stack and control block are no longer in use) and its generation changes on every
 * free, so an old handle gets MP_ESTALE instead of aliasing the next process.
 */
#include <string.h>

#include "world.h"

static mpi_slot_t *slot_at(uint32_t index)
{
    return &mpi_world.slots[index];
}

static uint32_t state_of(const mpi_slot_t *s)
{
    return atomic_load_explicit(&s->state, memory_order_acquire);
}

static void set_state(mpi_slot_t *s, uint32_t state)
{
    atomic_store_explicit(&s->state, (uint8_t)state, memory_order_release);
}

/* No mask: mpi_gen_next keeps a slot's generation within MPI_GEN_MASK. */
mpi_token_t mpi_token_of(uint32_t index)
{
    return (index + 1u) | (uint32_t)slot_at(index)->gen << MPI_GEN_SHIFT;
}
#define token_of mpi_token_of
#define lookup mpi_process_lookup
#define lookup_child mpi_process_child

static mp_process_t handle_of(uint32_t index)
{
    return (mp_process_t){mpi_handle_make(MPI_KIND_PROCESS, slot_at(index)->gen, index)};
}

bool mpi_slot_alive(uint32_t index)
{
    const mpi_slot_t *s = slot_at(index);
    return state_of(s) == MPI_SLOT_RUNNING && !(atomic_load(&s->life) & MP_LIFE_DEAD);
}

bool mpi_token_alive(mpi_token_t token)
{
    if (token == MPI_ISR_TOKEN)
        return true;
    uint32_t index = (token & MPI_INDEX_MASK) - 1u;
    if (index >= MP_CONF_MAX_PROCESSES)
        return false;
    return slot_at(index)->gen == mpi_id_gen(token) && mpi_slot_alive(index);
}

void mpi_token_name(mpi_token_t token, char *buf, size_t size)
{
    uint32_t index = (token & MPI_INDEX_MASK) - 1u;
    if (index < MP_CONF_MAX_PROCESSES && slot_at(index)->gen == mpi_id_gen(token))
        mpi_strlcpy(buf, slot_at(index)->name, size);
    else
        mpi_strlcpy(buf, "a process that is gone", size);
}

/* The live slot a handle names. */
static mp_err_t find(mp_process_t p, uint32_t *index)
{
    uint32_t gen;
    mp_err_t err = mpi_handle_split(p.id, MPI_KIND_PROCESS, MP_CONF_MAX_PROCESSES, index, &gen);
    if (err != MP_OK)
        return err;
    const mpi_slot_t *s = slot_at(*index);
    if (s->gen != gen || state_of(s) == MPI_SLOT_FREE)
        return MP_ESTALE;
    return MP_OK;
}

/* A live slot named by a handle, for a caller c (filled in: handlers may ask queries). */
mp_err_t mpi_process_lookup(mp_process_t p, uint32_t *index, mpi_call_t *c)
{
    mp_err_t err = mpi_caller(c);
    if (err != MP_OK)
        return err;
    return find(p, index);
}

/* The checks of join/terminate/is_alive: a started child of the caller. */
mp_err_t mpi_process_child(mp_process_t p, uint32_t *index)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err == MP_OK)
        err = find(p, index);
    if (err != MP_OK)
        return err;
    if (*index == c.slot)
        return MP_ESELF;
    if (slot_at(*index)->parent != c.self)
        return MP_ENOTCHILD;
    if (state_of(slot_at(*index)) == MPI_SLOT_CREATED)
        return MP_ENOTSTARTED;
    return MP_OK;
}

static void slot_free(uint32_t index)
{
    mpi_slot_t *s = slot_at(index);
    s->gen = (uint16_t)mpi_gen_next(s->gen);
    set_state(s, MPI_SLOT_FREE);
    mpi_bits_give(mpi_world.slot_free, index);
}

/* No free slot: take the one reaped longest ago. Its handle holders get MP_ESTALE. */
static bool slot_recycle(uint32_t *index)
{
    for (;;) {
        uint32_t best = UINT32_MAX, best_seq = 0;
        uint16_t now = (uint16_t)atomic_load(&mpi_world.join_seq);
        for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++) {
            const mpi_slot_t *s = slot_at(i);
            uint32_t age = (uint16_t)(now - s->joined_seq);
            if (state_of(s) == MPI_SLOT_JOINED && (best == UINT32_MAX || age > best_seq)) {
                best = i;
                best_seq = age;
            }
        }
        if (best == UINT32_MAX)
            return false;
        uint8_t joined = MPI_SLOT_JOINED;
        if (atomic_compare_exchange_strong(&slot_at(best)->state, &joined, MPI_SLOT_FREE)) {
            slot_at(best)->gen = (uint16_t)mpi_gen_next(slot_at(best)->gen);
            *index = best;
            return true;
        }
    }
}

static void name_default(mpi_slot_t *s)
{
    size_t n = mpi_strlcpy(s->name, "Process-", sizeof s->name);
    for (uint32_t i = 0; i < s->ident_depth && n + 1 < sizeof s->name; i++) {
        if (i > 0)
            s->name[n++] = ':';
        n += mpi_utoa(s->name + n, sizeof s->name - n, s->ident[i]);
    }
    s->name[n < sizeof s->name ? n : sizeof s->name - 1] = '\0';
}

mp_err_t mp_process_create(mp_process_t *p, const mp_process_attr_t *attr)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    if (p == NULL || attr == NULL || attr->target == NULL || attr->arg_size > MP_CONF_ARG_SIZE ||
        (attr->arg == NULL && attr->arg_size > 0) || attr->daemon > MP_DAEMON_INHERIT ||
        attr->priority >= MP_CONF_PRIORITIES)
        return MP_EINVAL;
    if (attr->name != NULL && !mpi_name_fits(attr->name))
        return MP_ENAMETOOLONG; /* cut, it would not be found by that name */
    uint32_t self = c.slot;
    mpi_slot_t *me = slot_at(self);
    if (me->daemon)
        return MP_EDAEMON;

    uint32_t index;
    if (!mpi_bits_take(mpi_world.slot_free, MP_CONF_MAX_PROCESSES, &index) &&
        !slot_recycle(&index)) {
        atomic_fetch_add(&mpi_world.slot_refused, 1u); /* mp_dump names the option */
        return MP_ENOSLOT;
    }
    mpi_most(&mpi_world.slot_most, mpi_bits_used(mpi_world.slot_free, MP_CONF_MAX_PROCESSES));

    mpi_slot_t *s = slot_at(index);
    uint16_t gen = s->gen;
    memset(s, 0, sizeof *s);
    s->gen = gen;
    memset(&mpi_world.procs[index], 0, sizeof mpi_world.procs[index]);
    mpi_world.procs[index].self = token_of(index);
    mpi_world.exit_hooks[index].count = 0; /* none of the slot's last process, nor its parent's */
    s->parent = token_of(self);
    s->creator = s->parent;
    s->target = attr->target;
    s->daemon = attr->daemon == MP_DAEMON_YES ||
                (attr->daemon == MP_DAEMON_INHERIT && me->daemon);
    if (attr->arg_size > 0)
        memcpy(s->arg, attr->arg, attr->arg_size);
    s->arg_size = (uint16_t)attr->arg_size;
    s->priority = attr->priority;

    /* CPython counts children at construction: the 2nd Process() of Process-1 is 1:2. */
    me->children++;
    uint32_t depth = me->ident_depth < MP_CONF_IDENT_DEPTH ? me->ident_depth + 1u
                                                           : MP_CONF_IDENT_DEPTH;
    memcpy(s->ident, me->ident, sizeof s->ident);
    s->ident[depth - 1u] = me->children;
    s->ident_depth = (uint8_t)depth;
    if (attr->name != NULL)
        mpi_strlcpy(s->name, attr->name, sizeof s->name);
    else
        name_default(s);

    set_state(s, MPI_SLOT_CREATED);
    *p = handle_of(index);
    return MP_OK;
}

mp_err_t mp_process_start(mp_process_t p)
{
    uint32_t index;
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err == MP_OK)
        err = find(p, &index);
    if (err != MP_OK)
        return err;
    mpi_slot_t *s = slot_at(index);
    if (s->parent != c.self)
        return MP_ENOTCHILD;
    if (state_of(s) != MPI_SLOT_CREATED)
        return MP_EALREADY;
    if (slot_at(c.slot)->daemon)
        return MP_EDAEMON;

    atomic_store(&s->life, 0);
    set_state(s, MPI_SLOT_RUNNING);
    uint32_t pid = 0;
    err = mp_port_spawn(index, &pid);
    if (err != MP_OK) {
        set_state(s, MPI_SLOT_CREATED);
        return err;
    }
    atomic_store(&s->pid, pid); /* the child stores the same, for its own first look */
    return MP_OK;
}

/* The children of a reaped process become the reaper's (Unix adoption): someone must
 * be able to join them, or their slots would never come back. Those it created but never
 * started cannot be started by anyone any more, so their slots are freed. */
static void adopt_orphans(uint32_t dead, mpi_token_t me)
{
    mpi_token_t old = token_of(dead);
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++) {
        mpi_slot_t *c = slot_at(i);
        if (c->parent != old)
            continue;
        uint32_t st = state_of(c);
        if (st == MPI_SLOT_CREATED) {
            slot_free(i);
        } else if (st == MPI_SLOT_RUNNING || st == MPI_SLOT_REAPED || st == MPI_SLOT_JOINED) {
            c->parent = me; /* the port signals and reaps an adoptee as its own child */
        }
    }
}

/* Once the port has reaped a process it cannot do so again, so the exit code is kept
 * (REAPED) before the rest: a reaper that dies from there on (a pool's owner is killed
 * inside its pool's bookkeeping) leaves a slot its adopter finishes here, not one stuck
 * RUNNING that nobody can ever join. Who I am is asked first: it is a preemption point
 * on the task port, where a kill between the port's reap and REAPED would land. */
static mp_err_t reap(uint32_t index, mp_time_t deadline)
{
    mpi_slot_t *s = slot_at(index);
    mpi_token_t me = mpi_token_of(mp_port_self());
    if (state_of(s) != MPI_SLOT_REAPED) {
        int code;
        mp_err_t err = mp_port_reap(index, deadline, &code);
        if (err != MP_OK)
            return err;
        s->exitcode = code;
        set_state(s, MPI_SLOT_REAPED);
    }
    mpi_proc_forget(index); /* what it was doing when it ended: sleeping, inside objects */
    if (s->children != 0) /* one that created none has none (see mp_core_exit_sequence) */
        adopt_orphans(index, me);
    s->joined_seq = (uint16_t)atomic_fetch_add(&mpi_world.join_seq, 1u);
    atomic_fetch_or(&s->life, MP_LIFE_DEAD);
    set_state(s, MPI_SLOT_JOINED);
    return MP_OK;
}

/* Reaps a running child if it has ended; the cheap probe behind is_alive/exitcode.
 * Once the life word says "dead" (which is what makes a lock it held recoverable), the
 * process is past its last instruction and will be reapable in a moment: wait for that,
 * so is_alive never disagrees with what the locks already know. */
static void reap_if_ended(uint32_t index)
{
    uint32_t st = state_of(slot_at(index));
    if (st != MPI_SLOT_RUNNING && st != MPI_SLOT_REAPED)
        return;
    bool dead = st == MPI_SLOT_REAPED || (atomic_load(&slot_at(index)->life) & MP_LIFE_DEAD);
    (void)reap(index, dead ? MP_TIME_NEVER : 0);
}

/* ---- a child's view of its parent (CPython's parent_process()) ---------------------- *
 * A child may ask whether its parent still runs and wait for its end, with the handle
 * mp_process_parent gave it: the one of its creator, or, once an adopter took it over,
 * of the adopter. Nothing else: a parent is no child to signal or reap. */

static mp_process_t handle_of_token(mpi_token_t t)
{
    return (mp_process_t){
        mpi_handle_make(MPI_KIND_PROCESS, mpi_id_gen(t), (t & MPI_INDEX_MASK) - 1u)};
}

/* The token p names if it is the caller's creator or current parent, else 0. */
static mpi_token_t parent_named(mp_process_t p)
{
    mpi_call_t c;
    if (p.id == 0 || mpi_process_caller(&c) != MP_OK)
        return 0;
    const mpi_slot_t *me = slot_at(c.slot);
    if (me->creator != 0 && handle_of_token(me->creator).id == p.id)
        return me->creator;
    if (me->parent != 0 && handle_of_token(me->parent).id == p.id)
        return me->parent;
    return 0;
}

/* Whether the process of token t still runs: its slot still holds it, and it has not
 * ended (the life word is marked at any end, a kill included). */
static bool token_runs(mpi_token_t t)
{
    uint32_t index = (t & MPI_INDEX_MASK) - 1u;
    return mpi_token_of(index) == t && mpi_slot_alive(index);
}

/* join(parent): its end, seen on its life word (woken, or within a liveness slice). */
static mp_err_t join_parent(mpi_token_t t, mp_timeout_t timeout)
{
    mp_time_t deadline = mpi_deadline(timeout);
    _Atomic uint32_t *life = &slot_at((t & MPI_INDEX_MASK) - 1u)->life;
    for (;;) {
        uint32_t w = atomic_load(life);
        if (!token_runs(t))
            return MP_OK;
        if (timeout == MP_NOWAIT)
            return MP_EAGAIN;
        if (mpi_wait(NULL, life, w, deadline) == MP_ETIMEDOUT && token_runs(t))
            return MP_ETIMEDOUT;
    }
}

mp_err_t mp_process_join(mp_process_t p, mp_timeout_t timeout)
{
    uint32_t index;
    mp_err_t err = lookup_child(p, &index);
    if (err == MP_ENOTCHILD || err == MP_ESTALE) {
        mpi_token_t parent = parent_named(p);
        if (parent != 0)
            return join_parent(parent, timeout);
    }
    if (err != MP_OK)
        return err;
    if (state_of(slot_at(index)) == MPI_SLOT_JOINED)
        return MP_OK;
    return mpi_no_wait(timeout, reap(index, mpi_deadline(timeout)));
}

mp_err_t mp_process_is_alive(mp_process_t p, bool *alive)
{
    uint32_t index;
    mp_err_t err = lookup_child(p, &index);
    if (err == MP_ENOTCHILD || err == MP_ESTALE) {
        mpi_token_t parent = parent_named(p);
        if (parent != 0 && alive == NULL)
            return MP_EINVAL;
        if (parent != 0) {
            *alive = token_runs(parent); /* CPython's orphan check */
            return MP_OK;
        }
    }
    if (alive == NULL && (err == MP_OK || err == MP_ESELF || err == MP_ENOTSTARTED))
        return MP_EINVAL;
    if (err == MP_ESELF || err == MP_ENOTSTARTED) {
        *alive = err == MP_ESELF; /* CPython: current_process() is alive; unstarted is not */
        return MP_OK;
    }
    if (err != MP_OK)
        return err;
    reap_if_ended(index);
    *alive = state_of(slot_at(index)) == MPI_SLOT_RUNNING;
    return MP_OK;
}

/* mp_wait on a process: ended (its sentinel). A child: started, not yet joined or joined;
 * the caller's parent, as for is_alive. Deaths wake every wait on the task port; on POSIX
 * mp_core_ended announces an exit, and a kill is seen within a liveness slice. */
mp_err_t mpi_process_watch(uint32_t id, bool arm, bool *ready)
{
    mp_process_t p = {id};
    uint32_t index;
    mp_err_t err = lookup_child(p, &index);
    if (err == MP_ENOTCHILD || err == MP_ESTALE) {
        mpi_token_t parent = parent_named(p);
        if (parent != 0) {
            if (arm)
                mpi_watch_add(mp_port_self(), &slot_at((parent & MPI_INDEX_MASK) - 1u)->life, NULL);
            *ready = !token_runs(parent);
            return MP_OK;
        }
    }
    if (err != MP_OK)
        return err;
    mpi_slot_t *s = slot_at(index);
    if (arm)
        mpi_watch_add(mp_port_self(), &s->life, NULL);
    *ready = state_of(s) != MPI_SLOT_RUNNING || (atomic_load(&s->life) & MP_LIFE_DEAD);
    return MP_OK;
}

void mp_core_ended(uint32_t slot)
{
    if (slot < MP_CONF_MAX_PROCESSES)
        mpi_wake(&slot_at(slot)->life, UINT32_MAX);
}

static mp_err_t send_signal(mp_process_t p, int sig)
{
    uint32_t index;
    mp_err_t err = lookup_child(p, &index);
    if (err == MP_ESELF)
        return mp_port_signal(index, sig);
    if (err != MP_OK)
        return err;
    if (state_of(slot_at(index)) != MPI_SLOT_RUNNING)
        return MP_OK;
    return mp_port_signal(index, sig);
}

mp_err_t mp_process_terminate(mp_process_t p)
{
    return send_signal(p, MP_SIGTERM);
}

mp_err_t mp_process_kill(mp_process_t p)
{
    return send_signal(p, MP_SIGKILL);
}

mp_err_t mp_process_interrupt(mp_process_t p)
{
    return send_signal(p, MP_SIGINT);
}

mp_err_t mp_process_exitcode(mp_process_t p, int *code)
{
    uint32_t index;
    mpi_call_t c;
    mp_err_t err = lookup(p, &index, &c);
    if (err != MP_OK)
        return err;
    if (code == NULL)
        return MP_EINVAL;
    if (c.slot != MPI_NO_SLOT && slot_at(index)->parent == c.self)
        reap_if_ended(index);
    if (state_of(slot_at(index)) != MPI_SLOT_JOINED)
        return MP_ERUNNING;
    *code = slot_at(index)->exitcode;
    return MP_OK;
}

/* Whether p names a process its slot has already given up (closed, or freed with an
 * unstarted orphan): its generation is an earlier one of that slot. Generations start at
 * 1 and move on at every free, so a later or never issued one is no such handle. */
static bool closed_before(mp_process_t p)
{
    uint32_t index, gen;
    if (mpi_handle_split(p.id, MPI_KIND_PROCESS, MP_CONF_MAX_PROCESSES, &index, &gen) != MP_OK ||
        gen == 0)
        return false;
    uint32_t behind = (slot_at(index)->gen - gen) & MPI_GEN_MASK;
    return behind != 0 && behind <= MPI_GEN_MASK / 2u;
}

mp_err_t mp_process_close(mp_process_t p)
{
    uint32_t index;
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err == MP_OK)
        err = find(p, &index);
    if (err == MP_ESTALE && closed_before(p))
        return MP_OK; /* CPython: close is idempotent */
    if (err != MP_OK)
        return err;
    if (index == c.slot)
        return MP_EBUSY;
    if (slot_at(index)->parent != c.self)
        return MP_ENOTCHILD;
    reap_if_ended(index);
    if (state_of(slot_at(index)) == MPI_SLOT_RUNNING)
        return MP_EBUSY;
    slot_free(index);
    return MP_OK;
}

mp_err_t mp_process_name(mp_process_t p, char *buf, size_t size)
{
    uint32_t index;
    mpi_call_t c;
    mp_err_t err = lookup(p, &index, &c);
    if (err != MP_OK)
        return err;
    if (buf == NULL || size == 0)
        return MP_EINVAL;
    mpi_strlcpy(buf, slot_at(index)->name, size);
    return MP_OK;
}

mp_err_t mp_process_pid(mp_process_t p, uint32_t *pid)
{
    uint32_t index;
    mpi_call_t c;
    mp_err_t err = lookup(p, &index, &c);
    if (err != MP_OK)
        return err;
    if (pid == NULL)
        return MP_EINVAL;
    uint32_t known = atomic_load(&slot_at(index)->pid);
    if (state_of(slot_at(index)) == MPI_SLOT_CREATED || known == 0)
        return MP_ENOTSTARTED;
    *pid = known;
    return MP_OK;
}

mp_err_t mp_process_daemon(mp_process_t p, bool *daemon)
{
    uint32_t index;
    mpi_call_t c;
    mp_err_t err = lookup(p, &index, &c);
    if (err != MP_OK)
        return err;
    if (daemon == NULL)
        return MP_EINVAL;
    *daemon = slot_at(index)->daemon != 0;
    return MP_OK;
}

mp_err_t mp_process_self(mp_process_t *self)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    if (self == NULL)
        return MP_EINVAL;
    *self = handle_of(c.slot);
    return MP_OK;
}

mp_err_t mp_process_parent(mp_process_t *parent)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    if (parent == NULL)
        return MP_EINVAL;
    mpi_token_t t = slot_at(c.slot)->parent;
    if (t == 0)
        return MP_ENOENT;
    parent->id = mpi_handle_make(MPI_KIND_PROCESS, mpi_id_gen(t), (t & MPI_INDEX_MASK) - 1u);
    return MP_OK;
}

mp_err_t mp_process_active_children(mp_process_t *out, size_t max, size_t *count)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    if (count == NULL || (out == NULL && max > 0))
        return MP_EINVAL;
    mpi_token_t me = c.self;
    size_t n = 0;
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++) {
        if (slot_at(i)->parent != me)
            continue;
        reap_if_ended(i);
        if (state_of(slot_at(i)) != MPI_SLOT_RUNNING)
            continue;
        if (n < max)
            out[n] = handle_of(i);
        n++;
    }
    *count = n;
    return MP_OK;
}

/* CPython's _exit_function: terminate the daemonic children, then join every child. */
static void end_children(mpi_token_t me)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++)
        if (slot_at(i)->parent == me && state_of(slot_at(i)) == MPI_SLOT_RUNNING &&
            slot_at(i)->daemon)
            (void)mp_port_signal(i, MP_SIGTERM);
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++)
        if (slot_at(i)->parent == me && (state_of(slot_at(i)) == MPI_SLOT_RUNNING ||
                                         state_of(slot_at(i)) == MPI_SLOT_REAPED))
            (void)reap(i, MP_TIME_NEVER);
}

mp_err_t mp_process_yield(void)
{
    if (mpi_world.ready != MPI_WORLD_READY)
        return MP_ENOINIT;
    if (mp_port_in_isr())
        return MP_EISR; /* a handler has no turn to give up: it runs until it returns */
    if (mp_port_self() >= MP_CONF_MAX_PROCESSES)
        return MP_EFORKED;
    mp_port_yield();
    return MP_OK;
}

/* The hooks come first, as CPython's main process runs them before multiprocessing's own
 * exit handler: a hook may still tell the children to finish before they are joined. */
void mp_core_exit_sequence(void)
{
    mpi_call_t c;
    if (mpi_process_caller(&c) != MP_OK)
        return; /* no runtime, or a raw fork() copy: it has no hooks or children of its own */
    mpi_exit_hooks_run(c.slot);
    /* One that never created a child has none: adoptees go only to an ancestor (a reaper
     * of their parent), and every ancestor created one. Most processes end here. */
    if (slot_at(c.slot)->children != 0)
        end_children(c.self);
}

_Noreturn void mp_process_exit(int code)
{
    mp_core_exit_sequence();
    mp_port_exit(code);
}

_Noreturn void mp_core_process_main(uint32_t slot)
{
    mpi_slot_t *s = slot_at(slot);
    /* Known from the first instruction: the port set the life word before calling us. */
    atomic_store(&s->pid, atomic_load(&s->life) & MP_LIFE_ID_MASK);
    /* The child's private copy: on its own stack, not in the shared slot. */
    _Alignas(8) uint8_t arg[MP_CONF_ARG_SIZE > 0 ? MP_CONF_ARG_SIZE : 1];
    memcpy(arg, s->arg, s->arg_size);
    int code = s->target(s->arg_size > 0 ? arg : NULL);
    mp_process_exit(code);
}

void mp_core_process_orphan(uint32_t slot)
{
    mpi_token_t dead = token_of(slot);
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++)
        if (slot_at(i)->parent == dead && state_of(slot_at(i)) == MPI_SLOT_RUNNING &&
            slot_at(i)->daemon)
            (void)mp_port_signal(i, MP_SIGKILL);
}

mp_port_slot_t *mp_core_port_slot(uint32_t slot)
{
    return &slot_at(slot)->port;
}

_Atomic uint32_t *mp_core_life_word(uint32_t slot)
{
    return &slot_at(slot)->life;
}

uint32_t mp_core_slot_priority(uint32_t slot)
{
    return slot < MP_CONF_MAX_PROCESSES ? slot_at(slot)->priority : 0;
}

bool mp_core_slot_daemon(uint32_t slot)
{
    return slot < MP_CONF_MAX_PROCESSES && slot_at(slot)->daemon;
}

uint32_t mp_core_slot_pid(uint32_t slot)
{
    return slot < MP_CONF_MAX_PROCESSES ? atomic_load(&slot_at(slot)->pid) : 0;
}

void mp_core_slot_name(uint32_t slot, char *buf, size_t size)
{
    mpi_strlcpy(buf, slot < MP_CONF_MAX_PROCESSES ? slot_at(slot)->name : "?", size);
}

mp_err_t mp_process_find(const char *name, mp_process_t *p)
{
    mpi_call_t c; /* MP_ENOINIT, or MP_EFORKED in a raw fork() copy; a handler may ask */
    mp_err_t err = mpi_caller(&c);
    if (err != MP_OK)
        return err;
    if (name == NULL || p == NULL)
        return MP_EINVAL;
    /* a process not yet joined first: a joined one may be an old namesake */
    for (int joined = 0; joined < 2; joined++) {
        for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++) {
            uint8_t st = atomic_load(&slot_at(i)->state);
            if (st == MPI_SLOT_FREE || (st == MPI_SLOT_CREATED || st == MPI_SLOT_RUNNING) == joined)
                continue;
            char seen[MP_CONF_NAME_LEN];
            mpi_strlcpy(seen, slot_at(i)->name, sizeof seen);
            if (!mpi_streq(seen, name))
                continue;
            *p = handle_of(i);
            return MP_OK;
        }
    }
    return MP_ENOENT;
}
