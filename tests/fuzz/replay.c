/*
 * replay.c - runs a fuzz target's LLVMFuzzerTestOneInput on files, without
 * libFuzzer, so that the seed corpora and every saved finding are checked
 * by the normal build's ctest (any compiler, no sanitizer needed).
 *
 * usage: replay PATH...   (a file, or a folder: its files, in name order,
 * skipping names that start with '.'). A broken invariant aborts.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int read_file(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL, *grown;
    size_t len = 0, alloc = 0, n;

    if (!f) {
        fprintf(stderr, "replay: '%s': cannot open: %s\n", path, strerror(errno));
        return -1;
    }
    for (;;) {
        if (len == alloc) {
            alloc = alloc ? alloc * 2 : 4096;
            if (!(grown = realloc(buf, alloc))) {
                fprintf(stderr, "replay: '%s': out of memory\n", path);
                free(buf);
                fclose(f);
                return -1;
            }
            buf = grown;
        }
        n = fread(buf + len, 1, alloc - len, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        fprintf(stderr, "replay: '%s': cannot read\n", path);
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    *data = buf;
    *size = len;
    return 0;
}

static int replay_file(const char *path)
{
    uint8_t *data = NULL, *exact;
    size_t size = 0;

    if (read_file(path, &data, &size) < 0)
        return -1;
    /* Exactly SIZE bytes, so that reading past the input shows under a
     * sanitizer as it would under libFuzzer. */
    if (!(exact = realloc(data, size ? size : 1))) {
        free(data);
        return -1;
    }
    fprintf(stderr, "replay: %s\n", path);
    LLVMFuzzerTestOneInput(exact, size);
    free(exact);
    return 0;
}

static int hidden(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

/* The number of files replayed, or -1. */
static long replay_path(const char *path)
{
    struct dirent **names = NULL;
    struct stat st;
    char *file;
    long count = 0;
    int n, i, err = 0;

    if (stat(path, &st) < 0) {
        fprintf(stderr, "replay: '%s': %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(path) < 0 ? -1 : 1;
    n = scandir(path, &names, hidden, alphasort);
    if (n < 0) {
        fprintf(stderr, "replay: '%s': cannot list: %s\n", path, strerror(errno));
        return -1;
    }
    for (i = 0; i < n; i++) {
        size_t len = strlen(path) + strlen(names[i]->d_name) + 2;
        if (!err && (file = malloc(len)) != NULL) {
            snprintf(file, len, "%s/%s", path, names[i]->d_name);
            if (stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
                if (replay_file(file) < 0)
                    err = 1;
                else
                    count++;
            }
            free(file);
        }
        free(names[i]);
    }
    free(names);
    return err ? -1 : count;
}

int main(int argc, char **argv)
{
    long n, total = 0;
    int i;

    if (argc < 2) {
        fprintf(stderr, "usage: replay PATH...\n");
        return 2;
    }
    for (i = 1; i < argc; i++) {
        if ((n = replay_path(argv[i])) < 0)
            return 1;
        total += n;
    }
    printf("replayed %ld inputs, no broken invariant\n", total);
    return 0;
}
