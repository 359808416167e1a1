/*
 * strbuf.h - one growable string buffer.
 *
 * The buffer is always NUL-terminated once anything was added. A failed
 * allocation makes the buffer sticky-failed: later appends do nothing and
 * pr_strbuf_error() reports PR_ENOMEM, so a renderer may append without
 * checking each call and check once before writing.
 */
#ifndef PR_STRBUF_H
#define PR_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct pr_strbuf {
    char *buf;    /* owned; NULL until the first append */
    size_t len;   /* bytes in use, not counting the NUL */
    size_t alloc; /* bytes allocated */
    int failed;   /* an allocation failed: contents are incomplete */
} pr_strbuf;

#define PR_STRBUF_INIT                                                                             \
    {                                                                                              \
        NULL, 0, 0, 0                                                                              \
    }

void pr_strbuf_init(pr_strbuf *sb);
/* Frees the contents; the buffer may be used again. Accepts NULL. */
void pr_strbuf_release(pr_strbuf *sb);
/* Empties the buffer, keeps the allocation and clears a failure. */
void pr_strbuf_reset(pr_strbuf *sb);

int pr_strbuf_add(pr_strbuf *sb, const void *data, size_t len);
int pr_strbuf_adds(pr_strbuf *sb, const char *s);
int pr_strbuf_addch(pr_strbuf *sb, char c);
/* Appends COUNT copies of the UTF-8 or ASCII string S. */
int pr_strbuf_addrep(pr_strbuf *sb, const char *s, size_t count);
int pr_strbuf_addf(pr_strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int pr_strbuf_vaddf(pr_strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* 0, or PR_ENOMEM when an earlier append failed. */
int pr_strbuf_error(const pr_strbuf *sb);
/* The contents, "" when empty. Borrowed. */
const char *pr_strbuf_cstr(const pr_strbuf *sb);
/* Hands the contents to the caller (free() it; never NULL unless out of
 * memory) and empties the buffer. */
char *pr_strbuf_detach(pr_strbuf *sb, size_t *len);

/*
 * The shortest of %.15g, %.16g, %.17g that reads back as exactly D (finite),
 * with '.' as the decimal point whatever the locale; zero is "0" whatever
 * its sign. BUF should hold PR_DOUBLE_SIZE bytes. Used wherever a number is
 * written for a program to read back (JSON, CSV).
 */
#define PR_DOUBLE_SIZE 40
void pr_format_double(char *buf, size_t size, double d);

/* A heap copy of S (NULL stays NULL). Sets PR_ENOMEM's message on failure
 * and returns NULL. */
char *pr_strdup(const char *s);

#endif
