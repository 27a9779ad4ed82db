#!/bin/bash
# diskfull_overlay.sh BUILD SHARED -- the host disk fills up under the
# overlay file: the overlay is on a 16 KiB tmpfs (mounted here when we are
# root; otherwise a 16 KiB RLIMIT_FSIZE, `ulimit -f`, with SIGXFSZ ignored)
# while dev_ata_writer writes a ring of 63 sectors through it.  Checks:
#   - the guest sees the failed write as an ATA error (it prints "FAIL a
#     write failed" and exits with status 3 = EXIT_FAIL);
#   - x86lab says so on stderr ("No space left on device" / "File too
#     large", naming the image);
#   - the base image is byte-identical, and the overlay still opens (a
#     -snapshot run over it starts) and holds every write the guest saw
#     completed, no sector torn (read as in kill_overlay.sh);
#   - the same with cache=writeback into an image on the full disk: the
#     guest sees the error, x86lab says so.
# Exit status 0 when every check held.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
cd "$(dirname "$0")/../.." || exit 1
X86LAB=$BUILD/x86lab
GUEST=$BUILD/tests/guest/dev_ata_writer.bin
DIR=$BUILD/disk/full
failures=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
if [ ! -x "$X86LAB" ] || [ ! -f "$GUEST" ]; then
    echo "FAIL $X86LAB or $GUEST not built"
    exit 1
fi
mountpoint -q "$DIR/small" 2> /dev/null && umount "$DIR/small"
rm -rf "$DIR"
mkdir -p "$DIR/small"
LIMIT=()
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=16k x86lab-full "$DIR/small" 2> /dev/null; then
    how="a 16 KiB tmpfs"
    trap 'umount "$DIR/small" 2> /dev/null' EXIT
else
    how="ulimit -f 16"
    LIMIT=(bash -c 'trap "" XFSZ; ulimit -f 16; exec "$@"' limit)
fi

IMG=$DIR/base.img
python3 - "$IMG" <<'EOF'
import sys
with open(sys.argv[1], 'wb') as f:
    f.write(b'LOOP' + bytes(508) + bytes(127 * 512))
EOF
sum=$(sha256sum < "$IMG")
COW=$DIR/small/base.img.cow

"${LIMIT[@]}" "$X86LAB" -m 16 --load "$GUEST@0x7c00" --entry 0:0x7c00 --max-insns 200000000 \
    -drive "file=$IMG,overlay=$COW" > "$DIR/run.log" 2> "$DIR/run.err" < /dev/null
status=$?
n=$(grep -c '^wrote' "$DIR/run.log")
if [ $status -eq 3 ] && grep -q '^FAIL a write failed' "$DIR/run.log" && [ "$n" -gt 0 ]; then
    pass "$how: the guest saw its write $((n + 1)) fail (status 3) after $n good ones"
else
    fail "$how: status $status (want 3), $n writes, guest: $(grep FAIL "$DIR/run.log" | head -n 2)"
fi
if grep -qE "base.img: writing sector [0-9]+ to the overlay file failed: (No space left on device|File too large)" \
        "$DIR/run.err"; then
    pass "x86lab said so: $(head -n 1 "$DIR/run.err")"
else
    fail "no message on stderr: $(head -c 300 "$DIR/run.err")"
fi
[ "$(sha256sum < "$IMG")" = "$sum" ] && pass "the base image is byte-identical" ||
    fail "the base image changed"
"$X86LAB" -m 16 --load "$GUEST@0x7c00" --entry 0:0x7c00 --max-insns 100000 -snapshot \
    -drive "file=$IMG,overlay=$COW" > /dev/null 2> "$DIR/reopen.err" < /dev/null
status=$?
[ $status -eq 4 ] && pass "the full overlay opens again (-snapshot run: status 4)" ||
    fail "the full overlay does not open: status $status, $(head -c 200 "$DIR/reopen.err")"
if why=$(python3 - "$COW" "$DIR/run.log" <<'EOF'
import struct, sys, zlib
cow, log = sys.argv[1], sys.argv[2]
R = 63
data = open(cow, 'rb').read()
assert data[:16] == b'X86LAB-OVERLAY\n\0', 'magic'
rec = 24 + 512
newest = {}
for off in range(512, len(data) - rec + 1, rec):
    sector, gen, crc, size = struct.unpack_from('<QQII', data, off)
    body = data[off + 24:off + rec]
    if size == 512 and gen and crc == zlib.crc32(body, zlib.crc32(data[off:off + 16])):
        if sector not in newest or newest[sector][0] < gen:
            newest[sector] = (gen, body)
last = max([int(l.split()[1]) for l in open(log) if l.startswith('wrote ')] or [0])
bad = []
for i in range(max(1, last - R + 1), last + 1):
    s = (i - 1) % R + 1
    words = set(struct.unpack('<128I', newest.get(s, (0, bytes(512)))[1]))
    if words != {i}:
        bad.append('sector %d: %s, want %d' % (s, sorted(words)[:3], i))
fs = (last) % R + 1                 # the sector of the write that failed
words = set(struct.unpack('<128I', newest.get(fs, (0, bytes(512)))[1]))
if len(words) != 1 or (last + 1) in words:
    bad.append('the failed write to sector %d is not cleanly absent: %s' % (fs, sorted(words)[:3]))
if bad:
    print('; '.join(bad[:4]))
    sys.exit(1)
print('%d writes present, the failed one cleanly absent' % last)
EOF
); then
    pass "overlay contents: $why"
else
    fail "overlay contents: $why"
fi

# cache=writeback: the image itself on the full disk.  A sparse image
# larger than the free space: writes into its holes need new blocks.
rm -f "$COW"
WIMG=$DIR/small/wb.img
if [ "$how" = "a 16 KiB tmpfs" ]; then
    python3 - "$WIMG" <<'EOF'
import sys
with open(sys.argv[1], 'wb') as f:
    f.write(b'LOOP' + bytes(508))
    f.truncate(128 * 512)
EOF
    "$X86LAB" -m 16 --load "$GUEST@0x7c00" --entry 0:0x7c00 --max-insns 200000000 \
        -drive "file=$WIMG,cache=writeback" > "$DIR/wb.log" 2> "$DIR/wb.err" < /dev/null
    status=$?
    if [ $status -eq 3 ] && grep -q '^FAIL a write failed' "$DIR/wb.log" &&
       grep -q "to the image failed: No space left on device" "$DIR/wb.err"; then
        pass "cache=writeback on a full disk: the guest sees the error, x86lab says so"
    else
        fail "cache=writeback on a full disk: status $status, $(head -c 200 "$DIR/wb.err")"
    fi
fi

if [ $failures -eq 0 ]; then
    echo "diskfull_overlay: all checks passed"
    exit 0
fi
echo "diskfull_overlay: $failures checks failed"
exit 1
