/*
 * test_report.c - unit tests of the text report: number formatting at the
 * unit and decade boundaries, escaping, widths, and the whole report of a
 * constructed run compared with golden files in tests/data.
 *
 * The golden files are read from the directory given as argv[1], else from
 * PR_TEST_DATA_DIR. With PERFREG_UPDATE_GOLDEN=1 the test rewrites them
 * instead of comparing; read the diff before committing it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "error.h"
#include "report.h"
#include "run.h"
#include "strbuf.h"
#include "banned.h"

#ifndef PR_TEST_DATA_DIR
#define PR_TEST_DATA_DIR "tests/data"
#endif

#define MU "\xc2\xb5"
#define ELLIPSIS "\xe2\x80\xa6"

static const char *golden_dir = PR_TEST_DATA_DIR;

#define RULE "------------------------------------------------------------------------------\n"

/* ---- formatting ---- */

static const char *fmt_time(double ns, int utf8)
{
    static char buf[64];
    pr_report_format_time(buf, sizeof buf, ns, utf8);
    return buf;
}

static const char *fmt_rate(double per_second)
{
    static char buf[64];
    pr_report_format_rate(buf, sizeof buf, per_second);
    return buf;
}

static const char *fmt_bytes(double bytes_per_second)
{
    static char buf[64];
    pr_report_format_bytes_rate(buf, sizeof buf, bytes_per_second);
    return buf;
}

static void test_format_time_utf8(void)
{
    CHECK_STR(fmt_time(0, 1), "0 ns");
    CHECK_STR(fmt_time(0.4213, 1), "0.421 ns");
    CHECK_STR(fmt_time(1, 1), "1.000 ns");
    CHECK_STR(fmt_time(9.9994, 1), "9.999 ns");
    CHECK_STR(fmt_time(9.9996, 1), "10.00 ns");
    /* 12.345 is stored a hair above, so it rounds up */
    CHECK_STR(fmt_time(12.345, 1), "12.35 ns");
    CHECK_STR(fmt_time(99.996, 1), "100.0 ns");
    CHECK_STR(fmt_time(999.94, 1), "999.9 ns");
    CHECK_STR(fmt_time(999.96, 1), "1.000 " MU "s");
    /* 1234.5 / 1000 is stored a hair below 1.2345 */
    CHECK_STR(fmt_time(1234.5, 1), "1.234 " MU "s");
    CHECK_STR(fmt_time(812345, 1), "812.3 " MU "s");
    CHECK_STR(fmt_time(999960, 1), "1.000 ms");
    CHECK_STR(fmt_time(1e6, 1), "1.000 ms");
    CHECK_STR(fmt_time(999.96e6, 1), "1.000 s");
    CHECK_STR(fmt_time(5e9, 1), "5.000 s");
    CHECK_STR(fmt_time(12e9, 1), "12.00 s");
    CHECK_STR(fmt_time(1e12, 1), "1000 s");
    CHECK_STR(fmt_time(1.234e12, 1), "1234 s");
    CHECK_STR(fmt_time(-1500, 1), "-1.500 " MU "s");
    CHECK_STR(fmt_time(NAN, 1), "n/a");
}

static void test_format_time_ascii(void)
{
    CHECK_STR(fmt_time(0, 0), "0 ns");
    CHECK_STR(fmt_time(0.4213, 0), "0.421 ns");
    CHECK_STR(fmt_time(1, 0), "1.000 ns");
    CHECK_STR(fmt_time(9.9996, 0), "10.00 ns");
    CHECK_STR(fmt_time(12.345, 0), "12.35 ns");
    CHECK_STR(fmt_time(999.94, 0), "999.9 ns");
    CHECK_STR(fmt_time(999.96, 0), "1.000 us");
    CHECK_STR(fmt_time(1234.5, 0), "1.234 us");
    CHECK_STR(fmt_time(1e6, 0), "1.000 ms");
    CHECK_STR(fmt_time(5e9, 0), "5.000 s");
    CHECK_STR(fmt_time(1e12, 0), "1000 s");
}

static void test_format_time_small_buffer(void)
{
    char buf[4] = "xyz";
    pr_report_format_time(buf, sizeof buf, 1234.5, 1);
    CHECK_STR(buf, "1.2");
    pr_report_format_time(buf, 0, 1234.5, 1);
    CHECK_STR(buf, "1.2");
}

static void test_format_rate(void)
{
    CHECK_STR(fmt_rate(0), "0");
    CHECK_STR(fmt_rate(0.5), "0.500");
    CHECK_STR(fmt_rate(9.9996), "10.00");
    CHECK_STR(fmt_rate(812.3), "812.3");
    CHECK_STR(fmt_rate(999.94), "999.9");
    CHECK_STR(fmt_rate(999.96), "1.000k");
    CHECK_STR(fmt_rate(12350), "12.35k");
    CHECK_STR(fmt_rate(999960), "1.000M");
    CHECK_STR(fmt_rate(1234000), "1.234M");
    CHECK_STR(fmt_rate(41130000), "41.13M");
    CHECK_STR(fmt_rate(2.5e9), "2.500G");
    CHECK_STR(fmt_rate(1.234e12), "1234G");
}

static const char *fmt_size(double bytes)
{
    static char buf[64];
    pr_report_format_bytes(buf, sizeof buf, bytes);
    return buf;
}

static void test_format_bytes(void)
{
    CHECK_STR(fmt_size(0), "0 B");
    CHECK_STR(fmt_size(1), "1 B");
    CHECK_STR(fmt_size(512), "512 B");
    CHECK_STR(fmt_size(1023), "1023 B");
    CHECK_STR(fmt_size(1024), "1.00 KiB");
    CHECK_STR(fmt_size(1536), "1.50 KiB");
    CHECK_STR(fmt_size(812 * 1024.0), "812 KiB");
    CHECK_STR(fmt_size(1023 * 1024.0), "1023 KiB");
    /* 1023.6 KiB rounds to 1024: the next unit */
    CHECK_STR(fmt_size(1023.6 * 1024), "1.00 MiB");
    CHECK_STR(fmt_size(9.996 * 1048576), "10.0 MiB");
    CHECK_STR(fmt_size(64 * 1048576.0), "64.0 MiB");
    CHECK_STR(fmt_size(99.96 * 1048576), "100 MiB");
    CHECK_STR(fmt_size(1.5 * 1073741824), "1.50 GiB");
    CHECK_STR(fmt_size(2 * 1099511627776.0), "2.00 TiB");
    CHECK_STR(fmt_size(5000 * 1099511627776.0), "5000 TiB");
    CHECK_STR(fmt_size(1e20), "9.1e+07 TiB");
    /* fractions of a byte (bytes per iteration) keep their decimals */
    CHECK_STR(fmt_size(0.5), "0.50 B");
    CHECK_STR(fmt_size(12.26), "12.3 B");
    CHECK_STR(fmt_size(1023.75), "1.00 KiB");
    CHECK_STR(fmt_size(-2048), "-2.00 KiB");
    CHECK_STR(fmt_size(NAN), "n/a");
}

static void test_format_bytes_rate(void)
{
    CHECK_STR(fmt_bytes(0), "0 B/s");
    CHECK_STR(fmt_bytes(512), "512.0 B/s");
    CHECK_STR(fmt_bytes(999.96), "1.000 kB/s");
    CHECK_STR(fmt_bytes(1e3), "1.000 kB/s");
    CHECK_STR(fmt_bytes(42.1e6), "42.10 MB/s");
    CHECK_STR(fmt_bytes(1.234e9), "1.234 GB/s");
    CHECK_STR(fmt_bytes(999.96e9), "1.000 TB/s");
    CHECK_STR(fmt_bytes(5e15), "5000 TB/s");
}

/* ---- escaping and width ---- */

/* Checks what add_escaped writes for S and that display_width agrees. */
static void check_escaped(const char *s, int utf8, const char *want, size_t want_width)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    pr_report_add_escaped(&sb, s, utf8);
    CHECK_STR(pr_strbuf_cstr(&sb), want);
    CHECK_INT(pr_report_display_width(s, utf8), want_width);
    pr_strbuf_release(&sb);
}

static void test_escape_controls(void)
{
    int utf8;
    for (utf8 = 0; utf8 <= 1; utf8++) {
        check_escaped("\x1b[31mred", utf8, "\\e[31mred", 9);
        check_escaped("a\nb", utf8, "a\\nb", 4);
        check_escaped("a\tb", utf8, "a\\tb", 4);
        check_escaped("a\rb", utf8, "a\\rb", 4);
        check_escaped("\x01\x7f", utf8, "\\x01\\x7f", 8);
        check_escaped("a\\b", utf8, "a\\b", 3);
        check_escaped("", utf8, "", 0);
    }
    check_escaped(NULL, 1, "", 0);
}

static void test_escape_utf8(void)
{
    check_escaped(MU "s", 1, MU "s", 2);
    check_escaped(MU "s", 0, "\\xc2\\xb5s", 9);
    check_escaped("gr\xc3\xb6\xc3\x9f"
                  "e",
                  1,
                  "gr\xc3\xb6\xc3\x9f"
                  "e",
                  5);
    check_escaped("\xf0\x9f\x98\x80", 1, "\xf0\x9f\x98\x80", 1);
    /* invalid: stray byte, a lead byte without its continuation, a
     * sequence cut at the end, overlong, surrogate, above U+10FFFF */
    check_escaped("ok\xff", 1, "ok\\xff", 6);
    check_escaped("\xc3(", 1, "\\xc3(", 5);
    check_escaped("x\xe2\x82", 1, "x\\xe2\\x82", 9);
    check_escaped("\xc0\xaf", 1, "\\xc0\\xaf", 8);
    check_escaped("\xed\xa0\x80", 1, "\\xed\\xa0\\x80", 12);
    check_escaped("\xf4\x90\x80\x80", 1, "\\xf4\\x90\\x80\\x80", 16);
    /* valid but acting on the terminal or the text around: C1 CSI, RLO */
    check_escaped("\xc2\x9b"
                  "2J",
                  1, "\\xc2\\x9b2J", 10);
    check_escaped("a\xe2\x80\xae"
                  "b",
                  1, "a\\xe2\\x80\\xaeb", 14);
}

/* ---- the report ---- */

static char *xdup(const char *s)
{
    char *p = pr_strdup(s);
    CHECK(p != NULL);
    return p;
}

/* Adds a result whose statistics are set directly: the report reads only
 * the summary, not the samples. */
static pr_result *add_result(pr_run *run, const char *name, double mean_ns, double median_ns,
                             double stddev_ns, size_t n)
{
    pr_result *r = NULL;
    CHECK_INT(pr_run_add_result(run, &r), 0);
    r->name = xdup(name);
    r->status = PR_STATUS_OK;
    r->iterations = 1000;
    r->n_samples = n;
    r->stats.n = n;
    r->stats.mean_ns = mean_ns;
    r->stats.median_ns = median_ns;
    r->stats.stddev_ns = stddev_ns;
    r->stats.cv = mean_ns > 0 ? stddev_ns / mean_ns : 0;
    r->stats.ops_per_second = mean_ns > 0 ? 1e9 / mean_ns : 0;
    return r;
}

static void build_run(pr_run *run)
{
    pr_result *r;

    pr_run_init(run);
    run->suite = xdup("perfreg_bench");
    run->context.date = xdup("2026-11-23T08:35:00Z");
    run->context.compiler = xdup("gcc 12.2.0");
    run->context.build_type = xdup("Release");
    run->context.build_flags = xdup("-O2");
    run->context.cpu_model = xdup("Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz");
    run->context.logical_cores = 2;
    run->context.os = xdup("Linux");
    run->context.kernel = xdup("6.1.0-13-amd64");
    run->context.arch = xdup("x86_64");
    run->context.clock = xdup("CLOCK_MONOTONIC");
    run->context.clock_cost_ns = 19.8;
    run->git.commit = xdup("1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d");
    run->git.short_commit = xdup("1a2b3c4");
    run->git.branch = xdup("main");
    run->git.dirty = 1;
    run->git.subject = xdup("Fix the parser so that a truncated samples array is an input error");

    r = add_result(run, "string/strlen_1k", 24.31, 24.29, 0.118, 50);
    r->bytes_per_iteration = 1024;
    pr_result_derive_throughput(r);
    r = add_result(run, "string/memcpy_64k", 1834.2, 1829.7, 12.6, 50);
    r->bytes_per_iteration = 65536;
    pr_result_derive_throughput(r);
    r = add_result(run, "codec/json/parse_document_with_deeply_nested_arrays_and_long_keys_4096",
                   48213.5, 48100.0, 310.0, 30);
    r->items_per_iteration = 4096;
    pr_result_derive_throughput(r);
    r = add_result(run, "alloc/malloc_free_64", 41.7, 39.8, 3.0, 50);
    r->has_memory = 1;
    r->baseline_rss_bytes = 2097152;
    r->memory_bytes = 812 * 1024;
    r->peak_rss_bytes = r->baseline_rss_bytes + r->memory_bytes;
    r->has_allocs = 1;
    r->allocs_per_iteration = 1;
    r->alloc_bytes_per_iteration = 64;
    add_result(run, "sort/qsort_100k", 6.5432e6, 6.5401e6, 21400, 20);
    add_result(run,
               "text/utf8_decode_gr\xc3\xb6\xc3\x9f"
               "e",
               812.3, 811.9, 2.2, 50);
    add_result(run, "term/\x1b[2Jclear\nscreen", 0.4213, 0.4209, 0.0011, 50);
    CHECK_INT(pr_run_add_result(run, &r), 0);
    r->name = xdup("io/fsync_tmpfile");
    r->status = PR_STATUS_FAILED;
    r->error = xdup("cannot create '/tmp/perfreg-fsync-bench.XXXXXX': no space left on device; "
                    "free some space or set TMPDIR and run again");
}

static char *render(const pr_run *run, int utf8)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    pr_report_options opt;
    opt.utf8 = utf8;
    CHECK_INT(pr_report_run(&sb, run, &opt), 0);
    return pr_strbuf_detach(&sb, NULL);
}

/* Columns of a line: code points, counted independently of the module. */
static size_t columns(const char *s, size_t len)
{
    size_t i, n = 0;
    for (i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            n++;
    return n;
}

/* Every line fits, ends with a newline, and no byte reaches the terminal
 * raw that could act on it; in ASCII mode every byte is ASCII. */
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

/* Shows the first line where the two texts differ. */
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
                "'%s' differs from the report; if the change is intended, run with "
                "PERFREG_UPDATE_GOLDEN=1 and review the diff\n",
                path);
        show_difference(pr_strbuf_cstr(&want), got);
        CHECK(0);
    }
    pr_strbuf_release(&want);
}

static void test_report_golden_utf8(void)
{
    pr_run run;
    char *text;
    build_run(&run);
    text = render(&run, 1);
    check_golden("report_run.txt", text);
    free(text);
    pr_run_release(&run);
}

static void test_report_golden_ascii(void)
{
    pr_run run;
    char *text;
    build_run(&run);
    text = render(&run, 0);
    check_golden("report_run_ascii.txt", text);
    free(text);
    pr_run_release(&run);
}

static void test_report_lines_fit(void)
{
    pr_run run;
    char *text;
    int utf8;

    build_run(&run);
    for (utf8 = 0; utf8 <= 1; utf8++) {
        text = render(&run, utf8);
        check_lines(text, utf8);
        free(text);
    }
    pr_run_release(&run);
}

static void test_report_content(void)
{
    pr_run run;
    char *text;

    build_run(&run);
    text = render(&run, 1);
    CHECK_CONTAINS(text, "Commit:    1a2b3c4 (main-dirty) Fix the parser");
    CHECK_CONTAINS(text, "Compiler:  gcc 12.2.0 (Release, -O2)\n");
    CHECK_CONTAINS(text, ", 2 cores, Linux 6.1.0-13-amd64 x86_64\n");
    CHECK_CONTAINS(text, "Clock:     CLOCK_MONOTONIC, 19.80 ns per read\n");
    /* the long name keeps both ends */
    CHECK_CONTAINS(text, "\ncodec/json/pars" ELLIPSIS "long_keys_4096  48.21 " MU "s");
    CHECK_CONTAINS(text, "term/\\e[2Jclear\\nscreen");
    CHECK_CONTAINS(text, "io/fsync_tmpfile                FAILED (see FAILURES)\n");
    /* the whole reason, under the name, in a section of its own */
    CHECK_CONTAINS(text, "FAILURES: 1 of 8 benchmarks\n" RULE "io/fsync_tmpfile\n    cannot create '/tmp/");
    CHECK_CONTAINS(text, "THROUGHPUT\n");
    CHECK_CONTAINS(text, "alloc/malloc_free_64  cv 7.2%: results may be noisy\n");
    CHECK_CONTAINS(text, "THROUGHPUT\n");
    CHECK_CONTAINS(text, "MEMORY\n");
    CHECK_CONTAINS(text, "\nalloc/malloc_free_64               812 KiB    2.79 MiB       1.000"
                         "        64 B\n");
    /* the sections in order */
    CHECK(strstr(text, "THROUGHPUT") < strstr(text, "MEMORY"));
    CHECK(strstr(text, "MEMORY") < strstr(text, "NOTES"));
    CHECK(strstr(text, "string/strlen_1k  cv") == NULL);
    free(text);

    text = render(&run, 0);
    CHECK_CONTAINS(text, "\ncodec/json/par...ong_keys_4096  48.21 us");
    CHECK_CONTAINS(text, "1.834 us");
    CHECK_CONTAINS(text, "\ntext/utf8_deco...\\xb6\\xc3\\x9fe  812.3 ns");
    free(text);
    pr_run_release(&run);
}

static void test_report_empty_run(void)
{
    pr_run run;
    char *text;
    int utf8;

    pr_run_init(&run);
    for (utf8 = 0; utf8 <= 1; utf8++) {
        text = render(&run, utf8);
        CHECK_CONTAINS(text, "PERFORMANCE BENCHMARK REPORT\n");
        CHECK_CONTAINS(text, "Suite:     unknown\n");
        CHECK_CONTAINS(text, "Commit:    not a git repository\n");
        CHECK_CONTAINS(text, "Compiler:  unknown\n");
        CHECK_CONTAINS(text, "Machine:   unknown CPU\n");
        CHECK_CONTAINS(text, "Clock:     unknown\n");
        CHECK_CONTAINS(text, "no benchmarks ran\n");
        CHECK(strstr(text, "THROUGHPUT") == NULL);
        CHECK(strstr(text, "MEMORY") == NULL);
        CHECK(strstr(text, "NOTES") == NULL);
        check_lines(text, utf8);
        free(text);
    }
    run.git.branch = xdup("main");
    text = render(&run, 1);
    CHECK_CONTAINS(text, "Commit:    (no commits yet)\n");
    free(text);
    pr_run_release(&run);
}

/* Everything as long and as hostile as a file can make it still fits. */
static void test_report_hostile_strings(void)
{
    pr_run run;
    pr_result *r;
    char *text;
    char big[300];
    int utf8;

    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    pr_run_init(&run);
    run.suite = xdup(big);
    run.context.date = xdup("\x1b]0;title\x07");
    run.context.compiler = xdup(big);
    run.context.build_flags = xdup("-O2");
    run.context.cpu_model = xdup(big);
    run.context.logical_cores = 1;
    run.context.kernel = xdup(big);
    run.context.clock = xdup(big);
    run.context.clock_cost_ns = 20;
    run.git.commit = xdup("0123456789abcdef");
    run.git.branch = xdup(big);
    run.git.subject = xdup(big);
    run.git.dirty = 1;
    add_result(&run, big, 1e15, 1e15, 1e15, 1000000);
    r = add_result(&run, "\xe2\x80\xae\xff\xfe\n\n", 1, 1, 1, 2);
    r->bytes_per_iteration = 1e12;
    r->items_per_iteration = 1e12;
    pr_result_derive_throughput(r);
    CHECK_INT(pr_run_add_result(&run, &r), 0);
    r->status = PR_STATUS_FAILED;
    CHECK_INT(pr_run_add_result(&run, &r), 0);
    r->name = xdup("no/samples");
    for (utf8 = 0; utf8 <= 1; utf8++) {
        text = render(&run, utf8);
        check_lines(text, utf8);
        CHECK_CONTAINS(text, "(unnamed)                       FAILED (see FAILURES)\n");
        CHECK_CONTAINS(text, "\n(unnamed)\n    no reason given\n");
        CHECK_CONTAINS(text, "no/samples                      no samples\n");
        CHECK_CONTAINS(text, "Date:      \\e]0;title\\x07\n");
        free(text);
    }
    pr_run_release(&run);
}

static void test_report_no_throughput_no_notes(void)
{
    pr_run run;
    char *text;

    pr_run_init(&run);
    add_result(&run, "quiet/one", 100, 100, 1, 10);
    text = render(&run, 1);
    CHECK_CONTAINS(text, "quiet/one                       100.0 ns  100.0 ns  1.000 ns   10.00M"
                         "       10\n");
    CHECK(strstr(text, "THROUGHPUT") == NULL);
    CHECK(strstr(text, "NOTES") == NULL);
    free(text);
    pr_run_release(&run);
}

/* MEMORY lists the benchmarks that have memory or allocation figures, "-"
 * for the one they lack, and is left out when none has any. */
static void test_report_memory_section(void)
{
    pr_run run;
    pr_result *r;
    char *text;
    int utf8;

    pr_run_init(&run);
    add_result(&run, "cpu/only", 100, 100, 1, 10);
    text = render(&run, 1);
    CHECK(strstr(text, "MEMORY") == NULL);
    free(text);

    r = add_result(&run, "buffer/touch_64m", 1e7, 1e7, 1e4, 10);
    r->has_memory = 1;
    r->baseline_rss_bytes = 3 << 20;
    r->memory_bytes = (uint64_t)64 << 20;
    r->peak_rss_bytes = r->baseline_rss_bytes + r->memory_bytes;
    r = add_result(&run, "pure/no_allocs", 10, 10, 0.1, 10);
    r->has_memory = 1;
    r->baseline_rss_bytes = r->peak_rss_bytes = 3 << 20;
    r->memory_bytes = 0;
    r->has_allocs = 1;
    r = add_result(&run, "counted/not_isolated", 50, 50, 0.5, 10);
    r->has_allocs = 1;
    r->allocs_per_iteration = 0.001;
    r->alloc_bytes_per_iteration = 0.4;
    r = add_result(&run, "codec/json/parse_document_with_deeply_nested_arrays_and_long_keys", 10,
                   10, 0.1, 10);
    r->has_allocs = 1;
    r->allocs_per_iteration = 12345;
    r->alloc_bytes_per_iteration = 1.5 * 1073741824;
    /* a failed benchmark is not listed, whatever it carries */
    CHECK_INT(pr_run_add_result(&run, &r), 0);
    r->name = xdup("broken/one");
    r->status = PR_STATUS_FAILED;
    r->has_memory = 1;
    r->peak_rss_bytes = r->memory_bytes = 4096;
    for (utf8 = 0; utf8 <= 1; utf8++) {
        text = render(&run, utf8);
        check_lines(text, utf8);
        CHECK_CONTAINS(text, "---\nMEMORY\n---");
        CHECK_CONTAINS(text, "\nName                                Memory    Peak RSS Allocs/iter"
                             "  Bytes/iter\n");
        CHECK_CONTAINS(text, "\nbuffer/touch_64m                  64.0 MiB    67.0 MiB           -"
                             "           -\n");
        CHECK_CONTAINS(text, "\npure/no_allocs                         0 B    3.00 MiB           0"
                             "         0 B\n");
        CHECK_CONTAINS(text, "\ncounted/not_isolated                     -           -       0.001"
                             "      0.40 B\n");
        CHECK_CONTAINS(text, "       -           -      12.35k    1.50 GiB\n");
        CHECK(strstr(strstr(text, "MEMORY"), "cpu/only") == NULL);
        CHECK(strstr(strstr(text, "MEMORY"), "broken/one") == NULL);
        free(text);
    }
    pr_run_release(&run);
}

static void test_report_notes_unoptimized_build(void)
{
    pr_run run;
    char *text;

    pr_run_init(&run);
    add_result(&run, "quiet/one", 100, 100, 1, 10);
    run.context.optimized = 0;
    text = render(&run, 1);
    CHECK_CONTAINS(text, "NOTES");
    CHECK_CONTAINS(text, "compiled without optimisation");
    check_lines(text, 1);
    free(text);
    /* unknown (-1), as in files from elsewhere, says nothing */
    run.context.optimized = -1;
    text = render(&run, 1);
    CHECK(strstr(text, "optimisation") == NULL);
    free(text);
    pr_run_release(&run);
}

/* A shortened name keeps an escape whole or leaves it out, never cuts it. */
static void test_report_clips_whole_escapes(void)
{
    pr_run run;
    pr_result *r = NULL;
    char *text;

    pr_run_init(&run);
    CHECK_INT(pr_run_add_result(&run, &r), 0);
    r->name = xdup("\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01");
    r->status = PR_STATUS_FAILED;
    r->error = xdup("x");
    text = render(&run, 0);
    CHECK_CONTAINS(text, "\n\\x01\\x01\\x01...\\x01\\x01\\x01     FAILED (see FAILURES)\n");
    free(text);
    pr_run_release(&run);
}

/* FAILURES: a reason longer than a line is wrapped whole, and escaped. */
static void test_report_failures_section(void)
{
    pr_run run;
    pr_result *r = NULL;
    char *text;

    pr_run_init(&run);
    CHECK_INT(pr_run_add_result(&run, &r), 0);
    r->name = xdup("net/echo");
    r->status = PR_STATUS_FAILED;
    r->error = xdup("exited with status 1: the benchmark called exit() and the run went on "
                    "without it \x1b[2J");
    text = render(&run, 0);
    CHECK_CONTAINS(text, "\nnet/echo                        FAILED (see FAILURES)\n");
    CHECK_CONTAINS(text, "FAILURES: 1 of 1 benchmark\n" RULE "net/echo\n"
                         "    exited with status 1: the benchmark called exit() and the run went on\n"
                         "    without it \\e[2J\n"
                         "To debug one, run it in this process: --no-isolate --filter NAME.\n");
    CHECK(strchr(text, 0x1b) == NULL);
    free(text);
    pr_run_release(&run);
}

static void test_report_invalid_arguments(void)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    pr_run run;
    pr_run_init(&run);
    CHECK_INT(pr_report_run(&sb, NULL, NULL), PR_EINVALID);
    CHECK_INT(pr_report_run(NULL, &run, NULL), PR_EINVALID);
    /* no options: ASCII */
    CHECK_INT(pr_report_run(&sb, &run, NULL), 0);
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "no benchmarks ran");
    pr_strbuf_release(&sb);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        golden_dir = argv[1];
    RUN_TEST(test_format_time_utf8);
    RUN_TEST(test_format_time_ascii);
    RUN_TEST(test_format_time_small_buffer);
    RUN_TEST(test_format_rate);
    RUN_TEST(test_format_bytes_rate);
    RUN_TEST(test_format_bytes);
    RUN_TEST(test_escape_controls);
    RUN_TEST(test_escape_utf8);
    RUN_TEST(test_report_golden_utf8);
    RUN_TEST(test_report_golden_ascii);
    RUN_TEST(test_report_lines_fit);
    RUN_TEST(test_report_content);
    RUN_TEST(test_report_empty_run);
    RUN_TEST(test_report_hostile_strings);
    RUN_TEST(test_report_no_throughput_no_notes);
    RUN_TEST(test_report_memory_section);
    RUN_TEST(test_report_clips_whole_escapes);
    RUN_TEST(test_report_notes_unoptimized_build);
    RUN_TEST(test_report_failures_section);
    RUN_TEST(test_report_invalid_arguments);
    return CHECK_DONE();
}
