/* Compiled (never run) by ninja size: each array's size is the RAM one object of the
 * runtime costs on the target, read back with nm -S. */
#include "world.h"

char size_process_slot[sizeof(mpi_slot_t)];
char size_process_slot_port[sizeof(mp_port_slot_t)];
char size_queue[sizeof(mpi_queue_t)];
char size_lock[sizeof(mpi_lock_t)];
char size_pipe[sizeof(mpi_pipe_t)];
char size_semaphore[sizeof(mpi_semaphore_t)];
char size_event[sizeof(mpi_event_t)];
char size_value[sizeof(mpi_value_t)];
