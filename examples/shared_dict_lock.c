/*
 * Ten processes decrementing a shared dict entry under a Lock (CPython's
 *     with lock: d["num"] -= 1
 * with d = Manager().dict()): d["num"] starts at 100 and ends at 90. The get and the set
 * are two calls, each atomic, so the read-modify-write needs the Lock, as in CPython;
 * mp_dict_add does the same in one atomic call without it (shown last).
 */
#include "mp/dict.h"
#include "mp/mp.h"
#include "out.h"

typedef struct {
    mp_dict_t d;
    mp_lock_t lock;
} shared_t;

static int decrement(void *arg)
{
    shared_t *s = arg;
    int64_t num;
    size_t len;
    mp_lock_acquire(s->lock, MP_FOREVER);
    mp_err_t err = mp_dict_get(s->d, "num", &num, sizeof num, &len, MP_FOREVER);
    if (err == MP_OK) {
        num -= 1;
        err = mp_dict_set(s->d, "num", &num, sizeof num, MP_FOREVER);
    }
    mp_lock_release(s->lock);
    return err == MP_OK ? 0 : 1;
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    out("shared_dict_lock: ten processes decrement d[\"num\"] under a Lock\n");
    shared_t s;
    int64_t num = 100;
    size_t len;
    if (mp_dict_create(&s.d, &(mp_dict_attr_t){.capacity = 4, .key_size = 8,
                                               .value_size = sizeof num}) != MP_OK ||
        mp_lock_create(&s.lock) != MP_OK ||
        mp_dict_set(s.d, "num", &num, sizeof num, MP_FOREVER) != MP_OK)
        return 1;
    mp_process_t p[10];
    for (int i = 0; i < 10; i++)
        if (mp_process_create(&p[i], &(mp_process_attr_t){.target = decrement, .arg = &s,
                                                           .arg_size = sizeof s}) != MP_OK ||
            mp_process_start(p[i]) != MP_OK)
            return 1;
    int failed = 0;
    for (int i = 0; i < 10; i++) {
        int code = -1;
        mp_process_join(p[i], MP_FOREVER);
        mp_process_exitcode(p[i], &code);
        failed += code != 0;
    }
    mp_dict_get(s.d, "num", &num, sizeof num, &len, MP_FOREVER);
    out("d[\"num\"] = ");
    out_int((long)num);
    out("\n");
    int64_t before = 0;
    mp_dict_add(s.d, "num", -10, &before, MP_FOREVER); /* atomic: no Lock needed */
    mp_dict_get(s.d, "num", &num, sizeof num, &len, MP_FOREVER);
    out("after mp_dict_add(-10): ");
    out_int((long)before);
    out(" -> ");
    out_int((long)num);
    out("\n");
    return failed == 0 && num == 80 ? 0 : 1;
}
