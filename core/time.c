/*
 * The clock and sleeping: time.monotonic and time.sleep on the port's clock, the one every
 * timeout of the runtime is measured on (virtual on the host simulation).
 */
#include "world.h"

mp_err_t mp_clock_ns(mp_time_t *now)
{
    if (now == NULL)
        return MP_EINVAL;
    *now = mp_port_now();
    return MP_OK;
}

mp_err_t mp_sleep(mp_timeout_t ms)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    if (ms == MP_FOREVER)
        return MP_EINVAL; /* nothing would ever end it: a wait on an object says what for */
    mp_time_t deadline = mp_port_now() + (mp_time_t)ms * 1000000u;
    /* A word of our own that nobody changes: the port's wait is then a sleep until the
     * deadline, which the task ports' scheduler and the simulation's clock understand. */
    _Atomic uint32_t word = 0;
    do
        (void)mp_port_wait(&word, 0, deadline);
    while (mp_port_now() < deadline);
    return MP_OK;
}
