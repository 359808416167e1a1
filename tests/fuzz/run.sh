#!/usr/bin/env bash
# run.sh [SECONDS] [TARGET...] - builds perfreg's libFuzzer targets with clang
# (AddressSanitizer + UndefinedBehaviorSanitizer) and fuzzes each for SECONDS
# (default 60), one target after another; all targets when none is named.
# Prints each target's executions and any finding; exits 1 on a finding,
# 2 when it cannot build or is used wrongly. See docs/fuzzing.md.
#
# Environment: PERFREG_FUZZ_BUILD  build folder (default <repo>/build-fuzz)
#              CC_FUZZ             the compiler (default clang)
#              FUZZ_JOBS           build jobs (default 2)
#              FUZZ_KEEP_GOING=1   go on after a finding (libFuzzer -fork=1
#                                  -ignore_crashes=1): to look past a known
#                                  bug for others; findings are grouped by
#                                  what broke
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${PERFREG_FUZZ_BUILD:-$root/build-fuzz}
all_targets=(fuzz_results fuzz_note fuzz_threshold fuzz_import)

usage() { echo "usage: tests/fuzz/run.sh [SECONDS] [TARGET...]  (targets: ${all_targets[*]})" >&2; exit 2; }

seconds=60
if [ $# -gt 0 ]; then
    case $1 in
    -h | --help) usage ;;
    *[!0-9]* | '') usage ;;
    esac
    seconds=$1
    shift
fi
[ "$seconds" -ge 1 ] || usage
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
    case " ${all_targets[*]} " in
    *" $t "*) ;;
    *) echo "run.sh: unknown target '$t' (one of ${all_targets[*]})" >&2; exit 2 ;;
    esac
done

mkdir -p "$build/logs" || exit 2
echo "building ${targets[*]} in $build"
if ! cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER="${CC_FUZZ:-clang}" -DPERFREG_FUZZ=ON \
        -DPERFREG_BUILD_TESTS=OFF -DPERFREG_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" >"$build/logs/configure.log" 2>&1; then
    tail -20 "$build/logs/configure.log" >&2
    echo "run.sh: configuring failed (log: $build/logs/configure.log)" >&2
    exit 2
fi
if ! cmake --build "$build" -j "${FUZZ_JOBS:-2}" --target "${targets[@]}" \
        >"$build/logs/build.log" 2>&1; then
    grep -E 'error:|Error [0-9]' "$build/logs/build.log" | head -20 >&2
    echo "run.sh: building failed (log: $build/logs/build.log)" >&2
    exit 2
fi

findings=0
for t in "${targets[@]}"; do
    # New inputs go to the build folder's corpus; the seeds in the tree
    # are only read, so fuzzing leaves the work tree alone.
    corpus=$build/corpus/$t
    artifacts=$build/findings/$t
    log=$build/logs/$t.log
    mkdir -p "$corpus" "$artifacts" || exit 2
    extra=()
    [ -f "$here/$t.dict" ] && extra+=(-dict="$here/$t.dict")
    [ "${FUZZ_KEEP_GOING:-0}" = 1 ] && extra+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    marker=$build/logs/$t.start
    touch "$marker"
    echo "fuzzing $t for ${seconds}s (log: $log)"
    "$build/tests/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" "${extra[@]}" \
        "$corpus" "$here/corpus/$t" >"$log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    # -fork prints "#N: cov: ..." lines and no final stats.
    [ -n "$execs" ] || execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
    new=$(find "$artifacts" -type f -newer "$marker" ! -name 'slow-unit-*' | sort)
    if [ "$status" -ne 0 ] || [ -n "$new" ]; then
        findings=$((findings + 1))
        echo "$t: FINDING after ${execs:-?} executions (libFuzzer exit $status)"
        # What broke, once per kind: each input run again on its own.
        for f in $new; do
            "$build/tests/fuzz/$t" "$f" 2>&1 | grep -m1 -E '^fuzz: broken|ERROR: |runtime error'
        done | sed -E 's/==[0-9]+==//; s/0x[0-9a-f]+/0x.../g' | sort | uniq -c | sed 's/^/  /'
        echo "  $(echo "$new" | grep -c .) input(s) in $artifacts/, for example:"
        for f in $(echo "$new" | head -3); do
            echo "    $f"
            "$build/tests/fuzz/$t" "$f" 2>&1 | grep -m1 -A1 -E '^fuzz: broken' | tail -1 | cut -c1-200 | cat -v | sed 's/^/      /'
        done
        echo "  save it as tests/fuzz/regressions/$t/<name> (docs/fuzzing.md)"
    else
        echo "$t: ${execs:-?} executions in ${seconds}s, $(find "$corpus" -type f | wc -l) inputs in the corpus, no finding"
    fi
    rm -f "$marker"
done
[ "$findings" -eq 0 ] || exit 1
exit 0
