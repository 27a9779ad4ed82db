#!/bin/bash
# linux_smp.sh BUILD SHARED -- Debian's i686 kernel on two CPUs: the
# linux_boot.sh run (a busybox shell on ttyS0, commands, the ext2 disk,
# poweroff) with -smp 2, which also checks that /proc/cpuinfo lists
# processors 0 and 1, that /sys/devices/system/cpu/online says 0-1 and
# that both CPUs count local timer interrupts.  The application processor
# is started by Linux itself (INIT/STARTUP through the local APIC, found
# in the ACPI MADT that x86lab extends to two CPUs).
#
# tsc=unstable: x86lab's TSC counts retired instructions, so on host time
# Linux's clocksource watchdog marks it unstable at some point of the
# boot.  When that lands between the BSP's and the AP's own checks of
# TSC stability in the TSC synchronisation test of the AP's bring-up
# (arch/x86/kernel/tsc_sync.c: each side decides alone whether to skip
# it), one waits for the other forever; seen once in a -smp 8 boot.
# Declaring the TSC unstable from the start makes both sides skip the test.
LINUX_SMP=2 LINUX_APPEND="${LINUX_APPEND-cryptomgr.notests} tsc=unstable" \
    exec bash "$(dirname "$0")/linux_boot.sh" "$@"
