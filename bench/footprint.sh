#!/usr/bin/env bash
# Footprint of the runtime: the code size of libwdb_runtime.a built for size
# (-Os: CMAKE_BUILD_TYPE=MinSizeRel, in its own build directory) and the peak
# resident set size of that build's wdb-run running examples/hello.c.
#
#   bench/footprint.sh        environment: MINSIZE_BUILD_DIR (default build-minsize)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${MINSIZE_BUILD_DIR:-build-minsize}
case $build in /*) ;; *) build=$root/$build ;; esac

die() { echo "footprint: $*" >&2; exit 1; }
command -v clang-22 >/dev/null || die "clang-22 not found: run scripts/install-deps.sh"
command -v size >/dev/null || die "size (binutils) not found"
if [ ! -x /usr/bin/time ]; then
  echo "footprint: installing the 'time' package for /usr/bin/time" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -qq --no-install-recommends time >/dev/null ||
    die "cannot install the 'time' package"
fi

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=MinSizeRel -DWDB_TESTS=OFF >/dev/null
cmake --build "$build" --target wdb-run -j"$(nproc)" >/dev/null || die "MinSizeRel build failed"
lib=$(find "$build" -name libwdb_runtime.a -print -quit)
[ -n "$lib" ] || die "libwdb_runtime.a not found under $build"

echo "== size -t $lib (MinSizeRel, -Os)"
size -t "$lib"
text=$(size -t "$lib" | awk '$NF == "(TOTALS)" { print $1 }')
echo "runtime library text total: $text bytes"
echo "wdb-run binary: $(stat -c %s "$build/bin/wdb-run") bytes on disk, text $(size "$build/bin/wdb-run" | awk 'NR == 2 { print $1 }') bytes"

wasm=$build/hello.wasm
clang-22 --target=wasm32-wasi -Wno-deprecated -g -O0 "$root/examples/hello.c" -o "$wasm"
rss_out=$(mktemp)
trap 'rm -f "$rss_out"' EXIT
echo "== $build/bin/wdb-run hello.wasm world"
/usr/bin/time -f %M -o "$rss_out" "$build/bin/wdb-run" "$wasm" world ||
  die "wdb-run failed on hello.wasm"
echo "peak RSS of wdb-run running hello.wasm: $(cat "$rss_out") KiB"
