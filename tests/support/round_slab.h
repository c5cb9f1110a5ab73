/*
 * What a round must leave of the Slab (part of round.h; the members are cast_slab.h),
 * checked by the main process once every member is joined, and so reaped:
 * - no block handed to two holders at once and none torn (the claims and checksums in the
 *   blocks); a block coming back with the victim's claim (given back at its reap) only when
 *   the victim was killed, and at most the two it could hold;
 * - no block owned by a process: what each member still owned when it ended (killed, or
 *   returned holding one) went back when it was reaped;
 * - no more blocks owned by nobody than the fault explains: one, when the victim was killed
 *   between a give and its put, or between taking an address off the queue and freeing the
 *   block untaken; and that one is a block the allocators were handed (the main process
 *   frees it: MP_OK);
 * - then every block can be allocated again, each once, and no more: none lost;
 * - every survivor's alloc, give, take and free MP_OK: an allocator that had to wait got
 *   its block before its deadline (MP_ETIMEDOUT is a member's failure, cast_check_members).
 */
#ifndef MP_TEST_ROUND_SLAB_H
#define MP_TEST_ROUND_SLAB_H

static inline void cast_create_slab(void)
{
    OK(mp_slab_create(&R.slab, CAST_SLAB_BLOCK_SIZE, CAST_SLAB_BLOCKS));
    OK(mp_queue_create(&R.slab_q, &(mp_queue_attr_t){.msg_size = sizeof(uintptr_t),
                                                      .depth = CAST_SLAB_BLOCKS}));
}

static inline void cast_destroy_slab(void)
{
    OK(mp_queue_destroy(R.slab_q));
    OK(mp_slab_destroy(R.slab));
}

/* Once the allocators are done: the freers take what is left, then end (MP_ECLOSED). A
 * block still on the queue after that is one no surviving freer took. */
static inline void cast_end_slab(cast_run_t *run)
{
    cast_finish_role(run, ALLOCATOR);
    OK(mp_queue_close(R.slab_q));
    cast_finish_role(run, FREER);
    uintptr_t p;
    size_t len;
    while (mp_queue_get(R.slab_q, &p, sizeof p, &len, MP_NOWAIT) == MP_OK) {
        bool survivor = false;
        for (uint32_t w = 0; w < R.members; w++)
            survivor |= R.role[w] == FREER && !(w == R.victim && run->landed);
        if (survivor)
            cast_bad(run, "slab: a block left on the queue after the freers ended");
        mp_err_t err = mp_slab_free(R.slab, (void *)p);
        if (err != MP_OK)
            cast_bad(run, "slab: freeing a block left on the queue: %s", mp_strerror(err));
    }
}

static inline void cast_check_slab(cast_run_t *run)
{
    bool killed = cast_killed(run, ALLOCATOR) || cast_killed(run, FREER);
    uint32_t doing = killed ? R.slab_doing[R.victim] : SLAB_IDLE;
    uint32_t strands = doing == SLAB_GIVE || doing == SLAB_PUT || doing == SLAB_GET ||
                               doing == SLAB_HAND || doing == SLAB_FREE_UNTAKEN
                           ? 1u
                           : 0u;
    if (R.slab_twice || R.slab_torn)
        cast_bad(run, "slab: %u blocks handed to two holders at once, %u torn or foreign",
                 (unsigned)R.slab_twice, (unsigned)R.slab_torn);
    if (R.slab_reclaimed > (killed ? 2u : 0u))
        cast_bad(run, "slab: %u blocks came back with the victim's claim, which was %s",
                 (unsigned)R.slab_reclaimed, killed ? "killed (2 at most)" : "not killed");
    mp_slab_stat_t st = {0};
    OK(mp_slab_stat(R.slab, &st));
    if (st.used != st.unowned)
        cast_bad(run, "slab: %u blocks still owned by a process after every member was reaped",
                 (unsigned)(st.used - st.unowned));
    if (st.unowned > strands)
        cast_bad(run, "slab: %u blocks owned by nobody after the round (the fault explains %u)",
                 (unsigned)st.unowned, (unsigned)strands);
    uint32_t freed = 0;
    for (uint32_t i = 0; i < CAST_SLAB_BLOCKS; i++) {
        if (R.slab_seen[i] == 0)
            continue;
        mp_err_t err = mp_slab_free(R.slab, (void *)R.slab_seen[i]);
        if (err == MP_OK)
            freed++;
        else if (err != MP_EALREADY)
            cast_bad(run, "slab: mp_slab_free of a block an allocator was handed: %s",
                     mp_strerror(err));
    }
    if (freed != st.unowned)
        cast_bad(run, "slab: %u blocks owned by nobody, %u of them blocks the allocators "
                      "were handed", (unsigned)st.unowned, (unsigned)freed);
    /* every block, each once, and no more */
    void *got[CAST_SLAB_BLOCKS + 1u];
    uint32_t n = 0;
    mp_err_t err;
    while ((err = mp_slab_alloc(R.slab, &got[n], MP_NOWAIT)) == MP_OK) {
        for (uint32_t i = 0; i < n; i++)
            if (got[i] == got[n])
                cast_bad(run, "slab: block %p handed out twice after the round", got[n]);
        if (++n > CAST_SLAB_BLOCKS)
            break;
    }
    if (n != CAST_SLAB_BLOCKS || err != MP_EAGAIN)
        cast_bad(run, "slab: %u of %u blocks could be allocated after the round, then %s",
                 (unsigned)n, CAST_SLAB_BLOCKS, mp_strerror(err));
    for (uint32_t i = 0; i < n; i++)
        OK(mp_slab_free(R.slab, got[i]));
}

#endif
