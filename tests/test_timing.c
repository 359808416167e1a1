/*
 * test_timing.c - the timing core against an injected clock: calibration,
 * sample counts, warm-up, fixed iterations, failures, and the clock probe.
 * The fake clock only moves when a benchmark body or a read moves it, so
 * every expected figure is exact.
 */
#include <stdlib.h>

#include "check.h"
#include "clock.h"
#include "timing.h"

static int64_t fake_now_ns;
static int64_t fake_read_cost_ns; /* each read advances the clock by this */
static long fake_reads;

static int64_t fake_now(void *ctx)
{
    (void)ctx;
    fake_reads++;
    fake_now_ns += fake_read_cost_ns;
    return fake_now_ns;
}

static const pr_clock fake_clock = {"FAKE", fake_now, NULL, NULL};

static int64_t per_iter_ns; /* what one iteration of the fake bodies costs */
static long calls;          /* benchmark calls */
static long cold_calls;     /* the first calls cost 100x more */
static long reads_in_call;  /* clock reads during the last call */

static void reset(int64_t iter_ns)
{
    fake_now_ns = 1000000;
    fake_read_cost_ns = 0;
    fake_reads = 0;
    per_iter_ns = iter_ns;
    calls = 0;
    cold_calls = 0;
}

static void body_fixed(perfreg_state *state)
{
    int64_t cost = calls < cold_calls ? per_iter_ns * 100 : per_iter_ns;
    long before = fake_reads;
    calls++;
    PERFREG_LOOP(state) {
        fake_now_ns += cost;
    }
    reads_in_call = fake_reads - before;
}

static perfreg_bench_def def_of(perfreg_bench_fn fn)
{
    perfreg_bench_def d = {"test/bench", fn, __FILE__, __LINE__, "cc", NULL, NULL, 0, NULL};
    return d;
}

static pr_clock_info clock_info(double cost)
{
    pr_clock_info ci = {cost, 1, 1};
    return ci;
}

static int measure(perfreg_bench_fn fn, const pr_timing_options *opt, double cost, pr_result *r)
{
    perfreg_bench_def d = def_of(fn);
    pr_clock_info ci = clock_info(cost);
    return pr_timing_measure(&fake_clock, &ci, opt, &d, r);
}

static void test_sample_target(void)
{
    pr_timing_options opt;
    pr_clock_info ci = clock_info(20);
    pr_timing_options_init(&opt);
    /* 0.2 s / 50 samples = 4 ms, well above 1000 x 20 ns */
    CHECK_NEAR(pr_timing_sample_target_ns(&opt, &ci), 4e6, 1e-6);
    /* a slow clock: 1000 x 10 us = 10 ms wins */
    ci.cost_ns = 10000;
    CHECK_NEAR(pr_timing_sample_target_ns(&opt, &ci), 1e7, 1e-6);
    /* a coarse clock: 1000 x its 50 us step = 50 ms */
    ci.cost_ns = 20;
    ci.step_ns = 50000;
    CHECK_NEAR(pr_timing_sample_target_ns(&opt, &ci), 5e7, 1e-6);
    /* many short samples stop at the 100 us floor */
    ci.step_ns = 1;
    opt.samples = 100000;
    CHECK_NEAR(pr_timing_sample_target_ns(&opt, &ci), PR_SAMPLE_FLOOR_NS, 1e-6);
}

static void test_calibrates_fast_benchmark(void)
{
    pr_timing_options opt;
    pr_result r = {0};
    size_t i;
    reset(10);
    pr_timing_options_init(&opt);
    CHECK_INT(measure(body_fixed, &opt, 20, &r), 0);
    CHECK_INT(r.status, PR_STATUS_OK);
    /* 4 ms target / 10 ns = 400,000 iterations per sample, exactly */
    CHECK_INT(r.iterations, 400000);
    CHECK_INT(r.n_samples, 50);
    for (i = 0; i < r.n_samples; i++)
        CHECK_NEAR(r.samples_ns[i], 10.0, 0);
    CHECK_NEAR(r.stats.mean_ns, 10.0, 1e-12);
    CHECK_NEAR(r.stats.stddev_ns, 0.0, 1e-12);
    /* the whole benchmark: 50 ms warm-up (calibration inside it) + 0.2 s */
    CHECK(r.total_time_s >= 0.25 && r.total_time_s < 0.3);
    pr_result_release(&r);
}

static void test_clock_read_twice_per_sample(void)
{
    pr_timing_options opt;
    pr_result r = {0};
    reset(10);
    pr_timing_options_init(&opt);
    CHECK_INT(measure(body_fixed, &opt, 20, &r), 0);
    /* only loop start and loop end read the clock, never per iteration */
    CHECK_INT(reads_in_call, 2);
    pr_result_release(&r);
}

static void test_read_cost_is_inside_the_sample(void)
{
    pr_timing_options opt;
    pr_result r = {0};
    reset(10);
    fake_read_cost_ns = 20; /* the end read lands inside the timed span */
    pr_timing_options_init(&opt);
    opt.iterations = 1000;
    opt.warmup_s = 0;
    opt.samples = 10;
    CHECK_INT(measure(body_fixed, &opt, 20, &r), 0);
    /* (1000 x 10 + 20) / 1000 */
    CHECK_NEAR(r.stats.median_ns, 10.02, 1e-9);
    pr_result_release(&r);
}

static void test_slow_benchmark_gets_ten_samples(void)
{
    pr_timing_options opt;
    pr_result r = {0};
    reset(100000000); /* 100 ms an iteration: 10 samples = 1 s > 0.2 s budget */
    pr_timing_options_init(&opt);
    CHECK_INT(measure(body_fixed, &opt, 20, &r), 0);
    CHECK_INT(r.iterations, 1);
    CHECK_INT(r.n_samples, 10);
    pr_result_release(&r);
}

static void test_budget_ends_sampling(void)
{
    pr_timing_options opt;
    pr_result r = {0};
    reset(30000000); /* 30 ms: a 0.4 s budget is spent after 14 samples */
    pr_timing_options_init(&opt);
    opt.min_time_s = 0.4;
    CHECK_INT(measure(body_fixed, &opt, 20, &r), 0);
    CHECK_INT(r.iterations, 1);
    CHECK_INT(r.n_samples, 14);
    pr_result_release(&r);
}

/* min_samples lowers the floor of samples kept once the budget is spent,
 * as a round of a run over several processes asks: 30 ms samples, a 40 ms
 * budget, at least 2: 2 samples, not 10. */
static void test_min_samples(void)
{
    pr_timing_options opt;
    pr_result r = {0};
    reset(30000000);
    pr_timing_options_init(&opt);
    opt.min_time_s = 0.04;
    opt.min_samples = 2;
    CHECK_INT(measure(body_fixed, &opt, 20, &r), 0);
    CHECK_INT(r.n_samples, 2);
    pr_result_release(&r);
}

static void test_fixed_iterations_skip_calibration(void)
{
    pr_timing_options opt;
    pr_result r = {0};
    reset(10);
    pr_timing_options_init(&opt);
    opt.iterations = 7;
    opt.warmup_s = 0;
    opt.samples = 12;
    CHECK_INT(measure(body_fixed, &opt, 20, &r), 0);
    CHECK_INT(r.iterations, 7);
    CHECK_INT(r.n_samples, 12);
    CHECK_INT(calls, 12); /* no warm-up call, no calibration call */
    pr_result_release(&r);
}

static void test_warmup_samples_are_dropped(void)
{
    pr_timing_options opt;
    pr_result r = {0};
    reset(10);
    cold_calls = 3; /* the first three calls are 100x slower */
    pr_timing_options_init(&opt);
    opt.iterations = 1000;
    opt.samples = 20;
    CHECK_INT(measure(body_fixed, &opt, 20, &r), 0);
    CHECK_NEAR(r.stats.max_ns, 10.0, 0);
    /* warm-up ran calls until 50 ms passed: 3 cold calls of 1 ms and then
     * 10 us calls, then 20 samples */
    CHECK(calls > 20 + 3);
    pr_result_release(&r);
}

static void body_skip(perfreg_state *state)
{
    perfreg_skip(state, "no device");
    PERFREG_LOOP(state) {
        fake_now_ns += 10;
    }
}

static void body_no_loop(perfreg_state *state)
{
    (void)state;
}

static void body_break(perfreg_state *state)
{
    PERFREG_LOOP(state) {
        break;
    }
}

static void body_two_loops(perfreg_state *state)
{
    PERFREG_LOOP(state) {
        fake_now_ns += 10;
    }
    PERFREG_LOOP(state) {
        fake_now_ns += 10;
    }
}

static void body_skip_later(perfreg_state *state)
{
    calls++;
    if (calls == 5)
        perfreg_skip(state, "ran out of input");
    PERFREG_LOOP(state) {
        fake_now_ns += 10;
    }
}

static void check_fails(perfreg_bench_fn fn, const char *reason)
{
    pr_timing_options opt;
    pr_result r = {0};
    reset(10);
    pr_timing_options_init(&opt);
    CHECK_INT(measure(fn, &opt, 20, &r), 0);
    CHECK_INT(r.status, PR_STATUS_FAILED);
    CHECK_CONTAINS(r.error, reason);
    CHECK_INT(r.n_samples, 0);
    pr_result_release(&r);
}

static void test_failures(void)
{
    check_fails(body_skip, "no device");
    check_fails(body_skip_later, "ran out of input");
    check_fails(body_no_loop, "never ran PERFREG_LOOP");
    check_fails(body_break, "left early");
    check_fails(body_two_loops, "more than once");
}

static void body_bytes(perfreg_state *state)
{
    perfreg_bytes_per_iteration(state, 1000);
    perfreg_items_per_iteration(state, 4);
    PERFREG_LOOP(state) {
        fake_now_ns += 10;
    }
}

static void test_throughput(void)
{
    pr_timing_options opt;
    pr_result r = {0};
    reset(10);
    pr_timing_options_init(&opt);
    opt.iterations = 100;
    opt.samples = 10;
    CHECK_INT(measure(body_bytes, &opt, 20, &r), 0);
    CHECK_NEAR(r.bytes_per_iteration, 1000, 0);
    CHECK_NEAR(r.bytes_per_second, 1e11, 1); /* 1000 B per 10 ns */
    CHECK_NEAR(r.items_per_second, 4e8, 1e-3);
    pr_result_release(&r);
}

static void body_invisible(perfreg_state *state)
{
    PERFREG_LOOP(state) {
    }
}

static void test_invisible_body_stops_growing(void)
{
    pr_timing_options opt;
    pr_result r = {0};
    reset(0);
    pr_timing_options_init(&opt);
    opt.samples = 10;
    opt.warmup_s = 0;
    opt.min_time_s = 0;
    opt.max_iterations = 100000;
    /* the fake clock never moves: calibration must stop at the cap rather
     * than grow for ever */
    CHECK_INT(measure(body_invisible, &opt, 20, &r), 0);
    CHECK_INT(r.iterations, 100000);
    CHECK_INT(r.status, PR_STATUS_OK);
    pr_result_release(&r);
}

static void test_probe(void)
{
    pr_clock_info ci;
    reset(0);
    fake_read_cost_ns = 50;
    CHECK_INT(pr_clock_probe(&fake_clock, &ci), 0);
    CHECK_NEAR(ci.cost_ns, 50, 1e-9);
    CHECK_NEAR(ci.step_ns, 50, 1e-9);
    CHECK_NEAR(ci.resolution_ns, 0, 0);
}

static void test_probe_real_clock(void)
{
    pr_clock_info ci;
    CHECK_INT(pr_clock_probe(pr_clock_monotonic(), &ci), 0);
    CHECK(ci.cost_ns > 0);
    CHECK(ci.step_ns > 0);
    CHECK(ci.resolution_ns > 0);
}

int main(void)
{
    RUN_TEST(test_sample_target);
    RUN_TEST(test_calibrates_fast_benchmark);
    RUN_TEST(test_clock_read_twice_per_sample);
    RUN_TEST(test_read_cost_is_inside_the_sample);
    RUN_TEST(test_slow_benchmark_gets_ten_samples);
    RUN_TEST(test_budget_ends_sampling);
    RUN_TEST(test_min_samples);
    RUN_TEST(test_fixed_iterations_skip_calibration);
    RUN_TEST(test_warmup_samples_are_dropped);
    RUN_TEST(test_failures);
    RUN_TEST(test_throughput);
    RUN_TEST(test_invisible_body_stops_growing);
    RUN_TEST(test_probe);
    RUN_TEST(test_probe_real_clock);
    return CHECK_DONE();
}
