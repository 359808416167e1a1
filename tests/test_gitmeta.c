/*
 * test_gitmeta.c - git metadata, notes and committed files read from
 * throwaway repositories that the test builds with libgit2 itself in a
 * temporary folder, with fixed signatures and times so the expected values
 * are known. The shallow-clone check needs the git CLI and is skipped with a
 * note where git is not on PATH. Exports go to a second temporary folder,
 * so the repository's own folder can be compared byte for byte before and
 * after.
 */
#define _XOPEN_SOURCE 700 /* nftw, readlink, symlink, st_mtim */

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "check.h"
#include "error.h"
#include "gitmeta.h"
#include "run.h"
#include "strbuf.h"

#define COMMIT_TIME 1700000000
#define COMMIT_TIME_ISO "2023-11-14T22:13:20Z"
#define AUTHOR_TIME 1600000000
#define AUTHOR_TIME_ISO "2020-09-13T12:26:40Z"

/* The longest chain of commits a test builds. */
#define MAX_CHAIN 8

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

/* Commits TREE_ID on HEAD with fixed signatures and times (the author's
 * differs from the committer's), no parents. */
static void commit_tree(fixture *fx, const git_oid *tree_id, const char *message)
{
    git_signature *author = NULL;
    git_signature *committer = NULL;
    git_tree *tree = NULL;

    CHECK_INT(git_signature_new(&author, "Test Author", "test@example.com", AUTHOR_TIME, 0), 0);
    CHECK_INT(
        git_signature_new(&committer, "Test Committer", "committer@example.com", COMMIT_TIME, 0),
        0);
    CHECK_INT(git_tree_lookup(&tree, fx->repo, tree_id), 0);
    CHECK_INT(git_commit_create(&fx->commit, fx->repo, "HEAD", author, committer, NULL, message,
                                tree, 0, NULL),
              0);
    git_oid_tostr(fx->hex, sizeof fx->hex, &fx->commit);
    git_tree_free(tree);
    git_signature_free(committer);
    git_signature_free(author);
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
    CHECK(g->author_time == NULL);
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
    CHECK_STR(g.author_time, AUTHOR_TIME_ISO);
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
    CHECK_STR(g.author_time, AUTHOR_TIME_ISO);
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
    CHECK(g.author_time == NULL);
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
    char *text = NULL, *label = NULL;
    size_t len = 0;

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
    CHECK_STR(g.author_time, AUTHOR_TIME_ISO);
    /* No work tree to compare. */
    CHECK_INT(g.dirty, -1);
    pr_git_info_release(&g);

    /* Committed files are named from the repository's root. */
    CHECK_INT(pr_gitmeta_read_file_at(fx.dir, "HEAD", "a.txt", &text, &len, &label), 0);
    CHECK_STR(text, "hello\n");
    CHECK_INT(len, 6);
    free(text);
    free(label);
    fixture_done(&fx);
}

static void test_release_zeroes(void)
{
    pr_git_info g;

    memset(&g, 0, sizeof g);
    g.branch = malloc(4);
    g.author_time = malloc(4);
    g.dirty = 1;
    pr_git_info_release(&g);
    check_all_unknown(&g);
    pr_git_info_release(&g);
    pr_git_info_release(NULL);
}

/* ---- history: commits built in memory ----------------------------------- */

/*
 * Commits FILES (name, content pairs, NULL-terminated) as the whole tree,
 * with PARENTS, updating REF (NULL: none). Committed MINUTES after the fixed
 * times, so later commits are newer. *OUT receives the id.
 */
static void commit_files(fixture *fx, const char *ref, const git_oid *parents, size_t n_parents,
                         const char *const *files, const char *message, int minutes, git_oid *out)
{
    git_index *index = NULL;
    git_tree *tree = NULL;
    git_signature *author = NULL;
    git_signature *committer = NULL;
    git_commit *lookup[2] = {NULL, NULL};
    const git_commit *parent_commits[2] = {NULL, NULL};
    git_oid tree_id;
    size_t i;

    CHECK(n_parents <= 2);
    CHECK_INT(git_index_new(&index), 0);
    for (i = 0; files[i]; i += 2) {
        git_index_entry entry;

        /* An index without a repository takes blobs that are written already. */
        memset(&entry, 0, sizeof entry);
        entry.path = files[i];
        entry.mode = GIT_FILEMODE_BLOB;
        CHECK_INT(
            git_blob_create_from_buffer(&entry.id, fx->repo, files[i + 1], strlen(files[i + 1])),
            0);
        CHECK_INT(git_index_add(index, &entry), 0);
    }
    CHECK_INT(git_index_write_tree_to(&tree_id, index, fx->repo), 0);
    CHECK_INT(git_tree_lookup(&tree, fx->repo, &tree_id), 0);
    for (i = 0; i < n_parents && i < 2; i++) {
        CHECK_INT(git_commit_lookup(&lookup[i], fx->repo, &parents[i]), 0);
        parent_commits[i] = lookup[i];
    }
    CHECK_INT(git_signature_new(&author, "Test Author", "test@example.com",
                                AUTHOR_TIME + 60 * minutes, 0),
              0);
    CHECK_INT(git_signature_new(&committer, "Test Committer", "committer@example.com",
                                COMMIT_TIME + 60 * minutes, 0),
              0);
    CHECK_INT(git_commit_create(out, fx->repo, ref, author, committer, NULL, message, tree,
                                n_parents, parent_commits),
              0);
    git_signature_free(committer);
    git_signature_free(author);
    for (i = 0; i < 2; i++)
        git_commit_free(lookup[i]);
    git_tree_free(tree);
    git_index_free(index);
}

/* Commit number I's tree: a.txt, baselines/x.json and sub/baselines/x.json,
 * each naming I. */
static void chain_commit(fixture *fx, const char *ref, const git_oid *parents, size_t n_parents,
                         int i, git_oid *out)
{
    char a[32], x[32], sub_x[32], message[64];
    const char *files[] = {"a.txt", a, "baselines/x.json", x, "sub/baselines/x.json", sub_x, NULL};

    snprintf(a, sizeof a, "a %d\n", i);
    snprintf(x, sizeof x, "{\"commit\": %d}\n", i);
    snprintf(sub_x, sizeof sub_x, "sub %d\n", i);
    snprintf(message, sizeof message, "commit %d\n\nthe body of commit %d\n", i, i);
    commit_files(fx, ref, parents, n_parents, files, message, i, out);
}

/* A repository whose HEAD branch holds N commits in a first-parent chain:
 * IDS[0] is commit 1, the oldest; HEX the ids in hex. */
static int fixture_init_chain(fixture *fx, size_t n, git_oid *ids, char (*hex)[GIT_OID_HEXSZ + 1])
{
    size_t i;

    if (!fixture_init(fx, 0))
        return 0;
    for (i = 0; i < n && i < MAX_CHAIN; i++) {
        chain_commit(fx, "HEAD", i ? &ids[i - 1] : NULL, i ? 1 : 0, (int)i + 1, &ids[i]);
        git_oid_tostr(hex[i], sizeof hex[i], &ids[i]);
    }
    fx->commit = ids[n - 1];
    git_oid_tostr(fx->hex, sizeof fx->hex, &fx->commit);
    return 1;
}

static void write_note(const fixture *fx, const char *rev, const char *text)
{
    CHECK_INT(pr_gitmeta_note_write(fx->dir, PR_NOTES_REF, rev, text, strlen(text)), 0);
}

/* ---- notes ---------------------------------------------------------------- */

static void test_note_write_then_read_on_head(void)
{
    fixture fx;
    git_oid ids[2];
    char hex[2][GIT_OID_HEXSZ + 1];
    git_note *note = NULL;
    char *text = NULL;
    size_t len = 0;

    if (!fixture_init_chain(&fx, 2, ids, hex))
        return;
    CHECK_INT(pr_gitmeta_note_read(fx.dir, PR_NOTES_REF, NULL, &text, &len), PR_ENOTFOUND);
    CHECK(text == NULL);
    CHECK_CONTAINS(pr_error_last(), "has no note");

    write_note(&fx, NULL, "run 1\n");
    CHECK_INT(pr_gitmeta_note_read(fx.dir, PR_NOTES_REF, NULL, &text, &len), 0);
    CHECK_STR(text, "run 1\n");
    CHECK_INT(len, 6);
    free(text);
    text = NULL;

    /* Where git itself looks: refs/notes/perfreg on HEAD's commit. */
    CHECK_INT(git_note_read(&note, fx.repo, PR_NOTES_REF, &ids[1]), 0);
    CHECK_STR(note ? git_note_message(note) : NULL, "run 1\n");
    git_note_free(note);

    /* A second write replaces: merging is the caller's. */
    write_note(&fx, NULL, "run 1\nrun 2\n");
    CHECK_INT(pr_gitmeta_note_read(fx.dir, PR_NOTES_REF, "HEAD", &text, &len), 0);
    CHECK_STR(text, "run 1\nrun 2\n");
    CHECK_INT(len, 12);
    free(text);
    text = NULL;

    /* The parent has none. */
    CHECK_INT(pr_gitmeta_note_read(fx.dir, PR_NOTES_REF, "HEAD~1", &text, &len), PR_ENOTFOUND);
    CHECK_CONTAINS(pr_error_last(), "'HEAD~1'");
    CHECK(text == NULL);

    /* An empty note is a note. */
    write_note(&fx, NULL, "");
    CHECK_INT(pr_gitmeta_note_read(fx.dir, PR_NOTES_REF, NULL, &text, &len), 0);
    CHECK_STR(text, "");
    CHECK_INT(len, 0);
    free(text);

    CHECK_INT(pr_gitmeta_note_write(fx.dir, PR_NOTES_REF, NULL, "a\0b", 3), PR_EINVALID);
    fixture_done(&fx);
}

static void test_note_on_explicit_rev(void)
{
    fixture fx;
    git_oid ids[3];
    char hex[3][GIT_OID_HEXSZ + 1];
    char *text = NULL;
    size_t len = 0;

    if (!fixture_init_chain(&fx, 3, ids, hex))
        return;
    write_note(&fx, "HEAD~1", "on commit 2\n");
    CHECK_INT(pr_gitmeta_note_read(fx.dir, PR_NOTES_REF, hex[1], &text, &len), 0);
    CHECK_STR(text, "on commit 2\n");
    free(text);
    text = NULL;
    CHECK_INT(pr_gitmeta_note_read(fx.dir, PR_NOTES_REF, NULL, &text, &len), PR_ENOTFOUND);

    /* Another notes ref is another set of notes. */
    CHECK_INT(pr_gitmeta_note_read(fx.dir, "refs/notes/other", hex[1], &text, &len), PR_ENOTFOUND);
    CHECK_CONTAINS(pr_error_last(), "refs/notes/other");

    CHECK_INT(pr_gitmeta_note_read(fx.dir, PR_NOTES_REF, "no-such-rev", &text, &len), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "'no-such-rev' does not resolve to a commit");
    CHECK_INT(pr_gitmeta_note_write(fx.dir, PR_NOTES_REF, "no-such-rev", "x", 1), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "'no-such-rev'");
    /* A tree is not a commit. */
    CHECK_INT(pr_gitmeta_note_write(fx.dir, PR_NOTES_REF, "HEAD^{tree}", "x", 1), PR_EINVALID);
    CHECK(text == NULL);
    fixture_done(&fx);
}

static void test_notes_walk_first_parent_chain(void)
{
    fixture fx;
    git_oid ids[5];
    char hex[5][GIT_OID_HEXSZ + 1];
    pr_git_note *notes = NULL;
    size_t n = 99;

    if (!fixture_init_chain(&fx, 5, ids, hex))
        return;

    /* No notes ref yet: nothing, and no error. */
    CHECK_INT(pr_gitmeta_notes_walk(fx.dir, PR_NOTES_REF, 0, &notes, &n), 0);
    CHECK_INT(n, 0);
    pr_git_notes_free(notes, n);

    write_note(&fx, hex[0], "note 1\n");
    write_note(&fx, hex[2], "note 3\n");
    write_note(&fx, hex[4], "note 5\n");

    CHECK_INT(pr_gitmeta_notes_walk(fx.dir, PR_NOTES_REF, 0, &notes, &n), 0);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_STR(notes[0].commit.commit, hex[4]);
        CHECK_STR(notes[0].commit.subject, "commit 5");
        CHECK_STR(notes[0].text, "note 5\n");
        CHECK_INT(notes[0].len, 7);
        CHECK_STR(notes[1].commit.commit, hex[2]);
        CHECK_STR(notes[1].commit.subject, "commit 3");
        CHECK_STR(notes[1].text, "note 3\n");
        CHECK_STR(notes[2].commit.commit, hex[0]);
        CHECK_STR(notes[2].commit.subject, "commit 1");
        CHECK_STR(notes[2].text, "note 1\n");
        CHECK(notes[2].commit.short_commit &&
              strncmp(notes[2].commit.short_commit, hex[0], 7) == 0 &&
              strlen(notes[2].commit.short_commit) == 7);
        /* Commit 1 is a minute after the fixed times. */
        CHECK_STR(notes[2].commit.commit_time, "2023-11-14T22:14:20Z");
        CHECK_STR(notes[2].commit.author_time, "2020-09-13T12:27:40Z");
        CHECK(notes[2].commit.branch == NULL);
        CHECK_INT(notes[2].commit.dirty, -1);
    }
    pr_git_notes_free(notes, n);

    /* The newest two commits are 5 and 4: only 5 has a note. */
    CHECK_INT(pr_gitmeta_notes_walk(fx.dir, PR_NOTES_REF, 2, &notes, &n), 0);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_STR(notes[0].commit.commit, hex[4]);
    pr_git_notes_free(notes, n);

    /* Three reach commit 3. */
    CHECK_INT(pr_gitmeta_notes_walk(fx.dir, PR_NOTES_REF, 3, &notes, &n), 0);
    CHECK_INT(n, 2);
    pr_git_notes_free(notes, n);

    /* Other notes refs are not read. */
    CHECK_INT(pr_gitmeta_notes_walk(fx.dir, "refs/notes/other", 0, &notes, &n), 0);
    CHECK_INT(n, 0);
    pr_git_notes_free(notes, n);
    pr_git_notes_free(NULL, 0);
    fixture_done(&fx);
}

static void test_notes_walk_skips_second_parent(void)
{
    fixture fx;
    git_oid ids[2], side, merge, parents[2];
    char hex[2][GIT_OID_HEXSZ + 1];
    char side_hex[GIT_OID_HEXSZ + 1], merge_hex[GIT_OID_HEXSZ + 1];
    git_reference *branch = NULL;
    git_commit *c1 = NULL;
    pr_git_note *notes = NULL;
    size_t n = 0, i;
    static const char *const merged[] = {"a.txt", "merged\n", NULL};

    /* 1 - 2 - M on HEAD's branch, 1 - S on "side", M merges S. */
    if (!fixture_init_chain(&fx, 2, ids, hex))
        return;
    CHECK_INT(git_commit_lookup(&c1, fx.repo, &ids[0]), 0);
    CHECK_INT(git_branch_create(&branch, fx.repo, "side", c1, 0), 0);
    chain_commit(&fx, "refs/heads/side", &ids[0], 1, 10, &side);
    parents[0] = ids[1];
    parents[1] = side;
    commit_files(&fx, "HEAD", parents, 2, merged, "merge side\n", 20, &merge);
    git_oid_tostr(side_hex, sizeof side_hex, &side);
    git_oid_tostr(merge_hex, sizeof merge_hex, &merge);

    write_note(&fx, hex[0], "note 1\n");
    write_note(&fx, side_hex, "note side\n");
    write_note(&fx, merge_hex, "note merge\n");

    CHECK_INT(pr_gitmeta_notes_walk(fx.dir, PR_NOTES_REF, 0, &notes, &n), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(notes[0].commit.commit, merge_hex);
        CHECK_STR(notes[0].commit.subject, "merge side");
        CHECK_STR(notes[1].commit.commit, hex[0]);
    }
    for (i = 0; i < n; i++)
        CHECK(strcmp(notes[i].commit.commit, side_hex) != 0);
    pr_git_notes_free(notes, n);
    git_reference_free(branch);
    git_commit_free(c1);
    fixture_done(&fx);
}

static void test_no_repository_is_not_found(void)
{
    char dir[64];
    pr_git_note *notes = NULL;
    char *text = NULL, *label = NULL;
    size_t len = 0, n = 0;

    CHECK(make_tmpdir(dir, sizeof dir));
    CHECK_INT(pr_gitmeta_note_read(dir, PR_NOTES_REF, NULL, &text, &len), PR_ENOTFOUND);
    CHECK_CONTAINS(pr_error_last(), "no git repository at '");
    CHECK_INT(pr_gitmeta_note_write(dir, PR_NOTES_REF, NULL, "x", 1), PR_ENOTFOUND);
    CHECK_INT(pr_gitmeta_notes_walk(dir, PR_NOTES_REF, 0, &notes, &n), PR_ENOTFOUND);
    CHECK(notes == NULL);
    CHECK_INT(n, 0);
    CHECK_INT(pr_gitmeta_read_file_at(dir, "HEAD", "x.json", &text, &len, &label), PR_ENOTFOUND);
    CHECK_CONTAINS(pr_error_last(), dir);
    CHECK(text == NULL);
    CHECK(label == NULL);
    rm_rf(dir);
}

static void test_unborn_head_is_not_found(void)
{
    fixture fx;
    pr_git_note *notes = NULL;
    char *text = NULL, *label = NULL;
    size_t len = 0, n = 0;

    if (!fixture_init(&fx, 0))
        return;
    CHECK_INT(pr_gitmeta_note_read(fx.dir, PR_NOTES_REF, NULL, &text, &len), PR_ENOTFOUND);
    CHECK_STR(pr_error_last(), "HEAD has no commit yet");
    CHECK_INT(pr_gitmeta_note_write(fx.dir, PR_NOTES_REF, NULL, "x", 1), PR_ENOTFOUND);
    CHECK_STR(pr_error_last(), "HEAD has no commit yet");
    CHECK_INT(pr_gitmeta_notes_walk(fx.dir, PR_NOTES_REF, 0, &notes, &n), PR_ENOTFOUND);
    CHECK_STR(pr_error_last(), "HEAD has no commit yet");
    CHECK(notes == NULL);
    /* An explicit revision that names nothing yet does not resolve. */
    CHECK_INT(pr_gitmeta_read_file_at(fx.dir, "HEAD", "x.json", &text, &len, &label), PR_EINVALID);
    CHECK(text == NULL);
    fixture_done(&fx);
}

/* ---- files as committed ------------------------------------------------- */

static void test_read_file_at_ignores_work_tree(void)
{
    fixture fx;
    git_oid ids[3];
    char hex[3][GIT_OID_HEXSZ + 1];
    char path[128], expected_label[128];
    char *text = NULL, *label = NULL;
    size_t len = 0;
    int round;

    if (!fixture_init_chain(&fx, 3, ids, hex))
        return;
    snprintf(path, sizeof path, "%s/baselines", fx.dir);
    CHECK_INT(mkdir(path, 0700), 0);
    write_file(&fx, "baselines/x.json", "{\"changed\": true}\n");
    snprintf(expected_label, sizeof expected_label, "HEAD~2 (%.7s):baselines/x.json", hex[0]);

    /* Once with the work tree's copy changed, once with it deleted. */
    for (round = 0; round < 2; round++) {
        CHECK_INT(
            pr_gitmeta_read_file_at(fx.dir, "HEAD~2", "baselines/x.json", &text, &len, &label), 0);
        CHECK_STR(text, "{\"commit\": 1}\n");
        CHECK_INT(len, strlen("{\"commit\": 1}\n"));
        CHECK_STR(label, expected_label);
        free(text);
        free(label);
        text = label = NULL;
        snprintf(path, sizeof path, "%s/baselines/x.json", fx.dir);
        CHECK_INT(remove(path), 0 - round);
    }

    /* HEAD, an id, a branch. */
    CHECK_INT(pr_gitmeta_read_file_at(fx.dir, "HEAD", "./baselines/x.json", &text, &len, &label),
              0);
    CHECK_STR(text, "{\"commit\": 3}\n");
    free(text);
    free(label);
    CHECK_INT(pr_gitmeta_read_file_at(fx.dir, hex[1], "a.txt", &text, &len, &label), 0);
    CHECK_STR(text, "a 2\n");
    free(text);
    free(label);
    CHECK_INT(pr_gitmeta_read_file_at(fx.dir, fx.branch, "baselines/../a.txt", &text, &len, &label),
              0);
    CHECK_STR(text, "a 3\n");
    free(text);
    free(label);
    fixture_done(&fx);
}

static void test_read_file_at_merge_base(void)
{
    fixture fx;
    git_oid ids[3], side, orphan;
    char hex[3][GIT_OID_HEXSZ + 1];
    char expected_label[128];
    git_reference *branch = NULL;
    git_commit *c2 = NULL;
    char *text = NULL, *label = NULL;
    size_t len = 0;
    static const char *const lonely[] = {"baselines/x.json", "orphan\n", NULL};

    /* 1 - 2 - 3 on HEAD's branch, 2 - S on "side". */
    if (!fixture_init_chain(&fx, 3, ids, hex))
        return;
    CHECK_INT(git_commit_lookup(&c2, fx.repo, &ids[1]), 0);
    CHECK_INT(git_branch_create(&branch, fx.repo, "side", c2, 0), 0);
    chain_commit(&fx, "refs/heads/side", &ids[1], 1, 10, &side);

    CHECK_INT(
        pr_gitmeta_read_file_at(fx.dir, "merge-base:side", "baselines/x.json", &text, &len, &label),
        0);
    CHECK_STR(text, "{\"commit\": 2}\n");
    snprintf(expected_label, sizeof expected_label, "merge-base:side (%.7s):baselines/x.json",
             hex[1]);
    CHECK_STR(label, expected_label);
    free(text);
    free(label);
    text = label = NULL;

    /* The branch itself has its own commit's file. */
    CHECK_INT(pr_gitmeta_read_file_at(fx.dir, "side", "baselines/x.json", &text, &len, &label), 0);
    CHECK_STR(text, "{\"commit\": 10}\n");
    free(text);
    free(label);
    text = label = NULL;

    CHECK_INT(pr_gitmeta_read_file_at(fx.dir, "merge-base:nowhere", "baselines/x.json", &text, &len,
                                      &label),
              PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "'nowhere'");

    /* A history with nothing in common. */
    commit_files(&fx, "refs/heads/orphan", NULL, 0, lonely, "orphan\n", 30, &orphan);
    CHECK_INT(pr_gitmeta_read_file_at(fx.dir, "merge-base:orphan", "baselines/x.json", &text, &len,
                                      &label),
              PR_EINVALID);
    CHECK_STR(pr_error_last(), "no merge base of HEAD and 'orphan'");
    CHECK(text == NULL);
    CHECK(label == NULL);
    git_reference_free(branch);
    git_commit_free(c2);
    fixture_done(&fx);
}

static void test_read_file_at_errors(void)
{
    fixture fx;
    git_oid ids[2];
    char hex[2][GIT_OID_HEXSZ + 1];
    char expected[160];
    char *text = NULL, *label = NULL;
    size_t len = 0;

    if (!fixture_init_chain(&fx, 2, ids, hex))
        return;
    CHECK_INT(pr_gitmeta_read_file_at(fx.dir, "v9.9", "baselines/x.json", &text, &len, &label),
              PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "'v9.9' does not resolve to a commit");
    CHECK_INT(pr_gitmeta_read_file_at(fx.dir, "HEAD~5", "baselines/x.json", &text, &len, &label),
              PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "'HEAD~5'");

    CHECK_INT(
        pr_gitmeta_read_file_at(fx.dir, "HEAD~1", "baselines/missing.json", &text, &len, &label),
        PR_ENOTFOUND);
    snprintf(expected, sizeof expected, "'HEAD~1' (%.7s) has no file 'baselines/missing.json'",
             hex[0]);
    CHECK_STR(pr_error_last(), expected);

    /* A directory is not a file. */
    CHECK_INT(pr_gitmeta_read_file_at(fx.dir, "HEAD", "baselines", &text, &len, &label),
              PR_ENOTFOUND);
    CHECK_CONTAINS(pr_error_last(), "has no file 'baselines'");

    /* Paths that leave the repository. */
    CHECK_INT(pr_gitmeta_read_file_at(fx.dir, "HEAD", "../outside", &text, &len, &label),
              PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "'../outside'");
    CHECK_INT(
        pr_gitmeta_read_file_at(fx.dir, "HEAD", "baselines/../../x.json", &text, &len, &label),
        PR_EINVALID);
    CHECK_INT(pr_gitmeta_read_file_at(fx.dir, "HEAD", "/etc/passwd", &text, &len, &label),
              PR_EINVALID);
    CHECK_INT(pr_gitmeta_read_file_at(fx.dir, "HEAD", ".", &text, &len, &label), PR_EINVALID);
    CHECK(text == NULL);
    CHECK(label == NULL);
    CHECK_INT(len, 0);
    fixture_done(&fx);
}

static void test_read_file_at_from_subdirectory(void)
{
    fixture fx;
    git_oid ids[2];
    char hex[2][GIT_OID_HEXSZ + 1];
    char sub[128], abs_path[192];
    char *text = NULL, *label = NULL;
    size_t len = 0;

    if (!fixture_init_chain(&fx, 2, ids, hex))
        return;
    snprintf(sub, sizeof sub, "%s/sub", fx.dir);
    CHECK_INT(mkdir(sub, 0700), 0);

    CHECK_INT(pr_gitmeta_read_file_at(sub, "HEAD", "baselines/x.json", &text, &len, &label), 0);
    CHECK_STR(text, "sub 2\n");
    CHECK_CONTAINS(label, "):sub/baselines/x.json");
    free(text);
    free(label);

    CHECK_INT(pr_gitmeta_read_file_at(sub, "HEAD", "../baselines/x.json", &text, &len, &label), 0);
    CHECK_STR(text, "{\"commit\": 2}\n");
    CHECK_CONTAINS(label, "):baselines/x.json");
    free(text);
    free(label);

    /* An absolute path inside the work tree. */
    snprintf(abs_path, sizeof abs_path, "%s/sub/baselines/x.json", fx.dir);
    CHECK_INT(pr_gitmeta_read_file_at(sub, "HEAD~1", abs_path, &text, &len, &label), 0);
    CHECK_STR(text, "sub 1\n");
    free(text);
    free(label);
    text = label = NULL;

    CHECK_INT(pr_gitmeta_read_file_at(sub, "HEAD", "../../outside", &text, &len, &label),
              PR_EINVALID);
    fixture_done(&fx);
}

/* ---- shallow clones ------------------------------------------------------- */

/* Checks a clone of the 3-commit chain HEX that holds its newest DEPTH
 * commits. */
static void check_shallow_clone(const char *clone, int depth, char (*hex)[GIT_OID_HEXSZ + 1])
{
    pr_git_info g;
    pr_git_note *notes = NULL;
    char *text = NULL, *label = NULL;
    size_t n = 0, len = 0;
    int i;

    memset(&g, 0, sizeof g);
    CHECK_INT(pr_gitmeta_read(&g, clone), 0);
    CHECK_STR(g.commit, hex[2]);
    CHECK_STR(g.subject, "commit 3");
    CHECK_STR(g.author_time, "2020-09-13T12:29:40Z");
    CHECK_INT(g.dirty, 0);
    pr_git_info_release(&g);

    /* Notes are not cloned: none, and no error. */
    CHECK_INT(pr_gitmeta_notes_walk(clone, PR_NOTES_REF, 0, &notes, &n), 0);
    CHECK_INT(n, 0);
    pr_git_notes_free(notes, n);

    /* A note on every commit the clone has: all found, newest first, and
     * the walk ends at the missing parent. */
    CHECK_INT(pr_gitmeta_note_write(clone, PR_NOTES_REF, NULL, "newest\n", 7), 0);
    if (depth > 1)
        CHECK_INT(pr_gitmeta_note_write(clone, PR_NOTES_REF, "HEAD~1", "older\n", 6), 0);
    CHECK_INT(pr_gitmeta_notes_walk(clone, PR_NOTES_REF, 0, &notes, &n), 0);
    CHECK_INT(n, depth);
    for (i = 0; i < depth && (size_t)i < n; i++)
        CHECK_STR(notes[i].commit.commit, hex[2 - i]);
    pr_git_notes_free(notes, n);

    /* Files of the commits it has; none of those it has not. */
    CHECK_INT(pr_gitmeta_read_file_at(clone, "HEAD", "baselines/x.json", &text, &len, &label), 0);
    CHECK_STR(text, "{\"commit\": 3}\n");
    free(text);
    free(label);
    text = label = NULL;
    CHECK_INT(pr_gitmeta_read_file_at(clone, depth > 1 ? "HEAD~2" : "HEAD~1", "baselines/x.json",
                                      &text, &len, &label),
              PR_EINVALID);
    CHECK(text == NULL);
}

static void test_shallow_clone(void)
{
    fixture fx;
    git_oid ids[3];
    char hex[3][GIT_OID_HEXSZ + 1];
    char outer[64], clone[96], command[512];
    struct stat st;
    int depth;

    if (system("git --version >/dev/null 2>&1") != 0) {
        printf("note: git is not on PATH; the shallow-clone check is skipped\n");
        return;
    }
    if (!fixture_init_chain(&fx, 3, ids, hex))
        return;
    CHECK(make_tmpdir(outer, sizeof outer));
    for (depth = 1; depth <= 2; depth++) {
        snprintf(clone, sizeof clone, "%s/clone%d", outer, depth);
        snprintf(command, sizeof command,
                 "git clone -q --depth %d 'file://%s' '%s' >/dev/null 2>&1", depth, fx.dir, clone);
        CHECK_INT(system(command), 0);
        /* Shallow indeed: git records where its history was cut. */
        snprintf(command, sizeof command, "%s/.git/shallow", clone);
        CHECK_INT(stat(command, &st), 0);
        check_shallow_clone(clone, depth, hex);
    }
    rm_rf(outer);
    fixture_done(&fx);
}

/* ---- another commit's tree ---------------------------------------------- */

/* Commits the repository's index on HEAD with PARENT (NULL: none). */
static void commit_index(fixture *fx, const git_oid *parent, const char *message, int minutes,
                         git_oid *out, char *hex)
{
    git_index *index = NULL;
    git_tree *tree = NULL;
    git_commit *parent_commit = NULL;
    git_signature *sig = NULL;
    const git_commit *parents[1];
    git_oid tree_id;

    CHECK_INT(git_repository_index(&index, fx->repo), 0);
    CHECK_INT(git_index_write_tree(&tree_id, index), 0);
    CHECK_INT(git_tree_lookup(&tree, fx->repo, &tree_id), 0);
    if (parent)
        CHECK_INT(git_commit_lookup(&parent_commit, fx->repo, parent), 0);
    parents[0] = parent_commit;
    CHECK_INT(git_signature_new(&sig, "Test Committer", "committer@example.com",
                                COMMIT_TIME + 60 * minutes, 0),
              0);
    CHECK_INT(git_commit_create(out, fx->repo, "HEAD", sig, sig, NULL, message, tree,
                                parent ? 1 : 0, parents),
              0);
    git_oid_tostr(hex, GIT_OID_HEXSZ + 1, out);
    git_signature_free(sig);
    git_commit_free(parent_commit);
    git_tree_free(tree);
    git_index_free(index);
}

static void make_dir(const fixture *fx, const char *name)
{
    char path[256];

    snprintf(path, sizeof path, "%s/%s", fx->dir, name);
    CHECK_INT(mkdir(path, 0755), 0);
}

/*
 * A repository of two commits, made from a real work tree and index:
 * commit 1 has a.txt "one", the executable run.sh, the symbolic link
 * "link" to sub/dir/nested.txt, lf.txt with LF line endings under a
 * .gitattributes that asks for CRLF in the work tree; commit 2 changes
 * a.txt to "two" and adds only-in-2.txt. IDS and HEX: commit 1, commit 2.
 */
static int fixture_init_export(fixture *fx, git_oid *ids, char (*hex)[GIT_OID_HEXSZ + 1])
{
    char path[256];
    static const char *const files[] = {"a.txt",          "run.sh", "link", "sub/dir/nested.txt",
                                        ".gitattributes", "lf.txt", NULL};
    size_t i;

    if (!fixture_init(fx, 0))
        return 0;
    write_file(fx, "a.txt", "one\n");
    write_file(fx, "run.sh", "#!/bin/sh\necho one\n");
    snprintf(path, sizeof path, "%s/run.sh", fx->dir);
    CHECK_INT(chmod(path, 0755), 0);
    make_dir(fx, "sub");
    make_dir(fx, "sub/dir");
    write_file(fx, "sub/dir/nested.txt", "nested\n");
    snprintf(path, sizeof path, "%s/link", fx->dir);
    CHECK_INT(symlink("sub/dir/nested.txt", path), 0);
    write_file(fx, ".gitattributes", "lf.txt eol=crlf\n");
    write_file(fx, "lf.txt", "x\ny\n");
    for (i = 0; files[i]; i++)
        stage(fx, files[i]);
    commit_index(fx, NULL, "commit 1\n", 1, &ids[0], hex[0]);

    write_file(fx, "a.txt", "two\n");
    write_file(fx, "only-in-2.txt", "new\n");
    stage(fx, "a.txt");
    stage(fx, "only-in-2.txt");
    commit_index(fx, &ids[0], "commit 2\n", 2, &ids[1], hex[1]);
    fx->commit = ids[1];
    snprintf(fx->hex, sizeof fx->hex, "%s", hex[1]);
    return 1;
}

/* Everything under a folder, for comparing it before and after: each
 * entry's path, mode, size and modification time, a file's content and a
 * link's target. nftw has no context pointer, hence the static buffer. */
static pr_strbuf snapshot_sb;

static int snapshot_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    char target[256];
    ssize_t n;
    FILE *f;
    int c;

    (void)ftw;
    pr_strbuf_addf(&snapshot_sb, "%s %o %lld %lld.%09ld ", path, (unsigned)st->st_mode,
                   (long long)st->st_size, (long long)st->st_mtim.tv_sec,
                   (long)st->st_mtim.tv_nsec);
    if (type == FTW_SL) {
        n = readlink(path, target, sizeof target);
        if (n > 0)
            pr_strbuf_add(&snapshot_sb, target, (size_t)n);
    } else if (type == FTW_F && (f = fopen(path, "rb")) != NULL) {
        while ((c = getc(f)) != EOF)
            pr_strbuf_addf(&snapshot_sb, "%02x", (unsigned)c);
        fclose(f);
    }
    pr_strbuf_addch(&snapshot_sb, '\n');
    return 0;
}

/* The snapshot of DIR (caller frees). */
static char *snapshot(const char *dir)
{
    pr_strbuf_init(&snapshot_sb);
    CHECK_INT(nftw(dir, snapshot_entry, 16, FTW_PHYS), 0);
    CHECK_INT(pr_strbuf_error(&snapshot_sb), 0);
    return pr_strbuf_detach(&snapshot_sb, NULL);
}

/* The entries of DIR, "." and ".." not counted; -1 when it cannot be read. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static int exists(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0;
}

/* Checks that DIR/NAME is a regular file holding CONTENT with mode MODE. */
static void check_file(const char *dir, const char *name, const char *content, unsigned mode)
{
    char path[512], buf[256];
    struct stat st;
    size_t n = 0;
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    CHECK_INT(lstat(path, &st), 0);
    CHECK(S_ISREG(st.st_mode));
    CHECK_INT(st.st_mode & 07777, mode);
    f = fopen(path, "rb");
    CHECK(f != NULL);
    if (f) {
        n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
    }
    buf[n] = '\0';
    CHECK_STR(buf, content);
}

static void check_folder(const char *dir, const char *name, unsigned mode)
{
    char path[512];
    struct stat st;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    CHECK_INT(lstat(path, &st), 0);
    CHECK(S_ISDIR(st.st_mode));
    CHECK_INT(st.st_mode & 07777, mode);
}

static void test_resolve(void)
{
    fixture fx;
    git_oid ids[2], side;
    char hex[2][GIT_OID_HEXSZ + 1];
    char expected[192], outside[64];
    git_reference *branch = NULL;
    git_commit *c1 = NULL;
    char *commit = NULL, *label = NULL;

    if (!fixture_init_export(&fx, ids, hex))
        return;

    CHECK_INT(pr_gitmeta_resolve(fx.dir, "HEAD~1", &commit, &label), 0);
    CHECK_STR(commit, hex[0]);
    snprintf(expected, sizeof expected, "HEAD~1 (%.7s)", hex[0]);
    CHECK_STR(label, expected);
    free(commit);
    free(label);

    CHECK_INT(pr_gitmeta_resolve(fx.dir, fx.branch, &commit, &label), 0);
    CHECK_STR(commit, hex[1]);
    snprintf(expected, sizeof expected, "%s (%.7s)", fx.branch, hex[1]);
    CHECK_STR(label, expected);
    free(commit);
    free(label);

    /* NULL is HEAD; an abbreviated id is spelled out in full. */
    CHECK_INT(pr_gitmeta_resolve(fx.dir, NULL, &commit, &label), 0);
    CHECK_STR(commit, hex[1]);
    snprintf(expected, sizeof expected, "HEAD (%.7s)", hex[1]);
    CHECK_STR(label, expected);
    free(commit);
    free(label);
    snprintf(expected, sizeof expected, "%.10s", hex[0]);
    CHECK_INT(pr_gitmeta_resolve(fx.dir, expected, &commit, &label), 0);
    CHECK_STR(commit, hex[0]);
    free(commit);
    free(label);

    /* 1 - 2 on HEAD's branch, 1 - S on "side": the merge base is 1. */
    CHECK_INT(git_commit_lookup(&c1, fx.repo, &ids[0]), 0);
    CHECK_INT(git_branch_create(&branch, fx.repo, "side", c1, 0), 0);
    chain_commit(&fx, "refs/heads/side", &ids[0], 1, 10, &side);
    CHECK_INT(pr_gitmeta_resolve(fx.dir, "merge-base:side", &commit, &label), 0);
    CHECK_STR(commit, hex[0]);
    snprintf(expected, sizeof expected, "merge-base:side (%.7s)", hex[0]);
    CHECK_STR(label, expected);
    free(commit);
    free(label);
    commit = label = NULL;

    CHECK_INT(pr_gitmeta_resolve(fx.dir, "nosuchref", &commit, &label), PR_EINVALID);
    CHECK_STR(pr_error_last(), "'nosuchref' does not resolve to a commit in this repository");
    CHECK(commit == NULL);
    CHECK(label == NULL);
    CHECK_INT(pr_gitmeta_resolve(fx.dir, "merge-base:nosuchref", &commit, &label), PR_EINVALID);
    CHECK_STR(pr_error_last(), "'nosuchref' does not resolve to a commit in this repository");
    /* A tree is not a commit. */
    CHECK_INT(pr_gitmeta_resolve(fx.dir, "HEAD^{tree}", &commit, &label), PR_EINVALID);
    CHECK(commit == NULL);
    CHECK(label == NULL);

    CHECK(make_tmpdir(outside, sizeof outside));
    CHECK_INT(pr_gitmeta_resolve(outside, "HEAD", &commit, &label), PR_ENOTFOUND);
    CHECK_CONTAINS(pr_error_last(), "no git repository at '");
    CHECK_CONTAINS(pr_error_last(), outside);
    CHECK(commit == NULL);
    CHECK(label == NULL);
    rm_rf(outside);
    git_reference_free(branch);
    git_commit_free(c1);
    fixture_done(&fx);
}

static void test_export_writes_the_tree(void)
{
    fixture fx;
    git_oid ids[2], head_before, head_after;
    char hex[2][GIT_OID_HEXSZ + 1];
    char outer[64], dest[128], dest2[128], path[256], index_path[256], target[64];
    char *before = NULL, *after = NULL, *commit = NULL, *label = NULL;
    git_index *index = NULL;
    struct stat index_st, st;
    size_t index_entries;
    ssize_t n;
    mode_t old_umask;

    if (!fixture_init_export(&fx, ids, hex))
        return;
    /* An uncommitted change in the work tree, and one staged. */
    write_file(&fx, "a.txt", "uncommitted\n");
    write_file(&fx, "staged.txt", "staged\n");
    stage(&fx, "staged.txt");

    CHECK(make_tmpdir(outer, sizeof outer));
    snprintf(dest, sizeof dest, "%s/new/parents/export", outer);
    snprintf(index_path, sizeof index_path, "%s/.git/index", fx.dir);
    CHECK_INT(stat(index_path, &index_st), 0);
    CHECK_INT(git_repository_index(&index, fx.repo), 0);
    index_entries = git_index_entrycount(index);
    CHECK_INT(git_reference_name_to_id(&head_before, fx.repo, "HEAD"), 0);
    before = snapshot(fx.dir);

    /* The way compare --against will call it; a strict umask, which the
     * modes must not show. */
    CHECK_INT(pr_gitmeta_resolve(fx.dir, "HEAD~1", &commit, &label), 0);
    old_umask = umask(077);
    CHECK_INT(pr_gitmeta_export(fx.dir, commit, dest), 0);
    umask(old_umask);

    check_folder(dest, ".", 0755);
    check_file(dest, "a.txt", "one\n", 0644);
    check_file(dest, "run.sh", "#!/bin/sh\necho one\n", 0755);
    check_folder(dest, "sub", 0755);
    check_folder(dest, "sub/dir", 0755);
    check_file(dest, "sub/dir/nested.txt", "nested\n", 0644);
    check_file(dest, ".gitattributes", "lf.txt eol=crlf\n", 0644);
    /* As stored: no CRLF from .gitattributes. */
    check_file(dest, "lf.txt", "x\ny\n", 0644);
    snprintf(path, sizeof path, "%s/link", dest);
    CHECK_INT(lstat(path, &st), 0);
    CHECK(S_ISLNK(st.st_mode));
    n = readlink(path, target, sizeof target - 1);
    CHECK_INT(n, strlen("sub/dir/nested.txt"));
    target[n > 0 ? n : 0] = '\0';
    CHECK_STR(target, "sub/dir/nested.txt");
    /* Nothing of commit 2, of the index or the work tree; no .git. */
    CHECK_INT(count_entries(dest), 6);
    snprintf(path, sizeof path, "%s/only-in-2.txt", dest);
    CHECK(!exists(path));
    snprintf(path, sizeof path, "%s/staged.txt", dest);
    CHECK(!exists(path));
    snprintf(path, sizeof path, "%s/.git", dest);
    CHECK(!exists(path));

    /* The repository's folder is as it was, byte for byte and time for
     * time: work tree, index, HEAD, refs and objects. */
    after = snapshot(fx.dir);
    CHECK_STR(after, before);
    CHECK_INT(stat(index_path, &st), 0);
    CHECK_INT(st.st_size, index_st.st_size);
    CHECK_INT(st.st_mtim.tv_sec, index_st.st_mtim.tv_sec);
    CHECK_INT(st.st_mtim.tv_nsec, index_st.st_mtim.tv_nsec);
    CHECK_INT(git_index_read(index, 1), 0);
    CHECK_INT(git_index_entrycount(index), index_entries);
    CHECK(git_index_get_bypath(index, "staged.txt", 0) != NULL);
    CHECK_INT(git_reference_name_to_id(&head_after, fx.repo, "HEAD"), 0);
    CHECK(git_oid_equal(&head_before, &head_after));
    CHECK_INT(git_repository_head_detached(fx.repo), 0);
    free(after);
    free(commit);
    free(label);

    /* Commit 2, from a subfolder, into a folder named with a trailing
     * slash whose parent exists. */
    snprintf(dest2, sizeof dest2, "%s/export2/", outer);
    snprintf(path, sizeof path, "%s/sub", fx.dir);
    CHECK_INT(pr_gitmeta_export(path, hex[1], dest2), 0);
    check_file(dest2, "a.txt", "two\n", 0644);
    check_file(dest2, "only-in-2.txt", "new\n", 0644);
    check_file(dest2, "run.sh", "#!/bin/sh\necho one\n", 0755);
    after = snapshot(fx.dir);
    CHECK_STR(after, before);
    free(after);

    free(before);
    git_index_free(index);
    rm_rf(outer);
    fixture_done(&fx);
}

/* One entry of a tree written by hand, to make trees libgit2's tree
 * builder refuses. */
typedef struct raw_entry {
    const char *mode; /* octal, as git writes it: "100644", "40000" */
    const char *name;
    const git_oid *id;
} raw_entry;

static void write_raw_tree(fixture *fx, const raw_entry *entries, size_t n, git_oid *out)
{
    unsigned char buf[4096];
    size_t len = 0, i, m, k;
    git_odb *odb = NULL;

    for (i = 0; i < n; i++) {
        m = strlen(entries[i].mode);
        k = strlen(entries[i].name);
        CHECK(len + m + k + 2 + GIT_OID_RAWSZ <= sizeof buf);
        if (len + m + k + 2 + GIT_OID_RAWSZ > sizeof buf)
            return;
        memcpy(buf + len, entries[i].mode, m);
        len += m;
        buf[len++] = ' ';
        memcpy(buf + len, entries[i].name, k + 1); /* with its NUL */
        len += k + 1;
        memcpy(buf + len, entries[i].id->id, GIT_OID_RAWSZ);
        len += GIT_OID_RAWSZ;
    }
    CHECK_INT(git_repository_odb(&odb, fx->repo), 0);
    CHECK_INT(git_odb_write(out, odb, buf, len, GIT_OBJECT_TREE), 0);
    git_odb_free(odb);
}

/* A commit of TREE_ID on no branch; HEX receives its id. */
static void commit_raw_tree(fixture *fx, const git_oid *tree_id, char *hex)
{
    git_signature *sig = NULL;
    git_tree *tree = NULL;
    git_oid id;

    CHECK_INT(git_signature_new(&sig, "Test Committer", "committer@example.com", COMMIT_TIME, 0),
              0);
    CHECK_INT(git_tree_lookup(&tree, fx->repo, tree_id), 0);
    CHECK_INT(git_commit_create(&id, fx->repo, NULL, sig, sig, NULL, "crafted\n", tree, 0, NULL),
              0);
    git_oid_tostr(hex, GIT_OID_HEXSZ + 1, &id);
    git_tree_free(tree);
    git_signature_free(sig);
}

static void blob_of(fixture *fx, const char *content, git_oid *out)
{
    CHECK_INT(git_blob_create_from_buffer(out, fx->repo, content, strlen(content)), 0);
}

static void test_export_refuses_existing_folder(void)
{
    fixture fx;
    git_oid ids[2];
    char hex[2][GIT_OID_HEXSZ + 1];
    char outer[64], dest[128], file[160], link[128], blocked[192];
    char *before = NULL, *after = NULL;
    FILE *keep;

    if (!fixture_init_export(&fx, ids, hex))
        return;
    CHECK(make_tmpdir(outer, sizeof outer));

    /* A folder with something in it stays as it is. */
    snprintf(dest, sizeof dest, "%s/existing", outer);
    CHECK_INT(mkdir(dest, 0700), 0);
    snprintf(file, sizeof file, "%s/keep.txt", dest);
    keep = fopen(file, "w");
    CHECK(keep != NULL);
    if (keep)
        fclose(keep);
    before = snapshot(outer);
    CHECK_INT(pr_gitmeta_export(fx.dir, hex[0], dest), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "already exists");
    CHECK_CONTAINS(pr_error_last(), dest);
    after = snapshot(outer);
    CHECK_STR(after, before);
    free(after);

    /* So does a file, or a symbolic link to nowhere. */
    CHECK_INT(pr_gitmeta_export(fx.dir, hex[0], file), PR_EINVALID);
    snprintf(link, sizeof link, "%s/dangling", outer);
    CHECK_INT(symlink("/nonexistent/perfreg", link), 0);
    free(before);
    before = snapshot(outer);
    CHECK_INT(pr_gitmeta_export(fx.dir, hex[0], link), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "already exists");
    after = snapshot(outer);
    CHECK_STR(after, before);
    free(after);

    /* A file where a folder above DEST should be: nothing is made. */
    snprintf(blocked, sizeof blocked, "%s/keep.txt/sub/export", dest);
    CHECK_INT(pr_gitmeta_export(fx.dir, hex[0], blocked), PR_EIO);
    CHECK_CONTAINS(pr_error_last(), "keep.txt");
    CHECK_CONTAINS(pr_error_last(), "not a folder");
    after = snapshot(outer);
    CHECK_STR(after, before);
    free(after);
    free(before);
    rm_rf(outer);
    fixture_done(&fx);
}

static void test_export_errors(void)
{
    fixture fx;
    git_oid ids[2];
    char hex[2][GIT_OID_HEXSZ + 1];
    char outer[64], outside[64], dest[128], tree_hex[GIT_OID_HEXSZ + 1];
    git_commit *c1 = NULL;

    if (!fixture_init_export(&fx, ids, hex))
        return;
    CHECK(make_tmpdir(outer, sizeof outer));
    snprintf(dest, sizeof dest, "%s/new/export", outer);

    CHECK_INT(pr_gitmeta_export(fx.dir, "HEAD", dest), PR_EINVALID);
    CHECK_STR(pr_error_last(), "'HEAD' is not a full commit id");
    CHECK_INT(pr_gitmeta_export(fx.dir, "0123456789012345678901234567890123456789", dest),
              PR_EINVALID);
    CHECK_STR(pr_error_last(), "'0123456789012345678901234567890123456789' does not resolve "
                               "to a commit in this repository");
    /* A tree's id is not a commit's. */
    CHECK_INT(git_commit_lookup(&c1, fx.repo, &ids[0]), 0);
    git_oid_tostr(tree_hex, sizeof tree_hex, c1 ? git_commit_tree_id(c1) : &ids[0]);
    CHECK_INT(pr_gitmeta_export(fx.dir, tree_hex, dest), PR_EINVALID);
    CHECK_INT(pr_gitmeta_export(fx.dir, hex[0], ""), PR_EINVALID);

    CHECK(make_tmpdir(outside, sizeof outside));
    CHECK_INT(pr_gitmeta_export(outside, hex[0], dest), PR_ENOTFOUND);
    CHECK_CONTAINS(pr_error_last(), "no git repository at '");
    CHECK_INT(count_entries(outside), 0);
    rm_rf(outside);

    /* None of these made anything. */
    CHECK_INT(count_entries(outer), 0);
    git_commit_free(c1);
    rm_rf(outer);
    fixture_done(&fx);
}

/* Exports COMMIT into OUTER/new/export and expects CODE with a message
 * holding WHAT, and OUTER as empty as it was. */
static void check_export_fails(const fixture *fx, const char *outer, const char *commit, int code,
                               const char *what)
{
    char dest[128];

    snprintf(dest, sizeof dest, "%s/new/export", outer);
    CHECK_INT(pr_gitmeta_export(fx->dir, commit, dest), code);
    CHECK_CONTAINS(pr_error_last(), what);
    CHECK_INT(count_entries(outer), 0);
}

static void test_export_refuses_unsafe_names(void)
{
    fixture fx;
    git_oid ids[2], blob, inner, top, link_target;
    char hex[2][GIT_OID_HEXSZ + 1];
    char outer[64], planted_dir[128], path[192], commit[GIT_OID_HEXSZ + 1];
    static const char *const bad[] = {"..", ".", ".git", ".GIT", "a/b", "../escaped.txt", NULL};
    size_t i;

    if (!fixture_init_export(&fx, ids, hex))
        return;
    CHECK(make_tmpdir(outer, sizeof outer));
    blob_of(&fx, "escaped\n", &blob);
    {
        raw_entry sub[] = {{"100644", "escaped.txt", &blob}};
        write_raw_tree(&fx, sub, 1, &inner);
    }

    /* a.txt is written first, then the bad entry: as a folder holding
     * escaped.txt, and as a file. Either way nothing is written, above
     * the export or in it. */
    for (i = 0; bad[i]; i++) {
        raw_entry as_tree[] = {{"100644", "a.txt", &blob}, {"40000", bad[i], &inner}};
        raw_entry as_file[] = {{"100644", "a.txt", &blob}, {"100644", bad[i], &blob}};

        write_raw_tree(&fx, as_tree, 2, &top);
        commit_raw_tree(&fx, &top, commit);
        check_export_fails(&fx, outer, commit, PR_EINVALID, bad[i]);
        CHECK_CONTAINS(pr_error_last(), "refusing to export it");
        write_raw_tree(&fx, as_file, 2, &top);
        commit_raw_tree(&fx, &top, commit);
        check_export_fails(&fx, outer, commit, PR_EINVALID, bad[i]);
    }
    /* Deeper down too. */
    {
        raw_entry deep[] = {{"100644", "ok.txt", &blob}, {"40000", "..", &inner}};
        raw_entry mid[2];

        write_raw_tree(&fx, deep, 2, &top);
        mid[0] = (raw_entry){"100644", "a.txt", &blob};
        mid[1] = (raw_entry){"40000", "sub", &top};
        write_raw_tree(&fx, mid, 2, &top);
        commit_raw_tree(&fx, &top, commit);
        check_export_fails(&fx, outer, commit, PR_EINVALID, "'sub/..'");
    }

    /* A symbolic link to a folder outside, then a folder of the same name:
     * nothing is written through the link. */
    CHECK(make_tmpdir(planted_dir, sizeof planted_dir));
    blob_of(&fx, planted_dir, &link_target);
    {
        raw_entry twice[] = {{"120000", "link", &link_target}, {"40000", "link", &inner}};
        raw_entry file_twice[] = {{"120000", "link", &link_target}, {"100644", "link", &blob}};

        write_raw_tree(&fx, twice, 2, &top);
        commit_raw_tree(&fx, &top, commit);
        check_export_fails(&fx, outer, commit, PR_EIO, "File exists");
        write_raw_tree(&fx, file_twice, 2, &top);
        commit_raw_tree(&fx, &top, commit);
        check_export_fails(&fx, outer, commit, PR_EIO, "File exists");
    }
    CHECK_INT(count_entries(planted_dir), 0);
    snprintf(path, sizeof path, "%s/escaped.txt", outer);
    CHECK(!exists(path));
    rm_rf(planted_dir);
    rm_rf(outer);
    fixture_done(&fx);
}

static void test_export_failure_midway_leaves_nothing(void)
{
    fixture fx;
    git_oid ids[2], blob, missing, sub, top;
    char hex[2][GIT_OID_HEXSZ + 1];
    char outer[64], commit[GIT_OID_HEXSZ + 1], long_name[301];

    if (!fixture_init_export(&fx, ids, hex))
        return;
    CHECK(make_tmpdir(outer, sizeof outer));
    blob_of(&fx, "content\n", &blob);

    /* A name longer than any file system takes, after a file and a folder
     * were written: the system's reason, naming the path. */
    memset(long_name, 'z', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    {
        raw_entry inner[] = {{"100644", "x.txt", &blob}, {"100644", long_name, &blob}};
        raw_entry outer_tree[] = {{"100644", "a.txt", &blob}, {"40000", "sub", &sub}};

        write_raw_tree(&fx, inner, 2, &sub);
        write_raw_tree(&fx, outer_tree, 2, &top);
        commit_raw_tree(&fx, &top, commit);
        check_export_fails(&fx, outer, commit, PR_EIO, "File name too long");
        CHECK_CONTAINS(pr_error_last(), "/new/export/sub/zzzz");
    }

    /* A blob the repository does not have (as in a partial clone). */
    memset(&missing, 0x42, sizeof missing);
    {
        raw_entry inner[] = {{"100644", "x.txt", &blob}, {"100755", "gone.sh", &missing}};
        raw_entry outer_tree[] = {{"100644", "a.txt", &blob}, {"40000", "sub", &sub}};

        write_raw_tree(&fx, inner, 2, &sub);
        write_raw_tree(&fx, outer_tree, 2, &top);
        commit_raw_tree(&fx, &top, commit);
        check_export_fails(&fx, outer, commit, PR_EIO, "cannot read 'sub/gone.sh' of commit");
    }

    /* A symbolic link with an empty target, which no system makes. */
    {
        git_oid empty;
        raw_entry tree[] = {{"100644", "a.txt", &blob}, {"120000", "link", &empty}};

        blob_of(&fx, "", &empty);
        write_raw_tree(&fx, tree, 2, &top);
        commit_raw_tree(&fx, &top, commit);
        check_export_fails(&fx, outer, commit, PR_EIO, "cannot create '");
        CHECK_CONTAINS(pr_error_last(), "/new/export/link'");
    }
    rm_rf(outer);
    fixture_done(&fx);
}

static void test_export_submodule_is_empty_folder(void)
{
    fixture fx;
    git_oid ids[2], blob, top;
    char hex[2][GIT_OID_HEXSZ + 1];
    char outer[64], dest[128], vendor[160], commit[GIT_OID_HEXSZ + 1];
    raw_entry tree[2];

    if (!fixture_init_export(&fx, ids, hex))
        return;
    CHECK(make_tmpdir(outer, sizeof outer));
    blob_of(&fx, "content\n", &blob);
    /* The gitlink names a commit of another repository: absent here. */
    tree[0] = (raw_entry){"100644", "a.txt", &blob};
    tree[1] = (raw_entry){"160000", "vendor", &ids[0]};
    write_raw_tree(&fx, tree, 2, &top);
    commit_raw_tree(&fx, &top, commit);
    snprintf(dest, sizeof dest, "%s/export", outer);
    CHECK_INT(pr_gitmeta_export(fx.dir, commit, dest), 0);
    check_file(dest, "a.txt", "content\n", 0644);
    check_folder(dest, "vendor", 0755);
    snprintf(vendor, sizeof vendor, "%s/vendor", dest);
    CHECK_INT(count_entries(vendor), 0);
    rm_rf(outer);
    fixture_done(&fx);
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
    RUN_TEST(test_note_write_then_read_on_head);
    RUN_TEST(test_note_on_explicit_rev);
    RUN_TEST(test_notes_walk_first_parent_chain);
    RUN_TEST(test_notes_walk_skips_second_parent);
    RUN_TEST(test_no_repository_is_not_found);
    RUN_TEST(test_unborn_head_is_not_found);
    RUN_TEST(test_read_file_at_ignores_work_tree);
    RUN_TEST(test_read_file_at_merge_base);
    RUN_TEST(test_read_file_at_errors);
    RUN_TEST(test_read_file_at_from_subdirectory);
    RUN_TEST(test_shallow_clone);
    RUN_TEST(test_resolve);
    RUN_TEST(test_export_writes_the_tree);
    RUN_TEST(test_export_refuses_existing_folder);
    RUN_TEST(test_export_errors);
    RUN_TEST(test_export_refuses_unsafe_names);
    RUN_TEST(test_export_failure_midway_leaves_nothing);
    RUN_TEST(test_export_submodule_is_empty_folder);
    git_libgit2_shutdown();
    return CHECK_DONE();
}
