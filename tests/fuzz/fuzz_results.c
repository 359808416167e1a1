/*
 * fuzz_results.c - libFuzzer target for the results-file reader,
 * pr_results_parse (docs/json-format.md).
 *
 * Any bytes either give a run or a one-line PR_EINVALID message that starts
 * with the file's name and leaves the caller's run as it was. A run that
 * was read can be written, and the written text is a fixed point: reading
 * it and writing again gives the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz.h"
#include "results.h"
#include "run.h"
#include "strbuf.h"

#define PATH "fuzz.json"

/* A run with something in it, so that a failed parse that touched it shows. */
static void fill_sentinel(pr_run *run)
{
    pr_result *r;

    pr_run_init(run);
    run->suite = pr_strdup("sentinel");
    if (!run->suite || pr_run_add_result(run, &r) < 0 || !(r->name = pr_strdup("sentinel/x")))
        fuzz_fail("out of memory building the sentinel run", NULL);
}

static int is_sentinel(const pr_run *run)
{
    return run->suite && strcmp(run->suite, "sentinel") == 0 && run->n_results == 1 &&
           run->results[0].name && strcmp(run->results[0].name, "sentinel/x") == 0;
}

static void check_written(const pr_run *run, pr_strbuf *out)
{
    if (pr_results_write(run, out) < 0)
        fuzz_fail("a run that was read cannot be written", pr_error_last());
    if (out->len == 0 || out->buf[out->len - 1] != '\n')
        fuzz_fail("the written document does not end with a newline", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pr_run run, again;
    pr_strbuf first = PR_STRBUF_INIT, second = PR_STRBUF_INIT;
    int err;

    fill_sentinel(&run);
    pr_run_init(&again);
    err = pr_results_parse(&run, (const char *)data, size, PATH);
    if (err < 0) {
        fuzz_check_failure(err, "'" PATH "': ");
        if (!is_sentinel(&run))
            fuzz_fail("a failed parse changed the caller's run", pr_error_last());
        goto done;
    }
    if (err != 0)
        fuzz_fail("pr_results_parse returned a positive value", NULL);

    check_written(&run, &first);
    if (pr_results_parse(&again, first.buf, first.len, PATH) < 0)
        fuzz_fail("a written document does not read back", pr_error_last());
    if (again.n_results != run.n_results)
        fuzz_fail("reading back changed the number of benchmarks", NULL);
    check_written(&again, &second);
    if (first.len != second.len || memcmp(first.buf, second.buf, first.len) != 0)
        fuzz_fail("write(parse(write(x))) differs from write(x)", NULL);
done:
    pr_run_release(&run);
    pr_run_release(&again);
    pr_strbuf_release(&first);
    pr_strbuf_release(&second);
    return 0;
}
