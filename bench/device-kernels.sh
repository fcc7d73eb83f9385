#!/usr/bin/env bash
# Did the port make the interpreter slower per guest instruction? The CPU
# kernels of bench/run.sh on the device (the Cortex-M3 firmware in QEMU's
# mps2-an385) and on the host, each as a ratio to the same kernel compiled
# natively for that machine:
#
#   bench/device-kernels.sh [KERNEL...]      (default: every kernel spec() sizes)
#
# What is counted: instructions executed, not time (QEMU's emulation speed
# says nothing absolute about a Cortex-M3).
#   device  QEMU with -icount shift=0: virtual time advances exactly 1 ns
#           per guest instruction, so the board's monotonic clock
#           (wp_mps2.c: timer 0 at 25 MHz, 40 ns ticks) counts ARM
#           instructions, to 40 of them. The script checks this first: a
#           loop of a known number of instructions (--calibrate, 2 per
#           iteration) must read as that many ns. Two programs per kernel,
#           on the same board, built by the firmware project with the
#           host build's flags (-O2 -g -DNDEBUG, RelWithDebInfo) so that
#           only the port differs: bench/device/kernel_main.c around
#             (a) wd_run of the kernel's .wasm linked into flash (what
#                 board_main.c does), and
#             (b) the kernel's C source compiled in (arm-none-eabi-gcc -O2
#                 -mcpu=cortex-m3, soft float: -Dmain=kernel_main),
#           each timed on the clock around the call; and (c) = (a) with
#           the host build's interpreter (-DWR_PACK=0: the ops and
#           handlers a 64-bit host runs), same flags.
#   host    wdb-run (build/bin/wdb-run, the same runtime sources) on the
#           same .wasm, and the kernel built with cc -O2 (as bench/run.sh),
#           counted with `perf stat -e instructions:u` where the machine has
#           the counter, else with valgrind's callgrind (exact, slower).
# Every count is a difference of two runs, a big input minus a small one
# (the "input" column: argv[1] of each): start-up, loading and translating
# the module, the C library's set-up and printing cancel out, on both
# machines alike, and what is left is the kernel's loop. The same .wasm and
# the same inputs on both machines; the six outputs of each input must be
# identical (the script fails otherwise). Counts are deterministic: the
# figures do not move between runs of the same tree.
#
# Reading the second table:
#   one core       (a) / (c): THE ANSWER. The device's interpreter over the
#                  host build's on the same Cortex-M3, same module, same
#                  input, same compiler flags: what the port itself did to
#                  the instructions per guest instruction. At or below 1,
#                  it did not make the interpreter slower
#   device, host   instructions interpreted / native on that machine
#   dev/host       their quotient, across the two ISAs: near 1 or below,
#                  the device interprets as well relative to its native
#                  code as the host does; above 1, that many times more
#   -Os            the same with the firmware's default build (MinSizeRel,
#                  -Os), what a device ships, against the same native code
#   wdb dev/host   ARM / x86-64 instructions for the very same Wasm
#                  instructions (same module, same input): per guest
#                  instruction, the ISAs' densities included
#   native dev/host  the same for the kernel's C code: the yardstick.
#                  dev/host = (wdb dev/host) / (native dev/host)
# Above 1 is not all the port's doing; a 32-bit core pays for what the
# interpreter's design assumes of a 64-bit one:
#   - every Wasm value lives in an 8-byte frame slot, so an i32 result also
#     stores a zero upper word (on x86-64 one 64-bit store does both), and
#     i64 ops take register pairs;
#   - memory accesses check bounds in 64-bit arithmetic (ea + n > memsize),
#     with memsize and the memory base spilled to the stack (13 registers);
#   - Thumb-2 loads an operand where x86 uses a memory operand, and GCC
#     sets the Thumb bit of a computed goto's target on every dispatch
#     (ldr, orr #1, bx);
#   - at -Os GCC merges the handlers' dispatch into one shared tail (two
#     more branches and moves per Wasm instruction);
#   - floating point is soft float on the Cortex-M3, natively and
#     interpreted alike: a libgcc call of tens of instructions per f64 op
#     hides the dispatch, so the float kernels (fp) show low device ratios
#     that say little about the interpreter; read the integer geomean.
# Which ops cost what on either side: bench/device/kernel_profile.py
# (instructions per entry of each handler of the interpreter's loop).
# Also: callgrind counts each iteration of x86's rep-prefixed string
# instructions (glibc's memset), perf counts the instruction once.
#
# Sizes: smaller than bench/run.sh's (QEMU, and the device's 4 MiB of RAM):
# the kernels whose sizes are constants in the source (quicksort, sieve)
# are compiled from a copy with that one constant changed (a checked sed;
# the script fails if the source no longer matches). A run takes about a
# minute on 2 cores.
#
# Environment: BUILD_DIR (default build, relative to the repository; work
# files go to $BUILD_DIR/bench-kernels), WDB_RUN (use this wdb-run instead
# of building build's), CC (host compiler, default cc), JOBS (parallel
# runs, default 2), HOST_COUNTER (perf or callgrind: force one).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
work=$build/bench-kernels
cc=${CC:-cc}
jobs=${JOBS:-2}
port=$root/runtime/port/mps2-an385

die() { echo "bench: $*" >&2; exit 1; }
for t in clang-22 "$cc" arm-none-eabi-gcc qemu-system-arm cmake; do
  command -v "$t" >/dev/null || die "$t not found: run scripts/install-deps.sh"
done

# One run at a time per work directory (bench/device.sh runs this too):
# the firmware build directories and the output files are shared.
mkdir -p "$work"
if command -v flock >/dev/null; then
  exec 9>"$work/.lock"
  if ! flock -n 9; then
    echo "bench: waiting for another run of device-kernels.sh in $work" >&2
    flock 9
  fi
fi

# ------------------------------------------------------------- inputs
# kernel: BASE and BIG arguments (argv[1]), the sed expression that
# shrinks a size fixed in the source (empty: none; the device has 4 MiB of
# RAM, the module a 2 MiB linear memory limit here), and fp=1 for the
# floating-point kernels. Counts are BIG - BASE.
spec() {
  subst="" fp=0
  case $1 in
    crc32) base=1 big=3 ;;
    fib) base=12 big=30 ;;
    matmul) base=4 big=96 fp=1 ;;
    nbody) base=10 big=20010 fp=1 ;;
    quicksort) base=1 big=9 subst='s/^\(    long n = \)1000000;$/\150000;/' ;;
    sieve) base=1 big=9 subst='s/^\(    unsigned n = \)4000000;$/\1400000;/' ;;
    *) return 1 ;;
  esac
}

if [ $# -gt 0 ]; then
  kernels=("$@")
else
  # the kernels spec() gives device sizes for (bytevm and strings, added
  # for issue 18's host figures, have none yet)
  kernels=()
  for f in "$root"/bench/kernels/*.c; do
    k=$(basename "$f" .c)
    if spec "$k"; then kernels+=("$k"); fi
  done
fi
for k in "${kernels[@]}"; do
  [ -f "$root/bench/kernels/$k.c" ] || die "no kernel bench/kernels/$k.c"
  spec "$k" || die "no inputs for kernel $k: add it to spec() in $0"
done

# ------------------------------------------------------- host counter
host_counter=${HOST_COUNTER:-}
if [ -z "$host_counter" ]; then
  if command -v perf >/dev/null &&
    perf stat -x, -e instructions:u true 2>&1 >/dev/null | grep -Eq '^[0-9]+,'; then
    host_counter=perf
  elif command -v valgrind >/dev/null; then
    host_counter=callgrind
  else
    die "neither perf (with an instructions counter) nor valgrind: cannot count host instructions"
  fi
fi
case $host_counter in
  perf | callgrind) command -v "${host_counter/callgrind/valgrind}" >/dev/null ||
    die "$host_counter not found" ;;
  *) die "HOST_COUNTER must be perf or callgrind" ;;
esac

# ------------------------------------------------------------- wdb-run
if [ -n "${WDB_RUN:-}" ]; then
  wdb_run=$WDB_RUN
else
  [ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" >/dev/null
  # incremental: the same runtime sources as the firmware built below
  cmake --build "$build" --target wdb-run -j"$jobs" >/dev/null || die "building wdb-run failed"
  wdb_run=$build/bin/wdb-run
fi
[ -x "$wdb_run" ] || die "no wdb-run at $wdb_run"
newer=$(find "$root/runtime/src" -newer "$wdb_run" -name 'wr_*' ! -name 'wr_wasi*' | head -n 3)
[ -z "$newer" ] || echo "bench: warning: newer than $wdb_run (the firmware is built from them):" \
  $newer >&2

mkdir -p "$work/src" "$work/out"
rm -f "$work"/out/*

# ------------------------------------------------------------- builds
echo "bench: building the kernels (host, Wasm) and the firmware images..." >&2
imgs=$work/images.cmake
{
  echo "# Written by bench/device-kernels.sh: its programs, one pair per kernel."
  echo "set(KB_MAIN \"$root/bench/device/kernel_main.c\")"
} >"$imgs"
targets=()
for k in "${kernels[@]}"; do
  spec "$k"
  src=$work/src/$k.c
  if [ -n "$subst" ]; then
    sed "$subst" "$root/bench/kernels/$k.c" >"$src.tmp"
    [ "$(diff "$root/bench/kernels/$k.c" "$src.tmp" | grep -c '^>')" = 1 ] ||
      die "$k: the size to shrink is no longer in bench/kernels/$k.c: update spec() in $0"
    mv "$src.tmp" "$src"
  else
    cp "$root/bench/kernels/$k.c" "$src"
  fi
  "$cc" -O2 "$src" -o "$work/$k.native" -lm || die "native build of $k failed"
  clang-22 --target=wasm32-wasi -Wno-deprecated -O2 "$src" -o "$work/$k.wasm" -lm ||
    die "Wasm build of $k failed"
  cat >>"$imgs" <<EOF
set(WDB_FW_WASM "$work/$k.wasm")
set(WDB_FW_ARGS_ASM "")
configure_file(\${CMAKE_CURRENT_SOURCE_DIR}/module.S.in \${CMAKE_CURRENT_BINARY_DIR}/kernel_$k-module.S @ONLY)
set_source_files_properties(\${CMAKE_CURRENT_BINARY_DIR}/kernel_$k-module.S PROPERTIES OBJECT_DEPENDS "$work/$k.wasm")
wdb_firmware_program(kernel_wasm_$k \${KB_MAIN} \${CMAKE_CURRENT_BINARY_DIR}/kernel_$k-module.S
  DEFINES KERNEL_WASM KERNEL_MODULE_NAME="$k.wasm" KERNEL_MAX_MEMORY=0x200000)
wdb_firmware_program(kernel_native_$k \${KB_MAIN} "$src" DEFINES KERNEL_NATIVE)
set_source_files_properties("$src" PROPERTIES COMPILE_DEFINITIONS "main=kernel_main;printf=kernel_printf"
  COMPILE_OPTIONS "-O2;-w")
EOF
  targets+=("kernel_wasm_$k" "kernel_native_$k")
done
# The host build's type and flags (-O2 -g -DNDEBUG) so that only the port
# differs; and, for the wdb column "-Os", the firmware's own default
# (MinSizeRel: -Os -g -DNDEBUG), what a device runs.
host_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt" 2>/dev/null)
fw_type=${host_type:-RelWithDebInfo}
wasm_targets=()
for t in "${targets[@]}"; do case $t in kernel_wasm_*) wasm_targets+=("$t") ;; esac; done
fw_build() { # DIR TYPE FLAGS TARGET... (FLAGS: the type's C flags, or "" for its default)
  local dir=$1 type=$2 flags=$3
  local ut
  ut=$(echo "$type" | tr a-z A-Z)
  shift 3
  cmake -S "$port" -B "$dir" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/arm-none-eabi.cmake" \
    -DCMAKE_BUILD_TYPE="$type" -DWDB_FIRMWARE_IMAGES_FILE="$imgs" \
    ${flags:+"-DCMAKE_C_FLAGS_$ut=$flags"} >"$dir.configure.log" 2>&1 ||
    die "configuring the firmware failed: see $dir.configure.log"
  cmake --build "$dir" -j"$jobs" --target "$@" >"$dir.build.log" 2>&1 ||
    die "building the firmware failed: see $dir.build.log"
}
fw_build "$work/fw" "$fw_type" "" "${targets[@]}"
fw_build "$work/fw-Os" MinSizeRel "" "${wasm_targets[@]}"
fw_flags=$(sed -n "s/^CMAKE_C_FLAGS_$(echo "$fw_type" | tr a-z A-Z):STRING=//p" "$work/fw/CMakeCache.txt")
# The host build's interpreter on the same core: the same flags with
# WR_PACK=0, the ops and handlers a 64-bit host runs (wr_code.h). Against
# it, the device's own choices alone, on one ISA.
fw_build "$work/fw-hostlayout" "$fw_type" "$fw_flags -DWR_PACK=0" "${wasm_targets[@]}"
os_flags=$(sed -n "s/^CMAKE_C_FLAGS_MINSIZEREL:STRING=//p" "$work/fw-Os/CMakeCache.txt")

# --------------------------------------------------------------- runs
# Each run writes OUT.txt (the program's stdout) and OUT.count (the
# instructions) or OUT.err (why it failed).
qemu_run() { # OUT ELF ARGS...
  local out=$1 elf=$2
  shift 2
  local st=0
  timeout 1800 qemu-system-arm -M mps2-an385 -nographic -monitor none -serial stdio \
    -semihosting-config enable=on,target=native -icount shift=0 \
    -kernel "$elf" -append "$*" </dev/null >"$out.raw" 2>"$out.stderr" || st=$?
  local line
  line=$(grep -a '^kernel-bench: ns ' "$out.raw" | tail -n 1) || true
  if [ $st -ne 0 ] || [ -z "$line" ]; then
    { echo "QEMU status $st: $(basename "$elf") $*"; tail -n 5 "$out.raw" "$out.stderr"; } >"$out.err"
    return
  fi
  { grep -av '^kernel-bench: ' "$out.raw" || true; } | tr -d '\r' >"$out.txt"
  set -- $line
  echo "$3" >"$out.count"
}

host_run() { # OUT CMD...
  local out=$1
  shift
  local st=0
  if [ "$host_counter" = perf ]; then
    perf stat -x, -e instructions:u -o "$out.perf" -- "$@" >"$out.txt" 2>"$out.stderr" || st=$?
    [ $st -eq 0 ] && awk -F, '$3 ~ /^instructions/ { print $1 }' "$out.perf" >"$out.count"
  else
    valgrind --tool=callgrind --callgrind-out-file=/dev/null --log-file="$out.vg" \
      "$@" >"$out.txt" 2>"$out.stderr" || st=$?
    [ $st -eq 0 ] && sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p' "$out.vg" >"$out.count"
  fi
  if [ $st -ne 0 ] || ! grep -Eq '^[0-9]+$' "$out.count" 2>/dev/null; then
    { echo "status $st: $*"; tail -n 5 "$out.stderr"; } >"$out.err"
    rm -f "$out.count"
  fi
}

# a job queue, $jobs at a time
pids=()
queue() {
  while [ "$(jobs -pr | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  "$@" &
}

o=$work/out
fw=$work/fw
first_native=$fw/kernel_native_${kernels[0]}.elf
# the clock check: 2 * N instructions of loop, for two N
queue qemu_run "$o/cal1" "$first_native" --calibrate 1000000
queue qemu_run "$o/cal2" "$first_native" --calibrate 6000000
for k in "${kernels[@]}"; do
  spec "$k"
  for size in base big; do
    arg=${!size}
    queue qemu_run "$o/$k.dev.wasm.$size" "$fw/kernel_wasm_$k.elf" "$arg"
    queue qemu_run "$o/$k.dev.native.$size" "$fw/kernel_native_$k.elf" "$arg"
    queue qemu_run "$o/$k.dev.wasmOs.$size" "$work/fw-Os/kernel_wasm_$k.elf" "$arg"
    queue qemu_run "$o/$k.dev.wasmHL.$size" "$work/fw-hostlayout/kernel_wasm_$k.elf" "$arg"
    queue host_run "$o/$k.host.wasm.$size" "$wdb_run" "$work/$k.wasm" "$arg"
    queue host_run "$o/$k.host.native.$size" "$work/$k.native" "$arg"
  done
done
wait

# ------------------------------------------------------------- checks
for f in "$o"/*.err; do
  [ -e "$f" ] || continue
  echo "bench: $(basename "$f" .err) failed:" >&2
  cat "$f" >&2
  exit 1
done
for r in cal1 cal2; do [ -s "$o/$r.count" ] || die "the run $r gave no count"; done
for k in "${kernels[@]}"; do
  for r in dev.wasm dev.wasmOs dev.wasmHL dev.native host.wasm host.native; do
    for size in base big; do
      [ -s "$o/$k.$r.$size.count" ] || die "the run $k.$r.$size gave no count"
    done
  done
done
c1=$(cat "$o/cal1.count") c2=$(cat "$o/cal2.count")
cal_expected=$((2 * (6000000 - 1000000)))
cal_got=$((c2 - c1))
# two readings of a 40 ns clock on each side: within 80
[ $((cal_got - cal_expected)) -le 80 ] && [ $((cal_expected - cal_got)) -le 80 ] ||
  die "the device clock does not count instructions: a loop of $cal_expected more instructions took $cal_got ns more (-icount shift=0)"

for k in "${kernels[@]}"; do
  for size in base big; do
    ref=$o/$k.host.native.$size.txt
    [ -s "$ref" ] || die "$k: the native host run printed nothing"
    for v in host.wasm dev.native dev.wasm dev.wasmOs dev.wasmHL; do
      if ! cmp -s "$ref" "$o/$k.$v.$size.txt"; then
        echo "bench: $k ($size input): the output of $v differs from the native host build's:" >&2
        diff "$ref" "$o/$k.$v.$size.txt" | head -n 10 >&2
        exit 1
      fi
    done
  done
done

# -------------------------------------------------------------- table
delta() { echo $(($(cat "$o/$1.big.count") - $(cat "$o/$1.base.count"))); }
mil() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1e6 }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
gm() { printf '%s\n' "$@" | awk '{ s += log($1); n++ } END { printf "%.2f", exp(s / n) }'; }
declare -A dw dn ds dl hw hn
for k in "${kernels[@]}"; do
  dw[$k]=$(delta "$k.dev.wasm") dn[$k]=$(delta "$k.dev.native") ds[$k]=$(delta "$k.dev.wasmOs")
  dl[$k]=$(delta "$k.dev.wasmHL")
  hw[$k]=$(delta "$k.host.wasm") hn[$k]=$(delta "$k.host.native")
  for v in "${dw[$k]}" "${dn[$k]}" "${ds[$k]}" "${dl[$k]}" "${hw[$k]}" "${hn[$k]}"; do
    [ "$v" -gt 0 ] || die "$k: a count did not grow with the input: larger inputs needed"
  done
done

echo "Instructions executed by each kernel's loop, in millions (a big input minus a small"
echo "one): wdb interpreting the kernel's .wasm, and the kernel compiled natively."
echo
row1() { printf '%-16s %-9s %11s %11s %11s %11s %11s %11s\n' "$@"; }
row1 "" "" "device" "device" "device" "device" "host" "host"
row1 kernel input "wdb" "wdb -Os" "host's wdb" "native" "wdb" "native"
for k in "${kernels[@]}"; do
  spec "$k"
  name=$k
  [ "$fp" = 1 ] && name="$k (fp)"
  row1 "$name" "$base->$big" "$(mil "${dw[$k]}")" "$(mil "${ds[$k]}")" "$(mil "${dl[$k]}")" \
    "$(mil "${dn[$k]}")" \
    "$(mil "${hw[$k]}")" "$(mil "${hn[$k]}")"
done
echo
echo "Interpreted over native, device and host, and the device's ratio over the host's"
echo "(across the ISAs), and on one core the device's interpreter over the host build's"
echo "(the answer: at or below 1, the port did not make interpreting slower):"
echo
row2() { printf '%-16s %8s %8s %9s | %8s %9s | %9s %9s | %9s\n' "$@"; }
row2 "" "device" "host" "dev/host" "device" "dev/host" "wdb" "native" "one core"
row2 kernel "" "" "" "-Os" "-Os" "dev/host" "dev/host" "dev/host's"
declare -A col
cols="d h q dOs qOs w n l"
for c in $cols; do col[$c]="" col[i$c]=""; done
for k in "${kernels[@]}"; do
  spec "$k"
  d=$(div "${dw[$k]}" "${dn[$k]}") h=$(div "${hw[$k]}" "${hn[$k]}") dOs=$(div "${ds[$k]}" "${dn[$k]}")
  q=$(div "$d" "$h") qOs=$(div "$dOs" "$h")
  w=$(div "${dw[$k]}" "${hw[$k]}") n=$(div "${dn[$k]}" "${hn[$k]}")
  l=$(div "${dw[$k]}" "${dl[$k]}")
  name=$k
  [ "$fp" = 1 ] && name="$k (fp)"
  row2 "$name" "${d}x" "${h}x" "$q" "${dOs}x" "$qOs" "$w" "$n" "$l"
  for c in $cols; do
    col[$c]+=" ${!c}"
    [ "$fp" = 1 ] || col[i$c]+=" ${!c}"
  done
done
gmrow() { # LABEL PREFIX
  local c v=()
  for c in $cols; do v+=("$(gm ${col[$2$c]})"); done
  row2 "$1" "${v[0]}x" "${v[1]}x" "${v[2]}" "${v[3]}x" "${v[4]}" "${v[5]}" "${v[6]}" "${v[7]}"
}
gmrow "geomean, all ${#kernels[@]}" ""
nint=$(wc -w <<<"${col[id]}")
if [ "$nint" -gt 0 ] && [ "$nint" -lt ${#kernels[@]} ]; then
  gmrow "geomean, integer" i
fi
one=$(gm ${col[il]:-${col[l]}})
verdict=$(awk -v x="$one" 'BEGIN { print (x <= 1 ? "met" : "MISSED") }')
echo
echo "speed target: the port no slower per guest instruction than the host build on one"
echo "core (integer geomean of 'one core') <= 1: $one, $verdict"
echo
echo "device: ARM (Thumb-2) instructions, QEMU $(qemu-system-arm --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')" \
  "-icount shift=0 (checked: a loop of $cal_expected more"
echo "  instructions read $cal_got ns more); firmware $fw_type ($fw_flags: the host build's),"
echo "  -Os: the firmware's default MinSizeRel ($os_flags); native: arm-none-eabi-gcc -O2"
echo "  -mcpu=cortex-m3, soft float"
echo "host: x86-64 instructions ($host_counter); $wdb_run; native: $cc -O2"
echo "one core: the device's wdb over the host build's interpreter (WR_PACK=0: the ops and"
echo "  handlers the host runs) built with the same flags for the same Cortex-M3:"
echo "  the port's own effect per guest instruction, on one ISA (below 1: faster)"
echo
echo "How to read it: one core at or below 1, the port did not make the interpreter slower"
echo "per guest instruction than the host build (same core, same flags). dev/host near 1"
echo "or below, the device interprets as well as the host relative to native code on each"
echo "machine; above 1, it takes that many times more. dev/host = (wdb dev/host) / (native"
echo "dev/host): wdb dev/host compares ARM with x86-64 instructions for the very same Wasm"
echo "instructions, native dev/host is the yardstick of the two ISAs on the kernel's C code."
echo "Above 1 is partly a 32-bit core's lot: 8-byte value slots (an i32 result also stores"
echo "a zero upper word), 64-bit bounds arithmetic of memory accesses, register pairs for"
echo "i64, loads where x86 has memory operands. (fp): soft float on the device, native and"
echo "interpreted alike, hides the dispatch: read the integer geomean. See the script's header."
