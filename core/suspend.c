/*
 * Suspend and resume another process (FreeRTOS vTaskSuspend/vTaskResume, Zephyr
 * k_thread_suspend; SIGSTOP/SIGCONT on POSIX).
 *
 * A suspended process is what README calls a stopped one: it runs none of its code and
 * keeps everything it holds, and since it may continue, nothing it holds is taken over (a
 * lock stays held; only a dead holder's is recovered). Its word in its process record
 * (procs[].suspended, 1 while suspended) is what everyone else sees: the query, and the
 * deadlock reports that name a suspended waiter or holder.
 *
 * Who: the parent (or adopter), as for terminate, and the process itself. Suspending
 * another goes through the port (mp_port_signal, MP_SIGSTOP), which returns once it runs
 * no more. Suspending oneself is a wait on one's own word until the parent clears it: no
 * port is involved, and a resume that comes before the wait begins is not lost, as it
 * would be if a process stopped itself with a signal. Resume clears the word, wakes a
 * process asleep on it, and has the port continue one it stopped.
 */
#include "world.h"

static _Atomic uint32_t *word_of(uint32_t index)
{
    return &mpi_world.procs[index].suspended;
}

/* A started child of the caller, or the caller itself (*self), that has not ended. */
static mp_err_t target(mp_process_t p, uint32_t *index, bool *self)
{
    mp_err_t err = mpi_process_child(p, index);
    *self = err == MP_ESELF;
    if (err != MP_OK && !*self)
        return err;
    return *self || mpi_slot_alive(*index) ? MP_OK : MP_ENOENT;
}

static mp_err_t suspend_self(_Atomic uint32_t *word)
{
    atomic_store(word, 1u);
    while (atomic_load(word) != 0)
        if (mpi_wait(NULL, word, 1u, MP_TIME_NEVER) == MP_EDEADLK) {
            atomic_store(word, 0); /* the simulation gave up on it: it runs again */
            return MP_EDEADLK;
        }
    return MP_OK;
}

mp_err_t mp_process_suspend(mp_process_t p)
{
    uint32_t index;
    bool self;
    mp_err_t err = target(p, &index, &self);
    if (err != MP_OK)
        return err;
    if (self && index == 0)
        return MP_ESELF; /* the main process has no parent to resume it */
    if (self)
        return suspend_self(word_of(index));
    if (atomic_exchange(word_of(index), 1u) != 0)
        return MP_EALREADY;
    return mp_port_signal(index, MP_SIGSTOP);
}

mp_err_t mp_process_resume(mp_process_t p)
{
    uint32_t index;
    bool self;
    mp_err_t err = target(p, &index, &self);
    if (err != MP_OK)
        return err;
    /* The caller runs, so it is not suspended; its word may already be 1 for a suspend
     * by its parent still on its way, which this must not undo. */
    if (self || atomic_exchange(word_of(index), 0) == 0)
        return MP_ERUNNING;
    mp_port_wake(word_of(index), UINT32_MAX); /* it suspended itself: it sleeps there */
    return mp_port_signal(index, MP_SIGCONT); /* its parent did: the port stopped it */
}

mp_err_t mp_process_is_suspended(mp_process_t p, bool *suspended)
{
    uint32_t index;
    mpi_call_t c;
    mp_err_t err = mpi_process_lookup(p, &index, &c);
    if (err != MP_OK)
        return err;
    if (suspended == NULL)
        return MP_EINVAL;
    *suspended = mpi_slot_alive(index) && atomic_load(word_of(index)) != 0;
    return MP_OK;
}

bool mpi_token_suspended(mpi_token_t t)
{
    uint32_t index = (t & MPI_INDEX_MASK) - 1u;
    return t != MPI_ISR_TOKEN && mpi_token_alive(t) && atomic_load(word_of(index)) != 0;
}

bool mp_core_slot_suspended(uint32_t slot)
{
    return slot < MP_CONF_MAX_PROCESSES && mpi_slot_alive(slot) &&
           atomic_load(word_of(slot)) != 0;
}
