#!/usr/bin/env bash
# The cost of an attached debugger on the CPU kernels in kernels/:
#
#   bench/attached.sh [KERNEL...]
#
# For each kernel (built -O2 -g to Wasm), runs it
#   plain:     wdb-run K.wasm
#   attached:  lldb-22 launches wdb-run through its wasm platform, sets a
#              breakpoint in a function the kernel never calls (abort) and
#              continues to the end
# and prints the ratio attached/plain. LLDB's own fixed cost (start-up,
# connection, loading the module, exit) is measured on an empty program in
# the same run and subtracted from every attached time. Best of BENCH_RUNS
# (default 3). Target (issue: speed): within 1.10x.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
runs=${BENCH_RUNS:-3}
clang=clang-22
lldb=lldb-22
. "$root/bench/kernels/build.sh"
die() { echo "bench: $*" >&2; exit 1; }
command -v "$clang" >/dev/null || die "clang-22 not found: run scripts/install-deps.sh"
command -v "$lldb" >/dev/null || die "lldb-22 not found: run scripts/install-deps.sh"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target wdb-run -j"$(nproc)" >/dev/null || die "building wdb-run failed"
wdb_run=$build/bin/wdb-run
out=$build/bench-attached
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ $# -gt 0 ]; then kernels=("$@"); else
  kernels=()
  mapfile -t kernels < <(kernel_names)
fi
printf 'int main(void) { return 0; }\n' >"$tmp/empty.c"
"$clang" --target=wasm32-wasi -Wno-deprecated -O2 -g "$tmp/empty.c" -o "$out/empty.wasm"
for k in "${kernels[@]}"; do
  kernel_wasm "$k" "$out/$k.wasm" -g || die "Wasm build of $k failed"
done

# seconds CMD...: wall-clock seconds of one run (fails if CMD fails)
seconds() {
  local t
  t=$( { TIMEFORMAT=%R; time "$@" >"$tmp/out" 2>"$tmp/err"; } 2>&1 ) || {
    echo "bench: failed: $*" >&2; cat "$tmp/err" >&2; return 1; }
  echo "$t"
}
best() { # best CMD...
  local b="" t i
  for ((i = 0; i < runs; i++)); do
    t=$(seconds "$@") || return 1
    b=$(awk -v a="$b" -v b="$t" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }')
  done
  echo "$b"
}
attached() { # attached WASM [ARG]: lldb session running it to the end
  "$lldb" -b -o "settings set platform.plugin.wasm.runtime-path $wdb_run" \
    -o "settings set -- platform.plugin.wasm.port-arg -g=127.0.0.1:" \
    -o "platform select wasm" -o "target create $1" -o "b abort" -o "run${2:+ $2}"
}
# arg_of KERNEL: its argument here; a kernel whose default run is short
# next to LLDB's fixed cost (subtracted) runs longer
arg_of() { case $1 in exceptions) echo 1000000 ;; *) echo "" ;; esac; }
check_exit() { grep -q "exited with status = 0" "$tmp/out" || { cat "$tmp/out" >&2; die "lldb run of $1 did not exit with 0"; }; }

fixed=$(best attached "$out/empty.wasm"); check_exit empty
printf 'lldb fixed cost (empty program): %.3f s\n' "$fixed"
printf '%-12s %10s %12s %9s\n' kernel "plain s" "attached s" ratio
ratios=()
for k in "${kernels[@]}"; do
  a=$(arg_of "$k")
  plain=$(best "$wdb_run" "$out/$k.wasm" $a)
  att=$(best attached "$out/$k.wasm" $a); check_exit "$k"
  r=$(awk -v a="$att" -v f="$fixed" -v p="$plain" 'BEGIN { printf "%.3f", (a - f) / p }')
  ratios+=("$r")
  printf '%-12s %10.3f %12.3f %8.3fx\n' "$k" "$plain" "$(awk -v a="$att" -v f="$fixed" 'BEGIN{print a-f}')" "$r"
done
printf '%s\n' "${ratios[@]}" | awk '{ s += log($1); n++ } END { printf "geometric mean of %d ratios: %.3fx (target <= 1.10x)\n", n, exp(s / n) }'
