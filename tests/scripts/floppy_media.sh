#!/bin/bash
# floppy_media.sh BUILD SHARED -- floppy geometries and image checking:
# makes pattern images of every size x86lab knows (360 KB, 720 KB,
# 1.2 MB, 1.44 MB, 2.88 MB) and runs dev_fdc_geometry on each, which finds
# the data rate, tracks, heads and sectors per track by probing, reads and
# checks the last sector and writes it; the line it prints must be the
# image's geometry, and CMOS byte 0x10 the drive type of that size.  Then bad images and options: a missing file, an empty
# file, sizes that are no floppy format, a directory, an unknown option --
# each must give exit status 2 and one line on stderr naming the option.
# Exit status 0 when every check held.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
cd "$(dirname "$0")/../.." || exit 1
X86LAB=$BUILD/x86lab
BIN=$BUILD/tests/guest/dev_fdc_geometry.bin
DIR=$BUILD/floppy
mkdir -p "$DIR"
failures=0

pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

make_image() {
    python3 - "$1" "$2" <<'EOF'
import sys
path, size = sys.argv[1], int(sys.argv[2])
with open(path, 'wb') as f:
    for lba in range(size // 512):
        f.write(bytes((lba * 13 + k + (k >> 8) * 0x55) & 0xFF for k in range(512)))
EOF
}

if [ ! -x "$X86LAB" ] || [ ! -f "$BIN" ]; then
    echo "FAIL $X86LAB or $BIN not built"
    exit 1
fi

# size, CMOS byte 0x10, expected "geometry" line
while read -r size cmos want; do
    img=$DIR/pattern-$size.img
    make_image "$img" "$size"
    before=$(sha256sum < "$img")
    log=$DIR/geometry-$size.log
    "$X86LAB" -m 16 --load "$BIN@0x7c00" --entry 0:0x7c00 --max-insns 50000000 \
        -fda "$img" > "$log" 2>&1 < /dev/null
    status=$?
    got=$(grep '^geometry' "$log")
    got_cmos=$(sed -n 's/^cmos 10h //p' "$log")
    if [ $status -eq 1 ] && [ "$got" = "$want" ] && [ "$got_cmos" = "$cmos" ]; then
        pass "$size bytes: $got, CMOS 10h $got_cmos ($(grep -c '^ok' "$log") guest checks)"
    else
        fail "$size bytes: exit status $status, '$got' CMOS '$got_cmos' (want '$want' CMOS $cmos), log $log"
        grep -E '^FAIL|x86lab:' "$log" | head -n 5 | sed 's/^/       /'
    fi
    [ "$(sha256sum < "$img")" = "$before" ] || fail "$size bytes: the image file changed"
done <<'EOF'
368640 10 geometry 40/2/9 rate 2
737280 30 geometry 80/2/9 rate 2
1228800 20 geometry 80/2/15 rate 0
1474560 40 geometry 80/2/18 rate 0
2949120 50 geometry 80/2/36 rate 3
EOF

# bad_image DESCRIPTION ARGS...: exit status 2, one line on stderr naming the option
bad_image() {
    local what=$1
    shift
    local err=$DIR/bad.err
    "$X86LAB" -m 16 "$@" --max-insns 1000 > /dev/null 2> "$err" < /dev/null
    local status=$?
    local lines
    lines=$(wc -l < "$err")
    if [ $status -eq 2 ] && [ "$lines" -eq 1 ] && grep -q -- "-fd[ab]" "$err"; then
        pass "$what: status 2, '$(cat "$err")'"
    else
        fail "$what: exit status $status, $lines lines on stderr: $(head -c 300 "$err")"
    fi
}

: > "$DIR/empty.img"
head -c 1000 /dev/zero > "$DIR/odd.img"
head -c 1474561 /dev/zero > "$DIR/big.img"
head -c 1475072 /dev/zero > "$DIR/sectors.img"
bad_image "missing file" -fda "$DIR/no-such-file.img"
bad_image "empty file" -fda "$DIR/empty.img"
bad_image "1000-byte file" -fda "$DIR/odd.img"
bad_image "1.44 MB + 1 byte" -fdb "$DIR/big.img"
bad_image "1.44 MB + 1 sector" -fda "$DIR/sectors.img"
bad_image "a directory" -fda "$DIR"
bad_image "unknown option" -fda "$DIR/pattern-1474560.img,bogus=1"
bad_image "no file name" -fda ",readonly=on"

if [ $failures -eq 0 ]; then
    echo "floppy_media: all checks passed"
    exit 0
fi
echo "floppy_media: $failures failed"
exit 1
