/*
 * List: CPython's Manager().list() of fixed-size items, without a server process.
 *
 * Every item is `item_size` bytes (a struct, a number: fixed at create), at most
 * `capacity` of them; the storage comes from the shared arena, so every process sees one
 * list. Items are copied in and out. Equality (remove, index, count) is byte equality.
 *
 * Indexes are Python's: 0 is the first item, -1 the last; one out of range is MP_ERANGE
 * (IndexError). insert clamps its index as CPython does (never MP_ERANGE). pop(l, -1, ...)
 * is pop(), pop(l, 0, ...) takes from the front.
 *
 * Every operation is atomic and crash-consistent as a Dict's (mp/dict.h, core/records.h):
 * a process killed at any point of append, extend, insert, pop, remove, set, clear or
 * sort leaves the list with the whole change or none of it. Timeouts, MP_EISR, MP_EAGAIN
 * and MP_ETIMEDOUT as for a Dict. Full is MP_ENOSPC (extend adds all or nothing);
 * remove, index of an item not in the list is MP_ENOENT (ValueError); an iterator whose
 * list changed size since it started is MP_ECHANGED.
 */
#ifndef MP_LIST_H
#define MP_LIST_H

#include "mp/config.h"
#include "mp/types.h"

typedef struct {
    uint32_t id;
} mp_list_t;

typedef struct {
    uint32_t capacity;  /* most items, 1..MP_CONF_CONTAINER_CAPACITY */
    uint32_t item_size; /* bytes of every item, 1..MP_CONF_LIST_ITEM_SIZE */
} mp_list_attr_t;

typedef struct {
    uint32_t id;
    uint32_t pos;
    uint32_t version;
} mp_list_iter_t;

/* Orders two items: < 0, 0, > 0 (a qsort comparison with a context). */
typedef int (*mp_list_cmp_fn)(const void *a, const void *b, void *ctx);

/* @retval MP_EINVAL a shape out of bounds  @retval MP_ENOMEM the arena has no room */
mp_err_t mp_list_create(mp_list_t *l, const mp_list_attr_t *attr);
mp_err_t mp_list_destroy(mp_list_t l);

mp_err_t mp_list_append(mp_list_t l, const void *item, mp_timeout_t timeout);
/* n items, contiguous. @retval MP_ENOSPC not room for all (none added) */
mp_err_t mp_list_extend(mp_list_t l, const void *items, size_t n, mp_timeout_t timeout);
mp_err_t mp_list_insert(mp_list_t l, int32_t index, const void *item, mp_timeout_t timeout);
/* @retval MP_ERANGE */
mp_err_t mp_list_get(mp_list_t l, int32_t index, void *out, mp_timeout_t timeout);
mp_err_t mp_list_set(mp_list_t l, int32_t index, const void *item, mp_timeout_t timeout);
/* Removes the item at index, copied into out (NULL: dropped). @retval MP_ERANGE (also
 * on an empty list) */
mp_err_t mp_list_pop(mp_list_t l, int32_t index, void *out, mp_timeout_t timeout);
/* Removes the first item equal to item. @retval MP_ENOENT none */
mp_err_t mp_list_remove(mp_list_t l, const void *item, mp_timeout_t timeout);
/* *index = position of the first item equal to item. @retval MP_ENOENT none */
mp_err_t mp_list_index(mp_list_t l, const void *item, size_t *index, mp_timeout_t timeout);
mp_err_t mp_list_count(mp_list_t l, const void *item, size_t *count, mp_timeout_t timeout);
mp_err_t mp_list_len(mp_list_t l, size_t *len, mp_timeout_t timeout);
mp_err_t mp_list_clear(mp_list_t l, mp_timeout_t timeout);
/* Sorts in place, stable (equal items keep their order, also with reverse), with cmp
 * (NULL: byte order, memcmp) run in the caller while the list is locked: cmp must not
 * call the list. Binary insertion: at most about n log2 n comparisons. */
mp_err_t mp_list_sort(mp_list_t l, mp_list_cmp_fn cmp, void *ctx, bool reverse,
                      mp_timeout_t timeout);

mp_err_t mp_list_iter(mp_list_t l, mp_list_iter_t *it, mp_timeout_t timeout);
/* The next item into out. @retval MP_ENOENT no more  @retval MP_ECHANGED the list changed
 * size since mp_list_iter */
mp_err_t mp_list_next(mp_list_iter_t *it, void *out, mp_timeout_t timeout);

#endif
