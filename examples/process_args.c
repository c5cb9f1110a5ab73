/*
 * A process with arguments, keyword-like fields and a name (CPython's
 * Process(target=f, args=("bob",), kwargs={"greeting": "hi", "times": 2}, name="greeter")).
 * C has no *args or **kwargs: the target takes one struct, and designated initialisers give
 * the keyword feel, with defaults for the fields left out. The struct is copied into the
 * process's slot at create (at most MP_CONF_ARG_SIZE bytes), as CPython pickles args.
 * Runs on every port; only one process prints at a time, so the output is deterministic.
 */
#include "mp/mp.h"
#include "out.h"

typedef struct {
    char who[12];      /* positional */
    char greeting[12]; /* keyword, default "hello" */
    int times;         /* keyword, default 1 */
} greet_args_t;

static int greet(void *arg)
{
    greet_args_t *a = arg;
    const char *greeting = a->greeting[0] ? a->greeting : "hello";
    int times = a->times ? a->times : 1;
    char name[MP_CONF_NAME_LEN], parent_name[MP_CONF_NAME_LEN];
    mp_process_t self, parent;
    mp_process_self(&self);
    mp_process_name(self, name, sizeof name); /* current_process().name */
    mp_process_parent(&parent);
    mp_process_name(parent, parent_name, sizeof parent_name);
    out("  in ");
    out(name);
    out(" (parent ");
    out(parent_name);
    out("): who=");
    out(a->who);
    out(" greeting=");
    out(greeting);
    out(" times=");
    out_int(times);
    out("\n");
    for (int i = 0; i < times; i++) {
        out("    ");
        out(greeting);
        out(", ");
        out(a->who);
        out("\n");
    }
    return 0;
}

static void run(const greet_args_t *args, const char *name)
{
    mp_process_t p;
    int code = -1;
    char pname[MP_CONF_NAME_LEN];
    if (mp_process_create(&p, &(mp_process_attr_t){.target = greet, .arg = args,
                                                    .arg_size = sizeof *args, .name = name}) != MP_OK ||
        mp_process_start(p) != MP_OK)
        return;
    mp_process_join(p, MP_FOREVER);
    mp_process_exitcode(p, &code);
    mp_process_name(p, pname, sizeof pname);
    out("main: ");
    out(pname);
    out(" exitcode ");
    out_int(code);
    out("\n");
    mp_process_close(p);
}

int main(void)
{
    if (mp_init() != MP_OK)
        return 1;
    out("process_args: a process with arguments, keyword-like fields and a name\n");
    /* Process(target=greet, args=("bob",), kwargs={"greeting": "hi", "times": 2}, name="greeter") */
    run(&(greet_args_t){.who = "bob", .greeting = "hi", .times = 2}, "greeter");
    /* Process(target=greet, args=("alice",)): the defaults and a default name */
    run(&(greet_args_t){.who = "alice"}, NULL);
    return 0;
}
