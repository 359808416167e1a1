/*
 * cmd_run.c - `run`: measure the selected benchmarks, record the run, print
 * the boxed report, and, when the suite has a baseline, the comparison with
 * it. Given a suite executable's path, hands the whole command to it; in
 * the perfreg program, with none given, runs the project config's suites.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "compare.h"
#include "error.h"
#include "perfreg.h"
#include "report.h"
#include "results.h"
#include "runner.h"
#include "store.h"
#include "banned.h"

#define RUN_USAGE "[SUITE] [--filter PATTERN]... [--format text|gbench] [options]"

typedef struct run_args {
    pr_cli_run_args run; /* first: pr_cli_run_options applies to it */
    const char *format;
} run_args;

static const pr_opt run_options[] = {
    {"format", 0, PR_OPT_STRING, offsetof(run_args, format), "FORMAT", 0, 0,
     "text (the report, default) or gbench (Google Benchmark's JSON on stdout)"},
    PR_OPT_END,
};

/* Appends the comparison with the suite's baseline, when there is one. */
static int add_baseline_sections(pr_strbuf *report, const pr_cli_run_args *a, const pr_run *run,
                                 const char *recorded, int utf8)
{
    pr_run baseline;
    pr_comparison cmp;
    pr_compare_options co;
    pr_strbuf accept = PR_STRBUF_INIT;
    char *path = NULL;
    struct stat st;
    int status = 0, err;

    pr_run_init(&baseline);
    memset(&cmp, 0, sizeof cmp);
    if ((err = pr_store_baseline_path(a->baselines, run->suite, &path)) != 0) {
        status = pr_cli_fail("run", err);
        goto done;
    }
    if (stat(path, &st) != 0 && errno == ENOENT)
        goto done;
    if ((status = pr_cli_load("run", path, &baseline)) != 0)
        goto done;
    pr_compare_options_init(&co);
    if ((err = pr_compare_runs(&baseline, run, &co, &cmp)) != 0) {
        status = pr_cli_fail("run", err);
        goto done;
    }
    if (recorded)
        pr_strbuf_addf(&accept, "%s save-baseline --from %s", pr_cli_invocation(), recorded);
    {
        pr_report_options rep = {utf8, recorded ? accept.buf : NULL};
        pr_strbuf_addf(report, "Baseline:  %s\n", path);
        pr_report_comparison_sections(report, &cmp, &rep);
    }
done:
    pr_comparison_release(&cmp);
    pr_run_release(&baseline);
    pr_strbuf_release(&accept);
    free(path);
    return status;
}

int cmd_run(int argc, char **argv)
{
    const pr_opt *const tables[] = {run_options, pr_cli_run_options, NULL};
    run_args ra;
    pr_cli_run_args *const ap = &ra.run;
    pr_opt_list positional = {NULL, 0};
    pr_config cfg;
    pr_run run;
    pr_strbuf json = PR_STRBUF_INIT, report = PR_STRBUF_INIT;
    char *recorded = NULL;
    int err, status = PERFREG_EXIT_OK, utf8, gbench = 0;

    memset(&ra, 0, sizeof ra);
    pr_cli_run_args_init(ap);
    pr_config_init(&cfg);
    pr_run_init(&run);
    err = pr_cli_config_read(tables, sizeof ra, argc, argv, &cfg);
    if (err < 0 && err != PR_EUSAGE) {
        status = pr_cli_fail("run", err);
        goto done;
    }
    if (!err) {
        pr_cli_run_args_apply_config(ap, &cfg);
        err = pr_opt_parse_tables(tables, &ra, argc, argv, &positional);
    }
    if (!err && ra.format && strcmp(ra.format, "gbench") == 0)
        gbench = 1;
    else if (!err && ra.format && strcmp(ra.format, "text") != 0)
        err = pr_error_set(PR_EUSAGE, "--format '%s': one of text, gbench", ra.format);
    if (!err && gbench && ap->json && strcmp(ap->json, "-") == 0)
        err = pr_error_set(PR_EUSAGE, "--format gbench and --json - both want stdout");
    if (!err && positional.n == 0 && !pr_cli_has_benchmarks()) {
        /* each of the config's suites would write the same file or name */
        if (ap->suite)
            err = pr_cli_one_suite_option(&cfg, "run", "--suite");
        else if (ap->json)
            err = pr_cli_one_suite_option(&cfg, "run", "--json");
        else if (gbench)
            err = pr_cli_one_suite_option(&cfg, "run", "--format gbench");
    }
    if (err == PR_OPT_HELP) {
        pr_cli_print_help("run", RUN_USAGE,
                          "Measures the benchmarks (all, or those matching --filter), records the\n"
                          "run under .perfreg/runs/<suite>/ and prints the report; when the suite\n"
                          "has a baseline (baselines/<suite>.json), the comparison with it too.\n"
                          "SUITE is the path of a suite executable; without it, the benchmarks\n"
                          "built into this program run, or in perfreg the suites of the project\n"
                          "config (perfreg.json), one after another. --json - prints the results\n"
                          "instead.",
                          run_options);
        pr_strbuf_adds(&report, "\nRun options:\n");
        pr_opt_help(&report, pr_cli_run_options);
        pr_cli_write(stdout, &report);
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
    if (!pr_cli_has_benchmarks() && cfg.n_suites > 0) {
        status = pr_cli_run_suites("run", &cfg, argc, argv);
        goto done;
    }
    if ((status = pr_cli_measure("run", ap, &run, &json, &recorded)) != 0)
        goto done;

    if (gbench) {
        pr_strbuf_reset(&report);
        if ((err = pr_results_write_gbench(&run, &report)) != 0 ||
            (err = pr_cli_write(stdout, &report)) != 0)
            status = pr_cli_fail("run", err);
        goto failures;
    }
    if (ap->json && strcmp(ap->json, "-") == 0) {
        if ((err = pr_cli_write(stdout, &json)) != 0)
            status = pr_cli_fail("run", err);
        goto failures;
    }
    utf8 = pr_cli_utf8() && !ap->ascii;
    {
        pr_report_options rep = {utf8, NULL};
        pr_report_run(&report, &run, &rep);
    }
    status = add_baseline_sections(&report, ap, &run, recorded, utf8);
    if (recorded)
        pr_strbuf_addf(&report, "\nRecorded: %s\n", recorded);
    if (ap->json)
        pr_strbuf_addf(&report, "Written:  %s\n", ap->json);
    if ((err = pr_cli_write(stdout, &report)) != 0) {
        status = pr_cli_fail("run", err);
        goto done;
    }
failures:
    if (status == PERFREG_EXIT_OK && pr_run_has_failures(&run))
        status = PERFREG_EXIT_BENCH;
done:
    free(recorded);
    pr_strbuf_release(&json);
    pr_strbuf_release(&report);
    pr_run_release(&run);
    pr_opt_list_release(&positional);
    pr_cli_run_args_release(ap);
    pr_config_release(&cfg);
    return status;
}
