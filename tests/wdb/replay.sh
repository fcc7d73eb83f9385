#!/bin/bash
# wdb --replay: a run recorded with WDB_RECORD (as in CI) that trapped is
# debugged again from its trace. Against wdb-run: the session stops at the
# same trap, with the same locals; with --no-history and no trace the
# reverse commands are refused with gdb's words. Against a stub that runs
# backward, STUB
# (wdb-run itself, which keeps the history, or reverse_proxy.py with
# WDB_REVERSE_UPSTREAM): reverse-step goes back from the
# trap (in the middle of its line) to the start of that line, then to the
# line before; reverse-continue to the start of the history
# with gdb's message, and continue forward again to the same trap; `watch g`
# and reverse-continue stop at the writes to g, last first.
#   replay.sh WDB WDB_RUN STUB HISTORY.wasm
set -u
wdb=$1 runtime=$2 stub=$3 wasm=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }
has() { grep -qF -- "$2" "$1" && ok "$3" || bad "$3: no '$2' in: $(cat "$1")"; }
cd "$work" || exit 1
cp "$wasm" app.wasm
# the recording: argc 3, so the program divides by zero
WDB_RECORD=run.trace "$runtime" app.wasm a b >rec.out 2>rec.err
rc=$?
[ $rc = 134 ] && ok "recorded run trapped (134)" || bad "recorded run: status $rc"
[ -s run.trace ] && ok "trace written" || bad "no trace"

# wdb-run: the trap again
WDB_RUN=$runtime timeout 120 "$wdb" -batch --replay=run.trace -ex 'info locals' \
    -ex 'print last' -ex 'info record' app.wasm >plain.out 2>&1
rc=$?
[ $rc = 134 ] && ok "replay session status 134" || bad "replay session status $rc"
has plain.out "Program stopped by a Wasm trap: integer divide by zero" "stopped at the trap"
has plain.out "return last / zero;" "at the dividing line"
has plain.out '$1 = 9' "last = acc + argc = 6 + 3"
# info record: the snapshots wdb-run holds, within their limit (by default
# twice the linear memory)
hist=$(sed -n 's/^Snapshots: \([0-9]*\), holding \([0-9]*\) bytes of at most \([0-9]*\) .*/\1 \2 \3/p' plain.out)
if [ -n "$hist" ]; then
  set -- $hist
  [ "$1" -ge 1 ] && [ "$2" -gt 0 ] && [ "$2" -le "$3" ] \
    && ok "info record: $1 snapshots, $2 of at most $3 bytes" || bad "info record: $hist"
else
  bad "no info record answer in: $(cat plain.out)"
fi
# wdb-run --no-history (no trace): no reverse execution
WDB_RUN=$runtime timeout 120 "$wdb" -batch --runtime-arg=--no-history -ex run \
    -ex reverse-step -ex reverse-continue -ex 'info record' --args app.wasm a b >nohist.out 2>&1
n=$(grep -c "^Target does not support this command.$" nohist.out)
[ "$n" = 2 ] && ok "reverse commands refused" || bad "refusals: $n in: $(cat nohist.out)"
has nohist.out "No recording is currently active." "info record without a history"

# usage errors: status 2 and one line saying what is wrong
"$wdb" -batch --replay=run.trace >use1.out 2>&1
[ $? = 2 ] && has use1.out "wdb: --replay needs the program it recorded" "--replay without the program" \
    || bad "--replay without the program: $(cat use1.out)"
"$wdb" -batch --replay= app.wasm >use2.out 2>&1
[ $? = 2 ] && has use2.out "wdb: option '--replay' needs a trace file" "--replay= (empty)" \
    || bad "--replay=: $(cat use2.out)"
"$wdb" -batch --replay=run.trace -c x.core app.wasm >use3.out 2>&1
[ $? = 2 ] && has use3.out "cannot be used together" "--replay with --core" \
    || bad "--replay -c: $(cat use3.out)"

# a missing trace: wdb-run's error, no session
WDB_RUN=$runtime timeout 60 "$wdb" -batch --replay=nosuch.trace -ex bt app.wasm >missing.out 2>&1
has missing.out "cannot read trace nosuch.trace" "a missing trace is wdb-run's error"

# a stub that runs backward: from the trap back, then forward again
WDB_RUN=$stub timeout 300 "$wdb" -batch --replay=run.trace -ex reverse-step -ex reverse-step \
    -ex 'info locals' \
    -ex reverse-next -ex reverse-next -ex 'print g' -ex reverse-continue -ex continue -ex 'print last' \
    app.wasm >rev.out 2>&1
rc=$?
[ $rc = 134 ] && ok "reverse session ends at the trap (134)" || bad "reverse session status $rc"
n=$(grep -c "^24"$'\t'"        return last / zero;" rev.out)
[ "$n" = 3 ] && ok "reverse-step from the trap (mid-line): the start of its line first, as gdb" \
    || bad "line 24 shown $n times"
has rev.out "volatile int zero = 0;" "reverse-step: back to the line before the trap"
has rev.out "if (argc > 1) {" "reverse-next: one line back"
has rev.out "g = last;" "reverse-next: one more"
has rev.out '$1 = 6' "g before 'g = last' is the loop's last acc"
has rev.out "No more reverse-execution history." "reverse-continue: the start of the history"
n=$(grep -c "Program stopped by a Wasm trap: integer divide by zero" rev.out)
[ "$n" = 2 ] && ok "forward again to the same trap" || bad "trap stops: $n in: $(cat rev.out)"
has rev.out '$2 = 9' "the same values after going back and forth"

# a watchpoint run backward: reverse-continue stops at the last write, at
# the writing instruction, with gdb's "Old value" (after it) and "New value"
# (before it); once more, the write before that one; forward again, the next
WDB_RUN=$stub timeout 300 "$wdb" -batch --replay=run.trace -ex 'watch g' -ex reverse-continue \
    -ex reverse-continue -ex continue app.wasm >watch.out 2>&1
tr '\n' '|' <watch.out >watch.flat
has watch.flat "Hardware watchpoint 1: g||Old value = 9|New value = 6|0x" "reverse-continue: the last write (g = last)"
has watch.flat "history.c:21|21"$'\t'"    g = last;|" "... stopped on its line"
has watch.flat "Hardware watchpoint 1: g||Old value = 6|New value = 2|" "again: the loop's last write"
has watch.flat "history.c:18|18"$'\t'"        g = acc;|" "... on the loop's line"
has watch.flat "Hardware watchpoint 1: g||Old value = 2|New value = 6|" "forward again: the same write"
[ $fail = 0 ] || { echo "--- plain ---"; cat plain.out; echo "--- reverse ---"; cat rev.out; echo "--- watch ---"; cat watch.out; }
exit $fail
