/*
 * cmd_save_baseline.c - `save-baseline [NAME]`: make a run the suite's
 * committed baseline, baselines/<NAME>.json. The run is the newest one
 * recorded for the suite, a results file (--from), or a fresh run (--run).
 * The write is atomic: a failure leaves the old baseline as it was. In the
 * perfreg program with nothing named, each of the project config's suites
 * saves its own.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "compare.h"
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
    uint64_t runs; /* 0: not given */
} save_args;

/* Without --runs, a baseline merges the newest run and the earlier ones of
 * its machine and commit, this many at most. */
#define DEFAULT_RUNS 5
#define MAX_RUNS 1000

static const pr_opt save_options[] = {
    {"from", 0, PR_OPT_STRING, offsetof(save_args, from), "FILE", 0, 0,
     "take the run from this results file"},
    {"run", 0, PR_OPT_FLAG, offsetof(save_args, do_run), NULL, 0, 0,
     "run the suite first (with the run options below) and save that run"},
    {"runs", 0, PR_OPT_COUNT, offsetof(save_args, runs), "N", 1, MAX_RUNS,
     "merge N runs of one machine and commit: the newest recorded (default: up to 5), or N new "
     "ones with --run"},
    PR_OPT_END,
};

#define SAVE_USAGE                                                                                 \
    "[NAME | SUITE] [--from FILE | --run [run options]] [--runs N] [--baselines DIR]"

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

/* 1 when B ran on A's machine and commit (both known, both as dirty). */
static int same_machine_and_commit(const pr_run *a, const pr_run *b)
{
    char *mismatch = NULL;
    int same;

    if (!a->git.commit || !b->git.commit || strcmp(a->git.commit, b->git.commit) != 0 ||
        a->git.dirty != b->git.dirty)
        return 0;
    if (pr_compare_machine(&a->context, &b->context, &mismatch) != 0)
        return 0;
    same = mismatch == NULL;
    free(mismatch);
    return same;
}

/* Up to WANT - 1 recorded runs of SUITE before the newest (PATHS[N - 1],
 * loaded as NEWEST) that share its machine and commit, newest first into
 * OLDER (initialised runs; *GOT of them filled). Unreadable runs are
 * skipped. */
static int load_earlier(char **paths, size_t n, const pr_run *newest, size_t want, pr_run *older,
                        size_t *got)
{
    size_t i;

    *got = 0;
    for (i = n - 1; i-- > 0 && *got + 1 < want;) {
        pr_run r;
        pr_run_init(&r);
        if (pr_results_load(&r, paths[i]) == 0 && same_machine_and_commit(newest, &r)) {
            older[(*got)++] = r;
            continue;
        }
        pr_run_release(&r);
    }
    return 0;
}

/* OLDER (N runs, newest first) merged into RUN, oldest first. */
static int merge_runs(pr_run *run, pr_run *older, size_t n)
{
    size_t i;
    for (i = 0; i < n / 2; i++) {
        pr_run t = older[i];
        older[i] = older[n - 1 - i];
        older[n - 1 - i] = t;
    }
    return pr_run_merge(run, older, n);
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
    pr_run *older = NULL;
    size_t n_older = 0, i;
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
    if (!err && a.from && a.runs)
        err = pr_error_set(PR_EUSAGE, "--from and --runs exclude each other: --from saves the "
                                      "file as it is");
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

    if (!(older = calloc(a.runs ? (size_t)a.runs : DEFAULT_RUNS, sizeof *older))) {
        status = pr_cli_fail("save-baseline", pr_error_set(PR_ENOMEM, "out of memory"));
        goto done;
    }
    if (a.do_run) {
        /* N new runs, each recorded; the last one is the newest */
        size_t want = a.runs ? (size_t)a.runs : 1;
        for (i = 0; i < want; i++) {
            if (i > 0) {
                older[n_older++] = run;
                pr_run_init(&run);
                pr_strbuf_reset(&json);
                free(recorded);
                recorded = NULL;
                if (isatty(STDERR_FILENO))
                    fprintf(stderr, "%s save-baseline: run %zu of %zu\n", pr_cli_program(),
                            i + 1, want);
            }
            if ((status = pr_cli_measure("save-baseline", &a.run, &run, &json, &recorded)) != 0)
                goto done;
        }
        /* newest first, as load_earlier gives them */
        for (i = 0; i < n_older / 2; i++) {
            pr_run t = older[i];
            older[i] = older[n_older - 1 - i];
            older[n_older - 1 - i] = t;
        }
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
        if (!a.from) {
            char **paths = NULL;
            size_t n_paths = 0, want = a.runs ? (size_t)a.runs : DEFAULT_RUNS;
            if ((err = pr_store_list(a.run.store, run.suite, &paths, &n_paths)) == 0 &&
                n_paths > 0)
                err = load_earlier(paths, n_paths, &run, want, older, &n_older);
            pr_store_free_list(paths, n_paths);
            if (err) {
                status = pr_cli_fail("save-baseline", err);
                goto done;
            }
            if (a.runs && n_older + 1 < want) {
                pr_error_set(PR_EUSAGE,
                             "--runs %zu: the store holds %zu recorded run%s of '%s' on this "
                             "machine and commit: record more ('%s run'), or make them with "
                             "'%s save-baseline --run --runs %zu'",
                             want, n_older + 1, n_older ? "s" : "", run.suite,
                             pr_cli_invocation(), pr_cli_invocation(), want);
                status = pr_cli_fail("save-baseline", PR_EUSAGE);
                goto done;
            }
        }
    }
    if (n_older > 0 && (err = merge_runs(&run, older, n_older)) != 0) {
        status = pr_cli_fail("save-baseline", err);
        goto done;
    }
    pr_strbuf_reset(&json);
    if ((err = pr_results_write(&run, &json)) != 0) {
        status = pr_cli_fail("save-baseline", err);
        goto done;
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
    pr_strbuf_addf(&msg, ": %zu benchmark%s", run.n_results, run.n_results == 1 ? "" : "s");
    if (run.context.runs > 1)
        pr_strbuf_addf(&msg, ", %llu runs", (unsigned long long)run.context.runs);
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
    if (n_older > 0)
        pr_strbuf_addf(&msg, " and %zu earlier run%s of its machine and commit", n_older,
                       n_older == 1 ? "" : "s");
    pr_strbuf_addch(&msg, '\n');
    if ((err = pr_cli_write(stdout, &msg)) != 0) {
        status = pr_cli_fail("save-baseline", err);
        goto done;
    }
    if (run.context.runs < 2)
        fprintf(stderr,
                "%s save-baseline: note: a baseline of one run: compare cannot know how much "
                "this machine moves from run to run; '%s save-baseline --run --runs 5' makes one "
                "of five\n",
                pr_cli_program(), pr_cli_invocation());
    pr_strbuf_reset(&msg);
    list_failed(&msg, &run);
    if (msg.len)
        fprintf(stderr,
                "%s save-baseline: warning: failed benchmarks have no baseline figures: %s\n",
                pr_cli_program(), msg.buf);
done:
    for (i = 0; older && i < n_older; i++)
        pr_run_release(&older[i]);
    free(older);
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
