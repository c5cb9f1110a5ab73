/*
 * Cortex-M3 figures, counted exactly as FreeRTOS's reference figures in bench/run.py were:
 * QEMU mps2-an385 with -icount shift=0 (one emulated instruction per ns), the CMSDK APB
 * Timer0 as a 25 MHz down-counter, so one timer tick = 40 instructions; SysTick's
 * interrupt masked inside each window; 16 warm-up iterations, then N = 100000. Prints
 * "figure target.<name> <instructions per operation> instr" lines on UART0.
 */
#include <stdint.h>

#include "mp/mp.h"
#include "mp_mps2.h"
#include "../examples/out.h"

#define TIMER0_CTRL (*(volatile uint32_t *)0x40000000u)
#define TIMER0_VALUE (*(volatile uint32_t *)0x40000004u)
#define TIMER0_RELOAD (*(volatile uint32_t *)0x40000008u)
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#ifndef N
#define N 100000u /* tools/profile_m3.py builds with a few */
#endif
#ifndef WARM
#define WARM 16u
#endif

static void timer_start(void)
{
    TIMER0_CTRL = 0;
    TIMER0_RELOAD = 0xFFFFFFFFu;
    TIMER0_VALUE = 0xFFFFFFFFu;
    TIMER0_CTRL = 1;
}

__attribute__((noinline)) static uint32_t window_begin(void)
{
    SYST_CSR &= ~2u; /* no tick inside a window */
    __asm__ volatile("dsb\n isb" ::: "memory");
    return TIMER0_VALUE;
}

__attribute__((noinline)) static void window_end(const char *name, uint32_t start, uint32_t ops)
{
    uint32_t ticks = start - TIMER0_VALUE;
    SYST_CSR |= 2u;
    uint64_t centi = (uint64_t)ticks * 40u * 100u / ops; /* instructions x 100 */
    out("figure target.");
    out(name);
    out(" ");
    out_int((long)(centi / 100u));
    out(".");
    if (centi % 100u < 10u)
        out("0");
    out_int((long)(centi % 100u));
    out(" instr\n");
}

/* ---- context switch: two tasks yielding to each other ------------------------------- */
static volatile int stop_yielder;
static int yielder(void *arg)
{
    (void)arg;
    while (!stop_yielder)
        mp_process_yield();
    return 0;
}

/* ---- ping-pong: two depth-1 queues --------------------------------------------------- */
static mp_queue_t q1, q2;
static int replier(void *arg)
{
    (void)arg;
    for (;;) {
        uint32_t v;
        size_t len;
        if (mp_queue_get(q1, &v, sizeof v, &len, MP_FOREVER) != MP_OK)
            return 0;
        mp_queue_put(q2, &v, sizeof v, MP_FOREVER);
    }
}

/* Round trips through two depth-1 queues, the replier at the given priority. */
static void ping_pong(const char *name, uint8_t priority)
{
    mp_queue_create(&q1, &(mp_queue_attr_t){.msg_size = 4, .depth = 1});
    mp_queue_create(&q2, &(mp_queue_attr_t){.msg_size = 4, .depth = 1});
    mp_process_t r;
    mp_process_create(&r, &(mp_process_attr_t){.target = replier, .priority = priority});
    mp_process_start(r);
    uint32_t v = 0;
    size_t len;
    for (uint32_t i = 0; i < WARM; i++) {
        mp_queue_put(q1, &v, sizeof v, MP_FOREVER);
        mp_queue_get(q2, &v, sizeof v, &len, MP_FOREVER);
    }
    uint32_t t = window_begin();
    for (uint32_t i = 0; i < N; i++) {
        mp_queue_put(q1, &v, sizeof v, MP_FOREVER);
        mp_queue_get(q2, &v, sizeof v, &len, MP_FOREVER);
    }
    window_end(name, t, N);
    mp_queue_close(q1);
    mp_process_join(r, MP_FOREVER);
    mp_process_close(r);
    mp_queue_destroy(q1);
    mp_queue_destroy(q2);
}

/* ---- a wake from an interrupt handler ---------------------------------------------- */
/* A task of higher priority waits on a semaphore; the main process, the only other one,
 * pends a device interrupt (PORT0_7, which QEMU never raises) whenever it runs; the handler
 * releases the semaphore and the woken task runs on the handler's return. One operation:
 * the wait (block, switch to main), main's pend, the handler's release and wake, the
 * switch back. FreeRTOS's equivalent is xSemaphoreGiveFromISR + portYIELD_FROM_ISR. */
static mp_semaphore_t irq_sem;
static volatile int irq_done;

void PORT0_7_IRQHandler(void)
{
    mp_semaphore_release(irq_sem);
}

static int irq_waiter(void *arg)
{
    (void)arg;
    for (uint32_t i = 0; i < WARM; i++)
        mp_semaphore_acquire(irq_sem, MP_FOREVER);
    uint32_t t = window_begin();
    for (uint32_t i = 0; i < N; i++)
        mp_semaphore_acquire(irq_sem, MP_FOREVER);
    window_end("interrupt_wake", t, N);
    irq_done = 1;
    return 0;
}

static void interrupt_wake(void)
{
    mp_semaphore_create(&irq_sem, 0, false);
    MPS2_NVIC_ISER = 1u << (MPS2_PORT0_0_IRQn + 7);
    mp_process_t w;
    mp_process_create(&w, &(mp_process_attr_t){.target = irq_waiter, .priority = 1});
    mp_process_start(w); /* it runs at once, and waits */
    while (!irq_done)
        MPS2_NVIC_ISPR = 1u << (MPS2_PORT0_0_IRQn + 7);
    mp_process_join(w, MP_FOREVER);
    mp_process_close(w);
    MPS2_NVIC_ICER = 1u << (MPS2_PORT0_0_IRQn + 7);
    mp_semaphore_destroy(irq_sem);
}

static int nothing(void *arg)
{
    (void)arg;
    return 0;
}

int main(void)
{
    mp_init();
    timer_start();
    uint32_t t;

    t = window_begin();
    for (uint32_t i = 0; i < N; i++)
        __asm__ volatile("" ::: "memory");
    window_end("calibration.empty_loop", t, N);

    mp_process_t y;
    mp_process_create(&y, &(mp_process_attr_t){.target = yielder});
    mp_process_start(y);
    for (uint32_t i = 0; i < WARM; i++)
        mp_process_yield();
    t = window_begin();
    for (uint32_t i = 0; i < N; i++)
        mp_process_yield();
    window_end("context_switch", t, 2u * N); /* each yield is A -> B -> A */
    stop_yielder = 1;
    mp_process_join(y, MP_FOREVER);
    mp_process_close(y);

    static const uint32_t sizes[2] = {4, 64};
    static const char *const names[2] = {"queue_put_get_4B", "queue_put_get_64B"};
    for (int k = 0; k < 2; k++) {
        mp_queue_t q;
        mp_queue_create(&q, &(mp_queue_attr_t){.msg_size = sizes[k], .depth = 1});
        uint32_t buf[16] = {1}, out_buf[16];
        size_t len;
        for (uint32_t i = 0; i < WARM; i++) {
            mp_queue_put(q, buf, sizes[k], MP_NOWAIT);
            mp_queue_get(q, out_buf, sizeof out_buf, &len, MP_NOWAIT);
        }
        t = window_begin();
        for (uint32_t i = 0; i < N; i++) {
            mp_queue_put(q, buf, sizes[k], MP_NOWAIT);
            mp_queue_get(q, out_buf, sizeof out_buf, &len, MP_NOWAIT);
        }
        window_end(names[k], t, N);
        mp_queue_destroy(q);
    }

    ping_pong("ping_pong_equal_priority", 0);
    ping_pong("ping_pong_replier_higher", 1); /* it preempts us inside put */

    mp_lock_t l;
    mp_lock_create(&l);
    for (uint32_t i = 0; i < WARM; i++) {
        mp_lock_acquire(l, MP_FOREVER);
        mp_lock_release(l);
    }
    t = window_begin();
    for (uint32_t i = 0; i < N; i++) {
        mp_lock_acquire(l, MP_FOREVER);
        mp_lock_release(l);
    }
    window_end("lock_acquire_release", t, N);

    /* A semaphore released and acquired by one task (nobody waits), and an event set,
     * waited on (set already: no wait) and cleared: the RTOS benchmarks' "give+take" and
     * "signal+wait" rows. */
    mp_semaphore_t s;
    mp_semaphore_create(&s, 0, false);
    for (uint32_t i = 0; i < WARM; i++) {
        mp_semaphore_release(s);
        mp_semaphore_acquire(s, MP_FOREVER);
    }
    t = window_begin();
    for (uint32_t i = 0; i < N; i++) {
        mp_semaphore_release(s);
        mp_semaphore_acquire(s, MP_FOREVER);
    }
    window_end("semaphore_release_acquire", t, N);
    mp_semaphore_destroy(s);

    mp_event_t e;
    mp_event_create(&e);
    for (uint32_t i = 0; i < WARM; i++) {
        mp_event_set(e);
        mp_event_wait(e, MP_FOREVER);
        mp_event_clear(e);
    }
    t = window_begin();
    for (uint32_t i = 0; i < N; i++) {
        mp_event_set(e);
        mp_event_wait(e, MP_FOREVER);
        mp_event_clear(e);
    }
    window_end("event_set_wait_clear", t, N);
    mp_event_destroy(e);

    interrupt_wake();

    uint32_t n_start = N / 10u;
    for (uint32_t i = 0; i < WARM; i++) {
        mp_process_t p;
        mp_process_create(&p, &(mp_process_attr_t){.target = nothing});
        mp_process_start(p);
        mp_process_join(p, MP_FOREVER);
        mp_process_close(p);
    }
    t = window_begin();
    for (uint32_t i = 0; i < n_start; i++) {
        mp_process_t p;
        mp_process_create(&p, &(mp_process_attr_t){.target = nothing});
        mp_process_start(p);
        mp_process_join(p, MP_FOREVER);
        mp_process_close(p);
    }
    window_end("process_start_join", t, n_start);
    return 0;
}
