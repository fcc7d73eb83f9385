#!/usr/bin/env bash
# The cost of record and replay (docs/TRACE.md) on the CPU kernels of
# bench/kernels: each kernel runs under wdb-run plain, with --record and
# with --replay of that recording, best of BENCH_RUNS (default 3) wall-clock
# runs each, all in this one run of the script; prints the times, the
# ratios record/plain and replay/plain, and their geometric means; then the
# same for an I/O-heavy program (bench/programs/smallio.c: many small reads
# and writes, its trace's bytes per host call printed), included in the
# geometric means. The outputs of the three runs must be identical.
#
#   bench/record.sh [KERNEL...]        (default: every kernel)
#
# Environment: BUILD_DIR (default build), WDB_RUN, BENCH_RUNS.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
runs=${BENCH_RUNS:-3}
. "$root/bench/kernels/build.sh"
die() { echo "bench: $*" >&2; exit 1; }
command -v clang-22 >/dev/null || die "clang-22 not found: run scripts/install-deps.sh"
if [ -n "${WDB_RUN:-}" ]; then
  wdb_run=$WDB_RUN
else
  cmake --build "$build" --target wdb-run -j2 >/dev/null || die "building wdb-run failed"
  wdb_run=$build/bin/wdb-run
fi
out=$build/bench
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

kernels=("$@")
if [ ${#kernels[@]} -eq 0 ]; then
  mapfile -t kernels < <(kernel_names)
fi

best_of() {
  local outfile=$1 best="" t i
  shift
  for ((i = 0; i < runs; i++)); do
    t=$( { TIMEFORMAT=%R; time "$@" >"$outfile" 2>"$tmp/stderr"; } 2>&1 ) ||
      { echo "bench: failed: $*" >&2; cat "$tmp/stderr" >&2; return 1; }
    best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }')
  done
  echo "$best"
}

printf '%-12s %9s %9s %9s %8s %8s %10s\n' kernel "plain s" "record s" "replay s" rec/x rep/x "trace B"
rr=() pr=()
# measure NAME RUN: NAME.wasm of $out plain, recorded and replayed, each
# started by RUN (a function running wdb-run with its arguments); prints
# the row and adds its ratios
measure() {
  local k=$1 run=$2 tp tr ty r1 r2
  tp=$(best_of "$tmp/plain.out" "$run" "$out/$k.wasm")
  tr=$(best_of "$tmp/rec.out" "$run" --record="$tmp/$k.trace" "$out/$k.wasm")
  ty=$(best_of "$tmp/rep.out" "$run" --replay="$tmp/$k.trace" "$out/$k.wasm")
  cmp -s "$tmp/plain.out" "$tmp/rec.out" && cmp -s "$tmp/plain.out" "$tmp/rep.out" ||
    die "$k: the outputs differ"
  r1=$(awk -v a="$tr" -v b="$tp" 'BEGIN { if (b <= 0) b = 0.001; printf "%.2f", a / b }')
  r2=$(awk -v a="$ty" -v b="$tp" 'BEGIN { if (b <= 0) b = 0.001; printf "%.2f", a / b }')
  rr+=("$r1") pr+=("$r2")
  printf '%-12s %9s %9s %9s %8s %8s %10s\n' "$k" "$tp" "$tr" "$ty" "$r1" "$r2" \
    "$(wc -c <"$tmp/$k.trace")"
}
direct() { "$wdb_run" "$@"; }
for k in "${kernels[@]}"; do
  kernel_wasm "$k" "$out/$k.wasm" || die "Wasm build of $k failed"
  measure "$k" direct
done
# the I/O-heavy program (bench/programs/smallio.c): ~295k small host
# calls, in a directory of its own (it writes and removes a file); the
# trace's bytes per host call after its row
if [ "${#@}" -eq 0 ]; then
  clang-22 --target=wasm32-wasi -Wno-deprecated -O2 "$root/bench/programs/smallio.c" \
    -o "$out/smallio.wasm" || die "Wasm build of smallio failed"
  mkdir -p "$tmp/io"
  in_dir() { (cd "$tmp/io" && "$wdb_run" --dir=. "$@"); }
  measure smallio in_dir
  ncalls=$(sed -n 's/.*host calls \([0-9]*\).*/\1/p' "$tmp/plain.out")
  [ -n "$ncalls" ] || die "smallio: no host call count in its output"
  echo "  smallio: $ncalls host calls, $(awk -v s="$(wc -c <"$tmp/smallio.trace")" -v n="$ncalls" 'BEGIN { printf "%.1f", s / n }') trace bytes a call"
fi
geo() { printf '%s\n' "$@" | awk '{ s += log($1); n++ } END { printf "%.2f", exp(s / n) }'; }
printf '%-12s %9s %9s %9s %8s %8s\n' "geomean" "" "" "" "$(geo "${rr[@]}")" "$(geo "${pr[@]}")"
