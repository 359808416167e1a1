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
 *   THROUGHPUT  (only when a benchmark declared bytes or items)
 *   MEMORY      (only when a benchmark has memory or allocation figures)
 *               Name, Memory (what it added to its process's peak RSS),
 *               Peak RSS, Allocs/iter, Bytes/iter; "-" for what it lacks
 *   NOTES       (noisy benchmarks, an unoptimised build)
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
 * A history (history.h) renders as the same title box, the suite, statistic,
 * runs, machine and baseline, then:
 *
 *   BENCHMARK HISTORY       per benchmark a line "name  sparkline  newest
 *                           value  vs baseline +x.x%", then one row per run,
 *                           oldest first: commit ('*' when dirty), date,
 *                           value, change vs the previous run, step mark
 *   STEP CHANGES            (only when there are some) each step: the
 *                           benchmark, its move, the commit and date
 *
 * and as Markdown, CSV and a self-contained HTML page of SVG charts (here),
 * or JSON (the results module).
 *
 * Names and other strings from files are escaped: control characters and
 * escape sequences are never written raw. Every text line fits in
 * PR_REPORT_WIDTH columns, counting a status emoji as two.
 */
#ifndef PR_REPORT_H
#define PR_REPORT_H

#include <stddef.h>

#include "compare.h"
#include "history.h"
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

/*
 * Appends the text report of history H (80 columns; OPT->utf8 selects block
 * sparklines, arrows and "µs" over their ASCII forms; OPT may be NULL:
 * ASCII). The sparkline's ASCII levels are "_.-=#", lowest first; an absent
 * point is a space. Returns 0, PR_EINVALID without H or OUT, PR_ENOMEM.
 */
int pr_report_history(pr_strbuf *out, const pr_history *h, const pr_report_options *opt);

/* Appends history H as GitHub-flavoured Markdown (always UTF-8): a heading,
 * the summary as a list, one table with a row per benchmark (Benchmark,
 * Trend, Newest, Change vs previous, vs baseline, Steps), then per
 * benchmark a collapsed table of its runs. OPT is not used yet and may be
 * NULL. Returns 0, PR_EINVALID without H or OUT, PR_ENOMEM. */
int pr_report_history_markdown(pr_strbuf *out, const pr_history *h, const pr_report_options *opt);

/*
 * Appends history H as CSV: the header
 *   name,run,commit,dirty,date,stat,value,q1,q3,change,step,step_change,source
 * then one line per point, present or not, benchmarks in order and runs
 * oldest first. run is the index into h->runs (0 = oldest); commit the full
 * id; dirty 1, 0 or empty when unknown; date as recorded (ISO-8601); value,
 * q1, q3 in ns (operations per second for ops); change and step_change are
 * fractions (0.3 for +30%). A field that does not apply (an absent point's
 * value, the first point's change) is empty. Quoted as RFC 4180 says, lines
 * end with "\n", strings escaped as in the text report.
 * Returns 0, PR_EINVALID without H or OUT, PR_ENOMEM.
 */
int pr_report_history_csv(pr_strbuf *out, const pr_history *h);

/*
 * Appends history H as one self-contained HTML page: an inline style sheet,
 * no script and no URL of any kind, so that it opens in a browser with no
 * network. The summary, the step changes, then per benchmark a <section>
 * with an inline <svg class="perfreg-chart" data-benchmark="NAME"> chart:
 * x = the runs in order, labelled with short commits; y = the statistic
 * with ticks in one unit per chart; the q1-q3 band, a polyline of the values
 * broken at absent points, the baseline as a dashed line, steps marked with
 * a triangle, and a <title> tooltip on every point. Every string from a
 * file is escaped (control characters as in the text report, then
 * & < > " '). Returns 0, PR_EINVALID without H or OUT, PR_ENOMEM.
 */
int pr_report_history_html(pr_strbuf *out, const pr_history *h);

/* Formats a duration so it shows 3-4 significant digits with a unit
 * ("1.234 ms", "812.3 ns", "12.00 s"). UTF8 selects "µs" over "us". */
void pr_report_format_time(char *buf, size_t size, double ns, int utf8);

/* Formats a rate with k/M/G ("1.234M", "812.3", "12.35k"). */
void pr_report_format_rate(char *buf, size_t size, double per_second);

/* Formats a byte rate ("1.234 GB/s", decimal units). */
void pr_report_format_bytes_rate(char *buf, size_t size, double bytes_per_second);

/* Formats a size in binary units with 3 significant digits: "64.0 MiB",
 * "812 KiB", "1.50 GiB"; whole bytes without decimals ("0 B", "512 B"). */
void pr_report_format_bytes(char *buf, size_t size, double bytes);

/* Appends S with control characters escaped (\n, \t, \xNN) and, when not
 * UTF8, every non-ASCII byte as \xNN. */
void pr_report_add_escaped(pr_strbuf *out, const char *s, int utf8);

/* Display width in columns of S as pr_report_add_escaped writes it. */
size_t pr_report_display_width(const char *s, int utf8);

#endif
