#!/usr/bin/env python3
"""Writes the hand-made seed inputs of the API fuzzer into a directory (default
tests/fuzz/corpus): one small scenario per file, together calling every operation the
harness has, with the arguments decoded the way the op_*.c files read them.

The op byte is an index into the op tables, in the order harness.c adds them; this
script reads that order from the sources, so it stays right when ops are added.
"""
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GROUPS = ["op_queue.c", "op_pipe.c", "op_lock.c", "op_shared.c", "op_sync.c", "op_process.c",
          "op_isr.c", "op_runtime.c"]


def op_names():
    names = []
    for g in GROUPS:
        src = open(os.path.join(HERE, g)).read()
        table = src[src.index("const fz_op_t fz_"):]
        names += re.findall(r'\{"([a-z_]+)",', table)
    return names


OPS = op_names()


def op(name):
    return bytes([OPS.index(name)])


# ---- argument encoders (mirror harness.c) --------------------------------------------
NOW, T1, T100, FOREVER = 0, 128, 176, 192
MS_EDGES = [0, 1, 2, 3, 4, 7, 8, 12, 27, 28, 29, 59, 60, 61, 64, 100, 124, 128, 256, 1000,
            4096, 65535, 65536, 65537, 0xFFFFFFFF, 1 << 24, 0x80000000, 16]
DEPTH_EDGES = [0, 1, 2, 3, 4, 5, 7, 8, 16, 17, 31, 32, 100, 1000, 4096, 32768, 65536,
               1 << 26, 1 << 30, 0xFFFFFFFF, 0x80000000, 6, 1, 2]


def msg_size(v):
    if v in MS_EDGES:
        return bytes([MS_EDGES.index(v)])
    if 1 <= v <= 256:
        return bytes([224, v - 1])
    return bytes([240]) + struct.pack("<I", v)


def depth(v):
    if v in DEPTH_EDGES:
        return bytes([DEPTH_EDGES.index(v)])
    if 1 <= v <= 256:
        return bytes([192, v - 1])
    return bytes([240]) + struct.pack("<I", v)


def length(n):
    """fz_len: an exact length (at most the object's limit)."""
    return bytes([11, n & 0xFF, n >> 8])


LEN_MAX, LEN_OVER, LEN_HUGE, LEN_ZERO = b"\x03", b"\x05", b"\x06", b"\x00"


def t(v):
    if v in (NOW, T1, T100, FOREVER):
        return bytes([v])
    return bytes([240]) + struct.pack("<H", v)


def h(i):
    """The i-th handle of the wanted kind created in this input (or this script)."""
    return bytes([i])


H_ZERO, H_ONES = b"\xc0", b"\xc1"


def h_forged(index):
    return bytes([200, index])


def h_other_kind(i, kind_byte=0):
    return bytes([160 + kind_byte, i])


# ---- operations ----------------------------------------------------------------------
def q_create(ms, d, joinable=False, f=0):
    return op("queue_create") + bytes([f | joinable]) + msg_size(ms) + depth(d)


def q_static(buf, ms=None, d=None, size_sel=0, joinable=False, preset=None, f=0):
    out = op("queue_create_static") + bytes([f | joinable, buf])
    if preset is not None:
        out += bytes([200 + preset])
    else:
        out += bytes([0]) + msg_size(ms) + depth(d)
    return out + bytes([size_sel])


def q_destroy(i):
    return op("queue_destroy") + h(i)


def q_put(i, n=None, timeout=NOW, lenb=None, f=0):
    return op("queue_put") + h(i) + bytes([f]) + (lenb if lenb is not None else length(n)) + t(timeout)


def q_burst(i, n, f=0):
    return op("queue_put_burst") + h(i) + bytes([n - 1, f])


def q_get(i, size_sel=2, timeout=NOW, f=0):
    return op("queue_get") + h(i) + bytes([f, size_sel]) + t(timeout)


def q_get_burst(i, n):
    return op("queue_get_burst") + h(i) + bytes([n - 1])


def q_counts(i, which, f=0):
    return op("queue_counts") + h(i) + bytes([which | f])


def q_close(i):
    return op("queue_close") + h(i)


def q_task_done(i, n=1):
    return op("queue_task_done") + h(i) + (bytes([0]) if n == 1 else bytes([255, n - 1]))


def q_unfinished(i):
    return op("queue_unfinished") + h(i) + b"\x00"


def q_join(i, timeout=NOW):
    return op("queue_join") + h(i) + t(timeout)


def q_seek(i, sel):
    return op("queue_seek") + h(i) + bytes([sel])


def p_create(duplex=True, ms=None, d=None, f=0):
    b = f | (1 if duplex else 0) | (2 if ms is not None else 0) | (4 if d is not None else 0)
    out = op("pipe_create") + bytes([b])
    if ms is not None:
        out += msg_size(ms)
    if d is not None:
        out += depth(d)
    return out


def p_send(end, n=None, timeout=NOW, lenb=None, f=0):
    return op("pipe_send") + h(end) + bytes([f]) + (lenb if lenb is not None else length(n)) + t(timeout)


def p_recv(end, size_sel=2, timeout=NOW, f=0):
    return op("pipe_recv") + h(end) + bytes([f, size_sel]) + t(timeout)


def p_poll(end, timeout=NOW):
    return op("pipe_poll") + h(end) + t(timeout) + b"\x00"


def p_close(end):
    return op("pipe_close") + h(end)


def l_create(rlock=False):
    return op("lock_create") + bytes([1 if rlock else 0])


def l_acquire(i, rlock=False, timeout=NOW):
    return op("lock_acquire") + bytes([1 if rlock else 0]) + h(i) + t(timeout)


def l_release(i, rlock=False):
    return op("lock_release") + bytes([1 if rlock else 0]) + h(i)


def l_query(i, rlock=False):
    return op("lock_query") + bytes([1 if rlock else 0]) + h(i)


def l_destroy(i, rlock=False):
    return op("lock_destroy") + bytes([1 if rlock else 0]) + h(i)


TYPES = {"i8": 1, "u8": 2, "i16": 3, "u16": 4, "i32": 5, "u32": 6, "i64": 7, "u64": 8,
         "float": 9, "double": 10, "bytes": 11}


def v_create(type_, array=False, raw=False, init=False, n=None):
    f = (1 if array else 0) | (2 if raw else 0) | (4 if init else 0)
    tb = TYPES[type_] - 1 if type_ in TYPES else {0: 240, 12: 241}.get(type_, type_)
    out = op("value_create") + bytes([f, tb])
    if array:
        out += bytes([128, n - 1]) if n is not None and 1 <= n <= 122 else bytes([0])
    return out


def v_copy(i, array=False, write=False, slice_=False, start_sel=3, start=0, count_sel=4):
    f = (1 if array else 0) | (2 if write else 0) | (4 if slice_ else 0)
    out = op("value_copy") + bytes([f]) + h(i)
    if array:
        out += bytes([start_sel]) + (struct.pack("<H", start) if start_sel >= 3 else b"")
        if slice_:
            out += bytes([count_sel])
    return out


def v_add(i, delta_sel, array=False, index=0):
    out = op("value_add") + bytes([1 if array else 0]) + h(i)
    if array:
        out += bytes([index])
    return out + bytes([delta_sel])


def v_cas(i, match, array=False, index=0):
    out = op("value_cas") + bytes([(1 if array else 0) | (2 if match else 0)]) + h(i)
    if array:
        out += bytes([index])
    return out + b"\x11\x22\x33\x44" + b"\x55\x66\x77\x88\x99"


def v_get_lock(i, array=False):
    return op("value_get_lock") + bytes([1 if array else 0]) + h(i)


def a_length(i):
    return op("array_length") + b"\x00" + h(i)


def v_destroy(i, array=False):
    return op("value_destroy") + bytes([1 if array else 0]) + h(i)


def s_create(sel, bounded=False):
    return op("semaphore_create") + bytes([(sel << 1) | (1 if bounded else 0)])


def s_acquire(i, timeout=NOW):
    return op("semaphore_acquire") + h(i) + t(timeout)


def s_release(i, n=1):
    return op("semaphore_release") + h(i) + (b"\x00" if n == 1 else bytes([255, n - 1]))


def s_value(i):
    return op("semaphore_value") + h(i) + b"\x00"


def s_destroy(i):
    return op("semaphore_destroy") + h(i)


def e_create():
    return op("event_create") + b"\x00"


def e_set(i, set_=True):
    return op("event_set_clear") + bytes([1 if set_ else 0]) + h(i)


def e_is_set(i):
    return op("event_is_set") + h(i) + b"\x00"


def e_wait(i, timeout=NOW):
    return op("event_wait") + h(i) + t(timeout)


def e_destroy(i):
    return op("event_destroy") + h(i)


def c_create(kind=0, lock=None):
    out = op("condition_create") + bytes([0, kind])
    if kind in (1, 2):
        out += h(lock)
    return out


def c_acquire(i, timeout=NOW):
    return op("condition_acquire") + h(i) + t(timeout)


def c_release(i):
    return op("condition_release") + h(i)


def c_wait(i, timeout=NOW, pred=None):
    f = 0 if pred is None else (1 | (0x10 if pred else 0))
    return op("condition_wait") + bytes([f]) + h(i) + t(timeout)


def c_notify(i, n=1, all_=False):
    return op("condition_notify") + bytes([1 if all_ else n << 1]) + h(i)


def c_destroy(i):
    return op("condition_destroy") + h(i)


def c_pred(v):
    return op("condition_predicate") + bytes([1 if v else 0])


def b_create(parties_sel, action=False):
    return op("barrier_create") + bytes([parties_sel | (8 if action else 0)])


def b_wait(i, timeout=NOW):
    return op("barrier_wait") + b"\x00" + h(i) + t(timeout)


def b_abort(i, reset=False):
    return op("barrier_abort_reset") + bytes([1 if reset else 0]) + h(i)


def b_query(i, which):
    return op("barrier_query") + bytes([which]) + h(i)


def b_destroy(i):
    return op("barrier_destroy") + h(i)


def spawn(script=b"", code=0, start=True, prio=0, name=False, daemon=0, bad=0):
    f = (1 if start else 0) | bad << 4
    g = daemon | (4 if name else 0) | (0x30 if prio else 0)
    return op("process_spawn") + bytes([f, g, len(script), code & 0xFF]) + script


def pr_start(i):
    return op("process_start") + h(i)


def pr_join(i, timeout=FOREVER):
    return op("process_join") + h(i) + t(timeout)


def pr_query(i, which, f=0):
    return op("process_query") + bytes([which | f]) + h(i)


def pr_signal(i, kill=False):
    return op("process_signal") + bytes([1 if kill else 0]) + h(i)


def pr_close(i):
    return op("process_close") + h(i)


def pr_yield():
    return op("process_yield")


PUT_INSIDE, PUT_PUBLISH, GET_INSIDE = 0, 1, 2


def die_at(point, n=1):
    return op("process_die_at") + bytes([point | (n - 1) << 2])


def misc(which, *extra):
    return op("runtime_misc") + bytes([which, *extra])


def interrupt(script):
    return op("interrupt") + bytes([len(script)]) + script


# ---- scenarios ------------------------------------------------------------------------
SEEDS = {
    "queue-fifo-counts": q_create(16, 4) + q_put(0, 5) + q_put(0, 0) + q_put(0, 16)
    + q_put(0, 16) + q_put(0, 3) + q_put(0, 3, T1) + q_counts(0, 0) + q_counts(0, 1)
    + q_counts(0, 2) + q_get(0) + q_get(0, 1) + q_get(0, 0) + q_get(0) + q_get(0)
    + q_get(0) + q_get(0) + q_get(0, 2, T1) + q_put(0, lenb=LEN_OVER) + q_close(0)
    + q_put(0, 1) + q_get(0) + q_destroy(0) + q_put(0, 1) + q_get(0),
    "queue-sizes": q_create(0, 4) + q_create(65537, 1) + q_create(8, 0) + q_create(65536, 4)
    + q_create(65536, 3) + q_create(1, 32768) + q_create(1, 32769 - 1) + q_create(60, 1 << 26)
    + q_create(124, 2) + q_put(0, lenb=LEN_HUGE) + q_put(0, lenb=LEN_MAX) + q_get(0, 4),
    "queue-joinable": q_create(8, 3, True) + q_put(0, 1) + q_put(0, 2) + q_unfinished(0)
    + q_join(0) + q_join(0, T1) + q_get(0) + q_task_done(0) + q_task_done(0, 3)
    + q_unfinished(0) + q_join(0) + q_create(8, 3) + q_task_done(1) + q_join(1)
    + q_unfinished(1) + q_join(0, FOREVER) + q_get(0) + q_task_done(0) + q_join(0, FOREVER),
    "queue-static": q_static(0, 12, 2) + q_static(1, 60, 8, size_sel=1) + q_static(2, 100, 30)
    + q_static(3, 4, 8192) + q_static(4, 12, 5) + q_put(0, 12) + q_put(0, 13) + q_put(0, 12)
    + q_put(0, 1) + q_get(0) + q_get(0) + q_static(0, 12, 2, size_sel=3) + q_burst(3, 64, 1)
    + q_get_burst(3, 64),
    "queue-static-overflow": q_static(0, preset=0) + q_put(0, 60) + q_put(0, 60) + q_put(0, 60)
    + q_static(1, preset=1) + q_static(2, preset=2) + q_static(3, preset=4),
    "queue-seek-wrap": q_create(8, 3, True) + q_seek(0, 0) + q_burst(0, 3) + q_get_burst(0, 3)
    + q_put(0, 1) + q_seek(0, 1) + q_get(0) + q_seek(0, 1) + q_seek(0, 2) + q_seek(0, 4)
    + q_burst(0, 3, 1) + q_get_burst(0, 2) + q_burst(0, 2) + q_unfinished(0) + q_task_done(0, 6)
    + q_create(4, 4) + q_seek(1, 0) + q_burst(1, 9),
    "queue-handles": q_create(8, 2) + q_destroy(0) + q_create(8, 2) + q_put(0, 1) + q_put(1, 1)
    + op("queue_put") + H_ZERO + b"\x00\x01\x00" + op("queue_put") + H_ONES + b"\x00\x01\x00"
    + op("queue_put") + h_forged(1) + b"\x00\x01\x00" + op("queue_put") + h_forged(16)
    + b"\x00\x01\x00" + op("queue_get") + h_other_kind(0, 5) + b"\x00\x02\x00",
    "queue-table-full": q_create(8, 1) * 17 + q_destroy(3) + q_create(8, 1) + q_counts(3, 0),
    "queue-arena-full": q_create(65536, 3) + q_create(65536, 1) + q_create(4096, 1)
    + q_destroy(0) + q_create(65536, 4) + q_create(64, 1000) + p_create(True, 65536, 2),
    "pipe-duplex": p_create() + p_send(0, 3) + p_send(1, 7) + p_poll(0) + p_poll(1)
    + p_recv(0) + p_recv(1, 1) + p_recv(1) + p_recv(1) + p_poll(1, T1) + p_recv(0, 2, T1)
    + p_send(0, lenb=LEN_OVER) + p_send(0, 256) + p_close(1) + p_send(0, 1) + p_recv(0)
    + p_poll(0) + p_recv(1) + p_close(0) + p_send(0, 1) + p_close(0),
    "pipe-oneway": p_create(False, 16, 2) + p_send(0, 1) + p_recv(1) + p_send(1, 4)
    + p_send(1, 5) + p_send(1, 6) + p_send(1, 6, T1) + p_poll(0) + p_recv(0, 0) + p_recv(0)
    + p_recv(0) + p_close(0) + p_send(1, 1) + p_close(1),
    "pipe-defaults-and-limits": p_create(True, 65537) + p_create(True, 65536, 4)
    + p_create(True, 65536, 2) + p_create(False, 1, 1 << 26) + p_create(f=0x38)
    + p_create(f=0xc0) + p_send(0, 256) + p_recv(1, 0) + p_recv(1, 5),
    "lock-basics": l_create() + l_acquire(0) + l_acquire(0) + l_acquire(0, timeout=T1)
    + l_query(0) + l_destroy(0) + l_release(0) + l_release(0) + l_query(0)
    + l_acquire(0, timeout=FOREVER) + l_acquire(0, timeout=FOREVER) + l_release(0)
    + l_destroy(0) + l_release(0) + l_acquire(0, True),
    "rlock-depth": l_create(True) + l_acquire(0, True) + l_acquire(0, True)
    + l_query(0, True) + l_release(0, True) + l_destroy(0, True) + l_release(0, True)
    + l_release(0, True) + l_query(0, True) + l_destroy(0, True) + l_create(True)
    + l_acquire(0, False),
    "lock-table-full": l_create() * 33 + l_create(True) + v_create("i8") + c_create(),
    "semaphore": s_create(1, True) + s_acquire(0) + s_acquire(0) + s_acquire(0, T1)
    + s_release(0) + s_release(0) + s_value(0) + s_create(5) + s_release(1)
    + s_create(0) + s_acquire(2, FOREVER) + s_release(2, 3) + s_value(2) + s_destroy(2)
    + s_value(2) + s_create(6, True) + s_release(3),
    "event": e_create() + e_is_set(0) + e_wait(0) + e_wait(0, T1) + e_wait(0, FOREVER)
    + e_set(0) + e_wait(0, FOREVER) + e_is_set(0) + e_set(0, False) + e_is_set(0)
    + e_destroy(0) + e_set(0),
    "value-types": b"".join(v_create(tp, init=True) + v_add(i, 1) + v_add(i, 2) + v_cas(i, True)
                            + v_cas(i, False) + v_copy(i) + v_copy(i, write=True) + v_copy(i)
                            for i, tp in enumerate(TYPES)) + v_get_lock(0) + v_destroy(0),
    "value-raw": v_create("i64", raw=True) + v_add(0, 1) + v_cas(0, True) + v_get_lock(0)
    + v_create("u32", raw=True) + v_add(1, 10) + v_cas(1, True) + v_copy(1)
    + v_create(0) + v_create(12) + v_create(255),
    "array-slices": v_create("i16", array=True, init=True, n=100) + a_length(0)
    + v_copy(0, True, start_sel=3, start=5) + v_copy(0, True, True, start_sel=3, start=7)
    + v_copy(0, True, False, True, 3, 10, 5) + v_copy(0, True, True, True, 3, 10, 1)
    + v_copy(0, True, False, True, 0, 0, 0) + v_copy(0, True, False, True, 1, 0, 4)
    + v_copy(0, True, False, True, 3, 0, 2) + v_copy(0, True, False, True, 3, 0, 3)
    + v_add(0, 3, True, 4) + v_cas(0, True, True, 4) + v_get_lock(0, True)
    + v_create("double", array=True, n=3) + v_add(1, 1, True) + v_destroy(0, True)
    + a_length(0),
    "array-arena-edge": op("value_create") + bytes([1, 0, 255, 0])
    + op("value_create") + bytes([1, 0, 255, 1]) + op("value_create") + bytes([1, 7, 10])
    + op("value_create") + bytes([1, 7, 0]),
    "value-lock-held": v_create("i64") + v_get_lock(0) + l_acquire(0, True) + v_add(0, 1)
    + v_copy(0) + v_destroy(0) + l_destroy(0, True) + l_release(0, True) + v_destroy(0),
    "value-lock-destroy": v_create("i64") + v_get_lock(0) + l_destroy(0, True) + v_add(0, 2)
    + v_cas(0, False) + v_copy(0),
    "condition": c_create() + c_wait(0) + c_notify(0) + c_acquire(0) + c_acquire(0)
    + c_wait(0) + c_wait(0, T1) + c_wait(0, FOREVER) + c_wait(0, T1, pred=False)
    + c_wait(0, T1, pred=True) + c_notify(0, 2) + c_notify(0, all_=True) + c_destroy(0)
    + c_release(0) + c_release(0) + c_release(0) + c_destroy(0) + l_create() + c_create(1, 0)
    + c_acquire(1) + c_wait(1, T1) + l_destroy(0) + c_release(1) + c_destroy(1)
    + l_create(True) + c_create(2, 0) + c_create(5) + op("condition_wait") + b"\x0f\x00\x00",
    "barrier": b_create(1, True) + b_wait(0) + b_wait(0) + b_create(2) + b_query(1, 0)
    + b_query(1, 1) + b_wait(1) + b_query(1, 2) + b_wait(1) + b_abort(1, True) + b_wait(1, T1)
    + b_abort(1) + b_query(1, 1) + b_destroy(1) + b_create(0) + b_create(6) + b_create(7),
    "process-basics": spawn(start=False) + pr_query(1, 2) + pr_join(1) + pr_signal(1)
    + pr_start(1) + pr_start(1) + pr_query(1, 0) + pr_query(1, 1) + pr_join(1) + pr_query(1, 1)
    + pr_query(1, 3) + pr_query(1, 4) + pr_query(0, 5) + pr_query(0, 6) + pr_query(0, 0)
    + pr_join(0) + pr_close(0) + pr_close(1) + pr_query(1, 1) + spawn(bad=15) + spawn(bad=14)
    + spawn(bad=13) + spawn(bad=12) + spawn(bad=11, name=True) + pr_query(2, 3)
    + spawn(daemon=3) + spawn(daemon=2) + pr_query(3, 4) + pr_query(0, 7),
    "process-table-full": spawn(start=False) * 16 + pr_close(3) + spawn(start=False)
    + spawn(b"", 1) + pr_join(15) + spawn(start=False),
    "child-lock-owner-dies": l_create() + spawn(l_acquire(0) + l_query(0), 7) + pr_join(1)
    + pr_query(1, 1) + l_query(0) + l_acquire(0) + l_release(0),
    "child-runs-while-main-waits": q_create(16, 2) + spawn(q_put(0, 3) + q_put(0, 4), 1)
    + q_get(0, 6, T100) + q_get(0) + q_get(0, 6, T1) + pr_join(1),
    "child-notifies": c_create() + c_acquire(0) + spawn(c_acquire(0) + c_notify(0) + c_release(0))
    + c_wait(0, T100) + c_release(0) + pr_join(1),
    "child-barrier": b_create(2, True) + spawn(b_wait(0)) + b_wait(0, FOREVER) + pr_join(1),
    "child-pipe-eof": p_create() + spawn(p_send(1, 5)) + pr_join(1) + p_recv(0) + p_recv(0)
    + p_poll(0),
    "child-shared-send-end": p_create() + p_send(1, 2) + spawn(p_send(1, 5)) + pr_join(1)
    + p_recv(0) + p_recv(0) + p_recv(0),
    "child-rlock-other": l_create(True) + l_acquire(0, True) + spawn(l_release(0, True)
    + l_query(0, True) + l_acquire(0, True) + l_destroy(0, True)) + pr_join(1),
    "child-signalled-before-running": spawn(q_create(8, 1)) + spawn(l_create())
    + pr_signal(1) + pr_signal(2, True) + pr_query(1, 1) + pr_join(1) + pr_query(1, 1)
    + pr_query(2, 0) + pr_yield(),
    "child-prio": spawn(l_create(), prio=1) + spawn(pr_query(0, 5)) + pr_yield()
    + pr_query(1, 7),
    "destroy-while-inside": q_create(8, 2) + spawn(q_destroy(0) + q_create(8, 2) + q_put(1, 4))
    + q_get(0, 6, T100) + pr_join(1) + q_get(1),
    "destroy-lock-while-inside": l_create() + l_acquire(0) + spawn(l_release(0) + l_destroy(0)
    + l_create() + l_acquire(1)) + l_acquire(0, timeout=T100) + pr_join(1),
    "interrupt-queue": q_create(8, 2) + q_put(0, 1)
    + interrupt(q_put(0, 2) + q_put(0, 3) + q_put(0, 1, T1) + q_get(0) + q_get(0, 2, T1)
                + q_counts(0, 0) + q_join(0, T1))
    + q_get(0) + q_get(0),
    "interrupt-locks": l_create() + l_create(True) + l_acquire(0) + s_create(0) + e_create()
    + interrupt(l_acquire(1) + l_acquire(0, True) + l_release(0, True) + l_query(0, True)
                + l_release(0) + s_release(0) + s_acquire(0) + s_acquire(0, T1) + e_set(0)
                + e_wait(0, T1) + e_wait(0))
    + l_query(0) + s_value(0) + e_is_set(0),
    "interrupt-values": v_create("i64") + v_create("i32") + v_create("i16", raw=True)
    + interrupt(v_add(0, 1) + v_cas(0, True) + v_copy(0) + v_copy(0, write=True) + v_add(1, 1)
                + v_cas(1, True) + v_add(2, 1) + v_copy(2))
    + v_copy(0) + v_copy(1),
    "interrupt-sync": c_create() + b_create(2) + interrupt(c_acquire(0) + c_wait(0)
                                                           + c_notify(0) + b_wait(0) + b_abort(0)
                                                           + b_query(0, 2))
    + b_query(0, 2),
    "child-killed-inside-put": q_create(8, 4) + q_put(0, 1)
    + spawn(q_put(0, 2) + die_at(PUT_PUBLISH) + q_put(0, 3) + q_put(0, 4))
    + pr_join(1) + q_counts(0, 0) + q_put(0, 5) + q_get(0) + q_get(0) + q_get(0) + q_get(0)
    + spawn(q_get(0) + die_at(GET_INSIDE, 2) + q_get(0) + q_get(0)) + pr_join(2)
    + q_get(0) + pr_query(1, 1) + pr_query(2, 1),
    "child-killed-inside-pipe": p_create() + spawn(p_send(1, 2) + die_at(PUT_INSIDE) + p_send(1, 3))
    + pr_join(1) + p_recv(0) + p_recv(0) + p_send(0, 4) + spawn(die_at(GET_INSIDE) + p_poll(1))
    + pr_join(2) + p_send(0, 1),
    "runtime-misc": misc(0) + misc(1) + misc(2) + misc(0x84) + misc(3, 1, 2, 3, 4)
    + misc(8, 0, 0, 0, 0, 9) + misc(8, 0, 0, 0, 0, 39) + misc(4, 5) + misc(4, 12)
    + interrupt(misc(0) + misc(2) + misc(1)),
    "static-queue-busy": q_static(2, 12, 4) + q_static(2, 12, 4) + q_static(2, 100, 2)
    + q_static(1, 12, 4) + q_destroy(0) + q_static(2, 12, 4) + q_put(2, 3) + q_get(2),
    "condition-destroyed-while-waiting": c_create() + c_acquire(0)
    + spawn(c_acquire(0) + c_release(0) + c_destroy(0) + c_create()) + c_wait(0, T100)
    + c_wait(1, T1) + pr_join(1),
    "condition-destroyed-while-acquiring": l_create() + c_create(1, 0) + c_acquire(0)
    + spawn(l_release(0) + c_destroy(0) + l_destroy(0)) + c_acquire(0, T100) + l_destroy(0)
    + pr_join(1) + l_destroy(0),
    "killed-putting-to-a-closed-queue": q_create(8, 2) + q_close(0)
    + spawn(die_at(PUT_INSIDE) + q_put(0, 1)) + pr_join(1) + pr_query(1, 1) + q_put(0, 1),
    "event-destroy-while-inside": e_create() + spawn(e_destroy(0) + e_create())
    + e_wait(0, T100) + pr_join(1),
}


# Minimal reproducers of the runtime defects the fuzzer found (tests/fuzz/regressions/),
# named for the defect of issue 7 they show; each fails on today's main in the default
# (strict) mode and passes once the defect is fixed. README.md says what each shows.
REGRESSIONS = {
    "defect1-static-queue-size-wraps": q_static(0, preset=0) + q_put(0, 60) + q_put(0, 60),
    "defect2-queue-destroyed-while-get-waits": q_create(8, 2)
    + spawn(q_destroy(0) + q_create(8, 2) + q_put(1, 4)) + q_get(0, 6, T100),
    "defect2-lock-destroyed-while-acquire-waits": l_create() + l_acquire(0)
    + spawn(l_release(0) + l_destroy(0) + l_create() + l_acquire(1)) + l_acquire(0, timeout=T100),
    "defect2-event-destroyed-while-wait-waits": e_create() + spawn(e_destroy(0) + e_create())
    + e_wait(0, T100),
    "defect3-value-lock-destroyed-alone": v_create("i64") + v_get_lock(0) + l_destroy(0, True)
    + v_add(0, 1),
    "defect3-condition-lock-destroyed-alone": l_create() + c_create(1, 0) + l_destroy(0),
    "defect3-add-in-handler-changes-value": v_create("i64") + interrupt(v_add(0, 1)) + v_copy(0),
    "defect6-main-pid-zero": pr_query(0, 5),
    "defect6-child-pid-zero-at-first-instruction": spawn(pr_query(0, 5), prio=1),
    "defect8-one-of-two-senders-exits": p_create() + p_send(1, 2) + spawn(p_send(1, 5))
    + pr_join(1) + p_recv(0) + p_recv(0) + p_recv(0),
    "defect10-side-changes-hands-twice": q_create(8, 4)
    + spawn(q_put(0, 1) + die_at(PUT_INSIDE) + q_put(0, 2)) + pr_join(1) + q_put(0, 3)
    + spawn(q_put(0, 4)) + q_get(0) + q_get(0) + q_get(0, 6, T100) + pr_join(2),
    "value-lock-handed-to-a-condition": v_create("i64") + v_get_lock(0) + c_create(2, 0)
    + v_destroy(0) + l_create(True) + c_acquire(0) + l_query(1, True) + c_destroy(0)
    + l_destroy(1, True),
    "condition-lock-handed-to-a-condition": c_create()
    + op("condition_create") + bytes([0, 2, 200, 0]) + c_destroy(0) + l_create(True)
    + c_acquire(1) + l_query(0, True),
    "yield-after-a-death-does-not-switch": spawn(l_create()) + spawn(l_create()) + pr_signal(0 + 1)
    + pr_yield(),
}


def write(out, prefix, items):
    os.makedirs(out, exist_ok=True)
    for name, data in items.items():
        with open(os.path.join(out, prefix + name), "wb") as f:
            f.write(data)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")
    write(out, "seed-", SEEDS)
    reg = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "regressions")
    write(reg, "", REGRESSIONS)
    print("%d seeds in %s, %d regressions in %s, %d ops known" % (len(SEEDS), out,
                                                                  len(REGRESSIONS), reg, len(OPS)))


if __name__ == "__main__":
    main()
