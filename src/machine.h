/*
 * machine.h - what the run ran on: host, OS, kernel, architecture, CPU model,
 * logical cores, and the current UTC time as ISO-8601.
 */
#ifndef PR_MACHINE_H
#define PR_MACHINE_H

#include <time.h>

#include "run.h"

/* Fills date, host, os, kernel, arch, cpu_model and logical_cores of CTX
 * (strings owned by CTX); fields already set are kept. Unknown values become
 * "unknown" / 0. Returns 0 or PR_ENOMEM. */
int pr_machine_read(pr_context *ctx);

/* Formats T as "YYYY-MM-DDTHH:MM:SSZ" (UTC) into BUF (at least 21 bytes);
 * "" when T cannot be converted. */
void pr_machine_iso8601(time_t t, char *buf, size_t size);

#endif
