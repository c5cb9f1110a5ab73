/*
 * A program of one's own on mpstatic: two worker processes, each given an argument that
 * fills MP_CONF_ARG_SIZE, send a line each through a queue; the main process prints them
 * in worker order and joins both. Built out of the tree by tools/check_own_project.sh,
 * with CMake (posix, host-sim, mps2-an385 under QEMU) and with pkg-config (posix).
 * Prints through stdio (picolibc on the Cortex-M3: no heap in the firmware image either).
 */
#include <stdio.h>
#include <string.h>

#include "mp/mp.h"

typedef struct {
    int id;
    char text[MP_CONF_ARG_SIZE - sizeof(int)];
} job_t;

static mp_queue_t lines;

static void say(const char *s)
{
    fputs(s, stdout);
    fflush(stdout); /* in order with the other processes' lines, on every port */
}

static int worker(void *arg)
{
    const job_t *job = arg;
    char line[sizeof job->text + 16] = "worker ";
    size_t n = strlen(line);
    line[n++] = (char)('0' + job->id);
    memcpy(line + n, ": ", 2);
    memcpy(line + n + 2, job->text, sizeof job->text);
    line[n + 2 + sizeof job->text - 1] = '\0';
    return mp_queue_put(lines, line, sizeof line, MP_FOREVER) == MP_OK ? 0 : 1;
}

static int fail(const char *what, mp_err_t err)
{
    say(what);
    say(": ");
    say(mp_strerror(err));
    say("\n");
    return 1;
}

int main(void)
{
    mp_err_t err = mp_init(); /* MP_ECONFIG if the runtime has another configuration */
    if (err != MP_OK)
        return fail("mp_init", err);
    char line[MP_CONF_ARG_SIZE + 16];
    if ((err = mp_queue_create(&lines, &(mp_queue_attr_t){.msg_size = sizeof line,
                                                          .depth = 2})) != MP_OK)
        return fail("mp_queue_create", err);
    mp_process_t p[2];
    for (int i = 0; i < 2; i++) {
        job_t job = {.id = i + 1};
        /* every byte of the argument used: the last one lands past a default 32 */
        memset(job.text, '.', sizeof job.text - 1);
        memcpy(job.text, "hello", 5);
        job.text[sizeof job.text - 2] = '!';
        if ((err = mp_process_create(&p[i], &(mp_process_attr_t){
                 .target = worker, .arg = &job, .arg_size = sizeof job})) != MP_OK ||
            (err = mp_process_start(p[i])) != MP_OK)
            return fail("start a worker", err);
    }
    char got[2][sizeof line];
    for (int i = 0; i < 2; i++) {
        size_t len;
        if ((err = mp_queue_get(lines, line, sizeof line, &len, MP_FOREVER)) != MP_OK)
            return fail("mp_queue_get", err);
        memcpy(got[line[7] - '1'], line, sizeof line); /* "worker N": in worker order */
    }
    int sum = 0;
    for (int i = 0; i < 2; i++) {
        say(got[i]);
        say("\n");
        int code = -1;
        if ((err = mp_process_join(p[i], MP_FOREVER)) != MP_OK ||
            (err = mp_process_exitcode(p[i], &code)) != MP_OK)
            return fail("join a worker", err);
        sum += code < 0 ? -code : code;
    }
    say(sum == 0 ? "own-project: both workers joined, exitcode 0\n" : "own-project: a worker failed\n");
    return sum == 0 ? 0 : 1;
}
