/*
 * import.c - Google Benchmark, pytest-benchmark and hyperfine JSON as a
 * perfreg run (import.h, docs/importing.md). It recognises the format by
 * the document's shape, turns each tool's rows into results (samples in
 * nanoseconds per iteration, or the tool's statistics where it kept no raw
 * times) and its context into the run's, and checks what it takes as
 * strictly as results.c reads a results file: every field it uses is
 * type-checked and named in the message, by its path in the tool's
 * document. Writing the run is results.c's job; the run this file returns
 * is one pr_results_write accepts.
 *
 * Nothing is guessed: a document of none of the formats, or with a format
 * forced, of another shape, is an error saying what was expected; what a
 * tool does not report stays unknown (null) or is documented where a
 * results file needs a figure (docs/importing.md, "What is lost").
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "error.h"
#include "import.h"
#include "json.h"
#include "run.h"
#include "stats.h"
#include "strbuf.h"
#include "banned.h"

/* Integers travel as JSON numbers read into doubles, exact up to 2^53. */
#define MAX_JSON_INT UINT64_C(9007199254740992)
/* "benchmarks[N]" and "results[N]", with room for a member after them */
#define WHERE_SIZE 48
#define PATH_SIZE 96
/* a name quoted in a message, clipped */
#define NAME_SIZE 96
/* a whole number of bytes or items per iteration when this close to one:
 * the rates come as rate x time, exact up to the printed digits */
#define WHOLE_TOLERANCE 1e-9

void pr_import_options_init(pr_import_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->format = PR_IMPORT_AUTO;
    opt->gbench_time = PR_IMPORT_REAL_TIME;
}

const char *pr_import_format_name(pr_import_format format)
{
    switch (format) {
    case PR_IMPORT_GBENCH:
        return "gbench";
    case PR_IMPORT_PYTEST:
        return "pytest";
    case PR_IMPORT_HYPERFINE:
        return "hyperfine";
    case PR_IMPORT_AUTO:
        break;
    }
    return "auto";
}

const char *pr_import_format_title(pr_import_format format)
{
    switch (format) {
    case PR_IMPORT_GBENCH:
        return "Google Benchmark JSON";
    case PR_IMPORT_PYTEST:
        return "pytest-benchmark JSON";
    case PR_IMPORT_HYPERFINE:
        return "hyperfine JSON";
    case PR_IMPORT_AUTO:
        break;
    }
    return "JSON";
}

int pr_import_format_parse(const char *name, pr_import_format *out)
{
    static const pr_import_format formats[] = {PR_IMPORT_GBENCH, PR_IMPORT_PYTEST,
                                               PR_IMPORT_HYPERFINE};
    size_t i;

    for (i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(name, pr_import_format_name(formats[i])) == 0) {
            *out = formats[i];
            return 0;
        }
    return pr_error_set(PR_EUSAGE, "--from '%s': one of gbench, pytest, hyperfine", name);
}

/* ---- messages and typed reads ---- */

/* NAME, which holds no control character, clipped to fit BUF (at least 4
 * bytes) with "..." at its end, never inside a UTF-8 sequence. */
static void clip_name(char *buf, size_t size, const char *name)
{
    size_t len = strlen(name);

    if (len < size) {
        memcpy(buf, name, len + 1);
        return;
    }
    len = size - 4;
    while (len > 0 && ((unsigned char)name[len] & 0xc0) == 0x80)
        len--;
    memcpy(buf, name, len);
    memcpy(buf + len, "...", 4);
}

static const cJSON *member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* A string member, borrowed: absent or null leaves *OUT NULL unless
 * REQUIRED. Perfreg's files hold UTF-8 only. */
static int read_str(const char *file, const char *where, const cJSON *obj, const char *key,
                    int required, const char **out)
{
    const cJSON *v = member(obj, key);

    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return required ? pr_json_missing(file, where, key) : 0;
    if (!cJSON_IsString(v) || !v->valuestring)
        return pr_json_field_error(file, where, key, "%s",
                                   required ? "expected a string" : "expected a string or null");
    if (!pr_json_utf8_valid(v->valuestring))
        return pr_json_field_error(file, where, key, "expected a UTF-8 string");
    *out = v->valuestring;
    return 0;
}

/* A number member, finite and non-negative: absent or null leaves *OUT
 * alone and *PRESENT 0 unless REQUIRED. */
static int read_num(const char *file, const char *where, const cJSON *obj, const char *key,
                    int required, double *out, int *present)
{
    const cJSON *v = member(obj, key);

    *present = 0;
    if (!v || cJSON_IsNull(v))
        return required ? pr_json_missing(file, where, key) : 0;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0)
        return pr_json_field_error(file, where, key, "expected a non-negative finite number");
    *out = v->valuedouble;
    *present = 1;
    return 0;
}

/* A whole number member in [MIN, MAX], read through the double. */
static int read_whole(const char *file, const char *where, const cJSON *obj, const char *key,
                      int required, uint64_t min, uint64_t max, uint64_t *out, int *present)
{
    const cJSON *v = member(obj, key);
    char text[PR_DOUBLE_SIZE];
    double d;

    *present = 0;
    if (!v || cJSON_IsNull(v))
        return required ? pr_json_missing(file, where, key) : 0;
    if (!cJSON_IsNumber(v))
        return pr_json_field_error(file, where, key, "expected a whole number");
    d = v->valuedouble;
    pr_format_double(text, sizeof text, d);
    if (!isfinite(d) || d < 0 || floor(d) != d)
        return pr_json_field_error(file, where, key, "expected a non-negative whole number, got %s",
                                   text);
    if (d < (double)min || d > (double)max)
        return pr_json_field_error(
            file, where, key, "%s is out of range (%" PRIu64 " to %" PRIu64 ")", text, min, max);
    *out = (uint64_t)d;
    *present = 1;
    return 0;
}

/* An object or array member: absent or null gives NULL unless REQUIRED. */
static int read_kind(const char *file, const char *where, const cJSON *obj, const char *key,
                     int required, int array, const cJSON **out)
{
    const cJSON *v = member(obj, key);

    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return required ? pr_json_missing(file, where, key) : 0;
    if (array ? !cJSON_IsArray(v) : !cJSON_IsObject(v))
        return pr_json_field_error(file, where, key,
                                   array ? "expected an array" : "expected an object");
    *out = v;
    return 0;
}

/* A benchmark name as results files hold it (results.c): not empty, no
 * control character (UTF-8 is read_str's). */
static int check_name(const char *file, const char *where, const char *key, const char *name)
{
    int c;

    if (!*name)
        return pr_json_field_error(file, where, key, "expected a non-empty name");
    if ((c = pr_name_control(name)) >= 0)
        return pr_json_field_error(file, where, key, "contains the control character U+%04X", c);
    return 0;
}

/* *DST = a copy of S (NULL stays NULL). */
static int set_string(char **dst, const char *s)
{
    free(*dst);
    *dst = NULL;
    if (s && !(*dst = pr_strdup(s)))
        return PR_ENOMEM;
    return 0;
}

/* V of a unit SCALE (1e9 for seconds, 1 for ns) as nanoseconds, within
 * what a sample may be (stats.h): 0, or PR_STATS_MIN_NS to PR_STATS_MAX_NS. */
static int time_ns(const char *file, const char *where, const char *key, double v, double scale,
                   double *ns)
{
    char text[PR_DOUBLE_SIZE];
    double x = v * scale;

    if (isfinite(x) && x <= PR_STATS_MAX_NS && !(x > 0 && x < PR_STATS_MIN_NS)) {
        *ns = x;
        return 0;
    }
    pr_format_double(text, sizeof text, v);
    return pr_json_field_error(
        file, where, key, "%s is out of range for a time (0, or %g ns to %g ns once converted)",
        text, PR_STATS_MIN_NS, PR_STATS_MAX_NS);
}

/* The nearest whole number when X is one up to rounding. */
static double whole_if_close(double x)
{
    double r = nearbyint(x);

    return fabs(x - r) <= WHOLE_TOLERANCE * fabs(x) ? r : x;
}

/*
 * "2026-11-23T08:28:05+00:00" (a space may stand for the T, a fraction of
 * a second may follow, the offset may be Z, +HH:MM or +HHMM) as UTC,
 * "2026-11-23T08:28:05Z", in OUT. Without an offset the text is UTC only
 * when NAIVE_UTC says the tool writes UTC (pytest-benchmark's datetime).
 * 0, or -1 when S is not such a date.
 */
#define DATE_SIZE 64 /* "2026-11-23T08:28:05Z" and room for what -Wformat-truncation fears */

static int digits(const char *s, size_t n, int *out)
{
    size_t i;

    *out = 0;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        *out = *out * 10 + (s[i] - '0');
    }
    return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil): no time_t, no time zone, no timegm. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int utc_date(const char *s, int naive_utc, char out[DATE_SIZE])
{
    static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int year, month, day, hour, minute, second, oh = 0, om = 0, sign = 0;
    int64_t t, y;
    size_t i = 19;

    if (strlen(s) < 19 || digits(s, 4, &year) || s[4] != '-' || digits(s + 5, 2, &month) ||
        s[7] != '-' || digits(s + 8, 2, &day) || (s[10] != 'T' && s[10] != ' ') ||
        digits(s + 11, 2, &hour) || s[13] != ':' || digits(s + 14, 2, &minute) || s[16] != ':' ||
        digits(s + 17, 2, &second))
        return -1;
    if (s[i] == '.') {
        for (i++; s[i] >= '0' && s[i] <= '9'; i++)
            ;
        if (i == 20)
            return -1;
    }
    if (s[i] == 'Z') {
        i++;
    } else if (s[i] == '+' || s[i] == '-') {
        sign = s[i] == '-' ? -1 : 1;
        if (digits(s + i + 1, 2, &oh))
            return -1;
        i += 3;
        if (s[i] == ':')
            i++;
        if (digits(s + i, 2, &om))
            return -1;
        i += 2;
    } else if (!naive_utc) {
        return -1;
    }
    if (s[i] != '\0' || year < 1 || month < 1 || month > 12 || day < 1 ||
        day > month_days[month - 1] ||
        (month == 2 && day == 29 && (year % 4 != 0 || (year % 100 == 0 && year % 400 != 0))) ||
        hour > 23 || minute > 59 || second > 60 || oh > 23 || om > 59)
        return -1;
    t = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
        sign * (oh * 3600 + om * 60);
    civil_from_days(t >= 0 ? t / 86400 : -((-t + 86399) / 86400), &y, &month, &day);
    t -= days_from_civil(y, month, day) * 86400;
    if (y < 1 || y > 9999)
        return -1;
    snprintf(out, DATE_SIZE, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, month, day, (int)(t / 3600),
             (int)(t / 60 % 60), (int)(t % 60));
    return 0;
}

/* The date member KEY as UTC into *DST; absent or null leaves it NULL. */
static int read_date(const char *file, const char *where, const cJSON *obj, const char *key,
                     int naive_utc, char **dst)
{
    char date[DATE_SIZE];
    const char *s;
    int err;

    if ((err = read_str(file, where, obj, key, 0, &s)) < 0 || !s)
        return err;
    if (utc_date(s, naive_utc, date) < 0)
        return pr_json_field_error(file, where, key,
                                   "expected an ISO 8601 date and time%s, such as "
                                   "2026-11-23T08:28:05+00:00",
                                   naive_utc ? "" : " with its UTC offset");
    return set_string(dst, date);
}

/* ---- what every format ends with ---- */

/*
 * Statistics a tool gave instead of samples: quantiles in the order a
 * results file requires (min <= q1 <= median <= q3 <= max, results.c), the
 * rest derived as stats.h defines them. NAMES are the tool's fields for
 * min, q1, median, q3 and max, for the message; q1 and q3 may repeat the
 * median's name where the tool has none (hyperfine, Google Benchmark).
 */
static int set_stats_only(pr_result *r, const char *file, const char *where,
                          const char *const *names, uint64_t n, const double *q, double mean,
                          double stddev, double iqr, uint64_t outliers)
{
    pr_stats *s = &r->stats;
    size_t i;

    for (i = 1; i < 5; i++)
        if (q[i] < q[i - 1])
            return pr_json_field_error(file, where, names[i], "below %s", names[i - 1]);
    if (outliers > n)
        return pr_json_field_error(file, where, NULL,
                                   "more outliers (%" PRIu64 ") than values (%" PRIu64 ")",
                                   outliers, n);
    memset(s, 0, sizeof *s);
    s->n = (size_t)n;
    s->min_ns = q[0];
    s->q1_ns = q[1];
    s->median_ns = q[2];
    s->q3_ns = q[3];
    s->max_ns = q[4];
    s->mean_ns = mean;
    s->stddev_ns = stddev;
    s->iqr_ns = iqr;
    s->cv = mean > 0 ? stddev / mean : 0;
    s->ops_per_second = mean > 0 ? 1e9 / mean : 0;
    s->outliers_mild = (size_t)outliers;
    return 0;
}

/* R's statistics from its samples (KEY names them for the message). */
static int compute_stats(pr_result *r, const char *file, const char *where, const char *key)
{
    const pr_stats *s = &r->stats;
    int err = pr_stats_compute(&r->stats, r->samples_ns, r->n_samples);

    if (err == PR_EINVALID)
        return pr_json_field_error(file, where, key, "%s", pr_error_last());
    if (err < 0)
        return err;
    /* samples near the limit can overflow the sums; results files hold
     * finite numbers only */
    if (!isfinite(s->mean_ns) || !isfinite(s->stddev_ns) || !isfinite(s->cv) ||
        !isfinite(s->mad_ns) || !isfinite(s->iqr_ns) || !isfinite(s->ops_per_second))
        return pr_json_field_error(file, where, key, "times too extreme to summarise");
    return 0;
}

/* Appends a result for NAME to RUN. */
static int add_result(pr_run *run, const char *name, pr_result **out)
{
    int err = pr_run_add_result(run, out);

    if (err < 0)
        return err;
    (*out)->iterations = 1;
    return set_string(&(*out)->name, name);
}

/* Sets R failed with the reason TEXT. */
static int set_failed(pr_result *r, const char *text)
{
    r->status = PR_STATUS_FAILED;
    free(r->samples_ns);
    r->samples_ns = NULL;
    r->n_samples = 0;
    memset(&r->stats, 0, sizeof r->stats);
    return set_string(&r->error, text);
}

/* The names of RUN's results are unique: else "'FILE': LIST[J].KEY:
 * duplicate benchmark name 'X' (first at LIST[I])". */
static int check_unique(const pr_run *run, const char *file, const char *list, const char *key)
{
    char name[NAME_SIZE];
    size_t first = 0, second = 0;
    int found = pr_names_duplicate(run->results, run->n_results, sizeof *run->results,
                                   offsetof(pr_result, name), &first, &second);

    if (found <= 0)
        return found;
    clip_name(name, sizeof name, run->results[second].name);
    return pr_error_set(PR_EINVALID,
                        "'%s': %s[%zu].%s: duplicate benchmark name '%s' (first at %s[%zu])", file,
                        list, second, key, name, list, first);
}

/* A counter's name from a tool (GB row members, pytest's extra_info): the
 * rules of a benchmark name. The message does not quote a name that breaks
 * them: it could break the line. */
static int check_counter_name(const char *file, const char *where, const char *name)
{
    int c;

    if (!*name)
        return pr_json_field_error(file, where, NULL, "a counter has an empty name");
    if (!pr_json_utf8_valid(name))
        return pr_json_field_error(file, where, NULL, "a counter's name is not UTF-8");
    if ((c = pr_name_control(name)) >= 0)
        return pr_json_field_error(file, where, NULL,
                                   "a counter's name contains the control character U+%04X", c);
    return 0;
}

/* ---- Google Benchmark ---- */

/* One row of "benchmarks", and the benchmark it belongs to. */
typedef struct gb_row {
    const cJSON *row;
    const char *key;  /* run_name, else name: the benchmark */
    const char *name; /* name: the aggregate's, "BM_x_mean" */
    size_t index;     /* in benchmarks[] */
    int aggregate;    /* run_type "aggregate" */
} gb_row;

static int compare_gb_rows(const void *pa, const void *pb)
{
    const gb_row *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);

    return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* A benchmark: rows [begin, end) of the sorted rows, first at FIRST. */
typedef struct gb_group {
    size_t begin, end, first;
} gb_group;

static int compare_gb_groups(const void *pa, const void *pb)
{
    const gb_group *a = pa, *b = pb;

    return (a->first > b->first) - (a->first < b->first);
}

/* A counter value seen in a row; SEQ orders them as the document does. */
typedef struct gb_counter {
    const char *name;
    double value;
    size_t row, seq;
} gb_counter;

static int compare_gb_counters(const void *pa, const void *pb)
{
    const gb_counter *a = pa, *b = pb;
    int c = strcmp(a->name, b->name);

    return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

static int compare_gb_counter_seq(const void *pa, const void *pb)
{
    const gb_counter *a = pa, *b = pb;

    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* The numbers GB itself writes in a row; any other number is a user
 * counter. The complexity figures only appear in rows whose counters are
 * not read, but a counter could not take their names either. */
static int gb_known_number(const char *key)
{
    static const char *const known[] = {"family_index", "per_family_instance_index",
                                        "repetitions", "repetition_index", "threads",
                                        "iterations", "real_time", "cpu_time",
                                        "bytes_per_second", "items_per_second",
                                        "cpu_coefficient", "real_coefficient", "rms"};
    size_t i;

    for (i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(key, known[i]) == 0)
            return 1;
    return 0;
}

/* What one import of GB JSON shares. */
typedef struct gb_import {
    const char *file;
    const char *time_key; /* "real_time" or "cpu_time" */
    gb_row *rows;
    size_t n_rows;
} gb_import;

static void gb_where(char *where, size_t size, const gb_row *row)
{
    snprintf(where, size, "benchmarks[%zu]", row->index);
}

/*
 * The counters of ROWS (N of them; the mean over the rows that have each,
 * as GB's mean aggregate gives them) added to R in the order they first
 * appear.
 */
static int gb_counters(gb_import *gb, pr_result *r, const gb_row *const *rows, size_t n)
{
    gb_counter *v = NULL;
    char where[WHERE_SIZE], name[NAME_SIZE];
    size_t count = 0, alloc = 0, i, j, k, out = 0;
    const cJSON *c;
    int err = 0;

    for (i = 0; i < n; i++) {
        gb_where(where, sizeof where, rows[i]);
        for (c = rows[i]->row->child; c; c = c->next) {
            if (!cJSON_IsNumber(c) || gb_known_number(c->string))
                continue;
            if ((err = check_counter_name(gb->file, where, c->string)) < 0)
                goto done;
            if (!isfinite(c->valuedouble)) {
                clip_name(name, sizeof name, c->string);
                err = pr_json_field_error(gb->file, where, NULL,
                                          "counter '%s': expected a finite number", name);
                goto done;
            }
            if (count == alloc) {
                gb_counter *p;
                alloc = alloc ? 2 * alloc : 8;
                if (alloc > SIZE_MAX / sizeof *p || !(p = realloc(v, alloc * sizeof *p))) {
                    err = pr_error_set(PR_ENOMEM, "out of memory");
                    goto done;
                }
                v = p;
            }
            v[count].name = c->string;
            v[count].value = c->valuedouble;
            v[count].row = i;
            v[count].seq = count;
            count++;
        }
    }
    if (count == 0)
        goto done;
    qsort(v, count, sizeof *v, compare_gb_counters);
    /* one entry per name: the mean, at the place of its first sighting */
    for (i = 0; i < count; i = j) {
        double sum = 0;
        for (j = i; j < count && strcmp(v[j].name, v[i].name) == 0; j++) {
            if (j > i && v[j].row == v[j - 1].row) {
                gb_where(where, sizeof where, rows[v[j].row]);
                clip_name(name, sizeof name, v[j].name);
                err = pr_json_field_error(gb->file, where, NULL, "the counter '%s' appears twice",
                                          name);
                goto done;
            }
            sum += v[j].value;
        }
        v[out] = v[i];
        v[out].value = sum / (double)(j - i);
        if (!isfinite(v[out].value)) {
            gb_where(where, sizeof where, rows[v[i].row]);
            clip_name(name, sizeof name, v[i].name);
            err = pr_json_field_error(gb->file, where, NULL, "counter '%s': its mean overflows",
                                      name);
            goto done;
        }
        out++;
    }
    qsort(v, out, sizeof *v, compare_gb_counter_seq);
    for (k = 0; k < out; k++)
        if ((err = pr_result_add_counter(r, v[k].name, v[k].value)) < 0)
            goto done;
done:
    free(v);
    return err;
}

/* The time KEY of ROW in nanoseconds, from its time_unit. */
static int gb_time(gb_import *gb, const gb_row *row, const char *key, double *ns)
{
    static const struct {
        const char *unit;
        double scale;
    } units[] = {{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}};
    char where[WHERE_SIZE];
    const char *unit;
    double v = 0;
    size_t i;
    int present, err;

    gb_where(where, sizeof where, row);
    if ((err = read_str(gb->file, where, row->row, "time_unit", 1, &unit)) < 0 ||
        (err = read_num(gb->file, where, row->row, key, 1, &v, &present)) < 0)
        return err;
    for (i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(unit, units[i].unit) == 0)
            return time_ns(gb->file, where, key, v, units[i].scale, ns);
    return pr_json_field_error(gb->file, where, "time_unit",
                               "expected \"ns\", \"us\", \"ms\" or \"s\"");
}

/*
 * Bytes and items per iteration of ROW from its bytes_per_second and
 * items_per_second: the rate times the time GB divided by, the CPU time
 * unless the benchmark measures real or manual time (GB then adds
 * "/real_time" or "/manual_time" to its name). Adds each to SUM[0], SUM[1]
 * and counts it in COUNT[0], COUNT[1].
 */
static int gb_rates(gb_import *gb, const gb_row *row, double *sum, size_t *count)
{
    static const char *const keys[] = {"bytes_per_second", "items_per_second"};
    const char *basis = strstr(row->key, "/real_time") || strstr(row->key, "/manual_time")
                            ? "real_time"
                            : "cpu_time";
    char where[WHERE_SIZE];
    double rate = 0, ns = 0, per;
    size_t i;
    int present, err;

    gb_where(where, sizeof where, row);
    for (i = 0; i < 2; i++) {
        if ((err = read_num(gb->file, where, row->row, keys[i], 0, &rate, &present)) < 0)
            return err;
        if (!present)
            continue;
        if ((err = gb_time(gb, row, basis, &ns)) < 0)
            return err;
        per = rate * (ns / 1e9);
        if (!isfinite(per))
            return pr_json_field_error(gb->file, where, keys[i], "too large");
        sum[i] += per;
        count[i]++;
    }
    return 0;
}

/* Bytes and items per iteration from the sums of gb_rates, as whole
 * numbers where they are one up to rounding. */
static void gb_set_rates(pr_result *r, const double *sum, const size_t *count)
{
    if (count[0] > 0)
        r->bytes_per_iteration = whole_if_close(sum[0] / (double)count[0]);
    if (count[1] > 0)
        r->items_per_iteration = whole_if_close(sum[1] / (double)count[1]);
}

/* Per-second throughput stays finite (results.c refuses it otherwise). */
static int gb_check_throughput(gb_import *gb, pr_result *r, const gb_row *row)
{
    char where[WHERE_SIZE];
    double mean_s = r->stats.mean_ns / 1e9;

    gb_where(where, sizeof where, row);
    if (mean_s > 0 && !isfinite(r->bytes_per_iteration / mean_s))
        return pr_json_field_error(gb->file, where, "bytes_per_second",
                                   "bytes per second would overflow");
    if (mean_s > 0 && !isfinite(r->items_per_iteration / mean_s))
        return pr_json_field_error(gb->file, where, "items_per_second",
                                   "items per second would overflow");
    pr_result_derive_throughput(r);
    return 0;
}

/* A repetition_index seen in a row of one benchmark. */
typedef struct gb_rep {
    uint64_t rep;
    size_t index;
} gb_rep;

static int compare_gb_reps(const void *pa, const void *pb)
{
    const gb_rep *a = pa, *b = pb;

    if (a->rep != b->rep)
        return (a->rep > b->rep) - (a->rep < b->rep);
    return (a->index > b->index) - (a->index < b->index);
}

/* A repetition seen twice is two benchmarks registered under one name,
 * which would pass for one with twice the samples. */
static int gb_check_repetitions(gb_import *gb, const gb_row *const *rows, size_t n)
{
    char where[WHERE_SIZE], name[NAME_SIZE];
    gb_rep *reps;
    size_t i, n_reps = 0, first = 0, second = SIZE_MAX;
    uint64_t rep = 0;
    int present, err = 0;

    if (!(reps = calloc(n, sizeof *reps)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        gb_where(where, sizeof where, rows[i]);
        if ((err = read_whole(gb->file, where, rows[i]->row, "repetition_index", 0, 0, MAX_JSON_INT,
                              &rep, &present)) < 0)
            goto done;
        if (present) {
            reps[n_reps].rep = rep;
            reps[n_reps].index = rows[i]->index;
            n_reps++;
        }
    }
    if (n_reps > 1)
        qsort(reps, n_reps, sizeof *reps, compare_gb_reps);
    /* the earliest repeat in the document: the smallest second index */
    for (i = 1; i < n_reps; i++)
        if (reps[i].rep == reps[i - 1].rep && reps[i].index < second &&
            (i < 2 || reps[i - 2].rep != reps[i].rep)) {
            first = reps[i - 1].index;
            second = reps[i].index;
            rep = reps[i].rep;
        }
    if (second != SIZE_MAX) {
        clip_name(name, sizeof name, rows[0]->key);
        err = pr_error_set(PR_EINVALID,
                           "'%s': benchmarks[%zu].repetition_index: repetition %" PRIu64
                           " of '%s' again (first at benchmarks[%zu]): two benchmarks with one "
                           "name",
                           gb->file, second, rep, name, first);
    }
done:
    free(reps);
    return err;
}

/* The repetitions of one benchmark (ROWS, N, in document order): each row
 * a sample, or the first error GB reported. */
static int gb_iterations(gb_import *gb, pr_result *r, const gb_row *const *rows, size_t n)
{
    char where[WHERE_SIZE];
    const char *message;
    const cJSON *error;
    uint64_t iterations = 0;
    double sum[2] = {0, 0};
    size_t count[2] = {0, 0}, i;
    int present, err;

    if ((err = gb_check_repetitions(gb, rows, n)) < 0)
        return err;
    for (i = 0; i < n; i++) {
        gb_where(where, sizeof where, rows[i]);
        error = member(rows[i]->row, "error_occurred");
        if (error && !cJSON_IsBool(error) && !cJSON_IsNull(error))
            return pr_json_field_error(gb->file, where, "error_occurred", "expected true or false");
        if (cJSON_IsTrue(error)) {
            if ((err = read_str(gb->file, where, rows[i]->row, "error_message", 0, &message)) < 0)
                return err;
            return set_failed(r,
                              message && *message ? message : "Google Benchmark reported an error");
        }
    }
    if (!(r->samples_ns = malloc(n * sizeof *r->samples_ns)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        uint64_t it = 0;
        gb_where(where, sizeof where, rows[i]);
        if ((err = gb_time(gb, rows[i], gb->time_key, &r->samples_ns[i])) < 0 ||
            (err = read_whole(gb->file, where, rows[i]->row, "iterations", 1, 1, MAX_JSON_INT, &it,
                              &present)) < 0 ||
            (err = gb_rates(gb, rows[i], sum, count)) < 0)
            return err;
        r->n_samples = i + 1;
        /* GB runs every repetition with the same count; if not, the
         * smallest */
        if (i == 0 || it < iterations)
            iterations = it;
    }
    r->iterations = iterations;
    gb_where(where, sizeof where, rows[0]);
    if ((err = compute_stats(r, gb->file, where, gb->time_key)) < 0 ||
        (err = gb_counters(gb, r, rows, n)) < 0)
        return err;
    gb_set_rates(r, sum, count);
    return gb_check_throughput(gb, r, rows[0]);
}

/* The aggregate a row is: aggregate_name, else what follows "KEY_" in its
 * name (older GB). NULL when neither says. */
static const char *gb_aggregate_name(const gb_row *row)
{
    const cJSON *v = member(row->row, "aggregate_name");
    size_t len = strlen(row->key);

    if (cJSON_IsString(v) && v->valuestring)
        return v->valuestring;
    if (row->name && strncmp(row->name, row->key, len) == 0 && row->name[len] == '_')
        return row->name + len + 1;
    return NULL;
}

/*
 * A benchmark GB reported by its aggregates only
 * (--benchmark_report_aggregates_only): statistics from the mean, median and
 * stddev rows, no samples. 1 when there is no mean aggregate (the BigO and
 * RMS rows of a complexity fit): no result, skip it.
 */
static int gb_aggregates(gb_import *gb, pr_run *run, const gb_row *const *rows, size_t n)
{
    static const char *const wanted[] = {"mean", "median", "stddev"};
    static const char *const names[] = {"median", "median", "median", "median", "median"};
    const gb_row *found[3] = {NULL, NULL, NULL};
    char where[WHERE_SIZE], name[NAME_SIZE];
    double ns[3], q[5], sum[2] = {0, 0};
    size_t count[2] = {0, 0}, i, k;
    uint64_t reps = 0;
    pr_result *r;
    int present, err;

    for (i = 0; i < n; i++) {
        const char *agg = gb_aggregate_name(rows[i]);
        for (k = 0; agg && k < 3; k++) {
            if (strcmp(agg, wanted[k]) != 0)
                continue;
            if (found[k]) {
                clip_name(name, sizeof name, rows[i]->key);
                return pr_error_set(PR_EINVALID,
                                    "'%s': benchmarks[%zu]: a second \"%s\" aggregate of '%s' "
                                    "(first at benchmarks[%zu])",
                                    gb->file, rows[i]->index, wanted[k], name, found[k]->index);
            }
            found[k] = rows[i];
        }
    }
    if (!found[0])
        return 1;
    gb_where(where, sizeof where, found[0]);
    for (k = 1; k < 3; k++)
        if (!found[k]) {
            clip_name(name, sizeof name, rows[0]->key);
            return pr_json_field_error(gb->file, where, NULL,
                                       "'%s' has a \"mean\" aggregate but no \"%s\" one", name,
                                       wanted[k]);
        }
    if ((err = read_whole(gb->file, where, found[0]->row, "repetitions", 1, 1, MAX_JSON_INT, &reps,
                          &present)) < 0)
        return err;
    for (k = 0; k < 3; k++)
        if ((err = gb_time(gb, found[k], gb->time_key, &ns[k])) < 0)
            return err;
    if ((err = add_result(run, rows[0]->key, &r)) < 0)
        return err;
    /* GB reports no extremes or quartiles: the median stands for them
     * (docs/importing.md) */
    for (k = 0; k < 5; k++)
        q[k] = ns[1];
    if ((err = set_stats_only(r, gb->file, where, names, reps, q, ns[0], ns[2], 0, 0)) < 0 ||
        (err = gb_counters(gb, r, &found[0], 1)) < 0 ||
        /* the median row: for an odd count, the rate and the time of one
         * same repetition, so their product is exact */
        (err = gb_rates(gb, found[1], sum, count)) < 0)
        return err;
    gb_set_rates(r, sum, count);
    return gb_check_throughput(gb, r, found[0]);
}

/* The context block: date, host, cores, the suite's default name. */
static int gb_context(pr_run *run, const cJSON *root, const char *file, const char **executable)
{
    const char *host = NULL, *build = NULL;
    const cJSON *ctx;
    uint64_t cores = 0;
    char *flags = NULL;
    int present, err;

    *executable = NULL;
    if ((err = read_kind(file, "", root, "context", 0, 0, &ctx)) < 0 || !ctx)
        return err;
    if ((err = read_date(file, "context", ctx, "date", 0, &run->context.date)) < 0 ||
        (err = read_str(file, "context", ctx, "host_name", 0, &host)) < 0 ||
        (err = read_str(file, "context", ctx, "executable", 0, executable)) < 0 ||
        (err = read_whole(file, "context", ctx, "num_cpus", 0, 0, INT32_MAX, &cores, &present)) <
            0 ||
        (err = read_str(file, "context", ctx, "library_build_type", 0, &build)) < 0 ||
        (err = set_string(&run->context.host, host)) < 0)
        return err;
    run->context.logical_cores = (int)cores;
    /* GB's own build, not the benchmark's: kept where the report shows
     * it, never as the build type the machine check compares */
    if (build && *build) {
        pr_strbuf sb = PR_STRBUF_INIT;
        pr_strbuf_addf(&sb, "library_build_type %s", build);
        flags = pr_strbuf_detach(&sb, NULL);
        pr_strbuf_release(&sb);
        if (!flags)
            return pr_error_set(PR_ENOMEM, "out of memory");
        free(run->context.build_flags);
        run->context.build_flags = flags;
    }
    return 0;
}

/* The basename of PATH ('/' or '\\' separated); NULL when it is empty. */
static const char *basename_of(const char *path)
{
    const char *p, *base = path;

    if (!path)
        return NULL;
    for (p = path; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    return *base ? base : NULL;
}

static int import_gbench(pr_run *run, const cJSON *root, const char *file,
                         const pr_import_options *opt)
{
    gb_import gb = {file, opt->gbench_time == PR_IMPORT_CPU_TIME ? "cpu_time" : "real_time", NULL,
                    0};
    const cJSON *list = member(root, "benchmarks"), *c;
    const gb_row **members = NULL;
    gb_group *groups = NULL;
    const char *executable, *type, *suite;
    char where[WHERE_SIZE];
    size_t i, j, n = 0, n_groups = 0;
    int err;

    if ((err = gb_context(run, root, file, &executable)) < 0)
        return err;
    for (c = list->child; c; c = c->next)
        n++;
    if (n > 0 &&
        (!(gb.rows = calloc(n, sizeof *gb.rows)) || !(groups = calloc(n, sizeof *groups)) ||
         !(members = calloc(n, sizeof *members)))) {
        err = pr_error_set(PR_ENOMEM, "out of memory");
        goto done;
    }
    for (c = list->child, i = 0; c; c = c->next, i++) {
        gb_row *row = &gb.rows[i];
        snprintf(where, sizeof where, "benchmarks[%zu]", i);
        if (!cJSON_IsObject(c)) {
            err = pr_json_field_error(file, where, NULL, "expected an object");
            goto done;
        }
        row->row = c;
        row->index = i;
        if ((err = read_str(file, where, c, "run_type", 0, &type)) < 0 ||
            (err = read_str(file, where, c, "name", 0, &row->name)) < 0 ||
            (err = read_str(file, where, c, "run_name", 0, &row->key)) < 0)
            goto done;
        if (type && strcmp(type, "iteration") != 0 && strcmp(type, "aggregate") != 0) {
            err = pr_json_field_error(file, where, "run_type",
                                      "expected \"iteration\" or \"aggregate\"");
            goto done;
        }
        /* before run_type (GB 1.5), only aggregates had an aggregate_name */
        row->aggregate =
            type ? strcmp(type, "aggregate") == 0 : member(c, "aggregate_name") != NULL;
        if (!row->key && !row->name) {
            err = pr_json_missing(file, where, "name");
            goto done;
        }
        if ((err = check_name(file, where, row->key ? "run_name" : "name",
                              row->key ? row->key : row->name)) < 0)
            goto done;
        if (!row->key)
            row->key = row->name;
    }
    gb.n_rows = n;
    /* the rows of one benchmark together, in document order */
    if (n > 0)
        qsort(gb.rows, n, sizeof *gb.rows, compare_gb_rows);
    for (i = 0; i < n; i = j) {
        for (j = i; j < n && strcmp(gb.rows[j].key, gb.rows[i].key) == 0; j++)
            ;
        groups[n_groups].begin = i;
        groups[n_groups].end = j;
        groups[n_groups].first = gb.rows[i].index;
        n_groups++;
    }
    if (n_groups > 0)
        qsort(groups, n_groups, sizeof *groups, compare_gb_groups);
    for (i = 0; i < n_groups; i++) {
        size_t n_iter = 0, n_agg = 0;
        pr_result *r;

        /* iteration rows first, then the aggregates, each in order */
        for (j = groups[i].begin; j < groups[i].end; j++)
            if (!gb.rows[j].aggregate)
                members[n_iter++] = &gb.rows[j];
        for (j = groups[i].begin; j < groups[i].end; j++)
            if (gb.rows[j].aggregate)
                members[n_iter + n_agg++] = &gb.rows[j];
        if (n_iter > 0) {
            /* the repetitions are the samples; GB's aggregates of them
             * are recomputed, not read */
            if ((err = add_result(run, members[0]->key, &r)) < 0 ||
                (err = gb_iterations(&gb, r, members, n_iter)) < 0)
                goto done;
        } else if ((err = gb_aggregates(&gb, run, members, n_agg)) < 0) {
            goto done;
        }
    }
    err = 0;
    suite = basename_of(executable);
    if ((err = set_string(&run->suite, suite ? suite : "gbench")) < 0 ||
        (err = set_string(&run->context.clock, opt->gbench_time == PR_IMPORT_CPU_TIME
                                                   ? "google-benchmark cpu_time"
                                                   : "google-benchmark real_time")) < 0)
        goto done;
done:
    free(gb.rows);
    free(groups);
    free(members);
    return err;
}

/* ---- pytest-benchmark ---- */

/* "(unknown)" and "(detached head)" are pytest-benchmark's words for no
 * branch and a detached HEAD; perfreg says null and "detached". */
static int pytest_commit(pr_run *run, const cJSON *root, const char *file, const char **project)
{
    const char *id = NULL, *branch = NULL;
    const cJSON *info, *dirty;
    pr_git_info *g = &run->git;
    size_t len, i;
    int err;

    *project = NULL;
    if ((err = read_kind(file, "", root, "commit_info", 0, 0, &info)) < 0 || !info)
        return err;
    if ((err = read_str(file, "commit_info", info, "id", 0, &id)) < 0 ||
        (err = read_str(file, "commit_info", info, "branch", 0, &branch)) < 0 ||
        (err = read_str(file, "commit_info", info, "project", 0, project)) < 0 ||
        (err = read_date(file, "commit_info", info, "time", 0, &g->commit_time)) < 0 ||
        (err = read_date(file, "commit_info", info, "author_time", 0, &g->author_time)) < 0)
        return err;
    dirty = member(info, "dirty");
    if (dirty && !cJSON_IsBool(dirty) && !cJSON_IsNull(dirty))
        return pr_json_field_error(file, "commit_info", "dirty", "expected true, false or null");
    /* "unversioned" and "unknown" outside a repository: no commit */
    len = id ? strlen(id) : 0;
    for (i = 0; i < len; i++)
        if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
            break;
    if ((len == 40 || len == 64) && i == len) {
        char short_id[8];
        memcpy(short_id, id, 7);
        short_id[7] = '\0';
        if ((err = set_string(&g->commit, id)) < 0 ||
            (err = set_string(&g->short_commit, short_id)) < 0)
            return err;
        g->dirty = cJSON_IsBool(dirty) ? cJSON_IsTrue(dirty) : -1;
    }
    if (branch && *branch && strcmp(branch, "(unknown)") != 0)
        err = set_string(&g->branch, strcmp(branch, "(detached head)") == 0 ? "detached" : branch);
    return err;
}

static int pytest_machine(pr_run *run, const cJSON *root, const char *file)
{
    const char *node, *machine, *system, *release, *processor, *brand = NULL, *impl, *version;
    const cJSON *info, *cpu = NULL;
    pr_context *c = &run->context;
    uint64_t count = 0;
    int present = 0, err;

    if ((err = read_kind(file, "", root, "machine_info", 0, 0, &info)) < 0 || !info)
        return err;
    if ((err = read_str(file, "machine_info", info, "node", 0, &node)) < 0 ||
        (err = read_str(file, "machine_info", info, "machine", 0, &machine)) < 0 ||
        (err = read_str(file, "machine_info", info, "system", 0, &system)) < 0 ||
        (err = read_str(file, "machine_info", info, "release", 0, &release)) < 0 ||
        (err = read_str(file, "machine_info", info, "processor", 0, &processor)) < 0 ||
        (err = read_str(file, "machine_info", info, "python_implementation", 0, &impl)) < 0 ||
        (err = read_str(file, "machine_info", info, "python_implementation_version", 0, &version)) <
            0 ||
        (err = read_kind(file, "machine_info", info, "cpu", 0, 0, &cpu)) < 0)
        return err;
    /* py-cpuinfo says brand_raw (brand before 7.0), and count */
    if (cpu &&
        ((err = read_str(file, "machine_info.cpu", cpu, "brand_raw", 0, &brand)) < 0 ||
         (!brand && (err = read_str(file, "machine_info.cpu", cpu, "brand", 0, &brand)) < 0) ||
         (err = read_whole(file, "machine_info.cpu", cpu, "count", 0, 0, INT32_MAX, &count,
                           &present)) < 0))
        return err;
    if (!(brand && *brand))
        brand = processor && *processor ? processor : NULL;
    c->logical_cores = (int)count;
    if ((err = set_string(&c->host, node && *node ? node : NULL)) < 0 ||
        (err = set_string(&c->arch, machine && *machine ? machine : NULL)) < 0 ||
        (err = set_string(&c->os, system && *system ? system : NULL)) < 0 ||
        (err = set_string(&c->kernel, release && *release ? release : NULL)) < 0 ||
        (err = set_string(&c->cpu_model, brand)) < 0)
        return err;
    /* what runs the benchmarks, as a compiler does for C: "CPython 3.11.2" */
    if (impl && *impl && version && *version) {
        pr_strbuf sb = PR_STRBUF_INIT;
        pr_strbuf_addf(&sb, "%s %s", impl, version);
        free(c->compiler);
        c->compiler = pr_strbuf_detach(&sb, NULL);
        pr_strbuf_release(&sb);
        if (!c->compiler)
            return pr_error_set(PR_ENOMEM, "out of memory");
    }
    return 0;
}

/* extra_info's numbers as counters (strings and the rest are not kept). */
static int pytest_extra_info(pr_result *r, const cJSON *bench, const char *file, const char *where)
{
    char path[PATH_SIZE], name[NAME_SIZE];
    const cJSON *extra, *c;
    size_t first = 0, second = 0;
    int err;

    if ((err = read_kind(file, where, bench, "extra_info", 0, 0, &extra)) < 0 || !extra)
        return err;
    snprintf(path, sizeof path, "%s.extra_info", where);
    for (c = extra->child; c; c = c->next) {
        if (!cJSON_IsNumber(c))
            continue;
        if ((err = check_counter_name(file, path, c->string)) < 0)
            return err;
        if (!isfinite(c->valuedouble)) {
            clip_name(name, sizeof name, c->string);
            return pr_json_field_error(file, path, NULL, "'%s': expected a finite number", name);
        }
        if ((err = pr_result_add_counter(r, c->string, c->valuedouble)) < 0)
            return err;
    }
    if ((err = pr_names_duplicate(r->counters, r->n_counters, sizeof *r->counters,
                                  offsetof(pr_counter, name), &first, &second)) > 0) {
        clip_name(name, sizeof name, r->counters[second].name);
        return pr_json_field_error(file, path, NULL, "'%s' appears twice", name);
    }
    return err;
}

/*
 * One entry of "benchmarks": stats.data are the rounds' times per
 * iteration (pytest-benchmark divides each round by stats.iterations), in
 * seconds. Without data (--benchmark-save without --benchmark-save-data),
 * the statistics it computed.
 */
static int pytest_bench(pr_run *run, const cJSON *bench, const char *file, const char *where,
                        const char **timer, int *timers_differ)
{
    static const char *const q_keys[] = {"min", "q1", "median", "q3", "max"};
    char path[PATH_SIZE], key[40];
    const char *name, *t = NULL, *name_key = "fullname";
    const cJSON *stats, *data, *options, *c;
    pr_result *r;
    uint64_t iterations = 0, rounds = 0, outliers = 0;
    double q[5], mean = 0, stddev = 0, iqr = 0, v = 0;
    size_t i, n = 0;
    int present, err;

    if (!cJSON_IsObject(bench))
        return pr_json_field_error(file, where, NULL, "expected an object");
    if ((err = read_str(file, where, bench, "fullname", 0, &name)) < 0)
        return err;
    if (!name) {
        name_key = "name";
        if ((err = read_str(file, where, bench, "name", 1, &name)) < 0)
            return err;
    }
    if ((err = check_name(file, where, name_key, name)) < 0 ||
        (err = read_kind(file, where, bench, "options", 0, 0, &options)) < 0 ||
        (options && (err = read_str(file, where, options, "timer", 0, &t)) < 0))
        return err;
    if (options && t) {
        if (!*timer)
            *timer = t;
        else if (strcmp(*timer, t) != 0)
            *timers_differ = 1;
    }
    snprintf(path, sizeof path, "%s.stats", where);
    if ((err = read_kind(file, where, bench, "stats", 1, 0, &stats)) < 0 ||
        (err = read_whole(file, path, stats, "iterations", 1, 1, MAX_JSON_INT, &iterations,
                          &present)) < 0 ||
        (err = read_kind(file, path, stats, "data", 0, 1, &data)) < 0 ||
        (err = add_result(run, name, &r)) < 0)
        return err;
    r->iterations = iterations;
    for (c = data ? data->child : NULL; c; c = c->next)
        n++;
    if (n > 0) {
        if (n > SIZE_MAX / sizeof *r->samples_ns ||
            !(r->samples_ns = malloc(n * sizeof *r->samples_ns)))
            return pr_error_set(PR_ENOMEM, "out of memory");
        for (c = data->child, i = 0; c; c = c->next, i++) {
            snprintf(key, sizeof key, "data[%zu]", i);
            if (!cJSON_IsNumber(c) || !isfinite(c->valuedouble) || c->valuedouble < 0)
                return pr_json_field_error(file, path, key,
                                           "expected a non-negative finite number");
            if ((err = time_ns(file, path, key, c->valuedouble, 1e9, &r->samples_ns[i])) < 0)
                return err;
            r->n_samples = i + 1;
        }
        if ((err = compute_stats(r, file, path, "data")) < 0)
            return err;
    } else {
        for (i = 0; i < 5; i++)
            if ((err = read_num(file, path, stats, q_keys[i], 1, &v, &present)) < 0 ||
                (err = time_ns(file, path, q_keys[i], v, 1e9, &q[i])) < 0)
                return err;
        if ((err = read_whole(file, path, stats, "rounds", 1, 1, MAX_JSON_INT, &rounds, &present)) <
                0 ||
            (err = read_num(file, path, stats, "mean", 1, &v, &present)) < 0 ||
            (err = time_ns(file, path, "mean", v, 1e9, &mean)) < 0 ||
            (err = read_num(file, path, stats, "stddev", 1, &v, &present)) < 0 ||
            (err = time_ns(file, path, "stddev", v, 1e9, &stddev)) < 0 ||
            (err = read_num(file, path, stats, "iqr", 1, &v, &present)) < 0 ||
            (err = time_ns(file, path, "iqr", v, 1e9, &iqr)) < 0 ||
            /* Tukey's 1.5 IQR fences, without a mild / severe split */
            (err = read_whole(file, path, stats, "iqr_outliers", 0, 0, MAX_JSON_INT, &outliers,
                              &present)) < 0 ||
            (err = set_stats_only(r, file, path, q_keys, rounds, q, mean, stddev, iqr, outliers)) <
                0)
            return err;
    }
    if ((err = pytest_extra_info(r, bench, file, where)) < 0)
        return err;
    pr_result_derive_throughput(r);
    return 0;
}

static int import_pytest(pr_run *run, const cJSON *root, const char *file)
{
    const cJSON *list = member(root, "benchmarks"), *c;
    const char *project = NULL, *timer = NULL;
    char where[WHERE_SIZE];
    pr_strbuf clock = PR_STRBUF_INIT;
    size_t i;
    int timers_differ = 0, err;

    if ((err = pytest_machine(run, root, file)) < 0 ||
        (err = pytest_commit(run, root, file, &project)) < 0 ||
        /* utcnow().isoformat(): UTC without an offset */
        (err = read_date(file, "", root, "datetime", 1, &run->context.date)) < 0)
        return err;
    for (c = list->child, i = 0; c; c = c->next, i++) {
        snprintf(where, sizeof where, "benchmarks[%zu]", i);
        if ((err = pytest_bench(run, c, file, where, &timer, &timers_differ)) < 0)
            return err;
    }
    if ((err = check_unique(run, file, "benchmarks", "fullname")) < 0)
        return err;
    pr_strbuf_adds(&clock, "pytest-benchmark");
    if (timer && *timer && !timers_differ)
        pr_strbuf_addf(&clock, " %s", timer);
    if ((err = pr_strbuf_error(&clock)) == 0 &&
        (err = set_string(&run->context.clock, pr_strbuf_cstr(&clock))) == 0)
        err = set_string(&run->suite, project && *project ? project : "pytest");
    pr_strbuf_release(&clock);
    return err;
}

/* ---- hyperfine ---- */

/*
 * Why a command whose exit codes are not all 0 failed, in REASON:
 * "exit code 1 in 10 of 10 runs", "exit codes 1, 3 in 4 of 10 runs", and
 * "killed by a signal in 2 of 10 runs" (null codes). Empty when every run
 * exited 0. hyperfine records them only with --ignore-failure.
 */
static int hf_exit_codes(const cJSON *codes, const char *file, const char *where, pr_strbuf *reason)
{
    const cJSON *c;
    double listed[4];
    size_t n = 0, failed = 0, signals = 0, n_listed = 0, i, k;
    int more = 0;
    char key[40], text[PR_DOUBLE_SIZE];

    for (c = codes ? codes->child : NULL, i = 0; c; c = c->next, i++) {
        n++;
        if (cJSON_IsNull(c)) {
            signals++;
            continue;
        }
        snprintf(key, sizeof key, "exit_codes[%zu]", i);
        if (!cJSON_IsNumber(c) || floor(c->valuedouble) != c->valuedouble ||
            fabs(c->valuedouble) > 2147483648.0)
            return pr_json_field_error(file, where, key, "expected a whole number or null");
        if (c->valuedouble == 0)
            continue;
        failed++;
        for (k = 0; k < n_listed && listed[k] != c->valuedouble; k++)
            ;
        if (k == n_listed && n_listed < sizeof listed / sizeof listed[0])
            listed[n_listed++] = c->valuedouble;
        else if (k == n_listed)
            more = 1;
    }
    if (failed > 0) {
        pr_strbuf_adds(reason, n_listed > 1 ? "exit codes " : "exit code ");
        for (k = 0; k < n_listed; k++) {
            pr_format_double(text, sizeof text, listed[k]);
            pr_strbuf_addf(reason, "%s%s", k ? ", " : "", text);
        }
        pr_strbuf_addf(reason, "%s in %zu of %zu runs", more ? ", ..." : "", failed, n);
    }
    if (signals > 0)
        pr_strbuf_addf(reason, "%skilled by a signal in %zu of %zu runs", failed ? "; " : "",
                       signals, n);
    return pr_strbuf_error(reason);
}

/* ", name=value" for each of PARAMETERS (strings, or numbers). */
static int hf_parameters(const cJSON *params, const char *file, const char *where, pr_strbuf *out)
{
    char path[PATH_SIZE], text[PR_DOUBLE_SIZE];
    const cJSON *c;

    snprintf(path, sizeof path, "%s.parameters", where);
    for (c = params->child; c; c = c->next) {
        if (cJSON_IsString(c) && c->valuestring && pr_json_utf8_valid(c->valuestring)) {
            pr_strbuf_addf(out, "%s%s=%s", c == params->child ? "" : ", ", c->string,
                           c->valuestring);
        } else if (cJSON_IsNumber(c) && isfinite(c->valuedouble)) {
            pr_format_double(text, sizeof text, c->valuedouble);
            pr_strbuf_addf(out, "%s%s=%s", c == params->child ? "" : ", ", c->string, text);
        } else {
            return pr_json_field_error(file, path, NULL, "expected strings or numbers");
        }
    }
    return pr_strbuf_error(out);
}

static int hf_result(pr_run *run, const cJSON *entry, const char *file, const char *where)
{
    static const char *const q_keys[] = {"min", "median", "median", "median", "max"};
    static const char *const counters[][2] = {{"user", "user_s"}, {"system", "system_s"}};
    const char *command;
    const cJSON *times, *codes, *c;
    pr_strbuf reason = PR_STRBUF_INIT;
    pr_result *r;
    double q[5], mean = 0, stddev = 0, v = 0;
    size_t i, n = 0, n_codes = 0;
    char key[40];
    int present, err;

    if (!cJSON_IsObject(entry))
        return pr_json_field_error(file, where, NULL, "expected an object");
    if ((err = read_str(file, where, entry, "command", 1, &command)) < 0 ||
        (err = check_name(file, where, "command", command)) < 0 ||
        (err = read_kind(file, where, entry, "times", 0, 1, &times)) < 0 ||
        (err = read_kind(file, where, entry, "exit_codes", 0, 1, &codes)) < 0 ||
        (err = add_result(run, command, &r)) < 0)
        return err;
    for (c = times ? times->child : NULL; c; c = c->next)
        n++;
    for (c = codes ? codes->child : NULL; c; c = c->next)
        n_codes++;
    for (i = 0; i < sizeof counters / sizeof counters[0]; i++) {
        if ((err = read_num(file, where, entry, counters[i][0], 0, &v, &present)) < 0)
            return err;
        if (present && (err = pr_result_add_counter(r, counters[i][1], v)) < 0)
            return err;
    }
    if (n > 0) {
        if (n > SIZE_MAX / sizeof *r->samples_ns ||
            !(r->samples_ns = malloc(n * sizeof *r->samples_ns)))
            return pr_error_set(PR_ENOMEM, "out of memory");
        for (c = times->child, i = 0; c; c = c->next, i++) {
            snprintf(key, sizeof key, "times[%zu]", i);
            if (!cJSON_IsNumber(c) || !isfinite(c->valuedouble) || c->valuedouble < 0)
                return pr_json_field_error(file, where, key,
                                           "expected a non-negative finite number");
            if ((err = time_ns(file, where, key, c->valuedouble, 1e9, &r->samples_ns[i])) < 0)
                return err;
            r->n_samples = i + 1;
        }
        if ((err = compute_stats(r, file, where, "times")) < 0)
            return err;
    } else {
        /* no times: hyperfine's summary, one value per exit code */
        if (n_codes == 0)
            return pr_json_field_error(file, where, "times",
                                       "expected the times, or exit_codes to count the runs");
        /* no quartiles: the median stands for them (docs/importing.md) */
        for (i = 0; i < 5; i += 2)
            if ((err = read_num(file, where, entry, q_keys[i], 1, &v, &present)) < 0 ||
                (err = time_ns(file, where, q_keys[i], v, 1e9, &q[i])) < 0)
                return err;
        q[1] = q[3] = q[2];
        /* stddev is null after a single run */
        if ((err = read_num(file, where, entry, "mean", 1, &v, &present)) < 0 ||
            (err = time_ns(file, where, "mean", v, 1e9, &mean)) < 0 ||
            (err = read_num(file, where, entry, "stddev", 0, &v, &present)) < 0 ||
            (present && (err = time_ns(file, where, "stddev", v, 1e9, &stddev)) < 0) ||
            (err = set_stats_only(r, file, where, q_keys, n_codes, q, mean, stddev, 0, 0)) < 0)
            return err;
    }
    if ((err = hf_exit_codes(codes, file, where, &reason)) == 0 && reason.len > 0)
        err = set_failed(r, reason.buf);
    pr_strbuf_release(&reason);
    if (err < 0)
        return err;
    pr_result_derive_throughput(r);
    return 0;
}

/* A command run with several parameter values (-P, -L) gets one result
 * per value; where the command names do not tell them apart (--command-name
 * without the parameter), " (name=value)" does. Only those: a name that is
 * unique stays as hyperfine printed it. */
static int hf_disambiguate(pr_run *run, const cJSON *list, const char *file)
{
    pr_named *v = NULL;
    const cJSON *entry, *params;
    pr_strbuf name = PR_STRBUF_INIT;
    unsigned char *clash = NULL;
    char where[WHERE_SIZE];
    size_t n = run->n_results, count = 0, i, j, k;
    int err = 0;

    if (n < 2)
        return 0;
    if (!(clash = calloc(n, 1))) {
        err = pr_error_set(PR_ENOMEM, "out of memory");
        goto done;
    }
    if ((err = pr_names_sorted(run->results, n, sizeof *run->results, offsetof(pr_result, name), &v,
                               &count)) < 0)
        goto done;
    for (i = 0; i < count; i = j) {
        for (j = i + 1; j < count && strcmp(v[j].name, v[i].name) == 0; j++)
            ;
        for (k = i; j - i > 1 && k < j; k++)
            clash[v[k].index] = 1;
    }
    for (entry = list->child, i = 0; entry && i < n; entry = entry->next, i++) {
        if (!clash[i])
            continue;
        snprintf(where, sizeof where, "results[%zu]", i);
        if ((err = read_kind(file, where, entry, "parameters", 0, 0, &params)) < 0)
            goto done;
        if (!params || !params->child)
            continue;
        pr_strbuf_reset(&name);
        pr_strbuf_addf(&name, "%s (", run->results[i].name);
        if ((err = hf_parameters(params, file, where, &name)) < 0)
            goto done;
        pr_strbuf_addch(&name, ')');
        if ((err = pr_strbuf_error(&name)) < 0 ||
            (err = check_name(file, where, "parameters", name.buf)) < 0 ||
            (err = set_string(&run->results[i].name, name.buf)) < 0)
            goto done;
    }
done:
    free(v);
    free(clash);
    pr_strbuf_release(&name);
    return err;
}

static int import_hyperfine(pr_run *run, const cJSON *root, const char *file)
{
    const cJSON *list = member(root, "results"), *c;
    char where[WHERE_SIZE];
    size_t i;
    int err;

    for (c = list->child, i = 0; c; c = c->next, i++) {
        snprintf(where, sizeof where, "results[%zu]", i);
        if ((err = hf_result(run, c, file, where)) < 0)
            return err;
    }
    if ((err = hf_disambiguate(run, list, file)) < 0 ||
        (err = check_unique(run, file, "results", "command")) < 0 ||
        (err = set_string(&run->context.clock, "hyperfine wall-clock time")) < 0)
        return err;
    return set_string(&run->suite, "hyperfine");
}

/* ---- which format ---- */

static int any_row_has(const cJSON *list, const char *const *keys, size_t n_keys)
{
    const cJSON *c;
    size_t k;

    for (c = cJSON_IsArray(list) ? list->child : NULL; c; c = c->next)
        for (k = 0; cJSON_IsObject(c) && k < n_keys; k++)
            if (member(c, keys[k]))
                return 1;
    return 0;
}

/* Whether ROOT has the shape of FORMAT (docs/importing.md, "Detection"). */
static int shape_of(const cJSON *root, pr_import_format format)
{
    static const char *const gb_rows[] = {"run_type", "real_time", "cpu_time", "time_unit"};
    static const char *const gb_context[] = {"host_name", "executable", "library_build_type",
                                             "num_cpus", "mhz_per_cpu"};
    static const char *const py_rows[] = {"fullname"};
    static const char *const hf_rows[] = {"command"};
    const cJSON *benchmarks = member(root, "benchmarks"), *ctx = member(root, "context"), *c;
    size_t k;

    switch (format) {
    case PR_IMPORT_GBENCH:
        if (!cJSON_IsArray(benchmarks))
            return 0;
        if (any_row_has(benchmarks, gb_rows, sizeof gb_rows / sizeof gb_rows[0]))
            return 1;
        for (k = 0; cJSON_IsObject(ctx) && k < sizeof gb_context / sizeof gb_context[0]; k++)
            if (member(ctx, gb_context[k]))
                return 1;
        return 0;
    case PR_IMPORT_PYTEST:
        if (!cJSON_IsArray(benchmarks))
            return 0;
        if (member(root, "machine_info") || member(root, "commit_info") ||
            any_row_has(benchmarks, py_rows, 1))
            return 1;
        /* perfreg's rows have a "stats" too, with n and min_ns instead */
        for (c = benchmarks->child; c; c = c->next) {
            const cJSON *stats = cJSON_IsObject(c) ? member(c, "stats") : NULL;
            if (cJSON_IsObject(stats) && (member(stats, "rounds") || member(stats, "data")))
                return 1;
        }
        return 0;
    case PR_IMPORT_HYPERFINE:
        return any_row_has(member(root, "results"), hf_rows, 1);
    case PR_IMPORT_AUTO:
        break;
    }
    return 0;
}

static const char *expected_shape(pr_import_format format)
{
    switch (format) {
    case PR_IMPORT_GBENCH:
        return "an object with a \"benchmarks\" array of rows with \"run_type\" / \"real_time\"";
    case PR_IMPORT_PYTEST:
        return "an object with \"machine_info\" / \"commit_info\" and a \"benchmarks\" array of "
               "entries with \"fullname\" and \"stats\"";
    case PR_IMPORT_HYPERFINE:
        return "an object with a \"results\" array of entries with \"command\"";
    case PR_IMPORT_AUTO:
        break;
    }
    return "";
}

/* The format of ROOT, or an error saying why none. */
static int detect(const cJSON *root, const char *file, pr_import_format *out)
{
    static const pr_import_format formats[] = {PR_IMPORT_GBENCH, PR_IMPORT_PYTEST,
                                               PR_IMPORT_HYPERFINE};
    pr_import_format found[3];
    size_t i, n = 0;

    *out = PR_IMPORT_AUTO;
    if (member(root, "schema_version"))
        return pr_error_set(PR_EINVALID,
                            "'%s': already a perfreg results file (it has a schema_version): use "
                            "it as it is",
                            file);
    for (i = 0; i < 3; i++)
        if (shape_of(root, formats[i]))
            found[n++] = formats[i];
    if (n == 0)
        return pr_error_set(PR_EINVALID,
                            "'%s': not Google Benchmark, pytest-benchmark or hyperfine JSON, "
                            "nor a perfreg results file: name the format with --from if it is "
                            "one of them",
                            file);
    if (n > 1)
        return pr_error_set(PR_EINVALID,
                            "'%s': looks like both %s and %s: name the format "
                            "with --from",
                            file, pr_import_format_title(found[0]),
                            pr_import_format_title(found[1]));
    *out = found[0];
    return 0;
}

int pr_import_parse(pr_run *out, const char *text, size_t len, const char *path,
                    const pr_import_options *opt, pr_import_format *format)
{
    pr_import_options defaults;
    pr_import_format f;
    pr_run run;
    cJSON *root = NULL;
    int err;

    if (format)
        *format = PR_IMPORT_AUTO;
    if (!opt) {
        pr_import_options_init(&defaults);
        opt = &defaults;
    }
    pr_run_init(&run);
    if ((err = pr_json_parse(text, len, path, &root)) < 0)
        goto done;
    if (!cJSON_IsObject(root)) {
        err = pr_error_set(PR_EINVALID, "'%s': the top level must be an object", path);
        goto done;
    }
    f = opt->format;
    if (f == PR_IMPORT_AUTO) {
        if ((err = detect(root, path, &f)) < 0)
            goto done;
    } else if (!shape_of(root, f)) {
        err = pr_error_set(PR_EINVALID, "'%s': not %s: expected %s", path,
                           pr_import_format_title(f), expected_shape(f));
        goto done;
    }
    if (format)
        *format = f;
    switch (f) {
    case PR_IMPORT_GBENCH:
        err = import_gbench(&run, root, path, opt);
        break;
    case PR_IMPORT_PYTEST:
        err = import_pytest(&run, root, path);
        break;
    case PR_IMPORT_HYPERFINE:
        err = import_hyperfine(&run, root, path);
        break;
    case PR_IMPORT_AUTO:
        err = pr_error_set(PR_EINVALID, "'%s': no format", path);
        break;
    }
    if (err < 0)
        goto done;
    if (run.n_results == 0) {
        err = pr_json_field_error(path, "", f == PR_IMPORT_HYPERFINE ? "results" : "benchmarks",
                                  "no benchmarks to import");
        goto done;
    }
    if (opt->suite && (err = set_string(&run.suite, opt->suite)) < 0)
        goto done;
    /* Only a complete run replaces what OUT held. */
    pr_run_release(out);
    *out = run;
    pr_run_init(&run);
done:
    cJSON_Delete(root);
    pr_run_release(&run);
    return err;
}

int pr_import_load(pr_run *out, const char *path, const pr_import_options *opt,
                   pr_import_format *format)
{
    pr_strbuf text = PR_STRBUF_INIT;
    int err;

    if (format)
        *format = PR_IMPORT_AUTO;
    err = pr_json_read_file(path, "a file to import", &text);
    if (err == 0)
        err = pr_import_parse(out, pr_strbuf_cstr(&text), text.len, path, opt, format);
    pr_strbuf_release(&text);
    return err;
}
