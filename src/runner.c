/*
 * runner.c - drives a run: selection from the registry, context from the
 * machine, clock and git modules, then the timing core per benchmark. Writes
 * nothing to disk and prints nothing; the CLI records and reports the run.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "gitmeta.h"
#include "isolate.h"
#include "machine.h"
#include "registry.h"
#include "runner.h"
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

void pr_runner_options_init(pr_runner_options *opt)
{
    memset(opt, 0, sizeof *opt);
    pr_timing_options_init(&opt->timing);
    opt->isolate = 1;
    opt->timeout_s = PR_DEFAULT_TIMEOUT_S;
}

static int interrupted_error(void)
{
    char name[128];
    pr_isolate_signal_name(interrupted, name, sizeof name);
    return pr_error_set(PR_EINTERRUPTED, "interrupted by %s", name);
}

/* One benchmark into R, in a child or in this process. */
static int measure(const pr_runner_options *opt, const pr_clock *clock, const pr_clock_info *ci,
                   const perfreg_bench_def *def, pr_result *r)
{
    int err;
    if (opt->isolate) {
        pr_isolate_options iso = {opt->timeout_s, &interrupted};
        return pr_isolate_measure(clock, ci, &opt->timing, def, &iso, r);
    }
    /* The process's peak RSS says nothing about one benchmark: has_memory
     * stays 0. */
    if ((err = pr_timing_measure(clock, ci, &opt->timing, def, r)) != 0)
        return err;
    return pr_timing_count_allocs(clock, def, r);
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

static int fill_context(const pr_runner_options *opt, const perfreg_bench_def *first,
                        const pr_clock_info *ci, const pr_clock *clock, pr_run *out)
{
    pr_context *c = &out->context;
    int err;

    if ((err = pr_machine_read(c)) != 0)
        return err;
    if (first) {
        c->compiler = compiler_name(first->compiler ? first->compiler : "unknown");
        c->build_type = pr_strdup(first->build_type);
        c->build_flags = pr_strdup(first->build_flags);
        c->optimized = first->optimized;
        if (!c->compiler || (first->build_type && !c->build_type) ||
            (first->build_flags && !c->build_flags))
            return pr_error_set(PR_ENOMEM, "out of memory");
    }
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
    return pr_gitmeta_read(&out->git, ".");
}

int pr_runner_run(const pr_runner_options *opt, pr_run *out)
{
    const pr_clock *clock = opt->clock ? opt->clock : pr_clock_monotonic();
    const perfreg_bench_def **sel = NULL;
    pr_clock_info ci;
    size_t n = 0, i;
    int err;

    if ((err = pr_registry_check()) != 0)
        goto done;
    if ((err = pr_registry_select(opt->filters, opt->n_filters, &sel, &n)) != 0)
        goto done;
    if ((err = pr_clock_probe(clock, &ci)) != 0)
        goto done;
    if ((err = fill_context(opt, n ? sel[0] : NULL, &ci, clock, out)) != 0)
        goto done;
    for (i = 0; i < n; i++) {
        pr_result *r;
        if (interrupted) {
            err = interrupted_error();
            goto done;
        }
        if (opt->progress)
            opt->progress(opt->progress_ctx, i, n, sel[i]->name);
        if ((err = pr_run_add_result(out, &r)) != 0)
            goto done;
        if (!(r->name = pr_strdup(sel[i]->name))) {
            err = PR_ENOMEM;
            goto done;
        }
        err = measure(opt, clock, &ci, sel[i], r);
        /* a child killed by the same Ctrl-C may have ended first */
        if (interrupted)
            err = interrupted_error();
        if (err)
            goto done;
    }
done:
    free(sel);
    return err;
}
