// eval_gbench.cc - the evaluation workloads of eval_suite.c under Google
// Benchmark, calling the same C functions (bench/workloads.c). Built only
// when Debian's libbenchmark-dev is installed; not part of perfreg itself.
#include <benchmark/benchmark.h>

#include <cstdint>

extern "C" {
#include "workloads.h"
}

static void eval_empty_loop(benchmark::State &state)
{
    for (auto _ : state) {
        int zero = 0;
        benchmark::DoNotOptimize(zero);
    }
}
BENCHMARK(eval_empty_loop)->Name("eval/empty_loop");

static void spin(benchmark::State &state, uint64_t steps)
{
    for (auto _ : state) {
        uint64_t x = wl_spin(steps, 7);
        benchmark::DoNotOptimize(x);
    }
}
BENCHMARK_CAPTURE(spin, 10ns, WL_SPIN_10NS)->Name("eval/spin_10ns");
BENCHMARK_CAPTURE(spin, 1us, WL_SPIN_1US)->Name("eval/spin_1us");
BENCHMARK_CAPTURE(spin, 1ms, WL_SPIN_1MS)->Name("eval/spin_1ms");

template <std::size_t N> static void copy(benchmark::State &state)
{
    static char src[N], dst[N];
    for (auto _ : state) {
        wl_copy(dst, src, N);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(N));
}
BENCHMARK_TEMPLATE(copy, 64)->Name("eval/memcpy_64");
BENCHMARK_TEMPLATE(copy, 65536)->Name("eval/memcpy_64k");

static void eval_qsort_10k(benchmark::State &state)
{
    const std::size_t n = 10000;
    static int src[n], dst[n];
    wl_fill_random(src, n, 42);
    for (auto _ : state) {
        wl_copy_and_qsort(dst, src, n);
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(n));
}
BENCHMARK(eval_qsort_10k)->Name("eval/qsort_10k");

BENCHMARK_MAIN();
