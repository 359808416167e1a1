#!/usr/bin/env python3
"""Verdict quality: how often `compare --fail=mean:10%` cries wolf on
unchanged code, and how often it catches a real slowdown.

usage: bench/eval/verdicts.py [--build DIR] [--pairs N] [--levels 5,10,20,50]
                              [--processes N] [--bundled-pairs N] [--markdown]
                              [--keep DIR | --rejudge DIR]

Every run is a fresh process of the suite with perfreg's default options
(plus --processes when given). For each of the N pairs:

  eval suite     a baseline run A, an unchanged run A', and one run per
                 slowdown level with PERFREG_EVAL_SLOWDOWN=L (each slowed
                 benchmark does L% more of its own work, bench/eval/
                 eval_suite.c); the order of the runs rotates from pair to
                 pair. A' against A counts false alarms, each level against
                 A counts catches (eval/empty_loop is never slowed and is
                 left out of the catches).
  bundled suite  (perfreg_bench) --bundled-pairs A/A pairs.

Each comparison is judged three ways on the same data:

  plain      --no-significance: the mean above +10% fails (pytest-benchmark's
             --benchmark-compare-fail rule)
  U test     the samples pooled as if from one process: the Mann-Whitney U
             test gates the +10% rule (perfreg before --processes)
  default    perfreg's compare as it is: with several processes a side,
             Welch's test on the per-process means, and a significant
             slowdown judged at the top of its confidence interval

Nothing here is a test: it prints figures.
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from overhead import machine  # bench/eval/overhead.py, beside this script

RULES = ("plain", "U test", "default")


def run_suite(exe, out, processes, slowdown=None):
    env = dict(os.environ)
    env.pop("PERFREG_EVAL_SLOWDOWN", None)
    if slowdown:
        env["PERFREG_EVAL_SLOWDOWN"] = str(slowdown)
    cmd = [exe, "run", "--no-config", "--no-record", "--json", out]
    if processes:
        cmd += ["--processes", str(processes)]
    t0 = time.monotonic()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          universal_newlines=True)
    if proc.returncode != 0:
        sys.exit("verdicts: %s exited %d: %s" % (" ".join(cmd), proc.returncode,
                                                 proc.stderr.strip()))
    return time.monotonic() - t0


def pooled(path, tmp):
    """A copy of the results file without its process boundaries."""
    with open(path) as f:
        doc = json.load(f)
    for b in doc["benchmarks"]:
        b.pop("process_samples", None)
    out = os.path.join(tmp, "pooled_" + os.path.basename(path))
    with open(out, "w") as f:
        json.dump(doc, f)
    return out


def judge(perfreg, base, cur, tmp):
    """{rule: {benchmark: (failing, change)}} for CUR against BASE."""
    verdicts = {}
    for rule in RULES:
        b, c, extra = base, cur, []
        if rule == "plain":
            extra = ["--no-significance"]
        elif rule == "U test":
            b, c = pooled(base, tmp), pooled(cur, tmp)
        out = os.path.join(tmp, "cmp.json")
        cmd = [perfreg, "compare", b, c, "--fail", "mean:10%", "--format", "json", "-o", out
               ] + extra
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              universal_newlines=True)
        if proc.returncode not in (0, 1):
            sys.exit("verdicts: %s exited %d: %s" % (" ".join(cmd), proc.returncode,
                                                     proc.stderr.strip()))
        with open(out) as f:
            doc = json.load(f)
        verdicts[rule] = {e["name"]: (e["failing"], e["metrics"]["mean"]["change"])
                          for e in doc["benchmarks"] if e["kind"] == "matched"}
    return verdicts


def print_table(head, rows, markdown):
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(r[j]) for r in rows + [head]) for j in range(len(head))]
    for r in [head] + rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))


def pct(k, n):
    return "%d/%d (%.1f%%)" % (k, n, 100.0 * k / n) if n else "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--pairs", type=int, default=20)
    ap.add_argument("--bundled-pairs", type=int, default=20)
    ap.add_argument("--levels", default="5,10,20,50")
    ap.add_argument("--processes", type=int, default=0,
                    help="run --processes N (default: perfreg's default)")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--keep", metavar="DIR", help="keep the results files in DIR")
    ap.add_argument("--rejudge", metavar="DIR",
                    help="run nothing: judge the files an earlier --keep DIR kept, with this "
                         "build's compare (same --pairs, --bundled-pairs and --levels)")
    args = ap.parse_args()
    perfreg = os.path.join(args.build, "perfreg")
    evalexe = os.path.join(args.build, "bench", "eval", "perfreg_eval")
    bundled = os.path.join(args.build, "bench", "perfreg_bench")
    for exe in (perfreg, evalexe, bundled):
        if not os.access(exe, os.X_OK):
            sys.exit("verdicts: %s is missing: cmake -S . -B %s -DCMAKE_BUILD_TYPE=Release && "
                     "cmake --build %s" % (exe, args.build, args.build))
    try:
        levels = [int(x) for x in args.levels.split(",") if x]
    except ValueError:
        sys.exit("verdicts: --levels: expected whole percentages, as in 5,10,20,50")

    # counts[(suite, rule, level)] = [failing, comparisons]; level 0 = A/A
    counts = {}
    changes = {}  # level -> measured mean changes of the slowed benchmarks
    wall = []
    started = time.monotonic()

    per_bench = {}  # (name, level) -> [failing, comparisons] under the default rule

    def tally(suite, level, verdicts, skip=()):
        for rule in RULES:
            c = counts.setdefault((suite, rule, level), [0, 0])
            for name, (failing, change) in verdicts[rule].items():
                if name in skip:
                    continue
                c[0] += failing
                c[1] += 1
                if rule == "default":
                    b = per_bench.setdefault((name, level), [0, 0])
                    b[0] += failing
                    b[1] += 1
                if rule == "default" and level:
                    changes.setdefault(level, []).append(change)

    with tempfile.TemporaryDirectory(prefix="perfreg-verdicts-") as scratch:
        tmp = args.rejudge or args.keep or scratch
        os.makedirs(tmp, exist_ok=True)
        if args.rejudge:
            run = lambda exe, out, processes, slowdown=None: None  # noqa: E731
        else:
            run = run_suite
        for i in range(args.pairs):
            jobs = [("A", 0), ("A2", 0)] + [("S%d" % lv, lv) for lv in levels]
            k = i % len(jobs)
            jobs = jobs[k:] + jobs[:k]
            files = {}
            for tag, lv in jobs:
                files[tag] = os.path.join(tmp, "eval_%d_%s.json" % (i, tag))
                took = run(evalexe, files[tag], args.processes, lv)
                if took is not None:
                    wall.append(took)
            tally("eval", 0, judge(perfreg, files["A"], files["A2"], tmp))
            for lv in levels:
                tally("eval", lv, judge(perfreg, files["A"], files["S%d" % lv], tmp),
                      skip=("eval/empty_loop",))
            print("eval pair %d/%d done (%.0f s)" % (i + 1, args.pairs,
                                                     time.monotonic() - started),
                  file=sys.stderr)
        for i in range(args.bundled_pairs):
            a = os.path.join(tmp, "bundled_%d_a.json" % i)
            b = os.path.join(tmp, "bundled_%d_b.json" % i)
            first, second = (a, b) if i % 2 == 0 else (b, a)
            run(bundled, first, args.processes)
            run(bundled, second, args.processes)
            tally("bundled", 0, judge(perfreg, a, b, tmp))
            print("bundled pair %d/%d done (%.0f s)" % (i + 1, args.bundled_pairs,
                                                        time.monotonic() - started),
                  file=sys.stderr)

    procs = args.processes or "default"
    print("Verdict quality, compare --fail=mean:10%%, --processes %s" % procs)
    print("%s; %s; %s" % (machine(), datetime.date.today().isoformat(),
                          "eval suite %d pairs, bundled suite %d pairs" % (
                              args.pairs, args.bundled_pairs)))
    print("one eval-suite run: median %.2f s wall" % statistics.median(wall) if wall
          else "re-judged the runs kept in %s" % args.rejudge)
    print("")
    head = ["rule", "A/A eval", "A/A bundled"] + ["%d%% caught" % lv for lv in levels]
    rows = []
    for rule in RULES:
        row = [rule, pct(*counts.get(("eval", rule, 0), [0, 0])),
               pct(*counts.get(("bundled", rule, 0), [0, 0]))]
        row += [pct(*counts.get(("eval", rule, lv), [0, 0])) for lv in levels]
        rows.append(row)
    print_table(head, rows, args.markdown)
    print("")
    print("per benchmark, default rule (A/A: false alarms; levels: caught):")
    head2 = ["benchmark", "A/A"] + ["%d%%" % lv for lv in levels]
    rows2 = []
    for name in sorted(set(n for n, _ in per_bench)):
        rows2.append([name] + ["%d/%d" % tuple(per_bench[(name, lv)]) if (name, lv) in per_bench
                               else "-" for lv in [0] + levels])
    print_table(head2, rows2, args.markdown)
    print("")
    print("measured mean change of the slowed benchmarks (median over comparisons):")
    for lv in levels:
        if changes.get(lv):
            print("  injected %d%%: %+.1f%%" % (lv, 100 * statistics.median(changes[lv])))
    aa = [counts.get(("eval", "default", 0), [0, 0]), counts.get(("bundled", "default", 0), [0, 0])]
    fa, na = sum(c[0] for c in aa), sum(c[1] for c in aa)
    print("")
    print("targets (default rule):")
    print("  A/A false alarms at most 1%%: %s (%s)" % (
        "met" if na and fa <= 0.01 * na else "NOT met", pct(fa, na)))
    for lv, goal in ((20, 1.0), (50, 1.0), (10, 0.9)):
        c = counts.get(("eval", "default", lv))
        if c:
            print("  %d%% caught %s: %s (%s)" % (
                lv, "every time" if goal == 1.0 else "at least 90%",
                "met" if c[0] >= goal * c[1] else "NOT met", pct(*c)))


if __name__ == "__main__":
    main()
