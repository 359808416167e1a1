/*
 * ab_exe.c - suite executables as the two builds of an A/B comparison:
 * each measurement is one `measure` process (spawn.c), its results
 * document read by the strict reader (results.c). Which benchmark runs
 * when is ab.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "ab_exe.h"
#include "perfreg.h"
#include "error.h"
#include "results.h"
#include "spawn.h"
#include "strbuf.h"
#include "banned.h"

/* A listing is quick: a program that takes longer is not a suite. */
#define LIST_TIMEOUT_S 30.0

void pr_ab_exe_init(pr_ab_exe *x, const char *baseline, const char *candidate)
{
    memset(x, 0, sizeof *x);
    x->path[0] = baseline;
    x->path[1] = candidate;
    pr_run_init(&x->first[0]);
    pr_run_init(&x->first[1]);
}

void pr_ab_exe_release(pr_ab_exe *x)
{
    if (!x)
        return;
    pr_run_release(&x->first[0]);
    pr_run_release(&x->first[1]);
}

void pr_ab_names_free(char **names, size_t n)
{
    size_t i;
    for (i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

/* The first line of TEXT (at most SIZE - 1 bytes of it) into BUF. */
static void first_line(const char *text, size_t len, char *buf, size_t size)
{
    size_t n = 0;
    while (n < len && n + 1 < size && text[n] != '\n' && text[n] != '\0')
        n++;
    memcpy(buf, text, n);
    buf[n] = '\0';
}

/* The last non-empty line of standard error, for a message. */
static void last_error_line(const pr_strbuf *err, char *buf, size_t size)
{
    size_t end = err->len, start;
    while (end > 0 && (err->buf[end - 1] == '\n' || err->buf[end - 1] == ' '))
        end--;
    start = end;
    while (start > 0 && err->buf[start - 1] != '\n')
        start--;
    first_line(err->buf ? err->buf + start : "", end - start, buf, size);
}

/* Why PATH's listing is not one, as the end of a message. */
static int not_a_suite(const char *path, const pr_spawn_result *res, const char *what)
{
    char why[64], line[160];

    last_error_line(&res->err_tail, line, sizeof line);
    if (strstr(res->err_tail.buf ? res->err_tail.buf : "", "unknown command 'measure'"))
        return pr_error_set(PR_EINVALID,
                            "'%s' is a perfreg suite without the worker protocol of A/B "
                            "comparisons ('measure'): rebuild it with this perfreg (%s)",
                            path, PERFREG_VERSION);
    pr_spawn_describe(res, LIST_TIMEOUT_S, why, sizeof why);
    if (*line)
        return pr_error_set(PR_EINVALID,
                            "'%s' is not a perfreg suite: '%s measure --list' %s (%s): %s", path,
                            path, what, why, line);
    return pr_error_set(PR_EINVALID, "'%s' is not a perfreg suite: '%s measure --list' %s (%s)",
                        path, path, what, why);
}

int pr_ab_exe_list(const char *path, double timeout_s, const volatile sig_atomic_t *stop,
                   char ***names, size_t *n)
{
    char *argv[] = {(char *)path, (char *)"measure", (char *)"--list", NULL};
    pr_spawn_options so;
    pr_spawn_result res;
    char expect[64], line[160];
    char **list = NULL;
    size_t count = 0, cap = 0, at;
    int err;

    *names = NULL;
    *n = 0;
    memset(&so, 0, sizeof so);
    so.timeout_s = timeout_s > 0 && timeout_s < LIST_TIMEOUT_S ? timeout_s : LIST_TIMEOUT_S;
    so.stop = stop;
    so.max_output = (size_t)16 << 20;
    pr_spawn_result_init(&res);
    if ((err = pr_spawn_run(argv, &so, &res)) != 0)
        goto done;
    snprintf(expect, sizeof expect, "%s %d ", PR_AB_PROTOCOL_NAME, PR_AB_PROTOCOL);
    first_line(res.out.buf ? res.out.buf : "", res.out.len, line, sizeof line);
    if (!res.exited || res.status != 0) {
        err = not_a_suite(path, &res, "failed");
        goto done;
    }
    if (strncmp(line, expect, strlen(expect)) != 0) {
        if (strncmp(line, PR_AB_PROTOCOL_NAME " ", strlen(PR_AB_PROTOCOL_NAME) + 1) == 0)
            err = pr_error_set(PR_EINVALID,
                               "'%s' speaks another version of the worker protocol ('%s'; this "
                               "perfreg speaks %d): build both with the same perfreg",
                               path, line, PR_AB_PROTOCOL);
        else
            err = pr_error_set(PR_EINVALID,
                               "'%s' is not a perfreg suite: '%s measure --list' printed no "
                               "'%s' line",
                               path, path, PR_AB_PROTOCOL_NAME);
        goto done;
    }
    at = strlen(line) + 1;
    while (at < res.out.len) {
        size_t len = 0;
        char *name;
        while (at + len < res.out.len && res.out.buf[at + len] != '\n')
            len++;
        if (len == 0) {
            at++;
            continue;
        }
        if (count == cap) {
            char **grown = realloc(list, (cap ? cap * 2 : 16) * sizeof *list);
            if (!grown) {
                err = pr_error_set(PR_ENOMEM, "out of memory");
                goto done;
            }
            list = grown;
            cap = cap ? cap * 2 : 16;
        }
        if (!(name = malloc(len + 1))) {
            err = pr_error_set(PR_ENOMEM, "out of memory");
            goto done;
        }
        memcpy(name, res.out.buf + at, len);
        name[len] = '\0';
        list[count++] = name;
        if (pr_name_control(name) >= 0) {
            err = pr_error_set(PR_EINVALID,
                               "'%s' lists a benchmark name with the control character U+%04X",
                               path, pr_name_control(name));
            goto done;
        }
        at += len + 1;
    }
    *names = list;
    *n = count;
    list = NULL;
    count = 0;
done:
    pr_ab_names_free(list, count);
    pr_spawn_result_release(&res);
    return err;
}

/* A benchmark's failure in the worker: OUT failed with REASON. */
static int failed(pr_result *out, const char *reason)
{
    out->status = PR_STATUS_FAILED;
    free(out->error);
    if (!(out->error = pr_strdup(reason)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    return 0;
}

/* Moves the result named NAME out of RUN into OUT. 1 when found. */
static int take_result(pr_run *run, const char *name, pr_result *out)
{
    size_t i;
    for (i = 0; i < run->n_results; i++) {
        pr_result *r = &run->results[i];
        if (r->name && strcmp(r->name, name) == 0) {
            *out = *r;
            memset(r, 0, sizeof *r);
            return 1;
        }
    }
    return 0;
}

int pr_ab_exe_measure(void *ctx, int side, const char *name, const pr_timing_options *t,
                      pr_result *out)
{
    pr_ab_exe *x = ctx;
    const char *path = x->path[side ? 1 : 0];
    char iters[32], samples[32], least[32], min_time[48], warmup[48], label[512], why[256];
    char *argv[] = {(char *)path,   (char *)"measure", (char *)"--bench",       (char *)name,
                    "--iterations", iters,             "--samples",             samples,
                    "--min-samples", least,            "--min-time",            min_time,
                    "--warmup",     warmup,            NULL};
    pr_spawn_options so;
    pr_spawn_result res;
    pr_run doc;
    int err;

    snprintf(iters, sizeof iters, "%llu", (unsigned long long)t->iterations);
    snprintf(samples, sizeof samples, "%llu", (unsigned long long)t->samples);
    snprintf(least, sizeof least, "%llu",
             (unsigned long long)(t->min_samples ? t->min_samples : t->samples));
    snprintf(min_time, sizeof min_time, "%.9f", t->min_time_s);
    snprintf(warmup, sizeof warmup, "%.9f", t->warmup_s);
    memset(&so, 0, sizeof so);
    so.timeout_s = x->timeout_s;
    so.stop = x->stop;
    pr_run_init(&doc);
    pr_spawn_result_init(&res);
    if ((err = pr_spawn_run(argv, &so, &res)) != 0)
        goto done;
    if (res.exited && res.status == PERFREG_EXIT_USAGE) {
        /* the worker refused what it was asked: not the benchmark's fault */
        char line[160];
        last_error_line(&res.err_tail, line, sizeof line);
        err = pr_error_set(PR_EINVALID, "'%s measure --bench %s' exited with status 2%s%s", path,
                           name, *line ? ": " : "", line);
        goto done;
    }
    if (res.timed_out || !res.exited || (res.status != 0 && res.status != 3)) {
        char line[160];
        pr_spawn_describe(&res, x->timeout_s, why, sizeof why);
        last_error_line(&res.err_tail, line, sizeof line);
        if (*line && res.exited) {
            size_t len = strlen(why);
            snprintf(why + len, sizeof why - len, ": %s", line);
        }
        err = failed(out, why);
        goto done;
    }
    snprintf(label, sizeof label, "%s measure --bench %s (output)", path, name);
    if ((err = pr_results_parse(&doc, res.out.buf ? res.out.buf : "", res.out.len, label)) != 0)
        goto done;
    if (!take_result(&doc, name, out)) {
        err = pr_error_set(PR_EINVALID, "'%s': no result for '%s'", label, name);
        goto done;
    }
    if (!x->have_first[side ? 1 : 0]) {
        pr_run *keep = &x->first[side ? 1 : 0];
        *keep = doc;
        pr_run_init(&doc);
        x->have_first[side ? 1 : 0] = 1;
    }
done:
    pr_run_release(&doc);
    pr_spawn_result_release(&res);
    return err;
}
