/*
 * strbuf.c - the growable string buffer with a sticky allocation failure.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "strbuf.h"
#include "banned.h"

void pr_strbuf_init(pr_strbuf *sb)
{
    sb->buf = NULL;
    sb->len = 0;
    sb->alloc = 0;
    sb->failed = 0;
}

void pr_strbuf_release(pr_strbuf *sb)
{
    if (!sb)
        return;
    free(sb->buf);
    pr_strbuf_init(sb);
}

void pr_strbuf_reset(pr_strbuf *sb)
{
    sb->len = 0;
    sb->failed = 0;
    if (sb->buf)
        sb->buf[0] = '\0';
}

/* Makes room for EXTRA more bytes plus the NUL. */
static int grow(pr_strbuf *sb, size_t extra)
{
    size_t need, alloc;
    char *p;

    if (sb->failed)
        return PR_ENOMEM;
    if (extra > (size_t)-1 - sb->len - 1)
        goto fail;
    need = sb->len + extra + 1;
    if (need <= sb->alloc)
        return 0;
    alloc = sb->alloc ? sb->alloc : 64;
    while (alloc < need)
        alloc = alloc > (size_t)-1 / 2 ? need : alloc * 2;
    p = realloc(sb->buf, alloc);
    if (!p)
        goto fail;
    sb->buf = p;
    sb->alloc = alloc;
    return 0;
fail:
    sb->failed = 1;
    return pr_error_set(PR_ENOMEM, "out of memory");
}

int pr_strbuf_add(pr_strbuf *sb, const void *data, size_t len)
{
    int err = grow(sb, len);
    if (err)
        return err;
    if (len)
        memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
    return 0;
}

int pr_strbuf_adds(pr_strbuf *sb, const char *s)
{
    return pr_strbuf_add(sb, s, strlen(s));
}

int pr_strbuf_addch(pr_strbuf *sb, char c)
{
    return pr_strbuf_add(sb, &c, 1);
}

int pr_strbuf_addrep(pr_strbuf *sb, const char *s, size_t count)
{
    size_t len = strlen(s);
    int err = 0;
    while (count-- > 0 && !err)
        err = pr_strbuf_add(sb, s, len);
    return err;
}

int pr_strbuf_vaddf(pr_strbuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    int err;

    if (sb->failed)
        return PR_ENOMEM;
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        sb->failed = 1;
        return pr_error_set(PR_ENOMEM, "cannot format output");
    }
    err = grow(sb, (size_t)n);
    if (err)
        return err;
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
    return 0;
}

int pr_strbuf_addf(pr_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    int err;
    va_start(ap, fmt);
    err = pr_strbuf_vaddf(sb, fmt, ap);
    va_end(ap);
    return err;
}

int pr_strbuf_error(const pr_strbuf *sb)
{
    return sb->failed ? PR_ENOMEM : 0;
}

const char *pr_strbuf_cstr(const pr_strbuf *sb)
{
    return sb->buf ? sb->buf : "";
}

char *pr_strbuf_detach(pr_strbuf *sb, size_t *len)
{
    char *p = sb->buf;
    if (len)
        *len = sb->len;
    if (!p)
        p = calloc(1, 1);
    pr_strbuf_init(sb);
    return p;
}

char *pr_strdup(const char *s)
{
    size_t len;
    char *p;
    if (!s)
        return NULL;
    len = strlen(s);
    p = malloc(len + 1);
    if (!p) {
        pr_error_set(PR_ENOMEM, "out of memory");
        return NULL;
    }
    memcpy(p, s, len + 1);
    return p;
}

void pr_format_double(char *buf, size_t size, double d)
{
    const char *point = localeconv()->decimal_point;
    int precision;
    char *p;

    if (d == 0) {
        snprintf(buf, size, "0");
        return;
    }
    /* cJSON's own printer accepts a 15-digit form within one DBL_EPSILON,
     * which turns 0.1 + 0.2 into 0.3: read each candidate back instead. */
    for (precision = 15; precision < 17; precision++) {
        snprintf(buf, size, "%.*g", precision, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    if (precision == 17)
        snprintf(buf, size, "%.17g", d);
    if (point[0] != '.' && point[0] != '\0' && point[1] == '\0')
        for (p = buf; *p; p++)
            if (*p == point[0])
                *p = '.';
}
