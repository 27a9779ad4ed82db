#!/bin/bash
# floppy_rw.sh BUILD SHARED -- the floppy guest tests that need a disk: it
# makes BUILD/floppy/pattern-1440.img (a 1.44 MB image whose sector s holds
# byte k = (s * 13 + k + (k >> 8) * 0x55) & 0xFF, the pattern the guests
# check), runs dev_fdc_read, dev_fdc_write, dev_fdc_wp and dev_fdc_irq with
# the options on their "; x86lab-args:" line ($BUILD replaced), then checks
# that the image file is byte-for-byte unchanged (the guest's writes went
# to the copy-on-write overlay), and that with cache=writeback (and with
# --write-disk) exactly the sectors dev_fdc_write writes changed in a copy
# of the image, with the data it wrote, while -snapshot keeps the copy
# unchanged even with cache=writeback.  Exit status 0 when every check held.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
cd "$(dirname "$0")/../.." || exit 1
X86LAB=$BUILD/x86lab
DIR=$BUILD/floppy
mkdir -p "$DIR"
failures=0

pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# make_image FILE BYTES: the pattern image
make_image() {
    python3 - "$1" "$2" <<'EOF'
import sys
path, size = sys.argv[1], int(sys.argv[2])
with open(path, 'wb') as f:
    for lba in range(size // 512):
        f.write(bytes((lba * 13 + k + (k >> 8) * 0x55) & 0xFF for k in range(512)))
EOF
}

# run_guest NAME [ARGS...]: the guest with ARGS, or with its own
# x86lab-args line; passes when it exits with EXIT_PASS (status 1).
run_guest() {
    local name=$1
    shift
    local bin=$BUILD/tests/guest/$name.bin log=$DIR/$name.log args
    if [ $# -gt 0 ]; then
        args=("$@")
    else
        read -ra args <<< "$(sed -n '1,10s/^; x86lab-args: //p' "tests/guest/$name.asm" |
                             sed "s|\$BUILD|$BUILD|g")"
    fi
    if [ ! -f "$bin" ] || [ ! -x "$X86LAB" ]; then
        fail "$name: $bin or $X86LAB not built"
        return
    fi
    "$X86LAB" -m 16 --load "$bin@0x7c00" --entry 0:0x7c00 --max-insns 50000000 \
        "${args[@]}" > "$log" 2>&1 < /dev/null
    local status=$?
    if [ $status -eq 1 ]; then
        pass "$name ${args[*]}: $(grep -c '^ok' "$log") guest checks"
    else
        fail "$name ${args[*]}: exit status $status (want 1), log $log"
        grep -E '^FAIL|x86lab:' "$log" | head -n 10 | sed 's/^/       /'
    fi
}

IMG=$DIR/pattern-1440.img
make_image "$IMG" 1474560 || { fail "cannot make $IMG"; exit 1; }
before=$(sha256sum < "$IMG")

for t in dev_fdc_read dev_fdc_write dev_fdc_wp dev_fdc_irq; do
    run_guest "$t"
done

if [ "$(sha256sum < "$IMG")" = "$before" ]; then
    pass "the image file is unchanged after the guests' writes (overlay)"
else
    fail "the image file changed: writes leaked through the overlay"
fi

# written_as_expected FILE: FILE is the pattern image plus exactly the
# sectors dev_fdc_write writes, with its data.
written_as_expected() {
    python3 - "$IMG" "$1" <<'EOF'
import sys
base = bytearray(open(sys.argv[1], 'rb').read())
got = open(sys.argv[2], 'rb').read()
src = bytes((i * 7 + 3) & 0xFF for i in range(1024))      # dev_fdc_write's data
lba = lambda c, h, r: (c * 2 + h) * 18 + r - 1
def put(n, data):
    base[n * 512:(n + 1) * 512] = data
put(lba(2, 1, 3), src[:512])                               # DMA WRITE C2 H1 R3-4
put(lba(2, 1, 4), src[512:])
for r in range(1, 19):                                     # FORMAT C3 H0, filler E5
    put(lba(3, 0, r), b'\xe5' * 512)
put(lba(4, 0, 2), src[512:])                               # PIO WRITE C4 H0 R2
for r in range(1, 19):                                     # PIO FORMAT C4 H1, filler 6B
    put(lba(4, 1, r), b'\x6b' * 512)
put(lba(4, 1, 1), src[:256] + bytes(256))                  # TC mid-sector
diff = [n for n in range(len(base) // 512) if base[n*512:(n+1)*512] != got[n*512:(n+1)*512]]
if diff:
    print("       sectors differing from the expected image:", diff[:20])
sys.exit(1 if diff else 0)
EOF
}

# cache=writeback and --write-disk: the writes reach the file, and only the
# sectors written; -snapshot overrides cache=writeback.
WB=$DIR/writeback-1440.img
cp "$IMG" "$WB"
run_guest dev_fdc_write -fda "$WB,cache=writeback"
if written_as_expected "$WB"; then
    pass "cache=writeback: exactly the written sectors changed in the file"
else
    fail "cache=writeback: the file is not the image plus dev_fdc_write's writes"
fi
cp "$IMG" "$WB"
run_guest dev_fdc_write -fda "$WB" --write-disk
if written_as_expected "$WB"; then
    pass "--write-disk: exactly the written sectors changed in the file"
else
    fail "--write-disk: the file is not the image plus dev_fdc_write's writes"
fi
cp "$IMG" "$WB"
run_guest dev_fdc_write -fda "$WB,cache=writeback" -snapshot
if cmp -s "$IMG" "$WB"; then
    pass "-snapshot: the file is unchanged despite cache=writeback"
else
    fail "-snapshot: the file changed"
fi

if [ $failures -eq 0 ]; then
    echo "floppy_rw: all checks passed"
    exit 0
fi
echo "floppy_rw: $failures failed"
exit 1
