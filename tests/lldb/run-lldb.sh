#!/usr/bin/env bash
# Runs one lldb-22 session against wdb-run and checks its output.
#
#   run-lldb.sh --lldb LLDB --wdb-run WDB_RUN --wasm PROG.wasm --source PROG.c
#               --mode launch|attach|listen --script CASE.lldb --expect CASE.expect
#               [--crash-script CASE.crash.lldb] [--args "ARGS"] [--tag TAG]...
#               [--exit-status N] [--timeout SECONDS] [--keep]
#
# Modes:
#   launch  LLDB starts wdb-run itself through its wasm platform
#           (platform.plugin.wasm.runtime-path) and connects to it;
#   attach  this script starts `wdb-run -g=127.0.0.1:0 PROG.wasm ARGS` (stopped
#           before the first instruction) and LLDB attaches with
#           `process connect --plugin wasm`;
#   listen  as attach, but with --gdb-listen: the program runs at once and
#           LLDB attaches to the running program.
#
# The script is an lldb command file with placeholders:
#   @START@      (alone on a line) the target: platform settings + `target
#                create` when launching, `target create` when attaching
#   @RUN@        (alone on a line) start the program and run to the first stop
#                that is not the entry: `run ARGS` / `process connect` +
#                `continue`; in listen mode only `process connect` (the
#                program is already running and is stopped by the connect)
#   @RUN_ASYNC@  (alone on a line) the same, but return while the program runs
#                (LLDB's asynchronous mode is on afterwards)
#   @WAIT_STOP@  (alone on a line) wait (up to 10 s) until the process stops,
#                then turn asynchronous mode off again
#   @WAIT_EXIT@  (alone on a line) launch mode: keep LLDB (which forwards the
#                program's output) until the program has ended, up to 20 s,
#                e.g. after a detach; nothing in the attach modes
#   @WASM@ @WDB_RUN@ @PORT@ @WORK@ and @LINE_NAME@: the line of the source
#                line that carries the marker comment /* LINE_NAME */
# A crash script (lldb -k commands) runs when a command stopped the program with a trap,
# where LLDB's batch mode stops reading the main script.
#
# The expectations file has one check per line (blank lines and lines that
# start with # are ignored); the same placeholders are substituted:
#   + REGEX   some later line matches (checks advance through the output)
#   = REGEX   the very next line matches (for exact lists such as `bt`)
#   * REGEX   some line anywhere matches (for the program's own output,
#             which comes after LLDB's in the attach modes)
#   - REGEX   no line of the whole output matches
# A check may start with [TAG,TAG...]: it applies only when every TAG was
# given with --tag (the driver adds the mode as a tag). REGEX is a POSIX ERE
# (bash's =~). The output checked is LLDB's stdout+stderr followed, in the
# attach modes, by a line "==== wdb-run output ====" and wdb-run's own
# stdout+stderr (when launching, wdb-run shares LLDB's output).
#
# After LLDB exits no wdb-run of this session may be left: each must end
# within 10 s (a detached program runs to its end). --exit-status N checks
# the exit status of the wdb-run this script started (attach modes).
set -u

lldb="" wdb_run="" wasm="" source="" mode="" script="" expect="" crash="" args=""
exit_status="" timeout_s=60 keep=0 tags=()
while [ $# -gt 0 ]; do
    case "$1" in
    --lldb) lldb=$2; shift 2 ;;
    --wdb-run) wdb_run=$2; shift 2 ;;
    --wasm) wasm=$2; shift 2 ;;
    --source) source=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    --script) script=$2; shift 2 ;;
    --expect) expect=$2; shift 2 ;;
    --crash-script) crash=$2; shift 2 ;;
    --args) args=$2; shift 2 ;;
    --tag) tags+=("$2"); shift 2 ;;
    --exit-status) exit_status=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "run-lldb.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
for v in lldb wdb_run wasm mode script expect; do
    if [ -z "${!v}" ]; then echo "run-lldb.sh: --${v//_/-} is required" >&2; exit 2; fi
done
case "$mode" in launch | attach | listen) ;; *) echo "run-lldb.sh: bad --mode $mode" >&2; exit 2 ;; esac
tags+=("$mode")

work=$(mktemp -d "${TMPDIR:-/tmp}/wdb-lldb.XXXXXX")
# A copy per session: its path names this session's wdb-run processes.
prog="$work/$(basename "$wasm")"
cp "$wasm" "$prog"
out="$work/lldb.out"
progout="$work/wdb-run.out"
fail=0
started_pid=""

cleanup() {
    if [ -n "$started_pid" ] && kill -0 "$started_pid" 2>/dev/null; then kill -9 "$started_pid" 2>/dev/null; fi
    if [ $keep -eq 0 ]; then rm -rf "$work"; else echo "run-lldb.sh: kept $work"; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- the target
port=""
if [ "$mode" != launch ]; then
    if [ "$mode" = attach ]; then gdbopt="-g=127.0.0.1:0"; else gdbopt="--gdb-listen=127.0.0.1:0"; fi
    # shellcheck disable=SC2086 # ARGS are words
    "$wdb_run" "$gdbopt" --gdb-log="$work/packets.log" "$prog" $args >"$progout" 2>&1 &
    started_pid=$!
    for _ in $(seq 100); do
        port=$(sed -n 's/^wdb-run: .*port \([0-9][0-9]*\)$/\1/p' "$progout" | head -n1)
        [ -n "$port" ] && break
        sleep 0.05
    done
    if [ -z "$port" ]; then
        echo "FAIL: wdb-run did not report its port:"; cat "$progout"
        exit 1
    fi
fi

# ---------------------------------------------------------------- placeholders
# sed script: @LINE_X@ -> the line of /* LINE_X */ in the source, and the
# fixed names.
subst="$work/subst.sed"
: >"$subst"
if [ -n "$source" ]; then
    grep -n -o '/\* LINE_[A-Z0-9_]* \*/' "$source" |
        sed 's#^\([0-9]*\):/\* \(LINE_[A-Z0-9_]*\) \*/#s/@\2@/\1/g#' >>"$subst"
fi
esc() { printf '%s' "$1" | sed 's/[\/&|]/\\&/g'; }
{
    echo "s|@WASM@|$(esc "$prog")|g"
    echo "s|@WDB_RUN@|$(esc "$wdb_run")|g"
    echo "s|@PORT@|$port|g"
    echo "s|@WORK@|$(esc "$work")|g"
} >>"$subst"

connect="process connect --plugin wasm connect://127.0.0.1:$port"
expand_script() { # $1: the script template, $2: the output
    local line
    while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in
        @START@)
            if [ "$mode" = launch ]; then
                echo "settings set platform.plugin.wasm.runtime-path $wdb_run"
                echo "settings set -- platform.plugin.wasm.port-arg -g=127.0.0.1:"
                echo "settings set -- platform.plugin.wasm.runtime-args --gdb-log=$work/packets.log"
                echo "platform select wasm"
            fi
            echo "target create $prog"
            ;;
        @RUN@)
            case "$mode" in
            launch) echo "run $args" ;;
            attach) echo "$connect"; echo "continue" ;;
            listen) echo "$connect" ;;
            esac
            ;;
        @RUN_ASYNC@)
            case "$mode" in
            launch) echo "script lldb.debugger.SetAsync(True)"; echo "process launch -- $args" ;;
            attach) echo "$connect"; echo "script lldb.debugger.SetAsync(True)"; echo "process continue" ;;
            listen) echo "script lldb.debugger.SetAsync(True)"; echo "$connect" ;;
            esac
            ;;
        @WAIT_EXIT@)
            # launch mode: the program's output reaches us only through
            # LLDB, which must not exit before the (detached) program has
            # ended and its last output was read
            if [ "$mode" = launch ]; then
                # (the pattern is anchored at wdb-run's own command line:
                # LLDB's, which names the module too, must not match)
                echo "script import time, subprocess; [time.sleep(0.05) for _ in range(400) if subprocess.call(['pgrep', '-f', '--', '^[^ ]*wdb-run .*$prog'], stdout=subprocess.DEVNULL) == 0]"
                echo "script import time; time.sleep(0.3)"
            fi
            ;;
        @WAIT_STOP@)
            echo "script import time; [time.sleep(0.05) for _ in range(200) if lldb.debugger.GetSelectedTarget().GetProcess().GetState() != lldb.eStateStopped]"
            # let LLDB's event thread print the stop before the next command's
            # output (under load it may otherwise land in the middle of it)
            echo "script import time; time.sleep(0.3)"
            echo "script lldb.debugger.SetAsync(False)"
            ;;
        *) printf '%s\n' "$line" ;;
        esac
    done <"$1" | sed -f "$subst" >"$2"
}
expand_script "$script" "$work/session.lldb"
# Each command goes in its own -o (and crash commands in -k): LLDB 22 runs
# no -K/-k commands after a crash stop inside a file sourced with -s.
cmdopts=()
while IFS= read -r c; do
    [[ -z "${c// /}" || "$c" == \#* ]] || cmdopts+=(-o "$c")
done <"$work/session.lldb"
if [ -n "$crash" ]; then
    expand_script "$crash" "$work/crash.lldb"
    while IFS= read -r c; do
        [[ -z "${c// /}" || "$c" == \#* ]] || cmdopts+=(-k "$c")
    done <"$work/crash.lldb"
fi

# ---------------------------------------------------------------- the session
timeout -k 5 "$timeout_s" "$lldb" --no-lldbinit -b "${cmdopts[@]}" \
    </dev/null >"$out" 2>&1
lldb_rc=$?
# In launch mode LLDB's wdb-run writes this line to the same output at a
# moment of its own (later under a slow build, e.g. ASan): it says nothing
# the expectations check, so it must not shift their lines.
sed -i '/^wdb-run: waiting for a debugger on port [0-9]*$/d' "$out"
# LLDB's event thread prints "1 location added to breakpoint 1" when the
# module is loaded, wherever the main thread's output happens to be (under
# load, in the middle of a later command's): an asynchronous notice that
# the checks do not look for.
sed -i '/^[0-9]* locations\{0,1\} added to breakpoint [0-9]*$/d' "$out"
if [ $lldb_rc -eq 124 ] || [ $lldb_rc -eq 137 ]; then
    echo "FAIL: lldb did not finish within ${timeout_s}s"
    fail=1
fi

# No wdb-run of this session may be left behind.
left=""
for _ in $(seq 200); do
    left=$(pgrep -f -- "$prog" || true)
    [ -z "$left" ] && break
    sleep 0.05
done
if [ -n "$left" ]; then
    echo "FAIL: wdb-run still running 10 s after lldb exited:"
    ps -o pid,stat,etime,args -p "$(echo $left | tr ' ' ',')" || true
    kill -9 $left 2>/dev/null
    fail=1
fi
if [ -n "$started_pid" ]; then
    wait "$started_pid"
    rc=$?
    started_pid=""
    if [ -n "$exit_status" ] && [ "$rc" != "$exit_status" ]; then
        echo "FAIL: wdb-run exited with status $rc, expected $exit_status"
        fail=1
    fi
    { echo "==== wdb-run output ===="; cat "$progout"; } >>"$out"
fi

# ---------------------------------------------------------------- the checks
# LLDB gives a launched wdb-run a pseudo-terminal: its lines end in \r\n.
mapfile -t lines < <(sed 's/\r$//' "$out")
n=${#lines[@]}
pos=0 # index of the next line a + or = check may match
has_tags() { # $1: comma-separated tags, all must be present
    local t want
    IFS=',' read -r -a want <<<"$1"
    for t in "${want[@]}"; do
        [[ " ${tags[*]} " == *" $t "* ]] || return 1
    done
    return 0
}
lineno=0
while IFS= read -r check || [ -n "$check" ]; do
    lineno=$((lineno + 1))
    [[ -z "${check// /}" || "$check" == \#* ]] && continue
    if [[ "$check" =~ ^\[([A-Za-z0-9_,]+)\][[:space:]]*(.*)$ ]]; then
        has_tags "${BASH_REMATCH[1]}" || continue
        check=${BASH_REMATCH[2]}
    fi
    kind=${check:0:1}
    re=${check:2}
    case "$kind" in
    +)
        found=-1
        for ((i = pos; i < n; i++)); do
            if [[ "${lines[i]}" =~ $re ]]; then found=$i; break; fi
        done
        if [ $found -lt 0 ]; then
            echo "FAIL: expectation line $lineno: no line after output line $pos matches: $re"
            fail=1
        else
            pos=$((found + 1))
        fi
        ;;
    =)
        if [ $pos -ge $n ] || ! [[ "${lines[pos]}" =~ $re ]]; then
            echo "FAIL: expectation line $lineno: output line $((pos + 1)) does not match: $re"
            echo "      it is: ${lines[pos]:-<end of output>}"
            fail=1
        fi
        pos=$((pos + 1))
        ;;
    \*)
        found=-1
        for ((i = 0; i < n; i++)); do
            if [[ "${lines[i]}" =~ $re ]]; then found=$i; break; fi
        done
        if [ $found -lt 0 ]; then
            echo "FAIL: expectation line $lineno: no output line matches: $re"
            fail=1
        fi
        ;;
    -)
        for ((i = 0; i < n; i++)); do
            if [[ "${lines[i]}" =~ $re ]]; then
                echo "FAIL: expectation line $lineno: output line $((i + 1)) matches what must not appear: $re"
                echo "      it is: ${lines[i]}"
                fail=1
                break
            fi
        done
        ;;
    *)
        echo "run-lldb.sh: $expect:$lineno: a check starts with +, =, * or -" >&2
        fail=1
        ;;
    esac
done < <(sed -f "$subst" "$expect")

if [ $fail -ne 0 ]; then
    echo "---- output (mode $mode, tags ${tags[*]}) ----"
    cat -n "$out"
    if [ -f "$work/packets.log" ]; then
        echo "---- last packets (wdb-run --gdb-log) ----"
        tail -n 40 "$work/packets.log"
    fi
    exit 1
fi
echo "PASS ($mode, tags ${tags[*]})"
exit 0
