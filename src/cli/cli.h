/*
 * cli.h - what the subcommands share: the program's name, the suite's name,
 * output helpers. Only files under src/cli print or choose exit statuses.
 */
#ifndef PR_CLI_H
#define PR_CLI_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "compare.h"
#include "config.h"
#include "opt.h"
#include "run.h"
#include "strbuf.h"

typedef struct pr_cli_cmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} pr_cli_cmd;

/* The basename of argv[0]: the suite's default name. */
const char *pr_cli_program(void);

/* 1 when this executable defines benchmarks of its own. */
int pr_cli_has_benchmarks(void);

/* Prints "PROGRAM CMD: MESSAGE" (the last engine error) to stderr and
 * returns the exit status for CODE. */
int pr_cli_fail(const char *cmd, int code);

/* Prints the usage error, "usage: ..." and a hint, returns PERFREG_EXIT_USAGE. */
int pr_cli_usage_error(const char *cmd, const char *usage);

/* Prints the help of one command: usage, description, options. */
void pr_cli_print_help(const char *cmd, const char *usage, const char *description,
                       const pr_opt *table);

/* Writes SB to F; returns 0 or PR_EIO. */
int pr_cli_write(FILE *f, const pr_strbuf *sb);

/* 1 when the locale's character set is UTF-8 (LC_ALL, LC_CTYPE, LANG). */
int pr_cli_utf8(void);

/*
 * Runs the suite executable PATH (one of ARGV's own strings) in place of
 * this process (execv) as `PATH CMD ARGV...` without PATH, so that it
 * records its run exactly as if it had been run itself. Returns only on
 * failure, with the exit status to use.
 */
int pr_cli_exec_suite(const char *cmd, const char *path, int argc, char **argv);

/* argv[0] as the program was invoked: a command a user can type again. */
const char *pr_cli_invocation(void);

/* The options `run` shares with `compare` and `save-baseline --run`. A
 * command embedding pr_cli_run_args as the FIRST member of its own option
 * struct can parse pr_cli_run_options with pr_opt_parse_tables. */
typedef struct pr_cli_run_args {
    pr_opt_list filters;
    double min_time_s;
    double warmup_s;
    uint64_t samples;
    uint64_t processes; /* per benchmark; 1 = all samples from one child */
    uint64_t iterations;
    const char *json;
    const char *store;
    const char *suite;
    const char *baselines;
    int no_record;
    int ascii;
    uint64_t keep;
    int record_notes;
    int notes_samples;
    double timeout_s; /* per benchmark, 0 = none */
    int no_isolate;
    int isolate;           /* --isolate: undoes the config's run.isolate false */
    int config_no_isolate; /* the config's run.isolate false; not an option */
    const char *config;    /* --config FILE */
    int no_config;
} pr_cli_run_args;

extern const pr_opt pr_cli_run_options[];

void pr_cli_run_args_init(pr_cli_run_args *a);
void pr_cli_run_args_release(pr_cli_run_args *a);

/* Measures this program's benchmarks as A says, records the run (unless
 * --no-record) and prunes the store to --keep runs, attaches it to HEAD as
 * a git note with --record-notes, and writes --json FILE (not "-"). RUN receives the run, JSON
 * its text, RECORDED the stored path (NULL when not recorded; caller
 * frees). Prints any error; returns 0 or the exit status. SIGINT and
 * SIGTERM during the measurement stop it: nothing is recorded or written
 * and the status is 128 + the signal (130 for SIGINT). */
int pr_cli_measure(const char *cmd, const pr_cli_run_args *a, pr_run *run, pr_strbuf *json,
                   char **recorded);

/* Records RUN as pr_cli_measure does after measuring: JSON receives its
 * text, then the store (unless --no-record, pruned to --keep), a git note
 * with --record-notes, --json FILE. RECORDED the stored path (NULL when not
 * recorded; caller frees). Prints any error; 0 or the exit status. */
int pr_cli_record(const char *cmd, const pr_cli_run_args *a, const pr_run *run, pr_strbuf *json,
                  char **recorded);

/* SIGINT and SIGTERM ask the runner to stop (pr_runner_stop_flag) until
 * restored, as while pr_cli_measure measures; OLD holds the two previous
 * actions. */
void pr_cli_stop_signals_catch(struct sigaction *old);
void pr_cli_stop_signals_restore(const struct sigaction *old);

/* Loads a results file into RUN; prints any error; 0 or the exit status. */
int pr_cli_load(const char *cmd, const char *path, pr_run *run);

/* Loads the baseline NAME_OR_FILE (see pr_store_baseline_path) from DIR;
 * a missing baseline is an error saying how to create one. PATH_OUT
 * receives the file's path (caller frees). 0 or the exit status. */
int pr_cli_load_baseline(const char *cmd, const char *dir, const char *name_or_file,
                         pr_run *baseline, char **path_out);

/* 1 when PATH is an executable regular file not named *.json: a suite. */
int pr_cli_is_suite(const char *path);

/* compare's A/B options, and what the A/B made (owned strings). */
typedef struct pr_cli_ab {
    const char *against_exe; /* --against-exe FILE */
    const char *against;     /* --against REF */
    uint64_t rounds, max_rounds, seed;
    int seed_set;
    double max_time_s;
    int max_time_set;
    const char *order;
    char *baseline_exe, *candidate_exe, *baseline_label, *candidate_label;
    pr_ab_info info; /* its strings are the ones above */
} pr_cli_ab;

void pr_cli_ab_release(pr_cli_ab *ab);

/*
 * compare --against-exe / --against: finds the baseline's suite (building
 * REF with the config's build section), runs the interleaved A/B of it and
 * this suite into BASELINE and CANDIDATE (initialised by the caller),
 * fills AB's outputs and records the candidate's run as pr_cli_record
 * does. CO decides when a benchmark needs no more rounds. Prints any error
 * (a failed build with its log's tail); 0 or the exit status (2 for a bad
 * input, 128 + the signal when interrupted).
 */
int pr_cli_ab_measure(const char *cmd, const pr_cli_run_args *a, pr_cli_ab *ab,
                      const pr_config *cfg, const pr_compare_options *co, pr_run *baseline,
                      pr_run *candidate, pr_strbuf *json, char **recorded);

int cmd_run(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_save_baseline(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_measure(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);

/*
 * The project config for a command whose options are TABLES, over a struct
 * of SIZE bytes: ARGV is parsed once into scratch space, to check it and to
 * find the options "config" FILE and "no-config" in TABLES. The config is
 * --config FILE, else $PERFREG_CONFIG (a file; "none": no config), else
 * perfreg.json found from the current folder (pr_config_find); none with
 * --no-config. Returns 0 (CFG->path NULL when there is no config),
 * PR_OPT_HELP, PR_EUSAGE for a bad command line (print the usage), or the
 * config's error (print it with pr_cli_fail). The caller then applies CFG
 * to its option struct and parses ARGV for real, so the command line wins.
 */
int pr_cli_config_read(const pr_opt *const *tables, size_t size, int argc, char **argv,
                       pr_config *cfg);

/* Sets A's defaults from CFG (borrowed: it must outlive A's use). */
void pr_cli_run_args_apply_config(pr_cli_run_args *a, const pr_config *cfg);

/* PR_EUSAGE saying that OPTION is for one suite when CFG names several,
 * else 0. */
int pr_cli_one_suite_option(const pr_config *cfg, const char *cmd, const char *option);

/*
 * Runs each suite of CFG in turn as `SUITE CMD ARGV...` in a child process
 * (each reads the same config, so each records under its own name and
 * prints its own report), after checking that every one is an executable
 * file. SIGINT and SIGTERM sent to this process alone are passed to the
 * running suite; an interrupted suite stops the rest. Returns the worst
 * status: 2, then 3, then 1, then 0 (128 + the signal when interrupted).
 */
int pr_cli_run_suites(const char *cmd, const pr_config *cfg, int argc, char **argv);

#endif
