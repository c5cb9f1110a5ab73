/*
 * mpstatic: Python's multiprocessing for C programs without a heap.
 *
 * Call mp_init() once, in the main process, before anything else. It sets up the
 * shared tables (sized in mp/config.h) and makes them visible to every process.
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

/* @retval MP_EALREADY called before  @retval MP_ESYS the port could not share the state */
mp_err_t mp_init(void);

#endif
