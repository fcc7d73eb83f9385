#!/bin/bash
# e2e.rust.run.panic: a panicking Rust program's native build and Wasm
# build (under wdb-run) print the same standard output and the same panic
# message ("thread 'main' panicked at ..."). Then the native build unwinds
# and exits with 101, while the Wasm one (panic=abort) traps on
# `unreachable`, which wdb-run reports (exit status 134).
# Each kind of panic programs/panic.rs has (its argument) is checked.
#   run-panic.sh NATIVE WDB_RUN WASM
set -u
unset RUST_BACKTRACE # the native build would print its own backtrace
for how in "" index unwrap text; do
n=$("$1" $how 2>&1; echo "status=$?")
w=$("$2" "$3" $how 2>&1; echo "status=$?")
# what differs by design: Rust's backtrace hint, wdb-run's trap report
f() { grep -v "^note: run with\|^wdb-run: \|^  #" | sed 's/^status=.*/status/'; }
diff <(f <<<"$n") <(f <<<"$w") || { echo "FAIL: panic '$how': the outputs differ (< native, > wasm)"; exit 1; }
grep -q "panicked at '" <<<"$n" || { echo "FAIL: the native build did not panic"; exit 1; }
grep -q '^status=101$' <<<"$n" || { echo "FAIL: native exit status, not 101"; exit 1; }
grep -q '^status=134$' <<<"$w" || { echo "FAIL: wdb-run exit status, not 134"; exit 1; }
grep -q '^wdb-run: trap: unreachable' <<<"$w" || { echo "FAIL: no unreachable trap"; exit 1; }
echo "panic '$how': the same output"
done
echo same
