/*
 * test_report_compare.c - unit tests of the comparison renderers: the text
 * report (UTF-8 and ASCII), Markdown, CSV and JSON of one hand-built
 * comparison compared with golden files in tests/data, and the properties
 * every output must keep whatever the data: lines within 80 columns, no raw
 * control characters, a Markdown table with the same number of cells in
 * every row, RFC 4180 quoting, JSON that parses.
 *
 * The comparison is built by hand, not by pr_compare_runs, so that these
 * tests say how a given verdict renders, not how it is reached.
 *
 * The golden files are read from the directory given as argv[1], else from
 * PR_TEST_DATA_DIR. With PERFREG_UPDATE_GOLDEN=1 the test rewrites them
 * instead of comparing; read the diff before committing it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compare.h"
#include "error.h"
#include "report.h"
#include "results.h"
#include "run.h"
#include "strbuf.h"
#include "banned.h"

#ifndef PR_TEST_DATA_DIR
#define PR_TEST_DATA_DIR "tests/data"
#endif

#define ACCEPT                                                                                     \
    "perfreg save-baseline --from .perfreg/runs/perfreg_bench/0003_1a2b3c4_20261123T090000Z.json"

static const char *golden_dir = PR_TEST_DATA_DIR;

/* ---- building the comparison ---- */

static char *xdup(const char *s)
{
    char *p = pr_strdup(s);
    CHECK(p != NULL);
    return p;
}

/* A result whose summary is set directly: the renderers read the summary
 * and the sample count, never the samples. */
static void add_result(pr_run *run, const char *name, double mean_ns, double cv, size_t n)
{
    pr_result *r = NULL;

    CHECK_INT(pr_run_add_result(run, &r), 0);
    r->name = xdup(name);
    r->status = PR_STATUS_OK;
    r->iterations = 1000;
    r->n_samples = n;
    r->stats.n = n;
    r->stats.mean_ns = mean_ns;
    r->stats.median_ns = mean_ns;
    r->stats.min_ns = mean_ns * 0.98;
    r->stats.max_ns = mean_ns * 1.05;
    r->stats.stddev_ns = mean_ns * cv;
    r->stats.cv = cv;
    r->stats.ops_per_second = 1e9 / mean_ns;
}

static void add_failed(pr_run *run, const char *name, const char *error)
{
    pr_result *r = NULL;

    CHECK_INT(pr_run_add_result(run, &r), 0);
    r->name = xdup(name);
    r->status = PR_STATUS_FAILED;
    r->error = xdup(error);
}

static void set_git(pr_run *run, const char *commit, const char *branch, int dirty,
                    const char *subject, const char *date)
{
    char short_commit[8];

    snprintf(short_commit, sizeof short_commit, "%.7s", commit);
    run->git.commit = xdup(commit);
    run->git.short_commit = xdup(short_commit);
    run->git.branch = xdup(branch);
    run->git.dirty = dirty;
    run->git.subject = xdup(subject);
    run->context.date = xdup(date);
}

static void set_context(pr_run *run, const char *cpu, int cores)
{
    run->suite = xdup("perfreg_bench");
    run->context.compiler = xdup("gcc 12.2.0");
    run->context.build_type = xdup("Release");
    run->context.build_flags = xdup("-O2");
    run->context.cpu_model = xdup(cpu);
    run->context.logical_cores = cores;
    run->context.os = xdup("Linux");
    run->context.kernel = xdup("6.1.0-13-amd64");
    run->context.arch = xdup("x86_64");
}

/* The change of metric M from the two summaries, with VERDICT. */
static void set_metric(pr_cmp_entry *e, pr_metric m, pr_level verdict)
{
    pr_metric_change *mc = &e->metrics[m];
    const pr_stats *b = &e->baseline->stats, *c = &e->current->stats;

    mc->valid = 1;
    mc->baseline = m == PR_METRIC_OPS ? b->ops_per_second : b->mean_ns;
    mc->current = m == PR_METRIC_OPS ? c->ops_per_second : c->mean_ns;
    mc->relative_valid = 1;
    mc->change = (mc->current - mc->baseline) / mc->baseline;
    mc->regression = m == PR_METRIC_OPS ? -mc->change : mc->change;
    mc->abs_regression =
        m == PR_METRIC_OPS ? mc->baseline - mc->current : mc->current - mc->baseline;
    mc->level = verdict;
    /* judged by the Mann-Whitney U test: no interval, the change as it is */
    mc->estimate = mc->change;
    mc->p_value = NAN;
    mc->judged = 1;
    mc->gate = 0.10;
    mc->verdict = verdict == PR_LEVEL_WARNING || verdict == PR_LEVEL_CRITICAL ? PR_VERDICT_FAIL
                                                                              : PR_VERDICT_PASS;
}

/* An interval for metric M of E: LOW .. HIGH around its change, as an
 * interval method gives it, over N rounds of METHOD. */
static void set_interval(pr_cmp_entry *e, pr_metric m, double low, double high, pr_method method,
                         size_t n)
{
    pr_metric_change *mc = &e->metrics[m];

    mc->has_interval = 1;
    mc->low = low;
    mc->high = high;
    mc->resolution = (high - low) / 2;
    e->method = method;
    e->rounds = n;
}

typedef struct fixture {
    pr_run baseline, current;
    pr_comparison cmp;
    pr_cmp_entry entries[16];
} fixture;

/* A matched entry: both sides measured, the U test ran with p-value P. */
static pr_cmp_entry *add_matched(fixture *f, const char *name, pr_level verdict, double p)
{
    pr_cmp_entry *e = &f->entries[f->cmp.n_entries++];

    e->name = pr_run_find(&f->current, name)->name;
    e->kind = PR_CMP_MATCHED;
    e->baseline = pr_run_find(&f->baseline, name);
    e->current = pr_run_find(&f->current, name);
    e->tested = 1;
    e->testable = 1;
    e->mwu.p_value = p;
    e->p_value = p;
    e->mwu.u = 812;
    e->mwu.exact = 0;
    e->significant = p < 0.05;
    e->level = verdict;
    e->method = PR_METHOD_SAMPLES;
    e->verdict = verdict == PR_LEVEL_WARNING || verdict == PR_LEVEL_CRITICAL ? PR_VERDICT_FAIL
                                                                             : PR_VERDICT_PASS;
    e->worst = PR_METRIC_MEAN;
    set_metric(e, PR_METRIC_MEAN, verdict);
    set_metric(e, PR_METRIC_OPS, verdict == PR_LEVEL_IMPROVED ? PR_LEVEL_NORMAL : verdict);
    return e;
}

static pr_cmp_entry *add_other(fixture *f, const char *name, pr_cmp_kind kind)
{
    pr_cmp_entry *e = &f->entries[f->cmp.n_entries++];

    e->kind = kind;
    e->baseline = pr_run_find(&f->baseline, name);
    e->current = pr_run_find(&f->current, name);
    e->name = e->current ? e->current->name : e->baseline->name;
    e->level = PR_LEVEL_NORMAL;
    e->significant = 1;
    return e;
}

#define LONG_NAME "codec/json/parse_document_with_deeply_nested_arrays_and_long_keys_4096"
#define ESC_NAME "term/\x1b[2Jclear\nscreen"
#define ODD_NAME "fmt/a|b,\"c\"`d`"

/*
 * Every case the renderers know: critical and failing, a warning close to
 * the fail threshold, noise, too few samples to test, an improvement, normal
 * ones, a new, a missing (failing with --fail-on-missing) and a failed
 * benchmark, hostile names, a machine mismatch, the geometric mean.
 */
static void build_fixture(fixture *f)
{
    pr_cmp_entry *e;
    double log_sum = 0;
    size_t i;

    memset(f, 0, sizeof *f);
    pr_run_init(&f->baseline);
    pr_run_init(&f->current);
    set_context(&f->baseline, "Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz", 2);
    set_context(&f->current, "AMD EPYC 7B13 64-Core Processor", 4);
    set_git(&f->baseline, "0a1b2c3d4e5f60718293a4b5c6d7e8f901a2b3c4", "main", 0,
            "Merge pull request #41 from perfreg/faster-sort", "2026-11-20T08:00:00Z");
    set_git(&f->current, "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d", "feature/parser", 1,
            "Parse numbers without strtod on the hot path", "2026-11-23T09:00:00Z");

    add_result(&f->baseline, "classic/qsort_100k", 6.571e6, 0.004, 30);
    add_result(&f->baseline, "alloc/malloc_free_64", 41.70, 0.02, 50);
    add_result(&f->baseline, "hash/fnv1a_4k", 1001.0, 0.2, 10);
    add_result(&f->baseline, "io/read_small", 12000.0, 0.01, 3);
    add_result(&f->baseline, "string/memcpy_64k", 1834.2, 0.007, 50);
    add_result(&f->baseline, "string/strlen_1k", 24.31, 0.005, 50);
    add_result(&f->baseline, LONG_NAME, 48213.5, 0.006, 30);
    add_result(&f->baseline, ESC_NAME, 0.4213, 0.003, 50);
    add_result(&f->baseline, ODD_NAME, 100.0, 0.01, 50);
    add_result(&f->baseline, "old/bench_removed", 2500.0, 0.01, 50);

    add_result(&f->current, "classic/qsort_100k", 8.234e6, 0.004, 30);
    add_result(&f->current, "alloc/malloc_free_64", 47.33, 0.072, 50);
    add_result(&f->current, "hash/fnv1a_4k", 1161.2, 0.21, 10);
    add_result(&f->current, "io/read_small", 13320.0, 0.01, 3);
    add_result(&f->current, "string/memcpy_64k", 1500.2, 0.007, 50);
    add_result(&f->current, "string/strlen_1k", 24.60, 0.005, 50);
    add_result(&f->current, LONG_NAME, 47827.8, 0.006, 30);
    add_result(&f->current, ESC_NAME, 0.4226, 0.003, 50);
    add_result(&f->current, ODD_NAME, 100.5, 0.01, 50);
    add_result(&f->current, "new/bench_added", 812.3, 0.01, 50);
    add_failed(&f->current, "io/fsync_tmpfile",
               "cannot create '/tmp/perfreg-fsync-bench.XXXXXX': no space left on device; "
               "free some space or set TMPDIR and run again");

    f->cmp.baseline = &f->baseline;
    f->cmp.current = &f->current;
    f->cmp.entries = f->entries;
    f->cmp.options.warn.of[PR_METRIC_MEAN] = (pr_threshold){1, 1, 0.10};
    f->cmp.options.warn.of[PR_METRIC_MEDIAN] = (pr_threshold){1, 1, 0.10};
    f->cmp.options.warn.of[PR_METRIC_STDDEV] = (pr_threshold){1, 1, 0.50};
    f->cmp.options.warn.of[PR_METRIC_OPS] = (pr_threshold){1, 1, 0.10};
    f->cmp.options.fail.of[PR_METRIC_MEAN] = (pr_threshold){1, 1, 0.15};
    f->cmp.options.alpha = 0.05;
    f->cmp.options.significance = 1;
    f->cmp.options.fail_on_missing = 1;
    f->cmp.options.primary = PR_METRIC_MEAN;

    e = add_matched(f, "classic/qsort_100k", PR_LEVEL_CRITICAL, 1.2e-9);
    e->failing = e->metrics[PR_METRIC_MEAN].failing = 1;
    e = add_matched(f, "alloc/malloc_free_64", PR_LEVEL_WARNING, 0.0021);
    e->approaching = 1;
    e = add_matched(f, "hash/fnv1a_4k", PR_LEVEL_NORMAL, 0.31);
    e->noise = e->metrics[PR_METRIC_MEAN].noise = e->metrics[PR_METRIC_OPS].noise = 1;
    e->verdict = e->metrics[PR_METRIC_MEAN].verdict = PR_VERDICT_INCONCLUSIVE;
    e = add_matched(f, "io/read_small", PR_LEVEL_WARNING, 0.1);
    e->testable = 0;
    e->significant = 1;
    e->mwu.exact = 1;
    e->mwu.min_p = 0.1;
    add_matched(f, "string/memcpy_64k", PR_LEVEL_IMPROVED, 3e-12);
    e = add_matched(f, "string/strlen_1k", PR_LEVEL_NORMAL, 0.41);
    /* judged by processes, with an interval */
    set_interval(e, PR_METRIC_MEAN, -0.0087, 0.0326, PR_METHOD_PROCESSES, 10);
    add_matched(f, LONG_NAME, PR_LEVEL_NORMAL, 0.73);
    add_matched(f, ESC_NAME, PR_LEVEL_NORMAL, 0.88);
    add_matched(f, ODD_NAME, PR_LEVEL_NORMAL, 0.64);
    add_other(f, "new/bench_added", PR_CMP_NEW);
    add_other(f, "io/fsync_tmpfile", PR_CMP_FAILED);
    e = add_other(f, "old/bench_removed", PR_CMP_MISSING);
    e->failing = 1;

    for (i = 0; i < f->cmp.n_entries; i++) {
        e = &f->entries[i];
        if (e->kind != PR_CMP_MATCHED)
            continue;
        log_sum += log(e->metrics[PR_METRIC_MEAN].current / e->metrics[PR_METRIC_MEAN].baseline);
        f->cmp.geomean_n++;
    }
    f->cmp.geomean_change = exp(log_sum / (double)f->cmp.geomean_n) - 1;
    f->cmp.machine_mismatch = xdup("cpu_model 'Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz' "
                                   "-> 'AMD EPYC 7B13 64-Core Processor'; logical_cores 2 -> 4");
    f->cmp.n_improved = 1;
    f->cmp.n_normal = 5;
    f->cmp.n_warning = 2;
    f->cmp.n_critical = 1;
    f->cmp.n_failing = 2;
    f->cmp.n_noise = 1;
    f->cmp.n_untestable = 1;
    f->cmp.n_pass = 5;
    f->cmp.n_inconclusive = 1;
    f->cmp.n_fail = 3;
    f->cmp.n_new = 1;
    f->cmp.n_missing = 1;
    f->cmp.n_failed = 1;
}

static void release_fixture(fixture *f)
{
    free(f->cmp.machine_mismatch);
    pr_run_release(&f->baseline);
    pr_run_release(&f->current);
}

static int starts_with(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---- rendering ---- */

enum format { TEXT, SECTIONS, MARKDOWN, CSV, JSON };

static char *render(const pr_comparison *cmp, enum format format, int utf8, const char *accept)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    pr_report_options opt = {utf8, accept};
    int err = -1;

    switch (format) {
    case TEXT:
        err = pr_report_comparison(&sb, cmp, &opt);
        break;
    case SECTIONS:
        err = pr_report_comparison_sections(&sb, cmp, &opt);
        break;
    case MARKDOWN:
        err = pr_report_comparison_markdown(&sb, cmp, &opt);
        break;
    case CSV:
        err = pr_report_comparison_csv(&sb, cmp);
        break;
    case JSON:
        err = pr_results_write_comparison(cmp, &sb);
        break;
    }
    CHECK_INT(err, 0);
    return pr_strbuf_detach(&sb, NULL);
}

/* Display columns of a line, counted independently of the module: one per
 * code point, two for the status emoji, none for the variation selector
 * that follows U+26A0. */
static size_t columns(const char *s, size_t len)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++) {
        const unsigned char *p = (const unsigned char *)s + i;
        if ((*p & 0xc0) == 0x80)
            continue;
        if (i + 2 < len && memcmp(p, "\xef\xb8\x8f", 3) == 0)
            continue;
        if (i + 2 < len && (memcmp(p, "\xe2\x9c\x85", 3) == 0 ||
                            memcmp(p, "\xe2\x9a\xa0", 3) == 0 || memcmp(p, "\xe2\x9d\x8c", 3) == 0))
            n++;
        n++;
    }
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
    text = render(&f.cmp, format, utf8, ACCEPT);
    check_golden(file, text);
    free(text);
    release_fixture(&f);
}

static void test_golden_text_utf8(void)
{
    golden(TEXT, 1, "compare_report.txt");
}

static void test_golden_text_ascii(void)
{
    golden(TEXT, 0, "compare_report_ascii.txt");
}

static void test_golden_sections(void)
{
    golden(SECTIONS, 1, "compare_sections.txt");
}

static void test_golden_markdown(void)
{
    golden(MARKDOWN, 1, "compare_report.md");
}

static void test_golden_csv(void)
{
    golden(CSV, 1, "compare_report.csv");
}

static void test_golden_json(void)
{
    golden(JSON, 1, "compare_report.json");
}

/* ---- properties ---- */

static void test_text_lines_fit(void)
{
    fixture f;
    char *text;
    int utf8;

    build_fixture(&f);
    for (utf8 = 0; utf8 <= 1; utf8++) {
        text = render(&f.cmp, TEXT, utf8, ACCEPT);
        check_lines(text, utf8);
        free(text);
        text = render(&f.cmp, SECTIONS, utf8, ACCEPT);
        check_lines(text, utf8);
        free(text);
        text = render(&f.cmp, TEXT, utf8, NULL);
        check_lines(text, utf8);
        free(text);
    }
    release_fixture(&f);
}

static void test_text_content(void)
{
    fixture f;
    char *text;

    build_fixture(&f);
    text = render(&f.cmp, TEXT, 1, ACCEPT);
    CHECK_CONTAINS(text, "COMPARISON VS BASELINE\n");
    CHECK_CONTAINS(text, "REGRESSIONS DETECTED\n");
    CHECK_CONTAINS(text, "RECOMMENDATIONS\n");
    CHECK_CONTAINS(text, "Current:   2026-11-23T09:00:00Z 1a2b3c4 (feature/parser-dirty) Parse");
    CHECK_CONTAINS(text, "Baseline:  2026-11-20T08:00:00Z 0a1b2c3 (main) Merge");
    CHECK_CONTAINS(text, "Warning: the baseline was recorded on a different machine:");
    /* the table: values, change, resolution and n where an interval
     * method ran, the verdict last */
    CHECK_CONTAINS(text, "classic/qsort_100k       8.234 ms 6.571 ms  +25.3%      -   -  "
                         "\xe2\x9d\x8c fail\n");
    CHECK_CONTAINS(text, "+16.0%      -   -  \xe2\x9d\x94 inconclusive\n");
    CHECK_CONTAINS(text, "+11.0%      -   -  \xe2\x9a\xa0\xef\xb8\x8f warning\n");
    CHECK_CONTAINS(text, "-18.2%      -   -  \xe2\x9c\x85 improved\n");
    CHECK_CONTAINS(text, "string/strlen_1k         24.60 ns 24.31 ns   +1.2%   2.1%  10  "
                         "\xe2\x9c\x85 pass\n");
    CHECK_CONTAINS(text, "term/\\e[2Jclear\\nscreen");
    CHECK_CONTAINS(text, "\nnew/bench_added          812.3 ns        -     new      -   -\n");
    CHECK_CONTAINS(text, "\nold/bench_removed               - 2.500 \xc2\xb5s missing      -   -  "
                         "\xe2\x9d\x8c fail\n");
    CHECK_CONTAINS(text, "\nio/fsync_tmpfile          FAILED: cannot create");
    CHECK_CONTAINS(text, "\nGeometric mean of 9");
    /* the legend says where each kind of figure comes from */
    CHECK_CONTAINS(text, "Welch's t test");
    CHECK_CONTAINS(text, "Mann-Whitney U test, no");
    CHECK_CONTAINS(text, "too few samples to test, the thresholds alone decide");
    CHECK_CONTAINS(text, "Verdicts at mean 15% (--fail), median 10%");
    /* regressions: the threshold crossed, failing first */
    CHECK_CONTAINS(text, "- classic/qsort_100k: mean +25.3% (p<0.0001), failing: beyond the 15% "
                         "--fail\n  threshold\n");
    CHECK_CONTAINS(text, "approaching 15% threshold (--fail)");
    CHECK_CONTAINS(text, "(too few samples to test)");
    CHECK_CONTAINS(text, "- old/bench_removed: missing from the current run");
    /* recommendations */
    CHECK_CONTAINS(text, "- Investigate classic/qsort_100k: mean +25.3% since 0a1b2c3\n");
    CHECK_CONTAINS(text, "INCONCLUSIVE\n-----");
    CHECK_CONTAINS(text, "- hash/fnv1a_4k: mean +16.0% (p=0.3100): beyond its threshold, but "
                         "not\n  significantly\n");
    /* every metric that crossed, the mean's mirror (ops) once */
    CHECK_CONTAINS(text, "- alloc/malloc_free_64: mean +13.5% (p=0.0021), warning");
    CHECK(strstr(text, "- alloc/malloc_free_64: ops") == NULL);
    CHECK_CONTAINS(text, "- io/read_small has too few samples (3 vs 3)");
    CHECK_CONTAINS(text, "- alloc/malloc_free_64 is unstable (cv 7.2%)");
    CHECK_CONTAINS(text, "- io/fsync_tmpfile failed to run: cannot create");
    CHECK_CONTAINS(text, "- The baseline comes from another machine");
    CHECK_CONTAINS(text, "- string/memcpy_64k improved by 18.2% (mean)");
    /* the command is pasteable: broken with a shell continuation */
    CHECK_CONTAINS(text, "    perfreg save-baseline --from \\\n"
                         "    .perfreg/runs/perfreg_bench/0003_1a2b3c4_20261123T090000Z.json\n");
    CHECK(strstr(text, "No action needed") == NULL);
    /* commands inside prose are never broken across lines */
    CHECK_CONTAINS(text, "(taskset -c 1)");
    CHECK(strstr(text, "taskset\n") == NULL && strstr(text, "-c\n") == NULL);
    free(text);

    text = render(&f.cmp, TEXT, 0, NULL);
    CHECK_CONTAINS(text, "+25.3%      -   -  FAIL\n");
    CHECK_CONTAINS(text, "  warning\n");
    CHECK_CONTAINS(text, "  ? inconclusive\n");
    CHECK_CONTAINS(text, "  improved\n");
    CHECK_CONTAINS(text, "   +1.2%   2.1%  10  pass\n");
    CHECK_CONTAINS(text, "\n    perfreg save-baseline\n");
    free(text);
    release_fixture(&f);
}

/* `run` appends the sections to its own report: they say which baseline. */
static void test_sections_alone(void)
{
    fixture f;
    char *text;

    build_fixture(&f);
    text = render(&f.cmp, SECTIONS, 1, ACCEPT);
    CHECK(strncmp(text, "------", 6) == 0);
    CHECK(strstr(text, "PERFORMANCE BENCHMARK REPORT") == NULL);
    CHECK_CONTAINS(text, "COMPARISON VS BASELINE\n-----");
    CHECK_CONTAINS(text, "\nBaseline:  2026-11-20T08:00:00Z 0a1b2c3 (main)");
    CHECK_CONTAINS(text, "\nWarning: the baseline was recorded on a different machine");
    CHECK(strlen(text) > 80 && strcmp(text + strlen(text) - 80, "\n"
                                                                "=============="
                                                                "========================"
                                                                "========================"
                                                                "================\n") == 0);
    free(text);
    release_fixture(&f);
}

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

static void test_markdown_table(void)
{
    fixture f;
    char *text;
    const char *line;
    size_t rows = 0, in_table = 0, tables = 0, i;

    build_fixture(&f);
    text = render(&f.cmp, MARKDOWN, 0, ACCEPT);
    CHECK(starts_with(text, "### perfreg: 2 failing, 2 warnings, 1 inconclusive, 1 failed to "
                            "run\n"));
    for (line = text; *line;) {
        size_t len = strcspn(line, "\n");
        if (len > 0 && line[0] == '|') {
            if (!in_table)
                tables++;
            in_table = 1;
            rows++;
            if (md_pipes(line, len) != 8) {
                fprintf(stderr, "markdown row with %zu separators: %.*s\n", md_pipes(line, len),
                        (int)len, line);
                CHECK(0);
            }
            CHECK(line[len - 1] == '|');
        } else {
            in_table = 0;
        }
        /* nothing acts on a terminal or breaks the document */
        for (i = 0; i < len; i++)
            CHECK((unsigned char)line[i] >= 0x20 && line[i] != 0x7f);
        line += len + (line[len] == '\n');
    }
    CHECK_INT(tables, 1);
    /* header, alignment, 12 entries, geometric mean */
    CHECK_INT(rows, 15);
    CHECK_CONTAINS(text, "| :--- | ---: | ---: | ---: | ---: | ---: | :--- |\n");
    CHECK_CONTAINS(text, "| `classic/qsort_100k` | 6.571 ms | 8.234 ms | +25.3% | p\\<0.0001 |  | "
                         "\xe2\x9d\x8c fail |\n");
    CHECK_CONTAINS(text, "| p=0.3100 |  | \xe2\x9d\x94 inconclusive |");
    CHECK_CONTAINS(text, "| +1.2% | -0.9% to +3.3% | 10 | \xe2\x9c\x85 pass |");
    CHECK_CONTAINS(text, "#### Inconclusive\n\n- `hash/fnv1a_4k`: mean +16.0%");
    CHECK_CONTAINS(text, "<code>fmt/a\\|b,\"c\"\\`d\\`</code>");
    CHECK_CONTAINS(text, "<code>term/\\\\e\\[2Jclear\\\\nscreen</code>");
    CHECK_CONTAINS(text, "#### Regressions\n\n- `classic/qsort_100k`: mean +25.3%");
    CHECK_CONTAINS(text, "accept it with: `" ACCEPT "`\n");
    free(text);
    release_fixture(&f);
}

static void test_csv_quoting(void)
{
    fixture f;
    char *text;
    pr_cmp_entry *e;

    build_fixture(&f);
    text = render(&f.cmp, CSV, 1, NULL);
    CHECK(starts_with(text, "name,kind,verdict,level,failing,noise,metric,baseline,current,"
                            "change,estimate,low,high,resolution,n,method,p_value,significant,"
                            "testable\n"));
    CHECK_CONTAINS(text, "\n\"fmt/a|b,\"\"c\"\"`d`\",matched,pass,normal,0,0,mean,100,100.5,");
    CHECK_CONTAINS(text, "\nterm/\\e[2Jclear\\nscreen,matched,pass,normal,");
    CHECK_CONTAINS(text, "\nnew/bench_added,new,,,0,0,mean,,812.3,,,,,,,,,,\n");
    CHECK_CONTAINS(text, "\nio/fsync_tmpfile,failed,,,0,0,mean,,,,,,,,,,,,\n");
    CHECK_CONTAINS(text, "\nold/bench_removed,missing,,,1,0,mean,2500,,,,,,,,,,,\n");
    CHECK_CONTAINS(text, "\nclassic/qsort_100k,matched,fail,critical,1,0,mean,6571000,8234000,");
    CHECK_CONTAINS(text, ",-0.0087,0.0326,0.0206");
    CHECK_CONTAINS(text, ",10,processes,0.41,0,1\n");
    CHECK(strchr(text, 0x1b) == NULL);
    free(text);

    /* a name that is nothing but a quote, and one with a comma only */
    e = &f.entries[0];
    e->name = "\"";
    f.entries[1].name = "a,b";
    text = render(&f.cmp, CSV, 1, NULL);
    CHECK_CONTAINS(text, "\n\"\"\"\",matched,");
    CHECK_CONTAINS(text, "\n\"a,b\",matched,");
    free(text);
    release_fixture(&f);
}

/* ---- a small JSON validator (RFC 8259), independent of cJSON ---- */

static const char *json_value(const char *p, int depth);

static const char *json_space(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
        p++;
    return p;
}

static const char *json_string(const char *p)
{
    if (*p++ != '"')
        return NULL;
    while (*p != '"') {
        if ((unsigned char)*p < 0x20)
            return NULL;
        if (*p == '\\') {
            p++;
            if (*p == 'u') {
                int i;
                for (i = 1; i <= 4; i++)
                    if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
                        return NULL;
                p += 4;
            } else if (!*p || !strchr("\"\\/bfnrt", *p)) {
                return NULL;
            }
        }
        p++;
    }
    return p + 1;
}

static const char *json_number(const char *p)
{
    const char *start;

    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        return NULL;
    if (*p == '.') {
        start = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == start)
            return NULL;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        start = p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == start)
            return NULL;
    }
    return p;
}

static const char *json_value(const char *p, int depth)
{
    char close;

    if (depth > 64)
        return NULL;
    p = json_space(p);
    if (*p == '"')
        return json_string(p);
    if (strncmp(p, "true", 4) == 0)
        return p + 4;
    if (strncmp(p, "false", 5) == 0)
        return p + 5;
    if (strncmp(p, "null", 4) == 0)
        return p + 4;
    if (*p != '{' && *p != '[')
        return json_number(p);
    close = *p == '{' ? '}' : ']';
    p = json_space(p + 1);
    if (*p == close)
        return p + 1;
    for (;;) {
        if (close == '}') {
            p = json_string(json_space(p));
            if (!p)
                return NULL;
            p = json_space(p);
            if (*p++ != ':')
                return NULL;
        }
        p = json_value(p, depth + 1);
        if (!p)
            return NULL;
        p = json_space(p);
        if (*p == close)
            return p + 1;
        if (*p++ != ',')
            return NULL;
    }
}

static int json_valid(const char *text)
{
    const char *end = json_value(text, 0);
    return end && *json_space(end) == '\0';
}

static void test_json_valid(void)
{
    fixture f;
    char *text;

    CHECK(json_valid("{\"a\": [1, -2.5e+3, true, null, \"x\\u0041\"]}"));
    CHECK(!json_valid("{\"a\": NaN}"));
    CHECK(!json_valid("{\"a\": 1,}"));
    build_fixture(&f);
    text = render(&f.cmp, JSON, 1, NULL);
    CHECK(json_valid(text));
    CHECK(starts_with(text, "{\n  \"schema_version\": 1,\n  \"kind\": \"comparison\",\n"));
    CHECK_CONTAINS(text, "\"name\": \"term/\\u001b[2Jclear\\nscreen\"");
    CHECK_CONTAINS(text, "\"name\": \"fmt/a|b,\\\"c\\\"`d`\"");
    CHECK_CONTAINS(text, "\"failed\": true");
    CHECK_CONTAINS(text, "\"p_value\": null");
    CHECK_CONTAINS(text, "\"mean\": {\n        \"text\": \"10%\",\n        \"relative\": true,\n"
                         "        \"value\": 0.1\n      }");
    free(text);

    /* nothing compared, no runs */
    free(f.cmp.machine_mismatch);
    memset(&f.cmp, 0, sizeof f.cmp);
    text = render(&f.cmp, JSON, 1, NULL);
    CHECK(json_valid(text));
    CHECK_CONTAINS(text, "\"baseline\": null");
    CHECK_CONTAINS(text, "\"geomean_change\": null");
    CHECK_CONTAINS(text, "\"benchmarks\": []");
    free(text);
    release_fixture(&f);
}

/* ---- other cases ---- */

/* Everything normal: nothing to report, nothing to do. */
static void test_all_normal(void)
{
    fixture f;
    char *text;
    size_t i, kept = 0;

    build_fixture(&f);
    for (i = 0; i < f.cmp.n_entries; i++) {
        pr_cmp_entry *e = &f.entries[i];
        if (e->kind == PR_CMP_MATCHED && e->level == PR_LEVEL_NORMAL && !e->noise &&
            e->current->stats.cv <= 0.05)
            f.entries[kept++] = *e;
    }
    f.cmp.n_entries = kept;
    free(f.cmp.machine_mismatch);
    f.cmp.machine_mismatch = NULL;
    text = render(&f.cmp, TEXT, 1, NULL);
    CHECK_CONTAINS(text, "REGRESSIONS DETECTED\n------------------------------------------------"
                         "------------------------------\nNo regressions.\n");
    CHECK_CONTAINS(text, "RECOMMENDATIONS\n-----------------------------------------------------"
                         "-------------------------\nNo action needed.\n");
    CHECK(strstr(text, "Warning") == NULL);
    CHECK(strstr(text, "few  ") == NULL);
    check_lines(text, 1);
    free(text);
    text = render(&f.cmp, MARKDOWN, 1, NULL);
    CHECK(starts_with(text, "### perfreg: no regressions\n"));
    CHECK_CONTAINS(text, "No regressions.\n");
    CHECK_CONTAINS(text, "No action needed.\n");
    free(text);
    release_fixture(&f);
}

/* A warning from a statistic the table does not show names it, and a
 * wider spread alone is left to the unstable-benchmark advice. */
static void test_spread_warning_named(void)
{
    fixture f;
    pr_cmp_entry *e = NULL;
    pr_metric_change *sd;
    char *text;
    size_t i;

    build_fixture(&f);
    for (i = 0; i < f.cmp.n_entries; i++)
        if (strcmp(f.entries[i].name, "string/strlen_1k") == 0)
            e = &f.entries[i];
    CHECK(e != NULL);
    if (!e) {
        release_fixture(&f);
        return;
    }
    f.entries[0] = *e;
    f.cmp.n_entries = 1;
    e = &f.entries[0];
    e->level = PR_LEVEL_WARNING;
    e->worst = PR_METRIC_STDDEV;
    sd = &e->metrics[PR_METRIC_STDDEV];
    sd->valid = sd->relative_valid = 1;
    sd->baseline = 1.0;
    sd->current = 1.8;
    sd->change = sd->regression = 0.8;
    sd->abs_regression = 0.8;
    sd->level = PR_LEVEL_WARNING;
    text = render(&f.cmp, TEXT, 0, NULL);
    CHECK_CONTAINS(text, "  warning stddev\n");
    CHECK_CONTAINS(text, "- string/strlen_1k: stddev +80.0%");
    CHECK(strstr(text, "Investigate string/strlen_1k") == NULL);
    check_lines(text, 0);
    free(text);
    text = render(&f.cmp, MARKDOWN, 1, NULL);
    CHECK_CONTAINS(text, " stddev |\n");
    free(text);
    release_fixture(&f);
}

/* The fixture cut down to string/strlen_1k alone, or NULL. */
static pr_cmp_entry *only_strlen(fixture *f)
{
    size_t i;

    for (i = 0; i < f->cmp.n_entries; i++) {
        if (strcmp(f->entries[i].name, "string/strlen_1k") == 0) {
            f->entries[0] = f->entries[i];
            f->cmp.n_entries = 1;
            free(f->cmp.machine_mismatch);
            f->cmp.machine_mismatch = NULL;
            return &f->entries[0];
        }
    }
    return NULL;
}

/* Sets metric M of E from BASELINE to CURRENT with VERDICT. */
static pr_metric_change *set_change(pr_cmp_entry *e, pr_metric m, double baseline, double current,
                                    pr_level verdict)
{
    pr_metric_change *mc = &e->metrics[m];

    mc->valid = 1;
    mc->baseline = baseline;
    mc->current = current;
    mc->relative_valid = baseline != 0;
    mc->change = mc->regression = baseline != 0 ? (current - baseline) / baseline : 0;
    mc->abs_regression = current - baseline;
    mc->level = verdict;
    return mc;
}

/* A memory regression: named in the status cell and in REGRESSIONS
 * DETECTED ("memory +25.0%"), never with a p-value (memory is not gated),
 * and in every format. */
static void test_memory_regression_named(void)
{
    fixture f;
    pr_cmp_entry *e;
    pr_metric_change *mc;
    char *text;
    int utf8;

    build_fixture(&f);
    e = only_strlen(&f);
    CHECK(e != NULL);
    if (!e) {
        release_fixture(&f);
        return;
    }
    f.cmp.options.warn.of[PR_METRIC_MEMORY] = (pr_threshold){1, 1, 0.20};
    f.cmp.options.warn.of[PR_METRIC_ALLOCS] = (pr_threshold){1, 1, 0.20};
    e->level = PR_LEVEL_WARNING;
    e->worst = PR_METRIC_MEMORY;
    set_change(e, PR_METRIC_MEMORY, 64 * 1048576.0, 80 * 1048576.0, PR_LEVEL_WARNING);
    for (utf8 = 0; utf8 <= 1; utf8++) {
        text = render(&f.cmp, TEXT, utf8, NULL);
        CHECK_CONTAINS(text, utf8 ? "\xe2\x9a\xa0\xef\xb8\x8f"
                                    " memory\n"
                                  : "  warning memory\n");
        CHECK_CONTAINS(text, "- string/strlen_1k: memory +25.0%, warning: beyond the 20% warning "
                             "threshold\n");
        CHECK_CONTAINS(text, "- Investigate string/strlen_1k: memory +25.0% since 0a1b2c3\n");
        CHECK(strstr(strstr(text, "REGRESSIONS"), "(p=") == NULL);
        check_lines(text, utf8);
        free(text);
    }
    text = render(&f.cmp, MARKDOWN, 1, NULL);
    CHECK_CONTAINS(text, " memory |\n");
    CHECK_CONTAINS(text, "- `string/strlen_1k`: memory +25.0%, warning: beyond the 20% warning "
                         "threshold\n");
    free(text);
    text = render(&f.cmp, JSON, 1, NULL);
    CHECK(json_valid(text));
    CHECK_CONTAINS(text, "\"worst\": \"memory\",");
    CHECK_CONTAINS(text, "\"memory\": {\n          \"baseline\": 67108864,\n"
                         "          \"current\": 83886080,\n          \"change\": 0.25,");
    CHECK_CONTAINS(text, "\"memory\": {\n        \"text\": \"20%\",");
    free(text);
    /* the CSV shows the primary metric; the verdict is the entry's */
    text = render(&f.cmp, CSV, 1, NULL);
    CHECK_CONTAINS(text, "\nstring/strlen_1k,matched,pass,warning,0,0,mean,");
    free(text);

    /* critical and failing, against absolute thresholds */
    f.cmp.options.warn.of[PR_METRIC_MEMORY] = (pr_threshold){1, 0, 1048576};
    e->level = PR_LEVEL_CRITICAL;
    mc = set_change(e, PR_METRIC_MEMORY, 64 * 1048576.0, 66.5 * 1048576.0, PR_LEVEL_CRITICAL);
    text = render(&f.cmp, TEXT, 0, NULL);
    CHECK_CONTAINS(text, "  CRITICAL memory\n");
    CHECK_CONTAINS(text, "- string/strlen_1k: memory +3.9% (+2.50 MiB), critical: beyond 2MiB "
                         "(twice the\n  1MiB warning threshold)\n");
    free(text);
    f.cmp.options.fail.of[PR_METRIC_MEMORY] = (pr_threshold){1, 0, 2 * 1048576};
    e->failing = mc->failing = 1;
    text = render(&f.cmp, TEXT, 0, NULL);
    CHECK_CONTAINS(text, "- string/strlen_1k: memory +3.9% (+2.50 MiB), failing: beyond the 2MiB "
                         "--fail\n  threshold\n");
    check_lines(text, 0);
    free(text);
    release_fixture(&f);
}

/* Allocations where the baseline had none: a warning with its own words,
 * the change as a count. */
static void test_allocs_from_none(void)
{
    fixture f;
    pr_cmp_entry *e;
    char *text;

    build_fixture(&f);
    e = only_strlen(&f);
    CHECK(e != NULL);
    if (!e) {
        release_fixture(&f);
        return;
    }
    f.cmp.options.warn.of[PR_METRIC_ALLOCS] = (pr_threshold){1, 1, 0.20};
    e->level = PR_LEVEL_WARNING;
    e->worst = PR_METRIC_ALLOCS;
    set_change(e, PR_METRIC_ALLOCS, 0, 2, PR_LEVEL_WARNING);
    text = render(&f.cmp, TEXT, 0, NULL);
    CHECK_CONTAINS(text, "  warning allocs\n");
    CHECK_CONTAINS(text, "- string/strlen_1k: allocs +2.000, warning: allocates where the "
                         "baseline made\n  no allocations\n");
    CHECK_CONTAINS(text, "- Investigate string/strlen_1k: allocs +2.000 since 0a1b2c3\n");
    check_lines(text, 0);
    free(text);
    text = render(&f.cmp, JSON, 1, NULL);
    CHECK_CONTAINS(text, "\"allocs\": {\n          \"baseline\": 0,\n          \"current\": 2,\n"
                         "          \"change\": null,\n          \"regression\": null,\n"
                         "          \"abs_regression\": 2,");
    free(text);

    /* +50% against an absolute warning of 2 per iteration */
    f.cmp.options.warn.of[PR_METRIC_ALLOCS] = (pr_threshold){1, 0, 2};
    e->level = PR_LEVEL_WARNING;
    set_change(e, PR_METRIC_ALLOCS, 6, 9, PR_LEVEL_WARNING);
    text = render(&f.cmp, TEXT, 0, NULL);
    CHECK_CONTAINS(text, "- string/strlen_1k: allocs +50.0% (+3.000), warning: beyond the 2 "
                         "warning\n  threshold\n");
    free(text);
    release_fixture(&f);
}

/* From the runs through pr_compare_runs to the report: the +20% default
 * alert on memory. */
static void test_memory_end_to_end(void)
{
    static const double x[] = {100, 101, 102, 103, 104, 105, 106, 107, 108, 109};
    pr_run base, cur;
    pr_result *r = NULL;
    pr_comparison cmp;
    char *text;
    int i;

    pr_run_init(&base);
    pr_run_init(&cur);
    for (i = 0; i < 2; i++) {
        pr_run *run = i ? &cur : &base;
        CHECK_INT(pr_run_add_result(run, &r), 0);
        r->name = xdup("buffer/fill");
        r->status = PR_STATUS_OK;
        r->iterations = 1;
        r->samples_ns = malloc(sizeof x);
        memcpy(r->samples_ns, x, sizeof x);
        r->n_samples = 10;
        CHECK_INT(pr_stats_compute(&r->stats, r->samples_ns, r->n_samples), 0);
        r->has_memory = 1;
        r->baseline_rss_bytes = 1 << 20;
        r->memory_bytes = i ? 80 << 20 : 64 << 20;
        r->peak_rss_bytes = r->baseline_rss_bytes + r->memory_bytes;
    }
    CHECK_INT(pr_compare_runs(&base, &cur, NULL, &cmp), 0);
    CHECK_INT(cmp.n_warning, 1);
    text = render(&cmp, TEXT, 0, NULL);
    CHECK_CONTAINS(text, "+0.0%      -   -  warning memory\n");
    CHECK_CONTAINS(text, "- buffer/fill: memory +25.0%, warning: beyond the 20% warning "
                         "threshold\n");
    check_lines(text, 0);
    free(text);
    pr_comparison_release(&cmp);
    pr_run_release(&base);
    pr_run_release(&cur);
}

static void test_empty_comparison(void)
{
    pr_comparison cmp;
    char *text;
    int utf8;

    memset(&cmp, 0, sizeof cmp);
    for (utf8 = 0; utf8 <= 1; utf8++) {
        text = render(&cmp, TEXT, utf8, NULL);
        CHECK_CONTAINS(text, "no benchmarks to compare\n");
        CHECK_CONTAINS(text, "Current:   not a git repository\n");
        CHECK(strstr(text, "p-value: two-sided") == NULL);
        check_lines(text, utf8);
        free(text);
    }
    text = render(&cmp, MARKDOWN, 1, NULL);
    CHECK_CONTAINS(text, "No benchmarks to compare.");
    free(text);
    text = render(&cmp, CSV, 1, NULL);
    CHECK_STR(text, "name,kind,verdict,level,failing,noise,metric,baseline,current,change,"
                    "estimate,low,high,resolution,n,method,p_value,significant,testable\n");
    free(text);
}

static void test_significance_off(void)
{
    fixture f;
    char *text;
    size_t i;

    build_fixture(&f);
    f.cmp.options.significance = 0;
    for (i = 0; i < f.cmp.n_entries; i++) {
        f.entries[i].tested = 0;
        f.entries[i].noise = 0;
    }
    text = render(&f.cmp, TEXT, 1, NULL);
    CHECK_CONTAINS(text, "Change: the plain change (--no-significance)");
    CHECK(strstr(text, "(p") == NULL);
    CHECK_CONTAINS(text, "+25.3%      -   -  ");
    check_lines(text, 1);
    free(text);
    release_fixture(&f);
}

/* Many unstable benchmarks share one bullet; hostile and huge values fit. */
static void test_many_and_hostile(void)
{
    fixture f;
    char *text;
    char big[400];
    size_t i;
    int utf8;

    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    build_fixture(&f);
    for (i = 0; i < f.cmp.n_entries; i++)
        if (f.entries[i].current && f.entries[i].current->n_samples > 0)
            ((pr_result *)f.entries[i].current)->stats.cv = 0.09;
    f.entries[0].name = big;
    f.entries[0].metrics[PR_METRIC_MEAN].change = 12345.6;
    f.entries[1].metrics[PR_METRIC_MEAN].change = -0.99999;
    f.entries[1].metrics[PR_METRIC_MEAN].current = 1e300;
    f.entries[2].metrics[PR_METRIC_MEAN].change = 1e300;
    f.entries[3].metrics[PR_METRIC_MEAN].relative_valid = 0;
    free(f.cmp.machine_mismatch);
    f.cmp.machine_mismatch = xdup(big);
    f.cmp.options.alpha = 1.2345678e-300;
    free(((pr_result *)f.entries[10].current)->error);
    ((pr_result *)f.entries[10].current)->error = NULL;
    for (utf8 = 0; utf8 <= 1; utf8++) {
        text = render(&f.cmp, TEXT, utf8, big);
        check_lines(text, utf8);
        CHECK_CONTAINS(text, "10 benchmarks are unstable (cv above 5%:");
        CHECK_CONTAINS(text, " and 7 more): close other programs");
        CHECK_CONTAINS(text, "FAILED: no reason given");
        free(text);
    }
    text = render(&f.cmp, JSON, 1, NULL);
    CHECK(json_valid(text));
    free(text);
    release_fixture(&f);
}

static void test_invalid_arguments(void)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    pr_comparison cmp;
    pr_report_options opt = {1, NULL};

    memset(&cmp, 0, sizeof cmp);
    CHECK(opt.accept_command == NULL);
    CHECK_INT(pr_report_comparison(&sb, NULL, &opt), PR_EINVALID);
    CHECK_INT(pr_report_comparison(NULL, &cmp, &opt), PR_EINVALID);
    CHECK_INT(pr_report_comparison_sections(&sb, NULL, &opt), PR_EINVALID);
    CHECK_INT(pr_report_comparison_markdown(&sb, NULL, &opt), PR_EINVALID);
    CHECK_INT(pr_report_comparison_csv(&sb, NULL), PR_EINVALID);
    CHECK_INT(pr_results_write_comparison(NULL, &sb), PR_EINVALID);
    /* no options: ASCII */
    CHECK_INT(pr_report_comparison(&sb, &cmp, NULL), 0);
    check_lines(pr_strbuf_cstr(&sb), 0);
    pr_strbuf_release(&sb);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        golden_dir = argv[1];
    RUN_TEST(test_golden_text_utf8);
    RUN_TEST(test_golden_text_ascii);
    RUN_TEST(test_golden_sections);
    RUN_TEST(test_golden_markdown);
    RUN_TEST(test_golden_csv);
    RUN_TEST(test_golden_json);
    RUN_TEST(test_text_lines_fit);
    RUN_TEST(test_text_content);
    RUN_TEST(test_sections_alone);
    RUN_TEST(test_markdown_table);
    RUN_TEST(test_csv_quoting);
    RUN_TEST(test_json_valid);
    RUN_TEST(test_all_normal);
    RUN_TEST(test_spread_warning_named);
    RUN_TEST(test_memory_regression_named);
    RUN_TEST(test_allocs_from_none);
    RUN_TEST(test_memory_end_to_end);
    RUN_TEST(test_empty_comparison);
    RUN_TEST(test_significance_off);
    RUN_TEST(test_many_and_hostile);
    RUN_TEST(test_invalid_arguments);
    return CHECK_DONE();
}
