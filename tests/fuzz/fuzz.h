/*
 * fuzz.h - what the fuzz targets share: the libFuzzer entry point, which
 * tests/fuzz/replay.c also calls, and the checks of an engine message.
 * A broken invariant prints what broke and abort()s, so libFuzzer saves the
 * input and the replay test fails.
 */
#ifndef PR_FUZZ_H
#define PR_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* Runs one input; 0 always (a broken invariant aborts). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints WHAT and DETAIL (may be NULL) and aborts. */
__attribute__((noreturn)) static inline void fuzz_fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz: broken invariant: %s\n", what);
    if (detail)
        fprintf(stderr, "fuzz:   %s\n", detail);
    abort();
}

/* A failure ERR of an engine call must be PR_EINVALID with a one-line
 * message that starts with PREFIX; out of memory may say only that. */
static inline void fuzz_check_failure(int err, const char *prefix)
{
    const char *msg = pr_error_last();

    if (err == PR_ENOMEM)
        return;
    if (err != PR_EINVALID)
        fuzz_fail("a failure other than PR_EINVALID", msg);
    if (strchr(msg, '\n') || strchr(msg, '\r'))
        fuzz_fail("the message is not one line", msg);
    if (strncmp(msg, prefix, strlen(prefix)) != 0)
        fuzz_fail("the message does not start with the file's name", msg);
}

/* A heap copy of the LEN bytes at DATA with a NUL after them. */
static inline char *fuzz_copy(const uint8_t *data, size_t len)
{
    char *s = malloc(len + 1);

    if (!s)
        fuzz_fail("out of memory copying the input", NULL);
    if (len > 0)
        memcpy(s, data, len);
    s[len] = '\0';
    return s;
}

#endif
