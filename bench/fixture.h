/*
 * fixture.h - deterministic data for the benchmarks of perfreg's own hot
 * paths: sample arrays and whole runs.
 */
#ifndef PR_BENCH_FIXTURE_H
#define PR_BENCH_FIXTURE_H

#include <stddef.h>

#include "run.h"

#ifdef __cplusplus
extern "C" {
#endif

/* N samples around 100 ns with a few slow outliers; caller frees. */
double *bench_make_samples(size_t n, unsigned seed);

/* Fills RUN (initialised) with N_BENCH benchmarks of N_SAMPLES samples and
 * a complete context and git block. Returns 0 or PR_ENOMEM. */
int bench_make_run(pr_run *run, size_t n_bench, size_t n_samples);

#ifdef __cplusplus
}
#endif

#endif
