/*
 * compare.h - a run against a baseline: benchmarks matched by name, the
 * change of each metric, thresholds, the three verdicts. Rendering is the
 * report's and the results module's job; the exit status the CLI's.
 *
 * The rules (docs/comparing.md):
 *   change      (current - baseline) / baseline of each metric; for ops
 *               (higher is better) the regression is the drop.
 *   estimate    the change a method judges, with an interval at 1 - alpha
 *               (the methods below). Where a method gives no interval the
 *               estimate is the change.
 *   verdict     of a metric with a threshold G (its --fail threshold, else
 *               its warn threshold), from the estimate and the interval of
 *               its regression:
 *                 fail          significantly slower (the interval is above
 *                               0) and the estimate beyond G;
 *                 pass          the interval's upper end below G;
 *                 inconclusive  neither: this comparison cannot resolve G.
 *               The per-run metrics (memory, allocs) and the spread metrics
 *               (stddev, iqr) have no interval: beyond G fails, else pass.
 *               The benchmark's verdict is the worst of its metrics'.
 *   level       improved / normal / warning / critical, by the warn
 *               threshold T: a significant regression above T is a warning,
 *               above 2T critical (spread metrics stop at a warning); for
 *               the primary metric a significant drop below -T is an
 *               improvement. allocs from a baseline of 0 to at least 1 per
 *               iteration is a warning when its warn threshold is relative.
 *   failing     a metric's verdict is fail at its --fail threshold (exit 1).
 *   noise       a metric beyond a warn or fail threshold whose verdict is
 *               not fail: inconclusive, shown as such.
 *   methods     where the estimate and interval of the location metrics
 *               (mean, median, min, max, ops) come from:
 *     paired    an interleaved A/B (options.paired): process i of each side
 *               ran in round i, side by side; the per-round log-ratios
 *               d = ln(current / baseline) of each process's statistic are
 *               judged by the Wilcoxon signed-rank test, the estimate is
 *               their Hodges-Lehmann estimate and the interval its
 *               distribution-free one (stats.h). A rank test, because a
 *               round whose two processes met different machine states is
 *               an outlier of 20-45% among pairs within 1-3%
 *               (docs/performance.md), which drags a mean and a t test.
 *     runs      a baseline made of several runs (run_stats, save-baseline
 *               --runs): the current run's value against their spread, on
 *               the log scale: centre c = mean of ln(value), spread s = their
 *               standard deviation, the prediction interval
 *               ln(current) - c +/- t(1 - alpha/2, N - 1) s sqrt(1 + 1/N).
 *     processes both runs spread each benchmark over several processes
 *               (run --processes): Welch's t test on the per-process values
 *               of the statistic, and its interval.
 *     samples   a side of one process: the two-sided Mann-Whitney U test on
 *               the raw samples decides significance (p < alpha); no
 *               interval: fail when significant and beyond G, else pass.
 *     none      statistics without samples (an import, a note), or the test
 *               turned off (--no-significance): beyond G fails, else pass.
 *   suite shift when the runs were not paired and most matched benchmarks
 *               moved together in one direction (PR_SHIFT_* below), the
 *               machine's speed changed between the runs: each benchmark is
 *               judged on its move relative to the suite's (the median), its
 *               interval widened by how much the benchmarks disagree about
 *               that move; a benchmark whose raw move crossed its threshold
 *               but whose move relative to the suite does not fail is
 *               inconclusive ("moved with the suite"), never pass.
 *   resolution  the smallest change the comparison can tell from none: the
 *               half-width of the interval of the gate metric; with it, the
 *               rounds (or runs) a threshold would need, about
 *               n (resolution / (0.7 G))^2.
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

typedef enum pr_level {
    PR_LEVEL_IMPROVED,
    PR_LEVEL_NORMAL,
    PR_LEVEL_WARNING,
    PR_LEVEL_CRITICAL
} pr_level;

/* The three verdicts, in order of severity. */
typedef enum pr_verdict {
    PR_VERDICT_PASS,
    PR_VERDICT_INCONCLUSIVE,
    PR_VERDICT_FAIL
} pr_verdict;

/* Where a judged estimate and its interval come from (the rules above). */
typedef enum pr_method {
    PR_METHOD_NONE,
    PR_METHOD_SAMPLES,
    PR_METHOD_PROCESSES,
    PR_METHOD_RUNS,
    PR_METHOD_PAIRED
} pr_method;

/* What --inconclusive does to the exit status: nothing, nothing but say so
 * (the default), or fail. */
typedef enum pr_inconclusive_policy {
    PR_INCONCLUSIVE_PASS,
    PR_INCONCLUSIVE_WARN,
    PR_INCONCLUSIVE_FAIL
} pr_inconclusive_policy;

/* A suite-wide shift needs this many matched, judged benchmarks, this
 * share of them moved in the shift's direction by more than
 * PR_SHIFT_FLOOR each, and a median move beyond PR_SHIFT_MIN. */
#define PR_SHIFT_MIN_BENCHMARKS 4
#define PR_SHIFT_AGREE 0.75
#define PR_SHIFT_FLOOR 0.02
#define PR_SHIFT_MIN 0.03

typedef struct pr_metric_change {
    int valid;       /* both sides have the metric */
    double baseline; /* the metric's value: ns, ops/s, bytes (memory) or allocations per
                      * iteration (allocs) */
    double current;
    int relative_valid;    /* 0 when the baseline value is 0 */
    double change;         /* (current - baseline) / baseline, signed */
    double regression;     /* change in the bad direction (-change for ops) */
    double abs_regression; /* the same in the metric's unit (ns, ops/s, bytes, allocs) */
    /* The size a change must pass, in the metric's unit, before a relative
     * threshold sees it: PR_MEMORY_FLOOR for memory, else 0. */
    double floor;
    /* The judgement, when the metric has a threshold (judged = 1). The
     * estimate and interval are of the change (signed like change; for
     * ops, of the operations per second), relative to the suite's shift
     * when shifted. */
    int judged;
    pr_verdict verdict;
    double gate;           /* the relative threshold of the verdict; 0 when absolute */
    int gate_is_fail;      /* the gate is the --fail threshold, not the warn one */
    double estimate;       /* the judged change */
    int has_interval;      /* low, high and resolution are set */
    double low, high;      /* the interval of the judged change, 1 - alpha */
    double resolution;     /* its half-width: the smallest change it can tell */
    int short_level;       /* paired, with too few rounds for an interval at 1 - alpha (or
                            * none): no verdict but inconclusive */
    double p_value;        /* of the method's test; NAN when none */
    int shifted;           /* judged relative to the suite's shift */
    double unshifted;      /* when shifted: the estimate before the shift was taken out */
    int with_suite;        /* crossed a threshold raw, not relative to the suite */
    pr_level level;        /* after the gate */
    int failing;           /* verdict fail at the --fail threshold */
    int noise;             /* beyond a warn or fail threshold, verdict not fail */
} pr_metric_change;

typedef struct pr_cmp_entry {
    const char *name; /* borrowed from the runs */
    pr_cmp_kind kind;
    const pr_result *baseline; /* borrowed; NULL when new */
    const pr_result *current;  /* borrowed; NULL when missing */
    pr_metric_change metrics[PR_METRIC_COUNT];
    pr_method method;   /* of the location metrics */
    size_t rounds;      /* paired: rounds; runs: the baseline's runs; processes: the fewer
                         * processes of the two sides; else 0 */
    int tested;         /* a test ran (matched, gate on) */
    int testable;       /* the sample sizes can give p < alpha */
    int by_process;     /* the method is processes (Welch's test) */
    pr_welch welch;     /* of the mean, valid when by_process */
    pr_mwu mwu;         /* valid when the method is samples */
    pr_signed_rank paired; /* of the mean, valid when the method is paired */
    double p_value;     /* the primary metric's test, valid when tested */
    int significant;    /* the primary metric's change is significant, or no test applies */
    pr_verdict verdict; /* worst over the judged metrics */
    pr_level level;     /* worst over the metrics */
    int failing;        /* a metric failed, or missing with fail_on_missing */
    int noise;          /* some metric is noise */
    pr_metric worst;    /* the metric behind the verdict, the level or the failure */
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
    int paired;            /* default 0: the runs are the two sides of an interleaved A/B */
    int suite_shift;       /* default 1: judge unpaired runs relative to a suite-wide shift */
    pr_inconclusive_policy inconclusive; /* default warn */
} pr_compare_options;

/* How an interleaved A/B comparison was made, for the report and the JSON
 * (filled by its driver; on = 0 otherwise). Strings are borrowed. */
typedef struct pr_ab_info {
    int on;
    const char *baseline_label;  /* "build of main (1a2b3c4)", or the executable's path */
    const char *candidate_label; /* "this build", or its path */
    const char *order;           /* "random", ... (ab.h) */
    unsigned long long seed;
    size_t rounds, max_rounds, batch; /* the budget */
    double max_time_s;
    size_t max_rounds_run;       /* the most rounds a benchmark got */
    size_t processes;            /* worker processes run */
    double seconds;              /* wall time of the rounds */
    int out_of_time;             /* the time budget ended them */
} pr_ab_info;

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
    /* The suite-wide shift of the primary metric, when has_shift: the
     * median change, how many judged benchmarks it is the median of and
     * how many moved its way by more than PR_SHIFT_FLOOR. */
    int has_shift;
    double shift;
    size_t shift_n, shift_agree;
    size_t n_improved, n_normal, n_warning, n_critical; /* matched, by level */
    size_t n_pass, n_inconclusive, n_fail;              /* matched and judged, by verdict */
    size_t n_failing, n_noise, n_untestable;
    size_t n_new, n_missing, n_failed;
    pr_ab_info ab;
} pr_comparison;

void pr_compare_options_init(pr_compare_options *opt);

/*
 * Compares CURRENT against BASELINE into OUT (which borrows both runs: they
 * must outlive it). Returns 0 or PR_ENOMEM; OUT is releasable either way.
 */
int pr_compare_runs(const pr_run *baseline, const pr_run *current, const pr_compare_options *opt,
                    pr_comparison *out);

void pr_comparison_release(pr_comparison *cmp);

/* 1 when some entry is failing, or inconclusive under
 * --inconclusive=fail: the CLI's exit status 1. */
int pr_comparison_failed(const pr_comparison *cmp);

/* Rounds (or runs) the method of ENTRY would need, about, for its gate
 * metric to resolve its threshold: n (resolution / (0.7 G))^2, rounded up;
 * 0 when it does not apply (no interval, a resolved threshold, or a
 * method where more of them do not help, as runs beyond what the current
 * run's own spread allows). */
size_t pr_compare_rounds_needed(const pr_cmp_entry *entry);

/*
 * The machine fingerprint check: A and B agree on cpu_model, logical_cores,
 * os, arch, compiler and build_type (volatile figures such as the host, the
 * kernel release or the clock cost do not count). OUT receives NULL when
 * they agree, else a description "cpu_model 'A' -> 'B'; ..." (A -> B;
 * caller frees). Returns 0 or PR_ENOMEM.
 */
int pr_compare_machine(const pr_context *a, const pr_context *b, char **out);

const char *pr_level_name(pr_level v);       /* "improved", "normal", "warning", "critical" */
const char *pr_verdict_name(pr_verdict v);   /* "pass", "inconclusive", "fail" */
const char *pr_method_name(pr_method m);     /* "none", "samples", "processes", "runs", "paired" */
/* The policy called NAME ("pass", "warn", "fail"), or -1. */
int pr_inconclusive_from_name(const char *name);
const char *pr_inconclusive_name(pr_inconclusive_policy p);
const char *pr_cmp_kind_name(pr_cmp_kind k); /* "matched", "new", "missing", "failed" */

#endif
