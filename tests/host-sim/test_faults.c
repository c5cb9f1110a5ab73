/*
 * Fault injection on the host simulation, deterministic: for each scenario (a small cast
 * of cast.h around one kind of object, member 0 the victim, or in "worker" the first
 * worker of member 0's Pool) the victim is killed, and in other runs stopped for HOLD_MS
 * of virtual time, at its k-th point, for every k from the first to its last (a seeded
 * sample of MAX_RUNS when a scenario is longer). Points are its runtime calls (the
 * board's preemption points) and, in the builds that have them, the core's test hooks
 * (core/test_hooks.h): inside a queue side, between a copy and its publication,
 * registered as a sleeper, inside a biased operation, a Dict or List change written and
 * not yet published, a slab block taken and not yet returned, or freed and its waiters
 * not yet woken, where no runtime call is made. A prober in the cast calls every
 * object with MP_NOWAIT and short timeouts all along.
 *
 * A second test kills a process at each point of its join of a child (MP_SIM_FAULT=
 * kill:reaper:k replays one): whatever it leaves, the main process must be able to join.
 *
 * Every run checks what round.h lists, and, on the virtual clock, exactly: MP_NOWAIT
 * probes take no time at all, timed ones never return after their deadline, and no run
 * lasts as long as a worker's deadline (nobody waits that long when it is served: a run
 * that does lost a wake-up).
 *
 * The schedule is the seed's (MP_SIM_SEED, as for every suite here), restarted before each
 * run, so a run takes the same path up to its fault every time; a failure prints
 *     replay: MP_SIM_SEED=s MP_SIM_FAULT=kill:producer:57 build/host-sim-asan/tests/host-sim/test_faults
 * which runs that one run again, exactly ("stop:..." and "count:..." likewise).
 */
#include <stdlib.h>

#define CAST_STREAM_MAX 64u
#include "round.h"
#include "mp_sim.h"
#include "test_hooks.h"

#define WORK_TIMEOUT 1000u  /* ms: members' calls (virtual: waiting costs nothing) */
#define JOIN_TIMEOUT 60000u /* ms: a member not done by then hangs */
#define HOLD_MS 50u         /* a stop: longer than the probes' timeouts, shorter than the work's */
#define MAX_RUNS 1000u      /* per scenario and fault; beyond, a seeded sample */
#define LIVELOCK_CALLS 5000000u /* runtime calls in one run: a few thousand when healthy */

typedef struct {
    const char *name;
    uint8_t roles[CAST_MAX];
    uint32_t members; /* the prober comes on top */
    mp_timeout_t pace;
    bool at_worker; /* the victim: the first worker of member 0's pool, not member 0 */
} scenario_t;

/* Member 0 is the victim. Three producers: the first has the put side to itself (biased)
 * until a second arrives; killed inside a biased put, its successors must still agree.
 * Paced: the other two work a while between puts, so the side can change hands twice
 * (the victim dies biased, the next producer inherits the bias and goes off to work,
 * the third revokes it) before the inheritor comes back. */
static const scenario_t scenarios[] = {
    {"producer", {PRODUCER, PRODUCER, PRODUCER, CONSUMER}, 4, 0, false},
    {"paced", {PRODUCER, PRODUCER, PRODUCER, CONSUMER}, 4, 1, false},
    {"consumer", {CONSUMER, CONSUMER, PRODUCER}, 3, 0, false},
    {"sender", {SENDER, SENDER, RECEIVER}, 3, 0, false},
    {"receiver", {RECEIVER, SENDER, SENDER}, 3, 0, false},
    {"locker", {LOCKER, LOCKER, LOCKER}, 3, 0, false},
    {"notifier", {NOTIFIER, WAITER, WAITER}, 3, 0, false},
    {"waiter", {WAITER, WAITER, NOTIFIER}, 3, 0, false},
    {"party", {PARTY, PARTY, PARTY}, 3, 0, false},
    {"adder", {ADDER, ADDER, ADDER}, 3, 0, false},
    {"appender", {APPENDER, APPENDER, POPPER}, 3, 0, false},
    {"popper", {POPPER, APPENDER, APPENDER}, 3, 0, false}, /* it takes every item */
    /* a pool's owner killed: its workers die with it, the adder's Dict stays usable */
    {"pooler", {POOLER, ADDER}, 2, 0, false},
    {"worker", {POOLER, ADDER}, 2, 0, true},
    /* four blocks for two allocators (each may hold two) and two freers: they wait */
    {"allocator", {ALLOCATOR, ALLOCATOR, FREER, FREER}, 4, 0, false},
    {"freer", {FREER, FREER, ALLOCATOR, ALLOCATOR}, 4, 0, false},
};
#define SCENARIOS (sizeof scenarios / sizeof scenarios[0])

static uint64_t seed;
static struct {
    uint32_t runs, kills, stops, messages, lost, unpublished, owner_dead, probes, failed;
    uint32_t owner_kills, worker_kills, eworker;
    uint32_t slab_allocated, slab_waits, slab_reclaimed;
    uint32_t at_hook[MPI_HOOK_SLAB_FREED + 1]; /* faults landed at each hook point */
} totals;

/* The victim's hook point being passed (0: none), and where its fault landed. The hook
 * makes no runtime call of its own: each would be one more point to count. */
static mpi_hook_point_t passing, landed_at;

static const char *fault_name(mp_sim_fault_t f)
{
    return f == MP_SIM_KILL ? "kill" : f == MP_SIM_STOP ? "stop" : "count";
}

static void at_hook(mpi_hook_point_t point)
{
    uint32_t before, after;
    bool fired_before, fired_after;
    (void)mp_sim_fault_status(&before, &fired_before);
    passing = point; /* left set if the fault kills the victim here */
    mp_sim_fault_point(); /* counts (and strikes) only for the armed victim */
    (void)mp_sim_fault_status(&after, &fired_after);
    if (fired_after && !fired_before)
        landed_at = point;
    passing = 0;
}

/* One run; *points: how many points the victim passed (all of them when only counting). */
static bool run_once(const scenario_t *sc, mp_sim_fault_t fault, uint32_t k, uint32_t *points)
{
    char label[200];
    snprintf(label, sizeof label,
             "scenario %s, %s at point %u (replay: MP_SIM_SEED=%llu MP_SIM_FAULT=%s:%s:%u "
             "build/host-sim-asan/tests/host-sim/test_faults)",
             sc->name, fault_name(fault), (unsigned)k, (unsigned long long)seed,
             fault_name(fault), sc->name, (unsigned)k);
    cast_run_t run = {.label = label, .kill = fault == MP_SIM_KILL, .stop = fault == MP_SIM_STOP,
                      .join_timeout = JOIN_TIMEOUT};
    OK(mp_sim_seed(seed)); /* the same schedule from here, every run */
    mp_time_t began, ended;
    OK(mp_clock_ns(&began));
    mp_usage_t before;
    OK(mp_usage(&before));
    uint8_t roles[CAST_MAX];
    memcpy(roles, sc->roles, sc->members);
    roles[sc->members] = PROBER;
    cast_plan(&run, roles, sc->members + 1, 0);
    R.queue_msgs = R.pipe_msgs = R.items = 12;
    R.sections = R.cycle_quota = 6;
    R.dict_ops = 8;
    R.list_items = 12;
    R.pool_batches = 3;
    R.slab_allocs = 12;
    R.work_timeout = WORK_TIMEOUT;
    R.pace = sc->pace;
    uint32_t parties = 0;
    for (uint32_t w = 0; w < sc->members; w++)
        parties += roles[w] == PARTY;
    cast_create(2, 2, parties);
    cast_spawn(&run);
    passing = landed_at = 0;
    if (sc->at_worker) { /* armed once the pool's workers exist, before any task */
        OK(mp_event_set(R.go));
        OK(mp_event_wait(R.pool_up, WORK_TIMEOUT));
        OK(mp_sim_fault(R.pool_workers[0], fault, k, (uint64_t)HOLD_MS * 1000000u));
    } else {
        OK(mp_sim_fault(run.p[0], fault, k, (uint64_t)HOLD_MS * 1000000u));
        OK(mp_event_set(R.go));
    }
    mp_sim_fault_limit(LIVELOCK_CALLS, label);
    OK(mp_event_set(R.pool_go));
    /* A victim whose death leaves others waiting for a repair is joined first; the
     * others (consumer, waiter, popper, freer) end only when the round does. */
    if (roles[0] != CONSUMER && roles[0] != WAITER && roles[0] != POPPER && roles[0] != FREER) {
        cast_join_victim(&run);
        cast_repair(&run);
    }
    cast_end(&run);
    cast_join_victim(&run);
    bool fired;
    OK(mp_sim_fault_status(points, &fired));
    mp_sim_fault_clear();
    if (run.landed && passing != 0)
        landed_at = passing;
    totals.at_hook[landed_at]++;
    run.worker_killed = sc->at_worker && run.kill && fired;
    if (run.kill && !sc->at_worker && fired != run.landed)
        cast_bad(&run, "the board's kill %s, the victim's exitcode says %s",
                 fired ? "fired" : "did not fire", run.landed ? "killed" : "not killed");
    cast_check(&run);
    if (R.nowait_ns != 0)
        cast_bad(&run, "probe %s with MP_NOWAIT waited %llu ns of virtual time",
                 R.nowait_what, (unsigned long long)R.nowait_ns);
    if (R.late_ns != 0)
        cast_bad(&run, "probe %s (%u ms) returned %llu ns after its deadline", R.late_what,
                 (unsigned)R.probe_timeout, (unsigned long long)R.late_ns);
    /* Nobody waits until a deadline in a healthy run (a notified waiter, a producer
     * given room, wakes when it is served): a run as long as a deadline lost a wake-up. */
    OK(mp_clock_ns(&ended));
    mp_time_t limit = (mp_time_t)(WORK_TIMEOUT + (run.stop ? HOLD_MS : 0u)) * 1000000u;
    if (ended - began >= limit)
        cast_bad(&run, "the run took %llu ms of virtual time: someone waited until its "
                       "deadline (a lost wake-up)",
                 (unsigned long long)((ended - began) / 1000000u));
    cast_destroy(&run, &before);

    totals.runs++;
    totals.kills += run.landed || run.worker_killed;
    totals.owner_kills += cast_killed(&run, POOLER);
    totals.worker_kills += run.worker_killed;
    totals.eworker += R.pool_eworker;
    totals.stops += run.stop && fired;
    totals.messages += run.delivered;
    totals.lost += run.lost;
    totals.unpublished += run.unpublished;
    totals.owner_dead += R.owner_dead[0] + R.owner_dead[1] + R.owner_dead[2];
    totals.probes += R.probes;
    totals.slab_allocated += R.slab_allocated;
    totals.slab_waits += R.slab_waits;
    totals.slab_reclaimed += R.slab_reclaimed;
    totals.failed += run.failed;
    return !run.failed;
}

/* Every point of the victim, or a sample of MAX_RUNS with the first and the last. */
static void sweep(const scenario_t *sc, mp_sim_fault_t fault)
{
    uint32_t length = 0, ignored;
    if (!run_once(sc, MP_SIM_COUNT, 0, &length))
        return; /* broken without any fault: the faults would only repeat it */
    uint64_t rng = seed * 0x9e3779b97f4a7c15u + (uint64_t)(sc - scenarios) * 2u + fault;
    for (uint32_t i = 0; i < length && i < MAX_RUNS; i++) {
        uint32_t k = i + 1u;
        if (length > MAX_RUNS && i > 0 && i + 1u < MAX_RUNS) {
            rng = rng * 6364136223846793005u + 1442695040888963407u;
            k = 2u + (uint32_t)((rng >> 33) % (length - 2u));
        } else if (length > MAX_RUNS && i + 1u == MAX_RUNS) {
            k = length;
        }
        run_once(sc, fault, k, &ignored);
    }
}

/* MP_SIM_FAULT=kill:producer:57 runs that one run. */
static bool replay(void)
{
    const char *v = getenv("MP_SIM_FAULT");
    if (v == NULL || *v == '\0')
        return false;
    char kind[8], name[32];
    unsigned k;
    if (sscanf(v, "%7[a-z]:%31[a-z-]:%u", kind, name, &k) != 3)
        fail_msg("MP_SIM_FAULT=%s: expected kill|stop|count:<scenario>:<k>", v);
    mp_sim_fault_t f = strcmp(kind, "kill") == 0   ? MP_SIM_KILL
                       : strcmp(kind, "stop") == 0 ? MP_SIM_STOP
                                                   : MP_SIM_COUNT;
    for (size_t i = 0; i < SCENARIOS; i++) {
        if (strcmp(scenarios[i].name, name) == 0) {
            uint32_t points;
            bool ok = run_once(&scenarios[i], f, k, &points);
            print_message("%s: %s, the victim passed %u points\n", v, ok ? "passed" : "failed",
                          (unsigned)points);
            return true;
        }
    }
    if (strcmp(name, "reaper") != 0) /* that one is the other test's */
        fail_msg("MP_SIM_FAULT=%s: no scenario %s", v, name);
    return true;
}

static void test_a_fault_at_every_runtime_call(void **state)
{
    (void)state;
    const char *env = getenv("MP_SIM_SEED");
    seed = env ? strtoull(env, NULL, 0) : 0;
    OK(mp_sim_on_deadlock(MP_SIM_DEADLOCK_RETURN)); /* a deadlock fails a join, not the suite */
    mpi_test_hook = at_hook;
    if (!replay()) {
        for (size_t i = 0; i < SCENARIOS; i++) {
            sweep(&scenarios[i], MP_SIM_KILL);
            sweep(&scenarios[i], MP_SIM_STOP);
        }
    }
    mpi_test_hook = NULL;
    OK(mp_sim_on_deadlock(MP_SIM_DEADLOCK_EXIT));
    OK(mp_sim_seed(seed));
    print_message("seed %llu: %u runs over %u scenarios: %u kills, %u stops; %u messages "
                  "and items checked, %u lost with a killed consumer or popper, %u not "
                  "published by a killed producer or appender; %u owner-dead recoveries; "
                  "pool: %u owners and %u workers killed, %u tasks failed MP_EWORKER; slab: "
                  "%u blocks allocated, %u after a wait, %u back from a killed holder's reap; "
                  "%u probes; faults inside a queue side %u, "
                  "before a publication %u, as a registered sleeper %u, inside a biased "
                  "operation %u, a Dict or List change written and not published %u, "
                  "published and not yet tidied %u, a slab block taken and not returned %u, "
                  "freed and its waiters not woken %u\n",
                  (unsigned long long)seed, (unsigned)totals.runs, (unsigned)SCENARIOS,
                  (unsigned)totals.kills, (unsigned)totals.stops, (unsigned)totals.messages,
                  (unsigned)totals.lost, (unsigned)totals.unpublished,
                  (unsigned)totals.owner_dead, (unsigned)totals.owner_kills,
                  (unsigned)totals.worker_kills, (unsigned)totals.eworker,
                  (unsigned)totals.slab_allocated, (unsigned)totals.slab_waits,
                  (unsigned)totals.slab_reclaimed, (unsigned)totals.probes,
                  (unsigned)(totals.at_hook[MPI_HOOK_PUT_INSIDE] +
                             totals.at_hook[MPI_HOOK_GET_INSIDE]),
                  (unsigned)totals.at_hook[MPI_HOOK_PUT_PUBLISH],
                  (unsigned)totals.at_hook[MPI_HOOK_SLEEPER],
                  (unsigned)totals.at_hook[MPI_HOOK_BIASED],
                  (unsigned)totals.at_hook[MPI_HOOK_RECORDS_WRITTEN],
                  (unsigned)totals.at_hook[MPI_HOOK_RECORDS_PUBLISHED],
                  (unsigned)totals.at_hook[MPI_HOOK_SLAB_TAKEN],
                  (unsigned)totals.at_hook[MPI_HOOK_SLAB_FREED]);
    assert_int_equal(0, totals.failed);
}

/* ---- a process killed while it joins a child ------------------------------------------ */
/* The child leaves a pool behind it (it returns without destroying it), so the join that
 * reaps it also destroys that pool (core/pool.c): more of a join to be killed in. */
static int leaves_a_pool(void *arg)
{
    (void)arg;
    mp_pool_t p;
    return mp_pool_create(&p, &(mp_pool_attr_t){.workers = 1}) == MP_OK ? 0 : 1;
}

static int reaper(void *arg)
{
    (void)arg;
    mp_process_t c;
    if (mp_process_create(&c, &(mp_process_attr_t){.target = leaves_a_pool}) != MP_OK ||
        mp_process_start(c) != MP_OK)
        return 1;
    return mp_process_join(c, WORK_TIMEOUT) == MP_OK && mp_process_close(c) == MP_OK ? 0 : 2;
}

/* The reaper killed at its k-th point (or only counted). What it leaves, its child above
 * all, the main process adopts by joining it, and must be able to join in turn (a child
 * whose reaping was cut short included); then every table is as it was. */
static bool reaper_once(mp_sim_fault_t fault, uint32_t k, uint32_t *points)
{
    char label[200];
    snprintf(label, sizeof label,
             "a reaper, %s at point %u (replay: MP_SIM_SEED=%llu MP_SIM_FAULT=%s:reaper:%u "
             "build/host-sim-asan/tests/host-sim/test_faults)",
             fault_name(fault), (unsigned)k, (unsigned long long)seed, fault_name(fault),
             (unsigned)k);
    cast_run_t run = {.label = label};
    OK(mp_sim_seed(seed));
    mp_usage_t before, after;
    OK(mp_usage(&before));
    mp_process_t r = spawn(reaper, NULL, 0, MP_DAEMON_NO);
    OK(mp_sim_fault(r, fault, k, 0));
    mp_err_t err = mp_process_join(r, JOIN_TIMEOUT);
    bool fired;
    OK(mp_sim_fault_status(points, &fired));
    mp_sim_fault_clear();
    int code = 12345;
    if (err != MP_OK)
        cast_bad(&run, "the reaper did not end: %s", mp_strerror(err));
    (void)mp_process_exitcode(r, &code);
    if (code != 0 && !(fired && code == -MP_SIGKILL))
        cast_bad(&run, "the reaper ended with exitcode %d", code);
    for (mp_process_t p; (p = cast_adoptee(&r, 1)).id != 0;) {
        if ((err = mp_process_join(p, JOIN_TIMEOUT)) != MP_OK ||
            (err = mp_process_close(p)) != MP_OK) {
            cast_bad(&run, "the reaper's child, adopted, cannot be joined: %s",
                     mp_strerror(err));
            break;
        }
    }
    (void)mp_process_close(r);
    OK(mp_usage(&after));
    if (memcmp(&before, &after, sizeof after) != 0)
        cast_bad(&run, "mp_usage differs: processes %u->%u pools %u->%u results %u->%u",
                 (unsigned)before.processes, (unsigned)after.processes,
                 (unsigned)before.pools, (unsigned)after.pools, (unsigned)before.results,
                 (unsigned)after.results);
    totals.runs++;
    totals.kills += fired;
    totals.failed += run.failed;
    return !run.failed;
}

static void test_a_process_killed_at_every_point_of_a_join_leaves_a_joinable_child(void **state)
{
    (void)state;
    const char *env = getenv("MP_SIM_SEED"), *v = getenv("MP_SIM_FAULT");
    seed = env ? strtoull(env, NULL, 0) : 0;
    memset(&totals, 0, sizeof totals);
    uint32_t length = 0, k = 0;
    if (v != NULL && *v != '\0') {
        if (sscanf(v, "kill:reaper:%u", &k) != 1)
            skip(); /* a replay of the other test */
        assert_true(reaper_once(MP_SIM_KILL, k, &length));
        return;
    }
    assert_true(reaper_once(MP_SIM_COUNT, 0, &length));
    for (k = 1; k <= length; k++)
        reaper_once(MP_SIM_KILL, k, &(uint32_t){0});
    OK(mp_sim_seed(seed));
    print_message("seed %llu: a reaper killed at each of its %u points, %u times it died\n",
                  (unsigned long long)seed, (unsigned)length, (unsigned)totals.kills);
    assert_int_equal(0, totals.failed);
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_a_fault_at_every_runtime_call),
        TEST(test_a_process_killed_at_every_point_of_a_join_leaves_a_joinable_child),
    };
    return cmocka_run_group_tests_name("faults (host-sim)", tests, NULL, NULL);
}
