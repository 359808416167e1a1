/*
 * clock.h - the monotonic clock the timing core reads, behind a pointer so
 * that tests inject a fake one.
 */
#ifndef PR_CLOCK_H
#define PR_CLOCK_H

#include <stdint.h>

typedef struct pr_clock {
    const char *name;                   /* recorded in the results, e.g. "CLOCK_MONOTONIC" */
    int64_t (*now_ns)(void *ctx);       /* current time in nanoseconds */
    double (*resolution_ns)(void *ctx); /* clock_getres, or 0 when unknown */
    void *ctx;
} pr_clock;

/* CLOCK_MONOTONIC through clock_gettime. Borrowed, static. */
const pr_clock *pr_clock_monotonic(void);

static inline int64_t pr_clock_now_ns(const pr_clock *clock)
{
    return clock->now_ns(clock->ctx);
}

typedef struct pr_clock_info {
    double cost_ns;       /* mean cost of one read, best of several rounds */
    double step_ns;       /* smallest non-zero difference between two reads */
    double resolution_ns; /* what the clock says of itself */
} pr_clock_info;

/* Measures the cost of a read and the smallest observable step. */
int pr_clock_probe(const pr_clock *clock, pr_clock_info *out);

#endif
