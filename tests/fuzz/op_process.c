/*
 * Processes: the main process creates children whose target runs a script (a slice of
 * the input) through the same checked operations. On the host simulation with seed 0 a
 * started child runs only when the main process blocks, polls (join, is_alive, exitcode,
 * close, active_children, yield) or starts a child of higher priority; it then runs to
 * its end, since children never wait (fuzz_api.c). The model follows that schedule and
 * the process rules of core/process.c: slot reuse (lowest free slot, else the one joined
 * longest ago), names, exit codes, -15/-9 for a child signalled before it ran.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "test_hooks.h"

typedef struct {
    uint32_t off, len;
    int32_t code;
} script_t;

const uint8_t *fz_input;

/* The target of every child. */
static int child_main(void *arg)
{
    script_t s = {0, 0, 0};
    if (arg != NULL)
        memcpy(&s, arg, sizeof s);
    mp_process_t me;
    if (mp_process_self(&me) != MP_OK)
        fz_fail("child: mp_process_self failed");
    uint32_t slot = (me.id & 0xfffu) - 1u;
    m.self = slot;
    m_proc_t *p = &m.procs[slot];
    if (slot == 0 || slot >= M_PROCS || p->state != P_RUNNING || p->ran || p->ended ||
        !fz_expected_to_run(slot))
        fz_fail("child in slot %u runs, but the model did not expect it to run now", slot);
    p->ran = true;
    in_t in = {fz_input + s.off, s.len, 0};
    fz_run(&in);
    fz_disarm();
    m.self = slot;
    p->ended = true;
    p->exitcode = s.code;
    return s.code;
}

static uint32_t proc_handle(uint32_t slot)
{
    return mpi_handle_make(MPI_KIND_PROCESS, m.procs[slot].gen, slot);
}

/* core/process.c lookup(): MP_EHANDLE, MP_ESTALE (other generation, or a free slot). */
static mp_err_t lookup(uint32_t id, uint32_t *slot)
{
    uint32_t i = id & 0xfffu;
    if (mpi_id_kind(id) != MPI_KIND_PROCESS || i == 0 || i > M_PROCS)
        return MP_EHANDLE;
    *slot = i - 1u;
    const m_proc_t *p = &m.procs[*slot];
    if (p->gen != mpi_id_gen(id) || p->state == P_FREE)
        return MP_ESTALE;
    return MP_OK;
}

/* lookup_child(): a started child of the caller. */
static mp_err_t lookup_child(uint32_t id, uint32_t *slot)
{
    mp_err_t err = lookup(id, slot);
    if (err != MP_OK)
        return err;
    if (*slot == m.self)
        return MP_ESELF;
    if (m.procs[*slot].parent != m_self_token())
        return MP_ENOTCHILD;
    if (m.procs[*slot].state == P_CREATED)
        return MP_ENOTSTARTED;
    return MP_OK;
}

static void reaped(uint32_t slot)
{
    m_proc_reaped(slot);
}

/* A poll of a running child that has not ended lets every pending child run first. */
static bool needs_run(uint32_t slot)
{
    return m.procs[slot].state == P_RUNNING && !m.procs[slot].ended;
}

static void slot_free(uint32_t slot)
{
    m_proc_free(slot);
}

static void p_spawn(in_t *in)
{
    uint8_t f = in_u8(in), g = in_u8(in);
    script_t s = {0, 0, 0};
    s.len = in_u8(in); /* one read per statement: initialisers are not sequenced */
    s.code = (int8_t)in_u8(in);
    s.off = (uint32_t)in->pos;
    if (s.len > in->size - in->pos)
        s.len = (uint32_t)(in->size - in->pos);
    in->pos += s.len; /* the child's script: the main process goes on after it */
    char name[24];
    snprintf(name, sizeof name, "w%u-%s", s.len, g & 8 ? "a-rather-long-name" : "x");
    mp_process_attr_t attr = {.target = child_main, .arg = &s, .arg_size = sizeof s,
                              .name = g & 4 ? name : NULL, .daemon = g & 3,
                              .priority = (g & 0x30) == 0x30 ? 1 : 0};
    switch (f >> 4) { /* the bad attributes, one at a time */
    case 15: attr.target = NULL; break;
    case 14: attr.arg_size = MP_CONF_ARG_SIZE + 1u; break;
    case 13: attr.arg = NULL; break;
    case 12: attr.priority = MP_CONF_PRIORITIES; break;
    case 11: attr.arg_size = 0; attr.arg = NULL; break; /* valid, but no script: code 0 */
    default: break;
    }
    if ((g & 3) == 3)
        attr.daemon = (mp_daemon_t)(3 + (g >> 6)); /* not a daemon choice */
    bool no_out = (f & 0x0f) == 0x0f, no_attr = (f & 0x0f) == 0x0e;
    bool start = f & 1;
    fz_call("mp_process_create", 5, (uint64_t)f, (uint64_t)g, (uint64_t)s.len, (uint64_t)s.code,
            (uint64_t)attr.arg_size);
    mp_err_t want = MP_OK;
    uint32_t slot = M_PROCS;
    if (no_out || no_attr || attr.target == NULL || attr.arg_size > MP_CONF_ARG_SIZE ||
        (attr.arg == NULL && attr.arg_size > 0) || attr.daemon > MP_DAEMON_INHERIT ||
        attr.priority >= MP_CONF_PRIORITIES)
        want = MP_EINVAL;
    else if (attr.name != NULL && strlen(attr.name) >= MP_CONF_NAME_LEN)
        want = MP_ENAMETOOLONG; /* refused, never cut */
    else if ((slot = m_proc_take()) == M_PROCS)
        want = MP_ENOSLOT;
    mp_process_t p = {0};
    fz_expect(want, mp_process_create(no_out ? NULL : &p, no_attr ? NULL : &attr));
    if (want != MP_OK)
        return;
    fz_expect_u("handle", proc_handle(slot), p.id);
    m_proc_t *c = &m.procs[slot];
    c->state = P_CREATED;
    c->parent = m_self_token();
    c->daemon = attr.daemon == MP_DAEMON_YES;
    c->priority = attr.priority;
    c->script_off = s.off;
    c->script_len = attr.arg_size ? s.len : 0;
    c->code = attr.arg_size ? s.code : 0;
    m.main_children++;
    if (attr.name)
        snprintf(c->name, sizeof c->name, "%s", attr.name);
    else /* the runtime counts children in 16 bits (slot.children) */
        snprintf(c->name, sizeof c->name, "Process-%u", (unsigned)(uint16_t)m.main_children);
    fz_pool_add(MPI_KIND_PROCESS, p.id);
    if (!start)
        return;
    fz_call("mp_process_start", 1, (uint64_t)p.id);
    c->state = P_RUNNING;
    c->start_seq = m.start_seq++;
    bool now = c->priority > 0; /* a more urgent child takes the CPU at once */
    if (now)
        fz_poll_begin();
    mp_err_t got = mp_process_start(p);
    if (now) {
        fz_poll_end(); /* the children's checks are done: back to this call's */
        m.death_unseen = true; /* they ended while it was not in a wait */
    }
    fz_expect(MP_OK, got);
}

static void p_start(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_PROCESS);
    fz_call("mp_process_start", 1, (uint64_t)id);
    uint32_t slot;
    mp_err_t want = lookup(id, &slot);
    m_proc_t *c = &m.procs[slot < M_PROCS ? slot : 0];
    if (want == MP_OK && c->parent != m_self_token())
        want = MP_ENOTCHILD;
    else if (want == MP_OK && c->state != P_CREATED)
        want = MP_EALREADY;
    bool now = false;
    if (want == MP_OK) {
        c->state = P_RUNNING;
        c->start_seq = m.start_seq++;
        now = c->priority > 0;
    }
    if (now)
        fz_poll_begin();
    mp_err_t got = mp_process_start((mp_process_t){id});
    if (now) {
        fz_poll_end();
        m.death_unseen = true;
    }
    fz_expect(want, got);
}

/* After a call that polled a child (the caller bracketed it, so a pending child has run
 * to its end meanwhile): it is reaped. */
static void reap_if_ended(uint32_t slot)
{
    if (m.procs[slot].state != P_RUNNING)
        return;
    if (!m.procs[slot].ended)
        fz_fail("model: child in slot %u polled but has not ended", slot);
    reaped(slot);
}

/* A child's own parent (the main process, which runs as long as any child does). */
static bool my_parent(uint32_t id)
{
    return m.self != 0 && id == proc_handle(0);
}

static void p_join(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_PROCESS);
    mp_timeout_t t = fz_timeout(in);
    if (my_parent(id))
        t = MP_NOWAIT; /* a child's join of its parent would wait out its whole timeout */
    fz_call("mp_process_join", 2, (uint64_t)id, (uint64_t)t);
    uint32_t slot;
    mp_err_t want = lookup_child(id, &slot);
    if (my_parent(id)) {
        fz_expect(MP_EAGAIN, mp_process_join((mp_process_t){id}, t)); /* it still runs */
        return;
    }
    if (want != MP_OK || m.procs[slot].state == P_JOINED) {
        fz_expect(want, mp_process_join((mp_process_t){id}, t));
        return;
    }
    bool run = needs_run(slot);
    if (run)
        fz_wait_begin(-1, -1, t);
    mp_err_t got = mp_process_join((mp_process_t){id}, t);
    if (run)
        (void)fz_wait_end();
    if (!m.procs[slot].ended)
        fz_fail("model: joined child did not end");
    reaped(slot);
    fz_expect(MP_OK, got);
}

static void check_pid(uint32_t slot, uint32_t pid)
{
    m_proc_t *p = &m.procs[slot];
    if (m_avoid[6] && (slot == 0 || slot == m.self || pid == 0))
        return; /* defect 6: the parent writes the pid only after the child may have run */
    if (pid == 0)
        fz_fail("pid of the process in slot %u is 0", slot);
    if (p->pid == 0) {
        for (uint32_t i = 0; i < M_PROCS; i++)
            if (i != slot && m.procs[i].pid == pid && m.procs[i].state == P_RUNNING &&
                !m.procs[i].ended)
                fz_fail("pid %u of slot %u is also slot %u's", pid, slot, i);
        p->pid = pid;
    }
    fz_expect_u("pid", p->pid, pid);
}

static void p_query(in_t *in)
{
    uint8_t f = in_u8(in);
    uint32_t id = fz_pick(in, MPI_KIND_PROCESS);
    bool no_out = (f & 0xe0) == 0xe0;
    uint32_t slot = 0;
    mp_err_t want;
    switch (f % 8u) {
    case 0: { /* is_alive */
        fz_call("mp_process_is_alive", 2, (uint64_t)id, (uint64_t)no_out);
        bool alive = false, want_alive = false;
        want = lookup_child(id, &slot);
        bool child = want == MP_OK; /* a started child of the caller: polled and reaped */
        if (want == MP_ESELF || want == MP_ENOTSTARTED || my_parent(id)) {
            want_alive = want == MP_ESELF || my_parent(id); /* a parent runs while we do */
            want = MP_OK;
        }
        if (no_out && want == MP_OK) {
            want = MP_EINVAL; /* after the handle */
            child = false;
        }
        bool run = child && needs_run(slot);
        if (run)
            fz_poll_begin();
        mp_err_t got = mp_process_is_alive((mp_process_t){id}, no_out ? NULL : &alive);
        if (run)
            fz_poll_end();
        if (child)
            reap_if_ended(slot);
        fz_expect(want, got);
        if (want == MP_OK)
            fz_expect_u("alive", want_alive, alive);
        break;
    }
    case 1: { /* exitcode */
        fz_call("mp_process_exitcode", 2, (uint64_t)id, (uint64_t)no_out);
        int code = 777;
        want = lookup(id, &slot);
        if (want == MP_OK && no_out)
            want = MP_EINVAL; /* after the handle */
        bool mine = want == MP_OK && m.procs[slot].parent == m_self_token();
        bool run = mine && needs_run(slot);
        if (run)
            fz_poll_begin();
        mp_err_t got = mp_process_exitcode((mp_process_t){id}, no_out ? NULL : &code);
        if (run)
            fz_poll_end();
        if (mine)
            reap_if_ended(slot);
        if (want == MP_OK && m.procs[slot].state != P_JOINED)
            want = MP_ERUNNING;
        fz_expect(want, got);
        if (want == MP_OK)
            fz_expect_u("exitcode", (uint64_t)(int64_t)m.procs[slot].exitcode, (uint64_t)(int64_t)code);
        break;
    }
    case 2: { /* pid */
        fz_call("mp_process_pid", 2, (uint64_t)id, (uint64_t)no_out);
        uint32_t pid = 777;
        want = lookup(id, &slot);
        if (want == MP_OK && no_out)
            want = MP_EINVAL; /* after the handle */
        if (want == MP_OK && m.procs[slot].state == P_CREATED)
            want = MP_ENOTSTARTED;
        fz_expect(want, mp_process_pid((mp_process_t){id}, no_out ? NULL : &pid));
        if (want == MP_OK)
            check_pid(slot, pid);
        break;
    }
    case 3: { /* name */
        size_t size = f & 0x10 ? 1u + (f & 7u) : f & 0x08 ? 0 : 32;
        fz_call("mp_process_name", 3, (uint64_t)id, (uint64_t)size, (uint64_t)no_out);
        char buf[32];
        memset(buf, 'x', sizeof buf);
        want = lookup(id, &slot);
        if (want == MP_OK && (no_out || size == 0))
            want = MP_EINVAL; /* after the handle */
        fz_expect(want, mp_process_name((mp_process_t){id}, no_out ? NULL : buf, size));
        if (want == MP_OK) {
            char expect[32];
            snprintf(expect, size, "%s", m.procs[slot].name);
            if (strcmp(expect, buf) != 0)
                fz_fail("name: expected \"%s\", got \"%.31s\"", expect, buf);
        }
        break;
    }
    case 4: { /* daemon */
        fz_call("mp_process_daemon", 2, (uint64_t)id, (uint64_t)no_out);
        bool d = false;
        want = lookup(id, &slot);
        if (want == MP_OK && no_out)
            want = MP_EINVAL; /* after the handle */
        fz_expect(want, mp_process_daemon((mp_process_t){id}, no_out ? NULL : &d));
        if (want == MP_OK)
            fz_expect_u("daemon", m.procs[slot].daemon, d);
        break;
    }
    case 5: { /* self, and the pid it reports */
        fz_call("mp_process_self", 1, (uint64_t)no_out);
        mp_process_t p = {0};
        fz_expect(no_out ? MP_EINVAL : MP_OK, mp_process_self(no_out ? NULL : &p));
        if (no_out)
            break;
        fz_expect_u("self", proc_handle(m.self), p.id);
        fz_pool_add(MPI_KIND_PROCESS, p.id);
        uint32_t pid = 0;
        fz_call("mp_process_pid(self)", 1, (uint64_t)p.id);
        fz_expect(MP_OK, mp_process_pid(p, &pid));
        check_pid(m.self, pid);
        break;
    }
    case 6: { /* parent */
        fz_call("mp_process_parent", 1, (uint64_t)no_out);
        mp_process_t p = {0};
        want = no_out ? MP_EINVAL : m.self == 0 ? MP_ENOENT : MP_OK;
        fz_expect(want, mp_process_parent(no_out ? NULL : &p));
        if (want == MP_OK)
            fz_expect_u("parent", proc_handle(0), p.id);
        break;
    }
    default: { /* active_children: reaps every ended child, after running the pending */
        if (fz_in_child()) {
            fz_skip("active_children in a child");
            break;
        }
        size_t max = f & 0x10 ? 4 : 0, count = 777;
        mp_process_t out[4];
        bool bad = (f & 0x18) == 0x18; /* out NULL with max 4 */
        fz_call("mp_process_active_children", 3, (uint64_t)max, (uint64_t)bad, (uint64_t)no_out);
        want = no_out || bad ? MP_EINVAL : MP_OK;
        /* It reaps in slot order: the children before the first one that has not ended
         * are reaped before the pending ones run (and may look at them). */
        uint32_t first = M_PROCS;
        for (uint32_t i = 1; i < M_PROCS && want == MP_OK && first == M_PROCS; i++) {
            if (m.procs[i].parent != m_self_token())
                continue;
            if (needs_run(i))
                first = i;
            else
                reap_if_ended(i);
        }
        bool run = first < M_PROCS;
        if (run)
            fz_poll_begin();
        mp_err_t got = mp_process_active_children(bad ? NULL : out, max, no_out ? NULL : &count);
        if (run)
            fz_poll_end();
        for (uint32_t i = 1; i < M_PROCS && want == MP_OK; i++)
            if (m.procs[i].parent == m_self_token())
                reap_if_ended(i);
        fz_expect(want, got);
        if (want == MP_OK)
            fz_expect_u("active children", 0, count);
        break;
    }
    }
}

/* core/suspend.c target(): a started child of the caller, or the caller (*self), that has
 * not ended. */
static mp_err_t suspend_target(uint32_t id, uint32_t *slot, bool *self)
{
    mp_err_t want = lookup_child(id, slot);
    *self = want == MP_ESELF;
    if (want != MP_OK)
        return *self ? MP_OK : want;
    const m_proc_t *p = &m.procs[*slot];
    return p->state == P_RUNNING && !p->ended ? MP_OK : MP_ENOENT;
}

/* Suspend, look, suspend again, resume: nothing stays suspended from one op to the next,
 * so the schedule the model follows is the same (a resumed pending child goes to the
 * back of its level, which only changes the order the pending run in). */
static void p_suspend_resume(uint32_t id)
{
    fz_call("mp_process_suspend", 1, (uint64_t)id);
    uint32_t slot;
    bool self;
    mp_err_t want = suspend_target(id, &slot, &self);
    if (self)
        want = MP_ESELF; /* the main process: nobody could resume it */
    fz_expect(want, mp_process_suspend((mp_process_t){id}));
    if (want != MP_OK)
        return;
    bool suspended = false;
    fz_call("mp_process_is_suspended", 1, (uint64_t)id);
    fz_expect(MP_OK, mp_process_is_suspended((mp_process_t){id}, &suspended));
    fz_expect_u("suspended", 1, suspended);
    fz_call("mp_process_suspend(again)", 1, (uint64_t)id);
    fz_expect(MP_EALREADY, mp_process_suspend((mp_process_t){id}));
    fz_call("mp_process_resume", 1, (uint64_t)id);
    fz_expect(MP_OK, mp_process_resume((mp_process_t){id}));
}

static void p_resume(uint32_t id)
{
    fz_call("mp_process_resume", 1, (uint64_t)id);
    uint32_t slot;
    bool self;
    mp_err_t want = suspend_target(id, &slot, &self);
    if (self || want == MP_OK)
        want = MP_ERUNNING; /* not suspended */
    fz_expect(want, mp_process_resume((mp_process_t){id}));
}

static void p_is_suspended(uint32_t id, bool no_out)
{
    fz_call("mp_process_is_suspended", 2, (uint64_t)id, (uint64_t)no_out);
    uint32_t slot;
    bool suspended = true;
    mp_err_t want = lookup(id, &slot);
    if (want == MP_OK && no_out)
        want = MP_EINVAL; /* after the handle */
    fz_expect(want, mp_process_is_suspended((mp_process_t){id}, no_out ? NULL : &suspended));
    if (want == MP_OK)
        fz_expect_u("suspended", 0, suspended);
}

/* One byte: bit 0 kill (else terminate); bits 1-2 0 that signal, 1 suspend and resume,
 * 2 resume alone, 3 is_suspended (bit 0: a NULL output). */
static void p_signal(in_t *in)
{
    uint8_t b = in_u8(in);
    bool kill = b & 1;
    uint32_t id = fz_pick(in, MPI_KIND_PROCESS);
    switch (b >> 1 & 3u) {
    case 1: p_suspend_resume(id); return;
    case 2: p_resume(id); return;
    case 3: p_is_suspended(id, kill); return;
    default: break;
    }
    fz_call(kill ? "mp_process_kill" : "mp_process_terminate", 1, (uint64_t)id);
    uint32_t slot;
    mp_err_t want = lookup_child(id, &slot);
    if (want == MP_ESELF) {
        fz_skip("signal to oneself ends the process");
        return;
    }
    fz_expect(want, kill ? mp_process_kill((mp_process_t){id})
                         : mp_process_terminate((mp_process_t){id}));
    if (want == MP_OK && m.procs[slot].state == P_RUNNING && !m.procs[slot].ended) {
        m.death_unseen = true;
        m.procs[slot].ended = true; /* it never runs: its script is dropped */
        m.procs[slot].exitcode = kill ? -MP_SIGKILL : -MP_SIGTERM;
    }
}

static void p_close(in_t *in)
{
    uint32_t id = fz_pick(in, MPI_KIND_PROCESS);
    fz_call("mp_process_close", 1, (uint64_t)id);
    uint32_t slot;
    mp_err_t want = lookup(id, &slot);
    bool live = want == MP_OK;
    uint32_t gen = mpi_id_gen(id);
    uint32_t behind = want == MP_ESTALE ? (m.procs[slot].gen - gen) & MPI_GEN_MASK : 0u;
    if (gen != 0 && behind != 0 && behind <= MPI_GEN_MASK / 2u)
        want = MP_OK; /* a process already closed: closing is idempotent, as in CPython */
    else if (want == MP_OK && slot == m.self)
        want = MP_EBUSY;
    else if (want == MP_OK && m.procs[slot].parent != m_self_token())
        want = MP_ENOTCHILD;
    bool frees = live && want == MP_OK;
    bool run = frees && needs_run(slot);
    if (run)
        fz_poll_begin();
    mp_err_t got = mp_process_close((mp_process_t){id});
    if (run)
        fz_poll_end();
    if (frees) {
        reap_if_ended(slot);
        slot_free(slot);
    }
    fz_expect(want, got);
}

static void p_yield(in_t *in)
{
    (void)in;
    fz_call("mp_process_yield", 0);
    bool run = m_pending_children();
    if (m_avoid[13] && m.death_unseen)
        run = false; /* returns at once, having noted the death */
    m.death_unseen = false;
    if (run)
        fz_poll_begin();
    mp_err_t got = mp_process_yield();
    if (run)
        fz_poll_end();
    fz_expect(MP_OK, got);
}

/* A child arms its own death at a point inside the ring (core/test_hooks.h). */
static void p_die_at(in_t *in)
{
    static const int points[] = {MPI_HOOK_PUT_INSIDE, MPI_HOOK_PUT_PUBLISH, MPI_HOOK_GET_INSIDE};
    uint8_t b = in_u8(in);
    if (!fz_in_child() || fz_isr()) {
        fz_skip("only a child dies at a hook");
        return;
    }
    fz_arm(points[b % 3u], 1u + (b >> 2) % 4u);
}

void fz_process_cleanup(void)
{
    for (uint32_t i = 1; i < M_PROCS; i++) {
        m_proc_t *p = &m.procs[i];
        if (p->state == P_FREE)
            continue;
        uint32_t id = proc_handle(i);
        if (p->state == P_RUNNING) {
            fz_call("cleanup: mp_process_join", 1, (uint64_t)id);
            bool run = needs_run(i);
            if (run)
                fz_poll_begin();
            mp_err_t got = mp_process_join((mp_process_t){id}, MP_FOREVER);
            if (run)
                fz_poll_end();
            fz_expect(MP_OK, got);
            reaped(i);
        }
        fz_call("cleanup: mp_process_close", 1, (uint64_t)id);
        fz_expect(MP_OK, mp_process_close((mp_process_t){id}));
        slot_free(i);
    }
}

const fz_op_t fz_process_ops[] = {
    {"process_spawn", p_spawn, true, false}, {"process_spawn", p_spawn, true, false},
    {"process_start", p_start, true, false}, {"process_join", p_join, true, false},
    {"process_query", p_query, false, false}, {"process_signal", p_signal, true, false},
    {"process_close", p_close, true, false}, {"process_yield", p_yield, true, false},
    {"process_die_at", p_die_at, false, false},
};
const size_t fz_process_nops = sizeof fz_process_ops / sizeof fz_process_ops[0];
