/*
 * test_gitmeta.c - git metadata read from throwaway repositories that the
 * test builds with libgit2 itself in a temporary folder, with a fixed
 * signature and time so the expected values are known.
 */
#define _XOPEN_SOURCE 700 /* nftw */

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>

#include "check.h"
#include "gitmeta.h"
#include "run.h"

#define COMMIT_TIME 1700000000
#define COMMIT_TIME_ISO "2023-11-14T22:13:20Z"

typedef struct fixture {
    char dir[64]; /* the temporary folder; the repository's work tree */
    git_repository *repo;
    git_oid commit;
    char hex[GIT_OID_HEXSZ + 1];
    char branch[128]; /* what git_repository_init made HEAD point at */
} fixture;

static int remove_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)type;
    (void)ftw;
    return remove(path);
}

static void rm_rf(const char *dir)
{
    CHECK_INT(nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static int make_tmpdir(char *dir, size_t size)
{
    snprintf(dir, size, "/tmp/perfreg-gitmeta-XXXXXX");
    return mkdtemp(dir) != NULL;
}

/* Writes CONTENT to NAME inside the fixture's work tree. */
static void write_file(const fixture *fx, const char *name, const char *content)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", fx->dir, name);
    f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs(content, f);
    fclose(f);
}

static void stage(fixture *fx, const char *name)
{
    git_index *index = NULL;

    CHECK_INT(git_repository_index(&index, fx->repo), 0);
    CHECK_INT(git_index_add_bypath(index, name), 0);
    CHECK_INT(git_index_write(index), 0);
    git_index_free(index);
}

/* The branch HEAD names, read from its symbolic target. */
static void read_head_branch(fixture *fx)
{
    git_reference *head = NULL;
    const char *target;

    fx->branch[0] = '\0';
    CHECK_INT(git_reference_lookup(&head, fx->repo, "HEAD"), 0);
    target = head ? git_reference_symbolic_target(head) : NULL;
    CHECK(target != NULL);
    if (target && strncmp(target, "refs/heads/", 11) == 0)
        snprintf(fx->branch, sizeof fx->branch, "%s", target + 11);
    git_reference_free(head);
}

/* Commits TREE_ID on HEAD with a fixed signature and time, no parents. */
static void commit_tree(fixture *fx, const git_oid *tree_id, const char *message)
{
    git_signature *sig = NULL;
    git_tree *tree = NULL;

    CHECK_INT(git_signature_new(&sig, "Test Author", "test@example.com", COMMIT_TIME, 0), 0);
    CHECK_INT(git_tree_lookup(&tree, fx->repo, tree_id), 0);
    CHECK_INT(
        git_commit_create(&fx->commit, fx->repo, "HEAD", sig, sig, NULL, message, tree, 0, NULL),
        0);
    git_oid_tostr(fx->hex, sizeof fx->hex, &fx->commit);
    git_tree_free(tree);
    git_signature_free(sig);
}

/* An empty, unborn repository in a new temporary folder. */
static int fixture_init(fixture *fx, int bare)
{
    memset(fx, 0, sizeof *fx);
    if (!make_tmpdir(fx->dir, sizeof fx->dir)) {
        CHECK(!"mkdtemp failed");
        return 0;
    }
    CHECK_INT(git_repository_init(&fx->repo, fx->dir, (unsigned)bare), 0);
    if (!fx->repo) {
        rm_rf(fx->dir);
        return 0;
    }
    read_head_branch(fx);
    return 1;
}

/* A repository with one commit of "a.txt" whose message has two lines. */
static int fixture_init_committed(fixture *fx)
{
    git_index *index = NULL;
    git_oid tree_id;

    if (!fixture_init(fx, 0))
        return 0;
    write_file(fx, "a.txt", "hello\n");
    stage(fx, "a.txt");
    CHECK_INT(git_repository_index(&index, fx->repo), 0);
    CHECK_INT(git_index_write_tree(&tree_id, index), 0);
    git_index_free(index);
    commit_tree(fx, &tree_id, "add a.txt\n\nthe second line explains why\n");
    return 1;
}

static void fixture_done(fixture *fx)
{
    git_repository_free(fx->repo);
    rm_rf(fx->dir);
}

static void check_all_unknown(const pr_git_info *g)
{
    CHECK(g->commit == NULL);
    CHECK(g->short_commit == NULL);
    CHECK(g->branch == NULL);
    CHECK(g->subject == NULL);
    CHECK(g->commit_time == NULL);
    CHECK_INT(g->dirty, -1);
}

static void test_outside_repository(void)
{
    char dir[64];
    pr_git_info g;

    CHECK(make_tmpdir(dir, sizeof dir));
    memset(&g, 0, sizeof g);
    CHECK_INT(pr_gitmeta_read(&g, dir), 0);
    check_all_unknown(&g);
    pr_git_info_release(&g);
    rm_rf(dir);
}

static void test_missing_directory(void)
{
    pr_git_info g;

    memset(&g, 0, sizeof g);
    CHECK_INT(pr_gitmeta_read(&g, "/nonexistent/perfreg/dir"), 0);
    check_all_unknown(&g);
}

static void test_one_commit(void)
{
    fixture fx;
    pr_git_info g;

    if (!fixture_init_committed(&fx))
        return;
    memset(&g, 0, sizeof g);
    CHECK_INT(pr_gitmeta_read(&g, fx.dir), 0);
    CHECK_STR(g.commit, fx.hex);
    CHECK(g.commit && strlen(g.commit) == 40 && strspn(g.commit, "0123456789abcdef") == 40);
    CHECK(g.short_commit && strlen(g.short_commit) == 7);
    CHECK(g.short_commit && strncmp(g.short_commit, fx.hex, 7) == 0);
    CHECK(strcmp(fx.branch, "master") == 0 || strcmp(fx.branch, "main") == 0);
    CHECK_STR(g.branch, fx.branch);
    CHECK_STR(g.subject, "add a.txt");
    CHECK_STR(g.commit_time, COMMIT_TIME_ISO);
    CHECK_INT(g.dirty, 0);
    pr_git_info_release(&g);
    fixture_done(&fx);
}

static void test_modified_tracked_file_is_dirty(void)
{
    fixture fx;
    pr_git_info g;

    if (!fixture_init_committed(&fx))
        return;
    write_file(&fx, "a.txt", "hello, changed\n");
    memset(&g, 0, sizeof g);
    CHECK_INT(pr_gitmeta_read(&g, fx.dir), 0);
    CHECK_INT(g.dirty, 1);
    CHECK_STR(g.commit, fx.hex);
    pr_git_info_release(&g);
    fixture_done(&fx);
}

static void test_staged_change_is_dirty(void)
{
    fixture fx;
    pr_git_info g;

    if (!fixture_init_committed(&fx))
        return;
    write_file(&fx, "b.txt", "new and staged\n");
    stage(&fx, "b.txt");
    memset(&g, 0, sizeof g);
    CHECK_INT(pr_gitmeta_read(&g, fx.dir), 0);
    CHECK_INT(g.dirty, 1);
    pr_git_info_release(&g);
    fixture_done(&fx);
}

static void test_untracked_and_ignored_files_keep_clean(void)
{
    fixture fx;
    pr_git_info g;

    if (!fixture_init_committed(&fx))
        return;
    write_file(&fx, "untracked.txt", "not added\n");
    write_file(&fx, ".gitignore", "*.log\n");
    write_file(&fx, "build.log", "ignored\n");
    memset(&g, 0, sizeof g);
    CHECK_INT(pr_gitmeta_read(&g, fx.dir), 0);
    CHECK_INT(g.dirty, 0);
    pr_git_info_release(&g);
    fixture_done(&fx);
}

static void test_detached_head(void)
{
    fixture fx;
    pr_git_info g;

    if (!fixture_init_committed(&fx))
        return;
    CHECK_INT(git_repository_set_head_detached(fx.repo, &fx.commit), 0);
    memset(&g, 0, sizeof g);
    CHECK_INT(pr_gitmeta_read(&g, fx.dir), 0);
    CHECK_STR(g.branch, "detached");
    CHECK_STR(g.commit, fx.hex);
    CHECK_STR(g.subject, "add a.txt");
    CHECK_INT(g.dirty, 0);
    pr_git_info_release(&g);
    fixture_done(&fx);
}

static void test_unborn_branch(void)
{
    fixture fx;
    pr_git_info g;

    if (!fixture_init(&fx, 0))
        return;
    memset(&g, 0, sizeof g);
    CHECK_INT(pr_gitmeta_read(&g, fx.dir), 0);
    CHECK(fx.branch[0] != '\0');
    CHECK_STR(g.branch, fx.branch);
    CHECK(g.commit == NULL);
    CHECK(g.short_commit == NULL);
    CHECK(g.subject == NULL);
    CHECK(g.commit_time == NULL);
    /* Nothing staged: nothing differs from the empty branch. */
    CHECK_INT(g.dirty, 0);
    pr_git_info_release(&g);

    /* A staged file on the unborn branch is a change. */
    write_file(&fx, "a.txt", "staged\n");
    stage(&fx, "a.txt");
    memset(&g, 0, sizeof g);
    CHECK_INT(pr_gitmeta_read(&g, fx.dir), 0);
    CHECK_STR(g.branch, fx.branch);
    CHECK(g.commit == NULL);
    CHECK_INT(g.dirty, 1);
    pr_git_info_release(&g);
    fixture_done(&fx);
}

static void test_found_from_subdirectory(void)
{
    fixture fx;
    pr_git_info g;
    char sub[128];

    if (!fixture_init_committed(&fx))
        return;
    snprintf(sub, sizeof sub, "%s/sub", fx.dir);
    CHECK_INT(mkdir(sub, 0700), 0);
    snprintf(sub, sizeof sub, "%s/sub/deeper", fx.dir);
    CHECK_INT(mkdir(sub, 0700), 0);
    memset(&g, 0, sizeof g);
    CHECK_INT(pr_gitmeta_read(&g, sub), 0);
    CHECK_STR(g.commit, fx.hex);
    CHECK_STR(g.branch, fx.branch);
    CHECK_INT(g.dirty, 0);
    pr_git_info_release(&g);
    fixture_done(&fx);
}

static void test_bare_repository(void)
{
    fixture fx;
    pr_git_info g;
    git_treebuilder *tb = NULL;
    git_oid blob_id, tree_id;

    if (!fixture_init(&fx, 1))
        return;
    CHECK_INT(git_blob_create_from_buffer(&blob_id, fx.repo, "hello\n", 6), 0);
    CHECK_INT(git_treebuilder_new(&tb, fx.repo, NULL), 0);
    CHECK_INT(git_treebuilder_insert(NULL, tb, "a.txt", &blob_id, GIT_FILEMODE_BLOB), 0);
    CHECK_INT(git_treebuilder_write(&tree_id, tb), 0);
    git_treebuilder_free(tb);
    commit_tree(&fx, &tree_id, "bare commit");

    memset(&g, 0, sizeof g);
    CHECK_INT(pr_gitmeta_read(&g, fx.dir), 0);
    CHECK_STR(g.commit, fx.hex);
    CHECK_STR(g.branch, fx.branch);
    CHECK_STR(g.subject, "bare commit");
    CHECK_STR(g.commit_time, COMMIT_TIME_ISO);
    /* No work tree to compare. */
    CHECK_INT(g.dirty, -1);
    pr_git_info_release(&g);
    fixture_done(&fx);
}

static void test_release_zeroes(void)
{
    pr_git_info g;

    memset(&g, 0, sizeof g);
    g.branch = malloc(4);
    g.dirty = 1;
    pr_git_info_release(&g);
    check_all_unknown(&g);
    pr_git_info_release(&g);
    pr_git_info_release(NULL);
}

int main(void)
{
    /* The test's own repositories need libgit2 beyond pr_gitmeta_read. */
    git_libgit2_init();
    RUN_TEST(test_outside_repository);
    RUN_TEST(test_missing_directory);
    RUN_TEST(test_one_commit);
    RUN_TEST(test_modified_tracked_file_is_dirty);
    RUN_TEST(test_staged_change_is_dirty);
    RUN_TEST(test_untracked_and_ignored_files_keep_clean);
    RUN_TEST(test_detached_head);
    RUN_TEST(test_unborn_branch);
    RUN_TEST(test_found_from_subdirectory);
    RUN_TEST(test_bare_repository);
    RUN_TEST(test_release_zeroes);
    git_libgit2_shutdown();
    return CHECK_DONE();
}
