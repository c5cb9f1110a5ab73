/* What the board's files share among themselves (not for applications). */
#ifndef MPS2_H
#define MPS2_H

#include <stddef.h>

/* Writes n bytes to UART0, waiting while its transmit buffer is full. */
void mps2_uart_write(const char *s, size_t n);

/* Ends the program with that exit status (semihosting: QEMU's own). */
_Noreturn void mps2_stop(int code);


#endif
