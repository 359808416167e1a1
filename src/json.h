/*
 * json.h - strict JSON reading shared by the files that see cJSON (results,
 * import, config). Not for the rest of perfreg, which sees plain structs.
 */
#ifndef PR_JSON_H
#define PR_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "strbuf.h"

/* The largest JSON file perfreg reads. */
#define PR_JSON_MAX_FILE ((uint64_t)256 << 20)

/* Length of the well-formed UTF-8 sequence at S (LEFT bytes remain), or 0:
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
size_t pr_json_utf8_sequence(const unsigned char *s, size_t left);

/* 1 when the NUL-terminated S is well-formed UTF-8. */
int pr_json_utf8_valid(const char *s);

/*
 * The one JSON value in TEXT (LEN bytes, need not be NUL-terminated), or
 * NULL: with *LINE 0 when TEXT is only white space, else with the line and
 * column (both from 1) where it stops being JSON. Stricter than cJSON: no
 * control bytes between tokens or inside strings, no \u0000, nothing after
 * the value. Free the root only.
 */
cJSON *pr_json_parse_text(const char *text, size_t len, size_t *line, size_t *column);

/* pr_json_parse_text with the message: PR_EINVALID "'PATH': empty file" or
 * "'PATH': not valid JSON near line L, column C". */
int pr_json_parse(const char *text, size_t len, const char *path, cJSON **root);

/* Appends the contents of the file at PATH to OUT. PR_EIO when it cannot be
 * opened or read or is a directory; PR_EINVALID when larger than
 * PR_JSON_MAX_FILE ("too large for WHAT", e.g. "a results file"). */
int pr_json_read_file(const char *path, const char *what, pr_strbuf *out);

/* PR_EINVALID with "'FILE': WHERE.KEY: MESSAGE" (WHERE may be "", KEY
 * NULL): the message every JSON reader gives for a bad field. */
int pr_json_field_error(const char *file, const char *where, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* pr_json_field_error for a required field that is absent. */
int pr_json_missing(const char *file, const char *where, const char *key);

#endif
