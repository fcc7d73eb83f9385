#!/bin/bash
# A CI crash report and its core file, for one kind of trap:
#   1. `wdb -batch --annotate=github -ex run -ex bt -ex 'info locals'` with
#      WDB_CORE_ON_TRAP set (the harness needs no other change): exit status
#      134, the trap named, frame #0 in the trapping function at the line of
#      the trapping statement, main at the line of its call, every frame
#      down to main with a function name and file:line, a GitHub ::error
#      line on that source line, and the core file written;
#   2. `wdb -c CORE APP.wasm` (post-mortem): the same backtrace, locals and
#      arguments, source listing, frame description and memory (`x`), line
#      for line, as the live stop; `wdb core CORE APP.wasm` the same again;
#   3. the core without wdb's own sections (wdb.module, wdb.trap), as any
#      runtime following Coredump.md writes it (check_core --strip-wdb):
#      the same again, the trap's kind unknown.
#   crash-report.sh WDB WDB_RUN CHECK_CORE APP.wasm SOURCE.c KIND MESSAGE FUNC FUNC_LINE_TEXT MAIN_LINE_TEXT
#     FUNC_LINE_TEXT / MAIN_LINE_TEXT: fixed strings found in SOURCE.c on
#     the lines where frame #0 and main must be ("-" for no check).
set -u
wdb=$1 runtime=$2 check_core=$3 wasm=$4 src=$5 kind=$6 msg=$7 func=$8 fline_text=$9 mline_text=${10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
line_of() { grep -nF -- "$1" "$src" | head -1 | cut -d: -f1; }
marks=(-ex 'echo ==bt==\n' -ex bt -ex 'echo ==locals==\n' -ex 'info locals' -ex 'frame 1'
       -ex 'info locals' -ex 'info args' -ex list -ex 'frame 0' -ex 'info frame' -ex 'x/16xb 1024'
       -ex 'echo ==end==\n')
cd "$work"
ln -s "$(realpath "$wasm")" app.wasm
# `deep` runs out of Wasm frames (a low --max-call-depth); `cstack` is the
# same recursion with the defaults: the C stack in linear memory runs out
# first, an out-of-bounds access that wdb must explain
depth=(--runtime-arg=--max-call-depth=300)
arg=$kind
[ "$kind" = cstack ] && depth=() arg=deep
WDB_CORE_ON_TRAP=$work/app.core WDB_RUN=$runtime timeout 120 "$wdb" -batch --annotate=github \
    "${depth[@]}" -ex run "${marks[@]}" --args app.wasm "$arg" \
    >live.out 2>&1
rc=$?
[ $rc = 134 ] || bad "live: exit status $rc, expected 134"
grep -qF "Program stopped by a Wasm trap: $msg" live.out || bad "live: trap not named ($msg)"
if [ "$kind" = cstack ]; then
    grep -q '^The stack pointer (global 0) is 0x[0-9a-f]*, below 0: the C stack in linear memory ran out' \
        live.out || bad "live: the C stack's overflow is not explained"
fi
f0=$(sed -n '/^==bt==$/,/^==locals==$/p' live.out | grep -m1 '^#0 ')
case "$f0" in *" $func ("*) ;; *) bad "live: frame #0 is not $func: $f0" ;; esac
if [ "$fline_text" != - ]; then
    want=$(line_of "$fline_text")
    case "$f0" in *"/$(basename "$src"):$want") ;; *) bad "live: frame #0 not at line $want: $f0" ;; esac
    grep -q "^::error file=.*$(basename "$src"),line=$want,title=Wasm trap::" live.out ||
        bad "live: no GitHub ::error line for $(basename "$src"):$want"
fi
if [ "$mline_text" != - ]; then
    want=$(line_of "$mline_text")
    grep -qE "^#[0-9]+ +0x[0-9a-f]+ in main \(.*\) at .*/$(basename "$src"):$want$" live.out ||
        bad "live: main is not at line $want"
    # the trap is in the C library (abort, assert): the annotation goes to
    # the first frame whose source is here, main's line
    if [ "$fline_text" = - ] && [ "$func" = abort ]; then
        grep -q "^::error file=.*$(basename "$src"),line=$want,title=Wasm trap::" live.out ||
            bad "live: no GitHub ::error line for $(basename "$src"):$want (main's call)"
    fi
fi
# every frame from #0 to main names a function and a file:line
sed -n '/^==bt==$/,/^==locals==$/p' live.out | grep '^#' | sed '/ in main (/q' > frames
[ -s frames ] || bad "live: no frames"
while IFS= read -r f; do
    case "$f" in *" at "*":"[0-9]*) ;; *) bad "live: frame without file:line: $f" ;; esac
    case "$f" in *" ?? ("*) bad "live: frame without a function name: $f" ;; esac
done < <(grep -v ' in abort (\| in __assert_fail (' frames)
[ -s app.core ] || bad "no core file written"
# post-mortem: the same backtrace and locals
timeout 60 "$wdb" -batch "${marks[@]}" -c app.core app.wasm > pm.out 2>&1 || bad "post-mortem: wdb failed"
grep -qF "Program terminated with a Wasm trap: $msg" pm.out || bad "post-mortem: trap not named"
sed -n '/^==bt==$/,/^==end==$/p' live.out > live.sec
sed -n '/^==bt==$/,/^==end==$/p' pm.out > pm.sec
if ! diff -u live.sec pm.sec; then bad "post-mortem bt/locals differ from the live stop (- live, + core)"; fi
# `wdb core CORE APP` is the same as -c
timeout 60 "$wdb" core app.core app.wasm -batch "${marks[@]}" > pm2.out 2>&1 || bad "wdb core: failed"
sed -n '/^==bt==$/,/^==end==$/p' pm2.out > pm2.sec
if ! diff -u live.sec pm2.sec; then bad "wdb core CORE APP differs from the live stop (- live, + core)"; fi
# a core as another runtime writes it: no wdb.module, no wdb.trap
"$check_core" --strip-wdb app.core foreign.core > strip.out 2>&1 || bad "strip: $(cat strip.out)"
timeout 60 "$wdb" -batch "${marks[@]}" -c foreign.core app.wasm > foreign.out 2>&1 ||
    bad "foreign core: wdb failed"
grep -q "^Program terminated with a Wasm trap: .* (the core does not say; at [a-z0-9_.]*)\.$" foreign.out ||
    bad "foreign core: no inferred trap shown"
sed -n '/^==bt==$/,/^==end==$/p' foreign.out > foreign.sec
if ! diff -u live.sec foreign.sec; then bad "the foreign core differs from the live stop (- live, + core)"; fi
if [ $fail != 0 ]; then
    echo "--- live:"; cat live.out; echo "--- post-mortem:"; cat pm.out
    echo "--- foreign core:"; cat foreign.out 2>/dev/null
else
    echo "PASS: $kind: $(wc -l < frames) frames to main, core $(stat -c %s app.core) bytes"
fi
exit $fail
