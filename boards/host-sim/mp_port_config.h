/* Host simulation board defaults (an application's MP_CONFIG_FILE may override them). */
#ifndef MP_PORT_CONFIG_H
#define MP_PORT_CONFIG_H

/* Host stacks are cheap, and AddressSanitizer makes frames several times larger. */
#ifndef MP_CONF_STACK_SIZE
#define MP_CONF_STACK_SIZE (128 * 1024)
#endif

#endif
