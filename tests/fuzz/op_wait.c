/*
 * mp_wait (core/wait.c): the operation and the model's rule. Its group comes last in the
 * op tables, so the ops before it keep their numbers (the seeds and regressions too).
 */
#include "harness.h"

/* ---- mp_wait over queues, events and semaphores: a look (MP_NOWAIT), in any process or a
 * handler. Ready: a message or closed, set, a unit (mp/wait.h); an item the model cannot
 * speak for (a process, a pipe end) is replaced by a forged id of a kind that cannot be
 * waited on. */
static void w_look(in_t *in)
{
    static const uint32_t kinds[] = {MPI_KIND_QUEUE, MPI_KIND_EVENT, MPI_KIND_SEMAPHORE,
                                     MPI_KIND_LOCK};
    size_t n = 1u + in_u8(in) % 4u;
    mp_wait_item_t items[4];
    bool ready[4] = {false, false, false, false};
    mp_err_t want = MP_OK;
    size_t count = 0, bad = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t id = fz_pick(in, kinds[in_u8(in) % 4u]);
        uint32_t k = mpi_id_kind(id);
        if (k == MPI_KIND_PROCESS || k == MPI_KIND_CONN)
            id = 0;
        items[i] = (mp_wait_item_t){.id = id, .ready = true};
        if (want != MP_OK)
            continue;
        int slot;
        mp_err_t e = id == 0 ? MP_EHANDLE
                     : k == MPI_KIND_QUEUE || k == MPI_KIND_EVENT || k == MPI_KIND_SEMAPHORE
                         ? m_lookup(id, k, &slot)
                         : MP_EHANDLE;
        if (e != MP_OK) {
            want = e;
            bad = i;
            continue;
        }
        ready[i] = k == MPI_KIND_QUEUE   ? m.queues[slot].fifo.count > 0 || m.queues[slot].closed
                   : k == MPI_KIND_EVENT ? m.events[slot].set
                                         : m.sems[slot].count > 0;
        count += ready[i];
    }
    if (want == MP_OK && count == 0)
        want = MP_EAGAIN;
    fz_call("mp_wait", 3, (uint64_t)n, (uint64_t)items[0].id, (uint64_t)items[n - 1].id);
    size_t got = 999;
    fz_expect(want, mp_wait(items, n, MP_NOWAIT, &got));
    if (want == MP_OK || want == MP_EAGAIN) {
        fz_expect_u("ready count", count, got);
        for (size_t i = 0; i < n; i++)
            fz_expect_u("ready", ready[i], items[i].ready);
    } else {
        fz_expect_u("refused item", bad, got);
    }
}

const fz_op_t fz_wait_ops[] = {
    {"wait_look", w_look, false, true},
};
const size_t fz_wait_nops = sizeof fz_wait_ops / sizeof fz_wait_ops[0];
