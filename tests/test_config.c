/*
 * test_config.c - perfreg.json: every key, every wrong type, unknown and
 * repeated keys, ranges (the same as the command-line options'), paths
 * taken relative to the config's folder, and finding the file by walking
 * up to the repository's root. Files live in a mkdtemp folder under /tmp,
 * removed at the end.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "compare.h"
#include "config.h"
#include "error.h"
#include "strbuf.h"
#include "banned.h"

static char tmp_root[] = "/tmp/perfreg-test-config-XXXXXX";

/* "<tmp_root>/<rel>" in a heap string; aborts the test run on failure. */
static char *tmp_path(const char *rel)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    pr_strbuf_addf(&sb, "%s/%s", tmp_root, rel);
    if (pr_strbuf_error(&sb)) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return pr_strbuf_detach(&sb, NULL);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(path);
        exit(2);
    }
}

static void make_dir(const char *rel)
{
    char *p = tmp_path(rel);
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
        perror(p);
        exit(2);
    }
    free(p);
}

/* Loads TEXT as <tmp>/cfg/perfreg.json into CFG (initialised here). */
static int load_text(const char *text, pr_config *cfg)
{
    char *path = tmp_path("cfg/perfreg.json");
    int err;
    write_file(path, text);
    pr_config_init(cfg);
    err = pr_config_load(cfg, path);
    free(path);
    return err;
}

/* TEXT is refused with PR_EINVALID and a message holding WANT. */
static void check_refused(const char *text, const char *want)
{
    pr_config cfg;
    int err = load_text(text, &cfg);
    CHECK_INT(err, PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), want);
    CHECK_CONTAINS(pr_error_last(), "cfg/perfreg.json': ");
    pr_config_release(&cfg);
}

static void check_accepted(const char *text)
{
    pr_config cfg;
    int err = load_text(text, &cfg);
    CHECK_INT(err, 0);
    if (err)
        fprintf(stderr, "  refused %s: %s\n", text, pr_error_last());
    pr_config_release(&cfg);
}

static void test_every_key(void)
{
    pr_config cfg;
    char *want;
    CHECK_INT(load_text("{\n"
                        "  \"perfreg_config\": 1,\n"
                        "  \"suites\": [\"build/bench/a\", \"/opt/bench/b\"],\n"
                        "  \"store\": \".perfreg\",\n"
                        "  \"baselines\": \"/srv/baselines\",\n"
                        "  \"keep\": 30,\n"
                        "  \"run\": {\"min_time\": 0.5, \"warmup\": 0.1, \"samples\": 20,\n"
                        "          \"iterations\": 1000, \"timeout\": 0, \"isolate\": false},\n"
                        "  \"compare\": {\"fail\": [\"mean:10%\", \"median:0.5ms\"],\n"
                        "              \"warn\": \"mean:5%,stddev:40%\", \"alpha\": 0.01}\n"
                        "}\n",
                        &cfg),
              0);
    want = tmp_path("cfg/perfreg.json");
    CHECK_STR(cfg.path, want);
    free(want);
    CHECK_INT(cfg.n_suites, 2);
    want = tmp_path("cfg/build/bench/a");
    CHECK_STR(cfg.suites[0], want); /* relative to the config's folder */
    free(want);
    CHECK_STR(cfg.suites[1], "/opt/bench/b"); /* absolute: as it is */
    want = tmp_path("cfg/.perfreg");
    CHECK_STR(cfg.store, want);
    free(want);
    CHECK_STR(cfg.baselines, "/srv/baselines");
    CHECK(cfg.has_keep && cfg.keep == 30);
    CHECK(cfg.has_min_time && cfg.min_time_s == 0.5);
    CHECK(cfg.has_warmup && cfg.warmup_s == 0.1);
    CHECK(cfg.has_samples && cfg.samples == 20);
    CHECK(cfg.has_iterations && cfg.iterations == 1000);
    CHECK(cfg.has_timeout && cfg.timeout_s == 0);
    CHECK(cfg.has_isolate && cfg.isolate == 0);
    CHECK_INT(cfg.n_fail, 2);
    CHECK_STR(cfg.fail[0], "mean:10%");
    CHECK_STR(cfg.fail[1], "median:0.5ms");
    CHECK_INT(cfg.n_warn, 1); /* a string is one entry, commas and all */
    CHECK_STR(cfg.warn[0], "mean:5%,stddev:40%");
    CHECK(cfg.has_alpha && cfg.alpha == 0.01);
    pr_config_release(&cfg);
    CHECK(cfg.path == NULL && cfg.suites == NULL && cfg.n_suites == 0);
    pr_config_release(NULL);
}

/* The A/B keys: compare's budget and policy, and how to build a commit. */
static void test_ab_keys(void)
{
    pr_config cfg;
    CHECK_INT(load_text("{\"compare\": {\"inconclusive\": \"fail\", \"rounds\": 8,\n"
                        "             \"max_rounds\": 30, \"max_time\": 120},\n"
                        " \"build\": {\"command\": \"make -C {source} O={build}\",\n"
                        "           \"suites\": [\"bench/a\", \"bench/b\"]}}",
                        &cfg),
              0);
    CHECK(cfg.has_inconclusive && cfg.inconclusive == PR_INCONCLUSIVE_FAIL);
    CHECK(cfg.has_rounds && cfg.rounds == 8);
    CHECK(cfg.has_max_rounds && cfg.max_rounds == 30);
    CHECK(cfg.has_max_time && cfg.max_time_s == 120);
    /* the command and the suites' paths inside the build folder, as they are */
    CHECK_STR(cfg.build_command, "make -C {source} O={build}");
    CHECK_INT(cfg.n_build_suites, 2);
    CHECK_STR(cfg.build_suites[0], "bench/a");
    CHECK_STR(cfg.build_suites[1], "bench/b");
    pr_config_release(&cfg);
    CHECK(cfg.build_command == NULL && cfg.build_suites == NULL);
    /* one suite may be a string */
    CHECK_INT(load_text("{\"build\": {\"command\": \"true\", \"suites\": \"x\"}}", &cfg), 0);
    CHECK_INT(cfg.n_build_suites, 1);
    pr_config_release(&cfg);

    check_refused("{\"compare\": {\"inconclusive\": \"maybe\"}}",
                  "compare.inconclusive: expected \"pass\", \"warn\" or \"fail\"");
    check_refused("{\"compare\": {\"inconclusive\": 1}}", "compare.inconclusive");
    check_refused("{\"compare\": {\"rounds\": 1}}", "compare.rounds: expected a whole number from 2");
    check_refused("{\"compare\": {\"max_rounds\": 10000}}", "compare.max_rounds");
    check_refused("{\"compare\": {\"max_time\": -1}}", "compare.max_time");
    check_refused("{\"compare\": {\"rounds\": 20, \"max_rounds\": 10}}",
                  "compare.max_rounds: below compare.rounds");
    check_refused("{\"build\": {\"command\": \"make\"}}", "build: give both \"command\"");
    check_refused("{\"build\": {\"suites\": [\"a\"]}}", "build: give both");
    check_refused("{\"build\": {\"command\": \"\", \"suites\": [\"a\"]}}",
                  "build.command: expected a non-empty string");
    check_refused("{\"build\": {\"command\": \"make\", \"suites\": [\"a\", 3]}}",
                  "build.suites[1]: expected a non-empty string");
    check_refused("{\"build\": {\"cmd\": \"make\"}}", "build.cmd: unknown key (known: command, suites)");
}

static void test_empty_object_sets_nothing(void)
{
    pr_config cfg;
    CHECK_INT(load_text("{}", &cfg), 0);
    CHECK(cfg.path != NULL);
    CHECK(cfg.n_suites == 0 && !cfg.has_keep);
    /* the default folders, in the config's folder */
    CHECK(cfg.store && strstr(cfg.store, "cfg/.perfreg") && cfg.store[0] == '/');
    CHECK(cfg.baselines && strstr(cfg.baselines, "cfg/baselines"));
    CHECK(!cfg.has_min_time && !cfg.has_warmup && !cfg.has_samples && !cfg.has_iterations);
    CHECK(!cfg.has_timeout && !cfg.has_isolate && !cfg.n_fail && !cfg.n_warn && !cfg.has_alpha);
    pr_config_release(&cfg);
    CHECK_INT(load_text("{\"suites\": [], \"compare\": {\"fail\": []}, \"run\": {}}", &cfg), 0);
    CHECK_INT(cfg.n_suites, 0);
    CHECK_INT(cfg.n_fail, 0);
    pr_config_release(&cfg);
}

static void test_wrong_types(void)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"{\"perfreg_config\": \"1\"}", "perfreg_config: expected 1"},
        {"{\"perfreg_config\": 2}", "perfreg_config: expected 1"},
        {"{\"suites\": \"build/bench/a\"}", "suites: expected an array of paths"},
        {"{\"suites\": [1]}", "suites[0]: expected a path (a non-empty string)"},
        {"{\"suites\": [\"a/x\", \"\"]}", "suites[1]: expected a path"},
        {"{\"suites\": [\"a/x\", null]}", "suites[1]: expected a path"},
        {"{\"store\": 1}", "store: expected a path (a non-empty string)"},
        {"{\"store\": \"\"}", "store: expected a path"},
        {"{\"baselines\": [\"b\"]}", "baselines: expected a path"},
        {"{\"keep\": \"10\"}", "keep: expected a whole number from 1 to 1000000000"},
        {"{\"keep\": 2.5}", "keep: expected a whole number"},
        {"{\"keep\": true}", "keep: expected a whole number"},
        {"{\"run\": []}", "run: expected an object"},
        {"{\"run\": {\"min_time\": \"0.5s\"}}", "run.min_time: expected a number of seconds from"},
        {"{\"run\": {\"warmup\": null}}", "run.warmup: expected a number of seconds"},
        {"{\"run\": {\"samples\": 20.5}}", "run.samples: expected a whole number from 1 to"},
        {"{\"run\": {\"iterations\": \"1000\"}}", "run.iterations: expected a whole number"},
        {"{\"run\": {\"timeout\": false}}", "run.timeout: expected a number of seconds"},
        {"{\"run\": {\"isolate\": 1}}", "run.isolate: expected true or false"},
        {"{\"compare\": 1}", "compare: expected an object"},
        {"{\"compare\": {\"fail\": 10}}", "compare.fail: expected a threshold such as"},
        {"{\"compare\": {\"fail\": [\"mean:10%\", 5]}}", "compare.fail[1]: expected a threshold"},
        {"{\"compare\": {\"warn\": {}}}", "compare.warn: expected a threshold"},
        {"{\"compare\": {\"alpha\": \"0.05\"}}", "compare.alpha: expected a number from"},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_refused(cases[i].text, cases[i].want);
}

static void test_unknown_and_repeated_keys(void)
{
    check_refused("{\"suite\": [\"a/x\"]}", "suite: unknown key (known: perfreg_config, suites,");
    check_refused("{\"run\": {\"min-time\": 0.5}}",
                  "run.min-time: unknown key (known: min_time, warmup, samples");
    check_refused("{\"compare\": {\"fail_on\": 1}}", "compare.fail_on: unknown key");
    check_refused("{\"keep\": 3, \"keep\": 4}", "keep: given twice");
    check_refused("{\"run\": {\"samples\": 3, \"samples\": 3}}", "run.samples: given twice");
    check_refused("{\"st\\u00f6re\": 1}", "st\xc3\xb6re: unknown key");
}

static void test_bad_values(void)
{
    check_refused("{\"compare\": {\"fail\": [\"mena:10%\"]}}",
                  "compare.fail[0]: 'mena:10%': unknown statistic 'mena'");
    check_refused("{\"compare\": {\"warn\": \"mean:-5%\"}}", "compare.warn: 'mean:-5%'");
    check_refused("{\"compare\": {\"alpha\": 0.7}}",
                  "compare.alpha: expected a number from 1e-09 to 0.5");
    check_refused("{\"compare\": {\"alpha\": 0}}", "compare.alpha");
    check_accepted("{\"compare\": {\"alpha\": 0.5}}");
    check_refused("{\"keep\": 0}", "keep: expected a whole number from 1 to 1000000000");
    check_refused("{\"run\": {\"samples\": 1e300}}", "run.samples");
    check_refused("{\"store\": \"a\\u00e9\\u0000\"}", "not valid JSON");
    check_refused("{\"store\": \"\xff\"}", "store: not valid UTF-8");
    check_refused("{\"suites\": [\"x/\xc3\"]}", "suites[0]: not valid UTF-8");
    /* two suites with one name would record into one place */
    check_refused("{\"suites\": [\"a/bench\", \"b/bench\"]}",
                  "suites[1]: 'b/bench' has the name of suites[0]");
}

static void test_file_problems(void)
{
    pr_config cfg;
    char *missing = tmp_path("cfg/none.json"), *dir = tmp_path("cfg");
    check_refused("", "empty file");
    check_refused("{\"keep\": 3,}", "not valid JSON near line 1");
    check_refused("[\"a/x\"]", "expected an object of settings");
    check_refused("{} {}", "not valid JSON");
    pr_config_init(&cfg);
    CHECK_INT(pr_config_load(&cfg, missing), PR_EIO);
    CHECK_CONTAINS(pr_error_last(), "none.json': cannot open");
    pr_config_release(&cfg);
    CHECK_INT(pr_config_load(&cfg, dir), PR_EIO);
    CHECK_CONTAINS(pr_error_last(), "is a directory");
    pr_config_release(&cfg);
    free(missing);
    free(dir);
}

/* The config's ranges are the command-line options': each end is taken,
 * and a step past it refused. */
static void test_ranges_match_options(void)
{
    static const struct {
        const char *option, *key, *section;
    } pairs[] = {
        {"min-time", "min_time", "run"}, {"warmup", "warmup", "run"},
        {"samples", "samples", "run"},   {"iterations", "iterations", "run"},
        {"timeout", "timeout", "run"},   {"keep", "keep", NULL},
    };
    size_t i;
    for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const pr_opt *o;
        double below, above;
        char text[256], key[64];
        for (o = pr_cli_run_options; o->long_name; o++)
            if (strcmp(o->long_name, pairs[i].option) == 0)
                break;
        CHECK(o->long_name != NULL);
        if (!o->long_name)
            continue;
        below = o->min > 0 ? o->min / 2 : -1;
        above = o->max * 2;
        snprintf(key, sizeof key, "%s%s%s", pairs[i].section ? pairs[i].section : "",
                 pairs[i].section ? "." : "", pairs[i].key);
#define CONFIG_WITH(v)                                                                             \
    (pairs[i].section ? snprintf(text, sizeof text, "{\"%s\": {\"%s\": %.17g}}", pairs[i].section, \
                                 pairs[i].key, (v))                                                \
                      : snprintf(text, sizeof text, "{\"%s\": %.17g}", pairs[i].key, (v)))
        CONFIG_WITH(o->min);
        check_accepted(text);
        CONFIG_WITH(o->max);
        check_accepted(text);
        CONFIG_WITH(below);
        check_refused(text, key);
        CONFIG_WITH(above);
        check_refused(text, key);
#undef CONFIG_WITH
    }
}

static void test_relative_paths(void)
{
    pr_config cfg;
    char *path = tmp_path("cfg/perfreg.json");
    char cwd[4096];

    /* a config in the current folder: paths as written, a bare suite
     * name with "./" */
    write_file(path, "{\"suites\": [\"bench\", \"../up/b\"], \"store\": \"st\"}");
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK_INT(chdir(tmp_root), 0);
    CHECK_INT(chdir("cfg"), 0);
    pr_config_init(&cfg);
    CHECK_INT(pr_config_load(&cfg, "perfreg.json"), 0);
    CHECK_STR(cfg.suites[0], "./bench");
    CHECK_STR(cfg.suites[1], "../up/b");
    CHECK_STR(cfg.store, "st");
    CHECK_STR(cfg.baselines, "baselines");
    pr_config_release(&cfg);
    /* one folder down: everything through ".." */
    make_dir("cfg/sub");
    CHECK_INT(chdir("sub"), 0);
    CHECK_INT(pr_config_load(&cfg, "../perfreg.json"), 0);
    CHECK_STR(cfg.suites[0], "../bench");
    CHECK_STR(cfg.suites[1], "../../up/b");
    CHECK_STR(cfg.store, "../st");
    CHECK_STR(cfg.baselines, "../baselines");
    pr_config_release(&cfg);
    CHECK_INT(chdir(cwd), 0);
    free(path);
}

static void test_find_walks_up(void)
{
    char *start, *found = NULL, *file, *want;
    char cwd[4096];

    /* proj/.git, proj/perfreg.json; from proj/a/b */
    make_dir("proj");
    make_dir("proj/.git");
    make_dir("proj/a");
    make_dir("proj/a/b");
    file = tmp_path("proj/perfreg.json");
    write_file(file, "{}");
    start = tmp_path("proj/a/b");
    CHECK_INT(pr_config_find(start, &found), 0);
    want = tmp_path("proj/a/b/../../perfreg.json");
    CHECK_STR(found, want);
    free(want);
    free(found);
    /* the nearest one wins */
    free(file);
    file = tmp_path("proj/a/perfreg.json");
    write_file(file, "{}");
    CHECK_INT(pr_config_find(start, &found), 0);
    want = tmp_path("proj/a/b/../perfreg.json");
    CHECK_STR(found, want);
    free(want);
    free(found);
    unlink(file);
    /* from the current folder, as the CLI asks: a relative path */
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK_INT(chdir(start), 0);
    CHECK_INT(pr_config_find(NULL, &found), 0);
    CHECK_STR(found, "../../perfreg.json");
    free(found);
    CHECK_INT(chdir(".."), 0);
    CHECK_INT(chdir(".."), 0);
    CHECK_INT(pr_config_find("", &found), 0);
    CHECK_STR(found, "perfreg.json");
    free(found);
    CHECK_INT(chdir(cwd), 0);
    free(start);
    free(file);
}

static void test_find_stops_at_repository_root(void)
{
    char *start, *found = NULL, *file;

    /* outer/perfreg.json belongs to another project than outer/repo */
    make_dir("outer");
    make_dir("outer/repo");
    make_dir("outer/repo/src");
    file = tmp_path("outer/perfreg.json");
    write_file(file, "{}");
    free(file);
    file = tmp_path("outer/repo/.git"); /* a worktree's .git is a file */
    write_file(file, "gitdir: elsewhere\n");
    start = tmp_path("outer/repo/src");
    found = (char *)"unchanged";
    CHECK_INT(pr_config_find(start, &found), 0);
    CHECK(found == NULL); /* not found: no config */
    /* ... which the repository's own config changes */
    free(file);
    file = tmp_path("outer/repo/perfreg.json");
    write_file(file, "{}");
    CHECK_INT(pr_config_find(start, &found), 0);
    CHECK(found && strstr(found, "outer/repo/src/../perfreg.json"));
    free(found);
    free(start);
    free(file);
}

static void test_find_none_up_to_root(void)
{
    char *found = (char *)"unchanged";
    /* the filesystem root ends the walk (no .git on the way) */
    CHECK_INT(pr_config_find("/", &found), 0);
    if (found) /* a machine with /perfreg.json: the walk found it */
        CHECK_STR(found, "/perfreg.json");
    free(found);
}

static void remove_tree(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;

    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    if ((d = opendir(path)) != NULL) {
        while ((e = readdir(d)) != NULL) {
            pr_strbuf child = PR_STRBUF_INIT;
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            pr_strbuf_addf(&child, "%s/%s", path, e->d_name);
            if (!pr_strbuf_error(&child))
                remove_tree(child.buf);
            pr_strbuf_release(&child);
        }
        closedir(d);
    }
    rmdir(path);
}

int main(void)
{
    int rc;

    if (!mkdtemp(tmp_root)) {
        perror("mkdtemp");
        return 2;
    }
    make_dir("cfg");
    RUN_TEST(test_every_key);
    RUN_TEST(test_ab_keys);
    RUN_TEST(test_empty_object_sets_nothing);
    RUN_TEST(test_wrong_types);
    RUN_TEST(test_unknown_and_repeated_keys);
    RUN_TEST(test_bad_values);
    RUN_TEST(test_file_problems);
    RUN_TEST(test_ranges_match_options);
    RUN_TEST(test_relative_paths);
    RUN_TEST(test_find_walks_up);
    RUN_TEST(test_find_stops_at_repository_root);
    RUN_TEST(test_find_none_up_to_root);
    rc = CHECK_DONE();
    remove_tree(tmp_root);
    return rc;
}
