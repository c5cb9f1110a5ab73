/*
 * Producer/consumer with a JoinableQueue (CPython's q.put / q.task_done / q.join): the
 * producer puts 10 items and waits in join until the consumer has called task_done for
 * each; the consumer is a daemon looping on get for ever, so it is still blocked in get
 * when the main code finishes and is ended then. Only the consumer prints until join
 * returns, so the output is the same on every port.
 */
#include "mp/mp.h"
#include "out.h"

#define ITEMS 10

static int producer(void *arg)
{
    mp_queue_t q = *(mp_queue_t *)arg;
    for (int i = 0; i < ITEMS; i++)
        if (mp_queue_put(q, &i, sizeof i, MP_FOREVER) != MP_OK)
            return 1;
    mp_err_t err = mp_queue_join(q, MP_FOREVER); /* q.join(): every item done */
    size_t left = 1;
    mp_queue_unfinished(q, &left);
    out("  producer: join returned ");
    out(mp_strerror(err));
    out(", unfinished tasks ");
    out_int((long)left);
    out("\n");
    return err == MP_OK && left == 0 ? 0 : 1;
}

static int consumer(void *arg)
{
    mp_queue_t q = *(mp_queue_t *)arg;
    for (;;) { /* while True: item = q.get(); ...; q.task_done() */
        int item;
        size_t len;
        if (mp_queue_get(q, &item, sizeof item, &len, MP_FOREVER) != MP_OK)
            return 1;
        out("  consumer: working on item ");
        out_int(item);
        out("\n");
        mp_queue_task_done(q);
    }
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    out("joinable_queue: a producer waits in join, a daemonic consumer calls task_done\n");
    mp_queue_t q;
    if (mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = sizeof(int), .depth = 4,
                                               .joinable = true}) != MP_OK)
        return 1;
    mp_process_t c, p;
    mp_process_create(&c, &(mp_process_attr_t){.target = consumer, .arg = &q, .arg_size = sizeof q,
                                               .name = "consumer", .daemon = MP_DAEMON_YES});
    mp_process_create(&p, &(mp_process_attr_t){.target = producer, .arg = &q, .arg_size = sizeof q,
                                               .name = "producer"});
    if (mp_process_start(c) != MP_OK || mp_process_start(p) != MP_OK)
        return 1;
    int code = -1;
    mp_process_join(p, MP_FOREVER);
    mp_process_exitcode(p, &code);
    out("main: producer exitcode ");
    out_int(code);
    out("; the daemonic consumer is ended at exit\n");
    mp_process_exit(code);
}
