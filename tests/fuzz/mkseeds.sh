#!/bin/bash
# mkseeds.sh BUILD -- the generated half of the fuzzers' seed corpora, in
# BUILD/fuzz/seeds/NAME/ (the committed half is tests/fuzz/corpus/NAME/):
#   fuzz_cpu     every guest test program (BUILD/tests/guest/*.bin) behind
#                a header that loads it at 0000:7C00 in real mode, and the
#                protected-mode ones again with paging bits set
#   fuzz_decode  15-byte windows of those programs
#   fuzz_loader  the test kernels (Multiboot ELF, a.out kludge, bzImage)
#                and examples/mbkernel, with and without -append/-initrd
#   fuzz_disk    overlay files in the current format (records with good
#                CRCs, a torn one, a superseded one) for a 16-sector image
#   fuzz_args    the "x86lab-args" lines of the guest tests
# Made by the project's own build: nothing is downloaded.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$BUILD/fuzz/seeds
mkdir -p "$OUT"
python3 - "$BUILD" "$SRC" "$OUT" <<'EOF'
import glob, os, struct, sys, zlib
build, src, out = sys.argv[1:4]

def put(name, key, data):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, key), 'wb') as f:
        f.write(data)

def cpu_header(mode, eip, sel_a, sel_b, load):
    h = bytearray(68)
    h[0] = mode
    h[1] = 4                                  # P6
    struct.pack_into('<H', h, 2, 4000)        # budget
    struct.pack_into('<I', h, 4 + 4 * 4, 0x7000)   # ESP
    struct.pack_into('<III', h, 36, eip, 2, 0)
    struct.pack_into('<HH', h, 60, sel_a, sel_b)
    struct.pack_into('<H', h, 64, load)
    return bytes(h)

guests = sorted(glob.glob(os.path.join(build, 'tests/guest/*.bin')))
for g in guests:
    name = os.path.basename(g)[:-4]
    body = open(g, 'rb').read()
    if len(body) > 32768:
        continue
    put('fuzz_cpu', name, cpu_header(0, 0x7C00, 0, 0, 0x07C0) + body)
    for off in range(0, min(len(body), 600), 40):
        put('fuzz_decode', '%s-%d' % (name, off), body[off:off + 15])

kernels = [os.path.join(build, 'tests/kernels', k) for k in ('mb_elf.elf', 'mb_aout.bin', 'bzimage.bin')]
kernels.append(os.path.join(build, 'examples/mbkernel/kernel.elf'))
for k in kernels:
    if not os.path.exists(k):
        continue
    img = open(k, 'rb').read()
    base = os.path.basename(k)
    put('fuzz_loader', base, b'\x00' + img)
    put('fuzz_loader', base + '-append-initrd', b'\x07' + b'console=ttyS0 quiet\x00' + img)
    put('fuzz_loader', base + '-symbols', b'\x08' + img)

# An overlay file (disk.h, version 2) for a 16-sector image: records for
# sectors 1, 5 and 5 again (superseded), then a torn one.
def record(sector, gen, fillb):
    data = bytes([fillb]) * 512
    head = struct.pack('<QQ', sector, gen)
    crc = zlib.crc32(data, zlib.crc32(head)) & 0xFFFFFFFF
    return head + struct.pack('<II', crc, 512) + data
hdr = bytearray(512)
hdr[:16] = b'X86LAB-OVERLAY\n\0'
struct.pack_into('<IIQ', hdr, 16, 2, 512, 16 * 512)
ov = bytes(hdr) + record(1, 1, 0x11) + record(5, 2, 0x55) + record(5, 3, 0x56)
ops = bytes([1, 5, 9, 15, 16, 17, 5, 1])
put('fuzz_disk', 'overlay-fixed', bytes([0x0D, 0x00, 0x20, 0x0C]) + ops + ov)
put('fuzz_disk', 'overlay-torn', bytes([0x0D, 0x00, 0x20, 0x0C]) + ops + ov + record(7, 4, 0x77)[:300])
put('fuzz_disk', 'overlay-raw', bytes([0x0D, 0x00, 0x20, 0x04]) + ops + ov)
put('fuzz_disk', 'odd-size', bytes([0x0D, 0x01, 0x20, 0x00]) + ops)
put('fuzz_disk', 'cdrom', bytes([0x0D, 0x00, 0x40, 0x01]) + ops)
put('fuzz_disk', 'floppy', bytes([0x0D, 0x00, 0x68, 0x10]) + ops)

n = 0
for asm in sorted(glob.glob(os.path.join(src, 'tests/guest/*.asm'))):
    for line in open(asm, errors='replace').readlines()[:10]:
        if line.startswith('; x86lab-args: '):
            args = line[len('; x86lab-args: '):].split()
            put('fuzz_args', os.path.basename(asm)[:-4], '\n'.join(args).encode())
            n += 1
EOF
