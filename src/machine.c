/*
 * machine.c - what a run ran on: host name, OS, kernel, architecture, CPU
 * model and logical cores, plus the run's start time as ISO-8601 UTC.
 *
 * Only POSIX calls (uname, gethostname, sysconf, gmtime_r) and, per system,
 * one source for the CPU model: /proc/cpuinfo on Linux, sysctl on macOS.
 * Fields the caller already set are kept; what cannot be found becomes
 * "unknown" (or 0 cores) rather than an error. The compiler, build and clock
 * fields belong to other modules.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifdef __APPLE__
/* sysctlbyname and the types <sys/sysctl.h> needs are hidden by strict
 * POSIX on macOS. */
#define _DARWIN_C_SOURCE
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#ifdef __APPLE__
#include <sys/sysctl.h>
#include <sys/types.h>
#endif

#include "error.h"
#include "machine.h"
#include "strbuf.h"
#include "banned.h"

#define UNKNOWN "unknown"

void pr_machine_iso8601(time_t t, char *buf, size_t size)
{
    struct tm tm;

    if (size == 0)
        return;
    if (!gmtime_r(&t, &tm)) {
        buf[0] = '\0';
        return;
    }
    /* Numbers only, so no locale can change the text. */
    snprintf(buf, size, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Sets *FIELD to a copy of VALUE, or of "unknown" when VALUE is NULL or
 * empty, unless the caller already set it. */
static int fill(char **field, const char *value)
{
    if (*field)
        return 0;
    if (!value || !*value)
        value = UNKNOWN;
    *field = pr_strdup(value);
    return *field ? 0 : PR_ENOMEM;
}

/* S with leading and trailing white space cut off, in place. */
static char *trim(char *s)
{
    size_t len;

    while (*s == ' ' || *s == '\t')
        s++;
    len = strlen(s);
    while (len > 0 &&
           (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        s[--len] = '\0';
    return s;
}

#if defined(__APPLE__)

static int read_cpu_model(char **model)
{
    char buf[256];
    size_t len = sizeof buf;

    if (sysctlbyname("machdep.cpu.brand_string", buf, &len, NULL, 0) != 0 || len == 0)
        return fill(model, NULL);
    buf[len < sizeof buf ? len : sizeof buf - 1] = '\0';
    return fill(model, trim(buf));
}

#else

/*
 * The CPU model from /proc/cpuinfo: the "model name" line (x86 and most
 * others), else older ARM kernels' "Processor" line, else the SoC named by
 * "Hardware". Keys are matched case-sensitively so that the per-core
 * "processor : 0" lines do not count.
 */
static int read_cpu_model(char **model)
{
    static const char *const keys[] = {"model name", "Processor", "Hardware"};
    enum { NKEYS = sizeof keys / sizeof keys[0] };
    char *found[NKEYS] = {NULL};
    char *line = NULL;
    size_t alloc = 0;
    FILE *f;
    size_t i;
    int err = 0;

    f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return fill(model, NULL);
    while (!found[0] && getline(&line, &alloc, f) != -1) {
        char *colon = strchr(line, ':');
        char *key, *value;

        if (!colon)
            continue;
        *colon = '\0';
        key = trim(line);
        value = trim(colon + 1);
        for (i = 0; i < NKEYS; i++) {
            if (found[i] || *value == '\0' || strcmp(key, keys[i]) != 0)
                continue;
            found[i] = pr_strdup(value);
            if (!found[i]) {
                err = PR_ENOMEM;
                goto done;
            }
        }
    }
    for (i = 0; i < NKEYS; i++)
        if (found[i])
            break;
    err = fill(model, i < NKEYS ? found[i] : NULL);
done:
    for (i = 0; i < NKEYS; i++)
        free(found[i]);
    free(line);
    fclose(f);
    return err;
}

#endif

static int read_cores(void)
{
#ifdef _SC_NPROCESSORS_ONLN
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    if (n > 0 && n <= 1L << 30)
        return (int)n;
#endif
    return 0;
}

int pr_machine_read(pr_context *ctx)
{
    struct utsname uts;
    int have_uts = uname(&uts) >= 0;
    char host[256];
    int err;

    if (!ctx->date) {
        char date[32];
        pr_machine_iso8601(time(NULL), date, sizeof date);
        if ((err = fill(&ctx->date, date)) < 0)
            return err;
    }

    if (!ctx->host) {
        /* POSIX leaves a truncated name's terminator unspecified. */
        if (gethostname(host, sizeof host) != 0)
            host[0] = '\0';
        host[sizeof host - 1] = '\0';
        if ((err = fill(&ctx->host, host)) < 0)
            return err;
    }

    if ((err = fill(&ctx->os, have_uts ? uts.sysname : NULL)) < 0 ||
        (err = fill(&ctx->kernel, have_uts ? uts.release : NULL)) < 0 ||
        (err = fill(&ctx->arch, have_uts ? uts.machine : NULL)) < 0)
        return err;

    if (!ctx->cpu_model && (err = read_cpu_model(&ctx->cpu_model)) < 0)
        return err;

    if (ctx->logical_cores == 0)
        ctx->logical_cores = read_cores();
    return 0;
}
