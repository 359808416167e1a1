/*
 * fuzz_note.c - libFuzzer target for the git-note document: the reader
 * pr_results_parse_note and the writer pr_results_note_append
 * (docs/json-format.md, "The note document").
 *
 * Reading: runs, or a one-line PR_EINVALID message that starts with the
 * note's name and hands back nothing. Runs that were read can be written
 * into a new note, and that note is a fixed point of read-then-write.
 * Appending a small fixed run onto the input: on a note that reads, it
 * succeeds, the result reads with one more run (the fixed one last) and
 * the runs already there are unchanged; on anything else it either fails
 * with a message naming the note, or succeeds with a result that is still
 * a perfreg note.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz.h"
#include "results.h"
#include "run.h"
#include "stats.h"
#include "strbuf.h"

#define WHERE "notes:fuzz123"

static void release_runs(pr_run *runs, size_t n)
{
    size_t i;

    for (i = 0; runs && i < n; i++)
        pr_run_release(&runs[i]);
    free(runs);
}

static void build_fixed_run(pr_run *run)
{
    static const double samples[] = {10.5, 11, 12.25};
    pr_result *r;

    pr_run_init(run);
    run->suite = pr_strdup("fuzz_suite");
    run->context.date = pr_strdup("2026-11-23T09:00:00Z");
    if (!run->suite || !run->context.date || pr_run_add_result(run, &r) < 0 ||
        !(r->name = pr_strdup("fuzz/fixed")) || !(r->samples_ns = malloc(sizeof samples)))
        fuzz_fail("out of memory building the fixed run", NULL);
    memcpy(r->samples_ns, samples, sizeof samples);
    r->n_samples = sizeof samples / sizeof samples[0];
    r->iterations = 1000;
    r->status = PR_STATUS_OK;
    if (pr_stats_compute(&r->stats, r->samples_ns, r->n_samples) < 0)
        fuzz_fail("the fixed run's statistics", pr_error_last());
    pr_result_derive_throughput(r);
}

/* OUT: a new note of RUNS[0..N), appended one by one, samples included. */
static void rebuild(const pr_run *runs, size_t n, pr_strbuf *out)
{
    pr_strbuf next = PR_STRBUF_INIT, swap;
    size_t i;

    pr_strbuf_reset(out);
    for (i = 0; i < n; i++) {
        pr_strbuf_reset(&next);
        if (pr_results_note_append(out->buf, out->len, &runs[i], 1, &next, WHERE) < 0)
            fuzz_fail("a run read from a note cannot be written into a note", pr_error_last());
        swap = *out;
        *out = next;
        next = swap;
    }
    pr_strbuf_release(&next);
}

static void parse_or_fail(const pr_strbuf *text, const char *what, pr_run **runs, size_t *n)
{
    if (pr_results_parse_note(text->buf ? text->buf : "", text->len, WHERE, runs, n) < 0)
        fuzz_fail(what, pr_error_last());
}

static int same_text(const pr_strbuf *a, const pr_strbuf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->buf, b->buf, a->len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    pr_run *runs = NULL, *again = NULL, *appended = NULL;
    size_t n = 0, n_again = 0, n_appended = 0;
    pr_strbuf note = PR_STRBUF_INIT, note2 = PR_STRBUF_INIT, out = PR_STRBUF_INIT;
    pr_run fixed;
    int err, read_ok, with_samples = (int)(size & 1);

    build_fixed_run(&fixed);

    err = pr_results_parse_note(text, size, WHERE, &runs, &n);
    read_ok = err == 0;
    if (err > 0)
        fuzz_fail("pr_results_parse_note returned a positive value", NULL);
    if (err < 0) {
        fuzz_check_failure(err, "'" WHERE "': ");
        if (runs || n)
            fuzz_fail("a failed read handed back runs", pr_error_last());
    } else {
        if (n > 0 && !runs)
            fuzz_fail("a note read with runs handed back no array", NULL);
        /* No runs rebuild as no note at all, which is not a note to read. */
        rebuild(runs, n, &note);
        if (n > 0) {
            parse_or_fail(&note, "a rebuilt note does not read back", &again, &n_again);
            if (n_again != n)
                fuzz_fail("reading a rebuilt note back changed the number of runs", NULL);
            rebuild(again, n_again, &note2);
            if (!same_text(&note, &note2))
                fuzz_fail("write(read(write(x))) differs from write(x)", NULL);
            release_runs(again, n_again);
            again = NULL;
        }
    }

    err = pr_results_note_append(text, size, &fixed, with_samples, &out, WHERE);
    if (err > 0)
        fuzz_fail("pr_results_note_append returned a positive value", NULL);
    if (err < 0) {
        if (read_ok)
            fuzz_fail("appending to a note that reads failed", pr_error_last());
        fuzz_check_failure(err, "'" WHERE "': ");
        if (out.len != 0)
            fuzz_fail("a failed append wrote something", pr_error_last());
    } else if (read_ok) {
        parse_or_fail(&out, "a note with a run appended does not read", &appended, &n_appended);
        if (n_appended != n + 1)
            fuzz_fail("appending did not add exactly one run", NULL);
        if (!appended[n].suite || strcmp(appended[n].suite, "fuzz_suite") != 0 ||
            appended[n].n_results != 1 || strcmp(appended[n].results[0].name, "fuzz/fixed") != 0)
            fuzz_fail("the appended run is not the last one as given", NULL);
        rebuild(appended, n, &note2);
        if (!same_text(&note, &note2))
            fuzz_fail("appending changed the runs already in the note", NULL);
    } else if (pr_results_parse_note(out.buf, out.len, WHERE, &appended, &n_appended) < 0) {
        /* The input's own runs may be broken, but the envelope that the
         * append accepted must survive it. */
        if (strstr(pr_error_last(), "not a perfreg note"))
            fuzz_fail("appending to a note made it no perfreg note", pr_error_last());
    }

    release_runs(runs, n);
    release_runs(appended, n_appended);
    pr_run_release(&fixed);
    pr_strbuf_release(&note);
    pr_strbuf_release(&note2);
    pr_strbuf_release(&out);
    return 0;
}
