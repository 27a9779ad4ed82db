#!/bin/bash
# disk_overlay.sh BUILD SHARED -- disk images are never lost and never
# changed unless asked, with the guest dev_ata_writer (it writes its
# pattern to sectors 1-16, or, when sector 0 says LOOP, keeps writing a
# ring of sectors and prints "wrote i" after each completed write):
#   - by default, and with -snapshot even when --write-disk is given, the
#     image's bytes are unchanged and no file appears beside it;
#   - with --write-disk and with -drive ...,cache=writeback the pattern is
#     in the image after the run, and nothing else changed;
#   - with overlay=F.cow the image is unchanged and F.cow holds the 16
#     sectors in its documented format;
#   - SIGTERM (and SIGINT) in the middle of an endless run with
#     --write-disk (cache=writeback): x86lab stops with status 128+N and
#     every write the guest reported before the signal is in the image,
#     no sector torn;
#   - while one x86lab writes an image, another cannot open it, neither
#     for writing nor for reading.
# Exit status 0 when every check held.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
cd "$(dirname "$0")/../.." || exit 1
X86LAB=$BUILD/x86lab
GUEST=$BUILD/tests/guest/dev_ata_writer.bin
DIR=$BUILD/disk/overlay            # images only: the test checks what appears here
LOGS=$BUILD/disk/overlay-logs
rm -rf "$DIR" "$LOGS"
mkdir -p "$DIR" "$LOGS"
failures=0

pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

if [ ! -x "$X86LAB" ] || [ ! -f "$GUEST" ]; then
    echo "FAIL $X86LAB or $GUEST not built"
    exit 1
fi

# make_image FILE SECTORS [loop]: sector s holds bytes (5s + k) & FF, or,
# for the endless guest, "LOOP" in sector 0 and zeros everywhere else
make_image() {
    python3 - "$@" <<'EOF'
import sys
path, n = sys.argv[1], int(sys.argv[2])
loop = len(sys.argv) > 3
with open(path, 'wb') as f:
    for s in range(n):
        if loop:
            f.write((b'LOOP' if s == 0 else b'\0' * 4) + b'\0' * 508)
        else:
            f.write(bytes((5 * s + k) & 0xFF for k in range(512)))
EOF
}

# check_pattern IMAGE: sectors 1-16 hold the guest's pattern, the others
# are as make_image left them
check_pattern() {
    python3 - "$1" <<'EOF'
import sys
data = open(sys.argv[1], 'rb').read()
bad = []
for s in range(len(data) // 512):
    got = data[s * 512:(s + 1) * 512]
    if 1 <= s <= 16:
        i = s - 1
        want = bytes([i]) + bytes((k + 3 * i + 1) & 0xFF for k in range(1, 512))
    else:
        want = bytes((5 * s + k) & 0xFF for k in range(512))
    if got != want:
        bad.append(s)
if bad:
    print("sectors differing from what was expected:", bad[:10])
    sys.exit(1)
EOF
}

run_guest() {
    "$X86LAB" -m 16 --load "$GUEST@0x7c00" --entry 0:0x7c00 --max-insns 50000000 "$@" \
        > "$LOGS/run.log" 2>&1 < /dev/null
}

# ---- by default the image is not changed ----
IMG=$DIR/plain.img
make_image "$IMG" 64
sum=$(sha256sum < "$IMG")
ls_before=$(ls -A "$DIR")
run_guest -hda "$IMG"
status=$?
[ $status -eq 1 ] && pass "default: the guest wrote and read back its pattern" ||
    fail "default: guest exit status $status (want 1)"
[ "$(sha256sum < "$IMG")" = "$sum" ] && pass "default: image checksum unchanged" ||
    fail "default: the image changed"
[ "$(ls -A "$DIR")" = "$ls_before" ] && pass "default: no file created beside the image" ||
    fail "default: files appeared: $(ls -A "$DIR")"

run_guest -hda "$IMG" --write-disk -snapshot
[ "$(sha256sum < "$IMG")" = "$sum" ] && pass "-snapshot with --write-disk: image unchanged" ||
    fail "-snapshot with --write-disk: the image changed"
run_guest -drive "file=$IMG,cache=writeback,snapshot=on"
[ "$(sha256sum < "$IMG")" = "$sum" ] && pass "cache=writeback,snapshot=on: image unchanged" ||
    fail "cache=writeback,snapshot=on: the image changed"

# ---- writes into the image when asked ----
for how in "--write-disk" "cache=writeback" "cache=writethrough"; do
    IMG=$DIR/write.img
    make_image "$IMG" 64
    if [ "$how" = "--write-disk" ]; then
        run_guest -hda "$IMG" --write-disk
    else
        run_guest -drive "file=$IMG,index=0,$how"
    fi
    status=$?
    if [ $status -eq 1 ] && check_pattern "$IMG"; then
        pass "$how: the 16 written sectors are in the image, the rest unchanged"
    else
        fail "$how: guest status $status or the image is not as expected"
    fi
done

# ---- overlay file ----
IMG=$DIR/base.img
make_image "$IMG" 64
sum=$(sha256sum < "$IMG")
run_guest -drive "file=$IMG,overlay=$IMG.cow"
status=$?
[ $status -eq 1 ] && [ "$(sha256sum < "$IMG")" = "$sum" ] &&
    pass "overlay=F.cow: guest passed, image unchanged" ||
    fail "overlay=F.cow: guest status $status, or the image changed"
if python3 - "$IMG.cow" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:16] == b'X86LAB-OVERLAY\n\0', "magic"
version, ss, base = struct.unpack_from('<IIQ', data, 16)
assert (version, ss, base) == (2, 512, 64 * 512), "header fields"
recs = data[512:]
assert len(recs) == 16 * 536, "16 records"
for r in range(16):
    sector, gen, crc, size = struct.unpack_from('<QQII', recs, r * 536)
    body = recs[r * 536 + 24:(r + 1) * 536]
    assert size == 512 and gen == r + 1, "generation and size fields"
    assert crc == zlib.crc32(body, zlib.crc32(recs[r * 536:r * 536 + 16])), "CRC"
    i = sector - 1
    want = bytes([i]) + bytes((k + 3 * i + 1) & 0xFF for k in range(1, 512))
    assert body == want, "record data"
EOF
then
    pass "overlay=F.cow: header and 16 records with the written sectors"
else
    fail "overlay=F.cow: the overlay file is not as documented"
fi
cow_sum=$(sha256sum < "$IMG.cow")
run_guest -drive "file=$IMG,overlay=$IMG.cow" -snapshot
[ "$(sha256sum < "$IMG.cow")" = "$cow_sum" ] && pass "overlay=F.cow with -snapshot: F.cow unchanged" ||
    fail "overlay=F.cow with -snapshot: F.cow changed"

# ---- a signal in the middle of a run that keeps writing ----
# endless_run SIGNAL OPTION...: starts the endless writer (IMG in the
# options stands for the image), lets it report some writes, sends SIGNAL,
# and checks the image against the last write it reported.
endless_run() {
    local sig=$1
    shift
    local img=$DIR/endless.img log=$LOGS/endless.log
    local args=("${@//IMG/$img}")
    make_image "$img" 64 loop
    : > "$log"
    "$X86LAB" -m 16 --load "$GUEST@0x7c00" --entry 0:0x7c00 "${args[@]}" > "$log" 2>&1 < /dev/null &
    local pid=$! k
    for k in $(seq 200); do
        [ "$(grep -c '^wrote' "$log")" -ge 500 ] && break
        sleep 0.05
    done
    kill -"$sig" $pid
    wait $pid
    local status=$? want=$((128 + $(kill -l "$sig")))
    local last
    # complete lines only: the signal may cut the last one short
    last=$(grep -E '^wrote [0-9]+$' "$log" | tail -n 1 | cut -d' ' -f2)
    if [ $status -ne $want ]; then
        fail "SIG$sig $*: exit status $status (want $want)"
        tail -n 3 "$log" | sed 's/^/       /'
        return
    fi
    grep -q "stopped by signal" "$log" && pass "SIG$sig $*: stopped, status $status, after $last writes" ||
        fail "SIG$sig $*: no 'stopped by signal' message"
    if python3 - "$img" "$last" 63 <<'EOF'
import struct, sys
img, n, ring = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = open(img, 'rb').read()
vals = {}
for s in range(1, ring + 1):
    words = struct.unpack_from('<128I', data, s * 512)
    if len(set(words)) != 1:
        print("sector %d is torn" % s)
        sys.exit(1)
    vals[s] = words[0]
def latest(m, s):
    return 0 if m < s else s + (m - s) // ring * ring
# Every reported write is there; at most the one after it (completed,
# not yet reported when the signal came) may be there too.
for m in (n, n + 1):
    if all(vals[s] == latest(m, s) for s in vals):
        print("     image holds writes 1..%d" % m)
        sys.exit(0)
print("image does not hold writes 1..%d:" % n, vals)
sys.exit(1)
EOF
    then
        pass "SIG$sig $*: every write reported before the signal is in the image"
    else
        fail "SIG$sig $*: writes reported before the signal are missing"
    fi
}
endless_run TERM --write-disk -hda IMG
endless_run INT -drive cache=writeback,file=IMG
endless_run HUP -drive file=IMG,cache=writethrough

# ---- without a write option, a killed run leaves the image alone ----
IMG=$DIR/endless-ro.img
make_image "$IMG" 64 loop
sum=$(sha256sum < "$IMG")
"$X86LAB" -m 16 --load "$GUEST@0x7c00" --entry 0:0x7c00 -hda "$IMG" > "$LOGS/ro.log" 2>&1 < /dev/null &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid
[ "$(sha256sum < "$IMG")" = "$sum" ] && [ "$(grep -c '^wrote' "$LOGS/ro.log")" -gt 0 ] &&
    pass "SIGTERM without a write option: the guest wrote, the image is unchanged" ||
    fail "SIGTERM without a write option: the image changed (or the guest wrote nothing)"

# ---- locks: one writer at a time, no readers while it writes ----
IMG=$DIR/locked.img
make_image "$IMG" 64 loop
"$X86LAB" -m 16 --load "$GUEST@0x7c00" --entry 0:0x7c00 -hda "$IMG" --write-disk \
    > "$LOGS/lock1.log" 2>&1 < /dev/null &
pid=$!
for k in $(seq 100); do
    [ "$(grep -c '^wrote' "$LOGS/lock1.log")" -gt 0 ] && break
    sleep 0.05
done
"$X86LAB" -m 16 --load "$GUEST@0x7c00" --entry 0:0x7c00 -hda "$IMG" --write-disk \
    > "$LOGS/lock2.log" 2>&1 < /dev/null
status=$?
[ $status -eq 2 ] && grep -q "in use by another x86lab" "$LOGS/lock2.log" &&
    [ "$(wc -l < "$LOGS/lock2.log")" -eq 1 ] &&
    pass "a second writer: exit 2, '$(cat "$LOGS/lock2.log")'" ||
    fail "a second writer: status $status, output: $(head -c 300 "$LOGS/lock2.log")"
"$X86LAB" -m 16 --load "$GUEST@0x7c00" --entry 0:0x7c00 -hda "$IMG" \
    > "$LOGS/lock3.log" 2>&1 < /dev/null
status=$?
[ $status -eq 2 ] && grep -q "open for writing by another x86lab" "$LOGS/lock3.log" &&
    pass "a reader while it is written: exit 2, '$(cat "$LOGS/lock3.log")'" ||
    fail "a reader while it is written: status $status, output: $(head -c 300 "$LOGS/lock3.log")"
kill -TERM $pid
wait $pid
"$X86LAB" -m 16 --load "$GUEST@0x7c00" --entry 0:0x7c00 -hda "$IMG" --write-disk \
    --max-insns 100000 > "$LOGS/lock4.log" 2>&1 < /dev/null
status=$?
[ $status -eq 4 ] && pass "after the writer exits, the image opens again" ||
    fail "after the writer exits: status $status (want 4, the instruction limit)"

rm -rf "$DIR" "$LOGS"
echo "disk_overlay: $failures failed"
[ $failures -eq 0 ]
