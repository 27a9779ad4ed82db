#!/bin/bash
# boot_syslinux.sh BUILD SHARED -- SYSLINUX (Debian's syslinux 6.x)
# boots on x86lab's BIOS from a FAT floppy: the image is made here with
# mkfs.fat and `syslinux --install`, with syslinux.cfg (console on COM1,
# a boot: prompt with a one-second timeout) whose default entry starts
# tests/kernels/grub_mb.asm through mboot.c32 (Multiboot).  Booted twice,
# with the BIOS's paravirtual disk path and with --no-hypercalls (the
# floppy controller and DMA).  Checks for each: SYSLINUX's banner and its
# boot: prompt on COM1, "Loading <kernel>... ok", and the kernel's lines
# (Multiboot magic, memory, the command line from the APPEND line) with
# exit status 1.
set -u
. "$(dirname "$0")/boot_common.inc" "${1:-build}" boot_syslinux || exit 1

MODS=/usr/lib/syslinux/modules/bios
for tool in mkfs.fat syslinux mcopy; do
    if ! command -v $tool > /dev/null; then
        echo "FAIL $tool missing (make deps: dosfstools, syslinux, mtools)"
        exit 1
    fi
done
if [ ! -f $MODS/mboot.c32 ] || [ ! -f $MODS/libcom32.c32 ]; then
    echo "FAIL $MODS/mboot.c32 or libcom32.c32 missing (make deps: syslinux-common)"
    exit 1
fi
img=$DIR/syslinux.img
rm -f "$img"
if ! nasm -f bin tests/kernels/grub_mb.asm -o "$DIR/mbk.bin"; then
    echo "FAIL tests/kernels/grub_mb.asm does not assemble"
    exit 1
fi
cat > "$DIR/syslinux.cfg" <<'EOF'
SERIAL 0 115200
PROMPT 1
TIMEOUT 10
DEFAULT mb
LABEL mb
  KERNEL mboot.c32
  APPEND mbk.bin x86lab-syslinux-test
EOF
export MTOOLS_SKIP_CHECK=1
if ! mkfs.fat -C "$img" 1440 > "$DIR/mkfs.log" 2>&1 || ! syslinux --install "$img" >> "$DIR/mkfs.log" 2>&1 ||
   ! mcopy -i "$img" "$DIR/syslinux.cfg" $MODS/mboot.c32 $MODS/libcom32.c32 "$DIR/mbk.bin" :: >> "$DIR/mkfs.log" 2>&1; then
    echo "FAIL making the SYSLINUX floppy: $(tail -n 3 "$DIR/mkfs.log" | tr '\n' '|')"
    exit 1
fi

# run NAME X86LAB-ARGS...
run() {
    local name=$1
    shift
    local ser=$DIR/$name.serial dbg=$DIR/$name.debugcon err=$DIR/$name.err
    rm -f "$ser" "$dbg"
    timeout 300 "$X86LAB" -fda "$img" "$@" -m 64 --deterministic -display none \
        -serial "file:$ser" -debugcon "file:$dbg" --max-insns 1500000000 > "$err" 2>&1 < /dev/null
    local status=$?
    if grep -aq '^SYSLINUX 6\.' "$ser" && grep -aq '^boot: ' "$ser" && grep -aq 'Loading mbk.bin\.\.\. ok' "$ser"; then
        pass "$name: SYSLINUX's banner, its boot: prompt and the kernel loading on COM1"
    else
        fail "$name: COM1 showed: $(tr -cd '[:print:]\n' < "$ser" | head -c 300 | tr '\n' '|')"
    fi
    local want
    want=$(printf "grub_mb: Multiboot kernel running\ngrub_mb: memory 639 KiB lower, 64512 KiB upper\ngrub_mb: command line 'mbk.bin x86lab-syslinux-test'\ngrub_mb: PASS")
    if [ $status -eq 1 ] && [ "$(grep '^grub_mb:' "$dbg")" = "$want" ]; then
        pass "$name: mboot.c32 started the Multiboot kernel (magic, memory, command line): exit status 1"
    else
        fail "$name: status $status (want 1); kernel said: $(grep '^grub_mb:' "$dbg" | tr '\n' '|') $(head -c 300 "$err")"
    fi
}

run floppy
run floppy-no-hypercalls --no-hypercalls

[ $failures -eq 0 ] && echo "boot_syslinux: all checks passed" || echo "boot_syslinux: $failures failed"
[ $failures -eq 0 ]
