/*
 * eval_suite.c - the evaluation workloads under perfreg (bench/eval/): the
 * same C functions (bench/workloads.c) that eval_gbench.cc measures under
 * Google Benchmark.
 *
 * The slowdown knob, for the verdict-quality evaluation: with
 * PERFREG_EVAL_SLOWDOWN=P (a whole percentage, 0-100) the benchmarks
 * matching the glob PERFREG_EVAL_SLOW (default: every "eval/" benchmark) do
 * P% more of their own work: on P of every 100 iterations the body runs a
 * second time. That is real extra work of the same kind (same code, caches
 * and branches), not a sleep. The empty loop has no work to add to and is
 * never slowed.
 *
 * The A/B evaluation's builds (bench/eval/CMakeLists.txt) are this file
 * compiled with PERFREG_EVAL_BUILT_SLOWDOWN=P: P is then a constant of the
 * build, 0 for the baseline's, and every build runs the counting loop, so
 * that two builds differ in that one number and in nothing else: not in
 * their code, nor in its layout.
 */
#include <fnmatch.h>
#include <stdlib.h>

#include <perfreg.h>

#include "workloads.h"

/* The percentage by which benchmark NAME is slowed, 0 when it is not. A bad
 * value skips the benchmark (its loop then does not run). */
#ifdef PERFREG_EVAL_BUILT_SLOWDOWN
/* volatile: read at run time, so the loop is the same code in every build;
 * one more than P, so that it is never 0 and lies in .data in every build
 * (a 0 would go to .bss and move the variable's address) */
static volatile unsigned built_slowdown_plus_one = PERFREG_EVAL_BUILT_SLOWDOWN + 1;
#define COUNTING_ALWAYS 1
#else
#define COUNTING_ALWAYS 0
#endif

static unsigned slowdown_percent(perfreg_state *state, const char *name)
{
    const char *pct = getenv("PERFREG_EVAL_SLOWDOWN");
    const char *glob = getenv("PERFREG_EVAL_SLOW");
    char *end;
    long p;

#ifdef PERFREG_EVAL_BUILT_SLOWDOWN
    (void)state;
    return fnmatch(glob && *glob ? glob : "eval/*", name, 0) == 0 ? built_slowdown_plus_one - 1 : 0;
#endif
    if (!pct || !*pct)
        return 0;
    p = strtol(pct, &end, 10);
    if (*end || p < 0 || p > 100) {
        perfreg_skip(state, "PERFREG_EVAL_SLOWDOWN is not a whole percentage from 0 to 100");
        return 0;
    }
    return fnmatch(glob && *glob ? glob : "eval/*", name, 0) == 0 ? (unsigned)p : 0;
}

/* The timed loop running BODY, plus BODY again on P of every 100
 * iterations when NAME is slowed by P%. The count carries over from call to
 * call, so a slow body run a few iterations per sample is slowed as much.
 * Unslowed, it is a plain PERFREG_LOOP, the same loop as Google Benchmark's
 * twin times. */
#define EVAL_LOOP(state, name, ...)                                                                \
    do {                                                                                           \
        static unsigned eval_acc_;                                                                 \
        unsigned eval_pct_ = slowdown_percent(state, name);                                        \
        if (eval_pct_ == 0 && !COUNTING_ALWAYS) {                                                  \
            PERFREG_LOOP(state) {                                                                  \
                __VA_ARGS__                                                                        \
            }                                                                                      \
        } else {                                                                                   \
            PERFREG_LOOP(state) {                                                                  \
                __VA_ARGS__                                                                        \
                eval_acc_ += eval_pct_;                                                            \
                if (eval_acc_ >= 100) {                                                            \
                    eval_acc_ -= 100;                                                              \
                    __VA_ARGS__                                                                    \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
    } while (0)

/* The harness's own floor: a loop whose body is only a barrier. */
PERFREG_BENCH(eval, empty_loop)
{
    PERFREG_LOOP(state) {
        perfreg_do_not_optimize(0);
    }
}

PERFREG_BENCH(eval, spin_10ns)
{
    EVAL_LOOP(state, "eval/spin_10ns", {
        uint64_t x = wl_spin(WL_SPIN_10NS, 7);
        perfreg_do_not_optimize(x);
    });
}

PERFREG_BENCH(eval, spin_1us)
{
    EVAL_LOOP(state, "eval/spin_1us", {
        uint64_t x = wl_spin(WL_SPIN_1US, 7);
        perfreg_do_not_optimize(x);
    });
}

PERFREG_BENCH(eval, spin_1ms)
{
    EVAL_LOOP(state, "eval/spin_1ms", {
        uint64_t x = wl_spin(WL_SPIN_1MS, 7);
        perfreg_do_not_optimize(x);
    });
}

PERFREG_BENCH(eval, memcpy_64)
{
    static char src[64], dst[64];
    perfreg_bytes_per_iteration(state, sizeof src);
    EVAL_LOOP(state, "eval/memcpy_64", {
        wl_copy(dst, src, sizeof src);
        perfreg_clobber_memory();
    });
}

PERFREG_BENCH(eval, memcpy_64k)
{
    static char src[65536], dst[65536];
    perfreg_bytes_per_iteration(state, sizeof src);
    EVAL_LOOP(state, "eval/memcpy_64k", {
        wl_copy(dst, src, sizeof src);
        perfreg_clobber_memory();
    });
}

PERFREG_BENCH(eval, qsort_10k)
{
    enum { N = 10000 };
    static int src[N], dst[N];
    wl_fill_random(src, N, 42);
    perfreg_items_per_iteration(state, N);
    /* Sorting needs unsorted input every time: the copy is part of the
     * work (about 1% of it), in both harnesses. */
    EVAL_LOOP(state, "eval/qsort_10k", {
        wl_copy_and_qsort(dst, src, N);
        perfreg_clobber_memory();
    });
}
