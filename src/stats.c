/*
 * stats.c - summary statistics of one benchmark's samples, computed once
 * from a sorted copy so the caller's array stays in measurement order.
 * Deciding what a change in these numbers means is left to the comparison.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "error.h"
#include "stats.h"
#include "banned.h"

/* NaN sorts last, so the order stays total even if one slips through. */
static int compare_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    int a_nan = isnan(a) != 0, b_nan = isnan(b) != 0;

    if (a_nan || b_nan)
        return a_nan - b_nan;
    return (a > b) - (a < b);
}

static int check_samples(const double *samples_ns, size_t n)
{
    size_t i;

    if (!samples_ns || n == 0)
        return pr_error_set(PR_EINVALID, "no samples");
    for (i = 0; i < n; i++) {
        double x = samples_ns[i];
        if (isnan(x))
            return pr_error_set(PR_EINVALID, "sample %zu is not a number", i);
        if (isinf(x))
            return pr_error_set(PR_EINVALID, "sample %zu is infinite", i);
        if (x < 0)
            return pr_error_set(PR_EINVALID, "sample %zu is negative (%g)", i, x);
        if (x > PR_STATS_MAX_NS)
            return pr_error_set(PR_EINVALID, "sample %zu is too large (%g ns; the limit is %g)", i,
                                x, PR_STATS_MAX_NS);
    }
    return 0;
}

double pr_stats_quantile_sorted(const double *sorted, size_t n, double p)
{
    double pos, frac;
    size_t lo;

    /* !(p > 0) also catches a NaN p, which would otherwise index anywhere. */
    if (!(p > 0))
        return sorted[0];
    if (p >= 1)
        return sorted[n - 1];
    pos = p * (double)(n - 1);
    lo = (size_t)pos;
    if (lo >= n - 1)
        return sorted[n - 1];
    frac = pos - (double)lo;
    return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

/*
 * Two passes: the mean first, then squared deviations from it, which keeps
 * the precision that a single sum of squares loses when the spread is small
 * next to the values (1e9 + 4, 1e9 + 7, ...).
 */
static void mean_stddev(const double *x, size_t n, double min, double max, double *mean_out,
                        double *stddev_out)
{
    double sum = 0, mean, sq = 0;
    size_t i;

    for (i = 0; i < n; i++)
        sum += x[i];
    mean = sum / (double)n;
    /* Rounding can push the mean outside [min, max]; equal samples must
     * give exactly their value and a stddev of exactly 0. */
    if (mean < min)
        mean = min;
    if (mean > max)
        mean = max;
    for (i = 0; i < n; i++) {
        double d = x[i] - mean;
        sq += d * d;
    }
    *mean_out = mean;
    *stddev_out = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
}

static void count_outliers(const double *x, size_t n, double q1, double q3, size_t *mild,
                           size_t *severe)
{
    double iqr = q3 - q1;
    double mild_lo = q1 - 1.5 * iqr, mild_hi = q3 + 1.5 * iqr;
    double severe_lo = q1 - 3 * iqr, severe_hi = q3 + 3 * iqr;
    size_t i;

    *mild = 0;
    *severe = 0;
    for (i = 0; i < n; i++) {
        if (x[i] < severe_lo || x[i] > severe_hi)
            (*severe)++;
        else if (x[i] < mild_lo || x[i] > mild_hi)
            (*mild)++;
    }
}

int pr_stats_compute(pr_stats *out, const double *samples_ns, size_t n)
{
    pr_stats s = {0};
    double *sorted = NULL;
    size_t i;
    int err;

    if ((err = check_samples(samples_ns, n)) < 0)
        return err;
    if (n > SIZE_MAX / sizeof *sorted)
        return pr_error_set(PR_ENOMEM, "out of memory: %zu samples", n);
    sorted = malloc(n * sizeof *sorted);
    if (!sorted)
        return pr_error_set(PR_ENOMEM, "out of memory: %zu samples", n);
    for (i = 0; i < n; i++)
        sorted[i] = samples_ns[i];
    qsort(sorted, n, sizeof *sorted, compare_double);

    s.n = n;
    s.min_ns = sorted[0];
    s.max_ns = sorted[n - 1];
    mean_stddev(sorted, n, s.min_ns, s.max_ns, &s.mean_ns, &s.stddev_ns);
    s.median_ns = pr_stats_quantile_sorted(sorted, n, 0.5);
    s.q1_ns = pr_stats_quantile_sorted(sorted, n, 0.25);
    s.q3_ns = pr_stats_quantile_sorted(sorted, n, 0.75);
    s.iqr_ns = s.q3_ns - s.q1_ns;
    count_outliers(sorted, n, s.q1_ns, s.q3_ns, &s.outliers_mild, &s.outliers_severe);
    /* A mean under a zeptosecond is no measurement; 1e9 / mean would
     * overflow to infinity long before it is reached. */
    if (s.mean_ns >= 1e-12) {
        s.cv = s.stddev_ns / s.mean_ns;
        s.ops_per_second = 1e9 / s.mean_ns;
    }

    /* The sorted copy is no longer needed: reuse it for the deviations. */
    for (i = 0; i < n; i++)
        sorted[i] = fabs(sorted[i] - s.median_ns);
    qsort(sorted, n, sizeof *sorted, compare_double);
    s.mad_ns = pr_stats_quantile_sorted(sorted, n, 0.5);

    free(sorted);
    *out = s;
    return 0;
}
