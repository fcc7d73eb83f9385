#!/usr/bin/env bash
# Quick start 2: install, build and run every test (ctest, all labels), then
# the whole suite once more built with AddressSanitizer + UndefinedBehavior-
# Sanitizer (build-asan/): any report, leaks included, fails the run.
# Extra args go to ctest (e.g. -L unit) and run that selection once, without
# the sanitizer pass.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
(cd build && ctest -j"$(nproc)" --output-on-failure "$@")
[ $# -eq 0 ] || exit 0
echo "--- the whole suite again under ASan+UBSan (build-asan)"
BUILD_DIR=build-asan bash scripts/build.sh -DWDB_SANITIZE=ON
cd build-asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest -j"$(nproc)" --output-on-failure
