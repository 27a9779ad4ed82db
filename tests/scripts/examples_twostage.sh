#!/bin/bash
# examples_twostage.sh BUILD SHARED -- examples/twostage booted from its
# hard-disk image: the boot sector reads stage 2 with INT 13h AH=02h (CHS)
# and AH=42h (LBA), finds both copies identical and jumps to it at
# 1000:0000.  Checks: exit status 0, the lines in order on port 0xE9 and
# on the VGA text screen, and none of the failure lines.
set -u
. "$(dirname "$0")/examples_common.inc" "${1:-build}" examples_twostage || exit 1

boot disk -hda "$EX/twostage/twostage-disk.img" -boot c
expect_status disk 0
lines=("twostage: boot sector"
       "twostage: AH=02h CHS 0/0/2 -> 1000:0000"
       "twostage: AH=42h LBA 1 -> 2000:0000"
       "twostage: copies identical"
       "twostage: jump to 1000:0000"
       "twostage: stage 2 running"
       "twostage: done, halting")
expect_lines disk e9 "${lines[@]}"
expect_lines disk vga "${lines[@]}"
if grep -q -x -E "twostage: CS=1000h, stage 2 is 0[0-9A-F]{3}h bytes long" "$OUT/disk.e9"; then
    pass "disk: stage 2 runs with CS=1000h"
else
    fail "disk: no 'CS=1000h' line from stage 2"
fi
if grep -q -E "differ|read error|no AH=42h" "$OUT/disk.e9"; then
    fail "disk: a failure line: $(grep -E "differ|read error|no AH=42h" "$OUT/disk.e9")"
else
    pass "disk: no failure line"
fi
finish
