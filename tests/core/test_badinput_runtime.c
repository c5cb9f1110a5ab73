/*
 * Bad input to the calls about the runtime itself (mp_init, mp_usage, mp_clock_ns,
 * mp_strerror), on every port: each row one call, its exact code, and nothing changed
 * (tests/support/badinput.h). MP_ENOINIT, which needs a program that never called
 * mp_init(), is tests/core/test_error.c's.
 */
#include "badinput.h"

/* mp_strerror returns a text, not a code: a row passes (MP_OK) when the text is the
 * generic one every unknown value gets. The unknown values are ones every port can hold
 * in an mp_err_t: arm-none-eabi gives enums their smallest type (the AAPCS default for
 * bare metal), so on the M3 mp_err_t is one signed byte and (mp_err_t)INT_MIN is MP_OK. */
static mp_err_t generic(const char *text)
{
    return strcmp(text, "unknown mp_err_t") == 0 ? MP_OK : MP_EINVAL;
}

#define RUNTIME_ROWS(X)                                                                       \
    X(i1, MP_EALREADY, 0, NULL, mp_init())                                                    \
    X(i2, MP_EINVAL, 0, NULL, mp_init_config(NULL, 1))                                        \
    X(u1, MP_EINVAL, 0, NULL, mp_usage(NULL))                                                 \
    X(k1, MP_EINVAL, 0, NULL, mp_clock_ns(NULL))                                              \
    X(e1, MP_OK, 0, NULL, generic(mp_strerror((mp_err_t)1)))                                  \
    X(e2, MP_OK, 0, NULL, generic(mp_strerror((mp_err_t)(MP_ERR_LAST - 1))))                  \
    X(e3, MP_OK, 0, NULL, generic(mp_strerror((mp_err_t)2)))                                  \
    X(e4, MP_OK, 0, NULL, generic(mp_strerror((mp_err_t)INT8_MAX)))                           \
    X(e5, MP_OK, 0, NULL, generic(mp_strerror((mp_err_t)INT8_MIN)))

RUNTIME_ROWS(BI_FN)
static const bi_row_t rows[] = {RUNTIME_ROWS(BI_ENTRY)};

static void test_every_bad_argument(void **state)
{
    (void)state;
    bi_run(rows, sizeof rows / sizeof rows[0]);
    bi_verdict("runtime");
    print_message("runtime: %u bad-input checks\n", bi_rows);
}

static int setup(void **state)
{
    (void)state;
    return mp_init() == MP_OK ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_bad_argument),
    };
    return cmocka_run_group_tests_name("badinput_runtime", tests, setup, NULL);
}
