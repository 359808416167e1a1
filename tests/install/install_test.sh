#!/usr/bin/env bash
# install_test.sh BUILD_DIR - installs the perfreg built in BUILD_DIR into a
# temporary prefix, then builds tests/install/project against the installed
# copy twice, with CMake's find_package and with pkg-config and make, and
# runs each suite: run, save-baseline, compare, and (CMake) the project's
# own ctest entry from perfreg_add_suite. Exits 1 on the first problem.
set -u
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL [install]: $*" >&2; exit 1; }
step() { echo "+ $*"; "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; fail "$* (exit $?)"; }; }
prefix=$work/prefix

step cmake --install "$build" --prefix "$prefix"
for f in bin/perfreg include/perfreg.h lib/libperfreg.a lib/libperfreg_main.a \
         lib/libperfreg.so lib/libperfreg.so.0 \
         lib/cmake/perfreg/perfregConfig.cmake lib/pkgconfig/perfreg.pc \
         lib/pkgconfig/perfreg-main.pc share/bash-completion/completions/perfreg \
         share/man/man1/perfreg.1; do
    [ -e "$prefix/$f" ] || fail "not installed: $f"
done

# check_suite EXE: in a fresh git-less folder, run, save-baseline, compare.
check_suite() {
    local exe=$1 dir
    dir=$(mktemp -d "$work/use.XXXXXX")
    cd "$dir" || fail "cd $dir"
    step "$exe" run --min-time 0.02 --warmup 0.005 --json run.json
    grep -q '"name": "hash/fnv1a_256"' run.json || fail "$exe: no hash/fnv1a_256 in run.json"
    step "$exe" save-baseline --from run.json
    [ -f baselines/hashbench.json ] || fail "$exe: no baselines/hashbench.json"
    step "$prefix/bin/perfreg" compare --results run.json --baselines baselines --fail=mean:10%
    grep -q "hash/fnv1a_256" "$work/log" || fail "compare did not report hash/fnv1a_256"
    cd "$work" || fail "cd $work"
}

# 1. CMake: find_package(perfreg) and perfreg_add_suite
step cmake -S "$here/project" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_BUILD_TYPE=Release
step cmake --build "$work/cmake-build"
check_suite "$work/cmake-build/hashbench"
step ctest --test-dir "$work/cmake-build" --output-on-failure
grep -q "perfreg.hashbench .*Passed" "$work/log" || fail "no passing perfreg.hashbench ctest entry"

# 2. pkg-config and a plain Makefile
mkdir "$work/make-build" && cp "$here/project/bench.c" "$here/project/Makefile" "$work/make-build/"
PKG_CONFIG_PATH=$prefix/lib/pkgconfig step make -C "$work/make-build"
# pkg-config and make link the shared library: by its SONAME, and its
# counting malloc still sees the benchmark's allocations.
readelf -d "$prefix/lib/libperfreg.so" | grep -q 'Library soname: \[libperfreg.so.0\]' ||
    fail "libperfreg.so has no SONAME libperfreg.so.0"
readelf -d "$work/make-build/hashbench" | grep -q 'Shared library: \[libperfreg.so.0\]' ||
    fail "the make build did not link libperfreg.so.0"
check_suite "$work/make-build/hashbench"
echo "ok [install]: find_package and pkg-config builds ran run, save-baseline and compare"
