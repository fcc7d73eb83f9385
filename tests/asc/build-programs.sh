#!/usr/bin/env bash
# Installs AssemblyScript's compiler (`npm ci` from the committed lockfile,
# into the build directory) and compiles the tier's programs with it:
#   build-programs.sh --node-dir DIR --out DIR
# Each programs/NAME.ts becomes OUT/NAME.wasm with OUT/NAME.wasm.map
# (asc --debug --sourceMap: no DWARF; a source map and a name section).
# The sources are copied to OUT first and compiled there, so the map names
# them by a path relative to OUT. asc's `abort` import becomes a trap
# (io.ts's abortTrap) and the start function is exported as WASI's _start,
# so wdb-run (WASI only) runs the programs. Anything missing (node, npm,
# the registry) fails: nothing skips.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
node_dir="" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --node-dir) node_dir="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "build-programs.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$node_dir" ] && [ -n "$out" ] || { echo "build-programs.sh: --node-dir and --out are required" >&2; exit 2; }
command -v node >/dev/null || { echo "FAIL: node not found: install Node.js >= 18 (scripts/install-deps.sh)" >&2; exit 1; }
command -v npm >/dev/null || { echo "FAIL: npm not found (scripts/install-deps.sh)" >&2; exit 1; }
mkdir -p "$node_dir" "$out"
cp "$here/package.json" "$here/package-lock.json" "$node_dir/"
(cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
asc="$node_dir/node_modules/.bin/asc"
[ -x "$asc" ] || { echo "FAIL: $asc missing after npm ci" >&2; exit 1; }
"$asc" --version
cp "$here"/programs/*.ts "$out/"
cd "$out"
for src in "$here"/programs/*.ts; do
  name=$(basename "$src" .ts)
  [ "$name" = io ] && continue
  rm -f "$name.wasm" "$name.wasm.map"
  features=()
  [ "$name" = lanes ] && features=(--enable simd) # v128 values
  "$asc" "$name.ts" --debug --sourceMap "${features[@]}" --use abort=io/abortTrap \
    --exportStart _start -o "$name.wasm"
  [ -s "$name.wasm" ] && [ -s "$name.wasm.map" ] || { echo "FAIL: asc made no $name.wasm or map" >&2; exit 1; }
  echo "built $out/$name.wasm"
done
