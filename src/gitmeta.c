/*
 * gitmeta.c - which commit a run measured: HEAD's id, branch, subject,
 * committer time and whether tracked files were changed, read with libgit2.
 * The only file that includes <git2.h>; the rest of perfreg sees the plain
 * pr_git_info struct.
 *
 * Git is optional for a run: outside a repository, and in a repository that
 * libgit2 cannot read, every field stays unknown and the read succeeds. Only
 * running out of memory is an error. The work tree's state decides `dirty`
 * alone: untracked, ignored files and submodules do not count, and a bare
 * repository has no work tree, so its `dirty` stays unknown.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <git2.h>

#include "error.h"
#include "gitmeta.h"
#include "machine.h"
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

/* Fills the commit fields from the commit HEAD resolves to. Parents are
 * never looked at, so a shallow clone reads like any other. */
static int read_commit(pr_git_info *out, git_reference *head)
{
    git_object *obj = NULL;
    git_commit *commit;
    char hex[GIT_OID_HEXSZ + 1];
    char when[32];
    const char *summary;
    int err;

    if (git_reference_peel(&obj, head, GIT_OBJECT_COMMIT) < 0) {
        err = git_failure();
        goto done;
    }
    commit = (git_commit *)obj;

    git_oid_tostr(hex, sizeof hex, git_commit_id(commit));
    if ((err = set_string(&out->commit, hex)) < 0)
        goto done;
    hex[SHORT_COMMIT_LEN] = '\0';
    if ((err = set_string(&out->short_commit, hex)) < 0)
        goto done;

    /* The first paragraph, joined into one line, as git's %s shows it. */
    summary = git_commit_summary(commit);
    if (!summary) {
        err = git_failure();
        goto done;
    }
    if ((err = set_string(&out->subject, summary)) < 0)
        goto done;

    pr_machine_iso8601((time_t)git_commit_time(commit), when, sizeof when);
    err = set_string(&out->commit_time, when);
done:
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
    memset(info, 0, sizeof *info);
    info->dirty = -1;
}
