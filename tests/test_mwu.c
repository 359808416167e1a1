/*
 * test_mwu.c - pr_stats_mann_whitney against reference values computed
 * outside perfreg, with Debian 12's python3-scipy 1.10.1:
 *   exact, no ties   scipy.stats.mannwhitneyu(a, b, alternative='two-sided',
 *                    method='exact'), written "scipy exact" below
 *   normal approx.   the same with method='asymptotic', use_continuity=True,
 *                    "scipy asymptotic"; its tie-corrected variance was
 *                    checked against ours (na nb / 12 ((n + 1) -
 *                    sum(t^3 - t) / (n (n - 1))), erfc of |U - mean| - 0.5):
 *                    equal to 4e-15 on the cases below
 *   exact, ties      scipy has none: "enumeration" is a Python loop over all
 *                    C(n, na) choices (itertools.combinations) of which pooled
 *                    values form A, U counted pair by pair (1 for x > y, 0.5
 *                    for x == y); p = min(1, 2 min(#(U <= U_obs),
 *                    #(U >= U_obs)) / C(n, na)); min_p the same with the
 *                    counts of the smallest and largest U
 *   z                (U - na nb / 2) / sigma with sigma tie-corrected and no
 *                    continuity correction, in Python from
 *                    scipy.stats.rankdata
 * U is scipy's statistic (U of the first sample) or the enumeration's U_obs.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "error.h"
#include "stats.h"
#include "banned.h"

#define N(x) (sizeof(x) / sizeof *(x))
#define REL 1e-12

/* |a - b| <= rel |b| */
#define CHECK_REL(a, b, rel) CHECK_NEAR(a, b, (rel)*fabs((double)(b)))

static pr_mwu mwu(const double *a, size_t na, const double *b, size_t nb)
{
    pr_mwu r = {-1, -1, -1, -1, -1};

    CHECK_INT(pr_stats_mann_whitney(a, na, b, nb, &r), 0);
    return r;
}

static void test_three_vs_three(void)
{
    /* The smallest sizes where p can reach 0.1: min_p = 2 / C(6, 3). */
    double hi[] = {4, 5, 6}, lo[] = {1, 2, 3}, mixed_a[] = {1, 5, 6}, mixed_b[] = {2, 3, 4};
    pr_mwu r = mwu(hi, 3, lo, 3);

    CHECK_INT(r.exact, 1);
    CHECK_NEAR(r.u, 9, 0);
    CHECK_REL(r.p_value, 0.1, REL); /* scipy exact */
    CHECK_REL(r.min_p, 0.1, REL);
    CHECK_REL(r.z, 1.9639610121239315, REL);

    r = mwu(mixed_a, 3, mixed_b, 3);
    CHECK_NEAR(r.u, 6, 0);
    CHECK_REL(r.p_value, 0.7, REL); /* scipy exact */
    CHECK_REL(r.min_p, 0.1, REL);
    CHECK_REL(r.z, 0.6546536707079772, REL);
}

static void test_four_vs_four(void)
{
    double a[] = {1, 3, 5, 7}, b[] = {2, 4, 6, 8}, hi[] = {10, 11, 12, 13}, lo[] = {1, 2, 3, 4};
    pr_mwu r = mwu(a, 4, b, 4);

    CHECK_INT(r.exact, 1);
    CHECK_NEAR(r.u, 6, 0);
    CHECK_REL(r.p_value, 0.6857142857142857, REL); /* scipy exact */
    CHECK_REL(r.min_p, 2.0 / 70, REL);
    CHECK_REL(r.z, -0.5773502691896258, REL);

    r = mwu(hi, 4, lo, 4);
    CHECK_NEAR(r.u, 16, 0);
    CHECK_REL(r.p_value, 0.02857142857142857, REL); /* scipy exact */
    CHECK_REL(r.min_p, 2.0 / 70, REL);
    CHECK_REL(r.z, 2.3094010767585034, REL);
}

static void test_one_vs_one(void)
{
    double a[] = {2}, b[] = {1};
    pr_mwu r = mwu(a, 1, b, 1);

    CHECK_INT(r.exact, 1);
    CHECK_NEAR(r.u, 1, 0);
    CHECK_NEAR(r.p_value, 1, 0); /* scipy exact: 1.0 */
    CHECK_NEAR(r.min_p, 1, 0);   /* 2 / C(2, 1), capped */
    CHECK_REL(r.z, 1, REL);
}

static void test_separated_ten_vs_ten(void)
{
    double a[10], b[10];
    size_t i;
    pr_mwu r;

    for (i = 0; i < 10; i++) {
        a[i] = 100 + (double)i;
        b[i] = 0.5 + (double)i;
    }
    r = mwu(a, 10, b, 10);
    CHECK_INT(r.exact, 1);
    CHECK_NEAR(r.u, 100, 0);
    CHECK_REL(r.p_value, 1.082508822446903e-05, REL); /* scipy exact; 2 / C(20, 10) */
    CHECK_REL(r.min_p, 2.0 / 184756, REL);
    CHECK_REL(r.z, 3.779644730092272, REL);

    r = mwu(b, 10, a, 10);
    CHECK_NEAR(r.u, 0, 0);
    CHECK_REL(r.p_value, 1.082508822446903e-05, REL);
    CHECK_REL(r.z, -3.779644730092272, REL);
}

static void test_exact_no_ties(void)
{
    double c[] = {49.88, 53.34, 48.30, 55.26, 49.97, 52.92, 43.55, 51.73, 41.56, 39.82};
    double d[] = {51.48, 48.50, 53.82, 64.22, 48.84, 49.89, 54.03, 55.47, 52.12, 51.97};
    double e[] = {12.40, 12.04, 10.93, 12.84, 13.07};
    double f[] = {8.89, 11.52, 9.28, 12.94, 11.39, 11.18, 9.82, 10.76, 7.00, 8.74, 11.73, 6.74};
    /* 25 + 25 = PR_MWU_EXACT_MAX: the largest exact case. */
    double g[] = {108.5, 82.5,  107.6, 91.5,  107.8, 101.3, 84.6, 112.5, 114.4,
                  99.3,  97.3,  98.4,  90.2,  111.0, 94.6,  99.5, 92.1,  93.7,
                  87.2,  112.6, 98.55, 109.7, 100.1, 93.1,  96.7};
    double h[] = {100.4, 106.1, 102.2, 103.0, 92.2, 97.9, 122.5, 99.35, 95.5,
                  109.4, 120.1, 91.55, 103.9, 99.7, 88.4, 113.3, 105.8, 106.7,
                  98.5,  110.5, 100.6, 104.6, 94.9, 93.8, 119.4};
    double one[] = {2.5}, many[49];
    size_t i;
    pr_mwu r;

    r = mwu(c, N(c), d, N(d));
    CHECK_INT(r.exact, 1);
    CHECK_NEAR(r.u, 29, 0);
    CHECK_REL(r.p_value, 0.1230054774946416, REL); /* scipy exact */
    CHECK_REL(r.z, -1.5874507866387544, REL);

    r = mwu(e, N(e), f, N(f));
    CHECK_INT(r.exact, 1);
    CHECK_NEAR(r.u, 52, 0);
    CHECK_REL(r.p_value, 0.019392372333548805, REL); /* scipy exact */
    CHECK_REL(r.min_p, 2.0 / 6188, REL);             /* C(17, 5) = 6188 */
    CHECK_REL(r.z, 2.3190036174568114, REL);

    r = mwu(g, N(g), h, N(h));
    CHECK_INT(r.exact, 1);
    CHECK_NEAR(r.u, 242, 0);
    CHECK_REL(r.p_value, 0.17594405959705728, REL); /* scipy exact */
    CHECK_REL(r.min_p, 2 / 126410606437752.0, REL); /* C(50, 25) */
    CHECK_REL(r.z, -1.367900925204918, REL);

    for (i = 0; i < N(many); i++)
        many[i] = (double)i;
    r = mwu(one, 1, many, N(many));
    CHECK_INT(r.exact, 1);
    CHECK_NEAR(r.u, 3, 0);
    CHECK_REL(r.p_value, 0.16, REL); /* scipy exact */
    CHECK_REL(r.min_p, 2.0 / 50, REL);
    CHECK_REL(r.z, -1.4898616966517597, REL);
}

static void test_no_difference(void)
{
    /* U exactly at its mean: 2 P(U <= mean) > 1, capped. */
    double a[] = {1, 4, 5, 8}, b[] = {2, 3, 6, 7};
    /* Identical samples tie pairwise: the exact test with ties. */
    double same[] = {1, 2, 3, 4, 5};
    pr_mwu r = mwu(a, 4, b, 4);

    CHECK_NEAR(r.u, 8, 0);
    CHECK_NEAR(r.p_value, 1, 0); /* scipy exact: 1.0 */
    CHECK_NEAR(r.z, 0, 0);

    r = mwu(same, 5, same, 5);
    CHECK_INT(r.exact, 1);
    CHECK_NEAR(r.u, 12.5, 0);
    CHECK_NEAR(r.p_value, 1, 0);                   /* enumeration: 1 */
    CHECK_REL(r.min_p, 0.015873015873015872, REL); /* enumeration */
    CHECK_NEAR(r.z, 0, 0);
}

static void test_normal_approximation(void)
{
    /* 30 + 30 > PR_MWU_EXACT_MAX; B shifted up by about one stddev. */
    double a[] = {1000.0, 1009.0, 991.8,  973.3,  986.4,  970.3,  1001.8, 1040.2, 985.2, 981.4,
                  1014.7, 1010.7, 1003.2, 972.1,  999.1,  1020.9, 959.7,  986.3,  943.0, 961.3,
                  944.7,  992.9,  962.0,  1008.1, 1004.7, 994.4,  924.5,  983.8,  998.5, 1003.4};
    double b[] = {984.1,  1015.7, 1000.6, 1005.7, 1061.8, 1005.8, 1029.0, 1056.5, 1012.5, 1026.6,
                  1033.3, 1031.9, 993.2,  1032.3, 1070.8, 983.6,  1055.8, 1033.6, 1010.8, 1090.0,
                  1052.9, 994.0,  1032.2, 1047.3, 1024.3, 1050.5, 1028.0, 1050.0, 1073.2, 1009.7};
    double lo[30], hi[30];
    size_t i;
    pr_mwu r = mwu(a, N(a), b, N(b));

    CHECK_INT(r.exact, 0);
    CHECK_NEAR(r.u, 110, 0);
    CHECK_REL(r.p_value, 5.185675139382169e-07, 1e-9); /* scipy asymptotic */
    CHECK_REL(r.z, -5.0267046424910955, REL);
    /* scipy asymptotic of 30 vs 30 completely separated (U = 0). */
    CHECK_REL(r.min_p, 3.019859359162157e-11, 1e-9);

    for (i = 0; i < 30; i++) {
        lo[i] = (double)i;
        hi[i] = 100 + (double)i;
    }
    r = mwu(lo, 30, hi, 30);
    CHECK_NEAR(r.u, 0, 0);
    CHECK_REL(r.p_value, 3.019859359162157e-11, 1e-9); /* scipy asymptotic */
    CHECK_NEAR(r.p_value, r.min_p, 0);
    CHECK_REL(r.z, -6.6529914385911555, REL);
}

static void test_exact_with_ties(void)
{
    double a1[] = {1, 2, 2, 3, 5}, b1[] = {2, 3, 3, 4, 6, 6};
    double a2[] = {1, 1, 2, 2, 2, 3, 3}, b2[] = {2, 3, 3, 4, 4, 4, 5};
    double a3[] = {5, 5, 6}, b3[] = {1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 6};
    double a4[] = {1, 2}, b4[] = {2, 3};
    double a5[] = {50, 53, 48, 55, 50, 53, 44, 52, 42, 40};
    double b5[] = {51, 49, 54, 64, 49, 50, 54, 55, 52, 52};
    pr_mwu r;

    r = mwu(a1, N(a1), b1, N(b1));
    CHECK_INT(r.exact, 1);
    CHECK_NEAR(r.u, 7, 0);
    CHECK_REL(r.p_value, 0.17316017316017315, REL); /* enumeration, 462 splits */
    CHECK_REL(r.min_p, 0.012987012987012988, REL);
    CHECK_REL(r.z, -1.4914183162335242, REL);

    r = mwu(a2, N(a2), b2, N(b2));
    CHECK_NEAR(r.u, 5.5, 0);
    CHECK_REL(r.p_value, 0.018065268065268064, REL); /* enumeration, 3432 splits */
    CHECK_REL(r.min_p, 0.002331002331002331, REL);
    CHECK_REL(r.z, -2.4973075202101844, REL);

    /* The smaller side is A here and B below: both ways must agree. */
    r = mwu(a3, N(a3), b3, N(b3));
    CHECK_NEAR(r.u, 27.5, 0);
    CHECK_REL(r.p_value, 0.14835164835164835, REL); /* enumeration, 364 splits */
    CHECK_REL(r.min_p, 0.005494505494505495, REL);
    CHECK_REL(r.z, 1.7597370259839156, REL);
    r = mwu(b3, N(b3), a3, N(a3));
    CHECK_NEAR(r.u, 5.5, 0);
    CHECK_REL(r.p_value, 0.14835164835164835, REL); /* enumeration, 364 splits */
    CHECK_REL(r.min_p, 0.005494505494505495, REL);
    CHECK_REL(r.z, -1.7597370259839156, REL);

    r = mwu(a4, N(a4), b4, N(b4));
    CHECK_NEAR(r.u, 0.5, 0);
    CHECK_REL(r.p_value, 0.6666666666666666, REL); /* enumeration, 6 splits */
    CHECK_REL(r.min_p, 0.6666666666666666, REL);
    CHECK_REL(r.z, -1.2247448713915892, REL);

    r = mwu(a5, N(a5), b5, N(b5));
    CHECK_NEAR(r.u, 30.5, 0);
    CHECK_REL(r.p_value, 0.1477841044404512, REL); /* enumeration, 184756 splits */
    CHECK_REL(r.min_p, 1.082508822446903e-05, REL);
    CHECK_REL(r.z, -1.4807566863560548, REL);
}

static void test_tie_correction(void)
{
    /* Small integers: tie groups of up to 12 values among 60. */
    double a[] = {3, 5, 4, 5, 7, 1, 4, 3, 2, 1, 0, 3, 6, 0, 3,
                  7, 7, 1, 0, 5, 0, 2, 3, 6, 0, 5, 4, 1, 6, 6};
    double b[] = {4, 8, 5, 8, 8, 5, 3, 2, 5, 2, 7, 8, 2, 5, 1,
                  2, 4, 8, 8, 6, 5, 5, 1, 4, 8, 4, 2, 2, 6, 1};
    pr_mwu r = mwu(a, N(a), b, N(b));

    CHECK_INT(r.exact, 0);
    CHECK_NEAR(r.u, 321, 0);
    CHECK_REL(r.p_value, 0.05567219781400423, 1e-9); /* scipy asymptotic */
    CHECK_REL(r.z, -1.9210387486952645, REL);
    /* erfc((450 - 0.5) / sigma / sqrt(2)) with the tie-corrected sigma, in Python. */
    CHECK_REL(r.min_p, 2.1737115740846214e-11, 1e-9);
}

static void test_all_equal(void)
{
    double x[30];
    size_t i;
    pr_mwu r;

    for (i = 0; i < N(x); i++)
        x[i] = 7;
    r = mwu(x, 5, x + 5, 5);
    CHECK_INT(r.exact, 1);
    CHECK_NEAR(r.u, 12.5, 0);
    CHECK_NEAR(r.p_value, 1, 0); /* enumeration: 1 */
    CHECK_NEAR(r.min_p, 1, 0);   /* enumeration: 1 */
    CHECK_NEAR(r.z, 0, 0);

    r = mwu(x, 30, x, 30);
    CHECK_INT(r.exact, 0);
    CHECK_NEAR(r.u, 450, 0);
    CHECK_NEAR(r.p_value, 1, 0);
    CHECK_NEAR(r.min_p, 1, 0);
    CHECK_NEAR(r.z, 0, 0);
}

static void check_swap(const double *a, size_t na, const double *b, size_t nb)
{
    pr_mwu ab = mwu(a, na, b, nb), ba = mwu(b, nb, a, na);

    CHECK_NEAR(ab.u + ba.u, (double)na * (double)nb, 0);
    CHECK_REL(ba.p_value, ab.p_value, 1e-14);
    CHECK_REL(ba.min_p, ab.min_p, 1e-14);
    CHECK_NEAR(ba.z, -ab.z, 1e-14);
    CHECK_INT(ba.exact, ab.exact);
}

static void test_swap(void)
{
    double a[] = {1, 2, 2, 3, 5}, b[] = {2, 3, 3, 4, 6, 6, 6.5};
    double c[] = {9.5, 3.25, 7.5, 1.5}, d[] = {4, 8, 2, 6, 10, 0.5, 12, 14};
    double big[55];
    size_t i;

    for (i = 0; i < N(big); i++)
        big[i] = (double)((i * 17) % 23);
    check_swap(a, N(a), b, N(b));      /* exact, ties */
    check_swap(c, N(c), d, N(d));      /* exact, no ties */
    check_swap(big, 20, big + 20, 35); /* approximation, ties */
    check_swap(big, 3, big + 3, 40);   /* exact, ties, unequal sizes */
}

/* The cached distribution must follow the sizes from call to call. */
static void test_cache_follows_sizes(void)
{
    double hi[] = {4, 5, 6}, lo[] = {1, 2, 3}, hi4[] = {10, 11, 12, 13}, lo4[] = {1, 2, 3, 4};
    double e[] = {12.40, 12.04, 10.93, 12.84, 13.07};
    double f[] = {8.89, 11.52, 9.28, 12.94, 11.39, 11.18, 9.82, 10.76, 7.00, 8.74, 11.73, 6.74};
    int round;

    for (round = 0; round < 2; round++) {
        CHECK_REL(mwu(hi, 3, lo, 3).p_value, 0.1, REL);
        CHECK_REL(mwu(hi4, 4, lo4, 4).p_value, 0.02857142857142857, REL);
        CHECK_REL(mwu(e, N(e), f, N(f)).p_value, 0.019392372333548805, REL);
        CHECK_REL(mwu(f, N(f), e, N(e)).p_value, 0.019392372333548805, REL);
        CHECK_REL(mwu(hi, 3, lo, 3).min_p, 0.1, REL);
    }
}

static uint32_t lcg_next(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 16;
}

/*
 * Many tests of the same sizes, as a comparison of many benchmarks runs
 * them. Call k shuffles 0 .. 39 (Fisher-Yates, the LCG above from 12345,
 * one stream across calls): A is the first 20 plus 0.25 + 3 (k mod 7), B the
 * last 20, so there are no ties. Five calls are checked against scipy exact
 * on the same values (the LCG replayed in Python); every call's U against a
 * count of the pairs.
 */
static void test_many_twenty_vs_twenty(void)
{
    static const struct {
        int k;
        double u, p;
    } ref[] = {
        {0, 133, 0.07177675347139001},  {1, 237, 0.32726183552222143},
        {2, 242, 0.2648318063465328},   {6, 312, 0.0019571244942430312},
        {5000, 210, 0.799407187161697}, {9999, 282, 0.026329137302682788},
    };
    uint32_t state = 12345;
    size_t next_ref = 0, bad = 0;
    int k;

    for (k = 0; k < 10000; k++) {
        double v[40], a[20], b[20], pairs = 0;
        pr_mwu r = {0};
        size_t i, j;

        for (i = 0; i < 40; i++)
            v[i] = (double)i;
        for (i = 39; i > 0; i--) {
            double t;

            j = lcg_next(&state) % (i + 1);
            t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        for (i = 0; i < 20; i++) {
            a[i] = v[i] + 0.25 + 3 * (k % 7);
            b[i] = v[20 + i];
        }
        for (i = 0; i < 20; i++)
            for (j = 0; j < 20; j++)
                pairs += a[i] > b[j];
        if (pr_stats_mann_whitney(a, 20, b, 20, &r) != 0 || r.exact != 1 || r.u != pairs ||
            !(r.p_value > 0 && r.p_value <= 1) || r.min_p != 2 / 137846528820.0)
            bad++;
        if (next_ref < N(ref) && ref[next_ref].k == k) {
            CHECK_NEAR(r.u, ref[next_ref].u, 0);
            CHECK_REL(r.p_value, ref[next_ref].p, REL); /* scipy exact */
            next_ref++;
        }
    }
    CHECK_INT(bad, 0);
    CHECK_INT(next_ref, N(ref));
}

static void test_errors(void)
{
    double ok[] = {1, 2, 3}, with_nan[] = {1, NAN, 3}, with_inf[] = {1, 2, INFINITY};
    double with_neg_inf[] = {-INFINITY};
    pr_mwu r = {0};

    pr_error_clear();
    CHECK_INT(pr_stats_mann_whitney(ok, 0, ok, 3, &r), PR_EINVALID);
    CHECK_STR(pr_error_last(), "mann-whitney: sample 'a' is empty");
    CHECK_INT(pr_stats_mann_whitney(ok, 3, ok, 0, &r), PR_EINVALID);
    CHECK_STR(pr_error_last(), "mann-whitney: sample 'b' is empty");
    CHECK_INT(pr_stats_mann_whitney(NULL, 3, ok, 3, &r), PR_EINVALID);
    CHECK_STR(pr_error_last(), "mann-whitney: sample 'a' is empty");
    CHECK_INT(pr_stats_mann_whitney(with_nan, 3, ok, 3, &r), PR_EINVALID);
    CHECK_STR(pr_error_last(), "mann-whitney: value 1 of sample 'a' is not finite (nan)");
    CHECK_INT(pr_stats_mann_whitney(ok, 3, with_inf, 3, &r), PR_EINVALID);
    CHECK_STR(pr_error_last(), "mann-whitney: value 2 of sample 'b' is not finite (inf)");
    CHECK_INT(pr_stats_mann_whitney(ok, 3, with_neg_inf, 1, &r), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "not finite");
    /* A large side is no excuse: the check covers the normal approximation. */
    {
        double big[60];
        size_t i;

        for (i = 0; i < 60; i++)
            big[i] = (double)i;
        big[59] = NAN;
        CHECK_INT(pr_stats_mann_whitney(big, 30, big + 30, 30, &r), PR_EINVALID);
        CHECK_STR(pr_error_last(), "mann-whitney: value 29 of sample 'b' is not finite (nan)");
    }
    /* OUT is left alone on failure. */
    CHECK_NEAR(r.u, 0, 0);
    CHECK_NEAR(r.p_value, 0, 0);
}

int main(void)
{
    RUN_TEST(test_three_vs_three);
    RUN_TEST(test_four_vs_four);
    RUN_TEST(test_one_vs_one);
    RUN_TEST(test_separated_ten_vs_ten);
    RUN_TEST(test_exact_no_ties);
    RUN_TEST(test_no_difference);
    RUN_TEST(test_normal_approximation);
    RUN_TEST(test_exact_with_ties);
    RUN_TEST(test_tie_correction);
    RUN_TEST(test_all_equal);
    RUN_TEST(test_swap);
    RUN_TEST(test_cache_follows_sizes);
    RUN_TEST(test_many_twenty_vs_twenty);
    RUN_TEST(test_errors);
    return CHECK_DONE();
}
