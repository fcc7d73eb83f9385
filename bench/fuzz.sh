#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time and reports executions and
# findings (not a test: fuzzing is open-ended; findings become regression
# inputs in tests/fuzz/corpus/TARGET/ that ctest replays).
#
#   bench/fuzz.sh [SECONDS] [TARGET...]     (default 60 s, every target)
#
# Builds with clang-22 and -DWDB_FUZZ=ON in build-fuzz/. Each run starts from
# a copy of the committed corpus; crashes go to build-fuzz/findings/TARGET/.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
shift || true
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
command -v clang-22 >/dev/null || { echo "clang-22 not found: run scripts/install-deps.sh" >&2; exit 1; }
CC=clang-22 cmake -S "$root" -B "$build" -DWDB_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null ||
    { echo "fuzz: configure failed" >&2; exit 1; }
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for d in "$root"/tests/fuzz/corpus/*/; do targets+=("$(basename "$d")"); done
fi
status=0
printf '%-10s %10s %10s %9s\n' target seconds executions findings
for t in "${targets[@]}"; do
    cmake --build "$build" --target "fuzz-$t" -j"$(nproc)" >/dev/null || { echo "fuzz: build of fuzz-$t failed" >&2; status=1; continue; }
    work=$build/fuzz-work/$t
    findings=$build/findings/$t
    rm -rf "$work"
    mkdir -p "$work" "$findings"
    cp "$root/tests/fuzz/corpus/$t/"* "$work/" 2>/dev/null
    log=$build/fuzz-$t.log
    timeout $((secs + 60)) "$build/bin/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$findings/" -print_final_stats=1 "$work" >"$log" 2>&1
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}')
    n=$(find "$findings" -type f | wc -l)
    [ "$n" -eq 0 ] || status=1
    printf '%-10s %10s %10s %9s\n' "$t" "$secs" "${execs:-?}" "$n"
done
exit $status
