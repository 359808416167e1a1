#!/usr/bin/env bash
# cli_test.sh CASE - runs the real binaries the way a user does and checks
# exit statuses, the report, the run store and the results file.
# Needs: PERFREG, TINY (tiny_suite), DUP (dup_suite), CRASH (crash_suite),
# CHECK (check_results.py).
set -u

case_name=$1
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
# expect_block FILE TEXT: TEXT, lines and all, appears in FILE as it is
expect_block() {
    python3 -c 'import sys; sys.exit(sys.argv[2] not in open(sys.argv[1]).read())' "$1" "$2" ||
        { fail "this block is not in $1:"; printf '%s\n' "$2" | sed 's/^/  /'; }
}
quick=(--min-time 0.02 --warmup 0.005)
# repo_with_runs N: a git repository (cwd) with N commits and, at each, a
# recorded run of tiny_suite written into the store: b/flat flat, b/step 30%
# slower from commit 4 on, b/outlier 50% slower at commit 3 only.
repo_with_runs() {
    local n=$1 i step outlier commit
    git init -q . && git config user.email t@example.com && git config user.name t
    echo '.perfreg/' >.gitignore
    mkdir -p .perfreg/runs/tiny_suite
    for i in $(seq 1 "$n"); do
        echo "$i" >file && git add -A && git commit -qm "commit $i"
        commit=$(git rev-parse HEAD)
        step=1000; [ "$i" -ge 4 ] && step=1300
        outlier=500; [ "$i" -eq 3 ] && outlier=750
        mk .perfreg/runs/tiny_suite/$(printf %04d "$i")_${commit:0:7}_2026110${i}T100000Z.json \
            --commit "$commit" --branch main --subject "commit $i" --date "2026-11-0${i}T10:00:00Z" \
            b/flat=tight:100:20:$i b/step=tight:$step:20:$i b/outlier=tight:$outlier:20:$i
        echo "${commit:0:7}" >>commits
    done
}


# ---- the project config, perfreg.json (docs/config.md) ----
# two_suites A B: copies of tiny_suite as bin/A and bin/B, each recording
# under its own name, and a perfreg.json naming both
two_suites() {
    mkdir -p bin && cp "$TINY" "bin/$1" && cp "$TINY" "bin/$2"
    printf '{"perfreg_config": 1, "suites": ["bin/%s", "bin/%s"]}\n' "$1" "$2" >perfreg.json
}
# options_of FILE: the run options a results file recorded, "min_time samples iterations"
options_of() {
    python3 -c 'import json, sys; o = json.load(open(sys.argv[1]))["context"]["options"]; print(o["min_time_s"], o["samples"], o["iterations"])' "$1"
}
config_case() {
case $case_name in
config_suites)
    unset PERFREG_CONFIG
    two_suites alpha beta
    expect_status 0 "$PERFREG" run "${quick[@]}" --filter 'tiny/b*'
    expect_in out "Suite:     alpha"
    expect_in out "Suite:     beta"
    for s in alpha beta; do
        f=$(ls .perfreg/runs/$s/0001_*.json 2>/dev/null)
        [ -n "$f" ] || { fail "suite $s was not recorded under its name"; continue; }
        python3 "$CHECK" "$f" --min-samples 10 --git null >check.out || { fail "$f"; cat check.out; }
        [ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["suite"])' "$f")" = $s ] ||
            fail "$f does not name suite $s"
        expect_in out "Recorded: .perfreg/runs/$s/0001_"
    done
    # from a folder below, the same config, the same store (the config's folder's)
    mkdir -p sub/deeper && cd sub/deeper || exit 1
    expect_status 0 "$PERFREG" run "${quick[@]}" --filter 'tiny/b*'
    expect_in out "Recorded: ../../.perfreg/runs/alpha/0002_"
    expect_in out "Recorded: ../../.perfreg/runs/beta/0002_"
    [ ! -e .perfreg ] || fail "a run from a subfolder went to the current folder"
    expect_status 0 "$PERFREG" list
    [ "$(sort out | uniq -c | awk '{print $1}' | sort -u)" = 2 ] || fail "list: $(cat out)"
    cd ../.. || exit 1
    # the worst status: a failed benchmark in both suites is 3
    TINY_SKIP=1 expect_status 3 "$PERFREG" run "${quick[@]}" --no-record
    expect_in out "Suite:     beta"
    # one file or name for both suites is a usage error, before anything runs
    for o in --suite --json "--format gbench"; do
        v=x; [ "$o" = --json ] && v=out.json; [ "$o" = "--format gbench" ] && v=""
        expect_status 2 "$PERFREG" run $o $v "${quick[@]}"
        expect_in err "$o is for one suite and 'perfreg.json' names 2"
    done
    [ ! -e out.json ] && [ ! -e .perfreg/runs/x ] || fail "a refused run wrote something"
    # a suite that is not there: one line naming the file and the key, nothing run
    printf '{"suites": ["bin/alpha", "bin/gamma"]}' >perfreg.json
    rm -rf .perfreg
    expect_status 2 "$PERFREG" run "${quick[@]}"
    [ "$(cat err)" = "perfreg run: 'perfreg.json': suites[1]: 'bin/gamma': no such file: build the suite, or correct the path" ] ||
        fail "missing suite: $(cat err)"
    [ ! -s out ] && [ ! -e .perfreg ] || fail "a suite ran although another is missing"
    chmod -x bin/beta && printf '{"suites": ["bin/beta"]}' >perfreg.json
    expect_status 2 "$PERFREG" run "${quick[@]}"
    expect_in err "suites[0]: 'bin/beta': not executable"
    # a bare perfreg run outside any config still asks for a suite
    expect_status 2 "$PERFREG" run --no-config
    expect_in err "give a suite executable"
    ;;
config_options)
    unset PERFREG_CONFIG
    printf '{"run": {"min_time": 0.03, "warmup": 0.002, "samples": 12}, "store": "st", "keep": 2}' >perfreg.json
    # the suite itself reads the config ...
    expect_status 0 "$TINY" run --filter 'tiny/b*' --json a.json
    [ "$(options_of a.json)" = "0.03 12 0" ] || fail "config not applied: $(options_of a.json)"
    expect_in out "Recorded: st/runs/tiny_suite/0001_"
    # ... and the command line wins over it
    expect_status 0 "$TINY" run --filter 'tiny/b*' --samples 15 --min-time 0.02 --json b.json
    [ "$(options_of b.json)" = "0.02 15 0" ] || fail "command line did not override: $(options_of b.json)"
    expect_status 0 "$TINY" run --filter 'tiny/b*' --iterations 50 --json c.json
    [ "$(options_of c.json)" = "0.03 12 50" ] || fail "--iterations: $(options_of c.json)"
    # keep: 2 from the config
    [ "$(ls st/runs/tiny_suite | grep -c json)" = 2 ] || fail "keep from the config: $(ls st/runs/tiny_suite)"
    # no config: the defaults
    expect_status 0 "$TINY" run --no-config "${quick[@]}" --filter 'tiny/b*' --json d.json --no-record
    [ "$(options_of d.json)" = "0.02 50 0" ] || fail "--no-config: $(options_of d.json)"
    PERFREG_CONFIG=none expect_status 0 "$TINY" run "${quick[@]}" --filter 'tiny/b*'
    ls .perfreg/runs/tiny_suite/0001_*.json >/dev/null 2>&1 || fail "PERFREG_CONFIG=none still used the config's store"
    # --config FILE elsewhere: its paths are relative to its own folder
    mkdir -p conf && printf '{"store": "../elsewhere", "run": {"samples": 11}}' >conf/other.json
    expect_status 0 "$TINY" run --config conf/other.json "${quick[@]}" --filter 'tiny/b*' --json e.json
    [ "$(options_of e.json)" = "0.02 11 0" ] || fail "--config: $(options_of e.json)"
    ls elsewhere/runs/tiny_suite/0001_*.json >/dev/null 2>&1 || fail "--config store not relative to the config"
    PERFREG_CONFIG=conf/other.json expect_status 0 "$TINY" run "${quick[@]}" --filter 'tiny/b*'
    ls elsewhere/runs/tiny_suite/0002_*.json >/dev/null 2>&1 || fail "PERFREG_CONFIG=FILE not used"
    expect_status 2 "$TINY" run --config conf/other.json --no-config
    expect_in err "--config and --no-config exclude each other"
    # run.isolate false, undone by --isolate: memory is measured only in isolation
    printf '{"run": {"isolate": false}}' >perfreg.json
    expect_status 0 "$TINY" run "${quick[@]}" --filter 'tiny/b*' --json f.json --no-record
    expect_status 0 "$TINY" run "${quick[@]}" --filter 'tiny/b*' --json g.json --no-record --isolate
    python3 -c 'import json, sys; m = [("memory" in json.load(open(f))["benchmarks"][0]) for f in sys.argv[1:]]; sys.exit(m != [False, True])' f.json g.json ||
        fail "run.isolate false / --isolate not honoured"
    expect_status 2 "$TINY" run --isolate --no-isolate
    expect_in err "--isolate and --no-isolate exclude each other"
    ;;
config_invalid)
    unset PERFREG_CONFIG
    mkdir -p bin && cp "$TINY" bin/tiny_suite
    mk old.json b/x=tight:1000
    # check_invalid JSON MESSAGE: every command refuses the config, exit 2, nothing written
    check_invalid() {
        printf '%s' "$1" >perfreg.json
        for cmd in "$PERFREG run" "$PERFREG compare old.json old.json" "$PERFREG save-baseline --from old.json" \
                   "$PERFREG history" "$PERFREG list" "bin/tiny_suite run" "bin/tiny_suite list"; do
            expect_status 2 $cmd
            expect_in err "'perfreg.json': $2"
            [ "$(wc -l <err)" = 1 ] || fail "$cmd: more than one line: $(cat err)"
        done
        got=$(ls -A | sort | tr '\n' ' ')
        [ "$got" = "bin err old.json out perfreg.json " ] || fail "something was written: $got"
    }
    check_invalid '{"run": {"samples": 0}}' "run.samples: expected a whole number from 1 to 10000000"
    check_invalid '{"run": {"sampels": 5}}' "run.sampels: unknown key (known: min_time,"
    check_invalid '{"stor": ".perfreg"}' "stor: unknown key"
    check_invalid '{"keep": "10"}' "keep: expected a whole number from 1 to 1000000000"
    check_invalid '{"compare": {"fail": ["mena:10%"]}}' "compare.fail[0]: 'mena:10%': unknown statistic"
    check_invalid '{"compare": {"alpha": 0.9}}' "compare.alpha: expected a number from 1e-09 to 0.5"
    check_invalid '{"run": {"timeout": "1s"}}' "run.timeout: expected a number of seconds from 0 to 1e+06"
    check_invalid '{"suites": "bin/tiny_suite"}' "suites: expected an array"
    check_invalid '{"perfreg_config": 2}' "perfreg_config: expected 1"
    check_invalid '{"keep": 1,}' "not valid JSON near line 1, column 12"
    # --help still works, and a bad command line is reported before the config
    expect_status 0 "$PERFREG" run --help
    expect_status 2 "$PERFREG" run --bogus
    expect_in err "unknown option '--bogus'"
    # --no-config gets past it
    expect_status 0 "$PERFREG" compare --no-config old.json old.json
    expect_status 2 "$PERFREG" run --config nothere.json
    expect_in err "'nothere.json': cannot open"
    ;;
config_folders)
    unset PERFREG_CONFIG
    # store and baselines from the config, for save-baseline, compare and history
    mkdir -p data
    printf '{"store": "data/store", "baselines": "data/base", "compare": {"fail": "mean:10%%"}}' >perfreg.json
    expect_status 0 "$TINY" run "${quick[@]}" --filter 'tiny/b*'
    ls data/store/runs/tiny_suite/0001_*.json >/dev/null 2>&1 || fail "run: store not from the config"
    expect_status 0 "$TINY" save-baseline
    expect_in out "Saved baseline data/base/tiny_suite.json"
    mk old.json b/x=tight:1000
    mk slow.json b/x=tight:1250
    # compare.fail from the config; --fail replaces it
    expect_status 1 "$PERFREG" compare old.json slow.json
    expect_status 0 "$PERFREG" compare old.json slow.json --fail mean:30%
    expect_status 0 "$PERFREG" compare --no-config old.json slow.json
    # --baseline NAME is looked up in the config's baselines folder
    expect_status 0 "$PERFREG" save-baseline named --from old.json
    [ -f data/base/named.json ] || fail "save-baseline NAME: not in the config's baselines"
    expect_status 1 "$PERFREG" compare --results slow.json --baseline named
    expect_in out "Baseline"
    # history reads the config's store and shows the config's baseline
    expect_status 0 "$PERFREG" history --suite tiny_suite --format json
    python3 -c 'import json,sys; d=json.load(open("out")); assert len(d["runs"]) == 1, d["runs"]; assert d.get("baseline"), list(d)' ||
        fail "history did not read the config's store and baseline"
    expect_status 0 "$PERFREG" history --format csv
    expect_in out "tiny/barrier"
    # several suites: save-baseline and compare run each one's
    two_suites alpha beta
    printf '{"suites": ["bin/alpha", "bin/beta"], "store": "data/store", "baselines": "data/base"}' >perfreg.json
    expect_status 0 "$PERFREG" run "${quick[@]}" --filter 'tiny/b*'
    expect_status 0 "$PERFREG" save-baseline
    [ -f data/base/alpha.json ] && [ -f data/base/beta.json ] || fail "save-baseline: $(ls data/base)"
    expect_in out "Saved baseline data/base/alpha.json"
    expect_in out "Saved baseline data/base/beta.json"
    expect_status 0 "$PERFREG" compare "${quick[@]}" --filter 'tiny/b*' --format markdown
    expect_in out 'Suite `alpha`'
    expect_in out 'Suite `beta`'
    ls data/store/runs/alpha/0002_*.json data/store/runs/beta/0002_*.json >/dev/null 2>&1 ||
        fail "compare did not record each suite's run"
    expect_status 2 "$PERFREG" compare "${quick[@]}" --format json
    expect_in err "--format json is for one suite"
    ;;
config_interrupt)
    # perfreg running two suites passes SIGTERM and SIGINT sent to it alone
    # to the running suite, which stops; the second suite never starts
    unset PERFREG_CONFIG
    set -m
    mkdir -p bin && cp "$CRASH" bin/first && cp "$CRASH" bin/second
    printf '{"suites": ["bin/first", "bin/second"], "run": {"timeout": 0}}' >perfreg.json
    for sig in INT TERM; do
        rm -f child.pid
        CRASH_PIDFILE=$work/child.pid "$PERFREG" run --filter 'ok/one' --filter 'crash/forever' \
            "${quick[@]}" >out 2>err &
        pid=$!
        for _ in $(seq 100); do [ -s child.pid ] && break; sleep 0.05; done
        [ -s child.pid ] || fail "crash/forever did not start"
        sleep 0.3
        kill -$sig $pid
        wait $pid; st=$?
        want=130; [ $sig = TERM ] && want=143
        [ $st = $want ] || { fail "SIG$sig: exit $st, expected $want"; cat err; }
        expect_in err "first run: interrupted by SIG$sig"
        expect_in err "nothing recorded"
        expect_in err "perfreg run: interrupted by SIG$sig; 1 of 2 suites not run"
        [ ! -e .perfreg ] || fail "SIG$sig: something was recorded: $(ls -R .perfreg)"
        child=$(cat child.pid)
        ! kill -0 "$child" 2>/dev/null || { fail "SIG$sig: the benchmark $child still runs"; kill -9 "$child"; }
        expect_not_in err "second run"
    done
    ;;
*)
    return 1 ;;
esac
}

# ---- importing other tools' JSON (docs/importing.md) ----
# The fixtures are the tools' real output (tests/data/import/README.md).
imports=$here/../data/import
# imported FILE: "name status n_samples stats.n" of each benchmark, one a line
imported() {
    python3 -c 'import json, sys
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    print(b["name"], b["status"], len(b.get("samples_ns") or []), (b["stats"] or {}).get("n", 0))' "$1"
}
# check_import FILE: a results file (schema 1, each "ok" benchmark with samples
# whose mean is its stats' or with statistics only) that perfreg reads back
check_import() {
    python3 - "$1" <<'PY' || return 1
import json, math, sys
doc = json.load(open(sys.argv[1]))
assert doc["schema_version"] == 1 and doc["suite"] and doc["benchmarks"], doc
for b in doc["benchmarks"]:
    if b["status"] == "failed":
        assert b["error"] and b["stats"] is None, b
        continue
    s = b.get("samples_ns")
    assert b["iterations_per_sample"] >= 1 and b["stats"]["n"] >= 1, b
    if s:
        assert math.isclose(b["stats"]["mean_ns"], sum(s) / len(s), rel_tol=1e-9), b
        assert b["stats"]["n"] == len(s), b
PY
    local st
    "$PERFREG" compare "$1" "$1" >/dev/null 2>&1
    st=$?
    [ $st = 0 ] || [ $st = 3 ]
}
import_case() {
case $case_name in
import_gbench)
    expect_status 0 "$PERFREG" import "$imports/gbench_repetitions.json" -o rep.json
    expect_in err "imported 4 benchmarks (1 failed) from Google Benchmark JSON '$imports/gbench_repetitions.json' (real_time) into 'rep.json'"
    [ ! -s out ] || fail "-o FILE still printed on stdout"
    check_import rep.json || fail "rep.json is not a results file perfreg reads"
    imported rep.json >got
    [ "$(cat got)" = "$(printf 'BM_memcpy/64 ok 3 3\nBM_sort/1000 ok 3 3\nBM_counters ok 3 3\nBM_fails failed 0 0')" ] ||
        fail "repetitions: $(cat got)"
    python3 - rep.json "$imports/gbench_repetitions.json" <<'PY' || fail "samples, units, counters or context wrong"
import json, sys
doc, gb = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
by = {b["name"]: b for b in doc["benchmarks"]}
# each repetition a sample, in ns (BM_sort is in microseconds)
reps = [r["real_time"] * 1e3 for r in gb["benchmarks"]
        if r["run_name"] == "BM_sort/1000" and r["run_type"] == "iteration"]
assert by["BM_sort/1000"]["samples_ns"] == reps, (by["BM_sort/1000"]["samples_ns"], reps)
assert by["BM_sort/1000"]["items_per_iteration"] == 1000
assert by["BM_memcpy/64"]["bytes_per_iteration"] == 64
assert set(by["BM_counters"]["counters"]) == {"hits", "hits_avg", "hits_rate"}, by["BM_counters"]
assert by["BM_fails"]["error"] == "resource missing"
assert doc["suite"] == "gbench_shapes" and doc["context"]["clock"]["name"] == "google-benchmark real_time"
assert doc["context"]["date"].endswith("Z") and doc["context"]["logical_cores"] == gb["context"]["num_cpus"]
PY
    # the CPU times instead, on stdout
    expect_status 0 "$PERFREG" import "$imports/gbench_repetitions.json" --gbench-time cpu
    python3 - out "$imports/gbench_repetitions.json" <<'PY' || fail "--gbench-time cpu"
import json, sys
doc, gb = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
cpu = [r["cpu_time"] for r in gb["benchmarks"]
       if r["run_name"] == "BM_memcpy/64" and r["run_type"] == "iteration"]
b = [b for b in doc["benchmarks"] if b["name"] == "BM_memcpy/64"][0]
assert b["samples_ns"] == cpu and doc["context"]["clock"]["name"] == "google-benchmark cpu_time"
PY
    [ ! -s err ] || fail "stdout output also printed a summary: $(cat err)"
    expect_status 0 "$PERFREG" import "$imports/gbench_aggregates_only.json" -o - --suite agg
    imported out >got
    [ "$(cat got)" = "$(printf 'BM_memcpy/64 ok 0 3\nBM_counters ok 0 3\nBM_fails failed 0 0')" ] ||
        fail "aggregates only: $(cat got)"
    expect_in out '"suite": "agg"'
    for f in gbench_shapes.json gbench_compare_old.json google-benchmark-1.7.1.json; do
        expect_status 0 "$PERFREG" import "$imports/$f" -o "x_$f"
        check_import "x_$f" || fail "x_$f is not a results file perfreg reads"
    done
    ;;
import_pytest)
    for f in pytest_json.json pytest_saved_data.json pytest_saved_nodata.json pytest_autosave.json \
             pytest-benchmark-3.2.2.json; do
        expect_status 0 "$PERFREG" import "$imports/$f" -o "x_$f"
        expect_in err "from pytest-benchmark JSON '$imports/$f' into 'x_$f'"
        check_import "x_$f" || fail "x_$f is not a results file perfreg reads"
    done
    expect_in err "imported 6 benchmarks from pytest-benchmark JSON"
    imported x_pytest_saved_nodata.json >got
    [ "$(grep -c ' ok 0 ' got)" = 7 ] || fail "saved without data: $(cat got)"
    imported x_pytest_json.json >got
    grep -q '^test_pybench.py::test_sort\[1000\] ok [1-9]' got || fail "with data: $(cat got)"
    python3 - x_pytest_json.json "$imports/pytest_json.json" <<'PY' || fail "pytest mapping"
import json, sys
doc, py = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
by = {b["name"]: b for b in doc["benchmarks"]}
src = {b["fullname"]: b for b in py["benchmarks"]}
b, s = by["test_pybench.py::test_pedantic"], src["test_pybench.py::test_pedantic"]
assert b["samples_ns"] == [x * 1e9 for x in s["stats"]["data"]] and b["iterations_per_sample"] == 20
assert by["test_pybench.py::test_extra_info"]["counters"] == {"bytes": 197}
assert doc["suite"] == py["commit_info"]["project"]
assert doc["git"]["commit"] == py["commit_info"]["id"] and doc["git"]["branch"] == "master"
assert doc["context"]["compiler"].startswith("CPython ")
assert doc["context"]["clock"]["name"] == "pytest-benchmark perf_counter"
PY
    ;;
import_hyperfine)
    for f in hyperfine-1.15.0.json hyperfine_params.json hyperfine_named.json hyperfine_failing.json; do
        expect_status 0 "$PERFREG" import "$imports/$f" -o "x_$f"
        check_import "x_$f" || fail "x_$f is not a results file perfreg reads"
    done
    expect_in err "imported 3 benchmarks (2 failed) from hyperfine JSON"
    imported x_hyperfine_named.json >got
    [ "$(cat got)" = "$(printf 'sleep (n=1) ok 3 3\nsleep (n=2) ok 3 3')" ] || fail "parameters: $(cat got)"
    imported x_hyperfine_params.json >got
    [ "$(cut -d' ' -f1-2 got | tr '\n' ,)" = "sleep 0.001,sleep 0.002,sleep 0.003," ] || fail "-P: $(cat got)"
    python3 - x_hyperfine_failing.json <<'PY' || fail "exit codes"
import json, sys
by = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
assert by["true"]["status"] == "ok" and len(by["true"]["samples_ns"]) == 5
assert by["false"]["status"] == "failed" and by["false"]["error"] == "exit code 1 in 5 of 5 runs"
PY
    # a failed command fails a comparison like a benchmark that failed to run
    expect_status 3 "$PERFREG" compare "$imports/hyperfine_failing.json" "$imports/hyperfine_failing.json"
    expect_in out "exit code 1 in 5 of 5 runs"
    ;;
import_errors)
    # nothing on disk changes, exit 2, one line naming the file and the field
    echo '{"benchmarks": [{"name": "BM_a", "run_type": "iteration", "iterations": 1, "real_time": -1, "time_unit": "ns"}]}' >bad.json
    expect_status 2 "$PERFREG" import bad.json -o new.json
    [ "$(cat err)" = "perfreg import: 'bad.json': benchmarks[0].real_time: expected a non-negative finite number" ] ||
        fail "bad row: $(cat err)"
    [ ! -e new.json ] || fail "a failed import wrote new.json"
    cp "$imports/hyperfine_named.json" keep.json && cp keep.json old.json
    expect_status 2 "$PERFREG" import bad.json -o old.json
    cmp -s keep.json old.json || fail "a failed import changed the output file"
    ! ls -a | grep -q perfreg-tmp || fail "temporary file left behind"
    expect_status 2 "$PERFREG" import "$imports/hyperfine_named.json" --from gbench
    expect_in err "not Google Benchmark JSON: expected an object with a \"benchmarks\" array of rows with \"run_type\" / \"real_time\""
    echo '{"suite": "s", "benchmarks": []}' >other.json
    expect_status 2 "$PERFREG" import other.json
    expect_in err "'other.json': not Google Benchmark, pytest-benchmark or hyperfine JSON"
    expect_status 2 "$PERFREG" import "$imports/pytest_json.json" --gbench-time cpu
    expect_in err "--gbench-time applies to Google Benchmark JSON"
    expect_in err "usage: perfreg import"
    expect_status 2 "$PERFREG" import "$imports/pytest_json.json" --from hyperfine --gbench-time cpu
    expect_in err "--gbench-time applies to --from gbench only"
    expect_status 2 "$PERFREG" import x.json --from criterion
    expect_in err "--from 'criterion': one of gbench, pytest, hyperfine"
    expect_status 2 "$PERFREG" import x.json --gbench-time wall
    expect_in err "--gbench-time 'wall': real or cpu"
    expect_status 2 "$PERFREG" import
    expect_in err "which file?"
    expect_status 2 "$PERFREG" import a.json b.json
    expect_in err "one file at a time"
    expect_status 2 "$PERFREG" import missing.json
    expect_in err "'missing.json': cannot open"
    expect_status 0 "$PERFREG" import --help
    expect_in out "--gbench-time"
    # the readers of results files keep their message for what is none of these
    expect_status 2 "$PERFREG" compare other.json other.json
    expect_in err "'other.json': schema_version: required field is missing"
    # and give the importer's for a tool's file that is broken
    expect_status 2 "$PERFREG" compare --results bad.json --baseline bad.json
    expect_in err "'bad.json': benchmarks[0].real_time: expected a non-negative finite number"
    ;;
import_compare)
    # two Google Benchmark runs of 10 repetitions, BM_work 30% slower in the new one
    expect_status 0 "$PERFREG" import "$imports/gbench_compare_old.json" -o old.json
    expect_status 0 "$PERFREG" import "$imports/gbench_compare_new.json" -o new.json
    expect_status 1 "$PERFREG" compare --results new.json --baseline old.json --fail mean:10%
    grep -E "^BM_work .*\+3[0-9]\.[0-9]% .*fail" out >/dev/null || { fail "BM_work not failing"; cat out; }
    expect_in out "REGRESSIONS DETECTED"
    sed -n '/REGRESSIONS DETECTED/,/RECOMMENDATIONS/p' out >regressions
    expect_in regressions "BM_work: mean +3"
    expect_not_in regressions "BM_same: mean"
    expect_status 1 "$PERFREG" compare --results new.json --baseline old.json --fail mean:10% --format json
    python3 - out <<'PY' || fail "verdicts and p-values"
import json, sys
by = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
w, s = by["BM_work"], by["BM_same"]
assert w["tested"] and w["p_value"] < 0.001 and w["failing"] and w["verdict"] == "fail", w
assert w["level"] == "critical" and w["method"] == "samples", w
assert s["tested"] and not s["failing"] and abs(s["metrics"]["mean"]["change"]) < 0.1, s
assert w["current_samples"] == 10 and w["baseline_samples"] == 10
PY
    # the tools' files themselves, without importing first
    expect_status 1 "$PERFREG" compare --results "$imports/gbench_compare_new.json" \
        --baseline "$imports/gbench_compare_old.json" --fail mean:10% --format json
    python3 -c 'import json, sys; b = [b for b in json.load(open("out"))["benchmarks"] if b["name"] == "BM_work"][0]; assert b["p_value"] < 0.001 and b["failing"], b' ||
        fail "compare on raw Google Benchmark files"
    expect_status 0 "$PERFREG" compare "$imports/gbench_compare_old.json" "$imports/gbench_compare_old.json"
    # statistics only: compared, but no significance test
    expect_status 0 "$PERFREG" compare "$imports/pytest_saved_nodata.json" "$imports/pytest_autosave.json"
    expect_in out "of the statistics alone, without a test"
    grep -E "test_md5 .* - +- +✅ pass" out >/dev/null || { fail "stats only: no interval, pass"; cat out; }
    expect_status 0 "$PERFREG" compare --format json "$imports/pytest_saved_nodata.json" "$imports/pytest_autosave.json"
    python3 -c 'import json; d = json.load(open("out")); assert all(b["kind"] == "matched" and not b["tested"] and not b["testable"] for b in d["benchmarks"]), d["benchmarks"]' ||
        fail "stats-only entries not matched and untested"
    ;;
import_baseline_history)
    # save-baseline from an imported file and from a tool's file as it is
    expect_status 0 "$PERFREG" import "$imports/gbench_compare_old.json" -o old.json
    expect_status 0 "$PERFREG" save-baseline --from old.json
    expect_in out "Saved baseline baselines/gbench_compare.json: 2 benchmarks"
    expect_status 0 "$PERFREG" save-baseline raw --from "$imports/gbench_aggregates_only.json"
    expect_in out "Saved baseline baselines/raw.json: 3 benchmarks"
    expect_in err "warning: failed benchmarks have no baseline figures: 'BM_fails'"
    check_import baselines/raw.json || fail "baselines/raw.json"
    expect_status 1 "$PERFREG" compare --results "$imports/gbench_compare_new.json" --fail mean:10%
    expect_in out "Baseline:  2026-"
    # history over recorded runs that are imports, and raw files
    mkdir -p .perfreg/runs/gbench_compare
    cp old.json .perfreg/runs/gbench_compare/0001_nogit_20261123T151612Z.json
    cp "$imports/gbench_compare_new.json" .perfreg/runs/gbench_compare/0002_nogit_20261123T151613Z.json
    expect_status 0 "$PERFREG" history --suite gbench_compare --stat mean --format json
    python3 - out <<'PY' || fail "history of imported runs"
import json, sys
d = json.load(open(sys.argv[1]))
by = {b["name"]: b for b in d["benchmarks"]}
assert len(d["runs"]) == 2 and sorted(by) == ["BM_same", "BM_work"], d
work = by["BM_work"]["points"]
assert all(p["present"] for p in work) and work[1]["change"] > 0.2, work
assert abs(by["BM_same"]["points"][1]["change"]) < 0.1, by["BM_same"]
PY
    expect_status 0 "$PERFREG" history --suite gbench_compare --ascii
    expect_in out "BM_work"
    ;;
import_completion)
    mkdir bin && ln -s "$PERFREG" bin/perfreg
    complete_line() {
        PATH="$PWD/bin:$PATH" bash -c '
            source "$0"
            COMP_WORDS=("${@}"); COMP_CWORD=$(($# - 1))
            _perfreg
            printf "%s\n" "${COMPREPLY[@]}" | sort' "$here/../../completion/perfreg.bash" "$@"
    }
    [ "$(complete_line perfreg imp)" = import ] || fail "command: $(complete_line perfreg imp)"
    [ "$(complete_line perfreg help im)" = import ] || fail "help: $(complete_line perfreg help im)"
    for o in $("$PERFREG" import --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        complete_line perfreg import "$o" | grep -qx -- "$o" || fail "import $o does not complete"
    done
    [ "$(complete_line perfreg import --from "" | tr '\n' ' ')" = "gbench hyperfine pytest " ] ||
        fail "--from: $(complete_line perfreg import --from '')"
    [ "$(complete_line perfreg import --gbench-time "" | tr '\n' ' ')" = "cpu real " ] ||
        fail "--gbench-time: $(complete_line perfreg import --gbench-time '')"
    touch gb.json && mkdir sub
    complete_line perfreg import gb >got
    [ "$(cat got)" = gb.json ] || fail "import FILE: $(cat got)"
    complete_line perfreg import gb.json -o s >got
    [ "$(cat got)" = sub ] || fail "import -o: $(cat got)"
    ;;
*)
    return 1 ;;
esac
}

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
    expect_block out "tiny/skipper
    TINY_SKIP is set
"
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
baseline_roundtrip)
    # run, save-baseline, compare --results on that same run: all normal, exit 0
    expect_status 0 "$TINY" run "${quick[@]}"
    expect_status 0 "$TINY" save-baseline
    expect_in out "Saved baseline baselines/tiny_suite.json: 3 benchmarks"
    expect_in out "from .perfreg/runs/tiny_suite/0001_"
    python3 -m json.tool baselines/tiny_suite.json >/dev/null || fail "baseline is not JSON"
    run1=$(ls .perfreg/runs/tiny_suite/0001_*.json)
    expect_status 0 "$TINY" compare --results "$run1" --fail mean:10%
    expect_in out "COMPARISON VS BASELINE"
    expect_in out "REGRESSIONS DETECTED"
    expect_in out "RECOMMENDATIONS"
    # a run against itself: no change, so pass, or inconclusive where the
    # spread between its processes is wider than the threshold
    for b in tiny/barrier tiny/memset_256 tiny/skipper; do
        grep -E "^$b .* \+0\.0% .*(✅ pass|❔ inconclusive)$" out >/dev/null ||
            { fail "$b is not unchanged"; sed 's/^/  /' out; }
    done
    # the perfreg program does the same on files, without a suite
    expect_status 0 "$PERFREG" compare --results "$run1"
    # a later run shows the comparison by itself
    expect_status 0 "$TINY" run "${quick[@]}"
    expect_in out "COMPARISON VS BASELINE"
    expect_in out "Baseline:  baselines/tiny_suite.json"
    # --from and a name; a suite path goes to the suite
    expect_status 0 "$PERFREG" save-baseline other --from "$run1" --baselines b2
    [ -f b2/other.json ] || fail "save-baseline NAME --from did not write b2/other.json"
    expect_status 0 "$PERFREG" save-baseline "$TINY" --baselines b3
    [ -f b3/tiny_suite.json ] || fail "save-baseline SUITE did not write b3/tiny_suite.json"
    ;;
compare_verdicts)
    mk old.json b/x=tight:1000 b/y=tight:2000
    mk slow25.json b/x=tight:1250 b/y=tight:2000
    mk slow12.json b/x=tight:1120 b/y=tight:2000
    expect_status 1 "$PERFREG" compare --fail=mean:10% old.json slow25.json
    expect_in out "REGRESSIONS DETECTED"
    sed -n '/REGRESSIONS DETECTED/,/RECOMMENDATIONS/p' out > regressions
    expect_in regressions "b/x"
    expect_not_in regressions "b/y"
    expect_status 1 "$PERFREG" compare --fail=mean:10% old.json slow12.json
    expect_status 0 "$PERFREG" compare --fail=mean:15% old.json slow12.json
    grep -E "^b/x .*(\[warn\]|⚠)" out >/dev/null || fail "12% slower is not a warning"
    expect_status 0 "$PERFREG" compare old.json old.json
    ;;
compare_noise)
    # means 15% apart, samples overlapping: not significant
    mk old.json b/x=spread:1000:20:3
    mk new.json b/x=tail:1150:20:4
    expect_status 0 "$PERFREG" compare --fail=mean:10% old.json new.json
    grep -E "^b/x .*❔ inconclusive" out >/dev/null || { fail "the change is not inconclusive"; cat out; }
    sed -n '/^INCONCLUSIVE/,/^RECOMMENDATIONS/p' out >inconclusive
    expect_in inconclusive "b/x: mean +"
    expect_in inconclusive "beyond its threshold, but not significantly"
    # --inconclusive decides what it does to the exit status
    expect_status 1 "$PERFREG" compare --fail=mean:10% --inconclusive fail old.json new.json
    expect_status 0 "$PERFREG" compare --fail=mean:10% --inconclusive pass old.json new.json
    expect_status 2 "$PERFREG" compare --fail=mean:10% --inconclusive maybe old.json new.json
    expect_in err "--inconclusive 'maybe': one of pass, warn, fail"
    expect_status 1 "$PERFREG" compare --fail=mean:10% --no-significance old.json new.json
    # 3 samples a side can never reach p < 0.05: the plain threshold decides
    mk old3.json b/x=tight:1000:3
    mk new3.json b/x=tight:1250:3
    expect_status 1 "$PERFREG" compare --fail=mean:10% old3.json new3.json
    ;;
compare_usage)
    mk old.json b/x=tight:1000
    for bad in mean:abc mena:10% mean; do
        expect_status 2 "$PERFREG" compare --fail=$bad old.json old.json
        expect_in err "'$bad'"
        expect_in err "usage:"
    done
    expect_status 2 "$PERFREG" compare --fail=mean:-5% old.json old.json
    expect_in err "'mean:-5%'"
    expect_status 2 "$PERFREG" compare --format yaml old.json old.json
    expect_in err "'yaml'"
    expect_status 2 "$PERFREG" compare --alpha 2 old.json old.json
    expect_in err "--alpha '2'"
    # no baseline: an input error saying how to make one
    expect_status 2 "$PERFREG" compare --results old.json
    expect_in err "no baseline 'baselines/tiny_suite.json'"
    expect_in err "save-baseline"
    expect_status 2 "$PERFREG" compare missing.json old.json
    expect_in err "missing.json"
    expect_status 2 "$PERFREG" compare
    ;;
compare_formats)
    mk old.json b/x=tight:1000 'b/pipe|name=tight:500' gone=tight:10
    mk new.json b/x=tight:1250 'b/pipe|name=tight:500' fresh=tight:10
    expect_status 1 "$PERFREG" compare --fail mean:10% --format json old.json new.json
    python3 -m json.tool out >/dev/null || fail "--format json is not JSON"
    python3 - out <<'PY' || fail "json content"
import json, sys
d = json.load(open(sys.argv[1]))
by = {b["name"]: b for b in d["benchmarks"]}
assert by["b/x"]["failing"] is True and by["b/x"]["verdict"] == "fail", by["b/x"]
assert by["b/x"]["level"] == "critical", by["b/x"]
assert by["b/x"]["p_value"] < 0.05
assert by["gone"]["kind"] == "missing" and by["fresh"]["kind"] == "new"
PY
    expect_status 1 "$PERFREG" compare --fail mean:10% --format markdown old.json new.json
    python3 - out <<'PY' || { fail "--format markdown is not a valid table"; cat out; }
import re, sys
lines = [l for l in open(sys.argv[1]) if l.startswith("|")]
assert len(lines) >= 5, lines
cells = lambda l: len(re.split(r"(?<!\\)\|", l.strip())) - 2
n = cells(lines[0])
assert all(cells(l) == n for l in lines), [cells(l) for l in lines]
assert re.match(r"^\|( *:?-+:? *\|)+$", lines[1].strip()), lines[1]
PY
    expect_status 1 "$PERFREG" compare --fail mean:10% --format csv -o report.csv old.json new.json
    python3 -c 'import csv,sys; rows=list(csv.reader(open("report.csv"))); assert rows[0][0]=="name" and len(rows)==5, rows' \
        || fail "--format csv -o"
    [ ! -s out ] || fail "-o still wrote to stdout"
    ;;
compare_machine)
    mk old.json b/x=tight:1000 --cpu "CPU A"
    mk new.json b/x=tight:1000 --cpu "CPU B"
    expect_status 0 "$PERFREG" compare old.json new.json
    expect_in out "different machine"
    expect_status 2 "$PERFREG" compare --strict-machine old.json new.json
    expect_in err "CPU A"
    ;;
compare_failed)
    mk old.json b/x=tight:1000 b/y=tight:1000
    mk new.json b/x=tight:1000 b/y=failed
    expect_status 3 "$PERFREG" compare old.json new.json
    expect_in out "it broke"
    ;;
save_fault)
    # the old baseline survives a disk that fills and a read-only folder
    expect_status 0 "$TINY" run "${quick[@]}"
    if [ "$(id -u)" = 0 ] && unshare -m --propagation private true 2>/dev/null; then
        cat >fault.sh <<SH
set -u
mkdir -p full ro
mount -t tmpfs -o size=64k tmpfs full && mount -t tmpfs -o size=1m tmpfs ro || exit 9
cp "$PWD/old_baseline.json" full/tiny_suite.json
cp "$PWD/old_baseline.json" ro/tiny_suite.json
head -c 10m /dev/zero >full/filler 2>/dev/null
"$TINY" save-baseline --baselines full >out.full 2>err.full; echo \$? >status.full
mount -o remount,ro ro
"$TINY" save-baseline --baselines ro >out.ro 2>err.ro; echo \$? >status.ro
cmp -s full/tiny_suite.json "$PWD/old_baseline.json" && echo intact >intact.full
cmp -s ro/tiny_suite.json "$PWD/old_baseline.json" && echo intact >intact.ro
ls -a full ro >listing
SH
        mk old_baseline.json tiny/barrier=tight:1
        unshare -m --propagation private bash fault.sh || fail "fault script failed"
        [ "$(cat status.full)" = 2 ] || fail "disk full: exit $(cat status.full)"
        grep -q "No space left on device" err.full || { fail "disk full: message"; cat err.full; }
        [ -f intact.full ] || fail "disk full: the old baseline changed"
        [ "$(cat status.ro)" = 2 ] || fail "read-only: exit $(cat status.ro)"
        grep -q "Read-only file system" err.ro || { fail "read-only: message"; cat err.ro; }
        [ -f intact.ro ] || fail "read-only: the old baseline changed"
        ! grep -q perfreg-tmp listing || fail "temporary files left behind: $(cat listing)"
        head -1 err.full err.ro
    else
        # Without mount namespaces (not root, or in a chroot): a write limit
        # stands in for a full disk and permissions for a read-only folder,
        # checked as an unprivileged user, since root ignores permissions.
        as_user=()
        mkdir -p bin lim ro && cp "$TINY" bin/tiny_suite
        if [ "$(id -u)" = 0 ]; then
            as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
            chmod 755 "$work" bin && chown 65534 lim ro
        fi
        mk lim/tiny_suite.json tiny/barrier=tight:1 && cp lim/tiny_suite.json old.json
        (ulimit -f 1; "${as_user[@]}" bin/tiny_suite save-baseline --baselines lim >out 2>err); st=$?
        [ "$st" = 2 ] || fail "write limit: exit $st"
        grep -q "File too large" err || { fail "write limit: message"; cat err; }
        cmp -s lim/tiny_suite.json old.json || fail "write limit: the old baseline changed"
        cp old.json ro/tiny_suite.json && chmod 555 ro
        expect_status 2 "${as_user[@]}" bin/tiny_suite save-baseline --baselines ro
        expect_in err "Permission denied"
        cmp -s ro/tiny_suite.json old.json || fail "read-only: the old baseline changed"
        chmod 755 ro
        ! ls -a lim ro | grep -q perfreg-tmp || fail "temporary files left behind"
    fi
    ;;
history_store)
    repo_with_runs 5
    expect_status 0 "$PERFREG" history --suite tiny_suite --ascii
    # five rows per benchmark, the short commits in order
    for c in $(cat commits); do
        [ "$(grep -c "^ *$c" out)" = 3 ] || { fail "commit $c is not on 3 rows"; cat out; break; }
    done
    order=$(grep -o -E "^ *[0-9a-f]{7}" out | head -5 | tr -d ' ' | tr '\n' ' ')
    [ "$order" = "$(tr '\n' ' ' <commits)" ] || fail "rows not in commit order: $order"
    expect_status 0 "$PERFREG" history --suite tiny_suite --format json
    python3 - out "$(sed -n 4p commits)" <<'PY' || fail "steps or points wrong in the json"
import json, sys
d = json.load(open(sys.argv[1]))
by = {b["name"]: b for b in d["benchmarks"]}
assert len(d["runs"]) == 5, len(d["runs"])
steps = lambda name: [i for i, p in enumerate(by[name]["points"]) if p["step"]]
assert steps("b/step") == [3], steps("b/step")
assert steps("b/outlier") == [], steps("b/outlier")
assert steps("b/flat") == [], steps("b/flat")
assert d["runs"][3]["short_commit"] == sys.argv[2]
assert all(len(b["points"]) == 5 for b in d["benchmarks"])
PY
    # the sparkline: one character per run after the name on the header line
    LC_ALL=C.UTF-8 "$PERFREG" history --suite tiny_suite b/step >utf8.txt
    grep -q "b/step.*[▁▂▃▄▅▆▇█]\{5\}" utf8.txt || { fail "no sparkline"; head -20 utf8.txt; }
    grep -qi "step" utf8.txt || fail "the step is not marked in the text"
    expect_status 0 "$PERFREG" history --suite tiny_suite --last 3 --format csv
    [ "$(grep -c '^b/flat,' out)" = 3 ] || fail "--last 3 did not keep 3 runs"
    expect_status 2 "$PERFREG" history --suite tiny_suite 'nomatch*'
    expect_in err "'nomatch*'"
    expect_status 2 "$PERFREG" history --suite tiny_suite --stat avg
    expect_in err "'avg'"
    ;;
history_nogit)
    # outside any repository, from the run store alone
    mkdir -p .perfreg/runs/tiny_suite
    for i in 1 2 3; do
        mk .perfreg/runs/tiny_suite/000${i}_nogit_2026110${i}T100000Z.json --date "2026-11-0${i}T10:00:00Z" b/x=tight:100:20:$i
    done
    expect_status 0 "$PERFREG" history --ascii
    expect_in out "b/x"
    [ "$(grep -c -- "-------" out)" -ge 3 ] || { fail "runs without a commit not shown"; cat out; }
    expect_status 2 "$PERFREG" history --suite other
    expect_in err "no recorded run of suite 'other'"
    ;;
history_html)
    repo_with_runs 5
    expect_status 0 "$PERFREG" history --suite tiny_suite --format html -o t.html
    [ -s t.html ] || fail "no t.html"
    python3 "$here/../html_check.py" t.html 3; st=$?
    [ $st = 77 ] && exit 77
    [ $st = 0 ] || fail "html_check failed"
    ;;
notes)
    git init -q . && git config user.email t@example.com && git config user.name t
    echo x >f && git add f && git commit -qm one
    expect_status 0 "$TINY" run "${quick[@]}" --record-notes --no-record
    expect_status 0 "$TINY" run "${quick[@]}" --record-notes --no-record
    git notes --ref perfreg show HEAD >note.json || fail "no note on HEAD"
    python3 -c 'import json,sys; d=json.load(open("note.json")); assert d["perfreg_note"]==1 and len(d["runs"])==2, d' \
        || fail "the note does not hold both runs"
    echo y >f && git commit -qam two
    expect_status 0 "$TINY" run "${quick[@]}" --record-notes --no-record
    expect_status 0 "$TINY" history --git-notes --format json
    python3 -c 'import json,sys; d=json.load(open("out")); assert len(d["runs"])==3, len(d["runs"]); assert d["runs"][0]["subject"]=="one" and d["runs"][2]["subject"]=="two"' \
        || fail "history --git-notes does not show the three runs in order"
    # a note from another tool is never overwritten
    git notes --ref perfreg add -f -m "hello" HEAD
    expect_status 2 "$TINY" run "${quick[@]}" --record-notes --no-record
    expect_in err "not a perfreg note"
    [ "$(git notes --ref perfreg show HEAD)" = hello ] || fail "a foreign note was overwritten"
    ;;
notes_outside_git)
    expect_status 2 "$TINY" run "${quick[@]}" --record-notes --no-record
    expect_in err "git"
    ;;
baseline_ref)
    git init -q . && git config user.email t@example.com && git config user.name t
    mkdir baselines
    mk baselines/tiny_suite.json b/x=tight:1000 && git add -A && git commit -qm c1
    mk baselines/tiny_suite.json b/x=tight:2000 && git commit -qam c2
    mk baselines/tiny_suite.json b/x=tight:3000 && git commit -qam c3
    mk cur.json b/x=tight:1000
    echo garbage >baselines/tiny_suite.json
    expect_status 0 "$PERFREG" compare --results cur.json --baseline-ref HEAD~2 --format json
    python3 -c 'import json; d=json.load(open("out")); b=d["benchmarks"][0]; assert abs(b["metrics"]["mean"]["change"]) < 0.02, b' \
        || fail "HEAD~2's baseline was not used"
    rm baselines/tiny_suite.json
    expect_status 0 "$PERFREG" compare --results cur.json --baseline-ref HEAD~2
    expect_status 2 "$PERFREG" compare --results cur.json --baseline-ref nosuchref
    expect_in err "nosuchref"
    git checkout -q -b side HEAD~1 && mk other.json b/x=tight:1 && git add other.json && git commit -qm side && git checkout -q -
    # the merge base is c2 (2000 ns): the current 1000 ns is an improvement
    expect_status 0 "$PERFREG" compare --results cur.json --baseline-ref merge-base:side --fail mean:10% --format json
    python3 -c 'import json; d=json.load(open("out")); m=d["benchmarks"][0]["metrics"]["mean"]; assert m["change"] < -0.4, m' \
        || fail "merge-base:side did not read c2's baseline"
    expect_status 2 "$PERFREG" compare --results cur.json --baseline-ref HEAD --baseline nothere
    expect_in err "nothere"
    ;;
retention)
    for i in 1 2 3 4; do expect_status 0 "$TINY" run "${quick[@]}" --filter 'tiny/b*' --keep 3; done
    ls .perfreg/runs/tiny_suite/ >listing
    [ "$(grep -c '\.json$' listing)" = 3 ] || fail "--keep 3 left $(grep -c '\.json$' listing) runs"
    grep -q '^0004_' listing && ! grep -q '^0001_' listing || fail "not the newest three: $(cat listing)"
    ;;
crash)
    # Under AddressSanitizer a segfault is reported by ASan and becomes exit
    # 1; let the signal end the child as it does in a normal build.
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0"
    expect_status 3 "$CRASH" run --timeout 2 "${quick[@]}" --json out.json
    expect_in out ok/one
    expect_in out ok/two
    expect_block out "crash/segv                      FAILED (see FAILURES)"
    expect_block out "FAILURES: 3 of 5 benchmarks
------------------------------------------------------------------------------
crash/segv
    crashed: SIGSEGV (Segmentation fault)
crash/abort
    crashed: SIGABRT (Aborted)
crash/forever
    timed out after 2 s
"
    ls .perfreg/runs/crash_suite/0001_*.json >/dev/null 2>&1 || fail "the run was not recorded"
    python3 - out.json <<'PY' || fail "results file does not hold the five results"
import json, sys
doc = json.load(open(sys.argv[1]))
by = {b["name"]: b for b in doc["benchmarks"]}
assert sorted(by) == ["crash/abort", "crash/forever", "crash/segv", "ok/one", "ok/two"], sorted(by)
want = {"crash/segv": "crashed: SIGSEGV (Segmentation fault)",
        "crash/abort": "crashed: SIGABRT (Aborted)",
        "crash/forever": "timed out after 2 s"}
for name, reason in want.items():
    assert by[name]["status"] == "failed" and by[name]["error"] == reason, by[name]
for name in ("ok/one", "ok/two"):
    assert by[name]["status"] == "ok" and len(by[name]["samples_ns"]) >= 10, by[name]
PY
    # in-process: the healthy ones run the same way
    expect_status 0 "$CRASH" run --no-isolate "${quick[@]}" --filter 'ok/*' --no-record
    expect_in out ok/two
    expect_status 0 "$CRASH" run --help
    expect_in out --timeout
    expect_in out --no-isolate
    expect_status 2 "$CRASH" run --timeout abc
    expect_in err "--timeout 'abc'"
    ;;
interrupt)
    # A background job of a non-interactive shell starts with SIGINT ignored,
    # and perfreg leaves an ignored SIGINT ignored: job control gives the job
    # a normal SIGINT.
    set -m
    expect_status 0 "$CRASH" run "${quick[@]}" --filter 'ok/*'
    for sig in INT TERM; do
        rm -f child.pid
        CRASH_PIDFILE=$work/child.pid "$CRASH" run --filter 'ok/one' --filter 'crash/forever' \
            --timeout 0 "${quick[@]}" --json out.json >out 2>err &
        pid=$!
        for _ in $(seq 100); do [ -s child.pid ] && break; sleep 0.05; done
        [ -s child.pid ] || fail "crash/forever did not start"
        sleep 0.3
        kill -$sig $pid
        wait $pid; st=$?
        want=130; [ $sig = TERM ] && want=143
        [ $st = $want ] || { fail "SIG$sig: exit $st, expected $want"; cat err; }
        expect_in err "interrupted by SIG$sig"
        expect_in err "nothing recorded"
        [ ! -e out.json ] || fail "SIG$sig: --json file written"
        n=$(ls .perfreg/runs/crash_suite/*.json | wc -l)
        [ "$n" = 1 ] || fail "SIG$sig: $n runs in the store, expected the first one only"
        ! ls -a .perfreg/runs/crash_suite | grep -q perfreg-tmp || fail "SIG$sig: temporary file left"
        child=$(cat child.pid)
        ! kill -0 "$child" 2>/dev/null || { fail "SIG$sig: the child $child still runs"; kill -9 "$child"; }
    done
    ;;
gbench)
    # run --format gbench: Google Benchmark's JSON on stdout, the run recorded
    expect_status 0 "$TINY" run "${quick[@]}" --format gbench
    python3 - out <<'PY' || fail "not Google Benchmark's shape"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["context"]["executable"] == "tiny_suite", doc["context"]
rows = doc["benchmarks"]
for name in ("tiny/barrier", "tiny/memset_256", "tiny/skipper"):
    reps = [r for r in rows if r["run_name"] == name and r["run_type"] == "iteration"]
    aggs = sorted(r["aggregate_name"] for r in rows
                  if r["run_name"] == name and r["run_type"] == "aggregate")
    assert len(reps) >= 10 and aggs == ["mean", "median", "stddev"], (name, len(reps), aggs)
    assert sorted(r["repetition_index"] for r in reps) == list(range(len(reps)))
    assert all(r["repetitions"] == len(reps) and r["time_unit"] == "ns" and r["real_time"] > 0
               and r["iterations"] >= 1 for r in reps)
PY
    ls .perfreg/runs/tiny_suite/0001_*.json >/dev/null 2>&1 || fail "the run was not recorded"
    TINY_SKIP=1 expect_status 3 "$TINY" run "${quick[@]}" --format gbench --no-record
    python3 - out <<'PY' || fail "a failed benchmark is not an error row"
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["benchmarks"] if r["run_name"] == "tiny/skipper"]
assert len(rows) == 1 and rows[0]["error_occurred"] is True, rows
assert rows[0]["error_message"] == "TINY_SKIP is set", rows
PY
    # compare --results FILE --format gbench: the same export, the verdicts set the status
    f=$(ls .perfreg/runs/tiny_suite/0001_*.json)
    expect_status 0 "$TINY" save-baseline --from "$f"
    expect_status 0 "$TINY" compare --results "$f" --format gbench --fail=mean:10% -o gb.json
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert len(d["benchmarks"]) > 30' \
        gb.json || fail "compare --format gbench -o gb.json"
    expect_status 2 "$TINY" run --format xml
    expect_in err "--format 'xml': one of text, gbench"
    expect_status 2 "$TINY" run --format gbench --json -
    expect_in err "both want stdout"
    ;;
completion)
    # completion/perfreg.bash, driven as bash drives it: COMP_WORDS, COMP_CWORD
    mkdir bin baselines && ln -s "$PERFREG" bin/perfreg && ln -s "$TINY" bin/tiny_suite
    printf '{}' >baselines/tiny_suite.json && printf '{}' >baselines/other.json
    # complete_line WORD...: the completions of the last WORD, sorted, one a line
    complete_line() {
        PATH="$PWD/bin:$PATH" bash -c '
            source "$0"
            COMP_WORDS=("${@}"); COMP_CWORD=$(($# - 1))
            _perfreg
            printf "%s\n" "${COMPREPLY[@]}" | sort' "$here/../../completion/perfreg.bash" "$@"
    }
    [ "$(complete_line perfreg com)" = compare ] || fail "command: $(complete_line perfreg com)"
    [ "$(complete_line perfreg help sa)" = save-baseline ] || fail "help: $(complete_line perfreg help sa)"
    complete_line perfreg compare --ba >got
    [ "$(cat got)" = "$(printf -- '--baseline\n--baseline-ref\n--baselines')" ] ||
        fail "compare --ba: $(cat got)"
    # every option of every command's --help completes
    for c in run list compare save-baseline history; do
        for o in $("$PERFREG" "$c" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
            complete_line perfreg "$c" "$o" | grep -qx -- "$o" || fail "$c $o does not complete"
        done
    done
    complete_line tiny_suite run --filter tiny/b >got
    [ "$(cat got)" = tiny/barrier ] || fail "run --filter: $(cat got)"
    complete_line perfreg run bin/tiny_suite -f tiny/m >got
    [ "$(cat got)" = tiny/memset_256 ] || fail "perfreg run SUITE -f: $(cat got)"
    complete_line perfreg save-baseline "" >got
    [ "$(cat got)" = "$(printf 'other\ntiny_suite')" ] || fail "save-baseline: $(cat got)"
    complete_line perfreg compare --baseline ti >got
    [ "$(cat got)" = tiny_suite ] || fail "--baseline: $(cat got)"
    complete_line perfreg history --stat me >got
    [ "$(cat got)" = "$(printf 'mean\nmedian\nmemory')" ] || fail "--stat: $(cat got)"
    complete_line perfreg history --format h >got
    [ "$(cat got)" = html ] || fail "--format: $(cat got)"
    ;;
config_*)
    config_case || { echo "unknown case $case_name"; exit 2; } ;;
import_*)
    import_case || { echo "unknown case $case_name"; exit 2; } ;;
*)
    echo "unknown case $case_name"; exit 2 ;;
esac

[ $fails -eq 0 ] && echo "ok [$case_name]"
exit $((fails > 0))
