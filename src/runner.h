/*
 * runner.h - one run of a suite: probe the clock, read the machine and git,
 * measure each selected benchmark in registration order, and return the
 * whole run document. Printing progress is the caller's, via a callback.
 */
#ifndef PR_RUNNER_H
#define PR_RUNNER_H

#include <signal.h>
#include <stddef.h>

#include "clock.h"
#include "run.h"
#include "timing.h"

#define PR_DEFAULT_TIMEOUT_S 60.0
#define PR_DEFAULT_PROCESSES 10
#define PR_MAX_PROCESSES 1000

typedef struct pr_runner_options {
    const char *suite; /* recorded as the run's suite name */
    pr_timing_options timing;
    const char *const *filters; /* globs; none = every benchmark */
    size_t n_filters;
    const pr_clock *clock; /* NULL = CLOCK_MONOTONIC */
    /* 1 (default): each benchmark in its own child process (isolate.h),
     * with memory figures; 0: in this process, as a debugger wants it. */
    int isolate;
    double timeout_s; /* per isolated benchmark; 0 = none (default 60) */
    /* Processes each benchmark's samples are spread over (default
     * PR_DEFAULT_PROCESSES; isolated runs only, else 1). The run goes round
     * the benchmarks that many times, each time measuring each one in a
     * fresh child for its share of the samples and of min_time; rounds
     * after the first keep the first's iteration count and warm up for
     * warmup / processes. */
    unsigned processes;
    /* Called before measurement I (0-based) of N starts (N is the
     * benchmarks times the rounds); may be NULL. */
    void (*progress)(void *ctx, size_t i, size_t n, const char *name);
    void *progress_ctx;
} pr_runner_options;

void pr_runner_options_init(pr_runner_options *opt);

/*
 * Runs the selected benchmarks into OUT (initialised by the caller, released
 * by the caller even on error). A benchmark that fails (in isolation: also
 * crashes, exits, times out) is recorded as failed and the others still
 * run; allocations are counted in both modes. Returns PR_EUSAGE for a filter
 * matching nothing, PR_EINVALID for duplicate names, PR_ENOMEM, PR_EIO when
 * no child process can be made, and PR_EINTERRUPTED when
 * pr_runner_interrupt() was called during the run: the current child is
 * then killed and reaped, and OUT is incomplete (record nothing of it).
 */
int pr_runner_run(const pr_runner_options *opt, pr_run *out);

/*
 * Measures the benchmarks NAMES (N exact names) in this very process, one
 * after another, with timing options T and CLOCK (NULL: CLOCK_MONOTONIC),
 * into OUT (initialised by the caller, released by the caller even on
 * error): what an A/B comparison's worker process does (`measure`). The
 * context holds the build of the first benchmark (compiler, type, flags),
 * the clock, perfreg's version and the options; not the machine or git,
 * which the comparison that asked reads once itself. No allocation count
 * and no memory figures. A benchmark that fails is recorded as failed.
 * PR_ENOTFOUND names a name the suite does not have; PR_EINVALID for
 * duplicate names in the registry; PR_ENOMEM.
 */
int pr_runner_measure_here(const pr_timing_options *t, const char *const *names, size_t n,
                           const pr_clock *clock, pr_run *out);

/* Asks a running pr_runner_run to stop, for signal SIG (0 clears the
 * request). Async-signal-safe: meant for a signal handler. An isolated
 * benchmark is stopped at once, an in-process one when its measurement
 * ends. */
void pr_runner_interrupt(int sig);

/* The signal passed to pr_runner_interrupt(), 0 when none. */
int pr_runner_interrupted(void);

/* The flag pr_runner_interrupt() sets, for other work that stops on the
 * same signals (an A/B comparison's processes, a build). */
const volatile sig_atomic_t *pr_runner_stop_flag(void);

/* 1 when any result in RUN failed. */
int pr_run_has_failures(const pr_run *run);

#endif
