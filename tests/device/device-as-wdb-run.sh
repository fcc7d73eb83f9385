#!/usr/bin/env bash
# The device standing in for wdb-run in the debugger tests: the firmware
# image runs the program in QEMU's mps2-an385, its UART 1 (the stub's
# serial line) carried over TCP, its UART 0 (the console) on our stdout. It
# takes the options of wdb-run that the session scripts use, so the same
# scripts drive a device (tests/lldb/run-lldb.sh, tests/wdb/attach.sh,
# tests/wdb/interop.sh, tests/device/debug-diff.sh):
#
#   device-as-wdb-run.sh -g=ADDR:PORT | --gdb-listen=ADDR:PORT [--gdb-log=F] APP.wasm [ARGS]
#
# -g uses the image built to wait at its entry for a debugger, --gdb-listen
# the one that runs at once. The images are named by the module:
# $WDB_DEVICE_FW_DIR/dbg_NAME.wait.elf and dbg_NAME.run.elf, NAME the
# module's file name without .wasm and without a session copy's prefix;
# ARGS are linked into the image at build time (as a device's are), so they
# must match what the image was built with (it is not checked here).
# ADDR:PORT's port is ignored: QEMU listens on a free port of 127.0.0.1,
# announced on stderr as wdb-run does ("waiting for a debugger on port N",
# "debugger port N"). The exit status is the program's (semihosting).
# Environment: WDB_QEMU (qemu-system-arm), WDB_DEVICE_FW_DIR.
set -u
qemu=${WDB_QEMU:-qemu-system-arm}
fwdir=${WDB_DEVICE_FW_DIR:?WDB_DEVICE_FW_DIR is not set}
kind="" wasm=""
for a in "$@"; do
    case "$a" in
    -g=* | --gdb=*) kind=wait ;;
    --gdb-listen=* | --gdb-listen) kind=run ;;
    --gdb-log=*) ;; # the device's packets are not logged here
    -*) echo "device-as-wdb-run.sh: unsupported option $a" >&2; exit 2 ;;
    *) [ -z "$wasm" ] && wasm=$a ;;
    esac
done
[ -n "$kind" ] && [ -n "$wasm" ] || { echo "usage: device-as-wdb-run.sh -g=A:P|--gdb-listen=A:P APP.wasm" >&2; exit 2; }
name=$(basename "$wasm" .wasm)
fw=$fwdir/dbg_$name.$kind.elf
[ -f "$fw" ] || { echo "device-as-wdb-run.sh: no firmware image $fw for $wasm" >&2; exit 1; }

# a free port of 127.0.0.1 (QEMU needs one named), then wait until QEMU
# listens there (/proc/net/tcp: state 0A); another process may take the
# port in between: then try again
listening() {
    local hex
    hex=$(printf '%04X' "$1")
    grep -q "^ *[0-9]*: 0100007F:$hex 00000000:0000 0A" /proc/net/tcp
}
qpid=""
trap '[ -n "$qpid" ] && kill "$qpid" 2>/dev/null' TERM INT EXIT
for _ in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$qemu" -M mps2-an385 -nographic -monitor none -serial stdio \
        -serial "tcp:127.0.0.1:$port,server=on,wait=off,nodelay=on" \
        -semihosting-config enable=on,target=native -kernel "$fw" </dev/null &
    qpid=$!
    for _ in $(seq 200); do
        listening "$port" && break
        kill -0 "$qpid" 2>/dev/null || break
        sleep 0.02
    done
    listening "$port" && break
    wait "$qpid" 2>/dev/null
    qpid=""
done
[ -n "$qpid" ] || { echo "device-as-wdb-run.sh: QEMU did not start" >&2; exit 1; }
if [ "$kind" = wait ]; then
    echo "wdb-run: waiting for a debugger on port $port" >&2
else
    echo "wdb-run: debugger port $port" >&2
fi
wait "$qpid"
rc=$?
qpid=""
exit $rc
