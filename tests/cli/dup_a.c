/* dup_a.c, dup_b.c - two files defining the same benchmark name. */
#include <perfreg.h>

PERFREG_BENCH(dup, same)
{
    PERFREG_LOOP(state) {
        perfreg_do_not_optimize(1);
    }
}
