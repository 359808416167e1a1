/*
 * workloads.c - the classic workloads shared by both harnesses.
 */
#include <stdlib.h>
#include <string.h>

#include "workloads.h"

uint64_t wl_spin(uint64_t n, uint64_t seed)
{
    uint64_t x = seed;
    while (n--)
        x = x * 6364136223846793005u + 1442695040888963407u;
    return x;
}

void wl_copy(void *dst, const void *src, size_t n)
{
    memcpy(dst, src, n);
}

uint64_t wl_fnv1a64(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 14695981039346656037u;
    while (len--) {
        h ^= *p++;
        h *= 1099511628211u;
    }
    return h;
}

void wl_fill_random(int *dst, size_t n, uint64_t seed)
{
    uint64_t x = seed;
    size_t i;
    for (i = 0; i < n; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        dst[i] = (int)(x >> 33);
    }
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

void wl_copy_and_qsort(int *dst, const int *src, size_t n)
{
    memcpy(dst, src, n * sizeof *dst);
    qsort(dst, n, sizeof *dst, cmp_int);
}
