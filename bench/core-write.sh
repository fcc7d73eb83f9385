#!/usr/bin/env bash
# The time wdb-run takes to write a core dump on trap:
#
#   bench/core-write.sh [MIB...]
#
# Runs tests/core/programs/bigmem.c (64 MiB of linear memory, MIB MiB of it
# filled with non-zero bytes, the rest zero; built -O2 -g) until it traps
# with `--core-on-trap`, and reads the write time that WDB_CORE_TIMING=1
# makes wdb-run print (the wcore_write call alone: zero scan, encoding,
# writing, rename). Prints, for each MIB (default: 0 8 32 64), the best of
# BENCH_RUNS (default 5) write times, the ratio to the target (0.5 s for a
# 64 MiB memory) and the core's size; then the whole run's wall time with
# and without the option, as a cross-check.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
runs=${BENCH_RUNS:-5}
target_ms=500
clang=clang-22
die() { echo "bench: $*" >&2; exit 1; }
command -v "$clang" >/dev/null || die "clang-22 not found: run scripts/install-deps.sh"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target wdb-run -j"$(nproc)" >/dev/null || die "building wdb-run failed"
wdb_run=$build/bin/wdb-run
out=$build/bench-core
mkdir -p "$out"
wasm=$out/bigmem.wasm
"$clang" --target=wasm32-wasi -Wno-deprecated -O2 -g "$root/tests/core/programs/bigmem.c" -o "$wasm" ||
  die "Wasm build of bigmem.c failed"
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(0 8 32 64); fi

# write_ms MIB: the write time of one run, in ms (the core is left at $out/core)
write_ms() {
  local st=0
  WDB_CORE_TIMING=1 "$wdb_run" --core-on-trap="$out/core" "$wasm" "$1" >/dev/null 2>"$out/err" ||
    st=$?
  [ "$st" -eq 134 ] || { cat "$out/err" >&2; die "wdb-run exited $st, expected 134"; }
  grep -q '^wdb-run: core dumped to ' "$out/err" || { cat "$out/err" >&2; die "no core written"; }
  sed -n 's/^wdb-run: core write took \([0-9.]*\) ms$/\1/p' "$out/err"
}
# wall SECONDS of: wdb-run [OPTS...] bigmem.wasm MIB
wall() {
  local mib=$1 t
  shift
  t=$( { TIMEFORMAT=%R; time "$wdb_run" "$@" "$wasm" "$mib" >/dev/null 2>&1; } 2>&1 ) || true
  echo "$t"
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }

printf '%-10s %12s %10s %14s %12s %12s\n' "touched" "write (ms)" "/target" "core (bytes)" "run (s)" "no core (s)"
for mib in "${sizes[@]}"; do
  best= with= without=
  for ((i = 0; i < runs; i++)); do
    best=$(min "$best" "$(write_ms "$mib")")
    with=$(min "$with" "$(wall "$mib" --core-on-trap="$out/core")")
    without=$(min "$without" "$(wall "$mib")")
  done
  size=$(stat -c %s "$out/core")
  ratio=$(awk -v a="$best" -v t="$target_ms" 'BEGIN { printf "%.4f", a / t }')
  printf '%-10s %12s %10s %14s %12s %12s\n' "${mib} MiB" "$best" "${ratio}x" "$size" "$with" "$without"
done
echo "memory: 64 MiB; target: write within ${target_ms} ms (ratio <= 1); best of $runs runs"
