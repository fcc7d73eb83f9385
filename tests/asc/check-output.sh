#!/usr/bin/env bash
# Runs one command from the compiled programs' directory and compares its
# stdout and stderr together, and its exit status, with the expected ones:
#   check-output.sh --dir DIR --expect FILE [--status N] -- COMMAND ARGS...
# The programs are named by relative paths (trap.wasm), so the transcript
# does not depend on the build directory. WDB_REGEN=1 writes FILE instead.
set -u
dir="" expect="" status=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --expect) expect="$2"; shift 2 ;;
    --status) status="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "check-output.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$dir" ] && [ -n "$expect" ] && [ $# -gt 0 ] || { echo "check-output.sh: --dir, --expect and a command are required" >&2; exit 2; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
(cd "$dir" && timeout 60 "$@") >"$out" 2>&1
rc=$?
if [ "${WDB_REGEN:-0}" = 1 ]; then
  cp "$out" "$expect"
  echo "wrote $expect (exit status $rc)"
  exit 0
fi
fail=0
if ! diff -u "$expect" "$out"; then
  echo "FAIL: the output differs from $expect (- expected, + got)"
  fail=1
fi
if [ "$rc" != "$status" ]; then
  echo "FAIL: exit status $rc, expected $status"
  fail=1
fi
[ $fail = 0 ] && echo "PASS: $(basename "$expect") ($(wc -l <"$out") lines)"
exit $fail
