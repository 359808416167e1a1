/*
 * test_import.c - Google Benchmark, pytest-benchmark and hyperfine JSON read
 * as a perfreg run: every shape each tool writes (repetitions, aggregates,
 * units, real and CPU time, counters, errors, data or statistics only,
 * parameters, exit codes), the context each brings, detection, and every
 * class of malformed input, each one message naming the file and the
 * field. The tools' real output is in tests/data/import (README.md there).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "error.h"
#include "import.h"
#include "results.h"
#include "run.h"
#include "stats.h"
#include "strbuf.h"

#ifndef PR_TEST_DATA_DIR
#define PR_TEST_DATA_DIR "tests/data"
#endif
#define FIXTURES PR_TEST_DATA_DIR "/import/"
#define FILE_NAME "x.json"

/* Bit-equal, so 0.30000000000000004 cannot pass as 0.3. */
#define CHECK_SAME_DOUBLE(a, b)                                                                    \
    do {                                                                                           \
        double same_a_ = (a), same_b_ = (b);                                                       \
        if (memcmp(&same_a_, &same_b_, sizeof same_a_) != 0) {                                     \
            fprintf(stderr, "%s:%d: %s == %s: %.17g != %.17g\n", __FILE__, __LINE__, #a, #b,       \
                    same_a_, same_b_);                                                             \
            check_test_failed_ = 1;                                                                \
        }                                                                                          \
    } while (0)

/* JSON in C strings with ' for " so the cases stay readable. */
static char *json(const char *s)
{
    char *p = pr_strdup(s), *q;
    for (q = p; *q; q++)
        if (*q == '\'')
            *q = '"';
    return p;
}

/* Imports TEXT (with ' for ") into RUN with OPT (NULL: defaults). */
static int import_text(pr_run *run, const char *text, const pr_import_options *opt,
                       pr_import_format *format)
{
    char *doc = json(text);
    int err = pr_import_parse(run, doc, strlen(doc), FILE_NAME, opt, format);
    free(doc);
    return err;
}

static pr_import_options options(pr_import_format format, pr_import_gbench_time time)
{
    pr_import_options opt;
    pr_import_options_init(&opt);
    opt.format = format;
    opt.gbench_time = time;
    return opt;
}

/* TEXT must fail with PR_EINVALID, a one-line message "'x.json': ..."
 * holding WANT, and leave the run it was given as it was. */
static void expect_error_(const char *text, const pr_import_options *opt, const char *want,
                          int line)
{
    pr_run run;
    int err;

    pr_run_init(&run);
    run.suite = pr_strdup("untouched");
    pr_error_clear();
    err = import_text(&run, text, opt, NULL);
    if (err != PR_EINVALID || strncmp(pr_error_last(), "'" FILE_NAME "': ", 10) != 0 ||
        !strstr(pr_error_last(), want) || strchr(pr_error_last(), '\n')) {
        fprintf(stderr, "%s:%d: code %d, message \"%s\", wanted PR_EINVALID and \"%s\"\n", __FILE__,
                line, err, pr_error_last(), want);
        check_test_failed_ = 1;
    }
    CHECK(run.suite && strcmp(run.suite, "untouched") == 0 && run.n_results == 0);
    pr_run_release(&run);
}
#define expect_error(text, opt, want) expect_error_(text, opt, want, __LINE__)

static const pr_result *find(const pr_run *run, const char *name)
{
    const pr_result *r = pr_run_find(run, name);
    if (!r)
        fprintf(stderr, "no result named '%s'\n", name);
    CHECK(r != NULL);
    return r;
}

static double counter(const pr_result *r, const char *name)
{
    size_t i;
    for (i = 0; r && i < r->n_counters; i++)
        if (strcmp(r->counters[i].name, name) == 0)
            return r->counters[i].value;
    fprintf(stderr, "no counter '%s'\n", name);
    check_test_failed_ = 1;
    return NAN;
}

/* The run RUN writes, reads back and writes again to the same text, as
 * every reader of results files needs (and fuzz_import checks). */
static void check_round_trip(const pr_run *run)
{
    pr_strbuf first = PR_STRBUF_INIT, second = PR_STRBUF_INIT;
    pr_run back;

    pr_run_init(&back);
    CHECK_INT(pr_results_write(run, &first), 0);
    if (first.len > 0) {
        CHECK_INT(pr_results_parse(&back, first.buf, first.len, "back.json"), 0);
        CHECK_INT(back.n_results, run->n_results);
        CHECK_INT(pr_results_write(&back, &second), 0);
        CHECK(second.len == first.len && memcmp(first.buf, second.buf, first.len) == 0);
    }
    pr_run_release(&back);
    pr_strbuf_release(&first);
    pr_strbuf_release(&second);
}

/* ---- Google Benchmark ---- */

#define GB_ROW(name, rest)                                                                         \
    "{'name':'" name "','run_name':'" name "','run_type':'iteration'," rest "}"
#define GB_REP(name, index, real, cpu, rest)                                                       \
    "{'name':'" name "','run_name':'" name "','run_type':'iteration','repetitions':3,"             \
    "'repetition_index':" index ",'threads':1,'iterations':1000,'real_time':" real                 \
    ",'cpu_time':" cpu ",'time_unit':'us'" rest "}"
#define GB_AGG(name, agg, real, rest)                                                              \
    "{'name':'" name "_" agg "','run_name':'" name "','run_type':'aggregate','repetitions':3,"     \
    "'threads':1,'aggregate_name':'" agg "','aggregate_unit':'time','iterations':3,"               \
    "'real_time':" real ",'cpu_time':" real ",'time_unit':'us'" rest "}"
#define GB_CONTEXT                                                                                 \
    "'context':{'date':'2026-11-23T08:28:05+00:00','host_name':'vm','executable':'./bench/gb2',"   \
    "'num_cpus':2,'mhz_per_cpu':2096,'caches':[],'library_build_type':'release'}"
#define GB_DOC(rows) "{" GB_CONTEXT ",'benchmarks':[" rows "]}"
#define GB_OK(rest)                                                                                \
    GB_ROW("BM_x", "'iterations':10,'real_time':5,'cpu_time':4,'time_unit':'ns'" rest)

/* Repetitions of one run_name are the samples of one benchmark; GB's
 * aggregates of them are not samples. */
static void test_gbench_repetitions(void)
{
    static const char *const doc = GB_DOC(
        GB_REP("BM_a", "0", "1.5", "1", ",'bytes_per_second':64e6,'hits':3") ","
        GB_REP("BM_a", "1", "2.5", "2", ",'bytes_per_second':32e6,'hits':5") ","
        GB_REP("BM_a", "2", "3.5", "3", ",'bytes_per_second':21333333.333333333,'hits':7") ","
        GB_AGG("BM_a", "mean", "2.5", ",'hits':5") ","
        GB_AGG("BM_a", "median", "2.5", "") ","
        GB_AGG("BM_a", "stddev", "1", "") ","
        "{'name':'BM_a_cv','run_name':'BM_a','run_type':'aggregate','repetitions':3,"
        "'aggregate_name':'cv','aggregate_unit':'percentage','iterations':3,'real_time':0.4,"
        "'cpu_time':0.5,'time_unit':'us'}");
    pr_import_options cpu = options(PR_IMPORT_AUTO, PR_IMPORT_CPU_TIME);
    pr_import_format format = PR_IMPORT_AUTO;
    pr_run run;
    const pr_result *r;

    pr_run_init(&run);
    CHECK_INT(import_text(&run, doc, NULL, &format), 0);
    CHECK_INT(format, PR_IMPORT_GBENCH);
    CHECK_INT(run.n_results, 1);
    r = find(&run, "BM_a");
    if (r && r->n_samples == 3) {
        CHECK_INT(r->status, PR_STATUS_OK);
        CHECK_SAME_DOUBLE(r->samples_ns[0], 1500);
        CHECK_SAME_DOUBLE(r->samples_ns[1], 2500);
        CHECK_SAME_DOUBLE(r->samples_ns[2], 3500);
        CHECK_INT(r->iterations, 1000);
        CHECK_INT(r->stats.n, 3);
        CHECK_SAME_DOUBLE(r->stats.mean_ns, 2500);
        /* per iteration: the rate times the CPU time GB divided by */
        CHECK_SAME_DOUBLE(r->bytes_per_iteration, 64);
        CHECK_SAME_DOUBLE(counter(r, "hits"), 5);
        CHECK_INT(r->n_counters, 1);
    } else {
        CHECK_INT(r ? r->n_samples : 0, 3);
    }
    CHECK_STR(run.context.clock, "google-benchmark real_time");
    check_round_trip(&run);
    pr_run_release(&run);

    /* --gbench-time cpu: the CPU times are the samples */
    pr_run_init(&run);
    CHECK_INT(import_text(&run, doc, &cpu, NULL), 0);
    r = find(&run, "BM_a");
    if (r && r->n_samples == 3) {
        CHECK_SAME_DOUBLE(r->samples_ns[0], 1000);
        CHECK_SAME_DOUBLE(r->samples_ns[1], 2000);
        CHECK_SAME_DOUBLE(r->samples_ns[2], 3000);
    }
    CHECK_STR(run.context.clock, "google-benchmark cpu_time");
    pr_run_release(&run);
}

/* Every time_unit GB writes becomes nanoseconds. */
static void test_gbench_units(void)
{
    static const char *const doc = GB_DOC(
        GB_ROW("ns", "'iterations':1,'real_time':7,'cpu_time':7,'time_unit':'ns'") ","
        GB_ROW("us", "'iterations':1,'real_time':7.25,'cpu_time':7,'time_unit':'us'") ","
        GB_ROW("ms", "'iterations':1,'real_time':0.5,'cpu_time':7,'time_unit':'ms'") ","
        GB_ROW("s", "'iterations':1,'real_time':0.25,'cpu_time':7,'time_unit':'s'"));
    pr_run run;
    const pr_result *r;

    pr_run_init(&run);
    CHECK_INT(import_text(&run, doc, NULL, NULL), 0);
    CHECK_INT(run.n_results, 4);
    if ((r = find(&run, "ns")) && r->n_samples == 1)
        CHECK_SAME_DOUBLE(r->samples_ns[0], 7);
    if ((r = find(&run, "us")) && r->n_samples == 1)
        CHECK_SAME_DOUBLE(r->samples_ns[0], 7250);
    if ((r = find(&run, "ms")) && r->n_samples == 1)
        CHECK_SAME_DOUBLE(r->samples_ns[0], 500000);
    if ((r = find(&run, "s")) && r->n_samples == 1)
        CHECK_SAME_DOUBLE(r->samples_ns[0], 250000000);
    /* document order is kept */
    if (run.n_results == 4) {
        CHECK_STR(run.results[0].name, "ns");
        CHECK_STR(run.results[3].name, "s");
    }
    pr_run_release(&run);
}

/* Rates are divided by CPU time unless GB measured real or manual time,
 * which it says in the name. */
static void test_gbench_rates(void)
{
    static const char *const doc = GB_DOC(
        GB_ROW("BM_cpu", "'iterations':1,'real_time':400,'cpu_time':200,'time_unit':'ns',"
                         "'bytes_per_second':5e9,'items_per_second':2.5e7") ","
        GB_ROW("BM_wall/real_time", "'iterations':1,'real_time':400,'cpu_time':200,"
                                    "'time_unit':'ns','bytes_per_second':5e9") ","
        GB_ROW("BM_manual/manual_time", "'iterations':1,'real_time':400,'cpu_time':200,"
                                        "'time_unit':'ns','items_per_second':3e6") ","
        GB_ROW("BM_frac", "'iterations':1,'real_time':400,'cpu_time':200,'time_unit':'ns',"
                          "'bytes_per_second':1.2345e9"));
    pr_run run;
    const pr_result *r;

    pr_run_init(&run);
    CHECK_INT(import_text(&run, doc, NULL, NULL), 0);
    if ((r = find(&run, "BM_cpu"))) {
        CHECK_SAME_DOUBLE(r->bytes_per_iteration, 1000); /* 5e9 B/s x 200 ns */
        CHECK_SAME_DOUBLE(r->items_per_iteration, 5);
        /* per second from perfreg's own mean, the real time */
        CHECK_SAME_DOUBLE(r->bytes_per_second, 1000 / 400e-9);
    }
    if ((r = find(&run, "BM_wall/real_time")))
        CHECK_SAME_DOUBLE(r->bytes_per_iteration, 2000); /* 5e9 B/s x 400 ns */
    if ((r = find(&run, "BM_manual/manual_time")))
        CHECK_SAME_DOUBLE(r->items_per_iteration, 1.2);
    /* not a whole number: kept as it is */
    if ((r = find(&run, "BM_frac")))
        CHECK_NEAR(r->bytes_per_iteration, 246.9, 1e-9);
    check_round_trip(&run);
    pr_run_release(&run);
}

/* Numbers GB does not define are user counters, kept in order; the mean
 * over repetitions, as GB's mean aggregate gives it. */
static void test_gbench_counters(void)
{
    static const char *const one = GB_DOC(
        GB_OK(",'label':'three per iteration','zeta':1,'alpha':-2,'family_index':0,"
              "'repetitions':1,'threads':1"));
    static const char *const reps = GB_DOC(
        GB_REP("BM_a", "0", "1", "1", ",'b':1") ","
        GB_REP("BM_a", "1", "1", "1", ",'a':10,'b':3") ","
        GB_REP("BM_a", "2", "1", "1", ",'a':20"));
    pr_run run;
    const pr_result *r;

    pr_run_init(&run);
    CHECK_INT(import_text(&run, one, NULL, NULL), 0);
    r = find(&run, "BM_x");
    CHECK_INT(r ? r->n_counters : 0, 2);
    if (r && r->n_counters == 2) {
        CHECK_STR(r->counters[0].name, "zeta");
        CHECK_SAME_DOUBLE(r->counters[0].value, 1);
        CHECK_STR(r->counters[1].name, "alpha");
        CHECK_SAME_DOUBLE(r->counters[1].value, -2);
    }
    check_round_trip(&run);
    pr_run_release(&run);

    /* a counter only some repetitions have: the mean of those */
    pr_run_init(&run);
    CHECK_INT(import_text(&run, reps, NULL, NULL), 0);
    r = find(&run, "BM_a");
    CHECK_INT(r ? r->n_counters : 0, 2);
    if (r && r->n_counters == 2) {
        CHECK_STR(r->counters[0].name, "b");
        CHECK_SAME_DOUBLE(r->counters[0].value, 2);
        CHECK_STR(r->counters[1].name, "a");
        CHECK_SAME_DOUBLE(r->counters[1].value, 15);
    }
    pr_run_release(&run);

    expect_error(GB_DOC(GB_OK(",'hits':1,'hits':2")), NULL,
                 "benchmarks[0]: the counter 'hits' appears twice");
    expect_error(GB_DOC(GB_OK(",'':1")), NULL, "benchmarks[0]: a counter has an empty name");
    expect_error(GB_DOC(GB_OK(",'a\\u001b[2J':1")), NULL,
                 "benchmarks[0]: a counter's name contains the control character U+001B");
    expect_error(GB_DOC(GB_OK(",'big':1e400")), NULL,
                 "benchmarks[0]: counter 'big': expected a finite number");
}

/* error_occurred makes a failed result with GB's reason. */
static void test_gbench_errors(void)
{
    static const char *const doc = GB_DOC(
        GB_ROW("BM_fails", "'error_occurred':true,'error_message':'resource missing',"
                           "'iterations':1,'real_time':0,'cpu_time':0,'time_unit':'ns'") ","
        GB_ROW("BM_quiet", "'error_occurred':true") ","
        GB_ROW("BM_fine", "'error_occurred':false,'iterations':1,'real_time':3,'cpu_time':3,"
                          "'time_unit':'ns'"));
    static const char *const reps = GB_DOC(
        GB_REP("BM_a", "0", "1", "1", "") ","
        GB_REP("BM_a", "1", "1", "1", ",'error_occurred':true,'error_message':'flaky'"));
    pr_run run;
    const pr_result *r;

    pr_run_init(&run);
    CHECK_INT(import_text(&run, doc, NULL, NULL), 0);
    if ((r = find(&run, "BM_fails"))) {
        CHECK_INT(r->status, PR_STATUS_FAILED);
        CHECK_STR(r->error, "resource missing");
        CHECK_INT(r->n_samples, 0);
        CHECK_INT(r->stats.n, 0);
    }
    if ((r = find(&run, "BM_quiet")))
        CHECK_STR(r->error, "Google Benchmark reported an error");
    if ((r = find(&run, "BM_fine")))
        CHECK_INT(r->status, PR_STATUS_OK);
    check_round_trip(&run);
    pr_run_release(&run);

    /* one failed repetition fails the benchmark */
    pr_run_init(&run);
    CHECK_INT(import_text(&run, reps, NULL, NULL), 0);
    if ((r = find(&run, "BM_a"))) {
        CHECK_INT(r->status, PR_STATUS_FAILED);
        CHECK_STR(r->error, "flaky");
    }
    pr_run_release(&run);
    expect_error(GB_DOC(GB_ROW("BM_a", "'error_occurred':'yes'")), NULL,
                 "benchmarks[0].error_occurred: expected true or false");
    expect_error(GB_DOC(GB_ROW("BM_a", "'error_occurred':true,'error_message':7")), NULL,
                 "benchmarks[0].error_message: expected a string or null");
}

/* --benchmark_report_aggregates_only: statistics without samples. */
static void test_gbench_aggregates_only(void)
{
    static const char *const doc = GB_DOC(
        GB_AGG("BM_a", "mean", "2.5", ",'bytes_per_second':1,'hits':5") ","
        GB_AGG("BM_a", "median", "2", ",'bytes_per_second':32e6,'hits':4") ","
        GB_AGG("BM_a", "stddev", "0.5", ",'hits':0") ","
        /* a complexity fit has no mean: not a benchmark */
        "{'name':'BM_c_BigO','run_name':'BM_c','run_type':'aggregate','repetitions':1,"
        "'threads':1,'aggregate_name':'BigO','aggregate_unit':'time','cpu_coefficient':0.3,"
        "'real_coefficient':0.3,'big_o':'N','time_unit':'ns'},"
        "{'name':'BM_c_RMS','run_name':'BM_c','run_type':'aggregate','repetitions':1,"
        "'threads':1,'aggregate_name':'RMS','aggregate_unit':'percentage','rms':0.02}");
    pr_run run;
    const pr_result *r;

    pr_run_init(&run);
    CHECK_INT(import_text(&run, doc, NULL, NULL), 0);
    CHECK_INT(run.n_results, 1);
    if ((r = find(&run, "BM_a"))) {
        CHECK_INT(r->status, PR_STATUS_OK);
        CHECK_INT(r->n_samples, 0);
        CHECK_INT(r->stats.n, 3);
        CHECK_SAME_DOUBLE(r->stats.mean_ns, 2500);
        CHECK_SAME_DOUBLE(r->stats.median_ns, 2000);
        CHECK_SAME_DOUBLE(r->stats.stddev_ns, 500);
        /* GB reports no extremes or quartiles: the median stands in */
        CHECK_SAME_DOUBLE(r->stats.min_ns, 2000);
        CHECK_SAME_DOUBLE(r->stats.max_ns, 2000);
        CHECK_SAME_DOUBLE(r->stats.q1_ns, 2000);
        CHECK_SAME_DOUBLE(r->stats.q3_ns, 2000);
        CHECK_SAME_DOUBLE(r->stats.cv, 0.2);
        CHECK_SAME_DOUBLE(r->stats.ops_per_second, 1e9 / 2500);
        CHECK_INT(r->iterations, 1);
        /* the median row's rate times its CPU time */
        CHECK_SAME_DOUBLE(r->bytes_per_iteration, 64);
        /* the mean row's counters */
        CHECK_SAME_DOUBLE(counter(r, "hits"), 5);
    }
    check_round_trip(&run);
    pr_run_release(&run);

    expect_error(GB_DOC(GB_AGG("BM_a", "mean", "2.5", "") "," GB_AGG("BM_a", "stddev", "1", "")),
                 NULL, "benchmarks[0]: 'BM_a' has a \"mean\" aggregate but no \"median\" one");
    expect_error(GB_DOC(GB_AGG("BM_a", "mean", "2.5", "") "," GB_AGG("BM_a", "median", "1", "")
                        "," GB_AGG("BM_a", "stddev", "1", "") "," GB_AGG("BM_a", "mean", "3", "")),
                 NULL,
                 "benchmarks[3]: a second \"mean\" aggregate of 'BM_a' (first at benchmarks[0])");
    expect_error(GB_DOC("{'name':'BM_a_mean','run_name':'BM_a','run_type':'aggregate',"
                        "'aggregate_name':'mean','real_time':1,'time_unit':'ns'},"
                        GB_AGG("BM_a", "median", "1", "") "," GB_AGG("BM_a", "stddev", "1", "")),
                 NULL, "benchmarks[0].repetitions: required field is missing");
    /* only a complexity fit: nothing to import */
    expect_error(GB_DOC("{'name':'BM_c_RMS','run_name':'BM_c','run_type':'aggregate',"
                        "'aggregate_name':'RMS','rms':0.02}"),
                 NULL, "benchmarks: no benchmarks to import");
}

/* The context: the date in UTC, host, cores, the suite from the
 * executable, GB's own build type kept apart from the benchmark's. */
static void test_gbench_context(void)
{
    static const struct {
        const char *date, *utc;
    } dates[] = {
        {"2026-11-23T08:28:05+00:00", "2026-11-23T08:28:05Z"},
        {"2026-11-23T23:30:00-05:00", "2026-11-24T04:30:00Z"},
        {"2026-01-01T01:00:00+05:30", "2025-12-31T19:30:00Z"},
        {"2024-02-29T00:10:00+0100", "2024-02-28T23:10:00Z"},
        {"2026-11-23 08:28:05.123456Z", "2026-11-23T08:28:05Z"},
        {"2026-12-31T23:59:59-01:00", "2027-01-01T00:59:59Z"},
    };
    static const char *const bad_dates[] = {
        "2026-11-23T08:28:05",         "2026-13-01T00:00:00Z",       "2025-02-29T00:00:00Z",
        "2026-11-23T24:00:00Z",        "yesterday",                  "2026-11-23T08:28:05+00:00 x",
        "2026-11-23T08:28:05.+00:00", "0001-01-01T00:00:00+01:00",
    };
    pr_import_options named = options(PR_IMPORT_AUTO, PR_IMPORT_REAL_TIME);
    char doc[512];
    pr_run run;
    size_t i;

    pr_run_init(&run);
    CHECK_INT(import_text(&run, GB_DOC(GB_OK("")), NULL, NULL), 0);
    CHECK_STR(run.suite, "gb2");
    CHECK_STR(run.context.date, "2026-11-23T08:28:05Z");
    CHECK_STR(run.context.host, "vm");
    CHECK_INT(run.context.logical_cores, 2);
    CHECK_STR(run.context.build_flags, "library_build_type release");
    CHECK(run.context.build_type == NULL);
    CHECK(run.context.compiler == NULL && run.context.cpu_model == NULL);
    CHECK(run.git.commit == NULL && run.git.dirty == -1);
    pr_run_release(&run);

    for (i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        snprintf(doc, sizeof doc, "{'context':{'date':'%s'},'benchmarks':[" GB_OK("") "]}",
                 dates[i].date);
        pr_run_init(&run);
        CHECK_INT(import_text(&run, doc, NULL, NULL), 0);
        CHECK_STR(run.context.date, dates[i].utc);
        /* no executable: the default suite */
        CHECK_STR(run.suite, "gbench");
        pr_run_release(&run);
    }
    for (i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
        snprintf(doc, sizeof doc, "{'context':{'date':'%s'},'benchmarks':[" GB_OK("") "]}",
                 bad_dates[i]);
        expect_error(doc, NULL,
                     "context.date: expected an ISO 8601 date and time with its UTC offset, "
                     "such as 2026-11-23T08:28:05+00:00");
    }
    /* --suite names the suite; no context at all is fine */
    named.suite = "mine";
    pr_run_init(&run);
    CHECK_INT(import_text(&run, "{'benchmarks':[" GB_OK("") "]}", &named, NULL), 0);
    CHECK_STR(run.suite, "mine");
    CHECK(run.context.date == NULL && run.context.host == NULL);
    pr_run_release(&run);

    expect_error("{'context':[],'benchmarks':[" GB_OK("") "]}", NULL,
                 "context: expected an object");
    expect_error("{'context':{'num_cpus':-1},'benchmarks':[" GB_OK("") "]}", NULL,
                 "context.num_cpus: expected a non-negative whole number, got -1");
    expect_error("{'context':{'host_name':7},'benchmarks':[" GB_OK("") "]}", NULL,
                 "context.host_name: expected a string or null");
    expect_error("{'context':{'executable':'\xff'},'benchmarks':[" GB_OK("") "]}", NULL,
                 "context.executable: expected a UTF-8 string");
}

/* Every malformed row: one message naming the row and the field. */
static void test_gbench_malformed(void)
{
#define GB_TIMED(rest) GB_DOC(GB_ROW("BM_a", rest))
    expect_error(GB_DOC("7"), NULL, "benchmarks[0]: expected an object");
    expect_error(GB_DOC(GB_OK("") ",{'run_type':'iteration','real_time':1}"), NULL,
                 "benchmarks[1].name: required field is missing");
    expect_error(GB_DOC("{'name':'','run_type':'iteration','real_time':1}"), NULL,
                 "benchmarks[0].name: expected a non-empty name");
    expect_error(GB_DOC("{'name':'BM_\\u0007','run_type':'iteration','real_time':1}"), NULL,
                 "benchmarks[0].name: contains the control character U+0007");
    expect_error(GB_DOC("{'name':'BM_a','run_name':'BM_\\n','run_type':'iteration'}"), NULL,
                 "benchmarks[0].run_name: contains the control character U+000A");
    expect_error(GB_DOC("{'name':'BM_a','run_type':'average','real_time':1}"), NULL,
                 "benchmarks[0].run_type: expected \"iteration\" or \"aggregate\"");
    expect_error(GB_TIMED("'iterations':1,'real_time':1"), NULL,
                 "benchmarks[0].time_unit: required field is missing");
    expect_error(GB_TIMED("'iterations':1,'real_time':1,'time_unit':'ks'"), NULL,
                 "benchmarks[0].time_unit: expected \"ns\", \"us\", \"ms\" or \"s\"");
    expect_error(GB_TIMED("'iterations':1,'cpu_time':1,'time_unit':'ns'"), NULL,
                 "benchmarks[0].real_time: required field is missing");
    expect_error(GB_TIMED("'iterations':1,'real_time':-1,'time_unit':'ns'"), NULL,
                 "benchmarks[0].real_time: expected a non-negative finite number");
    expect_error(GB_TIMED("'iterations':1,'real_time':'1','time_unit':'ns'"), NULL,
                 "benchmarks[0].real_time: expected a non-negative finite number");
    expect_error(GB_TIMED("'iterations':1,'real_time':1e400,'time_unit':'ns'"), NULL,
                 "benchmarks[0].real_time: expected a non-negative finite number");
    expect_error(GB_TIMED("'iterations':1,'real_time':1e10,'time_unit':'s'"), NULL,
                 "benchmarks[0].real_time: 10000000000 is out of range for a time");
    expect_error(GB_TIMED("'iterations':1,'real_time':1e-20,'time_unit':'ns'"), NULL,
                 "benchmarks[0].real_time: 1e-20 is out of range for a time");
    expect_error(GB_TIMED("'iterations':0,'real_time':1,'time_unit':'ns'"), NULL,
                 "benchmarks[0].iterations: 0 is out of range (1 to 9007199254740992)");
    expect_error(GB_TIMED("'iterations':1.5,'real_time':1,'time_unit':'ns'"), NULL,
                 "benchmarks[0].iterations: expected a non-negative whole number, got 1.5");
    expect_error(GB_TIMED("'real_time':1,'time_unit':'ns'"), NULL,
                 "benchmarks[0].iterations: required field is missing");
    expect_error(GB_DOC(GB_OK(",'bytes_per_second':-5")), NULL,
                 "benchmarks[0].bytes_per_second: expected a non-negative finite number");
    expect_error(GB_TIMED("'iterations':1,'real_time':1,'cpu_time':100,'time_unit':'ns',"
                          "'items_per_second':1e308"),
                 NULL, "benchmarks[0].items_per_second: items per second would overflow");
    /* a repetition twice: two benchmarks registered under one name */
    expect_error(GB_DOC(GB_REP("BM_a", "0", "1", "1", "") "," GB_REP("BM_a", "1", "1", "1", "")
                        "," GB_REP("BM_a", "0", "1", "1", "")),
                 NULL, "benchmarks[2].repetition_index: repetition 0 of 'BM_a' again (first at "
                       "benchmarks[0]): two benchmarks with one name");
    expect_error(GB_DOC(""), NULL, "benchmarks: no benchmarks to import");
    expect_error("{'context':{'executable':'x'},'benchmarks':{}}", NULL,
                 "not Google Benchmark, pytest-benchmark or hyperfine JSON");
#undef GB_TIMED
}

/* The real files, from Google Benchmark 1.7.1 (tests/data/import/README.md). */
static void test_gbench_files(void)
{
    static const char *const names[] = {
        "BM_memcpy/64",
        "BM_memcpy/4096",
        "BM_sort/1000",
        "BM_counters",
        "BM_spin_ms",
        "BM_accumulate_s",
        "BM_sleep_real/real_time",
        "BM_threads/threads:2",
        "BM_fails",
        "BM_complexity/256",
        "BM_complexity/1024",
    };
    pr_import_format format = PR_IMPORT_AUTO;
    pr_run run;
    const pr_result *r;
    size_t i;

    pr_run_init(&run);
    CHECK_INT(pr_import_load(&run, FIXTURES "gbench_shapes.json", NULL, &format), 0);
    CHECK_INT(format, PR_IMPORT_GBENCH);
    CHECK_STR(run.suite, "gbench_shapes");
    CHECK_INT(run.n_results, sizeof names / sizeof names[0]);
    for (i = 0; i < run.n_results && i < sizeof names / sizeof names[0]; i++)
        CHECK_STR(run.results[i].name, names[i]);
    if ((r = find(&run, "BM_memcpy/4096")))
        CHECK_SAME_DOUBLE(r->bytes_per_iteration, 4096);
    if ((r = find(&run, "BM_sort/1000"))) {
        CHECK_SAME_DOUBLE(r->items_per_iteration, 1000);
        CHECK(r->n_samples == 1 && r->samples_ns[0] > 1000); /* microseconds */
    }
    if ((r = find(&run, "BM_sleep_real/real_time")))
        CHECK_SAME_DOUBLE(r->bytes_per_iteration, 1024);
    if ((r = find(&run, "BM_counters"))) {
        CHECK_INT(r->n_counters, 3);
        CHECK_SAME_DOUBLE(counter(r, "hits_avg"), 3);
    }
    if ((r = find(&run, "BM_spin_ms"))) /* 300 us a call, written in ms */
        CHECK(r->n_samples == 1 && r->samples_ns[0] > 3e5 && r->samples_ns[0] < 1e7);
    if ((r = find(&run, "BM_fails")))
        CHECK_STR(r->error, "resource missing");
    check_round_trip(&run);
    pr_run_release(&run);

    pr_run_init(&run);
    CHECK_INT(pr_import_load(&run, FIXTURES "gbench_repetitions.json", NULL, NULL), 0);
    CHECK_INT(run.n_results, 4);
    for (i = 0; i < run.n_results; i++)
        if (run.results[i].status == PR_STATUS_OK)
            CHECK_INT(run.results[i].n_samples, 3);
    if ((r = find(&run, "BM_memcpy/64")))
        CHECK_SAME_DOUBLE(r->bytes_per_iteration, 64);
    pr_run_release(&run);

    pr_run_init(&run);
    CHECK_INT(pr_import_load(&run, FIXTURES "gbench_aggregates_only.json", NULL, NULL), 0);
    CHECK_INT(run.n_results, 3);
    if ((r = find(&run, "BM_memcpy/64"))) {
        CHECK_INT(r->n_samples, 0);
        CHECK_INT(r->stats.n, 3);
        CHECK_SAME_DOUBLE(r->bytes_per_iteration, 64);
    }
    if ((r = find(&run, "BM_fails")))
        CHECK_INT(r->status, PR_STATUS_FAILED);
    check_round_trip(&run);
    pr_run_release(&run);

    pr_run_init(&run);
    CHECK_INT(pr_import_load(&run, FIXTURES "gbench_compare_old.json", NULL, NULL), 0);
    CHECK_INT(run.n_results, 2);
    for (i = 0; i < run.n_results; i++)
        CHECK_INT(run.results[i].n_samples, 10);
    pr_run_release(&run);

    pr_run_init(&run);
    CHECK_INT(pr_import_load(&run, FIXTURES "google-benchmark-1.7.1.json", NULL, NULL), 0);
    CHECK_INT(run.n_results, 6);
    if ((r = find(&run, "BM_memcpy/65536")))
        CHECK_SAME_DOUBLE(r->bytes_per_iteration, 65536);
    pr_run_release(&run);
}

/* ---- pytest-benchmark ---- */

#define PY_STATS_ONLY                                                                              \
    "'stats':{'min':0.25,'max':2,'mean':1,'stddev':0.5,'rounds':8,'median':0.75,'iqr':0.5,"        \
    "'q1':0.5,'q3':1,'iqr_outliers':2,'stddev_outliers':1,'outliers':'1;2','ld15iqr':0.25,"        \
    "'hd15iqr':1.5,'ops':1,'total':8,'iterations':4}"
#define PY_BENCH(name, group, stats)                                                               \
    "{'group':" group ",'name':'" name "','fullname':'t.py::" name "','params':null,"              \
    "'param':null,'extra_info':{},'options':{'timer':'perf_counter','min_rounds':5}," stats "}"
#define PY_MACHINE                                                                                 \
    "'machine_info':{'node':'vm','processor':'','machine':'x86_64','python_compiler':'GCC',"       \
    "'python_implementation':'CPython','python_implementation_version':'3.11.2',"                  \
    "'release':'6.1.0','system':'Linux','cpu':{'vendor_id':'AuthenticAMD','brand':'AMD EPYC',"     \
    "'count':4}}"
#define PY_COMMIT                                                                                  \
    "'commit_info':{'id':'e8bded7349851817ac818ea6c226764192d0368a',"                              \
    "'time':'2026-11-23T09:28:09+01:00','author_time':'2026-11-23T08:28:09+00:00',"                \
    "'dirty':true,'project':'pyb','branch':'master'}"
#define PY_DOC(benchmarks)                                                                         \
    "{" PY_MACHINE "," PY_COMMIT ",'benchmarks':[" benchmarks "],"                                 \
    "'datetime':'2026-11-23T08:28:10.123456','version':'3.2.2'}"

/* With data (--benchmark-json, --benchmark-save-data): the rounds' times
 * per iteration are the samples. */
static void test_pytest_data(void)
{
    static const char *const doc = PY_DOC(
        PY_BENCH("test_a", "'hashing'",
                 "'stats':{'min':0.25,'data':[0.5,0.25,2e-6],'iterations':16}") ","
        "{'name':'test_b[1]','fullname':'t.py::test_b[1]','params':{'n':1},'param':'1',"
        "'extra_info':{'bytes':197,'codec':'json','ok':true},"
        "'stats':{'data':[1],'iterations':1}}");
    pr_import_format format = PR_IMPORT_AUTO;
    pr_run run;
    const pr_result *r;

    pr_run_init(&run);
    CHECK_INT(import_text(&run, doc, NULL, &format), 0);
    CHECK_INT(format, PR_IMPORT_PYTEST);
    CHECK_INT(run.n_results, 2);
    /* the name as pytest prints it, without the group */
    r = find(&run, "t.py::test_a");
    if (r && r->n_samples == 3) {
        CHECK_SAME_DOUBLE(r->samples_ns[0], 5e8);
        CHECK_SAME_DOUBLE(r->samples_ns[1], 2.5e8);
        CHECK_SAME_DOUBLE(r->samples_ns[2], 2e-6 * 1e9);
        CHECK_INT(r->iterations, 16);
        /* recomputed, not pytest's */
        CHECK_SAME_DOUBLE(r->stats.min_ns, 2e-6 * 1e9);
        CHECK_INT(r->n_counters, 0);
    } else {
        CHECK_INT(r ? r->n_samples : 0, 3);
    }
    r = find(&run, "t.py::test_b[1]");
    if (r) {
        /* extra_info's numbers only */
        CHECK_INT(r->n_counters, 1);
        CHECK_SAME_DOUBLE(counter(r, "bytes"), 197);
    }
    CHECK_STR(run.context.clock, "pytest-benchmark perf_counter");
    check_round_trip(&run);
    pr_run_release(&run);
}

/* Without data (--benchmark-save): pytest-benchmark's statistics. */
static void test_pytest_stats_only(void)
{
    pr_run run;
    const pr_result *r;

    pr_run_init(&run);
    CHECK_INT(import_text(&run, PY_DOC(PY_BENCH("test_a", "null", PY_STATS_ONLY)), NULL, NULL), 0);
    r = find(&run, "t.py::test_a");
    if (r) {
        CHECK_INT(r->status, PR_STATUS_OK);
        CHECK_INT(r->n_samples, 0);
        CHECK_INT(r->iterations, 4);
        CHECK_INT(r->stats.n, 8);
        CHECK_SAME_DOUBLE(r->stats.min_ns, 2.5e8);
        CHECK_SAME_DOUBLE(r->stats.q1_ns, 5e8);
        CHECK_SAME_DOUBLE(r->stats.median_ns, 7.5e8);
        CHECK_SAME_DOUBLE(r->stats.q3_ns, 1e9);
        CHECK_SAME_DOUBLE(r->stats.max_ns, 2e9);
        CHECK_SAME_DOUBLE(r->stats.mean_ns, 1e9);
        CHECK_SAME_DOUBLE(r->stats.stddev_ns, 5e8);
        CHECK_SAME_DOUBLE(r->stats.iqr_ns, 5e8);
        CHECK_SAME_DOUBLE(r->stats.cv, 0.5);
        CHECK_SAME_DOUBLE(r->stats.ops_per_second, 1);
        CHECK_INT(r->stats.outliers_mild, 2);
        CHECK_INT(r->stats.outliers_severe, 0);
    }
    check_round_trip(&run);
    pr_run_release(&run);
}

/* commit_info and machine_info become the run's git and context. */
static void test_pytest_context(void)
{
    pr_run run;

    pr_run_init(&run);
    CHECK_INT(import_text(&run, PY_DOC(PY_BENCH("test_a", "null", PY_STATS_ONLY)), NULL, NULL), 0);
    CHECK_STR(run.suite, "pyb");
    CHECK_STR(run.git.commit, "e8bded7349851817ac818ea6c226764192d0368a");
    CHECK_STR(run.git.short_commit, "e8bded7");
    CHECK_STR(run.git.branch, "master");
    CHECK_INT(run.git.dirty, 1);
    CHECK_STR(run.git.commit_time, "2026-11-23T08:28:09Z");
    CHECK_STR(run.git.author_time, "2026-11-23T08:28:09Z");
    CHECK(run.git.subject == NULL);
    CHECK_STR(run.context.date, "2026-11-23T08:28:10Z");
    CHECK_STR(run.context.host, "vm");
    CHECK_STR(run.context.arch, "x86_64");
    CHECK_STR(run.context.os, "Linux");
    CHECK_STR(run.context.kernel, "6.1.0");
    CHECK_STR(run.context.cpu_model, "AMD EPYC");
    CHECK_INT(run.context.logical_cores, 4);
    CHECK_STR(run.context.compiler, "CPython 3.11.2");
    pr_run_release(&run);

    /* outside a repository; py-cpuinfo 7's brand_raw; no project */
    pr_run_init(&run);
    CHECK_INT(import_text(&run,
                          "{'machine_info':{'processor':'x86_64 CPU','cpu':{'brand_raw':'Ryzen',"
                          "'brand':'old'}},'commit_info':{'id':'unversioned','dirty':false,"
                          "'branch':'(unknown)','time':null},"
                          "'benchmarks':[" PY_BENCH("test_a", "null", PY_STATS_ONLY) "]}",
                          NULL, NULL),
              0);
    CHECK_STR(run.suite, "pytest");
    CHECK(run.git.commit == NULL && run.git.short_commit == NULL && run.git.branch == NULL);
    CHECK_INT(run.git.dirty, -1);
    CHECK_STR(run.context.cpu_model, "Ryzen");
    CHECK(run.context.compiler == NULL && run.context.date == NULL);
    pr_run_release(&run);

    pr_run_init(&run);
    CHECK_INT(import_text(&run,
                          "{'machine_info':{'processor':'x86_64 CPU','cpu':{}},"
                          "'commit_info':{'id':'E8BDED7349851817AC818EA6C226764192D0368A',"
                          "'branch':'(detached head)'},"
                          "'benchmarks':[" PY_BENCH("test_a", "null", PY_STATS_ONLY) "]}",
                          NULL, NULL),
              0);
    /* not lowercase hex as git writes it: not taken for a commit */
    CHECK(run.git.commit == NULL);
    CHECK_STR(run.git.branch, "detached");
    CHECK_STR(run.context.cpu_model, "x86_64 CPU");
    pr_run_release(&run);
}

static void test_pytest_malformed(void)
{
    expect_error(PY_DOC("7"), NULL, "benchmarks[0]: expected an object");
    expect_error(PY_DOC("{'fullname':'t.py::a'}"), NULL,
                 "benchmarks[0].stats: required field is missing");
    expect_error(PY_DOC("{'fullname':'t.py::a','stats':{'data':[1]}}"), NULL,
                 "benchmarks[0].stats.iterations: required field is missing");
    expect_error(PY_DOC("{'fullname':'t.py::a','stats':{'data':[1,'2'],'iterations':1}}"), NULL,
                 "benchmarks[0].stats.data[1]: expected a non-negative finite number");
    expect_error(PY_DOC("{'fullname':'t.py::a','stats':{'data':[1,-2],'iterations':1}}"), NULL,
                 "benchmarks[0].stats.data[1]: expected a non-negative finite number");
    expect_error(PY_DOC("{'fullname':'t.py::a','stats':{'data':{},'iterations':1}}"), NULL,
                 "benchmarks[0].stats.data: expected an array");
    expect_error(PY_DOC("{'fullname':'t.py::a','stats':{'data':[1e10],'iterations':1}}"), NULL,
                 "benchmarks[0].stats.data[0]: 10000000000 is out of range for a time");
    expect_error(PY_DOC("{'fullname':'t.py::a','stats':{'iterations':1,'min':1}}"), NULL,
                 "benchmarks[0].stats.q1: required field is missing");
    expect_error(PY_DOC(PY_BENCH("a", "null",
                                 "'stats':{'min':1,'max':2,'mean':1,'stddev':0,'rounds':3,"
                                 "'median':1.5,'iqr':0,'q1':1.6,'q3':1.7,'iterations':1}")),
                 NULL, "benchmarks[0].stats.median: below q1");
    expect_error(PY_DOC(PY_BENCH("a", "null",
                                 "'stats':{'min':1,'max':2,'mean':1,'stddev':0,'rounds':0,"
                                 "'median':1.5,'iqr':0,'q1':1,'q3':2,'iterations':1}")),
                 NULL, "benchmarks[0].stats.rounds: 0 is out of range");
    expect_error(PY_DOC(PY_BENCH("a", "null",
                                 "'stats':{'min':1,'max':2,'mean':1,'stddev':0,'rounds':3,"
                                 "'median':1.5,'iqr':0,'q1':1,'q3':2,'iterations':1,"
                                 "'iqr_outliers':4}")),
                 NULL, "benchmarks[0].stats: more outliers (4) than values (3)");
    expect_error(PY_DOC(PY_BENCH("a", "null", PY_STATS_ONLY) "," PY_BENCH(
                     "b", "null", PY_STATS_ONLY) "," PY_BENCH("a", "null", PY_STATS_ONLY)),
                 NULL,
                 "benchmarks[2].fullname: duplicate benchmark name 't.py::a' (first at "
                 "benchmarks[0])");
    expect_error(PY_DOC("{'fullname':'t.py::a\\u009b','stats':{'data':[1],'iterations':1}}"), NULL,
                 "benchmarks[0].fullname: contains the control character U+009B");
    expect_error(PY_DOC("{'name':'','stats':{'data':[1],'iterations':1}}"), NULL,
                 "benchmarks[0].name: expected a non-empty name");
    expect_error(PY_DOC("{'name':'a','stats':{'data':[1],'iterations':1},"
                        "'extra_info':{'a\\tb':1}}"),
                 NULL,
                 "benchmarks[0].extra_info: a counter's name contains the control "
                 "character U+0009");
    expect_error("{'machine_info':[],'benchmarks':[" PY_BENCH("a", "null", PY_STATS_ONLY) "]}",
                 NULL, "machine_info: expected an object");
    expect_error("{'machine_info':{'cpu':{'count':1.5}},'benchmarks':[" PY_BENCH(
                     "a", "null", PY_STATS_ONLY) "]}",
                 NULL, "machine_info.cpu.count: expected a non-negative whole number, got 1.5");
    expect_error(
        "{'commit_info':{'dirty':'yes'},'benchmarks':[" PY_BENCH("a", "null", PY_STATS_ONLY) "]}",
        NULL, "commit_info.dirty: expected true, false or null");
    expect_error(
        "{'commit_info':{'time':'Monday'},'benchmarks':[" PY_BENCH("a", "null", PY_STATS_ONLY) "]}",
        NULL, "commit_info.time: expected an ISO 8601 date and time with its UTC offset");
    expect_error(
        "{'machine_info':{},'datetime':7,'benchmarks':[" PY_BENCH("a", "null", PY_STATS_ONLY) "]}",
        NULL, "datetime: expected a string or null");
    expect_error("{'commit_info':{},'benchmarks':[]}", NULL, "benchmarks: no benchmarks to import");
}

/* The real files from pytest-benchmark 3.2.2: --benchmark-json, and what
 * --benchmark-save writes with and without --benchmark-save-data. */
static void test_pytest_files(void)
{
    static const struct {
        const char *file;
        int with_data;
        size_t n;
    } files[] = {
        {FIXTURES "pytest_json.json", 1, 7},
        {FIXTURES "pytest_saved_data.json", 1, 7},
        {FIXTURES "pytest_saved_nodata.json", 0, 7},
        {FIXTURES "pytest_autosave.json", 0, 7},
        {FIXTURES "pytest-benchmark-3.2.2.json", 1, 6},
    };
    pr_import_format format;
    pr_run run;
    const pr_result *r;
    size_t i, k;

    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        pr_run_init(&run);
        format = PR_IMPORT_AUTO;
        CHECK_INT(pr_import_load(&run, files[i].file, NULL, &format), 0);
        CHECK_INT(format, PR_IMPORT_PYTEST);
        CHECK_INT(run.n_results, files[i].n);
        for (k = 0; k < run.n_results; k++) {
            r = &run.results[k];
            CHECK_INT(r->status, PR_STATUS_OK);
            CHECK_INT(r->n_samples > 0, files[i].with_data);
            CHECK(r->stats.n >= 5 && r->stats.mean_ns > 0);
            CHECK(strncmp(r->name, "test_", 5) == 0);
        }
        CHECK(run.git.commit != NULL && run.context.date != NULL);
        check_round_trip(&run);
        pr_run_release(&run);
    }
    pr_run_init(&run);
    CHECK_INT(pr_import_load(&run, FIXTURES "pytest_json.json", NULL, NULL), 0);
    if ((r = find(&run, "test_pybench.py::test_pedantic")))
        CHECK_INT(r->iterations, 20);
    if ((r = find(&run, "test_pybench.py::test_sort[1000]")))
        CHECK(r->n_samples >= 5);
    if ((r = find(&run, "test_pybench.py::test_extra_info")))
        CHECK_SAME_DOUBLE(counter(r, "bytes"), 197);
    CHECK_STR(run.suite, "pyb");
    CHECK_STR(run.context.compiler, "CPython 3.11.2");
    pr_run_release(&run);
}

/* ---- hyperfine ---- */

#define HF(command, rest) "{'command':'" command "'," rest "}"
#define HF_TIMES(times, codes)                                                                     \
    "'mean':0.5,'stddev':0.1,'median':0.5,'user':0.25,'system':0.125,'min':0.25,'max':1,"          \
    "'times':[" times "],'exit_codes':[" codes "]"
#define HF_DOC(results) "{'results':[" results "]}"

static void test_hyperfine_times(void)
{
    pr_import_format format = PR_IMPORT_AUTO;
    pr_run run;
    const pr_result *r;

    pr_run_init(&run);
    CHECK_INT(
        import_text(&run, HF_DOC(HF("sleep 0.5", HF_TIMES("0.5,0.25,1", "0,0,0"))), NULL, &format),
        0);
    CHECK_INT(format, PR_IMPORT_HYPERFINE);
    CHECK_STR(run.suite, "hyperfine");
    CHECK_STR(run.context.clock, "hyperfine wall-clock time");
    r = find(&run, "sleep 0.5");
    if (r && r->n_samples == 3) {
        CHECK_SAME_DOUBLE(r->samples_ns[0], 5e8);
        CHECK_SAME_DOUBLE(r->samples_ns[1], 2.5e8);
        CHECK_SAME_DOUBLE(r->samples_ns[2], 1e9);
        CHECK_INT(r->iterations, 1);
        CHECK_SAME_DOUBLE(counter(r, "user_s"), 0.25);
        CHECK_SAME_DOUBLE(counter(r, "system_s"), 0.125);
    } else {
        CHECK_INT(r ? r->n_samples : 0, 3);
    }
    check_round_trip(&run);
    pr_run_release(&run);
}

/* -P / -L: one result per value; the parameters go into a name only when
 * the commands do not already tell the results apart. */
static void test_hyperfine_parameters(void)
{
    static const char *const doc = HF_DOC(
        HF("make -j 1", HF_TIMES("1", "0") ",'parameters':{'threads':'1'}") ","
        HF("make -j 4", HF_TIMES("1", "0") ",'parameters':{'threads':'4'}") ","
        HF("sleep", HF_TIMES("1", "0") ",'parameters':{'n':'1','unit':'ms'}") ","
        HF("sleep", HF_TIMES("1", "0") ",'parameters':{'n':2,'unit':'ms'}"));
    pr_run run;

    pr_run_init(&run);
    CHECK_INT(import_text(&run, doc, NULL, NULL), 0);
    CHECK_INT(run.n_results, 4);
    if (run.n_results == 4) {
        CHECK_STR(run.results[0].name, "make -j 1");
        CHECK_STR(run.results[1].name, "make -j 4");
        CHECK_STR(run.results[2].name, "sleep (n=1, unit=ms)");
        CHECK_STR(run.results[3].name, "sleep (n=2, unit=ms)");
    }
    pr_run_release(&run);

    /* nothing tells them apart */
    expect_error(HF_DOC(HF("true", HF_TIMES("1", "0")) "," HF("false", HF_TIMES("1", "0")) ","
                        HF("true", HF_TIMES("1", "0"))),
                 NULL, "results[2].command: duplicate benchmark name 'true' (first at results[0])");
    expect_error(HF_DOC(HF("x", HF_TIMES("1", "0") ",'parameters':{'n':'1'}") ","
                        HF("x", HF_TIMES("1", "0") ",'parameters':{'n':'1'}")),
                 NULL,
                 "results[1].command: duplicate benchmark name 'x (n=1)' (first at results[0])");
    expect_error(HF_DOC(HF("x", HF_TIMES("1", "0") ",'parameters':{'n':[1]}") ","
                        HF("x", HF_TIMES("1", "0") ",'parameters':{'n':'1'}")),
                 NULL, "results[0].parameters: expected strings or numbers");
}

/* With --ignore-failure hyperfine records non-zero exit codes: the
 * command failed, and says how. */
static void test_hyperfine_exit_codes(void)
{
    pr_run run;
    const pr_result *r;

    pr_run_init(&run);
    CHECK_INT(import_text(&run,
                          HF_DOC(HF("a", HF_TIMES("1,1,1,1,1", "0,1,0,3,null")) ","
                                 HF("b", HF_TIMES("1,1", "2,2")) ","
                                 HF("c", HF_TIMES("1", "null"))),
                          NULL, NULL),
              0);
    if ((r = find(&run, "a"))) {
        CHECK_INT(r->status, PR_STATUS_FAILED);
        CHECK_STR(r->error, "exit codes 1, 3 in 2 of 5 runs; killed by a signal in 1 of 5 runs");
        CHECK_INT(r->n_samples, 0);
    }
    if ((r = find(&run, "b")))
        CHECK_STR(r->error, "exit code 2 in 2 of 2 runs");
    if ((r = find(&run, "c")))
        CHECK_STR(r->error, "killed by a signal in 1 of 1 runs");
    check_round_trip(&run);
    pr_run_release(&run);
    expect_error(HF_DOC(HF("a", HF_TIMES("1", "'0'"))), NULL,
                 "results[0].exit_codes[0]: expected a whole number or null");
    expect_error(HF_DOC(HF("a", HF_TIMES("1", "0.5"))), NULL,
                 "results[0].exit_codes[0]: expected a whole number or null");
}

/* No times: hyperfine's summary, counted by the exit codes. */
static void test_hyperfine_stats_only(void)
{
    pr_run run;
    const pr_result *r;

    pr_run_init(&run);
    CHECK_INT(import_text(&run,
                          HF_DOC(HF("a", "'mean':0.5,'stddev':0.25,'median':0.25,'min':0.125,"
                                         "'max':1,'exit_codes':[0,0,0,0]") ","
                                 HF("b", "'mean':0.5,'stddev':null,'median':0.5,'min':0.5,"
                                         "'max':0.5,'exit_codes':[0]")),
                          NULL, NULL),
              0);
    if ((r = find(&run, "a"))) {
        CHECK_INT(r->n_samples, 0);
        CHECK_INT(r->stats.n, 4);
        CHECK_SAME_DOUBLE(r->stats.mean_ns, 5e8);
        CHECK_SAME_DOUBLE(r->stats.median_ns, 2.5e8);
        CHECK_SAME_DOUBLE(r->stats.min_ns, 1.25e8);
        CHECK_SAME_DOUBLE(r->stats.max_ns, 1e9);
        CHECK_SAME_DOUBLE(r->stats.q1_ns, 2.5e8);
        CHECK_SAME_DOUBLE(r->stats.q3_ns, 2.5e8);
        CHECK_SAME_DOUBLE(r->stats.stddev_ns, 2.5e8);
    }
    if ((r = find(&run, "b")))
        CHECK(r->stats.n == 1 && r->stats.stddev_ns == 0);
    check_round_trip(&run);
    pr_run_release(&run);

    expect_error(HF_DOC(HF("a", "'mean':0.5,'median':0.25,'min':0.5,'max':1,'exit_codes':[0]")),
                 NULL, "results[0].median: below min");
    expect_error(HF_DOC(HF("a", "'mean':0.5,'median':0.25,'min':0.125,'max':0.2,"
                                "'exit_codes':[0]")),
                 NULL, "results[0].max: below median");
    expect_error(HF_DOC(HF("a", "'mean':0.5,'median':0.25,'min':0.125,'max':1")), NULL,
                 "results[0].times: expected the times, or exit_codes to count the runs");
    expect_error(HF_DOC(HF("a", "'median':0.25,'min':0.125,'max':1,'exit_codes':[0]")), NULL,
                 "results[0].mean: required field is missing");
}

static void test_hyperfine_malformed(void)
{
    expect_error(HF_DOC(HF("a", HF_TIMES("1", "0")) ",[]"), NULL, "results[1]: expected an object");
    expect_error(HF_DOC(HF("a", HF_TIMES("1", "0")) ",{'command':7}"), NULL,
                 "results[1].command: expected a string");
    expect_error(HF_DOC(HF("", HF_TIMES("1", "0"))), NULL,
                 "results[0].command: expected a non-empty name");
    expect_error(HF_DOC(HF("echo \\u001b[31m", HF_TIMES("1", "0"))), NULL,
                 "results[0].command: contains the control character U+001B");
    expect_error(HF_DOC(HF("a", HF_TIMES("1,'2'", "0,0"))), NULL,
                 "results[0].times[1]: expected a non-negative finite number");
    expect_error(HF_DOC(HF("a", HF_TIMES("-1", "0"))), NULL,
                 "results[0].times[0]: expected a non-negative finite number");
    expect_error(HF_DOC(HF("a", "'times':7")), NULL, "results[0].times: expected an array");
    expect_error(HF_DOC(HF("a", "'times':[1],'exit_codes':[0],'user':-1")), NULL,
                 "results[0].user: expected a non-negative finite number");
}

static void test_hyperfine_files(void)
{
    pr_run run;
    const pr_result *r;

    pr_run_init(&run);
    CHECK_INT(pr_import_load(&run, FIXTURES "hyperfine-1.15.0.json", NULL, NULL), 0);
    CHECK_INT(run.n_results, 2);
    if ((r = find(&run, "gzip -c blob.txt")))
        CHECK_INT(r->n_samples, 10);
    pr_run_release(&run);

    pr_run_init(&run);
    CHECK_INT(pr_import_load(&run, FIXTURES "hyperfine_params.json", NULL, NULL), 0);
    CHECK_INT(run.n_results, 3);
    if (run.n_results == 3) {
        CHECK_STR(run.results[0].name, "sleep 0.001");
        CHECK_STR(run.results[2].name, "sleep 0.003");
        CHECK_INT(run.results[2].n_samples, 5);
    }
    pr_run_release(&run);

    pr_run_init(&run);
    CHECK_INT(pr_import_load(&run, FIXTURES "hyperfine_named.json", NULL, NULL), 0);
    CHECK_INT(run.n_results, 2);
    if (run.n_results == 2) {
        CHECK_STR(run.results[0].name, "sleep (n=1)");
        CHECK_STR(run.results[1].name, "sleep (n=2)");
    }
    pr_run_release(&run);

    pr_run_init(&run);
    CHECK_INT(pr_import_load(&run, FIXTURES "hyperfine_failing.json", NULL, NULL), 0);
    if ((r = find(&run, "true")))
        CHECK_INT(r->status, PR_STATUS_OK);
    if ((r = find(&run, "false")))
        CHECK_STR(r->error, "exit code 1 in 5 of 5 runs");
    if (run.n_results == 3) {
        CHECK_INT(run.results[2].status, PR_STATUS_FAILED);
        CHECK_CONTAINS(run.results[2].error, "exit code 3 in ");
    }
    check_round_trip(&run);
    pr_run_release(&run);
}

/* ---- detection, forcing, the results reader ---- */

static void test_detection(void)
{
    pr_import_options gb = options(PR_IMPORT_GBENCH, PR_IMPORT_REAL_TIME);
    pr_import_options py = options(PR_IMPORT_PYTEST, PR_IMPORT_REAL_TIME);
    pr_import_options hf = options(PR_IMPORT_HYPERFINE, PR_IMPORT_REAL_TIME);
    pr_import_format format = PR_IMPORT_GBENCH;
    pr_run run;

    /* forced, the shape must match, and the message says which */
    expect_error(HF_DOC(HF("a", HF_TIMES("1", "0"))), &gb,
                 "'x.json': not Google Benchmark JSON: expected an object with a \"benchmarks\" "
                 "array of rows with \"run_type\" / \"real_time\"");
    expect_error(GB_DOC(GB_OK("")), &py,
                 "'x.json': not pytest-benchmark JSON: expected an object with \"machine_info\" / "
                 "\"commit_info\" and a \"benchmarks\" array of entries with \"fullname\" and "
                 "\"stats\"");
    expect_error(GB_DOC(GB_OK("")), &hf,
                 "'x.json': not hyperfine JSON: expected an object with a \"results\" array of "
                 "entries with \"command\"");
    /* forced and matching */
    pr_run_init(&run);
    CHECK_INT(import_text(&run, GB_DOC(GB_OK("")), &gb, &format), 0);
    CHECK_INT(format, PR_IMPORT_GBENCH);
    pr_run_release(&run);

    expect_error("{'schema_version':1,'suite':'s','context':{},'git':{},'benchmarks':[]}", NULL,
                 "'x.json': already a perfreg results file (it has a schema_version)");
    expect_error("{'suite':'s','context':{'host':'h'},'git':{},'benchmarks':[{'name':'a',"
                 "'status':'ok','samples_ns':[1],'stats':{'n':1,'min_ns':1}}]}",
                 NULL, "'x.json': not Google Benchmark, pytest-benchmark or hyperfine JSON");
    expect_error("{'benchmarks':[{'run_type':'iteration','fullname':'a'}]}", NULL,
                 "'x.json': looks like both Google Benchmark JSON and pytest-benchmark JSON: "
                 "name the format with --from");
    expect_error("[1]", NULL, "'x.json': the top level must be an object");
    expect_error("{'results':", NULL, "'x.json': not valid JSON near line 1");
    expect_error("", NULL, "'x.json': empty file");
    expect_error("{}", NULL, "not Google Benchmark, pytest-benchmark or hyperfine JSON");

    /* the format is reported even when the import then fails, and stays
     * AUTO when nothing matched */
    pr_run_init(&run);
    format = PR_IMPORT_PYTEST;
    CHECK_INT(import_text(&run, GB_DOC("7"), NULL, &format), PR_EINVALID);
    CHECK_INT(format, PR_IMPORT_GBENCH);
    CHECK_INT(import_text(&run, "{}", NULL, &format), PR_EINVALID);
    CHECK_INT(format, PR_IMPORT_AUTO);
    pr_run_release(&run);
}

static void test_format_names(void)
{
    pr_import_format f = PR_IMPORT_AUTO;

    CHECK_INT(pr_import_format_parse("gbench", &f), 0);
    CHECK_INT(f, PR_IMPORT_GBENCH);
    CHECK_INT(pr_import_format_parse("pytest", &f), 0);
    CHECK_INT(f, PR_IMPORT_PYTEST);
    CHECK_INT(pr_import_format_parse("hyperfine", &f), 0);
    CHECK_INT(f, PR_IMPORT_HYPERFINE);
    CHECK_INT(pr_import_format_parse("criterion", &f), PR_EUSAGE);
    CHECK_STR(pr_error_last(), "--from 'criterion': one of gbench, pytest, hyperfine");
    CHECK_STR(pr_import_format_name(PR_IMPORT_HYPERFINE), "hyperfine");
    CHECK_STR(pr_import_format_title(PR_IMPORT_GBENCH), "Google Benchmark JSON");
}

/* Every reader of results files reads the tools' files too; what is none
 * of them keeps the message it always had. */
static void test_results_reader(void)
{
    char *doc =
        json(GB_DOC(GB_REP("BM_a", "0", "1.5", "1", "") "," GB_REP("BM_a", "1", "2.5", "1", "")));
    pr_run run;

    pr_run_init(&run);
    CHECK_INT(pr_results_parse(&run, doc, strlen(doc), FILE_NAME), 0);
    CHECK_INT(run.n_results, 1);
    if (run.n_results == 1 && run.results[0].n_samples == 2)
        CHECK_SAME_DOUBLE(run.results[0].samples_ns[1], 2500);
    pr_run_release(&run);
    free(doc);

    /* an import error is the reader's error */
    doc = json(GB_DOC(GB_ROW("BM_a", "'iterations':1,'real_time':-1,'time_unit':'ns'")));
    pr_run_init(&run);
    CHECK_INT(pr_results_parse(&run, doc, strlen(doc), FILE_NAME), PR_EINVALID);
    CHECK_STR(pr_error_last(),
              "'x.json': benchmarks[0].real_time: expected a non-negative finite number");
    pr_run_release(&run);
    free(doc);

    /* none of them, or two of them: a results file without schema_version */
    doc = json("{'suite':'s','context':{},'git':{},'benchmarks':[]}");
    CHECK_INT(pr_results_parse(&run, doc, strlen(doc), FILE_NAME), PR_EINVALID);
    CHECK_STR(pr_error_last(), "'x.json': schema_version: required field is missing");
    free(doc);
    doc = json("{'benchmarks':[{'run_type':'iteration','fullname':'a'}]}");
    CHECK_INT(pr_results_parse(&run, doc, strlen(doc), FILE_NAME), PR_EINVALID);
    CHECK_STR(pr_error_last(), "'x.json': schema_version: required field is missing");
    free(doc);
    pr_run_release(&run);
}

/* Every prefix of a real file fails cleanly: no crash, one message. */
static void test_every_prefix(void)
{
    static const char *const files[] = {FIXTURES "gbench_repetitions.json",
                                        FIXTURES "hyperfine_failing.json",
                                        FIXTURES "pytest_saved_nodata.json"};
    pr_strbuf text = PR_STRBUF_INIT;
    pr_run run;
    size_t i, cut, failures;
    char *copy;
    int err;

    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        FILE *f = fopen(files[i], "rb");
        char chunk[4096];
        size_t n;

        CHECK(f != NULL);
        if (!f)
            continue;
        pr_strbuf_reset(&text);
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            pr_strbuf_add(&text, chunk, n);
        fclose(f);
        failures = 0;
        for (cut = 0; cut + 1 < text.len; cut++) {
            copy = malloc(cut ? cut : 1);
            memcpy(copy, text.buf, cut);
            pr_run_init(&run);
            err = pr_import_parse(&run, copy, cut, FILE_NAME, NULL, NULL);
            /* only the final newline may go */
            if (cut < text.len - 1 && (err != PR_EINVALID || run.n_results != 0 ||
                                       strncmp(pr_error_last(), "'x.json': ", 10) != 0))
                failures++;
            pr_run_release(&run);
            free(copy);
        }
        CHECK_INT(failures, 0);
    }
    pr_strbuf_release(&text);
}

int main(void)
{
    RUN_TEST(test_gbench_repetitions);
    RUN_TEST(test_gbench_units);
    RUN_TEST(test_gbench_rates);
    RUN_TEST(test_gbench_counters);
    RUN_TEST(test_gbench_errors);
    RUN_TEST(test_gbench_aggregates_only);
    RUN_TEST(test_gbench_context);
    RUN_TEST(test_gbench_malformed);
    RUN_TEST(test_gbench_files);
    RUN_TEST(test_pytest_data);
    RUN_TEST(test_pytest_stats_only);
    RUN_TEST(test_pytest_context);
    RUN_TEST(test_pytest_malformed);
    RUN_TEST(test_pytest_files);
    RUN_TEST(test_hyperfine_times);
    RUN_TEST(test_hyperfine_parameters);
    RUN_TEST(test_hyperfine_exit_codes);
    RUN_TEST(test_hyperfine_stats_only);
    RUN_TEST(test_hyperfine_malformed);
    RUN_TEST(test_hyperfine_files);
    RUN_TEST(test_detection);
    RUN_TEST(test_format_names);
    RUN_TEST(test_results_reader);
    RUN_TEST(test_every_prefix);
    return CHECK_DONE();
}
