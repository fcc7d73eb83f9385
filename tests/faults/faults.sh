#!/usr/bin/env bash
# The debugger connection dropped at every stage, and what must follow
# (runtime/wdb-run/wdb_debug.c, gdbstub/src/gs_server.c: a connection that
# closes or fails ends the session as GS_END_DISCONNECT, which detaches:
# breakpoints and watchpoints go, the program runs on).
#
#   faults.sh SCENARIO WDB_RUN WDB FAULT_RSP LOOP.wasm
#
# SCENARIO:
#   gdb-disconnect     wdb-run -g (one debugger): dropped before any packet,
#                      in the middle of a packet, with replies in flight,
#                      while the program runs (after `c`), right after `c`
#                      (the stop reply goes nowhere), stopped at a
#                      breakpoint with a watchpoint set: each time the
#                      program runs on to its normal end (status, output)
#   listen-disconnect  wdb-run --gdb-listen: the same drops; each time a new
#                      debugger attaches afterwards, finds the program
#                      running (`?` stops it: T02) with no breakpoint left
#   bridge-kill        `wdb APP.wasm` killed with SIGKILL while the program
#                      is stopped at a breakpoint, and while it runs: wdb-run
#                      sees its socketpair close, detaches and the program
#                      ends normally (no orphan left stopped)
#   fd-leak            20 attach/detach cycles (D, abrupt close, half
#                      packets) on one --gdb-listen wdb-run: its descriptor
#                      count (/proc/PID/fd) must not change
#   sandbox            what a debugger cannot reach: reads, writes and
#                      watchpoints past the end of linear memory, across it,
#                      at wrapping 64-bit addresses, in another module's
#                      space; writes to code; values that do not exist. And
#                      wdb-run's limits: --max-memory (malloc fails, a larger
#                      initial memory is refused), --max-call-depth and
#                      --stack-size (runaway recursion traps), --fuel (a
#                      loop that never ends traps "out of fuel")
#   exposure           the stub's network exposure: -g, --gdb-listen on
#                      wildcard and non-loopback addresses (IPv4, IPv6) are
#                      refused with exit status 1 and a message naming
#                      --gdb-allow-remote, before the program runs; an empty
#                      host means loopback; with --gdb-allow-remote the
#                      wildcard is served (reached here over loopback only)
#   inputs             every file wdb and wdb-run read is bounded (issue 14,
#                      docs/SECURITY.md "Files"): a FIFO, /dev/zero and a 3 GB
#                      sparse file as the module (wdb, wdb-run, wdb symbolize,
#                      wdb -c), as the core, and as the source file DWARF
#                      names (at the first stop) are refused quickly, with a
#                      clear message and little memory; `-x` runs a line of
#                      5000 bytes as one command; sizeof of a 4 GiB array;
#                      `disassemble` of 3000 nested blocks stays linear.
#                      Needs clang-22 as a 6th argument (builds the module
#                      whose source is made a FIFO and a link to /dev/zero).
#   blocked            issue 14 item 3: a program blocked in a host call is
#                      interrupted: 0x03 while it sleeps in nanosleep
#                      (poll_oneoff) and while it reads an empty stdin
#                      (fd_read) stops it within 1 s (T02, a call stack), and
#                      after `c` the sleep takes what was left of it and the
#                      read gets the line written later. Prints the latency.
#                      A start function that never returns: -g serves it.
#   fuel-stop          issue 14 item 10: under --fuel, running out stops in
#                      wdb as a trap ("Program stopped by a Wasm trap: out of
#                      fuel", frame and locals readable, exit 134), and a core
#                      written at that trap has the locals
#   host-memory        issue 14 item 4: --max-memory bounds tables too. 40
#                      tables of 10 M elements are refused at instantiation
#                      with --max-memory=64k (one line, status 1, quickly),
#                      table.grow past the budget returns -1 and within it
#                      the old size. A 16 MB module of 4 M empty functions
#                      loads and runs in 640 MiB of address space within 20 s
#                      (wr_codes are made at a function's first need; the
#                      load costs 41 bytes a function, bench/load-cost.sh).
#                      Needs wat2wasm as a 6th argument.
# Prints "ok: ..." / "FAIL: ..." lines; exit status 1 on any failure.
set -u
scenario=$1 wdbrun=$2 wdb=$3 client=$4 wasm=$5
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

tick=$("$wdb" resolve "$wasm" tick | awk '/^tick:/ { print $2 }')
[ -n "$tick" ] || { echo "FAIL: no code offset for tick in $wasm"; exit 1; }

# start NAME MODE ARGS...: wdb-run with MODE (-g or --gdb-listen) on a free
# port; sets PID and PORT. Output in $work/NAME.{out,err}.
start() {
    local name=$1 mode=$2
    shift 2
    "$wdbrun" "$mode=127.0.0.1:0" "$wasm" "$@" >"$work/$name.out" 2>"$work/$name.err" &
    PID=$!
    pids+=("$PID")
    wait_port "$name"
}

# wait_port NAME: PORT = the port wdb-run (PID) printed in $work/NAME.err
wait_port() {
    local name=$1
    PORT=
    for _ in $(seq 1 200); do
        PORT=$(sed -n 's/^wdb-run: \(waiting for a debugger on port\|debugger port\) \([0-9]*\)$/\2/p' \
            "$work/$name.err")
        [ -n "$PORT" ] && return 0
        sleep 0.05
    done
    bad "$name: wdb-run did not report its port"
    return 1
}

# finish PID SECONDS: waits for our child PID; ST = its exit status, or
# "hang" (then it is killed). Not in $(...): a subshell cannot wait for it.
finish() {
    local pid=$1 n=$(($2 * 20))
    for ((i = 0; i < n; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        ST=hang
        return
    fi
    wait "$pid"
    ST=$?
}

# ended PID SECONDS: true once PID (not our child) is gone or a zombie.
ended() {
    local pid=$1 n=$(($2 * 20))
    for ((i = 0; i < n; i++)); do
        [ -e "/proc/$pid" ] || return 0
        [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" = Z ] && return 0
        sleep 0.05
    done
    return 1
}

rsp() { "$client" --wasm "$wasm" "$@" >>"$work/client.log" 2>&1; }

# 50 reads of 4 KiB (8 KiB replies) sent at once: the connection is gone
# while the stub is still writing (EPIPE, formerly SIGPIPE killed wdb-run)
burst=$(printf '$m0,1000#fd%.0s' $(seq 1 50))

# -g: expect_end NAME STATUS OUTPUT: the program ended normally
expect_end() {
    finish "$PID" 30
    if [ "$ST" = "$2" ] && grep -qx "$3" "$work/$1.out"; then
        ok "$1: the program ran on to its end (status $ST, output '$3')"
    else
        bad "$1: status $ST (want $2), output '$(head -c 200 "$work/$1.out")'"
        sed 's/^/    /' "$work/$1.err" | head -5
    fi
}

gdb_disconnect() {
    start g-nothing -g count 1000 && rsp "$PORT"
    expect_end g-nothing 0 "ticks 1000"

    start g-half-packet -g count 1000 && rsp "$PORT" 'raw:$qSupported:swbre'
    expect_end g-half-packet 0 "ticks 1000"

    start g-half-checksum -g count 1000 && rsp "$PORT" 'p:QStartNoAckMode' 'raw:$qC#b'
    expect_end g-half-checksum 0 "ticks 1000"

    start g-replies-in-flight -g count 1000 && rsp "$PORT" "raw:$burst"
    expect_end g-replies-in-flight 0 "ticks 1000"

    start g-running -g timed 800 && rsp "$PORT" p:QStartNoAckMode a:c sleep:100
    if kill -0 "$PID" 2>/dev/null; then ok "g-running: alive after the drop"; else bad "g-running: wdb-run ended at the drop"; fi
    expect_end g-running 0 "timed"

    start g-stop-reply-lost -g count 1000 && rsp "$PORT" p:QStartNoAckMode "p:Z0,{$tick},1" a:c
    expect_end g-stop-reply-lost 0 "ticks 1000"

    start g-at-breakpoint -g count 1000 &&
        rsp "$PORT" p:QStartNoAckMode "p:Z0,{$tick},1" expect:^OK$ p:c expect:reason:breakpoint \
            p:c expect:reason:breakpoint p:qWasmCallStack:1 expect:^[0-9a-f]+$
    expect_end g-at-breakpoint 0 "ticks 1000"
}

# --gdb-listen: reattach NAME: a new debugger finds the program running
# (the stop reply of `?` is an interrupt, T02) and no breakpoint stops it
reattach() {
    if ! kill -0 "$PID" 2>/dev/null; then
        bad "$1: wdb-run ended at the drop"
        return
    fi
    if rsp "$PORT" p:QStartNoAckMode p:? 'expect:^T02.*reason:signal;$' a:c sleep:200 'raw:\x03' w \
        'expect:^T02.*reason:signal;$' p:D expect:^OK$; then
        ok "$1: a new debugger attached and found the program running, no breakpoint left"
    else
        bad "$1: reattaching failed: $(tail -2 "$work/client.log" | tr '\n' ' ')"
    fi
}

listen_disconnect() {
    start listen --gdb-listen spin || return
    sleep 0.2
    rsp "$PORT"
    reattach "l-nothing"
    rsp "$PORT" 'raw:$qSupported:swbre'
    reattach "l-half-packet"
    rsp "$PORT" "raw:$burst"
    reattach "l-replies-in-flight"
    rsp "$PORT" p:QStartNoAckMode p:? a:c sleep:100
    reattach "l-running"
    rsp "$PORT" p:QStartNoAckMode p:? "p:Z0,{$tick},1" a:c
    reattach "l-stop-reply-lost"
    rsp "$PORT" p:QStartNoAckMode p:? "p:Z0,{$tick},1" p:c expect:reason:breakpoint
    reattach "l-at-breakpoint"
    # both connections queue while wdb-run cannot run (a loaded machine):
    # the second one's notification came with the first
    kill -STOP "$PID"
    rsp "$PORT"
    (sleep 0.3 && kill -CONT "$PID") &
    reattach "l-queued"
    rsp "$PORT" p:QStartNoAckMode p:? p:k expect:^X09$
    finish "$PID" 10
    [ "$ST" = 137 ] && ok "listen: k ended wdb-run (status 137)" || bad "listen: k: status $ST"
}

bridge_kill() {
    local fifo=$work/in.fifo name wpid child
    mkfifo -m 600 "$fifo"
    for name in b-at-breakpoint b-running; do
        local ex=() want="ticks 100000" args=(count 100000)
        if [ $name = b-at-breakpoint ]; then ex=(-ex 'break tick'); fi
        if [ $name = b-running ]; then want=timed args=(timed 1500); fi
        "$wdb" -q "${ex[@]}" -ex run --runtime="$wdbrun" "$wasm" "${args[@]}" <"$fifo" \
            >"$work/$name.out" 2>&1 &
        wpid=$!
        pids+=("$wpid")
        exec 7>"$fifo" # keeps wdb waiting for commands
        child=
        for _ in $(seq 1 100); do
            child=$(pgrep -P "$wpid" -x wdb-run)
            if [ -n "$child" ]; then
                [ $name = b-running ] && break
                grep -q '^Breakpoint 1, tick' "$work/$name.out" && break
            fi
            sleep 0.05
        done
        if [ -z "$child" ]; then
            bad "$name: wdb did not start wdb-run"
            exec 7>&-
            continue
        fi
        [ $name = b-running ] && sleep 0.3
        kill -9 "$wpid"
        wait "$wpid" 2>/dev/null
        exec 7>&-
        if ended "$child" 20 && grep -qx "$want" <(tr -d '\r' <"$work/$name.out" | sed 's/^(wdb) //'); then
            ok "$name: wdb killed with SIGKILL; wdb-run detached and the program ran to its end ('$want')"
        else
            bad "$name: after SIGKILL of wdb, wdb-run $child: $(ended "$child" 0 && echo ended || echo 'still there'), output: $(tail -c 200 "$work/$name.out")"
            kill -9 "$child" 2>/dev/null
        fi
    done
}

fd_leak() {
    start fds --gdb-listen spin || return
    sleep 0.2
    local before after rss0 rss1 i
    before=$(ls "/proc/$PID/fd" | wc -l)
    for ((i = 1; i <= 20; i++)); do
        case $((i % 4)) in
        0) rsp "$PORT" p:QStartNoAckMode p:? "p:Z0,{$tick},1" p:c p:m0,100 p:D ;;
        1) rsp "$PORT" p:QStartNoAckMode p:? "p:Z0,{$tick},1" p:c "p:Z2,0,4" ;; # dropped
        2) rsp "$PORT" p:? 'raw:$qWasmCallSt' ;;                                  # dropped mid-packet
        3) rsp "$PORT" p:QStartNoAckMode p:? a:c sleep:20 ;;                        # dropped while running
        esac
        # the first session allocates what every later one reuses
        [ $i -eq 1 ] && rss0=$(awk '/^VmRSS:/ { print $2 }' "/proc/$PID/status")
        sleep 0.05
    done
    sleep 0.3
    after=$(ls "/proc/$PID/fd" | wc -l)
    rss1=$(awk '/^VmRSS:/ { print $2 }' "/proc/$PID/status")
    echo "fd-leak: wdb-run descriptors: $before before, $after after 20 attach/detach cycles; VmRSS $rss0 kB after the first, $rss1 kB after the last"
    [ "$after" = "$before" ] && ok "fd-leak: no descriptor leaked" || bad "fd-leak: $before descriptors before, $after after"
    rsp "$PORT" p:QStartNoAckMode p:? p:k
    finish "$PID" 10
}

err_re='expect:^E[0-9a-f]{2}$'

sandbox() {
    start sandbox --gdb-listen spin || return
    sleep 0.1
    rsp "$PORT" p:QStartNoAckMode p:? p:qMemoryRegionInfo:0 p:D
    local size size2 last end
    size=$(sed -n 's/^<- start:0;size:\([0-9a-f]*\);permissions:rw;$/\1/p' "$work/client.log" | tail -1)
    [ -n "$size" ] || { bad "sandbox: no memory size"; return; }
    size2=$(printf '%x' $((0x$size - 2)))
    end=$(printf '%x' $((0x4000000000000000 + $(stat -c %s "$wasm"))))
    local checks=(
        "p:M$size2,2:abcd" expect:^OK$ "p:m$size2,4" 'expect:^abcd$'
        "p:m$size,1" "$err_re" "p:x$size,1" "$err_re" "p:M$size2,4:11223344" "$err_re"
        "p:m$size2,2" 'expect:^abcd$' "p:X$size,1:a" "$err_re" "p:M$size,1:00" "$err_re"
        p:mffffffffffffffff,10 "$err_re" p:xfffffffffffffffe,10 "$err_re"
        p:Mfffffffffffffffe,4:00000000 "$err_re" p:Xffffffffffffffff,1:a "$err_re"
        p:m100000000,4 "$err_re" p:M100000000,1:00 "$err_re"
        "p:Z2,$size2,4" "$err_re" "p:Z2,$size,4" "$err_re" p:Z3,ffffffff,4 "$err_re"
        p:Z4,fffffffffffffffe,4 "$err_re" "p:Z2,{$tick},4" "$err_re"
        "p:M{$tick},1:00" "$err_re" "p:X{$tick},1:a" "$err_re" "p:m$end,1" "$err_re"
        p:m4000000100000000,2 "$err_re" p:Z0,10,1 "$err_re" p:Z0,ffffffffffffffff,1 "$err_re"
        'p:qWasmLocal:0;4294967295' "$err_re" 'p:qWasmGlobal:0;4294967295' "$err_re"
        'p:qWasmStackValue:0;99999' "$err_re" 'p:qWasmLocal:99999;0' "$err_re"
        "p:M$size2,2:0000" expect:^OK$ p:k
    )
    if rsp "$PORT" p:QStartNoAckMode p:? "${checks[@]}"; then
        ok "sandbox: $(printf '%s\n' "${checks[@]}" | grep -c '^p:') requests checked: every read, write and watchpoint outside linear memory (0x$size bytes) and code refused, nothing written"
    else
        bad "sandbox: $(tail -2 "$work/client.log" | tr '\n' ' ')"
    fi
    finish "$PID" 10

    # limits: st NAME STATUS PATTERN OPTIONS...
    limit() {
        local name=$1 want=$2 pat=$3
        shift 3
        timeout 60 "$wdbrun" "$@" >"$work/$name.out" 2>&1
        local st=$?
        if [ $st -eq "$want" ] && grep -Eq "$pat" "$work/$name.out"; then
            ok "$name: status $st, $(grep -Em1 "$pat" "$work/$name.out")"
        else
            bad "$name: status $st (want $want): $(head -c 300 "$work/$name.out")"
        fi
    }
    limit max-memory-malloc 0 '^grew [0-3] MiB$' --max-memory=4m "$wasm" grow 100
    limit no-limit-malloc 0 '^grew 100 MiB$' "$wasm" grow 100
    limit max-memory-initial 1 'exceed the memory limit' --max-memory=64k "$wasm" grow 1
    limit max-call-depth 134 'trap: call stack exhausted' --max-call-depth=1000 "$wasm" recurse
    limit stack-size 134 'trap: call stack exhausted' --stack-size=64k "$wasm" recurse
    limit default-recursion 134 'the C stack in linear memory ran out' "$wasm" recurse
    limit fuel 134 '^wdb-run: trap: out of fuel' --fuel=100000 "$wasm" spin
}

exposure() {
    local a st
    for a in -g=0.0.0.0:0 --gdb-listen=0.0.0.0:0 -g=[::]:0 --gdb-listen=[::]:0 \
             -g=192.0.2.1:0 --gdb-listen=198.51.100.7:1234; do
        timeout 10 "$wdbrun" "$a" "$wasm" ticks 10 >"$work/exp.out" 2>"$work/exp.err"
        st=$?
        if [ $st -eq 1 ] && grep -q "refusing to listen on non-loopback address" "$work/exp.err" &&
           grep -q -- "--gdb-allow-remote" "$work/exp.err" && [ ! -s "$work/exp.out" ]; then
            ok "exposure: $a refused (status 1, the program did not run)"
        else
            bad "exposure: $a: status $st, stdout '$(head -c 100 "$work/exp.out")', stderr '$(head -c 300 "$work/exp.err")'"
        fi
    done
    # an empty host is loopback: the listening socket is 127.0.0.1's
    # (/proc/net/tcp: address and port in hex, state 0A = listening)
    "$wdbrun" --gdb-listen=:0 "$wasm" spin >"$work/empty.out" 2>"$work/empty.err" &
    PID=$!
    pids+=("$PID")
    if wait_port empty; then
        local where
        where=$(awk -v p="$(printf ':%04X' "$PORT")" '$4 == "0A" && substr($2, 9) == p { print $2 }' \
                /proc/net/tcp)
        if [ "$where" = "0100007F$(printf ':%04X' "$PORT")" ] &&
           rsp "$PORT" p:QStartNoAckMode p:? 'expect:^T02' p:k; then
            ok "exposure: an empty host listens on 127.0.0.1 only"
        else
            bad "exposure: --gdb-listen=:0 listens on '$where'"
        fi
    fi
    finish "$PID" 10
    # asked for: the wildcard is served
    "$wdbrun" --gdb-allow-remote --gdb-listen=0.0.0.0:0 "$wasm" spin >"$work/remote.out" 2>"$work/remote.err" &
    PID=$!
    pids+=("$PID")
    if wait_port remote && rsp "$PORT" p:QStartNoAckMode p:? 'expect:^T02' p:k; then
        ok "exposure: --gdb-allow-remote --gdb-listen=0.0.0.0:0 serves"
    else
        bad "exposure: --gdb-allow-remote: $(head -c 300 "$work/remote.err")"
    fi
    finish "$PID" 10
}

# leb N: N as unsigned LEB128, in printf's \x escapes
leb() {
    local n=$1 out=
    while :; do
        local b=$((n & 0x7f))
        n=$((n >> 7))
        if [ "$n" -ne 0 ]; then out+=$(printf '\\x%02x' $((b | 0x80))); else out+=$(printf '\\x%02x' "$b"); break; fi
    done
    printf '%s' "$out"
}

# quick NAME SECONDS CMD...: runs CMD with at most 1 GiB of address space
# (an unbounded read dies, or is refused, instead of eating the machine)
# and SECONDS to finish; ST its status ("hang" if killed), output in
# $work/NAME.out (stdout and stderr). Under AddressSanitizer (the second
# pass of scripts/test.sh sets ASAN_OPTIONS) there is no address-space
# limit: ASan reserves terabytes of shadow memory up front and cannot start
# under one; the bound is checked by the normal pass.
quick() {
    local name=$1 secs=$2 as=1048576
    shift 2
    [ -n "${ASAN_OPTIONS:-}" ] && as=unlimited
    { (ulimit -v "$as"; exec timeout -s KILL "$secs" "$@") </dev/null >"$work/$name.out" 2>&1; } 2>/dev/null
    ST=$?
    [ "$ST" = 137 ] && ST=hang
}

# refused NAME PATTERN CMD...: CMD ends in 10 s with status 1 and PATTERN
refused() {
    local name=$1 pat=$2
    shift 2
    quick "$name" 10 "$@"
    if [ "$ST" = 1 ] && grep -q -- "$pat" "$work/$name.out"; then
        ok "$name: refused ($(grep -m1 -- "$pat" "$work/$name.out"))"
    else
        bad "$name: status $ST, output '$(head -c 300 "$work/$name.out")' (want status 1, '$pat')"
    fi
}

inputs() {
    local clang=${1:-}
    mkfifo "$work/fifo"
    # a 3 GB sparse file that starts like a module: refused by its size,
    # before it is read
    truncate -s 3G "$work/huge.wasm"
    printf '\0asm\1\0\0\0' | dd of="$work/huge.wasm" conv=notrunc status=none
    local big="too large (3221225472 bytes; the limit is 1073741824)"
    for m in fifo /dev/zero; do
        local f=$m n=${m##*/}
        [ "$m" = fifo ] && f=$work/fifo
        refused "wdb-$n" "$f: not a regular file" "$wdb" -batch "$f"
        refused "wdb-run-$n" "wdb-run: error: $f: not a regular file" "$wdbrun" "$f"
        refused "symbolize-$n" "$f: not a regular file" "$wdb" symbolize "$f" 0
        refused "core-$n" "$f: not a regular file" "$wdb" -batch -c "$f" "$wasm"
    done
    refused wdb-huge "$work/huge.wasm: $big" "$wdb" -batch "$work/huge.wasm"
    refused wdb-run-huge "$work/huge.wasm: $big" "$wdbrun" "$work/huge.wasm"
    refused symbolize-huge "$work/huge.wasm: $big" "$wdb" symbolize "$work/huge.wasm" 0
    refused core-huge "$work/huge.wasm: $big" "$wdb" -batch -c "$work/huge.wasm" "$wasm"
    # the magic is checked before the size: a large file that is no module
    truncate -s 3G "$work/huge.txt"
    refused wdb-huge-text "not a WebAssembly module (bad magic number)" "$wdb" -batch "$work/huge.txt"
    refused wdb-run-huge-text "magic header not detected" "$wdbrun" "$work/huge.txt"

    # the source file DWARF names is a FIFO, then a link to /dev/zero: the
    # first stop shows the reason instead of hanging or reading forever
    if [ -z "$clang" ]; then
        bad "inputs: no clang-22 given (6th argument)"
    else
        mkdir -p "$work/src"
        cp "$(dirname "$0")/loop.c" "$work/src/loop.c"
        (cd "$work/src" && "$clang" --target=wasm32-wasi -Wno-deprecated -g -O1 loop.c -o ../src.wasm) ||
            bad "inputs: cannot compile loop.c"
        rm "$work/src/loop.c"
        mkfifo "$work/src/loop.c"
        quick src-fifo 20 "$wdb" -batch -ex 'b tick' -ex run -ex c "$work/src.wasm" count 3
        if [ "$ST" = 0 ] && grep -q "loop.c: not a regular file" "$work/src-fifo.out"; then
            ok "src-fifo: the stop shows '$(grep -m1 'not a regular' "$work/src-fifo.out")'"
        else
            bad "src-fifo: status $ST, output '$(head -c 400 "$work/src-fifo.out")'"
        fi
        rm "$work/src/loop.c"
        ln -s /dev/zero "$work/src/loop.c"
        quick src-zero 20 "$wdb" -batch -ex 'b tick' -ex run -ex c "$work/src.wasm" count 3
        if [ "$ST" = 0 ] && grep -q "loop.c: not a regular file" "$work/src-zero.out"; then
            ok "src-zero: the stop shows '$(grep -m1 'not a regular' "$work/src-zero.out")'"
        else
            bad "src-zero: status $ST, output '$(head -c 400 "$work/src-zero.out")'"
        fi
    fi

    # -x: a line of 5000 bytes is one command, not a command and its tail
    printf 'p sizeof("%s")\n' "$(head -c 5000 /dev/zero | tr '\0' A)" >"$work/long.gdb"
    quick long-line 20 "$wdb" -batch -x "$work/long.gdb" "$wasm"
    if [ "$ST" = 0 ] && [ "$(grep -c . "$work/long-line.out")" = 2 ] &&
        grep -qx '\$1 = 5001' "$work/long-line.out"; then
        ok "long-line: a 5000-byte line of -x ran as one command"
    else
        bad "long-line: status $ST, output '$(head -c 300 "$work/long-line.out" | tr '\n' '|')'"
    fi
    # -x of a FIFO: refused, not hung
    quick x-fifo 10 "$wdb" -batch -x "$work/fifo" "$wasm"
    if [ "$ST" != hang ] && grep -q "fifo: not a regular file" "$work/x-fifo.out"; then
        ok "x-fifo: refused"
    else
        bad "x-fifo: status $ST, output '$(head -c 300 "$work/x-fifo.out")'"
    fi

    # sizeof of a 4 GiB array: its size, not 0 (int would cut it)
    quick sizeof 10 "$wdb" -batch -ex 'p sizeof(char[65536][65536])' \
        -ex 'p sizeof(char[65536][65536][65536][65536][65536])' "$wasm"
    if grep -qx '\$1 = 4294967296' "$work/sizeof.out" && grep -q 'too large' "$work/sizeof.out"; then
        ok "sizeof: char[65536][65536] is 4294967296, a saturated size an error"
    else
        bad "sizeof: '$(head -c 300 "$work/sizeof.out" | tr '\n' '|')'"
    fi

    # disassemble of 3000 nested blocks: indentation capped, output linear
    # (uncapped: 2 * depth spaces per line, some 18 MB)
    local nb=3000 body code
    body=$(printf '\\x00%s%s\\x0b' "$(printf '\\x02\\x40%.0s' $(seq $nb))" "$(printf '\\x0b%.0s' $(seq $nb))")
    local blen=$((1 + 3 * nb + 1))
    code="\\x01$(leb $blen)$body"
    local clen=$((1 + ${#blen} * 0))
    # section sizes: count byte + size LEB + body
    local sizeleb; sizeleb=$(leb $blen)
    local slen=$((1 + $(printf "$sizeleb" | wc -c) + blen))
    printf "\\x00asm\\x01\\x00\\x00\\x00\\x01\\x04\\x01\\x60\\x00\\x00\\x03\\x02\\x01\\x00\\x0a$(leb $slen)$code" \
        >"$work/deep.wasm"
    quick deep 20 "$wdb" -batch -ex 'disassemble *3' "$work/deep.wasm"
    local size; size=$(wc -c <"$work/deep.out")
    if [ "$ST" = 0 ] && [ "$(grep -c 'block' "$work/deep.out")" = $nb ] && [ "$size" -lt 1000000 ]; then
        ok "deep: $nb nested blocks disassembled in $size bytes"
    else
        bad "deep: status $ST, $size bytes, $(grep -c 'block' "$work/deep.out") blocks: $(head -c 300 "$work/deep.out")"
    fi
}

# interrupt_blocked NAME: wdb-run (PID, PORT, started with -g) is blocked in
# a host call once resumed; 0x03 must stop it within 1 s, with frames
interrupt_blocked() {
    local name=$1 t0 t1
    t0=$(date +%s%N)
    if rsp --timeout 1000 "$PORT" p:QStartNoAckMode a:c sleep:300 'raw:\x03' w \
        'expect:^T02.*reason:signal;$' p:qWasmCallStack:1 'expect:^[0-9a-f]{16}' sleep:700 a:c; then
        t1=$(date +%s%N)
        ok "$name: interrupted while blocked (stop after 0x03 in $(((t1 - t0) / 1000000 - 300 - 700)) ms or less)"
    else
        bad "$name: no stop within 1 s of 0x03: $(tail -2 "$work/client.log" | tr '\n' ' ')"
    fi
}

blocked() {
    # a sleep of 1.5 s, interrupted after 0.3 s, stopped 0.7 s: it sleeps
    # on its remaining 1.2 s after `c` (the debugger hangs up after it)
    start b-sleep -g sleep 1500 && interrupt_blocked b-sleep
    finish "$PID" 20
    local ms
    ms=$(sed -n 's/^slept \([0-9]*\) ms$/\1/p' "$work/b-sleep.out")
    if [ "$ST" = 0 ] && [ -n "$ms" ] && [ "$ms" -ge 2100 ] && [ "$ms" -lt 8000 ]; then
        ok "b-sleep: the sleep went on after the stop ($ms ms in all)"
    else
        bad "b-sleep: status $ST, output '$(head -c 200 "$work/b-sleep.out")'"
    fi

    # a start function that never returns: -g listens before it runs, the
    # debugger finds it at its first instruction and can interrupt it
    printf '\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x08\x01\x00\x0a\x09\x01\x07\x00\x03\x40\x0c\x00\x0b\x0b' \
        >"$work/start-loop.wasm"
    "$wdbrun" -g=127.0.0.1:0 "$work/start-loop.wasm" >"$work/b-start.out" 2>"$work/b-start.err" &
    PID=$!
    pids+=("$PID")
    if wait_port b-start && rsp --timeout 2000 "$PORT" p:QStartNoAckMode p:? 'expect:^T' a:c sleep:100 \
        'raw:\x03' w 'expect:^T02.*reason:signal;$' p:k 'expect:^X09$'; then
        ok "b-start: served before the start function, which stopped and was interrupted"
    else
        bad "b-start: $(tail -2 "$work/client.log" | tr '\n' ' ')"
    fi
    finish "$PID" 10
    [ "$ST" = 137 ] || bad "b-start: k: status $ST"

    # Ctrl-C in wdb (a pty, as tests/wdb/interactive.sh): the stop shows the
    # Wasm function that called poll_oneoff on top, its caller under it
    mkfifo "$work/keys"
    ( sleep 1; printf 'run sleep 3000\r'; sleep 1; printf '\003'; sleep 1; printf 'bt 3\r'
      sleep 0.5; printf 'continue\r'; sleep 3.5; printf 'quit\r'; sleep 0.5 ) >"$work/keys" &
    WDB_RUN=$wdbrun timeout 30 script -qfec "exec $wdb -q $wasm" /dev/null <"$work/keys" \
        >"$work/b-wdb.raw" 2>&1
    ST=$?
    # drop the line editor's redraws: keep what follows the last carriage return
    tr -d '\033' <"$work/b-wdb.raw" | sed -e 's/\r$//' -e 's/\[K//g' -e 's/\[[0-9]*C//g' |
        awk -F'\r' '{print $NF}' >"$work/b-wdb.out"
    if [ "$ST" = 0 ] && grep -q '^Program received signal SIGINT, Interrupt\.' "$work/b-wdb.out" &&
        grep -q '^#0 .* in __wasi_poll_oneoff ' "$work/b-wdb.out" &&
        grep -q '^#1 .* in clock_nanosleep ' "$work/b-wdb.out" &&
        grep -Eq '^slept (3[5-9][0-9]{2}|[4-9][0-9]{3}) ms' "$work/b-wdb.out"; then
        ok "b-wdb: Ctrl-C in wdb stopped the sleep in __wasi_poll_oneoff; it slept on after continue"
    else
        bad "b-wdb: status $ST, transcript '$(head -c 900 "$work/b-wdb.out" | tr '\n' '|')'"
    fi

    # stdin a pipe whose line comes 2 s later: the read gets it after `c`
    (sleep 2; echo hello) | "$wdbrun" -g=127.0.0.1:0 "$wasm" read >"$work/b-read.out" 2>"$work/b-read.err" &
    PID=$!
    pids+=("$PID")
    wait_port b-read && interrupt_blocked b-read
    finish "$PID" 20
    if [ "$ST" = 0 ] && grep -qx "read: hello" "$work/b-read.out"; then
        ok "b-read: the read got the line written after the stop"
    else
        bad "b-read: status $ST, output '$(head -c 200 "$work/b-read.out")'"
    fi
}

fuel_stop() {
    local core=$work/fuel.core
    quick fuel-wdb 30 "$wdb" -batch --runtime-arg=--fuel=100000 -ex run -ex bt -ex 'info locals' \
        -ex 'p g_stop' "$wasm" spin
    if [ "$ST" = 134 ] && grep -q "Program stopped by a Wasm trap: out of fuel" "$work/fuel-wdb.out" &&
        grep -q '^#0 .*main' "$work/fuel-wdb.out" && grep -q '^mode = 0x' "$work/fuel-wdb.out" &&
        grep -qx '\$1 = 0' "$work/fuel-wdb.out" && ! grep -q "exited with code" "$work/fuel-wdb.out" &&
        ! grep -q "Cannot read" "$work/fuel-wdb.out"; then
        ok "fuel-wdb: out of fuel is a trap stop in wdb (status 134)"
    else
        bad "fuel-wdb: status $ST, output '$(head -c 600 "$work/fuel-wdb.out" | tr '\n' '|')'"
    fi
    "$wdbrun" --fuel=100000 --core-on-trap="$core" "$wasm" spin >"$work/fuel-run.out" 2>"$work/fuel-run.err"
    local rst=$?
    quick fuel-core 30 "$wdb" -batch -ex bt -ex 'info locals' -c "$core" "$wasm"
    if [ "$rst" = 134 ] && [ "$ST" = 0 ] && grep -q '^#0 .*main' "$work/fuel-core.out" &&
        grep -q '^mode = 0x' "$work/fuel-core.out" && ! grep -q "Cannot read" "$work/fuel-core.out"; then
        ok "fuel-core: the core written at the out-of-fuel trap has locals"
    else
        bad "fuel-core: status $rst/$ST, output '$(head -c 600 "$work/fuel-core.out" | tr '\n' '|')'"
    fi
}

host_memory() {
    local wat2wasm=$1 i
    {
        echo '(module'
        for i in $(seq 40); do echo '  (table 10000000 funcref)'; done
        echo '  (func (export "_start")))'
    } >"$work/tables.wat"
    cat >"$work/grow.wat" <<'WAT'
(module
  (table 1 funcref)
  (func (export "grow") (param i32) (result i32)
    (table.grow 0 (ref.null func) (local.get 0))))
WAT
    "$wat2wasm" "$work/tables.wat" -o "$work/tables.wasm" &&
        "$wat2wasm" "$work/grow.wat" -o "$work/grow.wasm" || { bad "wat2wasm failed"; return; }
    local t0=$SECONDS
    quick tables-limit 20 "$wdbrun" --max-memory=64k "$work/tables.wasm"
    if [ "$ST" = 1 ] && [ $((SECONDS - t0)) -le 5 ] &&
        grep -q 'table 0: 10000000 elements exceed the memory limit' "$work/tables-limit.out"; then
        ok "tables-limit: refused in $((SECONDS - t0)) s: $(head -1 "$work/tables-limit.out")"
    else
        bad "tables-limit: status $ST after $((SECONDS - t0)) s: $(head -c 300 "$work/tables-limit.out")"
    fi
    # 64 KiB is 8192 elements: 1 + 8000 fits, 1 + 9000 does not
    quick grow-within 20 "$wdbrun" --max-memory=64k --invoke=grow "$work/grow.wasm" 8000
    quick grow-past 20 "$wdbrun" --max-memory=64k --invoke=grow "$work/grow.wasm" 9000
    if grep -qx 1 "$work/grow-within.out" && grep -qx -- -1 "$work/grow-past.out"; then
        ok "table.grow: 8000 more elements within --max-memory=64k (old size 1), 9000 refused (-1)"
    else
        bad "table.grow: within '$(head -c 100 "$work/grow-within.out")', past '$(head -c 100 "$work/grow-past.out")'"
    fi
    # 4 M empty functions, function 0 exported as _start
    python3 - "$work/funcs.wasm" <<'PY'
import sys
n = 4 * 1024 * 1024
def leb(v):
    out = bytearray()
    while True:
        b = v & 0x7f
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)
def sec(i, body):
    return bytes([i]) + leb(len(body)) + body
funcs = leb(n) + bytes(n)
code = leb(n) + bytes([2, 0, 0x0b]) * n
exports = leb(1) + leb(6) + b"_start" + bytes([0, 0])
with open(sys.argv[1], "wb") as f:
    f.write(b"\0asm\1\0\0\0" + sec(1, bytes([1, 0x60, 0, 0])) + sec(3, funcs) + sec(7, exports) + sec(10, code))
PY
    local as=655360
    [ -n "${ASAN_OPTIONS:-}" ] && as=unlimited
    t0=$SECONDS
    { (ulimit -v "$as"; exec timeout -s KILL 20 "$wdbrun" "$work/funcs.wasm") </dev/null \
        >"$work/funcs.out" 2>&1; } 2>/dev/null
    local st=$?
    if [ "$st" = 0 ] && [ ! -s "$work/funcs.out" ]; then
        ok "4 M functions: loaded and ran in 640 MiB within $((SECONDS - t0)) s"
    else
        bad "4 M functions: status $st after $((SECONDS - t0)) s: $(head -c 300 "$work/funcs.out")"
    fi
}

case $scenario in
blocked) blocked ;;
host-memory) host_memory "${6:-wat2wasm}" ;;
fuel-stop) fuel_stop ;;
inputs) inputs "${6:-}" ;;
exposure) exposure ;;
gdb-disconnect) gdb_disconnect ;;
listen-disconnect) listen_disconnect ;;
bridge-kill) bridge_kill ;;
fd-leak) fd_leak ;;
sandbox) sandbox ;;
*) echo "faults.sh: unknown scenario $scenario" >&2; exit 2 ;;
esac
[ $fail -eq 0 ] || { echo "--- client log"; tail -20 "$work/client.log"; }
exit $fail
