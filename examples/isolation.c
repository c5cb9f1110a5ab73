/*
 * Memory isolation (POSIX only): a global changed in a child is unchanged in the parent,
 * as in CPython, because each process is a forked copy. Only what is in the shared world
 * is common: here a global marked MP_SHARED (CPython's RawValue), which the parent sees
 * changed.
 *
 * On the task ports (the host simulation, the Cortex-M3) processes are tasks in one
 * address space, as on any microcontroller: every global is shared, so the first counter
 * would change in the parent too. Portable code keeps what processes share in MP_SHARED
 * globals or the runtime's objects, and what a child owns in its argument (copied into
 * its slot at create on every port) or on its stack.
 */
#include "mp/mp.h"
#include "out.h"

static int counter = 0;              /* one copy per process on POSIX */
static MP_SHARED int shared_counter; /* one for every process, on every port */

static void show(const char *who)
{
    out(who);
    out(": counter ");
    out_int(counter);
    out(", MP_SHARED counter ");
    out_int(shared_counter);
    out("\n");
}

static int child(void *arg)
{
    (void)arg;
    counter += 100;
    shared_counter += 100; /* no other process touches it meanwhile: no lock needed */
    show("  child after += 100");
    return 0;
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    out("isolation: globals are per process, MP_SHARED globals are not\n");
    show("parent before");
    mp_process_t p;
    if (mp_process_create(&p, &(mp_process_attr_t){.target = child}) != MP_OK ||
        mp_process_start(p) != MP_OK)
        return 1;
    mp_process_join(p, MP_FOREVER);
    show("parent after join");
    return counter == 0 && shared_counter == 100 ? 0 : 1;
}
