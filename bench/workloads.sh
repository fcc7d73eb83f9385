#!/usr/bin/env bash
# Builds the bench's workloads that the project did not write (issue 18),
# natively (cc -O2) and to Wasm (clang-22 -O2), from Debian 12 source
# packages fetched by scripts/debsrc.sh:
#
#   bench/workloads.sh OUTDIR
#
#   lua5.4:  Lua 5.4 (all of it but the stand-alone programs and the io,
#            os and package libraries) with our host program lua-main.c,
#            running the scripts in workloads/lua/ (OUTDIR/lua.native,
#            OUTDIR/lua.wasm), by scripts/lua-build.sh. Built without
#            setjmp/longjmp (shim/bench-lua.h): the bench's scripts raise
#            no errors, and the figures stay those of Wasm 2.0 code.
#   sqlite3: the amalgamation (generated from the source package by its own
#            build, which needs tclsh) with our workload sqlite-main.c
#            (OUTDIR/sqlite.native, OUTDIR/sqlite.wasm).
#
# Sources and builds are kept in OUTDIR and rebuilt only when a source
# changes. Any failure exits 1 with a line saying what failed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${1:?usage: bench/workloads.sh OUTDIR}
cc=${CC:-cc}
clang=clang-22
die() { echo "bench: $*" >&2; exit 1; }
for t in "$clang" "$cc" tclsh make; do
  command -v "$t" >/dev/null || die "$t not found: run scripts/install-deps.sh"
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
bash "$root/scripts/debsrc.sh" --out "$out" lua5.4 sqlite3 >"$out/debsrc.log" ||
  die "fetching the source packages failed: $(tail -n 1 "$out/debsrc.log")"
wl=$here/workloads

. "$root/scripts/lua-build.sh"
lua_build "$out/src/lua5.4" "$out/lua" shim || die "building Lua failed"

# SQLite: the amalgamation, made by the package's own configure and make
sq=$out/sqlite-build
if [ ! -e "$sq/sqlite3.c" ]; then
  mkdir -p "$sq"
  (cd "$sq" && "$out/src/sqlite3/configure" --disable-tcl && make sqlite3.c) >"$out/sqlite3c.log" 2>&1 ||
    die "generating SQLite's amalgamation failed: see $out/sqlite3c.log"
fi
# the VFS is sqlite-main.c's own (no files): SQLITE_OS_OTHER
sq_flags=(-O2 -w -DSQLITE_OS_OTHER=1 -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION
  -DSQLITE_TEMP_STORE=3 -DSQLITE_OMIT_WAL -I"$sq")
if newer "$out/sqlite.native" "$sq/sqlite3.c" "$wl/sqlite-main.c"; then
  "$cc" "${sq_flags[@]}" "$sq/sqlite3.c" "$wl/sqlite-main.c" -o "$out/sqlite.native" -lm ||
    die "native build of SQLite failed"
fi
if newer "$out/sqlite.wasm" "$sq/sqlite3.c" "$wl/sqlite-main.c"; then
  "$clang" --target=wasm32-wasi -Wno-deprecated "${sq_flags[@]}" "$sq/sqlite3.c" \
    "$wl/sqlite-main.c" -o "$out/sqlite.wasm" -lm || die "Wasm build of SQLite failed"
fi
echo "workloads in $out: $(paste -sd ' ' "$out/src/versions")"
