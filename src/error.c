/*
 * error.c - the last error message, one per thread, and the mapping from
 * engine codes to exit statuses. Printing is left to the CLI.
 */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"
#include "perfreg.h"
#include "banned.h"

static _Thread_local char last_message[1024];

int pr_error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    va_end(ap);
    return code;
}

const char *pr_error_last(void)
{
    return last_message;
}

void pr_error_clear(void)
{
    last_message[0] = '\0';
}

int pr_error_exit_status(int code)
{
    return code == 0 ? PERFREG_EXIT_OK : PERFREG_EXIT_USAGE;
}
