/*
 * The examples' printing, through stdio (glibc on the hosts, picolibc on the boards, whose
 * stdio needs no heap). Each piece is flushed at once, so on POSIX what a process prints
 * is out before it starts, joins or signals another, as with unbuffered write(1, ...);
 * on a board a line still goes out whole (port/task/arch/cortex-m/stdio.c).
 */
#ifndef EXAMPLES_OUT_H
#define EXAMPLES_OUT_H

#include <stdio.h>
#include <string.h>

static inline void out(const char *s)
{
    fputs(s, stdout);
    fflush(stdout);
}

/* s, then spaces up to width columns. */
static inline void out_field(const char *s, size_t width)
{
    out(s);
    for (size_t n = strlen(s); n < width; n++)
        out(" ");
}

static inline void out_int(long v)
{
    char buf[24], *p = buf + sizeof buf - 1;
    unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
    *p = '\0';
    do
        *--p = (char)('0' + u % 10u);
    while ((u /= 10u) != 0);
    if (v < 0)
        *--p = '-';
    out(p);
}

#endif
