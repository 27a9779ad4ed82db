#!/bin/bash
# boot_reset.sh BUILD SHARED -- resets with the BIOS in the machine.
# tests/guest/boot_reset.asm, booted from a floppy, resets through the
# 8042, then by typing Ctrl-Alt-Del (the BIOS's INT 09h sets the warm boot
# flag 1234h and resets), then with CMOS 0Fh = 0Ah (the BIOS must resume
# at 40:67h without a POST).  Checked: by default each reset runs the BIOS
# again (three banners, boots 1-3, both "ok" lines, exit status 1); with
# -no-reboot the first reset ends the run (status 0, "guest requested a
# reset", one boot).  A triple fault (a boot sector made here: an IDT of
# limit 0 and INT 3) also restarts the BIOS by default (the sector then
# sees its mark and exits with EXIT_PASS) and ends the run with status 3
# under -no-reboot.
set -u
. "$(dirname "$0")/boot_common.inc" "${1:-build}" boot_reset || exit 1

# floppy ASM IMG: the assembled program on a 1.44 MB image
floppy() {
    nasm -f bin -I tests/guest/ "$1" -o "$2.bin" || return 1
    python3 -c "import sys; d=open(sys.argv[1],'rb').read(); open(sys.argv[2],'wb').write(d+bytes(1474560-len(d)))" \
        "$2.bin" "$2"
}

if ! floppy tests/guest/boot_reset.asm "$DIR/reset.img"; then
    echo "FAIL boot_reset.asm does not assemble"
    exit 1
fi

out=$DIR/reset.out err=$DIR/reset.err
timeout 60 "$X86LAB" -fda "$DIR/reset.img" -debugcon "file:$out" --max-insns 100000000 > "$err" 2>&1 < /dev/null
status=$?
banners=$(grep -c '^x86lab BIOS 1.0$' "$out")
boots=$(grep '^boot_reset: boot' "$out" | tr '\n' ' ')
if [ $status -eq 1 ] && [ "$banners" -eq 3 ] &&
   [ "$boots" = "boot_reset: boot 0001 boot_reset: boot 0002 boot_reset: boot 0003 " ]; then
    pass "8042 reset and Ctrl-Alt-Del each ran the BIOS again: 3 banners, boots 1-3, status 1"
else
    fail "resets: status $status (want 1), $banners banners, boots: $boots"
fi
if grep -q '^ok 40:72h=1234h$' "$out" && grep -q '^ok resumed at 40:67h$' "$out" && ! grep -q FAIL "$out"; then
    pass "warm boot flag 1234h after Ctrl-Alt-Del; CMOS 0Fh=0Ah resumed at 40:67h without a POST"
else
    fail "warm paths: $(grep -E '^(ok|FAIL)' "$out" | tr '\n' '|')"
fi

timeout 60 "$X86LAB" -fda "$DIR/reset.img" -debugcon "file:$out" -no-reboot --max-insns 100000000 > "$err" 2>&1 < /dev/null
status=$?
if [ $status -eq 0 ] && grep -q 'guest requested a reset' "$err" &&
   [ "$(grep -c '^boot_reset: boot' "$out")" -eq 1 ]; then
    pass "-no-reboot: the first reset ends the run (status 0, one boot)"
else
    fail "-no-reboot: status $status (want 0), stderr: $(head -c 200 "$err"), boots: $(grep -c '^boot_reset' "$out")"
fi

# a triple fault on the first boot, EXIT_PASS on the next
cat > "$DIR/triple.asm" <<'ASM'
        bits    16
        org     0x7C00
%include "lib.inc"
        START16
        cmp     dword [0x600], 'TRPL'
        je      .again
        mov     dword [0x600], 'TRPL'
        lidt    [idt0]                          ; no IDT: INT 3 shuts the CPU down
        int3
        jmp     $
.again: mov     si, msg
        call    puts16
        mov     al, EXIT_PASS
        jmp     exit16
idt0:   dw      0, 0, 0
msg:    db      "triple: booted again", 10, 0
        LIB16
        times   510 - ($ - $$) db 0
        dw      0xAA55
ASM
if ! floppy "$DIR/triple.asm" "$DIR/triple.img"; then
    fail "triple.asm does not assemble"
else
    timeout 60 "$X86LAB" -fda "$DIR/triple.img" -debugcon "file:$out" --max-insns 100000000 > "$err" 2>&1 < /dev/null
    status=$?
    if [ $status -eq 1 ] && grep -q '^triple: booted again$' "$out" && [ "$(grep -c '^x86lab BIOS 1.0$' "$out")" -eq 2 ]; then
        pass "a triple fault restarts the BIOS (two banners, booted again, status 1)"
    else
        fail "triple fault: status $status (want 1): $(tr '\n' '|' < "$out" | head -c 300)"
    fi
    timeout 60 "$X86LAB" -fda "$DIR/triple.img" -debugcon "file:$out" -no-reboot --max-insns 100000000 > "$err" 2>&1 < /dev/null
    status=$?
    if [ $status -eq 3 ] && grep -q 'triple-faulted' "$err"; then
        pass "-no-reboot: a triple fault ends the run with status 3"
    else
        fail "triple fault with -no-reboot: status $status (want 3): $(head -c 200 "$err")"
    fi
fi

[ $failures -eq 0 ] && echo "boot_reset: all checks passed" || echo "boot_reset: $failures failed"
[ $failures -eq 0 ]
