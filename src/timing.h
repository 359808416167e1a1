/*
 * timing.h - the timing core: warm-up, calibration of iterations per sample,
 * and sample collection for one benchmark.
 *
 * The clock is read only by perfreg_loop_begin_/perfreg_loop_end_, i.e. when
 * the author's loop starts and ends. Calibration grows the iteration count
 * until one sample lasts at least the sample target:
 *
 *   target = max(min_time / samples, 1000 x clock cost, 1000 x clock step,
 *                PR_SAMPLE_FLOOR_NS)
 *
 * which keeps the clock's share of a sample under 0.1%. Samples are then
 * collected until `samples` are taken, or until min_time is spent and at
 * least min(samples, 10) are taken; a benchmark slower than the target runs
 * one iteration per sample.
 */
#ifndef PR_TIMING_H
#define PR_TIMING_H

#include <stdint.h>

#include "clock.h"
#include "perfreg.h"
#include "run.h"

#define PR_DEFAULT_MIN_TIME_S 0.2
#define PR_DEFAULT_WARMUP_S 0.05
#define PR_DEFAULT_SAMPLES 50
#define PR_MIN_SAMPLES 10
#define PR_SAMPLE_FLOOR_NS 100000.0 /* 100 us */
/* Calibration stops growing at max_iterations (default this): a body the
 * clock cannot see (optimised away, or a fake clock that does not move)
 * would otherwise grow forever. */
#define PR_MAX_ITERATIONS UINT64_C(10000000000)

typedef struct pr_timing_options {
    double min_time_s;       /* time budget for the samples */
    double warmup_s;         /* warm-up before the samples; calibration counts towards it */
    uint64_t samples;        /* target number of samples (>= 1) */
    /* Once min_time is spent, stop with at least this many samples;
     * 0 = min(samples, PR_MIN_SAMPLES). */
    uint64_t min_samples;
    uint64_t iterations;     /* fixed iterations per sample, 0 = calibrate */
    uint64_t max_iterations; /* calibration's ceiling */
} pr_timing_options;

void pr_timing_options_init(pr_timing_options *opt);

/* The sample target in ns for these options and clock. */
double pr_timing_sample_target_ns(const pr_timing_options *opt, const pr_clock_info *ci);

/*
 * Measures DEF: fills OUT's iterations, samples, stats, throughput, status
 * and error (a benchmark that skips or misuses the loop is recorded as
 * failed, and 0 is returned). OUT->name must be set by the caller. Returns
 * PR_ENOMEM only.
 */
int pr_timing_measure(const pr_clock *clock, const pr_clock_info *ci, const pr_timing_options *opt,
                      const perfreg_bench_def *def, pr_result *out);

/*
 * Calls DEF twice more, untimed, with N = OUT->iterations and then 2N,
 * counting the heap allocations made inside PERFREG_LOOP (allocs.h), and
 * fills OUT's has_allocs, allocs_per_iteration and
 * alloc_bytes_per_iteration from the difference divided by N: what the
 * loop allocates once per call cancels out (never below 0). Leaves
 * has_allocs 0 when OUT failed, when counting is unavailable in this build,
 * or when the benchmark fails in these calls (its timed result stands).
 * Returns PR_ENOMEM only.
 */
int pr_timing_count_allocs(const pr_clock *clock, const perfreg_bench_def *def, pr_result *out);

#endif
