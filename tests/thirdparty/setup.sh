#!/bin/bash
# Setup of the third-party differential tests (ctest fixture of the
# thirdparty label): fetches Debian 12 source packages and builds each code
# base twice, for wasm32-wasi (clang, -g -O0) and natively (gcc, -g -O0),
# from the same absolute source paths, for vs-gdb.sh to compare wdb with gdb.
#
#   setup.sh --out DIR --clang CLANG [--cc CC]
#
# The sources come from scripts/debsrc.sh (`apt-get source` through a
# private apt configuration in DIR/apt; no root rights needed, the system's
# apt state untouched) into DIR/src/PACKAGE, kept and reused by later runs.
# A failed download fails the setup, and so every test that needs it:
# nothing is skipped.
#
# Built (DIR/bin):
#   zlib:  the library and its own test program test/example.c
#          (zlib.wasm, zlib.native); it writes foo.gz in its current
#          directory.
#   cjson: cJSON.c and cjson-driver.c beside this script (cjson.wasm,
#          cjson.native).
set -u
out= clang= cc=gcc
while [ $# -gt 0 ]; do
    case "$1" in
    --out) out=$2; shift 2 ;;
    --clang) clang=$2; shift 2 ;;
    --cc) cc=$2; shift 2 ;;
    *) echo "setup.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
if [ -z "$out" ] || [ -z "$clang" ]; then echo "setup.sh: --out and --clang are required" >&2; exit 2; fi
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAIL: $*"; exit 1; }

for t in "$clang" "$cc"; do
    command -v "$t" >/dev/null || fail "$t not found: scripts/install-deps.sh installs it"
done
bash "$here/../../scripts/debsrc.sh" --out "$out" zlib cjson || exit 1

# build NAME FLAGS... -- SOURCES...: DIR/bin/NAME.wasm and DIR/bin/NAME.native.
# Warnings are off: the code is not ours (zlib's K&R definitions alone
# give hundreds).
build() {
    local name=$1 flags=() srcs=()
    shift
    while [ "$1" != -- ]; do flags+=("$1"); shift; done
    shift
    srcs=("$@")
    mkdir -p "$out/bin"
    "$clang" --target=wasm32-wasi -w -g -O0 "${flags[@]}" "${srcs[@]}" -o "$out/bin/$name.wasm" ||
        fail "$clang could not build $name for wasm32-wasi"
    "$cc" -w -g -O0 "${flags[@]}" "${srcs[@]}" -o "$out/bin/$name.native" ||
        fail "$cc could not build $name"
}

z=$out/src/zlib
zsrcs=()
for f in adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast inflate \
    inftrees trees uncompr zutil test/example; do
    zsrcs+=("$z/$f.c")
done
# Z_HAVE_UNISTD_H: what zlib's configure finds on Linux and in wasi-libc
build zlib -DZ_HAVE_UNISTD_H "-I$z" -- "${zsrcs[@]}"
build cjson "-I$out/src/cjson" -- "$out/src/cjson/cJSON.c" "$here/cjson-driver.c"
echo "built: $(cd "$out/bin" && echo *)"
