/*
 * store.h - the run store and atomic file writes.
 *
 *   <root>/runs/<suite>/NNNN_<short-commit>_<YYYYMMDDTHHMMSSZ>.json
 *
 * root defaults to ".perfreg". NNNN is one more than the highest number
 * present (4 digits or more). A run is written to a temporary file in the
 * same folder, fsync'ed and renamed into place while the folder is locked
 * (an fcntl write lock on <root>/runs/<suite>/.lock, between processes), so two runs at once get
 * distinct numbers and a reader never sees a partial file.
 */
#ifndef PR_STORE_H
#define PR_STORE_H

#include <stddef.h>

#include "run.h"

#define PR_STORE_DEFAULT_ROOT ".perfreg"

/*
 * Writes DATA (LEN bytes) to PATH atomically: temporary file in the same
 * folder, fsync, rename, fsync of the folder. On failure PATH is untouched,
 * the temporary file is removed and PR_EIO says why.
 */
int pr_store_write_atomic(const char *path, const char *data, size_t len);

/* Writes all LEN bytes of DATA to FD, again after EINTR and short writes.
 * Returns 0, or -1 with errno set by write(2). */
int pr_store_write_fd(int fd, const void *data, size_t len);

/* Creates DIR and its parents (mode 0777 & ~umask). */
int pr_store_mkdirs(const char *dir);

/* A suite name safe as one path component: [A-Za-z0-9._-], others become
 * '_'; "" and "." / ".." become "suite". Caller frees. */
char *pr_store_suite_dirname(const char *suite);

/*
 * Records RUN (its JSON is DATA, LEN bytes) in the store under ROOT.
 * OUT_PATH receives the path written (caller frees), may be NULL.
 */
int pr_store_record(const char *root, const pr_run *run, const char *data, size_t len,
                    char **out_path);

/*
 * The newest recorded run of SUITE under ROOT (NULL: the default root): the
 * highest-numbered file. OUT_PATH receives it (caller frees). PR_ENOTFOUND
 * when the suite has no recorded run, with a message saying how to make one.
 */
int pr_store_latest(const char *root, const char *suite, char **out_path);

/*
 * The recorded runs of SUITE under ROOT, oldest first (by number). PATHS
 * receives an array of N paths (free each and the array); none is fine
 * (N = 0, PATHS NULL).
 */
int pr_store_list(const char *root, const char *suite, char ***paths, size_t *n);

/* Frees an array from pr_store_list. */
void pr_store_free_list(char **paths, size_t n);

#define PR_STORE_DEFAULT_KEEP 100

/*
 * Removes the oldest runs of SUITE under ROOT beyond the newest KEEP
 * (KEEP 0: keep all), under the suite's lock. REMOVED receives how many
 * were removed (may be NULL). Call it only after the new run is written.
 */
int pr_store_prune(const char *root, const char *suite, size_t keep, size_t *removed);

/* Removes PATH and, when it is a folder, everything under it, without
 * following symbolic links; a PATH that does not exist is fine. Best
 * effort: the first failure is returned (PR_EIO) after the rest is tried. */
int pr_store_remove_tree(const char *path);

#define PR_BASELINES_DEFAULT_DIR "baselines"

/*
 * The baseline file for NAME_OR_FILE: a path (it contains '/' or ends in
 * ".json") is taken as it is; a name becomes DIR/<name>.json (DIR NULL: the
 * default), the name made safe as for the store. Caller frees OUT.
 */
int pr_store_baseline_path(const char *dir, const char *name_or_file, char **out);

#endif
