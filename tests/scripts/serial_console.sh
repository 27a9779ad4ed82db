#!/bin/bash
# serial_console.sh BUILD SHARED -- the terminal console (-display curses
# with stdin and stdout on a terminal; -nographic starts in the serial
# view instead, as QEMU shows COM1), driven through a pseudo-terminal by a
# small Python program, with the guest dev_uart_console.  Checks: the VGA
# text screen is drawn with ANSI colours (white on blue), CP437 as UTF-8
# and the hardware cursor; keys typed in the screen view reach the 8042 as
# scan codes (letters with and without Shift, Ctrl, Enter, Backspace,
# arrows and function keys; the 8042 translates them to set 1);
# Ctrl-A v shows the serial view with the earlier COM1 output; typed bytes
# reach COM1 and Ctrl-A Ctrl-A sends one Ctrl-A; Ctrl-A h answers on the
# status line; Ctrl-A c stops in the monitor, which takes a command and
# continues; Ctrl-A x quits (status 0); and the terminal's
# modes come back after a normal exit, Ctrl-A x, SIGTERM and SIGQUIT.
set -u
BUILD=${1:-build}
X=$BUILD/x86lab
G=$BUILD/tests/guest/dev_uart_console.bin
for f in "$X" "$G"; do
    [ -e "$f" ] || { echo "FAIL $f is missing (run make BUILD=$BUILD first)"; exit 1; }
done
command -v python3 > /dev/null || { echo "FAIL python3 is needed to drive a pseudo-terminal"; exit 1; }

PYTHONPATH=$(dirname "$0") exec python3 - "$X" "$G" <<'PYTHON'
import os, pty, select, signal, sys, termios, time
from ptyscreen import render

x86lab, guest = sys.argv[1], sys.argv[2]
cmd = [x86lab, "-m", "16", "--load", guest + "@0x7c00", "--entry", "0:0x7c00", "-display", "curses"]
fails = 0

def check(ok, what):
    global fails
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        fails += 1

class Session:
    def __init__(self, argv=None):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            argv = argv or cmd
            os.execv(argv[0], argv)
        self.out = b""
        self.modes = None

    def pump(self, until=None, timeout=5.0):
        """Reads output until `until` appears in what came since the call (or timeout)."""
        start = len(self.out)
        end = time.time() + timeout
        while time.time() < end:
            if until is not None and until in self.out[start:]:
                return True
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if r:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    break
                if not data:
                    break
                self.out += data
        return until is None or until in self.out[start:]

    def send(self, data):
        os.write(self.fd, data)

    def wait(self, timeout=10.0):
        end = time.time() + timeout
        while time.time() < end:
            self.pump(timeout=0.05)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.modes = termios.tcgetattr(self.fd)
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        return None

class Screen:
    """What a terminal would show for the output (ptyscreen.render)."""
    def __init__(self, data):
        self.rows = render(data)

    def row(self, n):
        return self.rows[n]

def cooked(modes):
    """ICANON and ECHO on: the modes a shell's terminal has."""
    return bool(modes[3] & termios.ICANON) and bool(modes[3] & termios.ECHO)

# ---- screen view, keys, serial view, exit through the guest ----
s = Session()
check(s.pump(b"\x1b[0;97;44mx86lab console test"), "banner drawn in bright white on blue (SGR 97;44)")
check("\u2554\u2550\u2550\u2557 \u263a caf\u00e9".encode() in s.out, "CP437 box drawing, smiley and e-acute as UTF-8")
check(s.pump(b"\x1b[3;6H\x1b[?25h", timeout=2) or b"\x1b[3;6H\x1b[?25h" in s.out,
      "hardware cursor at row 2 column 5 (terminal 3;6), shown")
check(s.pump(b"Ctrl-A h: help", timeout=1) or b"Ctrl-A h: help" in s.out, "status line under the screen")
check(Screen(s.out).row(0) == "x86lab console test", "row 0 of the screen: the banner")
time.sleep(0.2)
# keys and the set 1 codes the guest reads from the 8042 (translation on)
keys = [(b"a", "1e 9e", "'a'"),
        (b"\x1b[A", "e0 48 e0 c8", "up arrow (ESC [ A)"),
        (b"A", "2a 1e 9e aa", "'A' (Shift pressed around it)"),
        (b"\r", "1c 9c", "Enter"),
        (b"\x7f", "0e 8e", "Backspace (DEL)"),
        (b"\x1bOP", "3b bb", "F1 (ESC O P)"),
        (b"\x03", "1d 2e ae 9d", "Ctrl-C (Ctrl pressed around C)")]
want = ""
for data, codes, name in keys:
    s.send(data)
    want = (want + " " + codes).strip()
    shown = ""
    end = time.time() + 5
    while time.time() < end and shown != want:
        s.pump(timeout=0.1)
        shown = Screen(s.out).row(3)
    check(shown == want, "%s reaches the keyboard: %s" % (name, shown[len(want) - len(codes):] if shown == want
                                                        else "row 3 shows '%s', want '%s'" % (shown, want)))
s.send(b"\x01v")
check(s.pump(b"ready"), "Ctrl-A v: serial view, earlier COM1 output replayed")
s.send(b"hi\x01\x01.")
check(s.pump(b"hi\x01."), "typed bytes reach COM1 and come back; Ctrl-A Ctrl-A sent one Ctrl-A")
status = s.wait()
check(status == 1, "the guest's '.' ended the run with status 1 (got %s)" % status)
check(s.modes is not None and cooked(s.modes), "terminal modes restored after the run (ICANON, ECHO)")

# ---- Ctrl-A h, Ctrl-A c, Ctrl-A x ----
s = Session()
s.pump(b"x86lab console test")
s.send(b"\x01h")
check(s.pump(b"x quit"), "Ctrl-A h: the help on the status line")
s.send(b"\x01c")
check(s.pump(b"(x86lab) ") and b"stopped by the user" in s.out, "Ctrl-A c: the guest stops in the monitor")
s.send(b"registers\r")
check(s.pump(b"cs  =0000"), "the monitor answers a command (registers)")
s.send(b"continue\r")
check(s.pump(b"Ctrl-A h: help"), "continue: back to the console (its status line)")
s.send(b"\x01x")
status = s.wait()
check(status == 0, "Ctrl-A x quit with status 0 (got %s)" % status)
check(b"quit at the user's request" in s.out, "and said so")
check(s.modes is not None and cooked(s.modes), "terminal modes restored after Ctrl-A x")

# ---- a signal ----
s = Session()
s.pump(b"x86lab console test")
check(not cooked(termios.tcgetattr(s.fd)), "raw mode while running (no ICANON/ECHO)")
os.kill(s.pid, signal.SIGTERM)
status = s.wait()
check(status in (-signal.SIGTERM, 128 + signal.SIGTERM),
      "SIGTERM ended it (status 143 after an orderly stop, or killed; got %s)" % status)
check(s.modes is not None and cooked(s.modes), "terminal modes restored after SIGTERM")

# ---- a fatal signal: the console's own handler restores, then dies by it ----
s = Session()
s.pump(b"x86lab console test")
os.kill(s.pid, signal.SIGQUIT)
status = s.wait()
check(status == -signal.SIGQUIT, "SIGQUIT killed it by the signal (got %s)" % status)
check(s.modes is not None and cooked(s.modes), "terminal modes restored after SIGQUIT")

# ---- -nographic: COM1 first, as QEMU shows it; the screen behind Ctrl-A v ----
s = Session(cmd[:-2] + ["-nographic"])
check(s.pump(b"ready"), "-nographic: COM1's output on the terminal without Ctrl-A v")
check(b"\x1b[0;97;44mx86lab console test" not in s.out, "-nographic: the VGA screen not drawn")
s.send(b"\x01v")
check(s.pump(b"x86lab console test"), "-nographic: Ctrl-A v shows the VGA screen")
s.send(b"\x01x")
check(s.wait() == 0, "-nographic: Ctrl-A x quit with status 0")

# ---- Ctrl-A x while -S waits for gdb (QEMU quits there too) ----
import socket
probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
s = Session(cmd[:-2] + ["-nographic", "-S", "-gdb", "tcp::%d" % port])
check(s.pump(b"waiting for gdb"), "-S: waiting for gdb on the terminal")
s.send(b"\x01x")
status = s.wait(timeout=5)
check(status == 0, "-S: Ctrl-A x quit while waiting for gdb, status 0 (got %s)" % status)
check(s.modes is not None and cooked(s.modes), "-S: terminal modes restored")

print("serial_console: " + ("all checks passed" if not fails else "%d failed" % fails))
sys.exit(1 if fails else 0)
PYTHON
