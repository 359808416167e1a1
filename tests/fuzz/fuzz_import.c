/*
 * fuzz_import.c - libFuzzer target for the importers, pr_import_parse
 * (Google Benchmark, pytest-benchmark and hyperfine JSON; import.h).
 *
 * Each input is imported four times: with the format detected, and with
 * each format forced (Google Benchmark with its CPU time, to reach the
 * other branch). Any bytes either give a run or a one-line PR_EINVALID
 * message that starts with the file's name and leaves the caller's run as
 * it was. A run that was imported can be written as a results file, and
 * the written text is a fixed point: reading it and writing again gives the
 * same bytes. With the format detected, the results reader (which hands
 * such documents to the importer) reads the same run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fuzz.h"
#include "import.h"
#include "results.h"
#include "run.h"
#include "strbuf.h"

#define PATH "fuzz.json"

/* A run with something in it, so that a failed import that touched it
 * shows. */
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
        fuzz_fail("an imported run cannot be written", pr_error_last());
    if (out->len == 0 || out->buf[out->len - 1] != '\n')
        fuzz_fail("the written document does not end with a newline", NULL);
}

/* Imports DATA with FORMAT forced (AUTO: detected) and checks it; the
 * written results file of a run, when there is one, goes to WRITTEN. */
static void import_once(const uint8_t *data, size_t size, pr_import_format format,
                        pr_import_gbench_time time, pr_strbuf *written)
{
    pr_import_options opt;
    pr_import_format seen = PR_IMPORT_AUTO;
    pr_run run, again;
    pr_strbuf second = PR_STRBUF_INIT;
    int err;

    pr_import_options_init(&opt);
    opt.format = format;
    opt.gbench_time = time;
    fill_sentinel(&run);
    pr_run_init(&again);
    err = pr_import_parse(&run, (const char *)data, size, PATH, &opt, &seen);
    if (format != PR_IMPORT_AUTO && seen != format && seen != PR_IMPORT_AUTO)
        fuzz_fail("a forced format reported as another", NULL);
    if (err < 0) {
        fuzz_check_failure(err, "'" PATH "': ");
        if (!is_sentinel(&run))
            fuzz_fail("a failed import changed the caller's run", pr_error_last());
        goto done;
    }
    if (err != 0)
        fuzz_fail("pr_import_parse returned a positive value", NULL);
    if (seen == PR_IMPORT_AUTO)
        fuzz_fail("an import succeeded without saying which format it read", NULL);
    if (run.n_results == 0)
        fuzz_fail("an import succeeded with no benchmark", NULL);

    check_written(&run, written);
    if (pr_results_parse(&again, written->buf, written->len, PATH) < 0)
        fuzz_fail("a written import does not read back", pr_error_last());
    if (again.n_results != run.n_results)
        fuzz_fail("reading back changed the number of benchmarks", NULL);
    check_written(&again, &second);
    if (written->len != second.len || memcmp(written->buf, second.buf, second.len) != 0)
        fuzz_fail("write(parse(write(import(x)))) differs from write(import(x))", NULL);
done:
    pr_run_release(&run);
    pr_run_release(&again);
    pr_strbuf_release(&second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pr_strbuf detected = PR_STRBUF_INIT, other = PR_STRBUF_INIT, read = PR_STRBUF_INIT;
    pr_run run;

    import_once(data, size, PR_IMPORT_AUTO, PR_IMPORT_REAL_TIME, &detected);
    import_once(data, size, PR_IMPORT_GBENCH, PR_IMPORT_CPU_TIME, &other);
    pr_strbuf_reset(&other);
    import_once(data, size, PR_IMPORT_PYTEST, PR_IMPORT_REAL_TIME, &other);
    pr_strbuf_reset(&other);
    import_once(data, size, PR_IMPORT_HYPERFINE, PR_IMPORT_REAL_TIME, &other);

    /* what was imported, the results reader reads the same */
    if (detected.len > 0) {
        pr_run_init(&run);
        if (pr_results_parse(&run, (const char *)data, size, PATH) < 0)
            fuzz_fail("the results reader refuses what the importer read", pr_error_last());
        check_written(&run, &read);
        if (read.len != detected.len || memcmp(read.buf, detected.buf, read.len) != 0)
            fuzz_fail("the results reader and the importer read different runs", NULL);
        pr_run_release(&run);
    }
    pr_strbuf_release(&detected);
    pr_strbuf_release(&other);
    pr_strbuf_release(&read);
    return 0;
}
