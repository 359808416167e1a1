/*
 * spawn.h - runs another program and waits for it: its output captured or
 * written to a file, a deadline, a stop flag a signal handler sets. For the
 * A/B comparison's worker processes (a suite's `measure` command) and the
 * build of another commit. What the program's output means is the caller's.
 */
#ifndef PR_SPAWN_H
#define PR_SPAWN_H

#include <signal.h>
#include <stddef.h>

#include "strbuf.h"

typedef struct pr_spawn_options {
    const char *dir;     /* working folder of the program; NULL: ours */
    double timeout_s;    /* its whole life; 0 = none */
    /* Polled while waiting; non-zero (a signal handler set it) kills the
     * program and returns PR_EINTERRUPTED. May be NULL. */
    const volatile sig_atomic_t *stop;
    /* NULL: standard output is captured in the result (at most max_output
     * bytes: more is PR_EINVALID). A path: standard output and standard
     * error both go to that file (created or truncated, mode 0644), as a
     * build log. */
    const char *log_path;
    size_t max_output; /* 0: 64 MiB */
} pr_spawn_options;

typedef struct pr_spawn_result {
    pr_strbuf out;      /* standard output, when captured */
    pr_strbuf err_tail; /* the last 4 KiB of standard error, when captured */
    int exited;         /* 1: exited with status; 0: killed by signal (or timed out) */
    int status;         /* exit status when exited */
    int signal;         /* the signal that ended it, when not exited */
    int timed_out;      /* 1: killed at the deadline */
    double wall_s;      /* from start to exit */
} pr_spawn_result;

void pr_spawn_result_init(pr_spawn_result *r);
void pr_spawn_result_release(pr_spawn_result *r);

/*
 * Runs ARGV[0] (a path; no PATH search) with ARGV, standard input from
 * /dev/null, in a process group of its own (so that a deadline or a stop
 * kills whatever it started too), and waits for it. Fills RES (initialised
 * by the caller, released by the caller). Returns 0 when the program ran,
 * whatever its status; PR_ENOTFOUND when it could not be executed (the
 * message names the path and says why), PR_EIO when no process, pipe or
 * log file could be made, PR_EINTERRUPTED when *stop was set (the program
 * is then killed and reaped), PR_EINVALID for output beyond max_output,
 * PR_ENOMEM.
 */
int pr_spawn_run(char *const argv[], const pr_spawn_options *opt, pr_spawn_result *res);

/* "exited with status 3", "killed by SIGSEGV (Segmentation fault)", "timed
 * out after 60 s" into BUF. */
void pr_spawn_describe(const pr_spawn_result *res, double timeout_s, char *buf, size_t size);

#endif
