/*
 * A Pool of 3 workers (CPython's Pool(3)): 5 tasks given with apply_async, then close and
 * join; each result says which worker process ran it, and 5 tasks in at most 3 processes
 * shows the workers reused. Then map over a list. Which worker takes which task varies
 * from run to run on POSIX, so each line prints the worker's pid (normalised by
 * tools/check_example.sh) and the summary counts distinct workers.
 */
#include "mp/mp.h"
#include "mp/pool.h"
#include "out.h"

typedef struct {
    int32_t square;
    uint32_t pid; /* os.getpid() of the worker that ran the task */
} answer_t;

static int square_and_pid(mp_pool_task_t *t)
{
    int32_t x = *(const int32_t *)t->arg;
    answer_t a = {.square = x * x};
    mp_process_t self;
    mp_process_self(&self);
    mp_process_pid(self, &a.pid);
    memcpy(t->result, &a, sizeof a);
    t->result_len = sizeof a;
    return 0;
}

static int square(mp_pool_task_t *t)
{
    int32_t x = *(const int32_t *)t->arg, y = x * x;
    memcpy(t->result, &y, sizeof y);
    t->result_len = sizeof y;
    return 0;
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    out("pool: 3 workers, 5 tasks with apply_async, then map\n");
    mp_pool_t pool;
    if (mp_pool_create(&pool, &(mp_pool_attr_t){.workers = 3}) != MP_OK)
        return 1;
    mp_result_t r[5];
    for (int32_t i = 0; i < 5; i++)
        if (mp_pool_apply_async(pool, square_and_pid, &i, sizeof i, NULL, &r[i]) != MP_OK)
            return 1;
    uint32_t pids[5];
    size_t distinct = 0;
    for (int i = 0; i < 5; i++) {
        answer_t a = {0};
        size_t len;
        if (mp_result_get(r[i], &a, sizeof a, &len, MP_FOREVER) != MP_OK)
            return 1;
        mp_result_destroy(r[i]);
        out("  task ");
        out_int(i);
        out(": ");
        out_int(a.square);
        out(", in a worker with pid ");
        out_int((long)a.pid);
        out("\n");
        size_t k = 0;
        while (k < distinct && pids[k] != a.pid)
            k++;
        if (k == distinct)
            pids[distinct++] = a.pid;
    }
    out(distinct <= 3 ? "5 tasks ran in at most 3 worker processes: the workers are reused\n"
                      : "more workers than the pool has!\n");

    int32_t in[10], squares[10];
    for (int32_t i = 0; i < 10; i++)
        in[i] = i;
    mp_err_t err = mp_pool_map(pool, square, in, 10, sizeof in[0], squares, sizeof squares[0],
                               NULL, 0, NULL, MP_FOREVER);
    out("map(square, range(10)):");
    for (int i = 0; i < 10; i++) {
        out(" ");
        out_int(squares[i]);
    }
    out("\n");
    mp_pool_close(pool);
    mp_err_t joined = mp_pool_join(pool, MP_FOREVER);
    out("close, join: ");
    out(mp_strerror(joined));
    out("\n");
    mp_pool_destroy(pool);
    return err == MP_OK && joined == MP_OK && distinct <= 3 ? 0 : 1;
}
