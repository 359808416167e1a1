/*
 * isolate.c - one benchmark in a child process. The child measures (timing
 * core, allocation count, ru_maxrss) and writes the result to a pipe; the
 * parent reads it with a deadline and turns whatever ended the child into a
 * result. Choosing isolation, the order of benchmarks and what a signal to
 * the suite means are the runner's and the CLI's.
 *
 * The wire format is a fixed header, the samples and the error string, in
 * the memory layout of this very program: the same binary is on both ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "isolate.h"
#include "strbuf.h"
#include "banned.h"

#define WIRE_MAGIC 0x70726973u /* "pris" */

/* What the child sends first; N_SAMPLES doubles and ERROR_LEN bytes of the
 * error string follow. */
struct wire {
    uint32_t magic;
    int32_t status;
    int32_t has_memory;
    int32_t has_allocs;
    uint64_t iterations;
    uint64_t n_samples;
    uint64_t error_len;
    pr_stats stats;
    double bytes_per_iteration;
    double items_per_iteration;
    double bytes_per_second;
    double items_per_second;
    double total_time_s;
    uint64_t baseline_rss_bytes;
    uint64_t peak_rss_bytes;
    uint64_t memory_bytes;
    double allocs_per_iteration;
    double alloc_bytes_per_iteration;
};

int pr_isolate_max_rss(uint64_t *bytes)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return pr_error_set(PR_EIO, "getrusage: %s", strerror(errno));
#ifdef __APPLE__
    *bytes = (uint64_t)ru.ru_maxrss;
#else
    *bytes = (uint64_t)ru.ru_maxrss * 1024;
#endif
    return 0;
}

void pr_isolate_signal_name(int sig, char *buf, size_t size)
{
    static const struct {
        int sig;
        const char *name;
    } names[] = {
        {SIGSEGV, "SIGSEGV"}, {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},
        {SIGILL, "SIGILL"},   {SIGTRAP, "SIGTRAP"}, {SIGSYS, "SIGSYS"},   {SIGKILL, "SIGKILL"},
        {SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"},   {SIGQUIT, "SIGQUIT"}, {SIGHUP, "SIGHUP"},
        {SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"}, {SIGUSR1, "SIGUSR1"}, {SIGUSR2, "SIGUSR2"},
        {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"},
    };
    const char *desc = strsignal(sig);
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].sig == sig) {
            if (desc && *desc)
                snprintf(buf, size, "%s (%s)", names[i].name, desc);
            else
                snprintf(buf, size, "%s", names[i].name);
            return;
        }
    if (desc && *desc)
        snprintf(buf, size, "signal %d (%s)", sig, desc);
    else
        snprintf(buf, size, "signal %d", sig);
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The child: measure, report, exit. Never returns. */
static void child_main(int fd, const pr_clock *clock, const pr_clock_info *ci,
                       const pr_timing_options *opt, const perfreg_bench_def *def, int allocs)
{
    pr_result r;
    struct wire w;
    const char *error;
    uint64_t baseline = 0, peak = 0;
    int memory_ok, err, ok;

    memset(&r, 0, sizeof r);
    memset(&w, 0, sizeof w);
    memory_ok = pr_isolate_max_rss(&baseline) == 0;
    err = pr_timing_measure(clock, ci, opt, def, &r);
    if (!err && allocs)
        err = pr_timing_count_allocs(clock, def, &r);
    memory_ok = memory_ok && pr_isolate_max_rss(&peak) == 0;
    error = err ? pr_error_last() : r.error;

    w.magic = WIRE_MAGIC;
    w.status = err ? PR_STATUS_FAILED : (int32_t)r.status;
    w.iterations = r.iterations;
    w.n_samples = err ? 0 : r.n_samples;
    w.error_len = error ? strlen(error) : 0;
    w.stats = r.stats;
    w.bytes_per_iteration = r.bytes_per_iteration;
    w.items_per_iteration = r.items_per_iteration;
    w.bytes_per_second = r.bytes_per_second;
    w.items_per_second = r.items_per_second;
    w.total_time_s = r.total_time_s;
    w.has_allocs = r.has_allocs;
    w.allocs_per_iteration = r.allocs_per_iteration;
    w.alloc_bytes_per_iteration = r.alloc_bytes_per_iteration;
    if (memory_ok) {
        w.has_memory = 1;
        w.baseline_rss_bytes = baseline;
        w.peak_rss_bytes = peak;
        w.memory_bytes = peak > baseline ? peak - baseline : 0;
    }

    /* what the benchmark printed goes out as it would have in-process */
    fflush(NULL);
    ok = write_all(fd, &w, sizeof w) == 0 &&
         write_all(fd, r.samples_ns, (size_t)w.n_samples * sizeof(double)) == 0 &&
         write_all(fd, error ? error : "", (size_t)w.error_len) == 0;
    close(fd);
    _exit(ok ? 0 : 1);
}

static int64_t now_ns(void)
{
    return pr_clock_now_ns(pr_clock_monotonic());
}

static void kill_and_reap(pid_t pid)
{
    int status;
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
}

static void format_seconds(char *buf, size_t size, double s)
{
    if (s >= 1 && s == (double)(long long)s)
        snprintf(buf, size, "%lld", (long long)s);
    else
        snprintf(buf, size, "%.3g", s);
}

enum wait_outcome { CHILD_EXITED, CHILD_TIMED_OUT, CHILD_STOPPED_BY_US };

/* Reads the child's report into BUF until end of file, then waits for the
 * child to exit, both within DEADLINE_NS (0 = none) and while *STOP stays 0.
 * The child is reaped in every outcome. Returns 0 or an error code. */
static int collect(pid_t pid, int fd, int64_t deadline_ns, const volatile sig_atomic_t *stop,
                   pr_strbuf *buf, int *status, enum wait_outcome *outcome)
{
    char chunk[65536];
    long delay_ns = 20000;
    int eof = 0;

    for (;;) {
        int64_t left_ns = deadline_ns ? deadline_ns - now_ns() : 0;
        if (stop && *stop) {
            kill_and_reap(pid);
            *outcome = CHILD_STOPPED_BY_US;
            return pr_error_set(PR_EINTERRUPTED, "interrupted");
        }
        if (deadline_ns && left_ns <= 0) {
            kill_and_reap(pid);
            *outcome = CHILD_TIMED_OUT;
            return 0;
        }
        if (!eof) {
            struct pollfd pfd = {fd, POLLIN, 0};
            int wait_ms = -1, r;
            ssize_t n;
            if (deadline_ns) {
                int64_t ms = (left_ns + 999999) / 1000000;
                wait_ms = ms > INT_MAX ? INT_MAX : (int)ms;
            }
            r = poll(&pfd, 1, wait_ms);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                int e = errno;
                kill_and_reap(pid);
                return pr_error_set(PR_EIO, "poll: %s", strerror(e));
            }
            if (r == 0)
                continue;
            n = read(fd, chunk, sizeof chunk);
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (n < 0) {
                int e = errno;
                kill_and_reap(pid);
                return pr_error_set(PR_EIO, "reading a benchmark's result: %s", strerror(e));
            }
            if (n == 0) {
                eof = 1;
                continue;
            }
            if (pr_strbuf_add(buf, chunk, (size_t)n) != 0) {
                kill_and_reap(pid);
                return pr_error_set(PR_ENOMEM, "out of memory");
            }
        } else {
            /* The pipe closes a moment before the child becomes a zombie;
             * a child that closed it and went on is still bound by the
             * deadline. */
            pid_t r = waitpid(pid, status, WNOHANG);
            if (r == pid) {
                *outcome = CHILD_EXITED;
                return 0;
            }
            if (r < 0 && errno != EINTR) {
                int e = errno;
                kill_and_reap(pid);
                return pr_error_set(PR_EIO, "waitpid: %s", strerror(e));
            }
            if (r == 0) {
                struct timespec ts = {0, delay_ns};
                nanosleep(&ts, NULL);
                if (delay_ns < 10000000)
                    delay_ns *= 2;
            }
        }
    }
}

/* Fills OUT from a complete report in BUF; 1 when BUF holds one. */
static int decode(const pr_strbuf *buf, pr_result *out, int *err)
{
    struct wire w;
    const char *p = buf->buf;
    size_t samples_len;

    *err = 0;
    if (buf->len < sizeof w)
        return 0;
    memcpy(&w, p, sizeof w);
    if (w.magic != WIRE_MAGIC || w.n_samples > (SIZE_MAX - sizeof w) / sizeof(double))
        return 0;
    samples_len = (size_t)w.n_samples * sizeof(double);
    if (w.error_len > SIZE_MAX - sizeof w - samples_len ||
        buf->len != sizeof w + samples_len + (size_t)w.error_len)
        return 0;
    p += sizeof w;
    if (w.n_samples > 0) {
        if (!(out->samples_ns = malloc(samples_len))) {
            *err = pr_error_set(PR_ENOMEM, "out of memory");
            return 1;
        }
        memcpy(out->samples_ns, p, samples_len);
    }
    p += samples_len;
    if (w.error_len > 0) {
        if (!(out->error = malloc((size_t)w.error_len + 1))) {
            *err = pr_error_set(PR_ENOMEM, "out of memory");
            return 1;
        }
        memcpy(out->error, p, (size_t)w.error_len);
        out->error[w.error_len] = '\0';
    }
    out->status = w.status == PR_STATUS_OK ? PR_STATUS_OK : PR_STATUS_FAILED;
    out->iterations = w.iterations;
    out->n_samples = (size_t)w.n_samples;
    out->stats = w.stats;
    out->bytes_per_iteration = w.bytes_per_iteration;
    out->items_per_iteration = w.items_per_iteration;
    out->bytes_per_second = w.bytes_per_second;
    out->items_per_second = w.items_per_second;
    out->total_time_s = w.total_time_s;
    out->has_memory = w.has_memory;
    out->baseline_rss_bytes = w.baseline_rss_bytes;
    out->peak_rss_bytes = w.peak_rss_bytes;
    out->memory_bytes = w.memory_bytes;
    out->has_allocs = w.has_allocs;
    out->allocs_per_iteration = w.allocs_per_iteration;
    out->alloc_bytes_per_iteration = w.alloc_bytes_per_iteration;
    return 1;
}

static int fail(pr_result *out, const char *reason)
{
    out->status = PR_STATUS_FAILED;
    if (!(out->error = pr_strdup(reason)))
        return PR_ENOMEM;
    return 0;
}

int pr_isolate_measure(const pr_clock *clock, const pr_clock_info *ci, const pr_timing_options *opt,
                       const perfreg_bench_def *def, const pr_isolate_options *iso, pr_result *out)
{
    const volatile sig_atomic_t *stop = iso ? iso->stop : NULL;
    double timeout_s = iso ? iso->timeout_s : 0;
    pr_strbuf buf = PR_STRBUF_INIT;
    enum wait_outcome outcome = CHILD_EXITED;
    int fds[2] = {-1, -1};
    int64_t start_ns;
    int status = 0, err = 0;
    char reason[256];
    pid_t pid;

    if (stop && *stop)
        return pr_error_set(PR_EINTERRUPTED, "interrupted");
    if (pipe(fds) != 0)
        return pr_error_set(PR_EIO, "cannot make a pipe for '%s': %s", def->name, strerror(errno));
    /* A process the benchmark starts (system(), popen()) must not hold the
     * write end open after the child is gone. */
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    /* Buffered output would otherwise be written by both processes. */
    fflush(NULL);
    start_ns = now_ns();
    pid = fork();
    if (pid < 0) {
        err =
            pr_error_set(PR_EIO, "cannot start a process for '%s': %s", def->name, strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return err;
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(fds[1], clock, ci, opt, def, !(iso && iso->no_allocs));
    }
    close(fds[1]);

    err = collect(pid, fds[0], timeout_s > 0 ? start_ns + (int64_t)(timeout_s * 1e9) : 0, stop,
                  &buf, &status, &outcome);
    close(fds[0]);
    if (err)
        goto done;

    if (outcome == CHILD_TIMED_OUT) {
        char secs[32];
        format_seconds(secs, sizeof secs, timeout_s);
        snprintf(reason, sizeof reason, "timed out after %s s", secs);
        err = fail(out, reason);
    } else if (WIFSIGNALED(status)) {
        char name[128];
        pr_isolate_signal_name(WTERMSIG(status), name, sizeof name);
        snprintf(reason, sizeof reason, "crashed: %s", name);
        err = fail(out, reason);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        snprintf(reason, sizeof reason, "exited with status %d before finishing",
                 WEXITSTATUS(status));
        err = fail(out, reason);
    } else if (!decode(&buf, out, &err)) {
        err = fail(out, "exited before reporting its result");
    }
    if (err == PR_ENOMEM)
        err = pr_error_set(PR_ENOMEM, "out of memory");
done:
    pr_strbuf_release(&buf);
    return err;
}
