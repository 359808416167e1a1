/*
 * report.c - renders a run as the fixed-width text report of report.h.
 *
 * Every string that came from a file or from git goes through one walker
 * that escapes, measures and clips it, so what is written and the width it
 * was laid out with cannot disagree. Writing the text anywhere is the CLI's
 * job; this module only appends to a buffer.
 */
#include <math.h>
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

/* A "Label:     value" line, the value shortened at its end to fit. */
static void add_field(pr_strbuf *out, const char *label, const char *value, int utf8)
{
    pr_strbuf_addf(out, "%-*s", LABEL_W, label);
    add_clipped(out, value ? value : "unknown", utf8, VALUE_W, 0);
    pr_strbuf_addch(out, '\n');
}

/* "1a2b3c4 (main-dirty) Fix the parser": the subject gives way first. The
 * composing buffers are big enough that what snprintf may cut off lies far
 * beyond the columns shown. */
static void add_commit(pr_strbuf *out, const pr_git_info *git, int utf8)
{
    char head[512];
    size_t used;

    if (!git->commit) {
        add_field(out, "Commit:", git->branch ? "(no commits yet)" : "not a git repository", utf8);
        return;
    }
    if (git->short_commit)
        snprintf(head, sizeof head, "%s", git->short_commit);
    else
        snprintf(head, sizeof head, "%.7s", git->commit);
    if (git->branch || git->dirty == 1) {
        size_t len = strlen(head);
        snprintf(head + len, sizeof head - len, " (%s%s)", git->branch ? git->branch : "",
                 git->dirty != 1 ? ""
                 : git->branch   ? "-dirty"
                                 : "dirty");
    }
    pr_strbuf_addf(out, "%-*s", LABEL_W, "Commit:");
    used = add_clipped(out, head, utf8, VALUE_W, 0);
    if (git->subject && used + 1 + MIN_CLIP_W <= VALUE_W) {
        pr_strbuf_addch(out, ' ');
        add_clipped(out, git->subject, utf8, VALUE_W - used - 1, 0);
    }
    pr_strbuf_addch(out, '\n');
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

static int is_noisy(const pr_result *r)
{
    return has_numbers(r) && r->stats.cv > NOISY_CV;
}

static void add_result_row(pr_strbuf *out, const pr_result *r, int utf8)
{
    char buf[40];
    size_t used = add_clipped(out, result_name(r), utf8, NAME_W, 1);

    if (!has_numbers(r)) {
        const char *why = r->status != PR_STATUS_OK ? "FAILED: " : "";
        const char *reason =
            r->status != PR_STATUS_OK ? (r->error ? r->error : "no reason given") : "no samples";
        add_spaces(out, NAME_W - used + 2);
        pr_strbuf_adds(out, why);
        add_clipped(out, reason, utf8, PR_REPORT_WIDTH - NAME_W - 2 - strlen(why), 0);
        pr_strbuf_addch(out, '\n');
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
    int utf8 = opt ? opt->utf8 : 0;

    if (!out || !run)
        return pr_error_set(PR_EINVALID, "cannot render a report without a run and a buffer");
    add_rule(out, '=');
    pr_strbuf_adds(out, "PERFORMANCE BENCHMARK REPORT\n");
    add_rule(out, '=');
    add_field(out, "Suite:", run->suite, utf8);
    add_field(out, "Date:", run->context.date, utf8);
    add_commit(out, &run->git, utf8);
    add_compiler(out, &run->context, utf8);
    add_machine(out, &run->context, utf8);
    add_clock(out, &run->context, utf8);
    add_results(out, run, utf8);
    add_throughput(out, run, utf8);
    add_notes(out, run, utf8);
    add_rule(out, '=');
    return pr_strbuf_error(out);
}
