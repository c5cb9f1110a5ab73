/*
 * Pipe: CPython's multiprocessing.Pipe(duplex) as two connection ends.
 *
 *     mp_conn_t a, b;
 *     mp_pipe_create(&a, &b, &(mp_pipe_attr_t){.duplex = true});
 *
 * duplex: both ends send and receive. One-way: a only receives, b only sends (CPython's
 * order); recv on a send-only end is MP_EWRITEONLY, send on a receive-only end
 * MP_EREADONLY. Messages keep their boundaries; an empty message is a message.
 *
 * Ends and users. An end's users are the processes that sent, received or polled on it
 * (before anyone has, its creator, who holds both ends). Several processes may use one
 * end (legal in CPython); here concurrent use is serialised rather than corrupting the
 * stream.
 *
 * End of file, never a hang: when the peer end is closed, or every user of it has died
 * (even by SIGKILL), recv returns the messages still in the pipe and then MP_EOF, and
 * send returns MP_EOF (nobody will ever read). One of two senders exiting is not EOF.
 * poll reports "ready" at EOF too, since recv would not block. A process that dies
 * before ever using its end does not count: it was never among the users.
 *
 * close(end) closes that end for every process (the state is shared, unlike a file
 * descriptor). Both ends closed frees the pipe.
 */
#ifndef MP_PIPE_H
#define MP_PIPE_H

#include "mp/config.h"
#include "mp/types.h"

typedef struct {
    uint32_t id;
} mp_conn_t;

typedef struct {
    bool duplex;
    uint32_t msg_size; /* 0: MP_CONF_PIPE_MSG_SIZE */
    uint32_t depth;    /* messages buffered per direction; 0: MP_CONF_PIPE_DEPTH */
} mp_pipe_attr_t;

/* attr NULL: duplex with the default sizes. */
mp_err_t mp_pipe_create(mp_conn_t *a, mp_conn_t *b, const mp_pipe_attr_t *attr);
/* @retval MP_EOF the peer end is closed or its owner died  @retval MP_EMSGSIZE too long */
mp_err_t mp_pipe_send(mp_conn_t end, const void *msg, size_t len, mp_timeout_t timeout);
/* @retval MP_EOF no message left and the peer is gone  @retval MP_ETOOSMALL *len = needed */
mp_err_t mp_pipe_recv(mp_conn_t end, void *buf, size_t size, size_t *len, mp_timeout_t timeout);
/* Waits up to timeout for a message (or EOF) without taking it. *ready false: timed out. */
mp_err_t mp_pipe_poll(mp_conn_t end, mp_timeout_t timeout, bool *ready);
mp_err_t mp_pipe_close(mp_conn_t end);

#endif
