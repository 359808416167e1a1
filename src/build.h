/*
 * build.h - the suite as built at another commit, for compare --against
 * REF: the commit's tree exported from git into a cache folder under the
 * store (the user's work tree, index and HEAD untouched), the project's
 * build command run there once per commit and command, the suite found in
 * the build folder.
 *
 *   <store>/builds/<commit>/source/           the commit's files
 *   <store>/builds/<commit>/build-<key>/      one build folder per command
 *   <store>/builds/<commit>/build-<key>.log   its log
 *   <store>/builds/<commit>/build-<key>.done  written last: the build is whole
 *
 * <key> is a hash of the command. A failed build leaves nothing: its
 * folder, its log and a source folder it exported are removed, and the
 * tail of the log is handed back for the message.
 */
#ifndef PR_BUILD_H
#define PR_BUILD_H

#include <signal.h>
#include <stddef.h>

#include "strbuf.h"

typedef struct pr_build_request {
    const char *repo_dir;  /* a folder in the repository (NULL: the current one) */
    const char *store;     /* the store's root (NULL: the default) */
    const char *rev;       /* what to build: a branch, tag, commit, HEAD~2, merge-base:REF */
    const char *command;   /* the config's build.command: {source} and {build} replaced by
                            * the folders' absolute paths; run with /bin/sh -c in {source} */
    const char *suite;     /* the suite's path inside the build folder */
    double timeout_s;      /* of the build command; 0 = none */
    const volatile sig_atomic_t *stop;
    /* Called before the build command starts (not when the build is
     * cached), with the label of the commit; may be NULL. */
    void (*starting)(void *ctx, const char *label, const char *log_path);
    void *ctx;
} pr_build_request;

typedef struct pr_build_result {
    char *exe;    /* the suite at the commit (caller frees) */
    char *commit; /* its full id */
    char *label;  /* "main (1a2b3c4)" */
    int cached;   /* 1: built before, not now */
    /* When the build failed: the last lines of its log (for the message
     * after the error's line). */
    pr_strbuf log_tail;
} pr_build_result;

void pr_build_result_init(pr_build_result *r);
void pr_build_result_release(pr_build_result *r);

/*
 * Builds (or finds built) the suite at REQ->rev into RES. Returns 0;
 * PR_EINVALID naming REV when it does not resolve, when the build fails
 * ("the build of main (1a2b3c4) failed: exited with status 2; its log
 * ends:", the tail in RES->log_tail) or makes no REQ->suite; PR_ENOTFOUND
 * outside a repository; PR_EINTERRUPTED; PR_EIO; PR_ENOMEM. On any error
 * nothing this call made is left in the store.
 */
int pr_build_suite(const pr_build_request *req, pr_build_result *res);

/* COMMAND with every {source} and {build} replaced into OUT. */
int pr_build_expand(const char *command, const char *source, const char *build, pr_strbuf *out);

#endif
