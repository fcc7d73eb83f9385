#!/bin/bash
# Differential test: wdb on a Wasm build must print what native gdb prints
# on a native gcc build of the same C program, for the same commands.
#
#   vs-gdb.sh --wdb WDB --runtime WDB_RUN --wasm PROG.wasm
#             (--source PROG.c | --native PROG --srcdir DIR...)
#             [--gdb GDB] [--cc CC] [--cmds FILE] [--dir] [--pointers]
#             [--file | --tty]
#
# With --source, PROG.c is compiled with `CC -g -O0` (its absolute path, as
# the Wasm build names it); with --native, PROG is a native build (gcc -g
# -O0) made from the same absolute source paths as PROG.wasm, whose sources
# lie under the --srcdir directories (tests/thirdparty builds Debian source
# packages so). The native program runs under `gdb -nx -q -batch`;
# PROG.wasm (clang -O0) runs under `wdb -batch`. Both get the same command
# list, each command as its own -ex (both go on after a failing -ex), or
# with --file the list as one command file, `-x FILE` (both stop it at the
# first failing command and say "FILE:LINE: Error in sourced command
# file:"); @DIR@ in the commands is the directory of --cmds FILE, for files
# to `source`, and @WORK@ (not with --file) a directory of each debugger's
# own, for files the commands write (`save breakpoints`): they must be
# identical too, and the transcripts say WORK for it. Both run in batch
# mode, where gdb omits from_tty messages ("Starting program:",
# "Continuing.", "Run till exit from ...", a display's first value, "(More
# stack frames follow...)") and so does wdb; with --tty neither gets -batch
# (standard input is /dev/null), so -ex commands run with from_tty on and
# the messages come: the commands must run the program to its end, and
# should begin with `set width 0` (gdb wraps lines otherwise). Both
# debuggers start in a fresh directory of their own; with --dir the program
# may create files there (wdb gives it `--dir=.`, gdb's program runs
# there). The commands are below (or in --cmds FILE); without --pointers
# nothing they print may depend on pointer size: the program
# (programs/ledger.c) has no pointers in its structs, no long and no size_t.
#
# The two transcripts (stdout+stderr) must be IDENTICAL after these
# normalisations, each for a difference that is by design, not a bug:
#  N1 gdb: the lines "[Thread debugging using libthread_db enabled]" and
#     "Using host libthread_db library ..." (glibc's thread library; Wasm
#     has none) are dropped.
#  N2 wdb: the line "Reading symbols from PROG.wasm..." is dropped (gdb -batch
#     loads the program with from_tty off and prints nothing; see the report
#     on this deviation).
#  N3 both: full paths of source files become their base names (gcc and
#     clang are given the same absolute paths): files in the --source
#     file's directory or under a --srcdir. The runtime's own sources such
#     as crt1-command.c are relative already.
#  N4 both: code addresses: "Breakpoint N at 0x...:" and "Temporary
#     breakpoint N at 0x...:" and frame lines "#N  0x... in " get ADDR
#     (x86-64 and Wasm code offsets differ).
#  N5 both: a stop line "0x... in FUNC (ARGS) at FILE:LINE" loses its
#     "0x... in ": gdb shows the pc only when it is not the start of a
#     line-table row, and gcc starts rows where clang does not (gcc starts
#     one at the return address of the recursive call of depth(), line 68).
#  N6 both: frames below main are cut: after a backtrace line for main,
#     further "#N" lines are dropped, and the locals `bt full` prints for
#     them (gdb hides frames past main, here __libc_start_call_main; wdb
#     shows wasi-libc's __main_void, __original_main, _start and
#     _start.command_export).
#  N7 both: process ids in "[Inferior 1 (process N) exited ...]" become PID.
#  N8 both: `info breakpoints` tables: the Address column is as wide as the
#     target's addresses (18 on x86-64, 10 on wasm32): in the header the
#     spaces between "Address" and "What", in the rows the spaces after the
#     Enb column, are squeezed to one, and the address becomes ADDR. The
#     other columns are compared as printed.
#  N9 both, with --pointers only: data addresses. Every 0x number left
#     after N4, N5 and N8, but 0x0, becomes PTR: pointer values in printed
#     values, arguments and "Value returned" (x86-64 heap and stack
#     addresses are not wasm32 linear-memory offsets). A null pointer stays
#     0x0, and what gdb prints after a pointer (<symbol>, "string") is
#     still compared. Hex numbers in the program's own output become PTR
#     too, and sessions with --pointers do not use print/x.
#  N10 both: a command file's own normalisations: each line "#normalise:
#     SED-SCRIPT" (sed -E) in it applies to both transcripts (before N9),
#     for output of that program that differs by design; a comment above
#     each says why.
#  N11 both: the program's own output, the lines matching a command file's
#     "#output: ERE" lines, is moved to the end of the transcript, in its
#     order: where it falls among the debuggers' lines depends on the C
#     library's buffering (glibc buffers all of stdout when it is not a
#     terminal; wasi-libc, like musl, writes the first line at once and
#     buffers the rest), unless the program flushes as ledger.c does.
#  N12 both: a function or function pointer's value "} 0x... <NAME>" or
#     ") 0x... <NAME>" gets ADDR: gdb prints a code address, wdb the
#     function's table index (what the Wasm program's pointers hold).
#  N13 gdb: the line "Make breakpoint pending on future shared library load?
#     (y or [n]) [answered N; input not from terminal]" after a location
#     that matches nothing is dropped (Wasm has no shared libraries: wdb
#     has no pending breakpoints to offer).
#  N14 --tty, both: the line "Reading symbols from PROG..." is dropped (as
#     N2), the program's path in "Starting program: PATH ARGS" becomes
#     PROG, and the prompt ("(gdb) ", "(wdb) ") both print before reading
#     the end of their input is dropped.
# A command file may pin the lines its FILE:LINE commands name with
# "#line: FILE:LINE TEXT" (see below): third-party sources may change
# under the tests.
# Anything else that differs fails the test, with a unified diff of the
# normalised transcripts (- gdb, + wdb). VS_GDB_KEEP=DIR keeps the raw and
# normalised transcripts in DIR.
set -u
. "$(dirname "$0")/cmds-as-ex.sh"
wdb= runtime= wasm= source= native= gdb=gdb cc=gcc cmds= dir=0 pointers=0 srcdirs=() file=0
batch=-batch
# absolute: the debuggers run in a directory of their own
abs() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }
# a string as an ERE matching itself (in sed s#...#)
ere() { printf '%s' "$1" | sed 's/[].[\*^$+?(){}|#]/\\&/g'; }
while [ $# -gt 0 ]; do
    case "$1" in
    --wdb) wdb=$(abs "$2"); shift 2 ;;
    --runtime) runtime=$(abs "$2"); shift 2 ;;
    --wasm) wasm=$(abs "$2"); shift 2 ;;
    --source) source=$(abs "$2"); srcdirs+=("$(dirname "$source")"); shift 2 ;;
    --native) native=$(abs "$2"); shift 2 ;;
    --srcdir) srcdirs+=("$(abs "$2")"); shift 2 ;;
    --gdb) gdb=$2; shift 2 ;;
    --cc) cc=$2; shift 2 ;;
    --cmds) cmds=$(abs "$2"); shift 2 ;;
    --dir) dir=1; shift ;;
    --pointers) pointers=1; shift ;;
    --file) file=1; shift ;;
    --tty) batch=; shift ;;
    *) echo "vs-gdb.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
for v in wdb runtime wasm; do
    if [ -z "${!v}" ]; then echo "vs-gdb.sh: --$v is required" >&2; exit 2; fi
done
if [ -z "$source$native" ] || { [ -n "$source" ] && [ -n "$native" ]; }; then
    echo "vs-gdb.sh: one of --source and --native is required" >&2; exit 2
fi
if [ -n "$native" ] && [ ${#srcdirs[@]} = 0 ]; then
    echo "vs-gdb.sh: --native needs --srcdir" >&2; exit 2
fi
tools=("$gdb")
[ -n "$source" ] && tools+=("$cc")
for t in "${tools[@]}"; do
    if ! command -v "$t" >/dev/null; then echo "FAIL: $t not found: scripts/install-deps.sh installs it"; exit 1; fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/vs-gdb.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The session: breakpoints by line, function and condition; locals before
# and after initialisation; next/step at -O0 (never across a closing brace:
# gcc gives `}` a line-table row, clang's Wasm -O0 code for these functions
# does not, so the stepping sequences would differ by design); struct,
# array, string, enum (plain and flag), bitfield, _Bool, char, short,
# long long, unsigned, float and double values; struct arguments; finish
# with "Value returned" (double, int; the struct one is in cases/finish.wdb:
# wasm32 returns it through memory, so the caller's line after the return
# differs from x86-64's by design);
# recursion in bt, up/down/frame; ptype/whatis without pointers; value
# history; watchpoints with Old/New values and a read watchpoint.
default_cmds() {
    cat <<'CMDS'
break ledger.c:74
break weigh
break shift
run
info locals
next
next
next
next
next
print b
print b.p
print b.k
print b.ok
print b.name
print b.hist
print b.pos
next
next
next
next
next
info locals
info breakpoints
continue
bt
info args
info locals
print r
print r.name
print r.pos
print r.hist
print r.flags
print r.delta
print r.ok
print r.k
print r.p
print r.ratio
print r.weight
print r.level
print r.weight * times
print r.hist[1] + r.pos.y
ptype struct rec
ptype struct point
ptype r.pos
whatis r.hist
whatis r.k
whatis r.flags
ptype enum kind
ptype enum perm
next
next
info locals
finish
continue
info args
print r.id
print r.p
print r.k
print r.ok
finish
next
continue
bt
info args
print p
print p.x + dx
next
next
next
info locals
print q
delete
break depth
break fib if n == 1
continue
bt
continue
bt
info args
info locals
up
info args
info locals
frame 2
down
finish
finish
delete
break depth if level == 0
continue
bt
finish
finish
finish
delete
tbreak ledger.c:92
continue
info locals
print squares
print moved
print third
print s
print big
print u
print c
print/x u
print/x s
print/t c
print/o big
print/c c
print/d c
print/x squares
print a.hist[1] + squares[3]
print squares[4] / 3.0
print g_grid
print g_label
print g_origin
print g_scale * 2
print g_grid[1]
print g_grid[1][2]
print/x g_grid
print -g_origin.x
whatis g_grid
whatis g_scale
whatis g_label
print sizeof(struct point)
print sizeof(struct rec)
print sizeof(big)
print g_label[1]
print 10 / 3.0
print 7 / 2
print 7 % 3
print -7 / 2
print 1.5e10
print 0.1f
print 100000 * 100000
print 'A' + 1
print (char)66
print (short)-1
print (unsigned char)300
print 3 > 2
print SMALL
print LARGE + 1
print b.k == LARGE
print (enum kind)11
print (enum kind)3
print (enum perm)7
print (enum perm)0
print/x -1
print/o 8
print/t 10
print/c 97
print $1
print $
print $$2
set var a.id = 99
print a.id
set var squares[0] = -7
print squares
watch g_count
rwatch g_grid[1][2]
info watchpoints
continue
continue
delete
next
continue
CMDS
}

# @DIR@ in the commands is the directory of --cmds FILE (files to source);
# @WORK@ a directory of each debugger's own for files the commands write
if [ -n "$cmds" ]; then sed "s#@DIR@#$(cd "$(dirname "$cmds")" && pwd)#g" "$cmds"; else default_cmds; fi >"$work/cmds"
# Pinned lines: "#line: FILE:LINE TEXT" says that FILE:LINE in the
# commands is the line reading TEXT (blanks squeezed); when a newer version
# of a third-party source moved it, FILE:LINE becomes the line with TEXT
# nearest to LINE, and with no such line the test fails saying so.
while read -r spec text; do
    file=${spec%:*} line=${spec##*:}
    path=
    for d in "${srcdirs[@]}"; do
        path=$(find "$d" -type f -name "$file" -print -quit)
        [ -n "$path" ] && break
    done
    [ -n "$path" ] || { echo "FAIL: #line: no $file under ${srcdirs[*]}"; exit 1; }
    now=$(TEXT=$text awk -v line="$line" '
        function squeeze(s) { gsub(/[ \t]+/, " ", s); sub(/^ /, "", s); sub(/ $/, "", s); return s }
        squeeze($0) == squeeze(ENVIRON["TEXT"]) {
            d = NR > line ? NR - line : line - NR
            if (best == "" || d < bestd) { best = NR; bestd = d }
        }
        END { print best }' "$path")
    if [ -z "$now" ]; then
        echo "FAIL: $path has no line \"$text\" any more (pinned at $file:$line): update the command file"
        exit 1
    fi
    if [ "$now" != "$line" ]; then
        echo "note: $file:$line \"$text\" is now line $now"
        sed -E -i "/^#/! s#(^|[[:space:]])$(ere "$file:$line")([[:space:]]|\$)#\\1$file:$now\\2#g" \
            "$work/cmds"
    fi
done < <(sed -n 's/^#line: //p' "$work/cmds")
for side in gdb wdb; do
    mkdir "$work/$side-files"
    sed "s#@WORK@#$work/$side-files#g" "$work/cmds" >"$work/$side.cmds"
    cmds_as_ex "$work/$side.cmds"
    eval "${side}_args=(\"\${ex_args[@]}\")"
    [ $file = 1 ] && eval "${side}_args=(-x \"\$work/cmds\")"
done

prog=$native
if [ -n "$source" ]; then
    prog=$work/prog
    if ! "$cc" -g -O0 "$source" -o "$prog" 2>"$work/cc.err"; then
        echo "FAIL: $cc could not compile $source:"; cat "$work/cc.err"; exit 1
    fi
fi
wdb_opts=()
[ $dir = 1 ] && wdb_opts+=(--dir=.)
mkdir "$work/gdb.cwd" "$work/wdb.cwd"
# LC_ALL=C: gdb prints bytes past ASCII as octal escapes, as wdb does,
# whatever the locale (in UTF-8 it decodes multibyte sequences in strings)
(cd "$work/gdb.cwd" && LC_ALL=C DEBUGINFOD_URLS= timeout 120 "$gdb" -nx -q $batch "${gdb_args[@]}" \
    "$prog" </dev/null >"$work/gdb.raw" 2>&1)
(cd "$work/wdb.cwd" && WDB_RUN=$runtime timeout 120 "$wdb" -q $batch "${wdb_opts[@]}" \
    "${wdb_args[@]}" --args "$wasm" </dev/null >"$work/wdb.raw" 2>&1)

# the sed script of N3, N9 and N10
extra=(-e "")
for d in "${srcdirs[@]}"; do
    extra+=(-e "s#$(ere "$d")/([^ \"]*/)?##g")
done
while IFS= read -r c; do
    extra+=(-e "${c#\#normalise: }")
done < <(grep '^#normalise: ' "$work/cmds")
[ $pointers = 1 ] && extra+=(-e 's/0x0*[1-9a-f][0-9a-f]*/PTR/g')
output=$(sed -n 's/^#output: //p' "$work/cmds" | paste -sd '|')
normalise() { # $1: gdb|wdb, stdin -> stdout
    if [ "$1" = gdb ]; then
        sed -E -e '/^\[Thread debugging using libthread_db enabled\]$/d' \
            -e '/^Using host libthread_db library /d' \
            -e '/^Make breakpoint pending on future shared library load\? /d' \
            -e '/^Reading symbols from .*\.\.\.$/d'
    else
        sed -E -e '/^Reading symbols from .*\.\.\.$/d'
    fi | sed -E \
        -e 's/^Starting program: [^ ]* /Starting program: PROG /' \
        -e 's/^\((gdb|wdb)\) //' \
        -e "s#$work/(gdb|wdb)-files#WORK#g" \
        -e 's/^((Temporary b|B)reakpoint [0-9]+ at )0x[0-9a-f]+:/\1ADDR:/' \
        -e 's/^(#[0-9]+ +)0x[0-9a-f]+ in /\1ADDR in /' \
        -e 's/^0x[0-9a-f]+ in //' \
        -e 's/\(process [0-9]+\)/(process PID)/' \
        -e 's/^(Num +Type +Disp Enb Address) +What$/\1 What/' \
        -e 's/^([0-9]+ +[a-z][a-z ]*[a-z] +(keep|del|dis) +[yn]) +(0x[0-9a-f]+ in )?/\1 \3/' \
        -e 's/^([0-9]+ .* [yn] )0x[0-9a-f]+ in /\1ADDR in /' \
        -e 's/([)}] )0x[0-9a-f]+ (<[^>]+>)/\1ADDR \2/g' |
        sed -E "${extra[@]}" |
        OUTPUT_ERE=$output awk '
            # N11: program output last
            ENVIRON["OUTPUT_ERE"] != "" && $0 ~ ENVIRON["OUTPUT_ERE"] { out[nout++] = $0; next }
            # N6: frames below main, with their locals (bt full)
            /^#[0-9]+ / { if (past_main) next; if ($0 ~ / main \(.*\) at /) past_main = 1; print; next }
            past_main && (/^        / || /^No locals\.$/) { next }
            { past_main = 0; print }
            END { for (i = 0; i < nout; i++) print out[i] }'
}
normalise gdb <"$work/gdb.raw" >"$work/gdb.txt"
normalise wdb <"$work/wdb.raw" >"$work/wdb.txt"
if [ -n "${VS_GDB_KEEP:-}" ]; then
    mkdir -p "$VS_GDB_KEEP" && cp "$work"/*.raw "$work"/*.txt "$work/cmds" "$VS_GDB_KEEP"/
fi

fail=0
n=$(grep -c . "$work/gdb.txt")
# Guard against two sessions that failed the same way: gdb must have run
# the program to its end and hit breakpoints.
if ! grep -q '^\[Inferior 1 (process PID) exited' "$work/gdb.txt" ||
    ! grep -q '^Breakpoint [0-9]*, ' "$work/gdb.txt"; then
    echo "FAIL: the gdb session did not run the program to its end:"
    cat "$work/gdb.raw"
    fail=1
fi
if ! diff -u --label "gdb ($(basename "$gdb"), $(basename "$prog"))" --label "wdb ($(basename "$wasm"))" \
    "$work/gdb.txt" "$work/wdb.txt"; then
    echo "FAIL: wdb and gdb transcripts differ (- gdb, + wdb) after normalisation"
    fail=1
fi
if ! diff -r -u "$work/gdb-files" "$work/wdb-files"; then
    echo "FAIL: the files the commands wrote in @WORK@ differ (- gdb, + wdb)"
    fail=1
fi
[ $fail = 0 ] && echo "PASS: wdb and gdb print the same $n lines ($(basename "$wasm"))"
exit $fail
