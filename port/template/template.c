/*
 * The smallest port that compiles: every function of port/include/mp_port.h, doing the
 * least that keeps the contract's promises for a system with one process and no way to
 * create another. Copy this folder to start a port. `ninja test` links it with every
 * core object (build/template/examples/minimal), so it never falls behind the contract:
 * a function missing here is an undefined reference there.
 *
 * What a port also owes the core: a call of mp_core_exit_sequence() where it sees the main
 * process end without mp_process_exit() (POSIX: an atexit() handler; a board: after main()
 * returns), so main's exit hooks run. A program on this one calls mp_process_exit().
 */
#include "mp_port.h"

mp_err_t mp_port_init(void *world, size_t size)
{
    (void)world;
    (void)size;
    atomic_store(mp_core_life_word(0), 1); /* the main process is alive, with id 1 */
    return MP_OK;
}

mp_err_t mp_port_spawn(uint32_t slot, uint32_t *pid)
{
    (void)slot;
    (void)pid;
    return MP_ESYS; /* no way to run a second process */
}

_Noreturn void mp_port_exit(int code)
{
    (void)code;
    atomic_fetch_or(mp_core_life_word(0), MP_LIFE_DEAD);
    for (;;) /* halt: nothing else can run */
        ;
}

mp_err_t mp_port_signal(uint32_t slot, int sig)
{
    if (slot == 0)
        mp_port_exit(-sig);
    return MP_OK; /* nothing else ever runs */
}

mp_err_t mp_port_reap(uint32_t slot, mp_time_t deadline, int *exitcode)
{
    (void)slot;
    (void)deadline;
    (void)exitcode;
    return MP_ESYS; /* nothing was ever spawned */
}

uint32_t mp_port_self(void)
{
    return 0;
}

bool mp_port_in_isr(void)
{
    return false;
}

mp_err_t mp_port_wait(_Atomic uint32_t *addr, uint32_t expected, mp_time_t deadline)
{
    (void)deadline;
    /* No one else could change the word: waiting would last forever. */
    return atomic_load(addr) != expected ? MP_OK : MP_ETIMEDOUT;
}

void mp_port_yield(void)
{
    /* One process and no scheduler: there is no one to give the CPU to. */
}

void mp_port_wake(_Atomic uint32_t *addr, uint32_t n)
{
    (void)addr;
    (void)n;
}

mp_err_t mp_port_fence(void)
{
    atomic_signal_fence(memory_order_seq_cst); /* one CPU, one process */
    return MP_OK;
}

mp_time_t mp_port_now(void)
{
    return 0; /* a real port reads a monotonic counter */
}

bool mp_port_shared(const void *p, size_t size)
{
    (void)p;
    (void)size;
    return false; /* nothing is known to be shared until the port says how */
}

void mp_port_console(const char *text, size_t len)
{
    (void)text; /* no device: a port for a board writes to its UART here */
    (void)len;
}

const void *mp_port_wait_addr(uint32_t slot)
{
    (void)slot;
    return NULL; /* mp_port_wait never sleeps here */
}

mp_err_t mp_port_stack_use(uint32_t slot, uint32_t *used, uint32_t *size)
{
    (void)slot;
    (void)used;
    (void)size;
    return MP_ENOTSUP;
}
