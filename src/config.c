/*
 * config.c - reads perfreg.json, the project config, into a pr_config, and
 * finds it by walking up from a folder. Every key is checked against one
 * table (a typo must not be ignored), with the ranges of the command-line
 * options of the same name; applying the values is the CLI's job.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "ab.h"
#include "compare.h"
#include "config.h"
#include "error.h"
#include "json.h"
#include "runner.h"
#include "store.h"
#include "strbuf.h"
#include "threshold.h"
#include "banned.h"

enum kind {
    K_VERSION,    /* the number 1 */
    K_SUITES,     /* array of paths: char ** at value, size_t count at has */
    K_PATH,       /* a non-empty string, resolved: char * at value */
    K_COUNT,      /* whole number: uint64_t at value, int flag at has */
    K_SECONDS,    /* number of seconds: double at value, int flag at has */
    K_NUMBER,     /* plain number: double at value, int flag at has */
    K_BOOL,       /* int at value, int flag at has */
    K_THRESHOLDS, /* a string or an array of strings: char ** at value, size_t at has */
    K_STRING,     /* a non-empty string, as it is: char * at value */
    K_STRINGS,    /* a string or an array of non-empty strings, as they are: char ** at
                   * value, size_t at has */
    K_INCONCLUSIVE, /* "pass", "warn" or "fail": int at value, int flag at has */
    K_OBJECT      /* the keys in members */
};

#define NO_FIELD ((size_t)-1)

typedef struct key {
    const char *name;
    enum kind kind;
    size_t value, has;
    double min, max; /* K_COUNT, K_SECONDS, K_NUMBER */
    const struct key *members;
} key;

/* The ranges are those of the options --min-time, --warmup, --samples, --processes,
 * --iterations, --timeout, --keep and --alpha, so a value that works on the
 * command line works here and the other way round (test_config checks). */
static const key run_keys[] = {
    {"min_time", K_SECONDS, offsetof(pr_config, min_time_s), offsetof(pr_config, has_min_time),
     1e-6, 3600, NULL},
    {"warmup", K_SECONDS, offsetof(pr_config, warmup_s), offsetof(pr_config, has_warmup), 0, 3600,
     NULL},
    {"samples", K_COUNT, offsetof(pr_config, samples), offsetof(pr_config, has_samples), 1, 1e7,
     NULL},
    {"iterations", K_COUNT, offsetof(pr_config, iterations), offsetof(pr_config, has_iterations), 1,
     1e15, NULL},
    {"processes", K_COUNT, offsetof(pr_config, processes), offsetof(pr_config, has_processes), 1,
     PR_MAX_PROCESSES, NULL},
    {"timeout", K_SECONDS, offsetof(pr_config, timeout_s), offsetof(pr_config, has_timeout), 0, 1e6,
     NULL},
    {"isolate", K_BOOL, offsetof(pr_config, isolate), offsetof(pr_config, has_isolate), 0, 0, NULL},
    {NULL, K_OBJECT, 0, 0, 0, 0, NULL},
};

static const key compare_keys[] = {
    {"fail", K_THRESHOLDS, offsetof(pr_config, fail), offsetof(pr_config, n_fail), 0, 0, NULL},
    {"warn", K_THRESHOLDS, offsetof(pr_config, warn), offsetof(pr_config, n_warn), 0, 0, NULL},
    {"alpha", K_NUMBER, offsetof(pr_config, alpha), offsetof(pr_config, has_alpha), 1e-9, 0.5,
     NULL},
    {"inconclusive", K_INCONCLUSIVE, offsetof(pr_config, inconclusive),
     offsetof(pr_config, has_inconclusive), 0, 0, NULL},
    {"rounds", K_COUNT, offsetof(pr_config, rounds), offsetof(pr_config, has_rounds), 2,
     PR_AB_MAX_ROUNDS, NULL},
    {"max_rounds", K_COUNT, offsetof(pr_config, max_rounds), offsetof(pr_config, has_max_rounds), 2,
     PR_AB_MAX_ROUNDS, NULL},
    {"max_time", K_SECONDS, offsetof(pr_config, max_time_s), offsetof(pr_config, has_max_time), 0,
     1e6, NULL},
    {NULL, K_OBJECT, 0, 0, 0, 0, NULL},
};

/* How to build the suites at another commit (compare --against REF). */
static const key build_keys[] = {
    {"command", K_STRING, offsetof(pr_config, build_command), NO_FIELD, 0, 0, NULL},
    {"suites", K_STRINGS, offsetof(pr_config, build_suites), offsetof(pr_config, n_build_suites), 0,
     0, NULL},
    {NULL, K_OBJECT, 0, 0, 0, 0, NULL},
};

static const key top_keys[] = {
    {"perfreg_config", K_VERSION, NO_FIELD, NO_FIELD, 0, 0, NULL},
    {"suites", K_SUITES, offsetof(pr_config, suites), offsetof(pr_config, n_suites), 0, 0, NULL},
    {"store", K_PATH, offsetof(pr_config, store), NO_FIELD, 0, 0, NULL},
    {"baselines", K_PATH, offsetof(pr_config, baselines), NO_FIELD, 0, 0, NULL},
    {"keep", K_COUNT, offsetof(pr_config, keep), offsetof(pr_config, has_keep), 1, 1e9, NULL},
    {"run", K_OBJECT, NO_FIELD, NO_FIELD, 0, 0, run_keys},
    {"compare", K_OBJECT, NO_FIELD, NO_FIELD, 0, 0, compare_keys},
    {"build", K_OBJECT, NO_FIELD, NO_FIELD, 0, 0, build_keys},
    {NULL, K_OBJECT, 0, 0, 0, 0, NULL},
};

typedef struct reader {
    const char *path;   /* the config file, for messages */
    const char *prefix; /* its folder with a final '/', or "" for the current one */
    pr_config *cfg;
} reader;

#define FIELD(cfg, offset, type) ((type *)(void *)((char *)(cfg) + (offset)))

void pr_config_init(pr_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
}

static void free_strings(char **list, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

void pr_config_release(pr_config *cfg)
{
    if (!cfg)
        return;
    free(cfg->path);
    free_strings(cfg->suites, cfg->n_suites);
    free(cfg->store);
    free(cfg->baselines);
    free_strings(cfg->fail, cfg->n_fail);
    free_strings(cfg->warn, cfg->n_warn);
    free(cfg->build_command);
    free_strings(cfg->build_suites, cfg->n_build_suites);
    pr_config_init(cfg);
}

/* VALUE as the current folder sees it: relative to the config's folder. A
 * suite with no '/' gains "./", since execv would take it from the current
 * folder anyway and a message should show where it is. */
static char *resolve(const reader *r, const char *value, int executable)
{
    pr_strbuf sb = PR_STRBUF_INIT;
    if (value[0] != '/')
        pr_strbuf_adds(&sb, r->prefix);
    if (executable && value[0] != '/' && !r->prefix[0] && !strchr(value, '/'))
        pr_strbuf_adds(&sb, "./");
    pr_strbuf_adds(&sb, value);
    if (pr_strbuf_error(&sb)) {
        pr_strbuf_release(&sb);
        pr_error_set(PR_ENOMEM, "out of memory");
        return NULL;
    }
    return pr_strbuf_detach(&sb, NULL);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The string ITEM into *OUT (NULL when it is not a usable one: the caller
 * names what was expected). */
static int read_string(const reader *r, const cJSON *item, const char *parent, const char *name,
                       const char **out)
{
    *out = NULL;
    if (!cJSON_IsString(item) || !item->valuestring || !item->valuestring[0])
        return 0;
    if (!pr_json_utf8_valid(item->valuestring))
        return pr_error_set(PR_EINVALID, "'%s': %s%s: not valid UTF-8", r->path, parent, name);
    *out = item->valuestring;
    return 0;
}

static int read_suites(const reader *r, const cJSON *item, const key *k, const char *parent)
{
    char ***list = FIELD(r->cfg, k->value, char **);
    size_t *n = FIELD(r->cfg, k->has, size_t);
    const cJSON *e;
    size_t i, j;
    int err;

    if (!cJSON_IsArray(item))
        return pr_error_set(PR_EINVALID,
                            "'%s': %s%s: expected an array of paths of suite executables, "
                            "such as [\"build/bench/mybench\"]",
                            r->path, parent, k->name);
    if (!(*list = calloc((size_t)cJSON_GetArraySize(item) + 1, sizeof **list)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    i = 0;
    cJSON_ArrayForEach(e, item)
    {
        const char *s;
        char name[64];
        snprintf(name, sizeof name, "%s[%zu]", k->name, i);
        if ((err = read_string(r, e, parent, name, &s)) != 0)
            return err;
        if (!s)
            return pr_error_set(PR_EINVALID, "'%s': %s%s: expected a path (a non-empty string)",
                                r->path, parent, name);
        if (!((*list)[i] = resolve(r, s, 1)))
            return PR_ENOMEM;
        *n = ++i;
        /* runs and baselines are kept under the suite's name */
        for (j = 0; j + 1 < i; j++)
            if (strcmp(base_name((*list)[j]), base_name((*list)[i - 1])) == 0)
                return pr_error_set(PR_EINVALID,
                                    "'%s': %s%s: '%s' has the name of %s[%zu] ('%s'), and each "
                                    "suite is recorded under its name: rename one",
                                    r->path, parent, name, s, k->name, j, (*list)[j]);
    }
    return 0;
}

static int add_threshold(const reader *r, const cJSON *e, const char *parent, const char *name,
                         char ***list, size_t *n)
{
    pr_threshold_set check;
    char why[512];
    const char *s;
    int err;

    if ((err = read_string(r, e, parent, name, &s)) != 0)
        return err;
    if (!s)
        return pr_error_set(PR_EINVALID,
                            "'%s': %s%s: expected a threshold such as \"mean:10%%\", or an array "
                            "of them",
                            r->path, parent, name);
    memset(&check, 0, sizeof check);
    if (pr_threshold_parse(s, &check) != 0) {
        /* copied first: the message is formatted into the same buffer */
        snprintf(why, sizeof why, "%s", pr_error_last());
        return pr_error_set(PR_EINVALID, "'%s': %s%s: %s", r->path, parent, name, why);
    }
    if (!((*list)[*n] = pr_strdup(s)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    ++*n;
    return 0;
}

/* K_STRINGS: one non-empty string, as it is. */
static int add_string(const reader *r, const cJSON *e, const char *parent, const char *name,
                      char ***list, size_t *n)
{
    const char *s;
    int err;

    if ((err = read_string(r, e, parent, name, &s)) != 0)
        return err;
    if (!s)
        return pr_error_set(PR_EINVALID, "'%s': %s%s: expected a non-empty string", r->path,
                            parent, name);
    if (!((*list)[*n] = pr_strdup(s)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    ++*n;
    return 0;
}

typedef int (*add_fn)(const reader *r, const cJSON *e, const char *parent, const char *name,
                      char ***list, size_t *n);

/* A string or an array of them, each added by ADD (K_THRESHOLDS,
 * K_STRINGS). */
static int read_list(const reader *r, const cJSON *item, const key *k, const char *parent,
                     add_fn add)
{
    char ***list = FIELD(r->cfg, k->value, char **);
    size_t *n = FIELD(r->cfg, k->has, size_t);
    const cJSON *e;
    size_t i = 0;
    int err;

    if (!(*list = calloc((size_t)(cJSON_IsArray(item) ? cJSON_GetArraySize(item) : 1) + 1,
                         sizeof **list)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    if (!cJSON_IsArray(item))
        return add(r, item, parent, k->name, list, n);
    cJSON_ArrayForEach(e, item)
    {
        char name[64];
        snprintf(name, sizeof name, "%s[%zu]", k->name, i++);
        if ((err = add(r, e, parent, name, list, n)) != 0)
            return err;
    }
    return 0;
}

static int read_number(const reader *r, const cJSON *item, const key *k, const char *parent)
{
    double v = cJSON_IsNumber(item) ? item->valuedouble : NAN;
    int ok = isfinite(v) && v >= k->min && v <= k->max;

    switch (k->kind) {
    case K_COUNT:
        if (!ok || v != floor(v))
            return pr_error_set(PR_EINVALID,
                                "'%s': %s%s: expected a whole number from %.0f to %.0f", r->path,
                                parent, k->name, k->min, k->max);
        *FIELD(r->cfg, k->value, uint64_t) = (uint64_t)v;
        break;
    case K_SECONDS:
        if (!ok)
            return pr_error_set(PR_EINVALID,
                                "'%s': %s%s: expected a number of seconds from %g to %g", r->path,
                                parent, k->name, k->min, k->max);
        *FIELD(r->cfg, k->value, double) = v;
        break;
    default:
        if (!ok)
            return pr_error_set(PR_EINVALID, "'%s': %s%s: expected a number from %g to %g", r->path,
                                parent, k->name, k->min, k->max);
        *FIELD(r->cfg, k->value, double) = v;
        break;
    }
    *FIELD(r->cfg, k->has, int) = 1;
    return 0;
}

static int read_object(const reader *r, const cJSON *obj, const key *keys, const char *parent);

static int read_key(const reader *r, const cJSON *item, const key *k, const char *parent)
{
    const char *s;
    int err;

    switch (k->kind) {
    case K_VERSION:
        if (!cJSON_IsNumber(item) || item->valuedouble != PR_CONFIG_VERSION)
            return pr_error_set(PR_EINVALID,
                                "'%s': %s: expected %d, the version of the config this perfreg "
                                "reads",
                                r->path, k->name, PR_CONFIG_VERSION);
        return 0;
    case K_SUITES:
        return read_suites(r, item, k, parent);
    case K_PATH:
        if ((err = read_string(r, item, parent, k->name, &s)) != 0)
            return err;
        if (!s)
            return pr_error_set(PR_EINVALID, "'%s': %s%s: expected a path (a non-empty string)",
                                r->path, parent, k->name);
        return (*FIELD(r->cfg, k->value, char *) = resolve(r, s, 0)) ? 0 : PR_ENOMEM;
    case K_COUNT:
    case K_SECONDS:
    case K_NUMBER:
        return read_number(r, item, k, parent);
    case K_BOOL:
        if (!cJSON_IsBool(item))
            return pr_error_set(PR_EINVALID, "'%s': %s%s: expected true or false", r->path, parent,
                                k->name);
        *FIELD(r->cfg, k->value, int) = cJSON_IsTrue(item);
        *FIELD(r->cfg, k->has, int) = 1;
        return 0;
    case K_THRESHOLDS:
        return read_list(r, item, k, parent, add_threshold);
    case K_STRING:
        if ((err = read_string(r, item, parent, k->name, &s)) != 0)
            return err;
        if (!s)
            return pr_error_set(PR_EINVALID, "'%s': %s%s: expected a non-empty string", r->path,
                                parent, k->name);
        return (*FIELD(r->cfg, k->value, char *) = pr_strdup(s))
                   ? 0
                   : pr_error_set(PR_ENOMEM, "out of memory");
    case K_STRINGS:
        return read_list(r, item, k, parent, add_string);
    case K_INCONCLUSIVE: {
        int policy = cJSON_IsString(item) ? pr_inconclusive_from_name(item->valuestring) : -1;
        if (policy < 0)
            return pr_error_set(PR_EINVALID, "'%s': %s%s: expected \"pass\", \"warn\" or \"fail\"",
                                r->path, parent, k->name);
        *FIELD(r->cfg, k->value, int) = policy;
        *FIELD(r->cfg, k->has, int) = 1;
        return 0;
    }
    case K_OBJECT:
        break;
    }
    if (!cJSON_IsObject(item))
        return pr_error_set(PR_EINVALID, "'%s': %s%s: expected an object", r->path, parent,
                            k->name);
    {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "%s%s.", parent, k->name);
        return read_object(r, item, k->members, prefix);
    }
}

/* The keys of OBJ, each known to KEYS and given once; PARENT is the path
 * of OBJ for messages, "" or "run.". */
static int read_object(const reader *r, const cJSON *obj, const key *keys, const char *parent)
{
    unsigned seen = 0;
    const cJSON *item;
    int err;

    cJSON_ArrayForEach(item, obj)
    {
        const key *k;
        for (k = keys; k->name; k++)
            if (strcmp(k->name, item->string) == 0)
                break;
        if (!k->name) {
            pr_strbuf known = PR_STRBUF_INIT;
            for (k = keys; k->name; k++)
                pr_strbuf_addf(&known, "%s%s", k == keys ? "" : ", ", k->name);
            if (!pr_json_utf8_valid(item->string))
                err =
                    pr_error_set(PR_EINVALID, "'%s': %sa key is not valid UTF-8", r->path, parent);
            else
                err = pr_error_set(PR_EINVALID, "'%s': %s%s: unknown key (known: %s)", r->path,
                                   parent, item->string, pr_strbuf_cstr(&known));
            pr_strbuf_release(&known);
            return err;
        }
        if (seen & (1u << (k - keys)))
            return pr_error_set(PR_EINVALID, "'%s': %s%s: given twice", r->path, parent, k->name);
        seen |= 1u << (k - keys);
        if ((err = read_key(r, item, k, parent)) != 0)
            return err;
    }
    return 0;
}

int pr_config_load(pr_config *cfg, const char *path)
{
    pr_strbuf text = PR_STRBUF_INIT, prefix = PR_STRBUF_INIT;
    const char *slash = strrchr(path, '/');
    cJSON *root = NULL;
    reader r;
    int err;

    if (!(cfg->path = pr_strdup(path)))
        return PR_ENOMEM;
    if (slash)
        pr_strbuf_add(&prefix, path, (size_t)(slash - path) + 1);
    if ((err = pr_strbuf_error(&prefix)) != 0)
        goto done;
    if ((err = pr_json_read_file(path, "a config file", &text)) != 0 ||
        (err = pr_json_parse(pr_strbuf_cstr(&text), text.len, path, &root)) != 0)
        goto done;
    if (!cJSON_IsObject(root)) {
        err = pr_error_set(PR_EINVALID,
                           "'%s': expected an object of settings, such as "
                           "{\"suites\": [\"build/bench/mybench\"]}",
                           path);
        goto done;
    }
    r.path = path;
    r.prefix = pr_strbuf_cstr(&prefix);
    r.cfg = cfg;
    err = read_object(&r, root, top_keys, "");
    if (!err && (cfg->build_command != NULL) != (cfg->n_build_suites > 0))
        err = pr_error_set(PR_EINVALID,
                           "'%s': build: give both \"command\" (with {source} and {build}) and "
                           "\"suites\" (their paths inside the build folder)",
                           path);
    if (!err && cfg->has_rounds && cfg->has_max_rounds && cfg->max_rounds < cfg->rounds)
        err = pr_error_set(PR_EINVALID, "'%s': compare.max_rounds: below compare.rounds", path);
    /* The config's folder is the project's root: without a key, the
     * default folders are there too, wherever the command runs from. */
    if (!err && !cfg->store && !(cfg->store = resolve(&r, PR_STORE_DEFAULT_ROOT, 0)))
        err = PR_ENOMEM;
    if (!err && !cfg->baselines && !(cfg->baselines = resolve(&r, PR_BASELINES_DEFAULT_DIR, 0)))
        err = PR_ENOMEM;
done:
    cJSON_Delete(root);
    pr_strbuf_release(&text);
    pr_strbuf_release(&prefix);
    return err;
}

/* 1 when DIR + NAME exists (lstat: a dangling link is there too). */
static int exists(pr_strbuf *dir, const char *name, struct stat *st)
{
    size_t len = dir->len;
    int ok;
    pr_strbuf_adds(dir, name);
    ok = !pr_strbuf_error(dir) && lstat(dir->buf, st) == 0;
    dir->len = len;
    if (dir->buf)
        dir->buf[len] = '\0';
    return ok;
}

int pr_config_find(const char *start, char **out)
{
    pr_strbuf dir = PR_STRBUF_INIT;
    struct stat st, here, up;
    int err = 0;

    *out = NULL;
    if (start && *start) {
        pr_strbuf_adds(&dir, start);
        if (start[strlen(start) - 1] != '/')
            pr_strbuf_addch(&dir, '/');
    }
    /* "../" each step, not the absolute path: the config and every path in
     * it then read as the user's current folder sees them */
    for (;;) {
        if (exists(&dir, PR_CONFIG_FILE, &st)) {
            pr_strbuf_adds(&dir, PR_CONFIG_FILE);
            if ((err = pr_strbuf_error(&dir)) == 0)
                *out = pr_strbuf_detach(&dir, NULL);
            break;
        }
        if (exists(&dir, ".git", &st))
            break;
        /* the root is its own parent */
        if (!exists(&dir, ".", &here) || !exists(&dir, "..", &up) ||
            (here.st_dev == up.st_dev && here.st_ino == up.st_ino))
            break;
        pr_strbuf_adds(&dir, "../");
        if ((err = pr_strbuf_error(&dir)) != 0)
            break;
    }
    pr_strbuf_release(&dir);
    return err ? pr_error_set(err, "out of memory") : 0;
}
