/* Peer benchmark: the physical limit for a one-message round trip between two
 * processes -- one shared 32-bit word bounced between two CPUs.
 *
 * A MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE word is created before fork(). The parent
 * (pinned to CPU 0) writes an odd value i; the child (pinned to CPU 1) spins until it
 * sees i and writes i + 1; the parent spins until it sees i + 1 and writes i + 2, and so
 * on. Spinning is a plain acquire-load loop (no pause, no syscalls): each round trip is
 * two cache-line transfers between the CPUs.
 *
 * Figure:
 *   cacheline.roundtrip  ns  per round trip (parent write -> child write seen).
 *
 * Warm-up, then N timed round trips, repeated 3 times; the median is printed.
 * Usage: cacheline [scale]   (scale multiplies the iteration counts, default 1.0)
 * Output: only lines "figure <name> <value> <unit>" on stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "cacheline"
#include "../harness.h"


static inline void wait_for(_Atomic uint32_t *w, uint32_t v)
{
    while (atomic_load_explicit(w, memory_order_acquire) != v)
        ;
}

int main(int argc, char **argv)
{
    double scale = bench_start(argc, argv);

    long warm = scaled(100000, scale);
    long n = scaled(1000000, scale);
    uint32_t total = (uint32_t)(REPS * (warm + n)); /* round trips */

    _Atomic uint32_t *word = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                                  MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (word == MAP_FAILED)
        die("mmap");
    atomic_store(word, 0);

    pid_t pid = spawn_child();
    if (pid == 0) {
        for (uint32_t k = 0; k < total; k++) {
            uint32_t v = 2 * k + 1;
            wait_for(word, v);
            atomic_store_explicit(word, v + 1, memory_order_release);
        }
        _exit(0);
    }

    double ns[REPS];
    uint32_t k = 0;
    for (int r = 0; r < REPS; r++) {
        uint64_t t0 = 0;
        for (long i = 0; i < warm + n; i++, k++) {
            if (i == warm)
                t0 = now_ns();
            uint32_t v = 2 * k + 1;
            atomic_store_explicit(word, v, memory_order_release);
            wait_for(word, v + 1);
        }
        ns[r] = ns_per_op(t0, now_ns(), n);
    }

    reap(pid);
    figure("cacheline.roundtrip", 1, median3(ns), "ns");
    return 0;
}
