/* Peer benchmark: raw process start + join in C.
 *
 * Figure:
 *   fork.start_join  ns  per fork() + child _exit(0) + waitpid() in the parent.
 *
 * The parent is pinned to CPU 0 (like the other peers); the child inherits that mask and
 * does nothing but _exit(0), so no extra syscall is added to the measured work.
 * Warm-up, then N timed start+join pairs, repeated 3 times; the median is printed.
 * Usage: fork [scale]   (scale multiplies the iteration counts, default 1.0)
 * Output: only lines "figure <name> <value> <unit>" on stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "fork"
#include "../harness.h"


static void start_join(void)
{
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0)
        _exit(0);
    int st;
    pid_t w;
    do
        w = waitpid(pid, &st, 0);
    while (w < 0 && errno == EINTR);
    if (w != pid)
        die("waitpid");
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "fork: child failed (status %d)\n", st);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    double scale = bench_start(argc, argv);

    long warm = scaled(50, scale);
    long n = scaled(1000, scale);
    double ns[REPS];
    for (int r = 0; r < REPS; r++) {
        for (long i = 0; i < warm; i++)
            start_join();
        uint64_t t0 = now_ns();
        for (long i = 0; i < n; i++)
            start_join();
        ns[r] = ns_per_op(t0, now_ns(), n);
    }
    figure("fork.start_join", 0, median3(ns), "ns");
    return 0;
}
