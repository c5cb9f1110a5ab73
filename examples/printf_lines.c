/*
 * printf from several processes at once. Three processes of one priority each print 100
 * lines, every line in a dozen printf calls, while they are switched in mid-line: by the
 * 1 ms time slice on the Cortex-M3, by Linux on POSIX. No line is ever mixed with another:
 * on a board each process gathers its line and it goes out whole (port/task/arch/cortex-m/stdio.c);
 * on POSIX each process has its own stdio buffer, line-buffered here so that a line is one
 * write() (fully buffered, a 4 KiB block can end in mid-line). The host simulation
 * switches only at runtime calls, and there is none inside a line.
 *
 * The order of lines between processes varies from run to run, so the check sorts them
 * (examples/expected/printf_lines.sorted.txt): a torn line would show as two wrong ones.
 */
#include <stdio.h>

#include "mp/mp.h"

#define WORKERS 3
#define LINES 100

static int worker(void *arg)
{
    int w = *(int *)arg;
    for (int i = 0; i < LINES; i++) {
        printf("worker %d line %03d:", w, i);
        for (int k = 0; k < 10; k++)
            printf(" %c%d", 'a' + w, k);
        printf("\n");
    }
    return 0;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* POSIX: a line per write() (a board has no buffer) */
    if (mp_init() != MP_OK)
        return 1;
    mp_process_t p[WORKERS];
    for (int w = 0; w < WORKERS; w++) {
        mp_process_attr_t attr = {.target = worker, .arg = &w, .arg_size = sizeof w};
        if (mp_process_create(&p[w], &attr) != MP_OK || mp_process_start(p[w]) != MP_OK)
            return 1;
    }
    int failed = 0;
    for (int w = 0; w < WORKERS; w++) {
        int code = -1;
        if (mp_process_join(p[w], MP_FOREVER) != MP_OK ||
            mp_process_exitcode(p[w], &code) != MP_OK || code != 0)
            failed = 1;
    }
    printf("%d processes printed %d lines each\n", WORKERS, LINES);
    return failed;
}
