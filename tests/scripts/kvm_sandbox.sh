#!/bin/bash
# kvm_sandbox.sh BUILD SHARED -- the KVM engine's tests (make test-kvm,
# tests/kvm/run-kvm.sh) in one call of SHARED/tools/kvm-sandbox: a
# throwaway Linux guest with a working nested /dev/kvm (this machine's own
# /dev/kvm, if any, cannot run 32-bit paged guests).  The floppy and CD
# images some guest tests use come from floppy_rw.sh and disk_atapi.sh,
# which run-all.sh runs before this script; they are made here if missing.
# Passes when every KVM test passes; the sandbox's own failure (its exit
# status 125) is a failure too, never a skip.
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
"$SANDBOX" -- make -s BUILD="$BUILD" SHARED="$SHARED" test-kvm
status=$?
if [ $status -eq 125 ]; then
    echo "FAIL the KVM sandbox itself could not run (exit 125)"
elif [ $status -ne 0 ]; then
    echo "FAIL make test-kvm in the sandbox: exit $status"
fi
exit $status
