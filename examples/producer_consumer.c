/*
 * Producer/consumer: one producer process puts numbered jobs into a JoinableQueue, two
 * consumer processes take them and add them to a shared total under a Lock, the main
 * process joins the queue and the workers and prints the result. Runs unchanged as Linux
 * processes, on the host simulation, and on the Cortex-M3 under QEMU.
 */
#include "mp/mp.h"
#include "out.h"

#define JOBS 1000

typedef struct {
    mp_queue_t jobs;
    mp_lock_t lock;
} shared_t;

static MP_SHARED uint32_t total, taken[2];

static int producer(void *arg)
{
    shared_t *s = arg;
    for (uint32_t i = 1; i <= JOBS; i++)
        if (mp_queue_put(s->jobs, &i, sizeof i, MP_FOREVER) != MP_OK)
            return 1;
    for (int c = 0; c < 2; c++) { /* one "stop" job per consumer */
        uint32_t stop = 0;
        if (mp_queue_put(s->jobs, &stop, sizeof stop, MP_FOREVER) != MP_OK)
            return 1;
    }
    return 0;
}

typedef struct {
    shared_t s;
    int id;
} consumer_arg_t;

static int consumer(void *arg)
{
    consumer_arg_t *c = arg;
    for (;;) {
        uint32_t job;
        size_t len;
        if (mp_queue_get(c->s.jobs, &job, sizeof job, &len, MP_FOREVER) != MP_OK)
            return 1;
        if (job != 0) {
            mp_lock_acquire(c->s.lock, MP_FOREVER);
            total += job; /* a read-modify-write: the lock makes it safe */
            taken[c->id]++;
            mp_lock_release(c->s.lock);
        }
        mp_queue_task_done(c->s.jobs);
        if (job == 0)
            return 0;
    }
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    shared_t s;
    if (mp_queue_create(&s.jobs, &(mp_queue_attr_t){.msg_size = 4, .depth = 8, .joinable = true}) != MP_OK ||
        mp_lock_create(&s.lock) != MP_OK)
        return 1;
    mp_process_t p, c[2];
    mp_process_create(&p, &(mp_process_attr_t){.target = producer, .arg = &s, .arg_size = sizeof s,
                                               .name = "producer"});
    for (int i = 0; i < 2; i++) {
        consumer_arg_t a = {s, i};
        mp_process_create(&c[i], &(mp_process_attr_t){.target = consumer, .arg = &a,
                                                       .arg_size = sizeof a});
    }
    mp_process_start(p);
    mp_process_start(c[0]);
    mp_process_start(c[1]);
    mp_err_t err = mp_queue_join(s.jobs, 10000); /* every job done, or 10 s */
    int codes = 0, code;
    mp_process_join(p, MP_FOREVER);
    codes |= mp_process_exitcode(p, &code) == MP_OK ? code : 1;
    for (int i = 0; i < 2; i++) {
        mp_process_join(c[i], MP_FOREVER);
        codes |= mp_process_exitcode(c[i], &code) == MP_OK ? code : 1;
    }
    out("producer/consumer: ");
    out_int(JOBS);
    out(" jobs, total ");
    out_int((long)total);
    out(" (expected ");
    out_int((long)JOBS * (JOBS + 1) / 2);
    out("), consumers took ");
    out_int((long)taken[0]);
    out(" and ");
    out_int((long)taken[1]);
    out(", join: ");
    out(mp_strerror(err));
    out("\n");
    return codes == 0 && err == MP_OK && total == JOBS * (JOBS + 1) / 2 ? 0 : 1;
}
