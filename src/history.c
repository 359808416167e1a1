/*
 * history.c - the trend of every benchmark across recorded runs: keep the
 * runs of one machine and the last N of them, lay out one series per
 * benchmark with one point per run, the change from each present point to
 * the previous one, the step changes, and the baseline as a reference.
 * Loading the runs (store, git notes) is the caller's job; rendering is the
 * report's and the results module's. The step rule is documented in
 * docs/history.md; keep the two in step.
 */
#include <fnmatch.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "error.h"
#include "history.h"
#include "strbuf.h"
#include "banned.h"

/* The widest window of present points on each side of a candidate step. */
#define STEP_WINDOW 5
/* The narrowest window on each side: one run alone is an outlier, never a level. */
#define STEP_MIN_SIDE 2

void pr_history_options_init(pr_history_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->stat = PR_METRIC_MEDIAN;
    opt->last = PR_HISTORY_DEFAULT_LAST;
    opt->all_machines = 0;
    opt->step_threshold = PR_HISTORY_DEFAULT_STEP;
    opt->patterns = NULL;
    opt->n_patterns = 0;
    opt->baseline = NULL;
}

/* ---- the step rule ------------------------------------------------------ */

static double window_median(const double *v, size_t n)
{
    double sorted[STEP_WINDOW];
    size_t i, j;

    for (i = 0; i < n; i++) {
        double x = v[i];
        for (j = i; j > 0 && sorted[j - 1] > x; j--)
            sorted[j] = sorted[j - 1];
        sorted[j] = x;
    }
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

static void window_range(const double *v, size_t n, double *lo, double *hi)
{
    size_t i;

    *lo = *hi = v[0];
    for (i = 1; i < n; i++) {
        if (v[i] < *lo)
            *lo = v[i];
        if (v[i] > *hi)
            *hi = v[i];
    }
}

/*
 * The three conditions on one pair of windows (docs/history.md). MOVE
 * receives level_after - level_before, CHANGE the same relative to
 * level_before. A level at zero or below has no relative move.
 */
static int windows_step(const double *before, size_t nb, const double *after, size_t na,
                        double threshold, double *move, double *change)
{
    double level_before = window_median(before, nb);
    double level_after = window_median(after, na);
    double lo_before, hi_before, lo_after, hi_after, noise;

    if (!(level_before > 0))
        return 0;
    *move = level_after - level_before;
    *change = *move / level_before;
    if (!(fabs(*change) > threshold))
        return 0;
    window_range(before, nb, &lo_before, &hi_before);
    window_range(after, na, &lo_after, &hi_after);
    if (*move > 0 && !(lo_after > hi_before))
        return 0;
    if (*move < 0 && !(hi_after < lo_before))
        return 0;
    noise = hi_before - lo_before;
    if (hi_after - lo_after > noise)
        noise = hi_after - lo_after;
    return fabs(*move) > 2 * noise;
}

/*
 * How many of the N points of SIDE (nearest to the candidate first) its
 * window keeps: up to STEP_WINDOW, stopping short of another step. The
 * window stops after K points when those K and the up to STEP_WINDOW points
 * beyond them (at least 2 each) pass the three conditions as a step of their
 * own (AFTER_SIDE: the window runs forward from the candidate, so the far
 * points are the later ones). A drift never passes them, so it never
 * shortens a window.
 */
static size_t window_size(const double *side, size_t n, int after_side, double threshold)
{
    size_t size = n < STEP_WINDOW ? n : STEP_WINDOW, k;

    for (k = STEP_MIN_SIDE; k < size && k + STEP_MIN_SIDE <= n; k++) {
        size_t n_far = n - k < STEP_WINDOW ? n - k : STEP_WINDOW;
        double move, change;
        int other = after_side ? windows_step(side, k, side + k, n_far, threshold, &move, &change)
                               : windows_step(side + k, n_far, side, k, threshold, &move, &change);
        if (other)
            return k;
    }
    return size;
}

/*
 * Whether a step starts at the present point I: the windows before it (the
 * nearest present points before I) and after it (the present points from I
 * on) pass the three conditions. MOVE and CHANGE as for windows_step.
 */
static int point_step(const double *values, size_t n, size_t i, double threshold, double *move,
                      double *change)
{
    double before[2 * STEP_WINDOW], after[2 * STEP_WINDOW];
    size_t nb = 0, na = 0, j;

    *move = *change = 0;
    for (j = i; j > 0 && nb < 2 * STEP_WINDOW; j--)
        if (isfinite(values[j - 1]))
            before[nb++] = values[j - 1];
    for (j = i; j < n && na < 2 * STEP_WINDOW; j++)
        if (isfinite(values[j]))
            after[na++] = values[j];
    if (nb < STEP_MIN_SIDE || na < STEP_MIN_SIDE)
        return 0;
    nb = window_size(before, nb, 0, threshold);
    na = window_size(after, na, 1, threshold);
    return windows_step(before, nb, after, na, threshold, move, change);
}

void pr_history_find_steps(const double *values, size_t n, double threshold, int *step,
                           double *step_change)
{
    size_t i;
    size_t group = SIZE_MAX; /* the best point of the current run of candidates */
    double group_move = 0, group_change = 0;

    for (i = 0; i < n; i++) {
        step[i] = 0;
        step_change[i] = 0;
    }
    /* Adjacent candidates (absent points between them do not count) that
     * move the same way are one step, marked where the move is largest. */
    for (i = 0; i < n; i++) {
        double move = 0, change = 0;
        int candidate;

        if (!isfinite(values[i]))
            continue;
        candidate = point_step(values, n, i, threshold, &move, &change);
        if (candidate && group != SIZE_MAX && (move > 0) == (group_move > 0)) {
            if (fabs(move) > fabs(group_move)) {
                group = i;
                group_move = move;
                group_change = change;
            }
            continue;
        }
        if (group != SIZE_MAX) {
            step[group] = 1;
            step_change[group] = group_change;
            group = SIZE_MAX;
        }
        if (candidate) {
            group = i;
            group_move = move;
            group_change = change;
        }
    }
    if (group != SIZE_MAX) {
        step[group] = 1;
        step_change[group] = group_change;
    }
}

/* ---- building the history ----------------------------------------------- */

/* A benchmark name seen in the runs. */
typedef struct name_entry {
    const char *name; /* borrowed from a run */
    size_t order;     /* position of its first appearance */
    size_t series;    /* index into the series, or SIZE_MAX when no pattern selects it */
} name_entry;

static int cmp_name_order(const void *pa, const void *pb)
{
    const name_entry *a = pa, *b = pb;
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    return a->order < b->order ? -1 : a->order > b->order;
}

static int cmp_order(const void *pa, const void *pb)
{
    const name_entry *a = *(const name_entry *const *)pa, *b = *(const name_entry *const *)pb;
    return a->order < b->order ? -1 : a->order > b->order;
}

static int cmp_key_name(const void *key, const void *elem)
{
    return strcmp(key, ((const name_entry *)elem)->name);
}

static char *describe_machine(const pr_context *c)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    char *out;

    pr_strbuf_adds(&sb, c->cpu_model ? c->cpu_model : "unknown");
    if (c->logical_cores > 0)
        pr_strbuf_addf(&sb, ", %d core%s", c->logical_cores, c->logical_cores == 1 ? "" : "s");
    else
        pr_strbuf_adds(&sb, ", unknown cores");
    pr_strbuf_addf(&sb, ", %s %s", c->os ? c->os : "unknown", c->arch ? c->arch : "unknown");
    pr_strbuf_addf(&sb, ", %s", c->compiler ? c->compiler : "unknown");
    pr_strbuf_addf(&sb, ", %s", c->build_type ? c->build_type : "unknown");
    if (pr_strbuf_error(&sb) < 0) {
        pr_strbuf_release(&sb);
        return NULL;
    }
    out = pr_strbuf_detach(&sb, NULL);
    pr_strbuf_release(&sb);
    return out;
}

/* Moves run FROM to slot TO (TO < FROM), leaving FROM empty. */
static void move_run(pr_history *h, size_t to, size_t from)
{
    h->runs[to] = h->runs[from];
    pr_run_init(&h->runs[from]);
    h->sources[to] = h->sources[from];
    h->sources[from] = NULL;
}

static void drop_run(pr_history *h, size_t i)
{
    pr_run_release(&h->runs[i]);
    free(h->sources[i]);
    h->sources[i] = NULL;
}

/* Keeps the runs with the newest run's machine fingerprint. Every slot stays
 * releasable whatever happens, so a failure leaves H for pr_history_release. */
static int filter_machine(pr_history *h)
{
    const pr_run *newest;
    size_t i, kept = 0;
    int err;

    if (h->n_runs == 0)
        return 0;
    newest = &h->runs[h->n_runs - 1];
    h->machine = describe_machine(&newest->context);
    if (!h->machine)
        return pr_error_set(PR_ENOMEM, "out of memory");
    for (i = 0; i < h->n_runs; i++) {
        char *diff = NULL;
        /* the newest run itself is compared last, before it moves */
        if ((err = pr_compare_machine(&newest->context, &h->runs[i].context, &diff)) < 0)
            return err;
        if (diff) {
            free(diff);
            drop_run(h, i);
            h->n_other_machine++;
            continue;
        }
        if (kept != i)
            move_run(h, kept, i);
        kept++;
    }
    h->n_runs = kept;
    return 0;
}

static void keep_last(pr_history *h, size_t last)
{
    size_t i, drop;

    if (last == 0 || h->n_runs <= last)
        return;
    drop = h->n_runs - last;
    for (i = 0; i < drop; i++)
        drop_run(h, i);
    for (i = drop; i < h->n_runs; i++)
        move_run(h, i - drop, i);
    h->n_runs = last;
}

static int selected(const char *name, const pr_history_options *opt)
{
    size_t i;

    if (opt->n_patterns == 0)
        return 1;
    for (i = 0; i < opt->n_patterns; i++)
        if (fnmatch(opt->patterns[i], name, 0) == 0)
            return 1;
    return 0;
}

/*
 * The benchmark names of the kept runs, deduplicated and sorted by name
 * (for lookups), into NAMES; the series are created in order of first
 * appearance for those the patterns select.
 */
static int collect_names(pr_history *h, const pr_history_options *opt, name_entry **out_names,
                         size_t *out_n)
{
    name_entry *names = NULL, **picked = NULL;
    size_t total = 0, n = 0, i, k, n_picked = 0;
    int err = 0;

    *out_names = NULL;
    *out_n = 0;
    for (i = 0; i < h->n_runs; i++)
        total += h->runs[i].n_results;
    if (total > 0) {
        names = malloc(total * sizeof *names);
        if (!names)
            return pr_error_set(PR_ENOMEM, "out of memory");
    }
    for (i = 0; i < h->n_runs; i++)
        for (k = 0; k < h->runs[i].n_results; k++)
            if (h->runs[i].results[k].name) {
                names[n].name = h->runs[i].results[k].name;
                names[n].order = n;
                names[n].series = SIZE_MAX;
                n++;
            }
    if (n > 0)
        qsort(names, n, sizeof *names, cmp_name_order);
    /* the first of equal names has the smallest order: keep it */
    for (i = 0, k = 0; i < n; i++)
        if (k == 0 || strcmp(names[k - 1].name, names[i].name) != 0)
            names[k++] = names[i];
    n = k;

    for (i = 0; i < opt->n_patterns; i++) {
        for (k = 0; k < n; k++)
            if (fnmatch(opt->patterns[i], names[k].name, 0) == 0)
                break;
        if (k == n) {
            err = pr_error_set(PR_EUSAGE, "'%s' matches no benchmark in the history",
                               opt->patterns[i]);
            goto done;
        }
    }

    if (n > 0) {
        picked = malloc(n * sizeof *picked);
        if (!picked) {
            err = pr_error_set(PR_ENOMEM, "out of memory");
            goto done;
        }
    }
    for (i = 0; i < n; i++)
        if (selected(names[i].name, opt))
            picked[n_picked++] = &names[i];
    if (n_picked > 0) {
        qsort(picked, n_picked, sizeof *picked, cmp_order);
        h->series = calloc(n_picked, sizeof *h->series);
        if (!h->series) {
            err = pr_error_set(PR_ENOMEM, "out of memory");
            goto done;
        }
    }
    for (i = 0; i < n_picked; i++) {
        pr_history_series *s = &h->series[i];
        h->n_series++;
        picked[i]->series = i;
        s->name = pr_strdup(picked[i]->name);
        if (!s->name) {
            err = PR_ENOMEM;
            goto done;
        }
        if (h->n_runs > 0) {
            s->points = calloc(h->n_runs, sizeof *s->points);
            if (!s->points) {
                err = pr_error_set(PR_ENOMEM, "out of memory");
                goto done;
            }
            s->n_points = h->n_runs;
            for (k = 0; k < h->n_runs; k++)
                s->points[k].run = k;
        }
    }

done:
    free(picked);
    if (err < 0) {
        free(names);
        return err;
    }
    *out_names = names;
    *out_n = n;
    return 0;
}

/* Present: ran and has the statistic. Results read from git notes have
 * stats but no samples, so stats.n decides, not n_samples; memory and
 * allocs need their own figures (pr_metric_of_result). */
static int measured(const pr_result *r, pr_metric stat, double *value)
{
    if (!r || r->status != PR_STATUS_OK || !pr_metric_of_result(r, stat, value))
        return 0;
    return isfinite(*value);
}

static void fill_point(pr_history_point *p, const pr_result *r, pr_metric stat)
{
    const pr_stats *s = &r->stats;
    double value;

    p->present = 0;
    p->value = p->q1 = p->q3 = 0;
    if (!measured(r, stat, &value))
        return;
    p->present = 1;
    p->value = p->q1 = p->q3 = value;
    /* No band for a spread statistic, which the band of the sample times
     * says nothing about, nor for a single figure per run (memory,
     * allocs). A summary from a git note has no samples but carries its
     * quartiles, so it keeps its band. */
    if (pr_metric_is_spread(stat) || pr_metric_is_per_run(stat))
        return;
    if (!isfinite(s->q1_ns) || !isfinite(s->q3_ns) || s->q3_ns < s->q1_ns)
        return;
    if (stat == PR_METRIC_OPS) {
        /* the fastest quarter gives the most operations; no band at 0 ns */
        if (s->q1_ns > 0) {
            p->q1 = 1e9 / s->q3_ns;
            p->q3 = 1e9 / s->q1_ns;
        }
        return;
    }
    p->q1 = s->q1_ns;
    p->q3 = s->q3_ns;
}

static void fill_points(pr_history *h, const name_entry *names, size_t n_names)
{
    size_t i, k;

    for (i = 0; i < h->n_runs; i++) {
        const pr_run *run = &h->runs[i];
        /* backwards, so that of two results with one name the first wins,
         * as with pr_run_find */
        for (k = run->n_results; k > 0; k--) {
            const pr_result *r = &run->results[k - 1];
            const name_entry *e;
            if (!r->name || n_names == 0)
                continue;
            e = bsearch(r->name, names, n_names, sizeof *names, cmp_key_name);
            if (!e || e->series == SIZE_MAX)
                continue;
            fill_point(&h->series[e->series].points[i], r, h->stat);
        }
    }
}

static void finish_series(pr_history *h, pr_history_series *s, double *values, int *step,
                          double *step_change)
{
    const pr_history_point *newest = NULL;
    double previous = 0;
    int have_previous = 0;
    size_t i;

    for (i = 0; i < s->n_points; i++) {
        pr_history_point *p = &s->points[i];
        values[i] = p->present ? p->value : NAN;
        if (!p->present)
            continue;
        if (have_previous && previous != 0) {
            p->has_change = 1;
            p->change = (p->value - previous) / previous;
        }
        previous = p->value;
        have_previous = 1;
        newest = p;
    }
    pr_history_find_steps(values, s->n_points, h->step_threshold, step, step_change);
    for (i = 0; i < s->n_points; i++) {
        s->points[i].step = step[i];
        s->points[i].step_change = step[i] ? step_change[i] : 0;
    }

    if (h->baseline) {
        double value;
        if (measured(pr_run_find(h->baseline, s->name), h->stat, &value)) {
            s->has_baseline = 1;
            s->baseline_value = value;
            if (newest && value != 0) {
                s->has_baseline_change = 1;
                s->baseline_change = (newest->value - value) / value;
            }
        }
    }
}

int pr_history_build(pr_history *out, pr_run *runs, char **sources, size_t n,
                     const pr_history_options *opt)
{
    pr_history_options defaults;
    name_entry *names = NULL;
    size_t n_names = 0, i;
    double *values = NULL, *step_change = NULL;
    int *step = NULL;
    int err = 0;

    memset(out, 0, sizeof *out);
    if (!opt) {
        pr_history_options_init(&defaults);
        opt = &defaults;
    }
    out->runs = runs;
    out->n_runs = runs ? n : 0;
    out->sources = runs ? sources : NULL;
    if (!runs)
        free(sources);
    if (out->n_runs > 0 && !out->sources) {
        out->sources = calloc(out->n_runs, sizeof *out->sources);
        if (!out->sources) {
            err = pr_error_set(PR_ENOMEM, "out of memory");
            goto done;
        }
    }
    out->stat = opt->stat;
    out->all_machines = opt->all_machines;
    out->step_threshold = opt->step_threshold;
    out->baseline = opt->baseline;

    if (!opt->all_machines && (err = filter_machine(out)) < 0)
        goto done;
    keep_last(out, opt->last);
    if ((err = collect_names(out, opt, &names, &n_names)) < 0)
        goto done;
    fill_points(out, names, n_names);

    if (out->n_runs > 0) {
        values = malloc(out->n_runs * sizeof *values);
        step_change = malloc(out->n_runs * sizeof *step_change);
        step = malloc(out->n_runs * sizeof *step);
        if (!values || !step_change || !step) {
            err = pr_error_set(PR_ENOMEM, "out of memory");
            goto done;
        }
    }
    for (i = 0; i < out->n_series; i++)
        finish_series(out, &out->series[i], values, step, step_change);

done:
    free(names);
    free(values);
    free(step_change);
    free(step);
    if (err < 0)
        pr_history_release(out);
    return err;
}

void pr_history_release(pr_history *h)
{
    size_t i;

    if (!h)
        return;
    for (i = 0; i < h->n_runs; i++) {
        pr_run_release(&h->runs[i]);
        if (h->sources)
            free(h->sources[i]);
    }
    free(h->runs);
    free(h->sources);
    for (i = 0; i < h->n_series; i++) {
        free(h->series[i].name);
        free(h->series[i].points);
    }
    free(h->series);
    free(h->machine);
    memset(h, 0, sizeof *h);
}
