/*
 * test_report_history.c - unit tests of the history renderers: the text
 * report (UTF-8 and ASCII), Markdown, CSV and HTML of one hand-built history
 * compared with golden files in tests/data, and the properties every output
 * keeps whatever the data: lines within 80 columns, a Markdown table with
 * the same number of cells in every row, RFC 4180 quoting, an HTML page
 * with no script, no URL and one chart per benchmark.
 *
 * The history is built by hand, not by pr_history_build, so that these
 * tests say how a given history renders, not how it is reached: runs are
 * made with pr_run_init, series and points are filled directly, steps and
 * changes are set, not detected.
 *
 * The golden files are read from the directory given as argv[1], else from
 * PR_TEST_DATA_DIR. With PERFREG_UPDATE_GOLDEN=1 the test rewrites them
 * instead of comparing; read the diff before committing it. The HTML golden
 * file is the page tests/html_check.py renders in headless Chromium.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "error.h"
#include "history.h"
#include "report.h"
#include "run.h"
#include "strbuf.h"
#include "banned.h"

#ifndef PR_TEST_DATA_DIR
#define PR_TEST_DATA_DIR "tests/data"
#endif

static const char *golden_dir = PR_TEST_DATA_DIR;

#define N_RUNS 5
#define ESC_NAME "term/\x1b[31m<b>&'|\"red,x\""
#define MACHINE "AMD EPYC 7B13 64-Core Processor, 4 cores, Linux x86_64, gcc 12.2.0, Release"

/* ---- building the history ---- */

static char *xdup(const char *s)
{
    char *p = pr_strdup(s);
    CHECK(p != NULL);
    return p;
}

static void set_run(pr_run *run, const char *commit, int dirty, const char *subject,
                    const char *date)
{
    char short_commit[8];

    pr_run_init(run);
    run->suite = xdup("perfreg_bench");
    snprintf(short_commit, sizeof short_commit, "%.7s", commit);
    run->git.commit = xdup(commit);
    run->git.short_commit = xdup(short_commit);
    run->git.branch = xdup("main");
    run->git.dirty = dirty;
    run->git.subject = xdup(subject);
    run->context.date = xdup(date);
}

/* A series of N points from VALUES (NaN: absent), each point's band 1%
 * around it and its change against the previous present point. */
static void set_series(pr_history_series *s, const char *name, const double *values, size_t n)
{
    double previous = NAN;
    size_t i;

    memset(s, 0, sizeof *s);
    s->name = xdup(name);
    s->points = calloc(n, sizeof *s->points);
    CHECK(s->points != NULL);
    if (!s->points)
        return;
    s->n_points = n;
    for (i = 0; i < n; i++) {
        pr_history_point *p = &s->points[i];
        p->run = i;
        if (isnan(values[i]))
            continue;
        p->present = 1;
        p->value = values[i];
        p->q1 = values[i] * 0.99;
        p->q3 = values[i] * 1.01;
        if (!isnan(previous)) {
            p->has_change = 1;
            p->change = values[i] / previous - 1;
        }
        previous = values[i];
    }
}

typedef struct fixture {
    pr_history h;
    pr_run baseline;
} fixture;

static void alloc_runs(fixture *f, size_t n)
{
    f->h.runs = calloc(n, sizeof *f->h.runs);
    f->h.sources = calloc(n, sizeof *f->h.sources);
    CHECK(f->h.runs != NULL && f->h.sources != NULL);
    f->h.n_runs = n;
}

/*
 * Five runs at five commits, the second one dirty; three benchmarks: one
 * with a 30% step at the fourth run and a baseline, one absent from the
 * first two runs, one with a hostile name (an escape sequence, '<', '&',
 * '\'', '|', '"', ',') and a gap in the middle, crossing from ns to µs.
 */
static void build_fixture(fixture *f)
{
    static const char *const commits[N_RUNS] = {
        "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d", "2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e",
        "3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f", "4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70",
        "5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081"};
    static const char *const subjects[N_RUNS] = {
        "Add the benchmark suite", "Tune the allocator (work in progress)",
        "Parse numbers without strtod", "Switch the sort to a <stable> merge sort & co",
        "Document the history command"};
    static const char *const dates[N_RUNS] = {"2026-11-19T08:00:00Z", "2026-11-20T08:10:00Z",
                                              "2026-11-21T09:30:00Z", "2026-11-22T10:45:00Z",
                                              "2026-11-23T08:35:00Z"};
    static const double qsort[N_RUNS] = {6.571e6, 6.602e6, 6.588e6, 8.541e6, 8.560e6};
    static const double malloc_free[N_RUNS] = {NAN, NAN, 41.70, 42.13, 41.92};
    static const double term[N_RUNS] = {1001.0, 998.2, NAN, 1010.5, 995.1};
    char source[128];
    size_t i;

    memset(f, 0, sizeof *f);
    alloc_runs(f, N_RUNS);
    for (i = 0; f->h.runs && i < N_RUNS; i++) {
        set_run(&f->h.runs[i], commits[i], i == 1, subjects[i], dates[i]);
        snprintf(source, sizeof source, ".perfreg/runs/perfreg_bench/%04zu_%.7s.json", i + 1,
                 commits[i]);
        f->h.sources[i] = xdup(i == N_RUNS - 1 ? "notes:5e6f708,\"merged\"" : source);
    }
    set_run(&f->baseline, "0a1b2c3d4e5f60718293a4b5c6d7e8f901a2b3c4", 0, "Release 1.0",
            "2026-11-18T07:00:00Z");

    f->h.series = calloc(3, sizeof *f->h.series);
    CHECK(f->h.series != NULL);
    if (!f->h.series)
        return;
    f->h.n_series = 3;
    set_series(&f->h.series[0], "classic/qsort_100k", qsort, N_RUNS);
    f->h.series[0].points[3].step = 1;
    f->h.series[0].points[3].step_change = 0.30;
    f->h.series[0].has_baseline = 1;
    f->h.series[0].baseline_value = 6.55e6;
    f->h.series[0].has_baseline_change = 1;
    f->h.series[0].baseline_change = 8.560e6 / 6.55e6 - 1;
    set_series(&f->h.series[1], "alloc/malloc_free_64", malloc_free, N_RUNS);
    set_series(&f->h.series[2], ESC_NAME, term, N_RUNS);

    f->h.stat = PR_METRIC_MEDIAN;
    f->h.n_other_machine = 2;
    f->h.machine = xdup(MACHINE);
    f->h.baseline = &f->baseline;
    f->h.step_threshold = PR_HISTORY_DEFAULT_STEP;
}

static void release_fixture(fixture *f)
{
    size_t i;

    for (i = 0; i < f->h.n_runs; i++) {
        pr_run_release(&f->h.runs[i]);
        free(f->h.sources[i]);
    }
    for (i = 0; i < f->h.n_series; i++) {
        free(f->h.series[i].name);
        free(f->h.series[i].points);
    }
    free(f->h.runs);
    free(f->h.sources);
    free(f->h.series);
    free(f->h.machine);
    pr_run_release(&f->baseline);
    memset(f, 0, sizeof *f);
}

static int starts_with(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static size_t count(const char *s, const char *sub)
{
    size_t n = 0;

    while (s && (s = strstr(s, sub)) != NULL) {
        n++;
        s += strlen(sub);
    }
    return n;
}

/* ---- rendering ---- */

enum format { TEXT, MARKDOWN, CSV, HTML };

static char *render(const pr_history *h, enum format format, int utf8)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    pr_report_options opt = {utf8, NULL};
    int err = -1;

    switch (format) {
    case TEXT:
        err = pr_report_history(&sb, h, &opt);
        break;
    case MARKDOWN:
        err = pr_report_history_markdown(&sb, h, &opt);
        break;
    case CSV:
        err = pr_report_history_csv(&sb, h);
        break;
    case HTML:
        err = pr_report_history_html(&sb, h);
        break;
    }
    CHECK_INT(err, 0);
    return pr_strbuf_detach(&sb, NULL);
}

/* Display columns of a line, counted independently of the module: one per
 * code point (block elements, arrows, µ and the ellipsis are all narrow). */
static size_t columns(const char *s, size_t len)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            n++;
    return n;
}

/* Every line fits, ends with a newline and has no trailing space; no byte
 * reaches the terminal raw that could act on it; in ASCII mode every byte
 * is ASCII. */
static void check_lines(const char *text, int utf8)
{
    const char *line = text;
    const unsigned char *p;

    for (p = (const unsigned char *)text; *p; p++) {
        CHECK(*p == '\n' || (*p >= 0x20 && *p != 0x7f));
        if (!utf8)
            CHECK(*p < 0x80);
    }
    while (*line) {
        const char *nl = strchr(line, '\n');
        CHECK(nl != NULL);
        if (!nl)
            break;
        if (columns(line, (size_t)(nl - line)) > PR_REPORT_WIDTH) {
            fprintf(stderr, "line wider than %d columns: %.*s\n", PR_REPORT_WIDTH, (int)(nl - line),
                    line);
            CHECK(0);
        }
        CHECK(nl == line || nl[-1] != ' ');
        line = nl + 1;
    }
}

/* ---- golden files ---- */

static int read_file(const char *path, pr_strbuf *sb)
{
    char chunk[4096];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        pr_strbuf_add(sb, chunk, n);
    fclose(f);
    return pr_strbuf_error(sb);
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    size_t len = strlen(text);
    int ok;
    if (!f)
        return -1;
    ok = fwrite(text, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static void show_difference(const char *want, const char *got)
{
    size_t line = 1, i = 0, start = 0;
    while (want[i] && want[i] == got[i]) {
        if (want[i] == '\n') {
            line++;
            start = i + 1;
        }
        i++;
    }
    fprintf(stderr, "first difference at line %zu:\n  want: %.*s\n  got:  %.*s\n", line,
            (int)strcspn(want + start, "\n"), want + start, (int)strcspn(got + start, "\n"),
            got + start);
}

static void check_golden(const char *file, const char *got)
{
    char path[1024];
    const char *update = getenv("PERFREG_UPDATE_GOLDEN");
    pr_strbuf want = PR_STRBUF_INIT;

    snprintf(path, sizeof path, "%s/%s", golden_dir, file);
    if (update && strcmp(update, "1") == 0) {
        CHECK_INT(write_file(path, got), 0);
        printf("wrote %s\n", path);
        return;
    }
    if (read_file(path, &want) != 0) {
        fprintf(stderr, "cannot read '%s'; run with PERFREG_UPDATE_GOLDEN=1 to create it\n", path);
        CHECK(0);
    } else if (strcmp(pr_strbuf_cstr(&want), got) != 0) {
        fprintf(stderr,
                "'%s' differs from the output; if the change is intended, run with "
                "PERFREG_UPDATE_GOLDEN=1 and review the diff\n",
                path);
        show_difference(pr_strbuf_cstr(&want), got);
        CHECK(0);
    }
    pr_strbuf_release(&want);
}

static void golden(enum format format, int utf8, const char *file)
{
    fixture f;
    char *text;

    build_fixture(&f);
    text = render(&f.h, format, utf8);
    check_golden(file, text);
    free(text);
    release_fixture(&f);
}

static void test_golden_text_utf8(void)
{
    golden(TEXT, 1, "history_report.txt");
}

static void test_golden_text_ascii(void)
{
    golden(TEXT, 0, "history_report_ascii.txt");
}

static void test_golden_markdown(void)
{
    golden(MARKDOWN, 1, "history_report.md");
}

static void test_golden_csv(void)
{
    golden(CSV, 1, "history_report.csv");
}

static void test_golden_html(void)
{
    golden(HTML, 1, "history_report.html");
}

/* ---- text ---- */

static void test_text_content(void)
{
    fixture f;
    char *text;

    build_fixture(&f);
    text = render(&f.h, TEXT, 1);
    CHECK(starts_with(text, "=========="));
    CHECK_CONTAINS(text, "\nPERFORMANCE BENCHMARK REPORT\n");
    CHECK_CONTAINS(text, "\nSuite:     perfreg_bench\n");
    CHECK_CONTAINS(text, "\nStatistic: median\n");
    CHECK_CONTAINS(text, "\nRuns:      5 runs, oldest first; 2 from other machines left out\n");
    CHECK_CONTAINS(text, "\nMachine:   AMD EPYC 7B13 64-Core Processor, 4 cores,");
    CHECK_CONTAINS(text, "\nBaseline:  2026-11-18 07:00 0a1b2c3 (main) Release 1.0\n");
    CHECK_CONTAINS(text, "\nBENCHMARK HISTORY\n");
    /* the series line: sparkline, newest value, change vs the baseline */
    CHECK_CONTAINS(text, "\nclassic/qsort_100k  \xe2\x96\x81\xe2\x96\x81\xe2\x96\x81\xe2\x96\x88"
                         "\xe2\x96\x88  8.560 ms  vs baseline +30.7%\n");
    /* absent points are spaces in the sparkline and "-" in the rows; a 1%
     * wobble stays in the middle of a scale that spans the 10% step
     * threshold, where the 30% step above fills it */
    CHECK_CONTAINS(text, "\nalloc/malloc_free_64    \xe2\x96\x84\xe2\x96\x85\xe2\x96\x85  41.92 "
                         "ns\n");
    CHECK_CONTAINS(text, "\n  1a2b3c4   2026-11-19 08:00           -\n");
    /* dirty commit, change vs the previous run, the step with its arrow */
    CHECK_CONTAINS(text, "\n  2b3c4d5*  2026-11-20 08:10    6.602 ms    +0.5%\n");
    CHECK_CONTAINS(text, "\n  4d5e6f7   2026-11-22 10:45    8.541 ms   +29.6%  \xe2\x86\x91 step "
                         "+30.0% (slower)\n");
    CHECK_CONTAINS(text, "\n* the working tree had uncommitted changes\n");
    /* the hostile name is escaped: no escape sequence reaches the terminal */
    CHECK_CONTAINS(text, "term/\\e[31m<b>&'|\"red,x\"");
    CHECK(strchr(text, 0x1b) == NULL);
    /* the change after a gap is against the previous present point */
    CHECK_CONTAINS(text, "1.010 \xc2\xb5s    +1.2%\n");
    CHECK_CONTAINS(text, "\nSTEP CHANGES\n");
    CHECK_CONTAINS(text, "\n- classic/qsort_100k: +30.0% (slower) at 4d5e6f7 (2026-11-22 10:45)\n");
    CHECK_INT(count(text, "step +"), 1);
    free(text);

    text = render(&f.h, TEXT, 0);
    CHECK_CONTAINS(text, "\nclassic/qsort_100k  ___##  8.560 ms  vs baseline +30.7%\n");
    CHECK_CONTAINS(text, "  ^ step +30.0% (slower)\n");
    CHECK_CONTAINS(text, "1.010 us");
    CHECK_CONTAINS(text, "\nalloc/malloc_free_64    ---  41.92 ns\n");
    free(text);
    release_fixture(&f);
}

/* A step down in operations per second is a slowdown; all machines mixed;
 * no baseline. */
static void test_text_ops_all_machines(void)
{
    fixture f;
    char *text;
    size_t i, j;

    build_fixture(&f);
    f.h.stat = PR_METRIC_OPS;
    f.h.all_machines = 1;
    f.h.n_other_machine = 0;
    f.h.baseline = NULL;
    for (i = 0; i < f.h.n_series; i++) {
        pr_history_series *s = &f.h.series[i];
        s->has_baseline = s->has_baseline_change = 0;
        for (j = 0; j < s->n_points; j++) {
            s->points[j].value = 1e9 / s->points[j].value;
            s->points[j].q1 = 1e9 / s->points[j].q3;
            s->points[j].q3 = 1e9 / s->points[j].q1;
        }
    }
    f.h.series[0].points[3].step_change = -0.23;
    for (i = 0; i <= 1; i++) {
        text = render(&f.h, TEXT, (int)i);
        check_lines(text, (int)i);
        CHECK_CONTAINS(text, "\nStatistic: ops\n");
        CHECK_CONTAINS(text, "\nRuns:      5 runs, oldest first; all machines mixed\n");
        CHECK_CONTAINS(text, "\nMachine:   all machines mixed (--all-machines)\n");
        CHECK_CONTAINS(text, "Ops/sec");
        CHECK_CONTAINS(text, "/s");
        CHECK_CONTAINS(text, i ? "\xe2\x86\x93 step -23.0% (slower)" : "v step -23.0% (slower)");
        CHECK(strstr(text, "Baseline:") == NULL);
        CHECK(strstr(text, "vs baseline") == NULL);
        free(text);
    }
    text = render(&f.h, HTML, 1);
    CHECK_CONTAINS(text, "M/s</text>");
    free(text);
    release_fixture(&f);
}

/* Long names, many runs, runs without a commit or a date: every line still
 * fits and the sparkline shows the newest points. */
static void test_text_lines_fit(void)
{
    fixture f;
    pr_history_series *s;
    char *text;
    size_t i, n = 60;
    double *values = calloc(n, sizeof *values);
    int utf8;

    CHECK(values != NULL);
    if (!values)
        return;
    build_fixture(&f);
    for (utf8 = 0; utf8 <= 1; utf8++) {
        text = render(&f.h, TEXT, utf8);
        check_lines(text, utf8);
        free(text);
    }
    release_fixture(&f);

    memset(&f, 0, sizeof f);
    alloc_runs(&f, n);
    for (i = 0; f.h.runs && i < n; i++) {
        pr_run_init(&f.h.runs[i]);
        if (i % 7 != 3)
            set_run(&f.h.runs[i], "9f8e7d6c5b4a39281706f5e4d3c2b1a098f7e6d5", (int)(i % 2),
                    "subject", i % 11 == 5 ? "yesterday \x1b[1m" : "2026-12-01T12:00:00Z");
        values[i] = i % 13 == 4 ? NAN : 1000.0 + (double)(i * 37 % 17) * (i > 30 ? 300 : 1);
    }
    f.h.series = calloc(2, sizeof *f.h.series);
    CHECK(f.h.series != NULL);
    if (f.h.series) {
        f.h.n_series = 2;
        set_series(&f.h.series[0],
                   "codec/json/parse_document_with_deeply_nested_arrays_and_long_keys_4096_and_"
                   "more",
                   values, n);
        s = &f.h.series[0];
        s->points[31].step = 1;
        s->points[31].step_change = 99.5;
        s->has_baseline = s->has_baseline_change = 1;
        s->baseline_value = 1.0;
        s->baseline_change = -0.999;
        set_series(&f.h.series[1], "x", values, n);
    }
    f.h.stat = PR_METRIC_STDDEV;
    f.h.step_threshold = 0.10;
    for (utf8 = 0; utf8 <= 1; utf8++) {
        text = render(&f.h, TEXT, utf8);
        check_lines(text, utf8);
        CHECK_CONTAINS(text, "\n  -------   -                   1.009 ");
        CHECK_CONTAINS(text, "yesterday \\e[1m");
        CHECK_CONTAINS(text, "step +9950% (noisier)");
        CHECK_CONTAINS(text, "Runs:      60 runs, oldest first\n");
        CHECK_CONTAINS(text, "Machine:   unknown\n");
        CHECK_CONTAINS(text, "Suite:     unknown\n");
        free(text);
    }
    text = render(&f.h, HTML, 1);
    CHECK_INT(count(text, "<svg class=\"perfreg-chart\""), 2);
    /* 60 runs: every third commit is labelled, the newest one among them */
    CHECK_INT(count(text, "<text class=\"commit"), 2 * 20);
    free(text);
    text = render(&f.h, MARKDOWN, 1);
    CHECK_CONTAINS(text, "| no commit | - | 1.009 \xc2\xb5s | +0.3% |  |\n");
    CHECK_CONTAINS(text, "yesterday \\\\e\\[1m");
    free(text);
    text = render(&f.h, CSV, 1);
    CHECK_CONTAINS(text, "\nx,3,,,,stddev,");
    free(text);
    free(values);
    release_fixture(&f);
}

/* ---- Markdown ---- */

/* Counts the cell separators of a Markdown table row: pipes not escaped by
 * a backslash (an escaped backslash does not escape the pipe after it). */
static size_t md_pipes(const char *line, size_t len)
{
    size_t i, n = 0;
    int escaped = 0;

    for (i = 0; i < len; i++) {
        if (escaped)
            escaped = 0;
        else if (line[i] == '\\')
            escaped = 1;
        else if (line[i] == '|')
            n++;
    }
    return n;
}

static void test_markdown_tables(void)
{
    fixture f;
    char *text;
    const char *line;
    size_t rows = 0, tables = 0, pipes = 0, i;
    int in_table = 0;

    build_fixture(&f);
    text = render(&f.h, MARKDOWN, 0);
    CHECK(starts_with(text, "### perfreg history: 3 benchmarks, 1 step change\n"));
    for (line = text; *line;) {
        size_t len = strcspn(line, "\n");
        if (len > 0 && line[0] == '|') {
            if (!in_table) {
                tables++;
                pipes = md_pipes(line, len);
            }
            in_table = 1;
            rows++;
            if (md_pipes(line, len) != pipes) {
                fprintf(stderr, "markdown row with %zu separators, not %zu: %.*s\n",
                        md_pipes(line, len), pipes, (int)len, line);
                CHECK(0);
            }
            CHECK(line[len - 1] == '|');
        } else {
            in_table = 0;
        }
        for (i = 0; i < len; i++)
            CHECK((unsigned char)line[i] >= 0x20 && line[i] != 0x7f);
        line += len + (line[len] == '\n');
    }
    /* the summary and one table of runs per benchmark */
    CHECK_INT(tables, 4);
    CHECK_INT(rows, (2 + 3) + 3 * (2 + N_RUNS));
    CHECK_CONTAINS(text, "| Benchmark | Trend | Newest | Change vs previous | vs baseline | Steps "
                         "|\n| :--- | :--- | ---: | ---: | ---: | :--- |\n");
    CHECK_CONTAINS(text, "| `classic/qsort_100k` | \xe2\x96\x81\xe2\x96\x81\xe2\x96\x81\xe2\x96\x88"
                         "\xe2\x96\x88 | 8.560 ms | +0.2% | +30.7% | \xe2\x86\x91 +30.0% at "
                         "`4d5e6f7` |\n");
    /* absent points are middle dots: a table cell would trim spaces */
    CHECK_CONTAINS(text, "| `alloc/malloc_free_64` | \xc2\xb7\xc2\xb7\xe2\x96\x84");
    CHECK_CONTAINS(text, "<code>term/\\\\e\\[31m\\<b\\>\\&'\\|\"red,x\"</code>");
    CHECK_CONTAINS(text, "<summary>Runs of <code>term/\\e[31m&lt;b&gt;&amp;&#39;|&quot;red,x&quot;"
                         "</code></summary>");
    CHECK_CONTAINS(text, "| `2b3c4d5` (dirty) | 2026-11-20 08:10 | 6.602 ms | +0.5% |  |\n");
    CHECK_CONTAINS(text, "- Baseline: `0a1b2c3`, 2026-11-18 07:00\n");
    CHECK(strchr(text, 0x1b) == NULL);
    free(text);
    release_fixture(&f);
}

/* ---- CSV ---- */

/* Splits one CSV record at P (RFC 4180) and returns the number of fields;
 * *END is set after its line break. */
static size_t csv_record(const char *p, const char **end)
{
    size_t fields = 1;
    int quoted = 0;

    for (; *p; p++) {
        if (quoted) {
            if (*p == '"' && p[1] == '"')
                p++;
            else if (*p == '"')
                quoted = 0;
        } else if (*p == '"') {
            quoted = 1;
        } else if (*p == ',') {
            fields++;
        } else if (*p == '\n') {
            p++;
            break;
        }
    }
    *end = p;
    return fields;
}

static void test_csv(void)
{
    fixture f;
    char *text;
    const char *p, *end;
    size_t records = 0;

    build_fixture(&f);
    text = render(&f.h, CSV, 1);
    CHECK(starts_with(text, "name,run,commit,dirty,date,stat,value,q1,q3,change,step,step_change,"
                            "source\n"));
    for (p = text; *p; p = end) {
        CHECK_INT(csv_record(p, &end), 13);
        records++;
    }
    /* the header and one record per point, present or not */
    CHECK_INT(records, 1 + 3 * N_RUNS);
    CHECK(strchr(text, '\r') == NULL);
    CHECK(strchr(text, 0x1b) == NULL);
    CHECK_CONTAINS(text, "\nclassic/qsort_100k,0,1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d,0,"
                         "2026-11-19T08:00:00Z,median,6571000,6505290,6636710,,0,,"
                         ".perfreg/runs/perfreg_bench/0001_1a2b3c4.json\n");
    CHECK_CONTAINS(text, ",1,2026-11-20T08:10:00Z,median,6602000,");
    CHECK_CONTAINS(text, ",8541000,8455590,8626410,0.296448087431693");
    CHECK_CONTAINS(text, ",1,0.3,.perfreg/");
    /* absent: every figure empty, the run still named */
    CHECK_CONTAINS(text, "\nalloc/malloc_free_64,0,1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d,0,"
                         "2026-11-19T08:00:00Z,median,,,,,,,");
    /* quoting: a name and a source with quotes and commas */
    CHECK_CONTAINS(text, "\n\"term/\\e[31m<b>&'|\"\"red,x\"\"\",0,");
    CHECK_CONTAINS(text, ",\"notes:5e6f708,\"\"merged\"\"\"\n");
    free(text);
    release_fixture(&f);
}

/* ---- HTML ---- */

static void test_html(void)
{
    fixture f;
    char *text;
    const char *p;

    build_fixture(&f);
    text = render(&f.h, HTML, 1);
    CHECK(starts_with(text, "<!DOCTYPE html>\n"));
    CHECK_CONTAINS(text, "<meta charset=\"utf-8\">");
    CHECK(strstr(text, "<script") == NULL && strstr(text, "<SCRIPT") == NULL);
    CHECK(strstr(text, "http:") == NULL && strstr(text, "https:") == NULL);
    CHECK(strstr(text, "src=") == NULL && strstr(text, "href=") == NULL);
    CHECK(strstr(text, "url(") == NULL && strstr(text, "@import") == NULL);
    CHECK(strchr(text, 0x1b) == NULL);
    /* one chart per benchmark, named, with a viewBox */
    CHECK_INT(count(text, "<svg class=\"perfreg-chart\" data-benchmark=\""), 3);
    CHECK_INT(count(text, "viewBox=\"0 0 "), 3);
    CHECK_INT(count(text, "</svg>"), 3);
    CHECK_CONTAINS(text, "data-benchmark=\"classic/qsort_100k\"");
    CHECK_CONTAINS(text, "data-benchmark=\"term/\\e[31m&lt;b&gt;&amp;&#39;|&quot;red,x&quot;\"");
    CHECK(strstr(text, "<b>") == NULL);
    /* polylines: one per stretch of present points (the hostile one has a gap) */
    CHECK_INT(count(text, "<polyline class=\"line\""), 1 + 1 + 2);
    CHECK_INT(count(text, "<polygon class=\"band\""), 1 + 1 + 2);
    /* the baseline only where there is one; the step marked with a tooltip */
    CHECK_INT(count(text, "<line class=\"baseline\""), 1);
    CHECK_CONTAINS(text, ">baseline<title>baseline: 6.550 ms</title></text>");
    CHECK_INT(count(text, "<polygon class=\"step\""), 1);
    CHECK_CONTAINS(text, "<title>step +30.0% (slower)</title></polygon>");
    /* a tooltip per present point: commit, subject, date, value */
    CHECK_INT(count(text, "<circle class=\"pt\""), 5 + 3 + 4);
    CHECK_CONTAINS(text, "<title>4d5e6f7 Switch the sort to a &lt;stable&gt; merge sort &amp; co\n"
                         "2026-11-22 10:45\nmedian 8.541 ms (q1 8.456 ms, q3 8.626 ms), +29.6% "
                         "vs previous</title>");
    CHECK_CONTAINS(text, "<title>2b3c4d5 (uncommitted changes) ");
    /* axes: ticks in one unit per chart, commits below */
    CHECK_CONTAINS(text, ">median (ms)</text>");
    CHECK_CONTAINS(text, ">median (ns)</text>");
    CHECK_CONTAINS(text, " ms</text>");
    CHECK_CONTAINS(text, ">2b3c4d5*</text>");
    CHECK_CONTAINS(text, "<text class=\"commit absent\"");
    CHECK_CONTAINS(text, "<dt>Runs</dt><dd>5 runs, oldest first; 2 from other machines left "
                         "out</dd>");
    /* no raw '<' inside any text from a file: every '<' opens a known tag */
    for (p = strchr(text, '<'); p; p = strchr(p + 1, '<')) {
        static const char *const tags[] = {
            "!DOCTYPE", "html", "head", "meta", "title",    "style",   "body",  "h1",      "h2",
            "dl",       "dt",   "dd",   "p",    "ul",       "li",      "code",  "section", "figure",
            "svg",      "rect", "line", "text", "polyline", "polygon", "circle"};
        size_t i, ok = 0;
        const char *name = p + (p[1] == '/');
        for (i = 0; i < sizeof tags / sizeof *tags; i++) {
            size_t len = strlen(tags[i]);
            if (strncmp(name + 1, tags[i], len) == 0 && strchr(" >/\n", name[1 + len]))
                ok = 1;
        }
        if (!ok) {
            fprintf(stderr, "unexpected tag: %.20s\n", p);
            CHECK(0);
            break;
        }
    }
    free(text);
    release_fixture(&f);
}

/* ---- edge cases ---- */

static void test_empty(void)
{
    pr_history h;
    char *text;
    int utf8;

    memset(&h, 0, sizeof h);
    h.stat = PR_METRIC_MEDIAN;
    h.step_threshold = PR_HISTORY_DEFAULT_STEP;
    for (utf8 = 0; utf8 <= 1; utf8++) {
        text = render(&h, TEXT, utf8);
        check_lines(text, utf8);
        CHECK_CONTAINS(text, "\nBENCHMARK HISTORY\n");
        CHECK_CONTAINS(text, "\nno benchmarks in the history\n");
        CHECK_CONTAINS(text, "\nRuns:      0 runs, oldest first\n");
        CHECK(strstr(text, "STEP CHANGES") == NULL);
        free(text);
    }
    text = render(&h, MARKDOWN, 1);
    CHECK(starts_with(text, "### perfreg history: 0 benchmarks, no step changes\n"));
    CHECK_CONTAINS(text, "No benchmarks in the history.\n");
    CHECK(strstr(text, "| Benchmark") == NULL);
    free(text);
    text = render(&h, CSV, 1);
    CHECK_STR(text, "name,run,commit,dirty,date,stat,value,q1,q3,change,step,step_change,source\n");
    free(text);
    text = render(&h, HTML, 1);
    CHECK_CONTAINS(text, "<p>no benchmarks in the history</p>");
    CHECK(strstr(text, "<svg") == NULL);
    CHECK_CONTAINS(text, "</html>\n");
    free(text);
}

/* A benchmark never measured, one measured once with no spread, a point
 * pointing past the runs: nothing crashes and every chart has a line. */
static void test_degenerate_series(void)
{
    fixture f;
    char *text;
    static const double none[N_RUNS] = {NAN, NAN, NAN, NAN, NAN};
    static const double once[N_RUNS] = {NAN, NAN, 0, NAN, NAN};
    int utf8;

    build_fixture(&f);
    free(f.h.series[1].name);
    free(f.h.series[1].points);
    set_series(&f.h.series[1], "never/measured", none, N_RUNS);
    free(f.h.series[2].name);
    free(f.h.series[2].points);
    set_series(&f.h.series[2], "once/zero", once, N_RUNS);
    f.h.series[2].points[4].run = 99;
    for (utf8 = 0; utf8 <= 1; utf8++) {
        text = render(&f.h, TEXT, utf8);
        check_lines(text, utf8);
        CHECK_CONTAINS(text, "\nnever/measured  -\n");
        CHECK_CONTAINS(text, "\n  -------   -                          -\n");
        free(text);
    }
    text = render(&f.h, HTML, 1);
    CHECK_INT(count(text, "<svg class=\"perfreg-chart\""), 3);
    CHECK(strstr(text, "nan") == NULL && strstr(text, "inf") == NULL);
    CHECK_CONTAINS(text, "<p class=\"meta\">not measured in these runs</p>");
    CHECK_INT(count(text, "<text class=\"no-data\""), 1);
    free(text);
    text = render(&f.h, CSV, 1);
    CHECK_CONTAINS(text, "\nonce/zero,99,,,,median,,,,,,,\n");
    free(text);
    text = render(&f.h, MARKDOWN, 1);
    free(text);
    release_fixture(&f);
}

static void test_invalid_arguments(void)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    pr_history h;

    memset(&h, 0, sizeof h);
    CHECK_INT(pr_report_history(NULL, &h, NULL), PR_EINVALID);
    CHECK_INT(pr_report_history(&sb, NULL, NULL), PR_EINVALID);
    CHECK_INT(pr_report_history_markdown(&sb, NULL, NULL), PR_EINVALID);
    CHECK_INT(pr_report_history_csv(NULL, &h), PR_EINVALID);
    CHECK_INT(pr_report_history_html(&sb, NULL), PR_EINVALID);
    CHECK_INT(pr_report_history(&sb, &h, NULL), 0);
    CHECK(strstr(pr_strbuf_cstr(&sb), "no benchmarks in the history") != NULL);
    pr_strbuf_release(&sb);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        golden_dir = argv[1];
    RUN_TEST(test_golden_text_utf8);
    RUN_TEST(test_golden_text_ascii);
    RUN_TEST(test_golden_markdown);
    RUN_TEST(test_golden_csv);
    RUN_TEST(test_golden_html);
    RUN_TEST(test_text_content);
    RUN_TEST(test_text_ops_all_machines);
    RUN_TEST(test_text_lines_fit);
    RUN_TEST(test_markdown_tables);
    RUN_TEST(test_csv);
    RUN_TEST(test_html);
    RUN_TEST(test_empty);
    RUN_TEST(test_degenerate_series);
    RUN_TEST(test_invalid_arguments);
    return CHECK_DONE();
}
