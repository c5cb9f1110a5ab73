/* Peer benchmark: pipe(2) between two processes.
 *
 * Figures (64-byte messages; parent pinned to CPU 0, forked child to CPU 1):
 *   pipe.throughput  msg/s  child writes 64-byte messages into one pipe, the parent
 *                           does a blocking read of exactly 64 bytes per message and
 *                           times the receive side.
 *   pipe.roundtrip   ns     ping-pong through two pipes, 64-byte messages both ways
 *                           (64 bytes, not 4, to match the throughput figure), one
 *                           message in flight; ns per complete round trip.
 *   pipe.throughput_4p4c msg/s  4 writers and 4 readers on one pipe, on both CPUs.
 *
 * Each figure: warm-up, then N timed operations, repeated 3 times; the median is printed.
 * Usage: pipe [scale]   (scale multiplies the iteration counts, default 1.0)
 * Output: only lines "figure <name> <value> <unit>" on stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "pipe"
#include "../harness.h"

#define MSG 64

static void write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            die("write");
        }
        p += w;
        len -= (size_t)w;
    }
}

/* Blocking read of exactly len bytes (a 64-byte pipe write is atomic, so this is
 * one read(2) per message in practice). */
static void read_all(int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len > 0) {
        ssize_t r = read(fd, p, len);
        if (r < 0) {
            if (errno == EINTR) continue;
            die("read");
        }
        if (r == 0) {
            fprintf(stderr, "pipe: unexpected EOF\n");
            exit(1);
        }
        p += r;
        len -= (size_t)r;
    }
}

static double bench_throughput(long warm, long n)
{
    int fd[2];
    if (pipe(fd) != 0)
        die("pipe");
    long total = REPS * (warm + n);
    pid_t pid = spawn_child();
    if (pid == 0) {
        close(fd[0]);
        char msg[MSG];
        memset(msg, 0xab, sizeof msg);
        for (long i = 0; i < total; i++) {
            memcpy(msg, &i, sizeof i);
            write_all(fd[1], msg, MSG);
        }
        _exit(0);
    }
    close(fd[1]);
    double rate[REPS];
    long expect = 0;
    char msg[MSG];
    for (int r = 0; r < REPS; r++) {
        uint64_t t0 = 0;
        for (long i = 0; i < warm + n; i++) {
            if (i == warm)
                t0 = now_ns();
            read_all(fd[0], msg, MSG);
            expect_seq(msg, expect++, "sequence");
        }
        rate[r] = ops_per_s(t0, now_ns(), n);
    }
    close(fd[0]);
    reap(pid);
    return median3(rate);
}

/* 4 writers and 4 readers on one pipe, every process on either CPU: a write of 64 bytes is
 * atomic (under PIPE_BUF), so every read of 64 gets one whole message. Timed from the
 * first fork to the last reap, as mpstatic's 4P4C figure is. */
static int fd4[2];
static long per4;

static void reader4(void)
{
    char msg[MSG];
    for (long k = 0; k < per4; k++)
        read_all(fd4[0], msg, MSG);
}

static void writer4(void)
{
    char msg[MSG];
    memset(msg, 0xab, sizeof msg);
    for (long k = 0; k < per4; k++)
        write_all(fd4[1], msg, MSG);
}

static double bench_4p4c(long per)
{
    double rate[REPS];
    per4 = per;
    for (int r = 0; r < REPS; r++) {
        if (pipe(fd4) != 0)
            die("pipe");
        uint64_t t0 = now_ns();
        run_4p4c(reader4, writer4);
        rate[r] = ops_per_s(t0, now_ns(), 4 * per);
        close(fd4[0]);
        close(fd4[1]);
    }
    return median3(rate);
}

static double bench_roundtrip(long warm, long n)
{
    int ping[2], pong[2];
    if (pipe(ping) != 0 || pipe(pong) != 0)
        die("pipe");
    long total = REPS * (warm + n);
    pid_t pid = spawn_child();
    if (pid == 0) {
        close(ping[1]);
        close(pong[0]);
        char msg[MSG];
        for (long i = 0; i < total; i++) {
            read_all(ping[0], msg, MSG);
            write_all(pong[1], msg, MSG);
        }
        _exit(0);
    }
    close(ping[0]);
    close(pong[1]);
    double ns[REPS];
    char msg[MSG];
    memset(msg, 0xcd, sizeof msg);
    for (int r = 0; r < REPS; r++) {
        uint64_t t0 = 0;
        for (long i = 0; i < warm + n; i++) {
            if (i == warm)
                t0 = now_ns();
            memcpy(msg, &i, sizeof i);
            write_all(ping[1], msg, MSG);
            read_all(pong[0], msg, MSG);
            expect_seq(msg, i, "round-trip");
        }
        ns[r] = ns_per_op(t0, now_ns(), n);
    }
    close(ping[1]);
    close(pong[0]);
    reap(pid);
    return median3(ns);
}

int main(int argc, char **argv)
{
    double scale = bench_start(argc, argv);

    double tput = bench_throughput(scaled(20000, scale), scaled(200000, scale));
    figure("pipe.throughput", 0, tput, "msg/s");

    double rt = bench_roundtrip(scaled(2000, scale), scaled(15000, scale));
    figure("pipe.roundtrip", 0, rt, "ns");

    figure("pipe.throughput_4p4c", 0, bench_4p4c(scaled(50000, scale)), "msg/s");
    return 0;
}
