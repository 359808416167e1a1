/*
 * ab.h - the interleaved A/B comparison of two builds of a suite, in one
 * session: rounds in which every benchmark still undecided runs once in a
 * fresh process of each build, side by side, in an order drawn per round;
 * rounds are added while a benchmark is undecided, up to a budget. The
 * processes are the measure callback's (ab_exe.c runs suite executables);
 * the verdicts are compare's (options.paired), and so are the figures
 * rendered and recorded.
 *
 * Why this shape (docs/performance.md): a shared machine switches between
 * fast and slow states lasting from one process to several seconds, so two
 * runs made at different moments differ by 10-30% while two processes
 * started back to back mostly share a state. Each round pairs the two
 * builds' processes of one benchmark back to back; a pair that straddles a
 * switch of state is an outlier, which the signed-rank test and the
 * Hodges-Lehmann estimate withstand.
 */
#ifndef PR_AB_H
#define PR_AB_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "compare.h"
#include "run.h"
#include "timing.h"

/* The worker protocol: `SUITE measure --list` prints
 * "perfreg-measure 1 VERSION" and the names, one a line. */
#define PR_AB_PROTOCOL_NAME "perfreg-measure"
#define PR_AB_PROTOCOL 1

/* One worker process takes a PR_AB_SHARE-th of run's samples and warm-up
 * and a PR_AB_TIME_SHARE-th of its time (timing.h: 50 samples, 0.05 s,
 * 0.2 s by default); `measure` alone takes these: */
#define PR_AB_SHARE 10
#define PR_AB_TIME_SHARE 20
#define PR_AB_SAMPLES 5
#define PR_AB_MIN_SAMPLES 1
#define PR_AB_MIN_TIME_S 0.01
#define PR_AB_WARMUP_S 0.005

/* The budget's defaults (docs/performance.md says how they were chosen). */
#define PR_AB_DEFAULT_ROUNDS 10
#define PR_AB_DEFAULT_MAX_ROUNDS 60
#define PR_AB_DEFAULT_BATCH 5
#define PR_AB_DEFAULT_MAX_TIME_S 600.0
#define PR_AB_MAX_ROUNDS 9999
/* A fail stops a benchmark early only at alpha / this too (99% by
 * default); the verdict shown is at 1 - alpha. */
#define PR_AB_STOP_STRICTER 5

enum { PR_AB_BASELINE = 0, PR_AB_CANDIDATE = 1 };

/* Which build's process of a pair runs first. */
typedef enum pr_ab_order {
    PR_AB_ORDER_RANDOM,           /* a coin per pair, from the seed (the default) */
    PR_AB_ORDER_ALTERNATE,        /* baseline first in even rounds, candidate first in odd */
    PR_AB_ORDER_CANDIDATE_SECOND, /* always baseline, then candidate (an order check) */
    PR_AB_ORDER_CANDIDATE_FIRST
} pr_ab_order;

/* "random", "alternate", "candidate-second", "candidate-first"; and back
 * (-1 for an unknown name). */
const char *pr_ab_order_name(pr_ab_order o);
int pr_ab_order_from_name(const char *name);

/*
 * Measures benchmark NAME once in a fresh process of SIDE (PR_AB_BASELINE
 * or PR_AB_CANDIDATE) with timing T, into OUT (zeroed, OUT->name unset: the
 * engine names it). A benchmark that fails in the process (a crash, a
 * reported error) makes OUT failed with the reason and returns 0; an error
 * that stops the whole comparison is returned as its code
 * (PR_EINTERRUPTED, PR_EINVALID for a worker that is not a perfreg suite,
 * PR_EIO, PR_ENOMEM).
 */
typedef int (*pr_ab_measure_fn)(void *ctx, int side, const char *name, const pr_timing_options *t,
                                pr_result *out);

typedef struct pr_ab_options {
    /* rounds every benchmark runs (default PR_AB_DEFAULT_ROUNDS, >= 2); a
     * benchmark that passes stops at the first look after them, one that
     * fails at the first look from twice as many where its interval at
     * alpha / PR_AB_STOP_STRICTER excludes no slowdown either */
    size_t rounds;
    size_t max_rounds; /* an undecided benchmark goes on up to this many (>= rounds) */
    size_t batch;      /* rounds added at a time before deciding again (>= 1) */
    double max_time_s; /* no round starts after this many seconds, but every benchmark
                        * gets its first two (the fewest a pair can be judged on);
                        * 0 = no limit */
    uint64_t seed;     /* of the orders; the same seed, the same orders */
    pr_ab_order order;
    pr_timing_options timing;    /* one process's; iterations 0: the first round calibrates */
    pr_compare_options compare;  /* the thresholds and alpha that decide (paired is set) */
    const pr_clock *clock;       /* of the time budget; NULL: CLOCK_MONOTONIC */
    pr_ab_measure_fn measure;
    void *measure_ctx;
    /* Called before each pair: round ROUND (0-based) of at most
     * MAX_ROUNDS, pair I of the N in this round, benchmark NAME. May be
     * NULL. */
    void (*progress)(void *ctx, size_t round, size_t max_rounds, size_t i, size_t n,
                     const char *name);
    void *progress_ctx;
    /* Polled between processes: non-zero stops the comparison with
     * PR_EINTERRUPTED. May be NULL. */
    const volatile sig_atomic_t *stop;
} pr_ab_options;

void pr_ab_options_init(pr_ab_options *opt);

/* Why a benchmark stopped getting rounds. */
typedef enum pr_ab_stop {
    PR_AB_STOP_DECIDED,    /* its verdict is pass or fail */
    PR_AB_STOP_MAX_ROUNDS, /* still inconclusive at max_rounds */
    PR_AB_STOP_MAX_TIME,   /* the time budget ran out */
    PR_AB_STOP_FAILED      /* it failed to run in a build */
} pr_ab_stop;

const char *pr_ab_stop_name(pr_ab_stop s); /* "decided", "max-rounds", "max-time", "failed" */

typedef struct pr_ab_summary {
    size_t n;                    /* benchmarks, in the order given */
    size_t *rounds;              /* rounds each got */
    pr_ab_stop *stopped;         /* why each stopped */
    unsigned char **candidate_first; /* per benchmark and round: 1 when the candidate ran first */
    size_t max_rounds_run;       /* the most rounds any benchmark got */
    size_t processes;            /* worker processes run */
    double seconds;              /* the comparison's wall time */
    int out_of_time;             /* the time budget stopped it */
} pr_ab_summary;

void pr_ab_summary_release(pr_ab_summary *s);

/*
 * Runs the A/B comparison of the N benchmarks NAMES (every one in both
 * builds: the caller leaves out the ones only one build has) into BASELINE
 * and CANDIDATE (initialised by the caller, released by the caller even on
 * error): one result per name, in NAMES order, each process of a round
 * appended as a process of the result (process i of both sides is round
 * i), their statistics pooled. Contexts and git are the caller's to fill.
 * SUMMARY (may be NULL) receives what happened. Returns 0, the measure
 * callback's error, PR_EINTERRUPTED when *stop was set, PR_EUSAGE for
 * options out of range, PR_ENOMEM.
 */
int pr_ab_run(const pr_ab_options *opt, const char *const *names, size_t n, pr_run *baseline,
              pr_run *candidate, pr_ab_summary *summary);

#endif
