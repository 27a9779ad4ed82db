#!/bin/bash
# boot_mptable.sh BUILD SHARED -- the MP tables after a real POST: boots
# tests/guest/bios_mptable.asm (run flat by run-all.sh too) from a floppy
# through the BIOS, so the search starts in the EBDA the BIOS set up and
# ends in the ROM; checks exit status 1, no FAIL line, all 19 ok lines.
set -u
. "$(dirname "$0")/boot_common.inc" "${1:-build}" boot_mptable || exit 1

bin=$DIR/bios_mptable.bin img=$DIR/mptable.img out=$DIR/mptable.out err=$DIR/mptable.err
if ! nasm -f bin -I tests/guest/ tests/guest/bios_mptable.asm -o "$bin"; then
    echo "FAIL bios_mptable.asm does not assemble"
    exit 1
fi
python3 -c "import sys; d=open(sys.argv[1],'rb').read(); open(sys.argv[2],'wb').write(d+bytes(1474560-len(d)))" "$bin" "$img"
timeout 60 "$X86LAB" -fda "$img" --deterministic -debugcon "file:$out" --max-insns 50000000 \
    > "$err" 2>&1 < /dev/null
status=$?
oks=$(grep -c '^ok' "$out")
fails=$(grep -c '^FAIL' "$out")
if [ $status -eq 1 ] && [ "$fails" -eq 0 ] && [ "$oks" -eq 19 ]; then
    pass "booted by the BIOS: exit status 1, $oks MP table checks ok"
else
    fail "status $status (want 1), $oks ok (want 19), $fails FAIL: $(grep -E '^FAIL' "$out" | tr '\n' '|') $(head -c 300 "$err")"
fi
[ $failures -eq 0 ] && echo "boot_mptable: all checks passed" || echo "boot_mptable: $failures failed"
[ $failures -eq 0 ]
