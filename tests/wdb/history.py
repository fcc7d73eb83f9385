#!/usr/bin/env python3
"""Forward, then back: the reverse source steps retrace the forward ones.

    history.py --wdb WDB --runtime RUNTIME --wasm APP.wasm --mode step|next
               --count N [--break LOCATION]

One batch session (`wdb --runtime=RUNTIME`, a stub that runs backward):
`break LOCATION` (default main), `run`, then N times MODE, then N times
reverse-MODE, with the stop's line and `info locals` after each. The stops
of the reverse steps must be the forward ones in reverse order, the same
line in the same function with the same locals, ending where the first
forward step started. Fails on any difference, on a session that stopped
fewer times than asked, and on a forward run that went through fewer than
3 different lines (the check would prove nothing).
"""
import argparse
import re
import subprocess
import sys

MARK = "@@stop@@"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wdb", required=True)
    ap.add_argument("--runtime", required=True)
    ap.add_argument("--wasm", required=True)
    ap.add_argument("--mode", choices=["step", "next"], required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--break", dest="location", default="main")
    a = ap.parse_args()
    back = "reverse-" + a.mode
    cmds = ["break " + a.location, "run"]
    probe = ["echo " + MARK + "\\n", "frame", "info locals"]
    cmds += probe
    for _ in range(a.count):
        cmds += [a.mode] + probe
    for _ in range(a.count):
        cmds += [back] + probe
    argv = [a.wdb, "-batch", "--runtime=" + a.runtime]
    for c in cmds:
        argv += ["-ex", c]
    argv.append(a.wasm)
    run = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         timeout=600)
    out = run.stdout
    chunks = out.split(MARK + "\n")[1:]
    stops = []
    for ch in chunks:
        # "frame" prints "#0  FUNC (ARGS) at FILE:LINE" then the source line;
        # the rest up to the next command's output is the locals
        m = re.search(r"^#0\s+(?:0x[0-9a-f]+ in )?(\S+) .*?:(\d+)$", ch, re.M)
        body = ch.split("\n")
        loc = []
        for line in body[2:]:
            if re.match(r"^\w+ = ", line) or line == "No locals.":
                loc.append(line)
            elif loc:
                break
        stops.append((m.group(1) if m else "?", m.group(2) if m else "?", tuple(loc)))
    want = 2 * a.count + 1
    fail = False
    if len(stops) != want:
        print("FAIL: %d stops, expected %d" % (len(stops), want))
        fail = True
    fwd, rev = stops[:a.count + 1], stops[a.count:]
    if len({s[:2] for s in fwd}) < 3:
        print("FAIL: the forward steps went through fewer than 3 lines: %r" % (fwd,))
        fail = True
    if not fail:
        for i, (f, r) in enumerate(zip(reversed(fwd), rev)):
            ok = f == r
            print("%s %-28s %s" % ("ok  " if ok else "FAIL", "%s:%s" % f[:2], " ".join(f[2])))
            if not ok:
                print("     back at %s:%s %s" % (r[0], r[1], " ".join(r[2])))
                fail = True
    if fail:
        print("--- session ---")
        print(out)
        return 1
    print("%d %s steps retraced by %s" % (a.count, a.mode, back))
    return 0


if __name__ == "__main__":
    sys.exit(main())
