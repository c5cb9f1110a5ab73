/*
 * Exit hooks: CPython's atexit.register, per process. Each process keeps its own, in its
 * row of the world (world.h), and runs them in its exit sequence (process.c), the last
 * registered first.
 *
 * A hook is taken off its row before it runs, so each runs once even when it ends the
 * process itself (mp_process_exit re-enters the sequence, which goes on with the hooks
 * left), and one registered by a running hook runs next. A process that is terminated,
 * killed or crashes never reaches its exit sequence: its hooks stay unrun in the row,
 * which the slot's next create clears.
 */
#include "world.h"

mp_err_t mp_atexit(mp_atexit_fn fn, void *arg)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    if (fn == NULL)
        return MP_EINVAL;
    mpi_exit_hooks_t *h = &mpi_world.exit_hooks[c.slot];
    if (h->count >= mpi_count(MP_CONF_EXIT_HOOKS))
        return MP_ENOSLOT;
    h->hook[h->count].fn = fn;
    h->hook[h->count].arg = arg;
    h->count++;
    return MP_OK;
}

void mpi_exit_hooks_run(uint32_t slot)
{
    mpi_exit_hooks_t *h = &mpi_world.exit_hooks[slot];
    while (h->count > 0) {
        uint32_t last = --h->count;
        mp_atexit_fn fn = h->hook[last].fn;
        void *arg = h->hook[last].arg;
        fn(arg);
    }
}
