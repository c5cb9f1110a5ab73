/*
 * Creates refused for want of room, on every port: each table full in turn (MP_ENOSLOT),
 * then the arena (MP_ENOMEM). Each row one call, its exact code, and nothing changed
 * (tests/support/badinput.h): in particular a create that needed two things (an entry
 * and storage, or an entry and a lock) and got only one gives that one back. Rows marked
 * BI_GAVE_BACK are the creates that claim something before they find there is no room:
 * a Condition's own RLock before its entry, storage before the second ring of a pipe, an
 * Array's RLock before its storage, a Dict's or List's entry before its storage, a Pool's
 * entry before its workers' processes; the others check first and must change nothing.
 *
 * This suite builds no fixture: it needs the tables empty to fill them exactly, and a
 * joined process would be recycled by a create instead of MP_ENOSLOT (by design).
 */
#include "badinput.h"

static void undo_lock(void) { (void)mp_lock_destroy(out.made.lock); }
static void undo_rlock(void) { (void)mp_rlock_destroy(out.made.rlock); }
static void undo_queue(void) { (void)mp_queue_destroy(out.made.queue); }
static void undo_value(void) { (void)mp_value_destroy(out.made.value); }
static void undo_array(void) { (void)mp_array_destroy(out.made.array); }
static void undo_semaphore(void) { (void)mp_semaphore_destroy(out.made.semaphore); }
static void undo_event(void) { (void)mp_event_destroy(out.made.event); }
static void undo_condition(void) { (void)mp_condition_destroy(out.made.condition); }
static void undo_barrier(void) { (void)mp_barrier_destroy(out.made.barrier); }
static void undo_process(void) { (void)mp_process_close(out.made.process); }
static void undo_pool(void) { (void)mp_pool_destroy(out.made.pool); }
static void undo_dict(void) { (void)mp_dict_destroy(out.made.dict); }
static void undo_list(void) { (void)mp_list_destroy(out.made.list); }
static void undo_slab(void) { (void)mp_slab_destroy(out.made.slab); }
static void undo_pipe(void)
{
    (void)mp_pipe_close(out.made.conn);
    (void)mp_pipe_close(out.made2.conn);
}

static int child(void *arg)
{
    (void)arg;
    return 0;
}

/* A pool with no worker left: made, closed and joined. An idle worker would write the
 * world while the rows run (it looks for work now and then: pool.c). */
static mp_err_t quiet_pool(mp_pool_t *p)
{
    mp_err_t err = mp_pool_create(p, &(mp_pool_attr_t){.workers = 1});
    if (err == MP_OK)
        err = mp_pool_close(*p);
    return err == MP_OK ? mp_pool_join(*p, MP_FOREVER) : err;
}

MP_QUEUE_DEFINE(static_q, 8, 2);
MP_SLAB_DEFINE(static_slab, 8, 2);
static mp_lock_t spare_lock; /* for conditions given a lock */

#define Q_ATTR (&(mp_queue_attr_t){.msg_size = 8, .depth = 2})
#define P_ATTR (&(mp_pipe_attr_t){.msg_size = 8, .depth = 2, .duplex = true})
#define WITH_LOCK (&(mp_condition_attr_t){.kind = MP_CONDITION_LOCK, .lock = spare_lock})
#define D_ATTR (&(mp_dict_attr_t){.capacity = 2, .key_size = 8, .value_size = 8})
#define L_ATTR (&(mp_list_attr_t){.capacity = 2, .item_size = 8})

/* ---- one table full at a time ----------------------------------------------------------- */
#define LOCKS_FULL(X)                                                                         \
    X(l1, MP_ENOSLOT, 0, undo_lock, mp_lock_create(&out.made.lock))                           \
    X(l2, MP_ENOSLOT, 0, undo_rlock, mp_rlock_create(&out.made.rlock))                        \
    X(l3, MP_ENOSLOT, 0, undo_value, mp_value_create(&out.made.value, MP_I64, bi_in, false))  \
    X(l4, MP_ENOSLOT, 0, undo_array, mp_array_create(&out.made.array, MP_I64, 4, NULL, false)) \
    X(l5, MP_ENOSLOT, 0, undo_condition, mp_condition_create(&out.made.condition, NULL))
#define QUEUES_FULL(X)                                                                        \
    X(q1, MP_ENOSLOT, 0, undo_queue, mp_queue_create(&out.made.queue, Q_ATTR))     \
    X(q2, MP_ENOSLOT, 0, undo_queue, mp_queue_create_static(&out.made.queue, &static_q, true))
#define PIPES_FULL(X)                                                                         \
    X(p1, MP_ENOSLOT, 0, undo_pipe, mp_pipe_create(&out.made.conn, &out.made2.conn, P_ATTR))  \
    X(p2, MP_ENOSLOT, 0, undo_pipe, mp_pipe_create(&out.made.conn, &out.made2.conn, NULL))
#define VALUES_FULL(X)                                                                        \
    X(v1, MP_ENOSLOT, 0, undo_value, mp_value_create(&out.made.value, MP_I32, NULL, true))    \
    X(v2, MP_ENOSLOT, 0, undo_value, mp_value_create(&out.made.value, MP_I64, NULL, false)) \
    X(v3, MP_ENOSLOT, 0, undo_array, mp_array_create(&out.made.array, MP_U8, 100, NULL, true)) \
    X(v4, MP_ENOSLOT, 0, undo_array, mp_array_create(&out.made.array, MP_DOUBLE, 3, bi_in, false))
#define OTHERS_FULL(X)                                                                        \
    X(s1, MP_ENOSLOT, 0, undo_semaphore, mp_semaphore_create(&out.made.semaphore, 1, true))   \
    X(e1, MP_ENOSLOT, 0, undo_event, mp_event_create(&out.made.event))                        \
    X(b1, MP_ENOSLOT, 0, undo_barrier, mp_barrier_create(&out.made.barrier, 2, NULL))
#define CONDITIONS_FULL(X)                                                                    \
    X(c1, MP_ENOSLOT, BI_GAVE_BACK, undo_condition, mp_condition_create(&out.made.condition, NULL)) \
    X(c2, MP_ENOSLOT, 0, undo_condition, mp_condition_create(&out.made.condition, WITH_LOCK))
#define POOLS_FULL(X)                                                                         \
    X(t1, MP_ENOSLOT, 0, undo_pool, mp_pool_create(&out.made.pool, NULL))                     \
    X(t2, MP_ENOSLOT, 0, undo_pool, mp_pool_create(&out.made.pool, &(mp_pool_attr_t){.workers = 1, .initarg = bi_in, .initarg_size = 8}))
#define MANAGER_FULL(X)                                                                       \
    X(d1, MP_ENOSLOT, 0, undo_dict, mp_dict_create(&out.made.dict, D_ATTR))                   \
    X(d2, MP_ENOSLOT, 0, undo_dict, mp_namespace_create(&out.made.ns, 2, 8))                  \
    X(d3, MP_ENOSLOT, 0, undo_list, mp_list_create(&out.made.list, L_ATTR))
#define SLABS_FULL(X)                                                                         \
    X(k1, MP_ENOSLOT, 0, undo_slab, mp_slab_create(&out.made.slab, 8, 2))                     \
    X(k2, MP_ENOSLOT, 0, undo_slab, mp_slab_create_static(&out.made.slab, &static_slab))
/* a pool whose worker finds no process slot is given back whole (its entry) */
#define PROCESSES_FULL(X)                                                                     \
    X(x1, MP_ENOSLOT, 0, undo_process, mp_process_create(&out.made.process, &(mp_process_attr_t){.target = child})) \
    X(x2, MP_ENOSLOT, 0, undo_process, mp_process_create(&out.made.process, &(mp_process_attr_t){.target = child, .name = "x", .daemon = MP_DAEMON_YES})) \
    X(x3, MP_ENOSLOT, BI_GAVE_BACK, undo_pool, mp_pool_create(&out.made.pool, &(mp_pool_attr_t){.workers = 1}))
/* the arena full (every table has room) */
#define ARENA_FULL(X)                                                                         \
    X(a1, MP_ENOMEM, 0, undo_queue, mp_queue_create(&out.made.queue, Q_ATTR))                 \
    X(a2, MP_ENOMEM, BI_GAVE_BACK, undo_pipe, mp_pipe_create(&out.made.conn, &out.made2.conn, P_ATTR)) \
    X(a3, MP_ENOMEM, 0, undo_array, mp_array_create(&out.made.array, MP_U8, 1, NULL, true))   \
    X(a4, MP_ENOMEM, BI_GAVE_BACK, undo_array, mp_array_create(&out.made.array, MP_I32, 1, NULL, false)) \
    X(a5, MP_ENOMEM, BI_GAVE_BACK, undo_dict, mp_dict_create(&out.made.dict, D_ATTR))         \
    X(a6, MP_ENOMEM, BI_GAVE_BACK, undo_dict, mp_namespace_create(&out.made.ns, 1, 8))        \
    X(a7, MP_ENOMEM, BI_GAVE_BACK, undo_list, mp_list_create(&out.made.list, L_ATTR))   \
    X(a8, MP_ENOMEM, 0, undo_slab, mp_slab_create(&out.made.slab, 8, 2))

/* the arena with room for one ring of a duplex pipe, not two; nor for an array one byte
 * larger than the room left (which the array's own lock is made before) */
#define ONE_RING (MP_CONF_ARENA_SIZE / 64u) /* messages of 8 bytes: a quarter of the arena */
#define ARENA_ONE_RING(X)                                                                     \
    X(o1, MP_ENOMEM, BI_GAVE_BACK, undo_pipe, mp_pipe_create(&out.made.conn, &out.made2.conn, &(mp_pipe_attr_t){.msg_size = 8, .depth = ONE_RING, .duplex = true})) \
    X(o2, MP_ENOMEM, BI_GAVE_BACK, undo_array, mp_array_create(&out.made.array, MP_U8, MP_CONF_ARENA_SIZE / 4u + MP_PORT_CACHE_LINE + 1u, NULL, false))

#define TABLE(name)                                                                           \
    name(BI_FN) static const bi_row_t name##_rows[] = {name(BI_ENTRY)};
TABLE(LOCKS_FULL)
TABLE(QUEUES_FULL)
TABLE(PIPES_FULL)
TABLE(VALUES_FULL)
TABLE(OTHERS_FULL)
TABLE(CONDITIONS_FULL)
TABLE(POOLS_FULL)
TABLE(MANAGER_FULL)
TABLE(SLABS_FULL)
TABLE(PROCESSES_FULL)
TABLE(ARENA_FULL)
TABLE(ARENA_ONE_RING)
#define RUN(name) bi_run(name##_rows, sizeof name##_rows / sizeof name##_rows[0])

/* Creates until the table says MP_ENOSLOT; returns how many were made. */
#define FILL(array, create)                                                                   \
    do {                                                                                      \
        n_##array = 0;                                                                        \
        mp_err_t err_;                                                                        \
        while ((err_ = (create)) == MP_OK)                                                    \
            n_##array++;                                                                      \
        assert_int_equal(MP_ENOSLOT, err_);                                                   \
    } while (0)

static void test_each_table_full(void **state)
{
    (void)state;
    /* one more than a table holds: the create that finds it full is given a place too */
    static mp_lock_t locks[MP_CONF_MAX_LOCKS + 1];
    static mp_queue_t queues[MP_CONF_MAX_QUEUES + 1];
    static mp_conn_t ends[MP_CONF_MAX_PIPES + 1][2];
    static mp_value_t values[MP_CONF_MAX_VALUES + 1];
    static mp_semaphore_t sems[MP_CONF_MAX_SEMAPHORES + 1];
    static mp_event_t events[MP_CONF_MAX_EVENTS + 1];
    static mp_barrier_t barriers[MP_CONF_MAX_BARRIERS + 1];
    static mp_condition_t conds[MP_CONF_MAX_CONDITIONS + 1];
    static mp_process_t procs[MP_CONF_MAX_PROCESSES + 1];
    static mp_pool_t pools[MP_CONF_MAX_POOLS + 1];
    static mp_dict_t dicts[MP_CONF_MAX_DICTS + 1];
    static mp_list_t lists[MP_CONF_MAX_LISTS + 1];
    static mp_slab_t slabs[MP_CONF_MAX_SLABS + 1];
    size_t n_locks, n_queues, n_ends, n_values, n_sems, n_events, n_barriers, n_conds, n_procs;
    size_t n_pools, n_dicts, n_lists, n_slabs;

    FILL(locks, mp_lock_create(&locks[n_locks]));
    assert_int_equal(MP_CONF_MAX_LOCKS, n_locks);
    RUN(LOCKS_FULL);
    for (size_t i = 0; i < n_locks; i++)
        OK(mp_lock_destroy(locks[i]));

    FILL(queues, mp_queue_create(&queues[n_queues], Q_ATTR));
    RUN(QUEUES_FULL);
    for (size_t i = 0; i < n_queues; i++)
        OK(mp_queue_destroy(queues[i]));

    FILL(ends, mp_pipe_create(&ends[n_ends][0], &ends[n_ends][1], P_ATTR));
    RUN(PIPES_FULL);
    for (size_t i = 0; i < n_ends; i++) {
        OK(mp_pipe_close(ends[i][0]));
        OK(mp_pipe_close(ends[i][1]));
    }

    FILL(values, mp_value_create(&values[n_values], MP_I32, NULL, true));
    RUN(VALUES_FULL);
    for (size_t i = 0; i < n_values; i++)
        OK(mp_value_destroy(values[i]));

    FILL(sems, mp_semaphore_create(&sems[n_sems], 0, false));
    FILL(events, mp_event_create(&events[n_events]));
    FILL(barriers, mp_barrier_create(&barriers[n_barriers], 1, NULL));
    RUN(OTHERS_FULL);
    for (size_t i = 0; i < n_sems; i++)
        OK(mp_semaphore_destroy(sems[i]));
    for (size_t i = 0; i < n_events; i++)
        OK(mp_event_destroy(events[i]));
    for (size_t i = 0; i < n_barriers; i++)
        OK(mp_barrier_destroy(barriers[i]));

    OK(mp_lock_create(&spare_lock));
    FILL(conds, mp_condition_create(&conds[n_conds], NULL));
    RUN(CONDITIONS_FULL);
    for (size_t i = 0; i < n_conds; i++)
        OK(mp_condition_destroy(conds[i]));
    OK(mp_lock_destroy(spare_lock));

    FILL(pools, quiet_pool(&pools[n_pools]));
    assert_int_equal(MP_CONF_MAX_POOLS, n_pools);
    RUN(POOLS_FULL);
    for (size_t i = 0; i < n_pools; i++)
        OK(mp_pool_destroy(pools[i]));

    FILL(dicts, mp_dict_create(&dicts[n_dicts], D_ATTR));
    FILL(lists, mp_list_create(&lists[n_lists], L_ATTR));
    RUN(MANAGER_FULL);
    for (size_t i = 0; i < n_dicts; i++)
        OK(mp_dict_destroy(dicts[i]));
    for (size_t i = 0; i < n_lists; i++)
        OK(mp_list_destroy(lists[i]));

    FILL(slabs, mp_slab_create(&slabs[n_slabs], 8, 1));
    assert_int_equal(MP_CONF_MAX_SLABS, n_slabs);
    RUN(SLABS_FULL);
    for (size_t i = 0; i < n_slabs; i++)
        OK(mp_slab_destroy(slabs[i]));

    FILL(procs, mp_process_create(&procs[n_procs], &(mp_process_attr_t){.target = child}));
    assert_int_equal(MP_CONF_MAX_PROCESSES - 1, n_procs);
    RUN(PROCESSES_FULL);
    for (size_t i = 0; i < n_procs; i++)
        OK(mp_process_close(procs[i]));

    bi_verdict("full tables");
}

static void test_arena_full(void **state)
{
    (void)state;
    /* One queue of 1-byte messages takes the whole arena: an 8-byte slot on every port
     * (1 + 4 rounds up to 8, as a power of two and as whole 8-byte lines). */
    mp_queue_t hog;
    OK(mp_queue_create(&hog, &(mp_queue_attr_t){.msg_size = 1, .depth = MP_CONF_ARENA_SIZE / 8}));
    mp_usage_t u;
    OK(mp_usage(&u));
    assert_int_equal(MP_CONF_ARENA_SIZE, u.arena_bytes);
    RUN(ARENA_FULL);
    OK(mp_queue_destroy(hog));
    bi_verdict("full tables and arena");
}

static void test_arena_with_room_for_one_ring(void **state)
{
    (void)state;
    /* A queue of 1-byte messages (8-byte slots) takes all but a quarter of the arena and
     * one line: one ring of ONE_RING 16-byte slots fits in what is left, two do not. */
    mp_queue_t hog;
    OK(mp_queue_create(&hog, &(mp_queue_attr_t){
                                 .msg_size = 1,
                                 .depth = (MP_CONF_ARENA_SIZE / 4u * 3u - MP_PORT_CACHE_LINE) / 8u}));
    RUN(ARENA_ONE_RING);
    /* the room is really there: the same pipe, one-way, fits */
    mp_conn_t a, b;
    OK(mp_pipe_create(&a, &b, &(mp_pipe_attr_t){.msg_size = 8, .depth = ONE_RING}));
    OK(mp_pipe_close(a));
    OK(mp_pipe_close(b));
    OK(mp_queue_destroy(hog));
    bi_verdict("full tables and arena, room for one ring");
}

static void test_everything_given_back(void **state)
{
    (void)state;
    mp_usage_t u;
    OK(mp_usage(&u));
    assert_int_equal(1, u.processes); /* the main process */
    mp_usage_t empty = {.processes = 1};
    assert_memory_equal(&empty, &u, sizeof u);
    print_message("full: %u bad-input checks\n", bi_rows);
}

static int setup(void **state)
{
    (void)state;
    return mp_init() == MP_OK ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_table_full),
        cmocka_unit_test(test_arena_full),
        cmocka_unit_test(test_arena_with_room_for_one_ring),
        cmocka_unit_test(test_everything_given_back),
    };
    return cmocka_run_group_tests_name("badinput_full", tests, setup, NULL);
}
