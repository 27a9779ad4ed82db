#!/bin/bash
# examples_pmode.sh BUILD SHARED -- examples/pmode booted from its floppy:
# the boot sector loads it, it shows the A20 wrap and turns A20 on through
# the 8042, loads a GDT, sets CR0.PE, far-jumps into 32-bit code and
# writes to VGA memory at 0xB8000.  Checks: exit status 0 (halted in
# protected mode, CS=0008), the lines in order on port 0xE9 and on the
# VGA text screen (where the 32-bit code wrote them straight into video
# memory), and "PM" in the top right corner of the screen.
set -u
. "$(dirname "$0")/examples_common.inc" "${1:-build}" examples_pmode || exit 1

boot floppy -fda "$EX/pmode/pmode-floppy.img"
expect_status floppy 0
if grep -q "halted with interrupts off at 0008:" "$OUT/floppy.err"; then
    pass "floppy: halted with CS=0008 (the GDT's code segment)"
else
    fail "floppy: not halted in the 32-bit code segment: $(head -c 200 "$OUT/floppy.err")"
fi
lines=("boot: loading the program with INT 13h AH=02h"
       "boot: loaded, jumping to stage 2 at 0000:7E00"
       "pmode: stage 2 running in real mode"
       "pmode: A20 is on at boot (the BIOS enabled it)"
       "pmode: A20 off through port 92h: FFFF:0510 wraps to 0000:0500"
       "pmode: A20 on through the 8042 output port (command D1h)"
       "pmode: loading the GDT and setting CR0.PE"
       "pmode: in 32-bit protected mode, flat segments"
       "pmode: CR0=60000011 CS=00000008 DS=00000010"
       "pmode: read back from 0x00100000: 12345678"
       "pmode: wrote 'PM' at 0xB8000 + 78*2 (top right, white on blue)"
       "pmode: done, halting")
expect_lines floppy e9 "${lines[@]}"
expect_lines floppy vga "${lines[@]:2}"
first=$(head -n 1 "$OUT/floppy.vga")
if [ "${first: -2}" = PM ] && [ ${#first} -eq 80 ]; then
    pass "floppy: 'PM' in columns 79-80 of the screen's first row"
else
    fail "floppy: first screen row is '$first'"
fi
finish
