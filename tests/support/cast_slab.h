/*
 * The cast's members on a Slab (part of cast.h): allocators and freers passing blocks on a
 * queue of their own, the way mp/slab.h's example passes frames. The slab has fewer blocks
 * than the members can hold at once, so allocators wait for one (a timed alloc, after an
 * MP_NOWAIT that found none: counted), and a member is often killed or stopped owning some.
 *
 * An allocator allocs a block, claims it (a word in the block names its holder: finding
 * another live member's name there means the block was handed out twice), fills it (its
 * member index, a sequence number, a checksum, a pattern), and either keeps it across its
 * next alloc (freed by itself later, or, for allocator 1, still held when it returns: back
 * to the pool at its reap, as a killed holder's) or gives it (it belongs to nobody now) and
 * puts its address on the queue. A freer gets an address, takes the block (two in three:
 * the third it frees without taking, as free is allowed to anyone), moves the claim to
 * itself, checks the block whole, lets the claim go and frees it.
 *
 * A step each member records before it makes the call (R.slab_doing, R.slab_block) tells
 * the main process where a killed member was: owning its blocks (given back at its reap),
 * or between a give and the put, or between taking an address off the queue and freeing it
 * without a take: then one block belongs to nobody and is on no queue, the one block a
 * fault may leave for the main process to free (round_slab.h).
 */
#ifndef MP_TEST_CAST_SLAB_H
#define MP_TEST_CAST_SLAB_H

#define CAST_SLAB_BLOCK_SIZE 40u
#define CAST_SLAB_LIVE 0x51ab0000u  /* | holder: held (holder: member index + 1) */
#define CAST_SLAB_FREED 0xf4ee0000u /* let go: free, or about to be */
#define CAST_SLAB_PROBE (CAST_MAX + 1u) /* the probes' holder */

/* Where a member is (R.slab_doing): each set before the call it names. */
enum { SLAB_IDLE, SLAB_ALLOC, SLAB_GIVE, SLAB_PUT, SLAB_FREE_KEPT, SLAB_GET, SLAB_HAND,
       SLAB_HELD, SLAB_FREE_HELD, SLAB_FREE_UNTAKEN };

typedef struct {
    uint32_t claim;
    uint32_t allocator, seq, sum;
    uint8_t fill[CAST_SLAB_BLOCK_SIZE - 16u];
} cast_block_t;
_Static_assert(sizeof(cast_block_t) == CAST_SLAB_BLOCK_SIZE, "a block is a cast_block_t");

static inline uint32_t cast_block_sum(uint32_t allocator, uint32_t seq)
{
    return (allocator * 0x9e3779b9u) ^ (seq * 0x85ebca6bu) ^ 0xb10c5eedu;
}

static inline void cast_slab_doing(uint32_t w, uint32_t step, const void *block)
{
    __atomic_store_n(&R.slab_block[w], (uintptr_t)block, __ATOMIC_SEQ_CST);
    __atomic_store_n(&R.slab_doing[w], step, __ATOMIC_SEQ_CST);
}

/* Every block an alloc returned, once: the main process frees the ones a fault left. */
static inline void cast_slab_seen(const void *block)
{
    uintptr_t p = (uintptr_t)block;
    for (uint32_t i = 0; i < CAST_SLAB_BLOCKS; i++) {
        uintptr_t none = 0;
        if (__atomic_load_n(&R.slab_seen[i], __ATOMIC_SEQ_CST) == p ||
            __atomic_compare_exchange_n(&R.slab_seen[i], &none, p, false, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST) ||
            none == p)
            return;
    }
    cast_add(&R.slab_torn); /* more blocks than the slab has */
}

/* A block just allocated becomes holder's. Its claim is a let-go one, or that of a member
 * that returned holding it, or the victim's (its blocks come back at its reap: allowed only
 * when it was killed, round_slab.h); another member's live claim means two holders at once. */
static inline void cast_slab_claim(uint32_t holder, cast_block_t *b)
{
    uint32_t was = __atomic_load_n(&b->claim, __ATOMIC_SEQ_CST);
    if ((was & 0xffff0000u) == CAST_SLAB_LIVE) {
        uint32_t h = (was & 0xffffu) - 1u;
        if (h < CAST_MAX && (__atomic_load_n(&R.slab_left, __ATOMIC_SEQ_CST) & 1u << h))
            cast_add(&R.slab_returned);
        else if (h == R.victim)
            cast_add(&R.slab_reclaimed);
        else
            cast_add(&R.slab_twice);
    }
    if (!__atomic_compare_exchange_n(&b->claim, &was, CAST_SLAB_LIVE | holder, false,
                                     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        cast_add(&R.slab_twice); /* someone else claimed it meanwhile */
}

static inline void cast_block_fill(cast_block_t *b, uint32_t w, uint32_t seq)
{
    b->allocator = w;
    b->seq = seq;
    b->sum = cast_block_sum(w, seq);
    for (uint32_t i = 0; i < sizeof b->fill; i++)
        b->fill[i] = (uint8_t)(b->sum >> (i % 4u * 8u)) ^ (uint8_t)i;
}

static inline bool cast_block_whole(const cast_block_t *b)
{
    if (b->allocator >= CAST_MAX || b->sum != cast_block_sum(b->allocator, b->seq))
        return false;
    for (uint32_t i = 0; i < sizeof b->fill; i++)
        if (b->fill[i] != ((uint8_t)(b->sum >> (i % 4u * 8u)) ^ (uint8_t)i))
            return false;
    return true;
}

/* The holder lets its block go (still its own; filled by a member, whole) before the free. */
static inline void cast_block_release(uint32_t holder, cast_block_t *b, bool filled)
{
    if (filled && !cast_block_whole(b))
        cast_add(&R.slab_torn);
    uint32_t mine = CAST_SLAB_LIVE | holder;
    if (!__atomic_compare_exchange_n(&b->claim, &mine, CAST_SLAB_FREED, false,
                                     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        cast_add(&R.slab_twice); /* another holder wrote its claim over this one's */
}

/* A free block, waiting for one (up to the work deadline) when there is none. */
static inline mp_err_t cast_slab_alloc(cast_block_t **b)
{
    void *p = NULL;
    mp_err_t err = mp_slab_alloc(R.slab, &p, MP_NOWAIT);
    if (err == MP_EAGAIN) {
        cast_add(&R.slab_waits);
        err = mp_slab_alloc(R.slab, &p, R.work_timeout);
    }
    *b = p;
    return err;
}

static inline int cast_allocator(uint32_t w, uint32_t id)
{
    cast_block_t *kept = NULL;
    for (uint32_t seq = 0; seq < R.slab_allocs; seq++) {
        cast_block_t *b;
        cast_slab_doing(w, SLAB_ALLOC, NULL);
        mp_err_t err = cast_slab_alloc(&b);
        if (err != MP_OK)
            return cast_fault(w, "mp_slab_alloc", err);
        cast_slab_seen(b);
        cast_slab_claim(w + 1u, b);
        cast_block_fill(b, w, seq);
        cast_add(&R.slab_allocated);
        if (kept == NULL && seq % 4u == 1u) {
            kept = b;
        } else {
            cast_slab_doing(w, SLAB_GIVE, b);
            if ((err = mp_slab_give(R.slab, b)) != MP_OK)
                return cast_fault(w, "mp_slab_give", err);
            cast_slab_doing(w, SLAB_PUT, b);
            uintptr_t p = (uintptr_t)b;
            if ((err = mp_queue_put(R.slab_q, &p, sizeof p, R.work_timeout)) != MP_OK)
                return cast_fault(w, "mp_queue_put(block)", err);
        }
        if (kept != NULL && seq % 4u == 3u) {
            cast_slab_doing(w, SLAB_FREE_KEPT, kept);
            cast_block_release(w + 1u, kept, true);
            if ((err = mp_slab_free(R.slab, kept)) != MP_OK)
                return cast_fault(w, "mp_slab_free(kept)", err);
            kept = NULL;
        }
        cast_slab_doing(w, SLAB_IDLE, NULL);
        cast_op_done(w);
    }
    if (kept != NULL && id == 1u) { /* returns holding it: its reap frees it */
        __atomic_fetch_or(&R.slab_left, 1u << w, __ATOMIC_SEQ_CST);
    } else if (kept != NULL) {
        cast_block_release(w + 1u, kept, true);
        mp_err_t err = mp_slab_free(R.slab, kept);
        if (err != MP_OK)
            return cast_fault(w, "mp_slab_free(kept, at the end)", err);
    }
    return 0;
}

/* Frees what the allocators pass on until the queue is closed (by the main process once
 * every allocator ended) and empty. */
static inline int cast_freer(uint32_t w)
{
    for (uint32_t n = 0;; n++) {
        cast_slab_doing(w, SLAB_GET, NULL);
        uintptr_t p = 0;
        size_t len = 0;
        mp_err_t err = mp_queue_get(R.slab_q, &p, sizeof p, &len, R.work_timeout);
        if (err == MP_ECLOSED)
            break;
        if (err != MP_OK || len != sizeof p)
            return cast_fault(w, "mp_queue_get(block)", err);
        cast_block_t *b = (cast_block_t *)p;
        cast_slab_doing(w, SLAB_HAND, b);
        bool take = n % 3u != 2u;
        if (take) {
            if ((err = mp_slab_take(R.slab, b)) != MP_OK)
                return cast_fault(w, "mp_slab_take", err);
            cast_slab_doing(w, SLAB_HELD, b);
        }
        uint32_t given = CAST_SLAB_LIVE | (b->allocator + 1u);
        if (!__atomic_compare_exchange_n(&b->claim, &given, CAST_SLAB_LIVE | (w + 1u), false,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            cast_add(&R.slab_twice); /* not its allocator's any more */
        cast_slab_doing(w, take ? SLAB_FREE_HELD : SLAB_FREE_UNTAKEN, b);
        cast_block_release(w + 1u, b, true);
        if ((err = mp_slab_free(R.slab, b)) != MP_OK)
            return cast_fault(w, "mp_slab_free", err);
        cast_add(&R.slab_freed);
        cast_op_done(w);
    }
    cast_slab_doing(w, SLAB_IDLE, NULL);
    return 0;
}

#endif
