/*
 * Calls in progress on an object that is destroyed (core/table.c, core/world.h): the
 * hazard records that keep a destroyed entry from being freed or reused while a live
 * caller is inside it. NC callers and one destroyer on one object; one of them killed at
 * any step, then joined; x86-TSO store buffers (always: under sequential consistency the
 * protocol has nothing to fear) with the asymmetric fence.
 *
 * Mirrors main 3a7680d (the reclaim fence; earlier line numbers: 03e53a6), by line number:
 *   mpi_enter_at (world.h 368-393)   inside[d] = id (relaxed); mpi_light_fence(); tag
 *                                    (acquire): live -> inside, else mpi_leave(ESTALE)
 *                                                                     -> e_announce, e_tag
 *   mpi_leave (world.h 407-420)      inside[d] = 0 (release); mpi_light_fence(); tag:
 *                                    generation moved -> mpi_leave_slow -> reclaim
 *                                                                     -> l_clear, l_tag
 *   mpi_retire (table.c 201-212)     CAS tag live -> next generation | RETIRED  -> d_retire
 *   mpi_leave_retired (table.c 214-224) inside = 0 (release); mp_port_fence(); reclaim
 *                                                                     -> d_clear, d_fence
 *   reclaim, someone_inside (table.c 98-131) tag retired (this object)? every live
 *                                    process's inside[] but `except`: one there -> keep;
 *                                    CAS tag -> free; release the storage  -> r_*
 *   mpi_proc_forget (table.c 238-256)   the join: exchange inside -> 0; reclaim(except the
 *                                    dead one)                         -> proctype reaper
 * THIS MODEL MUST CHANGE WITH THOSE FUNCTIONS.
 *
 * Checked: an entry is freed only when no live process is inside it (a caller that found
 * the tag live and has not yet cleared its record); freed at most once; and, once every
 * process is done and the dead are joined, a retired entry has been freed (no leak).
 *
 * Configuration (-D): NC callers (1..3), KILLS (0/1), KILLABLE (bit per token: callers
 * 1..NC, the destroyer NC+1), SB (store buffer entries), RECLAIM_FENCE:
 *   0  as on main before 3a7680d: only mpi_leave_retired fences before reclaim(); a caller
 *      leaving through mpi_leave_slow, and the join (mpi_proc_forget), scan the records
 *      after a light fence only. The search finds both a use after free (a live
 *      caller's announcement still in its store buffer while a leaving caller scans)
 *      and a leak (stale callers each seeing the other's announcement, their own
 *      clears still buffered: nobody frees the retired entry);
 *   1  main since 3a7680d (the default): reclaim() does mp_port_fence() once it has seen the entry
 *      retired, before it scans (the mirror image of the caller's announce, light
 *      fence, look: the scanner's clear, heavy fence, look). Slow paths only;
 *   2  the fence in mpi_leave_slow only, not in the join: with the destroyer killed
 *      between mpi_retire and mpi_leave_retired, the join's scan misses a buffered
 *      announcement (the join needs the fence too).
 */
#ifndef RECLAIM_FENCE
#define RECLAIM_FENCE 1
#endif
#ifndef NC
#define NC 2
#endif
#ifndef SB
#define SB 2
#endif
#define NW (NC + 1)
#define D (NC + 1)       /* the destroyer's token */
#define ID 1             /* the object's id as the records hold it (0: none) */

#ifndef SCRATCH
#define SCRATCH hidden
#endif

/* ---- memory: the callers' records (plain stores, buffered) ---------------------------- */
byte mem[NW + 1];        /* mem[p]: process p's inside[0] */
byte sb_a[(NW + 1) * SB];
byte sb_v[(NW + 1) * SB];
byte sb_n[NW + 1];
SCRATCH byte _k, _f;

inline flush_one(p)
{
    mem[sb_a[p * SB]] = sb_v[p * SB];
    _k = 1;
    do
    :: _k < sb_n[p] -> sb_a[p * SB + _k - 1] = sb_a[p * SB + _k];
                       sb_v[p * SB + _k - 1] = sb_v[p * SB + _k]; _k++
    :: else -> break
    od;
    sb_n[p]--;
    sb_a[p * SB + sb_n[p]] = 0;
    sb_v[p * SB + sb_n[p]] = 0;
    _k = 0
}

inline DRAIN(p)
{
    do
    :: sb_n[p] > 0 -> flush_one(p)
    :: else -> break
    od
}

inline LOAD(a, dst)
{
    _k = sb_n[me];
    _f = 0;
    do
    :: _k > 0 ->
        _k--;
        if
        :: sb_a[me * SB + _k] == a -> dst = sb_v[me * SB + _k]; _f = 1; break
        :: else
        fi
    :: else -> break
    od;
    if
    :: !_f -> dst = mem[a]
    :: else
    fi;
    _k = 0;
    _f = 0
}

inline STORE(a, val)
{
    if
    :: sb_n[me] == SB -> flush_one(me)
    :: else
    fi;
    sb_a[me * SB + sb_n[me]] = a;
    sb_v[me * SB + sb_n[me]] = val;
    sb_n[me]++
}

inline HEAVY_FENCE()
{
    _f = 1;
    do
    :: _f <= NW -> DRAIN(_f); _f++
    :: else -> break
    od;
    _f = 0
}

#include "common.pml"

/* ---- the tag: changed only by CAS (never buffered) ------------------------------------ */
#define LIVE 1
#define RETIRED 2
#define FREE 3
byte tag = LIVE;          /* the entry's state for this object's generation */

/* ---- ghosts ---------------------------------------------------------------------------- */
byte using;               /* inside the object: found it live, record not yet cleared */
bit freed;

/* reclaim(except): the caller's locals v (loaded record), i (scan index) */
inline reclaim(except)
{
    /* r_tag: (placed by the caller) the tag: retired, this object? */
    atomic {
        if
        :: tag == RETIRED ->
#if RECLAIM_FENCE == 1
            HEAVY_FENCE();
#elif RECLAIM_FENCE == 2
            if
            :: except == 0 -> HEAVY_FENCE() /* callers only, not the join */
            :: else
            fi;
#endif
            i = 1; goto r_scan
        :: else -> goto r_done
        fi
    }
r_scan:
    /* someone_inside: each live process's record but except's, one load each */
    atomic {
        if
        :: i > NW -> i = 0; goto r_free
        :: i <= NW && (i == except || dead[i]) -> i++; goto r_scan
        :: i <= NW && i != except && !dead[i] ->
            LOAD(i, v);
            if
            :: v == ID -> v = 0; i = 0; goto r_done  /* someone inside: they free it */
            :: else -> i++; goto r_scan
            fi
        fi
    }
r_free:
    /* CAS tag retired -> free; the storage goes back */
    atomic {
        if
        :: tag == RETIRED ->
            tag = FREE;
            assert(!freed);
            assert((using & ~deadset) == 0); /* nobody alive inside */
            freed = 1
        :: else
        fi;
        goto r_done
    }
}

proctype caller(byte me)
{
    byte v, i;
    {
    v = 0; /* (a label may not open a block) */
e_announce:
    /* mpi_enter_at: inside[d] = id (relaxed); mpi_light_fence(): a compiler barrier */
    atomic { STORE(me, ID); goto e_tag }
e_tag:
    atomic {
        if
        :: tag == LIVE -> using = using | BIT(me); goto use
        :: else -> goto l_clear /* MP_ESTALE: mpi_leave */
        fi
    }
use:
    /* the call works in the object: its storage must still be this object's */
    atomic { assert(!freed); goto use2 }
use2:
    atomic { assert(!freed); goto l_clear }
l_clear:
    /* mpi_leave: inside[d] = 0 (release); mpi_light_fence() */
    atomic { STORE(me, 0); using = using & ~BIT(me); goto l_tag }
l_tag:
    /* tag: generation moved? mpi_leave_slow -> reclaim(except none) */
    atomic {
        if
        :: tag == LIVE -> goto r_done
        :: else -> goto r_tag
        fi
    }
r_tag:
    reclaim(0);
r_done:
    atomic { done[me] = 1; v = 0; i = 0 }
    } unless { dead[me] }
}

proctype destroyer(byte me)
{
    byte v, i;
    {
    v = 0; /* (a label may not open a block) */
e_announce:
    atomic { STORE(me, ID); goto e_tag }
e_tag:
    atomic {
        if
        :: tag == LIVE -> goto d_retire
        :: else -> goto d_stale
        fi
    }
d_retire:
    /* mpi_retire: CAS tag live -> retired (next generation): every handle is stale */
    atomic {
        DRAIN(me);
        if
        :: tag == LIVE -> tag = RETIRED; goto d_clear
        :: else -> goto d_stale
        fi
    }
d_clear:
    /* (the object wakes its sleepers, then) mpi_leave_retired: inside = 0 (release) */
    atomic { STORE(me, 0); goto d_fence }
d_fence:
    /* mp_port_fence(): callers' announcements visible before the scan */
    atomic { HEAVY_FENCE(); goto r_tag }
r_tag:
    reclaim(0);
d_stale:
    atomic { STORE(me, 0); goto r_done } /* (someone else destroyed it: not here) */
r_done:
    atomic { done[me] = 1; v = 0; i = 0 }
    } unless { dead[me] }
}

/* Kills one process (up to KILLS) at any step, and then, at some later moment, joins it:
 * mpi_proc_forget exchanges its record to 0 and reclaims (except itself). */
bit reaped;
proctype reaper()
{
    byte v, i, me;
    me = 0; /* the parent that joins: its own store buffer is not modelled */
    do
    :: kills < KILLS -> atomic { pick_victim(v); if :: v != 0 -> die(v) :: else fi; v = 0 }
    :: kills > 0 -> break
    :: kills == 0 -> goto r_done
    od;
j_forget:
    atomic {
        i = 1;
        do
        :: i <= NW && dead[i] -> mem[i] = 0; v = i; break
        :: i <= NW && !dead[i] -> i++
        :: else -> break
        od;
        goto r_tag
    }
r_tag:
    reclaim(v);
r_done:
    reaped = 1
}

init
{
    atomic {
        byte i = 1;
        do
        :: i <= NC -> run caller(i); i++
        :: else -> break
        od;
        run destroyer(D);
        run reaper();
        i = 0
    }
}

/* The CPUs drain their store buffers on their own, at any time. */
active proctype flusher()
{
end:
    do
    :: atomic { sb_n[1] > 0 -> flush_one(1) }
#if NW >= 2
    :: atomic { sb_n[2] > 0 -> flush_one(2) }
#endif
#if NW >= 3
    :: atomic { sb_n[3] > 0 -> flush_one(3) }
#endif
#if NW >= 4
    :: atomic { sb_n[4] > 0 -> flush_one(4) }
#endif
    od
}

/* No leak: once every process is done (or dead, and joined), a retired entry is free. */
active proctype leakcheck()
{
    atomic {
        (done[1] || dead[1]) && (NC < 2 || done[2] || dead[2]) && (NC < 3 || done[3] || dead[3]) &&
        (done[D] || dead[D]) && reaped &&
        sb_n[1] == 0 && sb_n[2] == 0 && (NW < 3 || sb_n[3] == 0) && (NW < 4 || sb_n[4] == 0) ->
        assert(tag != RETIRED)
    }
}
