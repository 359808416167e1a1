#!/usr/bin/env python3
"""Harness cost and accuracy: perfreg against Google Benchmark.

Reproduces the table of docs/performance.md. Both harnesses run the same C
functions (bench/workloads.c) built with the same flags in one build:
perfreg_eval (bench/eval/eval_suite.c, a perfreg suite) and
perfreg_eval_gbench (bench/eval/eval_gbench.cc, Google Benchmark). Each round
runs perfreg's default run of the whole eval suite, then Google Benchmark's,
each in a fresh process (A B A B ...); no tuning flags, and the PERFREG_* and
BENCHMARK_* variables are taken out of their environment.

Per workload: the median over the rounds of perfreg's ns/op (the mean of its
samples_ns) and of Google Benchmark's real_time, their ratio, and the cv of
each across the rounds (processes); per harness, the wall time of the whole
run. Then the issue's targets, met or not:
  (a) empty-loop ns/op of perfreg <= Google Benchmark's;
  (b) ratio within 0.97..1.03 for every workload of 10 ns and more
      (by Google Benchmark's median);
  (c) perfreg's wall time <= half Google Benchmark's;
  (d) perfreg's cross-process cv no worse than Google Benchmark's, per
      workload and as the median over workloads.

usage: bench/eval/accuracy.py [--build DIR] [--rounds N] [--filter REGEX] [--markdown]
Progress goes to stderr, the report to stdout. Exit status: 0 the report was
printed (whatever the targets), 2 usage error or missing binary, 3 a harness
run failed.
"""
import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

PROG = "accuracy"
WORKLOADS = [
    "eval/empty_loop",
    "eval/spin_10ns",
    "eval/spin_1us",
    "eval/spin_1ms",
    "eval/memcpy_64",
    "eval/memcpy_64k",
    "eval/qsort_10k",
]
BUILD_HINT = ("build with libbenchmark-dev installed: apt-get install libbenchmark-dev g++; "
              "cmake -S . -B build -DCMAKE_BUILD_TYPE=Release; cmake --build build")
RATIO_LOW, RATIO_HIGH = 0.97, 1.03
RATIO_FLOOR_NS = 10.0
WALL_RATIO_MAX = 0.5
RUN_TIMEOUT_S = 1800
GB_SCALE_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def die(code, msg):
    print("%s: %s" % (PROG, msg), file=sys.stderr)
    sys.exit(code)


def clean_env():
    """The environment of a default run: no knob of either harness set."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith("PERFREG_") and not k.startswith("BENCHMARK_")}


def run(cmd, cwd, what):
    """Runs CMD, its output captured; returns (stdout, wall seconds)."""
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=cwd, env=clean_env(), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        die(3, "%s: still running after %d s, stopped" % (what, RUN_TIMEOUT_S))
    except OSError as e:
        die(3, "%s: cannot run '%s': %s" % (what, cmd[0], e.strerror))
    wall_s = time.monotonic() - start
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        die(3, "%s: '%s' exited %d: %s" % (what, os.path.basename(cmd[0]), proc.returncode, last))
    return proc.stdout, wall_s


def load_json(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        die(3, "%s: cannot read its JSON '%s': %s" % (what, path, e))


def perfreg_ns(path, names, what):
    """perfreg's ns/op of each of NAMES: the mean of its per-iteration samples."""
    out = {}
    for b in load_json(path, what).get("benchmarks", []):
        if b.get("name") not in names:
            continue
        if b.get("status") != "ok" or not b.get("samples_ns"):
            die(3, "%s: '%s' did not run: %s" % (what, b.get("name"), b.get("error")))
        out[b["name"]] = statistics.fmean(b["samples_ns"])
    missing = [n for n in names if n not in out]
    if missing:
        die(3, "%s: no result for '%s'" % (what, missing[0]))
    return out


def gbench_ns(path, names, what):
    """Google Benchmark's ns/op of each of NAMES: its real_time, in ns.
    Returns (figures, the JSON's context)."""
    doc = load_json(path, what)
    out = {}
    for b in doc.get("benchmarks", []):
        if b.get("name") not in names or b.get("run_type", "iteration") != "iteration":
            continue
        if b.get("error_occurred"):
            die(3, "%s: '%s' failed: %s" % (what, b["name"], b.get("error_message")))
        if b.get("time_unit") not in GB_SCALE_NS:
            die(3, "%s: '%s': unknown time_unit '%s'" % (what, b["name"], b.get("time_unit")))
        out[b["name"]] = b["real_time"] * GB_SCALE_NS[b["time_unit"]]
    missing = [n for n in names if n not in out]
    if missing:
        die(3, "%s: no result for '%s'" % (what, missing[0]))
    return out, doc.get("context", {})


def cv_pct(values):
    return 100 * statistics.stdev(values) / statistics.fmean(values)


def command_output(cmd):
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    except OSError:
        return None
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else None


def cmake_cache(build, key):
    try:
        with open(os.path.join(build, "CMakeCache.txt"), encoding="utf-8") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return None


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def cmake_compiler(build, lang):
    """The compiler CMake found for LANG (C or CXX), e.g. "g++ 12.2.0"."""
    names = {("C", "GNU"): "gcc", ("CXX", "GNU"): "g++", ("C", "Clang"): "clang",
             ("CXX", "Clang"): "clang++"}
    found = {}
    try:
        for sub in sorted(os.listdir(os.path.join(build, "CMakeFiles"))):
            path = os.path.join(build, "CMakeFiles", sub, "CMake%sCompiler.cmake" % lang)
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as f:
                    found = dict(re.findall(r'set\(CMAKE_%s_COMPILER_(ID|VERSION) "([^"]*)"\)'
                                            % lang, f.read()))
    except OSError:
        pass
    if not found.get("ID"):
        return None
    return "%s %s" % (names.get((lang, found["ID"]), found["ID"]), found.get("VERSION", "?"))


def machine(build, pr_context, gb_context):
    """One line each: what ran where, and when."""
    gb_version = command_output(["dpkg-query", "-W", "-f=${Version}", "libbenchmark-dev"])
    cc = pr_context.get("compiler") or cmake_compiler(build, "C")
    cxx = cmake_compiler(build, "CXX")
    build_type = pr_context.get("build_type") or cmake_cache(build, "CMAKE_BUILD_TYPE") or "?"
    flags = pr_context.get("build_flags")
    gb = "Google Benchmark %s" % (
        "(libbenchmark-dev %s)" % gb_version if gb_version else "(version unknown: no libbenchmark-dev)")
    if gb_context.get("library_build_type"):
        gb += ", library_build_type %s" % gb_context["library_build_type"]
    return [
        "CPU:       %s, nproc %d" % (cpu_model(), len(os.sched_getaffinity(0))),
        "Kernel:    Linux %s %s" % (platform.release(), platform.machine()),
        "Compilers: %s, %s (%s%s)" % (cc or "C compiler unknown", cxx or "C++ compiler unknown",
                                      build_type, ", " + flags if flags else ""),
        "Harness:   %s" % gb,
        "Date:      %s" % time.strftime("%Y-%m-%d %H:%M %Z"),
    ]


def fmt_ns(v):
    """Four significant figures, no exponent; whole ns from 1000 up."""
    for limit, fmt in ((1, "%.4f"), (10, "%.3f"), (100, "%.2f"), (1000, "%.1f")):
        if v < limit:
            return fmt % v
    return "%.0f" % v


def summarise(names, pr_runs, gb_runs, walls):
    rows = []
    for n in names:
        p = [r[n] for r in pr_runs]
        g = [r[n] for r in gb_runs]
        pm, gm = statistics.median(p), statistics.median(g)
        rows.append({"name": n, "pr": pm, "gb": gm, "ratio": pm / gm,
                     "pr_cv": cv_pct(p), "gb_cv": cv_pct(g)})
    pw, gw = statistics.median(walls[0]), statistics.median(walls[1])
    wall = {"pr": pw, "gb": gw, "ratio": pw / gw, "pr_cv": cv_pct(walls[0]),
            "gb_cv": cv_pct(walls[1])}
    return rows, wall


def verdict(ok):
    return "met" if ok else "NOT MET"


def targets(rows, wall, filtered):
    """The issue's targets, one line each (with indented details)."""
    lines = []
    by_name = {r["name"]: r for r in rows}
    e = by_name.get("eval/empty_loop")
    if e:
        lines.append("(a) empty loop, perfreg ns/op <= GB's: %s (%s vs %s ns, ratio %.3f)" % (
            verdict(e["pr"] <= e["gb"]), fmt_ns(e["pr"]), fmt_ns(e["gb"]), e["ratio"]))
    else:
        lines.append("(a) empty loop, perfreg ns/op <= GB's: not evaluated (filtered out)")

    big = [r for r in rows if r["gb"] >= RATIO_FLOOR_NS]
    small = [r for r in rows if r["gb"] < RATIO_FLOOR_NS]
    off = [r for r in big if not RATIO_LOW <= r["ratio"] <= RATIO_HIGH]
    head = "(b) ratio within %.2f..%.2f for every workload of %g ns and more: " % (
        RATIO_LOW, RATIO_HIGH, RATIO_FLOOR_NS)
    if not big:
        lines.append(head + "not evaluated (no workload of %g ns or more)" % RATIO_FLOOR_NS)
    else:
        lines.append(head + "%s (%d of %d within)" % (verdict(not off), len(big) - len(off),
                                                     len(big)))
        for r in off:
            lines.append("      outside: %s ratio %.4f" % (r["name"], r["ratio"]))
    if small:
        lines.append("      below %g ns by GB's median, not judged: %s" % (
            RATIO_FLOOR_NS, ", ".join("%s (%s ns)" % (r["name"], fmt_ns(r["gb"])) for r in small)))

    lines.append("(c) perfreg wall time <= %.1f x GB's: %s (%.2f s vs %.2f s, ratio %.3f%s)" % (
        WALL_RATIO_MAX, verdict(wall["ratio"] <= WALL_RATIO_MAX), wall["pr"], wall["gb"],
        wall["ratio"], "; filtered run, not the whole suite" if filtered else ""))

    pr_med = statistics.median(r["pr_cv"] for r in rows)
    gb_med = statistics.median(r["gb_cv"] for r in rows)
    worse = [r for r in rows if r["pr_cv"] > r["gb_cv"]]
    lines.append("(d) perfreg cross-process cv no worse than GB's: median over workloads %s "
                 "(%.2f%% vs %.2f%%); per workload met in %d of %d" % (
                     verdict(pr_med <= gb_med), pr_med, gb_med, len(rows) - len(worse), len(rows)))
    for r in rows:
        lines.append("      %-18s %s (%.2f%% vs %.2f%%)" % (
            r["name"], verdict(r["pr_cv"] <= r["gb_cv"]), r["pr_cv"], r["gb_cv"]))
    return lines


def text_table(rows, wall):
    fmt = "%-18s %13s %13s %8s %10s %10s"
    lines = [fmt % ("workload", "perfreg ns/op", "GB ns/op", "ratio", "perfreg cv", "GB cv")]
    for r in rows:
        lines.append(fmt % (r["name"], fmt_ns(r["pr"]), fmt_ns(r["gb"]), "%.4f" % r["ratio"],
                            "%.2f%%" % r["pr_cv"], "%.2f%%" % r["gb_cv"]))
    lines.append(fmt % ("wall time, run", "%.2f s" % wall["pr"], "%.2f s" % wall["gb"],
                        "%.3f" % wall["ratio"], "%.2f%%" % wall["pr_cv"],
                        "%.2f%%" % wall["gb_cv"]))
    return lines


def markdown_table(rows, wall):
    lines = ["| workload | perfreg ns/op | GB ns/op | perfreg/GB | perfreg cv | GB cv |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append("| `%s` | %s | %s | %.4f | %.2f%% | %.2f%% |" % (
            r["name"], fmt_ns(r["pr"]), fmt_ns(r["gb"]), r["ratio"], r["pr_cv"], r["gb_cv"]))
    lines.append("| wall time of the run | %.2f s | %.2f s | %.3f | %.2f%% | %.2f%% |" % (
        wall["pr"], wall["gb"], wall["ratio"], wall["pr_cv"], wall["gb_cv"]))
    return lines


def parse_args():
    ap = argparse.ArgumentParser(
        prog="bench/eval/accuracy.py",
        description="Harness cost and accuracy of perfreg against Google Benchmark: "
                    "alternating fresh-process default runs of the eval suite.")
    ap.add_argument("--build", default="build", metavar="DIR",
                    help="CMake build folder holding bench/eval/ (default: build)")
    ap.add_argument("--rounds", type=int, default=10, metavar="N",
                    help="A/B pairs of fresh processes, at least 2 (default 10)")
    ap.add_argument("--filter", default=None, metavar="REGEX",
                    help="only the workloads REGEX finds (Python re.search); the runs then "
                         "measure only those, so wall time is not the whole suite's")
    ap.add_argument("--markdown", action="store_true",
                    help="also print the table as Markdown, for docs/performance.md")
    args = ap.parse_args()
    if args.rounds < 2:
        die(2, "--rounds %d: give at least 2 (the cv needs two processes)" % args.rounds)
    return args


def main():
    args = parse_args()
    names = WORKLOADS
    if args.filter is not None:
        try:
            pattern = re.compile(args.filter)
        except re.error as e:
            die(2, "--filter '%s': not a regex: %s" % (args.filter, e))
        names = [n for n in WORKLOADS if pattern.search(n)]
        if not names:
            die(2, "--filter '%s' matches no workload; they are: %s" % (
                args.filter, " ".join(WORKLOADS)))
    filtered = names != WORKLOADS

    build = os.path.abspath(args.build)
    pr = os.path.join(build, "bench", "eval", "perfreg_eval")
    gb = os.path.join(build, "bench", "eval", "perfreg_eval_gbench")
    for exe in (pr, gb):
        if not os.access(exe, os.X_OK):
            die(2, "'%s' is missing: %s" % (exe, BUILD_HINT))

    with tempfile.TemporaryDirectory(prefix="perfreg-accuracy-") as tmp:
        # Both suites must hold the workloads the table names.
        listed = (run([pr, "list"], tmp, "perfreg_eval list")[0].split(),
                  run([gb, "--benchmark_list_tests=true"], tmp, "perfreg_eval_gbench list")[0]
                  .split())
        for exe, have in zip((pr, gb), listed):
            for n in names:
                if n not in have:
                    die(2, "'%s' has no workload '%s': rebuild '%s'" % (exe, n, build))

        pr_cmd = [pr, "run", "--no-config", "--no-record", "--json", os.path.join(tmp, "pr.json")]
        gb_cmd = [gb, "--benchmark_out=" + os.path.join(tmp, "gb.json"),
                  "--benchmark_out_format=json"]
        if filtered:
            pr_cmd += [a for n in names for a in ("--filter", n)]
            gb_cmd.append("--benchmark_filter=^(%s)$" % "|".join(names))

        pr_runs, gb_runs, walls = [], [], ([], [])
        pr_context, gb_context = {}, {}
        load_start = os.getloadavg()
        if load_start[0] > 0.5:
            print("%s: load average %.2f before the first run: other work is running and the "
                  "figures will spread; prefer an idle machine" % (PROG, load_start[0]),
                  file=sys.stderr)
        for i in range(args.rounds):
            print("%s: round %d/%d" % (PROG, i + 1, args.rounds), file=sys.stderr, flush=True)
            what = "perfreg_eval, round %d" % (i + 1)
            wall_s = run(pr_cmd, tmp, what)[1]
            pr_runs.append(perfreg_ns(os.path.join(tmp, "pr.json"), names, what))
            pr_context = load_json(os.path.join(tmp, "pr.json"), what).get("context", {})
            walls[0].append(wall_s)

            what = "perfreg_eval_gbench, round %d" % (i + 1)
            wall_s = run(gb_cmd, tmp, what)[1]
            figures, gb_context = gbench_ns(os.path.join(tmp, "gb.json"), names, what)
            gb_runs.append(figures)
            walls[1].append(wall_s)
        load_end = os.getloadavg()

    rows, wall = summarise(names, pr_runs, gb_runs, walls)
    scope = "the whole eval suite" if not filtered else "%d of the %d eval workloads" % (
        len(names), len(WORKLOADS))
    out = ["perfreg vs Google Benchmark: %d rounds A B A B, each a fresh-process default run "
           "of %s" % (args.rounds, scope), ""]
    out += machine(build, pr_context, gb_context)
    out.append("Load:      %.2f at the start, %.2f at the end (1-minute load average)" % (
        load_start[0], load_end[0]))
    out.append("")
    out += text_table(rows, wall)
    out.append("(medians over the rounds; ratio perfreg/GB; cv: spread across the rounds' "
               "processes)")
    out.append("")
    out.append("Targets:")
    out += targets(rows, wall, filtered)
    if args.markdown:
        out += ["", "Markdown:", ""] + markdown_table(rows, wall)
    print("\n".join(out))


if __name__ == "__main__":
    main()
