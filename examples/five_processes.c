/*
 * Five processes started and joined in turn, each printing its name and pid:
 *     for i in range(5):
 *         p = Process(target=worker, args=(i,)); p.start(); p.join()
 * On POSIX the pid is the Linux process id (a new one each run: tools/check_example.sh
 * replaces it with N); on the task ports it is the task number. Each process is joined
 * before the next starts, so the lines come in order.
 */
#include "mp/mp.h"
#include "out.h"

static void out_pid(mp_process_t p)
{
    uint32_t pid = 0;
    mp_process_pid(p, &pid);
    out("pid ");
    out_int((long)pid);
}

static int worker(void *arg)
{
    int n = *(int *)arg;
    mp_process_t self;
    char name[MP_CONF_NAME_LEN];
    mp_process_self(&self);
    mp_process_name(self, name, sizeof name);
    out("  worker ");
    out_int(n);
    out(": ");
    out(name);
    out(", ");
    out_pid(self); /* os.getpid() */
    out("\n");
    return n;
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    out("five_processes: started and joined in turn\n");
    int codes = 0;
    for (int i = 0; i < 5; i++) {
        mp_process_t p;
        int code = -1;
        if (mp_process_create(&p, &(mp_process_attr_t){.target = worker, .arg = &i,
                                                        .arg_size = sizeof i}) != MP_OK ||
            mp_process_start(p) != MP_OK)
            return 1;
        mp_process_join(p, MP_FOREVER);
        mp_process_exitcode(p, &code);
        codes += code != i;
        mp_process_close(p); /* the slot goes back to the table */
    }
    out("main: all five joined\n");
    return codes;
}
