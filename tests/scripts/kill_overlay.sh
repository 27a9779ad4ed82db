#!/bin/bash
# kill_overlay.sh BUILD SHARED -- x86lab killed with SIGKILL at random
# points while the guest dev_ata_writer writes a ring of 63 sectors
# through an overlay file (-drive file=IMG,overlay=IMG.cow), over and over
# on the same overlay, then stopped with SIGTERM:
#   - the base image stays byte-identical;
#   - after every kill the overlay opens again (the next run starts);
#   - read independently of x86lab (the format of machine/disk.h: CRC,
#     generations), every slot sector is whole (128 equal dwords, no torn
#     sector) and holds the last write the guest reported for it in this
#     run or a later write to that slot (reports still in x86lab's stdout
#     buffer die with it);
#   - after SIGTERM (status 143) every reported write is there.
# Exit status 0 when every check held.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
cd "$(dirname "$0")/../.." || exit 1
X86LAB=$BUILD/x86lab
GUEST=$BUILD/tests/guest/dev_ata_writer.bin
DIR=$BUILD/disk/kill
rm -rf "$DIR"
mkdir -p "$DIR"
failures=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
if [ ! -x "$X86LAB" ] || [ ! -f "$GUEST" ]; then
    echo "FAIL $X86LAB or $GUEST not built"
    exit 1
fi

IMG=$DIR/base.img
COW=$DIR/base.img.cow
python3 - "$IMG" <<'EOF'
import sys
with open(sys.argv[1], 'wb') as f:
    f.write(b'LOOP' + bytes(508) + bytes(127 * 512))
EOF
sum=$(sha256sum < "$IMG")

# check LOG: the overlay against the writes LOG reports ("wrote i")
check() {
    python3 - "$COW" "$1" 2>&1 <<'EOF'
import struct, sys, zlib
cow, log = sys.argv[1], sys.argv[2]
R = 63
data = open(cow, 'rb').read()
assert data[:16] == b'X86LAB-OVERLAY\n\0', 'magic'
version, ss, base = struct.unpack_from('<IIQ', data, 16)
assert (version, ss, base) == (2, 512, 128 * 512), 'header %r' % ((version, ss, base),)
rec = 24 + 512
newest = {}
torn = 0
for off in range(512, len(data) - rec + 1, rec):
    sector, gen, crc, size = struct.unpack_from('<QQII', data, off)
    body = data[off + 24:off + rec]
    if size != 512 or crc != zlib.crc32(body, zlib.crc32(data[off:off + 16])) or gen == 0:
        torn += 1
        continue
    assert sector < 128, 'record names sector %d' % sector
    if sector not in newest or newest[sector][0] < gen:
        newest[sector] = (gen, body)
reported = [int(l.split()[1]) for l in open(log) if l.startswith('wrote ')]
last = max(reported) if reported else 0
bad = []
for s in range(1, R + 1):
    body = newest.get(s, (0, bytes(512)))[1]
    words = struct.unpack('<128I', body)
    if len(set(words)) != 1:
        bad.append('sector %d is torn' % s)
        continue
    v = words[0]
    mine = [i for i in range(1, last + 1) if (i - 1) % R + 1 == s]
    if not mine:
        continue                  # not written in this run
    j = mine[-1]
    # Reported writes are there: v is j or a later write to the same slot
    # (x86lab's stdout is buffered, so a kill loses the last reports).
    if v < j or (v - 1) % R + 1 != s:
        bad.append('sector %d holds %d, the last reported write to it is %d (last %d)' % (s, v, j, last))
if bad:
    print('; '.join(bad[:5]))
    sys.exit(1)
print('%d writes reported, %d sectors checked, %d torn or free slots' % (last, R, torn))
EOF
}

run_writer() {
    "$X86LAB" -m 16 --load "$GUEST@0x7c00" --entry 0:0x7c00 \
        -drive "file=$IMG,overlay=$COW" > "$1" 2> "$1.err" < /dev/null &
    pid=$!
}

# Starts a run, waits until it has reported at least one write, then
# lets it run a random while more.
start_and_wait() {
    run_writer "$1"
    for _ in $(seq 200); do
        grep -q '^wrote' "$1" 2> /dev/null && break
        kill -0 $pid 2> /dev/null || break
        sleep 0.05
    done
    sleep "0.$((RANDOM % 9 + 1))"
}

for round in 1 2 3 4 5 6; do
    log=$DIR/kill$round.log
    start_and_wait "$log"
    kill -KILL $pid
    wait $pid 2> /dev/null
    status=$?
    n=$(grep -c '^wrote' "$log")
    if [ $status -ne 137 ] || [ "$n" -eq 0 ]; then
        fail "SIGKILL round $round: status $status, $n writes reported ($(head -c 200 "$log.err"))"
        continue
    fi
    if why=$(check "$log"); then
        pass "SIGKILL round $round: $why"
    else
        fail "SIGKILL round $round: $why"
    fi
done

log=$DIR/term.log
start_and_wait "$log"
kill -TERM $pid
wait $pid
status=$?
if [ $status -eq 143 ] && why=$(check "$log"); then
    pass "SIGTERM: status 143, $why"
else
    fail "SIGTERM: status $status: ${why:-} $(head -c 200 "$log.err")"
fi
[ "$(sha256sum < "$IMG")" = "$sum" ] && pass "the base image is byte-identical" ||
    fail "the base image changed"
size=$(stat -c %s "$COW")
[ "$size" -le $((512 + 80 * 536)) ] && pass "the overlay stays small ($size bytes for 63 sectors)" ||
    fail "the overlay grew to $size bytes for 63 sectors rewritten"

if [ $failures -eq 0 ]; then
    echo "kill_overlay: all checks passed"
    exit 0
fi
echo "kill_overlay: $failures checks failed"
exit 1
