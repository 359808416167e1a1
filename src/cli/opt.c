/*
 * opt.c - the option parser behind every subcommand's table. Accepts
 * "--name value", "--name=value", "-x value", "-xvalue" and "--"; numbers are
 * parsed strictly and range-checked, and every error quotes the argument.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "opt.h"
#include "banned.h"

void pr_opt_list_release(pr_opt_list *list)
{
    if (!list)
        return;
    free(list->items);
    list->items = NULL;
    list->n = 0;
}

static int list_add(pr_opt_list *list, const char *s)
{
    const char **p = realloc(list->items, (list->n + 1) * sizeof *p);
    if (!p)
        return pr_error_set(PR_ENOMEM, "out of memory");
    list->items = p;
    list->items[list->n++] = s;
    return 0;
}

int pr_opt_parse_seconds(const char *s, const char *what, double min, double max, double *out)
{
    static const struct {
        const char *suffix;
        double scale;
    } units[] = {{"", 1}, {"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}};
    char *end;
    double v;
    size_t i;

    /* strtod alone would take leading blanks, hex and "nan" */
    if (!((*s >= '0' && *s <= '9') || *s == '.' || *s == '-') || strpbrk(s, "xX"))
        goto bad;
    errno = 0;
    v = strtod(s, &end);
    if (end == s || errno != 0 || !isfinite(v))
        goto bad;
    for (i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(end, units[i].suffix) == 0)
            break;
    if (i == sizeof units / sizeof units[0])
        goto bad;
    v *= units[i].scale;
    if (v < min || v > max)
        return pr_error_set(PR_EUSAGE, "%s '%s': must be between %gs and %gs", what, s, min, max);
    *out = v;
    return 0;
bad:
    return pr_error_set(PR_EUSAGE, "%s '%s': expected a time such as 0.5, 0.5s or 500ms", what, s);
}

int pr_opt_parse_count(const char *s, const char *what, double min, double max, uint64_t *out)
{
    char *end;
    unsigned long long v;
    const char *p = s;

    while (*p >= '0' && *p <= '9')
        p++;
    if (p == s || *p != '\0')
        return pr_error_set(PR_EUSAGE, "%s '%s': expected a whole number", what, s);
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || (double)v < min || (double)v > max)
        return pr_error_set(PR_EUSAGE, "%s '%s': must be between %.0f and %.0f", what, s, min, max);
    *out = (uint64_t)v;
    return 0;
}

int pr_opt_parse_number(const char *s, const char *what, double min, double max, double *out)
{
    char *end;
    double v;

    if (!((*s >= '0' && *s <= '9') || *s == '.' || *s == '-') || strpbrk(s, "xX"))
        goto bad;
    errno = 0;
    v = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0 || !isfinite(v))
        goto bad;
    if (v < min || v > max)
        return pr_error_set(PR_EUSAGE, "%s '%s': must be between %g and %g", what, s, min, max);
    *out = v;
    return 0;
bad:
    return pr_error_set(PR_EUSAGE, "%s '%s': expected a number", what, s);
}

static const pr_opt *find_long(const pr_opt *const *tables, const char *name, size_t len)
{
    const pr_opt *o;
    for (; *tables; tables++)
        for (o = *tables; o->long_name; o++)
            if (strlen(o->long_name) == len && strncmp(o->long_name, name, len) == 0)
                return o;
    return NULL;
}

static const pr_opt *find_short(const pr_opt *const *tables, char c)
{
    const pr_opt *o;
    for (; *tables; tables++)
        for (o = *tables; o->long_name; o++)
            if (o->short_name && o->short_name == c)
                return o;
    return NULL;
}

static int store_value(const pr_opt *o, void *values, const char *value)
{
    char *base = (char *)values + o->offset;
    char what[64];

    snprintf(what, sizeof what, "--%s", o->long_name);
    switch (o->type) {
    case PR_OPT_FLAG:
        *(int *)(void *)base = 1;
        return 0;
    case PR_OPT_STRING:
        *(const char **)(void *)base = value;
        return 0;
    case PR_OPT_LIST:
        return list_add((pr_opt_list *)(void *)base, value);
    case PR_OPT_SECONDS:
        return pr_opt_parse_seconds(value, what, o->min, o->max, (double *)(void *)base);
    case PR_OPT_COUNT:
        return pr_opt_parse_count(value, what, o->min, o->max, (uint64_t *)(void *)base);
    case PR_OPT_NUMBER:
        return pr_opt_parse_number(value, what, o->min, o->max, (double *)(void *)base);
    }
    return 0;
}

int pr_opt_parse(const pr_opt *table, void *values, int argc, char **argv, pr_opt_list *positional)
{
    const pr_opt *const tables[] = {table, NULL};
    return pr_opt_parse_tables(tables, values, argc, argv, positional);
}

int pr_opt_parse_tables(const pr_opt *const *tables, void *values, int argc, char **argv,
                        pr_opt_list *positional)
{
    int i, err;

    for (i = 0; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = NULL;
        const pr_opt *o;

        if (strcmp(arg, "--") == 0) {
            for (i++; i < argc; i++)
                if ((err = list_add(positional, argv[i])) != 0)
                    return err;
            break;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
            return PR_OPT_HELP;
        if (arg[0] != '-' || arg[1] == '\0') {
            if ((err = list_add(positional, arg)) != 0)
                return err;
            continue;
        }
        if (arg[1] == '-') {
            const char *name = arg + 2;
            const char *eq = strchr(name, '=');
            o = find_long(tables, name, eq ? (size_t)(eq - name) : strlen(name));
            if (!o)
                return pr_error_set(PR_EUSAGE, "unknown option '%s'", arg);
            if (eq) {
                if (o->type == PR_OPT_FLAG)
                    return pr_error_set(PR_EUSAGE, "option '--%s' takes no value ('%s')",
                                        o->long_name, arg);
                value = eq + 1;
            }
        } else {
            o = find_short(tables, arg[1]);
            if (!o)
                return pr_error_set(PR_EUSAGE, "unknown option '%s'", arg);
            if (arg[2] != '\0') {
                if (o->type == PR_OPT_FLAG)
                    return pr_error_set(PR_EUSAGE, "option '-%c' takes no value ('%s')",
                                        o->short_name, arg);
                value = arg + 2;
            }
        }
        if (o->type != PR_OPT_FLAG && !value) {
            if (i + 1 >= argc)
                return pr_error_set(PR_EUSAGE, "option '%s' needs a value (%s)", arg,
                                    o->value_name ? o->value_name : "VALUE");
            value = argv[++i];
        }
        if ((err = store_value(o, values, value)) != 0)
            return err;
    }
    return 0;
}

void pr_opt_help(pr_strbuf *out, const pr_opt *table)
{
    for (; table->long_name; table++) {
        pr_strbuf left = PR_STRBUF_INIT;
        if (table->short_name)
            pr_strbuf_addf(&left, "  -%c, --%s", table->short_name, table->long_name);
        else
            pr_strbuf_addf(&left, "      --%s", table->long_name);
        if (table->type != PR_OPT_FLAG)
            pr_strbuf_addf(&left, " %s", table->value_name ? table->value_name : "VALUE");
        if (left.len < 28)
            pr_strbuf_addf(out, "%-28s%s\n", pr_strbuf_cstr(&left), table->help);
        else
            pr_strbuf_addf(out, "%s\n%28s%s\n", pr_strbuf_cstr(&left), "", table->help);
        pr_strbuf_release(&left);
    }
}
