/*
 * main.c - perfreg_main: the command table, dispatch, and the helpers every
 * subcommand uses to print. A suite executable and the perfreg program both
 * come here; the program simply has no benchmarks of its own and hands
 * suites given by path to them.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "perfreg.h"
#include "registry.h"
#include "report.h"
#include "banned.h"

static const pr_cli_cmd commands[] = {
    {"run", cmd_run, "measure the benchmarks, record the run, print the report"},
    {"compare", cmd_compare, "check a run against the baseline; exit 1 on a --fail regression"},
    {"save-baseline", cmd_save_baseline, "make a recorded run the suite's baseline"},
    {"history", cmd_history, "how each benchmark moved across recorded runs and commits"},
    {"import", cmd_import, "import Google Benchmark, pytest-benchmark or hyperfine JSON"},
    {"list", cmd_list, "print the benchmark names, one a line"},
    {"measure", cmd_measure, "the worker of an A/B comparison (run by compare --against-exe)"},
    {"help", cmd_help, "show the help of perfreg or of one command"},
    {"version", cmd_version, "print perfreg's version"},
};

static const char *program = "perfreg";
static const char *invocation = "perfreg";

const char *pr_cli_program(void)
{
    return program;
}

const char *pr_cli_invocation(void)
{
    return invocation;
}

int pr_cli_has_benchmarks(void)
{
    return pr_registry_count() > 0;
}

/* Prints "PREFIX: MESSAGE" on one line of stderr. Messages quote what the
 * user gave and what files hold (names, paths, patterns): control
 * characters and escape sequences are escaped, never sent to the terminal
 * raw, and a newline cannot split the line. */
static void print_error(const char *prefix, const char *message)
{
    pr_strbuf line = PR_STRBUF_INIT;
    pr_strbuf_addf(&line, "%s: ", prefix);
    pr_report_add_escaped(&line, message, 1);
    pr_strbuf_addch(&line, '\n');
    if (!pr_strbuf_error(&line))
        fputs(line.buf, stderr);
    else
        fprintf(stderr, "%s: out of memory\n", prefix);
    pr_strbuf_release(&line);
}

int pr_cli_fail(const char *cmd, int code)
{
    char prefix[128];
    snprintf(prefix, sizeof prefix, "%s %s", program, cmd);
    print_error(prefix, pr_error_last());
    return pr_error_exit_status(code);
}

int pr_cli_usage_error(const char *cmd, const char *usage)
{
    char prefix[128];
    snprintf(prefix, sizeof prefix, "%s %s", program, cmd);
    print_error(prefix, pr_error_last());
    fprintf(stderr, "usage: %s %s %s\n", program, cmd, usage);
    fprintf(stderr, "Try '%s %s --help' for more information.\n", program, cmd);
    return PERFREG_EXIT_USAGE;
}

int pr_cli_write(FILE *f, const pr_strbuf *sb)
{
    int err = pr_strbuf_error(sb);
    if (err)
        return pr_error_set(err, "out of memory while formatting output");
    if (sb->len && fwrite(sb->buf, 1, sb->len, f) != sb->len)
        return pr_error_set(PR_EIO, "cannot write output: %s", strerror(errno));
    if (fflush(f) != 0)
        return pr_error_set(PR_EIO, "cannot write output: %s", strerror(errno));
    return 0;
}

int pr_cli_utf8(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    size_t i;
    for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strstr(v, "UTF-8") || strstr(v, "utf-8") || strstr(v, "UTF8") ||
                   strstr(v, "utf8");
    }
    return 0;
}

void pr_cli_print_help(const char *cmd, const char *usage, const char *description,
                       const pr_opt *table)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    pr_strbuf_addf(&sb, "usage: %s %s %s\n\n%s\n\nOptions:\n", program, cmd, usage, description);
    pr_opt_help(&sb, table);
    pr_strbuf_addf(&sb, "%-28s%s\n", "  -h, --help", "show this help");
    pr_cli_write(stdout, &sb);
    pr_strbuf_release(&sb);
}

int pr_cli_exec_suite(const char *cmd, const char *path, int argc, char **argv)
{
    char **args = calloc((size_t)argc + 3, sizeof *args);
    int i, n = 0;

    if (!args) {
        fprintf(stderr, "%s %s: out of memory\n", program, cmd);
        return PERFREG_EXIT_USAGE;
    }
    args[n++] = (char *)path;
    args[n++] = (char *)cmd;
    for (i = 0; i < argc; i++)
        if (argv[i] != path)
            args[n++] = argv[i];
    args[n] = NULL;
    fflush(NULL);
    execv(path, args);
    pr_cli_fail(cmd, pr_error_set(PR_EUSAGE, "cannot run suite '%s': %s", path, strerror(errno)));
    free(args);
    return PERFREG_EXIT_USAGE;
}

static void print_main_help(FILE *f)
{
    size_t i;
    fprintf(f, "usage: %s <command> [options]\n", program);
    if (!pr_cli_has_benchmarks())
        fprintf(f,
                "       %s run|list|compare|save-baseline|history SUITE [options]\n"
                "       (SUITE: the path of a suite executable, which then does the work)\n",
                program);
    fprintf(f, "\nperfreg measures C benchmarks, records every run and reports the results.\n\n"
               "Commands:\n");
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f,
            "\nExit status: 0 success, 1 a regression crossed a --fail threshold,\n"
            "2 usage or input error, 3 a benchmark failed to run.\n"
            "'%s help <command>' or '%s <command> --help' shows a command's options.\n",
            program, program);
}

int cmd_help(int argc, char **argv)
{
    size_t i;
    if (argc < 1) {
        print_main_help(stdout);
        return PERFREG_EXIT_OK;
    }
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, argv[0]) == 0) {
            char *args[] = {(char *)"--help", NULL};
            return commands[i].fn(1, args);
        }
    pr_cli_fail("help", pr_error_set(PR_EUSAGE, "unknown command '%s'", argv[0]));
    return PERFREG_EXIT_USAGE;
}

int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("perfreg %s\n", PERFREG_VERSION);
    return PERFREG_EXIT_OK;
}

int perfreg_main(int argc, char **argv)
{
    const char *name;
    size_t i;

    if (argc > 0 && argv[0] && *argv[0]) {
        const char *slash = strrchr(argv[0], '/');
        program = slash ? slash + 1 : argv[0];
        invocation = argv[0];
    }
    /* A write past a file-size limit then fails with EFBIG, which is
     * reported and cleaned up like a full disk, instead of killing us. */
    signal(SIGXFSZ, SIG_IGN);
    if (pr_registry_check() != 0) {
        print_error(program, pr_error_last());
        return PERFREG_EXIT_USAGE;
    }
    if (argc < 2) {
        if (pr_cli_has_benchmarks())
            return cmd_run(0, argv + argc);
        print_main_help(stdout);
        return PERFREG_EXIT_OK;
    }
    name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        print_main_help(stdout);
        return PERFREG_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0)
        return cmd_version(0, NULL);
    /* A suite run with options only, like a Google Benchmark binary:
     * `./suite --filter 'str*'` means `./suite run --filter 'str*'`. */
    if (name[0] == '-' && pr_cli_has_benchmarks())
        return cmd_run(argc - 1, argv + 1);
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return commands[i].fn(argc - 2, argv + 2);
    pr_error_set(PR_EUSAGE, "unknown command '%s'", name);
    print_error(program, pr_error_last());
    fprintf(stderr, "usage: %s <command> [options]; '%s help' lists the commands\n", program,
            program);
    return PERFREG_EXIT_USAGE;
}
