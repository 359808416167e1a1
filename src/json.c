/*
 * json.c - what every reader of JSON files shares: strict parsing (cJSON
 * lets through what JSON forbids), UTF-8 checks, and reading a file of
 * bounded size. Used by results.c, import.c and config.c, the three files
 * that see cJSON.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "error.h"
#include "json.h"
#include "strbuf.h"
#include "banned.h"

/* Length of the well-formed UTF-8 sequence at S (LEFT bytes remain), or 0:
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
size_t pr_json_utf8_sequence(const unsigned char *s, size_t left)
{
    size_t len, i;
    uint32_t cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        len = 2;
        cp = s[0] & 0x1f;
    } else if ((s[0] & 0xf0) == 0xe0) {
        len = 3;
        cp = s[0] & 0x0f;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        len = 4;
        cp = s[0] & 0x07;
    } else {
        return 0;
    }
    if (left < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

int pr_json_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);

    while (left > 0) {
        size_t n = pr_json_utf8_sequence(p, left);
        if (n == 0)
            return 0;
        p += n;
        left -= n;
    }
    return 1;
}

static int is_json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Where TEXT (LEN bytes) holds what JSON forbids but cJSON lets through, or
 * LEN: a control byte between tokens (cJSON skips every byte up to 0x20 as
 * white space, NUL included), a raw control byte inside a string, and the
 * escape \u0000, which would cut the string short in C.
 */
static size_t lenient_spot(const char *text, size_t len)
{
    int in_string = 0;
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];

        if (!in_string) {
            if (c == '"')
                in_string = 1;
            else if (c < 0x20 && !is_json_space((char)c))
                return i;
        } else if (c == '"') {
            in_string = 0;
        } else if (c < 0x20) {
            return i;
        } else if (c == '\\' && i + 1 < len) {
            if (text[i + 1] == 'u' && i + 6 <= len && memcmp(text + i + 2, "0000", 4) == 0)
                return i;
            i++; /* the escaped character, a quote or backslash included */
        }
    }
    return len;
}

/*
 * The one JSON value in TEXT (LEN bytes, need not be NUL-terminated), or
 * NULL: with *LINE 0 when TEXT is only white space, else with the line and
 * column (both from 1) where it stops being JSON. Free the root only.
 */
cJSON *pr_json_parse_text(const char *text, size_t len, size_t *line, size_t *column)
{
    const char *end = NULL;
    cJSON *root;
    size_t i, stop = len, bad;

    *line = 0;
    *column = 0;
    for (i = 0; i < len && is_json_space(text[i]); i++)
        ;
    if (i == len)
        return NULL;
    root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    bad = lenient_spot(text, len);
    if (root) {
        /* cJSON stops after the first value; anything but space after it
         * is not JSON. */
        for (i = (size_t)(end - text); i < len && is_json_space(text[i]); i++)
            ;
        if (i == len && bad == len)
            return root;
        cJSON_Delete(root);
        end = text + (i < bad ? i : bad);
    }
    if (end && end >= text && end <= text + len)
        stop = (size_t)(end - text);
    if (bad < stop)
        stop = bad;
    *line = 1;
    *column = 1;
    for (i = 0; i < stop; i++) {
        if (text[i] == '\n') {
            ++*line;
            *column = 1;
        } else {
            ++*column;
        }
    }
    return NULL;
}

int pr_json_parse(const char *text, size_t len, const char *path, cJSON **root)
{
    size_t line, column;

    *root = pr_json_parse_text(text, len, &line, &column);
    if (*root)
        return 0;
    if (line == 0)
        return pr_error_set(PR_EINVALID, "'%s': empty file", path);
    return pr_error_set(PR_EINVALID, "'%s': not valid JSON near line %zu, column %zu", path, line,
                        column);
}

static int read_all(int fd, const char *path, const char *what, pr_strbuf *sb)
{
    char chunk[65536];

    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return pr_error_set(PR_EIO, "'%s': cannot read: %s", path, strerror(errno));
        if (n == 0)
            return 0;
        /* Checked while reading too: pipes and growing files have no size. */
        if ((uint64_t)sb->len + (uint64_t)n > PR_JSON_MAX_FILE)
            return pr_error_set(PR_EINVALID,
                                "'%s': larger than 256 MiB, too large for %s", path, what);
        if (pr_strbuf_add(sb, chunk, (size_t)n) < 0)
            return PR_ENOMEM;
    }
}

int pr_json_read_file(const char *path, const char *what, pr_strbuf *out)
{
    struct stat st;
    int fd, err;

    fd = open(path, O_RDONLY);
    if (fd < 0)
        return pr_error_set(PR_EIO, "'%s': cannot open: %s", path, strerror(errno));
    if (fstat(fd, &st) < 0)
        err = pr_error_set(PR_EIO, "'%s': cannot read: %s", path, strerror(errno));
    else if (S_ISDIR(st.st_mode))
        err = pr_error_set(PR_EIO, "'%s': is a directory", path);
    else if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > PR_JSON_MAX_FILE)
        err = pr_error_set(PR_EINVALID, "'%s': larger than 256 MiB, too large for %s", path, what);
    else
        err = read_all(fd, path, what, out);
    close(fd);
    return err;
}

int pr_json_field_error(const char *file, const char *where, const char *key, const char *fmt, ...)
{
    char message[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return pr_error_set(PR_EINVALID, "'%s': %s%s%s: %s", file, where, *where && key ? "." : "",
                        key ? key : "", message);
}

int pr_json_missing(const char *file, const char *where, const char *key)
{
    return pr_json_field_error(file, where, key, "required field is missing");
}
