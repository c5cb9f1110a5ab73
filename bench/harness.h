/*
 * What every benchmark program here shares, so that mpstatic and its peers are measured
 * the same way: the command line (a scale factor), CLOCK_MONOTONIC, CPU pinning (parent
 * on CPU 0, child on CPU 1), the median of REPS repetitions, iteration counts scaled by
 * the factor, and the one output line per figure. The measured loops stay in each
 * program, written out, so that nothing here sits between a timer read and the next.
 * Define BENCH_NAME before including it (used in error messages).
 */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#define REPS 3

static inline void die(const char *what)
{
    fprintf(stderr, "%s: %s: %s\n", BENCH_NAME, what, strerror(errno));
    exit(1);
}

static inline uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline void pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        die("sched_setaffinity");
}

/* Both CPUs: for figures whose processes would be serialised on one (several producers
 * and consumers, a pool's workers). */
static inline void unpin(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    CPU_SET(1, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        die("sched_setaffinity");
}

static inline double median3(double v[REPS])
{
    for (int i = 0; i < REPS; i++)
        for (int j = i + 1; j < REPS; j++)
            if (v[j] < v[i]) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
            }
    return v[REPS / 2];
}

static inline long scaled(double base, double scale)
{
    long n = (long)(base * scale);
    return n < 1 ? 1 : n;
}

/* The command line of every program: "[scale]", a factor (> 0) for its iteration counts,
 * 1 by default. Anything else prints the usage and exits with status 2. */
static inline double bench_scale(int argc, char **argv)
{
    double scale = 1.0;
    if (argc > 1) {
        char *end;
        scale = strtod(argv[1], &end);
        if (*end != '\0' || !(scale > 0)) {
            fprintf(stderr, "usage: %s [scale>0]\n", argv[0]);
            exit(2);
        }
    }
    return scale;
}

/* How a peer starts: its scale (bench_scale), a minute's alarm (a stuck run fails instead
 * of hanging) and CPU 0. */
static inline double bench_start(int argc, char **argv)
{
    double scale = bench_scale(argc, argv);
    alarm(60);
    pin(0);
    return scale;
}

/* The figures, from two readings of now_ns() around n timed operations. */
static inline double ns_per_op(uint64_t t0, uint64_t t1, long n)
{
    return (double)(t1 - t0) / (double)n;
}

static inline double ops_per_s(uint64_t t0, uint64_t t1, long n)
{
    return (double)n * 1e9 / (double)(t1 - t0);
}

/* The only output on stdout, one line per figure: "figure <name> <value> <unit>", with
 * `decimals` digits after the point; flushed, so a later failure does not lose it. */
static inline void figure(const char *name, int decimals, double value, const char *unit)
{
    printf("figure %s %.*f %s\n", name, decimals, value, unit);
    fflush(stdout);
}

/* A message carries its sequence number in its first bytes: it must be the one expected,
 * or the benchmark fails ("<name>: <what> mismatch"). */
static inline void expect_seq(const void *msg, long expect, const char *what)
{
    long seq;
    memcpy(&seq, msg, sizeof seq);
    if (seq != expect) {
        fprintf(stderr, "%s: %s mismatch\n", BENCH_NAME, what);
        exit(1);
    }
}

/* A child pinned to CPU 1 that dies with its parent and never outlives a minute. */
static inline pid_t spawn_child(void)
{
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        alarm(60);
        pin(1);
    }
    return pid;
}

/* Eight children on both CPUs, dying with their parent: the first four run consume(i),
 * the others produce(i), then exit; returns when all are reaped. For the 4P4C figures. */
static inline void run_4p4c(void (*consume)(void), void (*produce)(void))
{
    pid_t pid[8];
    for (int i = 0; i < 8; i++) {
        pid[i] = fork();
        if (pid[i] < 0)
            die("fork");
        if (pid[i] == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            alarm(60);
            unpin();
            (i < 4 ? consume : produce)();
            _exit(0);
        }
    }
    for (int i = 0; i < 8; i++) {
        int st;
        if (waitpid(pid[i], &st, 0) != pid[i] || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
            die("4p4c child");
    }
}

/* Waits for the child; a child that failed fails the benchmark. */
static inline void reap(pid_t pid)
{
    int st;
    if (waitpid(pid, &st, 0) != pid)
        die("waitpid");
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "%s: child failed (status %d)\n", BENCH_NAME, st);
        exit(1);
    }
}

#endif
