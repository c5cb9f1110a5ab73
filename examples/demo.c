/*
 * The first demo: a parent starts worker processes, one daemonic, one terminated, one
 * killed while holding a lock, and prints how each ended. The same source runs as Linux
 * processes (build/posix/examples/demo), as tasks on the host simulation
 * (build/host-sim/examples/demo) and on the Cortex-M3 board under QEMU. Only the main
 * process prints, so the output is in the same order everywhere.
 */
#include "mp/mp.h"
#include "out.h"

static int sum_to(void *arg)
{
    int n = *(int *)arg, sum = 0;
    for (int i = 1; i <= n; i++)
        sum += i;
    return sum % 256; /* an exit code: POSIX keeps 8 bits */
}

/* Waits on a lock the parent holds: it runs until someone ends it. */
static int wait_forever(void *arg)
{
    mp_lock_t gate = *(mp_lock_t *)arg;
    mp_lock_acquire(gate, MP_FOREVER);
    return 0;
}

typedef struct {
    mp_lock_t shared, ready, gate;
} holder_t;

static int hold_and_hang(void *arg)
{
    holder_t *h = arg;
    mp_lock_acquire(h->shared, MP_FOREVER);
    mp_lock_release(h->ready);            /* tell the parent we hold it */
    mp_lock_acquire(h->gate, MP_FOREVER); /* held by the parent: never returns */
    return 0;
}

static void report(const char *what, mp_process_t p)
{
    char name[MP_CONF_NAME_LEN];
    int code = 0;
    bool daemon = false;
    mp_process_name(p, name, sizeof name);
    mp_process_daemon(p, &daemon);
    mp_err_t err = mp_process_exitcode(p, &code);
    out("  ");
    out_field(name, 13);
    out_field(what, 23);
    if (err == MP_OK) {
        out("exitcode ");
        out_int(code);
    } else {
        out(daemon ? "running (daemon)" : mp_strerror(err));
    }
    out("\n");
}

static int fail(const char *what, mp_err_t err)
{
    out("demo: ");
    out(what);
    out(": ");
    out(mp_strerror(err));
    out("\n");
    return 1;
}

int main(void)
{
    mp_err_t err = mp_init();
    if (err != MP_OK)
        return fail("mp_init", err);
    out("mpstatic demo: workers, a daemon, a terminated and a killed process\n");

    int n[3] = {10, 20, 100};
    mp_process_t workers[3];
    for (int i = 0; i < 3; i++) {
        err = mp_process_create(&workers[i], &(mp_process_attr_t){
                                                 .target = sum_to, .arg = &n[i],
                                                 .arg_size = sizeof n[i]});
        if (err == MP_OK)
            err = mp_process_start(workers[i]);
        if (err != MP_OK)
            return fail("start worker", err);
    }

    mp_lock_t gate;
    mp_lock_create(&gate);
    mp_lock_acquire(gate, MP_NOWAIT);
    mp_process_t daemon, stuck;
    mp_process_create(&daemon, &(mp_process_attr_t){.target = wait_forever, .arg = &gate,
                                                    .arg_size = sizeof gate,
                                                    .name = "heartbeat",
                                                    .daemon = MP_DAEMON_YES});
    mp_process_create(&stuck, &(mp_process_attr_t){.target = wait_forever, .arg = &gate,
                                                   .arg_size = sizeof gate, .name = "stuck"});
    mp_process_start(daemon);
    mp_process_start(stuck);

    for (int i = 0; i < 3; i++)
        mp_process_join(workers[i], MP_FOREVER);
    if (mp_process_join(stuck, 100) == MP_ETIMEDOUT)
        mp_process_terminate(stuck);
    mp_process_join(stuck, MP_FOREVER);

    holder_t h = {.gate = gate};
    mp_lock_create(&h.shared);
    mp_lock_create(&h.ready);
    mp_lock_acquire(h.ready, MP_NOWAIT);
    mp_process_t holder;
    mp_process_create(&holder, &(mp_process_attr_t){.target = hold_and_hang, .arg = &h,
                                                    .arg_size = sizeof h, .name = "holder"});
    mp_process_start(holder);
    mp_lock_acquire(h.ready, MP_FOREVER); /* the holder now has h.shared */
    mp_process_kill(holder);
    mp_process_join(holder, MP_FOREVER);

    static const char *const sums[3] = {"sum(1..10) % 256", "sum(1..20) % 256",
                                        "sum(1..100) % 256"};
    for (int i = 0; i < 3; i++)
        report(sums[i], workers[i]);
    report("terminated", stuck);
    report("killed holding a lock", holder);
    report("daemonic", daemon);
    err = mp_lock_acquire(h.shared, MP_FOREVER);
    out("lock held by the killed process: acquire -> ");
    out(mp_strerror(err));
    out("\nmain exits: the daemonic heartbeat is terminated, as in CPython\n");
    mp_process_exit(0);
}
