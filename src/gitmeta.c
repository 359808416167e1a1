/*
 * gitmeta.c - perfreg's view of git, read with libgit2: which commit a run
 * measured (HEAD's id, branch, subject, committer and author time, whether
 * tracked files were changed), the notes that carry shared history under
 * refs/notes/perfreg, files as a commit stores them, and a commit's whole
 * tree written into a new folder, for building another commit without
 * touching the user's work tree. The only file that includes <git2.h>; the
 * rest of perfreg sees plain structs and strings.
 *
 * Git is optional for a run: outside a repository, and in a repository that
 * libgit2 cannot read, every field of pr_gitmeta_read stays unknown and the
 * read succeeds. Only running out of memory is an error there. The work
 * tree's state decides `dirty` alone: untracked, ignored files and
 * submodules do not count, and a bare repository has no work tree, so its
 * `dirty` stays unknown.
 *
 * Notes and committed files are asked for by name, so there a missing
 * repository, an unresolvable revision or a missing file is an error with a
 * message. Merging two notes on one commit is the caller's business: a write
 * replaces what is there.
 */
#define _XOPEN_SOURCE 700 /* realpath: X/Open in glibc's headers */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "error.h"
#include "gitmeta.h"
#include "machine.h"
#include "store.h"
#include "strbuf.h"
#include "banned.h"

#define SHORT_COMMIT_LEN 7

/* The helpers' code for "libgit2 could not read the repository": not an
 * error for the caller, who then sees no repository at all. */
#define UNREADABLE 1

/* What a failed libgit2 call means: PR_ENOMEM when libgit2 ran out of
 * memory, otherwise UNREADABLE. */
static int git_failure(void)
{
    const git_error *e = git_error_last();

    if (e && e->klass == GIT_ERROR_NOMEMORY)
        return pr_error_set(PR_ENOMEM, "out of memory");
    return UNREADABLE;
}

/* Sets *DST to a heap copy of SRC; PR_ENOMEM when that fails. */
static int set_string(char **dst, const char *src)
{
    *dst = pr_strdup(src);
    return *dst ? 0 : PR_ENOMEM;
}

/* The branch that HEAD names on an unborn branch, where HEAD resolves to
 * nothing yet. */
static int read_unborn_branch(pr_git_info *out, git_repository *repo)
{
    static const char heads[] = "refs/heads/";
    git_reference *head = NULL;
    const char *target;
    int err;

    if (git_reference_lookup(&head, repo, "HEAD") < 0) {
        err = git_failure();
        goto done;
    }
    target = git_reference_symbolic_target(head);
    if (!target) {
        err = UNREADABLE;
        goto done;
    }
    if (strncmp(target, heads, sizeof heads - 1) == 0)
        target += sizeof heads - 1;
    err = set_string(&out->branch, target);
done:
    git_reference_free(head);
    return err;
}

/* Sets *DST to TIME as ISO-8601 UTC. */
static int set_time(char **dst, git_time_t time)
{
    char when[32];

    pr_machine_iso8601((time_t)time, when, sizeof when);
    return set_string(dst, when);
}

/* Fills the commit fields of OUT from COMMIT: 0, PR_ENOMEM or UNREADABLE.
 * Parents are never looked at, so a shallow clone reads like any other. */
static int fill_commit(pr_git_info *out, git_commit *commit)
{
    char hex[GIT_OID_HEXSZ + 1];
    const git_signature *author;
    const char *summary;
    int err;

    git_oid_tostr(hex, sizeof hex, git_commit_id(commit));
    if ((err = set_string(&out->commit, hex)) < 0)
        return err;
    hex[SHORT_COMMIT_LEN] = '\0';
    if ((err = set_string(&out->short_commit, hex)) < 0)
        return err;

    /* The first paragraph, joined into one line, as git's %s shows it. */
    summary = git_commit_summary(commit);
    if (!summary)
        return git_failure();
    if ((err = set_string(&out->subject, summary)) < 0)
        return err;

    if ((err = set_time(&out->commit_time, git_commit_time(commit))) < 0)
        return err;
    author = git_commit_author(commit);
    if (author)
        err = set_time(&out->author_time, author->when.time);
    return err;
}

/* Fills the commit fields from the commit HEAD resolves to. */
static int read_commit(pr_git_info *out, git_reference *head)
{
    git_object *obj = NULL;
    int err;

    if (git_reference_peel(&obj, head, GIT_OBJECT_COMMIT) < 0)
        err = git_failure();
    else
        err = fill_commit(out, (git_commit *)obj);
    git_object_free(obj);
    return err;
}

/*
 * Sets *DIRTY to 1 when a tracked file differs from HEAD in the index or the
 * work tree, 0 when none does, -1 when that cannot be told (a bare
 * repository, a failed status). On an unborn branch everything staged counts
 * as a change. Fails with PR_ENOMEM only.
 */
static int read_dirty(git_repository *repo, int *dirty)
{
    git_status_options opts;
    git_status_list *list = NULL;
    int err;

    *dirty = -1;
    if (git_repository_is_bare(repo))
        return 0;
    /* The function, not GIT_STATUS_OPTIONS_INIT: the macro leaves fields
     * out, which -Wmissing-field-initializers rejects. */
    if (git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION) < 0)
        return 0;
    opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
    /* No INCLUDE_UNTRACKED / INCLUDE_IGNORED: only tracked files count. */
    opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
    if (git_status_list_new(&list, repo, &opts) < 0) {
        err = git_failure();
        return err == UNREADABLE ? 0 : err;
    }
    *dirty = git_status_list_entrycount(list) > 0;
    git_status_list_free(list);
    return 0;
}

/* 0, PR_ENOMEM or UNREADABLE; OUT may be partly filled on failure. */
static int read_repository(pr_git_info *out, git_repository *repo)
{
    git_reference *head = NULL;
    int err;

    err = git_repository_head(&head, repo);
    if (err == GIT_EUNBORNBRANCH) {
        err = read_unborn_branch(out, repo);
    } else if (err < 0) {
        err = git_failure();
    } else {
        if (git_reference_is_branch(head))
            err = set_string(&out->branch, git_reference_shorthand(head));
        else
            err = set_string(&out->branch, "detached");
        if (err == 0)
            err = read_commit(out, head);
    }
    if (err == 0)
        err = read_dirty(repo, &out->dirty);
    git_reference_free(head);
    return err;
}

int pr_gitmeta_read(pr_git_info *out, const char *dir)
{
    git_repository *repo = NULL;
    int err;

    out->dirty = -1;
    if (git_libgit2_init() < 0) {
        err = git_failure();
        return err == UNREADABLE ? 0 : err;
    }
    git_error_clear();
    if (git_repository_open_ext(&repo, dir, 0, NULL) < 0)
        err = git_failure();
    else
        err = read_repository(out, repo);
    git_repository_free(repo);
    git_libgit2_shutdown();

    if (err != 0)
        pr_git_info_release(out);
    return err == UNREADABLE ? 0 : err;
}

void pr_git_info_release(pr_git_info *info)
{
    if (!info)
        return;
    free(info->commit);
    free(info->short_commit);
    free(info->branch);
    free(info->subject);
    free(info->commit_time);
    free(info->author_time);
    memset(info, 0, sizeof *info);
    info->dirty = -1;
}

/* ---- what the new functions share --------------------------------------- */

#define MERGE_BASE_PREFIX "merge-base:"

/* Sets CODE with the message FMT followed by libgit2's reason, or
 * PR_ENOMEM when libgit2 ran out of memory. */
static int lib_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int lib_error(int code, const char *fmt, ...)
{
    const git_error *e = git_error_last();
    char what[512];
    va_list ap;

    if (e && e->klass == GIT_ERROR_NOMEMORY)
        return pr_error_set(PR_ENOMEM, "out of memory");
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (e && e->message && e->message[0])
        return pr_error_set(code, "%s: %s", what, e->message);
    return pr_error_set(code, "%s", what);
}

/* Whether the last libgit2 failure was running out of memory; sets the
 * message when it was. */
static int out_of_memory(void)
{
    const git_error *e = git_error_last();

    if (e && e->klass == GIT_ERROR_NOMEMORY) {
        pr_error_set(PR_ENOMEM, "out of memory");
        return 1;
    }
    return 0;
}

/* Initialises libgit2 and opens the repository containing DIR (searched
 * upwards). On success the caller ends with close_repository; on failure
 * libgit2 is already shut down again. */
static int open_repository(git_repository **repo, const char *dir)
{
    int rc;

    *repo = NULL;
    if (git_libgit2_init() < 0)
        return lib_error(PR_EIO, "cannot initialise libgit2");
    git_error_clear();
    rc = git_repository_open_ext(repo, dir, 0, NULL);
    if (rc == 0)
        return 0;
    git_libgit2_shutdown();
    if (out_of_memory())
        return PR_ENOMEM;
    if (rc == GIT_ENOTFOUND)
        return pr_error_set(PR_ENOTFOUND, "no git repository at '%s'", dir);
    return lib_error(PR_EIO, "cannot open the git repository at '%s'", dir);
}

static void close_repository(git_repository *repo)
{
    git_repository_free(repo);
    git_libgit2_shutdown();
}

/* The first 7 hex digits of ID, as messages and labels show a commit. */
static void short_id(char hex[SHORT_COMMIT_LEN + 1], const git_oid *id)
{
    git_oid_tostr(hex, SHORT_COMMIT_LEN + 1, id);
}

/*
 * *OUT receives the commit REV resolves to (caller frees), as git rev-parse
 * takes REV; NULL is HEAD. PR_ENOTFOUND when REV is NULL and HEAD has no
 * commit yet, PR_EINVALID naming REV when it does not resolve to a commit.
 */
static int resolve_commit(git_repository *repo, const char *rev, git_commit **out)
{
    git_object *obj = NULL;
    git_object *peeled = NULL;
    int err = 0;

    *out = NULL;
    if (!rev) {
        if (git_repository_head_unborn(repo) == 1)
            return pr_error_set(PR_ENOTFOUND, "HEAD has no commit yet");
        rev = "HEAD";
    }
    if (git_revparse_single(&obj, repo, rev) < 0 ||
        git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
        err = out_of_memory()
                  ? PR_ENOMEM
                  : pr_error_set(PR_EINVALID,
                                 "'%s' does not resolve to a commit in this repository", rev);
        goto done;
    }
    *out = (git_commit *)peeled;
    peeled = NULL;
done:
    git_object_free(peeled);
    git_object_free(obj);
    return err;
}

/* resolve_commit, and "merge-base:REF" for the merge base of HEAD and REF. */
static int resolve_commit_or_merge_base(git_repository *repo, const char *rev, git_commit **out)
{
    static const char prefix[] = MERGE_BASE_PREFIX;
    git_commit *head = NULL;
    git_commit *other = NULL;
    git_oid base;
    const char *ref;
    int err, rc;

    *out = NULL;
    if (strncmp(rev, prefix, sizeof prefix - 1) != 0)
        return resolve_commit(repo, rev, out);
    ref = rev + sizeof prefix - 1;
    if ((err = resolve_commit(repo, NULL, &head)) < 0)
        goto done;
    if ((err = resolve_commit(repo, ref, &other)) < 0)
        goto done;
    rc = git_merge_base(&base, repo, git_commit_id(head), git_commit_id(other));
    if (rc == GIT_ENOTFOUND) {
        err = pr_error_set(PR_EINVALID, "no merge base of HEAD and '%s'", ref);
        goto done;
    }
    if (rc < 0) {
        err = lib_error(PR_EIO, "cannot find the merge base of HEAD and '%s'", ref);
        goto done;
    }
    if (git_commit_lookup(out, repo, &base) < 0)
        err = lib_error(PR_EIO, "cannot read the merge base of HEAD and '%s'", ref);
done:
    git_commit_free(other);
    git_commit_free(head);
    return err;
}

/* *DST receives a NUL-terminated heap copy of the LEN bytes at SRC. */
static int copy_bytes(char **dst, const void *src, size_t len)
{
    if (len == SIZE_MAX)
        return pr_error_set(PR_ENOMEM, "out of memory");
    *dst = malloc(len + 1);
    if (!*dst)
        return pr_error_set(PR_ENOMEM, "out of memory");
    if (len > 0)
        memcpy(*dst, src, len);
    (*dst)[len] = '\0';
    return 0;
}

/* ---- notes ---------------------------------------------------------------- */

int pr_gitmeta_note_read(const char *dir, const char *notes_ref, const char *rev, char **text,
                         size_t *len)
{
    git_repository *repo = NULL;
    git_commit *commit = NULL;
    git_note *note = NULL;
    char hex[SHORT_COMMIT_LEN + 1];
    const char *message;
    int err, rc;

    *text = NULL;
    *len = 0;
    if (!dir)
        dir = ".";
    if (!notes_ref)
        notes_ref = PR_NOTES_REF;
    if ((err = open_repository(&repo, dir)) < 0)
        return err;
    if ((err = resolve_commit(repo, rev, &commit)) < 0)
        goto done;
    short_id(hex, git_commit_id(commit));
    rc = git_note_read(&note, repo, notes_ref, git_commit_id(commit));
    if (rc == GIT_ENOTFOUND) {
        err = pr_error_set(PR_ENOTFOUND, "'%s' (%s) has no note under '%s'", rev ? rev : "HEAD",
                           hex, notes_ref);
        goto done;
    }
    if (rc < 0) {
        err = lib_error(PR_EIO, "cannot read the note on '%s' (%s) under '%s'", rev ? rev : "HEAD",
                        hex, notes_ref);
        goto done;
    }
    /* libgit2 keeps the note's text up to its first NUL, as git shows it. */
    message = git_note_message(note);
    if ((err = copy_bytes(text, message, strlen(message))) < 0)
        goto done;
    *len = strlen(message);
done:
    git_note_free(note);
    git_commit_free(commit);
    close_repository(repo);
    return err;
}

/* The repository's user, or perfreg's own name when none is configured. */
static int note_signature(git_repository *repo, git_signature **sig)
{
    if (git_signature_default(sig, repo) == 0)
        return 0;
    if (out_of_memory())
        return PR_ENOMEM;
    if (git_signature_now(sig, "perfreg", "perfreg@localhost") < 0)
        return lib_error(PR_EIO, "cannot make a signature for the note");
    return 0;
}

int pr_gitmeta_note_write(const char *dir, const char *notes_ref, const char *rev, const char *text,
                          size_t len)
{
    git_repository *repo = NULL;
    git_commit *commit = NULL;
    git_signature *sig = NULL;
    char *message = NULL;
    char hex[SHORT_COMMIT_LEN + 1];
    git_oid note_id;
    int err;

    if (!dir)
        dir = ".";
    if (!notes_ref)
        notes_ref = PR_NOTES_REF;
    /* A note is stored as text; libgit2 takes it NUL-terminated. */
    if (len > 0 && memchr(text, '\0', len))
        return pr_error_set(PR_EINVALID, "a note cannot contain a NUL byte");
    if ((err = open_repository(&repo, dir)) < 0)
        return err;
    if ((err = resolve_commit(repo, rev, &commit)) < 0)
        goto done;
    short_id(hex, git_commit_id(commit));
    if ((err = copy_bytes(&message, text, len)) < 0)
        goto done;
    if ((err = note_signature(repo, &sig)) < 0)
        goto done;
    /* force: the caller has merged the old note into TEXT already. */
    if (git_note_create(&note_id, repo, notes_ref, sig, sig, git_commit_id(commit), message, 1) < 0)
        err = lib_error(PR_EIO, "cannot write the note on '%s' (%s) under '%s'", rev ? rev : "HEAD",
                        hex, notes_ref);
done:
    git_signature_free(sig);
    free(message);
    git_commit_free(commit);
    close_repository(repo);
    return err;
}

/* Appends NOTE, on COMMIT, to *LIST. */
static int add_note(git_commit *commit, const git_note *note, pr_git_note **list, size_t *count,
                    size_t *alloc)
{
    pr_git_note *entry;
    const char *message;
    char hex[GIT_OID_HEXSZ + 1];
    int err;

    if (*count == *alloc) {
        size_t grown = *alloc ? *alloc * 2 : 16;
        pr_git_note *bigger;

        if (grown > SIZE_MAX / sizeof **list)
            return pr_error_set(PR_ENOMEM, "out of memory");
        bigger = realloc(*list, grown * sizeof **list);
        if (!bigger)
            return pr_error_set(PR_ENOMEM, "out of memory");
        *list = bigger;
        *alloc = grown;
    }
    entry = &(*list)[*count];
    memset(entry, 0, sizeof *entry);
    entry->commit.dirty = -1;

    err = fill_commit(&entry->commit, commit);
    if (err == UNREADABLE) {
        git_oid_tostr(hex, sizeof hex, git_commit_id(commit));
        err = lib_error(PR_EIO, "cannot read commit '%s'", hex);
    }
    if (err == 0) {
        message = git_note_message(note);
        entry->len = strlen(message);
        err = copy_bytes(&entry->text, message, entry->len);
    }
    if (err < 0) {
        pr_git_info_release(&entry->commit);
        return err;
    }
    (*count)++;
    return 0;
}

/*
 * The walk follows first parents by hand rather than with git_revwalk:
 * libgit2 1.5 knows nothing of shallow clones, and its revwalk fails on the
 * first step of one, before it has returned HEAD, because it reads every
 * parent of a commit it queues. Stepping from a commit to its first parent
 * visits the same commits and ends cleanly at a parent that is not there.
 */
int pr_gitmeta_notes_walk(const char *dir, const char *notes_ref, size_t max_commits,
                          pr_git_note **out, size_t *n)
{
    git_repository *repo = NULL;
    git_commit *notes_commit = NULL;
    git_commit *commit = NULL;
    git_commit *parent = NULL;
    git_note *note = NULL;
    pr_git_note *list = NULL;
    size_t count = 0, alloc = 0, seen = 0;
    git_oid notes_id;
    int err, rc;

    *out = NULL;
    *n = 0;
    if (!dir)
        dir = ".";
    if (!notes_ref)
        notes_ref = PR_NOTES_REF;
    if ((err = open_repository(&repo, dir)) < 0)
        return err;
    if ((err = resolve_commit(repo, NULL, &commit)) < 0)
        goto done;

    /* The notes commit is read once; no ref at all means no notes yet. */
    rc = git_reference_name_to_id(&notes_id, repo, notes_ref);
    if (rc == GIT_ENOTFOUND)
        goto done;
    if (rc < 0 || git_commit_lookup(&notes_commit, repo, &notes_id) < 0) {
        err = lib_error(PR_EIO, "cannot read the notes under '%s'", notes_ref);
        goto done;
    }

    while (max_commits == 0 || seen < max_commits) {
        seen++;
        rc = git_note_commit_read(&note, repo, notes_commit, git_commit_id(commit));
        if (rc == 0) {
            err = add_note(commit, note, &list, &count, &alloc);
            git_note_free(note);
            note = NULL;
            if (err < 0)
                goto done;
        } else if (rc != GIT_ENOTFOUND) {
            err = lib_error(PR_EIO, "cannot read the notes under '%s'", notes_ref);
            goto done;
        }

        if (git_commit_parentcount(commit) == 0)
            break;
        if (git_commit_parent(&parent, commit, 0) < 0) {
            /* A shallow clone's history ends at a parent it does not have. */
            if (out_of_memory())
                err = PR_ENOMEM;
            break;
        }
        git_commit_free(commit);
        commit = parent;
        parent = NULL;
    }
done:
    if (err < 0) {
        pr_git_notes_free(list, count);
    } else {
        *out = list;
        *n = count;
    }
    git_commit_free(commit);
    git_commit_free(notes_commit);
    close_repository(repo);
    return err;
}

void pr_git_notes_free(pr_git_note *notes, size_t n)
{
    size_t i;

    if (!notes)
        return;
    for (i = 0; i < n; i++) {
        pr_git_info_release(&notes[i].commit);
        free(notes[i].text);
    }
    free(notes);
}

/* ---- files as committed ------------------------------------------------- */

/* Appends the components of the path S to SB, each as "/name", dropping
 * "." and resolving ".." against what SB holds so far (never above "/"). */
static void add_components(pr_strbuf *sb, const char *s)
{
    const char *end;
    size_t n;

    for (; *s; s = end) {
        while (*s == '/')
            s++;
        end = s;
        while (*end && *end != '/')
            end++;
        n = (size_t)(end - s);
        if (n == 0 || (n == 1 && s[0] == '.'))
            continue;
        if (n == 2 && s[0] == '.' && s[1] == '.') {
            while (sb->len > 0 && sb->buf[sb->len - 1] != '/')
                sb->len--;
            if (sb->len > 0)
                sb->len--;
            if (sb->buf)
                sb->buf[sb->len] = '\0';
            continue;
        }
        pr_strbuf_addch(sb, '/');
        pr_strbuf_add(sb, s, n);
    }
}

/*
 * *REL receives PATH, typed in DIR, as a path relative to the work tree
 * WORKDIR (caller frees). The mapping is on the text alone after DIR and
 * WORKDIR are made real, since the file may no longer exist in the work
 * tree. PR_EINVALID when the path leaves the repository.
 */
static int repository_path(const char *workdir, const char *dir, const char *path, char **rel)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    char *real_dir = NULL;
    char *real_root = NULL;
    size_t root_len;
    int err = 0;

    *rel = NULL;
    real_root = realpath(workdir, NULL);
    if (!real_root) {
        err = pr_error_set(PR_EIO, "'%s': %s", workdir, strerror(errno));
        goto done;
    }
    if (path[0] != '/') {
        real_dir = realpath(dir, NULL);
        if (!real_dir) {
            err = pr_error_set(PR_EIO, "'%s': %s", dir, strerror(errno));
            goto done;
        }
    }

    /* DIR and PATH joined, as "/a/b/c". */
    if (real_dir)
        add_components(&sb, real_dir);
    add_components(&sb, path);
    if ((err = pr_strbuf_error(&sb)) < 0)
        goto done;

    root_len = strlen(real_root);
    if (root_len == 1) /* a work tree at "/" */
        root_len = 0;
    if (sb.len <= root_len + 1 || strncmp(pr_strbuf_cstr(&sb), real_root, root_len) != 0 ||
        sb.buf[root_len] != '/') {
        err = pr_error_set(PR_EINVALID, "'%s' is not a file inside the repository at '%s'", path,
                           real_root);
        goto done;
    }
    err = set_string(rel, sb.buf + root_len + 1);
done:
    pr_strbuf_release(&sb);
    free(real_dir);
    free(real_root);
    return err;
}

int pr_gitmeta_read_file_at(const char *dir, const char *rev, const char *path, char **text,
                            size_t *len, char **label)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    git_repository *repo = NULL;
    git_commit *commit = NULL;
    git_tree *tree = NULL;
    git_tree_entry *entry = NULL;
    git_object *obj = NULL;
    const git_blob *blob;
    const char *workdir;
    char *rel = NULL;
    char hex[SHORT_COMMIT_LEN + 1];
    git_object_size_t size;
    int err, rc;

    *text = NULL;
    *len = 0;
    *label = NULL;
    if (!dir)
        dir = ".";
    if (!rev)
        rev = "HEAD";
    if ((err = open_repository(&repo, dir)) < 0)
        return err;

    /* A bare repository has no work tree to be relative to: PATH is taken
     * from its root. */
    workdir = git_repository_workdir(repo);
    if (workdir)
        err = repository_path(workdir, dir, path, &rel);
    else
        err = repository_path("/", "/", path, &rel);
    if (err < 0)
        goto done;

    if ((err = resolve_commit_or_merge_base(repo, rev, &commit)) < 0)
        goto done;
    short_id(hex, git_commit_id(commit));
    if (git_commit_tree(&tree, commit) < 0) {
        err = lib_error(PR_EIO, "cannot read the tree of '%s' (%s)", rev, hex);
        goto done;
    }
    rc = git_tree_entry_bypath(&entry, tree, rel);
    if (rc == GIT_ENOTFOUND) {
        err = pr_error_set(PR_ENOTFOUND, "'%s' (%s) has no file '%s'", rev, hex, rel);
        goto done;
    }
    if (rc < 0) {
        err = lib_error(PR_EIO, "cannot look up '%s' in '%s' (%s)", rel, rev, hex);
        goto done;
    }
    if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) {
        err =
            pr_error_set(PR_ENOTFOUND, "'%s' (%s) has no file '%s': it is a %s", rev, hex, rel,
                         git_tree_entry_type(entry) == GIT_OBJECT_TREE ? "directory" : "submodule");
        goto done;
    }
    if (git_tree_entry_to_object(&obj, repo, entry) < 0) {
        err = lib_error(PR_EIO, "cannot read '%s' in '%s' (%s)", rel, rev, hex);
        goto done;
    }
    blob = (const git_blob *)obj;
    size = git_blob_rawsize(blob);
    if (size >= SIZE_MAX) {
        err = pr_error_set(PR_ENOMEM, "out of memory");
        goto done;
    }
    if ((err = copy_bytes(text, git_blob_rawcontent(blob), (size_t)size)) < 0)
        goto done;
    *len = (size_t)size;

    pr_strbuf_addf(&sb, "%s (%s):%s", rev, hex, rel);
    if ((err = pr_strbuf_error(&sb)) < 0)
        goto done;
    *label = pr_strbuf_detach(&sb, NULL);
    if (!*label)
        err = pr_error_set(PR_ENOMEM, "out of memory");
done:
    if (err < 0) {
        free(*text);
        *text = NULL;
        *len = 0;
    }
    pr_strbuf_release(&sb);
    free(rel);
    git_object_free(obj);
    git_tree_entry_free(entry);
    git_tree_free(tree);
    git_commit_free(commit);
    close_repository(repo);
    return err;
}

/* ---- another commit's tree ---------------------------------------------- */

int pr_gitmeta_resolve(const char *dir, const char *rev, char **commit, char **label)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    git_repository *repo = NULL;
    git_commit *found = NULL;
    char hex[GIT_OID_HEXSZ + 1];
    int err;

    *commit = NULL;
    *label = NULL;
    if (!dir)
        dir = ".";
    if (!rev)
        rev = "HEAD";
    if ((err = open_repository(&repo, dir)) < 0)
        return err;
    if ((err = resolve_commit_or_merge_base(repo, rev, &found)) < 0)
        goto done;
    git_oid_tostr(hex, sizeof hex, git_commit_id(found));
    pr_strbuf_addf(&sb, "%s (%.*s)", rev, SHORT_COMMIT_LEN, hex);
    if ((err = pr_strbuf_error(&sb)) < 0)
        goto done;
    if ((err = set_string(commit, hex)) < 0)
        goto done;
    *label = pr_strbuf_detach(&sb, NULL);
    if (!*label)
        err = pr_error_set(PR_ENOMEM, "out of memory");
done:
    if (err < 0) {
        free(*commit);
        *commit = NULL;
    }
    pr_strbuf_release(&sb);
    git_commit_free(found);
    close_repository(repo);
    return err;
}

int pr_gitmeta_read_rev(const char *dir, const char *rev, pr_git_info *out)
{
    git_repository *repo = NULL;
    git_commit *found = NULL;
    int err;

    out->dirty = -1;
    if ((err = open_repository(&repo, dir ? dir : ".")) < 0)
        return err;
    if ((err = resolve_commit_or_merge_base(repo, rev ? rev : "HEAD", &found)) < 0)
        goto done;
    if ((err = fill_commit(out, found)) == UNREADABLE)
        err = pr_error_set(PR_EINVALID, "cannot read the commit '%s' names", rev ? rev : "HEAD");
done:
    if (err < 0)
        pr_git_info_release(out);
    git_commit_free(found);
    close_repository(repo);
    return err;
}

/* Whether NAME, one tree entry's name, is safe to create in the folder being
 * written: not empty, ".", ".." or ".git" and without a '/'. ".git" is
 * compared in any case, as a case-insensitive file system would take it. */
static int safe_entry_name(const char *name)
{
    static const char dot_git[] = ".git";
    size_t i;

    if (!name[0] || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return 0;
    for (i = 0; dot_git[i]; i++) {
        char c = name[i];

        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != dot_git[i])
            return 1;
    }
    return name[i] != '\0';
}

/* Makes the folder PATH with mode 0755 whatever the umask. */
static int make_folder(const char *path)
{
    /* The chmod follows no link an attacker placed: every folder on PATH
     * below the export's root was made by this export, and mkdir fails on
     * anything already there. */
    if (mkdir(path, 0755) < 0 || chmod(path, 0755) < 0)
        return pr_error_set(PR_EIO, "cannot create '%s': %s", path, strerror(errno));
    return 0;
}

/* Writes ENTRY, a blob of MODE, as the file or symbolic link PATH; REL is
 * its path in the tree of commit HEX, for messages. */
static int export_blob(git_repository *repo, const git_tree_entry *entry, git_filemode_t mode,
                       const char *path, const char *rel, const char *hex)
{
    git_blob *blob = NULL;
    char *target = NULL;
    const char *data;
    size_t len;
    mode_t perm;
    int fd = -1;
    int err = 0;

    if (git_blob_lookup(&blob, repo, git_tree_entry_id(entry)) < 0)
        return lib_error(PR_EIO, "cannot read '%s' of commit %s", rel, hex);
    data = git_blob_rawcontent(blob);
    len = (size_t)git_blob_rawsize(blob); /* in memory already: it fits */

    if (mode == GIT_FILEMODE_LINK) {
        if (len > 0 && memchr(data, '\0', len)) {
            err = pr_error_set(PR_EINVALID,
                               "the symbolic link '%s' of commit %s has a NUL byte in its target",
                               rel, hex);
            goto done;
        }
        if ((err = copy_bytes(&target, data, len)) < 0)
            goto done;
        if (symlink(target, path) < 0)
            err = pr_error_set(PR_EIO, "cannot create '%s': %s", path, strerror(errno));
        goto done;
    }

    /* O_EXCL and O_NOFOLLOW: never through something already there, such
     * as a symbolic link a crafted tree made under the same name. */
    perm = mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644;
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, perm);
    if (fd < 0) {
        err = pr_error_set(PR_EIO, "cannot create '%s': %s", path, strerror(errno));
        goto done;
    }
    if (fchmod(fd, perm) < 0 || pr_store_write_fd(fd, data, len) < 0)
        err = pr_error_set(PR_EIO, "cannot write '%s': %s", path, strerror(errno));
done:
    if (fd >= 0 && close(fd) < 0 && err == 0)
        err = pr_error_set(PR_EIO, "cannot write '%s': %s", path, strerror(errno));
    free(target);
    git_blob_free(blob);
    return err;
}

/*
 * Writes the entries of TREE into the folder PATH holds, which exists.
 * PATH's first ROOT_LEN bytes are the export's root; it grows by one
 * "/name" per entry and is given back as it came. HEX names the commit in
 * messages. Recursion is bounded by the file system's longest path.
 */
static int export_tree(git_repository *repo, const git_tree *tree, pr_strbuf *path, size_t root_len,
                       const char *hex)
{
    size_t i, n = git_tree_entrycount(tree), len = path->len;
    int err = 0;

    for (i = 0; i < n && err == 0; i++) {
        const git_tree_entry *entry = git_tree_entry_byindex(tree, i);
        const char *name = git_tree_entry_name(entry);
        git_filemode_t mode = git_tree_entry_filemode(entry);
        git_tree *sub = NULL;
        const char *rel;

        pr_strbuf_addch(path, '/');
        pr_strbuf_adds(path, name);
        if ((err = pr_strbuf_error(path)) < 0)
            break;
        rel = path->buf + root_len + 1;

        if (!safe_entry_name(name)) {
            err = pr_error_set(PR_EINVALID,
                               "commit %s has an entry '%s' that cannot be written safely: "
                               "refusing to export it",
                               hex, rel);
        } else if (mode == GIT_FILEMODE_TREE) {
            if ((err = make_folder(path->buf)) == 0) {
                if (git_tree_lookup(&sub, repo, git_tree_entry_id(entry)) < 0)
                    err = lib_error(PR_EIO, "cannot read '%s' of commit %s", rel, hex);
                else
                    err = export_tree(repo, sub, path, root_len, hex);
                git_tree_free(sub);
            }
        } else if (mode == GIT_FILEMODE_COMMIT) {
            /* A submodule: its commit lives in another repository. */
            err = make_folder(path->buf);
        } else if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE ||
                   mode == GIT_FILEMODE_LINK) {
            err = export_blob(repo, entry, mode, path->buf, rel, hex);
        } else {
            /* Unreachable while libgit2 normalises every mode to the five
             * above; kept so that a new one is refused, not guessed at. */
            err = pr_error_set(PR_EINVALID, "'%s' of commit %s has an unknown mode %06o", rel, hex,
                               (unsigned)git_tree_entry_filemode_raw(entry));
        }
        path->len = len;
        path->buf[len] = '\0';
    }
    return err;
}

/* The '/'s of PATH that end a folder above the last component: one per
 * run of slashes, not the leading ones. */
static int ends_folder(const char *path, const char *p)
{
    return *p == '/' && p > path && p[-1] != '/';
}

/*
 * Makes the folders above PATH that are missing, as mkdir -p does (0777
 * less the umask: they are the user's folders, not the export's). *CREATED
 * receives the length of the shortest prefix of PATH made here, 0 when none
 * was, for remove_parents. PATH is changed while this runs and restored.
 */
static int make_parents(char *path, size_t *created)
{
    struct stat st;
    char *p;
    int err = 0;

    *created = 0;
    for (p = path; *p && err == 0; p++) {
        if (!ends_folder(path, p))
            continue;
        *p = '\0';
        if (mkdir(path, 0777) == 0) {
            if (*created == 0)
                *created = (size_t)(p - path);
        } else if (errno != EEXIST) {
            err = pr_error_set(PR_EIO, "cannot create '%s': %s", path, strerror(errno));
        } else if (stat(path, &st) < 0) {
            err = pr_error_set(PR_EIO, "cannot create '%s': %s", path, strerror(errno));
        } else if (!S_ISDIR(st.st_mode)) {
            err =
                pr_error_set(PR_EIO, "cannot create a folder under '%s': it is not a folder", path);
        }
        *p = '/';
    }
    return err;
}

/* Removes the folders make_parents made above PATH, deepest first. */
static void remove_parents(char *path, size_t created)
{
    char *p;

    if (created == 0)
        return;
    for (p = path + strlen(path); p >= path + created; p--) {
        if (!ends_folder(path, p))
            continue;
        *p = '\0';
        rmdir(path);
        *p = '/';
    }
}

/* COMMIT spelled as 40 hex digits. */
static int is_full_hex_id(const char *commit)
{
    return strlen(commit) == GIT_OID_HEXSZ &&
           strspn(commit, "0123456789abcdefABCDEF") == GIT_OID_HEXSZ;
}

/*
 * Writing the tree by hand, rather than with git_checkout_tree and a target
 * directory, keeps every libgit2 call a read: checkout would consult and
 * could update the repository's index, and would run .gitattributes filters
 * on the way out.
 */
int pr_gitmeta_export(const char *dir, const char *commit, const char *dest)
{
    pr_strbuf path = PR_STRBUF_INIT;
    git_repository *repo = NULL;
    git_commit *found = NULL;
    git_tree *tree = NULL;
    char *folder = NULL;
    char hex[SHORT_COMMIT_LEN + 1];
    size_t len, parents = 0;
    struct stat st;
    git_oid id;
    int made = 0;
    int err;

    if (!dir)
        dir = ".";
    if (!is_full_hex_id(commit))
        return pr_error_set(PR_EINVALID, "'%s' is not a full commit id", commit);
    if (!dest[0])
        return pr_error_set(PR_EINVALID, "the folder to export commit '%s' into has no name",
                            commit);
    if ((err = open_repository(&repo, dir)) < 0)
        return err;

    if (git_oid_fromstr(&id, commit) < 0 || git_commit_lookup(&found, repo, &id) < 0) {
        err = out_of_memory()
                  ? PR_ENOMEM
                  : pr_error_set(PR_EINVALID,
                                 "'%s' does not resolve to a commit in this repository", commit);
        goto done;
    }
    short_id(hex, &id);
    if (git_commit_tree(&tree, found) < 0) {
        err = lib_error(PR_EIO, "cannot read the tree of commit %s", hex);
        goto done;
    }

    /* DEST without trailing slashes, so its last component is the new
     * folder itself. */
    if ((err = set_string(&folder, dest)) < 0)
        goto done;
    len = strlen(folder);
    while (len > 1 && folder[len - 1] == '/')
        folder[--len] = '\0';
    if (lstat(folder, &st) == 0) {
        err = pr_error_set(PR_EINVALID,
                           "'%s' already exists: commit %s is exported only into a new folder",
                           dest, hex);
        goto done;
    }
    if (errno != ENOENT && errno != ENOTDIR) {
        err = pr_error_set(PR_EIO, "cannot create '%s': %s", dest, strerror(errno));
        goto done;
    }
    if ((err = make_parents(folder, &parents)) < 0)
        goto done;
    /* mkdir, not the lstat above, is what guarantees the folder is new. */
    if (mkdir(folder, 0755) < 0) {
        if (errno == EEXIST)
            err = pr_error_set(PR_EINVALID,
                               "'%s' already exists: commit %s is exported only into a new folder",
                               dest, hex);
        else
            err = pr_error_set(PR_EIO, "cannot create '%s': %s", dest, strerror(errno));
        goto done;
    }
    made = 1;
    if (chmod(folder, 0755) < 0) {
        err = pr_error_set(PR_EIO, "cannot create '%s': %s", dest, strerror(errno));
        goto done;
    }

    pr_strbuf_adds(&path, folder);
    if ((err = pr_strbuf_error(&path)) < 0)
        goto done;
    err = export_tree(repo, tree, &path, path.len, hex);
done:
    if (err < 0 && folder) {
        if (made)
            pr_store_remove_tree(folder);
        remove_parents(folder, parents);
    }
    pr_strbuf_release(&path);
    free(folder);
    git_tree_free(tree);
    git_commit_free(found);
    close_repository(repo);
    return err;
}
