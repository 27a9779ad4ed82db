#!/bin/bash
# kvm_sandbox.sh BUILD SHARED -- the KVM engine's tests (make test-kvm,
# tests/kvm/run-kvm.sh) in one call of SHARED/tools/kvm-sandbox: a
# throwaway Linux guest with a working nested /dev/kvm (this machine's own
# /dev/kvm, if any, cannot run 32-bit paged guests).  The floppy and CD
# images some guest tests use come from floppy_rw.sh and disk_atapi.sh,
# which run-all.sh runs before this script; they are made here if missing.
# Passes when every KVM test passes; the sandbox's own failure (its exit
# status 125) is a failure too, never a skip.
# Time: run-all.sh gives this script KVM_SANDBOX_TIMEOUT (1200) seconds,
# as TEST_TIMEOUT; the sandbox is told to end 30 s before that, so it
# stops cleanly with its own message.  The whole make test-kvm takes ~11-14
# min nested (guests ~4, BIOS boot scripts ~5, the rest ~5).  So that
# make test stays well inside it on a slower machine, only the boot
# scripts that boot each path once run here (a hard disk, a CD, GRUB,
# resets, the console; the others, ~3.5 min more, in make test-kvm and
# with KVM_BOOTS).  Under ASan (make test-asan) the parts that run
# x86lab's KVM code differently run (guests, switching, the differential
# test, the debugger, Linux): the boot, example and report parts repeat
# the same code paths at 2-3 times the cost.
set -u
BUILD=${1:-build}
SHARED=${2:-../shared}
cd "$(dirname "$0")/../.." || exit 1
SANDBOX=$SHARED/tools/kvm-sandbox
if [ ! -x "$SANDBOX" ]; then
    echo "FAIL $SANDBOX not found"
    exit 1
fi
[ -f "$BUILD/floppy/pattern-1440.img" ] || bash tests/scripts/floppy_rw.sh "$BUILD" "$SHARED" > /dev/null 2>&1
[ -f "$BUILD/disk/cd-pattern.iso" ] || bash tests/scripts/disk_atapi.sh "$BUILD" "$SHARED" > /dev/null 2>&1
budget=${TEST_TIMEOUT:-1200}
if [ -z "${KVM_BOOTS:-}" ]; then
    export KVM_BOOTS="boot_hdd boot_cdrom boot_grub boot_reset boot_console"
    echo "boot scripts under KVM: $KVM_BOOTS (all of them in make test-kvm)"
fi
if nm "$BUILD/x86lab" 2>/dev/null | grep -q __asan_init && [ -z "${KVM_TESTS:-}" ]; then
    export KVM_TESTS="guests switch diff debug linux"
    echo "ASan build: KVM parts $KVM_TESTS"
fi
"$SANDBOX" --timeout $((budget > 120 ? budget - 30 : 90)) -- \
    make -s BUILD="$BUILD" SHARED="$SHARED" test-kvm
status=$?
if [ $status -eq 125 ]; then
    echo "FAIL the KVM sandbox itself could not run (exit 125)"
elif [ $status -ne 0 ]; then
    echo "FAIL make test-kvm in the sandbox: exit $status"
fi
exit $status
