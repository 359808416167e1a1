#!/usr/bin/env bash
# generate.sh - remakes the fixtures of this folder with the real tools
# (Debian 12: libbenchmark-dev 1.7.1, python3-pytest-benchmark 3.2.2,
# hyperfine 1.15.0). Timings differ on every run; the tests check shapes and
# exact conversions of whatever numbers the files hold, never the numbers
# themselves. README.md says what each file is.
#
#   apt-get install -y g++ libbenchmark-dev python3-pytest-benchmark hyperfine git
#   bash tests/data/import/generate.sh      (pytest: Debian's /usr/bin/python3)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# ---- Google Benchmark 1.7.1
g++ -O2 -o gbench_shapes "$here/gbench_shapes.cc" -lbenchmark -lpthread
gb() { ./gbench_shapes --benchmark_min_time=0.01 --benchmark_out_format=json "$@" >/dev/null; }
gb --benchmark_out="$here/gbench_shapes.json"
gb --benchmark_out="$here/gbench_repetitions.json" --benchmark_repetitions=3 \
    --benchmark_filter='BM_memcpy/64|BM_counters|BM_fails|BM_sort'
gb --benchmark_out="$here/gbench_aggregates_only.json" --benchmark_repetitions=3 \
    --benchmark_report_aggregates_only=true --benchmark_filter='BM_memcpy/64|BM_counters|BM_fails'
for work_n in 1000 1300; do
    g++ -O2 -DWORK=$work_n -o gbench_compare "$here/gbench_compare.cc" -lbenchmark -lpthread
    out=old; [ $work_n = 1300 ] && out=new
    ./gbench_compare --benchmark_min_time=0.02 --benchmark_repetitions=10 \
        --benchmark_out_format=json --benchmark_out="$here/gbench_compare_$out.json" >/dev/null
done

# ---- pytest-benchmark 3.2.2, inside a git repository for commit_info
mkdir pyb && cd pyb
git init -q . && git config user.email t@example.com && git config user.name t
cp "$here/test_pybench.py" . && git add -A && git commit -qm "pytest-benchmark fixture"
py() { /usr/bin/python3 -m pytest -q -p no:cacheprovider --benchmark-min-time=0.0002 --benchmark-max-time=0.005 \
    --benchmark-min-rounds=5 test_pybench.py "$@" >/dev/null; }
py --benchmark-json="$here/pytest_json.json"
py --benchmark-save=nodata
py --benchmark-save=withdata --benchmark-save-data
py --benchmark-autosave
ls .benchmarks/*/ >"$work/saved.txt"
cp .benchmarks/*/0001_nodata.json "$here/pytest_saved_nodata.json"
cp .benchmarks/*/0002_withdata.json "$here/pytest_saved_data.json"
cp .benchmarks/*/0003_*.json "$here/pytest_autosave.json"
cd ..

# ---- hyperfine 1.15.0
hyperfine -N --runs 5 --export-json "$here/hyperfine_params.json" \
    -P ms 1 3 'sleep 0.00{ms}' >/dev/null
hyperfine -N --runs 5 -i --export-json "$here/hyperfine_failing.json" \
    'true' 'false' 'sh -c "exit $(($$ % 2 * 3))"' >/dev/null 2>&1
hyperfine -N --runs 3 --export-json "$here/hyperfine_named.json" \
    -L n 1,2 -n 'sleep' 'sleep 0.00{n}' >/dev/null
echo "saved by pytest-benchmark: $(tr '\n' ' ' <"$work/saved.txt")"
