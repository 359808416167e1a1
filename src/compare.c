/*
 * compare.c - a run against its baseline: match benchmarks by name, measure
 * the change of every metric, apply the warn and fail thresholds and the
 * significance gate, and count the verdicts. Rendering the comparison is the
 * report's job, choosing the exit status the CLI's; the U test itself lives
 * in stats.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "error.h"
#include "strbuf.h"
#include "banned.h"

/* "within 2 points" of a relative fail threshold; 2% of an absolute one */
#define APPROACH_POINTS 0.02
#define APPROACH_FRACTION 0.02
/* Memory changes of at most this many bytes pass every relative threshold:
 * a benchmark's peak RSS also counts the code and data pages its process
 * faults in, and where those fall against the kernel's fault-around window
 * moves with address-space randomisation, by a few hundred KiB from run to
 * run of unchanged code (the bundled empty loop: 256 to 476 KiB). An
 * absolute threshold ("memory:256KiB") is taken as given. */
#define PR_MEMORY_FLOOR (1024.0 * 1024.0)
/* allocations per iteration that make a warning against a baseline of none */
#define ALLOCS_FROM_NONE 1.0

void pr_compare_options_init(pr_compare_options *opt)
{
    memset(opt, 0, sizeof *opt);
    /* One location statistic is judged unless more are asked for: each
     * judged one is another chance to fail unchanged code, and the median
     * of a benchmark with two speeds jumps between them (the bundled
     * results_write_100: +39% against its baseline's runs, the mean +9%). */
    opt->warn.of[PR_METRIC_MEAN] = (pr_threshold){1, 1, 0.10};
    opt->warn.of[PR_METRIC_STDDEV] = (pr_threshold){1, 1, 0.50};
    opt->warn.of[PR_METRIC_OPS] = (pr_threshold){1, 1, 0.10};
    opt->warn.of[PR_METRIC_MEMORY] = (pr_threshold){1, 1, 0.20};
    opt->warn.of[PR_METRIC_ALLOCS] = (pr_threshold){1, 1, 0.20};
    opt->alpha = 0.05;
    opt->significance = 1;
    opt->fail_on_missing = 0;
    opt->primary = PR_METRIC_MEAN;
    opt->paired = 0;
    opt->suite_shift = 1;
    opt->inconclusive = PR_INCONCLUSIVE_WARN;
}

const char *pr_verdict_name(pr_verdict v)
{
    switch (v) {
    case PR_VERDICT_PASS:
        return "pass";
    case PR_VERDICT_INCONCLUSIVE:
        return "inconclusive";
    case PR_VERDICT_FAIL:
        return "fail";
    }
    return "unknown";
}

const char *pr_method_name(pr_method m)
{
    switch (m) {
    case PR_METHOD_NONE:
        return "none";
    case PR_METHOD_SAMPLES:
        return "samples";
    case PR_METHOD_PROCESSES:
        return "processes";
    case PR_METHOD_RUNS:
        return "runs";
    case PR_METHOD_PAIRED:
        return "paired";
    }
    return "unknown";
}

static const char *const inconclusive_names[] = {"pass", "warn", "fail"};

int pr_inconclusive_from_name(const char *name)
{
    int i;
    for (i = 0; name && i < 3; i++)
        if (strcmp(name, inconclusive_names[i]) == 0)
            return i;
    return -1;
}

const char *pr_inconclusive_name(pr_inconclusive_policy p)
{
    return (unsigned)p < 3 ? inconclusive_names[p] : "unknown";
}

const char *pr_level_name(pr_level v)
{
    switch (v) {
    case PR_LEVEL_IMPROVED:
        return "improved";
    case PR_LEVEL_NORMAL:
        return "normal";
    case PR_LEVEL_WARNING:
        return "warning";
    case PR_LEVEL_CRITICAL:
        return "critical";
    }
    return "unknown";
}

const char *pr_cmp_kind_name(pr_cmp_kind k)
{
    switch (k) {
    case PR_CMP_MATCHED:
        return "matched";
    case PR_CMP_NEW:
        return "new";
    case PR_CMP_MISSING:
        return "missing";
    case PR_CMP_FAILED:
        return "failed";
    }
    return "unknown";
}

/* The threshold T in the metric's relative terms at a baseline value of
 * BASE: an absolute one over the baseline; -1 when it says nothing (unset,
 * or absolute against a baseline of 0). */
static double relative_limit(const pr_threshold *t, double base)
{
    if (!t->set)
        return -1;
    if (t->relative)
        return t->value;
    return base > 0 ? t->value / base : -1;
}

/* A regression beyond TIMES the threshold T, of the metric whose change is
 * C (its regression REG, relative). "Beyond" is strict. A relative
 * threshold says nothing when the baseline value is 0, nor of a change
 * within C's floor; an absolute one then compares the absolute
 * regression. */
static int beyond(const pr_metric_change *c, const pr_threshold *t, double reg, double times)
{
    if (!t->set)
        return 0;
    if (t->relative)
        return c->relative_valid && reg > times * t->value &&
               (c->floor <= 0 || c->abs_regression > c->floor);
    if (!c->relative_valid)
        return c->abs_regression > times * t->value;
    return reg * fabs(c->baseline) > times * t->value;
}

/* An improvement past -T. */
static int improved(const pr_metric_change *c, const pr_threshold *t, double reg)
{
    if (!t->set)
        return 0;
    if (t->relative)
        return c->relative_valid && reg < -t->value &&
               (c->floor <= 0 || -c->abs_regression > c->floor);
    if (!c->relative_valid)
        return c->abs_regression < -t->value;
    return reg * fabs(c->baseline) < -t->value;
}

/* The location statistics are judged from the samples with an interval;
 * the spread (stddev, iqr) and the per-run figures (memory, allocs) by
 * their thresholds alone. */
static int located(pr_metric m)
{
    return !pr_metric_is_spread(m) && !pr_metric_is_per_run(m);
}

/* Measures metric M of the two results into C; C stays invalid (not
 * compared) when either side does not have it. */
static void measure_metric(pr_metric_change *c, pr_metric m, const pr_result *base,
                           const pr_result *cur)
{
    if (!pr_metric_of_result(base, m, &c->baseline) || !pr_metric_of_result(cur, m, &c->current))
        return;
    c->valid = 1;
    c->floor = m == PR_METRIC_MEMORY ? PR_MEMORY_FLOOR : 0;
    c->relative_valid = c->baseline != 0;
    c->change = c->relative_valid ? (c->current - c->baseline) / c->baseline : 0;
    if (pr_metric_higher_is_better(m)) {
        c->regression = -c->change;
        c->abs_regression = c->baseline - c->current;
    } else {
        c->regression = c->change;
        c->abs_regression = c->current - c->baseline;
    }
    c->estimate = c->change;
    c->p_value = NAN;
}

/* ---- the methods ---- */

/* The statistics of each process's samples of R (one "process" when R
 * has no process_samples), for the per-process values of every metric.
 * *OUT is allocated (caller frees); *N its length. */
static int process_stats(const pr_result *r, pr_stats **out, size_t *n)
{
    size_t k = r->n_processes ? r->n_processes : 1, i, at = 0;
    pr_stats *st = calloc(k, sizeof *st);

    *out = NULL;
    *n = 0;
    if (!st)
        return pr_error_set(PR_ENOMEM, "out of memory");
    for (i = 0; i < k; i++) {
        size_t len = r->n_processes ? r->process_samples[i] : r->n_samples;
        int err = len > 0 && at + len <= r->n_samples
                      ? pr_stats_compute(&st[i], r->samples_ns + at, len)
                      : PR_EINVALID;
        if (err) {
            free(st);
            return err;
        }
        at += len;
    }
    *out = st;
    *n = k;
    return 0;
}

/* The sides' per-process statistics, computed once per entry. */
typedef struct sides {
    pr_stats *base, *cur;
    size_t n_base, n_cur;
    double *scratch; /* room for n_base + n_cur values */
} sides;

static void sides_release(sides *s)
{
    free(s->base);
    free(s->cur);
    free(s->scratch);
    memset(s, 0, sizeof *s);
}

/* 0, PR_ENOMEM, or PR_EINVALID when a side's samples cannot be split. */
static int sides_init(sides *s, const pr_result *base, const pr_result *cur)
{
    int err;

    memset(s, 0, sizeof *s);
    if ((err = process_stats(base, &s->base, &s->n_base)) != 0 ||
        (err = process_stats(cur, &s->cur, &s->n_cur)) != 0)
        goto fail;
    if (!(s->scratch = malloc((s->n_base + s->n_cur) * sizeof *s->scratch))) {
        err = pr_error_set(PR_ENOMEM, "out of memory");
        goto fail;
    }
    return 0;
fail:
    sides_release(s);
    return err;
}

/* The interval [exp(LO) - 1, exp(HI) - 1] of a change judged on the log
 * scale, and its estimate exp(EST) - 1. */
static void set_log_interval(pr_metric_change *c, double est, double lo, double hi)
{
    c->estimate = expm1(est);
    c->low = expm1(lo);
    c->high = expm1(hi);
    c->resolution = (c->high - c->low) / 2;
    c->has_interval = 1;
}

/* paired: the signed-rank test on d = ln(current / baseline) of each
 * round's processes. 1 when judged, 0 when the values do not allow it. */
static int judge_paired(pr_metric_change *c, pr_metric m, const sides *s, double alpha,
                        pr_signed_rank *sr)
{
    size_t i;

    if (s->n_base != s->n_cur || s->n_base < 2)
        return 0;
    for (i = 0; i < s->n_base; i++) {
        double a = pr_metric_value(&s->base[i], m), b = pr_metric_value(&s->cur[i], m);
        if (!(a > 0) || !(b > 0) || !isfinite(a) || !isfinite(b))
            return 0;
        s->scratch[i] = log(b / a);
    }
    if (pr_stats_signed_rank(s->scratch, s->n_base, alpha, sr) != 0)
        return 0;
    set_log_interval(c, sr->estimate, sr->ci_low, sr->ci_high);
    c->p_value = sr->p_value;
    /* under 6 rounds no interval reaches 95%: its ends prove nothing */
    c->short_level = sr->ci_level < 1 - alpha - 1e-12;
    return 1;
}

/* processes: Welch's test on the per-process values. */
static int judge_processes(pr_metric_change *c, pr_metric m, const sides *s, double alpha,
                           pr_welch *w)
{
    size_t i;

    for (i = 0; i < s->n_cur; i++)
        s->scratch[i] = pr_metric_value(&s->cur[i], m);
    for (i = 0; i < s->n_base; i++)
        s->scratch[s->n_cur + i] = pr_metric_value(&s->base[i], m);
    if (pr_stats_welch(s->scratch, s->n_cur, s->scratch + s->n_cur, s->n_base, alpha, w) != 0)
        return 0;
    c->estimate = w->change;
    c->low = w->ci_low;
    c->high = w->ci_high;
    c->resolution = (w->ci_high - w->ci_low) / 2;
    c->has_interval = 1;
    c->p_value = w->p_value;
    return 1;
}

/* runs: the current value against the baseline runs' spread (compare.h). */
static int judge_runs(pr_metric_change *c, pr_metric m, const pr_result *base, double alpha)
{
    size_t i, n = base->n_runs;
    double sum = 0, sq = 0, centre, sd, half, d, t;

    if (n < 2 || !(c->current > 0))
        return 0;
    for (i = 0; i < n; i++) {
        double v = pr_metric_value(&base->run_stats[i], m);
        if (!(v > 0) || !isfinite(v))
            return 0;
        sum += log(v);
    }
    centre = sum / (double)n;
    for (i = 0; i < n; i++) {
        double e = log(pr_metric_value(&base->run_stats[i], m)) - centre;
        sq += e * e;
    }
    sd = sqrt(sq / (double)(n - 1));
    t = pr_stats_t_quantile(1 - alpha / 2, (double)(n - 1));
    half = t * sd * sqrt(1 + 1 / (double)n);
    d = log(c->current) - centre;
    set_log_interval(c, d, d - half, d + half);
    /* the estimate is against the runs' centre, not the pooled samples */
    c->p_value = sd > 0 ? 2 * (1 - pr_stats_t_cdf(fabs(d) / (sd * sqrt(1 + 1 / (double)n)),
                                                    (double)(n - 1)))
                        : (d == 0 ? 1 : 0);
    return 1;
}

/* ---- verdicts ---- */

/* The regression's estimate and interval: the change's, mirrored for ops
 * (higher is better: the regression is the drop). */
static void regression_of(const pr_metric_change *c, pr_metric m, double *est, double *lo,
                          double *hi)
{
    double e = c->estimate, l = c->has_interval ? c->low : e, h = c->has_interval ? c->high : e;

    if (pr_metric_higher_is_better(m)) {
        *est = -e;
        *lo = -h;
        *hi = -l;
    } else {
        *est = e;
        *lo = l;
        *hi = h;
    }
}

/* The verdict, level and failing of metric M from its estimate: the
 * thresholds, and significance from the interval, else from P_SIG (a test
 * without an interval: -1 none, 0 not significant, 1 significant). */
static void classify(pr_metric_change *c, pr_metric m, const pr_compare_options *opt, int p_sig)
{
    const pr_threshold *warn = &opt->warn.of[m], *fail = &opt->fail.of[m];
    const pr_threshold *gate = fail->set ? fail : warn;
    double reg, lo, hi, limit;
    int slower, faster;

    regression_of(c, m, &reg, &lo, &hi);
    if (c->short_level) {
        slower = faster = 0;
    } else if (c->has_interval) {
        slower = lo > 0;
        faster = hi < 0;
    } else {
        /* against a baseline of 0 only the absolute change has a sign */
        double sign = c->relative_valid ? reg : c->abs_regression;
        slower = p_sig != 0 && sign > 0;
        faster = p_sig != 0 && sign < 0;
    }

    c->level = PR_LEVEL_NORMAL;
    /* A wider spread is worth a warning, never "critical": one interrupt in
     * a sample can double a stddev while the code has not changed. */
    if (slower && beyond(c, warn, reg, 2) && !pr_metric_is_spread(m))
        c->level = PR_LEVEL_CRITICAL;
    else if (slower && beyond(c, warn, reg, 1))
        c->level = PR_LEVEL_WARNING;
    else if (faster && m == opt->primary && improved(c, warn, reg))
        c->level = PR_LEVEL_IMPROVED;
    /* No percentage applies to a baseline of no allocations, but starting
     * to allocate in a loop that did not is worth a look: it stands in for
     * the relative warning threshold that cannot apply. */
    if (m == PR_METRIC_ALLOCS && c->level == PR_LEVEL_NORMAL && warn->set && warn->relative &&
        c->baseline == 0 && c->current >= ALLOCS_FROM_NONE)
        c->level = PR_LEVEL_WARNING;
    c->failing = slower && beyond(c, fail, reg, 1);

    /* The verdicts judge speed: the location metrics at their fail or
     * warn threshold; the others (spread, memory, allocations) only at a
     * --fail threshold given for them, and otherwise warn by level. */
    c->judged = located(m) ? gate->set : fail->set;
    c->gate_is_fail = fail->set;
    limit = relative_limit(gate, c->baseline);
    c->gate = limit > 0 ? limit : 0;
    if (!c->judged) {
        c->verdict = PR_VERDICT_PASS;
    } else if (slower && beyond(c, gate, reg, 1)) {
        c->verdict = PR_VERDICT_FAIL;
    } else if (c->short_level) {
        c->verdict = PR_VERDICT_INCONCLUSIVE;
    } else if (c->has_interval ? (limit >= 0 && hi < limit)
                               : (p_sig != 0 || !beyond(c, gate, reg, 1))) {
        c->verdict = PR_VERDICT_PASS;
    } else {
        c->verdict = PR_VERDICT_INCONCLUSIVE;
    }
    if (m == PR_METRIC_ALLOCS && c->level == PR_LEVEL_WARNING && c->verdict == PR_VERDICT_PASS &&
        !fail->set && c->baseline == 0)
        c->verdict = PR_VERDICT_FAIL; /* the warning that stands in for a percentage */
    /* beyond a threshold, but not significantly so */
    c->noise = (!slower && (beyond(c, warn, reg, 1) || beyond(c, fail, reg, 1))) ||
               (!faster && m == opt->primary && improved(c, warn, reg));
}

/* How bad a level is for the entry: an improvement beats normal, anything
 * worse than normal beats an improvement. */
static int level_rank(pr_level v)
{
    switch (v) {
    case PR_LEVEL_NORMAL:
        return 0;
    case PR_LEVEL_IMPROVED:
        return 1;
    case PR_LEVEL_WARNING:
        return 2;
    case PR_LEVEL_CRITICAL:
        return 3;
    }
    return 0;
}

static int approaching(const pr_cmp_entry *e, const pr_compare_options *opt)
{
    const pr_metric_change *c = &e->metrics[e->worst];
    const pr_threshold *fail = &opt->fail.of[e->worst];
    double reg, lo, hi;

    if (c->level != PR_LEVEL_WARNING || e->failing || !fail->set || !c->valid)
        return 0;
    regression_of(c, e->worst, &reg, &lo, &hi);
    if (fail->relative)
        return c->relative_valid && reg >= fail->value - APPROACH_POINTS;
    return c->abs_regression >= fail->value * (1 - APPROACH_FRACTION);
}

/* The method for the location metrics of E (compare.h). */
static pr_method choose_method(const pr_cmp_entry *e, const pr_compare_options *opt)
{
    const pr_result *b = e->baseline, *c = e->current;

    if (!opt->significance || c->stats.n == 0)
        return PR_METHOD_NONE;
    /* paired runs are judged paired, or not at all (too few rounds) */
    if (opt->paired)
        return PR_METHOD_PAIRED;
    if (b->n_runs >= 2)
        return PR_METHOD_RUNS;
    if (b->n_samples == 0 || c->n_samples == 0)
        return PR_METHOD_NONE;
    if (b->n_processes >= 2 && c->n_processes >= 2)
        return PR_METHOD_PROCESSES;
    return PR_METHOD_SAMPLES;
}

/* Estimates and intervals of E's location metrics by its method; the
 * method falls back to the next one down where its data will not do. */
static int estimate_located(pr_cmp_entry *e, const pr_compare_options *opt)
{
    sides s;
    int m, err, have_sides = 0, p_sig = -1;

    e->method = choose_method(e, opt);
    if (e->method == PR_METHOD_PAIRED || e->method == PR_METHOD_PROCESSES) {
        err = sides_init(&s, e->baseline, e->current);
        if (err == PR_ENOMEM)
            return err;
        if (err && e->method == PR_METHOD_PROCESSES)
            e->method = PR_METHOD_SAMPLES;
        else if (!err)
            have_sides = 1;
    }
    if (e->method == PR_METHOD_SAMPLES) {
        err = pr_stats_mann_whitney(e->current->samples_ns, e->current->n_samples,
                                    e->baseline->samples_ns, e->baseline->n_samples, &e->mwu);
        if (err == PR_ENOMEM)
            return err;
        if (err < 0) {
            memset(&e->mwu, 0, sizeof e->mwu);
            e->testable = 0;
            e->method = PR_METHOD_NONE;
        } else {
            e->tested = 1;
            e->p_value = e->mwu.p_value;
            e->testable = e->mwu.min_p < opt->alpha;
            if (e->testable)
                p_sig = e->mwu.p_value < opt->alpha;
        }
    } else if (e->method == PR_METHOD_NONE && opt->significance && e->current->stats.n > 0) {
        e->testable = 0; /* statistics without samples: nothing to test */
    }

    e->rounds = e->method == PR_METHOD_PAIRED  ? (have_sides ? s.n_cur : 1)
                : e->method == PR_METHOD_RUNS ? e->baseline->n_runs
                : e->method == PR_METHOD_PROCESSES
                    ? (s.n_cur < s.n_base ? s.n_cur : s.n_base)
                    : 0;
    for (m = 0; m < PR_METRIC_COUNT; m++) {
        pr_metric_change *c = &e->metrics[m];
        int ok = 0;
        if (!c->valid || !located((pr_metric)m))
            continue;
        switch (e->method) {
        case PR_METHOD_PAIRED: {
            pr_signed_rank sr;
            ok = have_sides && judge_paired(c, (pr_metric)m, &s, opt->alpha, &sr);
            if (ok && m == PR_METRIC_MEAN)
                e->paired = sr;
            /* fewer than two rounds, or not as many on both sides: nothing
             * to decide with */
            if (!ok)
                c->short_level = 1;
            break;
        }
        case PR_METHOD_PROCESSES: {
            pr_welch w;
            ok = judge_processes(c, (pr_metric)m, &s, opt->alpha, &w);
            if (ok && m == PR_METRIC_MEAN) {
                e->welch = w;
                e->by_process = 1;
            }
            break;
        }
        case PR_METHOD_RUNS:
            ok = judge_runs(c, (pr_metric)m, e->baseline, opt->alpha);
            break;
        case PR_METHOD_SAMPLES:
            c->p_value = e->mwu.p_value;
            break;
        case PR_METHOD_NONE:
            break;
        }
        if (ok)
            e->tested = 1;
        classify(c, (pr_metric)m, opt, c->has_interval ? -1 : p_sig);
    }
    if (e->tested && e->method != PR_METHOD_SAMPLES) {
        e->p_value = e->metrics[opt->primary].p_value;
        if (!isfinite(e->p_value))
            e->p_value = e->metrics[PR_METRIC_MEAN].p_value;
    }
    if (have_sides)
        sides_release(&s);
    return 0;
}

/* The entry's verdict, level, failing and worst metric from its metrics'. */
static void summarise_entry(pr_cmp_entry *e, const pr_compare_options *opt)
{
    int m, best = 0, worst_verdict = -1, pick = -1, i, rank;
    const pr_metric_change *p = &e->metrics[opt->primary];

    e->level = PR_LEVEL_NORMAL;
    e->verdict = PR_VERDICT_PASS;
    e->failing = 0;
    e->noise = 0;
    for (m = 0; m < PR_METRIC_COUNT; m++) {
        const pr_metric_change *c = &e->metrics[m];
        if (!c->valid)
            continue;
        if (level_rank(c->level) > best) {
            best = level_rank(c->level);
            e->level = c->level;
        }
        if (c->judged && (int)c->verdict > worst_verdict) {
            worst_verdict = (int)c->verdict;
            e->verdict = c->verdict;
        }
        e->failing |= c->failing;
        e->noise |= c->noise;
    }
    /* The metric to show, the primary first at each step: the failing
     * one; else the judged one at the worst warning or critical level;
     * else an inconclusive one; else the one behind the level (a warning
     * of spread or memory, an improvement). */
    for (i = -1; i < PR_METRIC_COUNT && pick < 0; i++) {
        pr_metric mm = i < 0 ? opt->primary : (pr_metric)i;
        if (e->metrics[mm].valid && e->metrics[mm].failing)
            pick = (int)mm;
    }
    for (rank = 3; rank >= 2 && pick < 0; rank--)
        for (i = -1; i < PR_METRIC_COUNT && pick < 0; i++) {
            pr_metric mm = i < 0 ? opt->primary : (pr_metric)i;
            const pr_metric_change *c = &e->metrics[mm];
            if (c->valid && c->judged && level_rank(c->level) == rank)
                pick = (int)mm;
        }
    for (i = -1; i < PR_METRIC_COUNT && pick < 0; i++) {
        pr_metric mm = i < 0 ? opt->primary : (pr_metric)i;
        const pr_metric_change *c = &e->metrics[mm];
        if (c->valid && c->judged && c->verdict == PR_VERDICT_INCONCLUSIVE)
            pick = (int)mm;
    }
    for (i = -1; i < PR_METRIC_COUNT && pick < 0; i++) {
        pr_metric mm = i < 0 ? opt->primary : (pr_metric)i;
        if (e->metrics[mm].valid && e->metrics[mm].level == e->level)
            pick = (int)mm;
    }
    e->worst = pick >= 0 ? (pr_metric)pick : opt->primary;
    e->approaching = approaching(e, opt);
    e->significant = 1;
    if (p->valid && located(opt->primary)) {
        double reg, lo, hi;
        regression_of(p, opt->primary, &reg, &lo, &hi);
        if (p->has_interval)
            e->significant = lo > 0 || hi < 0;
        else if (e->method == PR_METHOD_SAMPLES && e->testable)
            e->significant = e->mwu.p_value < opt->alpha;
    }
}

static int judge_matched(pr_cmp_entry *e, const pr_compare_options *opt)
{
    int m, err;

    /* A current result marked ok but holding no statistics has no
     * timings: those metrics stay invalid. The per-run figures do not come
     * from the samples and are compared all the same. */
    for (m = 0; m < PR_METRIC_COUNT; m++) {
        if (!pr_metric_is_per_run((pr_metric)m) && e->current->stats.n == 0)
            continue;
        /* An A/B, or a baseline of several runs, pools processes that met
         * different machine states: the spread of those samples says
         * nothing of the code, unless a --fail threshold asks for it. */
        if ((opt->paired || e->baseline->n_runs >= 2) && pr_metric_is_spread((pr_metric)m) &&
            !opt->fail.of[m].set)
            continue;
        measure_metric(&e->metrics[m], (pr_metric)m, e->baseline, e->current);
    }
    e->testable = 1;
    if ((err = estimate_located(e, opt)) < 0)
        return err;
    for (m = 0; m < PR_METRIC_COUNT; m++)
        if (e->metrics[m].valid && !located((pr_metric)m))
            classify(&e->metrics[m], (pr_metric)m, opt, -1);
    summarise_entry(e, opt);
    return 0;
}

/* ---- the suite-wide shift ---- */

static int by_value(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* The median of the N values of V (sorted in place). */
static double median_of(double *v, size_t n)
{
    qsort(v, n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* 1 when entry E takes part in the shift of metric M. */
static int shift_candidate(const pr_cmp_entry *e, pr_metric m)
{
    const pr_metric_change *c = &e->metrics[m];
    return e->kind == PR_CMP_MATCHED && e->method != PR_METHOD_PAIRED && c->valid && c->judged &&
           isfinite(c->estimate) && c->estimate > -1;
}

/* Re-judges metric M of every candidate relative to the median move of the
 * suite, when most benchmarks moved that way (compare.h). Records the
 * primary metric's shift in CMP. */
static int apply_shift(pr_comparison *cmp, pr_metric m)
{
    const pr_compare_options *opt = &cmp->options;
    double *d = NULL, *r = NULL, shift, spread, z;
    size_t i, n = 0, agree = 0;

    if (!(d = malloc((cmp->n_entries ? cmp->n_entries : 1) * 2 * sizeof *d)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    r = d + (cmp->n_entries ? cmp->n_entries : 1);
    for (i = 0; i < cmp->n_entries; i++)
        if (shift_candidate(&cmp->entries[i], m))
            d[n++] = log1p(cmp->entries[i].metrics[m].estimate);
    if (n < PR_SHIFT_MIN_BENCHMARKS) {
        free(d);
        return 0;
    }
    memcpy(r, d, n * sizeof *d);
    shift = median_of(r, n);
    for (i = 0; i < n; i++)
        if ((shift > 0 ? d[i] : -d[i]) > log1p(PR_SHIFT_FLOOR))
            agree++;
    if (fabs(shift) <= log1p(PR_SHIFT_MIN) || (double)agree < PR_SHIFT_AGREE * (double)n) {
        free(d);
        return 0;
    }
    /* how much the benchmarks disagree about the move: the MAD of what is
     * left of each, as a standard deviation */
    for (i = 0; i < n; i++)
        r[i] = fabs(d[i] - shift);
    spread = 1.4826 * median_of(r, n);
    z = pr_stats_t_quantile(1 - opt->alpha / 2, INFINITY);
    for (i = 0; i < cmp->n_entries; i++) {
        pr_cmp_entry *e = &cmp->entries[i];
        pr_metric_change *c = &e->metrics[m];
        double centre, half, raw_reg, raw_lo, raw_hi;
        int raw_crossed, raw_improved;
        if (!shift_candidate(e, m))
            continue;
        regression_of(c, m, &raw_reg, &raw_lo, &raw_hi);
        /* a regression that crossed: failing, warning, critical, or
         * beyond a threshold without significance (not an improvement) */
        raw_crossed = c->verdict == PR_VERDICT_FAIL || c->level == PR_LEVEL_WARNING ||
                      c->level == PR_LEVEL_CRITICAL || (c->noise && raw_reg > 0);
        raw_improved = c->level == PR_LEVEL_IMPROVED;
        c->unshifted = c->estimate;
        centre = log1p(c->estimate) - shift;
        half = c->has_interval ? (log1p(c->high) - log1p(c->low)) / 2 : 0;
        half = sqrt(half * half + z * spread * z * spread);
        set_log_interval(c, centre, centre - half, centre + half);
        c->shifted = 1;
        classify(c, m, opt, -1);
        if (raw_crossed && c->verdict != PR_VERDICT_FAIL) {
            c->verdict = PR_VERDICT_INCONCLUSIVE;
            c->with_suite = 1;
        }
        /* Faster than the suite but not than the baseline is no
         * improvement: its report would offer a baseline made while the
         * machine was slow. */
        if (c->level == PR_LEVEL_IMPROVED && !raw_improved)
            c->level = PR_LEVEL_NORMAL;
    }
    if (m == opt->primary) {
        cmp->has_shift = 1;
        cmp->shift = expm1(shift);
        cmp->shift_n = n;
        cmp->shift_agree = agree;
    }
    free(d);
    return 0;
}

static int judge_shift(pr_comparison *cmp)
{
    int m, err;
    size_t i;

    if (cmp->options.paired || !cmp->options.suite_shift || !cmp->options.significance)
        return 0;
    for (m = 0; m < PR_METRIC_COUNT; m++) {
        if (!located((pr_metric)m))
            continue;
        if ((err = apply_shift(cmp, (pr_metric)m)) < 0)
            return err;
    }
    if (cmp->has_shift)
        for (i = 0; i < cmp->n_entries; i++)
            if (cmp->entries[i].kind == PR_CMP_MATCHED)
                summarise_entry(&cmp->entries[i], &cmp->options);
    return 0;
}

size_t pr_compare_rounds_needed(const pr_cmp_entry *e)
{
    const pr_metric_change *c;
    double target, need;

    if (!e || e->kind != PR_CMP_MATCHED || (unsigned)e->worst >= PR_METRIC_COUNT)
        return 0;
    c = &e->metrics[e->worst];
    if (!c->judged || !c->has_interval || c->verdict != PR_VERDICT_INCONCLUSIVE || !(c->gate > 0) ||
        e->rounds < 2 || c->shifted)
        return 0;
    target = 0.7 * c->gate;
    if (c->resolution <= target)
        return 0;
    if (e->method == PR_METHOD_RUNS) {
        /* N runs give t(N-1) s sqrt(1 + 1/N): never below z s, the current
         * run's own spread, however many runs the baseline has */
        double t = pr_stats_t_quantile(0.975, (double)(e->rounds - 1));
        double s = c->resolution / (t * sqrt(1 + 1 / (double)e->rounds));
        size_t n;
        if (1.96 * s >= target)
            return 0;
        for (n = e->rounds + 1; n < 1000; n++)
            if (pr_stats_t_quantile(0.975, (double)(n - 1)) * s * sqrt(1 + 1 / (double)n) <= target)
                return n;
        return 0;
    }
    need = ceil((double)e->rounds * (c->resolution / target) * (c->resolution / target));
    return need < 1e9 ? (size_t)need : 0;
}

static int same_string(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static void add_string_change(pr_strbuf *sb, const char *field, const char *a, const char *b)
{
    if (same_string(a, b))
        return;
    if (sb->len)
        pr_strbuf_adds(sb, "; ");
    pr_strbuf_addf(sb, "%s ", field);
    if (a)
        pr_strbuf_addf(sb, "'%s'", a);
    else
        pr_strbuf_adds(sb, "unknown");
    pr_strbuf_adds(sb, " -> ");
    if (b)
        pr_strbuf_addf(sb, "'%s'", b);
    else
        pr_strbuf_adds(sb, "unknown");
}

/* The differences of machine and build that make timings incomparable;
 * volatile figures (host name, kernel, date, clock cost) are left out. */
int pr_compare_machine(const pr_context *a, const pr_context *b, char **out)
{
    pr_strbuf sb = PR_STRBUF_INIT;

    *out = NULL;
    add_string_change(&sb, "cpu_model", a->cpu_model, b->cpu_model);
    if (a->logical_cores != b->logical_cores) {
        if (sb.len)
            pr_strbuf_adds(&sb, "; ");
        pr_strbuf_adds(&sb, "logical_cores ");
        if (a->logical_cores > 0)
            pr_strbuf_addf(&sb, "%d", a->logical_cores);
        else
            pr_strbuf_adds(&sb, "unknown");
        pr_strbuf_adds(&sb, " -> ");
        if (b->logical_cores > 0)
            pr_strbuf_addf(&sb, "%d", b->logical_cores);
        else
            pr_strbuf_adds(&sb, "unknown");
    }
    add_string_change(&sb, "os", a->os, b->os);
    add_string_change(&sb, "arch", a->arch, b->arch);
    add_string_change(&sb, "compiler", a->compiler, b->compiler);
    add_string_change(&sb, "build_type", a->build_type, b->build_type);
    if (pr_strbuf_error(&sb) < 0) {
        pr_strbuf_release(&sb);
        return pr_error_set(PR_ENOMEM, "out of memory");
    }
    if (sb.len == 0)
        return 0;
    *out = pr_strbuf_detach(&sb, NULL);
    pr_strbuf_release(&sb);
    if (!*out)
        return pr_error_set(PR_ENOMEM, "out of memory");
    return 0;
}

static void count_entry(pr_comparison *cmp, const pr_cmp_entry *e)
{
    switch (e->kind) {
    case PR_CMP_MATCHED:
        switch (e->level) {
        case PR_LEVEL_IMPROVED:
            cmp->n_improved++;
            break;
        case PR_LEVEL_NORMAL:
            cmp->n_normal++;
            break;
        case PR_LEVEL_WARNING:
            cmp->n_warning++;
            break;
        case PR_LEVEL_CRITICAL:
            cmp->n_critical++;
            break;
        }
        if (!e->testable)
            cmp->n_untestable++;
        if (e->verdict == PR_VERDICT_FAIL)
            cmp->n_fail++;
        else if (e->verdict == PR_VERDICT_INCONCLUSIVE)
            cmp->n_inconclusive++;
        else
            cmp->n_pass++;
        break;
    case PR_CMP_NEW:
        cmp->n_new++;
        break;
    case PR_CMP_MISSING:
        cmp->n_missing++;
        break;
    case PR_CMP_FAILED:
        cmp->n_failed++;
        break;
    }
    if (e->failing)
        cmp->n_failing++;
    if (e->noise)
        cmp->n_noise++;
}

static void geomean(pr_comparison *cmp)
{
    double sum = 0;
    size_t i, n = 0;

    for (i = 0; i < cmp->n_entries; i++) {
        const pr_cmp_entry *e = &cmp->entries[i];
        const pr_metric_change *c = &e->metrics[cmp->options.primary];
        if (e->kind != PR_CMP_MATCHED || !c->valid || !(c->baseline > 0) || !(c->current > 0))
            continue;
        sum += log(c->current / c->baseline);
        n++;
    }
    cmp->geomean_n = n;
    cmp->geomean_change = n ? exp(sum / (double)n) - 1 : 0;
}

static pr_cmp_entry *new_entry(pr_comparison *cmp, const char *name, pr_cmp_kind kind,
                               const pr_result *baseline, const pr_result *current)
{
    pr_cmp_entry *e = &cmp->entries[cmp->n_entries++];
    int m;

    memset(e, 0, sizeof *e);
    for (m = 0; m < PR_METRIC_COUNT; m++)
        e->metrics[m].level = PR_LEVEL_NORMAL;
    e->name = name;
    e->kind = kind;
    e->baseline = baseline;
    e->current = current;
    e->testable = 1;
    e->significant = 1;
    e->level = PR_LEVEL_NORMAL;
    e->worst = cmp->options.primary;
    return e;
}

/* stats.n, not n_samples: statistics without samples compare too */
static int usable(const pr_result *r)
{
    return r && r->status == PR_STATUS_OK && r->stats.n > 0;
}

/* A run's results sorted by name (then position), for matching by name in
 * O(log n): a linear pr_run_find per benchmark made comparing 10,000
 * benchmarks spend a third of its time in strcmp. */
typedef struct name_index {
    const pr_result **sorted;
    size_t n;
} name_index;

static int by_name(const void *pa, const void *pb)
{
    const pr_result *a = *(const pr_result *const *)pa, *b = *(const pr_result *const *)pb;
    int c = strcmp(a->name, b->name);
    return c ? c : (a > b) - (a < b);
}

static int index_names(const pr_run *run, name_index *ix)
{
    size_t i;

    ix->n = 0;
    if (!(ix->sorted = malloc((run->n_results ? run->n_results : 1) * sizeof *ix->sorted)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    for (i = 0; i < run->n_results; i++)
        if (run->results[i].name)
            ix->sorted[ix->n++] = &run->results[i];
    qsort(ix->sorted, ix->n, sizeof *ix->sorted, by_name);
    return 0;
}

/* The first result named NAME, as pr_run_find gives it; NULL when none. */
static const pr_result *find_name(const name_index *ix, const char *name)
{
    size_t lo = 0, hi = ix->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix->sorted[mid]->name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ix->n && strcmp(ix->sorted[lo]->name, name) == 0 ? ix->sorted[lo] : NULL;
}

int pr_compare_runs(const pr_run *baseline, const pr_run *current, const pr_compare_options *opt,
                    pr_comparison *out)
{
    name_index base_ix = {NULL, 0}, cur_ix = {NULL, 0};
    size_t i, cap;
    int err = 0;

    memset(out, 0, sizeof *out);
    out->baseline = baseline;
    out->current = current;
    if (opt)
        out->options = *opt;
    else
        pr_compare_options_init(&out->options);
    if ((unsigned)out->options.primary >= PR_METRIC_COUNT)
        out->options.primary = PR_METRIC_MEAN;
    opt = &out->options;

    if (current->n_results > SIZE_MAX / sizeof *out->entries - baseline->n_results)
        return pr_error_set(PR_ENOMEM, "out of memory");
    cap = current->n_results + baseline->n_results;
    if (cap) {
        out->entries = calloc(cap, sizeof *out->entries);
        if (!out->entries)
            return pr_error_set(PR_ENOMEM, "out of memory");
    }

    if ((err = index_names(baseline, &base_ix)) < 0 || (err = index_names(current, &cur_ix)) < 0)
        goto fail;
    for (i = 0; i < current->n_results; i++) {
        const pr_result *cur = &current->results[i];
        const pr_result *base = cur->name ? find_name(&base_ix, cur->name) : NULL;
        pr_cmp_entry *e;

        if (cur->status != PR_STATUS_OK) {
            new_entry(out, cur->name, PR_CMP_FAILED, base, cur);
        } else if (!usable(base)) {
            /* A baseline that failed or holds no statistics gives nothing
             * to compare against. */
            new_entry(out, cur->name, PR_CMP_NEW, NULL, cur);
        } else {
            e = new_entry(out, cur->name, PR_CMP_MATCHED, base, cur);
            if ((err = judge_matched(e, opt)) < 0)
                goto fail;
        }
    }
    for (i = 0; i < baseline->n_results; i++) {
        const pr_result *base = &baseline->results[i];
        pr_cmp_entry *e;

        if (!base->name || find_name(&cur_ix, base->name))
            continue;
        e = new_entry(out, base->name, PR_CMP_MISSING, base, NULL);
        e->failing = opt->fail_on_missing != 0;
    }

    if ((err = judge_shift(out)) < 0)
        goto fail;
    for (i = 0; i < out->n_entries; i++)
        count_entry(out, &out->entries[i]);
    geomean(out);
    if ((err = pr_compare_machine(&baseline->context, &current->context, &out->machine_mismatch)) <
        0)
        goto fail;
    free(base_ix.sorted);
    free(cur_ix.sorted);
    return 0;

fail:
    free(base_ix.sorted);
    free(cur_ix.sorted);
    pr_comparison_release(out);
    return err;
}

void pr_comparison_release(pr_comparison *cmp)
{
    if (!cmp)
        return;
    free(cmp->entries);
    free(cmp->machine_mismatch);
    memset(cmp, 0, sizeof *cmp);
}

int pr_comparison_failed(const pr_comparison *cmp)
{
    if (!cmp)
        return 0;
    return cmp->n_failing > 0 ||
           (cmp->options.inconclusive == PR_INCONCLUSIVE_FAIL && cmp->n_inconclusive > 0);
}
