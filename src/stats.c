/*
 * stats.c - summary statistics of one benchmark's samples, computed once
 * from a sorted copy so the caller's array stays in measurement order.
 * Deciding what a change in these numbers means is left to the comparison;
 * the tests it draws on (Mann-Whitney, Welch, the signed-rank test of paired
 * rounds) live here too, as plain numbers in and out.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
        if (x > 0 && x < PR_STATS_MIN_NS)
            return pr_error_set(PR_EINVALID,
                                "sample %zu is too small (%g ns; a sample is 0 or at least %g)",
                                i, x, PR_STATS_MIN_NS);
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

/*
 * Ranking, shared by the rank tests: values are sorted once and ranked with
 * mid-ranks; ranks are kept doubled so that a tie's mid-rank stays an
 * integer and the exact distributions can be indexed by it. FLAGGED marks
 * the values whose rank sum is the statistic (sample A's for Mann-Whitney,
 * the positive differences' for the signed-rank test).
 */
typedef struct ranked_value {
    double v;
    int flagged;
} ranked_value;

static int compare_ranked_value(const void *pa, const void *pb)
{
    double a = ((const ranked_value *)pa)->v, b = ((const ranked_value *)pb)->v;

    return (a > b) - (a < b);
}

/*
 * The doubled rank sum of the flagged values of POOL (sorted by v, n >= 0),
 * and in *TIES the sum of t^3 - t over the groups of t tied values, the
 * correction of the normal approximation's variance. RANK2, unless NULL,
 * receives every value's doubled rank.
 */
static double doubled_rank_sum(const ranked_value *pool, size_t n, size_t *rank2, double *ties)
{
    double r2_flagged = 0;
    size_t i, j, q;

    *ties = 0;
    /* Values i .. j - 1 (0-based) are tied: doubled mid-rank (i + 1) + j. */
    for (i = 0; i < n; i = j) {
        double t;

        for (j = i + 1; j < n && pool[j].v == pool[i].v; j++)
            ;
        t = (double)(j - i);
        *ties += t * t * t - t;
        for (q = i; q < j; q++) {
            if (pool[q].flagged)
                r2_flagged += (double)(i + 1 + j);
            if (rank2)
                rank2[q] = i + 1 + j;
        }
    }
    return r2_flagged;
}

/* ---- Mann-Whitney U ------------------------------------------------------- */

static int check_mwu_side(const double *x, size_t n, const char *name)
{
    size_t i;

    if (!x || n == 0)
        return pr_error_set(PR_EINVALID, "mann-whitney: sample '%s' is empty", name);
    for (i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return pr_error_set(PR_EINVALID,
                                "mann-whitney: value %zu of sample '%s' is not finite (%g)", i,
                                name, x[i]);
    return 0;
}

/* The largest m * (N - m) with m + (N - m) <= N = PR_MWU_EXACT_MAX, plus 1. */
#define MWU_CACHE_LEN ((PR_MWU_EXACT_MAX / 2) * (PR_MWU_EXACT_MAX - PR_MWU_EXACT_MAX / 2) + 1)

/*
 * Without ties the null distribution of U depends only on the sample sizes,
 * and a comparison runs many tests of the same sizes, so the one for the
 * last sizes is kept. perfreg is single-threaded; the cache is thread-local
 * all the same (like the error message) so that a threaded caller stays
 * correct. The distribution of U for (m, n) is that for (n, m), so the key
 * is the sizes in order.
 */
static _Thread_local struct {
    size_t small, large;       /* 0 while empty */
    double cum[MWU_CACHE_LEN]; /* orderings with U <= u; exact integers below 2^53 */
} mwu_cache;

/*
 * Mann and Whitney's recurrence on the largest value, which belongs to A
 * (and is above all j values of B) or to B:
 *   f(i, j, u) = f(i - 1, j, u - j) + f(i, j - 1, u),  f(i, 0, 0) = f(0, j, 0) = 1.
 * f[j] holds f(i, j, .) and moves from i - 1 to i in place: downwards in u
 * so that f(i - 1, j, u - j) is still there when read. The counts are at
 * most C(50, 25) < 2^53, exact in doubles.
 */
static int mwu_fill_cache(size_t small, size_t large)
{
    size_t len = small * large + 1, i, j, u;
    double *f = calloc((small + 1) * len, sizeof *f);
    double sum = 0;

    if (!f)
        return pr_error_set(PR_ENOMEM, "out of memory");
    for (j = 0; j <= small; j++)
        f[j * len] = 1;
    for (i = 1; i <= large; i++) {
        for (j = 1; j <= small; j++) {
            double *fj = f + j * len, *fless = f + (j - 1) * len;

            for (u = i * j + 1; u-- > 0;)
                fj[u] = (u >= j ? fj[u - j] : 0) + fless[u];
        }
    }
    for (u = 0; u < len; u++) {
        sum += f[small * len + u];
        mwu_cache.cum[u] = sum;
    }
    mwu_cache.small = small;
    mwu_cache.large = large;
    free(f);
    return 0;
}

/* Exact two-sided p without ties, where U is an integer. */
static int mwu_exact_no_ties(size_t na, size_t nb, size_t u, double *p_out, double *min_p_out)
{
    size_t small = na < nb ? na : nb, large = na < nb ? nb : na, mn = na * nb;
    double total, tail;
    int err;

    if (mwu_cache.small != small || mwu_cache.large != large) {
        mwu_cache.small = mwu_cache.large = 0;
        if ((err = mwu_fill_cache(small, large)) < 0)
            return err;
    }
    /* The distribution is symmetric: P(U >= u) = P(U <= mn - u). */
    total = mwu_cache.cum[mn];
    tail = mwu_cache.cum[u] < mwu_cache.cum[mn - u] ? mwu_cache.cum[u] : mwu_cache.cum[mn - u];
    *p_out = fmin(1, 2 * tail / total);
    *min_p_out = fmin(1, 2 / total);
    return 0;
}

/*
 * Exact two-sided p with ties: the distribution of the doubled rank sum of
 * the smaller side (k values) over all C(n, k) ways of drawing it from the
 * pooled values, by counting subsets: dp[j][s] is the number of ways to
 * pick j of the values seen so far with doubled ranks summing to s. Slower
 * than the cached case (n k smax steps, under a millisecond for 25 and 25),
 * but bounded: n <= PR_MWU_EXACT_MAX.
 * RANK2 holds the doubled ranks in ascending order; S_OBS is the observed
 * doubled rank sum of the smaller side.
 */
static int mwu_exact_ties(const size_t *rank2, size_t n, size_t k, size_t s_obs, double *p_out,
                          double *min_p_out)
{
    double *dp = NULL, total = 0, below = 0, above = 0, lowest = 0, highest = 0;
    size_t smax = 0, len, t, j, s;

    for (t = n - k; t < n; t++)
        smax += rank2[t];
    len = smax + 1;
    dp = calloc((k + 1) * len, sizeof *dp);
    if (!dp)
        return pr_error_set(PR_ENOMEM, "out of memory");
    dp[0] = 1;
    for (t = 0; t < n; t++) {
        size_t r = rank2[t];

        for (j = t + 1 < k ? t + 1 : k; j >= 1; j--) {
            double *to = dp + j * len, *from = dp + (j - 1) * len;

            for (s = smax + 1; s-- > r;)
                to[s] += from[s - r];
        }
    }
    for (s = 0; s < len; s++) {
        double c = dp[k * len + s];

        if (c == 0)
            continue;
        if (lowest == 0)
            lowest = c;
        highest = c;
        total += c;
        if (s <= s_obs)
            below += c;
        if (s >= s_obs)
            above += c;
    }
    free(dp);
    *p_out = fmin(1, 2 * fmin(below, above) / total);
    *min_p_out = fmin(1, 2 * fmin(lowest, highest) / total);
    return 0;
}

int pr_stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb, pr_mwu *out)
{
    pr_mwu r = {0};
    ranked_value *pool = NULL;
    size_t *rank2 = NULL;
    size_t n, i;
    double r2_a, ties, mn, mean, var, sigma;
    int err;

    if ((err = check_mwu_side(a, na, "a")) < 0 || (err = check_mwu_side(b, nb, "b")) < 0)
        return err;
    if (na > SIZE_MAX - nb || na + nb > SIZE_MAX / sizeof *pool)
        return pr_error_set(PR_ENOMEM, "out of memory: %zu + %zu samples", na, nb);
    n = na + nb;
    pool = malloc(n * sizeof *pool);
    if (!pool)
        return pr_error_set(PR_ENOMEM, "out of memory: %zu + %zu samples", na, nb);
    if (n <= PR_MWU_EXACT_MAX) {
        rank2 = malloc(n * sizeof *rank2);
        if (!rank2) {
            err = pr_error_set(PR_ENOMEM, "out of memory");
            goto done;
        }
    }
    for (i = 0; i < na; i++)
        pool[i] = (ranked_value){a[i], 1};
    for (i = 0; i < nb; i++)
        pool[na + i] = (ranked_value){b[i], 0};
    qsort(pool, n, sizeof *pool, compare_ranked_value);
    r2_a = doubled_rank_sum(pool, n, rank2, &ties);
    mn = (double)na * (double)nb;
    r.u = (r2_a - (double)na * (double)(na + 1)) / 2;
    mean = mn / 2;
    var = mn / 12 * ((double)(n + 1) - ties / ((double)n * (double)(n - 1)));
    sigma = var > 0 ? sqrt(var) : 0;
    r.z = sigma > 0 ? (r.u - mean) / sigma : 0;

    if (n <= PR_MWU_EXACT_MAX) {
        r.exact = 1;
        if (ties == 0) {
            err = mwu_exact_no_ties(na, nb, (size_t)r.u, &r.p_value, &r.min_p);
        } else {
            /* The doubled rank sums of both sides add up to n (n + 1). */
            size_t k = na <= nb ? na : nb;
            size_t s_obs = (size_t)r2_a;

            if (na > nb)
                s_obs = n * (n + 1) - s_obs;
            err = mwu_exact_ties(rank2, n, k, s_obs, &r.p_value, &r.min_p);
        }
        if (err < 0)
            goto done;
    } else if (sigma > 0) {
        /* Continuity correction of 0.5 towards the mean, never past it. */
        double d = fmax(0, fabs(r.u - mean) - 0.5);

        r.p_value = fmin(1, erfc(d / (sigma * sqrt(2.0))));
        r.min_p = fmin(1, erfc((mean - 0.5) / (sigma * sqrt(2.0))));
    } else {
        /* All values equal: every arrangement gives the same U. */
        r.p_value = 1;
        r.min_p = 1;
    }
    *out = r;
    err = 0;

done:
    free(rank2);
    free(pool);
    return err;
}

/* ---- Student's t ---------------------------------------------------------- */

/* The continued fraction of the regularised incomplete beta function, by the
 * modified Lentz method. */
static double beta_fraction(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1), h;
    int m;

    if (fabs(d) < tiny)
        d = tiny;
    d = 1 / d;
    h = d;
    for (m = 1; m <= 300; m++) {
        double step, even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
        double odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
        d = 1 + even * d;
        c = 1 + even / c;
        d = fabs(d) < tiny ? 1 / tiny : 1 / d;
        c = fabs(c) < tiny ? tiny : c;
        h *= d * c;
        d = 1 + odd * d;
        c = 1 + odd / c;
        d = fabs(d) < tiny ? 1 / tiny : 1 / d;
        c = fabs(c) < tiny ? tiny : c;
        step = d * c;
        h *= step;
        if (fabs(step - 1) < 1e-15)
            break;
    }
    return h;
}

/* I_x(a, b), the regularised incomplete beta function. */
static double incomplete_beta(double a, double b, double x)
{
    double front;

    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
    if (x < (a + 1) / (a + b + 2))
        return front * beta_fraction(a, b, x) / a;
    return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

/* P(|T| > |t|) on DF degrees of freedom. */
static double t_two_sided(double t, double df)
{
    if (isinf(df))
        return erfc(fabs(t) / sqrt(2.0));
    return incomplete_beta(df / 2, 0.5, df / (df + t * t));
}

double pr_stats_t_cdf(double t, double df)
{
    double tail = t_two_sided(t, df) / 2;
    return t > 0 ? 1 - tail : tail;
}

double pr_stats_t_quantile(double p, double df)
{
    double lo = 0, hi = 1, mid;
    int i;

    if (p == 0.5)
        return 0;
    if (p < 0.5)
        return -pr_stats_t_quantile(1 - p, df);
    /* P(|T| > q) = 2 (1 - p), decreasing in q: bracket it, then bisect. */
    while (t_two_sided(hi, df) > 2 * (1 - p) && hi < 1e300)
        hi *= 2;
    for (i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
        mid = (lo + hi) / 2;
        if (t_two_sided(mid, df) > 2 * (1 - p))
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

/* The quantile 1 - ALPHA / 2 on whole DF, cached per thread for the last
 * alpha: a comparison of many benchmarks asks for the same few. */
#define T_CACHE 64
static double t_critical(double alpha, double df)
{
    static _Thread_local double cached_alpha;
    static _Thread_local double cache[T_CACHE + 1];
    size_t k;

    if (isinf(df) || df > T_CACHE)
        return pr_stats_t_quantile(1 - alpha / 2, df);
    if (cached_alpha != alpha) {
        memset(cache, 0, sizeof cache);
        cached_alpha = alpha;
    }
    k = (size_t)df;
    if (cache[k] == 0)
        cache[k] = pr_stats_t_quantile(1 - alpha / 2, (double)k);
    return cache[k];
}

static int mean_and_variance(const double *x, size_t n, double *mean, double *var)
{
    double sum = 0, ss = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            return pr_error_set(PR_EINVALID, "value %zu is not finite", i);
        sum += x[i];
    }
    *mean = sum / (double)n;
    for (i = 0; i < n; i++)
        ss += (x[i] - *mean) * (x[i] - *mean);
    *var = ss / (double)(n - 1);
    return isfinite(*var) ? 0 : pr_error_set(PR_EINVALID, "values too extreme");
}

int pr_stats_welch(const double *a, size_t na, const double *b, size_t nb, double alpha,
                   pr_welch *out)
{
    double ma, va, mb, vb, qa, qb, q;
    int err;

    memset(out, 0, sizeof *out);
    if (na < 2 || nb < 2 || !a || !b)
        return pr_error_set(PR_EINVALID, "Welch's test needs at least 2 values a side");
    if (!(alpha > 0 && alpha < 1))
        return pr_error_set(PR_EINVALID, "alpha must be between 0 and 1");
    if ((err = mean_and_variance(a, na, &ma, &va)) < 0 ||
        (err = mean_and_variance(b, nb, &mb, &vb)) < 0)
        return err;
    if (!(mb > 0))
        return pr_error_set(PR_EINVALID, "the baseline's mean is not positive");
    qa = va / (double)na;
    qb = vb / (double)nb;
    out->change = (ma - mb) / mb;
    out->se = sqrt(qa + qb) / mb;
    if (!isfinite(out->change) || !isfinite(out->se))
        return pr_error_set(PR_EINVALID, "values too extreme");
    if (out->se == 0) {
        out->df = INFINITY;
        out->p_value = out->change == 0 ? 1 : 0;
        out->ci_low = out->ci_high = out->change;
        return 0;
    }
    out->df = (qa + qb) * (qa + qb) / (qa * qa / (double)(na - 1) + qb * qb / (double)(nb - 1));
    out->df = out->df < 1 ? 1 : floor(out->df);
    out->p_value = t_two_sided(out->change / out->se, out->df);
    q = t_critical(alpha, out->df) * out->se;
    out->ci_low = out->change - q;
    out->ci_high = out->change + q;
    return 0;
}

/* ---- Wilcoxon signed-rank ------------------------------------------------- */

/*
 * P(T <= w) for w = 0 .. W_MAX (at most n (n + 1) / 2) into CUM, where T is
 * the signed-rank statistic of N nonzero, untied values under the null:
 * each rank k = 1 .. n is in the sum with probability 1/2, so
 *   p_k(w) = (p_{k-1}(w) + p_{k-1}(w - k)) / 2,  p_0(0) = 1,
 * scipy's and R's recurrence. p_k(w) needs only values at w and below, so
 * stopping at W_MAX is exact; it runs in place, downwards in w, and the
 * prefix sums then replace the probabilities. Up to n = 53 every value is an
 * integer over 2^n with a numerator below 2^53, exact in doubles, so the
 * exact p-values are scipy's to the last bit; up to the interval's
 * PR_SIGNED_RANK_CI_EXACT_MAX the rounding stays below 1e-12 relative
 * (test_stats.c checks n = 400 against exact integer counts).
 */
static void signrank_cdf(size_t n, size_t w_max, double *cum)
{
    size_t k, w, top = 0;
    double sum = 0;

    memset(cum, 0, (w_max + 1) * sizeof *cum);
    cum[0] = 1;
    for (k = 1; k <= n; k++) {
        top = top + k < w_max ? top + k : w_max;
        for (w = top + 1; w-- > 0;)
            cum[w] = 0.5 * (cum[w] + (w >= k ? cum[w - k] : 0));
    }
    for (w = 0; w <= w_max; w++) {
        sum += cum[w];
        cum[w] = sum;
    }
}

/* Exact two-sided p of W+ = W for M untied nonzero differences. */
static int signrank_exact_p(size_t m, size_t w, double *p_out)
{
    size_t total = m * (m + 1) / 2;
    /* The null distribution is symmetric, P(W+ >= w) = P(W+ <= total - w),
     * so the smaller tail is the one on the nearer side of the centre. */
    size_t near = w <= total - w ? w : total - w;
    double *cum = malloc((near + 1) * sizeof *cum);

    if (!cum)
        return pr_error_set(PR_ENOMEM, "out of memory");
    signrank_cdf(m, near, cum);
    *p_out = fmin(1, 2 * cum[near]);
    free(cum);
    return 0;
}

/*
 * The 1-based rank QU of the Walsh average that bounds the interval below,
 * and the interval's confidence, for N differences at ALPHA (stats.h).
 * Cached per thread for the last (n, alpha): a comparison asks for the same
 * number of rounds and level for every benchmark.
 */
static int signrank_ci_rank(size_t n, double alpha, size_t *qu_out, double *level_out)
{
    static _Thread_local struct {
        size_t n; /* 0 while empty */
        double alpha;
        size_t qu;
        double level;
    } cache;
    size_t total = n * (n + 1) / 2, half = total / 2, qu;
    double level;

    if (cache.n == n && cache.alpha == alpha) {
        *qu_out = cache.qu;
        *level_out = cache.level;
        return 0;
    }
    if (n <= PR_SIGNED_RANK_CI_EXACT_MAX) {
        /* P(T <= half) >= 1/2 > alpha / 2: the search stops by half. */
        double *cum = malloc((half + 1) * sizeof *cum);
        double target = alpha / 2 - 10 * DBL_EPSILON;

        if (!cum)
            return pr_error_set(PR_ENOMEM, "out of memory");
        signrank_cdf(n, half, cum);
        for (qu = 0; qu < half && cum[qu] < target; qu++)
            ;
        if (qu == 0)
            qu = 1;
        level = 1 - 2 * cum[qu - 1];
        free(cum);
    } else {
        double mean = (double)total / 2;
        double s = sqrt((double)n * (double)(n + 1) * (double)(2 * n + 1) / 24);
        double q = floor(mean - pr_stats_t_quantile(1 - alpha / 2, INFINITY) * s);

        qu = q < 1 ? 1 : q > (double)half ? half : (size_t)q;
        level = 1 - 2 * pr_stats_t_cdf(((double)qu - 0.5 - mean) / s, INFINITY);
    }
    cache.n = n;
    cache.alpha = alpha;
    cache.qu = qu;
    cache.level = level;
    *qu_out = qu;
    *level_out = level;
    return 0;
}

/* (a + b) / 2 without overflowing to infinity for large finite a and b. */
static double midpoint(double a, double b)
{
    double sum = a + b;

    return isfinite(sum) ? sum / 2 : a / 2 + b / 2;
}

int pr_stats_signed_rank(const double *d, size_t n, double alpha, pr_signed_rank *out)
{
    pr_signed_rank r = {0};
    ranked_value *pool = NULL;
    double *walsh = NULL;
    size_t m = 0, n_walsh, i, j, k, qu = 1;
    double ties;
    int err;

    if (!d || n == 0)
        return pr_error_set(PR_EINVALID, "signed-rank: no differences");
    if (!(alpha > 0 && alpha < 1))
        return pr_error_set(PR_EINVALID, "signed-rank: alpha must be between 0 and 1 (%g)", alpha);
    if (n > PR_SIGNED_RANK_MAX_N)
        return pr_error_set(PR_EINVALID,
                            "signed-rank: %zu differences are too many; the interval takes "
                            "n (n + 1) / 2 averages, give at most %d",
                            n, PR_SIGNED_RANK_MAX_N);
    for (i = 0; i < n; i++)
        if (!isfinite(d[i]))
            return pr_error_set(PR_EINVALID, "signed-rank: difference %zu is not finite (%g)", i,
                                d[i]);

    n_walsh = n * (n + 1) / 2;
    pool = malloc(n * sizeof *pool);
    walsh = malloc(n_walsh * sizeof *walsh);
    if (!pool || !walsh) {
        err = pr_error_set(PR_ENOMEM, "out of memory: %zu differences", n);
        goto done;
    }

    /* The test: ranks of |d| over the nonzero differences. */
    for (i = 0; i < n; i++)
        if (d[i] != 0)
            pool[m++] = (ranked_value){fabs(d[i]), d[i] > 0};
    qsort(pool, m, sizeof *pool, compare_ranked_value);
    r.n = n;
    r.n_nonzero = m;
    r.w_plus = doubled_rank_sum(pool, m, NULL, &ties) / 2;
    r.p_value = 1;
    if (m > 0) {
        double mm = (double)m;
        double var = mm * (mm + 1) * (2 * mm + 1) / 24 - ties / 48;

        r.z = (r.w_plus - mm * (mm + 1) / 4) / sqrt(var);
        if (m == n && ties == 0 && m <= PR_SIGNED_RANK_EXACT_MAX) {
            r.exact = 1;
            if ((err = signrank_exact_p(m, (size_t)r.w_plus, &r.p_value)) < 0)
                goto done;
        } else {
            r.p_value = fmin(1, erfc(fabs(r.z) / sqrt(2.0)));
        }
    }

    /* The estimate and the interval: order statistics of all n. */
    for (i = 0, k = 0; i < n; i++)
        for (j = i; j < n; j++)
            walsh[k++] = midpoint(d[i], d[j]);
    qsort(walsh, n_walsh, sizeof *walsh, compare_double);
    r.estimate =
        n_walsh % 2 ? walsh[n_walsh / 2] : midpoint(walsh[n_walsh / 2 - 1], walsh[n_walsh / 2]);
    if ((err = signrank_ci_rank(n, alpha, &qu, &r.ci_level)) < 0)
        goto done;
    r.ci_low = walsh[qu - 1];
    r.ci_high = walsh[n_walsh - qu];
    if (m == 0) {
        /* Not -0 when the zeros were -0. */
        r.estimate = r.ci_low = r.ci_high = 0;
    }
    *out = r;
    err = 0;

done:
    free(walsh);
    free(pool);
    return err;
}
