/*
 * threshold.c - the metrics a comparison judges, and the parser and printer
 * of threshold expressions ("mean:10%", "median:0.5ms", "ops:1000/s",
 * "memory:1MiB", "allocs:2").
 * What a threshold means for a verdict is the comparison's business.
 *
 * The parser reads untrusted command-line text: it checks every byte
 * against the grammar before converting anything, never looks past the
 * terminating NUL, and fills a copy so that a bad list changes nothing.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "threshold.h"
#include "banned.h"

static const char *const metric_names[PR_METRIC_COUNT] = {
    "mean", "median", "min", "max", "stddev", "iqr", "ops", "memory", "allocs",
};

#define METRIC_LIST "mean, median, min, max, stddev, iqr, ops, memory, allocs"
#define TIME_UNITS "%%, ns, us, ms, s" /* format strings: %% is % */
#define OPS_UNITS "%%, /s or none: operations per second"
#define MEMORY_UNITS "%%, B, KB, MB, GB, KiB, MiB, GiB"
#define ALLOCS_UNITS "%% or none: allocations per iteration"

/* Byte units, largest first within each kind: the printer tries them in
 * this order. */
static const struct {
    const char *name;
    double bytes;
} byte_units[] = {
    {"GiB", 1073741824.0}, {"GB", 1e9}, {"MiB", 1048576.0}, {"MB", 1e6},
    {"KiB", 1024.0},       {"KB", 1e3}, {"B", 1},
};

const char *pr_metric_name(pr_metric m)
{
    if ((unsigned)m >= PR_METRIC_COUNT)
        return "unknown";
    return metric_names[m];
}

static int span_is(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(s, word, len) == 0;
}

int pr_metric_from_name(const char *name, size_t len)
{
    int m;

    if (!name)
        return -1;
    for (m = 0; m < PR_METRIC_COUNT; m++)
        if (span_is(name, len, metric_names[m]))
            return m;
    if (span_is(name, len, "ops_per_second"))
        return PR_METRIC_OPS;
    return -1;
}

int pr_metric_higher_is_better(pr_metric m)
{
    return m == PR_METRIC_OPS;
}

int pr_metric_is_spread(pr_metric m)
{
    return m == PR_METRIC_STDDEV || m == PR_METRIC_IQR;
}

int pr_metric_is_per_run(pr_metric m)
{
    return m == PR_METRIC_MEMORY || m == PR_METRIC_ALLOCS;
}

double pr_metric_value(const pr_stats *s, pr_metric m)
{
    switch (m) {
    case PR_METRIC_MEAN:
        return s->mean_ns;
    case PR_METRIC_MEDIAN:
        return s->median_ns;
    case PR_METRIC_MIN:
        return s->min_ns;
    case PR_METRIC_MAX:
        return s->max_ns;
    case PR_METRIC_STDDEV:
        return s->stddev_ns;
    case PR_METRIC_IQR:
        return s->iqr_ns;
    case PR_METRIC_OPS:
        return s->ops_per_second;
    case PR_METRIC_MEMORY:
    case PR_METRIC_ALLOCS:
    case PR_METRIC_COUNT:
        break;
    }
    return 0;
}

int pr_metric_of_result(const pr_result *r, pr_metric m, double *out)
{
    if (!r || (unsigned)m >= PR_METRIC_COUNT)
        return 0;
    switch (m) {
    case PR_METRIC_MEMORY:
        if (!r->has_memory)
            return 0;
        *out = (double)r->memory_bytes;
        return 1;
    case PR_METRIC_ALLOCS:
        if (!r->has_allocs)
            return 0;
        *out = r->allocs_per_iteration;
        return 1;
    default:
        if (r->stats.n == 0)
            return 0;
        *out = pr_metric_value(&r->stats, m);
        return 1;
    }
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * The length of the plain decimal at the start of S (at most LEN bytes):
 * digits, an optional fraction, an optional exponent; at least one digit in
 * the mantissa. 0 when there is none. Signs, hex, "nan" and "inf" never
 * match, so strtod only ever sees text it converts the same way we read it.
 */
static size_t scan_decimal(const char *s, size_t len)
{
    size_t i = 0, digits = 0;

    while (i < len && is_digit(s[i])) {
        i++;
        digits++;
    }
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && is_digit(s[i])) {
            i++;
            digits++;
        }
    }
    if (digits == 0)
        return 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < len && (s[j] == '+' || s[j] == '-'))
            j++;
        if (j < len && is_digit(s[j])) {
            while (j < len && is_digit(s[j]))
                j++;
            i = j;
        }
    }
    return i;
}

static int has_digit(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        if (is_digit(s[i]))
            return 1;
    return 0;
}

/* The scale of a time unit to ns, or 0 when UNIT is none. */
static double time_unit_ns(const char *unit, size_t len)
{
    if (span_is(unit, len, "ns"))
        return 1;
    if (span_is(unit, len, "us") || span_is(unit, len, "\xc2\xb5s"))
        return 1e3;
    if (span_is(unit, len, "ms"))
        return 1e6;
    if (span_is(unit, len, "s"))
        return 1e9;
    return 0;
}

/* The size of a byte unit, or 0 when UNIT is none. */
static double byte_unit(const char *unit, size_t len)
{
    size_t i;

    for (i = 0; i < sizeof byte_units / sizeof byte_units[0]; i++)
        if (span_is(unit, len, byte_units[i].name))
            return byte_units[i].bytes;
    return 0;
}

/* Parses the item ITEM (LEN bytes, no comma) into SET. */
static int parse_item(const char *item, size_t len, pr_threshold_set *set)
{
    const char *colon = memchr(item, ':', len);
    size_t name_len = colon ? (size_t)(colon - item) : len;
    const char *value, *unit;
    size_t value_len, num_len, unit_len;
    int metric, negative = 0;
    char *end;
    double v;
    pr_threshold t = {0};

    if (name_len == 0)
        return pr_error_set(PR_EUSAGE,
                            "'%.*s': missing the statistic before ':' (one of " METRIC_LIST ")",
                            (int)len, item);
    metric = pr_metric_from_name(item, name_len);
    if (metric < 0)
        return pr_error_set(PR_EUSAGE, "'%.*s': unknown statistic '%.*s' (one of " METRIC_LIST ")",
                            (int)len, item, (int)name_len, item);
    if (!colon)
        return pr_error_set(PR_EUSAGE, "'%.*s': missing ':' and a value (e.g. %.*s:10%%)", (int)len,
                            item, (int)len, item);

    value = colon + 1;
    value_len = len - name_len - 1;
    if (value_len == 0)
        return pr_error_set(PR_EUSAGE, "'%.*s': missing a value after ':' (e.g. %.*s:10%%)",
                            (int)len, item, (int)name_len, item);
    if (value[0] == '-') {
        negative = 1;
        value++;
        value_len--;
    }
    num_len = scan_decimal(value, value_len);
    unit = value + num_len;
    unit_len = value_len - num_len;
    /* "0x10", "1.2.3", "5e-": digits after the number mean it is no number,
     * rather than a number with a strange unit. */
    if (num_len == 0 || has_digit(unit, unit_len)) {
        if (negative) {
            value--;
            value_len++;
        }
        return pr_error_set(PR_EUSAGE, "'%.*s': '%.*s' is not a number", (int)len, item,
                            (int)value_len, value);
    }
    if (negative)
        return pr_error_set(PR_EUSAGE, "'%.*s': a threshold cannot be negative", (int)len, item);

    errno = 0;
    v = strtod(value, &end);
    /* The scan above decided the extent; a strtod that reads more or less
     * (a locale with another decimal point) must not be trusted. */
    if (end != unit)
        return pr_error_set(PR_EUSAGE, "'%.*s': '%.*s' is not a number", (int)len, item,
                            (int)num_len, value);
    if (!isfinite(v))
        return pr_error_set(PR_EUSAGE, "'%.*s': '%.*s' is too large", (int)len, item, (int)num_len,
                            value);

    if (span_is(unit, unit_len, "%")) {
        t.relative = 1;
        t.value = v / 100;
    } else if (metric == PR_METRIC_OPS) {
        if (unit_len != 0 && !span_is(unit, unit_len, "/s"))
            return pr_error_set(PR_EUSAGE, "'%.*s': unknown unit '%.*s' for ops (" OPS_UNITS ")",
                                (int)len, item, (int)unit_len, unit);
        t.value = v;
    } else if (metric == PR_METRIC_ALLOCS) {
        if (unit_len != 0)
            return pr_error_set(PR_EUSAGE,
                                "'%.*s': unknown unit '%.*s' for allocs (" ALLOCS_UNITS ")",
                                (int)len, item, (int)unit_len, unit);
        t.value = v;
    } else if (metric == PR_METRIC_MEMORY) {
        double scale = byte_unit(unit, unit_len);
        if (unit_len == 0)
            return pr_error_set(
                PR_EUSAGE,
                "'%.*s': missing a unit after '%.*s' (" MEMORY_UNITS "; e.g. %.*s%% or %.*sMiB)",
                (int)len, item, (int)num_len, value, (int)num_len, value, (int)num_len, value);
        if (scale == 0)
            return pr_error_set(PR_EUSAGE,
                                "'%.*s': unknown unit '%.*s' for memory (" MEMORY_UNITS ")",
                                (int)len, item, (int)unit_len, unit);
        t.value = v * scale;
    } else {
        double scale = time_unit_ns(unit, unit_len);
        if (unit_len == 0)
            return pr_error_set(PR_EUSAGE,
                                "'%.*s': missing a unit after '%.*s' (" TIME_UNITS "; e.g. %.*s%%)",
                                (int)len, item, (int)num_len, value, (int)num_len, value);
        if (scale == 0)
            return pr_error_set(PR_EUSAGE, "'%.*s': unknown unit '%.*s' (" TIME_UNITS ")", (int)len,
                                item, (int)unit_len, unit);
        t.value = v * scale;
    }
    if (!isfinite(t.value))
        return pr_error_set(PR_EUSAGE, "'%.*s': '%.*s' is too large", (int)len, item,
                            (int)value_len, value);
    t.set = 1;
    set->of[metric] = t;
    return 0;
}

int pr_threshold_parse(const char *text, pr_threshold_set *set)
{
    pr_threshold_set copy;
    const char *item;
    int err;

    if (!text || !*text)
        return pr_error_set(PR_EUSAGE, "'': missing a threshold (e.g. mean:10%%)");
    copy = *set;
    item = text;
    for (;;) {
        const char *comma = strchr(item, ',');
        size_t len = comma ? (size_t)(comma - item) : strlen(item);
        if (len == 0)
            return pr_error_set(PR_EUSAGE,
                                "'%s': empty item in the list (e.g. mean:10%%,median:10%%)", text);
        if ((err = parse_item(item, len, &copy)) < 0)
            return err;
        if (!comma)
            break;
        item = comma + 1;
    }
    *set = copy;
    return 0;
}

/* 1 when X reads as a number the user would type in that unit: whole, or
 * below 1000 with at most three decimals (1.5, 0.125, 64; not 1000.001). */
static int few_decimals(double x)
{
    double k = x * 1000;
    if (x == floor(x))
        return 1;
    return x < 1000 && fabs(k - floor(k + 0.5)) <= 1e-9 * k;
}

/*
 * Writes X and SUFFIX into BUF as the parser reads them back, X being a
 * number in a unit of SCALE: 15 significant digits (so 0.1 * 100 prints
 * as "10"), or 17 when 15 round up past what a double holds once read and
 * scaled. Returns 0 when neither reads back finite: the caller takes a
 * smaller unit. With SCALE 1 it never fails.
 */
static int format_number(char *buf, size_t size, double x, double scale, const char *suffix)
{
    static const int precisions[] = {15, 17};
    char num[40];
    size_t i;

    for (i = 0; i < sizeof precisions / sizeof precisions[0]; i++) {
        snprintf(num, sizeof num, "%.*g", precisions[i], x);
        if (isfinite(strtod(num, NULL) * scale)) {
            snprintf(buf, size, "%s%s", num, suffix);
            return 1;
        }
    }
    return 0;
}

/* The first unit (binary before decimal, largest first) in which BYTES is
 * at least 1 with at most three decimals: "1MiB", "1.5MB", "1536B". */
static void format_bytes(char *buf, size_t size, double bytes)
{
    size_t i;

    for (i = 0; i + 1 < sizeof byte_units / sizeof byte_units[0]; i++) {
        double x = bytes / byte_units[i].bytes;
        if (x >= 1 && few_decimals(x) &&
            format_number(buf, size, x, byte_units[i].bytes, byte_units[i].name))
            return;
    }
    format_number(buf, size, bytes, 1, "B");
}

void pr_threshold_format(char *buf, size_t size, pr_metric m, const pr_threshold *t)
{
    static const struct {
        const char *name;
        double ns;
    } units[] = {{"s", 1e9}, {"ms", 1e6}, {"us", 1e3}};
    size_t i;

    if (!buf || size == 0)
        return;
    buf[0] = '\0'; /* a value no unit can print (infinity) prints as nothing */
    if (!t || !t->set)
        return;
    if (t->relative) {
        format_number(buf, size, t->value * 100, 1, "%");
        return;
    }
    if (m == PR_METRIC_OPS) {
        format_number(buf, size, t->value, 1, "/s");
        return;
    }
    if (m == PR_METRIC_ALLOCS) {
        format_number(buf, size, t->value, 1, "");
        return;
    }
    if (m == PR_METRIC_MEMORY) {
        format_bytes(buf, size, t->value);
        return;
    }
    /* The largest unit that keeps the number at 0.5 or more: "0.5ms",
     * "200ns", "1.5us". */
    for (i = 0; i < sizeof units / sizeof units[0]; i++)
        if (t->value >= units[i].ns / 2 &&
            format_number(buf, size, t->value / units[i].ns, units[i].ns, units[i].name))
            return;
    format_number(buf, size, t->value, 1, "ns");
}
