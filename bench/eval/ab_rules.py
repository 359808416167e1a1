#!/usr/bin/env python3
"""Replays the A/B comparison's rules on measurements ab_collect.py made, to
choose them (docs/performance.md, "What was tried"): the per-process
statistic, the first rounds, the batch, the most rounds, the interval's
level, when a fail may stop a benchmark early.

usage: ab_rules.py DATA.json [--trials 400] [--threshold 0.10] [--seed 1]

Each trial of a rule draws, for one benchmark and level, rounds at random
from the collected ones (without replacement) and runs the adaptive
procedure of src/ab.c on them: judge after the first rounds and after each
batch since; stop a benchmark at pass or fail. The signed-rank interval is
the exact one of src/stats.c (R's rule) for up to 400 rounds. Prints, per
rule, the share of trials ending fail / inconclusive / pass at each level,
and the mean rounds used. Python standard library only.
"""
import argparse, json, math, random, statistics
from functools import lru_cache

ap = argparse.ArgumentParser()
ap.add_argument("data")
ap.add_argument("--trials", type=int, default=400)
ap.add_argument("--threshold", type=float, default=0.10)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--markdown", action="store_true")
a = ap.parse_args()
data = json.load(open(a.data))


@lru_cache(maxsize=None)
def null_cdf(n):
    """P(T <= k) for the signed-rank statistic of n values, k = 0 .. n(n+1)/2."""
    counts = [1]
    for k in range(1, n + 1):
        nxt = [0] * (len(counts) + k)
        for i, c in enumerate(counts):
            nxt[i] += c
            nxt[i + k] += c
        counts = nxt
    total, acc, out = 2 ** n, 0, []
    for c in counts:
        acc += c
        out.append(acc / total)
    return out


@lru_cache(maxsize=None)
def qu_of(n, alpha):
    cdf = null_cdf(n)
    for k, p in enumerate(cdf):
        if p >= alpha / 2 - 10 * 2.220446049250313e-16:
            return max(k, 1)
    return 1


def hodges_lehmann(d, alpha):
    n = len(d)
    w = sorted((d[i] + d[j]) / 2 for i in range(n) for j in range(i, n))
    m = len(w)
    est = w[m // 2] if m % 2 else (w[m // 2 - 1] + w[m // 2]) / 2
    qu = qu_of(n, alpha)
    return est, w[qu - 1], w[m - qu]


def verdict(d, alpha, t, fail_low=0.0):
    est, lo, hi = hodges_lehmann(d, alpha)
    e, l, h = math.expm1(est), math.expm1(lo), math.expm1(hi)
    if l > fail_low * t and e > t:
        return "fail"
    if h < t:
        return "pass"
    return "inconclusive"


def per_process(samples, stat):
    return statistics.mean(samples) if stat == "mean" else statistics.median(samples)


# pairs[(level, bench)] = [(baseline samples, candidate samples), ...]
pairs = {}
for p in data["pairs"]:
    pairs.setdefault((p["level"], p["bench"]), []).append((p["baseline"], p["candidate"]))


def trial(rng, pool, rule):
    order = rng.sample(range(len(pool)), len(pool))
    d = []
    for i, k in enumerate(order):
        if len(d) >= rule["max"]:
            break
        b, c = pool[k]
        d.append(math.log(per_process(c, rule["stat"]) / per_process(b, rule["stat"])))
        n = len(d)
        if n >= rule["first"] and (n - rule["first"]) % rule["batch"] == 0:
            v = verdict(d, rule["alpha"], a.threshold, rule.get("fail_low", 0))
            if v == "fail" and rule.get("stop_alpha"):
                # an early fail must hold at the stricter level too
                v = verdict(d, rule["stop_alpha"], a.threshold, rule.get("fail_low", 0))
                v = v if v == "fail" else "inconclusive"
            if v == "pass" or (v == "fail" and n >= rule["fail_after"]):
                return v, n
    return verdict(d, rule["alpha"], a.threshold, rule.get("fail_low", 0)), len(d)


rules = [
    {"name": "default: mean, 10 first, +5, 40, 95%", "stat": "mean", "first": 10, "batch": 5,
     "max": 40, "alpha": 0.05, "fail_after": 0},
    {"name": "median of each process", "stat": "median", "first": 10, "batch": 5, "max": 40,
     "alpha": 0.05, "fail_after": 0},
    {"name": "8 first", "stat": "mean", "first": 8, "batch": 4, "max": 40, "alpha": 0.05,
     "fail_after": 0},
    {"name": "99% interval", "stat": "mean", "first": 10, "batch": 5, "max": 40, "alpha": 0.01,
     "fail_after": 0},
    {"name": "a fail stops only from round 20", "stat": "mean", "first": 10, "batch": 5,
     "max": 40, "alpha": 0.05, "fail_after": 20},
    {"name": "median, fail from round 20", "stat": "median", "first": 10, "batch": 5, "max": 40,
     "alpha": 0.05, "fail_after": 20},
    {"name": "60 rounds at most", "stat": "mean", "first": 10, "batch": 5, "max": 60,
     "alpha": 0.05, "fail_after": 0},
    {"name": "fail from round 20, 60 at most", "stat": "mean", "first": 10, "batch": 5,
     "max": 60, "alpha": 0.05, "fail_after": 20},
    {"name": "fail needs the interval above half the threshold", "stat": "mean", "first": 10,
     "batch": 5, "max": 40, "alpha": 0.05, "fail_after": 0, "fail_low": 0.5},
    {"name": "half the threshold, fail from round 20, 60 at most", "stat": "mean", "first": 10,
     "batch": 5, "max": 60, "alpha": 0.05, "fail_after": 20, "fail_low": 0.5},
    {"name": "fail from round 20 at 99%, 60 at most", "stat": "mean", "first": 10, "batch": 5,
     "max": 60, "alpha": 0.05, "fail_after": 20, "stop_alpha": 0.01},
]

rng = random.Random(a.seed)
levels = sorted({k[0] for k in pairs})
benches = sorted({k[1] for k in pairs})
print("rounds collected per level and benchmark:", min(len(v) for v in pairs.values()))
for rule in rules:
    print("\n## " + rule["name"])
    print("| level | fail | inconclusive | pass | mean rounds |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for level in levels:
        counts = {"fail": 0, "inconclusive": 0, "pass": 0}
        rounds = []
        for bench in benches:
            pool = pairs.get((level, bench))
            if not pool or (level > 0 and bench == "eval/empty_loop"):
                continue
            for _ in range(a.trials // len(benches) + 1):
                v, n = trial(rng, pool, rule)
                counts[v] += 1
                rounds.append(n)
        tot = sum(counts.values())
        print("| %d%% | %.1f%% | %.1f%% | %.1f%% | %.1f |" % (
            level, 100 * counts["fail"] / tot, 100 * counts["inconclusive"] / tot,
            100 * counts["pass"] / tot, statistics.mean(rounds)))
