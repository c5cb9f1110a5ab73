#!/usr/bin/env python3
"""ninja size: code and data of the runtime in a minimal Cortex-M3 image (-Os), per object
file, read from the linker map after --gc-sections (only what the image really keeps),
and the RAM each runtime object costs (from tools/size_probe.c).

usage: size.py MAP PROBE_OBJECT
"""
import collections
import re
import subprocess
import sys

map_path, probe = sys.argv[1], sys.argv[2]
text = collections.Counter()
data = collections.Counter()
bss = collections.Counter()
section = None
pending = None
in_map = False
for line in open(map_path):
    if line.startswith("Linker script and memory map"):
        in_map = True
        continue
    if not in_map:
        continue
    m = re.match(r"^ (\.\S+|mp_world|COMMON)\s*$", line)
    if m:  # a long input-section name on a line of its own; the numbers follow
        pending = m.group(1)
        continue
    m = re.match(r"^ (\.\S+|mp_world|COMMON)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+\.o)\s*$", line)
    if not m:
        pending = None
        continue
    name = m.group(1) or pending
    pending = None
    size = int(m.group(3), 16)
    obj = m.group(4).split("/")[-1]
    if size == 0 or name is None:
        continue
    if name.startswith((".text", ".rodata")):
        text[obj] += size
    elif name.startswith((".data", "mp_world")):
        data[obj] += size
    elif name.startswith((".bss", "COMMON")):
        bss[obj] += size

# wait.o: every wake of a queue goes through its mpi_wake (a process in mp_wait may watch it);
# config.o: mp_init's check of the program's configuration
runtime = ["process.o", "lock.o", "guard.o", "queue.o", "ring.o", "table.o", "world.o",
           "arena.o", "error.o", "sched.o", "context.o", "switch.o", "wait.o", "atexit.o",
           "suspend.o", "config.o"]
print("| object (-Os, after --gc-sections) | text | data | bss |")
print("|---|---:|---:|---:|")
for obj in sorted(set(text) | set(data) | set(bss), key=lambda o: (o not in runtime, o)):
    print("| %s%s | %d | %d | %d |" % (obj, "" if obj in runtime else " (not runtime)",
                                        text[obj], data[obj], bss[obj]))
rt = sum(text[o] for o in runtime)
print("| **runtime: processes + queue + lock** | **%d** | | |" % rt)
print("\nFreeRTOS tasks + queue + mutex, same application (anchor): 4225 bytes of text at -Os")
print("ratio: %.2fx FreeRTOS" % (rt / 4225.0))

sizes = {}
out = subprocess.run(["arm-none-eabi-nm", "-S", probe], capture_output=True, text=True).stdout
for line in out.splitlines():
    parts = line.split()
    if len(parts) == 4 and parts[3].startswith("size_"):
        sizes[parts[3][5:]] = int(parts[1], 16)
print("\n| RAM per object (this image's config) | bytes |")
print("|---|---:|")
labels = [("process_slot", "process slot (stack excluded), of which the task control block"),
          ("queue", "queue (message storage excluded)"), ("lock", "Lock / RLock"),
          ("pipe", "pipe (message storage excluded)"), ("semaphore", "Semaphore"),
          ("event", "Event"), ("value", "Value (data included, up to 8 bytes)")]
for key, label in labels:
    extra = " (%d)" % sizes["process_slot_port"] if key == "process_slot" else ""
    print("| %s | %d%s |" % (label, sizes.get(key, 0), extra))
print("\nFreeRTOS (anchor): TCB 76 bytes, queue control block 72, mutex 72.")
