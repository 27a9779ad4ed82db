#!/bin/bash
# boot_sysmisc.sh BUILD SHARED -- boots tests/guest/boot_sysmisc.asm from
# a floppy through the BIOS (--deterministic): INT 10h AH=0Bh, INT 15h
# AH=C2h (PS/2 mouse, packets injected through the 8042) and AH=89h, and
# INT 1Ah's clock advancing.  Checks exit status 1, no FAIL line and all
# 39 ok lines.
set -u
. "$(dirname "$0")/boot_common.inc" "${1:-build}" boot_sysmisc || exit 1

bin=$DIR/sysmisc.bin img=$DIR/sysmisc.img out=$DIR/sysmisc.out err=$DIR/sysmisc.err
if ! nasm -f bin -I tests/guest/ tests/guest/boot_sysmisc.asm -o "$bin"; then
    echo "FAIL boot_sysmisc.asm does not assemble"
    exit 1
fi
python3 -c "import sys; d=open(sys.argv[1],'rb').read(); open(sys.argv[2],'wb').write(d+bytes(1474560-len(d)))" "$bin" "$img"
timeout 60 "$X86LAB" -fda "$img" --deterministic -no-reboot -debugcon "file:$out" --max-insns 200000000 \
    > "$err" 2>&1 < /dev/null
status=$?
oks=$(grep -c '^ok' "$out")
fails=$(grep -c '^FAIL' "$out")
if [ $status -eq 1 ] && [ "$fails" -eq 0 ] && [ "$oks" -eq 39 ]; then
    pass "exit status 1, $oks guest checks ok"
else
    fail "status $status (want 1), $oks ok, $fails FAIL: $(grep -E "^FAIL" "$out" | head -n 10 | tr "\n" "|") $(head -c 300 "$err")"
fi
[ $failures -eq 0 ] && echo "boot_sysmisc: all checks passed" || echo "boot_sysmisc: $failures failed"
[ $failures -eq 0 ]
