/*
 * history.h - the trend of every benchmark across recorded runs: per
 * benchmark, the last N runs oldest first, the chosen statistic, its change
 * from run to run, step changes, and the baseline as a reference. Loading
 * the runs is the caller's (the store or git notes); rendering is the
 * report's and the results module's.
 */
#ifndef PR_HISTORY_H
#define PR_HISTORY_H

#include <stddef.h>

#include "run.h"
#include "threshold.h"

#define PR_HISTORY_DEFAULT_LAST 20
#define PR_HISTORY_DEFAULT_STEP 0.10 /* a step must move the level by more than 10% */

typedef struct pr_history_options {
    pr_metric stat;              /* default PR_METRIC_MEDIAN */
    size_t last;                 /* runs per benchmark, default 20; 0 = all */
    int all_machines;            /* 0: only runs with the newest run's machine fingerprint */
    double step_threshold;       /* relative, default PR_HISTORY_DEFAULT_STEP */
    const char *const *patterns; /* globs on benchmark names; none = all */
    size_t n_patterns;
    const pr_run *baseline; /* the suite's baseline, or NULL; borrowed */
} pr_history_options;

typedef struct pr_history_point {
    size_t run;         /* index into pr_history.runs */
    int present;        /* the benchmark ran and was measured in that run */
    double value;       /* the statistic: ns; operations per second for ops; bytes
                         * for memory; allocations per iteration for allocs */
    double q1, q3;      /* the middle half of the samples in the same unit (for ops:
                         * 1e9 / q3 and 1e9 / q1; quartiles of a git note's summary
                         * when it has no samples); value, value for stddev, iqr,
                         * memory and allocs */
    int has_change;     /* a previous present point exists */
    double change;      /* relative to the previous present point */
    int step;           /* a step change starts here (docs/history.md) */
    double step_change; /* the level's relative move, when step */
} pr_history_point;

typedef struct pr_history_series {
    char *name;               /* owned */
    pr_history_point *points; /* owned; one per selected run, oldest first */
    size_t n_points;
    int has_baseline;        /* the baseline measured this benchmark */
    double baseline_value;   /* the statistic in the baseline */
    int has_baseline_change; /* the newest present point vs the baseline */
    double baseline_change;
} pr_history_series;

typedef struct pr_history {
    pr_run *runs; /* owned, oldest first: the selected runs */
    size_t n_runs;
    char **sources;            /* owned, parallel to runs: file path or "notes:<commit>" */
    pr_history_series *series; /* owned, in order of first appearance */
    size_t n_series;
    pr_metric stat;
    int all_machines;
    size_t n_other_machine; /* runs left out for another machine fingerprint */
    char *machine;          /* the fingerprint kept, as "cpu_model, N cores, os arch,
                             * compiler, build_type" (owned; NULL with all_machines) */
    const pr_run *baseline; /* borrowed from the options */
    double step_threshold;
} pr_history;

void pr_history_options_init(pr_history_options *opt);

/*
 * Builds the history from RUNS (N of them, oldest first, each with the
 * source it came from in SOURCES). Takes ownership of RUNS, SOURCES and
 * their contents in every case (on error too: they are freed); OUT is
 * releasable either way. Runs of another machine are dropped unless
 * all_machines; then the last `last` runs are kept. A benchmark absent from
 * a run, or failed in it, has a point with present = 0.
 * PR_EUSAGE when a pattern matches no benchmark; PR_ENOMEM.
 */
int pr_history_build(pr_history *out, pr_run *runs, char **sources, size_t n,
                     const pr_history_options *opt);

void pr_history_release(pr_history *h);

/*
 * The step rule on VALUES (N of them, oldest first; NaN for absent points,
 * which are skipped), exposed for tests: marks STEP[i] = 1 where a step
 * starts and sets STEP_CHANGE[i]. See docs/history.md.
 */
void pr_history_find_steps(const double *values, size_t n, double threshold, int *step,
                           double *step_change);

#endif
