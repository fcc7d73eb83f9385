#!/usr/bin/env bash
# What each function of a module costs the host (issue 14 item 4): a module
# of N empty functions (4 bytes of module each, the least a function can
# take) loaded and instantiated by the runtime (bench/load_cost.c):
#
#   bench/load-cost.sh [N]          (default 1000000)
#
# Prints bytes and nanoseconds per function for the load (decode and
# validate every body: the wr_func_decls; a function's wr_code and
# translation are made at its first need) and for the instantiation (its
# wr_func), against the target of < 64 bytes a function for the load, and
# the host memory of both per byte of module against the bound
# docs/SECURITY.md documents (32 bytes a module byte, before any function
# runs; memories and tables come on top, bounded by --max-memory).
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
cmake --build "$build" --target wdb_runtime -j2 >/dev/null || die "building the runtime failed"
mkdir -p "$work"
cc -std=gnu11 -O2 -I"$root/runtime/include" -I"$root/runtime/wasmfmt/include" "$root/bench/load_cost.c" \
  "$build/runtime/libwdb_runtime.a" "$build/runtime/libwdb_wasmfmt.a" -lm -o "$work/load_cost"
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
