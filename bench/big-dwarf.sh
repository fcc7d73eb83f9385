#!/usr/bin/env bash
# wdb on a module with a lot of DWARF (requirement: from `wdb app.wasm` to a
# resolved `break file:line` on a module with at least 20 MB of DWARF in under
# 1 s, with peak RSS under 300 MB).
#
#   bench/big-dwarf.sh [--work DIR]    (default ${TMPDIR:-/tmp}/wdb-bench-big)
#
# The module is a real program built from Debian 12's source packages, fetched
# with `apt-get source` into the work directory (never into the repository):
# CPython 3.11 (python3.11) for wasm32-wasi with SQLite 3.40 (sqlite3, the
# amalgamation made from its sources, Debian's feature defines) linked in as
# the _sqlite3 module. SQLite alone has about 2 MB of DWARF, CPython alone
# about 10 MB at -O0 -g; together at -O2 -g, configured --with-pydebug (the
# configuration of Debian's python3.11-dbg) and with
# -fno-eliminate-unused-debug-types, they have 22.4 MB of .debug_*. It runs:
#   wdb-run --dir=WORK/src/python3.11-*/Lib::/lib/python3.11 --env=PYTHONHOME=/
#     WORK/python/python.wasm -S -c 'import sqlite3; ...'
# A second run reuses the fetched sources and the builds (delete the work
# directory to start over; a change of BIG_CFLAGS rebuilds).
#
# Installs what it needs as root if missing (dpkg-dev, tcl, llvm-22, the wasm
# toolchain, ...) and, if no deb-src line is configured, adds one for bookworm
# in /etc/apt/sources.list.d/wdb-bench-src.sources.
#
# Then runs, each as its own process, BENCH_RUNS times (default 5), and reports
# the median and slowest wall time and the largest peak RSS (GNU time '%e %M';
# the verdicts use the slowest and the largest):
#   break FILE:LINE   a line deep in sqlite3.c (the measured command: $break_cmd)
#   break FUNCTION    sqlite3VdbeExec
#   symbolize ADDR    the address the first one resolved to (-f -i)
#
# Environment: BUILD_DIR (default build, relative to the repository),
# WDB (use this wdb instead of building one), BENCH_RUNS,
# BIG_CFLAGS (default "-O2 -g -fno-eliminate-unused-debug-types").
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
runs=${BENCH_RUNS:-5}
work=${TMPDIR:-/tmp}/wdb-bench-big
cflags=${BIG_CFLAGS:--O2 -g -fno-eliminate-unused-debug-types}
target_s=1
target_mb=300
die() { echo "big-dwarf: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case $1 in
    --work) [ $# -ge 2 ] || die "--work needs a directory"; work=$2; shift 2 ;;
    --work=*) work=${1#--work=}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (usage: bench/big-dwarf.sh [--work DIR])" ;;
  esac
done
work=$(realpath -m "$work")
case $work/ in "$root"/*) die "the work directory must be outside the repository: $work" ;; esac
mkdir -p "$work"

# The timed command for "break FILE:LINE" / "break FUNCTION", run by bash -c
# with $wdb, $app and $loc in its environment: the debugger itself, from its
# start to the breakpoint resolved and announced (`wdb resolve APP LOC` does
# the same work without the front end).
# shellcheck disable=SC2016 # expanded by bash -c, when it runs
break_cmd='"$wdb" -batch -ex "break $loc" "$app"'

# --- what it needs ----------------------------------------------------------
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
PKGS=(
  clang-22 lld-22 libclang-rt-22-dev-wasm32 wasi-libc  # C -> Wasm (as scripts/install-deps.sh)
  llvm-22                                              # llvm-ar-22 for libpython3.11.a
  dpkg-dev                                             # apt-get source
  tcl                                                  # tclsh builds SQLite's amalgamation
  python3.11                                           # CPython's build-python for the cross build
  make gcc wabt time cmake
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
updated=""
if [ ${#missing[@]} -gt 0 ]; then
  echo "big-dwarf: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  updated=1
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    die "cannot install ${missing[*]}"
fi
if ! grep -Eqrs '^[[:space:]]*(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "big-dwarf: adding a deb-src line for bookworm (/etc/apt/sources.list.d/wdb-bench-src.sources)" >&2
  printf '%s\n' 'Types: deb-src' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm' \
    'Components: main' 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' |
    $SUDO tee /etc/apt/sources.list.d/wdb-bench-src.sources >/dev/null
  updated=""
fi
if [ -z "$updated" ] && ! apt-cache showsrc sqlite3 2>/dev/null | grep -q '^Package:'; then
  $SUDO apt-get update -qq
fi

# --- wdb ----------------------------------------------------------------------
if [ -n "${WDB:-}" ]; then
  wdb=$WDB
else
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DWDB_TESTS=OFF >/dev/null
  fi
  cmake --build "$build" --target wdb -j"$(nproc)" >/dev/null || die "building wdb failed"
  wdb=$build/bin/wdb
fi
[ -x "$wdb" ] || die "no wdb at $wdb"

# --- sources ------------------------------------------------------------------
log=$work/log
mkdir -p "$work/src" "$log"
srcdir() { find "$work/src" -mindepth 1 -maxdepth 1 -type d -name "$1-*" -print -quit; }
for pkg in sqlite3 python3.11; do
  if [ -z "$(srcdir "$pkg")" ]; then
    echo "big-dwarf: apt-get source $pkg (into $work/src)" >&2
    (cd "$work/src" && apt-get source -qq "$pkg") >"$log/source-$pkg.log" 2>&1 ||
      { cat "$log/source-$pkg.log" >&2; die "apt-get source $pkg failed"; }
  fi
done
sqlite_src=$(srcdir sqlite3)
py_src=$(srcdir python3.11)

wasm_cc=(clang-22 --target=wasm32-wasi -Wno-deprecated)
fresh() { [ -f "$1/.flags" ] && [ "$(cat "$1/.flags")" = "$cflags" ]; }

# --- SQLite: amalgamation, then libsqlite3.a for wasm32-wasi -------------------
sq=$work/sqlite
if ! fresh "$sq" || [ ! -f "$sq/libsqlite3.a" ]; then
  echo "big-dwarf: building SQLite $(basename "$sqlite_src") for wasm32-wasi" >&2
  rm -rf "$sq"; mkdir -p "$sq"
  if [ ! -f "$work/amalgamation/sqlite3.c" ]; then
    rm -rf "$work/amalgamation"; mkdir -p "$work/amalgamation"
    (cd "$work/amalgamation" && "$sqlite_src/configure" --disable-tcl && make sqlite3.c) \
      >"$log/amalgamation.log" 2>&1 || { tail -20 "$log/amalgamation.log" >&2; die "making sqlite3.c failed"; }
  fi
  cp "$work/amalgamation/sqlite3.c" "$work/amalgamation/sqlite3.h" "$sq/"
  # SQLite 3.40's unix VFS does not know WASI: SQLITE_OS_OTHER with the demo
  # VFS from SQLite's own sources (plain POSIX calls, no locking).
  cp "$sqlite_src/src/test_demovfs.c" "$sq/"
  cat >"$sq/wasi_os.c" <<'EOF'
/* SQLITE_OS_OTHER glue for wasm32-wasi: the demo VFS of SQLite's sources. */
#include "sqlite3.h"
sqlite3_vfs *sqlite3_demovfs(void);
int sqlite3_os_init(void) { return sqlite3_vfs_register(sqlite3_demovfs(), 1); }
int sqlite3_os_end(void) { return SQLITE_OK; }
EOF
  # Debian's feature defines (debian/rules) less threads and extension loading.
  sqlite_defs=(-DSQLITE_OS_OTHER=1 -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION
    -DSQLITE_SECURE_DELETE -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_FTS3
    -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_RTREE=1 -DSQLITE_SOUNDEX=1
    -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_OMIT_LOOKASIDE=1 -DSQLITE_ENABLE_DBSTAT_VTAB
    -DSQLITE_ALLOW_ROWID_IN_VIEW -DSQLITE_ENABLE_UPDATE_DELETE_LIMIT=1 -DSQLITE_ENABLE_JSON1
    -DSQLITE_LIKE_DOESNT_MATCH_BLOBS -DSQLITE_ENABLE_FTS3_TOKENIZER=1 -DSQLITE_USE_URI=1
    -DSQLITE_MAX_SCHEMA_RETRY=25 -DSQLITE_ENABLE_PREUPDATE_HOOK -DSQLITE_ENABLE_SESSION
    -DSQLITE_ENABLE_STMTVTAB -DSQLITE_MAX_VARIABLE_NUMBER=250000)
  # shellcheck disable=SC2086 # cflags is a list of flags
  (cd "$sq" &&
    for f in sqlite3 test_demovfs wasi_os; do
      "${wasm_cc[@]}" $cflags "${sqlite_defs[@]}" -c $f.c -o $f.o || exit 1
    done &&
    llvm-ar-22 rcs libsqlite3.a sqlite3.o test_demovfs.o wasi_os.o) >"$log/sqlite.log" 2>&1 ||
    { tail -20 "$log/sqlite.log" >&2; die "SQLite wasm build failed"; }
  printf '%s' "$cflags" >"$sq/.flags"
fi

# --- CPython with _sqlite3, for wasm32-wasi -------------------------------------
py=$work/python
app=$py/python.wasm
if ! fresh "$py" || [ ! -f "$app" ] || [ "$sq/libsqlite3.a" -nt "$app" ]; then
  echo "big-dwarf: building CPython $(basename "$py_src") for wasm32-wasi ($cflags; a few minutes)" >&2
  rm -rf "$py"; mkdir -p "$py"
  # -Wno-int-conversion: wasi-libc's clockid_t is a pointer, 3.11 expects an int.
  (cd "$py" &&
    CONFIG_SITE=$py_src/Tools/wasm/config.site-wasm32-wasi \
    CC="${wasm_cc[*]}" CPP="${wasm_cc[*]} -E" AR=llvm-ar-22 RANLIB=llvm-ranlib-22 \
    CFLAGS="$cflags -Wno-int-conversion" PKG_CONFIG_LIBDIR=/nonexistent \
    LIBSQLITE3_CFLAGS="-I$sq" LIBSQLITE3_LIBS="-L$sq -lsqlite3" \
    "$py_src/configure" -C --host=wasm32-unknown-wasi --build="$("$py_src/config.guess")" \
      --with-build-python=/usr/bin/python3.11 --with-pydebug --disable-test-modules) \
    >"$log/python-configure.log" 2>&1 || { tail -20 "$log/python-configure.log" >&2; die "CPython configure failed"; }
  grep -q '^MODBUILT_NAMES=.*_sqlite3' "$py/Makefile" || die "CPython's configure did not take the _sqlite3 module"
  # OPT: no -O of its own (CFLAGS has it), no -DNDEBUG (pydebug keeps asserts)
  make -C "$py" -j"$(nproc)" OPT="-fwrapv" python.wasm >"$log/python-make.log" 2>&1 ||
    { grep -m5 'error' "$log/python-make.log" >&2; die "CPython wasm build failed (log: $log/python-make.log)"; }
  printf '%s' "$cflags" >"$py/.flags"
fi

# --- DWARF size -------------------------------------------------------------------
echo "== $app ($(stat -c %s "$app") bytes; $cflags)"
sections=$(wasm-objdump -h "$app" | sed -n 's/.*size=0x\([0-9a-fA-F]*\)) "\(\.debug_[a-z_.]*\)".*/\2 \1/p')
[ -n "$sections" ] || die "no .debug_* sections in $app"
dwarf=0
while read -r name hex; do
  printf '  %-16s %10d bytes\n' "$name" "$((16#$hex))"
  dwarf=$((dwarf + 16#$hex))
done <<<"$sections"
printf 'DWARF total (.debug_*): %d bytes = %.1f MB = %.1f MiB (requirement: >= 20 MB)\n' \
  "$dwarf" "$(awk -v b="$dwarf" 'BEGIN { print b / 1e6 }')" "$(awk -v b="$dwarf" 'BEGIN { print b / 1048576 }')"
[ "$dwarf" -ge 20000000 ] || echo "big-dwarf: WARNING: under 20 MB of DWARF: the figures below do not meet the requirement's premise" >&2

# --- the measurements ---------------------------------------------------------------
# A line deep in sqlite3.c: 10 lines into rtreeFilter (R-Tree, ~80% down the file).
n=$(grep -n '^static int rtreeFilter(' "$sq/sqlite3.c" | cut -d: -f1)
[ -n "$n" ] || die "rtreeFilter not found in sqlite3.c"
line_loc=sqlite3.c:$((n + 10))
func_loc=sqlite3VdbeExec
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# measure CMD (a string for bash -c): prints "MEDIAN_S MAX_S MAX_KIB" of $runs
# runs; the command's output of the last run is in $tmp/out
measure() {
  local i
  : >"$tmp/runs"
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%e %M' -o "$tmp/time" bash -c "$1" >"$tmp/out" 2>"$tmp/err" || {
      cat "$tmp/out" "$tmp/err" >&2; die "failed: $1"; }
    cat "$tmp/time" >>"$tmp/runs"
  done
  sort -n "$tmp/runs" | awk '{ t[NR] = $1; if ($2 > m) m = $2 }
    END { print (NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2), t[NR], m }'
}
# /usr/bin/time runs bash -c CMD: the RSS is the largest of bash's and wdb's,
# and bash's own start (~1 ms, ~4 MB) is in the time.
export wdb app
rows=()
loc=$line_loc; export loc
r=$(measure "$break_cmd"); read -r med t m <<<"$r"
grep -q '0x' "$tmp/out" || { cat "$tmp/out" "$tmp/err" >&2; die "$line_loc did not resolve"; }
addr=$(grep -m1 '0x' "$tmp/out" | grep -o '0x[0-9a-fA-F]*' | head -1)
echo "break $line_loc -> $(grep -m1 '0x' "$tmp/out")"
rows+=("break $line_loc|$med|$t|$m")
loc=$func_loc; export loc
r=$(measure "$break_cmd"); read -r med t m <<<"$r"
grep -q '0x' "$tmp/out" || { cat "$tmp/out" "$tmp/err" >&2; die "$func_loc did not resolve"; }
echo "break $func_loc -> $(grep -m1 '0x' "$tmp/out")"
rows+=("break $func_loc|$med|$t|$m")
# shellcheck disable=SC2016 # expanded when it runs
r=$(measure '"$wdb" symbolize -f -i "$app" '"$addr"); read -r med t m <<<"$r"
echo "symbolize $addr -> $(tr '\n' ' ' <"$tmp/out")"
rows+=("symbolize $addr|$med|$t|$m")

echo
echo "measured: ${break_cmd//\"/} ($runs runs; verdicts on the slowest run and the largest RSS)"
printf '%-28s %8s %8s %6s %7s %8s %6s %7s\n' what "median s" "max s" "/ ${target_s} s" verdict "RSS MB" "/ $target_mb" verdict
status=0
for r in "${rows[@]}"; do
  IFS='|' read -r what med t kib <<<"$r"
  awk -v w="$what" -v md="$med" -v t="$t" -v k="$kib" -v ts="$target_s" -v tm="$target_mb" 'BEGIN {
    mb = k / 1024; rt = t / ts; rm = mb / tm
    printf "%-28s %8.2f %8.2f %6.2f %7s %8.1f %6.2f %7s\n", w, md, t, rt, rt < 1 ? "PASS" : "FAIL", mb, rm, rm < 1 ? "PASS" : "FAIL"
    exit !(rt < 1 && rm < 1) }' || status=1
done
echo "targets: time < $target_s s, peak RSS < $target_mb MB (ratio = figure / target; PASS below 1)"
exit $status
