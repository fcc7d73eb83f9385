#!/usr/bin/env bash
# The GDB stub's own request round trips without LLDB (see stub_step.c):
#
#   bench/stub-step.sh [N]      (default 10000 of each)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
n=${1:-10000}
command -v wat2wasm >/dev/null || { echo "wat2wasm not found: run scripts/install-deps.sh" >&2; exit 1; }
if [ ! -f "$build/CMakeCache.txt" ]; then cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null; fi
cmake --build "$build" --target wdb-run -j"$(nproc)" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wat2wasm "$root/tests/rspclient/counter.wat" -o "$work/counter.wasm"
# the same module, with `spin` as _start: steps never run out
sed 's/(export "_start")/(export "start_unused")/; s/(export "spin")/(export "_start")/' \
    "$root/tests/rspclient/counter.wat" >"$work/spin.wat"
wat2wasm "$work/spin.wat" -o "$work/spin.wasm"
cc -O2 -std=gnu11 -I"$root/lldb-bridge/common" -I"$root/lldb-bridge/session" \
    -I"$root/gdbstub/include" \
    -I"$root/runtime/port/posix/include" -I"$root/runtime/include" "$root/bench/stub_step.c" \
    "$root/lldb-bridge/session/wb_rsp.c" "$root/lldb-bridge/common/wb_common.c" \
    "$root/gdbstub/src/rsp_codec.c" "$root/gdbstub/src/rsp_serial.c" \
    "$root/runtime/port/posix/wdb_net.c" "$root/runtime/port/posix/wdb_file.c" \
    -o "$work/stub_step" -lpthread
"$work/stub_step" "$build/bin/wdb-run" "$work/spin.wasm" "$n"
