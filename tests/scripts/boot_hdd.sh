#!/bin/bash
# boot_hdd.sh BUILD SHARED -- booting from an IDE hard disk through the
# BIOS.  For three raw disks -- 8 MiB (the drive's own geometry), 1 GiB
# (more than 1024 cylinders: the BIOS's LBA-assisted geometry, 64 heads)
# and 200 GiB (sparse; past 2^28 sectors: 48-bit LBA commands) -- it
# assembles tests/guest/boot_hdd.asm with the geometry the BIOS should
# show, writes it to the disk's first sectors with tagged sectors where
# the guest reads (each holds its LBA and "x86lab-sector"), boots it with
# `x86lab -hda DISK -boot c` and checks: exit status 1 (the guest's
# EXIT_PASS), no FAIL line, at least 40 ok lines, the BIOS's boot line
# and the guest's first line on the debug console.  The image files must
# be unchanged afterwards (the guest's writes stay in memory): same size,
# time and bytes where the guest wrote.
set -u
. "$(dirname "$0")/boot_common.inc" "${1:-build}" boot_hdd || exit 1

# geometry SECTORS: "cylinders heads sectors" as the BIOS shows the disk:
# the drive's default geometry (16 heads, 63 sectors, as devices/ata.c
# makes it) when it has at most 1024 cylinders, else 63 sectors and the
# first of 16, 32, 64, 128, 255 heads that needs at most 1024 cylinders.
geometry() {
    python3 - "$1" <<'EOF'
import sys
n = int(sys.argv[1])
m = min(n, 16514064)
spt = min(m, 63); heads = min(m // spt, 16); cyls = m // (heads * spt)
if cyls <= 1024:
    print(cyls, heads, spt)
else:
    total = min(n, 1024 * 255 * 63)
    for h in (16, 32, 64, 128, 255):
        c = total // (h * 63)
        if c <= 1024:
            break
    print(min(c, 1024), h, 63)
EOF
}

# make_disk FILE BYTES PROGRAM CYLS HEADS SPT: a sparse disk with the
# program at LBA 0 and the tagged sectors.
make_disk() {
    python3 - "$@" <<'EOF'
import struct, sys
path, size, prog, cyls, heads, spt = sys.argv[1], int(sys.argv[2]), sys.argv[3], *map(int, sys.argv[4:])
sectors = size // 512
chs_last = ((cyls - 2) * heads + heads - 1) * spt + spt - 1
tags = [3000, 3001, 3002, chs_last, sectors - 1] + list(range(4000, 4130))
with open(path, 'wb') as f:
    f.truncate(size)
    f.write(open(prog, 'rb').read())
    for lba in tags:
        f.seek(lba * 512)
        f.write(struct.pack('<I', lba) + b'x86lab-sector' + bytes((lba + k) & 0xFF for k in range(495)))
EOF
}

# fingerprint FILE: size, modification time and the bytes of its first
# 4 MiB and last 1 MiB (where the guest writes), without reading all of a
# 200 GiB sparse file.
fingerprint() {
    python3 - "$1" <<'EOF'
import hashlib, os, sys
st = os.stat(sys.argv[1])
h = hashlib.sha256()
with open(sys.argv[1], 'rb') as f:
    h.update(f.read(4 << 20))
    f.seek(max(0, st.st_size - (1 << 20)))
    h.update(f.read())
print(st.st_size, st.st_mtime_ns, h.hexdigest())
EOF
}

run_disk() {
    local name=$1 bytes=$2
    local sectors=$((bytes / 512))
    local geo cyls heads spt
    geo=$(geometry "$sectors")
    read -r cyls heads spt <<< "$geo"
    local bin=$DIR/$name.bin img=$DIR/$name.img out=$DIR/$name.out err=$DIR/$name.err
    if ! nasm -f bin -I tests/guest/ -DDISK_SECTORS="$sectors" -DLCYLS="$cyls" -DLHEADS="$heads" \
            -DLSPT="$spt" tests/guest/boot_hdd.asm -o "$bin"; then
        fail "$name: boot_hdd.asm does not assemble"
        return
    fi
    make_disk "$img" "$bytes" "$bin" "$cyls" "$heads" "$spt"
    local before
    before=$(fingerprint "$img")
    timeout 120 "$X86LAB" -m 32 -hda "$img" -boot c --deterministic -debugcon "file:$out" \
        --max-insns 200000000 > "$err" 2>&1 < /dev/null
    local status=$?
    local oks fails
    oks=$(grep -c '^ok' "$out")
    fails=$(grep -c '^FAIL' "$out")
    if [ $status -eq 1 ] && [ "$fails" -eq 0 ] && [ "$oks" -ge 40 ]; then
        pass "$name ($cyls/$heads/$spt): exit status 1, $oks guest checks ok"
    else
        fail "$name ($cyls/$heads/$spt): exit status $status (want 1), $oks ok, $fails FAIL"
        grep -E '^FAIL' "$out" | head -n 10 | sed 's/^/       /'
        head -c 400 "$err" | sed 's/^/       /'
    fi
    if grep -q '^x86lab BIOS: booting from hard disk 80h$' "$out" &&
       grep -q '^boot_hdd: booted from the hard disk, stage 2 loaded$' "$out"; then
        pass "$name: the BIOS booted drive 80h and stage 2 printed its first line"
    else
        fail "$name: boot lines missing from the debug console: $(head -c 300 "$out" | tr '\n' '|')"
    fi
    [ "$(fingerprint "$img")" = "$before" ] || fail "$name: the image file changed"
    rm -f "$img"
}

run_disk small $((8 << 20))
run_disk large $((1 << 30))
run_disk huge $((200 << 30))

[ $failures -eq 0 ] && echo "boot_hdd: all checks passed" || echo "boot_hdd: $failures failed"
[ $failures -eq 0 ]
