/* Peer benchmark: uncontended process-shared pthread mutex.
 *
 * Figure:
 *   pthread_mutex.uncontended  ns  per pthread_mutex_lock + pthread_mutex_unlock pair of a
 *                                  PTHREAD_PROCESS_SHARED mutex living in a MAP_SHARED
 *                                  mapping; one process (pinned to CPU 0), no contention.
 *
 * The loop cannot be removed: lock/unlock are calls into libc, and each iteration also
 * bumps a counter inside the critical section through a volatile pointer; the counter is
 * checked at the end.
 * Warm-up, then N timed pairs, repeated 3 times; the median is printed.
 * Usage: mutex [scale]   (scale multiplies the iteration counts, default 1.0)
 * Output: only lines "figure <name> <value> <unit>" on stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "mutex"
#include "../harness.h"


struct shared {
    pthread_mutex_t lock;
    uint64_t counter;
};

static void fail(const char *what, int err)
{
    fprintf(stderr, "mutex: %s: %s\n", what, strerror(err));
    exit(1);
}

static void run(struct shared *s, long n)
{
    volatile uint64_t *counter = &s->counter;
    for (long i = 0; i < n; i++) {
        pthread_mutex_lock(&s->lock);
        *counter = *counter + 1;
        pthread_mutex_unlock(&s->lock);
    }
}

int main(int argc, char **argv)
{
    double scale = bench_start(argc, argv);

    struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (s == MAP_FAILED)
        fail("mmap", errno);
    pthread_mutexattr_t attr;
    int err;
    if ((err = pthread_mutexattr_init(&attr)) != 0 ||
        (err = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED)) != 0 ||
        (err = pthread_mutex_init(&s->lock, &attr)) != 0)
        fail("mutex init", err);
    pthread_mutexattr_destroy(&attr);

    long warm = scaled(1000000, scale);
    long n = scaled(10000000, scale);
    double ns[REPS];
    for (int r = 0; r < REPS; r++) {
        run(s, warm);
        uint64_t t0 = now_ns();
        run(s, n);
        ns[r] = ns_per_op(t0, now_ns(), n);
    }
    if (s->counter != (uint64_t)(REPS * (warm + n))) {
        fprintf(stderr, "mutex: counter mismatch\n");
        return 1;
    }
    pthread_mutex_destroy(&s->lock);
    munmap(s, sizeof *s);
    figure("pthread_mutex.uncontended", 2, median3(ns), "ns");
    return 0;
}
