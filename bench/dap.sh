#!/usr/bin/env bash
# How fast `wdb --dap` answers an editor (not a test: prints figures and
# their ratio to the targets).
#
#   bench/dap.sh [BUILD_DIR]   (default: build)
#
# bench/dap-bench.js (Node, standard library only) drives `wdb --dap` on
# stdio on tests/wdb/programs/inventory.c (-O0 -g), in WDB_BENCH_SESSIONS
# fresh adapters (default 7):
#   (a) from sending `launch` to the `stopped` event at a breakpoint on the
#       first line of value() (set between `initialized` and
#       configurationDone, as editors do). Target: 300 ms.
#   (b) WDB_BENCH_NEXTS (default 5) `next`s per session, each with what an
#       editor asks for afterwards: stackTrace, scopes, variables (Locals).
#       Target: 30 ms.
# Times are taken in the client (wall clock, request sent to message
# received); the parts of each figure are printed, and the dominant one
# when a median is over its target.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
wdb=$build/bin/wdb
wdb_run=$build/bin/wdb-run
for tool in clang-22 node; do
    command -v $tool >/dev/null || { echo "$tool not found: run scripts/install-deps.sh" >&2; exit 1; }
done
[ -x "$wdb" ] && [ -x "$wdb_run" ] || { echo "build first: cmake --build $build" >&2; exit 1; }
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
src=$root/tests/wdb/programs/inventory.c
clang-22 --target=wasm32-wasi -Wno-deprecated -g -O0 "$src" -o "$work/inventory.wasm"
# the first line of value(): the first breakpoint the program reaches
line=$(awk '/double value\(const item \*it\)/{f=1} f && /double v =/{print NR; exit}' "$src")
[ -n "$line" ] || { echo "no line for the breakpoint in $src" >&2; exit 1; }
node "$root/bench/dap-bench.js" --wdb "$wdb" --runtime "$wdb_run" --program "$work/inventory.wasm" \
    --source "$src" --line "$line" --sessions "${WDB_BENCH_SESSIONS:-7}" --nexts "${WDB_BENCH_NEXTS:-5}"
