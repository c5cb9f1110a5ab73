/*
 * mp_dump: every process, every table with its entries, the arena, written a line at a
 * time from reads alone (nothing is entered or locked: a dump must work while something
 * holds everything, which is when one is wanted).
 */
#include "mp/dump.h"
#include "world.h"

#define LINE 192

typedef struct {
    mp_sink_fn sink;
    void *ctx;
    char buf[LINE];
    mpi_text_t text;
} out_t;

static void line_start(out_t *o, const char *s)
{
    o->text = (mpi_text_t){o->buf, sizeof o->buf - 1u, 0}; /* room kept for the '\n' */
    mpi_text_add(&o->text, s);
}

static void line_end(out_t *o)
{
    size_t n = o->text.n < o->text.size ? o->text.n : o->text.size - 1u;
    o->buf[n++] = '\n';
    o->sink(o->ctx, o->buf, n);
}

/* "queues 1 of 8, most 2, refused 0 (MP_CONF_MAX_QUEUES)" */
static void table_line(out_t *o, const char *label, uint32_t used, uint32_t count,
                       uint32_t most, uint32_t refused, const char *option)
{
    line_start(o, label);
    mpi_text_add(&o->text, " ");
    mpi_text_u(&o->text, used);
    mpi_text_add(&o->text, " of ");
    mpi_text_u(&o->text, count);
    mpi_text_add(&o->text, ", most ");
    mpi_text_u(&o->text, most);
    mpi_text_add(&o->text, ", refused ");
    mpi_text_u(&o->text, refused);
    mpi_text_add(&o->text, " (");
    mpi_text_add(&o->text, option);
    mpi_text_add(&o->text, used == count && count > 0 ? ": full)" : ")");
    line_end(o);
}

static void process_line(out_t *o, uint32_t i)
{
    const mpi_slot_t *s = &mpi_world.slots[i];
    uint8_t state = atomic_load(&s->state);
    if (state == MPI_SLOT_FREE)
        return;
    char name[MP_CONF_NAME_LEN];
    mpi_strlcpy(name, s->name, sizeof name);
    line_start(o, "  ");
    mpi_text_add(&o->text, name);
    mpi_text_add(&o->text, ": pid ");
    mpi_text_u(&o->text, atomic_load(&s->pid));
    bool ended = atomic_load(mp_core_life_word(i)) & MP_LIFE_DEAD;
    bool running = state == MPI_SLOT_RUNNING && !ended;
    mpi_text_add(&o->text, state == MPI_SLOT_CREATED ? ", created (not started)"
                           : running                 ? ", running"
                           : state == MPI_SLOT_RUNNING ? ", ended (not joined)"
                                                       : ", joined");
    if (running && mpi_token_suspended(mpi_token_of(i)))
        mpi_text_add(&o->text, ", suspended");
    if (state == MPI_SLOT_JOINED || state == MPI_SLOT_REAPED) {
        mpi_text_add(&o->text, ", exitcode ");
        mpi_text_i(&o->text, s->exitcode);
    }
    if (s->parent != 0) {
        mpi_token_name(s->parent, name, sizeof name);
        mpi_text_add(&o->text, ", parent ");
        mpi_text_add(&o->text, name);
    }
    mpi_text_add(&o->text, ", priority ");
    mpi_text_u(&o->text, s->priority);
    if (s->daemon)
        mpi_text_add(&o->text, ", daemon");
    uint32_t used, size;
    if (state != MPI_SLOT_CREATED && mp_port_stack_use(i, &used, &size) == MP_OK) {
        mpi_text_add(&o->text, ", stack ");
        mpi_text_u(&o->text, used);
        mpi_text_add(&o->text, " of ");
        mpi_text_u(&o->text, size);
    }
    const void *addr = running ? mp_port_wait_addr(i) : NULL;
    if (addr != NULL) {
        char what[96];
        mp_core_describe_wait(addr, what, sizeof what);
        mpi_text_add(&o->text, ", waits for ");
        mpi_text_add(&o->text, what);
    }
    line_end(o);
}

/* The kinds' names, as objects.def spells them ("queue", "rlock"). */
static const char *const kind_names[MPI_KIND_END] = {
#define MPI_KIND(K, name) [MPI_KIND_##K] = #name,
#include "objects.def"
};

/* The name an object was given (mp_object_set_name), if any. */
static bool named(uint32_t id, char *buf, size_t size)
{
    for (uint32_t i = 0; i < mpi_count(MP_CONF_MAX_NAMES); i++)
        if (atomic_load(&mpi_world.names[i].id) == id) {
            mpi_strlcpy(buf, mpi_world.names[i].name, size);
            return true;
        }
    return false;
}

/* One line per live entry of a table (the kinds that share it told apart by their tag). */
static void entries(out_t *o, const void *base, size_t stride, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        const mpi_obj_t *h = (const mpi_obj_t *)((const uint8_t *)base + i * stride);
        uint32_t tag = atomic_load(&h->tag), kind = mpi_tag_kind(tag);
        const mpi_table_t *t = mpi_table_of(kind);
        if (kind == 0 || t == NULL)
            continue;
        line_start(o, "  ");
        mpi_text_add(&o->text, kind_names[kind]);
        mpi_text_add(&o->text, " #");
        mpi_text_u(&o->text, i);
        char name[MP_CONF_NAME_LEN];
        if (!(tag & MPI_OBJ_RETIRED) &&
            named(mpi_handle_make(kind, mpi_tag_gen(tag), i), name, sizeof name)) {
            mpi_text_add(&o->text, " \"");
            mpi_text_add(&o->text, name);
            mpi_text_add(&o->text, "\"");
        }
        if (tag & MPI_OBJ_RETIRED) {
            mpi_text_add(&o->text, ": destroyed, a caller still inside");
        } else if (t->describe != NULL) {
            mpi_text_add(&o->text, ": ");
            t->describe(h, &o->text);
        }
        line_end(o);
    }
}

mp_err_t mp_dump_to(mp_sink_fn sink, void *ctx)
{
    mpi_call_t c; /* MP_ENOINIT, or MP_EFORKED in a raw fork() copy; a handler may ask */
    mp_err_t err = mpi_caller(&c);
    if (err != MP_OK)
        return err;
    if (sink == NULL)
        return MP_EINVAL;
    out_t o = {.sink = sink, .ctx = ctx};
    mpi_world_t *w = &mpi_world;
    table_line(&o, "processes", mpi_bits_used(w->slot_free, MP_CONF_MAX_PROCESSES),
               MP_CONF_MAX_PROCESSES, atomic_load(&w->slot_most), atomic_load(&w->slot_refused),
               "MP_CONF_MAX_PROCESSES");
    for (uint32_t i = 0; i < MP_CONF_MAX_PROCESSES; i++)
        process_line(&o, i);
#define MPI_STORE(type, store, count, blocks)                                                \
    table_line(&o, #store, mpi_bits_used(w->store##_free, (count)), (count),                \
               atomic_load(&w->store##_most), atomic_load(&w->store##_refused), #count);     \
    entries(&o, w->store, sizeof w->store[0], mpi_count(count));
#include "objects.def"
    table_line(&o, "names", mpi_names_live(), MP_CONF_MAX_NAMES,
               atomic_load(&w->names_most), atomic_load(&w->names_refused), "MP_CONF_MAX_NAMES");
    uint32_t bytes = 0, blocks = 0;
    for (uint32_t i = 0; i < MPI_ARENA_BLOCKS; i++) {
        uint32_t size = atomic_load(&w->blocks[i].size);
        bytes += size;
        blocks += size != 0;
    }
    line_start(&o, "arena ");
    mpi_text_u(&o.text, bytes);
    mpi_text_add(&o.text, " of ");
    mpi_text_u(&o.text, MP_CONF_ARENA_SIZE);
    mpi_text_add(&o.text, " bytes in ");
    mpi_text_u(&o.text, blocks);
    mpi_text_add(&o.text, " blocks, most ");
    mpi_text_u(&o.text, atomic_load(&w->arena_most));
    mpi_text_add(&o.text, " (MP_CONF_ARENA_SIZE)");
    line_end(&o);
    if (atomic_load(&w->checks_failed) != 0) {
        line_start(&o, "internal checks failed ");
        mpi_text_u(&o.text, atomic_load(&w->checks_failed));
        line_end(&o);
    }
    return MP_OK;
}

static void to_console(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    mp_port_console(text, len);
}

mp_err_t mp_dump(void)
{
    if (mp_port_in_isr())
        return MP_EISR;
    return mp_dump_to(to_console, NULL);
}
