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
 * Names and other strings from files are escaped: control characters and
 * escape sequences are never written raw.
 */
#ifndef PR_REPORT_H
#define PR_REPORT_H

#include <stddef.h>

#include "run.h"
#include "strbuf.h"

#define PR_REPORT_WIDTH 78

typedef struct pr_report_options {
    int utf8; /* 1: may use UTF-8 (µs); 0: ASCII only (us) */
} pr_report_options;

/* Appends the report of RUN to OUT. */
int pr_report_run(pr_strbuf *out, const pr_run *run, const pr_report_options *opt);

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
