/*
 * libFuzzer entry points: every input is a sequence of API calls (see README.md, "How an
 * input is decoded"), each checked against the reference model (model.h) as it returns,
 * with mp_usage() compared after every call. At the end of an input the harness closes
 * everything still alive, through the same checks, and the runtime must be back to the
 * occupancy it had after mp_init().
 *
 * Schedule. The host simulation runs with seed 0: a task switches only when it blocks or
 * ends. Children run their scripts when the main process blocks or polls, and a child's
 * call that would wait is made with MP_NOWAIT instead, so a child always runs to its end
 * in one go. That keeps every interleaving predictable without modelling the scheduler's
 * clock.
 *
 * FUZZ_AVOID (environment, comma-separated defect numbers of issue 7) steers around
 * defects of today's main so that a run can look for others (see model.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "mp_sim.h"

static mp_usage_t baseline;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *avoid = getenv("FUZZ_AVOID");
    for (const char *p = avoid; p && *p;) {
        long n = strtol(p, (char **)&p, 10);
        if (n > 0 && n < 16)
            m_avoid[n] = true;
        while (*p == ',' || *p == ' ')
            p++;
        if (*p && (*p < '0' || *p > '9'))
            p++;
    }
    fz_trace = getenv("FUZZ_TRACE") != NULL;
    fz_trace_calls = fz_trace && strcmp(getenv("FUZZ_TRACE"), "2") == 0;
    if (mp_init() != MP_OK) {
        fprintf(stderr, "fuzz_api: mp_init failed\n");
        abort();
    }
    mp_sim_seed(0); /* whatever MP_SIM_SEED says: the model follows the seed-0 schedule */
    mp_sim_on_deadlock(MP_SIM_DEADLOCK_RETURN);
    m_init();
    fz_hooks_install();
    if (mp_usage(&baseline) != MP_OK)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Each input starts from a settled main process (no death it has not seen), so that
     * it runs the same way alone as after any other input. */
    mp_sim_seed(0);
    m.death_unseen = false;
    fz_input = data;
    fz_calls = 0;
    fz_seed = 0;
    fz_pool_reset();
    m.self = 0;
    mp_process_t me;
    fz_call("mp_process_self", 0);
    fz_expect(MP_OK, mp_process_self(&me));
    fz_pool_add(MPI_KIND_PROCESS, me.id);

    in_t in = {data, size, 0};
    fz_run(&in);

    m.self = 0;
    fz_process_cleanup();
    fz_sync_cleanup();
    fz_shared_cleanup();
    fz_dict_cleanup();
    fz_list_cleanup();
    fz_slab_cleanup();
    fz_queue_cleanup();
    fz_pipe_cleanup();
    fz_lock_cleanup();
    fz_check_usage();
    mp_usage_t now;
    fz_call("mp_usage (end of input)", 0);
    fz_expect(MP_OK, mp_usage(&now));
    if (memcmp(&now, &baseline, sizeof now) != 0)
        fz_fail("occupancy at the end of the input differs from the one after mp_init");
    return 0;
}
