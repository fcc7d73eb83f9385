#!/bin/bash
# e2e.rust.wdb.panic-message: for each kind of panic programs/panic.rs has
# (its argument: a message with integers, an index out of bounds, unwrap on
# None, strings), wdb stopped at the panic of the Wasm build must say what
# the native build's panic hook says: "Program panicked at 'MESSAGE',
# FILE:LINE:COL" against "thread 'main' panicked at 'MESSAGE',
# FILE:LINE:COL" (both builds are given the same absolute source path).
# Then the crash report of CI (tests/core/crash-report.sh): with
# --annotate=github and WDB_CORE_ON_TRAP, the ::error line names the
# panic's file and line with its message, and the core, opened with
# `wdb -c`, says the same panic.
# Last, the same program without DWARF (NODEBUG.wasm, std's stripped too):
# the panic is still recognised from the frames' names, without its
# message ("Program panicked (Wasm trap: ...)").
#   panic-vs-native.sh WDB WDB_RUN NATIVE WASM NODEBUG.wasm
set -u
unset RUST_BACKTRACE
wdb=$1 runtime=$2 native=$3 wasm=$4 nodebug=$5
fail=0
for how in "" index unwrap text; do
    want=$("$native" $how 2>&1 | sed -n "s/^thread 'main' panicked at //p")
    got=$(WDB_RUN=$runtime timeout 60 "$wdb" -batch -ex run --args "$wasm" $how 2>&1 |
        sed -n 's/^Program panicked at \(.*\) (Wasm trap: .*)\.$/\1/p')
    if [ -z "$want" ] || [ "$want" != "$got" ]; then
        echo "FAIL: panic '$how': native: [$want] wdb: [$got]"
        fail=1
    else
        echo "panic '$how': $got"
    fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
want=$("$native" 2>&1 | sed -n "s/^thread 'main' panicked at //p")
file=$(sed -n "s/^'.*', \(.*\):[0-9]*:[0-9]*$/\1/p" <<<"$want")
line=$(sed -n "s/^'.*', .*:\([0-9]*\):[0-9]*$/\1/p" <<<"$want")
live=$(WDB_CORE_ON_TRAP=$work/app.core WDB_RUN=$runtime timeout 60 "$wdb" -batch --annotate=github \
    -ex run --args "$wasm" 2>&1)
if ! grep -qF "::error file=$file,line=$line,title=Wasm trap::panicked at $want in " <<<"$live"; then
    echo "FAIL: no ::error annotation at $file:$line with the panic: $(grep '^::error' <<<"$live")"
    fail=1
fi
post=$(timeout 60 "$wdb" -batch -c "$work/app.core" "$wasm" 2>&1)
if ! grep -qF "Program terminated by a panic at $want (Wasm trap: " <<<"$post"; then
    echo "FAIL: the core does not say the panic: $post"
    fail=1
fi
bare=$(WDB_RUN=$runtime timeout 60 "$wdb" -batch -ex run "$nodebug" 2>&1)
if ! grep -qx 'Program panicked (Wasm trap: unreachable (unreachable)).' <<<"$bare"; then
    echo "FAIL: without DWARF the panic is not recognised: $(grep '^Program' <<<"$bare")"
    fail=1
fi
[ $fail = 0 ] && echo "PASS: the panic messages and locations agree (live, annotation, core; without DWARF: recognised)"
exit $fail
