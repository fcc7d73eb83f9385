#!/usr/bin/env bash
# How long `wdb`'s `next` takes over a one-line loop of 20,000 iterations
# (not a test: prints figures and their ratio to the target, 50 ms).
#
#   bench/wdb-next.sh [BUILD_DIR]   (default: build)
#
# The loop in bench/programs/loop20k.c is one source line: `next` asks the
# stub to range-step over that line's code (vCont;r), so the loop runs
# inside wdb-run and only the stop at the next line comes back. The time is
# wdb's own per-command timing (`maintenance time 1`, as in gdb), so wdb's
# start-up and the module load are not counted; the request count comes
# from --rsp-log. Both -O0 and -O2 (at -O2 the loop keeps `sum` volatile).
# The breakpoint is deleted before the `next`: at -O2 clang-22 places it
# inside the loop, where it would stop the `next` at the next iteration.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
wdb=$build/bin/wdb
wdb_run=$build/bin/wdb-run
target_ms=50
command -v clang-22 >/dev/null || { echo "clang-22 not found: run scripts/install-deps.sh" >&2; exit 1; }
[ -x "$wdb" ] && [ -x "$wdb_run" ] || { echo "build first: cmake --build $build" >&2; exit 1; }
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
src=$root/bench/programs/loop20k.c
line=$(grep -n 'LINE_LOOP' "$src" | cut -d: -f1)
printf '%-6s %-12s %-10s %-8s %s\n' level "next (ms)" requests ratio "stopped at"
for lvl in O0 O2; do
    clang-22 --target=wasm32-wasi -Wno-deprecated -g -$lvl "$src" -o "$work/loop.$lvl.wasm"
    out=$(WDB_RUN=$wdb_run "$wdb" -batch --rsp-log="$work/$lvl.log" \
        -ex "break loop20k.c:$line" -ex run -ex delete -ex 'echo MARK\n' -ex 'maintenance time 1' \
        -ex next -ex 'maintenance time 0' -ex kill "$work/loop.$lvl.wasm" 2>&1) || true
    # the second timing line is the `next` (the first times `maintenance time 1`)
    wall=$(printf '%s\n' "$out" | sed -n 's/^Command execution time: .* (cpu), \([0-9.]*\) (wall)$/\1/p' | sed -n 2p)
    stop=$(printf '%s\n' "$out" | sed -n '/^MARK$/,$p' | grep -m1 -E '^[0-9]+'$'\t' | cut -f1)
    [ -n "$wall" ] || { echo "no timing from wdb:" >&2; printf '%s\n' "$out" >&2; exit 1; }
    # requests between the `next` and the kill: count lines after the last stop before it
    reqs=$(awk '/^-> vCont;r/{f=1} f && /^-> /{n++} /^-> vKill|^-> k$/{exit} END{print n+0}' "$work/$lvl.log")
    ms=$(awk -v w="$wall" 'BEGIN{printf "%.2f", w*1000}')
    ratio=$(awk -v m="$ms" -v t=$target_ms 'BEGIN{printf "%.3f", m/t}')
    printf '%-6s %-12s %-10s %-8s line %s\n' "$lvl" "$ms" "$reqs" "$ratio" "${stop:-?}"
done
echo "target: under ${target_ms} ms (ratio < 1); the line after the loop is $((line + 1))"
