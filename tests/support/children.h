/*
 * Children of a test: start one, join it, reap it, and check that a test left none
 * behind. Part of mp_test.h (include that).
 */
#ifndef MP_TEST_CHILDREN_H
#define MP_TEST_CHILDREN_H

/* A deadline no call reaches in a passing run: it only turns a hang into a failure. */
#define LONG 10000

/* Creates and starts a child. */
static inline mp_process_t spawn(mp_process_fn fn, const void *arg, size_t size,
                                 mp_daemon_t daemon)
{
    mp_process_t p;
    OK(mp_process_create(&p, &(mp_process_attr_t){
                                 .target = fn, .arg = arg, .arg_size = size, .daemon = daemon}));
    OK(mp_process_start(p));
    return p;
}

/* Joins, returns the exitcode, frees the slot. */
static inline int reap(mp_process_t p)
{
    int code = 12345;
    OK(mp_process_join(p, MP_FOREVER));
    OK(mp_process_exitcode(p, &code));
    OK(mp_process_close(p));
    return code;
}

/* Reaps a child that must end soon (within LONG): one that does not is killed, so the
 * test fails instead of hanging and leaves no child behind. */
static inline int reap_soon(mp_process_t p)
{
    mp_err_t joined = mp_process_join(p, LONG);
    if (joined != MP_OK)
        (void)mp_process_kill(p);
    int code = reap(p);
    assert_int_equal(MP_OK, joined);
    return code;
}

/* Runs fn(arg) in a child to the end; returns its exitcode. */
static inline int run(mp_process_fn fn, const void *arg, size_t size)
{
    return reap(spawn(fn, arg, size, MP_DAEMON_INHERIT));
}

/* Port-dependent helpers (tests/support/<port>/port_test.c). wait_blocked returns once
 * p sleeps in the runtime (a child that announced a blocking call and then made it);
 * wait_stopped once p is stopped by SIGSTOP (POSIX only). */
void wait_blocked(mp_process_t p);
void wait_stopped(mp_process_t p);

/* Every test leaves no child behind: the table must be as the suite found it. */
static inline int no_children_left(void **state)
{
    (void)state;
    size_t n = 0;
    if (mp_process_active_children(NULL, 0, &n) != MP_OK || n != 0)
        return -1;
    return 0;
}

/* A test registered with that check as its teardown. */
#define TEST(fn) cmocka_unit_test_teardown(fn, no_children_left)

#endif
