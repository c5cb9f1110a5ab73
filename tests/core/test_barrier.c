/*
 * Barrier (CPython's threading.Barrier over shared state), including a party that dies
 * while waiting: the others get MP_EBROKEN instead of hanging (CPython gh-123899).
 */
#include "mp_test.h"

#define CYCLES 3
#define MAX_PARTIES 4

/* ---- parties and action ----------------------------------------------------------------- */

static MP_SHARED uint32_t actions;               /* times the action ran */
static MP_SHARED uint32_t runner[CYCLES];        /* pid of who ran it, per cycle */
static MP_SHARED uint32_t index_of[MAX_PARTIES][CYCLES];
static MP_SHARED uint32_t actions_seen[MAX_PARTIES][CYCLES]; /* `actions` once released */

static void count_action(void)
{
    mp_process_t me;
    uint32_t pid = 0;
    if (mp_process_self(&me) == MP_OK)
        (void)mp_process_pid(me, &pid);
    if (actions < CYCLES)
        runner[actions] = pid;
    actions++;
}

static uint32_t main_pid(void)
{
    mp_process_t me;
    uint32_t pid = 0;
    OK(mp_process_self(&me));
    OK(mp_process_pid(me, &pid));
    return pid;
}

typedef struct {
    mp_barrier_t b;
    mp_timeout_t timeout;
    uint32_t id;     /* row in index_of / actions_seen */
    uint32_t cycles; /* waits to make */
} party_arg_t;

/* Waits `cycles` times, recording each index and what the action count was once
 * released. Exit code: 0, or CODE(what the failing wait said). */
static int party(void *arg)
{
    party_arg_t *a = arg;
    for (uint32_t k = 0; k < a->cycles; k++) {
        uint32_t index = UINT32_MAX;
        mp_err_t err = mp_barrier_wait(a->b, a->timeout, &index);
        if (err != MP_OK)
            return CODE(err);
        if (k < CYCLES) {
            index_of[a->id][k] = index;
            actions_seen[a->id][k] = actions;
        }
    }
    return 0;
}

static mp_process_t spawn_party(mp_barrier_t b, mp_timeout_t timeout, uint32_t id,
                                uint32_t cycles)
{
    party_arg_t a = {.b = b, .timeout = timeout, .id = id, .cycles = cycles};
    return spawn(party, &a, sizeof a, MP_DAEMON_YES);
}

/* Returns once n parties wait on b. Polls the barrier's own count; the short timed wait
 * between looks only lets the others run (it blocks, so the simulation switches). */
static void wait_until_waiting(mp_barrier_t b, uint32_t n)
{
    mp_event_t never;
    uint32_t waiting = 0;
    bool broken = false;
    OK(mp_event_create(&never));
    for (int looks = 0; looks < LONG; looks++) {
        OK(mp_barrier_n_waiting(b, &waiting));
        OK(mp_barrier_broken(b, &broken));
        if (waiting >= n || broken)
            break;
        assert_int_equal(MP_ETIMEDOUT, mp_event_wait(never, 1));
    }
    OK(mp_event_destroy(never));
    assert_false(broken);
    assert_int_equal(n, waiting);
}

/* Nobody waits on b, and it is not broken. */
static void expect_idle(mp_barrier_t b)
{
    uint32_t waiting = 99;
    bool broken = true;
    OK(mp_barrier_n_waiting(b, &waiting));
    assert_int_equal(0, waiting);
    OK(mp_barrier_broken(b, &broken));
    assert_false(broken);
}

static void expect_broken(mp_barrier_t b)
{
    bool broken = false;
    OK(mp_barrier_broken(b, &broken));
    assert_true(broken);
}

/* One cycle of a barrier of `parties`, the others children: every one of them passes.
 * Returns the arrival index this process got. */
static uint32_t expect_a_cycle_passes(mp_barrier_t b, uint32_t parties)
{
    mp_process_t p[MAX_PARTIES];
    uint32_t index = 99;
    for (uint32_t i = 0; i + 1 < parties; i++)
        p[i] = spawn_party(b, MP_FOREVER, i, 1);
    OK(mp_barrier_wait(b, LONG, &index));
    for (uint32_t i = 0; i + 1 < parties; i++)
        assert_int_equal(0, reap_soon(p[i]));
    return index;
}

static void reset_records(void)
{
    actions = 0;
    for (uint32_t k = 0; k < CYCLES; k++) {
        runner[k] = UINT32_MAX;
        for (uint32_t i = 0; i < MAX_PARTIES; i++) {
            index_of[i][k] = UINT32_MAX;
            actions_seen[i][k] = UINT32_MAX;
        }
    }
}

/* ---- creation and queries ---------------------------------------------------------- */

static void test_parties_must_be_at_least_one(void **state)
{
    (void)state;
    mp_barrier_t b;
    uint32_t parties = 0;
    assert_int_equal(MP_EINVAL, mp_barrier_create(&b, 0, NULL));
    OK(mp_barrier_create(&b, 1, NULL));
    OK(mp_barrier_parties(b, &parties));
    assert_int_equal(1, parties);
    OK(mp_barrier_destroy(b));
}

static void test_create_without_a_handle_is_refused(void **state)
{
    (void)state;
    assert_int_equal(MP_EINVAL, mp_barrier_create(NULL, 2, NULL));
}

static void test_barrier_of_one_never_blocks(void **state)
{
    (void)state;
    mp_barrier_t b;
    uint32_t index = 99;
    reset_records();
    OK(mp_barrier_create(&b, 1, count_action));
    for (int i = 0; i < CYCLES; i++) {
        index = 99;
        OK(mp_barrier_wait(b, MP_FOREVER, &index));
        assert_int_equal(0, index);
        assert_int_equal(i + 1, actions);
        assert_int_equal(main_pid(), runner[i]); /* run by the main process, the last to arrive */
    }
    OK(mp_barrier_wait(b, MP_NOWAIT, NULL)); /* no timeout even with no time at all */
    expect_idle(b);
    OK(mp_barrier_destroy(b));
}

static void test_queries_follow_the_arrivals(void **state)
{
    (void)state;
    mp_barrier_t b;
    uint32_t parties = 0, index = 99;
    OK(mp_barrier_create(&b, 3, NULL));
    OK(mp_barrier_parties(b, &parties));
    assert_int_equal(3, parties);
    expect_idle(b);
    mp_process_t p1 = spawn_party(b, MP_FOREVER, 0, 1);
    wait_until_waiting(b, 1);
    assert_int_equal(MP_ETIMEDOUT, mp_process_join(p1, 20)); /* does not pass alone */
    mp_process_t p2 = spawn_party(b, MP_FOREVER, 1, 1);
    wait_until_waiting(b, 2);
    assert_int_equal(MP_ETIMEDOUT, mp_process_join(p2, 20));
    OK(mp_barrier_wait(b, LONG, &index)); /* the third releases them */
    assert_int_equal(2, index);
    assert_int_equal(0, reap_soon(p1));
    assert_int_equal(0, reap_soon(p2));
    expect_idle(b);
    OK(mp_barrier_destroy(b));
}

static void test_queries_refuse_a_missing_output(void **state)
{
    (void)state;
    mp_barrier_t b;
    OK(mp_barrier_create(&b, 3, NULL));
    assert_int_equal(MP_EINVAL, mp_barrier_parties(b, NULL));
    assert_int_equal(MP_EINVAL, mp_barrier_n_waiting(b, NULL));
    assert_int_equal(MP_EINVAL, mp_barrier_broken(b, NULL));
    OK(mp_barrier_destroy(b));
}

/* ---- cycles ----------------------------------------------------------------------------- */

static void test_indices_are_distinct_within_each_cycle(void **state)
{
    (void)state;
    mp_barrier_t b;
    mp_process_t p[MAX_PARTIES - 1];
    uint32_t mine[CYCLES];
    reset_records();
    OK(mp_barrier_create(&b, MAX_PARTIES, NULL));
    for (uint32_t i = 0; i < MAX_PARTIES - 1; i++)
        p[i] = spawn_party(b, MP_FOREVER, i, CYCLES);
    for (uint32_t k = 0; k < CYCLES; k++)
        OK(mp_barrier_wait(b, LONG, &mine[k]));
    for (uint32_t i = 0; i < MAX_PARTIES - 1; i++)
        assert_int_equal(0, reap_soon(p[i]));
    for (uint32_t k = 0; k < CYCLES; k++) {
        uint32_t seen = 1u << mine[k];
        for (uint32_t i = 0; i < MAX_PARTIES - 1; i++) {
            assert_true(index_of[i][k] < MAX_PARTIES);
            seen |= 1u << index_of[i][k];
        }
        assert_int_equal((1u << MAX_PARTIES) - 1, seen); /* 0..parties-1, each once */
    }
    OK(mp_barrier_destroy(b));
}

static void test_action_runs_once_per_cycle_in_the_last_to_arrive_before_any_release(void **state)
{
    (void)state;
    mp_barrier_t b;
    mp_process_t p[2];
    uint32_t pid[2], mine[CYCLES], seen_by_main[CYCLES];
    reset_records();
    OK(mp_barrier_create(&b, 3, count_action));
    for (uint32_t i = 0; i < 2; i++) {
        p[i] = spawn_party(b, MP_FOREVER, i, CYCLES);
        OK(mp_process_pid(p[i], &pid[i]));
    }
    for (uint32_t k = 0; k < CYCLES; k++) {
        OK(mp_barrier_wait(b, LONG, &mine[k]));
        seen_by_main[k] = actions;
    }
    for (uint32_t i = 0; i < 2; i++)
        assert_int_equal(0, reap_soon(p[i]));
    assert_int_equal(CYCLES, actions);
    for (uint32_t k = 0; k < CYCLES; k++) {
        /* released only after the action of its own cycle, and before the next one's
         * (which needs every party, this one included) */
        assert_int_equal(k + 1, seen_by_main[k]);
        assert_int_equal(k + 1, actions_seen[0][k]);
        assert_int_equal(k + 1, actions_seen[1][k]);
        /* run by the party that got the last index */
        uint32_t last = mine[k] == 2 ? main_pid() : index_of[0][k] == 2 ? pid[0]
                                          : index_of[1][k] == 2 ? pid[1] : UINT32_MAX;
        assert_int_not_equal(UINT32_MAX, last);
        assert_int_equal(last, runner[k]);
    }
    OK(mp_barrier_destroy(b));
}

/* ---- breaking ------------------------------------------------------------------------------ */

/* A barrier of two aborted while one party waited; returns that party's exit code. */
static int abort_with_one_waiting(mp_barrier_t *b)
{
    OK(mp_barrier_create(b, 2, NULL));
    mp_process_t p = spawn_party(*b, MP_FOREVER, 0, 1);
    wait_until_waiting(*b, 1);
    OK(mp_barrier_abort(*b));
    return reap_soon(p);
}

static void test_abort_releases_the_waiters_broken(void **state)
{
    (void)state;
    mp_barrier_t b;
    uint32_t waiting = 99;
    assert_int_equal(CODE(MP_EBROKEN), abort_with_one_waiting(&b)); /* the waiter was released */
    expect_broken(b);
    OK(mp_barrier_n_waiting(b, &waiting));
    assert_int_equal(0, waiting);
    OK(mp_barrier_destroy(b));
}

static void test_waits_on_an_aborted_barrier_fail_at_once(void **state)
{
    (void)state;
    mp_barrier_t b;
    (void)abort_with_one_waiting(&b);
    /* later waits fail at once: a child waiting forever returns */
    mp_process_t p = spawn_party(b, MP_FOREVER, 0, 1);
    assert_int_equal(CODE(MP_EBROKEN), reap_soon(p));
    assert_int_equal(MP_EBROKEN, mp_barrier_wait(b, MP_NOWAIT, NULL));
    OK(mp_barrier_destroy(b));
}

static void test_aborting_a_broken_barrier_is_fine(void **state)
{
    (void)state;
    mp_barrier_t b;
    (void)abort_with_one_waiting(&b);
    OK(mp_barrier_abort(b)); /* aborting a broken barrier is fine */
    OK(mp_barrier_destroy(b));
}

static void test_reset_makes_an_aborted_barrier_usable_again(void **state)
{
    (void)state;
    mp_barrier_t b;
    (void)abort_with_one_waiting(&b);
    OK(mp_barrier_reset(b));
    expect_idle(b);
    assert_true(expect_a_cycle_passes(b, 2) < 2); /* usable again */
    OK(mp_barrier_destroy(b));
}

/* A barrier of three reset while two parties waited; returns their exit codes. */
static void reset_with_two_waiting(mp_barrier_t *b, int code[2])
{
    OK(mp_barrier_create(b, 3, NULL));
    mp_process_t p1 = spawn_party(*b, MP_FOREVER, 0, 1);
    mp_process_t p2 = spawn_party(*b, MP_FOREVER, 1, 1);
    wait_until_waiting(*b, 2);
    OK(mp_barrier_reset(*b));
    code[0] = reap_soon(p1);
    code[1] = reap_soon(p2);
}

static void test_reset_releases_the_waiters_broken(void **state)
{
    (void)state;
    mp_barrier_t b;
    int code[2];
    reset_with_two_waiting(&b, code);
    assert_int_equal(CODE(MP_EBROKEN), code[0]);
    assert_int_equal(CODE(MP_EBROKEN), code[1]);
    OK(mp_barrier_destroy(b));
}

static void test_a_barrier_reset_with_waiters_is_left_usable(void **state)
{
    (void)state;
    mp_barrier_t b;
    int code[2];
    reset_with_two_waiting(&b, code);
    expect_idle(b);
    (void)expect_a_cycle_passes(b, 3);
    OK(mp_barrier_destroy(b));
}

static void test_a_wait_that_times_out_breaks_the_barrier_for_everyone(void **state)
{
    (void)state;
    mp_barrier_t b;
    OK(mp_barrier_create(&b, 3, NULL));
    mp_process_t p = spawn_party(b, MP_FOREVER, 0, 1);
    wait_until_waiting(b, 1);
    assert_int_equal(MP_EBROKEN, mp_barrier_wait(b, 20, NULL)); /* as in CPython */
    assert_int_equal(CODE(MP_EBROKEN), reap_soon(p));
    expect_broken(b);
    p = spawn_party(b, MP_FOREVER, 0, 1);
    assert_int_equal(CODE(MP_EBROKEN), reap_soon(p)); /* at once */
    OK(mp_barrier_destroy(b));
}

/* CPython's Barrier(parties, action, timeout): a wait that names no timeout of its own
 * (MP_BARRIER_DEFAULT) waits the barrier's, and times out (breaking it) as a timed wait
 * does; an explicit timeout still wins, and a barrier made without one waits for ever. */
static void test_a_barrier_timeout_is_used_by_waits_that_give_none(void **state)
{
    (void)state;
    mp_barrier_t b;
    assert_int_equal(MP_EINVAL, mp_barrier_create_timeout(&b, 2, NULL, MP_BARRIER_DEFAULT));
    OK(mp_barrier_create_timeout(&b, 2, NULL, 20));
    mp_process_t p = spawn_party(b, MP_BARRIER_DEFAULT, 0, 1);
    assert_int_equal(CODE(MP_EBROKEN), reap_soon(p)); /* nobody came within its 20 ms */
    expect_broken(b);
    OK(mp_barrier_reset(b));
    p = spawn_party(b, LONG, 0, 1); /* its own timeout, not the barrier's */
    wait_until_waiting(b, 1);
    OK(mp_sleep(40));
    OK(mp_barrier_wait(b, MP_BARRIER_DEFAULT, NULL)); /* still waiting after 40 ms: met */
    assert_int_equal(0, reap_soon(p));
    OK(mp_barrier_destroy(b));
    OK(mp_barrier_create(&b, 2, NULL));
    p = spawn_party(b, MP_BARRIER_DEFAULT, 0, 1);
    wait_until_waiting(b, 1);
    OK(mp_sleep(40));
    OK(mp_barrier_wait(b, 1, NULL)); /* the child, MP_FOREVER by default, still waited */
    assert_int_equal(0, reap_soon(p));
    OK(mp_barrier_destroy(b));
}

static void test_a_child_wait_that_times_out_breaks_the_barrier_for_the_others(void **state)
{
    (void)state;
    mp_barrier_t b;
    OK(mp_barrier_create(&b, 3, NULL));
    mp_process_t waits = spawn_party(b, MP_FOREVER, 0, 1);
    wait_until_waiting(b, 1);
    mp_process_t times_out = spawn_party(b, 20, 1, 1);
    assert_int_equal(CODE(MP_EBROKEN), reap_soon(times_out));
    assert_int_equal(CODE(MP_EBROKEN), reap_soon(waits));
    expect_broken(b);
    OK(mp_barrier_destroy(b));
}

static void test_a_waiting_party_that_is_killed_breaks_the_barrier(void **state)
{
    (void)state;
    mp_barrier_t b;
    OK(mp_barrier_create(&b, 3, NULL));
    mp_process_t victim = spawn_party(b, MP_FOREVER, 0, 1);
    mp_process_t survivor = spawn_party(b, MP_FOREVER, 1, 1);
    wait_until_waiting(b, 2);
    OK(mp_process_kill(victim));
    assert_int_equal(-MP_SIGKILL, reap_soon(victim));
    assert_int_equal(CODE(MP_EBROKEN), reap_soon(survivor)); /* instead of hanging */
    expect_broken(b);
    assert_int_equal(MP_EBROKEN, mp_barrier_wait(b, MP_NOWAIT, NULL));
    OK(mp_barrier_reset(b)); /* and it can be used again */
    (void)expect_a_cycle_passes(b, 3);
    OK(mp_barrier_destroy(b));
}

/* ---- handles ------------------------------------------------------------------------------ */

static void test_destroyed_barrier_is_stale_even_after_its_slot_is_reused(void **state)
{
    (void)state;
    mp_barrier_t b, again;
    uint32_t n;
    bool broken;
    OK(mp_barrier_create(&b, 2, NULL));
    OK(mp_barrier_destroy(b));
    assert_int_equal(MP_ESTALE, mp_barrier_wait(b, MP_FOREVER, NULL));
    assert_int_equal(MP_ESTALE, mp_barrier_abort(b));
    assert_int_equal(MP_ESTALE, mp_barrier_reset(b));
    assert_int_equal(MP_ESTALE, mp_barrier_parties(b, &n));
    assert_int_equal(MP_ESTALE, mp_barrier_n_waiting(b, &n));
    assert_int_equal(MP_ESTALE, mp_barrier_broken(b, &broken));
    assert_int_equal(MP_ESTALE, mp_barrier_destroy(b));
    OK(mp_barrier_create(&again, 1, NULL));
    assert_int_not_equal(b.id, again.id);
    assert_int_equal(MP_ESTALE, mp_barrier_abort(b));
    OK(mp_barrier_broken(again, &broken));
    assert_false(broken); /* the stale abort did not reach the new barrier */
    OK(mp_barrier_destroy(again));
}

static void test_handles_of_another_kind_are_refused(void **state)
{
    (void)state;
    mp_barrier_t zero = {0};
    mp_event_t e;
    uint32_t n;
    OK(mp_event_create(&e));
    mp_barrier_t e_as_b = {e.id};
    assert_int_equal(MP_EHANDLE, mp_barrier_wait(e_as_b, MP_FOREVER, NULL));
    assert_int_equal(MP_EHANDLE, mp_barrier_abort(e_as_b));
    assert_int_equal(MP_EHANDLE, mp_barrier_parties(zero, &n));
    assert_int_equal(MP_EHANDLE, mp_barrier_destroy(zero));
    OK(mp_event_destroy(e));
}

static void test_table_full_is_reported(void **state)
{
    (void)state;
    mp_barrier_t all[MP_CONF_MAX_BARRIERS + 1];
    size_t n = 0;
    mp_err_t err = MP_OK;
    while (n <= MP_CONF_MAX_BARRIERS && (err = mp_barrier_create(&all[n], 2, NULL)) == MP_OK)
        n++;
    assert_int_equal(MP_CONF_MAX_BARRIERS, n);
    assert_int_equal(MP_ENOSLOT, err);
    for (size_t i = 0; i < n; i++)
        OK(mp_barrier_destroy(all[i]));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_parties_must_be_at_least_one),
        TEST(test_create_without_a_handle_is_refused),
        TEST(test_barrier_of_one_never_blocks),
        TEST(test_queries_follow_the_arrivals),
        TEST(test_queries_refuse_a_missing_output),
        TEST(test_indices_are_distinct_within_each_cycle),
        TEST(test_action_runs_once_per_cycle_in_the_last_to_arrive_before_any_release),
        TEST(test_abort_releases_the_waiters_broken),
        TEST(test_waits_on_an_aborted_barrier_fail_at_once),
        TEST(test_aborting_a_broken_barrier_is_fine),
        TEST(test_reset_makes_an_aborted_barrier_usable_again),
        TEST(test_reset_releases_the_waiters_broken),
        TEST(test_a_barrier_reset_with_waiters_is_left_usable),
        TEST(test_a_wait_that_times_out_breaks_the_barrier_for_everyone),
        TEST(test_a_barrier_timeout_is_used_by_waits_that_give_none),
        TEST(test_a_child_wait_that_times_out_breaks_the_barrier_for_the_others),
        TEST(test_a_waiting_party_that_is_killed_breaks_the_barrier),
        TEST(test_destroyed_barrier_is_stale_even_after_its_slot_is_reused),
        TEST(test_handles_of_another_kind_are_refused),
        TEST(test_table_full_is_reported),
    };
    return cmocka_run_group_tests_name("barrier", tests, NULL, NULL);
}
