/*
 * A Pipe carrying messages until "END" (CPython's Pipe(duplex=False): receive on the
 * first end, send on the second). The child sends a few strings and then "END"; the
 * parent receives and prints them until it sees "END", then joins the child.
 */
#include "mp/mp.h"
#include "out.h"

static int sender(void *arg)
{
    mp_conn_t tx = *(mp_conn_t *)arg;
    static const char *const messages[] = {"hello", "from", "the child", "END"};
    for (int i = 0; i < 4; i++)
        if (mp_pipe_send(tx, messages[i], strlen(messages[i]), MP_FOREVER) != MP_OK)
            return 1;
    return 0;
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    out("pipe_end: messages through a Pipe until \"END\"\n");
    mp_conn_t rx, tx;
    if (mp_pipe_create(&rx, &tx, &(mp_pipe_attr_t){.duplex = false}) != MP_OK)
        return 1;
    mp_process_t p;
    if (mp_process_create(&p, &(mp_process_attr_t){.target = sender, .arg = &tx,
                                                    .arg_size = sizeof tx}) != MP_OK ||
        mp_process_start(p) != MP_OK)
        return 1;
    for (;;) {
        char msg[32];
        size_t len;
        mp_err_t err = mp_pipe_recv(rx, msg, sizeof msg - 1, &len, MP_FOREVER);
        if (err != MP_OK) {
            out("recv: ");
            out(mp_strerror(err));
            out("\n");
            return 1;
        }
        msg[len] = '\0';
        out("received: ");
        out(msg);
        out("\n");
        if (strcmp(msg, "END") == 0)
            break;
    }
    int code = -1;
    mp_process_join(p, MP_FOREVER);
    mp_process_exitcode(p, &code);
    out("sender exitcode ");
    out_int(code);
    out("\n");
    return code;
}
