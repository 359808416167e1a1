/*
 * results.h - the JSON document of a run (docs/json-format.md), written and
 * read. The only module that includes cJSON.
 */
#ifndef PR_RESULTS_H
#define PR_RESULTS_H

#include <stddef.h>

#include "compare.h"
#include "run.h"
#include "strbuf.h"

/* Appends RUN as a JSON document (UTF-8, 2-space indent, final newline). */
int pr_results_write(const pr_run *run, pr_strbuf *out);

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
 * Statistics are recomputed from the samples, not trusted from the file.
 */
int pr_results_parse(pr_run *out, const char *text, size_t len, const char *path);

/* Reads the file at PATH and parses it. PR_EIO when it cannot be read. */
int pr_results_load(pr_run *out, const char *path);

#endif
