/*
 * What the POSIX port keeps in each process slot of the shared world: the process's
 * robust-futex list (see set_robust_list(2)). It has exactly one entry, the slot's life
 * word, so that when the process dies for any reason (even SIGKILL) Linux sets
 * MP_LIFE_DEAD (FUTEX_OWNER_DIED) in it. Anyone can then see the death by reading one
 * word, with no syscall: that is how a lock finds out its owner is gone.
 * The layout is the kernel's (struct robust_list_head + one struct robust_list);
 * port/posix/process.c checks it against <linux/futex.h>.
 */
#ifndef MP_PORT_SLOT_H
#define MP_PORT_SLOT_H

typedef struct mp_port_robust {
    struct mp_port_robust *next;
} mp_port_robust_t;

typedef struct {
    mp_port_robust_t head;    /* robust_list_head.list */
    long futex_offset;        /* from the entry to the life word */
    mp_port_robust_t *pending; /* robust_list_head.list_op_pending, always NULL here */
    mp_port_robust_t entry;   /* the one entry: stands for the life word */
} mp_port_slot_t;

#endif
