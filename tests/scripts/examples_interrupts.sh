#!/bin/bash
# examples_interrupts.sh BUILD SHARED -- examples/interrupts booted from
# its floppy with -nographic on a pseudo-terminal, driven by a small
# Python program like a person at the keyboard: the terminal console turns
# what is typed into PS/2 key presses on the 8042, which raise IRQ 1.
# Typed: "a", "B" (the console presses Shift around it), Enter, the up
# arrow (ESC [ A), and Esc.  Checks, on port 0xE9: the timer's lines
# "1 s, ticks=100" and "2 s, ticks=200" (IRQ 0 at 100 Hz), the scan codes
# of every key pressed and released with the ASCII of the presses (1E 'a',
# 2A shift, 30 'B', 1C 0D, E0 48, 01 Esc), exit status 1 after Esc (the
# example writes 0 to the exit port); and the same key lines on the VGA
# text screen at exit (--dump-vga-text).
set -u
. "$(dirname "$0")/examples_common.inc" "${1:-build}" examples_interrupts || exit 1

python3 - "$X86LAB" "$EX/interrupts/interrupts-floppy.img" "$OUT" <<'PYTHON'
import os, pty, select, signal, sys, time

x86lab, image, out = sys.argv[1:4]
e9, vga = out + "/keys.e9", out + "/keys.vga"
for f in (e9, vga):
    if os.path.exists(f):
        os.remove(f)
fails = 0
checks = 0

def check(ok, what):
    global fails, checks
    checks += 1
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        fails += 1

pid, fd = pty.fork()
if pid == 0:
    os.execv(x86lab, [x86lab, "-fda", image, "-display", "curses", "-debugcon", "file:" + e9,
                      "--dump-vga-text", vga])

def drain(seconds):
    """Reads the terminal (so x86lab never blocks on it) for a while."""
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                if not os.read(fd, 65536):
                    return
            except OSError:
                return

def debugcon():
    try:
        return open(e9, "rb").read().decode("latin-1")
    except OSError:
        return ""

def wait_for(line, timeout=20.0):
    end = time.time() + timeout
    while time.time() < end:
        if line + "\n" in debugcon():
            return True
        drain(0.05)
    return False

check(wait_for("interrupts: IRQ 0 and 1 unmasked, STI. Type keys; Esc stops."),
      "the example reached its main loop")
check(wait_for("interrupts: 1 s, ticks=100"), "IRQ 0: '1 s, ticks=100' after a second")
keys = [
    (b"a", ["scan code 1E pressed ascii 'a'", "scan code 9E released"]),
    (b"B", ["scan code 2A pressed (shift)", "scan code 30 pressed ascii 'B'",
            "scan code B0 released", "scan code AA released"]),
    (b"\r", ["scan code 1C pressed ascii 0D", "scan code 9C released"]),
    (b"\x1b[A", ["scan code E0 (E0 prefix: an extended key follows)", "scan code 48 pressed",
                 "scan code C8 released"]),
]
for typed, lines in keys:
    os.write(fd, typed)
    ok = all(wait_for("interrupts: " + l, 10.0) for l in lines)
    check(ok, "typed %r: %s" % (typed, "; ".join(lines)))
check(wait_for("interrupts: 2 s, ticks=200"), "IRQ 0 still ticking: '2 s, ticks=200'")
os.write(fd, b"\x1b")                       # Esc alone: the console sends it after 50 ms
check(wait_for("interrupts: Esc pressed, stopping"), "Esc: 'scan code 01 pressed (Esc)' and stop")
status = None
end = time.time() + 10
while time.time() < end:
    drain(0.05)
    p, st = os.waitpid(pid, os.WNOHANG)
    if p:
        status = os.waitstatus_to_exitcode(st)
        break
if status is None:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
check(status == 1, "exit status 1 after Esc (got %s)" % status)
text = debugcon()
order = ["scan code 1E pressed", "scan code 30 pressed", "scan code 1C pressed",
         "scan code 48 pressed", "scan code 01 pressed"]
pos = [text.find(o) for o in order]
check(all(p >= 0 for p in pos) and pos == sorted(pos), "the keys came in the order typed")
try:
    screen = open(vga).read().splitlines()
except OSError:
    screen = []
want = ["interrupts: scan code 1E pressed ascii 'a'", "interrupts: scan code 30 pressed ascii 'B'",
        "interrupts: Esc pressed, stopping"]
check(all(w in screen for w in want), "the key lines on the VGA text screen at exit")
if fails:
    print("examples_interrupts: %d of %d checks failed" % (fails, checks))
    sys.exit(1)
print("examples_interrupts: all %d checks passed" % checks)
PYTHON
