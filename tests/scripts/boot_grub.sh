#!/bin/bash
# boot_grub.sh BUILD SHARED -- GRUB 2 (Debian's grub-pc-bin) boots on
# x86lab's BIOS.  It builds, at test time, a grub-mkrescue image holding
# tests/kernels/grub_mb.asm (a Multiboot kernel) and a grub.cfg with a
# menu (a one-second timeout, one entry that loads the kernel with
# `multiboot` and a command line), GRUB's terminal on COM1 and the screen.
# The image boots twice: as a CD (-cdrom: El Torito no-emulation, the
# BIOS's paravirtual disk path) and as a hard disk (-hda: the image is a
# hybrid with an MBR; --no-hypercalls: GRUB's INT 13h reads go through the
# BIOS's ATA code).  Checks for each: GRUB's menu reached COM1 (title,
# entry, "executed automatically"), the screen shows GRUB booting the
# entry (--dump-vga-text), and the kernel ran: exit status 1 (it exits
# with 0 when GRUB gave it the Multiboot magic, memory sizes and the
# command line), its lines on port E9h with 639 KiB lower and
# (RAM - 1 MiB) upper memory.
set -u
. "$(dirname "$0")/boot_common.inc" "${1:-build}" boot_grub || exit 1

if ! command -v grub-mkrescue > /dev/null || [ ! -d /usr/lib/grub/i386-pc ] ||
   ! command -v xorriso > /dev/null; then
    echo "FAIL grub-mkrescue, /usr/lib/grub/i386-pc or xorriso missing (make deps: grub-pc-bin, xorriso, mtools)"
    exit 1
fi
rm -rf "$DIR/iso"
mkdir -p "$DIR/iso/boot/grub"
if ! nasm -f bin tests/kernels/grub_mb.asm -o "$DIR/iso/boot/grub_mb.bin"; then
    echo "FAIL tests/kernels/grub_mb.asm does not assemble"
    exit 1
fi
cat > "$DIR/iso/boot/grub/grub.cfg" <<'EOF'
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=1
set default=0
menuentry "x86lab Multiboot test" {
    multiboot /boot/grub_mb.bin x86lab-grub-test
    boot
}
EOF
if ! grub-mkrescue -o "$DIR/grub.iso" "$DIR/iso" > "$DIR/mkrescue.log" 2>&1; then
    echo "FAIL grub-mkrescue: $(tail -n 3 "$DIR/mkrescue.log" | tr '\n' '|')"
    exit 1
fi

MB=64
# run NAME X86LAB-ARGS...
run() {
    local name=$1
    shift
    local ser=$DIR/$name.serial dbg=$DIR/$name.debugcon vga=$DIR/$name.vga err=$DIR/$name.err
    rm -f "$ser" "$dbg" "$vga"
    timeout 300 "$X86LAB" "$@" -m $MB --deterministic -display none -serial "file:$ser" \
        -debugcon "file:$dbg" --dump-vga-text "$vga" --max-insns 1500000000 \
        > "$err" 2>&1 < /dev/null
    local status=$?
    if grep -aq 'GNU GRUB  version' "$ser" && grep -aq '\*x86lab Multiboot test' "$ser" &&
       grep -aq 'will be executed automatically' "$ser"; then
        pass "$name: GRUB's menu on COM1 (title, the entry, the timeout)"
    else
        fail "$name: no GRUB menu on COM1: $(tr -cd '[:print:]\n' < "$ser" | head -c 300)"
    fi
    if grep -q "Booting \`x86lab Multiboot test'" "$vga"; then
        pass "$name: the screen shows GRUB booting the entry"
    else
        fail "$name: screen: $(head -n 5 "$vga" 2>/dev/null | tr '\n' '|') $(head -c 200 "$err")"
    fi
    local want
    want=$(printf "grub_mb: Multiboot kernel running\ngrub_mb: memory 639 KiB lower, %d KiB upper\ngrub_mb: command line 'x86lab-grub-test'\ngrub_mb: PASS" $(( (MB - 1) * 1024 )))
    if [ $status -eq 1 ] && [ "$(grep '^grub_mb:' "$dbg")" = "$want" ]; then
        pass "$name: the Multiboot kernel ran (magic, memory, command line): exit status 1"
    else
        fail "$name: status $status (want 1); kernel said: $(grep '^grub_mb:' "$dbg" | tr '\n' '|') $(head -c 300 "$err")"
    fi
}

run cdrom -cdrom "$DIR/grub.iso" -boot d
run harddisk -hda "$DIR/grub.iso" -boot c --no-hypercalls

[ $failures -eq 0 ] && echo "boot_grub: all checks passed" || echo "boot_grub: $failures failed"
[ $failures -eq 0 ]
