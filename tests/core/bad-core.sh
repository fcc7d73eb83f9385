#!/bin/bash
# Bad core files for `wdb -c`: truncated at many lengths, bytes flipped,
# a core of another module, a module without DWARF. Each gets a clear
# message or a usable session, never a crash (status >= 128) or a hang.
#   bad-core.sh WDB WDB_RUN TRAPS_O0.wasm TRAPS_O2.wasm TRAPS_C
set -u
wdb=$1 runtime=$2 o0=$3 o2=$4 src=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
"$runtime" --core-on-trap="$work/div.core" "$o0" div >/dev/null 2>&1
[ -s "$work/div.core" ] || { echo "FAIL: no core to start from"; exit 1; }
size=$(stat -c %s "$work/div.core")
# run NAME CORE MODULE: wdb -batch -ex bt -c CORE MODULE; output in $work/NAME.out
run() {
    timeout 30 "$wdb" -batch -ex bt -ex 'info locals' -ex 'print g_zero' -c "$2" "$3" \
        >"$work/$1.out" 2>&1
    local st=$?
    if [ $st -ge 124 ]; then bad "$1: status $st (crash or hang)"; cat "$work/$1.out"; fi
    return 0
}
# truncations: every length up to 200 bytes, then every 997th
n=0
for len in $(seq 0 200) $(seq 201 997 "$size"); do
    head -c "$len" "$work/div.core" > "$work/t.core"
    run trunc "$work/t.core" "$o0"
    grep -q "t\.core: \|Core was generated" "$work/trunc.out" || {
        bad "truncated to $len bytes: no clear message"; cat "$work/trunc.out"; }
    n=$((n + 1))
done
echo "ok: $n truncated cores"
# flipped bytes: a deterministic walk over the file
n=0
for off in $(seq 8 61 "$size"); do
    cp "$work/div.core" "$work/f.core"
    printf '\xff' | dd of="$work/f.core" bs=1 seek="$off" conv=notrunc 2>/dev/null
    run flip "$work/f.core" "$o0"
    n=$((n + 1))
done
echo "ok: $n cores with a byte flipped"
# another module's core
run other "$work/div.core" "$o2"
grep -q "core file is for another module" "$work/other.out" || {
    bad "a core of another module was not refused"; cat "$work/other.out"; }
echo "ok: another module's core refused: $(grep -m1 'another module' "$work/other.out")"
# not a core at all
printf 'not a core' > "$work/text.core"
run text "$work/text.core" "$o0"
grep -q "not a WebAssembly\|not a core\|bad magic" "$work/text.out" || {
    bad "a text file was not refused clearly"; cat "$work/text.out"; }
run missing "$work/no-such.core" "$o0"
grep -q "no-such.core" "$work/missing.out" || bad "a missing core file was not named"
# a module without DWARF: function names from the name section
clang-22 --target=wasm32-wasi -Wno-deprecated -O0 "$src" -o "$work/nodwarf.wasm" || exit 1
"$runtime" --core-on-trap="$work/nodwarf.core" "$work/nodwarf.wasm" div >/dev/null 2>&1
run nodwarf "$work/nodwarf.core" "$work/nodwarf.wasm"
grep -q "^#0  0x[0-9a-f]* in divide ()" "$work/nodwarf.out" || {
    bad "no DWARF: bt does not name divide"; cat "$work/nodwarf.out"; }
grep -q "^#1  0x[0-9a-f]* in main ()" "$work/nodwarf.out" || bad "no DWARF: bt does not name main"
echo "ok: post-mortem without DWARF names the frames"
exit $fail
