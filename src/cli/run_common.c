/*
 * run_common.c - what `run`, `compare` and `save-baseline --run` share:
 * the run options and their table, measuring the suite, recording the run,
 * loading results and baselines with the CLI's messages.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "gitmeta.h"
#include "perfreg.h"
#include "results.h"
#include "runner.h"
#include "store.h"
#include "banned.h"

const pr_opt pr_cli_run_options[] = {
    {"filter", 'f', PR_OPT_LIST, offsetof(pr_cli_run_args, filters), "PATTERN", 0, 0,
     "run only benchmarks matching the glob (repeatable)"},
    {"min-time", 0, PR_OPT_SECONDS, offsetof(pr_cli_run_args, min_time_s), "SECONDS", 1e-6, 3600,
     "time budget for one benchmark's samples (default 0.4s)"},
    {"samples", 0, PR_OPT_COUNT, offsetof(pr_cli_run_args, samples), "N", 1, 1e7,
     "samples per benchmark (default 50; fewer when min-time runs out, never under 10)"},
    {"iterations", 0, PR_OPT_COUNT, offsetof(pr_cli_run_args, iterations), "N", 1, 1e15,
     "fixed iterations per sample: no calibration"},
    {"warmup", 0, PR_OPT_SECONDS, offsetof(pr_cli_run_args, warmup_s), "SECONDS", 0, 3600,
     "warm-up before the samples, calibration included (default 0.05s)"},
    {"json", 0, PR_OPT_STRING, offsetof(pr_cli_run_args, json), "FILE", 0, 0,
     "also write the run's results to FILE"},
    {"store", 0, PR_OPT_STRING, offsetof(pr_cli_run_args, store), "DIR", 0, 0,
     "root of the run store (default .perfreg)"},
    {"suite", 0, PR_OPT_STRING, offsetof(pr_cli_run_args, suite), "NAME", 0, 0,
     "record under this suite name (default: the executable's name)"},
    {"no-record", 0, PR_OPT_FLAG, offsetof(pr_cli_run_args, no_record), NULL, 0, 0,
     "do not record the run in the store"},
    {"baselines", 0, PR_OPT_STRING, offsetof(pr_cli_run_args, baselines), "DIR", 0, 0,
     "folder of the baselines (default baselines)"},
    {"keep", 0, PR_OPT_COUNT, offsetof(pr_cli_run_args, keep), "N", 1, 1e9,
     "keep the newest N runs of the suite in the store (default 100)"},
    {"record-notes", 0, PR_OPT_FLAG, offsetof(pr_cli_run_args, record_notes), NULL, 0, 0,
     "also attach the run's summary to HEAD as a git note (refs/notes/perfreg)"},
    {"notes-samples", 0, PR_OPT_FLAG, offsetof(pr_cli_run_args, notes_samples), NULL, 0, 0,
     "with --record-notes: include the raw samples in the note"},
    {"ascii", 0, PR_OPT_FLAG, offsetof(pr_cli_run_args, ascii), NULL, 0, 0,
     "ASCII-only report, even on a UTF-8 terminal"},
    {"timeout", 0, PR_OPT_SECONDS, offsetof(pr_cli_run_args, timeout_s), "SECONDS", 0, 1e6,
     "fail a benchmark still running after SECONDS (default 60s; 0 = none)"},
    {"no-isolate", 0, PR_OPT_FLAG, offsetof(pr_cli_run_args, no_isolate), NULL, 0, 0,
     "run in this process, for debuggers and profilers (a crash ends the run)"},
    PR_OPT_END,
};

void pr_cli_run_args_init(pr_cli_run_args *a)
{
    pr_timing_options t;
    pr_timing_options_init(&t);
    memset(a, 0, sizeof *a);
    a->min_time_s = t.min_time_s;
    a->warmup_s = t.warmup_s;
    a->samples = t.samples;
    a->keep = PR_STORE_DEFAULT_KEEP;
    a->timeout_s = PR_DEFAULT_TIMEOUT_S;
}

void pr_cli_run_args_release(pr_cli_run_args *a)
{
    pr_opt_list_release(&a->filters);
}

static void progress(void *ctx, size_t i, size_t n, const char *name)
{
    (void)ctx;
    /* \r and erase-line keep the progress on one line; names are C
     * identifiers joined by '/', safe to print. */
    fprintf(stderr, "\r\033[K[%zu/%zu] %s", i + 1, n, name);
    fflush(stderr);
}

/* Adds RUN to the note on HEAD: read what is there, append, write back. */
static int record_note(const pr_run *run, int with_samples)
{
    pr_strbuf note = PR_STRBUF_INIT;
    char *existing = NULL;
    size_t len = 0;
    int err = pr_gitmeta_note_read(".", PR_NOTES_REF, NULL, &existing, &len);

    if (err == PR_ENOTFOUND && run->git.commit)
        err = 0; /* a first note on this commit */
    if (!err)
        err = pr_results_note_append(existing, len, run, with_samples, &note,
                                     "git note " PR_NOTES_REF " on HEAD");
    if (!err)
        err = pr_gitmeta_note_write(".", PR_NOTES_REF, NULL, note.buf, note.len);
    free(existing);
    pr_strbuf_release(&note);
    return err;
}

/* SIGINT and SIGTERM while measuring: the handler only asks the runner to
 * stop (no SA_RESTART, so a wait in progress returns at once); a second
 * signal, for a benchmark that runs in-process and does not end, takes the
 * default action. A signal ignored when we started (a background job of a
 * non-interactive shell, nohup) stays ignored. */
static const int stop_signals[] = {SIGINT, SIGTERM};
#define N_STOP_SIGNALS (sizeof stop_signals / sizeof stop_signals[0])

static void on_stop_signal(int sig)
{
    if (pr_runner_interrupted()) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    pr_runner_interrupt(sig);
}

static void install_stop_handlers(struct sigaction *old)
{
    struct sigaction sa;
    size_t i;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    pr_runner_interrupt(0);
    for (i = 0; i < N_STOP_SIGNALS; i++) {
        if (sigaction(stop_signals[i], NULL, &old[i]) == 0 && old[i].sa_handler != SIG_IGN)
            sigaction(stop_signals[i], &sa, NULL);
    }
}

static void restore_stop_handlers(const struct sigaction *old)
{
    size_t i;
    for (i = 0; i < N_STOP_SIGNALS; i++)
        sigaction(stop_signals[i], &old[i], NULL);
}

int pr_cli_measure(const char *cmd, const pr_cli_run_args *a, pr_run *run, pr_strbuf *json,
                   char **recorded)
{
    pr_runner_options ro;
    struct sigaction old[N_STOP_SIGNALS];
    int err, show_progress = isatty(STDERR_FILENO);

    *recorded = NULL;
    if (!pr_cli_has_benchmarks()) {
        fprintf(stderr,
                "%s %s: no benchmarks in this program; give a suite executable, e.g. "
                "'%s %s build/bench/mysuite'\n",
                pr_cli_program(), cmd, pr_cli_program(), cmd);
        return PERFREG_EXIT_USAGE;
    }
    pr_runner_options_init(&ro);
    ro.suite = a->suite ? a->suite : pr_cli_program();
    ro.filters = a->filters.items;
    ro.n_filters = a->filters.n;
    ro.timing.min_time_s = a->min_time_s;
    ro.timing.warmup_s = a->warmup_s;
    ro.timing.samples = a->samples;
    ro.timing.iterations = a->iterations;
    ro.isolate = !a->no_isolate;
    ro.timeout_s = a->timeout_s;
    if (show_progress)
        ro.progress = progress;
    install_stop_handlers(old);
    err = pr_runner_run(&ro, run);
    restore_stop_handlers(old);
    if (show_progress)
        fprintf(stderr, "\r\033[K");
    if (err == PR_EINTERRUPTED) {
        int sig = pr_runner_interrupted();
        fprintf(stderr, "%s %s: %s; nothing recorded\n", pr_cli_program(), cmd, pr_error_last());
        pr_runner_interrupt(0);
        return 128 + sig;
    }
    if (!err)
        err = pr_results_write(run, json);
    if (!err && !a->no_record)
        err = pr_store_record(a->store, run, json->buf, json->len, recorded);
    /* older runs go only once the new one is safely in place */
    if (!err && !a->no_record)
        err = pr_store_prune(a->store, run->suite, (size_t)a->keep, NULL);
    if (!err && a->record_notes)
        err = record_note(run, a->notes_samples);
    if (!err && a->json && strcmp(a->json, "-") != 0)
        err = pr_store_write_atomic(a->json, json->buf, json->len);
    return err ? pr_cli_fail(cmd, err) : 0;
}

int pr_cli_load(const char *cmd, const char *path, pr_run *run)
{
    int err = pr_results_load(run, path);
    return err ? pr_cli_fail(cmd, err) : 0;
}

int pr_cli_is_suite(const char *path)
{
    struct stat st;
    size_t len = strlen(path);
    if (len > 5 && strcmp(path + len - 5, ".json") == 0)
        return 0;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int pr_cli_load_baseline(const char *cmd, const char *dir, const char *name_or_file,
                         pr_run *baseline, char **path_out)
{
    char *path = NULL;
    struct stat st;
    int err;

    *path_out = NULL;
    if ((err = pr_store_baseline_path(dir, name_or_file, &path)) != 0)
        return pr_cli_fail(cmd, err);
    if (stat(path, &st) != 0 && errno == ENOENT) {
        /* through pr_cli_fail, which escapes what came from a file */
        err = pr_error_set(PR_EUSAGE,
                           "no baseline '%s' for '%s': record one with '%s save-baseline' after "
                           "a run, or 'perfreg save-baseline --from RESULTS.json'",
                           path, name_or_file, pr_cli_invocation());
        free(path);
        return pr_cli_fail(cmd, err);
    }
    if ((err = pr_results_load(baseline, path)) != 0) {
        free(path);
        return pr_cli_fail(cmd, err);
    }
    *path_out = path;
    return 0;
}
