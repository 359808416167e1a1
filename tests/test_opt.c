/*
 * test_opt.c - the table-driven option parser: every option type, every
 * spelling ("--name value", "--name=value", "-x value", "-xvalue"),
 * positional arguments and "--", strict seconds and counts, and the errors,
 * each of which must quote the argument at fault.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "error.h"
#include "opt.h"
#include "strbuf.h"
#include "banned.h"

typedef struct test_opts {
    int flag;
    const char *name;
    pr_opt_list tags;
    double min_time_s;
    uint64_t samples;
    const char *output_dir;
} test_opts;

static const pr_opt table[] = {
    {"flag", 'f', PR_OPT_FLAG, offsetof(test_opts, flag), NULL, 0, 0, "turn the flag on"},
    {"name", 'n', PR_OPT_STRING, offsetof(test_opts, name), "NAME", 0, 0, "the name to use"},
    {"tag", 't', PR_OPT_LIST, offsetof(test_opts, tags), "TAG", 0, 0, "add a tag (repeatable)"},
    {"min-time", 'm', PR_OPT_SECONDS, offsetof(test_opts, min_time_s), "SECONDS", 0, 3600,
     "shortest time per benchmark"},
    {"samples", 's', PR_OPT_COUNT, offsetof(test_opts, samples), "N", 1, 1e7,
     "samples per benchmark"},
    /* long enough that help puts the text on its own line */
    {"output-directory-for-results", 0, PR_OPT_STRING, offsetof(test_opts, output_dir), "FOLDER", 0,
     0, "where results go"},
    PR_OPT_END,
};

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Fresh values and positional list, then parse. */
static int parse(test_opts *o, pr_opt_list *pos, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    pos->items = NULL;
    pos->n = 0;
    pr_error_clear();
    return pr_opt_parse(table, o, argc, argv, pos);
}

static void release(test_opts *o, pr_opt_list *pos)
{
    pr_opt_list_release(&o->tags);
    pr_opt_list_release(pos);
}

static void test_long_with_separate_value(void)
{
    char *argv[] = {"--name", "value", "--flag", "--min-time", "2", "--samples", "30"};
    test_opts o;
    pr_opt_list pos;

    CHECK_INT(parse(&o, &pos, ARGC(argv), argv), 0);
    CHECK_STR(o.name, "value");
    CHECK_INT(o.flag, 1);
    CHECK_NEAR(o.min_time_s, 2.0, 0);
    CHECK_INT(o.samples, 30);
    CHECK_INT(pos.n, 0);
    release(&o, &pos);
}

static void test_long_with_equals(void)
{
    char *argv[] = {"--name=value", "--min-time=0.25", "--samples=10000000",
                    "--tag=a=b",    "--name=",         "--output-directory-for-results=out"};
    test_opts o;
    pr_opt_list pos;

    CHECK_INT(parse(&o, &pos, ARGC(argv), argv), 0);
    CHECK_STR(o.name, ""); /* the last one, an empty value, wins */
    CHECK_NEAR(o.min_time_s, 0.25, 0);
    CHECK_INT(o.samples, 10000000);
    CHECK_INT(o.tags.n, 1);
    if (o.tags.n == 1)
        CHECK_STR(o.tags.items[0], "a=b"); /* split at the first '=' only */
    CHECK_STR(o.output_dir, "out");
    CHECK_INT(o.flag, 0);
    release(&o, &pos);
}

static void test_short_forms(void)
{
    char *argv[] = {"-n", "value", "-f", "-s7", "-m", "500ms", "-tfirst", "-t", "second"};
    test_opts o;
    pr_opt_list pos;

    CHECK_INT(parse(&o, &pos, ARGC(argv), argv), 0);
    CHECK_STR(o.name, "value");
    CHECK_INT(o.flag, 1);
    CHECK_INT(o.samples, 7);
    CHECK_NEAR(o.min_time_s, 0.5, 1e-15);
    CHECK_INT(o.tags.n, 2);
    if (o.tags.n == 2) {
        CHECK_STR(o.tags.items[0], "first");
        CHECK_STR(o.tags.items[1], "second");
    }
    release(&o, &pos);

    char *argv2[] = {"-nvalue2"};
    CHECK_INT(parse(&o, &pos, ARGC(argv2), argv2), 0);
    CHECK_STR(o.name, "value2");
    release(&o, &pos);
}

static void test_list_in_order(void)
{
    char *argv[] = {"--tag", "one", "-t", "two", "--tag=three", "-tfour", "--tag", "one"};
    const char *want[] = {"one", "two", "three", "four", "one"};
    test_opts o;
    pr_opt_list pos;
    size_t i;

    CHECK_INT(parse(&o, &pos, ARGC(argv), argv), 0);
    CHECK_INT(o.tags.n, 5);
    for (i = 0; i < o.tags.n && i < 5; i++)
        CHECK_STR(o.tags.items[i], want[i]);
    /* Items are borrowed from argv, not copies. */
    CHECK(o.tags.n == 5 && o.tags.items[0] == argv[1]);
    release(&o, &pos);
    CHECK(o.tags.items == NULL);
    CHECK_INT(o.tags.n, 0);
}

static void test_last_string_wins(void)
{
    char *argv[] = {"--name", "first", "-n", "second", "--name=third"};
    test_opts o;
    pr_opt_list pos;

    CHECK_INT(parse(&o, &pos, ARGC(argv), argv), 0);
    CHECK_STR(o.name, "third");
    CHECK(o.name == argv[4] + strlen("--name="));
    release(&o, &pos);
}

static void test_positional(void)
{
    char *argv[] = {"a",  "--flag", "b",        "-",  "--name", "v",
                    "--", "c",      "--flag=1", "-x", "--",     "--help"};
    const char *want[] = {"a", "b", "-", "c", "--flag=1", "-x", "--", "--help"};
    test_opts o;
    pr_opt_list pos;
    size_t i;

    CHECK_INT(parse(&o, &pos, ARGC(argv), argv), 0);
    CHECK_INT(o.flag, 1);
    CHECK_STR(o.name, "v");
    CHECK_INT(pos.n, 8);
    for (i = 0; i < pos.n && i < 8; i++)
        CHECK_STR(pos.items[i], want[i]);
    release(&o, &pos);

    /* "--flag" after "--" is positional and does not set the flag. */
    char *argv2[] = {"--", "--flag"};
    CHECK_INT(parse(&o, &pos, ARGC(argv2), argv2), 0);
    CHECK_INT(o.flag, 0);
    CHECK_INT(pos.n, 1);
    if (pos.n == 1)
        CHECK_STR(pos.items[0], "--flag");
    release(&o, &pos);

    /* "-" alone, and nothing at all. */
    char *argv3[] = {"-"};
    CHECK_INT(parse(&o, &pos, ARGC(argv3), argv3), 0);
    CHECK_INT(pos.n, 1);
    if (pos.n == 1)
        CHECK_STR(pos.items[0], "-");
    release(&o, &pos);

    CHECK_INT(parse(&o, &pos, 0, NULL), 0);
    CHECK_INT(pos.n, 0);
    release(&o, &pos);
}

static void test_help(void)
{
    char *argv[] = {"--flag", "--help", "--nope"};
    char *argv2[] = {"pos", "-h"};
    test_opts o;
    pr_opt_list pos;

    /* --help wins over a later unknown option. */
    CHECK_INT(parse(&o, &pos, ARGC(argv), argv), PR_OPT_HELP);
    release(&o, &pos);
    CHECK_INT(parse(&o, &pos, ARGC(argv2), argv2), PR_OPT_HELP);
    release(&o, &pos);
}

static void test_seconds_units(void)
{
    static const struct {
        const char *text;
        double want;
    } cases[] = {
        {"0.5", 0.5},   {"0.5s", 0.5}, {"500ms", 0.5}, {"200us", 200e-6}, {"100ns", 100e-9},
        {"1e-3", 1e-3}, {"0", 0},      {"3600", 3600}, {"3600s", 3600},   {"2.5e3ms", 2.5},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *argv[] = {"--min-time", (char *)cases[i].text};
        test_opts o;
        pr_opt_list pos;
        int rc = parse(&o, &pos, ARGC(argv), argv);
        if (rc != 0)
            fprintf(stderr, "case '%s': %s\n", cases[i].text, pr_error_last());
        CHECK_INT(rc, 0);
        CHECK_NEAR(o.min_time_s, cases[i].want, cases[i].want * 1e-12);
        release(&o, &pos);
    }
}

static void test_parse_seconds_direct(void)
{
    double v = -1;

    CHECK_INT(pr_opt_parse_seconds("250ms", "--warmup", 0, 10, &v), 0);
    CHECK_NEAR(v, 0.25, 1e-15);
    v = 7;
    CHECK_INT(pr_opt_parse_seconds("11", "--warmup", 0, 10, &v), PR_EUSAGE);
    CHECK_NEAR(v, 7, 0); /* untouched on error */
    CHECK_CONTAINS(pr_error_last(), "--warmup");
    CHECK_CONTAINS(pr_error_last(), "'11'");
    CHECK_INT(pr_opt_parse_seconds("", "--warmup", 0, 10, &v), PR_EUSAGE);
    CHECK_INT(pr_opt_parse_seconds("1 s", "--warmup", 0, 10, &v), PR_EUSAGE);
    CHECK_INT(pr_opt_parse_seconds("1sec", "--warmup", 0, 10, &v), PR_EUSAGE);
    CHECK_INT(pr_opt_parse_seconds("ms", "--warmup", 0, 10, &v), PR_EUSAGE);
}

static void test_parse_count_direct(void)
{
    uint64_t v = 5;

    CHECK_INT(pr_opt_parse_count("18446744073709551615", "--n", 0, 2e19, &v), 0);
    CHECK(v == UINT64_MAX);
    v = 5;
    CHECK_INT(pr_opt_parse_count("18446744073709551616", "--n", 0, 2e19, &v), PR_EUSAGE);
    CHECK_INT(v, 5);
    CHECK_CONTAINS(pr_error_last(), "'18446744073709551616'");
    CHECK_INT(pr_opt_parse_count("", "--n", 0, 10, &v), PR_EUSAGE);
    CHECK_INT(pr_opt_parse_count("+3", "--n", 0, 10, &v), PR_EUSAGE);
    CHECK_INT(pr_opt_parse_count(" 3", "--n", 0, 10, &v), PR_EUSAGE);
    CHECK_INT(pr_opt_parse_count("3 ", "--n", 0, 10, &v), PR_EUSAGE);
    CHECK_INT(pr_opt_parse_count("0x10", "--n", 0, 100, &v), PR_EUSAGE);
    CHECK_INT(v, 5);
}

/* Parses ARGV, expects PR_EUSAGE and a message containing QUOTED. */
static void expect_usage(int argc, char **argv, const char *quoted)
{
    test_opts o;
    pr_opt_list pos;
    int rc = parse(&o, &pos, argc, argv);

    if (rc != PR_EUSAGE)
        fprintf(stderr, "  argument '%s': rc %d\n", argv[argc - 1], rc);
    CHECK_INT(rc, PR_EUSAGE);
    CHECK_CONTAINS(pr_error_last(), quoted);
    release(&o, &pos);
}

static void test_errors(void)
{
    char *unknown[] = {"--nope"};
    char *unknown_eq[] = {"--nope=3"};
    char *unknown_short[] = {"-q"};
    char *zero[] = {"--samples", "0"};
    char *above[] = {"--samples", "10000001"};
    char *letters[] = {"--samples", "abc"};
    char *fraction[] = {"--samples", "1.5"};
    char *negative[] = {"--samples", "-3"};
    char *overflow[] = {"--samples", "99999999999999999999999"};
    char *empty_count[] = {"--samples="};
    char *t_letters[] = {"--min-time", "abc"};
    char *t_negative[] = {"--min-time", "-1"};
    char *t_hours[] = {"--min-time", "5h"};
    char *t_nan[] = {"--min-time", "nan"};
    char *t_inf[] = {"--min-time", "inf"};
    char *t_above[] = {"--min-time", "3601"};
    char *t_above_ms[] = {"-m", "3600001ms"};
    char *flag_value[] = {"--flag=1"};
    char *flag_short_value[] = {"-f1"};
    char *missing[] = {"--flag", "--name"};
    char *missing_short[] = {"-s"};
    char *missing_list[] = {"a", "--tag"};

    expect_usage(ARGC(unknown), unknown, "'--nope'");
    expect_usage(ARGC(unknown_eq), unknown_eq, "'--nope=3'");
    expect_usage(ARGC(unknown_short), unknown_short, "'-q'");
    expect_usage(ARGC(zero), zero, "'0'");
    expect_usage(ARGC(zero), zero, "--samples");
    expect_usage(ARGC(above), above, "'10000001'");
    expect_usage(ARGC(letters), letters, "'abc'");
    expect_usage(ARGC(fraction), fraction, "'1.5'");
    expect_usage(ARGC(negative), negative, "'-3'");
    expect_usage(ARGC(overflow), overflow, "'99999999999999999999999'");
    expect_usage(ARGC(empty_count), empty_count, "''");
    expect_usage(ARGC(t_letters), t_letters, "'abc'");
    expect_usage(ARGC(t_letters), t_letters, "--min-time");
    expect_usage(ARGC(t_negative), t_negative, "'-1'");
    expect_usage(ARGC(t_hours), t_hours, "'5h'");
    expect_usage(ARGC(t_nan), t_nan, "'nan'");
    expect_usage(ARGC(t_inf), t_inf, "'inf'");
    expect_usage(ARGC(t_above), t_above, "'3601'");
    expect_usage(ARGC(t_above_ms), t_above_ms, "'3600001ms'");
    expect_usage(ARGC(flag_value), flag_value, "'--flag");
    expect_usage(ARGC(flag_short_value), flag_short_value, "'-f1'");
    expect_usage(ARGC(missing), missing, "'--name'");
    expect_usage(ARGC(missing), missing, "NAME");
    expect_usage(ARGC(missing_short), missing_short, "'-s'");
    expect_usage(ARGC(missing_list), missing_list, "'--tag'");
}

static void test_error_leaves_earlier_values(void)
{
    /* Parsing stops at the first error; what came before is stored, the
     * bad value is not. */
    char *argv[] = {"--samples", "12", "--samples", "0", "--flag"};
    test_opts o;
    pr_opt_list pos;

    CHECK_INT(parse(&o, &pos, ARGC(argv), argv), PR_EUSAGE);
    CHECK_INT(o.samples, 12);
    CHECK_INT(o.flag, 0);
    release(&o, &pos);
}

static void test_help_text(void)
{
    static const char *want[] = {"--flag",
                                 "-f, --flag",
                                 "--name",
                                 "NAME",
                                 "--tag",
                                 "TAG",
                                 "--min-time",
                                 "SECONDS",
                                 "--samples",
                                 "N",
                                 "-s, --samples",
                                 "--output-directory-for-results FOLDER",
                                 "turn the flag on",
                                 "samples per benchmark",
                                 "where results go"};
    pr_strbuf out = PR_STRBUF_INIT;
    const char *s;
    size_t i;
    int lines = 0;

    pr_opt_help(&out, table);
    CHECK_INT(pr_strbuf_error(&out), 0);
    s = pr_strbuf_cstr(&out);
    for (i = 0; i < sizeof want / sizeof want[0]; i++)
        CHECK_CONTAINS(s, want[i]);
    /* A flag shows no value name. */
    CHECK(strstr(s, "--flag VALUE") == NULL);
    for (; *s; s++)
        lines += *s == '\n';
    /* One line per option plus one for the wrapped long one. */
    CHECK_INT(lines, 7);
    pr_strbuf_release(&out);
}

static void test_list_release_null(void)
{
    pr_opt_list empty = {NULL, 0};

    pr_opt_list_release(NULL);
    pr_opt_list_release(&empty);
    CHECK(empty.items == NULL && empty.n == 0);
}

int main(void)
{
    RUN_TEST(test_long_with_separate_value);
    RUN_TEST(test_long_with_equals);
    RUN_TEST(test_short_forms);
    RUN_TEST(test_list_in_order);
    RUN_TEST(test_last_string_wins);
    RUN_TEST(test_positional);
    RUN_TEST(test_help);
    RUN_TEST(test_seconds_units);
    RUN_TEST(test_parse_seconds_direct);
    RUN_TEST(test_parse_count_direct);
    RUN_TEST(test_errors);
    RUN_TEST(test_error_leaves_earlier_values);
    RUN_TEST(test_help_text);
    RUN_TEST(test_list_release_null);
    return CHECK_DONE();
}
