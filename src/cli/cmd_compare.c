/*
 * cmd_compare.c - `compare`: check a run against the suite's baseline and
 * exit 1 when a regression crosses a --fail threshold. The run is a fresh
 * one (recorded like `run`'s), a results file (--results FILE, or one
 * positional FILE), or two files are compared (compare OLD NEW). In the
 * perfreg program with nothing named, each of the project config's suites
 * runs its own compare.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ab.h"
#include "cli.h"
#include "compare.h"
#include "error.h"
#include "gitmeta.h"
#include "perfreg.h"
#include "report.h"
#include "results.h"
#include "runner.h"
#include "store.h"
#include "banned.h"

typedef struct compare_args {
    pr_cli_run_args run; /* first: pr_cli_run_options applies to it */
    const char *results;
    const char *baseline;
    const char *baseline_ref;
    pr_opt_list warn;
    pr_opt_list fail;
    double alpha;
    int no_significance;
    int fail_on_missing;
    int strict_machine;
    const char *format;
    const char *output;
    const char *against_exe;
    const char *against;
    uint64_t rounds, max_rounds, seed;
    double max_time_s;
    const char *order;
    const char *inconclusive;
} compare_args;

/* "not given" for the options whose every value means something */
#define SEED_UNSET UINT64_MAX
#define MAX_TIME_UNSET -1.0

static const pr_opt compare_options[] = {
    {"fail", 0, PR_OPT_LIST, offsetof(compare_args, fail), "STAT:N%", 0, 0,
     "exit 1 when STAT regresses beyond N (repeatable; mean:10%, median:0.5ms, ops:5%)"},
    {"warn", 0, PR_OPT_LIST, offsetof(compare_args, warn), "STAT:N%", 0, 0,
     "warning threshold (default mean:10%,stddev:50%,ops:10%,memory:20%,allocs:20%)"},
    {"alpha", 0, PR_OPT_NUMBER, offsetof(compare_args, alpha), "P", 1e-9, 0.5,
     "1 - the confidence of the intervals, the level of the tests (default 0.05)"},
    {"no-significance", 0, PR_OPT_FLAG, offsetof(compare_args, no_significance), NULL, 0, 0,
     "judge by the thresholds alone, without the significance test"},
    {"fail-on-missing", 0, PR_OPT_FLAG, offsetof(compare_args, fail_on_missing), NULL, 0, 0,
     "a benchmark of the baseline missing from the run fails the comparison"},
    {"strict-machine", 0, PR_OPT_FLAG, offsetof(compare_args, strict_machine), NULL, 0, 0,
     "a baseline from a different machine is an error, not a warning"},
    {"results", 0, PR_OPT_STRING, offsetof(compare_args, results), "FILE", 0, 0,
     "compare this results file instead of running the suite"},
    {"baseline", 0, PR_OPT_STRING, offsetof(compare_args, baseline), "NAME|FILE", 0, 0,
     "compare against this baseline (default: baselines/<suite>.json)"},
    {"baseline-ref", 0, PR_OPT_STRING, offsetof(compare_args, baseline_ref), "REF", 0, 0,
     "read the baseline as committed at REF (branch, tag, commit, merge-base:REF)"},
    {"format", 0, PR_OPT_STRING, offsetof(compare_args, format), "FORMAT", 0, 0,
     "text (default), json, markdown, csv, or gbench (the run as Google Benchmark's JSON)"},
    {"output", 'o', PR_OPT_STRING, offsetof(compare_args, output), "FILE", 0, 0,
     "write the comparison to FILE instead of stdout"},
    {"against-exe", 0, PR_OPT_STRING, offsetof(compare_args, against_exe), "SUITE", 0, 0,
     "A/B: run this build of the suite and the baseline's SUITE in turns, and compare"},
    {"against", 0, PR_OPT_STRING, offsetof(compare_args, against), "REF", 0, 0,
     "A/B against the suite built at REF (the config's build section; merge-base:REF)"},
    {"rounds", 0, PR_OPT_COUNT, offsetof(compare_args, rounds), "N", 2, PR_AB_MAX_ROUNDS,
     "A/B: rounds every benchmark runs (default 10)"},
    {"max-rounds", 0, PR_OPT_COUNT, offsetof(compare_args, max_rounds), "N", 2, PR_AB_MAX_ROUNDS,
     "A/B: rounds an undecided benchmark may go on to (default 60)"},
    {"max-time", 0, PR_OPT_SECONDS, offsetof(compare_args, max_time_s), "SECONDS", 0, 1e6,
     "A/B: no round after SECONDS, but the first two (default 600s; 0 = no limit)"},
    {"seed", 0, PR_OPT_COUNT, offsetof(compare_args, seed), "N", 0, 9007199254740991.0,
     "A/B: the seed of the order of processes (default: a new one, printed)"},
    {"order", 0, PR_OPT_STRING, offsetof(compare_args, order), "ORDER", 0, 0,
     "A/B: random (default), alternate, candidate-second or candidate-first"},
    {"inconclusive", 0, PR_OPT_STRING, offsetof(compare_args, inconclusive), "POLICY", 0, 0,
     "what an inconclusive benchmark does: pass, warn (default: shown, exit 0) or fail"},
    PR_OPT_END,
};

#define COMPARE_USAGE                                                                              \
    "[SUITE | OLD.json NEW.json] [--fail STAT:N%]... [--against REF | --against-exe SUITE] "   \
    "[options]"

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_MARKDOWN, FORMAT_CSV, FORMAT_GBENCH };

static int parse_format(const char *s, enum format *out)
{
    static const char *const names[] = {"text", "json", "markdown", "csv", "gbench"};
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (enum format)i;
            return 0;
        }
    return pr_error_set(PR_EUSAGE, "--format '%s': one of text, json, markdown, csv, gbench", s);
}

/* Parses the thresholds of OPTION into SET, naming OPTION in an error. */
static int parse_thresholds(const char *option, const pr_opt_list *list, pr_threshold_set *set)
{
    char why[512];
    size_t i;
    int err;
    for (i = 0; i < list->n; i++)
        if ((err = pr_threshold_parse(list->items[i], set)) != 0) {
            /* copied first: the message is formatted into the same buffer */
            snprintf(why, sizeof why, "%s", pr_error_last());
            return pr_error_set(err, "%s %s", option, why);
        }
    return 0;
}

/* Fills CO from the command line, and from the config where the command
 * line gives no --warn or --fail (a list given replaces the config's);
 * PR_EUSAGE quoting a bad token. */
static int build_options(const compare_args *a, const pr_config *cfg, pr_compare_options *co)
{
    const pr_opt_list cfg_warn = {(const char **)cfg->warn, cfg->n_warn};
    const pr_opt_list cfg_fail = {(const char **)cfg->fail, cfg->n_fail};
    int err;
    pr_compare_options_init(co);
    if ((err = parse_thresholds("--warn", a->warn.n ? &a->warn : &cfg_warn, &co->warn)) != 0 ||
        (err = parse_thresholds("--fail", a->fail.n ? &a->fail : &cfg_fail, &co->fail)) != 0)
        return err;
    if (a->alpha > 0)
        co->alpha = a->alpha;
    if (cfg->has_inconclusive)
        co->inconclusive = (pr_inconclusive_policy)cfg->inconclusive;
    if (a->inconclusive) {
        int p = pr_inconclusive_from_name(a->inconclusive);
        if (p < 0)
            return pr_error_set(PR_EUSAGE, "--inconclusive '%s': one of pass, warn, fail",
                                a->inconclusive);
        co->inconclusive = (pr_inconclusive_policy)p;
    }
    co->significance = !a->no_significance;
    co->fail_on_missing = a->fail_on_missing;
    return 0;
}

/* The baseline NAME as committed at REF, from the object database. */
static int load_baseline_at(const char *dir, const char *name, const char *ref, pr_run *out)
{
    char *path = NULL, *text = NULL, *label = NULL;
    size_t len = 0;
    int err = pr_store_baseline_path(dir, name, &path);

    if (!err)
        err = pr_gitmeta_read_file_at(".", ref, path, &text, &len, &label);
    if (!err)
        err = pr_results_parse(out, text, len, label);
    free(path);
    free(text);
    free(label);
    return err ? pr_cli_fail("compare", err) : 0;
}

static int render(enum format f, const pr_comparison *cmp, const pr_report_options *rep,
                  pr_strbuf *out)
{
    switch (f) {
    case FORMAT_JSON:
        return pr_results_write_comparison(cmp, out);
    case FORMAT_MARKDOWN:
        return pr_report_comparison_markdown(out, cmp, rep);
    case FORMAT_CSV:
        return pr_report_comparison_csv(out, cmp);
    case FORMAT_TEXT:
    case FORMAT_GBENCH: /* not a comparison: cmd_compare writes the run */
        break;
    }
    return pr_report_comparison(out, cmp, rep);
}

int cmd_compare(int argc, char **argv)
{
    const pr_opt *const tables[] = {compare_options, pr_cli_run_options, NULL};
    compare_args a;
    pr_opt_list positional = {NULL, 0};
    pr_config cfg;
    pr_compare_options co;
    pr_comparison cmp;
    pr_cli_ab ab;
    pr_run current, baseline;
    pr_strbuf json = PR_STRBUF_INIT, out = PR_STRBUF_INIT, accept = PR_STRBUF_INIT;
    char *recorded = NULL, *baseline_path = NULL;
    const char *current_path = NULL;
    enum format format = FORMAT_TEXT;
    int err, status = PERFREG_EXIT_OK;

    memset(&a, 0, sizeof a);
    memset(&cmp, 0, sizeof cmp);
    memset(&ab, 0, sizeof ab);
    a.seed = SEED_UNSET;
    a.max_time_s = MAX_TIME_UNSET;
    pr_cli_run_args_init(&a.run);
    pr_config_init(&cfg);
    pr_run_init(&current);
    pr_run_init(&baseline);
    err = pr_cli_config_read(tables, sizeof a, argc, argv, &cfg);
    if (err < 0 && err != PR_EUSAGE) {
        status = pr_cli_fail("compare", err);
        goto done;
    }
    if (!err) {
        pr_cli_run_args_apply_config(&a.run, &cfg);
        if (cfg.has_alpha)
            a.alpha = cfg.alpha;
        if (cfg.has_rounds)
            a.rounds = cfg.rounds;
        if (cfg.has_max_rounds)
            a.max_rounds = cfg.max_rounds;
        if (cfg.has_max_time)
            a.max_time_s = cfg.max_time_s;
        err = pr_opt_parse_tables(tables, &a, argc, argv, &positional);
    }
    if (err == PR_OPT_HELP) {
        pr_cli_print_help(
            "compare", COMPARE_USAGE,
            "Checks a run against the suite's baseline (baselines/<suite>.json), or, with\n"
            "--against-exe SUITE or --against REF, runs this build and the baseline's\n"
            "build in turns (A/B) and compares them. Without a file it runs the suite\n"
            "first and records the run, like 'run'. Each benchmark gets a verdict at its\n"
            "threshold: fail (significantly slower, and the estimate beyond it), pass\n"
            "(the interval's upper end below it) or inconclusive (the comparison cannot\n"
            "tell: see --inconclusive). Exit status: 0 no --fail threshold crossed, 1 a\n"
            "regression crossed one, 2 usage or input error, 3 a benchmark failed to run.\n"
            "In perfreg with nothing named, each suite of the project config\n"
            "(perfreg.json) runs its own compare, and the worst status wins (2, then 3,\n"
            "then 1).",
            compare_options);
        pr_strbuf_adds(&out, "\nRun options (when compare runs the suite):\n");
        pr_opt_help(&out, pr_cli_run_options);
        pr_cli_write(stdout, &out);
        goto done;
    }
    if (!err)
        err = build_options(&a, &cfg, &co);
    if (!err && a.format)
        err = parse_format(a.format, &format);
    if (!err && positional.n > 2)
        err = pr_error_set(PR_EUSAGE, "at most two files: OLD.json NEW.json");
    if (!err && a.results && positional.n > 0)
        err = pr_error_set(PR_EUSAGE, "--results and '%s' exclude each other", positional.items[0]);
    if (!err && positional.n == 2 && (a.baseline || a.baseline_ref))
        err = pr_error_set(PR_EUSAGE, "--baseline%s and OLD.json exclude each other",
                           a.baseline ? "" : "-ref");
    if (!err && a.against_exe && a.against)
        err = pr_error_set(PR_EUSAGE, "--against-exe and --against exclude each other");
    if (!err && (a.against_exe || a.against)) {
        const char *ab_opt = a.against_exe ? "--against-exe" : "--against";
        struct stat st;
        if (positional.n == 1 && stat(positional.items[0], &st) == 0 && S_ISDIR(st.st_mode))
            err = pr_error_set(PR_EUSAGE, "'%s' is a folder: %s needs the suite executable",
                               positional.items[0], ab_opt);
        else if (a.results || positional.n == 2 ||
                 (positional.n == 1 && !pr_cli_is_suite(positional.items[0])))
            err = pr_error_set(PR_EUSAGE,
                               "%s compares two builds by running them: give no results file",
                               ab_opt);
        else if (a.baseline || a.baseline_ref)
            err = pr_error_set(PR_EUSAGE, "%s and --baseline%s exclude each other", ab_opt,
                               a.baseline ? "" : "-ref");
        else if (a.run.no_isolate || a.run.config_no_isolate)
            err = pr_error_set(PR_EUSAGE,
                               "%s runs every benchmark in processes of its own: drop "
                               "--no-isolate (or run.isolate false in the config)",
                               ab_opt);
    }
    if (!err && a.max_rounds && a.max_rounds < (a.rounds ? a.rounds : PR_AB_DEFAULT_ROUNDS))
        err = pr_error_set(PR_EUSAGE, "--max-rounds %llu (or compare.max_rounds): below the %llu "
                                      "rounds every benchmark runs (--rounds)",
                           (unsigned long long)a.max_rounds,
                           (unsigned long long)(a.rounds ? a.rounds : PR_AB_DEFAULT_ROUNDS));
    if (!err && a.order && pr_ab_order_from_name(a.order) < 0)
        err = pr_error_set(PR_EUSAGE,
                           "--order '%s': one of random, alternate, candidate-second, "
                           "candidate-first",
                           a.order);
    if (!err && positional.n == 0 && !a.results && !pr_cli_has_benchmarks()) {
        /* each of the config's suites would write the same file or name,
         * or add a second document to one that must stay whole */
        char fmt[64];
        snprintf(fmt, sizeof fmt, "--format %s", a.format ? a.format : "");
        if (a.run.suite)
            err = pr_cli_one_suite_option(&cfg, "compare", "--suite");
        else if (a.run.json)
            err = pr_cli_one_suite_option(&cfg, "compare", "--json");
        else if (a.output)
            err = pr_cli_one_suite_option(&cfg, "compare", "--output");
        else if (a.baseline)
            err = pr_cli_one_suite_option(&cfg, "compare", "--baseline");
        else if (a.against_exe)
            err = pr_cli_one_suite_option(&cfg, "compare", "--against-exe");
        else if (format == FORMAT_JSON || format == FORMAT_CSV || format == FORMAT_GBENCH)
            err = pr_cli_one_suite_option(&cfg, "compare", fmt);
    }
    if (err) {
        status = pr_cli_usage_error("compare", COMPARE_USAGE);
        goto done;
    }
    if (positional.n == 1 && pr_cli_is_suite(positional.items[0])) {
        status = pr_cli_exec_suite("compare", positional.items[0], argc, argv);
        goto done;
    }
    if (positional.n == 0 && !a.results && !pr_cli_has_benchmarks() && cfg.n_suites > 0) {
        status = pr_cli_run_suites("compare", &cfg, argc, argv);
        goto done;
    }

    if (a.against_exe || a.against) {
        if (!pr_cli_has_benchmarks()) {
            fprintf(stderr,
                    "%s compare: no benchmarks in this program; give the suite, as in "
                    "'%s compare build/bench/mysuite %s ...'\n",
                    pr_cli_program(), pr_cli_program(),
                    a.against_exe ? "--against-exe" : "--against");
            status = PERFREG_EXIT_USAGE;
            goto done;
        }
        ab.against_exe = a.against_exe;
        ab.against = a.against;
        ab.rounds = a.rounds;
        ab.max_rounds = a.max_rounds;
        ab.seed = a.seed;
        ab.seed_set = a.seed != SEED_UNSET;
        ab.max_time_s = a.max_time_s;
        ab.max_time_set = a.max_time_s != MAX_TIME_UNSET;
        ab.order = a.order;
        co.paired = 1;
        if ((status = pr_cli_ab_measure("compare", &a.run, &ab, &cfg, &co, &baseline, &current,
                                        &json, &recorded)) != 0)
            goto done;
        goto judge;
    }

    /* The current run. */
    current_path = positional.n == 2   ? positional.items[1]
                   : positional.n == 1 ? positional.items[0]
                                       : a.results;
    if (current_path)
        status = pr_cli_load("compare", current_path, &current);
    else
        status = pr_cli_measure("compare", &a.run, &current, &json, &recorded);
    if (status)
        goto done;

    /* The baseline. */
    if (positional.n == 2) {
        if ((status = pr_cli_load("compare", positional.items[0], &baseline)) != 0)
            goto done;
    } else {
        const char *name = a.baseline ? a.baseline : current.suite;
        if (!name) {
            fprintf(stderr, "%s compare: the run names no suite: give --baseline NAME|FILE\n",
                    pr_cli_program());
            status = PERFREG_EXIT_USAGE;
            goto done;
        }
        if (a.baseline_ref)
            status = load_baseline_at(a.run.baselines, name, a.baseline_ref, &baseline);
        else
            status =
                pr_cli_load_baseline("compare", a.run.baselines, name, &baseline, &baseline_path);
        if (status)
            goto done;
    }

judge:
    if ((err = pr_compare_runs(&baseline, &current, &co, &cmp)) != 0) {
        status = pr_cli_fail("compare", err);
        goto done;
    }
    cmp.ab = ab.info;
    if (a.strict_machine && cmp.machine_mismatch) {
        pr_report_add_escaped(&out, cmp.machine_mismatch, 0);
        fprintf(stderr,
                "%s compare: the baseline was recorded on a different machine (%s); "
                "drop --strict-machine to compare anyway\n",
                pr_cli_program(), pr_strbuf_cstr(&out));
        status = PERFREG_EXIT_USAGE;
        goto done;
    }

    if (recorded || current_path)
        pr_strbuf_addf(&accept, "%s save-baseline --from %s", pr_cli_invocation(),
                       recorded ? recorded : current_path);
    {
        pr_report_options rep = {pr_cli_utf8() && !a.run.ascii, accept.len ? accept.buf : NULL};
        /* gbench exports the run itself; the verdicts still set the exit status */
        if ((err = format == FORMAT_GBENCH ? pr_results_write_gbench(&current, &out)
                                           : render(format, &cmp, &rep, &out)) != 0) {
            status = pr_cli_fail("compare", err);
            goto done;
        }
    }
    if (format == FORMAT_TEXT && recorded)
        pr_strbuf_addf(&out, "\nRecorded: %s\n", recorded);
    if (a.output)
        err = pr_strbuf_error(&out) ? PR_ENOMEM : pr_store_write_atomic(a.output, out.buf, out.len);
    else
        err = pr_cli_write(stdout, &out);
    if (err) {
        status = pr_cli_fail("compare", err);
        goto done;
    }
    if (co.inconclusive == PR_INCONCLUSIVE_WARN && cmp.n_inconclusive > 0)
        fprintf(stderr,
                "%s compare: warning: %zu benchmark%s inconclusive: this comparison cannot "
                "resolve %s threshold (--inconclusive fail fails on them)\n",
                pr_cli_program(), cmp.n_inconclusive, cmp.n_inconclusive == 1 ? " is" : "s are",
                cmp.n_inconclusive == 1 ? "its" : "their");
    /* Errors first, then broken benchmarks, then regressions. */
    if (pr_run_has_failures(&current))
        status = PERFREG_EXIT_BENCH;
    else if (pr_comparison_failed(&cmp))
        status = PERFREG_EXIT_REGRESSION;
done:
    free(recorded);
    free(baseline_path);
    pr_comparison_release(&cmp);
    pr_cli_ab_release(&ab);
    pr_strbuf_release(&json);
    pr_strbuf_release(&out);
    pr_strbuf_release(&accept);
    pr_run_release(&current);
    pr_run_release(&baseline);
    pr_opt_list_release(&positional);
    pr_opt_list_release(&a.warn);
    pr_opt_list_release(&a.fail);
    pr_cli_run_args_release(&a.run);
    pr_config_release(&cfg);
    return status;
}
