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
 * Returns PR_EINVALID when n is 0 or a sample is negative, NaN, infinite or
 * above PR_STATS_MAX_NS (so that sums stay finite),
 * PR_ENOMEM when the sorted copy cannot be allocated.
 */
#define PR_STATS_MAX_NS 1e18 /* 31 years per iteration */

int pr_stats_compute(pr_stats *out, const double *samples_ns, size_t n);

/* The p-quantile (0 <= p <= 1) of SORTED (ascending, n >= 1), type 7. */
double pr_stats_quantile_sorted(const double *sorted, size_t n, double p);

#endif
