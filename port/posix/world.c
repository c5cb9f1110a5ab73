/*
 * POSIX: make the core's world shared by every process that will be forked.
 *
 * The world lives in the mp_world section, which linker/posix-world.ld gathers into
 * whole pages. mp_port_init() copies those pages into a MAP_SHARED anonymous mapping
 * and moves that mapping onto the section's own address with mremap(MREMAP_FIXED), so
 * every pointer into the world stays valid, and fork() then shares it instead of
 * copying it. Nothing is named, so nothing can leak after a crash (no shm_open, no
 * sem_open). The pages are populated now, so no process pays a fault per page later.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mp_port.h"
#include "posix.h"

extern char __mp_world_start[], __mp_world_end[];

bool mp_port_shared(const void *p, size_t size)
{
    const char *c = p;
    return c >= __mp_world_start && c <= __mp_world_end &&
           size <= (size_t)(__mp_world_end - c);
}

mp_err_t mp_port_init(void *world, size_t size)
{
    char *start = __mp_world_start, *end = __mp_world_end;
    long page = sysconf(_SC_PAGESIZE);
    if ((uintptr_t)start % (uintptr_t)page != 0 || (uintptr_t)end % (uintptr_t)page != 0 ||
        (char *)world < start || (char *)world + size > end)
        return MP_ESYS; /* built without linker/posix-world.ld */
    size_t len = (size_t)(end - start);
    void *tmp = mmap(NULL, len, PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (tmp == MAP_FAILED)
        return MP_ESYS;
    memcpy(tmp, start, len);
    if (mremap(tmp, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, start) != start) {
        munmap(tmp, len);
        return MP_ESYS;
    }
    return posix_process_init();
}
