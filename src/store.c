/*
 * store.c - where runs are kept and how files are written. Every write goes
 * through a temporary file in the target's folder, fsync and rename, so a
 * reader (or a crash) sees the old file or the new one, never a part.
 * Numbering of runs happens under a lock on the suite's folder. What a run
 * contains is the results module's business; this file moves bytes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "store.h"
#include "strbuf.h"
#include "banned.h"

/* temporary files: TEMP_PREFIX and six characters from mkstemp */
#define TEMP_PREFIX ".perfreg-tmp-"

int pr_store_write_fd(int fd, const void *buf, size_t len)
{
    const char *data = buf;

    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The folder part of PATH ("." when none), in a strbuf. */
static int dir_of(const char *path, pr_strbuf *dir)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return pr_strbuf_adds(dir, ".");
    if (slash == path)
        return pr_strbuf_adds(dir, "/");
    return pr_strbuf_add(dir, path, (size_t)(slash - path));
}

static void fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Writes DATA to a new temporary file in DIR, on the way to TARGET (named
 * in messages); the temporary file's name lands in TMP. */
static int write_temp(const char *dir, const char *target, const char *data, size_t len,
                      pr_strbuf *tmp)
{
    int fd, saved;
    mode_t mask;

    pr_strbuf_addf(tmp, "%s/" TEMP_PREFIX "XXXXXX", dir);
    if (pr_strbuf_error(tmp))
        return PR_ENOMEM;
    fd = mkstemp(tmp->buf);
    if (fd < 0)
        return pr_error_set(PR_EIO, "cannot write '%s': %s", target, strerror(errno));
    /* mkstemp makes the file private; results are ordinary files */
    mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || pr_store_write_fd(fd, data, len) != 0 || fsync(fd) != 0) {
        saved = errno;
        close(fd);
        unlink(tmp->buf);
        return pr_error_set(PR_EIO, "cannot write '%s': %s", target, strerror(saved));
    }
    if (close(fd) != 0) {
        saved = errno;
        unlink(tmp->buf);
        return pr_error_set(PR_EIO, "cannot write '%s': %s", target, strerror(saved));
    }
    return 0;
}

/* A write takes milliseconds; a temporary file this old was left by a
 * writer that was killed, and no one will rename it. */
#define STALE_TEMP_S (60 * 60)

/* Removes the temporary files that killed writers left in DIR. Best
 * effort: a file that cannot be removed stays, and nothing is reported. */
static void sweep_stale_temps(const char *dir)
{
    pr_strbuf path = PR_STRBUF_INIT;
    DIR *d = opendir(dir);
    struct dirent *e;
    struct stat st;
    time_t now = time(NULL);

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, TEMP_PREFIX, strlen(TEMP_PREFIX)) != 0 ||
            strlen(e->d_name) != strlen(TEMP_PREFIX) + 6)
            continue;
        pr_strbuf_reset(&path);
        pr_strbuf_addf(&path, "%s/%s", dir, e->d_name);
        if (pr_strbuf_error(&path) == 0 && lstat(path.buf, &st) == 0 && S_ISREG(st.st_mode) &&
            st.st_mtime < now - STALE_TEMP_S)
            unlink(path.buf);
    }
    closedir(d);
    pr_strbuf_release(&path);
}

int pr_store_write_atomic(const char *path, const char *data, size_t len)
{
    pr_strbuf dir = PR_STRBUF_INIT, tmp = PR_STRBUF_INIT;
    int err;

    if ((err = dir_of(path, &dir)) != 0)
        goto done;
    if ((err = write_temp(dir.buf, path, data, len, &tmp)) != 0)
        goto done;
    if (rename(tmp.buf, path) != 0) {
        int saved = errno;
        unlink(tmp.buf);
        err = pr_error_set(PR_EIO, "cannot write '%s': %s", path, strerror(saved));
        goto done;
    }
    fsync_dir(dir.buf);
    sweep_stale_temps(dir.buf);
done:
    pr_strbuf_release(&dir);
    pr_strbuf_release(&tmp);
    return err;
}

int pr_store_mkdirs(const char *dir)
{
    pr_strbuf p = PR_STRBUF_INIT;
    size_t i;
    int err = 0;

    if ((err = pr_strbuf_adds(&p, dir)) != 0)
        return err;
    for (i = 1; i <= p.len; i++) {
        if (p.buf[i] != '/' && p.buf[i] != '\0')
            continue;
        char saved = p.buf[i];
        p.buf[i] = '\0';
        if (mkdir(p.buf, 0777) != 0 && errno != EEXIST) {
            err = pr_error_set(PR_EIO, "cannot create folder '%s': %s", p.buf, strerror(errno));
            goto done;
        }
        p.buf[i] = saved;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        err = pr_error_set(PR_EIO, "'%s' is not a folder", dir);
done:
    pr_strbuf_release(&p);
    return err;
}

char *pr_store_suite_dirname(const char *suite)
{
    char *s;
    size_t i;

    if (!suite || !*suite || strcmp(suite, ".") == 0 || strcmp(suite, "..") == 0)
        return pr_strdup("suite");
    s = pr_strdup(suite);
    if (!s)
        return NULL;
    for (i = 0; s[i]; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            s[i] = '_';
    }
    return s;
}

/* The highest NNNN_ prefix among DIR's entries, 0 when none; its file name
 * in NAME when NAME is not NULL. */
static int highest_number(const char *dir, unsigned long long *out, pr_strbuf *name)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    *out = 0;
    if (!d)
        return pr_error_set(errno == ENOENT ? PR_ENOTFOUND : PR_EIO, "cannot read folder '%s': %s",
                            dir, strerror(errno));
    while ((e = readdir(d)) != NULL) {
        char *end;
        unsigned long long n;
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        errno = 0;
        n = strtoull(e->d_name, &end, 10);
        if (errno == 0 && *end == '_' && n > *out) {
            *out = n;
            if (name) {
                pr_strbuf_reset(name);
                pr_strbuf_adds(name, e->d_name);
            }
        }
    }
    closedir(d);
    return name ? pr_strbuf_error(name) : 0;
}

/* "2026-11-23T08:35:00Z" -> "20261123T083500Z"; other text kept as is
 * apart from characters unsafe in a file name. */
static void add_compact_date(pr_strbuf *sb, const char *date)
{
    const char *p;
    for (p = date; *p; p++) {
        if (*p == '-' || *p == ':')
            continue;
        pr_strbuf_addch(sb, (*p >= '0' && *p <= '9') || *p == 'T' || *p == 'Z' ? *p : '_');
    }
}

/* S with anything but letters and digits as '_', for a file name. */
static void add_safe(pr_strbuf *sb, const char *s)
{
    for (; *s; s++)
        pr_strbuf_addch(sb, (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
                                    (*s >= 'A' && *s <= 'Z')
                                ? *s
                                : '_');
}

static int lock_folder(const char *dir, int *fd_out)
{
    pr_strbuf path = PR_STRBUF_INIT;
    struct flock fl;
    int fd, err = 0;

    *fd_out = -1;
    if (pr_strbuf_addf(&path, "%s/.lock", dir) != 0)
        return PR_ENOMEM;
    fd = open(path.buf, O_RDWR | O_CREAT, 0666);
    if (fd < 0) {
        err = pr_error_set(PR_EIO, "cannot lock '%s': %s", path.buf, strerror(errno));
        goto done;
    }
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    while (fcntl(fd, F_SETLKW, &fl) != 0) {
        if (errno == EINTR)
            continue;
        err = pr_error_set(PR_EIO, "cannot lock '%s': %s", path.buf, strerror(errno));
        close(fd);
        goto done;
    }
    *fd_out = fd;
done:
    pr_strbuf_release(&path);
    return err;
}

int pr_store_record(const char *root, const pr_run *run, const char *data, size_t len,
                    char **out_path)
{
    pr_strbuf dir = PR_STRBUF_INIT, tmp = PR_STRBUF_INIT, final = PR_STRBUF_INIT;
    char *suite = NULL;
    unsigned long long number;
    int lock_fd = -1, err;

    if (out_path)
        *out_path = NULL;
    if (!(suite = pr_store_suite_dirname(run->suite))) {
        err = PR_ENOMEM;
        goto done;
    }
    if ((err = pr_strbuf_addf(&dir, "%s/runs/%s", root ? root : PR_STORE_DEFAULT_ROOT, suite)))
        goto done;
    if ((err = pr_store_mkdirs(dir.buf)) != 0)
        goto done;
    /* The slow part, writing and syncing, happens before the lock is taken;
     * the lock covers only numbering and the rename. */
    if ((err = write_temp(dir.buf, dir.buf, data, len, &tmp)) != 0)
        goto done;
    if ((err = lock_folder(dir.buf, &lock_fd)) != 0)
        goto done;
    if ((err = highest_number(dir.buf, &number, NULL)) != 0)
        goto done;
    pr_strbuf_addf(&final, "%s/%04llu_", dir.buf, number + 1);
    add_safe(&final, run->git.short_commit ? run->git.short_commit : "nogit");
    pr_strbuf_addch(&final, '_');
    add_compact_date(&final, run->context.date ? run->context.date : "nodate");
    pr_strbuf_adds(&final, ".json");
    if ((err = pr_strbuf_error(&final)) != 0)
        goto done;
    if (rename(tmp.buf, final.buf) != 0) {
        err = pr_error_set(PR_EIO, "cannot write '%s': %s", final.buf, strerror(errno));
        goto done;
    }
    pr_strbuf_reset(&tmp);
    fsync_dir(dir.buf);
    sweep_stale_temps(dir.buf);
    if (out_path)
        *out_path = pr_strbuf_detach(&final, NULL);
done:
    if (tmp.len)
        unlink(tmp.buf);
    if (lock_fd >= 0)
        close(lock_fd);
    free(suite);
    pr_strbuf_release(&dir);
    pr_strbuf_release(&tmp);
    pr_strbuf_release(&final);
    return err;
}

int pr_store_latest(const char *root, const char *suite, char **out_path)
{
    pr_strbuf dir = PR_STRBUF_INIT, name = PR_STRBUF_INIT, path = PR_STRBUF_INIT;
    char *safe = NULL;
    unsigned long long number = 0;
    int err;

    *out_path = NULL;
    if (!(safe = pr_store_suite_dirname(suite))) {
        err = PR_ENOMEM;
        goto done;
    }
    if ((err = pr_strbuf_addf(&dir, "%s/runs/%s", root ? root : PR_STORE_DEFAULT_ROOT, safe)))
        goto done;
    err = highest_number(dir.buf, &number, &name);
    if (err == PR_ENOTFOUND || (err == 0 && number == 0)) {
        err = pr_error_set(PR_ENOTFOUND, "no recorded run of suite '%s' in '%s': run it first",
                           suite, dir.buf);
        goto done;
    }
    if (err)
        goto done;
    if ((err = pr_strbuf_addf(&path, "%s/%s", dir.buf, name.buf)) != 0)
        goto done;
    *out_path = pr_strbuf_detach(&path, NULL);
done:
    free(safe);
    pr_strbuf_release(&dir);
    pr_strbuf_release(&name);
    pr_strbuf_release(&path);
    return err;
}

int pr_store_baseline_path(const char *dir, const char *name_or_file, char **out)
{
    pr_strbuf path = PR_STRBUF_INIT;
    size_t len = strlen(name_or_file);
    char *safe;

    *out = NULL;
    if (strchr(name_or_file, '/') || (len > 5 && strcmp(name_or_file + len - 5, ".json") == 0)) {
        *out = pr_strdup(name_or_file);
        return *out ? 0 : PR_ENOMEM;
    }
    if (!(safe = pr_store_suite_dirname(name_or_file)))
        return PR_ENOMEM;
    pr_strbuf_addf(&path, "%s/%s.json", dir ? dir : PR_BASELINES_DEFAULT_DIR, safe);
    free(safe);
    if (pr_strbuf_error(&path)) {
        pr_strbuf_release(&path);
        return PR_ENOMEM;
    }
    *out = pr_strbuf_detach(&path, NULL);
    return 0;
}

typedef struct numbered {
    unsigned long long number;
    char *path;
} numbered;

static int by_number(const void *a, const void *b)
{
    const numbered *x = a, *y = b;
    return (x->number > y->number) - (x->number < y->number);
}

/* The numbered run files of DIR, sorted oldest first. */
static int list_numbered(const char *dir, numbered **out, size_t *n)
{
    DIR *d;
    struct dirent *e;
    numbered *items = NULL;
    size_t count = 0, alloc = 0;
    int err = 0;

    *out = NULL;
    *n = 0;
    if (!(d = opendir(dir)))
        return errno == ENOENT
                   ? 0
                   : pr_error_set(PR_EIO, "cannot read folder '%s': %s", dir, strerror(errno));
    while ((e = readdir(d)) != NULL) {
        char *end;
        unsigned long long number;
        size_t len = strlen(e->d_name);
        pr_strbuf path = PR_STRBUF_INIT;
        if (e->d_name[0] < '0' || e->d_name[0] > '9' || len < 6 ||
            strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        errno = 0;
        number = strtoull(e->d_name, &end, 10);
        if (errno != 0 || *end != '_')
            continue;
        if (count == alloc) {
            numbered *p = realloc(items, (alloc = alloc ? alloc * 2 : 64) * sizeof *p);
            if (!p) {
                err = pr_error_set(PR_ENOMEM, "out of memory");
                break;
            }
            items = p;
        }
        if (pr_strbuf_addf(&path, "%s/%s", dir, e->d_name) != 0) {
            err = PR_ENOMEM;
            break;
        }
        items[count].number = number;
        items[count++].path = pr_strbuf_detach(&path, NULL);
    }
    closedir(d);
    if (err) {
        while (count > 0)
            free(items[--count].path);
        free(items);
        return err;
    }
    if (count > 1)
        qsort(items, count, sizeof *items, by_number);
    *out = items;
    *n = count;
    return 0;
}

static int suite_dir(const char *root, const char *suite, pr_strbuf *dir)
{
    char *safe = pr_store_suite_dirname(suite);
    if (!safe)
        return PR_ENOMEM;
    pr_strbuf_addf(dir, "%s/runs/%s", root ? root : PR_STORE_DEFAULT_ROOT, safe);
    free(safe);
    return pr_strbuf_error(dir);
}

int pr_store_list(const char *root, const char *suite, char ***paths, size_t *n)
{
    pr_strbuf dir = PR_STRBUF_INIT;
    numbered *items = NULL;
    size_t count = 0, i;
    int err;

    *paths = NULL;
    *n = 0;
    if ((err = suite_dir(root, suite, &dir)) != 0 ||
        (err = list_numbered(dir.buf, &items, &count)) != 0)
        goto done;
    if (count > 0) {
        if (!(*paths = malloc(count * sizeof **paths))) {
            err = pr_error_set(PR_ENOMEM, "out of memory");
            for (i = 0; i < count; i++)
                free(items[i].path);
            goto done;
        }
        for (i = 0; i < count; i++)
            (*paths)[i] = items[i].path;
        *n = count;
    }
done:
    free(items);
    pr_strbuf_release(&dir);
    return err;
}

void pr_store_free_list(char **paths, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

int pr_store_prune(const char *root, const char *suite, size_t keep, size_t *removed)
{
    pr_strbuf dir = PR_STRBUF_INIT;
    numbered *items = NULL;
    size_t count = 0, i, gone = 0;
    int lock_fd = -1, err;

    if (removed)
        *removed = 0;
    if (keep == 0)
        return 0;
    if ((err = suite_dir(root, suite, &dir)) != 0)
        goto done;
    if ((err = lock_folder(dir.buf, &lock_fd)) != 0)
        goto done;
    if ((err = list_numbered(dir.buf, &items, &count)) != 0)
        goto done;
    for (i = 0; i + keep < count; i++) {
        if (unlink(items[i].path) != 0 && errno != ENOENT) {
            err = pr_error_set(PR_EIO, "cannot remove old run '%s': %s", items[i].path,
                               strerror(errno));
            goto done;
        }
        gone++;
    }
    if (gone)
        fsync_dir(dir.buf);
    if (removed)
        *removed = gone;
done:
    for (i = 0; i < count; i++)
        free(items[i].path);
    free(items);
    if (lock_fd >= 0)
        close(lock_fd);
    pr_strbuf_release(&dir);
    return err;
}

int pr_store_remove_tree(const char *path)
{
    struct stat st;
    DIR *dir;
    struct dirent *d;
    pr_strbuf child = PR_STRBUF_INIT;
    int err = 0;

    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : pr_error_set(PR_EIO, "cannot remove '%s': %s", path,
                                                  strerror(errno));
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) != 0)
            return pr_error_set(PR_EIO, "cannot remove '%s': %s", path, strerror(errno));
        return 0;
    }
    if (!(dir = opendir(path)))
        return pr_error_set(PR_EIO, "cannot remove '%s': %s", path, strerror(errno));
    while ((d = readdir(dir)) != NULL) {
        int e;
        if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
            continue;
        pr_strbuf_reset(&child);
        pr_strbuf_addf(&child, "%s/%s", path, d->d_name);
        if (pr_strbuf_error(&child)) {
            err = pr_error_set(PR_ENOMEM, "out of memory");
            break;
        }
        /* best effort: one entry that will not go does not keep the rest */
        if ((e = pr_store_remove_tree(child.buf)) != 0 && !err)
            err = e;
    }
    closedir(dir);
    pr_strbuf_release(&child);
    if (rmdir(path) != 0 && !err)
        err = pr_error_set(PR_EIO, "cannot remove '%s': %s", path, strerror(errno));
    return err;
}
