/*
 * What a round must leave of the Dict, the List and the Pool (part of round.h; the
 * members are cast_manager.h and cast_pool.h), checked by the main process once every
 * member is joined:
 * - the Dict: its lock free or taken over (MP_OK); "total" is the number of adds that
 *   returned MP_OK, plus the killed adder's add in flight at most; no ticket handed out
 *   twice; each adder's counter its own adds (the same allowance); an iteration finds
 *   exactly len entries, each a key the cast made with a whole value; and every free
 *   record can still be filled (none leaked by a holder that died): exactly capacity.
 * - the List: len is what an iteration finds, every item whole; every item appended with
 *   MP_OK taken once or still there (a killed appender's item in flight at most once, a
 *   killed popper's item in flight the only one missing); exactly capacity fit.
 * - the Pool: no task outcome the owner could not accept; MP_EWORKER for at most one
 *   chunk, and only when a worker was killed; a dead owner's workers all ended.
 */
#ifndef MP_TEST_ROUND_MANAGER_H
#define MP_TEST_ROUND_MANAGER_H

/* The Dict (its counters at 0), the List, and the events the Pool's owner waits on. */
static inline void cast_create_managers(void)
{
    OK(mp_dict_create(&R.dict, &(mp_dict_attr_t){.capacity = CAST_DICT_CAPACITY,
                                                  .key_size = CAST_DICT_KEY,
                                                  .value_size = MSG_MAX}));
    OK(mp_list_create(&R.list, &(mp_list_attr_t){.capacity = CAST_LIST_CAPACITY,
                                                  .item_size = sizeof(cast_item_t)}));
    int64_t zero = 0;
    OK(mp_dict_set(R.dict, "total", &zero, sizeof zero, MP_NOWAIT));
    for (uint32_t id = 0; id < CAST_STREAMS; id++) {
        char key[CAST_DICT_KEY];
        cast_key(key, 'a', id);
        OK(mp_dict_set(R.dict, key, &zero, sizeof zero, MP_NOWAIT));
    }
    OK(mp_event_create(&R.pool_up));
    OK(mp_event_create(&R.pool_go));
}

static inline void cast_destroy_managers(void)
{
    OK(mp_dict_destroy(R.dict));
    OK(mp_list_destroy(R.list));
    OK(mp_event_destroy(R.pool_up));
    OK(mp_event_destroy(R.pool_go));
}

static inline int64_t cast_dict_value(cast_run_t *run, const char *key)
{
    int64_t v = -1;
    size_t len = 0;
    mp_err_t err = mp_dict_get(R.dict, key, &v, sizeof v, &len, MP_NOWAIT);
    if (err != MP_OK || len != sizeof v)
        cast_bad(run, "dict: %s after the round: %s, %u bytes", key, mp_strerror(err),
                 (unsigned)len);
    return v;
}

/* Whether an entry found by iterating is one the cast made, whole. */
static inline bool cast_dict_entry_known(const char *key, const uint8_t *value, size_t len)
{
    if (strcmp(key, "total") == 0)
        return len == sizeof(int64_t);
    if (strlen(key) != 3)
        return false;
    uint32_t stream = UINT32_MAX, seq = 0;
    uint32_t n = (uint32_t)(key[1] - '0') * 10u + (uint32_t)(key[2] - '0');
    if (n >= CAST_STREAMS)
        return false;
    if (key[0] == 'a')
        return len == sizeof(int64_t);
    return key[0] == 's' && msg_read(value, len, &stream, &seq) && stream == n;
}

/* Iterates: the entries it finds, or -1 when the iteration itself failed. */
static inline int64_t cast_dict_walk(cast_run_t *run)
{
    mp_dict_iter_t it;
    mp_err_t err = mp_dict_iter(R.dict, &it, MP_NOWAIT);
    int64_t n = 0;
    while (err == MP_OK) {
        char key[CAST_DICT_KEY + 1];
        uint8_t value[MSG_MAX];
        size_t len = 0;
        err = mp_dict_next(&it, key, sizeof key, value, sizeof value, &len, MP_NOWAIT);
        if (err == MP_ENOENT)
            return n;
        if (err == MP_OK && !cast_dict_entry_known(key, value, len))
            cast_bad(run, "dict: an entry the cast never made, or torn: \"%s\" (%u bytes)", key,
                     (unsigned)len);
        n++;
    }
    cast_bad(run, "dict: iterating after the round: %s", mp_strerror(err));
    return -1;
}

/* Every free record fills (none leaked), exactly to capacity; then it is emptied. */
static inline void cast_dict_fill(cast_run_t *run, size_t len)
{
    mp_err_t err = MP_OK;
    for (uint32_t i = (uint32_t)len; i < CAST_DICT_CAPACITY && err == MP_OK; i++) {
        char key[CAST_DICT_KEY];
        cast_key(key, 'f', i);
        err = mp_dict_set(R.dict, key, &i, sizeof i, MP_NOWAIT);
    }
    mp_err_t full = mp_dict_set(R.dict, "over", "", 0, MP_NOWAIT);
    if (err != MP_OK || full != MP_ENOSPC)
        cast_bad(run, "dict: filling from %u entries to %u: %s, then %s (MP_ENOSPC expected)",
                 (unsigned)len, CAST_DICT_CAPACITY, mp_strerror(err), mp_strerror(full));
    OK(mp_dict_clear(R.dict, MP_NOWAIT));
}

static inline void cast_check_dict(cast_run_t *run)
{
    size_t len = 0;
    mp_err_t err = mp_dict_len(R.dict, &len, MP_NOWAIT); /* a dead holder's lock: taken over */
    if (err != MP_OK) {
        cast_bad(run, "dict: mp_dict_len after the round: %s", mp_strerror(err));
        return;
    }
    bool killed = cast_killed(run, ADDER);
    uint32_t adding = killed ? R.adding[R.victim] : 0u, done = 0, tickets = 0;
    for (uint32_t w = 0; w < CAST_MAX; w++)
        done += R.total_done[w];
    int64_t total = cast_dict_value(run, "total");
    for (uint32_t t = 0; t < CAST_TICKETS; t++) {
        tickets += R.tickets[t] != 0;
        if (R.tickets[t] != 0 && (int64_t)t >= total)
            cast_bad(run, "dict: ticket %u handed out, and total is %lld", (unsigned)t,
                     (long long)total);
    }
    /* the killed adder's add of total in flight: done or not, its ticket seen or not */
    uint32_t extra = adding == 1u ? 1u : 0u;
    if (R.bad_tickets || tickets < done || tickets > done + extra || (int64_t)tickets > total)
        cast_bad(run, "dict: %u tickets bad or handed out twice, %u seen for %u adds",
                 (unsigned)R.bad_tickets, (unsigned)tickets, (unsigned)done);
    if (total < (int64_t)done || total > (int64_t)(done + extra))
        cast_bad(run, "dict: total %lld after %u adds returned MP_OK (the fault explains %u)",
                 (long long)total, (unsigned)done, (unsigned)extra);
    for (uint32_t w = 0; w < R.members; w++) {
        if (R.role[w] != ADDER)
            continue;
        char key[CAST_DICT_KEY];
        cast_key(key, 'a', R.id[w]);
        int64_t v = cast_dict_value(run, key);
        bool in_flight = w == R.victim && adding == 2u;
        if (v != R.own_done[w] && !(in_flight && v == R.own_done[w] + 1u))
            cast_bad(run, "dict: %s is %lld after %u adds returned MP_OK", key, (long long)v,
                     (unsigned)R.own_done[w]);
    }
    if (R.bad_values)
        cast_bad(run, "dict or list: %u values or items torn, or counters off",
                 (unsigned)R.bad_values);
    int64_t walked = cast_dict_walk(run);
    if (walked >= 0 && walked != (int64_t)len)
        cast_bad(run, "dict: len %u, an iteration finds %lld", (unsigned)len, (long long)walked);
    cast_dict_fill(run, len);
}

/* len against an iteration, every item whole; then the rest taken, each counted once. */
static inline void cast_check_list(cast_run_t *run)
{
    size_t len = 0;
    mp_err_t err = mp_list_len(R.list, &len, MP_NOWAIT);
    if (err != MP_OK) {
        cast_bad(run, "list: mp_list_len after the round: %s", mp_strerror(err));
        return;
    }
    mp_list_iter_t it;
    size_t walked = 0;
    cast_item_t item;
    uint32_t id, seq;
    OK(mp_list_iter(R.list, &it, MP_NOWAIT));
    while ((err = mp_list_next(&it, &item, MP_NOWAIT)) == MP_OK && walked <= len) {
        walked++;
        if (!cast_item_read(&item, &id, &seq))
            cast_add(&R.bad_values);
    }
    if (err != MP_ENOENT || walked != len)
        cast_bad(run, "list: len %u, an iteration finds %u (%s)", (unsigned)len,
                 (unsigned)walked, mp_strerror(err));
    while (mp_list_pop(R.list, -1, &item, MP_NOWAIT) == MP_OK)
        cast_item_got(&item);
    if (R.items_twice)
        cast_bad(run, "list: %u items taken twice", (unsigned)R.items_twice);
    cast_check_channel(run, "list", R.list_streams, APPENDER, POPPER);
    /* every record fills: none was leaked by a holder that died */
    uint32_t filled = 0;
    cast_item_make(&item, 0, 0);
    while (filled < CAST_LIST_CAPACITY && mp_list_append(R.list, &item, MP_NOWAIT) == MP_OK)
        filled++;
    err = mp_list_append(R.list, &item, MP_NOWAIT);
    if (filled != CAST_LIST_CAPACITY || err != MP_ENOSPC)
        cast_bad(run, "list: %u of %u items fit, then %s", (unsigned)filled,
                 CAST_LIST_CAPACITY, mp_strerror(err));
    OK(mp_list_clear(R.list, MP_NOWAIT));
}

static inline void cast_check_pool(cast_run_t *run)
{
    if (R.pool_wrong)
        cast_bad(run, "pool: %u of %u task outcomes wrong", (unsigned)R.pool_wrong,
                 (unsigned)R.pool_tasks);
    uint32_t explained = run->worker_killed ? CAST_POOL_CHUNK : 0u;
    if (R.pool_eworker > explained)
        cast_bad(run, "pool: %u tasks failed with MP_EWORKER (the fault explains %u)",
                 (unsigned)R.pool_eworker, (unsigned)explained);
}

/* The next process the main process adopted (a child of a process it reaped), none of
 * the n it started; {0} when there is none. Found in the process table (core/world.h):
 * no handle to it was ever given out. */
static inline mp_process_t cast_adoptee(const mp_process_t *own, uint32_t n)
{
    mpi_token_t me = mpi_token_of(0);
    for (uint32_t i = 1; i < MP_CONF_MAX_PROCESSES; i++) {
        const mpi_slot_t *s = &mpi_world.slots[i];
        uint8_t state = atomic_load(&s->state);
        bool mine = false;
        for (uint32_t w = 0; w < n; w++)
            mine |= ((own[w].id & MPI_INDEX_MASK) - 1u) == i;
        if (!mine && s->parent == me && state != MPI_SLOT_FREE && state != MPI_SLOT_CREATED)
            return (mp_process_t){mpi_handle_make(MPI_KIND_PROCESS, s->gen, i)};
    }
    return (mp_process_t){0};
}

/* A dead pool owner's workers, its daemonic children, die with it and are the main
 * process's now (adopted, as orphans come to a subreaper): each must end, and is reaped
 * here. */
static inline void cast_reap_orphans(cast_run_t *run)
{
    for (mp_process_t p; (p = cast_adoptee(run->p, R.members)).id != 0;) {
        mp_err_t err = mp_process_join(p, run->join_timeout);
        if (err != MP_OK) {
            cast_bad(run, "a dead pool owner's worker, adopted, not joined within %u ms: %s "
                          "(a hang, or a slot nobody can reap)",
                     (unsigned)run->join_timeout, mp_strerror(err));
            (void)mp_process_kill(p);
            OK(mp_process_join(p, MP_FOREVER));
        }
        int code = 0;
        OK(mp_process_exitcode(p, &code));
        if (code != -MP_SIGKILL && code != -MP_SIGTERM && code != 0)
            cast_bad(run, "a dead pool owner's worker ended with exitcode %d", code);
        OK(mp_process_close(p));
    }
}

#endif
