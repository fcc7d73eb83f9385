#!/usr/bin/env python3
"""Where the interpreter's instructions go, per internal op, on the device
and on the host: the companion of bench/device-kernels.sh, for a kernel
whose ratio is worse than expected.

  kernel_profile.py device ELF [ARG...]        a firmware image of
        bench/device-kernels.sh (build/bench-kernels/fw/kernel_wasm_K.elf),
        run in QEMU without -icount, with the kernel's arguments (-append)
  kernel_profile.py host WDB_RUN MODULE.wasm [ARG...]   wdb-run under
        valgrind's callgrind

Prints, for each handler of the interpreter's loop (run() in
runtime/src/wr_interp.c, found by its labels L_<op> in the DWARF; the ELF
and wdb-run must have debug information, as their default builds do), the
instructions executed in it, how many times it was entered and the
instructions per entry; functions outside run() by name; and, for run() as a
whole, instructions per op and the most executed mnemonics. The same module
and arguments on both sides execute the same internal ops (unless the
translation differs by target, e.g. wr_code.h's packed forms), so the
per-entry columns compare directly.

An instruction counts for the nearest label before it: code GCC moved out of
a handler (cold paths, a tail shared by several) shows under another name.
Use small inputs: the device side logs every translation block QEMU runs
(-d exec,nochain) through a pipe, about 10 s per 40 M instructions. Start-up
(loading, translating) is included: compare the ops, not the totals.
"""
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile


def labels_of(elf, readelf):
    """(address, name) of every DWARF label, sorted; L_x is named x."""
    out = subprocess.run([readelf, "--debug-dump=info", elf], capture_output=True,
                         text=True, check=True).stdout
    res, name, inlabel = set(), None, False
    for line in out.splitlines():
        if "Abbrev Number" in line:
            inlabel, name = "DW_TAG_label" in line, None
        elif inlabel and "DW_AT_name" in line:
            name = line.split(":")[-1].strip()
        elif inlabel and "DW_AT_low_pc" in line and name:
            res.add((int(line.split(":")[-1].strip(), 16), name[2:] if name.startswith("L_") else name))
    return sorted(res)


def symbols_of(elf, nm):
    syms = []
    for line in subprocess.run([nm, "-S", elf], capture_output=True, text=True, check=True).stdout.splitlines():
        p = line.split()
        if len(p) == 4:
            a = int(p[0], 16)
            syms.append((a, a + int(p[1], 16), p[3]))
    return sorted(syms)


class Attributor:
    def __init__(self, elf, nm, readelf):
        self.syms = symbols_of(elf, nm)
        runs = [s for s in self.syms if s[2] == "run"]
        if not runs:
            sys.exit("kernel_profile: no function run() in %s" % elf)
        self.run = runs[0]
        self.labels = [x for x in labels_of(elf, readelf) if self.run[0] <= x[0] < self.run[1]]
        if not self.labels:
            sys.exit("kernel_profile: no labels in run(): build with debug information (-g)")
        self.laddr = [a for a, _ in self.labels]
        self.lname = dict(self.labels)

    def in_run(self, a):
        return self.run[0] <= a < self.run[1]

    def where(self, a):
        if self.in_run(a):
            j = bisect.bisect_right(self.laddr, a) - 1
            return self.labels[j][1] if j >= 0 else "(run: entry)"
        j = bisect.bisect_right(self.syms, (a, 1 << 62, "")) - 1
        if j >= 0 and self.syms[j][0] <= a < self.syms[j][1]:
            return "fn:" + self.syms[j][2]
        return "fn:?"


def report(at, cost, mnem, classify, label):
    """cost: address -> instructions executed there (or ('lib', name) keys)."""
    total = sum(cost.values())
    by = collections.Counter()
    for a, c in cost.items():
        by[("lib:" + a[1]) if isinstance(a, tuple) else at.where(a)] += c
    entries = {name: cost.get(a, 0) for a, name in at.labels}
    nops = sum(entries.values())
    inrun = sum(c for a, c in cost.items() if not isinstance(a, tuple) and at.in_run(a))
    print("%s: %d instructions, %d in run(): %d ops entered, %.2f instructions per op"
          % (label, total, inrun, nops, inrun / nops if nops else 0))
    print()
    def table(title, items):
        print("%-26s %12s %7s %10s %8s" % (title, "instructions", "share", "entries", "per op"))
        for k, v in items:
            e = entries.get(k, 0)
            print("%-26s %12d %6.2f%% %10s %8s" % (k, v, 100.0 * v / total, e or "",
                                                    "%.1f" % (v / e) if e else ""))
    ranked = by.most_common()
    table("handler in run()", [x for x in ranked if not x[0].startswith(("fn:", "lib:"))][:30])
    print()
    table("outside run()", [x for x in ranked if x[0].startswith(("fn:", "lib:"))][:10])
    mh = collections.Counter()
    for a, c in cost.items():
        if not isinstance(a, tuple) and at.in_run(a):
            mh[classify(mnem.get(a, ("?", "")))] += c
    print()
    print("run()'s instructions by kind, per op entered:")
    for k, v in mh.most_common(16):
        print("   %-34s %12d %6.2f" % (k, v, v / nops if nops else 0))


def arm_kind(m):
    op, args = m
    if op.startswith("orr") and args.endswith("#1"):
        return "orr #1 (Thumb bit of a dispatch)"
    if op == "bx":
        return "bx (dispatch)"
    if op.startswith("mov") and args.endswith("#0"):
        return "mov #0 (a zero upper word)"
    if op.startswith("str") and args.endswith(", #4]"):
        return "str [rX, #4] (upper word)"
    if op.startswith("ldr") and "[sp" in args:
        return "ldr [sp] (spilled)"
    return op


def device(elf, args):
    at = Attributor(elf, "arm-none-eabi-nm", "arm-none-eabi-readelf")
    tmp = tempfile.mkdtemp()
    fifo, uart = os.path.join(tmp, "log"), os.path.join(tmp, "uart")
    os.mkfifo(fifo)
    qemu = subprocess.Popen(
        ["qemu-system-arm", "-M", "mps2-an385", "-nographic", "-monitor", "none",
         "-serial", "file:" + uart, "-semihosting-config", "enable=on,target=native",
         "-kernel", elf, "-append", " ".join(args), "-d", "in_asm,exec,nochain", "-D", fifo],
        stdin=subprocess.DEVNULL)
    tbs, mnem, execs, cur = {}, {}, collections.Counter(), None
    insn = re.compile(r"^0x([0-9a-f]+):  [0-9a-f]{4}(?: [0-9a-f]{4})?\s+(\S+)\s*(.*)$")
    with open(fifo) as f:
        for line in f:
            if line.startswith("Trace"):
                i = line.index("[")
                execs[int(line[i + 10:i + 18], 16)] += 1
            elif line.startswith("0x") and cur is not None:
                m = insn.match(line.rstrip())
                if m:
                    a = int(m.group(1), 16)
                    cur.append(a)
                    mnem[a] = (m.group(2), m.group(3))
            elif line.startswith("IN:"):
                cur = []
            elif cur:
                tbs[cur[0]] = cur
                cur = None
    qemu.wait()
    with open(uart, errors="replace") as u:
        sys.stdout.write(u.read())
    os.unlink(fifo)
    os.unlink(uart)
    os.rmdir(tmp)
    cost = collections.Counter()
    for pc, n in execs.items():
        for a in tbs.get(pc, [pc]):
            cost[a] += n
    report(at, cost, mnem, arm_kind, "device")


def x86_kind(m):
    op, args = m
    if op == "jmp" and "[" in args:
        return "jmp [mem] (dispatch)"
    if "[rsp" in args:
        return op + " [rsp] (spilled)"
    return op


def host(wdb_run, wasm, args):
    at = Attributor(wdb_run, "nm", "readelf")
    tmp = tempfile.mkdtemp()
    out = os.path.join(tmp, "callgrind.out")
    st = subprocess.run(["valgrind", "--tool=callgrind", "--dump-instr=yes", "--callgrind-out-file=" + out,
                         "--log-file=/dev/null", wdb_run, wasm] + args).returncode
    if st != 0:
        sys.exit("kernel_profile: wdb-run exited with %d" % st)
    names, ob, addr, line, skip = {}, None, 0, 0, False
    cost = collections.Counter()
    me = os.path.realpath(wdb_run)

    def pos(tok, prev, base):
        if tok == "*":
            return prev
        if tok[0] in "+-":
            return prev + int(tok, 0) if tok[1:].startswith("0x") else prev + int(tok)
        return int(tok, base)

    with open(out) as f:
        for l in f:
            c0 = l[0]
            if c0.isdigit() or c0 in "+-*":
                p = l.split()
                addr, line = pos(p[0], addr, 16), pos(p[1], line, 10)
                if skip:  # the inclusive cost of a call
                    skip = False
                    continue
                key = addr if ob and os.path.realpath(ob) == me else ("lib", os.path.basename(ob or "?"))
                cost[key] += int(p[2])
            elif l.startswith("calls="):
                skip = True
            elif l.startswith("ob=") or l.startswith("cob="):
                m = re.match(r"c?ob=\((\d+)\)(?: (.*))?", l.strip())
                if m.group(2):
                    names[m.group(1)] = m.group(2)
                if l.startswith("ob="):
                    ob = names.get(m.group(1))
    os.unlink(out)
    os.rmdir(tmp)
    dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", "-M", "intel",
                          "--start-address=%#x" % at.run[0], "--stop-address=%#x" % at.run[1], wdb_run],
                         capture_output=True, text=True, check=True).stdout
    mnem = {}
    for l in dis.splitlines():
        m = re.match(r"^\s+([0-9a-f]+):\s+(\S+)\s*(.*)$", l)
        if m:
            mnem[int(m.group(1), 16)] = (m.group(2), m.group(3))
    report(at, cost, mnem, x86_kind, "host")


def main():
    try:
        sys.stdout.reconfigure(line_buffering=True)
    except AttributeError:
        pass
    if len(sys.argv) >= 3 and sys.argv[1] == "device":
        device(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) >= 4 and sys.argv[1] == "host":
        host(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
