#!/usr/bin/env bash
# ab_test.sh CASE - the A/B comparisons (compare --against-exe, --against),
# their worker (SUITE measure), baselines of several runs and the
# --inconclusive policy, run the way a user runs them. Like cli_test.sh:
# exit statuses, messages, the store, the JSON. No timing is asserted: the
# budgets are tiny, and a verdict is asserted only where it cannot depend
# on the machine's noise.
# Needs: PERFREG, TINY (tiny_suite), CRASH (crash_suite), CHECK (check_results.py).
set -u

case_name=$1
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
unset PERFREG_CONFIG TINY_SKIP
# one_line FILE: FILE (stderr) is a single line
one_line() { [ "$(wc -l <"$1")" = 1 ] || { fail "$1 is not one line:"; sed 's/^/  /' "$1"; }; }
# nothing_recorded: no run in the store of the current folder
nothing_recorded() {
    [ -z "$(ls -A .perfreg/runs 2>/dev/null)" ] || fail "$1: recorded: $(ls -R .perfreg/runs)"
}
# script FILE LINE...: an executable /bin/sh script of these lines
script() {
    local f=$1; shift
    { echo '#!/bin/sh'; printf '%s\n' "$@"; } >"$f" && chmod +x "$f"
}
# jq_py FILE EXPR: prints the python expression EXPR of the JSON document d in FILE
jq_py() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
# A/B budgets: 6 rounds, each benchmark's process a twentieth of --min-time
ab=(--rounds 6 --max-rounds 6 --min-time 0.005 --warmup 0.001)
quick=(--min-time 0.02 --warmup 0.005)
# two_builds: copies of tiny_suite as a/tiny_suite (this build) and
# b/tiny_suite (the baseline's build)
two_builds() { mkdir -p a b && cp "$TINY" a/tiny_suite && cp "$TINY" b/tiny_suite; }
# bench_calls LOG: the benchmark of each `measure --bench` a logging wrapper saw
bench_calls() { awk '$1 == "measure" && $2 == "--bench" {print $3}' "$1"; }
# git_repo: a repository in the current folder with one commit of file.txt
git_repo() {
    git init -q . && git config user.email t@example.com && git config user.name t
    echo '.perfreg/' >.gitignore
    echo committed >file.txt
    git add -A && git commit -qm "first commit"
    # what the test itself writes is not the project's
    printf 'out\nerr\ntiny_suite\n*.json.txt\n' >>.git/info/exclude
}
# build_config COMMAND SUITE...: perfreg.json with that build section
build_config() {
    python3 -c 'import json, sys; print(json.dumps({"build": {"command": sys.argv[1], "suites": sys.argv[2:]}}))' \
        "$@" >perfreg.json
}
# repo_state: what --against must leave alone: HEAD, index, work tree
repo_state() { git rev-parse HEAD; git status --porcelain; git ls-files -s; git diff; git stash list; }
# no_builds WHAT: nothing of a build is left in the store
no_builds() {
    [ -z "$(ls -A .perfreg/builds 2>/dev/null)" ] || fail "$1: left in the store: $(find .perfreg/builds)"
}

case $case_name in
ab_measure)
    # the worker protocol: --list, then one results document per call
    expect_status 0 "$TINY" measure --list
    version=$("$PERFREG" --version | awk '{print $2}')
    [ "$(head -1 out)" = "perfreg-measure 1 $version" ] || fail "protocol line: $(head -1 out)"
    "$TINY" list >names
    [ "$(tail -n +2 out)" = "$(cat names)" ] || fail "--list names: $(tail -n +2 out)"
    [ "$(wc -l <names)" = 3 ] || fail "tiny_suite lists $(wc -l <names) benchmarks"
    expect_status 0 "$TINY" measure --bench tiny/memset_256 --iterations 100 --samples 4 \
        --min-samples 4 --min-time 0.001 --warmup 0
    [ ! -s err ] || fail "measure wrote on stderr: $(cat err)"
    # stdout is exactly one JSON document, nothing around it
    python3 - out <<'PY' || fail "measure --bench: not one results document as asked"
import json, sys
d = json.loads(open(sys.argv[1]).read())
assert d["schema_version"] == 1 and d["suite"] == "tiny_suite", d
b, = d["benchmarks"]
assert b["name"] == "tiny/memset_256" and b["status"] == "ok", b
assert b["iterations_per_sample"] == 100 and len(b["samples_ns"]) == 4, b
assert b["bytes_per_iteration"] == 256, b
o = d["context"]["options"]
assert o["samples"] == 4 and o["iterations"] == 100, o
PY
    # the build's context only (the machine is the comparing perfreg's)
    [ "$(jq_py out '(bool(d["context"]["compiler"]), d["context"]["perfreg_version"], d["context"]["clock"]["name"])')" = \
      "(True, '$version', 'CLOCK_MONOTONIC')" ] || fail "measure's context: $(jq_py out 'd["context"]')"
    # several --bench: each one, in the order asked
    expect_status 0 "$TINY" measure --bench tiny/skipper --bench tiny/barrier --samples 2 --min-samples 2
    [ "$(jq_py out '[b["name"] for b in d["benchmarks"]]')" = "['tiny/skipper', 'tiny/barrier']" ] ||
        fail "two --bench: $(jq_py out '[b["name"] for b in d["benchmarks"]]')"
    # a benchmark that fails: still the document, and status 3
    TINY_SKIP=1 expect_status 3 "$TINY" measure --bench tiny/skipper --bench tiny/barrier --samples 2
    [ "$(jq_py out '[(b["name"], b["status"], b["error"]) for b in d["benchmarks"]]')" = \
      "[('tiny/skipper', 'failed', 'TINY_SKIP is set'), ('tiny/barrier', 'ok', None)]" ] ||
        fail "failed benchmark: $(jq_py out '[(b["name"], b["status"], b["error"]) for b in d["benchmarks"]]')"
    # the worker never records a run
    [ ! -e .perfreg ] || fail "measure recorded something: $(find .perfreg)"
    # wrong calls: exit 2, a message, nothing on stdout
    expect_status 2 "$TINY" measure --bench tiny/nope
    [ "$(cat err)" = "tiny_suite measure: no benchmark 'tiny/nope' in this suite" ] || fail "unknown bench: $(cat err)"
    [ ! -s out ] || fail "unknown bench: stdout $(cat out)"
    expect_status 2 "$TINY" measure
    expect_in err "name a benchmark with --bench, or give --list"
    expect_in err "usage: tiny_suite measure"
    [ ! -s out ] || fail "no --bench: stdout $(cat out)"
    expect_status 2 "$TINY" measure --bench tiny/barrier --samples 0
    expect_in err "--samples '0'"
    expect_status 2 "$TINY" measure --bench tiny/barrier --min-time soon
    expect_in err "--min-time 'soon'"
    expect_status 2 "$TINY" measure tiny/barrier
    expect_in err "unexpected argument 'tiny/barrier'"
    # the perfreg program has no benchmarks to offer as a worker
    expect_status 2 "$PERFREG" measure --list
    expect_in err "perfreg measure: no benchmarks in this program"
    one_line err
    [ ! -s out ] || fail "perfreg measure --list printed: $(cat out)"
    expect_status 2 "$PERFREG" measure --bench tiny/barrier
    expect_in err "perfreg measure: no benchmarks in this program"
    expect_status 0 "$PERFREG" measure --help
    expect_status 0 "$TINY" measure --help
    for o in --bench --list --iterations --samples --min-samples --min-time --warmup; do
        expect_in out "$o"
    done
    ;;
ab_exe)
    # A/A: the same build twice, as the baseline's build and as this one
    two_builds
    expect_status 0 a/tiny_suite compare --against-exe b/tiny_suite "${ab[@]}" --seed 42
    expect_in out "A/B:       this build and b/tiny_suite in turns"
    expect_in out "random order (seed 42): 6 to 6 rounds"
    expect_in out "Verdict"
    for b in tiny/barrier tiny/memset_256 tiny/skipper; do
        # the mark, then the verdict or the statistic behind it ("❔ median")
        grep -E "^$b .* (✅|❔|❌|⚠️?) [a-z]+$" out >/dev/null || { fail "no verdict for $b"; cat out; }
    done
    expect_in out "Recorded: .perfreg/runs/tiny_suite/0001_"
    # this build's run is recorded, one process of each benchmark per round
    rec=$(ls .perfreg/runs/tiny_suite/0001_*.json 2>/dev/null)
    [ -n "$rec" ] || fail "the candidate's run was not recorded"
    python3 "$CHECK" "$rec" --min-samples 6 --git null >check.out || { fail "recorded run"; cat check.out; }
    python3 - "$rec" <<'PY' || fail "recorded run: not the candidate's rounds"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["suite"] == "tiny_suite", d["suite"]
assert sorted(b["name"] for b in d["benchmarks"]) == ["tiny/barrier", "tiny/memset_256", "tiny/skipper"]
for b in d["benchmarks"]:
    assert b["status"] == "ok" and len(b["process_samples"]) == 6, b
    assert sum(b["process_samples"]) == len(b["samples_ns"]), b
PY
    # the JSON: a paired verdict per benchmark, and --no-record records nothing more
    expect_status 0 a/tiny_suite compare --against-exe b/tiny_suite "${ab[@]}" --seed 42 --format json --no-record
    python3 - out <<'PY' || fail "A/B JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["kind"] == "comparison" and d["options"]["paired"] is True, d["options"]
assert len(d["benchmarks"]) == 3
for b in d["benchmarks"]:
    assert b["kind"] == "matched" and b["method"] == "paired", b
    assert b["verdict"] in ("pass", "inconclusive", "fail"), b["verdict"]
    assert b["rounds"] == 6 and b["test"] == "wilcoxon_signed_rank", b
PY
    [ "$(ls .perfreg/runs/tiny_suite | grep -c '\.json$')" = 1 ] || fail "--no-record recorded a run"
    # A/A verdict: not a fail. Only memset_256, with a budget that keeps its
    # rounds within a few per cent (the sub-nanosecond loops of the others
    # move by tens of per cent between two processes of one binary), and
    # room for a fail to be checked over twice the first rounds, as it is
    # by default.
    expect_status 0 a/tiny_suite compare --against-exe b/tiny_suite --filter tiny/memset_256 \
        --rounds 6 --max-rounds 12 --min-time 0.1 --warmup 0.02 \
        --fail mean:30% --warn mean:30% --warn median:30% --warn ops:30% --format json --no-record
    [ "$(jq_py out 'd["benchmarks"][0]["verdict"]')" != fail ] || fail "A/A: memset_256 fails against itself"
    # through the perfreg program, which hands over to the suite
    expect_status 0 "$PERFREG" compare a/tiny_suite --against-exe b/tiny_suite "${ab[@]}" --no-record
    expect_in out "A/B:       this build and b/tiny_suite in turns"
    grep -qE "random order \(seed [0-9]+\)" out || fail "no seed printed without --seed"
    # too few rounds for an interval: every benchmark inconclusive, which
    # --inconclusive turns into the exit status
    expect_status 1 a/tiny_suite compare --against-exe b/tiny_suite --rounds 2 --max-rounds 2 \
        --min-time 0.005 --warmup 0.001 --inconclusive fail --no-record
    expect_in out "too few rounds for a 95% interval"
    expect_status 0 a/tiny_suite compare --against-exe b/tiny_suite --rounds 2 --max-rounds 2 \
        --min-time 0.005 --warmup 0.001 --inconclusive pass --no-record
    [ ! -s err ] || fail "--inconclusive pass still warned: $(cat err)"
    expect_status 0 a/tiny_suite compare --against-exe b/tiny_suite --rounds 2 --max-rounds 2 \
        --min-time 0.005 --warmup 0.001 --no-record
    expect_in err "warning: 3 benchmarks are inconclusive"
    ;;
ab_order)
    # the order comes from the seed: a logging wrapper around the baseline's
    # build sees which benchmark runs when
    two_builds
    script logged "echo \"\$*\" >>\"\$AB_LOG\"" "exec '$work/b/tiny_suite' \"\$@\""
    for run in 1 2 3; do
        seed=7; [ $run = 3 ] && seed=8
        AB_LOG=$work/calls.$run expect_status 0 a/tiny_suite compare --against-exe ./logged "${ab[@]}" \
            --seed $seed --no-record
        expect_in out "(seed $seed)"
        bench_calls calls.$run >order.$run
    done
    [ "$(head -1 calls.1)" = "measure --list" ] || fail "the baseline's build was not listed first: $(head -1 calls.1)"
    [ "$(wc -l <order.1)" = 18 ] || fail "3 benchmarks x 6 rounds: $(wc -l <order.1) processes of the baseline"
    [ "$(sort order.1 | uniq -c | awk '{print $1}' | sort -u)" = 6 ] || fail "not 6 rounds each: $(sort order.1 | uniq -c)"
    cmp -s order.1 order.2 || fail "--seed 7 twice: two orders"
    ! cmp -s order.1 order.3 || fail "--seed 7 and --seed 8: the same order"
    # without --seed, the printed seed replays the order
    AB_LOG=$work/calls.4 expect_status 0 a/tiny_suite compare --against-exe ./logged "${ab[@]}" --no-record
    seed=$(grep -oE "order \(seed [0-9]+\)" out | grep -oE "[0-9]+")
    [ -n "$seed" ] || fail "no seed printed"
    AB_LOG=$work/calls.5 expect_status 0 a/tiny_suite compare --against-exe ./logged "${ab[@]}" --seed "${seed:-0}" --no-record
    bench_calls calls.4 >order.4 && bench_calls calls.5 >order.5
    cmp -s order.4 order.5 || fail "--seed $seed did not replay the order"
    # the run options reach the worker: fixed iterations in every process
    AB_LOG=$work/calls.6 expect_status 0 a/tiny_suite compare --against-exe ./logged "${ab[@]}" \
        --iterations 1000 --filter tiny/barrier --no-record
    [ "$(grep -c -- '--bench tiny/barrier --iterations 1000 ' calls.6)" = 6 ] ||
        { fail "--iterations 1000 did not reach the baseline's processes"; cat calls.6; }
    for order in random alternate candidate-second candidate-first; do
        expect_status 0 a/tiny_suite compare --against-exe b/tiny_suite --rounds 2 --max-rounds 2 \
            --min-time 0.005 --warmup 0.001 --order $order --seed 3 --no-record --inconclusive pass
        expect_in out "$order order (seed 3)"
    done
    expect_status 2 a/tiny_suite compare --against-exe b/tiny_suite "${ab[@]}" --order sideways
    expect_in err "--order 'sideways': one of random, alternate, candidate-second, candidate-first"
    nothing_recorded "--order sideways"
    ;;
ab_only_one)
    # a benchmark this build added: the baseline's build does not list it
    two_builds
    script older "if [ \"\$2\" = --list ]; then '$work/b/tiny_suite' measure --list | grep -v '^tiny/skipper\$'; exit; fi" \
        "echo \"\$*\" >>'$work/calls'" "exec '$work/b/tiny_suite' \"\$@\""
    expect_status 0 a/tiny_suite compare --against-exe ./older "${ab[@]}" --format json
    python3 - out <<'PY' || fail "a benchmark only in this build"
import json, sys
by = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
assert by["tiny/skipper"]["kind"] == "new" and by["tiny/skipper"]["verdict"] is None, by["tiny/skipper"]
for n in ("tiny/barrier", "tiny/memset_256"):
    assert by[n]["kind"] == "matched" and by[n]["method"] == "paired" and by[n]["rounds"] == 6, by[n]
PY
    expect_not_in calls "tiny/skipper"
    # ... but measured and recorded in this build's run
    rec=$(ls .perfreg/runs/tiny_suite/0001_*.json 2>/dev/null)
    [ "$(jq_py "$rec" '[b["status"] for b in d["benchmarks"] if b["name"] == "tiny/skipper"]')" = "['ok']" ] ||
        fail "tiny/skipper not in the recorded run"
    # a benchmark only the baseline's build has: crash_suite's ok/one
    # (the glob picks tiny/barrier here and ok/one there, nothing else)
    expect_status 0 a/tiny_suite compare --against-exe "$CRASH" --filter '[ot]*/[bo]*' \
        --rounds 2 --max-rounds 2 --min-time 0.005 --warmup 0.001 --no-record --format json
    [ "$(jq_py out 'sorted((b["name"], b["kind"]) for b in d["benchmarks"])')" = \
      "[('ok/one', 'missing'), ('tiny/barrier', 'new')]" ] ||
        fail "only in one build each: $(jq_py out '[(b["name"], b["kind"]) for b in d["benchmarks"]]')"
    expect_status 1 a/tiny_suite compare --against-exe "$CRASH" --filter '[ot]*/[bo]*' \
        --rounds 2 --max-rounds 2 --min-time 0.005 --warmup 0.001 --no-record --fail-on-missing
    grep -E "^ok/one .* missing" out >/dev/null || { fail "ok/one is not shown missing"; cat out; }
    # a benchmark that fails in this build, or in both: exit 3 with its own
    # reason, whichever build goes first
    script unskipped "unset TINY_SKIP" "exec '$work/b/tiny_suite' \"\$@\""
    for baseline in ./unskipped b/tiny_suite; do
        for order in candidate-first candidate-second; do
            TINY_SKIP=1 expect_status 3 a/tiny_suite compare --against-exe $baseline "${ab[@]}" \
                --order $order --no-record --format json
            [ "$(jq_py out '[(b["kind"], b["error"]) for b in d["benchmarks"] if b["name"] == "tiny/skipper"]')" = \
              "[('failed', 'TINY_SKIP is set')]" ] ||
                fail "$baseline $order: $(jq_py out '[b for b in d["benchmarks"] if b["name"] == "tiny/skipper"]')"
        done
    done
    # one that fails in the baseline's build only: nothing to compare it
    # with, new, as between two results files; whichever build goes first
    script skipping "TINY_SKIP=1 exec '$work/b/tiny_suite' \"\$@\""
    for order in candidate-first candidate-second; do
        expect_status 0 a/tiny_suite compare --against-exe ./skipping "${ab[@]}" --order $order --format json
        [ "$(jq_py out '[(b["kind"], b["error"]) for b in d["benchmarks"] if b["name"] == "tiny/skipper"]')" = \
          "[('new', None)]" ] || fail "$order: $(jq_py out '[b for b in d["benchmarks"] if b["name"] == "tiny/skipper"]')"
    done
    # ... and measured in this build: the recorded run has it
    rec=$(ls .perfreg/runs/tiny_suite/*.json | tail -1)
    [ "$(jq_py "$rec" '[b["status"] for b in d["benchmarks"] if b["name"] == "tiny/skipper"]')" = "['ok']" ] ||
        fail "failed in the baseline's build only: not measured in this one"
    ;;
ab_errors)
    two_builds
    mk old.json b/x=tight:1000
    # executables that are not perfreg suites: exit 2, one line naming them,
    # nothing recorded
    script hello 'echo hello'
    script older "echo \"older_suite: unknown command 'measure'\" >&2" 'exit 2'
    script future 'echo "perfreg-measure 2 9.9.9"'
    check_refused() {
        local exe=$1 want=$2
        rm -rf .perfreg
        expect_status 2 a/tiny_suite compare --against-exe "$exe" "${ab[@]}"
        one_line err
        expect_in err "tiny_suite compare: '$exe' $want"
        [ ! -s out ] || fail "$exe: a report was printed"
        [ ! -e .perfreg ] || fail "$exe: the store was written: $(find .perfreg)"
    }
    check_refused ./hello "is not a perfreg suite: './hello measure --list' printed no 'perfreg-measure' line"
    check_refused /bin/true "is not a perfreg suite"
    check_refused /bin/false "is not a perfreg suite: '/bin/false measure --list' failed (exited with status 1)"
    check_refused ./older "is a perfreg suite without the worker protocol of A/B comparisons ('measure'): rebuild it"
    check_refused ./future "speaks another version of the worker protocol ('perfreg-measure 2 9.9.9'"
    # nor is the perfreg program, which has no benchmarks
    check_refused "$PERFREG" "is not a perfreg suite: '$PERFREG measure --list' failed (exited with status 2): perfreg measure: no benchmarks in this program"
    expect_status 2 a/tiny_suite compare --against-exe ./missing "${ab[@]}"
    [ "$(cat err)" = "tiny_suite compare: --against-exe './missing': not an executable file" ] || fail "missing: $(cat err)"
    expect_status 2 a/tiny_suite compare --against-exe old.json "${ab[@]}"
    expect_in err "--against-exe 'old.json': not an executable file"
    # what excludes an A/B comparison: usage errors, before anything runs
    usage_error() {
        local msg=$1; shift
        expect_status 2 "$@"
        expect_in err "$msg"
        expect_in err "usage:"
    }
    usage_error "--against-exe compares two builds by running them: give no results file" \
        a/tiny_suite compare --against-exe b/tiny_suite --results old.json
    usage_error "--against-exe compares two builds by running them: give no results file" \
        "$PERFREG" compare old.json old.json --against-exe b/tiny_suite
    usage_error "--against-exe compares two builds by running them: give no results file" \
        "$PERFREG" compare old.json --against-exe b/tiny_suite
    usage_error "'b' is a folder: --against-exe needs the suite executable" \
        "$PERFREG" compare b --against-exe b/tiny_suite
    usage_error "--against-exe and --against exclude each other" \
        a/tiny_suite compare --against-exe b/tiny_suite --against HEAD
    usage_error "--against-exe and --baseline exclude each other" \
        a/tiny_suite compare --against-exe b/tiny_suite --baseline old.json
    usage_error "--against-exe runs every benchmark in processes of its own: drop --no-isolate" \
        a/tiny_suite compare --against-exe b/tiny_suite --no-isolate
    usage_error "--max-rounds 5 (or compare.max_rounds): below the 10 rounds every benchmark runs (--rounds)" \
        a/tiny_suite compare --against-exe b/tiny_suite --rounds 10 --max-rounds 5
    usage_error "--rounds '1'" a/tiny_suite compare --against-exe b/tiny_suite --rounds 1
    usage_error "--max-rounds '10000'" a/tiny_suite compare --against-exe b/tiny_suite --max-rounds 10000
    usage_error "--seed '-1'" a/tiny_suite compare --against-exe b/tiny_suite --seed -1
    usage_error "--max-time '-1'" a/tiny_suite compare --against-exe b/tiny_suite --max-time -1
    # --max-rounds alone below the default 10 rounds
    expect_status 2 a/tiny_suite compare --against-exe b/tiny_suite --max-rounds 5
    expect_in err "--max-rounds 5"
    # the perfreg program has no benchmarks of its own to be "this build"
    expect_status 2 "$PERFREG" compare --against-exe b/tiny_suite
    expect_in err "no benchmarks in this program; give the suite"
    nothing_recorded "refused comparisons"
    ;;
ab_config)
    two_builds
    # compare.rounds, max_rounds, max_time: checked like the options, naming the key
    check_key() {
        printf '%s' "$1" >perfreg.json
        expect_status 2 a/tiny_suite compare --against-exe b/tiny_suite --min-time 0.005 --warmup 0.001
        [ "$(cat err)" = "tiny_suite compare: 'perfreg.json': $2" ] || fail "$1: $(cat err)"
        [ ! -s out ] || fail "$1: a report was printed"
    }
    check_key '{"compare": {"rounds": 1}}' "compare.rounds: expected a whole number from 2 to 9999"
    check_key '{"compare": {"rounds": "10"}}' "compare.rounds: expected a whole number from 2 to 9999"
    check_key '{"compare": {"rounds": 2.5}}' "compare.rounds: expected a whole number from 2 to 9999"
    check_key '{"compare": {"max_rounds": 10000}}' "compare.max_rounds: expected a whole number from 2 to 9999"
    check_key '{"compare": {"max_time": -1}}' "compare.max_time: expected a number of seconds from 0 to 1e+06"
    check_key '{"compare": {"max_time": "10m"}}' "compare.max_time: expected a number of seconds from 0 to 1e+06"
    check_key '{"compare": {"rounds": 20, "max_rounds": 10}}' "compare.max_rounds: below compare.rounds"
    check_key '{"compare": {"inconclusive": "maybe"}}' "compare.inconclusive: expected \"pass\", \"warn\" or \"fail\""
    check_key '{"compare": {"round": 3}}' "compare.round: unknown key (known: fail, warn, alpha, inconclusive, rounds, max_rounds, max_time)"
    nothing_recorded "bad config"
    # max_rounds below the default rounds: refused too
    printf '{"compare": {"max_rounds": 5}}' >perfreg.json
    expect_status 2 a/tiny_suite compare --against-exe b/tiny_suite --min-time 0.005 --warmup 0.001
    nothing_recorded "compare.max_rounds 5"
    # the config's rounds are used, and the command line wins over them
    printf '{"compare": {"rounds": 3, "max_rounds": 3}}' >perfreg.json
    expect_status 0 a/tiny_suite compare --against-exe b/tiny_suite --min-time 0.005 --warmup 0.001 --no-record
    expect_in out ": 3 to 3 rounds"
    expect_status 0 a/tiny_suite compare --against-exe b/tiny_suite --min-time 0.005 --warmup 0.001 \
        --rounds 4 --max-rounds 4 --no-record --format json
    [ "$(jq_py out 'sorted(set(b["rounds"] for b in d["benchmarks"]))')" = "[4]" ] ||
        fail "--rounds 4 over the config's 3: $(jq_py out '[b["rounds"] for b in d["benchmarks"]]')"
    # a time budget spent before the first round ends: each benchmark still
    # gets the two rounds of a paired comparison, and no more
    printf '{"compare": {"max_time": 0.000001}}' >perfreg.json
    for max_time in "" "--max-time 0.000001"; do
        expect_status 0 a/tiny_suite compare --against-exe b/tiny_suite --min-time 0.005 --warmup 0.001 \
            --rounds 2 --max-rounds 10 $max_time --no-record
        expect_in out "the time budget (--max-time 1e-06) ended it"
        [ "$(grep -cE "^tiny/(barrier|memset_256|skipper) .* 2  ❔ inconclusive$" out)" = 3 ] ||
            { fail "${max_time:-compare.max_time}: not two rounds each"; cat out; }
    done
    expect_status 0 a/tiny_suite compare --against-exe b/tiny_suite --min-time 0.005 --warmup 0.001 \
        --rounds 2 --max-rounds 10 --max-time 0.000001 --no-record --format json
    [ "$(jq_py out 'sorted(set((b["method"], b["rounds"], b["verdict"]) for b in d["benchmarks"]))')" = \
      "[('paired', 2, 'inconclusive')]" ] || fail "--max-time: $(jq_py out '[(b["method"], b["rounds"]) for b in d["benchmarks"]]')"
    expect_status 0 a/tiny_suite compare --against-exe b/tiny_suite --min-time 0.005 --warmup 0.001 \
        --rounds 2 --max-rounds 2 --max-time 0 --no-record --format json
    [ "$(jq_py out 'sorted(set(b["rounds"] for b in d["benchmarks"]))')" = "[2]" ] || fail "--max-time 0 is no limit"
    ;;
ab_build)
    # --against REF: the suite built at REF from the config's build section
    mkdir repo && cd repo || exit 1
    git_repo
    build_config "test -f {source}/file.txt && cp '$TINY' {build}/tiny_suite" tiny_suite
    git add perfreg.json && git commit -qm "the build section"
    full=$(git rev-parse HEAD) && short=$(git rev-parse --short=7 HEAD)
    cp "$TINY" tiny_suite             # this build
    echo "edited, not committed" >file.txt
    repo_state >../before
    expect_status 0 ./tiny_suite compare --against HEAD "${ab[@]}" --seed 1
    [ "$(grep -c 'building' err)" = 1 ] || fail "no 'building' line: $(cat err)"
    expect_in err "tiny_suite compare: building HEAD ($short) (log: .perfreg/builds/$full/build-"
    expect_in out "A/B:       this build and build of HEAD ($short) in turns"
    grep -qE "^Baseline: .* $short \(HEAD\) the build section" out || { fail "Baseline line"; grep Baseline out; }
    ls .perfreg/runs/tiny_suite/0001_${short}_*.json >/dev/null 2>&1 || fail "this build's run not recorded"
    # the store: the commit's files, exported, and the build with its marker
    root=.perfreg/builds/$full
    [ "$(cat $root/source/file.txt 2>/dev/null)" = committed ] || fail "source/file.txt is not the committed file"
    cmp -s $root/source/perfreg.json perfreg.json || fail "source/perfreg.json is not the committed file"
    [ ! -e $root/source/tiny_suite ] || fail "an untracked file was exported"
    builds=$(cd $root && ls -d build-*/ | tr -d /)
    [ "$(echo "$builds" | wc -w)" = 1 ] || fail "build folders: $builds"
    [ -x "$root/$builds/tiny_suite" ] || fail "no $root/$builds/tiny_suite"
    [ -f "$root/$builds.done" ] || fail "no $root/$builds.done"
    # the work tree, the index and HEAD are as they were
    repo_state >../after
    cmp -s ../before ../after || { fail "--against changed the repository:"; diff ../before ../after | head; }
    # again: the build is reused
    expect_status 0 ./tiny_suite compare --against HEAD "${ab[@]}" --no-record --format json
    expect_not_in err "building"
    python3 - out "$full" <<'PY' || fail "the baseline's side of --against HEAD"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["baseline"]["commit"] == sys.argv[2] and d["baseline"]["branch"] == "HEAD", d["baseline"]
assert all(b["method"] == "paired" for b in d["benchmarks"]), d["benchmarks"]
PY
    # through perfreg, from a folder below, by merge base: the same build
    git checkout -qb feature && echo two >file2 && git add file2 && git commit -qm two
    main=$(git rev-parse --abbrev-ref '@{-1}')
    mkdir -p sub && cd sub || exit 1
    expect_status 0 "$PERFREG" compare ../tiny_suite --against "merge-base:$main" "${ab[@]}" --no-record
    expect_not_in err "building"
    expect_in out "build of merge-base:$main ($short)"
    cd .. || exit 1
    [ "$(ls .perfreg/builds)" = "$full" ] || fail "builds: $(ls .perfreg/builds)"
    # another command: another build of the same source, the first one kept
    git checkout -q "$main"
    build_config "cp '$TINY' {build}/tiny_suite # again" tiny_suite
    expect_status 0 ./tiny_suite compare --against HEAD "${ab[@]}" --no-record
    expect_in err "building HEAD ($short)"
    [ "$(cd $root && ls -d build-*/ | wc -l)" = 2 ] || fail "a second command: $(ls $root)"
    [ "$(cat $root/source/file.txt)" = committed ] || fail "the source changed"
    ;;
ab_build_errors)
    mkdir repo && cd repo || exit 1
    git_repo
    cp "$TINY" tiny_suite
    # bad_build WANT: exit 2, WANT in stderr, nothing in the store's builds
    bad_build() {
        local ref=$1 want=$2
        expect_status 2 ./tiny_suite compare --against "$ref" "${ab[@]}"
        expect_in err "$want"
        [ ! -s out ] || fail "$want: a report was printed"
        no_builds "$want"
        nothing_recorded "$want"
    }
    # no perfreg.json (none above: the search stops at the repository)
    bad_build HEAD "tiny_suite compare: --against HEAD needs a project config (perfreg.json) with a \"build\" section"
    one_line err
    printf '{"store": ".perfreg"}' >perfreg.json
    bad_build HEAD "tiny_suite compare: --against HEAD: 'perfreg.json' has no \"build\" section"
    one_line err
    build_config "cp '$TINY' {build}/tiny_suite" bin/other_suite
    bad_build HEAD "build.suites in 'perfreg.json' names no suite called 'tiny_suite'"
    one_line err
    build_config "cp '$TINY' {build}/tiny_suite" tiny_suite
    bad_build nosuchref "'nosuchref' does not resolve"
    one_line err
    # a failing build: the error, the end of its log, and nothing kept
    build_config 'echo compiling; echo boom >&2; exit 3' tiny_suite
    bad_build HEAD "the build of HEAD ($(git rev-parse --short=7 HEAD)) failed: 'echo compiling; echo boom >&2; exit 3' exited with status 3; its log ends:"
    expect_in err "    boom"
    expect_in err "    compiling"
    [ ! -e ".perfreg/builds/$(git rev-parse HEAD)" ] || fail "a failed build left its folder"
    # a build that makes no suite
    build_config 'echo compiling' tiny_suite
    bad_build HEAD "made no suite 'tiny_suite' in its build folder: check build.suites"
    expect_in err "    compiling"
    build_config 'mkdir {build}/tiny_suite' tiny_suite
    bad_build HEAD "made no suite 'tiny_suite' in its build folder"
    # half a build section
    for section in '{"command": "true"}' '{"suites": ["tiny_suite"]}' '{"command": "true", "suites": []}'; do
        printf '{"build": %s}' "$section" >perfreg.json
        expect_status 2 ./tiny_suite compare --against HEAD "${ab[@]}"
        [ "$(cat err)" = "tiny_suite compare: 'perfreg.json': build: give both \"command\" (with {source} and {build}) and \"suites\" (their paths inside the build folder)" ] ||
            fail "$section: $(cat err)"
    done
    printf '{"build": {"command": "true", "suites": ["tiny_suite"], "cache": 1}}' >perfreg.json
    expect_status 2 ./tiny_suite compare --against HEAD "${ab[@]}"
    expect_in err "build.cache: unknown key (known: command, suites)"
    no_builds "bad config"
    # a failed build next to a good one of the same commit: the good one stays
    build_config "cp '$TINY' {build}/tiny_suite" tiny_suite
    expect_status 0 ./tiny_suite compare --against HEAD "${ab[@]}" --no-record
    root=.perfreg/builds/$(git rev-parse HEAD)
    ls -A $root | grep -v '^\.lock$' >../good
    build_config 'echo boom; exit 1' tiny_suite
    expect_status 2 ./tiny_suite compare --against HEAD "${ab[@]}"
    ls -A $root | grep -v '^\.lock$' >../kept
    cmp -s ../good ../kept || { fail "a failed build touched the good one:"; diff ../good ../kept; }
    build_config "cp '$TINY' {build}/tiny_suite" tiny_suite
    expect_status 0 ./tiny_suite compare --against HEAD "${ab[@]}" --no-record
    expect_not_in err "building"
    # outside a repository
    cd .. && mkdir nogit && cd nogit || exit 1
    cp "$TINY" tiny_suite
    build_config "cp '$TINY' {build}/tiny_suite" tiny_suite
    expect_status 2 ./tiny_suite compare --against HEAD "${ab[@]}"
    expect_in err "no git repository"
    no_builds "outside git"
    ;;
baseline_runs)
    git_repo
    cp "$TINY" tiny_suite
    bl=baselines/tiny_suite.json
    run_stats() { jq_py $bl '(d["context"].get("runs"), sorted(set(len(b.get("run_stats") or []) for b in d["benchmarks"])))'; }
    for i in 1 2 3; do expect_status 0 ./tiny_suite run "${quick[@]}" --filter 'tiny/b*'; done
    expect_status 0 ./tiny_suite save-baseline
    expect_in out "Saved baseline $bl: "
    expect_in out ", 3 runs, commit"
    expect_in out "from .perfreg/runs/tiny_suite/0003_"
    expect_in out "and 2 earlier runs of its machine and commit"
    [ "$(run_stats)" = "(3, [3])" ] || fail "3 runs: $(run_stats)"
    [ ! -s err ] || fail "a baseline of 3 runs: $(cat err)"
    # at most 5 by default
    for i in 4 5 6; do expect_status 0 ./tiny_suite run "${quick[@]}" --filter 'tiny/b*'; done
    expect_status 0 ./tiny_suite save-baseline
    expect_in out "5 runs"
    expect_in out "from .perfreg/runs/tiny_suite/0006_"
    expect_in out "and 4 earlier runs"
    [ "$(run_stats)" = "(5, [5])" ] || fail "default: $(run_stats)"
    expect_status 0 ./tiny_suite save-baseline --runs 2
    expect_in out "and 1 earlier run of its machine and commit"
    [ "$(run_stats)" = "(2, [2])" ] || fail "--runs 2: $(run_stats)"
    # more than the store holds: refused, saying how to make them
    cp $bl keep.json.txt
    expect_status 2 ./tiny_suite save-baseline --runs 7
    [ "$(cat err)" = "tiny_suite save-baseline: --runs 7: the store holds 6 recorded runs of 'tiny_suite' on this machine and commit: record more ('./tiny_suite run'), or make them with './tiny_suite save-baseline --run --runs 7'" ] ||
        fail "--runs 7: $(cat err)"
    cmp -s $bl keep.json.txt || fail "a refused save-baseline changed the baseline"
    # runs of another commit are not merged
    echo two >file.txt && git commit -qam two
    expect_status 0 ./tiny_suite run "${quick[@]}" --filter 'tiny/b*'
    expect_status 0 ./tiny_suite save-baseline
    expect_not_in out "earlier"
    expect_not_in out "runs,"
    expect_in err "note: a baseline of one run: compare cannot know how much this machine moves"
    expect_in err "save-baseline --run --runs 5"
    expect_status 2 ./tiny_suite save-baseline --runs 2
    expect_in err "the store holds 1 recorded run of 'tiny_suite'"
    # --run --runs 2: two new runs, both recorded, one baseline
    expect_status 0 ./tiny_suite save-baseline --run --runs 2 "${quick[@]}" --filter 'tiny/b*'
    expect_in out "2 runs"
    expect_in out "from .perfreg/runs/tiny_suite/0009_"
    [ "$(ls .perfreg/runs/tiny_suite | grep -c '\.json$')" = 9 ] || fail "--run --runs 2 did not record two runs"
    [ "$(run_stats)" = "(2, [2])" ] || fail "--run --runs 2: $(run_stats)"
    [ ! -s err ] || fail "a baseline of 2 runs: $(cat err)"
    # compare against it: the runs method, n = 2
    newest=$(ls .perfreg/runs/tiny_suite/0009_*.json)
    expect_status 0 ./tiny_suite compare --results "$newest" --format json
    [ "$(jq_py out '[(b["name"], b["method"], b["rounds"]) for b in d["benchmarks"]]')" = "[('tiny/barrier', 'runs', 2)]" ] ||
        fail "compare against 2 runs: $(jq_py out '[(b["name"], b["method"]) for b in d["benchmarks"]]')"
    expect_status 0 ./tiny_suite compare --results "$newest"
    grep -E "^tiny/barrier .* 2  (✅|❔|❌|⚠️?) [a-z]+$" out >/dev/null || { fail "n is not 2"; grep -A2 '^Name' out; }
    expect_in out "this run against the centre of the baseline's runs"
    # --from saves one file as it is
    expect_status 0 ./tiny_suite save-baseline --from "$newest"
    expect_in err "note: a baseline of one run"
    [ "$(run_stats)" = "(None, [0])" ] || fail "--from: $(run_stats)"
    expect_status 2 ./tiny_suite save-baseline --from "$newest" --runs 2
    expect_in err "--from and --runs exclude each other"
    expect_in err "usage: tiny_suite save-baseline"
    expect_status 2 ./tiny_suite save-baseline --runs 0
    expect_in err "--runs '0'"
    ;;
inconclusive)
    # means 15% apart, samples overlapping: inconclusive at mean 10%
    mk old.json b/x=spread:1000:20:3
    mk new.json b/x=tail:1150:20:4
    mk same.json b/x=tight:1000
    warning="perfreg compare: warning: 1 benchmark is inconclusive: this comparison cannot resolve its threshold"
    expect_status 0 "$PERFREG" compare --fail=mean:10% old.json new.json
    [ "$(cat err)" = "$warning (--inconclusive fail fails on them)" ] || fail "default: $(cat err)"
    expect_status 0 "$PERFREG" compare --fail=mean:10% --inconclusive warn old.json new.json
    expect_in err "$warning"
    grep -E "^b/x .* inconclusive$" out >/dev/null || { fail "b/x not inconclusive"; cat out; }
    expect_status 0 "$PERFREG" compare --fail=mean:10% --inconclusive pass old.json new.json
    [ ! -s err ] || fail "pass: $(cat err)"
    grep -E "^b/x .* inconclusive$" out >/dev/null || fail "pass: b/x no longer shown inconclusive"
    expect_status 1 "$PERFREG" compare --fail=mean:10% --inconclusive fail old.json new.json
    expect_not_in err "warning"
    for p in pass warn fail; do
        expect_status "$([ $p = fail ] && echo 1 || echo 0)" "$PERFREG" compare --fail=mean:10% \
            --inconclusive $p --format json old.json new.json
        [ "$(jq_py out '(d["options"]["inconclusive"], d["benchmarks"][0]["verdict"], d["summary"]["inconclusive"])')" = \
          "('$p', 'inconclusive', 1)" ] || fail "json $p: $(jq_py out 'd["options"]["inconclusive"]')"
    done
    # nothing inconclusive: no policy changes anything
    expect_status 0 "$PERFREG" compare --fail=mean:10% --inconclusive fail same.json same.json
    [ ! -s err ] || fail "same files: $(cat err)"
    for bad in maybe "" FAIL; do
        expect_status 2 "$PERFREG" compare --fail=mean:10% --inconclusive "$bad" old.json new.json
        expect_in err "--inconclusive '$bad': one of pass, warn, fail"
    done
    # compare.inconclusive in the config; the command line wins
    for p in pass warn fail; do
        printf '{"compare": {"inconclusive": "%s"}}' $p >perfreg.json
        expect_status "$([ $p = fail ] && echo 1 || echo 0)" "$PERFREG" compare --fail=mean:10% old.json new.json
        if [ $p = warn ]; then expect_in err "$warning"; else [ ! -s err ] || fail "config $p: $(cat err)"; fi
    done
    expect_status 0 "$PERFREG" compare --fail=mean:10% --inconclusive pass old.json new.json
    expect_status 0 "$PERFREG" compare --fail=mean:10% --no-config old.json new.json
    expect_in err "$warning"
    for bad in '"maybe"' 1 null '["fail"]'; do
        printf '{"compare": {"inconclusive": %s}}' "$bad" >perfreg.json
        expect_status 2 "$PERFREG" compare --fail=mean:10% old.json new.json
        [ "$(cat err)" = "perfreg compare: 'perfreg.json': compare.inconclusive: expected \"pass\", \"warn\" or \"fail\"" ] ||
            fail "config $bad: $(cat err)"
        [ ! -s out ] || fail "config $bad: a report was printed"
    done
    ;;
*)
    echo "unknown case $case_name"; exit 2 ;;
esac

[ $fails -eq 0 ] && echo "ok [$case_name]"
exit $((fails > 0))
