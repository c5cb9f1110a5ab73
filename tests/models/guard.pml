/*
 * The guard: a robust lock on one 32-bit word (core/guard.c), NW processes, each taking
 * and giving it ROUNDS times with a FOREVER, timed or MP_NOWAIT take, one of them killed
 * at any step (KILLS).
 *
 * Mirrors core/guard.c as of main 03e53a6 (unchanged since e9a199d), by line number:
 *   mpi_guard_take  86-93   the fast CAS 0 -> self                  -> step `round`
 *   take_slow       45-84   the spin phase (MP_PORT_SPIN rounds of load + CAS 0 -> self)
 *                           is left out: a failed CAS changes nothing, so a spin round is
 *                           the fast CAS again, later;
 *                           the loop: w = load; 0 -> CAS 0 -> self|WAITERS (`cas_free`);
 *                           owner dead -> CAS w -> self|(w & WAITERS), MP_EOWNERDEAD
 *                           (`cas_dead`); MP_NOWAIT -> MP_EAGAIN; WAITERS not set -> CAS
 *                           w -> w|WAITERS, failure looks again (`cas_mark`); mpi_wait
 *                           (word, w|WAITERS, deadline): MP_OK looks again, ETIMEDOUT
 *                           ends the take (`wait`)               -> steps `load` to `wait`
 *   mpi_guard_give  95-100  exchange(word, 0); wake one if WAITERS was set
 *                                                                  -> steps `held`, `wake`
 *   mpi_wait (core/world.c 113-132), mp_port_wait/mp_port_wake (port/posix/futex.c,
 *   port/task/sched.c) and process death                            -> common.pml
 * THIS MODEL MUST CHANGE WITH THOSE FUNCTIONS: after any change to guard.c, mpi_wait or
 * a port's wait/wake, compare them with the steps here. Not modelled: MP_ESTALE (a wait
 * in an object being destroyed returns it; the take ends there, like a timeout).
 *
 * The word: 0 free; owner token (1..7); owner | WAITERS (8). A CAS weaker than strong
 * (compare_exchange_weak) only adds failures, i.e. one more trip round the same loop.
 *
 * Checked (spin's safety search: assertions + invalid end states):
 *  - mutual exclusion: a process that took the guard finds no other live process in its
 *    critical section, and the word names it (ENTER_CS, and the assert in `held`);
 *  - owner death told to exactly one acquirer: `orphan` is set when a process dies while
 *    the word names it; a take that succeeds by CAS from 0 asserts !orphan (nobody took a
 *    dead owner's guard silently), a take answering MP_EOWNERDEAD asserts orphan and
 *    clears it (never told twice, never told without a death);
 *  - no lost wake-up and no deadlock: FOREVER takes wait without a timeout and, without
 *    -DSPURIOUS, a sleeper returns only when woken (by a give, or a death): a waiter left
 *    asleep while the guard is free is a state where nothing can move = invalid end state.
 *
 * Configuration (-D): NW processes (2..6), ROUNDS each, KILLS (0/1), KILLABLE (bit per
 * token; the processes are identical, so killing token 1 stands for killing any one of
 * them), MODES (bit 1 FOREVER, 2 timed, 4 NOWAIT), SPURIOUS (waits may return for no
 * reason).
 * Broken variants (must give a counterexample):
 *   BROKEN_NO_WAITERS  a woken waiter takes the word as plain `self` (drops WAITERS):
 *                      a second sleeper is never woken (lost wake-up)
 *   BROKEN_DEAD_TAKE   the dead-owner take stores without a CAS: two takers can both
 *                      be told MP_EOWNERDEAD / both hold the guard
 */
#ifndef NW
#define NW 3
#endif
#ifndef ROUNDS
#define ROUNDS 2
#endif
#define DRAIN(v) skip

#include "common.pml"

#define WAITERS 8
#define OWNER(w) ((w) & 7)
#define F_WORD 1


byte word;
bit orphan;  /* the word names a dead process: the next taker must be told, once */
byte incs;   /* who is inside its critical section (bit per token) */

#ifdef BROKEN_NO_WAITERS
#define WOKEN_TAKE(me) (me)
#else
#define WOKEN_TAKE(me) ((me) | WAITERS)
#endif

/* A taker in its critical section: nobody else alive is (the ghost `incs`). */
#define ENTER_CS() assert((incs & ~deadset) == 0); incs = incs | BIT(me)

/* Written as a machine of labelled steps: each atomic block is one shared access of the
 * code (a load, a CAS, the exchange, a futex call) with the local decisions that follow
 * it, ending with a goto to the next access. Another process, or the killer, may act
 * between any two steps; local computation adds no states of its own. A round ends by
 * resetting the locals (same state whatever the path). */
#define NEXT_ROUND r++; mode = 0; w = 0; err = 0; goto round

proctype user(byte me)
{
    byte r, mode, w, err;
    {
    r = 0; /* (a label may not open a block) */
round:
    atomic {
        if
        :: r == ROUNDS -> done[me] = 1; r = 0; goto fin
        :: else
        fi;
        choose_mode(mode);
        /* mpi_guard_take: the fast CAS 0 -> self */
        if
        :: word == 0 -> word = me; err = OK; assert(!orphan); ENTER_CS(); goto held
        :: else -> goto load
        fi
    }
load:
    /* take_slow's loop: w = load(word); w == 0? mpi_token_alive(owner)? (two loads in
     * the code; a death between them is the same as a death just before the first) */
    atomic {
        w = word;
        if
        :: w == 0 -> goto cas_free
        :: w != 0 && dead[OWNER(w)] -> goto cas_dead
        :: w != 0 && !dead[OWNER(w)] && mode == NOWAIT -> err = EAGAIN; NEXT_ROUND
        :: w != 0 && !dead[OWNER(w)] && mode != NOWAIT && !(w & WAITERS) -> goto cas_mark
        :: w != 0 && !dead[OWNER(w)] && mode != NOWAIT && (w & WAITERS) -> goto wait
        fi
    }
cas_free:
    /* CAS 0 -> self | WAITERS (a woken waiter cannot know whether others still sleep) */
    atomic {
        if
        :: word == 0 -> word = WOKEN_TAKE(me); err = OK; assert(!orphan); ENTER_CS(); goto held
        :: else -> goto load
        fi
    }
cas_dead:
#ifdef BROKEN_DEAD_TAKE
    /* a plain store instead of the CAS */
    atomic { word = me | (w & WAITERS); err = OWNERDEAD; orphan = 0; ENTER_CS(); goto held }
#else
    /* CAS w -> self | (w & WAITERS): exactly one taker wins per death */
    atomic {
        if
        :: word == w ->
            word = me | (w & WAITERS); err = OWNERDEAD; assert(orphan); orphan = 0; ENTER_CS();
            goto held
        :: else -> goto load
        fi
    }
#endif
cas_mark:
    /* CAS w -> w | WAITERS; on failure, look again */
    atomic {
        if
        :: word == w -> word = w | WAITERS; w = word; goto wait
        :: else -> goto load
        fi
    }
wait:
    /* mpi_wait(word, w, deadline): returns at once if the word moved, or (task port) if
     * a process died since this one last woke; else sleeps */
    atomic {
        if
        :: word != w || seen[me] != deaths -> seen[me] = deaths; goto load
        :: else -> waiting[me] = F_WORD
        fi
    }
    if
    :: atomic { waiting[me] == 0 -> seen[me] = deaths; goto load }    /* woken */
    :: atomic { mode == TIMED && waiting[me] != 0 ->                     /* deadline */
                waiting[me] = 0; seen[me] = deaths; err = ETIMEDOUT; NEXT_ROUND }
#ifdef SPURIOUS
    :: atomic { waiting[me] != 0 -> waiting[me] = 0; seen[me] = deaths; goto load }
#endif
    fi;
held:
    /* the critical section is here, between two steps; then mpi_guard_give:
     * exchange(word, 0), and a wake call only if WAITERS was set */
    atomic {
        w = word; word = 0;
        assert(OWNER(w) == me);
        incs = incs & ~BIT(me);
        if
        :: (w & WAITERS) -> goto wake
        :: else -> NEXT_ROUND
        fi
    }
wake:
    atomic { wake1(F_WORD); NEXT_ROUND }
fin:
    skip
    } unless { dead[me] }
}

/* Kills one worker (up to KILLS) at any step, or stops trying: with `break` always
 * possible, a hang is also looked for in the runs where nobody (more) dies. */
proctype killer()
{
    byte v;
    do
    :: kills < KILLS ->
        atomic {
            pick_victim(v);
            if
            :: v != 0 ->
                if
                :: OWNER(word) == v -> orphan = 1
                :: else
                fi;
                die(v)
            :: else
            fi;
            v = 0
        }
    :: break
    od
}

init
{
    atomic {
        byte i = 1;
        do
        :: i <= NW -> run user(i); i++
        :: else -> break
        od;
        run killer()
    }
}
