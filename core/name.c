/*
 * mp_object_set_name and its lookups: a small table of (id, name), searched by scanning.
 *
 * Writers (rare) take the table's guard, so two cannot give one name to two objects.
 * Readers take nothing: an entry's id is published after its name and cleared before the
 * name is rewritten, and a reader checks the id again after comparing, so a name it
 * returns was that id's while it looked.
 */
#include "world.h"

/* MP_OK when id names a live object of a table kind. */
static mp_err_t object_live(uint32_t id)
{
    if (mpi_world.ready != MPI_WORLD_READY)
        return MP_ENOINIT;
    const mpi_table_t *t = mpi_table_of(mpi_id_kind(id));
    if (t == NULL)
        return MP_EHANDLE;
    uint32_t index, gen;
    mp_err_t err = mpi_handle_split(id, t->kind, t->count, &index, &gen);
    if (err != MP_OK)
        return err;
    const mpi_obj_t *h = mpi_obj_at(t, index);
    uint32_t tag = atomic_load_explicit(&h->tag, memory_order_acquire);
    return (tag & ~MPI_OBJ_FLAGS) == mpi_tag(gen, t->kind, 0) ? MP_OK : MP_ESTALE;
}

/* The entry naming a live object with name (or, name NULL, the entry of id), or -1. */
static int32_t lookup(const char *name, uint32_t id)
{
    for (uint32_t i = 0; i < mpi_count(MP_CONF_MAX_NAMES); i++) {
        mpi_name_t *e = &mpi_world.names[i];
        uint32_t was = atomic_load_explicit(&e->id, memory_order_acquire);
        if (was == 0 || (name == NULL && was != id) || object_live(was) != MP_OK)
            continue;
        if (name != NULL && !mpi_streq(name, e->name))
            continue;
        atomic_thread_fence(memory_order_acquire); /* the name was read before the id again */
        if (atomic_load_explicit(&e->id, memory_order_relaxed) == was)
            return (int32_t)i;
    }
    return -1;
}

static void drop(mpi_name_t *e, uint32_t index)
{
    atomic_store_explicit(&e->id, 0, memory_order_release);
    mpi_bits_give(mpi_world.names_free, index);
}

mp_err_t mp_object_set_name(uint32_t id, const char *name)
{
    mpi_call_t c;
    mp_err_t err = mpi_process_caller(&c);
    if (err != MP_OK)
        return err;
    if (name == NULL || name[0] == '\0')
        return MP_EINVAL;
    if (!mpi_name_fits(name))
        return MP_ENAMETOOLONG;
    if ((err = object_live(id)) != MP_OK)
        return err;
    mpi_until_t patience = mpi_until(MPI_PATIENCE_MS);
    err = mpi_guard_take(&c, &mpi_world.names_guard, &patience);
    if (err == MP_ETIMEDOUT)
        return MP_EAGAIN;
    /* entries of destroyed objects are free for the taking */
    for (uint32_t i = 0; i < mpi_count(MP_CONF_MAX_NAMES); i++) {
        uint32_t was = atomic_load(&mpi_world.names[i].id);
        if (was != 0 && object_live(was) != MP_OK)
            drop(&mpi_world.names[i], i);
    }
    int32_t other = lookup(name, 0);
    err = MP_OK;
    if (other >= 0 && atomic_load(&mpi_world.names[other].id) != id) {
        err = MP_EBUSY;
    } else {
        int32_t mine = lookup(NULL, id);
        if (mine >= 0)
            drop(&mpi_world.names[mine], (uint32_t)mine);
        uint32_t index;
        if (!mpi_bits_take(mpi_world.names_free, MP_CONF_MAX_NAMES, &index)) {
            atomic_fetch_add(&mpi_world.names_refused, 1u);
            err = MP_ENOSLOT;
        } else {
            mpi_name_t *e = &mpi_world.names[index];
            mpi_strlcpy(e->name, name, sizeof e->name);
            atomic_store_explicit(&e->id, id, memory_order_release);
            mpi_most(&mpi_world.names_most, mpi_bits_used(mpi_world.names_free, MP_CONF_MAX_NAMES));
        }
    }
    mpi_guard_give(&mpi_world.names_guard);
    return err;
}

mp_err_t mp_object_find(const char *name, uint32_t *id)
{
    mpi_call_t c; /* MP_ENOINIT, or MP_EFORKED in a raw fork() copy; a handler may ask */
    mp_err_t err = mpi_caller(&c);
    if (err != MP_OK)
        return err;
    if (name == NULL || id == NULL)
        return MP_EINVAL;
    int32_t i = lookup(name, 0);
    if (i < 0)
        return MP_ENOENT;
    *id = atomic_load(&mpi_world.names[i].id);
    return MP_OK;
}

mp_err_t mp_object_name(uint32_t id, char *buf, size_t size)
{
    mpi_call_t c; /* MP_ENOINIT, or MP_EFORKED in a raw fork() copy; a handler may ask */
    mp_err_t err = mpi_caller(&c);
    if (err != MP_OK)
        return err;
    if (buf == NULL || size == 0)
        return MP_EINVAL;
    int32_t i = lookup(NULL, id);
    if (i < 0)
        return MP_ENOENT;
    mpi_strlcpy(buf, mpi_world.names[i].name, size);
    return lookup(NULL, id) == i ? MP_OK : MP_ENOENT; /* renamed meanwhile: no torn copy */
}

uint32_t mpi_names_live(void)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < mpi_count(MP_CONF_MAX_NAMES); i++) {
        uint32_t id = atomic_load(&mpi_world.names[i].id);
        n += id != 0 && object_live(id) == MP_OK;
    }
    return n;
}
