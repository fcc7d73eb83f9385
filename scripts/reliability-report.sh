#!/usr/bin/env bash
# Writes docs/RELIABILITY.md: what every input interface of wdb was fed and
# what happened. Runs, in order:
#   1. every libFuzzer target for SECONDS each (bench/fuzz.sh: module, dwarf,
#      core, rsp, dap), in FUZZ_BUILD_DIR (clang-22, -DWDB_FUZZ=ON);
#   2. in BUILD_DIR (configured and built here if needed): the bad-input
#      tests of each interface, the fault tests, the soak test and the
#      replay of every committed fuzz corpus, through ctest;
#   3. reads the last ASan+UBSan ctest run of ASAN_BUILD_DIR (what
#      scripts/test.sh runs after the normal suite; not re-run here: it
#      takes the whole suite) from its Testing/Temporary/LastTest.log.
# Then writes the report (OUT) from what the runs printed.
#
#   scripts/reliability-report.sh [SECONDS]      (default 30 per fuzz target)
#
# Environment: BUILD_DIR (default build), FUZZ_BUILD_DIR (build-fuzz),
# ASAN_BUILD_DIR (build-asan), OUT (docs/RELIABILITY.md); REPORT_ONLY=1
# writes the report again from the last run's logs (BUILD_DIR/reliability/)
# without running anything. Exit status 1
# when a test failed or a fuzzer found something (the report is written
# anyway).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-30}
build=${BUILD_DIR:-$root/build}
fuzz_build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
asan=${ASAN_BUILD_DIR:-$root/build-asan}
out=${OUT:-$root/docs/RELIABILITY.md}
logs=$build/reliability
mkdir -p "$logs"
status=0

# The tests this report reads, by interface (ctest names).
tests=(
    e2e.cli.bad-modules fuzz.replay.module
    e2e.protocol fuzz.replay.rsp
    e2e.bridge.bad-input fuzz.replay.dwarf
    e2e.core.bad-core fuzz.replay.core
    dap.bad-input dap.websocket fuzz.replay.dap
    e2e.wdb.errors.inventory.O0.dwarf4 e2e.wdb.errors.inventory.O0.dwarf5
    e2e.faults.gdb-disconnect e2e.faults.listen-disconnect e2e.faults.bridge-kill
    e2e.faults.fd-leak e2e.faults.sandbox e2e.faults.soak e2e.faults.stub-restart
    e2e.faults.exposure e2e.faults.inputs e2e.faults.host-memory e2e.faults.blocked
    e2e.faults.fuel-stop
)

if [ "${REPORT_ONLY:-0}" = 1 ]; then
    # write the report again from the last run's logs ($logs)
    secs=$(awk 'NR == 2 { print $2 }' "$logs/fuzz.txt")
else
echo "--- build ($build)"
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" >"$logs/configure.log" 2>&1 ||
        { echo "configure failed: $logs/configure.log" >&2; exit 1; }
fi
cmake --build "$build" -j"$(nproc)" >"$logs/build.log" 2>&1 ||
    { echo "build failed: $logs/build.log" >&2; exit 1; }

echo "--- fuzzing, $secs s per target ($fuzz_build)"
FUZZ_BUILD_DIR=$fuzz_build "$root/bench/fuzz.sh" "$secs" | tee "$logs/fuzz.txt" || status=1

echo "--- tests"
regex="^($(printf '%s|' "${tests[@]}" | sed 's/|$//; s/\./\\./g'))\$"
(cd "$build" && ctest -R "$regex" --output-on-failure) >"$logs/ctest.txt" 2>&1 || status=1
grep -E 'Test +#' "$logs/ctest.txt"
cp "$build/Testing/Temporary/LastTest.log" "$logs/LastTest.log" 2>/dev/null

echo "--- probes (one bad input per interface, what it answers)"
# probe INTERFACE INPUT COMMAND...: one row "INTERFACE<TAB>INPUT<TAB>STATUS<TAB>
# last line of output" in probes.txt (a hang is status "timeout")
probe_dir=$logs/probes
rm -rf "$probe_dir"
mkdir -p "$probe_dir"
probe() {
    local iface=$1 input=$2 st line
    shift 2
    timeout 20 "$@" >"$probe_dir/out" 2>&1 </dev/null
    st=$?
    [ $st = 124 ] && st=timeout
    line=$(grep -v '^$' "$probe_dir/out" | tail -1 | sed "s#$probe_dir/##g; s#$build/##g; s#|#/#g" | cut -c1-220)
    printf '%s\t%s\t%s\t%s\n' "$iface" "$input" "$st" "$line" >>"$logs/probes.txt"
}
: >"$logs/probes.txt"
bin=$build/bin
hello=$build/tests/cli/hello.wasm
traps=$build/tests/core/traps.O0.wasm
head -c 60 "$hello" >"$probe_dir/truncated.wasm"
head -c 4096 /dev/urandom >"$probe_dir/random.wasm"
printf '\0asm\1\0\0\0\x01\x05\x01\x60\x00\x01' >"$probe_dir/badtype.wasm"
probe 'wdb-run' 'a module cut at 60 bytes' "$bin/wdb-run" "$probe_dir/truncated.wasm"
probe 'wdb-run' '4 KiB of random bytes' "$bin/wdb-run" "$probe_dir/random.wasm"
probe 'wdb-run' 'a type section whose size runs past the end of the file' "$bin/wdb-run" "$probe_dir/badtype.wasm"
probe 'wdb-run' 'a directory' "$bin/wdb-run" "$probe_dir"
probe 'wdb-run' '-g on a non-loopback address' "$bin/wdb-run" -g=0.0.0.0:0 "$hello"
"$bin/wasm-mutate" "$traps" "$probe_dir/flipped.wasm" flip .debug_info 40 >/dev/null 2>&1
"$bin/wasm-mutate" "$traps" "$probe_dir/cutline.wasm" truncate .debug_line 30 >/dev/null 2>&1
probe 'wdb (DWARF)' '.debug_info with bytes flipped, break main' "$bin/wdb" -batch -ex 'break main' "$probe_dir/flipped.wasm"
probe 'wdb (DWARF)' '.debug_line cut to 30 bytes, break traps.c:12' "$bin/wdb" -batch -ex 'break traps.c:12' "$probe_dir/cutline.wasm"
probe 'wdb (DWARF)' 'wdb symbolize on random bytes' "$bin/wdb" symbolize "$probe_dir/random.wasm" 0x10
WDB_CORE_ON_TRAP=$probe_dir/div.core "$bin/wdb-run" "$traps" div >/dev/null 2>&1
head -c 300 "$probe_dir/div.core" >"$probe_dir/short.core"
probe 'wdb -c (cores)' 'a core cut at 300 bytes' "$bin/wdb" -batch -c "$probe_dir/short.core" "$traps"
probe 'wdb -c (cores)' "another module's core" "$bin/wdb" -batch -c "$probe_dir/div.core" "$hello"
probe 'wdb -c (cores)' 'a text file' "$bin/wdb" -batch -c "$root/README.md" "$traps"
dap_msg() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
dap_msg '{"seq":1,"type":"request","command":"initialize","arguments":{' >"$probe_dir/dap1"
dap_msg '{"seq":1,"type":"request","command":"fly"}' >"$probe_dir/dap2"
dap_msg '{"seq":1,"type":"request","command":"stackTrace","arguments":{"threadId":1}}' >"$probe_dir/dap3"
dapsh() { "$bin/wdb" --dap <"$1" | tr '\r\n' '  ' | sed 's/Content-Length: [0-9]*  *//g'; echo; }
probe 'wdb --dap' 'malformed JSON' bash -c "$(declare -f dapsh); bin=$bin; dapsh $probe_dir/dap1"
probe 'wdb --dap' 'an unknown request' bash -c "$(declare -f dapsh); bin=$bin; dapsh $probe_dir/dap2"
probe 'wdb --dap' 'stackTrace before launch' bash -c "$(declare -f dapsh); bin=$bin; dapsh $probe_dir/dap3"
probe 'wdb --dap-ws' 'no token' env -u WDB_DAP_TOKEN "$bin/wdb" --dap-ws=127.0.0.1:0
probe 'wdb --dap-ws' 'a non-loopback address' env WDB_DAP_TOKEN=probe-token-0123456789 "$bin/wdb" --dap-ws=0.0.0.0:0
probe 'wdb (CLI)' 'an expression with a syntax error' "$bin/wdb" -batch -ex 'print 1 +* (' "$traps"
probe 'wdb (CLI)' 'x on an address past linear memory' "$bin/wdb" -batch -ex 'break main' -ex run -ex 'x/4xb 0xfffffff0' --args "$traps" div
fi

# result NAME: "pass (12.3 s)", "FAIL" or "not run"
result() {
    local line
    line=$(grep -E "Test +#[0-9]+: $1 \.+" "$logs/ctest.txt" | tail -1)
    if [ -z "$line" ]; then echo "not run"
    elif [[ $line == *" Passed "* ]]; then echo "pass ($(awk '{ print $(NF-1) }' <<<"$line") s)"
    else echo "**FAIL**"
    fi
}
# output NAME: what the test printed (from LastTest.log)
output() {
    awk -v name="$1" '
        $0 ~ "^[0-9]+/[0-9]+ Test: " name "$" { on = 1; next }
        on && /^<end of output>/ { exit }
        on && seen { print }
        on && /^----------------------------------------------------------$/ { seen = 1 }
    ' "$logs/LastTest.log" 2>/dev/null
}
count() { output "$1" | grep -c "$2"; }
combined() { # the worst of several results
    local r all=""
    for t in "$@"; do
        r=$(result "$t")
        case $r in **FAIL**) echo "**FAIL** ($t)"; return ;; "not run") all="not run ($t)" ;; esac
    done
    echo "${all:-pass}"
}

# fuzz table: target seconds executions new-units findings
fuzz_row() { awk -v t="$1" '$1 == t { print }' "$logs/fuzz.txt"; }
fuzz_cell() {
    local row
    row=$(fuzz_row "$1")
    [ -n "$row" ] || { echo "not run"; return; }
    read -r _ s e _ f <<<"$row"
    echo "$e runs in $s s, $f findings"
}
regressions() { find "$root/tests/fuzz/corpus/$1" -name 'finding-*' | wc -l; }
seeds() { find "$root/tests/fuzz/corpus/$1" -type f | wc -l; }

# the ASan+UBSan run
asan_log=$asan/Testing/Temporary/LastTest.log
if [ -f "$asan_log" ] && grep -q 'WDB_SANITIZE:BOOL=ON' "$asan/CMakeCache.txt" 2>/dev/null; then
    # a test judged by PASS_REGULAR_EXPRESSION logs no "Test Passed."
    a_pass=$(($(grep -c '^Test Passed\.' "$asan_log") +
        $(grep -c 'Required regular expression found\. Regex' "$asan_log")))
    a_fail=$(grep -c '^Test Failed\.' "$asan_log")
    a_end=$(sed -n 's/^End testing: //p' "$asan_log" | tail -1)
    # (not `ctest -N` there: it would write a new, empty LastTest.log)
    a_total=$(sed -n 's#^[0-9]*/\([0-9]*\) Testing: .*#\1#p' "$asan_log" | tail -1)
    if [ "$a_fail" -eq 0 ] && [ "$a_pass" -gt 0 ]; then a_res=pass; else a_res="**FAIL**"; fi
    asan_cell="$a_res: $a_pass passed, $a_fail failed of the $a_total tests registered there (run ended ${a_end:-?})"
    [ $((a_pass + a_fail)) -eq 0 ] &&
        a_res=unknown asan_cell="unknown: the last ctest run in $(basename "$asan") (ended ${a_end:-?}) ran no tests (a -R/-L that matched none); run scripts/test.sh"
    [ "$a_res" = pass ] && [ "$a_pass" -lt "${a_total:-0}" ] && asan_cell="$asan_cell; a partial run (ctest -R/-L)"
    changed=$(find "$root"/runtime "$root"/debug-engine "$root"/gdbstub "$root"/lldb-bridge "$root"/tests \
        -type f \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.js' -o -name CMakeLists.txt \) \
        -newer "$asan_log" 2>/dev/null | wc -l)
    [ "$changed" -eq 0 ] || asan_cell="$asan_cell; note: $changed source or test files changed since that run"
else
    asan_cell="not run: no ASan+UBSan ctest log in $asan (scripts/test.sh makes one)"
fi

protocol_checks=$(output e2e.protocol | awk '/: [0-9]+ passed, [0-9]+ failed$/ { p += $2; f += $4 } END { print p + 0 " checks passed, " f + 0 " failed" }')
bad_modules=$(output e2e.cli.bad-modules | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -1)
# node --test: "# pass N" (TAP) or "ℹ pass N" (spec reporter)
node_passes() { output "$1" | sed -n 's/^[^ ]* pass \([0-9]*\)$/\1/p' | tail -1; }
dap_bad=$(node_passes dap.bad-input)
dap_ws=$(node_passes dap.websocket)
errors_cmds=$(grep -cv '^#\|^$' "$root/tests/wdb/cases/errors.wdb")
# the probes as table rows (backticks in the output become quotes)
probe_table=$(sed "s#$root/##g" "$logs/probes.txt" 2>/dev/null |
    awk -F'\t' '{ gsub(/`/, "'"'"'", $4); printf "| %s | %s | %s | `%s` |\n", $1, $2, $3, $4 }')

{
cat <<EOF
# Reliability

What every input interface of wdb was fed and what happened. **Generated**
by \`scripts/reliability-report.sh $secs\` on $(date -u '+%Y-%m-%d %H:%M UTC')
(do not edit: run the script again). Fuzzing: $secs s per target, clang-22
libFuzzer with ASan+UBSan. Tests: ctest in \`$(basename "$build")\`.
"pass" means no crash, no hang, no sanitizer report and every documented
outcome checked (message, exit status, the session going on).

## Summary per interface

| Interface | Inputs tried | Tests | Result |
|---|---|---|---|
| \`wdb-run\` module files | every binary \`assert_malformed\`/\`assert_invalid\` module of the spec suite, truncations of a real program's module at ~150 lengths, 60 single-byte corruptions, random bytes, an empty file, a directory, a missing file (${bad_modules:-?}); libFuzzer: decode, validate, instantiate, run ($(fuzz_cell module)) | \`e2e.cli.bad-modules\`, \`fuzz.replay.module\` ($(seeds module) inputs, $(regressions module) of them past findings) | $(combined e2e.cli.bad-modules fuzz.replay.module) |
| GDB stub (RSP) | malformed arguments of every command shape, unknown packets, oversize packets, bad checksums with and without acks, garbage between packets, out-of-range addresses and indices, interrupts in every state (${protocol_checks}); libFuzzer: framed and raw byte streams against a fake target ($(fuzz_cell rsp)); connections dropped at every stage, replies in flight, 20 attach/detach cycles, requests outside the sandbox | \`e2e.protocol\`, \`fuzz.replay.rsp\` ($(seeds rsp) inputs), \`e2e.faults.*\` | $(combined e2e.protocol fuzz.replay.rsp e2e.faults.gdb-disconnect e2e.faults.listen-disconnect e2e.faults.fd-leak e2e.faults.sandbox) |
| DWARF (\`wdb\` reading a module) | unreadable, non-Wasm and truncated modules, DWARF dropped, \`.debug_info\` bytes flipped at 8 offsets, \`.debug_line\` truncated ($(count e2e.bridge.bad-input '^ok:') checks); libFuzzer: mutated modules through the whole DWARF API ($(fuzz_cell dwarf)) | \`e2e.bridge.bad-input\`, \`fuzz.replay.dwarf\` ($(seeds dwarf) inputs, $(regressions dwarf) of them past findings) | $(combined e2e.bridge.bad-input fuzz.replay.dwarf) |
| Core files (\`wdb -c\`) | a core truncated at every length up to 200 bytes and every 997th after, bytes flipped every 61 bytes, another module's core, a text file, a missing file, a module without DWARF; libFuzzer: mutated cores through the whole reader API ($(fuzz_cell core)) | \`e2e.core.bad-core\`, \`fuzz.replay.core\` ($(seeds core) inputs) | $(combined e2e.core.bad-core fuzz.replay.core) |
| DAP (\`wdb --dap\`, \`--dap-ws\`) | malformed JSON, non-requests, unknown requests, requests in the wrong state, broken framing, FIFOs and devices as \`launch\` and \`source\` paths, \`source\` of files the program does not name, a \`writeMemory\` past the end or wrapping (all or nothing) (${dap_bad:-?} node tests); websocket: wrong tokens (one followed by a NUL) and origins, Host headers that are not loopback names (DNS rebinding), oversize, binary and non-UTF-8 messages, fragments, clients vanishing mid-session (${dap_ws:-?} node tests); libFuzzer: mutated request sequences, core sessions included, no process started ($(fuzz_cell dap)) | \`dap.bad-input\`, \`dap.websocket\`, \`fuzz.replay.dap\` ($(seeds dap) inputs, $(regressions dap) of them past findings) | $(combined dap.bad-input dap.websocket fuzz.replay.dap) |
| \`wdb\` command line | $errors_cmds mistaken commands (unknown commands, bad expressions, missing symbols and files, impossible frames and addresses, run control in the wrong state) in one session, checked against a golden transcript | \`e2e.wdb.errors.*\` (DWARF 4 and 5) | $(combined e2e.wdb.errors.inventory.O0.dwarf4 e2e.wdb.errors.inventory.O0.dwarf5) |
| Input files | FIFOs, \`/dev/zero\`, 3 GB sparse files and 3 GB of text given as the module to \`wdb\`, \`wdb-run\`, \`wdb symbolize\` and as a core; a FIFO and \`/dev/zero\` named by the DWARF as the source file; a \`-x\` file that is a FIFO, a 5000-byte command line; \`sizeof\` of a 4 GiB type; 3000 nested blocks disassembled (every file read is bounded: regular files only, a size limit per purpose) | \`e2e.faults.inputs\` | $(result e2e.faults.inputs) |
| Host memory | a module asking for 10,000,000 table elements and \`table.grow\` past \`--max-memory\` (tables count against it), a module of 4 M empty functions (translated lazily, 41 bytes a function) | \`e2e.faults.host-memory\` | $(result e2e.faults.host-memory) |
| Blocked host calls | an interrupt (0x03, Ctrl-C in \`wdb\`) while the program sleeps in \`poll_oneoff\` or blocks in \`fd_read\` of stdin (a stop within 100 ms, the call completed after \`continue\`); a start function that never returns under \`-g\` | \`e2e.faults.blocked\` | $(result e2e.faults.blocked) |
| Out of fuel | \`--fuel\` exhausted under \`wdb\` (a trap stop, not an exit) and the core written then (locals readable) | \`e2e.faults.fuel-stop\` | $(result e2e.faults.fuel-stop) |
| Debugger process killed | \`wdb\` killed with SIGKILL while its program is stopped at a breakpoint and while it runs | \`e2e.faults.bridge-kill\` | $(result e2e.faults.bridge-kill) |
| Device stub restarted | the stub killed under an attached \`wdb\`, a new one started; the same \`wdb\` reports the loss and attaches again | \`e2e.faults.stub-restart\` | $(result e2e.faults.stub-restart) |
| Network exposure | \`wdb-run -g\`/\`--gdb-listen\` on wildcard and non-loopback IPv4/IPv6 addresses (refused before the program runs, unless \`--gdb-allow-remote\`), an empty host (loopback only); \`wdb --dap-ws\` on a non-loopback address, without or with a wrong token, a foreign Origin | \`e2e.faults.exposure\`, \`dap.websocket\` | $(combined e2e.faults.exposure dap.websocket) |
| Long sessions | 10,000 breakpoint hits and 10,000 single steps in one session; wdb-run's memory | \`e2e.faults.soak\` | $(result e2e.faults.soak) |
| Sanitizers | the whole test suite built with ASan+UBSan (\`scripts/test.sh\`, \`$(basename "$asan")\`) | all | $asan_cell |

## Observed: one bad input per interface

Run by this script (not a test: the tests above check these and many
more); the last line each printed, and its exit status.

| Interface | Input | Status | What it said |
|---|---|---|---|
$probe_table

## Fuzzing

\`bench/fuzz.sh $secs\`: each target starts from its committed corpus
(\`tests/fuzz/corpus/TARGET/\`: seeds and every past finding, replayed by
ctest in every build as \`fuzz.replay.TARGET\`).

| Target | What it drives | Seconds | Executions | New coverage units | Findings | Corpus (past findings) |
|---|---|---|---|---|---|---|
EOF
for t in module dwarf core rsp dap; do
    case $t in
    module) what="runtime: decode, validate, instantiate, run every export" ;;
    dwarf) what="bridge: DWARF reader, lines, scopes, types, values" ;;
    core) what="bridge: core dump reader, every query" ;;
    rsp) what="GDB stub: packet parser and every command handler, fake target" ;;
    dap) what="DAP session: every request handler; core sessions" ;;
    esac
    row=$(fuzz_row $t)
    if [ -n "$row" ]; then
        read -r _ s e u f <<<"$row"
    else
        s=- e="not run" u=- f=-
    fi
    echo "| $t | $what | $s | $e | $u | $f | $(seeds $t) ($(regressions $t)) |"
done
cat <<EOF

Past findings kept as regression inputs:

EOF
for t in module dwarf core rsp dap; do
    find "$root/tests/fuzz/corpus/$t" -name 'finding-*' -printf "- \`$t/%f\`\n" | sort
done
cat <<EOF

## Faults

\`tests/faults/faults.sh\` with the RSP client \`tests/faults/fault_rsp.c\`
(a dropped connection is a \`close()\` wherever the script ends). The rule
(runtime/wdb-run/wdb_debug.c, gdbstub/src/gs_server.c): a connection that
closes or fails ends the session like a detach: breakpoints and
watchpoints go and the program runs on. With \`-g\` the program then runs
to its end; with \`--gdb-listen\` the port accepts the next debugger.
"replies in flight" is the regression test of a bug this work fixed: a
debugger hanging up while the stub was still writing killed wdb-run with
SIGPIPE (status 141). The DAP websocket client that vanishes mid-session is
\`dap.websocket\` ("a client that vanishes mid-session does not disturb the
others": its program is ended, the other sessions go on).

| Test | Result |
|---|---|
EOF
for t in gdb-disconnect listen-disconnect bridge-kill fd-leak sandbox exposure stub-restart \
    inputs host-memory blocked fuel-stop; do
    echo "| \`e2e.faults.$t\` | $(result e2e.faults.$t) |"
done
echo
echo '```'
for t in gdb-disconnect listen-disconnect bridge-kill fd-leak sandbox exposure stub-restart \
    inputs host-memory blocked fuel-stop; do
    output e2e.faults.$t | grep -E '^(ok|FAIL|fd-leak):'
done
echo '```'
cat <<EOF

## Soak

\`tests/faults/soak.sh\`: one \`wdb-run -g\` session over TCP, 10,000
continues that each stop at a breakpoint, then 10,000 single steps, then
the program runs to its end. VmRSS from \`/proc/PID/status\`; the check is
growth from the first stop to the end below 1 MiB. Result: $(result e2e.faults.soak).

\`\`\`
$(output e2e.faults.soak | grep -E '^(soak|ok|FAIL)')
\`\`\`

## Sanitizers

$asan_cell.
EOF
} >"$out"
echo "--- wrote $out"
grep -q '\*\*FAIL\*\*' "$out" && status=1
exit $status
