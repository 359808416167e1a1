/*
 * report.c - renders a run as the fixed-width text report of report.h, a
 * comparison as the same report's sections, as Markdown and as CSV, and a
 * history as text, Markdown, CSV and one self-contained HTML page of SVG
 * charts (the JSON of both is the results module's).
 *
 * Every string that came from a file or from git goes through one walker
 * that escapes, measures and clips it, so what is written and the width it
 * was laid out with cannot disagree. Writing the text anywhere is the CLI's
 * job; this module only appends to a buffer.
 */
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"
#include "banned.h"

enum {
    LABEL_W = 11, /* "Compiler:  " */
    VALUE_W = PR_REPORT_WIDTH - LABEL_W,
    /* results table; a time is at most 8 columns ("123.4 ns", "1.234 µs") */
    NAME_W = 30,
    TIME_W = 10,
    RATE_W = 9,
    COUNT_W = 9,
    /* throughput table; a rate is at most 10 columns ("999.9 MB/s") */
    TP_COL_W = 13,
    TP_NAME_W = PR_REPORT_WIDTH - 2 * TP_COL_W,
    /* memory table; a size is at most 9 columns ("1023 KiB", "12.5 TiB") */
    MEM_COL_W = 12,
    MEM_NAME_W = PR_REPORT_WIDTH - 4 * MEM_COL_W,
    /* below this a shortened CPU model or subject says nothing */
    MIN_CLIP_W = 12
};

_Static_assert(NAME_W + 3 * TIME_W + RATE_W + COUNT_W == PR_REPORT_WIDTH,
               "the results table must fill the report width");

#define NOISY_CV 0.05
#define ELLIPSIS_UTF8 "\xe2\x80\xa6" /* U+2026, one column */
#define ELLIPSIS_ASCII "..."

/*
 * The length of the valid UTF-8 sequence at S and its code point, or 0 when
 * S does not start one (overlong forms, surrogates and values above
 * U+10FFFF are invalid). A NUL ends the sequence as a bad continuation byte.
 */
static size_t utf8_sequence(const unsigned char *s, unsigned long *cp)
{
    unsigned long v, min;
    size_t len, i;

    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        len = 2, v = s[0] & 0x1fu, min = 0x80;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        len = 3, v = s[0] & 0x0fu, min = 0x800;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        len = 4, v = s[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3fu);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

/*
 * Code points that are valid but act on the terminal or on how the text
 * around them is shown: C1 controls (U+009B is a CSI to some terminals),
 * zero-width and bidirectional formatting marks, which could make a name
 * look like another one.
 */
static int is_format_control(unsigned long cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x200b && cp <= 0x200f) ||
           (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff;
}

/* How many bytes at P are written as they are, as one column; 0 when the
 * byte at P is written as an escape. */
static size_t raw_length(const unsigned char *p, int utf8)
{
    unsigned long cp;
    size_t len;

    if (*p >= 0x20 && *p < 0x7f)
        return 1;
    if (*p < 0x80 || !utf8)
        return 0;
    len = utf8_sequence(p, &cp);
    return len && !is_format_control(cp) ? len : 0;
}

/* The escape written in place of byte C. */
static const char *byte_escape(unsigned char c, char *hex, size_t size)
{
    switch (c) {
    case '\n':
        return "\\n";
    case '\t':
        return "\\t";
    case '\r':
        return "\\r";
    case 0x1b:
        return "\\e";
    default:
        snprintf(hex, size, "\\x%02x", c);
        return hex;
    }
}

/*
 * Walks S as it is shown, escaped, and appends to OUT (when not NULL) the
 * characters and whole escapes that lie within the columns [FROM, TO); an
 * escape is never cut, so "\x1b" cannot turn into a different "\x1".
 * Returns the width of the whole of S and adds the columns appended to
 * *WRITTEN. Writing, measuring and clipping all go through here.
 */
static size_t escape_span(pr_strbuf *out, const char *s, int utf8, size_t from, size_t to,
                          size_t *written)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t col = 0;

    if (!s)
        return 0;
    while (*p) {
        char hex[8];
        size_t len = raw_length(p, utf8);
        const char *e = len ? NULL : byte_escape(*p, hex, sizeof hex);
        size_t w = len ? 1 : strlen(e);

        if (out && col >= from && col + w <= to) {
            if (len)
                pr_strbuf_add(out, p, len);
            else
                pr_strbuf_adds(out, e);
            if (written)
                *written += w;
        }
        col += w;
        p += len ? len : 1;
    }
    return col;
}

void pr_report_add_escaped(pr_strbuf *out, const char *s, int utf8)
{
    escape_span(out, s, utf8, 0, SIZE_MAX, NULL);
}

size_t pr_report_display_width(const char *s, int utf8)
{
    return escape_span(NULL, s, utf8, 0, 0, NULL);
}

/*
 * Appends S escaped and shortened to at most WIDTH columns, the ellipsis in
 * the middle (names: both ends tell benchmarks apart) or at the end.
 * Returns the columns written, which may be a little under WIDTH when an
 * escape did not fit whole.
 */
static size_t add_clipped(pr_strbuf *out, const char *s, int utf8, size_t width, int middle)
{
    size_t total = pr_report_display_width(s, utf8);
    size_t ellipsis_w = utf8 ? 1 : 3;
    size_t keep, head, written = 0;

    if (total <= width) {
        pr_report_add_escaped(out, s, utf8);
        return total;
    }
    if (width <= ellipsis_w) {
        escape_span(out, s, utf8, 0, width, &written);
        return written;
    }
    keep = width - ellipsis_w;
    head = middle ? (keep + 1) / 2 : keep;
    escape_span(out, s, utf8, 0, head, &written);
    pr_strbuf_adds(out, utf8 ? ELLIPSIS_UTF8 : ELLIPSIS_ASCII);
    escape_span(out, s, utf8, total - (keep - head), SIZE_MAX, &written);
    return written + ellipsis_w;
}

static void add_spaces(pr_strbuf *out, size_t n)
{
    pr_strbuf_addrep(out, " ", n);
}

/* Appends TEXT right-aligned in WIDTH columns, at least one space before. */
static void add_right(pr_strbuf *out, const char *text, int utf8, size_t width)
{
    size_t w = pr_report_display_width(text, utf8);
    add_spaces(out, w < width ? width - w : 1);
    pr_report_add_escaped(out, text, utf8);
}

static void add_rule(pr_strbuf *out, char c)
{
    char line[PR_REPORT_WIDTH + 1];
    memset(line, c, PR_REPORT_WIDTH);
    line[PR_REPORT_WIDTH] = '\n';
    pr_strbuf_add(out, line, sizeof line);
}

static void add_section(pr_strbuf *out, const char *title)
{
    add_rule(out, '-');
    pr_strbuf_addf(out, "%s\n", title);
    add_rule(out, '-');
}

/*
 * Formats VALUE in the largest of UNITS (each 1000 times the one before)
 * that keeps it below 1000, with 3-4 significant digits. The number is
 * formatted first and checked after, so a value that rounds up to the next
 * decade or unit (999.96 -> "1000.0") is caught where printf rounds it.
 */
static void format_scaled(char *buf, size_t size, double value, const char *const *units,
                          size_t n_units, const char *sep)
{
    static const double below[] = {10, 100, 1000}; /* for 3, 2, 1 decimals */
    double v = fabs(value);
    const char *sign = value < 0 ? "-" : "";
    char num[40];
    size_t unit = 0;
    int decimals;

    if (size == 0)
        return;
    if (!isfinite(value)) {
        snprintf(buf, size, "n/a");
        return;
    }
    if (v == 0) {
        snprintf(buf, size, "0%s%s", sep, units[0]);
        return;
    }
    for (;;) {
        for (decimals = 3; decimals >= 1; decimals--) {
            snprintf(num, sizeof num, "%.*f", decimals, v);
            if (strtod(num, NULL) < below[3 - decimals])
                goto done;
        }
        if (unit + 1 == n_units)
            break;
        v /= 1000;
        unit++;
    }
    /* beyond the largest unit: whole numbers, then an exponent so that the
     * number still fits its column */
    snprintf(num, sizeof num, "%.0f", v);
    if (strtod(num, NULL) >= 10000)
        snprintf(num, sizeof num, "%.2g", v);
done:
    snprintf(buf, size, "%s%s%s%s", sign, num, sep, units[unit]);
}

void pr_report_format_time(char *buf, size_t size, double ns, int utf8)
{
    static const char *const units_utf8[] = {"ns", "\xc2\xb5s", "ms", "s"};
    static const char *const units_ascii[] = {"ns", "us", "ms", "s"};
    format_scaled(buf, size, ns, utf8 ? units_utf8 : units_ascii, 4, " ");
}

void pr_report_format_rate(char *buf, size_t size, double per_second)
{
    static const char *const units[] = {"", "k", "M", "G"};
    format_scaled(buf, size, per_second, units, 4, "");
}

void pr_report_format_bytes_rate(char *buf, size_t size, double bytes_per_second)
{
    static const char *const units[] = {"B/s", "kB/s", "MB/s", "GB/s", "TB/s"};
    format_scaled(buf, size, bytes_per_second, units, 5, " ");
}

void pr_report_format_bytes(char *buf, size_t size, double bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    static const double below[] = {10, 100, 1024}; /* for 2, 1, 0 decimals */
    const size_t n_units = sizeof units / sizeof units[0];
    double v = fabs(bytes);
    const char *sign = bytes < 0 ? "-" : "";
    char num[40];
    size_t unit = 0;
    int decimals;

    if (size == 0)
        return;
    if (!isfinite(bytes)) {
        snprintf(buf, size, "n/a");
        return;
    }
    if (v == 0) {
        snprintf(buf, size, "0 B");
        return;
    }
    for (;;) {
        /* whole bytes have no decimals: "7 B", not "7.00 B" */
        for (decimals = unit == 0 && v == floor(v) ? 0 : 2; decimals >= 0; decimals--) {
            snprintf(num, sizeof num, "%.*f", decimals, v);
            if (strtod(num, NULL) < below[2 - decimals])
                goto done;
        }
        if (unit + 1 == n_units)
            break;
        v /= 1024;
        unit++;
    }
    snprintf(num, sizeof num, "%.0f", v);
    if (strtod(num, NULL) >= 10000)
        snprintf(num, sizeof num, "%.2g", v);
done:
    snprintf(buf, size, "%s%s %s", sign, num, units[unit]);
}

/* A "Label:     value" line, the value shortened at its end to fit. */
static void add_field(pr_strbuf *out, const char *label, const char *value, int utf8)
{
    pr_strbuf_addf(out, "%-*s", LABEL_W, label);
    add_clipped(out, value ? value : "unknown", utf8, VALUE_W, 0);
    pr_strbuf_addch(out, '\n');
}

/* "[DATE ]1a2b3c4 (main-dirty) Fix the parser" after LABEL: the subject
 * gives way first. The composing buffers are big enough that what snprintf
 * may cut off lies far beyond the columns shown. */
static void add_git_line(pr_strbuf *out, const char *label, const char *date,
                         const pr_git_info *git, int utf8)
{
    char head[512];
    size_t used, len = 0;
    int n;

    head[0] = '\0';
    if (date) {
        n = snprintf(head, sizeof head, "%s ", date);
        len = n < 0 ? 0 : (size_t)n < sizeof head ? (size_t)n : sizeof head - 1;
    }
    if (!git->commit) {
        snprintf(head + len, sizeof head - len, "%s",
                 git->branch ? "(no commits yet)" : "not a git repository");
        add_field(out, label, head, utf8);
        return;
    }
    if (git->short_commit)
        snprintf(head + len, sizeof head - len, "%s", git->short_commit);
    else
        snprintf(head + len, sizeof head - len, "%.7s", git->commit);
    if (git->branch || git->dirty == 1) {
        len = strlen(head);
        snprintf(head + len, sizeof head - len, " (%s%s)", git->branch ? git->branch : "",
                 git->dirty != 1 ? ""
                 : git->branch   ? "-dirty"
                                 : "dirty");
    }
    pr_strbuf_addf(out, "%-*s", LABEL_W, label);
    used = add_clipped(out, head, utf8, VALUE_W, 0);
    if (git->subject && used + 1 + MIN_CLIP_W <= VALUE_W) {
        pr_strbuf_addch(out, ' ');
        add_clipped(out, git->subject, utf8, VALUE_W - used - 1, 0);
    }
    pr_strbuf_addch(out, '\n');
}

/* "Baseline:  5 runs to DATE COMMIT ...": a baseline made of several runs
 * says so. */
static void add_baseline_line(pr_strbuf *out, const pr_run *base, int utf8)
{
    char date[96];

    if (base->context.runs > 1 && base->context.date) {
        snprintf(date, sizeof date, "%llu runs to %s", (unsigned long long)base->context.runs,
                 base->context.date);
        add_git_line(out, "Baseline:", date, &base->git, utf8);
    } else {
        add_git_line(out, "Baseline:", base->context.date, &base->git, utf8);
    }
}

static void add_compiler(pr_strbuf *out, const pr_context *c, int utf8)
{
    char line[512];
    const char *compiler = c->compiler ? c->compiler : "unknown";

    if (c->build_type && c->build_flags)
        snprintf(line, sizeof line, "%s (%s, %s)", compiler, c->build_type, c->build_flags);
    else if (c->build_type || c->build_flags)
        snprintf(line, sizeof line, "%s (%s)", compiler,
                 c->build_type ? c->build_type : c->build_flags);
    else
        snprintf(line, sizeof line, "%s", compiler);
    add_field(out, "Compiler:", line, utf8);
}

/* "CPU model, 2 cores, Linux 6.1.0 x86_64": a long CPU model gives way so
 * the cores and the system stay visible. */
static void add_machine(pr_strbuf *out, const pr_context *c, int utf8)
{
    char tail[512] = "";
    size_t len = 0, tail_w, used;

    if (c->logical_cores > 0)
        len += (size_t)snprintf(tail, sizeof tail, ", %d core%s", c->logical_cores,
                                c->logical_cores == 1 ? "" : "s");
    if (c->os || c->kernel || c->arch)
        snprintf(tail + len, sizeof tail - len, ",%s%s%s%s%s%s", c->os ? " " : "",
                 c->os ? c->os : "", c->kernel ? " " : "", c->kernel ? c->kernel : "",
                 c->arch ? " " : "", c->arch ? c->arch : "");
    tail_w = pr_report_display_width(tail, utf8);
    pr_strbuf_addf(out, "%-*s", LABEL_W, "Machine:");
    used = add_clipped(out, c->cpu_model ? c->cpu_model : "unknown CPU", utf8,
                       tail_w + MIN_CLIP_W <= VALUE_W ? VALUE_W - tail_w : MIN_CLIP_W, 0);
    add_clipped(out, tail, utf8, VALUE_W - used, 0);
    pr_strbuf_addch(out, '\n');
}

static void add_clock(pr_strbuf *out, const pr_context *c, int utf8)
{
    char line[512], cost[32];

    if (c->clock_cost_ns > 0) {
        pr_report_format_time(cost, sizeof cost, c->clock_cost_ns, utf8);
        snprintf(line, sizeof line, "%s, %s per read", c->clock ? c->clock : "unknown", cost);
    } else {
        snprintf(line, sizeof line, "%s", c->clock ? c->clock : "unknown");
    }
    add_field(out, "Clock:", line, utf8);
}

static const char *result_name(const pr_result *r)
{
    return r->name ? r->name : "(unnamed)";
}

static int has_numbers(const pr_result *r)
{
    return r->status == PR_STATUS_OK && r->n_samples > 0;
}

static int has_throughput(const pr_result *r)
{
    return has_numbers(r) && (r->bytes_per_iteration > 0 || r->items_per_iteration > 0);
}

static int has_memory_figures(const pr_result *r)
{
    return r->status == PR_STATUS_OK && (r->has_memory || r->has_allocs);
}

static int is_noisy(const pr_result *r)
{
    return has_numbers(r) && r->stats.cv > NOISY_CV;
}

static void add_result_row(pr_strbuf *out, const pr_result *r, int utf8)
{
    char buf[40];
    size_t used = add_clipped(out, result_name(r), utf8, NAME_W, 1);

    if (!has_numbers(r)) {
        /* the reason is in FAILURES, whole */
        add_spaces(out, NAME_W - used + 2);
        pr_strbuf_adds(out, r->status != PR_STATUS_OK ? "FAILED (see FAILURES)\n" : "no samples\n");
        return;
    }
    add_spaces(out, NAME_W - used);
    pr_report_format_time(buf, sizeof buf, r->stats.mean_ns, utf8);
    add_right(out, buf, utf8, TIME_W);
    pr_report_format_time(buf, sizeof buf, r->stats.median_ns, utf8);
    add_right(out, buf, utf8, TIME_W);
    pr_report_format_time(buf, sizeof buf, r->stats.stddev_ns, utf8);
    add_right(out, buf, utf8, TIME_W);
    pr_report_format_rate(buf, sizeof buf, r->stats.ops_per_second);
    add_right(out, buf, utf8, RATE_W);
    snprintf(buf, sizeof buf, "%zu", r->n_samples);
    add_right(out, buf, utf8, COUNT_W);
    pr_strbuf_addch(out, '\n');
}

static void add_results(pr_strbuf *out, const pr_run *run, int utf8)
{
    size_t i;

    add_section(out, "BENCHMARK RESULTS");
    if (run->n_results == 0) {
        pr_strbuf_adds(out, "no benchmarks ran\n");
        return;
    }
    pr_strbuf_addf(out, "%-*s%*s%*s%*s%*s%*s\n", NAME_W, "Name", TIME_W, "Mean", TIME_W, "Median",
                   TIME_W, "StdDev", RATE_W, "Ops/sec", COUNT_W, "Samples");
    for (i = 0; i < run->n_results; i++)
        add_result_row(out, &run->results[i], utf8);
}

static void add_wrapped(pr_strbuf *out, const char *text, const char *first, size_t indent);

/* FAILURES: every benchmark that failed, with its whole reason (crash,
 * exit, time-out, error), wrapped under its name. 0 or PR_ENOMEM. */
static int add_failures(pr_strbuf *out, const pr_run *run, int utf8)
{
    pr_strbuf text = PR_STRBUF_INIT;
    char title[96];
    size_t i, failed = 0;
    int err = 0;

    for (i = 0; i < run->n_results; i++)
        failed += run->results[i].status != PR_STATUS_OK;
    if (failed == 0)
        return 0;
    snprintf(title, sizeof title, "FAILURES: %zu of %zu benchmark%s", failed, run->n_results,
             run->n_results == 1 ? "" : "s");
    add_section(out, title);
    for (i = 0; i < run->n_results && !err; i++) {
        const pr_result *r = &run->results[i];
        if (r->status == PR_STATUS_OK)
            continue;
        pr_strbuf_reset(&text);
        pr_report_add_escaped(&text, result_name(r), utf8);
        if ((err = pr_strbuf_error(&text)) == 0)
            add_wrapped(out, pr_strbuf_cstr(&text), "", 0);
        pr_strbuf_reset(&text);
        pr_report_add_escaped(&text, r->error && *r->error ? r->error : "no reason given", utf8);
        if (!err && (err = pr_strbuf_error(&text)) == 0)
            add_wrapped(out, pr_strbuf_cstr(&text), "    ", 4);
    }
    add_wrapped(out, "To debug one, run it in this process: --no-isolate --filter NAME.", "", 0);
    pr_strbuf_release(&text);
    return err;
}

static void add_throughput(pr_strbuf *out, const pr_run *run, int utf8)
{
    char buf[40];
    size_t i, used;

    for (i = 0; i < run->n_results && !has_throughput(&run->results[i]); i++)
        ;
    if (i == run->n_results)
        return;
    add_section(out, "THROUGHPUT");
    pr_strbuf_addf(out, "%-*s%*s%*s\n", TP_NAME_W, "Name", TP_COL_W, "Bytes/sec", TP_COL_W,
                   "Items/sec");
    for (; i < run->n_results; i++) {
        const pr_result *r = &run->results[i];
        if (!has_throughput(r))
            continue;
        used = add_clipped(out, result_name(r), utf8, TP_NAME_W, 1);
        add_spaces(out, TP_NAME_W - used);
        if (r->bytes_per_iteration > 0)
            pr_report_format_bytes_rate(buf, sizeof buf, r->bytes_per_second);
        else
            snprintf(buf, sizeof buf, "-");
        add_right(out, buf, utf8, TP_COL_W);
        if (r->items_per_iteration > 0)
            pr_report_format_rate(buf, sizeof buf, r->items_per_second);
        else
            snprintf(buf, sizeof buf, "-");
        add_right(out, buf, utf8, TP_COL_W);
        pr_strbuf_addch(out, '\n');
    }
}

/* MEMORY: what a benchmark added to its process's peak resident set and
 * the heap allocations of one iteration, for those that have them. */
static void add_memory(pr_strbuf *out, const pr_run *run, int utf8)
{
    char buf[40];
    size_t i, used;

    for (i = 0; i < run->n_results && !has_memory_figures(&run->results[i]); i++)
        ;
    if (i == run->n_results)
        return;
    add_section(out, "MEMORY");
    pr_strbuf_addf(out, "%-*s%*s%*s%*s%*s\n", MEM_NAME_W, "Name", MEM_COL_W, "Memory", MEM_COL_W,
                   "Peak RSS", MEM_COL_W, "Allocs/iter", MEM_COL_W, "Bytes/iter");
    for (; i < run->n_results; i++) {
        const pr_result *r = &run->results[i];
        if (!has_memory_figures(r))
            continue;
        used = add_clipped(out, result_name(r), utf8, MEM_NAME_W, 1);
        add_spaces(out, MEM_NAME_W - used);
        snprintf(buf, sizeof buf, "-");
        if (r->has_memory)
            pr_report_format_bytes(buf, sizeof buf, (double)r->memory_bytes);
        add_right(out, buf, utf8, MEM_COL_W);
        if (r->has_memory)
            pr_report_format_bytes(buf, sizeof buf, (double)r->peak_rss_bytes);
        add_right(out, buf, utf8, MEM_COL_W);
        snprintf(buf, sizeof buf, "-");
        if (r->has_allocs)
            pr_report_format_rate(buf, sizeof buf, r->allocs_per_iteration);
        add_right(out, buf, utf8, MEM_COL_W);
        if (r->has_allocs)
            pr_report_format_bytes(buf, sizeof buf, r->alloc_bytes_per_iteration);
        add_right(out, buf, utf8, MEM_COL_W);
        pr_strbuf_addch(out, '\n');
    }
}

static void add_notes(pr_strbuf *out, const pr_run *run, int utf8)
{
    char note[64];
    size_t i, note_w;
    int unoptimized = run->context.optimized == 0;

    for (i = 0; i < run->n_results && !is_noisy(&run->results[i]); i++)
        ;
    if (i == run->n_results && !unoptimized)
        return;
    add_section(out, "NOTES");
    if (unoptimized)
        pr_strbuf_adds(out, "The suite was compiled without optimisation: these figures do not\n"
                            "show how an optimised build performs.\n");
    for (; i < run->n_results; i++) {
        const pr_result *r = &run->results[i];
        if (!is_noisy(r))
            continue;
        snprintf(note, sizeof note, "cv %.1f%%: results may be noisy", r->stats.cv * 100);
        note_w = strlen(note);
        add_clipped(out, result_name(r), utf8, PR_REPORT_WIDTH - 2 - note_w, 1);
        pr_strbuf_addf(out, "  %s\n", note);
    }
}

int pr_report_run(pr_strbuf *out, const pr_run *run, const pr_report_options *opt)
{
    int utf8 = opt ? opt->utf8 : 0, err;

    if (!out || !run)
        return pr_error_set(PR_EINVALID, "cannot render a report without a run and a buffer");
    add_rule(out, '=');
    pr_strbuf_adds(out, "PERFORMANCE BENCHMARK REPORT\n");
    add_rule(out, '=');
    add_field(out, "Suite:", run->suite, utf8);
    add_field(out, "Date:", run->context.date, utf8);
    add_git_line(out, "Commit:", NULL, &run->git, utf8);
    add_compiler(out, &run->context, utf8);
    add_machine(out, &run->context, utf8);
    add_clock(out, &run->context, utf8);
    add_results(out, run, utf8);
    err = add_failures(out, run, utf8);
    add_throughput(out, run, utf8);
    add_memory(out, run, utf8);
    add_notes(out, run, utf8);
    add_rule(out, '=');
    return err ? err : pr_strbuf_error(out);
}

/* ---- comparisons ---- */

enum {
    /* comparison table; a value is at most 8 columns ("123.4 ns", "1.234M/s"),
     * a change at most 7 ("+999.9%"), a resolution at most 6 ("999.9%"),
     * rounds 3 (more push the verdict right) */
    CMP_NAME_W = 24,
    CMP_VALUE_W = 9,
    CMP_CHANGE_W = 8,
    CMP_RES_W = 7,
    CMP_N_W = 4,
    CMP_STATUS_COL = CMP_NAME_W + 2 * CMP_VALUE_W + CMP_CHANGE_W + CMP_RES_W + CMP_N_W + 2,
    /* names and reasons inside prose */
    BULLET_NAME_W = 40,
    REASON_W = 160,
    MISMATCH_W = 400,
    MD_NAME_W = 200,
    COMMAND_INDENT = 4,
    /* noise, untestable and unstable benchmarks beyond this many share one
     * bullet */
    LIST_MAX = 3
};

/* The widest verdict, "? inconclusive" (a mark of two columns in UTF-8),
 * ends at the report's edge. */
_Static_assert(CMP_STATUS_COL + 15 == PR_REPORT_WIDTH, "the comparison table must fill the width");

#define MARK_OK "\xe2\x9c\x85"               /* U+2705, two columns */
#define MARK_WARN "\xe2\x9a\xa0\xef\xb8\x8f" /* U+26A0 U+FE0F, two columns */
#define MARK_FAIL "\xe2\x9d\x8c"             /* U+274C, two columns */
#define MARK_UNSURE "\xe2\x9d\x94"           /* U+2754, two columns */
#define DEFAULT_ACCEPT "perfreg save-baseline"
/* A space the wrapping keeps: composed prose never holds a raw control
 * character (escaping turns one from a file into text), so this one is
 * ours. Written as a space. */
#define NBSP "\x1f"
#define TESTABLE_SAMPLES 20

/* Composes prose (bullets, warnings) so that the same sentences come out as
 * wrapped text or as Markdown: names and strings from files go through
 * r_name / r_untrusted, which escape them for the target. */
typedef struct renderer {
    pr_strbuf *out;
    pr_strbuf line;    /* the paragraph being composed */
    pr_strbuf scratch; /* escaping before quoting */
    const pr_comparison *cmp;
    const char *accept;
    int utf8;
    int markdown;
    size_t bullets;
} renderer;

static void renderer_init(renderer *r, pr_strbuf *out, const pr_comparison *cmp,
                          const pr_report_options *opt, int markdown)
{
    pr_strbuf_init(&r->line);
    pr_strbuf_init(&r->scratch);
    r->out = out;
    r->cmp = cmp;
    r->accept = opt && opt->accept_command ? opt->accept_command : DEFAULT_ACCEPT;
    r->utf8 = markdown ? 1 : opt ? opt->utf8 : 0;
    r->markdown = markdown;
    r->bullets = 0;
}

/* The first error of the output or of the composing buffers. */
static int renderer_finish(renderer *r)
{
    int err = pr_strbuf_error(r->out);

    if (!err)
        err = pr_strbuf_error(&r->line);
    if (!err)
        err = pr_strbuf_error(&r->scratch);
    pr_strbuf_release(&r->line);
    pr_strbuf_release(&r->scratch);
    return err ? pr_error_set(err, "out of memory") : 0;
}

static const char *entry_name(const pr_cmp_entry *e)
{
    return e->name ? e->name : "(unnamed)";
}

/* Columns of text this module wrote itself or escaped: one per code point,
 * the status emoji two. */
static size_t text_columns(const char *s, size_t len)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++) {
        const unsigned char *p = (const unsigned char *)s + i;
        if ((*p & 0xc0) == 0x80)
            continue;
        if (i + 2 < len && p[0] == 0xef && p[1] == 0xb8 && p[2] == 0x8f)
            continue; /* U+FE0F: the emoji before it is already two */
        n += (i + 2 < len && p[0] == 0xe2 &&
              ((p[1] == 0x9c && p[2] == 0x85) || (p[1] == 0x9a && p[2] == 0xa0) ||
               (p[1] == 0x9d && (p[2] == 0x8c || p[2] == 0x94))))
                 ? 2
                 : 1;
    }
    return n;
}

/* "+25.3%", "-12.0%", "+1234%", ">+9999%"; never "-0.0%". At most 7
 * columns: the exact figure is in the JSON. */
static void format_change(char *buf, size_t size, double fraction)
{
    double pct = fraction * 100;

    if (!isfinite(pct))
        snprintf(buf, size, "n/a");
    else if (fabs(pct) < 0.05)
        snprintf(buf, size, "+0.0%%");
    else if (fabs(pct) < 999.95)
        snprintf(buf, size, "%+.1f%%", pct);
    else if (fabs(pct) < 9999.5)
        snprintf(buf, size, "%+.0f%%", pct);
    else
        snprintf(buf, size, "%s9999%%", pct < 0 ? "<-" : ">+");
}

/* A metric's value: a time, a rate for ops, a size for memory, a count
 * for allocs. */
static void format_value(char *buf, size_t size, pr_metric m, double v, int utf8)
{
    size_t len;

    if (m == PR_METRIC_MEMORY) {
        pr_report_format_bytes(buf, size, v);
        return;
    }
    if (m == PR_METRIC_ALLOCS) {
        pr_report_format_rate(buf, size, v);
        return;
    }
    if (m != PR_METRIC_OPS) {
        pr_report_format_time(buf, size, v, utf8);
        return;
    }
    pr_report_format_rate(buf, size, v);
    len = strlen(buf);
    if (isfinite(v))
        snprintf(buf + len, size - len, "/s");
}

/* A signed difference of a metric: "+1.663 ms", "-2.500M/s". */
static void format_delta(char *buf, size_t size, pr_metric m, double delta, int utf8)
{
    if (size < 2)
        return;
    buf[0] = delta < 0 ? '-' : '+';
    format_value(buf + 1, size - 1, m, fabs(delta), utf8);
}

static void format_p(char *buf, size_t size, double p)
{
    if (p < 0.0001)
        snprintf(buf, size, "<0.0001");
    else
        snprintf(buf, size, "%.4f", p);
}

static int has_samples(const pr_result *r)
{
    return r && r->status == PR_STATUS_OK && r->n_samples > 0;
}

static int is_untestable(const pr_comparison *cmp, const pr_cmp_entry *e)
{
    return e->kind == PR_CMP_MATCHED && cmp->options.significance && !e->testable;
}

static int is_regression(const pr_cmp_entry *e)
{
    if (e->kind == PR_CMP_MISSING)
        return e->failing;
    return e->kind == PR_CMP_MATCHED &&
           (e->failing || e->level == PR_LEVEL_WARNING || e->level == PR_LEVEL_CRITICAL);
}

/* 3 failing, 2 critical, 1 warning: the order regressions are listed in. */
static int severity(const pr_cmp_entry *e)
{
    if (!is_regression(e))
        return 0;
    return e->failing ? 3 : e->level == PR_LEVEL_CRITICAL ? 2 : 1;
}

/* A high cv among the samples of a paired A/B says only that its processes
 * met different machine states: not worth advice. */
static int is_unstable(const pr_cmp_entry *e)
{
    if (e->method == PR_METHOD_PAIRED)
        return 0;
    return e->kind != PR_CMP_FAILED && e->kind != PR_CMP_MISSING && has_samples(e->current) &&
           e->current->stats.cv > NOISY_CV;
}

static int is_improved(const pr_comparison *cmp, const pr_cmp_entry *e)
{
    (void)cmp;
    return e->kind == PR_CMP_MATCHED && !e->failing && e->level == PR_LEVEL_IMPROVED;
}

static int is_matched(const pr_comparison *cmp, const pr_cmp_entry *e)
{
    (void)cmp;
    return e->kind == PR_CMP_MATCHED;
}

static int is_failed(const pr_comparison *cmp, const pr_cmp_entry *e)
{
    (void)cmp;
    return e->kind == PR_CMP_FAILED;
}

static int is_missing_failing(const pr_comparison *cmp, const pr_cmp_entry *e)
{
    (void)cmp;
    return e->kind == PR_CMP_MISSING && e->failing;
}

static int is_unstable_entry(const pr_comparison *cmp, const pr_cmp_entry *e)
{
    (void)cmp;
    return is_unstable(e);
}

typedef int (*entry_pred)(const pr_comparison *cmp, const pr_cmp_entry *e);

static size_t count_entries(const pr_comparison *cmp, entry_pred pred)
{
    size_t i, n = 0;

    for (i = 0; i < cmp->n_entries; i++)
        n += pred(cmp, &cmp->entries[i]) ? 1 : 0;
    return n;
}

static size_t count_regressions(const pr_comparison *cmp)
{
    size_t i, n = 0;

    for (i = 0; i < cmp->n_entries; i++)
        n += is_regression(&cmp->entries[i]) ? 1 : 0;
    return n;
}

/* The primary metric's value on one side, from the change when both sides
 * were measured, else from that side's summary; 0 when it has none. */
static int side_value(const pr_comparison *cmp, const pr_cmp_entry *e, int current, double *v)
{
    pr_metric m = cmp->options.primary;
    const pr_metric_change *mc = &e->metrics[m];
    const pr_result *r = current ? e->current : e->baseline;

    if (mc->valid) {
        *v = current ? mc->current : mc->baseline;
        return 1;
    }
    if (!has_samples(r))
        return 0;
    return pr_metric_of_result(r, m, v);
}

/* ---- composing prose ---- */

static void r_addf(renderer *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void r_addf(renderer *r, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    pr_strbuf_vaddf(&r->line, fmt, ap);
    va_end(ap);
}

/* Markdown: S with every character that could start markup escaped. */
static void md_add_text(pr_strbuf *out, const char *s)
{
    /* what can open markup in the middle of a line or a table cell;
     * "#", "-", "+" and "1." only act at the start of one */
    static const char special[] = "\\`*_[]<>|~&$";

    for (; *s; s++) {
        if (strchr(special, *s))
            pr_strbuf_addch(out, '\\');
        pr_strbuf_addch(out, *s);
    }
}

/*
 * Markdown: S, escaped for display and shortened to WIDTH columns, as code.
 * A code span where it can be one; a name with a backtick, a pipe or a
 * backslash (every escaped control character has one) goes in <code> with
 * Markdown escapes instead, because a code span cannot escape a backtick and
 * a GitHub table splits "\\|" inside one.
 */
static void md_add_code(pr_strbuf *out, pr_strbuf *scratch, const char *s, size_t width)
{
    const char *text;

    pr_strbuf_reset(scratch);
    add_clipped(scratch, s, 1, width, 1);
    text = pr_strbuf_cstr(scratch);
    if (*text && !strpbrk(text, "`|\\") && text[0] != ' ' && text[strlen(text) - 1] != ' ') {
        pr_strbuf_addf(out, "`%s`", text);
        return;
    }
    pr_strbuf_adds(out, "<code>");
    md_add_text(out, text);
    pr_strbuf_adds(out, "</code>");
}

/* A benchmark name: shortened in the middle in text, as code in Markdown. */
static void r_name(renderer *r, const char *name)
{
    if (r->markdown)
        md_add_code(&r->line, &r->scratch, name ? name : "(unnamed)", MD_NAME_W);
    else
        add_clipped(&r->line, name ? name : "(unnamed)", r->utf8, BULLET_NAME_W, 1);
}

/* A string from a file (a reason, a mismatch), shortened at its end. */
static void r_untrusted(renderer *r, const char *s, size_t width)
{
    if (!r->markdown) {
        add_clipped(&r->line, s, r->utf8, width, 0);
        return;
    }
    pr_strbuf_reset(&r->scratch);
    add_clipped(&r->scratch, s, 1, width, 0);
    md_add_text(&r->line, pr_strbuf_cstr(&r->scratch));
}

/* A short commit id, or WHAT when there is none. */
static void r_commit(renderer *r, const pr_git_info *git, const char *what)
{
    char id[16];

    if (!git->commit) {
        r_addf(r, "%s", what);
        return;
    }
    snprintf(id, sizeof id, "%.7s", git->short_commit ? git->short_commit : git->commit);
    if (r->markdown)
        md_add_code(&r->line, &r->scratch, id, 7);
    else
        add_clipped(&r->line, id, r->utf8, 7, 0);
}

/*
 * Appends TEXT (escaped: printable, one column per code point) wrapped at
 * the report width, FIRST before the first line and INDENT spaces before
 * the others. A word too long for a line is broken.
 */
static void add_wrapped(pr_strbuf *out, const char *text, const char *first, size_t indent)
{
    size_t col = strlen(first), start = col;
    const char *p = text;

    pr_strbuf_adds(out, first);
    while (*p) {
        size_t len, w;

        while (*p == ' ')
            p++;
        if (!*p)
            break;
        len = strcspn(p, " ");
        w = text_columns(p, len);
        if (col > start && col + 1 + w > PR_REPORT_WIDTH) {
            pr_strbuf_addch(out, '\n');
            add_spaces(out, indent);
            col = start = indent;
        } else if (col > start) {
            pr_strbuf_addch(out, ' ');
            col++;
        }
        while (len > 0) {
            size_t n = 1;
            if (col >= PR_REPORT_WIDTH) {
                pr_strbuf_addch(out, '\n');
                add_spaces(out, indent);
                col = indent;
            }
            while (n < len && ((unsigned char)p[n] & 0xc0) == 0x80)
                n++;
            if (*p == NBSP[0])
                pr_strbuf_addch(out, ' ');
            else
                pr_strbuf_add(out, p, n);
            col++;
            p += n;
            len -= n;
        }
    }
    pr_strbuf_addch(out, '\n');
}

/*
 * Appends COMMAND on lines of its own, indented, broken at spaces outside
 * quotes with a shell continuation (" \\") so that it can be pasted whole.
 */
static void add_command(pr_strbuf *out, pr_strbuf *scratch, const char *command, int utf8)
{
    const char *p;
    size_t col = COMMAND_INDENT;
    char quote = 0;

    pr_strbuf_reset(scratch);
    pr_report_add_escaped(scratch, command, utf8);
    p = pr_strbuf_cstr(scratch);
    add_spaces(out, COMMAND_INDENT);
    while (*p) {
        const char *q = p;
        size_t w;

        while (*p == ' ')
            p++;
        if (!*p)
            break;
        for (q = p; *q && (quote || *q != ' '); q++)
            if (quote ? *q == quote : (*q == '\'' || *q == '"'))
                quote = quote ? 0 : *q;
        w = text_columns(p, (size_t)(q - p));
        if (col > COMMAND_INDENT && col + 1 + w + 2 > PR_REPORT_WIDTH) {
            pr_strbuf_adds(out, " \\\n");
            add_spaces(out, COMMAND_INDENT);
            col = COMMAND_INDENT;
        } else if (col > COMMAND_INDENT) {
            pr_strbuf_addch(out, ' ');
            col++;
        }
        /* a word wider than a line is cut where the line ends */
        while (p < q) {
            size_t n = 1;
            if (col >= PR_REPORT_WIDTH) {
                pr_strbuf_addch(out, '\n');
                add_spaces(out, COMMAND_INDENT);
                col = COMMAND_INDENT;
            }
            while (p + n < q && ((unsigned char)p[n] & 0xc0) == 0x80)
                n++;
            pr_strbuf_add(out, p, n);
            col++;
            p += n;
        }
    }
    pr_strbuf_addch(out, '\n');
}

/* Writes the composed bullet, and COMMAND after it when not NULL. */
static void r_bullet(renderer *r, const char *command)
{
    if (r->markdown) {
        const char *p;
        pr_strbuf_adds(r->out, "- ");
        for (p = pr_strbuf_cstr(&r->line); *p; p++)
            pr_strbuf_addch(r->out, *p == NBSP[0] ? ' ' : *p);
        if (command) {
            pr_strbuf_addch(r->out, ' ');
            md_add_code(r->out, &r->scratch, command, SIZE_MAX);
        }
        pr_strbuf_addch(r->out, '\n');
    } else {
        add_wrapped(r->out, pr_strbuf_cstr(&r->line), "- ", 2);
        if (command)
            add_command(r->out, &r->scratch, command, r->utf8);
    }
    pr_strbuf_reset(&r->line);
    r->bullets++;
}

/* Writes the composed paragraph: wrapped after FIRST (text, INDENT for
 * the lines after it), or as a Markdown paragraph after LABEL in bold. */
static void r_paragraph(renderer *r, const char *first, size_t indent, const char *label)
{
    if (r->markdown) {
        const char *p;
        if (label)
            pr_strbuf_addf(r->out, "**%s** ", label);
        for (p = pr_strbuf_cstr(&r->line); *p; p++)
            pr_strbuf_addch(r->out, *p == NBSP[0] ? ' ' : *p);
        pr_strbuf_adds(r->out, "\n\n");
    } else {
        add_wrapped(r->out, pr_strbuf_cstr(&r->line), first, indent);
    }
    pr_strbuf_reset(&r->line);
}

static int shown_change(const pr_metric_change *mc, double *v);

/* "mean +25.3%", or the difference when there is no relative change, then
 * the difference too when THRESHOLD is absolute. */
static void r_change(renderer *r, pr_metric m, const pr_metric_change *mc,
                     const pr_threshold *threshold)
{
    char change[40], delta[48];

    format_delta(delta, sizeof delta, m, mc->current - mc->baseline, r->utf8);
    if (!mc->relative_valid) {
        r_addf(r, "%s %s", pr_metric_name(m), delta);
        return;
    }
    if (mc->shifted) {
        char moved[40];
        format_change(moved, sizeof moved, mc->unshifted);
        format_change(change, sizeof change, mc->estimate);
        r_addf(r, "%s %s, %s against the suite", pr_metric_name(m), moved, change);
    } else {
        double v = mc->change;
        shown_change(mc, &v);
        format_change(change, sizeof change, v);
        r_addf(r, "%s %s", pr_metric_name(m), change);
    }
    if (threshold && threshold->set && !threshold->relative)
        r_addf(r, " (%s)", delta);
}

/* The interval's confidence in percent: "95". */
static double level_pct(const pr_comparison *cmp)
{
    return 100 * (1 - cmp->options.alpha);
}

/* What N counts for E's method: "rounds", "baseline runs", "processes". */
static const char *n_unit(const pr_cmp_entry *e, size_t n)
{
    switch (e->method) {
    case PR_METHOD_PAIRED:
        return n == 1 ? "round" : "rounds";
    case PR_METHOD_RUNS:
        return n == 1 ? "baseline run" : "baseline runs";
    case PR_METHOD_PROCESSES:
        return n == 1 ? "process a side" : "processes a side";
    default:
        return "";
    }
}

/* " (95% interval +2.1% to +11.3%, 12 rounds)" for a metric judged with
 * an interval, " (p=0.0012)" for a test without one, " (too few samples to
 * test)", or nothing. */
static void r_p(renderer *r, const pr_cmp_entry *e, pr_metric m)
{
    const pr_metric_change *mc = &e->metrics[m];
    char p[32], lo[32], hi[32];

    if (pr_metric_is_spread(m) || pr_metric_is_per_run(m) || e->kind != PR_CMP_MATCHED ||
        !r->cmp->options.significance)
        return;
    if (mc->has_interval && mc->short_level) {
        r_addf(r, " (%zu %s)", e->rounds, n_unit(e, e->rounds));
    } else if (mc->has_interval) {
        format_change(lo, sizeof lo, mc->low);
        format_change(hi, sizeof hi, mc->high);
        r_addf(r, " (%g%% interval %s to %s", level_pct(r->cmp), lo, hi);
        if (mc->shifted)
            r_addf(r, " against the suite");
        if (e->rounds > 0)
            r_addf(r, ", %zu %s", e->rounds, n_unit(e, e->rounds));
        r_addf(r, ")");
    } else if (is_untestable(r->cmp, e)) {
        r_addf(r, " (too few samples to test)");
    } else if (e->tested) {
        format_p(p, sizeof p, e->p_value);
        r_addf(r, " (p%s%s)", p[0] == '<' ? "" : "=", p);
    }
}

static void threshold_text(char *buf, size_t size, pr_metric m, const pr_threshold *t, double scale)
{
    pr_threshold copy = *t;

    copy.value *= scale;
    pr_threshold_format(buf, size, m, &copy);
}

/* 1 when metric M of E crossed a threshold for real: failing, or a
 * significant warning or critical level. */
static int regressed(const pr_cmp_entry *e, pr_metric m)
{
    const pr_metric_change *mc = &e->metrics[m];
    return mc->valid &&
           (mc->failing || mc->level == PR_LEVEL_WARNING || mc->level == PR_LEVEL_CRITICAL);
}

/* The metrics of E in report order: the primary first, then the others. */
static pr_metric metric_at(const pr_comparison *cmp, int i)
{
    if (i == 0)
        return cmp->options.primary;
    return (pr_metric)(i - 1 < (int)cmp->options.primary ? i - 1 : i);
}

/* The bullet of REGRESSIONS DETECTED for metric M of E. */
static void r_regression_metric(renderer *r, const pr_cmp_entry *e, pr_metric m)
{
    const pr_compare_options *o = &r->cmp->options;
    const pr_metric_change *mc = &e->metrics[m];
    const pr_threshold *warn = &o->warn.of[m], *fail = &o->fail.of[m];
    char t1[64], t2[64];

    r_name(r, e->name);
    r_addf(r, ": ");
    r_change(r, m, mc, mc->failing ? fail : warn);
    r_p(r, e, m);
    if (mc->failing) {
        if (fail->set) {
            threshold_text(t1, sizeof t1, m, fail, 1);
            r_addf(r, ", failing: beyond the %s --fail threshold", t1);
        } else {
            r_addf(r, ", failing: beyond its --fail threshold");
        }
    } else if (mc->level == PR_LEVEL_CRITICAL && warn->set) {
        threshold_text(t1, sizeof t1, m, warn, 2);
        threshold_text(t2, sizeof t2, m, warn, 1);
        r_addf(r, ", critical: beyond %s (twice the %s warning threshold)", t1, t2);
    } else if (mc->level == PR_LEVEL_CRITICAL) {
        r_addf(r, ", critical: beyond twice its warning threshold");
    } else if (m == PR_METRIC_ALLOCS && !mc->relative_valid && warn->set && warn->relative) {
        r_addf(r, ", warning: allocates where the baseline made no allocations");
    } else {
        if (warn->set) {
            threshold_text(t1, sizeof t1, m, warn, 1);
            r_addf(r, ", warning: beyond the %s warning threshold", t1);
        } else {
            r_addf(r, ", warning: beyond its warning threshold");
        }
        if (e->approaching && e->worst == m && fail->set) {
            threshold_text(t2, sizeof t2, m, fail, 1);
            r_addf(r, ", approaching %s threshold (--fail)", t2);
        }
    }
    r_bullet(r, NULL);
}

/* The entries of REGRESSIONS DETECTED for E: every metric that crossed. */
static void r_regression(renderer *r, const pr_cmp_entry *e)
{
    int i;

    if (e->kind == PR_CMP_MISSING) {
        r_name(r, e->name);
        r_addf(r, ": missing from the current run, failing with --fail-on-missing");
        r_bullet(r, NULL);
        return;
    }
    for (i = 0; i < PR_METRIC_COUNT; i++) {
        pr_metric m = metric_at(r->cmp, i);
        /* ops is the mean turned over: said once */
        if (m == PR_METRIC_OPS && r->cmp->options.primary != PR_METRIC_OPS &&
            regressed(e, PR_METRIC_MEAN))
            continue;
        if (regressed(e, m))
            r_regression_metric(r, e, m);
    }
}

static void add_regressions_list(renderer *r)
{
    const pr_comparison *cmp = r->cmp;
    size_t i;
    int level;

    for (level = 3; level >= 1; level--)
        for (i = 0; i < cmp->n_entries; i++)
            if (severity(&cmp->entries[i]) == level)
                r_regression(r, &cmp->entries[i]);
}

/* ---- recommendations ---- */

/* Names the entries matching PRED, each followed by DETAIL when given:
 * "A 7.2%, B 9.1%, C 6.0% and 4 more". */
static void r_list(renderer *r, entry_pred pred, void (*detail)(renderer *r, const pr_cmp_entry *e))
{
    const pr_comparison *cmp = r->cmp;
    size_t i, shown = 0, total = count_entries(cmp, pred);

    for (i = 0; i < cmp->n_entries && shown < LIST_MAX; i++) {
        const pr_cmp_entry *e = &cmp->entries[i];
        if (!pred(cmp, e))
            continue;
        if (shown > 0)
            r_addf(r, "%s", shown + 1 == total ? " and " : ", ");
        r_name(r, e->name);
        if (detail)
            detail(r, e);
        shown++;
    }
    if (total > shown)
        r_addf(r, " and %zu more", total - shown);
}

static void detail_cv(renderer *r, const pr_cmp_entry *e)
{
    r_addf(r, " %.1f%%", e->current->stats.cv * 100);
}

static void detail_improvement(renderer *r, const pr_cmp_entry *e)
{
    char change[40];

    format_change(change, sizeof change, -e->metrics[r->cmp->options.primary].regression);
    r_addf(r, " by %s", change + (change[0] == '+'));
}

static size_t samples_of(const pr_result *res)
{
    return res ? res->n_samples : 0;
}

static void recommend_investigate(renderer *r)
{
    const pr_comparison *cmp = r->cmp;
    size_t i;
    int level;

    for (level = 3; level >= 1; level--) {
        for (i = 0; i < cmp->n_entries; i++) {
            const pr_cmp_entry *e = &cmp->entries[i];
            pr_metric m = cmp->options.primary;
            int k, found = 0;
            if (severity(e) != level || e->kind != PR_CMP_MATCHED)
                continue;
            /* the first metric that crossed; a wider spread alone is noise
             * to steady, not code to read: the unstable-benchmark advice
             * covers it */
            for (k = 0; k < PR_METRIC_COUNT && !found; k++) {
                pr_metric mk = metric_at(cmp, k);
                if (regressed(e, mk) && (!pr_metric_is_spread(mk) || e->metrics[mk].failing)) {
                    m = mk;
                    found = 1;
                }
            }
            if (!found)
                continue;
            r_addf(r, "Investigate ");
            r_name(r, e->name);
            r_addf(r, ": ");
            r_change(r, m, &e->metrics[m], NULL);
            if (cmp->ab.on) {
                r_addf(r, " against the baseline's build");
                if (cmp->baseline && cmp->baseline->git.commit) {
                    r_addf(r, " (");
                    r_commit(r, &cmp->baseline->git, "");
                    r_addf(r, ")");
                }
            } else if (cmp->baseline && cmp->baseline->git.commit) {
                r_addf(r, " since ");
                r_commit(r, &cmp->baseline->git, "");
            } else {
                r_addf(r, " since the baseline");
            }
            r_bullet(r, NULL);
        }
    }
}

static void recommend_missing_and_failed(renderer *r)
{
    const pr_comparison *cmp = r->cmp;
    size_t i;

    for (i = 0; i < cmp->n_entries; i++) {
        const pr_cmp_entry *e = &cmp->entries[i];
        if (!is_missing_failing(cmp, e))
            continue;
        r_name(r, e->name);
        r_addf(r, " is missing from the current run: restore it, or accept its removal by making "
                  "this run the baseline:");
        r_bullet(r, r->accept);
    }
    for (i = 0; i < cmp->n_entries; i++) {
        const pr_cmp_entry *e = &cmp->entries[i];
        if (!is_failed(cmp, e))
            continue;
        r_name(r, e->name);
        r_addf(r, " failed to run: ");
        r_untrusted(r, e->current && e->current->error ? e->current->error : "no reason given",
                    REASON_W);
        r_bullet(r, NULL);
    }
}

static int is_inconclusive(const pr_comparison *cmp, const pr_cmp_entry *e)
{
    (void)cmp;
    return e->kind == PR_CMP_MATCHED && !e->failing && e->verdict == PR_VERDICT_INCONCLUSIVE;
}

/* What would resolve E's threshold, after its resolution. */
static void r_resolve_advice(renderer *r, const pr_cmp_entry *e, const pr_metric_change *mc)
{
    const pr_ab_info *ab = &r->cmp->ab;
    size_t need = pr_compare_rounds_needed(e);
    char gate[32];

    snprintf(gate, sizeof gate, "%.0f%%", mc->gate * 100);
    switch (e->method) {
    case PR_METHOD_PAIRED:
        if (need > 0)
            r_addf(r, "; %s needs about %zu rounds (--max-rounds" NBSP "%zu), or instruction "
                      "counts",
                   gate, need, need);
        if (ab->out_of_time)
            r_addf(r, "; the time budget ended its rounds");
        break;
    case PR_METHOD_RUNS:
        if (need > 0)
            r_addf(r, "; %s needs a baseline of about %zu runs (save-baseline --runs" NBSP "%zu)",
                   gate, need, need);
        else
            r_addf(r, "; a run against a committed baseline cannot resolve %s on this machine: "
                      "compare A/B (--against" NBSP "REF)",
                   gate);
        break;
    case PR_METHOD_PROCESSES:
        r_addf(r, "; the baseline is one run, whose run-to-run spread is unknown: save it from "
                  "several (save-baseline --runs" NBSP "5), or compare A/B (--against" NBSP
                  "REF)");
        break;
    default:
        break;
    }
}

/* One bullet of INCONCLUSIVE: the move, its interval, what it resolves
 * and what would do better. */
static void r_inconclusive(renderer *r, const pr_cmp_entry *e)
{
    pr_metric m = (unsigned)e->worst < PR_METRIC_COUNT ? e->worst : r->cmp->options.primary;
    const pr_metric_change *mc = &e->metrics[m];
    char res[40];

    r_name(r, e->name);
    r_addf(r, ": ");
    r_change(r, m, mc, NULL);
    r_p(r, e, m);
    if (mc->with_suite) {
        r_addf(r, ": moved with the suite");
    } else if (mc->short_level) {
        r_addf(r, ": too few rounds for a %g%% interval (6 at least)", level_pct(r->cmp));
    } else if (mc->has_interval) {
        format_change(res, sizeof res, mc->resolution);
        r_addf(r, ": resolves %s%s here", r->utf8 ? "\xc2\xb1" : "+-", res + 1);
        r_resolve_advice(r, e, mc);
    } else if (e->tested) {
        r_addf(r, ": beyond its threshold, but not significantly");
    }
    r_bullet(r, NULL);
}

static void add_inconclusive_list(renderer *r)
{
    const pr_comparison *cmp = r->cmp;
    size_t i;

    for (i = 0; i < cmp->n_entries; i++)
        if (is_inconclusive(cmp, &cmp->entries[i]))
            r_inconclusive(r, &cmp->entries[i]);
}

static void recommend_untestable(renderer *r)
{
    const pr_comparison *cmp = r->cmp;
    size_t i, n = count_entries(cmp, is_untestable);

    if (n > LIST_MAX) {
        r_addf(r, "%zu benchmarks have too few samples for a significance test (", n);
        r_list(r, is_untestable, NULL);
        r_addf(r, "): raise --samples (to %d or more)", TESTABLE_SAMPLES);
        r_bullet(r, NULL);
        return;
    }
    for (i = 0; i < cmp->n_entries; i++) {
        const pr_cmp_entry *e = &cmp->entries[i];
        if (!is_untestable(cmp, e))
            continue;
        r_name(r, e->name);
        r_addf(r,
               " has too few samples (%zu vs %zu) for a significance test: raise --samples (to "
               "%d or more)",
               samples_of(e->baseline), samples_of(e->current), TESTABLE_SAMPLES);
        r_bullet(r, NULL);
    }
}

static void recommend_unstable(renderer *r)
{
    const pr_comparison *cmp = r->cmp;
    size_t i, n = count_entries(cmp, is_unstable_entry);

    if (n > LIST_MAX) {
        r_addf(r, "%zu benchmarks are unstable (cv above %.0f%%: ", n, NOISY_CV * 100);
        r_list(r, is_unstable_entry, detail_cv);
        r_addf(r, "): close other programs, pin the suite to a core (taskset" NBSP "-c" NBSP
                  "1), or raise "
                  "--min-time");
        r_bullet(r, NULL);
        return;
    }
    for (i = 0; i < cmp->n_entries; i++) {
        const pr_cmp_entry *e = &cmp->entries[i];
        if (!is_unstable(e))
            continue;
        r_name(r, e->name);
        r_addf(r,
               " is unstable (cv %.1f%%): close other programs, pin it to a core (taskset" NBSP
               "-c" NBSP "1), "
               "or raise --min-time",
               e->current->stats.cv * 100);
        r_bullet(r, NULL);
    }
}

static void recommend_machine(renderer *r)
{
    const pr_comparison *cmp = r->cmp;

    if (!cmp->machine_mismatch)
        return;
    r_addf(r, "The baseline comes from another machine: record a baseline on this machine type ");
    if (cmp->baseline && cmp->baseline->git.commit) {
        r_addf(r, "(check out ");
        r_commit(r, &cmp->baseline->git, "");
        r_addf(r, " and run perfreg" NBSP "save-baseline" NBSP "--run)");
    } else {
        r_addf(r, "(perfreg" NBSP "save-baseline)");
    }
    r_addf(r, " or compare like with like");
    r_bullet(r, NULL);
}

static void recommend_improvements(renderer *r)
{
    const pr_comparison *cmp = r->cmp;
    size_t i, n = count_entries(cmp, is_improved);
    const char *once = count_regressions(cmp) > 0 ? "once the regressions are resolved, " : "";

    if (n == 0)
        return;
    if (n == 1) {
        for (i = 0; !is_improved(cmp, &cmp->entries[i]); i++)
            ;
        r_name(r, cmp->entries[i].name);
        r_addf(r, " improved");
        detail_improvement(r, &cmp->entries[i]);
        r_addf(r, " (%s): %saccept it with:", pr_metric_name(cmp->options.primary), once);
    } else {
        r_addf(r, "%zu benchmarks improved (", n);
        r_list(r, is_improved, detail_improvement);
        r_addf(r, "): %saccept the improvements with:", once);
    }
    r_bullet(r, r->accept);
}

static void add_recommendations_list(renderer *r)
{
    recommend_investigate(r);
    recommend_missing_and_failed(r);
    recommend_untestable(r);
    recommend_unstable(r);
    recommend_machine(r);
    recommend_improvements(r);
}

/* ---- the text sections ---- */

/* Appends TEXT (this module's, no escaping) so that it ends at column END,
 * at least one space after COL; nothing when TEXT is empty. Returns the
 * column reached. */
static size_t put_right(pr_strbuf *out, size_t col, const char *text, size_t end)
{
    size_t w = text_columns(text, strlen(text));

    if (!*text)
        return col;
    add_spaces(out, col + w < end ? end - col - w : 1);
    pr_strbuf_adds(out, text);
    return col + w < end ? end : col + 1 + w;
}

/* The mark and word of an entry's verdict: "❌ fail", "⚠️ warning", "❔
 * inconclusive"; in ASCII the word alone, upper case when it fails. */
static const char *verdict_word(const pr_cmp_entry *e, int utf8, const char **mark)
{
    pr_level level = e->level;

    if (e->failing) {
        *mark = utf8 ? MARK_FAIL : "";
        return utf8 ? "fail" : "FAIL";
    }
    /* the verdict of the judged metrics first; a warning of another
     * (stddev, memory) only when they pass */
    if ((unsigned)e->worst < PR_METRIC_COUNT && e->metrics[e->worst].judged)
        level = e->metrics[e->worst].level;
    else if (e->verdict == PR_VERDICT_INCONCLUSIVE)
        level = PR_LEVEL_NORMAL;
    switch (level) {
    case PR_LEVEL_CRITICAL:
        *mark = utf8 ? MARK_FAIL : "";
        return utf8 ? "critical" : "CRITICAL";
    case PR_LEVEL_WARNING:
        *mark = utf8 ? MARK_WARN : "";
        return "warning";
    default:
        break;
    }
    if (e->verdict == PR_VERDICT_INCONCLUSIVE) {
        *mark = utf8 ? MARK_UNSURE : "?";
        return "inconclusive";
    }
    if (e->verdict == PR_VERDICT_FAIL) {
        /* at a --fail threshold of a metric not shown */
        *mark = utf8 ? MARK_FAIL : "";
        return utf8 ? "fail" : "FAIL";
    }
    *mark = utf8 ? MARK_OK : "";
    return e->level == PR_LEVEL_IMPROVED ? "improved" : "pass";
}

/* The verdict cell: the mark and the word, or the mark and the statistic
 * behind it when that is not the one the row shows ("⚠️ stddev"), so a
 * verdict never contradicts the change beside it. */
static void verdict_cell(char *buf, size_t size, const pr_comparison *cmp, const pr_cmp_entry *e,
                         int utf8)
{
    const char *mark = "", *word;

    if (e->kind == PR_CMP_MISSING) {
        snprintf(buf, size, "%s", e->failing ? (utf8 ? MARK_FAIL " fail" : "FAIL") : "");
        return;
    }
    if (e->kind != PR_CMP_MATCHED) {
        snprintf(buf, size, "%s", "");
        return;
    }
    word = verdict_word(e, utf8, &mark);
    if (e->worst != cmp->options.primary &&
        (e->failing || e->level == PR_LEVEL_WARNING || e->level == PR_LEVEL_CRITICAL ||
         e->verdict != PR_VERDICT_PASS)) {
        /* the mark and the statistic; in ASCII the word stands for the mark */
        if (!*mark)
            mark = word;
        word = pr_metric_name(e->worst);
    }
    snprintf(buf, size, "%s%s%s", mark, *mark ? " " : "", word);
}

/* The change shown for metric change MC: the judged estimate, before the
 * suite's shift was taken out. 0 when there is no relative change. */
static int shown_change(const pr_metric_change *mc, double *v)
{
    if (!mc->valid || !mc->relative_valid)
        return 0;
    *v = mc->shifted ? mc->unshifted : mc->has_interval ? mc->estimate : mc->change;
    return 1;
}

/* The resolution and n cells: "4.1%", "12"; "-" where they do not apply. */
static void resolution_cells(const pr_comparison *cmp, const pr_cmp_entry *e, char *res,
                             char *n, size_t size)
{
    const pr_metric_change *mc = &e->metrics[cmp->options.primary];

    snprintf(res, size, "-");
    snprintf(n, size, "-");
    if (e->kind != PR_CMP_MATCHED)
        return;
    if (mc->valid && mc->has_interval && !mc->short_level && isfinite(mc->resolution)) {
        double pct = mc->resolution * 100;
        snprintf(res, size, pct < 999.95 ? "%.1f%%" : ">999%%", pct);
    }
    if (e->rounds > 0)
        snprintf(n, size, "%zu", e->rounds);
}

/* The Current, Baseline and Change cells of an entry that ran. */
static void value_cells(const pr_comparison *cmp, const pr_cmp_entry *e, int utf8, char *cur,
                        char *base, char *change, size_t size)
{
    pr_metric m = cmp->options.primary;
    const pr_metric_change *mc = &e->metrics[m];
    double v;

    snprintf(cur, size, "-");
    snprintf(base, size, "-");
    if (side_value(cmp, e, 1, &v))
        format_value(cur, size, m, v, utf8);
    if (side_value(cmp, e, 0, &v))
        format_value(base, size, m, v, utf8);
    if (e->kind == PR_CMP_NEW)
        snprintf(change, size, "new");
    else if (e->kind == PR_CMP_MISSING)
        snprintf(change, size, "missing");
    else if (shown_change(mc, &v))
        format_change(change, size, v);
    else
        snprintf(change, size, "n/a");
}

static void add_cmp_row(renderer *r, const pr_cmp_entry *e)
{
    pr_strbuf *out = r->out;
    char cur[40], base[40], change[40], res[40], n[40], mark[40];
    size_t col = add_clipped(out, entry_name(e), r->utf8, CMP_NAME_W, 1);
    size_t at = CMP_NAME_W;

    verdict_cell(mark, sizeof mark, r->cmp, e, r->utf8);
    if (e->kind == PR_CMP_FAILED) {
        add_spaces(out, CMP_NAME_W - col + 2);
        pr_strbuf_adds(out, "FAILED: ");
        col = CMP_NAME_W + 2 + strlen("FAILED: ");
        add_clipped(out, e->current && e->current->error ? e->current->error : "no reason given",
                    r->utf8, PR_REPORT_WIDTH - col, 0);
        pr_strbuf_addch(out, '\n');
        return;
    }
    value_cells(r->cmp, e, r->utf8, cur, base, change, sizeof cur);
    resolution_cells(r->cmp, e, res, n, sizeof res);
    col = put_right(out, col, cur, at += CMP_VALUE_W);
    col = put_right(out, col, base, at += CMP_VALUE_W);
    col = put_right(out, col, change, at += CMP_CHANGE_W);
    col = put_right(out, col, res, at += CMP_RES_W);
    col = put_right(out, col, n, at += CMP_N_W);
    if (*mark) {
        add_spaces(out, col < CMP_STATUS_COL ? CMP_STATUS_COL - col : 1);
        pr_strbuf_adds(out, mark);
    }
    pr_strbuf_addch(out, '\n');
}

static int has_method(const pr_comparison *cmp, pr_method m)
{
    size_t i;
    for (i = 0; i < cmp->n_entries; i++)
        if (cmp->entries[i].kind == PR_CMP_MATCHED && cmp->entries[i].method == m)
            return 1;
    return 0;
}

/* "mean 10% (--fail), median 10%": the gates of the judged location
 * metrics, as the verdicts use them. */
static void r_gates(renderer *r)
{
    const pr_compare_options *o = &r->cmp->options;
    char t[64];
    int m, any = 0;

    for (m = 0; m < PR_METRIC_COUNT; m++) {
        const pr_threshold *g = o->fail.of[m].set ? &o->fail.of[m] : &o->warn.of[m];
        if (pr_metric_is_spread((pr_metric)m) || pr_metric_is_per_run((pr_metric)m) || !g->set)
            continue;
        if (m == PR_METRIC_OPS && (o->fail.of[PR_METRIC_MEAN].set || o->warn.of[PR_METRIC_MEAN].set))
            continue; /* the mean's mirror */
        pr_threshold_format(t, sizeof t, (pr_metric)m, g);
        r_addf(r, "%s%s" NBSP "%s%s", any ? ", " : "", pr_metric_name((pr_metric)m), t,
               o->fail.of[m].set ? NBSP "(--fail)" : "");
        any = 1;
    }
}

/* The legend under the table: where its figures come from and what the
 * verdicts mean, for the methods the table holds. */
static void add_legend(renderer *r)
{
    const pr_comparison *cmp = r->cmp;
    double pct = level_pct(cmp);

    if (!cmp->options.significance) {
        r_addf(r, "Change: the plain change (--no-significance): the thresholds alone decide, "
                  "pass or fail.");
        r_paragraph(r, "", 0, NULL);
        return;
    }
    r_addf(r, "Change:");
    if (has_method(cmp, PR_METHOD_PAIRED))
        r_addf(r, " the Hodges-Lehmann estimate of the rounds' ratios (A/B, Wilcoxon "
                  "signed-rank test);");
    if (has_method(cmp, PR_METHOD_RUNS))
        r_addf(r, " this run against the centre of the baseline's runs, with their "
                  "run-to-run spread;");
    if (has_method(cmp, PR_METHOD_PROCESSES))
        r_addf(r, " the change of the per-process means (Welch's t test);");
    if (has_method(cmp, PR_METHOD_SAMPLES))
        r_addf(r, " the change of the samples of one process (Mann-Whitney U test, no "
                  "interval);");
    if (has_method(cmp, PR_METHOD_NONE))
        r_addf(r, " the change of the statistics alone, without a test;");
    if (count_entries(cmp, is_untestable) > 0)
        r_addf(r, " where there are too few samples to test, the thresholds alone decide;");
    if (has_method(cmp, PR_METHOD_PAIRED) || has_method(cmp, PR_METHOD_RUNS) ||
        has_method(cmp, PR_METHOD_PROCESSES)) {
        if (r->markdown)
            r_addf(r, " %g%% interval: of the change, half its width the smallest change this "
                      "comparison tells from none; n:",
                   pct);
        else
            r_addf(r, " %s%g%%: half its %g%% interval, the smallest change this comparison "
                      "tells from none; n:",
                   r->utf8 ? "\xc2\xb1" : "+-", pct, pct);
        if (has_method(cmp, PR_METHOD_PAIRED))
            r_addf(r, " rounds,");
        if (has_method(cmp, PR_METHOD_RUNS))
            r_addf(r, " runs of the baseline,");
        if (has_method(cmp, PR_METHOD_PROCESSES))
            r_addf(r, " processes of the smaller run,");
    }
    r->line.len--; /* the last comma or semicolon */
    r->line.buf[r->line.len] = '\0';
    r_addf(r, ". Verdicts at ");
    r_gates(r);
    r_addf(r, ": fail when significantly slower and beyond, pass when the interval ends "
              "below, inconclusive when this comparison cannot tell.");
    r_paragraph(r, "", 0, NULL);
}

/* The A/B's line above the table: what ran against what, and how much. */
static void add_ab_line(renderer *r)
{
    const pr_ab_info *ab = &r->cmp->ab;
    char secs[32];

    if (!ab->on)
        return;
    snprintf(secs, sizeof secs, "%.1f", ab->seconds);
    r_addf(r, "%s and ", ab->candidate_label ? ab->candidate_label : "this build");
    r_untrusted(r, ab->baseline_label ? ab->baseline_label : "the baseline's build", REASON_W);
    r_addf(r, " in turns, a process of each per round, %s order (seed %llu): %zu to %zu "
              "rounds, %zu processes, %s" NBSP "s",
           ab->order ? ab->order : "random", ab->seed, ab->rounds, ab->max_rounds, ab->processes,
           secs);
    if (ab->out_of_time)
        r_addf(r, "; the time budget (--max-time %g) ended it", ab->max_time_s);
    r_paragraph(r, "A/B:       ", LABEL_W, "A/B:");
}

/* When the suite moved as a whole: say so, before the table. */
static void add_shift_warning(renderer *r)
{
    const pr_comparison *cmp = r->cmp;
    char change[40];

    if (!cmp->has_shift)
        return;
    format_change(change, sizeof change, cmp->shift);
    r_addf(r,
           "Warning: the whole suite moved %s (%s of %zu benchmarks %s than %.0f%%, the same "
           "way): the machine's speed changed since the baseline, or a change moved "
           "everything. Each benchmark is judged against the suite's move, and a move with "
           "the suite is inconclusive. A/B tells which: compare --against REF.",
           change, cmp->shift_agree == cmp->shift_n ? "all" : "most", cmp->shift_n,
           cmp->shift > 0 ? "slower by more" : "faster by more", PR_SHIFT_FLOOR * 100);
    if (r->markdown) {
        pr_strbuf_adds(r->out, "> " MARK_WARN " ");
        r_paragraph(r, "", 0, NULL);
    } else {
        r_paragraph(r, "", 2, NULL);
    }
}

static void add_comparison_table(renderer *r)
{
    const pr_comparison *cmp = r->cmp;
    char buf[48], change[40];
    size_t i;

    add_ab_line(r);
    add_shift_warning(r);
    snprintf(buf, sizeof buf, "%s%g%%", r->utf8 ? "\xc2\xb1" : "+-", level_pct(cmp));
    pr_strbuf_addf(r->out, "%-*s%*s%*s%*s%*s%*s  %s\n", CMP_NAME_W, "Name", CMP_VALUE_W,
                   "Current", CMP_VALUE_W, "Baseline", CMP_CHANGE_W, "Change",
                   CMP_RES_W + (r->utf8 ? 1 : 0), buf, CMP_N_W, "n", "Verdict");
    if (cmp->n_entries == 0) {
        pr_strbuf_adds(r->out, "no benchmarks to compare\n");
        return;
    }
    for (i = 0; i < cmp->n_entries; i++)
        add_cmp_row(r, &cmp->entries[i]);
    if (cmp->geomean_n > 0) {
        snprintf(buf, sizeof buf, "Geometric mean of %zu", cmp->geomean_n);
        pr_strbuf_adds(r->out, buf);
        format_change(change, sizeof change, cmp->geomean_change);
        put_right(r->out, strlen(buf), change, CMP_NAME_W + 2 * CMP_VALUE_W + CMP_CHANGE_W);
        pr_strbuf_addch(r->out, '\n');
    }
    if (count_entries(cmp, is_matched) > 0)
        add_legend(r);
}

/* The warning about a baseline from another machine, wrapped. */
static void add_machine_warning(renderer *r)
{
    if (!r->cmp->machine_mismatch)
        return;
    r_addf(r, "Warning: the baseline was recorded on a different machine: ");
    r_untrusted(r, r->cmp->machine_mismatch, MISMATCH_W);
    add_wrapped(r->out, pr_strbuf_cstr(&r->line), "", 2);
    pr_strbuf_reset(&r->line);
}

/* CONTEXT: open the comparison with the baseline and the machine warning,
 * for a report whose header describes only the current run. */
static void add_sections(renderer *r, int context)
{
    const pr_comparison *cmp = r->cmp;

    add_section(r->out, "COMPARISON VS BASELINE");
    if (context) {
        if (cmp->baseline)
            add_baseline_line(r->out, cmp->baseline, r->utf8);
        add_machine_warning(r);
    }
    add_comparison_table(r);

    add_section(r->out, "REGRESSIONS DETECTED");
    if (count_regressions(cmp) == 0)
        pr_strbuf_adds(r->out, "No regressions.\n");
    else
        add_regressions_list(r);

    if (count_entries(cmp, is_inconclusive) > 0) {
        add_section(r->out, "INCONCLUSIVE");
        add_inconclusive_list(r);
    }

    add_section(r->out, "RECOMMENDATIONS");
    r->bullets = 0;
    add_recommendations_list(r);
    if (r->bullets == 0)
        pr_strbuf_adds(r->out, "No action needed.\n");
    add_rule(r->out, '=');
}

int pr_report_comparison_sections(pr_strbuf *out, const pr_comparison *cmp,
                                  const pr_report_options *opt)
{
    renderer r;

    if (!out || !cmp)
        return pr_error_set(PR_EINVALID, "cannot render a comparison without one and a buffer");
    renderer_init(&r, out, cmp, opt, 0);
    add_sections(&r, 1);
    return renderer_finish(&r);
}

int pr_report_comparison(pr_strbuf *out, const pr_comparison *cmp, const pr_report_options *opt)
{
    static const pr_run empty_run;
    const pr_run *cur, *base;
    char suite[512];
    renderer r;

    if (!out || !cmp)
        return pr_error_set(PR_EINVALID, "cannot render a comparison without one and a buffer");
    cur = cmp->current ? cmp->current : &empty_run;
    base = cmp->baseline ? cmp->baseline : &empty_run;
    renderer_init(&r, out, cmp, opt, 0);
    add_rule(out, '=');
    pr_strbuf_adds(out, "PERFORMANCE BENCHMARK REPORT\n");
    add_rule(out, '=');
    if (cur->suite && base->suite && strcmp(cur->suite, base->suite) != 0) {
        snprintf(suite, sizeof suite, "%s (baseline: %s)", cur->suite, base->suite);
        add_field(out, "Suite:", suite, r.utf8);
    } else {
        add_field(out, "Suite:", cur->suite ? cur->suite : base->suite, r.utf8);
    }
    add_git_line(out, "Current:", cur->context.date, &cur->git, r.utf8);
    if (cmp->ab.on && !base->git.commit)
        add_field(out, "Baseline:", cmp->ab.baseline_label, r.utf8);
    else
        add_baseline_line(out, base, r.utf8);
    add_compiler(out, &cur->context, r.utf8);
    add_machine(out, &cur->context, r.utf8);
    add_machine_warning(&r);
    add_sections(&r, 0);
    return renderer_finish(&r);
}

/* ---- Markdown ---- */

/* "`1a2b3c4` (main-dirty, 2026-11-23T09:00:00Z)" */
static void md_add_side(renderer *r, const pr_run *run)
{
    const pr_git_info *git = &run->git;

    r_commit(r, git, "no commit");
    if (!git->branch && git->dirty != 1 && !run->context.date)
        return;
    r_addf(r, " (");
    if (git->branch)
        r_untrusted(r, git->branch, MD_NAME_W);
    if (git->dirty == 1)
        r_addf(r, "%s", git->branch ? "-dirty" : "dirty");
    if (run->context.date) {
        if (git->branch || git->dirty == 1)
            r_addf(r, ", ");
        r_untrusted(r, run->context.date, MD_NAME_W);
    }
    r_addf(r, ")");
}

static void md_add_row(renderer *r, const pr_cmp_entry *e)
{
    pr_strbuf *out = r->out;
    const pr_metric_change *mc = &e->metrics[r->cmp->options.primary];
    char cur[40], base[40], change[40], lo[40], hi[40], mark[48], p[32];

    pr_strbuf_adds(out, "| ");
    md_add_code(out, &r->scratch, entry_name(e), MD_NAME_W);
    if (e->kind == PR_CMP_FAILED) {
        pr_strbuf_adds(out, " |  |  | failed |  |  | " MARK_FAIL " failed: ");
        pr_strbuf_reset(&r->line);
        r_untrusted(r, e->current && e->current->error ? e->current->error : "no reason given",
                    REASON_W);
        pr_strbuf_adds(out, pr_strbuf_cstr(&r->line));
        pr_strbuf_reset(&r->line);
        pr_strbuf_adds(out, " |\n");
        return;
    }
    value_cells(r->cmp, e, 1, cur, base, change, sizeof cur);
    verdict_cell(mark, sizeof mark, r->cmp, e, 1);
    pr_strbuf_addf(out, " | %s | %s | %s | ", base, cur, change);
    if (e->kind == PR_CMP_MATCHED && mc->valid && mc->has_interval) {
        format_change(lo, sizeof lo, mc->low);
        format_change(hi, sizeof hi, mc->high);
        pr_strbuf_addf(out, "%s to %s%s", lo, hi, mc->shifted ? " (vs suite)" : "");
    } else if (e->kind == PR_CMP_MATCHED && e->tested) {
        format_p(p, sizeof p, e->p_value);
        pr_strbuf_addf(out, "p%s%s", p[0] == '<' ? "\\<" : "=", p + (p[0] == '<'));
    }
    pr_strbuf_adds(out, " | ");
    if (e->kind == PR_CMP_MATCHED && e->rounds > 0)
        pr_strbuf_addf(out, "%zu", e->rounds);
    pr_strbuf_addf(out, " | %s", mark);
    if (e->approaching)
        pr_strbuf_adds(out, ", near --fail");
    pr_strbuf_adds(out, " |\n");
}

int pr_report_comparison_markdown(pr_strbuf *out, const pr_comparison *cmp,
                                  const pr_report_options *opt)
{
    static const pr_run empty_run;
    size_t n_regressions, n_failing, n_failed, i;
    char change[40];
    renderer r;

    if (!out || !cmp)
        return pr_error_set(PR_EINVALID, "cannot render a comparison without one and a buffer");
    renderer_init(&r, out, cmp, opt, 1);
    n_regressions = count_regressions(cmp);
    n_failed = count_entries(cmp, is_failed);
    for (i = 0, n_failing = 0; i < cmp->n_entries; i++)
        n_failing += cmp->entries[i].failing ? 1 : 0;

    {
        size_t n_warn = n_regressions - n_failing;
        size_t n_unsure = count_entries(cmp, is_inconclusive);
        const char *sep = "";
        pr_strbuf_adds(out, "### perfreg: ");
        if (n_failing > 0) {
            pr_strbuf_addf(out, "%zu failing", n_failing);
            sep = ", ";
        }
        if (n_warn > 0) {
            pr_strbuf_addf(out, "%s%zu warning%s", sep, n_warn, n_warn == 1 ? "" : "s");
            sep = ", ";
        }
        if (!*sep)
            pr_strbuf_adds(out, "no regressions");
        sep = ", ";
        if (n_unsure > 0)
            pr_strbuf_addf(out, "%s%zu inconclusive", sep, n_unsure);
        if (n_failed > 0)
            pr_strbuf_addf(out, "%s%zu failed to run", sep, n_failed);
    }
    pr_strbuf_adds(out, "\n\n");

    if (cmp->current && cmp->current->suite) {
        r_addf(&r, "Suite ");
        md_add_code(&r.line, &r.scratch, cmp->current->suite, MD_NAME_W);
        r_addf(&r, ": baseline ");
    } else {
        r_addf(&r, "Baseline ");
    }
    md_add_side(&r, cmp->baseline ? cmp->baseline : &empty_run);
    r_addf(&r, " \xe2\x86\x92 current ");
    md_add_side(&r, cmp->current ? cmp->current : &empty_run);
    pr_strbuf_addf(out, "%s\n\n", pr_strbuf_cstr(&r.line));
    pr_strbuf_reset(&r.line);

    if (cmp->machine_mismatch) {
        r_addf(&r, "> " MARK_WARN " The baseline was recorded on a different machine: ");
        r_untrusted(&r, cmp->machine_mismatch, MISMATCH_W);
        pr_strbuf_addf(out, "%s\n\n", pr_strbuf_cstr(&r.line));
        pr_strbuf_reset(&r.line);
    }

    if (cmp->n_entries == 0) {
        pr_strbuf_adds(out, "No benchmarks to compare.\n\n");
    } else {
        add_ab_line(&r);
        add_shift_warning(&r);
        pr_strbuf_addf(out,
                       "| Benchmark | Baseline | Current | Change | %g%% interval | n | Verdict |\n"
                       "| :--- | ---: | ---: | ---: | ---: | ---: | :--- |\n",
                       level_pct(cmp));
        for (i = 0; i < cmp->n_entries; i++)
            md_add_row(&r, &cmp->entries[i]);
        if (cmp->geomean_n > 0) {
            format_change(change, sizeof change, cmp->geomean_change);
            pr_strbuf_addf(out, "| **Geometric mean** of %zu |  |  | %s |  |  |  |\n",
                           cmp->geomean_n, change);
        }
        pr_strbuf_adds(out, "\n");
        if (count_entries(cmp, is_matched) > 0)
            add_legend(&r);
    }

    pr_strbuf_adds(out, "#### Regressions\n\n");
    if (n_regressions == 0)
        pr_strbuf_adds(out, "No regressions.\n");
    else
        add_regressions_list(&r);

    if (count_entries(cmp, is_inconclusive) > 0) {
        pr_strbuf_adds(out, "\n#### Inconclusive\n\n");
        add_inconclusive_list(&r);
    }

    pr_strbuf_adds(out, "\n#### Recommendations\n\n");
    r.bullets = 0;
    add_recommendations_list(&r);
    if (r.bullets == 0)
        pr_strbuf_adds(out, "No action needed.\n");
    return renderer_finish(&r);
}

/* ---- CSV ---- */

/* A field, quoted when it holds a comma, a quote or a line break. */
static void csv_field(pr_strbuf *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        pr_strbuf_adds(out, s);
        return;
    }
    pr_strbuf_addch(out, '"');
    for (; *s; s++) {
        if (*s == '"')
            pr_strbuf_addch(out, '"');
        pr_strbuf_addch(out, *s);
    }
    pr_strbuf_addch(out, '"');
}

static void csv_number(pr_strbuf *out, int have, double v)
{
    char buf[40];

    pr_strbuf_addch(out, ',');
    if (!have || !isfinite(v))
        return;
    pr_format_double(buf, sizeof buf, v);
    pr_strbuf_adds(out, buf);
}

int pr_report_comparison_csv(pr_strbuf *out, const pr_comparison *cmp)
{
    pr_strbuf name = PR_STRBUF_INIT;
    pr_metric m;
    size_t i;
    int err;

    if (!out || !cmp)
        return pr_error_set(PR_EINVALID, "cannot render a comparison without one and a buffer");
    m = cmp->options.primary;
    pr_strbuf_adds(out, "name,kind,verdict,level,failing,noise,metric,baseline,current,change,"
                        "estimate,low,high,resolution,n,method,p_value,significant,testable\n");
    for (i = 0; i < cmp->n_entries; i++) {
        const pr_cmp_entry *e = &cmp->entries[i];
        const pr_metric_change *mc = &e->metrics[m];
        int matched = e->kind == PR_CMP_MATCHED;
        double v = 0;
        int have;

        pr_strbuf_reset(&name);
        pr_report_add_escaped(&name, entry_name(e), 1);
        csv_field(out, pr_strbuf_cstr(&name));
        pr_strbuf_addf(out, ",%s,%s,%s,%d,%d,%s", pr_cmp_kind_name(e->kind),
                       matched ? pr_verdict_name(e->verdict) : "",
                       matched ? pr_level_name(e->level) : "", e->failing ? 1 : 0,
                       e->noise ? 1 : 0, pr_metric_name(m));
        have = e->kind != PR_CMP_FAILED && side_value(cmp, e, 0, &v);
        csv_number(out, have, v);
        have = e->kind != PR_CMP_FAILED && side_value(cmp, e, 1, &v);
        csv_number(out, have, v);
        csv_number(out, matched && mc->valid && mc->relative_valid, mc->change);
        have = matched && shown_change(mc, &v);
        csv_number(out, have, v);
        csv_number(out, matched && mc->valid && mc->has_interval, mc->low);
        csv_number(out, matched && mc->valid && mc->has_interval, mc->high);
        csv_number(out, matched && mc->valid && mc->has_interval, mc->resolution);
        csv_number(out, matched && e->rounds > 0, (double)e->rounds);
        pr_strbuf_addf(out, ",%s", matched ? pr_method_name(e->method) : "");
        csv_number(out, matched && e->tested, e->p_value);
        if (matched)
            pr_strbuf_addf(out, ",%d,%d\n", e->significant ? 1 : 0, e->testable ? 1 : 0);
        else
            pr_strbuf_adds(out, ",,\n");
    }
    err = pr_strbuf_error(out);
    if (!err)
        err = pr_strbuf_error(&name);
    pr_strbuf_release(&name);
    return err ? pr_error_set(err, "out of memory") : 0;
}

/* ---- history ---- */

enum {
    /* the rows under a benchmark: "  1a2b3c4*  2026-11-23 08:35  8.541 ms  +29.6%" */
    HIST_INDENT = 2,
    HIST_COMMIT_W = 8, /* a short commit and the dirty mark */
    HIST_DATE_W = 16,  /* "2026-11-23 08:35" */
    HIST_VALUE_W = 12,
    HIST_CHANGE_W = 9,
    HIST_DATE_COL = HIST_INDENT + HIST_COMMIT_W + 2,
    HIST_VALUE_END = HIST_DATE_COL + HIST_DATE_W + HIST_VALUE_W,
    HIST_CHANGE_END = HIST_VALUE_END + HIST_CHANGE_W,
    /* the line that opens a benchmark: the sparkline shows the newest
     * points when they do not all fit */
    HIST_SPARK_MIN = 20,
    HIST_SPARK_MAX = 40,
    HIST_SUBJECT_W = 72,
    /* the SVG chart, in viewBox units */
    CHART_W = 760,
    CHART_H = 330,
    CHART_L = 84, /* y tick labels and the axis title */
    CHART_R = 64, /* the "baseline" label */
    CHART_T = 18,
    CHART_B = 92, /* rotated commit labels and the x axis title */
    CHART_PAD = 14,
    CHART_MAX_LABELS = 24,
    CHART_MAX_TICKS = 12
};

/* The step mark's widest form, "↑ step >+9999% (steadier)", fits. */
_Static_assert(HIST_CHANGE_END + 2 + 25 <= PR_REPORT_WIDTH, "history rows must fit the width");

/* Sparkline levels, lowest first: U+2581..U+2588 in UTF-8; in ASCII
 * "_.-=#", which reads as ink rising from the baseline of the line. */
static const char *const spark_utf8[] = {"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
                                         "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
                                         "\xe2\x96\x87", "\xe2\x96\x88"};
static const char *const spark_ascii[] = {"_", ".", "-", "=", "#"};

#define ARROW_UP "\xe2\x86\x91"   /* U+2191 */
#define ARROW_DOWN "\xe2\x86\x93" /* U+2193 */
#define MIDDLE_DOT "\xc2\xb7"     /* U+00B7: an absent point where a space would be trimmed */
#define NO_BENCHMARKS "no benchmarks in the history"

static int point_present(const pr_history_point *p)
{
    return p->present && isfinite(p->value);
}

/* The run of point P, or NULL when P does not point into H's runs. */
static const pr_run *point_run(const pr_history *h, const pr_history_point *p)
{
    return h->runs && p->run < h->n_runs ? &h->runs[p->run] : NULL;
}

static const char *series_name(const pr_history_series *s)
{
    return s->name ? s->name : "(unnamed)";
}

static const char *stat_name(const pr_history *h)
{
    const char *name = (unsigned)h->stat < PR_METRIC_COUNT ? pr_metric_name(h->stat) : NULL;
    return name ? name : "value";
}

/* The column heading of the statistic, as the results table writes it. */
/* The statistic in a sentence: "the median moved". */
static const char *stat_phrase(const pr_history *h)
{
    if (h->stat == PR_METRIC_OPS)
        return "operations per second";
    if (h->stat == PR_METRIC_ALLOCS)
        return "allocations per iteration";
    return stat_name(h);
}

static const char *stat_heading(pr_metric m)
{
    static const char *const headings[PR_METRIC_COUNT] = {
        "Mean", "Median", "Min", "Max", "StdDev", "IQR", "Ops/sec", "Memory", "Allocs/iter"};
    return (unsigned)m < PR_METRIC_COUNT ? headings[m] : "Value";
}

/* Which way a move of CHANGE goes for the reader: a time up is slower,
 * operations per second up are faster, a spread up is noisier, memory up
 * is larger, allocations up are more. */
static const char *direction_word(pr_metric m, double change)
{
    if (m == PR_METRIC_OPS)
        return change > 0 ? "faster" : "slower";
    if (m == PR_METRIC_MEMORY)
        return change > 0 ? "larger" : "smaller";
    if (m == PR_METRIC_ALLOCS)
        return change > 0 ? "more" : "fewer";
    if (pr_metric_is_spread(m))
        return change > 0 ? "noisier" : "steadier";
    return change > 0 ? "slower" : "faster";
}

/* The newest point of S that was measured, or SIZE_MAX. */
static size_t newest_present(const pr_history_series *s)
{
    size_t i;

    for (i = s->n_points; i-- > 0;)
        if (point_present(&s->points[i]))
            return i;
    return SIZE_MAX;
}

static size_t count_steps(const pr_history *h)
{
    size_t i, j, n = 0;

    for (i = 0; i < h->n_series; i++)
        for (j = 0; j < h->series[i].n_points; j++)
            n += h->series[i].points[j].step && point_present(&h->series[i].points[j]) ? 1 : 0;
    return n;
}

static int any_dirty(const pr_history *h)
{
    size_t i;

    for (i = 0; i < h->n_runs; i++)
        if (h->runs[i].git.dirty == 1)
            return 1;
    return 0;
}

/* The first 7 characters of the commit of GIT, "" when it has none. Taken
 * from a file: escape it where it is written. */
static void commit_id(char *buf, size_t size, const pr_git_info *git)
{
    if (!git || !git->commit) {
        snprintf(buf, size, "%s", "");
        return;
    }
    snprintf(buf, size, "%.7s", git->short_commit ? git->short_commit : git->commit);
}

static int digits(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* ISO as "2026-11-23<SEP>08:35" and 1, or ISO itself (from a file: escape
 * it where it is written) and 0 when it does not start as an ISO-8601 date
 * and time; "-" and 1 for NULL. */
static int short_date(char *buf, size_t size, const char *iso, const char *sep)
{
    if (!iso) {
        snprintf(buf, size, "-");
        return 1;
    }
    if (digits(iso, 4) && iso[4] == '-' && digits(iso + 5, 2) && iso[7] == '-' &&
        digits(iso + 8, 2) && (iso[10] == 'T' || iso[10] == ' ') && digits(iso + 11, 2) &&
        iso[13] == ':' && digits(iso + 14, 2)) {
        snprintf(buf, size, "%.10s%s%.5s", iso, sep, iso + 11);
        return 1;
    }
    snprintf(buf, size, "%s", iso);
    return 0;
}

/* "5 runs, oldest first; 2 from other machines left out" */
static void runs_text(char *buf, size_t size, const pr_history *h)
{
    int n = snprintf(buf, size, "%zu run%s, oldest first", h->n_runs, h->n_runs == 1 ? "" : "s");
    size_t len = n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;

    if (h->all_machines)
        snprintf(buf + len, size - len, "; all machines mixed");
    else if (h->n_other_machine == 1)
        snprintf(buf + len, size - len, "; 1 from another machine left out");
    else if (h->n_other_machine > 1)
        snprintf(buf + len, size - len, "; %zu from other machines left out", h->n_other_machine);
}

static const char *history_suite(const pr_history *h)
{
    return h->runs && h->n_runs > 0 ? h->runs[h->n_runs - 1].suite : NULL;
}

static const char *history_machine(const pr_history *h)
{
    if (h->all_machines)
        return "all machines mixed (--all-machines)";
    return h->machine ? h->machine : "unknown";
}

/* Appends one character per point of S from FROM on: its level between
 * the smallest and the largest value shown, GAP for an absent point. The
 * scale spans at least MIN_SPAN (a fraction of the middle value, the step
 * threshold) around the middle, so noise of a fraction of a percent draws
 * a flat line instead of filling the whole height. */
static void add_sparkline(pr_strbuf *out, const pr_history_series *s, size_t from, int utf8,
                          const char *gap, double min_span)
{
    const char *const *levels = utf8 ? spark_utf8 : spark_ascii;
    size_t n_levels =
        utf8 ? sizeof spark_utf8 / sizeof *spark_utf8 : sizeof spark_ascii / sizeof *spark_ascii;
    double lo = INFINITY, hi = -INFINITY;
    size_t i, level;

    for (i = from; i < s->n_points; i++) {
        if (!point_present(&s->points[i]))
            continue;
        lo = fmin(lo, s->points[i].value);
        hi = fmax(hi, s->points[i].value);
    }
    if (hi >= lo && hi - lo < min_span * fabs(hi + lo) / 2) {
        double mid = (hi + lo) / 2, half = min_span * fabs(mid) / 2;
        lo = mid - half;
        hi = mid + half;
    }
    for (i = from; i < s->n_points; i++) {
        const pr_history_point *p = &s->points[i];
        if (!point_present(p)) {
            pr_strbuf_adds(out, gap);
            continue;
        }
        level = 0;
        if (hi > lo)
            level = (size_t)floor((p->value - lo) / (hi - lo) * (double)(n_levels - 1) + 0.5);
        pr_strbuf_adds(out, levels[level < n_levels ? level : n_levels - 1]);
    }
}

/* The smallest span a sparkline scales over: a move of the step threshold
 * fills it. */
static double spark_span(const pr_history *h)
{
    return h->step_threshold > 0 ? h->step_threshold : PR_HISTORY_DEFAULT_STEP;
}

/* "↑ step +30.0% (slower)" */
static void step_text(char *buf, size_t size, const pr_history *h, const pr_history_point *p,
                      int utf8)
{
    char change[40];

    format_change(change, sizeof change, p->step_change);
    snprintf(buf, size, "%s step %s (%s)",
             p->step_change >= 0 ? (utf8 ? ARROW_UP : "^") : (utf8 ? ARROW_DOWN : "v"), change,
             direction_word(h->stat, p->step_change));
}

/* "name  ▁▁▁██  8.560 ms  vs baseline +30.7%": the figures first, then the
 * name, as long as the sparkline keeps HIST_SPARK_MIN of its newest points;
 * the sparkline takes what is left, up to HIST_SPARK_MAX points. */
static void hist_series_line(pr_strbuf *out, const pr_history *h, const pr_history_series *s,
                             int utf8)
{
    char value[40], change[40], tail[128];
    size_t newest = newest_present(s), tail_w, avail, spark_min, spark_w, name_w;

    if (newest == SIZE_MAX)
        snprintf(value, sizeof value, "-");
    else
        format_value(value, sizeof value, h->stat, s->points[newest].value, utf8);
    if (s->has_baseline_change) {
        format_change(change, sizeof change, s->baseline_change);
        snprintf(tail, sizeof tail, "  %s  vs baseline %s", value, change);
    } else {
        snprintf(tail, sizeof tail, "  %s", value);
    }
    tail_w = text_columns(tail, strlen(tail));
    avail = PR_REPORT_WIDTH - 2 - tail_w;
    spark_min = newest == SIZE_MAX             ? 0
                : s->n_points < HIST_SPARK_MIN ? s->n_points
                                               : HIST_SPARK_MIN;
    name_w = pr_report_display_width(series_name(s), utf8);
    if (name_w > avail - spark_min)
        name_w = avail - spark_min;
    spark_w = newest == SIZE_MAX ? 0 : s->n_points < HIST_SPARK_MAX ? s->n_points : HIST_SPARK_MAX;
    if (spark_w > avail - name_w)
        spark_w = avail - name_w;
    add_clipped(out, series_name(s), utf8, name_w, 1);
    if (spark_w > 0) {
        pr_strbuf_adds(out, "  ");
        add_sparkline(out, s, s->n_points - spark_w, utf8, " ", spark_span(h));
    }
    pr_strbuf_addf(out, "%s\n", tail);
}

/* One run of a benchmark: commit, date, value, change, step. */
static void hist_row(pr_strbuf *out, const pr_history *h, const pr_history_point *p, int utf8)
{
    const pr_run *run = point_run(h, p);
    char id[16], date[128], value[40], change[40], step[64];
    size_t col = HIST_INDENT;
    int present = point_present(p);

    add_spaces(out, HIST_INDENT);
    commit_id(id, sizeof id, run ? &run->git : NULL);
    if (id[0]) {
        col += add_clipped(out, id, utf8, 7, 0);
        if (run->git.dirty == 1) {
            pr_strbuf_addch(out, '*');
            col++;
        }
    } else {
        pr_strbuf_adds(out, "-------");
        col += 7;
    }
    add_spaces(out, HIST_DATE_COL - col);
    col = HIST_DATE_COL;
    if (short_date(date, sizeof date, run ? run->context.date : NULL, " ")) {
        pr_strbuf_adds(out, date);
        col += strlen(date);
    } else {
        col += add_clipped(out, date, utf8, HIST_DATE_W, 0);
    }
    if (present)
        format_value(value, sizeof value, h->stat, p->value, utf8);
    else
        snprintf(value, sizeof value, "-");
    col = put_right(out, col, value, HIST_VALUE_END);
    if (present && p->has_change) {
        format_change(change, sizeof change, p->change);
        col = put_right(out, col, change, HIST_CHANGE_END);
    }
    if (present && p->step) {
        step_text(step, sizeof step, h, p, utf8);
        add_spaces(out, col < HIST_CHANGE_END ? HIST_CHANGE_END - col + 2 : 2);
        pr_strbuf_adds(out, step);
    }
    pr_strbuf_addch(out, '\n');
}

/* "- name: +30.0% (slower) at 4d5e6f7 (2026-11-22 08:00)", wrapped;
 * LINE is the composing buffer. */
static void hist_step_bullet(pr_strbuf *out, pr_strbuf *line, const pr_history *h,
                             const pr_history_series *s, const pr_history_point *p, int utf8)
{
    const pr_run *run = point_run(h, p);
    char change[40], id[16], date[128];

    pr_strbuf_reset(line);
    add_clipped(line, series_name(s), utf8, BULLET_NAME_W, 1);
    format_change(change, sizeof change, p->step_change);
    pr_strbuf_addf(line, ": %s (%s) at ", change, direction_word(h->stat, p->step_change));
    commit_id(id, sizeof id, run ? &run->git : NULL);
    if (id[0]) {
        add_clipped(line, id, utf8, 7, 0);
        if (run->git.dirty == 1)
            pr_strbuf_addch(line, '*');
    } else {
        pr_strbuf_addf(line, "run" NBSP "%zu", p->run + 1);
    }
    if (run && run->context.date) {
        pr_strbuf_adds(line, " (");
        if (short_date(date, sizeof date, run->context.date, NBSP))
            pr_strbuf_adds(line, date);
        else
            add_clipped(line, date, utf8, HIST_DATE_W, 0);
        pr_strbuf_adds(line, ")");
    }
    add_wrapped(out, pr_strbuf_cstr(line), "- ", 2);
}

static void hist_steps_section(pr_strbuf *out, pr_strbuf *line, const pr_history *h, int utf8)
{
    size_t i, j;

    add_section(out, "STEP CHANGES");
    for (i = 0; i < h->n_series; i++) {
        const pr_history_series *s = &h->series[i];
        for (j = 0; j < s->n_points; j++)
            if (s->points[j].step && point_present(&s->points[j]))
                hist_step_bullet(out, line, h, s, &s->points[j], utf8);
    }
    pr_strbuf_reset(line);
    pr_strbuf_addf(line,
                   "A step: the %s moved by more than %.0f%% and by more than the noise of "
                   "the runs around it, and stayed there (docs/history.md).",
                   stat_phrase(h), h->step_threshold * 100);
    add_wrapped(out, pr_strbuf_cstr(line), "", 0);
}

int pr_report_history(pr_strbuf *out, const pr_history *h, const pr_report_options *opt)
{
    pr_strbuf line = PR_STRBUF_INIT;
    int utf8 = opt ? opt->utf8 : 0;
    char text[256];
    size_t i, j;
    int err;

    if (!out || !h)
        return pr_error_set(PR_EINVALID, "cannot render a history without one and a buffer");
    add_rule(out, '=');
    pr_strbuf_adds(out, "PERFORMANCE BENCHMARK REPORT\n");
    add_rule(out, '=');
    add_field(out, "Suite:", history_suite(h), utf8);
    add_field(out, "Statistic:", stat_name(h), utf8);
    runs_text(text, sizeof text, h);
    add_field(out, "Runs:", text, utf8);
    add_field(out, "Machine:", history_machine(h), utf8);
    if (h->baseline) {
        short_date(text, sizeof text, h->baseline->context.date, " ");
        add_git_line(out, "Baseline:", h->baseline->context.date ? text : NULL, &h->baseline->git,
                     utf8);
    }

    add_section(out, "BENCHMARK HISTORY");
    if (h->n_series == 0) {
        pr_strbuf_adds(out, NO_BENCHMARKS "\n");
    } else {
        pr_strbuf_addf(out, "%*s%-*s%-*s%*s%*s\n", HIST_INDENT, "", HIST_COMMIT_W + 2, "Commit",
                       HIST_DATE_W, "Date", HIST_VALUE_W, stat_heading(h->stat), HIST_CHANGE_W,
                       "Change");
    }
    for (i = 0; i < h->n_series; i++) {
        const pr_history_series *s = &h->series[i];
        pr_strbuf_addch(out, '\n');
        hist_series_line(out, h, s, utf8);
        for (j = 0; j < s->n_points; j++)
            hist_row(out, h, &s->points[j], utf8);
    }
    if (h->n_series > 0 && any_dirty(h))
        pr_strbuf_adds(out, "\n* the working tree had uncommitted changes\n");
    if (count_steps(h) > 0)
        hist_steps_section(out, &line, h, utf8);
    add_rule(out, '=');

    err = pr_strbuf_error(out);
    if (!err)
        err = pr_strbuf_error(&line);
    pr_strbuf_release(&line);
    return err ? pr_error_set(err, "out of memory") : 0;
}

/* ---- history as Markdown ---- */

/* S from a file as Markdown text, shortened at its end to WIDTH columns. */
static void md_add_untrusted(pr_strbuf *out, pr_strbuf *scratch, const char *s, size_t width)
{
    pr_strbuf_reset(scratch);
    add_clipped(scratch, s, 1, width, 0);
    md_add_text(out, pr_strbuf_cstr(scratch));
}

/* Appends S (this module's text) with & < > " ' as entities. */
static void html_escape(pr_strbuf *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            pr_strbuf_adds(out, "&amp;");
            break;
        case '<':
            pr_strbuf_adds(out, "&lt;");
            break;
        case '>':
            pr_strbuf_adds(out, "&gt;");
            break;
        case '"':
            pr_strbuf_adds(out, "&quot;");
            break;
        case '\'':
            pr_strbuf_adds(out, "&#39;");
            break;
        default:
            pr_strbuf_addch(out, *s);
        }
    }
}

/* S from a file for HTML text or an attribute: control characters escaped
 * as in the text report, shortened to WIDTH columns (in the middle when
 * MIDDLE), then & < > " ' as entities. */
static void html_untrusted(pr_strbuf *out, pr_strbuf *scratch, const char *s, size_t width,
                           int middle)
{
    pr_strbuf_reset(scratch);
    add_clipped(scratch, s ? s : "", 1, width, middle);
    html_escape(out, pr_strbuf_cstr(scratch));
}

/* A commit as Markdown code and " (dirty)", or "no commit". */
static void md_add_commit(pr_strbuf *out, pr_strbuf *scratch, const pr_run *run)
{
    char id[16];

    commit_id(id, sizeof id, run ? &run->git : NULL);
    if (!id[0]) {
        pr_strbuf_adds(out, "no commit");
        return;
    }
    md_add_code(out, scratch, id, 7);
    if (run->git.dirty == 1)
        pr_strbuf_adds(out, " (dirty)");
}

static void md_add_date(pr_strbuf *out, pr_strbuf *scratch, const char *iso)
{
    char date[128];

    if (short_date(date, sizeof date, iso, " "))
        pr_strbuf_adds(out, date);
    else
        md_add_untrusted(out, scratch, date, HIST_DATE_W);
}

/* The table row of a benchmark. */
static void md_history_row(pr_strbuf *out, pr_strbuf *scratch, const pr_history *h,
                           const pr_history_series *s)
{
    size_t newest = newest_present(s), j, steps = 0;
    char buf[64];

    pr_strbuf_adds(out, "| ");
    md_add_code(out, scratch, series_name(s), MD_NAME_W);
    pr_strbuf_adds(out, " | ");
    add_sparkline(out, s, 0, 1, MIDDLE_DOT, spark_span(h));
    pr_strbuf_adds(out, " | ");
    if (newest != SIZE_MAX) {
        format_value(buf, sizeof buf, h->stat, s->points[newest].value, 1);
        pr_strbuf_adds(out, buf);
    } else {
        pr_strbuf_adds(out, "-");
    }
    pr_strbuf_adds(out, " | ");
    if (newest != SIZE_MAX && s->points[newest].has_change) {
        format_change(buf, sizeof buf, s->points[newest].change);
        pr_strbuf_adds(out, buf);
    }
    pr_strbuf_adds(out, " | ");
    if (s->has_baseline_change) {
        format_change(buf, sizeof buf, s->baseline_change);
        pr_strbuf_adds(out, buf);
    }
    pr_strbuf_adds(out, " | ");
    for (j = 0; j < s->n_points; j++) {
        const pr_history_point *p = &s->points[j];
        if (!p->step || !point_present(p))
            continue;
        format_change(buf, sizeof buf, p->step_change);
        pr_strbuf_addf(out, "%s%s %s at ", steps++ ? ", " : "",
                       p->step_change >= 0 ? ARROW_UP : ARROW_DOWN, buf);
        md_add_commit(out, scratch, point_run(h, p));
    }
    pr_strbuf_adds(out, " |\n");
}

/* A benchmark's runs, in a collapsed block. */
static void md_history_runs(pr_strbuf *out, pr_strbuf *scratch, const pr_history *h,
                            const pr_history_series *s)
{
    char buf[64];
    size_t j;

    pr_strbuf_adds(out, "<details><summary>Runs of <code>");
    html_untrusted(out, scratch, series_name(s), MD_NAME_W, 1);
    pr_strbuf_addf(out,
                   "</code></summary>\n\n| Commit | Date | %s | Change | Step |\n"
                   "| :--- | :--- | ---: | ---: | :--- |\n",
                   stat_heading(h->stat));
    for (j = 0; j < s->n_points; j++) {
        const pr_history_point *p = &s->points[j];
        const pr_run *run = point_run(h, p);
        int present = point_present(p);

        pr_strbuf_adds(out, "| ");
        md_add_commit(out, scratch, run);
        pr_strbuf_adds(out, " | ");
        md_add_date(out, scratch, run ? run->context.date : NULL);
        pr_strbuf_adds(out, " | ");
        if (present)
            format_value(buf, sizeof buf, h->stat, p->value, 1);
        else
            snprintf(buf, sizeof buf, "-");
        pr_strbuf_adds(out, buf);
        pr_strbuf_adds(out, " | ");
        if (present && p->has_change) {
            format_change(buf, sizeof buf, p->change);
            pr_strbuf_adds(out, buf);
        }
        pr_strbuf_adds(out, " | ");
        if (present && p->step) {
            step_text(buf, sizeof buf, h, p, 1);
            pr_strbuf_adds(out, buf);
        }
        pr_strbuf_adds(out, " |\n");
    }
    pr_strbuf_adds(out, "\n</details>\n\n");
}

int pr_report_history_markdown(pr_strbuf *out, const pr_history *h, const pr_report_options *opt)
{
    pr_strbuf scratch = PR_STRBUF_INIT;
    size_t i, n_steps;
    char text[256];
    int err;

    (void)opt;
    if (!out || !h)
        return pr_error_set(PR_EINVALID, "cannot render a history without one and a buffer");
    n_steps = count_steps(h);
    pr_strbuf_addf(out, "### perfreg history: %zu benchmark%s, ", h->n_series,
                   h->n_series == 1 ? "" : "s");
    if (n_steps == 0)
        pr_strbuf_adds(out, "no step changes\n\n");
    else
        pr_strbuf_addf(out, "%zu step change%s\n\n", n_steps, n_steps == 1 ? "" : "s");

    pr_strbuf_adds(out, "- Suite: ");
    if (history_suite(h))
        md_add_code(out, &scratch, history_suite(h), MD_NAME_W);
    else
        pr_strbuf_adds(out, "unknown");
    runs_text(text, sizeof text, h);
    pr_strbuf_addf(out, "\n- Statistic: %s\n- Runs: %s\n- Machine: ", stat_name(h), text);
    md_add_untrusted(out, &scratch, history_machine(h), MISMATCH_W);
    if (h->baseline) {
        pr_strbuf_adds(out, "\n- Baseline: ");
        md_add_commit(out, &scratch, h->baseline);
        if (h->baseline->context.date) {
            pr_strbuf_adds(out, ", ");
            md_add_date(out, &scratch, h->baseline->context.date);
        }
    }
    pr_strbuf_adds(out, "\n\n");

    if (h->n_series == 0) {
        pr_strbuf_adds(out, "No benchmarks in the history.\n");
    } else {
        pr_strbuf_adds(out, "| Benchmark | Trend | Newest | Change vs previous | vs baseline | "
                            "Steps |\n"
                            "| :--- | :--- | ---: | ---: | ---: | :--- |\n");
        for (i = 0; i < h->n_series; i++)
            md_history_row(out, &scratch, h, &h->series[i]);
        pr_strbuf_adds(out, "\n");
        for (i = 0; i < h->n_series; i++)
            md_history_runs(out, &scratch, h, &h->series[i]);
        if (n_steps > 0)
            pr_strbuf_addf(out,
                           "A step: the %s moved by more than %.0f%% and by more than the noise "
                           "of the runs around it, and stayed there.\n",
                           stat_phrase(h), h->step_threshold * 100);
    }

    err = pr_strbuf_error(out);
    if (!err)
        err = pr_strbuf_error(&scratch);
    pr_strbuf_release(&scratch);
    return err ? pr_error_set(err, "out of memory") : 0;
}

/* ---- history as CSV ---- */

/* S from a file as a CSV field, escaped as in the text report. */
static void csv_untrusted(pr_strbuf *out, pr_strbuf *scratch, const char *s)
{
    pr_strbuf_reset(scratch);
    if (s)
        pr_report_add_escaped(scratch, s, 1);
    csv_field(out, pr_strbuf_cstr(scratch));
}

int pr_report_history_csv(pr_strbuf *out, const pr_history *h)
{
    pr_strbuf scratch = PR_STRBUF_INIT;
    size_t i, j;
    int err;

    if (!out || !h)
        return pr_error_set(PR_EINVALID, "cannot render a history without one and a buffer");
    pr_strbuf_adds(out, "name,run,commit,dirty,date,stat,value,q1,q3,change,step,step_change,"
                        "source\n");
    for (i = 0; i < h->n_series; i++) {
        const pr_history_series *s = &h->series[i];
        for (j = 0; j < s->n_points; j++) {
            const pr_history_point *p = &s->points[j];
            const pr_run *run = point_run(h, p);
            int present = point_present(p);

            csv_untrusted(out, &scratch, series_name(s));
            pr_strbuf_addf(out, ",%zu,", p->run);
            csv_untrusted(out, &scratch, run ? run->git.commit : NULL);
            pr_strbuf_addch(out, ',');
            if (run && run->git.dirty >= 0)
                pr_strbuf_addf(out, "%d", run->git.dirty == 1);
            pr_strbuf_addch(out, ',');
            csv_untrusted(out, &scratch, run ? run->context.date : NULL);
            pr_strbuf_addf(out, ",%s", stat_name(h));
            csv_number(out, present, p->value);
            csv_number(out, present, isfinite(p->q1) ? p->q1 : p->value);
            csv_number(out, present, isfinite(p->q3) ? p->q3 : p->value);
            csv_number(out, present && p->has_change, p->change);
            pr_strbuf_adds(out, present ? (p->step ? ",1" : ",0") : ",");
            csv_number(out, present && p->step, p->step_change);
            pr_strbuf_addch(out, ',');
            csv_untrusted(out, &scratch,
                          h->sources && p->run < h->n_runs ? h->sources[p->run] : NULL);
            pr_strbuf_addch(out, '\n');
        }
    }
    err = pr_strbuf_error(out);
    if (!err)
        err = pr_strbuf_error(&scratch);
    pr_strbuf_release(&scratch);
    return err ? pr_error_set(err, "out of memory") : 0;
}

/* ---- history as HTML ---- */

/* V with DECIMALS decimals and '.' as the decimal point whatever the
 * locale: SVG coordinates and tick labels. */
static void fixed_number(char *buf, size_t size, double v, int decimals)
{
    const char *point = localeconv()->decimal_point;
    char *p;

    snprintf(buf, size, "%.*f", decimals, v);
    if (point[0] != '.' && point[0] != '\0' && point[1] == '\0')
        for (p = buf; *p; p++)
            if (*p == point[0])
                *p = '.';
}

/* " NAME=\"V\"" with V to one decimal. */
static void svg_attr(pr_strbuf *out, const char *name, double v)
{
    char buf[48];

    fixed_number(buf, sizeof buf, v, 1);
    pr_strbuf_addf(out, " %s=\"%s\"", name, buf);
}

/* "X,Y " */
static void svg_point(pr_strbuf *out, double x, double y)
{
    char bx[48], by[48];

    fixed_number(bx, sizeof bx, x, 1);
    fixed_number(by, sizeof by, y, 1);
    pr_strbuf_addf(out, "%s,%s ", bx, by);
}

/* Drops the space svg_point left after the last point of a list. */
static void svg_end_points(pr_strbuf *out)
{
    if (!out->failed && out->len > 0 && out->buf[out->len - 1] == ' ')
        out->buf[--out->len] = '\0';
    pr_strbuf_adds(out, "\"");
}

/* The y axis of a chart: ticks from lo to hi every step, labelled in one
 * unit (DIV of them to the statistic's own) with DECIMALS decimals. */
typedef struct chart_axis {
    double lo, hi, step;
    double div;
    const char *unit;
    const char *sep; /* between the number and the unit */
    int decimals;
} chart_axis;

static void axis_include(double *lo, double *hi, double v)
{
    if (!isfinite(v))
        return;
    *lo = fmin(*lo, v);
    *hi = fmax(*hi, v);
}

/* Round ticks around every value, quartile and the baseline of S, about
 * five of them, in the unit the text report would choose for the largest.
 * Sizes (memory) go up in steps of 1024, so their ticks are made round in
 * the unit chosen, not in bytes. */
static void chart_axis_init(chart_axis *ax, const pr_history_series *s, pr_metric m)
{
    static const char *const time_units[] = {"ns", "\xc2\xb5s", "ms", "s"};
    static const char *const rate_units[] = {"/s", "k/s", "M/s", "G/s"};
    static const char *const alloc_units[] = {"/iter", "k/iter", "M/iter", "G/iter"};
    static const char *const size_units[] = {"B", "KiB", "MiB", "GiB"};
    double lo = INFINITY, hi = -INFINITY, pad, raw, mag, f, top, unit_step, size_div = 1;
    int nonnegative, u;
    size_t i;

    for (i = 0; i < s->n_points; i++) {
        const pr_history_point *p = &s->points[i];
        if (!point_present(p))
            continue;
        axis_include(&lo, &hi, p->value);
        axis_include(&lo, &hi, p->q1);
        axis_include(&lo, &hi, p->q3);
    }
    if (s->has_baseline)
        axis_include(&lo, &hi, s->baseline_value);
    if (!(lo <= hi)) {
        lo = 0;
        hi = 1;
    }
    nonnegative = lo >= 0;
    pad = hi - lo > fabs(hi) * 1e-9 ? (hi - lo) * 0.08 : (lo != 0 ? fabs(lo) * 0.05 : 1);
    lo -= pad;
    hi += pad;
    if (nonnegative && lo < 0)
        lo = 0;
    if (m == PR_METRIC_MEMORY) {
        top = fmax(fabs(lo), fabs(hi));
        for (u = 0; u < 3 && top / size_div >= 1024; u++)
            size_div *= 1024;
        lo /= size_div;
        hi /= size_div;
    }
    raw = (hi - lo) / 5;
    mag = pow(10, floor(log10(raw)));
    f = raw / mag;
    ax->step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    ax->lo = floor(lo / ax->step) * ax->step;
    ax->hi = ceil(hi / ax->step) * ax->step;
    top = fmax(fabs(ax->lo), fabs(ax->hi));
    if (m == PR_METRIC_MEMORY) {
        /* back to bytes, labelled in the unit chosen above */
        ax->step *= size_div;
        ax->lo *= size_div;
        ax->hi *= size_div;
        ax->div = size_div;
        ax->unit = size_units[u];
        ax->sep = " ";
    } else {
        for (u = 0, ax->div = 1; u < 3 && top / ax->div >= 1000; u++)
            ax->div *= 1000;
        ax->unit = m == PR_METRIC_OPS      ? rate_units[u]
                   : m == PR_METRIC_ALLOCS ? alloc_units[u]
                                           : time_units[u];
        ax->sep = m == PR_METRIC_OPS || m == PR_METRIC_ALLOCS ? "" : " ";
    }
    unit_step = ax->step / ax->div;
    ax->decimals = unit_step >= 1 ? 0 : (int)ceil(-log10(unit_step) - 1e-9);
    if (ax->decimals > 9)
        ax->decimals = 9;
}

/* "12.5 ms", "1.25M/s" */
static void axis_label(char *buf, size_t size, const chart_axis *ax, double v)
{
    char num[48];

    if (fabs(v) < ax->step * 1e-9)
        v = 0; /* never "-0.0" */
    fixed_number(num, sizeof num, v / ax->div, ax->decimals);
    snprintf(buf, size, "%s%s%s", num, ax->sep, ax->unit);
}

typedef struct chart {
    pr_strbuf *out;
    pr_strbuf *scratch;
    const pr_history *h;
    const pr_history_series *s;
    chart_axis ax;
    double x0, x1, y0, y1; /* the plot area */
} chart;

static double chart_x(const chart *c, size_t i)
{
    size_t n = c->s->n_points;

    if (n < 2)
        return (c->x0 + c->x1) / 2;
    return c->x0 + CHART_PAD + (c->x1 - c->x0 - 2 * CHART_PAD) * (double)i / (double)(n - 1);
}

static double chart_y(const chart *c, double v)
{
    return c->y1 - (v - c->ax.lo) / (c->ax.hi - c->ax.lo) * (c->y1 - c->y0);
}

/* The next stretch [*A, *B) of present points at or after *I; 0 when none
 * is left. */
static int next_segment(const pr_history_series *s, size_t *i, size_t *a, size_t *b)
{
    while (*i < s->n_points && !point_present(&s->points[*i]))
        (*i)++;
    if (*i >= s->n_points)
        return 0;
    *a = *i;
    while (*i < s->n_points && point_present(&s->points[*i]))
        (*i)++;
    *b = *i;
    return 1;
}

static double quartile(const pr_history_point *p, int upper)
{
    double q = upper ? p->q3 : p->q1;
    return isfinite(q) ? q : p->value;
}

/* The plot area, the horizontal grid with its labels, the axes and their
 * titles. */
static void chart_frame(chart *c)
{
    pr_strbuf *out = c->out;
    char label[64];
    double t;
    size_t k;

    pr_strbuf_adds(out, "<rect class=\"plot\"");
    svg_attr(out, "x", c->x0);
    svg_attr(out, "y", c->y0);
    svg_attr(out, "width", c->x1 - c->x0);
    svg_attr(out, "height", c->y1 - c->y0);
    pr_strbuf_adds(out, "/>\n");
    for (k = 0; k < CHART_MAX_TICKS; k++) {
        t = c->ax.lo + (double)k * c->ax.step;
        if (t > c->ax.hi + c->ax.step * 1e-6)
            break;
        pr_strbuf_adds(out, "<line class=\"grid\"");
        svg_attr(out, "x1", c->x0);
        svg_attr(out, "x2", c->x1);
        svg_attr(out, "y1", chart_y(c, t));
        svg_attr(out, "y2", chart_y(c, t));
        pr_strbuf_adds(out, "/>\n<text class=\"tick\" text-anchor=\"end\"");
        svg_attr(out, "x", c->x0 - 6);
        svg_attr(out, "y", chart_y(c, t) + 4);
        axis_label(label, sizeof label, &c->ax, t);
        pr_strbuf_addf(out, ">%s</text>\n", label);
    }
    pr_strbuf_adds(out, "<polyline class=\"axis\" fill=\"none\" points=\"");
    svg_point(out, c->x0, c->y0);
    svg_point(out, c->x0, c->y1);
    svg_point(out, c->x1, c->y1);
    svg_end_points(out);
    pr_strbuf_adds(out, "/>\n<text class=\"axis-title\" text-anchor=\"middle\" "
                        "transform=\"rotate(-90)\"");
    svg_attr(out, "x", -(c->y0 + c->y1) / 2);
    svg_attr(out, "y", 14);
    pr_strbuf_addf(out, ">%s (%s)</text>\n", stat_name(c->h), c->ax.unit);
    pr_strbuf_adds(out, "<text class=\"axis-title\" text-anchor=\"middle\"");
    svg_attr(out, "x", (c->x0 + c->x1) / 2);
    svg_attr(out, "y", CHART_H - 6);
    pr_strbuf_adds(out, ">commit, oldest \xe2\x86\x92 newest</text>\n");
}

/* The q1-q3 band of each stretch of present points; a lone point gets a
 * narrow box. */
static void chart_bands(chart *c)
{
    pr_strbuf *out = c->out;
    size_t i = 0, a, b, j;

    while (next_segment(c->s, &i, &a, &b)) {
        pr_strbuf_adds(out, "<polygon class=\"band\" points=\"");
        if (b - a == 1) {
            const pr_history_point *p = &c->s->points[a];
            double x = chart_x(c, a);
            svg_point(out, x - 5, chart_y(c, quartile(p, 1)));
            svg_point(out, x + 5, chart_y(c, quartile(p, 1)));
            svg_point(out, x + 5, chart_y(c, quartile(p, 0)));
            svg_point(out, x - 5, chart_y(c, quartile(p, 0)));
        } else {
            for (j = a; j < b; j++)
                svg_point(out, chart_x(c, j), chart_y(c, quartile(&c->s->points[j], 1)));
            for (j = b; j-- > a;)
                svg_point(out, chart_x(c, j), chart_y(c, quartile(&c->s->points[j], 0)));
        }
        svg_end_points(out);
        pr_strbuf_adds(out, "/>\n");
    }
}

static void chart_baseline(chart *c)
{
    pr_strbuf *out = c->out;
    char value[40];
    double y;

    if (!c->s->has_baseline || !isfinite(c->s->baseline_value))
        return;
    y = chart_y(c, c->s->baseline_value);
    format_value(value, sizeof value, c->h->stat, c->s->baseline_value, 1);
    pr_strbuf_adds(out, "<line class=\"baseline\" stroke-dasharray=\"6 4\"");
    svg_attr(out, "x1", c->x0);
    svg_attr(out, "x2", c->x1);
    svg_attr(out, "y1", y);
    svg_attr(out, "y2", y);
    pr_strbuf_addf(out, "><title>baseline: %s</title></line>\n", value);
    pr_strbuf_adds(out, "<text class=\"baseline-label\"");
    svg_attr(out, "x", c->x1 + 4);
    svg_attr(out, "y", y + 4);
    pr_strbuf_addf(out, ">baseline<title>baseline: %s</title></text>\n", value);
}

/* A dashed line down the plot at each step, its move and commit at the
 * top. */
static void chart_step_lines(chart *c)
{
    pr_strbuf *out = c->out;
    char change[40];
    size_t j;

    for (j = 0; j < c->s->n_points; j++) {
        const pr_history_point *p = &c->s->points[j];
        double x = chart_x(c, j);
        if (!p->step || !point_present(p))
            continue;
        int right = x > (c->x0 + c->x1) / 2 + 120;
        const pr_run *run = point_run(c->h, p);
        char id[16];

        format_change(change, sizeof change, p->step_change);
        pr_strbuf_adds(out, "<line class=\"step-line\" stroke-dasharray=\"3 3\"");
        svg_attr(out, "x1", x);
        svg_attr(out, "x2", x);
        svg_attr(out, "y1", c->y0);
        svg_attr(out, "y2", c->y1);
        /* the commit too: with many runs its own label may be left out */
        pr_strbuf_addf(out, "/>\n<text class=\"step-label\" text-anchor=\"%s\"",
                       right ? "end" : "start");
        svg_attr(out, "x", right ? x - 4 : x + 4);
        svg_attr(out, "y", c->y0 + 12);
        pr_strbuf_addf(out, ">step %s", change);
        commit_id(id, sizeof id, run ? &run->git : NULL);
        if (id[0]) {
            pr_strbuf_adds(out, " at ");
            html_untrusted(out, c->scratch, id, 7, 0);
        }
        pr_strbuf_adds(out, "</text>\n");
    }
}

/* One polyline per stretch of present points: absent points are gaps. */
static void chart_lines(chart *c)
{
    pr_strbuf *out = c->out;
    size_t i = 0, a, b, j;

    while (next_segment(c->s, &i, &a, &b)) {
        pr_strbuf_adds(out, "<polyline class=\"line\" fill=\"none\" points=\"");
        for (j = a; j < b; j++)
            svg_point(out, chart_x(c, j), chart_y(c, c->s->points[j].value));
        svg_end_points(out);
        pr_strbuf_adds(out, "/>\n");
    }
}

/* The tooltip of point P: "4d5e6f7 Subject\n2026-11-22 08:00\nmedian
 * 8.541 ms (q1 8.498 ms, q3 8.584 ms), +29.6% vs previous". */
static void chart_point_title(chart *c, const pr_history_point *p)
{
    pr_strbuf *out = c->out;
    const pr_run *run = point_run(c->h, p);
    char id[16], date[128], buf[48];

    pr_strbuf_adds(out, "<title>");
    commit_id(id, sizeof id, run ? &run->git : NULL);
    if (id[0]) {
        html_untrusted(out, c->scratch, id, 7, 0);
        if (run->git.dirty == 1)
            pr_strbuf_adds(out, " (uncommitted changes)");
    } else {
        pr_strbuf_addf(out, "run %zu, no commit", p->run + 1);
    }
    if (run && run->git.subject) {
        pr_strbuf_addch(out, ' ');
        html_untrusted(out, c->scratch, run->git.subject, HIST_SUBJECT_W, 0);
    }
    pr_strbuf_addch(out, '\n');
    short_date(date, sizeof date, run ? run->context.date : NULL, " ");
    html_untrusted(out, c->scratch, date, HIST_DATE_W, 0);
    pr_strbuf_addf(out, "\n%s ", stat_name(c->h));
    if (!point_present(p)) {
        pr_strbuf_adds(out, "not measured</title>");
        return;
    }
    format_value(buf, sizeof buf, c->h->stat, p->value, 1);
    pr_strbuf_adds(out, buf);
    if (p->q1 != p->value || p->q3 != p->value) {
        format_value(buf, sizeof buf, c->h->stat, quartile(p, 0), 1);
        pr_strbuf_addf(out, " (q1 %s, ", buf);
        format_value(buf, sizeof buf, c->h->stat, quartile(p, 1), 1);
        pr_strbuf_addf(out, "q3 %s)", buf);
    }
    if (p->has_change) {
        format_change(buf, sizeof buf, p->change);
        pr_strbuf_addf(out, ", %s vs previous", buf);
    }
    pr_strbuf_adds(out, "</title>");
}

/* A dot with its tooltip per present point; a triangle pointing the way
 * the level moved on each step. */
static void chart_points(chart *c)
{
    pr_strbuf *out = c->out;
    char change[40];
    size_t j;

    for (j = 0; j < c->s->n_points; j++) {
        const pr_history_point *p = &c->s->points[j];
        double x = chart_x(c, j), y;
        if (!point_present(p))
            continue;
        y = chart_y(c, p->value);
        pr_strbuf_adds(out, "<circle class=\"pt\" r=\"3.5\"");
        svg_attr(out, "cx", x);
        svg_attr(out, "cy", y);
        pr_strbuf_adds(out, ">");
        chart_point_title(c, p);
        pr_strbuf_adds(out, "</circle>\n");
        if (!p->step)
            continue;
        pr_strbuf_adds(out, "<polygon class=\"step\" points=\"");
        if (p->step_change >= 0) {
            svg_point(out, x, y - 9);
            svg_point(out, x + 8, y + 6);
            svg_point(out, x - 8, y + 6);
        } else {
            svg_point(out, x, y + 9);
            svg_point(out, x + 8, y - 6);
            svg_point(out, x - 8, y - 6);
        }
        svg_end_points(out);
        format_change(change, sizeof change, p->step_change);
        pr_strbuf_addf(out, "><title>step %s (%s)</title></polygon>\n", change,
                       direction_word(c->h->stat, p->step_change));
    }
}

/* The short commit of every run, or of every k-th counted back from the
 * newest when there are too many to read. */
static void chart_commit_labels(chart *c)
{
    pr_strbuf *out = c->out;
    size_t n = c->s->n_points, every = (n + CHART_MAX_LABELS - 1) / CHART_MAX_LABELS, j;
    char id[16], at[96], bx[48], by[48];

    if (every == 0)
        every = 1;
    for (j = 0; j < n; j++) {
        const pr_history_point *p = &c->s->points[j];
        const pr_run *run = point_run(c->h, p);
        if ((n - 1 - j) % every != 0)
            continue;
        fixed_number(bx, sizeof bx, chart_x(c, j), 1);
        fixed_number(by, sizeof by, c->y1 + 14, 1);
        snprintf(at, sizeof at, "%s %s", bx, by);
        pr_strbuf_addf(out,
                       "<text class=\"commit%s\" text-anchor=\"end\" x=\"%s\" y=\"%s\" "
                       "transform=\"rotate(-40 %s)\">",
                       point_present(p) ? "" : " absent", bx, by, at);
        commit_id(id, sizeof id, run ? &run->git : NULL);
        if (id[0]) {
            html_untrusted(out, c->scratch, id, 7, 0);
            if (run->git.dirty == 1)
                pr_strbuf_addch(out, '*');
        } else {
            pr_strbuf_addf(out, "run %zu", p->run + 1);
        }
        if (!point_present(p))
            pr_strbuf_adds(out, "<title>not measured in this run</title>");
        pr_strbuf_adds(out, "</text>\n");
    }
}

static void html_chart(pr_strbuf *out, pr_strbuf *scratch, const pr_history *h,
                       const pr_history_series *s)
{
    chart c;

    c.out = out;
    c.scratch = scratch;
    c.h = h;
    c.s = s;
    chart_axis_init(&c.ax, s, h->stat);
    c.x0 = CHART_L;
    c.x1 = CHART_W - CHART_R;
    c.y0 = CHART_T;
    c.y1 = CHART_H - CHART_B;

    pr_strbuf_adds(out, "<svg class=\"perfreg-chart\" data-benchmark=\"");
    html_untrusted(out, scratch, series_name(s), SIZE_MAX, 1);
    pr_strbuf_addf(out, "\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s of ", CHART_W,
                   CHART_H, stat_name(h));
    html_untrusted(out, scratch, series_name(s), SIZE_MAX, 1);
    pr_strbuf_adds(out, " by commit\">\n");
    chart_frame(&c);
    if (newest_present(s) == SIZE_MAX) {
        /* tests/html_check.py accepts this in place of the polyline */
        pr_strbuf_adds(out, "<text class=\"no-data\" text-anchor=\"middle\"");
        svg_attr(out, "x", (c.x0 + c.x1) / 2);
        svg_attr(out, "y", (c.y0 + c.y1) / 2);
        pr_strbuf_adds(out, ">not measured in these runs</text>\n");
    }
    chart_bands(&c);
    chart_baseline(&c);
    chart_step_lines(&c);
    chart_lines(&c);
    chart_points(&c);
    chart_commit_labels(&c);
    pr_strbuf_adds(out, "</svg>\n");
}

/* "newest 8.560 ms, +0.2% vs previous, +30.7% vs baseline 6.550 ms" */
static void html_series_meta(pr_strbuf *out, const pr_history *h, const pr_history_series *s)
{
    size_t newest = newest_present(s);
    char buf[48];

    pr_strbuf_adds(out, "<p class=\"meta\">");
    if (newest == SIZE_MAX) {
        pr_strbuf_adds(out, "not measured in these runs");
    } else {
        format_value(buf, sizeof buf, h->stat, s->points[newest].value, 1);
        pr_strbuf_addf(out, "newest %s", buf);
        if (s->points[newest].has_change) {
            format_change(buf, sizeof buf, s->points[newest].change);
            pr_strbuf_addf(out, ", %s vs previous", buf);
        }
    }
    if (s->has_baseline && isfinite(s->baseline_value)) {
        format_value(buf, sizeof buf, h->stat, s->baseline_value, 1);
        pr_strbuf_addf(out, "; baseline %s", buf);
        if (s->has_baseline_change) {
            format_change(buf, sizeof buf, s->baseline_change);
            pr_strbuf_addf(out, " (newest %s)", buf);
        }
    }
    pr_strbuf_adds(out, "</p>\n");
}

static const char html_style[] =
    "body{font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:#1f2328;"
    "background:#fff;max-width:980px;margin:1.5em auto;padding:0 1em}\n"
    "h1{font-size:1.5em;border-bottom:1px solid #d0d7de;padding-bottom:.3em}\n"
    "h2{font-size:1.15em;margin:1.6em 0 .2em}\n"
    "code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.95em}\n"
    "dl.summary{display:grid;grid-template-columns:max-content auto;gap:.15em 1em;margin:0}\n"
    "dl.summary dt{font-weight:600}dl.summary dd{margin:0}\n"
    ".legend,.meta{color:#57606a;margin:.2em 0}\n"
    "figure{margin:.4em 0 0}\n"
    ".perfreg-chart{display:block;width:100%;height:auto;max-width:760px}\n"
    ".perfreg-chart text{font-size:11px;fill:#57606a}\n"
    ".perfreg-chart .plot{fill:#f6f8fa}\n"
    ".perfreg-chart .grid{stroke:#d8dee4;stroke-width:1}\n"
    ".perfreg-chart .axis{stroke:#57606a;stroke-width:1}\n"
    ".perfreg-chart .axis-title{font-size:12px;fill:#24292f}\n"
    ".perfreg-chart .band{fill:#0969da;fill-opacity:.16;stroke:none}\n"
    ".perfreg-chart .line{stroke:#0969da;stroke-width:2}\n"
    ".perfreg-chart .pt{fill:#0969da;stroke:#fff;stroke-width:1}\n"
    ".perfreg-chart .baseline{stroke:#8250df;stroke-width:1.5}\n"
    ".perfreg-chart .baseline-label{fill:#8250df}\n"
    ".perfreg-chart .step{fill:#cf222e;stroke:#fff;stroke-width:1}\n"
    ".perfreg-chart .step-line{stroke:#cf222e;stroke-width:1;opacity:.55}\n"
    ".perfreg-chart .step-label{fill:#cf222e;font-weight:600}\n"
    ".perfreg-chart .commit{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}\n"
    ".perfreg-chart .absent{fill:#afb8c1}\n";

/* <dt>LABEL</dt><dd>TEXT from a file</dd> */
static void html_summary_item(pr_strbuf *out, pr_strbuf *scratch, const char *label,
                              const char *text)
{
    pr_strbuf_addf(out, "<dt>%s</dt><dd>", label);
    html_untrusted(out, scratch, text, MISMATCH_W, 0);
    pr_strbuf_adds(out, "</dd>\n");
}

static void html_steps(pr_strbuf *out, pr_strbuf *scratch, const pr_history *h)
{
    char change[40], id[16], date[128];
    size_t i, j;

    pr_strbuf_adds(out, "<h2>Step changes</h2>\n<ul>\n");
    for (i = 0; i < h->n_series; i++) {
        const pr_history_series *s = &h->series[i];
        for (j = 0; j < s->n_points; j++) {
            const pr_history_point *p = &s->points[j];
            const pr_run *run = point_run(h, p);
            if (!p->step || !point_present(p))
                continue;
            format_change(change, sizeof change, p->step_change);
            pr_strbuf_adds(out, "<li><code>");
            html_untrusted(out, scratch, series_name(s), MD_NAME_W, 1);
            pr_strbuf_addf(out, "</code>: %s (%s) at ", change,
                           direction_word(h->stat, p->step_change));
            commit_id(id, sizeof id, run ? &run->git : NULL);
            if (id[0]) {
                pr_strbuf_adds(out, "<code>");
                html_untrusted(out, scratch, id, 7, 0);
                pr_strbuf_adds(out, run->git.dirty == 1 ? "*</code>" : "</code>");
            } else {
                pr_strbuf_addf(out, "run %zu", p->run + 1);
            }
            if (run && run->context.date) {
                short_date(date, sizeof date, run->context.date, " ");
                pr_strbuf_adds(out, " (");
                html_untrusted(out, scratch, date, HIST_DATE_W, 0);
                pr_strbuf_adds(out, ")");
            }
            pr_strbuf_adds(out, "</li>\n");
        }
    }
    pr_strbuf_addf(out,
                   "</ul>\n<p class=\"legend\">A step: the %s moved by more than %.0f%% and by "
                   "more than the noise of the runs around it, and stayed there.</p>\n",
                   stat_phrase(h), h->step_threshold * 100);
}

int pr_report_history_html(pr_strbuf *out, const pr_history *h)
{
    pr_strbuf scratch = PR_STRBUF_INIT;
    char text[256], id[16];
    size_t i;
    int err;

    if (!out || !h)
        return pr_error_set(PR_EINVALID, "cannot render a history without one and a buffer");
    pr_strbuf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                        "<title>perfreg history");
    if (history_suite(h)) {
        pr_strbuf_adds(out, ": ");
        html_untrusted(out, &scratch, history_suite(h), MD_NAME_W, 0);
    }
    pr_strbuf_addf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", html_style);
    pr_strbuf_adds(out, "<h1>Performance benchmark history</h1>\n<dl class=\"summary\">\n");
    html_summary_item(out, &scratch, "Suite", history_suite(h) ? history_suite(h) : "unknown");
    html_summary_item(out, &scratch, "Statistic", stat_name(h));
    runs_text(text, sizeof text, h);
    html_summary_item(out, &scratch, "Runs", text);
    html_summary_item(out, &scratch, "Machine", history_machine(h));
    if (h->baseline) {
        pr_strbuf_adds(out, "<dt>Baseline</dt><dd>");
        commit_id(id, sizeof id, &h->baseline->git);
        if (id[0]) {
            pr_strbuf_adds(out, "<code>");
            html_untrusted(out, &scratch, id, 7, 0);
            pr_strbuf_adds(out, "</code>");
        } else {
            pr_strbuf_adds(out, "no commit");
        }
        if (h->baseline->context.date) {
            short_date(text, sizeof text, h->baseline->context.date, " ");
            pr_strbuf_adds(out, ", ");
            html_untrusted(out, &scratch, text, HIST_DATE_W, 0);
        }
        pr_strbuf_adds(out, "</dd>\n");
    }
    pr_strbuf_adds(out, "</dl>\n");

    if (h->n_series == 0) {
        pr_strbuf_adds(out, "<p>" NO_BENCHMARKS "</p>\n");
    } else {
        pr_strbuf_addf(out,
                       "<p class=\"legend\">Each chart: the %s of every run, oldest first "
                       "(gaps where a run did not measure the benchmark); the band spans the "
                       "middle half of the samples (q1 to q3); the dashed line is the baseline; "
                       "red triangles mark step changes. Hover a point for its commit.%s</p>\n",
                       stat_name(h),
                       any_dirty(h) ? " A commit marked * had uncommitted changes." : "");
        if (count_steps(h) > 0)
            html_steps(out, &scratch, h);
    }
    for (i = 0; i < h->n_series; i++) {
        const pr_history_series *s = &h->series[i];
        pr_strbuf_adds(out, "<section class=\"benchmark\">\n<h2><code>");
        html_untrusted(out, &scratch, series_name(s), MD_NAME_W, 1);
        pr_strbuf_adds(out, "</code></h2>\n");
        html_series_meta(out, h, s);
        pr_strbuf_adds(out, "<figure>\n");
        html_chart(out, &scratch, h, s);
        pr_strbuf_adds(out, "</figure>\n</section>\n");
    }
    pr_strbuf_adds(out, "</body>\n</html>\n");

    err = pr_strbuf_error(out);
    if (!err)
        err = pr_strbuf_error(&scratch);
    pr_strbuf_release(&scratch);
    return err ? pr_error_set(err, "out of memory") : 0;
}
