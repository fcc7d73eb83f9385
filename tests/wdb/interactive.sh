#!/bin/bash
# The prompt as a person uses it, through a real terminal (script(1) gives
# wdb a pty): line editing with history (Up arrow repeats `bt 1`), Ctrl-C
# interrupting a running program, assignment, continue to the exit.
#   interactive.sh WDB WDB_RUN SPIN.wasm
set -u
wdb=$1 runtime=$2 wasm=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkfifo "$work/in"
# Keystrokes, paced so that each arrives when wdb waits for it (the program
# must be running when Ctrl-C comes).
( sleep 1; printf 'run\r'; sleep 2; printf '\003'; sleep 1.5
  printf 'bt 1\r'; sleep 0.5; printf '\033[A\r'; sleep 0.5
  printf 'print g_stop = 1\r'; sleep 0.5; printf 'continue\r'; sleep 2; printf 'quit\r'
  sleep 1 ) > "$work/in" &
# exec: without it a shell that does not exec its last command (dash, what
# script(1) runs when SHELL is unset, as in CI) stays the pty's foreground
# process, dies of the Ctrl-C and script reports 130.
WDB_RUN=$runtime timeout 60 script -qfec "exec $wdb -q $wasm" /dev/null < "$work/in" > "$work/out" 2>&1
rc=$?
# drop the line editor's redraws: keep what follows the last carriage return
tr -d '\033' < "$work/out" | sed -e 's/\r$//' -e 's/\[K//g' -e 's/\[[0-9]*C//g' |
    awk -F'\r' '{print $NF}' > "$work/plain"
fail=0
want() {
    if grep -qE -- "$1" "$work/plain"; then echo "ok: $2"
    else echo "FAIL: $2 (no line matching: $1)"; fail=1; fi
}
want '^Program received signal SIGINT, Interrupt\.$' "Ctrl-C stops the running program"
want '^0x[0-9a-f]+ in main \(\) at .*spin\.c:[0-9]+$' "the stop names main and the spin loop's line"
n=$(grep -cE '^#0  0x[0-9a-f]+ in main \(\) at .*spin\.c:[0-9]+$' "$work/plain")
if [ "$n" = 2 ]; then echo "ok: Up arrow recalled and ran bt 1 again"
else echo "FAIL: bt 1 printed $n times, expected 2 (history)"; fail=1; fi
want '^\$1 = 1$' "print g_stop = 1 assigns"
want "^stopped after the debugger's request$" "the program saw the assignment"
want '^\[Inferior 1 \(process [0-9]+\) exited with code 52\]$' "exit code 42 shown in octal as gdb does"
if [ $rc -ne 0 ]; then echo "FAIL: wdb exited with status $rc"; fail=1; fi
if [ $fail != 0 ]; then echo "--- transcript:"; cat "$work/plain"; fi
exit $fail
