/*
 * test_strbuf.c - the growable string buffer: appends of each kind, growth
 * across many reallocations, reset, detach, the sticky failure and the
 * NULL cases the header promises.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "error.h"
#include "strbuf.h"
#include "banned.h"

static void test_add_kinds(void)
{
    pr_strbuf sb = PR_STRBUF_INIT;

    CHECK_INT(pr_strbuf_add(&sb, "abcdef", 3), 0);
    CHECK_INT(sb.len, 3);
    CHECK_STR(pr_strbuf_cstr(&sb), "abc");
    CHECK_INT(pr_strbuf_adds(&sb, "-xyz"), 0);
    CHECK_INT(pr_strbuf_addch(&sb, '!'), 0);
    CHECK_INT(pr_strbuf_addf(&sb, "[%d|%s|%.2f|%5s]", 42, "str", 1.5, "r"), 0);
    CHECK_INT(pr_strbuf_addrep(&sb, "ab", 3), 0);
    CHECK_INT(pr_strbuf_addrep(&sb, "zz", 0), 0);
    CHECK_STR(pr_strbuf_cstr(&sb), "abc-xyz![42|str|1.50|    r]ababab");
    CHECK_INT(sb.len, strlen("abc-xyz![42|str|1.50|    r]ababab"));
    CHECK(sb.alloc > sb.len);
    CHECK_INT(pr_strbuf_error(&sb), 0);
    pr_strbuf_release(&sb);
    CHECK(sb.buf == NULL);
    CHECK_INT(sb.len, 0);
}

static void test_add_embedded_nul_and_empty(void)
{
    pr_strbuf sb = PR_STRBUF_INIT;

    /* Zero-length appends leave the contents empty but NUL-terminated. */
    CHECK_INT(pr_strbuf_add(&sb, "", 0), 0);
    CHECK_INT(pr_strbuf_addf(&sb, "%s", ""), 0);
    CHECK_INT(sb.len, 0);
    CHECK(sb.buf != NULL);
    CHECK_STR(pr_strbuf_cstr(&sb), "");

    /* add copies raw bytes, NUL included, and still terminates. */
    CHECK_INT(pr_strbuf_add(&sb, "a\0b", 3), 0);
    CHECK_INT(sb.len, 3);
    CHECK(memcmp(sb.buf, "a\0b\0", 4) == 0);
    pr_strbuf_release(&sb);
}

static void test_addrep_utf8(void)
{
    pr_strbuf sb = PR_STRBUF_INIT;

    /* U+2500 is three bytes: count copies of the whole sequence. */
    CHECK_INT(pr_strbuf_addrep(&sb, "\xe2\x94\x80", 4), 0);
    CHECK_INT(sb.len, 12);
    CHECK_STR(pr_strbuf_cstr(&sb), "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80");
    pr_strbuf_release(&sb);
}

static void test_addf_many_reallocations(void)
{
    /* 10,000 appends of "<i>," take the buffer from 64 bytes through many
     * doublings; the expected text is built separately with snprintf. */
    enum { N = 10000 };
    static char expected[N * 8];
    size_t elen = 0;
    pr_strbuf sb = PR_STRBUF_INIT;
    int i, err = 0;

    for (i = 0; i < N; i++) {
        int n = snprintf(expected + elen, sizeof expected - elen, "%d,", i);
        elen += (size_t)n;
        err |= pr_strbuf_addf(&sb, "%d,", i);
    }
    CHECK_INT(err, 0);
    CHECK_INT(sb.len, elen);
    CHECK(sb.alloc >= sb.len + 1);
    CHECK(sb.buf != NULL && memcmp(sb.buf, expected, elen) == 0);
    CHECK(sb.buf != NULL && sb.buf[sb.len] == '\0');
    CHECK_INT(strlen(pr_strbuf_cstr(&sb)), elen);
    pr_strbuf_release(&sb);
}

static void test_addf_long_single(void)
{
    /* One format result far larger than the initial allocation. */
    pr_strbuf sb = PR_STRBUF_INIT;
    char big[5000];

    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK_INT(pr_strbuf_adds(&sb, "<"), 0);
    CHECK_INT(pr_strbuf_addf(&sb, "%s>%d", big, 7), 0);
    CHECK_INT(sb.len, 1 + 4999 + 2);
    CHECK(sb.buf[0] == '<' && sb.buf[1] == 'q' && sb.buf[4999] == 'q');
    CHECK_STR(sb.buf + 5000, ">7");
    pr_strbuf_release(&sb);
}

static void test_reset(void)
{
    pr_strbuf sb = PR_STRBUF_INIT;

    pr_strbuf_reset(&sb); /* on a never-used buffer */
    CHECK_STR(pr_strbuf_cstr(&sb), "");
    CHECK_INT(pr_strbuf_adds(&sb, "first contents"), 0);
    pr_strbuf_reset(&sb);
    CHECK_INT(sb.len, 0);
    CHECK_STR(pr_strbuf_cstr(&sb), "");
    CHECK(sb.alloc > 0);
    CHECK_INT(pr_strbuf_addf(&sb, "%s-%d", "again", 2), 0);
    CHECK_STR(pr_strbuf_cstr(&sb), "again-2");
    CHECK_INT(sb.len, 7);
    pr_strbuf_release(&sb);
}

static void test_sticky_failure(void)
{
    /* A length no allocation can hold fails in grow before data is read,
     * which provokes the sticky failure without running out of memory. */
    pr_strbuf sb = PR_STRBUF_INIT;

    CHECK_INT(pr_strbuf_adds(&sb, "kept"), 0);
    CHECK_INT(pr_strbuf_add(&sb, "x", SIZE_MAX), PR_ENOMEM);
    CHECK_INT(pr_strbuf_error(&sb), PR_ENOMEM);
    CHECK_INT(pr_strbuf_adds(&sb, "more"), PR_ENOMEM);
    CHECK_INT(pr_strbuf_addch(&sb, 'c'), PR_ENOMEM);
    CHECK_INT(pr_strbuf_addf(&sb, "%d", 1), PR_ENOMEM);
    CHECK_INT(pr_strbuf_addrep(&sb, "r", 2), PR_ENOMEM);
    CHECK_INT(sb.len, 4);
    CHECK_STR(pr_strbuf_cstr(&sb), "kept");

    pr_strbuf_reset(&sb); /* clears the failure */
    CHECK_INT(pr_strbuf_error(&sb), 0);
    CHECK_INT(pr_strbuf_adds(&sb, "ok"), 0);
    CHECK_STR(pr_strbuf_cstr(&sb), "ok");
    pr_strbuf_release(&sb);
}

static void test_detach(void)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    size_t len = 99;
    char *s;

    CHECK_INT(pr_strbuf_adds(&sb, "hand over"), 0);
    s = pr_strbuf_detach(&sb, &len);
    CHECK_STR(s, "hand over");
    CHECK_INT(len, 9);
    CHECK(sb.buf == NULL);
    CHECK_INT(sb.len, 0);
    CHECK_INT(sb.alloc, 0);
    CHECK_STR(pr_strbuf_cstr(&sb), "");

    /* The buffer is reusable and no longer shares memory with S. */
    CHECK_INT(pr_strbuf_adds(&sb, "new"), 0);
    CHECK_STR(pr_strbuf_cstr(&sb), "new");
    CHECK(sb.buf != s);
    CHECK_STR(s, "hand over");
    free(s);

    s = pr_strbuf_detach(&sb, NULL);
    CHECK_STR(s, "new");
    free(s);
    pr_strbuf_release(&sb);
}

static void test_detach_empty(void)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    size_t len = 99;
    char *s;

    /* Never used: no buffer yet, still a heap "" for the caller. */
    s = pr_strbuf_detach(&sb, &len);
    CHECK(s != NULL);
    CHECK_STR(s, "");
    CHECK_INT(len, 0);
    free(s);

    /* Used then reset: the kept allocation is handed over as "". */
    CHECK_INT(pr_strbuf_adds(&sb, "gone"), 0);
    pr_strbuf_reset(&sb);
    s = pr_strbuf_detach(&sb, &len);
    CHECK_STR(s, "");
    CHECK_INT(len, 0);
    free(s);
    CHECK(sb.buf == NULL);
}

static void test_cstr_empty(void)
{
    pr_strbuf sb;

    pr_strbuf_init(&sb);
    CHECK(sb.buf == NULL);
    CHECK(pr_strbuf_cstr(&sb) != NULL);
    CHECK_STR(pr_strbuf_cstr(&sb), "");
    CHECK_INT(pr_strbuf_error(&sb), 0);
}

static void test_release_null_and_twice(void)
{
    pr_strbuf sb = PR_STRBUF_INIT;

    pr_strbuf_release(NULL);
    CHECK_INT(pr_strbuf_adds(&sb, "x"), 0);
    pr_strbuf_release(&sb);
    pr_strbuf_release(&sb); /* released buffer is a valid empty one */
    CHECK(sb.buf == NULL);
    CHECK_INT(pr_strbuf_adds(&sb, "y"), 0);
    CHECK_STR(pr_strbuf_cstr(&sb), "y");
    pr_strbuf_release(&sb);
}

static void test_strdup(void)
{
    const char *src = "copy me";
    char *s;

    CHECK(pr_strdup(NULL) == NULL);
    s = pr_strdup(src);
    CHECK_STR(s, "copy me");
    CHECK(s != src);
    free(s);
    s = pr_strdup("");
    CHECK_STR(s, "");
    free(s);
}

/* The shortest form that reads back exactly. */
static void test_format_double(void)
{
    char buf[PR_DOUBLE_SIZE];
    const double values[] = {0.1 + 0.2, 1.0 / 3, 2.5, 1e300, 123456789.12345679, 1e-12};
    size_t i;

    pr_format_double(buf, sizeof buf, 0.1 + 0.2);
    CHECK_STR(buf, "0.30000000000000004");
    pr_format_double(buf, sizeof buf, 2.5);
    CHECK_STR(buf, "2.5");
    pr_format_double(buf, sizeof buf, -0.0);
    CHECK_STR(buf, "0");
    pr_format_double(buf, sizeof buf, 1e17);
    CHECK_STR(buf, "1e+17");
    for (i = 0; i < sizeof values / sizeof values[0]; i++) {
        pr_format_double(buf, sizeof buf, values[i]);
        CHECK(strtod(buf, NULL) == values[i]);
    }
}

int main(void)
{
    RUN_TEST(test_format_double);
    RUN_TEST(test_add_kinds);
    RUN_TEST(test_add_embedded_nul_and_empty);
    RUN_TEST(test_addrep_utf8);
    RUN_TEST(test_addf_many_reallocations);
    RUN_TEST(test_addf_long_single);
    RUN_TEST(test_reset);
    RUN_TEST(test_sticky_failure);
    RUN_TEST(test_detach);
    RUN_TEST(test_detach_empty);
    RUN_TEST(test_cstr_empty);
    RUN_TEST(test_release_null_and_twice);
    RUN_TEST(test_strdup);
    return CHECK_DONE();
}
