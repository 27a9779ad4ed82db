#!/bin/bash
# linux_vga.sh BUILD -- Debian's i686 kernel (tools/linux_fetch.sh) on the
# VGA text console instead of the serial port: console=tty0, the shell on
# tty1 (x86lab.vga), commands typed as keys on x86lab's terminal console
# (-display curses on a pseudo-terminal: PS/2 scan codes into the i8042 and
# Linux's atkbd), their output read back from the screen, and at the end
# from VGA memory itself (--dump-vga-text).  poweroff must end x86lab with
# status 0.  Env: LINUX_ENGINE (default interp).
. "$(dirname "$0")/boot_common.inc" "${1:-build}" linux_vga || exit 1

if ! tools/linux_fetch.sh "$BUILD" >/dev/null; then
    echo "FAIL linux_vga: the Debian kernel/busybox could not be fetched with apt"
    exit 1
fi
rm -f "$DIR/screen.txt"
PYTHONPATH=tests/scripts exec python3 - "$X86LAB" "$BUILD" "$DIR" "${LINUX_ENGINE:-interp}" <<'PYTHON'
import sys
from ptyscreen import Console

x86lab, build, out, engine = sys.argv[1:5]
fails = 0
def check(ok, what):
    global fails
    print(("ok   " if ok else "FAIL ") + what)
    fails += not ok

con = Console([x86lab, "-m", "256", "-kernel", build + "/linux/vmlinuz",
               "-initrd", build + "/linux/initrd.gz",
               "-append", "console=tty0 cryptomgr.notests x86lab.vga",
               "-display", "curses", "-serial", "none", "--engine=" + engine, "--watchdog=400",
               "--dump-vga-text", out + "/screen.txt"])
check(con.wait_screen("X86LAB-LINUX-INIT-OK", timeout=300), "linux on VGA: /init ran")
check(con.wait_screen("/ #", timeout=30), "linux on VGA: the shell's prompt on the screen")
con.type("uname -a\r")
check(con.wait_screen("686 GNU/Linux", timeout=30), "linux on VGA: uname -a typed on the keyboard")
con.type("echo R=$((6*7))\r")
check(con.wait_screen("R=42", timeout=30), "linux on VGA: echo $((6*7)) shows R=42")
con.type("poweroff -f\r")
status = con.wait_exit(timeout=60)
check(status == 0, "linux on VGA: poweroff ended x86lab with status 0 (got %s)" % status)
try:
    vga = open(out + "/screen.txt").read()
except OSError:
    vga = ""
check("R=42" in vga and "686 GNU/Linux" in vga and "6.1.0-" in vga,
      "linux on VGA: R=42 and uname's line in VGA memory at exit (--dump-vga-text)")
open(out + "/terminal.txt", "w").write("\n".join(con.screen()))
print("linux_vga: all checks passed" if fails == 0 else "linux_vga: %d failed" % fails)
sys.exit(1 if fails else 0)
PYTHON
