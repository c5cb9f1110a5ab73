/*
 * Fault injection on real processes: in each round a cast of up to 15 processes works on
 * many kinds of object at once (cast.h), and one of them, chosen by the round's seed, is
 * SIGKILLed, or SIGSTOPped and later continued, at a moment chosen by the seed: after its
 * k-th operation (or the cast's K-th, for one that only reacts to others), then a spin of
 * a random length; real parallelism does the rest. In a third of the rounds whose victim
 * uses the queue, the pipe, the Dict, the List or the Slab, the moment is instead its n-th pass at
 * one of the core's test hooks (core/test_hooks.h: inside a side, between a copy and its
 * publication, registered as a sleeper, inside a biased operation, a Dict or List change
 * written and not yet published, or published and not yet tidied, a slab block taken and
 * not yet returned, or freed and its waiters not yet woken), where the victim
 * signals itself: those moments are short, and a random signal from outside lands there
 * by luck only. A round whose victim is a Pool's owner aims, two times in three, at one
 * of its workers instead: the signal goes to the worker inside a task.
 *
 * The cast of a round, by its seed: in half the rounds every kind of object of the core
 * (two producers and two consumers on a queue, two senders sharing a pipe's sending end
 * and its receiver, three lockers on a Lock, an RLock and a semaphore, a notifier and two
 * condition waiters, two barrier parties); in an eighth the Manager objects in the
 * condition's and the barrier's places (two adders on a Dict, two appenders and two
 * poppers on a List); in an eighth a Slab's two allocators and two freers passing its
 * blocks, with adders and a smaller core cast, the victim one of the four in half of
 * those; in a quarter a Pool's owner among a smaller cast (its workers take slots of the
 * process table too), the victim in half of those.
 *
 * After the fault, the main process repairs what only a death leaves waiting, then
 * probes every object with MP_NOWAIT and short timed calls (while a stopped victim is
 * still stopped: none may wait for it), continues a stopped victim, ends the round and
 * checks everything cast.h lists, then that every table and the arena are back to where
 * they were. A member still running at the join deadline is a hang; a watchdog ends the
 * suite, naming the round, if the main process itself is stuck (in a probe, say).
 *
 *   MP_FAULT_ROUNDS=n        rounds (default ROUNDS, ROUNDS_UNDER_VALGRIND under valgrind;
 *                            tools/run_stress.sh runs 10000)
 *   MP_FAULT_SEED=s          the first round's seed; alone, it replays that one round
 *   MP_FAULT_KEEP_GOING=1    report a failed round and go on (to survey a broken build)
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define CAST_STREAM_MAX 400u
#include "round.h"

/* Under valgrind (memcheck) a round takes a second or two: fewer of them there, for what
 * memcheck looks for, not for the odds of landing anywhere. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#define ROUNDS 300
#define ROUNDS_UNDER_VALGRIND 20
#define WORK_TIMEOUT 5000u  /* ms: every call of a member; reaching it is a failure */
#define JOIN_TIMEOUT 20000u /* ms: a member not done by then hangs */
#define WATCHDOG_S 60u      /* s: the main process itself is stuck */
#define MOMENTS 300u        /* a looping victim's moment: one of its first MOMENTS ops */

static const uint8_t every_object[] = {PRODUCER, PRODUCER, CONSUMER, CONSUMER, SENDER,
                                       SENDER,   RECEIVER, LOCKER,   LOCKER,   LOCKER,
                                       NOTIFIER, WAITER,   WAITER,   PARTY,    PARTY};
static const uint8_t managers[] = {PRODUCER, PRODUCER, CONSUMER, CONSUMER, SENDER,
                                   SENDER,   RECEIVER, LOCKER,   LOCKER,   ADDER,
                                   ADDER,    APPENDER, APPENDER, POPPER,   POPPER};
static const uint8_t with_pool[] = {POOLER, ADDER,    ADDER,    APPENDER, POPPER, LOCKER,
                                    LOCKER, PRODUCER, CONSUMER, CONSUMER, SENDER, RECEIVER};
static const uint8_t with_slab[] = {ALLOCATOR, ALLOCATOR, FREER,    FREER,    PRODUCER,
                                    PRODUCER,  CONSUMER,  CONSUMER, SENDER,   SENDER,
                                    RECEIVER,  LOCKER,    LOCKER,   ADDER,    ADDER};
static const struct {
    const char *name;
    const uint8_t *roles;
    uint32_t members;
} casts[] = {{"every object", every_object, sizeof every_object},
             {"managers", managers, sizeof managers},
             {"pool", with_pool, sizeof with_pool},
             {"slab", with_slab, sizeof with_slab}};
#define CASTS (sizeof casts / sizeof casts[0])
#define MEMBERS CAST_MAX
_Static_assert(sizeof every_object == MEMBERS && sizeof managers == MEMBERS &&
                   sizeof with_slab == MEMBERS,
               "the casts fill cast.h's table");
_Static_assert(MEMBERS < MP_CONF_MAX_PROCESSES, "the cast and the main process fit the table");
_Static_assert(sizeof with_pool + CAST_POOL_WORKERS < MP_CONF_MAX_PROCESSES,
               "the pool's cast, its workers and the main process fit the table");

static struct {
    uint32_t rounds, kills, missed, stops, messages, lost, unpublished, owner_dead, probes,
        failed;
    uint32_t by_cast[CASTS], owner_kills, worker_kills, worker_stops, eworker;
    uint32_t slab_allocated, slab_waits, slab_reclaimed, slab_kills;
    uint32_t at_hook[MPI_HOOK_SLAB_FREED + 1]; /* faults landed at each hook point */
    mp_time_t nowait_ns, late_ns;
} totals;

/* The victim's hook (its own copy of the counter: each process has its own memory). */
static uint32_t hook_passes;
static MP_SHARED int hook_signal;

static void strike_at_hook(mpi_hook_point_t point)
{
    uint32_t n = __atomic_load_n(&R.hook_at, __ATOMIC_SEQ_CST);
    if (n == 0 || (R.hook_points != 0 && !(R.hook_points & 1u << point)) || ++hook_passes != n)
        return;
    /* the main process may have given up waiting and disarmed it: whoever clears it wins */
    if (!__atomic_compare_exchange_n(&R.hook_at, &n, 0u, false, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST))
        return;
    R.hook_point = point;
    (void)mp_event_set(R.armed);
    raise(hook_signal);
}

static uint64_t mix(uint64_t x) /* splitmix64: a round's parameters from its seed */
{
    x += 0x9e3779b97f4a7c15u;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

static uint32_t pick(uint64_t *rng, uint32_t n)
{
    *rng = mix(*rng);
    return (uint32_t)(*rng % n);
}

/* ---- the watchdog: a stuck main process still says which round it was -------------- */

static volatile sig_atomic_t watched[MEMBERS];
static char watchdog_text[256];

static void watchdog(int sig)
{
    (void)sig;
    for (size_t w = 0; w < MEMBERS; w++)
        if (watched[w] > 0)
            kill((pid_t)watched[w], SIGKILL);
    const char *phase = cast_phase;
    ssize_t r = write(2, watchdog_text, strlen(watchdog_text));
    r = write(2, "  in: ", 6);
    r = write(2, phase, strlen(phase));
    r = write(2, "\n", 1);
    (void)r;
    _exit(3);
}

/* The cast of the round: its seed decides, apart from the round's other choices (a round
 * of every object keeps the choices a seed gave it before there were other casts, a pool
 * round those it had before the slab's; the slab took half the managers' quarter). */
static uint32_t cast_of(uint64_t seed)
{
    uint64_t m = mix(seed ^ 0xca57ca57u);
    uint32_t quarter = (uint32_t)(m % 4u);
    if (quarter == 2u && (m >> 32 & 1u))
        return 3u;
    return quarter < 2u ? 0u : quarter - 1u;
}

/* A fault aimed at the pool: the signal goes to the worker inside a task, the first
 * found within a second (none: no fault this round). Returns its pid, or 0; a stopped
 * one is stopped when this returns. */
static pid_t strike_worker(cast_run_t *run, int sig, uint32_t spin)
{
    mp_time_t now, until;
    OK(mp_clock_ns(&now));
    until = now + 1000000000u;
    uint32_t id = 0;
    while ((id = __atomic_load_n(&R.pool_task_worker, __ATOMIC_SEQ_CST)) == 0 && now < until)
        OK(mp_clock_ns(&now));
    for (volatile uint32_t i = 0; i < spin % 20000u; i++) /* a task is about that long */
        ;
    uint32_t pid = 0;
    if (id == 0 || mp_process_pid((mp_process_t){id}, &pid) != MP_OK || pid == 0 ||
        kill((pid_t)pid, sig) != 0)
        return 0;
    run->worker_killed = sig == SIGKILL;
    if (sig == SIGSTOP) /* not a child of this process: waitid cannot tell */
        wait_stopped((mp_process_t){id});
    return (pid_t)pid;
}

static bool run_round(uint32_t round, uint64_t seed)
{
    uint32_t which = cast_of(seed);
    const uint8_t *roles = casts[which].roles;
    uint32_t members = casts[which].members;
    uint64_t rng = seed;
    bool kill_it = pick(&rng, 3) != 0; /* two kills for each stop */
    uint32_t victim = pick(&rng, members);
    uint32_t spin = pick(&rng, 4) == 0 ? 0 : pick(&rng, 200000);
    static const uint32_t qd[] = {1, 2, 8, 64}, pd[] = {1, 4, 16};
    uint32_t queue_depth = qd[pick(&rng, 4)], pipe_depth = pd[pick(&rng, 3)];
    bool early = pick(&rng, 16) == 0; /* at once, before its first operation */
    uint32_t moment = pick(&rng, 1u << 30);
    if (roles == with_pool && pick(&rng, 2) == 0)
        victim = 0; /* the pool's owner, or its workers */
    if (roles == with_slab && pick(&rng, 2) == 0)
        victim = pick(&rng, 4); /* an allocator or a freer */
    uint8_t role = roles[victim];
    bool hooked = role <= RECEIVER || role == ADDER || role == APPENDER || role == POPPER ||
                  role == ALLOCATOR || role == FREER;
    bool at_hook = hooked && pick(&rng, 3) == 0;
    bool at_worker = role == POOLER && pick(&rng, 3) != 0;

    char label[200];
    cast_run_t run = {.label = label, .kill = kill_it, .stop = !kill_it,
                      .join_timeout = JOIN_TIMEOUT};
    mp_usage_t before;
    OK(mp_usage(&before));
    cast_plan(&run, roles, members, victim);
    snprintf(label, sizeof label, "round %u (replay: MP_FAULT_SEED=%#llx): cast %s, %s %s %u%s, "
             "queue depth %u, pipe depth %u", round, (unsigned long long)seed, casts[which].name,
             kill_it ? "SIGKILL to" : "SIGSTOP to", cast_role_names[roles[victim]],
             (unsigned)R.id[victim], at_worker ? "'s worker in a task" : "", queue_depth,
             pipe_depth);
    if (at_hook)
        snprintf(label + strlen(label), sizeof label - strlen(label), ", at a test hook");
    snprintf(watchdog_text, sizeof watchdog_text,
             "test_faults: the main process is stuck, %s\n", label);
    alarm(WATCHDOG_S);

    R.queue_msgs = CAST_STREAM_MAX;
    R.pipe_msgs = 300;
    R.sections = R.items = R.cycle_quota = R.pool_batches = CAST_UNTIL_STOP;
    R.dict_ops = 300;
    R.list_items = 200;
    R.slab_allocs = 300;
    R.work_timeout = WORK_TIMEOUT;
    R.probe_pipe = !kill_it; /* after a kill the pipe keeps its users: EOF by death is checked */
    /* The moment: the victim's own k-th operation, or for a member that only reacts to
     * others (consumer, receiver, waiter, popper, freer), the cast's K-th. */
    static const uint32_t own_ops[] = {[PRODUCER] = CAST_STREAM_MAX / 3u, [SENDER] = 100,
                                       [LOCKER] = MOMENTS, [NOTIFIER] = MOMENTS,
                                       [PARTY] = MOMENTS, [ADDER] = 200, [APPENDER] = 150,
                                       [POOLER] = 20, [ALLOCATOR] = 150, [PROBER] = 0};
    uint32_t hook_at = 0;
    /* producers, senders and appenders pass one to three hooks an operation, adders seven;
     * a popper two a pop, of the items the other popper leaves it; allocators and freers
     * (counting the slab's points only) one a block, and a free now and then */
    uint32_t passes = role == PRODUCER || role == SENDER || role == APPENDER ? 150u
                      : role == ADDER                                          ? 800u
                      : role == POPPER                                         ? 20u
                      : role == ALLOCATOR || role == FREER                     ? 200u
                                                                               : 40u;
    if (at_hook)
        R.hook_at = hook_at = 1u + moment % passes;
    /* an allocator's or a freer's moment: one of the slab's own points (its queue's are
     * the producers' and consumers' to meet) */
    if (at_hook && (role == ALLOCATOR || role == FREER))
        R.hook_points = 1u << MPI_HOOK_SLAB_TAKEN | 1u << MPI_HOOK_SLAB_FREED;
    else if (!early && own_ops[role] != 0)
        R.arm_op = 1u + moment % own_ops[role];
    else if (!early)
        R.arm_progress = 1u + moment % (2u * CAST_STREAM_MAX);
    cast_create(queue_depth, pipe_depth, 2);

    cast_spawn(&run);
    pid_t pid[MEMBERS];
    for (uint32_t w = 0; w < members; w++) {
        uint32_t id;
        OK(mp_process_pid(run.p[w], &id));
        watched[w] = (sig_atomic_t)(pid[w] = (pid_t)id);
    }
    hook_signal = kill_it ? SIGKILL : SIGSTOP;
    if (R.probe_pipe) {
        /* The main process will probe the sending end: it uses it from the start, so the
         * receiver's EOF waits for its close. A user that first sends after the others
         * ended could find the receiver still there after its right EOF: its message
         * would be accepted and never read (a user is one that has sent, see cast.h). */
        cast_probe_pipe(MP_NOWAIT, false);
        run.probed_pipe = true;
    }
    OK(mp_event_set(R.go));
    OK(mp_event_set(R.pool_go));
    bool strike = true;
    if (at_hook) {
        /* a victim that never makes its n-th pass (a consumer the other one starves) is
         * not a failure: the round goes on without a fault, before the others' calls reach
         * their deadlines waiting for the end of the round */
        (void)mp_event_wait(R.armed, WORK_TIMEOUT / 2u);
        uint32_t n = hook_at;
        strike = false; /* the victim signals itself */
        if (__atomic_compare_exchange_n(&R.hook_at, &n, 0u, false, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST))
            kill_it = false; /* disarmed before it struck: no fault this round */
    } else if (!early && mp_event_wait(R.armed, JOIN_TIMEOUT) != MP_OK) {
        cast_bad(&run, "no progress: the moment to strike never came");
    }
    pid_t worker = 0;
    for (volatile uint32_t i = 0; i < spin && strike && !at_worker; i++)
        ;
    if (at_worker) { /* its owner, not this process, reaps it */
        worker = strike_worker(&run, kill_it ? SIGKILL : SIGSTOP, spin);
    } else if (kill_it) {
        if (strike)
            OK(mp_process_kill(run.p[victim]));
        cast_join_victim(&run); /* landed, or had ended: the repairs depend on which */
        cast_repair(&run);
    } else if (!at_hook || R.hook_point != 0) {
        if (strike)
            kill(pid[victim], SIGSTOP);
        siginfo_t si; /* stopped (or already ended) before the probes meet it */
        (void)waitid(P_PID, (id_t)pid[victim], &si, WSTOPPED | WEXITED | WNOWAIT);
    }
    cast_probe_once(run.last_q, cast_killed(&run, RECEIVER));
    run.probed_pipe = R.probe_pipe;
    if (!run.kill)
        kill(at_worker ? worker : pid[victim], SIGCONT);
    cast_end(&run);
    cast_check(&run);
    cast_destroy(&run, &before);
    alarm(0);
    memset((void *)watched, 0, sizeof watched);

    totals.rounds++;
    totals.by_cast[which]++;
    totals.kills += run.landed || run.worker_killed;
    totals.missed += run.kill && !run.landed && !run.worker_killed;
    totals.stops += run.stop && (at_worker ? worker != 0 : !at_hook || R.hook_point != 0);
    totals.owner_kills += cast_killed(&run, POOLER);
    totals.worker_kills += run.worker_killed;
    totals.worker_stops += at_worker && run.stop && worker != 0;
    totals.eworker += R.pool_eworker;
    if (R.hook_point <= MPI_HOOK_SLAB_FREED && (run.landed || run.stop))
        totals.at_hook[R.hook_point]++;
    totals.slab_allocated += R.slab_allocated;
    totals.slab_waits += R.slab_waits;
    totals.slab_reclaimed += R.slab_reclaimed;
    totals.slab_kills += cast_killed(&run, ALLOCATOR) || cast_killed(&run, FREER);
    totals.messages += run.delivered;
    totals.lost += run.lost;
    totals.unpublished += run.unpublished;
    totals.owner_dead += R.owner_dead[0] + R.owner_dead[1] + R.owner_dead[2];
    totals.probes += R.probes;
    if (R.nowait_ns > totals.nowait_ns)
        totals.nowait_ns = R.nowait_ns;
    if (R.late_ns > totals.late_ns)
        totals.late_ns = R.late_ns;
    totals.failed += run.failed;
    return !run.failed;
}

static uint64_t env_u64(const char *name, uint64_t fallback)
{
    const char *v = getenv(name);
    return v && *v ? strtoull(v, NULL, 0) : fallback;
}

static void test_random_kills_and_stops(void **state)
{
    (void)state;
    signal(SIGALRM, watchdog);
    cast_victim_hook = strike_at_hook;
    bool replay = getenv("MP_FAULT_SEED") != NULL;
    uint64_t first = env_u64("MP_FAULT_SEED", 0x5eed0000u);
    uint32_t rounds = (uint32_t)env_u64("MP_FAULT_ROUNDS", replay ? 1
                                                           : RUNNING_ON_VALGRIND ? ROUNDS_UNDER_VALGRIND
                                                                                 : ROUNDS);
    bool keep_going = env_u64("MP_FAULT_KEEP_GOING", 0) != 0;
    mp_time_t t0, t1;
    OK(mp_clock_ns(&t0));
    for (uint32_t r = 0; r < rounds; r++)
        if (!run_round(r, first + r) && !keep_going)
            break;
    OK(mp_clock_ns(&t1));
    /* Probe times are wall-clock here, so they are reported, not judged (the simulation
     * judges them on its virtual clock); a probe that waits for a stopped process for
     * good trips the watchdog. */
    print_message("%u rounds (casts: every object %u, managers %u, pool %u, slab %u): %u kills "
                  "(and %u signals that found the victim already done), %u stops; %u messages "
                  "and items checked, %u lost with a killed consumer or popper, %u not "
                  "published by a killed producer or appender; %u owner-dead recoveries; "
                  "pool: %u owners killed, %u workers killed and %u stopped in a task, %u "
                  "tasks failed MP_EWORKER; slab: %u blocks allocated, %u after a wait, %u "
                  "allocators or freers killed, %u blocks back from a killed holder's reap; "
                  "faults at a test hook: inside a queue side %u, "
                  "before a publication %u, as a registered sleeper %u, inside a biased "
                  "operation %u, a Dict or List change written and not published %u, "
                  "published and not yet tidied %u, a slab block taken and not returned %u, "
                  "freed and its waiters not woken %u; %u probes (slowest MP_NOWAIT %.1f ms, "
                  "latest timed %.1f ms past its deadline); %.1f s\n",
                  totals.rounds, totals.by_cast[0], totals.by_cast[1], totals.by_cast[2],
                  totals.by_cast[3], totals.kills, totals.missed, totals.stops,
                  totals.messages, totals.lost, totals.unpublished, totals.owner_dead,
                  totals.owner_kills, totals.worker_kills, totals.worker_stops,
                  totals.eworker, totals.slab_allocated, totals.slab_waits,
                  totals.slab_kills, totals.slab_reclaimed,
                  totals.at_hook[MPI_HOOK_PUT_INSIDE] + totals.at_hook[MPI_HOOK_GET_INSIDE],
                  totals.at_hook[MPI_HOOK_PUT_PUBLISH], totals.at_hook[MPI_HOOK_SLEEPER],
                  totals.at_hook[MPI_HOOK_BIASED], totals.at_hook[MPI_HOOK_RECORDS_WRITTEN],
                  totals.at_hook[MPI_HOOK_RECORDS_PUBLISHED],
                  totals.at_hook[MPI_HOOK_SLAB_TAKEN], totals.at_hook[MPI_HOOK_SLAB_FREED],
                  totals.probes,
                  (double)totals.nowait_ns / 1e6, (double)totals.late_ns / 1e6,
                  (double)(t1 - t0) / 1e9);
    assert_int_equal(0, totals.failed);
    assert_int_equal(rounds, totals.rounds);
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_random_kills_and_stops),
    };
    return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
