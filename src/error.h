/*
 * error.h - error codes and the last error message.
 *
 * Engine functions return 0 on success or a negative PR_E* code. The message
 * is kept on the side (one per thread) and the setter returns the code, so a
 * failure reads `return pr_error_set(PR_EINVALID, "'%s': ...", path);`.
 * Messages are one line, lowercase, no final full stop, subject quoted.
 */
#ifndef PR_ERROR_H
#define PR_ERROR_H

enum {
    PR_OK = 0,
    PR_EINVALID = -1,  /* bad input: a file's content, a value */
    PR_EUSAGE = -2,    /* bad command line */
    PR_ENOMEM = -3,    /* out of memory */
    PR_EIO = -4,       /* a file could not be read or written */
    PR_ENOTFOUND = -5, /* something named does not exist */
    /* a signal (SIGINT, SIGTERM) stopped the work; the CLI exits 128 + it */
    PR_EINTERRUPTED = -6
};

/* Stores the message (printf format) and returns CODE. */
int pr_error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The last message set on this thread; "" when none. Borrowed: valid until
 * the next pr_error_set or pr_error_clear. */
const char *pr_error_last(void);

void pr_error_clear(void);

/* The exit status the CLI uses for an engine code (PERFREG_EXIT_*). */
int pr_error_exit_status(int code);

#endif
