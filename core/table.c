/*
 * Tables of objects: every kind but processes lives in a fixed array with a bitmap of
 * free entries. An entry's generation changes when it is freed, so a handle kept past
 * destroy is refused (MP_ESTALE) even after the entry is reused.
 */
#include "world.h"

mp_err_t mpi_obj_alloc(const mpi_table_t *t, void **obj, uint32_t *id)
{
    if (mpi_world.ready != MPI_WORLD_READY)
        return MP_ENOINIT;
    uint32_t index;
    if (t->count == 0 || !mpi_bits_take(t->free, t->count, &index))
        return MP_ENOSLOT;
    mpi_obj_t *h = (mpi_obj_t *)((uint8_t *)t->base + index * t->stride);
    h->kind = (uint8_t)t->kind;
    h->flags = 0;
    *obj = h;
    *id = mpi_handle_make(t->kind, h->gen, index);
    return MP_OK;
}

void *mpi_obj_get(const mpi_table_t *t, uint32_t id, mp_err_t *err)
{
    uint32_t index, gen;
    *err = mpi_handle_split(id, t->kind, t->count, &index, &gen);
    if (*err != MP_OK)
        return NULL;
    mpi_obj_t *h = (mpi_obj_t *)((uint8_t *)t->base + index * t->stride);
    if (h->gen != gen || h->kind != t->kind) {
        *err = MP_ESTALE;
        return NULL;
    }
    return h;
}

void mpi_obj_free(const mpi_table_t *t, void *obj)
{
    mpi_obj_t *h = obj;
    uint32_t index = (uint32_t)(((uint8_t *)obj - (uint8_t *)t->base) / t->stride);
    h->kind = 0;
    h->gen = (uint16_t)mpi_gen_next(h->gen);
    mpi_bits_give(t->free, index);
}
