// gbench_compare.cc - two Google Benchmark runs for perfreg's importer tests:
// built once with -DWORK=1000 (gbench_compare_old.json) and once with
// -DWORK=1300 (gbench_compare_new.json), so BM_work is 30% slower in the new
// run and BM_same is unchanged. See README.md here.
#include <cstdint>

#include <benchmark/benchmark.h>

#ifndef WORK
#define WORK 1000
#endif

static uint64_t spin(int n)
{
    uint64_t h = 1469598103934665603u;
    for (int i = 0; i < n; i++) {
        h ^= uint64_t(i);
        h *= 1099511628211u;
        benchmark::DoNotOptimize(h);
    }
    return h;
}

static void BM_work(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(spin(WORK));
}
BENCHMARK(BM_work);

static void BM_same(benchmark::State &state)
{
    for (auto _ : state)
        benchmark::DoNotOptimize(spin(1000));
}
BENCHMARK(BM_same);

BENCHMARK_MAIN();
