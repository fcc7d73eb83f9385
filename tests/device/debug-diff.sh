#!/usr/bin/env bash
# A wdb session on the device must be the session on the host: the same
# commands, through `target remote`, once against wdb-run (-g, on this
# machine) and once against the firmware in QEMU (its UART 1 over TCP);
# wdb's transcripts must be identical (but for the address connected to),
# and so must the program's output (the firmware's console: stdout and
# stderr in one stream, "wdb-firmware:" where wdb-run says "wdb-run:") and
# exit status. The host's own transcripts are checked exactly by
# tests/wdb; this test says the device behaves the same.
#   debug-diff.sh --wdb WDB --wdb-run WDB_RUN --device STAND_IN --wasm APP.wasm
#                 --cmds CASE.wdb [--args "ARGS"]
# CASE.wdb is one of tests/wdb/cases: its `run` becomes `continue` (the
# program waits at its entry on both). STAND_IN is device-as-wdb-run.sh.
set -u
. "$(dirname "$0")/../wdb/cmds-as-ex.sh"
wdb="" wdb_run="" device="" wasm="" cmds="" args=""
while [ $# -gt 0 ]; do
    case "$1" in
    --wdb) wdb=$2; shift 2 ;;
    --wdb-run) wdb_run=$2; shift 2 ;;
    --device) device=$2; shift 2 ;;
    --wasm) wasm=$2; shift 2 ;;
    --cmds) cmds=$2; shift 2 ;;
    --args) args=$2; shift 2 ;;
    *) echo "debug-diff.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
work=$(mktemp -d "${TMPDIR:-/tmp}/wdb-devdiff.XXXXXX")
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
sed -e 's/^\(run\|r\)\( .*\)\?$/continue/' -e '/^#/d' "$cmds" >"$work/cmds.wdb"

# session SIDE RUNTIME: runs the commands against RUNTIME -g; leaves
# SIDE.out (wdb), SIDE.prog (the program's output), SIDE.status
session() {
    local side=$1 rt=$2 port="" st
    # from the module's folder, named without a path: argv[0] is then the
    # same on both sides (the firmware's is the module's name), and so is
    # where everything after it lies in memory
    # shellcheck disable=SC2086 # ARGS are words
    (cd "$(dirname "$wasm")" && exec "$rt" -g=127.0.0.1:0 "$(basename "$wasm")" $args) \
        >"$work/$side.stdout" 2>"$work/$side.stderr" &
    pid=$!
    for _ in $(seq 300); do
        port=$(sed -n 's/.*waiting for a debugger on port \([0-9][0-9]*\).*/\1/p' "$work/$side.stderr")
        [ -n "$port" ] && break
        sleep 0.05
    done
    if [ -z "$port" ]; then
        echo "FAIL: the $side did not say its port:"; cat "$work/$side.stderr"
        exit 1
    fi
    # each line its own -ex: a -O2 case's commands fail where a stop is
    # never reached, and a -x file would stop there
    cmds_as_ex "$work/cmds.wdb"
    timeout -k 5 120 "$wdb" -batch --rsp-log="$work/$side.rsp" -ex "target remote 127.0.0.1:$port" \
        "${ex_args[@]}" "$wasm" \
        >"$work/$side.out" 2>&1 </dev/null
    for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill "$pid" 2>/dev/null
    wait "$pid"
    st=$?
    pid=""
    echo "$st" >"$work/$side.status"
    sed -i "s/^Remote debugging using 127\\.0\\.0\\.1:$port$/Remote debugging using PORT/" "$work/$side.out"
    # the program's lines, in one stream (a device has one console)
    cat "$work/$side.stdout" "$work/$side.stderr" |
        sed -e '/^wdb-run: waiting for a debugger on port/d' -e 's/^wdb-run:/wdb-firmware:/' |
        sort >"$work/$side.prog"
}
session host "$wdb_run"
session device "$device"

fail=0
if ! diff -u "$work/host.out" "$work/device.out" >"$work/diff"; then
    echo "FAIL: wdb's transcript on the device differs from the host's:"
    cat "$work/diff"
    fail=1
fi
if ! diff -u "$work/host.prog" "$work/device.prog" >"$work/pdiff"; then
    echo "FAIL: the program's output differs (sorted lines, host then device):"
    cat "$work/pdiff"
    fail=1
fi
hs=$(cat "$work/host.status") ds=$(cat "$work/device.status")
[ "$hs" = "$ds" ] || { echo "FAIL: exit status: host $hs, device $ds"; fail=1; }
# both sides failing alike is no pass: the session must have debugged
grep -q '^Remote debugging using PORT$' "$work/device.out" || { echo "FAIL: no connection"; fail=1; }
grep -qE 'stub did not answer|Remote connection closed|cannot connect' "$work/device.out" &&
    { echo "FAIL: the session lost the program"; fail=1; }
[ "$(wc -l <"$work/device.out")" -gt 8 ] || { echo "FAIL: the session printed almost nothing"; fail=1; }
if [ $fail = 0 ]; then
    echo "PASS: $(basename "$cmds" .wdb) on the device = on the host ($(wc -l <"$work/device.out") lines, exit $ds)"
else
    echo "--- device transcript:"; cat "$work/device.out"
    echo "--- device console:"; cat "$work/device.stdout"
    echo "--- device packets (the last 60):"; tail -n 60 "$work/device.rsp"
fi
exit $fail
