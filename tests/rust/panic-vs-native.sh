#!/bin/bash
# e2e.rust.wdb.panic-message: for each kind of panic programs/panic.rs has
# (its argument: a message with integers, an index out of bounds, unwrap on
# None, strings), wdb stopped at the panic of the Wasm build must say what
# the native build's panic hook says: "Program panicked at 'MESSAGE',
# FILE:LINE:COL" against "thread 'main' panicked at 'MESSAGE',
# FILE:LINE:COL" (both builds are given the same absolute source path).
#   panic-vs-native.sh WDB WDB_RUN NATIVE WASM
set -u
unset RUST_BACKTRACE
wdb=$1 runtime=$2 native=$3 wasm=$4
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
[ $fail = 0 ] && echo "PASS: the panic messages and locations agree"
exit $fail
