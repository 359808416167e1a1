/*
 * results.h - the JSON document of a run (docs/json-format.md), written and
 * read. It and its helpers (json.c, import.c) include cJSON; this header does not.
 */
#ifndef PR_RESULTS_H
#define PR_RESULTS_H

#include <stddef.h>

#include "compare.h"
#include "history.h"
#include "run.h"
#include "strbuf.h"

/* Appends RUN as a JSON document (UTF-8, 2-space indent, final newline). */
int pr_results_write(const pr_run *run, pr_strbuf *out);

/*
 * Appends RUN as Google Benchmark's JSON (--benchmark_format=json), for the
 * tools that read it: each sample is one repetition ("run_type":
 * "iteration", real_time in ns over iterations_per_sample iterations),
 * followed by mean, median and stddev aggregates; cpu_time repeats
 * real_time (perfreg measures wall time only); a failed benchmark is a row
 * with "error_occurred". Returns 0, PR_EINVALID, PR_ENOMEM.
 */
int pr_results_write_gbench(const pr_run *run, pr_strbuf *out);

/*
 * Appends CMP as a JSON document ("kind": "comparison", docs/json-format.md):
 * both sides' commits, the options and thresholds, the summary counts and,
 * per benchmark, every verdict, change and p-value. Same printing as
 * pr_results_write. Returns 0, PR_EINVALID without CMP, PR_ENOMEM.
 */
int pr_results_write_comparison(const pr_comparison *cmp, pr_strbuf *out);

/*
 * Parses TEXT (LEN bytes, need not be NUL-terminated) into OUT, which the
 * caller has initialised and must release. PATH names the file in messages:
 * "'PATH': benchmarks[3].samples_ns: expected an array of numbers".
 * Returns PR_EINVALID for malformed JSON, a wrong schema_version, a missing
 * or mistyped field, or a negative / non-finite sample; PR_ENOMEM.
 * Statistics are recomputed from the samples, not trusted from the file;
 * a benchmark without samples but with a "stats" object (an import from a
 * tool that reports statistics only) has those, checked and taken.
 * A document without "schema_version" that is Google Benchmark,
 * pytest-benchmark or hyperfine JSON is imported with the default options
 * (import.h), so every reader of results files reads those too.
 */
int pr_results_parse(pr_run *out, const char *text, size_t len, const char *path);

/* Reads the file at PATH and parses it. PR_EIO when it cannot be read. */
int pr_results_load(pr_run *out, const char *path);

/*
 * Git notes (docs/json-format.md, "The note document"): a note holds every
 * run recorded on its commit, as summaries (names, status, statistics,
 * throughput, context, git) without raw samples unless WITH_SAMPLES.
 *
 * pr_results_note_append: OUT receives the note EXISTING (LEN bytes; NULL or
 * 0 for none) with RUN added at the end; runs already there are kept as
 * they are. An EXISTING that is not a perfreg note is PR_EINVALID naming
 * WHERE (nothing is written over it).
 *
 * pr_results_parse_note: the runs of a note, oldest first, into RUNS (an
 * array of N initialised runs; the caller releases each and frees the
 * array). A result without samples has stats filled from the note and
 * n_samples 0. Errors name WHERE and the field, as pr_results_parse.
 */
int pr_results_note_append(const char *existing, size_t len, const pr_run *run, int with_samples,
                           pr_strbuf *out, const char *where);
int pr_results_parse_note(const char *text, size_t len, const char *where, pr_run **runs,
                          size_t *n);

/* Appends the history H as a JSON document (docs/json-format.md, "The
 * history document"). */
int pr_results_write_history(const pr_history *h, pr_strbuf *out);

#endif
