/*
 * allocs.c - heap allocation counting. Defines malloc, calloc, realloc and
 * free over glibc's own allocator so that the calls a benchmark makes inside
 * PERFREG_LOOP can be counted; when to count is the timing core's choice.
 *
 * The definitions are weak: a program that links its own malloc (tcmalloc,
 * jemalloc as a static library) keeps it, and pr_allocs_available() then
 * sees that ours are not the ones called and reports counting unavailable
 * rather than zeros. They forward to __libc_*, so blocks from glibc's
 * memalign family or from code that reached glibc directly can still be
 * freed through them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "allocs.h"
#include "banned.h"

/* Sanitizers and other allocator replacements interpose malloc themselves:
 * our definitions would hand their blocks to glibc's free. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PR_ALLOCS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                         \
    __has_feature(memory_sanitizer)
#define PR_ALLOCS_SANITIZED 1
#endif
#endif

#if defined(__GLIBC__) && !defined(PR_ALLOCS_SANITIZED)
#define PR_ALLOCS_ENABLED 1
#else
#define PR_ALLOCS_ENABLED 0
#endif

static volatile int counting;
static uint64_t alloc_count;
static uint64_t alloc_bytes;

void pr_allocs_start(void)
{
    __atomic_store_n(&alloc_count, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&alloc_bytes, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&counting, 1, __ATOMIC_SEQ_CST);
}

void pr_allocs_stop(void)
{
    __atomic_store_n(&counting, 0, __ATOMIC_SEQ_CST);
}

void pr_allocs_read(uint64_t *count, uint64_t *bytes)
{
    *count = __atomic_load_n(&alloc_count, __ATOMIC_RELAXED);
    *bytes = __atomic_load_n(&alloc_bytes, __ATOMIC_RELAXED);
}

#if PR_ALLOCS_ENABLED

/* glibc's allocator under its own names (exported since glibc 2.0). */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);

static inline void count(size_t size)
{
    if (__atomic_load_n(&counting, __ATOMIC_RELAXED)) {
        __atomic_fetch_add(&alloc_count, 1, __ATOMIC_RELAXED);
        __atomic_fetch_add(&alloc_bytes, (uint64_t)size, __ATOMIC_RELAXED);
    }
}

__attribute__((weak)) void *malloc(size_t size)
{
    count(size);
    return __libc_malloc(size);
}

__attribute__((weak)) void *calloc(size_t n, size_t size)
{
    /* an overflowing product fails in glibc; count what was asked */
    count(size != 0 && n > SIZE_MAX / size ? SIZE_MAX : n * size);
    return __libc_calloc(n, size);
}

__attribute__((weak)) void *realloc(void *ptr, size_t size)
{
    count(size);
    return __libc_realloc(ptr, size);
}

__attribute__((weak)) void free(void *ptr)
{
    __libc_free(ptr);
}

int pr_allocs_available(void)
{
    static int available = -1;
    if (available < 0) {
        /* Through volatile pointers, so that the compiler can neither drop
         * the pair nor bind the call to our definition when the program's
         * malloc is another one. */
        void *(*volatile alloc)(size_t) = malloc;
        void (*volatile release)(void *) = free;
        uint64_t n, bytes;
        void *p;
        pr_allocs_start();
        p = alloc(24);
        pr_allocs_stop();
        release(p);
        pr_allocs_read(&n, &bytes);
        available = n == 1 && bytes == 24;
    }
    return available;
}

#else

int pr_allocs_available(void)
{
    return 0;
}

#endif
