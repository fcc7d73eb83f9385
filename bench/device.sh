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
#          from the image's linker map (what --gc-sections kept), against
#          the target of 64 KiB for the runtime's side (everything but the
#          module); the module itself apart
#   RAM    the heap's high-water mark (the allocator's _sbrk level after each
#          step of wd_run), the main stack's high-water mark (painted at
#          reset) and static data, against the target of 48 KiB beyond the
#          linear memory; and what the module's translation is made of
#          (bench/device/code_size.c: the same run with the host runtime,
#          its translations in the device's 4-byte words)
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
cmake --build "$build" --target wdb_runtime -j2 >/dev/null || die "building the runtime failed"
mkdir -p "$work"

# the module
clang-22 --target=wasm32-wasi -Wno-deprecated -Os "$root/bench/device/hello.c" -o "$work/hello.wasm" \
  -Wl,-z,stack-size=8192 -Wl,--initial-memory=65536 -Wl,--strip-debug
# the translation's parts, measured with the host runtime
cc -std=gnu11 -O1 -I"$root/runtime/include" -I"$root/runtime/src" "$root/bench/device/code_size.c" \
  "$build/runtime/libwdb_runtime.a" -lm -o "$work/code_size"
"$work/code_size" "$work/hello.wasm" >"$work/code_size.txt"

# the firmware
echo "wdb_firmware_image(bench_hello \"$work/hello.wasm\" REPORT_RAM)" >"$work/images.cmake"
cmake -S "$root/runtime/port/mps2-an385" -B "$work/fw" \
  -DCMAKE_TOOLCHAIN_FILE="$root/cmake/arm-none-eabi.cmake" \
  -DWDB_FIRMWARE_IMAGES_FILE="$work/images.cmake" >/dev/null
cmake --build "$work/fw" -j2 >/dev/null || die "building the firmware failed"
elf=$work/fw/bench_hello.elf map=$work/fw/bench_hello.map

timeout 120 qemu-system-arm -M mps2-an385 -nographic -monitor none -serial stdio \
  -semihosting-config enable=on,target=native -kernel "$elf" </dev/null >"$work/uart0.txt" ||
  die "the firmware failed (status $?): $(head -3 "$work/uart0.txt")"
grep -q '^hello, world 42$' "$work/uart0.txt" || die "the program's output is missing"

kib() { awk -v b="$1" 'BEGIN { printf "%6.1f", b / 1024 }'; }

# ---------------------------------------------------------------- flash
# Input sections of the output sections that occupy flash, by file. The map
# lists each as "NAME ADDR SIZE FILE", the long names on two lines.
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
' "$map" >"$work/flash.txt"

get() { awk -v k="$1" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }' "$2"; }
total=0
for c in runtime wasi program port engine stub glue libc libgcc other; do
  total=$((total + $(get $c "$work/flash.txt")))
done
target=$((64 * 1024))

echo "Flash, text + rodata + data's initial values, -Os (KiB):"
printf '  %-44s %8s\n' component KiB
row() { printf '  %-44s %8s\n' "$1" "$2"; }
row "runtime core (runtime/src, no host WASI)" "$(kib "$(get runtime "$work/flash.txt")")"
row "device WASI (wd_wasi.c)" "$(kib "$(get wasi "$work/flash.txt")")"
row "firmware program (wd_main.c, wd_report.c)" "$(kib "$(get program "$work/flash.txt")")"
row "port: mps2-an385 (platform, reset, main)" "$(kib "$(get port "$work/flash.txt")")"
for c in engine stub glue; do
  n=$(get $c "$work/flash.txt")
  case $c in
    engine) name="debug engine" ;;
    stub) name="GDB stub" ;;
    glue) name="debugger glue (wd_serve, wd_target)" ;;
  esac
  if [ "$n" -gt 0 ]; then row "$name" "$(kib "$n")"; else row "$name" "-"; fi
done
row "C library (picolibc, integer printf)" "$(kib "$(get libc "$work/flash.txt")")"
row "compiler runtime (libgcc: soft float, 64-bit)" "$(kib "$(get libgcc "$work/flash.txt")")"
if [ "$(get other "$work/flash.txt")" -gt 0 ]; then
  row "other (alignment padding...)" "$(kib "$(get other "$work/flash.txt")")"
fi
row "total (target 64 KiB)" "$(kib $total)"
verdict() { if [ "$1" -le "$2" ]; then echo "within the target"; else echo "OVER the target by $(kib $(($1 - $2))) KiB"; fi; }
echo "  -> $(verdict $total $target)"
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
row "runtime RAM beyond linear memory (target 48)" "$(kib $beyond)"
echo "  -> $(verdict $beyond $((48 * 1024)))"
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
