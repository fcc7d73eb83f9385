#!/bin/bash
# `target remote` to a program already running under `wdb-run --gdb-listen`
# (a device): the attach interrupts it where it runs, values are read,
# `detach` lets it run on; a second debugger attaches later, changes a
# variable, continues, and sees the program exit because of the change.
# With `serial`, the same over a serial line (a pty pair made by socat, as
# a USB-serial adapter to a device would be): wdb-run --gdb-tty on one
# end, `wdb -b 115200 -ex 'target remote /dev/pts/N'` on the other.
#   attach.sh WDB WDB_RUN SPIN.wasm [serial]
set -u
wdb=$1 runtime=$2 wasm=$3 mode=${4:-tcp}
work=$(mktemp -d)
pid= spid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; [ -n "$spid" ] && kill $spid 2>/dev/null; rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
wdbopt=()
if [ "$mode" = serial ]; then
    socat pty,raw,echo=0,link="$work/dev" pty,raw,echo=0,link="$work/host" 2>"$work/socat.err" &
    spid=$!
    for _ in $(seq 100); do [ -e "$work/dev" ] && [ -e "$work/host" ] && break; sleep 0.05; done
    [ -e "$work/host" ] || { echo "FAIL: socat made no pty pair"; cat "$work/socat.err"; exit 1; }
    "$runtime" --gdb-listen --gdb-tty="$(readlink "$work/dev")" --gdb-baud=115200 "$wasm" \
        >"$work/prog.out" 2>"$work/prog.err" &
    pid=$!
    where=$(readlink "$work/host")
    wdbopt=(-b 115200)
else
    "$runtime" --gdb-listen=127.0.0.1:0 "$wasm" >"$work/prog.out" 2>"$work/prog.err" &
    pid=$!
    port=
    for _ in $(seq 100); do
        port=$(sed -n 's/.*debugger port \([0-9][0-9]*\).*/\1/p' "$work/prog.err")
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { echo "FAIL: wdb-run did not say its port"; cat "$work/prog.err"; exit 1; }
    where=127.0.0.1:$port
fi
sleep 0.5 # let it spin
timeout 60 "$wdb" "${wdbopt[@]}" -batch -ex "target remote $where" -ex 'bt 1' \
    -ex 'print g_iterations > 1000' -ex 'info program' -ex detach "$wasm" >"$work/a1.out" 2>&1
grep -q "^Remote debugging using $where$" "$work/a1.out" || bad "first attach not announced"
grep -qE '^#0  0x[0-9a-f]+ in main \(\) at .*spin\.c:[0-9]+$' "$work/a1.out" ||
    bad "the attach did not stop the program in its loop"
grep -q '^\$1 = 1$' "$work/a1.out" || bad "g_iterations not read (or the program did not run)"
grep -q '^\[Inferior 1 (remote) detached\]$' "$work/a1.out" || bad "detach not confirmed"
kill -0 $pid 2>/dev/null || bad "the program did not survive the detach"
sleep 0.3
timeout 60 "$wdb" "${wdbopt[@]}" -batch -ex "target remote $where" -ex 'set var g_stop = 1' \
    -ex continue "$wasm" >"$work/a2.out" 2>&1
grep -q 'exited with code 52\]$' "$work/a2.out" || bad "second session did not see the exit (42)"
wait $pid
st=$?
pid=
[ $st = 42 ] || bad "wdb-run exited with $st, expected 42"
grep -q "stopped after the debugger's request" "$work/prog.out" || bad "the program did not see g_stop"
if [ $fail != 0 ]; then
    for f in a1 a2; do echo "--- $f:"; cat "$work/$f.out"; done
    echo "--- wdb-run:"; cat "$work/prog.err"
fi
[ $fail = 0 ] && echo "PASS ($mode): attach, read, detach, re-attach, change, continue to the exit"
exit $fail
