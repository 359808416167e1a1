/*
 * test_stats.c - pr_stats_compute and pr_stats_quantile_sorted against
 * values worked out by hand. Each case shows its arithmetic; the long
 * decimals were cross-checked with python3 (statistics.stdev, plain
 * arithmetic for the type-7 quantiles). The signed-rank test against
 * scipy and an independent Python computation, see its section.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "error.h"
#include "stats.h"
#include "banned.h"

#define TOL 1e-9

/* |a - b| <= rel |b| */
#define CHECK_REL(a, b, rel) CHECK_NEAR(a, b, (rel)*fabs((double)(b)))

static void test_one_sample(void)
{
    /* {42}: every location statistic is 42, every spread is 0, no outliers.
     * ops = 1e9 / 42 = 23809523.80952381. */
    double x[] = {42};
    pr_stats s;

    CHECK_INT(pr_stats_compute(&s, x, 1), 0);
    CHECK_INT(s.n, 1);
    CHECK(s.min_ns == 42 && s.max_ns == 42);
    CHECK(s.mean_ns == 42 && s.median_ns == 42);
    CHECK(s.q1_ns == 42 && s.q3_ns == 42);
    CHECK(s.stddev_ns == 0 && s.iqr_ns == 0 && s.mad_ns == 0 && s.cv == 0);
    CHECK_NEAR(s.ops_per_second, 23809523.80952381, 1e-6);
    CHECK_INT(s.outliers_mild, 0);
    CHECK_INT(s.outliers_severe, 0);
}

static void test_two_samples(void)
{
    /* {30, 10}: mean 20; deviations +-10, (100 + 100) / (2 - 1) = 200,
     * stddev = sqrt(200) = 14.142135623730951.
     * Sorted {10, 30}: median at 0.5 -> 10 + 0.5 * 20 = 20,
     * q1 at 0.25 -> 15, q3 at 0.75 -> 25, iqr 10.
     * |x - 20| = {10, 10} -> mad 10. cv = 14.142135623730951 / 20.
     * Fences [15 - 15, 25 + 15] = [0, 40]: no outliers. */
    double x[] = {30, 10};
    pr_stats s;

    CHECK_INT(pr_stats_compute(&s, x, 2), 0);
    CHECK_INT(s.n, 2);
    CHECK_NEAR(s.min_ns, 10, 0);
    CHECK_NEAR(s.max_ns, 30, 0);
    CHECK_NEAR(s.mean_ns, 20, TOL);
    CHECK_NEAR(s.stddev_ns, 14.142135623730951, TOL);
    CHECK_NEAR(s.median_ns, 20, TOL);
    CHECK_NEAR(s.q1_ns, 15, TOL);
    CHECK_NEAR(s.q3_ns, 25, TOL);
    CHECK_NEAR(s.iqr_ns, 10, TOL);
    CHECK_NEAR(s.mad_ns, 10, TOL);
    CHECK_NEAR(s.cv, 0.7071067811865476, TOL);
    CHECK_NEAR(s.ops_per_second, 5e7, 1e-6);
    CHECK_INT(s.outliers_mild, 0);
    CHECK_INT(s.outliers_severe, 0);
}

static void test_all_equal(void)
{
    /* {0.1, 0.1, 0.1}: the sum 0.30000000000000004 / 3 rounds to
     * 0.10000000000000002, yet equal samples must give exactly their value,
     * stddev 0, iqr 0, mad 0, cv 0 and no outliers (the fences collapse to
     * [0.1, 0.1] and nothing is strictly outside). ops = 1e9 / 0.1 = 1e10. */
    double x[] = {0.1, 0.1, 0.1};
    pr_stats s;

    CHECK_INT(pr_stats_compute(&s, x, 3), 0);
    CHECK(s.mean_ns == 0.1);
    CHECK(s.median_ns == 0.1 && s.q1_ns == 0.1 && s.q3_ns == 0.1);
    CHECK(s.stddev_ns == 0);
    CHECK(s.iqr_ns == 0);
    CHECK(s.mad_ns == 0);
    CHECK(s.cv == 0);
    CHECK_NEAR(s.ops_per_second, 1e10, 1e-3);
    CHECK_INT(s.outliers_mild, 0);
    CHECK_INT(s.outliers_severe, 0);
}

static void test_all_zero(void)
{
    /* {0, 0}: mean 0, so cv and ops_per_second are defined as 0. */
    double x[] = {0, 0};
    pr_stats s;

    CHECK_INT(pr_stats_compute(&s, x, 2), 0);
    CHECK(s.mean_ns == 0 && s.stddev_ns == 0);
    CHECK(s.cv == 0);
    CHECK(s.ops_per_second == 0);
    CHECK_INT(s.outliers_mild + s.outliers_severe, 0);
}

static void test_odd_count(void)
{
    /* {60, 10, 100, 30, 50, 20, 40}, sorted {10, 20, 30, 40, 50, 60, 100}, n 7.
     * mean = 310 / 7 = 44.285714285714285.
     * sum x^2 = 19100, n mean^2 = 96100 / 7, so the sum of squared deviations
     * is 37600 / 7; / 6 = 895.238095..., stddev = 29.920529661723826.
     * median at 0.5 * 6 = 3 -> 40; q1 at 1.5 -> 20 + 0.5 * 10 = 25;
     * q3 at 4.5 -> 50 + 0.5 * 10 = 55; iqr 30.
     * |x - 40| sorted {0, 10, 10, 20, 20, 30, 60} -> mad 20.
     * cv = 29.920529661723826 / 44.285714285714285 = 0.6756248633292476.
     * ops = 7e9 / 310 = 22580645.16129032.
     * Fences [25 - 45, 55 + 45] = [-20, 100]: 100 is on the fence, not out. */
    double x[] = {60, 10, 100, 30, 50, 20, 40};
    pr_stats s;

    CHECK_INT(pr_stats_compute(&s, x, 7), 0);
    CHECK_INT(s.n, 7);
    CHECK_NEAR(s.min_ns, 10, 0);
    CHECK_NEAR(s.max_ns, 100, 0);
    CHECK_NEAR(s.mean_ns, 44.285714285714285, TOL);
    CHECK_NEAR(s.stddev_ns, 29.920529661723826, TOL);
    CHECK_NEAR(s.median_ns, 40, TOL);
    CHECK_NEAR(s.q1_ns, 25, TOL);
    CHECK_NEAR(s.q3_ns, 55, TOL);
    CHECK_NEAR(s.iqr_ns, 30, TOL);
    CHECK_NEAR(s.mad_ns, 20, TOL);
    CHECK_NEAR(s.cv, 0.6756248633292476, TOL);
    CHECK_NEAR(s.ops_per_second, 22580645.16129032, 1e-6);
    CHECK_INT(s.outliers_mild, 0);
    CHECK_INT(s.outliers_severe, 0);
}

static void test_even_count(void)
{
    /* {4, 1, 3, 2, 6, 5}, sorted {1..6}, n 6. mean 3.5.
     * Deviations +-2.5, +-1.5, +-0.5: 2 * (6.25 + 2.25 + 0.25) = 17.5,
     * / 5 = 3.5, stddev = sqrt(3.5) = 1.8708286933869707.
     * median at 2.5 -> 3 + 0.5 = 3.5; q1 at 1.25 -> 2.25; q3 at 3.75 -> 4.75;
     * iqr 2.5. |x - 3.5| sorted {0.5, 0.5, 1.5, 1.5, 2.5, 2.5}, at 2.5 -> 1.5.
     * cv = sqrt(3.5) / 3.5 = 0.5345224838248488.
     * ops = 1e9 / 3.5 = 285714285.71428573. Fences [-1.5, 8.5]: none out. */
    double x[] = {4, 1, 3, 2, 6, 5};
    pr_stats s;

    CHECK_INT(pr_stats_compute(&s, x, 6), 0);
    CHECK_INT(s.n, 6);
    CHECK_NEAR(s.min_ns, 1, 0);
    CHECK_NEAR(s.max_ns, 6, 0);
    CHECK_NEAR(s.mean_ns, 3.5, TOL);
    CHECK_NEAR(s.stddev_ns, 1.8708286933869707, TOL);
    CHECK_NEAR(s.median_ns, 3.5, TOL);
    CHECK_NEAR(s.q1_ns, 2.25, TOL);
    CHECK_NEAR(s.q3_ns, 4.75, TOL);
    CHECK_NEAR(s.iqr_ns, 2.5, TOL);
    CHECK_NEAR(s.mad_ns, 1.5, TOL);
    CHECK_NEAR(s.cv, 0.5345224838248488, TOL);
    CHECK_NEAR(s.ops_per_second, 285714285.71428573, 1e-6);
    CHECK_INT(s.outliers_mild, 0);
    CHECK_INT(s.outliers_severe, 0);
}

static void test_outliers(void)
{
    /* Sorted {50, 70, 85, 100 x6, 110, 125, 140, 200}, n 13.
     * q1 at 0.25 * 12 = 3 -> 100; q3 at 9 -> 110; iqr 10; median at 6 -> 100.
     * Mild fences [100 - 15, 110 + 15] = [85, 125];
     * severe fences [100 - 30, 110 + 30] = [70, 140].
     * 85 and 125 sit on the mild fences: inside.
     * 70 and 140 sit on the severe fences: mild.
     * 50 < 70 and 200 > 140: severe.
     * sum = 1380, mean = 1380 / 13 = 106.15384615384616;
     * stddev = 35.89068159900318 (python3 statistics.stdev).
     * |x - 100| sorted {0 x6, 10, 15, 25, 30, 40, 50, 100} -> at 6: mad 10. */
    double x[] = {100, 140, 50, 100, 125, 85, 100, 200, 110, 100, 70, 100, 100};
    pr_stats s;

    CHECK_INT(pr_stats_compute(&s, x, 13), 0);
    CHECK_NEAR(s.q1_ns, 100, TOL);
    CHECK_NEAR(s.q3_ns, 110, TOL);
    CHECK_NEAR(s.iqr_ns, 10, TOL);
    CHECK_NEAR(s.median_ns, 100, TOL);
    CHECK_NEAR(s.mean_ns, 106.15384615384616, TOL);
    CHECK_NEAR(s.stddev_ns, 35.89068159900318, TOL);
    CHECK_NEAR(s.mad_ns, 10, TOL);
    CHECK_INT(s.outliers_mild, 2);
    CHECK_INT(s.outliers_severe, 2);
}

static void test_large_offset(void)
{
    /* {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16}: a single sum of squares loses
     * the spread here. mean 1e9 + 10; deviations -6, -3, 3, 6:
     * (36 + 9 + 9 + 36) / 3 = 30, stddev = sqrt(30) = 5.477225575051661.
     * q1 at 0.75 -> 1e9 + 4 + 0.75 * 3 = 1e9 + 6.25; q3 at 2.25 -> 1e9 + 13.75.
     * |x - median| = {6, 3, 3, 6} -> mad 4.5. */
    double x[] = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    pr_stats s;

    CHECK_INT(pr_stats_compute(&s, x, 4), 0);
    CHECK_NEAR(s.mean_ns, 1e9 + 10, 1e-6);
    CHECK_NEAR(s.stddev_ns, 5.477225575051661, 1e-6);
    CHECK_NEAR(s.q1_ns, 1e9 + 6.25, 1e-6);
    CHECK_NEAR(s.q3_ns, 1e9 + 13.75, 1e-6);
    CHECK_NEAR(s.mad_ns, 4.5, 1e-6);
}

static void test_input_not_modified(void)
{
    double x[] = {60, 10, 100, 30, 50, 20, 40};
    double before[sizeof x / sizeof x[0]];
    pr_stats s;

    memcpy(before, x, sizeof x);
    CHECK_INT(pr_stats_compute(&s, x, 7), 0);
    CHECK(memcmp(before, x, sizeof x) == 0);
}

static void test_errors(void)
{
    double negative[] = {1, -2, 3};
    double not_a_number[] = {1, 2, NAN};
    double infinite[] = {INFINITY, 1};
    double one[] = {1};
    pr_stats s;

    CHECK_INT(pr_stats_compute(&s, one, 0), PR_EINVALID);
    CHECK_STR(pr_error_last(), "no samples");
    CHECK_INT(pr_stats_compute(&s, NULL, 0), PR_EINVALID);

    pr_error_clear();
    CHECK_INT(pr_stats_compute(&s, negative, 3), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "sample 1 is negative");

    pr_error_clear();
    CHECK_INT(pr_stats_compute(&s, not_a_number, 3), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "sample 2 is not a number");

    pr_error_clear();
    CHECK_INT(pr_stats_compute(&s, infinite, 2), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "sample 0 is infinite");

    /* -INFINITY is infinite before it is negative. */
    infinite[0] = -INFINITY;
    pr_error_clear();
    CHECK_INT(pr_stats_compute(&s, infinite, 2), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "sample 0 is infinite");
}

static void test_extremes_stay_finite(void)
{
    double huge[] = {1e18, 1e18, 1e18};
    double too_huge[] = {1, 2e18};
    double tiny[] = {1e-300, 2e-300};
    double least[] = {PR_STATS_MIN_NS, PR_STATS_MIN_NS};
    double zeros_and_least[] = {0, 0, 0, PR_STATS_MIN_NS};
    pr_stats s;

    /* at the limit every statistic is finite: the sum cannot overflow */
    CHECK_INT(pr_stats_compute(&s, huge, 3), 0);
    CHECK_NEAR(s.mean_ns, 1e18, 0);
    CHECK_NEAR(s.ops_per_second, 1e-9, 1e-24);

    pr_error_clear();
    CHECK_INT(pr_stats_compute(&s, too_huge, 2), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "sample 1 is too large");

    /* 1e9 / 1.5e-300 would be infinite: a nonzero sample under
     * PR_STATS_MIN_NS is refused, zero is not */
    pr_error_clear();
    CHECK_INT(pr_stats_compute(&s, tiny, 2), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "sample 0 is too small");
    CHECK_INT(pr_stats_compute(&s, least, 2), 0);
    CHECK(isfinite(s.ops_per_second) && s.ops_per_second > 0);
    /* a mean under a zeptosecond reports 0 ops/s */
    CHECK_INT(pr_stats_compute(&s, zeros_and_least, 4), 0);
    CHECK_NEAR(s.ops_per_second, 0, 0);
    CHECK_NEAR(s.cv, 0, 0);
}

static void test_quantile_sorted(void)
{
    /* {1, 2, ..., 10}, n 10: position p * 9.
     * p 0 -> 1; p 0.25 at 2.25 -> 3 + 0.25 = 3.25; p 0.5 at 4.5 -> 5.5;
     * p 0.9 at 8.1 -> 9 + 0.1 = 9.1; p 1 -> 10. */
    double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    double one[] = {7};

    CHECK_NEAR(pr_stats_quantile_sorted(x, 10, 0), 1, 0);
    CHECK_NEAR(pr_stats_quantile_sorted(x, 10, 0.25), 3.25, TOL);
    CHECK_NEAR(pr_stats_quantile_sorted(x, 10, 0.5), 5.5, TOL);
    CHECK_NEAR(pr_stats_quantile_sorted(x, 10, 0.9), 9.1, TOL);
    CHECK_NEAR(pr_stats_quantile_sorted(x, 10, 1), 10, 0);

    /* n 1: every quantile is the one value. */
    CHECK_NEAR(pr_stats_quantile_sorted(one, 1, 0), 7, 0);
    CHECK_NEAR(pr_stats_quantile_sorted(one, 1, 0.25), 7, 0);
    CHECK_NEAR(pr_stats_quantile_sorted(one, 1, 0.5), 7, 0);
    CHECK_NEAR(pr_stats_quantile_sorted(one, 1, 1), 7, 0);
}

/* Student's t against closed forms (df 1: Cauchy, tan; df 2:
 * 1/2 + t / (2 sqrt(2 + t^2))) and table values. */
static void test_t_distribution(void)
{
    const double pi = 3.14159265358979323846;

    CHECK_NEAR(pr_stats_t_cdf(0, 7), 0.5, 1e-15);
    CHECK_NEAR(pr_stats_t_cdf(1, 1), 0.75, 1e-12);
    CHECK_NEAR(pr_stats_t_cdf(-3, 1), 0.5 + atan(-3) / pi, 1e-12);
    CHECK_NEAR(pr_stats_t_cdf(1, 2), 0.5 + 1 / (2 * sqrt(3.0)), 1e-12);
    CHECK_NEAR(pr_stats_t_cdf(-0.5, 2), 0.5 - 0.5 / (2 * sqrt(2.25)), 1e-12);
    CHECK_NEAR(pr_stats_t_cdf(1.959964, INFINITY), 0.975, 1e-7);
    CHECK_NEAR(pr_stats_t_quantile(0.975, 1), tan(pi * 0.475), 1e-8);
    CHECK_NEAR(pr_stats_t_quantile(0.025, 1), -tan(pi * 0.475), 1e-8);
    CHECK_NEAR(pr_stats_t_quantile(0.5, 3), 0, 0);
    /* t table, 6 decimals */
    CHECK_NEAR(pr_stats_t_quantile(0.975, 2), 4.302653, 1e-6);
    CHECK_NEAR(pr_stats_t_quantile(0.975, 4), 2.776445, 1e-6);
    CHECK_NEAR(pr_stats_t_quantile(0.975, 8), 2.306004, 1e-6);
    CHECK_NEAR(pr_stats_t_quantile(0.975, 10), 2.228139, 1e-6);
    CHECK_NEAR(pr_stats_t_quantile(0.995, 3), 5.840909, 1e-6);
    CHECK_NEAR(pr_stats_t_quantile(0.95, 30), 1.697261, 1e-6);
    CHECK_NEAR(pr_stats_t_quantile(0.975, INFINITY), 1.959964, 1e-6);
}

/* a = {2, 4}, b = {1, 3}: means 3 and 2, variances 2 and 2, so change 0.5,
 * se sqrt(2/2 + 2/2) / 2, df (1 + 1)^2 / (1 + 1) = 2, and for df 2 the
 * two-sided p at t is 1 - t / sqrt(2 + t^2). */
static void test_welch(void)
{
    double a[] = {2, 4}, b[] = {1, 3}, same[] = {5, 5, 5}, other[] = {6, 6};
    double bad[] = {1, NAN}, zero[] = {0, 0};
    double se = sqrt(2.0) / 2, t = 0.5 / se;
    pr_welch w;

    CHECK_INT(pr_stats_welch(a, 2, b, 2, 0.05, &w), 0);
    CHECK_NEAR(w.change, 0.5, 1e-15);
    CHECK_NEAR(w.se, se, 1e-15);
    CHECK_NEAR(w.df, 2, 0);
    CHECK_NEAR(w.p_value, 1 - t / sqrt(2 + t * t), 1e-12);
    CHECK_NEAR(w.ci_low, 0.5 - 4.302653 * se, 1e-6);
    CHECK_NEAR(w.ci_high, 0.5 + 4.302653 * se, 1e-6);

    /* no spread: decided without an interval */
    CHECK_INT(pr_stats_welch(other, 2, same, 3, 0.05, &w), 0);
    CHECK_NEAR(w.change, 0.2, 1e-15);
    CHECK_NEAR(w.p_value, 0, 0);
    CHECK_NEAR(w.ci_low, 0.2, 1e-15);
    CHECK(isinf(w.df));
    CHECK_INT(pr_stats_welch(same, 3, same, 2, 0.05, &w), 0);
    CHECK_NEAR(w.p_value, 1, 0);

    CHECK_INT(pr_stats_welch(a, 1, b, 2, 0.05, &w), PR_EINVALID);
    CHECK_INT(pr_stats_welch(a, 2, b, 2, 0, &w), PR_EINVALID);
    CHECK_INT(pr_stats_welch(a, 2, b, 2, 1, &w), PR_EINVALID);
    CHECK_INT(pr_stats_welch(bad, 2, b, 2, 0.05, &w), PR_EINVALID);
    CHECK_INT(pr_stats_welch(a, 2, zero, 2, 0.05, &w), PR_EINVALID);
}

/* ---- Wilcoxon signed-rank --------------------------------------------------
 * The reference figures are printed by tests/data/signed_rank_reference.py
 * (run by hand with /usr/bin/python3, Debian 12's python3-scipy 1.10.1), its
 * output pasted next to each case:
 *   w_plus, p  scipy.stats.wilcoxon(d), default options ("scipy"); for ties
 *              without zeros scipy.stats.wilcoxon(d, method="approx"), as
 *              scipy 1.10's "auto" takes its exact path despite the ties
 *              ("scipy approx")
 *   z          (w_plus - m (m + 1) / 4) / se by hand with scipy's se, equal
 *              to -(scipy's zstatistic) up to the sign
 *   estimate, ci_low, ci_high, ci_level
 *              the script's own: sorted Walsh averages and R's rule on the
 *              exact null distribution counted by enumerating 2^n signs
 *              (n <= 16) or by prod (1 + x^k) in integers, "enumeration";
 *              above n = 400 the normal qu, "normal"
 * The interval's values are the same double sums as in C, so their
 * tolerance is a few units in the last place. */
#define SR_EXACT 1e-12 /* relative: exact p, z, exact level */
#define SR_NORMAL 1e-9 /* relative: normal-approximation p */
#define SR_ULP 1e-17   /* absolute, for values around 0.01 */

static pr_signed_rank signed_rank(const double *d, size_t n, double alpha)
{
    pr_signed_rank r;

    memset(&r, 0xff, sizeof r);
    CHECK_INT(pr_stats_signed_rank(d, n, alpha, &r), 0);
    return r;
}

/* The script's synthetic(n, centre): exact decimals (k - centre) / 25000
 * with k running through 0 .. 1008 without repeats, every 17th times 16. */
static void synthetic(double *d, size_t n, double centre)
{
    size_t i;

    for (i = 0; i < n; i++) {
        double k = (double)((i * 7919 + 13) % 1009);

        d[i] = (k - centre) / 25000.0;
        if (i % 17 == 5)
            d[i] *= 16;
    }
}

static void test_signed_rank_exact(void)
{
    /* n8: n 8
     *   enumeration p 0.0546875
     *   m 8  w_plus 32.0  scipy statistic 4.0  exact 1
     *   z 1.9603921176392136
     *   p 0.0546875
     *   alpha 0.05: estimate 0.01625  ci [-0.0024999999999999996, 0.034]
     *     level 0.9609375  (qu 4, exact) */
    double d[] = {0.021, -0.013, 0.034, 0.008, -0.004, 0.027, 0.015, 0.041};
    pr_signed_rank r = signed_rank(d, 8, 0.05);

    CHECK_INT(r.n, 8);
    CHECK_INT(r.n_nonzero, 8);
    CHECK_INT(r.exact, 1);
    CHECK_NEAR(r.w_plus, 32, 0);
    CHECK_REL(r.z, 1.9603921176392136, SR_EXACT);
    CHECK_REL(r.p_value, 0.0546875, SR_EXACT);
    CHECK_NEAR(r.estimate, 0.01625, SR_ULP);
    CHECK_NEAR(r.ci_low, -0.0024999999999999996, SR_ULP);
    CHECK_NEAR(r.ci_high, 0.034, SR_ULP);
    CHECK_REL(r.ci_level, 0.9609375, SR_EXACT);
}

static void test_signed_rank_outlier(void)
{
    /* n16: n 16
     *   enumeration p 0.231201171875
     *   m 16  w_plus 92.0  scipy statistic 44.0  exact 1
     *   z 1.241010455988046
     *   p 0.231201171875
     *   alpha 0.05: estimate 0.006  ci [-0.0045000000000000005, 0.043]
     *     level 0.9556884765625  (qu 30, exact)
     *   alpha 0.01: estimate 0.006  ci [-0.010499999999999999, 0.058499999999999996]
     *     level 0.990814208984375  (qu 20, exact)
     *   alpha 0.1: estimate 0.006  ci [-0.0025, 0.0165]
     *     level 0.90655517578125  (qu 36, exact)
     * The +40% round (0.336 = ln 1.4) has rank 16 whatever its size: as +0.11
 * it would give the same p. */
    double d[] = {0.011, -0.009, 0.102, -0.071, 0.004, 0.013, -0.006, 0.018,
                  0.007, -0.012, 0.015, 0.336, -0.003, 0.021, 0.005, -0.016};
    pr_signed_rank r = signed_rank(d, 16, 0.05);

    CHECK_INT(r.n_nonzero, 16);
    CHECK_INT(r.exact, 1);
    CHECK_NEAR(r.w_plus, 92, 0);
    CHECK_REL(r.z, 1.241010455988046, SR_EXACT);
    CHECK_REL(r.p_value, 0.231201171875, SR_EXACT);
    CHECK_NEAR(r.estimate, 0.006, SR_ULP);
    CHECK_NEAR(r.ci_low, -0.0045000000000000005, SR_ULP);
    CHECK_NEAR(r.ci_high, 0.043, SR_ULP);
    CHECK_REL(r.ci_level, 0.9556884765625, SR_EXACT);

    r = signed_rank(d, 16, 0.01);
    CHECK_REL(r.p_value, 0.231201171875, SR_EXACT);
    CHECK_NEAR(r.estimate, 0.006, SR_ULP);
    CHECK_NEAR(r.ci_low, -0.010499999999999999, SR_ULP);
    CHECK_NEAR(r.ci_high, 0.058499999999999996, SR_ULP);
    CHECK_REL(r.ci_level, 0.990814208984375, SR_EXACT);

    r = signed_rank(d, 16, 0.1);
    CHECK_NEAR(r.ci_low, -0.0025, SR_ULP);
    CHECK_NEAR(r.ci_high, 0.0165, SR_ULP);
    CHECK_REL(r.ci_level, 0.90655517578125, SR_EXACT);

    /* n16 with a zero: n 16 (d[4] = 0.004 -> 0)
     *   scipy warns: Exact p-value calculation does not work if there are
     *     zeros. Switching to normal approximation.
     *   m 15  w_plus 81.0  scipy statistic 39.0  exact 0
     *   z 1.192719851918836
     *   p 0.2329791081812146
     *   alpha 0.05: estimate 0.00575  ci [-0.0055, 0.043]
     *     level 0.9556884765625  (qu 30, exact)
     * The zero leaves the test but stays in the interval's n = 16. */
    d[4] = 0;
    r = signed_rank(d, 16, 0.05);
    CHECK_INT(r.n, 16);
    CHECK_INT(r.n_nonzero, 15);
    CHECK_INT(r.exact, 0);
    CHECK_NEAR(r.w_plus, 81, 0);
    CHECK_REL(r.z, 1.192719851918836, SR_EXACT);
    CHECK_REL(r.p_value, 0.2329791081812146, SR_NORMAL);
    CHECK_NEAR(r.estimate, 0.00575, SR_ULP);
    CHECK_NEAR(r.ci_low, -0.0055, SR_ULP);
    CHECK_NEAR(r.ci_high, 0.043, SR_ULP);
    CHECK_REL(r.ci_level, 0.9556884765625, SR_EXACT);
}

static void test_signed_rank_ties(void)
{
    /* ties: n 12 (|d| 0.01 x3, 0.02 x4, 0.03 x2: mid-ranks 2, 5.5, 8.5)
     *   scipy auto (exact path despite ties): statistic 16.0 p 0.0771484375
     *   sum(t^3 - t) 90
     *   m 12  w_plus 62.0  scipy statistic 16.0  exact 0
     *   z 1.8147686392506848
     *   p 0.06955947172215528                               (scipy approx)
     *   alpha 0.05: estimate 0.017499999999999998  ci [0.0, 0.035]
     *     level 0.95751953125  (qu 14, exact) */
    double d[] = {0.01, -0.01, 0.02, 0.02, -0.02, 0.03, 0.01, 0.04, 0.05, -0.03, 0.06, 0.02, 0};
    pr_signed_rank r = signed_rank(d, 12, 0.05);

    CHECK_INT(r.n_nonzero, 12);
    CHECK_INT(r.exact, 0);
    CHECK_NEAR(r.w_plus, 62, 0);
    CHECK_REL(r.z, 1.8147686392506848, SR_EXACT);
    CHECK_REL(r.p_value, 0.06955947172215528, SR_NORMAL);
    CHECK_NEAR(r.estimate, 0.017499999999999998, SR_ULP);
    CHECK_NEAR(r.ci_low, 0, SR_ULP);
    CHECK_NEAR(r.ci_high, 0.035, SR_ULP);
    CHECK_REL(r.ci_level, 0.95751953125, SR_EXACT);

    /* ties and a zero: n 13 (the same and a 0: scipy's default agrees)
     *   scipy warns: Exact p-value calculation does not work if there are
     *     zeros. Switching to normal approximation.
     *   m 12  w_plus 62.0  scipy statistic 16.0  exact 0
     *   z 1.8147686392506848
     *   p 0.06955947172215528
     *   alpha 0.05: estimate 0.015  ci [0.0, 0.030000000000000002]
     *     level 0.9521484375  (qu 18, exact) */
    r = signed_rank(d, 13, 0.05);
    CHECK_INT(r.n, 13);
    CHECK_INT(r.n_nonzero, 12);
    CHECK_INT(r.exact, 0);
    CHECK_NEAR(r.w_plus, 62, 0);
    CHECK_REL(r.z, 1.8147686392506848, SR_EXACT);
    CHECK_REL(r.p_value, 0.06955947172215528, SR_NORMAL);
    CHECK_NEAR(r.estimate, 0.015, SR_ULP);
    CHECK_NEAR(r.ci_low, 0, SR_ULP);
    CHECK_NEAR(r.ci_high, 0.030000000000000002, SR_ULP);
    CHECK_REL(r.ci_level, 0.9521484375, SR_EXACT);
}

static void test_signed_rank_exact_limit(void)
{
    /* synthetic(50, 400.25): n 50 (no ties, no zeros)
     *   enumeration p 0.052989788310034314
     *   m 50  w_plus 838.0  scipy statistic 437.0  exact 1
     *   z 1.9354823742330496
     *   p 0.052989788310034314
     *   alpha 0.05: estimate 0.00395  ci [-0.00026999999999999995, 0.00825]
     *     level 0.9505535931993983  (qu 435, exact)
     * synthetic(51, 400.25): n 51
     *   m 51  w_plus 871.0  scipy statistic 455.0  exact 0
     *   z 1.949681108514943
     *   p 0.05121413935129107
     *   alpha 0.05: estimate 0.00395  ci [-0.00026999999999999984, 0.00817]
     *     level 0.9510299952694581  (qu 454, exact) */
    double d[51];
    pr_signed_rank r;

    synthetic(d, 51, 400.25);
    r = signed_rank(d, 50, 0.05);
    CHECK_INT(r.exact, 1);
    CHECK_NEAR(r.w_plus, 838, 0);
    CHECK_REL(r.z, 1.9354823742330496, SR_EXACT);
    CHECK_REL(r.p_value, 0.052989788310034314, SR_EXACT);
    CHECK_NEAR(r.estimate, 0.00395, SR_ULP);
    CHECK_NEAR(r.ci_low, -0.00026999999999999995, SR_ULP);
    CHECK_NEAR(r.ci_high, 0.00825, SR_ULP);
    CHECK_REL(r.ci_level, 0.9505535931993983, SR_EXACT);

    r = signed_rank(d, 51, 0.05);
    CHECK_INT(r.exact, 0);
    CHECK_NEAR(r.w_plus, 871, 0);
    CHECK_REL(r.z, 1.949681108514943, SR_EXACT);
    CHECK_REL(r.p_value, 0.05121413935129107, SR_NORMAL);
    CHECK_NEAR(r.estimate, 0.00395, SR_ULP);
    CHECK_NEAR(r.ci_low, -0.00026999999999999984, SR_ULP);
    CHECK_NEAR(r.ci_high, 0.00817, SR_ULP);
    CHECK_REL(r.ci_level, 0.9510299952694581, SR_EXACT);
}

static void test_signed_rank_60(void)
{
    /* synthetic(60, 454): n 60
     *   m 60  w_plus 1043.0  scipy statistic 787.0  exact 0
     *   z 0.9422851842081932
     *   p 0.3460466514427212
     *   alpha 0.05: estimate 0.0018000000000000004
     *     ci [-0.0019199999999999998, 0.005520000000000001]
     *     level 0.9507184940156387  (qu 649, exact)
     *   alpha 0.01: ci [-0.0031599999999999996, 0.007180000000000001]
     *     level 0.9901811991742285  (qu 568, exact)
     *   alpha 0.1: ci [-0.0012599999999999998, 0.00494]
     *     level 0.9013711503233983  (qu 691, exact) */
    double d[60];
    pr_signed_rank r;

    synthetic(d, 60, 454);
    r = signed_rank(d, 60, 0.05);
    CHECK_INT(r.n_nonzero, 60);
    CHECK_INT(r.exact, 0);
    CHECK_NEAR(r.w_plus, 1043, 0);
    CHECK_REL(r.z, 0.9422851842081932, SR_EXACT);
    CHECK_REL(r.p_value, 0.3460466514427212, SR_NORMAL);
    CHECK_NEAR(r.estimate, 0.0018000000000000004, SR_ULP);
    CHECK_NEAR(r.ci_low, -0.0019199999999999998, SR_ULP);
    CHECK_NEAR(r.ci_high, 0.005520000000000001, SR_ULP);
    CHECK_REL(r.ci_level, 0.9507184940156387, SR_EXACT);

    r = signed_rank(d, 60, 0.01);
    CHECK_NEAR(r.estimate, 0.0018000000000000004, SR_ULP);
    CHECK_NEAR(r.ci_low, -0.0031599999999999996, SR_ULP);
    CHECK_NEAR(r.ci_high, 0.007180000000000001, SR_ULP);
    CHECK_REL(r.ci_level, 0.9901811991742285, SR_EXACT);

    r = signed_rank(d, 60, 0.1);
    CHECK_NEAR(r.ci_low, -0.0012599999999999998, SR_ULP);
    CHECK_NEAR(r.ci_high, 0.00494, SR_ULP);
    CHECK_REL(r.ci_level, 0.9013711503233983, SR_EXACT);
}

static void test_signed_rank_ci_limit(void)
{
    /* synthetic(400, 454): n 400 (120 pairs of equal |d|)
     *   sum(t^3 - t) 720
     *   m 400  w_plus 47360.0  scipy statistic 32840.0  exact 0
     *   z 3.1377938682066784
     *   p 0.001702245419503697
     *   alpha 0.05: estimate 0.0021599999999999996
     *     ci [0.0008399999999999999, 0.0034799999999999996]
     *     level 0.9500052284738971  (qu 35567, exact)
     * synthetic(401, 454): n 401
     *   m 401  w_plus 47547.0  scipy statistic 33054.0  exact 0
     *   z 3.120265403575359
     *   p 0.0018068815952784617
     *   alpha 0.05: estimate 0.00214  ci [0.0008200000000000004, 0.00346]
     *     level 0.9500591635721884  (qu 35748, normal, floor of 35748.676060) */
    static double d[401];
    pr_signed_rank r;

    synthetic(d, 401, 454);
    r = signed_rank(d, 400, 0.05);
    CHECK_INT(r.exact, 0);
    CHECK_NEAR(r.w_plus, 47360, 0);
    CHECK_REL(r.z, 3.1377938682066784, SR_EXACT);
    CHECK_REL(r.p_value, 0.001702245419503697, SR_NORMAL);
    CHECK_NEAR(r.estimate, 0.0021599999999999996, SR_ULP);
    CHECK_NEAR(r.ci_low, 0.0008399999999999999, SR_ULP);
    CHECK_NEAR(r.ci_high, 0.0034799999999999996, SR_ULP);
    CHECK_REL(r.ci_level, 0.9500052284738971, SR_EXACT);

    r = signed_rank(d, 401, 0.05);
    CHECK_NEAR(r.w_plus, 47547, 0);
    CHECK_REL(r.z, 3.120265403575359, SR_EXACT);
    CHECK_REL(r.p_value, 0.0018068815952784617, SR_NORMAL);
    CHECK_NEAR(r.estimate, 0.00214, SR_ULP);
    CHECK_NEAR(r.ci_low, 0.0008200000000000004, SR_ULP);
    CHECK_NEAR(r.ci_high, 0.00346, SR_ULP);
    CHECK_REL(r.ci_level, 0.9500591635721884, SR_NORMAL);
}

static void test_signed_rank_500(void)
{
    /* synthetic(500, 454): n 500
     *   sum(t^3 - t) 720
     *   m 500  w_plus 74090.0  scipy statistic 51160.0  exact 0
     *   z 3.546982843588756
     *   p 0.0003896699662315168
     *   alpha 0.05: estimate 0.0021600000000000005
     *     ci [0.001, 0.003340000000000001]
     *     level 0.9500453886166712  (qu 56289, normal, floor of 56289.755595)
     *   alpha 0.01: ci [0.0006000000000000003, 0.0037400000000000003]
     *     level 0.9900051659303469  (qu 54299, normal, floor of 54299.077528) */
    static double d[500];
    pr_signed_rank r;

    synthetic(d, 500, 454);
    r = signed_rank(d, 500, 0.05);
    CHECK_INT(r.n_nonzero, 500);
    CHECK_INT(r.exact, 0);
    CHECK_NEAR(r.w_plus, 74090, 0);
    CHECK_REL(r.z, 3.546982843588756, SR_EXACT);
    CHECK_REL(r.p_value, 0.0003896699662315168, SR_NORMAL);
    CHECK_NEAR(r.estimate, 0.0021600000000000005, SR_ULP);
    CHECK_NEAR(r.ci_low, 0.001, SR_ULP);
    CHECK_NEAR(r.ci_high, 0.003340000000000001, SR_ULP);
    CHECK_REL(r.ci_level, 0.9500453886166712, SR_NORMAL);

    r = signed_rank(d, 500, 0.01);
    CHECK_NEAR(r.ci_low, 0.0006000000000000003, SR_ULP);
    CHECK_NEAR(r.ci_high, 0.0037400000000000003, SR_ULP);
    CHECK_REL(r.ci_level, 0.9900051659303469, SR_NORMAL);
}

static void test_signed_rank_tiny(void)
{
    /* n1: m 1  w_plus 1.0  exact 1  z 1.0  p 1.0
     *   alpha 0.05: estimate 0.05  ci [0.05, 0.05]  level 0.0  (qu 1, exact)
     * n2: m 2  w_plus 2.0  exact 1  z 0.4472135954999579  p 1.0
     *   alpha 0.05: estimate 0.009999999999999998  ci [-0.01, 0.03]  level 0.5
     * n2 positive: w_plus 3.0  z 1.3416407864998738  p 0.5
     *   alpha 0.05: estimate 0.02  ci [0.01, 0.03]  level 0.5  (qu 1, exact)
     * n5: w_plus 14.0  exact 1  z 1.7529196424044293  p 0.125
     *   alpha 0.05: estimate 0.03  ci [-0.01, 0.05]  level 0.9375  (qu 1, exact)
     *   alpha 0.1: the same
     * At n = 5 even qu = 1, the whole range [min d, max d], misses 0.95:
     * 1 - 2 / 2^5. */
    double one[] = {0.05}, two[] = {0.03, -0.01}, two_up[] = {0.03, 0.01};
    double five[] = {0.02, -0.01, 0.04, 0.03, 0.05};
    pr_signed_rank r = signed_rank(one, 1, 0.05);

    CHECK_INT(r.exact, 1);
    CHECK_NEAR(r.w_plus, 1, 0);
    CHECK_REL(r.z, 1, SR_EXACT);
    CHECK_NEAR(r.p_value, 1, 0);
    CHECK_NEAR(r.estimate, 0.05, 0);
    CHECK_NEAR(r.ci_low, 0.05, 0);
    CHECK_NEAR(r.ci_high, 0.05, 0);
    CHECK_NEAR(r.ci_level, 0, 0);

    r = signed_rank(two, 2, 0.05);
    CHECK_NEAR(r.w_plus, 2, 0);
    CHECK_REL(r.z, 0.4472135954999579, SR_EXACT);
    CHECK_NEAR(r.p_value, 1, 0);
    CHECK_NEAR(r.estimate, 0.009999999999999998, SR_ULP);
    CHECK_NEAR(r.ci_low, -0.01, 0);
    CHECK_NEAR(r.ci_high, 0.03, 0);
    CHECK_NEAR(r.ci_level, 0.5, 0);

    r = signed_rank(two_up, 2, 0.05);
    CHECK_NEAR(r.w_plus, 3, 0);
    CHECK_REL(r.z, 1.3416407864998738, SR_EXACT);
    CHECK_REL(r.p_value, 0.5, SR_EXACT);
    CHECK_NEAR(r.estimate, 0.02, SR_ULP);
    CHECK_NEAR(r.ci_low, 0.01, 0);
    CHECK_NEAR(r.ci_high, 0.03, 0);

    r = signed_rank(five, 5, 0.05);
    CHECK_NEAR(r.w_plus, 14, 0);
    CHECK_REL(r.z, 1.7529196424044293, SR_EXACT);
    CHECK_REL(r.p_value, 0.125, SR_EXACT);
    CHECK_NEAR(r.estimate, 0.03, SR_ULP);
    CHECK_NEAR(r.ci_low, -0.01, 0);
    CHECK_NEAR(r.ci_high, 0.05, 0);
    CHECK_REL(r.ci_level, 0.9375, SR_EXACT);
    r = signed_rank(five, 5, 0.1);
    CHECK_NEAR(r.ci_low, -0.01, 0);
    CHECK_NEAR(r.ci_high, 0.05, 0);
    CHECK_REL(r.ci_level, 0.9375, SR_EXACT);
}

static void test_signed_rank_all_zero(void)
{
    /* all zeros: n 4 ({0, 0, -0, 0})
     *   scipy default: ValueError: zero_method 'wilcox' and 'pratt' do not
     *     work if x - y is zero for all elements.
     *   alpha 0.05: estimate 0.0  ci [0.0, 0.0]  level 0.875  (qu 1, exact)
     * perfreg's definition: p 1, z 0, estimate and interval +0. */
    double d[] = {0, 0, -0.0, 0};
    pr_signed_rank r = signed_rank(d, 4, 0.05);

    CHECK_INT(r.n, 4);
    CHECK_INT(r.n_nonzero, 0);
    CHECK_INT(r.exact, 0);
    CHECK_NEAR(r.w_plus, 0, 0);
    CHECK_NEAR(r.z, 0, 0);
    CHECK_NEAR(r.p_value, 1, 0);
    CHECK(r.estimate == 0 && !signbit(r.estimate));
    CHECK(r.ci_low == 0 && !signbit(r.ci_low));
    CHECK(r.ci_high == 0 && !signbit(r.ci_high));
    CHECK_NEAR(r.ci_level, 0.875, 0);
}

/* Properties the definitions imply, no reference needed: negating every
 * difference mirrors the statistic, the estimate and the interval and keeps
 * p; the input stays as it was; huge finite values do not overflow. */
static void test_signed_rank_properties(void)
{
    double d[16], neg[16], before[16];
    double huge[] = {1.5e308, 1e308, -1e308, 1.7e308};
    pr_signed_rank r, s;
    size_t i;

    synthetic(d, 16, 454);
    for (i = 0; i < 16; i++)
        neg[i] = -d[i];
    memcpy(before, d, sizeof d);
    r = signed_rank(d, 16, 0.05);
    CHECK(memcmp(before, d, sizeof d) == 0);
    s = signed_rank(neg, 16, 0.05);
    CHECK_NEAR(s.w_plus, 16 * 17 / 2 - r.w_plus, 0);
    CHECK_NEAR(s.z, -r.z, 1e-15);
    CHECK_NEAR(s.p_value, r.p_value, 1e-15);
    CHECK_NEAR(s.estimate, -r.estimate, 0);
    CHECK_NEAR(s.ci_low, -r.ci_high, 0);
    CHECK_NEAR(s.ci_high, -r.ci_low, 0);
    CHECK_NEAR(s.ci_level, r.ci_level, 0);

    /* Walsh averages {1.5, 1.25, 0.25, 1.6, 1, 0, 1.35, -1, 0.35, 1.7} e308:
     * sorted, the median of 10 is (1 + 1.25) / 2 e308. */
    r = signed_rank(huge, 4, 0.05);
    CHECK(isfinite(r.estimate));
    CHECK_NEAR(r.estimate, 1.125e308, 1e293);
    CHECK_NEAR(r.ci_low, -1e308, 0);
    CHECK_NEAR(r.ci_high, 1.7e308, 0);
}

static void test_signed_rank_errors(void)
{
    double d[] = {0.01, -0.02, 0.03}, bad[] = {0.01, NAN, 0.02}, inf[] = {0.01, -INFINITY};
    double *many = calloc(PR_SIGNED_RANK_MAX_N + 1, sizeof *many);
    pr_signed_rank r, untouched;

    memset(&r, 0x5a, sizeof r);
    memcpy(&untouched, &r, sizeof r);
    CHECK_INT(pr_stats_signed_rank(d, 0, 0.05, &r), PR_EINVALID);
    CHECK_STR(pr_error_last(), "signed-rank: no differences");
    CHECK_INT(pr_stats_signed_rank(NULL, 3, 0.05, &r), PR_EINVALID);
    CHECK_INT(pr_stats_signed_rank(d, 3, 0, &r), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "alpha must be between 0 and 1");
    CHECK_INT(pr_stats_signed_rank(d, 3, 1, &r), PR_EINVALID);
    CHECK_INT(pr_stats_signed_rank(d, 3, -0.5, &r), PR_EINVALID);
    CHECK_INT(pr_stats_signed_rank(d, 3, NAN, &r), PR_EINVALID);
    CHECK_INT(pr_stats_signed_rank(bad, 3, 0.05, &r), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "difference 1 is not finite");
    CHECK_INT(pr_stats_signed_rank(inf, 2, 0.05, &r), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "difference 1 is not finite");
    CHECK(memcmp(&r, &untouched, sizeof r) == 0);

    /* 14142 differences would take 100005153 averages, past 10^8. */
    CHECK(many != NULL);
    if (many) {
        CHECK_INT(pr_stats_signed_rank(many, PR_SIGNED_RANK_MAX_N + 1, 0.05, &r), PR_EINVALID);
        CHECK_CONTAINS(pr_error_last(), "14142 differences are too many");
    }
    free(many);
}

int main(void)
{
    RUN_TEST(test_t_distribution);
    RUN_TEST(test_welch);
    RUN_TEST(test_one_sample);
    RUN_TEST(test_two_samples);
    RUN_TEST(test_all_equal);
    RUN_TEST(test_all_zero);
    RUN_TEST(test_odd_count);
    RUN_TEST(test_even_count);
    RUN_TEST(test_outliers);
    RUN_TEST(test_large_offset);
    RUN_TEST(test_input_not_modified);
    RUN_TEST(test_errors);
    RUN_TEST(test_extremes_stay_finite);
    RUN_TEST(test_quantile_sorted);
    RUN_TEST(test_signed_rank_exact);
    RUN_TEST(test_signed_rank_outlier);
    RUN_TEST(test_signed_rank_ties);
    RUN_TEST(test_signed_rank_exact_limit);
    RUN_TEST(test_signed_rank_60);
    RUN_TEST(test_signed_rank_ci_limit);
    RUN_TEST(test_signed_rank_500);
    RUN_TEST(test_signed_rank_tiny);
    RUN_TEST(test_signed_rank_all_zero);
    RUN_TEST(test_signed_rank_properties);
    RUN_TEST(test_signed_rank_errors);
    return CHECK_DONE();
}
