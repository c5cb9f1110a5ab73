/*
 * The model's shared state: tables and handles, the arena, message FIFOs, process
 * tokens, and the bookkeeping of "the main process is inside a call" that decides what
 * a destroy by another process does (RULES.md, item 1).
 */
#include <string.h>

#include "model.h"

m_world_t m;
bool m_avoid[16];
uint8_t m_shadow[MP_CONF_ARENA_SIZE];

static const struct {
    uint32_t count;
} tables[T_COUNT] = {
    [T_LOCK] = {MP_CONF_MAX_LOCKS},         [T_QUEUE] = {MP_CONF_MAX_QUEUES},
    [T_PIPE] = {MP_CONF_MAX_PIPES},         [T_VALUE] = {MP_CONF_MAX_VALUES},
    [T_SEM] = {MP_CONF_MAX_SEMAPHORES},     [T_EVENT] = {MP_CONF_MAX_EVENTS},
    [T_COND] = {MP_CONF_MAX_CONDITIONS},    [T_BARRIER] = {MP_CONF_MAX_BARRIERS},
    [T_DICT] = {MP_CONF_MAX_DICTS},         [T_LIST] = {MP_CONF_MAX_LISTS},
    [T_POOL] = {MP_CONF_MAX_POOLS},         [T_RESULT] = {MP_CONF_MAX_RESULTS},
    [T_SLAB] = {MP_CONF_MAX_SLABS},
};
_Static_assert(MP_CONF_MAX_LOCKS <= 64 && MP_CONF_MAX_VALUES <= 64 && MP_CONF_MAX_QUEUES <= 64 &&
                   MP_CONF_MAX_DICTS <= 64 && MP_CONF_MAX_LISTS <= 64 &&
                   MP_CONF_MAX_RESULTS <= 64 && MP_CONF_MAX_POOLS <= 64 &&
                   MP_CONF_MAX_SLABS <= 64,
               "model tables hold 64 entries");

/* ---- message records: one pool, linked per FIFO ------------------------------------- */
#define POOL 65536
static struct {
    uint32_t len, seed;
    int32_t next;
} pool[POOL];
static int32_t pool_free = -1;
static bool pool_ready;

static void pool_init(void)
{
    for (int32_t i = 0; i < POOL; i++)
        pool[i].next = i + 1 < POOL ? i + 1 : -1;
    pool_free = 0;
    pool_ready = true;
}

void m_fifo_clear(m_fifo_t *f)
{
    while (f->count > 0)
        m_fifo_pop(f);
    f->head = f->tail = -1;
}

bool m_fifo_push(m_fifo_t *f, uint32_t len, uint32_t seed)
{
    if (pool_free < 0)
        return false;
    int32_t r = pool_free;
    pool_free = pool[r].next;
    pool[r].len = len;
    pool[r].seed = seed;
    pool[r].next = -1;
    if (f->count == 0)
        f->head = r;
    else
        pool[f->tail].next = r;
    f->tail = r;
    f->count++;
    return true;
}

bool m_fifo_head(const m_fifo_t *f, uint32_t *len, uint32_t *seed)
{
    if (f->count == 0)
        return false;
    *len = pool[f->head].len;
    *seed = pool[f->head].seed;
    return true;
}

void m_fifo_pop(m_fifo_t *f)
{
    if (f->count == 0)
        return;
    int32_t r = f->head;
    f->head = pool[r].next;
    pool[r].next = pool_free;
    pool_free = r;
    if (--f->count == 0)
        f->head = f->tail = -1;
}

/* ---- init ------------------------------------------------------------------------------ */
void m_init(void)
{
    if (!pool_ready)
        pool_init();
    memset(&m, 0, sizeof m);
    for (int t = 0; t < T_COUNT; t++)
        for (uint32_t i = 0; i < 64; i++)
            m.hdr[t][i].gen = 1; /* mp_init starts every generation at 1 */
    for (uint32_t i = 0; i < M_PROCS; i++)
        m.procs[i].gen = 1;
    m.procs[0].state = P_RUNNING; /* the main process */
    strcpy(m.procs[0].name, "MainProcess");
    for (uint32_t i = 0; i < MP_CONF_MAX_QUEUES; i++)
        m.queues[i].fifo.head = m.queues[i].fifo.tail = -1;
    for (uint32_t i = 0; i < MP_CONF_MAX_PIPES; i++)
        for (int k = 0; k < 2; k++)
            m.pipes[i].ring[k].head = m.pipes[i].ring[k].tail = -1;
}

/* ---- tables and handles ------------------------------------------------------------------ */
uint32_t m_table_count(int table)
{
    return tables[table].count;
}

int m_table_of_kind(uint32_t kind)
{
    switch (kind) {
    case MPI_KIND_LOCK: case MPI_KIND_RLOCK: return T_LOCK;
    case MPI_KIND_QUEUE: return T_QUEUE;
    case MPI_KIND_CONN: return T_PIPE;
    case MPI_KIND_VALUE: case MPI_KIND_ARRAY: return T_VALUE;
    case MPI_KIND_SEMAPHORE: return T_SEM;
    case MPI_KIND_EVENT: return T_EVENT;
    case MPI_KIND_CONDITION: return T_COND;
    case MPI_KIND_BARRIER: return T_BARRIER;
    case MPI_KIND_DICT: return T_DICT;
    case MPI_KIND_LIST: return T_LIST;
    case MPI_KIND_POOL: return T_POOL;
    case MPI_KIND_RESULT: return T_RESULT;
    case MPI_KIND_SLAB: return T_SLAB;
    }
    return -1;
}

static uint32_t handle_make(uint32_t kind, uint32_t gen, uint32_t index)
{
    return mpi_handle_make(kind, gen, index);
}

static uint32_t gen_next(uint32_t gen)
{
    gen = (gen + 1u) & MPI_GEN_MASK;
    return gen ? gen : 1u;
}

mp_err_t m_lookup(uint32_t id, uint32_t kind, int *slot)
{
    int t = m_table_of_kind(kind);
    uint32_t i = id & 0xfffu;
    if (t < 0 || mpi_id_kind(id) != kind || i == 0 || i > tables[t].count)
        return MP_EHANDLE;
    const m_hdr_t *h = &m.hdr[t][i - 1u];
    if (h->zombie || h->kind != kind || h->gen != mpi_id_gen(id))
        return MP_ESTALE;
    *slot = (int)(i - 1u);
    return MP_OK;
}

mp_err_t m_lookup_conn(uint32_t id, int *slot, int *end)
{
    uint32_t i = id & 0xfffu;
    if (mpi_id_kind(id) != MPI_KIND_CONN || i == 0 || i > 2u * MP_CONF_MAX_PIPES)
        return MP_EHANDLE;
    const m_hdr_t *h = &m.hdr[T_PIPE][(i - 1u) / 2u];
    if (h->zombie || h->kind != MPI_KIND_CONN || h->gen != mpi_id_gen(id))
        return MP_ESTALE;
    *slot = (int)((i - 1u) / 2u);
    *end = (int)((i - 1u) % 2u);
    return MP_OK;
}

int m_alloc_peek(int table)
{
    for (uint32_t i = 0; i < tables[table].count; i++)
        if (m.hdr[table][i].kind == 0 && !m.hdr[table][i].zombie)
            return (int)i;
    return -1;
}

uint32_t m_alloc(int table, int slot, uint32_t kind)
{
    m.hdr[table][slot].kind = (uint8_t)kind;
    return handle_make(kind, m.hdr[table][slot].gen, (uint32_t)slot);
}

uint32_t m_handle(int table, int slot)
{
    return handle_make(m.hdr[table][slot].kind, m.hdr[table][slot].gen, (uint32_t)slot);
}

static void free_now(int table, int slot)
{
    m_hdr_t *h = &m.hdr[table][slot];
    h->kind = 0;
    h->zombie = 0;
    h->gen = (uint16_t)gen_next(h->gen);
}

bool m_free(int table, int slot)
{
    if (m.inside.active && m.inside.table == table && m.inside.slot == slot) {
        m.hdr[table][slot].zombie = 1; /* reusable once the main process has left */
        m.inside.destroyed = true;
        return false;
    }
    free_now(table, slot);
    return true;
}

void m_defer_block(int block)
{
    for (int i = 0; i < 2; i++)
        if (m.inside.blocks[i] < 0) {
            m.inside.blocks[i] = block;
            return;
        }
}

uint32_t m_used(int table)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < tables[table].count; i++)
        n += m.hdr[table][i].kind != 0 || m.hdr[table][i].zombie;
    return n;
}

/* ---- arena: core/arena.c's first fit, over the same candidates in the same order ------- */
#define ALIGN ((uint32_t)MP_PORT_CACHE_LINE)

static bool fits(uint32_t start, uint32_t size)
{
    for (uint32_t i = 0; i < MPI_ARENA_BLOCKS; i++) {
        uint32_t o = m.blocks[i].offset, s = m.blocks[i].size;
        if (s != 0 && start < o + s && o < start + size)
            return false;
    }
    return true;
}

int m_arena_alloc(uint32_t size)
{
    if (size == 0 || size > MP_CONF_ARENA_SIZE)
        return -1;
    size = (size + ALIGN - 1u) & ~(ALIGN - 1u);
    int record = -1;
    for (uint32_t i = 0; i < MPI_ARENA_BLOCKS && record < 0; i++)
        if (m.blocks[i].size == 0)
            record = (int)i;
    if (record < 0)
        return -1;
    /* candidates: the arena's start, then the end of each live block by record order */
    for (uint32_t i = 0; i <= MPI_ARENA_BLOCKS; i++) {
        uint32_t start = 0;
        if (i < MPI_ARENA_BLOCKS) {
            if (m.blocks[i].size == 0)
                continue;
            start = m.blocks[i].offset + m.blocks[i].size;
        }
        if (start + size <= MP_CONF_ARENA_SIZE && fits(start, size)) {
            m.blocks[record].offset = start;
            m.blocks[record].size = size;
            memset(m_shadow + start, 0, size);
            return record;
        }
    }
    return -1;
}

void m_arena_free(int block)
{
    if (block >= 0)
        m.blocks[block].size = 0;
}

uint32_t m_arena_offset(int block)
{
    return m.blocks[block].offset;
}

uint32_t m_arena_bytes(void)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < MPI_ARENA_BLOCKS; i++)
        n += m.blocks[i].size;
    return n;
}

uint32_t m_arena_blocks(void)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < MPI_ARENA_BLOCKS; i++)
        n += m.blocks[i].size != 0;
    return n;
}

/* ---- processes -------------------------------------------------------------------------- */
uint32_t m_token(uint32_t slot)
{
    return (slot + 1u) | (uint32_t)m.procs[slot].gen << MPI_GEN_SHIFT;
}

bool m_alive(uint32_t token)
{
    if (token == M_ISR_TOKEN)
        return true; /* a handler never dies holding anything (core/world.h) */
    uint32_t slot = (token & 0xfffu) - 1u;
    if (token == 0 || slot >= M_PROCS)
        return false;
    const m_proc_t *p = &m.procs[slot];
    return p->gen == mpi_id_gen(token) && p->state == P_RUNNING && !p->ended;
}

uint32_t m_self_token(void)
{
    return m.isr ? M_ISR_TOKEN : m_token(m.self);
}

uint32_t m_proc_take(void)
{
    for (uint32_t i = 0; i < M_PROCS; i++)
        if (m.procs[i].state == P_FREE)
            return i;
    uint32_t slot = M_PROCS, best_age = 0;
    for (uint32_t i = 0; i < M_PROCS; i++) {
        uint32_t age = (uint16_t)((uint16_t)m.join_seq - m.procs[i].joined_seq);
        if (m.procs[i].state == P_JOINED && (slot == M_PROCS || age > best_age)) {
            slot = i;
            best_age = age;
        }
    }
    if (slot < M_PROCS)
        m_proc_free(slot);
    return slot;
}

/* In core/slab.c forget_owner's order (slabs by entry, blocks by index), because each
 * block freed becomes the hint the next alloc starts from. A block names its owner's slot
 * only (the slot is not reused before the reap); a destroyed slab, even one a caller is
 * still inside, gives nothing back. */
static void slab_blocks_back(uint32_t slot)
{
    for (uint32_t i = 0; i < MP_CONF_MAX_SLABS; i++) {
        if (m.hdr[T_SLAB][i].kind == 0 || m.hdr[T_SLAB][i].zombie)
            continue;
        m_slab_t *s = &m.slabs[i];
        for (uint32_t b = 0; b < s->count; b++)
            if (s->owner[b] != M_ISR_TOKEN && (s->owner[b] & 0xfffu) == slot + 1u) {
                s->owner[b] = 0;
                s->hint = b;
            }
    }
}

void m_proc_reaped(uint32_t slot)
{
    slab_blocks_back(slot);
    m.procs[slot].state = P_JOINED;
    m.procs[slot].joined_seq = (uint16_t)m.join_seq++;
}

void m_proc_free(uint32_t slot)
{
    m_proc_t *p = &m.procs[slot];
    uint16_t gen = (uint16_t)gen_next(p->gen);
    memset(p, 0, sizeof *p);
    p->gen = gen;
    p->state = P_FREE;
}

bool m_pending_children(void)
{
    for (uint32_t i = 1; i < M_PROCS; i++)
        if (m.procs[i].state == P_RUNNING && !m.procs[i].ended && !m.procs[i].ran)
            return true;
    return false;
}

/* ---- ring sides ---------------------------------------------------------------------------- */
int m_side_enter(m_side_t *s, bool commit)
{
    uint32_t self = m_self_token(), owner = s->bias;
    bool live = owner != 0 && owner != M_BIAS_OFF && m_alive(owner);
    if (m.isr) {
        if (live && s->busy)
            return VIA_ISR_AGAIN;
        return live ? VIA_HANDLER : VIA_GUARD;
    }
    if (owner == self)
        return VIA_BIAS;
    if (owner == M_BIAS_OFF)
        return VIA_GUARD;
    if (!live) {
        if (commit)
            s->bias = self; /* the first user, or the successor of a dead one */
        return VIA_GUARD;
    }
    int via = s->busy ? VIA_HANG : VIA_GUARD;
    if (commit)
        s->bias = M_BIAS_OFF; /* two live users: the guard from now on */
    return via;
}

void m_side_leave(m_side_t *s, int via, bool completed)
{
    if (via == VIA_BIAS)
        s->busy = !completed;
}

/* ---- locks other objects depend on -------------------------------------------------------- */
bool m_lock_dead_owner(int slot)
{
    return m.locks[slot].holder != 0 && !m_alive(m.locks[slot].holder);
}

bool m_lock_busy(int slot)
{
    const m_lock_t *l = &m.locks[slot];
    if (l->holder != 0 && m_alive(l->holder))
        return true;
    return m_lock_owned(slot);
}

void m_lock_drop_user(int slot)
{
    m_lock_t *l = &m.locks[slot];
    if (l->owned && !m_lock_owned(slot))
        (void)m_free(T_LOCK, slot);
}

bool m_lock_owned(int slot)
{
    const m_lock_t *l = &m.locks[slot];
    return l->owner_value >= 0 || l->owner_cond >= 0 || l->cond_users > 0;
}

/* ---- Dict and List storage -------------------------------------------------------------- */
void m_rec_lock(m_rec_t *r)
{
    if (r->dead_holder)
        r->version++; /* records.c repair() */
    r->dead_holder = false;
}

/* records.c mpi_records_bytes: two maps, the live flags (8-byte aligned), capacity + 1
 * records. */
uint64_t m_rec_bytes(uint32_t capacity, uint32_t record_size)
{
    return (uint64_t)capacity * 8u + (((uint64_t)capacity + 1u + 7u) & ~(uint64_t)7u) +
           ((uint64_t)capacity + 1u) * record_size;
}

/* ---- the main process inside a call while children run ----------------------------------- */
void m_inside_begin(int table, int slot)
{
    m.inside = (m_inside_t){true, table, slot, -1, false, {-1, -1}, NULL};
}

bool m_inside_end(void)
{
    bool destroyed = m.inside.destroyed;
    if (destroyed) {
        free_now(m.inside.table, m.inside.slot);
        for (int i = 0; i < 2; i++)
            m_arena_free(m.inside.blocks[i]);
        if (m.inside.on_free != NULL)
            m.inside.on_free(m.inside.slot);
    }
    m.inside = (m_inside_t){false, -1, -1, -1, false, {-1, -1}, NULL};
    return destroyed;
}
