/*
 * results.c - the JSON document of a run (docs/json-format.md), written from
 * a pr_run and read back into one; the same run as it travels in a git note
 * (several runs, statistics without samples unless asked); and the
 * comparison and history documents, which are only written. With json.c
 * (strict parsing) and import.c, the files that see cJSON: the rest of
 * perfreg sees pr_run. Reading and writing
 * the notes themselves is gitmeta's.
 *
 * Results files come from disk, from other machines and from other perfreg
 * versions, so reading is strict: every field is type-checked and named in
 * the error, and the statistics are recomputed from the samples instead of
 * trusted (a note recorded without samples has only its statistics: those
 * are checked and taken). The writer refuses what the reader would refuse,
 * so a file perfreg writes always reads back. Where the files live is the
 * store's business.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "compare.h"
#include "error.h"
#include "history.h"
#include "import.h"
#include "json.h"
#include "results.h"
#include "run.h"
#include "stats.h"
#include "strbuf.h"
#include "threshold.h"
#include "banned.h"

/* Integers travel as JSON numbers read into doubles, exact up to 2^53. */
#define MAX_JSON_INT UINT64_C(9007199254740992)
/* A benchmark name quoted in a message, escaped and clipped */
#define MESSAGE_NAME_SIZE 128

/* ---- text helpers shared by both directions ---- */

/*
 * NAME as it may appear in a one-line message: control characters escaped
 * (\n, \t, \r, \e, \xNN), clipped to fit BUF with "..." at its end. A
 * name comes from a file, so it must neither break the line nor act on the
 * terminal the message goes to.
 */
static void message_name(char *buf, size_t size, const char *name)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)name;
    size_t len = 0;

    for (; *p; p++) {
        char esc[5];
        size_t n = 0;

        if (*p >= 0x20 && *p != 0x7f) {
            esc[n++] = (char)*p;
        } else {
            esc[n++] = '\\';
            switch (*p) {
            case '\n':
                esc[n++] = 'n';
                break;
            case '\t':
                esc[n++] = 't';
                break;
            case '\r':
                esc[n++] = 'r';
                break;
            case 0x1b:
                esc[n++] = 'e';
                break;
            default:
                esc[n++] = 'x';
                esc[n++] = hex[*p >> 4];
                esc[n++] = hex[*p & 0xf];
            }
        }
        /* room for this, "..." and the NUL */
        if (len + n + 4 > size) {
            /* never cut a UTF-8 sequence: drop its start too */
            if ((*p & 0xc0) == 0x80) {
                while (len > 0 && ((unsigned char)buf[len - 1] & 0xc0) == 0x80)
                    len--;
                if (len > 0)
                    len--;
            }
            if (size >= 4) {
                memcpy(buf + len, "...", 3);
                len += 3;
            }
            break;
        }
        memcpy(buf + len, esc, n);
        len += n;
    }
    if (size > 0)
        buf[len < size ? len : size - 1] = '\0';
}

/* ---- writing ---- */

typedef struct writer {
    int err; /* the first failure; later steps do nothing */
} writer;

static int write_error(writer *w, const char *where, const char *key, const char *what)
{
    if (!w->err)
        w->err = pr_error_set(PR_EINVALID, "cannot write results: %s%s%s: %s", where,
                              *where && key ? "." : "", key ? key : "", what);
    return w->err;
}

/* Hangs ITEM under PARENT (as KEY, or appended when KEY is NULL) and returns
 * it; deletes it and returns NULL after any failure. KEY is a literal. */
static cJSON *attach(writer *w, cJSON *parent, const char *key, cJSON *item)
{
    int ok;

    if (w->err || !item) {
        cJSON_Delete(item);
        if (!w->err)
            w->err = pr_error_set(PR_ENOMEM, "out of memory");
        return NULL;
    }
    ok = key ? cJSON_AddItemToObjectCS(parent, key, item) : cJSON_AddItemToArray(parent, item);
    if (!ok) {
        cJSON_Delete(item);
        w->err = pr_error_set(PR_ENOMEM, "out of memory");
        return NULL;
    }
    return item;
}

/* Numbers go in as raw text so the printer writes exactly what we formatted. */
static void put_raw_double(writer *w, cJSON *parent, const char *key, double d)
{
    char text[40];

    pr_format_double(text, sizeof text, d);
    attach(w, parent, key, cJSON_CreateRaw(text));
}

/* Every number in the document is finite and non-negative. */
static void put_double(writer *w, cJSON *parent, const char *where, const char *key, double d)
{
    char what[80];

    if (w->err)
        return;
    if (!isfinite(d) || d < 0) {
        snprintf(what, sizeof what, "expected a non-negative finite number, got %g", d);
        write_error(w, where, key, what);
        return;
    }
    put_raw_double(w, parent, key, d);
}

static void put_uint(writer *w, cJSON *parent, const char *where, const char *key, uint64_t v)
{
    char text[32], what[96];

    if (w->err)
        return;
    if (v > MAX_JSON_INT) {
        snprintf(what, sizeof what, "%" PRIu64 " is out of range (at most %" PRIu64 ")", v,
                 MAX_JSON_INT);
        write_error(w, where, key, what);
        return;
    }
    snprintf(text, sizeof text, "%" PRIu64, v);
    attach(w, parent, key, cJSON_CreateRaw(text));
}

static void put_string(writer *w, cJSON *parent, const char *key, const char *s)
{
    attach(w, parent, key, s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

/* 1 / 0 / -1 as true / false / null. */
static void put_tristate(writer *w, cJSON *parent, const char *key, int v)
{
    attach(w, parent, key, v < 0 ? cJSON_CreateNull() : cJSON_CreateBool(v != 0));
}

static void build_context(writer *w, cJSON *root, const pr_context *c)
{
    cJSON *ctx = attach(w, root, "context", cJSON_CreateObject());
    cJSON *clock, *options;

    put_string(w, ctx, "date", c->date);
    put_string(w, ctx, "host", c->host);
    put_string(w, ctx, "os", c->os);
    put_string(w, ctx, "kernel", c->kernel);
    put_string(w, ctx, "arch", c->arch);
    put_string(w, ctx, "cpu_model", c->cpu_model);
    if (c->logical_cores < 0)
        write_error(w, "context", "logical_cores", "expected a non-negative count");
    else
        put_uint(w, ctx, "context", "logical_cores", (uint64_t)c->logical_cores);
    put_string(w, ctx, "compiler", c->compiler);
    put_string(w, ctx, "build_type", c->build_type);
    put_string(w, ctx, "build_flags", c->build_flags);
    put_tristate(w, ctx, "optimized", c->optimized);
    clock = attach(w, ctx, "clock", cJSON_CreateObject());
    put_string(w, clock, "name", c->clock);
    put_double(w, clock, "context.clock", "cost_ns", c->clock_cost_ns);
    put_double(w, clock, "context.clock", "step_ns", c->clock_step_ns);
    put_double(w, clock, "context.clock", "resolution_ns", c->clock_resolution_ns);
    put_string(w, ctx, "perfreg_version", c->perfreg_version);
    options = attach(w, ctx, "options", cJSON_CreateObject());
    put_double(w, options, "context.options", "min_time_s", c->min_time_s);
    put_double(w, options, "context.options", "warmup_s", c->warmup_s);
    put_uint(w, options, "context.options", "samples", c->samples);
    put_uint(w, options, "context.options", "iterations", c->iterations);
    if (c->processes > 0)
        put_uint(w, options, "context.options", "processes", c->processes);
    if (c->runs > 1)
        put_uint(w, ctx, "context", "runs", c->runs);
}

static void build_git(writer *w, cJSON *root, const pr_git_info *g)
{
    cJSON *git = attach(w, root, "git", cJSON_CreateObject());

    put_string(w, git, "commit", g->commit);
    put_string(w, git, "short_commit", g->short_commit);
    put_string(w, git, "branch", g->branch);
    put_tristate(w, git, "dirty", g->dirty);
    put_string(w, git, "subject", g->subject);
    put_string(w, git, "commit_time", g->commit_time);
    put_string(w, git, "author_time", g->author_time);
}

/*
 * A results file carries every sample; a git note carries the statistics
 * and, only when asked, the samples (docs/json-format.md, "The note
 * document").
 */
typedef enum write_mode { WRITE_FILE, WRITE_NOTE, WRITE_NOTE_SAMPLES } write_mode;

/*
 * What is wrong with statistics a note carries instead of samples, with the
 * field it concerns, or NULL. The reader trusts such statistics, so both
 * directions check them: a count of at least 1 and quantiles in order.
 * Means are not checked against the extremes: summing can move them by an
 * ulp.
 */
/* Why R's per-second throughput (per iteration / mean in seconds) cannot be
 * written or read, naming the field in *FIELD, or NULL. Reader and writer
 * share it: pr_result_derive_throughput would quietly report 0. */
static const char *throughput_problem(const pr_result *r, const char **field)
{
    double mean_s = r->stats.mean_ns / 1e9;

    if (!(mean_s > 0)) /* no statistics, or a zero mean: no throughput */
        return NULL;
    *field = "bytes_per_iteration";
    if (!isfinite(r->bytes_per_iteration / mean_s))
        return "bytes per second would overflow";
    *field = "items_per_iteration";
    if (!isfinite(r->items_per_iteration / mean_s))
        return "items per second would overflow";
    return NULL;
}

static const char *stats_problem(const pr_stats *s, const char **field)
{
    const struct {
        int bad;
        const char *field, *message;
    } checks[] = {
        {s->n == 0, "n", "expected at least 1"},
        {s->outliers_mild > s->n || s->outliers_severe > s->n - s->outliers_mild, "outliers_severe",
         "outliers_mild and outliers_severe add up to more than n"},
        {s->q1_ns < s->min_ns, "q1_ns", "below min_ns"},
        {s->median_ns < s->q1_ns, "median_ns", "below q1_ns"},
        {s->q3_ns < s->median_ns, "q3_ns", "below median_ns"},
        {s->max_ns < s->q3_ns, "max_ns", "below q3_ns"},
    };
    size_t i;

    for (i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        if (checks[i].bad) {
            *field = checks[i].field;
            return checks[i].message;
        }
    }
    return NULL;
}

/* The statistics S as an object under KEY of PARENT (NULL: appended to an
 * array), AT naming it in errors. */
static void build_stats_object(writer *w, cJSON *parent, const char *key, const char *at,
                               const pr_stats *s)
{
    cJSON *stats = attach(w, parent, key, cJSON_CreateObject());

    put_uint(w, stats, at, "n", s->n);
    put_double(w, stats, at, "min_ns", s->min_ns);
    put_double(w, stats, at, "max_ns", s->max_ns);
    put_double(w, stats, at, "mean_ns", s->mean_ns);
    put_double(w, stats, at, "median_ns", s->median_ns);
    put_double(w, stats, at, "stddev_ns", s->stddev_ns);
    put_double(w, stats, at, "q1_ns", s->q1_ns);
    put_double(w, stats, at, "q3_ns", s->q3_ns);
    put_double(w, stats, at, "iqr_ns", s->iqr_ns);
    put_double(w, stats, at, "mad_ns", s->mad_ns);
    put_double(w, stats, at, "cv", s->cv);
    put_double(w, stats, at, "ops_per_second", s->ops_per_second);
    put_uint(w, stats, at, "outliers_mild", s->outliers_mild);
    put_uint(w, stats, at, "outliers_severe", s->outliers_severe);
}

static void build_stats(writer *w, cJSON *bench, const char *where, const pr_stats *s)
{
    char at[64];
    snprintf(at, sizeof at, "%s.stats", where);
    build_stats_object(w, bench, "stats", at, s);
}

/* "run_stats": each run's statistics, for a baseline of several runs. */
static void build_run_stats(writer *w, cJSON *bench, const char *where, const pr_result *r)
{
    cJSON *list;
    const char *field, *problem;
    char at[80];
    size_t i;

    if (r->n_runs < 2)
        return;
    list = attach(w, bench, "run_stats", cJSON_CreateArray());
    for (i = 0; i < r->n_runs && !w->err; i++) {
        snprintf(at, sizeof at, "%s.run_stats[%zu]", where, i);
        if ((problem = stats_problem(&r->run_stats[i], &field)) != NULL) {
            write_error(w, at, field, problem);
            break;
        }
        build_stats_object(w, list, NULL, at, &r->run_stats[i]);
    }
}

/* "memory": the figures behind the memory metric, only when measured. */
static void build_memory(writer *w, cJSON *bench, const char *where, const pr_result *r)
{
    char at[64];
    cJSON *obj;

    if (!r->has_memory)
        return;
    snprintf(at, sizeof at, "%s.memory", where);
    /* the reader refuses it: memory_bytes is what the benchmark added to
     * the peak, never more than the peak itself */
    if (r->memory_bytes > r->peak_rss_bytes)
        write_error(w, at, "memory_bytes", "more than peak_rss_bytes");
    obj = attach(w, bench, "memory", cJSON_CreateObject());
    put_uint(w, obj, at, "peak_rss_bytes", r->peak_rss_bytes);
    put_uint(w, obj, at, "baseline_rss_bytes", r->baseline_rss_bytes);
    put_uint(w, obj, at, "memory_bytes", r->memory_bytes);
}

/* "allocs": the heap allocations counted per iteration, only when counted. */
static void build_allocs(writer *w, cJSON *bench, const char *where, const pr_result *r)
{
    char at[64];
    cJSON *obj;

    if (!r->has_allocs)
        return;
    snprintf(at, sizeof at, "%s.allocs", where);
    obj = attach(w, bench, "allocs", cJSON_CreateObject());
    put_double(w, obj, at, "per_iteration", r->allocs_per_iteration);
    put_double(w, obj, at, "bytes_per_iteration", r->alloc_bytes_per_iteration);
}

/* "counters": {name: number}, only when the result has some. A counter may
 * be negative; the names pass the reader's checks. */
static void build_counters(writer *w, cJSON *bench, const char *where, const pr_result *r)
{
    char what[96], name[MESSAGE_NAME_SIZE];
    cJSON *obj;
    size_t i, first = 0, second = 0;
    int found;

    if (r->n_counters == 0)
        return;
    for (i = 0; i < r->n_counters && !w->err; i++) {
        const pr_counter *c = &r->counters[i];
        snprintf(what, sizeof what, "counters[%zu]", i);
        if (!c->name || !*c->name || pr_name_control(c->name) >= 0 || !pr_json_utf8_valid(c->name))
            write_error(w, where, what, "a counter needs a UTF-8 name without control characters");
        else if (!isfinite(c->value))
            write_error(w, where, what, "expected a finite number");
    }
    if (w->err)
        return;
    found = pr_names_duplicate(r->counters, r->n_counters, sizeof *r->counters,
                               offsetof(pr_counter, name), &first, &second);
    if (found < 0) {
        w->err = found;
    } else if (found) {
        char message[MESSAGE_NAME_SIZE + 64];

        message_name(name, sizeof name, r->counters[second].name);
        snprintf(message, sizeof message, "duplicate counter name '%s'", name);
        write_error(w, where, "counters", message);
    }
    obj = attach(w, bench, "counters", cJSON_CreateObject());
    for (i = 0; i < r->n_counters && !w->err; i++) {
        char text[PR_DOUBLE_SIZE];
        cJSON *item;

        pr_format_double(text, sizeof text, r->counters[i].value);
        /* the names are not literals: cJSON copies them */
        item = cJSON_CreateRaw(text);
        if (!item || !cJSON_AddItemToObject(obj, r->counters[i].name, item)) {
            cJSON_Delete(item);
            w->err = pr_error_set(PR_ENOMEM, "out of memory");
        }
    }
}

static void build_process_samples(writer *w, cJSON *bench, const char *where, const pr_result *r)
{
    cJSON *list = attach(w, bench, "process_samples", cJSON_CreateArray());
    size_t i, sum = 0;

    for (i = 0; i < r->n_processes && !w->err; i++) {
        sum += r->process_samples[i];
        put_uint(w, list, where, NULL, r->process_samples[i]);
    }
    if (sum != r->n_samples)
        write_error(w, where, "process_samples", "the counts do not sum to the samples");
}

static void build_result(writer *w, cJSON *list, const pr_result *r, size_t index, write_mode mode)
{
    char where[48], what[96];
    cJSON *bench = attach(w, list, NULL, cJSON_CreateObject());
    cJSON *samples;
    const char *field, *problem;
    /* A result read from a note without samples, or imported from a tool
     * that gave statistics only, has only its statistics. */
    int has_stats = r->n_samples > 0 || r->stats.n > 0;
    int with_samples = mode == WRITE_FILE ? r->n_samples > 0 || !has_stats
                                          : mode == WRITE_NOTE_SAMPLES && r->n_samples > 0;
    size_t i;

    snprintf(where, sizeof where, "benchmarks[%zu]", index);
    if (!r->name || !*r->name)
        write_error(w, where, "name", "a benchmark needs a non-empty name");
    else if (pr_name_control(r->name) >= 0)
        write_error(w, where, "name", "contains a control character");
    if (r->status != PR_STATUS_OK && r->status != PR_STATUS_FAILED)
        write_error(w, where, "status", "unknown status");
    if (r->status == PR_STATUS_OK && r->iterations == 0)
        write_error(w, where, "iterations_per_sample", "an \"ok\" benchmark runs at least 1");
    if (r->status == PR_STATUS_OK && !has_stats)
        write_error(w, where, "samples_ns", "an \"ok\" benchmark needs at least one sample");
    if (r->n_samples > 0 && !r->samples_ns)
        write_error(w, where, "samples_ns", "samples are missing");
    /* Statistics the reader will take as they are must pass its checks. */
    if (has_stats && !with_samples && (problem = stats_problem(&r->stats, &field)) != NULL) {
        snprintf(what, sizeof what, "stats.%s", field);
        write_error(w, where, what, problem);
    }
    if (has_stats && (problem = throughput_problem(r, &field)) != NULL)
        write_error(w, where, field, problem);
    put_string(w, bench, "name", r->name);
    put_string(w, bench, "status", r->status == PR_STATUS_OK ? "ok" : "failed");
    put_string(w, bench, "error", r->error);
    put_uint(w, bench, where, "iterations_per_sample", r->iterations);
    if (with_samples) {
        samples = attach(w, bench, "samples_ns", cJSON_CreateArray());
        for (i = 0; i < r->n_samples && !w->err; i++) {
            double x = r->samples_ns[i];
            if (!isfinite(x) || x < 0) {
                snprintf(what, sizeof what, "samples_ns[%zu]", i);
                write_error(w, where, what, "expected a non-negative finite number");
                break;
            }
            put_raw_double(w, samples, NULL, x);
        }
        if (r->n_processes > 1)
            build_process_samples(w, bench, where, r);
    }
    if (has_stats)
        build_stats(w, bench, where, &r->stats);
    else
        attach(w, bench, "stats", cJSON_CreateNull());
    if (r->bytes_per_iteration != 0) {
        put_double(w, bench, where, "bytes_per_iteration", r->bytes_per_iteration);
        put_double(w, bench, where, "bytes_per_second", r->bytes_per_second);
    }
    if (r->items_per_iteration != 0) {
        put_double(w, bench, where, "items_per_iteration", r->items_per_iteration);
        put_double(w, bench, where, "items_per_second", r->items_per_second);
    }
    put_double(w, bench, where, "total_time_s", r->total_time_s);
    build_run_stats(w, bench, where, r);
    build_memory(w, bench, where, r);
    build_allocs(w, bench, where, r);
    build_counters(w, bench, where, r);
}

/* ---- printing: 2-space indentation, arrays of scalars on one line ---- */

static void print_string(pr_strbuf *sb, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);

    pr_strbuf_addch(sb, '"');
    while (left > 0) {
        size_t n = 1;
        switch (*p) {
        case '"':
            pr_strbuf_adds(sb, "\\\"");
            break;
        case '\\':
            pr_strbuf_adds(sb, "\\\\");
            break;
        case '\b':
            pr_strbuf_adds(sb, "\\b");
            break;
        case '\f':
            pr_strbuf_adds(sb, "\\f");
            break;
        case '\n':
            pr_strbuf_adds(sb, "\\n");
            break;
        case '\r':
            pr_strbuf_adds(sb, "\\r");
            break;
        case '\t':
            pr_strbuf_adds(sb, "\\t");
            break;
        default:
            if (*p < 0x20) {
                pr_strbuf_addf(sb, "\\u%04x", *p);
            } else if ((n = pr_json_utf8_sequence(p, left)) > 0) {
                pr_strbuf_add(sb, p, n);
            } else {
                /* Host names and commit subjects in legacy encodings must
                 * not make the file invalid: U+FFFD per bad byte. */
                pr_strbuf_adds(sb, "\xef\xbf\xbd");
                n = 1;
            }
        }
        p += n;
        left -= n;
    }
    pr_strbuf_addch(sb, '"');
}

static int is_container(const cJSON *item)
{
    return cJSON_IsArray(item) || cJSON_IsObject(item);
}

static void print_value(pr_strbuf *sb, const cJSON *item, size_t depth)
{
    const cJSON *c;
    char text[40];
    int inline_array = 1;

    if (cJSON_IsRaw(item)) {
        pr_strbuf_adds(sb, item->valuestring);
    } else if (cJSON_IsString(item)) {
        print_string(sb, item->valuestring);
    } else if (cJSON_IsNumber(item)) {
        pr_format_double(text, sizeof text, item->valuedouble);
        pr_strbuf_adds(sb, text);
    } else if (cJSON_IsTrue(item)) {
        pr_strbuf_adds(sb, "true");
    } else if (cJSON_IsFalse(item)) {
        pr_strbuf_adds(sb, "false");
    } else if (cJSON_IsArray(item)) {
        for (c = item->child; c; c = c->next)
            if (is_container(c))
                inline_array = 0;
        pr_strbuf_addch(sb, '[');
        for (c = item->child; c; c = c->next) {
            if (!inline_array) {
                pr_strbuf_addch(sb, '\n');
                pr_strbuf_addrep(sb, "  ", depth + 1);
            }
            print_value(sb, c, depth + 1);
            if (c->next)
                pr_strbuf_adds(sb, inline_array ? ", " : ",");
        }
        if (!inline_array && item->child) {
            pr_strbuf_addch(sb, '\n');
            pr_strbuf_addrep(sb, "  ", depth);
        }
        pr_strbuf_addch(sb, ']');
    } else if (cJSON_IsObject(item)) {
        pr_strbuf_addch(sb, '{');
        for (c = item->child; c; c = c->next) {
            pr_strbuf_addch(sb, '\n');
            pr_strbuf_addrep(sb, "  ", depth + 1);
            print_string(sb, c->string);
            pr_strbuf_adds(sb, ": ");
            print_value(sb, c, depth + 1);
            if (c->next)
                pr_strbuf_addch(sb, ',');
        }
        if (item->child) {
            pr_strbuf_addch(sb, '\n');
            pr_strbuf_addrep(sb, "  ", depth);
        }
        pr_strbuf_addch(sb, '}');
    } else {
        pr_strbuf_adds(sb, "null");
    }
}

/* Fills ROOT, an object, with the members of the run document. */
static void build_run(writer *w, cJSON *root, const pr_run *run, write_mode mode)
{
    char name[MESSAGE_NAME_SIZE];
    cJSON *list;
    size_t i, first, second;
    int found;

    if (!run->suite || !*run->suite)
        write_error(w, "", "suite", "the run names no suite");
    put_uint(w, root, "", "schema_version", PR_SCHEMA_VERSION);
    put_string(w, root, "suite", run->suite);
    build_context(w, root, &run->context);
    build_git(w, root, &run->git);
    list = attach(w, root, "benchmarks", cJSON_CreateArray());
    for (i = 0; i < run->n_results && !w->err; i++)
        build_result(w, list, &run->results[i], i, mode);
    if (w->err)
        return;
    found = pr_names_duplicate(run->results, run->n_results, sizeof *run->results,
                               offsetof(pr_result, name), &first, &second);
    if (found < 0) {
        w->err = found;
    } else if (found) {
        message_name(name, sizeof name, run->results[second].name);
        w->err = pr_error_set(PR_EINVALID,
                              "cannot write results: benchmarks[%zu].name: duplicate "
                              "benchmark name '%s' (first at benchmarks[%zu])",
                              second, name, first);
    }
}

/* Prints ROOT as a whole document into OUT unless building it failed. */
static int finish(writer *w, const cJSON *root, pr_strbuf *out)
{
    if (!w->err) {
        print_value(out, root, 0);
        pr_strbuf_addch(out, '\n');
        w->err = pr_strbuf_error(out);
    }
    return w->err;
}

int pr_results_write(const pr_run *run, pr_strbuf *out)
{
    writer w = {0};
    cJSON *root = cJSON_CreateObject();

    if (!root)
        return pr_error_set(PR_ENOMEM, "out of memory");
    build_run(&w, root, run, WRITE_FILE);
    finish(&w, root, out);
    cJSON_Delete(root);
    return w.err;
}

/* ---- the comparison document ---- */

/* A signed number (changes may be negative); null when not finite. */
static void put_number(writer *w, cJSON *parent, const char *key, double d)
{
    if (!isfinite(d))
        attach(w, parent, key, cJSON_CreateNull());
    else
        put_raw_double(w, parent, key, d);
}

static void put_bool(writer *w, cJSON *parent, const char *key, int v)
{
    attach(w, parent, key, cJSON_CreateBool(v != 0));
}

static void put_null(writer *w, cJSON *parent, const char *key)
{
    attach(w, parent, key, cJSON_CreateNull());
}

/* One side of the comparison: which run it was. */
static void build_side(writer *w, cJSON *root, const char *key, const pr_run *run)
{
    cJSON *side;

    if (!run) {
        put_null(w, root, key);
        return;
    }
    side = attach(w, root, key, cJSON_CreateObject());
    put_string(w, side, "suite", run->suite);
    put_string(w, side, "date", run->context.date);
    put_string(w, side, "commit", run->git.commit);
    put_string(w, side, "short_commit", run->git.short_commit);
    put_string(w, side, "branch", run->git.branch);
    put_tristate(w, side, "dirty", run->git.dirty);
}

/* {"mean": {"text": "10%", "relative": true, "value": 0.1}, ...}: the
 * metrics that have a threshold. */
static void build_thresholds(writer *w, cJSON *parent, const char *key, const pr_threshold_set *set)
{
    cJSON *obj = attach(w, parent, key, cJSON_CreateObject()), *t;
    char text[64];
    int m;

    for (m = 0; m < PR_METRIC_COUNT && !w->err; m++) {
        const pr_threshold *th = &set->of[m];
        if (!th->set)
            continue;
        pr_threshold_format(text, sizeof text, (pr_metric)m, th);
        /* metric names are static strings, as attach wants its keys */
        t = attach(w, obj, pr_metric_name((pr_metric)m), cJSON_CreateObject());
        put_string(w, t, "text", text);
        put_bool(w, t, "relative", th->relative);
        put_number(w, t, "value", th->value);
    }
}

static void put_samples(writer *w, cJSON *parent, const char *key, const pr_result *r)
{
    if (r)
        put_uint(w, parent, "", key, r->n_samples);
    else
        put_null(w, parent, key);
}

/* The judgement of one metric: verdict, estimate, interval, resolution. */
static void build_judgement(writer *w, cJSON *obj, const pr_metric_change *mc)
{
    if (!mc->judged) {
        put_null(w, obj, "verdict");
        put_null(w, obj, "gate");
    } else {
        put_string(w, obj, "verdict", pr_verdict_name(mc->verdict));
        put_number(w, obj, "gate", mc->gate > 0 ? mc->gate : NAN);
    }
    put_number(w, obj, "estimate", mc->relative_valid ? mc->estimate : NAN);
    put_number(w, obj, "low", mc->has_interval ? mc->low : NAN);
    put_number(w, obj, "high", mc->has_interval ? mc->high : NAN);
    put_number(w, obj, "resolution", mc->has_interval ? mc->resolution : NAN);
    put_number(w, obj, "p_value", mc->p_value);
    put_bool(w, obj, "shifted", mc->shifted);
    put_bool(w, obj, "with_suite", mc->with_suite);
}

static void build_entry(writer *w, cJSON *list, const pr_cmp_entry *e)
{
    cJSON *bench = attach(w, list, NULL, cJSON_CreateObject()), *metrics, *obj;
    int matched = e->kind == PR_CMP_MATCHED;
    int m;

    put_string(w, bench, "name", e->name);
    put_string(w, bench, "kind", pr_cmp_kind_name(e->kind));
    if (matched) {
        put_string(w, bench, "verdict", pr_verdict_name(e->verdict));
        put_string(w, bench, "level", pr_level_name(e->level));
        put_string(w, bench, "method", pr_method_name(e->method));
    } else {
        put_null(w, bench, "verdict");
        put_null(w, bench, "level");
        put_null(w, bench, "method");
    }
    put_bool(w, bench, "failing", e->failing);
    put_bool(w, bench, "noise", e->noise);
    put_bool(w, bench, "tested", e->tested);
    put_bool(w, bench, "testable", e->testable);
    put_bool(w, bench, "significant", e->significant);
    if (matched && e->rounds > 0)
        put_uint(w, bench, "", "rounds", e->rounds);
    else
        put_null(w, bench, "rounds");
    if (matched && pr_compare_rounds_needed(e) > 0)
        put_uint(w, bench, "", "rounds_needed", pr_compare_rounds_needed(e));
    else
        put_null(w, bench, "rounds_needed");
    if (e->tested)
        put_string(w, bench, "test",
                   e->method == PR_METHOD_PAIRED      ? "wilcoxon_signed_rank"
                   : e->method == PR_METHOD_RUNS      ? "baseline_runs"
                   : e->method == PR_METHOD_PROCESSES ? "welch_processes"
                                                      : "mann_whitney");
    else
        put_null(w, bench, "test");
    put_number(w, bench, "p_value", e->tested ? e->p_value : NAN);
    if (e->tested && e->method == PR_METHOD_SAMPLES) {
        put_bool(w, bench, "p_exact", e->mwu.exact);
        put_number(w, bench, "u", e->mwu.u);
    } else if (e->tested && e->method == PR_METHOD_PAIRED) {
        put_bool(w, bench, "p_exact", e->paired.exact);
        put_null(w, bench, "u");
    } else {
        put_null(w, bench, "p_exact");
        put_null(w, bench, "u");
    }
    if (e->by_process) {
        put_number(w, bench, "mean_change_low", e->welch.ci_low);
        put_number(w, bench, "mean_change_high", e->welch.ci_high);
        put_number(w, bench, "df", e->welch.df);
    } else {
        put_null(w, bench, "mean_change_low");
        put_null(w, bench, "mean_change_high");
        put_null(w, bench, "df");
    }
    if (matched && (unsigned)e->worst < PR_METRIC_COUNT)
        put_string(w, bench, "worst", pr_metric_name(e->worst));
    else
        put_null(w, bench, "worst");
    put_bool(w, bench, "approaching", e->approaching);
    put_samples(w, bench, "baseline_samples", e->baseline);
    put_samples(w, bench, "current_samples", e->current);
    put_string(w, bench, "error",
               e->kind == PR_CMP_FAILED && e->current ? e->current->error : NULL);
    metrics = attach(w, bench, "metrics", cJSON_CreateObject());
    for (m = 0; m < PR_METRIC_COUNT && !w->err; m++) {
        const pr_metric_change *mc = &e->metrics[m];
        if (!mc->valid)
            continue;
        obj = attach(w, metrics, pr_metric_name((pr_metric)m), cJSON_CreateObject());
        put_number(w, obj, "baseline", mc->baseline);
        put_number(w, obj, "current", mc->current);
        put_number(w, obj, "change", mc->relative_valid ? mc->change : NAN);
        put_number(w, obj, "regression", mc->relative_valid ? mc->regression : NAN);
        put_number(w, obj, "abs_regression", mc->abs_regression);
        put_string(w, obj, "level", pr_level_name(mc->level));
        build_judgement(w, obj, mc);
        put_bool(w, obj, "failing", mc->failing);
        put_bool(w, obj, "noise", mc->noise);
    }
}

int pr_results_write_comparison(const pr_comparison *cmp, pr_strbuf *out)
{
    writer w = {0};
    cJSON *root, *options, *summary, *list;
    size_t i;

    if (!cmp || !out)
        return pr_error_set(PR_EINVALID, "cannot write a comparison without one and a buffer");
    root = cJSON_CreateObject();
    if (!root)
        return pr_error_set(PR_ENOMEM, "out of memory");
    put_uint(&w, root, "", "schema_version", PR_SCHEMA_VERSION);
    put_string(&w, root, "kind", "comparison");
    build_side(&w, root, "baseline", cmp->baseline);
    build_side(&w, root, "current", cmp->current);

    options = attach(&w, root, "options", cJSON_CreateObject());
    put_number(&w, options, "alpha", cmp->options.alpha);
    put_bool(&w, options, "significance", cmp->options.significance);
    put_bool(&w, options, "fail_on_missing", cmp->options.fail_on_missing);
    put_string(&w, options, "primary", pr_metric_name(cmp->options.primary));
    put_bool(&w, options, "paired", cmp->options.paired);
    put_string(&w, options, "inconclusive", pr_inconclusive_name(cmp->options.inconclusive));
    build_thresholds(&w, options, "warn", &cmp->options.warn);
    build_thresholds(&w, options, "fail", &cmp->options.fail);

    put_string(&w, root, "machine_mismatch", cmp->machine_mismatch);

    summary = attach(&w, root, "summary", cJSON_CreateObject());
    put_uint(&w, summary, "summary", "benchmarks", cmp->n_entries);
    put_uint(&w, summary, "summary", "improved", cmp->n_improved);
    put_uint(&w, summary, "summary", "normal", cmp->n_normal);
    put_uint(&w, summary, "summary", "warning", cmp->n_warning);
    put_uint(&w, summary, "summary", "critical", cmp->n_critical);
    put_uint(&w, summary, "summary", "pass", cmp->n_pass);
    put_uint(&w, summary, "summary", "inconclusive", cmp->n_inconclusive);
    put_uint(&w, summary, "summary", "fail", cmp->n_fail);
    put_uint(&w, summary, "summary", "failing", cmp->n_failing);
    put_uint(&w, summary, "summary", "noise", cmp->n_noise);
    put_uint(&w, summary, "summary", "untestable", cmp->n_untestable);
    put_uint(&w, summary, "summary", "new", cmp->n_new);
    put_uint(&w, summary, "summary", "missing", cmp->n_missing);
    put_uint(&w, summary, "summary", "failed_to_run", cmp->n_failed);
    put_number(&w, summary, "geomean_change", cmp->geomean_n > 0 ? cmp->geomean_change : NAN);
    put_uint(&w, summary, "summary", "geomean_n", cmp->geomean_n);
    put_bool(&w, summary, "failed", pr_comparison_failed(cmp));
    if (cmp->has_shift) {
        cJSON *shift = attach(&w, root, "suite_shift", cJSON_CreateObject());
        put_string(&w, shift, "metric", pr_metric_name(cmp->options.primary));
        put_number(&w, shift, "change", cmp->shift);
        put_uint(&w, shift, "suite_shift", "benchmarks", cmp->shift_n);
        put_uint(&w, shift, "suite_shift", "agree", cmp->shift_agree);
    } else {
        put_null(&w, root, "suite_shift");
    }

    list = attach(&w, root, "benchmarks", cJSON_CreateArray());
    for (i = 0; i < cmp->n_entries && !w.err; i++)
        build_entry(&w, list, &cmp->entries[i]);
    finish(&w, root, out);
    cJSON_Delete(root);
    return w.err;
}

/* ---- the history document ---- */

/* A statistic or a change; null where the point has none. */
static void put_number_if(writer *w, cJSON *parent, const char *key, int has, double d)
{
    if (has)
        put_number(w, parent, key, d);
    else
        put_null(w, parent, key);
}

static void build_history_run(writer *w, cJSON *list, const pr_history *h, size_t index)
{
    const pr_run *run = &h->runs[index];
    cJSON *obj = attach(w, list, NULL, cJSON_CreateObject());

    put_uint(w, obj, "runs", "index", index);
    put_string(w, obj, "source", h->sources ? h->sources[index] : NULL);
    put_string(w, obj, "commit", run->git.commit);
    put_string(w, obj, "short_commit", run->git.short_commit);
    put_string(w, obj, "branch", run->git.branch);
    put_tristate(w, obj, "dirty", run->git.dirty);
    put_string(w, obj, "subject", run->git.subject);
    put_string(w, obj, "date", run->context.date);
    put_string(w, obj, "commit_time", run->git.commit_time);
    put_string(w, obj, "author_time", run->git.author_time);
}

static void build_history_series(writer *w, cJSON *list, const pr_history *h, size_t index)
{
    const pr_history_series *s = &h->series[index];
    cJSON *obj = attach(w, list, NULL, cJSON_CreateObject()), *points, *point;
    char where[64];
    size_t i;

    put_string(w, obj, "name", s->name);
    put_number_if(w, obj, "baseline", s->has_baseline, s->baseline_value);
    put_number_if(w, obj, "baseline_change", s->has_baseline_change, s->baseline_change);
    points = attach(w, obj, "points", cJSON_CreateArray());
    for (i = 0; i < s->n_points && !w->err; i++) {
        const pr_history_point *p = &s->points[i];
        snprintf(where, sizeof where, "benchmarks[%zu].points[%zu]", index, i);
        if (p->run >= h->n_runs) {
            write_error(w, where, "run", "not an index into runs");
            break;
        }
        point = attach(w, points, NULL, cJSON_CreateObject());
        put_uint(w, point, where, "run", p->run);
        put_bool(w, point, "present", p->present);
        put_number_if(w, point, "value", p->present, p->value);
        put_number_if(w, point, "q1", p->present, p->q1);
        put_number_if(w, point, "q3", p->present, p->q3);
        put_number_if(w, point, "change", p->present && p->has_change, p->change);
        put_bool(w, point, "step", p->present && p->step);
        put_number_if(w, point, "step_change", p->present && p->step, p->step_change);
    }
}

/* The unit of a history's values. */
static const char *history_unit(pr_metric m)
{
    switch (m) {
    case PR_METRIC_OPS:
        return "ops/s";
    case PR_METRIC_MEMORY:
        return "bytes";
    case PR_METRIC_ALLOCS:
        return "allocs/iteration";
    default:
        return "ns";
    }
}

int pr_results_write_history(const pr_history *h, pr_strbuf *out)
{
    writer w = {0};
    cJSON *root, *baseline, *list;
    const char *suite = NULL;
    size_t i;

    if (!h || !out)
        return pr_error_set(PR_EINVALID, "cannot write a history without one and a buffer");
    if ((unsigned)h->stat >= PR_METRIC_COUNT)
        return pr_error_set(PR_EINVALID, "cannot write a history: unknown statistic %d",
                            (int)h->stat);
    /* The newest run names the suite; the baseline does when there is none. */
    if (h->n_runs > 0)
        suite = h->runs[h->n_runs - 1].suite;
    else if (h->baseline)
        suite = h->baseline->suite;
    root = cJSON_CreateObject();
    if (!root)
        return pr_error_set(PR_ENOMEM, "out of memory");
    put_uint(&w, root, "", "schema_version", PR_SCHEMA_VERSION);
    put_string(&w, root, "kind", "history");
    put_string(&w, root, "suite", suite);
    put_string(&w, root, "stat", pr_metric_name(h->stat));
    put_string(&w, root, "unit", history_unit(h->stat));
    put_string(&w, root, "machine", h->machine);
    put_bool(&w, root, "all_machines", h->all_machines);
    put_uint(&w, root, "", "other_machine_runs", h->n_other_machine);
    put_double(&w, root, "", "step_threshold", h->step_threshold);
    if (h->baseline) {
        baseline = attach(&w, root, "baseline", cJSON_CreateObject());
        put_string(&w, baseline, "short_commit", h->baseline->git.short_commit);
        put_string(&w, baseline, "date", h->baseline->context.date);
    } else {
        put_null(&w, root, "baseline");
    }
    list = attach(&w, root, "runs", cJSON_CreateArray());
    for (i = 0; i < h->n_runs && !w.err; i++)
        build_history_run(&w, list, h, i);
    list = attach(&w, root, "benchmarks", cJSON_CreateArray());
    for (i = 0; i < h->n_series && !w.err; i++)
        build_history_series(&w, list, h, i);
    finish(&w, root, out);
    cJSON_Delete(root);
    return w.err;
}

/* ---- Google Benchmark's JSON (export) ---- */

/* One row of GB's "benchmarks" array for result R: a repetition (TYPE
 * "iteration", REP its index) or an aggregate (AGG "mean", "median",
 * "stddev"). */
static void gbench_row(writer *w, cJSON *list, const pr_result *r, size_t family, size_t reps,
                       size_t rep, const char *agg, double ns)
{
    cJSON *row = attach(w, list, NULL, cJSON_CreateObject());
    pr_strbuf name = PR_STRBUF_INIT;

    pr_strbuf_addf(&name, "%s%s%s", r->name, agg ? "_" : "", agg ? agg : "");
    if (pr_strbuf_error(&name))
        w->err = pr_error_set(PR_ENOMEM, "out of memory");
    put_string(w, row, "name", pr_strbuf_cstr(&name));
    pr_strbuf_release(&name);
    put_uint(w, row, "", "family_index", family);
    put_uint(w, row, "", "per_family_instance_index", 0);
    put_string(w, row, "run_name", r->name);
    put_string(w, row, "run_type", agg ? "aggregate" : "iteration");
    put_uint(w, row, "", "repetitions", reps);
    if (!agg)
        put_uint(w, row, "", "repetition_index", rep);
    put_uint(w, row, "", "threads", 1);
    if (agg) {
        put_string(w, row, "aggregate_name", agg);
        put_string(w, row, "aggregate_unit", "time");
    }
    put_uint(w, row, "", "iterations", r->iterations);
    put_number(w, row, "real_time", ns);
    /* perfreg measures wall time only: GB's cpu_time repeats it */
    put_number(w, row, "cpu_time", ns);
    put_string(w, row, "time_unit", "ns");
    if (r->bytes_per_iteration > 0 && ns > 0)
        put_number(w, row, "bytes_per_second", r->bytes_per_iteration / (ns / 1e9));
    if (r->items_per_iteration > 0 && ns > 0)
        put_number(w, row, "items_per_second", r->items_per_iteration / (ns / 1e9));
}

int pr_results_write_gbench(const pr_run *run, pr_strbuf *out)
{
    writer w = {0};
    cJSON *root, *ctx, *list;
    size_t i, k;

    if (!run || !out)
        return pr_error_set(PR_EINVALID, "cannot write Google Benchmark JSON without a run");
    if (!(root = cJSON_CreateObject()))
        return pr_error_set(PR_ENOMEM, "out of memory");
    ctx = attach(&w, root, "context", cJSON_CreateObject());
    put_string(&w, ctx, "date", run->context.date);
    put_string(&w, ctx, "host_name", run->context.host);
    put_string(&w, ctx, "executable", run->suite);
    put_uint(&w, ctx, "", "num_cpus", (uint64_t)(run->context.logical_cores > 0
                                                     ? run->context.logical_cores : 0));
    put_uint(&w, ctx, "", "mhz_per_cpu", 0);
    attach(&w, ctx, "caches", cJSON_CreateArray());
    put_string(&w, ctx, "library_build_type",
               run->context.optimized == 0 ? "debug" : "release");
    list = attach(&w, root, "benchmarks", cJSON_CreateArray());
    for (i = 0; i < run->n_results && !w.err; i++) {
        const pr_result *r = &run->results[i];
        if (r->status != PR_STATUS_OK || r->n_samples == 0) {
            cJSON *row = attach(&w, list, NULL, cJSON_CreateObject());
            put_string(&w, row, "name", r->name);
            put_uint(&w, row, "", "family_index", i);
            put_string(&w, row, "run_name", r->name);
            put_string(&w, row, "run_type", "iteration");
            put_uint(&w, row, "", "repetitions", 1);
            put_uint(&w, row, "", "repetition_index", 0);
            put_uint(&w, row, "", "threads", 1);
            put_uint(&w, row, "", "iterations", 0);
            put_number(&w, row, "real_time", 0);
            put_number(&w, row, "cpu_time", 0);
            put_string(&w, row, "time_unit", "ns");
            put_bool(&w, row, "error_occurred", 1);
            put_string(&w, row, "error_message", r->error ? r->error : "no samples");
            continue;
        }
        /* each sample is one repetition, as `--benchmark_repetitions` */
        for (k = 0; k < r->n_samples; k++)
            gbench_row(&w, list, r, i, r->n_samples, k, NULL, r->samples_ns[k]);
        gbench_row(&w, list, r, i, r->n_samples, 0, "mean", r->stats.mean_ns);
        gbench_row(&w, list, r, i, r->n_samples, 0, "median", r->stats.median_ns);
        gbench_row(&w, list, r, i, r->n_samples, 0, "stddev", r->stats.stddev_ns);
    }
    finish(&w, root, out);
    cJSON_Delete(root);
    return w.err;
}

/* ---- reading ---- */

/* Optional string: absent or null leaves *OUT NULL. A required string must
 * be present and non-empty. */
static int read_string(const char *file, const char *where, const cJSON *obj, const char *key,
                       int required, char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (!v)
        return required ? pr_json_missing(file, where, key) : 0;
    if (!required && cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v) || !v->valuestring || (required && !*v->valuestring))
        return pr_json_field_error(file, where, key, "%s",
                                   required ? "expected a non-empty string"
                                            : "expected a string or null");
    if (!pr_json_utf8_valid(v->valuestring))
        return pr_json_field_error(file, where, key, "expected a UTF-8 string");
    *out = pr_strdup(v->valuestring);
    return *out ? 0 : PR_ENOMEM;
}

/* A whole number in [0, MAX]; absent or null leaves *OUT alone unless the
 * field is required. Read through the double: valueint saturates. */
static int read_uint(const char *file, const char *where, const cJSON *obj, const char *key,
                     int required, uint64_t max, uint64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    char text[40];
    double d;

    if (!v)
        return required ? pr_json_missing(file, where, key) : 0;
    if (!required && cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsNumber(v))
        return pr_json_field_error(file, where, key, "expected a whole number");
    d = v->valuedouble;
    pr_format_double(text, sizeof text, d);
    if (!isfinite(d) || d < 0 || floor(d) != d)
        return pr_json_field_error(file, where, key, "expected a non-negative whole number, got %s",
                                   text);
    if (d > (double)max)
        return pr_json_field_error(file, where, key, "%s is out of range (at most %" PRIu64 ")",
                                   text, max);
    *out = (uint64_t)d;
    return 0;
}

/* Optional number, finite and non-negative; absent or null leaves *OUT. */
static int read_double(const char *file, const char *where, const cJSON *obj, const char *key,
                       double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0)
        return pr_json_field_error(file, where, key, "expected a non-negative finite number");
    *out = v->valuedouble;
    return 0;
}

/* true / false / null (or absent) as 1 / 0 / -1. */
static int read_tristate(const char *file, const char *where, const cJSON *obj, const char *key,
                         int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    *out = -1;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsBool(v))
        return pr_json_field_error(file, where, key, "expected true, false or null");
    *out = cJSON_IsTrue(v) ? 1 : 0;
    return 0;
}

/* An object member: required ones must be present; optional ones may be
 * absent or null (then *OUT is NULL). */
static int read_object(const char *file, const char *where, const cJSON *obj, const char *key,
                       int required, const cJSON **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    *out = NULL;
    if (!v)
        return required ? pr_json_missing(file, where, key) : 0;
    if (!required && cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsObject(v))
        return pr_json_field_error(file, where, key, "expected an object");
    *out = v;
    return 0;
}

/* Room for a field path, "runs[N].benchmarks[N]", and for one more member
 * after it ("runs[N].context.clock", "...benchmarks[N].stats"). */
#define PATH_SIZE 96
/* The most runs one baseline merges. */
#define MAX_RUNS 10000
#define SUBPATH_SIZE (PATH_SIZE + 16)
/* Counts become size_t. */
#define MAX_COUNT ((uint64_t)SIZE_MAX < MAX_JSON_INT ? (uint64_t)SIZE_MAX : MAX_JSON_INT)

/* "AT.KEY", or KEY alone at the top level of a file (AT ""). */
static const char *member_path(char *buf, size_t size, const char *at, const char *key)
{
    if (!*at)
        return key;
    snprintf(buf, size, "%s.%s", at, key);
    return buf;
}

/* A required number, finite and non-negative. */
static int read_number(const char *file, const char *where, const cJSON *obj, const char *key,
                       double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (!v)
        return pr_json_missing(file, where, key);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0)
        return pr_json_field_error(file, where, key, "expected a non-negative finite number");
    *out = v->valuedouble;
    return 0;
}

/* AT is "" in a results file and "runs[N]" in a note. */
static int parse_context(pr_context *c, const cJSON *root, const char *file, const char *at)
{
    char path[PATH_SIZE], clock_path[SUBPATH_SIZE], options_path[SUBPATH_SIZE];
    const char *p = member_path(path, sizeof path, at, "context"), *cp, *op;
    const cJSON *ctx, *clock, *options;
    uint64_t cores = 0;
    int err;

    if ((err = read_object(file, at, root, "context", 1, &ctx)) < 0 ||
        (err = read_string(file, p, ctx, "date", 0, &c->date)) < 0 ||
        (err = read_string(file, p, ctx, "host", 0, &c->host)) < 0 ||
        (err = read_string(file, p, ctx, "os", 0, &c->os)) < 0 ||
        (err = read_string(file, p, ctx, "kernel", 0, &c->kernel)) < 0 ||
        (err = read_string(file, p, ctx, "arch", 0, &c->arch)) < 0 ||
        (err = read_string(file, p, ctx, "cpu_model", 0, &c->cpu_model)) < 0 ||
        (err = read_uint(file, p, ctx, "logical_cores", 0, INT32_MAX, &cores)) < 0 ||
        (err = read_string(file, p, ctx, "compiler", 0, &c->compiler)) < 0 ||
        (err = read_string(file, p, ctx, "build_type", 0, &c->build_type)) < 0 ||
        (err = read_string(file, p, ctx, "build_flags", 0, &c->build_flags)) < 0 ||
        (err = read_tristate(file, p, ctx, "optimized", &c->optimized)) < 0 ||
        (err = read_string(file, p, ctx, "perfreg_version", 0, &c->perfreg_version)) < 0 ||
        (err = read_object(file, p, ctx, "clock", 0, &clock)) < 0 ||
        (err = read_object(file, p, ctx, "options", 0, &options)) < 0)
        return err;
    c->logical_cores = (int)cores;
    cp = member_path(clock_path, sizeof clock_path, p, "clock");
    op = member_path(options_path, sizeof options_path, p, "options");
    if (clock &&
        ((err = read_string(file, cp, clock, "name", 0, &c->clock)) < 0 ||
         (err = read_double(file, cp, clock, "cost_ns", &c->clock_cost_ns)) < 0 ||
         (err = read_double(file, cp, clock, "step_ns", &c->clock_step_ns)) < 0 ||
         (err = read_double(file, cp, clock, "resolution_ns", &c->clock_resolution_ns)) < 0))
        return err;
    if (options &&
        ((err = read_double(file, op, options, "min_time_s", &c->min_time_s)) < 0 ||
         (err = read_double(file, op, options, "warmup_s", &c->warmup_s)) < 0 ||
         (err = read_uint(file, op, options, "samples", 0, MAX_JSON_INT, &c->samples)) < 0 ||
         (err = read_uint(file, op, options, "iterations", 0, MAX_JSON_INT, &c->iterations)) < 0 ||
         (err = read_uint(file, op, options, "processes", 0, MAX_JSON_INT, &c->processes)) < 0))
        return err;
    return read_uint(file, p, ctx, "runs", 0, MAX_RUNS, &c->runs);
}

static int parse_git(pr_git_info *g, const cJSON *root, const char *file, const char *at)
{
    char path[PATH_SIZE];
    const char *p = member_path(path, sizeof path, at, "git");
    const cJSON *git;
    int err;

    /* author_time came later: absent in older files, read as null. */
    if ((err = read_object(file, at, root, "git", 1, &git)) < 0 ||
        (err = read_string(file, p, git, "commit", 0, &g->commit)) < 0 ||
        (err = read_string(file, p, git, "short_commit", 0, &g->short_commit)) < 0 ||
        (err = read_string(file, p, git, "branch", 0, &g->branch)) < 0 ||
        (err = read_tristate(file, p, git, "dirty", &g->dirty)) < 0 ||
        (err = read_string(file, p, git, "subject", 0, &g->subject)) < 0 ||
        (err = read_string(file, p, git, "commit_time", 0, &g->commit_time)) < 0 ||
        (err = read_string(file, p, git, "author_time", 0, &g->author_time)) < 0)
        return err;
    return 0;
}

static int parse_samples(pr_result *r, const cJSON *bench, const char *file, const char *where)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(bench, "samples_ns"), *c;
    double *samples;
    size_t n = 0, i;
    char key[48];

    if (!list)
        return pr_json_missing(file, where, "samples_ns");
    if (!cJSON_IsArray(list))
        return pr_json_field_error(file, where, "samples_ns", "expected an array of numbers");
    for (c = list->child; c; c = c->next)
        n++;
    if (n == 0) {
        if (r->status == PR_STATUS_OK)
            return pr_json_field_error(file, where, "samples_ns",
                                       "an \"ok\" benchmark needs at least one sample");
        return 0;
    }
    if (n > SIZE_MAX / sizeof *samples)
        return pr_error_set(PR_ENOMEM, "out of memory");
    samples = malloc(n * sizeof *samples);
    if (!samples)
        return pr_error_set(PR_ENOMEM, "out of memory");
    for (c = list->child, i = 0; c; c = c->next, i++) {
        if (!cJSON_IsNumber(c) || !isfinite(c->valuedouble) || c->valuedouble < 0) {
            free(samples);
            snprintf(key, sizeof key, "samples_ns[%zu]", i);
            return pr_json_field_error(file, where, key, "expected a non-negative finite number");
        }
        samples[i] = c->valuedouble;
    }
    r->samples_ns = samples;
    r->n_samples = n;
    return 0;
}

/* The optional "process_samples": how many of the samples each process took,
 * positive counts summing to the number of samples. Absent, null or a
 * single count: one process. */
static int parse_process_samples(pr_result *r, const cJSON *bench, const char *file,
                                 const char *where)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(bench, "process_samples"), *c;
    size_t n = 0, i, sum = 0;
    size_t *counts;
    char key[48];

    if (!list || cJSON_IsNull(list))
        return 0;
    if (!cJSON_IsArray(list))
        return pr_json_field_error(file, where, "process_samples",
                                   "expected an array of sample counts");
    for (c = list->child; c; c = c->next)
        n++;
    if (n > SIZE_MAX / sizeof *counts || !(counts = malloc((n ? n : 1) * sizeof *counts)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    for (c = list->child, i = 0; c; c = c->next, i++) {
        double d = cJSON_IsNumber(c) ? c->valuedouble : -1;
        if (!isfinite(d) || d < 1 || floor(d) != d || d > (double)r->n_samples ||
            (sum += (size_t)d) > r->n_samples) {
            free(counts);
            snprintf(key, sizeof key, "process_samples[%zu]", i);
            return pr_json_field_error(file, where, key,
                                       "expected a whole number from 1, the counts summing to "
                                       "the %zu samples",
                                       r->n_samples);
        }
        counts[i] = (size_t)d;
    }
    if (sum != r->n_samples) {
        free(counts);
        return pr_json_field_error(file, where, "process_samples",
                                   "the counts sum to %zu, not to the %zu samples", sum,
                                   r->n_samples);
    }
    if (n < 2) {
        free(counts);
        return 0;
    }
    r->process_samples = counts;
    r->n_processes = n;
    return 0;
}

/*
 * The "stats" of a note's result recorded without samples: the only record
 * of the measurement, so taken as written once every field is checked.
 * Absent or null leaves S zeroed.
 */
/* The statistics object OBJ (named PATH in errors) into S, checked. */
static int parse_stats_object(pr_stats *s, const cJSON *obj, const char *file, const char *path)
{
    const char *problem, *field;
    uint64_t n = 0, mild = 0, severe = 0;
    int err;

    if ((err = read_uint(file, path, obj, "n", 1, MAX_COUNT, &n)) < 0 ||
        (err = read_number(file, path, obj, "min_ns", &s->min_ns)) < 0 ||
        (err = read_number(file, path, obj, "max_ns", &s->max_ns)) < 0 ||
        (err = read_number(file, path, obj, "mean_ns", &s->mean_ns)) < 0 ||
        (err = read_number(file, path, obj, "median_ns", &s->median_ns)) < 0 ||
        (err = read_number(file, path, obj, "stddev_ns", &s->stddev_ns)) < 0 ||
        (err = read_number(file, path, obj, "q1_ns", &s->q1_ns)) < 0 ||
        (err = read_number(file, path, obj, "q3_ns", &s->q3_ns)) < 0 ||
        (err = read_number(file, path, obj, "iqr_ns", &s->iqr_ns)) < 0 ||
        (err = read_number(file, path, obj, "mad_ns", &s->mad_ns)) < 0 ||
        (err = read_number(file, path, obj, "cv", &s->cv)) < 0 ||
        (err = read_number(file, path, obj, "ops_per_second", &s->ops_per_second)) < 0 ||
        (err = read_uint(file, path, obj, "outliers_mild", 1, MAX_COUNT, &mild)) < 0 ||
        (err = read_uint(file, path, obj, "outliers_severe", 1, MAX_COUNT, &severe)) < 0)
        return err;
    s->n = (size_t)n;
    s->outliers_mild = (size_t)mild;
    s->outliers_severe = (size_t)severe;
    if ((problem = stats_problem(s, &field)) != NULL)
        return pr_json_field_error(file, path, field, "%s", problem);
    return 0;
}

static int parse_stats(pr_stats *s, const cJSON *bench, const char *file, const char *where)
{
    char path[SUBPATH_SIZE];
    const cJSON *obj;
    int err;

    if ((err = read_object(file, where, bench, "stats", 0, &obj)) < 0 || !obj)
        return err;
    snprintf(path, sizeof path, "%s.stats", where);
    return parse_stats_object(s, obj, file, path);
}


/* "run_stats" (optional): the statistics of each run of a baseline made of
 * several, at least two. */
static int parse_run_stats(pr_result *r, const cJSON *bench, const char *file, const char *where)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(bench, "run_stats"), *item;
    char path[SUBPATH_SIZE];
    size_t n, i = 0;
    int err;

    if (!list || cJSON_IsNull(list))
        return 0;
    if (!cJSON_IsArray(list))
        return pr_json_field_error(file, where, "run_stats", "expected an array of statistics");
    n = (size_t)cJSON_GetArraySize(list);
    if (n < 2 || n > MAX_RUNS)
        return pr_json_field_error(file, where, "run_stats",
                                   "expected the statistics of 2 to %d runs", MAX_RUNS);
    if (!(r->run_stats = calloc(n, sizeof *r->run_stats)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    r->n_runs = n;
    cJSON_ArrayForEach(item, list)
    {
        snprintf(path, sizeof path, "%s.run_stats[%zu]", where, i);
        if (!cJSON_IsObject(item))
            return pr_json_field_error(file, path, NULL, "expected an object");
        if ((err = parse_stats_object(&r->run_stats[i], item, file, path)) < 0)
            return err;
        if (r->run_stats[i].n == 0)
            return pr_json_field_error(file, path, "n", "a run has at least one sample");
        i++;
    }
    return 0;
}

static int stats_finite(const pr_stats *s)
{
    return isfinite(s->min_ns) && isfinite(s->max_ns) && isfinite(s->mean_ns) &&
           isfinite(s->median_ns) && isfinite(s->stddev_ns) && isfinite(s->q1_ns) &&
           isfinite(s->q3_ns) && isfinite(s->iqr_ns) && isfinite(s->mad_ns) && isfinite(s->cv) &&
           isfinite(s->ops_per_second);
}

/* Everything derived is recomputed here; the file's "stats" (when there are
 * samples) and per-second throughput are not read. */
static int derive(pr_result *r, const char *file, const char *where)
{
    const char *field, *problem;
    int err;

    if (r->n_samples > 0) {
        err = pr_stats_compute(&r->stats, r->samples_ns, r->n_samples);
        if (err == PR_EINVALID)
            return pr_json_field_error(file, where, "samples_ns", "%s", pr_error_last());
        if (err < 0)
            return err;
        /* Samples near DBL_MAX overflow the summary, which could then not
         * be written again. */
        if (!stats_finite(&r->stats))
            return pr_json_field_error(file, where, "samples_ns",
                                       "samples too extreme to summarise");
    }
    if ((problem = throughput_problem(r, &field)) != NULL)
        return pr_json_field_error(file, where, field, "%s", problem);
    pr_result_derive_throughput(r); /* from the samples, or the note's stats */
    return 0;
}

/* The optional "memory" object: absent or null leaves has_memory 0. */
static int parse_memory(pr_result *r, const cJSON *bench, const char *file, const char *where)
{
    char path[SUBPATH_SIZE];
    const cJSON *obj;
    uint64_t peak = 0, baseline = 0, memory = 0;
    int err;

    if ((err = read_object(file, where, bench, "memory", 0, &obj)) < 0 || !obj)
        return err;
    snprintf(path, sizeof path, "%s.memory", where);
    if ((err = read_uint(file, path, obj, "peak_rss_bytes", 1, MAX_JSON_INT, &peak)) < 0 ||
        (err = read_uint(file, path, obj, "baseline_rss_bytes", 1, MAX_JSON_INT, &baseline)) < 0 ||
        (err = read_uint(file, path, obj, "memory_bytes", 1, MAX_JSON_INT, &memory)) < 0)
        return err;
    if (memory > peak)
        return pr_json_field_error(file, path, "memory_bytes", "more than peak_rss_bytes");
    r->has_memory = 1;
    r->peak_rss_bytes = peak;
    r->baseline_rss_bytes = baseline;
    r->memory_bytes = memory;
    return 0;
}

/* The optional "allocs" object: absent or null leaves has_allocs 0. */
static int parse_allocs(pr_result *r, const cJSON *bench, const char *file, const char *where)
{
    char path[SUBPATH_SIZE];
    const cJSON *obj;
    double count = 0, bytes = 0;
    int err;

    if ((err = read_object(file, where, bench, "allocs", 0, &obj)) < 0 || !obj)
        return err;
    snprintf(path, sizeof path, "%s.allocs", where);
    if ((err = read_number(file, path, obj, "per_iteration", &count)) < 0 ||
        (err = read_number(file, path, obj, "bytes_per_iteration", &bytes)) < 0)
        return err;
    r->has_allocs = 1;
    r->allocs_per_iteration = count;
    r->alloc_bytes_per_iteration = bytes;
    return 0;
}

/*
 * A results file's benchmark with statistics and no samples (samples_ns
 * absent or empty, stats an object): what an import from a tool that
 * reports statistics only gives. Without a stats object, no samples stay
 * the error they always were.
 */
static int stats_only(const cJSON *bench)
{
    const cJSON *samples = cJSON_GetObjectItemCaseSensitive(bench, "samples_ns");

    if (samples && !(cJSON_IsArray(samples) && !samples->child))
        return 0;
    return cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(bench, "stats"));
}

/* The optional "counters" object, {name: number}: absent or null leaves
 * none. Names are printed like benchmark names, so the same rules apply. */
static int parse_counters(pr_result *r, const cJSON *bench, const char *file, const char *where)
{
    char path[SUBPATH_SIZE], name[MESSAGE_NAME_SIZE];
    const cJSON *obj, *c;
    size_t i, first, second;
    int err;

    if ((err = read_object(file, where, bench, "counters", 0, &obj)) < 0 || !obj)
        return err;
    snprintf(path, sizeof path, "%s.counters", where);
    for (c = obj->child, i = 0; c; c = c->next, i++) {
        if (!*c->string || !pr_json_utf8_valid(c->string))
            return pr_json_field_error(file, path, NULL,
                                       "counter %zu: expected a non-empty UTF-8 name", i);
        if (pr_name_control(c->string) >= 0)
            return pr_json_field_error(
                file, path, NULL, "counter %zu: the name contains the control character U+%04X", i,
                pr_name_control(c->string));
        if (!cJSON_IsNumber(c) || !isfinite(c->valuedouble)) {
            message_name(name, sizeof name, c->string);
            return pr_json_field_error(file, path, NULL, "'%s': expected a finite number", name);
        }
        if ((err = pr_result_add_counter(r, c->string, c->valuedouble)) < 0)
            return err;
    }
    err = pr_names_duplicate(r->counters, r->n_counters, sizeof *r->counters,
                             offsetof(pr_counter, name), &first, &second);
    if (err > 0) {
        message_name(name, sizeof name, r->counters[second].name);
        return pr_json_field_error(file, path, NULL, "duplicate counter name '%s'", name);
    }
    return err;
}

/* NOTE: a note's result may carry statistics instead of samples. */
static int parse_result(pr_result *r, const cJSON *bench, const char *file, const char *where,
                        int note)
{
    const cJSON *status;
    int err;

    if (!cJSON_IsObject(bench))
        return pr_json_field_error(file, where, NULL, "expected an object");
    if ((err = read_string(file, where, bench, "name", 1, &r->name)) < 0)
        return err;
    if (pr_name_control(r->name) >= 0)
        return pr_json_field_error(file, where, "name", "contains the control character U+%04X",
                                   pr_name_control(r->name));
    status = cJSON_GetObjectItemCaseSensitive(bench, "status");
    if (!status)
        return pr_json_missing(file, where, "status");
    if (cJSON_IsString(status) && strcmp(status->valuestring, "ok") == 0)
        r->status = PR_STATUS_OK;
    else if (cJSON_IsString(status) && strcmp(status->valuestring, "failed") == 0)
        r->status = PR_STATUS_FAILED;
    else
        return pr_json_field_error(file, where, "status", "expected \"ok\" or \"failed\"");
    if ((err = read_string(file, where, bench, "error", 0, &r->error)) < 0 ||
        (err = read_uint(file, where, bench, "iterations_per_sample", 1, MAX_JSON_INT,
                         &r->iterations)) < 0)
        return err;
    if (r->status == PR_STATUS_OK && r->iterations == 0)
        return pr_json_field_error(file, where, "iterations_per_sample",
                                   "an \"ok\" benchmark runs at least 1");
    if (note && !cJSON_GetObjectItemCaseSensitive(bench, "samples_ns")) {
        if ((err = parse_stats(&r->stats, bench, file, where)) < 0)
            return err;
        if (r->status == PR_STATUS_OK && r->stats.n == 0)
            return pr_json_field_error(file, where, "stats",
                                       "an \"ok\" benchmark needs samples_ns or stats");
    } else if (!note && stats_only(bench)) {
        /* imported from a tool that gave statistics only (import.h) */
        if ((err = parse_stats(&r->stats, bench, file, where)) < 0)
            return err;
    } else if ((err = parse_samples(r, bench, file, where)) < 0 ||
               (err = parse_process_samples(r, bench, file, where)) < 0) {
        return err;
    }
    if ((err = read_double(file, where, bench, "bytes_per_iteration", &r->bytes_per_iteration)) <
            0 ||
        (err = read_double(file, where, bench, "items_per_iteration", &r->items_per_iteration)) <
            0 ||
        (err = read_double(file, where, bench, "total_time_s", &r->total_time_s)) < 0 ||
        (err = parse_memory(r, bench, file, where)) < 0 ||
        (err = parse_allocs(r, bench, file, where)) < 0 ||
        (err = parse_counters(r, bench, file, where)) < 0 ||
        (err = parse_run_stats(r, bench, file, where)) < 0)
        return err;
    return derive(r, file, where);
}

static int parse_benchmarks(pr_run *run, const cJSON *root, const char *file, const char *at,
                            int note)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "benchmarks"), *c;
    const char *dot = *at ? "." : "";
    pr_result *r;
    char where[PATH_SIZE], name[MESSAGE_NAME_SIZE];
    size_t i, first, second;
    int err;

    if (!list)
        return pr_json_missing(file, at, "benchmarks");
    if (!cJSON_IsArray(list))
        return pr_json_field_error(file, at, "benchmarks", "expected an array");
    for (c = list->child, i = 0; c; c = c->next, i++) {
        snprintf(where, sizeof where, "%s%sbenchmarks[%zu]", at, dot, i);
        if ((err = pr_run_add_result(run, &r)) < 0 ||
            (err = parse_result(r, c, file, where, note)) < 0)
            return err;
    }
    err = pr_names_duplicate(run->results, run->n_results, sizeof *run->results,
                             offsetof(pr_result, name), &first, &second);
    if (err > 0) {
        message_name(name, sizeof name, run->results[second].name);
        return pr_error_set(PR_EINVALID,
                            "'%s': %s%sbenchmarks[%zu].name: duplicate benchmark name '%s' "
                            "(first at benchmarks[%zu])",
                            file, at, dot, second, name, first);
    }
    return err;
}

/* One run document: a whole results file (AT "") or a note's runs[N]. */
static int parse_document(pr_run *run, const cJSON *root, const char *file, const char *at,
                          int note)
{
    const cJSON *version;
    char text[40];
    int err;

    if (!cJSON_IsObject(root))
        return *at ? pr_json_field_error(file, at, NULL, "expected an object")
                   : pr_error_set(PR_EINVALID, "'%s': the top level must be an object", file);
    version = cJSON_GetObjectItemCaseSensitive(root, "schema_version");
    if (!version)
        return pr_json_missing(file, at, "schema_version");
    if (!cJSON_IsNumber(version))
        return pr_json_field_error(file, at, "schema_version", "expected a whole number");
    if (version->valuedouble != PR_SCHEMA_VERSION) {
        pr_format_double(text, sizeof text, version->valuedouble);
        return pr_error_set(PR_EINVALID,
                            "'%s': %s%sschema_version %s is not supported (this perfreg reads %d)",
                            file, at, *at ? ": " : "", text, PR_SCHEMA_VERSION);
    }
    run->schema_version = PR_SCHEMA_VERSION;
    if ((err = read_string(file, at, root, "suite", 1, &run->suite)) < 0 ||
        (err = parse_context(&run->context, root, file, at)) < 0 ||
        (err = parse_git(&run->git, root, file, at)) < 0 ||
        (err = parse_benchmarks(run, root, file, at, note)) < 0)
        return err;
    return 0;
}

/*
 * A document without a schema_version may be Google Benchmark,
 * pytest-benchmark or hyperfine JSON, which reads like a results file,
 * imported with the default options (import.h): 0 when it was one and RUN
 * holds it, the import's error, or 1 when it is none of them and keeps the
 * message of a missing schema_version.
 */
static int parse_foreign(pr_run *run, const char *text, size_t len, const char *path)
{
    pr_import_format format = PR_IMPORT_AUTO;
    int err = pr_import_parse(run, text, len, path, NULL, &format);

    return format != PR_IMPORT_AUTO ? err : 1;
}

int pr_results_parse(pr_run *out, const char *text, size_t len, const char *path)
{
    pr_run run;
    cJSON *root = NULL;
    int err;

    pr_run_init(&run);
    if ((err = pr_json_parse(text, len, path, &root)) < 0)
        goto done;
    err = 1;
    if (cJSON_IsObject(root) && !cJSON_GetObjectItemCaseSensitive(root, "schema_version"))
        err = parse_foreign(&run, text, len, path);
    if (err > 0)
        err = parse_document(&run, root, path, "", 0);
    if (err < 0)
        goto done;
    /* Only a complete document replaces what OUT held. */
    pr_run_release(out);
    *out = run;
    pr_run_init(&run);
done:
    cJSON_Delete(root);
    pr_run_release(&run);
    return err;
}

/* ---- git notes ---- */

#define NOTE_VERSION 1

/* Whether ITEM holds a number beyond a double (1e400 reads as infinity),
 * which could not be written back as JSON. cJSON limits nesting to 1000. */
static int holds_infinity(const cJSON *item)
{
    const cJSON *c;

    if (cJSON_IsNumber(item))
        return !isfinite(item->valuedouble);
    for (c = item->child; c; c = c->next)
        if (holds_infinity(c))
            return 1;
    return 0;
}

/*
 * Parses TEXT as a perfreg note: *ROOT (free it) and its "runs" array in
 * *RUNS. Anything else, however close, is someone else's note: PR_EINVALID
 * "'WHERE': not a perfreg note (WHY)", and *ROOT is NULL.
 */
static int parse_note_envelope(const char *text, size_t len, const char *where, cJSON **root,
                               cJSON **runs)
{
    char why[96], number[40];
    const cJSON *mark, *c;
    cJSON *list = NULL;
    size_t line, column, i;

    why[0] = '\0';
    *runs = NULL;
    *root = pr_json_parse_text(text, len, &line, &column);
    if (!*root) {
        if (line == 0)
            snprintf(why, sizeof why, "empty");
        else
            snprintf(why, sizeof why, "not valid JSON near line %zu, column %zu", line, column);
    } else if (!cJSON_IsObject(*root)) {
        snprintf(why, sizeof why, "the top level is not an object");
    } else if (holds_infinity(*root)) {
        snprintf(why, sizeof why, "a number beyond the range of a double");
    } else if (!(mark = cJSON_GetObjectItemCaseSensitive(*root, "perfreg_note"))) {
        snprintf(why, sizeof why, "perfreg_note: required field is missing");
    } else if (!cJSON_IsNumber(mark)) {
        snprintf(why, sizeof why, "perfreg_note: expected %d", NOTE_VERSION);
    } else if (mark->valuedouble != NOTE_VERSION) {
        pr_format_double(number, sizeof number, mark->valuedouble);
        snprintf(why, sizeof why, "perfreg_note %s is not supported, this perfreg reads %d", number,
                 NOTE_VERSION);
    } else if (!(list = cJSON_GetObjectItemCaseSensitive(*root, "runs"))) {
        snprintf(why, sizeof why, "runs: required field is missing");
    } else if (!cJSON_IsArray(list)) {
        snprintf(why, sizeof why, "runs: expected an array");
    } else {
        for (c = list->child, i = 0; c && !why[0]; c = c->next, i++)
            if (!cJSON_IsObject(c))
                snprintf(why, sizeof why, "runs[%zu]: expected an object", i);
    }
    if (why[0]) {
        cJSON_Delete(*root);
        *root = NULL;
        return pr_error_set(PR_EINVALID, "'%s': not a perfreg note (%s)", where, why);
    }
    *runs = list;
    return 0;
}

int pr_results_note_append(const char *existing, size_t len, const pr_run *run, int with_samples,
                           pr_strbuf *out, const char *where)
{
    writer w = {0};
    pr_strbuf text = PR_STRBUF_INIT;
    cJSON *root = NULL, *runs = NULL;
    int err;

    if (!run || !out || !where)
        return pr_error_set(PR_EINVALID, "cannot write a note without a run, a buffer and a name");
    if (existing && len > 0) {
        /* The runs already there are kept as parsed, members perfreg does
         * not know included, so nothing recorded is lost. */
        if ((err = parse_note_envelope(existing, len, where, &root, &runs)) < 0)
            return err;
    } else {
        root = cJSON_CreateObject();
        if (!root)
            return pr_error_set(PR_ENOMEM, "out of memory");
        put_uint(&w, root, "", "perfreg_note", NOTE_VERSION);
        runs = attach(&w, root, "runs", cJSON_CreateArray());
    }
    build_run(&w, attach(&w, runs, NULL, cJSON_CreateObject()), run,
              with_samples ? WRITE_NOTE_SAMPLES : WRITE_NOTE);
    /* OUT receives the whole note or nothing. */
    if (finish(&w, root, &text) == 0)
        w.err = pr_strbuf_add(out, text.buf, text.len);
    cJSON_Delete(root);
    pr_strbuf_release(&text);
    return w.err;
}

int pr_results_parse_note(const char *text, size_t len, const char *where, pr_run **runs, size_t *n)
{
    cJSON *root = NULL, *list;
    const cJSON *c;
    pr_run *v = NULL;
    size_t count = 0, i;
    char at[40];
    int err;

    *runs = NULL;
    *n = 0;
    if ((err = parse_note_envelope(text, len, where, &root, &list)) < 0)
        return err;
    for (c = list->child; c; c = c->next)
        count++;
    if (count > 0 && !(v = calloc(count, sizeof *v))) {
        err = pr_error_set(PR_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < count; i++)
        pr_run_init(&v[i]);
    for (c = list->child, i = 0; c; c = c->next, i++) {
        snprintf(at, sizeof at, "runs[%zu]", i);
        if ((err = parse_document(&v[i], c, where, at, 1)) < 0)
            goto done;
    }
    *runs = v;
    *n = count;
    v = NULL;
done:
    if (v)
        for (i = 0; i < count; i++)
            pr_run_release(&v[i]);
    free(v);
    cJSON_Delete(root);
    return err;
}

/* ---- loading ---- */

int pr_results_load(pr_run *out, const char *path)
{
    pr_strbuf text = PR_STRBUF_INIT;
    int err = pr_json_read_file(path, "a results file", &text);

    if (err == 0)
        err = pr_results_parse(out, pr_strbuf_cstr(&text), text.len, path);
    pr_strbuf_release(&text);
    return err;
}
