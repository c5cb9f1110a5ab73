/*
 * The ring of Queue and Pipe (core/ring.c): NP producers, NC consumers, a closer, and a
 * killer that kills one of them at any step; sequentially consistent memory, or (-DTSO)
 * x86-TSO store buffers with the asymmetric fence.
 *
 * Mirrors core/ring.c as of main 03e53a6 (unchanged since e9a199d), step by step:
 *   enter()      157-199  bias == self? busy = self; mpi_light_fence(); bias again
 *                         (VIA_BIAS) or busy = 0; mpi_guard_take; owner = bias; not OFF,
 *                         not self: dead or 0 -> CAS bias owner -> self (asym only),
 *                         live -> bias = OFF, mp_port_fence(); then while busy holds a
 *                         live mark not our own: wait_out (deadline: give the guard
 *                         back)                               -> BIAS_CHECK, labels e_*
 *   wait_out()   116-131  spin, then MP_NOWAIT / deadline / a 1 ms wait: modelled as
 *                         "blocks until the word moves, or gives up (not FOREVER)"
 *   leave()      201-207  busy = 0 (release) or mpi_guard_give  -> LEAVE
 *   settle()     212-229  mp_port_fence(); loop: guard word, busy mark; a live holder
 *                         or a live mark: wait_out on it; else idle -> labels c_fence,
 *                         c_inuse, c_inuse2, c_waitguard, c_waitmark
 *   sleep_on()   232-247  spin on the index; b = bell; mpi_sleeper_add (atomic or);
 *                         mp_port_fence(); index, closed (stop); mpi_wait(bell, b);
 *                         mpi_sleeper_remove                  -> s_spin, labels s_*
 *   mpi_ring_put 249-294  enter; closed (or stop) -> leave, ECLOSED; tail, head_seen,
 *                         refresh; slot, tail (release); leave; light fence;
 *                         get_sleepers -> ring_bell(get_bell, 1); full: leave, EFULL
 *                         or sleep_on(head)                   -> proctype producer
 *   mpi_ring_get 296-345  enter; head, tail_seen, refresh; copy, head (release); leave;
 *                         light fence; put_sleepers -> ring_bell(put_bell, 1); empty:
 *                         leave; closed (or stop) -> settle, tail == t ? ECLOSED :
 *                         again; EEMPTY or sleep_on(tail)     -> proctype consumer
 *   mpi_ring_close/kick 94-104  closed = 1; ring get bell, put bell (wake all)
 *                                                             -> proctype closer
 *   mpi_proc_forget (core/table.c 233-250): a joined process's sleeper bit is cleared
 *                                                             -> proctype killer (reap)
 * THIS MODEL MUST CHANGE WITH core/ring.c (and guard.c, table.c's sleeper set, the
 * ports' fence, wait and wake): after any change there, compare it with the steps here.
 * Not modelled: enter_isr (interrupt handlers, one-CPU ports), poll and MP_ETOOSMALL
 * (they publish nothing), a pipe's stop() (close is modelled; stop wakes the same way),
 * destroy (MP_ESTALE: mpi_retired, the objects' enter/retire protocol).
 *
 * Abstractions (each argued in README.md):
 *  - the side's guard is one atomic step: a take from 0 (MP_OK) or from a dead holder
 *    (MP_EOWNERDEAD); else MP_EAGAIN for MP_NOWAIT, may give up (timed), or blocks;
 *    give is the exchange. guard.pml checks the real guard word against that;
 *  - a message is two words written by two stores (a torn read sees them differ); the
 *    slot stores and the tail store are one step under SC (no one may read slot t
 *    before tail passes it: BROKEN_PUBLISH splits them), three buffered stores under TSO;
 *  - loads of side-private data (tail and head_seen in the put side, head and
 *    tail_seen in the get side) share a step with the access before them: only the
 *    side's holder writes them, and mutual exclusion inside a side is itself checked;
 *  - a load followed by a CAS that re-checks the loaded value is one step;
 *  - MP_PORT_SPIN rounds of spinning are one look;
 *  - polled waits (wait_out, every millisecond) block until what the poll looks at
 *    changes (the word, or the life of the process it names), or give up when the call
 *    has a deadline: a poll that could never end is then a deadlock, which spin reports;
 *  - closed = 1 and the get bell's ring are one step (see closer);
 *  - heavy fences are no step under SC (they order nothing there).
 *
 * Checked (assertions and invalid end states):
 *  - no torn message, the right message: a get reads both words equal to the message
 *    published at that index (pub[]); each index taken once: FIFO, no duplicate;
 *  - mutual exclusion inside a side, biased or guarded: insd[];
 *  - no put publishes after a get returned MP_ECLOSED (defect 11);
 *  - at the end: every index consumed was returned by a get, or its consumer died;
 *    every message published was returned MP_OK by its put, or its producer died; if a
 *    consumer is alive the ring is empty: no put that returned MP_OK is lost;
 *  - no hang: every worker ends. The closer closes at any moment, or (a choice made at
 *    the start) only once the producers are done and the ring is drained, so that a
 *    sleeper that missed its wake-up is a deadlock, not rescued by the close.
 *
 * Configuration (-D): NP, NC; PUTS per producer (PUTS1..PUTS4 for one of them); DEPTH;
 * INIT_BIAS (the put side biased to that producer at the start, as after its first put);
 * CSTART (1: consumers start once the producers are done); CLOSE (1 any time, 2 late,
 * 3 either, 4 once the producers are done); KILLS (0/1) and KILLABLE (bit per token:
 * producers are 1..NP, consumers NP+1..NP+NC); PMODES/CMODES (bit 1 FOREVER, 2 timed,
 * 4 MP_NOWAIT); CTRIES (calls a consumer may make with a timeout before it uses FOREVER
 * only); TSO and SB (store buffer entries); NO_ASYM (no asymmetric fence: the light
 * fence is mfence and no side is biased); SPURIOUS (waits may return for no reason).
 * Broken variants (each must give a counterexample):
 *   BROKEN_PUBLISH        tail published before the slot is written
 *   BROKEN_SLEEP_FENCE    no heavy fence in sleep_on (TSO: a lost wake-up)
 *   BROKEN_REVOKE_FENCE   no heavy fence after bias = OFF (TSO: two inside a side)
 *   BROKEN_CLOSE_FENCE    no heavy fence in settle() (TSO: a put after ECLOSED)
 *   BROKEN_CLOSE_ORDER    the code before issue 7: closed checked before entering the
 *                         put side, ECLOSED without settle() (defect 11)
 *   BROKEN_BUSY_FLAG      the code before issue 7: busy a flag (1), revoke waits while
 *                         it is up and the bias owner lives, take-over does not wait
 *                         (defect 10)
 */
#ifndef NP
#define NP 1
#endif
#ifndef NC
#define NC 1
#endif
#ifndef PUTS
#define PUTS 2
#endif
#ifndef DEPTH
#define DEPTH 1
#endif
#ifndef PMODES
#define PMODES 7
#endif
#ifndef CMODES
#define CMODES 1
#endif
#ifndef CTRIES
#define CTRIES 1
#endif
#ifndef SB
#define SB 3
#endif
/* Consumers start at once (0) or once every producer is done or dead (1) */
#ifndef CSTART
#define CSTART 0
#endif
/* When the closer closes: 1 at any moment, 2 only late (see closer), 3 either, 4 once
 * the producers are done (drained or not) */
#ifndef CLOSE
#define CLOSE 3
#endif
/* The put side biased to this producer from the start (0: nobody), as after its first
 * put: shortens the runs that need a biased producer. */
#ifndef INIT_BIAS
#define INIT_BIAS 0
#endif
#define NW (NP + NC)
#define OFF 255

/* Puts per producer: PUTS, or PUTS1..PUTS4 for one of them */
#ifndef PUTS1
#define PUTS1 PUTS
#endif
#ifndef PUTS2
#define PUTS2 PUTS
#endif
#ifndef PUTS3
#define PUTS3 PUTS
#endif
#ifndef PUTS4
#define PUTS4 PUTS
#endif
#define PUTS_OF(p) ((p) == 1 -> PUTS1 : ((p) == 2 -> PUTS2 : ((p) == 3 -> PUTS3 : PUTS4)))
/* message numbers: producer p's i-th message is BASE(p) + i + 1 (never 0) */
#define BASE(p) ((p) == 1 -> 0 : ((p) == 2 -> PUTS1 : ((p) == 3 -> PUTS1 + PUTS2 : PUTS1 + PUTS2 + PUTS3)))
#define TOTAL_MAX (PUTS1 + PUTS2 + PUTS3 + PUTS4)

/* ---- memory written by plain stores (store-buffered under TSO) ---------------------- */
#define A_TAIL   0
#define A_HEAD   1
#define A_HSEEN  2   /* head_seen, the put side's */
#define A_TSEEN  3   /* tail_seen, the get side's */
#define A_BIAS0  4   /* put.bias */
#define A_BUSY0  5   /* put.busy */
#define A_BIAS1  6   /* get.bias */
#define A_BUSY1  7   /* get.busy */
#define A_SLOT   8   /* slot k: words at A_SLOT + 2k, A_SLOT + 2k + 1 */
#define NADDR (A_SLOT + 2 * DEPTH)
#define A_BIAS(s) (A_BIAS0 + 2 * (s))
#define A_BUSY(s) (A_BUSY0 + 2 * (s))
#define PUT 0
#define GET 1

byte mem[NADDR];

#ifndef SCRATCH
#define SCRATCH hidden /* (see common.pml) */
#endif

#ifdef TSO
/* One FIFO store buffer per process (entries oldest first); a load sees the newest
 * entry of its own buffer for that address, else memory. A store into a full buffer
 * first sends the oldest entry to memory (always a legal TSO behaviour). */
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

/* membarrier: a full fence on every CPU: every store buffer drains */
inline HEAVY_FENCE()
{
    _f = 1;
    do
    :: _f <= NW -> DRAIN(_f); _f++
    :: else -> break
    od;
    _f = 0
}

inline assert_not_buffered(a)
{
    _k = 0;
    do
    :: _k < sb_n[me] -> assert(sb_a[me * SB + _k] != a); _k++
    :: else -> break
    od;
    _k = 0
}
#define BUFFERS_EMPTY (sb_n[1] == 0 && (NW < 2 || sb_n[2] == 0) && (NW < 3 || sb_n[3] == 0) && \
    (NW < 4 || sb_n[4] == 0) && (NW < 5 || sb_n[5] == 0))
#else
#define DRAIN(p) skip
#define LOAD(a, dst) dst = mem[a]
#define STORE(a, val) mem[a] = val
#define assert_not_buffered(a) skip
#define HEAVY_FENCE() skip /* (the fence steps are not reached: see AFTER_REVOKE) */
#define BUFFERS_EMPTY true
#endif

#ifdef NO_ASYM
#define LIGHT_FENCE() DRAIN(me) /* no asymmetric fence: a plain full fence (mfence) */
#else
#define LIGHT_FENCE() skip      /* compiler barrier only */
#endif

/* Where the step after a heavy fence goes. Under sequential consistency a fence is no
 * step at all; under TSO it is one (the membarrier call, after which every buffer is
 * empty), and the broken variants leave it out. */
#if defined(TSO) && !defined(BROKEN_REVOKE_FENCE)
#define AFTER_REVOKE e_fence
#else
#define AFTER_REVOKE e_idle
#endif
#if defined(TSO) && !defined(BROKEN_SLEEP_FENCE)
#define AFTER_REGISTER s_fence
#else
#define AFTER_REGISTER s_check
#endif
#if defined(TSO) && !defined(BROKEN_CLOSE_FENCE) && !defined(BROKEN_CLOSE_ORDER)
#define AFTER_CLOSED c_fence
#elif defined(BROKEN_CLOSE_ORDER)
#define AFTER_CLOSED c_tailcheck
#else
#define AFTER_CLOSED c_inuse
#endif

#include "common.pml"

/* ---- memory changed only by atomic read-modify-writes (never buffered) -------------- */
byte guard[2];          /* the sides' guards (abstract): the holder's token, or 0 */
bit closed;
byte bell[2];           /* put_bell, get_bell */
byte sleepers[2];       /* put_sleepers, get_sleepers: bit per token */
#define F_BELL(s) (1 + (s))

/* ---- ghosts ------------------------------------------------------------------------- */
byte insd[2];               /* who is inside each side (bit per token) */
byte pub[TOTAL_MAX];        /* the message published at each index */
byte publisher[TOTAL_MAX];
bit put_ok[TOTAL_MAX];      /* its put returned MP_OK */
bit taken[TOTAL_MAX];       /* head moved past it */
byte taker[TOTAL_MAX];
bit got[TOTAL_MAX];         /* its get returned MP_OK */
byte n_eclosed;             /* gets that returned MP_ECLOSED */

#define FIN(k) (done[k] || dead[k])
#define ALL_PRODUCERS_DONE \
    (FIN(1) && (NP < 2 || FIN(2)) && (NP < 3 || FIN(3)) && (NP < 4 || FIN(4)))
#define ALL_CONSUMERS_DEAD \
    (dead[NP + 1] && (NC < 2 || dead[NP + 2]) && (NC < 3 || dead[NP + 3]))
#define ALL_DONE (ALL_PRODUCERS_DONE && \
    FIN(NP + 1) && (NC < 2 || FIN(NP + 2)) && (NC < 3 || FIN(NP + 3)))

#define VIA_GUARD 1
#define VIA_BIAS 2
#define LIVE(tok) ((tok) != 0 && !dead[tok])
#define GIVE_UP_CODE (mode == NOWAIT -> EAGAIN : ETIMEDOUT)

#ifdef BROKEN_BUSY_FLAG
#define BUSY_MARK 1
#define BUSY_IDLE(v) ((v) == 0 || !LIVE(owner))
#else
#define BUSY_MARK me
#define BUSY_IDLE(v) ((v) == 0 || (v) == me || dead[v])
#endif

/* The workers: producers are tokens 1..NP, consumers NP+1..NW. Both kinds have the same
 * locals, so that enter(), sleep_on() and NEXT serve both:
 *   i      messages put so far (producers)        tries  timed gets made (consumers)
 *   mode   FOREVER / TIMED / NOWAIT of this call   m      the message (producers)
 *   t, h   tail and head as this call saw them     v, owner, g, x, y  loaded values
 *   err    the call's result                       via    how the side was entered
 *   b      the bell value read by sleep_on
 * Each atomic block is one shared access of the code (or several that no other process
 * can tell apart, see README.md) with the local decisions after it, ending with a goto:
 * another process, or the killer, may act between any two. */
#define LOCALS byte i, tries, mode, m, t, h, v, owner, err, via, b, g, x, y

/* The end of a call, whatever its result: locals back to 0 (equal situations are equal
 * states); a producer counts its message; on to the next call. */
#define NEXT \
    i = i + (me <= NP -> 1 : 0); mode = 0; t = 0; h = 0; v = 0; owner = 0; err = 0; \
    via = 0; b = 0; g = 0; x = 0; y = 0; goto round

#define ENTERED(s) assert((insd[s] & ~deadset) == 0); insd[s] = insd[s] | BIT(me)

/* leave(): VIA_BIAS: busy = 0 (release store); VIA_GUARD: guard give (exchange) */
inline LEAVE(s)
{
    if
    :: via == VIA_BIAS -> STORE(A_BUSY(s), 0)
    :: else -> DRAIN(me); assert(guard[s] == me); guard[s] = 0
    fi;
    insd[s] = insd[s] & ~BIT(me);
    via = 0
}

/* enter(), first step: bias == self? (the caller's first step for a call, or e_start) */
inline BIAS_CHECK(s)
{
    LOAD(A_BIAS(s), v);
    if
    :: v == me -> goto e_busy
    :: else -> goto e_guard
    fi
}

/*
 * enter(side s), after BIAS_CHECK: continues at `entered` (inside, via set), or ends the
 * call (NEXT) when the guard or wait_idle gives up (MP_EAGAIN for MP_NOWAIT, else
 * MP_ETIMEDOUT). Expanded once per proctype (its labels are the proctype's).
 */
inline enter(s)
{
    /* e_busy: (placed by the caller) busy = self (plain store); light_fence() */
    atomic { STORE(A_BUSY(s), BUSY_MARK); LIGHT_FENCE(); goto e_recheck }
e_recheck:
    /* bias == self still? */
    atomic {
        LOAD(A_BIAS(s), v);
        if
        :: v == me -> via = VIA_BIAS; v = 0; ENTERED(s); goto entered
        :: else -> goto e_unbusy
        fi
    }
e_unbusy:
    /* revoked meanwhile: busy = 0 */
    atomic { STORE(A_BUSY(s), 0); goto e_guard }
e_guard:
    /* mpi_guard_take(side.guard, until), the abstract guard (see guard.pml): a take from
     * 0 or from a dead holder (MP_EOWNERDEAD: nothing to repair) is one CAS */
    if
    :: atomic { guard[s] == 0 || dead[guard[s]] -> DRAIN(me); guard[s] = me; goto e_owner }
    :: atomic { LIVE(guard[s]) && mode != FOREVER -> err = GIVE_UP_CODE; NEXT }
    fi;
e_owner:
    /* owner = bias (my buffer holds no busy store from here on: the take drained it) */
    atomic {
        assert_not_buffered(A_BUSY(s));
        LOAD(A_BIAS(s), owner);
        if
        :: owner == OFF || owner == me -> owner = 0; goto e_idle
        :: owner != OFF && owner != me && (owner == 0 || dead[owner]) -> goto e_takeover
        :: else -> goto e_revoke
        fi
    }
e_takeover:
    /* the first user, or the successor of one that died: CAS bias owner -> self (only
     * with the asymmetric fence). A dead process's busy mark stays; it is ignored. */
#ifndef NO_ASYM
    atomic {
        DRAIN(me);
        if
        :: mem[A_BIAS(s)] == owner -> mem[A_BIAS(s)] = me
        :: else
        fi;
        owner = 0;
        goto e_idle
    }
#else
    atomic { owner = 0; goto e_idle }
#endif
e_revoke:
    /* a live other owner: bias = OFF, for good */
    atomic { STORE(A_BIAS(s), OFF); goto AFTER_REVOKE }
e_fence:
    /* heavy_fence(): the owner now sees OFF, or we see its busy */
    atomic { HEAVY_FENCE(); goto e_idle }
e_idle:
    /* wait_idle: while busy is another live process's token, wait; at the deadline give
     * the guard back and fail. (Under BROKEN_BUSY_FLAG, the old revoke(): while busy and
     * the bias owner is alive.) */
    if
    :: atomic { BUSY_IDLE(mem[A_BUSY(s)]) -> via = VIA_GUARD; v = 0; owner = 0; ENTERED(s); goto entered }
    :: atomic {
        !BUSY_IDLE(mem[A_BUSY(s)]) && mode != FOREVER ->
        DRAIN(me); guard[s] = 0; err = GIVE_UP_CODE; NEXT
       }
    fi
}

/*
 * sleep_on(index, sv = the value seen, side s's bell and sleepers), after the caller's
 * spin step (s_spin, which goes to e_start if the index moved): looks again (e_start)
 * unless the wait timed out (NEXT). Expanded once per proctype.
 */
inline sleep_on(a_index, sv, s)
{
    /* s_bell: (placed by the caller) b = bell */
    atomic { b = bell[s]; goto s_reg }
s_reg:
    /* set my bit in sleepers (atomic or, seq_cst) */
    atomic { DRAIN(me); sleepers[s] = sleepers[s] | BIT(me); goto AFTER_REGISTER }
s_fence:
    /* heavy_fence(): pairs with the light fence of whoever moves the index */
    atomic { HEAVY_FENCE(); goto s_check }
s_check:
    /* index == seen? */
    atomic {
        LOAD(a_index, v);
        if
        :: v == sv -> v = 0; goto s_closed
        :: else -> v = 0; err = OK; goto s_unreg
        fi
    }
s_closed:
    /* and not closed? */
    atomic {
        if
        :: !closed -> goto s_wait
        :: else -> err = OK; goto s_unreg
        fi
    }
s_wait:
    /* futex_wait(bell, b, deadline) */
    atomic {
        if
        :: bell[s] != b || seen[me] != deaths -> seen[me] = deaths; err = OK; goto s_unreg
        :: else -> waiting[me] = F_BELL(s)
        fi
    }
    if
    :: atomic { waiting[me] == 0 -> seen[me] = deaths; err = OK; goto s_unreg }
    :: atomic { mode == TIMED && waiting[me] != 0 ->
                waiting[me] = 0; seen[me] = deaths; err = ETIMEDOUT; goto s_unreg }
#ifdef SPURIOUS
    :: atomic { waiting[me] != 0 -> waiting[me] = 0; seen[me] = deaths; err = OK; goto s_unreg }
#endif
    fi;
s_unreg:
    /* clear my bit; then look again, or MP_ETIMEDOUT */
    atomic {
        DRAIN(me);
        sleepers[s] = sleepers[s] & ~BIT(me);
        b = 0;
        if
        :: err == OK -> goto e_start
        :: else -> NEXT
        fi
    }
}

inline PUBLISHED()
{
    assert(n_eclosed == 0); /* defect 11: nothing is published after a get said ECLOSED */
    pub[t] = m;
    publisher[t] = me
}

proctype producer(byte me)
{
    LOCALS;
    {
    i = 0; /* (a label may not open a block) */
round:
    /* mpi_ring_put: a new message; the caller's timeout; enter(put): bias == self? */
    atomic {
        if
        :: i == PUTS_OF(me) -> done[me] = 1; i = 0; goto fin
        :: else
        fi;
        m = BASE(me) + i + 1;
        if
        :: (PMODES & 1) -> mode = FOREVER
        :: (PMODES & 2) -> mode = TIMED
        :: (PMODES & 4) -> mode = NOWAIT
        fi;
#ifdef BROKEN_CLOSE_ORDER
        goto p_preclosed
#else
        BIAS_CHECK(PUT)
#endif
    }
#ifdef BROKEN_CLOSE_ORDER
p_preclosed:
    /* the old order: closed checked before entering */
    atomic {
        if
        :: closed -> i = PUTS_OF(me) - 1; NEXT /* MP_ECLOSED */
        :: else -> BIAS_CHECK(PUT)
        fi
    }
#endif
e_start:
    /* the put loop: enter(put) again */
    atomic { BIAS_CHECK(PUT) }
e_busy:
    enter(PUT);
entered:
    /* inside the put side: closed? then t = tail, head_seen (the side's own) */
    atomic {
#ifndef BROKEN_CLOSE_ORDER
        if
        :: closed -> goto p_leave_closed
        :: else
        fi;
#endif
        LOAD(A_TAIL, t);
        LOAD(A_HSEEN, h);
        if
        :: t - h >= DEPTH -> goto p_head
        :: else -> goto p_write
        fi
    }
p_head:
    /* full as far as we knew: head_seen = head */
    atomic {
        LOAD(A_HEAD, h);
        STORE(A_HSEEN, h);
        if
        :: t - h < DEPTH -> goto p_write
        :: else -> goto p_leave_full
        fi
    }
#ifdef BROKEN_PUBLISH
p_write:
    atomic { STORE(A_TAIL, t + 1); PUBLISHED(); goto p_write1 }
p_write1:
    atomic { STORE(A_SLOT + 2 * (t % DEPTH), m); goto p_write2 }
p_write2:
    atomic { STORE(A_SLOT + 2 * (t % DEPTH) + 1, m); goto p_leave_ok }
#else
p_write:
    /* the slot (length, then the bytes: two words), then tail = t + 1 (release). One
     * step: no one reads slot t before tail passes it (that is what BROKEN_PUBLISH
     * breaks), and a writer that overlaps a reader shows as a torn read, which the
     * consumer's two separate loads still catch. Under TSO the stores go to the store
     * buffer in this order and reach memory one by one. */
    atomic {
        STORE(A_SLOT + 2 * (t % DEPTH), m);
        STORE(A_SLOT + 2 * (t % DEPTH) + 1, m);
        STORE(A_TAIL, t + 1);
        PUBLISHED();
        goto p_leave_ok
    }
#endif
p_leave_ok:
    /* leave(put); light_fence() */
    atomic { LEAVE(PUT); LIGHT_FENCE(); goto p_sleepers }
p_sleepers:
    /* get_sleepers != 0? */
    atomic {
        if
        :: sleepers[GET] != 0 -> goto p_ring
        :: else -> put_ok[t] = 1; NEXT /* MP_OK */
        fi
    }
p_ring:
    /* get_bell++ */
    atomic { DRAIN(me); bell[GET]++; goto p_wake }
p_wake:
    /* wake(get_bell, 1) */
    atomic { wake1(F_BELL(GET)); put_ok[t] = 1; NEXT } /* MP_OK */
p_leave_closed:
    /* leave(put); MP_ECLOSED: the producer stops */
    atomic { LEAVE(PUT); i = PUTS_OF(me) - 1; NEXT }
p_leave_full:
    /* leave(put); MP_EFULL for MP_NOWAIT, else sleep_on(head, head_seen) */
    atomic {
        LEAVE(PUT);
        if
        :: mode == NOWAIT -> NEXT
        :: else -> goto s_spin
        fi
    }
s_spin:
    /* mpi_spin_while(head, seen): look again if it moved */
    atomic {
        LOAD(A_HEAD, v);
        if
        :: v != h -> v = 0; goto e_start
        :: else -> goto s_bell
        fi
    }
s_bell:
    sleep_on(A_HEAD, h, PUT);
fin:
    skip
    } unless { dead[me] }
}

proctype consumer(byte me)
{
    LOCALS;
    {
#if CSTART
    /* starts once the producers are done: a run about the get side alone */
    atomic { ALL_PRODUCERS_DONE -> tries = 0 }
#else
    tries = 0; /* (a label may not open a block) */
#endif
round:
    /* mpi_ring_get: the caller's timeout; enter(get): bias == self? */
    atomic {
        if
        :: tries < CTRIES ->
            if
            :: (CMODES & 1) -> mode = FOREVER
            :: (CMODES & 2) -> mode = TIMED; tries++
            :: (CMODES & 4) -> mode = NOWAIT; tries++
            fi
        :: else -> mode = FOREVER
        fi;
        BIAS_CHECK(GET)
    }
e_start:
    /* the get loop: enter(get) again */
    atomic { BIAS_CHECK(GET) }
e_busy:
    enter(GET);
entered:
    /* inside the get side: h = head; tail_seen (the side's own) */
    atomic {
        LOAD(A_HEAD, h);
        LOAD(A_TSEEN, t);
        if
        :: h == t -> goto c_tail
        :: else -> goto c_copy
        fi
    }
c_tail:
    /* tail_seen = tail */
    atomic {
        LOAD(A_TAIL, t);
        STORE(A_TSEEN, t);
        if
        :: h != t -> goto c_copy
        :: else -> goto c_leave_empty
        fi
    }
c_copy:
    /* copy out: the first word */
    atomic { LOAD(A_SLOT + 2 * (h % DEPTH), x); goto c_copy2 }
c_copy2:
    /* the second word, then head = h + 1 (release) */
    atomic {
        LOAD(A_SLOT + 2 * (h % DEPTH) + 1, y);
        assert(x == y);        /* not torn */
        assert(x == pub[h]);   /* the message published at h: FIFO */
        STORE(A_HEAD, h + 1);
        assert(!taken[h]);     /* taken once */
        taken[h] = 1;
        taker[h] = me;
        goto c_leave_ok
    }
c_leave_ok:
    /* leave(get); light_fence() */
    atomic { LEAVE(GET); LIGHT_FENCE(); goto c_sleepers }
c_sleepers:
    /* put_sleepers != 0? */
    atomic {
        if
        :: sleepers[PUT] != 0 -> goto c_ring
        :: else -> got[h] = 1; NEXT /* MP_OK */
        fi
    }
c_ring:
    /* put_bell++ */
    atomic { DRAIN(me); bell[PUT]++; goto c_wake }
c_wake:
    /* wake(put_bell, 1) */
    atomic { wake1(F_BELL(PUT)); got[h] = 1; NEXT } /* MP_OK */
c_leave_empty:
    /* empty: t = tail_seen; leave(get) */
    atomic { LEAVE(GET); goto c_closed }
c_closed:
    /* closed? MP_EEMPTY for MP_NOWAIT? else sleep_on(tail, t) */
    atomic {
        if
        :: closed -> goto AFTER_CLOSED
        :: !closed && mode == NOWAIT -> NEXT
        :: !closed && mode != NOWAIT -> goto s_spin
        fi
    }
c_fence:
    /* heavy_fence(): a put that saw closed == 0 has its busy or guard visible now */
    atomic { HEAVY_FENCE(); goto c_inuse }
c_inuse:
    /* settle(): g = put.guard ... */
    atomic { g = guard[PUT]; goto c_inuse2 }
c_inuse2:
    /* ... mark = put.busy: the guard held by a live process? a live mark? else idle */
    atomic {
        LOAD(A_BUSY(PUT), v);
        if
        :: LIVE(g) -> goto c_waitguard
        :: !LIVE(g) && LIVE(v) -> goto c_waitmark
        :: else -> g = 0; v = 0; goto c_tailcheck
        fi
    }
c_waitguard:
    /* wait_out(put.guard, g): polled every millisecond until it moves or its holder
     * dies, or give up (MP_NOWAIT: MP_EEMPTY; timed: MP_ETIMEDOUT); then settle() looks
     * again */
    if
    :: atomic { guard[PUT] != g || dead[g] -> g = 0; v = 0; goto c_inuse }
    :: atomic { mode != FOREVER -> NEXT }
    fi;
c_waitmark:
    /* wait_out(put.busy, mark): likewise */
    if
    :: atomic { mem[A_BUSY(PUT)] != v || dead[v] -> g = 0; v = 0; goto c_inuse }
    :: atomic { mode != FOREVER -> NEXT }
    fi;
c_tailcheck:
    /* tail == t: MP_ECLOSED (drained, and nothing more can come); else look again */
    atomic {
        LOAD(A_TAIL, v);
        if
        :: v == t ->
            n_eclosed++;
            done[me] = 1; tries = 0; mode = 0; t = 0; h = 0; v = 0; goto fin
        :: else -> v = 0; goto e_start
        fi
    }
s_spin:
    /* mpi_spin_while(tail, t): look again if it moved */
    atomic {
        LOAD(A_TAIL, v);
        if
        :: v != t -> v = 0; goto e_start
        :: else -> goto s_bell
        fi
    }
s_bell:
    sleep_on(A_TAIL, t, GET);
fin:
    skip
    } unless { dead[me] }
}

SCRATCH byte _i;

/* Closes the ring at any moment (CLOSE 1), or only late (2): once every producer is
 * done and the ring is drained, or every consumer is dead (a FOREVER put then waits for
 * nobody: close is what ends it, as it would in a program), so that a sleeper missing
 * its wake-up is a deadlock, not rescued by close; or either, chosen at the start (3);
 * or (4) once the producers are done. Then, when every worker is done, checks that
 * nothing was lost. */
proctype closer()
{
#if CLOSE == 1
    goto c_any;
#elif CLOSE == 2
    goto c_late;
#elif CLOSE == 4
    atomic { ALL_PRODUCERS_DONE -> goto c_any }
#else
    if
    :: goto c_any
    :: goto c_late
    fi;
#endif
c_late:
    atomic { ALL_PRODUCERS_DONE && mem[A_HEAD] == mem[A_TAIL] || ALL_CONSUMERS_DEAD -> goto c_any }
c_any:
    /* mpi_ring_close: closed = 1 (seq_cst store), then mpi_ring_kick: get bell ++ and
     * wake all, put bell likewise. closed and the get bell's ring in one step: a sleeper
     * reads the bell before it checks closed, and sleeps only if closed was 0, i.e.
     * before this step, so the wake finds it asleep or the bell moved: the same
     * outcomes as the three separate steps. */
    atomic { closed = 1; bell[GET]++; wake_all(F_BELL(GET)) }
    atomic { bell[PUT]++; wake_all(F_BELL(PUT)) }
    atomic {
        ALL_DONE && BUFFERS_EMPTY ->
        _i = 0;
        do
        :: _i < mem[A_TAIL] ->
            /* published: its put said MP_OK, or its producer died first */
            assert(put_ok[_i] || dead[publisher[_i]]);
            /* consumed: its get said MP_OK, or its consumer died first */
            assert(_i >= mem[A_HEAD] || got[_i] || dead[taker[_i]]);
            _i++
        :: else -> break
        od;
        /* a live consumer ended with MP_ECLOSED: nothing may be left in the ring */
        assert(ALL_CONSUMERS_DEAD || mem[A_HEAD] == mem[A_TAIL]);
        _i = 0
    }
}

/* Kills a worker (up to KILLS) at any step; later, at any moment or never, the victim
 * is joined: mpi_proc_forget clears the sleeper bit it may have left. With `break`
 * always possible, a hang is also looked for in the runs where nothing more happens. */
proctype killer()
{
    byte v;
    bit reaped;
    do
    :: kills < KILLS -> atomic { pick_victim(v); if :: v != 0 -> die(v) :: else fi; v = 0 }
    :: atomic {
        kills > 0 && !reaped ->
        sleepers[PUT] = sleepers[PUT] & ~deadset;
        sleepers[GET] = sleepers[GET] & ~deadset;
        reaped = 1
       }
    :: break
    od
}

#ifdef TSO
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
#if NW >= 5
    :: atomic { sb_n[5] > 0 -> flush_one(5) }
#endif
    od
}
#endif

init
{
    atomic {
        byte i = 1;
        mem[A_BIAS(PUT)] = INIT_BIAS;
        do
        :: i <= NP -> run producer(i); i++
        :: i > NP && i <= NW -> run consumer(i); i++
        :: else -> break
        od;
        run closer();
        run killer();
        i = 0
    }
}
