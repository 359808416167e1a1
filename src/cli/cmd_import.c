/*
 * cmd_import.c - `import FILE`: another tool's JSON (Google Benchmark,
 * pytest-benchmark, hyperfine) as a perfreg results file, written to -o FILE
 * (atomically) or printed. What maps to what is import.c's business and
 * docs/importing.md's; compare, save-baseline and history read those files
 * directly as well, this command is for keeping the converted file.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "import.h"
#include "perfreg.h"
#include "report.h"
#include "results.h"
#include "store.h"
#include "banned.h"

typedef struct import_args {
    const char *from;
    const char *gbench_time;
    const char *suite;
    const char *output;
} import_args;

static const pr_opt import_options[] = {
    {"from", 0, PR_OPT_STRING, offsetof(import_args, from), "FORMAT", 0, 0,
     "gbench, pytest or hyperfine (default: detected from the file)"},
    {"gbench-time", 0, PR_OPT_STRING, offsetof(import_args, gbench_time), "TIME", 0, 0,
     "Google Benchmark's real (default) or cpu time as the samples"},
    {"suite", 0, PR_OPT_STRING, offsetof(import_args, suite), "NAME", 0, 0,
     "the suite's name (default: the tool's, see docs/importing.md)"},
    {"output", 'o', PR_OPT_STRING, offsetof(import_args, output), "FILE", 0, 0,
     "write the results file to FILE instead of stdout (-: stdout)"},
    PR_OPT_END,
};

#define IMPORT_USAGE "FILE [--from gbench|pytest|hyperfine] [--gbench-time real|cpu] [-o FILE]"

/* The options' values, checked: a usage error names the option. */
static int check_args(const import_args *a, pr_import_options *opt)
{
    int err;

    if (a->from && (err = pr_import_format_parse(a->from, &opt->format)) < 0)
        return err;
    if (a->gbench_time) {
        if (strcmp(a->gbench_time, "real") == 0)
            opt->gbench_time = PR_IMPORT_REAL_TIME;
        else if (strcmp(a->gbench_time, "cpu") == 0)
            opt->gbench_time = PR_IMPORT_CPU_TIME;
        else
            return pr_error_set(PR_EUSAGE, "--gbench-time '%s': real or cpu", a->gbench_time);
        if (opt->format != PR_IMPORT_AUTO && opt->format != PR_IMPORT_GBENCH)
            return pr_error_set(PR_EUSAGE, "--gbench-time applies to --from gbench only");
    }
    if (a->suite && (!*a->suite || pr_name_control(a->suite) >= 0))
        return pr_error_set(PR_EUSAGE,
                            "--suite: expected a non-empty name without control characters");
    opt->suite = a->suite;
    return 0;
}

/* "imported 7 benchmarks (1 failed, 3 without samples) from Google Benchmark
 * JSON 'x.json' (real_time) into 'out.json'", on stderr. */
static void summary(const pr_run *run, pr_import_format format, const pr_import_options *opt,
                    const char *in, const char *out)
{
    pr_strbuf msg = PR_STRBUF_INIT;
    size_t i, failed = 0, stats_only = 0;
    int utf8 = pr_cli_utf8();

    for (i = 0; i < run->n_results; i++) {
        if (run->results[i].status != PR_STATUS_OK)
            failed++;
        else if (run->results[i].n_samples == 0)
            stats_only++;
    }
    pr_strbuf_addf(&msg, "imported %zu benchmark%s", run->n_results,
                   run->n_results == 1 ? "" : "s");
    if (failed || stats_only) {
        pr_strbuf_adds(&msg, " (");
        if (failed)
            pr_strbuf_addf(&msg, "%zu failed%s", failed, stats_only ? ", " : "");
        if (stats_only)
            pr_strbuf_addf(&msg, "%zu without samples: no significance test", stats_only);
        pr_strbuf_addch(&msg, ')');
    }
    /* paths come from the user and may hold anything: escaped */
    pr_strbuf_addf(&msg, " from %s '", pr_import_format_title(format));
    pr_report_add_escaped(&msg, in, utf8);
    pr_strbuf_addch(&msg, '\'');
    if (format == PR_IMPORT_GBENCH)
        pr_strbuf_adds(&msg,
                       opt->gbench_time == PR_IMPORT_CPU_TIME ? " (cpu_time)" : " (real_time)");
    pr_strbuf_adds(&msg, " into '");
    pr_report_add_escaped(&msg, out, utf8);
    pr_strbuf_adds(&msg, "'\n");
    pr_cli_write(stderr, &msg);
    pr_strbuf_release(&msg);
}

int cmd_import(int argc, char **argv)
{
    import_args a;
    pr_import_options opt;
    pr_import_format format = PR_IMPORT_AUTO;
    pr_opt_list positional = {NULL, 0};
    pr_strbuf json = PR_STRBUF_INIT;
    pr_run run;
    int err, status = PERFREG_EXIT_OK, to_stdout;

    memset(&a, 0, sizeof a);
    pr_import_options_init(&opt);
    pr_run_init(&run);
    err = pr_opt_parse(import_options, &a, argc, argv, &positional);
    if (err == PR_OPT_HELP) {
        pr_cli_print_help(
            "import", IMPORT_USAGE,
            "Turns Google Benchmark, pytest-benchmark or hyperfine JSON (the tools'\n"
            "JSON output; a run pytest-benchmark saved) into a perfreg results file,\n"
            "printed or written with -o. compare, save-baseline and history also read\n"
            "those files as they are. docs/importing.md: how to make them, what maps\n"
            "to what.",
            import_options);
        goto done;
    }
    if (!err && positional.n != 1)
        err = positional.n == 0 ? pr_error_set(PR_EUSAGE, "which file? name the JSON to import")
                                : pr_error_set(PR_EUSAGE, "one file at a time: '%s' and '%s'",
                                               positional.items[0], positional.items[1]);
    if (!err)
        err = check_args(&a, &opt);
    if (err) {
        status = pr_cli_usage_error("import", IMPORT_USAGE);
        goto done;
    }
    if ((err = pr_import_load(&run, positional.items[0], &opt, &format)) < 0) {
        status = pr_cli_fail("import", err);
        goto done;
    }
    if (a.gbench_time && format != PR_IMPORT_GBENCH) {
        err = pr_error_set(PR_EUSAGE, "--gbench-time applies to Google Benchmark JSON; '%s' is %s",
                           positional.items[0], pr_import_format_title(format));
        status = pr_cli_usage_error("import", IMPORT_USAGE);
        goto done;
    }
    if ((err = pr_results_write(&run, &json)) < 0) {
        status = pr_cli_fail("import", err);
        goto done;
    }
    to_stdout = !a.output || strcmp(a.output, "-") == 0;
    err = to_stdout ? pr_cli_write(stdout, &json)
                    : pr_store_write_atomic(a.output, json.buf, json.len);
    if (err < 0) {
        status = pr_cli_fail("import", err);
        goto done;
    }
    if (!to_stdout)
        summary(&run, format, &opt, positional.items[0], a.output);
done:
    pr_strbuf_release(&json);
    pr_run_release(&run);
    pr_opt_list_release(&positional);
    return status;
}
