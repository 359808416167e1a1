/*
 * test_isolate.c - benchmarks in a child process: a healthy one matches the
 * in-process result in shape; a crash, abort, exit and endless loop become
 * failed results with the right reasons; allocation counts and the memory
 * figure; the child and the pipe never outlive a measurement. Uses the real
 * clock, with fixed iterations so that nothing depends on its speed.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "allocs.h"
#include "check.h"
#include "clock.h"
#include "error.h"
#include "isolate.h"
#include "timing.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#ifdef UNDER_ASAN
/* A segfault must kill the child, as it does without ASan, rather than be
 * reported by ASan's handler and turned into exit(1). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "handle_segv=0";
}
#endif

/* Under valgrind the child's peak includes memcheck's shadow memory, and
 * the deliberate null write is reported as an error before it kills. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef UNDER_VALGRIND
#define UNDER_VALGRIND() 0
#endif

/* Counting works on glibc unless a sanitizer owns malloc. */
#if defined(__GLIBC__) && !defined(UNDER_ASAN)
#define EXPECT_ALLOCS 1
#else
#define EXPECT_ALLOCS 0
#endif

static pr_clock_info clock_info;

static perfreg_bench_def def_of(const char *name, perfreg_bench_fn fn)
{
    perfreg_bench_def d = {name, fn, __FILE__, __LINE__, "cc", NULL, NULL, 0, NULL};
    return d;
}

static void quick_options(pr_timing_options *opt, uint64_t iterations, uint64_t samples)
{
    pr_timing_options_init(opt);
    opt->iterations = iterations;
    opt->samples = samples;
    opt->warmup_s = 0;
    opt->min_time_s = 0;
}

static int isolated(perfreg_bench_fn fn, const pr_timing_options *opt, double timeout_s,
                    pr_result *r)
{
    perfreg_bench_def d = def_of("test/bench", fn);
    pr_isolate_options iso = {timeout_s, NULL, 0};
    return pr_isolate_measure(pr_clock_monotonic(), &clock_info, opt, &d, &iso, r);
}

static int in_process(perfreg_bench_fn fn, const pr_timing_options *opt, pr_result *r)
{
    perfreg_bench_def d = def_of("test/bench", fn);
    int err = pr_timing_measure(pr_clock_monotonic(), &clock_info, opt, &d, r);
    return err ? err : pr_timing_count_allocs(pr_clock_monotonic(), &d, r);
}

/* Neither a child left to reap nor a descriptor left open. */
static void check_nothing_left(int fd_before)
{
    int fd = dup(0);
    pid_t w = waitpid(-1, NULL, WNOHANG);
    CHECK_INT(w, -1);
    CHECK_INT(errno, ECHILD);
    CHECK_INT(fd, fd_before);
    close(fd);
}

static int lowest_free_fd(void)
{
    int fd = dup(0);
    close(fd);
    return fd;
}

static void body_healthy(perfreg_state *state)
{
    perfreg_bytes_per_iteration(state, 64);
    PERFREG_LOOP(state) {
        perfreg_do_not_optimize(1);
    }
}

static void test_healthy_matches_in_process(void)
{
    pr_timing_options opt;
    pr_result a = {0}, b = {0};
    int fd = lowest_free_fd();
    size_t i;
    quick_options(&opt, 1000, 10);
    CHECK_INT(isolated(body_healthy, &opt, 10, &a), 0);
    CHECK_INT(in_process(body_healthy, &opt, &b), 0);
    CHECK_INT(a.status, PR_STATUS_OK);
    CHECK_INT(b.status, PR_STATUS_OK);
    CHECK(a.error == NULL);
    CHECK_INT(a.iterations, b.iterations);
    CHECK_INT(a.n_samples, b.n_samples);
    CHECK_INT(a.n_samples, 10);
    CHECK_INT(a.stats.n, 10);
    CHECK(a.samples_ns != NULL);
    for (i = 0; a.samples_ns && i < a.n_samples; i++)
        CHECK(a.samples_ns[i] >= a.stats.min_ns && a.samples_ns[i] <= a.stats.max_ns);
    CHECK(a.stats.mean_ns > 0);
    CHECK_NEAR(a.bytes_per_iteration, 64, 0);
    CHECK(a.bytes_per_second > 0);
    CHECK(a.total_time_s > 0);
    CHECK_INT(a.has_memory, 1);
    CHECK(a.peak_rss_bytes >= a.baseline_rss_bytes);
    CHECK(a.baseline_rss_bytes > 0);
    CHECK_INT(b.has_memory, 0);
    CHECK_INT(a.has_allocs, EXPECT_ALLOCS);
    CHECK_INT(b.has_allocs, EXPECT_ALLOCS);
    pr_result_release(&a);
    pr_result_release(&b);
    check_nothing_left(fd);
}

/* UBSan would report the null write first (and exit, with halt_on_error) */
__attribute__((no_sanitize("undefined"))) static void poke(int *p)
{
    *p = 1;
}

static void body_segv(perfreg_state *state)
{
    int *volatile p = NULL;
    PERFREG_LOOP(state) {
        poke(p);
    }
}

static void body_raise_segv(perfreg_state *state)
{
    PERFREG_LOOP(state) {
        raise(SIGSEGV);
    }
}

static void body_abort(perfreg_state *state)
{
    PERFREG_LOOP(state) {
        abort();
    }
}

static void body_exit3(perfreg_state *state)
{
    PERFREG_LOOP(state) {
        exit(3);
    }
}

static void body_exit0(perfreg_state *state)
{
    PERFREG_LOOP(state) {
        exit(0);
    }
}

static void body_forever(perfreg_state *state)
{
    PERFREG_LOOP(state) {
        for (;;)
            perfreg_clobber_memory();
    }
}

static void body_skip(perfreg_state *state)
{
    perfreg_skip(state, "no device");
    PERFREG_LOOP(state) {
        perfreg_do_not_optimize(1);
    }
}

static void check_fails(perfreg_bench_fn fn, double timeout_s, const char *reason)
{
    pr_timing_options opt;
    pr_result r = {0};
    int fd = lowest_free_fd();
    quick_options(&opt, 10, 10);
    CHECK_INT(isolated(fn, &opt, timeout_s, &r), 0);
    CHECK_INT(r.status, PR_STATUS_FAILED);
    CHECK_STR(r.error, reason);
    CHECK_INT(r.n_samples, 0);
    CHECK(r.samples_ns == NULL);
    pr_result_release(&r);
    check_nothing_left(fd);
}

static void test_failures(void)
{
    if (!UNDER_VALGRIND())
        check_fails(body_segv, 10, "crashed: SIGSEGV (Segmentation fault)");
    check_fails(body_raise_segv, 10, "crashed: SIGSEGV (Segmentation fault)");
    check_fails(body_abort, 10, "crashed: SIGABRT (Aborted)");
    check_fails(body_exit3, 10, "exited with status 3 before finishing");
    check_fails(body_exit0, 10, "exited before reporting its result");
    check_fails(body_skip, 10, "no device");
}

static void test_timeout(void)
{
    int64_t t0 = pr_clock_now_ns(pr_clock_monotonic()), elapsed;
    check_fails(body_forever, 1, "timed out after 1 s");
    elapsed = pr_clock_now_ns(pr_clock_monotonic()) - t0;
    CHECK(elapsed >= 1000000000 && elapsed < 5000000000);
    check_fails(body_forever, 0.25, "timed out after 0.25 s");
}

static volatile sig_atomic_t stop_flag;

static void on_alarm(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void test_stop_flag(void)
{
    pr_timing_options opt;
    pr_result r = {0};
    perfreg_bench_def d = def_of("test/forever", body_forever);
    pr_isolate_options iso = {0, &stop_flag, 0};
    struct sigaction sa, old;
    struct itimerval it = {{0, 0}, {0, 200000}};
    int fd = lowest_free_fd();

    /* set before: no child at all */
    stop_flag = 1;
    quick_options(&opt, 10, 10);
    CHECK_INT(pr_isolate_measure(pr_clock_monotonic(), &clock_info, &opt, &d, &iso, &r),
              PR_EINTERRUPTED);
    /* set by a signal while the child loops (no timeout): killed, reaped */
    stop_flag = 0;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, &old);
    setitimer(ITIMER_REAL, &it, NULL);
    CHECK_INT(pr_isolate_measure(pr_clock_monotonic(), &clock_info, &opt, &d, &iso, &r),
              PR_EINTERRUPTED);
    sigaction(SIGALRM, &old, NULL);
    CHECK_INT(stop_flag, 1);
    pr_result_release(&r);
    check_nothing_left(fd);
}

static void body_three_allocs(perfreg_state *state)
{
    PERFREG_LOOP(state) {
        char *a = malloc(100), *b = malloc(100), *c = malloc(100);
        perfreg_do_not_optimize(a);
        perfreg_do_not_optimize(b);
        perfreg_do_not_optimize(c);
        free(a);
        free(b);
        free(c);
    }
}

static void body_no_allocs(perfreg_state *state)
{
    char *p = malloc(1000); /* set-up: not counted */
    perfreg_do_not_optimize(p);
    PERFREG_LOOP(state) {
        perfreg_do_not_optimize(p);
    }
    free(p);
}

/* strdup and realloc: libc's own calls to malloc go through ours too */
static void body_strdup_realloc(perfreg_state *state)
{
    PERFREG_LOOP(state) {
        char *s = strdup("0123456789"); /* 11 bytes */
        char *t = realloc(s, 40);
        perfreg_do_not_optimize(t);
        free(t ? t : s);
    }
}

/* A buffer made on the loop's first iteration and reused, as a string
 * buffer that grows once: nothing per iteration, whatever the iteration
 * count (it was 1/N allocations, moving with the calibration). */
static void body_grows_once(perfreg_state *state)
{
    char *buf = NULL;
    PERFREG_LOOP(state) {
        if (!buf)
            buf = malloc(4096);
        perfreg_do_not_optimize(buf);
    }
    free(buf);
}

/* The same, and two allocations in every iteration. */
static void body_grows_once_and_two(perfreg_state *state)
{
    char *buf = NULL;
    PERFREG_LOOP(state) {
        char *a = malloc(10), *b = malloc(20);
        if (!buf)
            buf = malloc(4096);
        perfreg_do_not_optimize(a);
        perfreg_do_not_optimize(b);
        free(a);
        free(b);
    }
    free(buf);
}

static void check_allocs(perfreg_bench_fn fn, double count, double bytes)
{
    pr_timing_options opt;
    pr_result a = {0}, b = {0};
    quick_options(&opt, 50, 10);
    CHECK_INT(isolated(fn, &opt, 10, &a), 0);
    CHECK_INT(in_process(fn, &opt, &b), 0);
    CHECK_INT(a.status, PR_STATUS_OK);
    CHECK_INT(a.has_allocs, EXPECT_ALLOCS);
    CHECK_INT(b.has_allocs, EXPECT_ALLOCS);
    if (EXPECT_ALLOCS) {
        CHECK_NEAR(a.allocs_per_iteration, count, 0);
        CHECK_NEAR(a.alloc_bytes_per_iteration, bytes, 0);
        CHECK_NEAR(b.allocs_per_iteration, count, 0);
        CHECK_NEAR(b.alloc_bytes_per_iteration, bytes, 0);
    } else {
        CHECK_NEAR(a.allocs_per_iteration, 0, 0);
    }
    pr_result_release(&a);
    pr_result_release(&b);
}

static void test_allocs(void)
{
    CHECK_INT(pr_allocs_available(), EXPECT_ALLOCS);
    check_allocs(body_three_allocs, 3, 300);
    check_allocs(body_no_allocs, 0, 0);
    check_allocs(body_strdup_realloc, 2, 51);
    check_allocs(body_grows_once, 0, 0);
    check_allocs(body_grows_once_and_two, 2, 30);
}

static void test_allocs_not_counted_outside_the_call(void)
{
    uint64_t n = 99, bytes = 99;
    void *(*volatile alloc)(size_t) = malloc;
    void *p;
    pr_allocs_start();
    pr_allocs_stop();
    p = alloc(10);
    free(p);
    pr_allocs_read(&n, &bytes);
    CHECK_INT(n, 0);
    CHECK_INT(bytes, 0);
}

#define MIB64 ((size_t)64 << 20)

static void body_64mib(perfreg_state *state)
{
    PERFREG_LOOP(state) {
        char *p = malloc(MIB64);
        if (p)
            memset(p, 1, MIB64);
        perfreg_do_not_optimize(p);
        free(p);
    }
}

static void test_memory_64mib(void)
{
    pr_timing_options opt;
    pr_result r = {0};
    quick_options(&opt, 1, 3);
    CHECK_INT(isolated(body_64mib, &opt, 60, &r), 0);
    CHECK_INT(r.status, PR_STATUS_OK);
    CHECK_INT(r.has_memory, 1);
#ifdef UNDER_ASAN
    const int exact = 0; /* ASan's quarantine holds on to freed blocks */
#else
    const int exact = !UNDER_VALGRIND(); /* valgrind adds its shadow memory */
#endif
    if (exact)
        CHECK_NEAR((double)r.memory_bytes, 67108864.0, 0.1 * 67108864.0);
    else
        CHECK(r.memory_bytes >= 0.9 * 67108864.0);
    CHECK_INT(r.memory_bytes, r.peak_rss_bytes - r.baseline_rss_bytes);
    if (EXPECT_ALLOCS) {
        CHECK_NEAR(r.allocs_per_iteration, 1, 0);
        CHECK_NEAR(r.alloc_bytes_per_iteration, 67108864.0, 0);
    }
    pr_result_release(&r);
}

static void test_signal_names(void)
{
    char buf[128];
    pr_isolate_signal_name(SIGFPE, buf, sizeof buf);
    CHECK_CONTAINS(buf, "SIGFPE (");
    pr_isolate_signal_name(SIGKILL, buf, sizeof buf);
    CHECK_STR(buf, "SIGKILL (Killed)");
}

int main(void)
{
    if (pr_clock_probe(pr_clock_monotonic(), &clock_info) != 0)
        return 1;
    RUN_TEST(test_healthy_matches_in_process);
    RUN_TEST(test_failures);
    RUN_TEST(test_timeout);
    RUN_TEST(test_stop_flag);
    RUN_TEST(test_allocs);
    RUN_TEST(test_allocs_not_counted_outside_the_call);
    RUN_TEST(test_memory_64mib);
    RUN_TEST(test_signal_names);
    return CHECK_DONE();
}
