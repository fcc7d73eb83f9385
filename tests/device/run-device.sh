#!/usr/bin/env bash
# Runs one firmware image on QEMU's mps2-an385 (Cortex-M3) and checks what
# came out of UART 0 (the program's stdout and stderr, then the firmware's
# own lines) and QEMU's exit status (the program's, through semihosting).
#
#   run-device.sh --qemu QEMU --fw IMAGE.elf CHECK
#   run-device.sh --host WD_HOST_RUN --module MODULE.wasm CHECK
# The second form runs the same firmware program (runtime/device) on the
# host, over the POSIX port (wd-host-run): the device code without QEMU.
# CHECK is one of:
#   --native BIN         the native build of the same program: UART 0 must
#                        equal its stdout followed by its stderr (the
#                        programs used write only stdout), and the status
#                        its status
#   --wdb-run WDB_RUN --wasm MODULE [-- WDB_RUN_OPTIONS...]
#                        wdb-run on the same module with the firmware's
#                        limits: UART 0 must end with its stderr, with
#                        "wdb-run:" read as "wdb-firmware:" at the start of
#                        lines (the trap report), and begin with its stdout;
#                        the status must be its status. The program may have
#                        written more before the trap on the device: its
#                        stdout is a terminal there (line buffered), a file
#                        under wdb-run (fully buffered, lost at a trap).
#   --status N --line REGEX
#                        exactly one line, matching the extended REGEX, and
#                        status N (a module the firmware refuses)
#   --status N --expect FILE
#                        UART 0 equals FILE, and status N
# --uart1-input FILE feeds UART 1 (the debugger's line) from FILE.
# Prints a diff on mismatch; exit 0 (pass), 1 (fail), 2 (bad use).
set -u

die() { echo "run-device: $*" >&2; exit 2; }

qemu= fw= host= module= native= wdb_run= wasm= status= line= expect= uart1=
wdb_opts=()
while [ $# -gt 0 ]; do
  case $1 in
    --qemu) qemu=$2; shift 2 ;;
    --fw) fw=$2; shift 2 ;;
    --host) host=$2; shift 2 ;;
    --module) module=$2; shift 2 ;;
    --native) native=$2; shift 2 ;;
    --wdb-run) wdb_run=$2; shift 2 ;;
    --wasm) wasm=$2; shift 2 ;;
    --status) status=$2; shift 2 ;;
    --line) line=$2; shift 2 ;;
    --expect) expect=$2; shift 2 ;;
    --uart1-input) uart1=$2; shift 2 ;;
    --) shift; wdb_opts=("$@"); break ;;
    *) die "unknown option $1" ;;
  esac
done
if [ -n "$host" ]; then
  [ -x "$host" ] || die "no wd-host-run: '$host'"
  [ -f "$module" ] || die "no module: '$module'"
else
  [ -x "$qemu" ] || die "no qemu-system-arm: '$qemu'"
  [ -f "$fw" ] || die "no firmware image: '$fw'"
fi
[ -z "$native" ] || native=$(realpath "$native")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wdb-device.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
# A hung firmware must fail the test, not the whole ctest run.
limit=${WDB_DEVICE_TIMEOUT:-120}

if [ -n "$host" ]; then
  # stdout and stderr in one file, in the order they were written
  timeout "$limit" "$host" "$module" </dev/null >"$tmp/uart0" 2>&1
  got=$?
else
  # UART 0 is the first -serial; semihosting gives QEMU the exit status.
  serial1=() feeder=
  if [ -n "$uart1" ]; then
    # QEMU 7.2's file chardev has no input: a pipe chardev over two FIFOs
    # (QEMU opens them read-write, so neither open waits for the other side)
    mkfifo "$tmp/uart1.in" "$tmp/uart1.out" || die "mkfifo failed"
    cat "$uart1" >"$tmp/uart1.in" &
    feeder=$!
    serial1=(-serial "pipe:$tmp/uart1")
  fi
  timeout "$limit" "$qemu" -M mps2-an385 -nographic -monitor none -serial stdio \
    ${serial1[@]+"${serial1[@]}"} -semihosting-config enable=on,target=native -kernel "$fw" \
    </dev/null >"$tmp/uart0" 2>"$tmp/qemu.err"
  got=$?
  [ -z "$feeder" ] || kill "$feeder" 2>/dev/null
fi
[ "$got" = 124 ] && echo "FAIL: the firmware timed out after ${limit}s"

fail=0
if [ -n "$native" ]; then
  [ -x "$native" ] || die "no native binary: '$native'"
  (cd "$tmp" && exec timeout "$limit" env -i "$native") </dev/null >"$tmp/out" 2>"$tmp/err"
  want=$?
  cat "$tmp/out" "$tmp/err" >"$tmp/want"
  side=native
elif [ -n "$wdb_run" ]; then
  [ -x "$wdb_run" ] || die "no wdb-run: '$wdb_run'"
  [ -f "$wasm" ] || die "no module: '$wasm'"
  # same base name as the firmware reports (the `wdb symbolize` hint)
  (cd "$(dirname "$wasm")" && exec timeout "$limit" "$wdb_run" ${wdb_opts[@]+"${wdb_opts[@]}"} \
    "$(basename "$wasm")") </dev/null >"$tmp/out" 2>"$tmp/err"
  want=$?
  sed 's/^wdb-run: /wdb-firmware: /' "$tmp/err" >"$tmp/report"
  # UART 0 = the program's output (starting with wdb-run's stdout) + the report
  out_n=$(stat -c %s "$tmp/out") rep_n=$(stat -c %s "$tmp/report") uart_n=$(stat -c %s "$tmp/uart0")
  if [ "$uart_n" -ge "$rep_n" ] && [ "$uart_n" -ge "$out_n" ]; then
    head -c "$out_n" "$tmp/uart0" >"$tmp/uart0.head"
    tail -c "$rep_n" "$tmp/uart0" >"$tmp/uart0.tail"
  else
    : >"$tmp/uart0.head"; : >"$tmp/uart0.tail"
  fi
  if ! cmp -s "$tmp/out" "$tmp/uart0.head" || ! cmp -s "$tmp/report" "$tmp/uart0.tail"; then
    echo "FAIL: UART 0 is not wdb-run's stdout, maybe more output, then its report:"
    cat "$tmp/out" "$tmp/report" >"$tmp/want"
    diff -u --label wdb-run --label firmware "$tmp/want" "$tmp/uart0" | head -n 80
    fail=1
  fi
  side=
elif [ -n "$status" ] && [ -n "$expect" ]; then
  want=$status
  cp "$expect" "$tmp/want"
  side=expected
elif [ -n "$status" ]; then
  want=$status
  n=$(wc -l <"$tmp/uart0")
  if [ "$n" -ne 1 ] || ! grep -Eq -- "$line" "$tmp/uart0"; then
    echo "FAIL: wanted one line matching /$line/, got $n:"
    head -n 5 "$tmp/uart0"
    fail=1
  fi
  side=
else
  die "no check given (--native, --wdb-run, --status with --line or --expect)"
fi

if [ -n "$side" ] && ! cmp -s "$tmp/want" "$tmp/uart0"; then
  echo "FAIL: UART 0 differs (--- $side, +++ firmware):"
  diff -u --label "$side" --label firmware "$tmp/want" "$tmp/uart0" | head -n 80
  fail=1
fi
if [ "$got" != "$want" ]; then
  echo "FAIL: exit status differs: wanted $want, the firmware gave $got"
  fail=1
fi
if [ $fail -ne 0 ]; then
  if [ -s "$tmp/qemu.err" ]; then
    echo "--- QEMU's stderr:"
    head -n 20 "$tmp/qemu.err"
  fi
  exit 1
fi
echo "OK: $(wc -l <"$tmp/uart0") lines on UART 0, exit status $got"
exit 0
