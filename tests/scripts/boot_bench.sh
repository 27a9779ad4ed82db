#!/bin/bash
# boot_bench.sh BUILD SHARED -- THE boot test: the shared benchmark floppy
# (SHARED/bench/bench.img, its README names the lines every emulator must
# print) booted through the BIOS exactly as a user would:
#   x86lab -fda SHARED/bench/bench.img -debugcon file:OUT
# Its boot sector uses INT 13h AH=08h and AH=02h (CHS), INT 15h AX=2401h,
# port 92h and the 8042 for A20, then runs the workload in protected
# mode and leaves through port F4h.  Checked: exit status 1, the BIOS's
# four lines, then exactly the six expected lines and the TSC line, and
# nothing else.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
SHARED=$(cd "${2:-../shared}" && pwd) || exit 1
X86LAB=$BUILD/x86lab
DIR=$BUILD/boot_bench
IMG=$SHARED/bench/bench.img
mkdir -p "$DIR"
failures=0

pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

if [ ! -x "$X86LAB" ] || [ ! -f "$BUILD/bios/bios.bin" ] || [ ! -f "$IMG" ]; then
    echo "FAIL $X86LAB, $BUILD/bios/bios.bin or $IMG missing"
    exit 1
fi

OUT=$DIR/bench.out
timeout 300 "$X86LAB" -fda "$IMG" -debugcon "file:$OUT" > "$DIR/bench.err" 2>&1 < /dev/null
status=$?
if [ $status -eq 1 ]; then
    pass "bench.img exits through port F4h with status 1"
else
    fail "bench.img: exit status $status (want 1): $(head -c 300 "$DIR/bench.err")"
fi

want_bios='x86lab BIOS 1.0
x86lab BIOS: memory 639 KiB base, 130048 KiB extended
x86lab BIOS: floppy drives 1, hard disks 0, CD-ROMs 0
x86lab BIOS: booting from floppy A:'
want_bench='x86lab-bench scale=1 kernels=0000000f
sieve rounds=8 check=229bcae9
crc32 rounds=192 check=5ed7ab86
matmul rounds=64 check=7bf36025
string rounds=320 check=9df63f83
X86LAB-BENCH-DONE check=0b848c75'
if [ "$(head -n 4 "$OUT")" = "$want_bios" ]; then
    pass "the BIOS's banner, memory, drives and boot lines"
else
    fail "BIOS lines: $(head -n 4 "$OUT" | tr '\n' '|')"
fi
if [ "$(sed -n '5,10p' "$OUT")" = "$want_bench" ]; then
    pass "the six expected lines of bench/README.md, in order"
else
    fail "bench lines: $(sed -n '5,10p' "$OUT" | tr '\n' '|')"
fi
if [ "$(wc -l < "$OUT")" -eq 11 ] && sed -n '11p' "$OUT" | grep -Eq '^X86LAB-TSC delta=0x[0-9a-f]{16}$'; then
    pass "then the TSC line, and nothing else"
else
    fail "after the bench lines: $(sed -n '11,$p' "$OUT" | head -c 300 | tr '\n' '|')"
fi

[ $failures -eq 0 ] && echo "boot_bench: all checks passed" || echo "boot_bench: $failures failed"
[ $failures -eq 0 ]
