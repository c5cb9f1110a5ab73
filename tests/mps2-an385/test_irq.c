/*
 * An application's own device interrupt handler on the Cortex-M3 board: defining the
 * function of the CMSIS name (mp_mps2.h) installs it in the board's vector table, with no
 * table of its own. The handler here, for an IRQ nothing else uses (I2S), is pended by
 * software through the NVIC and wakes a process through a semaphore, as a device's
 * handler would. (On a board whose table sent every IRQ but its own timer to one stop,
 * this image stopped with "unexpected exception" at the first pend.)
 */
#include "mp_mps2.h"
#include "mp_test.h"

static mp_semaphore_t sem;
static MP_SHARED volatile uint32_t fired, ipsr_seen, in_isr_seen;
static MP_SHARED volatile int release_result;

void I2S_IRQHandler(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    ipsr_seen = ipsr;
    in_isr_seen = mp_port_in_isr();
    release_result = mp_semaphore_release(sem);
    fired++;
}

static void pend(void)
{
    MPS2_NVIC_ISPR = 1u << MPS2_I2S_IRQn;
    __asm__ volatile("dsb\n isb" ::: "memory"); /* taken here, before the next call */
}

static int wait_for_the_device(void *arg)
{
    (void)arg;
    return CODE(mp_semaphore_acquire(sem, MP_FOREVER));
}

static void setup(void)
{
    OK(mp_semaphore_create(&sem, 0, false));
    fired = ipsr_seen = in_isr_seen = 0;
    release_result = -1;
    MPS2_NVIC_IPR[MPS2_I2S_IRQn] = MPS2_RUNTIME_IRQ_PRIORITY;
    MPS2_NVIC_ISER = 1u << MPS2_I2S_IRQn;
}

static void teardown(void)
{
    MPS2_NVIC_ICER = 1u << MPS2_I2S_IRQn;
    OK(mp_semaphore_destroy(sem));
}

static void test_a_handler_defined_by_name_runs_when_its_irq_is_pended(void **state)
{
    (void)state;
    setup();
    pend();
    assert_int_equal(1, fired);
    assert_int_equal(16 + MPS2_I2S_IRQn, ipsr_seen); /* its own vector, not a shared stop */
    assert_true(in_isr_seen);
    assert_int_equal(MP_OK, release_result);
    OK(mp_semaphore_acquire(sem, MP_NOWAIT)); /* what the handler released */
    teardown();
}

static void test_a_handler_wakes_a_process_blocked_on_a_semaphore(void **state)
{
    (void)state;
    setup();
    /* more urgent than main: runs at once, and blocks in acquire */
    mp_process_t waiter;
    OK(mp_process_create(&waiter, &(mp_process_attr_t){.target = wait_for_the_device,
                                                         .priority = 1}));
    OK(mp_process_start(waiter));
    assert_int_equal(0, fired);
    pend();
    assert_int_equal(1, fired);
    /* woken by the release, it ran on return from the interrupt, before main went on */
    int code = -1;
    OK(mp_process_exitcode(waiter, &code));
    assert_int_equal(0, code);
    OK(mp_process_join(waiter, LONG));
    teardown();
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_a_handler_defined_by_name_runs_when_its_irq_is_pended),
        TEST(test_a_handler_wakes_a_process_blocked_on_a_semaphore),
    };
    return cmocka_run_group_tests_name("irq", tests, NULL, NULL);
}
