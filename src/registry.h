/*
 * registry.h - the benchmarks of this executable (its suite), in the order
 * they were registered; name checks and filtering.
 */
#ifndef PR_REGISTRY_H
#define PR_REGISTRY_H

#include <stddef.h>

#include "perfreg.h"

/* Number of registered benchmarks and the i-th (borrowed, static). */
size_t pr_registry_count(void);
const perfreg_bench_def *pr_registry_at(size_t i);

/* The benchmark called NAME exactly, or NULL. Borrowed, static. */
const perfreg_bench_def *pr_registry_find(const char *name);

/* PR_EINVALID with a message naming both definitions when two benchmarks
 * share a name or a name is empty. */
int pr_registry_check(void);

/*
 * Selects the benchmarks whose name matches any of the N_PATTERNS globs
 * (fnmatch; all when n_patterns is 0). OUT receives a malloc'd array of
 * borrowed definitions (free() it), N_OUT its length. A pattern that matches
 * nothing is PR_EUSAGE naming the pattern.
 */
int pr_registry_select(const char *const *patterns, size_t n_patterns,
                       const perfreg_bench_def ***out, size_t *n_out);

/* Forgets every registration (tests only). */
void pr_registry_reset_(void);

#endif
