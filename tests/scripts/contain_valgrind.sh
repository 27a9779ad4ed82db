#!/bin/bash
# contain_valgrind.sh BUILD SHARED -- one whole boot under Valgrind's
# memcheck: examples/hello from its floppy through the BIOS (POST, INT 13h
# from the floppy, INT 10h), in the interpreter and then in the binary
# translator (whose code cache Valgrind sees as self-modifying code:
# --smc-check=all), with an overlay file written by dev_ata_writer too.
# Checks: no memcheck error (invalid reads or writes, uses of
# uninitialised values, bad frees; --error-exitcode), the guest's
# expected exit status, its lines on the debug console, and no definite
# leak.  Skipped with a note when valgrind is not installed (make deps
# installs it: DEB_PKGS).
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
cd "$(dirname "$0")/../.." || exit 1
X86LAB=$BUILD/x86lab
DIR=$BUILD/valgrind
rm -rf "$DIR"
mkdir -p "$DIR"
failures=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
if ! command -v valgrind > /dev/null; then
    echo "FAIL valgrind is not installed (make deps)"
    exit 1
fi
IMG=$BUILD/examples/hello/hello-floppy.img
[ -x "$X86LAB" ] && [ -f "$IMG" ] || { echo "FAIL $X86LAB or $IMG not built"; exit 1; }
# Valgrind cannot run a program built with AddressSanitizer (both replace
# the allocator and watch every access); make test-asan already checks
# the same memory errors with ASan, and plain make test runs this script.
if nm "$X86LAB" 2>/dev/null | grep -q ' __asan_init'; then
    echo "ok   $X86LAB is built with ASan: memcheck runs in the plain build (make test), ASan covers this one"
    exit 0
fi

# vg TAG WANT-STATUS ARGS...: x86lab under memcheck
vg() {
    local tag=$1 want=$2
    shift 2
    timeout 600 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --smc-check=all --log-file="$DIR/$tag.vg" \
        "$X86LAB" --deterministic -debugcon "file:$DIR/$tag.e9" "$@" \
        > "$DIR/$tag.out" 2> "$DIR/$tag.err" < /dev/null
    local status=$?
    if [ $status -eq "$want" ] && [ ! -s "$DIR/$tag.vg" ]; then
        pass "$tag under memcheck: status $status, no errors, no definite leaks"
    else
        fail "$tag under memcheck: status $status (want $want; 99 = memcheck errors): \
$(head -c 600 "$DIR/$tag.vg")"
    fi
}

vg boot-interp 0 -m 16 -fda "$IMG"
grep -q "hello: Hello from the boot sector!" "$DIR/boot-interp.e9" &&
    pass "boot-interp: the boot sector spoke" || fail "boot-interp: no greeting on the debug console"
vg boot-bt 0 -m 16 -fda "$IMG" --engine=bt
grep -q "hello: Hello from the boot sector!" "$DIR/boot-bt.e9" &&
    pass "boot-bt: the boot sector spoke" || fail "boot-bt: no greeting on the debug console"
python3 - "$DIR/disk.img" <<'PY'
import sys
open(sys.argv[1], 'wb').write(bytes(64 * 512))
PY
vg overlay 1 -m 16 --load "$BUILD/tests/guest/dev_ata_writer.bin@0x7c00" --entry 0:0x7c00 \
    -drive "file=$DIR/disk.img,overlay=$DIR/disk.img.cow"

if [ $failures -eq 0 ]; then
    echo "contain_valgrind: all checks passed"
    exit 0
fi
echo "contain_valgrind: $failures checks failed"
exit 1
