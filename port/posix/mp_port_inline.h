/*
 * The POSIX port's cheapest contract calls, inline (see mp_port.h): a process has no
 * interrupt handlers that may call the runtime, and knows its slot from a variable of its
 * own (set at spawn; MP_PORT_NO_SLOT in a raw fork() copy).
 */
#ifndef MP_PORT_INLINE_H
#define MP_PORT_INLINE_H

#include <stdbool.h>
#include <stdint.h>

extern uint32_t mp_port_self_slot;

static inline bool mp_port_in_isr(void)
{
    return false;
}

static inline uint32_t mp_port_self(void)
{
    return mp_port_self_slot;
}

#endif
