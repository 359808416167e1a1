/*
 * compare.h - a run against a baseline: benchmarks matched by name, the
 * change of each metric, thresholds, the significance gate, verdicts.
 * Rendering is the report's and the results module's job; the exit status
 * the CLI's.
 *
 * The rules (docs/comparing.md):
 *   change      (current - baseline) / baseline of each metric; for ops
 *               (higher is better) the regression is the drop.
 *   verdict     of a metric with a warn threshold T: regression above T is
 *               a warning, above 2T critical (spread metrics, stddev and
 *               iqr, stop at a warning); for the primary metric a
 *               regression below -T is an improvement. allocs from a
 *               baseline of 0 to at least 1 per iteration is a warning
 *               when its warn threshold is relative (no percentage of 0
 *               applies). The benchmark's verdict is the worst of its
 *               metrics.
 *   failing     a metric beyond its --fail threshold.
 *   gate        location metrics (mean, median, min, max, ops) are flagged
 *               (improved, warning, critical, failing) only when the
 *               two-sided Mann-Whitney U test on the raw samples gives
 *               p < alpha; a crossing that is not significant is `noise`
 *               (shown as ~). Spread metrics (stddev, iqr) are not gated,
 *               nor are memory and allocs: a single figure per run, no
 *               samples to test. When the sample sizes cannot reach
 *               p < alpha at all, or a side has statistics without
 *               samples (an import, a note) (testable = 0), the plain
 *               threshold decides.
 *   processes   when both runs spread each benchmark over several processes
 *               (run --processes), the test is instead Welch's t test on
 *               the per-process means, whose spread is the variance
 *               between processes that the samples of one process cannot
 *               show; its 1 - alpha confidence interval for the change of
 *               the mean is reported with it. (Judging the mean at the
 *               interval's top was tried and dropped: it caught more 10%
 *               slowdowns but also more unchanged code, docs/performance.md.)
 *   one side    a metric only one side has (memory of a run made without
 *               isolation, say) is not compared: valid = 0.
 */
#ifndef PR_COMPARE_H
#define PR_COMPARE_H

#include <stddef.h>

#include "run.h"
#include "stats.h"
#include "threshold.h"

typedef enum pr_cmp_kind {
    PR_CMP_MATCHED, /* in both, both measured */
    PR_CMP_NEW,     /* only in the current run (or the baseline has no statistics) */
    PR_CMP_MISSING, /* only in the baseline */
    PR_CMP_FAILED   /* failed to run in the current run */
} pr_cmp_kind;

typedef enum pr_verdict {
    PR_VERDICT_IMPROVED,
    PR_VERDICT_NORMAL,
    PR_VERDICT_WARNING,
    PR_VERDICT_CRITICAL
} pr_verdict;

typedef struct pr_metric_change {
    int valid;       /* both sides have the metric */
    double baseline; /* the metric's value: ns, ops/s, bytes (memory) or allocations per
                      * iteration (allocs) */
    double current;
    int relative_valid;    /* 0 when the baseline value is 0 */
    double change;         /* (current - baseline) / baseline, signed */
    double regression;     /* change in the bad direction (-change for ops) */
    double abs_regression; /* the same in the metric's unit (ns, ops/s, bytes, allocs) */
    pr_verdict verdict;    /* after the gate */
    int failing;           /* beyond its --fail threshold, after the gate */
    int noise;             /* beyond a warn or fail threshold but not significant */
} pr_metric_change;

typedef struct pr_cmp_entry {
    const char *name; /* borrowed from the runs */
    pr_cmp_kind kind;
    const pr_result *baseline; /* borrowed; NULL when new */
    const pr_result *current;  /* borrowed; NULL when missing */
    pr_metric_change metrics[PR_METRIC_COUNT];
    int tested;         /* a test ran (matched, gate on) */
    int testable;       /* the sample sizes can give p < alpha */
    int by_process;     /* the test was Welch's on the per-process means */
    pr_welch welch;     /* valid when by_process */
    pr_mwu mwu;         /* valid when tested and not by_process */
    double p_value;     /* the test's, valid when tested */
    int significant;    /* p < alpha, or the gate is off or cannot decide */
    pr_verdict verdict; /* worst over the metrics */
    int failing;        /* a metric failed, or missing with fail_on_missing */
    int noise;          /* some metric is noise */
    pr_metric worst;    /* the metric behind the verdict or the failure */
    int approaching;    /* a warning within 2 points of WORST's fail threshold */
} pr_cmp_entry;

typedef struct pr_compare_options {
    pr_threshold_set warn; /* default: mean 10%, median 10%, stddev 50%, ops 10%,
                            * memory 20%, allocs 20% */
    pr_threshold_set fail; /* default: none */
    double alpha;          /* default 0.05 */
    int significance;      /* default 1: the gate is on */
    int fail_on_missing;   /* default 0 */
    pr_metric primary;     /* default mean: the table's figure, improvements, geomean */
} pr_compare_options;

typedef struct pr_comparison {
    const pr_run *baseline; /* borrowed */
    const pr_run *current;  /* borrowed */
    pr_compare_options options;
    pr_cmp_entry *entries; /* current run's order, then the missing in baseline order */
    size_t n_entries;
    double geomean_change; /* of the primary metric over matched benchmarks; 0 when none */
    size_t geomean_n;
    char
        *machine_mismatch; /* NULL, or "cpu_model 'A' -> 'B'; compiler ..." (baseline -> current) */
    size_t n_improved, n_normal, n_warning, n_critical; /* matched, by verdict */
    size_t n_failing, n_noise, n_untestable;
    size_t n_new, n_missing, n_failed;
} pr_comparison;

void pr_compare_options_init(pr_compare_options *opt);

/*
 * Compares CURRENT against BASELINE into OUT (which borrows both runs: they
 * must outlive it). Returns 0 or PR_ENOMEM; OUT is releasable either way.
 */
int pr_compare_runs(const pr_run *baseline, const pr_run *current, const pr_compare_options *opt,
                    pr_comparison *out);

void pr_comparison_release(pr_comparison *cmp);

/* 1 when some entry is failing: the CLI's exit status 1. */
int pr_comparison_failed(const pr_comparison *cmp);

/*
 * The machine fingerprint check: A and B agree on cpu_model, logical_cores,
 * os, arch, compiler and build_type (volatile figures such as the host, the
 * kernel release or the clock cost do not count). OUT receives NULL when
 * they agree, else a description "cpu_model 'A' -> 'B'; ..." (A -> B;
 * caller frees). Returns 0 or PR_ENOMEM.
 */
int pr_compare_machine(const pr_context *a, const pr_context *b, char **out);

const char *pr_verdict_name(pr_verdict v);   /* "improved", "normal", "warning", "critical" */
const char *pr_cmp_kind_name(pr_cmp_kind k); /* "matched", "new", "missing", "failed" */

#endif
