/*
 * registry.c - the benchmarks of this executable. PERFREG_BENCH registers a
 * static definition from a constructor before main(); the registry links
 * them in registration order without allocating. Running them is left to
 * the runner.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "registry.h"
#include "run.h"
#include "banned.h"

static perfreg_bench_def *head;
static perfreg_bench_def *tail;
static size_t count;

void perfreg_register(perfreg_bench_def *def)
{
    def->next = NULL;
    if (tail)
        tail->next = def;
    else
        head = def;
    tail = def;
    count++;
}

size_t pr_registry_count(void)
{
    return count;
}

const perfreg_bench_def *pr_registry_at(size_t i)
{
    const perfreg_bench_def *d = head;
    while (d && i--)
        d = d->next;
    return d;
}

void pr_registry_reset_(void)
{
    head = tail = NULL;
    count = 0;
}

int pr_registry_check(void)
{
    const perfreg_bench_def *a, *b;

    /* Quadratic, but suites hold hundreds of benchmarks, not millions, and
     * this runs once at start-up. */
    for (a = head; a; a = a->next) {
        if (!a->name || !a->name[0] || !a->fn)
            return pr_error_set(PR_EINVALID, "benchmark defined at %s:%d has no name or function",
                                a->file ? a->file : "?", a->line);
        if (pr_name_control(a->name) >= 0)
            return pr_error_set(PR_EINVALID,
                                "benchmark defined at %s:%d: its name contains the control "
                                "character U+%04X",
                                a->file ? a->file : "?", a->line, pr_name_control(a->name));
        for (b = a->next; b; b = b->next)
            if (strcmp(a->name, b->name) == 0)
                return pr_error_set(
                    PR_EINVALID, "duplicate benchmark name '%s': defined at %s:%d and at %s:%d",
                    a->name, a->file ? a->file : "?", a->line, b->file ? b->file : "?", b->line);
    }
    return 0;
}

const perfreg_bench_def *pr_registry_find(const char *name)
{
    const perfreg_bench_def *d;
    for (d = head; d; d = d->next)
        if (strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

int pr_registry_select(const char *const *patterns, size_t n_patterns,
                       const perfreg_bench_def ***out, size_t *n_out)
{
    const perfreg_bench_def **sel = NULL;
    const perfreg_bench_def *d;
    unsigned char *used = NULL;
    size_t n = 0, p;
    int err = 0;

    *out = NULL;
    *n_out = 0;
    sel = malloc((count ? count : 1) * sizeof *sel);
    used = calloc(n_patterns ? n_patterns : 1, 1);
    if (!sel || !used) {
        err = pr_error_set(PR_ENOMEM, "out of memory");
        goto done;
    }
    for (d = head; d; d = d->next) {
        int match = n_patterns == 0;
        for (p = 0; p < n_patterns; p++)
            if (fnmatch(patterns[p], d->name, 0) == 0)
                match = used[p] = 1;
        if (match)
            sel[n++] = d;
    }
    for (p = 0; p < n_patterns; p++)
        if (!used[p]) {
            err = pr_error_set(PR_EUSAGE, "--filter '%s' matches no benchmark (see 'list')",
                               patterns[p]);
            goto done;
        }
    *out = sel;
    *n_out = n;
    sel = NULL;
done:
    free(sel);
    free(used);
    return err;
}
