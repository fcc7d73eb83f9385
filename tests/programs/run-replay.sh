#!/usr/bin/env bash
# Records one C program's run under wdb-run (--record) and replays it
# (--replay), and fails unless the replay gives the same stdout, stderr and
# exit status without touching the host: before the replay every file of
# the recorded run (its inputs and what it wrote) is removed, and the
# replay runs in an empty directory with no --dir, no --env, no arguments
# and stdin closed off (/dev/null); it must leave that directory empty.
#
#   run-replay.sh --wasm MODULE --wdb-run WDB_RUN [--via-env]
#                 [--stdin FILE] [--env NAME=VALUE]... [-- ARGS...]
#
# --via-env records with WDB_RECORD=FILE instead of --record=FILE.
#
# The recorded run's stdin is a copy of FILE, removed before the replay
# along with the files the program made and read in its directory.
set -u

die() { echo "run-replay: $*" >&2; exit 2; }

wasm= wdb_run= stdin=/dev/null via_env=0
envs=()
while [ $# -gt 0 ]; do
  case $1 in
    --wasm) wasm=$2; shift 2 ;;
    --wdb-run) wdb_run=$2; shift 2 ;;
    --stdin) stdin=$2; shift 2 ;;
    --via-env) via_env=1; shift ;;
    --env) envs+=("--env=$2"); shift 2 ;;
    --) shift; break ;;
    *) die "unknown option $1" ;;
  esac
done
[ -f "$wasm" ] || die "no Wasm module: '$wasm'"
[ -x "$wdb_run" ] || die "no wdb-run: '$wdb_run'"
[ -r "$stdin" ] || die "cannot read stdin file '$stdin'"
wasm=$(realpath "$wasm") wdb_run=$(realpath "$wdb_run") stdin=$(realpath "$stdin")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wdb-replay.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/rec" "$tmp/replay"
cp "$stdin" "$tmp/stdin"
limit=${WDB_E2E_TIMEOUT:-60}

rec_opt=(--record="$tmp/trace") rec_env=()
[ $via_env = 1 ] && rec_opt=() rec_env=(WDB_RECORD="$tmp/trace")
(cd "$tmp/rec" && exec env ${rec_env[@]+"${rec_env[@]}"} timeout "$limit" "$wdb_run" \
  ${rec_opt[@]+"${rec_opt[@]}"} --dir="$tmp/rec::." ${envs[@]+"${envs[@]}"} -- "$wasm" "$@") \
  <"$tmp/stdin" >"$tmp/rec.out" 2>"$tmp/rec.err"
rec_rc=$?
[ "$rec_rc" = 124 ] && { echo "FAIL: the recorded run timed out after ${limit}s"; exit 1; }
[ -s "$tmp/trace" ] || { echo "FAIL: no trace written"; cat "$tmp/rec.err"; exit 1; }

# The host the replay sees: none of the recorded run's files.
nfiles=$(cd "$tmp/rec" && find . -mindepth 1 | wc -l)
rm -rf "$tmp/rec" "$tmp/stdin"

(cd "$tmp/replay" && exec timeout "$limit" "$wdb_run" --replay="$tmp/trace" -- "$wasm") \
  </dev/null >"$tmp/replay.out" 2>"$tmp/replay.err"
replay_rc=$?

fail=0
for f in out err; do
  if ! cmp -s "$tmp/rec.$f" "$tmp/replay.$f"; then
    echo "FAIL: std$f differs (--- recorded, +++ replayed):"
    diff -u --label recorded --label replayed "$tmp/rec.$f" "$tmp/replay.$f" | head -n 40
    fail=1
  fi
done
if [ "$rec_rc" != "$replay_rc" ]; then
  echo "FAIL: exit status differs: recorded $rec_rc, replayed $replay_rc"
  head -n 5 "$tmp/replay.err"
  fail=1
fi
if [ -n "$(ls -A "$tmp/replay")" ]; then
  echo "FAIL: the replay touched the host: it left files:"
  ls -A "$tmp/replay"
  fail=1
fi
[ $fail -ne 0 ] && exit 1
echo "OK: $(wc -l <"$tmp/rec.out") lines of stdout, $(wc -l <"$tmp/rec.err") of stderr," \
  "exit status $rec_rc, $nfiles files removed, trace $(wc -c <"$tmp/trace") bytes"
exit 0
