/*
 * Bad input to the Manager objects, Dict (with Namespace, its typed layer) and List, on
 * every port: each row one call, its exact code, and nothing changed
 * (tests/support/badinput.h). The holder (a live child) keeps fx.list_busy locked, so
 * calls on it get MP_EAGAIN or MP_ETIMEDOUT for the lock, after their arguments' checks.
 *
 * Not here: a Dict locked by another process (no Dict call runs the caller's code with
 * the lock held, as a List's sort does, so no child can be kept inside one); calls in an
 * interrupt handler (MP_EISR), which need a handler (tests/task/test_isr.c).
 */
#include "badinput_fixture.h"

/* ---- every call that takes a Dict or a List, with every bad handle ------------------- */
#define DH ((mp_dict_t){bi_id})
#define NH ((mp_namespace_t){{bi_id}})
#define LH ((mp_list_t){bi_id})
#define LIVE_DICT ((mp_dict_t){fx.live[MPI_KIND_DICT]})
static mp_dict_iter_t bad_dict_it;
static mp_list_iter_t bad_list_it;

static mp_err_t op_ddestroy(void) { return mp_dict_destroy(DH); }
static mp_err_t op_dset(void) { return mp_dict_set(DH, "k", bi_in, 4, bi_timeout); }
static mp_err_t op_dget(void) { return mp_dict_get(DH, "k", out.buf, sizeof out.buf, &out.len, bi_timeout); }
static mp_err_t op_ddelete(void) { return mp_dict_delete(DH, "k", bi_timeout); }
static mp_err_t op_dcontains(void) { return mp_dict_contains(DH, "k", &out.flag, bi_timeout); }
static mp_err_t op_dlen(void) { return mp_dict_len(DH, &out.len, bi_timeout); }
static mp_err_t op_dclear(void) { return mp_dict_clear(DH, bi_timeout); }
static mp_err_t op_dpop(void) { return mp_dict_pop(DH, "k", out.buf, sizeof out.buf, &out.len, bi_timeout); }
static mp_err_t op_dsetdefault(void)
{
    return mp_dict_setdefault(DH, "k", bi_in, 4, out.buf, sizeof out.buf, &out.len, bi_timeout);
}
static mp_err_t op_dupdate(void) { return mp_dict_update(DH, LIVE_DICT, bi_timeout); }
static mp_err_t op_dupdate_from(void) { return mp_dict_update(LIVE_DICT, DH, bi_timeout); }
static mp_err_t op_dadd(void) { return mp_dict_add(DH, "k", 1, &out.i64, bi_timeout); }
static mp_err_t op_diter(void) { return mp_dict_iter(DH, &out.dict_it, bi_timeout); }
static mp_err_t op_dnext(void)
{
    bad_dict_it = (mp_dict_iter_t){.id = bi_id};
    return mp_dict_next(BI_KEPT(bad_dict_it), out.name, sizeof out.name, out.buf, sizeof out.buf,
                        &out.len, bi_timeout);
}
static mp_err_t op_ndestroy(void) { return mp_namespace_destroy(NH); }
static mp_err_t op_nset(void) { return mp_namespace_set(NH, "k", bi_in, 4, bi_timeout); }
static mp_err_t op_nget(void) { return mp_namespace_get(NH, "k", out.buf, sizeof out.buf, &out.len, bi_timeout); }
static mp_err_t op_ndel(void) { return mp_namespace_del(NH, "k", bi_timeout); }
static mp_err_t op_nhas(void) { return mp_namespace_has(NH, "k", &out.flag, bi_timeout); }
static mp_err_t op_nread(void) { return mp_namespace_read_exact(NH, "k", out.buf, 4, bi_timeout); }
static mp_err_t op_nset_i64(void) { return mp_namespace_set_i64(NH, "k", 1, bi_timeout); }
static mp_err_t op_nget_i64(void) { return mp_namespace_get_i64(NH, "k", &out.i64, bi_timeout); }
static mp_err_t op_nadd_i64(void) { return mp_namespace_add_i64(NH, "k", 1, &out.i64, bi_timeout); }
static mp_err_t op_nset_f64(void) { return mp_namespace_set_f64(NH, "k", 0.5, bi_timeout); }
static mp_err_t op_nget_f64(void) { return mp_namespace_get_f64(NH, "k", (double *)out.buf, bi_timeout); }
static mp_err_t op_nset_str(void) { return mp_namespace_set_str(NH, "k", "v", bi_timeout); }
static mp_err_t op_nget_str(void) { return mp_namespace_get_str(NH, "k", out.name, sizeof out.name, bi_timeout); }

static const uint64_t item_a = 1, item_b = 2, item_x = 3, items_ab[2] = {1, 2};
static mp_err_t op_ldestroy(void) { return mp_list_destroy(LH); }
static mp_err_t op_lappend(void) { return mp_list_append(LH, &item_a, bi_timeout); }
static mp_err_t op_lextend(void) { return mp_list_extend(LH, items_ab, 2, bi_timeout); }
static mp_err_t op_linsert(void) { return mp_list_insert(LH, 0, &item_a, bi_timeout); }
static mp_err_t op_lget(void) { return mp_list_get(LH, 0, out.buf, bi_timeout); }
static mp_err_t op_lset(void) { return mp_list_set(LH, 0, &item_a, bi_timeout); }
static mp_err_t op_lpop(void) { return mp_list_pop(LH, -1, out.buf, bi_timeout); }
static mp_err_t op_lremove(void) { return mp_list_remove(LH, &item_a, bi_timeout); }
static mp_err_t op_lindex(void) { return mp_list_index(LH, &item_a, &out.len, bi_timeout); }
static mp_err_t op_lcount(void) { return mp_list_count(LH, &item_a, &out.len, bi_timeout); }
static mp_err_t op_llen(void) { return mp_list_len(LH, &out.len, bi_timeout); }
static mp_err_t op_lclear(void) { return mp_list_clear(LH, bi_timeout); }
static mp_err_t op_lsort(void) { return mp_list_sort(LH, NULL, NULL, false, bi_timeout); }
static mp_err_t op_liter(void) { return mp_list_iter(LH, &out.list_it, bi_timeout); }
static mp_err_t op_lnext(void)
{
    bad_list_it = (mp_list_iter_t){.id = bi_id};
    return mp_list_next(BI_KEPT(bad_list_it), out.buf, bi_timeout);
}

static const bi_op_t ops[] = {
    {"mp_dict_destroy", MPI_KIND_DICT, false, op_ddestroy},
    {"mp_dict_set", MPI_KIND_DICT, true, op_dset},
    {"mp_dict_get", MPI_KIND_DICT, true, op_dget},
    {"mp_dict_delete", MPI_KIND_DICT, true, op_ddelete},
    {"mp_dict_contains", MPI_KIND_DICT, true, op_dcontains},
    {"mp_dict_len", MPI_KIND_DICT, true, op_dlen},
    {"mp_dict_clear", MPI_KIND_DICT, true, op_dclear},
    {"mp_dict_pop", MPI_KIND_DICT, true, op_dpop},
    {"mp_dict_setdefault", MPI_KIND_DICT, true, op_dsetdefault},
    {"mp_dict_update", MPI_KIND_DICT, true, op_dupdate},
    {"mp_dict_update (other)", MPI_KIND_DICT, true, op_dupdate_from},
    {"mp_dict_add", MPI_KIND_DICT, true, op_dadd},
    {"mp_dict_iter", MPI_KIND_DICT, true, op_diter},
    {"mp_dict_next", MPI_KIND_DICT, true, op_dnext},
    {"mp_namespace_destroy", MPI_KIND_DICT, false, op_ndestroy},
    {"mp_namespace_set", MPI_KIND_DICT, true, op_nset},
    {"mp_namespace_get", MPI_KIND_DICT, true, op_nget},
    {"mp_namespace_del", MPI_KIND_DICT, true, op_ndel},
    {"mp_namespace_has", MPI_KIND_DICT, true, op_nhas},
    {"mp_namespace_read_exact", MPI_KIND_DICT, true, op_nread},
    {"mp_namespace_set_i64", MPI_KIND_DICT, true, op_nset_i64},
    {"mp_namespace_get_i64", MPI_KIND_DICT, true, op_nget_i64},
    {"mp_namespace_add_i64", MPI_KIND_DICT, true, op_nadd_i64},
    {"mp_namespace_set_f64", MPI_KIND_DICT, true, op_nset_f64},
    {"mp_namespace_get_f64", MPI_KIND_DICT, true, op_nget_f64},
    {"mp_namespace_set_str", MPI_KIND_DICT, true, op_nset_str},
    {"mp_namespace_get_str", MPI_KIND_DICT, true, op_nget_str},
    {"mp_list_destroy", MPI_KIND_LIST, false, op_ldestroy},
    {"mp_list_append", MPI_KIND_LIST, true, op_lappend},
    {"mp_list_extend", MPI_KIND_LIST, true, op_lextend},
    {"mp_list_insert", MPI_KIND_LIST, true, op_linsert},
    {"mp_list_get", MPI_KIND_LIST, true, op_lget},
    {"mp_list_set", MPI_KIND_LIST, true, op_lset},
    {"mp_list_pop", MPI_KIND_LIST, true, op_lpop},
    {"mp_list_remove", MPI_KIND_LIST, true, op_lremove},
    {"mp_list_index", MPI_KIND_LIST, true, op_lindex},
    {"mp_list_count", MPI_KIND_LIST, true, op_lcount},
    {"mp_list_len", MPI_KIND_LIST, true, op_llen},
    {"mp_list_clear", MPI_KIND_LIST, true, op_lclear},
    {"mp_list_sort", MPI_KIND_LIST, true, op_lsort},
    {"mp_list_iter", MPI_KIND_LIST, true, op_liter},
    {"mp_list_next", MPI_KIND_LIST, true, op_lnext},
};

/* ---- objects in the states the rows need ------------------------------------------------ */
static struct {
    mp_dict_t d;      /* keys of up to 4 bytes, values of up to 8; "a" (4 bytes), "n" (int64) */
    mp_dict_t full;   /* capacity 1: "a" */
    mp_dict_t wide;   /* "b": a value of 16 bytes (too long for d) */
    mp_dict_t long_keys; /* "abcdefgh": a key of 8 bytes (too long for d) */
    mp_namespace_t ns; /* a Dict of 2 fields: "s", 4 bytes */
    mp_dict_iter_t it, it_changed; /* on d: at its start; before d changed size */
    mp_dict_iter_t it_end;         /* on full: past its one entry */
    mp_list_t l;      /* items of 8 bytes, capacity 4: item_a, item_b */
    mp_list_t lfull;  /* capacity 1: item_a */
    mp_list_t lempty;
    mp_list_iter_t lit_end, lit_changed;
} st;

static void undo_dict(void) { (void)mp_dict_destroy(out.made.dict); }
static void undo_list(void) { (void)mp_list_destroy(out.made.list); }
static void undo_namespace(void) { (void)mp_namespace_destroy(out.made.ns); }

#define DICT_ATTR(cap, key, value)                                                            \
    (&(mp_dict_attr_t){.capacity = (cap), .key_size = (key), .value_size = (value)})
#define LIST_ATTR(cap, item) (&(mp_list_attr_t){.capacity = (cap), .item_size = (item)})
#define STALE_NS ((mp_namespace_t){{fx.stale[MPI_KIND_DICT]}})
#define MAX_CAP MP_CONF_CONTAINER_CAPACITY

#define DICT_ROWS(X)                                                                          \
    /* create */                                                                              \
    X(c1, MP_EINVAL, 0, undo_dict, mp_dict_create(NULL, DICT_ATTR(2, 4, 8)))                  \
    X(c2, MP_EINVAL, 0, undo_dict, mp_dict_create(&out.made.dict, NULL))                      \
    X(c3, MP_EINVAL, 0, undo_dict, mp_dict_create(&out.made.dict, DICT_ATTR(0, 4, 8)))        \
    X(c4, MP_EINVAL, 0, undo_dict, mp_dict_create(&out.made.dict, DICT_ATTR(MAX_CAP + 1, 4, 8))) \
    X(c5, MP_EINVAL, 0, undo_dict, mp_dict_create(&out.made.dict, DICT_ATTR(UINT32_MAX, 4, 8))) \
    X(c6, MP_EINVAL, 0, undo_dict, mp_dict_create(&out.made.dict, DICT_ATTR(2, 0, 8)))        \
    X(c7, MP_EINVAL, 0, undo_dict, mp_dict_create(&out.made.dict, DICT_ATTR(2, MP_CONF_DICT_KEY_SIZE + 1, 8))) \
    X(c8, MP_EINVAL, 0, undo_dict, mp_dict_create(&out.made.dict, DICT_ATTR(2, UINT32_MAX, 8))) \
    X(c9, MP_EINVAL, 0, undo_dict, mp_dict_create(&out.made.dict, DICT_ATTR(2, 4, 0)))        \
    X(c10, MP_EINVAL, 0, undo_dict, mp_dict_create(&out.made.dict, DICT_ATTR(2, 4, MP_CONF_DICT_VALUE_SIZE + 1))) \
    X(c11, MP_EINVAL, 0, undo_dict, mp_dict_create(&out.made.dict, DICT_ATTR(2, 4, UINT32_MAX))) \
    X(c12, MP_ENOMEM, 0, undo_dict, mp_dict_create(&out.made.dict, DICT_ATTR(MAX_CAP, MP_CONF_DICT_KEY_SIZE, MP_CONF_DICT_VALUE_SIZE))) \
    /* set: the key, then the value, then room */                                            \
    X(s1, MP_EINVAL, 0, NULL, mp_dict_set(st.d, NULL, bi_in, 4, MP_NOWAIT))                   \
    X(s2, MP_EINVAL, 0, NULL, mp_dict_set(st.d, "", bi_in, 4, MP_FOREVER))                    \
    X(s3, MP_EMSGSIZE, 0, NULL, mp_dict_set(st.d, "abcde", bi_in, 4, MP_NOWAIT))              \
    X(s4, MP_EMSGSIZE, 0, NULL, mp_dict_set(st.full, "abcdefghij", bi_in, 4, MP_FOREVER))     \
    X(s5, MP_EINVAL, 0, NULL, mp_dict_set(st.d, "a", NULL, 1, MP_NOWAIT))                     \
    X(s6, MP_EMSGSIZE, 0, NULL, mp_dict_set(st.d, "a", bi_in, 9, MP_NOWAIT))                  \
    X(s7, MP_EMSGSIZE, 0, NULL, mp_dict_set(st.full, "b", bi_in, SIZE_MAX, MP_FOREVER))       \
    X(s8, MP_ENOSPC, 0, NULL, mp_dict_set(st.full, "b", bi_in, 4, MP_NOWAIT))                 \
    X(s9, MP_ENOSPC, 0, NULL, mp_dict_set(st.full, "b", NULL, 0, MP_FOREVER))                 \
    /* get, pop */                                                                            \
    X(g1, MP_EINVAL, 0, NULL, mp_dict_get(st.d, NULL, out.buf, sizeof out.buf, &out.len, MP_NOWAIT)) \
    X(g2, MP_EINVAL, 0, NULL, mp_dict_get(st.d, "", out.buf, sizeof out.buf, &out.len, MP_NOWAIT)) \
    X(g3, MP_EMSGSIZE, 0, NULL, mp_dict_get(st.d, "abcde", out.buf, sizeof out.buf, &out.len, MP_FOREVER)) \
    X(g4, MP_EINVAL, 0, NULL, mp_dict_get(st.d, "a", out.buf, sizeof out.buf, NULL, MP_NOWAIT)) \
    X(g5, MP_EINVAL, 0, NULL, mp_dict_get(st.d, "a", NULL, 1, &out.len, MP_FOREVER))          \
    X(g6, MP_ENOENT, 0, NULL, mp_dict_get(st.d, "z", out.buf, sizeof out.buf, &out.len, MP_NOWAIT)) \
    X(g7, MP_ETOOSMALL, BI_OUT_LEN, NULL, mp_dict_get(st.d, "a", out.buf, 3, &out.len, MP_NOWAIT)) \
    X(g8, MP_ETOOSMALL, BI_OUT_LEN, NULL, mp_dict_get(st.d, "a", NULL, 0, &out.len, MP_FOREVER)) \
    X(p1, MP_EINVAL, 0, NULL, mp_dict_pop(st.d, NULL, out.buf, sizeof out.buf, &out.len, MP_NOWAIT)) \
    X(p2, MP_EINVAL, 0, NULL, mp_dict_pop(st.d, "a", out.buf, sizeof out.buf, NULL, MP_FOREVER)) \
    X(p3, MP_ENOENT, 0, NULL, mp_dict_pop(st.d, "z", out.buf, sizeof out.buf, &out.len, MP_NOWAIT)) \
    X(p4, MP_ETOOSMALL, BI_OUT_LEN, NULL, mp_dict_pop(st.d, "a", out.buf, 3, &out.len, MP_NOWAIT)) \
    /* delete, contains, len */                                                               \
    X(x1, MP_EINVAL, 0, NULL, mp_dict_delete(st.d, NULL, MP_NOWAIT))                          \
    X(x2, MP_EMSGSIZE, 0, NULL, mp_dict_delete(st.d, "abcde", MP_FOREVER))                    \
    X(x3, MP_ENOENT, 0, NULL, mp_dict_delete(st.d, "z", MP_NOWAIT))                           \
    X(x4, MP_ENOENT, 0, NULL, mp_dict_delete(st.d, "z", MP_FOREVER))                          \
    X(k1, MP_EINVAL, 0, NULL, mp_dict_contains(st.d, "", &out.flag, MP_NOWAIT))               \
    X(k2, MP_EINVAL, 0, NULL, mp_dict_contains(st.d, "a", NULL, MP_FOREVER))                  \
    X(k3, MP_EMSGSIZE, 0, NULL, mp_dict_contains(st.d, "abcde", &out.flag, MP_NOWAIT))        \
    X(n1, MP_EINVAL, 0, NULL, mp_dict_len(st.d, NULL, MP_FOREVER))                            \
    /* setdefault: the key, the default, the output, then the state */                       \
    X(f1, MP_EINVAL, 0, NULL, mp_dict_setdefault(st.d, NULL, bi_in, 4, NULL, 0, NULL, MP_NOWAIT)) \
    X(f2, MP_EINVAL, 0, NULL, mp_dict_setdefault(st.d, "b", NULL, 1, NULL, 0, NULL, MP_NOWAIT)) \
    X(f3, MP_EINVAL, 0, NULL, mp_dict_setdefault(st.d, "b", bi_in, 4, NULL, 1, &out.len, MP_FOREVER)) \
    X(f4, MP_EINVAL, 0, NULL, mp_dict_setdefault(st.d, "b", bi_in, 4, out.buf, 8, NULL, MP_NOWAIT)) \
    X(f5, MP_EMSGSIZE, 0, NULL, mp_dict_setdefault(st.d, "b", bi_in, 9, NULL, 0, NULL, MP_NOWAIT)) \
    X(f6, MP_EMSGSIZE, 0, NULL, mp_dict_setdefault(st.full, "b", bi_in, SIZE_MAX, NULL, 0, NULL, MP_FOREVER)) \
    X(f7, MP_ENOSPC, 0, NULL, mp_dict_setdefault(st.full, "b", bi_in, 4, NULL, 0, NULL, MP_NOWAIT)) \
    X(f8, MP_ETOOSMALL, BI_OUT_LEN, NULL, mp_dict_setdefault(st.d, "b", bi_in, 4, out.buf, 2, &out.len, MP_NOWAIT)) \
    X(f9, MP_ETOOSMALL, BI_OUT_LEN, NULL, mp_dict_setdefault(st.d, "a", bi_in, 1, out.buf, 2, &out.len, MP_NOWAIT)) \
    /* add */                                                                                 \
    X(a1, MP_EINVAL, 0, NULL, mp_dict_add(st.d, NULL, 1, &out.i64, MP_NOWAIT))                \
    X(a2, MP_EMSGSIZE, 0, NULL, mp_dict_add(st.d, "abcde", 1, &out.i64, MP_FOREVER))          \
    X(a3, MP_ENOENT, 0, NULL, mp_dict_add(st.d, "z", 1, &out.i64, MP_NOWAIT))                 \
    X(a4, MP_EINVAL, 0, NULL, mp_dict_add(st.d, "a", 1, &out.i64, MP_NOWAIT))                 \
    X(a5, MP_EINVAL, 0, NULL, mp_dict_add(st.d, "a", INT64_MIN, NULL, MP_FOREVER))            \
    /* update: every entry checked before any is set */                                       \
    X(u1, MP_EMSGSIZE, 0, NULL, mp_dict_update(st.d, st.wide, MP_NOWAIT))                     \
    X(u2, MP_EMSGSIZE, 0, NULL, mp_dict_update(st.d, st.long_keys, MP_FOREVER))               \
    X(u3, MP_ENOSPC, 0, NULL, mp_dict_update(st.full, st.d, MP_NOWAIT))                       \
    X(u4, MP_ENOSPC, 0, NULL, mp_dict_update(st.full, st.d, MP_FOREVER))                      \
    /* iteration: a refused next leaves the iterator where it was */                          \
    X(i1, MP_EINVAL, 0, NULL, mp_dict_iter(st.d, NULL, MP_NOWAIT))                            \
    X(i2, MP_EINVAL, 0, NULL, mp_dict_next(NULL, out.name, sizeof out.name, NULL, 0, NULL, MP_NOWAIT)) \
    X(i3, MP_EINVAL, 0, NULL, mp_dict_next(BI_KEPT(st.it), NULL, 1, NULL, 0, NULL, MP_NOWAIT)) \
    X(i4, MP_EINVAL, 0, NULL, mp_dict_next(BI_KEPT(st.it), NULL, 0, NULL, 1, &out.len, MP_FOREVER)) \
    X(i5, MP_EINVAL, 0, NULL, mp_dict_next(BI_KEPT(st.it), NULL, 0, out.buf, 8, NULL, MP_NOWAIT)) \
    X(i6, MP_ETOOSMALL, BI_OUT_LEN, NULL, mp_dict_next(BI_KEPT(st.it), out.name, 1, out.buf, 8, &out.len, MP_NOWAIT)) \
    X(i7, MP_ETOOSMALL, BI_OUT_LEN, NULL, mp_dict_next(BI_KEPT(st.it), NULL, 0, out.buf, 3, &out.len, MP_NOWAIT)) \
    X(i8, MP_ENOENT, 0, NULL, mp_dict_next(BI_KEPT(st.it_end), out.name, sizeof out.name, NULL, 0, NULL, MP_NOWAIT)) \
    X(i9, MP_ECHANGED, 0, NULL, mp_dict_next(BI_KEPT(st.it_changed), out.name, sizeof out.name, NULL, 0, NULL, MP_FOREVER)) \
    /* Namespace: its own checks come after the dict's handle, as every call's do */         \
    X(m1, MP_EINVAL, 0, undo_namespace, mp_namespace_create(NULL, 2, 8))                      \
    X(m2, MP_EINVAL, 0, undo_namespace, mp_namespace_create(&out.made.ns, 2, 7))                   \
    X(m3, MP_EINVAL, 0, undo_namespace, mp_namespace_create(&out.made.ns, 0, 8))                   \
    X(m4, MP_EINVAL, 0, NULL, mp_namespace_get_i64(st.ns, "s", &out.i64, MP_NOWAIT))          \
    X(m5, MP_EINVAL, 0, NULL, mp_namespace_get_f64(st.ns, "s", (double *)out.buf, MP_FOREVER)) \
    X(m6, MP_EINVAL, 0, NULL, mp_namespace_read_exact(st.ns, "s", NULL, 4, MP_NOWAIT))        \
    X(m7, MP_EINVAL, 0, NULL, mp_namespace_read_exact(st.ns, "s", out.buf, 0, MP_NOWAIT))     \
    X(m8, MP_EINVAL, 0, NULL, mp_namespace_read_exact(st.ns, "s", out.buf, 17, MP_NOWAIT))    \
    X(m9, MP_EINVAL, 0, NULL, mp_namespace_set_str(st.ns, "s", NULL, MP_NOWAIT))              \
    X(m10, MP_ENOENT, 0, NULL, mp_namespace_get_i64(st.ns, "z", &out.i64, MP_NOWAIT))         \
    X(m11, MP_ESTALE, 0, NULL, mp_namespace_get_i64(STALE_NS, "s", NULL, MP_NOWAIT))          \
    X(m12, MP_ESTALE, 0, NULL, mp_namespace_read_exact(STALE_NS, "s", out.buf, 0, MP_NOWAIT)) \
    X(m13, MP_ESTALE, 0, NULL, mp_namespace_set_str(STALE_NS, "s", NULL, MP_NOWAIT))          \
    X(m14, MP_EHANDLE, 0, NULL, mp_namespace_get_f64((mp_namespace_t){{0}}, "s", NULL, MP_NOWAIT))

/* The busy list is locked by a live process: every call waits for it, after checking its
 * arguments (refused at once, whatever the timeout). */
#define LIST_ROWS(X)                                                                          \
    /* create */                                                                              \
    X(c1, MP_EINVAL, 0, undo_list, mp_list_create(NULL, LIST_ATTR(2, 8)))                     \
    X(c2, MP_EINVAL, 0, undo_list, mp_list_create(&out.made.list, NULL))                      \
    X(c3, MP_EINVAL, 0, undo_list, mp_list_create(&out.made.list, LIST_ATTR(0, 8)))           \
    X(c4, MP_EINVAL, 0, undo_list, mp_list_create(&out.made.list, LIST_ATTR(MAX_CAP + 1, 8))) \
    X(c5, MP_EINVAL, 0, undo_list, mp_list_create(&out.made.list, LIST_ATTR(UINT32_MAX, 8)))  \
    X(c6, MP_EINVAL, 0, undo_list, mp_list_create(&out.made.list, LIST_ATTR(2, 0)))           \
    X(c7, MP_EINVAL, 0, undo_list, mp_list_create(&out.made.list, LIST_ATTR(2, MP_CONF_LIST_ITEM_SIZE + 1))) \
    X(c8, MP_EINVAL, 0, undo_list, mp_list_create(&out.made.list, LIST_ATTR(2, UINT32_MAX)))  \
    X(c9, MP_ENOMEM, 0, undo_list, mp_list_create(&out.made.list, LIST_ATTR(MAX_CAP, MP_CONF_LIST_ITEM_SIZE))) \
    /* append, extend, insert */                                                              \
    X(a1, MP_EINVAL, 0, NULL, mp_list_append(st.l, NULL, MP_NOWAIT))                          \
    X(a2, MP_EINVAL, 0, NULL, mp_list_append(st.lfull, NULL, MP_FOREVER))                     \
    X(a3, MP_ENOSPC, 0, NULL, mp_list_append(st.lfull, &item_b, MP_NOWAIT))                   \
    X(a4, MP_ENOSPC, 0, NULL, mp_list_append(st.lfull, &item_b, MP_FOREVER))                  \
    X(e1, MP_EINVAL, 0, NULL, mp_list_extend(st.l, NULL, 1, MP_NOWAIT))                       \
    X(e2, MP_EINVAL, 0, NULL, mp_list_extend(st.lfull, NULL, SIZE_MAX, MP_FOREVER))           \
    X(e3, MP_ENOSPC, 0, NULL, mp_list_extend(st.l, bi_in, 3, MP_NOWAIT))                      \
    X(e4, MP_ENOSPC, 0, NULL, mp_list_extend(st.l, bi_in, SIZE_MAX, MP_FOREVER))              \
    X(e5, MP_ENOSPC, 0, NULL, mp_list_extend(st.lfull, items_ab, 1, MP_NOWAIT))               \
    X(n1, MP_EINVAL, 0, NULL, mp_list_insert(st.l, 0, NULL, MP_NOWAIT))                       \
    X(n2, MP_ENOSPC, 0, NULL, mp_list_insert(st.lfull, 0, &item_b, MP_NOWAIT))                \
    X(n3, MP_ENOSPC, 0, NULL, mp_list_insert(st.lfull, -1, &item_b, MP_FOREVER))              \
    X(n4, MP_ENOSPC, 0, NULL, mp_list_insert(st.lfull, INT32_MIN, &item_b, MP_NOWAIT))        \
    X(n5, MP_ENOSPC, 0, NULL, mp_list_insert(st.lfull, INT32_MAX, &item_b, MP_NOWAIT))        \
    /* get, set, pop: Python's indexes */                                                     \
    X(g1, MP_EINVAL, 0, NULL, mp_list_get(st.l, 0, NULL, MP_NOWAIT))                          \
    X(g2, MP_ERANGE, 0, NULL, mp_list_get(st.l, 2, out.buf, MP_NOWAIT))                       \
    X(g3, MP_ERANGE, 0, NULL, mp_list_get(st.l, -3, out.buf, MP_FOREVER))                     \
    X(g4, MP_ERANGE, 0, NULL, mp_list_get(st.l, INT32_MAX, out.buf, MP_NOWAIT))               \
    X(g5, MP_ERANGE, 0, NULL, mp_list_get(st.l, INT32_MIN, out.buf, MP_NOWAIT))               \
    X(g6, MP_ERANGE, 0, NULL, mp_list_get(st.lempty, 0, out.buf, MP_NOWAIT))                  \
    X(g7, MP_ERANGE, 0, NULL, mp_list_get(st.lempty, -1, out.buf, MP_NOWAIT))                 \
    X(s1, MP_EINVAL, 0, NULL, mp_list_set(st.l, 0, NULL, MP_NOWAIT))                          \
    X(s2, MP_ERANGE, 0, NULL, mp_list_set(st.l, 2, &item_x, MP_NOWAIT))                       \
    X(s3, MP_ERANGE, 0, NULL, mp_list_set(st.l, -3, &item_x, MP_FOREVER))                     \
    X(s4, MP_ERANGE, 0, NULL, mp_list_set(st.lempty, INT32_MIN, &item_x, MP_NOWAIT))          \
    X(p1, MP_ERANGE, 0, NULL, mp_list_pop(st.l, 2, out.buf, MP_NOWAIT))                       \
    X(p2, MP_ERANGE, 0, NULL, mp_list_pop(st.l, -3, NULL, MP_FOREVER))                        \
    X(p3, MP_ERANGE, 0, NULL, mp_list_pop(st.lempty, -1, out.buf, MP_NOWAIT))                 \
    X(p4, MP_ERANGE, 0, NULL, mp_list_pop(st.lempty, 0, NULL, MP_NOWAIT))                     \
    X(p5, MP_ERANGE, 0, NULL, mp_list_pop(st.lempty, INT32_MAX, out.buf, MP_NOWAIT))          \
    /* remove, index, count, len */                                                           \
    X(r1, MP_EINVAL, 0, NULL, mp_list_remove(st.l, NULL, MP_NOWAIT))                          \
    X(r2, MP_ENOENT, 0, NULL, mp_list_remove(st.l, &item_x, MP_NOWAIT))                       \
    X(r3, MP_ENOENT, 0, NULL, mp_list_remove(st.lempty, &item_a, MP_FOREVER))                 \
    X(x1, MP_EINVAL, 0, NULL, mp_list_index(st.l, NULL, &out.len, MP_NOWAIT))                 \
    X(x2, MP_EINVAL, 0, NULL, mp_list_index(st.l, &item_a, NULL, MP_FOREVER))                 \
    X(x3, MP_ENOENT, 0, NULL, mp_list_index(st.l, &item_x, &out.len, MP_NOWAIT))              \
    X(k1, MP_EINVAL, 0, NULL, mp_list_count(st.l, NULL, &out.len, MP_NOWAIT))                 \
    X(k2, MP_EINVAL, 0, NULL, mp_list_count(st.l, &item_a, NULL, MP_FOREVER))                 \
    X(l1, MP_EINVAL, 0, NULL, mp_list_len(st.l, NULL, MP_NOWAIT))                             \
    /* iteration */                                                                           \
    X(i1, MP_EINVAL, 0, NULL, mp_list_iter(st.l, NULL, MP_NOWAIT))                            \
    X(i2, MP_EINVAL, 0, NULL, mp_list_next(NULL, out.buf, MP_NOWAIT))                         \
    X(i3, MP_EINVAL, 0, NULL, mp_list_next(BI_KEPT(st.lit_end), NULL, MP_FOREVER))            \
    X(i4, MP_ENOENT, 0, NULL, mp_list_next(BI_KEPT(st.lit_end), out.buf, MP_NOWAIT))          \
    X(i5, MP_ECHANGED, 0, NULL, mp_list_next(BI_KEPT(st.lit_changed), out.buf, MP_FOREVER))   \
    /* locked by the holder */                                                                \
    X(b1, MP_EAGAIN, 0, NULL, mp_list_append(fx.list_busy, &item_a, MP_NOWAIT))               \
    X(b2, MP_ETIMEDOUT, BI_WAITS | BI_LOCK_WAITERS, NULL, mp_list_append(fx.list_busy, &item_a, 1)) \
    X(b3, MP_EAGAIN, 0, NULL, mp_list_get(fx.list_busy, 0, out.buf, MP_NOWAIT))               \
    X(b4, MP_ETIMEDOUT, BI_WAITS | BI_LOCK_WAITERS, NULL, mp_list_pop(fx.list_busy, 0, out.buf, 1)) \
    X(b5, MP_EAGAIN, 0, NULL, mp_list_len(fx.list_busy, &out.len, MP_NOWAIT))                 \
    X(b6, MP_EAGAIN, 0, NULL, mp_list_sort(fx.list_busy, NULL, NULL, true, MP_NOWAIT))        \
    X(b7, MP_ETIMEDOUT, BI_WAITS | BI_LOCK_WAITERS, NULL, mp_list_iter(fx.list_busy, &out.list_it, 7)) \
    X(b8, MP_EAGAIN, 0, NULL, mp_list_clear(fx.list_busy, MP_NOWAIT))                         \
    X(b9, MP_EINVAL, 0, NULL, mp_list_append(fx.list_busy, NULL, MP_FOREVER))                 \
    X(b10, MP_EINVAL, 0, NULL, mp_list_get(fx.list_busy, 0, NULL, MP_FOREVER))                \
    X(b11, MP_EINVAL, 0, NULL, mp_list_index(fx.list_busy, &item_a, NULL, MP_FOREVER))        \
    X(b12, MP_EINVAL, 0, NULL, mp_list_iter(fx.list_busy, NULL, MP_FOREVER))

/* One table; the list's rows are named l_<row>. */
#define BI_FN_L(name, ...) BI_FN(l_##name, __VA_ARGS__)
#define BI_ENTRY_L(name, ...) BI_ENTRY(l_##name, __VA_ARGS__)
DICT_ROWS(BI_FN)
LIST_ROWS(BI_FN_L)
static const bi_row_t rows[] = {DICT_ROWS(BI_ENTRY) LIST_ROWS(BI_ENTRY_L)};

static void make_states(void)
{
    int64_t zero = 0;
    OK(mp_dict_create(&st.d, DICT_ATTR(4, 4, 8)));
    OK(mp_dict_set(st.d, "a", bi_in, 4, MP_NOWAIT));
    OK(mp_dict_set(st.d, "n", &zero, sizeof zero, MP_NOWAIT));
    OK(mp_dict_create(&st.full, DICT_ATTR(1, 4, 8)));
    OK(mp_dict_set(st.full, "a", bi_in, 4, MP_NOWAIT));
    OK(mp_dict_create(&st.wide, DICT_ATTR(1, 4, 16)));
    OK(mp_dict_set(st.wide, "b", bi_in, 16, MP_NOWAIT));
    OK(mp_dict_create(&st.long_keys, DICT_ATTR(1, 8, 8)));
    OK(mp_dict_set(st.long_keys, "abcdefgh", bi_in, 1, MP_NOWAIT));
    OK(mp_namespace_create(&st.ns, 2, 8));
    OK(mp_namespace_set(st.ns, "s", bi_in, 4, MP_NOWAIT));
    OK(mp_dict_iter(st.d, &st.it_changed, MP_NOWAIT));
    OK(mp_dict_set(st.d, "c", bi_in, 1, MP_NOWAIT)); /* a size change, and back */
    OK(mp_dict_delete(st.d, "c", MP_NOWAIT));
    OK(mp_dict_iter(st.d, &st.it, MP_NOWAIT));
    OK(mp_dict_iter(st.full, &st.it_end, MP_NOWAIT));
    OK(mp_dict_next(&st.it_end, NULL, 0, NULL, 0, NULL, MP_NOWAIT));

    OK(mp_list_create(&st.l, LIST_ATTR(4, 8)));
    OK(mp_list_extend(st.l, items_ab, 2, MP_NOWAIT));
    OK(mp_list_create(&st.lfull, LIST_ATTR(1, 8)));
    OK(mp_list_append(st.lfull, &item_a, MP_NOWAIT));
    OK(mp_list_create(&st.lempty, LIST_ATTR(2, 8)));
    OK(mp_list_iter(st.lfull, &st.lit_end, MP_NOWAIT));
    OK(mp_list_next(&st.lit_end, out.buf, MP_NOWAIT));
    OK(mp_list_iter(st.l, &st.lit_changed, MP_NOWAIT));
    OK(mp_list_append(st.l, &item_x, MP_NOWAIT));
    OK(mp_list_pop(st.l, -1, NULL, MP_NOWAIT));
}

static void free_states(void)
{
    OK(mp_dict_destroy(st.d));
    OK(mp_dict_destroy(st.full));
    OK(mp_dict_destroy(st.wide));
    OK(mp_dict_destroy(st.long_keys));
    OK(mp_namespace_destroy(st.ns));
    OK(mp_list_destroy(st.l));
    OK(mp_list_destroy(st.lfull));
    OK(mp_list_destroy(st.lempty));
}

int main(void)
{
    return bi_main(&(bi_suite_t){.name = "manager", .noun = "dict and list",
                                 .ops = ops, .n_ops = BI_COUNT(ops),
                                 .rows = rows, .n_rows = BI_COUNT(rows),
                                 .make_states = make_states, .free_states = free_states});
}
