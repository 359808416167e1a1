#!/usr/bin/env python3
"""Measures perfreg against Google Benchmark in one session.

Both harnesses run the same C functions (bench/workloads.c and perfreg's own
code) built with the same flags: perfreg_bench and perfreg_bench_gbench from
the same build. They run alternately, A B A B, each run a fresh process, and
the figures are medians over the rounds.

  1. accuracy: ns per iteration of each workload under each harness (perfreg's
     mean against Google Benchmark's real_time, which is also a mean), and
     their ratio;
  2. cost: wall time of each harness's default run of the whole suite.

usage: bench/compare_gbench.py [--build DIR] [--rounds N] [--filter REGEX]
Needs Debian's libbenchmark-dev at configure time (for perfreg_bench_gbench).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time


def run(cmd, cwd):
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit("compare_gbench: %s exited %d:\n%s" % (" ".join(cmd), proc.returncode,
                                                        proc.stderr))
    return proc.stdout, wall


def cv(values):
    return 100 * statistics.stdev(values) / statistics.mean(values) if len(values) > 1 else 0


def perfreg_times(out):
    doc = json.loads(out)
    return {b["name"]: b["stats"]["mean_ns"] for b in doc["benchmarks"] if b["status"] == "ok"}


def gbench_times(out):
    doc = json.loads(out)
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
    return {b["name"]: b["real_time"] * scale[b["time_unit"]] for b in doc["benchmarks"]
            if b.get("run_type", "iteration") == "iteration" and "error_occurred" not in b}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build", help="CMake build folder (default: build)")
    ap.add_argument("--rounds", type=int, default=5, help="A/B pairs (default 5)")
    ap.add_argument("--filter", default="classic/(spin_1us|empty_loop)",
                    help="workloads for the accuracy table, a regex (default: %(default)s)")
    args = ap.parse_args()

    pr = os.path.abspath(os.path.join(args.build, "bench", "perfreg_bench"))
    gb = os.path.abspath(os.path.join(args.build, "bench", "perfreg_bench_gbench"))
    for exe in (pr, gb):
        if not os.access(exe, os.X_OK):
            sys.exit("compare_gbench: %s is missing (build with libbenchmark-dev installed)" % exe)
    names = [n for n in run([pr, "list"], ".")[0].split() if re.fullmatch(args.filter, n)]
    if not names:
        sys.exit("compare_gbench: --filter %r matches no workload" % args.filter)

    acc = {n: ([], []) for n in names}
    walls = ([], [])
    with tempfile.TemporaryDirectory() as tmp:
        pr_filter = [a for n in names for a in ("--filter", n)]
        for _ in range(args.rounds):
            out, _w = run([pr, "run", "--json", "-", "--no-record"] + pr_filter, tmp)
            for n, v in perfreg_times(out).items():
                acc[n][0].append(v)
            out, _w = run([gb, "--benchmark_format=json",
                           "--benchmark_filter=^(%s)$" % "|".join(map(re.escape, names))], tmp)
            for n, v in gbench_times(out).items():
                if n in acc:
                    acc[n][1].append(v)
        for _ in range(max(3, args.rounds // 2)):
            walls[0].append(run([pr, "run", "--no-record"], tmp)[1])
            walls[1].append(run([gb], tmp)[1])

    print("perfreg vs Google Benchmark, %d alternating rounds, fresh process each" % args.rounds)
    print()
    print("%-26s %13s %13s %8s %10s %10s" % ("workload", "perfreg ns/op", "gbench ns/op",
                                             "ratio", "perfreg cv", "gbench cv"))
    for n in names:
        p, g = statistics.median(acc[n][0]), statistics.median(acc[n][1])
        print("%-26s %13.4g %13.4g %8.4f %9.1f%% %9.1f%%" % (n, p, g, p / g, cv(acc[n][0]),
                                                             cv(acc[n][1])))
    print("(medians over the rounds; cv: spread of the per-process figures across rounds)")
    print()
    pw, gw = statistics.median(walls[0]), statistics.median(walls[1])
    print("whole-suite default run, wall time (median of %d):" % len(walls[0]))
    print("  perfreg %.2f s, Google Benchmark %.2f s, ratio %.2f" % (pw, gw, pw / gw))


main()
