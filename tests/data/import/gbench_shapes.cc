// gbench_shapes.cc - the Google Benchmark program behind the gbench_*.json
// fixtures of perfreg's importer tests: every shape of row GB 1.7.1 writes
// (bytes and items per second, user counters, each time unit, UseRealTime,
// threads, a label, an error, complexity rows). See README.md here.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <numeric>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>

static void BM_memcpy(benchmark::State &state)
{
    std::vector<char> src(state.range(0), 'a'), dst(state.range(0));
    for (auto _ : state) {
        std::memcpy(dst.data(), src.data(), src.size());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * state.range(0));
}
BENCHMARK(BM_memcpy)->Arg(64)->Arg(4096);

static void BM_sort(benchmark::State &state)
{
    std::vector<int> v(state.range(0));
    for (auto _ : state) {
        state.PauseTiming();
        for (size_t i = 0; i < v.size(); i++)
            v[i] = int((i * 2654435761u) % 1000);
        state.ResumeTiming();
        std::sort(v.begin(), v.end());
    }
    state.SetItemsProcessed(int64_t(state.iterations()) * state.range(0));
}
BENCHMARK(BM_sort)->Arg(1000)->Unit(benchmark::kMicrosecond);

// User counters: a plain one, a rate and a per-iteration average.
static void BM_counters(benchmark::State &state)
{
    int64_t hits = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(hits += 3);
    }
    state.counters["hits"] = double(hits);
    state.counters["hits_rate"] = benchmark::Counter(double(hits), benchmark::Counter::kIsRate);
    state.counters["hits_avg"] =
        benchmark::Counter(double(hits), benchmark::Counter::kAvgIterations);
    state.SetLabel("three per iteration");
}
BENCHMARK(BM_counters);

static void BM_spin_ms(benchmark::State &state)
{
    for (auto _ : state) {
        auto end = std::chrono::steady_clock::now() + std::chrono::microseconds(300);
        while (std::chrono::steady_clock::now() < end) {
        }
    }
}
BENCHMARK(BM_spin_ms)->Unit(benchmark::kMillisecond);

static void BM_accumulate_s(benchmark::State &state)
{
    std::vector<int> v(1000, 1);
    for (auto _ : state)
        benchmark::DoNotOptimize(std::accumulate(v.begin(), v.end(), 0));
}
BENCHMARK(BM_accumulate_s)->Unit(benchmark::kSecond);

// Real time, not CPU time: GB then divides the rates by real time and adds
// "/real_time" to the name.
static void BM_sleep_real(benchmark::State &state)
{
    for (auto _ : state)
        std::this_thread::sleep_for(std::chrono::microseconds(100));
    state.SetBytesProcessed(int64_t(state.iterations()) * 1024);
}
BENCHMARK(BM_sleep_real)->UseRealTime()->Unit(benchmark::kMicrosecond);

static void BM_threads(benchmark::State &state)
{
    int x = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(x += state.thread_index());
}
BENCHMARK(BM_threads)->Threads(2);

static void BM_fails(benchmark::State &state)
{
    for (auto _ : state) {
        state.SkipWithError("resource missing");
        break;
    }
}
BENCHMARK(BM_fails);

static void BM_complexity(benchmark::State &state)
{
    std::vector<int> v(state.range(0), 1);
    for (auto _ : state)
        benchmark::DoNotOptimize(std::accumulate(v.begin(), v.end(), 0));
    state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_complexity)->Arg(256)->Arg(1024)->Complexity(benchmark::oN);

BENCHMARK_MAIN();
