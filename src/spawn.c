/*
 * spawn.c - another program as a child: fork, exec, its output read from
 * pipes (or sent to a log file) while a deadline and a stop flag are
 * watched, then its end. Deciding what to run and what its output says is
 * the caller's (ab.c, build.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "error.h"
#include "isolate.h"
#include "spawn.h"
#include "banned.h"

#define DEFAULT_MAX_OUTPUT ((size_t)64 << 20)
#define ERR_TAIL 4096
/* how often a stop flag is looked at while the child is quiet */
#define POLL_MS 50

void pr_spawn_result_init(pr_spawn_result *r)
{
    memset(r, 0, sizeof *r);
    pr_strbuf_init(&r->out);
    pr_strbuf_init(&r->err_tail);
}

void pr_spawn_result_release(pr_spawn_result *r)
{
    if (!r)
        return;
    pr_strbuf_release(&r->out);
    pr_strbuf_release(&r->err_tail);
    memset(r, 0, sizeof *r);
}

static int64_t now_ns(void)
{
    return pr_clock_now_ns(pr_clock_monotonic());
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* The child's side: never returns. ERR_FD gets errno when exec fails. */
static void child(char *const argv[], const pr_spawn_options *opt, int out_fd, int err_fd,
                  int exec_fd)
{
    int null_fd = open("/dev/null", O_RDONLY);
    int e;

    setpgid(0, 0);
    if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
        dup2(err_fd, STDERR_FILENO) < 0 || (opt->dir && chdir(opt->dir) != 0)) {
        e = errno;
        (void)!write(exec_fd, &e, sizeof e);
        _exit(127);
    }
    execv(argv[0], argv);
    e = errno;
    (void)!write(exec_fd, &e, sizeof e);
    _exit(127);
}

/* Keeps the last ERR_TAIL bytes of standard error. */
static int keep_tail(pr_strbuf *tail, const char *data, size_t n)
{
    if (n >= ERR_TAIL) {
        pr_strbuf_reset(tail);
        return pr_strbuf_add(tail, data + n - ERR_TAIL, ERR_TAIL);
    }
    if (tail->len + n > ERR_TAIL) {
        size_t drop = tail->len + n - ERR_TAIL;
        memmove(tail->buf, tail->buf + drop, tail->len - drop);
        tail->len -= drop;
        tail->buf[tail->len] = '\0';
    }
    return pr_strbuf_add(tail, data, n);
}

static void kill_group(pid_t pid)
{
    int status;
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
}

int pr_spawn_run(char *const argv[], const pr_spawn_options *opt, pr_spawn_result *res)
{
    static const pr_spawn_options defaults;
    int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1}, exec_pipe[2] = {-1, -1};
    int log_fd = -1, err = 0, status = 0, exec_errno = 0;
    size_t max_output;
    int64_t start_ns, deadline_ns;
    char chunk[65536];
    pid_t pid;
    ssize_t n;

    if (!opt)
        opt = &defaults;
    max_output = opt->max_output ? opt->max_output : DEFAULT_MAX_OUTPUT;
    if (opt->stop && *opt->stop)
        return pr_error_set(PR_EINTERRUPTED, "interrupted");
    if (opt->log_path) {
        log_fd = open(opt->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (log_fd < 0)
            return pr_error_set(PR_EIO, "cannot write '%s': %s", opt->log_path, strerror(errno));
    } else if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
        err = pr_error_set(PR_EIO, "cannot make a pipe: %s", strerror(errno));
        goto done;
    }
    if (pipe(exec_pipe) != 0) {
        err = pr_error_set(PR_EIO, "cannot make a pipe: %s", strerror(errno));
        goto done;
    }
    /* only the child's dup2'ed copies survive exec */
    fcntl(exec_pipe[1], F_SETFD, FD_CLOEXEC);
    fcntl(exec_pipe[0], F_SETFD, FD_CLOEXEC);
    if (!opt->log_path) {
        fcntl(out_pipe[0], F_SETFD, FD_CLOEXEC);
        fcntl(out_pipe[1], F_SETFD, FD_CLOEXEC);
        fcntl(err_pipe[0], F_SETFD, FD_CLOEXEC);
        fcntl(err_pipe[1], F_SETFD, FD_CLOEXEC);
    }
    fflush(NULL);
    start_ns = now_ns();
    deadline_ns = opt->timeout_s > 0 ? start_ns + (int64_t)(opt->timeout_s * 1e9) : 0;
    pid = fork();
    if (pid < 0) {
        err = pr_error_set(PR_EIO, "cannot start '%s': %s", argv[0], strerror(errno));
        goto done;
    }
    if (pid == 0)
        child(argv, opt, opt->log_path ? log_fd : out_pipe[1],
              opt->log_path ? log_fd : err_pipe[1], exec_pipe[1]);
    setpgid(pid, pid);
    close_fd(&exec_pipe[1]);
    close_fd(&out_pipe[1]);
    close_fd(&err_pipe[1]);
    close_fd(&log_fd);
    /* exec closes the pipe (no bytes); a failure sends errno first */
    while ((n = read(exec_pipe[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR)
        ;
    close_fd(&exec_pipe[0]);
    if (n == (ssize_t)sizeof exec_errno) {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        err = pr_error_set(PR_ENOTFOUND, "cannot run '%s': %s", argv[0], strerror(exec_errno));
        goto done;
    }

    for (;;) {
        struct pollfd pfd[2];
        int nfd = 0, wait_ms = POLL_MS, r, i;
        if (opt->stop && *opt->stop) {
            kill_group(pid);
            err = pr_error_set(PR_EINTERRUPTED, "interrupted");
            goto done;
        }
        if (deadline_ns && now_ns() >= deadline_ns) {
            kill_group(pid);
            res->timed_out = 1;
            res->exited = 0;
            res->signal = SIGKILL;
            break;
        }
        if (out_pipe[0] >= 0)
            pfd[nfd++] = (struct pollfd){out_pipe[0], POLLIN, 0};
        if (err_pipe[0] >= 0)
            pfd[nfd++] = (struct pollfd){err_pipe[0], POLLIN, 0};
        if (nfd == 0) {
            /* both closed: wait for the end, still bound by the deadline */
            pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid) {
                res->exited = WIFEXITED(status);
                res->status = res->exited ? WEXITSTATUS(status) : 0;
                res->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
                break;
            }
            if (w < 0 && errno != EINTR) {
                int e = errno;
                kill_group(pid);
                err = pr_error_set(PR_EIO, "waitpid: %s", strerror(e));
                goto done;
            }
            {
                struct timespec ts = {0, 2000000};
                nanosleep(&ts, NULL);
            }
            continue;
        }
        r = poll(pfd, (nfds_t)nfd, wait_ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            kill_group(pid);
            err = pr_error_set(PR_EIO, "poll: %s", strerror(e));
            goto done;
        }
        for (i = 0; i < nfd; i++) {
            int is_out = pfd[i].fd == out_pipe[0];
            if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            n = read(pfd[i].fd, chunk, sizeof chunk);
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (n <= 0) {
                if (is_out)
                    close_fd(&out_pipe[0]);
                else
                    close_fd(&err_pipe[0]);
                continue;
            }
            if (is_out && res->out.len + (size_t)n > max_output) {
                kill_group(pid);
                err = pr_error_set(PR_EINVALID, "'%s' wrote more than %zu bytes", argv[0],
                                   max_output);
                goto done;
            }
            if ((is_out ? pr_strbuf_add(&res->out, chunk, (size_t)n)
                        : keep_tail(&res->err_tail, chunk, (size_t)n)) != 0) {
                kill_group(pid);
                err = pr_error_set(PR_ENOMEM, "out of memory");
                goto done;
            }
        }
    }
    res->wall_s = (double)(now_ns() - start_ns) / 1e9;
done:
    close_fd(&out_pipe[0]);
    close_fd(&out_pipe[1]);
    close_fd(&err_pipe[0]);
    close_fd(&err_pipe[1]);
    close_fd(&exec_pipe[0]);
    close_fd(&exec_pipe[1]);
    close_fd(&log_fd);
    return err;
}

void pr_spawn_describe(const pr_spawn_result *res, double timeout_s, char *buf, size_t size)
{
    char name[128];

    if (res->timed_out) {
        snprintf(buf, size, "timed out after %g s", timeout_s);
    } else if (res->exited) {
        snprintf(buf, size, "exited with status %d", res->status);
    } else {
        pr_isolate_signal_name(res->signal, name, sizeof name);
        snprintf(buf, size, "killed by %s", name);
    }
}
