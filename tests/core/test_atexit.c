/*
 * Exit hooks (mp_atexit, CPython's atexit.register), on every port: they run in the
 * registering process's exit sequence, the last registered first, each once, before its
 * children are ended; not when it is terminated, killed, interrupted or crashes; a child
 * starts with none. Children record what ran in a shared trace. The main process's own
 * end (main() returning) is a program of its own: examples/atexit.c, whose output
 * `ninja test` checks on every port.
 */
#include "mp_test.h"

/* What the hooks of a test ran, in order: one character each. */
static MP_SHARED char trace[64];
static MP_SHARED uint32_t traced;

static void trace_reset(void)
{
    memset(trace, 0, sizeof trace);
    traced = 0;
}

static void note(void *arg)
{
    if (traced < sizeof trace - 1)
        trace[traced++] = *(const char *)arg;
}

/* Registers a hook noting each character of s, in order; returns the first failure. */
static mp_err_t register_notes(const char *s)
{
    for (; *s; s++) {
        mp_err_t err = mp_atexit(note, (void *)s);
        if (err != MP_OK)
            return err;
    }
    return MP_OK;
}

/* ---- when hooks run ------------------------------------------------------------------ */

static int returns(void *arg)
{
    (void)arg;
    mp_err_t err = register_notes("123");
    return err == MP_OK ? 7 : CODE(err);
}

static void test_hooks_run_last_registered_first_when_the_target_returns(void **state)
{
    (void)state;
    trace_reset();
    assert_int_equal(7, run(returns, NULL, 0));
    assert_string_equal("321", trace);
}

_Noreturn static void exit_from_inside(void)
{
    mp_process_exit(8); /* sys.exit(8), away from the target */
}

static int exits(void *arg)
{
    (void)arg;
    mp_err_t err = register_notes("abc");
    if (err != MP_OK)
        return CODE(err);
    exit_from_inside();
}

static void test_hooks_run_when_a_process_calls_mp_process_exit(void **state)
{
    (void)state;
    trace_reset();
    assert_int_equal(8, run(exits, NULL, 0));
    assert_string_equal("cba", trace);
}

typedef struct {
    test_signal_t ready; /* posted once the hooks are registered */
    mp_event_t never;
} waiter_arg_t;

static int registers_then_waits(void *arg)
{
    waiter_arg_t *a = arg;
    if (register_notes("xyz") != MP_OK)
        return 1;
    signal_post(a->ready);
    mp_event_wait(a->never, MP_FOREVER); /* until ended from outside */
    return 0;
}

static void test_hooks_do_not_run_when_a_process_is_terminated_killed_or_interrupted(void **state)
{
    (void)state;
    static mp_err_t (*const end[])(mp_process_t) = {mp_process_terminate, mp_process_kill,
                                                    mp_process_interrupt};
    static const int codes[] = {-MP_SIGTERM, -MP_SIGKILL, -MP_SIGINT};
    for (size_t i = 0; i < sizeof end / sizeof end[0]; i++) {
        trace_reset();
        waiter_arg_t a;
        signal_init(&a.ready);
        OK(mp_event_create(&a.never));
        mp_process_t p = spawn_until(a.ready, registers_then_waits, &a, sizeof a, MP_DAEMON_NO);
        OK(end[i](p));
        assert_int_equal(codes[i], reap(p));
        assert_string_equal("", trace); /* CPython's os._exit: no atexit */
        OK(mp_event_destroy(a.never));
        signal_destroy(&a.ready);
    }
}

static int registers_then_crashes(void *arg)
{
    (void)arg;
    if (register_notes("xyz") != MP_OK)
        return 1;
    volatile int *volatile bad = BAD_ADDRESS;
    *bad = 1;
    return 0;
}

static void test_hooks_do_not_run_when_a_process_crashes(void **state)
{
    (void)state;
    trace_reset();
    assert_int_equal(-MP_SIGSEGV, run(registers_then_crashes, NULL, 0));
    assert_string_equal("", trace);
}

/* ---- whose hooks ------------------------------------------------------------------------ */

static int child_of_a_hooked_parent(void *arg)
{
    (void)arg;
    return register_notes("c") == MP_OK ? 0 : 1;
}

static int hooked_parent(void *arg)
{
    (void)arg;
    if (register_notes("P") != MP_OK)
        return 1;
    mp_process_t c;
    if (mp_process_create(&c, &(mp_process_attr_t){.target = child_of_a_hooked_parent}) != MP_OK ||
        mp_process_start(c) != MP_OK || mp_process_join(c, MP_FOREVER) != MP_OK)
        return 2;
    return traced == 1 && trace[0] == 'c' ? 0 : 3; /* the child ran its own hook only */
}

static void test_a_child_starts_without_its_parents_hooks(void **state)
{
    (void)state;
    trace_reset();
    assert_int_equal(0, run(hooked_parent, NULL, 0));
    assert_string_equal("cP", trace);
}

static uint32_t slot_of(mp_process_t p)
{
    return (p.id & 0xfffu) - 1u; /* the index part of a handle (mp/types.h) */
}

/* A killed process leaves its hooks unrun in its slot; the slot's next process must not
 * inherit them. */
static void test_a_reused_slot_starts_without_the_hooks_of_its_last_process(void **state)
{
    (void)state;
    trace_reset();
    waiter_arg_t a;
    signal_init(&a.ready);
    OK(mp_event_create(&a.never));
    mp_process_t killed = spawn_until(a.ready, registers_then_waits, &a, sizeof a, MP_DAEMON_NO);
    OK(mp_process_kill(killed));
    assert_int_equal(-MP_SIGKILL, reap(killed));
    mp_process_t next = spawn(child_of_a_hooked_parent, NULL, 0, MP_DAEMON_NO);
    assert_int_equal(slot_of(killed), slot_of(next)); /* the lowest free slot again */
    assert_int_equal(0, reap(next));
    assert_string_equal("c", trace);
    OK(mp_event_destroy(a.never));
    signal_destroy(&a.ready);
}

/* ---- order against the children, and hooks that act ---------------------------------- */

static MP_SHARED struct {
    mp_process_t daemon;
    mp_event_t stop;  /* the normal child ends once it is set */
    mp_event_t never;
} family;

static int until_stopped(void *arg)
{
    (void)arg;
    return CODE(mp_event_wait(family.stop, MP_FOREVER));
}

static int waits_forever(void *arg)
{
    (void)arg;
    mp_event_wait(family.never, MP_FOREVER);
    return 0;
}

/* Runs before the children are ended: the daemon still runs, and the normal child, which
 * the exit sequence joins, is told to finish (else that join would never return). */
static void stop_the_children(void *arg)
{
    (void)arg;
    bool alive = false;
    if (mp_process_is_alive(family.daemon, &alive) == MP_OK && alive)
        note("d");
    mp_event_set(family.stop);
    note("s");
}

static int parent_with_a_stopping_hook(void *arg)
{
    (void)arg;
    mp_process_t n;
    if (mp_process_create(&family.daemon, &(mp_process_attr_t){.target = waits_forever,
                                                               .daemon = MP_DAEMON_YES}) != MP_OK ||
        mp_process_start(family.daemon) != MP_OK ||
        mp_process_create(&n, &(mp_process_attr_t){.target = until_stopped}) != MP_OK ||
        mp_process_start(n) != MP_OK || mp_atexit(stop_the_children, NULL) != MP_OK)
        return 1;
    return 0;
}

static void test_hooks_run_before_the_children_are_ended(void **state)
{
    (void)state;
    trace_reset();
    OK(mp_event_create(&family.stop));
    OK(mp_event_create(&family.never));
    mp_process_t p = spawn(parent_with_a_stopping_hook, NULL, 0, MP_DAEMON_NO);
    assert_int_equal(0, reap_soon(p));
    assert_string_equal("ds", trace);
    OK(mp_event_destroy(family.stop));
    OK(mp_event_destroy(family.never));
}

static void exit_with_9(void *arg)
{
    note(arg);
    mp_process_exit(9);
}

static void register_another(void *arg)
{
    note(arg);
    (void)mp_atexit(note, "n");
}

/* A hook that ends the process: the hooks left still run, each once, with its code. One
 * registered by a hook runs next. */
static int hooks_that_act(void *arg)
{
    (void)arg;
    if (mp_atexit(note, "1") != MP_OK || mp_atexit(exit_with_9, "2") != MP_OK ||
        mp_atexit(register_another, "3") != MP_OK)
        return 1;
    return 0;
}

static void test_a_hook_may_end_the_process_or_register_another(void **state)
{
    (void)state;
    trace_reset();
    assert_int_equal(9, run(hooks_that_act, NULL, 0));
    assert_string_equal("3n21", trace);
}

/* ---- the table and bad input ----------------------------------------------------------- */

static const char marks[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
_Static_assert(MP_CONF_EXIT_HOOKS < sizeof marks && MP_CONF_EXIT_HOOKS < sizeof trace,
               "a mark for each hook, and room in the trace");

static int fills_its_hooks(void *arg)
{
    (void)arg;
    if (mp_atexit(NULL, NULL) != MP_EINVAL)
        return 1;
    for (uint32_t i = 0; i < MP_CONF_EXIT_HOOKS; i++)
        if (mp_atexit(note, (void *)&marks[i]) != MP_OK)
            return 2;
    if (mp_atexit(note, "!") != MP_ENOSLOT || mp_atexit(NULL, NULL) != MP_EINVAL)
        return 3;
    return 0;
}

static void test_the_hooks_table_is_fixed_and_bad_input_is_refused(void **state)
{
    (void)state;
    trace_reset();
    assert_int_equal(0, run(fills_its_hooks, NULL, 0));
    /* every hook that was taken runs, the last first; the refused ones do not */
    assert_int_equal(MP_CONF_EXIT_HOOKS, traced);
    for (uint32_t i = 0; i < traced; i++)
        assert_int_equal(marks[MP_CONF_EXIT_HOOKS - 1u - i], trace[i]);
    assert_int_equal(MP_EINVAL, mp_atexit(NULL, NULL)); /* in the main process too */
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_hooks_run_last_registered_first_when_the_target_returns),
        TEST(test_hooks_run_when_a_process_calls_mp_process_exit),
        TEST(test_hooks_do_not_run_when_a_process_is_terminated_killed_or_interrupted),
        TEST(test_hooks_do_not_run_when_a_process_crashes),
        TEST(test_a_child_starts_without_its_parents_hooks),
        TEST(test_a_reused_slot_starts_without_the_hooks_of_its_last_process),
        TEST(test_hooks_run_before_the_children_are_ended),
        TEST(test_a_hook_may_end_the_process_or_register_another),
        TEST(test_the_hooks_table_is_fixed_and_bad_input_is_refused),
    };
    return cmocka_run_group_tests_name("atexit", tests, NULL, NULL);
}
