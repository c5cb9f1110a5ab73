/*
 * The cast's members on the Manager objects (part of cast.h): adders on a Dict, appenders
 * and poppers on a List. Every change to either is published by one store, and the next
 * caller takes the lock of a holder that died and gets MP_OK (core/records.h). So a member
 * may be killed inside any call and what must hold afterwards is simple to state: every
 * call that returned MP_OK counted exactly once, the killed member's call in flight at most
 * once, and nothing torn. round_manager.h checks it.
 *
 * Adders: each round adds 1 to "total" and to its own counter "a<id>" (mp_dict_add, the
 * atomic read-modify-write), then sets "s<id>" to a whole message, reads it back, and
 * pops it every other round (a replacement, an append and a removal of a record). The
 * values "total" had before each add are tickets: no two adders may get the same one.
 * Appenders: items in streams, as producers' messages (every third inserted at the front,
 * which switches the list's maps); poppers take from either end, so no order is checked.
 */
#ifndef MP_TEST_CAST_MANAGER_H
#define MP_TEST_CAST_MANAGER_H

#define CAST_DICT_CAPACITY 16u
#define CAST_DICT_KEY 8u
#define CAST_LIST_CAPACITY (2u * CAST_STREAM_MAX) /* two appenders' items never fill it */

typedef struct {
    uint32_t stream, seq, sum, pad;
} cast_item_t;

static inline uint32_t cast_item_sum(uint32_t stream, uint32_t seq)
{
    return (stream * 2654435761u) ^ (seq * 40503u) ^ 0x5eed1157u;
}

static inline void cast_item_make(cast_item_t *it, uint32_t stream, uint32_t seq)
{
    *it = (cast_item_t){stream, seq, cast_item_sum(stream, seq), ~seq};
}

static inline bool cast_item_read(const cast_item_t *it, uint32_t *stream, uint32_t *seq)
{
    if (it->stream >= CAST_STREAMS || it->seq >= CAST_STREAM_MAX ||
        it->sum != cast_item_sum(it->stream, it->seq) || it->pad != ~it->seq)
        return false;
    *stream = it->stream;
    *seq = it->seq;
    return true;
}

/* One item taken off the list: whole, and never taken before. */
static inline void cast_item_got(const cast_item_t *it)
{
    uint32_t id, seq;
    if (!cast_item_read(it, &id, &seq))
        cast_add(&R.bad_values);
    else if (__atomic_add_fetch(&R.list_streams[id].got[seq], 1u, __ATOMIC_SEQ_CST) > 1)
        cast_add(&R.items_twice);
}

/* "a<id>", "s<id>", "f<n>": the cast's keys. */
static inline void cast_key(char *key, char kind, uint32_t n)
{
    key[0] = kind;
    key[1] = (char)('0' + n / 10u % 10u);
    key[2] = (char)('0' + n % 10u);
    key[3] = '\0';
}

static inline void cast_store(uint32_t *word, uint32_t value)
{
    __atomic_store_n(word, value, __ATOMIC_SEQ_CST);
}

/* A value "total" had before an add: each may be handed out once. */
static inline void cast_ticket(int64_t previous)
{
    if (previous < 0 || previous >= (int64_t)CAST_TICKETS ||
        __atomic_add_fetch(&R.tickets[previous], 1u, __ATOMIC_SEQ_CST) > 1)
        cast_add(&R.bad_tickets);
}

/* The scratch entry: set whole, read back whole, popped every other round. */
static inline int cast_scratch(uint32_t w, uint32_t id, uint32_t round)
{
    char key[CAST_DICT_KEY];
    cast_key(key, 's', id);
    uint8_t buf[MSG_MAX], back[MSG_MAX];
    size_t len = msg_make(buf, id, round), got = 0;
    mp_err_t err = mp_dict_set(R.dict, key, buf, len, R.work_timeout);
    if (err != MP_OK)
        return cast_fault(w, "mp_dict_set", err);
    if (round & 1u)
        err = mp_dict_pop(R.dict, key, back, sizeof back, &got, R.work_timeout);
    else
        err = mp_dict_get(R.dict, key, back, sizeof back, &got, R.work_timeout);
    if (err != MP_OK)
        return cast_fault(w, round & 1u ? "mp_dict_pop" : "mp_dict_get", err);
    if (got != len || memcmp(buf, back, len) != 0)
        cast_add(&R.bad_values);
    return 0;
}

static inline int cast_adder(uint32_t w, uint32_t id)
{
    char own[CAST_DICT_KEY];
    cast_key(own, 'a', id);
    for (uint32_t i = 0; i < R.dict_ops; i++) {
        int64_t previous = -1;
        cast_store(&R.adding[w], 1u); /* from here a fault may leave one add unrecorded */
        mp_err_t err = mp_dict_add(R.dict, "total", 1, &previous, R.work_timeout);
        if (err != MP_OK)
            return cast_fault(w, "mp_dict_add(total)", err);
        cast_ticket(previous);
        cast_store(&R.total_done[w], i + 1u);
        cast_store(&R.adding[w], 2u);
        err = mp_dict_add(R.dict, own, 1, &previous, R.work_timeout);
        if (err != MP_OK)
            return cast_fault(w, "mp_dict_add(own counter)", err);
        if (previous != (int64_t)i)
            cast_add(&R.bad_values); /* only this adder adds to it: an update lost or doubled */
        cast_store(&R.own_done[w], i + 1u);
        cast_store(&R.adding[w], 0u);
        if (cast_scratch(w, id, i) != 0)
            return 1;
        cast_op_done(w);
    }
    return 0;
}

static inline int cast_appender(uint32_t w, uint32_t id)
{
    cast_stream_t *s = &R.list_streams[id];
    for (uint32_t seq = 0; seq < R.list_items; seq++) {
        cast_item_t it;
        cast_item_make(&it, id, seq);
        cast_store(&s->started, seq + 1u);
        bool front = seq % 3u == 2u;
        mp_err_t err = front ? mp_list_insert(R.list, 0, &it, R.work_timeout)
                             : mp_list_append(R.list, &it, R.work_timeout);
        if (err != MP_OK)
            return cast_fault(w, front ? "mp_list_insert" : "mp_list_append", err);
        cast_sent(w, s, seq);
        if (seq % 16u == 15u)
            (void)mp_event_wait(R.never, 1); /* else one popper may take every item */
    }
    return 0;
}

/* Pops from the back and the front in turn until the list is empty after the appenders
 * ended (list_closed, read before the pop: no append can land after an empty answer). */
static inline int cast_popper(uint32_t w)
{
    for (uint32_t n = 0;; n++) {
        bool closed = __atomic_load_n(&R.list_closed, __ATOMIC_SEQ_CST) != 0;
        cast_item_t it;
        cast_taking(w, 1u);
        mp_err_t err = mp_list_pop(R.list, n & 1u ? 0 : -1, &it, R.work_timeout);
        if (err == MP_ERANGE) {
            cast_taking(w, 0u);
            if (closed)
                return 0;
            (void)mp_event_wait(R.never, 1); /* a pause: the appenders move on */
            continue;
        }
        if (err != MP_OK)
            return cast_fault(w, "mp_list_pop", err);
        if (R.worker[w].ops >= CAST_STREAMS * CAST_STREAM_MAX)
            return cast_fault(w, "mp_list_pop (more items than were ever appended)", err);
        cast_item_got(&it);
        cast_taking(w, 0u);
        cast_op_done(w);
    }
}

#endif
