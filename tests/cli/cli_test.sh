#!/usr/bin/env bash
# cli_test.sh CASE - runs the real binaries the way a user does and checks
# exit statuses, the report, the run store and the results file.
# Needs: PERFREG, TINY (tiny_suite), DUP (dup_suite), CHECK (check_results.py).
set -u

case_name=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

fails=0
fail() { echo "FAIL [$case_name]: $*"; fails=$((fails + 1)); }
# expect_status WANT CMD...: runs CMD with stdout/stderr in out/err.
expect_status() {
    local want=$1; shift
    "$@" >out 2>err
    local got=$?
    if [ "$got" != "$want" ]; then
        fail "'$*' exited $got, expected $want"; sed 's/^/  stderr: /' err | head -5
    fi
}
expect_in() { grep -qF -- "$2" "$1" || { fail "'$2' not in $1:"; head -20 "$1" | sed 's/^/  /'; }; }
expect_not_in() { ! grep -qF -- "$2" "$1" || fail "'$2' should not be in $1"; }
quick=(--min-time 0.02 --warmup 0.005)

case $case_name in
report)
    expect_status 0 "$TINY" run "${quick[@]}"
    for s in "PERFORMANCE BENCHMARK REPORT" "BENCHMARK RESULTS" "Date:" "Commit:" "Compiler:" \
             "Name" "Mean" "Median" "StdDev" "Ops/sec" "Samples" \
             tiny/barrier tiny/memset_256 tiny/skipper "Recorded: .perfreg/runs/tiny_suite/0001_"; do
        expect_in out "$s"
    done
    # the title box comes before the results section
    title=$(grep -n "PERFORMANCE BENCHMARK REPORT" out | cut -d: -f1)
    results=$(grep -n "BENCHMARK RESULTS" out | cut -d: -f1)
    [ "$title" -lt "$results" ] || fail "sections out of order"
    # 80 columns, counted in characters
    wide=$(python3 -c 'import sys; print("".join(l for l in open(sys.argv[1], encoding="utf-8") if len(l.rstrip("\n")) > 80))' out)
    [ -z "$wide" ] || fail "line wider than 80 columns: $wide"
    # no progress noise on stdout, none on a non-terminal stderr either
    [ ! -s err ] || { fail "stderr not empty when it is not a terminal"; cat err; }
    ;;
results)
    expect_status 0 "$TINY" run "${quick[@]}" --json out.json
    [ -f out.json ] || fail "--json did not write out.json"
    stored=$(ls .perfreg/runs/tiny_suite/*.json 2>/dev/null | head -1)
    [ -n "$stored" ] || fail "no run recorded in .perfreg/runs/tiny_suite"
    python3 -m json.tool "$stored" >/dev/null || fail "json.tool rejects $stored"
    python3 "$CHECK" "$stored" --min-samples 10 --git null >check.out || { fail "stored file"; cat check.out; }
    cmp -s "$stored" out.json || fail "--json file differs from the recorded run"
    # a second run gets the next number
    expect_status 0 "$TINY" run "${quick[@]}"
    ls .perfreg/runs/tiny_suite/0002_nogit_*.json >/dev/null 2>&1 || fail "second run not numbered 0002"
    ;;
json_stdout)
    expect_status 0 "$TINY" run "${quick[@]}" --json - --no-record
    python3 -m json.tool out >/dev/null || fail "--json - is not JSON on stdout"
    [ ! -e .perfreg ] || fail "--no-record still recorded"
    ;;
perfreg_runs_suite)
    # `perfreg run SUITE` records under the suite's own name, as the suite would
    expect_status 0 "$PERFREG" run "$TINY" "${quick[@]}" --filter 'tiny/b*'
    expect_in out tiny/barrier
    expect_not_in out tiny/memset_256
    ls .perfreg/runs/tiny_suite/0001_*.json >/dev/null 2>&1 || fail "perfreg run SUITE did not record under tiny_suite"
    expect_status 0 "$PERFREG" list "$TINY"
    [ "$(cat out)" = "$(printf 'tiny/barrier\ntiny/memset_256\ntiny/skipper')" ] || fail "list: $(cat out)"
    expect_status 2 "$PERFREG" run ./no-such-suite
    expect_in err "no-such-suite"
    expect_status 2 "$PERFREG" run
    expect_in err "give a suite executable"
    ;;
filter)
    expect_status 0 "$TINY" list --filter '*mem*' --filter '*barrier'
    [ "$(cat out)" = "$(printf 'tiny/barrier\ntiny/memset_256')" ] || fail "list --filter: $(cat out)"
    expect_status 2 "$TINY" run --filter 'nomatch*'
    expect_in err "'nomatch*'"
    [ ! -e .perfreg ] || fail "a failed filter recorded a run"
    ;;
usage)
    expect_status 2 "$TINY" run --bogus
    expect_in err "unknown option '--bogus'"
    expect_in err "usage: tiny_suite run"
    expect_status 2 "$TINY" run --min-time abc
    expect_in err "'abc'"
    expect_status 2 "$TINY" run --samples 0
    expect_in err "--samples '0'"
    expect_status 2 "$PERFREG" frobnicate
    expect_in err "unknown command 'frobnicate'"
    expect_status 0 "$PERFREG" --help
    expect_in out "run"
    expect_in out "list"
    expect_status 0 "$PERFREG" run --help
    for o in --filter --min-time --samples --iterations --warmup --json --store --no-record; do
        expect_in out "$o"
    done
    expect_status 0 "$PERFREG" help list
    expect_in out "--filter"
    expect_status 0 "$PERFREG" --version
    expect_in out "perfreg 0."
    ;;
skip)
    TINY_SKIP=1 expect_status 3 "$TINY" run "${quick[@]}" --json out.json
    expect_in out "FAILED: TINY_SKIP is set"
    expect_in out tiny/barrier
    python3 - out.json <<'PY' || fail "results file does not record the failure"
import json, sys
doc = json.load(open(sys.argv[1]))
by = {b["name"]: b for b in doc["benchmarks"]}
assert by["tiny/skipper"]["status"] == "failed", by["tiny/skipper"]
assert by["tiny/skipper"]["error"] == "TINY_SKIP is set"
assert by["tiny/barrier"]["status"] == "ok"
PY
    ;;
duplicate)
    expect_status 2 "$DUP" list
    expect_in err "duplicate benchmark name 'dup/same'"
    expect_in err "dup_a.c"
    expect_in err "dup_b.c"
    ;;
options)
    expect_status 0 "$TINY" run --iterations 1000 --samples 12 --warmup 0 --json out.json --no-record
    python3 - out.json <<'PY' || fail "--iterations/--samples not honoured"
import json, sys
doc = json.load(open(sys.argv[1]))
for b in doc["benchmarks"]:
    assert b["iterations_per_sample"] == 1000, b
    assert len(b["samples_ns"]) == 12, b
assert doc["context"]["options"]["iterations"] == 1000
PY
    expect_status 0 "$TINY" run "${quick[@]}" --store st --suite other --no-record
    [ ! -e st ] || fail "--no-record wrote the store"
    expect_status 0 "$TINY" run "${quick[@]}" --store st --suite other
    ls st/runs/other/0001_*.json >/dev/null 2>&1 || fail "--store/--suite not honoured"
    ;;
git)
    git init -q repo && cd repo || exit 1
    git config user.email t@example.com && git config user.name t
    echo one >file && git add file && git commit -qm "first commit" && git checkout -qb feature
    expect_status 0 "$TINY" run "${quick[@]}" --json clean.json --no-record
    python3 "$CHECK" clean.json --git repo --dirty false >check.out || { fail "clean repo"; cat check.out; }
    python3 -c 'import json,sys; g=json.load(open("clean.json"))["git"]; assert g["branch"]=="feature" and g["subject"]=="first commit", g' \
        || fail "branch or subject wrong"
    expect_in out "(feature)"
    echo two >file
    expect_status 0 "$TINY" run "${quick[@]}" --json dirty.json --no-record
    python3 "$CHECK" dirty.json --git repo --dirty true >check.out || { fail "dirty repo"; cat check.out; }
    expect_in out "feature-dirty"
    ;;
*)
    echo "unknown case $case_name"; exit 2 ;;
esac

[ $fails -eq 0 ] && echo "ok [$case_name]"
exit $((fails > 0))
