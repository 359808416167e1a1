/*
 * gitmeta.h - git metadata of the working directory's repository, read with
 * libgit2. The only module that includes libgit2.
 */
#ifndef PR_GITMETA_H
#define PR_GITMETA_H

#include "run.h"

/*
 * Fills OUT (zeroed by the caller, strings owned by OUT) from the repository
 * that contains DIR (searched upwards). Outside a repository every field is
 * left NULL / dirty -1 and 0 is returned: a run works without git. On an
 * unborn branch: branch set, commit fields NULL. Returns PR_ENOMEM only; a
 * broken repository is treated as no repository.
 */
int pr_gitmeta_read(pr_git_info *out, const char *dir);

/* Frees OUT's strings and zeroes it (dirty -1). */
void pr_git_info_release(pr_git_info *info);

/* ---- notes: shared history in git ---------------------------------------- */

#define PR_NOTES_REF "refs/notes/perfreg"

/*
 * The note under NOTES_REF on REV (NULL: HEAD) of the repository containing
 * DIR. TEXT receives it (caller frees; NUL-terminated), LEN its length.
 * PR_ENOTFOUND when REV has no note (or there is no repository, with a
 * message saying so); PR_EINVALID when REV does not resolve.
 */
int pr_gitmeta_note_read(const char *dir, const char *notes_ref, const char *rev, char **text,
                         size_t *len);

/*
 * Writes TEXT as the note under NOTES_REF on REV (NULL: HEAD), replacing
 * the one there (the caller merges: read, add, write). The note commit is
 * signed with the repository's user (git config user.name/email), or
 * "perfreg <perfreg@localhost>" when none is set. PR_ENOTFOUND outside a
 * repository or on an unborn branch.
 */
int pr_gitmeta_note_write(const char *dir, const char *notes_ref, const char *rev, const char *text,
                          size_t len);

typedef struct pr_git_note {
    pr_git_info commit; /* the annotated commit: commit, short_commit, subject, commit_time,
                         * author_time (branch NULL, dirty -1) */
    char *text;         /* the note, NUL-terminated */
    size_t len;
} pr_git_note;

/*
 * Walks first-parent history from HEAD, newest first, at most MAX_COMMITS
 * commits (0: no limit), and returns the commits that have a note under
 * NOTES_REF. OUT receives an array (free with pr_git_notes_free), N its
 * length (0 is fine). PR_ENOTFOUND outside a repository or on an unborn
 * branch. A shallow clone ends the walk where its history ends.
 */
int pr_gitmeta_notes_walk(const char *dir, const char *notes_ref, size_t max_commits,
                          pr_git_note **out, size_t *n);
void pr_git_notes_free(pr_git_note *notes, size_t n);

/* ---- files as committed ----------------------------------------------- */

/*
 * The content of PATH as stored at REV, read from the object database
 * without touching the work tree. REV is anything git rev-parse takes that
 * names a commit (branch, tag, id, HEAD~2), or "merge-base:REF" for the
 * merge base of HEAD and REF. PATH is relative to DIR (the current
 * directory), as a user types it; it is mapped to the repository's root.
 * TEXT receives the content (caller frees, NUL-terminated), LABEL a
 * description for messages such as "HEAD~2 (1a2b3c4):baselines/x.json"
 * (caller frees). PR_EINVALID naming REV when it does not resolve;
 * PR_ENOTFOUND naming both when REV has no such file; PR_ENOTFOUND outside
 * a repository.
 */
int pr_gitmeta_read_file_at(const char *dir, const char *rev, const char *path, char **text,
                            size_t *len, char **label);

/* ---- another commit's tree, for building it elsewhere ------------------- */

/*
 * The commit REV names in the repository containing DIR (NULL: the current
 * directory). REV is taken as pr_gitmeta_read_file_at takes it: anything
 * git rev-parse takes that names a commit, or "merge-base:REF"; NULL is
 * HEAD. COMMIT receives its full hex id (40 lowercase digits), LABEL a
 * description for messages such as "main (1a2b3c4)" or
 * "merge-base:main (1a2b3c4)"; the caller frees both, and both are NULL on
 * failure. PR_EINVALID naming REV when it does not resolve to a commit (or
 * HEAD and REF have no merge base); PR_ENOTFOUND outside a repository.
 */
int pr_gitmeta_resolve(const char *dir, const char *rev, char **commit, char **label);

/*
 * The commit fields of OUT (zeroed by the caller; commit, short_commit,
 * subject, commit_time, author_time; branch NULL, dirty -1) for the commit
 * REV names, as pr_gitmeta_resolve takes REV. Errors as
 * pr_gitmeta_resolve's; OUT is released on error.
 */
int pr_gitmeta_read_rev(const char *dir, const char *rev, pr_git_info *out);

/*
 * Writes the tree of COMMIT (a full hex id, as pr_gitmeta_resolve gives it)
 * of the repository containing DIR into the folder DEST, reading the object
 * database alone: the repository's work tree, index and HEAD are never
 * touched. DEST (relative to the current directory, not to DIR) must not
 * exist yet; it is created, and so are the folders above it that are
 * missing (those as mkdir -p makes them, 0777 less the umask).
 *
 * What the export holds, whatever the umask (modes are set with fchmod or
 * chmod after each file or folder is made):
 * - folders with mode 0755;
 * - every blob as a file, mode 0755 when the tree marks it executable
 *   (100755), 0644 otherwise, modified now;
 * - content byte for byte as stored: no .gitattributes filters, no
 *   line-ending conversion, no ident or LFS smudging;
 * - symbolic links (120000) as symbolic links whose target is the blob's
 *   content, unchanged: a target may point anywhere, nothing is written
 *   through one;
 * - submodules (gitlinks, 160000) as empty folders: their files are not
 *   there, so a build that needs them fails and shows its log.
 *
 * An entry named ".", "..", ".git" (in any case: case-insensitive file
 * systems), empty or with a '/' in it is refused with PR_EINVALID, so a
 * crafted tree cannot write outside DEST or plant a repository in it; one
 * that names an existing file or folder again fails with PR_EIO instead of
 * writing through it.
 *
 * On failure nothing is left behind: whatever was written under DEST, DEST
 * and the folders created above it are removed again before returning.
 * PR_EINVALID when COMMIT is not a full hex id or names no commit, when
 * DEST exists (it is left as it is), for a refused name; PR_ENOTFOUND
 * outside a repository; PR_EIO naming the path and the system's reason
 * when the file system fails, or naming the entry when an object cannot be
 * read (a partial clone, a corrupt repository).
 */
int pr_gitmeta_export(const char *dir, const char *commit, const char *dest);

#endif
