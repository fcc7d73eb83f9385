#!/bin/bash
# Runs one batch-mode wdb session and compares its transcript with the
# expected one, exactly, after these normalisations: the module's path
# becomes APP.wasm (so DWARF 4 and 5 builds share a transcript), its
# directory BUILD, the source directory SRC, and process ids PID.
#
#   run-wdb.sh --wdb WDB --runtime WDB_RUN --wasm APP.wasm --cmds CASE.wdb
#              --expect CASE.expect --srcdir DIR [--status N] [--ex]
#              [--opt WDB_OPTION]... [-- ARGS...]
#
# The session is `wdb -batch -x CASE.wdb --args app.wasm ARGS...` with
# stdout and stderr together (wdb flushes stdout before every error line,
# so their order is stable). A command file stops at its first failing
# command, as gdb's does: a case that goes on after failures (mistakes on
# purpose, a breakpoint an optimised build never reaches) takes --ex, which
# gives each line of CASE.wdb as its own -ex instead (blank lines and `#`
# comments dropped); in batch mode both run with gdb's from_tty off, so
# nothing else changes. --opt gives wdb an option (--dir=..., --env=...),
# before --args. --status checks wdb's exit status (default 0).
# WDB_REGEN=1 writes the transcript to CASE.expect instead of comparing:
# for a developer who then reads every line of the diff before committing.
set -u
. "$(dirname "$0")/cmds-as-ex.sh"
wdb= runtime= wasm= cmds= expect= srcdir= status=0 ex=0 opts=()
while [ $# -gt 0 ]; do
    case "$1" in
    --wdb) wdb=$2; shift 2 ;;
    --runtime) runtime=$2; shift 2 ;;
    --wasm) wasm=$2; shift 2 ;;
    --cmds) cmds=$2; shift 2 ;;
    --expect) expect=$2; shift 2 ;;
    --srcdir) srcdir=$2; shift 2 ;;
    --status) status=$2; shift 2 ;;
    --ex) ex=1; shift ;;
    --opt) opts+=("$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "run-wdb.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
for v in wdb runtime wasm cmds expect srcdir; do
    if [ -z "${!v}" ]; then echo "run-wdb.sh: --$v is required" >&2; exit 2; fi
done
out=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$out" "$out.n" "$work"' EXIT
# The program runs as `app.wasm` from a scratch directory: its argv[0], and
# so the addresses of its argument strings, are the same on every machine.
ln -s "$(realpath "$wasm")" "$work/app.wasm"
cmds=$(realpath "$cmds")
ex_args=(-x "$cmds")
[ $ex = 1 ] && cmds_as_ex "$cmds"
(cd "$work" && WDB_RUN=$runtime timeout 120 "$wdb" -batch "${ex_args[@]}" "${opts[@]}" \
    --args app.wasm "$@") \
    >"$out" 2>&1
rc=$?
sed -e "s#$wasm#APP.wasm#g" -e "s#$(dirname "$wasm")/#BUILD/#g" -e "s#$srcdir#SRC#g" -e 's/process [0-9][0-9]*/process PID/g' \
    "$out" >"$out.n"
if [ "${WDB_REGEN:-0}" = 1 ]; then
    cp "$out.n" "$expect"
    echo "wrote $expect (exit status $rc)"
    exit 0
fi
fail=0
if ! diff -u "$expect" "$out.n"; then
    echo "FAIL: the transcript differs from $expect (- expected, + got)"
    fail=1
fi
if [ "$rc" != "$status" ]; then
    echo "FAIL: wdb exited with status $rc, expected $status"
    fail=1
fi
[ $fail = 0 ] && echo "PASS: $(basename "$cmds") ($(wc -l <"$out.n") lines)"
exit $fail
