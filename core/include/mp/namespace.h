/*
 * Namespace: CPython's Manager().Namespace(), named fields that every process sets and
 * reads, as a thin typed layer over a Dict (the same kind: an mp_namespace_t wraps a dict
 * handle, and every rule of mp/dict.h holds). A field not set is MP_ENOENT
 * (AttributeError); a typed read of a field of another size is MP_EINVAL.
 *
 *     mp_namespace_t ns;
 *     mp_namespace_create(&ns, 8, 64);               (8 fields of up to 64 bytes)
 *     mp_namespace_set_i64(ns, "x", 1, MP_FOREVER);  (ns.x = 1)
 *     mp_namespace_get_i64(ns, "x", &x, MP_FOREVER);
 */
#ifndef MP_NAMESPACE_H
#define MP_NAMESPACE_H

#include "mp/dict.h"

typedef struct {
    mp_dict_t dict;
} mp_namespace_t;

/* Names up to MP_CONF_DICT_KEY_SIZE bytes; values up to value_size bytes (at least 8).
 * Bad arguments here and below are handed to the Dict call as ones it refuses, so that
 * they are reported in the one order of checks (README, "Errors"): after the Dict's own. */
static inline mp_err_t mp_namespace_create(mp_namespace_t *ns, uint32_t fields,
                                           uint32_t value_size)
{
    return mp_dict_create(ns != NULL ? &ns->dict : NULL,
                          &(mp_dict_attr_t){.capacity = fields,
                                            .key_size = MP_CONF_DICT_KEY_SIZE,
                                            .value_size = value_size >= 8u ? value_size : 0u});
}
static inline mp_err_t mp_namespace_destroy(mp_namespace_t ns)
{
    return mp_dict_destroy(ns.dict);
}

/* Bytes. */
static inline mp_err_t mp_namespace_set(mp_namespace_t ns, const char *name, const void *value,
                                        size_t len, mp_timeout_t timeout)
{
    return mp_dict_set(ns.dict, name, value, len, timeout);
}
static inline mp_err_t mp_namespace_get(mp_namespace_t ns, const char *name, void *buf,
                                        size_t size, size_t *len, mp_timeout_t timeout)
{
    return mp_dict_get(ns.dict, name, buf, size, len, timeout);
}
/* del ns.name */
static inline mp_err_t mp_namespace_del(mp_namespace_t ns, const char *name, mp_timeout_t timeout)
{
    return mp_dict_delete(ns.dict, name, timeout);
}
/* hasattr(ns, name) */
static inline mp_err_t mp_namespace_has(mp_namespace_t ns, const char *name, bool *found,
                                        mp_timeout_t timeout)
{
    return mp_dict_contains(ns.dict, name, found, timeout);
}

/* A fixed-size field of up to 16 bytes (a number, a small struct): read back only with
 * its own size; on any failure *out is left as it was. */
static inline mp_err_t mp_namespace_read_exact(mp_namespace_t ns, const char *name, void *out,
                                               size_t size, mp_timeout_t timeout)
{
    uint8_t tmp[16];
    size_t len = 0;
    bool bad = out == NULL || size == 0 || size > sizeof tmp;
    /* bad: a NULL name, which the dict refuses (MP_EINVAL) once the handle passed */
    mp_err_t err = mp_dict_get(ns.dict, bad ? NULL : name, tmp, sizeof tmp, &len, timeout);
    if (err == MP_ETOOSMALL || (err == MP_OK && (bad || len != size)))
        return MP_EINVAL;
    for (size_t i = 0; err == MP_OK && i < size; i++)
        ((uint8_t *)out)[i] = tmp[i];
    return err;
}

static inline mp_err_t mp_namespace_set_i64(mp_namespace_t ns, const char *name, int64_t v,
                                            mp_timeout_t timeout)
{
    return mp_dict_set(ns.dict, name, &v, sizeof v, timeout);
}
static inline mp_err_t mp_namespace_get_i64(mp_namespace_t ns, const char *name, int64_t *v,
                                            mp_timeout_t timeout)
{
    return mp_namespace_read_exact(ns, name, v, sizeof *v, timeout);
}
/* ns.name += delta, atomically. */
static inline mp_err_t mp_namespace_add_i64(mp_namespace_t ns, const char *name, int64_t delta,
                                            int64_t *previous, mp_timeout_t timeout)
{
    return mp_dict_add(ns.dict, name, delta, previous, timeout);
}
static inline mp_err_t mp_namespace_set_f64(mp_namespace_t ns, const char *name, double v,
                                            mp_timeout_t timeout)
{
    return mp_dict_set(ns.dict, name, &v, sizeof v, timeout);
}
static inline mp_err_t mp_namespace_get_f64(mp_namespace_t ns, const char *name, double *v,
                                            mp_timeout_t timeout)
{
    return mp_namespace_read_exact(ns, name, v, sizeof *v, timeout);
}
/* A string field, NUL included in what is stored. */
static inline mp_err_t mp_namespace_set_str(mp_namespace_t ns, const char *name, const char *s,
                                            mp_timeout_t timeout)
{
    size_t n = 0;
    while (s != NULL && s[n] != '\0')
        n++;
    return mp_dict_set(ns.dict, name, s, n + 1u, timeout); /* s NULL: MP_EINVAL */
}
static inline mp_err_t mp_namespace_get_str(mp_namespace_t ns, const char *name, char *buf,
                                            size_t size, mp_timeout_t timeout)
{
    size_t len = 0;
    return mp_dict_get(ns.dict, name, buf, size, &len, timeout);
}

#endif
