/*
 * ab_exe.h - the two builds of an A/B comparison as suite executables:
 * their benchmark lists and one measurement in a fresh process of either,
 * through the worker protocol (`SUITE measure`, src/cli/cmd_measure.c).
 * The rounds are ab.c's.
 */
#ifndef PR_AB_EXE_H
#define PR_AB_EXE_H

#include <signal.h>
#include <stddef.h>

#include "run.h"
#include "timing.h"

typedef struct pr_ab_exe {
    const char *path[2];  /* the baseline's and the candidate's suite (PR_AB_BASELINE, ...) */
    double timeout_s;     /* of one worker process; 0 = none */
    const volatile sig_atomic_t *stop;
    /* The context of the first document each side printed (compiler,
     * build type, clock, perfreg version), for the runs the comparison
     * records; owned, released by pr_ab_exe_release. */
    pr_run first[2];
    int have_first[2];
} pr_ab_exe;

void pr_ab_exe_init(pr_ab_exe *x, const char *baseline, const char *candidate);
void pr_ab_exe_release(pr_ab_exe *x);

/*
 * The benchmarks of the suite executable PATH, through `PATH measure
 * --list`: NAMES receives N names (free each and the array). PR_EINVALID
 * with a message saying what went wrong when PATH is not a perfreg suite
 * that speaks the worker protocol (an older perfreg's suite, another
 * program, a program that does not end within TIMEOUT_S), PR_ENOTFOUND when
 * it cannot be executed, PR_EINTERRUPTED, PR_EIO, PR_ENOMEM.
 */
int pr_ab_exe_list(const char *path, double timeout_s, const volatile sig_atomic_t *stop,
                   char ***names, size_t *n);

void pr_ab_names_free(char **names, size_t n);

/*
 * pr_ab_measure_fn for CTX a pr_ab_exe: runs `PATH measure --bench NAME`
 * with the timing options T and reads its results document. A worker that
 * crashes, times out or exits with an error is the benchmark failing
 * (OUT failed, reason given, 0 returned); one that exits 0 or 3 without a
 * readable document is PR_EINVALID: not a worker perfreg can use.
 */
int pr_ab_exe_measure(void *ctx, int side, const char *name, const pr_timing_options *t,
                      pr_result *out);

#endif
