#!/usr/bin/env python3
# rsp_client.py PORT SYMFILE SCENARIO -- a raw gdb remote-protocol client
# for tests/scripts/gdb_protocol.sh: it speaks the packets itself (so it
# can send a bad checksum, a Ctrl-C byte, packets gdb -batch never sends)
# and prints "ok ..." / "FAIL ..." for each check.  SCENARIO: main (the
# guest ends by detach) or kill.
import socket
import sys
import time

fails = 0


def check(cond, what):
    global fails
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        fails += 1


class Rsp:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.buf = b""
        self.noack = False

    def byte(self):
        while not self.buf:
            data = self.s.recv(4096)
            if not data:
                raise EOFError("x86lab closed the connection")
            self.buf += data
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def frame(self, data):
        return b"$" + data + b"#%02x" % (sum(data) & 0xFF)

    def ack(self):
        return self.byte()

    def recv(self):
        while self.byte() != b"$":
            pass
        data = b""
        while True:
            b = self.byte()
            if b == b"#":
                break
            data += b
        csum = self.byte() + self.byte()
        if not self.noack:
            self.s.sendall(b"+")
        assert int(csum, 16) == sum(data) & 0xFF, "bad checksum from x86lab"
        return data.decode("latin-1")

    def cmd(self, text):
        self.s.sendall(self.frame(text.encode("latin-1")))
        if not self.noack:
            a = self.ack()
            assert a == b"+", "no ack for %r: %r" % (text, a)
        return self.recv()


def reg(r, n):
    v = r.cmd("p%x" % n)
    return int.from_bytes(bytes.fromhex(v), "little")


def main_scenario(r, sym):
    # A packet with a bad checksum is refused with '-'.
    r.s.sendall(b"$g#00")
    check(r.ack() == b"-", "bad checksum answered with '-'")
    sup = r.cmd("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386")
    check("PacketSize=" in sup and "qXfer:features:read+" in sup and "swbreak+" in sup,
          "qSupported: " + sup)
    check(r.cmd("QStartNoAckMode") == "OK", "QStartNoAckMode accepted")
    r.noack = True
    xml = ""
    off = 0
    while True:
        part = r.cmd("qXfer:features:read:target.xml:%x,400" % off)
        xml += part[1:]
        off += len(part) - 1
        if part[0] == "l":
            break
    check("org.gnu.gdb.i386.core" in xml and 'name="cr3"' in xml and 'name="eflags"' in xml,
          "target.xml: %d bytes, i386 core feature and cr3" % len(xml))
    check(r.cmd("?").startswith("T05"), "stopped at the start (T05)")
    check(r.cmd("qAttached") == "1" and r.cmd("qC") == "QC1", "qAttached, qC")
    check(r.cmd("qfThreadInfo") == "m1" and r.cmd("qsThreadInfo") == "l", "one thread")
    check(r.cmd("vCont?") == "vCont;c;C;s;S", "vCont? lists c, C, s, S")
    pc0 = reg(r, 8)
    check(pc0 == sym["_start"], "EIP at the kernel entry: %#x" % pc0)
    check(r.cmd("vCont;s:1").startswith("T05"), "vCont;s stops with T05")
    check(reg(r, 8) == sym["_start"] + 5, "the step moved EIP over mov esp, imm32 (5 bytes)")
    # Registers: P writes EAX, p reads it back; a write to CR3 is refused.
    check(r.cmd("P0=78563412") == "OK" and reg(r, 0) == 0x12345678, "P/p on EAX")
    check(r.cmd("P22=00100000") == "E01", "P on CR3 refused (E01)")
    g = r.cmd("g")
    check(len(g) == 2 * (32 * 4 + 8 * 10 - 8 * 4) + 2 * 4 * 28, "g: every register (%d hex digits)" % len(g))
    # Memory: M writes, m reads back, X (binary) with an escaped byte.
    spin = sym["spin"]
    check(r.cmd("M%x,4:01000000" % spin) == "OK", "M writes spin = 1")
    check(r.cmd("m%x,4" % spin) == "01000000", "m reads it back")
    check(r.cmd("X%x,0:" % spin) == "OK", "X probe")
    r.s.sendall(r.frame(b"X%x,1:}]" % (sym["pf_error"])))   # '}' ']' is 0x7d
    check(r.recv() == "OK" and r.cmd("m%x,1" % sym["pf_error"]) == "7d", "X with an escaped 0x7d")
    check(r.cmd("M%x,1:00" % sym["pf_error"]) == "OK", "M restores pf_error")
    # Ctrl-C stops a guest spinning in spin_loop.
    r.s.sendall(r.frame(b"c"))
    time.sleep(0.5)
    r.s.sendall(b"\x03")
    stop = r.recv()
    pc = reg(r, 8)
    check(stop.startswith("T02"), "Ctrl-C: stop reply %s" % stop)
    check(sym["spin_loop"] <= pc < sym["soft_int"], "Ctrl-C stopped in spin_loop (EIP %#x)" % pc)
    check(r.cmd("M%x,4:00000000" % spin) == "OK", "spin = 0 lets it go on")
    # A software breakpoint after paging is on, then an unmapped page.
    check(r.cmd("Z0,%x,1" % sym["fault_here"]) == "OK", "Z0 at fault_here")
    stop = r.cmd("c")
    check(stop.startswith("T05") and "swbreak" in stop, "breakpoint stop reply: " + stop)
    check(reg(r, 8) == sym["fault_here"], "stopped at fault_here")
    check(r.cmd("m400000,4") == "E14", "m on an unmapped page: E14")
    check(r.cmd("m%x,4" % sym["counter"]) == "2a000000", "m through the page tables: counter 42")
    check(r.cmd("z0,%x,1" % sym["fault_here"]) == "OK", "z0 removes it")
    # A write watchpoint on pf_cr2 (the #PF handler writes it).
    check(r.cmd("Z2,%x,4" % sym["pf_cr2"]) == "OK", "Z2 on pf_cr2")
    stop = r.cmd("c")
    check(stop.startswith("T05watch:%x;" % sym["pf_cr2"]), "watch stop reply: " + stop)
    check(r.cmd("m%x,4" % sym["pf_cr2"]) == "00004000", "pf_cr2 holds CR2 0x400000")
    check(r.cmd("z2,%x,4" % sym["pf_cr2"]) == "OK", "z2 removes it")
    out = r.cmd("qRcmd," + "registers".encode().hex())
    text = ""
    while out.startswith("O") and out != "OK":
        text += bytes.fromhex(out[1:]).decode("latin-1")
        out = r.recv()
    check(out == "OK" and "eax" in text.lower(), "qRcmd: monitor output in O packets")
    check(r.cmd("D") == "OK", "D detaches")


def kill_scenario(r, sym):
    check(r.cmd("?").startswith("T05"), "stopped at the start")
    r.s.sendall(r.frame(b"k"))
    r.ack()


def main():
    port, symfile, scenario = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    sym = {}
    for line in open(symfile):
        f = line.split()
        if len(f) == 3:
            sym[f[2]] = int(f[0], 16)
    r = Rsp(port)
    try:
        (main_scenario if scenario == "main" else kill_scenario)(r, sym)
    except (EOFError, AssertionError, OSError, ValueError) as e:
        check(False, "protocol: %s" % e)
    print("%d failed" % fails)
    sys.exit(1 if fails else 0)


main()
