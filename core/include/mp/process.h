/*
 * Processes: CPython's multiprocessing.Process, in a fixed table.
 *
 *   mp_process_t p;
 *   mp_process_create(&p, &(mp_process_attr_t){ .target = work, .arg = &job,
 *                                               .arg_size = sizeof job });
 *   mp_process_start(p);
 *   mp_process_join(p, MP_FOREVER);
 *   mp_process_exitcode(p, &code);
 *
 * Rules (each breach has its own code, and changes nothing):
 * - start twice: MP_EALREADY; join/terminate/kill/suspend before start: MP_ENOTSTARTED;
 *   join of self: MP_ESELF; start/join/terminate/suspend/resume by anyone but the
 *   creator (or adopter): MP_ENOTCHILD (a child may suspend itself);
 *   a daemonic process creating a child: MP_EDAEMON; table full: MP_ENOSLOT.
 * - exitcode: MP_ERUNNING while not started or running; then the target's return value,
 *   or -N when ended by signal N. terminate gives -15 and kill -9 on every port; a POSIX
 *   child that crashes on a bad access gives -11. POSIX keeps only the low 8 bits of a
 *   returned code (the kernel's rule), so portable targets return 0..255.
 * - When a target returns, the process's exit sequence runs: its exit hooks (mp_atexit),
 *   the last registered first, then its daemonic children are terminated and its other
 *   children joined, then the process ends (CPython's atexit and _exit_function).
 *   mp_process_exit() does the same from anywhere, and so does the end of the main
 *   process: a return from main(), exit() or mp_process_exit(). A process that is
 *   terminated, killed or crashes runs none of it (CPython's os._exit).
 * - join(p, t) returns MP_OK once p has ended and been reaped, MP_ETIMEDOUT if it still
 *   runs after t ms (MP_EAGAIN with MP_NOWAIT). Reaped means the runtime will never touch the process's slot, stack
 *   or pid again except to read its exitcode; no zombie outlives a join.
 * - A joined slot keeps its exitcode until mp_process_close() frees it, or until a
 *   create finds no free slot and recycles the oldest joined one; a handle to it then
 *   gets MP_ESTALE, never another process's data.
 */
#ifndef MP_PROCESS_H
#define MP_PROCESS_H

#include "mp/config.h"
#include "mp/types.h"

typedef struct {
    uint32_t id;
} mp_process_t;

/* The target runs in the new process; its return value is the exit code. It receives
 * the process's private copy of the argument (NULL when arg_size is 0). */
typedef int (*mp_process_fn)(void *arg);

/* .daemon = true and false mean what they say (C converts them to YES and NO), and so
 * does leaving it out: NO. CPython's default, daemon=None, takes the creator's flag, which
 * is always false where a process may create one (a daemonic process may not). */
typedef enum {
    MP_DAEMON_NO = 0,
    MP_DAEMON_YES = 1,
    MP_DAEMON_INHERIT = 2, /* CPython's daemon=None: take the creator's flag */
} mp_daemon_t;

typedef struct {
    mp_process_fn target; /* required */
    const void *arg;      /* copied into the slot; at most MP_CONF_ARG_SIZE bytes */
    size_t arg_size;
    const char *name;     /* NULL: "Process-N1:N2..." as CPython names it; at most
                             MP_CONF_NAME_LEN - 1 characters (MP_ENAMETOOLONG) */
    mp_daemon_t daemon;
    /* Task port: 0 (the default, one common level) .. MP_CONF_PRIORITIES - 1. A process
     * made ready at a higher priority than the running one preempts it at once; equal
     * priorities share the CPU in time slices. POSIX leaves scheduling to Linux and
     * ignores it. */
    uint8_t priority;
} mp_process_attr_t;

/* Signals that end a process show in its exitcode as -N; the numbers are Linux's on every port. */
#define MP_SIGINT 2
#define MP_SIGKILL 9
#define MP_SIGSEGV 11
#define MP_SIGTERM 15
/* What suspend and resume ask of the port (never an exitcode). */
#define MP_SIGCONT 18
#define MP_SIGSTOP 19

/* Claims a slot and copies the attributes; the process does not run yet.
 * @retval MP_EINVAL NULL p/attr/target, arg_size too big, arg NULL with a size, bad daemon,
 *         priority >= MP_CONF_PRIORITIES
 * @retval MP_ENAMETOOLONG name has MP_CONF_NAME_LEN characters or more (never cut)
 * @retval MP_EDAEMON the caller is daemonic  @retval MP_ENOSLOT table full */
mp_err_t mp_process_create(mp_process_t *p, const mp_process_attr_t *attr);

/* Runs the process. @retval MP_EALREADY started before  @retval MP_ENOTCHILD not the
 * creator  @retval MP_ESYS the OS could not create it (the slot stays startable) */
mp_err_t mp_process_start(mp_process_t p);

/* Waits up to timeout ms for p to end, then reaps it.
 * @retval MP_ETIMEDOUT still running  @retval MP_EAGAIN still running (MP_NOWAIT)
 * @retval MP_ESELF p is the caller */
mp_err_t mp_process_join(mp_process_t p, mp_timeout_t timeout);

/* Reaps p if it ended; *alive is false before start and after the end. */
mp_err_t mp_process_is_alive(mp_process_t p, bool *alive);

/* SIGTERM / SIGKILL. A process that already ended is left as it is (MP_OK). Terminating
 * oneself ends the caller at once with exitcode -15 (or -9). */
mp_err_t mp_process_terminate(mp_process_t p);
mp_err_t mp_process_kill(mp_process_t p);
/* CPython 3.14's interrupt() (SIGINT): the process ends with exitcode -2 on every port
 * (it installs no handler of its own: children start with the default ones). */
mp_err_t mp_process_interrupt(mp_process_t p);

/* Suspends p (FreeRTOS vTaskSuspend, Zephyr k_thread_suspend; POSIX: SIGSTOP): when it
 * returns, p runs no more of its code until mp_process_resume. p stays alive (is_alive
 * says true) and keeps what it holds: a lock it holds stays held, and is not recovered as
 * a dead holder's would be. What happens to it meanwhile waits for it: a wake-up (a put,
 * a release, a set) is not lost, and a timeout that expires is seen once it is resumed.
 * Terminate, kill and interrupt still end it at once. Its parent (or adopter) may
 * suspend it, as for terminate, and a child may suspend itself: the call then returns
 * once its parent has resumed it. Suspensions do not count: one resume resumes.
 * @retval MP_EALREADY p is suspended already  @retval MP_ENOTCHILD not the caller's child
 * @retval MP_ENOTSTARTED never started  @retval MP_ENOENT it has ended
 * @retval MP_ESELF the main process suspending itself (no one could resume it)
 * @retval MP_EDEADLK (host simulation) a child suspended itself and every other task is
 *         blocked for ever: it runs again */
mp_err_t mp_process_suspend(mp_process_t p);

/* Resumes a suspended p; the same callers as suspend.
 * @retval MP_ERUNNING p is not suspended (it runs: the caller itself, always)
 * @retval MP_ENOTCHILD  @retval MP_ENOTSTARTED  @retval MP_ENOENT as for suspend */
mp_err_t mp_process_resume(mp_process_t p);

/* Whether p is suspended (false once it has ended, and before it starts). Any process,
 * and an interrupt handler, may ask. */
mp_err_t mp_process_is_suspended(mp_process_t p, bool *suspended);

/* @retval MP_ERUNNING not started, or not ended yet (CPython's None) */
mp_err_t mp_process_exitcode(mp_process_t p, int *code);

/* Frees a slot that was never started or has been joined. Closing again is MP_OK, as in
 * CPython (a handle of an earlier generation of its slot: that process is gone).
 * @retval MP_EBUSY still running */
mp_err_t mp_process_close(mp_process_t p);

/* Copies the name, always NUL-terminated (truncated to size - 1: a buffer of
 * MP_CONF_NAME_LEN bytes holds every name). */
mp_err_t mp_process_name(mp_process_t p, char *buf, size_t size);

/* The process named name (the main process is "MainProcess"): one not yet joined, else
 * a joined one whose slot is not yet reused; the lowest slot among namesakes.
 * @retval MP_ENOENT no such process  @retval MP_EINVAL name or p NULL */
mp_err_t mp_process_find(const char *name, mp_process_t *p);

/* The OS process id (POSIX: getpid() of that process, the main one included) or task
 * number (task port), right from the process's first instruction.
 * @retval MP_ENOTSTARTED */
mp_err_t mp_process_pid(mp_process_t p, uint32_t *pid);

mp_err_t mp_process_daemon(mp_process_t p, bool *daemon);

/* current_process() and parent_process(). @retval MP_ENOENT the caller is the main process
 * @retval MP_EISR in an interrupt handler, which is no process
 * Every call made in a copy of a process made by a raw fork() (not mp_process_start)
 * returns MP_EFORKED: the copy has its parent's identity and would act as it. */
mp_err_t mp_process_self(mp_process_t *self);
mp_err_t mp_process_parent(mp_process_t *parent);

/* active_children(): reaps the caller's children that ended, then fills out[] with
 * those still running, up to max; *count is how many there are in all. */
mp_err_t mp_process_active_children(mp_process_t *out, size_t max, size_t *count);

/* Lets other ready processes run first (os.sched_yield()). On the task port it switches
 * to the next ready task of the caller's priority or higher, if any; on POSIX it is
 * sched_yield(2). MP_EISR in an interrupt handler. */
mp_err_t mp_process_yield(void);

/* Ends the caller as if its target had returned code: its exit hooks run, daemonic
 * children are terminated, the others joined. Does not return. */
_Noreturn void mp_process_exit(int code);

/* An exit hook: runs in the exit sequence of the process that registered it, with the
 * arg it was registered with. */
typedef void (*mp_atexit_fn)(void *arg);

/* atexit.register(fn, arg) for the calling process: fn(arg) runs in its exit sequence
 * (its target returns, it calls mp_process_exit, or, for the main process, main()
 * returns or calls exit()), before its children are ended, the last registered first,
 * each once. Not when the process is terminated, killed or crashes. A child starts with
 * none of its parent's hooks. C's own atexit() is no substitute in a child: the ports end
 * children without running it (POSIX: _exit), and the task port's processes share one.
 * @retval MP_EINVAL fn is NULL
 * @retval MP_ENOSLOT the caller has MP_CONF_EXIT_HOOKS hooks already
 * @retval MP_EISR in an interrupt handler, which is no process */
mp_err_t mp_atexit(mp_atexit_fn fn, void *arg);

#endif
