#!/usr/bin/env bash
# Benchmarks wdb-run against native code on the CPU kernels in kernels/.
#
#   bench/run.sh [KERNEL...]        (default: every kernels/*.c)
#
# Builds each kernel natively (host cc -O2) and to Wasm (clang-22 -O2), builds
# wdb-run if needed (cmake in build/), runs both, checks that their outputs
# (which end in a checksum) are identical, and prints one table: native
# seconds, wdb-run seconds, their ratio, and the geometric mean of the ratios.
# Every time is the best of BENCH_RUNS runs (default 3) of wall-clock time,
# all measured in this one run of the script: compare ratios, not seconds.
#
# Environment: BUILD_DIR (default build, relative to the repository),
# WDB_RUN (use this wdb-run instead of building one), BENCH_RUNS, CC.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
runs=${BENCH_RUNS:-3}
cc=${CC:-cc}
clang=clang-22

die() { echo "bench: $*" >&2; exit 1; }
command -v "$clang" >/dev/null || die "clang-22 not found: run scripts/install-deps.sh"
command -v "$cc" >/dev/null || die "no host C compiler '$cc'"

if [ -n "${WDB_RUN:-}" ]; then
  wdb_run=$WDB_RUN
else
  if [ ! -f "$build/CMakeCache.txt" ]; then
    echo "bench: configuring $build" >&2
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  # Incremental: a no-op when wdb-run is up to date.
  cmake --build "$build" --target wdb-run -j"$(nproc)" >/dev/null || die "building wdb-run failed"
  wdb_run=$build/bin/wdb-run
fi
[ -x "$wdb_run" ] || die "no wdb-run at $wdb_run"

out=$build/bench
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ $# -gt 0 ]; then
  kernels=("$@")
else
  kernels=()
  for f in "$root"/bench/kernels/*.c; do kernels+=("$(basename "$f" .c)"); done
fi

for k in "${kernels[@]}"; do
  src=$root/bench/kernels/$k.c
  [ -f "$src" ] || die "no kernel $src"
  "$cc" -O2 "$src" -o "$out/$k.native" -lm || die "native build of $k failed"
  "$clang" --target=wasm32-wasi -Wno-deprecated -O2 "$src" -o "$out/$k.wasm" -lm ||
    die "Wasm build of $k failed"
done

# best_of OUTFILE CMD...: runs CMD $runs times with stdout to OUTFILE and
# prints the smallest wall-clock time in seconds. Fails if CMD fails.
best_of() {
  local outfile=$1 best="" t i
  shift
  for ((i = 0; i < runs; i++)); do
    if ! t=$( { TIMEFORMAT=%R; time "$@" >"$outfile" 2>"$tmp/stderr"; } 2>&1 ); then
      echo "bench: failed: $*" >&2
      cat "$tmp/stderr" >&2
      return 1
    fi
    best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }')
  done
  echo "$best"
}

printf '%-12s %10s %12s %9s   %s\n' kernel "native s" "wdb-run s" ratio checksum
ratios=()
status=0
for k in "${kernels[@]}"; do
  tn=$(best_of "$tmp/native.out" "$out/$k.native") || { status=1; continue; }
  tw=$(best_of "$tmp/wasm.out" "$wdb_run" "$out/$k.wasm") || { status=1; continue; }
  if ! cmp -s "$tmp/native.out" "$tmp/wasm.out"; then
    echo "bench: $k: checksums differ" >&2
    diff "$tmp/native.out" "$tmp/wasm.out" | head -n 10 >&2
    status=1
    continue
  fi
  ratio=$(awk -v w="$tw" -v n="$tn" 'BEGIN { if (n <= 0) n = 0.001; printf "%.2f", w / n }')
  ratios+=("$ratio")
  printf '%-12s %10.3f %12.3f %8sx   %s\n' "$k" "$tn" "$tw" "$ratio" \
    "$(sed -n 's/.*checksum=//p' "$tmp/native.out" | head -n 1)"
done
if [ ${#ratios[@]} -gt 0 ]; then
  printf '%s\n' "${ratios[@]}" |
    awk '{ s += log($1); n++ } END { printf "geometric mean of %d ratios: %.2fx\n", n, exp(s / n) }'
fi
echo "(best of $runs runs each; wdb-run: $wdb_run)"
exit $status
