/*
 * Interrupt handlers: a script of ops run by a simulated interrupt (mp_board_after), the
 * way firmware calls the runtime from a timer or a UART handler. The host simulation
 * fires an interrupt when every task is blocked; the harness makes that happen at a known
 * moment: it schedules the interrupt for "now", then the main process waits 1 ms on an
 * Event of its own that no input can reach (fz_pick steers around it). Pending children
 * run first (they are ready), then the handler runs its script, then the wait times out.
 *
 * In a handler (mp_port_in_isr) a call that would wait is MP_EISR, a lock cannot be
 * taken (MP_EISR, so a locked Value's access is refused without touching the data:
 * RULES.md item 3), an RLock is not the handler's (MP_EPERM), and the queue ops
 * use the side without taking a process's bias (core/ring.c, enter_isr).
 */
#include "harness.h"
#include "mp_board.h"

typedef struct {
    uint32_t off, len;
} isr_script_t;

static isr_script_t script;
static bool ran;

static void isr_entry(void *arg)
{
    const isr_script_t *s = arg;
    uint32_t self = m.self;
    if (ran || !mp_port_in_isr())
        fz_fail("interrupt: fired twice, or not in interrupt context");
    m.isr = true;
    m.self = 0;
    in_t in = {fz_input + s->off, s->len, 0};
    fz_run(&in);
    m.isr = false;
    m.self = self;
    ran = true;
}

static void i_interrupt(in_t *in)
{
    script.len = in_u8(in);
    script.off = (uint32_t)in->pos;
    if (script.len > in->size - in->pos)
        script.len = (uint32_t)(in->size - in->pos);
    in->pos += script.len;
    int slot = m_alloc_peek(T_EVENT);
    if (slot < 0) {
        fz_skip("interrupt: no Event left to wait on");
        return;
    }
    mp_event_t e;
    fz_call("mp_event_create (for an interrupt)", 0);
    fz_expect(MP_OK, mp_event_create(&e));
    fz_expect_u("handle", m_alloc(T_EVENT, slot, MPI_KIND_EVENT), e.id);
    m.events[slot].set = false;
    fz_private_table = T_EVENT;
    fz_private_slot = slot;

    ran = false;
    fz_call("mp_board_after", 1, (uint64_t)script.len);
    fz_expect(MP_OK, mp_board_after(0, isr_entry, &script));
    fz_call("mp_event_wait (the interrupt fires)", 1, (uint64_t)e.id);
    fz_wait_begin(T_EVENT, slot, 1);
    mp_err_t got = mp_event_wait(e, 1);
    if (fz_wait_end())
        fz_fail("model: the harness's own Event was destroyed");
    if (!ran)
        fz_fail("the interrupt did not fire while the main process waited");
    fz_expect(MP_ETIMEDOUT, got);

    fz_private_table = fz_private_slot = -1;
    fz_call("mp_event_destroy (after an interrupt)", 1, (uint64_t)e.id);
    fz_expect(MP_OK, mp_event_destroy(e));
    (void)m_free(T_EVENT, slot);
}

const fz_op_t fz_isr_ops[] = {
    {"interrupt", i_interrupt, true, false},
};
const size_t fz_isr_nops = sizeof fz_isr_ops / sizeof fz_isr_ops[0];
