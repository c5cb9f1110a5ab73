/*
 * Bad input to the process calls, on every port: each row one call, its exact code, and
 * nothing changed (tests/support/badinput.h). The fixture's processes give each state a
 * call can refuse: the main process itself, a child never started, a child joined (not
 * closed), a child running (the holder, asleep), and the holder's own unstarted child,
 * which the main process did not create.
 *
 * Not here: MP_EDAEMON (only a daemonic process can be refused it, and the rows run in
 * the main process; tests/core/test_process.c covers it) and terminate/kill of oneself
 * (they end the caller, by design).
 */
#include "badinput_fixture.h"

/* ---- every call that takes a process, with every bad handle -------------------------- */
#define PH ((mp_process_t){bi_id})
static mp_err_t op_start(void) { return mp_process_start(PH); }
static mp_err_t op_join(void) { return mp_process_join(PH, bi_timeout); }
static mp_err_t op_is_alive(void) { return mp_process_is_alive(PH, &out.flag); }
static mp_err_t op_terminate(void) { return mp_process_terminate(PH); }
static mp_err_t op_kill(void) { return mp_process_kill(PH); }
static mp_err_t op_interrupt(void) { return mp_process_interrupt(PH); }
static mp_err_t op_exitcode(void) { return mp_process_exitcode(PH, &out.code); }
static mp_err_t op_close(void) { return mp_process_close(PH); }
static mp_err_t op_name(void) { return mp_process_name(PH, out.name, sizeof out.name); }
static mp_err_t op_pid(void) { return mp_process_pid(PH, &out.u32); }
static mp_err_t op_daemon(void) { return mp_process_daemon(PH, &out.flag); }
static mp_err_t op_suspend(void) { return mp_process_suspend(PH); }
static mp_err_t op_resume(void) { return mp_process_resume(PH); }
static mp_err_t op_is_suspended(void) { return mp_process_is_suspended(PH, &out.flag); }

static const bi_op_t ops[] = {
    {"mp_process_start", MPI_KIND_PROCESS, false, op_start},
    {"mp_process_join", MPI_KIND_PROCESS, true, op_join},
    {"mp_process_is_alive", MPI_KIND_PROCESS, false, op_is_alive},
    {"mp_process_terminate", MPI_KIND_PROCESS, false, op_terminate},
    {"mp_process_kill", MPI_KIND_PROCESS, false, op_kill},
    {"mp_process_interrupt", MPI_KIND_PROCESS, false, op_interrupt},
    {"mp_process_exitcode", MPI_KIND_PROCESS, false, op_exitcode},
    {"mp_process_close", MPI_KIND_PROCESS, false, op_close},
    {"mp_process_name", MPI_KIND_PROCESS, false, op_name},
    {"mp_process_pid", MPI_KIND_PROCESS, false, op_pid},
    {"mp_process_daemon", MPI_KIND_PROCESS, false, op_daemon},
    {"mp_process_suspend", MPI_KIND_PROCESS, false, op_suspend},
    {"mp_process_resume", MPI_KIND_PROCESS, false, op_resume},
    {"mp_process_is_suspended", MPI_KIND_PROCESS, false, op_is_suspended},
};

/* ---- arguments and states -------------------------------------------------------------- */
static void undo_process(void)
{
    (void)mp_process_close(out.made.process);
}

static void no_op(void *arg)
{
    (void)arg;
}

/* The states the rows need beyond the fixture: every exit hook of the main process taken,
 * for good (they run, doing nothing, at its end), and the holder suspended, which changes
 * none of what the other rows see of it (it sleeps, and keeps what it holds, either way). */
static void make_states(void)
{
    mp_err_t err;
    while ((err = mp_atexit(no_op, NULL)) == MP_OK)
        ;
    assert_int_equal(MP_ENOSLOT, err);
    OK(mp_process_suspend(fx.holder));
}

static void free_states(void)
{
    OK(mp_process_resume(fx.holder));
}

#define ATTR(...) (&(mp_process_attr_t){.target = bi_never_runs, __VA_ARGS__})

/* mp_daemon_t has no negative member, so GCC gives it an unsigned type on every port (an
 * unsigned int on the hosts, an unsigned char on the M3, where enums are short) and
 * (mp_daemon_t)-1 is a large value, not a small negative one. */
#define PROCESS_ROWS(X)                                                                       \
    /* create */                                                                              \
    X(c1, MP_EINVAL, 0, undo_process, mp_process_create(NULL, ATTR(.arg = NULL)))             \
    X(c2, MP_EINVAL, 0, undo_process, mp_process_create(&out.made.process, NULL))             \
    X(c3, MP_EINVAL, 0, undo_process, mp_process_create(&out.made.process, &(mp_process_attr_t){.target = NULL})) \
    X(c4, MP_EINVAL, 0, undo_process, mp_process_create(&out.made.process, ATTR(.arg = bi_in, .arg_size = MP_CONF_ARG_SIZE + 1))) \
    X(c5, MP_EINVAL, 0, undo_process, mp_process_create(&out.made.process, ATTR(.arg = bi_in, .arg_size = 0x10004))) \
    X(c6, MP_EINVAL, 0, undo_process, mp_process_create(&out.made.process, ATTR(.arg = bi_in, .arg_size = SIZE_MAX))) \
    X(c7, MP_EINVAL, 0, undo_process, mp_process_create(&out.made.process, ATTR(.arg = NULL, .arg_size = 4))) \
    X(c8, MP_EINVAL, 0, undo_process, mp_process_create(&out.made.process, ATTR(.daemon = (mp_daemon_t)3))) \
    X(c9, MP_EINVAL, 0, undo_process, mp_process_create(&out.made.process, ATTR(.daemon = (mp_daemon_t)-1))) \
    X(c10, MP_EINVAL, 0, undo_process, mp_process_create(&out.made.process, ATTR(.priority = MP_CONF_PRIORITIES))) \
    X(c11, MP_EINVAL, 0, undo_process, mp_process_create(&out.made.process, ATTR(.priority = 255))) \
    /* start */                                                                               \
    X(s1, MP_EALREADY, 0, NULL, mp_process_start(fx.holder))                                  \
    X(s2, MP_EALREADY, 0, NULL, mp_process_start(fx.joined))                                  \
    X(s3, MP_ENOTCHILD, 0, NULL, mp_process_start(fx.self))                                   \
    X(s4, MP_ENOTCHILD, 0, NULL, mp_process_start(fx.grandchild))                             \
    /* join: fails before waiting, whatever the timeout */                                    \
    X(j1, MP_ENOTSTARTED, 0, NULL, mp_process_join(fx.unstarted, MP_NOWAIT))                  \
    X(j2, MP_ENOTSTARTED, 0, NULL, mp_process_join(fx.unstarted, MP_FOREVER))                 \
    X(j3, MP_ESELF, 0, NULL, mp_process_join(fx.self, MP_FOREVER))                            \
    X(j4, MP_ESELF, 0, NULL, mp_process_join(fx.self, (mp_timeout_t)-5))                      \
    X(j5, MP_ENOTCHILD, 0, NULL, mp_process_join(fx.grandchild, MP_FOREVER))                  \
    X(j6, MP_EAGAIN, 0, NULL, mp_process_join(fx.holder, MP_NOWAIT))                       \
    X(j7, MP_ETIMEDOUT, BI_WAITS, NULL, mp_process_join(fx.holder, 1))                        \
    /* is_alive, terminate, kill */                                                           \
    X(a1, MP_EINVAL, 0, NULL, mp_process_is_alive(fx.holder, NULL))                           \
    X(a2, MP_ENOTCHILD, 0, NULL, mp_process_is_alive(fx.grandchild, &out.flag))               \
    X(t1, MP_ENOTSTARTED, 0, NULL, mp_process_terminate(fx.unstarted))                        \
    X(t2, MP_ENOTCHILD, 0, NULL, mp_process_terminate(fx.grandchild))                         \
    X(k1, MP_ENOTSTARTED, 0, NULL, mp_process_kill(fx.unstarted))                             \
    X(k2, MP_ENOTCHILD, 0, NULL, mp_process_kill(fx.grandchild))                              \
    X(k3, MP_ENOTSTARTED, 0, NULL, mp_process_interrupt(fx.unstarted))                        \
    X(k4, MP_ENOTCHILD, 0, NULL, mp_process_interrupt(fx.grandchild))                         \
    /* exitcode: CPython's None until the end */                                              \
    X(e1, MP_EINVAL, 0, NULL, mp_process_exitcode(fx.joined, NULL))                           \
    X(e2, MP_ERUNNING, 0, NULL, mp_process_exitcode(fx.unstarted, &out.code))                 \
    X(e3, MP_ERUNNING, 0, NULL, mp_process_exitcode(fx.holder, &out.code))                    \
    X(e4, MP_ERUNNING, 0, NULL, mp_process_exitcode(fx.self, &out.code))                      \
    X(e5, MP_ERUNNING, 0, NULL, mp_process_exitcode(fx.grandchild, &out.code))                \
    /* close */                                                                               \
    X(x1, MP_EBUSY, 0, NULL, mp_process_close(fx.self))                                       \
    X(x2, MP_EBUSY, 0, NULL, mp_process_close(fx.holder))                                     \
    X(x3, MP_ENOTCHILD, 0, NULL, mp_process_close(fx.grandchild))                             \
    /* name, pid, daemon */                                                                   \
    X(n1, MP_EINVAL, 0, NULL, mp_process_name(fx.holder, NULL, 16))                           \
    X(n2, MP_EINVAL, 0, NULL, mp_process_name(fx.holder, out.name, 0))                        \
    X(n3, MP_EINVAL, 0, NULL, mp_process_name(fx.holder, NULL, 0))                            \
    X(i1, MP_EINVAL, 0, NULL, mp_process_pid(fx.holder, NULL))                                \
    X(i2, MP_ENOTSTARTED, 0, NULL, mp_process_pid(fx.unstarted, &out.u32))                    \
    X(i3, MP_ENOTSTARTED, 0, NULL, mp_process_pid(fx.grandchild, &out.u32))                   \
    X(d1, MP_EINVAL, 0, NULL, mp_process_daemon(fx.holder, NULL))                             \
    /* self, parent, active_children */                                                       \
    X(f1, MP_EINVAL, 0, NULL, mp_process_self(NULL))                                          \
    X(f2, MP_EINVAL, 0, NULL, mp_process_parent(NULL))                                        \
    X(f3, MP_ENOENT, 0, NULL, mp_process_parent(&out.procs[0]))                               \
    X(f4, MP_EINVAL, 0, NULL, mp_process_active_children(out.procs, 2, NULL))                 \
    X(f5, MP_EINVAL, 0, NULL, mp_process_active_children(NULL, 1, &out.len))                  \
    X(f6, MP_EINVAL, 0, NULL, mp_process_active_children(NULL, SIZE_MAX, &out.len)) \
    /* atexit: the main process's hooks are all taken (fill_hooks): the argument first */    \
    X(h1, MP_EINVAL, 0, NULL, mp_atexit(NULL, NULL))                                          \
    X(h2, MP_ENOSLOT, 0, NULL, mp_atexit(no_op, NULL))                                     \
    /* suspend, resume: the holder is suspended here (make_states) */                         \
    X(u1, MP_ENOTSTARTED, 0, NULL, mp_process_suspend(fx.unstarted))                          \
    X(u2, MP_ENOTCHILD, 0, NULL, mp_process_suspend(fx.grandchild))                           \
    X(u3, MP_ENOENT, 0, NULL, mp_process_suspend(fx.joined))                                  \
    X(u4, MP_ESELF, 0, NULL, mp_process_suspend(fx.self))                                     \
    X(u5, MP_EALREADY, 0, NULL, mp_process_suspend(fx.holder))                                \
    X(r1, MP_ENOTSTARTED, 0, NULL, mp_process_resume(fx.unstarted))                           \
    X(r2, MP_ENOTCHILD, 0, NULL, mp_process_resume(fx.grandchild))                            \
    X(r3, MP_ENOENT, 0, NULL, mp_process_resume(fx.joined))                                   \
    X(r4, MP_ERUNNING, 0, NULL, mp_process_resume(fx.self))                                   \
    X(q1, MP_EINVAL, 0, NULL, mp_process_is_suspended(fx.holder, NULL))                       \
    X(q2, MP_EINVAL, 0, NULL, mp_process_is_suspended(fx.joined, NULL))

PROCESS_ROWS(BI_FN)
static const bi_row_t rows[] = {PROCESS_ROWS(BI_ENTRY)};

int main(void)
{
    return bi_main(&(bi_suite_t){.name = "process", .noun = "process",
                                 .ops = ops, .n_ops = BI_COUNT(ops),
                                 .rows = rows, .n_rows = BI_COUNT(rows),
                                 .make_states = make_states, .free_states = free_states});
}
