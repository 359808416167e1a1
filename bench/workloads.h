/*
 * workloads.h - plain C functions measured by perfreg's suite and, for the
 * comparisons in bench/eval/, by Google Benchmark: the same machine
 * code under both harnesses. Each lives in workloads.c, out of line, so that
 * neither harness's compiler can fold it into the loop.
 */
#ifndef PR_BENCH_WORKLOADS_H
#define PR_BENCH_WORKLOADS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A chain of N dependent multiply-adds; returns the result. About 1 ns a
 * step on a 2-3 GHz core, so spin(1000) is roughly 1 us. */
uint64_t wl_spin(uint64_t n, uint64_t seed);

/* Step counts for spins of about 10 ns, 1 us and 1 ms on this project's
 * reference machine (docs/performance.md); the names are nominal. */
#define WL_SPIN_10NS 24
#define WL_SPIN_1US 850
#define WL_SPIN_1MS 850000

/* memcpy(DST, SRC, N), out of line: both harnesses call the same code. */
void wl_copy(void *dst, const void *src, size_t n);

/* 64-bit FNV-1a over LEN bytes. */
uint64_t wl_fnv1a64(const void *data, size_t len);

/* Fills DST with N pseudo-random ints (deterministic for SEED). */
void wl_fill_random(int *dst, size_t n, uint64_t seed);

/* Copies SRC to DST and sorts DST with qsort. */
void wl_copy_and_qsort(int *dst, const int *src, size_t n);

#ifdef __cplusplus
}
#endif

#endif
