/*
 * stats.h - summary statistics over the per-iteration times of the samples.
 *
 * Definitions (docs/json-format.md repeats them):
 *   mean, stddev    sample standard deviation (n - 1); 0 when n = 1
 *   median, q1, q3  linear interpolation between order statistics, the
 *                   definition of R's type 7 and numpy's default:
 *                   position p * (n - 1) in the sorted samples, 0-based
 *   iqr             q3 - q1
 *   mad             median of |x - median|, unscaled (no 1.4826 factor)
 *   cv              stddev / mean; 0 when mean is 0
 *   ops_per_second  1e9 / mean_ns; 0 when mean is 0
 *   outliers        Tukey fences: mild = outside [q1 - 1.5 iqr, q3 + 1.5 iqr]
 *                   but inside [q1 - 3 iqr, q3 + 3 iqr]; severe = outside the
 *                   3 iqr fences. Counted, never dropped.
 */
#ifndef PR_STATS_H
#define PR_STATS_H

#include <stddef.h>

typedef struct pr_stats {
    size_t n;
    double min_ns, max_ns, mean_ns, median_ns, stddev_ns;
    double q1_ns, q3_ns, iqr_ns, mad_ns;
    double cv;
    double ops_per_second;
    size_t outliers_mild, outliers_severe;
} pr_stats;

/*
 * Fills OUT from N samples in nanoseconds (any order; not modified).
 * Returns PR_EINVALID when n is 0 or a sample is negative, NaN, infinite,
 * above PR_STATS_MAX_NS (so that sums stay finite) or above 0 but below
 * PR_STATS_MIN_NS (so that per-second figures stay finite; the timing core
 * cannot produce one: 1 ns over its 1e10 iterations at most is 1e-10 ns),
 * PR_ENOMEM when the sorted copy cannot be allocated.
 */
#define PR_STATS_MAX_NS 1e18 /* 31 years per iteration */
#define PR_STATS_MIN_NS 1e-12 /* a zeptosecond per iteration */

int pr_stats_compute(pr_stats *out, const double *samples_ns, size_t n);

/* The p-quantile (0 <= p <= 1) of SORTED (ascending, n >= 1), type 7. */
double pr_stats_quantile_sorted(const double *sorted, size_t n, double p);

/*
 * Two-sided Mann-Whitney U test (Wilcoxon rank-sum) of A against B.
 *   u        U of A: pairs (a, b) with a > b, plus half the ties
 *   p_value  two-sided. Exact (the permutation distribution of the rank sum,
 *            ties included through mid-ranks) when na + nb <= PR_MWU_EXACT_MAX;
 *            otherwise the normal approximation with the tie correction of
 *            the variance and a continuity correction of 0.5.
 *   z        the normal approximation's z score (signed: > 0 when A tends
 *            to be larger), also given when exact
 *   min_p    the smallest p-value these sample sizes can give (2 / C(n, na)
 *            for the exact test), so a caller can tell when significance at
 *            its alpha is out of reach
 * With ties the exact p and min_p come from the permutation distribution of
 * the mid-rank sum given the observed ties, so min_p then depends on them
 * (and is at least 2 / C(n, na)). z is (u - na nb / 2) / sigma with the
 * tie-corrected sigma and no continuity correction; 0 when all values are
 * equal. For the normal approximation min_p is its p at U = 0 (same sigma).
 * The exact distribution without ties for the last sizes used is cached in
 * thread-local storage; nothing to free.
 * All values equal in both samples give p = 1. Returns PR_EINVALID when a
 * side is empty or a value is not finite, PR_ENOMEM.
 */
#define PR_MWU_EXACT_MAX 50

typedef struct pr_mwu {
    double u;
    double z;
    double p_value;
    double min_p;
    int exact;
} pr_mwu;

int pr_stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb, pr_mwu *out);

/*
 * Student's t distribution with DF > 0 degrees of freedom (INFINITY: the
 * normal distribution): the CDF at T, and the quantile of P in (0, 1).
 */
double pr_stats_t_cdf(double t, double df);
double pr_stats_t_quantile(double p, double df);

/*
 * Welch's t test of the mean of A (the current run) against the mean of B
 * (the baseline), each value the mean of one process, with a confidence
 * interval at level 1 - ALPHA for the relative change of the means:
 *   change            (mean A - mean B) / mean B
 *   se                its standard error, sqrt(var A / na + var B / nb) / mean B
 *   df                the Welch-Satterthwaite degrees of freedom, rounded
 *                     down to a whole number (never under 1): the interval
 *                     errs wide. INFINITY when se is 0.
 *   p_value           two-sided, of t = change / se on df
 *   ci_low, ci_high   change -/+ t(1 - alpha / 2, df) x se
 * se 0 (every process gave the same mean) gives p 0 for a change, 1 for
 * none. Returns PR_EINVALID when a side has fewer than 2 values, a value is
 * not finite, mean B is not positive or ALPHA is not in (0, 1).
 */
typedef struct pr_welch {
    double change;
    double se;
    double df;
    double p_value;
    double ci_low;
    double ci_high;
} pr_welch;

int pr_stats_welch(const double *a, size_t na, const double *b, size_t nb, double alpha,
                   pr_welch *out);

/*
 * Wilcoxon signed-rank test of location 0 for N paired differences D (in an
 * interleaved A/B run, d_i = ln(new_i / old_i), one per round), with the
 * Hodges-Lehmann estimate of the location and a distribution-free
 * confidence interval for it. The test is scipy.stats.wilcoxon(d) with its
 * defaults (zero_method "wilcox", correction False, two-sided, method
 * "auto"), but for ties, below; the interval is the exact one of R's
 * wilcox.test(d, conf.int = TRUE), over all n differences.
 *   n_nonzero  m, the differences that are not 0 (nor -0); the test ranks
 *              their |d| and drops the zeros
 *   w_plus     the sum of the ranks of the positive ones, mid-ranks for
 *              ties (scipy's statistic is the smaller of w_plus and
 *              m (m + 1) / 2 - w_plus)
 *   z          (w_plus - m (m + 1) / 4) / sigma with
 *              sigma^2 = m (m + 1) (2m + 1) / 24 - sum(t^3 - t) / 48 over
 *              the groups of t equal |d|, no continuity correction; > 0 when
 *              the differences lean positive (scipy's zstatistic is -|z|).
 *              Also given when exact; 0 when m = 0.
 *   p_value    two-sided. Exact when there are no zeros, no two |d| are
 *              equal and m <= PR_SIGNED_RANK_EXACT_MAX:
 *              min(1, 2 min(P(W+ <= w_plus), P(W+ >= w_plus))) under the
 *              null distribution of W+ over ranks 1 .. m, as scipy's.
 *              Otherwise erfc(|z| / sqrt(2)). 1 when m = 0.
 *              (scipy 1.10 takes its exact path with ties too, on the
 *              no-tie distribution and a mid-rank sum truncated to an
 *              integer; ties here take the normal approximation, which is
 *              scipy's method "approx".)
 *   exact      1 when p_value is from the exact distribution
 *   estimate   the median of the M = n (n + 1) / 2 Walsh averages
 *              (d_i + d_j) / 2, i <= j, zeros included
 *   ci_low, ci_high
 *              W(qu) and W(M + 1 - qu) of the sorted Walsh averages
 *              W(1) <= ... <= W(M). qu is the smallest k with
 *              P(T <= k) >= alpha / 2, T the signed-rank statistic of n
 *              values under the null (R's qsignrank, with its tolerance of
 *              10 DBL_EPSILON), but at least 1: from the exact distribution
 *              for n <= PR_SIGNED_RANK_CI_EXACT_MAX; above, the normal
 *              approximation qu = floor(M / 2 - z(1 - alpha / 2) s) with
 *              s^2 = n (n + 1) (2n + 1) / 24, within [1, M / 2], which is
 *              up to a few ranks below the exact qu (a little wider)
 *   ci_level   the interval's confidence, 1 - 2 P(T <= qu - 1): at least
 *              1 - alpha but for the smallest n, where even qu = 1 falls
 *              short (n <= 5 at alpha 0.05, n <= 7 at 0.01): the interval is
 *              then [min d, max d] and ci_level says how sure that is
 *              (0.9375 at n = 5, 0 at n = 1). Above
 *              PR_SIGNED_RANK_CI_EXACT_MAX, the normal approximation with a
 *              continuity correction, 1 - 2 Phi((qu - 1/2 - M / 2) / s) for
 *              Phi the normal CDF, which errs low by up to about 1e-4.
 * All differences 0 give p 1, estimate 0 and the interval [0, 0].
 * The last (n, alpha)'s qu and ci_level are cached in thread-local storage
 * (the exact distribution for n = 400 takes 8.5 M steps); nothing to free.
 * The Walsh averages are sorted: n = 2000 takes about 0.3 s.
 * OUT is written only on success. D is not modified.
 * Returns PR_EINVALID when n is 0 or above PR_SIGNED_RANK_MAX_N, a
 * difference is not finite or ALPHA is not in (0, 1); PR_ENOMEM (the Walsh
 * averages take M doubles: 16 MB at n = 2000).
 */
#define PR_SIGNED_RANK_EXACT_MAX 50     /* scipy 1.10's method "auto" */
#define PR_SIGNED_RANK_CI_EXACT_MAX 400 /* its exact qu: about 10 ms */
#define PR_SIGNED_RANK_MAX_N 14141      /* n (n + 1) / 2 <= 10^8 averages */

typedef struct pr_signed_rank {
    size_t n;         /* differences given */
    size_t n_nonzero; /* used by the test */
    double w_plus;
    double z;
    double p_value;
    int exact;
    double estimate; /* Hodges-Lehmann */
    double ci_low, ci_high;
    double ci_level;
} pr_signed_rank;

int pr_stats_signed_rank(const double *d, size_t n, double alpha, pr_signed_rank *out);

#endif
