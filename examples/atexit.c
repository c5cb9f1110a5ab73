/*
 * What runs when the main code ends (CPython: atexit.register, and multiprocessing's own
 * exit handler). main() registers two exit hooks and returns; its exit sequence runs the
 * hooks, the last registered first, then terminates its daemonic child and joins the
 * normal one, which therefore runs to its end after main's last line, on every port.
 *
 * The normal child shows both: it waits for a Lock the daemon holds, which comes back
 * (MP_EOWNERDEAD) only once the daemon has been ended, and then finds main still alive,
 * waiting for it. Its own hook runs when its target returns; the daemon's never runs: a
 * terminated process runs no exit sequence. No sleeps: the output is the same every run.
 */
#include "mp/mp.h"
#include "out.h"

typedef struct {
    mp_lock_t held;   /* the daemon holds it until it is ended */
    mp_event_t holds; /* set once it does */
    mp_event_t never; /* nobody sets it: the daemon waits there */
} shared_t;

static void say(void *text)
{
    out(text);
}

static int daemon_fn(void *arg)
{
    shared_t *s = arg;
    mp_lock_acquire(s->held, MP_FOREVER);
    mp_atexit(say, "  daemon's exit hook (never printed)\n");
    out("  daemon: holding the lock\n");
    mp_event_set(s->holds);
    mp_event_wait(s->never, MP_FOREVER); /* terminated here by main's exit sequence */
    return 0;
}

static int worker(void *arg)
{
    shared_t *s = arg;
    mp_atexit(say, "  worker's exit hook\n");
    mp_err_t got = mp_lock_acquire(s->held, MP_FOREVER);
    out(got == MP_EOWNERDEAD ? "  worker: the daemon's lock came back: the daemon was ended\n"
                             : "  worker: the lock did not come back as it should\n");
    mp_process_t parent;
    bool alive = false;
    mp_process_parent(&parent);
    mp_process_is_alive(parent, &alive); /* CPython's parent_process().is_alive() */
    out("  worker: main is still alive, waiting for me: ");
    out(alive ? "True\n" : "False\n");
    mp_lock_release(s->held);
    return 0;
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    out("atexit: what runs when main() returns\n");
    shared_t s;
    if (mp_lock_create(&s.held) != MP_OK || mp_event_create(&s.holds) != MP_OK ||
        mp_event_create(&s.never) != MP_OK)
        return 1;
    mp_process_t d, w;
    mp_process_create(&d, &(mp_process_attr_t){.target = daemon_fn, .arg = &s, .arg_size = sizeof s,
                                               .daemon = MP_DAEMON_YES});
    mp_process_create(&w, &(mp_process_attr_t){.target = worker, .arg = &s, .arg_size = sizeof s,
                                               .daemon = MP_DAEMON_NO});
    if (mp_process_start(d) != MP_OK)
        return 1;
    mp_event_wait(s.holds, MP_FOREVER);
    if (mp_process_start(w) != MP_OK)
        return 1;
    mp_atexit(say, "main's exit hook 1 (registered first, runs last)\n");
    mp_atexit(say, "main's exit hook 2 (registered last, runs first)\n");
    out("main: returning from main()\n");
    return 0; /* the hooks run, the daemon is terminated, the worker joined */
}
