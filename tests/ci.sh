#!/usr/bin/env bash
# The whole test suite, as CI runs it (README's Quick start, second line):
#   1. a Release build with warnings as errors, every test;
#   2. a build under AddressSanitizer and UndefinedBehaviorSanitizer, every
#      test but the install test (any report fails it);
#   3. the unit tests under valgrind memcheck (any error or definite leak
#      fails it).
# Each stage prints ctest's summary; the script stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

echo "== release build, warnings as errors"
cmake -S . -B build -DPERFREG_BUILD_TESTS=ON -DPERFREG_WERROR=ON
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPERFREG_BUILD_TESTS=ON -DPERFREG_WERROR=ON \
    -DPERFREG_BUILD_BENCH=OFF -DCMAKE_C_FLAGS="$san" -DCMAKE_EXE_LINKER_FLAGS="$san" \
    -DCMAKE_SHARED_LINKER_FLAGS="$san"
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE install

echo "== valgrind memcheck (unit tests)"
cmake -S . -B build-valgrind -DCMAKE_BUILD_TYPE=Debug -DPERFREG_BUILD_TESTS=ON \
    -DPERFREG_BUILD_BENCH=OFF -DPERFREG_VALGRIND=ON
cmake --build build-valgrind -j"$jobs"
ctest --test-dir build-valgrind --output-on-failure -j"$jobs" -L unit
