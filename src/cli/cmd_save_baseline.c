/*
 * cmd_save_baseline.c - `save-baseline [NAME]`: make a run the suite's
 * committed baseline, baselines/<NAME>.json. The run is the newest one
 * recorded for the suite, a results file (--from), or a fresh run (--run).
 * The write is atomic: a failure leaves the old baseline as it was. In the
 * perfreg program with nothing named, each of the project config's suites
 * saves its own.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "perfreg.h"
#include "report.h"
#include "results.h"
#include "runner.h"
#include "store.h"
#include "banned.h"

typedef struct save_args {
    pr_cli_run_args run; /* first: pr_cli_run_options applies to it */
    const char *from;
    int do_run;
} save_args;

static const pr_opt save_options[] = {
    {"from", 0, PR_OPT_STRING, offsetof(save_args, from), "FILE", 0, 0,
     "take the run from this results file"},
    {"run", 0, PR_OPT_FLAG, offsetof(save_args, do_run), NULL, 0, 0,
     "run the suite first (with the run options below) and save that run"},
    PR_OPT_END,
};

#define SAVE_USAGE "[NAME | SUITE] [--from FILE | --run [run options]] [--baselines DIR]"

/* The folder part of PATH, created when missing. */
static int make_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir;
    int err;
    if (!slash || slash == path)
        return 0;
    if (!(dir = malloc((size_t)(slash - path) + 1)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = '\0';
    err = pr_store_mkdirs(dir);
    free(dir);
    return err;
}

/* The names of failed benchmarks, escaped, for the warning. */
static void list_failed(pr_strbuf *sb, const pr_run *run)
{
    size_t i;
    for (i = 0; i < run->n_results; i++)
        if (run->results[i].status != PR_STATUS_OK) {
            pr_strbuf_adds(sb, sb->len ? ", '" : "'");
            pr_report_add_escaped(sb, run->results[i].name, 0);
            pr_strbuf_addch(sb, '\'');
        }
}

int cmd_save_baseline(int argc, char **argv)
{
    const pr_opt *const tables[] = {save_options, pr_cli_run_options, NULL};
    save_args a;
    pr_opt_list positional = {NULL, 0};
    pr_config cfg;
    pr_run run;
    pr_strbuf json = PR_STRBUF_INIT, msg = PR_STRBUF_INIT;
    char *source = NULL, *target = NULL, *recorded = NULL;
    const char *name = NULL;
    int err, status = PERFREG_EXIT_OK;

    memset(&a, 0, sizeof a);
    pr_cli_run_args_init(&a.run);
    pr_config_init(&cfg);
    pr_run_init(&run);
    err = pr_cli_config_read(tables, sizeof a, argc, argv, &cfg);
    if (err < 0 && err != PR_EUSAGE) {
        status = pr_cli_fail("save-baseline", err);
        goto done;
    }
    if (!err) {
        pr_cli_run_args_apply_config(&a.run, &cfg);
        err = pr_opt_parse_tables(tables, &a, argc, argv, &positional);
    }
    if (err == PR_OPT_HELP) {
        pr_cli_print_help("save-baseline", SAVE_USAGE,
                          "Makes a run the baseline that 'compare' checks against, written to\n"
                          "baselines/<NAME>.json (NAME: the suite's name). The run is the newest\n"
                          "one recorded for the suite, the results file given with --from, or a\n"
                          "new run with --run. Commit the baseline file. In perfreg with nothing\n"
                          "named, each suite of the project config (perfreg.json) saves its own.",
                          save_options);
        pr_strbuf_adds(&msg, "\nRun options (with --run):\n");
        pr_opt_help(&msg, pr_cli_run_options);
        pr_cli_write(stdout, &msg);
        goto done;
    }
    if (!err && positional.n > 1)
        err = pr_error_set(PR_EUSAGE, "one baseline at a time: '%s' and '%s'", positional.items[0],
                           positional.items[1]);
    if (!err && a.from && a.do_run)
        err = pr_error_set(PR_EUSAGE, "--from and --run exclude each other");
    if (!err && positional.n == 0 && !a.from && !pr_cli_has_benchmarks()) {
        /* each of the config's suites would write the same file or name */
        if (a.run.suite)
            err = pr_cli_one_suite_option(&cfg, "save-baseline", "--suite");
        else if (a.run.json)
            err = pr_cli_one_suite_option(&cfg, "save-baseline", "--json");
    }
    if (err) {
        status = pr_cli_usage_error("save-baseline", SAVE_USAGE);
        goto done;
    }
    if (positional.n == 1 && pr_cli_is_suite(positional.items[0])) {
        status = pr_cli_exec_suite("save-baseline", positional.items[0], argc, argv);
        goto done;
    }
    if (positional.n == 0 && !a.from && !pr_cli_has_benchmarks() && cfg.n_suites > 0) {
        status = pr_cli_run_suites("save-baseline", &cfg, argc, argv);
        goto done;
    }
    name = positional.n == 1 ? positional.items[0] : NULL;

    if (a.do_run) {
        if ((status = pr_cli_measure("save-baseline", &a.run, &run, &json, &recorded)) != 0)
            goto done;
        source = recorded ? pr_strdup(recorded) : pr_strdup("a new run");
    } else {
        if (a.from) {
            source = pr_strdup(a.from);
        } else {
            const char *suite = name ? name : pr_cli_has_benchmarks() ? pr_cli_program() : NULL;
            if (!suite) {
                pr_error_set(PR_EUSAGE, "which suite? name it, or give --from FILE");
                status = pr_cli_usage_error("save-baseline", SAVE_USAGE);
                goto done;
            }
            if ((err = pr_store_latest(a.run.store, suite, &source)) != 0) {
                status = pr_cli_fail("save-baseline", err);
                goto done;
            }
        }
        if (!source) {
            status = pr_cli_fail("save-baseline", PR_ENOMEM);
            goto done;
        }
        if ((status = pr_cli_load("save-baseline", source, &run)) != 0)
            goto done;
        if ((err = pr_results_write(&run, &json)) != 0) {
            status = pr_cli_fail("save-baseline", err);
            goto done;
        }
    }
    if (!name)
        name = run.suite;
    if ((err = pr_store_baseline_path(a.run.baselines, name, &target)) != 0 ||
        (err = make_parent(target)) != 0 ||
        (err = pr_store_write_atomic(target, json.buf, json.len)) != 0) {
        status = pr_cli_fail("save-baseline", err);
        goto done;
    }

    /* Paths, commit and date may come from a file: escaped, never raw. */
    pr_strbuf_adds(&msg, "Saved baseline ");
    pr_report_add_escaped(&msg, target, pr_cli_utf8());
    pr_strbuf_addf(&msg, ": %zu benchmarks", run.n_results);
    if (run.git.short_commit) {
        pr_strbuf_adds(&msg, ", commit ");
        pr_report_add_escaped(&msg, run.git.short_commit, pr_cli_utf8());
        pr_strbuf_adds(&msg, run.git.dirty == 1 ? " (dirty)" : "");
    }
    if (run.context.date) {
        pr_strbuf_adds(&msg, ", run ");
        pr_report_add_escaped(&msg, run.context.date, pr_cli_utf8());
    }
    pr_strbuf_adds(&msg, "\n  from ");
    pr_report_add_escaped(&msg, source ? source : "?", pr_cli_utf8());
    pr_strbuf_addch(&msg, '\n');
    if ((err = pr_cli_write(stdout, &msg)) != 0) {
        status = pr_cli_fail("save-baseline", err);
        goto done;
    }
    pr_strbuf_reset(&msg);
    list_failed(&msg, &run);
    if (msg.len)
        fprintf(stderr,
                "%s save-baseline: warning: failed benchmarks have no baseline figures: %s\n",
                pr_cli_program(), msg.buf);
done:
    free(source);
    free(target);
    free(recorded);
    pr_strbuf_release(&json);
    pr_strbuf_release(&msg);
    pr_run_release(&run);
    pr_opt_list_release(&positional);
    pr_cli_run_args_release(&a.run);
    pr_config_release(&cfg);
    return status;
}
