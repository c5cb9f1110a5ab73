/*
 * The footprint image (ninja size): the same application as the FreeRTOS reference in
 * shared/anchors/freertos_qemu.md. Two processes, one queue of depth 1 with 4-byte items,
 * one lock: the producer takes the lock, sends a counter and gives the lock back; the
 * consumer receives 1000 items; the main process joins both and exits with 0.
 */
#include "mp/mp.h"

static mp_queue_t q;
static mp_lock_t m;

static int producer(void *arg)
{
    (void)arg;
    for (uint32_t i = 0; mp_lock_acquire(m, MP_FOREVER) == MP_OK; i++) {
        mp_queue_put(q, &i, sizeof i, MP_FOREVER);
        mp_lock_release(m);
    }
    return 1;
}

static int consumer(void *arg)
{
    (void)arg;
    for (int n = 0; n < 1000; n++) {
        uint32_t v;
        size_t len;
        if (mp_queue_get(q, &v, sizeof v, &len, MP_FOREVER) != MP_OK || v != (uint32_t)n)
            return 1;
    }
    return 0;
}

int main(void)
{
    mp_init();
    mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = 4, .depth = 1});
    mp_lock_create(&m);
    mp_process_t p, c;
    mp_process_create(&p, &(mp_process_attr_t){.target = producer});
    mp_process_create(&c, &(mp_process_attr_t){.target = consumer});
    mp_process_start(p);
    mp_process_start(c);
    mp_process_join(c, MP_FOREVER);
    int code = 1;
    mp_process_exitcode(c, &code);
    mp_process_kill(p);
    mp_process_join(p, MP_FOREVER);
    return code;
}
