#!/usr/bin/env bash
# Benchmarks wdb-run against native code: the CPU kernels in kernels/ (ours)
# and the workloads the project did not write (bench/workloads.sh: Lua 5.4
# running the scripts in workloads/lua/, SQLite running sqlite-main.c's
# SQL), both from Debian source packages.
#
#   bench/run.sh [NAME...]   (default: every kernel, lua-SCRIPT, sqlite)
#
# Builds each natively (host cc -O2; g++ for C++) and to Wasm (clang-22
# -O2; the SIMD and exception kernels with the flags and guest libraries
# kernels/build.sh gives them), builds
# wdb-run if needed (cmake in build/), runs both, checks that their outputs
# (which end in a checksum) are identical, and prints one table: native
# seconds, wdb-run seconds, their ratio, and the geometric mean of the
# ratios. Every time is the best of BENCH_RUNS runs (default 3) of
# wall-clock time, all measured in this one run of the script, the
# programs of a row taking turns: compare ratios, not seconds.
#
# Instruction counts instead of times (BENCH_COUNT=1): every program runs
# once under valgrind's callgrind, the kernels at the smaller sizes
# kernels/build.sh gives them (kernel_count_arg; the default names are the
# kernels only), and the table has millions of x86-64 instructions (Ir)
# where it has seconds. The machine's load does not change a count, so
# two wdb-runs (WDB_RUN_BASE) compare exactly on a busy machine.
#
# Other interpreters in the same run, one more column each (their time
# over wdb-run's is not printed: wdb-run / other, below 1 is faster):
#   WASM3=PATH          a wasm3 binary (build it from its public source,
#                       outside this repository)
#   WDB_RUN_BASE=PATH   another wdb-run, e.g. an earlier commit's, to see
#                       what a change did to speed
#
# Environment: BUILD_DIR (default build, relative to the repository),
# WDB_RUN (use this wdb-run instead of building one), BENCH_RUNS, CC, CXX.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
runs=${BENCH_RUNS:-3}
count=${BENCH_COUNT:-0}
cc=${CC:-cc}
clang=clang-22
. "$root/bench/kernels/build.sh"

die() { echo "bench: $*" >&2; exit 1; }
command -v "$clang" >/dev/null || die "clang-22 not found: run scripts/install-deps.sh"
command -v "$cc" >/dev/null || die "no host C compiler '$cc'"
case $count in
0) ;;
1)
  command -v valgrind >/dev/null || die "BENCH_COUNT=1 needs valgrind: apt-get install valgrind"
  runs=1
  ;;
*) die "BENCH_COUNT must be 0 or 1, not '$count'" ;;
esac

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
for v in WASM3 WDB_RUN_BASE; do
  if [ -n "${!v:-}" ] && [ ! -x "${!v}" ]; then die "$v=${!v} is not an executable"; fi
done

lua_scripts=()
for f in "$root"/bench/workloads/lua/*.lua; do lua_scripts+=("lua-$(basename "$f" .lua)"); done
if [ $# -gt 0 ]; then
  names=("$@")
else
  names=()
  mapfile -t names < <(kernel_names)
  [ "$count" = 1 ] || names+=("${lua_scripts[@]}" sqlite)
fi

need_workloads=0
for k in "${names[@]}"; do
  case $k in
  lua-* | sqlite) need_workloads=1 ;;
  *)
    kernel_src "$k" >/dev/null || die "no kernel $k (nor a workload of that name)"
    kernel_native "$k" "$out/$k.native" || die "native build of $k failed"
    kernel_wasm "$k" "$out/$k.wasm" || die "Wasm build of $k failed"
    ;;
  esac
done
if [ $need_workloads = 1 ]; then
  bash "$root/bench/workloads.sh" "$out/workloads" >&2 || die "building the workloads failed"
fi

# row NAME: sets dir (where the programs run), native (its command), wasm
# (the module) and args (its arguments)
row() {
  dir=$out args=()
  case $1 in
  lua-*)
    local s=${1#lua-}
    [ -f "$root/bench/workloads/lua/$s.lua" ] || die "no script bench/workloads/lua/$s.lua"
    dir=$root/bench/workloads/lua args=("$s.lua")
    native=$out/workloads/lua.native wasm=$out/workloads/lua.wasm
    ;;
  sqlite) native=$out/workloads/sqlite.native wasm=$out/workloads/sqlite.wasm ;;
  *)
    native=$out/$1.native wasm=$out/$1.wasm
    if [ "$count" = 1 ]; then
      local a
      a=$(kernel_count_arg "$1") || exit 1
      args=("$a")
    fi
    ;;
  esac
}
# time_of OUTFILE CMD...: runs CMD once with stdout to OUTFILE and prints
# its wall-clock time in seconds (BENCH_COUNT=1: the millions of
# instructions it ran). Fails, saying so, if CMD fails.
time_of() {
  local outfile=$1 t
  shift
  if [ "$count" = 1 ]; then
    if ! valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$tmp/vg" \
      "$@" >"$outfile" 2>"$tmp/stderr"; then
      echo "bench: failed: $*" >&2
      cat "$tmp/stderr" >&2
      return 1
    fi
    t=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/vg")
    [ -n "$t" ] || { echo "bench: no instruction count from callgrind: $*" >&2; cat "$tmp/vg" >&2; return 1; }
    awk -v n="$t" 'BEGIN { printf "%.3f", n / 1e6 }'
    return 0
  fi
  if ! t=$( { TIMEFORMAT=%R; time "$@" >"$outfile" 2>"$tmp/stderr"; } 2>&1 ); then
    echo "bench: failed: $*" >&2
    cat "$tmp/stderr" >&2
    return 1
  fi
  echo "$t"
}
# min A B: the smaller number; A may be empty
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }

others=()
[ -n "${WASM3:-}" ] && others+=(wasm3)
[ -n "${WDB_RUN_BASE:-}" ] && others+=(base)
unit=s
[ "$count" = 1 ] && unit=MI
head=$(printf '%-14s %9s %10s %8s' workload "native $unit" "wdb-run $unit" ratio)
for o in "${others[@]}"; do head+=$(printf ' %9s %8s' "$o $unit" "vs $o"); done
printf '%s   %s\n' "$head" checksum
ratios=()
declare -A oratios
status=0
for k in "${names[@]}"; do
  row "$k"
  # one turn each, $runs times: the programs of a row see the same machine
  tn="" tw="" ok=1
  unset tos
  declare -A tos=()
  for ((i = 0; i < runs; i++)); do
    t=$(cd "$dir" && time_of "$tmp/native.out" "$native" "${args[@]}") || { ok=0; break; }
    tn=$(min "$tn" "$t")
    t=$(cd "$dir" && time_of "$tmp/wasm.out" "$wdb_run" --dir=. "$wasm" "${args[@]}") || { ok=0; break; }
    tw=$(min "$tw" "$t")
    for o in "${others[@]}"; do
      [ "${tos[$o]:-}" = failed ] && continue
      # another interpreter that fails (wasm3 refuses some modules) is
      # said in its column; the row stands
      case $o in
      wasm3) t=$(cd "$dir" && time_of "$tmp/$o.out" "$WASM3" "$wasm" "${args[@]}") ;;
      base) t=$(cd "$dir" && time_of "$tmp/$o.out" "$WDB_RUN_BASE" --dir=. "$wasm" "${args[@]}") ;;
      esac || { tos[$o]=failed; continue; }
      tos[$o]=$(min "${tos[$o]:-}" "$t")
    done
  done
  if [ $ok = 0 ]; then status=1; continue; fi
  same=1
  for f in wasm "${others[@]}"; do
    [ "$f" != wasm ] && [ "${tos[$f]}" = failed ] && continue
    if ! cmp -s "$tmp/native.out" "$tmp/$f.out"; then
      echo "bench: $k: the output of $f differs from the native build's" >&2
      diff "$tmp/native.out" "$tmp/$f.out" | head -n 10 >&2
      same=0
    fi
  done
  if [ $same = 0 ]; then status=1; continue; fi
  ratio=$(awk -v w="$tw" -v n="$tn" 'BEGIN { if (n <= 0) n = 0.001; printf "%.2f", w / n }')
  ratios+=("$ratio")
  line=$(printf '%-14s %9.3f %10.3f %7sx' "$k" "$tn" "$tw" "$ratio")
  for o in "${others[@]}"; do
    if [ "${tos[$o]}" = failed ]; then
      line+=$(printf ' %9s %8s' failed -)
      continue
    fi
    r=$(awk -v w="$tw" -v n="${tos[$o]}" 'BEGIN { if (n <= 0) n = 0.001; printf "%.2f", w / n }')
    oratios[$o]+="$r "
    line+=$(printf ' %9.3f %7sx' "${tos[$o]}" "$r")
  done
  printf '%s   %s\n' "$line" "$(sed -n 's/.*checksum=//p' "$tmp/native.out" | head -n 1)"
done
geomean() { awk '{ for (i = 1; i <= NF; i++) { s += log($i); n++ } } END { if (n) printf "%.2fx over %d", exp(s / n), n }'; }
if [ ${#ratios[@]} -gt 0 ]; then
  echo "geometric mean, wdb-run / native: $(echo "${ratios[*]}" | geomean)"
  for o in "${others[@]}"; do
    echo "geometric mean, wdb-run / $o: $(echo "${oratios[$o]}" | geomean)"
  done
fi
if [ "$count" = 1 ]; then
  echo "(MI: millions of instructions, callgrind, one run each; wdb-run: $wdb_run)"
else
  echo "(best of $runs runs each; wdb-run: $wdb_run)"
fi
exit $status
