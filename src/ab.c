/*
 * ab.c - the rounds of an interleaved A/B comparison: which benchmarks run
 * in a round and in which order, which build's process goes first, when to
 * decide, when to stop. Running a process is the measure callback's,
 * judging is compare's: after the first rounds, and after every batch of
 * rounds since, the partial runs are compared (paired) and the benchmarks
 * whose verdict is pass get no more rounds, nor those whose verdict is fail
 * once they have twice the first rounds and hold at a stricter level.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ab.h"
#include "error.h"
#include "strbuf.h"
#include "banned.h"

static const char *const order_names[] = {"random", "alternate", "candidate-second",
                                          "candidate-first"};

const char *pr_ab_order_name(pr_ab_order o)
{
    return (unsigned)o < 4 ? order_names[o] : "unknown";
}

int pr_ab_order_from_name(const char *name)
{
    int i;
    for (i = 0; name && i < 4; i++)
        if (strcmp(name, order_names[i]) == 0)
            return i;
    return -1;
}

const char *pr_ab_stop_name(pr_ab_stop s)
{
    switch (s) {
    case PR_AB_STOP_DECIDED:
        return "decided";
    case PR_AB_STOP_MAX_ROUNDS:
        return "max-rounds";
    case PR_AB_STOP_MAX_TIME:
        return "max-time";
    case PR_AB_STOP_FAILED:
        return "failed";
    }
    return "unknown";
}

void pr_ab_options_init(pr_ab_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->rounds = PR_AB_DEFAULT_ROUNDS;
    opt->max_rounds = PR_AB_DEFAULT_MAX_ROUNDS;
    opt->batch = PR_AB_DEFAULT_BATCH;
    opt->max_time_s = PR_AB_DEFAULT_MAX_TIME_S;
    opt->seed = 1;
    opt->order = PR_AB_ORDER_RANDOM;
    pr_timing_options_init(&opt->timing);
    opt->timing.samples = PR_AB_SAMPLES;
    opt->timing.min_samples = PR_AB_MIN_SAMPLES;
    opt->timing.min_time_s = PR_AB_MIN_TIME_S;
    opt->timing.warmup_s = PR_AB_WARMUP_S;
    pr_compare_options_init(&opt->compare);
    opt->compare.paired = 1;
}

void pr_ab_summary_release(pr_ab_summary *s)
{
    size_t i;
    if (!s)
        return;
    for (i = 0; s->candidate_first && i < s->n; i++)
        free(s->candidate_first[i]);
    free(s->candidate_first);
    free(s->rounds);
    free(s->stopped);
    memset(s, 0, sizeof *s);
}

/* splitmix64: small, and the same orders for the same seed everywhere */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static int candidate_goes_first(pr_ab_order order, size_t round, uint64_t *rng)
{
    switch (order) {
    case PR_AB_ORDER_ALTERNATE:
        return (int)(round % 2);
    case PR_AB_ORDER_CANDIDATE_SECOND:
        return 0;
    case PR_AB_ORDER_CANDIDATE_FIRST:
        return 1;
    case PR_AB_ORDER_RANDOM:
        break;
    }
    return (int)(next_random(rng) >> 63);
}

typedef struct state {
    const pr_ab_options *opt;
    const char *const *names;
    size_t n;
    pr_run *side[2];
    int *active;
    size_t *order; /* this round's benchmarks */
    pr_ab_summary sum;
    int64_t start_ns;
    uint64_t rng;
} state;

static int out_of_time(const state *st)
{
    const pr_clock *clock = st->opt->clock ? st->opt->clock : pr_clock_monotonic();
    return st->opt->max_time_s > 0 &&
           (double)(pr_clock_now_ns(clock) - st->start_ns) >= st->opt->max_time_s * 1e9;
}

/* One process of SIDE for benchmark I in round ROUND, appended to its
 * result. */
static int measure_one(state *st, int side, size_t i, size_t round)
{
    const pr_ab_options *opt = st->opt;
    pr_result *r = &st->side[side]->results[i];
    pr_timing_options t = opt->timing;
    pr_result more;
    int err;

    if (opt->stop && *opt->stop)
        return pr_error_set(PR_EINTERRUPTED, "interrupted");
    /* the same work in both builds: the candidate's first calibration */
    if (round > 0 && t.iterations == 0)
        t.iterations = st->side[PR_AB_CANDIDATE]->results[i].iterations;
    memset(&more, 0, sizeof more);
    err = opt->measure(opt->measure_ctx, side, st->names[i], &t, &more);
    st->sum.processes++;
    if (!err && round == 0) {
        /* the first process is the result; the name stays the engine's */
        char *name = r->name;
        free(more.name);
        more.name = name;
        *r = more;
        memset(&more, 0, sizeof more);
    } else if (!err) {
        err = pr_result_append_process(r, &more);
    }
    pr_result_release(&more);
    if (!err && r->status != PR_STATUS_OK) {
        st->active[i] = 0;
        st->sum.stopped[i] = PR_AB_STOP_FAILED;
    }
    return err;
}

#define FAILED_FIRST "not measured: it failed in the other build first"

/* The result of SIDE for benchmark I, which never ran, failed with
 * REASON: the other build's process failed first (only the baseline's
 * build is ever left out that way). */
static int not_run(state *st, int side, size_t i, const char *reason)
{
    pr_result *r = &st->side[side]->results[i];
    if (r->n_samples > 0 || r->error)
        return 0;
    r->status = PR_STATUS_FAILED;
    if (!(r->error = pr_strdup(reason)))
        return pr_error_set(PR_ENOMEM, "out of memory");
    return 0;
}

/* Round ROUND of the active benchmarks, in an order drawn from the seed. */
static int run_round(state *st, size_t round)
{
    const pr_ab_options *opt = st->opt;
    size_t k = 0, j;
    int err;

    for (j = 0; j < st->n; j++)
        if (st->active[j])
            st->order[k++] = j;
    for (j = k; j > 1; j--) {
        size_t pick = (size_t)(next_random(&st->rng) % j), tmp = st->order[j - 1];
        st->order[j - 1] = st->order[pick];
        st->order[pick] = tmp;
    }
    for (j = 0; j < k; j++) {
        size_t i = st->order[j];
        int first;
        if (!st->active[i])
            continue;
        /* the budget stops no benchmark before its second round: a result
         * needs the first, a paired comparison two */
        if (round >= 2 && out_of_time(st)) {
            st->sum.out_of_time = 1;
            return 0;
        }
        first = candidate_goes_first(opt->order, round, &st->rng) ? PR_AB_CANDIDATE
                                                                  : PR_AB_BASELINE;
        st->sum.candidate_first[i][round] = first == PR_AB_CANDIDATE;
        if (opt->progress)
            opt->progress(opt->progress_ctx, round, opt->max_rounds, j, k, st->names[i]);
        if ((err = measure_one(st, first, i, round)) != 0)
            return err;
        /* the baseline's build failing first still leaves this build's
         * first process to run: failed in the baseline only, the benchmark
         * is new, as between two results files, whatever the order */
        if ((st->active[i] || (round == 0 && first == PR_AB_BASELINE)) &&
            (err = measure_one(st, !first, i, round)) != 0)
            return err;
        if (!st->active[i] && round == 0 && (err = not_run(st, !first, i, FAILED_FIRST)) != 0)
            return err;
        if (st->active[i] || st->sum.stopped[i] == PR_AB_STOP_FAILED)
            st->sum.rounds[i] = round + 1;
    }
    return 0;
}

/* Pools the samples so far and compares: benchmarks whose verdict is pass
 * are decided and leave the active set; so are those whose verdict is fail,
 * from twice the first rounds on, when their interval at the stricter level
 * alpha / PR_AB_STOP_STRICTER excludes no slowdown either. Each look is
 * another chance for a fluke: the first looks that could stop a fail are
 * where unchanged code failed most (ab_rules.py), and the stricter level
 * makes such an early stop rare; the verdict shown stays at 1 - alpha. */
static int decide(state *st, int final)
{
    pr_comparison cmp, strict;
    pr_compare_options opt = st->opt->compare;
    size_t i;
    int err, want_strict = 0;

    for (i = 0; i < st->n; i++) {
        if ((err = pr_result_pool_processes(&st->side[0]->results[i])) != 0 ||
            (err = pr_result_pool_processes(&st->side[1]->results[i])) != 0)
            return err;
    }
    if ((err = pr_compare_runs(st->side[0], st->side[1], &opt, &cmp)) != 0)
        return err;
    memset(&strict, 0, sizeof strict);
    for (i = 0; i < st->n && i < cmp.n_entries && !final; i++)
        want_strict |= st->active[i] && cmp.entries[i].verdict == PR_VERDICT_FAIL &&
                       st->sum.rounds[i] >= 2 * st->opt->rounds;
    if (want_strict) {
        opt.alpha /= PR_AB_STOP_STRICTER;
        if ((err = pr_compare_runs(st->side[0], st->side[1], &opt, &strict)) != 0) {
            pr_comparison_release(&cmp);
            return err;
        }
    }
    /* entries follow the candidate's results, which follow NAMES */
    for (i = 0; i < st->n && i < cmp.n_entries; i++) {
        const pr_cmp_entry *e = &cmp.entries[i];
        if (!st->active[i])
            continue;
        if (e->kind != PR_CMP_MATCHED) {
            st->active[i] = 0;
            st->sum.stopped[i] = PR_AB_STOP_FAILED;
        } else if (e->verdict == PR_VERDICT_PASS ||
                   (e->verdict == PR_VERDICT_FAIL &&
                    (final || (st->sum.rounds[i] >= 2 * st->opt->rounds && i < strict.n_entries &&
                               strict.entries[i].verdict == PR_VERDICT_FAIL)))) {
            st->active[i] = 0;
            st->sum.stopped[i] = PR_AB_STOP_DECIDED;
        }
    }
    pr_comparison_release(&strict);
    pr_comparison_release(&cmp);
    return 0;
}

static int any_active(const state *st)
{
    size_t i;
    for (i = 0; i < st->n; i++)
        if (st->active[i])
            return 1;
    return 0;
}

static int check_options(const pr_ab_options *opt)
{
    if (!opt->measure)
        return pr_error_set(PR_EUSAGE, "no way to run the builds' processes");
    if (opt->rounds < 2 || opt->rounds > PR_AB_MAX_ROUNDS)
        return pr_error_set(PR_EUSAGE, "--rounds: expected 2 to %d", PR_AB_MAX_ROUNDS);
    if (opt->max_rounds < opt->rounds || opt->max_rounds > PR_AB_MAX_ROUNDS)
        return pr_error_set(PR_EUSAGE, "--max-rounds %zu: expected --rounds (%zu) to %d",
                            opt->max_rounds, opt->rounds, PR_AB_MAX_ROUNDS);
    if (opt->batch < 1)
        return pr_error_set(PR_EUSAGE, "the rounds added at a time must be at least 1");
    return 0;
}

static int alloc_state(state *st, size_t n)
{
    size_t i;

    st->active = calloc(n ? n : 1, sizeof *st->active);
    st->order = calloc(n ? n : 1, sizeof *st->order);
    st->sum.rounds = calloc(n ? n : 1, sizeof *st->sum.rounds);
    st->sum.stopped = calloc(n ? n : 1, sizeof *st->sum.stopped);
    st->sum.candidate_first = calloc(n ? n : 1, sizeof *st->sum.candidate_first);
    if (!st->active || !st->order || !st->sum.rounds || !st->sum.stopped ||
        !st->sum.candidate_first)
        return pr_error_set(PR_ENOMEM, "out of memory");
    st->sum.n = n;
    for (i = 0; i < n; i++) {
        if (!(st->sum.candidate_first[i] = calloc(st->opt->max_rounds, 1)))
            return pr_error_set(PR_ENOMEM, "out of memory");
        st->active[i] = 1;
        st->sum.stopped[i] = PR_AB_STOP_MAX_ROUNDS;
    }
    return 0;
}

int pr_ab_run(const pr_ab_options *opt, const char *const *names, size_t n, pr_run *baseline,
              pr_run *candidate, pr_ab_summary *summary)
{
    const pr_clock *clock = opt->clock ? opt->clock : pr_clock_monotonic();
    state st;
    size_t round, i;
    int err;

    memset(&st, 0, sizeof st);
    if (summary)
        memset(summary, 0, sizeof *summary);
    if ((err = check_options(opt)) != 0)
        return err;
    st.opt = opt;
    st.names = names;
    st.n = n;
    st.side[PR_AB_BASELINE] = baseline;
    st.side[PR_AB_CANDIDATE] = candidate;
    st.rng = opt->seed;
    st.start_ns = pr_clock_now_ns(clock);
    if ((err = alloc_state(&st, n)) != 0)
        goto done;
    for (i = 0; i < n; i++) {
        pr_result *r;
        int side;
        for (side = 0; side < 2; side++) {
            if ((err = pr_run_add_result(st.side[side], &r)) != 0)
                goto done;
            if (!(r->name = pr_strdup(names[i]))) {
                err = pr_error_set(PR_ENOMEM, "out of memory");
                goto done;
            }
        }
    }

    for (round = 0; round < opt->max_rounds && any_active(&st); round++) {
        if (round >= opt->rounds && (round - opt->rounds) % opt->batch == 0 &&
            (err = decide(&st, 0)) != 0)
            goto done;
        if (!any_active(&st))
            break;
        if (round >= 2 && out_of_time(&st)) {
            st.sum.out_of_time = 1;
            break;
        }
        if ((err = run_round(&st, round)) != 0)
            goto done;
        if (st.sum.out_of_time)
            break;
    }
    for (i = 0; i < n; i++) {
        if (st.active[i] && st.sum.out_of_time)
            st.sum.stopped[i] = PR_AB_STOP_MAX_TIME;
        if (st.sum.rounds[i] > st.sum.max_rounds_run)
            st.sum.max_rounds_run = st.sum.rounds[i];
        if ((err = pr_result_pool_processes(&baseline->results[i])) != 0 ||
            (err = pr_result_pool_processes(&candidate->results[i])) != 0)
            goto done;
    }
    /* the last batch's verdicts: what the comparison will show */
    if ((err = decide(&st, 1)) != 0)
        goto done;
    st.sum.seconds = (double)(pr_clock_now_ns(clock) - st.start_ns) / 1e9;
done:
    free(st.active);
    free(st.order);
    if (summary && !err)
        *summary = st.sum;
    else
        pr_ab_summary_release(&st.sum);
    return err;
}
