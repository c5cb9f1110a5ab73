/*
 * Test images for the microcontroller only: CMocka allocates its bookkeeping with malloc,
 * and picolibc's malloc takes its memory from sbrk. This gives it a fixed array. The
 * runtime never calls malloc; the firmware images, which have no test framework, link
 * with no heap at all (checked by tools/check_no_heap.sh).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

static _Alignas(8) uint8_t heap[256 * 1024];
static size_t used;

void *sbrk(ptrdiff_t increment);
void *sbrk(ptrdiff_t increment)
{
    if (increment < 0 || (size_t)increment > sizeof heap - used) {
        errno = ENOMEM;
        return (void *)-1;
    }
    void *p = heap + used;
    used += (size_t)increment;
    return p;
}
