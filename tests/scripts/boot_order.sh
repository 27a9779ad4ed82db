#!/bin/bash
# boot_order.sh BUILD SHARED -- which device the BIOS boots, and the
# firmware options.  tests/guest/boot_hello.asm (it prints the drive it was
# booted from) goes on a floppy and on a 1 MiB hard disk; a blank floppy
# has no boot signature.  Checked:
#   floppy + disk, default order (a, c, d)     boots drive 00h
#   floppy + disk, -boot c                     boots drive 80h
#   blank floppy + disk                        floppy "not bootable", then 80h
#   no disk in drive A, nothing else           "read error, status 80", then
#                                              "no bootable device" and a halt
#   -boot dc, no CD-ROM drive                  "no CD-ROM drive", then 80h
#   -boot x, -boot aa                          refused: status 2, naming -boot
#   -bios missing file, -bios a 1000-byte file refused: status 2, naming it
set -u
. "$(dirname "$0")/boot_common.inc" "${1:-build}" boot_order || exit 1
if ! nasm -f bin -I tests/guest/ tests/guest/boot_hello.asm -o "$DIR/hello.bin"; then
    echo "FAIL boot_hello.asm does not assemble"
    exit 1
fi
python3 - "$DIR" <<'PYEOF'
import sys
d = sys.argv[1]
hello = open(d + '/hello.bin', 'rb').read()
open(d + '/hello-fd.img', 'wb').write(hello + bytes(1474560 - len(hello)))
open(d + '/hello-hd.img', 'wb').write(hello + bytes((1 << 20) - len(hello)))
open(d + '/blank-fd.img', 'wb').write(bytes(1474560))
PYEOF

# boots WHAT DRIVE ARGS...: the run ends with EXIT_PASS from boot_hello on DRIVE
boots() {
    local what=$1 drive=$2
    shift 2
    local out=$DIR/run.out err=$DIR/run.err
    timeout 60 "$X86LAB" "$@" -debugcon "file:$out" --max-insns 50000000 > "$err" 2>&1 < /dev/null
    local status=$?
    if [ $status -eq 1 ] && grep -q "^boot_hello: drive 00$drive\$" "$out"; then
        pass "$what: boots drive ${drive}h"
    else
        fail "$what: status $status (want 1), output: $(tr '\n' '|' < "$out" | head -c 400) $(head -c 200 "$err")"
    fi
    LAST_OUT=$out
    LAST_ERR=$err
}

boots "floppy and disk, default order" 00 -fda "$DIR/hello-fd.img" -hda "$DIR/hello-hd.img"
grep -q '^x86lab BIOS: floppy drives 1, hard disks 1, CD-ROMs 0$' "$LAST_OUT" ||
    fail "the drive summary line: $(grep 'floppy drives' "$LAST_OUT")"
boots "floppy and disk, -boot c" 80 -fda "$DIR/hello-fd.img" -hda "$DIR/hello-hd.img" -boot c
grep -q '^x86lab BIOS: booting from hard disk 80h$' "$LAST_OUT" || fail "-boot c: no 'booting from hard disk 80h'"
boots "blank floppy and disk" 80 -fda "$DIR/blank-fd.img" -hda "$DIR/hello-hd.img"
if grep -q '^x86lab BIOS: booting from floppy A: not bootable (no 55AAh signature)$' "$LAST_OUT"; then
    pass "blank floppy: 'not bootable (no 55AAh signature)', then the disk"
else
    fail "blank floppy: $(grep 'floppy A' "$LAST_OUT")"
fi
boots "-boot dc" 80 -hda "$DIR/hello-hd.img" -boot dc
grep -q '^x86lab BIOS: no CD-ROM drive$' "$LAST_OUT" || fail "-boot dc: no 'no CD-ROM drive' line"

out=$DIR/none.out err=$DIR/none.err
timeout 60 "$X86LAB" -debugcon "file:$out" --max-insns 50000000 > "$err" 2>&1 < /dev/null
status=$?
if [ $status -eq 0 ] && grep -q '^x86lab BIOS: booting from floppy A: read error, status 80$' "$out" &&
   grep -q '^x86lab BIOS: no bootable device$' "$out" && grep -q 'halted with interrupts off' "$err"; then
    pass "empty drive A: read error 80h (no disk), 'no bootable device', halted (status 0)"
else
    fail "nothing to boot: status $status (want 0), output: $(tr '\n' '|' < "$out") $(head -c 200 "$err")"
fi

# refused: status 2 and one line on stderr containing WORD
refused() {
    local what=$1 word=$2
    shift 2
    "$X86LAB" "$@" > /dev/null 2> "$DIR/bad.err" < /dev/null
    local status=$?
    if [ $status -eq 2 ] && [ "$(wc -l < "$DIR/bad.err")" -eq 1 ] && grep -q -- "$word" "$DIR/bad.err"; then
        pass "$what: status 2, '$(cat "$DIR/bad.err")'"
    else
        fail "$what: status $status, stderr: $(head -c 300 "$DIR/bad.err")"
    fi
}
refused "-boot x" "-boot" -boot x
refused "-boot aa" "-boot" -boot aa
refused "-bios missing" "nosuchbios.bin" -bios "$DIR/nosuchbios.bin"
head -c 1000 /dev/zero > "$DIR/short.bin"
refused "-bios of 1000 bytes" "short.bin" -bios "$DIR/short.bin"

[ $failures -eq 0 ] && echo "boot_order: all checks passed" || echo "boot_order: $failures failed"
[ $failures -eq 0 ]
