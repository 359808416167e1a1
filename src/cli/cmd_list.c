/*
 * cmd_list.c - `list`: the registered benchmark names, one a line, in the
 * order `run` measures them.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "perfreg.h"
#include "registry.h"
#include "banned.h"

typedef struct list_args {
    pr_opt_list filters;
} list_args;

static const pr_opt list_options[] = {
    {"filter", 'f', PR_OPT_LIST, offsetof(list_args, filters), "PATTERN", 0, 0,
     "list only benchmarks matching the glob (repeatable)"},
    PR_OPT_END,
};

#define LIST_USAGE "[SUITE] [--filter PATTERN]..."

int cmd_list(int argc, char **argv)
{
    list_args a;
    pr_opt_list positional = {NULL, 0};
    const perfreg_bench_def **sel = NULL;
    pr_strbuf out = PR_STRBUF_INIT;
    size_t n = 0, i;
    int err, status = PERFREG_EXIT_OK;

    memset(&a, 0, sizeof a);
    err = pr_opt_parse(list_options, &a, argc, argv, &positional);
    if (err == PR_OPT_HELP) {
        pr_cli_print_help("list", LIST_USAGE,
                          "Prints the names of the suite's benchmarks, one a line.", list_options);
        goto done;
    }
    if (err) {
        status = pr_cli_usage_error("list", LIST_USAGE);
        goto done;
    }
    if (positional.n > 0) {
        status = pr_cli_exec_suite("list", positional.items[0], argc, argv);
        goto done;
    }
    if ((err = pr_registry_select(a.filters.items, a.filters.n, &sel, &n)) != 0) {
        status = pr_cli_fail("list", err);
        goto done;
    }
    for (i = 0; i < n; i++)
        pr_strbuf_addf(&out, "%s\n", sel[i]->name);
    if ((err = pr_cli_write(stdout, &out)) != 0)
        status = pr_cli_fail("list", err);
done:
    free(sel);
    pr_strbuf_release(&out);
    pr_opt_list_release(&positional);
    pr_opt_list_release(&a.filters);
    return status;
}
