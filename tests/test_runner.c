/*
 * test_runner.c - a run spread over several processes (--processes): the
 * rounds, each benchmark's share of the samples per process, the process
 * boundaries in the result, and when a run stays in one process. The fake
 * clock moves only when a read or a benchmark body moves it; each child
 * moves its own copy.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "registry.h"
#include "runner.h"
#include "banned.h"

static int64_t fake_now_ns = 1000000;

static int64_t fake_now(void *ctx)
{
    (void)ctx;
    fake_now_ns += 10; /* each read costs 10 ns */
    return fake_now_ns;
}

static const pr_clock fake_clock = {"FAKE", fake_now, NULL, NULL};

static void body_1us(perfreg_state *state)
{
    PERFREG_LOOP(state) {
        fake_now_ns += 1000;
    }
}

static perfreg_bench_def def_1us = {
    "spread/one_us", body_1us, __FILE__, __LINE__, "cc", NULL, NULL, 1, NULL};

/* Fails once the flag file exists: the progress callback, which the
 * parent calls before each measurement, creates it before a later round. */
static char flag_path[64];
static size_t fail_from = (size_t)-1; /* the measurement that creates it */

static void body_fails_later(perfreg_state *state)
{
    if (flag_path[0] && access(flag_path, F_OK) == 0) {
        perfreg_skip(state, "failed in a later round");
        return;
    }
    PERFREG_LOOP(state) {
        fake_now_ns += 1000;
    }
}

static perfreg_bench_def def_fails_later = {
    "spread/fails_later", body_fails_later, __FILE__, __LINE__, "cc", NULL, NULL, 1, NULL};

static size_t progress_calls, progress_total, progress_last;

static void progress(void *ctx, size_t i, size_t n, const char *name)
{
    (void)ctx;
    (void)name;
    /* in order; a benchmark failed in an earlier round is skipped */
    CHECK(progress_calls == 0 ? i == 0 : i > progress_last);
    progress_last = i;
    progress_calls++;
    progress_total = n;
    if (i == fail_from) {
        FILE *f = fopen(flag_path, "w");
        CHECK(f != NULL);
        if (f)
            fclose(f);
    }
}

/* Runs the registry's benchmarks matching FILTER with PROCESSES and
 * SAMPLES into RUN. */
static int run_filtered(const char *filter, unsigned processes, uint64_t samples, int isolate,
                        pr_run *run)
{
    pr_runner_options opt;

    pr_runner_options_init(&opt);
    opt.filters = &filter;
    opt.n_filters = 1;
    opt.clock = &fake_clock;
    opt.processes = processes;
    opt.isolate = isolate;
    opt.timing.samples = samples;
    opt.timing.min_time_s = 1; /* the sample count, not the time, ends a round */
    opt.timing.warmup_s = 0;
    opt.progress = progress;
    progress_calls = progress_total = 0;
    pr_run_init(run);
    return pr_runner_run(&opt, run);
}

static int run_with(unsigned processes, uint64_t samples, int isolate, pr_run *run)
{
    return run_filtered("spread/one_us", processes, samples, isolate, run);
}

static void test_defaults(void)
{
    pr_runner_options opt;
    pr_runner_options_init(&opt);
    CHECK_INT(opt.processes, PR_DEFAULT_PROCESSES);
    CHECK_INT(opt.isolate, 1);
}

static void test_spread_over_processes(void)
{
    static const size_t want[] = {3, 3, 2, 2, 2};
    pr_run run;
    const pr_result *r;
    size_t i;

    CHECK_INT(run_with(5, 12, 1, &run), 0);
    CHECK_INT(run.n_results, 1);
    CHECK_INT(run.context.processes, 5);
    CHECK_INT(progress_calls, 5);
    CHECK_INT(progress_total, 5);
    if (run.n_results == 1) {
        r = &run.results[0];
        CHECK_INT(r->status, PR_STATUS_OK);
        CHECK_INT(r->n_samples, 12);
        CHECK_INT(r->stats.n, 12);
        CHECK_INT(r->n_processes, 5);
        for (i = 0; i < 5 && r->process_samples; i++)
            CHECK_INT(r->process_samples[i], want[i]);
        /* every round ran the first round's iteration count: each sample
         * is 1000 ns per iteration plus the same share of the end read */
        CHECK(r->iterations > 0);
        CHECK_NEAR(r->samples_ns[0], 1000 + 10.0 / (double)r->iterations, 1e-9);
        for (i = 1; i < r->n_samples; i++)
            CHECK_NEAR(r->samples_ns[i], r->samples_ns[0], 0);
        CHECK(r->has_memory);
    }
    pr_run_release(&run);
}

static void test_one_process(void)
{
    pr_run run;

    /* --processes 1 */
    CHECK_INT(run_with(1, 12, 1, &run), 0);
    CHECK_INT(run.context.processes, 1);
    CHECK_INT(run.n_results == 1 ? run.results[0].n_processes : 99, 0);
    CHECK(run.n_results == 1 && run.results[0].process_samples == NULL);
    CHECK_INT(run.n_results == 1 ? run.results[0].n_samples : 0, 12);
    CHECK_INT(progress_calls, 1);
    pr_run_release(&run);

    /* without isolation there is only this process */
    CHECK_INT(run_with(5, 12, 0, &run), 0);
    CHECK_INT(run.context.processes, 1);
    CHECK_INT(run.n_results == 1 ? run.results[0].n_processes : 99, 0);
    CHECK_INT(run.n_results == 1 ? run.results[0].n_samples : 0, 12);
    pr_run_release(&run);
}

/* never more processes than samples */
static void test_fewer_samples_than_processes(void)
{
    pr_run run;
    size_t i;

    CHECK_INT(run_with(5, 3, 1, &run), 0);
    CHECK_INT(run.context.processes, 3);
    if (run.n_results == 1) {
        CHECK_INT(run.results[0].n_processes, 3);
        CHECK_INT(run.results[0].n_samples, 3);
        for (i = 0; i < 3 && run.results[0].process_samples; i++)
            CHECK_INT(run.results[0].process_samples[i], 1);
    }
    pr_run_release(&run);
}

/* A failure in a later round fails the benchmark with that round's reason;
 * it is not measured again, and the other benchmarks go on. */
static void test_fails_in_a_later_round(void)
{
    pr_run run;
    const char *both = "spread/*";
    int fd;

    snprintf(flag_path, sizeof flag_path, "%s", "/tmp/perfreg_test_runner_XXXXXX");
    fd = mkstemp(flag_path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    close(fd);
    unlink(flag_path);
    fail_from = 2 * 2 + 1; /* round 2 (0-based), the second benchmark */
    CHECK_INT(run_filtered(both, 5, 10, 1, &run), 0);
    CHECK_INT(run.n_results, 2);
    if (run.n_results == 2) {
        CHECK_INT(run.results[0].status, PR_STATUS_OK);
        CHECK_INT(run.results[0].n_processes, 5);
        CHECK_INT(run.results[0].n_samples, 10);
        CHECK_INT(run.results[1].status, PR_STATUS_FAILED);
        CHECK(run.results[1].error && strcmp(run.results[1].error, "failed in a later round") == 0);
        CHECK_INT(run.results[1].n_processes, 2); /* rounds 0 and 1 */
    }
    /* rounds 3 and 4 skip the failed benchmark: 2 + 2 + 2 + 1 + 1 */
    CHECK_INT(progress_calls, 8);
    pr_run_release(&run);
    unlink(flag_path);
    flag_path[0] = '\0';
    fail_from = (size_t)-1;
}

int main(void)
{
    perfreg_register(&def_1us);
    perfreg_register(&def_fails_later);
    RUN_TEST(test_defaults);
    RUN_TEST(test_spread_over_processes);
    RUN_TEST(test_one_process);
    RUN_TEST(test_fewer_samples_than_processes);
    RUN_TEST(test_fails_in_a_later_round);
    return CHECK_DONE();
}
