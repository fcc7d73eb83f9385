#!/usr/bin/env bash
# Benchmarks wdb-run against native code: the CPU kernels in kernels/ (ours)
# and the workloads the project did not write (bench/workloads.sh: Lua 5.4
# running the scripts in workloads/lua/, SQLite running sqlite-main.c's
# SQL), both from Debian source packages.
#
#   bench/run.sh [NAME...]   (default: every kernel, lua-SCRIPT, sqlite)
#
# Builds each natively (host cc -O2) and to Wasm (clang-22 -O2), builds
# wdb-run if needed (cmake in build/), runs both, checks that their outputs
# (which end in a checksum) are identical, and prints one table: native
# seconds, wdb-run seconds, their ratio, and the geometric mean of the
# ratios. Every time is the best of BENCH_RUNS runs (default 3) of
# wall-clock time, all measured in this one run of the script, the
# programs of a row taking turns: compare ratios, not seconds.
#
# Other interpreters in the same run, one more column each (their time
# over wdb-run's is not printed: wdb-run / other, below 1 is faster):
#   WASM3=PATH          a wasm3 binary (build it from its public source,
#                       outside this repository)
#   WDB_RUN_BASE=PATH   another wdb-run, e.g. an earlier commit's, to see
#                       what a change did to speed
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
for v in WASM3 WDB_RUN_BASE; do
  if [ -n "${!v:-}" ] && [ ! -x "${!v}" ]; then die "$v=${!v} is not an executable"; fi
done

lua_scripts=()
for f in "$root"/bench/workloads/lua/*.lua; do lua_scripts+=("lua-$(basename "$f" .lua)"); done
if [ $# -gt 0 ]; then
  names=("$@")
else
  names=()
  for f in "$root"/bench/kernels/*.c; do names+=("$(basename "$f" .c)"); done
  names+=("${lua_scripts[@]}" sqlite)
fi

need_workloads=0
for k in "${names[@]}"; do
  case $k in
  lua-* | sqlite) need_workloads=1 ;;
  *)
    src=$root/bench/kernels/$k.c
    [ -f "$src" ] || die "no kernel $src (nor a workload of that name)"
    "$cc" -O2 "$src" -o "$out/$k.native" -lm || die "native build of $k failed"
    "$clang" --target=wasm32-wasi -Wno-deprecated -O2 "$src" -o "$out/$k.wasm" -lm ||
      die "Wasm build of $k failed"
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
  *) native=$out/$1.native wasm=$out/$1.wasm ;;
  esac
}
# time_of OUTFILE CMD...: runs CMD once with stdout to OUTFILE and prints
# its wall-clock time in seconds. Fails, saying so, if CMD fails.
time_of() {
  local outfile=$1 t
  shift
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
head=$(printf '%-14s %9s %10s %8s' workload "native s" "wdb-run s" ratio)
for o in "${others[@]}"; do head+=$(printf ' %9s %8s' "$o s" "vs $o"); done
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
echo "(best of $runs runs each; wdb-run: $wdb_run)"
exit $status
