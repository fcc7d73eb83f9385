#!/usr/bin/env bash
# A recording killed mid-way (SIGKILL, as a CI job's timeout does) leaves a
# trace that replays up to its last complete record: the recorder writes
# record by record. stdin_wc reads a first chunk, then blocks in fd_read on
# a FIFO and is killed there. The replay makes the calls recorded and stops
# at the next one with one clear error line (exit 1); `wdb --replay` stops
# there as at a trap, in fd_read called from main, to be inspected.
#
#   killed-trace.sh WDB_RUN WDB STDIN_WC.wasm
set -u
wdb_run=$1 wdb=$2 wasm=$3
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }
mkfifo "$work/in"
"$wdb_run" --record="$work/run.trace" "$wasm" <"$work/in" >"$work/rec.out" 2>&1 &
pid=$!
exec 7>"$work/in"
printf 'alpha beta\ngamma\n' >&7
# wait until the first read is in the trace (the recorder flushes each call)
for _ in $(seq 100); do
    [ "$(wc -c <"$work/run.trace" 2>/dev/null || echo 0)" -gt 40 ] && break
    sleep 0.05
done
sleep 0.2
kill -9 $pid
wait $pid 2>/dev/null
pid=
exec 7>&-
size=$(wc -c <"$work/run.trace")
[ "$size" -gt 32 ] && ok "the killed recording left $size bytes" || bad "trace of $size bytes"

"$wdb_run" --replay="$work/run.trace" "$wasm" </dev/null >"$work/out" 2>"$work/err"
rc=$?
[ $rc = 1 ] && ok "replay exit status 1" || bad "replay exit status $rc"
[ "$(wc -l <"$work/err")" = 1 ] && ok "one error line" || bad "stderr: $(cat "$work/err")"
grep -q "^wdb-run: error: the trace ends after call [1-9][0-9]*: the recorded run was cut off there (no END record: killed?); the replay stops at call [0-9]* (count [0-9]*) in __wasi_fd_read, calling fd_read$" "$work/err" \
    && ok "the message says where the trace ends" || bad "message: $(cat "$work/err")"

"$wdb" -batch --runtime="$wdb_run" --replay="$work/run.trace" -ex bt "$wasm" >"$work/wdb.out" 2>&1
grep -q "^Program stopped by a Wasm trap: the trace ends after call" "$work/wdb.out" \
    && ok "wdb --replay stops where the trace ends" || bad "wdb: $(cat "$work/wdb.out")"
grep -q "^#[0-9]* .* in main () at .*stdin_wc.c:" "$work/wdb.out" \
    && ok "main is on the stack there" || bad "bt: $(cat "$work/wdb.out")"
exit $fail
