/*
 * Value and Array: typed data in the shared arena (CPython's sharedctypes).
 *
 * Storage comes from one arena in the world (MP_CONF_ARENA_SIZE bytes) and is zero-filled
 * at creation even when the memory held something before. With a lock (the default,
 * CPython's lock=True) every get/set/read/write runs under the object's own RLock, which
 * get_lock returns so that a read-modify-write can hold it across several calls; a raw
 * object (CPython's RawValue/RawArray) has no lock and get_lock says MP_ENOENT.
 *
 * Atomic helpers: add and compare-exchange on MP_I32/MP_U32 elements work without any
 * lock, even on raw objects, so a shared counter needs no lock at all (unlike CPython's
 * `v.value += 1`, which is not atomic). On other integer types they run under the lock
 * (MP_ENOTSUP on a raw one).
 */
#ifndef MP_SHARED_H
#define MP_SHARED_H

#include "mp/config.h"
#include "mp/lock.h"
#include "mp/types.h"

typedef enum {
    MP_I8 = 1, MP_U8, MP_I16, MP_U16, MP_I32, MP_U32, MP_I64, MP_U64, MP_FLOAT, MP_DOUBLE,
    MP_BYTES, /* raw bytes: one byte per element, no arithmetic */
} mp_type_t;

typedef struct {
    uint32_t id;
} mp_value_t;

typedef struct {
    uint32_t id;
} mp_array_t;

/* init: the initial value (NULL: zero). raw: no lock. */
mp_err_t mp_value_create(mp_value_t *v, mp_type_t type, const void *init, bool raw);
mp_err_t mp_value_destroy(mp_value_t v);
mp_err_t mp_value_get(mp_value_t v, void *out);
mp_err_t mp_value_set(mp_value_t v, const void *in);
/* *previous (may be NULL) gets the value before the addition. */
mp_err_t mp_value_add(mp_value_t v, int64_t delta, int64_t *previous);
/* If the value equals *expected, store desired and set *swapped; else copy it to *expected. */
mp_err_t mp_value_cas(mp_value_t v, void *expected, const void *desired, bool *swapped);
mp_err_t mp_value_get_lock(mp_value_t v, mp_rlock_t *lock);

/* CPython's lock=existing_lock: an object guarded by a Lock or RLock of the caller's,
 * which several objects may share, so they are updated together under it. Exactly one of
 * the two handles is set. The caller holding that lock may use the objects (their calls
 * then do not take it again, a plain Lock included); any other process waits for it. The
 * lock cannot be destroyed while an object uses it (MP_EBUSY). get_lock gives the RLock
 * back; an object on a plain Lock answers MP_ENOENT (its creator has the Lock). */
typedef struct {
    mp_lock_t lock;
    mp_rlock_t rlock;
} mp_with_lock_t;
mp_err_t mp_value_create_with(mp_value_t *v, mp_type_t type, const void *init,
                              const mp_with_lock_t *with);

/* length elements; init: length elements to copy (NULL: zeros). */
mp_err_t mp_array_create(mp_array_t *a, mp_type_t type, size_t length, const void *init,
                         bool raw);
mp_err_t mp_array_destroy(mp_array_t a);
mp_err_t mp_array_length(mp_array_t a, size_t *length);
mp_err_t mp_array_get(mp_array_t a, size_t index, void *out);
mp_err_t mp_array_set(mp_array_t a, size_t index, const void *in);
/* Slices: count elements from start, under one acquisition of the lock. */
mp_err_t mp_array_read(mp_array_t a, size_t start, size_t count, void *out);
mp_err_t mp_array_write(mp_array_t a, size_t start, size_t count, const void *in);
mp_err_t mp_array_add(mp_array_t a, size_t index, int64_t delta, int64_t *previous);
mp_err_t mp_array_cas(mp_array_t a, size_t index, void *expected, const void *desired,
                      bool *swapped);
mp_err_t mp_array_get_lock(mp_array_t a, mp_rlock_t *lock);
mp_err_t mp_array_create_with(mp_array_t *a, mp_type_t type, size_t length, const void *init,
                              const mp_with_lock_t *with);

/* Size in bytes of one element of a type (0 for an unknown type). */
size_t mp_type_size(mp_type_t type);

#endif
