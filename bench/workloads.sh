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
#            OUTDIR/lua.wasm). Built without setjmp/longjmp, which
#            wasi-libc lacks: shim/bench-lua.h.
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

# newer TARGET FILE...: whether TARGET is missing or older than a FILE
newer() {
  local t=$1 f
  shift
  [ -e "$t" ] || return 0
  for f in "$@"; do [ "$f" -nt "$t" ] && return 0; done
  return 1
}

# Lua: the core and the libraries the scripts use; lua.c, luac.c and
# linit.c are programs and the full library list, replaced by lua-main.c
lsrc=$out/src/lua5.4/src
lua_files=()
for f in "$lsrc"/*.c; do
  case $(basename "$f") in lua.c | luac.c | linit.c | loslib.c | liolib.c | loadlib.c) ;;
  *) lua_files+=("$f") ;;
  esac
done
lua_flags=(-O2 -w -I"$wl/shim" -include "$wl/shim/bench-lua.h" -I"$lsrc")
lua_deps=("${lua_files[@]}" "$wl/lua-main.c" "$wl/shim/bench-lua.h")
if newer "$out/lua.native" "${lua_deps[@]}"; then
  "$cc" "${lua_flags[@]}" "${lua_files[@]}" "$wl/lua-main.c" -o "$out/lua.native" -lm ||
    die "native build of Lua failed"
fi
if newer "$out/lua.wasm" "${lua_deps[@]}"; then
  # signal.h's sig_atomic_t and clock() are WASI emulations
  "$clang" --target=wasm32-wasi -Wno-deprecated "${lua_flags[@]}" -D_WASI_EMULATED_SIGNAL \
    -D_WASI_EMULATED_PROCESS_CLOCKS "${lua_files[@]}" "$wl/lua-main.c" -o "$out/lua.wasm" -lm \
    -lwasi-emulated-process-clocks || die "Wasm build of Lua failed"
fi

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
