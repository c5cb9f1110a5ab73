/*
 * Dict: CPython's Manager().dict() without a server process.
 *
 * String keys (1..key_size bytes, NUL-terminated), byte-string values (0..value_size
 * bytes), at most `capacity` entries, all fixed at create; the storage comes from the
 * shared arena, so every process sees one dict. Values are copied in and out (what the
 * Manager's pickling does): changing a copy changes nothing until it is set again.
 * Iteration is in insertion order; replacing a key's value keeps its place.
 *
 * Every operation is atomic: it runs under the dict's own robust lock, and a change is
 * written where nobody looks and then published by one store, so a process killed at any
 * point of one leaves the dict with the whole change or none of it; the next caller takes
 * the lock over and sees MP_OK (core/records.h). One exception: `update` is a sequence of
 * sets, each atomic, and a process killed in the middle of one leaves a prefix of the
 * other dict's entries set (never a torn entry, and never more than fit: its room is
 * checked first).
 *
 * Every call that takes the lock takes a timeout for it: MP_NOWAIT while another process
 * holds it is MP_EAGAIN, a timed wait that ends is MP_ETIMEDOUT; in an interrupt handler
 * only MP_NOWAIT is allowed (MP_EISR).
 *
 * Codes: a missing key is MP_ENOENT (KeyError); a new key in a full dict is MP_ENOSPC; a
 * NULL or empty key is MP_EINVAL, a key or value longer than the dict's sizes MP_EMSGSIZE;
 * a buffer too small for the value is MP_ETOOSMALL with the size needed in *len (nothing
 * is removed); an iterator whose dict changed size since it started is MP_ECHANGED
 * (CPython's "dictionary changed size during iteration").
 */
#ifndef MP_DICT_H
#define MP_DICT_H

#include "mp/config.h"
#include "mp/types.h"

typedef struct {
    uint32_t id;
} mp_dict_t;

typedef struct {
    uint32_t capacity;   /* most entries, 1..MP_CONF_CONTAINER_CAPACITY */
    uint32_t key_size;   /* longest key in bytes, NUL not counted, 1..MP_CONF_DICT_KEY_SIZE */
    uint32_t value_size; /* longest value in bytes, 1..MP_CONF_DICT_VALUE_SIZE */
} mp_dict_attr_t;

/* An iteration over a dict, in insertion order: keys, values or items (mp_dict_next). */
typedef struct {
    uint32_t id;
    uint32_t pos;
    uint32_t version;
} mp_dict_iter_t;

/* @retval MP_EINVAL a shape out of bounds  @retval MP_ENOMEM the arena has no room */
mp_err_t mp_dict_create(mp_dict_t *d, const mp_dict_attr_t *attr);
mp_err_t mp_dict_destroy(mp_dict_t d);

/* d[key] = value (len bytes). @retval MP_ENOSPC a new key, and the dict is full */
mp_err_t mp_dict_set(mp_dict_t d, const char *key, const void *value, size_t len,
                     mp_timeout_t timeout);
/* Copies d[key] into buf (size bytes); *len = its length. @retval MP_ENOENT
 * @retval MP_ETOOSMALL *len = the size needed */
mp_err_t mp_dict_get(mp_dict_t d, const char *key, void *buf, size_t size, size_t *len,
                     mp_timeout_t timeout);
/* del d[key]. @retval MP_ENOENT */
mp_err_t mp_dict_delete(mp_dict_t d, const char *key, mp_timeout_t timeout);
/* key in d */
mp_err_t mp_dict_contains(mp_dict_t d, const char *key, bool *found, mp_timeout_t timeout);
mp_err_t mp_dict_len(mp_dict_t d, size_t *len, mp_timeout_t timeout);
mp_err_t mp_dict_clear(mp_dict_t d, mp_timeout_t timeout);
/* d.pop(key): get, then delete. @retval MP_ENOENT @retval MP_ETOOSMALL (not removed) */
mp_err_t mp_dict_pop(mp_dict_t d, const char *key, void *buf, size_t size, size_t *len,
                     mp_timeout_t timeout);
/* d.setdefault(key, dflt): sets key to dflt (dlen bytes) if it is missing, then copies the
 * key's value out as get does (buf NULL, size 0 and len NULL: no copy).
 * @retval MP_ENOSPC missing and full  @retval MP_ETOOSMALL (nothing set) */
mp_err_t mp_dict_setdefault(mp_dict_t d, const char *key, const void *dflt, size_t dlen,
                            void *buf, size_t size, size_t *len, mp_timeout_t timeout);
/* d.update(other): every entry of other set in d, both locked (in a fixed order, so two
 * opposite updates cannot deadlock). @retval MP_EMSGSIZE an entry of other exceeds d's
 * sizes  @retval MP_ENOSPC d has no room for other's new keys (nothing set) */
mp_err_t mp_dict_update(mp_dict_t d, mp_dict_t other, mp_timeout_t timeout);

/* d[key] += delta on a value holding an int64_t (8 bytes, native order), atomically:
 * `d['num'] -= 1` from many processes needs no Lock. *previous (optional) = the value
 * before. @retval MP_ENOENT  @retval MP_EINVAL the value is not 8 bytes (CPython's
 * TypeError) */
mp_err_t mp_dict_add(mp_dict_t d, const char *key, int64_t delta, int64_t *previous,
                     mp_timeout_t timeout);

/* Starts an iteration (iter(d)). */
mp_err_t mp_dict_iter(mp_dict_t d, mp_dict_iter_t *it, mp_timeout_t timeout);
/* The next entry: its key into key (key_size bytes, NUL included: key_size + 1 of the
 * attribute always fits) and its value into value (value_size bytes; *value_len = its
 * length); NULL and 0 for the part not wanted (keys(), values(), items()).
 * @retval MP_ENOENT no more entries (StopIteration)  @retval MP_ECHANGED the dict changed
 * size since mp_dict_iter  @retval MP_ETOOSMALL a buffer too small (*value_len = the
 * value's length; the iteration stays at this entry) */
mp_err_t mp_dict_next(mp_dict_iter_t *it, char *key, size_t key_size, void *value,
                      size_t value_size, size_t *value_len, mp_timeout_t timeout);

#endif
