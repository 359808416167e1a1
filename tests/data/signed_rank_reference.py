#!/usr/bin/python3
"""
signed_rank_reference.py - the reference figures of the signed-rank cases in
tests/test_stats.c. Run by hand, not by ctest (it needs scipy):

    /usr/bin/python3 tests/data/signed_rank_reference.py

with Debian 12's python3-scipy 1.10.1 (a pyenv python3 without scipy will
not do). Where each figure comes from:

  p, statistic  scipy.stats.wilcoxon(d) with its defaults; for ties without
                zeros scipy.stats.wilcoxon(d, method="approx"), because
                scipy 1.10's "auto" then takes its exact path anyway (on a
                truncated mid-rank sum; printed as "auto" for comparison)
  w_plus        the sum of scipy.stats.rankdata(|d|) over d > 0, zeros
                dropped; scipy's statistic is min(w_plus, m (m + 1) / 2 - w_plus)
  z             (w_plus - m (m + 1) / 4) / se with scipy's tie-corrected se;
                checked against scipy's zstatistic (method="approx"), -|z|
  estimate, interval, level
                independent of scipy and of the C code: the Walsh averages
                sorted by Python, the null distribution of the signed-rank
                statistic as exact integer counts, by enumerating all 2^n
                sign assignments for n <= 16 and, for larger n, from the
                generating polynomial prod (1 + x^k), checked against the
                enumeration for every n <= 16; R's wilcox.test(conf.int =
                TRUE) rule: qu = qsignrank(alpha / 2, n) (with R's tolerance
                alpha / 2 - 10 DBL_EPSILON), at least 1, [W(qu), W(M + 1 - qu)],
                level 1 - 2 P(T <= qu - 1); above n = 400 the normal qu
                floor(M / 2 - z s) and level 1 - 2 Phi((qu - 1/2 - M / 2) / s)
"""
import math
import sys
import warnings
from fractions import Fraction

import numpy as np
import scipy
from scipy import stats

EPS = sys.float_info.epsilon
CI_EXACT_MAX = 400


def synthetic(n, centre):
    """The C test's synthetic(): exact decimals, a +-16x outlier every 17th."""
    out = []
    for i in range(n):
        k = (i * 7919 + 13) % 1009
        x = (k - centre) / 25000.0
        if i % 17 == 5:
            x *= 16
        out.append(x)
    return out


def brute_counts(n):
    """#(T = w) over all 2^n sign assignments of ranks 1..n."""
    counts = [0] * (n * (n + 1) // 2 + 1)
    for mask in range(1 << n):
        counts[sum(k + 1 for k in range(n) if mask >> k & 1)] += 1
    return counts


_poly = {}


def poly_counts(n):
    """The coefficients of prod_{k=1..n} (1 + x^k), exact integers."""
    if n not in _poly:
        c = [1]
        for k in range(1, n + 1):
            c = [a + b for a, b in zip(c + [0] * k, [0] * k + c)]
        _poly[n] = c
    return _poly[n]


def null_counts(n):
    return brute_counts(n) if n <= 16 else poly_counts(n)


def interval(d, alpha):
    n = len(d)
    M = n * (n + 1) // 2
    walsh = sorted((d[i] + d[j]) / 2 for i in range(n) for j in range(i, n))
    est = walsh[M // 2] if M % 2 else (walsh[M // 2 - 1] + walsh[M // 2]) / 2
    if n <= CI_EXACT_MAX:
        counts = null_counts(n)
        target = Fraction(alpha / 2 - 10 * EPS)
        total, cum, qu = 2 ** n, 0, None
        for q, c in enumerate(counts):
            cum += c
            if Fraction(cum, total) >= target:
                qu = q
                break
        qu = max(qu, 1)
        below = sum(counts[:qu])  # #(T <= qu - 1)
        level = float(1 - 2 * Fraction(below, total))
        how = "exact"
    else:
        s = math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
        x = M / 2 - stats.norm.ppf(1 - alpha / 2) * s
        qu = min(max(math.floor(x), 1), M // 2)
        level = 1 - 2 * stats.norm.cdf((qu - 0.5 - M / 2) / s)
        how = "normal, floor of %.6f" % x
    return est, walsh[qu - 1], walsh[M - qu], level, qu, how


def test_part(d):
    """(m, w_plus, z, p, exact, scipy statistic) as perfreg defines them."""
    d = np.asarray(d, dtype=float)
    nz = d[d != 0]
    m = len(nz)
    if m == 0:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "switching to normal approximation"
                stats.wilcoxon(d)
        except ValueError as e:
            print("  scipy default: ValueError:", e)
        return m, 0.0, 0.0, 1.0, 0, None
    r = stats.rankdata(np.abs(nz))
    w_plus = float(np.sum(r[nz > 0]))
    _, counts = np.unique(np.abs(nz), return_counts=True)
    ties = int(np.sum(counts ** 3 - counts))
    se = math.sqrt((m * (m + 1) * (2 * m + 1) - 0.5 * ties) / 24)
    z = (w_plus - m * (m + 1) / 4) / se
    exact = int(m == len(d) and ties == 0 and m <= 50)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        auto = stats.wilcoxon(d)
    for w in caught:
        print("  scipy warns:", w.message)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "sample size too small", said above
        approx = stats.wilcoxon(d, method="approx")
    assert abs(-abs(z) - approx.zstatistic) < 1e-12, (z, approx.zstatistic)
    if exact:
        cnt = null_counts(m)
        w = int(w_plus)
        brute = min(1, 2 * min(sum(cnt[: w + 1]), sum(cnt[w:])) / 2 ** m)
        print("  enumeration p %r" % brute)
        assert abs(brute - auto.pvalue) < 1e-15
        p, stat = auto.pvalue, auto.statistic
    elif ties and m == len(d) and m <= 50:
        print("  scipy auto (exact path despite ties): statistic %r p %r"
              % (auto.statistic, auto.pvalue))
        p, stat = approx.pvalue, approx.statistic
    else:
        assert auto.pvalue == approx.pvalue
        p, stat = auto.pvalue, auto.statistic
    print("  sum(t^3 - t) %d" % ties)
    return m, w_plus, z, p, exact, stat


def case(name, d, alphas=(0.05,)):
    print("%s: n %d" % (name, len(d)))
    m, w_plus, z, p, exact, stat = test_part(d)
    print("  m %d  w_plus %r  scipy statistic %r  exact %d" % (m, w_plus, stat, exact))
    print("  z %r" % z)
    print("  p %r" % p)
    for alpha in alphas:
        est, lo, hi, level, qu, how = interval(d, alpha)
        print("  alpha %g: estimate %r  ci [%r, %r]  level %r  (qu %d, %s)"
              % (alpha, est, lo, hi, level, qu, how))


def main():
    print("scipy", scipy.__version__, "numpy", np.__version__)
    for n in range(1, 17):
        assert brute_counts(n) == poly_counts(n), n
    print("prod (1 + x^k) == enumeration for n = 1 .. 16")

    d8 = [0.021, -0.013, 0.034, 0.008, -0.004, 0.027, 0.015, 0.041]
    d16 = [0.011, -0.009, 0.102, -0.071, 0.004, 0.013, -0.006, 0.018,
           0.007, -0.012, 0.015, 0.336, -0.003, 0.021, 0.005, -0.016]
    d16_zero = list(d16)
    d16_zero[4] = 0.0
    ties = [0.01, -0.01, 0.02, 0.02, -0.02, 0.03, 0.01, 0.04, 0.05, -0.03, 0.06, 0.02]

    case("n8", d8)
    case("n16", d16, (0.05, 0.01, 0.1))
    case("n16 with a zero", d16_zero)
    case("ties", ties)
    case("ties and a zero", ties + [0.0])
    case("synthetic(50, 400.25)", synthetic(50, 400.25))
    case("synthetic(51, 400.25)", synthetic(51, 400.25))
    case("synthetic(60, 454)", synthetic(60, 454), (0.05, 0.01, 0.1))
    case("synthetic(400, 454)", synthetic(400, 454))
    case("synthetic(401, 454)", synthetic(401, 454))
    case("synthetic(500, 454)", synthetic(500, 454), (0.05, 0.01))
    case("n1", [0.05])
    case("n2", [0.03, -0.01])
    case("n2 positive", [0.03, 0.01])
    case("n5", [0.02, -0.01, 0.04, 0.03, 0.05], (0.05, 0.1))
    case("all zeros", [0.0, 0.0, -0.0, 0.0])


if __name__ == "__main__":
    main()
