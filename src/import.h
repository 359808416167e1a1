/*
 * import.h - other tools' JSON read as a perfreg run: Google Benchmark
 * (--benchmark_out_format=json), pytest-benchmark (--benchmark-json, and
 * the files --benchmark-save and --benchmark-autosave write) and hyperfine
 * (--export-json). docs/importing.md says what maps to what and what is
 * lost. With results.c, json.c and config.c, one of the files that see
 * cJSON; this header does not.
 *
 * The run is one a results file could hold: names unique, valid UTF-8 and
 * free of control characters; samples in nanoseconds per iteration with
 * their statistics recomputed, or, where the tool gave statistics only
 * (Google Benchmark's aggregates, pytest-benchmark without data, hyperfine
 * without times), those statistics with no samples: the comparison then
 * cannot test significance. pr_results_write accepts it as it is.
 */
#ifndef PR_IMPORT_H
#define PR_IMPORT_H

#include <stddef.h>

#include "run.h"

typedef enum pr_import_format {
    PR_IMPORT_AUTO = 0, /* detect from the document's shape */
    PR_IMPORT_GBENCH,
    PR_IMPORT_PYTEST,
    PR_IMPORT_HYPERFINE
} pr_import_format;

/* Which of Google Benchmark's two times per iteration become the samples. */
typedef enum pr_import_gbench_time {
    PR_IMPORT_REAL_TIME = 0, /* real_time: wall time, as perfreg measures */
    PR_IMPORT_CPU_TIME       /* cpu_time: the process's CPU time */
} pr_import_gbench_time;

typedef struct pr_import_options {
    pr_import_format format;           /* default PR_IMPORT_AUTO */
    pr_import_gbench_time gbench_time; /* default PR_IMPORT_REAL_TIME */
    const char *suite;                 /* the run's suite (borrowed); NULL: the tool's default, see
                                        * docs/importing.md */
} pr_import_options;

void pr_import_options_init(pr_import_options *opt);

/* "gbench", "pytest", "hyperfine" (what --from takes); "auto" for AUTO. */
const char *pr_import_format_name(pr_import_format format);
/* "Google Benchmark JSON", "pytest-benchmark JSON", "hyperfine JSON". */
const char *pr_import_format_title(pr_import_format format);
/* The format --from NAME names: 0, or PR_EUSAGE naming NAME and the choices. */
int pr_import_format_parse(const char *name, pr_import_format *out);

/*
 * Imports TEXT (LEN bytes, need not be NUL-terminated) into OUT, which the
 * caller has initialised and must release; OUT is replaced only on
 * success. PATH names the file in messages, which name the field as well:
 * "'PATH': benchmarks[3].real_time: expected a non-negative finite number".
 * OPT may be NULL for the defaults. FORMAT (may be NULL) receives the
 * format read: the one forced, or the one detected; it stays
 * PR_IMPORT_AUTO when detection found none or more than one, or the text is
 * not a JSON object.
 *
 * Returns 0; PR_EINVALID for text that is not JSON, a document of none of
 * the formats (with a format forced: "'PATH': not Google Benchmark JSON:
 * expected ..."), a perfreg results file, a missing or mistyped field, a
 * time out of range, a duplicate or unprintable name, no benchmark at all;
 * PR_ENOMEM.
 */
int pr_import_parse(pr_run *out, const char *text, size_t len, const char *path,
                    const pr_import_options *opt, pr_import_format *format);

/* Reads the file at PATH and imports it. PR_EIO when it cannot be read. */
int pr_import_load(pr_run *out, const char *path, const pr_import_options *opt,
                   pr_import_format *format);

#endif
