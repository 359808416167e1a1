#!/usr/bin/env python3
"""Checks that a perfreg results file holds the documented fields.

usage: check_results.py FILE [--min-samples N] [--git null|repo] [--dirty true|false]
Exits 1 naming the first field that is missing or wrong.
"""
import json
import math
import sys

STATS = ["n", "min_ns", "max_ns", "mean_ns", "median_ns", "stddev_ns", "q1_ns", "q3_ns",
         "iqr_ns", "mad_ns", "cv", "ops_per_second", "outliers_mild", "outliers_severe"]
CONTEXT = ["date", "host", "os", "kernel", "arch", "cpu_model", "logical_cores", "compiler",
           "build_type", "build_flags", "optimized", "clock", "perfreg_version", "options"]
GIT = ["commit", "short_commit", "branch", "dirty", "subject", "commit_time"]


def fail(msg):
    print("check_results: " + msg)
    sys.exit(1)


def main():
    args = sys.argv[1:]
    path = args.pop(0)
    opts = dict(zip(args[::2], args[1::2]))
    with open(path) as f:
        doc = json.load(f)
    if doc.get("schema_version") != 1:
        fail("schema_version is not 1")
    for key in ["suite", "context", "git", "benchmarks"]:
        if key not in doc:
            fail("missing " + key)
    ctx = doc["context"]
    for key in CONTEXT:
        if key not in ctx:
            fail("missing context." + key)
    for key in ["name", "cost_ns", "step_ns", "resolution_ns"]:
        if key not in ctx["clock"]:
            fail("missing context.clock." + key)
    if not (ctx["clock"]["cost_ns"] > 0):
        fail("context.clock.cost_ns is not positive")
    if not ctx["compiler"] or not ctx["cpu_model"]:
        fail("context.compiler or cpu_model empty")
    git = doc["git"]
    for key in GIT:
        if key not in git:
            fail("missing git." + key)
    if opts.get("--git") == "null" and any(git[k] is not None for k in GIT):
        fail("git fields should all be null outside a repository: %r" % git)
    if opts.get("--git") == "repo":
        if not git["commit"] or len(git["commit"]) != 40:
            fail("git.commit is not a full id: %r" % git["commit"])
        if git["short_commit"] != git["commit"][:7]:
            fail("git.short_commit is not the commit's prefix")
    if "--dirty" in opts and git["dirty"] != (opts["--dirty"] == "true"):
        fail("git.dirty is %r" % git["dirty"])
    min_samples = int(opts.get("--min-samples", "1"))
    if not doc["benchmarks"]:
        fail("no benchmarks")
    for b in doc["benchmarks"]:
        name = b.get("name")
        if b.get("status") == "failed":
            if not b.get("error"):
                fail(name + ": failed without a reason")
            continue
        if b.get("status") != "ok":
            fail("%s: status %r" % (name, b.get("status")))
        samples = b["samples_ns"]
        if len(samples) < min_samples:
            fail("%s: %d samples, expected at least %d" % (name, len(samples), min_samples))
        if not all(isinstance(x, (int, float)) and x >= 0 for x in samples):
            fail(name + ": a sample is not a non-negative number")
        if not b["iterations_per_sample"] >= 1:
            fail(name + ": iterations_per_sample")
        for key in STATS:
            if key not in b["stats"]:
                fail("%s: missing stats.%s" % (name, key))
        mean = sum(samples) / len(samples)
        if not math.isclose(b["stats"]["mean_ns"], mean, rel_tol=1e-9):
            fail("%s: stats.mean_ns %r is not the mean of the samples %r"
                 % (name, b["stats"]["mean_ns"], mean))
        if b["stats"]["n"] != len(samples):
            fail(name + ": stats.n")
    print("ok: %d benchmarks" % len(doc["benchmarks"]))


main()
