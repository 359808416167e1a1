#!/usr/bin/env python3
"""Collects paired A/B process measurements of the eval suite's builds, for
choosing the A/B comparison's rules offline (bench/eval/ab_rules.py).

usage: ab_collect.py [--build build] [--rounds 100] [--levels 0,5,10,15,20,50]
                     [--min-time 0.02] [--samples 5] [--warmup 0.005] [--seed 1]
                     -o OUT.json

Each round, for each level L and each benchmark in random order, runs the
worker protocol (`SUITE measure --bench NAME ...`) once in the baseline build
(bench/eval/ab/P0) and once in the build slowed by L% (ab/P<L>), in random
order, back to back: exactly the processes `compare --against-exe` runs.
Level 0 pairs two processes of the baseline build (A/A). The first process
of each side calibrates; later ones take the candidate's iteration count.
Writes every process's samples; prints progress. Python standard library
only; a measurement, not a test.
"""
import argparse, json, os, random, subprocess, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
ap.add_argument("--rounds", type=int, default=100)
ap.add_argument("--levels", default="0,5,10,15,20,50")
ap.add_argument("--min-time", default="0.02")
ap.add_argument("--samples", default="5")
ap.add_argument("--min-samples", default="1")
ap.add_argument("--warmup", default="0.005")
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--bench", action="append")
ap.add_argument("-o", "--output", required=True)
a = ap.parse_args()

levels = [int(x) for x in a.levels.split(",")]
exe = lambda p: os.path.join(a.build, "bench", "eval", "ab", "P%d" % p, "perfreg_eval_ab")
names = a.bench or subprocess.run([exe(0), "measure", "--list"], capture_output=True, text=True,
                                  check=True).stdout.split("\n")[1:]
names = [n for n in names if n]
rng = random.Random(a.seed)
iters = {}  # (level, bench) -> the candidate's calibrated count


def measure(path, bench, iterations):
    out = subprocess.run([path, "measure", "--bench", bench, "--iterations", str(iterations),
                          "--samples", a.samples, "--min-samples", a.min_samples,
                          "--min-time", a.min_time, "--warmup", a.warmup],
                         capture_output=True, text=True, check=True).stdout
    r = json.loads(out)["benchmarks"][0]
    return r["iterations_per_sample"], r["samples_ns"]


data = {"options": vars(a), "benchmarks": names, "levels": levels, "pairs": []}
start = time.time()
for rnd in range(a.rounds):
    for level in levels:
        order = names[:]
        rng.shuffle(order)
        for b in order:
            cand_first = rng.random() < 0.5
            n = iters.get((level, b), 0)
            pair = {}
            for side in (["candidate", "baseline"] if cand_first else ["baseline", "candidate"]):
                it, s = measure(exe(level if side == "candidate" else 0), b, n)
                if side == "candidate" and n == 0:
                    iters[(level, b)] = it
                pair[side] = s
            data["pairs"].append({"round": rnd, "level": level, "bench": b,
                                  "candidate_first": cand_first, "t": time.time() - start,
                                  "baseline": pair["baseline"], "candidate": pair["candidate"]})
    print("round %d/%d, %.0f s" % (rnd + 1, a.rounds, time.time() - start), file=sys.stderr)
    with open(a.output, "w") as f:
        json.dump(data, f)
