/*
 * Soak, on every port: 4 producers and 4 consumers move N checksummed, sequence-numbered
 * messages through one queue, and what was received is exactly what was sent: each
 * message once (a bit per message, set by whoever received it), whole, and in its
 * producer's order as each consumer saw it.
 *
 *   MP_SOAK_MESSAGES=n   how many (hosts; the Cortex-M3 has no environment and runs the
 *                        short default). `ninja test` runs SOAK_DEFAULT; the long run is
 *                        1,000,000 (tools/run_stress.sh).
 */
#include <stdio.h>
#include <stdlib.h>

#include "message.h"
#include "mp_test.h"

#define PRODUCERS 4u
#define CONSUMERS 4u
#define SOAK_DEFAULT 20000u
#define SOAK_TIMEOUT 30000u /* ms: no single put or get of a healthy run comes near it */
#if UINTPTR_MAX > 0xffffffffu
#define SOAK_MAX 4000000u /* a host: the long run and more */
#else
#define SOAK_MAX 100000u /* a microcontroller's RAM holds the record of this many */
#endif
#define PER_MAX (SOAK_MAX / PRODUCERS)

static MP_SHARED uint32_t seen[PRODUCERS][(PER_MAX + 31u) / 32u];
static MP_SHARED uint32_t torn, disorder, duplicated, received[CONSUMERS];

typedef struct {
    mp_queue_t q;
    uint32_t id, count;
} soak_arg_t;

static void add(uint32_t *counter)
{
    __atomic_add_fetch(counter, 1u, __ATOMIC_SEQ_CST);
}

static int produce(void *arg)
{
    soak_arg_t *a = arg;
    uint8_t buf[MSG_MAX];
    for (uint32_t seq = 0; seq < a->count; seq++) {
        size_t len = msg_make(buf, a->id, seq);
        mp_err_t err = mp_queue_put(a->q, buf, len, SOAK_TIMEOUT);
        if (err != MP_OK)
            return CODE(err);
    }
    return 0;
}

static int consume(void *arg)
{
    soak_arg_t *a = arg;
    uint32_t last[PRODUCERS];
    msg_order_init(last, PRODUCERS);
    for (;;) {
        uint8_t buf[MSG_MAX];
        size_t len;
        mp_err_t err = mp_queue_get(a->q, buf, sizeof buf, &len, SOAK_TIMEOUT);
        if (err == MP_ECLOSED)
            return 0; /* closed once every producer was done, and drained */
        if (err != MP_OK)
            return CODE(err);
        uint32_t id, seq;
        if (!msg_read(buf, len, &id, &seq) || id >= PRODUCERS || seq >= PER_MAX) {
            add(&torn);
            continue;
        }
        if (!msg_in_order(last, id, seq))
            add(&disorder);
        uint32_t bit = 1u << (seq % 32u);
        if (__atomic_fetch_or(&seen[id][seq / 32u], bit, __ATOMIC_SEQ_CST) & bit)
            add(&duplicated);
        received[a->id]++;
    }
}

static uint32_t messages(void)
{
    const char *v = getenv("MP_SOAK_MESSAGES");
    return v != NULL && *v ? (uint32_t)strtoul(v, NULL, 0) : SOAK_DEFAULT;
}

static void test_every_message_arrives_exactly_once(void **state)
{
    (void)state;
    uint32_t n = messages();
    if (n > SOAK_MAX)
        fail_msg("MP_SOAK_MESSAGES=%u: this build records at most %u", (unsigned)n,
                 (unsigned)SOAK_MAX);
    mp_usage_t before, after;
    OK(mp_usage(&before));
    memset(seen, 0, sizeof seen);
    torn = disorder = duplicated = 0;
    memset(received, 0, sizeof received);
    mp_queue_t q;
    OK(mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = MSG_MAX, .depth = 64}));
    mp_time_t t0, t1;
    OK(mp_clock_ns(&t0));
    mp_process_t c[CONSUMERS], p[PRODUCERS];
    uint32_t per[PRODUCERS];
    for (uint32_t i = 0; i < CONSUMERS; i++)
        c[i] = spawn(consume, &(soak_arg_t){q, i, 0}, sizeof(soak_arg_t), MP_DAEMON_NO);
    for (uint32_t i = 0; i < PRODUCERS; i++) {
        per[i] = n / PRODUCERS + (i < n % PRODUCERS ? 1u : 0u);
        p[i] = spawn(produce, &(soak_arg_t){q, i, per[i]}, sizeof(soak_arg_t), MP_DAEMON_NO);
    }
    for (uint32_t i = 0; i < PRODUCERS; i++)
        assert_int_equal(0, reap(p[i]));
    OK(mp_queue_close(q));
    for (uint32_t i = 0; i < CONSUMERS; i++)
        assert_int_equal(0, reap(c[i]));
    OK(mp_clock_ns(&t1));

    uint32_t total = 0;
    for (uint32_t i = 0; i < CONSUMERS; i++)
        total += received[i];
    if (torn || disorder || duplicated || total != n)
        fail_msg("%u messages sent, %u received: %u torn, %u out of order, %u duplicated",
                 (unsigned)n, (unsigned)total, (unsigned)torn, (unsigned)disorder,
                 (unsigned)duplicated);
    for (uint32_t id = 0; id < PRODUCERS; id++) /* and the n received are the n sent */
        for (uint32_t seq = 0; seq < per[id]; seq++)
            if (!(seen[id][seq / 32u] >> (seq % 32u) & 1u))
                fail_msg("producer %u, message %u: never received", (unsigned)id, (unsigned)seq);
    size_t left;
    /* closed, so no count: a look without a buffer says whether a message is left */
    assert_int_equal(MP_ECLOSED, mp_queue_get(q, NULL, 0, &left, MP_NOWAIT));
    OK(mp_queue_destroy(q));
    OK(mp_usage(&after));
    assert_memory_equal(&before, &after, sizeof before);
    print_message("%u messages, %u producers, %u consumers (they took %u/%u/%u/%u): each "
                  "exactly once, whole, in order; %u ms on the port's clock\n",
                  (unsigned)n, (unsigned)PRODUCERS, (unsigned)CONSUMERS, (unsigned)received[0],
                  (unsigned)received[1], (unsigned)received[2], (unsigned)received[3],
                  (unsigned)((t1 - t0) / 1000000u));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_every_message_arrives_exactly_once),
    };
    return cmocka_run_group_tests_name("soak", tests, NULL, NULL);
}
