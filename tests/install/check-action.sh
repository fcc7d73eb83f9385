#!/usr/bin/env bash
# The GitHub Action (scripts/github-action): its run step, run.sh, with the
# variables GitHub sets (RUNNER_TEMP, GITHUB_OUTPUT) and wdb in PATH, as
# the runner would run it. A program that passes: status 0, no
# annotation, no core. A program that traps: status 134, an ::error line
# on the trapping source line, the backtrace in the log, and the core and
# the report at the paths the step's outputs name (what the upload step
# keeps). And action.yml wires those outputs.
#
#   check-action.sh SOURCE_DIR BIN_DIR PASSING.wasm TRAPPING.wasm TRAPPING_SOURCE.c
set -uo pipefail
. "$(dirname "$0")/common.sh"
src=$1 bin=$2 good=$(realpath "$3") trapping=$(realpath "$4") trap_src=$5
run() { # NAME MODULE ARGS...: the step, as the runner runs it
    local name=$1
    shift
    mkdir -p "$work/$name"
    : >"$work/$name/output"
    (cd "$work" && RUNNER_TEMP="$work/$name/tmp" GITHUB_OUTPUT="$work/$name/output" \
        PATH="$bin:$PATH" bash "$src/scripts/github-action/run.sh" "$@") >"$work/$name/log" 2>&1
    ST=$?
}
get() { sed -n "s/^$2=//p" "$work/$1/output" | tail -1; }

run pass "$good"
[ "$ST" = 0 ] && ok "passing program: status 0" || bad "passing program: status $ST"
grep -q '^::error' "$work/pass/log" && bad "passing program annotated" || ok "passing program: no annotation"
[ "$(get pass status)" = 0 ] && [ -z "$(get pass core)" ] && ok "passing program: outputs status=0, no core" ||
    bad "passing outputs: $(cat "$work/pass/output")"

run trap "$trapping" div
[ "$ST" = 134 ] && ok "trapping program: status 134" || bad "trapping program: status $ST"
line=$(grep -n 'return a / b' "$trap_src" | head -1 | cut -d: -f1)
grep -q "^::error file=.*$(basename "$trap_src"),line=$line,title=Wasm trap::integer divide by zero" \
    "$work/trap/log" && ok "annotation on $(basename "$trap_src"):$line" ||
    bad "no ::error on line $line: $(grep '^::' "$work/trap/log")"
grep -q '^#0 .* in divide (' "$work/trap/log" && ok "the backtrace is in the log" || bad "no backtrace"
core=$(get trap core) report=$(get trap report)
[ "$(get trap status)" = 134 ] && [ -s "$core" ] && [ -s "$report" ] &&
    ok "outputs: status=134, core and report exist" || bad "trap outputs: $(cat "$work/trap/output")"
case $core in "$work/trap/tmp/"*) ok "the core is under RUNNER_TEMP" ;; *) bad "core at $core" ;; esac
# a core that wdb reads back
out=$(PATH="$bin:$PATH" wdb -batch -ex bt -c "$core" "$trapping" 2>&1)
grep -q '^#0 .* in divide (' <<<"$out" && ok "the core reads back" || bad "core: $(head -c 300 <<<"$out")"

# action.yml: the run step's id and outputs, the upload on a trap
y=$src/scripts/github-action/action.yml
for want in "using: composite" "id: run" 'run.sh" "${{ inputs.module }}"' \
            'value: ${{ steps.run.outputs.core }}' "uses: actions/upload-artifact@v4" \
            '${{ steps.run.outputs.report }}'; do
    grep -qF -- "$want" "$y" && ok "action.yml: $want" || bad "action.yml lacks: $want"
done
exit $fail
