#!/bin/bash
# boot_console.sh BUILD SHARED -- keys from the terminal console to a
# booted guest through the BIOS.  tests/guest/boot_keys.asm, booted from a
# floppy with -nographic on a pseudo-terminal driven by a small Python
# program, echoes every key.  Typed: "a", "B" (the console sends Shift),
# Enter, an up arrow (ESC [ A), "q".  Checked: the BIOS's banner and the
# guest's prompt on the terminal's screen, the codes INT 16h AH=00h
# returned (1E61h, 3042h, 1C0Dh, 4800h, 1071h) on the debug console, "aB"
# echoed on the screen, exit status 1 (EXIT_PASS after "q").
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
cd "$(dirname "$0")/../.." || exit 1
X86LAB=$BUILD/x86lab
DIR=$BUILD/boot_console
mkdir -p "$DIR"
if [ ! -x "$X86LAB" ] || [ ! -f "$BUILD/bios/bios.bin" ]; then
    echo "FAIL $X86LAB or $BUILD/bios/bios.bin not built"
    exit 1
fi
if ! nasm -f bin -I tests/guest/ tests/guest/boot_keys.asm -o "$DIR/keys.bin"; then
    echo "FAIL boot_keys.asm does not assemble"
    exit 1
fi
python3 -c "import sys; d=open(sys.argv[1],'rb').read(); open(sys.argv[2],'wb').write(d+bytes(1474560-len(d)))" \
    "$DIR/keys.bin" "$DIR/keys.img"

PYTHONPATH=tests/scripts exec python3 - "$X86LAB" "$DIR/keys.img" "$DIR/keys.out" <<'PYTHON'
import os, pty, select, signal, sys, time
from ptyscreen import render

x86lab, image, out_path = sys.argv[1:4]
fails = 0
# BOOT_WAIT_SCALE (default 1) stretches the host-time waits below: the
# KVM tests set it, since a nested KVM boot is far slower (run-kvm.sh).
SCALE = float(os.environ.get("BOOT_WAIT_SCALE") or 1)

def check(ok, what):
    global fails
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        fails += 1

pid, fd = pty.fork()
if pid == 0:
    os.execv(x86lab, [x86lab, "-fda", image, "-display", "curses", "-debugcon", "file:" + out_path])
seen = b""

def pump(until, timeout=10.0):
    global seen
    end = time.time() + timeout * SCALE
    while time.time() < end:
        if until in seen:
            return True
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            seen += data
    return until in seen

def screen(data):
    """The rows a terminal shows for data (ptyscreen.render)."""
    return render(data)

def wait_screen(text, timeout=10.0):
    """Waits until text shows on a row of the screen: the console may draw
    a line in pieces (cursor moves over blanks), as it does under KVM."""
    end = time.time() + timeout * SCALE
    while time.time() < end:
        if any(text in row for row in screen(seen)):
            return True
        pump(b"\0", timeout=0.05)
    return any(text in row for row in screen(seen))

def debugcon():
    try:
        return open(out_path, "rb").read()
    except OSError:
        return b""

def wait_key(code, timeout=10.0):
    end = time.time() + timeout * SCALE
    while time.time() < end:
        pump(b"\0", timeout=0.05)
        if ("key " + code).encode() in debugcon():
            return True
    return False

check(wait_screen("x86lab BIOS 1.0"), "the BIOS's banner on the terminal's screen")
check(wait_screen("boot_keys: type>"), "the guest's prompt on the screen (INT 10h teletype)")
keys = [(b"a", "1e61"), (b"B", "3042"), (b"\r", "1c0d"), (b"\x1b[A", "4800"), (b"q", "1071")]
for typed, code in keys:
    os.write(fd, typed)
    check(wait_key(code), "typed %r: INT 16h AH=00h returned %s" % (typed, code))
status = None
end = time.time() + 10 * SCALE
while time.time() < end:
    pump(b"\0", timeout=0.05)
    p, st = os.waitpid(pid, os.WNOHANG)
    if p:
        status = os.waitstatus_to_exitcode(st)
        break
if status is None:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
check(status == 1, "exit status 1 after 'q' (got %s)" % status)
check(any("type> aB" in row for row in screen(seen)),
      "'aB' echoed after the prompt on the terminal's screen")
print("boot_console: all checks passed" if fails == 0 else "boot_console: %d failed" % fails)
sys.exit(1 if fails else 0)
PYTHON
