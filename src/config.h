/*
 * config.h - the project config, perfreg.json: defaults for the command
 * line (the suites to run, the store and baselines folders, retention, run
 * options, compare thresholds), read into a plain struct. docs/config.md
 * describes the file; the CLI applies the values before parsing its
 * options, so that the command line overrides them.
 */
#ifndef PR_CONFIG_H
#define PR_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define PR_CONFIG_FILE "perfreg.json"
#define PR_CONFIG_VERSION 1

/* Every string is owned by the config; a value that was not in the file is
 * NULL, 0 items, or has its has_ flag 0 (store and baselines excepted). Paths are as the current folder
 * sees them: relative ones in the file are taken relative to the config
 * file's folder and joined to it ("../.perfreg" for a config found one
 * folder up). */
typedef struct pr_config {
    char *path;    /* the file read, as named or found; NULL: no config */
    char **suites; /* suite executables, in the file's order; a name with no
                    * '/' gains "./", to read as the path it is for execv */
    size_t n_suites;
    /* root of the run store and folder of the baselines; without the key,
     * the default name (.perfreg, baselines) in the config's folder */
    char *store;
    char *baselines;
    int has_keep;
    uint64_t keep; /* runs kept per suite */
    /* "run" */
    int has_min_time, has_warmup, has_samples, has_iterations, has_timeout, has_isolate;
    int has_processes;
    uint64_t processes;
    double min_time_s;
    double warmup_s;
    uint64_t samples;
    uint64_t iterations;
    double timeout_s; /* 0 = none */
    int isolate;
    /* "compare": threshold expressions as written ("mean:10%"), each
     * already checked with pr_threshold_parse */
    char **fail;
    size_t n_fail;
    char **warn;
    size_t n_warn;
    int has_alpha;
    double alpha;
    int has_inconclusive, has_rounds, has_max_rounds, has_max_time;
    int inconclusive; /* pr_inconclusive_policy */
    uint64_t rounds, max_rounds;
    double max_time_s;
    /* "build": how compare --against REF builds another commit: a shell
     * command with {source} and {build} in it, and the path of each suite
     * inside the build folder (matched to a suite by its file name). NULL
     * and 0 without the section. */
    char *build_command;
    char **build_suites;
    size_t n_build_suites;
} pr_config;

void pr_config_init(pr_config *cfg);
/* Frees what CFG owns and re-initialises it. Accepts NULL. */
void pr_config_release(pr_config *cfg);

/*
 * Reads the config file at PATH into CFG (initialised; released by the
 * caller even on error). Every key is checked: PR_EINVALID names the file
 * and the key ("'perfreg.json': run.samples: expected a whole number from
 * 1 to 10000000") for an unknown or repeated key, a wrong type, a value out
 * of the range the command-line option of the same name accepts, a bad
 * threshold, or two suites with the same name. PR_EIO when PATH cannot be
 * read. Whether the suites exist is left to the caller, which needs them
 * only when it runs them.
 */
int pr_config_load(pr_config *cfg, const char *path);

/*
 * Looks for perfreg.json in START (a folder; NULL or "" = the current one)
 * and then in each folder above it, up to the filesystem root, giving up
 * after the first folder that holds ".git" (a repository's root): a config
 * belongs to its repository. OUT receives the file's path built from START
 * and "../" ("perfreg.json", "../perfreg.json", "START/../perfreg.json";
 * caller frees), or NULL when there is none. 0, or PR_ENOMEM.
 */
int pr_config_find(const char *start, char **out);

#endif
