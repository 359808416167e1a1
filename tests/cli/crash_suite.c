/*
 * crash_suite.c - a suite for the isolation CLI tests: three benchmarks that
 * crash or never end, two healthy ones around them. CRASH_PIDFILE in the
 * environment makes crash/forever write its process id there first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <perfreg.h>

PERFREG_BENCH(ok, one)
{
    PERFREG_LOOP(state) {
        perfreg_do_not_optimize(1);
    }
}

/* not instrumented: UBSan would report the null write before the fault */
__attribute__((no_sanitize("undefined"))) static void poke(int *p)
{
    *p = 1;
}

PERFREG_BENCH(crash, segv)
{
    int *volatile p = NULL;
    PERFREG_LOOP(state) {
        poke(p);
    }
}

PERFREG_BENCH(crash, abort)
{
    PERFREG_LOOP(state) {
        abort();
    }
}

PERFREG_BENCH(crash, forever)
{
    const char *pidfile = getenv("CRASH_PIDFILE");
    if (pidfile) {
        FILE *f = fopen(pidfile, "w");
        if (f) {
            fprintf(f, "%ld\n", (long)getpid());
            fclose(f);
        }
    }
    PERFREG_LOOP(state) {
        for (;;)
            perfreg_clobber_memory();
    }
}

/* one heap block of 64 bytes per iteration */
PERFREG_BENCH(ok, two)
{
    PERFREG_LOOP(state) {
        char *p = malloc(64);
        perfreg_do_not_optimize(p);
        free(p);
    }
}
