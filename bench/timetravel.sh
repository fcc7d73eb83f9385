#!/usr/bin/env bash
# Reverse execution's cost (docs/TRACE.md "Reverse execution"): a program
# runs ~10^9 Wasm instructions under wdb-run -g (recording in memory, with
# snapshots), stops at a breakpoint there; then
#   - reverse-stepi (bs) latency at that point, mean of 5;
#   - reverse-continue (bc) to a watchpoint's write ~10^8 instructions back;
#   - the snapshots' memory (qWdbHistory: bytes held and the limit, which
#     by default is twice the linear memory), and wdb-run's peak RSS with
#     and without (--no-history) the history;
# and the time of the forward run to the breakpoint with and without the
# history. Wall-clock times: meaningless while other work loads the machine.
#
#   bench/timetravel.sh            Environment: BUILD_DIR (default build), WDB_RUN
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
die() { echo "bench: $*" >&2; exit 1; }
command -v wat2wasm >/dev/null || die "wat2wasm not found: run scripts/install-deps.sh"
command -v python3 >/dev/null || die "python3 not found"
if [ -n "${WDB_RUN:-}" ]; then
  wdb_run=$WDB_RUN
else
  cmake --build "$build" --target wdb-run -j2 >/dev/null || die "building wdb-run failed"
  wdb_run=$build/bin/wdb-run
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# $spin: 6 instructions an iteration (local.get, i32.const, i32.sub,
# local.set, local.get, br_if) and one poll. 150e6 iterations ~ 0.9e9
# instructions, then $set writes 2 at address 64, then 16.7e6 iterations
# ~ 1e8 instructions, then $mark (the breakpoint).
cat >"$tmp/tt.wat" <<'WAT'
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory 1)
  (func $spin (param $n i32)
    (loop $l
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n))))
  (func $mark (param $x i32) (i32.store (i32.const 128) (local.get $x)))
  (func $set (param $x i32) (i32.store (i32.const 64) (local.get $x)))
  (func (export "_start")
    (call $set (i32.const 1))
    (call $spin (i32.const 150000000))
    (call $set (i32.const 2))
    (call $spin (i32.const 16700000))
    (call $mark (i32.const 7))
    (call $exit (i32.const 0))))
WAT
wat2wasm "$tmp/tt.wat" -o "$tmp/tt.wasm" || die "wat2wasm failed"

python3 - "$wdb_run" "$tmp/tt.wasm" <<'PY'
import re, socket, subprocess, sys, time

wdb_run, wasm = sys.argv[1], sys.argv[2]

class Rsp:
    def __init__(self, port):
        for _ in range(200):
            try:
                self.c = socket.create_connection(("127.0.0.1", port))
                break
            except OSError:
                time.sleep(0.05)
        self.c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
    def send(self, p):
        self.c.sendall(b"$%s#%02x" % (p.encode(), sum(p.encode()) & 0xff))
        while True:
            m = re.search(rb"\$([^#]*)#..", self.buf)
            if m:
                self.buf = self.buf[m.end():]
                self.c.sendall(b"+")
                return m.group(1).decode()
            d = self.c.recv(65536)
            if not d:
                raise EOFError("wdb-run closed the connection")
            self.buf += d

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def peak_rss_kib(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0

def session(history):
    port = free_port()
    args = [wdb_run, "-g=127.0.0.1:%d" % port] + ([] if history else ["--no-history"]) + [wasm]
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    r = Rsp(port)
    r.send("QStartNoAckMode")
    r.c.sendall(b"+")
    r.send("?")
    # $mark is function 2 (imports first): step into it once to learn its
    # first instruction? Simpler: its code address from the module bytes.
    return p, r

def code_of_func(path, index):
    """File offset of the first instruction of defined function `index`."""
    b = open(path, "rb").read()
    def leb(i):
        r = s = 0
        while True:
            x = b[i]; i += 1; r |= (x & 0x7f) << s; s += 7
            if x < 0x80: return r, i
    i = 8
    while i < len(b):
        sid = b[i]; size, j = leb(i + 1)
        if sid == 10:
            n, k = leb(j)
            for f in range(n):
                fsize, body = leb(k)
                if f == index:
                    nloc, q = leb(body)
                    for _ in range(nloc):
                        _, q = leb(q); q += 1
                    return q
                k = body + fsize
        i = j + size
    raise SystemExit("no function %d" % index)

# defined functions: $spin, $mark, $set, _start
mark = 0x4000000000000000 + code_of_func(wasm, 1)
setf = 0x4000000000000000 + code_of_func(wasm, 2)

def run_to_mark(history):
    p, r = session(history)
    assert r.send("Z0,%x,1" % mark) == "OK"
    t = time.time()
    st = r.send("c")
    fwd = time.time() - t
    assert "reason:breakpoint" in st, st
    return p, r, fwd

p0, r0, fwd0 = run_to_mark(False)
rss0 = peak_rss_kib(p0.pid)
r0.send("k"); p0.wait()

p, r, fwd = run_to_mark(True)
hist = dict(kv.split(":") for kv in r.send("qWdbHistory").rstrip(";").split(";"))
times = []
for _ in range(5):
    t = time.time()
    st = r.send("bs")
    times.append(time.time() - t)
    assert st.startswith("T05"), st
bs_ms = 1000 * sum(times) / len(times)
assert r.send("Z0,%x,1" % setf) == "OK"
t = time.time()
st = r.send("bc")
bcb_s = time.time() - t
okb = "reason:breakpoint" in st and r.send("m40,4") == "01000000"
assert r.send("z0,%x,1" % setf) == "OK"
t = time.time()
st = r.send("c")
again_s = time.time() - t
okb = okb and "reason:breakpoint" in st
assert r.send("Z2,40,4") == "OK"
t = time.time()
st = r.send("bc")
bc_s = time.time() - t
mem = r.send("m40,4")
ok = "reason:watchpoint" in st and mem == "02000000"
st2 = r.send("bs")
old = r.send("m40,4")
rss = peak_rss_kib(p.pid)
r.send("k"); p.wait()

print("reverse execution, a run of ~1.0e9 Wasm instructions (wall clock; the machine's load counts):")
print("  forward to the breakpoint, recording + snapshots   %8.2f s" % fwd)
print("  forward to the breakpoint, --no-history            %8.2f s" % fwd0)
print("  reverse-stepi at the breakpoint (mean of 5)        %8.1f ms   (target < 100 ms; first %.1f, max %.1f)" %
      (bs_ms, 1000 * times[0], 1000 * max(times)))
print("  reverse-continue to a breakpoint ~1e8 instructions back %6.2f s%s" %
      (bcb_s, "" if okb else "  WRONG STOP"))
print("  forward again from there to the breakpoint (replay)  %6.2f s" % again_s)
print("  reverse-continue to a watchpoint's write ~1e8 back %8.2f s    (target < 2 s)%s" %
      (bc_s, "" if ok else "  WRONG STOP: %s mem %s" % (st, mem)))
print("  ... its old value after one bs: %s (1 expected)" % ("1" if old == "01000000" else old))
print("  snapshots at the breakpoint: %s holding %.1f KiB, limit %.1f KiB (default: 2x linear memory, 64 KiB)" %
      (hist["snapshots"], int(hist["bytes"]) / 1024, int(hist["limit"]) / 1024))
print("  peak RSS with history %d KiB, without %d KiB: snapshots, log and re-execution ~%d KiB" %
      (rss, rss0, rss - rss0))
within = int(hist["bytes"]) <= int(hist["limit"]) <= 2 * 65536
if not within:
    print("  SNAPSHOTS OVER THEIR LIMIT")
if not ok or not okb or old != "01000000" or not within:
    sys.exit(1)
PY
