/*
 * perfreg.h - what a benchmark author uses.
 *
 * A benchmark is a function defined with PERFREG_BENCH. It registers itself
 * before main() runs, so there is no list to keep in sync. The timing core
 * calls the function once per sample; the code inside PERFREG_LOOP is timed,
 * the code before and after it is set-up and tear-down and is not.
 *
 *     #include <perfreg.h>
 *
 *     PERFREG_BENCH(string, strlen_1k)
 *     {
 *         char buf[1024];
 *         memset(buf, 'a', sizeof buf - 1);
 *         buf[sizeof buf - 1] = '\0';
 *         perfreg_bytes_per_iteration(state, sizeof buf);
 *         PERFREG_LOOP(state) {
 *             size_t n = strlen(buf);
 *             perfreg_do_not_optimize(n);
 *         }
 *     }
 *
 * Link the suite with the perfreg library and either call perfreg_main() from
 * your own main() or link perfreg's ready main (CMake target perfreg::main).
 * The suite then has the whole command line: run, list, help.
 *
 * Requires gcc or clang (constructor attribute, inline asm for the barriers).
 */
#ifndef PERFREG_H
#define PERFREG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PERFREG_VERSION_MAJOR 0
#define PERFREG_VERSION_MINOR 1
#define PERFREG_VERSION_PATCH 0
#define PERFREG_VERSION "0.1.0"

/* Exit statuses of perfreg_main() and of the perfreg program. */
#define PERFREG_EXIT_OK 0         /* success */
#define PERFREG_EXIT_REGRESSION 1 /* a regression crossed a --fail threshold */
#define PERFREG_EXIT_USAGE 2      /* usage or input error */
#define PERFREG_EXIT_BENCH 3      /* a benchmark failed to run */

/*
 * The state of one benchmark call. Opaque: the author only passes it to the
 * functions below. Valid for the duration of the call it was given to.
 */
typedef struct perfreg_state perfreg_state;

typedef void (*perfreg_bench_fn)(perfreg_state *state);

/*
 * One registered benchmark. Filled in by PERFREG_BENCH; not meant to be
 * written by hand, but a program may register a definition it built itself
 * with perfreg_register() before calling perfreg_main(). The strings and the
 * struct must outlive perfreg_main().
 */
typedef struct perfreg_bench_def {
    const char *name; /* "group/name" */
    perfreg_bench_fn fn;
    const char *file; /* where it was defined */
    int line;
    const char *compiler;           /* compiler of the defining translation unit */
    const char *build_type;         /* PERFREG_BUILD_TYPE of that unit, or NULL */
    const char *build_flags;        /* PERFREG_BUILD_FLAGS of that unit, or NULL */
    int optimized;                  /* 1 when that unit was compiled with optimisation */
    struct perfreg_bench_def *next; /* owned by the registry */
} perfreg_bench_def;

/* Adds a benchmark to this executable's suite. Duplicate names are reported
 * by perfreg_main() at start-up (exit 2), not here. */
void perfreg_register(perfreg_bench_def *def);

/*
 * The whole command line for the benchmarks registered in this executable:
 * `run` (the default), `list`, `help`, `version`. Returns the exit status
 * (PERFREG_EXIT_*); prints to stdout and stderr.
 */
int perfreg_main(int argc, char **argv);

/* ---- inside a benchmark ------------------------------------------------ */

/* Bytes or items processed by one iteration of the loop. Results then carry
 * bytes_per_second or items_per_second. Call before or after the loop. */
void perfreg_bytes_per_iteration(perfreg_state *state, double bytes);
void perfreg_items_per_iteration(perfreg_state *state, double items);

/* Marks the benchmark failed with REASON (copied) and stops it: the loop does
 * not run, or does not run again. Return from the benchmark after calling it.
 * The other benchmarks still run; the run exits 3. */
void perfreg_skip(perfreg_state *state, const char *reason);

/* The iteration count of the current call (known once the loop has started,
 * and in set-up code too). */
uint64_t perfreg_iterations(const perfreg_state *state);

/* Used by PERFREG_LOOP; not for direct use. loop_begin_ reads the clock and
 * returns the iteration count (0 when skipped); loop_end_ reads the clock. */
uint64_t perfreg_loop_begin_(perfreg_state *state);
void perfreg_loop_end_(perfreg_state *state);

/*
 * The timed loop. The body runs perfreg_iterations(state) times; the clock is
 * read once before the first iteration and once after the last. Per
 * iteration the loop costs a decrement and a branch, no call. Do not `break`
 * or `return` out of it: the sample is then lost and the benchmark fails with
 * a message saying so. Run it exactly once per benchmark call.
 */
/* The end call's value is the constant 0, so the compiler knows the loop
 * cannot resume after it and compiles the loop to a bare decrement-and-branch
 * (a value it could not see would add a test to every iteration). */
#define PERFREG_LOOP(state)                                                                        \
    for (uint64_t perfreg_left_ = perfreg_loop_begin_(state);                                      \
         perfreg_left_ != 0 || (perfreg_loop_end_(state), 0); --perfreg_left_)

/*
 * Barriers.
 *
 * perfreg_do_not_optimize(value): the compiler must assume VALUE is read by
 * something it cannot see, so the computation producing it is kept. Use a
 * scalar, a pointer or an array (it then escapes: the compiler must assume
 * its contents are read and written). It does not stop the compiler from folding an input it
 * can see at compile time: a loop over a constant buffer may be computed once
 * outside the loop. Make inputs opaque too (pass them through the barrier
 * before the loop, or read them from memory the compiler cannot predict).
 *
 * perfreg_clobber_memory(): the compiler must assume all memory is read and
 * written here, so stores before it are performed. It emits no instruction
 * and does not flush caches or order the CPU's memory accesses.
 */
#if defined(__clang__)
#define perfreg_do_not_optimize(value)                                                             \
    do {                                                                                           \
        __typeof__((value) + 0) perfreg_v_ = (value);                                              \
        __asm__ __volatile__("" : "+r,m"(perfreg_v_) : : "memory");                                \
    } while (0)
#elif defined(__GNUC__)
#define perfreg_do_not_optimize(value)                                                             \
    do {                                                                                           \
        __typeof__((value) + 0) perfreg_v_ = (value);                                              \
        __asm__ __volatile__("" : : "r,m"(perfreg_v_) : "memory");                                 \
    } while (0)
#else
#error "perfreg needs gcc or clang"
#endif

#define perfreg_clobber_memory() __asm__ __volatile__("" : : : "memory")

/* ---- defining a benchmark ---------------------------------------------- */

#if defined(__clang__)
#define PERFREG_COMPILER_ "clang " __clang_version__
#else
#define PERFREG_COMPILER_ "gcc " __VERSION__
#endif

#ifdef PERFREG_BUILD_TYPE
#define PERFREG_BUILD_TYPE_ PERFREG_BUILD_TYPE
#else
#define PERFREG_BUILD_TYPE_ NULL
#endif
#ifdef PERFREG_BUILD_FLAGS
#define PERFREG_BUILD_FLAGS_ PERFREG_BUILD_FLAGS
#else
#define PERFREG_BUILD_FLAGS_ NULL
#endif
#ifdef __OPTIMIZE__
#define PERFREG_OPTIMIZED_ 1
#else
#define PERFREG_OPTIMIZED_ 0
#endif

/*
 * PERFREG_BENCH(group, name) { body }
 *
 * Defines a benchmark registered as "group/name"; GROUP and NAME are C
 * identifiers. The body sees `perfreg_state *state`.
 */
#define PERFREG_BENCH(group, name)                                                                 \
    static void perfreg_fn_##group##__##name(perfreg_state *state);                                \
    static perfreg_bench_def perfreg_def_##group##__##name = {#group "/" #name,                    \
                                                              perfreg_fn_##group##__##name,        \
                                                              __FILE__,                            \
                                                              __LINE__,                            \
                                                              PERFREG_COMPILER_,                   \
                                                              PERFREG_BUILD_TYPE_,                 \
                                                              PERFREG_BUILD_FLAGS_,                \
                                                              PERFREG_OPTIMIZED_,                  \
                                                              NULL};                               \
    __attribute__((constructor)) static void perfreg_reg_##group##__##name(void)                   \
    {                                                                                              \
        perfreg_register(&perfreg_def_##group##__##name);                                          \
    }                                                                                              \
    static void perfreg_fn_##group##__##name(perfreg_state *state)

#ifdef __cplusplus
}
#endif

#endif /* PERFREG_H */
