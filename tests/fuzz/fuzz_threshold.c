/*
 * fuzz_threshold.c - libFuzzer target for the threshold expression parser,
 * pr_threshold_parse ("mean:10%,median:0.5ms,ops:1000/s").
 *
 * The input is a C string (cut at its first NUL, as argv would). On success
 * every threshold set is finite and non-negative, only metrics the text
 * names changed, and pr_threshold_format of each reads back to the same
 * threshold. On failure the code is PR_EUSAGE, the set is exactly as it
 * was, and the message quotes part of the input.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz.h"
#include "threshold.h"

/* Fifteen significant digits in the printed form, and units scaled twice. */
static int close_enough(double a, double b)
{
    return a == b || fabs(a - b) <= 1e-14 * fmax(fabs(a), fabs(b)) ||
           fabs(a - b) <= 4 * DBL_TRUE_MIN;
}

static int same_threshold(const pr_threshold *a, const pr_threshold *b)
{
    return a->set == b->set && a->relative == b->relative &&
           memcmp(&a->value, &b->value, sizeof a->value) == 0;
}

/* A set the input may change in part: some metrics set, some not. */
static void fill_before(pr_threshold_set *set)
{
    memset(set, 0, sizeof *set);
    set->of[PR_METRIC_MEAN] = (pr_threshold){1, 1, 0.1};
    set->of[PR_METRIC_MIN] = (pr_threshold){1, 0, 2500};
    set->of[PR_METRIC_OPS] = (pr_threshold){1, 0, 1000};
}

/*
 * The message starts with a quoted piece of TEXT: "'PIECE': ...". A long
 * input fills the message buffer before its closing quote; the message is
 * then the quote and a piece of TEXT up to its end.
 */
static int quotes_input(const char *msg, const char *text)
{
    size_t len = strlen(msg), k;
    char *piece;
    int found = 0;

    if (len < 2 || msg[0] != '\'')
        return 0;
    if (len > 512 && strstr(text, msg + 1))
        return 1;
    for (k = 1; k < len && !found; k++) {
        if (msg[k] != '\'')
            continue;
        piece = fuzz_copy((const uint8_t *)msg + 1, k - 1);
        found = strstr(text, piece) != NULL;
        free(piece);
    }
    return found;
}

static void check_round_trip(pr_metric m, const pr_threshold *t)
{
    char formatted[64], expr[96], detail[256];
    pr_threshold_set back;
    const pr_threshold *b = &back.of[m];

    if (!isfinite(t->value) || t->value < 0)
        fuzz_fail("a threshold that was set is negative or not finite", pr_metric_name(m));
    if (t->relative != 0 && t->relative != 1)
        fuzz_fail("relative is neither 0 nor 1", pr_metric_name(m));
    pr_threshold_format(formatted, sizeof formatted, m, t);
    if (strlen(formatted) + 1 >= sizeof formatted)
        fuzz_fail("pr_threshold_format filled its buffer", formatted);
    snprintf(expr, sizeof expr, "%s:%s", pr_metric_name(m), formatted);
    memset(&back, 0, sizeof back);
    if (pr_threshold_parse(expr, &back) < 0) {
        snprintf(detail, sizeof detail, "%.17g (relative %d) -> '%s': %s", t->value, t->relative,
                 expr, pr_error_last());
        fuzz_fail("a formatted threshold does not parse", detail);
    }
    if (!b->set || b->relative != t->relative || !close_enough(b->value, t->value)) {
        snprintf(detail, sizeof detail, "%.17g (relative %d) -> '%s' -> %.17g (relative %d)",
                 t->value, t->relative, expr, b->value, b->relative);
        fuzz_fail("a formatted threshold reads back to another value", detail);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_copy(data, size);
    pr_threshold_set set, before;
    int err, m;

    fill_before(&before);
    set = before;
    err = pr_threshold_parse(text, &set);
    if (err < 0) {
        if (err != PR_EUSAGE)
            fuzz_fail("a failure other than PR_EUSAGE", pr_error_last());
        for (m = 0; m < PR_METRIC_COUNT; m++)
            if (!same_threshold(&set.of[m], &before.of[m]))
                fuzz_fail("a failed parse changed the set", pr_metric_name(m));
        if (!quotes_input(pr_error_last(), text))
            fuzz_fail("the message does not quote the input", pr_error_last());
    } else {
        if (err != 0)
            fuzz_fail("pr_threshold_parse returned a positive value", NULL);
        for (m = 0; m < PR_METRIC_COUNT; m++) {
            if (!same_threshold(&set.of[m], &before.of[m]) &&
                !strstr(text, pr_metric_name((pr_metric)m)))
                fuzz_fail("a metric the text does not name changed", pr_metric_name(m));
            if (set.of[m].set)
                check_round_trip((pr_metric)m, &set.of[m]);
        }
    }
    free(text);
    return 0;
}
