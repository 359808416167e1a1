/*
 * fixture.c - builds the deterministic samples and runs used by the hot-path
 * benchmarks, so both harnesses measure the same work.
 */
#include <stdio.h>
#include <stdlib.h>

#include "error.h"
#include "fixture.h"
#include "strbuf.h"

double *bench_make_samples(size_t n, unsigned seed)
{
    double *s = malloc(n * sizeof *s);
    unsigned long long x = seed;
    size_t i;
    if (!s)
        return NULL;
    for (i = 0; i < n; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        s[i] = 100.0 + (double)(x >> 40) / (double)(1ull << 24) * 5.0;
        if (i % 97 == 0)
            s[i] *= 3;
    }
    return s;
}

#define SET(field, value)                                                                          \
    do {                                                                                           \
        if (!((field) = pr_strdup(value)))                                                         \
            return PR_ENOMEM;                                                                      \
    } while (0)

int bench_make_run(pr_run *run, size_t n_bench, size_t n_samples)
{
    pr_context *c = &run->context;
    size_t i;

    SET(run->suite, "fixture_suite");
    SET(c->date, "2026-11-23T08:35:00Z");
    SET(c->host, "bench-host");
    SET(c->os, "Linux");
    SET(c->kernel, "6.1.0-28-amd64");
    SET(c->arch, "x86_64");
    SET(c->cpu_model, "Intel(R) Xeon(R) CPU @ 2.10GHz");
    c->logical_cores = 2;
    SET(c->compiler, "gcc 12.2.0");
    SET(c->build_type, "Release");
    SET(c->build_flags, "-O3 -DNDEBUG");
    c->optimized = 1;
    SET(c->clock, "CLOCK_MONOTONIC");
    c->clock_cost_ns = 19.5;
    c->clock_step_ns = 10;
    c->clock_resolution_ns = 1;
    SET(c->perfreg_version, "0.1.0");
    c->min_time_s = 0.4;
    c->warmup_s = 0.05;
    c->samples = n_samples;
    SET(run->git.commit, "0123456789abcdef0123456789abcdef01234567");
    SET(run->git.short_commit, "0123456");
    SET(run->git.branch, "main");
    run->git.dirty = 0;
    SET(run->git.subject, "Make the parser faster");
    SET(run->git.commit_time, "2026-11-22T17:00:00Z");
    for (i = 0; i < n_bench; i++) {
        pr_result *r;
        char name[64];
        if (pr_run_add_result(run, &r) != 0)
            return PR_ENOMEM;
        snprintf(name, sizeof name, "group%zu/benchmark_%zu", i % 7, i);
        SET(r->name, name);
        r->iterations = 1000 + i;
        if (!(r->samples_ns = bench_make_samples(n_samples, (unsigned)i + 1)))
            return PR_ENOMEM;
        r->n_samples = n_samples;
        if (pr_stats_compute(&r->stats, r->samples_ns, n_samples) != 0)
            return PR_ENOMEM;
        if (i % 3 == 0)
            r->bytes_per_iteration = 4096;
        pr_result_derive_throughput(r);
        r->total_time_s = 0.45;
    }
    return 0;
}
