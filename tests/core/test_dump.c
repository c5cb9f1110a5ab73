/*
 * mp_dump and lookup by name: what the dump says about processes, objects, tables and the
 * arena, read through a sink that captures it; mp_object_set_name/find, mp_process_find.
 */
#include <stdio.h>
#include <stdlib.h>

#include "mp_test.h"

/* ---- capturing a dump ------------------------------------------------------------------ */

static char text[16384];
static size_t text_len;
static uint32_t lines;

static void capture(void *ctx, const char *s, size_t len)
{
    (void)ctx;
    assert_true(len > 0 && s[len - 1] == '\n'); /* one whole line per call */
    lines++;
    for (size_t i = 0; i < len && text_len + 1 < sizeof text; i++)
        text[text_len++] = s[i];
    text[text_len] = '\0';
}

static const char *dump(void)
{
    text_len = 0;
    lines = 0;
    text[0] = '\0';
    OK(mp_dump_to(capture, NULL));
    return text;
}

/* The line of the dump that starts with prefix (after its indent), copied; NULL if none. */
static const char *line_of(const char *prefix)
{
    static char line[256];
    size_t n = strlen(prefix);
    for (const char *p = text; *p;) {
        const char *end = strchr(p, '\n');
        const char *start = p;
        while (*start == ' ')
            start++;
        if (strncmp(start, prefix, n) == 0) {
            size_t len = (size_t)(end - p) < sizeof line - 1 ? (size_t)(end - p) : sizeof line - 1;
            memcpy(line, p, len);
            line[len] = '\0';
            return line;
        }
        p = end + 1;
    }
    return NULL;
}

static void assert_has(const char *line, const char *part)
{
    assert_non_null(line);
    if (strstr(line, part) == NULL)
        fail_msg("\"%s\" not in \"%s\"", part, line);
}

/* ---- what the dump shows ------------------------------------------------------------- */

static void test_the_dump_names_every_table_with_its_option(void **state)
{
    (void)state;
    dump();
    assert_true(lines >= 3);
    assert_has(line_of("processes "), "(MP_CONF_MAX_PROCESSES)");
    assert_has(line_of("MainProcess: "), ", running");
    static const char *const tables[][2] = {
        {"locks ", "MP_CONF_MAX_LOCKS"},   {"queues ", "MP_CONF_MAX_QUEUES"},
        {"pipes ", "MP_CONF_MAX_PIPES"},   {"values ", "MP_CONF_MAX_VALUES"},
        {"semaphores ", "MP_CONF_MAX_SEMAPHORES"}, {"events ", "MP_CONF_MAX_EVENTS"},
        {"conditions ", "MP_CONF_MAX_CONDITIONS"}, {"barriers ", "MP_CONF_MAX_BARRIERS"},
        {"pools ", "MP_CONF_MAX_POOLS"},   {"results ", "MP_CONF_MAX_RESULTS"},
        {"dicts ", "MP_CONF_MAX_DICTS"},   {"lists ", "MP_CONF_MAX_LISTS"},
        {"slabs ", "MP_CONF_MAX_SLABS"},   {"names ", "MP_CONF_MAX_NAMES"},
    };
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        assert_has(line_of(tables[i][0]), tables[i][1]);
    assert_has(line_of("arena "), "(MP_CONF_ARENA_SIZE)");
}

static void test_objects_show_with_their_counts_names_and_holders(void **state)
{
    (void)state;
    mp_queue_t q;
    mp_lock_t l;
    mp_semaphore_t s;
    mp_event_t e;
    OK(mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = 8, .depth = 4}));
    OK(mp_lock_create(&l));
    OK(mp_semaphore_create(&s, 3, true));
    OK(mp_event_create(&e));
    OK(mp_object_set_name(q.id, "jobs"));
    OK(mp_queue_put(q, "a", 1, MP_NOWAIT));
    OK(mp_queue_put(q, "b", 1, MP_NOWAIT));
    OK(mp_lock_acquire(l, MP_NOWAIT));
    OK(mp_event_set(e));
    dump();
    char want[64];
    snprintf(want, sizeof want, "queue #%u \"jobs\"", (unsigned)(q.id & 0xfffu) - 1u);
    assert_has(line_of(want), ": 2 of 4 messages");
    snprintf(want, sizeof want, "lock #%u:", (unsigned)(l.id & 0xfffu) - 1u);
    assert_has(line_of(want), "held by MainProcess");
    snprintf(want, sizeof want, "semaphore #%u:", (unsigned)(s.id & 0xfffu) - 1u);
    assert_has(line_of(want), "value 3 of at most 3");
    snprintf(want, sizeof want, "event #%u:", (unsigned)(e.id & 0xfffu) - 1u);
    assert_has(line_of(want), "set");
    OK(mp_lock_release(l));
    dump();
    snprintf(want, sizeof want, "lock #%u:", (unsigned)(l.id & 0xfffu) - 1u);
    assert_has(line_of(want), "free");
    OK(mp_queue_destroy(q));
    OK(mp_lock_destroy(l));
    OK(mp_semaphore_destroy(s));
    OK(mp_event_destroy(e));
    dump();
    assert_null(line_of("queue #")); /* destroyed: gone from the dump */
}

/* MP_ENOSLOT names no table: the dump does, with the option and the creates refused. */
static void test_a_full_table_shows_full_with_its_refusals(void **state)
{
    (void)state;
    mp_event_t e[MP_CONF_MAX_EVENTS + 1];
    mp_usage_t u;
    OK(mp_usage(&u));
    uint32_t made = 0;
    while (made < MP_CONF_MAX_EVENTS - u.events)
        OK(mp_event_create(&e[made++]));
    assert_int_equal(MP_ENOSLOT, mp_event_create(&e[made]));
    assert_int_equal(MP_ENOSLOT, mp_event_create(&e[made]));
    dump();
    char want[96];
    snprintf(want, sizeof want, "events %u of %u, most %u", (unsigned)MP_CONF_MAX_EVENTS,
             (unsigned)MP_CONF_MAX_EVENTS, (unsigned)MP_CONF_MAX_EVENTS);
    assert_has(line_of("events "), want);
    assert_has(line_of("events "), "(MP_CONF_MAX_EVENTS: full)");
    const char *refused = strstr(line_of("events "), "refused ");
    assert_non_null(refused);
    assert_true(atoi(refused + 8) >= 2);
    for (uint32_t i = 0; i < made; i++)
        OK(mp_event_destroy(e[i]));
    dump(); /* the high-water mark stays when the table empties */
    snprintf(want, sizeof want, "events %u of %u, most %u", (unsigned)u.events,
             (unsigned)MP_CONF_MAX_EVENTS, (unsigned)MP_CONF_MAX_EVENTS);
    assert_has(line_of("events "), want);
}

typedef struct {
    mp_queue_t q;
    mp_event_t go;
} getter_arg_t;

/* Uses some stack, then waits for a message. */
static int deep_getter(void *arg)
{
    getter_arg_t *a = arg;
    volatile uint8_t deep[1024];
    for (size_t i = 0; i < sizeof deep; i++)
        deep[i] = (uint8_t)i;
    char m[8];
    size_t len;
    return mp_queue_get(a->q, m, sizeof m, &len, MP_FOREVER) == MP_OK && deep[5] == 5 ? 0 : 1;
}

static void test_a_waiting_process_shows_what_it_waits_for(void **state)
{
    (void)state;
    getter_arg_t a;
    OK(mp_queue_create(&a.q, &(mp_queue_attr_t){.msg_size = 8, .depth = 4}));
    mp_process_t p;
    OK(mp_process_create(&p, &(mp_process_attr_t){.target = deep_getter, .arg = &a,
                                                  .arg_size = sizeof a, .name = "getter"}));
    OK(mp_process_start(p));
    wait_blocked(p);
    char want[64];
    snprintf(want, sizeof want, "waits for a message in Queue #%u",
             (unsigned)(a.q.id & 0xfffu) - 1u);
    /* a port that looks for deaths now and then (POSIX) leaves the wait for a moment */
    const char *line = NULL;
    for (int tries = 0; tries < 1000; tries++) {
        dump();
        line = line_of("getter: ");
        if (line != NULL && strstr(line, want) != NULL)
            break;
        OK(mp_process_yield());
    }
    assert_has(line, want);
    assert_has(line, ", running, parent MainProcess, priority 0");
    const char *stack = strstr(line, ", stack ");
    uint32_t slot = (p.id & 0xfffu) - 1u, used = 0, size = 0;
    mp_err_t known = mp_port_stack_use(slot, &used, &size);
    if (known == MP_OK) { /* the task port: the child's 1 KiB shows */
        assert_non_null(stack);
        assert_true(atoi(stack + 8) >= 1024);
        assert_true(atoi(stack + 8) <= (int)size);
    } else {
        assert_int_equal(MP_ENOTSUP, known);
        assert_null(stack);
    }
    OK(mp_queue_put(a.q, "x", 1, MP_FOREVER));
    assert_int_equal(0, reap(p));
    OK(mp_queue_destroy(a.q));
}

static void test_an_ended_process_shows_its_exitcode(void **state)
{
    (void)state;
    mp_process_t p;
    OK(mp_process_create(&p, &(mp_process_attr_t){.target = deep_getter, .name = "unstarted"}));
    dump();
    assert_has(line_of("unstarted: "), "created (not started)");
    OK(mp_process_close(p));
    int v = 7;
    getter_arg_t a;
    OK(mp_queue_create(&a.q, &(mp_queue_attr_t){.msg_size = 8, .depth = 4}));
    OK(mp_queue_put(a.q, "x", 1, MP_FOREVER));
    OK(mp_process_create(&p, &(mp_process_attr_t){.target = deep_getter, .arg = &a,
                                                  .arg_size = sizeof a, .name = "ended"}));
    (void)v;
    OK(mp_process_start(p));
    OK(mp_process_join(p, MP_FOREVER));
    dump();
    assert_has(line_of("ended: "), ", joined, exitcode 0");
    OK(mp_process_close(p));
    OK(mp_queue_destroy(a.q));
}

static void test_dump_refuses_a_missing_sink(void **state)
{
    (void)state;
    assert_int_equal(MP_EINVAL, mp_dump_to(NULL, NULL));
    OK(mp_dump()); /* to the console: the suite's output shows it */
}

/* ---- lookup by name ------------------------------------------------------------------ */

static void test_an_object_is_found_by_its_name(void **state)
{
    (void)state;
    mp_queue_t q, found = {0};
    mp_event_t e;
    OK(mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = 8, .depth = 4}));
    OK(mp_event_create(&e));
    assert_int_equal(MP_ENOENT, mp_object_find("jobs", &found.id));
    OK(mp_object_set_name(q.id, "jobs"));
    OK(mp_object_find("jobs", &found.id));
    assert_int_equal(q.id, found.id);
    char b[MP_CONF_NAME_LEN];
    OK(mp_object_name(q.id, b, sizeof b));
    assert_string_equal("jobs", b);
    assert_int_equal(MP_ENOENT, mp_object_name(e.id, b, sizeof b));
    /* unique among live objects */
    assert_int_equal(MP_EBUSY, mp_object_set_name(e.id, "jobs"));
    /* renaming moves the name */
    OK(mp_object_set_name(q.id, "work"));
    assert_int_equal(MP_ENOENT, mp_object_find("jobs", &found.id));
    OK(mp_object_set_name(e.id, "jobs"));
    OK(mp_object_find("jobs", &found.id));
    assert_int_equal(e.id, found.id);
    /* a name goes with its object */
    OK(mp_queue_destroy(q));
    assert_int_equal(MP_ENOENT, mp_object_find("work", &found.id));
    OK(mp_event_destroy(e));
    assert_int_equal(MP_ENOENT, mp_object_find("jobs", &found.id));
}

static void test_object_names_refuse_bad_input(void **state)
{
    (void)state;
    mp_event_t e;
    OK(mp_event_create(&e));
    char too_long[MP_CONF_NAME_LEN + 1];
    memset(too_long, 'x', sizeof too_long - 1);
    too_long[sizeof too_long - 1] = '\0';
    assert_int_equal(MP_ENAMETOOLONG, mp_object_set_name(e.id, too_long));
    assert_int_equal(MP_EINVAL, mp_object_set_name(e.id, NULL));
    assert_int_equal(MP_EINVAL, mp_object_set_name(e.id, ""));
    assert_int_equal(MP_EHANDLE, mp_object_set_name(0, "zero"));
    mp_process_t self;
    OK(mp_process_self(&self));
    assert_int_equal(MP_EHANDLE, mp_object_set_name(self.id, "me"));
    uint32_t id;
    assert_int_equal(MP_EINVAL, mp_object_find(NULL, &id));
    assert_int_equal(MP_EINVAL, mp_object_find("x", NULL));
    assert_int_equal(MP_EINVAL, mp_object_name(e.id, NULL, 4));
    OK(mp_event_destroy(e));
    assert_int_equal(MP_ESTALE, mp_object_set_name(e.id, "late"));
}

static void test_names_full_is_enoslot_and_shows_in_the_dump(void **state)
{
    (void)state;
    mp_event_t e;
    OK(mp_event_create(&e));
    /* more objects than names, of two kinds: neither table fills first */
    mp_semaphore_t s[MP_CONF_MAX_NAMES / 2 + 1];
    mp_lock_t l[MP_CONF_MAX_NAMES / 2 + 1];
    uint32_t made = 0;
    mp_err_t err = MP_OK;
    while (made <= MP_CONF_MAX_NAMES && err == MP_OK) {
        uint32_t id;
        if (made % 2 == 0) {
            OK(mp_semaphore_create(&s[made / 2], 0, false));
            id = s[made / 2].id;
        } else {
            OK(mp_lock_create(&l[made / 2]));
            id = l[made / 2].id;
        }
        char name[8] = {'n', (char)('a' + made % 26), (char)('a' + made / 26), 0};
        err = mp_object_set_name(id, name);
        made++;
    }
    assert_int_equal(MP_CONF_MAX_NAMES + 1, made);
    assert_int_equal(MP_ENOSLOT, err);
    dump();
    assert_has(line_of("names "), "(MP_CONF_MAX_NAMES: full)");
    for (uint32_t i = 0; i < made; i++) {
        if (i % 2 == 0)
            OK(mp_semaphore_destroy(s[i / 2]));
        else
            OK(mp_lock_destroy(l[i / 2]));
    }
    dump(); /* names go with their objects */
    assert_has(line_of("names "), "names 0 of ");
    OK(mp_object_set_name(e.id, "again")); /* the destroyed objects' entries are reused */
    OK(mp_event_destroy(e));
}

static int idle(void *arg)
{
    (void)arg;
    return 3;
}

static void test_a_process_is_found_by_its_name(void **state)
{
    (void)state;
    mp_process_t p, found = {0}, self;
    OK(mp_process_self(&self));
    OK(mp_process_find("MainProcess", &found));
    assert_int_equal(self.id, found.id);
    assert_int_equal(MP_ENOENT, mp_process_find("finder", &found));
    OK(mp_process_create(&p, &(mp_process_attr_t){.target = idle, .name = "finder"}));
    OK(mp_process_find("finder", &found));
    assert_int_equal(p.id, found.id);
    OK(mp_process_start(found));
    OK(mp_process_join(found, MP_FOREVER));
    int code = 0;
    OK(mp_process_exitcode(found, &code));
    assert_int_equal(3, code);
    OK(mp_process_close(p));
    assert_int_equal(MP_ENOENT, mp_process_find("finder", &found));
    assert_int_equal(MP_EINVAL, mp_process_find(NULL, &found));
    assert_int_equal(MP_EINVAL, mp_process_find("x", NULL));
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        TEST(test_the_dump_names_every_table_with_its_option),
        TEST(test_objects_show_with_their_counts_names_and_holders),
        TEST(test_a_full_table_shows_full_with_its_refusals),
        TEST(test_a_waiting_process_shows_what_it_waits_for),
        TEST(test_an_ended_process_shows_its_exitcode),
        TEST(test_dump_refuses_a_missing_sink),
        TEST(test_an_object_is_found_by_its_name),
        TEST(test_object_names_refuse_bad_input),
        TEST(test_names_full_is_enoslot_and_shows_in_the_dump),
        TEST(test_a_process_is_found_by_its_name),
    };
    return cmocka_run_group_tests_name("dump", tests, NULL, NULL);
}
