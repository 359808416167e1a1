/*
 * run_common.c - what `run`, `compare` and `save-baseline --run` share:
 * the run options and their table, the project config under them,
 * measuring the suite, recording the run, running the config's suites one
 * after another, loading results and baselines with the CLI's messages.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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
     "time budget for one benchmark's samples (default 0.2s)"},
    {"samples", 0, PR_OPT_COUNT, offsetof(pr_cli_run_args, samples), "N", 1, 1e7,
     "samples per benchmark (default 50; fewer when min-time runs out, never under 10)"},
    {"processes", 0, PR_OPT_COUNT, offsetof(pr_cli_run_args, processes), "N", 1, PR_MAX_PROCESSES,
     "spread each benchmark's samples over N fresh processes, taken in turns (default 10)"},
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
    {"isolate", 0, PR_OPT_FLAG, offsetof(pr_cli_run_args, isolate), NULL, 0, 0,
     "each benchmark in its own process (the default; overrides the config)"},
    {"config", 0, PR_OPT_STRING, offsetof(pr_cli_run_args, config), "FILE", 0, 0,
     "the project config (default: perfreg.json here or in a folder above)"},
    {"no-config", 0, PR_OPT_FLAG, offsetof(pr_cli_run_args, no_config), NULL, 0, 0,
     "ignore the project config (as PERFREG_CONFIG=none does)"},
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
    a->processes = PR_DEFAULT_PROCESSES;
    a->keep = PR_STORE_DEFAULT_KEEP;
    a->timeout_s = PR_DEFAULT_TIMEOUT_S;
}

void pr_cli_run_args_release(pr_cli_run_args *a)
{
    pr_opt_list_release(&a->filters);
}

static const pr_opt *find_option(const pr_opt *const *tables, const char *name)
{
    const pr_opt *o;
    for (; *tables; tables++)
        for (o = *tables; o->long_name; o++)
            if (strcmp(o->long_name, name) == 0)
                return o;
    return NULL;
}

/* The flag NAME of TABLES as parsed into VALUES; 0 when there is no such option. */
static int flag_set(const pr_opt *const *tables, const char *values, const char *name)
{
    const pr_opt *o = find_option(tables, name);
    return o && *(const int *)(const void *)(values + o->offset);
}

int pr_cli_config_read(const pr_opt *const *tables, size_t size, int argc, char **argv,
                       pr_config *cfg)
{
    const pr_opt *const *t;
    const pr_opt *o = find_option(tables, "config");
    pr_opt_list positional = {NULL, 0};
    const char *file = NULL, *env = getenv("PERFREG_CONFIG");
    char *scratch = calloc(1, size), *found = NULL;
    int err, none = 0;

    if (!scratch)
        return pr_error_set(PR_ENOMEM, "out of memory");
    /* The config must be read before the real parse, which it gives its
     * defaults to, and --config is one of the options: a first parse finds
     * it, and reports a bad command line before any config is looked at. */
    err = pr_opt_parse_tables(tables, scratch, argc, argv, &positional);
    if (!err) {
        file = o ? *(const char **)(void *)(scratch + o->offset) : NULL;
        none = flag_set(tables, scratch, "no-config");
        if (file && none)
            err = pr_error_set(PR_EUSAGE, "--config and --no-config exclude each other");
        else if (flag_set(tables, scratch, "isolate") && flag_set(tables, scratch, "no-isolate"))
            err = pr_error_set(PR_EUSAGE, "--isolate and --no-isolate exclude each other");
    }
    for (t = tables; *t; t++)
        for (o = *t; o->long_name; o++)
            if (o->type == PR_OPT_LIST)
                pr_opt_list_release((pr_opt_list *)(void *)(scratch + o->offset));
    free(scratch);
    pr_opt_list_release(&positional);
    if (err)
        return err;
    if (none || (!file && env && strcmp(env, "none") == 0))
        return 0;
    if (!file && env && *env)
        file = env;
    if (!file && (err = pr_config_find(NULL, &found)) != 0)
        return err;
    if (found)
        file = found;
    if (file)
        err = pr_config_load(cfg, file);
    free(found);
    return err;
}

void pr_cli_run_args_apply_config(pr_cli_run_args *a, const pr_config *cfg)
{
    if (cfg->store)
        a->store = cfg->store;
    if (cfg->baselines)
        a->baselines = cfg->baselines;
    if (cfg->has_keep)
        a->keep = cfg->keep;
    if (cfg->has_min_time)
        a->min_time_s = cfg->min_time_s;
    if (cfg->has_warmup)
        a->warmup_s = cfg->warmup_s;
    if (cfg->has_samples)
        a->samples = cfg->samples;
    if (cfg->has_iterations)
        a->iterations = cfg->iterations;
    if (cfg->has_processes)
        a->processes = cfg->processes;
    if (cfg->has_timeout)
        a->timeout_s = cfg->timeout_s;
    /* apart from no_isolate, so that --isolate can undo it */
    if (cfg->has_isolate)
        a->config_no_isolate = !cfg->isolate;
}

int pr_cli_one_suite_option(const pr_config *cfg, const char *cmd, const char *option)
{
    if (cfg->n_suites < 2)
        return 0;
    return pr_error_set(PR_EUSAGE,
                        "%s is for one suite and '%s' names %zu: give the suite, as in "
                        "'%s %s %s %s ...'",
                        option, cfg->path, cfg->n_suites, pr_cli_program(), cmd, cfg->suites[0],
                        option);
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
                "'%s %s build/bench/mysuite', or name suites in " PR_CONFIG_FILE "\n",
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
    ro.processes = (unsigned)a->processes;
    ro.isolate = a->isolate || !(a->no_isolate || a->config_no_isolate);
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
    if (err)
        return pr_cli_fail(cmd, err);
    return pr_cli_record(cmd, a, run, json, recorded);
}

int pr_cli_record(const char *cmd, const pr_cli_run_args *a, const pr_run *run, pr_strbuf *json,
                  char **recorded)
{
    int err = pr_results_write(run, json);

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

void pr_cli_stop_signals_catch(struct sigaction *old)
{
    install_stop_handlers(old);
}

void pr_cli_stop_signals_restore(const struct sigaction *old)
{
    restore_stop_handlers(old);
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

/* Running the config's suites: the suite running now, and the first
 * SIGINT or SIGTERM this process got. */
static volatile sig_atomic_t suite_pid;
static volatile sig_atomic_t suites_stop;

/* A terminal's Ctrl-C goes to the whole foreground process group, the
 * running suite included, which stops by itself; passing the signal on as
 * well would be a second one, which kills it outright. So only a signal
 * that a process sent (si_code <= 0: kill, sigqueue), most likely to this
 * process alone, is passed on. A second signal takes the default action. */
static void on_suites_signal(int sig, siginfo_t *info, void *context)
{
    (void)context;
    if (suites_stop) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    suites_stop = sig;
    if (info && info->si_code <= 0 && suite_pid > 0)
        kill((pid_t)suite_pid, sig);
}

static const char *signal_name(int sig)
{
    return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal";
}

/* "" or the problem that keeps PATH from running as a suite. */
static const char *suite_problem(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return errno == ENOENT ? "no such file: build the suite, or correct the path"
                               : strerror(errno);
    if (!S_ISREG(st.st_mode))
        return "not a file";
    if (access(path, X_OK) != 0)
        return "not executable";
    return "";
}

/* 2, then 3, then 1, then 0: an error hides a failed benchmark, which
 * hides a regression, as in compare. */
static int status_rank(int status)
{
    return status == PERFREG_EXIT_USAGE ? 3 : status == PERFREG_EXIT_BENCH ? 2 : status;
}

/* Runs ARGS[0] and waits for it; the exit status to use, with *STOP set
 * to the signal when the suite or this process was interrupted; -1 when
 * it was not started, since a signal came first. */
static int run_one_suite(const char *cmd, char **args, const struct sigaction *old, int *stop)
{
    sigset_t block, saved;
    pid_t pid;
    int ws, i;

    /* Blocked until suite_pid is set, so a signal is never missed between
     * fork and the assignment; pending ones arrive at the unblock. */
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &saved);
    if (suites_stop) {
        sigprocmask(SIG_SETMASK, &saved, NULL);
        *stop = suites_stop;
        return -1;
    }
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        /* the suite installs its own handlers; it starts from ours */
        sigaction(SIGINT, &old[0], NULL);
        sigaction(SIGTERM, &old[1], NULL);
        sigprocmask(SIG_SETMASK, &saved, NULL);
        execv(args[0], args);
        fprintf(stderr, "%s %s: cannot run suite '%s': %s\n", pr_cli_program(), cmd, args[0],
                strerror(errno));
        _exit(PERFREG_EXIT_USAGE);
    }
    if (pid > 0)
        suite_pid = pid;
    sigprocmask(SIG_SETMASK, &saved, NULL);
    if (pid < 0) {
        fprintf(stderr, "%s %s: cannot start suite '%s': %s\n", pr_cli_program(), cmd, args[0],
                strerror(errno));
        return PERFREG_EXIT_USAGE;
    }
    while (waitpid(pid, &ws, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "%s %s: cannot wait for suite '%s': %s\n", pr_cli_program(), cmd,
                    args[0], strerror(errno));
            suite_pid = 0;
            return PERFREG_EXIT_USAGE;
        }
    }
    suite_pid = 0;
    if (WIFSIGNALED(ws)) {
        i = WTERMSIG(ws);
        if (i == SIGINT || i == SIGTERM) {
            *stop = i;
            return 128 + i;
        }
        fprintf(stderr, "%s %s: suite '%s' was killed by signal %d (%s)\n", pr_cli_program(), cmd,
                args[0], i, strsignal(i));
        return PERFREG_EXIT_BENCH;
    }
    i = WEXITSTATUS(ws);
    if (i == 128 + SIGINT || i == 128 + SIGTERM) {
        *stop = i - 128;
        return i;
    }
    if (suites_stop)
        *stop = suites_stop;
    if (i > PERFREG_EXIT_BENCH) {
        fprintf(stderr, "%s %s: suite '%s' exited with status %d\n", pr_cli_program(), cmd, args[0],
                i);
        return PERFREG_EXIT_USAGE;
    }
    return i;
}

int pr_cli_run_suites(const char *cmd, const pr_config *cfg, int argc, char **argv)
{
    static const int signals[] = {SIGINT, SIGTERM};
    struct sigaction sa, old[2];
    char **args = NULL;
    size_t i, ran = 0;
    int worst = PERFREG_EXIT_OK, stop = 0, k;

    /* every suite is checked before the first one runs */
    for (i = 0; i < cfg->n_suites; i++) {
        const char *problem = suite_problem(cfg->suites[i]);
        if (*problem)
            return pr_cli_fail(cmd, pr_error_set(PR_EINVALID, "'%s': suites[%zu]: '%s': %s",
                                                 cfg->path, i, cfg->suites[i], problem));
    }
    if (!(args = calloc((size_t)argc + 3, sizeof *args)))
        return pr_cli_fail(cmd, pr_error_set(PR_ENOMEM, "out of memory"));
    args[1] = (char *)cmd;
    for (k = 0; k < argc; k++)
        args[k + 2] = argv[k];

    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_suites_signal;
    sa.sa_flags = SA_SIGINFO; /* no SA_RESTART: waitpid returns, and is called again */
    sigemptyset(&sa.sa_mask);
    suites_stop = 0;
    suite_pid = 0;
    for (k = 0; k < 2; k++)
        /* a signal ignored when we started (nohup, a background job) stays
         * ignored, here and in the suites */
        if (sigaction(signals[k], NULL, &old[k]) == 0 && old[k].sa_handler != SIG_IGN)
            sigaction(signals[k], &sa, NULL);

    for (i = 0; i < cfg->n_suites; i++) {
        int status;
        args[0] = cfg->suites[i];
        /* a blank line between reports; list prints names, one a line */
        if (i > 0 && strcmp(cmd, "list") != 0)
            fputc('\n', stdout);
        status = run_one_suite(cmd, args, old, &stop);
        ran += status >= 0;
        if (stop) {
            worst = 128 + stop;
            break;
        }
        if (status_rank(status) > status_rank(worst))
            worst = status;
    }
    for (k = 0; k < 2; k++)
        sigaction(signals[k], &old[k], NULL);
    if (stop && ran < cfg->n_suites)
        fprintf(stderr, "%s %s: interrupted by %s; %zu of %zu suites not run\n", pr_cli_program(),
                cmd, signal_name(stop), cfg->n_suites - ran, cfg->n_suites);
    free(args);
    return worst;
}
