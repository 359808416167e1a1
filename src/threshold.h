/*
 * threshold.h - the metrics a comparison judges and the threshold
 * expressions that set their limits: "mean:10%", "median:2.5%",
 * "mean:0.5ms", "median:200ns", "ops:5%", "memory:1MiB", "allocs:2", and
 * lists of them separated by commas ("mean:10%,stddev:50%").
 *
 * Two kinds of metric: the statistics of the time samples (mean ... ops),
 * and the single figures a run records once per benchmark (memory, allocs),
 * which have no samples behind them.
 */
#ifndef PR_THRESHOLD_H
#define PR_THRESHOLD_H

#include <stddef.h>

#include "run.h"
#include "stats.h"

typedef enum pr_metric {
    PR_METRIC_MEAN,
    PR_METRIC_MEDIAN,
    PR_METRIC_MIN,
    PR_METRIC_MAX,
    PR_METRIC_STDDEV,
    PR_METRIC_IQR,
    PR_METRIC_OPS,    /* operations per second: higher is better */
    PR_METRIC_MEMORY, /* bytes the benchmark added to its process's peak RSS */
    PR_METRIC_ALLOCS, /* heap allocations per iteration */
    PR_METRIC_COUNT
} pr_metric;

/* "mean", "median", "min", "max", "stddev", "iqr", "ops", "memory",
 * "allocs". */
const char *pr_metric_name(pr_metric m);
/* The metric called NAME (LEN bytes; "ops_per_second" is accepted for
 * "ops"), or -1. */
int pr_metric_from_name(const char *name, size_t len);
/* 1 for ops: a drop is the regression. */
int pr_metric_higher_is_better(pr_metric m);
/* 1 for stddev and iqr: a change of spread, which a test of location
 * (Mann-Whitney) does not judge. */
int pr_metric_is_spread(pr_metric m);
/* 1 for memory and allocs: a single figure per run, not a statistic of the
 * time samples, so no test on the samples (Mann-Whitney) judges it. */
int pr_metric_is_per_run(pr_metric m);
/* The value of a statistic of the samples in S: ns, or operations per
 * second for ops. 0 for the per-run metrics (memory, allocs), which S does
 * not hold: read those with pr_metric_of_result. */
double pr_metric_value(const pr_stats *s, pr_metric m);
/*
 * The metric M of result R into *OUT: 1 when R has it, else 0 (*OUT left
 * alone). memory (memory_bytes, in bytes) needs has_memory, allocs
 * (allocations per iteration) has_allocs, the statistics of the samples
 * stats.n > 0 (a result read from a git note has statistics without
 * samples). The status is not looked at: whether a failed result counts is
 * the caller's decision.
 */
int pr_metric_of_result(const pr_result *r, pr_metric m, double *out);

typedef struct pr_threshold {
    int set;      /* 0: no threshold for this metric */
    int relative; /* 1: value is a fraction (0.10 for 10%); 0: absolute */
    double value; /* >= 0; absolute values in ns (ops: operations per second;
                   * memory: bytes; allocs: allocations per iteration) */
} pr_threshold;

/* One threshold per metric; the last one given for a metric wins. */
typedef struct pr_threshold_set {
    pr_threshold of[PR_METRIC_COUNT];
} pr_threshold_set;

/*
 * Parses TEXT ("mean:10%", "mean:10%,median:0.5ms", ...) into SET, leaving
 * metrics it does not name as they were. Percentages may be decimal
 * ("2.5%"); absolute times take ns, us, µs, ms or s; ops takes a plain
 * number (operations per second) or a percentage; memory takes B, KB, MB,
 * GB (steps of 1000) or KiB, MiB, GiB (steps of 1024); allocs a plain
 * number (allocations per iteration). Returns PR_EUSAGE with a message
 * quoting the bad token: unknown metric, missing colon, missing, negative,
 * non-numeric or non-finite value, unknown unit.
 */
int pr_threshold_parse(const char *text, pr_threshold_set *set);

/* Formats a threshold of metric M as the user would write it: "10%",
 * "0.5ms", "1000/s", "1.5MiB", "2". */
void pr_threshold_format(char *buf, size_t size, pr_metric m, const pr_threshold *t);

#endif
