/*
 * report.h - the boxed text report (80 columns).
 *
 *   ============================================================
 *   PERFORMANCE BENCHMARK REPORT
 *   ============================================================
 *   Date, Commit, Compiler lines
 *   ------------------------------------------------------------
 *   BENCHMARK RESULTS
 *   ------------------------------------------------------------
 *   table: Name, Mean, Median, StdDev, Ops/sec, Samples
 *
 * A comparison (compare.h) renders as the same header followed by three
 * sections, or as Markdown, CSV (here) and JSON (results.h):
 *
 *   COMPARISON VS BASELINE  Name, Current, Baseline, Change, p-value, Status
 *                           (the primary metric), a geometric-mean row and a
 *                           legend
 *   REGRESSIONS DETECTED    each warning, critical or failing benchmark: the
 *                           metric, its change, the threshold it crossed
 *   RECOMMENDATIONS         what to do about it, one bullet each
 *
 * Names and other strings from files are escaped: control characters and
 * escape sequences are never written raw. Every text line fits in
 * PR_REPORT_WIDTH columns, counting a status emoji as two.
 */
#ifndef PR_REPORT_H
#define PR_REPORT_H

#include <stddef.h>

#include "compare.h"
#include "run.h"
#include "strbuf.h"

#define PR_REPORT_WIDTH 78

typedef struct pr_report_options {
    int utf8; /* 1: may use UTF-8 (µs, status emoji); 0: ASCII only (us, [ok]) */
    /* The exact command that makes the current run the baseline, shown when
     * a benchmark improved, e.g. "perfreg save-baseline --from FILE".
     * Borrowed; NULL: "perfreg save-baseline". */
    const char *accept_command;
} pr_report_options;

/* Appends the report of RUN to OUT. */
int pr_report_run(pr_strbuf *out, const pr_run *run, const pr_report_options *opt);

/*
 * Appends the three comparison sections of CMP to OUT, closed by the final
 * '=' rule: what `run` adds after its own report when the suite has a
 * baseline. The comparison section opens with the baseline's commit and,
 * when the machines differ, a warning. OPT may be NULL (ASCII).
 * Returns 0, PR_EINVALID without CMP or OUT, PR_ENOMEM.
 */
int pr_report_comparison_sections(pr_strbuf *out, const pr_comparison *cmp,
                                  const pr_report_options *opt);

/* Appends the whole text report of a comparison: the title box, Suite,
 * Current, Baseline, Compiler and Machine (of the current run), a warning
 * when the machines differ, then the sections. */
int pr_report_comparison(pr_strbuf *out, const pr_comparison *cmp, const pr_report_options *opt);

/* Appends the comparison as GitHub-flavoured Markdown (always UTF-8): a
 * heading with the number of regressions, the commits, a table, the
 * regressions and the recommendations as lists. For a pull-request comment
 * or a job summary. */
int pr_report_comparison_markdown(pr_strbuf *out, const pr_comparison *cmp,
                                  const pr_report_options *opt);

/* Appends the comparison as CSV: a header line, then one line per entry for
 * the primary metric (columns in docs/json-format.md). Fields are quoted as
 * RFC 4180 says; lines end with "\n"; names are escaped as in the text report
 * (control characters never written raw). */
int pr_report_comparison_csv(pr_strbuf *out, const pr_comparison *cmp);

/* Formats a duration so it shows 3-4 significant digits with a unit
 * ("1.234 ms", "812.3 ns", "12.00 s"). UTF8 selects "µs" over "us". */
void pr_report_format_time(char *buf, size_t size, double ns, int utf8);

/* Formats a rate with k/M/G ("1.234M", "812.3", "12.35k"). */
void pr_report_format_rate(char *buf, size_t size, double per_second);

/* Formats a byte rate ("1.234 GB/s", decimal units). */
void pr_report_format_bytes_rate(char *buf, size_t size, double bytes_per_second);

/* Appends S with control characters escaped (\n, \t, \xNN) and, when not
 * UTF8, every non-ASCII byte as \xNN. */
void pr_report_add_escaped(pr_strbuf *out, const char *s, int utf8);

/* Display width in columns of S as pr_report_add_escaped writes it. */
size_t pr_report_display_width(const char *s, int utf8);

#endif
