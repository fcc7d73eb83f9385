#!/usr/bin/env bash
# Bytes on the device's serial line (UART 1) for two debugging tasks, with
# the firmware in QEMU and wdb on the host (not a test: prints figures and
# their targets):
#   1. attach to the first backtrace with locals: `target remote`, `break
#      main`, `continue`, `bt`, `info locals`;
#   2. one `next` over a one-line loop of 200 iterations
#      (bench/programs/loop200.c): the session with the `next` less the
#      same session without it.
# A counting relay between wdb and QEMU's TCP serial counts every byte each
# way (packets, acks, framing); the request count comes from wdb's packet
# log. Code is never read over the line: wdb has the module.
#   bench/device-wire.sh [BUILD_DIR]   (default: build; work files in BUILD_DIR/bench-wire)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
wdb=$build/bin/wdb
work=$build/bench-wire
die() { echo "bench: $*" >&2; exit 1; }
for t in clang-22 arm-none-eabi-gcc qemu-system-arm python3; do
  command -v "$t" >/dev/null || die "$t not found: run scripts/install-deps.sh"
done
[ -x "$wdb" ] || die "build first: cmake --build $build"
mkdir -p "$work"
src=$root/bench/programs/loop200.c
line=$(grep -n 'LINE_LOOP' "$src" | cut -d: -f1)
clang-22 --target=wasm32-wasi -Wno-deprecated -g -O0 "$src" -o "$work/loop200.wasm"
echo "wdb_firmware_image(wire \"$work/loop200.wasm\" DEBUGGER WAIT MAX_MEMORY 1048576)" >"$work/images.cmake"
cmake -S "$root/runtime/port/mps2-an385" -B "$work/fw" \
  -DCMAKE_TOOLCHAIN_FILE="$root/cmake/arm-none-eabi.cmake" \
  -DWDB_FIRMWARE_IMAGES_FILE="$work/images.cmake" >/dev/null
cmake --build "$work/fw" -j2 >/dev/null || die "building the firmware failed"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# session NAME WDB-ARGS...: the firmware in QEMU, a counting relay, wdb
# through it; leaves NAME.bytes ("IN OUT": to the device, from it) and
# NAME.log (packets)
session() {
  local name=$1 qport rport
  shift
  qport=$(free_port)
  qemu-system-arm -M mps2-an385 -nographic -monitor none -serial file:"$work/$name.uart0" \
    -serial "tcp:127.0.0.1:$qport,server=on,wait=off,nodelay=on" \
    -semihosting-config enable=on,target=native -kernel "$work/fw/wire.elf" </dev/null &
  local qpid=$!
  rport=$(free_port)
  python3 - "$rport" "$qport" "$work/$name.bytes" <<'PY' &
import socket, sys, threading, time
lport, qport, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", lport)); ls.listen(1)
c, _ = ls.accept()
for _ in range(200):
    try:
        d = socket.create_connection(("127.0.0.1", qport)); break
    except OSError:
        time.sleep(0.02)
count = [0, 0]
def pump(a, b, k):
    while True:
        try:
            data = a.recv(65536)
        except OSError:
            data = b""
        if not data:
            break
        count[k] += len(data)
        try:
            b.sendall(data)
        except OSError:
            break
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
t = [threading.Thread(target=pump, args=(c, d, 0)), threading.Thread(target=pump, args=(d, c, 1))]
for x in t: x.start()
for x in t: x.join()
open(out, "w").write("%d %d\n" % (count[0], count[1]))
PY
  local ppid=$!
  sleep 0.3
  timeout 60 "$wdb" -batch --rsp-log="$work/$name.log" -ex "target remote 127.0.0.1:$rport" "$@" \
    "$work/loop200.wasm" >"$work/$name.out" 2>&1 || true
  wait "$ppid" 2>/dev/null || true
  kill "$qpid" 2>/dev/null || true
  wait "$qpid" 2>/dev/null || true
  [ -s "$work/$name.bytes" ] || die "$name: the relay counted nothing"
}
total() { awk '{ print $1 + $2 }' "$work/$1.bytes"; }
reqs() { grep -c '^->' "$work/$1.log"; }

session attach -ex 'break main' -ex continue -ex bt -ex 'info locals'
grep -q '^n = ' "$work/attach.out" || die "no locals in the attach session: $(cat "$work/attach.out")"
session before -ex "break loop200.c:$line" -ex continue
session next -ex "break loop200.c:$line" -ex continue -ex next
grep -q "^$((line + 1))[[:space:]]" "$work/next.out" || die "next did not reach line $((line + 1)): $(tail -3 "$work/next.out")"

a=$(total attach) b=$(total before) n=$(total next)
nb=$((n - b)) nr=$(( $(reqs next) - $(reqs before) ))
printf '%-58s %8s %9s %s\n' "bytes on the serial line (both ways, framing and acks)" bytes requests target
printf '%-58s %8d %9d %s\n' "attach to the first backtrace with locals" "$a" "$(reqs attach)" "< 4096"
printf '%-58s %8d %9d %s\n' "one next over a one-line loop of 200 iterations" "$nb" "$nr" "< 512"
[ "$a" -lt 4096 ] && echo "  -> attach: within the target" || echo "  -> attach: OVER the target"
[ "$nb" -lt 512 ] && echo "  -> next: within the target" || echo "  -> next: OVER the target"
