/*
 * Waiting on several objects at once: CPython's multiprocessing.connection.wait(), FreeRTOS's
 * queue sets, Zephyr's k_poll.
 *
 *     mp_wait_item_t items[] = {MP_WAIT_ON(requests), MP_WAIT_ON(conn), MP_WAIT_ON(worker)};
 *     size_t n;
 *     if (mp_wait(items, 3, 500, &n) == MP_OK)
 *         for (size_t i = 0; i < 3; i++)
 *             if (items[i].ready) ...   // take from it with MP_NOWAIT
 *
 * An item is ready when the call it stands for would not block, and waiting takes nothing:
 *   Queue / JoinableQueue   a message to get, or closed (get returns MP_ECLOSED)
 *   Pipe end (mp_conn_t)    a message to recv, or EOF (the peer end closed or every user of
 *                           it died); a send-only end is MP_EWRITEONLY, as for recv
 *   Process                 it has ended (CPython's sentinel): a started child, or the
 *                           caller's parent (mp_process_parent)
 *   Event                   it is set
 *   Semaphore               acquire would succeed now
 * Another process may take what made an item ready before the caller does (as with CPython's
 * wait): take it with MP_NOWAIT and expect MP_EAGAIN now and then.
 *
 * A wake-up reaches the waiter directly (no polling interval), except one on POSIX: a
 * process killed by a signal, or a pipe's peer that died, is seen within 10 ms
 * (MP_PORT_LIVENESS_NS), as by every other wait there.
 */
#ifndef MP_WAIT_H
#define MP_WAIT_H

#include "mp/config.h"
#include "mp/types.h"

typedef struct {
    uint32_t id; /* the handle's id: MP_WAIT_ON(handle) */
    bool ready;  /* out: set by mp_wait */
} mp_wait_item_t;

/* An item for any handle of the kinds above. */
#define MP_WAIT_ON(handle) ((mp_wait_item_t){.id = (handle).id, .ready = false})

/*
 * Waits up to timeout until at least one of items[0..n) is ready, then sets every item's
 * `ready` and *count to how many are. Objects may repeat; n is 1..MP_CONF_WAIT_OBJECTS.
 * @retval MP_OK        *count >= 1
 * @retval MP_EAGAIN    MP_NOWAIT and none ready   @retval MP_ETIMEDOUT none ready in time
 * @retval MP_EINVAL    items or count NULL, n 0 or above MP_CONF_WAIT_OBJECTS
 * @retval MP_EISR      a timeout other than MP_NOWAIT in an interrupt handler
 * An item that cannot be waited on stops the call with its code, and *count is its index:
 * MP_EHANDLE (not one of the kinds above), MP_ESTALE (destroyed, before or during the
 * wait), MP_ECLOSED (a closed pipe end), MP_EWRITEONLY, MP_ENOTSTARTED, MP_ESELF (the
 * caller itself), MP_ENOTCHILD (a process neither its child nor its parent).
 */
mp_err_t mp_wait(mp_wait_item_t *items, size_t n, mp_timeout_t timeout, size_t *count);

#endif
