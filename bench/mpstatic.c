/*
 * mpstatic's own figures, measured exactly as bench/peers/ measures the peers: 64-byte
 * messages, the parent pinned to CPU 0 and its first child to CPU 1, a warm-up, N timed
 * operations on CLOCK_MONOTONIC, the median of 3 repetitions. Prints only lines
 * "figure <name> <value> <unit>". Optional argument: a scale factor for N (default 1).
 *
 * Built for the POSIX port at -O2 (build/posix/bench/mpstatic); `ninja bench` runs it
 * side by side with the peers and prints the ratios.
 */
#include "mp/mp.h"

#define BENCH_NAME "mpstatic"
#include "harness.h"

#define MSG 64

static double scale = 1.0;

static long scaled_by(double n)
{
    return scaled(n, scale);
}

static void fail(const char *what, mp_err_t err)
{
    fprintf(stderr, "bench: %s: %s\n", what, mp_strerror(err));
    exit(1);
}

#define CHECK(what, expr)                                                                     \
    do {                                                                                      \
        mp_err_t e_ = (expr);                                                                 \
        if (e_ != MP_OK)                                                                      \
            fail(what, e_);                                                                    \
    } while (0)

static mp_process_t start(mp_process_fn fn, const void *arg, size_t size)
{
    mp_process_t p;
    CHECK("create", mp_process_create(&p, &(mp_process_attr_t){.target = fn, .arg = arg,
                                                              .arg_size = size}));
    CHECK("start", mp_process_start(p));
    return p;
}

static void finish(mp_process_t p)
{
    CHECK("join", mp_process_join(p, MP_FOREVER));
    CHECK("close", mp_process_close(p));
}

/* ---- queue throughput, 1 producer and 1 consumer --------------------------------------- */

typedef struct {
    mp_queue_t q;
    long n;
    int cpu;
} stream_t;

/* cpu: the CPU to pin to, or -1 for both (a child inherits its parent's pinning) */
static int producer(void *arg)
{
    stream_t *s = arg;
    if (s->cpu >= 0)
        pin(s->cpu);
    else
        unpin();
    uint8_t msg[MSG] = {1};
    for (long i = 0; i < s->n; i++)
        if (mp_queue_put(s->q, msg, MSG, MP_FOREVER) != MP_OK)
            return 1;
    return 0;
}

static int consumer(void *arg)
{
    stream_t *s = arg;
    if (s->cpu >= 0)
        pin(s->cpu);
    else
        unpin();
    uint8_t msg[MSG];
    size_t len;
    for (long i = 0; i < s->n; i++)
        if (mp_queue_get(s->q, msg, sizeof msg, &len, MP_FOREVER) != MP_OK)
            return 1;
    return 0;
}

static double queue_1p1c(bool joinable)
{
    mp_queue_t q;
    CHECK("queue", mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = MSG, .depth = 1024,
                                                          .joinable = joinable}));
    double rate[REPS];
    long n = scaled_by(2000000);
    for (int r = 0; r < REPS; r++) {
        stream_t s = {q, n + 1000, 1};
        mp_process_t p = start(producer, &s, sizeof s);
        uint8_t msg[MSG];
        size_t len;
        for (int i = 0; i < 1000; i++) /* warm-up */
            CHECK("get", mp_queue_get(q, msg, sizeof msg, &len, MP_FOREVER));
        uint64_t t0 = now_ns();
        for (long i = 0; i < n; i++) {
            CHECK("get", mp_queue_get(q, msg, sizeof msg, &len, MP_FOREVER));
            if (joinable)
                CHECK("task_done", mp_queue_task_done(q));
        }
        if (joinable) {
            for (int i = 0; i < 1000; i++)
                CHECK("task_done", mp_queue_task_done(q));
            CHECK("join", mp_queue_join(q, MP_FOREVER));
        }
        rate[r] = ops_per_s(t0, now_ns(), n);
        finish(p);
    }
    CHECK("destroy", mp_queue_destroy(q));
    return median3(rate);
}

/* ---- queue throughput, 4 producers and 4 consumers ---------------------------------- */

static double queue_4p4c(void)
{
    mp_queue_t q;
    CHECK("queue", mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = MSG, .depth = 1024}));
    double rate[REPS];
    long per = scaled_by(500000);
    for (int r = 0; r < REPS; r++) {
        mp_process_t p[8];
        uint64_t t0 = now_ns();
        for (int i = 0; i < 4; i++) {
            stream_t c = {q, per, -1}, s = {q, per, -1};
            p[i] = start(consumer, &c, sizeof c);
            p[4 + i] = start(producer, &s, sizeof s);
        }
        for (int i = 0; i < 8; i++)
            finish(p[i]);
        rate[r] = ops_per_s(t0, now_ns(), 4 * per);
    }
    CHECK("destroy", mp_queue_destroy(q));
    return median3(rate);
}

/* ---- round trips --------------------------------------------------------------------- */

/* The echo gets from ping and puts the message back on pong; idle: queues nothing is put
 * on, which the mp_wait echo waits on too. */
typedef struct {
    mp_queue_t ping, pong, idle[3];
    long n;
} echo_t;

static int queue_echo(void *arg)
{
    echo_t *e = arg;
    pin(1);
    uint8_t msg[MSG];
    size_t len;
    for (long i = 0; i < e->n; i++) {
        if (mp_queue_get(e->ping, msg, sizeof msg, &len, MP_FOREVER) != MP_OK ||
            mp_queue_put(e->pong, msg, len, MP_FOREVER) != MP_OK)
            return 1;
    }
    return 0;
}

/* The same echo woken through mp_wait on four queues, the ping among them: the wake-up
 * latency of waiting on several objects against a plain get. */
static int wait_echo(void *arg)
{
    echo_t *e = arg;
    pin(1);
    uint8_t msg[MSG];
    size_t len, ready;
    mp_wait_item_t items[] = {MP_WAIT_ON(e->idle[0]), MP_WAIT_ON(e->idle[1]),
                              MP_WAIT_ON(e->idle[2]), MP_WAIT_ON(e->ping)};
    for (long i = 0; i < e->n; i++) {
        if (mp_wait(items, 4, MP_FOREVER, &ready) != MP_OK || !items[3].ready ||
            mp_queue_get(e->ping, msg, sizeof msg, &len, MP_NOWAIT) != MP_OK ||
            mp_queue_put(e->pong, msg, len, MP_FOREVER) != MP_OK)
            return 1;
    }
    return 0;
}

/* ns per round trip through two depth-1 queues, answered by echo in a child. */
static double roundtrip(mp_process_fn echo)
{
    echo_t e;
    const mp_queue_attr_t one = {.msg_size = MSG, .depth = 1};
    CHECK("queue", mp_queue_create(&e.ping, &one));
    CHECK("queue", mp_queue_create(&e.pong, &one));
    for (int i = 0; i < 3; i++)
        CHECK("queue", mp_queue_create(&e.idle[i], &one));
    double ns[REPS];
    long n = scaled_by(200000);
    for (int r = 0; r < REPS; r++) {
        e.n = n + 1000;
        mp_process_t p = start(echo, &e, sizeof e);
        uint8_t msg[MSG] = {2};
        size_t len;
        uint64_t t0 = 0;
        for (long i = 0; i < n + 1000; i++) {
            if (i == 1000)
                t0 = now_ns();
            CHECK("put", mp_queue_put(e.ping, msg, MSG, MP_FOREVER));
            CHECK("get", mp_queue_get(e.pong, msg, sizeof msg, &len, MP_FOREVER));
        }
        ns[r] = ns_per_op(t0, now_ns(), n);
        finish(p);
    }
    CHECK("destroy", mp_queue_destroy(e.ping));
    CHECK("destroy", mp_queue_destroy(e.pong));
    for (int i = 0; i < 3; i++)
        CHECK("destroy", mp_queue_destroy(e.idle[i]));
    return median3(ns);
}

typedef struct {
    mp_conn_t end;
    long n;
} pipe_echo_t;

static int pipe_echo(void *arg)
{
    pipe_echo_t *e = arg;
    pin(1);
    uint8_t msg[MSG];
    size_t len;
    for (long i = 0; i < e->n; i++)
        if (mp_pipe_recv(e->end, msg, sizeof msg, &len, MP_FOREVER) != MP_OK ||
            mp_pipe_send(e->end, msg, len, MP_FOREVER) != MP_OK)
            return 1;
    return 0;
}

static double pipe_roundtrip(void)
{
    double ns[REPS];
    long n = scaled_by(200000);
    for (int r = 0; r < REPS; r++) {
        mp_conn_t a, b;
        CHECK("pipe", mp_pipe_create(&a, &b, &(mp_pipe_attr_t){.duplex = true, .msg_size = MSG,
                                                                .depth = 16}));
        pipe_echo_t e = {b, n + 1000};
        mp_process_t p = start(pipe_echo, &e, sizeof e);
        uint8_t msg[MSG] = {3};
        size_t len;
        uint64_t t0 = 0;
        for (long i = 0; i < n + 1000; i++) {
            if (i == 1000)
                t0 = now_ns();
            CHECK("send", mp_pipe_send(a, msg, MSG, MP_FOREVER));
            CHECK("recv", mp_pipe_recv(a, msg, sizeof msg, &len, MP_FOREVER));
        }
        ns[r] = ns_per_op(t0, now_ns(), n);
        finish(p);
        CHECK("close", mp_pipe_close(a));
        CHECK("close", mp_pipe_close(b));
    }
    return median3(ns);
}

static int pipe_sink(void *arg)
{
    pipe_echo_t *e = arg;
    pin(1);
    uint8_t msg[MSG] = {4};
    for (long i = 0; i < e->n; i++)
        if (mp_pipe_send(e->end, msg, MSG, MP_FOREVER) != MP_OK)
            return 1;
    return 0;
}

static double pipe_throughput(void)
{
    double rate[REPS];
    long n = scaled_by(2000000);
    for (int r = 0; r < REPS; r++) {
        mp_conn_t rd, wr;
        CHECK("pipe", mp_pipe_create(&rd, &wr, &(mp_pipe_attr_t){.duplex = false, .msg_size = MSG,
                                                                 .depth = 1024}));
        pipe_echo_t e = {wr, n + 1000};
        mp_process_t p = start(pipe_sink, &e, sizeof e);
        uint8_t msg[MSG];
        size_t len;
        uint64_t t0 = 0;
        for (long i = 0; i < n + 1000; i++) {
            if (i == 1000)
                t0 = now_ns();
            CHECK("recv", mp_pipe_recv(rd, msg, sizeof msg, &len, MP_FOREVER));
        }
        rate[r] = ops_per_s(t0, now_ns(), n);
        finish(p);
        CHECK("close", mp_pipe_close(rd));
        CHECK("close", mp_pipe_close(wr));
    }
    return median3(rate);
}

/* ---- processes and locks --------------------------------------------------------------- */

static int nothing(void *arg)
{
    (void)arg;
    return 0;
}

static double start_join(void)
{
    double ns[REPS];
    long n = scaled_by(1000);
    for (int r = 0; r < REPS; r++) {
        finish(start(nothing, NULL, 0)); /* warm-up */
        uint64_t t0 = now_ns();
        for (long i = 0; i < n; i++)
            finish(start(nothing, NULL, 0));
        ns[r] = ns_per_op(t0, now_ns(), n);
    }
    return median3(ns);
}

static double lock_uncontended(void)
{
    mp_lock_t l;
    CHECK("lock", mp_lock_create(&l));
    double ns[REPS];
    long n = scaled_by(10000000);
    for (int r = 0; r < REPS; r++) {
        uint64_t t0 = now_ns();
        for (long i = 0; i < n; i++) {
            mp_lock_acquire(l, MP_FOREVER);
            mp_lock_release(l);
        }
        ns[r] = ns_per_op(t0, now_ns(), n);
    }
    CHECK("destroy", mp_lock_destroy(l));
    return median3(ns);
}

/* ---- Pool, the hand-written queue pool, and Dict ------------------------------------ *
 * Measured as python_mp.py measures CPython's Pool and Manager().dict(): POOL_WORKERS
 * workers, a trivial task (x * x on a long), the pool created once and warmed up outside
 * the clock. These figures run on both CPUs (the workers, and the 4 dict processes, are
 * not pinned): CPU 0 alone would serialise them. */

#define POOL_WORKERS 2
#define MAP_ITEMS 100000


static int square(mp_pool_task_t *t)
{
    long x;
    memcpy(&x, t->arg, sizeof x);
    x *= x;
    memcpy(t->result, &x, sizeof x);
    t->result_len = sizeof x;
    return 0;
}

static long map_in[MAP_ITEMS], map_out[MAP_ITEMS];

static void check_squares(long n, const char *what)
{
    for (long i = 0; i < n; i++)
        if (map_out[i] != i * i) {
            fprintf(stderr, "bench: %s: wrong result at %ld\n", what, i);
            exit(1);
        }
}

/* apply_async + get, one task at a time: ns per round trip. */
static double pool_apply(mp_pool_t pool)
{
    double ns[REPS];
    long n = scaled_by(20000);
    for (int r = 0; r < REPS; r++) {
        uint64_t t0 = 0;
        for (long i = 0; i < n + 100; i++) {
            if (i == 100)
                t0 = now_ns();
            mp_result_t res;
            long y;
            size_t len;
            CHECK("apply_async", mp_pool_apply_async(pool, square, &i, sizeof i, NULL, &res));
            CHECK("get", mp_result_get(res, &y, sizeof y, &len, MP_FOREVER));
            CHECK("result destroy", mp_result_destroy(res));
            if (y != i * i)
                fail("apply result", MP_EINVAL);
        }
        ns[r] = ns_per_op(t0, now_ns(), n);
    }
    return median3(ns);
}

/* map of n items (100,000 at scale 1, at most MAP_ITEMS) with chunk size `chunk`: items/s. */
static double pool_map(mp_pool_t pool, size_t chunk)
{
    double rate[REPS];
    long n = scaled_by(MAP_ITEMS);
    if (n > MAP_ITEMS)
        n = MAP_ITEMS;
    CHECK("map", mp_pool_map(pool, square, map_in, 1000, sizeof(long), map_out, sizeof(long),
                             NULL, chunk, NULL, MP_FOREVER)); /* warm-up */
    for (int r = 0; r < REPS; r++) {
        memset(map_out, 0, sizeof map_out);
        uint64_t t0 = now_ns();
        CHECK("map", mp_pool_map(pool, square, map_in, (size_t)n, sizeof(long), map_out,
                                 sizeof(long), NULL, chunk, NULL, MP_FOREVER));
        rate[r] = ops_per_s(t0, now_ns(), n);
        check_squares(n, "map");
    }
    return median3(rate);
}

/* The pool a user would otherwise write: POOL_WORKERS processes, a task queue of indices,
 * a result queue of (index, result); -1 ends a worker. */
typedef struct {
    mp_queue_t tasks, results;
} handpool_t;

static int hand_worker(void *arg)
{
    handpool_t *h = arg;
    for (;;) {
        long x, out[2];
        size_t len;
        if (mp_queue_get(h->tasks, &x, sizeof x, &len, MP_FOREVER) != MP_OK)
            return 1;
        if (x < 0)
            return 0;
        out[0] = x;
        out[1] = x * x;
        if (mp_queue_put(h->results, out, sizeof out, MP_FOREVER) != MP_OK)
            return 1;
    }
}

#define HAND_DEPTH 1024

/* One round trip through the hand pool: ns. */
static double hand_apply(handpool_t *h)
{
    double ns[REPS];
    long n = scaled_by(20000);
    for (int r = 0; r < REPS; r++) {
        uint64_t t0 = 0;
        for (long i = 0; i < n + 100; i++) {
            if (i == 100)
                t0 = now_ns();
            long out[2];
            size_t len;
            CHECK("put", mp_queue_put(h->tasks, &i, sizeof i, MP_FOREVER));
            CHECK("get", mp_queue_get(h->results, out, sizeof out, &len, MP_FOREVER));
            if (out[0] != i || out[1] != i * i)
                fail("hand pool result", MP_EINVAL);
        }
        ns[r] = ns_per_op(t0, now_ns(), n);
    }
    return median3(ns);
}

/* n items through the hand pool, at most HAND_DEPTH / 2 in flight (so neither queue fills
 * while the main process is blocked on the other): items/s. */
static double hand_map(handpool_t *h)
{
    double rate[REPS];
    long n = scaled_by(MAP_ITEMS);
    if (n > MAP_ITEMS)
        n = MAP_ITEMS;
    for (int r = 0; r < REPS; r++) {
        memset(map_out, 0, sizeof map_out);
        uint64_t t0 = now_ns();
        long sent = 0, got = 0;
        while (got < n) {
            if (sent < n && sent - got < HAND_DEPTH / 2) {
                CHECK("put", mp_queue_put(h->tasks, &map_in[sent], sizeof(long), MP_FOREVER));
                sent++;
            } else {
                long out[2];
                size_t len;
                CHECK("get", mp_queue_get(h->results, out, sizeof out, &len, MP_FOREVER));
                map_out[out[0]] = out[1];
                got++;
            }
        }
        rate[r] = ops_per_s(t0, now_ns(), n);
        check_squares(n, "hand pool");
    }
    return median3(rate);
}

static void pool_figures(void)
{
    for (long i = 0; i < MAP_ITEMS; i++)
        map_in[i] = i;
    mp_pool_t pool;
    CHECK("pool", mp_pool_create(&pool, &(mp_pool_attr_t){.workers = POOL_WORKERS}));
    figure("mpstatic.pool.apply_roundtrip", 0, pool_apply(pool), "ns");
    figure("mpstatic.pool.map_chunk1", 0, pool_map(pool, 1), "items/s");
    figure("mpstatic.pool.map_chunk100", 0, pool_map(pool, 100), "items/s");
    CHECK("pool close", mp_pool_close(pool));
    CHECK("pool join", mp_pool_join(pool, MP_FOREVER));
    CHECK("pool destroy", mp_pool_destroy(pool));

    handpool_t h;
    CHECK("queue", mp_queue_create(&h.tasks, &(mp_queue_attr_t){.msg_size = sizeof(long),
                                                                .depth = HAND_DEPTH}));
    CHECK("queue", mp_queue_create(&h.results, &(mp_queue_attr_t){.msg_size = 2 * sizeof(long),
                                                                  .depth = HAND_DEPTH}));
    mp_process_t w[POOL_WORKERS];
    for (int i = 0; i < POOL_WORKERS; i++)
        w[i] = start(hand_worker, &h, sizeof h);
    figure("handpool.apply_roundtrip", 0, hand_apply(&h), "ns");
    figure("handpool.map", 0, hand_map(&h), "items/s");
    for (int i = 0; i < POOL_WORKERS; i++) {
        long stop = -1;
        CHECK("put", mp_queue_put(h.tasks, &stop, sizeof stop, MP_FOREVER));
    }
    for (int i = 0; i < POOL_WORKERS; i++)
        finish(w[i]);
    CHECK("destroy", mp_queue_destroy(h.tasks));
    CHECK("destroy", mp_queue_destroy(h.results));
}

/* Dict: one get and one set of a 64-bit value per iteration; ops/s counts both. */
typedef struct {
    mp_dict_t d;
    long n;
    char key[8];
} dict_work_t;

static int dict_loop(const dict_work_t *w)
{
    long v = 0;
    size_t len;
    for (long i = 0; i < w->n; i++) {
        if (mp_dict_set(w->d, w->key, &i, sizeof i, MP_FOREVER) != MP_OK ||
            mp_dict_get(w->d, w->key, &v, sizeof v, &len, MP_FOREVER) != MP_OK || v != i)
            return 1;
    }
    return 0;
}

static int dict_child(void *arg)
{
    return dict_loop(arg);
}

static void dict_figures(void)
{
    mp_dict_t d;
    CHECK("dict", mp_dict_create(&d, &(mp_dict_attr_t){.capacity = 16, .key_size = 8,
                                                       .value_size = 8}));
    double rate[REPS];
    long n = scaled_by(1000000);
    for (int r = 0; r < REPS; r++) {
        dict_work_t w = {d, 1000, "k0"};
        if (dict_loop(&w)) /* warm-up */
            fail("dict", MP_EINVAL);
        w.n = n;
        uint64_t t0 = now_ns();
        if (dict_loop(&w))
            fail("dict", MP_EINVAL);
        rate[r] = ops_per_s(t0, now_ns(), 2 * n);
    }
    figure("mpstatic.dict.getset", 0, median3(rate), "ops/s");

    long per = scaled_by(250000);
    for (int r = 0; r < REPS; r++) {
        mp_process_t p[4];
        uint64_t t0 = now_ns();
        for (int i = 0; i < 4; i++) {
            dict_work_t w = {d, per, "k0"};
            w.key[1] = (char)('1' + i);
            p[i] = start(dict_child, &w, sizeof w);
        }
        for (int i = 0; i < 4; i++)
            finish(p[i]);
        rate[r] = ops_per_s(t0, now_ns(), 4 * 2 * per);
    }
    figure("mpstatic.dict.getset_4p", 0, median3(rate), "ops/s");
    CHECK("destroy", mp_dict_destroy(d));
}

int main(int argc, char **argv)
{
    /* A second argument runs one group alone (pool, dict, wait, 4p4c, start), to look at it by hand. */
    const char *only = argc > 2 ? argv[2] : NULL;
    scale = bench_scale(argc > 2 ? 2 : argc, argv);
    CHECK("init", mp_init());
    if (only != NULL) {
        unpin();
        if (strcmp(only, "pool") == 0)
            pool_figures();
        else if (strcmp(only, "dict") == 0)
            dict_figures();
        else if (strcmp(only, "start") == 0)
            figure("mpstatic.process.start_join", 0, start_join(), "ns");
        else if (strcmp(only, "4p4c") == 0)
            figure("mpstatic.queue.throughput_4p4c", 0, queue_4p4c(), "msg/s");
        else if (strcmp(only, "wait") == 0)
            figure("mpstatic.wait.roundtrip", 0, roundtrip(wait_echo), "ns"),
                figure("mpstatic.queue.roundtrip", 0, roundtrip(queue_echo), "ns");
        else
            die("groups: pool, dict, wait, 4p4c, start");
        return 0;
    }
    pin(0);
    figure("mpstatic.queue.throughput", 0, queue_1p1c(false), "msg/s");
    figure("mpstatic.joinablequeue.throughput", 0, queue_1p1c(true), "msg/s");
    figure("mpstatic.queue.throughput_4p4c", 0, queue_4p4c(), "msg/s");
    figure("mpstatic.pipe.throughput", 0, pipe_throughput(), "msg/s");
    figure("mpstatic.queue.roundtrip", 0, roundtrip(queue_echo), "ns");
    figure("mpstatic.pipe.roundtrip", 0, pipe_roundtrip(), "ns");
    figure("mpstatic.wait.roundtrip", 0, roundtrip(wait_echo), "ns");
    figure("mpstatic.process.start_join", 0, start_join(), "ns");
    figure("mpstatic.lock.uncontended", 2, lock_uncontended(), "ns");
    unpin();
    pool_figures();
    dict_figures();
    return 0;
}
