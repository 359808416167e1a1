/*
 * ab_cli.c - compare --against-exe and --against: finds (or builds) the
 * baseline's suite, runs the interleaved A/B rounds of it and of this
 * suite (ab.c, ab_exe.c), fills both runs' contexts, records this build's
 * run like `run` does, and says what it is doing on a terminal. Judging
 * and rendering stay with cmd_compare.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ab.h"
#include "ab_exe.h"
#include "build.h"
#include "cli.h"
#include "error.h"
#include "gitmeta.h"
#include "machine.h"
#include "perfreg.h"
#include "registry.h"
#include "report.h"
#include "runner.h"
#include "banned.h"

void pr_cli_ab_release(pr_cli_ab *ab)
{
    free(ab->baseline_exe);
    free(ab->candidate_exe);
    free(ab->baseline_label);
    free(ab->candidate_label);
    ab->baseline_exe = ab->candidate_exe = ab->baseline_label = ab->candidate_label = NULL;
}

/* This program's own executable, as a path another process can run. */
static char *self_path(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);

    if (n > 0) {
        buf[n] = '\0';
        return pr_strdup(buf);
    }
    if (strchr(pr_cli_invocation(), '/'))
        return realpath(pr_cli_invocation(), NULL);
    return NULL;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int is_ab_tty(void)
{
    return isatty(STDERR_FILENO);
}

static void progress(void *ctx, size_t round, size_t max_rounds, size_t i, size_t n,
                     const char *name)
{
    (void)ctx;
    fprintf(stderr, "\r\033[K[A/B round %zu of at most %zu, %zu/%zu] %s", round + 1, max_rounds,
            i + 1, n, name);
    fflush(stderr);
}

static void build_starting(void *ctx, const char *label, const char *log_path)
{
    (void)ctx;
    fprintf(stderr, "%s compare: building %s (log: %s)\n", pr_cli_program(), label, log_path);
}

/* Prints the error, then the build log's last lines, indented. */
static int build_failed(const char *cmd, int err, const pr_build_result *res)
{
    int status = pr_cli_fail(cmd, err);
    const char *p = res->log_tail.buf;

    while (p && *p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        pr_strbuf line = PR_STRBUF_INIT;
        pr_strbuf_add(&line, p, len);
        fputs("    ", stderr);
        {
            pr_strbuf esc = PR_STRBUF_INIT;
            pr_report_add_escaped(&esc, pr_strbuf_cstr(&line), pr_cli_utf8());
            fputs(pr_strbuf_cstr(&esc), stderr);
            pr_strbuf_release(&esc);
        }
        fputc('\n', stderr);
        pr_strbuf_release(&line);
        p += len + (nl ? 1 : 0);
    }
    return status;
}

/* The baseline's suite for --against REF: built from the config's build
 * section, or found built. */
static int build_baseline(const char *cmd, const pr_cli_run_args *a, pr_cli_ab *ab,
                          const pr_config *cfg)
{
    pr_build_request req;
    pr_build_result res;
    const char *suite = NULL;
    size_t i;
    int err, status = 0;

    if (!cfg->path)
        return pr_cli_fail(cmd, pr_error_set(PR_EUSAGE,
                                             "--against %s needs a project config (%s) with a "
                                             "\"build\" section: see docs/comparing.md, or "
                                             "build that commit yourself and give --against-exe",
                                             ab->against, PR_CONFIG_FILE));
    if (!cfg->build_command)
        return pr_cli_fail(cmd, pr_error_set(PR_EUSAGE,
                                             "--against %s: '%s' has no \"build\" section "
                                             "(\"command\" and \"suites\"): see "
                                             "docs/comparing.md, or give --against-exe",
                                             ab->against, cfg->path));
    for (i = 0; i < cfg->n_build_suites && !suite; i++)
        if (strcmp(base_name(cfg->build_suites[i]), base_name(ab->candidate_exe)) == 0)
            suite = cfg->build_suites[i];
    if (!suite)
        return pr_cli_fail(cmd, pr_error_set(PR_EUSAGE,
                                             "--against %s: build.suites in '%s' names no "
                                             "suite called '%s'",
                                             ab->against, cfg->path,
                                             base_name(ab->candidate_exe)));
    memset(&req, 0, sizeof req);
    req.rev = ab->against;
    req.store = a->store;
    req.command = cfg->build_command;
    req.suite = suite;
    req.stop = pr_runner_stop_flag();
    req.starting = build_starting;
    pr_build_result_init(&res);
    err = pr_build_suite(&req, &res);
    if (err == PR_EINTERRUPTED) {
        fprintf(stderr, "%s %s: interrupted while building %s; nothing recorded\n",
                pr_cli_program(), cmd, ab->against);
        status = 128 + pr_runner_interrupted();
    } else if (err) {
        status = build_failed(cmd, err, &res);
    } else {
        ab->baseline_exe = res.exe;
        res.exe = NULL;
        pr_strbuf_init(&res.log_tail);
        {
            pr_strbuf label = PR_STRBUF_INIT;
            pr_strbuf_addf(&label, "build of %s", res.label);
            ab->baseline_label = pr_strbuf_detach(&label, NULL);
            pr_strbuf_release(&label);
        }
        if (!ab->baseline_label)
            status = pr_cli_fail(cmd, pr_error_set(PR_ENOMEM, "out of memory"));
    }
    pr_build_result_release(&res);
    return status;
}

/* 1 when NAME is among N NAMES. */
static int listed(char *const *names, size_t n, const char *name)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

static int matches(const pr_cli_run_args *a, const char *name)
{
    size_t i;
    if (a->filters.n == 0)
        return 1;
    for (i = 0; i < a->filters.n; i++)
        if (fnmatch(a->filters.items[i], name, 0) == 0)
            return 1;
    return 0;
}

/* One process of SIDE for each of the N NAMES, into RUN: the benchmarks
 * only one build has are shown with a measurement, not compared. */
static int measure_once(pr_ab_exe *x, int side, const pr_timing_options *t,
                        const char *const *names, size_t n, pr_run *run)
{
    size_t i;
    int err;

    for (i = 0; i < n; i++) {
        pr_result *r;
        if ((err = pr_run_add_result(run, &r)) != 0)
            return err;
        if ((err = pr_ab_exe_measure(x, side, names[i], t, r)) != 0)
            return err;
        if (!r->name && !(r->name = pr_strdup(names[i])))
            return pr_error_set(PR_ENOMEM, "out of memory");
    }
    return 0;
}

/* The context of SIDE's run: the machine, the build its worker reported. */
static int fill_context(pr_run *run, const pr_run *first, const char *suite, size_t processes,
                        const pr_timing_options *t)
{
    pr_context *c = &run->context;
    int err;

    if ((err = pr_machine_read(c)) != 0)
        return err;
    if (first) {
        const pr_context *f = &first->context;
        c->compiler = pr_strdup(f->compiler);
        c->build_type = pr_strdup(f->build_type);
        c->build_flags = pr_strdup(f->build_flags);
        c->optimized = f->optimized;
        c->clock = pr_strdup(f->clock);
        c->perfreg_version = pr_strdup(f->perfreg_version);
        c->clock_cost_ns = f->clock_cost_ns;
        c->clock_step_ns = f->clock_step_ns;
        c->clock_resolution_ns = f->clock_resolution_ns;
    }
    c->min_time_s = t->min_time_s;
    c->warmup_s = t->warmup_s;
    c->samples = t->samples;
    c->iterations = t->iterations;
    c->processes = processes;
    if (!(run->suite = pr_strdup(suite)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    return 0;
}

int pr_cli_ab_measure(const char *cmd, const pr_cli_run_args *a, pr_cli_ab *ab,
                      const pr_config *cfg, const pr_compare_options *co, pr_run *baseline,
                      pr_run *candidate, pr_strbuf *json, char **recorded)
{
    pr_ab_options opt;
    pr_ab_summary sum;
    pr_ab_exe x;
    pr_timing_options t;
    struct sigaction old[2];
    const perfreg_bench_def **sel = NULL;
    char **base_names = NULL;
    const char **common = NULL, **only_new = NULL, **only_old = NULL;
    size_t n_base = 0, n_sel = 0, n_common = 0, n_new = 0, n_old = 0, i;
    const char *suite = a->suite ? a->suite : pr_cli_program();
    int err = 0, status = 0, order;

    *recorded = NULL;
    memset(&sum, 0, sizeof sum);
    pr_ab_exe_init(&x, NULL, NULL);
    if (!(ab->candidate_exe = self_path()))
        return pr_cli_fail(cmd, pr_error_set(PR_EIO, "cannot find this program's own path"));
    if (!(ab->candidate_label = pr_strdup("this build")))
        return pr_cli_fail(cmd, pr_error_set(PR_ENOMEM, "out of memory"));
    pr_cli_stop_signals_catch(old);
    if (ab->against) {
        if ((status = build_baseline(cmd, a, ab, cfg)) != 0)
            goto done;
    } else {
        if (!pr_cli_is_suite(ab->against_exe)) {
            status = pr_cli_fail(cmd, pr_error_set(PR_EUSAGE,
                                                   "--against-exe '%s': not an executable file",
                                                   ab->against_exe));
            goto done;
        }
        if (!(ab->baseline_exe = pr_strdup(ab->against_exe)) ||
            !(ab->baseline_label = pr_strdup(ab->against_exe))) {
            status = pr_cli_fail(cmd, pr_error_set(PR_ENOMEM, "out of memory"));
            goto done;
        }
    }
    x.path[PR_AB_BASELINE] = ab->baseline_exe;
    x.path[PR_AB_CANDIDATE] = ab->candidate_exe;
    x.timeout_s = a->timeout_s;
    x.stop = pr_runner_stop_flag();

    /* what each build has, and what the comparison runs */
    if ((err = pr_ab_exe_list(ab->baseline_exe, a->timeout_s, x.stop, &base_names, &n_base)) != 0 ||
        (err = pr_registry_select(a->filters.items, a->filters.n, &sel, &n_sel)) != 0)
        goto fail;
    common = calloc(n_sel + 1, sizeof *common);
    only_new = calloc(n_sel + 1, sizeof *only_new);
    only_old = calloc(n_base + 1, sizeof *only_old);
    if (!common || !only_new || !only_old) {
        err = pr_error_set(PR_ENOMEM, "out of memory");
        goto fail;
    }
    for (i = 0; i < n_sel; i++) {
        if (listed(base_names, n_base, sel[i]->name))
            common[n_common++] = sel[i]->name;
        else
            only_new[n_new++] = sel[i]->name;
    }
    for (i = 0; i < n_base; i++)
        if (matches(a, base_names[i]) && !pr_registry_find(base_names[i]))
            only_old[n_old++] = base_names[i];

    /* One A/B process: a tenth of the run's samples and warm-up and a
     * twentieth of its time, half of what one of run's ten processes
     * takes: the shorter a pair of processes, the more often both meet the
     * same machine state (docs/performance.md). */
    pr_timing_options_init(&t);
    t.min_time_s = a->min_time_s / PR_AB_TIME_SHARE;
    t.warmup_s = a->warmup_s / PR_AB_SHARE;
    t.samples = a->samples / PR_AB_SHARE > 0 ? a->samples / PR_AB_SHARE : 1;
    t.min_samples = PR_AB_MIN_SAMPLES;
    t.iterations = a->iterations;

    pr_ab_options_init(&opt);
    opt.timing = t;
    opt.compare = *co;
    opt.compare.paired = 1;
    if (ab->rounds)
        opt.rounds = (size_t)ab->rounds;
    if (ab->max_rounds)
        opt.max_rounds = (size_t)ab->max_rounds;
    else if (opt.max_rounds < opt.rounds)
        opt.max_rounds = opt.rounds;
    if (ab->max_time_set)
        opt.max_time_s = ab->max_time_s;
    if (ab->seed_set) {
        opt.seed = ab->seed;
    } else {
        /* a fresh order each time, printed so that it can be replayed */
        opt.seed = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid();
        opt.seed &= (UINT64_C(1) << 53) - 1;
    }
    if (ab->order) {
        if ((order = pr_ab_order_from_name(ab->order)) < 0) {
            err = pr_error_set(PR_EUSAGE,
                               "--order '%s': one of random, alternate, candidate-second, "
                               "candidate-first",
                               ab->order);
            goto fail;
        }
        opt.order = (pr_ab_order)order;
    }
    opt.measure = pr_ab_exe_measure;
    opt.measure_ctx = &x;
    opt.stop = x.stop;
    if (is_ab_tty())
        opt.progress = progress;
    err = pr_ab_run(&opt, common, n_common, baseline, candidate, &sum);
    if (!err)
        err = measure_once(&x, PR_AB_CANDIDATE, &t, only_new, n_new, candidate);
    if (!err)
        err = measure_once(&x, PR_AB_BASELINE, &t, only_old, n_old, baseline);
    if (is_ab_tty())
        fprintf(stderr, "\r\033[K");
    if (err)
        goto fail;

    if ((err = fill_context(candidate, x.have_first[1] ? &x.first[1] : NULL, suite,
                            sum.max_rounds_run, &t)) != 0 ||
        (err = fill_context(baseline, x.have_first[0] ? &x.first[0] : NULL, suite,
                            sum.max_rounds_run, &t)) != 0 ||
        (err = pr_gitmeta_read(&candidate->git, ".")) != 0)
        goto fail;
    if (ab->against && (err = pr_gitmeta_read_rev(".", ab->against, &baseline->git)) != 0)
        goto fail;
    if (ab->against && !(baseline->git.branch = pr_strdup(ab->against))) {
        err = pr_error_set(PR_ENOMEM, "out of memory");
        goto fail;
    }
    ab->info.on = 1;
    ab->info.baseline_label = ab->baseline_label;
    ab->info.candidate_label = ab->candidate_label;
    ab->info.order = pr_ab_order_name(opt.order);
    ab->info.seed = (unsigned long long)opt.seed;
    ab->info.rounds = opt.rounds;
    ab->info.max_rounds = opt.max_rounds;
    ab->info.batch = opt.batch;
    ab->info.max_time_s = opt.max_time_s;
    ab->info.max_rounds_run = sum.max_rounds_run;
    ab->info.processes = sum.processes;
    ab->info.seconds = sum.seconds;
    ab->info.out_of_time = sum.out_of_time;
    status = pr_cli_record(cmd, a, candidate, json, recorded);
    goto done;

fail:
    if (err == PR_EINTERRUPTED) {
        if (is_ab_tty())
            fprintf(stderr, "\r\033[K");
        fprintf(stderr, "%s %s: interrupted by %s; nothing recorded\n", pr_cli_program(), cmd,
                pr_runner_interrupted() == SIGTERM ? "SIGTERM" : "SIGINT");
        status = 128 + (pr_runner_interrupted() ? pr_runner_interrupted() : SIGINT);
    } else {
        status = pr_cli_fail(cmd, err);
    }
done:
    pr_cli_stop_signals_restore(old);
    pr_runner_interrupt(0);
    pr_ab_summary_release(&sum);
    pr_ab_exe_release(&x);
    pr_ab_names_free(base_names, n_base);
    free(common);
    free(only_new);
    free(only_old);
    free(sel);
    return status;
}
