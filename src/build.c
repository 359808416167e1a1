/*
 * build.c - another commit's suite, built in a cache folder under the
 * store: export the tree (gitmeta), run the build command (spawn), find
 * the suite. A folder per commit holds the source once and a build folder
 * per command; a lock on the commit's folder keeps two perfreg processes
 * from building it at once. What the build is for is the caller's.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "error.h"
#include "gitmeta.h"
#include "spawn.h"
#include "store.h"
#include "strbuf.h"
#include "banned.h"

/* the log's last lines shown when a build fails */
#define TAIL_LINES 20
#define TAIL_BYTES 4096

void pr_build_result_init(pr_build_result *r)
{
    memset(r, 0, sizeof *r);
    pr_strbuf_init(&r->log_tail);
}

void pr_build_result_release(pr_build_result *r)
{
    if (!r)
        return;
    free(r->exe);
    free(r->commit);
    free(r->label);
    pr_strbuf_release(&r->log_tail);
    memset(r, 0, sizeof *r);
}

int pr_build_expand(const char *command, const char *source, const char *build, pr_strbuf *out)
{
    const char *p = command;

    while (*p) {
        if (strncmp(p, "{source}", 8) == 0) {
            pr_strbuf_adds(out, source);
            p += 8;
        } else if (strncmp(p, "{build}", 7) == 0) {
            pr_strbuf_adds(out, build);
            p += 7;
        } else {
            pr_strbuf_addch(out, *p++);
        }
    }
    return pr_strbuf_error(out) ? pr_error_set(PR_ENOMEM, "out of memory") : 0;
}

/* FNV-1a, 64 bits: the command's key, stable from run to run. */
static uint64_t command_key(const char *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static int is_executable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* The last TAIL_LINES lines of the file at PATH (at most TAIL_BYTES). */
static void read_tail(const char *path, pr_strbuf *out)
{
    char buf[TAIL_BYTES + 1];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    off_t size;
    ssize_t n;
    size_t start, lines = 0;

    if (fd < 0)
        return;
    size = lseek(fd, 0, SEEK_END);
    if (size > TAIL_BYTES)
        lseek(fd, size - TAIL_BYTES, SEEK_SET);
    else
        lseek(fd, 0, SEEK_SET);
    n = read(fd, buf, TAIL_BYTES);
    close(fd);
    if (n <= 0)
        return;
    start = (size_t)n;
    while (start > 0 && (buf[start - 1] == '\n'))
        start--;
    while (start > 0) {
        if (buf[start - 1] == '\n' && ++lines == TAIL_LINES)
            break;
        start--;
    }
    pr_strbuf_add(out, buf + start, (size_t)n - start);
}

/* The write lock on the commit's folder, held until FD is closed. */
static int lock_folder(const char *dir, int *fd)
{
    pr_strbuf path = PR_STRBUF_INIT;
    struct flock fl;
    int err = 0;

    pr_strbuf_addf(&path, "%s/.lock", dir);
    if (pr_strbuf_error(&path)) {
        pr_strbuf_release(&path);
        return pr_error_set(PR_ENOMEM, "out of memory");
    }
    *fd = open(path.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (*fd < 0) {
        err = pr_error_set(PR_EIO, "cannot open '%s': %s", path.buf, strerror(errno));
    } else {
        memset(&fl, 0, sizeof fl);
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
        while (fcntl(*fd, F_SETLKW, &fl) != 0) {
            if (errno != EINTR) {
                err = pr_error_set(PR_EIO, "cannot lock '%s': %s", path.buf, strerror(errno));
                break;
            }
        }
    }
    pr_strbuf_release(&path);
    return err;
}

/* The folders' paths for one commit and command. */
typedef struct paths {
    pr_strbuf root, source, build, log, done, source_tmp, exe;
} paths;

static void paths_release(paths *p)
{
    pr_strbuf_release(&p->root);
    pr_strbuf_release(&p->source);
    pr_strbuf_release(&p->build);
    pr_strbuf_release(&p->log);
    pr_strbuf_release(&p->done);
    pr_strbuf_release(&p->source_tmp);
    pr_strbuf_release(&p->exe);
}

static int make_paths(paths *p, const char *store, const char *commit, const char *command,
                      const char *suite)
{
    char key[17];

    memset(p, 0, sizeof *p);
    snprintf(key, sizeof key, "%016llx", (unsigned long long)command_key(command));
    pr_strbuf_addf(&p->root, "%s/builds/%s", store ? store : PR_STORE_DEFAULT_ROOT, commit);
    pr_strbuf_addf(&p->source, "%s/source", p->root.buf ? p->root.buf : "");
    pr_strbuf_addf(&p->source_tmp, "%s/source.tmp-%ld", p->root.buf ? p->root.buf : "",
                   (long)getpid());
    pr_strbuf_addf(&p->build, "%s/build-%s", p->root.buf ? p->root.buf : "", key);
    pr_strbuf_addf(&p->log, "%s/build-%s.log", p->root.buf ? p->root.buf : "", key);
    pr_strbuf_addf(&p->done, "%s/build-%s.done", p->root.buf ? p->root.buf : "", key);
    pr_strbuf_addf(&p->exe, "%s/%s", p->build.buf ? p->build.buf : "", suite);
    if (pr_strbuf_error(&p->root) || pr_strbuf_error(&p->source) || pr_strbuf_error(&p->build) ||
        pr_strbuf_error(&p->log) || pr_strbuf_error(&p->done) || pr_strbuf_error(&p->source_tmp) ||
        pr_strbuf_error(&p->exe))
        return pr_error_set(PR_ENOMEM, "out of memory");
    return 0;
}

/* Runs the build command for P; 0 when it succeeded, else the error with
 * the log's tail in RES. */
static int run_build(const pr_build_request *req, const paths *p, pr_build_result *res)
{
    pr_strbuf cmd = PR_STRBUF_INIT;
    char *src_abs = NULL, *build_abs = NULL, why[160];
    pr_spawn_options so;
    pr_spawn_result sr;
    char *argv[4] = {(char *)"/bin/sh", (char *)"-c", NULL, NULL};
    int err;

    pr_spawn_result_init(&sr);
    if (mkdir(p->build.buf, 0755) != 0) {
        err = pr_error_set(PR_EIO, "cannot create '%s': %s", p->build.buf, strerror(errno));
        goto done;
    }
    src_abs = realpath(p->source.buf, NULL);
    build_abs = realpath(p->build.buf, NULL);
    if (!src_abs || !build_abs) {
        err = pr_error_set(PR_EIO, "cannot find '%s': %s", p->build.buf, strerror(errno));
        goto done;
    }
    if ((err = pr_build_expand(req->command, src_abs, build_abs, &cmd)) != 0)
        goto done;
    argv[2] = cmd.buf;
    memset(&so, 0, sizeof so);
    so.dir = src_abs;
    so.timeout_s = req->timeout_s;
    so.stop = req->stop;
    so.log_path = p->log.buf;
    if (req->starting)
        req->starting(req->ctx, res->label, p->log.buf);
    if ((err = pr_spawn_run(argv, &so, &sr)) != 0)
        goto done;
    if (!sr.exited || sr.status != 0) {
        pr_spawn_describe(&sr, req->timeout_s, why, sizeof why);
        read_tail(p->log.buf, &res->log_tail);
        err = pr_error_set(PR_EINVALID, "the build of %s failed: '%s' %s; its log ends:",
                           res->label, req->command, why);
        goto done;
    }
    if (!is_executable_file(p->exe.buf)) {
        read_tail(p->log.buf, &res->log_tail);
        err = pr_error_set(PR_EINVALID,
                           "the build of %s made no suite '%s' in its build folder: check "
                           "build.suites in the config; the build's log ends:",
                           res->label, req->suite);
        goto done;
    }
done:
    free(src_abs);
    free(build_abs);
    pr_strbuf_release(&cmd);
    pr_spawn_result_release(&sr);
    return err;
}

int pr_build_suite(const pr_build_request *req, pr_build_result *res)
{
    paths p;
    int err, lock_fd = -1, made_root = 0, made_source = 0;

    memset(&p, 0, sizeof p);
    if ((err = pr_gitmeta_resolve(req->repo_dir, req->rev, &res->commit, &res->label)) != 0)
        return err;
    if ((err = make_paths(&p, req->store, res->commit, req->command, req->suite)) != 0)
        goto done;
    made_root = !exists(p.root.buf);
    if ((err = pr_store_mkdirs(p.root.buf)) != 0 || (err = lock_folder(p.root.buf, &lock_fd)) != 0)
        goto done;
    if (exists(p.done.buf) && is_executable_file(p.exe.buf)) {
        res->cached = 1;
        goto found;
    }
    /* a build that stopped half-way (killed, power cut) starts again */
    pr_store_remove_tree(p.build.buf);
    pr_store_remove_tree(p.log.buf);
    if (!exists(p.source.buf)) {
        pr_store_remove_tree(p.source_tmp.buf);
        if ((err = pr_gitmeta_export(req->repo_dir, res->commit, p.source_tmp.buf)) != 0)
            goto done;
        if (rename(p.source_tmp.buf, p.source.buf) != 0) {
            err = pr_error_set(PR_EIO, "cannot rename '%s': %s", p.source_tmp.buf,
                               strerror(errno));
            pr_store_remove_tree(p.source_tmp.buf);
            goto done;
        }
        made_source = 1;
    }
    if ((err = run_build(req, &p, res)) != 0)
        goto done;
    if ((err = pr_store_write_atomic(p.done.buf, res->commit, strlen(res->commit))) != 0)
        goto done;
found:
    if (!(res->exe = pr_strdup(p.exe.buf)))
        err = pr_error_set(PR_ENOMEM, "out of memory");
done:
    if (err) {
        /* nothing of a failed build stays; the message keeps the log's tail */
        pr_store_remove_tree(p.build.buf);
        pr_store_remove_tree(p.log.buf);
        pr_store_remove_tree(p.done.buf);
        if (made_source)
            pr_store_remove_tree(p.source.buf);
        if (made_root)
            pr_store_remove_tree(p.root.buf);
    }
    if (lock_fd >= 0)
        close(lock_fd);
    paths_release(&p);
    return err;
}
