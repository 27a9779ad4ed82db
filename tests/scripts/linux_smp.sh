#!/bin/bash
# linux_smp.sh BUILD SHARED -- Debian's i686 kernel on two CPUs: the
# linux_boot.sh run (a busybox shell on ttyS0, commands, poweroff) with
# -smp 2, which also checks that /proc/cpuinfo lists processors 0 and 1
# and that /sys/devices/system/cpu/online says 0-1.  The application
# processor is started by Linux itself (INIT/STARTUP through the local
# APIC, found in the ACPI MADT that x86lab extends to two CPUs).
LINUX_SMP=2 exec bash "$(dirname "$0")/linux_boot.sh" "$@"
