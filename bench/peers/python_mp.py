#!/usr/bin/env python3
"""Peer benchmark: Python's multiprocessing (start method 'fork').

Figures (64-byte bytes objects; the main process is pinned to CPU 0, every child
process to CPU 1 with os.sched_setaffinity):
  python.queue.throughput          msg/s  child put()s, main get()s; timed on the get side
                                          from releasing the child until the last get().
  python.joinablequeue.throughput  msg/s  child put()s, main get() + task_done() per item,
                                          then join(); timed on the main side.
  python.pipe.throughput           msg/s  Pipe(duplex=False): child send_bytes(), main
                                          recv_bytes(); one-way, timed on the receive side.
  python.pipe.roundtrip            ns     Pipe() (duplex): main send_bytes + recv_bytes,
                                          child echoes; ns per round trip.
  python.process.start_join        ns     Process(target=f).start(); join() with f a no-op.
  python.lock.uncontended          ns     multiprocessing.Lock acquire() + release(), one
                                          process, no contention (loop overhead included).
  python.pool.apply_roundtrip      ns     Pool(2): apply_async(square, (i,)).get(), one task
                                          at a time (square: x * x).
  python.pool.map_chunk1           items/s  Pool(2).map(square, range(n), chunksize=1)
                                          (n = 10,000 at scale 1: CPython is slow here).
  python.pool.map_chunk100         items/s  the same, chunksize=100, n = 100,000.
  python.dict.getset               ops/s  Manager().dict(): d[k] = i; d[k], one process
                                          (a get and a set count as two operations).
  python.dict.getset_4p            ops/s  the same from 4 processes at once, each its own key.
The Pool and dict figures run on both CPUs (the main process is unpinned first, so the
workers, the manager's server and the 4 processes are not all on CPU 0).

Each figure: warm-up, then N timed operations, repeated 3 times; the median is printed.
Throughput figures start a fresh producer per repetition; it sends its warm-up messages,
waits on an Event, and the clock starts just before the main process sets that Event.
Usage: python_mp.py [scale]   (scale multiplies the iteration counts, default 1.0)
Output: only lines "figure <name> <value> <unit>" on stdout.
"""
import multiprocessing
import os
import statistics
import sys
import time

REPS = 3
MSG = b"m" * 64
CONSUMER_CPU = 0
PRODUCER_CPU = 1

ctx = multiprocessing.get_context("fork")


def pin(cpu):
    os.sched_setaffinity(0, {cpu})


def scaled(base, scale):
    return max(1, int(base * scale))


def figure(name, value, unit):
    print(f"figure {name} {value:.0f} {unit}", flush=True)


# ---- Queue --------------------------------------------------------------------------

def queue_producer(q, go, warm, n):
    pin(PRODUCER_CPU)
    put = q.put
    for _ in range(warm):
        put(MSG)
    go.wait()
    for _ in range(n):
        put(MSG)


def bench_queue(warm, n):
    rates = []
    for _ in range(REPS):
        q = ctx.Queue()
        go = ctx.Event()
        p = ctx.Process(target=queue_producer, args=(q, go, warm, n))
        p.start()
        get = q.get
        for _ in range(warm):
            get()
        t0 = time.monotonic_ns()
        go.set()
        for _ in range(n):
            if len(get()) != 64:
                raise SystemExit("queue: bad message")
        t1 = time.monotonic_ns()
        p.join()
        if p.exitcode != 0:
            raise SystemExit("queue: producer failed")
        q.close()
        q.join_thread()
        rates.append(n * 1e9 / (t1 - t0))
    return statistics.median(rates)


def bench_joinable(warm, n):
    rates = []
    for _ in range(REPS):
        q = ctx.JoinableQueue()
        go = ctx.Event()
        p = ctx.Process(target=queue_producer, args=(q, go, warm, n))
        p.start()
        get, done = q.get, q.task_done
        for _ in range(warm):
            get()
            done()
        t0 = time.monotonic_ns()
        go.set()
        for _ in range(n):
            if len(get()) != 64:
                raise SystemExit("joinablequeue: bad message")
            done()
        q.join()
        t1 = time.monotonic_ns()
        p.join()
        if p.exitcode != 0:
            raise SystemExit("joinablequeue: producer failed")
        q.close()
        q.join_thread()
        rates.append(n * 1e9 / (t1 - t0))
    return statistics.median(rates)


# ---- Pipe ---------------------------------------------------------------------------

def pipe_producer(conn, go, warm, n):
    pin(PRODUCER_CPU)
    send = conn.send_bytes
    for _ in range(warm):
        send(MSG)
    go.wait()
    for _ in range(n):
        send(MSG)
    conn.close()


def bench_pipe(warm, n):
    rates = []
    for _ in range(REPS):
        r, w = ctx.Pipe(duplex=False)
        go = ctx.Event()
        p = ctx.Process(target=pipe_producer, args=(w, go, warm, n))
        p.start()
        w.close()
        recv = r.recv_bytes
        for _ in range(warm):
            recv()
        t0 = time.monotonic_ns()
        go.set()
        for _ in range(n):
            if len(recv()) != 64:
                raise SystemExit("pipe: bad message")
        t1 = time.monotonic_ns()
        p.join()
        if p.exitcode != 0:
            raise SystemExit("pipe: producer failed")
        r.close()
        rates.append(n * 1e9 / (t1 - t0))
    return statistics.median(rates)


def pipe_echo(conn, total):
    pin(PRODUCER_CPU)
    send, recv = conn.send_bytes, conn.recv_bytes
    for _ in range(total):
        send(recv())
    conn.close()


def bench_pipe_roundtrip(warm, n):
    a, b = ctx.Pipe()
    p = ctx.Process(target=pipe_echo, args=(b, REPS * (warm + n)))
    p.start()
    b.close()
    send, recv = a.send_bytes, a.recv_bytes
    results = []
    for _ in range(REPS):
        for _ in range(warm):
            send(MSG)
            recv()
        t0 = time.monotonic_ns()
        for _ in range(n):
            send(MSG)
            if len(recv()) != 64:
                raise SystemExit("pipe roundtrip: bad message")
        t1 = time.monotonic_ns()
        results.append((t1 - t0) / n)
    p.join()
    if p.exitcode != 0:
        raise SystemExit("pipe roundtrip: echo failed")
    a.close()
    return statistics.median(results)


# ---- Process ------------------------------------------------------------------------

def noop():
    pass


def bench_process(warm, n):
    results = []
    for _ in range(REPS):
        for _ in range(warm):
            p = ctx.Process(target=noop)
            p.start()
            p.join()
        t0 = time.monotonic_ns()
        for _ in range(n):
            p = ctx.Process(target=noop)
            p.start()
            p.join()
        t1 = time.monotonic_ns()
        if p.exitcode != 0:
            raise SystemExit("process: child failed")
        results.append((t1 - t0) / n)
    return statistics.median(results)


# ---- Lock ---------------------------------------------------------------------------

def bench_lock(warm, n):
    lock = ctx.Lock()
    acquire, release = lock.acquire, lock.release
    results = []
    for _ in range(REPS):
        for _ in range(warm):
            acquire()
            release()
        t0 = time.monotonic_ns()
        for _ in range(n):
            acquire()
            release()
        t1 = time.monotonic_ns()
        results.append((t1 - t0) / n)
    return statistics.median(results)


# ---- Pool and Manager().dict() ------------------------------------------------------

def square(x):
    return x * x


def bench_pool(scale):
    out = {}
    with ctx.Pool(2) as pool:
        n = scaled(2000, scale)
        results = []
        for _ in range(REPS):
            for i in range(100):
                pool.apply_async(square, (i,)).get()
            t0 = time.monotonic_ns()
            for i in range(n):
                if pool.apply_async(square, (i,)).get() != i * i:
                    raise SystemExit("pool: bad result")
            t1 = time.monotonic_ns()
            results.append((t1 - t0) / n)
        out["apply_roundtrip"] = statistics.median(results)
        for chunk, base in ((1, 10000), (100, 100000)):
            n = scaled(base, scale)
            pool.map(square, range(1000), chunksize=chunk)
            rates = []
            for _ in range(REPS):
                t0 = time.monotonic_ns()
                res = pool.map(square, range(n), chunksize=chunk)
                t1 = time.monotonic_ns()
                if len(res) != n or res[-1] != (n - 1) * (n - 1):
                    raise SystemExit("pool map: bad result")
                rates.append(n * 1e9 / (t1 - t0))
            out["map_chunk%d" % chunk] = statistics.median(rates)
    return out


def dict_loop(d, key, n):
    for i in range(n):
        d[key] = i
        if d[key] != i:
            raise SystemExit("dict: bad value")


def bench_dict(scale):
    out = {}
    with ctx.Manager() as m:
        d = m.dict()
        n = scaled(5000, scale)
        rates = []
        for _ in range(REPS):
            dict_loop(d, "k0", 100)
            t0 = time.monotonic_ns()
            dict_loop(d, "k0", n)
            t1 = time.monotonic_ns()
            rates.append(2 * n * 1e9 / (t1 - t0))
        out["getset"] = statistics.median(rates)
        per = scaled(1500, scale)
        rates = []
        for _ in range(REPS):
            t0 = time.monotonic_ns()
            ps = [ctx.Process(target=dict_loop, args=(d, "k%d" % (i + 1), per)) for i in range(4)]
            for p in ps:
                p.start()
            for p in ps:
                p.join()
                if p.exitcode != 0:
                    raise SystemExit("dict: child failed")
            t1 = time.monotonic_ns()
            rates.append(4 * 2 * per * 1e9 / (t1 - t0))
        out["getset_4p"] = statistics.median(rates)
    return out


def main():
    scale = 1.0
    if len(sys.argv) > 1:
        try:
            scale = float(sys.argv[1])
        except ValueError:
            scale = -1.0
        if not scale > 0:
            sys.exit(f"usage: {sys.argv[0]} [scale>0]")
    pin(CONSUMER_CPU)

    figure("python.queue.throughput",
           bench_queue(scaled(10000, scale), scaled(80000, scale)), "msg/s")
    figure("python.joinablequeue.throughput",
           bench_joinable(scaled(8000, scale), scaled(60000, scale)), "msg/s")
    figure("python.pipe.throughput",
           bench_pipe(scaled(10000, scale), scaled(100000, scale)), "msg/s")
    figure("python.pipe.roundtrip",
           bench_pipe_roundtrip(scaled(600, scale), scaled(6000, scale)), "ns")
    figure("python.process.start_join",
           bench_process(scaled(3, scale), scaled(40, scale)), "ns")
    figure("python.lock.uncontended",
           bench_lock(scaled(100000, scale), scaled(1000000, scale)), "ns")

    os.sched_setaffinity(0, {0, 1})
    pool = bench_pool(scale)
    figure("python.pool.apply_roundtrip", pool["apply_roundtrip"], "ns")
    figure("python.pool.map_chunk1", pool["map_chunk1"], "items/s")
    figure("python.pool.map_chunk100", pool["map_chunk100"], "items/s")
    d = bench_dict(scale)
    figure("python.dict.getset", d["getset"], "ops/s")
    figure("python.dict.getset_4p", d["getset_4p"], "ops/s")


if __name__ == "__main__":
    main()
