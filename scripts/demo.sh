#!/usr/bin/env bash
# Quick start 1: install, build, compile the bundled example to Wasm with
# DWARF and run it in wdb-run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
mkdir -p build/examples
clang-22 --target=wasm32-wasi -Wno-deprecated -g -O0 examples/hello.c -o build/examples/hello.wasm
echo "--- build/bin/wdb-run build/examples/hello.wasm world"
build/bin/wdb-run build/examples/hello.wasm world
# the same program under the debugger, in batch mode (as in a CI log)
cmd=(build/bin/wdb -batch -ex 'break hello.c:21' -ex run -ex 'info locals' -ex 'print p'
     -ex 'print buf' -ex step -ex bt -ex finish -ex continue
     --args build/examples/hello.wasm world)
echo "--- ${cmd[*]}"
"${cmd[@]}"
