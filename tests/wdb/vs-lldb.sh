#!/bin/bash
# Differential test: wdb and lldb-22, both debugging the same Wasm module
# through wdb-run's stub, must report the same frames, lines and values at
# the same stops.
#
#   vs-lldb.sh --lldb LLDB --wdb WDB --runtime WDB_RUN --wasm PROG.wasm
#              [--session NAME | --cmds FILE]
#
# A session is a list of commands, one a line, given to both debuggers:
#   break LOCATION   (function or FILE:LINE)   lldb: b LOCATION
#   run | continue | next | step | finish      lldb: run, c, next, step, finish
#   stop             record the stop: lldb runs `bt` and `frame variable`,
#                    wdb `bt`, `info args` and `info locals`
# Built-in sessions (--session): inventory (programs/inventory.c, -O0:
# recursion), inventory-opt (the same program at -O2, where clang makes
# fact's recursion a loop), ledger (programs/ledger.c) and shapes (C++:
# tests/bridge/programs/shapes.cpp: namespaces, a class, references); they use
# breakpoints by function and by file:line, continue, finish, next, step.
# LLDB's batch mode stops at the first failing command, so a session must
# not outlive the program. No session leaves a function with next or step:
# gdb (and wdb) then run on to the start of a line in the caller, lldb stops
# at the return address in the middle of the caller's line.
#
# At each stop the test extracts, from both transcripts:
#   frames: (function, file base name, line) of every frame, innermost
#     first, all of them (also _start and _start.command_export below main,
#     which both show); a frame without source has file and line "-";
#   values: name = value of the scalar arguments and locals of frame 0
#     (ints, chars, bools, enums, floats, pointers; structs and arrays are
#     left out: lldb and gdb lay those out differently), sorted by name.
#     Only frame 0: LLDB 22 gives all Wasm frames one CFA, so for an outer
#     frame of a recursive function it shows the innermost frame's values.
# and requires the lists to be equal, stop by stop (and as many stops with
# frames as the session has `stop` lines, so two failing sessions do not
# compare equal). Value spellings that differ by design are brought to
# one form:
#   V1 chars: lldb 'z' / '\xc8', wdb (gdb) 122 'z' / 200 '\310': the number
#      (signed for char and signed char, as clang's Wasm char is signed);
#   V2 flag enums: lldb P_READ | 0x8, wdb (P_READ | unknown: 0x8): the lldb
#      form;
#   V3 no value: lldb <variable not available> or <no location, value may
#      have been optimized out>, wdb <optimized out>: <optimized out>;
#   V4 pointers (compared: both read the same Wasm memory): lldb
#      0x0000ffb0 / NULL, wdb 0xffb0 / 0x0: hex without leading zeros (a
#      string after the pointer, as for char *, is kept);
#   V5 C++ references: lldb 0x0000ffa0 (x = -3, y = 7), wdb
#      @0xffa0: {x = -3, y = 7}: the address alone, @0xffa0 (the object is
#      a struct: left out as structs are);
#   V6 a C++ main with parameters: lldb names it by its linkage name
#      __main_argc_argv (wasi-libc's), wdb by its source name: main.
# Function names keep C++ qualifiers, `(anonymous namespace)::` included.
# Uses bash, sed and awk only. VS_LLDB_KEEP=DIR keeps the transcripts and
# the extracted lists in DIR.
set -u
lldb= wdb= runtime= wasm= session= cmds=
while [ $# -gt 0 ]; do
    case "$1" in
    --lldb) lldb=$2; shift 2 ;;
    --wdb) wdb=$2; shift 2 ;;
    --runtime) runtime=$2; shift 2 ;;
    --wasm) wasm=$2; shift 2 ;;
    --session) session=$2; shift 2 ;;
    --cmds) cmds=$2; shift 2 ;;
    *) echo "vs-lldb.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
for v in lldb wdb runtime wasm; do
    if [ -z "${!v}" ]; then echo "vs-lldb.sh: --$v is required" >&2; exit 2; fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/vs-lldb.XXXXXX")
trap 'rm -rf "$work"' EXIT

session_inventory() {
    cat <<'S'
break fact
break inventory.c:45
break inventory.c:32
run
stop
continue
stop
finish
stop
continue
stop
next
stop
continue
stop
continue
stop
continue
stop
continue
stop
continue
stop
finish
stop
finish
stop
S
}
# -O2: clang turns fact's recursion into a loop (one breakpoint hit).
# Line 45 is a temporary breakpoint by design: its row starts at the `loop`
# opcode, which lldb-22 breaks on and so stops once; wdb breaks inside the
# loop and stops on every iteration, as gdb does on a loop's line.
session_inventory_opt() {
    cat <<'S'
break fact
tbreak inventory.c:45
break inventory.c:32
run
stop
continue
stop
finish
stop
continue
stop
next
stop
continue
stop
finish
stop
S
}
session_ledger() {
    cat <<'S'
break ledger.c:79
break weigh
break depth
break ledger.c:92
run
stop
next
stop
next
stop
step
stop
continue
stop
next
stop
next
stop
finish
stop
continue
stop
continue
stop
continue
stop
continue
stop
continue
stop
finish
stop
finish
stop
continue
stop
S
}
session_shapes() {
    cat <<'S'
break geo::Rect::contains
break shapes.cpp:66
run
stop
finish
stop
finish
stop
continue
stop
finish
stop
next
stop
S
}
if [ -n "$cmds" ]; then
    cp "$cmds" "$work/session"
else
    case "$session" in
    inventory) session_inventory >"$work/session" ;;
    inventory-opt) session_inventory_opt >"$work/session" ;;
    ledger) session_ledger >"$work/session" ;;
    shapes) session_shapes >"$work/session" ;;
    *) echo "vs-lldb.sh: --session inventory|inventory-opt|ledger|shapes or --cmds FILE" >&2; exit 2 ;;
    esac
fi
nstops=$(grep -c '^stop$' "$work/session")

lopts=(-o "settings set platform.plugin.wasm.runtime-path $runtime"
       -o "settings set -- platform.plugin.wasm.port-arg -g=127.0.0.1:"
       -o "platform select wasm" -o "target create $wasm")
wopts=()
while IFS= read -r c; do
    case "$c" in
    '' | \#*) ;;
    stop) lopts+=(-o bt -o "frame variable")
          wopts+=(-ex 'echo @@STOP\n' -ex bt -ex 'info args' -ex 'info locals') ;;
    break\ *) lopts+=(-o "b ${c#break }"); wopts+=(-ex "$c") ;;
    tbreak\ *) lopts+=(-o "tbreak ${c#tbreak }"); wopts+=(-ex "$c") ;;
    continue) lopts+=(-o c); wopts+=(-ex continue) ;;
    run | next | step | finish) lopts+=(-o "$c"); wopts+=(-ex "$c") ;;
    *) echo "vs-lldb.sh: unknown session command: $c" >&2; exit 2 ;;
    esac
done <"$work/session"
# end both sessions the same way: the program runs to its end
lopts+=(-o "breakpoint delete --force" -o c)
wopts+=(-ex delete -ex continue)

timeout -k 5 120 "$lldb" --no-lldbinit -b "${lopts[@]}" </dev/null >"$work/lldb.raw" 2>&1
WDB_RUN=$runtime timeout -k 5 120 "$wdb" -batch "${wopts[@]}" --args "$wasm" \
    </dev/null >"$work/wdb.raw" 2>&1

# Common awk: V1 (chars) and the output format "stop N" / "frame I F FILE
# LINE" / "var NAME = VALUE" (vars sorted per stop by the caller).
common='
function base(p) { sub(/.*\//, "", p); return p }
function charnum(esc, signed,   v, c) {
    if (esc ~ /^\\x[0-9a-fA-F]+$/) v = hex(substr(esc, 3))
    else if (esc ~ /^\\[0-7]+$/) v = oct(substr(esc, 2))
    else if (esc == "\\n") v = 10; else if (esc == "\\t") v = 9
    else if (esc == "\\r") v = 13; else if (esc == "\\0") v = 0
    else if (esc == "\\a") v = 7; else if (esc == "\\b") v = 8
    else if (esc == "\\f") v = 12; else if (esc == "\\v") v = 11
    else if (esc == "\\e") v = 27
    else if (esc ~ /^\\./) v = ord[substr(esc, 2, 1)]
    else v = ord[esc]
    if (signed && v >= 128) v -= 256
    return v
}
function hex(s,   i, v) { v = 0; s = tolower(s); for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
function oct(s,   i, v) { v = 0; for (i = 1; i <= length(s); i++) v = v * 8 + substr(s, i, 1); return v }
function pointer(v,   h, rest) {
    h = v; sub(/ .*/, "", h); rest = substr(v, length(h) + 1)
    h = tolower(substr(h, 3)); sub(/^0+/, "", h)
    return "0x" (h == "" ? "0" : h) rest
}
function value(v) {
    if (v == "<variable not available>" || v == "<optimized out>" ||
        v == "<no location, value may have been optimized out>") return "<optimized out>"
    return v
}
BEGIN { for (i = 32; i < 127; i++) ord[sprintf("%c", i)] = i; stop = 0 }
'
# lldb: stops begin at the echo of "(lldb) bt"; frames from the bt, values
# from "frame variable" (top-level lines "(TYPE) NAME = VALUE").
awk "$common"'
/^\(lldb\) bt$/ { stop++; print "stop " stop; inbt = 1; invars = 0; next }
/^\(lldb\) frame variable$/ { inbt = 0; invars = 1; next }
/^\(lldb\) / { inbt = invars = 0; next }
stop && inbt && /^  [* ] frame #[0-9]+: / {
    n = $0; sub(/^  [* ] frame #/, "", n); idx = n + 0
    rest = $0; sub(/^[^`]*`/, "", rest)
    file = "-"; line = "-"
    if (match(rest, / at [^ ]+:[0-9]+(:[0-9]+)?$/)) {
        loc = substr(rest, RSTART + 4); rest = substr(rest, 1, RSTART - 1)
        split(loc, a, ":"); file = base(a[1]); line = a[2]
    }
    sub(/ \+ [0-9]+$/, "", rest)
    gsub(/\(anonymous namespace\)/, "@ANON@", rest); sub(/\(.*$/, "", rest)
    gsub(/@ANON@/, "(anonymous namespace)", rest)
    if (rest == "__main_argc_argv") rest = "main"       # V6
    print "frame " idx " " rest " " file " " line
    next
}
stop && invars && /^\([^)]*\) [A-Za-z_][A-Za-z_0-9]* = / {
    type = $0; sub(/^\(/, "", type); sub(/\) .*/, "", type)
    rest = $0; sub(/^\([^)]*\) /, "", rest)
    name = rest; sub(/ = .*/, "", name)
    v = rest; sub(/^[^=]* = /, "", v)
    if (v ~ /^[{(]/) next                              # arrays, structs
    if (type ~ /&$/ && v ~ /^0x/) { v = pointer(v); sub(/[ :].*/, "", v); v = "@" v }  # V5
    else if (type ~ /\*/ && v ~ /^(0x|NULL)/) v = pointer(v == "NULL" ? "0x0" : v)  # V4
    else if (v ~ /^'\''.*'\''$/ && type ~ /char/)     # V1
        v = charnum(substr(v, 2, length(v) - 2), type !~ /unsigned/)
    print "var " name " = " value(v)
}' "$work/lldb.raw" >"$work/lldb.list"
# wdb: stops begin at "@@STOP"; frames from bt ("#I  [0x... in ]F (ARGS) at
# FILE:LINE"), values from info args/locals ("NAME = VALUE").
awk "$common"'
/^@@STOP$/ { stop++; print "stop " stop; next }
stop && /^#[0-9]+ / {
    idx = substr($1, 2) + 0
    rest = $0; sub(/^#[0-9]+ +/, "", rest); sub(/^0x[0-9a-f]+ in /, "", rest)
    file = "-"; line = "-"
    if (match(rest, / at [^ ]+:[0-9]+$/)) {
        loc = substr(rest, RSTART + 4); rest = substr(rest, 1, RSTART - 1)
        n = split(loc, a, ":"); file = base(a[1]); line = a[2]
    }
    sub(/ \(.*$/, "", rest)
    print "frame " idx " " rest " " file " " line
    next
}
stop && /^[A-Za-z_][A-Za-z_0-9]* = / {
    name = $1; v = $0; sub(/^[^=]* = /, "", v)
    if (v ~ /^\(.* \| .*\)$/) {                       # V2
        v = substr(v, 2, length(v) - 2); gsub(/unknown: /, "", v)
    }
    if (v ~ /^[{(]/) next                             # structs, arrays
    if (v ~ /^@0x[0-9a-f]+/) { sub(/:.*/, "", v) }      # V5
    if (v ~ /^0x[0-9a-f]+( |$)/) v = pointer(v)        # V4
    if (v ~ /^-?[0-9]+ '\''.*'\''$/) { sub(/ .*/, "", v) }   # V1
    print "var " name " = " value(v)
}' "$work/wdb.raw" >"$work/wdb.list"

# sort the values of each stop by name (frames keep their order)
sortvars() {
    awk '/^var / { print key "\t1\t" $0; next } { key = sprintf("%06d", ++n); print key "\t0\t" $0 }' "$1" |
        sort -t "$(printf '\t')" -k1,1 -k2,2 -k3,3 -s | cut -f3-
}
sortvars "$work/lldb.list" >"$work/lldb.txt"
sortvars "$work/wdb.list" >"$work/wdb.txt"
if [ -n "${VS_LLDB_KEEP:-}" ]; then
    mkdir -p "$VS_LLDB_KEEP" && cp "$work"/*.raw "$work"/*.txt "$work/session" "$VS_LLDB_KEEP"/
fi

# Every `stop` must be recorded with frames (at least 3 stops: a session
# that ended early fails here rather than comparing two empty lists).
fail=0
for who in lldb wdb; do
    got=$(grep -c '^stop ' "$work/$who.txt")
    live=$(grep -c '^frame 0 ' "$work/$who.txt")
    if [ "$got" != "$nstops" ] || [ "$live" != "$nstops" ] || [ "$live" -lt 3 ]; then
        echo "FAIL: $who recorded $got stops ($live with frames), the session has $nstops:"
        cat "$work/$who.raw"
        fail=1
    fi
done
if ! diff -u --label "lldb-22" --label "wdb" "$work/lldb.txt" "$work/wdb.txt"; then
    echo "FAIL: wdb and lldb disagree (- lldb, + wdb) on $(basename "$wasm")"
    fail=1
fi
[ $fail = 0 ] && echo "PASS: $nstops stops, $(grep -c '^frame ' "$work/wdb.txt") frames," \
    "$(grep -c '^var ' "$work/wdb.txt") values agree ($(basename "$wasm"))"
exit $fail
