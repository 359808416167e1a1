// gbench_suite.cc - the bundled suite's benchmarks under Google Benchmark,
// calling the same C code, for compare-gbench.sh. Built only when Debian's
// libbenchmark-dev is installed; not part of perfreg itself.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

extern "C" {
#include "fixture.h"
#include "workloads.h"
#include "report.h"
#include "results.h"
#include "stats.h"
#include "strbuf.h"
}

static void classic_memcpy_4k(benchmark::State &state)
{
    static char src[4096], dst[4096];
    std::memset(src, 'x', sizeof src);
    char *s = src, *d = dst;
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(d);
    for (auto _ : state) {
        std::memcpy(dst, src, sizeof src);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(sizeof src));
}
BENCHMARK(classic_memcpy_4k)->Name("classic/memcpy_4k");

static void classic_qsort_10k_ints(benchmark::State &state)
{
    const size_t n = 10000;
    std::vector<int> src(n), dst(n);
    wl_fill_random(src.data(), n, 42);
    for (auto _ : state) {
        wl_copy_and_qsort(dst.data(), src.data(), n);
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(n));
}
BENCHMARK(classic_qsort_10k_ints)->Name("classic/qsort_10k_ints");

static void classic_fnv1a64_1k(benchmark::State &state)
{
    static unsigned char buf[1024];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 31u);
    for (auto _ : state) {
        uint64_t h = wl_fnv1a64(buf, sizeof buf);
        benchmark::DoNotOptimize(h);
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(sizeof buf));
}
BENCHMARK(classic_fnv1a64_1k)->Name("classic/fnv1a64_1k");

static void classic_spin_1us(benchmark::State &state)
{
    for (auto _ : state) {
        uint64_t x = wl_spin(1000, 7);
        benchmark::DoNotOptimize(x);
    }
}
BENCHMARK(classic_spin_1us)->Name("classic/spin_1us");

static void classic_empty_loop(benchmark::State &state)
{
    for (auto _ : state) {
        int zero = 0;
        benchmark::DoNotOptimize(zero);
    }
}
BENCHMARK(classic_empty_loop)->Name("classic/empty_loop");

static void perfreg_stats_10k_samples(benchmark::State &state)
{
    double *samples = bench_make_samples(10000, 1);
    pr_stats st;
    for (auto _ : state) {
        pr_stats_compute(&st, samples, 10000);
        benchmark::DoNotOptimize(st.median_ns);
    }
    std::free(samples);
}
BENCHMARK(perfreg_stats_10k_samples)->Name("perfreg/stats_10k_samples");

static void perfreg_results_write_100(benchmark::State &state)
{
    pr_run run;
    pr_strbuf out = PR_STRBUF_INIT;
    pr_run_init(&run);
    bench_make_run(&run, 100, 50);
    for (auto _ : state) {
        pr_strbuf_reset(&out);
        pr_results_write(&run, &out);
        benchmark::DoNotOptimize(out.len);
    }
    pr_strbuf_release(&out);
    pr_run_release(&run);
}
BENCHMARK(perfreg_results_write_100)->Name("perfreg/results_write_100");

static void perfreg_results_parse_100(benchmark::State &state)
{
    pr_run run, parsed;
    pr_strbuf text = PR_STRBUF_INIT;
    pr_run_init(&run);
    bench_make_run(&run, 100, 50);
    pr_results_write(&run, &text);
    for (auto _ : state) {
        pr_run_init(&parsed);
        pr_results_parse(&parsed, text.buf, text.len, "bench.json");
        benchmark::DoNotOptimize(parsed.n_results);
        pr_run_release(&parsed);
    }
    pr_strbuf_release(&text);
    pr_run_release(&run);
}
BENCHMARK(perfreg_results_parse_100)->Name("perfreg/results_parse_100");

static void perfreg_report_render_100(benchmark::State &state)
{
    pr_run run;
    pr_strbuf out = PR_STRBUF_INIT;
    pr_report_options opt = {1};
    pr_run_init(&run);
    bench_make_run(&run, 100, 50);
    for (auto _ : state) {
        pr_strbuf_reset(&out);
        pr_report_run(&out, &run, &opt);
        benchmark::DoNotOptimize(out.len);
    }
    pr_strbuf_release(&out);
    pr_run_release(&run);
}
BENCHMARK(perfreg_report_render_100)->Name("perfreg/report_render_100");

BENCHMARK_MAIN();
