/*
 * allocs.h - counting the heap allocations a benchmark makes inside its
 * timed loop.
 *
 * On glibc the library defines malloc, calloc, realloc and free itself; they
 * forward to glibc's allocator (__libc_malloc, ...) and, while counting is
 * on, add one to a counter per call and the requested size to a byte count
 * (realloc counts as one allocation of its new size; free is not counted).
 * A program linking perfreg statically gets these definitions in place of
 * libc's for the whole process, so allocations made inside libc (strdup,
 * fopen) or libstdc++ (operator new) are seen too. posix_memalign,
 * aligned_alloc, memalign, mmap and the stack are not.
 *
 * The counters are plain process-wide counters: allocations of every thread
 * are counted while counting is on. The timing core turns counting on only
 * during one untimed call of the benchmark, so the timed samples never pay
 * for it.
 *
 * Counting is compiled out under AddressSanitizer, ThreadSanitizer and
 * MemorySanitizer (they replace malloc themselves) and outside glibc;
 * pr_allocs_available() then returns 0.
 */
#ifndef PR_ALLOCS_H
#define PR_ALLOCS_H

#include <stdint.h>

/* 1 when counting works in this process: the definitions are compiled in
 * and are the ones the program calls (a program that brings its own malloc,
 * or an allocator preloaded ahead of ours, makes this 0). Probed once. */
int pr_allocs_available(void);

/* Zeroes the counters and turns counting on. Async-signal-safe. */
void pr_allocs_start(void);

/* Turns counting off. Async-signal-safe. */
void pr_allocs_stop(void);

/* Allocations and requested bytes counted since the last pr_allocs_start. */
void pr_allocs_read(uint64_t *count, uint64_t *bytes);

#endif
