#!/usr/bin/env bash
# How fast lldb-22 steps through wdb-run (not a test: prints numbers).
#
#   bench/lldb-step.sh [BUILD_DIR]   (default: build)
#
# 1. `next` over the one-line loop of 200 iterations in
#    tests/lldb/programs/steps.c (spin(), -O0): LLDB steps over the line's
#    address range, which the stub runs inside the runtime (vCont;r), so the
#    cost should not grow with the iterations. Target: under 2 s.
# 2. The round trip of one `thread step-inst`: N of them in a row, timed in
#    LLDB's Python, divided by N.
# Both are timed inside LLDB (time.time() around the command) so LLDB's own
# start-up and the module load are not counted; the packet counts come from
# wdb-run --gdb-log.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
wdb_run=$build/bin/wdb-run
N=${WDB_BENCH_STEPS:-500}
for tool in lldb-22 clang-22; do
    command -v $tool >/dev/null || { echo "$tool not found: run scripts/install-deps.sh" >&2; exit 1; }
done
[ -x "$wdb_run" ] || { echo "no $wdb_run: build first (cmake --build $build)" >&2; exit 1; }

work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
src=$root/tests/lldb/programs/steps.c
clang-22 --target=wasm32-wasi -Wno-deprecated -g -O0 "$src" -o "$work/steps.wasm"
loop_line=$(grep -n 'LINE_SPIN_LOOP' "$src" | cut -d: -f1)

session() { # $1: name, rest: lldb -o commands after the breakpoint stop
    local name=$1
    shift
    local args=(-o "settings set platform.plugin.wasm.runtime-path $wdb_run"
        -o "settings set -- platform.plugin.wasm.port-arg -g=127.0.0.1:"
        -o "settings set -- platform.plugin.wasm.runtime-args --gdb-log=$work/$name.log"
        -o "platform select wasm" -o "target create $work/steps.wasm"
        -o "b steps.c:$loop_line" -o "run" -o "script import time"
        -o "script import re; open('$work/$name.mark','w').write(str(sum(1 for _ in open('$work/$name.log'))))")
    for c in "$@"; do args+=(-o "$c"); done
    args+=(-o "kill")
    timeout 300 lldb-22 --no-lldbinit -b "${args[@]}" </dev/null >"$work/$name.out" 2>&1 || {
        echo "lldb session $name failed:" >&2
        cat "$work/$name.out" >&2
        exit 1
    }
}
packets() { # requests sent by LLDB after the mark, up to the kill
    local name=$1 from
    from=$(cat "$work/$name.mark")
    tail -n +"$((from + 1))" "$work/$name.log" | grep -c '^-> ' || true
}

# 1. next over the loop line
session next \
    "script t0 = time.time(); lldb.debugger.HandleCommand('next'); print('NEXT_SECONDS %.4f' % (time.time() - t0))" \
    "frame info"
next_s=$(sed -n 's/^NEXT_SECONDS //p' "$work/next.out")
after=$(grep -A1 "(lldb) frame info" "$work/next.out" | tail -1)
echo "next over a one-line loop of 200 iterations (-O0): ${next_s} s, $(packets next) requests (target < 2 s)"
echo "  stopped at: ${after#*\`}"
case "$after" in
*"steps.c:$((loop_line + 1))"*) ;;
*) echo "  WARNING: expected to stop at steps.c:$((loop_line + 1))" ;;
esac

# 2. N single instruction steps
session stepi \
    "script th = lldb.debugger.GetSelectedTarget().GetProcess().GetSelectedThread(); t0 = time.time(); [th.StepInstruction(False) for _ in range($N)]; dt = time.time() - t0; print('STEPI_SECONDS %.4f' % dt)"
stepi_s=$(sed -n 's/^STEPI_SECONDS //p' "$work/stepi.out")
reqs=$(packets stepi)
awk -v n="$N" -v s="$stepi_s" -v r="$reqs" 'BEGIN {
    printf "thread step-inst: %d in %.3f s = %.2f ms per step, %.1f requests per step\n", n, s, 1000 * s / n, r / n }'
