/*
 * clock.c - CLOCK_MONOTONIC behind the injectable pr_clock, and the probe
 * that measures what one read costs and the smallest step it can show.
 * Deciding what to do with those figures is the timing core's job.
 */
#include <time.h>

#include "clock.h"
#include "error.h"
#include "banned.h"

static int64_t monotonic_now(void *ctx)
{
    struct timespec ts;
    (void)ctx;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static double monotonic_resolution(void *ctx)
{
    struct timespec ts;
    (void)ctx;
    if (clock_getres(CLOCK_MONOTONIC, &ts) != 0)
        return 0;
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static const pr_clock monotonic = {"CLOCK_MONOTONIC", monotonic_now, monotonic_resolution, NULL};

const pr_clock *pr_clock_monotonic(void)
{
    return &monotonic;
}

#define PROBE_ROUNDS 20
#define PROBE_READS 256

int pr_clock_probe(const pr_clock *clock, pr_clock_info *out)
{
    double best = -1;
    int64_t step = 0;
    int round, i;

    /* The cost is the best round's mean: interruptions only make a round
     * slower, never faster. */
    for (round = 0; round < PROBE_ROUNDS; round++) {
        int64_t start = pr_clock_now_ns(clock), prev = start, now = start;
        for (i = 0; i < PROBE_READS; i++) {
            now = pr_clock_now_ns(clock);
            if (now > prev && (step == 0 || now - prev < step))
                step = now - prev;
            prev = now;
        }
        if (now < start)
            return pr_error_set(PR_EINVALID, "clock '%s' went backwards", clock->name);
        if (best < 0 || (double)(now - start) / PROBE_READS < best)
            best = (double)(now - start) / PROBE_READS;
    }
    out->cost_ns = best;
    out->step_ns = (double)step;
    out->resolution_ns = clock->resolution_ns ? clock->resolution_ns(clock->ctx) : 0;
    return 0;
}
