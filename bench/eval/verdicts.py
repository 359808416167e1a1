#!/usr/bin/env python3
"""Verdict quality of `compare --fail=mean:10%`: on unchanged code (A/A)
and on slowdowns made of real extra work, in both of perfreg's modes.

usage: bench/eval/verdicts.py [--build DIR] [--modes ab,baseline] [--aa N]
                              [--per-level N] [--per-level-runs N] [--levels 5,10,15,20,50]
                              [--bundled-aa N] [--order-check N]
                              [--baseline-runs N] [--markdown] [--keep DIR]

The builds: bench/eval/ab/P<L>/perfreg_eval_ab is the eval suite with L%
more of its own work compiled in (bench/eval/eval_suite.c: on L of every
100 iterations the body runs twice; eval/empty_loop is never slowed); P0,
the baseline, runs the same counting loop with L = 0, so two builds differ
in one constant. The bundled suite (bench/perfreg_bench) is compared with a
copy of itself (A/A only).

  ab        `CANDIDATE compare --against-exe BASELINE --fail mean:10%`, each
            an interleaved A/B with perfreg's default budget: --aa A/A
            comparisons of P0 against P0, --per-level comparisons of each
            P<L> against P0, --bundled-aa of the bundled suite against its
            copy, and --order-check A/A comparisons with --order
            candidate-second (the candidate always second in its pair).
  baseline  the committed-baseline mode: a baseline of --baseline-runs runs
            (save-baseline --run --runs N), then fresh default runs compared
            against it with `perfreg compare --results RUN --baseline BASE
            --fail mean:10%`: --aa runs of P0, --per-level-runs of each P<L>,
            --bundled-aa runs of the bundled suite against its own baseline.
            A slowed run slows one benchmark (PERFREG_EVAL_SLOW, in turn), as
            a change that slows one function does, and its other benchmarks
            count as unchanged: slowing them all would look like a machine
            that got slower, which this mode takes out as the suite's shift.

Each benchmark comparison is counted by the verdict of its mean: fail,
inconclusive or pass. Slowed levels leave eval/empty_loop out (it is
unchanged, and counted apart). The slowdown each benchmark really got is
measured too: the median of its A/B estimates over the level's
comparisons. Nothing here is a test: it prints figures, as Markdown with
--markdown.
"""
import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from overhead import machine  # bench/eval/overhead.py, beside this script

VERDICTS = ("fail", "inconclusive", "pass")
# the eval suite's benchmarks a slowdown applies to (all but the empty loop)
SLOWED = ("eval/spin_10ns", "eval/spin_1us", "eval/spin_1ms", "eval/memcpy_64",
          "eval/memcpy_64k", "eval/qsort_10k")
# bands of the slowdown measured by A/B, for judging detection against what
# each benchmark really got (the injection is not exact: docs/performance.md)
BANDS = ((-1.0, 0.02, "under 2%"), (0.02, 0.045, "2-4.5%"), (0.045, 0.065, "4.5-6.5%"),
         (0.065, 0.09, "6.5-9%"), (0.09, 0.11, "9-11%"), (0.11, 0.14, "11-14%"),
         (0.14, 0.17, "14-17%"), (0.17, 0.25, "17-25%"), (0.25, 10.0, "over 25%"))


def call(cmd, ok=(0,), env=None):
    t0 = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          universal_newlines=True, env=env)
    if proc.returncode not in ok:
        sys.exit("verdicts: %s exited %d: %s" % (" ".join(cmd), proc.returncode,
                                                 proc.stderr.strip()[-500:]))
    return time.monotonic() - t0


def entries(path):
    with open(path) as f:
        doc = json.load(f)
    out = {}
    for e in doc["benchmarks"]:
        if e["kind"] != "matched":
            continue
        m = e["metrics"]["mean"]
        out[e["name"]] = {"verdict": m["verdict"], "estimate": m["estimate"],
                          "resolution": m["resolution"], "rounds": e["rounds"],
                          "shifted": m["shifted"]}
    return out, doc


class Tally:
    def __init__(self):
        self.c = {}      # (group, level, bench) -> {verdict: n}
        self.rounds = {}  # (group, level, bench) -> [rounds]
        self.res = {}    # (group, level, bench) -> [resolution]
        self.est = {}    # (group, level, bench) -> [estimate]
        self.wall = {}   # (group, level) -> [seconds per comparison]
        self.shifts = {}  # group -> [suite shifts seen]

    def add(self, group, level, found, wall=None, skip=()):
        for name, e in found.items():
            if name in skip:
                continue
            key = (group, level, name)
            d = self.c.setdefault(key, dict.fromkeys(VERDICTS, 0))
            d[e["verdict"]] += 1
            if e["rounds"] is not None:
                self.rounds.setdefault(key, []).append(e["rounds"])
            if e["resolution"] is not None:
                self.res.setdefault(key, []).append(e["resolution"])
            if e["estimate"] is not None:
                self.est.setdefault(key, []).append(e["estimate"])
        if wall is not None:
            self.wall.setdefault((group, level), []).append(wall)

    def totals(self, group, level, benches=None):
        d = dict.fromkeys(VERDICTS, 0)
        for (g, lv, name), c in self.c.items():
            if g == group and lv == level and (benches is None or name in benches):
                for v in VERDICTS:
                    d[v] += c[v]
        return d

    def benches(self, group):
        return sorted({name for (g, _, name) in self.c if g == group})


def pct(k, n):
    return "%d (%.1f%%)" % (k, 100.0 * k / n) if n else "-"


def med(xs, scale=1.0, fmt="%.1f"):
    return fmt % (scale * statistics.median(xs)) if xs else "-"


def table(head, rows, markdown):
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + " --- |" * len(head))
        for r in rows:
            print("| " + " | ".join(r) + " |")
    else:
        w = [max(len(r[j]) for r in rows + [head]) for j in range(len(head))]
        for r in [head] + rows:
            print("  ".join(c.ljust(x) for c, x in zip(r, w)))
    print("")


def run_ab(args, exe, tmp, tally, seeds):
    """The A/B comparisons."""
    p0 = exe("P0")
    jobs = [("eval", 0, p0, [])] * args.aa
    for lv in args.levels:
        jobs += [("eval", lv, exe("P%d" % lv), [])] * args.per_level
    jobs += [("order", 0, p0, ["--order", "candidate-second"])] * args.order_check
    if args.bundled_aa:
        copy = os.path.join(tmp, "perfreg_bench")
        shutil.copy2(args.bundled, copy)
        jobs += [("bundled", 0, args.bundled, [])] * args.bundled_aa
    # interleave the kinds, so that a quiet or a busy hour falls on all alike
    order = sorted(range(len(jobs)), key=lambda i: (i * 7919) % len(jobs))
    started = time.monotonic()
    for done, i in enumerate(order):
        group, level, cand, extra = jobs[i]
        base = copy if group == "bundled" else p0
        out = os.path.join(tmp, "ab_%s_%d_%d.json" % (group, level, i))
        seed = str(next(seeds))
        took = call([cand, "compare", "--no-config", "--against-exe", base, "--no-record",
                     "--fail", "mean:10%", "--format", "json", "-o", out, "--seed", seed] + extra,
                    ok=(0, 1))
        found, _ = entries(out)
        skip = ("eval/empty_loop",) if level else ()
        tally.add(group, level, found, took, skip)
        if level and "eval/empty_loop" in found:
            tally.add("empty_in_slowed", 0, {"eval/empty_loop": found["eval/empty_loop"]})
        print("ab %d/%d (%s %d%%) %.0f s" % (done + 1, len(jobs), group, level,
                                               time.monotonic() - started), file=sys.stderr)


def run_baseline(args, exe, tmp, tally):
    """The committed-baseline comparisons."""
    store = os.path.join(tmp, "store")
    bdir = os.path.join(tmp, "baselines")
    suites = [("eval", exe("P0")), ("bundled", args.bundled)] if args.bundled_aa else \
        [("eval", exe("P0"))]
    base = {}
    for group, suite in suites:
        call([suite, "save-baseline", "--no-config", "--run", "--runs", str(args.baseline_runs),
              "--store", store, "--baselines", bdir])
        name = os.path.basename(suite)
        base[group] = os.path.join(bdir, name + ".json")
    slowed = [b for b in SLOWED]
    jobs = [("eval", 0, exe("P0"), None)] * args.aa
    for lv in args.levels:
        jobs += [("eval", lv, exe("P%d" % lv), slowed[k % len(slowed)])
                 for k in range(args.per_level_runs)]
    if args.bundled_aa:
        jobs += [("bundled", 0, args.bundled, None)] * args.bundled_aa
    order = sorted(range(len(jobs)), key=lambda i: (i * 7919) % len(jobs))
    started = time.monotonic()
    for done, i in enumerate(order):
        group, level, suite, one = jobs[i]
        env = dict(os.environ)
        env.pop("PERFREG_EVAL_SLOW", None)
        if one:
            env["PERFREG_EVAL_SLOW"] = one
        run = os.path.join(tmp, "run_%s_%d_%d.json" % (group, level, i))
        took = call([suite, "run", "--no-config", "--no-record", "--json", run], env=env)
        out = os.path.join(tmp, "cmp_%s_%d_%d.json" % (group, level, i))
        call([args.perfreg, "compare", "--no-config", "--results", run, "--baseline",
              base[group], "--fail", "mean:10%", "--format", "json", "-o", out], ok=(0, 1))
        found, doc = entries(out)
        if doc.get("suite_shift"):
            tally.shifts.setdefault(group, []).append(doc["suite_shift"]["change"])
        if one:
            tally.add("b_" + group, level, {one: found[one]} if one in found else {}, took)
            tally.add("b_" + group, 0, {k: v for k, v in found.items() if k != one})
        else:
            tally.add("b_" + group, level, found, took)
        print("baseline %d/%d (%s %d%%) %.0f s" % (done + 1, len(jobs), group, level,
                                                     time.monotonic() - started),
              file=sys.stderr)


def report_mode(args, tally, mode):
    g = "b_eval" if mode == "baseline" else "eval"
    md = args.markdown
    title = {"ab": "A/B (compare --against-exe)", "baseline": "committed baseline of %d runs"
             % args.baseline_runs}[mode]
    print(("### " if md else "") + "Verdicts, %s, --fail=mean:10%%" % title)
    print("")
    head = ["injected", "comparisons", "fail", "inconclusive", "pass", "median rounds",
            "median resolution", "s per suite comparison"]
    rows = []
    for lv in [0] + args.levels:
        t = tally.totals(g, lv)
        n = sum(t.values())
        rounds = [r for (gg, l, _), rs in tally.rounds.items() if gg == g and l == lv for r in rs]
        res = [r for (gg, l, _), rs in tally.res.items() if gg == g and l == lv for r in rs]
        rows.append(["%d%%%s" % (lv, " (A/A)" if lv == 0 else ""), str(n), pct(t["fail"], n),
                     pct(t["inconclusive"], n), pct(t["pass"], n), med(rounds, fmt="%.0f"),
                     med(res, 100, "%.1f%%"), med(tally.wall.get((g, lv), []), fmt="%.2f")])
    table(head, rows, md)
    if mode == "ab" and args.levels and tally.est:
        print("By the slowdown each benchmark really got (the median A/B estimate of its "
              "level; levels that slowed nothing measurable count under 2%):")
        print("")
        head2 = ["measured slowdown", "comparisons", "fail", "inconclusive", "pass"]
        rows2 = []
        for lo, hi, label in BANDS:
            d = dict.fromkeys(VERDICTS, 0)
            for (gg, lv, name), c in tally.c.items():
                if gg != g or lv == 0:
                    continue
                m = tally.est.get(("eval", lv, name))
                if not m or not (lo <= statistics.median(m) < hi):
                    continue
                for v in VERDICTS:
                    d[v] += c[v]
            n = sum(d.values())
            if n:
                rows2.append([label, str(n), pct(d["fail"], n), pct(d["inconclusive"], n),
                              pct(d["pass"], n)])
        table(head2, rows2, md)
    print("Per benchmark (fail / inconclusive / pass; the slowdown measured by A/B; the "
          "median resolution):")
    print("")
    head = ["benchmark"] + ["%d%%" % lv for lv in [0] + args.levels]
    rows = []
    for name in tally.benches(g):
        row = [name]
        for lv in [0] + args.levels:
            c = tally.c.get((g, lv, name))
            if not c:
                row.append("-")
                continue
            measured = tally.est.get(("eval", lv, name))
            cell = "%d/%d/%d" % (c["fail"], c["inconclusive"], c["pass"])
            if lv and measured:
                cell += " (%+.1f%%)" % (100 * statistics.median(measured))
            cell += " ±%s" % med(tally.res.get((g, lv, name), []), 100, "%.0f%%")
            row.append(cell)
        rows.append(row)
    table(head, rows, md)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--modes", default="ab,baseline")
    ap.add_argument("--aa", type=int, default=43)
    ap.add_argument("--per-level", type=int, default=10,
                    help="A/B comparisons per level (each slows 6 benchmarks)")
    ap.add_argument("--per-level-runs", type=int, default=60,
                    help="committed-baseline runs per level (each slows one benchmark)")
    ap.add_argument("--levels", default="5,10,15,20,50")
    ap.add_argument("--bundled-aa", type=int, default=34)
    ap.add_argument("--order-check", type=int, default=15)
    ap.add_argument("--baseline-runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--keep", metavar="DIR", help="keep every file in DIR")
    args = ap.parse_args()
    args.levels = [int(x) for x in args.levels.split(",") if x]
    modes = [m for m in args.modes.split(",") if m]
    args.perfreg = os.path.join(args.build, "perfreg")
    args.bundled = os.path.join(args.build, "bench", "perfreg_bench")
    exe = lambda p: os.path.join(args.build, "bench", "eval", "ab", p,  # noqa: E731
                                 "perfreg_eval_ab")
    for path in [args.perfreg, args.bundled] + [exe("P%d" % lv) for lv in [0] + args.levels]:
        if not os.access(path, os.X_OK):
            sys.exit("verdicts: %s is missing: cmake -S . -B %s -DCMAKE_BUILD_TYPE=Release && "
                     "cmake --build %s" % (path, args.build, args.build))
    seeds = iter(range(args.seed * 100000, args.seed * 100000 + 100000))
    tally = Tally()
    began = datetime.datetime.now(datetime.timezone.utc)
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="perfreg-verdicts-") as scratch:
        tmp = args.keep or scratch
        os.makedirs(tmp, exist_ok=True)
        if "ab" in modes:
            run_ab(args, exe, tmp, tally, seeds)
        if "baseline" in modes:
            run_baseline(args, exe, tmp, tally)
    ended = datetime.datetime.now(datetime.timezone.utc)
    load1 = os.getloadavg()

    print("Machine: %s" % machine())
    print("Run %s to %s UTC; load average %.2f at the start, %.2f at the end" % (
        began.strftime("%Y-%m-%d %H:%M"), ended.strftime("%H:%M"), load0[0], load1[0]))
    print("")
    for mode in modes:
        report_mode(args, tally, mode)
    if "ab" in modes:
        md = args.markdown
        head = ["A/A", "comparisons", "fail", "inconclusive", "pass", "median rounds",
                "s per suite comparison"]
        rows = []
        for g, label in (("bundled", "bundled suite, A/B against a copy"),
                         ("order", "eval suite, candidate always second"),
                         ("empty_in_slowed", "eval/empty_loop in the slowed builds")):
            t = tally.totals(g, 0)
            n = sum(t.values())
            if not n:
                continue
            rounds = [r for (gg, _, _), rs in tally.rounds.items() if gg == g for r in rs]
            rows.append([label, str(n), pct(t["fail"], n), pct(t["inconclusive"], n),
                         pct(t["pass"], n), med(rounds, fmt="%.0f"),
                         med(tally.wall.get((g, 0), []), fmt="%.2f")])
        table(head, rows, md)
    if "ab" in modes and "baseline" in modes and args.bundled_aa:
        ab_wall = tally.wall.get(("bundled", 0), [])
        run_wall = tally.wall.get(("b_bundled", 0), [])
        if ab_wall and run_wall:
            print("Bundled suite: an A/B comparison takes %.2f s (median), one default run "
                  "%.2f s: %.2f times" % (statistics.median(ab_wall), statistics.median(run_wall),
                                         statistics.median(ab_wall) /
                                         statistics.median(run_wall)))
            print("")
    if "baseline" in modes and args.bundled_aa:
        t = tally.totals("b_bundled", 0)
        n = sum(t.values())
        print("Committed baseline, bundled suite A/A: %d comparisons, fail %s, inconclusive %s, "
              "pass %s" % (n, pct(t["fail"], n), pct(t["inconclusive"], n), pct(t["pass"], n)))
        print("")
        # 20% slowdowns where the baseline resolves below 20%
        sub = {"fail": 0, "n": 0}
        for name in tally.benches("b_eval"):
            res = tally.res.get(("b_eval", 20, name), [])
            c = tally.c.get(("b_eval", 20, name))
            if c and res and statistics.median(res) < 0.20:
                sub["fail"] += c["fail"]
                sub["n"] += sum(c.values())
        print("Committed baseline, 20%% slowdowns on benchmarks resolving under 20%%: failed %s" %
              pct(sub["fail"], sub["n"]))
        for g, xs in sorted(tally.shifts.items()):
            print("Suite shifts reported (%s): %d, median %+.1f%%" % (
                g, len(xs), 100 * statistics.median(xs)))


if __name__ == "__main__":
    main()
