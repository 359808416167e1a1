/*
 * bench_perfreg.c - perfreg's own hot paths: statistics over a large sample,
 * writing and parsing the results file of a 100-benchmark run, rendering the
 * report. A regression here slows every user's CI.
 */
#include <stdlib.h>

#include <perfreg.h>

#include "error.h"
#include "fixture.h"
#include "report.h"
#include "results.h"
#include "stats.h"
#include "strbuf.h"

PERFREG_BENCH(perfreg, stats_10k_samples)
{
    double *samples = bench_make_samples(10000, 1);
    pr_stats st;
    if (!samples) {
        perfreg_skip(state, "out of memory");
        return;
    }
    perfreg_items_per_iteration(state, 10000);
    PERFREG_LOOP(state) {
        pr_stats_compute(&st, samples, 10000);
        perfreg_do_not_optimize(st.median_ns);
    }
    free(samples);
}

/* A run of 100 benchmarks with 50 samples each: what `run` records for a
 * mid-sized suite. */
static int make_run(perfreg_state *state, pr_run *run)
{
    pr_run_init(run);
    if (bench_make_run(run, 100, 50) != 0) {
        pr_run_release(run);
        perfreg_skip(state, "cannot build the fixture run");
        return -1;
    }
    return 0;
}

PERFREG_BENCH(perfreg, results_write_100)
{
    pr_run run;
    pr_strbuf out = PR_STRBUF_INIT;
    if (make_run(state, &run) != 0)
        return;
    PERFREG_LOOP(state) {
        pr_strbuf_reset(&out);
        pr_results_write(&run, &out);
        perfreg_do_not_optimize(out.len);
    }
    pr_strbuf_release(&out);
    pr_run_release(&run);
}

PERFREG_BENCH(perfreg, results_parse_100)
{
    pr_run run, parsed;
    pr_strbuf text = PR_STRBUF_INIT;
    if (make_run(state, &run) != 0)
        return;
    if (pr_results_write(&run, &text) != 0) {
        perfreg_skip(state, pr_error_last());
        goto done;
    }
    perfreg_bytes_per_iteration(state, (double)text.len);
    PERFREG_LOOP(state) {
        pr_run_init(&parsed);
        pr_results_parse(&parsed, text.buf, text.len, "bench.json");
        perfreg_do_not_optimize(parsed.n_results);
        pr_run_release(&parsed);
    }
done:
    pr_strbuf_release(&text);
    pr_run_release(&run);
}

PERFREG_BENCH(perfreg, report_render_100)
{
    pr_run run;
    pr_strbuf out = PR_STRBUF_INIT;
    pr_report_options opt = {1, NULL};
    if (make_run(state, &run) != 0)
        return;
    PERFREG_LOOP(state) {
        pr_strbuf_reset(&out);
        pr_report_run(&out, &run, &opt);
        perfreg_do_not_optimize(out.len);
    }
    pr_strbuf_release(&out);
    pr_run_release(&run);
}
