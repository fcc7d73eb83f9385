#!/usr/bin/env bash
# wdb-run --replay on a bad trace or a run that diverges from its trace:
# one error line on stderr naming what is wrong and where, exit status 1,
# never a crash or a trap report. Each CASE makes its trace from a good
# recording of MODULE (argv_env, which reads its arguments and environment
# and writes several lines) and checks the message.
#
#   bad-traces.sh CASE WDB_RUN MODULE OTHER_MODULE
#
# Cases: truncated, cut, flipped, other-module, future-version, not-a-trace,
# diverge-call, diverge-end, missing. The trace format: docs/TRACE.md.
set -u

die() { echo "bad-traces: $*" >&2; exit 2; }
[ $# -eq 4 ] || die "usage: bad-traces.sh CASE WDB_RUN MODULE OTHER_MODULE"
case_=$1 wdb_run=$2 wasm=$3 other=$4
[ -x "$wdb_run" ] || die "no wdb-run: '$wdb_run'"
[ -f "$wasm" ] && [ -f "$other" ] || die "no module"
command -v python3 >/dev/null || die "python3 is needed (scripts/install-deps.sh)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wdb-badtrace.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
"$wdb_run" --record="$tmp/good" --env=WDB_GREETING=hi -- "$wasm" one two >/dev/null 2>&1
[ -s "$tmp/good" ] || die "recording failed"
size=$(wc -c <"$tmp/good")

# patch.py OP FILE: rewrites the trace in place.
#   flip OFFSET        xor one byte with 0x40
#   u32 OFFSET VALUE   write a little-endian u32
#   import N           give CALL record N (from 1) the import index next to
#                      its own and make its checksum right again
cat >"$tmp/patch.py" <<'EOF'
import struct, sys
op, path = sys.argv[1], sys.argv[2]
b = bytearray(open(path, 'rb').read())
def fnv(data):
    h = 0xcbf29ce484222325
    for x in data:
        h = ((h ^ x) * 0x100000001b3) & 0xffffffffffffffff
    return h
if op == 'flip':
    b[int(sys.argv[3])] ^= 0x40
elif op == 'u32':
    struct.pack_into('<I', b, int(sys.argv[3]), int(sys.argv[4]))
elif op == 'import':
    want, pos, n = int(sys.argv[3]), 32, 0
    while True:  # walk the CALL records (docs/TRACE.md)
        start = pos
        assert b[pos] == ord('C'), 'not a CALL record'
        pos += 1 + 4 + 8 + 8
        out = b[pos]; pos += 1
        if out == 0:
            nres = struct.unpack_from('<I', b, pos)[0]; pos += 4 + 8 * nres
        elif out == 2:
            pos += 4 + struct.unpack_from('<I', b, pos)[0]
        else:
            pos += 4
        nspans = struct.unpack_from('<I', b, pos)[0]; pos += 4
        for _ in range(nspans):
            pos += 8 + struct.unpack_from('<I', b, pos + 4)[0]
        n += 1
        if n == want:
            old = struct.unpack_from('<I', b, start + 1)[0]
            struct.pack_into('<I', b, start + 1, old - 1 if old > 0 else old + 1)
            struct.pack_into('<Q', b, pos, fnv(b[start:pos]))
            break
        pos += 8
open(path, 'wb').write(b)
EOF

trace=$tmp/bad
cp "$tmp/good" "$trace"
run_module=$wasm
replay_opts=()
case $case_ in
  # a recording cut off (killed): the replay goes as far as the trace
  # does; cut in the END record, every call is there
  truncated) head -c $((size - 5)) "$tmp/good" >"$trace"
    expect="without its END record (the recorded run was cut off)"
    expect2="the replay made every call, then the program returned" ;;
  cut) head -c $((size / 2)) "$tmp/good" >"$trace"
    expect="the recorded run was cut off there (no END record: killed?); the replay stops at call" ;;
  flipped) python3 "$tmp/patch.py" flip "$trace" 60; expect="fails its checksum" ;;
  other-module) run_module=$other; expect="recorded for another module" ;;
  future-version) python3 "$tmp/patch.py" u32 "$trace" 8 2
    expect="format version 2 is not supported (this wdb-run reads version 1)" ;;
  not-a-trace) cp "$wasm" "$trace"; expect="not a wdb trace" ;;
  diverge-call)
    # the first call (args_sizes_get) recorded as another import: the
    # program makes the call it always makes, which is not the recorded one
    python3 "$tmp/patch.py" import "$trace" 1
    expect="replay diverged at call 1 (count "
    expect2="expected " ;;
  diverge-end)
    # the same calls, but the replay runs out of fuel before the end
    replay_opts=(--fuel=200)
    expect="replay diverged at "
    expect2="the program trapped" ;;
  missing) trace=$tmp/none; expect="cannot read trace $tmp/none" ;;
  *) die "unknown case $case_" ;;
esac

"$wdb_run" ${replay_opts[@]+"${replay_opts[@]}"} --replay="$trace" -- "$run_module" \
  >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
fail=0
[ "$rc" = 1 ] || { echo "FAIL: exit status $rc, expected 1"; fail=1; }
lines=$(wc -l <"$tmp/err")
[ "$lines" = 1 ] || { echo "FAIL: $lines lines on stderr, expected one"; fail=1; }
grep -q '^wdb-run: error: ' "$tmp/err" || { echo "FAIL: no 'wdb-run: error:' line"; fail=1; }
grep -qF -- "$expect" "$tmp/err" || { echo "FAIL: stderr lacks '$expect'"; fail=1; }
if [ -n "${expect2:-}" ] && ! grep -qF -- "$expect2" "$tmp/err"; then
  echo "FAIL: stderr lacks '$expect2'"
  fail=1
fi
echo "stderr: $(head -c 400 "$tmp/err")"
[ $fail -eq 0 ] && echo "OK"
exit $fail
