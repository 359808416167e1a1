/*
 * isolate.h - measures one benchmark in a child process.
 *
 * The child is forked from the running suite (after registration), runs the
 * timing core, the untimed allocation-counting call and the memory probe,
 * sends the result over a pipe and exits. What goes wrong in the benchmark
 * stays in the child: a crash, an exit() from benchmark code, or a run past
 * the timeout (the child is then killed) becomes a failed result with the
 * reason, and the caller goes on with the next benchmark.
 *
 * Memory: ru_maxrss of the child (RUSAGE_SELF, in the child) read before the
 * first call of the benchmark (baseline: the pages the child shares with the
 * suite at fork) and after the last (peak); memory_bytes = peak - baseline,
 * never below 0. Only an isolated run can say this of one benchmark.
 */
#ifndef PR_ISOLATE_H
#define PR_ISOLATE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "perfreg.h"
#include "run.h"
#include "timing.h"

typedef struct pr_isolate_options {
    double timeout_s; /* the child's whole life, warm-up included; 0 = none */
    /* Polled while waiting; when it reads non-zero (a signal handler set it)
     * the child is killed and reaped and PR_EINTERRUPTED returned. May be
     * NULL. */
    const volatile sig_atomic_t *stop;
    /* 1: leave the allocations uncounted (has_allocs 0), as a later round
     * of a run over several processes does: the first counted them. */
    int no_allocs;
} pr_isolate_options;

/*
 * Measures DEF in a child process into OUT (OUT->name set by the caller):
 * what pr_timing_measure and pr_timing_count_allocs fill, plus has_memory,
 * baseline_rss_bytes, peak_rss_bytes and memory_bytes. A child killed by a
 * signal ("crashed: SIGSEGV (Segmentation fault)"), exiting on its own
 * ("exited with status 3 before finishing", "exited before reporting its
 * result") or past the timeout ("timed out after 2 s") makes OUT failed with
 * that reason, and 0 is returned. The child is always reaped and the pipe
 * closed before returning.
 *
 * Returns PR_EINTERRUPTED when *stop was set, PR_EIO when no process or pipe
 * could be made, PR_ENOMEM.
 */
int pr_isolate_measure(const pr_clock *clock, const pr_clock_info *ci, const pr_timing_options *opt,
                       const perfreg_bench_def *def, const pr_isolate_options *iso, pr_result *out);

/* Reads ru_maxrss of this process in bytes (Linux reports KiB, macOS
 * bytes). Returns 0 or PR_EIO. */
int pr_isolate_max_rss(uint64_t *bytes);

/* "SIGSEGV (Segmentation fault)" for SIG into BUF (always terminated). */
void pr_isolate_signal_name(int sig, char *buf, size_t size);

#endif
