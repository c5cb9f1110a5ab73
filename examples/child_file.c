/*
 * A child process writing a file (POSIX only: the task ports, the host simulation and the
 * Cortex-M3, have no file system). The child creates DIR/child_file.txt, writes a few
 * lines and returns; the parent joins it, then reads the file back and prints it, so the
 * parent sees what the child wrote through the file system, not through shared memory.
 *     build/posix/examples/child_file [DIR]     (DIR: default $TMPDIR, else /tmp)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "mp/mp.h"
#include "out.h"

static char path[4096]; /* set before the child starts: it gets a copy */

static int writer(void *arg)
{
    int lines = *(int *)arg;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return 1;
    for (int i = 1; i <= lines; i++) {
        char line[64];
        int n = snprintf(line, sizeof line, "line %d written by the child\n", i);
        if (write(fd, line, (size_t)n) != n) {
            close(fd);
            return 1;
        }
    }
    return close(fd) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    if (snprintf(path, sizeof path, "%s/child_file.txt", dir) >= (int)sizeof path)
        return 1;
    if (mp_init() != MP_OK)
        return 1;
    out("child_file: a child writes a file, the parent reads it\n");
    int lines = 3, code = -1;
    mp_process_t p;
    if (mp_process_create(&p, &(mp_process_attr_t){.target = writer, .arg = &lines,
                                                    .arg_size = sizeof lines,
                                                    .name = "writer"}) != MP_OK ||
        mp_process_start(p) != MP_OK)
        return 1;
    mp_process_join(p, MP_FOREVER);
    mp_process_exitcode(p, &code);
    out("writer exitcode ");
    out_int(code);
    out("; DIR/child_file.txt holds:\n");
    char buf[512];
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf);
    if (n < 0)
        return 1;
    close(fd);
    (void)!write(1, buf, (size_t)n);
    unlink(path);
    return code;
}
