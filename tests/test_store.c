/*
 * test_store.c - atomic writes, folder creation, suite folder names and run
 * numbering, including four processes recording into one store at once.
 * Everything happens in a mkdtemp folder under /tmp, removed at the end.
 * The tests run as root in CI, so write failures are provoked with missing
 * folders and regular files in the way, never with permission bits.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "error.h"
#include "run.h"
#include "store.h"
#include "strbuf.h"
#include "banned.h"

#define N_CHILDREN 4
#define RUNS_PER_CHILD 10

static char tmp_root[] = "/tmp/perfreg-test-store-XXXXXX";

/* "<tmp_root>/<name>" in a heap string; aborts the test run on failure. */
static char *tmp_path(const char *fmt, const char *name)
{
    pr_strbuf sb = PR_STRBUF_INIT;

    pr_strbuf_addf(&sb, "%s/", tmp_root);
    pr_strbuf_addf(&sb, fmt, name);
    if (pr_strbuf_error(&sb)) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return pr_strbuf_detach(&sb, NULL);
}

/* The whole of PATH in a heap buffer, NULL when it cannot be read. */
static char *read_file(const char *path, size_t *len)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    char chunk[4096];
    ssize_t n;
    int fd = open(path, O_RDONLY);

    *len = 0;
    if (fd < 0)
        return NULL;
    while ((n = read(fd, chunk, sizeof chunk)) > 0)
        pr_strbuf_add(&sb, chunk, (size_t)n);
    close(fd);
    if (n < 0 || pr_strbuf_error(&sb)) {
        pr_strbuf_release(&sb);
        return NULL;
    }
    return pr_strbuf_detach(&sb, len);
}

static int file_equals(const char *path, const char *data, size_t len)
{
    size_t got_len;
    char *got = read_file(path, &got_len);
    int same = got && got_len == len && memcmp(got, data, len) == 0;

    free(got);
    return same;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int write_plain(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    ssize_t n;

    if (fd < 0)
        return -1;
    n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Entries of DIR whose name starts with PREFIX (and, when SUFFIX is not
 * NULL, ends with it); -1 when DIR cannot be read. */
static int count_entries(const char *dir, const char *prefix, const char *suffix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
            continue;
        if (suffix &&
            (len < strlen(suffix) || strcmp(e->d_name + len - strlen(suffix), suffix) != 0))
            continue;
        n++;
    }
    closedir(d);
    return n;
}

static int count_temp_files(const char *dir)
{
    return count_entries(dir, ".perfreg-tmp-", NULL);
}

/* Removes PATH and everything below it. */
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
    d = opendir(path);
    if (d) {
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

/* A run of SUITE at DATE on SHORT_COMMIT (any may be NULL). */
static void make_run(pr_run *run, const char *suite, const char *short_commit, const char *date)
{
    pr_run_init(run);
    run->suite = pr_strdup(suite);
    run->git.short_commit = pr_strdup(short_commit);
    run->context.date = pr_strdup(date);
}

/* --- pr_store_write_atomic ------------------------------------------------ */

static void test_write_exact_bytes(void)
{
    static const char data[] = "line one\n\0binary\xff\x01 tail";
    char *path = tmp_path("%s", "exact.bin");
    char *empty = tmp_path("%s", "empty.bin");
    char *big_path = tmp_path("%s", "big.bin");
    size_t big_len = 3u << 20, i;
    char *big = malloc(big_len);

    CHECK_INT(pr_store_write_atomic(path, data, sizeof data - 1), 0);
    CHECK(file_equals(path, data, sizeof data - 1));

    CHECK_INT(pr_store_write_atomic(empty, "", 0), 0);
    CHECK(exists(empty));
    CHECK(file_equals(empty, "", 0));

    /* Larger than one write() may take in one go on some systems. */
    CHECK(big != NULL);
    if (big) {
        for (i = 0; i < big_len; i++)
            big[i] = (char)(i * 131 + (i >> 13));
        CHECK_INT(pr_store_write_atomic(big_path, big, big_len), 0);
        CHECK(file_equals(big_path, big, big_len));
    }
    CHECK_INT(count_temp_files(tmp_root), 0);

    unlink(path);
    unlink(empty);
    unlink(big_path);
    free(big);
    free(path);
    free(empty);
    free(big_path);
}

static void test_write_replaces_atomically(void)
{
    char *path = tmp_path("%s", "replace.json");
    char old_text[16] = {0};
    struct stat before, after;
    int old_fd;

    CHECK_INT(write_plain(path, "old contents"), 0);
    CHECK_INT(stat(path, &before), 0);
    old_fd = open(path, O_RDONLY);
    CHECK(old_fd >= 0);

    CHECK_INT(pr_store_write_atomic(path, "new", 3), 0);
    CHECK(file_equals(path, "new", 3));

    /* Replaced by rename, not rewritten in place: the file open before
     * still holds the old bytes, and the name points at a new inode. */
    CHECK_INT(stat(path, &after), 0);
    CHECK(before.st_ino != after.st_ino);
    if (old_fd >= 0) {
        CHECK_INT(pread(old_fd, old_text, sizeof old_text - 1, 0), 12);
        CHECK_STR(old_text, "old contents");
        close(old_fd);
    }
    CHECK_INT(count_temp_files(tmp_root), 0);
    unlink(path);
    free(path);
}

static void test_write_missing_folder(void)
{
    char *dir = tmp_path("%s", "no-such-folder");
    char *path = tmp_path("%s", "no-such-folder/out.json");
    int rc;

    pr_error_clear();
    rc = pr_store_write_atomic(path, "data", 4);
    CHECK_INT(rc, PR_EIO);
    CHECK(pr_error_last()[0] != '\0');
    CHECK(!exists(dir));
    CHECK(!exists(path));
    CHECK_INT(count_temp_files(tmp_root), 0);
    free(dir);
    free(path);
}

static void test_write_missing_folder_message_names_path(void)
{
    /* The message should name the file the caller asked for, not only its
     * folder, so the user can tell which of several outputs failed. */
    char *path = tmp_path("%s", "no-such-folder/out.json");

    CHECK_INT(pr_store_write_atomic(path, "data", 4), PR_EIO);
    CHECK_CONTAINS(pr_error_last(), path);
    free(path);
}

static void test_write_parent_is_file(void)
{
    char *file = tmp_path("%s", "plain-file");
    char *path = tmp_path("%s", "plain-file/out.json");

    CHECK_INT(write_plain(file, "i am a file"), 0);
    CHECK_INT(pr_store_write_atomic(path, "data", 4), PR_EIO);
    CHECK(file_equals(file, "i am a file", 11));
    CHECK_INT(count_temp_files(tmp_root), 0);
    unlink(file);
    free(file);
    free(path);
}

static void test_write_onto_folder_cleans_temp(void)
{
    /* The temporary file is written, then rename fails because a folder
     * holds the name: the temporary must be removed, the folder kept. */
    char *dir = tmp_path("%s", "occupied");
    char *inside = tmp_path("%s", "occupied/keep");

    CHECK_INT(mkdir(dir, 0777), 0);
    CHECK_INT(write_plain(inside, "keep"), 0);
    pr_error_clear();
    CHECK_INT(pr_store_write_atomic(dir, "data", 4), PR_EIO);
    CHECK_CONTAINS(pr_error_last(), dir);
    CHECK(is_dir(dir));
    CHECK(file_equals(inside, "keep", 4));
    CHECK_INT(count_temp_files(tmp_root), 0);
    remove_tree(dir);
    free(dir);
    free(inside);
}

/* Temporary files that killed writers left behind are removed by the next
 * write to their folder once they are an hour old; a young one (a writer
 * still at work) and other dot files stay. */
static void test_write_sweeps_stale_temps(void)
{
    char *dir = tmp_path("%s", "sweep");
    char *stale = tmp_path("%s", "sweep/.perfreg-tmp-AbC123");
    char *young = tmp_path("%s", "sweep/.perfreg-tmp-XyZ789");
    char *other = tmp_path("%s", "sweep/.perfreg-tmp-notmine");
    char *target = tmp_path("%s", "sweep/base.json");
    struct timespec old[2] = {{0, 0}, {0, 0}};

    CHECK_INT(mkdir(dir, 0777), 0);
    CHECK_INT(write_plain(stale, "{\"x\""), 0);
    CHECK_INT(write_plain(young, "{\"y\""), 0);
    CHECK_INT(write_plain(other, "keep"), 0);
    old[0].tv_sec = old[1].tv_sec = time(NULL) - 2 * 60 * 60;
    CHECK_INT(utimensat(AT_FDCWD, stale, old, 0), 0);
    CHECK_INT(utimensat(AT_FDCWD, other, old, 0), 0);
    CHECK_INT(pr_store_write_atomic(target, "{}", 2), 0);
    CHECK(access(stale, F_OK) != 0);
    CHECK(file_equals(young, "{\"y\"", 4));
    CHECK(file_equals(other, "keep", 4));
    CHECK(file_equals(target, "{}", 2));
    remove_tree(dir);
    free(dir);
    free(stale);
    free(young);
    free(other);
    free(target);
}

/* --- pr_store_mkdirs ------------------------------------------------------ */

static void test_mkdirs(void)
{
    char *top = tmp_path("%s", "mk");
    char *deep = tmp_path("%s", "mk/a/b/c");
    char *slash = tmp_path("%s", "mk/x/y/");

    CHECK_INT(pr_store_mkdirs(deep), 0);
    CHECK(is_dir(deep));
    CHECK_INT(pr_store_mkdirs(deep), 0); /* already there */
    CHECK_INT(pr_store_mkdirs(top), 0);
    CHECK_INT(pr_store_mkdirs(tmp_root), 0);
    CHECK_INT(pr_store_mkdirs(slash), 0);
    CHECK(is_dir(slash));
    remove_tree(top);
    free(top);
    free(deep);
    free(slash);
}

static void test_mkdirs_through_file(void)
{
    char *file = tmp_path("%s", "blocker");
    char *below = tmp_path("%s", "blocker/sub/dir");

    CHECK_INT(write_plain(file, "x"), 0);
    pr_error_clear();
    CHECK_INT(pr_store_mkdirs(below), PR_EIO);
    CHECK_CONTAINS(pr_error_last(), "blocker");
    /* DIR itself a regular file */
    pr_error_clear();
    CHECK_INT(pr_store_mkdirs(file), PR_EIO);
    CHECK_CONTAINS(pr_error_last(), file);
    CHECK(file_equals(file, "x", 1));
    unlink(file);
    free(file);
    free(below);
}

/* --- pr_store_suite_dirname ----------------------------------------------- */

static void check_dirname(const char *suite, const char *want)
{
    char *got = pr_store_suite_dirname(suite);
    CHECK_STR(got, want);
    free(got);
}

static void test_suite_dirname(void)
{
    check_dirname("perfreg_bench", "perfreg_bench");
    check_dirname("Az09._-", "Az09._-");
    check_dirname("a/b c", "a_b_c");
    check_dirname("", "suite");
    check_dirname(".", "suite");
    check_dirname("..", "suite");
    check_dirname(NULL, "suite");
    check_dirname("../x", ".._x");
    check_dirname("/", "_");
    check_dirname("caf\xc3\xa9", "caf__");
}

/* --- pr_store_record ------------------------------------------------------ */

static void test_record_names_and_numbers(void)
{
    char *root = tmp_path("%s", "store1");
    char *first = tmp_path("%s", "store1/runs/s1/0001_abc1234_20261123T083500Z.json");
    char *second = tmp_path("%s", "store1/runs/s1/0002_abc1234_20261123T083500Z.json");
    char *suite_dir = tmp_path("%s", "store1/runs/s1");
    char *out = NULL;
    pr_run run;

    make_run(&run, "s1", "abc1234", "2026-11-23T08:35:00Z");
    CHECK_INT(pr_store_record(root, &run, "{\"n\":1}", 7, &out), 0);
    CHECK_STR(out, first);
    CHECK(file_equals(first, "{\"n\":1}", 7));
    free(out);
    out = NULL;

    CHECK_INT(pr_store_record(root, &run, "{\"n\":2}\n", 8, &out), 0);
    CHECK_STR(out, second);
    CHECK(file_equals(second, "{\"n\":2}\n", 8));
    CHECK(file_equals(first, "{\"n\":1}", 7));
    free(out);

    /* out_path may be NULL */
    CHECK_INT(pr_store_record(root, &run, "3", 1, NULL), 0);
    CHECK_INT(count_entries(suite_dir, "0003_abc1234_20261123T083500Z.json", NULL), 1);
    CHECK_INT(count_entries(suite_dir, "0", ".json"), 3);
    CHECK_INT(count_temp_files(suite_dir), 0);

    pr_run_release(&run);
    remove_tree(root);
    free(root);
    free(first);
    free(second);
    free(suite_dir);
}

static void test_record_continues_after_highest(void)
{
    char *root = tmp_path("%s", "store2");
    char *suite_dir = tmp_path("%s", "store2/runs/s1");
    char *planted = tmp_path("%s", "store2/runs/s1/0041_x_y.json");
    char *want = tmp_path("%s", "store2/runs/s1/0042_abc1234_20261123T083500Z.json");
    char *out = NULL;
    pr_run run;

    CHECK_INT(pr_store_mkdirs(suite_dir), 0);
    CHECK_INT(write_plain(planted, "old"), 0);
    make_run(&run, "s1", "abc1234", "2026-11-23T08:35:00Z");
    CHECK_INT(pr_store_record(root, &run, "new", 3, &out), 0);
    CHECK_STR(out, want);
    CHECK(file_equals(want, "new", 3));
    CHECK(file_equals(planted, "old", 3));
    free(out);
    pr_run_release(&run);
    remove_tree(root);
    free(root);
    free(suite_dir);
    free(planted);
    free(want);
}

static void test_record_nogit_and_suite_folder(void)
{
    char *root = tmp_path("%s", "store3");
    char *want = tmp_path("%s", "store3/runs/a_b_c/0001_nogit_20261123T083500Z.json");
    char *out = NULL;
    pr_run run;

    make_run(&run, "a/b c", NULL, "2026-11-23T08:35:00Z");
    CHECK_INT(pr_store_record(root, &run, "x", 1, &out), 0);
    CHECK_STR(out, want);
    CHECK(file_equals(want, "x", 1));
    free(out);
    pr_run_release(&run);
    remove_tree(root);
    free(root);
    free(want);
}

static void test_record_failure(void)
{
    /* The root's parent is a regular file: nothing can be created. */
    char *file = tmp_path("%s", "root-blocker");
    char *root = tmp_path("%s", "root-blocker/store");
    char *out = (char *)"sentinel";
    pr_run run;

    CHECK_INT(write_plain(file, "x"), 0);
    make_run(&run, "s1", "abc1234", "2026-11-23T08:35:00Z");
    pr_error_clear();
    CHECK_INT(pr_store_record(root, &run, "x", 1, &out), PR_EIO);
    CHECK(out == NULL);
    CHECK(pr_error_last()[0] != '\0');
    CHECK(file_equals(file, "x", 1));
    CHECK_INT(count_temp_files(tmp_root), 0);
    pr_run_release(&run);
    unlink(file);
    free(file);
    free(root);
}

/* One child of the concurrency test: records RUNS_PER_CHILD runs with
 * payload "child C run R" and short commit "cC"; exit status 0 when every
 * call succeeded. */
static int record_as_child(const char *root, int c)
{
    char commit[16], payload[64];
    int r, failed = 0;
    pr_run run;

    snprintf(commit, sizeof commit, "c%d", c);
    make_run(&run, "conc", commit, "2026-11-23T08:35:00Z");
    for (r = 0; r < RUNS_PER_CHILD; r++) {
        int n = snprintf(payload, sizeof payload, "child %d run %d", c, r);
        if (pr_store_record(root, &run, payload, (size_t)n, NULL) != 0) {
            fprintf(stderr, "child %d run %d: %s\n", c, r, pr_error_last());
            failed = 1;
        }
    }
    pr_run_release(&run);
    return failed;
}

static void test_record_concurrent(void)
{
    enum { TOTAL = N_CHILDREN * RUNS_PER_CHILD };
    char *root = tmp_path("%s", "conc-store");
    char *suite_dir = tmp_path("%s", "conc-store/runs/conc");
    pid_t pids[N_CHILDREN];
    int seen_number[TOTAL + 1] = {0};
    int seen_payload[N_CHILDREN][RUNS_PER_CHILD] = {{0}};
    int number_of[N_CHILDREN][RUNS_PER_CHILD] = {{0}};
    int c, r, n_json = 0;
    DIR *d;
    struct dirent *e;

    for (c = 0; c < N_CHILDREN; c++) {
        pids[c] = fork();
        CHECK(pids[c] >= 0);
        if (pids[c] == 0) {
            int status = record_as_child(root, c);
            free(root);
            free(suite_dir);
            exit(status);
        }
    }
    for (c = 0; c < N_CHILDREN; c++) {
        int status = -1;
        if (pids[c] < 0)
            continue;
        CHECK_INT(waitpid(pids[c], &status, 0), pids[c]);
        CHECK(WIFEXITED(status));
        CHECK_INT(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
    }

    /* Every file: NNNN_cC_20261123T083500Z.json holding "child C run R";
     * numbers 1..40 each once, payloads each once, and one child's runs
     * numbered in the order it recorded them. */
    d = opendir(suite_dir);
    CHECK(d != NULL);
    while (d && (e = readdir(d)) != NULL) {
        unsigned number;
        int fc, pc, pr_, consumed = 0;
        char *path, *text;
        size_t len;

        if (e->d_name[0] == '.')
            continue;
        n_json++;
        if (sscanf(e->d_name, "%4u_c%d_20261123T083500Z.json%n", &number, &fc, &consumed) != 2 ||
            consumed != (int)strlen(e->d_name) || e->d_name[4] != '_') {
            fprintf(stderr, "unexpected file '%s'\n", e->d_name);
            CHECK(0);
            continue;
        }
        CHECK(number >= 1 && number <= TOTAL);
        CHECK(fc >= 0 && fc < N_CHILDREN);
        if (number < 1 || number > TOTAL || fc < 0 || fc >= N_CHILDREN)
            continue;
        seen_number[number]++;

        path = tmp_path("conc-store/runs/conc/%s", e->d_name);
        text = read_file(path, &len);
        CHECK(text != NULL);
        if (text && sscanf(text, "child %d run %d%n", &pc, &pr_, &consumed) == 2 &&
            (size_t)consumed == len && pc == fc && pr_ >= 0 && pr_ < RUNS_PER_CHILD) {
            seen_payload[pc][pr_]++;
            number_of[pc][pr_] = (int)number;
        } else {
            fprintf(stderr, "'%s' holds unexpected '%s'\n", e->d_name, text ? text : "(null)");
            CHECK(0);
        }
        free(text);
        free(path);
    }
    if (d)
        closedir(d);

    CHECK_INT(n_json, TOTAL);
    for (r = 1; r <= TOTAL; r++)
        if (seen_number[r] != 1) {
            fprintf(stderr, "run number %04d seen %d times\n", r, seen_number[r]);
            CHECK(0);
        }
    for (c = 0; c < N_CHILDREN; c++)
        for (r = 0; r < RUNS_PER_CHILD; r++)
            if (seen_payload[c][r] != 1) {
                fprintf(stderr, "'child %d run %d' seen %d times\n", c, r, seen_payload[c][r]);
                CHECK(0);
            }
    /* One child records its runs one after another, so they are numbered
     * in that order. */
    for (c = 0; c < N_CHILDREN; c++)
        for (r = 1; r < RUNS_PER_CHILD; r++)
            CHECK(number_of[c][r] > number_of[c][r - 1]);
    CHECK_INT(count_temp_files(suite_dir), 0);
    remove_tree(root);
    free(root);
    free(suite_dir);
}

/* Runs numbered out of order (and by more digits) list oldest first; the
 * latest is the highest number; pruning keeps the newest and leaves other
 * files alone. */
static void test_list_latest_prune(void)
{
    static const char *const names[] = {"0010_c_t.json", "0002_b_t.json", "0100_d_t.json",
                                        "0001_a_t.json", "notes.txt",     "0003_x.tmp"};
    char *root = tmp_path("%s", "store5");
    char *dir = tmp_path("%s", "store5/runs/s1");
    char **paths = NULL, *latest = NULL;
    size_t n = 0, removed = 9, i;

    CHECK_INT(pr_store_list(root, "s1", &paths, &n), 0);
    CHECK_INT(n, 0); /* no folder yet: no runs, no error */
    CHECK_INT(pr_store_latest(root, "s1", &latest), PR_ENOTFOUND);
    CHECK_CONTAINS(pr_error_last(), "no recorded run of suite 's1'");
    CHECK_INT(pr_store_mkdirs(dir), 0);
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *p = tmp_path("store5/runs/s1/%s", names[i]);
        CHECK_INT(write_plain(p, names[i]), 0);
        free(p);
    }
    CHECK_INT(pr_store_list(root, "s1", &paths, &n), 0);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK_CONTAINS(paths[0], "/0001_a_t.json");
        CHECK_CONTAINS(paths[1], "/0002_b_t.json");
        CHECK_CONTAINS(paths[2], "/0010_c_t.json");
        CHECK_CONTAINS(paths[3], "/0100_d_t.json");
    }
    pr_store_free_list(paths, n);
    CHECK_INT(pr_store_latest(root, "s1", &latest), 0);
    CHECK_CONTAINS(latest, "/0100_d_t.json");
    free(latest);

    CHECK_INT(pr_store_prune(root, "s1", 0, &removed), 0);
    CHECK_INT(removed, 0); /* 0: keep everything */
    CHECK_INT(pr_store_prune(root, "s1", 2, &removed), 0);
    CHECK_INT(removed, 2);
    CHECK_INT(pr_store_list(root, "s1", &paths, &n), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_CONTAINS(paths[0], "/0010_c_t.json");
        CHECK_CONTAINS(paths[1], "/0100_d_t.json");
    }
    pr_store_free_list(paths, n);
    {
        char *other = tmp_path("%s", "store5/runs/s1/notes.txt");
        CHECK(file_equals(other, "notes.txt", 9)); /* not a run: untouched */
        free(other);
    }
    remove_tree(root);
    free(root);
    free(dir);
}

static void test_baseline_path(void)
{
    char *p = NULL;
    CHECK_INT(pr_store_baseline_path(NULL, "perfreg_bench", &p), 0);
    CHECK_STR(p, "baselines/perfreg_bench.json");
    free(p);
    CHECK_INT(pr_store_baseline_path("b", "a/../x", &p), 0);
    CHECK_STR(p, "a/../x"); /* a path is taken as it is */
    free(p);
    CHECK_INT(pr_store_baseline_path("b", "old.json", &p), 0);
    CHECK_STR(p, "old.json");
    free(p);
    CHECK_INT(pr_store_baseline_path("b", "we ird", &p), 0);
    CHECK_STR(p, "b/we_ird.json");
    free(p);
}

int main(void)
{
    int rc;

    if (!mkdtemp(tmp_root)) {
        perror("mkdtemp");
        return 2;
    }
    RUN_TEST(test_write_exact_bytes);
    RUN_TEST(test_write_replaces_atomically);
    RUN_TEST(test_write_missing_folder);
    RUN_TEST(test_write_missing_folder_message_names_path);
    RUN_TEST(test_write_parent_is_file);
    RUN_TEST(test_write_onto_folder_cleans_temp);
    RUN_TEST(test_write_sweeps_stale_temps);
    RUN_TEST(test_mkdirs);
    RUN_TEST(test_mkdirs_through_file);
    RUN_TEST(test_suite_dirname);
    RUN_TEST(test_record_names_and_numbers);
    RUN_TEST(test_record_continues_after_highest);
    RUN_TEST(test_record_nogit_and_suite_folder);
    RUN_TEST(test_record_failure);
    RUN_TEST(test_record_concurrent);
    RUN_TEST(test_list_latest_prune);
    RUN_TEST(test_baseline_path);
    rc = CHECK_DONE();
    remove_tree(tmp_root);
    return rc;
}
