/*
 * test_ab.c - the interleaved A/B engine against a fake worker and a fake
 * clock: when a benchmark stops (pass at the first look, fail from twice
 * the first rounds, inconclusive to the last round, the time budget), the
 * calibration handed from the candidate's first process to every later
 * one, the orders, failures in either build, errors and interruption.
 *
 * The fake worker is deterministic: a process's samples depend only on
 * (side, benchmark, round), never on the order of the calls. Each round has
 * a machine state (+/- 20%) that both builds' processes of a benchmark
 * share, as two processes started back to back mostly do; the candidate
 * takes 1 + slowdown times as long; each sample moves by +/- jitter. The
 * fake clock moves only when the worker runs a process, by a fixed step,
 * so the time budget is exact.
 */
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "check.h"
#include "compare.h"
#include "error.h"
#include "results.h"
#include "run.h"
#include "stats.h"
#include "strbuf.h"
#include "banned.h"

#define MAX_BENCH 4
#define MAX_CALLS 1024
#define SAMPLES 5       /* per process */
#define BASE_NS 100.0   /* the baseline's level before the machine state */
#define CAND_ITERS 1000 /* what the candidate's calibration finds */
#define BASE_ITERS 900  /* and the baseline's: not the same */
#define OUTLIER 1.4     /* a process that met the slow state of the machine */
#define NONE ((size_t)-1)
#define SECOND_NS INT64_C(1000000000)

typedef struct model {
    const char *name;
    double slowdown; /* the candidate takes 1 + this times as long */
    double jitter;   /* each sample within +/- this share of its process's level */
    /* the candidate's level also moves by exp(+spread w) in round 2k and
     * exp(-spread w) in round 2k + 1, w in [0, 1) drawn per k: a noise
     * symmetric about the slowdown at every even number of rounds */
    double spread;
    int outlier_side;     /* in OUTLIER_ROUND this side's process takes OUTLIER times as long */
    size_t outlier_round; /* NONE: no outlier */
    int fail_side;        /* the side whose process fails in FAIL_ROUND; -1: none */
    size_t fail_round;
} model;

typedef struct call {
    int side;
    size_t bench;
    size_t round; /* the how-many-th process of this side and benchmark */
    uint64_t iterations;
} call;

typedef struct fake {
    const model *models;
    size_t n;
    uint64_t seed; /* of the noise, not of the orders */
    int64_t now_ns;
    int64_t step_ns; /* the clock moves this much per process */
    size_t calls;
    call log[MAX_CALLS];
    size_t done[2][MAX_BENCH]; /* processes run per side and benchmark */
    size_t error_at;           /* the call (1-based) that returns ERROR_CODE; 0: none */
    int error_code;
    size_t stop_after; /* STOP is set during this call (1-based); 0: never */
    volatile sig_atomic_t stop;
} fake;

static int64_t fake_now(void *ctx)
{
    return ((const fake *)ctx)->now_ns;
}

static uint64_t mix(uint64_t z)
{
    z += UINT64_C(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

enum { NOISE_STATE = 1, NOISE_SPREAD, NOISE_SAMPLE };

/* Uniform in [-1, 1), a function of the seed and the five keys only. */
static double noise(const fake *f, unsigned tag, int side, size_t bench, size_t round, size_t k)
{
    uint64_t h = mix(f->seed);
    h = mix(h ^ tag);
    h = mix(h ^ (uint64_t)side);
    h = mix(h ^ (uint64_t)bench);
    h = mix(h ^ (uint64_t)round);
    h = mix(h ^ (uint64_t)k);
    return (double)(h >> 11) * 0x1p-52 - 1;
}

/* The level of SIDE's process of benchmark B in ROUND, in ns. */
static double level_ns(const fake *f, int side, size_t b, size_t round)
{
    const model *m = &f->models[b];
    double level = BASE_NS * (1 + 0.2 * noise(f, NOISE_STATE, 0, b, round, 0));

    if (side == PR_AB_CANDIDATE) {
        double w = (noise(f, NOISE_SPREAD, 0, b, round / 2, 0) + 1) / 2;
        level *= (1 + m->slowdown) * exp((round % 2 ? -1 : 1) * m->spread * w);
    }
    if (side == m->outlier_side && round == m->outlier_round)
        level *= OUTLIER;
    return level;
}

static int fake_measure(void *ctx, int side, const char *name, const pr_timing_options *t,
                        pr_result *out)
{
    fake *f = ctx;
    const model *m;
    size_t b, round, k;
    double level;

    f->now_ns += f->step_ns;
    f->calls++;
    for (b = 0; b < f->n && strcmp(f->models[b].name, name) != 0; b++)
        ;
    CHECK(b < f->n);
    CHECK(side == PR_AB_BASELINE || side == PR_AB_CANDIDATE);
    if (b >= f->n || (side != PR_AB_BASELINE && side != PR_AB_CANDIDATE))
        return pr_error_set(PR_EINVALID, "'%s': not in the fake suite", name);
    /* the engine hands over a zeroed result and names it itself */
    CHECK(out->name == NULL && out->samples_ns == NULL && out->n_samples == 0);
    m = &f->models[b];
    round = f->done[side][b]++;
    if (f->calls <= MAX_CALLS) {
        call *c = &f->log[f->calls - 1];
        c->side = side;
        c->bench = b;
        c->round = round;
        c->iterations = t->iterations;
    }
    if (f->stop_after && f->calls == f->stop_after)
        f->stop = 1;
    if (f->error_at && f->calls == f->error_at) {
        /* half-filled: the engine releases it all the same */
        out->samples_ns = calloc(SAMPLES, sizeof *out->samples_ns);
        return pr_error_set(f->error_code, "'%s': the worker is not a perfreg suite", name);
    }
    out->total_time_s = (double)f->step_ns / 1e9;
    if (side == m->fail_side && round == m->fail_round) {
        out->status = PR_STATUS_FAILED;
        out->error = pr_strdup(side == PR_AB_CANDIDATE ? "killed by signal 11" : "exit status 3");
        return out->error ? 0 : pr_error_set(PR_ENOMEM, "out of memory");
    }
    out->iterations = t->iterations             ? t->iterations
                      : side == PR_AB_CANDIDATE ? CAND_ITERS
                                                : BASE_ITERS;
    if (!(out->samples_ns = malloc(SAMPLES * sizeof *out->samples_ns)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    level = level_ns(f, side, b, round);
    for (k = 0; k < SAMPLES; k++)
        out->samples_ns[k] = level * (1 + m->jitter * noise(f, NOISE_SAMPLE, side, b, round, k));
    out->n_samples = SAMPLES;
    /* as the worker's results file is read: statistics from the samples */
    return pr_stats_compute(&out->stats, out->samples_ns, SAMPLES);
}

/* One comparison: the fake, its clock, the options, what came out. */
typedef struct ab {
    fake f;
    pr_clock clock;
    pr_ab_options opt;
    pr_run base, cand;
    pr_ab_summary sum;
    const char *names[MAX_BENCH];
} ab;

/* Defaults for the tests: 10 first rounds, looks every 5, up to 60, the
 * baseline first, 1 s per process and no time limit. */
static void ab_init(ab *a, const model *models, size_t n)
{
    size_t i;

    memset(a, 0, sizeof *a);
    a->f.models = models;
    a->f.n = n;
    a->f.seed = 42;
    a->f.now_ns = 1000 * SECOND_NS;
    a->f.step_ns = SECOND_NS;
    a->clock.name = "FAKE";
    a->clock.now_ns = fake_now;
    a->clock.ctx = &a->f;
    pr_ab_options_init(&a->opt);
    a->opt.rounds = 10;
    a->opt.max_rounds = 60;
    a->opt.batch = 5;
    a->opt.max_time_s = 0;
    a->opt.order = PR_AB_ORDER_CANDIDATE_SECOND;
    a->opt.clock = &a->clock;
    a->opt.measure = fake_measure;
    a->opt.measure_ctx = &a->f;
    a->opt.stop = &a->f.stop;
    pr_run_init(&a->base);
    pr_run_init(&a->cand);
    for (i = 0; i < n; i++)
        a->names[i] = models[i].name;
}

static int ab_run(ab *a)
{
    return pr_ab_run(&a->opt, a->names, a->f.n, &a->base, &a->cand, &a->sum);
}

static void ab_release(ab *a)
{
    pr_run_release(&a->base);
    pr_run_release(&a->cand);
    pr_ab_summary_release(&a->sum);
}

/* The paired comparison of the two sides, as the report makes it. */
static int ab_compare(const ab *a, pr_comparison *cmp)
{
    return pr_compare_runs(&a->base, &a->cand, &a->opt.compare, cmp);
}

/* A benchmark with no change and little noise. */
static model same(const char *name)
{
    model m = {name, 0, 0.001, 0, -1, NONE, -1, NONE};
    return m;
}

static model slower(const char *name, double slowdown)
{
    model m = same(name);
    m.slowdown = slowdown;
    return m;
}

/* The results of benchmark I have ROUNDS processes of SAMPLES samples on
 * both sides, status ok. */
static void check_rounds_recorded(const ab *a, size_t i, size_t rounds)
{
    int side;
    size_t j;

    for (side = 0; side < 2; side++) {
        const pr_run *run = side ? &a->cand : &a->base;
        const pr_result *r;
        CHECK_INT(run->n_results, a->f.n);
        if (i >= run->n_results)
            return;
        r = &run->results[i];
        CHECK_STR(r->name, a->names[i]);
        CHECK_INT(r->status, PR_STATUS_OK);
        CHECK(r->error == NULL);
        CHECK_INT(r->n_processes, rounds);
        CHECK_INT(r->n_samples, rounds * SAMPLES);
        CHECK_INT(r->stats.n, rounds * SAMPLES); /* pooled */
        for (j = 0; j < r->n_processes && r->process_samples; j++)
            CHECK_INT(r->process_samples[j], SAMPLES);
        CHECK_INT(a->f.done[side][i], rounds);
    }
}

/* ---- names and options ---- */

static void test_order_names(void)
{
    int o;

    for (o = 0; o < 4; o++)
        CHECK_INT(pr_ab_order_from_name(pr_ab_order_name((pr_ab_order)o)), o);
    CHECK_STR(pr_ab_order_name(PR_AB_ORDER_RANDOM), "random");
    CHECK_STR(pr_ab_order_name(PR_AB_ORDER_ALTERNATE), "alternate");
    CHECK_STR(pr_ab_order_name(PR_AB_ORDER_CANDIDATE_SECOND), "candidate-second");
    CHECK_STR(pr_ab_order_name(PR_AB_ORDER_CANDIDATE_FIRST), "candidate-first");
    CHECK_STR(pr_ab_order_name((pr_ab_order)4), "unknown");
    CHECK_INT(pr_ab_order_from_name("sideways"), -1);
    CHECK_INT(pr_ab_order_from_name("Random"), -1);
    CHECK_INT(pr_ab_order_from_name(""), -1);
    CHECK_INT(pr_ab_order_from_name(NULL), -1);
    CHECK_STR(pr_ab_stop_name(PR_AB_STOP_DECIDED), "decided");
    CHECK_STR(pr_ab_stop_name(PR_AB_STOP_MAX_ROUNDS), "max-rounds");
    CHECK_STR(pr_ab_stop_name(PR_AB_STOP_MAX_TIME), "max-time");
    CHECK_STR(pr_ab_stop_name(PR_AB_STOP_FAILED), "failed");
}

/* ab.h's defaults; a worker takes a tenth of run's samples and warm-up
 * and a twentieth of its time (timing.h's 50, 0.05 s and 0.2 s). */
static void test_options_init(void)
{
    pr_ab_options opt;

    pr_ab_options_init(&opt);
    CHECK_INT(opt.rounds, 10);
    CHECK_INT(opt.max_rounds, 60);
    CHECK_INT(opt.batch, 5);
    CHECK_NEAR(opt.max_time_s, 600, 0);
    CHECK_INT(opt.order, PR_AB_ORDER_RANDOM);
    CHECK_INT(opt.timing.samples, 5);
    CHECK_INT(opt.timing.min_samples, 1);
    CHECK_NEAR(opt.timing.min_time_s, 0.01, 0);
    CHECK_NEAR(opt.timing.warmup_s, 0.005, 0);
    CHECK_INT(opt.timing.iterations, 0);
    CHECK_INT(opt.compare.paired, 1);
    CHECK(opt.measure == NULL && opt.clock == NULL && opt.stop == NULL);
}

/* Each option out of range is PR_EUSAGE before any process runs or any
 * result is added. */
static void test_option_checks(void)
{
    static const model models[] = {{"a", 0, 0.001, 0, -1, NONE, -1, NONE}};
    static const struct {
        size_t rounds, max_rounds, batch;
        int no_measure;
        const char *message;
    } cases[] = {
        {1, 60, 5, 0, "--rounds: expected 2 to 9999"},
        {0, 60, 5, 0, "--rounds: expected 2 to 9999"},
        {10000, 10000, 5, 0, "--rounds: expected 2 to 9999"},
        {10, 9, 5, 0, "--max-rounds 9: expected --rounds (10) to 9999"},
        {10, 10000, 5, 0, "--max-rounds 10000: expected --rounds (10) to 9999"},
        {10, 60, 0, 0, "the rounds added at a time must be at least 1"},
        {10, 60, 5, 1, "no way to run the builds' processes"},
    };
    size_t i;
    ab a;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ab_init(&a, models, 1);
        a.opt.rounds = cases[i].rounds;
        a.opt.max_rounds = cases[i].max_rounds;
        a.opt.batch = cases[i].batch;
        if (cases[i].no_measure)
            a.opt.measure = NULL;
        a.sum.n = 99; /* zeroed on the way out */
        CHECK_INT(ab_run(&a), PR_EUSAGE);
        CHECK_STR(pr_error_last(), cases[i].message);
        CHECK_INT(a.f.calls, 0);
        CHECK_INT(a.base.n_results, 0);
        CHECK_INT(a.cand.n_results, 0);
        CHECK_INT(a.sum.n, 0);
        CHECK(a.sum.rounds == NULL);
        ab_release(&a);
    }

    /* the smallest budget allowed: 2 rounds, no more */
    ab_init(&a, models, 1);
    a.opt.rounds = 2;
    a.opt.max_rounds = 2;
    a.opt.batch = 1;
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.sum.rounds[0], 2);
    CHECK_INT(a.f.calls, 4);
    ab_release(&a);
}

/* No benchmarks: nothing runs, nothing fails. */
static void test_no_benchmarks(void)
{
    ab a;

    ab_init(&a, NULL, 0);
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.sum.n, 0);
    CHECK_INT(a.sum.processes, 0);
    CHECK_INT(a.sum.max_rounds_run, 0);
    CHECK_INT(a.base.n_results, 0);
    CHECK_INT(a.f.calls, 0);
    ab_release(&a);
}

/* ---- when a benchmark stops ---- */

/* A/A: the same code in both builds. The machine state moves each round
 * by up to 20%, but both processes of a round share it, so every per-round
 * log-ratio is within +/- 0.2% (two means of samples within +/- 0.1%): the
 * paired interval is far inside the 10% threshold at the first look, and
 * every benchmark passes after exactly the first 10 rounds. */
static void test_a_a_passes_at_first_look(void)
{
    model models[3];
    pr_comparison cmp;
    size_t i;
    ab a;

    models[0] = same("a");
    models[1] = same("b");
    models[2] = same("c");
    ab_init(&a, models, 3);
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.sum.n, 3);
    for (i = 0; i < 3; i++) {
        CHECK_INT(a.sum.rounds[i], 10);
        CHECK_INT(a.sum.stopped[i], PR_AB_STOP_DECIDED);
        check_rounds_recorded(&a, i, 10);
    }
    CHECK_INT(a.sum.max_rounds_run, 10);
    CHECK_INT(a.sum.processes, 60);
    CHECK_INT(a.f.calls, 60);
    CHECK_INT(a.sum.out_of_time, 0);
    /* no time limit: 60 processes of 1 s on the fake clock */
    CHECK_NEAR(a.sum.seconds, 60, 0);

    CHECK_INT(ab_compare(&a, &cmp), 0);
    CHECK_INT(cmp.n_entries, 3);
    for (i = 0; i < cmp.n_entries; i++) {
        const pr_cmp_entry *e = &cmp.entries[i];
        CHECK_INT(e->kind, PR_CMP_MATCHED);
        CHECK_INT(e->method, PR_METHOD_PAIRED);
        CHECK_INT(e->rounds, 10);
        CHECK_INT(e->verdict, PR_VERDICT_PASS);
        CHECK_NEAR(e->metrics[PR_METRIC_MEAN].estimate, 0, 0.002);
        CHECK(e->metrics[PR_METRIC_MEAN].high < 0.01);
    }
    CHECK_INT(cmp.n_pass, 3);
    pr_comparison_release(&cmp);
    ab_release(&a);
}

/* 30% slower: the first look (10 rounds) already fails it, but a fail
 * must hold over twice the first rounds, so it gets rounds until the first
 * look at or after 20; the A/A benchmark beside it stops at 10. One round
 * in which the baseline's process met a slow state (d = ln(1.3 / 1.4)
 * instead of ln 1.3) does not move the Hodges-Lehmann estimate off 30%. */
static void test_slowdown_fails_from_twice_rounds(void)
{
    model models[2];
    pr_comparison cmp;
    ab a;

    models[0] = slower("slow", 0.30);
    models[0].outlier_side = PR_AB_BASELINE;
    models[0].outlier_round = 4;
    models[1] = same("same");

    /* looks at 10, 15, 20: stops at 20, not at 10 or 15 */
    ab_init(&a, models, 2);
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.sum.rounds[0], 20);
    CHECK_INT(a.sum.stopped[0], PR_AB_STOP_DECIDED);
    CHECK_INT(a.sum.rounds[1], 10);
    CHECK_INT(a.sum.stopped[1], PR_AB_STOP_DECIDED);
    CHECK_INT(a.sum.max_rounds_run, 20);
    CHECK_INT(a.sum.processes, 2 * (20 + 10));
    check_rounds_recorded(&a, 0, 20);
    check_rounds_recorded(&a, 1, 10);
    CHECK_INT(ab_compare(&a, &cmp), 0);
    if (cmp.n_entries == 2) {
        const pr_metric_change *c = &cmp.entries[0].metrics[PR_METRIC_MEAN];
        CHECK_INT(cmp.entries[0].verdict, PR_VERDICT_FAIL);
        CHECK_INT(cmp.entries[0].rounds, 20);
        CHECK_NEAR(c->estimate, 0.30, 0.003);
        CHECK(c->low > 0.10);
        CHECK_INT(cmp.entries[1].verdict, PR_VERDICT_PASS);
    }
    pr_comparison_release(&cmp);
    ab_release(&a);

    /* looks every 3 rounds: 10, 13, 16, 19, 22; the first from 20 is 22 */
    ab_init(&a, models, 2);
    a.opt.batch = 3;
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.sum.rounds[0], 22);
    CHECK_INT(a.sum.stopped[0], PR_AB_STOP_DECIDED);
    CHECK_INT(a.sum.rounds[1], 10);
    ab_release(&a);

    /* a budget under twice the first rounds: the fail is decided at the
     * end, at max_rounds */
    ab_init(&a, models, 2);
    a.opt.max_rounds = 15;
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.sum.rounds[0], 15);
    CHECK_INT(a.sum.stopped[0], PR_AB_STOP_DECIDED);
    ab_release(&a);
}

/* 9% slower against the 10% threshold, the candidate's processes spread
 * by up to +/- 15% about it, symmetrically in each pair of rounds: at every
 * look (10, 12, ..., 58 rounds, and the last at 60) the estimate is 9%,
 * not beyond the threshold, so never a fail; and the interval, about
 * +/- 1.96 x 0.15 / sqrt(3 x 60) = +/- 2.2% even at 60 rounds, reaches past
 * 10%, so never a pass. Inconclusive to max_rounds. */
static void test_near_threshold_inconclusive(void)
{
    model models[1];
    pr_comparison cmp;
    ab a;

    models[0] = slower("near", 0.09);
    models[0].spread = 0.15;
    ab_init(&a, models, 1);
    a.opt.batch = 2;
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.sum.rounds[0], 60);
    CHECK_INT(a.sum.stopped[0], PR_AB_STOP_MAX_ROUNDS);
    CHECK_INT(a.sum.max_rounds_run, 60);
    CHECK_INT(a.sum.processes, 120);
    CHECK_INT(a.sum.out_of_time, 0);
    check_rounds_recorded(&a, 0, 60);
    CHECK_INT(ab_compare(&a, &cmp), 0);
    if (cmp.n_entries == 1) {
        const pr_metric_change *c = &cmp.entries[0].metrics[PR_METRIC_MEAN];
        CHECK_INT(cmp.entries[0].verdict, PR_VERDICT_INCONCLUSIVE);
        CHECK_INT(c->verdict, PR_VERDICT_INCONCLUSIVE);
        CHECK_NEAR(c->estimate, 0.09, 0.002);
        CHECK(c->low > 0);
        CHECK(c->high > 0.10);
    }
    pr_comparison_release(&cmp);
    ab_release(&a);
}

/* A/A with one pair that straddled a switch of state: in round 2 the
 * candidate's process took 1.4 times as long. At 10 rounds the 95%
 * signed-rank interval leaves out the 8 largest of the 55 Walsh averages,
 * and the outlier's 10 are the largest (about ln 1.4 / 2 = 17% and more):
 * its upper end is one of them, beyond 10%, so no pass yet. At 15 rounds
 * it leaves out the 25 largest of 120, more than the outlier's 15: the
 * interval is the other rounds', and the benchmark passes. The pooled mean
 * moved by at least 0.4 x 0.8 / (15 x 1.2) = 1.8% (the outlier's round at
 * the slowest state, the others at the fastest); the estimate does not. */
static void test_outlier_pair_withstood(void)
{
    model models[1];
    pr_comparison cmp;
    ab a;

    models[0] = same("straddles");
    models[0].outlier_side = PR_AB_CANDIDATE;
    models[0].outlier_round = 2;
    ab_init(&a, models, 1);
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.sum.rounds[0], 15);
    CHECK_INT(a.sum.stopped[0], PR_AB_STOP_DECIDED);
    CHECK_INT(ab_compare(&a, &cmp), 0);
    if (cmp.n_entries == 1) {
        const pr_metric_change *c = &cmp.entries[0].metrics[PR_METRIC_MEAN];
        CHECK_INT(cmp.entries[0].verdict, PR_VERDICT_PASS);
        CHECK_NEAR(c->estimate, 0, 0.002);
        CHECK(c->change > 0.018);
    }
    pr_comparison_release(&cmp);
    ab_release(&a);
}

/* ---- the time budget ---- */

/* 1 s per process on the fake clock, 27 s of budget, two benchmarks, a
 * look every 2 rounds from 6: rounds 0-5 take 2 pairs of 2 s each, 24 s; at
 * the look the A/A benchmark passes (at 6 rounds the only 95% interval is
 * from the smallest to the largest log-ratio, within +/- 0.2%) and the
 * noisy one (+/- 50% a round, symmetric about no change) does not. Rounds
 * 6 and 7 start at 24 and 26 s, under 27 s, and run its one pair each;
 * round 8 would start at 28 s: out of time. */
static void test_time_budget(void)
{
    model models[2];
    ab a;

    models[0] = same("quick");
    models[1] = same("noisy");
    models[1].spread = 0.5;
    ab_init(&a, models, 2);
    a.opt.rounds = 6;
    a.opt.batch = 2;
    a.opt.max_time_s = 27;
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.f.calls, 28);
    CHECK_INT(a.sum.processes, 28);
    CHECK_INT(a.sum.rounds[0], 6);
    CHECK_INT(a.sum.stopped[0], PR_AB_STOP_DECIDED);
    CHECK_INT(a.sum.rounds[1], 8);
    CHECK_INT(a.sum.stopped[1], PR_AB_STOP_MAX_TIME);
    CHECK_INT(a.sum.max_rounds_run, 8);
    CHECK_INT(a.sum.out_of_time, 1);
    CHECK_NEAR(a.sum.seconds, 28, 0);
    check_rounds_recorded(&a, 0, 6);
    check_rounds_recorded(&a, 1, 8);
    ab_release(&a);

    /* a budget of 28 s: round 8 would start at 28 s, not under it */
    ab_init(&a, models, 2);
    a.opt.rounds = 6;
    a.opt.batch = 2;
    a.opt.max_time_s = 28;
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.sum.processes, 28);
    CHECK_INT(a.sum.rounds[1], 8);
    CHECK_INT(a.sum.out_of_time, 1);
    ab_release(&a);
}

/* The budget runs out inside a round: three undecided benchmarks, pairs
 * of 2 s, a pair starts while under 25 s: 13 pairs (the last at 24 s),
 * four whole rounds and the first pair of round 4, whichever benchmark
 * that round's order put first. */
static void test_time_budget_mid_round(void)
{
    model models[3];
    size_t i, total = 0;
    ab a;

    for (i = 0; i < 3; i++) {
        models[i] = slower(i == 0 ? "x" : i == 1 ? "y" : "z", 0.09);
        models[i].spread = 0.15;
    }
    ab_init(&a, models, 3);
    a.opt.order = PR_AB_ORDER_RANDOM;
    a.opt.max_time_s = 25;
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.f.calls, 26);
    CHECK_INT(a.sum.processes, 26);
    CHECK_INT(a.sum.out_of_time, 1);
    CHECK_INT(a.sum.max_rounds_run, 5);
    for (i = 0; i < 3; i++) {
        size_t want = i == a.f.log[24].bench ? 5 : 4;
        CHECK_INT(a.sum.rounds[i], want);
        CHECK_INT(a.sum.stopped[i], PR_AB_STOP_MAX_TIME);
        check_rounds_recorded(&a, i, want);
        total += a.sum.rounds[i];
    }
    CHECK_INT(total, 13);
    CHECK_INT(a.f.log[24].round, 4);
    CHECK_INT(a.f.log[25].bench, a.f.log[24].bench);
    ab_release(&a);
}

/* The budget runs out in round 0 (pairs start at 0, 2 and 4 s; the
 * fourth would start at 6 s, past 5 s): it stops no benchmark before its
 * second round, so every one is paired, if too few rounds to judge, and
 * the runs can be written. */
static void test_time_budget_in_first_round(void)
{
    model models[4];
    pr_strbuf sb = PR_STRBUF_INIT;
    size_t i;
    ab a;

    models[0] = same("a");
    models[1] = same("b");
    models[2] = same("c");
    models[3] = same("d");
    ab_init(&a, models, 4);
    /* 5 s, one per process: spent inside the first round; the budget
     * still lets every benchmark have its first two rounds (16 processes),
     * the fewest a paired comparison can be judged on */
    a.opt.max_time_s = 5;
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.sum.processes, 16);
    CHECK_INT(a.sum.out_of_time, 1);
    CHECK_INT(a.sum.max_rounds_run, 2);
    for (i = 0; i < 4; i++) {
        CHECK_INT(a.sum.rounds[i], 2);
        CHECK_INT(a.sum.stopped[i], PR_AB_STOP_MAX_TIME);
        CHECK_INT(a.base.results[i].n_processes, 2);
        CHECK_INT(a.cand.results[i].n_processes, 2);
    }
    /* the suite and context are the caller's to fill (ab.h) */
    a.cand.suite = pr_strdup("s");
    a.base.suite = pr_strdup("s");
    CHECK_INT(pr_results_write(&a.cand, &sb), 0);
    pr_strbuf_reset(&sb);
    CHECK_INT(pr_results_write(&a.base, &sb), 0);
    pr_strbuf_release(&sb);
    ab_release(&a);
}

/* ---- calibration ---- */

/* Round 0 calibrates in each build (iterations 0); every later process of
 * both builds runs the candidate's round-0 count, 1000, so the two sides do
 * the same work per sample. A fixed count is passed to every process. */
static void test_calibration(void)
{
    model models[2];
    size_t i;
    ab a;

    models[0] = same("a");
    models[1] = same("b");
    ab_init(&a, models, 2);
    a.opt.order = PR_AB_ORDER_ALTERNATE; /* either build first in round 0 and later */
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.f.calls, 40);
    for (i = 0; i < a.f.calls; i++)
        CHECK_INT(a.f.log[i].iterations, a.f.log[i].round == 0 ? 0 : CAND_ITERS);
    /* each result keeps its own round-0 figure */
    CHECK_INT(a.cand.results[0].iterations, CAND_ITERS);
    CHECK_INT(a.base.results[0].iterations, BASE_ITERS);
    ab_release(&a);

    ab_init(&a, models, 2);
    a.opt.order = PR_AB_ORDER_CANDIDATE_FIRST;
    a.opt.timing.iterations = 77;
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.f.calls, 40);
    for (i = 0; i < a.f.calls; i++)
        CHECK_INT(a.f.log[i].iterations, 77);
    CHECK_INT(a.base.results[1].iterations, 77);
    ab_release(&a);
}

/* ---- orders ---- */

/* The call log agrees with the summary: each pair is one benchmark's two
 * processes of the same round, the first from the side candidate_first
 * says; a round's pairs are its benchmarks, each once. */
static void check_log_matches(const ab *a)
{
    size_t p;

    CHECK_INT(a->f.calls % 2, 0);
    for (p = 0; p + 1 < a->f.calls && p + 1 < MAX_CALLS; p += 2) {
        const call *x = &a->f.log[p], *y = &a->f.log[p + 1];
        CHECK_INT(x->bench, y->bench);
        CHECK_INT(x->round, y->round);
        CHECK(x->side != y->side);
        CHECK_INT(x->side == PR_AB_CANDIDATE, a->sum.candidate_first[x->bench][x->round]);
        if (p >= 2)
            CHECK(x->round == a->f.log[p - 2].round ? x->bench != a->f.log[p - 2].bench
                                                    : x->round == a->f.log[p - 2].round + 1);
    }
}

static void run_order(ab *a, const model *models, pr_ab_order order, uint64_t seed)
{
    ab_init(a, models, 3);
    a->opt.rounds = 20; /* all pass at 20: 60 pairs */
    a->opt.order = order;
    a->opt.seed = seed;
    CHECK_INT(ab_run(a), 0);
    CHECK_INT(a->f.calls, 120);
    check_log_matches(a);
}

static void test_orders(void)
{
    model models[3];
    size_t i, r;
    ab a, b;
    int same_first = 1, same_log = 1, ones = 0, orders_vary = 0;

    models[0] = same("a");
    models[1] = same("b");
    models[2] = same("c");

    run_order(&a, models, PR_AB_ORDER_CANDIDATE_SECOND, 1);
    for (i = 0; i < 3; i++)
        for (r = 0; r < 20; r++)
            CHECK_INT(a.sum.candidate_first[i][r], 0);
    ab_release(&a);

    run_order(&a, models, PR_AB_ORDER_CANDIDATE_FIRST, 1);
    for (i = 0; i < 3; i++)
        for (r = 0; r < 20; r++)
            CHECK_INT(a.sum.candidate_first[i][r], 1);
    ab_release(&a);

    run_order(&a, models, PR_AB_ORDER_ALTERNATE, 1);
    for (i = 0; i < 3; i++)
        for (r = 0; r < 20; r++)
            CHECK_INT(a.sum.candidate_first[i][r], r % 2);
    ab_release(&a);

    /* random: the same seed, the same coins and the same benchmark orders */
    run_order(&a, models, PR_AB_ORDER_RANDOM, 7);
    run_order(&b, models, PR_AB_ORDER_RANDOM, 7);
    for (i = 0; i < 3; i++)
        CHECK(memcmp(a.sum.candidate_first[i], b.sum.candidate_first[i], 20) == 0);
    for (i = 0; i < 120; i++)
        CHECK(a.f.log[i].side == b.f.log[i].side && a.f.log[i].bench == b.f.log[i].bench);
    /* and a coin per pair, and an order per round: both vary (60 coins and
     * 20 shuffles of 3 all alike would be a broken generator) */
    for (i = 0; i < 3; i++)
        for (r = 0; r < 20; r++)
            ones += a.sum.candidate_first[i][r];
    CHECK(ones > 0 && ones < 60);
    for (r = 1; r < 20; r++)
        orders_vary |= a.f.log[6 * r].bench != a.f.log[0].bench;
    CHECK(orders_vary);
    ab_release(&b);

    /* another seed: other coins and other orders, over 60 pairs */
    run_order(&b, models, PR_AB_ORDER_RANDOM, 8);
    for (i = 0; i < 3; i++)
        same_first &= memcmp(a.sum.candidate_first[i], b.sum.candidate_first[i], 20) == 0;
    for (i = 0; i < 120; i++)
        same_log &= a.f.log[i].side == b.f.log[i].side && a.f.log[i].bench == b.f.log[i].bench;
    CHECK(!same_first);
    CHECK(!same_log);
    /* the samples depend on the round, not on the order: the same verdicts */
    for (i = 0; i < 3; i++) {
        CHECK_INT(b.sum.rounds[i], a.sum.rounds[i]);
        CHECK_INT(b.sum.stopped[i], PR_AB_STOP_DECIDED);
    }
    ab_release(&a);
    ab_release(&b);
}

/* progress: before each pair, its round, the budget, its place in the
 * round and the round's size, which shrinks as benchmarks stop. */
typedef struct progress_log {
    size_t calls;
    size_t round[64], max_rounds[64], i[64], n[64];
} progress_log;

static void progress(void *ctx, size_t round, size_t max_rounds, size_t i, size_t n,
                     const char *name)
{
    progress_log *p = ctx;
    (void)name;
    if (p->calls < 64) {
        p->round[p->calls] = round;
        p->max_rounds[p->calls] = max_rounds;
        p->i[p->calls] = i;
        p->n[p->calls] = n;
    }
    p->calls++;
}

static void test_progress(void)
{
    model models[2];
    progress_log p;
    size_t k;
    ab a;

    models[0] = same("same");
    models[1] = same("noisy"); /* +/- 50% per round: 12 rounds cannot resolve 10% */
    models[1].spread = 0.5;
    memset(&p, 0, sizeof p);
    ab_init(&a, models, 2);
    a.opt.rounds = 2;
    a.opt.max_rounds = 12;
    a.opt.batch = 1;
    a.opt.progress = progress;
    a.opt.progress_ctx = &p;
    CHECK_INT(ab_run(&a), 0);
    /* both until the look at 6 (under 6 rounds no interval reaches 95%),
     * where the A/A one passes; then the noisy one alone to 12 */
    CHECK_INT(a.sum.rounds[0], 6);
    CHECK_INT(a.sum.stopped[0], PR_AB_STOP_DECIDED);
    CHECK_INT(a.sum.rounds[1], 12);
    CHECK_INT(a.sum.stopped[1], PR_AB_STOP_MAX_ROUNDS);
    CHECK_INT(p.calls, 18);
    for (k = 0; k < p.calls && k < 64; k++) {
        CHECK_INT(p.round[k], k < 12 ? k / 2 : 6 + (k - 12));
        CHECK_INT(p.max_rounds[k], 12);
        CHECK_INT(p.i[k], k < 12 ? k % 2 : 0);
        CHECK_INT(p.n[k], k < 12 ? 2 : 1);
    }
    ab_release(&a);
}

/* ---- failures, errors, interruption ---- */

/* A benchmark fails in the baseline's build, which ran first in round 0:
 * this build's process still runs (the outcome must not depend on the
 * order), so the benchmark is new, as between two results files; the other
 * benchmarks go on as if nothing happened. */
static void test_fails_first_in_round_0(void)
{
    model models[3];
    pr_comparison cmp;
    ab a;

    models[0] = same("a");
    models[1] = same("broken");
    models[1].fail_side = PR_AB_BASELINE;
    models[1].fail_round = 0;
    models[2] = same("c");
    ab_init(&a, models, 3); /* the baseline first */
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.sum.rounds[1], 1);
    CHECK_INT(a.sum.stopped[1], PR_AB_STOP_FAILED);
    CHECK_INT(a.f.done[PR_AB_BASELINE][1], 1);
    CHECK_INT(a.f.done[PR_AB_CANDIDATE][1], 1);
    CHECK_INT(a.base.results[1].status, PR_STATUS_FAILED);
    CHECK_STR(a.base.results[1].error, "exit status 3");
    CHECK_STR(a.base.results[1].name, "broken");
    CHECK_INT(a.cand.results[1].status, PR_STATUS_OK);
    CHECK_STR(a.cand.results[1].name, "broken");
    CHECK_INT(a.cand.results[1].n_samples, 5);
    CHECK_INT(a.sum.rounds[0], 10);
    CHECK_INT(a.sum.stopped[0], PR_AB_STOP_DECIDED);
    CHECK_INT(a.sum.rounds[2], 10);
    CHECK_INT(a.sum.stopped[2], PR_AB_STOP_DECIDED);
    check_rounds_recorded(&a, 0, 10);
    check_rounds_recorded(&a, 2, 10);
    CHECK_INT(a.sum.processes, 2 + 2 * 10 * 2);
    CHECK_INT(ab_compare(&a, &cmp), 0);
    CHECK_INT(cmp.n_failed, 0);
    CHECK_INT(cmp.n_new, 1);
    CHECK_INT(cmp.n_pass, 2);
    CHECK_INT(cmp.n_entries == 3 ? (int)cmp.entries[1].kind : -1, PR_CMP_NEW);
    pr_comparison_release(&cmp);
    ab_release(&a);

    /* the mirror: the candidate first, and failing */
    models[1].fail_side = PR_AB_CANDIDATE;
    ab_init(&a, models, 3);
    a.opt.order = PR_AB_ORDER_CANDIDATE_FIRST;
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.sum.stopped[1], PR_AB_STOP_FAILED);
    CHECK_INT(a.f.done[PR_AB_BASELINE][1], 0);
    CHECK_STR(a.cand.results[1].error, "killed by signal 11");
    CHECK_INT(a.base.results[1].status, PR_STATUS_FAILED);
    CHECK_STR(a.base.results[1].error, "not measured: it failed in the other build first");
    ab_release(&a);

    /* failing in the second build of round 0: both ran, nothing to add */
    ab_init(&a, models, 3); /* the baseline first, the candidate fails */
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.sum.rounds[1], 1);
    CHECK_INT(a.sum.stopped[1], PR_AB_STOP_FAILED);
    CHECK_INT(a.base.results[1].status, PR_STATUS_OK);
    CHECK_INT(a.base.results[1].n_samples, SAMPLES);
    CHECK_STR(a.cand.results[1].error, "killed by signal 11");
    ab_release(&a);
}

/* The candidate crashes in round 3: the benchmark stops there with 4
 * rounds; its result fails with the crash, keeping the 3 processes before
 * it; the baseline, which ran first in that round, has 4. */
static void test_crash_in_later_round(void)
{
    model models[2];
    ab a;

    models[0] = same("crashes");
    models[0].fail_side = PR_AB_CANDIDATE;
    models[0].fail_round = 3;
    models[1] = same("fine");
    ab_init(&a, models, 2);
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.sum.rounds[0], 4);
    CHECK_INT(a.sum.stopped[0], PR_AB_STOP_FAILED);
    CHECK_INT(a.f.done[PR_AB_CANDIDATE][0], 4);
    CHECK_INT(a.f.done[PR_AB_BASELINE][0], 4);
    CHECK_INT(a.cand.results[0].status, PR_STATUS_FAILED);
    CHECK_STR(a.cand.results[0].error, "killed by signal 11");
    CHECK_INT(a.cand.results[0].n_processes, 3);
    CHECK_INT(a.cand.results[0].n_samples, 3 * SAMPLES);
    CHECK_INT(a.base.results[0].status, PR_STATUS_OK);
    CHECK_INT(a.base.results[0].n_processes, 4);
    CHECK_INT(a.sum.rounds[1], 10);
    CHECK_INT(a.sum.stopped[1], PR_AB_STOP_DECIDED);
    CHECK_INT(a.sum.max_rounds_run, 10);
    ab_release(&a);

    /* the candidate first: the baseline's fourth process never runs */
    ab_init(&a, models, 2);
    a.opt.order = PR_AB_ORDER_CANDIDATE_FIRST;
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.sum.rounds[0], 4);
    CHECK_INT(a.sum.stopped[0], PR_AB_STOP_FAILED);
    CHECK_INT(a.f.done[PR_AB_BASELINE][0], 3);
    CHECK_INT(a.base.results[0].n_processes, 3);
    CHECK_INT(a.base.results[0].status, PR_STATUS_OK);
    ab_release(&a);
}

/* An error of the worker stops the comparison with its code and message,
 * however far it got; the summary is left empty. */
static void test_measure_error(void)
{
    static const size_t at[] = {1, 2, 5, 33};
    model models[2];
    size_t i;
    ab a;

    models[0] = same("a");
    models[1] = same("b");
    for (i = 0; i < sizeof at / sizeof at[0]; i++) {
        ab_init(&a, models, 2);
        a.f.error_at = at[i];
        a.f.error_code = PR_EINVALID;
        CHECK_INT(ab_run(&a), PR_EINVALID);
        CHECK_CONTAINS(pr_error_last(), "the worker is not a perfreg suite");
        CHECK_INT(a.f.calls, at[i]);
        CHECK_INT(a.sum.n, 0);
        CHECK(a.sum.rounds == NULL && a.sum.stopped == NULL && a.sum.candidate_first == NULL);
        ab_release(&a);
    }
    ab_init(&a, models, 2);
    a.f.error_at = 3;
    a.f.error_code = PR_EIO;
    CHECK_INT(ab_run(&a), PR_EIO);
    ab_release(&a);
}

/* The stop flag, set while the 7th process runs, is seen before the 8th:
 * PR_EINTERRUPTED, and no process after it. */
static void test_interrupted(void)
{
    model models[2];
    ab a;

    models[0] = same("a");
    models[1] = same("b");
    ab_init(&a, models, 2);
    a.f.stop_after = 7;
    CHECK_INT(ab_run(&a), PR_EINTERRUPTED);
    CHECK_INT(a.f.calls, 7);
    CHECK_INT(a.sum.n, 0);
    ab_release(&a);

    /* set before the start: nothing runs */
    ab_init(&a, models, 2);
    a.f.stop = 1;
    CHECK_INT(ab_run(&a), PR_EINTERRUPTED);
    CHECK_INT(a.f.calls, 0);
    ab_release(&a);
}

/* A 12% slowdown with a wide spread (0.35): after 20 rounds its 95%
 * interval is above 0 (a fail) but its 99% one is not, so it does not stop
 * there: an early fail must hold at alpha / PR_AB_STOP_STRICTER too. At
 * the last round (max_rounds 20) the verdict stays the 95% one, fail. */
static void test_early_fail_needs_stricter_level(void)
{
    model models[1];
    pr_compare_options o;
    pr_comparison c;
    ab a;

    models[0] = slower("x", 0.12);
    models[0].spread = 0.35;
    ab_init(&a, models, 1);
    a.opt.max_rounds = 20;
    CHECK_INT(ab_run(&a), 0);
    CHECK_INT(a.sum.rounds[0], 20);
    o = a.opt.compare;
    CHECK_INT(pr_compare_runs(&a.base, &a.cand, &o, &c), 0);
    CHECK_INT(c.entries[0].verdict, PR_VERDICT_FAIL);
    CHECK(c.entries[0].metrics[PR_METRIC_MEAN].low > 0);
    pr_comparison_release(&c);
    o.alpha = a.opt.compare.alpha / PR_AB_STOP_STRICTER;
    CHECK_INT(pr_compare_runs(&a.base, &a.cand, &o, &c), 0);
    CHECK(c.entries[0].verdict != PR_VERDICT_FAIL);
    CHECK(c.entries[0].metrics[PR_METRIC_MEAN].low < 0);
    pr_comparison_release(&c);
    ab_release(&a);

    /* the same data with room to go on: past round 20 */
    ab_init(&a, models, 1);
    CHECK_INT(ab_run(&a), 0);
    CHECK(a.sum.rounds[0] > 20);
    ab_release(&a);
}

int main(void)
{
    RUN_TEST(test_early_fail_needs_stricter_level);
    RUN_TEST(test_order_names);
    RUN_TEST(test_options_init);
    RUN_TEST(test_option_checks);
    RUN_TEST(test_no_benchmarks);
    RUN_TEST(test_a_a_passes_at_first_look);
    RUN_TEST(test_slowdown_fails_from_twice_rounds);
    RUN_TEST(test_near_threshold_inconclusive);
    RUN_TEST(test_outlier_pair_withstood);
    RUN_TEST(test_time_budget);
    RUN_TEST(test_time_budget_mid_round);
    RUN_TEST(test_time_budget_in_first_round);
    RUN_TEST(test_calibration);
    RUN_TEST(test_orders);
    RUN_TEST(test_progress);
    RUN_TEST(test_fails_first_in_round_0);
    RUN_TEST(test_crash_in_later_round);
    RUN_TEST(test_measure_error);
    RUN_TEST(test_interrupted);
    return CHECK_DONE();
}
