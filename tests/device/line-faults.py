#!/usr/bin/env python3
"""Faults on the device's serial line (UART 1, carried over TCP by QEMU).

A UART has no connect, no hang-up and no checksum of its own: the stub must
survive whatever comes over it. Against the firmware running spin.c (it
loops until g_stop is set), started by device-as-wdb-run.sh -g:
  1. garbage between packets, a damaged packet (bad checksum), a packet
     cut short by dropped bytes and followed by a new one, an oversized
     packet: each gets its protocol answer ('-', an error, the next
     packet's reply) and the stub keeps working;
  2. garbage while the program runs is ignored; 0x03 still interrupts;
  3. a debugger that vanishes mid-run (the connection closes while the
     program runs, with a breakpoint ahead): the stop it does not answer
     is given up after the stub's timeout, the breakpoint is removed and
     the program runs on; a new debugger finds it running in its loop
     (an interrupt stop, not the old breakpoint), and `k` ends it (137).
usage: line-faults.py STAND_IN SPIN.wasm
"""
import os
import re
import socket
import subprocess
import sys
import time

stand_in, wasm = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def frame(payload):
    return b"$" + payload + b"#" + b"%02x" % (sum(payload) & 0xFF)


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""

    def send(self, raw):
        self.s.sendall(raw)

    def read_until(self, pred, timeout=10.0):
        end = time.time() + timeout
        while not pred(self.buf):
            left = end - time.time()
            if left <= 0:
                return False
            self.s.settimeout(left)
            try:
                chunk = self.s.recv(4096)
            except socket.timeout:
                return False
            if not chunk:
                return False
            self.buf += chunk
        return True

    def reply(self, timeout=10.0):
        """The next packet's payload (acks before it are dropped), or None."""
        m = None

        def have(b):
            nonlocal m
            m = re.search(rb"\$([^#]*)#[0-9a-f]{2}", b)
            return m is not None
        if not self.read_until(have, timeout):
            return None
        payload = m.group(1)
        self.buf = self.buf[m.end():]
        return payload

    def ask(self, payload, timeout=10.0):
        self.send(frame(payload))
        return self.reply(timeout)

    def close(self):
        self.s.close()


proc = subprocess.Popen([stand_in, "-g=127.0.0.1:0", wasm], stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, cwd=os.path.dirname(wasm) or ".")
port = None
line = proc.stderr.readline().decode()
m = re.search(r"port (\d+)", line)
if not m:
    print("FAIL the device did not say its port: " + line)
    proc.kill()
    sys.exit(1)
port = int(m.group(1))
try:
    c = Conn(port)
    # 1. ack mode: garbage, a damaged packet, a cut one, an oversized one
    c.send(b"+hello\r\n\x00\xff+-")
    check(c.ask(b"qC") == b"QC1", "garbage before a packet is ignored")
    c.send(b"$qC#00")
    check(c.read_until(lambda b: b"-" in b, 5), "a bad checksum is answered '-' (resend)")
    c.buf = b""
    c.send(b"$qSupp")  # the rest of this packet was lost on the line
    check(c.ask(b"qC") == b"QC1", "a packet cut short is dropped; the next one is answered")
    r = c.ask(b"q" + b"a" * 5000)  # the device's packets are 1 KiB
    check(r is not None and r.startswith(b"E"), "an oversized packet gets an error, not silence")
    check(c.ask(b"qC") == b"QC1", "the stub keeps working after it")
    # the debugger's own handshake: no-ack mode, the entry stop
    check(c.ask(b"QStartNoAckMode") == b"OK", "QStartNoAckMode")
    stop = c.ask(b"?")
    check(stop is not None and stop.startswith(b"T05") and b"reason:trace" in stop, "entry stop")
    c.send(b"$qC#00")
    r = c.reply(5)
    check(r is not None and r.startswith(b"E"), "no-ack mode: a damaged packet gets an error")

    # 2. while it runs: garbage is ignored, 0x03 interrupts
    c.send(frame(b"c"))
    time.sleep(0.3)
    c.send(b"garbage\r\n}}}##$$")
    time.sleep(0.2)
    c.send(b"\x03")
    r = c.reply(5)
    # the garbage's '$$' began packets that never ended: the interrupt
    # still comes through (0x03 outside a packet), perhaps after an error
    while r is not None and r.startswith(b"E"):
        r = c.reply(5)
    check(r is not None and r.startswith(b"T02"), "0x03 interrupts the running program after garbage")

    # 3. a breakpoint ahead (where the interrupt stopped it: a loop head,
    # passed on every iteration), continue, and the debugger vanishes
    m = re.search(rb"thread-pcs:([0-9a-f]+);", r or b"")
    bp = int(m.group(1), 16) if m else 0
    check(c.ask(b"Z0,%x,1" % bp) == b"OK", "breakpoint in the loop")
    c.send(frame(b"c"))
    r = c.reply(5)
    check(r is not None and r.startswith(b"T05") and b"reason:breakpoint" in r,
          "the breakpoint is hit")
    c.close()  # gone: the stop reply is never answered
    time.sleep(7)  # the firmware's stop timeout is 5 s
    check(proc.poll() is None, "the program is still alive after the debugger vanished")
    c = Conn(port)
    check(c.ask(b"QStartNoAckMode") == b"OK", "a new debugger's handshake")
    r = c.ask(b"?", 10)
    check(r is not None and r.startswith(b"T02") and b"reason:signal" in r,
          "the new debugger finds it running (interrupted), not at the old breakpoint")
    c.send(frame(b"k"))
    r = c.reply(5)
    check(r == b"X09", "k: X09")
    c.close()
    try:
        st = proc.wait(20)
    except subprocess.TimeoutExpired:
        st = None
    check(st == 137, "the firmware ended with 137 (killed), got %s" % st)
finally:
    if proc.poll() is None:
        proc.kill()
        proc.wait()
print("%d checks failed" % len(failures) if failures else "PASS: the line's faults")
sys.exit(1 if failures else 0)
