/*
 * Manager objects without a server process: a shared list appended by several processes
 * (CPython's Manager().list()), and a dict used as return_dict by 5 workers, the usual way
 * to get values back from processes (return_dict[procnum] = value). The appends come in
 * whatever order the processes run, so the list is sorted before it is printed; the dict
 * is read key by key.
 */
#include "mp/dict.h"
#include "mp/list.h"
#include "mp/mp.h"
#include "out.h"

typedef struct {
    mp_list_t list;
    int32_t who;
} appender_t;

static int append_three(void *arg)
{
    appender_t *a = arg;
    for (int32_t k = 0; k < 3; k++) {
        int32_t item = a->who * 10 + k; /* l.append(who * 10 + k) */
        if (mp_list_append(a->list, &item, MP_FOREVER) != MP_OK)
            return 1;
    }
    return 0;
}

typedef struct {
    mp_dict_t return_dict;
    int32_t procnum;
} worker_t;

static int worker(void *arg)
{
    worker_t *w = arg;
    char key[2] = {(char)('0' + w->procnum), '\0'}; /* return_dict[str(procnum)] = procnum ** 2 */
    int32_t value = w->procnum * w->procnum;
    return mp_dict_set(w->return_dict, key, &value, sizeof value, MP_FOREVER) == MP_OK ? 0 : 1;
}

static int by_value(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int join_all(mp_process_t *p, int n)
{
    int failed = 0;
    for (int i = 0; i < n; i++) {
        int code = -1;
        mp_process_join(p[i], MP_FOREVER);
        mp_process_exitcode(p[i], &code);
        mp_process_close(p[i]);
        failed += code != 0;
    }
    return failed;
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    out("managers: a shared list and a return_dict\n");
    mp_list_t list;
    mp_dict_t return_dict;
    if (mp_list_create(&list, &(mp_list_attr_t){.capacity = 16, .item_size = sizeof(int32_t)}) != MP_OK ||
        mp_dict_create(&return_dict, &(mp_dict_attr_t){.capacity = 8, .key_size = 8,
                                                       .value_size = sizeof(int32_t)}) != MP_OK)
        return 1;

    mp_process_t p[5];
    for (int32_t i = 0; i < 4; i++)
        if (mp_process_create(&p[i], &(mp_process_attr_t){.target = append_three,
                                                           .arg = &(appender_t){list, i + 1},
                                                           .arg_size = sizeof(appender_t)}) != MP_OK ||
            mp_process_start(p[i]) != MP_OK)
            return 1;
    int failed = join_all(p, 4);
    size_t len = 0;
    mp_list_len(list, &len, MP_FOREVER);
    mp_list_sort(list, by_value, NULL, false, MP_FOREVER); /* sorted(l) */
    out("list (");
    out_int((long)len);
    out(" items, sorted):");
    for (int32_t i = 0; i < (int32_t)len; i++) {
        int32_t item = 0;
        mp_list_get(list, i, &item, MP_FOREVER);
        out(" ");
        out_int(item);
    }
    out("\n");

    for (int32_t i = 0; i < 5; i++)
        if (mp_process_create(&p[i], &(mp_process_attr_t){.target = worker,
                                                           .arg = &(worker_t){return_dict, i},
                                                           .arg_size = sizeof(worker_t)}) != MP_OK ||
            mp_process_start(p[i]) != MP_OK)
            return 1;
    failed += join_all(p, 5);
    for (int i = 0; i < 5; i++) {
        char key[2] = {(char)('0' + i), '\0'};
        int32_t value = -1;
        size_t vlen;
        if (mp_dict_get(return_dict, key, &value, sizeof value, &vlen, MP_FOREVER) != MP_OK)
            failed++;
        out("return_dict[\"");
        out(key);
        out("\"] = ");
        out_int(value);
        out("\n");
    }
    return failed != 0;
}
