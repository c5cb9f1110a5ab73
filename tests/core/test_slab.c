/*
 * Slab, the fixed-block allocator (mp/slab.h), on every port: blocks handed out once each
 * and valid in every process, exhaustion (MP_EAGAIN, MP_ETIMEDOUT) and a blocked alloc
 * released by another process's free, the ownership rule (give, take, and the blocks of a
 * process that ends going back to the pool when it is reaped), a process killed inside
 * alloc or free, destroy, static storage, and the codes of what is not a block.
 * Processes synchronise through runtime objects; nothing here measures time.
 */
#include "mp_test.h"
#include "test_hooks.h"
#include "kill_plan.h"

static mp_slab_t make(uint32_t block_size, uint32_t count)
{
    mp_slab_t s;
    OK(mp_slab_create(&s, block_size, count));
    return s;
}

static mp_slab_stat_t stat_of(mp_slab_t s)
{
    mp_slab_stat_t st;
    OK(mp_slab_stat(s, &st));
    return st;
}

static uint32_t used(mp_slab_t s)
{
    return stat_of(s).used;
}

/* ---- one process -------------------------------------------------------------------- */

static void test_every_block_is_handed_out_once_then_eagain_and_etimedout(void **state)
{
    (void)state;
    mp_slab_t s = make(24, 4);
    uint8_t *b[4];
    for (int i = 0; i < 4; i++) {
        OK(mp_slab_alloc(s, (void **)&b[i], i % 2 ? 20 : MP_NOWAIT));
        assert_int_equal(0, (uintptr_t)b[i] % MP_SLAB_ALIGN);
        memset(b[i], 0x10 + i, 24); /* all of it is the caller's */
    }
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++) /* distinct, and no two overlap */
            assert_true(b[i] + MP_SLAB_STRIDE(24) <= b[j] || b[j] + MP_SLAB_STRIDE(24) <= b[i]);
    void *more = NULL;
    assert_int_equal(MP_EAGAIN, mp_slab_alloc(s, &more, MP_NOWAIT));
    assert_int_equal(MP_ETIMEDOUT, mp_slab_alloc(s, &more, 20));
    assert_null(more); /* a failed alloc leaves the output alone */
    mp_slab_stat_t st = stat_of(s);
    assert_int_equal(24, st.block_size);
    assert_int_equal(4, st.count);
    assert_int_equal(4, st.used);
    assert_int_equal(0, st.unowned);
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 24; k++)
            assert_int_equal(0x10 + i, b[i][k]); /* nobody else wrote into them */
    OK(mp_slab_free(s, b[2]));
    OK(mp_slab_alloc(s, &more, MP_NOWAIT)); /* the one freed, the only one */
    assert_ptr_equal(b[2], more);
    for (int i = 0; i < 4; i++)
        OK(mp_slab_free(s, b[i]));
    assert_int_equal(0, used(s));
    OK(mp_slab_destroy(s));
}

static void test_what_is_not_a_block_and_a_block_free_already_change_nothing(void **state)
{
    (void)state;
    mp_slab_t s = make(24, 2), other = make(24, 2);
    uint8_t *a, *b, *elsewhere;
    OK(mp_slab_alloc(s, (void **)&a, MP_NOWAIT));
    OK(mp_slab_alloc(other, (void **)&elsewhere, MP_NOWAIT));
    assert_int_equal(MP_EINVAL, mp_slab_free(s, NULL));
    assert_int_equal(MP_EINVAL, mp_slab_free(s, a + 1));             /* misaligned */
    assert_int_equal(MP_EINVAL, mp_slab_free(s, a + MP_SLAB_ALIGN)); /* inside the block */
    assert_int_equal(MP_EINVAL, mp_slab_free(s, a - MP_SLAB_ALIGN)); /* before the first */
    assert_int_equal(MP_EINVAL, mp_slab_free(s, a + 2 * MP_SLAB_STRIDE(24))); /* past the last */
    assert_int_equal(MP_EINVAL, mp_slab_free(s, elsewhere));         /* another slab's */
    assert_int_equal(MP_EINVAL, mp_slab_alloc(s, NULL, MP_NOWAIT));
    assert_int_equal(MP_EINVAL, mp_slab_stat(s, NULL));
    assert_int_equal(1, used(s));
    OK(mp_slab_free(s, a));
    assert_int_equal(MP_EALREADY, mp_slab_free(s, a)); /* a double free */
    assert_int_equal(MP_EALREADY, mp_slab_give(s, a));
    assert_int_equal(MP_EALREADY, mp_slab_take(s, a));
    assert_int_equal(0, used(s));
    /* the free list, such as it is, is whole: both blocks, once each */
    OK(mp_slab_alloc(s, (void **)&a, MP_NOWAIT));
    OK(mp_slab_alloc(s, (void **)&b, MP_NOWAIT));
    assert_ptr_not_equal(a, b);
    void *none;
    assert_int_equal(MP_EAGAIN, mp_slab_alloc(s, &none, MP_NOWAIT));
    assert_int_equal(1, used(other));
    OK(mp_slab_destroy(s));
    OK(mp_slab_destroy(other));
}

static void test_create_refuses_bad_shapes(void **state)
{
    (void)state;
    mp_slab_t s;
    assert_int_equal(MP_EINVAL, mp_slab_create(NULL, 8, 2));
    assert_int_equal(MP_EINVAL, mp_slab_create(&s, 0, 2));
    assert_int_equal(MP_EINVAL, mp_slab_create(&s, 8, 0));
    assert_int_equal(MP_ENOMEM, mp_slab_create(&s, MP_CONF_ARENA_SIZE, 1)); /* + owner word */
    assert_int_equal(MP_ENOMEM, mp_slab_create(&s, UINT32_MAX, UINT32_MAX)); /* 64-bit sizes */
    mp_usage_t u;
    OK(mp_usage(&u));
    assert_int_equal(0, u.slabs);
}

static void test_stale_and_foreign_handles_are_refused(void **state)
{
    (void)state;
    mp_slab_t s = make(8, 1), zero = {0};
    void *b;
    OK(mp_slab_alloc(s, &b, MP_NOWAIT));
    OK(mp_slab_destroy(s));
    mp_slab_t again = make(8, 1); /* probably the same entry, a new generation */
    assert_int_not_equal(s.id, again.id);
    assert_int_equal(MP_ESTALE, mp_slab_alloc(s, &b, MP_NOWAIT));
    assert_int_equal(MP_ESTALE, mp_slab_alloc(s, &b, MP_FOREVER));
    assert_int_equal(MP_ESTALE, mp_slab_free(s, b));
    assert_int_equal(MP_ESTALE, mp_slab_give(s, b));
    assert_int_equal(MP_ESTALE, mp_slab_take(s, b));
    mp_slab_stat_t st;
    assert_int_equal(MP_ESTALE, mp_slab_stat(s, &st));
    assert_int_equal(MP_ESTALE, mp_slab_destroy(s));
    mp_lock_t l;
    OK(mp_lock_create(&l));
    mp_slab_t lock_as_slab = {l.id};
    assert_int_equal(MP_EHANDLE, mp_slab_alloc(lock_as_slab, &b, MP_NOWAIT));
    assert_int_equal(MP_EHANDLE, mp_slab_free(lock_as_slab, b));
    assert_int_equal(MP_EHANDLE, mp_slab_destroy(zero));
    OK(mp_lock_destroy(l));
    assert_int_equal(0, used(again)); /* nothing reached the new slab */
    OK(mp_slab_destroy(again));
}

/* ---- static storage ------------------------------------------------------------------- */
MP_SLAB_DEFINE(buffers, 40, 3);

static void test_a_static_slab_hands_out_its_own_storage_and_backs_one_slab(void **state)
{
    (void)state;
    mp_slab_t s, twice;
    mp_usage_t before, after;
    OK(mp_usage(&before));
    OK(mp_slab_create_static(&s, &buffers));
    OK(mp_usage(&after));
    assert_int_equal(before.arena_bytes, after.arena_bytes); /* no arena */
    assert_int_equal(MP_EBUSY, mp_slab_create_static(&twice, &buffers));
    uint8_t *b[3];
    const uint8_t *start = buffers.storage, *end = start + buffers.size;
    for (int i = 0; i < 3; i++) {
        OK(mp_slab_alloc(s, (void **)&b[i], MP_NOWAIT));
        assert_true(b[i] >= start && b[i] + 40 <= end);
    }
    void *none;
    assert_int_equal(MP_EAGAIN, mp_slab_alloc(s, &none, MP_NOWAIT));
    OK(mp_slab_destroy(s));
    OK(mp_slab_create_static(&s, &buffers)); /* free again: every block free */
    assert_int_equal(0, used(s));
    OK(mp_slab_destroy(s));
}

/* Memory only this process sees: the port says whether it is shared (POSIX: it is not). */
static _Alignas(max_align_t) uint8_t private_storage[MP_SLAB_STORAGE_SIZE(8, 2)];

static void test_storage_not_shared_by_every_process_is_refused(void **state)
{
    (void)state;
    mp_slab_t s;
    mp_slab_static_t def = {private_storage, sizeof private_storage, 8, 2};
    bool shared = mp_port_shared(private_storage, sizeof private_storage);
    mp_err_t err = mp_slab_create_static(&s, &def);
    assert_int_equal(shared ? MP_OK : MP_EINVAL, err);
    if (err == MP_OK)
        OK(mp_slab_destroy(s));
}

/* ---- across processes ------------------------------------------------------------------- */
typedef struct {
    mp_slab_t s;
    mp_queue_t q;
    uint32_t n;
    bool give;
} hand_t;

/* Allocates n blocks, fills each with its number, gives it (or not), and puts its address
 * on the queue. */
static int sender(void *arg)
{
    const hand_t *h = arg;
    for (uint32_t i = 0; i < h->n; i++) {
        uint32_t *b;
        if (mp_slab_alloc(h->s, (void **)&b, LONG) != MP_OK)
            return 1;
        b[0] = 1000u + i;
        if (h->give && mp_slab_give(h->s, b) != MP_OK)
            return 2;
        if (mp_queue_put(h->q, &b, sizeof b, LONG) != MP_OK)
            return 3;
    }
    return 0;
}

static uint32_t *receive(mp_queue_t q)
{
    uint32_t *b = NULL;
    size_t len;
    OK(mp_queue_get(q, &b, sizeof b, &len, LONG));
    assert_int_equal(sizeof b, len);
    return b;
}

static void test_a_given_block_outlives_its_sender_and_anyone_may_free_it(void **state)
{
    (void)state;
    hand_t h = {.s = make(16, 2), .n = 2, .give = true};
    OK(mp_queue_create(&h.q, &(mp_queue_attr_t){.msg_size = sizeof(void *), .depth = 2}));
    assert_int_equal(0, run(sender, &h, sizeof h)); /* joined: its own blocks went back */
    mp_slab_stat_t st = stat_of(h.s);
    assert_int_equal(2, st.used); /* given ones did not */
    assert_int_equal(2, st.unowned);
    uint32_t *a = receive(h.q), *b = receive(h.q);
    assert_int_equal(1000, a[0]); /* what the sender wrote, at the same address */
    assert_int_equal(1001, b[0]);
    OK(mp_slab_free(h.s, a)); /* by a process that never owned it */
    OK(mp_slab_take(h.s, b));
    st = stat_of(h.s);
    assert_int_equal(1, st.used);
    assert_int_equal(0, st.unowned);
    OK(mp_slab_free(h.s, b));
    OK(mp_queue_destroy(h.q));
    OK(mp_slab_destroy(h.s));
}

static void test_a_block_not_handed_over_goes_back_when_its_sender_is_joined(void **state)
{
    (void)state;
    hand_t h = {.s = make(16, 2), .n = 2, .give = false};
    OK(mp_queue_create(&h.q, &(mp_queue_attr_t){.msg_size = sizeof(void *), .depth = 2}));
    mp_process_t p = spawn(sender, &h, sizeof h, MP_DAEMON_NO);
    uint32_t *a = receive(h.q);
    OK(mp_slab_take(h.s, a)); /* this one changes hands: the receiver's now */
    uint32_t *b = receive(h.q);
    assert_int_equal(0, reap(p));
    assert_int_equal(1, used(h.s)); /* b went back with its sender: the documented rule */
    assert_int_equal(MP_EALREADY, mp_slab_free(h.s, b));
    assert_int_equal(1000, a[0]);
    OK(mp_slab_free(h.s, a));
    OK(mp_queue_destroy(h.q));
    OK(mp_slab_destroy(h.s));
}

typedef struct {
    mp_slab_t s;
    void *block;
} taker_t;

/* Takes over a block another process allocated, and ends holding it. */
static int taker(void *arg)
{
    const taker_t *t = arg;
    return CODE(mp_slab_take(t->s, t->block));
}

static void test_a_block_taken_over_goes_back_when_its_taker_is_joined(void **state)
{
    (void)state;
    taker_t t = {.s = make(8, 1)};
    OK(mp_slab_alloc(t.s, &t.block, MP_NOWAIT));
    assert_int_equal(0, run(taker, &t, sizeof t));
    assert_int_equal(0, used(t.s)); /* no longer the allocator's: gone with its taker */
    assert_int_equal(MP_EALREADY, mp_slab_free(t.s, t.block));
    OK(mp_slab_destroy(t.s));
}

/* Exhaustion across processes: a child blocked in alloc gets the block another process
 * frees, whoever allocated it. */
static MP_SHARED struct {
    void *got;
    test_signal_t ready;
} waiter_seen;

static int waiter(void *arg)
{
    mp_slab_t s = *(const mp_slab_t *)arg;
    if (signal_post(waiter_seen.ready) != MP_OK)
        return 1;
    mp_err_t err = mp_slab_alloc(s, &waiter_seen.got, LONG);
    if (err != MP_OK)
        return CODE(err);
    return CODE(mp_slab_free(s, waiter_seen.got));
}

static mp_process_t start_waiter(mp_slab_t *s)
{
    waiter_seen.got = NULL;
    signal_init(&waiter_seen.ready);
    mp_process_t p = spawn_until(waiter_seen.ready, waiter, s, sizeof *s, MP_DAEMON_NO);
    wait_blocked(p);
    signal_destroy(&waiter_seen.ready);
    return p;
}

typedef struct {
    mp_slab_t s;
    void *block;
} freer_t;

static int freer(void *arg)
{
    const freer_t *f = arg;
    return CODE(mp_slab_free(f->s, f->block));
}

static void test_a_blocked_alloc_gets_the_block_another_process_frees(void **state)
{
    (void)state;
    mp_slab_t s = make(32, 2);
    void *a, *b;
    OK(mp_slab_alloc(s, &a, MP_NOWAIT));
    OK(mp_slab_alloc(s, &b, MP_NOWAIT));
    mp_process_t p = start_waiter(&s);
    OK(mp_slab_free(s, b)); /* the main process's free */
    assert_int_equal(0, reap_soon(p));
    assert_ptr_equal(b, waiter_seen.got);
    OK(mp_slab_alloc(s, &b, MP_NOWAIT)); /* the waiter freed it: none free again */
    p = start_waiter(&s);
    freer_t f = {s, a}; /* a third process frees the main process's block */
    assert_int_equal(0, run(freer, &f, sizeof f));
    assert_int_equal(0, reap_soon(p));
    assert_ptr_equal(a, waiter_seen.got);
    OK(mp_slab_free(s, b));
    assert_int_equal(0, used(s));
    OK(mp_slab_destroy(s));
}

static void test_destroy_wakes_a_blocked_alloc_with_estale(void **state)
{
    (void)state;
    mp_slab_t s = make(8, 1);
    void *a;
    OK(mp_slab_alloc(s, &a, MP_NOWAIT));
    mp_process_t p = start_waiter(&s);
    OK(mp_slab_destroy(s));
    assert_int_equal(CODE(MP_ESTALE), reap_soon(p)); /* at once, not at its deadline */
    assert_null(waiter_seen.got);
}

/* ---- a process that ends holding blocks ------------------------------------------------- */
typedef struct {
    mp_slab_t s;
    uint32_t n;
    int how; /* 0: return, 1: wait to be killed, 2: crash */
    test_signal_t holding;
} holder_t;

static int holder(void *arg)
{
    const holder_t *h = arg;
    for (uint32_t i = 0; i < h->n; i++) {
        void *b;
        if (mp_slab_alloc(h->s, &b, MP_NOWAIT) != MP_OK)
            return 1;
    }
    if (signal_post(h->holding) != MP_OK)
        return 2;
    if (h->how == 1) {
        mp_event_t never;
        if (mp_event_create(&never) == MP_OK)
            (void)mp_event_wait(never, MP_FOREVER);
        return 3;
    }
    if (h->how == 2) {
        volatile int *volatile bad = BAD_ADDRESS;
        *bad = 1;
    }
    return 0;
}

static void ends_holding(int how, int code)
{
    holder_t h = {.s = make(16, 4), .n = 3, .how = how};
    void *mine;
    OK(mp_slab_alloc(h.s, &mine, MP_NOWAIT));
    signal_init(&h.holding);
    mp_process_t p = spawn_until(h.holding, holder, &h, sizeof h, MP_DAEMON_NO);
    assert_int_equal(4, used(h.s)); /* its three and mine */
    mp_process_t w = start_waiter(&h.s); /* none free: sleeps until the reap */
    if (how == 1)
        OK(mp_process_kill(p));
    assert_int_equal(code, reap_soon(p));
    assert_int_equal(0, reap_soon(w)); /* woken by a block of the dead, freed it again */
    assert_non_null(waiter_seen.got);
    assert_int_equal(1, used(h.s)); /* only mine is left */
    void *b[3];
    for (int i = 0; i < 3; i++)
        OK(mp_slab_alloc(h.s, &b[i], MP_NOWAIT)); /* all three usable again */
    for (int i = 0; i < 3; i++)
        OK(mp_slab_free(h.s, b[i]));
    OK(mp_slab_free(h.s, mine));
    signal_destroy(&h.holding);
    OK(mp_slab_destroy(h.s));
}

static void test_blocks_of_a_process_that_returned_go_back_when_it_is_joined(void **state)
{
    (void)state;
    ends_holding(0, 0);
}

static void test_blocks_of_a_killed_worker_go_back_when_it_is_joined(void **state)
{
    (void)state;
    ends_holding(1, -MP_SIGKILL);
}

static void test_blocks_of_a_crashed_worker_go_back_when_it_is_joined(void **state)
{
    (void)state;
    ends_holding(2, -MP_SIGSEGV);
}

/* ---- killed inside alloc and free (test hooks) ----------------------------------------- */

static void aim(mpi_hook_point_t point)
{
    mp_process_t me;
    (void)mp_process_self(&me);
    kill_plan.victim = me.id;
    kill_plan.point = point;
    mpi_test_hook = kill_at_plan;
}

static int alloc_and_die(void *arg)
{
    mp_slab_t s = *(const mp_slab_t *)arg;
    void *b;
    aim(MPI_HOOK_SLAB_TAKEN);
    (void)mp_slab_alloc(s, &b, LONG);
    return 1; /* not reached: killed inside the alloc */
}

static void test_a_block_whose_allocator_was_killed_before_it_returned_is_not_lost(void **state)
{
    (void)state;
    NEEDS_TEST_HOOKS();
    mp_slab_t s = make(8, 1);
    assert_int_equal(-MP_SIGKILL, reap_soon(spawn(alloc_and_die, &s, sizeof s, MP_DAEMON_NO)));
    mpi_test_hook = NULL;
    assert_int_equal(0, used(s)); /* taken, never handed out, given back at the reap */
    void *b;
    OK(mp_slab_alloc(s, &b, MP_NOWAIT));
    OK(mp_slab_free(s, b));
    OK(mp_slab_destroy(s));
}

static int free_and_die(void *arg)
{
    const freer_t *f = arg;
    aim(MPI_HOOK_SLAB_FREED);
    (void)mp_slab_free(f->s, f->block);
    return 1; /* not reached: killed between the free and the wake-up */
}

/* The freer dies after the block is free and before it wakes the allocator that sleeps
 * for it: the allocator still gets it (the port wakes sleepers at a death, or they look
 * again every liveness slice), long before its deadline. */
static void test_an_allocator_gets_a_block_whose_freer_died_before_waking_it(void **state)
{
    (void)state;
    NEEDS_TEST_HOOKS();
    freer_t f = {.s = make(8, 1)};
    OK(mp_slab_alloc(f.s, &f.block, MP_NOWAIT));
    mp_process_t w = start_waiter(&f.s);
    assert_int_equal(-MP_SIGKILL, reap_soon(spawn(free_and_die, &f, sizeof f, MP_DAEMON_NO)));
    mpi_test_hook = NULL;
    assert_int_equal(0, reap_soon(w));
    assert_ptr_equal(f.block, waiter_seen.got);
    assert_int_equal(0, used(f.s));
    OK(mp_slab_destroy(f.s));
}

/* ---- many processes ------------------------------------------------------------------------ */
#define PRODUCERS 2
#define CONSUMERS 2
#define PER_PRODUCER 150
#define WORDS 6

typedef struct {
    mp_slab_t s;
    mp_queue_t q;
    uint32_t id;
} traffic_t;

/* Each block carries (producer, sequence, a checksum of both, ...), given before it is
 * put on the queue; fewer blocks than messages in flight, so producers wait for them. */
static int produce(void *arg)
{
    const traffic_t *t = arg;
    for (uint32_t i = 0; i < PER_PRODUCER; i++) {
        uint32_t *b;
        mp_err_t err = mp_slab_alloc(t->s, (void **)&b, LONG);
        if (err != MP_OK)
            return CODE(err);
        for (uint32_t k = 0; k < WORDS; k++)
            b[k] = t->id * 100000u + i * 10u + k;
        if (mp_slab_give(t->s, b) != MP_OK || mp_queue_put(t->q, &b, sizeof b, LONG) != MP_OK)
            return 1;
    }
    return 0;
}

static MP_SHARED uint32_t received[PRODUCERS][PER_PRODUCER];

/* Takes blocks until a NULL, checks each, frees it. */
static int consume(void *arg)
{
    const traffic_t *t = arg;
    for (;;) {
        uint32_t *b;
        size_t len;
        if (mp_queue_get(t->q, &b, sizeof b, &len, LONG) != MP_OK)
            return 1;
        if (b == NULL)
            return 0;
        uint32_t p = b[0] / 100000u, i = b[0] % 100000u / 10u;
        if (p >= PRODUCERS || i >= PER_PRODUCER)
            return 2;
        for (uint32_t k = 0; k < WORDS; k++)
            if (b[k] != p * 100000u + i * 10u + k)
                return 3;
        received[p][i]++;
        if (mp_slab_free(t->s, b) != MP_OK)
            return 4;
    }
}

static void test_producers_and_consumers_pass_every_block_once(void **state)
{
    (void)state;
    traffic_t t = {.s = make(WORDS * sizeof(uint32_t), 3)};
    OK(mp_queue_create(&t.q, &(mp_queue_attr_t){.msg_size = sizeof(void *), .depth = 8}));
    memset(received, 0, sizeof received);
    mp_process_t c[CONSUMERS], p[PRODUCERS];
    for (int i = 0; i < CONSUMERS; i++)
        c[i] = spawn(consume, &t, sizeof t, MP_DAEMON_NO);
    for (uint32_t i = 0; i < PRODUCERS; i++) {
        t.id = i;
        p[i] = spawn(produce, &t, sizeof t, MP_DAEMON_NO);
    }
    for (int i = 0; i < PRODUCERS; i++)
        assert_int_equal(0, reap_soon(p[i]));
    void *stop = NULL;
    for (int i = 0; i < CONSUMERS; i++)
        OK(mp_queue_put(t.q, &stop, sizeof stop, LONG));
    for (int i = 0; i < CONSUMERS; i++)
        assert_int_equal(0, reap_soon(c[i]));
    for (int i = 0; i < PRODUCERS; i++)
        for (int k = 0; k < PER_PRODUCER; k++)
            assert_int_equal(1, received[i][k]);
    assert_int_equal(0, used(t.s));
    OK(mp_queue_destroy(t.q));
    OK(mp_slab_destroy(t.s));
}

static void test_every_slab_is_gone_at_the_end(void **state)
{
    (void)state;
    mp_usage_t u;
    OK(mp_usage(&u));
    assert_int_equal(0, u.slabs);
    assert_int_equal(0, u.arena_blocks);
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_every_block_is_handed_out_once_then_eagain_and_etimedout),
        TEST(test_what_is_not_a_block_and_a_block_free_already_change_nothing),
        TEST(test_create_refuses_bad_shapes),
        TEST(test_stale_and_foreign_handles_are_refused),
        TEST(test_a_static_slab_hands_out_its_own_storage_and_backs_one_slab),
        TEST(test_storage_not_shared_by_every_process_is_refused),
        TEST(test_a_given_block_outlives_its_sender_and_anyone_may_free_it),
        TEST(test_a_block_not_handed_over_goes_back_when_its_sender_is_joined),
        TEST(test_a_block_taken_over_goes_back_when_its_taker_is_joined),
        TEST(test_a_blocked_alloc_gets_the_block_another_process_frees),
        TEST(test_destroy_wakes_a_blocked_alloc_with_estale),
        TEST(test_blocks_of_a_process_that_returned_go_back_when_it_is_joined),
        TEST(test_blocks_of_a_killed_worker_go_back_when_it_is_joined),
        TEST(test_blocks_of_a_crashed_worker_go_back_when_it_is_joined),
        TEST(test_a_block_whose_allocator_was_killed_before_it_returned_is_not_lost),
        TEST(test_an_allocator_gets_a_block_whose_freer_died_before_waking_it),
        TEST(test_producers_and_consumers_pass_every_block_once),
        TEST(test_every_slab_is_gone_at_the_end),
    };
    return cmocka_run_group_tests_name("slab", tests, NULL, NULL);
}
