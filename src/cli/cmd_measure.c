/*
 * cmd_measure.c - `measure`: the worker side of an A/B comparison
 * (compare --against-exe, --against). Measures the named benchmarks in
 * this very process and prints their results as one results document on
 * standard output; `measure --list` prints the protocol line and the
 * benchmark names. Another perfreg (of this version or a later one) runs
 * it, once per benchmark and round, and reads what it prints
 * (docs/comparing.md, "The worker protocol").
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ab.h"
#include "cli.h"
#include "error.h"
#include "perfreg.h"
#include "registry.h"
#include "results.h"
#include "runner.h"
#include "banned.h"

typedef struct measure_args {
    pr_opt_list benches;
    int list;
    uint64_t iterations;
    uint64_t samples;
    uint64_t min_samples;
    double min_time_s;
    double warmup_s;
} measure_args;

static const pr_opt measure_options[] = {
    {"bench", 0, PR_OPT_LIST, offsetof(measure_args, benches), "NAME", 0, 0,
     "measure the benchmark called NAME, exactly (repeatable)"},
    {"list", 0, PR_OPT_FLAG, offsetof(measure_args, list), NULL, 0, 0,
     "print the protocol line and the benchmark names instead"},
    {"iterations", 0, PR_OPT_COUNT, offsetof(measure_args, iterations), "N", 0, 1e15,
     "iterations per sample (default 0: calibrate)"},
    {"samples", 0, PR_OPT_COUNT, offsetof(measure_args, samples), "N", 1, 1e7,
     "samples per benchmark (default 5)"},
    {"min-samples", 0, PR_OPT_COUNT, offsetof(measure_args, min_samples), "N", 1, 1e7,
     "stop once min-time is spent and N samples are taken (default 1)"},
    {"min-time", 0, PR_OPT_SECONDS, offsetof(measure_args, min_time_s), "SECONDS", 1e-6, 3600,
     "time budget for the samples (default 0.01s)"},
    {"warmup", 0, PR_OPT_SECONDS, offsetof(measure_args, warmup_s), "SECONDS", 0, 3600,
     "warm-up before the samples, calibration included (default 0.005s)"},
    PR_OPT_END,
};

#define MEASURE_USAGE "--bench NAME [--bench NAME]... [options] | --list"

/* The names, one a line, after the protocol line. */
static int print_list(FILE *out)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    size_t i, n = pr_registry_count();
    int err;

    pr_strbuf_addf(&sb, "%s %d %s\n", PR_AB_PROTOCOL_NAME, PR_AB_PROTOCOL, PERFREG_VERSION);
    for (i = 0; i < n; i++)
        pr_strbuf_addf(&sb, "%s\n", pr_registry_at(i)->name);
    err = pr_cli_write(out, &sb);
    pr_strbuf_release(&sb);
    return err;
}

int cmd_measure(int argc, char **argv)
{
    measure_args a;
    pr_opt_list positional = {NULL, 0};
    pr_timing_options t;
    pr_run run;
    pr_strbuf json = PR_STRBUF_INIT;
    FILE *out = NULL;
    int err, status = PERFREG_EXIT_OK, out_fd = -1, null_fd = -1;

    memset(&a, 0, sizeof a);
    pr_run_init(&run);
    a.samples = PR_AB_SAMPLES;
    a.min_samples = PR_AB_MIN_SAMPLES;
    a.min_time_s = PR_AB_MIN_TIME_S;
    a.warmup_s = PR_AB_WARMUP_S;
    err = pr_opt_parse(measure_options, &a, argc, argv, &positional);
    if (err == PR_OPT_HELP) {
        pr_cli_print_help("measure", MEASURE_USAGE,
                          "The worker of an A/B comparison: measures each --bench in this very\n"
                          "process and prints the results as one results document (JSON) on\n"
                          "standard output; what the benchmarks print there is discarded.\n"
                          "--list prints the protocol line and the benchmark names. compare\n"
                          "--against-exe runs it; it is not meant to be typed.",
                          measure_options);
        goto done;
    }
    if (!err && positional.n > 0)
        err = pr_error_set(PR_EUSAGE, "unexpected argument '%s'", positional.items[0]);
    if (!err && !a.list && a.benches.n == 0)
        err = pr_error_set(PR_EUSAGE, "name a benchmark with --bench, or give --list");
    if (err) {
        status = pr_cli_usage_error("measure", MEASURE_USAGE);
        goto done;
    }
    /* the perfreg program is no suite: listing no benchmarks would pass
     * it off as the baseline's build of one */
    if (!pr_cli_has_benchmarks()) {
        status = pr_cli_fail("measure",
                             pr_error_set(PR_EUSAGE, "no benchmarks in this program: 'measure' is "
                                                     "the worker of a suite, run as "
                                                     "'SUITE measure' by compare --against-exe"));
        goto done;
    }
    if (a.list) {
        if ((err = print_list(stdout)) != 0)
            status = pr_cli_fail("measure", err);
        goto done;
    }

    /* The document goes to the standard output we were given; whatever
     * the benchmarks print there goes nowhere. */
    fflush(stdout);
    out_fd = dup(STDOUT_FILENO);
    null_fd = open("/dev/null", O_WRONLY);
    if (out_fd < 0 || null_fd < 0 || dup2(null_fd, STDOUT_FILENO) < 0 ||
        !(out = fdopen(out_fd, "w"))) {
        status = pr_cli_fail("measure", pr_error_set(PR_EIO, "cannot set up standard output"));
        goto done;
    }
    out_fd = -1;
    pr_timing_options_init(&t);
    t.iterations = a.iterations;
    t.samples = a.samples;
    t.min_samples = a.min_samples;
    t.min_time_s = a.min_time_s;
    t.warmup_s = a.warmup_s;
    if (!(run.suite = pr_strdup(pr_cli_program())))
        err = pr_error_set(PR_ENOMEM, "out of memory");
    if (!err)
        err = pr_runner_measure_here(&t, a.benches.items, a.benches.n, NULL, &run);
    if (!err)
        err = pr_results_write(&run, &json);
    if (!err)
        err = pr_cli_write(out, &json);
    if (err) {
        status = pr_cli_fail("measure", err);
        goto done;
    }
    if (pr_run_has_failures(&run))
        status = PERFREG_EXIT_BENCH;
done:
    if (out)
        fclose(out);
    if (out_fd >= 0)
        close(out_fd);
    if (null_fd >= 0)
        close(null_fd);
    pr_strbuf_release(&json);
    pr_run_release(&run);
    pr_opt_list_release(&positional);
    pr_opt_list_release(&a.benches);
    return status;
}
