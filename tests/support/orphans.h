/*
 * A grandchild whose parent the test kills: for the suites that check what a child sees of
 * its parent's end (join, is_alive, mp_wait on the parent). Include after mp_test.h.
 *
 *   orphan_arg_t a = {.grandchild = fn};     fn reports on a.q; a.never is never set
 *   mp_process_t c = spawn(orphans_parent, &a, sizeof a, MP_DAEMON_NO);
 *   ... mp_process_kill(c): fn's parent ends, and the test (c's parent) adopts fn.
 */
#ifndef MP_TEST_ORPHANS_H
#define MP_TEST_ORPHANS_H

typedef struct {
    mp_queue_t q;          /* the grandchild reports here */
    mp_event_t never;      /* its parent waits on it until killed */
    mp_process_fn grandchild;
} orphan_arg_t;

/* Starts a.grandchild (not daemonic: it outlives its parent) and waits to be killed. */
static inline int orphans_parent(void *arg)
{
    orphan_arg_t *a = arg;
    mp_process_t g;
    if (mp_process_create(&g, &(mp_process_attr_t){.target = a->grandchild, .arg = a,
                                                   .arg_size = sizeof *a,
                                                   .daemon = MP_DAEMON_NO}) != MP_OK ||
        mp_process_start(g) != MP_OK)
        return 1;
    (void)mp_event_wait(a->never, MP_FOREVER); /* until killed */
    return 2;
}

#endif
