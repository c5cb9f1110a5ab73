/*
 * mp_err_t: the one result type of every public call.
 *
 * MP_OK is 0; every failure is a distinct negative value, so "would block" is never
 * confused with "timed out" or "closed". One code means one situation on every object:
 * a call with MP_NOWAIT that would have to wait gets MP_EAGAIN (a full or empty queue,
 * a held lock, an unset event); MP_ETIMEDOUT means a wait happened and its deadline
 * passed. There is no errno and no abort: a bad argument is reported
 * and leaves every object as it was.
 *
 * MP_EOWNERDEAD is the one code that reports success with news attached: the lock
 * *was* acquired, but its previous holder died while holding it. It is reported to
 * exactly one acquirer.
 */
#ifndef MP_ERROR_H
#define MP_ERROR_H

typedef enum {
    MP_OK = 0,
    MP_EINVAL = -1,      /* bad argument: NULL pointer, zero size, out-of-range value */
    MP_EHANDLE = -2,     /* not a handle of this kind (zero, forged, or another object's) */
    MP_ESTALE = -3,      /* handle to an object that was freed (and maybe reused) */
    MP_ENOINIT = -4,     /* mp_init() has not run in this program */
    MP_EALREADY = -5,    /* done once already: start twice, init twice, suspend twice */
    MP_ENOTSTARTED = -6, /* join/terminate/... of a process that was never started */
    MP_ESELF = -7,       /* join of oneself; the main process suspending itself */
    MP_ENOTCHILD = -8,   /* only the creating process may start/join/terminate it */
    MP_EDAEMON = -9,     /* daemonic processes are not allowed to have children */
    MP_ENOSLOT = -10,    /* the object's table (sized in mp/config.h) is full: mp_dump names
                            the table, its MP_CONF_ option and how often it was refused */
    MP_ETIMEDOUT = -11,  /* waited until the timeout and the condition never held */
    MP_EAGAIN = -12,     /* would have to wait, and the call was not allowed to (MP_NOWAIT) */
    MP_ENOTLOCKED = -13, /* release of a Lock that is not held */
    MP_EPERM = -14,      /* release of an RLock by a process that does not own it */
    MP_EOWNERDEAD = -15, /* acquired, but the previous owner died holding it */
    MP_EBUSY = -16,      /* object still in use: destroy of a held lock, close of a live process */
    MP_ERUNNING = -17,   /* still running: no exitcode yet; resume of one not suspended */
    MP_ENOENT = -18,     /* no such thing: main's parent, an ended process to suspend */
    MP_ESYS = -19,       /* the operating system refused (fork failed, ...) */
    MP_EDEADLK = -20,    /* the simulation found every task blocked forever */
    MP_ECLOSED = -21,    /* the queue or pipe end was closed */
    MP_EMSGSIZE = -22,   /* message larger than the object's maximum */
    MP_ETOOSMALL = -23,  /* receive buffer too small; the message stays queued */
    MP_ETOOMANY = -24,   /* task_done() called more times than put() */
    MP_EOF = -25,        /* the peer end is closed or its process died: no more data */
    MP_EBROKEN = -26,    /* the barrier is broken (abort, timeout, or a party died) */
    MP_EOVERFLOW = -27,  /* bounded semaphore released above its initial value */
    MP_EREADONLY = -28,  /* send on a receive-only pipe end */
    MP_EWRITEONLY = -29, /* receive on a send-only pipe end */
    MP_ENOMEM = -30,     /* the shared arena has no room for the request */
    MP_ENOTSUP = -31,    /* the operation is not available on this port, or on this kind of
                            object (add on a float Value, a raw Value's lock) */
    MP_EISR = -32,       /* would block, or is not allowed, in an interrupt handler */
    MP_EFORKED = -33,    /* called in a copy made by a raw fork(): it is no runtime process */
    MP_EUNLOCKED = -34,  /* condition wait hit its deadline re-acquiring the lock: not held */
    MP_ENOSPC = -35,     /* a container (dict, list) is at its fixed capacity */
    MP_ERANGE = -36,     /* index out of range (CPython's IndexError) */
    MP_ECHANGED = -37,   /* the container changed size while it was iterated */
    MP_EWORKER = -38,    /* the pool worker running the task died; the task did not finish */
    MP_ETASK = -39,      /* the task itself failed: its code and message are in its record */
    MP_ENOTJOINABLE = -40, /* task_done/join/unfinished on a queue created without joinable */
    MP_ENAMETOOLONG = -41, /* a name of MP_CONF_NAME_LEN bytes or more (NUL excluded: at most
                              MP_CONF_NAME_LEN - 1 characters) */
    MP_ECONFIG = -42,      /* mp_init: the runtime was compiled with another configuration */
} mp_err_t;

/* The most negative code: every code c satisfies MP_ERR_LAST <= c <= MP_OK. */
#define MP_ERR_LAST MP_ECONFIG

/* The name of a code ("MP_ETIMEDOUT: timed out"); an unknown value gets a generic text.
 * After mp_init refused a configuration, MP_ECONFIG's text names the option and both
 * values ("MP_ECONFIG: MP_CONF_ARG_SIZE is 64 in the program, 32 in the runtime"). */
const char *mp_strerror(mp_err_t err);

#endif
