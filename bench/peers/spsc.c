/* Peer benchmark: the reference design the project must match -- a lock-free
 * single-producer single-consumer ring of 64-byte slots in shared memory.
 *
 * Design:
 *  - one MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE mapping created before fork();
 *  - free-running uint32 head (written only by the producer) and tail (written only
 *    by the consumer), C11 atomics with release stores / acquire loads, each on its
 *    own cache line; each side also keeps a process-local copy of the other side's
 *    index and re-reads the shared one only when the ring looks full/empty;
 *  - when the ring is empty (consumer) or full (producer) the side re-checks up to
 *    SPIN_LIMIT (2000) times with __builtin_ia32_pause() in between, then sleeps with
 *    FUTEX_WAIT (shared, i.e. without FUTEX_PRIVATE_FLAG) on the index word the other
 *    side advances;
 *  - Dekker-style sleep/wake: the sleeper sets its "sleeping" flag, re-checks the
 *    index, and only then waits; the other side publishes its index, then calls
 *    FUTEX_WAKE only if the flag is set. FUTEX_WAIT compares the index word itself, so
 *    once both sides are ordered a wake cannot be lost.
 *
 * The StoreLoad barrier Dekker needs ("publish index, then read flag" on the fast path
 * against "set flag, then read index" on the sleep path):
 *  - default: asymmetric. The fast path has only a compiler barrier; the sleeper, after
 *    setting its flag, calls membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED) (both processes
 *    registered), which runs a full barrier on the other CPU. This costs a few
 *    microseconds, but only on the sleep path (after 2000 pauses).
 *  - -DSPSC_FENCE (or a kernel without membarrier): a seq_cst fence (lock or) after every
 *    index publication. On this machine that fence waits for the slot and index
 *    cache-line transfers each message and caps throughput at ~4.4 M msg/s instead of
 *    ~15 M; the round trip is unchanged.
 *
 * Figures (64-byte messages; parent pinned to CPU 0, forked child to CPU 1):
 *   spsc.throughput  msg/s  ring depth 1024, child produces, parent consumes and times
 *                           the consumer side.
 *   spsc.roundtrip   ns     two rings of depth 1024 (ping and pong), one message in
 *                           flight; ns per complete round trip.
 *
 * Each figure: warm-up, then N timed operations, repeated 3 times; the median is printed.
 * Usage: spsc [scale]   (scale multiplies the iteration counts, default 1.0)
 * Output: only lines "figure <name> <value> <unit>" on stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <sched.h>
#include <signal.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "spsc"
#include "../harness.h"

#define MSG 64
#define DEPTH 1024u /* power of two */
#define SPIN_LIMIT 2000
#define CACHELINE 64

struct ring {
    alignas(CACHELINE) _Atomic uint32_t head;          /* producer writes */
    alignas(CACHELINE) _Atomic uint32_t tail;          /* consumer writes */
    alignas(CACHELINE) _Atomic uint32_t cons_sleeping; /* consumer writes */
    alignas(CACHELINE) _Atomic uint32_t prod_sleeping; /* producer writes */
    alignas(CACHELINE) unsigned char slot[DEPTH][MSG];
};

/* Process-local view of one end of a ring. */
struct producer {
    struct ring *r;
    uint32_t head;        /* own index */
    uint32_t tail_cache;  /* last tail seen */
};

struct consumer {
    struct ring *r;
    uint32_t tail;        /* own index */
    uint32_t head_cache;  /* last head seen */
};

static void futex_wait(_Atomic uint32_t *addr, uint32_t expected)
{
    /* Shared futex: the word lives in a MAP_SHARED mapping used by two processes. */
    long rc = syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAIT, expected, NULL, NULL, 0);
    if (rc != 0 && errno != EAGAIN && errno != EINTR)
        die("futex wait");
}

static void futex_wake(_Atomic uint32_t *addr)
{
    if (syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAKE, 1, NULL, NULL, 0) < 0)
        die("futex wake");
}

/* 1 when the sleep path uses membarrier and the fast path needs no fence. */
static int asym_barrier;

static void barrier_setup(int in_child)
{
#ifdef SPSC_FENCE
    (void)in_child;
    asym_barrier = 0;
#else
    if (!in_child) {
        long cmds = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
        asym_barrier = cmds > 0 && (cmds & MEMBARRIER_CMD_GLOBAL_EXPEDITED) &&
                       (cmds & MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED);
    }
    /* Registration belongs to the address space, so the forked child registers too. */
    if (asym_barrier &&
        syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, 0, 0) != 0) {
        if (in_child)
            die("membarrier register");
        asym_barrier = 0;
    }
#endif
}

/* Fast path, after publishing an index and before reading the peer's sleeping flag. */
static inline void publish_barrier(void)
{
    if (asym_barrier)
        atomic_signal_fence(memory_order_seq_cst); /* compiler barrier only */
    else
        atomic_thread_fence(memory_order_seq_cst);
}

/* Sleep path, after setting the own sleeping flag and before re-checking the index. */
static void sleep_barrier(void)
{
    if (asym_barrier) {
        if (syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0, 0) != 0)
            die("membarrier");
    } else {
        atomic_thread_fence(memory_order_seq_cst);
    }
}

/* Producer: wait until the ring has a free slot; returns the fresh tail. */
static uint32_t wait_not_full(struct ring *r, uint32_t head)
{
    uint32_t tail;
    for (int i = 0; i < SPIN_LIMIT; i++) {
        __builtin_ia32_pause();
        tail = atomic_load_explicit(&r->tail, memory_order_acquire);
        if (head - tail < DEPTH)
            return tail;
    }
    for (;;) {
        atomic_store_explicit(&r->prod_sleeping, 1, memory_order_relaxed);
        sleep_barrier();
        tail = atomic_load_explicit(&r->tail, memory_order_acquire);
        if (head - tail < DEPTH)
            break;
        futex_wait(&r->tail, tail);
        tail = atomic_load_explicit(&r->tail, memory_order_acquire);
        if (head - tail < DEPTH)
            break;
    }
    atomic_store_explicit(&r->prod_sleeping, 0, memory_order_relaxed);
    return tail;
}

/* Consumer: wait until the ring holds a message; returns the fresh head. */
static uint32_t wait_not_empty(struct ring *r, uint32_t tail)
{
    uint32_t head;
    for (int i = 0; i < SPIN_LIMIT; i++) {
        __builtin_ia32_pause();
        head = atomic_load_explicit(&r->head, memory_order_acquire);
        if (head != tail)
            return head;
    }
    for (;;) {
        atomic_store_explicit(&r->cons_sleeping, 1, memory_order_relaxed);
        sleep_barrier();
        head = atomic_load_explicit(&r->head, memory_order_acquire);
        if (head != tail)
            break;
        futex_wait(&r->head, head);
        head = atomic_load_explicit(&r->head, memory_order_acquire);
        if (head != tail)
            break;
    }
    atomic_store_explicit(&r->cons_sleeping, 0, memory_order_relaxed);
    return head;
}

static inline void push(struct producer *p, const void *msg)
{
    struct ring *r = p->r;
    uint32_t h = p->head;
    if (h - p->tail_cache >= DEPTH) {
        p->tail_cache = atomic_load_explicit(&r->tail, memory_order_acquire);
        if (h - p->tail_cache >= DEPTH)
            p->tail_cache = wait_not_full(r, h);
    }
    memcpy(r->slot[h & (DEPTH - 1)], msg, MSG);
    p->head = h + 1;
    atomic_store_explicit(&r->head, h + 1, memory_order_release);
    publish_barrier(); /* StoreLoad: publish head before reading the consumer's flag */
    if (atomic_load_explicit(&r->cons_sleeping, memory_order_relaxed))
        futex_wake(&r->head);
}

static inline void pop(struct consumer *c, void *msg)
{
    struct ring *r = c->r;
    uint32_t t = c->tail;
    if (c->head_cache == t) {
        c->head_cache = atomic_load_explicit(&r->head, memory_order_acquire);
        if (c->head_cache == t)
            c->head_cache = wait_not_empty(r, t);
    }
    memcpy(msg, r->slot[t & (DEPTH - 1)], MSG);
    c->tail = t + 1;
    atomic_store_explicit(&r->tail, t + 1, memory_order_release);
    publish_barrier(); /* StoreLoad: publish tail before reading the producer's flag */
    if (atomic_load_explicit(&r->prod_sleeping, memory_order_relaxed))
        futex_wake(&r->tail);
}

static struct ring *map_rings(int count)
{
    size_t len = sizeof(struct ring) * (size_t)count;
    void *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (m == MAP_FAILED)
        die("mmap");
    return m; /* zero-filled: indices 0, flags clear */
}

static double bench_throughput(long warm, long n)
{
    struct ring *r = map_rings(1);
    long total = REPS * (warm + n);
    pid_t pid = spawn_child();
    if (pid == 0) {
        struct producer p = { r, 0, 0 };
        unsigned char msg[MSG];
        memset(msg, 0xab, sizeof msg);
        for (long i = 0; i < total; i++) {
            memcpy(msg, &i, sizeof i);
            push(&p, msg);
        }
        _exit(0);
    }
    struct consumer c = { r, 0, 0 };
    double rate[REPS];
    long expect = 0;
    unsigned char msg[MSG];
    for (int k = 0; k < REPS; k++) {
        uint64_t t0 = 0;
        for (long i = 0; i < warm + n; i++) {
            if (i == warm)
                t0 = now_ns();
            pop(&c, msg);
            expect_seq(msg, expect++, "sequence");
        }
        rate[k] = ops_per_s(t0, now_ns(), n);
    }
    reap(pid);
    munmap(r, sizeof *r);
    return median3(rate);
}

static double bench_roundtrip(long warm, long n)
{
    struct ring *r = map_rings(2); /* r[0]: parent -> child, r[1]: child -> parent */
    long total = REPS * (warm + n);
    pid_t pid = spawn_child();
    if (pid == 0) {
        struct consumer in = { &r[0], 0, 0 };
        struct producer out = { &r[1], 0, 0 };
        unsigned char msg[MSG];
        for (long i = 0; i < total; i++) {
            pop(&in, msg);
            push(&out, msg);
        }
        _exit(0);
    }
    struct producer out = { &r[0], 0, 0 };
    struct consumer in = { &r[1], 0, 0 };
    double ns[REPS];
    unsigned char msg[MSG];
    memset(msg, 0xcd, sizeof msg);
    for (int k = 0; k < REPS; k++) {
        uint64_t t0 = 0;
        for (long i = 0; i < warm + n; i++) {
            if (i == warm)
                t0 = now_ns();
            memcpy(msg, &i, sizeof i);
            push(&out, msg);
            pop(&in, msg);
            expect_seq(msg, i, "round-trip");
        }
        ns[k] = ns_per_op(t0, now_ns(), n);
    }
    reap(pid);
    munmap(r, 2 * sizeof *r);
    return median3(ns);
}

int main(int argc, char **argv)
{
    double scale = bench_start(argc, argv);
    barrier_setup(0);

    double tput = bench_throughput(scaled(400000, scale), scaled(4000000, scale));
    figure("spsc.throughput", 0, tput, "msg/s");

    double rt = bench_roundtrip(scaled(20000, scale), scaled(200000, scale));
    figure("spsc.roundtrip", 0, rt, "ns");
    return 0;
}
