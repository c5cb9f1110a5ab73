/* Peer benchmark: POSIX message queues (mq_open) between two processes.
 *
 * Queues are created with mq_maxmsg = 10 (depth) and mq_msgsize = 64. Each queue name
 * contains the pid and is unlinked right after mq_open, before fork, so the names
 * never outlive the program even if it fails later (the descriptors stay valid).
 *
 * Figures (64-byte messages; parent pinned to CPU 0, forked child to CPU 1):
 *   mq.throughput  msg/s  child mq_sends, parent mq_receives and times the receive side.
 *   mq.roundtrip   ns     ping-pong through two queues, one message in flight.
 *   mq.throughput_4p4c msg/s  4 senders and 4 receivers on one queue, on both CPUs.
 *
 * Each figure: warm-up, then N timed operations, repeated 3 times; the median is printed.
 * Usage: mqueue [scale]   (scale multiplies the iteration counts, default 1.0)
 * Output: only lines "figure <name> <value> <unit>" on stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
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

#define BENCH_NAME "mqueue"
#include "../harness.h"

#define MSG 64
#define DEPTH 10

/* Create a fresh queue and unlink its name at once. */
static mqd_t open_queue(const char *tag)
{
    char name[64];
    snprintf(name, sizeof name, "/peers-mq-%ld-%s", (long)getpid(), tag);
    struct mq_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.mq_maxmsg = DEPTH;
    attr.mq_msgsize = MSG;
    mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
    if (q == (mqd_t)-1)
        die("mq_open");
    if (mq_unlink(name) != 0)
        die("mq_unlink");
    return q;
}

static void send_msg(mqd_t q, const char *msg)
{
    while (mq_send(q, msg, MSG, 0) != 0)
        if (errno != EINTR)
            die("mq_send");
}

static void recv_msg(mqd_t q, char *msg)
{
    for (;;) {
        ssize_t r = mq_receive(q, msg, MSG, NULL);
        if (r == MSG)
            return;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            die("mq_receive");
        fprintf(stderr, "mqueue: short message (%zd bytes)\n", r);
        exit(1);
    }
}

static double bench_throughput(long warm, long n)
{
    mqd_t q = open_queue("tput");
    long total = REPS * (warm + n);
    pid_t pid = spawn_child();
    if (pid == 0) {
        char msg[MSG];
        memset(msg, 0xab, sizeof msg);
        for (long i = 0; i < total; i++) {
            memcpy(msg, &i, sizeof i);
            send_msg(q, msg);
        }
        _exit(0);
    }
    double rate[REPS];
    long expect = 0;
    char msg[MSG];
    for (int r = 0; r < REPS; r++) {
        uint64_t t0 = 0;
        for (long i = 0; i < warm + n; i++) {
            if (i == warm)
                t0 = now_ns();
            recv_msg(q, msg);
            expect_seq(msg, expect++, "sequence");
        }
        rate[r] = ops_per_s(t0, now_ns(), n);
    }
    reap(pid);
    mq_close(q);
    return median3(rate);
}

/* 4 senders and 4 receivers on one queue, every process on either CPU; timed from the
 * first fork to the last reap, as mpstatic's 4P4C figure is. */
static mqd_t q4;
static long per4;

static void receiver4(void)
{
    char msg[MSG];
    for (long k = 0; k < per4; k++)
        recv_msg(q4, msg);
}

static void sender4(void)
{
    char msg[MSG];
    memset(msg, 0xab, sizeof msg);
    for (long k = 0; k < per4; k++)
        send_msg(q4, msg);
}

static double bench_4p4c(long per)
{
    double rate[REPS];
    per4 = per;
    for (int r = 0; r < REPS; r++) {
        q4 = open_queue("4p4c");
        uint64_t t0 = now_ns();
        run_4p4c(receiver4, sender4);
        rate[r] = ops_per_s(t0, now_ns(), 4 * per);
        mq_close(q4);
    }
    return median3(rate);
}

static double bench_roundtrip(long warm, long n)
{
    mqd_t ping = open_queue("ping");
    mqd_t pong = open_queue("pong");
    long total = REPS * (warm + n);
    pid_t pid = spawn_child();
    if (pid == 0) {
        char msg[MSG];
        for (long i = 0; i < total; i++) {
            recv_msg(ping, msg);
            send_msg(pong, msg);
        }
        _exit(0);
    }
    double ns[REPS];
    char msg[MSG];
    memset(msg, 0xcd, sizeof msg);
    for (int r = 0; r < REPS; r++) {
        uint64_t t0 = 0;
        for (long i = 0; i < warm + n; i++) {
            if (i == warm)
                t0 = now_ns();
            memcpy(msg, &i, sizeof i);
            send_msg(ping, msg);
            recv_msg(pong, msg);
            expect_seq(msg, i, "round-trip");
        }
        ns[r] = ns_per_op(t0, now_ns(), n);
    }
    reap(pid);
    mq_close(ping);
    mq_close(pong);
    return median3(ns);
}

int main(int argc, char **argv)
{
    double scale = bench_start(argc, argv);

    double tput = bench_throughput(scaled(12000, scale), scaled(120000, scale));
    figure("mq.throughput", 0, tput, "msg/s");

    double rt = bench_roundtrip(scaled(2000, scale), scaled(15000, scale));
    figure("mq.roundtrip", 0, rt, "ns");

    figure("mq.throughput_4p4c", 0, bench_4p4c(scaled(50000, scale)), "msg/s");
    return 0;
}
