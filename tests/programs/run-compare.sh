#!/usr/bin/env bash
# Runs one C program twice, built natively and built to Wasm (under
# wdb-run), with the same arguments, stdin and environment, each in a fresh
# empty directory, and fails on any difference in stdout, exit status or
# the files left behind. Prints a diff on mismatch.
#
#   run-compare.sh --native BIN --wasm MODULE --wdb-run WDB_RUN
#                  [--stdin FILE] [--env NAME=VALUE]... [--input FILE]...
#                  [-- ARGS...]
#
# --input copies FILE into both directories first (a script for an
# interpreter: ARGS name it by its base name).
#
# The native program runs with `env -i` plus the --env variables, so both
# see exactly the same environment (wdb-run passes only --env). The Wasm
# program gets its directory preopened as "." (--dir=TMP::.), so wasi-libc
# resolves relative paths against it just as the native program does
# against its working directory.
set -u

die() { echo "run-compare: $*" >&2; exit 2; }

native= wasm= wdb_run= stdin=/dev/null
envs=() inputs=()
while [ $# -gt 0 ]; do
  case $1 in
    --native) native=$2; shift 2 ;;
    --wasm) wasm=$2; shift 2 ;;
    --wdb-run) wdb_run=$2; shift 2 ;;
    --stdin) stdin=$2; shift 2 ;;
    --env) envs+=("$2"); shift 2 ;;
    --input) inputs+=("$2"); shift 2 ;;
    --) shift; break ;;
    *) die "unknown option $1" ;;
  esac
done
[ -x "$native" ] || die "no native binary: '$native'"
[ -f "$wasm" ] || die "no Wasm module: '$wasm'"
[ -x "$wdb_run" ] || die "no wdb-run: '$wdb_run'"
[ -r "$stdin" ] || die "cannot read stdin file '$stdin'"
# The programs run in other directories: make every path absolute.
native=$(realpath "$native") wasm=$(realpath "$wasm")
wdb_run=$(realpath "$wdb_run") stdin=$(realpath "$stdin")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wdb-e2e.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/native" "$tmp/wasm"
for f in ${inputs[@]+"${inputs[@]}"}; do
  cp "$f" "$tmp/native/" && cp "$f" "$tmp/wasm/" || die "cannot copy input '$f'"
done

wdb_envs=()
for e in ${envs[@]+"${envs[@]}"}; do wdb_envs+=("--env=$e"); done

# A hung runtime must fail the test, not the whole ctest run.
limit=${WDB_E2E_TIMEOUT:-60}

(cd "$tmp/native" && exec timeout "$limit" env -i ${envs[@]+"${envs[@]}"} "$native" "$@") \
  <"$stdin" >"$tmp/native.out" 2>"$tmp/native.err"
native_rc=$?
(cd "$tmp/wasm" && exec timeout "$limit" "$wdb_run" --dir="$tmp/wasm::." \
  ${wdb_envs[@]+"${wdb_envs[@]}"} -- "$wasm" "$@") \
  <"$stdin" >"$tmp/wasm.out" 2>"$tmp/wasm.err"
wasm_rc=$?

fail=0
if ! cmp -s "$tmp/native.out" "$tmp/wasm.out"; then
  echo "FAIL: stdout differs (--- native, +++ wdb-run):"
  diff -u --label native --label wdb-run "$tmp/native.out" "$tmp/wasm.out" | head -n 80
  fail=1
fi
for side in native wasm; do
  rc_var=${side}_rc
  [ "${!rc_var}" = 124 ] && echo "FAIL: the $side run timed out after ${limit}s"
done
if [ "$native_rc" != "$wasm_rc" ]; then
  echo "FAIL: exit status differs: native $native_rc, wdb-run $wasm_rc"
  fail=1
fi
# The files the program left: names, types and contents.
if ! diff -r "$tmp/native" "$tmp/wasm" >"$tmp/tree.diff" 2>&1; then
  echo "FAIL: the files left behind differ:"
  sed -e "s|$tmp/||g" "$tmp/tree.diff" | head -n 40
  fail=1
fi
if [ $fail -ne 0 ]; then
  for side in native wasm; do
    if [ -s "$tmp/$side.err" ]; then
      echo "--- $side stderr:"
      head -n 30 "$tmp/$side.err"
    fi
  done
  exit 1
fi
echo "OK: $(wc -l <"$tmp/native.out") lines of stdout, exit status $native_rc," \
  "$(cd "$tmp/native" && find . -mindepth 1 | wc -l) files left"
exit 0
