#!/usr/bin/env python3
"""reverse-proxy: a test-only GDB remote protocol stub that runs a real
wdb-run backward by re-execution, so that wdb's reverse commands can be
tested end to end before (and independently of) a stub with snapshots.

    WDB_REVERSE_UPSTREAM=WDB_RUN [WDB_REVERSE_LOG=FILE] \
        reverse_proxy.py --gdb-fd=N [WDB_RUN_OPTIONS] APP.wasm [ARGS]

It takes wdb-run's command line, so that `wdb --runtime=reverse_proxy.py`
(or WDB_RUN) starts it as it starts wdb-run: it serves the debugger on
descriptor N and starts the real wdb-run (WDB_REVERSE_UPSTREAM) with the
same options on a socketpair of its own. The program's position is the number of instructions executed
since its entry; the proxy moves the real wdb-run there by single steps,
restarting it (the run is deterministic: a fixed program, or a --replay of a
trace) when it must go back. It speaks the reverse execution contract wdb
expects of a stub (LLDB's lldbreverse.py and gdb's record targets):
`ReverseStep+;ReverseContinue+` in qSupported, `bs` one instruction back,
`bc` back to the last breakpoint hit, and at position 0 a stop reply with
`replaylog:begin;`.

Forward, `c` is single steps until a breakpoint address (the proxy keeps the
Z0 set itself), a write to a watched address (Z2: the bytes read after
every step), a trap or the exit; `vCont;r` is not offered (wdb then
single-steps lines). Backward, `bc` stops at the last breakpoint address
passed, or, for a watchpoint, at the instruction that made the last
write, before it runs (the bytes then hold the value before the write),
as gdb's record targets do. Read and access watchpoints (Z3/Z4) are not
offered. Every other packet is
answered by the real wdb-run at the current position. Memory written by
the client is lost when going back (a restart). Test use only: slow
(O(position) per step back), one client, no acks checked.
"""
import os
import select
import signal
import socket
import subprocess
import sys


def checksum(data):
    return sum(data) & 0xFF


def frame(payload):
    return b"$" + payload + b"#" + b"%02x" % checksum(payload)


def unescape(data):
    out = bytearray()
    i = 0
    while i < len(data):
        c = data[i]
        if c == 0x7D and i + 1 < len(data):
            out.append(data[i + 1] ^ 0x20)
            i += 2
        elif c == 0x2A and out and i + 1 < len(data):
            out.extend(out[-1:] * (data[i + 1] - 29))
            i += 2
        else:
            out.append(c)
            i += 1
    return bytes(out)


class Conn:
    """Packets on a socket: '$...#xx' framed, acks answered/dropped."""

    def __init__(self, sock, ack):
        self.sock = sock
        self.buf = b""
        self.ack = ack

    def _fill(self, timeout=None):
        if timeout is not None:
            r, _, _ = select.select([self.sock], [], [], timeout)
            if not r:
                return False
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        self.buf += data
        return True

    def interrupt_pending(self):
        """Consumes a pending Ctrl-C (0x03) without blocking."""
        while True:
            r, _, _ = select.select([self.sock], [], [], 0)
            if not r:
                break
            self._fill()
        if b"\x03" in self.buf and (b"$" not in self.buf or
                                    self.buf.index(b"\x03") < self.buf.index(b"$")):
            self.buf = self.buf.replace(b"\x03", b"", 1)
            return True
        return False

    def recv(self):
        while True:
            while self.buf[:1] in (b"+", b"-"):
                self.buf = self.buf[1:]
            if self.buf[:1] == b"\x03":
                self.buf = self.buf[1:]
                return b"\x03"
            start = self.buf.find(b"$")
            if start >= 0:
                end = self.buf.find(b"#", start)
                if end >= 0 and len(self.buf) >= end + 3:
                    payload = self.buf[start + 1:end]
                    self.buf = self.buf[end + 3:]
                    if self.ack:
                        self.sock.sendall(b"+")
                    return unescape(payload)
            self._fill()

    def send(self, payload):
        self.sock.sendall(frame(payload))


def escape(payload):
    out = bytearray()
    for c in payload:
        if c in b"$#}*":
            out += bytes([0x7D, c ^ 0x20])
        else:
            out.append(c)
    return bytes(out)


def stop_pc(reply):
    """thread-pcs:HEX; of a T stop reply, or None."""
    if not reply.startswith(b"T"):
        return None
    for field in reply[3:].split(b";"):
        if field.startswith(b"thread-pcs:"):
            return int(field[11:].split(b",")[0], 16)
    return None


def with_reason(reply, reason, extra=b""):
    """A T stop reply with its reason replaced (and fields added)."""
    fields = [f for f in reply[3:].split(b";") if f and not f.startswith(b"reason:")
              and not f.startswith(b"description:")]
    return b"T05" + b"".join(f + b";" for f in fields) + b"reason:" + reason + b";" + extra


class Upstream:
    def __init__(self, argv, log):
        self.argv = argv
        self.log = log
        self.proc = None
        self.start()

    def start(self):
        if self.proc:
            self.stop()
        a, b = socket.socketpair()
        argv = [self.argv[0], "--gdb-fd=%d" % b.fileno()] + self.argv[1:]
        # the program's output once, on our stderr (stdout says the port)
        quiet = getattr(self, "started_once", False)
        self.proc = subprocess.Popen(argv, pass_fds=[b.fileno()], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL if quiet else sys.stderr,
                                     stderr=subprocess.DEVNULL if quiet else None)
        b.close()
        self.conn = Conn(a, ack=True)
        self.request(b"QStartNoAckMode")
        self.conn.ack = False
        self.pos = 0
        self.first_stop = self.request(b"?")

    def stop(self):
        try:
            self.conn.sock.close()
        except OSError:
            pass
        self.proc.kill()
        self.proc.wait()
        self.started_once = True

    def request(self, payload):
        if self.log:
            self.log.write("  up-> %r\n" % payload)
        self.conn.send(escape(payload))
        r = self.conn.recv()
        if self.log:
            self.log.write("  up<- %r\n" % r[:200])
        return r


class Proxy:
    def __init__(self, client, up, log):
        self.c = client
        self.up = up
        self.log = log
        self.pos = 0
        self.pcs = [stop_pc(up.first_stop)]  # pc at every position reached
        self.stops = [up.first_stop]           # the stop reply at each
        self.bps = set()
        self.watches = {}  # address -> length (Z2)
        self.mem = {}      # (position, address, length) -> bytes there
        self.end = None  # (position, reply) of a trap or exit
        self.last = up.first_stop
        self.cache = {}

    def sync(self, target):
        """Moves the real wdb-run to position `target`."""
        if self.up.pos > target:
            self.up.start()
        while self.up.pos < target:
            self.up.request(b"s")
            self.up.pos += 1

    def step(self):
        """One instruction forward: the reply."""
        if self.end and self.end[0] == self.pos:
            return self.end[1]
        self.sync(self.pos)
        r = self.up.request(b"s")
        if r.startswith(b"T") and b"reason:trace;" in r:
            self.up.pos += 1
            self.pos += 1
            if len(self.pcs) <= self.pos:
                self.pcs.append(stop_pc(r))
                self.stops.append(r)
            return r
        self.end = (self.pos, r)  # a trap, the exit: the end of the run
        return r

    def watched(self, q, addr, n):
        """The watched bytes at position q (read at q once, then kept)."""
        key = (q, addr, n)
        if key not in self.mem:
            self.sync(q)
            self.mem[key] = self.up.request(b"m%x,%x" % (addr, n))
        return self.mem[key]

    def write_at(self, q):
        """The watched address the instruction at position q writes, or None."""
        for addr, n in self.watches.items():
            if self.watched(q, addr, n) != self.watched(q + 1, addr, n):
                return addr
        return None

    def watch_stop(self, reply, addr):
        desc = b"%d %d" % (addr & 0xFFFFFFFF, addr & 0xFFFFFFFF)
        return with_reason(reply, b"watchpoint", b"description:" + desc.hex().encode() + b";")

    def handle(self, p):
        if p == b"\x03":
            return None
        if p.startswith(b"qSupported"):
            self.sync(self.pos)
            r = self.up.request(p)
            return r + b";ReverseStep+;ReverseContinue+"
        if p == b"QStartNoAckMode":
            self.c.ack = False
            return b"OK"
        if p == b"vCont?":
            return b"vCont;c;C;s;S"
        if p in (b"s", b"vCont;s", b"vCont;s:1") or p.startswith(b"vCont;s:"):
            self.last = self.step()
            return self.last
        if p in (b"c", b"vCont;c") or p.startswith(b"vCont;c:"):
            while True:
                r = self.step()
                if not (r.startswith(b"T") and b"reason:trace;" in r):
                    break
                if self.watches:
                    hit = self.write_at(self.pos - 1)
                    if hit is not None:
                        r = self.watch_stop(r, hit)
                        break
                if stop_pc(r) in self.bps:
                    r = with_reason(r, b"breakpoint")
                    break
                if self.c.interrupt_pending():
                    r = with_reason(r, b"signal")
                    break
            self.last = r
            return r
        if p == b"bs":
            if self.pos == 0:
                self.last = with_reason(self.stops[0], b"trace", b"replaylog:begin;")
                return self.last
            self.pos -= 1
            self.last = self.stops[self.pos]
            return self.last
        if p == b"bc":
            for q in range(self.pos - 1, -1, -1):
                hit = self.write_at(q) if self.watches else None
                if hit is not None:
                    self.pos = q
                    self.last = self.watch_stop(self.stops[q], hit)
                    return self.last
                if self.pcs[q] in self.bps:
                    self.pos = q
                    self.last = with_reason(self.stops[q], b"breakpoint")
                    return self.last
            self.pos = 0
            self.last = with_reason(self.stops[0], b"trace", b"replaylog:begin;")
            return self.last
        if p == b"?":
            return self.last
        if p[:2] in (b"Z0", b"z0"):
            addr = int(p[3:].split(b",")[0], 16)
            (self.bps.add if p[0:1] == b"Z" else self.bps.discard)(addr)
            return b"OK"
        if p[:2] in (b"Z2", b"z2"):
            addr, n = (int(x, 16) for x in p[3:].split(b",")[:2])
            if p[0:1] == b"Z":
                self.watches[addr] = n
            else:
                self.watches.pop(addr, None)
            return b"OK"
        if p.startswith(b"qWatchpointSupportInfo"):
            return b"num:4;"
        if p[:1] in (b"Z", b"z"):
            return b""
        if p.startswith(b"vKill"):
            self.up.stop()
            return b"OK"
        if p in (b"k", b"D") or p.startswith(b"D;"):
            self.up.stop()
            return b"OK" if p != b"k" else None
        # state reads are cached per position: going back costs no restart
        # for what was read there before
        key = (self.pos, p)
        if p[:1] == b"q" and p.startswith(READS) or p[:1] == b"m":
            if key not in self.cache:
                self.sync(self.pos)
                self.cache[key] = self.up.request(p)
            return self.cache[key]
        if p[:1] in (b"M", b"X"):
            self.cache.clear()
        self.sync(self.pos)
        return self.up.request(p)


READS = (b"qWdbCallStack", b"qWasmCallStack", b"qWasmLocal", b"qWasmGlobal", b"qWasmStackValue",
         b"qMemoryRegionInfo")


def main():
    argv = sys.argv[1:]
    upstream = os.environ.get("WDB_REVERSE_UPSTREAM")
    fd = None
    rest = []
    for a in argv:
        if a.startswith("--gdb-fd="):
            fd = int(a[9:])
        else:
            rest.append(a)
    if not upstream or fd is None or not rest:
        sys.exit("usage: WDB_REVERSE_UPSTREAM=WDB_RUN reverse_proxy.py --gdb-fd=N "
                 "[WDB_RUN_OPTIONS] APP.wasm [ARGS]")
    logpath = os.environ.get("WDB_REVERSE_LOG")
    log = open(logpath, "w", buffering=1) if logpath else None
    signal.alarm(600)  # never outlive a test
    sock = socket.socket(fileno=fd)
    client = Conn(sock, ack=True)
    proxy = Proxy(client, Upstream([upstream] + rest, log), log)
    try:
        while True:
            p = client.recv()
            if log:
                log.write("-> %r\n" % p[:200])
            r = proxy.handle(p)
            if r is None:
                if p == b"k":
                    break
                continue
            if log:
                log.write("<- %r\n" % r[:200])
            client.send(escape(r))
            if p == b"D" or p.startswith(b"D;") or p.startswith(b"vKill"):
                break
    except (EOFError, ConnectionError):
        pass
    try:
        proxy.up.stop()
    except Exception:
        pass


if __name__ == "__main__":
    main()
