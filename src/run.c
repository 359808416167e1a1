/*
 * run.c - lifecycle of the run document, and a benchmark's processes
 * merged into one result. Filling it is the timing core's and the results
 * parser's job; this file owns memory and pools samples.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "run.h"
#include "strbuf.h"
#include "banned.h"

void pr_run_init(pr_run *run)
{
    memset(run, 0, sizeof *run);
    run->schema_version = PR_SCHEMA_VERSION;
    run->git.dirty = -1;
    run->context.optimized = -1;
}

void pr_result_release(pr_result *r)
{
    size_t i;

    for (i = 0; i < r->n_counters; i++)
        free(r->counters[i].name);
    free(r->counters);
    free(r->name);
    free(r->error);
    free(r->samples_ns);
    free(r->process_samples);
    free(r->run_stats);
    memset(r, 0, sizeof *r);
}

static void context_release(pr_context *c)
{
    free(c->date);
    free(c->host);
    free(c->os);
    free(c->kernel);
    free(c->arch);
    free(c->cpu_model);
    free(c->compiler);
    free(c->build_type);
    free(c->build_flags);
    free(c->clock);
    free(c->perfreg_version);
}

static void git_release(pr_git_info *g)
{
    free(g->commit);
    free(g->short_commit);
    free(g->branch);
    free(g->subject);
    free(g->commit_time);
    free(g->author_time);
}

void pr_run_release(pr_run *run)
{
    size_t i;
    if (!run)
        return;
    for (i = 0; i < run->n_results; i++)
        pr_result_release(&run->results[i]);
    free(run->results);
    free(run->suite);
    context_release(&run->context);
    git_release(&run->git);
    pr_run_init(run);
}

int pr_run_add_result(pr_run *run, pr_result **out)
{
    if (run->n_results == run->alloc_results) {
        size_t alloc = run->alloc_results ? run->alloc_results * 2 : 16;
        pr_result *p = realloc(run->results, alloc * sizeof *p);
        if (!p)
            return pr_error_set(PR_ENOMEM, "out of memory");
        run->results = p;
        run->alloc_results = alloc;
    }
    *out = &run->results[run->n_results++];
    memset(*out, 0, sizeof **out);
    return 0;
}

const pr_result *pr_run_find(const pr_run *run, const char *name)
{
    size_t i;
    for (i = 0; i < run->n_results; i++)
        if (run->results[i].name && strcmp(run->results[i].name, name) == 0)
            return &run->results[i];
    return NULL;
}

int pr_result_add_counter(pr_result *r, const char *name, double value)
{
    pr_counter *p;
    char *copy;

    if (r->n_counters == SIZE_MAX / (2 * sizeof *p))
        return pr_error_set(PR_ENOMEM, "out of memory");
    /* grows by doubling: a power of two is full */
    if ((r->n_counters & (r->n_counters - 1)) == 0) {
        p = realloc(r->counters, (r->n_counters ? 2 * r->n_counters : 1) * sizeof *p);
        if (!p)
            return pr_error_set(PR_ENOMEM, "out of memory");
        r->counters = p;
    }
    if (!(copy = pr_strdup(name)))
        return PR_ENOMEM;
    r->counters[r->n_counters].name = copy;
    r->counters[r->n_counters].value = value;
    r->n_counters++;
    return 0;
}

static int compare_named(const void *pa, const void *pb)
{
    const pr_named *a = pa, *b = pb;
    int c = strcmp(a->name, b->name);

    return c ? c : (a->index > b->index) - (a->index < b->index);
}

int pr_names_sorted(const void *items, size_t n, size_t size, size_t offset, pr_named **out,
                    size_t *count)
{
    const char *base = items;
    pr_named *v;
    size_t i;

    *out = NULL;
    *count = 0;
    if (n > SIZE_MAX / sizeof *v || !(v = malloc((n ? n : 1) * sizeof *v)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        const char *name;
        memcpy(&name, base + i * size + offset, sizeof name);
        if (!name)
            continue;
        v[*count].name = name;
        v[*count].index = i;
        ++*count;
    }
    qsort(v, *count, sizeof *v, compare_named);
    *out = v;
    return 0;
}

int pr_names_duplicate(const void *items, size_t n, size_t size, size_t offset, size_t *first,
                       size_t *second)
{
    pr_named *v;
    size_t i, count;
    int found = 0, err;

    if (n < 2)
        return 0;
    if ((err = pr_names_sorted(items, n, size, offset, &v, &count)) < 0)
        return err;
    /* in a group of equal names the lowest index comes first: the earliest
     * repeat is the smallest second index over the groups */
    for (i = 1; i < count; i++) {
        if (strcmp(v[i - 1].name, v[i].name) != 0)
            continue;
        if (!found || v[i].index < *second) {
            *first = v[i - 1].index;
            *second = v[i].index;
            found = 1;
        }
        while (i + 1 < count && strcmp(v[i].name, v[i + 1].name) == 0)
            i++;
    }
    free(v);
    return found;
}

void pr_result_derive_throughput(pr_result *r)
{
    double mean_s = r->stats.mean_ns / 1e9;
    r->bytes_per_second = 0;
    r->items_per_second = 0;
    /* stats.n, not n_samples: a result read from a git note has statistics
     * without raw samples */
    if (r->stats.n == 0 || mean_s <= 0)
        return;
    if (r->bytes_per_iteration > 0)
        r->bytes_per_second = r->bytes_per_iteration / mean_s;
    if (r->items_per_iteration > 0)
        r->items_per_second = r->items_per_iteration / mean_s;
    if (!isfinite(r->bytes_per_second))
        r->bytes_per_second = 0;
    if (!isfinite(r->items_per_second))
        r->items_per_second = 0;
}

int pr_name_control(const char *name)
{
    const unsigned char *p;

    for (p = (const unsigned char *)name; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return *p;
        if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            return p[1];
    }
    return -1;
}

int pr_result_append_process(pr_result *r, pr_result *more)
{
    size_t n = r->n_samples + more->n_samples, k = r->n_processes ? r->n_processes : 1;
    double *samples;
    size_t *counts;

    r->total_time_s += more->total_time_s;
    if (more->status != PR_STATUS_OK) {
        r->status = PR_STATUS_FAILED;
        free(r->error);
        r->error = more->error;
        more->error = NULL;
        return 0;
    }
    if (more->has_memory && (!r->has_memory || more->peak_rss_bytes > r->peak_rss_bytes)) {
        r->has_memory = 1;
        r->peak_rss_bytes = more->peak_rss_bytes;
        r->baseline_rss_bytes = more->baseline_rss_bytes;
        r->memory_bytes = more->memory_bytes;
    }
    if (n > SIZE_MAX / sizeof *samples)
        return pr_error_set(PR_ENOMEM, "out of memory");
    if (!(samples = realloc(r->samples_ns, n * sizeof *samples)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    r->samples_ns = samples;
    if (!(counts = realloc(r->process_samples, (k + 1) * sizeof *counts)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    r->process_samples = counts;
    if (r->n_processes == 0)
        counts[0] = r->n_samples;
    counts[k] = more->n_samples;
    r->n_processes = k + 1;
    memcpy(samples + r->n_samples, more->samples_ns, more->n_samples * sizeof *samples);
    r->n_samples = n;
    return 0;
}

int pr_result_pool_processes(pr_result *r)
{
    int err;
    if (r->status != PR_STATUS_OK || r->n_processes < 2)
        return 0;
    err = pr_stats_compute(&r->stats, r->samples_ns, r->n_samples);
    if (err == PR_EINVALID) {
        r->status = PR_STATUS_FAILED;
        free(r->error);
        r->error = pr_strdup(pr_error_last());
        return r->error ? 0 : pr_error_set(PR_ENOMEM, "out of memory");
    }
    if (err)
        return err;
    pr_result_derive_throughput(r);
    return 0;
}

/* The process counts of R: its process_samples, or all its samples as one. */
static size_t processes_of(const pr_result *r)
{
    return r->n_processes ? r->n_processes : 1;
}

static size_t process_count(const pr_result *r, size_t i)
{
    return r->n_processes ? r->process_samples[i] : r->n_samples;
}

/* R with the samples of OLDER (N results of earlier runs, oldest first)
 * before its own, each run's processes kept, and every run's statistics in
 * run_stats. */
static int merge_result(pr_result *r, const pr_result *const *older, size_t n)
{
    size_t total = r->n_samples, procs = processes_of(r), i, j, at = 0, k = 0;
    double *samples = NULL;
    size_t *counts = NULL;
    pr_stats *stats = NULL;
    int err;

    for (i = 0; i < n; i++) {
        total += older[i]->n_samples;
        procs += processes_of(older[i]);
    }
    samples = malloc(total * sizeof *samples);
    counts = malloc(procs * sizeof *counts);
    stats = malloc((n + 1) * sizeof *stats);
    if (!samples || !counts || !stats) {
        free(samples);
        free(counts);
        free(stats);
        return pr_error_set(PR_ENOMEM, "out of memory");
    }
    for (i = 0; i <= n; i++) {
        const pr_result *from = i < n ? older[i] : r;
        memcpy(samples + at, from->samples_ns, from->n_samples * sizeof *samples);
        at += from->n_samples;
        for (j = 0; j < processes_of(from); j++)
            counts[k++] = process_count(from, j);
        stats[i] = from->stats;
    }
    free(r->samples_ns);
    free(r->process_samples);
    free(r->run_stats);
    r->samples_ns = samples;
    r->n_samples = total;
    r->process_samples = counts;
    r->n_processes = procs;
    r->run_stats = stats;
    r->n_runs = n + 1;
    if ((err = pr_stats_compute(&r->stats, r->samples_ns, r->n_samples)) != 0)
        return err;
    pr_result_derive_throughput(r);
    return 0;
}

int pr_run_merge(pr_run *newest, const pr_run *older, size_t n)
{
    const pr_result **found = NULL;
    size_t i, j, most = 1;
    int err = 0;

    if (n == 0)
        return 0;
    if (!(found = malloc(n * sizeof *found)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    for (i = 0; i < newest->n_results && !err; i++) {
        pr_result *r = &newest->results[i];
        size_t k = 0;
        if (r->status != PR_STATUS_OK || r->n_samples == 0 || !r->name)
            continue;
        for (j = 0; j < n; j++) {
            const pr_result *o = pr_run_find(&older[j], r->name);
            if (o && o->status == PR_STATUS_OK && o->n_samples > 0 && o->n_runs < 2)
                found[k++] = o;
        }
        if (k > 0 && (err = merge_result(r, found, k)) == 0 && k + 1 > most)
            most = k + 1;
    }
    free(found);
    if (!err)
        newest->context.runs = most > 1 ? most : 0;
    return err;
}
