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
/* allocations per iteration that make a warning against a baseline of none */
#define ALLOCS_FROM_NONE 1.0

void pr_compare_options_init(pr_compare_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->warn.of[PR_METRIC_MEAN] = (pr_threshold){1, 1, 0.10};
    opt->warn.of[PR_METRIC_MEDIAN] = (pr_threshold){1, 1, 0.10};
    opt->warn.of[PR_METRIC_STDDEV] = (pr_threshold){1, 1, 0.50};
    opt->warn.of[PR_METRIC_OPS] = (pr_threshold){1, 1, 0.10};
    opt->warn.of[PR_METRIC_MEMORY] = (pr_threshold){1, 1, 0.20};
    opt->warn.of[PR_METRIC_ALLOCS] = (pr_threshold){1, 1, 0.20};
    opt->alpha = 0.05;
    opt->significance = 1;
    opt->fail_on_missing = 0;
    opt->primary = PR_METRIC_MEAN;
}

const char *pr_verdict_name(pr_verdict v)
{
    switch (v) {
    case PR_VERDICT_IMPROVED:
        return "improved";
    case PR_VERDICT_NORMAL:
        return "normal";
    case PR_VERDICT_WARNING:
        return "warning";
    case PR_VERDICT_CRITICAL:
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

/* A regression beyond LIMIT times the threshold T ("beyond" is strict). A
 * relative threshold says nothing when the baseline value is 0. */
static int beyond(const pr_metric_change *c, const pr_threshold *t, double times)
{
    if (!t->set)
        return 0;
    if (t->relative)
        return c->relative_valid && c->regression > times * t->value;
    return c->abs_regression > times * t->value;
}

/* An improvement past -T. */
static int improved(const pr_metric_change *c, const pr_threshold *t)
{
    if (!t->set)
        return 0;
    if (t->relative)
        return c->relative_valid && c->regression < -t->value;
    return c->abs_regression < -t->value;
}

/* Only the location statistics of the samples pass the U test's gate: it
 * judges location, not spread, and the per-run figures (memory, allocs)
 * have no samples to test. */
static int gated(pr_metric m)
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
    c->relative_valid = c->baseline != 0;
    c->change = c->relative_valid ? (c->current - c->baseline) / c->baseline : 0;
    if (pr_metric_higher_is_better(m)) {
        c->regression = -c->change;
        c->abs_regression = c->baseline - c->current;
    } else {
        c->regression = c->change;
        c->abs_regression = c->current - c->baseline;
    }
}

static void judge_metric(pr_metric_change *c, pr_metric m, const pr_compare_options *opt,
                         int significant)
{
    const pr_threshold *warn = &opt->warn.of[m], *fail = &opt->fail.of[m];

    c->verdict = PR_VERDICT_NORMAL;
    /* A wider spread is worth a warning, never "critical": one interrupt in
     * a sample can double a stddev while the code has not changed. */
    if (beyond(c, warn, 2) && !pr_metric_is_spread(m))
        c->verdict = PR_VERDICT_CRITICAL;
    else if (beyond(c, warn, 1))
        c->verdict = PR_VERDICT_WARNING;
    else if (m == opt->primary && improved(c, warn))
        c->verdict = PR_VERDICT_IMPROVED;
    /* No percentage applies to a baseline of no allocations, but starting
     * to allocate in a loop that did not is worth a look: it stands in for
     * the relative warning threshold that cannot apply. */
    if (m == PR_METRIC_ALLOCS && c->verdict == PR_VERDICT_NORMAL && warn->set && warn->relative &&
        c->baseline == 0 && c->current >= ALLOCS_FROM_NONE)
        c->verdict = PR_VERDICT_WARNING;
    c->failing = beyond(c, fail, 1);

    if (!significant && gated(m)) {
        if (c->verdict != PR_VERDICT_NORMAL) {
            c->verdict = PR_VERDICT_NORMAL;
            c->noise = 1;
        }
        if (c->failing) {
            c->failing = 0;
            c->noise = 1;
        }
    }
}

/* How bad a verdict is for the entry: an improvement beats normal, anything
 * worse than normal beats an improvement. */
static int verdict_rank(pr_verdict v)
{
    switch (v) {
    case PR_VERDICT_NORMAL:
        return 0;
    case PR_VERDICT_IMPROVED:
        return 1;
    case PR_VERDICT_WARNING:
        return 2;
    case PR_VERDICT_CRITICAL:
        return 3;
    }
    return 0;
}

/* The first metric satisfying PRED in the order primary, then enum order;
 * -1 when none. */
static int pick_metric(const pr_cmp_entry *e, pr_metric primary, int by_failing, pr_verdict v)
{
    int i;

    for (i = -1; i < PR_METRIC_COUNT; i++) {
        pr_metric m = i < 0 ? primary : (pr_metric)i;
        const pr_metric_change *c = &e->metrics[m];
        if (by_failing ? c->failing : c->verdict == v)
            return (int)m;
    }
    return -1;
}

static int approaching(const pr_cmp_entry *e, const pr_compare_options *opt)
{
    const pr_metric_change *c = &e->metrics[e->worst];
    const pr_threshold *fail = &opt->fail.of[e->worst];

    if (e->verdict != PR_VERDICT_WARNING || e->failing || !fail->set || !c->valid)
        return 0;
    if (fail->relative)
        return c->relative_valid && c->regression >= fail->value - APPROACH_POINTS;
    return c->abs_regression >= fail->value * (1 - APPROACH_FRACTION);
}

/* The mean of each process's samples of R into MEANS (R->n_processes). */
static void process_means(const pr_result *r, double *means)
{
    size_t i, j, at = 0;
    for (i = 0; i < r->n_processes; i++) {
        double sum = 0;
        for (j = 0; j < r->process_samples[i]; j++)
            sum += r->samples_ns[at + j];
        at += r->process_samples[i];
        means[i] = sum / (double)r->process_samples[i];
    }
}

/* Welch's test on the per-process means when both sides have them: 1 when
 * it decided, 0 when it cannot apply (the U test then decides). */
static int test_processes(pr_cmp_entry *e, const pr_compare_options *opt)
{
    const pr_result *cur = e->current, *base = e->baseline;
    double *means;
    int err;

    if (cur->n_processes < 2 || base->n_processes < 2)
        return 0;
    if (!(means = malloc((cur->n_processes + base->n_processes) * sizeof *means)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    process_means(cur, means);
    process_means(base, means + cur->n_processes);
    err = pr_stats_welch(means, cur->n_processes, means + cur->n_processes, base->n_processes,
                         opt->alpha, &e->welch);
    free(means);
    if (err < 0)
        return 0;
    e->tested = 1;
    e->by_process = 1;
    e->p_value = e->welch.p_value;
    e->significant = e->welch.ci_low > 0 || e->welch.ci_high < 0;
    return 1;
}

/* The test behind the gate. Only running out of memory is an error: data
 * the tests refuse (which the statistics would already have refused) leave
 * the entry untestable, so the plain threshold decides. */
static int test_significance(pr_cmp_entry *e, const pr_compare_options *opt)
{
    int err;

    e->tested = 0;
    e->testable = 1;
    e->significant = 1;
    if (!opt->significance)
        return 0;
    if ((err = test_processes(e, opt)) != 0)
        return err < 0 ? err : 0;
    err = pr_stats_mann_whitney(e->current->samples_ns, e->current->n_samples,
                                e->baseline->samples_ns, e->baseline->n_samples, &e->mwu);
    if (err == PR_ENOMEM)
        return err;
    if (err < 0) {
        memset(&e->mwu, 0, sizeof e->mwu);
        e->testable = 0;
        return 0;
    }
    e->tested = 1;
    e->p_value = e->mwu.p_value;
    e->testable = e->mwu.min_p < opt->alpha;
    e->significant = e->testable ? e->mwu.p_value < opt->alpha : 1;
    return 0;
}

static int judge_matched(pr_cmp_entry *e, const pr_compare_options *opt)
{
    int m, pick, best = 0, err;

    /* Statistics without samples (imported from a tool that reports only
     * those, or read from a note) are compared, but there is nothing for
     * the U test: untestable, the plain threshold decides. A current result
     * marked ok but holding neither has no timings: those metrics stay
     * invalid. The per-run figures do not come from the samples and are
     * compared all the same. */
    if (e->current->n_samples > 0 && e->baseline->n_samples > 0) {
        if ((err = test_significance(e, opt)) < 0)
            return err;
    } else if (opt->significance && e->current->stats.n > 0) {
        e->testable = 0;
    }
    for (m = 0; m < PR_METRIC_COUNT; m++) {
        if (!pr_metric_is_per_run((pr_metric)m) && e->current->stats.n == 0)
            continue;
        measure_metric(&e->metrics[m], (pr_metric)m, e->baseline, e->current);
        if (e->metrics[m].valid)
            judge_metric(&e->metrics[m], (pr_metric)m, opt, e->significant);
    }

    e->verdict = PR_VERDICT_NORMAL;
    for (m = 0; m < PR_METRIC_COUNT; m++) {
        const pr_metric_change *c = &e->metrics[m];
        if (verdict_rank(c->verdict) > best) {
            best = verdict_rank(c->verdict);
            e->verdict = c->verdict;
        }
        e->failing |= c->failing;
        e->noise |= c->noise;
    }
    pick = pick_metric(e, opt->primary, e->failing, e->verdict);
    e->worst = pick >= 0 ? (pr_metric)pick : opt->primary;
    e->approaching = approaching(e, opt);
    return 0;
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
        switch (e->verdict) {
        case PR_VERDICT_IMPROVED:
            cmp->n_improved++;
            break;
        case PR_VERDICT_NORMAL:
            cmp->n_normal++;
            break;
        case PR_VERDICT_WARNING:
            cmp->n_warning++;
            break;
        case PR_VERDICT_CRITICAL:
            cmp->n_critical++;
            break;
        }
        if (!e->testable)
            cmp->n_untestable++;
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
        e->metrics[m].verdict = PR_VERDICT_NORMAL;
    e->name = name;
    e->kind = kind;
    e->baseline = baseline;
    e->current = current;
    e->testable = 1;
    e->significant = 1;
    e->verdict = PR_VERDICT_NORMAL;
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
    return cmp && cmp->n_failing > 0;
}
