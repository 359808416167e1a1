/*
 * runner.c - drives a run: selection from the registry, context from the
 * machine, clock and git modules, then the timing core per benchmark. Writes
 * nothing to disk and prints nothing; the CLI records and reports the run.
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "gitmeta.h"
#include "isolate.h"
#include "machine.h"
#include "registry.h"
#include "runner.h"
#include "stats.h"
#include "strbuf.h"
#include "banned.h"

static volatile sig_atomic_t interrupted;

void pr_runner_interrupt(int sig)
{
    interrupted = sig;
}

int pr_runner_interrupted(void)
{
    return interrupted;
}

const volatile sig_atomic_t *pr_runner_stop_flag(void)
{
    return &interrupted;
}

void pr_runner_options_init(pr_runner_options *opt)
{
    memset(opt, 0, sizeof *opt);
    pr_timing_options_init(&opt->timing);
    opt->isolate = 1;
    opt->timeout_s = PR_DEFAULT_TIMEOUT_S;
    opt->processes = PR_DEFAULT_PROCESSES;
}

static int interrupted_error(void)
{
    char name[128];
    pr_isolate_signal_name(interrupted, name, sizeof name);
    return pr_error_set(PR_EINTERRUPTED, "interrupted by %s", name);
}

/* One benchmark into R with timing options T, in a child or in this
 * process; allocations are counted unless LATER (a later round). */
static int measure(const pr_runner_options *opt, const pr_timing_options *t, const pr_clock *clock,
                   const pr_clock_info *ci, const perfreg_bench_def *def, int later, pr_result *r)
{
    int err;
    if (opt->isolate) {
        pr_isolate_options iso = {opt->timeout_s, &interrupted, later};
        return pr_isolate_measure(clock, ci, t, def, &iso, r);
    }
    /* The process's peak RSS says nothing about one benchmark: has_memory
     * stays 0. */
    if ((err = pr_timing_measure(clock, ci, t, def, r)) != 0)
        return err;
    return pr_timing_count_allocs(clock, def, r);
}

/* The processes a run spreads each benchmark over: 1 unless isolated, and
 * never more than the samples. */
static unsigned processes_of(const pr_runner_options *opt)
{
    uint64_t p = opt->processes > PR_MAX_PROCESSES ? PR_MAX_PROCESSES : opt->processes;
    if (!opt->isolate || p < 2)
        return 1;
    return (unsigned)(p < opt->timing.samples ? p : opt->timing.samples);
}

/* The timing options of round ROUND (0-based) of P: its share of the
 * samples (the shares sum to them), of min_time and of the minimum number
 * of samples; rounds after the first reuse ITERATIONS and warm up for
 * warmup / P. */
static pr_timing_options round_timing(const pr_timing_options *t, unsigned round, unsigned p,
                                      uint64_t iterations)
{
    pr_timing_options r = *t;
    uint64_t least = t->min_samples ? t->min_samples : PR_MIN_SAMPLES;
    if (p < 2)
        return r;
    r.samples = t->samples / p + (round < t->samples % p);
    r.min_samples = (least + p - 1) / p;
    r.min_time_s = t->min_time_s / p;
    if (round > 0) {
        r.iterations = iterations;
        r.warmup_s = t->warmup_s / p;
    }
    return r;
}

/* Round ROUND > 0 of benchmark DEF, appended to R. */
static int measure_again(const pr_runner_options *opt, const pr_clock *clock,
                         const pr_clock_info *ci, const perfreg_bench_def *def, unsigned round,
                         unsigned p, pr_result *r)
{
    pr_timing_options t = round_timing(&opt->timing, round, p, r->iterations);
    pr_result more;
    int err;

    memset(&more, 0, sizeof more);
    if ((err = measure(opt, &t, clock, ci, def, 1, &more)) == 0)
        err = pr_result_append_process(r, &more);
    pr_result_release(&more);
    return err;
}

int pr_run_has_failures(const pr_run *run)
{
    size_t i;
    for (i = 0; i < run->n_results; i++)
        if (run->results[i].status != PR_STATUS_OK)
            return 1;
    return 0;
}

/* The compiler line of the suite: "gcc 12.2.0" from "gcc 12.2.0" or
 * "clang 14.0.6 " (clang's version string ends in a space). */
static char *compiler_name(const char *s)
{
    size_t len = strlen(s);
    char *p;
    while (len > 0 && s[len - 1] == ' ')
        len--;
    p = malloc(len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

/* The build of the suite, from its first benchmark's definition. */
static int fill_build(pr_context *c, const perfreg_bench_def *first)
{
    c->compiler = compiler_name(first->compiler ? first->compiler : "unknown");
    c->build_type = pr_strdup(first->build_type);
    c->build_flags = pr_strdup(first->build_flags);
    c->optimized = first->optimized;
    if (!c->compiler || (first->build_type && !c->build_type) ||
        (first->build_flags && !c->build_flags))
        return pr_error_set(PR_ENOMEM, "out of memory");
    return 0;
}

static int fill_context(const pr_runner_options *opt, const perfreg_bench_def *first,
                        const pr_clock_info *ci, const pr_clock *clock, pr_run *out)
{
    pr_context *c = &out->context;
    int err;

    if ((err = pr_machine_read(c)) != 0)
        return err;
    if (first && (err = fill_build(c, first)) != 0)
        return err;
    c->clock = pr_strdup(clock->name);
    c->perfreg_version = pr_strdup(PERFREG_VERSION);
    out->suite = pr_strdup(opt->suite ? opt->suite : "suite");
    if (!c->clock || !c->perfreg_version || !out->suite)
        return pr_error_set(PR_ENOMEM, "out of memory");
    c->clock_cost_ns = ci->cost_ns;
    c->clock_step_ns = ci->step_ns;
    c->clock_resolution_ns = ci->resolution_ns;
    c->min_time_s = opt->timing.min_time_s;
    c->warmup_s = opt->timing.warmup_s;
    c->samples = opt->timing.samples;
    c->iterations = opt->timing.iterations;
    c->processes = processes_of(opt);
    return pr_gitmeta_read(&out->git, ".");
}

int pr_runner_run(const pr_runner_options *opt, pr_run *out)
{
    const pr_clock *clock = opt->clock ? opt->clock : pr_clock_monotonic();
    const perfreg_bench_def **sel = NULL;
    pr_clock_info ci;
    size_t n = 0, i;
    unsigned round, p = processes_of(opt);
    int err;

    if ((err = pr_registry_check()) != 0)
        goto done;
    if ((err = pr_registry_select(opt->filters, opt->n_filters, &sel, &n)) != 0)
        goto done;
    if ((err = pr_clock_probe(clock, &ci)) != 0)
        goto done;
    if ((err = fill_context(opt, n ? sel[0] : NULL, &ci, clock, out)) != 0)
        goto done;
    /* Round 0 measures every benchmark as a run of one process does (with
     * its share of the samples); later rounds add a process each. Going
     * round the benchmarks, rather than finishing one before the next,
     * spreads each over the whole run, so a burst of load from another
     * tenant lands on a few of its processes instead of all. */
    for (round = 0; round < p; round++) {
        pr_timing_options t = round_timing(&opt->timing, round, p, 0);
        for (i = 0; i < n; i++) {
            pr_result *r;
            if (interrupted) {
                err = interrupted_error();
                goto done;
            }
            if (round > 0 && out->results[i].status != PR_STATUS_OK)
                continue;
            if (opt->progress)
                opt->progress(opt->progress_ctx, round * n + i, p * n, sel[i]->name);
            if (round > 0) {
                err = measure_again(opt, clock, &ci, sel[i], round, p, &out->results[i]);
            } else if ((err = pr_run_add_result(out, &r)) != 0) {
                goto done;
            } else if (!(r->name = pr_strdup(sel[i]->name))) {
                err = PR_ENOMEM;
                goto done;
            } else {
                err = measure(opt, &t, clock, &ci, sel[i], 0, r);
            }
            /* a child killed by the same Ctrl-C may have ended first */
            if (interrupted)
                err = interrupted_error();
            if (err)
                goto done;
        }
    }
    for (i = 0; i < out->n_results; i++)
        if ((err = pr_result_pool_processes(&out->results[i])) != 0)
            goto done;
done:
    free(sel);
    return err;
}

int pr_runner_measure_here(const pr_timing_options *t, const char *const *names, size_t n,
                           const pr_clock *clock, pr_run *out)
{
    const perfreg_bench_def *first = NULL;
    pr_clock_info ci;
    pr_context *c = &out->context;
    size_t i;
    int err;

    if (!clock)
        clock = pr_clock_monotonic();
    if ((err = pr_registry_check()) != 0)
        return err;
    for (i = 0; i < n; i++) {
        size_t j;
        if (!pr_registry_find(names[i]))
            return pr_error_set(PR_ENOTFOUND, "no benchmark '%s' in this suite", names[i]);
        for (j = 0; j < i; j++)
            if (strcmp(names[j], names[i]) == 0)
                return pr_error_set(PR_EUSAGE, "'%s' is named twice", names[i]);
    }
    if ((err = pr_clock_probe(clock, &ci)) != 0)
        return err;
    first = n ? pr_registry_find(names[0]) : NULL;
    if (first && (err = fill_build(c, first)) != 0)
        return err;
    c->clock = pr_strdup(clock->name);
    c->perfreg_version = pr_strdup(PERFREG_VERSION);
    if (!c->clock || !c->perfreg_version)
        return pr_error_set(PR_ENOMEM, "out of memory");
    c->clock_cost_ns = ci.cost_ns;
    c->clock_step_ns = ci.step_ns;
    c->clock_resolution_ns = ci.resolution_ns;
    c->min_time_s = t->min_time_s;
    c->warmup_s = t->warmup_s;
    c->samples = t->samples;
    c->iterations = t->iterations;
    for (i = 0; i < n; i++) {
        pr_result *r;
        if ((err = pr_run_add_result(out, &r)) != 0)
            return err;
        if (!(r->name = pr_strdup(names[i])))
            return pr_error_set(PR_ENOMEM, "out of memory");
        if ((err = pr_timing_measure(clock, &ci, t, pr_registry_find(names[i]), r)) != 0)
            return err;
    }
    return 0;
}
