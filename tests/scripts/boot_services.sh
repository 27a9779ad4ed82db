#!/bin/bash
# boot_services.sh BUILD SHARED -- the BIOS's services seen from a guest:
# assembles tests/guest/boot_services.asm (a boot sector and its second
# stage) for -m 16 and for -m 200 (RAM above 16 MiB: E801h's second
# range, 88h capped at 63 MiB), puts it on a 1.44 MB floppy image, boots
# it with --deterministic (the RTC starts at 2000-01-01 00:00:00, which
# the guest checks) and checks: exit status 1 (EXIT_PASS), no FAIL line,
# at least 150 ok lines, and the BIOS's banner and boot lines on the debug
# console before the guest's.
set -u
. "$(dirname "$0")/boot_common.inc" "${1:-build}" boot_services || exit 1

for mb in 16 200; do
    bin=$DIR/services-$mb.bin img=$DIR/services-$mb.img out=$DIR/services-$mb.out err=$DIR/services-$mb.err
    if ! nasm -f bin -I tests/guest/ -DRAM_MB=$mb tests/guest/boot_services.asm -o "$bin"; then
        fail "-m $mb: boot_services.asm does not assemble"
        continue
    fi
    python3 - "$bin" "$img" <<'PYEOF'
import sys
prog = open(sys.argv[1], 'rb').read()
open(sys.argv[2], 'wb').write(prog + bytes(1474560 - len(prog)))
PYEOF
    timeout 120 "$X86LAB" -m $mb -fda "$img" --deterministic -debugcon "file:$out" \
        --max-insns 100000000 > "$err" 2>&1 < /dev/null
    status=$?
    oks=$(grep -c '^ok' "$out")
    fails=$(grep -c '^FAIL' "$out")
    if [ $status -eq 1 ] && [ "$fails" -eq 0 ] && [ "$oks" -ge 150 ]; then
        pass "-m $mb: exit status 1, $oks guest checks ok"
    else
        fail "-m $mb: exit status $status (want 1), $oks ok, $fails FAIL (log $out)"
        grep -E '^FAIL' "$out" | head -n 10 | sed 's/^/       /'
        head -c 400 "$err" | sed 's/^/       /'
    fi
    ext=$(( (mb - 1) * 1024 ))
    want=$(printf 'x86lab BIOS 1.0\nx86lab BIOS: memory 639 KiB base, %d KiB extended\nx86lab BIOS: floppy drives 1, hard disks 0, CD-ROMs 0\nx86lab BIOS: booting from floppy A:\nboot_services: booted, stage 2 loaded' $ext)
    if [ "$(head -n 5 "$out")" = "$want" ]; then
        pass "-m $mb: the BIOS's lines (banner, $ext KiB extended, drives, boot) come first"
    else
        fail "-m $mb: the first lines were: $(head -n 5 "$out" | tr '\n' '|')"
    fi
done

[ $failures -eq 0 ] && echo "boot_services: all checks passed" || echo "boot_services: $failures failed"
[ $failures -eq 0 ]
