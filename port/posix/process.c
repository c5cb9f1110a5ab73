/*
 * POSIX processes: fork, a pidfd per child, and a robust list per process.
 *
 * - spawn forks. The parent opens a pidfd for the child at once (no pid-reuse race:
 *   an unreaped child's pid cannot be reused) and keeps it in a table private to the
 *   parent; the child closes the pidfds it inherited, which belong to its siblings.
 * - The child resets every signal to its default action (a test runner or sanitizer may
 *   have installed handlers that would turn a crash into something else than -SIGSEGV),
 *   asks for SIGKILL when its parent dies if it is daemonic, and registers its slot's
 *   robust list so Linux marks its life word on any death.
 * - reap waits on the pidfd (poll with the deadline) and collects the status with
 *   waitid(P_PIDFD): a join leaves no zombie, and SIGCHLD handlers are not needed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mp_port.h"
#include "posix.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

_Static_assert(sizeof(mp_port_robust_t) == sizeof(struct robust_list), "robust_list layout");
_Static_assert(offsetof(mp_port_slot_t, futex_offset) ==
                   offsetof(struct robust_list_head, futex_offset),
               "robust_list_head layout");
_Static_assert(offsetof(mp_port_slot_t, pending) ==
                   offsetof(struct robust_list_head, list_op_pending),
               "robust_list_head layout");

/* Private to each process (not in the world): what it knows about its own children. */
static uint32_t self_slot;
static pid_t self_pid;
static int pidfds[MP_CONF_MAX_PROCESSES];

static void robust_register(uint32_t slot)
{
    mp_port_slot_t *p = mpi_port_slot(slot);
    _Atomic uint32_t *life = mpi_life_word(slot);
    p->head.next = &p->entry;
    p->entry.next = &p->head;
    p->futex_offset = (long)((char *)life - (char *)&p->entry);
    p->pending = NULL;
    atomic_store(life, (uint32_t)self_pid & MP_LIFE_ID_MASK);
    syscall(SYS_set_robust_list, &p->head, sizeof(struct robust_list_head));
}

mp_err_t mpi_posix_process_init(void)
{
    self_slot = 0;
    self_pid = getpid();
    for (size_t i = 0; i < sizeof pidfds / sizeof pidfds[0]; i++)
        pidfds[i] = -1;
    robust_register(0);
    mpi_posix_fence_register();
    /* Orphaned grandchildren come to us, not to init, so we can adopt and reap them. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    return MP_OK;
}

mp_err_t mp_port_adopt(uint32_t slot, uint32_t pid)
{
    if (slot >= mpi_slot_count())
        return MP_EINVAL;
    /* Linux reparented it to us (we are a subreaper) before its parent became reapable,
     * and only we can reap it now, so its pid cannot have been reused. */
    int fd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
    if (fd < 0)
        return MP_ESYS;
    if (pidfds[slot] >= 0)
        close(pidfds[slot]);
    pidfds[slot] = fd;
    return MP_OK;
}

uint32_t mp_port_self(void)
{
    return self_slot;
}

bool mp_port_in_isr(void)
{
    return false; /* a process has no interrupt handlers that may call the runtime */
}

static void child_setup(uint32_t slot, pid_t parent)
{
    self_slot = slot;
    self_pid = getpid();
    for (uint32_t i = 0; i < mpi_slot_count(); i++) {
        if (pidfds[i] >= 0)
            close(pidfds[i]);
        pidfds[i] = -1;
    }
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
    if (mpi_slot_daemon(slot)) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) /* the parent died before prctl took effect */
            raise(SIGKILL);
    }
    robust_register(slot);
    mpi_posix_fence_register();
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    /* Shared pages are not copied by fork; touching each would fault once per page. */
    void *start;
    size_t size;
    mpi_posix_world_range(&start, &size);
    madvise(start, size, MADV_POPULATE_WRITE);
}

mp_err_t mp_port_spawn(uint32_t slot, uint32_t *pid_out)
{
    if (slot >= sizeof pidfds / sizeof pidfds[0])
        return MP_EINVAL;
    fflush(NULL); /* else the child would print the parent's buffered output again */
    pid_t parent = self_pid;
    pid_t pid = fork();
    if (pid < 0)
        return MP_ESYS;
    if (pid == 0) {
        child_setup(slot, parent);
        mpi_process_main(slot);
    }
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (fd < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return MP_ESYS;
    }
    pidfds[slot] = fd;
    uint32_t none = 0;
    atomic_compare_exchange_strong(mpi_life_word(slot), &none, (uint32_t)pid & MP_LIFE_ID_MASK);
    *pid_out = (uint32_t)pid;
    return MP_OK;
}

_Noreturn void mp_port_exit(int code)
{
    fflush(NULL);
    atomic_fetch_or(mpi_life_word(self_slot), MP_LIFE_DEAD);
    _exit(code & 0xff);
}

mp_err_t mp_port_signal(uint32_t slot, int sig)
{
    if (slot == self_slot) {
        kill(self_pid, sig);
        return MP_OK;
    }
    if (slot >= mpi_slot_count() || pidfds[slot] < 0)
        return MP_OK; /* not ours to signal, or already reaped */
    /* ESRCH means it already ended; the exitcode will say how. */
    syscall(SYS_pidfd_send_signal, pidfds[slot], sig, NULL, 0);
    return MP_OK;
}

mp_err_t mp_port_reap(uint32_t slot, mp_time_t deadline, int *exitcode)
{
    if (slot >= mpi_slot_count() || pidfds[slot] < 0)
        return MP_ESYS;
    int fd = pidfds[slot];
    siginfo_t si;
    si.si_pid = 0;
    while (deadline == MP_TIME_NEVER && si.si_pid == 0) {
        /* nothing to time: one blocking call, as waitpid would be */
        if (waitid((idtype_t)P_PIDFD, (id_t)fd, &si, WEXITED) < 0 && errno != EINTR)
            return MP_ESYS;
    }
    while (si.si_pid == 0) {
        int r = waitid((idtype_t)P_PIDFD, (id_t)fd, &si, WEXITED | WNOHANG);
        if (r == 0 && si.si_pid != 0)
            break;
        if (r < 0 && errno != EINTR)
            return MP_ESYS;
        struct timespec ts, *tsp = NULL;
        if (deadline != MP_TIME_NEVER) {
            mp_time_t now = mp_port_now();
            if (now >= deadline)
                return MP_ETIMEDOUT;
            mp_time_t left = deadline - now;
            ts.tv_sec = (time_t)(left / 1000000000u);
            ts.tv_nsec = (long)(left % 1000000000u);
            tsp = &ts;
        }
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        ppoll(&pfd, 1, tsp, NULL);
    }
    close(fd);
    pidfds[slot] = -1;
    *exitcode = si.si_code == CLD_EXITED ? si.si_status : -si.si_status;
    atomic_fetch_or(mpi_life_word(slot), MP_LIFE_DEAD);
    return MP_OK;
}
