/*
 * test_threshold.c - the metric table and the threshold grammar: a table
 * of expressions that parse (with the value each stores) and a table of
 * expressions that must fail (with a piece of the message that quotes the
 * bad token), then the printer's round trips.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "check.h"
#include "error.h"
#include "threshold.h"
#include "banned.h"

static void test_metric_table(void)
{
    int m;

    for (m = 0; m < PR_METRIC_COUNT; m++) {
        const char *name = pr_metric_name((pr_metric)m);
        CHECK_INT(pr_metric_from_name(name, strlen(name)), m);
    }
    CHECK_STR(pr_metric_name(PR_METRIC_MEAN), "mean");
    CHECK_STR(pr_metric_name(PR_METRIC_IQR), "iqr");
    CHECK_STR(pr_metric_name(PR_METRIC_OPS), "ops");
    CHECK_STR(pr_metric_name(PR_METRIC_MEMORY), "memory");
    CHECK_STR(pr_metric_name(PR_METRIC_ALLOCS), "allocs");
    CHECK_STR(pr_metric_name(PR_METRIC_COUNT), "unknown");
    CHECK_INT(pr_metric_from_name("ops_per_second", 14), PR_METRIC_OPS);
    /* LEN bounds the name: "meanx" read as 4 bytes is "mean" */
    CHECK_INT(pr_metric_from_name("meanx", 4), PR_METRIC_MEAN);
    CHECK_INT(pr_metric_from_name("mea", 3), -1);
    CHECK_INT(pr_metric_from_name("Mean", 4), -1);
    CHECK_INT(pr_metric_from_name("", 0), -1);
    CHECK_INT(pr_metric_from_name(NULL, 0), -1);

    CHECK_INT(pr_metric_higher_is_better(PR_METRIC_OPS), 1);
    CHECK_INT(pr_metric_higher_is_better(PR_METRIC_MEAN), 0);
    CHECK_INT(pr_metric_is_spread(PR_METRIC_STDDEV), 1);
    CHECK_INT(pr_metric_is_spread(PR_METRIC_IQR), 1);
    CHECK_INT(pr_metric_is_spread(PR_METRIC_MEAN), 0);
    CHECK_INT(pr_metric_is_spread(PR_METRIC_MIN), 0);
    CHECK_INT(pr_metric_is_spread(PR_METRIC_OPS), 0);
    /* memory and allocs: lower is better, no spread, one figure per run */
    CHECK_INT(pr_metric_higher_is_better(PR_METRIC_MEMORY), 0);
    CHECK_INT(pr_metric_higher_is_better(PR_METRIC_ALLOCS), 0);
    CHECK_INT(pr_metric_is_spread(PR_METRIC_MEMORY), 0);
    CHECK_INT(pr_metric_is_spread(PR_METRIC_ALLOCS), 0);
    for (m = 0; m < PR_METRIC_COUNT; m++)
        CHECK_INT(pr_metric_is_per_run((pr_metric)m),
                  m == PR_METRIC_MEMORY || m == PR_METRIC_ALLOCS);
}

static void test_metric_value(void)
{
    pr_stats s;

    memset(&s, 0, sizeof s);
    s.mean_ns = 1;
    s.median_ns = 2;
    s.min_ns = 3;
    s.max_ns = 4;
    s.stddev_ns = 5;
    s.iqr_ns = 6;
    s.ops_per_second = 7;
    CHECK(pr_metric_value(&s, PR_METRIC_MEAN) == 1);
    CHECK(pr_metric_value(&s, PR_METRIC_MEDIAN) == 2);
    CHECK(pr_metric_value(&s, PR_METRIC_MIN) == 3);
    CHECK(pr_metric_value(&s, PR_METRIC_MAX) == 4);
    CHECK(pr_metric_value(&s, PR_METRIC_STDDEV) == 5);
    CHECK(pr_metric_value(&s, PR_METRIC_IQR) == 6);
    CHECK(pr_metric_value(&s, PR_METRIC_OPS) == 7);
    /* not statistics of the samples */
    CHECK(pr_metric_value(&s, PR_METRIC_MEMORY) == 0);
    CHECK(pr_metric_value(&s, PR_METRIC_ALLOCS) == 0);
}

static void test_metric_of_result(void)
{
    pr_result r;
    double v;
    int m;

    memset(&r, 0, sizeof r);
    /* nothing measured: no metric at all */
    for (m = 0; m < PR_METRIC_COUNT; m++) {
        v = -1;
        CHECK_INT(pr_metric_of_result(&r, (pr_metric)m, &v), 0);
        CHECK(v == -1);
    }
    CHECK_INT(pr_metric_of_result(NULL, PR_METRIC_MEAN, &v), 0);

    /* statistics without memory or allocs (a run without isolation) */
    r.stats.n = 3;
    r.stats.mean_ns = 10;
    r.stats.ops_per_second = 1e8;
    CHECK_INT(pr_metric_of_result(&r, PR_METRIC_MEAN, &v), 1);
    CHECK(v == 10);
    CHECK_INT(pr_metric_of_result(&r, PR_METRIC_OPS, &v), 1);
    CHECK(v == 1e8);
    CHECK_INT(pr_metric_of_result(&r, PR_METRIC_MEMORY, &v), 0);
    CHECK_INT(pr_metric_of_result(&r, PR_METRIC_ALLOCS, &v), 0);
    CHECK_INT(pr_metric_of_result(&r, PR_METRIC_COUNT, &v), 0);

    /* memory is what the benchmark added, not the peak */
    r.has_memory = 1;
    r.peak_rss_bytes = 70 << 20;
    r.baseline_rss_bytes = 6 << 20;
    r.memory_bytes = 64 << 20;
    CHECK_INT(pr_metric_of_result(&r, PR_METRIC_MEMORY, &v), 1);
    CHECK(v == 64 << 20);
    /* a zero count is a figure, not a missing one */
    r.has_allocs = 1;
    r.allocs_per_iteration = 0;
    r.alloc_bytes_per_iteration = 0;
    v = -1;
    CHECK_INT(pr_metric_of_result(&r, PR_METRIC_ALLOCS, &v), 1);
    CHECK(v == 0);
    r.allocs_per_iteration = 2.5;
    CHECK_INT(pr_metric_of_result(&r, PR_METRIC_ALLOCS, &v), 1);
    CHECK(v == 2.5);

    /* memory and allocs do not need samples */
    r.stats.n = 0;
    CHECK_INT(pr_metric_of_result(&r, PR_METRIC_MEAN, &v), 0);
    CHECK_INT(pr_metric_of_result(&r, PR_METRIC_MEMORY, &v), 1);
    CHECK_INT(pr_metric_of_result(&r, PR_METRIC_ALLOCS, &v), 1);
}

static const struct good_case {
    const char *text;
    pr_metric metric;
    int relative;
    double value;
} good_cases[] = {
    {"mean:10%", PR_METRIC_MEAN, 1, 0.10},
    {"median:2.5%", PR_METRIC_MEDIAN, 1, 0.025},
    {"min:0%", PR_METRIC_MIN, 1, 0},
    {"max:150%", PR_METRIC_MAX, 1, 1.5},
    {"stddev:50%", PR_METRIC_STDDEV, 1, 0.5},
    {"iqr:.5%", PR_METRIC_IQR, 1, 0.005},
    {"mean:5.%", PR_METRIC_MEAN, 1, 0.05},
    {"mean:1e1%", PR_METRIC_MEAN, 1, 0.10},
    {"mean:2.5E-1%", PR_METRIC_MEAN, 1, 0.0025},
    {"mean:1e+1%", PR_METRIC_MEAN, 1, 0.10},
    {"mean:200ns", PR_METRIC_MEAN, 0, 200},
    {"mean:3us", PR_METRIC_MEAN, 0, 3e3},
    {"mean:3\xc2\xb5s", PR_METRIC_MEAN, 0, 3e3},
    {"mean:0.5ms", PR_METRIC_MEAN, 0, 5e5},
    {"median:2s", PR_METRIC_MEDIAN, 0, 2e9},
    {"max:1.5e-3s", PR_METRIC_MAX, 0, 1.5e6},
    {"stddev:0ns", PR_METRIC_STDDEV, 0, 0},
    {"ops:5%", PR_METRIC_OPS, 1, 0.05},
    {"ops:1000", PR_METRIC_OPS, 0, 1000},
    {"ops:1000/s", PR_METRIC_OPS, 0, 1000},
    {"ops_per_second:7.5%", PR_METRIC_OPS, 1, 0.075},
    {"mean:007%", PR_METRIC_MEAN, 1, 0.07},
    {"memory:20%", PR_METRIC_MEMORY, 1, 0.20},
    {"memory:0B", PR_METRIC_MEMORY, 0, 0},
    {"memory:512B", PR_METRIC_MEMORY, 0, 512},
    {"memory:2KB", PR_METRIC_MEMORY, 0, 2000},
    {"memory:1.5MB", PR_METRIC_MEMORY, 0, 1.5e6},
    {"memory:2GB", PR_METRIC_MEMORY, 0, 2e9},
    {"memory:64KiB", PR_METRIC_MEMORY, 0, 65536},
    {"memory:1MiB", PR_METRIC_MEMORY, 0, 1048576},
    {"memory:0.5GiB", PR_METRIC_MEMORY, 0, 536870912},
    {"allocs:20%", PR_METRIC_ALLOCS, 1, 0.20},
    {"allocs:2", PR_METRIC_ALLOCS, 0, 2},
    {"allocs:0.5", PR_METRIC_ALLOCS, 0, 0.5},
    {"allocs:0", PR_METRIC_ALLOCS, 0, 0},
};

static void test_parse_good(void)
{
    size_t i;

    for (i = 0; i < sizeof good_cases / sizeof good_cases[0]; i++) {
        const struct good_case *c = &good_cases[i];
        pr_threshold_set set;
        int m, err;

        memset(&set, 0, sizeof set);
        err = pr_threshold_parse(c->text, &set);
        if (err != 0)
            fprintf(stderr, "case '%s': %s\n", c->text, pr_error_last());
        CHECK_INT(err, 0);
        CHECK_INT(set.of[c->metric].set, 1);
        CHECK_INT(set.of[c->metric].relative, c->relative);
        CHECK_NEAR(set.of[c->metric].value, c->value, fabs(c->value) * 1e-12);
        for (m = 0; m < PR_METRIC_COUNT; m++)
            if (m != (int)c->metric)
                CHECK_INT(set.of[m].set, 0);
    }
}

static void test_parse_list(void)
{
    pr_threshold_set set;

    memset(&set, 0, sizeof set);
    set.of[PR_METRIC_IQR] = (pr_threshold){1, 1, 0.3};
    CHECK_INT(pr_threshold_parse("mean:10%,median:0.5ms,ops:1000/s", &set), 0);
    CHECK(set.of[PR_METRIC_MEAN].set && set.of[PR_METRIC_MEAN].relative);
    CHECK_NEAR(set.of[PR_METRIC_MEAN].value, 0.1, 1e-15);
    CHECK(set.of[PR_METRIC_MEDIAN].set && !set.of[PR_METRIC_MEDIAN].relative);
    CHECK_NEAR(set.of[PR_METRIC_MEDIAN].value, 5e5, 1e-6);
    CHECK(set.of[PR_METRIC_OPS].set && !set.of[PR_METRIC_OPS].relative);
    CHECK_NEAR(set.of[PR_METRIC_OPS].value, 1000, 0);
    /* metrics the text does not name keep what they had */
    CHECK(set.of[PR_METRIC_IQR].set && set.of[PR_METRIC_IQR].relative);
    CHECK_NEAR(set.of[PR_METRIC_IQR].value, 0.3, 0);
    CHECK_INT(set.of[PR_METRIC_MIN].set, 0);
    CHECK_INT(set.of[PR_METRIC_STDDEV].set, 0);
}

static void test_parse_last_wins(void)
{
    pr_threshold_set set;

    memset(&set, 0, sizeof set);
    CHECK_INT(pr_threshold_parse("mean:10%,mean:5ms", &set), 0);
    CHECK_INT(set.of[PR_METRIC_MEAN].relative, 0);
    CHECK_NEAR(set.of[PR_METRIC_MEAN].value, 5e6, 0);
    /* and across calls, as repeated --fail options give */
    CHECK_INT(pr_threshold_parse("mean:20%", &set), 0);
    CHECK_INT(set.of[PR_METRIC_MEAN].relative, 1);
    CHECK_NEAR(set.of[PR_METRIC_MEAN].value, 0.2, 1e-15);
    CHECK_INT(pr_threshold_parse("ops:3%,ops_per_second:4%", &set), 0);
    CHECK_NEAR(set.of[PR_METRIC_OPS].value, 0.04, 1e-15);
}

static const struct bad_case {
    const char *text;
    const char *message; /* a part of the message */
} bad_cases[] = {
    {"mena:10%", "'mena:10%': unknown statistic 'mena' (one of mean, median, min, max, stddev, "
                 "iqr, ops, memory, allocs)"},
    {"mean", "'mean': missing ':' and a value (e.g. mean:10%)"},
    {"mean:abc", "'mean:abc': 'abc' is not a number"},
    {"mean:-5%", "'mean:-5%': a threshold cannot be negative"},
    {"mean:-0.5ms", "'mean:-0.5ms': a threshold cannot be negative"},
    {"mean:10kg", "'mean:10kg': unknown unit 'kg' (%, ns, us, ms, s)"},
    {"", "'': missing a threshold"},
    {"mean:", "'mean:': missing a value"},
    {":10%", "':10%': missing the statistic"},
    {"Mean:10%", "unknown statistic 'Mean'"},
    {"mean10%", "'mean10%': unknown statistic 'mean10%'"},
    {"mean:+5%", "'mean:+5%': '+5%' is not a number"},
    {"mean:-", "'mean:-': '-' is not a number"},
    {"mean:-abc", "'mean:-abc': '-abc' is not a number"},
    {"mean:--5%", "'mean:--5%': '--5%' is not a number"},
    {"mean:0x10%", "'mean:0x10%': '0x10%' is not a number"},
    {"mean:0X1p3%", "'mean:0X1p3%': '0X1p3%' is not a number"},
    {"mean:nan%", "'mean:nan%': 'nan%' is not a number"},
    {"mean:NAN", "'mean:NAN': 'NAN' is not a number"},
    {"mean:inf%", "'mean:inf%': 'inf%' is not a number"},
    {"mean:infinity", "'mean:infinity': 'infinity' is not a number"},
    {"mean:.%", "'mean:.%': '.%' is not a number"},
    {"mean:1.2.3%", "'mean:1.2.3%': '1.2.3%' is not a number"},
    {"mean:1e%", "'mean:1e%': unknown unit 'e%'"},
    {"mean:1e-%", "'mean:1e-%': unknown unit 'e-%'"},
    {"mean:1e999%", "'mean:1e999%': '1e999' is too large"},
    {"mean:1e300s", "'mean:1e300s': '1e300s' is too large"},
    {" mean:10%", "unknown statistic ' mean'"},
    {"mean :10%", "unknown statistic 'mean '"},
    {"mean: 10%", "'mean: 10%': ' 10%' is not a number"},
    {"mean:10% ", "'mean:10% ': unknown unit '% '"},
    {"mean:10", "'mean:10': missing a unit after '10'"},
    {"mean:10/s", "'mean:10/s': unknown unit '/s'"},
    {"mean:10%%", "unknown unit '%%'"},
    {"mean:10\xc2\xb5", "unknown unit '\xc2\xb5'"},
    {"mean:10\xc2", "unknown unit '\xc2'"},
    {"ops:5ms", "'ops:5ms': unknown unit 'ms' for ops"},
    {"ops:5/", "'ops:5/': unknown unit '/' for ops"},
    {"ops:5/sec", "unknown unit '/sec' for ops"},
    {"mean:10%,", "'mean:10%,': empty item"},
    {",mean:10%", "',mean:10%': empty item"},
    {"mean:10%,,median:5%", "empty item"},
    {"mean:10%,mena:5%", "'mena:5%': unknown statistic 'mena'"},
    {"mean:10%;median:5%", "'mean:10%;median:5%': '10%;median:5%' is not a number"},
    {"mean:10%:5%", "'mean:10%:5%': '10%:5%' is not a number"},
    {"mean:10%:x", "'mean:10%:x': unknown unit '%:x'"},
    {"memory:10", "'memory:10': missing a unit after '10' (%, B, KB, MB, GB, KiB, MiB, GiB"},
    {"memory:10kb", "'memory:10kb': unknown unit 'kb' for memory (%, B, KB, MB, GB, KiB, MiB, "
                    "GiB)"},
    {"memory:10mib", "unknown unit 'mib' for memory"},
    {"memory:5ms", "'memory:5ms': unknown unit 'ms' for memory"},
    {"memory:1TB", "unknown unit 'TB' for memory"},
    {"memory:-1MiB", "'memory:-1MiB': a threshold cannot be negative"},
    {"memory:1e400B", "'memory:1e400B': '1e400' is too large"},
    {"memory:1e308GiB", "'memory:1e308GiB': '1e308GiB' is too large"},
    {"allocs:2/s", "'allocs:2/s': unknown unit '/s' for allocs (% or none: allocations per "
                   "iteration)"},
    {"allocs:2B", "unknown unit 'B' for allocs"},
    {"allocs:-1", "'allocs:-1': a threshold cannot be negative"},
    {"allocs:x", "'allocs:x': 'x' is not a number"},
};

static void test_parse_bad(void)
{
    size_t i;

    for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *c = &bad_cases[i];
        pr_threshold_set set, before;
        int err;

        memset(&set, 0, sizeof set);
        set.of[PR_METRIC_MEAN] = (pr_threshold){1, 1, 0.25};
        set.of[PR_METRIC_OPS] = (pr_threshold){1, 0, 500};
        before = set;
        pr_error_clear();
        err = pr_threshold_parse(c->text, &set);
        if (err != PR_EUSAGE)
            fprintf(stderr, "case '%s' was accepted\n", c->text);
        CHECK_INT(err, PR_EUSAGE);
        CHECK_CONTAINS(pr_error_last(), c->message);
        /* SET is left as it was */
        CHECK(memcmp(&set, &before, sizeof set) == 0);
    }
}

static void test_parse_null(void)
{
    pr_threshold_set set;

    memset(&set, 0, sizeof set);
    CHECK_INT(pr_threshold_parse(NULL, &set), PR_EUSAGE);
}

static void test_bad_after_good_changes_nothing(void)
{
    /* the first item is fine, the second is not: neither may land */
    pr_threshold_set set, before;

    memset(&set, 0, sizeof set);
    before = set;
    CHECK_INT(pr_threshold_parse("mean:10%,median:abc", &set), PR_EUSAGE);
    CHECK_CONTAINS(pr_error_last(), "'median:abc': 'abc' is not a number");
    CHECK(memcmp(&set, &before, sizeof set) == 0);
}

static void test_parse_long_text(void)
{
    /* a long number and a long token: no overflow, quoted in the message */
    char text[600];
    pr_threshold_set set;
    size_t i;

    memset(&set, 0, sizeof set);
    memcpy(text, "mean:", 5);
    for (i = 5; i < 500; i++)
        text[i] = '1';
    text[500] = '%';
    text[501] = '\0';
    CHECK_INT(pr_threshold_parse(text, &set), PR_EUSAGE);
    CHECK_CONTAINS(pr_error_last(), "is too large");

    text[5] = '0';
    text[6] = '.';
    CHECK_INT(pr_threshold_parse(text, &set), 0);
    CHECK_NEAR(set.of[PR_METRIC_MEAN].value, 0.0011111111111111111, 1e-15);

    for (i = 0; i < 599; i++)
        text[i] = 'x';
    text[599] = '\0';
    CHECK_INT(pr_threshold_parse(text, &set), PR_EUSAGE);
    CHECK_CONTAINS(pr_error_last(), "unknown statistic 'xxxx");
}

static void test_parse_every_prefix(void)
{
    /* every prefix of a valid list either parses or fails cleanly; under
     * the sanitizers this also shows nothing reads past the NUL */
    const char *full =
        "mean:10%,median:0.5ms,ops:1000/s,stddev:2.5e1%,min:3\xc2\xb5s,memory:1.5MiB,allocs:2";
    char buf[128];
    size_t n, len = strlen(full);

    for (n = 0; n <= len; n++) {
        pr_threshold_set set;
        int err;

        memset(&set, 0, sizeof set);
        memcpy(buf, full, n);
        buf[n] = '\0';
        err = pr_threshold_parse(buf, &set);
        CHECK(err == 0 || err == PR_EUSAGE);
    }
}

static const struct format_case {
    pr_metric metric;
    pr_threshold t;
    const char *text;
} format_cases[] = {
    {PR_METRIC_MEAN, {1, 1, 0.10}, "10%"},
    {PR_METRIC_MEDIAN, {1, 1, 0.025}, "2.5%"},
    {PR_METRIC_MEAN, {1, 1, 0.07}, "7%"},
    {PR_METRIC_STDDEV, {1, 1, 0.5}, "50%"},
    {PR_METRIC_OPS, {1, 1, 0.1}, "10%"},
    {PR_METRIC_MEAN, {1, 0, 5e5}, "0.5ms"},
    {PR_METRIC_MEAN, {1, 0, 200}, "200ns"},
    {PR_METRIC_MEAN, {1, 0, 0}, "0ns"},
    {PR_METRIC_MEAN, {1, 0, 1500}, "1.5us"},
    {PR_METRIC_MAX, {1, 0, 2e9}, "2s"},
    {PR_METRIC_MAX, {1, 0, 4e5}, "400us"},
    {PR_METRIC_OPS, {1, 0, 1000}, "1000/s"},
    {PR_METRIC_MEMORY, {1, 1, 0.2}, "20%"},
    {PR_METRIC_MEMORY, {1, 0, 1048576}, "1MiB"},
    {PR_METRIC_MEMORY, {1, 0, 1572864}, "1.5MiB"},
    {PR_METRIC_MEMORY, {1, 0, 2097152}, "2MiB"}, /* twice 1MiB, as a critical line reads */
    {PR_METRIC_MEMORY, {1, 0, 1e6}, "1MB"},
    {PR_METRIC_MEMORY, {1, 0, 2e9}, "2GB"},
    {PR_METRIC_MEMORY, {1, 0, 1073741824}, "1GiB"},
    {PR_METRIC_MEMORY, {1, 0, 1536}, "1.5KiB"},
    {PR_METRIC_MEMORY, {1, 0, 512}, "512B"},
    {PR_METRIC_MEMORY, {1, 0, 0}, "0B"},
    {PR_METRIC_MEMORY, {1, 0, 1000001}, "1000001B"},
    {PR_METRIC_ALLOCS, {1, 1, 0.2}, "20%"},
    {PR_METRIC_ALLOCS, {1, 0, 2}, "2"},
    {PR_METRIC_ALLOCS, {1, 0, 0.5}, "0.5"},
};

static void test_format(void)
{
    size_t i;

    for (i = 0; i < sizeof format_cases / sizeof format_cases[0]; i++) {
        const struct format_case *c = &format_cases[i];
        char buf[64], text[96];
        pr_threshold_set set;

        pr_threshold_format(buf, sizeof buf, c->metric, &c->t);
        CHECK_STR(buf, c->text);
        /* and back: "METRIC:TEXT" parses to the same threshold */
        snprintf(text, sizeof text, "%s:%s", pr_metric_name(c->metric), buf);
        memset(&set, 0, sizeof set);
        CHECK_INT(pr_threshold_parse(text, &set), 0);
        CHECK_INT(set.of[c->metric].set, 1);
        CHECK_INT(set.of[c->metric].relative, c->t.relative);
        CHECK_NEAR(set.of[c->metric].value, c->t.value, fabs(c->t.value) * 1e-12);
    }
}

/* Near the largest double, 15 digits round up past it: the printer takes
 * 17, or a smaller unit, so that what it prints still reads back. */
static void test_format_huge(void)
{
    static const struct {
        pr_metric metric;
        pr_threshold t;
    } cases[] = {
        {PR_METRIC_MEAN, {1, 0, DBL_MAX}},        {PR_METRIC_MEAN, {1, 1, DBL_MAX / 100}},
        {PR_METRIC_OPS, {1, 0, DBL_MAX}},         {PR_METRIC_ALLOCS, {1, 0, DBL_MAX}},
        {PR_METRIC_MEMORY, {1, 0, DBL_MAX}},      {PR_METRIC_MEMORY, {1, 0, DBL_MAX / 2}},
        {PR_METRIC_MAX, {1, 0, DBL_MAX / 3}},     {PR_METRIC_ALLOCS, {1, 0, DBL_TRUE_MIN}},
        {PR_METRIC_MEMORY, {1, 0, DBL_TRUE_MIN}},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64], text[96];
        pr_threshold_set set;
        double want = cases[i].t.value, got;

        pr_threshold_format(buf, sizeof buf, cases[i].metric, &cases[i].t);
        snprintf(text, sizeof text, "%s:%s", pr_metric_name(cases[i].metric), buf);
        memset(&set, 0, sizeof set);
        if (pr_threshold_parse(text, &set) != 0) {
            fprintf(stderr, "'%s' does not read back: %s\n", text, pr_error_last());
            CHECK(0);
            continue;
        }
        got = set.of[cases[i].metric].value;
        CHECK(isfinite(got));
        CHECK_NEAR(got, want, want * 1e-14 + 4 * DBL_TRUE_MIN);
    }
}

static void test_format_edges(void)
{
    pr_threshold unset = {0, 1, 0.1};
    pr_threshold ten = {1, 1, 0.1};
    char buf[4];

    memset(buf, 'x', sizeof buf);
    pr_threshold_format(buf, sizeof buf, PR_METRIC_MEAN, &unset);
    CHECK_STR(buf, "");
    /* truncated, still terminated */
    pr_threshold_format(buf, 3, PR_METRIC_MEAN, &ten);
    CHECK_STR(buf, "10");
    pr_threshold_format(buf, 0, PR_METRIC_MEAN, &ten);
    CHECK_STR(buf, "10");
}

int main(void)
{
    RUN_TEST(test_metric_table);
    RUN_TEST(test_metric_value);
    RUN_TEST(test_metric_of_result);
    RUN_TEST(test_parse_good);
    RUN_TEST(test_parse_list);
    RUN_TEST(test_parse_last_wins);
    RUN_TEST(test_parse_bad);
    RUN_TEST(test_parse_null);
    RUN_TEST(test_bad_after_good_changes_nothing);
    RUN_TEST(test_parse_long_text);
    RUN_TEST(test_parse_every_prefix);
    RUN_TEST(test_format);
    RUN_TEST(test_format_huge);
    RUN_TEST(test_format_edges);
    return CHECK_DONE();
}
