/*
 * cli.h - what the subcommands share: the program's name, the suite's name,
 * output helpers. Only files under src/cli print or choose exit statuses.
 */
#ifndef PR_CLI_H
#define PR_CLI_H

#include <stdio.h>

#include "opt.h"
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

int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);

#endif
