/*
 * cmd_list.c - `list`: the registered benchmark names, one a line, in the
 * order `run` measures them. In the perfreg program with no suite named,
 * those of each suite of the project config.
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
    const char *config;
    int no_config;
} list_args;

static const pr_opt list_options[] = {
    {"filter", 'f', PR_OPT_LIST, offsetof(list_args, filters), "PATTERN", 0, 0,
     "list only benchmarks matching the glob (repeatable)"},
    {"config", 0, PR_OPT_STRING, offsetof(list_args, config), "FILE", 0, 0,
     "the project config (default: perfreg.json here or in a folder above)"},
    {"no-config", 0, PR_OPT_FLAG, offsetof(list_args, no_config), NULL, 0, 0,
     "ignore the project config (as PERFREG_CONFIG=none does)"},
    PR_OPT_END,
};

#define LIST_USAGE "[SUITE] [--filter PATTERN]..."

int cmd_list(int argc, char **argv)
{
    const pr_opt *const tables[] = {list_options, NULL};
    list_args a;
    pr_opt_list positional = {NULL, 0};
    pr_config cfg;
    const perfreg_bench_def **sel = NULL;
    pr_strbuf out = PR_STRBUF_INIT;
    size_t n = 0, i;
    int err, status = PERFREG_EXIT_OK;

    memset(&a, 0, sizeof a);
    pr_config_init(&cfg);
    /* only the suites matter here, to the perfreg program, but a suite
     * checks the config too, as its other commands do */
    err = pr_cli_config_read(tables, sizeof a, argc, argv, &cfg);
    if (err < 0 && err != PR_EUSAGE) {
        status = pr_cli_fail("list", err);
        goto done;
    }
    if (!err)
        err = pr_opt_parse(list_options, &a, argc, argv, &positional);
    if (err == PR_OPT_HELP) {
        pr_cli_print_help("list", LIST_USAGE,
                          "Prints the names of the suite's benchmarks, one a line; in perfreg\n"
                          "with no SUITE, those of each suite of the project config.",
                          list_options);
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
    if (!pr_cli_has_benchmarks() && cfg.n_suites > 0) {
        status = pr_cli_run_suites("list", &cfg, argc, argv);
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
    pr_config_release(&cfg);
    return status;
}
