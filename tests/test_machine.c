/*
 * test_machine.c - the ISO-8601 formatter and the machine description.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "machine.h"
#include "run.h"
#include "strbuf.h"

static void test_iso8601_epoch(void)
{
    char buf[32];
    pr_machine_iso8601(0, buf, sizeof buf);
    CHECK_STR(buf, "1970-01-01T00:00:00Z");
}

static void test_iso8601_known_time(void)
{
    char buf[21];
    pr_machine_iso8601(1700000000, buf, sizeof buf);
    CHECK_STR(buf, "2023-11-14T22:13:20Z");
}

static void test_iso8601_short_buffer_truncates(void)
{
    char buf[8];
    pr_machine_iso8601(0, buf, sizeof buf);
    CHECK_STR(buf, "1970-01");
}

static int is_digits(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static void test_read_fills_everything(void)
{
    pr_run run;
    pr_context *c = &run.context;

    pr_run_init(&run);
    CHECK_INT(pr_machine_read(c), 0);

    CHECK(c->date != NULL);
    if (c->date) {
        CHECK_INT(strlen(c->date), 20);
        CHECK(is_digits(c->date, 4));
        CHECK(c->date[4] == '-' && c->date[7] == '-');
        CHECK(c->date[10] == 'T');
        CHECK(c->date[13] == ':' && c->date[16] == ':');
        CHECK(c->date[19] == 'Z');
    }
    CHECK(c->host && *c->host);
    CHECK(c->os && *c->os);
    CHECK(c->kernel && *c->kernel);
    CHECK(c->arch && *c->arch);
    CHECK(c->cpu_model && *c->cpu_model);
#ifdef __linux__
    CHECK_STR(c->os, "Linux");
    CHECK(c->logical_cores >= 1);
#endif
    CHECK(c->logical_cores >= 0);
    /* Not machine.c's fields. */
    CHECK(c->compiler == NULL);
    CHECK(c->clock == NULL);
    pr_run_release(&run);
}

static void test_read_keeps_prefilled_fields(void)
{
    pr_run run;
    pr_context *c = &run.context;

    pr_run_init(&run);
    c->cpu_model = pr_strdup("Fake CPU 9000");
    c->date = pr_strdup("2000-01-01T00:00:00Z");
    c->logical_cores = 1234;
    CHECK_INT(pr_machine_read(c), 0);
    CHECK_STR(c->cpu_model, "Fake CPU 9000");
    CHECK_STR(c->date, "2000-01-01T00:00:00Z");
    CHECK_INT(c->logical_cores, 1234);
    CHECK(c->host && *c->host);
    pr_run_release(&run);
}

static void test_read_twice_changes_nothing(void)
{
    pr_run run;
    char *host;

    pr_run_init(&run);
    CHECK_INT(pr_machine_read(&run.context), 0);
    host = run.context.host;
    CHECK_INT(pr_machine_read(&run.context), 0);
    CHECK(run.context.host == host);
    pr_run_release(&run);
}

int main(void)
{
    RUN_TEST(test_iso8601_epoch);
    RUN_TEST(test_iso8601_known_time);
    RUN_TEST(test_iso8601_short_buffer_truncates);
    RUN_TEST(test_read_fills_everything);
    RUN_TEST(test_read_keeps_prefilled_fields);
    RUN_TEST(test_read_twice_changes_nothing);
    return CHECK_DONE();
}
