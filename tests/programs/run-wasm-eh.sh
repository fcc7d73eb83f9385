#!/usr/bin/env bash
# Runs wasm_eh.wasm (wasm_eh.cpp, one of the two exception-handling forms)
# under wdb-run: caught exceptions and the destructors of the frames they
# unwind give one line and status 0; `uncaught` makes wdb-run report the
# exception that escapes as a trap (status 134).
#   run-wasm-eh.sh WDB-RUN WASM
set -u
run=$1 wasm=$2
out=$("$run" "$wasm" 2>&1)
rc=$?
want="caught 5, destructors ran for 1550"
if [ "$rc" != 0 ] || [ "$out" != "$want" ]; then
  echo "FAIL: $wasm: want \"$want\" and status 0, got status $rc:"; echo "$out"; exit 1
fi
out=$("$run" "$wasm" uncaught 2>&1)
rc=$?
if [ "$rc" != 134 ] || ! grep -q '^wdb-run: trap: uncaught exception (uncaught_exception)$' <<<"$out"; then
  echo "FAIL: $wasm uncaught: want the uncaught exception trap and status 134, got $rc:"
  echo "$out"; exit 1
fi
echo "ok: $wasm"
