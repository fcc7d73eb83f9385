#!/usr/bin/env bash
# The GitHub Action's run step (action.yml): runs MODULE [ARGS...] under
# `wdb -batch --annotate=github` with a core file written on a trap, prints
# the report (backtrace, locals) to the log, writes the step's outputs
# (status, core, report) to $GITHUB_OUTPUT and exits with the program's
# status. $WDB_ACTION_RUN_ARGS: wdb-run options, split on spaces.
set -uo pipefail
[ $# -ge 1 ] || { echo "usage: run.sh MODULE.wasm [ARGS...]" >&2; exit 2; }
module=$1
shift
out=${RUNNER_TEMP:-/tmp}/wdb
mkdir -p "$out"
core=$out/$(basename "$module" .wasm).core
report=$out/$(basename "$module" .wasm).report.txt
rm -f "$core"
runtime_args=(--runtime-arg=--core-on-trap="$core")
for a in ${WDB_ACTION_RUN_ARGS:-}; do runtime_args+=(--runtime-arg="$a"); done
wdb -batch --annotate=github "${runtime_args[@]}" -ex run -ex bt -ex 'info locals' \
    --args "$module" "$@" 2>&1 | tee "$report"
status=${PIPESTATUS[0]}
{
    echo "status=$status"
    if [ -s "$core" ]; then
        echo "core=$core"
        echo "report=$report"
    else
        echo "core="
        echo "report="
    fi
} >>"${GITHUB_OUTPUT:-/dev/null}"
exit "$status"
