#!/bin/bash
# disk_errors.sh BUILD SHARED -- bad disk options and images are refused
# before the guest starts: exit status 2, exactly one line on stderr that
# names the problem (the bad -drive key, the file and what is wrong with
# it), nothing on the debug console.  Covers missing, unreadable (when not
# root), directory, empty and wrongly sized images, a drive given twice,
# an image opened for writing twice in one x86lab, an overlay that is the
# image itself, and malformed -drive strings and option values.
# Exit status 0 when every check held.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
cd "$(dirname "$0")/../.." || exit 1
X86LAB=$BUILD/x86lab
GUEST=$BUILD/tests/guest/dev_ata_writer.bin
DIR=$BUILD/disk/errors
rm -rf "$DIR"
mkdir -p "$DIR"
failures=0

pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

if [ ! -x "$X86LAB" ] || [ ! -f "$GUEST" ]; then
    echo "FAIL $X86LAB or $GUEST not built"
    exit 1
fi

# refused TEXT-EXPECTED OPTION...: x86lab must exit 2 with one line on
# stderr containing TEXT-EXPECTED and run no guest code
refused() {
    local want=$1
    shift
    "$X86LAB" -m 16 --load "$GUEST@0x7c00" --entry 0:0x7c00 --max-insns 1000000 "$@" \
        > "$DIR/out" 2> "$DIR/err" < /dev/null
    local status=$?
    if [ $status -eq 2 ] && [ "$(wc -l < "$DIR/err")" -eq 1 ] && grep -qF -- "$want" "$DIR/err" &&
       [ ! -s "$DIR/out" ]; then
        pass "$*: $(cat "$DIR/err")"
    else
        fail "$*: status $status (want 2), stderr: $(head -c 300 "$DIR/err"), stdout: $(head -c 100 "$DIR/out")"
    fi
}

head -c 65536 /dev/zero > "$DIR/good.img"
: > "$DIR/empty.img"
head -c 1000 /dev/zero > "$DIR/odd.img"
head -c 10000 /dev/zero > "$DIR/cd-odd.iso"
mkdir -p "$DIR/adir"

refused "No such file" -hda "$DIR/missing.img"
refused "is a directory" -hdb "$DIR/adir"
refused "empty" -hdc "$DIR/empty.img"
refused "not a multiple of 512" -hdd "$DIR/odd.img"
refused "not a multiple of 2048" -cdrom "$DIR/cd-odd.iso"
refused "not a multiple of 2048" -drive "file=$DIR/cd-odd.iso,media=cdrom"
if [ "$(id -u)" -ne 0 ]; then
    cp "$DIR/good.img" "$DIR/noread.img"
    chmod 0 "$DIR/noread.img"
    refused "Permission denied" -hda "$DIR/noread.img"
else
    echo "note: running as root: an unreadable image cannot be made here"
fi
refused "index 2 is already given" -hdc "$DIR/good.img" -cdrom "$DIR/cd-odd.iso"
refused "index 0 is already given" -hda "$DIR/good.img" -drive "file=$DIR/good.img,index=0"
refused "in use by another x86lab or drive" -hda "$DIR/good.img" -hdb "$DIR/good.img" --write-disk
refused "open for writing by another x86lab or drive" -drive "file=$DIR/good.img,cache=writeback" \
    -hdb "$DIR/good.img"
refused "the image itself" -drive "file=$DIR/good.img,overlay=$DIR/good.img"
refused "unknown key 'colour'" -drive "file=$DIR/good.img,colour=blue"
refused "media=tape" -drive "file=$DIR/good.img,media=tape"
refused "index=9" -drive "file=$DIR/good.img,index=9"
refused "index=two" -drive "file=$DIR/good.img,index=two"
refused "format=qcow2" -drive "file=$DIR/good.img,format=qcow2"
refused "if=scsi" -drive "file=$DIR/good.img,if=scsi"
refused "cache=none" -drive "file=$DIR/good.img,cache=none"
refused "snapshot=yes" -drive "file=$DIR/good.img,snapshot=yes"
refused "size=lots" -drive "size=lots"
refused "not key=value" -drive "file=$DIR/good.img,readonly"
refused "needs file=" -drive "index=1"
refused "read-only" -drive "file=$DIR/good.img,media=cdrom,cache=writeback"
refused "--disk-latency" --disk-latency=soon -hda "$DIR/good.img"
refused "needs a value" -hda

[ -z "$(ls -A "$DIR" | grep -v -e '^good.img$' -e '^empty.img$' -e '^odd.img$' -e '^cd-odd.iso$' \
        -e '^adir$' -e '^noread.img$' -e '^out$' -e '^err$')" ] &&
    pass "no other file was created" || fail "files appeared: $(ls -A "$DIR")"
rm -rf "$DIR"
echo "disk_errors: $failures failed"
[ $failures -eq 0 ]
