/* What your port keeps per process slot, inside the shared world (a TCB, a robust list
 * head, ...). The core never looks inside. */
#ifndef MP_PORT_SLOT_H
#define MP_PORT_SLOT_H

typedef struct {
    int unused;
} mp_port_slot_t;

#endif
