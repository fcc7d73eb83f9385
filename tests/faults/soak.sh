#!/usr/bin/env bash
# Soak: one debugger session with 10,000 breakpoint hits and 10,000 single
# steps on wdb-run (tests/faults/loop.c, `count`), driven by fault_rsp.c
# over TCP. wdb-run's VmRSS (/proc/PID/status) is read before the first
# hit, after it (what the first stop allocates once), after the hits and
# after the steps; it must stay flat: growth from the first hit to the end
# below LIMIT_KB (1 MiB). Prints the figures. Bounded: well under 60 s.
#
#   soak.sh WDB_RUN WDB FAULT_RSP LOOP.wasm [HITS [STEPS]]
set -u
wdbrun=$1 wdb=$2 client=$3 wasm=$4 hits=${5:-10000} steps=${6:-10000}
LIMIT_KB=1024
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$work"' EXIT
tick=$("$wdb" resolve "$wasm" tick | awk '/^tick:/ { print $2 }')
[ -n "$tick" ] || { echo "FAIL: no code offset for tick in $wasm"; exit 1; }
# enough ticks for every hit, and for the steps after the last one
"$wdbrun" -g=127.0.0.1:0 "$wasm" count $((hits + steps)) >"$work/out" 2>"$work/err" &
pid=$!
port=
for _ in $(seq 1 200); do
    port=$(sed -n 's/^wdb-run: waiting for a debugger on port \([0-9]*\)$/\1/p' "$work/err")
    [ -n "$port" ] && break
    sleep 0.05
done
[ -n "$port" ] || { echo "FAIL: wdb-run did not report its port"; exit 1; }
start=$(date +%s%N)
"$client" --wasm "$wasm" "$port" p:QStartNoAckMode "soak:$tick:$hits:$steps:$pid" p:c 'expect:^W00$' \
    >"$work/client" 2>&1
st=$?
end=$(date +%s%N)
wait "$pid"
rst=$?
pid=
grep '^soak:' "$work/client"
echo "soak: session $(( (end - start) / 1000000 )) ms; wdb-run exit status $rst, output '$(cat "$work/out")'"
fail=0
if [ $st -ne 0 ]; then
    echo "FAIL: the session did not complete:"
    tail -5 "$work/client"
    exit 1
fi
[ $rst -eq 0 ] && grep -qx "ticks $((hits + steps))" "$work/out" || { echo "FAIL: the program did not end normally"; fail=1; }
read -r first last < <(sed -n 's/^soak: VmRSS kB: start [0-9-]*, after the first hit \([0-9-]*\), after the hits [0-9-]*, after the steps \([0-9-]*\)$/\1 \2/p' "$work/client")
if [ -z "${first:-}" ] || [ "$first" -lt 0 ] || [ $((last - first)) -ge $LIMIT_KB ]; then
    echo "FAIL: wdb-run's VmRSS grew from ${first:-?} kB to ${last:-?} kB (limit +$LIMIT_KB kB)"
    fail=1
else
    echo "ok: wdb-run's VmRSS flat: ${first} kB after the first hit, ${last} kB at the end (+$((last - first)) kB, limit +$LIMIT_KB kB)"
fi
exit $fail
