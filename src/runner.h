/*
 * runner.h - one run of a suite: probe the clock, read the machine and git,
 * measure each selected benchmark in registration order, and return the
 * whole run document. Printing progress is the caller's, via a callback.
 */
#ifndef PR_RUNNER_H
#define PR_RUNNER_H

#include <stddef.h>

#include "clock.h"
#include "run.h"
#include "timing.h"

typedef struct pr_runner_options {
    const char *suite; /* recorded as the run's suite name */
    pr_timing_options timing;
    const char *const *filters; /* globs; none = every benchmark */
    size_t n_filters;
    const pr_clock *clock; /* NULL = CLOCK_MONOTONIC */
    /* Called before benchmark I (0-based) of N starts; may be NULL. */
    void (*progress)(void *ctx, size_t i, size_t n, const char *name);
    void *progress_ctx;
} pr_runner_options;

void pr_runner_options_init(pr_runner_options *opt);

/*
 * Runs the selected benchmarks into OUT (initialised by the caller, released
 * by the caller even on error). A benchmark that fails is recorded as failed
 * and the others still run. Returns PR_EUSAGE for a filter matching nothing,
 * PR_EINVALID for duplicate names, PR_ENOMEM.
 */
int pr_runner_run(const pr_runner_options *opt, pr_run *out);

/* 1 when any result in RUN failed. */
int pr_run_has_failures(const pr_run *run);

#endif
