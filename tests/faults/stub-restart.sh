#!/bin/bash
# The device's stub goes away under the bridge and comes back: `wdb` attached
# to `wdb-run --gdb-listen` sees the connection lost (a clear error, the
# session stays usable), the device's program is restarted, and the same
# `wdb` attaches to the new stub and debugs it (breakpoint, bt, detach).
#   stub-restart.sh WDB_RUN WDB LOOP.wasm
set -u
runtime=$1 wdb=$2 wasm=$3
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; exec 3>&- 2>/dev/null; rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
start_stub() { # $1: log name; sets port, pid
    "$runtime" --gdb-listen=127.0.0.1:0 "$wasm" spin >"$work/$1.out" 2>"$work/$1.err" &
    pid=$!
    pids+=("$pid")
    port=
    for _ in $(seq 100); do
        port=$(sed -n 's/.*debugger port \([0-9][0-9]*\).*/\1/p' "$work/$1.err")
        [ -n "$port" ] && return 0
        sleep 0.1
    done
    echo "FAIL: wdb-run did not say its port"; cat "$work/$1.err"; exit 1
}
# the transcript without the prompts that start its lines (stdin is a pipe)
plain() { sed 's/^\((wdb) \)*//' "$work/wdb.out"; }
# wait until the wdb transcript has a line matching $1 (10 s)
wait_for() {
    for _ in $(seq 200); do plain | grep -qE "$1" && return 0; sleep 0.05; done
    return 1
}
mkfifo "$work/in"
"$wdb" -q "$wasm" <"$work/in" >"$work/wdb.out" 2>&1 &
wpid=$!
pids+=("$wpid")
exec 3>"$work/in"
start_stub first
p1=$pid
echo "target remote 127.0.0.1:$port" >&3
wait_for '^Remote debugging using' || bad "first attach not announced"
echo "bt 1" >&3
wait_for '^#0 ' || bad "no frame from the first stub"
# the device restarts its program: the stub goes away under wdb
kill -9 "$p1"
wait "$p1" 2>/dev/null
echo "continue" >&3
wait_for 'connection to the stub was lost|lost|The program is not being run' ||
    bad "the lost connection was not reported"
echo "bt" >&3
sleep 0.3
start_stub second
p2=$pid
echo "target remote 127.0.0.1:$port" >&3
for _ in $(seq 100); do [ "$(plain | grep -c '^Remote debugging using')" = 2 ] && break; sleep 0.05; done
[ "$(plain | grep -c '^Remote debugging using')" = 2 ] || bad "second attach not announced"
echo "break tick" >&3
echo "continue" >&3
wait_for '^Breakpoint 1, ' || bad "no breakpoint hit on the restarted program"
echo "bt 2" >&3
echo "set var g_stop = 1" >&3
echo "delete" >&3
echo "detach" >&3
wait_for 'detached\]$' || bad "detach from the second stub not confirmed"
echo "quit" >&3
exec 3>&-
wait "$wpid"
wrc=$?
[ $wrc = 0 ] || bad "wdb exited with $wrc"
wait "$p2"
st=$?
[ $st = 3 ] || bad "the restarted program ended with $st, expected 3 (stopped by g_stop)"
if [ $fail != 0 ]; then echo "--- wdb:"; cat "$work/wdb.out"; fi
[ $fail = 0 ] && echo "PASS: connection loss reported, the same wdb attached to the restarted stub"
exit $fail
