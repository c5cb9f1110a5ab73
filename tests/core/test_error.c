/*
 * mp_err_t: every code is distinct and named; mp_strerror covers the whole enum.
 */
#include <string.h>

#include "mp_test.h"

static void test_every_code_has_its_own_name(void **state)
{
    (void)state;
    const char *unknown = mp_strerror((mp_err_t)1);
    for (int a = MP_OK; a >= MP_ERR_LAST; a--) {
        const char *name = mp_strerror((mp_err_t)a);
        assert_non_null(name);
        assert_string_not_equal(unknown, name);
        assert_memory_equal("MP_", name, 3);
        for (int b = a - 1; b >= MP_ERR_LAST; b--)
            assert_string_not_equal(name, mp_strerror((mp_err_t)b));
    }
}

static void test_unknown_codes_get_a_generic_text(void **state)
{
    (void)state;
    assert_string_equal("unknown mp_err_t", mp_strerror((mp_err_t)1));
    assert_string_equal("unknown mp_err_t", mp_strerror((mp_err_t)(MP_ERR_LAST - 1)));
    assert_string_equal("unknown mp_err_t", mp_strerror((mp_err_t)-100000));
}

static void test_success_is_zero_and_failures_negative(void **state)
{
    (void)state;
    assert_int_equal(0, MP_OK);
    assert_true(MP_ERR_LAST < 0);
    assert_string_equal("MP_ETIMEDOUT: timed out", mp_strerror(MP_ETIMEDOUT));
    assert_string_equal("MP_EAGAIN: would block", mp_strerror(MP_EAGAIN));
}

static void test_calls_before_init_are_refused(void **state)
{
    (void)state;
    /* This suite never calls mp_init(): every object refuses politely. */
    mp_process_t p;
    mp_lock_t l;
    assert_int_equal(MP_ENOINIT, mp_process_create(&p, &(mp_process_attr_t){.target = (mp_process_fn)1}));
    assert_int_equal(MP_ENOINIT, mp_lock_create(&l));
    assert_int_equal(MP_ENOINIT, mp_process_self(&p));
    l.id = 0x20001001u;
    assert_int_equal(MP_ENOINIT, mp_lock_acquire(l, MP_NOWAIT));
    assert_int_equal(MP_ENOINIT, mp_sleep(1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_code_has_its_own_name),
        cmocka_unit_test(test_unknown_codes_get_a_generic_text),
        cmocka_unit_test(test_success_is_zero_and_failures_negative),
        cmocka_unit_test(test_calls_before_init_are_refused),
    };
    return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
