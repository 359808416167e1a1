#!/usr/bin/env python3
"""Writes the synthetic perfreg results files that bench/eval/overhead.py
times perfreg on: a baseline and a run to compare, and run stores for
`perfreg history`. Deterministic: the same arguments give the same bytes.

usage: overhead_data.py pair BASE.json RUN.json --benchmarks N [--samples S] [--seed X]
       overhead_data.py store ROOT --suite NAME --runs R --benchmarks N [--samples S] [--seed X]

The files are in perfreg's results format (docs/json-format.md), written
the way perfreg writes them: two-space indent, arrays of numbers on one
line, statistics included (perfreg recomputes them on reading, so they
cost parsing time as in a real file), memory and allocs figures as an
isolated run has them. Benchmark i's data depends only on the seed and i
(and the run), so a smaller file is a prefix of a larger one.

pair: the run has the baseline's benchmarks with fresh noise; 3% regressed
by 15-40%, 3% improved by 15-30%, 0.5% only in the baseline, 0.5% only in
the run; one in ten benchmarks is noisy (+-5% and a slow outlier), the
rest within +-1%.

store: R runs of one suite under ROOT/runs/SUITE/NNNN_<commit>_<date>.json,
each with its own fake commit, subject and date six hours apart, all from
one machine; 2% of the benchmarks step up by 30% at some run between the
5th and the 100th. Run r of benchmark i is the same in every store, so a
store of 25 runs is the first 25 runs of one of 100.
Python 3 standard library only.
"""
import argparse
import hashlib
import json
import math
import os
import random
import time

CONTEXT = {
    "date": None,
    "host": "eval-host",
    "os": "Linux",
    "kernel": "6.1.0-18-amd64",
    "arch": "x86_64",
    "cpu_model": "Synthetic CPU @ 3.0GHz",
    "logical_cores": 2,
    "compiler": "gcc 12.2.0",
    "build_type": "Release",
    "build_flags": "-O2 -DNDEBUG",
    "optimized": True,
    "clock": {"name": "CLOCK_MONOTONIC", "cost_ns": 26.5, "step_ns": 20, "resolution_ns": 1},
    "perfreg_version": "0.1.0",
    "options": {"min_time_s": 0.4, "warmup_s": 0.05, "samples": 20, "iterations": 0},
}
SAMPLE_NS = 0.4e9 / 50  # calibrated time of one sample, as perfreg's defaults give


def num(x):
    """A number as perfreg writes it: integers without a fraction."""
    if x == math.floor(x) and abs(x) < 2 ** 53:
        return str(int(x))
    return repr(x)


def quantile(xs, p):
    """Type 7 quantile of the sorted list XS."""
    pos = p * (len(xs) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def stats(samples):
    xs = sorted(samples)
    n = len(xs)
    mean = sum(xs) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1)) if n > 1 else 0.0
    med, q1, q3 = quantile(xs, 0.5), quantile(xs, 0.25), quantile(xs, 0.75)
    iqr = q3 - q1
    mad = quantile(sorted(abs(x - med) for x in xs), 0.5)
    mild = severe = 0
    for x in xs:
        if x < q1 - 3 * iqr or x > q3 + 3 * iqr:
            severe += 1
        elif x < q1 - 1.5 * iqr or x > q3 + 1.5 * iqr:
            mild += 1
    return [("n", n), ("min_ns", xs[0]), ("max_ns", xs[-1]), ("mean_ns", mean),
            ("median_ns", med), ("stddev_ns", sd), ("q1_ns", q1), ("q3_ns", q3),
            ("iqr_ns", iqr), ("mad_ns", mad), ("cv", sd / mean if mean else 0),
            ("ops_per_second", 1e9 / mean if mean else 0), ("outliers_mild", mild),
            ("outliers_severe", severe)]


def bench_name(i):
    return "group%03d/bench_%05d" % (i // 100, i)


def bench_shape(seed, i):
    """Benchmark i's level (ns per iteration), noise and its role."""
    rnd = random.Random("%d:shape:%d" % (seed, i))
    level = math.exp(rnd.uniform(math.log(5), math.log(5e6)))
    noisy = rnd.random() < 0.1
    u = rnd.random()
    role = ("regressed" if u < 0.03 else "improved" if u < 0.06 else
            "gone" if u < 0.065 else "new" if u < 0.07 else "same")
    change = (rnd.uniform(0.15, 0.40) if role == "regressed" else
              -rnd.uniform(0.15, 0.30) if role == "improved" else 0.0)
    # 2% of the benchmarks step up by 30% at a run of their own (run
    # numbers 5-99, whatever the store's size, so a smaller store is the
    # first runs of a larger one)
    step = rnd.randrange(5, 100) if rnd.random() < 0.02 else None
    return level, noisy, role, change, step


def samples_of(rnd, level, noisy, n):
    """N per-iteration times as a calibrated sample gives them: a whole
    number of ns for the sample divided by a whole number of iterations."""
    iters = max(1, int(SAMPLE_NS / level))
    spread = 0.05 if noisy else 0.01
    out = []
    for _ in range(n):
        t = level * (1 + rnd.uniform(-spread, spread))
        out.append(round(t * iters) / iters)
    if noisy:
        out[rnd.randrange(n)] *= 1.3
    return iters, out


def bench_text(name, iters, samples, level):
    st = stats(samples)
    mean = dict(st)["mean_ns"]
    lines = [
        "    {",
        '      "name": %s,' % json.dumps(name),
        '      "status": "ok",',
        '      "error": null,',
        '      "iterations_per_sample": %d,' % iters,
        '      "samples_ns": [%s],' % ", ".join(num(x) for x in samples),
        '      "stats": {',
        ",\n".join('        "%s": %s' % (k, num(v)) for k, v in st),
        "      },",
        '      "bytes_per_iteration": 1024,',
        '      "bytes_per_second": %s,' % num(1024 / (mean / 1e9)),
        '      "total_time_s": %s,' % num(round(0.45 + level * 1e-9, 6)),
        '      "memory": {',
        '        "peak_rss_bytes": 2691072,',
        '        "baseline_rss_bytes": 2236416,',
        '        "memory_bytes": 454656',
        "      },",
        '      "allocs": {',
        '        "per_iteration": 0,',
        '        "bytes_per_iteration": 0',
        "      }",
        "    }",
    ]
    return "\n".join(lines)


def write_doc(path, suite, date, git, bench_texts):
    ctx = dict(CONTEXT, date=date)
    head = json.dumps({"schema_version": 1, "suite": suite, "context": ctx, "git": git},
                      indent=2)
    with open(path, "w") as f:
        f.write(head[:-2])  # drop the closing "\n}"
        f.write(',\n  "benchmarks": [\n')
        f.write(",\n".join(bench_texts))
        f.write("\n  ]\n}\n")


def no_git():
    return {"commit": None, "short_commit": None, "branch": None, "dirty": None,
            "subject": None, "commit_time": None, "author_time": None}


def write_pair(base_path, run_path, n, n_samples, seed):
    base, run = [], []
    for i in range(n):
        level, noisy, role, change, _ = bench_shape(seed, i)
        if role != "new":
            rnd = random.Random("%d:base:%d" % (seed, i))
            iters, xs = samples_of(rnd, level, noisy, n_samples)
            base.append(bench_text(bench_name(i), iters, xs, level))
        if role != "gone":
            rnd = random.Random("%d:run:%d" % (seed, i))
            iters, xs = samples_of(rnd, level * (1 + change), noisy, n_samples)
            run.append(bench_text(bench_name(i), iters, xs, level))
    git = dict(no_git(), commit="0" * 40, short_commit="0000000", branch="main", dirty=False,
               subject="baseline", commit_time="2026-11-20T12:00:00Z",
               author_time="2026-11-20T12:00:00Z")
    write_doc(base_path, "eval_suite", "2026-11-20T12:05:00Z", git, base)
    git = dict(git, commit="1" * 40, short_commit="1111111", subject="the change",
               commit_time="2026-11-23T08:30:00Z", author_time="2026-11-23T08:30:00Z")
    write_doc(run_path, "eval_suite", "2026-11-23T08:35:00Z", git, run)


def iso(seconds):

    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def write_store(root, suite, n_runs, n, n_samples, seed):
    folder = os.path.join(root, "runs", suite)
    os.makedirs(folder, exist_ok=True)
    start = 1788220800  # 2026-09-01T00:00:00Z
    shapes = [bench_shape(seed, i) for i in range(n)]
    for r in range(n_runs):
        t = start + r * 6 * 3600
        commit = hashlib.sha1(("%d:commit:%d" % (seed, r)).encode()).hexdigest()
        git = {"commit": commit, "short_commit": commit[:7], "branch": "main", "dirty": False,
               "subject": "change %d: tune the hot loop" % r, "commit_time": iso(t - 600),
               "author_time": iso(t - 3600)}
        texts = []
        for i, (level, noisy, _, _, step) in enumerate(shapes):
            if step is not None and r >= step:
                level *= 1.3
            rnd = random.Random("%d:store:%d:%d" % (seed, r, i))
            level *= 1 + rnd.uniform(-0.01, 0.01)  # run-to-run drift
            iters, xs = samples_of(rnd, level, noisy, n_samples)
            texts.append(bench_text(bench_name(i), iters, xs, level))
        date = iso(t)
        name = "%04d_%s_%s.json" % (r + 1, commit[:7], date.replace("-", "").replace(":", ""))
        write_doc(os.path.join(folder, name), suite, date, git, texts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    p = sub.add_parser("pair")
    p.add_argument("base")
    p.add_argument("run")
    s = sub.add_parser("store")
    s.add_argument("root")
    s.add_argument("--suite", default="eval_suite")
    s.add_argument("--runs", type=int, required=True)
    for q in (p, s):
        q.add_argument("--benchmarks", type=int, required=True)
        q.add_argument("--samples", type=int, default=20)
        q.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.what == "pair":
        write_pair(a.base, a.run, a.benchmarks, a.samples, a.seed)
    else:
        write_store(a.root, a.suite, a.runs, a.benchmarks, a.samples, a.seed)


if __name__ == "__main__":
    main()
