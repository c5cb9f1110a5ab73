/*
 * A one-shot signal between processes, made of a Lock: CPython lets any process release
 * a Lock, so "post" releases and "wait" acquires. Part of mp_test.h (include that).
 */
#ifndef MP_TEST_SIGNAL_H
#define MP_TEST_SIGNAL_H

typedef struct {
    mp_lock_t lock;
} test_signal_t;

static inline void signal_init(test_signal_t *s)
{
    OK(mp_lock_create(&s->lock));
    OK(mp_lock_acquire(s->lock, MP_NOWAIT));
}

static inline mp_err_t signal_post(test_signal_t s)
{
    return mp_lock_release(s.lock);
}

static inline mp_err_t signal_wait(test_signal_t s, mp_timeout_t timeout)
{
    return mp_lock_acquire(s.lock, timeout);
}

/* Starts a child and returns once it has posted s: it runs, and has reached its point. */
static inline mp_process_t spawn_until(test_signal_t s, mp_process_fn fn, const void *arg,
                                       size_t size, mp_daemon_t daemon)
{
    mp_process_t p = spawn(fn, arg, size, daemon);
    OK(signal_wait(s, MP_FOREVER));
    return p;
}

static inline void signal_destroy(test_signal_t *s)
{
    bool held;
    OK(mp_lock_locked(s->lock, &held));
    if (held)
        (void)mp_lock_release(s->lock);
    OK(mp_lock_destroy(s->lock));
}

#endif
