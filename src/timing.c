/*
 * timing.c - the timing core. Runs one benchmark: warm-up, calibration of
 * the iterations per sample, and sample collection, reading the (injectable)
 * clock only where the author's PERFREG_LOOP starts and ends. Statistics are
 * left to stats.c, the order and selection of benchmarks to the runner.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allocs.h"
#include "error.h"
#include "strbuf.h"
#include "timing.h"
#include "banned.h"

enum loop_phase { LOOP_NOT_STARTED, LOOP_RUNNING, LOOP_DONE };

struct perfreg_state {
    const pr_clock *clock;
    uint64_t iterations;
    int64_t start_ns;
    int64_t end_ns;
    enum loop_phase phase;
    int loops; /* times the loop was entered in this call */
    int skipped;
    int count_allocs; /* the untimed counting call: allocations inside the loop are counted */
    char reason[256];
    double bytes_per_iteration;
    double items_per_iteration;
};

uint64_t perfreg_loop_begin_(perfreg_state *state)
{
    state->loops++;
    if (state->skipped || state->loops > 1) {
        state->phase = LOOP_DONE;
        return 0;
    }
    state->phase = LOOP_RUNNING;
    /* before the clock read and after the end read: outside the timed span */
    if (state->count_allocs)
        pr_allocs_start();
    state->start_ns = pr_clock_now_ns(state->clock);
    return state->iterations;
}

void perfreg_loop_end_(perfreg_state *state)
{
    if (state->phase == LOOP_RUNNING) {
        state->end_ns = pr_clock_now_ns(state->clock);
        if (state->count_allocs)
            pr_allocs_stop();
    }
    state->phase = LOOP_DONE;
}

void perfreg_bytes_per_iteration(perfreg_state *state, double bytes)
{
    state->bytes_per_iteration = bytes > 0 && isfinite(bytes) ? bytes : 0;
}

void perfreg_items_per_iteration(perfreg_state *state, double items)
{
    state->items_per_iteration = items > 0 && isfinite(items) ? items : 0;
}

void perfreg_skip(perfreg_state *state, const char *reason)
{
    if (!state->skipped) {
        snprintf(state->reason, sizeof state->reason, "%s", reason && *reason ? reason : "skipped");
        state->skipped = 1;
    }
}

uint64_t perfreg_iterations(const perfreg_state *state)
{
    return state->iterations;
}

void pr_timing_options_init(pr_timing_options *opt)
{
    opt->min_time_s = PR_DEFAULT_MIN_TIME_S;
    opt->warmup_s = PR_DEFAULT_WARMUP_S;
    opt->samples = PR_DEFAULT_SAMPLES;
    opt->min_samples = 0;
    opt->iterations = 0;
    opt->max_iterations = PR_MAX_ITERATIONS;
}

double pr_timing_sample_target_ns(const pr_timing_options *opt, const pr_clock_info *ci)
{
    double target = opt->min_time_s * 1e9 / (double)(opt->samples ? opt->samples : 1);
    if (target < 1000 * ci->cost_ns)
        target = 1000 * ci->cost_ns;
    if (target < 1000 * ci->step_ns)
        target = 1000 * ci->step_ns;
    if (target < PR_SAMPLE_FLOOR_NS)
        target = PR_SAMPLE_FLOOR_NS;
    return target;
}

/* One call of the benchmark with ITERATIONS; the loop's duration in
 * *ELAPSED. Returns 0, or 1 when the benchmark failed (reason in FAIL). */
static int call_once(perfreg_state *st, const perfreg_bench_def *def, uint64_t iterations,
                     int64_t *elapsed, pr_strbuf *fail)
{
    st->iterations = iterations;
    st->phase = LOOP_NOT_STARTED;
    st->loops = 0;
    st->start_ns = st->end_ns = 0;
    def->fn(st);
    if (st->skipped) {
        pr_strbuf_adds(fail, st->reason);
        return 1;
    }
    if (st->loops == 0) {
        pr_strbuf_adds(fail, "the benchmark never ran PERFREG_LOOP");
        return 1;
    }
    if (st->loops > 1) {
        pr_strbuf_adds(fail, "PERFREG_LOOP ran more than once in one call");
        return 1;
    }
    if (st->phase != LOOP_DONE || st->end_ns == 0) {
        pr_strbuf_adds(fail, "PERFREG_LOOP was left early (break or return inside the loop)");
        return 1;
    }
    *elapsed = st->end_ns - st->start_ns;
    if (*elapsed < 0) {
        pr_strbuf_adds(fail, "the clock went backwards");
        return 1;
    }
    return 0;
}

/* The next iteration count while calibrating: aim 20% past the target from
 * the last sample, growing at least 2x and at most 10x per step so that one
 * fast-looking sample (a cold start can be slow or an empty body fast)
 * cannot make a huge jump. */
static uint64_t grow_iterations(uint64_t iters, int64_t elapsed, double target_ns, uint64_t max)
{
    double mult = 10;
    double next;
    if (elapsed > 0) {
        mult = target_ns * 1.2 / (double)elapsed;
        if (mult < 2)
            mult = 2;
        if (mult > 10)
            mult = 10;
    }
    next = ceil((double)iters * mult);
    return next >= (double)max ? max : (uint64_t)next;
}

int pr_timing_measure(const pr_clock *clock, const pr_clock_info *ci, const pr_timing_options *opt,
                      const perfreg_bench_def *def, pr_result *out)
{
    perfreg_state *st = NULL;
    pr_strbuf fail = PR_STRBUF_INIT;
    double target_ns = pr_timing_sample_target_ns(opt, ci);
    double *samples = NULL;
    uint64_t iters = opt->iterations ? opt->iterations : 1;
    uint64_t want = opt->samples ? opt->samples : 1;
    uint64_t min_samples = opt->min_samples ? opt->min_samples : PR_MIN_SAMPLES;
    uint64_t max_iters = opt->max_iterations ? opt->max_iterations : PR_MAX_ITERATIONS;
    int64_t begin_ns, t0, elapsed = 0;
    size_t n = 0;
    int err = 0;

    st = calloc(1, sizeof *st);
    samples = malloc((size_t)want * sizeof *samples);
    if (!st || !samples || want > SIZE_MAX / sizeof *samples) {
        err = pr_error_set(PR_ENOMEM, "out of memory");
        goto done;
    }
    if (min_samples > want)
        min_samples = want;
    st->clock = clock;
    begin_ns = pr_clock_now_ns(clock);

    /* Warm-up and calibration: the benchmark runs until a sample reaches
     * the target and the warm-up time is spent; those samples are dropped. */
    if (opt->iterations == 0 || opt->warmup_s > 0) {
        for (;;) {
            if (call_once(st, def, iters, &elapsed, &fail))
                goto failed;
            int calibrated =
                opt->iterations != 0 || (double)elapsed >= target_ns || iters >= max_iters;
            if (!calibrated) {
                iters = grow_iterations(iters, elapsed, target_ns, max_iters);
                continue;
            }
            if ((double)(pr_clock_now_ns(clock) - begin_ns) >= opt->warmup_s * 1e9)
                break;
        }
        /* The last sample may overshoot the target by up to 10x; aim at it. */
        if (opt->iterations == 0 && elapsed > 0) {
            double fit = ceil((double)iters * target_ns / (double)elapsed);
            iters = fit < 1 ? 1 : fit >= (double)max_iters ? max_iters : (uint64_t)fit;
        }
    }

    t0 = pr_clock_now_ns(clock);
    while (n < want) {
        if (call_once(st, def, iters, &elapsed, &fail))
            goto failed;
        samples[n++] = (double)elapsed / (double)iters;
        if (n >= min_samples && (double)(pr_clock_now_ns(clock) - t0) >= opt->min_time_s * 1e9)
            break;
    }

    out->status = PR_STATUS_OK;
    out->iterations = iters;
    out->samples_ns = samples;
    out->n_samples = n;
    samples = NULL;
    err = pr_stats_compute(&out->stats, out->samples_ns, out->n_samples);
    if (err == PR_EINVALID) {
        out->status = PR_STATUS_FAILED;
        out->error = pr_strdup(pr_error_last());
        err = out->error ? 0 : PR_ENOMEM;
    }
    goto finish;

failed:
    out->status = PR_STATUS_FAILED;
    out->iterations = iters;
    if (pr_strbuf_error(&fail)) {
        err = PR_ENOMEM;
        goto done;
    }
    out->error = pr_strbuf_detach(&fail, NULL);
    if (!out->error)
        err = pr_error_set(PR_ENOMEM, "out of memory");
finish:
    out->bytes_per_iteration = st->bytes_per_iteration;
    out->items_per_iteration = st->items_per_iteration;
    pr_result_derive_throughput(out);
    out->total_time_s = (double)(pr_clock_now_ns(clock) - begin_ns) / 1e9;
done:
    free(samples);
    free(st);
    pr_strbuf_release(&fail);
    return err;
}

/* Calls DEF once, untimed, with N iterations, counting its allocations
 * into *COUNT and *BYTES. Returns the call's failure flag (call_once). */
static int count_call(perfreg_state *st, const perfreg_bench_def *def, uint64_t n,
                      uint64_t *count, uint64_t *bytes, pr_strbuf *fail)
{
    int64_t elapsed = 0;
    int failed = call_once(st, def, n, &elapsed, fail);

    pr_allocs_stop(); /* the loop may have been left without its end call */
    pr_allocs_read(count, bytes);
    return failed;
}

int pr_timing_count_allocs(const pr_clock *clock, const perfreg_bench_def *def, pr_result *out)
{
    perfreg_state *st = NULL;
    pr_strbuf fail = PR_STRBUF_INIT;
    uint64_t n = out->iterations, count1 = 0, bytes1 = 0, count2 = 0, bytes2 = 0;
    int failed;

    out->has_allocs = 0;
    out->allocs_per_iteration = 0;
    out->alloc_bytes_per_iteration = 0;
    if (out->status != PR_STATUS_OK || n == 0 || n > UINT64_MAX / 2 || !pr_allocs_available())
        return 0;
    if (!(st = calloc(1, sizeof *st)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    /* N iterations, then 2N: the difference is what N more iterations
     * allocate, so what a call allocates once (a buffer grown on the first
     * iteration and reused) cancels out instead of being spread over a
     * calibrated count that changes from run to run. */
    st->clock = clock;
    st->count_allocs = 1;
    failed = count_call(st, def, n, &count1, &bytes1, &fail);
    if (!failed)
        failed = count_call(st, def, 2 * n, &count2, &bytes2, &fail);
    /* A benchmark that fails in these extra calls (it skips on its Nth
     * call, say) keeps its timed result; only the counts are missing. */
    if (!failed) {
        out->has_allocs = 1;
        out->allocs_per_iteration = count2 > count1 ? (double)(count2 - count1) / (double)n : 0;
        out->alloc_bytes_per_iteration = bytes2 > bytes1 ? (double)(bytes2 - bytes1) / (double)n : 0;
    }
    free(st);
    pr_strbuf_release(&fail);
    return 0;
}
