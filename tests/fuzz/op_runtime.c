/*
 * The calls about the runtime itself: mp_init again (MP_EALREADY), mp_usage and
 * mp_clock_ns with NULL, the clock never going back, mp_strerror of any value (a text,
 * never NULL: README "bad input never aborts"), mp_type_size.
 */
#include <string.h>

#include "harness.h"

static mp_time_t last_now;

static void r_misc(in_t *in)
{
    uint8_t f = in_u8(in);
    switch (f % 5u) {
    case 0:
        if (fz_isr()) {
            fz_skip("mp_init in a handler");
            break;
        }
        fz_call("mp_init", 0);
        fz_expect(MP_EALREADY, mp_init());
        break;
    case 1:
        fz_call("mp_usage", 1, (uint64_t)0);
        fz_expect(MP_EINVAL, mp_usage(NULL));
        break;
    case 2: {
        mp_time_t now = 0;
        fz_call("mp_clock_ns", 1, (uint64_t)(f >> 7));
        fz_expect(f >> 7 ? MP_EINVAL : MP_OK, mp_clock_ns(f >> 7 ? NULL : &now));
        if (f >> 7)
            break;
        if (now < last_now)
            fz_fail("the clock went back: %llu after %llu", (unsigned long long)now,
                    (unsigned long long)last_now);
        last_now = now;
        break;
    }
    case 3: {
        int32_t code = (int32_t)in_u32(in);
        if (f & 8)
            code = -(int32_t)(in_u8(in) % 40u); /* around the known codes */
        const char *s = mp_strerror((mp_err_t)code);
        fz_call("mp_strerror", 1, (uint64_t)(int64_t)code);
        if (s == NULL || s[0] == '\0')
            fz_fail("mp_strerror(%d): no text", code);
        if (code <= MP_OK && code >= MP_ERR_LAST && strncmp(s, "MP_", 3) != 0)
            fz_fail("mp_strerror(%d) = \"%s\": a known code's text names it", code, s);
        break;
    }
    default: {
        static const size_t sizes[] = {0, 1, 1, 2, 2, 4, 4, 8, 8, 4, 8, 1, 0};
        uint32_t type = in_u8(in) % 13u;
        fz_call("mp_type_size", 1, (uint64_t)type);
        fz_expect_u("mp_type_size", sizes[type], mp_type_size((mp_type_t)type));
        break;
    }
    }
}

const fz_op_t fz_runtime_ops[] = {
    {"runtime_misc", r_misc, false, true},
};
const size_t fz_runtime_nops = sizeof fz_runtime_ops / sizeof fz_runtime_ops[0];
