/*
 * mp_dump: a consumer waits on a named queue, a worker has ended, the main process holds
 * a lock; the dump shows all of it, then the consumer is found by its name and fed.
 */
#include "mp/mp.h"
#include "out.h"

static int consumer(void *arg)
{
    mp_queue_t jobs;
    (void)arg;
    if (mp_object_find("jobs", &jobs.id) != MP_OK) /* found by name, not handed over */
        return 1;
    char m[8];
    size_t len;
    return mp_queue_get(jobs, m, sizeof m, &len, MP_FOREVER) == MP_OK ? 0 : 2;
}

static int worker(void *arg)
{
    (void)arg;
    return 0;
}

int main(void)
{
    mp_init();
    mp_queue_t q;
    mp_lock_t l;
    mp_process_t c, w;
    mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = 8, .depth = 4});
    mp_object_set_name(q.id, "jobs");
    mp_lock_create(&l);
    mp_lock_acquire(l, MP_FOREVER);
    mp_process_create(&w, &(mp_process_attr_t){.target = worker, .name = "worker"});
    mp_process_start(w);
    mp_process_join(w, MP_FOREVER);
    mp_process_create(&c, &(mp_process_attr_t){.target = consumer, .name = "consumer"});
    mp_process_start(c);
    mp_sleep(50); /* time for the consumer to block in its get */
    mp_dump();

    mp_process_t found;
    if (mp_process_find("consumer", &found) == MP_OK)
        mp_queue_put(q, "go", 2, MP_FOREVER);
    int code = -1;
    mp_process_join(found, MP_FOREVER);
    mp_process_exitcode(found, &code);
    out(code == 0 ? "consumer found the queue by its name and got its message\n" : "failed\n");
    mp_process_close(c);
    mp_process_close(w);
    mp_lock_release(l);
    mp_lock_destroy(l);
    mp_queue_destroy(q);
    return code == 0 ? 0 : 1;
}
