/*
 * tiny_suite.c - a small suite for the CLI tests. TINY_SKIP=1 in the
 * environment makes tiny/skipper fail with a reason.
 */
#include <stdlib.h>
#include <string.h>

#include <perfreg.h>

PERFREG_BENCH(tiny, barrier)
{
    PERFREG_LOOP(state) {
        perfreg_do_not_optimize(1);
    }
}

PERFREG_BENCH(tiny, memset_256)
{
    static char buf[256];
    perfreg_bytes_per_iteration(state, sizeof buf);
    PERFREG_LOOP(state) {
        memset(buf, 1, sizeof buf);
        perfreg_clobber_memory();
    }
}

PERFREG_BENCH(tiny, skipper)
{
    if (getenv("TINY_SKIP"))
        perfreg_skip(state, "TINY_SKIP is set");
    PERFREG_LOOP(state) {
        perfreg_do_not_optimize(2);
    }
}
