/*
 * Time slices on the Cortex-M3: two processes of equal priority that never call the
 * runtime still both make progress, because the SysTick rotates them. (On the host
 * simulation there is no tick; on POSIX Linux does the same.)
 */
#include "mp_test.h"

static MP_SHARED volatile uint32_t flag;

static int spin_until_flag(void *arg)
{
    (void)arg;
    while (flag == 0) /* no runtime call: only a time slice lets the other one run */
        ;
    return 0;
}

static int set_flag(void *arg)
{
    (void)arg;
    flag = 1;
    return 0;
}

static void test_equal_priorities_share_the_cpu(void **state)
{
    (void)state;
    flag = 0;
    mp_process_t spinner = spawn(spin_until_flag, NULL, 0, MP_DAEMON_NO);
    mp_process_t setter = spawn(set_flag, NULL, 0, MP_DAEMON_NO);
    assert_int_equal(0, reap(spinner)); /* the spinner ran first and would spin forever */
    assert_int_equal(0, reap(setter));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_equal_priorities_share_the_cpu),
    };
    return cmocka_run_group_tests_name("timeslice", tests, NULL, NULL);
}
