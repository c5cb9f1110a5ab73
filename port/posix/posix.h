/* Internal to port/posix. */
#ifndef MP_POSIX_H
#define MP_POSIX_H

#include <stddef.h>

#include "mp/error.h"

mp_err_t mpi_posix_process_init(void);
void mpi_posix_fence_register(void);
void mpi_posix_world_range(void **start, size_t *size);

#endif
