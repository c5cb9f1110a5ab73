#!/usr/bin/env python3
"""ninja bench: runs mpstatic's figures and its peers' in one go, on one machine, and
prints them side by side as ratios. Absolute figures drift between runs on this kind of
machine (4x between days): only ratios taken in one run are compared.

usage: bench/run.py BUILD_DIR [SCALE]
"""
import os
import subprocess
import sys

build = sys.argv[1] if len(sys.argv) > 1 else "build"
scale = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("MP_BENCH_SCALE", "1")
here = os.path.dirname(os.path.abspath(__file__))


def run(cmd):
    """Runs one program; returns {figure: value}."""
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=True).stdout
    except (OSError, subprocess.SubprocessError) as e:
        print("  (%s failed: %s)" % (" ".join(cmd), e), file=sys.stderr)
        return {}
    figures = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "figure":
            figures[parts[1]] = float(parts[2])
    return figures


f = {}
peers = os.path.join(build, "bench", "peers")
# The cache-line limit first and last: a run where the two vCPUs sit close shows here.
f.update(run([os.path.join(peers, "cacheline"), scale]))
f.update(run([os.path.join(build, "posix", "bench", "mpstatic"), scale]))
for p in ("spsc", "pipe", "mqueue", "fork", "mutex"):
    f.update(run([os.path.join(peers, p), scale]))
if subprocess.run(["python3", "-c", "import multiprocessing"], capture_output=True).returncode == 0:
    f.update(run(["python3", os.path.join(here, "peers", "python_mp.py"), scale]))
late = run([os.path.join(peers, "cacheline"), scale])

# (what, mpstatic figure, peer figure, higher is better, goal ratio or None). A goal
# ("faster", x) on a lower-is-better row asks for x times the peer's speed (peer / mpstatic >= x).
rows = [
    ("queue 1P1C 64 B, msg/s", "mpstatic.queue.throughput", "python.queue.throughput", True, 60),
    ("", "mpstatic.queue.throughput", "pipe.throughput", True, 15),
    ("", "mpstatic.queue.throughput", "mq.throughput", True, None),
    ("", "mpstatic.queue.throughput", "spsc.throughput", True, 1.0),
    ("queue 4P4C 64 B, msg/s", "mpstatic.queue.throughput_4p4c", "pipe.throughput_4p4c", True, 2.0),
    ("", "mpstatic.queue.throughput_4p4c", "mq.throughput_4p4c", True, 4.0),
    ("", "mpstatic.queue.throughput_4p4c", "mpstatic.queue.throughput", True, 0.5),
    ("", "mpstatic.queue.throughput_4p4c", "python.queue.throughput", True, None),
    ("JoinableQueue 1P1C, msg/s", "mpstatic.joinablequeue.throughput", "python.joinablequeue.throughput", True, None),
    ("pipe one-way 64 B, msg/s", "mpstatic.pipe.throughput", "python.pipe.throughput", True, None),
    ("", "mpstatic.pipe.throughput", "pipe.throughput", True, None),
    ("round trip, 2 queues, ns", "mpstatic.queue.roundtrip", "cacheline.roundtrip", False, 3.0),
    ("", "mpstatic.queue.roundtrip", "pipe.roundtrip", False, None),
    ("", "mpstatic.queue.roundtrip", "mq.roundtrip", False, None),
    ("round trip, pipe, ns", "mpstatic.pipe.roundtrip", "cacheline.roundtrip", False, 3.0),
    ("", "mpstatic.pipe.roundtrip", "python.pipe.roundtrip", False, None),
    ("", "mpstatic.pipe.roundtrip", "spsc.roundtrip", False, None),
    ("round trip woken by mp_wait on 4 queues, ns", "mpstatic.wait.roundtrip", "mpstatic.queue.roundtrip", False, 1.5),
    ("process start + join, ns", "mpstatic.process.start_join", "fork.start_join", False, 1.2),
    ("", "mpstatic.process.start_join", "python.process.start_join", False, None),
    ("lock uncontended, ns", "mpstatic.lock.uncontended", "pthread_mutex.uncontended", False, 2.0),
    ("", "mpstatic.lock.uncontended", "python.lock.uncontended", False, None),
    ("Pool apply_async+get, ns", "mpstatic.pool.apply_roundtrip", "python.pool.apply_roundtrip", False, ("faster", 50)),
    ("", "mpstatic.pool.apply_roundtrip", "handpool.apply_roundtrip", False, 1.0),
    ("Pool map chunksize 1, items/s", "mpstatic.pool.map_chunk1", "python.pool.map_chunk1", True, 50),
    ("", "mpstatic.pool.map_chunk1", "handpool.map", True, 1.0),
    ("Pool map chunksize 100, items/s", "mpstatic.pool.map_chunk100", "python.pool.map_chunk100", True, 50),
    ("", "mpstatic.pool.map_chunk100", "handpool.map", True, 1.0),
    ("Dict get/set 1 process, ops/s", "mpstatic.dict.getset", "python.dict.getset", True, 100),
    ("Dict get/set 4 processes, ops/s", "mpstatic.dict.getset_4p", "python.dict.getset_4p", True, 100),
]


def fmt(v):
    if v >= 1e6:
        return "%.2f M" % (v / 1e6)
    if v >= 1e4:
        return "%.0f k" % (v / 1e3)
    return "%.1f" % v


print("| operation | mpstatic | peer | peer figure | ratio | goal |")
print("|---|---:|---|---:|---:|---|")
for what, mine, peer, higher, goal in rows:
    if mine not in f or peer not in f:
        print("| %s | %s | %s | (missing) | | |" % (what, fmt(f.get(mine, 0)), peer))
        continue
    a, b = f[mine], f[peer]
    if higher:
        ratio, text = a / b, "%.1fx faster" % (a / b) if a >= b else "%.2fx (slower)" % (a / b)
    else:
        ratio, text = b / a, "%.1fx faster" % (b / a) if b >= a else "%.2fx the peer" % (a / b)
    if goal is None:
        g = ""
    elif isinstance(goal, tuple):
        g = ("met" if ratio >= goal[1] else "MISSED") + " (>= %gx faster)" % goal[1]
    elif higher:
        g = ("met" if ratio >= goal else "MISSED") + " (>= %gx)" % goal
    else:
        limit = goal  # mpstatic must be within goal x the peer
        g = ("met" if a <= b * limit else "MISSED") + " (<= %gx peer)" % limit
    print("| %s | %s | %s | %s | %s | %s |" % (what, fmt(a), peer, fmt(b), text, g))
if "cacheline.roundtrip" in late:
    print("\ncache-line round trip at the start and end of the run: %.0f ns, %.0f ns"
          % (f.get("cacheline.roundtrip", 0), late["cacheline.roundtrip"]))


# ---- the Cortex-M3 (QEMU mps2-an385, -icount shift=0): emulated instructions ----------
# FreeRTOS-Kernel figures, measured on this board before and counted the same way
# (same board, timer, window and N); -O2 and -Os.
FREERTOS = {
    "context_switch": (52.0, 57.5),
    "queue_put_get_4B": (154.0, 162.0),
    "queue_put_get_64B": (218.0, 226.0),
    "ping_pong_equal_priority": (1150.0, 1197.0),
    "ping_pong_replier_higher": (792.0, 824.0),
    "lock_acquire_release": (125.0, 121.0),
    "process_start_join": (298.0, 298.0),
}
target = {}
for i, opt in enumerate(("O2", "Os")):
    elf = os.path.join(build, "mps2-an385-%s" % opt, "bench", "target.elf")
    figs = run(["qemu-system-arm", "-M", "mps2-an385", "-nographic", "-monitor", "none",
                "-serial", "stdio", "-semihosting-config", "enable=on,target=native",
                "-icount", "shift=0", "-kernel", elf])
    for k, v in figs.items():
        target.setdefault(k.replace("target.", ""), [None, None])[i] = v
if target:
    print("\n| Cortex-M3, instructions per operation | mpstatic -O2 | FreeRTOS -O2 | ratio | mpstatic -Os | FreeRTOS -Os | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, (o2, os_) in target.items():
        if name not in FREERTOS:
            print("| %s | %s | | | %s | | |" % (name, o2, os_))
            continue
        f2, fs = FREERTOS[name]
        print("| %s | %.1f | %.1f | %.2fx | %.1f | %.1f | %.2fx |"
              % (name, o2, f2, o2 / f2, os_, fs, os_ / fs))
    print("(FreeRTOS's create+delete never runs the task; mpstatic's start+join runs it to its end.)")
