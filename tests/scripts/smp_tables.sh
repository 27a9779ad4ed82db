#!/bin/bash
# smp_tables.sh BUILD SHARED -- the firmware tables of an -smp N machine:
# boots tests/smp/smp_tables.asm (a Multiboot kernel: -kernel maps the
# BIOS ROM without POST, as for Linux) with -smp N for N = 1, 2, 4, 8 and
# checks that the MP table, the MADT and the DSDT list N CPUs (15 checks
# per run, all ok, exit status 1).  Also: -smp N > 1 with a BIOS image
# that has no room for more processors is refused in one line.
set -u
. "$(dirname "$0")/boot_common.inc" "${1:-build}" smp_tables || exit 1

kernel=$DIR/smp_tables.bin
if ! nasm -f bin -I tests/guest/ tests/smp/smp_tables.asm -o "$kernel"; then
    echo "FAIL tests/smp/smp_tables.asm does not assemble"
    exit 1
fi
for n in 1 2 4 8; do
    out=$DIR/tables$n.out err=$DIR/tables$n.err
    timeout 60 "$X86LAB" -kernel "$kernel" -append "$n" -smp "$n" --deterministic \
        -debugcon "file:$out" -display none --max-insns 20000000 > "$err" 2>&1 < /dev/null
    status=$?
    oks=$(grep -c '^ok' "$out")
    bad=$(grep -c '^FAIL' "$out")
    if [ $status -eq 1 ] && [ "$bad" -eq 0 ] && [ "$oks" -eq 15 ]; then
        pass "-smp $n: MP table, MADT and DSDT list $n CPUs ($oks checks)"
    else
        fail "-smp $n: status $status (want 1), $oks ok (want 15), $bad FAIL:" \
             "$(grep '^FAIL' "$out" | tr '\n' '|') $(head -c 300 "$err")"
    fi
done

# A BIOS image without x86lab's tables (all 0xFF but a jump at the reset
# vector): one line naming -smp, status 2.
python3 -c "import sys; open(sys.argv[1],'wb').write(b'\xff'*65536)" "$DIR/blank.rom"
timeout 20 "$X86LAB" -bios "$DIR/blank.rom" -smp 2 -display none --max-insns 1000 \
    > "$DIR/blank.out" 2> "$DIR/blank.err" < /dev/null
status=$?
if [ $status -eq 2 ] && [ "$(wc -l < "$DIR/blank.err")" -eq 1 ] && grep -q -- "-smp 2" "$DIR/blank.err"; then
    pass "a BIOS without tables and -smp 2: refused ($(cat "$DIR/blank.err"))"
else
    fail "a BIOS without tables and -smp 2: status $status: $(head -c 300 "$DIR/blank.err")"
fi
[ $failures -eq 0 ] && echo "smp_tables: all checks passed" || echo "smp_tables: $failures failed"
[ $failures -eq 0 ]
