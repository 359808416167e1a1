#!/usr/bin/env python3
"""Tool overhead at scale: how long perfreg's own commands take, and how much
memory they need, on large synthetic results.

usage: bench/eval/overhead.py [--build DIR] [--markdown] [--repeat N] [options]

  1. compare: `perfreg compare BASE.json RUN.json --fail mean:10%` on a
     baseline and a run of N benchmarks x 20 samples (N = 1,000, 3,000,
     10,000, 30,000), text report to /dev/null. Target at 10,000: under
     200 ms and under 100 MB peak RSS.
  2. history: `perfreg history --store DIR --suite NAME` on stores of R runs
     x N benchmarks (25/50/100 runs of 1,000; 100 runs of 250/500/1,000).
     Target at 100 x 1,000: under 1 s.
  3. start-up: `perfreg_bench list` and `perfreg --help`, target under 5 ms
     each, with /bin/true measured the same way as the floor.
  4. Google Benchmark's compare.py (Debian's libbenchmark-tools) on the same
     data exported with `perfreg compare --format gbench`, run once with
     /usr/bin/python3 at 1,000 and 10,000 benchmarks, stopped after 120 s:
     the ratio of the two tools' times.

Every command is a fresh process started with posix_spawn and reaped with
os.wait4: the wall time (time.perf_counter around spawn and wait, so
fork/exec is included), the CPU time and the peak RSS (ru_maxrss) come from
that one child. A lean Python (python -S -I, built-in modules only) starts
them, in batches. The figures are medians over --repeat rounds, the sizes
run in turn within each round (A B C A B C) so that a busy spell of the
machine does not land on one size only. The data is generated first,
deterministically (bench/eval/overhead_data.py, seeded), in a child process.
ru_maxrss of a child cannot be below its parent's peak RSS at spawn (Linux
carries the parent's high-water mark into a vfork'ed child through exec):
the lean spawner keeps that floor near 8 MB, the report gives it, and a
figure at the floor is shown as "<= floor".

Python 3 standard library only; runs with Debian's /usr/bin/python3.
"""
import argparse
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "overhead_data.py")
GBENCH_COMPARE = "/usr/share/benchmark/compare.py"
GBENCH_PYTHON = "/usr/bin/python3"
SUITE = "eval_suite"
SAMPLES = 20

COMPARE_TARGET_S = 0.200
COMPARE_TARGET_RSS = 100e6  # bytes
HISTORY_TARGET_S = 1.0
STARTUP_TARGET_S = 0.005


# ---------------------------------------------------------------- measuring

class Sample:
    def __init__(self, wall_s, cpu_s, rss_kib, floor_kib, status):
        self.wall_s, self.cpu_s, self.rss_kib, self.status = wall_s, cpu_s, rss_kib, status
        self.floor_kib = floor_kib  # the spawner's own peak RSS (VmHWM) when it started the child


# The measuring process: a lean Python (no site, built-in modules only, about
# 8 MB) that runs a batch of commands and reports each one's figures, so
# that the RSS floor (see the module's comment) is as low as Python allows.
# A line in: STDOUT TAB TIMEOUT_S (empty: none) TAB ARGV... ; a line out:
# "STATUS WALL_S CPU_S MAXRSS_KIB FLOOR_KIB" or "timeout".
SPAWNER = r"""
import os, sys, time
out = []
for line in sys.stdin.read().split("\n"):
    if not line:
        continue
    f = line.split("\t")
    stdout, timeout, argv = f[0], f[1], f[2:]
    # what a vfork'ed child inherits is this process's own high-water mark
    # (VmHWM), not its ru_maxrss, which still holds its parent's
    floor = 0
    with open("/proc/self/status") as fh:
        for row in fh:
            if row.startswith("VmHWM:"):
                floor = int(row.split()[1])
    acts = [(os.POSIX_SPAWN_OPEN, 1, stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=acts)
    if not timeout:
        _, st, ru = os.wait4(pid, 0)
    else:
        deadline = start + float(timeout)
        while True:
            got, st, ru = os.wait4(pid, os.WNOHANG)
            if got == pid:
                break
            if time.perf_counter() > deadline:
                os.kill(pid, 9)
                os.wait4(pid, 0)
                st = None
                break
            time.sleep(0.005)
    wall = time.perf_counter() - start
    if st is None:
        out.append("timeout")
    else:
        out.append("%d %.9f %.6f %d %d" % (os.waitstatus_to_exitcode(st), wall,
                                           ru.ru_utime + ru.ru_stime, ru.ru_maxrss, floor))
sys.stdout.write("\n".join(out) + "\n")
"""


def run_batch(jobs, env, cwd):
    """Runs JOBS, a list of (argv, stdout, timeout_s or None), one after the
    other, each a fresh process started with posix_spawn and reaped with
    wait4, stdout to the file STDOUT (stderr kept); returns a Sample per job,
    or None for one stopped at its timeout."""
    lines = []
    for argv, stdout, timeout_s in jobs:
        fields = [stdout, "" if timeout_s is None else repr(float(timeout_s))] + list(argv)
        if any("\t" in f or "\n" in f for f in fields):
            sys.exit("overhead: a tab or a newline in %r" % (fields,))
        lines.append("\t".join(fields))
    proc = subprocess.run([sys.executable, "-S", "-I", "-c", SPAWNER], input="\n".join(lines),
                          stdout=subprocess.PIPE, text=True, env=env, cwd=cwd)
    if proc.returncode != 0:
        sys.exit("overhead: the measuring process failed (exit %d)" % proc.returncode)
    out = []
    for line in proc.stdout.split("\n")[:len(jobs)]:
        if line == "timeout":
            out.append(None)
            continue
        status, wall, cpu, rss, floor = line.split()
        out.append(Sample(float(wall), float(cpu), int(rss), int(floor), int(status)))
    return out


def spawn(argv, env, cwd, stdout="/dev/null", timeout_s=None):
    return run_batch([(argv, stdout, timeout_s)], env, cwd)[0]


def median(xs):
    return statistics.median(xs) if xs else float("nan")


class Series:
    """The samples of one command."""

    def __init__(self, label, argv, ok_status=(0,)):
        self.label, self.argv, self.ok_status = label, argv, ok_status
        self.samples = []

    def add(self, s):
        if s.status not in self.ok_status:
            sys.exit("overhead: %s exited %d" % (" ".join(self.argv), s.status))
        self.samples.append(s)

    @property
    def wall(self):
        return median([s.wall_s for s in self.samples])

    @property
    def cpu(self):
        return median([s.cpu_s for s in self.samples])

    @property
    def rss_mb(self):
        return median([s.rss_kib for s in self.samples]) * 1024 / 1e6

    @property
    def at_floor(self):
        """The child's peak RSS is no more than this process's own: its real
        peak may be lower (see the module's comment)."""
        return median([s.rss_kib for s in self.samples]) <= 1.02 * max(
            s.floor_kib for s in self.samples)

    @property
    def rss_text(self):
        return ("<= %.1f" if self.at_floor else "%.1f") % self.rss_mb

    @property
    def wall_range(self):
        xs = [s.wall_s for s in self.samples]
        return min(xs), max(xs)


def rounds(series_list, n, env, cwd):
    """N rounds, each running every series once, in turn."""
    jobs = [(s.argv, "/dev/null", None) for _ in range(n) for s in series_list]
    for i, sample in enumerate(run_batch(jobs, env, cwd)):
        series_list[i % len(series_list)].add(sample)


def check_output(argv, env, cwd, out, ok_status=(0,)):
    """One untimed run (it also warms the page cache) that must exit with an
    OK_STATUS and write something; returns (status, bytes written)."""
    s = spawn(argv, env, cwd, stdout=out)
    size = os.path.getsize(out)
    if s.status not in ok_status or size == 0:
        sys.exit("overhead: %s exited %d with %d bytes of output" %
                 (" ".join(argv), s.status, size))
    return s.status, size


# ---------------------------------------------------------------- growth

def fit(xs, ys):
    """Least squares y = a + b x."""
    mx, my = statistics.mean(xs), statistics.mean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return my - b * mx, b


def fit2(xs, ys):
    """Least squares y = a + b x + c x^2 (x scaled to keep the system
    well conditioned), by Gaussian elimination of the normal equations."""
    scale = max(xs)
    us = [x / scale for x in xs]
    m = [[sum(u ** (i + j) for u in us) for j in range(3)] +
         [sum(y * u ** i for u, y in zip(us, ys))] for i in range(3)]
    for col in range(3):
        pivot = max(range(col, 3), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(3):
            if r != col:
                f = m[r][col] / m[col][col]
                m[r] = [v - f * w for v, w in zip(m[r], m[col])]
    a, b, c = (m[i][3] / m[i][i] for i in range(3))
    return a, b / scale, c / scale ** 2


def exponents(xs, ys):
    """k in y ~ x^k between each pair of neighbouring sizes."""
    return [math.log(ys[i + 1] / ys[i]) / math.log(xs[i + 1] / xs[i]) for i in range(len(xs) - 1)]


def growth_word(k):
    if k < 0.9:
        return "linear at most (a fixed cost still shows)"
    if k < 1.15:
        return "linear"
    if k < 1.6:
        return "faster than linear"
    return "about quadratic"


def describe_time(xs, ys, unit, fmt_unit):
    """How the time YS (s) grows with XS: exponents between neighbouring
    sizes, and a linear fit, or a quadratic one when the growth is faster
    than linear and there are three sizes or more."""
    ks = exponents(xs, ys)
    text = "exponent k (t ~ n^k) between neighbouring sizes %s: %s" % (
        ", ".join("%.2f" % k for k in ks), growth_word(ks[-1]))
    if ks[-1] >= 1.15 and len(xs) >= 3:
        a, b, c = fit2(xs, ys)
        share = [c * x * x / y for x, y in zip(xs, ys)]
        text += ("; fit %.0f ms + %s per %s + a quadratic part %.3g ns x %s^2, which is %s of "
                 "the time at %s" % (a * 1e3, fmt_unit(b), unit, c * 1e9, unit,
                                     ", ".join("%.0f%%" % (100 * max(0, f)) for f in share),
                                     ", ".join("{:,}".format(x) for x in xs)))
    else:
        a, b = fit(xs, ys)
        text += "; fit %.0f ms + %s per %s" % (a * 1e3, fmt_unit(b), unit)
    return text


def describe_rss(series, xs, unit, fmt_unit):
    """How peak RSS grows over SERIES (at sizes XS), leaving out the sizes
    whose figure is only the floor of the method."""
    pts = [(x, s.rss_mb) for x, s in zip(xs, series) if not s.at_floor]
    if len(pts) < 2:
        return "peak RSS at the floor of the method at %s sizes" % (
            "all" if not pts else "all but one")
    px, py = [p[0] for p in pts], [p[1] for p in pts]
    a, b = fit(px, py)
    ks = exponents(px, py)
    return "peak RSS %.1f MB + %s per %s (exponents %s: %s)" % (
        a, fmt_unit(b), unit, ", ".join("%.2f" % k for k in ks), growth_word(ks[-1]))


def us_each(s):
    return "%.1f us" % (s * 1e6)


def ms_each(s):
    return "%.1f ms" % (s * 1e3)


def kb_each(mb):
    return "%.2f KB" % (mb * 1e3)


def mb_each(mb):
    return "%.2f MB" % mb


# ---------------------------------------------------------------- output

class Report:
    def __init__(self, markdown):
        self.markdown = markdown
        self.lines = []

    def heading(self, text):
        if self.markdown:
            self.lines += ["", "### " + text, ""]
        else:
            self.lines += ["", text, "-" * len(text)]

    def para(self, text):
        if self.markdown:
            self.lines += [text, ""]
        else:
            self.lines += textwrap.wrap(text, 100)

    def bullet(self, text):
        if self.markdown:
            self.lines.append("- " + text)
        else:
            self.lines += textwrap.wrap(text, 100, initial_indent="- ", subsequent_indent="  ")

    def table(self, head, rows, right=None):
        right = right or [i > 0 for i in range(len(head))]
        if self.markdown:
            self.lines.append("| " + " | ".join(head) + " |")
            self.lines.append("|" + "|".join(" ---: " if r else " --- " for r in right) + "|")
            for row in rows:
                self.lines.append("| " + " | ".join(row) + " |")
            self.lines.append("")
            return
        widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
        for row in [head] + rows:
            cells = [c.rjust(w) if r else c.ljust(w) for c, w, r in zip(row, widths, right)]
            self.lines.append("  " + "  ".join(cells).rstrip())

    def text(self):
        return "\n".join(self.lines).strip("\n") + "\n"


def ms(s):
    if s != s:
        return "-"
    return "%.1f" % (s * 1e3) if s >= 0.01 else "%.2f" % (s * 1e3)


def verdict(ok):
    return "met" if ok else "NOT MET"


# ---------------------------------------------------------------- machine

def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
            mem = ", %.0f GiB" % (kib / 2 ** 20)
    except (OSError, ValueError, IndexError):
        pass
    distro = ""
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    distro = line.split("=", 1)[1].strip().strip('"') + ", "
    except OSError:
        pass
    return "%s, %d logical cores%s, %sLinux %s" % (cpu, os.cpu_count() or 0, mem, distro,
                                                  platform.release())


def build_info(build):
    info = {}
    try:
        with open(os.path.join(build, "CMakeCache.txt")) as f:
            for line in f:
                for key in ("CMAKE_BUILD_TYPE", "CMAKE_C_COMPILER"):
                    if line.startswith(key + ":"):
                        info[key] = line.split("=", 1)[1].strip()
    except OSError:
        pass
    cc = info.get("CMAKE_C_COMPILER", "cc")
    try:
        version = subprocess.run([cc, "--version"], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, text=True).stdout.split("\n")[0]
    except OSError:
        version = cc
    return "%s build, %s" % (info.get("CMAKE_BUILD_TYPE") or "unknown", version)


# ---------------------------------------------------------------- main

def gen(*args):
    subprocess.run([sys.executable, DATA] + [str(a) for a in args], check=True)


def sizes(text):
    return [int(x) for x in text.split(",") if x]


def main():
    ap = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    ap.add_argument("--build", default="build", help="CMake build folder (default: build)")
    ap.add_argument("--markdown", action="store_true", help="print Markdown tables")
    ap.add_argument("--markdown-out", metavar="FILE",
                    help="also write the report as Markdown to FILE")
    ap.add_argument("--repeat", type=int, default=5,
                    help="rounds for compare and history (default 5)")
    ap.add_argument("--startup-repeat", type=int, default=50,
                    help="rounds for list, --help and /bin/true (default 50)")
    ap.add_argument("--compare-sizes", type=sizes, default=[1000, 3000, 10000, 30000],
                    help="benchmarks per compare file (default 1000,3000,10000,30000)")
    ap.add_argument("--history-runs", type=sizes, default=[25, 50, 100],
                    help="runs of 1,000 benchmarks (default 25,50,100)")
    ap.add_argument("--history-benchmarks", type=sizes, default=[250, 500, 1000],
                    help="benchmarks of 100 runs (default 250,500,1000)")
    ap.add_argument("--gbench-sizes", type=sizes, default=[1000, 10000],
                    help="sizes at which compare.py runs (default 1000,10000)")
    ap.add_argument("--gbench-timeout", type=float, default=120,
                    help="seconds before compare.py is stopped (default 120)")
    ap.add_argument("--no-gbench", action="store_true", help="skip Google Benchmark's compare.py")
    ap.add_argument("--seed", type=int, default=1, help="seed of the data (default 1)")
    ap.add_argument("--workdir", help="keep the data here (default: a temporary folder, removed)")
    a = ap.parse_args()

    build = os.path.abspath(a.build)
    perfreg = os.path.join(build, "perfreg")
    suite_exe = os.path.join(build, "bench", "perfreg_bench")
    for exe in (perfreg, suite_exe):
        if not os.access(exe, os.X_OK):
            sys.exit("overhead: no %s: build first (cmake --build %s)" % (exe, a.build))
    gbench = not a.no_gbench and os.path.exists(GBENCH_COMPARE) and os.access(GBENCH_PYTHON,
                                                                               os.X_OK)
    work = os.path.abspath(a.workdir) if a.workdir else tempfile.mkdtemp(prefix="perfreg-ovh-")
    os.makedirs(work, exist_ok=True)
    cwd = os.path.join(work, "cwd")  # no perfreg.json, no baselines/, no .perfreg/ here
    os.makedirs(cwd, exist_ok=True)
    env = dict(os.environ, PERFREG_CONFIG="none")
    load_start = os.getloadavg()
    started = time.time()
    log = lambda text: print("overhead: " + text, file=sys.stderr, flush=True)

    # ---- data
    log("generating data in %s" % work)
    pairs = {}
    for n in sorted(set(a.compare_sizes + (a.gbench_sizes if gbench else []))):
        base, run = os.path.join(work, "base_%d.json" % n), os.path.join(work, "run_%d.json" % n)
        if not (os.path.exists(base) and os.path.exists(run)):
            gen("pair", base, run, "--benchmarks", n, "--samples", SAMPLES, "--seed", a.seed)
        pairs[n] = (base, run)
    stores = {}  # (runs, benchmarks) -> root
    max_runs = max(a.history_runs, default=0)
    full = os.path.join(work, "store_%dx1000" % max_runs)
    if max_runs and not os.path.isdir(full):
        gen("store", full, "--suite", SUITE, "--runs", max_runs, "--benchmarks", 1000,
            "--samples", SAMPLES, "--seed", a.seed)
    full_runs = sorted(os.listdir(os.path.join(full, "runs", SUITE))) if max_runs else []
    for r in a.history_runs:
        root = os.path.join(work, "store_%dx1000" % r)
        folder = os.path.join(root, "runs", SUITE)
        if not os.path.isdir(folder):  # the first R runs of the big store, hard-linked
            os.makedirs(folder)
            for name in full_runs[:r]:
                os.link(os.path.join(full, "runs", SUITE, name), os.path.join(folder, name))
        stores[(r, 1000)] = root
    for n in a.history_benchmarks:
        root = os.path.join(work, "store_100x%d" % n)
        if not os.path.isdir(root):
            gen("store", root, "--suite", SUITE, "--runs", 100, "--benchmarks", n,
                "--samples", SAMPLES, "--seed", a.seed)
        stores[(100, n)] = root

    # ---- checks: each command once, output to a file (this also warms the cache)
    log("checking the commands")
    out = os.path.join(work, "out.txt")
    compare_info = {}
    for n in a.compare_sizes:
        argv = [perfreg, "compare", pairs[n][0], pairs[n][1], "--fail", "mean:10%"]
        compare_info[n] = check_output(argv, env, cwd, out, ok_status=(0, 1))
    history_info = {}
    for key, root in sorted(stores.items()):
        argv = [perfreg, "history", "--store", root, "--suite", SUITE]
        history_info[key] = check_output(argv, env, cwd, out)
    check_output([suite_exe, "list"], env, cwd, out)
    check_output([perfreg, "--help"], env, cwd, out)

    # ---- compare
    log("timing compare (%d rounds)" % a.repeat)
    compare = [Series(n, [perfreg, "compare", pairs[n][0], pairs[n][1], "--fail", "mean:10%"],
                      ok_status=(0, 1)) for n in a.compare_sizes]
    rounds(compare, a.repeat, env, cwd)

    # ---- history
    log("timing history (%d rounds)" % a.repeat)
    hist = {key: Series(key, [perfreg, "history", "--store", root, "--suite", SUITE])
            for key, root in sorted(stores.items())}
    all_runs = None
    if (100, 1000) in stores:
        all_runs = Series("all", [perfreg, "history", "--store", stores[(100, 1000)], "--suite",
                                  SUITE, "--last", "0"])
    rounds(list(hist.values()) + ([all_runs] if all_runs else []), a.repeat, env, cwd)

    # ---- start-up
    log("timing start-up (%d rounds)" % a.startup_repeat)
    floor = Series("/bin/true", ["/bin/true"])
    lst = Series("perfreg_bench list", [suite_exe, "list"])
    helps = Series("perfreg --help", [perfreg, "--help"])
    rounds([floor, lst, helps], a.startup_repeat, env, cwd)

    # ---- Google Benchmark's compare.py
    gb = {}  # n -> (export seconds, Sample or None)
    if gbench:
        for n in a.gbench_sizes:
            base, run = pairs[n]
            gbase, grun = base[:-5] + "_gbench.json", run[:-5] + "_gbench.json"
            t0 = time.perf_counter()
            for res, dst in ((base, gbase), (run, grun)):
                s = spawn([perfreg, "compare", "--results", res, "--baseline", base, "--format",
                           "gbench", "-o", dst], env, cwd)
                if s.status not in (0, 1) or not os.path.getsize(dst):
                    sys.exit("overhead: the gbench export of %s failed (exit %d)" % (res, s.status))
            export_s = (time.perf_counter() - t0) / 2
            log("compare.py at %d benchmarks (timeout %g s)" % (n, a.gbench_timeout))
            s = spawn([GBENCH_PYTHON, GBENCH_COMPARE, "benchmarks", gbase, grun], env, cwd,
                      stdout=os.path.join(work, "compare_py_%d.txt" % n),
                      timeout_s=a.gbench_timeout)
            if s is not None and (s.status != 0 or
                                  not os.path.getsize(os.path.join(work, "compare_py_%d.txt" % n))):
                sys.exit("overhead: compare.py exited %d at %d benchmarks" % (s.status, n))
            gb[n] = (export_s, s)

    load_end = os.getloadavg()
    elapsed = time.time() - started

    # ---- report
    def render(markdown):
        rep = Report(markdown)
        rep.para("perfreg tool overhead at scale (bench/eval/overhead.py)")
        rep.para("machine: %s" % machine())
        rep.para("perfreg: %s (%s); Python %s; load average %.2f at the start, %.2f at the end; "
                 "%.0f s in all" % (build, build_info(build), platform.python_version(),
                                    load_start[0], load_end[0], elapsed))
        rep.para("Each figure: median of %d fresh processes (start-up: %d), wall time from "
                 "posix_spawn to wait4 (fork/exec included), CPU = user + system of the child, "
                 "peak RSS = ru_maxrss of the child; stdout to /dev/null; MB = 10^6 bytes. "
                 "Data: synthetic, seed %d, %d samples per benchmark." %
                 (a.repeat, a.startup_repeat, a.seed, SAMPLES))

        targets = []

        # compare table
        rep.heading("compare: perfreg compare BASE.json RUN.json --fail mean:10%")
        rows = []
        for s in compare:
            n = s.label
            lo, hi = s.wall_range
            rows.append(["{:,}".format(n), "%.1f" % (os.path.getsize(pairs[n][1]) / 1e6),
                         ms(s.wall), "%s-%s" % (ms(lo), ms(hi)), ms(s.cpu), s.rss_text,
                         "%.1f" % (s.wall / n * 1e6), str(compare_info[n][0]),
                         "%.2f" % (compare_info[n][1] / 1e6)])
        rep.table(["benchmarks", "file MB", "wall ms", "range ms", "CPU ms", "peak RSS MB",
                   "us/benchmark", "exit", "report MB"], rows)
        rep.para("Each file: N benchmarks x %d samples, with statistics, memory and allocation "
                 "figures as perfreg writes them; the run has 3%% of them regressed by 15-40%% "
                 "(so exit 1: --fail crossed), 3%% improved, 0.5%% missing, 0.5%% new." % SAMPLES)
        by_n = {s.label: s for s in compare}
        if 10000 in by_n:
            s = by_n[10000]
            targets.append(("compare, 10,000 x 20: wall under 200 ms", "%s ms" % ms(s.wall),
                            s.wall < COMPARE_TARGET_S))
            targets.append(("compare, 10,000 x 20: peak RSS under 100 MB", "%.1f MB" % s.rss_mb,
                            s.rss_mb * 1e6 < COMPARE_TARGET_RSS))

        # history table
        rep.heading("history: perfreg history --store DIR --suite %s" % SUITE)
        rows = []
        for key, s in sorted(hist.items()):
            r, n = key
            lo, hi = s.wall_range
            rows.append(["%d x %s" % (r, "{:,}".format(n)), ms(s.wall), "%s-%s" % (ms(lo), ms(hi)),
                         ms(s.cpu), s.rss_text, "%.2f" % (s.wall / (r * n) * 1e6),
                         "%.2f" % (history_info[key][1] / 1e6)])
        if all_runs:
            lo, hi = all_runs.wall_range
            rows.append(["100 x 1,000, --last 0", ms(all_runs.wall), "%s-%s" % (ms(lo), ms(hi)),
                         ms(all_runs.cpu), all_runs.rss_text,
                         "%.2f" % (all_runs.wall / 1e5 * 1e6), "-"])
        rep.table(["runs x benchmarks", "wall ms", "range ms", "CPU ms", "peak RSS MB",
                   "us/(run x benchmark)", "report MB"], rows)
        rep.para("Each run: its own fake commit and date (6 h apart), one machine, %d samples per "
                 "benchmark, 2%% of the benchmarks with a +30%% step; the report shows the last 20 "
                 "runs (the default), but every run in the store is read (the machine filter comes "
                 "first); the last row shows all 100." % SAMPLES)
        if (100, 1000) in hist:
            s = hist[(100, 1000)]
            targets.append(("history, 100 runs x 1,000: wall under 1 s", "%s ms" % ms(s.wall),
                            s.wall < HISTORY_TARGET_S))

        # start-up
        rep.heading("start-up: list and --help")
        rows = []
        for s in (floor, lst, helps):
            lo, hi = s.wall_range
            rows.append([s.label, ms(s.wall), "%s-%s" % (ms(lo), ms(hi)), ms(s.cpu),
                         ms(s.wall - floor.wall) if s is not floor else "-", s.rss_text])
        rep.table(["command", "wall ms", "range ms", "CPU ms", "minus /bin/true ms", "peak RSS MB"],
                  rows)
        rep.para("Wall time around posix_spawn and wait4 from Python: fork/exec and the dynamic "
                 "loader are included; /bin/true, measured the same way, is the floor.")
        targets.append(("perfreg_bench list: under 5 ms", "%s ms" % ms(lst.wall),
                        lst.wall < STARTUP_TARGET_S))
        targets.append(("perfreg --help: under 5 ms", "%s ms" % ms(helps.wall),
                        helps.wall < STARTUP_TARGET_S))

        # compare.py
        rep.heading("Google Benchmark's compare.py on the same data")
        if not gbench:
            rep.para("not run: %s" % ("--no-gbench" if a.no_gbench else
                                       "%s or %s is missing (Debian: libbenchmark-tools)" %
                                       (GBENCH_COMPARE, GBENCH_PYTHON)))
        else:
            rows = []
            for n in a.gbench_sizes:
                export_s, s = gb[n]
                mine = by_n[n].wall if n in by_n else float("nan")
                if s is None:
                    rows.append(["{:,}".format(n), "> %.0f (stopped)" % a.gbench_timeout, "-",
                                 ms(mine), "< %.4f" % (mine / a.gbench_timeout),
                                 "> %.0f" % (a.gbench_timeout / mine)])
                else:
                    rows.append(["{:,}".format(n), "%.1f" % s.wall_s, "%.1f" % s.cpu_s, ms(mine),
                                 "%.4f" % (mine / s.wall_s), "%.0f" % (s.wall_s / mine)])
            rep.table(["benchmarks", "compare.py s", "compare.py CPU s", "perfreg compare ms",
                       "perfreg / compare.py", "compare.py / perfreg"], rows)
            rep.para("`%s %s benchmarks A.json B.json` (one run each: it is slow), on the baseline "
                     "and the run exported with `perfreg compare --results F --baseline BASE "
                     "--format gbench -o F.gbench.json` (each sample a repetition, run_type "
                     "iteration, plus the mean/median/stddev aggregates; that export took %s s per "
                     "file at the largest size). compare.py also runs its U test on the 20 "
                     "repetitions; it is stopped after %.0f s." %
                     (GBENCH_PYTHON, GBENCH_COMPARE,
                      "%.1f" % gb[max(a.gbench_sizes)][0], a.gbench_timeout))

        # growth
        rep.heading("growth")
        rep.para("Times fitted on the fastest of the %d rounds of each size (the least disturbed "
                 "by other work on the machine; the medians above are the figures to quote)."
                 % a.repeat)
        if len(compare) >= 2:
            ns = [s.label for s in compare]
            rep.bullet("compare, by benchmarks (each file N x %d samples): %s; %s." % (
                SAMPLES, describe_time(ns, [s.wall_range[0] for s in compare], "benchmark",
                                       us_each),
                describe_rss(compare, ns, "benchmark", kb_each)))
        for fixed, axis, unit, fmt in ((1000, 0, "run", ms_each), (100, 1, "benchmark", ms_each)):
            keys = sorted(k for k in hist if k[1 - axis] == fixed)
            if len(keys) < 2:
                continue
            xs = [k[axis] for k in keys]
            ys = [hist[k].wall_range[0] for k in keys]
            what = ("history, by runs of 1,000 benchmarks" if axis == 0 else
                    "history, by benchmarks in 100 runs")
            rep.bullet("%s: %s; %.1f us per benchmark and run at the largest size; %s." % (
                what, describe_time(xs, ys, unit, fmt), ys[-1] / (keys[-1][0] * keys[-1][1]) * 1e6,
                describe_rss([hist[k] for k in keys], xs, unit,
                             mb_each if axis == 0 else kb_each)))
        rep.bullet("RSS floor of this method: %.1f MB, /bin/true's ru_maxrss: the peak RSS of the "
                   "measuring Python, which a child inherits through vfork and exec; a figure at "
                   "the floor is shown as <= floor." % floor.rss_mb)

        # targets
        rep.heading("targets")
        rep.table(["target", "measured", "verdict"],
                  [[t, m, verdict(ok)] for t, m, ok in targets], right=[False, True, False])

        return rep.text()

    sys.stdout.write(render(a.markdown))
    if a.markdown_out:
        with open(a.markdown_out, "w") as f:
            f.write(render(True))
    if not a.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
