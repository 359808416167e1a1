/*
 * test_registry.c - registration order, duplicate detection, filtering.
 */
#include <stdlib.h>

#include "check.h"
#include "error.h"
#include "registry.h"

static void noop(perfreg_state *state)
{
    (void)state;
}

static perfreg_bench_def defs[] = {
    {"string/strlen", noop, "a.c", 10, "cc", NULL, NULL, 1, NULL},
    {"string/memcpy", noop, "a.c", 20, "cc", NULL, NULL, 1, NULL},
    {"sort/qsort", noop, "b.c", 5, "cc", NULL, NULL, 1, NULL},
};

static void register_all(void)
{
    size_t i;
    pr_registry_reset_();
    for (i = 0; i < sizeof defs / sizeof defs[0]; i++)
        perfreg_register(&defs[i]);
}

static void test_order(void)
{
    register_all();
    CHECK_INT(pr_registry_count(), 3);
    CHECK_STR(pr_registry_at(0)->name, "string/strlen");
    CHECK_STR(pr_registry_at(2)->name, "sort/qsort");
    CHECK(pr_registry_at(3) == NULL);
    CHECK_INT(pr_registry_check(), 0);
}

static void test_duplicate_names_both_places(void)
{
    static perfreg_bench_def dup = {"string/memcpy", noop, "c.c", 99, "cc", NULL, NULL, 1, NULL};
    register_all();
    perfreg_register(&dup);
    CHECK_INT(pr_registry_check(), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "'string/memcpy'");
    CHECK_CONTAINS(pr_error_last(), "a.c:20");
    CHECK_CONTAINS(pr_error_last(), "c.c:99");
}

/* A name is printed everywhere: control characters are refused at start-up. */
static void test_control_character_name(void)
{
    static perfreg_bench_def bad = {"tab\there", noop, "d.c", 7, "cc", NULL, NULL, 1, NULL};
    static perfreg_bench_def c1 = {"csi\xc2\x9b" "2J", noop, "e.c", 8, "cc", NULL, NULL, 1, NULL};
    register_all();
    perfreg_register(&bad);
    CHECK_INT(pr_registry_check(), PR_EINVALID);
    CHECK_STR(pr_error_last(),
              "benchmark defined at d.c:7: its name contains the control character U+0009");
    register_all();
    perfreg_register(&c1);
    CHECK_INT(pr_registry_check(), PR_EINVALID);
    CHECK_CONTAINS(pr_error_last(), "U+009B");
}

static void test_select(void)
{
    const char *pat[] = {"string/*"};
    const char *two[] = {"sort/*", "*/strlen"};
    const perfreg_bench_def **sel = NULL;
    size_t n = 0;
    register_all();
    CHECK_INT(pr_registry_select(NULL, 0, &sel, &n), 0);
    CHECK_INT(n, 3);
    free(sel);
    CHECK_INT(pr_registry_select(pat, 1, &sel, &n), 0);
    CHECK_INT(n, 2);
    CHECK_STR(sel[0]->name, "string/strlen");
    CHECK_STR(sel[1]->name, "string/memcpy");
    free(sel);
    /* registration order is kept, whatever the order of the patterns */
    CHECK_INT(pr_registry_select(two, 2, &sel, &n), 0);
    CHECK_INT(n, 2);
    CHECK_STR(sel[0]->name, "string/strlen");
    CHECK_STR(sel[1]->name, "sort/qsort");
    free(sel);
}

static void test_pattern_matching_nothing(void)
{
    const char *pat[] = {"string/*", "nomatch*"};
    const perfreg_bench_def **sel = NULL;
    size_t n = 7;
    register_all();
    CHECK_INT(pr_registry_select(pat, 2, &sel, &n), PR_EUSAGE);
    CHECK_CONTAINS(pr_error_last(), "'nomatch*'");
    CHECK(sel == NULL);
    CHECK_INT(n, 0);
}

static void test_empty_registry(void)
{
    const perfreg_bench_def **sel = NULL;
    size_t n = 1;
    pr_registry_reset_();
    CHECK_INT(pr_registry_count(), 0);
    CHECK_INT(pr_registry_check(), 0);
    CHECK_INT(pr_registry_select(NULL, 0, &sel, &n), 0);
    CHECK_INT(n, 0);
    free(sel);
}

int main(void)
{
    RUN_TEST(test_order);
    RUN_TEST(test_duplicate_names_both_places);
    RUN_TEST(test_control_character_name);
    RUN_TEST(test_select);
    RUN_TEST(test_pattern_matching_nothing);
    RUN_TEST(test_empty_registry);
    return CHECK_DONE();
}
