#!/bin/bash
# e2e.eh.cxx-uncaught: runs cxx_uncaught.cpp's module under wdb-run and
# checks the uncaught-exception trap: exit status 134, the trap line on
# stderr, and on stdout what ran before it (the handled exception, then the
# destructors of the frames the uncaught one unwound).
#
#   expect-trap.sh WDB_RUN MODULE
set -u
run=${1:?usage: expect-trap.sh WDB_RUN MODULE} wasm=${2:?usage: expect-trap.sh WDB_RUN MODULE}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
timeout 60 "$run" "$wasm" >"$tmp/out" 2>"$tmp/err"
rc=$?
fail=0
[ "$rc" = 134 ] || { echo "FAIL: exit status $rc, expected 134 (a trap)"; fail=1; }
grep -q '^wdb-run: trap: uncaught exception' "$tmp/err" ||
  { echo "FAIL: no uncaught-exception trap on stderr"; fail=1; }
printf '%s\n' "unwound the throwing frame" "caught: nobody catches this" \
  "unwound the throwing frame" "unwound an inner frame" "unwound main" >"$tmp/want"
if ! cmp -s "$tmp/want" "$tmp/out"; then
  echo "FAIL: stdout differs:"
  diff -u --label expected --label wdb-run "$tmp/want" "$tmp/out"
  fail=1
fi
[ $fail = 0 ] || { echo "--- stderr:"; cat "$tmp/err"; exit 1; }
echo "OK: uncaught-exception trap after $(wc -l <"$tmp/out") lines"
