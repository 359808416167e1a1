/*
 * cmd_run.c - `run`: measure the selected benchmarks, record the run in the
 * store, optionally write it to --json, and print the boxed report. Given a
 * suite executable's path, hands the whole command to that suite instead.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "perfreg.h"
#include "report.h"
#include "results.h"
#include "runner.h"
#include "store.h"
#include "banned.h"

typedef struct run_args {
    pr_opt_list filters;
    double min_time_s;
    double warmup_s;
    uint64_t samples;
    uint64_t iterations;
    const char *json;
    const char *store;
    const char *suite;
    int no_record;
    int ascii;
} run_args;

static const pr_opt run_options[] = {
    {"filter", 'f', PR_OPT_LIST, offsetof(run_args, filters), "PATTERN", 0, 0,
     "run only benchmarks matching the glob (repeatable)"},
    {"min-time", 0, PR_OPT_SECONDS, offsetof(run_args, min_time_s), "SECONDS", 1e-6, 3600,
     "time budget for one benchmark's samples (default 0.4s)"},
    {"samples", 0, PR_OPT_COUNT, offsetof(run_args, samples), "N", 1, 1e7,
     "samples per benchmark (default 50; fewer when min-time runs out, never under 10)"},
    {"iterations", 0, PR_OPT_COUNT, offsetof(run_args, iterations), "N", 1, 1e15,
     "fixed iterations per sample: no calibration"},
    {"warmup", 0, PR_OPT_SECONDS, offsetof(run_args, warmup_s), "SECONDS", 0, 3600,
     "warm-up before the samples, calibration included (default 0.05s)"},
    {"json", 0, PR_OPT_STRING, offsetof(run_args, json), "FILE", 0, 0,
     "also write the results to FILE ('-': to stdout, instead of the report)"},
    {"store", 0, PR_OPT_STRING, offsetof(run_args, store), "DIR", 0, 0,
     "root of the run store (default .perfreg)"},
    {"suite", 0, PR_OPT_STRING, offsetof(run_args, suite), "NAME", 0, 0,
     "record under this suite name (default: the executable's name)"},
    {"no-record", 0, PR_OPT_FLAG, offsetof(run_args, no_record), NULL, 0, 0,
     "do not record the run in the store"},
    {"ascii", 0, PR_OPT_FLAG, offsetof(run_args, ascii), NULL, 0, 0,
     "ASCII-only report, even on a UTF-8 terminal"},
    PR_OPT_END,
};

#define RUN_USAGE "[SUITE] [--filter PATTERN]... [options]"

static void progress(void *ctx, size_t i, size_t n, const char *name)
{
    (void)ctx;
    /* \r and erase-line keep the progress on one line; the name is ours
     * (a C identifier pair), so it is safe to print. */
    fprintf(stderr, "\r\033[K[%zu/%zu] %s", i + 1, n, name);
    fflush(stderr);
}

int cmd_run(int argc, char **argv)
{
    run_args a;
    pr_opt_list positional = {NULL, 0};
    pr_runner_options ro;
    pr_run run;
    pr_strbuf json = PR_STRBUF_INIT, report = PR_STRBUF_INIT;
    char *recorded = NULL;
    int err, status = PERFREG_EXIT_OK, show_progress;

    memset(&a, 0, sizeof a);
    pr_runner_options_init(&ro);
    a.min_time_s = ro.timing.min_time_s;
    a.warmup_s = ro.timing.warmup_s;
    a.samples = ro.timing.samples;
    pr_run_init(&run);

    err = pr_opt_parse(run_options, &a, argc, argv, &positional);
    if (err == PR_OPT_HELP) {
        pr_cli_print_help("run", RUN_USAGE,
                          "Measures the benchmarks (all, or those matching --filter), records the\n"
                          "run under .perfreg/runs/<suite>/ and prints the report. SUITE is the\n"
                          "path of a suite executable; without it, the benchmarks built into this\n"
                          "program run.",
                          run_options);
        goto done;
    }
    if (err) {
        status = pr_cli_usage_error("run", RUN_USAGE);
        goto done;
    }
    if (positional.n > 1) {
        pr_error_set(PR_EUSAGE, "one suite at a time: '%s' and '%s'", positional.items[0],
                     positional.items[1]);
        status = pr_cli_usage_error("run", RUN_USAGE);
        goto done;
    }
    if (positional.n == 1) {
        status = pr_cli_exec_suite("run", positional.items[0], argc, argv);
        goto done;
    }
    if (!pr_cli_has_benchmarks()) {
        fprintf(stderr,
                "%s run: no benchmarks in this program; give a suite executable, e.g. "
                "'%s run build/bench/mysuite'\n",
                pr_cli_program(), pr_cli_program());
        status = PERFREG_EXIT_USAGE;
        goto done;
    }

    ro.suite = a.suite ? a.suite : pr_cli_program();
    ro.filters = a.filters.items;
    ro.n_filters = a.filters.n;
    ro.timing.min_time_s = a.min_time_s;
    ro.timing.warmup_s = a.warmup_s;
    ro.timing.samples = a.samples;
    ro.timing.iterations = a.iterations;
    show_progress = isatty(STDERR_FILENO);
    if (show_progress)
        ro.progress = progress;

    err = pr_runner_run(&ro, &run);
    if (show_progress)
        fprintf(stderr, "\r\033[K");
    if (err) {
        status = pr_cli_fail("run", err);
        goto done;
    }

    if ((err = pr_results_write(&run, &json)) != 0) {
        status = pr_cli_fail("run", err);
        goto done;
    }
    if (!a.no_record &&
        (err = pr_store_record(a.store, &run, json.buf, json.len, &recorded)) != 0) {
        status = pr_cli_fail("run", err);
        goto done;
    }
    if (a.json && strcmp(a.json, "-") == 0) {
        if ((err = pr_cli_write(stdout, &json)) != 0)
            status = pr_cli_fail("run", err);
    } else {
        pr_report_options rep = {pr_cli_utf8() && !a.ascii};
        if (a.json && (err = pr_store_write_atomic(a.json, json.buf, json.len)) != 0) {
            status = pr_cli_fail("run", err);
            goto done;
        }
        pr_report_run(&report, &run, &rep);
        if (recorded)
            pr_strbuf_addf(&report, "\nRecorded: %s\n", recorded);
        if (a.json)
            pr_strbuf_addf(&report, "Written:  %s\n", a.json);
        if ((err = pr_cli_write(stdout, &report)) != 0) {
            status = pr_cli_fail("run", err);
            goto done;
        }
    }
    if (status == PERFREG_EXIT_OK && pr_run_has_failures(&run))
        status = PERFREG_EXIT_BENCH;
done:
    free(recorded);
    pr_strbuf_release(&json);
    pr_strbuf_release(&report);
    pr_run_release(&run);
    pr_opt_list_release(&positional);
    pr_opt_list_release(&a.filters);
    return status;
}
