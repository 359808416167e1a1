/* bench.c - the out-of-tree project's suite: one benchmark. */
#include <stddef.h>
#include <stdint.h>

#include <perfreg.h>

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 14695981039346656037u;
    while (n--)
        h = (h ^ *p++) * 1099511628211u;
    return h;
}

PERFREG_BENCH(hash, fnv1a_256)
{
    unsigned char buf[256];
    size_t i;

    for (i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)i;
    perfreg_bytes_per_iteration(state, sizeof buf);
    PERFREG_LOOP(state) {
        perfreg_do_not_optimize(fnv1a(buf, sizeof buf));
    }
}
