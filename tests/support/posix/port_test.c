/*
 * The POSIX side of the test helpers that depend on the port (see mp_test.h).
 */
#include <stdio.h>

#include "mp_test.h"

/* The child's state letter from /proc/<pid>/stat: 'S' asleep, 'T' stopped, ... */
static char state_of(uint32_t pid)
{
    char path[64], text[512];
    snprintf(path, sizeof path, "/proc/%u/stat", (unsigned)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return '?';
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    const char *p = strrchr(text, ')'); /* the name may hold spaces and parentheses */
    return p != NULL && p[1] == ' ' ? p[2] : '?';
}

static void wait_state(mp_process_t p, char want)
{
    uint32_t pid;
    OK(mp_process_pid(p, &pid));
    while (state_of(pid) != want)
        OK(mp_process_yield());
}

void wait_blocked(mp_process_t p)
{
    wait_state(p, 'S');
}

void wait_stopped(mp_process_t p)
{
    wait_state(p, 'T');
}
