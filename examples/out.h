/*
 * Printing for the examples without stdio: printf would pull newlib's stdio into a
 * firmware image, and with it malloc (its buffers). write(1, ...) is a system call on
 * POSIX and goes to the UART on the microcontroller board.
 */
#ifndef EXAMPLES_OUT_H
#define EXAMPLES_OUT_H

#include <string.h>
#include <unistd.h>

static inline void out(const char *s)
{
    (void)!write(1, s, strlen(s));
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
