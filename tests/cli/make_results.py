#!/usr/bin/env python3
"""Writes a perfreg results file with samples of a chosen shape, for the
comparison tests.

usage: make_results.py OUT [--suite NAME] [--cpu MODEL] [--commit ID] [--dirty]
                         [--date ISO] [--branch NAME] [--subject TEXT] BENCH...
  BENCH is NAME=SHAPE:MEAN_NS[:N[:SEED]] with SHAPE one of
    tight     N samples within +-1% of MEAN_NS (clearly separated from
              another tight set whose mean differs by more than 2%)
    spread    N samples within +-5% of MEAN_NS
    tail      N samples within +-5% of MEAN_NS / 1.15, but the largest
              tenth lifted so that the mean is MEAN_NS: the mean moves,
              the ranks barely do
    failed    a benchmark that failed to run
Deterministic: the same arguments give the same file.
"""
import json
import random
import sys


def samples(shape, mean, n, seed):
    rnd = random.Random(seed)
    if shape == "tight":
        return [mean * (1 + rnd.uniform(-0.01, 0.01)) for _ in range(n)]
    if shape == "spread":
        return [mean * (1 + rnd.uniform(-0.05, 0.05)) for _ in range(n)]
    if shape == "tail":
        base = mean / 1.15
        xs = sorted(base * (1 + rnd.uniform(-0.05, 0.05)) for _ in range(n))
        k = max(1, n // 10)
        missing = mean * n - sum(xs)
        for i in range(n - k, n):
            xs[i] += missing / k
        rnd.shuffle(xs)
        return xs
    sys.exit("make_results: unknown shape " + shape)


def main():
    args = sys.argv[1:]
    out = args.pop(0)
    suite, cpu = "tiny_suite", "Test CPU"
    git = {"commit": None, "short_commit": None, "branch": None, "dirty": None,
           "subject": None, "commit_time": None}
    date = "2026-11-23T09:00:00Z"
    benches = []
    while args:
        a = args.pop(0)
        if a == "--suite":
            suite = args.pop(0)
        elif a == "--cpu":
            cpu = args.pop(0)
        elif a == "--commit":
            git["commit"] = args.pop(0)
            git["short_commit"] = git["commit"][:7]
            git["dirty"] = False
        elif a == "--dirty":
            git["dirty"] = True
        elif a == "--date":
            date = args.pop(0)
        elif a == "--branch":
            git["branch"] = args.pop(0)
        elif a == "--subject":
            git["subject"] = args.pop(0)
        else:
            name, spec = a.split("=", 1)
            parts = spec.split(":")
            shape = parts[0]
            if shape == "failed":
                benches.append({"name": name, "status": "failed", "error": "it broke",
                                "iterations_per_sample": 1, "samples_ns": []})
                continue
            mean = float(parts[1])
            n = int(parts[2]) if len(parts) > 2 else 20
            seed = int(parts[3]) if len(parts) > 3 else 1
            benches.append({"name": name, "status": "ok", "error": None,
                            "iterations_per_sample": 1000,
                            "samples_ns": samples(shape, mean, n, seed)})
    doc = {
        "schema_version": 1,
        "suite": suite,
        "context": {
            "date": date, "host": "test", "os": "Linux",
            "kernel": "6.1.0", "arch": "x86_64", "cpu_model": cpu, "logical_cores": 2,
            "compiler": "gcc 12.2.0", "build_type": "Release", "build_flags": "-O2",
            "optimized": True,
            "clock": {"name": "CLOCK_MONOTONIC", "cost_ns": 20, "step_ns": 10,
                      "resolution_ns": 1},
            "perfreg_version": "0.1.0",
            "options": {"min_time_s": 0.4, "warmup_s": 0.05, "samples": 20, "iterations": 0},
        },
        "git": git,
        "benchmarks": benches,
    }
    with open(out, "w") as f:
        json.dump(doc, f, indent=2)


main()
