/*
 * A program compiled with another configuration than its runtime: this suite is that
 * program. It sets MP_CONF_ARG_SIZE to 33 for itself alone, while the runtime it links
 * was built with the port's default (32 on every port), as a program does when it gives
 * its own MP_CONFIG_FILE to its sources and not to the library. mp_init refuses it with
 * MP_ECONFIG, names the option and both values, and sets nothing up.
 */
#define MP_CONF_ARG_SIZE 33

#include "mp_test.h"

#define RUNTIME_ARG_SIZE 32u /* the default of mp/config.h, which no port overrides */

static void test_another_configuration_is_refused_by_name(void **state)
{
    (void)state;
    mp_err_t err = mp_init();
    assert_int_equal(MP_ECONFIG, err);
    assert_string_equal("MP_ECONFIG: MP_CONF_ARG_SIZE is 33 in the program, 32 in the runtime",
                        mp_strerror(err));
    /* Nothing was set up: every object still refuses as before mp_init. */
    mp_process_t p;
    assert_int_equal(MP_ENOINIT, mp_process_self(&p));
    mp_lock_t l;
    assert_int_equal(MP_ENOINIT, mp_lock_create(&l));
}

static void test_headers_of_another_version_are_refused(void **state)
{
    (void)state;
    static const uint32_t older[] = {MP_CONF_OPTIONS(MP_CONF_VALUE_)};
    uint32_t n = (uint32_t)(sizeof older / sizeof older[0]);
    assert_int_equal(MP_ECONFIG, mp_init_config(older, n - 1));
    char want[96] = "MP_ECONFIG: the program's mp/config.h lists ";
    /* n - 1 and n, in decimal: the list has fewer than 100 options */
    size_t at = strlen(want);
    want[at++] = (char)('0' + (n - 1) / 10);
    want[at++] = (char)('0' + (n - 1) % 10);
    strcpy(want + at, " options, the runtime's ");
    at = strlen(want);
    want[at++] = (char)('0' + n / 10);
    want[at++] = (char)('0' + n % 10);
    want[at] = '\0';
    assert_string_equal(want, mp_strerror(MP_ECONFIG));
    assert_int_equal(MP_EINVAL, mp_init_config(NULL, n));
    mp_process_t p;
    assert_int_equal(MP_ENOINIT, mp_process_self(&p));
}

/* The same program with the runtime's value for the one option it changed: accepted, and
 * the refusal is checked before MP_EALREADY, so it holds after a good init too. */
static void test_the_runtime_configuration_is_accepted(void **state)
{
    (void)state;
#define NAMED_(name) #name,
    static const char *const names[] = {MP_CONF_OPTIONS(NAMED_)};
    static const uint32_t mine[] = {MP_CONF_OPTIONS(MP_CONF_VALUE_)};
    uint32_t n = (uint32_t)(sizeof mine / sizeof mine[0]), fixed[sizeof mine / sizeof mine[0]];
    for (uint32_t i = 0; i < n; i++)
        fixed[i] = strcmp(names[i], "ARG_SIZE") == 0 ? RUNTIME_ARG_SIZE : mine[i];
    OK(mp_init_config(fixed, n));
    mp_process_t p;
    OK(mp_process_self(&p));
    assert_int_equal(MP_ECONFIG, mp_init());
    assert_int_equal(MP_EALREADY, mp_init_config(fixed, n));
    /* Of two differing options, the first is the one named. */
    uint32_t two[sizeof mine / sizeof mine[0]];
    memcpy(two, mine, sizeof two);
    two[n - 1] ^= 1u;
    assert_int_equal(MP_ECONFIG, mp_init_config(two, n));
    assert_non_null(strstr(mp_strerror(MP_ECONFIG), "MP_CONF_ARG_SIZE is 33 in"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_another_configuration_is_refused_by_name),
        cmocka_unit_test(test_headers_of_another_version_are_refused),
        cmocka_unit_test(test_the_runtime_configuration_is_accepted),
    };
    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
