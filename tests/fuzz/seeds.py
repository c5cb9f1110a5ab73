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
          "op_isr.c", "op_runtime.c", "op_dict.c", "op_list.c", "op_pool.c", "op_wait.c",
          "op_slab.c"]


def op_names():
    names = []
    for g in GROUPS:
        src = open(os.path.join(HERE, g)).read()
        table = src[src.index("const fz_op_t fz_"):]
        names += re.findall(r'\{"([a-z_]+)",', table)
    return names


OPS = op_names()


def session_op_names():
    """The calls of a pool session, in the order of op_pool.c's session_ops table."""
    src = open(os.path.join(HERE, "op_pool.c")).read()
    table = src[src.index("static const fz_op_fn session_ops[] = {"):]
    return re.findall(r"\b(s_[a-z_]+)\b", table[:table.index("};")])


SESSION_OPS = session_op_names()


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


SIGNAL, SUSPEND_RESUME, RESUME, IS_SUSPENDED = 0, 1, 2, 3


def pr_signal(i, kill=False, what=SIGNAL):
    """what: the signal (kill or terminate), suspend then resume, resume alone, or
    is_suspended (kill: with a NULL output)."""
    return op("process_signal") + bytes([(1 if kill else 0) | what << 1]) + h(i)


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


# ---- Dict and List (op_dict.c, op_list.c) ----------------------------------------------
def edge(v, edges):
    """fz_edge_or_any: an edge by index, else a small value, else any 32 bits."""
    if v in edges:
        return bytes([edges.index(v)])
    if 1 <= v <= 256:
        return bytes([232, v - 1])
    return bytes([245]) + struct.pack("<I", v & 0xFFFFFFFF)


CAPS = [0, 1, 2, 3, 4, 5, 8, 16, 100, 4096, 4097, 0xFFFFFFFF, 2, 3]
KEYS = [0, 1, 2, 3, 8, 63, 64, 65, 0xFFFFFFFF, 4, 16, 2]
VALUES = [0, 1, 7, 8, 9, 64, 1023, 1024, 1025, 0xFFFFFFFF, 16, 8]
ITEMS = [0, 1, 2, 3, 4, 7, 8, 9, 64, 1023, 1024, 1025, 0xFFFFFFFF, 1]


def key(kid, n=1):
    """A key: kid 0-7 picks it, n its length (1-3; "size": the dict's key_size, "over":
    one more, None: NULL, 0: empty)."""
    sel = {None: 0, 0: 1, "size": 2, "over": 4}.get(n, 5 + n if isinstance(n, int) else 0)
    return bytes([kid | sel << 3])


def d_create(cap, ksize=8, vsize=16, f=0):
    return op("dict_create") + bytes([f]) + edge(cap, CAPS) + edge(ksize, KEYS) + edge(vsize, VALUES)


def d_destroy(i):
    return op("dict_destroy") + h(i)


def d_set(i, k, n=None, num=None, timeout=NOW):
    """d[k] = a pattern of n bytes, or the int64 num."""
    if num is not None:
        return op("dict_set") + h(i) + k + bytes([0, num & 0xFF]) + t(timeout)
    return op("dict_set") + h(i) + k + b"\x01" + length(n) + t(timeout)


def d_get(i, k, sel=2, pop=False, timeout=NOW):
    return op("dict_get") + bytes([pop]) + h(i) + k + bytes([sel]) + t(timeout)


def d_delete(i, k, timeout=NOW):
    return op("dict_delete") + h(i) + k + t(timeout)


def d_query(i, k=None):
    return op("dict_query") + bytes([k is not None]) + h(i) + (k or b"") + t(NOW)


def d_clear(i):
    return op("dict_clear") + h(i) + t(NOW)


def d_setdefault(i, k, n, sel=2, f=0):
    return op("dict_setdefault") + bytes([f]) + h(i) + k + length(n) + bytes([sel]) + t(NOW)


def d_add(i, k, delta):
    return op("dict_add") + b"\x00" + h(i) + k + bytes([delta & 0xFF]) + t(NOW)


def d_update(i, j=None):
    return op("dict_update") + bytes([j is None]) + h(i) + (h(j) if j is not None else b"") + t(NOW)


def d_iter(it, i):
    return op("dict_iter") + bytes([it]) + h(i) + t(NOW)


def d_next(it, ks=2, vs=2, timeout=NOW):
    return op("dict_next") + bytes([it, ks, vs]) + t(timeout)


def d_forge(it, what, *extra):
    return op("dict_iter_forge") + bytes([it | what << 2, *extra])


def records_die_at(published=False, n=1):
    return op("records_die_at") + bytes([published | (n - 1) << 1])


def li_create(cap, item=4, f=0):
    return op("list_create") + bytes([f]) + edge(cap, CAPS) + edge(item, ITEMS)


def li_destroy(i):
    return op("list_destroy") + h(i)


def idx(sel, extra=None):
    """pick_index: 0 -> 0, 1 -> 1, 2 -> -1, 3 -> n-1, 4 -> n, 5 -> -n, 6 -> -n-1, 7 MAX,
    8 MIN, 9 + a signed byte, 10 + a byte modulo n + 1."""
    return bytes([sel] + ([extra & 0xFF] if sel in (9, 10) else []))


def li_append(i, v, timeout=NOW):
    return op("list_insert") + bytes([v << 1]) + h(i) + t(timeout)


def li_insert(i, v, index):
    return op("list_insert") + bytes([1 | v << 1]) + h(i) + index + t(NOW)


def li_extend(i, n_sel, start=0, step=1):
    return op("list_extend") + bytes([n_sel, start, step]) + h(i) + t(NOW)


def flag(which, v, vmask, null_mask):
    """The flag byte of list_at and list_search: which = f % 3, v = (f >> 2) & vmask, and no
    NULL argument."""
    return next(f for f in range(256) if f % 3 == which and (f >> 2) & vmask == v
                and f & null_mask != null_mask and f & 0x30 != 0x30)


def li_at(i, which, index, v=0, timeout=NOW):
    """which: 0 get, 1 set (to v), 2 pop."""
    return op("list_at") + bytes([flag(which, v, 15, 0xf0)]) + h(i) + index + t(timeout)


def li_search(i, which, v):
    """which: 0 remove, 1 index, 2 count; v 0-3."""
    return op("list_search") + bytes([flag(which, v, 3, 0xc0)]) + h(i) + t(NOW)


def li_len(i, clear=False):
    return op("list_len_clear") + bytes([clear]) + h(i) + t(NOW)


def li_sort(i, by_class=False, reverse=False):
    return op("list_sort") + bytes([by_class | reverse << 1]) + h(i) + t(NOW)


def li_iter(it, i):
    return op("list_iter") + bytes([it]) + h(i) + t(NOW)


def li_next(it, timeout=NOW):
    return op("list_next") + bytes([it]) + t(timeout)


def li_forge(it, what, *extra):
    return op("list_iter_forge") + bytes([it | what << 2, *extra])


# ---- Pool sessions (op_pool.c) -----------------------------------------------------------
def so(name):
    return bytes([SESSION_OPS.index(name)])


OK_TASK, FAIL, FAIL_LONG, BIG, EXIT, INIT = 0, 10, 11, 12, 13, 14


def session(script, workers=1, maxtasks=0, init=False, initarg_sel=0, f=0):
    """A pool: workers 1, 2, 3, 4 (the default) or 5 (too many); then its calls."""
    nw = {1: 0, 2: 3, 3: 4, 4: 5, 5: 7}[workers]
    return (op("pool_session") + bytes([f | init, nw, maxtasks, initarg_sel, len(script)])
            + script)


def arg(kind=OK_TASK, size_sel=2):
    """A task's argument: its task (kind, plus a code in the high bits) and size (0, 1, 4,
    63, 64, 65, SIZE_MAX)."""
    return bytes([kind, size_sel])


def ps_apply_async(kind=OK_TASK, size_sel=2, cb=0, autofree=False, pool=0):
    return so("s_apply_async") + bytes([cb | autofree << 2]) + h(pool) + arg(kind, size_sel)


def ps_apply(kind=OK_TASK, size_sel=2, rsel=0, timeout=FOREVER, pool=0):
    return so("s_apply") + b"\x00" + h(pool) + arg(kind, size_sel) + bytes([rsel]) + t(timeout)


def ps_get(res, rsel=0, timeout=FOREVER):
    return so("s_get") + h(res) + bytes([rsel]) + t(timeout)


def ps_query(res, which, timeout=FOREVER):
    """which: 0 wait, 1 ready, 2 successful, 3 failure."""
    return so("s_query") + bytes([which]) + h(res) + (t(timeout) if which == 0 else b"")


def ps_result_destroy(res):
    return so("s_result_destroy") + h(res)


SIZES = [0, 1, 4, 8, 64, 65, 2, 16]
COUNTS = [0, 1, 2, 3, 5, 8, 9, 17, 33, 64, 1 << 31, 4]
CHUNKS = [0, 1, 2, 3, 8, 100, "max", 0]


def items(in_size=4, out_size=4, n=5, mix=0x80, chunk=0):
    """pick_map's bytes: mix 0x80 + successes only, else item i's task is mix + 7 i."""
    return bytes([SIZES.index(in_size), SIZES.index(out_size), COUNTS.index(n), mix,
                  CHUNKS.index(chunk)])


def ps_map(n=5, in_size=4, out_size=4, mix=0x80, chunk=0, timeout=FOREVER, f=0, pool=0):
    return so("s_map") + bytes([f]) + h(pool) + items(in_size, out_size, n, mix, chunk) + t(timeout)


def ps_map_async(n=5, in_size=4, out_size=4, mix=0x80, chunk=0, cb=0, autofree=False, f=0, pool=0):
    return (so("s_map_async") + bytes([f, cb | autofree << 2]) + h(pool)
            + items(in_size, out_size, n, mix, chunk))


def ps_imap(it=0, n=5, in_size=4, out_size=4, mix=0x80, chunk=0, ordered=True, pool=0):
    return (so("s_imap") + bytes([it | ordered << 1]) + h(pool)
            + items(in_size, out_size, n, mix, chunk))


def ps_imap_next(it=0, timeout=FOREVER):
    return so("s_imap_next") + bytes([it]) + t(timeout)


def ps_imap_abandon(it=0):
    return so("s_imap_abandon") + bytes([it])


def ps_workers(max_sel=3, pool=0):
    return so("s_workers") + bytes([max_sel]) + h(pool)


def ps_close(pool=0):
    return so("s_close") + h(pool)


def ps_terminate(pool=0):
    return so("s_terminate") + h(pool)


def ps_join(timeout=FOREVER, pool=0):
    return so("s_join") + h(pool) + t(timeout)


def ps_destroy(pool=0):
    return so("s_destroy") + h(pool)


def ps_more_pools():
    return so("s_more_pools")


def pool_in_handler(which, result=False):
    return op("pool_in_handler") + bytes([result | which << 1, 0])


# ---- Slab (op_slab.c) ------------------------------------------------------------------
SLAB_SIZES = [0, 1, 7, 8, 15, 16, 17, 24, 31, 32, 33, 48, 64, 100, 4096, 65536, 1 << 20,
              0x80000000, 0xFFFFFFFF, 0xFFFFFFF0, 16, 8, 1, 32]
SLAB_COUNTS = [0, 1, 2, 3, 4, 5, 8, 16, 17, 100, 1000, 4096, 13107, 13108, 65536, 1 << 30,
               0xFFFFFFFF, 0xFFFFFFFD, 0x40000000, 3, 2, 1, 4, 1]


def sl_create(size, count, f=0):
    return op("slab_create") + bytes([f]) + edge(size, SLAB_SIZES) + edge(count, SLAB_COUNTS)


def sl_static(buf, size=None, count=0, where=0, size_sel=4, f=0):
    """buf 0-2: the harness's buffers of 64, 512 and 4096 bytes, 3: its MP_SLAB_DEFINE;
    size None: blocks of 16 << count, as many as fit (buf 3: the definition's shape).
    where 4: NULL, 5: not aligned, 6: MP_SLAB_ALIGN into the buffer. size_sel 0: the size
    the shape needs, 1: one less, 3: 0, else the whole buffer."""
    out = op("slab_create_static") + bytes([f, buf])
    if size is None:
        out += bytes([200 + count])
    else:
        out += bytes([0]) + edge(size, SLAB_SIZES) + edge(count, SLAB_COUNTS)
    return out + bytes([where, size_sel])


def sl_destroy(i):
    return op("slab_destroy") + h(i)


def sl_alloc(i, timeout=NOW, no_out=False):
    return op("slab_alloc") + h(i) + bytes([255 if no_out else 0]) + t(timeout)


def ptr(n):
    """The n-th block an alloc returned in this input (of the first 16)."""
    return bytes([n])


def ptr_block(i, variant=0):
    """Block i of the slab called: 0 its start, 4 one byte in, 5 inside it, 6 one past the
    last block, 7 the last owner word."""
    return bytes([112 + variant]) + struct.pack("<H", i)


PTR_NULL, PTR_OUTSIDE = b"\xb0", b"\xc0"


def sl_free(i, p):
    return op("slab_free") + h(i) + p


def sl_give(i, p):
    return op("slab_give") + h(i) + p


def sl_take(i, p):
    return op("slab_take") + h(i) + p


def sl_stat(i, no_out=False):
    return op("slab_stat") + h(i) + bytes([255 if no_out else 0])


SLAB_TAKEN, SLAB_FREED = 0, 1


def sl_die_at(point, n=1):
    return op("slab_die_at") + bytes([point | (n - 1) << 1])


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
    "process-suspend": spawn(start=False) + pr_signal(1, what=SUSPEND_RESUME)
    + pr_signal(1, what=RESUME) + pr_start(1) + pr_signal(1, what=RESUME)
    + pr_signal(1, what=SUSPEND_RESUME) + pr_signal(1, what=IS_SUSPENDED)
    + pr_signal(1, True, IS_SUSPENDED) + pr_signal(0, what=SUSPEND_RESUME)
    + pr_signal(0, what=RESUME) + pr_signal(0, what=IS_SUSPENDED) + pr_join(1)
    + pr_signal(1, what=SUSPEND_RESUME) + pr_signal(1, what=RESUME)
    + pr_signal(1, what=IS_SUSPENDED) + pr_signal(0xc0, what=SUSPEND_RESUME),
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
    "given-up-end-drained": p_create() + p_send(1, 3) + spawn(p_poll(0)) + pr_join(1)
    + p_send(1, 4) + p_poll(1) + spawn(p_recv(0) + p_recv(0) + p_poll(0) + p_send(0, 1))
    + pr_join(2) + p_recv(1),
    "event-destroy-while-inside": e_create() + spawn(e_destroy(0) + e_create())
    + e_wait(0, T100) + pr_join(1),
}

SEEDS.update({
    "dict-basics": d_create(4) + d_set(0, key(0), 5) + d_set(0, key(1, 2), num=7)
    + d_set(0, key(2, 3), 16) + d_set(0, key(3), 17) + d_set(0, key(3), 0) + d_set(0, key(4), 1)
    + d_get(0, key(0)) + d_get(0, key(0), sel=1) + d_get(0, key(5)) + d_query(0, key(1, 2))
    + d_query(0) + d_add(0, key(1, 2), 5) + d_add(0, key(0), 1) + d_get(0, key(1, 2), pop=True)
    + d_delete(0, key(2, 3)) + d_delete(0, key(2, 3)) + d_setdefault(0, key(6), 3)
    + d_setdefault(0, key(6), 9) + d_setdefault(0, key(7), 2, sel=1) + d_set(0, key(0, None), 1)
    + d_set(0, key(0, 0), 1) + d_set(0, key(0, "size"), 1) + d_set(0, key(0, "over"), 1)
    + d_clear(0) + d_query(0) + d_destroy(0) + d_get(0, key(0)),
    "dict-iterate": d_create(8) + d_set(0, key(0), 3) + d_set(0, key(1), 4)
    + d_set(0, key(2), num=1) + d_iter(0, 0) + d_next(0) + d_next(0, ks=4) + d_next(0, vs=4)
    + d_next(0) + d_set(0, key(0), 8) + d_next(0) + d_next(0) + d_next(0) + d_iter(1, 0)
    + d_set(0, key(3), 1) + d_next(1) + d_forge(1, 1, 0, 1) + d_forge(1, 2) + d_next(1)
    + d_forge(2, 0, 0) + d_next(2) + d_forge(3, 3) + d_next(3) + d_next(0, ks=0, vs=0),
    "dict-update": d_create(4) + d_create(4, 2, 4) + d_set(0, key(0), 3) + d_set(0, key(1, 3), 2)
    + d_set(1, key(0), 4) + d_update(1, 0) + d_update(0, 1) + d_update(0) + d_create(2)
    + d_set(2, key(5), 1) + d_set(2, key(6), 1) + d_update(2, 0) + d_delete(0, key(1, 3))
    + d_update(1, 0) + d_query(1),
    "dict-sizes": d_create(0) + d_create(4097) + d_create(4, 0) + d_create(4, 65)
    + d_create(4, 8, 0) + d_create(4, 8, 1025) + d_create(4096, 64, 1024)
    + d_create(100, 64, 1024) * 3 + d_create(1, 1, 1) * 8,
    "dict-dead-holder": d_create(4) + d_set(0, key(0), 3) + d_iter(0, 0)
    + spawn(records_die_at(False) + d_set(0, key(1), 2)) + pr_join(1) + d_next(0)
    + d_get(0, key(1)) + spawn(records_die_at(True) + d_set(0, key(1), 2)) + pr_join(2)
    + d_get(0, key(1)) + d_create(4) + d_set(1, key(5), 1) + d_set(1, key(6), 2)
    + spawn(records_die_at(True, 2) + d_update(0, 1)) + pr_join(3) + d_query(0)
    + spawn(records_die_at(False) + d_clear(0)) + pr_join(4) + d_query(0),
    "dict-in-handler": d_create(4) + d_set(0, key(0), 3) + d_iter(0, 0)
    + interrupt(d_get(0, key(0)) + d_set(0, key(1), 2) + d_set(0, key(2), 2, timeout=T1)
                + d_get(0, key(0), timeout=T1) + d_next(0, timeout=T1) + d_next(0)
                + d_add(0, key(0), 1) + d_clear(0))
    + d_query(0),
    "dict-taken-over-in-handler": d_create(4)
    + spawn(records_die_at(True) + d_set(0, key(0), 3)) + pr_join(1)
    + interrupt(d_get(0, key(0)) + d_query(0)),
    "list-basics": li_create(4) + li_append(0, 1) + li_append(0, 2) + li_insert(0, 3, idx(0))
    + li_insert(0, 4, idx(6)) + li_append(0, 5) + li_at(0, 0, idx(2)) + li_at(0, 0, idx(4))
    + li_at(0, 1, idx(1), v=7) + li_at(0, 2, idx(0)) + li_at(0, 2, idx(5))
    + li_search(0, 1, 1) + li_search(0, 2, 2) + li_search(0, 0, 3) + li_search(0, 0, 3)
    + li_len(0) + li_extend(0, 1) + li_extend(0, 2) + li_len(0, True) + li_len(0)
    + li_insert(0, 2, idx(7)) + li_insert(0, 3, idx(8)) + li_destroy(0) + li_len(0),
    "list-sort": li_create(16, 2) + li_extend(0, 5, 3, 5) + li_extend(0, 6, 1, 6) + li_sort(0)
    + li_iter(0, 0) + li_next(0) + li_next(0) + li_sort(0, True) + li_sort(0, True, True)
    + li_sort(0, False, True) + li_next(0) + li_at(0, 2, idx(0)) + li_next(0),
    "list-iterate": li_create(3, 1) + li_extend(0, 1, 2, 3) + li_iter(1, 0) + li_next(1)
    + li_next(1) + li_next(1) + li_next(1) + li_forge(1, 1, 0, 1) + li_next(1) + li_forge(1, 2)
    + li_next(1) + li_forge(2, 0, 0) + li_next(2) + li_forge(3, 3) + li_next(3),
    "list-sizes": li_create(0) + li_create(4097) + li_create(4, 0) + li_create(4, 1025)
    + li_create(4096, 1024) + li_create(200, 1024) + li_create(4096, 1) + li_create(1, 1) * 8,
    "list-dead-holder": li_create(8) + li_append(0, 1) + li_iter(0, 0)
    + spawn(records_die_at(True) + li_insert(0, 2, idx(0))) + pr_join(1) + li_next(0)
    + li_len(0) + spawn(records_die_at(False) + li_sort(0)) + pr_join(2) + li_at(0, 0, idx(0))
    + spawn(records_die_at(True) + li_extend(0, 7, 0, 2)) + pr_join(3) + li_len(0),
    "list-in-handler": li_create(8) + li_append(0, 1)
    + interrupt(li_append(0, 2) + li_append(0, 3, T1) + li_sort(0, True) + li_at(0, 0, idx(0))
                + li_at(0, 0, idx(0), timeout=T1) + li_iter(0, 0) + li_next(0) + li_next(0, T1))
    + li_len(0),
    "pool-apply": session(ps_apply_async() + ps_apply_async(FAIL) + ps_apply_async(BIG)
                          + ps_get(0) + ps_get(1) + ps_get(2) + ps_query(1, 3) + ps_query(0, 2)
                          + ps_query(2, 1) + ps_apply(size_sel=3, rsel=2) + ps_apply(FAIL_LONG)
                          + ps_result_destroy(0) + ps_get(0) + ps_apply(size_sel=5)),
    "pool-map": session(ps_map(n=17, mix=3) + ps_map(n=8, in_size=64, out_size=64, chunk=1)
                        + ps_map(n=0) + ps_map(n=64, chunk=100) + ps_map_async(n=33, mix=5, cb=3)
                        + ps_get(0) + ps_map_async(n=9, cb=1, autofree=True) + ps_query(0, 0),
                        workers=3),
    "pool-imap": session(ps_imap(0, n=9, mix=2, chunk=2) + ps_imap_next(0) * 4
                         + ps_imap(1, n=5, ordered=False) + ps_imap_next(1) * 6
                         + ps_imap_abandon(0) + ps_imap_next(0), workers=2),
    "pool-one-worker-dies": session(ps_apply_async(EXIT | 0x30) + ps_apply_async() + ps_get(0)
                                    + ps_get(1) + ps_query(0, 3) + ps_workers()
                                    + ps_map(n=5, mix=13, chunk=2) + ps_workers()),
    "pool-maxtasks": session(ps_apply_async(INIT) + ps_apply_async() * 3 + ps_get(3) + ps_workers()
                             + ps_apply_async(INIT) + ps_get(4) + ps_get(0) + ps_workers(),
                             maxtasks=2, init=True, initarg_sel=2),
    "pool-close-join": session(ps_apply_async() + ps_close() + ps_apply_async() + ps_join(NOW)
                               + ps_join() + ps_get(0) + ps_workers() + ps_destroy() + ps_get(0)
                               + ps_close(), workers=2),
    "pool-terminate": session(ps_apply_async(cb=3) * 3 + ps_map_async(n=33, chunk=1, cb=2)
                              + ps_terminate() + ps_get(0) + ps_get(3) + ps_query(1, 3) + ps_join()
                              + ps_imap()),
    "pool-join-running": session(ps_join() + ps_more_pools() + ps_destroy()),
    "pool-create-args": session(b"", workers=5) + session(b"", initarg_sel=5)
    + session(b"", f=6, initarg_sel=1) + session(b"", init=True, initarg_sel=4, workers=4)
    + session(b"", f=0xe0) + session(b"", f=0x18),
    "pool-in-handler": interrupt(b"".join(pool_in_handler(w, w >= 13) for w in range(19))),
    "pool-process-table": spawn(start=False) * 14 + session(ps_workers(), workers=2)
    + session(ps_workers()),
})

SEEDS.update({
    "slab-basics": sl_create(16, 3) + sl_alloc(0) * 3 + sl_alloc(0) + sl_alloc(0, T1)
    + sl_stat(0) + sl_free(0, ptr(1)) + sl_free(0, ptr(1)) + sl_alloc(0) + sl_give(0, ptr(0))
    + sl_give(0, ptr(0)) + sl_stat(0) + sl_take(0, ptr(0)) + sl_take(0, ptr(0))
    + sl_free(0, PTR_NULL) + sl_free(0, ptr_block(0, 4)) + sl_free(0, ptr_block(1, 5))
    + sl_free(0, ptr_block(0, 6)) + sl_free(0, ptr_block(0, 7)) + sl_free(0, PTR_OUTSIDE)
    + sl_create(32, 2) + sl_alloc(1) + sl_free(1, ptr(0)) + sl_give(1, ptr(2)) + sl_stat(0, True)
    + sl_alloc(0, no_out=True) + sl_destroy(0) + sl_alloc(0) + sl_free(0, ptr(0)) + sl_stat(0)
    + sl_destroy(0) + sl_free(1, ptr(3)) + sl_free(1, ptr(3)),
    "slab-sizes": sl_create(0, 1) + sl_create(1, 0) + sl_create(0xFFFFFFFF, 0xFFFFFFFF)
    + sl_create(0xFFFFFFF0, 0xFFFFFFFD) + sl_create(65536, 4) + sl_create(1, 13108)
    + sl_create(1, 13107) + sl_create(4096, 16) + sl_destroy(0) + sl_create(4096, 16)
    + sl_create(65536, 3) + sl_create(1 << 20, 1) + sl_create(1, 1) * 8 + sl_stat(1),
    "slab-static": sl_static(0) + sl_static(0) + sl_static(1, 24, 4, where=5)
    + sl_static(1, 24, 4, where=4) + sl_static(1, 24, 4, size_sel=1)
    + sl_static(1, 24, 4, size_sel=0) + sl_static(1, 16, 2, where=6) + sl_static(1, 16, 2, size_sel=3)
    + sl_static(2, None, 3) + sl_static(3) + sl_static(3) + sl_static(2, 0xFFFFFFF0, 0xFFFFFFFD)
    + sl_alloc(3) * 6 + sl_stat(3) + sl_free(3, ptr(2)) + sl_alloc(3) + sl_destroy(3)
    + sl_static(3) + sl_alloc(4) + sl_static(0, f=0x70) + sl_static(0, f=0x0e),
    "slab-reap": sl_create(8, 3) + spawn(sl_alloc(0) + sl_alloc(0) + sl_give(0, ptr(1)))
    + pr_join(1) + sl_stat(0) + sl_alloc(0) + spawn(sl_take(0, ptr(1)) + sl_take(0, ptr(0)))
    + pr_query(1, 0) + sl_stat(0) + sl_alloc(0) + sl_alloc(0) + sl_alloc(0)
    + spawn(sl_free(0, ptr(0)) + sl_alloc(0) + sl_free(0, ptr(1))) + sl_alloc(0, T100)
    + sl_alloc(0, FOREVER) + pr_close(2) + sl_stat(0),
    "slab-death": sl_create(8, 2) + spawn(sl_die_at(SLAB_TAKEN) + sl_alloc(0) + sl_alloc(0))
    + pr_join(1) + sl_stat(0) + sl_alloc(0) + sl_alloc(0)
    + spawn(sl_die_at(SLAB_FREED) + sl_free(0, ptr(1))) + sl_alloc(0, T100) + pr_join(2)
    + spawn(sl_alloc(0) + sl_die_at(SLAB_FREED, 2) + sl_free(0, ptr(0)) + sl_free(0, ptr(1)))
    + sl_alloc(0, FOREVER) + sl_stat(0) + pr_join(3) + sl_stat(0),
    "slab-in-handler": sl_create(16, 2)
    + interrupt(sl_alloc(0) + sl_alloc(0, T1) + sl_take(0, ptr(0)) + sl_give(0, ptr(0))
                + sl_stat(0) + sl_create(8, 1) + sl_static(0) + sl_alloc(0) + sl_alloc(0)
                + sl_free(0, ptr(1)) + sl_free(0, PTR_NULL))
    + sl_stat(0) + sl_take(0, ptr(0)) + sl_free(0, ptr(0)),
    "slab-destroyed-while-alloc-waits": sl_create(8, 1) + sl_alloc(0)
    + spawn(sl_destroy(0) + sl_create(8, 1) + sl_alloc(1)) + sl_alloc(0, T100) + pr_join(1)
    + sl_static(0) + sl_alloc(2) * 3 + spawn(sl_destroy(2) + sl_static(0)) + sl_alloc(2, T100)
    + sl_static(0) + pr_join(2) + sl_create(8, 1) + sl_alloc(4)
    + spawn(sl_free(4, ptr(5)) + sl_destroy(4)) + sl_alloc(4, FOREVER) + pr_join(3),
})

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
    "pool-map-of-one-item-is-no-apply": session(ps_map(n=1, in_size=4, out_size=64)),
    "pool-map-without-arguments": session(ps_map(n=3, in_size=0, f=0x0c)),
    "pool-map-async-after-close": session(ps_map_async(n=33, chunk=1) + ps_close() + ps_get(0)),
    # found by the fuzzer as raw bytes; written out here so that it survives new ops
    # (flag 28, 30, 29: empty, qsize, full, each with a NULL output)
    "queue-empty-without-output-on-closed": q_create(8, 4) + q_close(0) + q_counts(0, 28)
    + q_counts(0, 30) + q_counts(0, 29),
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
