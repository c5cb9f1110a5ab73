/*
 * The configuration check of mp_init: the program's value of every option against the
 * runtime's own, so that a library built with the defaults and a program built with its
 * own header (or the reverse) meet at mp_init with a code that names the cause, not at a
 * later create with MP_EINVAL.
 */
#include <string.h>

#include "world.h"

#define NAME_(name) #name "\0"
#define VALUE_(name) (uint32_t)(MP_CONF_##name),

/* One string of NUL-separated names, not a table of pointers: half the flash. Without
 * MP_CONF_CONFIG_NAMES the text gives the option's place in MP_CONF_OPTIONS instead. */
#if MP_CONF_CONFIG_NAMES
static const char names[] = MP_CONF_OPTIONS(NAME_);
#else
static const char names[] = "";
#endif
static const uint32_t values[] = {MP_CONF_OPTIONS(VALUE_)};
#define COUNT ((uint32_t)(sizeof values / sizeof values[0]))

/* Per process, not in the world: it is written before there is one. Room for the longest
 * text, "MP_ECONFIG: MP_CONF_<name> is <10 digits> in the program, <10 digits> in the
 * runtime". */
char mpi_config_mismatch[128];

static size_t put(size_t at, const char *text)
{
    return at + mpi_strlcpy(mpi_config_mismatch + at, text, sizeof mpi_config_mismatch - at);
}

static size_t put_number(size_t at, uint32_t value)
{
    return at + mpi_utoa(mpi_config_mismatch + at, sizeof mpi_config_mismatch - at, value);
}

mp_err_t mpi_config_check(const uint32_t *options, uint32_t count)
{
    if (options == NULL)
        return MP_EINVAL;
    size_t at = put(0, "MP_ECONFIG: ");
    if (count != COUNT) { /* headers of another mpstatic than the runtime's */
        at = put(at, "the program's mp/config.h lists ");
        at = put_number(at, count);
        at = put(at, " options, the runtime's ");
        put_number(at, COUNT);
        return MP_ECONFIG;
    }
    const char *name = names;
    for (uint32_t i = 0; i < COUNT; i++, name += MP_CONF_CONFIG_NAMES ? strlen(name) + 1 : 0) {
        if (options[i] == values[i])
            continue;
        if (MP_CONF_CONFIG_NAMES) {
            at = put(at, "MP_CONF_");
            at = put(at, name);
        } else {
            at = put(at, "option ");
            at = put_number(at, i + 1u);
            at = put(at, " of MP_CONF_OPTIONS (mp/config.h)");
        }
        at = put(at, " is ");
        at = put_number(at, options[i]);
        at = put(at, " in the program, ");
        at = put_number(at, values[i]);
        put(at, " in the runtime");
        return MP_ECONFIG;
    }
    mpi_config_mismatch[0] = '\0';
    return MP_OK;
}
