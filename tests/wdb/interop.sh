#!/bin/bash
# wdb against a less capable LLDB-compatible stub: rsp-filter (rsp_filter.c)
# in front of a real wdb-run hides features or shrinks packets, and batch
# sessions of wdb run through it.
#
#   interop.sh --mode MODE --wdb WDB --runtime WDB_RUN --filter RSP_FILTER
#              --wasm APP.wasm --srcdir DIR
#              (--expect cases/interop.MODE.expect | --cmds CASE.wdb)
#
# MODE picks the proxy's options and the commands (cases/interop.MODE.wdb,
# where @PORT@ becomes the proxy's port):
#   restricted     no range stepping, no watchpoints, acks, no jThreadsInfo,
#                  no qXfer:libraries
#   small-packets  acks and PacketSize 256
#   line-noise     acks, with some packets nacked and some sent damaged
#   minimal        a stub of `c` and `s` only: no vCont at all, no operand
#                  stack reads (qWasmStackValue), nor anything restricted
#                  hides
#   compare        CASE.wdb (its `run` becomes `continue` after `target
#                  remote`) through a proxy that hides nothing and through
#                  one with all of the above at once: the transcripts must
#                  agree but for the lines that say what the stub lacks
# Checks, each of which fails the test on its own:
#   - the transcript equals the expected one after normalisation (the
#     program's path becomes APP.wasm, the source directory SRC, the
#     proxy's port PORT, process ids PID); WDB_REGEN=1 writes it instead,
#     for a developer to read before committing; in compare mode the two
#     transcripts, exit statuses and program outputs agree instead;
#   - wdb, rsp-filter and wdb-run exit with status 0 and the program printed
#     its line (it ran to its end);
#   - the proxy's log: no VIOLATION (a packet the stub said it does not
#     take), every packet sent in ack mode acknowledged, and per mode what
#     must have happened on the wire (single steps instead of vCont;r,
#     split memory reads, resends).
set -u
. "$(dirname "$0")/cmds-as-ex.sh"
mode= wdb= runtime= filter= wasm= expect= srcdir= cmds=
while [ $# -gt 0 ]; do
    case "$1" in
    --mode) mode=$2; shift 2 ;;
    --wdb) wdb=$2; shift 2 ;;
    --runtime) runtime=$2; shift 2 ;;
    --filter) filter=$2; shift 2 ;;
    --wasm) wasm=$2; shift 2 ;;
    --expect) expect=$2; shift 2 ;;
    --cmds) cmds=$2; shift 2 ;;
    --srcdir) srcdir=$2; shift 2 ;;
    *) echo "interop.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ "$mode" = compare ] && expect=-
for v in mode wdb runtime filter wasm expect srcdir; do
    if [ -z "${!v}" ]; then echo "interop.sh: --$v is required" >&2; exit 2; fi
done
case "$mode" in
restricted) fopts=(--no-range-step --no-watchpoints --ack-mode --no-jthreads --no-libraries) ;;
small-packets) fopts=(--ack-mode --packet-size 256) ;;
line-noise) fopts=(--ack-mode --nack-every 5 --corrupt-every 7) ;;
minimal) fopts=(--no-vcont --no-stack-values --no-watchpoints --ack-mode --no-jthreads --no-libraries) ;;
compare) fopts=(--no-range-step --no-watchpoints --ack-mode --no-jthreads --no-libraries
                --packet-size 256 --nack-every 7 --corrupt-every 6) ;;
*) echo "interop.sh: unknown mode $mode" >&2; exit 2 ;;
esac
cmds_in=${cmds:-$(dirname "$0")/cases/interop.$mode.wdb}

tmp=$(mktemp -d)
rt_pid= pf_pid=
cleanup() {
    # only the processes this script started, by their ids
    [ -n "$pf_pid" ] && kill "$pf_pid" 2>/dev/null
    [ -n "$rt_pid" ] && kill "$rt_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

fail=0
failed() { echo "FAIL: $*"; fail=1; }

# wait_for FILE SED_EXPR: the first match of SED_EXPR in FILE, within 10 s
wait_for() {
    local i v
    for i in $(seq 100); do
        v=$(sed -n "$2" "$1" 2>/dev/null | head -n 1)
        if [ -n "$v" ]; then echo "$v"; return 0; fi
        sleep 0.1
    done
    return 1
}

# wait_exit PID NAME: its exit status, or kills it after 20 s
wait_exit() {
    local i
    for i in $(seq 200); do
        kill -0 "$1" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$1" 2>/dev/null; then
        failed "$2 still runs after the session ended"
        kill "$1" 2>/dev/null
    fi
    wait "$1"
}

# session NAME CMDS FILTER_OPTIONS...: wdb-run, rsp-filter in front of it
# and one batch session of wdb through it, with CMDS's @PORT@ the proxy's
# port. Leaves $tmp/NAME.out (normalised transcript), NAME.log (the proxy's
# log), NAME.program (the program's output) and NAME.status (the three exit
# statuses: wdb, rsp-filter, wdb-run).
session() {
    local name=$1 cmds=$2 rt_port pf_port rc pf_rc rt_rc
    shift 2
    "$runtime" -g=127.0.0.1:0 "$wasm" >"$tmp/$name.program" 2>"$tmp/$name.runtime" &
    rt_pid=$!
    if ! rt_port=$(wait_for "$tmp/$name.runtime" 's/.*waiting for a debugger on port \([0-9][0-9]*\).*/\1/p'); then
        echo "FAIL: wdb-run did not say its port:"; cat "$tmp/$name.runtime"; exit 1
    fi
    "$filter" --listen 0 --upstream "127.0.0.1:$rt_port" "$@" --log "$tmp/$name.log" \
        >"$tmp/$name.filter" 2>"$tmp/$name.filter-err" &
    pf_pid=$!
    if ! pf_port=$(wait_for "$tmp/$name.filter" 's/^listening on \([0-9][0-9]*\)$/\1/p'); then
        echo "FAIL: rsp-filter did not say its port:"; cat "$tmp/$name.filter-err"; exit 1
    fi
    sed "s/@PORT@/$pf_port/g" "$cmds" >"$tmp/$name.wdb"
    # each line its own -ex: the restricted stub refuses some commands on
    # purpose, and a -x file would stop at the first
    cmds_as_ex "$tmp/$name.wdb"
    timeout 120 "$wdb" -batch "${ex_args[@]}" "$wasm" >"$tmp/$name.raw" 2>&1
    rc=$?
    wait_exit "$pf_pid" rsp-filter
    pf_rc=$?
    pf_pid=
    wait_exit "$rt_pid" wdb-run
    rt_rc=$?
    rt_pid=
    echo "$rc $pf_rc $rt_rc" >"$tmp/$name.status"
    [ "$pf_rc" = 0 ] || failed "rsp-filter exited with status $pf_rc: $(cat "$tmp/$name.filter-err")"
    sed -e "s#$wasm#APP.wasm#g" -e "s#$srcdir#SRC#g" -e 's/process [0-9][0-9]*/process PID/g' \
        -e "s/127\.0\.0\.1:$pf_port/127.0.0.1:PORT/g" "$tmp/$name.raw" >"$tmp/$name.out"
}

if [ "$mode" = compare ]; then
    # the same commands through a proxy that hides nothing and one that
    # hides everything: the transcripts must agree but for the warnings
    { echo 'target remote 127.0.0.1:@PORT@'; sed 's/^run$/continue/' "$cmds_in"; } >"$tmp/cmds"
    session full "$tmp/cmds"
    session restricted "$tmp/cmds" "${fopts[@]}"
    grep -v -e '^warning: the stub lacks ' -e '^The stub lacks: ' "$tmp/restricted.out" \
        >"$tmp/restricted.cmp"
    if ! diff -u "$tmp/full.out" "$tmp/restricted.cmp"; then
        failed "the session differs through the restricted proxy (- full stub, + restricted)"
    fi
    grep -q '^warning: the stub lacks range stepping.*watchpoints$' "$tmp/restricted.out" ||
        failed "wdb did not say what the stub lacks"
    [ "$(cat "$tmp/full.status")" = "$(cat "$tmp/restricted.status")" ] ||
        failed "exit statuses (wdb, rsp-filter, wdb-run) $(cat "$tmp/full.status") became $(cat "$tmp/restricted.status")"
    cmp -s "$tmp/full.program" "$tmp/restricted.program" || failed "the program's output differs"
    grep -q '^VIOLATION' "$tmp/full.log" && failed "$(grep '^VIOLATION' "$tmp/full.log")"
else
    session restricted "$cmds_in" "${fopts[@]}"
    if [ "${WDB_REGEN:-0}" = 1 ]; then
        cp "$tmp/restricted.out" "$expect"
        echo "wrote $expect"
    fi
    if ! diff -u "$expect" "$tmp/restricted.out"; then
        failed "the transcript differs from $expect (- expected, + got)"
    fi
    read -r rc pf_rc rt_rc <"$tmp/restricted.status"
    [ "$rc" = 0 ] || failed "wdb exited with status $rc"
    [ "$rt_rc" = 0 ] || failed "wdb-run exited with status $rt_rc: $(cat "$tmp/restricted.runtime")"
    grep -qx 'stock 10 10.25 120 25 hello' "$tmp/restricted.program" ||
        failed "the program did not print its line: $(cat "$tmp/restricted.program")"
fi

log=$tmp/restricted.log
# counter NAME: a counter from the proxy's summary line
counter() { sed -n "s/^summary:.* $1=\([0-9][0-9]*\).*/\1/p" "$log"; }
# sent PATTERN: how many packets the proxy passed to the stub match ^PATTERN
sent() { grep -c "^proxy->stub $1" "$log"; }
grep -q '^summary:' "$log" || failed "rsp-filter wrote no summary"
if grep -q '^VIOLATION' "$log"; then failed "$(grep '^VIOLATION' "$log")"; fi
[ "$(counter unacked)" = 0 ] || failed "wdb left $(counter unacked) packets unacknowledged"
[ "$(counter client_acks)" = "$(counter to_client)" ] ||
    failed "wdb acknowledged $(counter client_acks) of $(counter to_client) packets in ack mode"
grep -q '^client->proxy QStartNoAckMode' "$log" || failed "wdb did not ask for no-ack mode"

case "$mode" in
restricted)
    [ "$(sent 'vCont;s')" -gt 10 ] || failed "source steps did not use single steps ($(sent 'vCont;s'))"
    [ "$(sent 'vCont;r')" = 0 ] || failed "vCont;r reached the stub"
    [ "$(sent '[Zz][234]')" = 0 ] || failed "a watchpoint packet reached the stub"
    [ "$(sent 'qXfer:libraries')" = 0 ] || failed "qXfer:libraries reached the stub"
    [ "$(sent 'jThreadsInfo')" = 0 ] || failed "jThreadsInfo reached the stub"
    [ "$(sent QStartNoAckMode)" = 1 ] || failed "wdb's QStartNoAckMode reached the stub"
    ;;
small-packets)
    # (256 - 4) / 2 = 126 bytes of memory per reply
    [ "$(counter max_mem_read)" = 126 ] || failed "the largest read was $(counter max_mem_read) bytes, not 126"
    grep -q '^proxy->stub m[0-9a-f]*,7e$' "$log" || failed "no read was split"
    grep -q '^proxy->stub M' "$log" || failed "no memory write was seen"
    ;;
minimal)
    [ "$(sent 'vCont')" = 0 ] || failed "a vCont packet reached the stub"
    [ "$(sent 's$')" -gt 10 ] || failed "source steps did not use plain single steps ($(sent 's$'))"
    [ "$(sent 'c$')" -gt 2 ] || failed "continues did not use plain c ($(sent 'c$'))"
    [ "$(sent 'qWasmStackValue')" = 0 ] || failed "qWasmStackValue reached the stub"
    ;;
line-noise)
    [ "$(counter injected_nacks)" -gt 5 ] || failed "too few packets nacked: $(counter injected_nacks)"
    [ "$(counter injected_corruptions)" -gt 5 ] ||
        failed "too few damaged packets: $(counter injected_corruptions)"
    [ "$(counter client_nacks)" = "$(counter injected_corruptions)" ] ||
        failed "wdb nacked $(counter client_nacks) of $(counter injected_corruptions) damaged packets"
    ;;
esac
if [ $fail != 0 ]; then
    echo "--- rsp-filter's log (last 40 lines)"
    tail -n 40 "$log"
    exit 1
fi
echo "PASS: interop $mode ($(cat "$tmp"/*.out | wc -l) transcript lines, $(counter from_client) packets from wdb)"
exit 0
