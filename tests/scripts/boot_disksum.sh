#!/bin/bash
# boot_disksum.sh BUILD SHARED -- INT 13h reads give the image's bytes:
# tests/guest/boot_disksum.asm reads its whole boot disk through the BIOS
# (CHS track reads, then single sectors or EDD reads) and prints a
# checksum; this script computes the same checksum from the image file.
# Disks: a 1.44 MB floppy (-fda), a 2 MiB hard disk (-hda), and CDs whose
# El Torito default entry is a 1.44 MB floppy image (booted as drive 00h)
# or a hard disk image with a partition table (drive 80h; the real hard
# disk is then 81h, and 80h again after AX=4B00h ends the emulation, which
# the guest shows by AH=08h's drive count and the real disk's first
# bytes).  Each boot is
# run with the BIOS's paravirtual disk path (the hypercall port) and with
# --no-hypercalls: the guest's output must be the same byte for byte, and
# only the first may count hypercalls (--stats).  Checks for each: exit
# status 1, both passes equal the file's checksum, the drive number, the
# AX=4B01h answer (none, or the emulated media type and drive).
set -u
. "$(dirname "$0")/boot_common.inc" "${1:-build}" boot_disksum || exit 1

# make_image KIND SECTORS PROGRAM OUT: the program, then bytes from a
# fixed pseudo-random sequence; for KIND hd-emu a partition table whose
# partition 1 ends at the image's last cylinder (4 x 16 x 63).
make_image() {
    python3 - "$@" <<'PYEOF'
import random, struct, sys
kind, sectors, prog, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rnd = random.Random(1234 + sectors)
img = bytearray(rnd.getrandbits(8) for _ in range(sectors * 512))
code = open(prog, 'rb').read()
img[:len(code)] = code
if kind == 'hd-emu':
    cyls, heads, spt = 4, 16, 63
    assert cyls * heads * spt == sectors
    entry = struct.pack('<BBBBBBBBII', 0x80, 1, 1, 0, 0x83, heads - 1,
                        spt | ((cyls - 1) >> 8) << 6, (cyls - 1) & 0xFF, spt, sectors - spt)
    img[0x1BE:0x1CE] = entry
    img[0x1CE:0x1FE] = bytes(48)
open(out, 'wb').write(img)
PYEOF
}

# make_iso IMAGE MEDIA OUT: an ISO 9660 image whose El Torito default
# entry is IMAGE with media type MEDIA (2: 1.44 MB floppy, 4: hard disk).
make_iso() {
    python3 - "$@" <<'PYEOF'
import struct, sys
image, media, out = open(sys.argv[1], 'rb').read(), int(sys.argv[2]), sys.argv[3]
B = 2048
first = 24                                   # the image's first block
blocks = first + (len(image) + B - 1) // B + 8
iso = bytearray(blocks * B)
def put(block, data, off=0):
    iso[block * B + off: block * B + off + len(data)] = data
pvd = bytearray(B)
pvd[0:7] = b'\x01CD001\x01'
pvd[40:72] = b'X86LAB-EMU'.ljust(32)
pvd[80:88] = struct.pack('<I', blocks) + struct.pack('>I', blocks)
pvd[128:132] = struct.pack('<H', B) + struct.pack('>H', B)
put(16, pvd)
put(17, b'\x00CD001\x01' + b'EL TORITO SPECIFICATION'.ljust(32, b'\0'))
put(17, struct.pack('<I', 19), 0x47)
put(18, b'\xffCD001\x01')
val = bytearray(32)
val[0] = 1
val[4:28] = b'x86lab'.ljust(24, b'\0')
val[30:32] = b'\x55\xaa'
s = sum(struct.unpack('<16H', bytes(val))) & 0xFFFF
val[28:30] = struct.pack('<H', (-s) & 0xFFFF)
entry = struct.pack('<BBHBBHI', 0x88, media, 0, 0, 0, 1, first)
put(19, bytes(val) + entry)
put(first, image)
open(out, 'wb').write(iso)
PYEOF
}

checksum() {
    python3 - "$1" <<'PYEOF'
import struct, sys
data = open(sys.argv[1], 'rb').read()
h = 0
for (w,) in struct.iter_unpack('<I', data):
    h = (((h << 5) | (h >> 27)) & 0xFFFFFFFF) ^ w
print('%08x' % h)
PYEOF
}

# boot NAME SECTORS DRIVE 4B01-LINE X86LAB-ARGS...: boots twice (with
# and without hypercalls) and checks the output.
boot() {
    local name=$1 sectors=$2 drive=$3 status_line=$4 img=$DIR/$1.img
    shift 4
    local want
    want=$(checksum "$img")
    local out=$DIR/$name.out err=$DIR/$name.err out2=$DIR/$name-nohc.out err2=$DIR/$name-nohc.err
    timeout 120 "$X86LAB" "$@" --deterministic -debugcon "file:$out" --stats \
        --max-insns 400000000 > "$err" 2>&1 < /dev/null
    local status=$?
    local expect
    expect=$(printf 'disksum: chs %s\ndisksum: pass2 %s\ndisksum: drive %s\ndisksum: %s' \
        "$want" "$want" "$drive" "$status_line")
    local got
    got=$(grep '^disksum:' "$out")
    if [ $status -eq 1 ] && [ "$got" = "$expect" ]; then
        pass "$name: exit status 1, both passes read checksum $want (the image's), drive $drive, $(echo "$status_line" | tr '\n' ';' | sed 's/disksum: //g')"
    else
        fail "$name: status $status (want 1); want $(echo "$expect" | tr '\n' '|') got $(echo "$got" | tr '\n' '|') $(head -c 300 "$err")"
    fi
    timeout 120 "$X86LAB" "$@" --no-hypercalls --deterministic -debugcon "file:$out2" --stats \
        --max-insns 400000000 > "$err2" 2>&1 < /dev/null
    local status2=$?
    local hc hc2
    hc=$(sed -n 's/.*hypercalls: \([0-9]*\).*/\1/p' "$err" | head -n 1)
    hc2=$(sed -n 's/.*hypercalls: \([0-9]*\).*/\1/p' "$err2" | head -n 1)
    if [ $status2 -eq 1 ] && cmp -s "$out" "$out2" && [ "${hc:-0}" -gt 0 ] && [ -z "$hc2" ]; then
        pass "$name: --no-hypercalls (ATA/FDC/ATAPI path) prints the same bytes; hypercalls ${hc:-0} vs none"
    else
        fail "$name: --no-hypercalls: status $status2, outputs $(cmp -s "$out" "$out2" && echo same || echo differ), hypercalls '${hc:-}' / '${hc2:-}' ($out, $out2)"
    fi
}

prog_fd=$DIR/disksum-2880.bin prog_hd=$DIR/disksum-8064.bin prog_emu=$DIR/disksum-4032.bin
for n in 2880 8064 4032; do
    if ! nasm -f bin -I tests/guest/ -DSECTORS=$n tests/guest/boot_disksum.asm -o "$DIR/disksum-$n.bin"; then
        echo "FAIL boot_disksum.asm does not assemble"
        exit 1
    fi
done
make_image fd 2880 "$prog_fd" "$DIR/floppy.img"
make_image hd 8064 "$prog_hd" "$DIR/disk.img"
make_image fd 2880 "$prog_fd" "$DIR/cd-floppy.img"
make_image hd-emu 4032 "$prog_emu" "$DIR/cd-disk.img"
make_iso "$DIR/cd-floppy.img" 2 "$DIR/cd-floppy.iso"
make_iso "$DIR/cd-disk.img" 4 "$DIR/cd-disk.iso"

boot floppy 2880 0000 "4b01 none" -fda "$DIR/floppy.img" -boot a
boot disk 8064 0080 "4b01 none" -hda "$DIR/disk.img" -boot c
boot cd-floppy 2880 0000 "4b01 media 0002 drive 0000" -cdrom "$DIR/cd-floppy.iso" -boot d
real=$(python3 -c "import struct,sys; print('%08x' % struct.unpack('<I', open(sys.argv[1],'rb').read(4)))" "$DIR/disk.img")
boot cd-disk 4032 0080 "4b01 media 0004 drive 0080
disksum: hard disks 0002
disksum: 81h sector 0 $real
disksum: after 4b00 hard disks 0001
disksum: 80h sector 0 $real" -cdrom "$DIR/cd-disk.iso" -hda "$DIR/disk.img" -boot d

[ $failures -eq 0 ] && echo "boot_disksum: all checks passed" || echo "boot_disksum: $failures failed"
[ $failures -eq 0 ]
