/*
 * Stack overflow on the task port: every task stack has a guard word at its bottom,
 * checked whenever the task is switched away from. A task found to have overwritten it
 * ends as a fault (exitcode -11) and never runs again; its parent is woken as for any
 * end. The test overwrites the guard directly, as an overflow reaching it would (a real
 * overflow would also trample whatever lies below, which a test must not do).
 */
#include "mp_test.h"

#include "task.h"

static int overflow_then_block(void *arg)
{
    (void)arg;
    volatile uint32_t *guard = task_stack_guard(mp_port_self());
    *guard = 0;             /* what an overflow does first */
    mp_process_yield();     /* any switch away notices */
    return 0;               /* never reached */
}

static int stay_within(void *arg)
{
    (void)arg;
    volatile char frame[256];
    frame[0] = 1;
    mp_process_yield();
    return frame[0] == 1 ? 0 : 1;
}

static void test_a_task_that_overflows_its_stack_ends_as_a_fault(void **state)
{
    (void)state;
    NEEDS_TEST_HOOKS(); /* the guard is reached through a test hook of the scheduler */
    assert_int_equal(-MP_SIGSEGV, run(overflow_then_block, NULL, 0));
    assert_int_equal(0, run(stay_within, NULL, 0)); /* and the others go on */
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_a_task_that_overflows_its_stack_ends_as_a_fault),
    };
    return cmocka_run_group_tests_name("stack", tests, NULL, NULL);
}
