/*
 * Records: the crash-consistent storage under the Manager's objects, Dict and List
 * (records.c). Not an object kind of its own: dict.h and list.h embed one.
 *
 * In the arena: two maps of `capacity` record numbers, a live flag per record, and
 * capacity + 1 records of record_size bytes. The container's entries, in order, are the
 * records named by the first `count` words of the live map. `state` (in the world) says
 * which map is live and how many of its words count, in one 32-bit word.
 *
 * Every change is written where nobody looks (a record no map position names, map words
 * past count, or the other map) and then made visible by one store: `state`, or a single
 * map word for an in-place replacement. So a process killed at any instruction of a
 * change leaves either the whole change or none of it. The live flags and the version
 * (which counts changes of size, for iterators) are bookkeeping, derived from the maps:
 * whoever takes the guard over from a dead holder (MP_EOWNERDEAD) rebuilds the flags from
 * the live map and bumps the version, and then finds a consistent container.
 */
#include "world.h" /* first */
#ifndef MP_CORE_RECORDS_H
#define MP_CORE_RECORDS_H

typedef struct {
    _Atomic uint32_t guard;   /* robust: held for one operation */
    _Atomic uint32_t state;   /* live map (bit 0) | count << 1: the one publishing word */
    _Atomic uint32_t version; /* bumped by every change of size (iterators compare it) */
    uint32_t offset;          /* of the storage in the arena */
    uint32_t capacity;
    uint32_t record_size;     /* a multiple of 8 */
} mpi_records_t;

/* Bytes of arena a container of this shape takes (64-bit: no shape wraps). */
uint64_t mpi_records_bytes(uint32_t capacity, uint32_t record_size);
void mpi_records_init(mpi_records_t *r, uint32_t offset, uint32_t capacity,
                      uint32_t record_size);

uint32_t mpi_records_count(const mpi_records_t *r);
/* The map words (which: 0 or 1; the live one is mpi_records_live_map) and the records. */
uint32_t mpi_records_live_map(const mpi_records_t *r);
_Atomic uint32_t *mpi_records_map(const mpi_records_t *r, uint32_t which);
uint8_t *mpi_records_at(const mpi_records_t *r, uint32_t rec);
/* The record at position pos (< count) of the live map. */
uint8_t *mpi_records_item(const mpi_records_t *r, uint32_t pos);

/* Takes the guard for the call c within until: MP_OK, or MP_EAGAIN (MP_NOWAIT, held),
 * MP_ETIMEDOUT, MP_ESTALE (destroyed), and nothing is held. A dead holder's guard is taken
 * over and the bookkeeping repaired first: the caller sees MP_OK and a consistent
 * container. */
mp_err_t mpi_records_lock(const mpi_call_t *c, mpi_records_t *r, mp_timeout_t timeout);
void mpi_records_unlock(mpi_records_t *r);

/* A record nobody names, flagged live (there is always one: capacity + 1 records). */
uint32_t mpi_records_claim(mpi_records_t *r);
/* Gives back a claimed record that was not published. */
void mpi_records_unclaim(mpi_records_t *r, uint32_t rec);

/* The changes, each published by one store (the caller holds the guard): */
void mpi_records_replace(mpi_records_t *r, uint32_t pos, uint32_t rec);
void mpi_records_append(mpi_records_t *r, uint32_t rec);
/* Several at once: stage each (map word count + i, not yet counted), then grow by n. */
void mpi_records_stage(mpi_records_t *r, uint32_t i, uint32_t rec);
void mpi_records_grow(mpi_records_t *r, uint32_t n);
void mpi_records_insert(mpi_records_t *r, uint32_t pos, uint32_t rec);
void mpi_records_remove(mpi_records_t *r, uint32_t pos);
void mpi_records_clear(mpi_records_t *r);
/* Sort: the other map, filled with the live map's words in a new order by the caller
 * (mpi_records_map(r, !live)), becomes the live one. */
void mpi_records_reorder(mpi_records_t *r);

#endif
