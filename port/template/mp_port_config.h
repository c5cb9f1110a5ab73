/* A new port's defaults: start from these. */
#ifndef MP_PORT_CONFIG_H
#define MP_PORT_CONFIG_H

/* 0 if your port wakes every waiter when a process dies (as port/task does); otherwise
 * how often (ns) a sleeper should look at its owner's life word (port/posix: 10 ms). */
#ifndef MP_CONF_LIVENESS_NS
#define MP_CONF_LIVENESS_NS 0
#endif

#endif
