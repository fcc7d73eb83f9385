#!/usr/bin/env bash
# What a module's functions cost the host (issue 14 item 4, issue 18 item
# 2), with the modules bench/load_cost.c makes:
#
#   bench/load-cost.sh [N]          (default 1000000)
#
# 1. N empty functions (4 bytes of module each, the least a function can
#    take) loaded and instantiated: bytes and nanoseconds per function for
#    the load (decode and validate every body: the wr_func_decls; a
#    function's wr_code and translation are made at its first need) and
#    for the instantiation (its wr_func), against the target of < 64
#    bytes a function for the load, and the host memory of both per byte
#    of module against the bound docs/SECURITY.md documents (32 bytes a
#    module byte, before any function runs; memories and tables come on
#    top, bounded by --max-memory).
# 2. A module of 4 MB, 10,000 functions of 400 bytes of ordinary code,
#    read and loaded in place as wdb-run does, instantiated and one
#    function called (translated): bytes per untranslated function, the
#    process's peak resident set (target: 16 MB) and the load's time; with
#    valgrind, the load's instructions (callgrind: the figure to compare
#    on a busy machine); with /usr/bin/time, wdb-run's peak resident set
#    and time on it, and wasm3's too when WASM3 names its binary.
# Work files go to ${BUILD_DIR:-build}/bench-load.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
n=${1:-1000000}
work=$build/bench-load
die() { echo "bench: $*" >&2; exit 1; }
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" >/dev/null
fi
cmake --build "$build" --target wdb_runtime wdb_file wdb-run -j2 >/dev/null || die "building the runtime failed"
mkdir -p "$work"
cc -std=gnu11 -O2 -I"$root/runtime/include" -I"$root/runtime/wasmfmt/include" \
  -I"$root/runtime/port/posix/include" "$root/bench/load_cost.c" "$build/runtime/libwdb_runtime.a" \
  "$build/runtime/libwdb_wasmfmt.a" "$build/runtime/libwdb_file.a" -lm -o "$work/load_cost"
"$work/load_cost" "$n" >"$work/out.txt" || die "load_cost failed"

get() { awk -v k="$1" '$1 == k { print $2 }' "$work/out.txt"; }
funcs=$(get funcs) mod=$(get module_bytes)
awk -v f="$funcs" -v m="$mod" -v lb="$(get load_bytes)" -v lp="$(get load_peak)" \
    -v ib="$(get inst_bytes)" -v ln="$(get load_ns)" -v in_="$(get inst_ns)" 'BEGIN {
  printf "A module of %d empty functions (%d bytes, %.1f a function):\n\n", f, m, m / f
  printf "  %-46s %10s %10s %8s\n", "", "bytes/fn", "ns/fn", "target"
  printf "  %-46s %10.1f %10.1f %8s\n", "load (decode, validate; heap kept)", lb / f, ln / f, "< 64"
  printf "  %-46s %10.1f %10s\n", "load, peak resident set growth", lp / f, ""
  printf "  %-46s %10.1f %10.1f\n", "instantiate", ib / f, in_ / f
  printf "\n  load + instantiate per byte of module: %.1f bytes (documented bound: 32)\n", (lb + ib) / m
  printf "  -> load: %s\n", lb / f < 64 ? "within the target" : "OVER the target"
  printf "  -> bound: %s\n", (lb + ib) / m <= 32 ? "within it" : "OVER it"
}'

# ---------------------------------------------- a 4 MB module, 10,000 functions
big=$work/m4.wasm
"$work/load_cost" 10000 400 "$big" || die "making $big failed"
"$work/load_cost" --run "$big" >"$work/out4.txt" || die "load_cost --run failed"
get4() { awk -v k="$1" '$1 == k { print $2 }' "$work/out4.txt"; }
echo
awk -v f="$(get4 funcs)" -v m="$(get4 module_bytes)" -v lb="$(get4 load_bytes)" \
    -v ib="$(get4 inst_bytes)" -v ln="$(get4 load_ns)" -v pk="$(get4 peak_rss)" 'BEGIN {
  printf "A module of %d functions of ordinary code (%.1f MB), loaded in place, one called:\n\n", f, m / 1e6
  printf "  %-46s %10.1f %8s\n", "load: bytes a function (all untranslated)", lb / f, "< 64"
  printf "  %-46s %10.1f\n", "instantiate: bytes a function", ib / f
  printf "  %-46s %10.1f\n", "load: milliseconds (wall clock)", ln / 1e6
  printf "  %-46s %10.1f %8s\n", "peak resident set of the process, MB", pk / 1048576, "<= 16"
  printf "  -> peak resident set: %s\n", pk / 1048576 <= 16 ? "within the target" : "OVER the target"
}'
if command -v valgrind >/dev/null; then
  valgrind --tool=callgrind --callgrind-out-file="$work/load.cg" --toggle-collect=wr_module_new_static \
    "$work/load_cost" --run "$big" >/dev/null 2>"$work/cg.txt" || die "callgrind failed"
  ir=$(awk '/Collected :/ { print $NF }' "$work/cg.txt")
  awk -v ir="$ir" 'BEGIN { printf "  %-46s %10.1f\n", "load: million instructions (callgrind)", ir / 1e6 }'
fi
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "%M %e" -o "$work/time.txt" "$build/bin/wdb-run" --invoke=last "$big" 3 >/dev/null ||
    die "wdb-run failed on $big"
  read -r kb secs <"$work/time.txt"
  awk -v kb="$kb" -v s="$secs" 'BEGIN { printf "  %-46s %7.1f MB %5.2f s\n", "wdb-run --invoke=last: peak resident set, time", kb / 1024, s }'
  if [ -n "${WASM3:-}" ]; then
    /usr/bin/time -f "%M %e" -o "$work/time3.txt" "$WASM3" --func last "$big" 3 >/dev/null 2>&1 ||
      die "$WASM3 failed on $big"
    read -r kb secs <"$work/time3.txt"
    awk -v kb="$kb" -v s="$secs" 'BEGIN { printf "  %-46s %7.1f MB %5.2f s\n", "wasm3 --func last (compiles at a first call)", kb / 1024, s }'
  fi
fi
