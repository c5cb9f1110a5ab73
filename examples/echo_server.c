/*
 * A TCP server that serves each connection in its own process (POSIX only: sockets),
 * CPython's classic forking server: accept, start a Process with the connection, close
 * the parent's copy, accept again. Each handler echoes what it reads upper-cased until
 * the client closes. The process table bounds the server: when mp_process_create says
 * MP_ENOSLOT, it reaps the handlers that ended and, if none has, joins the oldest
 * before it goes on, so at most MP_CONF_MAX_PROCESSES - 1 connections are served at once
 * and the others wait in the listen backlog. It listens on the loopback interface only.
 *     build/posix/examples/echo_server [CONNECTIONS [PORT]]
 * serves CONNECTIONS connections (default: for ever) on PORT (default: one the kernel
 * chooses, printed), e.g. with `nc 127.0.0.1 PORT` as the client. tools/check_example.sh
 * runs it with 20 connections open at once from the test's client.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>

#include "mp/mp.h"
#include "out.h"

static int handle(void *arg)
{
    int fd = *(int *)arg;
    char buf[1024];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            buf[i] = (char)toupper((unsigned char)buf[i]);
        for (ssize_t done = 0, w; done < n; done += w)
            if ((w = write(fd, buf + done, (size_t)(n - done))) <= 0)
                return 1;
    }
    close(fd);
    return n == 0 ? 0 : 1;
}

/* The handlers still to join, oldest first (a ring as large as the table). */
static mp_process_t live[MP_CONF_MAX_PROCESSES];
static size_t first, count;

static int join_oldest(void)
{
    int code = -1;
    mp_process_t p = live[first];
    first = (first + 1) % MP_CONF_MAX_PROCESSES;
    count--;
    mp_process_join(p, MP_FOREVER);
    mp_process_exitcode(p, &code);
    mp_process_close(p);
    return code != 0;
}

int main(int argc, char **argv)
{
    long connections = argc > 1 ? atol(argv[1]) : 0; /* 0: for ever */
    int port = argc > 2 ? atoi(argv[2]) : 0;
    if (mp_init() != MP_OK)
        return 1;
    int server = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    if (server < 0 || bind(server, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(server, 64) != 0 || getsockname(server, (struct sockaddr *)&addr, &len) != 0) {
        out("echo_server: cannot listen on 127.0.0.1\n");
        return 1;
    }
    out("echo_server: listening on 127.0.0.1 port ");
    out_int(ntohs(addr.sin_port));
    out("\n");

    int failures = 0, waits = 0;
    for (long served = 0; connections == 0 || served < connections; served++) {
        int fd = accept(server, NULL, NULL);
        if (fd < 0)
            return 1;
        mp_process_t p;
        mp_err_t err;
        while ((err = mp_process_create(&p, &(mp_process_attr_t){.target = handle, .arg = &fd,
                                                                  .arg_size = sizeof fd})) ==
               MP_ENOSLOT) {
            waits++; /* the table is the bound: wait for a free slot */
            failures += join_oldest();
        }
        if (err != MP_OK || mp_process_start(p) != MP_OK)
            return 1;
        close(fd); /* the handler has its own copy */
        live[(first + count++) % MP_CONF_MAX_PROCESSES] = p;
    }
    while (count > 0)
        failures += join_oldest();
    close(server);
    out("echo_server: served ");
    out_int(connections);
    out(" connections, each in its own process, at most ");
    out_int(MP_CONF_MAX_PROCESSES - 1);
    out(" at once (");
    out_int(waits);
    out(" waited for a free slot); handlers that failed: ");
    out_int(failures);
    out("\n");
    return failures != 0;
}
