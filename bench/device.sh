#!/usr/bin/env bash
# The firmware's footprint on the Cortex-M3 (QEMU's mps2-an385):
#
#   bench/device.sh
#
# Builds bench/device/hello.c (printf) for the device, as the device tests
# do (-Os, -Wl,-z,stack-size=8192 -Wl,--initial-memory=65536), links it
# into a firmware image at -Os that reports what it used (REPORT_RAM), runs
# it in QEMU and prints:
#   flash  text + rodata (+ the initial values of data) of each component,
#          from the image's linker map (what --gc-sections kept), with the
#          debugger built in and without it; runtime + engine + stub +
#          device WASI against the target of 64 KiB; the rest of the image
#          (program, port, C library, libgcc) and the module apart
#   RAM    the heap's high-water mark (the allocator's _sbrk level after each
#          step of wd_run), the main stack's high-water mark (painted at
#          reset) and static data, against the target of 48 KiB beyond the
#          linear memory (the debugger built in; without it for
#          comparison); and what the module's translation is made of
#          (bench/device/code_size.c: the same run with the host runtime
#          built with the device's packed ops,
#          its translations in the device's 4-byte words)
#   wire   bytes on the serial line (bench/device-wire.sh)
#   speed  the interpreter's instructions per kernel against native code,
#          on the device and on the host (bench/device-kernels.sh)
# Work files go to ${BUILD_DIR:-build}/bench-device.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
work=$build/bench-device
die() { echo "bench: $*" >&2; exit 1; }
for t in clang-22 arm-none-eabi-gcc arm-none-eabi-size qemu-system-arm; do
  command -v "$t" >/dev/null || die "$t not found: run scripts/install-deps.sh"
done
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" >/dev/null
fi
cmake --build "$build" --target wdb_runtime_packed -j2 >/dev/null || die "building the runtime failed"
mkdir -p "$work"

# the module
clang-22 --target=wasm32-wasi -Wno-deprecated -Os "$root/bench/device/hello.c" -o "$work/hello.wasm" \
  -Wl,-z,stack-size=8192 -Wl,--initial-memory=65536 -Wl,--strip-debug
# the translation's parts, measured with the host runtime
cc -std=gnu11 -O1 -DWR_PACK=1 -I"$root/runtime/include" -I"$root/runtime/wasmfmt/include" -I"$root/runtime/src" \
  "$root/bench/device/code_size.c" "$build/runtime/libwdb_runtime_packed.a" \
  "$build/runtime/libwdb_wasmfmt.a" -lm -o "$work/code_size"
"$work/code_size" "$work/hello.wasm" >"$work/code_size.txt"

# the firmware, with the debugger (what ships) and without it (for
# comparison)
{
  echo "wdb_firmware_image(bench_hello \"$work/hello.wasm\" DEBUGGER REPORT_RAM)"
  echo "wdb_firmware_image(bench_hello_nodbg \"$work/hello.wasm\" NO_DEBUGGER REPORT_RAM)"
} >"$work/images.cmake"
cmake -S "$root/runtime/port/mps2-an385" -B "$work/fw" \
  -DCMAKE_TOOLCHAIN_FILE="$root/cmake/arm-none-eabi.cmake" \
  -DWDB_FIRMWARE_IMAGES_FILE="$work/images.cmake" >/dev/null
cmake --build "$work/fw" -j2 >/dev/null || die "building the firmware failed"
for img in bench_hello bench_hello_nodbg; do
  timeout 120 qemu-system-arm -M mps2-an385 -nographic -monitor none -serial stdio \
    -semihosting-config enable=on,target=native -kernel "$work/fw/$img.elf" </dev/null \
    >"$work/$img.uart0" || die "$img failed (status $?): $(head -3 "$work/$img.uart0")"
  grep -q '^hello, world 42$' "$work/$img.uart0" || die "$img: the program's output is missing"
done
elf=$work/fw/bench_hello.elf map=$work/fw/bench_hello.map
cp "$work/bench_hello.uart0" "$work/uart0.txt"

kib() { awk -v b="$1" 'BEGIN { printf "%6.1f", b / 1024 }'; }

# ---------------------------------------------------------------- flash
# Input sections of the output sections that occupy flash, by file. The map
# lists each as "NAME ADDR SIZE FILE", the long names on two lines.
flash_of() { # MAP OUT: bytes per component
awk '
  /^Linker script and memory map/ { inmap = 1; next }
  !inmap { next }
  /^[.][^ ]/ { out = $1 }
  function hex(s,   i, n) {
    n = 0
    s = tolower(substr(s, 3))
    for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return n
  }
  function add(size, file) {
    if (out !~ /^[.](vectors|text|rodata|ARM[.]exidx|data|tdata|wasm)$/) return
    if (out == ".wasm") c = "module"
    else if (file ~ /libwdb_fw_runtime[.]a/) c = "runtime"
    else if (file ~ /wd_wasi[.]c/) c = "wasi"
    else if (file ~ /wd_(main|report)[.]c/) c = "program"
    else if (file ~ /wd_(serve|target|debugger)[.]c|board_debug[.]c/) c = "glue"
    else if (file ~ /wde_|debug.engine/) c = "engine"
    else if (file ~ /gs_|rsp_|gdbstub/) c = "stub"
    else if (file ~ /wdb_fw_port|board_main[.]c/) c = "port"
    else if (file ~ /libgcc[.]a/) c = "libgcc"
    else if (file ~ /libc[.]a|libm[.]a|picolibc/) c = "libc"
    else c = "other"
    sum[c] += hex(size)
  }
  /^ [*]fill[*]/ && NF == 3 { add($3, "padding"); pending = 0; next }
  /^ [^ ]/ && NF >= 4 && $2 ~ /^0x/ && $3 ~ /^0x/ { add($3, $4); pending = 0; next }
  /^ [^ ]/ && NF == 1 { pending = 1; next }
  pending && /^ +0x/ && NF == 3 { add($2, $3) }
  { pending = 0 }
  END { for (c in sum) print c, sum[c] }
' "$1" >"$2"
}
flash_of "$map" "$work/flash.txt"
flash_of "$work/fw/bench_hello_nodbg.map" "$work/flash_nodbg.txt"

get() { awk -v k="$1" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }' "$2"; }
sum_of() { # FILE COMPONENT...
  local f=$1 t=0 c
  shift
  for c in "$@"; do t=$((t + $(get "$c" "$f"))); done
  echo $t
}
device_side="runtime wasi engine stub glue"
image="runtime wasi program port engine stub glue libc libgcc other"
total=$(sum_of "$work/flash.txt" $device_side)
whole=$(sum_of "$work/flash.txt" $image)
target=$((64 * 1024))

echo "Flash, text + rodata + data's initial values, -Os (KiB), printf hello world:"
printf '  %-52s %8s %10s\n' component "KiB" "no debugger"
row() { printf '  %-52s %8s\n' "$1" "$2"; }
row2() { printf '  %-52s %8s %10s\n' "$1" "$(kib "$(get "$2" "$work/flash.txt")")" \
  "$(kib "$(get "$2" "$work/flash_nodbg.txt")")"; }
row2 "runtime core (runtime/src, no host WASI)" runtime
row2 "device WASI (wd_wasi.c)" wasi
row2 "debug engine (wde_engine.c, no threads)" engine
row2 "GDB stub (gs_server.c, rsp_codec.c; 1 KiB packets)" stub
row2 "stub glue (wd_target, wd_serve, wd_debugger)" glue
printf '  %-52s %8s %10s\n' "runtime + engine + stub + device WASI (target 64)" "$(kib $total)" \
  "$(kib "$(sum_of "$work/flash_nodbg.txt" $device_side)")"
verdict() { if [ "$1" -le "$2" ]; then echo "within the target ($(($2 - $1)) bytes to spare)"; else echo "OVER the target by $(kib $(($1 - $2))) KiB ($(($1 - $2)) bytes)"; fi; }
echo "  -> $(verdict $total $target)"
row2 "firmware program (wd_main.c, wd_report.c)" program
row2 "port: mps2-an385 (platform, reset, main)" port
row2 "C library (picolibc, integer printf)" libc
row2 "compiler runtime (libgcc: soft float, 64-bit)" libgcc
row2 "other (alignment padding...)" other
printf '  %-52s %8s %10s\n' "the whole image but the module" "$(kib $whole)" \
  "$(kib "$(sum_of "$work/flash_nodbg.txt" $image)")"
row "the module (hello.wasm, not counted)" "$(kib "$(get module "$work/flash.txt")")"
echo

# ------------------------------------------------------------------ RAM
ram() { awk -v k="$1" '$1 == "wdb-firmware:" && $2 == "ram:" && $3 == k { print $4 }' "$work/uart0.txt"; }
static=$(arm-none-eabi-size -A "$elf" | awk '$1 ~ /^[.](data|tdata|tbss_room|bss)$/ { s += $2 } END { print s + 0 }')
heap_peak=$(ram heap_peak) mem=$(ram linear_memory) stack_peak=$(ram stack_peak)
beyond=$((heap_peak - mem + stack_peak + static))
echo "RAM, hello world (printf), module linked -z stack-size=8192 --initial-memory=65536 (KiB):"
row "module loaded: decoded + validated (heap)" "$(kib "$(ram heap_module)")"
row "device WASI definitions (heap)" "$(kib "$(ram heap_wasi)")"
row "instantiated: linear memory, tables... (heap)" "$(kib "$(ram heap_instance)")"
row "running: stacks + translations (heap)" "$(kib "$(ram heap_run)")"
row "heap high-water mark" "$(kib "$heap_peak")"
row "  of which linear memory" "$(kib "$mem")"
row "main stack high-water mark (of $(kib "$(ram stack_size)"))" "$(kib "$stack_peak")"
row "static data (.data, .bss, TLS)" "$(kib "$static")"
row "runtime + engine + stub RAM beyond linear memory (target 48)" "$(kib $beyond)"
echo "  -> $(verdict $beyond $((48 * 1024)))"
ramn() { awk -v k="$1" '$1 == "wdb-firmware:" && $2 == "ram:" && $3 == k { print $4 }' "$work/bench_hello_nodbg.uart0"; }
static_n=$(arm-none-eabi-size -A "$work/fw/bench_hello_nodbg.elf" | awk '$1 ~ /^[.](data|tdata|tbss_room|bss)$/ { s += $2 } END { print s + 0 }')
row "the same without the debugger" "$(kib $(( $(ramn heap_peak) - $(ramn linear_memory) + $(ramn stack_peak) + static_n )))"
echo "  configured: value stack $(kib "$(ram value_stack)") KiB, call depth $(ram call_depth)" \
  "($(kib $(( $(ram call_depth) * 16 + 16 ))) KiB of call frames)"
echo "  (heap figures are the allocator's _sbrk level after each step: a step whose"
echo "  blocks fit in holes an earlier one left shows less than it allocated)"
echo
cs=$work/code_size.txt
echo "The translation of hello.wasm: the $(get translated "$cs") of its $(get funcs "$cs") functions" \
  "that ran (translated at their first call; live bytes, 4-byte words as on the device):"
code=$(get wasm_run "$cs")
for k in ops32 pcmap syncs; do
  n=$(get $k "$cs")
  case $k in
    ops32) name="internal code (4-byte words)" ;;
    pcmap) name="pc map (delta-encoded, ~1 byte per op)" ;;
    syncs) name="sync points" ;;
  esac
  printf '  %-44s %8s  (%sx their Wasm code)\n' "$name" "$(kib "$n")" \
    "$(awk -v a="$n" -v b="$code" 'BEGIN { printf "%.1f", a / b }')"
done
row "their Wasm code (Code section bodies)" "$(kib "$code")"
row "all functions' Wasm code" "$(kib "$(get wasm_code "$cs")")"

echo
# the bytes on the serial line, and the interpreter's cost on the device
bash "$root/bench/device-wire.sh" "$build"
if [ -f "$root/bench/device-kernels.sh" ]; then
  echo
  bash "$root/bench/device-kernels.sh"
fi
