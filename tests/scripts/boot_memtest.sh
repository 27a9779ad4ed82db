#!/bin/bash
# boot_memtest.sh BUILD SHARED -- memtest86+ (Debian's memtest86+ 6.x,
# the 32-bit build) starts on x86lab and tests memory.  Two ways in:
#   the ISO Debian ships (/usr/lib/memtest86+/memtest86+ia32.iso), whose
#   El Torito entry is a 1.44 MB floppy image: the BIOS's floppy
#   emulation boots it as drive 00h and memtest's boot sector loads the
#   rest through INT 13h;
#   GRUB (grub-mkrescue, built here) with `linux16
#   /boot/memtest86+ia32.bin`, the way Debian's GRUB menu starts it (the
#   Linux 16-bit boot protocol).
# memtest first waits 3 s for a key (F1 config, F2 SMP: 3000 x 1 ms on
# the TSC, calibrated on the ACPI PM timer: 100 MHz, so ~300M instructions
# in --deterministic mode) before its tests start.
# memtest runs until stopped, so each run ends at an instruction limit
# (exit status 4); the screen (--dump-vga-text) must then show memtest's
# banner, the memory size (-m 64: 64MB), a test running and no errors.
set -u
. "$(dirname "$0")/boot_common.inc" "${1:-build}" boot_memtest || exit 1

ISO=/usr/lib/memtest86+/memtest86+ia32.iso
BIN=/boot/memtest86+ia32.bin
if [ ! -f "$ISO" ] || [ ! -f "$BIN" ]; then
    echo "FAIL $ISO or $BIN missing (make deps: memtest86+)"
    exit 1
fi

# run NAME INSNS X86LAB-ARGS...
run() {
    local name=$1 insns=$2
    shift 2
    local vga=$DIR/$name.vga err=$DIR/$name.err
    rm -f "$vga"
    timeout 300 "$X86LAB" "$@" -m 64 --deterministic -display none -debugcon none \
        -no-reboot --dump-vga-text "$vga" --max-insns "$insns" > "$err" 2>&1 < /dev/null
    local status=$?
    if [ $status -eq 4 ] && grep -q 'Memtest86+ v6' "$vga" && grep -q 'Memory  : *64MB' "$vga" &&
       grep -q 'Testing: ' "$vga" && grep -q 'Errors: 0' "$vga"; then
        pass "$name: memtest86+ runs: banner, 64MB, a test under way, 0 errors (status 4 at $insns instructions)"
    else
        fail "$name: status $status (want 4, still running); screen: $(head -n 10 "$vga" 2>/dev/null | tr -s ' ' | tr '\n' '|') $(head -c 300 "$err")"
    fi
}

run iso-floppy-emulation 400000000 -cdrom "$ISO" -boot d

if command -v grub-mkrescue > /dev/null && [ -d /usr/lib/grub/i386-pc ]; then
    rm -rf "$DIR/iso"
    mkdir -p "$DIR/iso/boot/grub"
    cp "$BIN" "$DIR/iso/boot/"
    printf 'set timeout=0\nmenuentry "memtest86+" {\n    linux16 /boot/%s\n}\n' \
        "$(basename "$BIN")" > "$DIR/iso/boot/grub/grub.cfg"
    if grub-mkrescue -o "$DIR/memtest-grub.iso" "$DIR/iso" > "$DIR/mkrescue.log" 2>&1; then
        run grub-linux16 500000000 -cdrom "$DIR/memtest-grub.iso" -boot d
    else
        fail "grub-mkrescue: $(tail -n 3 "$DIR/mkrescue.log" | tr '\n' '|')"
    fi
else
    fail "grub-mkrescue or /usr/lib/grub/i386-pc missing (make deps: grub-pc-bin)"
fi

[ $failures -eq 0 ] && echo "boot_memtest: all checks passed" || echo "boot_memtest: $failures failed"
[ $failures -eq 0 ]
