/*
 * test_stats.c - pr_stats_compute and pr_stats_quantile_sorted against
 * values worked out by hand. Each case shows its arithmetic; the long
 * decimals were cross-checked with python3 (statistics.stdev, plain
 * arithmetic for the type-7 quantiles).
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "error.h"
#include "stats.h"
#include "banned.h"

#define TOL 1e-9

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
    return CHECK_DONE();
}
