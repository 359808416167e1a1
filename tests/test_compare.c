/*
 * test_compare.c - the comparator, data-driven: each case is a baseline's
 * samples, a current run's samples and the options, and the verdict the
 * comparison must reach. Samples are arithmetic sequences (n values from
 * FIRST in steps of STEP, the TOP largest raised by TOP_PLUS), so a case
 * reads as what it tests: "25% slower" is {20, 1250, 1.25} against
 * {20, 1000, 1}, every value times 1.25.
 *
 * p-values: two sequences that do not overlap (20 vs 20) give the exact
 * two-sided p = 2 / C(40, 20) = 1.45e-11; identical samples give p = 1;
 * 3 vs 3 can give at best p = 2 / C(6, 3) = 0.1. The bounds checked for
 * the overlapping cases were worked out with the exact permutation
 * distribution (a short Python script: exact counts of
 * the rank-sum distribution with mid-ranks, in fractions) and are far from
 * alpha.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compare.h"
#include "error.h"
#include "run.h"
#include "stats.h"
#include "strbuf.h"
#include "threshold.h"
#include "banned.h"

#define MAX_SAMPLES 64

typedef struct seq {
    size_t n;
    double first, step;
    size_t top;      /* the TOP largest values ... */
    double top_plus; /* ... are raised by this */
} seq;

static size_t seq_fill(const seq *s, double *out)
{
    size_t i;
    for (i = 0; i < s->n && i < MAX_SAMPLES; i++) {
        out[i] = s->first + s->step * (double)i;
        if (i + s->top >= s->n)
            out[i] += s->top_plus;
    }
    return i;
}

/* Appends a benchmark NAME with samples X to RUN (FAILED: no samples). */
static void add_bench(pr_run *run, const char *name, const double *x, size_t n, pr_status status)
{
    pr_result *r = NULL;

    CHECK_INT(pr_run_add_result(run, &r), 0);
    if (!r)
        return;
    r->name = pr_strdup(name);
    r->status = status;
    r->iterations = 1;
    if (status == PR_STATUS_FAILED) {
        r->error = pr_strdup("killed by signal 11");
        return;
    }
    if (n == 0)
        return;
    r->samples_ns = malloc(n * sizeof *r->samples_ns);
    CHECK(r->samples_ns != NULL);
    if (!r->samples_ns)
        return;
    memcpy(r->samples_ns, x, n * sizeof *x);
    r->n_samples = n;
    CHECK_INT(pr_stats_compute(&r->stats, x, n), 0);
}

static void add_seq(pr_run *run, const char *name, const seq *s)
{
    double x[MAX_SAMPLES];
    size_t n = seq_fill(s, x);
    add_bench(run, name, x, n, PR_STATUS_OK);
}

/* Options from the defaults, WARN and FAIL (NULL: leave them) parsed on top. */
static void make_options(pr_compare_options *opt, const char *warn, const char *fail,
                         int significance, int fail_on_missing)
{
    pr_compare_options_init(opt);
    if (warn)
        CHECK_INT(pr_threshold_parse(warn, &opt->warn), 0);
    if (fail)
        CHECK_INT(pr_threshold_parse(fail, &opt->fail), 0);
    opt->significance = significance;
    opt->fail_on_missing = fail_on_missing;
}

#define BASE20                                                                                     \
    {                                                                                              \
        20, 1000, 1, 0, 0                                                                          \
    } /* 1000 .. 1019 ns, mean 1009.5 */
#define ON 1
#define OFF 0

static const struct cmp_case {
    const char *what;
    seq baseline, current;
    const char *warn, *fail; /* on top of the defaults; NULL: none */
    int significance;
    /* expected */
    pr_level level;
    int failing, noise, testable, approaching;
    pr_metric worst;
    double p_above, p_below; /* p_above < p < p_below when tested */
} cases[] = {
    {"identical samples", BASE20, BASE20, NULL, "mean:10%", ON, PR_LEVEL_NORMAL, 0, 0, 1, 0,
     PR_METRIC_MEAN, 0.999, 1.001},
    {"25% slower, separated",
     BASE20,
     {20, 1250, 1.25, 0, 0},
     NULL,
     "mean:10%",
     ON,
     PR_LEVEL_CRITICAL,
     1,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     1e-10},
    {"12% slower, separated",
     BASE20,
     {20, 1120, 1.12, 0, 0},
     NULL,
     NULL,
     ON,
     PR_LEVEL_WARNING,
     0,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     1e-10},
    {"12% slower, fail at 15%",
     BASE20,
     {20, 1120, 1.12, 0, 0},
     NULL,
     "mean:15%",
     ON,
     PR_LEVEL_WARNING,
     0,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     1e-10},
    {"12% slower, fail at 13.5%: approaching",
     BASE20,
     {20, 1120, 1.12, 0, 0},
     NULL,
     "mean:13.5%",
     ON,
     PR_LEVEL_WARNING,
     0,
     0,
     1,
     1,
     PR_METRIC_MEAN,
     0,
     1e-10},
    {"12% slower, fail at 14.1%: not approaching",
     BASE20,
     {20, 1120, 1.12, 0, 0},
     NULL,
     "mean:14.1%",
     ON,
     PR_LEVEL_WARNING,
     0,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     1e-10},
    {"12% slower, fail just above 12%: approaching, not failing",
     BASE20,
     {20, 1120, 1.12, 0, 0},
     NULL,
     "mean:12.000001%",
     ON,
     PR_LEVEL_WARNING,
     0,
     0,
     1,
     1,
     PR_METRIC_MEAN,
     0,
     1e-10},
    /* Wide, overlapping samples shifted by 15% of the mean: 500 .. 1450
     * against 646.25 .. 1596.25; exact p = 0.2110. Mean, median and ops
     * all cross their thresholds; none is significant. */
    {"15% shift, overlapping",
     {20, 500, 50, 0, 0},
     {20, 646.25, 50, 0, 0},
     NULL,
     "mean:10%",
     ON,
     PR_LEVEL_NORMAL,
     0,
     1,
     1,
     0,
     PR_METRIC_MEAN,
     0.05,
     1},
    {"15% shift, overlapping, gate off",
     {20, 500, 50, 0, 0},
     {20, 646.25, 50, 0, 0},
     NULL,
     "mean:10%",
     OFF,
     PR_LEVEL_WARNING,
     1,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     0},
    /* The same 20 values but the two largest 1514.25 ns slower: the mean
     * moves 2 * 1514.25 / 20 = 151.425 ns = 15%, the ranks barely move
     * (p = 0.965), the median does not move. The mean is noise; the spread
     * really did grow (far beyond 2 x 50%) and stddev is not gated, but a
     * spread metric stops at a warning: a warning, not critical, not
     * failing. */
    {"15% by two outliers",
     BASE20,
     {20, 1000, 1, 2, 1514.25},
     NULL,
     "mean:10%",
     ON,
     PR_LEVEL_WARNING,
     0,
     1,
     1,
     0,
     PR_METRIC_MEAN, /* inconclusive: shown before the spread's warning */
     0.05,
     1},
    {"15% by two outliers, no stddev threshold",
     BASE20,
     {20, 1000, 1, 2, 1514.25},
     "stddev:1e9%",
     "mean:10%",
     ON,
     PR_LEVEL_NORMAL,
     0,
     1,
     1,
     0,
     PR_METRIC_MEAN,
     0.05,
     1},
    {"15% by two outliers, gate off",
     BASE20,
     {20, 1000, 1, 2, 1514.25},
     "stddev:1e9%",
     "mean:10%",
     OFF,
     PR_LEVEL_WARNING,
     1,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     0},
    {"15% faster, separated",
     BASE20,
     {20, 850, 0.85, 0, 0},
     NULL,
     "mean:10%",
     ON,
     PR_LEVEL_IMPROVED,
     0,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     1e-10},
    {"15% faster, overlapping: noise",
     {20, 500, 50, 0, 0},
     {20, 353.75, 50, 0, 0},
     NULL,
     NULL,
     ON,
     PR_LEVEL_NORMAL,
     0,
     1,
     1,
     0,
     PR_METRIC_MEAN,
     0.05,
     1},
    {"5% faster: normal",
     BASE20,
     {20, 950, 0.95, 0, 0},
     NULL,
     NULL,
     ON,
     PR_LEVEL_NORMAL,
     0,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     1e-10},
    /* 3 vs 3 can never reach p < 0.05 (min p = 0.1): the threshold decides */
    {"3 vs 3, 25% slower",
     {3, 1000, 1, 0, 0},
     {3, 1250, 1.25, 0, 0},
     NULL,
     "mean:10%",
     ON,
     PR_LEVEL_CRITICAL,
     1,
     0,
     0,
     0,
     PR_METRIC_MEAN,
     0.099,
     0.101},
    {"3 vs 3, same",
     {3, 1000, 1, 0, 0},
     {3, 1000, 1, 0, 0},
     NULL,
     "mean:10%",
     ON,
     PR_LEVEL_NORMAL,
     0,
     0,
     0,
     0,
     PR_METRIC_MEAN,
     0.999,
     1.001},
    /* ops fall to 0.85: a 15% drop. The mean rises 1 / 0.85 - 1 = 17.6%
     * (a warning); ops fails and is the metric behind the failure. */
    {"ops drop 15%, fail ops:10%",
     BASE20,
     {20, 1000 / 0.85, 1 / 0.85, 0, 0},
     NULL,
     "ops:10%",
     ON,
     PR_LEVEL_WARNING,
     1,
     0,
     1,
     0,
     PR_METRIC_OPS,
     0,
     1e-10},
    {"ops drop 15%, fail ops:20%",
     BASE20,
     {20, 1000 / 0.85, 1 / 0.85, 0, 0},
     NULL,
     "ops:20%",
     ON,
     PR_LEVEL_WARNING,
     0,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     1e-10},
    {"ops drop 15%, fail ops:100000/s",
     BASE20,
     {20, 1000 / 0.85, 1 / 0.85, 0, 0},
     NULL,
     "ops:100000/s",
     ON,
     PR_LEVEL_WARNING,
     1,
     0,
     1,
     0,
     PR_METRIC_OPS,
     0,
     1e-10},
    /* 10 ms benchmarks: +0.4 ms and +0.6 ms are 4% and 6% (no relative
     * warning) against an absolute limit of 0.5 ms */
    {"+0.4 ms, fail mean:0.5ms",
     {20, 1e7, 1000, 0, 0},
     {20, 1.04e7, 1000, 0, 0},
     NULL,
     "mean:0.5ms",
     ON,
     PR_LEVEL_NORMAL,
     0,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     1e-10},
    {"+0.6 ms, fail mean:0.5ms",
     {20, 1e7, 1000, 0, 0},
     {20, 1.06e7, 1000, 0, 0},
     NULL,
     "mean:0.5ms",
     ON,
     PR_LEVEL_NORMAL,
     1,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     1e-10},
    {"+0.6 ms, warn mean:0.5ms",
     {20, 1e7, 1000, 0, 0},
     {20, 1.06e7, 1000, 0, 0},
     "mean:0.5ms",
     NULL,
     ON,
     PR_LEVEL_WARNING,
     0,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     1e-10},
    {"+1.1 ms, warn mean:0.5ms",
     {20, 1e7, 1000, 0, 0},
     {20, 1.11e7, 1000, 0, 0},
     "mean:0.5ms",
     NULL,
     ON,
     PR_LEVEL_CRITICAL,
     0,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     1e-10},
    {"-0.6 ms, warn mean:0.5ms",
     {20, 1e7, 1000, 0, 0},
     {20, 0.94e7, 1000, 0, 0},
     "mean:0.5ms",
     NULL,
     ON,
     PR_LEVEL_IMPROVED,
     0,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     1e-10},
    {"+0.495 ms: approaching 0.5ms",
     {20, 1e7, 1000, 0, 0},
     {20, 1.0495e7, 1000, 0, 0},
     "mean:0.3ms",
     "mean:0.5ms",
     ON,
     PR_LEVEL_WARNING,
     0,
     0,
     1,
     1,
     PR_METRIC_MEAN,
     0,
     1e-10},
    {"+0.48 ms: not approaching 0.5ms",
     {20, 1e7, 1000, 0, 0},
     {20, 1.048e7, 1000, 0, 0},
     "mean:0.3ms",
     "mean:0.5ms",
     ON,
     PR_LEVEL_WARNING,
     0,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     1e-10},
    /* 990 .. 1010 against 982 .. 1018: the same mean and median, the
     * stddev 1.8 times as large (+80%: beyond 50%, not beyond 100%).
     * p = 1: the gate would hide it, but spread is not gated. */
    {"stddev +80%, same location",
     {21, 990, 1, 0, 0},
     {21, 982, 1.8, 0, 0},
     NULL,
     NULL,
     ON,
     PR_LEVEL_WARNING,
     0,
     0,
     1,
     0,
     PR_METRIC_STDDEV,
     0.999,
     1.001},
    {"stddev +80%, fail stddev:60%",
     {21, 990, 1, 0, 0},
     {21, 982, 1.8, 0, 0},
     NULL,
     "stddev:60%",
     ON,
     PR_LEVEL_WARNING,
     1,
     0,
     1,
     0,
     PR_METRIC_STDDEV,
     0.999,
     1.001},
    {"stddev +80%, fail stddev:81%: approaching",
     {21, 990, 1, 0, 0},
     {21, 982, 1.8, 0, 0},
     NULL,
     "stddev:81%",
     ON,
     PR_LEVEL_WARNING,
     0,
     0,
     1,
     1,
     PR_METRIC_STDDEV,
     0.999,
     1.001},
    {"iqr:50% on a wider spread",
     {21, 990, 1, 0, 0},
     {21, 982, 1.8, 0, 0},
     "iqr:50%",
     NULL,
     ON,
     PR_LEVEL_WARNING,
     0,
     0,
     1,
     0,
     PR_METRIC_STDDEV,
     0.999,
     1.001},
    /* "beyond" is strict: exactly T is not a warning, exactly 2T not
     * critical, exactly F not failing (the means are exact: 1009.5,
     * 1109.5, 1209.5) */
    {"+100 ns at warn and fail mean:100ns",
     BASE20,
     {20, 1100, 1, 0, 0},
     "mean:100ns",
     "mean:100ns",
     ON,
     PR_LEVEL_NORMAL,
     0,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     1e-10},
    {"+200 ns at 2 x warn mean:100ns, fail mean:200ns",
     BASE20,
     {20, 1200, 1, 0, 0},
     "mean:100ns",
     "mean:200ns",
     ON,
     PR_LEVEL_WARNING,
     0,
     0,
     1,
     1,
     PR_METRIC_MEAN,
     0,
     1e-10},
    /* the same in relative terms: the means 1000, 1100 and 1200 give
     * changes of exactly 0.1 and 0.2 */
    {"+10% at warn and fail mean:10%",
     {20, 990.5, 1, 0, 0},
     {20, 1090.5, 1, 0, 0},
     NULL,
     "mean:10%",
     ON,
     PR_LEVEL_NORMAL,
     0,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     1e-10},
    {"+20% at 2 x warn mean:10%, fail mean:20%",
     {20, 990.5, 1, 0, 0},
     {20, 1190.5, 1, 0, 0},
     NULL,
     "mean:20%",
     ON,
     PR_LEVEL_WARNING,
     0,
     0,
     1,
     1,
     PR_METRIC_MEAN,
     0,
     1e-10},
    {"-10% exactly is no improvement",
     {20, 990.5, 1, 0, 0},
     {20, 890.5, 1, 0, 0},
     NULL,
     NULL,
     ON,
     PR_LEVEL_NORMAL,
     0,
     0,
     1,
     0,
     PR_METRIC_MEAN,
     0,
     1e-10},
    /* a min threshold: the fastest sample is gated like the mean */
    {"min +25%, separated",
     BASE20,
     {20, 1250, 1.25, 0, 0},
     "min:10%",
     "min:10%",
     ON,
     PR_LEVEL_CRITICAL,
     1,
     0,
     1,
     0,
     PR_METRIC_MIN,
     0,
     1e-10},
};

static void run_case(const struct cmp_case *c)
{
    pr_run base, cur;
    pr_compare_options opt;
    pr_comparison cmp;
    const pr_cmp_entry *e;
    int err;

    pr_run_init(&base);
    pr_run_init(&cur);
    add_seq(&base, "bench", &c->baseline);
    add_seq(&cur, "bench", &c->current);
    make_options(&opt, c->warn, c->fail, c->significance, 0);

    err = pr_compare_runs(&base, &cur, &opt, &cmp);
    CHECK_INT(err, 0);
    CHECK_INT(cmp.n_entries, 1);
    if (err == 0 && cmp.n_entries == 1) {
        e = &cmp.entries[0];
        CHECK_STR(e->name, "bench");
        CHECK_INT(e->kind, PR_CMP_MATCHED);
        CHECK_STR(pr_level_name(e->level), pr_level_name(c->level));
        CHECK_INT(e->failing, c->failing);
        CHECK_INT(e->noise, c->noise);
        CHECK_INT(e->testable, c->testable);
        CHECK_INT(e->approaching, c->approaching);
        CHECK_STR(pr_metric_name(e->worst), pr_metric_name(c->worst));
        CHECK_INT(e->tested, c->significance);
        if (c->significance) {
            CHECK(e->mwu.p_value > c->p_above);
            CHECK(e->mwu.p_value < c->p_below);
            CHECK_INT(e->significant, e->testable ? e->mwu.p_value < opt.alpha : 1);
        } else {
            CHECK_INT(e->significant, 1);
        }
        CHECK_INT(pr_comparison_failed(&cmp), c->failing);
        CHECK_INT(cmp.n_failing, c->failing);
        CHECK_INT(cmp.n_noise, c->noise);
        CHECK_INT(cmp.n_untestable, c->significance && !c->testable);
        CHECK_INT(cmp.n_improved + cmp.n_normal + cmp.n_warning + cmp.n_critical, 1);
        CHECK_INT(cmp.n_new + cmp.n_missing + cmp.n_failed, 0);
        CHECK(cmp.machine_mismatch == NULL);
    }
    if (check_test_failed_)
        fprintf(stderr, "  in case '%s' (p = %.6g)\n", c->what,
                cmp.n_entries ? cmp.entries[0].mwu.p_value : -1);
    pr_comparison_release(&cmp);
    pr_run_release(&base);
    pr_run_release(&cur);
}

static void test_cases(void)
{
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int before = check_test_failed_;
        check_test_failed_ = 0;
        run_case(&cases[i]);
        check_test_failed_ |= before;
    }
}

/*
 * memory and allocs: one figure per run on each side (NONE: that side does
 * not have it), on top of identical timings (BASE20 on both sides, p = 1).
 * The timings are never significant, so every flag below also shows that
 * the two are not gated.
 */
#define NONE (-1.0)
#define MIB 1048576.0

static const struct resource_case {
    const char *what;
    double base_memory, cur_memory; /* bytes */
    double base_allocs, cur_allocs; /* per iteration */
    const char *warn, *fail;
    /* expected */
    pr_level level;
    int failing;
    pr_metric worst;
    int memory_valid, allocs_valid;
} resource_cases[] = {
    {"memory +25%", 100 * MIB, 125 * MIB, NONE, NONE, NULL, NULL, PR_LEVEL_WARNING, 0,
     PR_METRIC_MEMORY, 1, 0},
    {"memory +50%", 100 * MIB, 150 * MIB, NONE, NONE, NULL, NULL, PR_LEVEL_CRITICAL, 0,
     PR_METRIC_MEMORY, 1, 0},
    {"memory +40% exactly 2T", 100 * MIB, 140 * MIB, NONE, NONE, NULL, NULL, PR_LEVEL_WARNING, 0,
     PR_METRIC_MEMORY, 1, 0},
    {"memory +15%", 100 * MIB, 115 * MIB, NONE, NONE, NULL, NULL, PR_LEVEL_NORMAL, 0,
     PR_METRIC_MEAN, 1, 0},
    {"memory +25%, fail memory:20%", 100 * MIB, 125 * MIB, NONE, NONE, NULL, "memory:20%",
     PR_LEVEL_WARNING, 1, PR_METRIC_MEMORY, 1, 0},
    {"memory +15%, fail memory:20%", 100 * MIB, 115 * MIB, NONE, NONE, NULL, "memory:20%",
     PR_LEVEL_NORMAL, 0, PR_METRIC_MEAN, 1, 0},
    /* an improvement is judged on the primary metric only */
    {"memory -40%", 100 * MIB, 60 * MIB, NONE, NONE, NULL, NULL, PR_LEVEL_NORMAL, 0,
     PR_METRIC_MEAN, 1, 0},
    {"memory only in the baseline", 100 * MIB, NONE, NONE, NONE, NULL, "memory:1%",
     PR_LEVEL_NORMAL, 0, PR_METRIC_MEAN, 0, 0},
    {"memory only in the current run", NONE, 500 * MIB, NONE, NONE, NULL, "memory:1%",
     PR_LEVEL_NORMAL, 0, PR_METRIC_MEAN, 0, 0},
    /* a baseline of 0 bytes: no percentage applies */
    {"memory from 0", 0, 64 * MIB, NONE, NONE, NULL, "memory:20%", PR_LEVEL_NORMAL, 0,
     PR_METRIC_MEAN, 1, 0},
    /* A relative threshold judges only a change of more than 1 MiB: a
     * child's peak RSS also counts the code pages it faults in, which move
     * by a few hundred KiB from run to run with address randomisation (the
     * bundled suite's empty loop: 256 to 476 KiB). */
    {"memory 256 KiB to 476 KiB", 256 * 1024.0, 476 * 1024.0, NONE, NONE, NULL, NULL,
     PR_LEVEL_NORMAL, 0, PR_METRIC_MEAN, 1, 0},
    {"memory 256 KiB to 476 KiB, fail memory:20%", 256 * 1024.0, 476 * 1024.0, NONE, NONE, NULL,
     "memory:20%", PR_LEVEL_NORMAL, 0, PR_METRIC_MEAN, 1, 0},
    {"memory 1 MiB to 2.5 MiB", 1 * MIB, 2.5 * MIB, NONE, NONE, NULL, NULL, PR_LEVEL_CRITICAL, 0,
     PR_METRIC_MEMORY, 1, 0},
    {"memory 2 MiB to 3 MiB exactly the floor", 2 * MIB, 3 * MIB, NONE, NONE, NULL, NULL,
     PR_LEVEL_NORMAL, 0, PR_METRIC_MEAN, 1, 0},
    {"memory +1.5 MiB, warn memory:1MiB", 100 * MIB, 101.5 * MIB, NONE, NONE, "memory:1MiB", NULL,
     PR_LEVEL_WARNING, 0, PR_METRIC_MEMORY, 1, 0},
    {"memory +2.5 MiB, warn memory:1MiB", 100 * MIB, 102.5 * MIB, NONE, NONE, "memory:1MiB", NULL,
     PR_LEVEL_CRITICAL, 0, PR_METRIC_MEMORY, 1, 0},
    {"memory +1.5 MiB, fail memory:1MiB", 100 * MIB, 101.5 * MIB, NONE, NONE, "memory:1MiB",
     "memory:1MiB", PR_LEVEL_WARNING, 1, PR_METRIC_MEMORY, 1, 0},
    {"memory +0.5 MiB, fail memory:1MiB", 100 * MIB, 100.5 * MIB, NONE, NONE, "memory:1MiB",
     "memory:1MiB", PR_LEVEL_NORMAL, 0, PR_METRIC_MEAN, 1, 0},
    {"allocs +30%", NONE, NONE, 10, 13, NULL, NULL, PR_LEVEL_WARNING, 0, PR_METRIC_ALLOCS, 0, 1},
    {"allocs +50%", NONE, NONE, 10, 15, NULL, NULL, PR_LEVEL_CRITICAL, 0, PR_METRIC_ALLOCS, 0, 1},
    {"allocs the same", NONE, NONE, 10, 10, NULL, "allocs:0", PR_LEVEL_NORMAL, 0, PR_METRIC_MEAN,
     0, 1},
    /* from none to one per iteration: flagged although no percentage of 0
     * applies; a relative --fail still cannot apply */
    {"allocs 0 -> 1", NONE, NONE, 0, 1, NULL, "allocs:20%", PR_LEVEL_WARNING, 0, PR_METRIC_ALLOCS,
     0, 1},
    {"allocs 0 -> 250", NONE, NONE, 0, 250, NULL, NULL, PR_LEVEL_WARNING, 0, PR_METRIC_ALLOCS, 0,
     1},
    {"allocs 0 -> 0.5", NONE, NONE, 0, 0.5, NULL, NULL, PR_LEVEL_NORMAL, 0, PR_METRIC_MEAN, 0, 1},
    {"allocs 0 -> 0", NONE, NONE, 0, 0, NULL, NULL, PR_LEVEL_NORMAL, 0, PR_METRIC_MEAN, 0, 1},
    {"allocs 0 -> 1, fail allocs:0.5", NONE, NONE, 0, 1, NULL, "allocs:0.5", PR_LEVEL_WARNING, 1,
     PR_METRIC_ALLOCS, 0, 1},
    /* absolute thresholds replace the rule for a baseline of none */
    {"allocs 0 -> 1, warn allocs:2", NONE, NONE, 0, 1, "allocs:2", NULL, PR_LEVEL_NORMAL, 0,
     PR_METRIC_MEAN, 0, 1},
    {"allocs 0 -> 3, warn allocs:2", NONE, NONE, 0, 3, "allocs:2", NULL, PR_LEVEL_WARNING, 0,
     PR_METRIC_ALLOCS, 0, 1},
    {"allocs 0 -> 5, warn allocs:2", NONE, NONE, 0, 5, "allocs:2", NULL, PR_LEVEL_CRITICAL, 0,
     PR_METRIC_ALLOCS, 0, 1},
    {"allocs +3, fail allocs:2", NONE, NONE, 4, 7, "allocs:100%", "allocs:2", PR_LEVEL_NORMAL, 1,
     PR_METRIC_ALLOCS, 0, 1},
    {"allocs only in the current run", NONE, NONE, NONE, 5, NULL, "allocs:0", PR_LEVEL_NORMAL, 0,
     PR_METRIC_MEAN, 0, 0},
    /* both: the worse one decides, allocs before memory only in enum order */
    {"memory +25%, allocs +50%", 100 * MIB, 125 * MIB, 10, 15, NULL, NULL, PR_LEVEL_CRITICAL, 0,
     PR_METRIC_ALLOCS, 1, 1},
    {"memory +50%, allocs +30%", 100 * MIB, 150 * MIB, 10, 13, NULL, NULL, PR_LEVEL_CRITICAL, 0,
     PR_METRIC_MEMORY, 1, 1},
};

static void set_resources(pr_run *run, double memory, double allocs)
{
    pr_result *r = &run->results[run->n_results - 1];

    if (memory != NONE) {
        r->has_memory = 1;
        r->baseline_rss_bytes = 6 << 20;
        r->memory_bytes = (uint64_t)memory;
        r->peak_rss_bytes = r->baseline_rss_bytes + r->memory_bytes;
    }
    if (allocs != NONE) {
        r->has_allocs = 1;
        r->allocs_per_iteration = allocs;
        r->alloc_bytes_per_iteration = allocs * 64;
    }
}

static void run_resource_case(const struct resource_case *c)
{
    seq s = BASE20;
    pr_run base, cur;
    pr_compare_options opt;
    pr_comparison cmp;
    const pr_cmp_entry *e;
    const pr_metric_change *mem, *allocs;

    pr_run_init(&base);
    pr_run_init(&cur);
    add_seq(&base, "bench", &s);
    add_seq(&cur, "bench", &s);
    set_resources(&base, c->base_memory, c->base_allocs);
    set_resources(&cur, c->cur_memory, c->cur_allocs);
    make_options(&opt, c->warn, c->fail, ON, 0);

    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(cmp.n_entries, 1);
    if (cmp.n_entries == 1) {
        e = &cmp.entries[0];
        mem = &e->metrics[PR_METRIC_MEMORY];
        allocs = &e->metrics[PR_METRIC_ALLOCS];
        CHECK_STR(pr_level_name(e->level), pr_level_name(c->level));
        CHECK_INT(e->failing, c->failing);
        CHECK_STR(pr_metric_name(e->worst), pr_metric_name(c->worst));
        CHECK_INT(mem->valid, c->memory_valid);
        CHECK_INT(allocs->valid, c->allocs_valid);
        /* identical timings: the U test ran and found nothing, yet the
         * per-run figures were judged; nothing is noise */
        CHECK_INT(e->tested, 1);
        CHECK(e->mwu.p_value > 0.999);
        CHECK_INT(e->noise, 0);
        CHECK_INT(mem->noise, 0);
        CHECK_INT(allocs->noise, 0);
        if (c->memory_valid) {
            CHECK_NEAR(mem->baseline, c->base_memory, 0);
            CHECK_NEAR(mem->current, c->cur_memory, 0);
            CHECK_NEAR(mem->abs_regression, c->cur_memory - c->base_memory, 0);
        } else {
            CHECK_INT(mem->level, PR_LEVEL_NORMAL);
            CHECK_INT(mem->failing, 0);
        }
        if (c->allocs_valid) {
            CHECK_NEAR(allocs->baseline, c->base_allocs, 0);
            CHECK_NEAR(allocs->current, c->cur_allocs, 0);
            CHECK_INT(allocs->relative_valid, c->base_allocs != 0);
        } else {
            CHECK_INT(allocs->level, PR_LEVEL_NORMAL);
            CHECK_INT(allocs->failing, 0);
        }
        CHECK_INT(pr_comparison_failed(&cmp), c->failing);
        CHECK_INT(cmp.n_noise, 0);
    }
    if (check_test_failed_)
        fprintf(stderr, "  in case '%s'\n", c->what);
    pr_comparison_release(&cmp);
    pr_run_release(&base);
    pr_run_release(&cur);
}

static void test_resource_cases(void)
{
    size_t i;
    for (i = 0; i < sizeof resource_cases / sizeof resource_cases[0]; i++) {
        int before = check_test_failed_;
        check_test_failed_ = 0;
        run_resource_case(&resource_cases[i]);
        check_test_failed_ |= before;
    }
}

static void test_resource_figures(void)
{
    /* memory +25% on a benchmark 25% slower too: each metric's own
     * figures, and the timing gate does not touch memory */
    seq b = BASE20, c = {20, 1250, 1.25, 0, 0};
    pr_run base, cur;
    pr_comparison cmp;
    const pr_metric_change *mc;

    pr_run_init(&base);
    pr_run_init(&cur);
    add_seq(&base, "x", &b);
    add_seq(&cur, "x", &c);
    set_resources(&base, 64 * MIB, 2);
    set_resources(&cur, 80 * MIB, 3);
    CHECK_INT(pr_compare_runs(&base, &cur, NULL, &cmp), 0);
    mc = &cmp.entries[0].metrics[PR_METRIC_MEMORY];
    CHECK_INT(mc->valid, 1);
    CHECK_INT(mc->relative_valid, 1);
    CHECK_NEAR(mc->change, 0.25, 1e-12);
    CHECK_NEAR(mc->regression, 0.25, 1e-12);
    CHECK_NEAR(mc->abs_regression, 16 * MIB, 0);
    CHECK_INT(mc->level, PR_LEVEL_WARNING);
    mc = &cmp.entries[0].metrics[PR_METRIC_ALLOCS];
    CHECK_NEAR(mc->change, 0.5, 1e-12);
    CHECK_NEAR(mc->abs_regression, 1, 0);
    CHECK_INT(mc->level, PR_LEVEL_CRITICAL); /* 50% > 2 x 20% */
    /* the mean is critical too; it is the primary metric, so it is named */
    CHECK_INT(cmp.entries[0].level, PR_LEVEL_CRITICAL);
    CHECK_INT(cmp.entries[0].worst, PR_METRIC_MEAN);
    /* memory does not enter the geometric mean of the primary metric */
    CHECK_INT(cmp.geomean_n, 1);
    CHECK_NEAR(cmp.geomean_change, 0.25, 1e-12);
    pr_comparison_release(&cmp);

    /* a current result marked ok but without samples: its timings are not
     * compared, its memory is */
    pr_run_release(&cur);
    pr_run_init(&cur);
    add_bench(&cur, "x", NULL, 0, PR_STATUS_OK);
    set_resources(&cur, 96 * MIB, NONE);
    CHECK_INT(pr_compare_runs(&base, &cur, NULL, &cmp), 0);
    CHECK_INT(cmp.entries[0].kind, PR_CMP_MATCHED);
    CHECK_INT(cmp.entries[0].metrics[PR_METRIC_MEAN].valid, 0);
    CHECK_INT(cmp.entries[0].metrics[PR_METRIC_MEMORY].valid, 1);
    CHECK_INT(cmp.entries[0].metrics[PR_METRIC_ALLOCS].valid, 0);
    CHECK_INT(cmp.entries[0].level, PR_LEVEL_CRITICAL); /* +50% */
    CHECK_INT(cmp.entries[0].worst, PR_METRIC_MEMORY);
    pr_comparison_release(&cmp);

    /* approaching an absolute --fail memory threshold: within 2% of it */
    pr_run_release(&cur);
    pr_run_init(&cur);
    add_seq(&cur, "x", &b);
    set_resources(&cur, 64 * MIB + 0.99 * MIB, 2);
    {
        pr_compare_options opt;
        make_options(&opt, "memory:0.5MiB", "memory:1MiB", ON, 0);
        CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
        CHECK_INT(cmp.entries[0].level, PR_LEVEL_WARNING);
        CHECK_INT(cmp.entries[0].failing, 0);
        CHECK_INT(cmp.entries[0].approaching, 1);
        CHECK_INT(cmp.entries[0].worst, PR_METRIC_MEMORY);
        pr_comparison_release(&cmp);
    }
    pr_run_release(&base);
    pr_run_release(&cur);
}

/* Drops the samples of the last result of RUN, keeping its statistics: a
 * result imported from a tool that reported statistics only. */
static void keep_stats_only(pr_run *run)
{
    pr_result *r = &run->results[run->n_results - 1];

    free(r->samples_ns);
    r->samples_ns = NULL;
    r->n_samples = 0;
}

/* Statistics without samples on either side are compared, the U test
 * cannot run: untestable, and the plain threshold decides. */
static void test_stats_only(void)
{
    static const seq base_seq = BASE20, slow_seq = {20, 1250, 1, 0, 0};
    pr_run base, cur;
    pr_compare_options opt;
    pr_comparison cmp;
    const pr_cmp_entry *e;
    int side;

    /* side 0: both stats-only; 1: the current one; 2: the baseline */
    for (side = 0; side < 3; side++) {
        pr_run_init(&base);
        pr_run_init(&cur);
        add_seq(&base, "x", &base_seq);
        add_seq(&cur, "x", &slow_seq);
        if (side != 1)
            keep_stats_only(&base);
        if (side != 2)
            keep_stats_only(&cur);
        make_options(&opt, NULL, "mean:10%", ON, 0);
        CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
        CHECK_INT(cmp.n_entries, 1);
        e = &cmp.entries[0];
        CHECK_INT(e->kind, PR_CMP_MATCHED);
        CHECK_INT(e->tested, 0);
        CHECK_INT(e->testable, 0);
        CHECK_INT(e->significant, 1);
        CHECK_INT(e->metrics[PR_METRIC_MEAN].valid, 1);
        CHECK_NEAR(e->metrics[PR_METRIC_MEAN].change, 1259.5 / 1009.5 - 1, 1e-12);
        CHECK_INT(e->metrics[PR_METRIC_MEAN].noise, 0);
        CHECK_INT(e->level, PR_LEVEL_CRITICAL);
        CHECK_INT(e->failing, 1);
        CHECK_INT(cmp.n_untestable, 1);
        CHECK_INT(pr_comparison_failed(&cmp), 1);
        pr_comparison_release(&cmp);

        /* without the gate there is nothing to call untestable */
        make_options(&opt, NULL, "mean:10%", OFF, 0);
        CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
        CHECK_INT(cmp.entries[0].testable, 1);
        CHECK_INT(cmp.entries[0].failing, 1);
        CHECK_INT(cmp.n_untestable, 0);
        pr_comparison_release(&cmp);
        pr_run_release(&base);
        pr_run_release(&cur);
    }

    /* a baseline with neither samples nor statistics is still nothing to
     * compare against */
    pr_run_init(&base);
    pr_run_init(&cur);
    add_bench(&base, "x", NULL, 0, PR_STATUS_OK);
    add_seq(&cur, "x", &slow_seq);
    keep_stats_only(&cur);
    CHECK_INT(pr_compare_runs(&base, &cur, NULL, &cmp), 0);
    CHECK_INT(cmp.entries[0].kind, PR_CMP_NEW);
    pr_comparison_release(&cmp);
    pr_run_release(&base);
    pr_run_release(&cur);
}

static void test_option_defaults(void)
{
    pr_compare_options opt;
    int m;

    memset(&opt, 0x5a, sizeof opt);
    pr_compare_options_init(&opt);
    CHECK_NEAR(opt.alpha, 0.05, 0);
    CHECK_INT(opt.significance, 1);
    CHECK_INT(opt.fail_on_missing, 0);
    CHECK_INT(opt.primary, PR_METRIC_MEAN);
    for (m = 0; m < PR_METRIC_COUNT; m++)
        CHECK_INT(opt.fail.of[m].set, 0);
    CHECK(opt.warn.of[PR_METRIC_MEAN].set && opt.warn.of[PR_METRIC_MEAN].relative);
    CHECK_NEAR(opt.warn.of[PR_METRIC_MEAN].value, 0.10, 0);
    /* one location statistic judged by default: the median only when asked */
    CHECK_INT(opt.warn.of[PR_METRIC_MEDIAN].set, 0);
    CHECK(opt.warn.of[PR_METRIC_STDDEV].set && opt.warn.of[PR_METRIC_STDDEV].relative);
    CHECK_NEAR(opt.warn.of[PR_METRIC_STDDEV].value, 0.50, 0);
    CHECK(opt.warn.of[PR_METRIC_OPS].set && opt.warn.of[PR_METRIC_OPS].relative);
    CHECK_NEAR(opt.warn.of[PR_METRIC_OPS].value, 0.10, 0);
    /* the brief's memory alert: +20% */
    CHECK(opt.warn.of[PR_METRIC_MEMORY].set && opt.warn.of[PR_METRIC_MEMORY].relative);
    CHECK_NEAR(opt.warn.of[PR_METRIC_MEMORY].value, 0.20, 0);
    CHECK(opt.warn.of[PR_METRIC_ALLOCS].set && opt.warn.of[PR_METRIC_ALLOCS].relative);
    CHECK_NEAR(opt.warn.of[PR_METRIC_ALLOCS].value, 0.20, 0);
    CHECK_INT(opt.warn.of[PR_METRIC_MIN].set, 0);
    CHECK_INT(opt.warn.of[PR_METRIC_MAX].set, 0);
    CHECK_INT(opt.warn.of[PR_METRIC_IQR].set, 0);
}

static void test_metric_changes(void)
{
    /* 25% slower: each metric's figures, and ops' sign */
    seq b = BASE20, c = {20, 1250, 1.25, 0, 0};
    pr_run base, cur;
    pr_compare_options opt;
    pr_comparison cmp;
    const pr_metric_change *mc;

    pr_run_init(&base);
    pr_run_init(&cur);
    add_seq(&base, "x", &b);
    add_seq(&cur, "x", &c);
    pr_compare_options_init(&opt);
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);

    mc = &cmp.entries[0].metrics[PR_METRIC_MEAN];
    CHECK_INT(mc->valid, 1);
    CHECK_INT(mc->relative_valid, 1);
    CHECK_NEAR(mc->baseline, 1009.5, 1e-9);
    CHECK_NEAR(mc->current, 1261.875, 1e-9);
    CHECK_NEAR(mc->change, 0.25, 1e-12);
    CHECK_NEAR(mc->regression, 0.25, 1e-12);
    CHECK_NEAR(mc->abs_regression, 252.375, 1e-9);
    CHECK_INT(mc->level, PR_LEVEL_CRITICAL);

    mc = &cmp.entries[0].metrics[PR_METRIC_MIN];
    CHECK_NEAR(mc->baseline, 1000, 0);
    CHECK_NEAR(mc->current, 1250, 0);
    CHECK_INT(mc->level, PR_LEVEL_NORMAL); /* no threshold by default */

    /* ops: 1 / 1.25 = 0.8 of the baseline, a change of -20%, a regression
     * of +20% - exactly twice the 10% threshold, not beyond it: warning */
    mc = &cmp.entries[0].metrics[PR_METRIC_OPS];
    CHECK_NEAR(mc->baseline, 1e9 / 1009.5, 1e-6);
    CHECK_NEAR(mc->current, 1e9 / 1261.875, 1e-6);
    CHECK_NEAR(mc->change, -0.2, 1e-12);
    CHECK_NEAR(mc->regression, 0.2, 1e-12);
    CHECK_NEAR(mc->abs_regression, 1e9 / 1009.5 - 1e9 / 1261.875, 1e-6);

    CHECK_INT(cmp.geomean_n, 1);
    CHECK_NEAR(cmp.geomean_change, 0.25, 1e-12);
    pr_comparison_release(&cmp);
    pr_run_release(&base);
    pr_run_release(&cur);
}

static void test_zero_baseline(void)
{
    /* A baseline of 0 ns: no relative change, so relative thresholds say
     * nothing; absolute ones still apply. 3 vs 3: the threshold decides. */
    double zero[] = {0, 0, 0}, five[] = {5, 5, 5};
    pr_run base, cur;
    pr_compare_options opt;
    pr_comparison cmp;
    const pr_cmp_entry *e;

    pr_run_init(&base);
    pr_run_init(&cur);
    add_bench(&base, "z", zero, 3, PR_STATUS_OK);
    add_bench(&cur, "z", five, 3, PR_STATUS_OK);
    make_options(&opt, NULL, "mean:10%", ON, 0);
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    e = &cmp.entries[0];
    CHECK_INT(e->metrics[PR_METRIC_MEAN].valid, 1);
    CHECK_INT(e->metrics[PR_METRIC_MEAN].relative_valid, 0);
    CHECK_NEAR(e->metrics[PR_METRIC_MEAN].change, 0, 0);
    CHECK_NEAR(e->metrics[PR_METRIC_MEAN].abs_regression, 5, 0);
    CHECK_INT(e->level, PR_LEVEL_NORMAL);
    CHECK_INT(e->failing, 0);
    CHECK_INT(e->testable, 0);
    /* geomean leaves it out */
    CHECK_INT(cmp.geomean_n, 0);
    CHECK_NEAR(cmp.geomean_change, 0, 0);
    pr_comparison_release(&cmp);

    make_options(&opt, "mean:2ns", "mean:4ns", ON, 0);
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    e = &cmp.entries[0];
    CHECK_INT(e->level, PR_LEVEL_CRITICAL); /* 5 > 2 * 2 */
    CHECK_INT(e->failing, 1);
    pr_comparison_release(&cmp);
    pr_run_release(&base);
    pr_run_release(&cur);
}

static void test_primary(void)
{
    /* 15% faster: only the primary metric reports an improvement */
    seq b = BASE20, c = {20, 850, 0.85, 0, 0};
    pr_run base, cur;
    pr_compare_options opt;
    pr_comparison cmp;
    const pr_cmp_entry *e;

    pr_run_init(&base);
    pr_run_init(&cur);
    add_seq(&base, "x", &b);
    add_seq(&cur, "x", &c);
    pr_compare_options_init(&opt);
    CHECK_INT(pr_threshold_parse("median:10%", &opt.warn), 0);
    opt.primary = PR_METRIC_MEDIAN;
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    e = &cmp.entries[0];
    CHECK_INT(e->level, PR_LEVEL_IMPROVED);
    CHECK_INT(e->worst, PR_METRIC_MEDIAN);
    CHECK_INT(e->metrics[PR_METRIC_MEDIAN].level, PR_LEVEL_IMPROVED);
    CHECK_INT(e->metrics[PR_METRIC_MEAN].level, PR_LEVEL_NORMAL);
    CHECK_INT(cmp.n_improved, 1);
    pr_comparison_release(&cmp);

    /* an improvement of the primary metric does not hide a warning */
    CHECK_INT(pr_threshold_parse("max:1%", &opt.warn), 0);
    add_bench(&cur, "y", (const double[]){850, 851, 852, 2000}, 4, PR_STATUS_OK);
    add_bench(&base, "y", (const double[]){1000, 1001, 1002, 1003}, 4, PR_STATUS_OK);
    opt.significance = 0;
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    e = &cmp.entries[1];
    CHECK_INT(e->metrics[PR_METRIC_MEDIAN].level, PR_LEVEL_IMPROVED);
    CHECK_INT(e->metrics[PR_METRIC_MAX].level, PR_LEVEL_CRITICAL);
    CHECK_INT(e->level, PR_LEVEL_CRITICAL);
    CHECK_INT(e->worst, PR_METRIC_MAX);
    CHECK_INT(cmp.n_improved, 1);
    CHECK_INT(cmp.n_critical, 1);
    pr_comparison_release(&cmp);
    pr_run_release(&base);
    pr_run_release(&cur);
}

static void test_alpha(void)
{
    /* the shifted, overlapping case (p = 0.211) passes the gate at alpha 0.3 */
    seq b = {20, 500, 50, 0, 0}, c = {20, 646.25, 50, 0, 0};
    pr_run base, cur;
    pr_compare_options opt;
    pr_comparison cmp;

    pr_run_init(&base);
    pr_run_init(&cur);
    add_seq(&base, "x", &b);
    add_seq(&cur, "x", &c);
    make_options(&opt, NULL, "mean:10%", ON, 0);
    opt.alpha = 0.3;
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(cmp.entries[0].significant, 1);
    CHECK_INT(cmp.entries[0].failing, 1);
    CHECK_INT(cmp.entries[0].noise, 0);
    pr_comparison_release(&cmp);

    /* 3 vs 3 reaches p = 0.1: testable at alpha 0.2, and significant */
    pr_run_release(&base);
    pr_run_release(&cur);
    pr_run_init(&base);
    pr_run_init(&cur);
    add_bench(&base, "x", (const double[]){1000, 1001, 1002}, 3, PR_STATUS_OK);
    add_bench(&cur, "x", (const double[]){1250, 1251, 1252}, 3, PR_STATUS_OK);
    opt.alpha = 0.2;
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(cmp.entries[0].testable, 1);
    CHECK_INT(cmp.entries[0].significant, 1);
    CHECK_INT(cmp.n_untestable, 0);
    pr_comparison_release(&cmp);
    /* ... and at alpha 0.1 exactly it is not: min_p must be below alpha */
    opt.alpha = 0.1;
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(cmp.entries[0].testable, 0);
    CHECK_INT(cmp.n_untestable, 1);
    pr_comparison_release(&cmp);
    pr_run_release(&base);
    pr_run_release(&cur);
}

static void test_new_missing_failed(void)
{
    /* baseline a b c(failed) d e(no samples); current a f c d(failed) e */
    seq s = BASE20;
    double x[MAX_SAMPLES];
    size_t n = seq_fill(&s, x);
    pr_run base, cur;
    pr_compare_options opt;
    pr_comparison cmp;
    const pr_cmp_entry *e;

    pr_run_init(&base);
    pr_run_init(&cur);
    add_bench(&base, "a", x, n, PR_STATUS_OK);
    add_bench(&base, "b", x, n, PR_STATUS_OK);
    add_bench(&base, "c", x, n, PR_STATUS_FAILED);
    add_bench(&base, "d", x, n, PR_STATUS_OK);
    add_bench(&base, "e", x, 0, PR_STATUS_OK);
    add_bench(&base, "g", x, n, PR_STATUS_OK);
    add_bench(&cur, "a", x, n, PR_STATUS_OK);
    add_bench(&cur, "f", x, n, PR_STATUS_OK);
    add_bench(&cur, "c", x, n, PR_STATUS_OK);
    add_bench(&cur, "d", x, n, PR_STATUS_FAILED);
    add_bench(&cur, "e", x, n, PR_STATUS_OK);

    make_options(&opt, NULL, "mean:10%", ON, 0);
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(cmp.n_entries, 7);
    if (cmp.n_entries == 7) {
        static const struct {
            const char *name;
            pr_cmp_kind kind;
            int has_baseline, has_current;
        } want[] = {
            {"a", PR_CMP_MATCHED, 1, 1}, {"f", PR_CMP_NEW, 0, 1}, {"c", PR_CMP_NEW, 0, 1},
            {"d", PR_CMP_FAILED, 1, 1},  {"e", PR_CMP_NEW, 0, 1}, {"b", PR_CMP_MISSING, 1, 0},
            {"g", PR_CMP_MISSING, 1, 0},
        };
        size_t i;
        for (i = 0; i < 7; i++) {
            e = &cmp.entries[i];
            CHECK_STR(e->name, want[i].name);
            CHECK_STR(pr_cmp_kind_name(e->kind), pr_cmp_kind_name(want[i].kind));
            CHECK_INT(e->baseline != NULL, want[i].has_baseline);
            CHECK_INT(e->current != NULL, want[i].has_current);
            CHECK_INT(e->failing, 0);
            CHECK_INT(e->level, PR_LEVEL_NORMAL);
            if (e->kind != PR_CMP_MATCHED)
                CHECK_INT(e->tested, 0);
        }
        CHECK(cmp.entries[0].tested);
    }
    CHECK_INT(cmp.n_normal, 1);
    CHECK_INT(cmp.n_new, 3);
    CHECK_INT(cmp.n_missing, 2);
    CHECK_INT(cmp.n_failed, 1);
    CHECK_INT(cmp.n_failing, 0);
    CHECK_INT(pr_comparison_failed(&cmp), 0);
    CHECK_INT(cmp.geomean_n, 1);
    pr_comparison_release(&cmp);

    /* --fail-on-missing: the missing ones fail, the failed one still not */
    make_options(&opt, NULL, NULL, ON, 1);
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(cmp.n_failing, 2);
    CHECK_INT(pr_comparison_failed(&cmp), 1);
    if (cmp.n_entries == 7) {
        CHECK_INT(cmp.entries[5].failing, 1);
        CHECK_INT(cmp.entries[6].failing, 1);
        CHECK_INT(cmp.entries[3].failing, 0);
    }
    pr_comparison_release(&cmp);
    pr_run_release(&base);
    pr_run_release(&cur);
}

static void test_empty_runs(void)
{
    pr_run base, cur;
    pr_comparison cmp;

    pr_run_init(&base);
    pr_run_init(&cur);
    CHECK_INT(pr_compare_runs(&base, &cur, NULL, &cmp), 0); /* NULL: the defaults */
    CHECK_INT(cmp.n_entries, 0);
    CHECK_INT(cmp.geomean_n, 0);
    CHECK_NEAR(cmp.geomean_change, 0, 0);
    CHECK_NEAR(cmp.options.alpha, 0.05, 0);
    CHECK_INT(pr_comparison_failed(&cmp), 0);
    pr_comparison_release(&cmp);
}

static void test_geomean(void)
{
    /* ratios 1.21 and 1.0: sqrt(1.21 * 1.0) - 1 = 0.1 exactly; a new
     * benchmark and a failed one do not count */
    seq b = BASE20, slower = {20, 1210, 1.21, 0, 0};
    pr_run base, cur;
    pr_comparison cmp;

    pr_run_init(&base);
    pr_run_init(&cur);
    add_seq(&base, "slower", &b);
    add_seq(&base, "same", &b);
    add_seq(&base, "broken", &b);
    add_seq(&cur, "slower", &slower);
    add_seq(&cur, "same", &b);
    add_seq(&cur, "new", &slower);
    add_bench(&cur, "broken", NULL, 0, PR_STATUS_FAILED);
    CHECK_INT(pr_compare_runs(&base, &cur, NULL, &cmp), 0);
    CHECK_INT(cmp.geomean_n, 2);
    CHECK_NEAR(cmp.geomean_change, 0.1, 1e-12);
    CHECK_INT(cmp.n_new, 1);
    CHECK_INT(cmp.n_failed, 1);
    CHECK_INT(cmp.n_critical, 1); /* 21% > 2 x 10% */
    CHECK_INT(cmp.n_normal, 1);
    pr_comparison_release(&cmp);
    pr_run_release(&base);
    pr_run_release(&cur);
}

static void set_context(pr_context *c, const char *cpu, int cores, const char *os, const char *arch,
                        const char *compiler, const char *build_type)
{
    c->cpu_model = pr_strdup(cpu);
    c->logical_cores = cores;
    c->os = pr_strdup(os);
    c->arch = pr_strdup(arch);
    c->compiler = pr_strdup(compiler);
    c->build_type = pr_strdup(build_type);
}

static void test_machine_mismatch(void)
{
    pr_run base, cur;
    pr_comparison cmp;

    pr_run_init(&base);
    pr_run_init(&cur);
    set_context(&base.context, "Intel X", 4, "Linux", "x86_64", "gcc 12.2.0", "Release");
    set_context(&cur.context, "Intel X", 4, "Linux", "x86_64", "gcc 12.2.0", "Release");
    /* volatile figures do not count */
    base.context.host = pr_strdup("ci-1");
    cur.context.host = pr_strdup("ci-2");
    base.context.kernel = pr_strdup("6.1.0-17");
    cur.context.kernel = pr_strdup("6.1.0-18");
    base.context.date = pr_strdup("2026-01-01T00:00:00Z");
    cur.context.date = pr_strdup("2026-01-02T00:00:00Z");
    base.context.clock_cost_ns = 20;
    cur.context.clock_cost_ns = 25;
    CHECK_INT(pr_compare_runs(&base, &cur, NULL, &cmp), 0);
    CHECK(cmp.machine_mismatch == NULL);
    pr_comparison_release(&cmp);

    pr_run_release(&base);
    pr_run_release(&cur);
    pr_run_init(&base);
    pr_run_init(&cur);
    set_context(&base.context, "Intel X", 4, "Linux", "x86_64", "gcc 12.2.0", "Release");
    set_context(&cur.context, "AMD Y", 2, "Linux", "x86_64", "gcc 12.2.0", "Release");
    CHECK_INT(pr_compare_runs(&base, &cur, NULL, &cmp), 0);
    CHECK_STR(cmp.machine_mismatch, "cpu_model 'Intel X' -> 'AMD Y'; logical_cores 4 -> 2");
    pr_comparison_release(&cmp);

    pr_run_release(&base);
    pr_run_release(&cur);
    pr_run_init(&base);
    pr_run_init(&cur);
    set_context(&base.context, "Intel X", 4, "Linux", "x86_64", "gcc 12.2.0", NULL);
    set_context(&cur.context, "Intel X", 0, "Darwin", "arm64", "clang 16.0.0", "Debug");
    CHECK_INT(pr_compare_runs(&base, &cur, NULL, &cmp), 0);
    CHECK_STR(cmp.machine_mismatch,
              "logical_cores 4 -> unknown; os 'Linux' -> 'Darwin'; arch 'x86_64' -> 'arm64'; "
              "compiler 'gcc 12.2.0' -> 'clang 16.0.0'; build_type unknown -> 'Debug'");
    pr_comparison_release(&cmp);

    /* NULL on both sides is no difference */
    pr_run_release(&base);
    pr_run_release(&cur);
    pr_run_init(&base);
    pr_run_init(&cur);
    CHECK_INT(pr_compare_runs(&base, &cur, NULL, &cmp), 0);
    CHECK(cmp.machine_mismatch == NULL);
    pr_comparison_release(&cmp);
    pr_run_release(&base);
    pr_run_release(&cur);
}

static void test_release(void)
{
    pr_comparison cmp, zero;

    pr_comparison_release(NULL);
    memset(&zero, 0, sizeof zero);
    memset(&cmp, 0, sizeof cmp);
    pr_comparison_release(&cmp);
    CHECK(memcmp(&cmp, &zero, sizeof cmp) == 0);
    CHECK_INT(pr_comparison_failed(NULL), 0);
}

static void test_names(void)
{
    CHECK_STR(pr_level_name(PR_LEVEL_IMPROVED), "improved");
    CHECK_STR(pr_level_name(PR_LEVEL_NORMAL), "normal");
    CHECK_STR(pr_level_name(PR_LEVEL_WARNING), "warning");
    CHECK_STR(pr_level_name(PR_LEVEL_CRITICAL), "critical");
    CHECK_STR(pr_cmp_kind_name(PR_CMP_MATCHED), "matched");
    CHECK_STR(pr_cmp_kind_name(PR_CMP_NEW), "new");
    CHECK_STR(pr_cmp_kind_name(PR_CMP_MISSING), "missing");
    CHECK_STR(pr_cmp_kind_name(PR_CMP_FAILED), "failed");
}

/* Appends benchmark NAME with one sample per process mean in MEANS, each
 * process giving two samples (mean - 1, mean + 1). */
static void add_processes(pr_run *run, const char *name, const double *means, size_t k)
{
    double x[2 * 8];
    size_t i;
    pr_result *r;

    for (i = 0; i < k; i++) {
        x[2 * i] = means[i] - 1;
        x[2 * i + 1] = means[i] + 1;
    }
    add_bench(run, name, x, 2 * k, PR_STATUS_OK);
    r = &run->results[run->n_results - 1];
    r->process_samples = malloc(k * sizeof *r->process_samples);
    CHECK(r->process_samples != NULL);
    if (!r->process_samples)
        return;
    for (i = 0; i < k; i++)
        r->process_samples[i] = 2;
    r->n_processes = k;
}

/*
 * Several processes a side: Welch's test on the process means decides
 * significance, and the measured change meets the thresholds. Worked by hand from the formulas in
 * stats.h, quantiles from a t table: steady: base 100 101 99 100 100 (mean 100, var 0.5), current
 * 108 109 107 108 108 (mean 108, var 0.5): change +8%, se 0.447%, df 8, t(0.975, 8) = 2.306 ->
 * interval +6.97% .. +9.03%: significant, below 10%: normal. spread: current 104 112 100 116 108
 * (mean 108, var 40): se 2.84%, df 4 (4.1 rounded down), t(0.975, 4) = 2.776 -> +0.11% .. +15.9%:
 *           significant, but +8% is within 10%: normal.
 *   big:    current 121 129 117 133 125 (mean 125, var 40): +25%,
 *           significant: failing at mean:10%, critical (beyond 2 x 10%).
 *   noisy:  current 90 126 100 116 108 (mean 108, var 196): not
 *           significant (p = 0.28), noise.
 */
static void test_processes(void)
{
    static const double base_m[] = {100, 101, 99, 100, 100};
    static const double steady[] = {108, 109, 107, 108, 108};
    static const double spread[] = {104, 112, 100, 116, 108};
    static const double noisy[] = {90, 126, 100, 116, 108};
    static const double big[] = {121, 129, 117, 133, 125};
    pr_run base, cur;
    pr_compare_options opt;
    pr_comparison cmp;
    const pr_cmp_entry *e;

    pr_run_init(&base);
    pr_run_init(&cur);
    add_processes(&base, "steady", base_m, 5);
    add_processes(&base, "spread", base_m, 5);
    add_processes(&base, "noisy", base_m, 5);
    add_processes(&base, "one", base_m, 5);
    add_processes(&cur, "steady", steady, 5);
    add_processes(&cur, "spread", spread, 5);
    add_processes(&cur, "noisy", noisy, 5);
    add_processes(&cur, "one", spread, 5);
    add_processes(&base, "big", base_m, 5);
    add_processes(&cur, "big", big, 5);
    /* one side from one process: the U test on the samples decides */
    free(cur.results[3].process_samples);
    cur.results[3].process_samples = NULL;
    cur.results[3].n_processes = 0;

    make_options(&opt, NULL, "mean:10%", ON, 0);
    /* every benchmark here moved: the suite's shift is tested apart */
    opt.suite_shift = 0;
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(cmp.n_entries, 5);

    e = &cmp.entries[0];
    CHECK_INT(e->by_process, 1);
    CHECK_INT(e->tested, 1);
    CHECK_NEAR(e->welch.change, 0.08, 1e-12);
    CHECK_NEAR(e->welch.se, sqrt(0.5 / 5 + 0.5 / 5) / 100, 1e-12);
    CHECK_NEAR(e->welch.df, 8, 0);
    CHECK_NEAR(e->welch.ci_low, 0.08 - 2.306004 * e->welch.se, 1e-6);
    CHECK_NEAR(e->welch.ci_high, 0.08 + 2.306004 * e->welch.se, 1e-6);
    CHECK_INT(e->significant, 1);
    CHECK_INT(e->failing, 0);
    CHECK_INT(e->metrics[PR_METRIC_MEAN].level, PR_LEVEL_NORMAL);

    e = &cmp.entries[1];
    CHECK_INT(e->by_process, 1);
    CHECK_NEAR(e->welch.df, 4, 0);
    CHECK_NEAR(e->welch.ci_high, 0.08 + 2.776445 * sqrt(40.0 / 5 + 0.5 / 5) / 100, 1e-6);
    CHECK(e->welch.ci_low > 0);
    CHECK_INT(e->significant, 1);
    CHECK_INT(e->failing, 0);
    CHECK_INT(e->metrics[PR_METRIC_MEAN].level, PR_LEVEL_NORMAL);

    e = &cmp.entries[2];
    CHECK_INT(e->by_process, 1);
    CHECK_INT(e->significant, 0);
    CHECK(e->p_value > 0.2 && e->p_value < 0.4);
    CHECK_INT(e->failing, 0);

    e = &cmp.entries[3];
    CHECK_INT(e->by_process, 0);
    CHECK_INT(e->tested, 1);
    CHECK_NEAR(e->p_value, e->mwu.p_value, 0);
    CHECK_INT(e->failing, 0); /* +8% */

    e = &cmp.entries[4];
    CHECK_INT(e->by_process, 1);
    CHECK_INT(e->significant, 1);
    CHECK_NEAR(e->metrics[PR_METRIC_MEAN].change, 0.25, 1e-12);
    CHECK_INT(e->failing, 1);
    CHECK_INT(e->level, PR_LEVEL_CRITICAL);
    pr_comparison_release(&cmp);

    /* the plain rule on the same data: +8% passes everywhere, and the
     * noisy +8% too, without a test */
    make_options(&opt, NULL, "mean:10%", OFF, 0);
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(cmp.entries[1].by_process, 0);
    CHECK_INT(cmp.entries[1].failing, 0);
    CHECK_INT(cmp.entries[4].failing, 1);
    pr_comparison_release(&cmp);
    pr_run_release(&base);
    pr_run_release(&cur);
}

/* Appends benchmark NAME with one sample per process, the K VALUES: the
 * rounds of an A/B, process i being round i. */
static void add_rounds(pr_run *run, const char *name, const double *values, size_t k)
{
    pr_result *r;
    size_t i;

    add_bench(run, name, values, k, PR_STATUS_OK);
    r = &run->results[run->n_results - 1];
    r->process_samples = malloc(k * sizeof *r->process_samples);
    CHECK(r->process_samples != NULL);
    if (!r->process_samples)
        return;
    for (i = 0; i < k; i++)
        r->process_samples[i] = 1;
    r->n_processes = k;
}

/* The rounds 1000 and 1000 exp(D[i]): the log-ratio of round i is D[i]. */
static void add_paired(pr_run *base, pr_run *cur, const char *name, const double *d, size_t k)
{
    double b[16], c[16];
    size_t i;

    for (i = 0; i < k; i++) {
        b[i] = 1000;
        c[i] = 1000 * exp(d[i]);
    }
    add_rounds(base, name, b, k);
    add_rounds(cur, name, c, k);
}

/*
 * Paired (A/B) comparisons: the estimate and interval are the
 * Hodges-Lehmann estimate and the signed-rank interval of the rounds'
 * log-ratios, as exp(x) - 1. The expected figures come from an
 * independent Python implementation of R's rule (hodges_lehmann in
 * bench/eval/ab_rules.py: the Walsh averages sorted, qsignrank from the
 * exact null distribution), on the same 12 log-ratios:
 *   fail  0.20 + e:  0.22140275816016985 [0.20321844012769538, 0.2398618969660619]
 *   pass  e:         0                   [-0.014888060396937339, 0.015113064615718978]
 *   wide:            0.01257845154063438 [-0.1175030974154046, 0.1912462166123581]
 *   wide + 0.10:     0.11907225691278056 [-0.024690087971667326, 0.31653067486762165]
 * with e = -.02 .01 0 .03 -.01 .02 -.03 .01 0 -.02 .02 -.01.
 */
static void test_paired(void)
{
    static const double e[12] = {-0.02, 0.01, 0, 0.03, -0.01, 0.02,
                                 -0.03, 0.01, 0,    -0.02, 0.02, -0.01};
    static const double wide[12] = {0.3,  -0.25, 0.1,  -0.2, 0.28, -0.1,
                                    0.15, -0.3,  0.05, 0.2,  -0.15, 0.12};
    double slow[12], above[12];
    pr_run base, cur;
    pr_compare_options opt;
    pr_comparison cmp;
    const pr_cmp_entry *x;
    const pr_metric_change *m;
    size_t i;

    for (i = 0; i < 12; i++) {
        slow[i] = 0.20 + e[i];
        above[i] = wide[i] + 0.10;
    }
    pr_run_init(&base);
    pr_run_init(&cur);
    add_paired(&base, &cur, "slow", slow, 12);
    add_paired(&base, &cur, "same", e, 12);
    add_paired(&base, &cur, "wide", wide, 12);
    add_paired(&base, &cur, "short", slow, 4);
    add_paired(&base, &cur, "above", above, 12);
    make_options(&opt, NULL, "mean:10%", ON, 0);
    opt.paired = 1;
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(cmp.n_entries, 5);

    x = &cmp.entries[0];
    m = &x->metrics[PR_METRIC_MEAN];
    CHECK_INT(x->method, PR_METHOD_PAIRED);
    CHECK_INT(x->rounds, 12);
    CHECK_NEAR(m->estimate, 0.22140275816016985, 1e-12);
    CHECK_NEAR(m->low, 0.20321844012769538, 1e-12);
    CHECK_NEAR(m->high, 0.2398618969660619, 1e-12);
    CHECK_NEAR(m->resolution, (m->high - m->low) / 2, 1e-15);
    CHECK_INT(m->verdict, PR_VERDICT_FAIL);
    CHECK_INT(x->verdict, PR_VERDICT_FAIL);
    CHECK_INT(x->failing, 1);
    CHECK_INT(x->level, PR_LEVEL_CRITICAL);
    /* ops is the mean turned over: its interval mirrors */
    CHECK_NEAR(x->metrics[PR_METRIC_OPS].estimate, 1 / 1.22140275816016985 - 1, 1e-12);
    CHECK_INT(x->metrics[PR_METRIC_OPS].verdict, PR_VERDICT_FAIL);
    /* the pooled spread of an A/B is not compared */
    CHECK_INT(x->metrics[PR_METRIC_STDDEV].valid, 0);
    CHECK_INT(x->metrics[PR_METRIC_IQR].valid, 0);
    CHECK_INT(x->paired.n, 12);

    x = &cmp.entries[1];
    m = &x->metrics[PR_METRIC_MEAN];
    CHECK_NEAR(m->estimate, 0, 1e-12);
    CHECK_NEAR(m->low, -0.014888060396937339, 1e-12);
    CHECK_NEAR(m->high, 0.015113064615718978, 1e-12);
    CHECK_INT(x->verdict, PR_VERDICT_PASS);
    CHECK_INT(x->failing, 0);
    CHECK_INT(pr_compare_rounds_needed(x), 0);

    x = &cmp.entries[2];
    m = &x->metrics[PR_METRIC_MEAN];
    CHECK_NEAR(m->estimate, 0.01257845154063438, 1e-12);
    CHECK_NEAR(m->low, -0.1175030974154046, 1e-12);
    CHECK_NEAR(m->high, 0.1912462166123581, 1e-12);
    CHECK_INT(m->verdict, PR_VERDICT_INCONCLUSIVE);
    CHECK_INT(x->verdict, PR_VERDICT_INCONCLUSIVE);
    CHECK_INT(x->failing, 0);
    /* 12 (0.15437 / (0.7 x 0.10))^2 = 58.4: about 59 rounds */
    CHECK_INT(pr_compare_rounds_needed(x), 59);

    /* 4 rounds cannot make a 95% interval: no verdict but inconclusive */
    x = &cmp.entries[3];
    m = &x->metrics[PR_METRIC_MEAN];
    CHECK_INT(m->short_level, 1);
    CHECK_INT(x->verdict, PR_VERDICT_INCONCLUSIVE);
    CHECK_INT(x->failing, 0);
    CHECK_INT(x->level, PR_LEVEL_NORMAL);

    /* beyond the threshold, but the interval reaches below 0: not a fail */
    x = &cmp.entries[4];
    m = &x->metrics[PR_METRIC_MEAN];
    CHECK_NEAR(m->estimate, 0.11907225691278056, 1e-12);
    CHECK_NEAR(m->low, -0.024690087971667326, 1e-12);
    CHECK_NEAR(m->high, 0.31653067486762165, 1e-12);
    CHECK_INT(m->verdict, PR_VERDICT_INCONCLUSIVE);
    CHECK_INT(m->noise, 1);
    CHECK_INT(x->failing, 0);
    CHECK_INT(x->level, PR_LEVEL_NORMAL);
    CHECK_INT(cmp.n_fail, 1);
    CHECK_INT(cmp.n_pass, 1);
    CHECK_INT(cmp.n_inconclusive, 3);
    /* paired runs never get a suite shift, whatever moved */
    CHECK_INT(cmp.has_shift, 0);
    CHECK_INT(pr_comparison_failed(&cmp), 1);
    pr_comparison_release(&cmp);

    /* the same data unpaired: Welch's test on the processes */
    opt.paired = 0;
    opt.suite_shift = 0;
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(cmp.entries[0].method, PR_METHOD_PROCESSES);
    pr_comparison_release(&cmp);
    pr_run_release(&base);
    pr_run_release(&cur);
}

/* Sets RUN's last result up as a baseline of N runs with these means
 * (the other statistics equal to them). */
static void set_run_stats(pr_run *run, const double *means, size_t n)
{
    pr_result *r = &run->results[run->n_results - 1];
    size_t i;

    r->run_stats = calloc(n, sizeof *r->run_stats);
    CHECK(r->run_stats != NULL);
    if (!r->run_stats)
        return;
    for (i = 0; i < n; i++) {
        pr_stats *s = &r->run_stats[i];
        s->n = 10;
        s->mean_ns = s->median_ns = s->min_ns = s->max_ns = means[i];
        s->ops_per_second = 1e9 / means[i];
    }
    r->n_runs = n;
    run->context.runs = n;
}

/*
 * A baseline of 5 runs, means 100 102 98 101 99: on the log scale centre
 * c = 4.605070168983757 and sd s = 0.015813457470131544 (python3,
 * statistics.stdev of the logs); the prediction interval's half-width is
 * t(0.975, 4) s sqrt(1 + 1/5) = 2.7764451 x s x 1.0954451 =
 * 0.04809573312720776. A run of mean 130: ln(130) - c as exp(x) - 1 is
 * +30.013%, interval +23.908% .. +36.419%: fail. A run of 101: +1.010%,
 * -3.733% .. +5.987%: pass.
 */
static void test_runs(void)
{
    static const double means[] = {100, 102, 98, 101, 99};
    pr_run base, cur;
    pr_compare_options opt;
    pr_comparison cmp;
    const pr_metric_change *m;

    pr_run_init(&base);
    pr_run_init(&cur);
    add_bench(&base, "slow", (const double[]){100, 100}, 2, PR_STATUS_OK);
    set_run_stats(&base, means, 5);
    add_bench(&base, "same", (const double[]){100, 100}, 2, PR_STATUS_OK);
    set_run_stats(&base, means, 5);
    add_bench(&cur, "slow", (const double[]){130, 130}, 2, PR_STATUS_OK);
    add_bench(&cur, "same", (const double[]){101, 101}, 2, PR_STATUS_OK);
    make_options(&opt, NULL, "mean:10%", ON, 0);
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);

    CHECK_INT(cmp.entries[0].method, PR_METHOD_RUNS);
    CHECK_INT(cmp.entries[0].rounds, 5);
    m = &cmp.entries[0].metrics[PR_METRIC_MEAN];
    CHECK_NEAR(m->estimate, 0.30013002860806165, 1e-9);
    CHECK_NEAR(m->low, 0.23907923125256292, 1e-6);
    CHECK_NEAR(m->high, 0.36418886593689964, 1e-6);
    CHECK_INT(m->verdict, PR_VERDICT_FAIL);
    CHECK_INT(cmp.entries[0].failing, 1);

    m = &cmp.entries[1].metrics[PR_METRIC_MEAN];
    CHECK_NEAR(m->estimate, 0.010101022226263742, 1e-9);
    CHECK_NEAR(m->low, -0.0373307511037776, 1e-6);
    CHECK_NEAR(m->high, 0.05986981122789942, 1e-6);
    CHECK_INT(m->verdict, PR_VERDICT_PASS);
    /* the pooled spread of several runs is not compared */
    CHECK_INT(cmp.entries[1].metrics[PR_METRIC_STDDEV].valid, 0);
    pr_comparison_release(&cmp);
    pr_run_release(&base);
    pr_run_release(&cur);
}

/*
 * Six benchmarks of runs of five processes, each process's mean given: the
 * baseline's at 1000 (+-1 between processes), the current run's 20% above
 * for five of them and 60% above for the sixth. The median move is +20%
 * and every benchmark moved the same way: a suite-wide shift. Against it,
 * the five moved by nothing (inconclusive: they crossed 10% with the
 * suite), the sixth by 1.6 / 1.2 - 1 = +33%, beyond the 10% even with the
 * benchmarks' disagreement added to its interval: it fails. Without the
 * shift all six fail.
 */
static void test_suite_shift(void)
{
    static const double base_m[] = {1000, 1001, 999, 1000, 1000};
    static const double plus20[] = {1200, 1201.2, 1198.8, 1200, 1200};
    static const double plus60[] = {1600, 1601.6, 1598.4, 1600, 1600};
    static const char *names[] = {"a", "b", "c", "d", "e", "big"};
    pr_run base, cur;
    pr_compare_options opt;
    pr_comparison cmp;
    size_t i;

    pr_run_init(&base);
    pr_run_init(&cur);
    for (i = 0; i < 6; i++) {
        add_processes(&base, names[i], base_m, 5);
        add_processes(&cur, names[i], i == 5 ? plus60 : plus20, 5);
    }
    make_options(&opt, NULL, "mean:10%", ON, 0);
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(cmp.has_shift, 1);
    CHECK_NEAR(cmp.shift, 0.2, 1e-3);
    CHECK_INT(cmp.shift_n, 6);
    CHECK_INT(cmp.shift_agree, 6);
    for (i = 0; i < 5; i++) {
        const pr_cmp_entry *x = &cmp.entries[i];
        CHECK_INT(x->metrics[PR_METRIC_MEAN].shifted, 1);
        CHECK_INT(x->metrics[PR_METRIC_MEAN].with_suite, 1);
        CHECK_INT(x->verdict, PR_VERDICT_INCONCLUSIVE);
        CHECK_INT(x->failing, 0);
        CHECK_NEAR(x->metrics[PR_METRIC_MEAN].unshifted, 0.2, 1e-3);
        CHECK(fabs(x->metrics[PR_METRIC_MEAN].estimate) < 1e-3);
    }
    CHECK_INT(cmp.entries[5].failing, 1);
    CHECK_NEAR(cmp.entries[5].metrics[PR_METRIC_MEAN].estimate, 1.6 / 1.2 - 1, 1e-3);
    CHECK_INT(cmp.n_failing, 1);
    CHECK_INT(cmp.n_inconclusive, 5);
    pr_comparison_release(&cmp);

    opt.suite_shift = 0;
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(cmp.has_shift, 0);
    CHECK_INT(cmp.n_failing, 6);
    pr_comparison_release(&cmp);

    /* three benchmarks are too few to tell the machine from the code */
    opt.suite_shift = 1;
    base.n_results = cur.n_results = 3;
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(cmp.has_shift, 0);
    CHECK_INT(cmp.n_failing, 3);
    pr_comparison_release(&cmp);
    base.n_results = cur.n_results = 6;
    pr_run_release(&base);
    pr_run_release(&cur);

    /* A benchmark that stayed put while the suite moved +20% is -17%
     * against the suite, but it did not get faster: not an improvement,
     * whose report would advise a baseline from the slow machine. */
    pr_run_init(&base);
    pr_run_init(&cur);
    for (i = 0; i < 6; i++) {
        add_processes(&base, names[i], base_m, 5);
        add_processes(&cur, names[i], i == 5 ? base_m : plus20, 5);
    }
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(cmp.has_shift, 1);
    CHECK_INT(cmp.entries[5].metrics[PR_METRIC_MEAN].shifted, 1);
    CHECK(cmp.entries[5].metrics[PR_METRIC_MEAN].estimate < -0.15);
    CHECK_INT(cmp.entries[5].level, PR_LEVEL_NORMAL);
    CHECK_INT(cmp.entries[5].verdict, PR_VERDICT_PASS);
    CHECK_INT(cmp.n_improved, 0);
    pr_comparison_release(&cmp);
    pr_run_release(&base);
    pr_run_release(&cur);

    /* The other way: the suite 1/1.2 faster, one benchmark unchanged, so
     * +20% against the suite: a regression the machine's move hid. */
    pr_run_init(&base);
    pr_run_init(&cur);
    for (i = 0; i < 6; i++) {
        add_processes(&base, names[i], plus20, 5);
        add_processes(&cur, names[i], i == 5 ? plus20 : base_m, 5);
    }
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(cmp.has_shift, 1);
    CHECK_NEAR(cmp.shift, 1 / 1.2 - 1, 1e-3);
    CHECK_NEAR(cmp.entries[5].metrics[PR_METRIC_MEAN].unshifted, 0, 1e-3);
    CHECK_NEAR(cmp.entries[5].metrics[PR_METRIC_MEAN].estimate, 0.2, 1e-3);
    CHECK_INT(cmp.entries[5].verdict, PR_VERDICT_FAIL);
    CHECK_INT(cmp.entries[5].failing, 1);
    CHECK_INT(cmp.n_failing, 1);
    pr_comparison_release(&cmp);
    pr_run_release(&base);
    pr_run_release(&cur);
}

/* --inconclusive fail makes an inconclusive benchmark fail the comparison;
 * pass and warn leave the exit status alone. */
static void test_inconclusive_policy(void)
{
    static const double wide[12] = {0.3,  -0.25, 0.1,  -0.2, 0.28, -0.1,
                                    0.15, -0.3,  0.05, 0.2,  -0.15, 0.12};
    pr_run base, cur;
    pr_compare_options opt;
    pr_comparison cmp;

    pr_run_init(&base);
    pr_run_init(&cur);
    add_paired(&base, &cur, "wide", wide, 12);
    make_options(&opt, NULL, "mean:10%", ON, 0);
    opt.paired = 1;
    CHECK_INT(opt.inconclusive, PR_INCONCLUSIVE_WARN);
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(cmp.n_inconclusive, 1);
    CHECK_INT(pr_comparison_failed(&cmp), 0);
    pr_comparison_release(&cmp);
    opt.inconclusive = PR_INCONCLUSIVE_FAIL;
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(pr_comparison_failed(&cmp), 1);
    pr_comparison_release(&cmp);
    opt.inconclusive = PR_INCONCLUSIVE_PASS;
    CHECK_INT(pr_compare_runs(&base, &cur, &opt, &cmp), 0);
    CHECK_INT(pr_comparison_failed(&cmp), 0);
    pr_comparison_release(&cmp);
    CHECK_INT(pr_inconclusive_from_name("fail"), PR_INCONCLUSIVE_FAIL);
    CHECK_INT(pr_inconclusive_from_name("maybe"), -1);
    CHECK_STR(pr_inconclusive_name(PR_INCONCLUSIVE_WARN), "warn");
    CHECK_STR(pr_verdict_name(PR_VERDICT_INCONCLUSIVE), "inconclusive");
    CHECK_STR(pr_method_name(PR_METHOD_RUNS), "runs");
    pr_run_release(&base);
    pr_run_release(&cur);
}

int main(void)
{
    RUN_TEST(test_cases);
    RUN_TEST(test_processes);
    RUN_TEST(test_resource_cases);
    RUN_TEST(test_resource_figures);
    RUN_TEST(test_option_defaults);
    RUN_TEST(test_metric_changes);
    RUN_TEST(test_zero_baseline);
    RUN_TEST(test_primary);
    RUN_TEST(test_alpha);
    RUN_TEST(test_new_missing_failed);
    RUN_TEST(test_empty_runs);
    RUN_TEST(test_geomean);
    RUN_TEST(test_machine_mismatch);
    RUN_TEST(test_release);
    RUN_TEST(test_names);
    RUN_TEST(test_stats_only);
    RUN_TEST(test_paired);
    RUN_TEST(test_runs);
    RUN_TEST(test_suite_shift);
    RUN_TEST(test_inconclusive_policy);
    return CHECK_DONE();
}
