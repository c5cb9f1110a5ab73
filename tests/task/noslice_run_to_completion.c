/*
 * MP_CONF_TIME_SLICING 0 (built into its own variants, host-sim and the Cortex-M3): two
 * processes of equal priority run one after the other, each to its end, although both
 * make runtime calls all along (preemption points under a seed) and outlast many ticks.
 * With time slicing (every other build) the first would see the second make progress.
 */
#include "mp_test.h"

#define ROUNDS 20000u
#define MAX_ROUNDS 200000u
#define SPAN_NS 5000000u /* several 1 ms ticks on a board; the simulation's clock stands still */

static MP_SHARED volatile uint32_t count[2], seen[2];

static int worker(void *arg)
{
    uint32_t me = *(const uint32_t *)arg, other = 1u - me;
    mp_time_t t0, now;
    mp_process_t self;
    if (mp_clock_ns(&t0) != MP_OK)
        return 1;
    for (uint32_t i = 0; i < MAX_ROUNDS; i++) {
        count[me]++;
        if (mp_process_self(&self) != MP_OK || mp_clock_ns(&now) != MP_OK)
            return 2;
        if (i >= ROUNDS && now - t0 >= SPAN_NS)
            break;
    }
    seen[me] = count[other];
    return 0;
}

static void test_equal_priorities_run_to_completion(void **state)
{
    (void)state;
    const uint32_t ids[2] = {0, 1};
    count[0] = count[1] = seen[0] = seen[1] = 0;
    mp_process_t a = spawn(worker, &ids[0], sizeof ids[0], MP_DAEMON_NO);
    mp_process_t b = spawn(worker, &ids[1], sizeof ids[1], MP_DAEMON_NO);
    assert_int_equal(0, reap(a));
    assert_int_equal(0, reap(b));
    assert_int_equal(0, seen[0]);        /* the first never saw the second run */
    assert_int_equal(count[0], seen[1]); /* the second started after the first ended */
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_equal_priorities_run_to_completion),
    };
    return cmocka_run_group_tests_name("run_to_completion", tests, NULL, NULL);
}
