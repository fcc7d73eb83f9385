#!/usr/bin/env bash
# One core dump test (tests/core/CMakeLists.txt registers them):
#
#   run-core.sh --mode MODE --wdb-run W --check CHECK_CORE --objdump WASM_OBJDUMP
#               --validate WASM_VALIDATE --wasm M --arg A -- [check_core options]
#
# Runs `wdb-run M A` so that it traps and writes a core, then checks:
#   - exit status 134 and the report's last line `wdb-run: core dumped to PATH`;
#   - wasm-objdump -h: the custom sections core, coremodules, coreinstances,
#     corestack, wdb.module, wdb.trap; Memory and Global; Data with at least
#     one segment; wasm-objdump -x: the memory's pages, globals immutable;
#   - wasm-validate: a core is a valid (never instantiated) module;
#   - check_core with the options after `--`, and `wdb.args` holding the
#     program's arguments ("M A");
#   - no temporary file left next to the core.
# MODE says how the core is asked for:
#   option    --core-on-trap=PATH
#   env       WDB_CORE_ON_TRAP=PATH
#   both      both, with different paths: the option wins
#   replace   PATH exists already (an old core): it is replaced
#   badpath   PATH in a missing directory: `cannot write core`, still 134
#   notrap    the program does not trap: no core, no line
#   attached  wdb-run -g with a minimal RSP client (bash /dev/tcp): continue,
#             the trap stop arrives, the core must exist at that moment;
#             continue again, the program ends with 134
#   listen    --gdb-listen with no debugger: the engine's hook does not stop,
#             the core is written after the frames unwound
set -uo pipefail

mode= wdb_run= check= objdump= validate= wasm= arg=
while [ $# -gt 0 ]; do
  case $1 in
    --mode) mode=$2; shift 2 ;;
    --wdb-run) wdb_run=$2; shift 2 ;;
    --check) check=$2; shift 2 ;;
    --objdump) objdump=$2; shift 2 ;;
    --validate) validate=$2; shift 2 ;;
    --wasm) wasm=$2; shift 2 ;;
    --arg) arg=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "run-core.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

tmp=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
core=$tmp/app.core
err=$tmp/stderr

# The checks common to every mode that writes a core at $1.
check_core_file() {
  local c=$1 h x
  shift
  [ -s "$c" ] || { fail "no core at $c"; return; }
  h=$("$objdump" -h "$c" 2>&1) || fail "wasm-objdump -h failed: $h"
  for s in core coremodules coreinstances corestack wdb.module wdb.trap; do
    grep -q "Custom .*\"$s\"" <<<"$h" || fail "no custom section \"$s\""
  done
  grep -q '^ *Memory .*count: 1$' <<<"$h" || fail "no Memory section with one memory"
  grep -q '^ *Global .*count: [1-9]' <<<"$h" || fail "no Global section"
  grep -q '^ *Data .*count: [1-9]' <<<"$h" || fail "no Data section with segments"
  # -j takes one section: Memory and Global (small), not Data
  x=$("$objdump" -x -j Memory "$c" 2>&1 && "$objdump" -x -j Global "$c" 2>&1) ||
    fail "wasm-objdump -x failed: $x"
  grep -q 'memory\[0\] pages: initial=[1-9]' <<<"$x" || fail "memory pages: $x"
  if grep -q 'mutable=1' <<<"$x"; then fail "a mutable global: $x"; fi
  "$validate" "$c" >"$tmp/validate" 2>&1 || { fail "wasm-validate:"; cat "$tmp/validate" >&2; }
  "$check" "$c" "$wasm" --args "$wasm $arg" "$@" || fail "check_core $*"
  local left
  left=$(find "$(dirname "$c")" -name "$(basename "$c").tmp*")
  [ -z "$left" ] || fail "temporary files left: $left"
}

# Exit status 134 and the report's last line.
check_report() { # status expected-last-line
  [ "$1" -eq 134 ] || fail "exit status $1, expected 134"
  local last
  last=$(tail -n 1 "$err")
  [ "$last" = "$2" ] || fail "last line of the report: '$last', expected '$2'"
}

case $mode in
  option)
    "$wdb_run" --max-call-depth 300 --core-on-trap="$core" "$wasm" "$arg" >"$tmp/out" 2>"$err"
    check_report $? "wdb-run: core dumped to $core"
    check_core_file "$core" "$@"
    ;;
  env)
    WDB_CORE_ON_TRAP=$core "$wdb_run" "$wasm" "$arg" >"$tmp/out" 2>"$err"
    check_report $? "wdb-run: core dumped to $core"
    check_core_file "$core" "$@"
    ;;
  both)
    WDB_CORE_ON_TRAP=$tmp/env.core "$wdb_run" --core-on-trap "$core" "$wasm" "$arg" \
      >"$tmp/out" 2>"$err"
    check_report $? "wdb-run: core dumped to $core"
    [ -e "$tmp/env.core" ] && fail "the environment's path was written too"
    check_core_file "$core" "$@"
    ;;
  replace)
    echo "an old core" >"$core"
    "$wdb_run" --core-on-trap="$core" "$wasm" "$arg" >"$tmp/out" 2>"$err"
    check_report $? "wdb-run: core dumped to $core"
    check_core_file "$core" "$@"
    ;;
  badpath)
    bad=$tmp/missing/dir/app.core
    "$wdb_run" --core-on-trap="$bad" "$wasm" "$arg" >"$tmp/out" 2>"$err"
    check_report $? "wdb-run: cannot write core $bad: No such file or directory"
    grep -q '^wdb-run: trap: ' "$err" || fail "no trap report"
    ;;
  notrap)
    "$wdb_run" --core-on-trap="$core" "$wasm" "$arg" >"$tmp/out" 2>"$err"
    st=$?
    [ "$st" -eq 0 ] || fail "exit status $st, expected 0"
    [ -e "$core" ] && fail "a core was written without a trap"
    [ -s "$err" ] && { fail "stderr not empty:"; cat "$err" >&2; }
    ;;
  listen)
    "$wdb_run" --gdb-listen=127.0.0.1:0 --core-on-trap="$core" "$wasm" "$arg" \
      >"$tmp/out" 2>"$err"
    check_report $? "wdb-run: core dumped to $core"
    check_core_file "$core" "$@"
    ;;
  attached)
    "$wdb_run" -g 127.0.0.1:0 --core-on-trap="$core" "$wasm" "$arg" >"$tmp/out" 2>"$err" &
    pid=$!
    port=
    for _ in $(seq 100); do
      port=$(sed -n 's/.*waiting for a debugger on port \([0-9]*\).*/\1/p' "$err")
      [ -n "$port" ] && break
      sleep 0.1
    done
    [ -n "$port" ] || { fail "wdb-run gave no port"; cat "$err" >&2; exit 1; }
    exec 3<>"/dev/tcp/127.0.0.1/$port" || { fail "cannot connect"; exit 1; }
    # send PACKET: $PACKET#checksum (acks are read by recv)
    send() {
      local p=$1 sum=0 i
      for ((i = 0; i < ${#p}; i++)); do
        sum=$(((sum + $(printf '%d' "'${p:i:1}")) % 256))
      done
      printf '$%s#%02x' "$p" "$sum" >&3
    }
    # recv: the next packet's payload (acks skipped, the packet acked)
    recv() {
      local c pkt=
      while IFS= read -r -n1 -d '' -t 20 c <&3; do
        [ "$c" = '$' ] || continue
        while IFS= read -r -n1 -d '' -t 20 c <&3 && [ "$c" != '#' ]; do pkt+=$c; done
        IFS= read -r -n2 -t 20 _ <&3
        printf '+' >&3
        printf '%s\n' "$pkt"
        return 0
      done
      return 1
    }
    send c
    stop=$(recv) || fail "no stop reply"
    case $stop in T*|S*) ;; *) fail "stop reply '$stop'" ;; esac
    grep -q 'exception' <<<"$stop" || fail "the stop is no trap: '$stop'"
    # the program is stopped at the trap now: the core must be complete
    [ -s "$core" ] || fail "no core at the trap stop"
    send c
    recv >"$tmp/last" || true
    exec 3>&-
    wait "$pid"
    st=$?
    pid=
    check_report "$st" "wdb-run: core dumped to $core"
    check_core_file "$core" "$@"
    ;;
  *) echo "run-core.sh: unknown mode $mode" >&2; exit 2 ;;
esac

if [ "$fails" -ne 0 ]; then
  echo "--- stderr of wdb-run:" >&2
  cat "$err" >&2
  exit 1
fi
echo "ok: $mode $(basename "$wasm") $arg"
