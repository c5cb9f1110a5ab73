/*
 * A daemonic child beside a normal one (CPython's daemon=True): the normal child runs to
 * its end and is joined; the daemon is still waiting (on an Event nobody sets, where
 * CPython's tutorial sleeps) when main() returns, and main's exit sequence terminates it,
 * as CPython's exit handler does, so its last line is never printed. An Event tells main
 * that the daemon has started: no sleeps, the output is the same on every port.
 */
#include "mp/mp.h"
#include "out.h"

typedef struct {
    mp_event_t started, never;
} events_t;

static int daemon_fn(void *arg)
{
    events_t *e = arg;
    out("  daemon: starting\n");
    mp_event_set(e->started);
    mp_event_wait(e->never, MP_FOREVER); /* ended here when main exits */
    out("  daemon: exiting (never printed)\n");
    return 0;
}

static int worker(void *arg)
{
    (void)arg;
    out("  worker: starting\n");
    out("  worker: exiting\n");
    return 0;
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    out("daemon: a daemonic child and a normal one\n");
    events_t e;
    if (mp_event_create(&e.started) != MP_OK || mp_event_create(&e.never) != MP_OK)
        return 1;
    mp_process_t d, w;
    mp_process_create(&d, &(mp_process_attr_t){.target = daemon_fn, .arg = &e, .arg_size = sizeof e,
                                               .name = "daemon", .daemon = MP_DAEMON_YES});
    mp_process_create(&w, &(mp_process_attr_t){.target = worker, .name = "worker",
                                               .daemon = MP_DAEMON_NO});
    if (mp_process_start(d) != MP_OK)
        return 1;
    mp_event_wait(e.started, MP_FOREVER);
    if (mp_process_start(w) != MP_OK)
        return 1;
    mp_process_join(w, MP_FOREVER);
    bool alive = false, daemonic = false;
    int code = -1;
    mp_process_exitcode(w, &code);
    mp_process_is_alive(d, &alive);
    mp_process_daemon(d, &daemonic);
    out("main: worker exitcode ");
    out_int(code);
    out(", daemon is_alive ");
    out(alive ? "True" : "False");
    out(", daemon ");
    out(daemonic ? "True" : "False");
    out("\nmain: done; exiting terminates the daemon\n");
    return code; /* the exit sequence terminates daemonic children, joins the others */
}
