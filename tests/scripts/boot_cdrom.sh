#!/bin/bash
# boot_cdrom.sh BUILD SHARED -- booting a CD through the BIOS (El Torito,
# no emulation).  It builds a small ISO 9660 disc image: the volume
# descriptors (primary, boot record, terminator), a boot catalog whose
# default entry loads tests/guest/boot_cdrom.asm, and tagged blocks; boots
# it with `x86lab -cdrom ISO -boot d` and checks: exit status 1, no FAIL
# line, at least 14 ok lines, the BIOS's "booting from CD-ROM" line.  Then
# a disc without a boot catalog: with -boot dc the BIOS says so and boots
# the hard disk instead (tests/guest/boot_hello.asm prints drive 80h).
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
cd "$(dirname "$0")/../.." || exit 1
X86LAB=$BUILD/x86lab
DIR=$BUILD/boot_cdrom
mkdir -p "$DIR"
failures=0
BLOCKS=200

pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

if [ ! -x "$X86LAB" ] || [ ! -f "$BUILD/bios/bios.bin" ]; then
    echo "FAIL $X86LAB or $BUILD/bios/bios.bin not built"
    exit 1
fi
if ! nasm -f bin -I tests/guest/ -DDISC_BLOCKS=$BLOCKS tests/guest/boot_cdrom.asm -o "$DIR/boot.bin" ||
   ! nasm -f bin -I tests/guest/ tests/guest/boot_hello.asm -o "$DIR/hello.bin"; then
    echo "FAIL the guest programs do not assemble"
    exit 1
fi

# make_iso FILE BLOCKS BOOTIMAGE|-: an ISO 9660 image with an El Torito
# catalog pointing at BOOTIMAGE (none with -), blocks 100-119 tagged.
make_iso() {
    python3 - "$@" <<'PYEOF'
import struct, sys
path, blocks, boot = sys.argv[1], int(sys.argv[2]), sys.argv[3]
B = 2048
iso = bytearray(blocks * B)
def put(block, data, off=0):
    iso[block * B + off: block * B + off + len(data)] = data
pvd = bytearray(B)
pvd[0:7] = b'\x01CD001\x01'
pvd[40:72] = b'X86LAB'.ljust(32)
pvd[80:88] = struct.pack('<I', blocks) + struct.pack('>I', blocks)
pvd[128:132] = struct.pack('<H', B) + struct.pack('>H', B)
put(16, pvd)
put(18, b'\xffCD001\x01')
if boot != '-':
    image = open(boot, 'rb').read()
    put(17, b'\x00CD001\x01' + b'EL TORITO SPECIFICATION'.ljust(32, b'\0'))
    put(17, struct.pack('<I', 19), 0x47)
    val = bytearray(32)
    val[0] = 1
    val[4:28] = b'x86lab'.ljust(24, b'\0')
    val[30:32] = b'\x55\xaa'
    s = sum(struct.unpack('<16H', bytes(val))) & 0xFFFF
    val[28:30] = struct.pack('<H', (-s) & 0xFFFF)
    entry = struct.pack('<BBHBBHI', 0x88, 0, 0, 0, 0, (len(image) + 511) // 512, 20)
    put(19, bytes(val) + entry)
    put(20, image)
else:
    put(17, b'\xffCD001\x01')
for b in range(100, 120):
    put(b, struct.pack('<I', b) + b'x86lab-cdblock')
open(path, 'wb').write(iso)
PYEOF
}

make_iso "$DIR/boot.iso" $BLOCKS "$DIR/boot.bin"
out=$DIR/boot.out err=$DIR/boot.err
timeout 60 "$X86LAB" -cdrom "$DIR/boot.iso" -boot d --deterministic -debugcon "file:$out" \
    --max-insns 50000000 > "$err" 2>&1 < /dev/null
status=$?
oks=$(grep -c '^ok' "$out")
fails=$(grep -c '^FAIL' "$out")
if [ $status -eq 1 ] && [ "$fails" -eq 0 ] && [ "$oks" -ge 14 ]; then
    pass "El Torito no-emulation boot: exit status 1, $oks guest checks ok"
else
    fail "El Torito boot: status $status (want 1), $oks ok, $fails FAIL: $(grep -E '^(FAIL|x86lab)' "$out" | tr '\n' '|') $(head -c 200 "$err")"
fi
if grep -q '^x86lab BIOS: booting from CD-ROM$' "$out" && grep -q '^x86lab BIOS: floppy drives 1, hard disks 0, CD-ROMs 1$' "$out"; then
    pass "the BIOS found the CD-ROM and said it boots from it"
else
    fail "BIOS lines: $(grep '^x86lab BIOS' "$out" | tr '\n' '|')"
fi

make_iso "$DIR/plain.iso" $BLOCKS -
python3 -c "import sys; d=open(sys.argv[1],'rb').read(); open(sys.argv[2],'wb').write(d+bytes((1<<20)-len(d)))" \
    "$DIR/hello.bin" "$DIR/hello-hd.img"
timeout 60 "$X86LAB" -cdrom "$DIR/plain.iso" -hda "$DIR/hello-hd.img" -boot dc -debugcon "file:$out" \
    --max-insns 50000000 > "$err" 2>&1 < /dev/null
status=$?
if [ $status -eq 1 ] && grep -q '^x86lab BIOS: booting from CD-ROM: no El Torito boot catalog$' "$out" &&
   grep -q '^boot_hello: drive 0080$' "$out"; then
    pass "a disc without a boot catalog: said so, then the hard disk booted"
else
    fail "plain disc: status $status: $(tr '\n' '|' < "$out" | head -c 400)"
fi

[ $failures -eq 0 ] && echo "boot_cdrom: all checks passed" || echo "boot_cdrom: $failures failed"
[ $failures -eq 0 ]
