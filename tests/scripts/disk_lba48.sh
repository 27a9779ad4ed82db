#!/bin/bash
# disk_lba48.sh BUILD SHARED -- 48-bit addressing on a real file: a sparse
# 200 GiB image (truncate -s; it costs no disk space) for
# tests/guest/dev_ata_lba48.  With --write-disk, the guest's writes must
# land at the byte offsets their 48-bit LBAs name (0x12345678 * 512 is
# past 2^37 bytes), the sector at the same low 28 bits must stay zero,
# and the file must stay sparse; without a write option the file must stay
# all zeros.  The image is removed afterwards.  Exit status 0 when every
# check held.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
cd "$(dirname "$0")/../.." || exit 1
X86LAB=$BUILD/x86lab
NAME=dev_ata_lba48
GUEST=$BUILD/tests/guest/$NAME.bin
DIR=$BUILD/disk
mkdir -p "$DIR"
IMG=$DIR/sparse-200g.img
failures=0

pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

if [ ! -x "$X86LAB" ] || [ ! -f "$GUEST" ]; then
    echo "FAIL $X86LAB or $GUEST not built"
    exit 1
fi

run_guest() {
    "$X86LAB" -m 16 --load "$GUEST@0x7c00" --entry 0:0x7c00 --max-insns 50000000 "$@" \
        > "$DIR/$NAME.log" 2>&1 < /dev/null
    local status=$?
    if [ $status -eq 1 ]; then
        pass "$NAME $*: $(grep -c '^ok' "$DIR/$NAME.log") guest checks"
    else
        fail "$NAME $*: exit status $status (want 1)"
        grep -E '^FAIL|x86lab:' "$DIR/$NAME.log" | head -n 10 | sed 's/^/       /'
    fi
}

# check_image FILE written|zero: the sectors the guest writes hold its
# pattern (byte k of pattern sector i = k + 3i + 1, byte 0 = i), or zeros
check_image() {
    python3 - "$1" "$2" <<'EOF'
import sys
path, mode = sys.argv[1], sys.argv[2]
def pattern(i):
    return bytes([i]) + bytes((k + 3 * i + 1) & 0xFF for k in range(1, 512))
LAST = 0x18FFFFFF
# (first LBA, pattern sectors) as the guest writes them
writes = [(0x12345678, [0, 1]), (0x0ABCDEF0, [2]), (LAST - 11, list(range(3, 15)))]
bad = 0
with open(path, 'rb') as f:
    for lba, pats in writes:
        f.seek(lba * 512)
        for n, i in enumerate(pats):
            got = f.read(512)
            want = pattern(i) if mode == 'written' else bytes(512)
            if got != want:
                print("     LBA %#x: not as expected" % (lba + n))
                bad += 1
    for lba in (0x02345678, 0x1234567A, 0):
        f.seek(lba * 512)
        if f.read(512) != bytes(512):
            print("     LBA %#x: should be zeros" % lba)
            bad += 1
sys.exit(1 if bad else 0)
EOF
}

rm -f "$IMG"
truncate -s 200G "$IMG" || { echo "FAIL cannot make a sparse file"; exit 1; }

run_guest -hda "$IMG"
check_image "$IMG" zero && pass "without a write option the 200 GiB file is still all zeros there" ||
    fail "without a write option the file changed"

run_guest -hda "$IMG" --write-disk
check_image "$IMG" written && pass "--write-disk: each sector at byte offset LBA * 512 (up to 2^37 and beyond)" ||
    fail "--write-disk: data not where the LBAs say"
size=$(stat -c %s "$IMG")
used=$(du -k "$IMG" | cut -f1)
[ "$size" -eq $((200 * 1024 * 1024 * 1024)) ] && pass "the file size is unchanged (200 GiB)" ||
    fail "the file size changed to $size"
[ "$used" -lt 10240 ] && pass "the file is still sparse (${used} KiB used)" ||
    fail "the file is no longer sparse (${used} KiB used)"

rm -f "$IMG" "$DIR/$NAME.log"
echo "disk_lba48: $failures failed"
[ $failures -eq 0 ]
