#!/usr/bin/env bash
# Bad input for `wdb`: unreadable and malformed modules, no DWARF, corrupt
# and truncated DWARF. Clear one-line messages, the right exit status, and
# never a crash (exit status >= 128).
#   bad-input.sh WDB WASM-MUTATE APP.wasm WORKDIR
set -uo pipefail
WDB=$1 MUT=$2 APP=$3 WORK=$4
mkdir -p "$WORK"
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

# run NAME EXPECTED-STATUS CMD...: stdout/stderr in $WORK/NAME.{out,err}
run() {
  local name=$1 want=$2; shift 2
  "$@" > "$WORK/$name.out" 2> "$WORK/$name.err"
  local st=$?
  if [ $st -ge 128 ]; then bad "$name: crashed (status $st)"; return; fi
  if [ "$want" != any ] && [ $st -ne "$want" ]; then bad "$name: status $st, expected $want"; return; fi
  ok "$name (status $st)"
}

run version 0 "$WDB" --version
grep -Eq '^wdb [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{12}|unknown)\)$' "$WORK/version.out" ||
  bad "version output: $(cat "$WORK/version.out")"
run help 0 "$WDB" --help
grep -q symbolize "$WORK/help.out" || bad "help lists symbolize"
# not a subcommand: the debugger, on a file that does not exist
run unknown 1 "$WDB" -batch frobnicate
grep -q 'cannot open frobnicate' "$WORK/unknown.err" || bad "unknown: $(cat "$WORK/unknown.err")"
run badoption 2 "$WDB" --frobnicate
run usage 2 "$WDB" symbolize "$APP"
run badoffset 2 "$WDB" symbolize "$APP" zzz

run missing 1 "$WDB" symbolize /nonexistent/app.wasm 0x10
[ "$(wc -l < "$WORK/missing.err")" = 1 ] && grep -q 'cannot open /nonexistent/app.wasm' "$WORK/missing.err" \
  || bad "missing: message: $(cat "$WORK/missing.err")"

printf 'hello, not wasm' > "$WORK/text.wasm"
run notwasm 1 "$WDB" symbolize "$WORK/text.wasm" 0x10
grep -q 'not a WebAssembly module' "$WORK/notwasm.err" || bad "notwasm: $(cat "$WORK/notwasm.err")"

head -c 300 "$APP" > "$WORK/cut.wasm"
run truncated 1 "$WDB" symbolize "$WORK/cut.wasm" 0x10
[ "$(wc -l < "$WORK/truncated.err")" = 1 ] && grep -q 'malformed module: .*offset 0x' "$WORK/truncated.err" \
  || bad "truncated: $(cat "$WORK/truncated.err")"

# addresses to ask about: a few row starts of the program
addrs=$("$WDB" lines "$APP" | awk '/^0x/ && !/end_sequence/ { print $1 }' | head -400 | awk 'NR % 40 == 1')

"$MUT" "$APP" "$WORK/nodwarf.wasm" drop .debug_
run nodwarf 0 "$WDB" symbolize -f "$WORK/nodwarf.wasm" $addrs
[ "$(cat "$WORK/nodwarf.err")" = "wdb: no DWARF or source map in $WORK/nodwarf.wasm: build with -g (asc: --sourceMap)" ] \
  || bad "nodwarf: stderr: $(cat "$WORK/nodwarf.err")"
grep -q '^main at ??:0$\|^__main_argc_argv at ??:0$\|^[a-z_]* at ??:0$' "$WORK/nodwarf.out" \
  && ! grep -vq ' at ??:0$' "$WORK/nodwarf.out" || bad "nodwarf: output: $(head -3 "$WORK/nodwarf.out")"

info_size=$("$WDB" lines "$APP" >/dev/null; wc -c < "$APP")
for off in 0 4 11 20 64 200 1000 5000; do
  "$MUT" "$APP" "$WORK/flip$off.wasm" flip .debug_info "$off"
  run "flip$off" 0 "$WDB" symbolize -f -i "$WORK/flip$off.wasm" $addrs
  if [ -s "$WORK/flip$off.err" ]; then
    # each distinct problem once, on one line, naming the file
    sort "$WORK/flip$off.err" | uniq -d | grep -q . && bad "flip$off: repeated messages"
    grep -vq "^wdb: $WORK/flip$off.wasm: " "$WORK/flip$off.err" && bad "flip$off: $(head -2 "$WORK/flip$off.err")"
  fi
done
: "$info_size"

for keep in 0 10 200; do
  "$MUT" "$APP" "$WORK/line$keep.wasm" truncate .debug_line "$keep"
  run "line$keep" 0 "$WDB" symbolize -f "$WORK/line$keep.wasm" $addrs
  grep -q 'corrupt DWARF' "$WORK/line$keep.err" || bad "line$keep: no message: $(cat "$WORK/line$keep.err")"
  run "lines$keep" 1 "$WDB" lines "$WORK/line$keep.wasm"
done
exit $fail
