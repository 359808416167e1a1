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

#endif
