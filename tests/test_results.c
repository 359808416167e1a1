/*
 * test_results.c - the results file: write and read back, and every way a
 * file can be malformed, each named by file and field path in one line.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "error.h"
#include "history.h"
#include "results.h"
#include "run.h"
#include "stats.h"
#include "strbuf.h"

#define FILE_NAME "runs/x.json"

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

/* Both NULL, or equal strings. */
#define CHECK_SAME_STR(a, b)                                                                       \
    do {                                                                                           \
        const char *same_a_ = (a), *same_b_ = (b);                                                 \
        if (same_a_ || same_b_)                                                                    \
            CHECK_STR(same_a_, same_b_);                                                           \
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

static void set_samples(pr_result *r, const double *samples, size_t n)
{
    r->samples_ns = malloc(n * sizeof *samples);
    memcpy(r->samples_ns, samples, n * sizeof *samples);
    r->n_samples = n;
    CHECK_INT(pr_stats_compute(&r->stats, r->samples_ns, n), 0);
    pr_result_derive_throughput(r);
}

static void fill_full(pr_run *run)
{
    /* Values the 15-digit form rounds wrongly, a subnormal, large values. */
    static const double a[] = {
        0.1 + 0.2, 1.0 / 3, 123456789.12345679, 1.0000000000000002, 1.2345678901234567e-12, 2.5,
        1e17,      7};
    static const double b[] = {1000, 1001.5, 999.25, 1000.125, 5000};
    static const double c[] = {42.000000000000007};
    pr_context *x = &run->context;
    pr_git_info *g = &run->git;
    pr_result *r;

    run->suite = pr_strdup("perfreg_bench");
    x->date = pr_strdup("2026-11-23T08:35:00Z");
    x->host = pr_strdup("build-07");
    x->os = pr_strdup("Linux");
    x->kernel = pr_strdup("6.1.0-18-amd64");
    x->arch = pr_strdup("x86_64");
    x->cpu_model = pr_strdup("AMD EPYC 7B13 \"64-Core\"\tProcessor \\ caf\xc3\xa9 \xe2\x82\xac");
    x->logical_cores = 64;
    x->compiler = pr_strdup("gcc 12.2.0");
    x->build_type = pr_strdup("Release");
    x->build_flags = pr_strdup("-O2 -DNDEBUG");
    x->optimized = 1;
    x->clock = pr_strdup("CLOCK_MONOTONIC");
    x->clock_cost_ns = 18.723456789012345;
    x->clock_step_ns = 20;
    x->clock_resolution_ns = 1;
    x->perfreg_version = pr_strdup("0.1.0");
    x->min_time_s = 0.1;
    x->warmup_s = 0.05;
    x->samples = 20;
    x->iterations = 9007199254740992u; /* 2^53, the largest exact */

    g->commit = pr_strdup("3f1c2a9e0b7d4c6e8f1a2b3c4d5e6f708192a3b4");
    g->short_commit = pr_strdup("3f1c2a9");
    g->branch = pr_strdup("main");
    g->dirty = 0;
    g->subject = pr_strdup("stats: use type 7 quantiles\n");
    g->commit_time = pr_strdup("2026-11-22T17:01:02Z");
    g->author_time = pr_strdup("2026-11-21T09:30:00Z");

    pr_run_add_result(run, &r);
    r->name = pr_strdup("string/strlen_1k");
    r->status = PR_STATUS_OK;
    r->iterations = 1048576;
    r->bytes_per_iteration = 1024;
    r->total_time_s = 0.5123;
    set_samples(r, a, sizeof a / sizeof a[0]);
    r->has_memory = 1;
    r->peak_rss_bytes = 72351744;
    r->baseline_rss_bytes = 5242880;
    r->memory_bytes = 67108864;
    r->has_allocs = 1;
    r->allocs_per_iteration = 1.0 / 3; /* one allocation every third iteration */
    r->alloc_bytes_per_iteration = 0.1 + 0.2;

    pr_run_add_result(run, &r);
    r->name = pr_strdup("hash/fnv1a");
    r->status = PR_STATUS_OK;
    r->iterations = 3;
    r->items_per_iteration = 16;
    r->bytes_per_iteration = 0.5;
    r->total_time_s = 1.25;
    set_samples(r, b, sizeof b / sizeof b[0]);
    /* counted, and none: not the same as not counted */
    r->has_allocs = 1;

    pr_run_add_result(run, &r);
    r->name = pr_strdup("io/flaky");
    r->status = PR_STATUS_FAILED;
    r->error = pr_strdup("timed out after 10 s");
    r->iterations = 1;
    set_samples(r, c, 1);
}

static void check_same_stats(const pr_stats *a, const pr_stats *b)
{
    CHECK_INT(a->n, b->n);
    CHECK_SAME_DOUBLE(a->min_ns, b->min_ns);
    CHECK_SAME_DOUBLE(a->max_ns, b->max_ns);
    CHECK_SAME_DOUBLE(a->mean_ns, b->mean_ns);
    CHECK_SAME_DOUBLE(a->median_ns, b->median_ns);
    CHECK_SAME_DOUBLE(a->stddev_ns, b->stddev_ns);
    CHECK_SAME_DOUBLE(a->q1_ns, b->q1_ns);
    CHECK_SAME_DOUBLE(a->q3_ns, b->q3_ns);
    CHECK_SAME_DOUBLE(a->iqr_ns, b->iqr_ns);
    CHECK_SAME_DOUBLE(a->mad_ns, b->mad_ns);
    CHECK_SAME_DOUBLE(a->cv, b->cv);
    CHECK_SAME_DOUBLE(a->ops_per_second, b->ops_per_second);
    CHECK_INT(a->outliers_mild, b->outliers_mild);
    CHECK_INT(a->outliers_severe, b->outliers_severe);
}

/* The memory and allocation figures of two results. */
static void check_same_resources(const pr_result *r, const pr_result *s)
{
    CHECK_INT(r->has_memory, s->has_memory);
    CHECK(r->peak_rss_bytes == s->peak_rss_bytes);
    CHECK(r->baseline_rss_bytes == s->baseline_rss_bytes);
    CHECK(r->memory_bytes == s->memory_bytes);
    CHECK_INT(r->has_allocs, s->has_allocs);
    CHECK_SAME_DOUBLE(r->allocs_per_iteration, s->allocs_per_iteration);
    CHECK_SAME_DOUBLE(r->alloc_bytes_per_iteration, s->alloc_bytes_per_iteration);
}

/* Everything but the benchmarks. */
static void check_same_header(const pr_run *a, const pr_run *b)
{
    const pr_context *x = &a->context, *y = &b->context;

    CHECK_INT(a->schema_version, b->schema_version);
    CHECK_SAME_STR(a->suite, b->suite);
    CHECK_SAME_STR(x->date, y->date);
    CHECK_SAME_STR(x->host, y->host);
    CHECK_SAME_STR(x->os, y->os);
    CHECK_SAME_STR(x->kernel, y->kernel);
    CHECK_SAME_STR(x->arch, y->arch);
    CHECK_SAME_STR(x->cpu_model, y->cpu_model);
    CHECK_INT(x->logical_cores, y->logical_cores);
    CHECK_SAME_STR(x->compiler, y->compiler);
    CHECK_SAME_STR(x->build_type, y->build_type);
    CHECK_SAME_STR(x->build_flags, y->build_flags);
    CHECK_INT(x->optimized, y->optimized);
    CHECK_SAME_STR(x->clock, y->clock);
    CHECK_SAME_DOUBLE(x->clock_cost_ns, y->clock_cost_ns);
    CHECK_SAME_DOUBLE(x->clock_step_ns, y->clock_step_ns);
    CHECK_SAME_DOUBLE(x->clock_resolution_ns, y->clock_resolution_ns);
    CHECK_SAME_STR(x->perfreg_version, y->perfreg_version);
    CHECK_SAME_DOUBLE(x->min_time_s, y->min_time_s);
    CHECK_SAME_DOUBLE(x->warmup_s, y->warmup_s);
    CHECK(x->samples == y->samples);
    CHECK(x->iterations == y->iterations);

    CHECK_SAME_STR(a->git.commit, b->git.commit);
    CHECK_SAME_STR(a->git.short_commit, b->git.short_commit);
    CHECK_SAME_STR(a->git.branch, b->git.branch);
    CHECK_INT(a->git.dirty, b->git.dirty);
    CHECK_SAME_STR(a->git.subject, b->git.subject);
    CHECK_SAME_STR(a->git.commit_time, b->git.commit_time);
    CHECK_SAME_STR(a->git.author_time, b->git.author_time);
}

static void check_same_run(const pr_run *a, const pr_run *b)
{
    size_t i, j;

    check_same_header(a, b);
    CHECK_INT(a->n_results, b->n_results);
    for (i = 0; i < a->n_results && i < b->n_results; i++) {
        const pr_result *r = &a->results[i], *s = &b->results[i];
        CHECK_SAME_STR(r->name, s->name);
        CHECK_INT(r->status, s->status);
        CHECK_SAME_STR(r->error, s->error);
        CHECK(r->iterations == s->iterations);
        CHECK_INT(r->n_samples, s->n_samples);
        for (j = 0; j < r->n_samples && j < s->n_samples; j++)
            CHECK_SAME_DOUBLE(r->samples_ns[j], s->samples_ns[j]);
        if (r->n_samples > 0)
            check_same_stats(&r->stats, &s->stats);
        CHECK_SAME_DOUBLE(r->bytes_per_iteration, s->bytes_per_iteration);
        CHECK_SAME_DOUBLE(r->items_per_iteration, s->items_per_iteration);
        CHECK_SAME_DOUBLE(r->bytes_per_second, s->bytes_per_second);
        CHECK_SAME_DOUBLE(r->items_per_second, s->items_per_second);
        CHECK_SAME_DOUBLE(r->total_time_s, s->total_time_s);
        check_same_resources(r, s);
    }
}

/* Writes RUN, parses the text into BACK; returns the text (free it). */
static char *write_and_parse(const pr_run *run, pr_run *back)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    size_t len = 0;
    char *text;

    CHECK_INT(pr_results_write(run, &sb), 0);
    text = pr_strbuf_detach(&sb, &len);
    CHECK_INT(pr_results_parse(back, text, len, FILE_NAME), 0);
    return text;
}

static void test_round_trip_full(void)
{
    pr_run run, back;
    char *text;

    pr_run_init(&run);
    pr_run_init(&back);
    fill_full(&run);
    text = write_and_parse(&run, &back);
    check_same_run(&run, &back);

    CHECK(strncmp(text, "{\n  \"schema_version\": 1,\n  \"suite\": \"perfreg_bench\",\n", 53) == 0);
    CHECK(strlen(text) >= 2 && strcmp(text + strlen(text) - 2, "}\n") == 0);
    CHECK(strchr(text, '\t') == NULL);
    CHECK_CONTAINS(text, "\n    \"clock\": {\n      \"name\": \"CLOCK_MONOTONIC\",");
    CHECK_CONTAINS(text, "\"samples_ns\": [0.30000000000000004, 0.3333333333333333,");
    CHECK_CONTAINS(text, "1.2345678901234567e-12");
    CHECK_CONTAINS(text, "\"iterations\": 9007199254740992");
    CHECK_CONTAINS(text, "\"optimized\": true");
    CHECK_CONTAINS(text, "\"dirty\": false");
    CHECK_CONTAINS(text, "\\\"64-Core\\\"\\tProcessor \\\\ caf\xc3\xa9 \xe2\x82\xac");
    CHECK_CONTAINS(text, "\"subject\": \"stats: use type 7 quantiles\\n\"");

    free(text);
    pr_run_release(&run);
    pr_run_release(&back);
}

/* Writing what was read gives the same text: nothing is lost or reordered. */
static void test_rewrite_is_identical(void)
{
    pr_run run, back, again;
    char *text, *text2;

    pr_run_init(&run);
    pr_run_init(&back);
    pr_run_init(&again);
    fill_full(&run);
    text = write_and_parse(&run, &back);
    text2 = write_and_parse(&back, &again);
    CHECK_STR(text, text2);
    free(text);
    free(text2);
    pr_run_release(&run);
    pr_run_release(&back);
    pr_run_release(&again);
}

static void test_nulls_and_failed_without_samples(void)
{
    pr_run run, back;
    pr_result *r;
    char *text;

    pr_run_init(&run);
    pr_run_init(&back);
    run.suite = pr_strdup("s");
    pr_run_add_result(&run, &r);
    r->name = pr_strdup("crashes");
    r->status = PR_STATUS_FAILED;
    r->error = pr_strdup("killed by signal 11 (SIGSEGV)");
    r->total_time_s = 0.25;

    text = write_and_parse(&run, &back);
    check_same_run(&run, &back);
    CHECK_CONTAINS(text, "\"git\": {\n    \"commit\": null,\n    \"short_commit\": null,\n"
                         "    \"branch\": null,\n    \"dirty\": null,\n    \"subject\": null,\n"
                         "    \"commit_time\": null,\n    \"author_time\": null\n  },");
    CHECK_CONTAINS(text, "\"optimized\": null");
    CHECK_CONTAINS(text, "\"build_type\": null");
    CHECK_CONTAINS(text, "\"status\": \"failed\"");
    CHECK_CONTAINS(text, "\"samples_ns\": [],\n      \"stats\": null,");
    CHECK(back.git.commit == NULL && back.git.branch == NULL && back.git.dirty == -1);
    CHECK(back.context.optimized == -1 && back.context.build_type == NULL);
    CHECK(back.n_results == 1 && back.results[0].n_samples == 0);
    CHECK(back.results[0].samples_ns == NULL);
    free(text);
    pr_run_release(&run);
    pr_run_release(&back);
}

static void test_throughput_only_when_declared(void)
{
    static const double samples[] = {100, 200, 300};
    pr_run run, back;
    pr_result *r;
    char *text;

    pr_run_init(&run);
    pr_run_init(&back);
    run.suite = pr_strdup("s");
    pr_run_add_result(&run, &r);
    r->name = pr_strdup("plain");
    r->iterations = 1;
    set_samples(r, samples, 3);
    text = write_and_parse(&run, &back);
    CHECK(strstr(text, "bytes_per") == NULL);
    CHECK(strstr(text, "items_per") == NULL);
    CHECK(back.results[0].bytes_per_second == 0 && back.results[0].items_per_second == 0);
    free(text);
    pr_run_release(&back);

    r = &run.results[0];
    r->bytes_per_iteration = 4096;
    pr_result_derive_throughput(r);
    text = write_and_parse(&run, &back);
    CHECK_CONTAINS(text,
                   "\"bytes_per_iteration\": 4096,\n      \"bytes_per_second\": 20480000000,");
    CHECK(strstr(text, "items_per") == NULL);
    CHECK_SAME_DOUBLE(back.results[0].bytes_per_second, 4096 / 200e-9);
    free(text);
    pr_run_release(&back);

    r->bytes_per_iteration = 0;
    r->items_per_iteration = 2;
    pr_result_derive_throughput(r);
    text = write_and_parse(&run, &back);
    CHECK(strstr(text, "bytes_per") == NULL);
    CHECK_CONTAINS(text, "\"items_per_iteration\": 2,\n      \"items_per_second\": 10000000,");
    check_same_run(&run, &back);
    free(text);
    pr_run_release(&back);
    pr_run_release(&run);
}

/* The file's stats and throughput are ignored: both come from the samples. */
static void test_stats_recomputed(void)
{
    char *text = json("{'schema_version':1,'suite':'s','context':{},'git':{},'benchmarks':[{"
                      "'name':'a','status':'ok','iterations_per_sample':1,'samples_ns':[1,2,3,"
                      "100],'stats':{'mean_ns':-5,'n':'lots'},'bytes_per_iteration':8,"
                      "'bytes_per_second':1}]}");
    pr_run run;

    pr_run_init(&run);
    CHECK_INT(pr_results_parse(&run, text, strlen(text), FILE_NAME), 0);
    CHECK_INT(run.results[0].stats.n, 4);
    CHECK_SAME_DOUBLE(run.results[0].stats.mean_ns, 26.5);
    CHECK_SAME_DOUBLE(run.results[0].stats.median_ns, 2.5);
    CHECK_SAME_DOUBLE(run.results[0].bytes_per_second, 8 / 26.5e-9);
    CHECK(run.context.host == NULL && run.context.optimized == -1 && run.git.dirty == -1);
    free(text);
    pr_run_release(&run);
}

static size_t count_of(const char *text, const char *what)
{
    size_t n = 0;
    for (; (text = strstr(text, what)) != NULL; text += strlen(what))
        n++;
    return n;
}

/* Google Benchmark's JSON: a repetition per sample, then the aggregates; a
 * failed benchmark is an error row. */
static void test_gbench_export(void)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    pr_run run;
    const char *t;

    pr_run_init(&run);
    fill_full(&run);
    CHECK_INT(pr_results_write_gbench(&run, &sb), 0);
    t = pr_strbuf_cstr(&sb);
    CHECK_CONTAINS(t, "\"context\": {\n    \"date\": \"2026-11-23T08:35:00Z\",\n"
                      "    \"host_name\": \"build-07\",\n    \"executable\": \"perfreg_bench\",\n"
                      "    \"num_cpus\": 64,");
    /* 5 samples and 3 aggregates of hash/fnv1a */
    CHECK_INT(count_of(t, "\"run_name\": \"hash/fnv1a\""), 8);
    CHECK_INT(count_of(t, "\"run_name\": \"string/strlen_1k\""), 8 + 3);
    CHECK_CONTAINS(t, "\"name\": \"hash/fnv1a\",\n      \"family_index\": 1,\n"
                      "      \"per_family_instance_index\": 0,\n      \"run_name\": \"hash/fnv1a\",\n"
                      "      \"run_type\": \"iteration\",\n      \"repetitions\": 5,\n"
                      "      \"repetition_index\": 1,\n      \"threads\": 1,\n"
                      "      \"iterations\": 3,\n      \"real_time\": 1001.5,\n"
                      "      \"cpu_time\": 1001.5,\n      \"time_unit\": \"ns\",");
    /* 0.5 bytes per 1000 ns */
    CHECK_CONTAINS(t, "\"real_time\": 1000,\n      \"cpu_time\": 1000,\n"
                      "      \"time_unit\": \"ns\",\n      \"bytes_per_second\": 500000,\n"
                      "      \"items_per_second\": 16000000\n");
    CHECK_CONTAINS(t, "\"name\": \"hash/fnv1a_median\"");
    CHECK_CONTAINS(t, "\"aggregate_name\": \"stddev\",\n      \"aggregate_unit\": \"time\"");
    CHECK_CONTAINS(t, "\"error_occurred\": true,\n      \"error_message\": \"timed out after 10 s\"");
    CHECK_INT(count_of(t, "\"run_name\": \"io/flaky\""), 1);
    pr_strbuf_release(&sb);
    pr_run_release(&run);
}

/* Parses the (quote-swapped) TEXT and checks for PR_EINVALID, the file name
 * and WANT in the message, and that OUT was left as it was. */
static void expect_invalid_(const char *text, const char *want, int line)
{
    char *doc = json(text);
    pr_run run;
    int err;

    pr_run_init(&run);
    pr_error_clear();
    err = pr_results_parse(&run, doc, strlen(doc), FILE_NAME);
    if (err != PR_EINVALID || !strstr(pr_error_last(), "'" FILE_NAME "': ") ||
        !strstr(pr_error_last(), want) || strchr(pr_error_last(), '\n')) {
        fprintf(stderr, "%s:%d: code %d, message \"%s\", wanted PR_EINVALID and \"%s\"\n", __FILE__,
                line, err, pr_error_last(), want);
        check_test_failed_ = 1;
    }
    CHECK(run.n_results == 0 && run.results == NULL && run.suite == NULL);
    pr_run_release(&run);
    free(doc);
}
#define expect_invalid(text, want) expect_invalid_(text, want, __LINE__)

#define HEAD "{'schema_version':1,'suite':'s','context':{},'git':{},"
#define BENCH(rest) HEAD "'benchmarks':[{'name':'a','status':'ok'," rest "}]}"

static void test_empty(void)
{
    pr_run run;
    pr_run_init(&run);
    CHECK_INT(pr_results_parse(&run, "", 0, FILE_NAME), PR_EINVALID);
    CHECK_STR(pr_error_last(), "'" FILE_NAME "': empty file");
    expect_invalid(" \n\t ", "empty file");
    pr_run_release(&run);
}

static void test_truncated(void)
{
    expect_invalid(HEAD "'benchmarks':[{'name':'a'", "not valid JSON near line 1");
    expect_invalid("{\n'schema_version': 1,\n'suite': }", "not valid JSON near line 3");
}

static void test_trailing_garbage(void)
{
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1]") "\n]",
                   "not valid JSON near line 2");
}

static void test_top_level_array(void)
{
    expect_invalid("[1, 2]", "the top level must be an object");
}

static void test_top_level_string(void)
{
    expect_invalid("'results'", "the top level must be an object");
}

static void test_schema_version(void)
{
    expect_invalid("{'schema_version':2,'suite':'s','context':{},'git':{},'benchmarks':[]}",
                   "schema_version 2 is not supported (this perfreg reads 1)");
    expect_invalid("{'schema_version':'1'}", "schema_version: expected a whole number");
    expect_invalid("{'suite':'s'}", "schema_version: required field is missing");
}

static void test_missing_benchmarks(void)
{
    expect_invalid("{'schema_version':1,'suite':'s','context':{},'git':{}}",
                   "benchmarks: required field is missing");
    expect_invalid(HEAD "'benchmarks':{}}", "benchmarks: expected an array");
}

static void test_missing_sections(void)
{
    expect_invalid("{'schema_version':1,'suite':'s','git':{},'benchmarks':[]}",
                   "context: required field is missing");
    expect_invalid("{'schema_version':1,'suite':'s','context':[],'git':{},'benchmarks':[]}",
                   "context: expected an object");
    expect_invalid("{'schema_version':1,'suite':'s','context':{},'benchmarks':[]}",
                   "git: required field is missing");
    expect_invalid("{'schema_version':1,'suite':'','context':{},'git':{},'benchmarks':[]}",
                   "suite: expected a non-empty string");
}

static void test_mistyped_optional_fields(void)
{
    expect_invalid("{'schema_version':1,'suite':'s','context':{'host':7},'git':{},"
                   "'benchmarks':[]}",
                   "context.host: expected a string or null");
    expect_invalid("{'schema_version':1,'suite':'s','context':{'logical_cores':-1},'git':{},"
                   "'benchmarks':[]}",
                   "context.logical_cores: expected a non-negative whole number, got -1");
    expect_invalid("{'schema_version':1,'suite':'s','context':{'clock':{'cost_ns':'fast'}},"
                   "'git':{},'benchmarks':[]}",
                   "context.clock.cost_ns: expected a non-negative finite number");
    expect_invalid("{'schema_version':1,'suite':'s','context':{},'git':{'dirty':'yes'},"
                   "'benchmarks':[]}",
                   "git.dirty: expected true, false or null");
}

static void test_samples_not_an_array(void)
{
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':5"),
                   "benchmarks[0].samples_ns: expected an array");
    expect_invalid(BENCH("'iterations_per_sample':1"),
                   "benchmarks[0].samples_ns: required field is missing");
}

static void test_string_sample(void)
{
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1,'2']"),
                   "benchmarks[0].samples_ns[1]: expected a non-negative finite number");
}

static void test_negative_sample(void)
{
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1,2,-3]"),
                   "benchmarks[0].samples_ns[2]: expected a non-negative finite number");
    /* strtod turns this into infinity */
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1e999]"),
                   "benchmarks[0].samples_ns[0]: expected a non-negative finite number");
}

/* process_samples: read, written back, and refused unless positive whole
 * counts summing to the samples. */
static void test_process_samples(void)
{
    const char *ok = BENCH("'iterations_per_sample':1,'samples_ns':[1,2,3,4,5],"
                           "'process_samples':[2,3]");
    char *doc = json(ok), *again;
    pr_strbuf out = PR_STRBUF_INIT;
    pr_run run;

    pr_run_init(&run);
    CHECK_INT(pr_results_parse(&run, doc, strlen(doc), FILE_NAME), 0);
    CHECK_INT(run.n_results, 1);
    if (run.n_results == 1) {
        CHECK_INT(run.results[0].n_processes, 2);
        CHECK_INT(run.results[0].process_samples[0], 2);
        CHECK_INT(run.results[0].process_samples[1], 3);
    }
    CHECK_INT(pr_results_write(&run, &out), 0);
    again = pr_strbuf_detach(&out, NULL);
    CHECK(again && strstr(again, "\"process_samples\": [2, 3]") != NULL);
    free(again);
    free(doc);
    pr_run_release(&run);

    /* one count, or null: one process */
    doc = json(BENCH("'iterations_per_sample':1,'samples_ns':[1,2],'process_samples':[2]"));
    pr_run_init(&run);
    CHECK_INT(pr_results_parse(&run, doc, strlen(doc), FILE_NAME), 0);
    CHECK_INT(run.n_results == 1 ? run.results[0].n_processes : 99, 0);
    CHECK(run.n_results == 1 && run.results[0].process_samples == NULL);
    free(doc);
    pr_run_release(&run);

    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1,2,3],'process_samples':[1,1]"),
                   "benchmarks[0].process_samples: the counts sum to 2, not to the 3 samples");
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1,2],'process_samples':[2,1]"),
                   "benchmarks[0].process_samples[1]: expected a whole number from 1");
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1,2],'process_samples':[0,2]"),
                   "benchmarks[0].process_samples[0]: expected a whole number from 1");
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1,2],'process_samples':[1.5,"
                         "0.5]"),
                   "benchmarks[0].process_samples[0]: expected a whole number from 1");
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1,2],'process_samples':['1',1]"),
                   "benchmarks[0].process_samples[0]: expected a whole number from 1");
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1,2],'process_samples':2"),
                   "benchmarks[0].process_samples: expected an array of sample counts");
}

static void test_huge_iterations(void)
{
    expect_invalid(BENCH("'iterations_per_sample':1e300,'samples_ns':[1]"),
                   "benchmarks[0].iterations_per_sample: 1e+300 is out of range");
    expect_invalid(BENCH("'iterations_per_sample':9007199254740994,'samples_ns':[1]"),
                   "benchmarks[0].iterations_per_sample: 9007199254740994 is out of range");
}

static void test_fractional_iterations(void)
{
    expect_invalid(BENCH("'iterations_per_sample':2.5,'samples_ns':[1]"),
                   "benchmarks[0].iterations_per_sample: expected a non-negative whole number, "
                   "got 2.5");
    expect_invalid(BENCH("'iterations_per_sample':0,'samples_ns':[1]"),
                   "benchmarks[0].iterations_per_sample: an \"ok\" benchmark runs at least 1");
}

static void test_duplicate_names(void)
{
    expect_invalid(HEAD "'benchmarks':["
                        "{'name':'a','status':'failed','iterations_per_sample':0,'samples_ns':[]},"
                        "{'name':'b','status':'failed','iterations_per_sample':0,'samples_ns':[]},"
                        "{'name':'a','status':'failed','iterations_per_sample':0,'samples_ns':[]},"
                        "{'name':'b','status':'failed','iterations_per_sample':0,'samples_ns':[]}"
                        "]}",
                   "benchmarks[2].name: duplicate benchmark name 'a' (first at benchmarks[0])");
    /* the name is quoted as it is (one with a control character never gets
     * this far: test_control_names) */
    expect_invalid(HEAD "'benchmarks':["
                        "{'name':'a\\\\\\u00e9','status':'failed','iterations_per_sample':0,"
                        "'samples_ns':[]},"
                        "{'name':'a\\\\\\u00e9','status':'failed','iterations_per_sample':0,"
                        "'samples_ns':[]}]}",
                   "benchmarks[1].name: duplicate benchmark name 'a\\\xc3\xa9' (first at "
                   "benchmarks[0])");
}

/* cJSON lets through what JSON forbids; the reader does not. */
static void test_strict_json(void)
{
    static const char nul_between[] = "{\"schema_version\":1,\0\"suite\":\"s\"}";
    pr_run run;

    pr_run_init(&run);
    /* a NUL byte between tokens, and 8 of them before the document */
    CHECK_INT(pr_results_parse(&run, nul_between, sizeof nul_between - 1, FILE_NAME), PR_EINVALID);
    CHECK_STR(pr_error_last(), "'" FILE_NAME "': not valid JSON near line 1, column 21");
    CHECK_INT(pr_results_parse(&run, "\0\0\0\0\0\0\0\0{}", 10, FILE_NAME), PR_EINVALID);
    CHECK_STR(pr_error_last(), "'" FILE_NAME "': not valid JSON near line 1, column 1");
    expect_invalid("{'schema_version':1,\n\x01'suite':'s'}", "not valid JSON near line 2, column 1");
    /* a raw control byte in a string, and \u0000, which C would cut at */
    expect_invalid(HEAD "'benchmarks':[{'name':'a\tb'}]}", "not valid JSON near line 1, column 79");
    expect_invalid(HEAD "'benchmarks':[{'name':'a\\u0000b'}]}",
                   "not valid JSON near line 1, column 79");
    /* an escaped backslash before u0000 is plain text */
    expect_invalid(HEAD "'benchmarks':[{'name':'a\\\\u0000b','status':1}]}",
                   "benchmarks[0].status: expected");
    pr_run_release(&run);
}

/* Names are printed: no control character, escaped or not. */
#define NAMED(name) HEAD "'benchmarks':[{'name':'" name "','status':'ok'," \
                         "'iterations_per_sample':1,'samples_ns':[1]}]}"
static void test_control_names(void)
{
    expect_invalid(NAMED("a\\u001b[2J"), "benchmarks[0].name: contains the control character U+001B");
    expect_invalid(NAMED("a\\nb"), "benchmarks[0].name: contains the control character U+000A");
    expect_invalid(NAMED("\\u007f"), "benchmarks[0].name: contains the control character U+007F");
    expect_invalid(NAMED("a\\u009b2J"), "benchmarks[0].name: contains the control character U+009B");
}

/* Per-second figures that would overflow, and samples too small to give
 * a finite one. */
static void test_extreme_throughput(void)
{
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[100],"
                         "'bytes_per_iteration':1e308"),
                   "benchmarks[0].bytes_per_iteration: bytes per second would overflow");
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[100],"
                         "'items_per_iteration':1e308"),
                   "benchmarks[0].items_per_iteration: items per second would overflow");
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[5e-324,1]"),
                   "benchmarks[0].samples_ns: sample 0 is too small");
}

/* The shared name check under results, counters and the importers: NULL
 * names are skipped, and of two repeated names the one repeated first in
 * order is reported (b at 3 before a at 4), with its first occurrence. */
static void test_names_duplicate(void)
{
    pr_counter c[] = {{"b", 0}, {NULL, 0}, {"a", 0}, {"b", 0}, {"a", 0}, {NULL, 0}};
    pr_counter unique[] = {{"x", 0}, {NULL, 0}, {NULL, 0}, {"y", 0}};
    size_t first = 99, second = 99, count = 0;
    pr_named *v = NULL;

    CHECK_INT(pr_names_duplicate(c, 6, sizeof *c, offsetof(pr_counter, name), &first, &second), 1);
    CHECK_INT(first, 0);
    CHECK_INT(second, 3);
    CHECK_INT(
        pr_names_duplicate(unique, 4, sizeof *unique, offsetof(pr_counter, name), &first, &second),
        0);
    CHECK_INT(pr_names_sorted(c, 6, sizeof *c, offsetof(pr_counter, name), &v, &count), 0);
    CHECK_INT(count, 4);
    if (v && count == 4) {
        CHECK(strcmp(v[0].name, "a") == 0 && v[0].index == 2 && v[1].index == 4);
        CHECK(strcmp(v[2].name, "b") == 0 && v[2].index == 0 && v[3].index == 3);
    }
    free(v);
}

/* A long duplicate name is clipped, never in the middle of a character. */
static void test_duplicate_long_name(void)
{
    pr_strbuf doc = PR_STRBUF_INIT;
    const char *msg;
    pr_run run;
    int i, k;

    pr_strbuf_adds(&doc, "{\"schema_version\":1,\"suite\":\"s\",\"context\":{},\"git\":{},"
                         "\"benchmarks\":[");
    for (k = 0; k < 2; k++) {
        pr_strbuf_adds(&doc, k ? ",{\"name\":\"x" : "{\"name\":\"x");
        for (i = 0; i < 300; i++)
            pr_strbuf_adds(&doc, "\xc3\xa9");
        pr_strbuf_adds(&doc, "\",\"status\":\"failed\",\"iterations_per_sample\":0,"
                             "\"samples_ns\":[]}");
    }
    pr_strbuf_adds(&doc, "]}");
    pr_run_init(&run);
    CHECK_INT(pr_results_parse(&run, doc.buf, doc.len, FILE_NAME), PR_EINVALID);
    msg = pr_error_last();
    CHECK_CONTAINS(msg, "duplicate benchmark name 'x\xc3\xa9");
    CHECK_CONTAINS(msg, "\xc3\xa9...' (first at benchmarks[0])");
    CHECK(strlen(msg) < 300);
    pr_run_release(&run);
    pr_strbuf_release(&doc);
}

static void test_ok_without_samples(void)
{
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[]"),
                   "benchmarks[0].samples_ns: an \"ok\" benchmark needs at least one sample");
}

static void test_bad_benchmark_fields(void)
{
    expect_invalid(HEAD "'benchmarks':[7]}", "benchmarks[0]: expected an object");
    expect_invalid(HEAD "'benchmarks':[{'status':'ok'}]}",
                   "benchmarks[0].name: required field is missing");
    expect_invalid(HEAD "'benchmarks':[{'name':'','status':'ok'}]}",
                   "benchmarks[0].name: expected a non-empty string");
    expect_invalid(HEAD "'benchmarks':[{'name':'a','status':'fine'}]}",
                   "benchmarks[0].status: expected \"ok\" or \"failed\"");
    expect_invalid(BENCH("'samples_ns':[1]"),
                   "benchmarks[0].iterations_per_sample: required field is missing");
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1],'error':false"),
                   "benchmarks[0].error: expected a string or null");
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1],'bytes_per_iteration':-8"),
                   "benchmarks[0].bytes_per_iteration: expected a non-negative finite number");
    expect_invalid(HEAD "'benchmarks':[{'name':'a\xff','status':'ok'}]}",
                   "benchmarks[0].name: expected a UTF-8 string");
    /* a sum that overflows would leave statistics that cannot be written:
     * such samples are refused, naming the first */
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1,1.7e308,1e308]"),
                   "benchmarks[0].samples_ns: sample 1 is too large");
}

/* Every proper prefix of a good file is rejected cleanly; the text is given
 * without a terminating NUL so an over-read shows under valgrind / ASan. */
static void test_every_prefix(void)
{
    pr_run run, back;
    pr_strbuf sb = PR_STRBUF_INIT;
    size_t len, cut, failures = 0;
    char *text, *copy;

    pr_run_init(&run);
    pr_run_init(&back);
    fill_full(&run);
    CHECK_INT(pr_results_write(&run, &sb), 0);
    text = pr_strbuf_detach(&sb, &len);
    for (cut = 0; cut < len; cut++) {
        int err;
        copy = malloc(cut ? cut : 1);
        memcpy(copy, text, cut);
        err = pr_results_parse(&back, copy, cut, FILE_NAME);
        /* only the final newline may go */
        if (cut < len - 1 && (err != PR_EINVALID || back.n_results != 0))
            failures++;
        if (cut == len - 1)
            CHECK_INT(err, 0);
        free(copy);
        pr_run_release(&back);
    }
    CHECK_INT(failures, 0);
    free(text);
    pr_run_release(&run);
}

/* A failed parse leaves what OUT held; a good one replaces it. */
static void test_out_untouched_on_error(void)
{
    char *good = json(BENCH("'iterations_per_sample':1,'samples_ns':[5]"));
    char *bad = json(BENCH("'iterations_per_sample':1,'samples_ns':[5,-1]"));
    pr_run run;

    pr_run_init(&run);
    CHECK_INT(pr_results_parse(&run, good, strlen(good), FILE_NAME), 0);
    CHECK_INT(pr_results_parse(&run, bad, strlen(bad), FILE_NAME), PR_EINVALID);
    CHECK(run.n_results == 1 && run.results[0].n_samples == 1);
    CHECK_INT(pr_results_parse(&run, good, strlen(good), FILE_NAME), 0);
    CHECK(run.n_results == 1);
    free(good);
    free(bad);
    pr_run_release(&run);
}

static void expect_write_error(const pr_run *run, const char *want)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    CHECK_INT(pr_results_write(run, &sb), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), want);
    pr_strbuf_release(&sb);
}

static void test_writer_refuses_unreadable(void)
{
    pr_run run;
    pr_result *r;

    pr_run_init(&run);
    expect_write_error(&run, "suite: the run names no suite");
    run.suite = pr_strdup("s");
    pr_run_add_result(&run, &r);
    r->name = pr_strdup("a");
    r->iterations = 1;
    r->samples_ns = calloc(2, sizeof(double));
    r->n_samples = 2;
    r->samples_ns[1] = NAN;
    expect_write_error(&run, "benchmarks[0].samples_ns[1]: expected a non-negative finite number");
    r->samples_ns[1] = 1;
    r->stats.stddev_ns = INFINITY;
    expect_write_error(&run, "benchmarks[0].stats.stddev_ns: expected a non-negative finite");
    r->stats.stddev_ns = 0;
    r->iterations = UINT64_MAX;
    expect_write_error(&run, "benchmarks[0].iterations_per_sample: 18446744073709551615 is out");
    r->iterations = 1;
    pr_run_add_result(&run, &r);
    r->name = pr_strdup("a");
    r->status = PR_STATUS_FAILED;
    expect_write_error(&run, "benchmarks[1].name: duplicate benchmark name 'a'");
    free(r->name);
    r->name = pr_strdup("b\x1b[2J");
    expect_write_error(&run, "benchmarks[1].name: contains a control character");
    free(r->name);
    r->name = pr_strdup("b");
    run.results[0].stats.mean_ns = 0.5;
    run.results[0].bytes_per_iteration = 1e308;
    expect_write_error(&run, "benchmarks[0].bytes_per_iteration: bytes per second would overflow");
    pr_run_release(&run);
}

/* memory and allocs: written only when measured, read back exactly. */
static void test_memory_and_allocs(void)
{
    pr_run run, back;
    char *text;

    pr_run_init(&run);
    pr_run_init(&back);
    fill_full(&run);
    text = write_and_parse(&run, &back);
    check_same_run(&run, &back);
    CHECK_CONTAINS(text, "\"total_time_s\": 0.5123,\n"
                         "      \"memory\": {\n"
                         "        \"peak_rss_bytes\": 72351744,\n"
                         "        \"baseline_rss_bytes\": 5242880,\n"
                         "        \"memory_bytes\": 67108864\n"
                         "      },\n"
                         "      \"allocs\": {\n"
                         "        \"per_iteration\": 0.3333333333333333,\n"
                         "        \"bytes_per_iteration\": 0.30000000000000004\n"
                         "      }\n    },");
    /* counted, none: an allocs object of zeros and no memory object */
    CHECK_CONTAINS(text, "\"total_time_s\": 1.25,\n"
                         "      \"allocs\": {\n"
                         "        \"per_iteration\": 0,\n"
                         "        \"bytes_per_iteration\": 0\n"
                         "      }\n    },");
    /* not measured: neither */
    CHECK_CONTAINS(text, "\"error\": \"timed out after 10 s\",");
    CHECK(strstr(strstr(text, "timed out after"), "\"memory\"") == NULL);
    CHECK(strstr(strstr(text, "timed out after"), "\"allocs\"") == NULL);
    CHECK_INT(back.results[2].has_memory, 0);
    CHECK_INT(back.results[2].has_allocs, 0);
    CHECK_INT(back.results[1].has_memory, 0);
    CHECK_INT(back.results[1].has_allocs, 1);
    free(text);
    pr_run_release(&back);

    /* the largest exact integer; a peak of exactly what was added */
    run.results[0].peak_rss_bytes = 9007199254740992u;
    run.results[0].baseline_rss_bytes = 0;
    run.results[0].memory_bytes = 9007199254740992u;
    text = write_and_parse(&run, &back);
    check_same_run(&run, &back);
    free(text);
    pr_run_release(&back);
    pr_run_release(&run);

    /* absent and null alike: not measured */
    text = json(BENCH("'iterations_per_sample':1,'samples_ns':[5],'memory':null,'allocs':null"));
    CHECK_INT(pr_results_parse(&back, text, strlen(text), FILE_NAME), 0);
    CHECK(back.results[0].has_memory == 0 && back.results[0].has_allocs == 0);
    free(text);
    pr_run_release(&back);

    /* a failed benchmark may carry them */
    text = json(HEAD "'benchmarks':[{'name':'a','status':'failed','iterations_per_sample':0,"
                     "'samples_ns':[],'memory':{'peak_rss_bytes':10,'baseline_rss_bytes':10,"
                     "'memory_bytes':0},'allocs':{'per_iteration':2,'bytes_per_iteration':64}}]}");
    CHECK_INT(pr_results_parse(&back, text, strlen(text), FILE_NAME), 0);
    CHECK(back.results[0].has_memory == 1 && back.results[0].memory_bytes == 0);
    CHECK(back.results[0].peak_rss_bytes == 10 && back.results[0].baseline_rss_bytes == 10);
    CHECK(back.results[0].has_allocs == 1 && back.results[0].allocs_per_iteration == 2);
    CHECK(back.results[0].alloc_bytes_per_iteration == 64);
    free(text);
    pr_run_release(&back);
}

#define MEM_BENCH(memory) BENCH("'iterations_per_sample':1,'samples_ns':[5],'memory':" memory)
#define ALLOCS_BENCH(allocs) BENCH("'iterations_per_sample':1,'samples_ns':[5],'allocs':" allocs)
#define MEMORY_(peak, base, added)                                                                 \
    "{'peak_rss_bytes':" peak ",'baseline_rss_bytes':" base ",'memory_bytes':" added "}"

static void test_memory_and_allocs_invalid(void)
{
    expect_invalid(MEM_BENCH("7"), "benchmarks[0].memory: expected an object");
    expect_invalid(MEM_BENCH("[]"), "benchmarks[0].memory: expected an object");
    expect_invalid(MEM_BENCH("{'baseline_rss_bytes':1,'memory_bytes':1}"),
                   "benchmarks[0].memory.peak_rss_bytes: required field is missing");
    expect_invalid(MEM_BENCH("{'peak_rss_bytes':1,'memory_bytes':1}"),
                   "benchmarks[0].memory.baseline_rss_bytes: required field is missing");
    expect_invalid(MEM_BENCH("{'peak_rss_bytes':1,'baseline_rss_bytes':1}"),
                   "benchmarks[0].memory.memory_bytes: required field is missing");
    expect_invalid(MEM_BENCH(MEMORY_("null", "1", "1")),
                   "benchmarks[0].memory.peak_rss_bytes: expected a whole number");
    expect_invalid(MEM_BENCH(MEMORY_("'64MiB'", "1", "1")),
                   "benchmarks[0].memory.peak_rss_bytes: expected a whole number");
    expect_invalid(MEM_BENCH(MEMORY_("100", "-1", "1")),
                   "benchmarks[0].memory.baseline_rss_bytes: expected a non-negative whole number, "
                   "got -1");
    expect_invalid(MEM_BENCH(MEMORY_("100", "1", "2.5")),
                   "benchmarks[0].memory.memory_bytes: expected a non-negative whole number, got "
                   "2.5");
    expect_invalid(MEM_BENCH(MEMORY_("1e999", "1", "1")),
                   "benchmarks[0].memory.peak_rss_bytes: expected a non-negative whole number");
    expect_invalid(MEM_BENCH(MEMORY_("9007199254740994", "1", "1")),
                   "benchmarks[0].memory.peak_rss_bytes: 9007199254740994 is out of range");
    expect_invalid(MEM_BENCH(MEMORY_("100", "10", "101")),
                   "benchmarks[0].memory.memory_bytes: more than peak_rss_bytes");

    expect_invalid(ALLOCS_BENCH("true"), "benchmarks[0].allocs: expected an object");
    expect_invalid(ALLOCS_BENCH("{'bytes_per_iteration':1}"),
                   "benchmarks[0].allocs.per_iteration: required field is missing");
    expect_invalid(ALLOCS_BENCH("{'per_iteration':1}"),
                   "benchmarks[0].allocs.bytes_per_iteration: required field is missing");
    expect_invalid(ALLOCS_BENCH("{'per_iteration':-1,'bytes_per_iteration':1}"),
                   "benchmarks[0].allocs.per_iteration: expected a non-negative finite number");
    expect_invalid(ALLOCS_BENCH("{'per_iteration':null,'bytes_per_iteration':1}"),
                   "benchmarks[0].allocs.per_iteration: expected a non-negative finite number");
    expect_invalid(ALLOCS_BENCH("{'per_iteration':1,'bytes_per_iteration':1e999}"),
                   "benchmarks[0].allocs.bytes_per_iteration: expected a non-negative finite "
                   "number");
    expect_invalid(ALLOCS_BENCH("{'per_iteration':'2','bytes_per_iteration':1}"),
                   "benchmarks[0].allocs.per_iteration: expected a non-negative finite number");
}

static void test_writer_refuses_bad_resources(void)
{
    pr_run run;
    pr_result *r;

    pr_run_init(&run);
    run.suite = pr_strdup("s");
    pr_run_add_result(&run, &r);
    r->name = pr_strdup("a");
    r->status = PR_STATUS_FAILED;
    r->has_memory = 1;
    r->peak_rss_bytes = 100;
    r->memory_bytes = 101;
    expect_write_error(&run, "benchmarks[0].memory.memory_bytes: more than peak_rss_bytes");
    r->memory_bytes = 100;
    r->peak_rss_bytes = UINT64_MAX;
    expect_write_error(&run, "benchmarks[0].memory.peak_rss_bytes: 18446744073709551615 is out");
    r->peak_rss_bytes = 100;
    r->has_allocs = 1;
    r->allocs_per_iteration = NAN;
    expect_write_error(&run, "benchmarks[0].allocs.per_iteration: expected a non-negative finite");
    r->allocs_per_iteration = 1;
    r->alloc_bytes_per_iteration = -64;
    expect_write_error(&run,
                       "benchmarks[0].allocs.bytes_per_iteration: expected a non-negative finite");
    /* unmeasured figures are not looked at */
    r->has_allocs = 0;
    r->has_memory = 0;
    r->memory_bytes = UINT64_MAX;
    {
        pr_strbuf sb = PR_STRBUF_INIT;
        CHECK_INT(pr_results_write(&run, &sb), 0);
        CHECK(strstr(pr_strbuf_cstr(&sb), "memory") == NULL);
        pr_strbuf_release(&sb);
    }
    pr_run_release(&run);
}

/* Bytes that are not UTF-8 (a Latin-1 host name) become U+FFFD. */
static void test_writer_repairs_utf8(void)
{
    pr_run run, back;
    char *text;

    pr_run_init(&run);
    pr_run_init(&back);
    run.suite = pr_strdup("s");
    run.context.host = pr_strdup("caf\xe9-\xed\xa0\x80-ok\xc3\xa9");
    text = write_and_parse(&run, &back);
    CHECK_STR(back.context.host, "caf\xef\xbf\xbd-\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd-ok\xc3\xa9");
    free(text);
    pr_run_release(&run);
    pr_run_release(&back);
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static void test_load(void)
{
    char dir[] = "/tmp/perfreg_results_XXXXXX";
    char empty[] = "/tmp/perfreg_results_XXXXXX";
    char path[128], want[192];
    char *good = json(BENCH("'iterations_per_sample':1,'samples_ns':[5]"));
    pr_run run;
    int fd;

    pr_run_init(&run);
    CHECK(mkdtemp(dir) != NULL);
    fd = mkstemp(empty);
    CHECK(fd >= 0);
    close(fd);

    CHECK_INT(pr_results_load(&run, empty), PR_EINVALID);
    snprintf(want, sizeof want, "'%s': empty file", empty);
    CHECK_STR(pr_error_last(), want);

    CHECK_INT(pr_results_load(&run, dir), PR_EIO);
    snprintf(want, sizeof want, "'%s': is a directory", dir);
    CHECK_STR(pr_error_last(), want);

    snprintf(path, sizeof path, "%s/missing.json", dir);
    CHECK_INT(pr_results_load(&run, path), PR_EIO);
    snprintf(want, sizeof want, "'%s': cannot open: %s", path, strerror(ENOENT));
    CHECK_STR(pr_error_last(), want);

    /* sparse, so no disk is spent */
    snprintf(path, sizeof path, "%s/huge.json", dir);
    CHECK_INT(write_file(path, ""), 0);
    CHECK_INT(truncate(path, ((off_t)256 << 20) + 1), 0);
    CHECK_INT(pr_results_load(&run, path), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "huge.json': larger than 256 MiB");
    unlink(path);

    snprintf(path, sizeof path, "%s/good.json", dir);
    CHECK_INT(write_file(path, good), 0);
    CHECK_INT(pr_results_load(&run, path), 0);
    CHECK(run.n_results == 1 && run.results[0].stats.n == 1);
    unlink(path);

    unlink(empty);
    rmdir(dir);
    free(good);
    pr_run_release(&run);
}

/* ---- author_time ---- */

static void test_author_time(void)
{
    char *old =
        json("{'schema_version':1,'suite':'s','context':{},'git':{'commit':'3f1c2a9e0b7d4c6e"
             "8f1a2b3c4d5e6f708192a3b4','commit_time':'2026-11-22T17:01:02Z'},"
             "'benchmarks':[]}");
    pr_run run, back;
    char *text;

    pr_run_init(&run);
    pr_run_init(&back);
    fill_full(&run);
    text = write_and_parse(&run, &back);
    CHECK_CONTAINS(text, "\"commit_time\": \"2026-11-22T17:01:02Z\",\n"
                         "    \"author_time\": \"2026-11-21T09:30:00Z\"\n  },");
    CHECK_STR(back.git.author_time, "2026-11-21T09:30:00Z");
    free(text);
    pr_run_release(&back);

    /* written before author_time existed */
    CHECK_INT(pr_results_parse(&back, old, strlen(old), FILE_NAME), 0);
    CHECK(back.git.author_time == NULL);
    CHECK_STR(back.git.commit_time, "2026-11-22T17:01:02Z");
    free(old);
    pr_run_release(&run);

    old = json("{'schema_version':1,'suite':'s','context':{},'git':{'author_time':null},"
               "'benchmarks':[]}");
    CHECK_INT(pr_results_parse(&back, old, strlen(old), FILE_NAME), 0);
    CHECK(back.git.author_time == NULL);
    free(old);
    pr_run_release(&back);
    expect_invalid("{'schema_version':1,'suite':'s','context':{},'git':{'author_time':7},"
                   "'benchmarks':[]}",
                   "git.author_time: expected a string or null");
}

/* ---- git notes ---- */

#define WHERE "notes:1a2b3c4"

/* A second run, at another commit, different from fill_full's. */
static void fill_second(pr_run *run)
{
    static const double a[] = {30.5, 31, 29.75, 30.25};
    pr_result *r;

    run->suite = pr_strdup("perfreg_bench");
    run->context.date = pr_strdup("2026-11-24T10:00:00Z");
    run->context.logical_cores = 8;
    run->git.commit = pr_strdup("1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d");
    run->git.short_commit = pr_strdup("1a2b3c4");
    run->git.dirty = 1;
    pr_run_add_result(run, &r);
    r->name = pr_strdup("string/strlen_1k");
    r->iterations = 2097152;
    r->bytes_per_iteration = 1024;
    r->total_time_s = 0.25;
    set_samples(r, a, sizeof a / sizeof a[0]);
}

/* BACK was read from a note holding ORIG, with or without its samples. */
static void check_note_run(const pr_run *orig, const pr_run *back, int with_samples)
{
    size_t i, j;

    check_same_header(orig, back);
    CHECK_INT(orig->n_results, back->n_results);
    for (i = 0; i < orig->n_results && i < back->n_results; i++) {
        const pr_result *r = &orig->results[i], *s = &back->results[i];
        CHECK_SAME_STR(r->name, s->name);
        CHECK_INT(r->status, s->status);
        CHECK_SAME_STR(r->error, s->error);
        CHECK(r->iterations == s->iterations);
        if (with_samples) {
            CHECK_INT(s->n_samples, r->n_samples);
            for (j = 0; j < r->n_samples && j < s->n_samples; j++)
                CHECK_SAME_DOUBLE(r->samples_ns[j], s->samples_ns[j]);
        } else {
            CHECK_INT(s->n_samples, 0);
            CHECK(s->samples_ns == NULL);
        }
        check_same_stats(&r->stats, &s->stats);
        CHECK_SAME_DOUBLE(r->bytes_per_iteration, s->bytes_per_iteration);
        CHECK_SAME_DOUBLE(r->items_per_iteration, s->items_per_iteration);
        CHECK_SAME_DOUBLE(r->bytes_per_second, s->bytes_per_second);
        CHECK_SAME_DOUBLE(r->items_per_second, s->items_per_second);
        CHECK_SAME_DOUBLE(r->total_time_s, s->total_time_s);
        check_same_resources(r, s);
    }
}

static void free_runs(pr_run *runs, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        pr_run_release(&runs[i]);
    free(runs);
}

/* Appends RUN to the note EXISTING (NULL: none); returns the new note. */
static char *append(const char *existing, const pr_run *run, int with_samples)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    size_t len = 0;

    CHECK_INT(pr_results_note_append(existing, existing ? strlen(existing) : 0, run, with_samples,
                                     &sb, WHERE),
              0);
    return pr_strbuf_detach(&sb, &len);
}

static void test_note_append_twice(void)
{
    pr_run first, second, *runs = NULL;
    size_t n = 0;
    char *one, *two;

    pr_run_init(&first);
    pr_run_init(&second);
    fill_full(&first);
    fill_second(&second);

    one = append(NULL, &first, 0);
    CHECK(strncmp(one,
                  "{\n  \"perfreg_note\": 1,\n  \"runs\": [\n    {\n      \"schema_version\": 1,\n"
                  "      \"suite\": \"perfreg_bench\",\n",
                  96) == 0);
    CHECK(strlen(one) >= 2 && strcmp(one + strlen(one) - 2, "}\n") == 0);
    CHECK(strstr(one, "samples_ns") == NULL);
    CHECK_CONTAINS(one, "\"author_time\": \"2026-11-21T09:30:00Z\"");
    CHECK_INT(pr_results_parse_note(one, strlen(one), WHERE, &runs, &n), 0);
    CHECK_INT(n, 1);
    if (n == 1)
        check_note_run(&first, &runs[0], 0);
    free_runs(runs, n);

    two = append(one, &second, 0);
    CHECK_INT(pr_results_parse_note(two, strlen(two), WHERE, &runs, &n), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        check_note_run(&first, &runs[0], 0);
        check_note_run(&second, &runs[1], 0);
        CHECK_STR(runs[0].git.short_commit, "3f1c2a9");
        CHECK_STR(runs[1].git.short_commit, "1a2b3c4");
    }
    /* the first run's text is carried over as it was */
    CHECK(strncmp(one, two, strlen(one) - 7) == 0);
    free_runs(runs, n);
    free(one);
    free(two);
    pr_run_release(&first);
    pr_run_release(&second);
}

static void test_note_with_samples(void)
{
    pr_run run, *runs = NULL;
    size_t n = 0;
    char *text;

    pr_run_init(&run);
    fill_full(&run);
    text = append(NULL, &run, 1);
    CHECK_CONTAINS(text, "\"samples_ns\": [0.30000000000000004, 0.3333333333333333,");
    CHECK_INT(pr_results_parse_note(text, strlen(text), WHERE, &runs, &n), 0);
    CHECK_INT(n, 1);
    if (n == 1)
        check_note_run(&run, &runs[0], 1);
    free_runs(runs, n);
    free(text);
    pr_run_release(&run);

    /* with samples, the note's stats are not read: they come from them */
    text = json("{'perfreg_note':1,'runs':[{'schema_version':1,'suite':'s','context':{},"
                "'git':{},'benchmarks':[{'name':'a','status':'ok','iterations_per_sample':1,"
                "'samples_ns':[1,2,3,100],'stats':{'mean_ns':-5,'n':'lots'},"
                "'bytes_per_iteration':8,'bytes_per_second':1}]}]}");
    CHECK_INT(pr_results_parse_note(text, strlen(text), WHERE, &runs, &n), 0);
    if (n == 1) {
        CHECK_INT(runs[0].results[0].n_samples, 4);
        CHECK_INT(runs[0].results[0].stats.n, 4);
        CHECK_SAME_DOUBLE(runs[0].results[0].stats.mean_ns, 26.5);
        CHECK_SAME_DOUBLE(runs[0].results[0].stats.median_ns, 2.5);
        CHECK_SAME_DOUBLE(runs[0].results[0].bytes_per_second, 8 / 26.5e-9);
    }
    free_runs(runs, n);
    free(text);
}

#define STATS_(n, median, q3)                                                                      \
    "'stats':{'n':" n ",'min_ns':1,'max_ns':3,'mean_ns':2,'median_ns':" median ","                 \
    "'stddev_ns':1,'q1_ns':1.5,'q3_ns':" q3 ",'iqr_ns':1,'mad_ns':1,'cv':0.5,"                     \
    "'ops_per_second':500000000,'outliers_mild':0,'outliers_severe':0}"
#define STATS STATS_("3", "2", "2.5")
#define NOTE_RUN(benchmarks)                                                                       \
    "{'schema_version':1,'suite':'s','context':{},'git':{},'benchmarks':[" benchmarks "]}"
#define NOTE_BENCH(name, rest)                                                                     \
    "{'name':'" name "','status':'ok','iterations_per_sample':1," rest "}"
#define NOTE(runs) "{'perfreg_note':1,'runs':[" runs "]}"

/* Statistics without samples are taken as written; throughput is derived
 * from them, not read. */
static void test_note_stats_taken(void)
{
    char *text = json(NOTE(NOTE_RUN(NOTE_BENCH("a", STATS ",'bytes_per_iteration':8,"
                                                          "'bytes_per_second':1"))));
    pr_run *runs = NULL;
    size_t n = 0;

    CHECK_INT(pr_results_parse_note(text, strlen(text), WHERE, &runs, &n), 0);
    CHECK_INT(n, 1);
    if (n == 1) {
        const pr_result *r = &runs[0].results[0];
        CHECK_INT(r->n_samples, 0);
        CHECK(r->samples_ns == NULL);
        CHECK_INT(r->stats.n, 3);
        CHECK_SAME_DOUBLE(r->stats.median_ns, 2);
        CHECK_SAME_DOUBLE(r->stats.q3_ns, 2.5);
        CHECK_SAME_DOUBLE(r->stats.ops_per_second, 5e8);
        CHECK_SAME_DOUBLE(r->bytes_per_second, 8 / 2e-9);
    }
    free_runs(runs, n);
    free(text);

    /* an empty note and a failed benchmark without either */
    text = json(NOTE(""));
    CHECK_INT(pr_results_parse_note(text, strlen(text), WHERE, &runs, &n), 0);
    CHECK(runs == NULL && n == 0);
    free(text);
    text = json(NOTE(NOTE_RUN("{'name':'a','status':'failed','error':'boom',"
                              "'iterations_per_sample':0,'stats':null}")));
    CHECK_INT(pr_results_parse_note(text, strlen(text), WHERE, &runs, &n), 0);
    if (n == 1)
        CHECK(runs[0].results[0].stats.n == 0 && runs[0].results[0].n_samples == 0);
    free_runs(runs, n);
    free(text);
}

/* A note's summary carries memory and allocs as a results file does. */
static void test_note_memory_and_allocs(void)
{
    char *text = json(NOTE(NOTE_RUN(NOTE_BENCH(
        "a", STATS ",'memory':{'peak_rss_bytes':3000,'baseline_rss_bytes':1000,'memory_bytes':"
                   "2000},'allocs':{'per_iteration':1.5,'bytes_per_iteration':96}"))));
    pr_run *runs = NULL;
    size_t n = 0;
    char *again;

    CHECK_INT(pr_results_parse_note(text, strlen(text), WHERE, &runs, &n), 0);
    CHECK_INT(n, 1);
    if (n == 1) {
        const pr_result *r = &runs[0].results[0];
        CHECK_INT(r->has_memory, 1);
        CHECK(r->peak_rss_bytes == 3000 && r->baseline_rss_bytes == 1000);
        CHECK(r->memory_bytes == 2000);
        CHECK_INT(r->has_allocs, 1);
        CHECK_SAME_DOUBLE(r->allocs_per_iteration, 1.5);
        CHECK_SAME_DOUBLE(r->alloc_bytes_per_iteration, 96);
        /* and into another note as they came */
        again = append(NULL, &runs[0], 0);
        CHECK_CONTAINS(again, "\"memory\": {\n            \"peak_rss_bytes\": 3000,");
        CHECK_CONTAINS(again, "\"allocs\": {\n            \"per_iteration\": 1.5,");
        free(again);
    }
    free_runs(runs, n);
    free(text);

    text = json(NOTE(NOTE_RUN(NOTE_BENCH(
        "a", STATS ",'memory':{'peak_rss_bytes':3000,'baseline_rss_bytes':1000,'memory_bytes':"
                   "3001}"))));
    CHECK_INT(pr_results_parse_note(text, strlen(text), WHERE, &runs, &n), PR_EINVALID);
    CHECK_STR(pr_error_last(), "'" WHERE "': runs[0].benchmarks[0].memory.memory_bytes: more "
                               "than peak_rss_bytes");
    CHECK(runs == NULL && n == 0);
    free(text);
}

/* A run read from a note without samples goes into another note as it came,
 * and into a results file with its statistics and no samples, which reads
 * back the same. */
static void test_note_run_rewritten(void)
{
    pr_run run, *runs = NULL, *again = NULL, back;
    pr_strbuf sb = PR_STRBUF_INIT;
    size_t n = 0, m = 0;
    char *one, *two;

    pr_run_init(&run);
    fill_full(&run);
    one = append(NULL, &run, 0);
    CHECK_INT(pr_results_parse_note(one, strlen(one), WHERE, &runs, &n), 0);
    if (n == 1) {
        two = append(NULL, &runs[0], 1);
        CHECK_STR(two, one);
        CHECK_INT(pr_results_parse_note(two, strlen(two), WHERE, &again, &m), 0);
        if (m == 1)
            check_note_run(&run, &again[0], 0);
        free_runs(again, m);
        free(two);
        CHECK_INT(pr_results_write(&runs[0], &sb), 0);
        CHECK(sb.buf && !strstr(sb.buf, "samples_ns"));
        pr_run_init(&back);
        CHECK_INT(pr_results_parse(&back, sb.buf, sb.len, FILE_NAME), 0);
        check_note_run(&run, &back, 0);
        pr_run_release(&back);
        pr_strbuf_reset(&sb);
        /* statistics the reader would refuse are not written */
        runs[0].results[0].stats.median_ns = runs[0].results[0].stats.max_ns * 2;
        CHECK_INT(pr_results_note_append(NULL, 0, &runs[0], 0, &sb, WHERE), PR_EINVALID);
        CHECK_CONTAINS(pr_error_last(), "benchmarks[0].stats.q3_ns: below median_ns");
        CHECK_INT(sb.len, 0);
    }
    free_runs(runs, n);
    free(one);
    pr_strbuf_release(&sb);
    pr_run_release(&run);
}

/* A results file's benchmark with statistics and no samples (an import
 * from a tool that reports statistics only): taken as written, written
 * back without samples, the same text again. */
static void test_stats_only_result(void)
{
    static const char *const docs[] = {
        BENCH("'iterations_per_sample':1," STATS ",'bytes_per_iteration':8"),
        BENCH("'iterations_per_sample':1,'samples_ns':[]," STATS ",'bytes_per_iteration':8"),
    };
    pr_strbuf first = PR_STRBUF_INIT, second = PR_STRBUF_INIT;
    pr_run run, back;
    size_t i;

    for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        char *doc = json(docs[i]);
        pr_run_init(&run);
        pr_run_init(&back);
        CHECK_INT(pr_results_parse(&run, doc, strlen(doc), FILE_NAME), 0);
        if (run.n_results == 1) {
            const pr_result *r = &run.results[0];
            CHECK_INT(r->status, PR_STATUS_OK);
            CHECK_INT(r->n_samples, 0);
            CHECK(r->samples_ns == NULL);
            CHECK_INT(r->stats.n, 3);
            CHECK_SAME_DOUBLE(r->stats.median_ns, 2);
            CHECK_SAME_DOUBLE(r->stats.q3_ns, 2.5);
            CHECK_SAME_DOUBLE(r->bytes_per_second, 8 / 2e-9);
        }
        CHECK_INT(pr_results_write(&run, &first), 0);
        CHECK(first.buf && !strstr(first.buf, "samples_ns"));
        CHECK_CONTAINS(first.buf, "\"median_ns\": 2,");
        CHECK_INT(pr_results_parse(&back, first.buf, first.len, FILE_NAME), 0);
        CHECK_INT(pr_results_write(&back, &second), 0);
        CHECK_STR(second.buf, first.buf);
        pr_strbuf_reset(&first);
        pr_strbuf_reset(&second);
        pr_run_release(&run);
        pr_run_release(&back);
        free(doc);
    }
    pr_strbuf_release(&first);
    pr_strbuf_release(&second);

    /* samples win over a stats object, which is recomputed */
    {
        char *doc = json(BENCH("'iterations_per_sample':1,'samples_ns':[4,6]," STATS));
        pr_run_init(&run);
        CHECK_INT(pr_results_parse(&run, doc, strlen(doc), FILE_NAME), 0);
        if (run.n_results == 1) {
            CHECK_INT(run.results[0].stats.n, 2);
            CHECK_SAME_DOUBLE(run.results[0].stats.mean_ns, 5);
        }
        pr_run_release(&run);
        free(doc);
    }
    /* neither samples nor statistics: the messages of old */
    expect_invalid(BENCH("'iterations_per_sample':1,'stats':null"),
                   "benchmarks[0].samples_ns: required field is missing");
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[],'stats':null"),
                   "benchmarks[0].samples_ns: an \"ok\" benchmark needs at least one sample");
    /* statistics taken as written are checked as a note's are */
    expect_invalid(BENCH("'iterations_per_sample':1," STATS_("3", "0.5", "2.5")),
                   "benchmarks[0].stats.median_ns: below q1_ns");
    expect_invalid(BENCH("'iterations_per_sample':1," STATS_("0", "2", "2.5")),
                   "benchmarks[0].stats.n: expected at least 1");
    expect_invalid(BENCH("'iterations_per_sample':1,'stats':{'n':3}"),
                   "benchmarks[0].stats.min_ns: required field is missing");
}

/* "counters": read in order, written back, every malformed member named. */
static void test_counters(void)
{
    char *doc = json(BENCH("'iterations_per_sample':1,'samples_ns':[1],"
                           "'counters':{'hits':3,'neg':-2.5,'big':1e300,'\xc3\xa9t\xc3\xa9':0.1}"));
    pr_strbuf first = PR_STRBUF_INIT, second = PR_STRBUF_INIT;
    pr_run run, back;
    pr_result *r;

    pr_run_init(&run);
    pr_run_init(&back);
    CHECK_INT(pr_results_parse(&run, doc, strlen(doc), FILE_NAME), 0);
    CHECK_INT(run.n_results, 1);
    if (run.n_results == 1) {
        r = &run.results[0];
        CHECK_INT(r->n_counters, 4);
        if (r->n_counters == 4) {
            CHECK_STR(r->counters[0].name, "hits");
            CHECK_SAME_DOUBLE(r->counters[0].value, 3);
            CHECK_STR(r->counters[1].name, "neg");
            CHECK_SAME_DOUBLE(r->counters[1].value, -2.5);
            CHECK_SAME_DOUBLE(r->counters[2].value, 1e300);
            CHECK_STR(r->counters[3].name, "\xc3\xa9t\xc3\xa9");
        }
    }
    CHECK_INT(pr_results_write(&run, &first), 0);
    CHECK_CONTAINS(first.buf, "\"counters\": {\n        \"hits\": 3,\n        \"neg\": -2.5,\n"
                              "        \"big\": 1e+300,\n");
    CHECK_INT(pr_results_parse(&back, first.buf, first.len, FILE_NAME), 0);
    CHECK_INT(pr_results_write(&back, &second), 0);
    CHECK_STR(second.buf, first.buf);
    pr_strbuf_release(&second);

    /* the writer refuses what the reader would */
    if (run.n_results == 1 && run.results[0].n_counters == 4) {
        r = &run.results[0];
        r->counters[1].value = NAN;
        pr_strbuf_reset(&first);
        CHECK_INT(pr_results_write(&run, &first), PR_EINVALID);
        CHECK_CONTAINS(pr_error_last(), "benchmarks[0].counters[1]: expected a finite number");
        r->counters[1].value = 1;
        free(r->counters[1].name);
        r->counters[1].name = pr_strdup("hits");
        CHECK_INT(pr_results_write(&run, &first), PR_EINVALID);
        CHECK_CONTAINS(pr_error_last(), "benchmarks[0].counters: duplicate counter name 'hits'");
        free(r->counters[1].name);
        r->counters[1].name = pr_strdup("a\tb");
        CHECK_INT(pr_results_write(&run, &first), PR_EINVALID);
        CHECK_CONTAINS(pr_error_last(), "benchmarks[0].counters[1]: a counter needs");
        CHECK_INT(first.len, 0);
    }
    pr_strbuf_release(&first);
    pr_run_release(&run);
    pr_run_release(&back);
    free(doc);

    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1],'counters':[]"),
                   "benchmarks[0].counters: expected an object");
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1],'counters':{'a':'x'}"),
                   "benchmarks[0].counters: 'a': expected a finite number");
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1],'counters':{'a':1e400}"),
                   "benchmarks[0].counters: 'a': expected a finite number");
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1],'counters':{'':1}"),
                   "benchmarks[0].counters: counter 0: expected a non-empty UTF-8 name");
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1],'counters':{'a\\u0007':1}"),
                   "counter 0: the name contains the control character U+0007");
    expect_invalid(BENCH("'iterations_per_sample':1,'samples_ns':[1],'counters':{'a':1,'a':2}"),
                   "benchmarks[0].counters: duplicate counter name 'a'");
    /* null: none */
    doc = json(BENCH("'iterations_per_sample':1,'samples_ns':[1],'counters':null"));
    pr_run_init(&run);
    CHECK_INT(pr_results_parse(&run, doc, strlen(doc), FILE_NAME), 0);
    CHECK_INT(run.n_results == 1 ? run.results[0].n_counters : 99, 0);
    pr_run_release(&run);
    free(doc);
}

/* Members perfreg does not know survive an append. */
static void test_note_keeps_unknown_members(void)
{
    char *existing = json("{'perfreg_note':1,'team':'perf','runs':[{'schema_version':1,"
                          "'suite':'s','context':{},'git':{},'ci':{'job':42,'ids':[1,2]},"
                          "'benchmarks':[" NOTE_BENCH("a", "'samples_ns':[0.1,0.2]") "]}]}");
    pr_run run, *runs = NULL;
    size_t n = 0;
    char *text;

    pr_run_init(&run);
    fill_second(&run);
    text = append(existing, &run, 0);
    CHECK_CONTAINS(text, "\"team\": \"perf\"");
    CHECK_CONTAINS(text, "\"ci\": {\n        \"job\": 42,\n        \"ids\": [1, 2]\n      },");
    CHECK_CONTAINS(text, "\"samples_ns\": [0.1, 0.2]");
    CHECK_INT(pr_results_parse_note(text, strlen(text), WHERE, &runs, &n), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(runs[0].suite, "s");
        CHECK_INT(runs[0].results[0].n_samples, 2);
        check_note_run(&run, &runs[1], 0);
    }
    free_runs(runs, n);
    free(text);
    free(existing);
    pr_run_release(&run);
}

static void expect_not_a_note_(const char *existing, const char *want, int line)
{
    char *doc = json(existing);
    pr_strbuf sb = PR_STRBUF_INIT;
    pr_run run;
    int err;

    pr_run_init(&run);
    fill_second(&run);
    pr_error_clear();
    err = pr_results_note_append(doc, strlen(doc), &run, 0, &sb, WHERE);
    if (err != PR_EINVALID || !strstr(pr_error_last(), "'" WHERE "': not a perfreg note (") ||
        !strstr(pr_error_last(), want) || strchr(pr_error_last(), '\n') || sb.len != 0) {
        fprintf(stderr,
                "%s:%d: code %d, message \"%s\", %zu bytes written, wanted PR_EINVALID, "
                "\"%s\" and nothing\n",
                __FILE__, line, err, pr_error_last(), sb.len, want);
        check_test_failed_ = 1;
    }
    pr_strbuf_release(&sb);
    pr_run_release(&run);
    free(doc);
}
#define expect_not_a_note(existing, want) expect_not_a_note_(existing, want, __LINE__)

/* A note someone else wrote is never written over. */
static void test_note_refuses_foreign(void)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    pr_run run;

    expect_not_a_note("hello", "(not valid JSON near line 1, column 1)");
    expect_not_a_note("Reviewed-by: A <a@example.com>\n", "(not valid JSON near line 1");
    expect_not_a_note("[1, 2]", "(the top level is not an object)");
    expect_not_a_note("{'perfreg_note':2,'runs':[]}",
                      "(perfreg_note 2 is not supported, this perfreg reads 1)");
    expect_not_a_note("{'perfreg_note':'1','runs':[]}", "(perfreg_note: expected 1)");
    expect_not_a_note("{'runs':[]}", "(perfreg_note: required field is missing)");
    expect_not_a_note("{'perfreg_note':1}", "(runs: required field is missing)");
    expect_not_a_note("{'perfreg_note':1,'runs':{}}", "(runs: expected an array)");
    expect_not_a_note("{'perfreg_note':1,'runs':[{},7]}", "(runs[1]: expected an object)");
    expect_not_a_note(" \n", "(empty)");
    expect_not_a_note("{'perfreg_note':1,'runs':[]} x", "(not valid JSON near line 1, column 30)");
    /* a number beyond a double reads as infinity and could not be written back */
    expect_not_a_note("{'perfreg_note':1,'runs':[{'x':1e400}]}",
                      "(a number beyond the range of a double)");
    expect_not_a_note("{'perfreg_note':1,'runs':[],'x':[-1e400]}",
                      "(a number beyond the range of a double)");

    /* a run the reader would refuse is not added either */
    pr_run_init(&run);
    CHECK_INT(pr_results_note_append(NULL, 0, &run, 0, &sb, WHERE), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "suite: the run names no suite");
    CHECK_INT(sb.len, 0);
    pr_run_release(&run);
    pr_strbuf_release(&sb);
}

static void expect_bad_note_(const char *text, const char *want, int line)
{
    char *doc = json(text);
    static pr_run not_set;
    pr_run *runs = &not_set;
    size_t n = 99;
    int err;

    pr_error_clear();
    err = pr_results_parse_note(doc, strlen(doc), WHERE, &runs, &n);
    if (err != PR_EINVALID || !strstr(pr_error_last(), "'" WHERE "': ") ||
        !strstr(pr_error_last(), want) || strchr(pr_error_last(), '\n')) {
        fprintf(stderr, "%s:%d: code %d, message \"%s\", wanted PR_EINVALID and \"%s\"\n", __FILE__,
                line, err, pr_error_last(), want);
        check_test_failed_ = 1;
    }
    CHECK(runs == NULL && n == 0);
    free(doc);
}
#define expect_bad_note(text, want) expect_bad_note_(text, want, __LINE__)

static void test_note_parse_errors(void)
{
    expect_bad_note("{'perfreg_note':1}", "not a perfreg note (runs: required field is missing)");
    expect_bad_note("", "not a perfreg note (empty)");
    expect_bad_note(NOTE(NOTE_RUN(NOTE_BENCH("a", "'stats':{'n':3,'min_ns':'1'}"))),
                    "'" WHERE "': runs[0].benchmarks[0].stats.min_ns: expected a non-negative "
                    "finite number");
    /* the second run, after a good one was read */
    expect_bad_note(NOTE(NOTE_RUN(NOTE_BENCH("a", STATS)) "," NOTE_RUN(
                        NOTE_BENCH("a", STATS) "," NOTE_BENCH("b", STATS_("3", "-2", "2.5")))),
                    "'" WHERE "': runs[1].benchmarks[1].stats.median_ns: expected a "
                    "non-negative finite number");
    expect_bad_note(NOTE(NOTE_RUN(NOTE_BENCH("a", STATS_("0", "2", "2.5")))),
                    "runs[0].benchmarks[0].stats.n: expected at least 1");
    expect_bad_note(NOTE(NOTE_RUN(NOTE_BENCH("a", STATS_("2.5", "2", "2.5")))),
                    "runs[0].benchmarks[0].stats.n: expected a non-negative whole number, got 2.5");
    expect_bad_note(NOTE(NOTE_RUN(NOTE_BENCH("a", STATS_("3", "2.75", "2.5")))),
                    "runs[0].benchmarks[0].stats.q3_ns: below median_ns");
    /* 1e999 reads as infinity: the whole note is refused */
    expect_bad_note(NOTE(NOTE_RUN(NOTE_BENCH("a", STATS_("3", "1e999", "2.5")))),
                    "a number beyond the range of a double");
    expect_bad_note(NOTE(NOTE_RUN(NOTE_BENCH("a", "'stats':{'n':1}"))),
                    "runs[0].benchmarks[0].stats.min_ns: required field is missing");
    expect_bad_note(NOTE(NOTE_RUN(NOTE_BENCH("a", "'stats':[]"))),
                    "runs[0].benchmarks[0].stats: expected an object");
    expect_bad_note(NOTE(NOTE_RUN(NOTE_BENCH("a", "'stats':null"))),
                    "runs[0].benchmarks[0].stats: an \"ok\" benchmark needs samples_ns or stats");
    expect_bad_note(NOTE(NOTE_RUN(NOTE_BENCH("a", "'samples_ns':[1,-1]"))),
                    "runs[0].benchmarks[0].samples_ns[1]: expected a non-negative finite number");
    expect_bad_note(NOTE(NOTE_RUN(NOTE_BENCH("a", STATS) "," NOTE_BENCH("a", STATS))),
                    "runs[0].benchmarks[1].name: duplicate benchmark name 'a' (first at "
                    "benchmarks[0])");
    expect_bad_note(NOTE("{'schema_version':2}"),
                    "'" WHERE
                    "': runs[0]: schema_version 2 is not supported (this perfreg reads 1)");
    expect_bad_note(NOTE("{'schema_version':1,'context':{},'git':{},'benchmarks':[]}"),
                    "runs[0].suite: required field is missing");
    expect_bad_note(NOTE("{'schema_version':1,'suite':'s','context':{'clock':{'cost_ns':-1}},"
                         "'git':{},'benchmarks':[]}"),
                    "runs[0].context.clock.cost_ns: expected a non-negative finite number");
    expect_bad_note(NOTE("{'schema_version':1,'suite':'s','context':{},'git':{'dirty':1},"
                         "'benchmarks':[]}"),
                    "runs[0].git.dirty: expected true, false or null");
    expect_bad_note(NOTE("{'schema_version':1,'suite':'s','context':{},'git':{}}"),
                    "runs[0].benchmarks: required field is missing");
}

/* Every proper prefix of a note is refused cleanly, without a NUL after it. */
static void test_note_every_prefix(void)
{
    pr_run run, *runs = NULL;
    size_t len, cut, n = 0, failures = 0;
    char *text, *copy;

    pr_run_init(&run);
    fill_full(&run);
    text = append(NULL, &run, 1);
    len = strlen(text);
    for (cut = 0; cut < len; cut++) {
        int err;
        copy = malloc(cut ? cut : 1);
        memcpy(copy, text, cut);
        err = pr_results_parse_note(copy, cut, WHERE, &runs, &n);
        /* only the final newline may go */
        if (cut < len - 1 && (err != PR_EINVALID || runs != NULL || n != 0))
            failures++;
        if (cut == len - 1)
            CHECK_INT(err, 0);
        free_runs(runs, n);
        free(copy);
    }
    CHECK_INT(failures, 0);
    free(text);
    pr_run_release(&run);
}

/* ---- the history document ---- */

static void test_history_document(void)
{
    static char src0[] = ".perfreg/runs/perfreg_bench/20261120T080000Z.json",
                src1[] = "notes:1a2b3c4", src2[] = ".perfreg/runs/perfreg_bench/x.json",
                name_a[] = "string/strlen_1k", name_b[] = "hash/fnv1a",
                machine[] = "AMD EPYC 7B13, 64 cores, Linux x86_64, gcc 12.2.0, Release";
    char *sources[3] = {src0, src1, src2};
    pr_run runs[3], baseline;
    pr_history_point a[3], b[3];
    pr_history_series series[2];
    pr_history h;
    pr_strbuf sb = PR_STRBUF_INIT;
    size_t i;

    for (i = 0; i < 3; i++) {
        pr_run_init(&runs[i]);
        runs[i].suite = pr_strdup("perfreg_bench");
    }
    pr_run_init(&baseline);
    runs[0].git.commit = pr_strdup("0a1b2c3d4e5f60718293a4b5c6d7e8f901a2b3c4");
    runs[0].git.short_commit = pr_strdup("0a1b2c3");
    runs[0].git.branch = pr_strdup("main");
    runs[0].git.dirty = 0;
    runs[0].git.subject = pr_strdup("stats: \"quoted\" subject");
    runs[0].git.commit_time = pr_strdup("2026-11-20T07:00:00Z");
    runs[0].git.author_time = pr_strdup("2026-11-19T18:00:00Z");
    runs[0].context.date = pr_strdup("2026-11-20T08:00:00Z");
    runs[1].git.short_commit = pr_strdup("1a2b3c4");
    runs[1].git.dirty = 1;
    baseline.git.short_commit = pr_strdup("0a1b2c3");
    baseline.context.date = pr_strdup("2026-11-20T08:00:00Z");

    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    for (i = 0; i < 3; i++) {
        a[i].run = b[i].run = i;
        a[i].present = 1;
    }
    a[0].value = 40, a[0].q1 = 39.5, a[0].q3 = 41.25;
    a[1].value = 30, a[1].q1 = 29, a[1].q3 = 31;
    a[1].has_change = 1, a[1].change = -0.25;
    a[1].step = 1, a[1].step_change = -0.3;
    a[2].value = 30.000000000000004, a[2].q1 = a[2].q3 = a[2].value;
    a[2].has_change = 1, a[2].change = 1.1102230246251565e-16;
    b[1].present = 1, b[1].value = 1000, b[1].q1 = 990, b[1].q3 = 1010;
    b[1].has_change = 1, b[1].change = 0.5;

    memset(series, 0, sizeof series);
    series[0].name = name_a;
    series[0].points = a;
    series[0].n_points = 3;
    series[0].has_baseline = 1, series[0].baseline_value = 40;
    series[0].has_baseline_change = 1, series[0].baseline_change = -0.2499999999999999;
    series[1].name = name_b;
    series[1].points = b;
    series[1].n_points = 3;

    memset(&h, 0, sizeof h);
    h.runs = runs;
    h.n_runs = 3;
    h.sources = sources;
    h.series = series;
    h.n_series = 2;
    h.stat = PR_METRIC_MEDIAN;
    h.n_other_machine = 2;
    h.machine = machine;
    h.baseline = &baseline;
    h.step_threshold = 0.1;

    CHECK_INT(pr_results_write_history(&h, &sb), 0);
    CHECK(strncmp(pr_strbuf_cstr(&sb), "{\n  \"schema_version\": 1,", 24) == 0);
    CHECK_CONTAINS(
        pr_strbuf_cstr(&sb),
        "{\n  \"schema_version\": 1,\n  \"kind\": \"history\",\n"
        "  \"suite\": \"perfreg_bench\",\n  \"stat\": \"median\",\n  \"unit\": \"ns\",\n"
        "  \"machine\": \"AMD EPYC 7B13, 64 cores, Linux x86_64, gcc 12.2.0, Release\",\n"
        "  \"all_machines\": false,\n  \"other_machine_runs\": 2,\n"
        "  \"step_threshold\": 0.1,\n  \"baseline\": {\n"
        "    \"short_commit\": \"0a1b2c3\",\n    \"date\": \"2026-11-20T08:00:00Z\"\n"
        "  },\n  \"runs\": [\n");
    CHECK_CONTAINS(
        pr_strbuf_cstr(&sb),
        "    {\n      \"index\": 0,\n"
        "      \"source\": \".perfreg/runs/perfreg_bench/20261120T080000Z.json\",\n"
        "      \"commit\": \"0a1b2c3d4e5f60718293a4b5c6d7e8f901a2b3c4\",\n"
        "      \"short_commit\": \"0a1b2c3\",\n      \"branch\": \"main\",\n"
        "      \"dirty\": false,\n      \"subject\": \"stats: \\\"quoted\\\" subject\",\n"
        "      \"date\": \"2026-11-20T08:00:00Z\",\n"
        "      \"commit_time\": \"2026-11-20T07:00:00Z\",\n"
        "      \"author_time\": \"2026-11-19T18:00:00Z\"\n    },");
    /* a run from outside a repository: nulls, not a crash */
    CHECK_CONTAINS(pr_strbuf_cstr(&sb),
                   "      \"index\": 2,\n"
                   "      \"source\": \".perfreg/runs/perfreg_bench/x.json\",\n"
                   "      \"commit\": null,\n      \"short_commit\": null,\n"
                   "      \"branch\": null,\n      \"dirty\": null,\n      \"subject\": null,\n"
                   "      \"date\": null,\n      \"commit_time\": null,\n"
                   "      \"author_time\": null\n    }\n  ],");
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "\"source\": \"notes:1a2b3c4\",");
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "\"dirty\": true,");
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "\"name\": \"string/strlen_1k\",\n"
                                        "      \"baseline\": 40,\n"
                                        "      \"baseline_change\": -0.2499999999999999,\n"
                                        "      \"points\": [\n");
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "{\n          \"run\": 0,\n          \"present\": true,\n"
                                        "          \"value\": 40,\n          \"q1\": 39.5,\n"
                                        "          \"q3\": 41.25,\n          \"change\": null,\n"
                                        "          \"step\": false,\n"
                                        "          \"step_change\": null\n        },");
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "\"run\": 1,\n          \"present\": true,\n"
                                        "          \"value\": 30,\n          \"q1\": 29,\n"
                                        "          \"q3\": 31,\n          \"change\": -0.25,\n"
                                        "          \"step\": true,\n"
                                        "          \"step_change\": -0.3\n        },");
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "\"value\": 30.000000000000004,");
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "\"change\": 1.1102230246251565e-16,");
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "\"name\": \"hash/fnv1a\",\n      \"baseline\": null,\n"
                                        "      \"baseline_change\": null,");
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "{\n          \"run\": 0,\n          \"present\": false,\n"
                                        "          \"value\": null,\n          \"q1\": null,\n"
                                        "          \"q3\": null,\n          \"change\": null,\n"
                                        "          \"step\": false,\n"
                                        "          \"step_change\": null\n        },");
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "\"run\": 1,\n          \"present\": true,\n"
                                        "          \"value\": 1000,\n          \"q1\": 990,\n"
                                        "          \"q3\": 1010,\n          \"change\": 0.5,");
    CHECK(strlen(pr_strbuf_cstr(&sb)) >= 2 && strcmp(pr_strbuf_cstr(&sb) + sb.len - 2, "}\n") == 0);
    CHECK(strstr(pr_strbuf_cstr(&sb), "nan") == NULL && strstr(pr_strbuf_cstr(&sb), "inf") == NULL);

    /* operations per second, every machine, no baseline, no sources */
    pr_strbuf_reset(&sb);
    h.stat = PR_METRIC_OPS;
    h.all_machines = 1;
    h.machine = NULL;
    h.n_other_machine = 0;
    h.baseline = NULL;
    h.sources = NULL;
    a[0].value = NAN;
    CHECK_INT(pr_results_write_history(&h, &sb), 0);
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "\"stat\": \"ops\",\n  \"unit\": \"ops/s\",\n"
                                        "  \"machine\": null,\n  \"all_machines\": true,\n"
                                        "  \"other_machine_runs\": 0,");
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "\"baseline\": null,\n  \"runs\": [");
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "\"index\": 0,\n      \"source\": null,");
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "\"run\": 0,\n          \"present\": true,\n"
                                        "          \"value\": null,");

    /* the units of memory and allocs */
    pr_strbuf_reset(&sb);
    h.stat = PR_METRIC_MEMORY;
    CHECK_INT(pr_results_write_history(&h, &sb), 0);
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "\"stat\": \"memory\",\n  \"unit\": \"bytes\",\n");
    pr_strbuf_reset(&sb);
    h.stat = PR_METRIC_ALLOCS;
    CHECK_INT(pr_results_write_history(&h, &sb), 0);
    CHECK_CONTAINS(pr_strbuf_cstr(&sb),
                   "\"stat\": \"allocs\",\n  \"unit\": \"allocs/iteration\",\n");

    /* no runs at all */
    pr_strbuf_reset(&sb);
    h.n_runs = 0;
    h.n_series = 0;
    CHECK_INT(pr_results_write_history(&h, &sb), 0);
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "\"suite\": null,");
    CHECK_CONTAINS(pr_strbuf_cstr(&sb), "\"runs\": [],\n  \"benchmarks\": []\n}\n");

    /* a point naming a run that is not there */
    pr_strbuf_reset(&sb);
    h.n_runs = 2;
    h.n_series = 2;
    CHECK_INT(pr_results_write_history(&h, &sb), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "benchmarks[0].points[2].run: not an index into runs");
    CHECK_INT(pr_results_write_history(NULL, &sb), PR_EINVALID);

    pr_strbuf_release(&sb);
    for (i = 0; i < 3; i++)
        pr_run_release(&runs[i]);
    pr_run_release(&baseline);
}

/* ---- a baseline of several runs (pr_run_merge, run_stats) ---- */

/* Appends benchmark NAME to RUN: the N SAMPLES, in the K processes of
 * COUNTS when K >= 2; FAILED: failed, without samples. */
static void add_result(pr_run *run, const char *name, const double *samples, size_t n,
                       const size_t *counts, size_t k, int failed)
{
    pr_result *r = NULL;

    CHECK_INT(pr_run_add_result(run, &r), 0);
    if (!r)
        return;
    r->name = pr_strdup(name);
    r->iterations = 10;
    if (failed) {
        r->status = PR_STATUS_FAILED;
        r->error = pr_strdup("killed by signal 11");
        return;
    }
    set_samples(r, samples, n);
    if (k >= 2) {
        r->process_samples = malloc(k * sizeof *counts);
        memcpy(r->process_samples, counts, k * sizeof *counts);
        r->n_processes = k;
    }
}

/* The three runs of a baseline, oldest first: "all" in each, in two
 * processes in the middle run; "late" missing from the oldest; "flaky"
 * failed in the middle; "gone" failed in the newest, ok in the others;
 * "bytes" only in the newest. */
static const double all_old[] = {10, 12, 14}, all_mid[] = {11, 13, 15}, all_new[] = {9, 10};
static const size_t all_mid_procs[] = {2, 1};
static const double late_mid[] = {20, 22}, late_new[] = {21, 23, 25};
static const double flaky_old[] = {30}, flaky_new[] = {31, 33};
static const double gone_old[] = {40, 41};
static const double bytes_new[] = {50, 50};

static void fill_three_runs(pr_run runs[3])
{
    size_t i;

    for (i = 0; i < 3; i++) {
        pr_run_init(&runs[i]);
        runs[i].suite = pr_strdup("s");
    }
    add_result(&runs[0], "all", all_old, 3, NULL, 0, 0);
    add_result(&runs[0], "flaky", flaky_old, 1, NULL, 0, 0);
    add_result(&runs[0], "gone", gone_old, 2, NULL, 0, 0);
    add_result(&runs[1], "late", late_mid, 2, NULL, 0, 0);
    add_result(&runs[1], "all", all_mid, 3, all_mid_procs, 2, 0);
    add_result(&runs[1], "flaky", NULL, 0, NULL, 0, 1);
    add_result(&runs[1], "gone", gone_old, 2, NULL, 0, 0);
    add_result(&runs[2], "all", all_new, 2, NULL, 0, 0);
    add_result(&runs[2], "late", late_new, 3, NULL, 0, 0);
    add_result(&runs[2], "flaky", flaky_new, 2, NULL, 0, 0);
    add_result(&runs[2], "gone", NULL, 0, NULL, 0, 1);
    add_result(&runs[2], "bytes", bytes_new, 2, NULL, 0, 0);
    /* throughput from the newest run's own mean, before merging */
    runs[2].results[0].bytes_per_iteration = 1000;
    runs[2].results[4].bytes_per_iteration = 1000;
    pr_result_derive_throughput(&runs[2].results[0]);
    pr_result_derive_throughput(&runs[2].results[4]);
}

/* R: the samples X (N) with the process counts P (K), and one run_stats
 * entry per run, each the statistics of that run's samples, given as the
 * runs' sample counts RUN_N (N_RUNS of them, oldest first). */
static void check_merged(const pr_result *r, const double *x, size_t n, const size_t *p, size_t k,
                         const size_t *run_n, size_t n_runs)
{
    pr_stats want;
    size_t i, at = 0;

    CHECK_INT(r->status, PR_STATUS_OK);
    CHECK_INT(r->n_samples, n);
    for (i = 0; i < n && i < r->n_samples; i++)
        CHECK_SAME_DOUBLE(r->samples_ns[i], x[i]);
    CHECK_INT(r->n_processes, k);
    for (i = 0; i < k && i < r->n_processes && r->process_samples; i++)
        CHECK_INT(r->process_samples[i], p[i]);
    CHECK_INT(r->n_runs, n_runs);
    for (i = 0; i < n_runs && i < r->n_runs && r->run_stats; i++) {
        CHECK_INT(pr_stats_compute(&want, x + at, run_n[i]), 0);
        check_same_stats(&r->run_stats[i], &want);
        at += run_n[i];
    }
    /* the statistics over every run's samples */
    CHECK_INT(pr_stats_compute(&want, x, n), 0);
    check_same_stats(&r->stats, &want);
}

/* pr_run_merge (run.h): each benchmark of the newest run gets the older
 * runs' samples before its own, oldest first, their processes kept, each
 * run's statistics in run_stats; a run where it failed or is missing is
 * left out; one that failed in the newest run is not merged. */
static void test_merge_runs(void)
{
    static const double all[] = {10, 12, 14, 11, 13, 15, 9, 10};
    static const size_t all_p[] = {3, 2, 1, 2}, all_runs[] = {3, 3, 2};
    static const double late[] = {20, 22, 21, 23, 25};
    static const size_t late_p[] = {2, 3}, late_runs[] = {2, 3};
    static const double flaky[] = {30, 31, 33};
    static const size_t flaky_p[] = {1, 2}, flaky_runs[] = {1, 2};
    pr_run runs[3];
    const pr_result *r;

    fill_three_runs(runs);
    CHECK_INT(pr_run_merge(&runs[2], runs, 2), 0);
    CHECK_INT(runs[2].context.runs, 3);
    CHECK_INT(runs[2].n_results, 5);
    if (runs[2].n_results == 5) {
        check_merged(&runs[2].results[0], all, 8, all_p, 4, all_runs, 3);
        /* the hand-worked figures: 94 / 8, the runs' 36 / 3, 39 / 3, 19 / 2 */
        CHECK_SAME_DOUBLE(runs[2].results[0].stats.mean_ns, 11.75);
        CHECK_SAME_DOUBLE(runs[2].results[0].run_stats[0].mean_ns, 12);
        CHECK_SAME_DOUBLE(runs[2].results[0].run_stats[1].mean_ns, 13);
        CHECK_SAME_DOUBLE(runs[2].results[0].run_stats[2].mean_ns, 9.5);
        /* the throughput follows the pooled mean, not the newest run's */
        CHECK_SAME_DOUBLE(runs[2].results[0].bytes_per_second, 1000 / 11.75e-9);
        check_merged(&runs[2].results[1], late, 5, late_p, 2, late_runs, 2);
        check_merged(&runs[2].results[2], flaky, 3, flaky_p, 2, flaky_runs, 2);
        r = &runs[2].results[3]; /* failed in the newest run: left as it was */
        CHECK_INT(r->status, PR_STATUS_FAILED);
        CHECK_INT(r->n_samples, 0);
        CHECK_INT(r->n_runs, 0);
        CHECK(r->run_stats == NULL);
        r = &runs[2].results[4]; /* only in the newest: one run */
        CHECK_INT(r->n_runs, 0);
        CHECK_INT(r->n_processes, 0);
        CHECK_INT(r->n_samples, 2);
        CHECK_SAME_DOUBLE(r->bytes_per_second, 1000 / 50e-9);
    }
    /* the older runs are read, not changed */
    CHECK_INT(runs[0].results[0].n_samples, 3);
    CHECK_INT(runs[0].results[0].n_runs, 0);
    CHECK_INT(runs[1].results[1].n_processes, 2);

    /* merged again into a fourth run: the merged results are not merged
     * twice, the others are */
    {
        static const double again[] = {8, 8};
        pr_run fourth;
        pr_run_init(&fourth);
        add_result(&fourth, "all", again, 2, NULL, 0, 0);
        add_result(&fourth, "gone", again, 2, NULL, 0, 0);
        CHECK_INT(pr_run_merge(&fourth, runs, 3), 0);
        /* all: the oldest and the middle run, not the merged newest */
        CHECK_INT(fourth.results[0].n_runs, 3);
        CHECK_INT(fourth.results[0].n_samples, 3 + 3 + 2);
        /* gone: ok in the two older runs */
        CHECK_INT(fourth.results[1].n_runs, 3);
        CHECK_INT(fourth.context.runs, 3);
        pr_run_release(&fourth);
    }
    /* nothing older: nothing changes */
    CHECK_INT(pr_run_merge(&runs[0], NULL, 0), 0);
    CHECK_INT(runs[0].context.runs, 0);
    CHECK_INT(runs[0].results[0].n_runs, 0);

    pr_run_release(&runs[0]);
    pr_run_release(&runs[1]);
    pr_run_release(&runs[2]);
}

/* A merged run written and read back: run_stats bit for bit, the runs in
 * the context, the processes; the text written again is the same. */
static void test_run_stats_round_trip(void)
{
    pr_run runs[3], back, again;
    char *text, *text2;
    size_t i, j;

    fill_three_runs(runs);
    CHECK_INT(pr_run_merge(&runs[2], runs, 2), 0);
    pr_run_init(&back);
    pr_run_init(&again);
    text = write_and_parse(&runs[2], &back);
    check_same_run(&runs[2], &back);
    CHECK_INT(back.context.runs, 3);
    CHECK_INT(back.n_results, runs[2].n_results);
    for (i = 0; i < back.n_results && i < runs[2].n_results; i++) {
        const pr_result *r = &runs[2].results[i], *s = &back.results[i];
        CHECK_INT(s->n_runs, r->n_runs);
        for (j = 0; j < r->n_runs && j < s->n_runs; j++)
            check_same_stats(&s->run_stats[j], &r->run_stats[j]);
        CHECK_INT(s->n_processes, r->n_processes);
        for (j = 0; j < r->n_processes && j < s->n_processes; j++)
            CHECK_INT(s->process_samples[j], r->process_samples[j]);
    }
    CHECK_CONTAINS(text, "\n    \"runs\": 3\n");
    CHECK_CONTAINS(text, "\"process_samples\": [3, 2, 1, 2]");
    CHECK_CONTAINS(text, "\"run_stats\": [");
    /* only the three merged benchmarks have run_stats, of 3, 2 and 2 runs */
    CHECK_INT(text ? count_of(text, "\"run_stats\"") : 0, 3);
    /* the stats of the four ok benchmarks and the 3 + 2 + 2 of the runs */
    CHECK_INT(text ? count_of(text, "\"median_ns\"") : 0, 4 + 3 + 2 + 2);
    text2 = write_and_parse(&back, &again);
    CHECK_STR(text, text2);
    free(text);
    free(text2);
    pr_run_release(&back);
    pr_run_release(&again);
    for (i = 0; i < 3; i++)
        pr_run_release(&runs[i]);
}

/* One run_stats entry of N samples and mean MEAN. */
#define RUN_STATS_ENTRY(n, mean)                                                                   \
    "{'n':" n ",'min_ns':1,'max_ns':3,'mean_ns':" mean ",'median_ns':2,'stddev_ns':1,"             \
    "'q1_ns':1.5,'q3_ns':2.5,'iqr_ns':1,'mad_ns':1,'cv':0.5,'ops_per_second':500000000,"           \
    "'outliers_mild':0,'outliers_severe':0}"
#define RS RUN_STATS_ENTRY("3", "2")
#define RUN_STATS_BENCH(list)                                                                      \
    BENCH("'iterations_per_sample':1,'samples_ns':[1,2,3,1,2,3],'run_stats':" list)

/* run_stats is read only as an array of 2 to 10000 statistics objects,
 * each checked as a stats object is, the field named by its path. */
static void test_run_stats_invalid(void)
{
    char *doc;
    pr_run run;
    size_t i;

    /* the message in full once */
    doc = json(RUN_STATS_BENCH("{}"));
    pr_run_init(&run);
    CHECK_INT(pr_results_parse(&run, doc, strlen(doc), FILE_NAME), PR_EINVALID);
    CHECK_STR(pr_error_last(),
              "'" FILE_NAME "': benchmarks[0].run_stats: expected an array of statistics");
    pr_run_release(&run);
    free(doc);

    expect_invalid(RUN_STATS_BENCH("3"),
                   "benchmarks[0].run_stats: expected an array of statistics");
    expect_invalid(RUN_STATS_BENCH("[]"),
                   "benchmarks[0].run_stats: expected the statistics of 2 to 10000 runs");
    expect_invalid(RUN_STATS_BENCH("[" RS "]"),
                   "benchmarks[0].run_stats: expected the statistics of 2 to 10000 runs");
    expect_invalid(RUN_STATS_BENCH("[" RS ",3]"), "benchmarks[0].run_stats[1]: expected an object");
    expect_invalid(RUN_STATS_BENCH("[" RS ",[]]"),
                   "benchmarks[0].run_stats[1]: expected an object");
    expect_invalid(RUN_STATS_BENCH("[" RS "," RUN_STATS_ENTRY("3", "-2") "]"),
                   "benchmarks[0].run_stats[1].mean_ns: expected a non-negative finite number");
    expect_invalid(RUN_STATS_BENCH("[" RUN_STATS_ENTRY("3", "'2'") "," RS "]"),
                   "benchmarks[0].run_stats[0].mean_ns: expected a non-negative finite number");
    expect_invalid(RUN_STATS_BENCH("[" RS "," RUN_STATS_ENTRY("0", "2") "]"),
                   "benchmarks[0].run_stats[1].n: expected at least 1");
    expect_invalid(RUN_STATS_BENCH("[" RS "," RUN_STATS_ENTRY("2.5", "2") "]"),
                   "benchmarks[0].run_stats[1].n: expected a non-negative whole number, got 2.5");
    expect_invalid(RUN_STATS_BENCH("[" RS ",{'n':3}]"),
                   "benchmarks[0].run_stats[1].min_ns: required field is missing");
    /* checked as a stats object is: its quartiles in order */
    expect_invalid(RUN_STATS_BENCH("[" RS ",{'n':3,'min_ns':1,'max_ns':3,'mean_ns':2,"
                                   "'median_ns':1,'stddev_ns':1,'q1_ns':1.5,'q3_ns':2.5,"
                                   "'iqr_ns':1,'mad_ns':1,'cv':0.5,'ops_per_second':5e8,"
                                   "'outliers_mild':0,'outliers_severe':0}]"),
                   "benchmarks[0].run_stats[1].median_ns: below q1_ns");
    /* context.runs: a whole number up to 10000 */
    expect_invalid("{'schema_version':1,'suite':'s','context':{'runs':-3},'git':{},"
                   "'benchmarks':[]}",
                   "context.runs: expected a non-negative whole number, got -3");
    expect_invalid("{'schema_version':1,'suite':'s','context':{'runs':10001},'git':{},"
                   "'benchmarks':[]}",
                   "context.runs: 10001 is out of range (at most 10000)");

    /* null is absent; two entries is the least; 10000 the most */
    doc = json(RUN_STATS_BENCH("null"));
    pr_run_init(&run);
    CHECK_INT(pr_results_parse(&run, doc, strlen(doc), FILE_NAME), 0);
    CHECK_INT(run.n_results == 1 ? run.results[0].n_runs : 99, 0);
    pr_run_release(&run);
    free(doc);
    doc = json(RUN_STATS_BENCH("[" RS "," RUN_STATS_ENTRY("3", "4") "]"));
    pr_run_init(&run);
    CHECK_INT(pr_results_parse(&run, doc, strlen(doc), FILE_NAME), 0);
    if (run.n_results == 1 && run.results[0].n_runs == 2) {
        CHECK_SAME_DOUBLE(run.results[0].run_stats[0].mean_ns, 2);
        CHECK_SAME_DOUBLE(run.results[0].run_stats[1].mean_ns, 4);
    } else {
        CHECK(0);
    }
    pr_run_release(&run);
    free(doc);
    for (i = 10000; i <= 10001; i++) {
        pr_strbuf big = PR_STRBUF_INIT;
        size_t k;
        char *one = json(RS), *head = json(HEAD "'benchmarks':[{'name':'a','status':'ok',"
                                                "'iterations_per_sample':1,'samples_ns':[1],"
                                                "'run_stats':[");
        CHECK_INT(pr_strbuf_addf(&big, "%s", head), 0);
        for (k = 0; k < i; k++)
            CHECK_INT(pr_strbuf_addf(&big, "%s%s", k ? "," : "", one), 0);
        CHECK_INT(pr_strbuf_addf(&big, "]}]}"), 0);
        pr_run_init(&run);
        pr_error_clear();
        CHECK_INT(pr_results_parse(&run, big.buf, big.len, FILE_NAME),
                  i == 10000 ? 0 : PR_EINVALID);
        if (i == 10000)
            CHECK_INT(run.n_results == 1 ? run.results[0].n_runs : 0, 10000);
        else
            CHECK_CONTAINS(pr_error_last(),
                           "benchmarks[0].run_stats: expected the statistics of 2 to 10000 runs");
        pr_run_release(&run);
        pr_strbuf_release(&big);
        free(one);
        free(head);
    }
}

int main(void)
{
    RUN_TEST(test_round_trip_full);
    RUN_TEST(test_rewrite_is_identical);
    RUN_TEST(test_nulls_and_failed_without_samples);
    RUN_TEST(test_throughput_only_when_declared);
    RUN_TEST(test_stats_recomputed);
    RUN_TEST(test_empty);
    RUN_TEST(test_truncated);
    RUN_TEST(test_trailing_garbage);
    RUN_TEST(test_top_level_array);
    RUN_TEST(test_top_level_string);
    RUN_TEST(test_schema_version);
    RUN_TEST(test_missing_benchmarks);
    RUN_TEST(test_missing_sections);
    RUN_TEST(test_mistyped_optional_fields);
    RUN_TEST(test_samples_not_an_array);
    RUN_TEST(test_string_sample);
    RUN_TEST(test_negative_sample);
    RUN_TEST(test_process_samples);
    RUN_TEST(test_huge_iterations);
    RUN_TEST(test_fractional_iterations);
    RUN_TEST(test_duplicate_names);
    RUN_TEST(test_names_duplicate);
    RUN_TEST(test_strict_json);
    RUN_TEST(test_gbench_export);
    RUN_TEST(test_control_names);
    RUN_TEST(test_extreme_throughput);
    RUN_TEST(test_duplicate_long_name);
    RUN_TEST(test_ok_without_samples);
    RUN_TEST(test_bad_benchmark_fields);
    RUN_TEST(test_every_prefix);
    RUN_TEST(test_out_untouched_on_error);
    RUN_TEST(test_writer_refuses_unreadable);
    RUN_TEST(test_memory_and_allocs);
    RUN_TEST(test_memory_and_allocs_invalid);
    RUN_TEST(test_writer_refuses_bad_resources);
    RUN_TEST(test_writer_repairs_utf8);
    RUN_TEST(test_load);
    RUN_TEST(test_author_time);
    RUN_TEST(test_note_append_twice);
    RUN_TEST(test_note_with_samples);
    RUN_TEST(test_note_stats_taken);
    RUN_TEST(test_note_memory_and_allocs);
    RUN_TEST(test_note_run_rewritten);
    RUN_TEST(test_note_keeps_unknown_members);
    RUN_TEST(test_note_refuses_foreign);
    RUN_TEST(test_note_parse_errors);
    RUN_TEST(test_note_every_prefix);
    RUN_TEST(test_history_document);
    RUN_TEST(test_stats_only_result);
    RUN_TEST(test_counters);
    RUN_TEST(test_merge_runs);
    RUN_TEST(test_run_stats_round_trip);
    RUN_TEST(test_run_stats_invalid);
    return CHECK_DONE();
}
