#!/usr/bin/env python3
"""Writes build.ninja. Run it after adding a source file; ninja reruns it by itself when
this file changes. The output is committed, so a fresh clone builds with `ninja` alone.

The build is one table, VARIANTS. A *variant* is one port (or one board of the task port)
built by one toolchain with one set of flags, into build/<variant>/. The same core sources
and the same test sources are compiled for each; only the port folder and the include
path differ (no #ifdef in core/ picks a port). An entry says what the variant builds (the
runtime, programs, the CMocka suites) and how `ninja test` runs them (natively, under
valgrind, with an environment, in QEMU). The code below the table only turns entries into
ninja statements, through a small writer in the manner of ninja's misc/ninja_syntax.py.

A new board of the task port under QEMU is one `qemu_board(...)` line in VARIANTS, its
folder boards/<board>/ and its linker script linker/<board>.ld (linker/README.md).

With options it writes another file, for a program of one's own: the runtime of each
--port compiled with the application's --config header into --builddir, nothing else
(README, "Build your own program"). Without options, build.ninja as always.
"""
import argparse
import glob
import os
import shlex
from typing import NamedTuple


def sources(*patterns):
    """Files matching each pattern, sorted per pattern: a new file is picked up when
    configure.py next runs."""
    return [f for p in patterns for f in sorted(glob.glob(p))]


CFLAGS = "-std=c11 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes"
SAN = "-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
HOOKS = "-DMP_CONF_TEST_HOOKS=1"  # the test hooks the suites drive (core/test_hooks.h)

CORE = sources("core/*.c")
CORE_TESTS = sources("tests/core/test_*.c")  # every port runs these
# Examples that need a file system, sockets or memory copied at fork: POSIX only.
EXAMPLES_POSIX = ["examples/child_file.c", "examples/echo_server.c", "examples/isolation.c"]
EXAMPLES = [e for e in sources("examples/*.c") if e not in EXAMPLES_POSIX]
DEMOS = ["examples/demo.c", "examples/producer_consumer.c", "examples/pool.c"]  # `ninja demo`
# Run on the boards too (their output varies: pids, stack figures), each checked for heap
# symbols and for exit status 0.
BOARD_RUNS = ["examples/dump.c"]
# The tutorial examples (README, "Examples"), each run by `ninja test` on every port that
# builds it, its output compared with examples/expected/ (tools/check_example.sh).
TUTORIAL = ["examples/process_args.c", "examples/five_processes.c", "examples/daemon.c",
            "examples/joinable_queue.c", "examples/value_array.c", "examples/pipe_end.c",
            "examples/shared_dict_lock.c", "examples/pool.c", "examples/managers.c",
            "examples/atexit.c", "examples/printf_lines.c"]
BENCH = [b for b in sources("bench/*.c") if not b.endswith("target.c")]  # target.c: the M3
PEERS = sources("bench/peers/*.c")
FUZZ = sources("tests/fuzz/*.c")  # the API fuzzer (tests/fuzz/README.md)
# Protocol models (tests/models/README.md), checked by spin: each passes when its result
# is the expected one (no error, or a counterexample for a deliberately broken variant).
# The small ones run in `ninja test`, the large ones (minutes each) in `ninja verify`.
MODELS_TEST = ["guard-3", "ring-1p1c", "ring-3users", "ring-tso-1p1c", "ring-tso-revoke",
               "objects-2", "ring-broken-publish", "ring-broken-publish-tso",
               "ring-broken-sleep-fence", "ring-broken-revoke-fence",
               "ring-broken-close-fence", "ring-broken-close-order", "ring-broken-busy-flag",
               "guard-broken-waiters", "guard-broken-dead-take", "objects-broken-unfenced",
               "objects-broken-join-unfenced"]
MODELS_VERIFY = ["guard-4", "guard-3-spurious", "ring-1p1c-long", "ring-1p1c-spurious",
                 "ring-1p1c-noasym", "ring-tso-1p1c-kill", "ring-tso-2p1c",
                 "ring-tso-3users", "ring-2p2c", "ring-3users-modes", "ring-3getters",
                 "objects-3"]
# Not in either: ring-2p2c-kill (bit-state), which did not finish in 15 minutes (188 M
# states visited, no error); run it by hand: PAN_TIMEOUT=... tools/run_models.sh.


# ---- Toolchains ------------------------------------------------------------------------
class Toolchain(NamedTuple):
    """One compiler for one kind of CPU: build.ninja gets its rules <prefix>cc, <prefix>link.
    The defaults are the host's (glibc, CMocka installed)."""
    prefix: str
    cc: str                        # the compiler driver
    link: str                      # the link command
    arch: str = ""                 # CPU flags on every compile
    script: str = "-Wl,-T,%s"      # how a linker script is passed
    exe: str = ""                  # programs' file suffix
    prog: tuple = ("-D_GNU_SOURCE", "-Icore -Itests/support")  # (vflags, incs) of programs
    suite_incs: str = ""           # what suites add to that
    suite_libs: str = "-lcmocka"   # what suites link
    suite_support: tuple = ()      # (source, object or None, edge variables): once per folder


GCC = Toolchain("", "$cc", "$cc $in -o $out $ldflags $libs")
CLANG = Toolchain("clang", "clang", "clang $in -o $out $ldflags $libs")

# CMocka from Debian's source package, built for the target against picolibc. tools/setup.sh
# fetches it once per machine, into this folder, which every checkout then shares.
CMOCKA_SRC = "/usr/local/src/mpstatic-cmocka"
# Its flags:
CMOCKA = ("-O2 -std=gnu11 -w -include signal.h -DHAVE_SIGNAL_H -DHAVE_STRINGS_H "
          "-DHAVE_INTTYPES_H -DHAVE_STDINT_H -DHAVE_STDARG_H -DHAVE_STDDEF_H -DHAVE_SETJMP_H "
          "-DHAVE_STDLIB_H -DHAVE_STRING_H -DHAVE_STDIO_H -DHAVE_LIMITS_H")


def arm_none_eabi(prefix, cpu):
    """Debian's gcc-arm-none-eabi with picolibc (its stdio needs no heap: printf writes
    through the Cortex-M stdout, port/task/arch/cortex-m/stdio.c), its release build (word-wise
    memcpy and memset; the default build's byte loops made a 64-byte queue put and get
    1033 instructions instead of 609), for one Cortex-M: no start files
    (the board's startup code is the entry), unused sections dropped. Suites get CMocka
    built for the CPU, picolibc's semihosting calls for the file and signal functions it
    links, and a fixed heap for its malloc (the runtime itself has none)."""
    cc = "arm-none-eabi-gcc --specs=picolibc.specs --picolibc-buildtype=release"
    return Toolchain(
        prefix, cc, "%s %s -nostartfiles $libs -Wl,--gc-sections $ldflags $in -o $out" % (cc, cpu),
        arch=cpu + " -ffunction-sections -fdata-sections", script="-T %s", exe=".elf",
        prog=("", ""), suite_incs="-Icore -Itests/support -I%s/include" % CMOCKA_SRC,
        suite_libs="--oslib=semihost",  # what CMocka's fopen and raise reach: never called
        suite_support=(("%s/src/cmocka.c" % CMOCKA_SRC, "cmocka/cmocka.o",
                        dict(cflags="", vflags=CMOCKA, incs="-I%s/include" % CMOCKA_SRC)),
                       ("tests/support/target_heap.c", None, dict(vflags="-O2", incs=""))))


# ---- Ports and boards ------------------------------------------------------------------
class Port(NamedTuple):
    name: str       # port/<name>/, tests/<name>/, tests/support/<name>/
    board: str      # a board of the task port: boards/<board>/, tests/<board>/ ("" if none)
    sources: list
    incs: str


def port(name):
    return Port(name, "", sources("port/%s/*.[cS]" % name), "-Iport/%s" % name)


def task_port(arch, board):
    """The task port on one arch (port/task/arch/<arch>/) and one board."""
    return Port("task", board,
                sources("port/task/*.[cS]", "port/task/arch/%s/*.[cS]" % arch,
                        "boards/%s/*.[cS]" % board),
                "-Iport/task -Iport/task/arch/%s -Iboards/%s -Iboards/%s/include"
                % (arch, board, board))


# ---- Variants --------------------------------------------------------------------------
class Variant(NamedTuple):
    name: str                # build/<name>/: the runtime's objects (and programs, see out)
    tc: Toolchain
    port: Port
    vflags: str              # optimisation, defines, sanitizers (core/ adds -ffreestanding)
    ldscript: str = ""       # linker/<...>.ld (linker/README.md)
    ldflags: str = ""
    programs: tuple = ()     # a source per program, or (name, [sources])
    suites: bool = False     # the CMocka suites: tests/core, tests/<port>, tests/<board>
    runs: tuple = ()         # how `ninja test` runs each suite: NATIVE, env(), VALGRIND, qemu
    checks: tuple = ()       # scripts `ninja test` runs on each program, one test each
    expect: tuple = ()       # programs whose output `ninja test` checks (check_example.sh)
    core_check: bool = False  # `ninja test` checks what core/ needs (tools/check_core.sh)
    demos: tuple = ()        # programs `ninja demo` runs
    qemu: tuple = ()         # (qemu-system-*, machine): the board the programs run on
    archive: bool = True     # build libmpstatic.a, which programs link
    whole: bool = False      # programs link every runtime object instead
    tested: bool = False     # `ninja test` builds the programs (linking them is the check)
    out: str = ""            # programs and suites go to build/<out>/ (default: name)
    only: tuple = ()         # these suites instead of the port's (a build of one option)


NATIVE = ""
VALGRIND = "valgrind:"  # memcheck; forked children stay under it


def env(assignments):
    return assignments + "@"


def qemu_board(board, tc, arch, ldscript, qemu):
    """A board of the task port under QEMU (qemu: the qemu-system-* program and -M machine),
    as two variants: the firmware (the demos, each checked for heap symbols and run) and
    the suites (the runtime with its test hooks; their images go beside the demos)."""
    firmware = Variant(board, tc, task_port(arch, board), "-O2", ldscript,
                       programs=list(dict.fromkeys(DEMOS + TUTORIAL + BOARD_RUNS)), expect=TUTORIAL,
                       checks=("tools/check_no_heap.sh", "tools/run_qemu_demo.sh:%s:%s" % qemu),
                       demos=DEMOS, qemu=qemu, archive=False, whole=True)
    suites = firmware._replace(name=board + "-test", vflags="-O2 " + HOOKS, programs=(),
                               suites=True, runs=("qemu:%s:%s:" % qemu,), checks=(), demos=(),
                               out=board)
    return [firmware, suites]


M3_GCC = arm_none_eabi("m3", "-mcpu=cortex-m3 -mthumb")
POSIX = port("posix")
POSIX_LD = "linker/posix-world.ld"
HOST_SIM = task_port("host", "host-sim")
SEEDS = (NATIVE, env("MP_SIM_SEED=1"), env("MP_SIM_SEED=20261123"))  # other interleavings

VARIANTS = [
    # Linux processes: -O2 for the demo and the benchmarks; the suites under ASan + UBSan,
    # and under valgrind (test hooks, no sanitizer: they do not mix).
    Variant("posix", GCC, POSIX, "-O2", POSIX_LD, programs=EXAMPLES + EXAMPLES_POSIX + BENCH,
            suites=True, core_check=True, demos=DEMOS, expect=TUTORIAL + EXAMPLES_POSIX),
    Variant("posix-asan", GCC, POSIX, "-O1 %s %s" % (HOOKS, SAN), POSIX_LD, SAN,
            programs=EXAMPLES + EXAMPLES_POSIX, suites=True, runs=(NATIVE,)),
    Variant("posix-valgrind", GCC, POSIX, "-O1 " + HOOKS, POSIX_LD, suites=True,
            runs=(VALGRIND,)),
    # The host simulation: the suites under three preemption seeds, reproducibly.
    Variant("host-sim", GCC, HOST_SIM, "-O2", programs=EXAMPLES, suites=True,
            core_check=True, demos=DEMOS, expect=TUTORIAL),
    Variant("host-sim-asan", GCC, HOST_SIM, "-O1 %s %s" % (HOOKS, SAN), ldflags=SAN,
            programs=EXAMPLES, suites=True, runs=SEEDS),
    # Boards under QEMU, a line each (plus boards/<board>/ and its linker script).
    *qemu_board("mps2-an385", M3_GCC, "cortex-m", "linker/mps2-an385.ld",
                ("qemu-system-arm", "mps2-an385")),
    # The template board (boards/template, linker/template.ld), linked for the Cortex-M3
    # with the runtime and an application: a board function it lacks fails `ninja test`.
    Variant("board-template", M3_GCC, task_port("cortex-m", "template"), "-O2",
            "linker/template.ld", programs=["examples/minimal.c", "examples/printf_lines.c"],
            checks=("tools/check_no_heap.sh",), archive=False, whole=True, tested=True),
    # The template port, linked: every core object against it, so a contract function it
    # lacks fails `ninja test` at link time; core/ is checked against it too.
    Variant("template", GCC, port("template"), "-O2", programs=["examples/minimal.c"],
            core_check=True, whole=True, tested=True),
    # The API fuzzer: clang + libFuzzer on the host simulation, ASan + UBSan everywhere,
    # coverage instrumentation on the runtime too (tests/fuzz/README.md).
    Variant("fuzz", CLANG, HOST_SIM, "-O1 %s %s -fsanitize=fuzzer-no-link" % (HOOKS, SAN),
            ldflags=SAN + " -fsanitize=fuzzer", programs=[("fuzz_api", FUZZ)],
            checks=("tools/check_fuzz.sh",), archive=False, whole=True),
]
# MP_CONF_TIME_SLICING 0: its one suite, on the simulation (seeded) and on the board.
NOSLICE = ("-DMP_CONF_TIME_SLICING=0", ("tests/task/noslice_run_to_completion.c",))
VARIANTS += [
    next(v for v in VARIANTS if v.name == "host-sim-asan")._replace(
        name="host-sim-noslice", vflags="-O1 %s %s" % (SAN, NOSLICE[0]), programs=(),
        only=NOSLICE[1]),
    next(v for v in VARIANTS if v.name == "mps2-an385-test")._replace(
        name="mps2-an385-noslice", vflags="-O2 " + NOSLICE[0], only=NOSLICE[1],
        out="mps2-an385-noslice"),
]
NOPAINT = "-DMP_CONF_STACK_HIGH_WATER=0"
# The Cortex-M3 alone is measured against FreeRTOS on the same board: benchmarks at -O2 and
# -Os (emulated instructions, bench/target.c) and the footprint image of `ninja size`
# (built by size() below).
M3 = next(v for v in VARIANTS if v.name == "mps2-an385")._replace(programs=(), checks=(),
                                                                  demos=())
VARIANTS += [
    # Stacks not painted, as FreeRTOS's figures were taken without its stack fill.
    M3._replace(name="mps2-an385-O2", vflags="-O2 " + NOPAINT, programs=["bench/target.c"]),
    M3._replace(name="mps2-an385-Os", vflags="-Os " + NOPAINT, programs=["bench/target.c"]),
    M3._replace(name="mps2-an385-size",
                vflags="-Os -DMP_CONFIG_FILE='\"minimal_config.h\"' -Iexamples"),
]


INSTALLED = ("posix", "host-sim")  # `ninja install`: their libraries, for pkg-config


# ---- Writing build.ninja ---------------------------------------------------------------
class Writer:
    """The ninja statements this file needs (after ninja's misc/ninja_syntax.py)."""

    def __init__(self):
        self.lines = []

    def comment(self, text):
        self.lines.append("# " + text)

    def newline(self):
        self.lines.append("")

    def variable(self, key, value, indent=0):
        self.lines.append(("%s%s = %s" % ("  " * indent, key, value)).rstrip())

    def rule(self, name, command, description, **options):
        self.lines.append("rule " + name)
        self.variable("command", command, 1)
        for key, value in options.items():
            self.variable(key, value, 1)
        self.variable("description", description, 1)

    def build(self, outputs, rule, inputs=(), implicit=(), implicit_outputs=(), **variables):
        outs = as_list(outputs) + (["|"] + list(implicit_outputs) if implicit_outputs else [])
        ins = as_list(inputs) + (["|"] + list(implicit) if implicit else [])
        self.lines.append("build %s: %s" % (" ".join(outs), " ".join([rule] + ins)))
        for key, value in variables.items():
            self.variable(key, value, 1)

    def default(self, target):
        self.lines.append("default " + target)


def as_list(x):
    return [x] if isinstance(x, str) else list(x)


def obj(directory, src):
    return "$builddir/%s/%s.o" % (directory, os.path.splitext(src)[0])


def plain(path):
    """A path as run_tests.sh is given it."""
    return path.replace("$builddir", "build")


class Totals:
    """What the variants contribute to the aggregate targets."""

    def __init__(self):
        self.all = []        # ninja all
        self.test = []       # what ninja test needs built
        self.runs = []       # run_tests.sh's arguments, in order
        self.demos = []      # ninja demo


def rules(n, variants=VARIANTS):
    toolchains = []
    for v in variants:
        if v.tc not in toolchains:
            assert all(t.prefix != v.tc.prefix for t in toolchains), v.tc.prefix
            toolchains.append(v.tc)
    for tc in toolchains:
        n.rule(tc.prefix + "cc", " ".join(filter(None, (
               tc.cc, "-MMD -MF $out.d $cflags", tc.arch, "$vflags $incs -c $in -o $out"))),
               "CC(%s) $out" % (tc.prefix or "host"), depfile="$out.d", deps="gcc")
        n.rule(tc.prefix + "link", tc.link, "LINK(%s) $out" % (tc.prefix or "host"))
    n.rule("ar", "rm -f $out && ar crs $out $in", "AR $out")
    n.rule("configure", "python3 configure.py", "CONFIGURE build.ninja", generator="1")
    n.rule("run", "$in", "RUN $in", pool="console")
    n.rule("qemu", "bash tools/run_qemu_demo.sh $system $machine $in", "QEMU $machine $in",
           pool="console")
    n.rule("qemu_plain", "$system -M $machine -nographic -monitor none -serial stdio "
           "-semihosting-config enable=on,target=native -kernel $in", "QEMU $in",
           pool="console")
    n.rule("size", "python3 tools/size.py $in", "SIZE runtime on the Cortex-M3 at -Os",
           pool="console")
    n.rule("peer", "$cc -std=gnu11 -O2 -Wall -Wextra -Werror $in -o $out -lrt -lpthread",
           "PEER $out")
    n.rule("bench", "python3 bench/run.py $builddir",
           "BENCH mpstatic and its peers, side by side", pool="console")
    n.rule("fuzzrun", "tools/run_fuzz.sh $in tests/fuzz/corpus:tests/fuzz/regressions $seconds",
           "FUZZ $in for $seconds s", pool="console")
    n.rule("stress", "bash tools/run_stress.sh $builddir",
           "STRESS the long fault-injection and soak runs", pool="console")
    n.rule("suites", "bash tools/run_tests.sh $runs", "TEST all suites", pool="console")
    n.rule("install", "bash tools/install.sh", "INSTALL the posix and host-sim libraries (tools/install.sh)",
           pool="console")


def compile_all(n, v, directory, srcs, vflags, incs):
    objs = []
    for src in srcs:
        objs.append(obj(directory, src))
        n.build(objs[-1], v.tc.prefix + "cc", src, vflags=vflags, incs=incs)
    return objs


def includes(v):
    return "-Icore/include -Iport/include " + v.port.incs


def link(n, v, exe, objs, libs="", ldflags="", implicit_outputs=()):
    script = [v.ldscript] if v.ldscript else []
    flags = " ".join(f for f in [v.tc.script % s for s in script] + [v.ldflags, ldflags] if f)
    n.build(exe, v.tc.prefix + "link", objs, script, implicit_outputs, ldflags=flags,
            libs=libs)


def outdir(v):
    return v.out or v.name


def program_flags(v, suite=False):
    """(vflags, incs) of a program's sources, or of a suite's."""
    extra = [v.tc.suite_incs] if suite else []
    return (" ".join(filter(None, [v.vflags, v.tc.prog[0]])),
            " ".join(filter(None, [includes(v), v.tc.prog[1]] + extra)))


def program(n, v, name, srcs, linked, **link_options):
    """One program of a variant: its sources compiled with the programs' flags, linked."""
    objs = compile_all(n, v, outdir(v), srcs, *program_flags(v))
    exe = "$builddir/%s/%s%s" % (outdir(v), name, v.tc.exe)
    # Every object: the runtime first, as the measured Cortex-M3 images always were (the
    # layout moves their instruction counts). An archive comes after what needs it.
    link(n, v, exe, linked + objs if v.whole else objs + linked, **link_options)
    return exe


def variant(n, v, totals):
    """A variant's runtime, programs and suites, and its share of the aggregate targets.
    Returns the runtime's objects."""
    n.comment("---- " + v.name)
    # core/ is freestanding: the compiler enforces what it may use.
    core = compile_all(n, v, v.name, CORE, v.vflags + " -ffreestanding", includes(v))
    runtime = core + compile_all(n, v, v.name, v.port.sources, v.vflags, includes(v))
    linked = runtime
    if v.archive:
        lib = "$builddir/%s/libmpstatic.a" % v.name
        n.build(lib, "ar", runtime)
        totals.all.append(lib)
        linked = runtime if v.whole else [lib]
    if v.core_check:  # counted by the runner like a test
        totals.runs.append("check:tools/check_core.sh:build/%s/core" % v.name)
        totals.test.extend(core)
    programs = []
    for p in v.programs:
        name, srcs = (os.path.splitext(p)[0], [p]) if isinstance(p, str) else p
        programs.append(program(n, v, name, srcs, linked))
        totals.runs.extend("check:%s:%s" % (c, plain(programs[-1])) for c in v.checks)
        if p in v.expect:
            totals.runs.append("check:tools/check_example.sh:%s%s" % (
                "%s:%s:" % v.qemu if v.qemu else "", plain(programs[-1])))
        if v.checks or v.tested or p in v.expect:
            totals.test.append(programs[-1])
        if p in v.demos and not v.qemu:
            totals.demos.append("run_%s_%s" % (v.name, os.path.basename(name)))
            n.build(totals.demos[-1], "run", programs[-1])
    if v.demos and v.qemu:  # on a board, all of them in one run
        totals.demos.append("run_" + v.name)
        n.build(totals.demos[-1], "qemu", [e for e, p in zip(programs, v.programs) if p in v.demos],
                system=v.qemu[0], machine=v.qemu[1])
    totals.all.extend(programs)
    if v.suites:
        suites(n, v, linked, totals)
    n.newline()
    return runtime


def suites(n, v, linked, totals):
    """The CMocka suites, each linked with the port's test helpers (tests/support/<port>/)
    and what the toolchain needs to run CMocka."""
    out, flags = outdir(v), program_flags(v, suite=True)
    support = compile_all(n, v, out, sources("tests/support/%s/*.c" % v.port.name), *flags)
    for src, name, overrides in v.tc.suite_support:
        support.append("$builddir/%s/%s" % (out, name) if name else obj(out, src))
        n.build(support[-1], v.tc.prefix + "cc", src, **overrides)
    tests = CORE_TESTS + sources("tests/%s/test_*.c" % v.port.name)
    if v.port.board:
        tests += sources("tests/%s/test_*.c" % v.port.board)
    if v.only:
        tests = list(v.only)
    for src, o in zip(tests, compile_all(n, v, out, tests, *flags)):
        exe = "$builddir/%s/%s%s" % (out, os.path.splitext(src)[0], v.tc.exe)
        link(n, v, exe, [o] + support + linked, libs=v.tc.suite_libs)
        totals.all.append(exe)
        totals.runs.extend(run + plain(exe) for run in v.runs)
        if v.runs:
            totals.test.append(exe)


def size(n, v, runtime, totals):
    """ninja size: the FreeRTOS anchor's application at -Os (examples/minimal.c), with the
    tables it needs; its RAM per object from tools/size_probe.c."""
    map_file = "$builddir/%s/minimal%s.map" % (v.name, v.tc.exe)
    minimal = program(n, v, "minimal", ["examples/minimal.c"], runtime,
                      ldflags="-Wl,-Map=" + map_file, implicit_outputs=[map_file])
    probe = compile_all(n, v, v.name, ["tools/size_probe.c"], v.vflags, "-Icore " + includes(v))
    n.build("size", "size", [map_file] + probe, [minimal])
    n.build("run_minimal", "qemu_plain", minimal, system=v.qemu[0], machine=v.qemu[1])
    totals.all.append(minimal)
    n.newline()


def main():
    n = Writer()
    n.comment("Generated by configure.py: edit that file, not this one.")
    n.variable("ninja_required_version", "1.10")
    n.variable("builddir", "build")
    n.variable("cc", "gcc")
    n.variable("cflags", CFLAGS)
    n.newline()
    rules(n)
    n.newline()
    n.build("build.ninja", "configure", "configure.py")
    n.newline()

    totals = Totals()
    for v in VARIANTS:
        runtime = variant(n, v, totals)
        if v.name == "mps2-an385-size":
            size(n, v, runtime, totals)

    n.build("fuzz", "fuzzrun", "$builddir/fuzz/fuzz_api", seconds="60")
    # Benchmarks: the peers are plain C programs (and a Python script) built as users would.
    peers = ["$builddir/bench/peers/%s" % os.path.splitext(os.path.basename(src))[0]
             for src in PEERS]
    for exe, src in zip(peers, PEERS):
        n.build(exe, "peer", src)
    totals.all.extend(peers)
    targets = ["$builddir/mps2-an385-%s/bench/target.elf" % opt for opt in ("O2", "Os")]
    n.build("bench", "bench", implicit=["$builddir/posix/bench/mpstatic"] + peers + targets)

    # A project of one's own, out of the tree: CMake, configure.py --config, pkg-config (the
    # installed libraries are these).
    totals.runs.append("check:tools/check_own_project.sh:examples/own-project")
    totals.test.extend("$builddir/%s/libmpstatic.a" % p for p in INSTALLED)
    test_deps = sorted(set(totals.test))
    n.build("stress", "stress", implicit=test_deps)
    models = ["check:tools/run_models.sh:tests/models/configs/%s.cfg" % m
              for m in MODELS_TEST]
    n.build("test", "suites", implicit=test_deps, runs=" ".join(totals.runs + models))
    n.build("verify", "suites", runs=" ".join(
        "check:tools/run_models.sh:tests/models/configs/%s.cfg" % m for m in MODELS_VERIFY))
    n.build("demo", "phony", totals.demos)
    # pkg-config's libraries: the default configuration (tools/install.sh)
    n.build("install", "install", implicit=["$builddir/%s/libmpstatic.a" % p for p in INSTALLED])
    n.build("all", "phony", totals.all + test_deps)
    n.default("all")
    with open("build.ninja", "w") as f:
        f.write("\n".join(n.lines) + "\n")


# ---- A runtime with your own configuration ---------------------------------------------
HERE = os.path.dirname(os.path.abspath(__file__))
OWN_PORTS = {"posix": "posix", "host-sim": "host-sim", "mps2-an385": "mps2-an385"}


def own(args):
    """The runtimes of the ports asked for, compiled with the application's config header
    into a build folder of its own (README, "Build your own program"): one libmpstatic.a
    per port, and the flags a program of the same configuration compiles and links with.
    The default build.ninja is not touched."""
    config = os.path.abspath(args.config) if args.config else None
    if config and not os.path.isfile(config):
        raise SystemExit("configure.py: no such config header: %s" % args.config)
    defines = " -DMP_CONFIG_FILE=%s" % shlex.quote('"%s"' % config) if config else ""
    chosen = []
    for p in args.port or ["posix"]:
        base = next(v for v in VARIANTS if v.name == OWN_PORTS[p])
        chosen.append(base._replace(vflags=base.vflags + defines, programs=(), suites=False,
                                    checks=(), expect=(), core_check=False, demos=(),
                                    archive=True, whole=False))
    n = Writer()
    n.comment("Generated by configure.py %s: run it again to change this file."
              % " ".join(shlex.quote(a) for a in args.argv))
    n.variable("ninja_required_version", "1.10")
    # ninja runs in this folder (the sources' paths are relative to it)
    args.builddir = os.path.relpath(os.path.abspath(args.builddir), HERE)
    n.variable("builddir", args.builddir)
    n.variable("cc", "gcc")
    n.variable("cflags", CFLAGS)
    n.newline()
    rules(n, chosen)
    n.newline()
    totals = Totals()
    for v in chosen:
        variant(n, v, totals)
    n.build("all", "phony", totals.all)
    n.default("all")
    with open(args.output, "w") as f:
        f.write("\n".join(n.lines) + "\n")
    rel = os.path.relpath  # the lines printed are for the folder configure.py ran in
    if os.path.abspath(".") == HERE:
        print("wrote %s: build it with  ninja -f %s" % (args.output, args.output))
    else:
        print("wrote %s: build it with  ninja -C %s -f %s" % (
            args.output, rel(HERE), os.path.abspath(args.output)))
    for v in chosen:
        incs = ["-I" + rel(os.path.join(HERE, f[2:])) for f in includes(v).split()]
        line = [v.tc.cc.replace("$cc", "cc"), v.tc.arch, " ".join(incs) + defines, "your.c",
                "-nostartfiles -Wl,--gc-sections" if v.qemu else "",
                rel(os.path.join(HERE, args.builddir, v.name, "libmpstatic.a")),
                v.tc.script % rel(os.path.join(HERE, v.ldscript)) if v.ldscript else ""]
        print("%s: %s" % (v.name, " ".join(f for f in line if f)))


def parse(argv):
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[-1])
    a.add_argument("--config", help="the application's config header (MP_CONF_*)")
    a.add_argument("--port", action="append", choices=sorted(OWN_PORTS),
                   help="a port or board to build the runtime for (again for more; "
                        "default posix)")
    a.add_argument("--builddir", default="build-own", help="where the objects go")
    a.add_argument("-o", "--output", default="build-own.ninja", help="the ninja file")
    args = a.parse_args(argv)
    args.argv = argv
    return args


if __name__ == "__main__":
    import sys
    if len(sys.argv) == 1:
        main()
    else:
        own(parse(sys.argv[1:]))
