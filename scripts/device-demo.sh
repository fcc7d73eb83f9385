#!/usr/bin/env bash
# Debugging on a device: builds the firmware for QEMU's mps2-an385 board
# (a Cortex-M3) with examples/hello.c linked into its flash, starts QEMU
# (UART 0, the console, on this terminal; UART 1, the debugger's serial
# line, on a TCP port of 127.0.0.1) and runs a batch `wdb` session through
# that serial line. Installs what it needs as root (scripts/install-deps.sh).
#   bash scripts/device-demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
work=$PWD/build/device-demo
mkdir -p "$work"
clang-22 --target=wasm32-wasi -Wno-deprecated -g -O0 examples/hello.c -o "$work/hello.wasm" \
    -Wl,-z,stack-size=16384 -Wl,--initial-memory=131072
# the image: the debugger built in, waiting at the first instruction for
# a debugger (WAIT), the program's arguments fixed at build time (ARGS)
echo "wdb_firmware_image(hello \"$work/hello.wasm\" DEBUGGER WAIT ARGS device MAX_MEMORY 131072)" \
    >"$work/images.cmake"
cmake -S runtime/port/mps2-an385 -B "$work/fw" -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/arm-none-eabi.cmake" \
    -DWDB_FIRMWARE_IMAGES_FILE="$work/images.cmake" >/dev/null
cmake --build "$work/fw" -j2 >/dev/null
arm-none-eabi-size "$work/fw/hello.elf"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
qemu=(qemu-system-arm -M mps2-an385 -nographic -monitor none -serial stdio
      -serial "tcp:127.0.0.1:$port,server=on,wait=off,nodelay=on"
      -semihosting-config enable=on,target=native -kernel "$work/fw/hello.elf")
echo "--- ${qemu[*]}"
"${qemu[@]}" </dev/null &
qpid=$!
trap 'kill $qpid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break # QEMU listens
    sleep 0.05
done
cmd=(build/bin/wdb -batch -ex "target remote 127.0.0.1:$port" -ex 'break hello.c:21'
     -ex continue -ex 'info locals' -ex 'print p' -ex 'print buf' -ex step -ex bt -ex finish
     -ex continue "$work/hello.wasm")
echo "--- ${cmd[*]}"
"${cmd[@]}"
wait $qpid
status=$?
trap - EXIT
echo "--- the device exited with status $status"
exit $status
