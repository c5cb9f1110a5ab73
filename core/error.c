/* Names of the error codes. A test walks MP_OK..MP_ERR_LAST and checks each has one. */
#include "world.h"

static const char *const names[] = {
    [-MP_OK] = "MP_OK: success",
    [-MP_EINVAL] = "MP_EINVAL: invalid argument",
    [-MP_EHANDLE] = "MP_EHANDLE: not a handle of this kind",
    [-MP_ESTALE] = "MP_ESTALE: handle to a freed object",
    [-MP_ENOINIT] = "MP_ENOINIT: mp_init() has not run",
    [-MP_EALREADY] = "MP_EALREADY: already done",
    [-MP_ENOTSTARTED] = "MP_ENOTSTARTED: process not started",
    [-MP_ESELF] = "MP_ESELF: a process cannot join itself (nor main suspend itself)",
    [-MP_ENOTCHILD] = "MP_ENOTCHILD: not a child of the caller",
    [-MP_EDAEMON] = "MP_EDAEMON: daemonic processes may not have children",
    [-MP_ENOSLOT] = "MP_ENOSLOT: table full (mp_dump names the table and its MP_CONF_ option)",
    [-MP_ETIMEDOUT] = "MP_ETIMEDOUT: timed out",
    [-MP_EAGAIN] = "MP_EAGAIN: would block",
    [-MP_ENOTLOCKED] = "MP_ENOTLOCKED: released an unlocked lock",
    [-MP_EPERM] = "MP_EPERM: not the owner",
    [-MP_EOWNERDEAD] = "MP_EOWNERDEAD: acquired; the previous owner died holding it",
    [-MP_EBUSY] = "MP_EBUSY: still in use",
    [-MP_ERUNNING] = "MP_ERUNNING: still running",
    [-MP_ENOENT] = "MP_ENOENT: no such object",
    [-MP_ESYS] = "MP_ESYS: the operating system refused",
    [-MP_EDEADLK] = "MP_EDEADLK: deadlock: every task is blocked",
    [-MP_ECLOSED] = "MP_ECLOSED: closed",
    [-MP_EMSGSIZE] = "MP_EMSGSIZE: message too large",
    [-MP_ETOOSMALL] = "MP_ETOOSMALL: buffer too small",
    [-MP_ETOOMANY] = "MP_ETOOMANY: task_done() called too many times",
    [-MP_EOF] = "MP_EOF: end of file",
    [-MP_EBROKEN] = "MP_EBROKEN: broken barrier",
    [-MP_EOVERFLOW] = "MP_EOVERFLOW: released too many times",
    [-MP_EREADONLY] = "MP_EREADONLY: connection is read-only",
    [-MP_EWRITEONLY] = "MP_EWRITEONLY: connection is write-only",
    [-MP_ENOMEM] = "MP_ENOMEM: shared arena exhausted",
    [-MP_ENOTSUP] = "MP_ENOTSUP: not supported on this port or by this object",
    [-MP_EISR] = "MP_EISR: not allowed in an interrupt handler",
    [-MP_EFORKED] = "MP_EFORKED: not a runtime process (made by a raw fork())",
    [-MP_EUNLOCKED] = "MP_EUNLOCKED: timed out re-acquiring the lock; the caller does not hold it",
    [-MP_ENOSPC] = "MP_ENOSPC: the container is full",
    [-MP_ERANGE] = "MP_ERANGE: index out of range",
    [-MP_ECHANGED] = "MP_ECHANGED: changed size during iteration",
    [-MP_EWORKER] = "MP_EWORKER: the worker running the task died",
    [-MP_ETASK] = "MP_ETASK: the task failed",
    [-MP_ENOTJOINABLE] = "MP_ENOTJOINABLE: the queue was created without joinable (a JoinableQueue call)",
    [-MP_ENAMETOOLONG] = "MP_ENAMETOOLONG: the name does not fit in MP_CONF_NAME_LEN",
    [-MP_ECONFIG] = "MP_ECONFIG: the runtime was compiled with another configuration",
};

_Static_assert(sizeof names / sizeof names[0] == 1 - MP_ERR_LAST,
               "every mp_err_t code needs a name");

const char *mp_strerror(mp_err_t err)
{
    if (err > MP_OK || err < MP_ERR_LAST || names[-err] == 0)
        return "unknown mp_err_t";
    if (err == MP_ECONFIG && mpi_config_mismatch[0] != 0)
        return mpi_config_mismatch;
    return names[-err];
}
