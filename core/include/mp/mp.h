/*
 * mpstatic: Python's multiprocessing for C programs without a heap.
 *
 * Call mp_init() once, in the main process, before anything else. It sets up the
 * shared tables (sized in mp/config.h) and makes them visible to every process, after
 * checking that the runtime was compiled with this program's configuration.
 */
#ifndef MP_MP_H
#define MP_MP_H

#include "mp/config.h"
#include "mp/dict.h"
#include "mp/dump.h"
#include "mp/error.h"
#include "mp/list.h"
#include "mp/lock.h"
#include "mp/name.h"
#include "mp/namespace.h"
#include "mp/pipe.h"
#include "mp/pool.h"
#include "mp/process.h"
#include "mp/queue.h"
#include "mp/shared.h"
#include "mp/slab.h"
#include "mp/sync.h"
#include "mp/types.h"
#include "mp/usage.h"
#include "mp/wait.h"

/* The runtime's init: options holds the program's value of every MP_CONF_* option in
 * MP_CONF_OPTIONS order (count of them). Programs call mp_init, which passes their own.
 * @retval MP_ECONFIG the runtime was compiled with other values (mp_strerror names the
 * first differing option and both values) or another list; nothing was set up
 * @retval MP_EINVAL options is NULL  @retval MP_EALREADY called before
 * @retval MP_ESYS the port could not share the state */
mp_err_t mp_init_config(const uint32_t *options, uint32_t count);

#define MP_CONF_VALUE_(name) (uint32_t)(MP_CONF_##name),

/* Inline, so that it carries the configuration this program was compiled with. */
static inline mp_err_t mp_init(void)
{
    static const uint32_t options[] = {MP_CONF_OPTIONS(MP_CONF_VALUE_)};
    return mp_init_config(options, (uint32_t)(sizeof options / sizeof options[0]));
}

#endif
