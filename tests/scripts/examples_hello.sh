#!/bin/bash
# examples_hello.sh BUILD SHARED -- examples/hello, the 512-byte boot
# sector, booted through the BIOS from its floppy image (-fda) and from its
# hard-disk image (-hda -boot c).  Checks: the images (1.44 MB floppy,
# 4 MiB disk, 55h AAh at byte 510), exit status 0 (halted with interrupts
# off), its lines with the boot drive (00h, 80h) on port 0xE9, on COM1
# and on the VGA text screen (INT 10h teletype).
set -u
. "$(dirname "$0")/examples_common.inc" "${1:-build}" examples_hello || exit 1

check_image() {   # check_image FILE SIZE
    local size sig
    size=$(stat -c %s "$1" 2>/dev/null || echo 0)
    sig=$(od -An -tx1 -j510 -N2 "$1" 2>/dev/null | tr -d ' ')
    if [ "$size" -eq "$2" ] && [ "$sig" = 55aa ]; then
        pass "$(basename "$1"): $size bytes, boot signature 55 AA"
    else
        fail "$(basename "$1"): $size bytes (want $2), signature '$sig' (want 55aa)"
    fi
}

run_one() {   # run_one TAG DRIVE ARGS...
    local tag=$1 drive=$2
    shift 2
    boot "$tag" "$@"
    expect_status "$tag" 0
    local lines=("hello: Hello from the boot sector!" "hello: booted from drive ${drive}h"
                 "hello: halting the CPU (cli; hlt)")
    expect_lines "$tag" e9 "${lines[@]}"
    expect_lines "$tag" com1 "${lines[@]}"
    expect_lines "$tag" vga "x86lab BIOS 1.0" "${lines[@]}"
}

check_image "$EX/hello/hello-floppy.img" 1474560
check_image "$EX/hello/hello-disk.img" 4194304
run_one floppy 00 -fda "$EX/hello/hello-floppy.img"
run_one disk 80 -hda "$EX/hello/hello-disk.img" -boot c
finish
