/*
 * check.h - the unit tests' assertion macros. A failed check prints the file,
 * line and both values and fails the current test; the runner prints
 * "N passed, N failed" and exits 1 when anything failed.
 */
#ifndef PR_CHECK_H
#define PR_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_failures_;
static int check_test_failed_;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);              \
            check_test_failed_ = 1;                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_INT(a, b)                                                                            \
    do {                                                                                           \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                           \
        if (check_a_ != check_b_) {                                                                \
            fprintf(stderr, "%s:%d: %s == %s: %lld != %lld\n", __FILE__, __LINE__, #a, #b,         \
                    check_a_, check_b_);                                                           \
            check_test_failed_ = 1;                                                                \
        }                                                                                          \
    } while (0)

/* |a - b| <= tol */
#define CHECK_NEAR(a, b, tol)                                                                      \
    do {                                                                                           \
        double check_a_ = (double)(a), check_b_ = (double)(b);                                     \
        if (!(fabs(check_a_ - check_b_) <= (tol))) {                                               \
            fprintf(stderr, "%s:%d: %s ~ %s: %.17g != %.17g (tolerance %g)\n", __FILE__,           \
                    __LINE__, #a, #b, check_a_, check_b_, (double)(tol));                          \
            check_test_failed_ = 1;                                                                \
        }                                                                                          \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *check_a_ = (a), *check_b_ = (b);                                               \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {                           \
            fprintf(stderr, "%s:%d: %s == %s: \"%s\" != \"%s\"\n", __FILE__, __LINE__, #a, #b,     \
                    check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)");               \
            check_test_failed_ = 1;                                                                \
        }                                                                                          \
    } while (0)

/* S contains SUB */
#define CHECK_CONTAINS(s, sub)                                                                     \
    do {                                                                                           \
        const char *check_s_ = (s), *check_sub_ = (sub);                                           \
        if (!check_s_ || !strstr(check_s_, check_sub_)) {                                          \
            fprintf(stderr, "%s:%d: \"%s\" not found in:\n%s\n", __FILE__, __LINE__, check_sub_,   \
                    check_s_ ? check_s_ : "(null)");                                               \
            check_test_failed_ = 1;                                                                \
        }                                                                                          \
    } while (0)

static int check_passed_;

#define RUN_TEST(fn)                                                                               \
    do {                                                                                           \
        check_test_failed_ = 0;                                                                    \
        fn();                                                                                      \
        if (check_test_failed_) {                                                                  \
            fprintf(stderr, "FAIL %s\n", #fn);                                                     \
            check_failures_++;                                                                     \
        } else {                                                                                   \
            check_passed_++;                                                                       \
        }                                                                                          \
    } while (0)

#define CHECK_DONE()                                                                               \
    (printf("%d passed, %d failed\n", check_passed_, check_failures_), check_failures_ ? 1 : 0)

#endif
