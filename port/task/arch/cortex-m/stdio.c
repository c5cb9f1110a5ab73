/*
 * stdin, stdout and stderr for picolibc, whose stdio has no buffer and no heap: it hands
 * every character to put() below. Each process gathers its line in a buffer of its own,
 * and a whole line goes to the board's console (mp_board_console) at once with interrupts
 * masked, so processes that
 * preempt each other (time slices, priorities, a handler's wake-up) never mix inside a
 * line, and none waits for another's unfinished line. Handlers share one more buffer:
 * those that call the runtime run at one priority level and never nest.
 *
 * A line longer than TASK_CONSOLE_LINE goes out in pieces of that size. A process that ends
 * in mid-line (killed, crashed, or returning without '\n' or fflush) loses that piece,
 * as a killed Linux process loses its stdio buffer: the buffer remembers whose line it
 * holds, and the next process in the slot starts afresh. The console is written with
 * interrupts masked, which QEMU's UART takes no time to do; a board with a slow UART would
 * hand whole lines to a transmit interrupt instead.
 *
 * Every Cortex-M board here links picolibc, so the arch folder holds this one copy; a
 * board sets TASK_CONSOLE_LINE in its mp_board_config.h to change the line size.
 */
#include <stdint.h>
#include <stdio.h>

#include "mp_arch.h"
#include "mp_board.h"

#ifndef TASK_CONSOLE_LINE
#define TASK_CONSOLE_LINE 128
#endif

typedef struct {
    uint32_t owner; /* the life word's id of the process whose line this is */
    uint32_t len;
    char text[TASK_CONSOLE_LINE];
} line_t;

static line_t lines[MP_CONF_MAX_PROCESSES + 1]; /* one per slot, the last for handlers */

static line_t *my_line(void)
{
    if (mp_arch_in_isr())
        return &lines[MP_CONF_MAX_PROCESSES];
    uint32_t slot = task_current();
    line_t *l = &lines[slot];
    /* set before the process first runs, so stable for its whole life; the main process
     * (slot 0) is never replaced, and a line it began before mp_init() is kept */
    uint32_t owner = atomic_load(mp_core_life_word(slot)) & MP_LIFE_ID_MASK;
    if (slot != 0 && l->owner != owner) {
        l->owner = owner;
        l->len = 0;
    }
    return l;
}

static void write_out(line_t *l)
{
    uint32_t irq = mp_arch_lock();
    mp_board_console(l->text, l->len);
    mp_arch_unlock(irq);
    l->len = 0;
}

static void flush_main(void);
void (*task_console_at_exit)(void);

static int put(char c, FILE *f)
{
    (void)f;
    task_console_at_exit = flush_main; /* set here: an image that never prints has no stdio */
    line_t *l = my_line();
    l->text[l->len++] = c;
    if (c == '\n' || l->len == sizeof l->text)
        write_out(l);
    return (unsigned char)c;
}

static int flush(FILE *f)
{
    (void)f;
    line_t *l = my_line();
    if (l->len > 0)
        write_out(l);
    return 0;
}

static int get(FILE *f)
{
    (void)f;
    return EOF; /* no input */
}

static void flush_main(void)
{
    (void)flush(stdout);
}

static FILE console = FDEV_SETUP_STREAM(put, get, flush, _FDEV_SETUP_RW);
FILE *const stdin = &console;
FILE *const stdout = &console;
FILE *const stderr = &console;
