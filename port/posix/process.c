/*
 * POSIX processes: fork, a pidfd per child, and a robust list per process.
 *
 * - spawn forks. The parent opens a pidfd for the child at once (no pid-reuse race:
 *   an unreaped child's pid cannot be reused) and keeps it in a table private to the
 *   parent; the child closes the pidfds it inherited, which belong to its siblings.
 *   Where pidfd_open does not exist (kernels before 5.3; valgrind 3.19 does not know it)
 *   the same table keeps the pid: signal uses kill() and reap waitid(P_PID), which is as
 *   safe for a child not yet reaped (its pid cannot be reused); a timed reap then looks
 *   every millisecond instead of sleeping on the pidfd.
 * - A copy made by calling fork() directly (not through spawn) would share its parent's
 *   slot and identity, and act on queue sides and locks as if it were its parent. An
 *   at-fork handler takes its identity away: mp_port_self() says MP_PORT_NO_SLOT there, and
 *   every runtime call it makes is refused with MP_EFORKED.
 * - The child resets every signal to its default action (a test runner or sanitizer may
 *   have installed handlers that would turn a crash into something else than -SIGSEGV),
 *   asks for SIGKILL when its parent dies if it is daemonic, and registers its slot's
 *   robust list so Linux marks its life word on any death. It becomes a subreaper (for
 *   its orphaned grandchildren) only when it first spawns.
 * - reap waits on the pidfd (poll with the deadline) and collects the status with
 *   waitid(P_PIDFD): a join leaves no zombie, and SIGCHLD handlers are not needed.
 * - Suspend is SIGSTOP and a wait for the stop (waitid WSTOPPED, leaving the status), so
 *   the child runs no more of its code when it returns; resume is SIGCONT. SIGTERM and
 *   SIGINT are followed by SIGCONT: Linux keeps them pending in a stopped process.
 * - An end through the C library (main() returning, exit() called in any process) is seen
 *   by an atexit() handler, which runs the process's exit sequence before the library
 *   ends it. The main process's mp_process_exit() ends through exit() too; children end
 *   with _exit(), so C's atexit handlers never run in them (they would be their parent's,
 *   copied by fork).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "mp/process.h"
#include "mp_port.h"
#include "posix.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

_Static_assert(MP_SIGINT == SIGINT && MP_SIGKILL == SIGKILL && MP_SIGSEGV == SIGSEGV &&
                   MP_SIGTERM == SIGTERM && MP_SIGCONT == SIGCONT && MP_SIGSTOP == SIGSTOP,
               "mp_port_signal passes the core's signal numbers to Linux as they are");
_Static_assert(sizeof(mp_port_robust_t) == sizeof(struct robust_list), "robust_list layout");
_Static_assert(offsetof(mp_port_slot_t, futex_offset) ==
                   offsetof(struct robust_list_head, futex_offset),
               "robust_list_head layout");
_Static_assert(offsetof(mp_port_slot_t, pending) ==
                   offsetof(struct robust_list_head, list_op_pending),
               "robust_list_head layout");

/* Private to each process (not in the world): what it knows about its own children. */
uint32_t mp_port_self_slot; /* mp_port_self (mp_port_inline.h) */
static pid_t self_pid;
static struct {
    pid_t pid; /* 0: not a child of ours (or reaped) */
    int fd;    /* its pidfd, or -1 where the kernel has none */
} kids[MP_CONF_MAX_PROCESSES];
static bool spawning; /* inside spawn's own fork(): the child is a runtime process */
static bool subreaper; /* PR_SET_CHILD_SUBREAPER done: orphans of our children come to us */

static void forget_kid(uint32_t slot)
{
    if (kids[slot].fd >= 0)
        close(kids[slot].fd);
    kids[slot].fd = -1;
    kids[slot].pid = 0;
}

/* A pidfd for a child of ours, or -1 (with the pid kept) where pidfd_open is missing;
 * false on any other failure. */
static bool track(uint32_t slot, pid_t pid)
{
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (fd < 0 && errno != ENOSYS)
        return false;
    if (kids[slot].fd >= 0)
        close(kids[slot].fd);
    kids[slot].fd = fd;
    kids[slot].pid = pid;
    return true;
}

/* Every fork() not made by spawn: the copy is not a runtime process. */
static void after_raw_fork(void)
{
    if (!spawning)
        mp_port_self_slot = MP_PORT_NO_SLOT;
}

static void robust_register(uint32_t slot)
{
    mp_port_slot_t *p = mp_core_port_slot(slot);
    _Atomic uint32_t *life = mp_core_life_word(slot);
    p->head.next = &p->entry;
    p->entry.next = &p->head;
    p->futex_offset = (long)((char *)life - (char *)&p->entry);
    p->pending = NULL;
    atomic_store(life, (uint32_t)self_pid & MP_LIFE_ID_MASK);
    syscall(SYS_set_robust_list, &p->head, sizeof(struct robust_list_head));
}

mp_err_t posix_process_init(void)
{
    mp_port_self_slot = 0;
    self_pid = getpid();
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++)
        kids[i].fd = -1;
    if (pthread_atfork(NULL, NULL, after_raw_fork) != 0 || atexit(mp_core_exit_sequence) != 0)
        return MP_ESYS;
    robust_register(0);
    posix_fence_register();
    return MP_OK;
}

/* Whether slot's process is ours to signal and reap: spawned by us, or adopted. An
 * orphan of a child we reaped was reparented to us by Linux (we are a subreaper) before
 * its parent became reapable, and only we can reap it, so its pid cannot have been
 * reused: it is tracked on first use. */
static bool ours(uint32_t slot)
{
    if (kids[slot].pid != 0)
        return true;
    uint32_t pid = mp_core_slot_pid(slot);
    return pid != 0 && track(slot, (pid_t)pid);
}

static void child_setup(uint32_t slot, pid_t parent)
{
    mp_port_self_slot = slot;
    self_pid = getpid();
    spawning = false;
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++)
        forget_kid(i);
    /* Only the signals that decide an exitcode: each sigaction is a syscall (~1 us). */
    static const int deciding[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP,
                                   SIGSYS,  SIGTERM, SIGINT, SIGHUP, SIGQUIT};
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    sigemptyset(&dfl.sa_mask);
    for (size_t i = 0; i < sizeof deciding / sizeof deciding[0]; i++)
        sigaction(deciding[i], &dfl, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (mp_core_slot_daemon(slot)) {
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        if (getppid() != parent) /* the parent died before prctl took effect */
            raise(SIGKILL);
    }
    robust_register(slot);
    posix_fence_register();
    /* Not a subreaper yet: only once it spawns (it has no orphans to adopt before). And the
     * world's pages are left to fault in as the child touches them: pre-faulting all of
     * them (MADV_POPULATE_WRITE) cost about 60 us per start, and a short child touches a
     * few of the tables and none of the arena. */
    subreaper = false;
}

mp_err_t mp_port_spawn(uint32_t slot, uint32_t *pid_out)
{
    if (slot >= MP_CONF_MAX_PROCESSES)
        return MP_EINVAL;
    /* Orphaned grandchildren come to us, not to init, so we can adopt and reap them: set
     * before our first child exists, so before any can be orphaned. */
    if (!subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0) /* prctl reads five */
        subreaper = true;
    fflush(NULL); /* else the child would print the parent's buffered output again */
    atomic_store(&posix_waiting[slot], NULL); /* not its slot's last process's wait */
    pid_t parent = self_pid;
    spawning = true;
    pid_t pid = fork();
    if (pid == 0) {
        child_setup(slot, parent);
        mp_core_process_main(slot);
    }
    spawning = false;
    if (pid < 0)
        return MP_ESYS;
    if (!track(slot, pid)) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return MP_ESYS;
    }
    uint32_t none = 0;
    atomic_compare_exchange_strong(mp_core_life_word(slot), &none,
                                   (uint32_t)pid & MP_LIFE_ID_MASK);
    *pid_out = (uint32_t)pid;
    return MP_OK;
}

_Noreturn void mp_port_exit(int code)
{
    /* Not marked dead first: C's atexit handlers may still use the runtime. Linux marks the
     * life word once the process is gone (the robust list). */
    if (mp_port_self_slot == 0)
        exit(code);
    fflush(NULL);
    if (mp_port_self_slot < MP_CONF_MAX_PROCESSES) { /* a raw fork() copy owns no life word */
        atomic_fetch_or(mp_core_life_word(mp_port_self_slot), MP_LIFE_DEAD);
        mp_core_ended(mp_port_self_slot);
    }
    _exit(code & 0xff);
}

/* ESRCH means it already ended; the exitcode will say how. */
static void send(uint32_t slot, int sig)
{
    if (kids[slot].fd >= 0)
        syscall(SYS_pidfd_send_signal, kids[slot].fd, sig, NULL, 0);
    else
        kill(kids[slot].pid, sig);
}

/* Returns once the child is stopped (or has ended). WNOWAIT leaves both for later: the
 * stop for nobody, the end for the reap. */
static void until_stopped(uint32_t slot)
{
    siginfo_t si;
    int options = WSTOPPED | WEXITED | WNOWAIT;
    while ((kids[slot].fd >= 0 ? waitid((idtype_t)P_PIDFD, (id_t)kids[slot].fd, &si, options)
                               : waitid(P_PID, (id_t)kids[slot].pid, &si, options)) < 0 &&
           errno == EINTR)
        ;
}

mp_err_t mp_port_signal(uint32_t slot, int sig)
{
    if (slot == mp_port_self_slot) {
        kill(self_pid, sig);
        return MP_OK;
    }
    if (slot >= MP_CONF_MAX_PROCESSES || !ours(slot))
        return MP_OK; /* not ours to signal, or already reaped */
    send(slot, sig);
    if (sig == MP_SIGSTOP)
        until_stopped(slot); /* suspended means it runs no more of its code */
    else if (sig == MP_SIGTERM || sig == MP_SIGINT)
        send(slot, SIGCONT); /* a stopped process would keep either pending until then */
    return MP_OK;
}

/* One look: true once the child has ended and is reaped into *si. */
static bool collect(uint32_t slot, int options, siginfo_t *si, mp_err_t *err)
{
    si->si_pid = 0;
    int r = kids[slot].fd >= 0
                ? waitid((idtype_t)P_PIDFD, (id_t)kids[slot].fd, si, WEXITED | options)
                : waitid(P_PID, (id_t)kids[slot].pid, si, WEXITED | options);
    *err = r < 0 && errno != EINTR ? MP_ESYS : MP_OK;
    return r == 0 && si->si_pid != 0;
}

mp_err_t mp_port_reap(uint32_t slot, mp_time_t deadline, int *exitcode)
{
    if (slot >= MP_CONF_MAX_PROCESSES || !ours(slot))
        return MP_ESYS;
    siginfo_t si;
    mp_err_t err = MP_OK;
    if (deadline == MP_TIME_NEVER) {
        /* nothing to time: one blocking call, as waitpid would be */
        while (!collect(slot, 0, &si, &err))
            if (err != MP_OK)
                return err;
    } else {
        while (!collect(slot, WNOHANG, &si, &err)) {
            if (err != MP_OK)
                return err;
            mp_time_t now = mp_port_now();
            if (now >= deadline)
                return MP_ETIMEDOUT;
            mp_time_t left = deadline - now;
            if (kids[slot].fd < 0 && left > 1000000u)
                left = 1000000u; /* no pidfd to sleep on: look again in a millisecond */
            struct timespec ts = {(time_t)(left / 1000000000u), (long)(left % 1000000000u)};
            if (kids[slot].fd >= 0) {
                struct pollfd pfd = {.fd = kids[slot].fd, .events = POLLIN};
                ppoll(&pfd, 1, &ts, NULL);
            } else {
                nanosleep(&ts, NULL);
            }
        }
    }
    forget_kid(slot);
    *exitcode = si.si_code == CLD_EXITED ? si.si_status : -si.si_status;
    atomic_fetch_or(mp_core_life_word(slot), MP_LIFE_DEAD);
    mp_core_ended(slot);
    return MP_OK;
}
