/* dup_b.c - see dup_a.c. */
#include <perfreg.h>

PERFREG_BENCH(dup, same)
{
    PERFREG_LOOP(state) {
        perfreg_do_not_optimize(2);
    }
}
