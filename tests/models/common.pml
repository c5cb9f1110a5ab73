/*
 * What guard.pml and ring.pml share: result codes, timeout modes, waking, and death.
 *
 * Processes are numbered 1..NW (their token); arrays are indexed by token, 0 unused.
 * A token is never reused: a dead process stays dead (the runtime's generation count
 * makes a reused slot's new token differ from the old one, which is the same thing).
 *
 * The futex, as the models use it (port/posix/futex.c and port/task/sched.c
 * mp_port_wait/mp_port_wake; core/world.c mpi_wait). The wait itself is written out in
 * each model (guard.pml `wait`, ring.pml `s_wait`), since it is one step of the machine:
 *  - wait(addr, expected) checks and sleeps in one step; it returns at once when the
 *    word differs, and when a process died since the caller last woke (task port:
 *    deaths_seen; POSIX: the MP_PORT_LIVENESS_NS slice of mpi_wait, after which the
 *    caller looks again: the same thing as far as correctness goes);
 *  - wake1(addr) wakes one sleeper of that address, chosen by the model (the kernel's
 *    choice); wake_all(addr) every one;
 *  - a death wakes every sleeper (task port: wake_where(NULL, ...); POSIX: the slice);
 *  - a timed wait may end with ETIMEDOUT at any moment while asleep ("may give up"), a
 *    FOREVER wait never does; a call's deadline is modelled by letting each of its
 *    waits give up;
 *  - with -DSPURIOUS a wait may also return for no reason at any time (POSIX's periodic
 *    re-check, EINTR). Off by default, because a model where every sleeper can always
 *    wake up cannot show a lost wake-up: without it, a lost wake-up is a deadlock (an
 *    invalid end state), which spin reports.
 *
 * Death: the killer process kills one worker (up to KILLS) at any step: it is marked
 * dead (its token is dead from then on, as the port marks it), its store buffer drains
 * (the kill is a kernel entry: serialising), every sleeper is woken, and its statements
 * stop (each worker's body is wrapped in `unless { dead[me] }`). Whatever it held stays
 * as it left it.
 */

/* Scratch variables, always back to 0 after use, are `hidden` (kept out of the state).
 * A breadth-first search (pan -DBFS, for the shortest counterexample) refuses hidden
 * variables: spin -DSCRATCH= makes them plain. */
#ifndef SCRATCH
#define SCRATCH hidden
#endif

/* result codes */
#define OK        0
#define OWNERDEAD 1
#define EAGAIN    2
#define ETIMEDOUT 3
/* EFULL and EEMPTY are the code's MP_EAGAIN for a full or empty ring with MP_NOWAIT
 * since issue 8 (one code for every object); the model keeps them apart, which changes
 * nothing it checks. */
#define EFULL     4
#define EEMPTY    5
#define ECLOSED   6
#define NONE      9

/* timeout modes of a call */
#define FOREVER 0
#define TIMED   1
#define NOWAIT  2

/* Which modes the workers' calls may use (bit per mode); default: all three. */
#ifndef MODES
#define MODES 7
#endif

#define BIT(t) (1 << (t))

#ifndef KILLS
#define KILLS 0
#endif
/* Tokens the killer may choose (bit per token). */
#ifndef KILLABLE
#define KILLABLE 254
#endif

/* Arrays by token are sized for the largest configuration (7 workers), so that the
 * expressions written for "every worker" may name workers a configuration lacks. */
#define MAXT 8
bit dead[MAXT];
byte deadset;          /* bit per dead token */
bit done[MAXT];        /* finished its scenario */
byte deaths;           /* processes killed so far (task port: `deaths`) */
byte seen[MAXT];       /* deaths the process has been woken for (task port: deaths_seen) */
byte waiting[MAXT];    /* futex address it sleeps on, 0 = awake */
byte kills;

inline choose_mode(mode)
{
    if
    :: (MODES & 1) -> mode = FOREVER
    :: (MODES & 2) -> mode = TIMED
    :: (MODES & 4) -> mode = NOWAIT
    fi
}

/* Wakes one sleeper on f, if any (the kernel picks; so does the model). Use inside an
 * atomic block. */
inline wake1(f)
{
    if
    :: waiting[1] == f -> waiting[1] = 0
#if NW >= 2
    :: waiting[2] == f -> waiting[2] = 0
#endif
#if NW >= 3
    :: waiting[3] == f -> waiting[3] = 0
#endif
#if NW >= 4
    :: waiting[4] == f -> waiting[4] = 0
#endif
#if NW >= 5
    :: waiting[5] == f -> waiting[5] = 0
#endif
#if NW >= 6
    :: waiting[6] == f -> waiting[6] = 0
#endif
    :: else
    fi
}

SCRATCH byte _w;
inline wake_all(f)
{
    _w = 1;
    do
    :: _w <= NW -> if :: waiting[_w] == f -> waiting[_w] = 0 :: else fi; _w++
    :: else -> break
    od;
    _w = 0
}

/* The death of v, in one step (called inside the killer's atomic block). */
inline die(v)
{
    DRAIN(v);
    dead[v] = 1;
    deadset = deadset | BIT(v);
    deaths++;
    kills++;
    _w = 1;
    do
    :: _w <= NW -> waiting[_w] = 0; _w++
    :: else -> break
    od;
    _w = 0
}

/* Picks a live, unfinished, killable worker, or 0 */
inline pick_victim(v)
{
    v = 1;
    do
    :: v <= NW && (KILLABLE & BIT(v)) && !dead[v] && !done[v] -> break
    :: v <= NW -> v++
    :: v > NW -> v = 0; break
    od
}
