#!/usr/bin/env python3
"""Where the Cortex-M3 benchmark's instructions go, function by function.

Rebuilds bench/target.c with a few iterations (N, WARM), links it with the runtime objects
`ninja bench` links, runs it in QEMU one instruction per translation block with every
block logged, and attributes each executed instruction to the function around its
address. Prints, for each benchmark window (window_begin .. window_end), the instructions
per operation by function, which add up to the figure `ninja bench` reports (the loop's
own instructions included; exception entry and return count as none, as in QEMU's icount).

    python3 tools/profile_m3.py [O2|Os] [window-name-substring] [N]

Needs `ninja build/mps2-an385-O2/bench/target.elf` (or -Os) first. Not part of any test:
it is how the README's "where the instructions go" rows were found.
"""
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile


def link_line(opt):
    """The objects and flags ninja links target.elf with."""
    text = open("build.ninja").read()
    m = re.search(r"^build \$builddir/mps2-an385-%s/bench/target\.elf: m3link (.*?) \| (\S+)$"
                  % opt, text, re.M)
    objs = [o.replace("$builddir", "build") for o in m.group(1).split()]
    m2 = re.search(r"^build \$builddir/mps2-an385-%s/bench/target\.o: m3cc bench/target\.c\n"
                   r"  vflags = (.*)\n  incs = (.*)$" % opt, text, re.M)
    m3 = re.search(r"^rule m3cc\n  command = (.*?) -MMD", text, re.M)  # with its libc's specs
    return objs, m.group(2), m2.group(1), m2.group(2), m3.group(1)


def symbols(elf):
    out = subprocess.run(["arm-none-eabi-nm", "-n", "-S", elf], capture_output=True,
                         text=True, check=True).stdout
    addrs, names = [], []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[2] in "tTwW":
            addrs.append(int(parts[0], 16) & ~1)
            names.append(parts[3])
    return addrs, names


def main():
    opt = sys.argv[1] if len(sys.argv) > 1 else "O2"
    want = sys.argv[2] if len(sys.argv) > 2 else ""
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    objs, script, vflags, incs, cc = link_line(opt)
    tmp = tempfile.mkdtemp(prefix="profile_m3.")
    cpu = "-mcpu=cortex-m3 -mthumb -ffunction-sections -fdata-sections"
    obj = os.path.join(tmp, "target.o")
    subprocess.run("%s -std=c11 -g -Wall -Wextra -Werror %s %s %s -DN=%du "
                   "-DWARM=4u -c bench/target.c -o %s" % (cc, cpu, vflags, incs, n, obj),
                   shell=True, check=True)
    elf = os.path.join(tmp, "target.elf")
    objs = [obj if o.endswith("bench/target.o") else o for o in objs]
    subprocess.run("%s %s -nostartfiles -Wl,--gc-sections -T %s %s -o %s"
                   % (cc, cpu, script, " ".join(objs), elf), shell=True, check=True)
    log = os.path.join(tmp, "exec.log")
    subprocess.run(["qemu-system-arm", "-M", "mps2-an385", "-nographic", "-monitor", "none",
                    "-serial", "stdio", "-semihosting-config", "enable=on,target=native",
                    "-icount", "shift=0", "-singlestep", "-d", "exec,nochain", "-D", log,
                    "-kernel", elf], check=True, stdout=subprocess.DEVNULL, timeout=600)
    addrs, names = symbols(elf)
    begin, end = names.index("window_begin"), names.index("window_end")
    counts, inside, windows = None, False, []
    pat = re.compile(r"Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
    with open(log) as f:
        for line in f:
            m = pat.search(line)
            if not m:
                continue
            i = bisect.bisect_right(addrs, int(m.group(1), 16)) - 1
            if i == begin and not inside:
                inside, counts = True, collections.Counter()
            elif i == end and inside:
                inside = False
                windows.append(counts)
            elif inside:
                counts[names[i]] += 1
    labels = ["calibration.empty_loop", "context_switch", "queue_put_get_4B",
              "queue_put_get_64B", "ping_pong_equal_priority", "ping_pong_replier_higher",
              "lock_acquire_release", "semaphore_release_acquire", "event_set_wait_clear",
              "interrupt_wake", "process_start_join"]
    for k, counts in enumerate(windows):
        label = labels[k] if k < len(labels) else "window %d" % k
        if want not in label:
            continue
        ops = n * 2 if label == "context_switch" else (n // 10 if "start" in label else n)
        total = sum(counts.values())
        print("%s (-%s): %.1f instructions per operation" % (label, opt, total / ops))
        for name, c in counts.most_common():
            if c / ops >= 0.5:
                print("  %8.1f  %s" % (c / ops, name))
    if not os.environ.get("KEEP"):
        subprocess.run(["rm", "-rf", tmp])
    else:
        print(tmp)


if __name__ == "__main__":
    main()
