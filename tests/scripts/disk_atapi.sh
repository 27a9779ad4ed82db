#!/bin/bash
# disk_atapi.sh BUILD SHARED -- the ATAPI CD-ROM with a real image: makes
# BUILD/disk/cd-pattern.iso (300 sectors of 2048 bytes; sector n holds the
# dword n, "X86LABCD", then bytes (i + n) & FFh, the pattern the guest
# checks), runs tests/guest/dev_ata_atapi with the options on its
# "; x86lab-args:" line ($BUILD replaced), checks that the image is
# unchanged afterwards, and that -cdrom refuses images that are empty or
# not a multiple of 2048 bytes (exit status 2, one line, before the guest
# runs).  Exit status 0 when every check held.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
cd "$(dirname "$0")/../.." || exit 1
X86LAB=$BUILD/x86lab
NAME=dev_ata_atapi
GUEST=$BUILD/tests/guest/$NAME.bin
DIR=$BUILD/disk
mkdir -p "$DIR"
failures=0

pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

if [ ! -x "$X86LAB" ] || [ ! -f "$GUEST" ]; then
    echo "FAIL $X86LAB or $GUEST not built"
    exit 1
fi

ISO=$DIR/cd-pattern.iso
python3 - "$ISO" 300 <<'EOF'
import struct, sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, 'wb') as f:
    for lba in range(n):
        f.write(struct.pack('<I', lba) + b'X86LABCD' + bytes((i + lba) & 0xFF for i in range(12, 2048)))
EOF
sum=$(sha256sum < "$ISO")

read -ra args <<< "$(sed -n '1,10s/^; x86lab-args: //p' "tests/guest/$NAME.asm" | sed "s|\$BUILD|$BUILD|g")"
"$X86LAB" -m 16 --load "$GUEST@0x7c00" --entry 0:0x7c00 --max-insns 50000000 "${args[@]}" \
    > "$DIR/$NAME.log" 2>&1 < /dev/null
status=$?
if [ $status -eq 1 ]; then
    pass "$NAME ${args[*]}: $(grep -c '^ok' "$DIR/$NAME.log") guest checks"
else
    fail "$NAME ${args[*]}: exit status $status (want 1), log $DIR/$NAME.log"
    grep -E '^FAIL|x86lab:' "$DIR/$NAME.log" | head -n 10 | sed 's/^/       /'
fi
[ "$(sha256sum < "$ISO")" = "$sum" ] && pass "the CD image is unchanged" || fail "the CD image changed"

# refused images: exit 2, one line on stderr, nothing from the guest
refuse() {
    local what=$1 file=$2 want=$3
    "$X86LAB" -m 16 --load "$GUEST@0x7c00" --entry 0:0x7c00 -cdrom "$file" \
        > "$DIR/refused.out" 2> "$DIR/refused.err" < /dev/null
    local status=$?
    if [ $status -eq 2 ] && [ "$(wc -l < "$DIR/refused.err")" -eq 1 ] &&
       grep -q "$want" "$DIR/refused.err" && [ ! -s "$DIR/refused.out" ]; then
        pass "$what: exit 2, '$(cat "$DIR/refused.err")'"
    else
        fail "$what: status $status, stderr '$(head -c 300 "$DIR/refused.err")'"
    fi
}
head -c 5000 "$ISO" > "$DIR/cd-short.iso"
refuse "a 5000-byte CD image" "$DIR/cd-short.iso" "not a multiple of 2048"
: > "$DIR/cd-empty.iso"
refuse "an empty CD image" "$DIR/cd-empty.iso" "empty"
refuse "a missing CD image" "$DIR/no-such.iso" "No such file"
rm -f "$DIR/cd-short.iso" "$DIR/cd-empty.iso" "$DIR/refused.out" "$DIR/refused.err"

echo "disk_atapi: $failures failed"
[ $failures -eq 0 ]
