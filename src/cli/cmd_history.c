/*
 * cmd_history.c - `history [PATTERN]...`: how every benchmark moved across
 * the recorded runs of a suite (the run store, or git notes with
 * --git-notes), with step changes marked and the baseline as a reference.
 * The project config gives the store and baselines folders.
 */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "error.h"
#include "gitmeta.h"
#include "history.h"
#include "perfreg.h"
#include "report.h"
#include "results.h"
#include "store.h"
#include "banned.h"

typedef struct history_args {
    const char *suite;
    const char *store;
    const char *baseline;
    const char *baselines;
    const char *stat;
    const char *threshold;
    uint64_t last;
    int all_machines;
    int git_notes;
    const char *format;
    const char *output;
    int ascii;
    const char *config;
    int no_config;
} history_args;

static const pr_opt history_options[] = {
    {"suite", 0, PR_OPT_STRING, offsetof(history_args, suite), "NAME", 0, 0,
     "the suite (default: this program's, or the only one recorded)"},
    {"store", 0, PR_OPT_STRING, offsetof(history_args, store), "DIR", 0, 0,
     "root of the run store (default .perfreg)"},
    {"last", 'n', PR_OPT_COUNT, offsetof(history_args, last), "N", 0, 1e9,
     "the last N runs (default 20; 0: all)"},
    {"stat", 0, PR_OPT_STRING, offsetof(history_args, stat), "STAT", 0, 0,
     "mean, median (default), min, max, stddev, iqr, ops, memory or allocs"},
    {"threshold", 0, PR_OPT_STRING, offsetof(history_args, threshold), "N%", 0, 0,
     "a step must move the level by more than this (default 10%)"},
    {"all-machines", 0, PR_OPT_FLAG, offsetof(history_args, all_machines), NULL, 0, 0,
     "mix runs of every machine (default: only the newest run's machine)"},
    {"git-notes", 0, PR_OPT_FLAG, offsetof(history_args, git_notes), NULL, 0, 0,
     "read the runs from git notes (refs/notes/perfreg) along first-parent history"},
    {"baseline", 0, PR_OPT_STRING, offsetof(history_args, baseline), "NAME|FILE", 0, 0,
     "the reference baseline (default: baselines/<suite>.json when it exists)"},
    {"baselines", 0, PR_OPT_STRING, offsetof(history_args, baselines), "DIR", 0, 0,
     "folder of the baselines (default baselines)"},
    {"format", 0, PR_OPT_STRING, offsetof(history_args, format), "FORMAT", 0, 0,
     "text (default), json, csv, markdown or html"},
    {"output", 'o', PR_OPT_STRING, offsetof(history_args, output), "FILE", 0, 0,
     "write to FILE instead of stdout"},
    {"ascii", 0, PR_OPT_FLAG, offsetof(history_args, ascii), NULL, 0, 0,
     "ASCII-only text, even on a UTF-8 terminal"},
    {"config", 0, PR_OPT_STRING, offsetof(history_args, config), "FILE", 0, 0,
     "the project config (default: perfreg.json here or in a folder above)"},
    {"no-config", 0, PR_OPT_FLAG, offsetof(history_args, no_config), NULL, 0, 0,
     "ignore the project config (as PERFREG_CONFIG=none does)"},
    PR_OPT_END,
};

#define HISTORY_USAGE "[PATTERN]... [--suite NAME] [--last N] [--stat STAT] [options]"

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV, FORMAT_MARKDOWN, FORMAT_HTML };

static int parse_format(const char *s, enum format *out)
{
    static const char *const names[] = {"text", "json", "csv", "markdown", "html"};
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (enum format)i;
            return 0;
        }
    return pr_error_set(PR_EUSAGE, "--format '%s': one of text, json, csv, markdown, html", s);
}

/* "10%" or "10" (percent) into a fraction. */
static int parse_percent(const char *s, double *out)
{
    char number[64];
    size_t len = strlen(s);
    double v;
    int err;
    if (len > 0 && s[len - 1] == '%')
        len--;
    if (len == 0 || len >= sizeof number)
        return pr_error_set(PR_EUSAGE, "--threshold '%s': expected a percentage such as 10%%", s);
    memcpy(number, s, len);
    number[len] = '\0';
    if ((err = pr_opt_parse_number(number, "--threshold", 0, 1e6, &v)) != 0)
        return pr_error_set(err, "--threshold '%s': expected a percentage such as 10%%", s);
    *out = v / 100;
    return 0;
}

/* The suite when none is named: the only one recorded under ROOT. */
static int only_recorded_suite(const char *root, char **out)
{
    pr_strbuf dir = PR_STRBUF_INIT, names = PR_STRBUF_INIT;
    DIR *d;
    struct dirent *e;
    size_t n = 0;
    int err = 0;

    *out = NULL;
    pr_strbuf_addf(&dir, "%s/runs", root ? root : PR_STORE_DEFAULT_ROOT);
    if ((err = pr_strbuf_error(&dir)) != 0)
        goto done;
    if (!(d = opendir(dir.buf))) {
        err = pr_error_set(PR_ENOTFOUND, "no recorded runs in '%s': run a suite first", dir.buf);
        goto done;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        pr_strbuf_addf(&names, "%s%s", n++ ? ", " : "", e->d_name);
        if (n == 1)
            *out = pr_strdup(e->d_name);
    }
    closedir(d);
    if (n != 1) {
        free(*out);
        *out = NULL;
        err = n == 0 ? pr_error_set(PR_ENOTFOUND, "no recorded runs in '%s': run a suite first",
                                    dir.buf)
                     : pr_error_set(PR_EUSAGE,
                                    "several suites are recorded (%s): choose one with "
                                    "--suite NAME",
                                    pr_strbuf_cstr(&names));
    } else if (!*out) {
        err = PR_ENOMEM;
    }
done:
    pr_strbuf_release(&dir);
    pr_strbuf_release(&names);
    return err;
}

/* Grows RUNS/SOURCES by one slot; returns the new index or -1. */
static int add_slot(pr_run **runs, char ***sources, size_t *n, size_t *alloc)
{
    if (*n == *alloc) {
        size_t a = *alloc ? *alloc * 2 : 32;
        pr_run *r = realloc(*runs, a * sizeof *r);
        char **s;
        if (!r)
            return -1;
        *runs = r;
        if (!(s = realloc(*sources, a * sizeof *s)))
            return -1;
        *sources = s;
        *alloc = a;
    }
    pr_run_init(&(*runs)[*n]);
    (*sources)[*n] = NULL;
    return (int)(*n)++;
}

static void free_runs(pr_run *runs, char **sources, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        pr_run_release(&runs[i]);
        free(sources[i]);
    }
    free(runs);
    free(sources);
}

static int load_from_store(const history_args *a, const char *suite, pr_run **runs, char ***sources,
                           size_t *n)
{
    char **paths = NULL;
    size_t count = 0, alloc = 0, i;
    int err = pr_store_list(a->store, suite, &paths, &count);

    for (i = 0; !err && i < count; i++) {
        int k = add_slot(runs, sources, n, &alloc);
        if (k < 0) {
            err = pr_error_set(PR_ENOMEM, "out of memory");
            break;
        }
        (*sources)[k] = paths[i];
        paths[i] = NULL;
        err = pr_results_load(&(*runs)[k], (*sources)[k]);
    }
    pr_store_free_list(paths, count);
    return err;
}

/* Replaces the run's commit fields by the annotated commit's: a note that
 * git carried over a rebase belongs to the commit it is on now. */
static int take_commit(pr_git_info *git, const pr_git_info *from)
{
    char **dst[] = {&git->commit, &git->short_commit, &git->subject, &git->commit_time,
                    &git->author_time};
    char *const src[] = {from->commit, from->short_commit, from->subject, from->commit_time,
                         from->author_time};
    size_t i;
    for (i = 0; i < sizeof dst / sizeof dst[0]; i++) {
        free(*dst[i]);
        *dst[i] = pr_strdup(src[i]);
        if (src[i] && !*dst[i])
            return PR_ENOMEM;
    }
    return 0;
}

static int load_from_notes(const char *suite, pr_run **runs, char ***sources, size_t *n)
{
    pr_git_note *notes = NULL;
    size_t n_notes = 0, alloc = 0, i, j;
    int err = pr_gitmeta_notes_walk(".", PR_NOTES_REF, 0, &notes, &n_notes);

    /* newest first from the walk; the history wants oldest first */
    for (i = n_notes; !err && i-- > 0;) {
        pr_run *in_note = NULL;
        size_t n_in = 0;
        char where[64];
        snprintf(where, sizeof where, "notes:%s", notes[i].commit.short_commit);
        if ((err = pr_results_parse_note(notes[i].text, notes[i].len, where, &in_note, &n_in)))
            break;
        for (j = 0; j < n_in; j++) {
            int k;
            if (err || !in_note[j].suite || strcmp(in_note[j].suite, suite) != 0) {
                pr_run_release(&in_note[j]);
                continue;
            }
            if ((k = add_slot(runs, sources, n, &alloc)) < 0 ||
                !((*sources)[k] = pr_strdup(where))) {
                err = pr_error_set(PR_ENOMEM, "out of memory");
                pr_run_release(&in_note[j]);
                continue;
            }
            (*runs)[k] = in_note[j];
            err = take_commit(&(*runs)[k].git, &notes[i].commit);
        }
        free(in_note);
    }
    pr_git_notes_free(notes, n_notes);
    return err;
}

static int render(enum format f, const pr_history *h, const pr_report_options *rep, pr_strbuf *out)
{
    switch (f) {
    case FORMAT_JSON:
        return pr_results_write_history(h, out);
    case FORMAT_CSV:
        return pr_report_history_csv(out, h);
    case FORMAT_MARKDOWN:
        return pr_report_history_markdown(out, h, rep);
    case FORMAT_HTML:
        return pr_report_history_html(out, h);
    case FORMAT_TEXT:
        break;
    }
    return pr_report_history(out, h, rep);
}

int cmd_history(int argc, char **argv)
{
    history_args a;
    const pr_opt *const tables[] = {history_options, NULL};
    pr_opt_list positional = {NULL, 0};
    pr_config cfg;
    pr_history_options ho;
    pr_history h;
    pr_run baseline, *runs = NULL;
    char **sources = NULL, *suite = NULL, *baseline_path = NULL;
    size_t n_runs = 0;
    pr_strbuf out = PR_STRBUF_INIT;
    enum format format = FORMAT_TEXT;
    int err, status = PERFREG_EXIT_OK, has_baseline = 0, metric = -1;

    memset(&a, 0, sizeof a);
    memset(&h, 0, sizeof h);
    a.last = PR_HISTORY_DEFAULT_LAST;
    pr_config_init(&cfg);
    pr_run_init(&baseline);
    pr_history_options_init(&ho);
    err = pr_cli_config_read(tables, sizeof a, argc, argv, &cfg);
    if (err < 0 && err != PR_EUSAGE) {
        status = pr_cli_fail("history", err);
        goto done;
    }
    if (!err) {
        a.store = cfg.store;
        a.baselines = cfg.baselines;
        err = pr_opt_parse(history_options, &a, argc, argv, &positional);
    }
    if (err == PR_OPT_HELP) {
        pr_cli_print_help("history", HISTORY_USAGE,
                          "Shows how each benchmark (all, or those matching a PATTERN) moved over\n"
                          "the suite's recorded runs, oldest first, with step changes marked and\n"
                          "the baseline as a reference. Only runs of the newest run's machine are\n"
                          "used unless --all-machines. docs/history.md explains the step rule.",
                          history_options);
        goto done;
    }
    if (!err && a.format)
        err = parse_format(a.format, &format);
    if (!err && a.stat && (metric = pr_metric_from_name(a.stat, strlen(a.stat))) < 0)
        err = pr_error_set(PR_EUSAGE,
                           "--stat '%s': one of mean, median, min, max, stddev, iqr, ops, memory, allocs",
                           a.stat);
    else if (!err && a.stat)
        ho.stat = (pr_metric)metric;
    if (!err && a.threshold)
        err = parse_percent(a.threshold, &ho.step_threshold);
    if (err) {
        status = pr_cli_usage_error("history", HISTORY_USAGE);
        goto done;
    }
    if (positional.n >= 1 && pr_cli_is_suite(positional.items[0])) {
        status = pr_cli_exec_suite("history", positional.items[0], argc, argv);
        goto done;
    }

    /* Which suite. */
    if (a.suite || pr_cli_has_benchmarks())
        suite = pr_strdup(a.suite ? a.suite : pr_cli_program());
    else if ((err = only_recorded_suite(a.store, &suite)) != 0 && !a.git_notes) {
        status = pr_cli_fail("history", err);
        goto done;
    }
    if (!suite) {
        fprintf(stderr, "%s history: which suite? name it with --suite NAME\n", pr_cli_program());
        status = PERFREG_EXIT_USAGE;
        goto done;
    }

    err = a.git_notes ? load_from_notes(suite, &runs, &sources, &n_runs)
                      : load_from_store(&a, suite, &runs, &sources, &n_runs);
    if (err) {
        status = pr_cli_fail("history", err);
        goto done;
    }
    if (n_runs == 0) {
        if (a.git_notes)
            pr_error_set(PR_ENOTFOUND,
                         "no run of suite '%s' in the git notes (" PR_NOTES_REF
                         ") along HEAD's first-parent history: record one with 'run "
                         "--record-notes', or fetch them",
                         suite);
        else
            pr_error_set(PR_ENOTFOUND, "no recorded run of suite '%s': run it first", suite);
        pr_cli_fail("history", PR_ENOTFOUND);
        status = PERFREG_EXIT_USAGE;
        goto done;
    }

    /* The baseline, as a reference: named, or the suite's when it exists. */
    if (a.baseline) {
        if ((status = pr_cli_load_baseline("history", a.baselines, a.baseline, &baseline,
                                           &baseline_path)) != 0)
            goto done;
        has_baseline = 1;
    } else {
        struct stat st;
        if ((err = pr_store_baseline_path(a.baselines, suite, &baseline_path)) != 0) {
            status = pr_cli_fail("history", err);
            goto done;
        }
        if (stat(baseline_path, &st) == 0 || errno != ENOENT) {
            if ((status = pr_cli_load("history", baseline_path, &baseline)) != 0)
                goto done;
            has_baseline = 1;
        }
    }

    ho.last = (size_t)a.last;
    ho.all_machines = a.all_machines;
    ho.patterns = positional.items;
    ho.n_patterns = positional.n;
    ho.baseline = has_baseline ? &baseline : NULL;
    err = pr_history_build(&h, runs, sources, n_runs, &ho);
    runs = NULL; /* owned by the history now, even on error */
    sources = NULL;
    n_runs = 0;
    if (err) {
        status = pr_cli_fail("history", err);
        goto done;
    }
    {
        pr_report_options rep = {pr_cli_utf8() && !a.ascii, NULL};
        if ((err = render(format, &h, &rep, &out)) != 0) {
            status = pr_cli_fail("history", err);
            goto done;
        }
    }
    if (a.output)
        err = pr_strbuf_error(&out) ? PR_ENOMEM : pr_store_write_atomic(a.output, out.buf, out.len);
    else
        err = pr_cli_write(stdout, &out);
    if (err)
        status = pr_cli_fail("history", err);
done:
    free_runs(runs, sources, n_runs);
    pr_history_release(&h);
    pr_run_release(&baseline);
    free(suite);
    free(baseline_path);
    pr_strbuf_release(&out);
    pr_opt_list_release(&positional);
    pr_config_release(&cfg);
    return status;
}
