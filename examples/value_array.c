/*
 * Shared memory with Value and Array (CPython's sharedctypes): the parent creates
 * Value('i', 0) and Array('i', 10), a child fills the array with the squares of 0..9
 * and the value with their sum, and the parent prints what it sees once the child is
 * joined. Both live in the shared arena, so this works the same with real processes
 * (POSIX) and with tasks.
 */
#include "mp/mp.h"
#include "out.h"

#define N 10

typedef struct {
    mp_value_t sum;
    mp_array_t squares;
} shared_t;

static int fill(void *arg)
{
    shared_t *s = arg;
    int32_t total = 0;
    for (int32_t i = 0; i < N; i++) {
        int32_t sq = i * i;
        if (mp_array_set(s->squares, (size_t)i, &sq) != MP_OK) /* arr[i] = i * i */
            return 1;
        total += sq;
    }
    return mp_value_set(s->sum, &total) == MP_OK ? 0 : 1; /* num.value = sum */
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    out("value_array: a child fills a Value and an Array\n");
    shared_t s;
    if (mp_value_create(&s.sum, MP_I32, NULL, false) != MP_OK ||
        mp_array_create(&s.squares, MP_I32, N, NULL, false) != MP_OK)
        return 1;
    mp_process_t p;
    int code = -1;
    if (mp_process_create(&p, &(mp_process_attr_t){.target = fill, .arg = &s,
                                                    .arg_size = sizeof s}) != MP_OK ||
        mp_process_start(p) != MP_OK)
        return 1;
    mp_process_join(p, MP_FOREVER);
    mp_process_exitcode(p, &code);

    int32_t squares[N], sum = -1;
    mp_array_read(s.squares, 0, N, squares); /* arr[:], under one acquisition of its lock */
    mp_value_get(s.sum, &sum);
    out("squares:");
    for (int i = 0; i < N; i++) {
        out(" ");
        out_int(squares[i]);
    }
    out("\nsum: ");
    out_int(sum);
    out("\nchild exitcode ");
    out_int(code);
    out("\n");
    return code == 0 && sum == 285 ? 0 : 1;
}
