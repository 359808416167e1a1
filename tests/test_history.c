/*
 * test_history.c - the history engine: the step rule on constructed series
 * (a clean step, an outlier, a drift, noise, steps close together), and
 * pr_history_build on runs made in memory: absent and failed points, the
 * change from point to point, the machine filter, --last, patterns, the
 * baseline, the ops statistic and results without samples (as git notes
 * give them). Noise comes from a fixed-seed generator, so every series is
 * the same on every machine.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "error.h"
#include "history.h"
#include "run.h"
#include "stats.h"
#include "strbuf.h"
#include "threshold.h"
#include "banned.h"

#define MAX_POINTS 64

/* ---- the step rule ------------------------------------------------------ */

static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
    rng_state = seed;
}

/* uniform in [-1, 1) */
static double rng_unit(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) / 9007199254740992.0 * 2 - 1;
}

typedef struct steps {
    int step[MAX_POINTS];
    double change[MAX_POINTS];
    size_t n_marked;
    size_t first; /* the first marked index, or MAX_POINTS */
} steps;

static steps find(const double *values, size_t n, double threshold)
{
    steps s;
    size_t i;

    memset(&s, 0, sizeof s);
    s.first = MAX_POINTS;
    pr_history_find_steps(values, n, threshold, s.step, s.change);
    for (i = 0; i < n; i++) {
        if (!s.step[i]) {
            CHECK(s.change[i] == 0);
            continue;
        }
        if (s.first == MAX_POINTS)
            s.first = i;
        s.n_marked++;
    }
    return s;
}

static void test_step_clean_at_fourth_of_five(void)
{
    const double v[] = {100, 100, 100, 130, 130};
    steps s = find(v, 5, 0.10);

    CHECK_INT(s.n_marked, 1);
    CHECK_INT(s.step[3], 1);
    CHECK_NEAR(s.change[3], 0.30, 1e-12);

    /* the same with a little noise: before 3 points, after 2 */
    {
        const double w[] = {1000, 1010, 990, 1300, 1310};
        s = find(w, 5, 0.10);
        CHECK_INT(s.n_marked, 1);
        CHECK_INT(s.step[3], 1);
        CHECK_NEAR(s.change[3], 0.305, 1e-12);
    }
}

static void test_step_single_outlier(void)
{
    double v[10];
    size_t at, i;

    /* one run 50% high in a flat series with +-1% noise, wherever it is */
    for (at = 0; at < 10; at++) {
        rng_seed(42 + at);
        for (i = 0; i < 10; i++)
            v[i] = 100 * (1 + 0.01 * rng_unit());
        v[at] *= 1.5;
        CHECK_INT(find(v, 10, 0.10).n_marked, 0);
    }
}

static void test_step_slow_drift(void)
{
    double v[20];
    size_t i;

    /* +2% per run over 20 runs: 46% in all, more than 10% every 5 runs */
    for (i = 0; i < 20; i++)
        v[i] = 100 * pow(1.02, (double)i);
    CHECK_INT(find(v, 20, 0.10).n_marked, 0);
    rng_seed(7);
    for (i = 0; i < 20; i++)
        v[i] = 100 * pow(1.02, (double)i) * (1 + 0.01 * rng_unit());
    CHECK_INT(find(v, 20, 0.10).n_marked, 0);
    /* a steeper drift too: +5% per run */
    for (i = 0; i < 20; i++)
        v[i] = 100 * pow(1.05, (double)i);
    CHECK_INT(find(v, 20, 0.10).n_marked, 0);
}

static void test_step_pure_noise(void)
{
    double v[30];
    uint64_t seed;
    size_t i;

    for (seed = 1; seed <= 5; seed++) {
        rng_seed(seed);
        for (i = 0; i < 30; i++)
            v[i] = 100 * (1 + 0.05 * rng_unit());
        CHECK_INT(find(v, 30, 0.10).n_marked, 0);
    }
}

static void test_step_noisy_middle(void)
{
    double v[20];
    uint64_t seed;
    size_t i;

    for (seed = 1; seed <= 5; seed++) {
        steps s;
        rng_seed(seed * 1000);
        for (i = 0; i < 20; i++)
            v[i] = (i < 10 ? 100 : 130) * (1 + 0.01 * rng_unit());
        s = find(v, 20, 0.10);
        CHECK_INT(s.n_marked, 1);
        CHECK_INT(s.first, 10);
        CHECK_NEAR(s.change[10], 0.30, 0.03);
    }
}

static void test_step_down(void)
{
    const double v[] = {100, 101, 99, 100, 100, 70, 71, 70, 69, 70};
    steps s = find(v, 10, 0.10);

    CHECK_INT(s.n_marked, 1);
    CHECK_INT(s.step[5], 1);
    CHECK_NEAR(s.change[5], -0.30, 1e-12);
}

static void test_step_below_threshold(void)
{
    const double v[] = {100, 100, 100, 100, 100, 105, 105, 105, 105, 105};

    CHECK_INT(find(v, 10, 0.10).n_marked, 0);
    /* the threshold is what keeps it out */
    CHECK_INT(find(v, 10, 0.04).step[5], 1);
    /* more than the threshold, not equal to it */
    CHECK_INT(find(v, 10, 0.05).n_marked, 0);
}

static void test_step_absent_skipped(void)
{
    const double v[] = {100, NAN, 100, 100, NAN, 130, NAN, 130, NAN};
    steps s = find(v, 9, 0.10);

    CHECK_INT(s.n_marked, 1);
    CHECK_INT(s.step[5], 1);
    CHECK_NEAR(s.change[5], 0.30, 1e-12);

    /* three present points cannot hold two on each side */
    {
        const double w[] = {NAN, 100, NAN, 130, 130, NAN};
        CHECK_INT(find(w, 6, 0.10).n_marked, 0);
    }
    {
        const double w[] = {NAN, NAN, NAN};
        CHECK_INT(find(w, 3, 0.10).n_marked, 0);
    }
    CHECK_INT(find(v, 0, 0.10).n_marked, 0);
}

/* A window stops at another step, so steps a few runs apart are each seen. */
static void test_step_close_together(void)
{
    /* two rises three runs apart */
    {
        const double v[] = {100, 100, 100, 130, 130, 130, 160, 160, 160};
        steps s = find(v, 9, 0.10);
        CHECK_INT(s.n_marked, 2);
        CHECK_INT(s.step[3], 1);
        CHECK_INT(s.step[6], 1);
        CHECK_NEAR(s.change[3], 0.30, 1e-12);
        CHECK_NEAR(s.change[6], 30.0 / 130, 1e-12);
    }
    /* two rises two runs apart */
    {
        const double v[] = {100, 100, 100, 130, 130, 160, 160, 160};
        steps s = find(v, 8, 0.10);
        CHECK_INT(s.n_marked, 2);
        CHECK_INT(s.step[3], 1);
        CHECK_INT(s.step[5], 1);
    }
    /* a regression fixed three runs later: both ends are marked */
    {
        const double v[] = {100, 101, 99, 100, 100, 130, 131, 130, 100, 99, 100, 101, 100};
        steps s = find(v, 13, 0.10);
        CHECK_INT(s.n_marked, 2);
        CHECK_INT(s.step[5], 1);
        CHECK_INT(s.step[8], 1);
        CHECK(s.change[5] > 0.25);
        CHECK(s.change[8] < -0.20);
    }
}

static void test_step_one_mark_per_move(void)
{
    /* a run halfway between the levels: the step starts there */
    {
        const double v[] = {100, 100, 100, 100, 120, 135, 135, 135, 135};
        steps s = find(v, 9, 0.10);
        CHECK_INT(s.n_marked, 1);
        CHECK_INT(s.step[4], 1);
        CHECK_NEAR(s.change[4], 0.35, 1e-12);
    }
    /* a rise over three runs: the candidates at 2, 3 and 4 are one step,
     * marked where the level moves most */
    {
        const double v[] = {100, 100, 130, 140, 170, 170};
        steps s = find(v, 6, 0.10);
        CHECK_INT(s.n_marked, 1);
        CHECK_INT(s.step[3], 1);
        CHECK_NEAR(s.change[3], 0.70, 1e-12);
    }
}

/* ---- building the history ------------------------------------------------ */

static void set_machine(pr_run *run, const char *cpu)
{
    run->context.cpu_model = pr_strdup(cpu);
    run->context.logical_cores = 2;
    run->context.os = pr_strdup("Linux");
    run->context.arch = pr_strdup("x86_64");
    run->context.compiler = pr_strdup("gcc 12.2.0");
    run->context.build_type = pr_strdup("Release");
    run->context.host = pr_strdup("ci-runner");
}

/* Five samples at CENTER -2%, -1%, 0, +1%, +2%: median and mean CENTER,
 * q1 0.99 CENTER, q3 1.01 CENTER. */
static pr_result *add_bench(pr_run *run, const char *name, double center_ns)
{
    static const double spread[] = {0.98, 0.99, 1.00, 1.01, 1.02};
    pr_result *r = NULL;
    size_t i;

    CHECK_INT(pr_run_add_result(run, &r), 0);
    if (!r)
        return NULL;
    r->name = pr_strdup(name);
    r->status = PR_STATUS_OK;
    r->iterations = 1;
    r->samples_ns = malloc(5 * sizeof *r->samples_ns);
    if (!r->samples_ns)
        return r;
    for (i = 0; i < 5; i++)
        r->samples_ns[i] = center_ns * spread[i];
    r->n_samples = 5;
    CHECK_INT(pr_stats_compute(&r->stats, r->samples_ns, r->n_samples), 0);
    return r;
}

static void add_failed(pr_run *run, const char *name)
{
    pr_result *r = NULL;

    CHECK_INT(pr_run_add_result(run, &r), 0);
    if (!r)
        return;
    r->name = pr_strdup(name);
    r->status = PR_STATUS_FAILED;
    r->error = pr_strdup("exited with status 1");
}

/* A result as read from a git note without samples: stats, n_samples 0. */
static void add_summary(pr_run *run, const char *name, double center_ns)
{
    pr_result *r = add_bench(run, name, center_ns);

    if (!r)
        return;
    free(r->samples_ns);
    r->samples_ns = NULL;
    r->n_samples = 0;
}

typedef struct input {
    pr_run *runs;
    char **sources;
    size_t n;
} input;

static input make_runs(size_t n)
{
    input in = {NULL, NULL, n};
    char buf[64];
    size_t i;

    in.runs = calloc(n, sizeof *in.runs);
    in.sources = calloc(n, sizeof *in.sources);
    CHECK(in.runs && in.sources);
    if (!in.runs || !in.sources)
        exit(1);
    for (i = 0; i < n; i++) {
        pr_run_init(&in.runs[i]);
        in.runs[i].suite = pr_strdup("demo");
        set_machine(&in.runs[i], "AMD EPYC");
        snprintf(buf, sizeof buf, "c%06zu", i);
        in.runs[i].git.short_commit = pr_strdup(buf);
        snprintf(buf, sizeof buf, "runs/demo/%zu.json", i);
        in.sources[i] = pr_strdup(buf);
    }
    return in;
}

/*
 * Five runs of one machine:
 *   parse/small  1000 1010  990 1300 1310   a 30% step at run 4 (index 3)
 *   hash/crc      200 fail  200  204  200   failed in run 2
 *   parse/large     -    - 5000 5100 5050   only in the last three
 */
static input five_runs(void)
{
    static const double small[] = {1000, 1010, 990, 1300, 1310};
    static const double crc[] = {200, 0, 200, 204, 200};
    static const double large[] = {0, 0, 5000, 5100, 5050};
    input in = make_runs(5);
    size_t i;

    for (i = 0; i < 5; i++) {
        add_bench(&in.runs[i], "parse/small", small[i]);
        if (i == 1)
            add_failed(&in.runs[i], "hash/crc");
        else
            add_bench(&in.runs[i], "hash/crc", crc[i]);
        if (large[i] > 0)
            add_bench(&in.runs[i], "parse/large", large[i]);
    }
    return in;
}

static int build(pr_history *h, input in, const pr_history_options *opt)
{
    return pr_history_build(h, in.runs, in.sources, in.n, opt);
}

static const pr_history_series *series_named(const pr_history *h, const char *name)
{
    size_t i;
    for (i = 0; i < h->n_series; i++)
        if (strcmp(h->series[i].name, name) == 0)
            return &h->series[i];
    return NULL;
}

static void test_options_init(void)
{
    pr_history_options opt;

    memset(&opt, 0xff, sizeof opt);
    pr_history_options_init(&opt);
    CHECK_INT(opt.stat, PR_METRIC_MEDIAN);
    CHECK_INT(opt.last, 20);
    CHECK_INT(opt.all_machines, 0);
    CHECK_NEAR(opt.step_threshold, 0.10, 0);
    CHECK(opt.patterns == NULL);
    CHECK_INT(opt.n_patterns, 0);
    CHECK(opt.baseline == NULL);
}

static void test_build_five_runs(void)
{
    pr_history_options opt;
    pr_history h;
    const pr_history_series *s;
    size_t i;

    pr_history_options_init(&opt);
    CHECK_INT(build(&h, five_runs(), &opt), 0);
    CHECK_INT(h.n_runs, 5);
    CHECK_INT(h.n_other_machine, 0);
    CHECK_INT(h.all_machines, 0);
    CHECK_INT(h.stat, PR_METRIC_MEDIAN);
    CHECK_NEAR(h.step_threshold, 0.10, 0);
    CHECK(h.baseline == NULL);
    CHECK_STR(h.machine, "AMD EPYC, 2 cores, Linux x86_64, gcc 12.2.0, Release");
    CHECK_STR(h.sources[0], "runs/demo/0.json");
    CHECK_STR(h.sources[4], "runs/demo/4.json");
    CHECK_STR(h.runs[4].git.short_commit, "c000004");

    /* in order of first appearance */
    CHECK_INT(h.n_series, 3);
    if (h.n_series != 3)
        goto done;
    CHECK_STR(h.series[0].name, "parse/small");
    CHECK_STR(h.series[1].name, "hash/crc");
    CHECK_STR(h.series[2].name, "parse/large");
    for (i = 0; i < 3; i++) {
        CHECK_INT(h.series[i].n_points, 5);
        CHECK_INT(h.series[i].has_baseline, 0);
        CHECK_INT(h.series[i].has_baseline_change, 0);
    }

    s = &h.series[0];
    for (i = 0; i < 5; i++) {
        CHECK_INT(s->points[i].run, i);
        CHECK_INT(s->points[i].present, 1);
        CHECK_INT(s->points[i].step, i == 3);
    }
    CHECK_NEAR(s->points[0].value, 1000, 1e-9);
    CHECK_NEAR(s->points[0].q1, 990, 1e-9);
    CHECK_NEAR(s->points[0].q3, 1010, 1e-9);
    CHECK_NEAR(s->points[4].value, 1310, 1e-9);
    CHECK_INT(s->points[0].has_change, 0);
    CHECK_INT(s->points[1].has_change, 1);
    CHECK_NEAR(s->points[1].change, 0.01, 1e-12);
    CHECK_NEAR(s->points[3].change, 1300.0 / 990 - 1, 1e-12);
    CHECK_NEAR(s->points[3].step_change, 0.305, 1e-12);
    CHECK_NEAR(s->points[4].step_change, 0, 0);

    /* failed in run 2: absent, and run 3 changes against run 1 */
    s = &h.series[1];
    CHECK_INT(s->points[0].present, 1);
    CHECK_INT(s->points[1].present, 0);
    CHECK_INT(s->points[1].has_change, 0);
    CHECK_INT(s->points[2].present, 1);
    CHECK_INT(s->points[2].has_change, 1);
    CHECK_NEAR(s->points[2].change, 0, 1e-12);
    CHECK_NEAR(s->points[3].change, 0.02, 1e-12);
    for (i = 0; i < 5; i++)
        CHECK_INT(s->points[i].step, 0);

    /* only in the last three: the first two points are absent */
    s = &h.series[2];
    CHECK_INT(s->points[0].present, 0);
    CHECK_INT(s->points[1].present, 0);
    CHECK_INT(s->points[2].present, 1);
    CHECK_INT(s->points[2].has_change, 0);
    CHECK_NEAR(s->points[3].change, 0.02, 1e-12);
    CHECK_NEAR(s->points[4].change, 5050.0 / 5100 - 1, 1e-12);

done:
    pr_history_release(&h);
}

static void test_build_last(void)
{
    pr_history_options opt;
    pr_history h;
    const pr_history_series *s;

    pr_history_options_init(&opt);
    opt.last = 3;
    CHECK_INT(build(&h, five_runs(), &opt), 0);
    CHECK_INT(h.n_runs, 3);
    CHECK_STR(h.sources[0], "runs/demo/2.json");
    CHECK_STR(h.sources[2], "runs/demo/4.json");
    CHECK_STR(h.runs[0].git.short_commit, "c000002");
    CHECK_INT(h.n_series, 3);
    s = series_named(&h, "parse/small");
    CHECK(s != NULL);
    if (s) {
        CHECK_INT(s->n_points, 3);
        CHECK_NEAR(s->points[0].value, 990, 1e-9);
        CHECK_INT(s->points[0].has_change, 0);
        /* one point before the step is not enough to call it one */
        CHECK_INT(s->points[1].step, 0);
    }
    s = series_named(&h, "parse/large");
    CHECK(s && s->points[0].present && s->points[2].present);
    pr_history_release(&h);

    /* 0: all of them */
    opt.last = 0;
    CHECK_INT(build(&h, five_runs(), &opt), 0);
    CHECK_INT(h.n_runs, 5);
    pr_history_release(&h);

    /* more than there are */
    opt.last = 50;
    CHECK_INT(build(&h, five_runs(), &opt), 0);
    CHECK_INT(h.n_runs, 5);
    pr_history_release(&h);
}

/* Six runs, run 2 (index 1) from another CPU model. */
static input six_runs_one_foreign(size_t foreign)
{
    input in = make_runs(6);
    size_t i;

    free(in.runs[foreign].context.cpu_model);
    in.runs[foreign].context.cpu_model = pr_strdup("Intel Xeon");
    for (i = 0; i < 6; i++)
        add_bench(&in.runs[i], "parse/small", 1000 + (double)i);
    /* a volatile figure that does not count */
    free(in.runs[5].context.host);
    in.runs[5].context.host = pr_strdup("another-runner");
    return in;
}

static void test_build_machine(void)
{
    pr_history_options opt;
    pr_history h;

    pr_history_options_init(&opt);
    CHECK_INT(build(&h, six_runs_one_foreign(1), &opt), 0);
    CHECK_INT(h.n_runs, 5);
    CHECK_INT(h.n_other_machine, 1);
    CHECK_STR(h.machine, "AMD EPYC, 2 cores, Linux x86_64, gcc 12.2.0, Release");
    CHECK_STR(h.sources[0], "runs/demo/0.json");
    CHECK_STR(h.sources[1], "runs/demo/2.json");
    CHECK_STR(h.sources[4], "runs/demo/5.json");
    CHECK_STR(h.runs[1].context.cpu_model, "AMD EPYC");
    CHECK_INT(h.series[0].n_points, 5);
    CHECK_NEAR(h.series[0].points[1].value, 1002, 1e-9);
    pr_history_release(&h);

    /* --all-machines mixes them and keeps no fingerprint */
    opt.all_machines = 1;
    CHECK_INT(build(&h, six_runs_one_foreign(1), &opt), 0);
    CHECK_INT(h.n_runs, 6);
    CHECK_INT(h.n_other_machine, 0);
    CHECK_INT(h.all_machines, 1);
    CHECK(h.machine == NULL);
    CHECK_STR(h.runs[1].context.cpu_model, "Intel Xeon");
    pr_history_release(&h);

    /* the newest run's machine decides */
    opt.all_machines = 0;
    CHECK_INT(build(&h, six_runs_one_foreign(5), &opt), 0);
    CHECK_INT(h.n_runs, 1);
    CHECK_INT(h.n_other_machine, 5);
    CHECK_STR(h.machine, "Intel Xeon, 2 cores, Linux x86_64, gcc 12.2.0, Release");
    CHECK_STR(h.sources[0], "runs/demo/5.json");
    pr_history_release(&h);

    /* the machine first, then the last N of what is left */
    opt.last = 3;
    CHECK_INT(build(&h, six_runs_one_foreign(4), &opt), 0);
    CHECK_INT(h.n_runs, 3);
    CHECK_INT(h.n_other_machine, 1);
    CHECK_STR(h.sources[0], "runs/demo/2.json");
    CHECK_STR(h.sources[1], "runs/demo/3.json");
    CHECK_STR(h.sources[2], "runs/demo/5.json");
    pr_history_release(&h);
}

static void test_build_machine_unknown(void)
{
    input in = make_runs(2);
    pr_history h;
    size_t i;

    for (i = 0; i < 2; i++) {
        pr_run_release(&in.runs[i]);
        add_bench(&in.runs[i], "x", 10);
    }
    CHECK_INT(build(&h, in, NULL), 0);
    CHECK_INT(h.n_runs, 2);
    CHECK_STR(h.machine, "unknown, unknown cores, unknown unknown, unknown, unknown");
    pr_history_release(&h);
}

static void test_build_patterns(void)
{
    const char *small_large[] = {"parse/*"};
    const char *bad[] = {"hash/crc", "nope*"};
    const char *two[] = {"parse/large", "hash/*"};
    pr_history_options opt;
    pr_history h, zero;

    pr_history_options_init(&opt);
    opt.patterns = small_large;
    opt.n_patterns = 1;
    CHECK_INT(build(&h, five_runs(), &opt), 0);
    CHECK_INT(h.n_series, 2);
    if (h.n_series == 2) {
        CHECK_STR(h.series[0].name, "parse/small");
        CHECK_STR(h.series[1].name, "parse/large");
        CHECK_INT(h.series[1].n_points, 5);
        CHECK_INT(h.series[1].points[0].present, 0);
        CHECK_INT(h.series[1].points[4].present, 1);
    }
    CHECK_INT(h.n_runs, 5);
    pr_history_release(&h);

    /* several patterns: order of first appearance, not of the patterns */
    opt.patterns = two;
    opt.n_patterns = 2;
    CHECK_INT(build(&h, five_runs(), &opt), 0);
    CHECK_INT(h.n_series, 2);
    if (h.n_series == 2) {
        CHECK_STR(h.series[0].name, "hash/crc");
        CHECK_STR(h.series[1].name, "parse/large");
    }
    pr_history_release(&h);

    /* a pattern that matches nothing is a usage error; the runs are freed */
    opt.patterns = bad;
    opt.n_patterns = 2;
    CHECK_INT(build(&h, five_runs(), &opt), PR_EUSAGE);
    CHECK_STR(pr_error_last(), "'nope*' matches no benchmark in the history");
    memset(&zero, 0, sizeof zero);
    CHECK(memcmp(&h, &zero, sizeof h) == 0);
    pr_history_release(&h);

    /* a benchmark only in runs that --last leaves out does not count */
    {
        const char *old[] = {"old/*"};
        input in = five_runs();
        add_bench(&in.runs[0], "old/gone", 10);
        opt.patterns = old;
        opt.n_patterns = 1;
        opt.last = 3;
        CHECK_INT(build(&h, in, &opt), PR_EUSAGE);
        CHECK_STR(pr_error_last(), "'old/*' matches no benchmark in the history");
        pr_history_release(&h);
    }
}

static void test_build_baseline(void)
{
    pr_history_options opt;
    pr_history h;
    pr_run baseline;
    input in = five_runs();
    const pr_history_series *s;
    size_t i;

    /* failed everywhere but measured in the baseline */
    for (i = 0; i < 5; i++)
        add_failed(&in.runs[i], "always/failing");

    pr_run_init(&baseline);
    add_bench(&baseline, "parse/small", 1000);
    add_bench(&baseline, "hash/crc", 250);
    add_failed(&baseline, "parse/large");
    add_summary(&baseline, "always/failing", 40);

    pr_history_options_init(&opt);
    opt.baseline = &baseline;
    CHECK_INT(build(&h, in, &opt), 0);
    CHECK(h.baseline == &baseline);

    s = series_named(&h, "parse/small");
    CHECK(s && s->has_baseline && s->has_baseline_change);
    if (s) {
        CHECK_NEAR(s->baseline_value, 1000, 1e-9);
        CHECK_NEAR(s->baseline_change, 0.31, 1e-12);
    }
    /* the newest present point is run 5 */
    s = series_named(&h, "hash/crc");
    CHECK(s && s->has_baseline && s->has_baseline_change);
    if (s)
        CHECK_NEAR(s->baseline_change, -0.20, 1e-12);
    /* failed in the baseline: no reference */
    s = series_named(&h, "parse/large");
    CHECK(s && !s->has_baseline && !s->has_baseline_change);
    /* a reference, but nothing to compare with it */
    s = series_named(&h, "always/failing");
    CHECK(s && s->has_baseline && !s->has_baseline_change);
    if (s) {
        CHECK_NEAR(s->baseline_value, 40, 1e-9);
        for (i = 0; i < s->n_points; i++)
            CHECK_INT(s->points[i].present, 0);
    }
    pr_history_release(&h);
    pr_run_release(&baseline);
}

static void test_build_ops(void)
{
    pr_history_options opt;
    pr_history h;
    const pr_history_series *s;

    pr_history_options_init(&opt);
    opt.stat = PR_METRIC_OPS;
    CHECK_INT(build(&h, five_runs(), &opt), 0);
    CHECK_INT(h.stat, PR_METRIC_OPS);
    s = series_named(&h, "parse/small");
    CHECK(s != NULL);
    if (s) {
        CHECK_NEAR(s->points[0].value, 1e6, 1e-3);
        CHECK_NEAR(s->points[0].q1, 1e9 / 1010, 1e-6);
        CHECK_NEAR(s->points[0].q3, 1e9 / 990, 1e-6);
        CHECK(s->points[0].q1 < s->points[0].value && s->points[0].value < s->points[0].q3);
        CHECK_NEAR(s->points[1].change, 1000.0 / 1010 - 1, 1e-12);
        /* slower is a drop in operations per second */
        CHECK_INT(s->points[3].step, 1);
        CHECK(s->points[3].step_change < -0.20);
    }
    pr_history_release(&h);

    /* a spread statistic has no band of its own */
    opt.stat = PR_METRIC_STDDEV;
    CHECK_INT(build(&h, five_runs(), &opt), 0);
    s = series_named(&h, "parse/small");
    CHECK(s != NULL);
    if (s) {
        CHECK(s->points[0].value > 0);
        CHECK_NEAR(s->points[0].q1, s->points[0].value, 0);
        CHECK_NEAR(s->points[0].q3, s->points[0].value, 0);
    }
    pr_history_release(&h);
}

/*
 * memory and allocs through the result-level accessor: a point is present
 * where the run has the figure (a run without isolation has no memory: a
 * gap, not a zero), q1 = q3 = value, steps and the baseline as for a time.
 *   memory   64 MiB, 64 MiB, none, 64 MiB, 96 MiB, 96 MiB   (a step of +50%)
 *   allocs   0, 0, 0, 2, 2, 2                               (from 0: no change)
 */
static void test_build_memory_and_allocs(void)
{
    static const double memory_mib[] = {64, 64, -1, 64, 96, 96};
    static const double allocs[] = {0, 0, 0, 2, 2, 2};
    input in = make_runs(6);
    pr_history_options opt;
    pr_history h;
    pr_run baseline;
    pr_result *r;
    const pr_history_series *s;
    size_t i;

    for (i = 0; i < 6; i++) {
        r = add_bench(&in.runs[i], "alloc/buffer", 1000);
        if (!r)
            continue;
        if (memory_mib[i] >= 0) {
            r->has_memory = 1;
            r->baseline_rss_bytes = 4 << 20;
            r->memory_bytes = (uint64_t)(memory_mib[i] * 1048576);
            r->peak_rss_bytes = r->baseline_rss_bytes + r->memory_bytes;
        }
        r->has_allocs = 1;
        r->allocs_per_iteration = allocs[i];
        r->alloc_bytes_per_iteration = allocs[i] * 32;
    }
    /* a failed result keeps no point even with figures */
    r = NULL;
    CHECK_INT(pr_run_add_result(&in.runs[5], &r), 0);
    if (r) {
        r->name = pr_strdup("broken");
        r->status = PR_STATUS_FAILED;
        r->has_memory = 1;
        r->peak_rss_bytes = r->memory_bytes = 1000;
    }
    pr_run_init(&baseline);
    r = add_bench(&baseline, "alloc/buffer", 1000);
    if (r) {
        r->has_memory = 1;
        r->peak_rss_bytes = r->memory_bytes = 80 << 20;
    }

    pr_history_options_init(&opt);
    opt.stat = PR_METRIC_MEMORY;
    opt.baseline = &baseline;
    CHECK_INT(build(&h, in, &opt), 0);
    CHECK_INT(h.stat, PR_METRIC_MEMORY);
    s = series_named(&h, "alloc/buffer");
    CHECK(s != NULL);
    if (s) {
        CHECK_INT(s->points[0].present, 1);
        CHECK_NEAR(s->points[0].value, 64 * 1048576.0, 0);
        CHECK_NEAR(s->points[0].q1, s->points[0].value, 0);
        CHECK_NEAR(s->points[0].q3, s->points[0].value, 0);
        CHECK_INT(s->points[2].present, 0);
        /* against the last run that had it */
        CHECK_INT(s->points[3].has_change, 1);
        CHECK_NEAR(s->points[3].change, 0, 0);
        CHECK_NEAR(s->points[4].change, 0.5, 1e-12);
        CHECK_INT(s->points[4].step, 1);
        CHECK_NEAR(s->points[4].step_change, 0.5, 1e-12);
        CHECK(s->has_baseline && s->has_baseline_change);
        CHECK_NEAR(s->baseline_value, 80 * 1048576.0, 0);
        CHECK_NEAR(s->baseline_change, 0.2, 1e-12);
    }
    s = series_named(&h, "broken");
    CHECK(s && !s->points[5].present);
    pr_history_release(&h);
    pr_run_release(&baseline);

    in = make_runs(6);
    for (i = 0; i < 6; i++) {
        r = add_bench(&in.runs[i], "alloc/buffer", 1000);
        if (r) {
            r->has_allocs = i != 1; /* not counted in run 2 */
            r->allocs_per_iteration = allocs[i];
        }
    }
    opt.stat = PR_METRIC_ALLOCS;
    opt.baseline = NULL;
    CHECK_INT(build(&h, in, &opt), 0);
    s = series_named(&h, "alloc/buffer");
    CHECK(s != NULL);
    if (s) {
        /* zero allocations are a figure: present, at 0 */
        CHECK_INT(s->points[0].present, 1);
        CHECK_NEAR(s->points[0].value, 0, 0);
        CHECK_INT(s->points[1].present, 0);
        /* no relative change from 0 */
        CHECK_INT(s->points[3].present, 1);
        CHECK_INT(s->points[3].has_change, 0);
        CHECK_NEAR(s->points[3].q1, 2, 0);
        CHECK_NEAR(s->points[3].q3, 2, 0);
        CHECK_INT(s->points[4].has_change, 1);
        CHECK_NEAR(s->points[4].change, 0, 0);
        /* a level of zero has no relative move: no step */
        for (i = 0; i < 6; i++)
            CHECK_INT(s->points[i].step, 0);
        CHECK(!s->has_baseline);
    }
    pr_history_release(&h);

    /* a history of time statistics ignores the figures */
    in = make_runs(1);
    r = add_bench(&in.runs[0], "x", 100);
    if (r) {
        r->has_memory = 1;
        r->peak_rss_bytes = r->memory_bytes = 4096;
    }
    opt.stat = PR_METRIC_MEDIAN;
    CHECK_INT(build(&h, in, &opt), 0);
    if (h.n_series == 1)
        CHECK_NEAR(h.series[0].points[0].value, 100, 1e-9);
    pr_history_release(&h);

    /* runs without the figure at all: every point absent */
    in = make_runs(2);
    add_bench(&in.runs[0], "x", 100);
    add_summary(&in.runs[1], "x", 100);
    opt.stat = PR_METRIC_MEMORY;
    CHECK_INT(build(&h, in, &opt), 0);
    CHECK_INT(h.n_series, 1);
    if (h.n_series == 1) {
        CHECK_INT(h.series[0].points[0].present, 0);
        CHECK_INT(h.series[0].points[1].present, 0);
    }
    pr_history_release(&h);
}

static void test_build_summaries(void)
{
    input in = make_runs(3);
    pr_history h;

    add_summary(&in.runs[0], "x", 100);
    add_bench(&in.runs[1], "x", 110);
    add_summary(&in.runs[2], "x", 121);
    CHECK_INT(build(&h, in, NULL), 0);
    CHECK_INT(h.n_series, 1);
    if (h.n_series == 1) {
        const pr_history_series *s = &h.series[0];
        /* present on stats alone; no samples, but the summary's quartiles
         * give the band (history.h) */
        CHECK_INT(s->points[0].present, 1);
        CHECK_NEAR(s->points[0].value, 100, 1e-9);
        CHECK_NEAR(s->points[0].q1, 99, 1e-9);
        CHECK_NEAR(s->points[0].q3, 101, 1e-9);
        CHECK_NEAR(s->points[1].q1, 108.9, 1e-9);
        CHECK_NEAR(s->points[1].change, 0.10, 1e-12);
        CHECK_INT(s->points[2].present, 1);
        CHECK_NEAR(s->points[2].change, 0.10, 1e-12);
    }
    pr_history_release(&h);
}

static void test_build_duplicate_names(void)
{
    input in = make_runs(1);
    pr_history h;

    /* as pr_run_find: the first result of a name counts */
    add_bench(&in.runs[0], "x", 100);
    add_failed(&in.runs[0], "x");
    CHECK_INT(build(&h, in, NULL), 0);
    CHECK_INT(h.n_series, 1);
    if (h.n_series == 1) {
        CHECK_INT(h.series[0].n_points, 1);
        CHECK_INT(h.series[0].points[0].present, 1);
    }
    pr_history_release(&h);
}

static void test_build_empty(void)
{
    const char *any[] = {"*"};
    pr_history_options opt;
    pr_history h;

    pr_history_options_init(&opt);
    CHECK_INT(pr_history_build(&h, NULL, NULL, 0, &opt), 0);
    CHECK_INT(h.n_runs, 0);
    CHECK_INT(h.n_series, 0);
    CHECK(h.machine == NULL);
    pr_history_release(&h);

    opt.patterns = any;
    opt.n_patterns = 1;
    CHECK_INT(pr_history_build(&h, NULL, NULL, 0, &opt), PR_EUSAGE);
    CHECK_STR(pr_error_last(), "'*' matches no benchmark in the history");
    pr_history_release(&h);

    /* runs with no results */
    opt.n_patterns = 0;
    CHECK_INT(build(&h, make_runs(2), &opt), 0);
    CHECK_INT(h.n_runs, 2);
    CHECK_INT(h.n_series, 0);
    pr_history_release(&h);
}

static void test_release(void)
{
    pr_history h, zero;

    pr_history_release(NULL);
    memset(&zero, 0, sizeof zero);
    CHECK_INT(build(&h, five_runs(), NULL), 0);
    pr_history_release(&h);
    CHECK(memcmp(&h, &zero, sizeof h) == 0);
    pr_history_release(&h);
}

int main(void)
{
    RUN_TEST(test_step_clean_at_fourth_of_five);
    RUN_TEST(test_step_single_outlier);
    RUN_TEST(test_step_slow_drift);
    RUN_TEST(test_step_pure_noise);
    RUN_TEST(test_step_noisy_middle);
    RUN_TEST(test_step_down);
    RUN_TEST(test_step_below_threshold);
    RUN_TEST(test_step_absent_skipped);
    RUN_TEST(test_step_close_together);
    RUN_TEST(test_step_one_mark_per_move);
    RUN_TEST(test_options_init);
    RUN_TEST(test_build_five_runs);
    RUN_TEST(test_build_last);
    RUN_TEST(test_build_machine);
    RUN_TEST(test_build_machine_unknown);
    RUN_TEST(test_build_patterns);
    RUN_TEST(test_build_baseline);
    RUN_TEST(test_build_ops);
    RUN_TEST(test_build_memory_and_allocs);
    RUN_TEST(test_build_summaries);
    RUN_TEST(test_build_duplicate_names);
    RUN_TEST(test_build_empty);
    RUN_TEST(test_release);
    return CHECK_DONE();
}
