/*
 * run.h - the in-memory document of one run: its context, its git metadata
 * and one result per benchmark. The timing core fills it, the results module
 * turns it into JSON and back, the report renders it, the store records it.
 *
 * Every string is owned by the run (heap, freed by pr_run_release) and may be
 * NULL where the JSON field is null.
 */
#ifndef PR_RUN_H
#define PR_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"

#define PR_SCHEMA_VERSION 1

typedef struct pr_git_info {
    char *commit;       /* full hex id; NULL outside a repository or on an unborn branch */
    char *short_commit; /* first 7 hex digits */
    char *branch;       /* branch name, "detached" for a detached HEAD, NULL outside a repository */
    int dirty;          /* 1 or 0; -1 when unknown (null) */
    char *subject;      /* summary: the first paragraph of the message on one line, as %s */
    char *commit_time;  /* committer time, ISO-8601 UTC ("2026-11-23T08:35:00Z") */
    char *author_time;  /* author time, ISO-8601 UTC */
} pr_git_info;

typedef struct pr_context {
    char *date; /* start of the run, ISO-8601 UTC */
    char *host;
    char *os;     /* uname sysname, e.g. "Linux" */
    char *kernel; /* uname release */
    char *arch;   /* uname machine */
    char *cpu_model;
    int logical_cores;          /* 0 when unknown */
    char *compiler;             /* of the suite's benchmarks, e.g. "gcc 12.2.0" */
    char *build_type;           /* e.g. "Release"; NULL when not known */
    char *build_flags;          /* optimisation flags; NULL when not known */
    int optimized;              /* 1, 0, or -1 when unknown */
    char *clock;                /* "CLOCK_MONOTONIC" */
    double clock_cost_ns;       /* one clock read */
    double clock_step_ns;       /* smallest step seen between two reads */
    double clock_resolution_ns; /* clock_getres */
    char *perfreg_version;
    /* run options in force */
    double min_time_s;
    double warmup_s;
    uint64_t samples;    /* target sample count */
    uint64_t iterations; /* fixed iterations per sample; 0 = calibrated */
    uint64_t processes;  /* processes per benchmark; 0 = not recorded (one) */
    /* A document made of several runs (a baseline, save-baseline --runs):
     * how many; 0 = one run. */
    uint64_t runs;
} pr_context;

typedef enum pr_status { PR_STATUS_OK = 0, PR_STATUS_FAILED = 1 } pr_status;

/* A figure another tool reported for a benchmark (import.h): one of Google
 * Benchmark's user counters, say. Kept and written back, not compared. */
typedef struct pr_counter {
    char *name; /* owned; UTF-8, no control characters */
    double value;
} pr_counter;

typedef struct pr_result {
    char *name;
    pr_status status;
    char *error;         /* the reason when failed, else NULL */
    uint64_t iterations; /* per sample */
    double *samples_ns;  /* per-iteration time of each sample, owned */
    size_t n_samples;
    /* Samples taken in each process, in order, when they come from more
     * than one (run --processes): owned, summing to n_samples. NULL and 0
     * when all come from one process. */
    size_t *process_samples;
    size_t n_processes;
    pr_stats stats;             /* valid when n_samples > 0, or when stats.n > 0 without
                                 * samples: a note's summary, or an import from a tool
                                 * that gave statistics only */
    double bytes_per_iteration; /* 0 when not declared */
    double items_per_iteration; /* 0 when not declared */
    double bytes_per_second;    /* derived from the mean; 0 when not declared */
    double items_per_second;
    double total_time_s; /* wall time spent on it, warm-up and calibration included */
    /* Memory of an isolated run (ru_maxrss of the benchmark's child): peak
     * after the last call, baseline before the first, memory = peak -
     * baseline (>= 0). Valid when has_memory. */
    int has_memory;
    uint64_t peak_rss_bytes;
    uint64_t baseline_rss_bytes;
    uint64_t memory_bytes;
    /* Heap allocations inside PERFREG_LOOP during one untimed call, per
     * iteration (allocs.h). Valid when has_allocs. */
    int has_allocs;
    double allocs_per_iteration;
    double alloc_bytes_per_iteration;
    /* Counters of an imported result, in the tool's order; owned. */
    pr_counter *counters;
    size_t n_counters;
    /* A baseline made of several runs (save-baseline --runs): the
     * statistics of each run's samples, oldest first; owned. The samples
     * above are then all the runs' together. NULL and 0 for one run. */
    pr_stats *run_stats;
    size_t n_runs;
} pr_result;

typedef struct pr_run {
    int schema_version;
    char *suite;
    pr_context context;
    pr_git_info git;
    pr_result *results;
    size_t n_results;
    size_t alloc_results;
} pr_run;

/* Zeroes RUN (schema_version set, dirty/optimized -1). */
void pr_run_init(pr_run *run);
/* Frees everything RUN owns and re-initialises it. Accepts NULL. */
void pr_run_release(pr_run *run);
/* Appends a zeroed result and returns it through OUT (borrowed from RUN;
 * valid until the next append). */
int pr_run_add_result(pr_run *run, pr_result **out);
/* The result named NAME, or NULL. */
const pr_result *pr_run_find(const pr_run *run, const char *name);
/* Frees what a result owns. */
void pr_result_release(pr_result *result);
/* Appends the counter NAME (copied) = VALUE to RESULT. 0 or PR_ENOMEM. */
int pr_result_add_counter(pr_result *result, const char *name, double value);
/*
 * Names of an array of N items of SIZE bytes whose `const char *` name
 * lies at OFFSET (offsetof(pr_result, name), offsetof(pr_counter, name)).
 *
 * pr_names_sorted: the items' non-NULL names with their indexes, sorted by
 * name and then index, into *OUT (allocated; the caller frees it) and
 * *COUNT. 0 or PR_ENOMEM.
 *
 * pr_names_duplicate: the first name, in order, that repeats an earlier
 * one: 1 with *FIRST and *SECOND set (indexes into the items), 0 when the
 * names are unique, PR_ENOMEM. O(n log n), for files of very many
 * benchmarks.
 */
typedef struct pr_named {
    const char *name;
    size_t index;
} pr_named;

int pr_names_sorted(const void *items, size_t n, size_t size, size_t offset, pr_named **out,
                    size_t *count);
int pr_names_duplicate(const void *items, size_t n, size_t size, size_t offset, size_t *first,
                       size_t *second);
/*
 * Appends MORE (the same benchmark measured in one more process) to R: its
 * samples as one more process (process_samples), its time and memory; a
 * MORE that failed fails R, taking its error. MORE is left to the caller
 * to release. 0 or PR_ENOMEM.
 */
int pr_result_append_process(pr_result *r, pr_result *more);

/* The statistics and throughput of R over all its processes' samples,
 * once they are all appended (nothing to do for one process). Samples the
 * statistics refuse fail R. 0 or PR_ENOMEM. */
int pr_result_pool_processes(pr_result *r);

/*
 * Makes NEWEST a document of several runs (a baseline with their
 * run-to-run spread): each benchmark that ran in it gets the samples of
 * the same benchmark in the N OLDER runs (oldest first) before its own,
 * every run's processes kept, each run's statistics in run_stats, and
 * statistics over them all; context.runs says how many runs the most
 * complete benchmark has. A benchmark that failed or is missing in an
 * older run is left out of that run. Results of OLDER that are already
 * merged are not merged again. 0 or PR_ENOMEM.
 */
int pr_run_merge(pr_run *newest, const pr_run *older, size_t n);

/* Sets throughput fields from stats (samples or not) and the per-iteration
 * counts; 0 when there are no statistics. */
void pr_result_derive_throughput(pr_result *result);

/*
 * The first control character in NAME as a code point (C0 0x00-0x1f, DEL
 * 0x7f, or C1 U+0080-U+009F written in UTF-8), or -1 when there is none.
 * A benchmark name is printed in reports, messages and terminals, so it may
 * hold none: callers refuse it as "contains the control character U+00XX".
 */
int pr_name_control(const char *name);

#endif
