/*
 * bench_classic.c - workloads every C programmer recognises, written the way
 * a perfreg user writes benchmarks.
 */
#include <stdlib.h>
#include <string.h>

#include <perfreg.h>

#include "workloads.h"

PERFREG_BENCH(classic, memcpy_4k)
{
    static char src[4096], dst[4096];
    memset(src, 'x', sizeof src);
    perfreg_bytes_per_iteration(state, sizeof src);
    /* The clobber covers only memory the compiler thinks may escape: let
     * both buffers escape, or the copy is hoisted out of the loop. */
    perfreg_do_not_optimize(src);
    perfreg_do_not_optimize(dst);
    PERFREG_LOOP(state) {
        memcpy(dst, src, sizeof src);
        perfreg_clobber_memory();
    }
}

PERFREG_BENCH(classic, qsort_10k_ints)
{
    enum { N = 10000 };
    int *src = malloc(N * sizeof *src), *dst = malloc(N * sizeof *dst);
    if (!src || !dst) {
        free(src);
        free(dst);
        perfreg_skip(state, "out of memory");
        return;
    }
    wl_fill_random(src, N, 42);
    perfreg_items_per_iteration(state, N);
    /* Sorting needs unsorted input every time: the copy is part of the work
     * (about 1% of it), as in the Google Benchmark twin. */
    PERFREG_LOOP(state) {
        wl_copy_and_qsort(dst, src, N);
        perfreg_clobber_memory();
    }
    free(src);
    free(dst);
}

PERFREG_BENCH(classic, fnv1a64_1k)
{
    static unsigned char buf[1024];
    size_t i;
    for (i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 31u);
    perfreg_bytes_per_iteration(state, sizeof buf);
    PERFREG_LOOP(state) {
        uint64_t h = wl_fnv1a64(buf, sizeof buf);
        perfreg_do_not_optimize(h);
    }
}

PERFREG_BENCH(classic, spin_1us)
{
    PERFREG_LOOP(state) {
        uint64_t x = wl_spin(1000, 7);
        perfreg_do_not_optimize(x);
    }
}

/* The harness's own floor: a loop whose body is only a barrier. */
PERFREG_BENCH(classic, empty_loop)
{
    PERFREG_LOOP(state) {
        perfreg_do_not_optimize(0);
    }
}
