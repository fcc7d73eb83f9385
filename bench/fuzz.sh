#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time and reports executions and
# findings (not a test: fuzzing is open-ended; findings become regression
# inputs in tests/fuzz/corpus/TARGET/ that ctest replays).
#
#   bench/fuzz.sh [SECONDS] [TARGET...]     (default 60 s, every target)
#
# Targets (tests/fuzz/): module, dwarf, core, rsp (the GDB stub against a
# fake program), dap (the DAP request handlers; no process is started).
# Builds with clang-22 and -DWDB_FUZZ=ON in build-fuzz/ (FUZZ_BUILD_DIR
# overrides). Each run starts from a copy of the committed corpus; crashes,
# leaks and time-outs go to BUILD/findings/TARGET/RUN/, listed at the end.
# To keep a finding: fix the bug, then copy the file into
# tests/fuzz/corpus/TARGET/ as finding-NN-WHAT (the replay test runs it).
#
# Output: one line per target (target seconds executions new-units
# findings), then the findings' paths. Exit status 1 when there was a
# finding or a build failed.
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
run=$(date +%Y%m%d-%H%M%S)
status=0
found=()
printf '%-8s %8s %11s %9s %9s\n' target seconds executions new-units findings
for t in "${targets[@]}"; do
    cmake --build "$build" --target "fuzz-$t" -j"$(nproc)" >/dev/null ||
        { echo "fuzz: build of fuzz-$t failed" >&2; status=1; continue; }
    work=$build/fuzz-work/$t
    findings=$build/findings/$t/$run
    rm -rf "$work"
    mkdir -p "$work" "$findings"
    cp "$root/tests/fuzz/corpus/$t/"* "$work/" 2>/dev/null
    log=$build/fuzz-$t.log
    timeout $((secs + 60)) "$build/bin/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$findings/" -print_final_stats=1 "$work" >"$log" 2>&1
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{print $2}')
    units=$(grep -o 'stat::new_units_added: *[0-9]*' "$log" | awk '{print $2}')
    n=$(find "$findings" -type f | wc -l)
    [ "$n" -eq 0 ] || status=1
    while IFS= read -r f; do found+=("$f"); done < <(find "$findings" -type f)
    printf '%-8s %8s %11s %9s %9s\n' "$t" "$secs" "${execs:-?}" "${units:-?}" "$n"
done
for f in "${found[@]}"; do echo "finding: $f"; done
exit $status
