#!/bin/bash
# examples_paging.sh BUILD SHARED -- examples/paging booted from its
# floppy: page tables (identity 0-4 MiB, 0xC0000000 -> 1 MiB), CR3 and
# CR0.PG, one page seen at two addresses, code run in the higher half,
# then two page faults that the #PF handler fixes (a new page table and a
# page, then only a page).  Checks: exit status 0, the lines in order on
# port 0xE9 (CR2 and error codes included) and on the VGA text screen.
set -u
. "$(dirname "$0")/examples_common.inc" "${1:-build}" examples_paging || exit 1

boot floppy -fda "$EX/paging/paging-floppy.img"
expect_status floppy 0
lines=("paging: identity map 0-4 MiB, 0xC0000000 -> 0x00100000 (1 MiB)"
       "paging: paging on, CR0=E0000011 CR3=00020000"
       "paging: wrote 600DF00D at 0xC0000000, read at phys 0x00100000: 600DF00D"
       "paging: called code at 0xC0000100, it returned C0DEC0DE"
       "paging: writing CAFEBABE to unmapped 0xD0000000"
       "paging: #PF CR2=D0000000 error code=00000002"
       "paging:   new page table at 00200000"
       "paging:   mapped a zeroed page at 00201000"
       "paging: the write went through, read back CAFEBABE"
       "paging: reading unmapped 0xD0001234"
       "paging: #PF CR2=D0001234 error code=00000000"
       "paging:   mapped a zeroed page at 00202000"
       "paging: read 00000000"
       "paging: page faults handled: 2"
       "paging: done, halting")
expect_lines floppy e9 "${lines[@]}"
expect_lines floppy vga "${lines[@]}"
n=$(grep -c "^paging: #PF" "$OUT/floppy.e9")
[ "$n" -eq 2 ] && pass "floppy: exactly 2 page faults" || fail "floppy: $n page faults, want 2"
finish
