/*
 * The world's one instance, mp_init(), and the small helpers every object shares:
 * handle checks, free-entry bitmaps, deadlines, and waits that notice dead owners.
 */
#include <string.h>

#include "test_hooks.h"
#include "world.h"

/* All zeros until mp_init, so in a section of its own that takes no room in an image: a
 * name under .bss makes it no-load (NOBITS) on every toolchain we use. The linker fragment
 * of a port that maps the world shared (linker/posix-world.ld) gathers it with the
 * MP_SHARED globals, page-aligned; a firmware image zeroes it with the rest of .bss.
 * aligned() only ever raises the alignment: a page on POSIX, the natural one elsewhere. */
__attribute__((section(".bss.mp_world"), aligned(MP_PORT_WORLD_ALIGN))) mpi_world_t mpi_world;

void (*mpi_test_hook)(mpi_hook_point_t point);

mp_err_t mp_init_config(const uint32_t *options, uint32_t count)
{
    mp_err_t bad = mpi_config_check(options, count);
    if (bad != MP_OK)
        return bad;
    mpi_world_t *w = &mpi_world;
    if (w->ready == MPI_WORLD_READY)
        return MP_EALREADY;
    memset(w, 0, sizeof *w);
    mpi_bits_fill(w->slot_free, MP_CONF_MAX_PROCESSES);
    mpi_bits_fill(w->names_free, MP_CONF_MAX_NAMES);
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++)
        w->slots[i].gen = 1;
    for (uint32_t kind = 0; kind < MPI_KIND_END; kind++) {
        const mpi_table_t *t = mpi_table_of(kind);
        if (t == NULL)
            continue; /* two kinds may share one table: filling it twice is harmless */
        mpi_bits_fill(t->free, t->count);
        for (uint32_t i = 0; i < t->count; i++)
            atomic_store(&((mpi_obj_t *)mpi_obj_at(t, i))->tag, mpi_tag(1, 0, 0));
    }

    uint32_t main_slot;
    mpi_bits_take(w->slot_free, MP_CONF_MAX_PROCESSES, &main_slot); /* always 0 */
    mpi_slot_t *s = &w->slots[main_slot];
    mpi_strlcpy(s->name, "MainProcess", sizeof s->name);
    atomic_store(&s->state, (uint8_t)MPI_SLOT_RUNNING);
    w->procs[main_slot].self = mpi_token_of(main_slot);
    atomic_store(&w->slot_most, 1u);

    w->ready = MPI_WORLD_READY;
    mp_err_t err = mp_port_init(w, sizeof *w);
    if (err != MP_OK) {
        w->ready = 0;
        return err;
    }
    w->asym = mp_port_fence() == MP_OK;
    atomic_store(&s->pid, atomic_load(&s->life) & MP_LIFE_ID_MASK); /* set by mp_port_init */
    return MP_OK;
}

mp_err_t mpi_handle_split(uint32_t id, uint32_t kind, uint32_t count, uint32_t *index,
                          uint32_t *gen)
{
    if (mpi_world.ready != MPI_WORLD_READY)
        return MP_ENOINIT;
    uint32_t i = id & MPI_INDEX_MASK;
    if (mpi_id_kind(id) != kind || i == 0 || i > count)
        return MP_EHANDLE;
    *index = i - 1u;
    *gen = mpi_id_gen(id);
    return MP_OK;
}

void mpi_bits_fill(_Atomic uint32_t *bits, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++)
        atomic_fetch_or(&bits[i / 32u], 1u << (i % 32u));
}

bool mpi_bits_take(_Atomic uint32_t *bits, uint32_t count, uint32_t *index)
{
    for (uint32_t w = 0; w < MPI_BITWORDS(count); w++) {
        uint32_t v = atomic_load(&bits[w]);
        while (v != 0) {
            uint32_t bit = (uint32_t)__builtin_ctz(v);
            if (atomic_compare_exchange_weak(&bits[w], &v, v & ~(1u << bit))) {
                *index = w * 32u + bit;
                return true;
            }
        }
    }
    return false;
}

void mpi_bits_give(_Atomic uint32_t *bits, uint32_t index)
{
    atomic_fetch_or(&bits[index / 32u], 1u << (index % 32u));
}

uint32_t mpi_bits_used(_Atomic uint32_t *bits, uint32_t count)
{
    /* The used (clear) bits, one step each: few where a table is not nearly full, which is
     * where it is counted most (every create). Not __builtin_popcount: without a popcount
     * instruction it is a libgcc call. Bits past count are clear and not entries. */
    uint32_t n = 0;
    for (uint32_t w = 0; w < MPI_BITWORDS(count); w++) {
        uint32_t left = count - w * 32u;
        uint32_t valid = left >= 32u ? UINT32_MAX : (1u << left) - 1u;
        for (uint32_t v = ~atomic_load(&bits[w]) & valid; v != 0; v &= v - 1u)
            n++;
    }
    return n;
}

void mpi_most(_Atomic uint32_t *most, uint32_t n)
{
    uint32_t was = atomic_load_explicit(most, memory_order_relaxed);
    while (was < n && !atomic_compare_exchange_weak(most, &was, n))
        ;
}

void mpi_text_add(mpi_text_t *t, const char *s)
{
    for (; *s; s++, t->n++)
        if (t->n + 1 < t->size)
            t->buf[t->n] = *s;
    if (t->size > 0)
        t->buf[t->n < t->size ? t->n : t->size - 1] = '\0';
}

void mpi_text_u(mpi_text_t *t, uint32_t v)
{
    char digits[11];
    (void)mpi_utoa(digits, sizeof digits, v);
    mpi_text_add(t, digits);
}

void mpi_text_i(mpi_text_t *t, int32_t v)
{
    if (v < 0)
        mpi_text_add(t, "-");
    mpi_text_u(t, v < 0 ? 0u - (uint32_t)v : (uint32_t)v);
}

mp_time_t mpi_deadline(mp_timeout_t timeout)
{
    if (timeout == MP_FOREVER)
        return MP_TIME_NEVER;
    return mp_port_now() + (mp_time_t)timeout * 1000000u;
}

mp_err_t mpi_wait(const mpi_call_t *c, _Atomic uint32_t *addr, uint32_t expected,
                  mp_time_t deadline)
{
    /* Destroy retires the object before it changes the words its sleepers sleep on and
     * wakes them, so one look before and one after the sleep cannot miss it. */
    if (c != NULL && mpi_retired(c))
        return MP_ESTALE;
    mp_time_t until = deadline;
    if (MP_PORT_LIVENESS_NS > 0) {
        mp_time_t slice = mp_port_now() + MP_PORT_LIVENESS_NS;
        if (slice < until)
            until = slice;
    }
    mp_err_t err = mp_port_wait(addr, expected, until);
    if (c != NULL && mpi_retired(c))
        return MP_ESTALE;
    if (err == MP_ETIMEDOUT && until != deadline)
        return MP_OK; /* a liveness slice ended, not the caller's timeout */
    return err;
}

bool mpi_check_failed(void)
{
    if (MP_CONF_CHECK_FATAL)
        __builtin_trap();
    atomic_fetch_add(&mpi_world.checks_failed, 1u);
    return false;
}

size_t mpi_strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);
    if (size == 0)
        return n;
    size_t k = n < size - 1 ? n : size - 1;
    memcpy(dst, src, k);
    dst[k] = '\0';
    return n;
}

size_t mpi_utoa(char *dst, size_t size, uint32_t value)
{
    char tmp[10];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value != 0);
    size_t k = 0;
    while (n > 0 && k + 1 < size)
        dst[k++] = tmp[--n];
    if (size > 0)
        dst[k] = '\0';
    return k;
}

/* What the word at addr in table t means, if it is one of its entries' wait words. */
static size_t describe_in(const mpi_table_t *t, const void *addr, char *buf, size_t size)
{
    uintptr_t at = (uintptr_t)addr - (uintptr_t)t->base;
    if (at >= t->count * t->stride)
        return 0;
    uint32_t index = (uint32_t)(at / t->stride), off = (uint32_t)(at % t->stride);
    const mpi_obj_t *h = mpi_obj_at(t, index);
    if (mpi_tag_kind(atomic_load(&h->tag)) != t->kind)
        return 0; /* an entry of the other kind that shares the storage */
    for (uint32_t k = 0; k < t->n_words; k++) {
        const mpi_wait_word_t *w = &t->words[k];
        if (off < w->offset || off >= w->offset + 4u * w->count || (off - w->offset) % 4u)
            continue;
        size_t n = mpi_strlcpy(buf, w->what, size);
        if (n < size)
            n += mpi_utoa(buf + n, size - n, index);
        if (w->flags & MPI_WORD_HOLDER) {
            char owner[MP_CONF_NAME_LEN];
            mpi_token_t holder = atomic_load((_Atomic uint32_t *)addr) & MPI_LOCK_OWNER;
            mpi_token_name(holder, owner, sizeof owner);
            if (n < size)
                n += mpi_strlcpy(buf + n, " held by ", size - n);
            if (n < size)
                n += mpi_strlcpy(buf + n, owner, size - n);
            if (n < size && mpi_token_suspended(holder))
                n += mpi_strlcpy(buf + n, " (suspended)", size - n);
        }
        return n;
    }
    return 0;
}

/* For deadlock reports: which object of which table a sleeper's word belongs to. */
size_t mp_core_describe_wait(const void *addr, char *buf, size_t size)
{
    size_t any = mpi_watch_describe(addr, buf, size);
    if (any != 0)
        return any;
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++) {
        if (addr == (const void *)&mpi_world.procs[i].suspended)
            return mpi_strlcpy(buf, "a resume by its parent", size); /* it suspended itself */
        if (addr != (const void *)mp_core_life_word(i))
            continue;
        char owner[MP_CONF_NAME_LEN];
        mp_core_slot_name(i, owner, sizeof owner);
        size_t n = mpi_strlcpy(buf, "the end of ", size);
        if (n < size)
            n += mpi_strlcpy(buf + n, owner, size - n);
        if (n < size && mp_core_slot_suspended(i))
            n += mpi_strlcpy(buf + n, " (suspended)", size - n);
        return n;
    }
    for (uint32_t kind = 0; kind < MPI_KIND_END; kind++) {
        const mpi_table_t *t = mpi_table_of(kind);
        size_t n = t != NULL ? describe_in(t, addr, buf, size) : 0;
        if (n != 0)
            return n;
    }
    return mpi_strlcpy(buf, "an unknown object", size);
}
