/*
 * opt.h - table-driven option parsing for the subcommands. Each command has
 * one table of pr_opt; values land in the command's own struct at the
 * table's offsets (no globals), and the same table prints --help, so the two
 * cannot drift.
 */
#ifndef PR_OPT_H
#define PR_OPT_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

typedef enum pr_opt_type {
    PR_OPT_FLAG,    /* int, set to 1 */
    PR_OPT_STRING,  /* const char *, borrowed from argv; the last one wins */
    PR_OPT_LIST,    /* pr_opt_list, repeatable */
    PR_OPT_SECONDS, /* double seconds: "0.5", "0.5s", "500ms", "200us", "100ns" */
    PR_OPT_COUNT,   /* uint64_t, decimal */
    PR_OPT_NUMBER   /* double, plain decimal */
} pr_opt_type;

typedef struct pr_opt_list {
    const char **items; /* owned array of borrowed strings */
    size_t n;
} pr_opt_list;

typedef struct pr_opt {
    const char *long_name; /* without the dashes; NULL ends the table */
    char short_name;       /* 0 when none */
    pr_opt_type type;
    size_t offset;          /* of the value in the command's struct */
    const char *value_name; /* shown in help, e.g. "SECONDS" */
    double min, max;        /* accepted range for SECONDS, COUNT and NUMBER */
    const char *help;
} pr_opt;

#define PR_OPT_END                                                                                 \
    {                                                                                              \
        NULL, 0, PR_OPT_FLAG, 0, NULL, 0, 0, NULL                                                  \
    }

/* Returned by pr_opt_parse when --help or -h was given. */
#define PR_OPT_HELP 1

/*
 * Parses ARGV[0..ARGC) (the command's arguments, without the command name)
 * into VALUES. Arguments that are not options go to POSITIONAL (its items
 * array is owned by the caller: free it with pr_opt_list_release), as does
 * everything after "--". Returns 0, PR_OPT_HELP, or PR_EUSAGE with a message
 * quoting the bad argument.
 */
int pr_opt_parse(const pr_opt *table, void *values, int argc, char **argv, pr_opt_list *positional);

/* The same over several tables (NULL-terminated), whose offsets all refer
 * to VALUES: a command that embeds another's option struct at offset 0 can
 * reuse its table. The first table that names an option wins. */
int pr_opt_parse_tables(const pr_opt *const *tables, void *values, int argc, char **argv,
                        pr_opt_list *positional);

/* Appends the option list of TABLE, one option a line, to OUT. */
void pr_opt_help(pr_strbuf *out, const pr_opt *table);

void pr_opt_list_release(pr_opt_list *list);

/* Strict number parsing, used by the parser and by commands: the whole of S
 * must be the number. Return PR_EUSAGE naming WHAT on error. */
int pr_opt_parse_seconds(const char *s, const char *what, double min, double max, double *out);
int pr_opt_parse_count(const char *s, const char *what, double min, double max, uint64_t *out);
int pr_opt_parse_number(const char *s, const char *what, double min, double max, double *out);

#endif
